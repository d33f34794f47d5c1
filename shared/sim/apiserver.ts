/**
 * The simulated API server: the ONE write path of the sim (kubernetes' `PodControlInterface` /
 * `RESTStorage`, kwok's fake API server). Controllers, player actions and incidents change cluster
 * objects only through the functions here:
 *
 * | write | what | validated | change log |
 * |---|---|---|---|
 * | {@link createObject} | store a new object (Pod, ReplicaSet, EndpointSlice, Deployment, Service, Node) | quorum, AlreadyExists | `ADDED` |
 * | {@link updateObject} | a validated spec/metadata write (`mutate` runs only once validated) | quorum, NotFound | `MODIFIED` |
 * | {@link updateStatus} | a status write the writer already applied in place (controllers inside their synced loop, the kubelet) | NotFound | `MODIFIED` |
 * | {@link noteChange} | an observable change that is not an API write (Pod working-set memory, readiness cache) | - | `MODIFIED` |
 * | {@link deletePod} | graceful deletion (deletionTimestamp + grace; the kubelet finishes it) or force | quorum, NotFound | `MODIFIED` / `DELETED` |
 * | {@link evictPod} | the policy/v1 Eviction subresource: eviction gates (PodDisruptionBudgets), then a graceful delete | quorum, NotFound, 429 | `MODIFIED` |
 * | {@link bindPod} | the scheduler's Binding: `spec.nodeName`, Node request sums | quorum, NotFound, already bound | Pod + Node `MODIFIED` |
 * | {@link podAdmitted} / {@link podRejected} | (issue 6) the kubelet's admission of a Pod created with `spec.nodeName` (created bound: Node sums at {@link createObject}): host ports held, or Failed `OutOf...` with its requests released | - | Pod + Node `MODIFIED` (rejected) |
 * | {@link removeObject} / {@link removePod} | final removal from storage (end of graceful termination, history cleanup) | NotFound | `DELETED` (+ Node `MODIFIED`) |
 *
 * Every write bumps `metadata.resourceVersion` (the etcd revision analogue), keeps the indexes
 * (./cache.ts) itself, queues the controllers that watch the kind (`state.dirty`, the workqueues) and
 * appends to the change log (./changelog.ts). Queueing rule (the informers' event handlers): a Pod write
 * queues the Pod (then its ReplicaSet and Services, {@link propagatePodChanges}); a spec write queues the
 * object's own controller (Deployment, ReplicaSet, Node, Service); a ReplicaSet status write queues its
 * owning Deployment; other status writes queue nothing. `opts.enqueue` overrides it where a controller
 * writes an object it is itself processing (the node lifecycle controller's taints). The pod fan-out
 * also lists, per watched ReplicaSet and Service, the pods it queued them for ({@link watchPods},
 * {@link takePodChanges}: their controllers then sync from those pods only).
 *
 * Quorum (etcd; kubernetes-behaviour.md §6): writes fail with `etcdserver: request timed out` while etcd
 * has no quorum or no leader. Exception (a simplification): {@link updateStatus} and {@link noteChange}
 * are the writer's local state, applied even then (the kubelet keeps running and restarting
 * containers without the API server; controllers call it only inside a sync that checked quorum).
 *
 * Tests observe writes with {@link recordWrites} ("created 3, deleted 1").
 *
 * Source: K staging/src/k8s.io/apiserver (registry/generic/registry/store.go: graceful deletion sets
 * deletionTimestamp, the kubelet's final delete removes the object), pkg/registry/core/pod/storage
 * (eviction.go: 429 `Cannot evict pod as it would violate the pod's disruption budget.`; binding),
 * K pkg/controller/controller_utils.go (PodControlInterface).
 *
 * May import: ./cache.ts, ./changelog.ts, ./kinds/index.ts (the registry: stores, keys, defaulting), ./kinds/serialize.ts
 * (setContainerImage), ./kinds/pvc.ts (PVC protection), ./emit.ts, ./events.ts, ./hash.ts, ./names.ts, ./types.ts,
 * and (a compatibility re-export only) ./controllers/etcd.ts. Never other controllers: the kubelet
 * reacts to deletions through {@link registerPodTerminationHandler}.
 */
import {
  controllerKey,
  podWorkqueueKey,
  indexAddPod,
  indexAddReplicaSet,
  indexAddService,
  indexBindPod,
  indexHoldHostPorts,
  indexNodesChanged,
  indexRemovePod,
  indexRemoveReplicaSet,
  indexRemoveService,
  selectorMatches,
  servicesForLabels,
  sortedPodKeys,
} from './cache.ts';
import { recordChange } from './changelog.ts';
import { KINDS, kindOf, objectKey, qualifiedResource, type KindDef } from './kinds/index.ts';
import { counterUid } from './hash.ts';
import { setContainerImage } from './kinds/serialize.ts';
import { claimInUse, PVC_PROTECTION_FINALIZER } from './kinds/pvc.ts';
import { objKey, splitKey } from './names.ts';
import type { ConfigMap, ControllerRevision, CronJob, Job, Secret } from './types.ts';
import type { LimitRange, ResourceQuota } from './kinds/quotaTypes.ts';
import type { PersistentVolumeClaim } from './types.ts';
import { QUEUE_HINT } from './types.ts';

import type { PriorityClass } from './kinds/priorityclass.ts';
import type { ActionResult, DaemonSet, Deployment, Endpoints, HorizontalPodAutoscaler, ImageProfile, Node, ObjectMeta, OwnerReference, Pod, PodCondition, PodDisruptionBudget, ReplicaSet, ReplicationController, Service, SimSeconds, SimState, StatefulSet } from './types.ts';

export { emit, isWarmStart, withWarmStart } from './emit.ts';
/** @deprecated import from ./controllers/etcd.ts (kept so existing imports keep working). */
export { reconcileEtcd } from './controllers/etcd.ts';

/** What every API write returns while etcd has no quorum or no leader (kubectl's text). */
export const ETCD_WRITE_ERROR = 'Error from server: etcdserver: request timed out';

/** The eviction subresource's refusal when a PodDisruptionBudget would be violated (HTTP 429). */
export const EVICTION_REFUSED = "Cannot evict pod as it would violate the pod's disruption budget.";

/**
 * True when the API server can write: etcd has quorum (floor(n/2)+1 healthy members) and a leader.
 * Source: E server/etcdserver/util.go; kubernetes-behaviour.md §6.
 */
export function apiWritable(state: SimState): boolean {
  const etcd = state.controlPlane.etcd;
  return etcd.hasQuorum && etcd.leader !== null && etcd.db?.alarm !== true;
}

/** What a refused write answers (kubectl's text) while the etcd NOSPACE alarm is raised (etcd mvcc ErrNoSpace). */
export const ETCD_NOSPACE_ERROR = 'Error from server: etcdserver: mvcc: database space exceeded';

/**
 * The error of a write refused by etcd: {@link ETCD_NOSPACE_ERROR} while the NOSPACE alarm is raised
 * (the cluster has quorum but accepts only reads and deletes of keys... which the API server's
 * deletes are not: they are writes too), else {@link ETCD_WRITE_ERROR}.
 */
export function apiWriteError(state: SimState): string {
  const etcd = state.controlPlane.etcd;
  return etcd.hasQuorum && etcd.leader !== null && etcd.db?.alarm === true ? ETCD_NOSPACE_ERROR : ETCD_WRITE_ERROR;
}

