/**
 * The ReplicaSet controller: keeps `spec.replicas` active pods per ReplicaSet (creating from the template,
 * or deleting the pods ranked first by ActivePodsWithRanks) and writes `status` (replicas, ready,
 * available), queueing the owning Deployment when the status changed.
 *
 * Source: K pkg/controller/replicaset/replica_set.go (burstReplicas 500, events `SuccessfulCreate`
 * "Created pod: x" / `SuccessfulDelete` "Deleted pod: x"), K pkg/controller/controller_utils.go
 * ActivePodsWithRanks (kubernetes-behaviour.md §4). Only queued ReplicaSets are synced.
 * The same sync manages v1 ReplicationControllers (queued as `ReplicationController:ns/name`), as the
 * replication manager wraps the ReplicaSet controller (K pkg/controller/replication); other pod owners
 * (StatefulSet, DaemonSet) share the workqueue through {@link registerOwnerSync}.
 */
import { apiWritable, compactDirty, createObject, deletePod, drainDirty, markDirty, newMeta, releasePod, takePodChanges, unwatchPods, updateStatus as writeStatus, watchPods } from '../apiserver.ts';
import { emit, isWarmStart } from '../emit.ts';
import { hasRecentEvent } from '../events.ts';
import { getIndex, selectorMatches } from '../cache.ts';
import { randomSuffix } from '../names.ts';
import { cloneJson, isActive } from '../podutil.ts';
import { parseCpuMillicores, parseMemoryMiB } from '../../manifests/quantity.ts';
import { scheduleTimer, type TimerKind } from '../timers.ts';
import { adoptOrphans } from './replicasetAdoption.ts';
import type { OwnerReference, Pod, PodSpec, PodTemplateSpec, ReplicaSet, ReplicationController, SimState, Timer } from '../types.ts';

/** Max pods created or deleted per ReplicaSet sync (replica_set.go BurstReplicas). */
export const BURST_REPLICAS = 500;
/** First batch of {@link slowStartBatch} (K pkg/controller/controller_utils.go SlowStartInitialBatchSize). */
export const SLOW_START_INITIAL_BATCH_SIZE = 1;
/**
 * Most Pods a cluster holds (every phase, terminating ones included): 150,000, the largest cluster
 * Kubernetes supports ("No more than 150,000 total pods", https://kubernetes.io/docs/setup/best-practices/cluster-large/).
 * Kubernetes does not enforce it; the sim does, as an admission refusal of the ReplicaSet
 * controller's creates (`FailedCreate`, like an exceeded ResourceQuota, kubernetes-behaviour.md §10),
 * so a player's `kubectl scale --replicas=10000000` costs the match a bounded amount of memory
 * (~1.5 KB per Pod, shared/sim/README.md) instead of taking the server down.
 */
export const MAX_CLUSTER_PODS = 150_000;

/**
 * kube-controller-manager's slowStartBatch (K pkg/controller/replicaset/replica_set.go): calls `fn`
 * `count` times in batches of 1, 2, 4, ... (doubling from `initialBatchSize`); the calls of one batch
 * all run (in Go, in parallel), and no further batch starts once a batch had a failure, so a create
 * that keeps failing (a quota, an admission refusal) is tried a handful of times, not `count` times.
 * Returns the number of successful calls. Synchronous and in call order (deterministic).
 */
export function slowStartBatch(count: number, initialBatchSize: number, fn: () => boolean): number {
  let remaining = count;
  let successes = 0;
  for (let batch = Math.min(remaining, initialBatchSize); batch > 0; batch = Math.min(2 * batch, remaining)) {
    let failed = false;
    for (let i = 0; i < batch; i++) {
      if (fn()) successes++;
      else failed = true;
    }
    if (failed) break;
    remaining -= batch;
  }
  return successes;
}

/**
 * Seconds between two `FailedCreate` events of one ReplicaSet while its creates are refused: the
 * refill period of client-go's event spam filter (EventSourceObjectSpamFilter, one token per 5 min;
 * its burst of 25 is not modelled), so a ReplicaSet retried every sync does not flood the event log.
 * Read from the log itself: when other events pushed the last report out of the bounded log
 * (`eventLimit`), the next refusal is reported again.
 */
export const FAILED_CREATE_EVENT_INTERVAL_SECONDS = 300;

/**
 * True when the log holds a `FailedCreate` of this owner from the last {@link FAILED_CREATE_EVENT_INTERVAL_SECONDS}.
 * O(event series about objects of that name), from the event log's lookup table (../events.ts).
 */
function recentFailedCreate(state: SimState, name: string, namespace: string): boolean {
  return hasRecentEvent(state, 'FailedCreate', name, namespace, state.t - FAILED_CREATE_EVENT_INTERVAL_SECONDS);
}

