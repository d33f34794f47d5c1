/**
 * The ReplicaSet controller: keeps `spec.replicas` active pods per ReplicaSet (creating from the template,
 * or deleting the pods ranked first by ActivePodsWithRanks) and writes `status` (replicas, ready,
 * available), queueing the owning Deployment when the status changed.
 *
 * Source: K pkg/controller/replicaset/replica_set.go (burstReplicas 500, events `SuccessfulCreate`
 * "Created pod: x" / `SuccessfulDelete` "Deleted pod: x"), K pkg/controller/controller_utils.go
 * ActivePodsWithRanks (kubernetes-behaviour.md §4). Only queued ReplicaSets are synced.
 */
import { apiWritable, compactDirty, createObject, deletePod, drainDirty, markDirty, newMeta, updateStatus as writeStatus } from '../apiserver.ts';
import { emit } from '../emit.ts';
import { getIndex } from '../cache.ts';
import { randomSuffix } from '../names.ts';
import { cloneJson, isActive, readySince } from '../podutil.ts';
import { parseCpuMillicores, parseMemoryMiB } from '../../manifests/quantity.ts';
import { scheduleTimer, type TimerKind } from '../timers.ts';
import type { Pod, PodSpec, ReplicaSet, SimState, Timer } from '../types.ts';

/** Max pods created or deleted per ReplicaSet sync (replica_set.go BurstReplicas). */
export const BURST_REPLICAS = 500;
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

/** A pod's spec from a template's: fields in the template's order, `nodeName` dropped, containers shared. */
function podSpecFromTemplate(t: PodSpec): PodSpec {
  let containers = sharedContainers.get(t);
  if (containers === undefined) sharedContainers.set(t, (containers = cloneJson(t.containers)));
  const spec: Record<string, unknown> = Object.create(null);
  for (const [k, v] of Object.entries(t)) {
    if (k === 'nodeName' || v === undefined) continue;
    spec[k] = k === 'containers' ? containers : typeof v === 'object' && v !== null ? cloneJson(v) : v;
  }
  return spec as unknown as PodSpec;
}

/**
 * Builds a new Pending pod from a ReplicaSet's template (name `<rs>-<5 random chars>`). `res` may pass
 * the template's parsed resources when creating many pods at once.
 */