// ---------------------------------------------------------------------------------------------------
// Kinds the write path stores, and where
// ---------------------------------------------------------------------------------------------------

/** The object kinds stored by the sim's API server, with their TypeScript shapes. */
export interface StoredKinds {
  Pod: Pod;
  Node: Node;
  Deployment: Deployment;
  ReplicaSet: ReplicaSet;
  Service: Service;
  EndpointSlice: Endpoints;
  PodDisruptionBudget: PodDisruptionBudget;
  ReplicationController: ReplicationController;
  StatefulSet: StatefulSet;
  DaemonSet: DaemonSet;
  ResourceQuota: ResourceQuota;
  LimitRange: LimitRange;
  HorizontalPodAutoscaler: HorizontalPodAutoscaler;
  Job: Job;
  CronJob: CronJob;
  PersistentVolumeClaim: PersistentVolumeClaim;
  PriorityClass: PriorityClass;
  ConfigMap: ConfigMap;
  Secret: Secret;
  ControllerRevision: ControllerRevision;
}

/** A stored kind's name (`Pod`, `Node`...). */
export type StoredKind = keyof StoredKinds;

/**
 * (added, issue 6) Kinds the registry derives on read from other state instead of storing them
 * (Lease: ./kinds/lease.ts): nothing to write, but their observable changes are noted ({@link noteChange}).
 */
export type DerivedKind = 'Lease';

function defOf(kind: StoredKind): KindDef {
  const def = kindOf(kind);
  if (!def) throw new Error(`unknown kind ${kind}`);
  return def;
}

/** The storage map of a kind inside the state (its registered `store`). Keys: `namespace/name`; Nodes: the bare name. */
export function storeOf<K extends StoredKind>(state: SimState, kind: K): Record<string, StoredKinds[K]> {
  return defOf(kind).store(state) as unknown as Record<string, StoredKinds[K]>;
}

/** kubectl's resource name of a kind, as NotFound / AlreadyExists messages print it: `pods`, `deployments.apps`. */
function resourceName(kind: StoredKind): string {
  return qualifiedResource(defOf(kind));
}

/** The storage key of an object: `namespace/name`, or the bare name for cluster-scoped kinds (Node). */
export function keyOf(kind: StoredKind, meta: ObjectMeta): string {
  return objectKey(defOf(kind), meta);
}

// ---------------------------------------------------------------------------------------------------
// Results, write recording
// ---------------------------------------------------------------------------------------------------

/**
 * Outcome of a write: `ok`, or a refusal with the HTTP status the API server would answer (404 NotFound,
 * 409 AlreadyExists / Conflict, 429 TooManyRequests from an eviction gate, 503 no etcd quorum) and
 * kubectl's error text.
 */
export type WriteResult = { ok: true; key: string } | { ok: false; code: 403 | 404 | 409 | 429 | 503; error: string };

/** The verbs of the write path, as {@link recordWrites} lists them. */
export type WriteVerb = 'create' | 'update' | 'updateStatus' | 'delete' | 'evict' | 'bind' | 'remove';

/** One accepted write. `detail`: the Node of a bind, `force` of a forced delete. */
export interface Write {
  verb: WriteVerb;
  kind: StoredKind;
  key: string;
  detail?: string;
}

const recorders = new WeakMap<SimState, Write[][]>();

/**
 * Runs `fn` and returns every accepted write it made to `state`, in order (nested recordings each see
 * their own). The controller-test fake of kubernetes' `FakePodControl`, but over the real write path.
 * Refused writes are not listed.
 */
export function recordWrites(state: SimState, fn: () => void): Write[] {
  const out: Write[] = [];
  let stack = recorders.get(state);
  if (!stack) recorders.set(state, (stack = []));
  stack.push(out);
  try {
    fn();
  } finally {
    stack.pop();
  }
  return out;
}

function logWrite(state: SimState, verb: WriteVerb, kind: StoredKind, key: string, detail?: string): void {
  const stack = recorders.get(state);
  if (!stack || stack.length === 0) return;
  const w: Write = detail === undefined ? { verb, kind, key } : { verb, kind, key, detail };
  for (const list of stack) list.push(w);
}

const quiet = new WeakSet<SimState>();

/**
 * Runs `fn` without recording changes (createSim settling the cluster: thousands of intermediate
 * changes nobody can have seen); pair it with {@link recordStoredObjects} afterwards so the log still
 * starts complete. Writes, indexes and queues work as usual.
 */
export function withoutChangeLog<T>(state: SimState, fn: () => T): T {
  quiet.add(state);
  try {
    return fn();
  } finally {
    quiet.delete(state);
  }
}

function changed(state: SimState, kind: StoredKind | DerivedKind, key: string, type: 'ADDED' | 'MODIFIED' | 'DELETED'): void {
  if (!quiet.has(state)) recordChange(state, kind, key, type);
}

const notWritable = (state: SimState): WriteResult => ({ ok: false, code: 503, error: apiWriteError(state) });
const missing = (kind: StoredKind, key: string): WriteResult => ({ ok: false, code: 404, error: notFound(resourceName(kind), splitKey(key).name) });

// ---------------------------------------------------------------------------------------------------
// Workqueues (state.dirty)
// ---------------------------------------------------------------------------------------------------

/**
 * Queues an object for its controller (a workqueue add). `kind` is the `state.dirty` list; `key` is
 * the object key (`namespace/name`, or the node name). Duplicates are removed when the queue drains.
 * Marking a pod also queues its ReplicaSet and the Services selecting it once the queue is drained.
 * Writes queue for themselves; call this only for changes that are not API writes (a Node's machine
 * dying: `sim.kubeletUp`).
 */
export function markDirty(state: SimState, kind: keyof SimState['dirty'], key: string): void {
  const q = state.dirty[kind];
  if (q[q.length - 1] !== key) q.push(key);
  if (kind === 'nodes') traceNodeQueued(state, key);
  // A Service queued for another reason than a pod change (its spec, a test): its next sync rebuilds.
  if (kind === 'services') podWatchesOf(state).services.delete(key);
}

/**
 * Every Node queued with {@link markDirty} (whoever flips a Node's `sim.kubeletUp` queues it: incidents,
 * node actions, tests), in order, beside the state (never hashed): names `names[i]` has sequence number
 * `first + i`. Bounded: a reader further behind than what it holds is told to re-read every Node.
 */
interface NodeQueueTrace {
  first: number;
  names: string[];
}

/** Queueings kept; a reader further behind re-reads every Node. */
const NODE_TRACE_LIMIT = 4096;

const nodeQueueTraces = new WeakMap<SimState, NodeQueueTrace>();

function traceNodeQueued(state: SimState, name: string): void {
  let t = nodeQueueTraces.get(state);
  if (!t) nodeQueueTraces.set(state, (t = { first: 1, names: [] }));
  t.names.push(name);
  if (t.names.length > 2 * NODE_TRACE_LIMIT) {
    const drop = t.names.length - NODE_TRACE_LIMIT;
    t.names.splice(0, drop);
    t.first += drop;
  }
}

/**
 * The Nodes queued ({@link markDirty}) after `cursor` (0 = from the start of this state's trace), maybe
 * repeated, and the new cursor; `names` null when the trace no longer holds everything after `cursor`
 * (or `cursor` is from another state): the reader then re-reads every Node. O(1) plus the names returned.
 */