/**
 * (added) Reports an admission refusal (403: ResourceQuota, LimitRange) of a Pod create by a controller
 * other than the ReplicaSet's as its `Warning FailedCreate` event, at most once per
 * {@link FAILED_CREATE_EVENT_INTERVAL_SECONDS}, and requeues the owner so the create is retried on the
 * next sync (a raised quota lets it through). `message` is the controller's wording: PodControl's
 * `Error creating: <error>` (DaemonSet, Job), the StatefulSet's `create Pod db-0 in StatefulSet db
 * failed error: <error>` (K pkg/controller/controller_utils.go, statefulset/stateful_pod_control.go).
 */
export function reportFailedCreate(state: SimState, ref: { kind: string; name: string; namespace: string }, queueKey: string, message: string, source: string): void {
  if (!recentFailedCreate(state, ref.name, ref.namespace)) emit(state, 'Warning', 'FailedCreate', ref, message, source);
  markDirty(state, 'replicaSets', queueKey);
}

/**
 * Pods the ReplicaSet controller creates per sim second in one cluster, all ReplicaSets together: the
 * sim's work budget for kube-controller-manager, one `burstReplicas` per sim second. In Kubernetes the
 * bound is the controller's API client rate limit (kube-controller-manager `--kube-api-qps` 20,
 * `--kube-api-burst` 30 per controller client), far lower; the sim keeps scale-ups and rollouts as fast
 * as before (no scenario creates more per tick) while bounding a tick's cost whatever the players
 * scale: 12 Deployments scaled to 1,000 create 500 Pods per tick, not 12,000. Counted in Pods created
 * (work units), never wall time; not applied during createSim's warm start. ReplicaSets synced after
 * the budget ran out stay queued for the next tick.
 */
export const POD_CREATES_PER_SECOND = BURST_REPLICAS;

/** {@link POD_CREATES_PER_SECOND} for one tick of `tickSeconds` sim seconds (at least 1). */
export function podCreatesPerTick(tickSeconds: number): number {
  return Math.max(1, Math.round(POD_CREATES_PER_SECOND * tickSeconds));
}

/**
 * Pods created this tick per cluster, beside the state (never hashed): reset when `state.tick` moves
 * on, so it is a pure function of the tick's own work (the same in a replay or after a restore, which
 * happen between ticks).
 */
const createdThisTick = new WeakMap<SimState, { tick: number; n: number }>();

/** The creation budget left in this tick (Infinity in the warm start). */
function createBudget(state: SimState): { tick: number; n: number } | null {
  if (isWarmStart(state)) return null;
  let c = createdThisTick.get(state);
  if (c === undefined || c.tick !== state.tick) createdThisTick.set(state, (c = { tick: state.tick, n: 0 }));
  return c;
}

/** Pods stored in the cluster, O(1) from the index (every Pod is in exactly one label set). */
function clusterPodCount(state: SimState): number {
  return getIndex(state).podCount;
}
/** Timer kind re-syncing a ReplicaSet when a pod crosses minReadySeconds. */
export const RS_SYNC_TIMER: TimerKind = 'rs.sync';

/** Parsed requests/limits of a pod spec; a container's request defaults to its limit (API defaulting). */
export function podResources(spec: PodSpec): { cpuRequestMilli: number; memRequestMiB: number; memLimitMiB: number | null } {
  let cpu = 0;
  let mem = 0;
  let limit: number | null = 0;
  for (const c of spec.containers) {
    const r = c.resources;
    const cpuRequest = r.requests?.cpu ?? r.limits?.cpu;
    const memRequest = r.requests?.memory ?? r.limits?.memory;
    cpu += cpuRequest === undefined ? 0 : parseCpuMillicores(cpuRequest);
    mem += memRequest === undefined ? 0 : parseMemoryMiB(memRequest);
    if (r.limits?.memory === undefined) limit = null;
    else if (limit !== null) limit += parseMemoryMiB(r.limits.memory);
  }
  return { cpuRequestMilli: cpu, memRequestMiB: mem, memLimitMiB: limit };
}

/**
 * The containers of pods made from one ReplicaSet template: one deep copy per template, shared by all
 * of its pods (a ReplicaSet's template and a pod's containers are never changed in place: a new
 * template makes a new ReplicaSet). Saves a deep clone and ~1 KB per pod; what the API shows (and the
 * state hash) is the same as with a copy per pod.
 */
const sharedContainers = new WeakMap<PodSpec, PodSpec['containers']>();

/**
 * A pod's spec from a template's: fields in the template's order, containers shared. A template's
 * `nodeName` is kept, as the API server does (issue 6): the Pod is bound at creation and never scheduled.
 */