export function newPodFromTemplate(state: SimState, rs: ReplicaSet, res = podResources(rs.spec.template.spec)): Pod {
  const ns = rs.metadata.namespace;
  let name = `${rs.metadata.name}-${randomSuffix(state.rng)}`;
  while (state.pods[`${ns}/${name}`]) name = `${rs.metadata.name}-${randomSuffix(state.rng)}`;
  const tpl = rs.spec.template;
  const spec = podSpecFromTemplate(tpl.spec);
  const meta = newMeta(state, ns, name, { ...tpl.metadata.labels }, { ...(tpl.metadata.annotations ?? {}) }, [
    { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs.metadata.name, uid: rs.metadata.uid, controller: true },
  ]);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: meta,
    spec,
    status: { phase: 'Pending', conditions: [], containerStatuses: [] },
    sim: {
      ...res,
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

/**
 * Orders pods so the first ones are deleted first on scale-down (ActivePodsWithRanks.Less): unscheduled,
 * Pending < Unknown < Running, not Ready, more siblings on the same node, Ready for less time, more
 * restarts, newer; name as a final tie-breaker so the order is total. Not modelled: pod-deletion-cost
 * (kubernetes-behaviour.md §4), since no pod carries the annotation.
 */
export function rankPodsForDeletion(pods: Pod[]): Pod[] {
  const perNode = new Map<string, number>();
  for (const p of pods) if (p.spec.nodeName) perNode.set(p.spec.nodeName, (perNode.get(p.spec.nodeName) ?? 0) + 1);
  // Each pod's sort keys computed once (the comparison below is the same as comparing them on the fly).
  const ranked = pods.map((p) => {
    let restarts = 0;
    for (const c of p.status.containerStatuses) restarts += c.restartCount;
    return {
      pod: p,
      bound: p.spec.nodeName ? 1 : 0,
      phase: PHASE_RANK[p.status.phase] ?? 3,
      ready: p.sim.ready ? 1 : 0,
      siblings: p.spec.nodeName ? perNode.get(p.spec.nodeName)! : 0,
      readySince: p.sim.ready ? (readySince(p) ?? 0) : 0,
      restarts,
      created: p.metadata.creationTimestamp,
      name: p.metadata.name,
    };
  });
  ranked.sort((a, b) => {
    if (a.bound !== b.bound) return a.bound - b.bound;
    if (a.phase !== b.phase) return a.phase - b.phase;
    if (a.ready !== b.ready) return a.ready - b.ready;
    if (a.siblings !== b.siblings) return b.siblings - a.siblings;
    if (a.ready === 1 && b.ready === 1 && a.readySince !== b.readySince) return b.readySince - a.readySince;
    if (a.restarts !== b.restarts) return b.restarts - a.restarts;
    if (a.created !== b.created) return b.created - a.created;
    return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  });
  return ranked.map((r) => r.pod);
}

/** Syncs every queued ReplicaSet. Stalls (keeps the queue) while the API server cannot write. */
export function replicaSetSync(state: SimState): void {
  if (!apiWritable(state)) return compactDirty(state, 'replicaSets');
  for (const key of drainDirty(state, 'replicaSets')) syncReplicaSet(state, key);
}

/** A due `rs.sync` timer (a pod crossed minReadySeconds): queue the ReplicaSet. */
export function onReplicaSetTimer(state: SimState, timer: Timer): void {
  if (state.replicaSets[timer.ref]) markDirty(state, 'replicaSets', timer.ref);
}

function syncReplicaSet(state: SimState, key: string): void {
  const rs = state.replicaSets[key];
  if (!rs) return;
  const ref = { kind: 'ReplicaSet', name: rs.metadata.name, namespace: rs.metadata.namespace };
  // No sort needed: nothing below depends on the order of `active` (counts and minima in updateStatus;
  // rankPodsForDeletion's order is total, name last, so its result does not depend on its input order;
  // new pods are created in a loop that does not read `active`).
  let active: Pod[] = [];
  const owned = getIndex(state).podsByOwner.get(key);
  if (owned) {
    for (const k of owned) {
      const p = state.pods[k]!;
      if (isActive(p)) active.push(p);
    }
  }
  const diff = active.length - rs.spec.replicas;
  if (diff < 0) {
    const n = Math.min(-diff, BURST_REPLICAS);
    const res = podResources(rs.spec.template.spec);
    for (let i = 0; i < n; i++) {
      const pod = newPodFromTemplate(state, rs, res);
      if (!createObject(state, 'Pod', pod).ok) break;
      active.push(pod);
      emit(state, 'Normal', 'SuccessfulCreate', ref, `Created pod: ${pod.metadata.name}`, 'replicaset-controller');
    }
    if (-diff > BURST_REPLICAS) markDirty(state, 'replicaSets', key);
  } else if (diff > 0) {
    const victims = rankPodsForDeletion(active).slice(0, Math.min(diff, BURST_REPLICAS));
    const gone = new Set<Pod>();
    for (const pod of victims) {
      emit(state, 'Normal', 'SuccessfulDelete', ref, `Deleted pod: ${pod.metadata.name}`, 'replicaset-controller');
      deletePod(state, `${pod.metadata.namespace}/${pod.metadata.name}`);
      gone.add(pod);
    }
    active = active.filter((p) => !gone.has(p));
    if (diff > BURST_REPLICAS) markDirty(state, 'replicaSets', key);
  }
  updateStatus(state, key, rs, active);
}

function updateStatus(state: SimState, key: string, rs: ReplicaSet, active: Pod[]): void {
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
  const s = rs.status;
  const gen = rs.metadata.generation;
  if (s.replicas === active.length && s.readyReplicas === ready && s.availableReplicas === available && s.fullyLabeledReplicas === active.length && s.observedGeneration === gen) return;
  rs.status = { replicas: active.length, readyReplicas: ready, availableReplicas: available, fullyLabeledReplicas: active.length, observedGeneration: gen };
  writeStatus(state, 'ReplicaSet', key); // queues the owning Deployment
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