export function nodesQueuedSince(state: SimState, cursor: number): { cursor: number; names: readonly string[] | null } {
  const t = nodeQueueTraces.get(state);
  if (!t) return { cursor: 0, names: cursor === 0 ? [] : null };
  const last = t.first + t.names.length - 1;
  if (cursor < t.first - 1 || cursor > last) return { cursor: last, names: null };
  return { cursor: last, names: cursor === last ? [] : t.names.slice(cursor - t.first + 1) };
}

/** Queues `key` for its controller without touching its pod watch (the pod fan-out below). */
function queue(state: SimState, kind: keyof SimState['dirty'], key: string): void {
  const q = state.dirty[kind];
  if (q[q.length - 1] !== key) q.push(key);
}

// ---------------------------------------------------------------------------------------------------
// Pod watches: which pods changed since a controller last synced an owner (side memo, never hashed)
// ---------------------------------------------------------------------------------------------------

/**
 * Per watched ReplicaSet / Service: the keys of the pods the informer fan-out queued it for since its
 * controller last called {@link watchPods} (duplicates possible, unsorted), or absent = not watched.
 * Lives beside the state (like ./cache.ts): a cloned or restored state has no watches, so its
 * controllers sync from every pod once and watch from then on (same results, more work).
 */
interface PodWatches {
  replicaSets: Map<string, string[]>;
  services: Map<string, string[]>;
}

/** A watch that grew past this many entries is dropped (the next sync reads every pod). */
const POD_WATCH_LIMIT = 4096;

const podWatches = new WeakMap<SimState, PodWatches>();

function podWatchesOf(state: SimState): PodWatches {
  let w = podWatches.get(state);
  if (!w) podWatches.set(state, (w = { replicaSets: new Map(), services: new Map() }));
  return w;
}

function notePodFor(list: Map<string, string[]>, owner: string, podKey: string): void {
  const pending = list.get(owner);
  if (pending === undefined) return;
  if (pending.length >= POD_WATCH_LIMIT) list.delete(owner);
  else pending.push(podKey);
}

/**
 * Starts (or restarts, empty) the pod watch of a ReplicaSet or Service: a controller calls it right
 * after a sync that read every pod it needs (or applied every change {@link takePodChanges} gave it).
 * From then on every pod the informer fan-out ({@link propagatePodChanges}, a pod's removal) queues
 * the owner for is listed; a Service queued by anything else ({@link markDirty}: a spec write) loses
 * its watch.
 */
export function watchPods(state: SimState, kind: 'replicaSets' | 'services', key: string): void {
  podWatchesOf(state)[kind].set(key, []);
}

/**
 * The pod keys that changed for a watched owner since its last {@link watchPods} (unsorted, maybe
 * repeated), ending the watch; `null` when it is not watched (never synced here, dropped, or a fresh
 * state): the caller then reads every pod.
 */
export function takePodChanges(state: SimState, kind: 'replicaSets' | 'services', key: string): string[] | null {
  const list = podWatchesOf(state)[kind];
  const pending = list.get(key);
  if (pending === undefined) return null;
  list.delete(key);
  return pending;
}

/** Ends the pod watch of an owner (its controller could not use it). */
export function unwatchPods(state: SimState, kind: 'replicaSets' | 'services', key: string): void {
  podWatchesOf(state)[kind].delete(key);
}

/** Takes every queued key of `kind`, deduplicated and sorted (deterministic order), emptying the queue. */
export function drainDirty(state: SimState, kind: keyof SimState['dirty']): string[] {
  const q = state.dirty[kind];
  if (q.length === 0) return [];
  state.dirty[kind] = [];
  return [...new Set(q)].sort();
}

/**
 * Removes duplicates from a queue a stalled controller is not draining (etcd without quorum), so it stays
 * bounded by the number of distinct objects. Order of first appearance is kept.
 */
export function compactDirty(state: SimState, kind: keyof SimState['dirty']): void {
  const q = state.dirty[kind];
  if (q.length > 64) state.dirty[kind] = [...new Set(q)];
}

/**
 * Informer fan-out for changed pods: each queued pod marks its ReplicaSet and every Service selecting it.
 * Called by the controller loop before the ReplicaSet and EndpointSlice controllers run.
 */
export function propagatePodChanges(state: SimState): void {
  // Consecutive pods (sorted keys: siblings of one ReplicaSet) mostly carry the same labels: the
  // Services selecting them depend only on namespace + labels (the Services and their index do not
  // change while this runs: it only queues), so the previous pod's answer is reused when those match.
  let lastNs: string | undefined;
  let lastLabels: Record<string, string> | undefined;
  let lastServices: string[] = [];
  const watches = podWatchesOf(state);
  // Deduplicated but not sorted: nothing here depends on the order (the queues it fills are drained
  // sorted, the pod watches are unordered lists), and createSim queues 150,000 Pods at once.
  const q = state.dirty.pods;
  if (q.length === 0) return;
  state.dirty.pods = [];
  for (const key of new Set(q)) {
    const pod = state.pods[key];
    if (!pod) continue;
    const owner = podWorkqueueKey(pod);
    if (owner) {
      queue(state, 'replicaSets', owner);
      notePodFor(watches.replicaSets, owner, key);
    } else if (isOrphan(pod)) {
      // (issue 6) an orphan queues the ReplicaSets / ReplicationControllers selecting it, which adopt it
      // (K replica_set.go updatePod: getPodReplicaSets for a Pod without a controller reference).
      for (const rs of orphanAdopters(state, pod)) {
        queue(state, 'replicaSets', rs);
        notePodFor(watches.replicaSets, rs, key);
      }
    }
    const ns = pod.metadata.namespace;
    const labels = pod.metadata.labels;
    if (lastLabels === undefined || ns !== lastNs || !sameLabels(labels, lastLabels)) {
      lastServices = servicesForLabels(state, ns, labels);
      lastNs = ns;
      lastLabels = labels;
    }
    for (const svc of lastServices) {
      queue(state, 'services', svc);
      notePodFor(watches.services, svc, key);
    }
  }
}

/** Same key/value pairs (labels are plain string maps). */
function sameLabels(a: Record<string, string>, b: Record<string, string>): boolean {
  if (a === b) return true;
  let n = 0;
  for (const k in a) {
    if (a[k] !== b[k]) return false;
    n++;
  }
  for (const k in b) if (k in b) n--;
  return n === 0;
}

function touchPodOwners(state: SimState, key: string, pod: Pod): void {
  const watches = podWatchesOf(state);
  const owner = podWorkqueueKey(pod);
  if (owner) {
    queue(state, 'replicaSets', owner);
    notePodFor(watches.replicaSets, owner, key);
  }
  for (const svc of servicesForLabels(state, pod.metadata.namespace, pod.metadata.labels)) {
    queue(state, 'services', svc);
    notePodFor(watches.services, svc, key);
  }
}

/**
 * (added) A Node's spec changed (created, tainted, cordoned): every DaemonSet is queued, as the
 * DaemonSet controller's Node informer does for the sets whose `shouldRun` may change
 * (K pkg/controller/daemon/daemon_controller.go addNode / updateNode), in key order.
 */
function queueDaemonSets(state: SimState): void {
  if (!state.daemonSets) return;
  for (const k of Object.keys(state.daemonSets).sort()) markDirty(state, 'replicaSets', `DaemonSet:${k}`);
}