function podSpecFromTemplate(t: PodSpec): PodSpec {
  let containers = sharedContainers.get(t);
  if (containers === undefined) sharedContainers.set(t, (containers = cloneJson(t.containers)));
  // A plain object (the keys are PodSpec's own field names, copied from a validated template; `__proto__`
  // skipped): V8 gives it a shared hidden class, where a null-prototype record costs every Pod a ~256 B
  // dictionary (bench bigHeapBytesPerPod, issue 5).
  // eslint-disable-next-line no-restricted-syntax -- keys are the template's PodSpec fields (`__proto__` skipped), never looked up by an untrusted name
  const spec: Record<string, unknown> = {};
  for (const k in t) {
    if (!Object.hasOwn(t, k) || k === '__proto__') continue;
    const v = (t as unknown as Record<string, unknown>)[k];
    if (v === undefined) continue;
    spec[k] = k === 'containers' ? containers : typeof v === 'object' && v !== null ? cloneJson(v) : v;
  }
  return spec as unknown as PodSpec;
}

const EMPTY: Record<string, string> = Object.freeze({});
/** A new Pod's empty `status.conditions` / `status.containerStatuses`, one frozen array each for all Pods (two arrays less per Pod). */
const NO_CONDITIONS = Object.freeze([]) as unknown as Pod['status']['conditions'];
const NO_CONTAINER_STATUSES = Object.freeze([]) as unknown as Pod['status']['containerStatuses'];

/**
 * Frozen copies of template label / annotation maps, shared by every pod made from that template
 * (pods' labels and annotations are never changed in place here; ~100 bytes per pod, and the label
 * index groups pods by the label object: shared/sim/cache.ts `labelSetId`). Checked against the
 * template's current entries, so a template edited in place gets a fresh copy.
 */
const sharedMaps = new WeakMap<Record<string, string>, Readonly<Record<string, string>>>();

function sameMap(a: Readonly<Record<string, string>>, b: Record<string, string>): boolean {
  let n = 0;
  for (const k in b) {
    if (a[k] !== b[k] || !Object.prototype.hasOwnProperty.call(a, k)) return false;
    n++;
  }
  return Object.keys(a).length === n;
}

function sharedCopy(src: Record<string, string>): Record<string, string> {
  if (Object.isFrozen(src)) return src;
  const hit = sharedMaps.get(src);
  if (hit !== undefined && sameMap(hit, src)) return hit as Record<string, string>;
  const copy = Object.freeze({ ...src });
  sharedMaps.set(src, copy);
  return copy as Record<string, string>;
}

/**
 * The owners the ReplicaSet controller manages: ReplicaSets, and ReplicationControllers (the same
 * fields: replicas, template, minReadySeconds, and the same status).
 */
type ReplicaOwner = Pick<ReplicaSet, 'metadata' | 'spec' | 'status'> | Pick<ReplicationController, 'metadata' | 'spec' | 'status'>;

/** The controller reference to an owner, one frozen array per owner object shared by its pods. */
const sharedOwnerRefs = new WeakMap<object, OwnerReference[]>();

function ownerRefsOf(owner: ReplicaOwner, kind: string, apiVersion: string): OwnerReference[] {
  const hit = sharedOwnerRefs.get(owner);
  const r = hit?.[0];
  if (r !== undefined && r.name === owner.metadata.name && r.uid === owner.metadata.uid && r.kind === kind) return hit!;
  const refs = Object.freeze([Object.freeze({ apiVersion, kind, name: owner.metadata.name, uid: owner.metadata.uid, controller: true })]) as unknown as OwnerReference[];
  sharedOwnerRefs.set(owner, refs);
  return refs;
}

/**
 * Builds a new Pending pod from a ReplicaSet's template (name `<rs>-<5 random chars>`). `res` may pass
 * the template's parsed resources when creating many pods at once.
 */
export function newPodFromTemplate(state: SimState, rs: ReplicaSet, res = podResources(rs.spec.template.spec)): Pod {
  return newOwnedPod(state, rs, 'ReplicaSet', 'apps/v1', res);
}

/**
 * The key (`namespace/name`) of the Pod the last {@link newOwnedPod} call built, for its caller's
 * `createObject` (the name check built it already). Read at once, synchronously.
 */
let lastPodKey = '';

/**
 * A new Pending pod of `owner` named `<owner>-<5 random chars>` (ReplicaSet and ReplicationController);
 * its labels, annotations and owner reference are frozen objects shared with its siblings.
 */
function newOwnedPod(state: SimState, owner: ReplicaOwner, kind: string, apiVersion: string, res: ReturnType<typeof podResources>): Pod {
  const ns = owner.metadata.namespace;
  let name = `${owner.metadata.name}-${randomSuffix(state.rng)}`;
  // Object.hasOwn: a miss (nearly every time) costs about half a keyed load's (which first tries to
  // internalize the fresh key string); `state.pods` is a null-prototype map of Pod objects.
  let key = `${ns}/${name}`;
  while (Object.hasOwn(state.pods, key)) key = `${ns}/${(name = `${owner.metadata.name}-${randomSuffix(state.rng)}`)}`;
  lastPodKey = key;
  const ref = { apiVersion, kind, name: owner.metadata.name, uid: owner.metadata.uid, namespace: ns };
  return podFromTemplate(state, ref, owner.spec.template, name, res, {}, ownerRefsOf(owner, kind, apiVersion));
}

/**
 * A new Pending pod `name` from a template, controlled by `owner` (owner reference with
 * `controller: true`); `extra.labels` are added to the template's labels (StatefulSet pod-name labels),
 * `extra.nodeSelector` to its node selector (DaemonSet pods). Shared by every pod-owning controller
 * (ReplicaSet, ReplicationController, StatefulSet, DaemonSet). Without extra labels the pod shares a
 * frozen copy of the template's labels; `refs` may pass a shared owner reference list.
 */
export function podFromTemplate(
  state: SimState,
  owner: { apiVersion: string; kind: string; name: string; uid: string; namespace: string },
  tpl: PodTemplateSpec,
  name: string,
  res = podResources(tpl.spec),
  extra: { labels?: Record<string, string>; nodeSelector?: Record<string, string> } = {},
  refs: OwnerReference[] = [{ apiVersion: owner.apiVersion, kind: owner.kind, name: owner.name, uid: owner.uid, controller: true }],
): Pod {
  const ns = owner.namespace;
  const spec = podSpecFromTemplate(tpl.spec);
  if (extra.nodeSelector) spec.nodeSelector = { ...(spec.nodeSelector ?? {}), ...extra.nodeSelector };
  const labels = extra.labels ? { ...tpl.metadata.labels, ...extra.labels } : sharedCopy(tpl.metadata.labels);
  const meta = newMeta(state, ns, name, labels, sharedCopy(tpl.metadata.annotations ?? EMPTY), refs);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: meta,
    spec,
    // Shared frozen empty lists: a Pod's conditions and container statuses are replaced, never pushed to
    // (podutil's setCondition, the binding and the kubelet assign new arrays).
    status: { phase: 'Pending', conditions: NO_CONDITIONS, containerStatuses: NO_CONTAINER_STATUSES },
    sim: {
      // Field by field, not `...res`: a spread object gets the other fields added one by one (a
      // reallocated property store per Pod at createSim); same fields, same order.
      cpuRequestMilli: res.cpuRequestMilli,
      memRequestMiB: res.memRequestMiB,
      memLimitMiB: res.memLimitMiB,
      image: spec.containers[0]?.image ?? '',
      templateHash: tpl.metadata.labels['pod-template-hash'] ?? '',
      memoryMiB: 0,
      containerStartedAt: null,
      backoffSeconds: 0,
      lastFailureAt: null,
      nextTransitionAt: null,
      ready: false,
    },
  };
}

const PHASE_RANK: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

/** The annotation that ranks a Pod for deletion on scale-down (lower first). */
export const POD_DELETION_COST_ANNOTATION = 'controller.kubernetes.io/pod-deletion-cost';

/**
 * A Pod's deletion cost: its {@link POD_DELETION_COST_ANNOTATION} as a decimal int32
 * (K pkg/apis/core/helper GetDeletionCostFromPodAnnotations: strconv.ParseInt(v, 10, 32)); 0 when
 * absent or invalid.
 */
export function deletionCost(pod: Pod): number {
  const v = pod.metadata.annotations[POD_DELETION_COST_ANNOTATION];
  if (v === undefined || !/^[+-]?[0-9]+$/.test(v)) return 0;
  const n = Number(v);
  return n >= -2147483648 && n <= 2147483647 ? n : 0;
}

/** A pod with its deletion-rank sort keys, computed once ({@link rankPodsForDeletion}). */
interface RankedPod {
  pod: Pod;
  bound: number;
  phase: number;
  ready: number;
  cost: number;
  siblings: number;
  readySince: number;
  restarts: number;
  created: number;
  name: string;
}