/** The queueing rule of the module doc for a write of `kind` (spec or status). */
function enqueue(state: SimState, kind: StoredKind, key: string, obj: StoredKinds[StoredKind], status: boolean): void {
  switch (kind) {
    case 'Pod':
      markDirty(state, 'pods', key);
      return;
    case 'ReplicaSet':
      if (!status) markDirty(state, 'replicaSets', key);
      else {
        const d = controllerKey(obj, 'Deployment');
        if (d) markDirty(state, 'deployments', d);
      }
      return;
    case 'Deployment':
      if (!status) markDirty(state, 'deployments', key);
      return;
    case 'Node':
      if (!status) {
        markDirty(state, 'nodes', key);
        queueDaemonSets(state);
      }
      return;
    case 'Service':
      if (!status) markDirty(state, 'services', key);
      return;
    case 'ReplicationController':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'Job':
    case 'CronJob':
      // Pod owners queued in the ReplicaSet workqueue under `Kind:key` (controllers/replicaset.ts).
      if (!status) markDirty(state, 'replicaSets', `${kind}:${key}`);
      return;
    case 'PersistentVolumeClaim':
      // (added) A new claim is a cluster event for the VolumeBinding plugin: Pods it rejected retry (QueueingHints).
      if (state.scheduler.unschedulable.length > 0) state.scheduler.moveMask = (state.scheduler.moveMask ?? 0) | QUEUE_HINT.VolumeBinding;
      return;
    case 'EndpointSlice':
    case 'PodDisruptionBudget':
    case 'ResourceQuota':
    case 'HorizontalPodAutoscaler':
    case 'ConfigMap':
    case 'Secret':
    case 'ControllerRevision':
      // (issue 6) the kubelet reads them when it (re)tries a Pod's containers and volumes: no queue
      return;
  }
}

// ---------------------------------------------------------------------------------------------------
// Metadata
// ---------------------------------------------------------------------------------------------------

/** A deterministic RFC 4122-shaped uid from the state's counter. */
export function newUid(state: SimState): string {
  return counterUid(state.counters.uid++);
}

/** Bumps an object's resourceVersion. Internal to the write path; kept exported for old callers. */
export function bumpResourceVersion(state: SimState, meta: ObjectMeta): void {
  meta.resourceVersion = ++state.counters.resourceVersion;
}

/**
 * Fresh ObjectMeta for an object about to be created with {@link createObject} (uid drawn now;
 * `resourceVersion` 0 until the create assigns it).
 */
export function newMeta(
  state: SimState,
  namespace: string,
  name: string,
  labels: Record<string, string>,
  annotations: Record<string, string>,
  ownerReferences: OwnerReference[],
): ObjectMeta {
  return {
    name,
    namespace,
    uid: newUid(state),
    labels,
    annotations,
    creationTimestamp: state.t,
    ownerReferences,
    generation: 1,
    resourceVersion: 0,
  };
}

// ---------------------------------------------------------------------------------------------------
// The writes
// ---------------------------------------------------------------------------------------------------

/** The kinds that are admission policies on create (their `admitCreate`), in registry order. */
const ADMISSION_POLICIES: readonly KindDef[] = KINDS.filter((k) => k.admitCreate !== undefined);
/** The mutating admission policies (their `admitMutate`: LimitRange defaults), run before {@link ADMISSION_POLICIES}. */
const MUTATING_POLICIES: readonly KindDef[] = KINDS.filter((k) => k.admitMutate !== undefined);

/**
 * Creates `obj` (built by the caller, e.g. with {@link newMeta}): applies its kind's defaulting
 * (shared/sim/kinds), assigns its resourceVersion (unless it
 * already carries one), stores it, indexes it, queues it (a Pod without a node also enters the
 * scheduler's activeQ) and records `ADDED`. Refused without quorum (503) or when the key exists (409),
 * or by an admission policy kind (ResourceQuota: 403 `pods "x" is forbidden: exceeded quota: ...`).
 * `knownKey`: the object's key when the caller has built it already (it must equal `keyOf(kind,
 * obj.metadata)`; the ReplicaSet controller's, whose name check built it): one string and one hash less per Pod.
 */
export function createObject<K extends StoredKind>(state: SimState, kind: K, obj: StoredKinds[K], knownKey?: string): WriteResult {
  if (!apiWritable(state)) return notWritable(state);
  const def = defOf(kind);
  const store = (def.ensureStore ?? def.store)(state) as Record<string, StoredKinds[K]>;
  const key = knownKey ?? keyOf(kind, obj.metadata);
  // Object.hasOwn first: for a new key (a miss) it costs about half a keyed load (stores are null-prototype maps).
  if (Object.hasOwn(store, key) && store[key]) return { ok: false, code: 409, error: `Error from server (AlreadyExists): ${resourceName(kind)} "${obj.metadata.name}" already exists` };
  for (const policy of MUTATING_POLICIES) policy.admitMutate!(state, kind, obj);
  for (const policy of ADMISSION_POLICIES) {
    const refused = policy.admitCreate!(state, kind, obj);
    if (refused !== undefined) return { ok: false, code: 403, error: refused };
  }
  defOf(kind).defaults?.(obj);
  if (obj.metadata.resourceVersion === 0) obj.metadata.resourceVersion = ++state.counters.resourceVersion;
  store[key] = obj;
  switch (kind) {
    case 'Pod': {
      const pod = obj as Pod;
      indexAddPod(state, key, pod);
      if (!pod.spec.nodeName) state.scheduler.activeQ.push(key);
      else if (pod.status.phase === 'Pending' && pod.status.startTime === undefined) createdBound(state, key, pod, pod.spec.nodeName);
      break;
    }
    case 'ReplicaSet': indexAddReplicaSet(state, key, obj as ReplicaSet); break;
    case 'Service': indexAddService(state, key, obj as Service); break;
    case 'Node': indexNodesChanged(state); break;
    default: break;
  }
  enqueue(state, kind, key, obj, false);
  changed(state, kind, key, 'ADDED');
  logWrite(state, 'create', kind, key);
  return { ok: true, key };
}

/**
 * (issue 6) A Pod created with `spec.nodeName` (the manifest's, never the scheduler's): it never enters
 * the scheduler's queue. The scheduler cache counts it on that Node at once (its requests join the
 * Node's sums, Node `MODIFIED`), and it waits in `state.kubeletAdmitQueue` for the Node's kubelet to admit
 * it (controllers/kubeletAdmit.ts). A name no Node has: nothing counts it and no kubelet admits it
 * (Pending) until PodGC deletes it (`state.podGcOrphans`, controllers/podgc.ts). Mirror Pods of static
 * Pods are created Running: not here.
 */
function createdBound(state: SimState, key: string, pod: Pod, nodeName: string): void {
  const node = state.nodes[nodeName];
  if (node === undefined) {
    // PodGC's orphan rule deletes it after the quarantine (controllers/podgc.ts): first pass at the next multiple of 20 s.
    (state.podGcOrphans ??= []).push({ key, firstPass: Math.ceil(state.t / 20) * 20 });
    return;
  }
  node.sim.cpuRequestedMilli += pod.sim.cpuRequestMilli;
  node.sim.memRequestedMiB += pod.sim.memRequestMiB;
  node.sim.podCount += 1;
  changed(state, 'Node', nodeName, 'MODIFIED');
  (state.kubeletAdmitQueue ??= []).push(key);
}

/** The `status.message` prefix of a Pod its kubelet refused (kubelet.go rejectPod). */
export const POD_REJECTED_PREFIX = 'Pod was rejected: ';

/** True for a Pod its kubelet refused at admission: Failed before it ever started; it no longer counts on its Node. */
export function admissionRejected(pod: Pod): boolean {
  return pod.status.phase === 'Failed' && pod.status.startTime === undefined && pod.status.message?.startsWith(POD_REJECTED_PREFIX) === true;
}

/**
 * (issue 6) The kubelet admitted a Pod created with `spec.nodeName` (controllers/kubeletAdmit.ts): from
 * now it holds its host ports on the Node (the cache's host-port index). Call before its status write.
 */
export function podAdmitted(state: SimState, key: string, pod: Pod): void {
  indexHoldHostPorts(state, key, pod);
}

/**
 * (issue 6) The kubelet refused a Pod created with `spec.nodeName`: status `Failed` with `reason` and
 * `Pod was rejected: <message>` (kubelet.go rejectPod; no conditions, no start time), its requests
 * leave the Node's sums (Node `MODIFIED`; {@link removePod} then leaves them alone), Pod `MODIFIED`.
 */
export function podRejected(state: SimState, key: string, pod: Pod, reason: string, message: string): void {
  const node = pod.spec.nodeName ? state.nodes[pod.spec.nodeName] : undefined;
  pod.status = { ...pod.status, phase: 'Failed', reason, message: `${POD_REJECTED_PREFIX}${message}` };
  pod.sim.ready = false;
  if (node) {
    node.sim.cpuRequestedMilli -= pod.sim.cpuRequestMilli;
    node.sim.memRequestedMiB -= pod.sim.memRequestMiB;
    node.sim.podCount -= 1;
    // An assigned Pod's deletion: retries the parked Pods its plugins rejected (QueueingHints).
    if (state.scheduler.unschedulable.length > 0) state.scheduler.moveMask = (state.scheduler.moveMask ?? 0) | QUEUE_HINT.PodDeleted;
    changed(state, 'Node', node.metadata.name, 'MODIFIED');
  }
  updateStatus(state, 'Pod', key);
}

/** Options of {@link updateObject}. */
export interface UpdateOptions {
  /** A spec change: bump `metadata.generation` too (Deployments, ReplicaSets). */
  generation?: boolean;
  /** Override the queueing rule (see the module doc). */
  enqueue?: boolean;
}

/**
 * A validated spec/metadata write: checks quorum (503) and existence (404) first, then runs `mutate`
 * on the stored object, bumps resourceVersion (and generation when asked), queues per the rule of the
 * module doc and records `MODIFIED`. `mutate` returning `false` means "nothing changed": no bump, no
 * record (the write still succeeds, like an update that changes nothing).
 */
export function updateObject<K extends StoredKind>(
  state: SimState,
  kind: K,
  key: string,
  mutate: (obj: StoredKinds[K]) => void | boolean,
  opts: UpdateOptions = {},
): WriteResult {
  if (!apiWritable(state)) return notWritable(state);
  const obj = storeOf(state, kind)[key];
  if (!obj) return missing(kind, key);
  if (mutate(obj) === false) return { ok: true, key };
  if (opts.generation) obj.metadata.generation += 1;
  obj.metadata.resourceVersion = ++state.counters.resourceVersion;
  if (opts.enqueue ?? true) enqueue(state, kind, key, obj, false);
  changed(state, kind, key, 'MODIFIED');
  logWrite(state, 'update', kind, key);
  return { ok: true, key };
}

/**
 * A status write (the `/status` subresource) the writer already applied in place: bumps
 * resourceVersion, queues per the rule (`opts.enqueue` overrides: a Pod status write queues the Pod
 * unless `false`), records `MODIFIED`. No quorum check (see the module doc); 404 for a missing object.
 */
export function updateStatus(state: SimState, kind: StoredKind, key: string, opts: { enqueue?: boolean } = {}): WriteResult {
  const obj = storeOf(state, kind)[key];
  if (!obj) return missing(kind, key);
  obj.metadata.resourceVersion = ++state.counters.resourceVersion;
  if (opts.enqueue ?? true) enqueue(state, kind, key, obj, true);
  changed(state, kind, key, 'MODIFIED');
  logWrite(state, 'updateStatus', kind, key);
  return { ok: true, key };
}

/**
 * Releases a Pod from its controller: removes its controller ownerReference of `ownerKind` (a patch of
 * `metadata.ownerReferences`, resourceVersion bumped, `MODIFIED` recorded) and re-indexes it, so it no
 * longer counts for that owner and keeps running as an orphan. Used by the ReplicaSet controller for
 * an active Pod whose labels no longer match the selector (`kubectl label pod web-x app=debug
 * --overwrite`, the way to take a Pod out of a Deployment to debug it). Returns the write result; `false`
 * mutations (no such reference) write nothing. Source: K pkg/controller/controller_ref_manager.go
 * (PodControllerRefManager.ClaimPods / ReleasePod), K pkg/controller/replicaset/replica_set.go claimPods.
 */
export function releasePod(state: SimState, key: string, ownerKind: string): WriteResult {
  return updateObject(state, 'Pod', key, (pod) => {
    const refs = pod.metadata.ownerReferences.filter((r) => !(r.controller && r.kind === ownerKind));
    if (refs.length === pod.metadata.ownerReferences.length) return false;
    indexRemovePod(state, key, pod);
    pod.metadata.ownerReferences = refs;
    indexAddPod(state, key, pod);
    return true;
  });
}

/**
 * (issue 6) True for an active Pod (not terminating, not finished) without any controller reference:
 * one a ReplicaSet may adopt (K controller_ref_manager.go ClaimObject: orphans being deleted are ignored;
 * the ReplicaSet claims only active Pods).
 */
export function isOrphan(pod: Pod): boolean {
  if (pod.metadata.deletionTimestamp !== undefined || pod.status.phase === 'Succeeded' || pod.status.phase === 'Failed') return false;
  for (const r of pod.metadata.ownerReferences) if (r.controller) return false;
  return true;
}

/**
 * The workqueue keys of the ReplicaSets (`ns/name`) and ReplicationControllers (`ReplicationController:ns/name`)
 * of the orphan's namespace whose selector matches its labels, not being deleted. O(ReplicaSets +
 * ReplicationControllers), only for orphans (Pods players created or released).
 */
function orphanAdopters(state: SimState, pod: Pod): string[] {
  const ns = pod.metadata.namespace;
  const labels = pod.metadata.labels;
  const out: string[] = [];
  for (const [key, rs] of Object.entries(state.replicaSets)) {
    const sel = rs.spec.selector.matchLabels;
    if (rs.metadata.namespace === ns && rs.metadata.deletionTimestamp === undefined && selectorMatches(sel, labels)) out.push(key);
  }
  for (const [key, rc] of Object.entries(state.replicationControllers ?? {})) {
    const sel = rc.spec.selector;
    if (rc.metadata.namespace === ns && rc.metadata.deletionTimestamp === undefined && selectorMatches(sel, labels)) out.push(`ReplicationController:${key}`);
  }
  return out;
}

/**
 * (issue 6) Adopts the orphan Pod `key` for `owner`: adds a controller owner reference (`controller`
 * true; K controller_ref_manager.go AdoptPod's patch, blockOwnerDeletion not modelled) unless the Pod
 * has a controller already. Source: K pkg/controller/controller_ref_manager.go ClaimPods.
 */