/** ActivePodsWithRanks.Less over precomputed keys: negative when `a` goes first. A total order (name last). */
function compareRanked(a: RankedPod, b: RankedPod): number {
  if (a.bound !== b.bound) return a.bound - b.bound;
  if (a.phase !== b.phase) return a.phase - b.phase;
  if (a.ready !== b.ready) return a.ready - b.ready;
  if (a.cost !== b.cost) return a.cost - b.cost;
  if (a.siblings !== b.siblings) return b.siblings - a.siblings;
  if (a.ready === 1 && b.ready === 1 && a.readySince !== b.readySince) return b.readySince - a.readySince;
  if (a.restarts !== b.restarts) return b.restarts - a.restarts;
  if (a.created !== b.created) return b.created - a.created;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/**
 * Moves the `k` smallest entries of `xs` (by `cmp`, a total order) to `xs[0..k)`, in no particular
 * order (Hoare's quickselect, median-of-three pivots: deterministic). O(n) comparisons on average.
 */
function selectSmallest<T>(xs: T[], k: number, cmp: (a: T, b: T) => number): void {
  let lo = 0;
  let hi = xs.length - 1;
  while (hi > lo) {
    const mid = (lo + hi) >>> 1;
    // Median of three as the pivot value.
    let a = xs[lo]!;
    let b = xs[mid]!;
    const c = xs[hi]!;
    if (cmp(a, b) > 0) [a, b] = [b, a];
    const pivot = cmp(b, c) <= 0 ? b : cmp(a, c) <= 0 ? c : a;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (cmp(xs[i]!, pivot) < 0) i++;
      while (cmp(xs[j]!, pivot) > 0) j--;
      if (i <= j) {
        const t = xs[i]!;
        xs[i] = xs[j]!;
        xs[j] = t;
        i++;
        j--;
      }
    }
    // [lo, j] <= pivot <= [i, hi]; entries between j and i equal the pivot (one entry: the order is total).
    if (k - 1 <= j) hi = j;
    else if (k - 1 >= i) lo = i;
    else return;
  }
}

/**
 * Orders pods so the first ones are deleted first on scale-down (ActivePodsWithRanks.Less,
 * K pkg/controller/controller_utils.go; kubernetes-behaviour.md §4): unscheduled, Pending < Unknown <
 * Running, not Ready, lower `controller.kubernetes.io/pod-deletion-cost` (annotation, an int32; absent
 * or not an int32: 0, as GetDeletionCostFromPodAnnotations' error is ignored there), more siblings on
 * the same node, Ready for less time, more restarts, newer; name as a final tie-breaker so the order is
 * total. With `limit`, only the first `limit` pods of that order (the scale-down's victims): selected
 * in O(pods) and only those sorted, the same pods in the same order as the head of the whole ranking.
 */
export function rankPodsForDeletion(pods: Pod[], limit = pods.length): Pod[] {
  const perNode = new Map<string, number>();
  for (const p of pods) if (p.spec.nodeName) perNode.set(p.spec.nodeName, (perNode.get(p.spec.nodeName) ?? 0) + 1);
  // Each pod's sort keys computed once (the comparison below is the same as comparing them on the fly).
  const ranked = pods.map((p): RankedPod => {
    let restarts = 0;
    for (const c of p.status.containerStatuses) restarts += c.restartCount;
    return {
      pod: p,
      bound: p.spec.nodeName ? 1 : 0,
      phase: PHASE_RANK[p.status.phase] ?? 3,
      ready: p.sim.ready ? 1 : 0,
      cost: deletionCost(p),
      siblings: p.spec.nodeName ? perNode.get(p.spec.nodeName)! : 0,
      readySince: p.sim.ready ? (readyTransition(p) ?? 0) : 0,
      restarts,
      created: p.metadata.creationTimestamp,
      name: p.metadata.name,
    };
  });
  const k = Math.max(0, Math.min(limit, ranked.length));
  if (k < ranked.length) {
    selectSmallest(ranked, k, compareRanked);
    ranked.length = k;
  }
  ranked.sort(compareRanked);
  return ranked.map((r) => r.pod);
}

/** Syncs every queued ReplicaSet. Stalls (keeps the queue) while the API server cannot write. */
export function replicaSetSync(state: SimState): void {
  if (!apiWritable(state)) return compactDirty(state, 'replicaSets');
  for (const key of drainDirty(state, 'replicaSets')) syncReplicaSet(state, key);
}

/** A due `rs.sync` timer (a pod crossed minReadySeconds): queue the ReplicaSet (or prefixed owner). */
export function onReplicaSetTimer(state: SimState, timer: Timer): void {
  if (timer.ref.includes(':') || state.replicaSets[timer.ref]) markDirty(state, 'replicaSets', timer.ref);
}

/**
 * Syncs of the other pod-owning kinds that share the ReplicaSet workqueue (`state.dirty.replicaSets`,
 * keys `Kind:namespace/name`, see ../cache.ts `podWorkqueueKey`): StatefulSet and DaemonSet register
 * theirs (./statefulset.ts, ./daemonset.ts). ReplicationControllers are synced here, by the ReplicaSet
 * code itself, as Kubernetes' replication manager wraps the ReplicaSet controller
 * (K pkg/controller/replication/replication_controller.go).
 */
const OWNER_SYNCS = new Map<string, (state: SimState, objKey: string, queueKey: string) => void>();