export function adoptPod(state: SimState, key: string, owner: OwnerReference): WriteResult {
  return updateObject(state, 'Pod', key, (pod) => {
    if (!isOrphan(pod)) return false;
    indexRemovePod(state, key, pod);
    pod.metadata.ownerReferences = [...pod.metadata.ownerReferences, { ...owner, controller: true }];
    indexAddPod(state, key, pod);
    return true;
  });
}

/**
 * Records an observable change that is not an API write and bumps no resourceVersion: a Pod's
 * working-set memory (the kubelet's metrics), its cached readiness, Node request sums (CONTRACT of
 * ./changelog.ts), a derived Lease's renewal after an outage or new holder. O(1).
 */
export function noteChange(state: SimState, kind: StoredKind | DerivedKind, key: string): void {
  changed(state, kind, key, 'MODIFIED');
}

/** Options of {@link deletePod}: `kubectl delete pod [--grace-period=N] [--force]`. */
export interface DeleteOptions {
  /** Remove at once, without waiting for the kubelet (`--grace-period=0 --force`). */
  force?: boolean;
  /** Overrides `spec.terminationGracePeriodSeconds`, seconds. */
  gracePeriodSeconds?: number;
}

/** A successful {@link deletePod} / {@link evictPod}: the sim second the pod is expected to be gone. */
export type DeleteResult = { ok: true; key: string; goneAt: SimSeconds } | Extract<WriteResult, { ok: false }>;

/**
 * What the kubelet does when a pod it runs starts terminating (registered by controllers/kubelet.ts):
 * stops the containers and schedules the final removal. Returns the sim second the pod will be gone.
 */
export type PodTerminationHandler = (state: SimState, key: string, pod: Pod, graceSeconds: number) => SimSeconds;

let terminationHandler: PodTerminationHandler | null = null;

/**
 * Registers the kubelet's reaction to a graceful deletion (the watch event the real kubelet gets).
 * Called once by controllers/kubelet.ts when it is loaded (createSim loads it, so every state has it).
 */
export function registerPodTerminationHandler(handler: PodTerminationHandler): void {
  terminationHandler = handler;
}

/**
 * Deletes a Pod (`DELETE /api/v1/namespaces/NS/pods/NAME`). Graceful by default: sets
 * `deletionTimestamp` = now + grace and `deletionGracePeriodSeconds`, the pod leaves endpoints at once
 * (`sim.ready` false), records `MODIFIED`, and the kubelet finishes the deletion ({@link removePod}
 * after the app exited). `force` or an unbound pod: removed at once (`DELETED`). A pod already
 * terminating is left alone (its expected end is returned). Refused without quorum (503) or when
 * missing (404).
 */
export function deletePod(state: SimState, key: string, opts: DeleteOptions = {}): DeleteResult {
  return deletePodAs(state, key, opts, 'delete');
}

function deletePodAs(state: SimState, key: string, opts: DeleteOptions, verb: 'delete' | 'evict'): DeleteResult {
  if (!apiWritable(state)) return { ok: false, code: 503, error: apiWriteError(state) };
  const pod = state.pods[key];
  if (!pod) return { ok: false, code: 404, error: notFound('pods', splitKey(key).name) };
  if (opts.force || !pod.spec.nodeName) {
    removeStoredPod(state, key, pod);
    logWrite(state, verb, 'Pod', key, opts.force ? 'force' : undefined);
    return { ok: true, key, goneAt: state.t };
  }
  if (pod.metadata.deletionTimestamp !== undefined) return { ok: true, key, goneAt: pod.sim.nextTransitionAt ?? state.t };
  const grace = opts.gracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds;
  pod.metadata.deletionTimestamp = state.t + grace;
  pod.metadata.deletionGracePeriodSeconds = grace;
  pod.metadata.resourceVersion = ++state.counters.resourceVersion;
  pod.sim.ready = false;
  markDirty(state, 'pods', key);
  changed(state, 'Pod', key, 'MODIFIED');
  logWrite(state, verb, 'Pod', key);
  const goneAt = terminationHandler ? terminationHandler(state, key, pod, grace) : state.t + grace;
  return { ok: true, key, goneAt };
}

/**
 * Decides whether an eviction may proceed (a PodDisruptionBudget is one): `allows` answers false to
 * refuse with 429 {@link EVICTION_REFUSED}; `admit` runs once every gate allowed it, before the pod is
 * deleted (a PDB lowers its `status.disruptionsAllowed` there). Pure functions of the state.
 */
export interface EvictionGate {
  allows(state: SimState, key: string, pod: Pod): boolean;
  admit?(state: SimState, key: string, pod: Pod): void;
}

const evictionGates: EvictionGate[] = [];

/**
 * Adds an eviction gate (the PodDisruptionBudget kind registers one). Gates run in registration order.
 * Returns a function removing it again.
 */
export function registerEvictionGate(gate: EvictionGate): () => void {
  evictionGates.push(gate);
  return () => {
    const i = evictionGates.indexOf(gate);
    if (i >= 0) evictionGates.splice(i, 1);
  };
}

/**
 * Whether {@link evictPod} would let `pod` (key `key`) go now: every kind that gates evictions (the
 * PodDisruptionBudget kind) and every registered {@link EvictionGate} allow it. Read only (no `admit`),
 * so an adapter can answer a refused eviction with 429 {@link EVICTION_REFUSED} without writing.
 */
export function evictionAllowed(state: SimState, key: string, pod: Pod): boolean {
  for (const def of KINDS) if (def.allowsEviction && !def.allowsEviction(state, key, pod)) return false;
  for (const gate of evictionGates) if (!gate.allows(state, key, pod)) return false;
  return true;
}

/**
 * The Eviction subresource (`POST .../pods/NAME/eviction`, policy/v1): asks every kind that gates
 * evictions (the PodDisruptionBudget kind, shared/sim/kinds) and every registered {@link EvictionGate}; a refusal answers 429 {@link EVICTION_REFUSED} and changes nothing; else the pod
 * is deleted gracefully like {@link deletePod}. A pod already terminating is accepted as is (200, as
 * the API server does for pods with a deletionTimestamp). Refused without quorum (503), 404 when missing.
 */
export function evictPod(state: SimState, key: string, opts: { gracePeriodSeconds?: number } = {}): DeleteResult {
  if (!apiWritable(state)) return { ok: false, code: 503, error: apiWriteError(state) };
  const pod = state.pods[key];
  if (!pod) return { ok: false, code: 404, error: notFound('pods', splitKey(key).name) };
  if (pod.metadata.deletionTimestamp === undefined) {
    if (!evictionAllowed(state, key, pod)) return { ok: false, code: 429, error: EVICTION_REFUSED };
    for (const gate of evictionGates) gate.admit?.(state, key, pod);
  }
  return deletePodAs(state, key, opts, 'evict');
}

/**
 * The scheduler's Binding (`POST .../pods/NAME/binding`): sets `spec.nodeName`, clears the scheduling
 * failure message, sets `PodScheduled=True`, adds the pod's requests (millicores, MiB, one pod) to the
 * Node's sums, indexes the pod under the node, bumps the Pod's resourceVersion, queues it, and records
 * Pod and Node `MODIFIED`. 409 when already bound, 404 for a missing Pod or Node, 503 without quorum.
 */
export function bindPod(state: SimState, key: string, nodeName: string): WriteResult {
  if (!apiWritable(state)) return notWritable(state);
  const pod = state.pods[key];
  if (!pod) return missing('Pod', key);
  const node = state.nodes[nodeName];
  if (!node) return missing('Node', nodeName);
  if (pod.spec.nodeName) return { ok: false, code: 409, error: `Operation cannot be fulfilled on pods/binding "${pod.metadata.name}": pod ${pod.metadata.name} is already assigned to node "${pod.spec.nodeName}"` };
  pod.spec.nodeName = nodeName;
  if (pod.status.message !== undefined) delete pod.status.message;
  setScheduledTrue(pod, state.t);
  node.sim.cpuRequestedMilli += pod.sim.cpuRequestMilli;
  node.sim.memRequestedMiB += pod.sim.memRequestMiB;
  node.sim.podCount += 1;
  indexBindPod(state, key, nodeName, pod);
  // (issue 6) QueueingHints: an assigned Pod's creation is an event for InterPodAffinity and PodTopologySpread.
  if (state.scheduler.unschedulable.length > 0) state.scheduler.moveMask = (state.scheduler.moveMask ?? 0) | QUEUE_HINT.PodAssigned;
  pod.metadata.resourceVersion = ++state.counters.resourceVersion;
  markDirty(state, 'pods', key);
  changed(state, 'Pod', key, 'MODIFIED');
  changed(state, 'Node', nodeName, 'MODIFIED');
  logWrite(state, 'bind', 'Pod', key, nodeName);
  return { ok: true, key };
}

/** `PodScheduled=True` at sim second 0 (createSim's warm start binds every Pod then): one frozen object for all. */
const SCHEDULED_AT_ZERO: PodCondition = Object.freeze({ type: 'PodScheduled', status: 'True', lastTransitionTime: 0 });

/**
 * `PodScheduled=True` at `now` (podutil's setCondition, inlined: podutil imports this module). Copy on
 * write, like setCondition: conditions are shared and frozen where they can be, never changed in
 * place; fields in the order type, status, lastTransitionTime; an exact-size array when one is added.
 */
function setScheduledTrue(pod: Pod, now: SimSeconds): void {
  const conds = pod.status.conditions;
  let i = 0;
  while (i < conds.length && conds[i]!.type !== 'PodScheduled') i++;
  const c = conds[i];
  if (c) {
    const time = c.status !== 'True' ? now : c.lastTransitionTime;
    if (c.status === 'True' && !('reason' in c) && !('message' in c)) return; // the scheduler's FitError text goes too
    const next = (pod.status.conditions = conds.slice()); // a new list: lists are shared between Pods (podutil's setCondition)
    next[i] = time === 0 ? SCHEDULED_AT_ZERO : { type: 'PodScheduled', status: 'True', lastTransitionTime: time };
    return;
  }
  pod.status.conditions = conds.concat(now === 0 ? SCHEDULED_AT_ZERO : { type: 'PodScheduled', status: 'True', lastTransitionTime: now });
}

/**
 * Removes a pod object for good (the kubelet's final delete at the end of graceful termination; a force
 * delete goes through {@link deletePod}): frees its requests on the node (Node `MODIFIED`), updates the
 * indexes, queues its ReplicaSet, Services and Deployment, asks the scheduler to retry unschedulable pods
 * since room was freed, and records Pod `DELETED`. No-op for a missing pod. No quorum check: callers
 * (the kubelet) check {@link apiWritable} and retry.
 */
export function removePod(state: SimState, key: string): void {
  const pod = state.pods[key];
  if (!pod) return;
  removeStoredPod(state, key, pod);
  logWrite(state, 'remove', 'Pod', key);
}

function removeStoredPod(state: SimState, key: string, pod: Pod): void {
  indexRemovePod(state, key, pod);
  const node = pod.spec.nodeName && !admissionRejected(pod) ? state.nodes[pod.spec.nodeName] : undefined;
  if (node) {
    node.sim.cpuRequestedMilli -= pod.sim.cpuRequestMilli;
    node.sim.memRequestedMiB -= pod.sim.memRequestMiB;
    node.sim.podCount -= 1;
    // An assigned Pod's deletion: retries the parked Pods its plugins rejected (QueueingHints).
    if (state.scheduler.unschedulable.length > 0) state.scheduler.moveMask = (state.scheduler.moveMask ?? 0) | QUEUE_HINT.PodDeleted;
    changed(state, 'Node', node.metadata.name, 'MODIFIED');
  }
  delete state.pods[key];
  releaseProtectedClaims(state, pod);
  touchPodOwners(state, key, pod);
  // The Deployment waits for old pods to be gone (Recreate, history cleanup): tell it.
  const rs = state.replicaSets[controllerKey(pod, 'ReplicaSet')];
  const d = rs ? controllerKey(rs, 'Deployment') : '';
  if (d) markDirty(state, 'deployments', d);
  changed(state, 'Pod', key, 'DELETED');
}

/**
 * (issue 6) The pvc-protection controller's half once a Pod is gone (K pkg/controller/volume/pvcprotection
 * processPVC): each Terminating claim `pod` named that no other scheduled Pod uses loses its
 * `kubernetes.io/pvc-protection` finalizer and is deleted (`DELETED`). Cost: the Pod's claim volumes.
 */
function releaseProtectedClaims(state: SimState, pod: Pod): void {
  const store = state.persistentVolumeClaims;
  if (!store || !pod.spec.volumes) return;
  const ns = pod.metadata.namespace;
  for (const v of pod.spec.volumes) {
    const name = v.persistentVolumeClaim?.claimName;
    if (name === undefined) continue;
    const key = `${ns}/${name}`;
    const claim = Object.hasOwn(store, key) ? store[key] : undefined;
    if (!claim || claim.metadata.deletionTimestamp === undefined || claimInUse(state, ns, name)) continue;
    delete store[key];
    changed(state, 'PersistentVolumeClaim', key, 'DELETED');
    logWrite(state, 'remove', 'PersistentVolumeClaim', key);
  }
}

/**
 * Removes a non-Pod object from storage (a ReplicaSet beyond `revisionHistoryLimit`, an EndpointSlice
 * of a deleted Service...): forgets it in the indexes and records `DELETED`. Pods use {@link deletePod}
 * / {@link removePod}. 503 without quorum, 404 when missing.
 */
export function removeObject(state: SimState, kind: Exclude<StoredKind, 'Pod'>, key: string): WriteResult {
  if (!apiWritable(state)) return notWritable(state);
  const def = defOf(kind);
  // A kind whose `store` is derived on read (PriorityClass: the built-ins beside the stored ones) is
  // deleted from its state map.
  const store = (def.ensureStore !== undefined && Object.hasOwn(def.store(state), key) ? def.ensureStore(state) : def.store(state)) as Record<string, StoredKinds[typeof kind]>;
  const obj = store[key];
  if (!obj) return missing(kind, key);
  // (issue 6) PVC protection: a claim a scheduled Pod uses stays, Terminating, until no Pod uses it
  // ({@link releaseProtectedClaims} when the last such Pod goes).
  if (kind === 'PersistentVolumeClaim' && claimInUse(state, obj.metadata.namespace, obj.metadata.name)) {
    if (obj.metadata.deletionTimestamp === undefined) {
      obj.metadata.deletionTimestamp = state.t;
      if (!(obj.metadata.finalizers ?? []).includes(PVC_PROTECTION_FINALIZER)) obj.metadata.finalizers = [...(obj.metadata.finalizers ?? []), PVC_PROTECTION_FINALIZER];
      changed(state, kind, key, 'MODIFIED');
      logWrite(state, 'update', kind, key);
    }
    return { ok: true, key };
  }
  if (kind === 'ReplicaSet') indexRemoveReplicaSet(state, key, obj as ReplicaSet);
  if (kind === 'Service') indexRemoveService(state, key, obj as Service);
  delete store[key];
  if (kind === 'Node') indexNodesChanged(state);
  changed(state, kind, key, 'DELETED');
  logWrite(state, 'remove', kind, key);
  return { ok: true, key };
}