/** Registers the sync of a pod-owning kind queued as `kind:namespace/name` in the ReplicaSet workqueue. */
export function registerOwnerSync(kind: string, sync: (state: SimState, objKey: string, queueKey: string) => void): void {
  OWNER_SYNCS.set(kind, sync);
}

/** Bits of a pod's contribution to its ReplicaSet's status in a {@link RsMemo}. */
const ACTIVE = 1;
const READY = 2;

/**
 * The status counts of a ReplicaSet as of its last sync, kept beside the state (never hashed), so a
 * sync applies only the pods that changed since ({@link takePodChanges}) instead of reading all of
 * them: `flags` holds {@link ACTIVE} | {@link READY} of every active owned pod. Only for ReplicaSets
 * without `minReadySeconds` (availability then equals readiness: a Ready condition's transition time
 * is never after now); built on the first sync after createSim (none during its warm start).
 */
interface RsMemo {
  flags: Map<string, number>;
  active: number;
  ready: number;
}

const rsMemos = new WeakMap<object, RsMemo>();

function podFlags(p: Pod | undefined): number {
  if (p === undefined || !isActive(p)) return 0;
  return p.sim.ready ? ACTIVE | READY : ACTIVE;
}

function setFlags(memo: RsMemo, key: string, now: number): void {
  const prev = memo.flags.get(key) ?? 0;
  if (prev === now) return;
  memo.active += (now & ACTIVE) - (prev & ACTIVE);
  memo.ready += ((now & READY) - (prev & READY)) >> 1;
  if (now === 0) memo.flags.delete(key);
  else memo.flags.set(key, now);
}

/**
 * The active pods of `owned` (keys); with `memo` (a fresh, empty one), their flags and counts are
 * recorded in it too (what {@link setFlags} from no flags records, without its lookup). With `check`,
 * the keys of those whose labels do not match `check.selector` are pushed to `check.gone` (the
 * release check of {@link releaseMismatched} in the same pass).
 */
function activePods(state: SimState, owned: Set<string> | undefined, memo?: RsMemo, check?: { selector: Record<string, string>; gone: string[] }): Pod[] {
  const active: Pod[] = [];
  if (owned) {
    let matched: Record<string, string> | undefined;
    for (const k of owned) {
      const p = state.pods[k]!;
      if (!isActive(p)) continue;
      if (check !== undefined) {
        const labels = p.metadata.labels;
        if (labels !== matched) {
          if (selectorMatches(check.selector, labels)) matched = labels;
          else check.gone.push(k);
        }
      }
      active.push(p);
      if (memo !== undefined) {
        const ready = p.sim.ready;
        memo.flags.set(k, ready ? ACTIVE | READY : ACTIVE);
        memo.active++;
        if (ready) memo.ready++;
      }
    }
  }
  return active;
}

function syncReplicaSet(state: SimState, key: string): void {
  const colon = key.indexOf(':');
  if (colon >= 0) {
    const kind = key.slice(0, colon);
    const objKey = key.slice(colon + 1);
    // (issue 6) an owner being deleted (Foreground: it lingers with the foregroundDeletion finalizer)
    // creates no Pods (K pkg/controller/replicaset, statefulset, daemon, job: no manage step once DeletionTimestamp is set)
    const store = kind === 'ReplicationController' ? state.replicationControllers : kind === 'StatefulSet' ? state.statefulSets : kind === 'DaemonSet' ? state.daemonSets : kind === 'Job' ? state.jobs : kind === 'CronJob' ? state.cronJobs : undefined;
    if (store && Object.hasOwn(store, objKey) && store[objKey]!.metadata.deletionTimestamp !== undefined) return;
    if (kind === 'ReplicationController') {
      const rc = state.replicationControllers?.[objKey];
      if (rc) syncReplicas(state, key, objKey, rc, 'ReplicationController', 'v1', 'replication-controller');
      else unwatchPods(state, 'replicaSets', key);
      return;
    }
    OWNER_SYNCS.get(kind)?.(state, objKey, key);
    return;
  }
  const rs = state.replicaSets[key];
  if (!rs) {
    unwatchPods(state, 'replicaSets', key);
    return;
  }
  if (rs.metadata.deletionTimestamp !== undefined) return; // being deleted (Foreground), as above
  syncReplicas(state, key, key, rs, 'ReplicaSet', 'apps/v1', 'replicaset-controller');
}

/** The label selector of a ReplicaSet (`matchLabels`) or ReplicationController (a plain map). */
function ownerSelector(owner: ReplicaOwner, kind: 'ReplicaSet' | 'ReplicationController'): Record<string, string> {
  return kind === 'ReplicaSet' ? (owner as ReplicaSet).spec.selector.matchLabels : (owner as ReplicationController).spec.selector;
}