/**
 * Records `ADDED` for every object stored, kind by kind in registry order, keys sorted: createSim calls
 * it once at the end (its own objects are put in the state directly and the settling runs
 * {@link withoutChangeLog}), so the change log starts complete and a consumer at cursor 0 sees every
 * object exactly once.
 */
export function recordStoredObjects(state: SimState): void {
  for (const def of KINDS) {
    // Pods: the sorted keys from the label-set index (cache.ts sortedPodKeys; the same list, without listing 150,000 keys of a dictionary object).
    const keys = def.kind === 'Pod' ? sortedPodKeys(state) : Object.keys(def.store(state)).sort();
    for (const key of keys) recordChange(state, def.kind, key, 'ADDED');
  }
}


// ---------------------------------------------------------------------------------------------------
// Compatibility wrappers and shared mutations
// ---------------------------------------------------------------------------------------------------

/**
 * Inserts a pod (already built) into the state through {@link createObject} and returns its key.
 * @throws Error when the create is refused (no quorum, name taken): callers check quorum first.
 */
export function addPod(state: SimState, pod: Pod): string {
  const r = createObject(state, 'Pod', pod);
  if (!r.ok) throw new Error(r.error);
  return r.key;
}

/** Finds a Deployment by key or bare name (namespace default). */
export function findDeployment(state: SimState, nameOrKey: string): { key: string; deployment: Deployment } | undefined {
  const { namespace, name } = splitKey(nameOrKey);
  const key = objKey(namespace, name);
  const deployment = state.deployments[key];
  return deployment ? { key, deployment } : undefined;
}

/** kubectl's NotFound text for a resource (`deployments.apps`, `pods`, `nodes`...). */
export function notFound(resource: string, name: string): string {
  return `Error from server (NotFound): ${resource} "${name}" not found`;
}

/** Makes sure `state.images[image]` exists (a copy of the default profile for an unknown image). */
export function ensureImageProfile(state: SimState, image: string): ImageProfile {
  let p = state.images[image];
  if (!p) state.images[image] = p = { ...state.defaultImageProfile };
  return p;
}

/**
 * Commits a Deployment spec change the caller made in place (an API update): bumps generation and
 * resourceVersion, queues the Deployment and records `MODIFIED`; the deployment controller then rolls
 * out. Prefer {@link updateObject} with `{generation: true}`. No quorum check (the caller checked).
 */
export function writeDeploymentTemplate(state: SimState, key: string, d: Deployment): void {
  d.metadata.generation += 1;
  d.metadata.resourceVersion = ++state.counters.resourceVersion;
  markDirty(state, 'deployments', key);
  changed(state, 'Deployment', key, 'MODIFIED');
  logWrite(state, 'update', 'Deployment', key);
}

/**
 * The path of `kubectl set image deployment/NAME CONTAINER=IMAGE`: changes the image of `container`
 * (default: the first container) in the Deployment's template; the rollout follows through the
 * deployment controller, whose `ScalingReplicaSet` events are what `kubectl get events` shows (the
 * API server records no event of its own for an update). `_source` names who did it (`player:alice`,
 * `incident:bad-rollout`; kept for callers, unused). Fails (no change) on an unknown Deployment or container, or without etcd
 * quorum. `completesAt` is now: the write is immediate, the rollout is not.
 */
export function setDeploymentImage(state: SimState, deployment: string, image: string, _source: string, container?: string): ActionResult {
  const found = findDeployment(state, deployment);
  if (!found) return { ok: false, error: notFound('deployments.apps', splitKey(deployment).name) };
  if (!apiWritable(state)) return { ok: false, error: apiWriteError(state) };
  const d = found.deployment;
  const containers = d.spec.template.spec.containers;
  const c = container === undefined ? containers[0] : containers.find((x) => x.name === container);
  if (!c) return { ok: false, error: `error: unable to find container named "${container ?? ''}"` };
  const name = d.metadata.name;
  ensureImageProfile(state, image);
  if (c.image === image) return { ok: true, message: `deployment.apps/${name} image unchanged`, completesAt: state.t };
  const r = updateObject(state, 'Deployment', found.key, () => {
    setContainerImage(c, image); // (issue 6) the stored pull policy kept
  }, { generation: true });
  if (!r.ok) return { ok: false, error: r.error };
  return { ok: true, message: `deployment.apps/${name} image updated`, completesAt: state.t };
}

/** Kinds {@link updateMetadata} writes (the `label` / `annotate` actions). */
export type MetadataWriteKind = 'Pod' | 'Node' | 'Deployment' | 'Service';

/**
 * A metadata write (`kubectl label` / `annotate`: a merge patch of `metadata.labels` or
 * `metadata.annotations`): sets each `change.key` to `change.value`, or removes it when the value is
 * `null`; the caller validated keys and values. Through {@link updateObject} (503 without quorum, 404,
 * resourceVersion bump, `MODIFIED`; no generation bump: metadata is not spec). A changed Pod label set
 * is re-indexed (new label object: pods of one ReplicaSet may share a frozen one) and the Services that
 * selected the Pod before are queued too, so the EndpointSlice controller drops it from them (the
 * relabelled Pod's new Services and its ReplicaSet are queued by the Pod fan-out,
 * {@link propagatePodChanges}); Node labels re-index the nodes (nodeSelector, affinity). Nothing
 * changed: no write. Source: K staging/src/k8s.io/apimachinery/pkg/util/strategicpatch (maps merge),
 * kubectl label/annotate.
 */
export function updateMetadata(state: SimState, kind: MetadataWriteKind, key: string, field: 'labels' | 'annotations', changes: readonly { key: string; value: string | null }[]): WriteResult {
  return updateObject(state, kind, key, (obj) => {
    const cur: Record<string, string> = obj.metadata[field] ?? {};
    const next: Record<string, string> = { ...cur };
    let changed = false;
    for (const c of changes) {
      if (c.value === null) {
        if (Object.hasOwn(next, c.key)) {
          delete next[c.key];
          changed = true;
        }
      } else if (!Object.hasOwn(next, c.key) || next[c.key] !== c.value) {
        next[c.key] = c.value;
        changed = true;
      }
    }
    if (!changed) return false;
    if (kind === 'Pod' && field === 'labels') {
      const pod = obj as Pod;
      for (const svc of servicesForLabels(state, pod.metadata.namespace, pod.metadata.labels)) markDirty(state, 'services', svc);
      indexRemovePod(state, key, pod);
      pod.metadata.labels = next;
      indexAddPod(state, key, pod);
    } else {
      obj.metadata[field] = next;
      if (kind === 'Node' && field === 'labels') {
        indexNodesChanged(state);
        if (state.scheduler.unschedulable.length > 0) state.scheduler.moveRequested = true;
      }
    }
    return true;
  });
}