/**
 * Releases the active Pods among `candidates` (keys) that `owner` controls but whose labels no longer
 * match its selector (a relabelled Pod): each becomes an orphan and the sync below replaces it.
 * Inactive (terminating, finished) Pods are left alone, as ClaimPods only sees active ones. O(candidates).
 * Returns true when a Pod was released. Source: K pkg/controller/replicaset/replica_set.go claimPods.
 */
function releaseMismatched(state: SimState, owner: ReplicaOwner, kind: 'ReplicaSet' | 'ReplicationController', candidates: Iterable<string>, owned: Set<string>): boolean {
  const selector = ownerSelector(owner, kind);
  const gone: string[] = [];
  // Pods made from one template share one frozen label object (podFromTemplate): the last label object
  // that matched is not matched again.
  let matched: Record<string, string> | undefined;
  for (const k of candidates) {
    if (!owned.has(k)) continue;
    const p = state.pods[k];
    if (p === undefined || !isActive(p)) continue;
    const labels = p.metadata.labels;
    if (labels === matched) continue;
    if (selectorMatches(selector, labels)) matched = labels;
    else gone.push(k);
  }
  return releaseAll(state, gone, kind);
}

/** Releases the Pods `gone` (keys), in key order; true when one was released. */
function releaseAll(state: SimState, gone: string[], kind: 'ReplicaSet' | 'ReplicationController'): boolean {
  let released = false;
  for (const k of gone.sort()) if (releasePod(state, k, kind).ok) released = true;
  return released;
}

/**
 * The ReplicaSet sync for one owner (a ReplicaSet, or a ReplicationController): `key` is its
 * workqueue / podsByOwner / pod-watch key, `objKey` its storage key.
 */
function syncReplicas(state: SimState, key: string, objKey: string, rs: ReplicaOwner, kind: 'ReplicaSet' | 'ReplicationController', apiVersion: string, source: string): void {
  const ref = { kind, name: rs.metadata.name, namespace: rs.metadata.namespace };
  const changes = takePodChanges(state, 'replicaSets', key);
  let owned = getIndex(state).podsByOwner.get(key);
  // Without a watch every owned pod is read below (activePods): the release check is made in that pass.
  if (owned !== undefined && changes !== null && releaseMismatched(state, rs, kind, changes, owned)) owned = getIndex(state).podsByOwner.get(key);
  if (adoptOrphans(state, rs, kind, apiVersion, changes)) owned = getIndex(state).podsByOwner.get(key);
  const useMemo = rs.spec.minReadySeconds <= 0 && !isWarmStart(state);
  let memo = useMemo ? rsMemos.get(rs) : undefined;
  if (memo !== undefined && changes !== null) {
    for (const k of changes) setFlags(memo, k, owned?.has(k) ? podFlags(state.pods[k]) : 0);
  } else memo = undefined;
  // No sort needed: nothing below depends on the order of `active` (counts and minima in updateStatus;
  // rankPodsForDeletion's order is total, name last, so its result does not depend on its input order;
  // new pods are created in a loop that does not read `active`).
  let active: Pod[] | null = null;
  if (memo === undefined) {
    if (useMemo) rsMemos.set(rs, (memo = { flags: new Map(), active: 0, ready: 0 }));
    else rsMemos.delete(rs);
    const check = changes === null ? { selector: ownerSelector(rs, kind), gone: [] as string[] } : undefined;
    active = activePods(state, owned, memo, check);
    if (check !== undefined && check.gone.length > 0 && releaseAll(state, check.gone, kind)) {
      // Relabelled pods released (nothing was written before them in this sync): read the rest again.
      owned = getIndex(state).podsByOwner.get(key);
      if (useMemo) rsMemos.set(rs, (memo = { flags: new Map(), active: 0, ready: 0 }));
      active = activePods(state, owned, memo);
    }
  }
  const diff = (memo !== undefined ? memo.active : active!.length) - rs.spec.replicas;
  let exact = true;
  if (diff < 0) {
    const budget = createBudget(state);
    const left = budget === null ? Infinity : podCreatesPerTick(state.settings.tickSeconds) - budget.n;
    const n = Math.max(0, Math.min(-diff, BURST_REPLICAS, left));
    let res: ReturnType<typeof podResources> | undefined; // parsed on the first create only
    let stored = -1; // counted on the first create only: a sync that creates nothing costs nothing
    let refused = false;
    let forbidden: string | undefined;
    const warm = budget === null; // createBudget: null only in the warm start
    const created = slowStartBatch(n, SLOW_START_INITIAL_BATCH_SIZE, () => {
      if (stored < 0) stored = clusterPodCount(state);
      if (stored >= MAX_CLUSTER_PODS) {
        refused = true;
        return false;
      }
      const pod = newOwnedPod(state, rs, kind, apiVersion, (res ??= podResources(rs.spec.template.spec)));
      const r = createObject(state, 'Pod', pod, lastPodKey);
      if (!r.ok) {
        if (r.code === 403) forbidden ??= r.error; // an admission refusal (ResourceQuota): reported as FailedCreate
        return false;
      }
      stored++;
      if (budget !== null) budget.n++;
      active?.push(pod);
      if (memo !== undefined) setFlags(memo, r.key, podFlags(pod));
      // emit records nothing in the warm start: skip building the message for 150k Pods there.
      if (!warm) emit(state, 'Normal', 'SuccessfulCreate', ref, `Created pod: ${pod.metadata.name}`, source);
      return true;
    });
    if (refused && !recentFailedCreate(state, ref.name, ref.namespace)) {
      // The generateName prefix, as the real message (`pods "web-7d4b9-" is forbidden: ...`): one series.
      emit(state, 'Warning', 'FailedCreate', ref, `Error creating: pods "${rs.metadata.name}-" is forbidden: the cluster already holds ${MAX_CLUSTER_PODS} Pods, the most Kubernetes supports`, source);
    } else if (forbidden !== undefined && !recentFailedCreate(state, ref.name, ref.namespace)) {
      // K replica_set.go manageReplicas: `Error creating: <the API server's refusal>` (kubernetes-behaviour.md §10).
      emit(state, 'Warning', 'FailedCreate', ref, `Error creating: ${forbidden}`, source);
    }
    // Requeued while short (a refused create is retried: the workqueue's rate-limited requeue).
    if (-diff > created) markDirty(state, 'replicaSets', key);
  } else if (diff > 0) {
    active ??= activePods(state, owned);
    const victims = rankPodsForDeletion(active, Math.min(diff, BURST_REPLICAS));
    for (const pod of victims) {
      emit(state, 'Normal', 'SuccessfulDelete', ref, `Deleted pod: ${pod.metadata.name}`, source);
      const podKey = `${pod.metadata.namespace}/${pod.metadata.name}`;
      if (!deletePod(state, podKey).ok) exact = false; // counted as gone all the same (as before)
      if (memo !== undefined) setFlags(memo, podKey, 0);
    }
    // The status below is the memo's; without one it counts the pods left.
    if (memo === undefined) {
      const gone = new Set<Pod>(victims);
      active = active.filter((p) => !gone.has(p));
    }
    if (diff > BURST_REPLICAS) markDirty(state, 'replicaSets', key);
  }
  if (memo !== undefined) {
    writeCounts(state, rs, memo.active, memo.ready, memo.ready, kind, objKey);
    if (exact) watchPods(state, 'replicaSets', key);
    else rsMemos.delete(rs);
  } else updateStatus(state, key, rs, active!, kind, objKey);
}

/**
 * Writes the status counts when they (or the observed generation) changed, through the API server
 * (`kind`, storage key `objKey`): a ReplicaSet's write queues its owning Deployment.
 */
function writeCounts(state: SimState, rs: ReplicaOwner, replicas: number, ready: number, available: number, kind: 'ReplicaSet' | 'ReplicationController', objKey: string): void {
  const s = rs.status;
  const gen = rs.metadata.generation;
  if (s.replicas === replicas && s.readyReplicas === ready && s.availableReplicas === available && s.fullyLabeledReplicas === replicas && s.observedGeneration === gen) return;
  rs.status = { replicas, readyReplicas: ready, availableReplicas: available, fullyLabeledReplicas: replicas, observedGeneration: gen };
  writeStatus(state, kind, objKey);
}

function updateStatus(state: SimState, key: string, rs: ReplicaOwner, active: Pod[], kind: 'ReplicaSet' | 'ReplicationController', objKey: string): void {
  let ready = 0;
  let available = 0;
  let nextAvailableAt = Infinity;
  for (const p of active) {
    if (!p.sim.ready) continue;
    ready++;
    const since = readyTransition(p) ?? state.t;
    if (since + rs.spec.minReadySeconds <= state.t) available++;
    else nextAvailableAt = Math.min(nextAvailableAt, since + rs.spec.minReadySeconds);
  }
  if (nextAvailableAt !== Infinity) scheduleTimer(state, nextAvailableAt, RS_SYNC_TIMER, key);
  writeCounts(state, rs, active.length, ready, available, kind, objKey);
}

/** {@link readySince} without the closure (the status loop runs it for every ready pod of a synced ReplicaSet). */
function readyTransition(p: Pod): number | null {
  const conds = p.status.conditions;
  for (let i = 0; i < conds.length; i++) {
    const c = conds[i]!;
    if (c.type === 'Ready') return c.status === 'True' ? c.lastTransitionTime : null;
  }
  return null;
}
