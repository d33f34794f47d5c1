/**
 * kube-scheduler (default profile, v1.33): for each pod popped from the activeQ, Filter the sampled
 * nodes, Score the feasible ones, bind to the highest total (ties broken by the PRNG), or record a
 * `FailedScheduling` Warning event (one per attempt) and park the pod.
 *
 * Source (kubernetes-behaviour.md §5; K pkg/scheduler, https://kubernetes.io/docs/reference/scheduling/config/):
 * - Filters, in the default order, a node failing the first plugin that rejects it:
 *   NodeUnschedulable (`node(s) were unschedulable`, unless the pod tolerates
 *   `node.kubernetes.io/unschedulable:NoSchedule`), TaintToleration (NoSchedule/NoExecute taints:
 *   `node(s) had untolerated taint {key: value}`), NodeAffinity (nodeSelector and required node affinity:
 *   `node(s) didn't match Pod's node affinity/selector`), NodePorts (a container `hostPort` another pod
 *   bound there holds, same protocol and IP or `0.0.0.0`: `node(s) didn't have free ports for the
 *   requested pod ports`; K plugins/nodeports, from the host-port index of ../cache.ts), NodeResourcesFit (`Too many pods` against the
 *   Node's allocatable pods, kubelet maxPods 110; `Insufficient cpu|memory` against requests),
 *   PodTopologySpread for DoNotSchedule constraints (`node(s) didn't match pod topology spread
 *   constraints`, `... (missing required label)`), InterPodAffinity (./interPodAffinity.ts: `node(s)
 *   didn't match pod affinity rules`, `... pod anti-affinity rules`, `node(s) didn't satisfy existing
 *   pods anti-affinity rules`).
 * - Scores (weight x normalised 0..100 score, summed): NodeResourcesFit LeastAllocated (1),
 *   NodeResourcesBalancedAllocation (1; skipped for best-effort pods), TaintToleration (3; PreferNoSchedule
 *   taints not tolerated, reversed), NodeAffinity (2; preferred terms' weights), PodTopologySpread (2;
 *   the pod's ScheduleAnyway constraints, else the system defaults `kubernetes.io/hostname` maxSkew 3 and
 *   `topology.kubernetes.io/zone` maxSkew 5 over the pod's Services' and ReplicaSet's selectors).
 *   InterPodAffinity (2; preferred terms' weights, existing pods' terms, min-max normalised), only
 *   for a pod it concerns (else it adds nothing). ImageLocality (1; the pod's images a Node's
 *   `status.images` lists, sizes x share of Nodes holding them, clamped to [23 MiB, 1000 MiB x
 *   containers]; not during the warm start).
 * - selectHost: the highest total; ties broken uniformly at random — one PRNG draw over the count of
 *   tied nodes (the same distribution as the Go code's reservoir sampling, which draws per tie).
 * - Node sampling: percentageOfNodesToScore adaptive `max(5, 50 - nodes/125)` %, at least 100 nodes,
 *   from a rotating start index (schedule_one.go numFeasibleNodesToFind).
 * - Queues (K pkg/scheduler/backend/queue/scheduling_queue.go): a failed pod goes to the unschedulable
 *   queue, where it costs nothing until a cluster event (a pod's resources freed, a node uncordoned,
 *   Ready again; etcd back) moves it to the backoff queue (backoff `1 s * 2^(attempts-1)`, at most 10 s)
 *   or straight to the activeQ when its backoff is over; pods left there longer than 5 min are flushed
 *   back by a check every 30 s (podMaxInUnschedulablePodsDuration, flushUnschedulablePodsLeftover).
 *   (issue 6) QueueingHints: a parked pod remembers the plugins its FitError names ({@link rejectorsOf});
 *   an assigned Pod's deletion moves only those NodeResourcesFit, NodePorts, PodTopologySpread or
 *   InterPodAffinity rejected, a PVC's creation those VolumeBinding rejected; Node events (added,
 *   labels, cordon, Ready, taints) and etcd back move every parked pod. Simplification: the hints are
 *   per plugin, not per object (a deleted Pod retries every pod its plugins rejected, matching labels or
 *   not); a Pod's assignment moves those PodTopologySpread or InterPodAffinity rejected.
 * Priority (`spec.priority`, from PriorityClasses by the manifest loader): the activeQ pops higher
 * priority first (PrioritySort); a pod with a priority that fits nowhere runs DefaultPreemption
 * (./preemption.ts): victims deleted, `status.nominatedNodeName` set, the FitError without its
 * `preemption:` part. Pods without a priority (0) never preempt: the `preemption:` part says why.
 */
import { apiWritable, bindPod, noteChange } from '../apiserver.ts';
import { emit, isWarmStart } from '../emit.ts';
import { controllerOf, getIndex, hostPortConflict, imageState, podHostPorts, servicesForLabels, type HostPortWant } from '../cache.ts';
import type { Node, Pod, PodCondition, SimState, TopologySpreadConstraint } from '../types.ts';
import { QUEUE_HINT } from '../types.ts';
import { nextInt } from '../prng.ts';
import { kubeletOnBound } from './kubelet.ts';
import { lowestPriority, nominatedReservations, podPriority, preempt, type Reserved } from './preemption.ts';
import { preFilterFitError, volumeBindingPreFilter } from './volumeBinding.ts';
import { interPodAffinityFilter, interPodAffinityRawScore, normalizeInterPodAffinity, prepareInterPodAffinity, type ExistingTermsCache, type InterPodAffinityState } from './interPodAffinity.ts';
import {
  compileSelector,
  hasRequiredNodeAffinity,
  imageLocalityPriority,
  intolerablePreferNoSchedule,
  podImageNames,
  scaledImageScore,
  preferredNodeAffinityScore,
  requiredNodeAffinityMatches,
  selectorMatchesLabels,
  toleratesUnschedulable,
  untoleratedTaint,
  type CompiledSelector,
} from './schedulerPlugins.ts';

/** kube-scheduler minFeasibleNodesToFind. */
export const MIN_FEASIBLE_NODES_TO_FIND = 100;
/** minFeasibleNodesPercentageToFind. */
export const MIN_FEASIBLE_PERCENTAGE = 5;
/**
 * CPU request, millicores, used for scoring a pod that sets none (K pkg/scheduler/util
 * DefaultMilliCPURequest). Filtering still uses the real request (0).
 */
export const DEFAULT_SCORE_CPU_MILLI = 100;
/**
 * Memory request, MiB, used for scoring a pod that sets none: 200 MB = ~190.7 MiB. Kubernetes'
 * DefaultMemoryRequest (K pkg/scheduler/util) is `200 * 1024 * 1024` bytes, i.e. 200 MiB, although its
 * comment says "200 MB". Switching to 200 MiB would change scores of request-less pods, hence replays.
 */
export const DEFAULT_SCORE_MEM_MIB = (200 * 1000 * 1000) / (1024 * 1024);
/** Score plugin weights of the default profile (K pkg/scheduler/apis/config/v1/default_plugins.go). */
export const SCORE_WEIGHTS = { NodeResourcesFit: 1, NodeResourcesBalancedAllocation: 1, TaintToleration: 3, NodeAffinity: 2, PodTopologySpread: 2, InterPodAffinity: 2, ImageLocality: 1 } as const;
/** framework.MaxNodeScore. */
export const MAX_NODE_SCORE = 100;
/** podInitialBackoffDuration, sim seconds. */
export const POD_INITIAL_BACKOFF_SECONDS = 1;
/** podMaxBackoffDuration, sim seconds. */
export const POD_MAX_BACKOFF_SECONDS = 10;
/** podMaxInUnschedulablePodsDuration, sim seconds: a parked pod is retried after this long anyway. */
export const POD_MAX_IN_UNSCHEDULABLE_SECONDS = 300;
/** Period of flushUnschedulablePodsLeftover, sim seconds. */
export const UNSCHEDULABLE_FLUSH_PERIOD_SECONDS = 30;
/**
 * Scheduling attempts per sim second, the sim's work budget for kube-scheduler (not a Kubernetes
 * setting). The real scheduler is one loop popping one Pod per scheduling cycle, so its throughput is
 * finite (its scalability tests expect about 100 Pods/s at 5,000 Nodes); the sim schedules a Pod in
 * microseconds, so it caps attempts per tick instead: twice the ReplicaSet controller's creations per
 * tick (controllers/replicaset.ts POD_CREATES_PER_SECOND), so new Pods never wait for it, while
 * 100,000 Pending Pods moved back to the activeQ by one cluster event are retried over 100 ticks, not in one
 * (server/rooms/README.md, "Bounded cost per match"). Pods beyond the budget stay in the activeQ, in
 * order. Counted in work units (attempts), never wall time, so replays are unchanged. Not applied
 * during createSim's warm start (a cluster that was already running).
 */
export const SCHEDULING_ATTEMPTS_PER_SECOND = 1_000;

/** {@link SCHEDULING_ATTEMPTS_PER_SECOND} for one tick of `tickSeconds` sim seconds (at least 1). */
export function schedulingAttemptsPerTick(tickSeconds: number): number {
  return Math.max(1, Math.round(SCHEDULING_ATTEMPTS_PER_SECOND * tickSeconds));
}
/** PodTopologySpread's system default constraints (ScheduleAnyway), K podtopologyspread/plugin.go systemDefaultConstraints. */
export const SYSTEM_DEFAULT_SPREAD: readonly TopologySpreadConstraint[] = Object.freeze([
  { topologyKey: 'kubernetes.io/hostname', maxSkew: 3, whenUnsatisfiable: 'ScheduleAnyway' },
  { topologyKey: 'topology.kubernetes.io/zone', maxSkew: 5, whenUnsatisfiable: 'ScheduleAnyway' },
] as TopologySpreadConstraint[]);

const HOSTNAME = 'kubernetes.io/hostname';

/** How many feasible nodes to look for among `n` nodes (schedule_one.go numFeasibleNodesToFind, adaptive). */
export function numFeasibleNodesToFind(n: number): number {
  if (n < MIN_FEASIBLE_NODES_TO_FIND) return n;
  let pct = 50 - Math.trunc(n / 125);
  if (pct < MIN_FEASIBLE_PERCENTAGE) pct = MIN_FEASIBLE_PERCENTAGE;
  const num = Math.trunc((n * pct) / 100);
  return num < MIN_FEASIBLE_NODES_TO_FIND ? MIN_FEASIBLE_NODES_TO_FIND : num;
}

/** Backoff after `attempts` failed attempts, sim seconds: `min(1 * 2^(attempts-1), 10)` (calculateBackoffDuration). */
export function podBackoffSeconds(attempts: number): number {
  let d = POD_INITIAL_BACKOFF_SECONDS;
  for (let i = 1; i < attempts && d < POD_MAX_BACKOFF_SECONDS; i++) d *= 2;
  return Math.min(d, POD_MAX_BACKOFF_SECONDS);
}

/** Reasons a node was filtered out; `unresolvable` ones cannot be fixed by preemption. */
interface FilterResult {
  reasons: string[];
  unresolvable: boolean;
}

const REASON_AFFINITY = "node(s) didn't match Pod's node affinity/selector";
const REASON_SPREAD = "node(s) didn't match pod topology spread constraints";
const REASON_SPREAD_LABEL = `${REASON_SPREAD} (missing required label)`;
const AFFINITY_FAIL: FilterResult = { reasons: [REASON_AFFINITY], unresolvable: true };
/** NodePorts' ErrReason (K pkg/scheduler/framework/plugins/nodeports/node_ports.go); preemption may help (Unschedulable). */
export const REASON_NODE_PORTS = "node(s) didn't have free ports for the requested pod ports";
const PORTS_FAIL: FilterResult = { reasons: [REASON_NODE_PORTS], unresolvable: false };

/**
 * Runs the filter plugins NodeUnschedulable, TaintToleration, NodeAffinity, NodePorts (when `portsBusy`
 * is given: true when the node holds a host port the pod wants) and NodeResourcesFit in kube-scheduler's
 * order; null when the node fits. (PodTopologySpread's filter needs the other pods: see {@link schedulerSync}.)
 */
export function filterNode(pod: Pod, node: Node, portsBusy?: (node: Node) => boolean): FilterResult | null {
  if (node.spec.unschedulable && !toleratesUnschedulable(pod)) return { reasons: ['node(s) were unschedulable'], unresolvable: true };
  const taint = untoleratedTaint(node, pod.spec.tolerations);
  if (taint) return { reasons: [`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`], unresolvable: true };
  if (hasRequiredNodeAffinity(pod) && !requiredNodeAffinityMatches(pod, node)) return AFFINITY_FAIL;
  if (portsBusy !== undefined && portsBusy(node)) return PORTS_FAIL;
  const s = node.sim;
  let reasons: string[] | null = null;
  if (s.podCount + 1 > s.podsAllocatable) (reasons ??= []).push('Too many pods');
  if (pod.sim.cpuRequestMilli > 0 && pod.sim.cpuRequestMilli > s.cpuAllocatableMilli - s.cpuRequestedMilli) (reasons ??= []).push('Insufficient cpu');
  if (pod.sim.memRequestMiB > 0 && pod.sim.memRequestMiB > s.memAllocatableMiB - s.memRequestedMiB) (reasons ??= []).push('Insufficient memory');
  return reasons ? { reasons, unresolvable: false } : null;
}

/** LeastAllocated score 0..100 of placing `pod` on `node` (integer, as in the Go plugin). */
export function leastAllocatedScore(pod: Pod, node: Node): number {
  const s = node.sim;
  const cpuReq = s.cpuRequestedMilli + (pod.sim.cpuRequestMilli || DEFAULT_SCORE_CPU_MILLI);
  const memReq = s.memRequestedMiB + (pod.sim.memRequestMiB || DEFAULT_SCORE_MEM_MIB);
  const part = (alloc: number, req: number) => (alloc <= 0 || req > alloc ? 0 : Math.trunc(((alloc - req) * 100) / alloc));
  return Math.trunc((part(s.cpuAllocatableMilli, cpuReq) + part(s.memAllocatableMiB, memReq)) / 2);
}

/**
 * BalancedAllocation score 0..100 (K noderesources/balanced_allocation.go): cpu and memory fractions
 * `requested / allocatable` with the pod's real requests (capped at 1), `trunc((1 - |f1 - f2| / 2) * 100)`.
 */
export function balancedAllocationScore(cpuAlloc: number, cpuReq: number, memAlloc: number, memReq: number): number {
  let f1 = -1;
  let f2 = -1;
  if (cpuAlloc > 0) f1 = Math.min(cpuReq / cpuAlloc, 1);
  if (memAlloc > 0) f2 = Math.min(memReq / memAlloc, 1);
  const std = f1 >= 0 && f2 >= 0 ? Math.abs((f1 - f2) / 2) : 0;
  return Math.trunc((1 - std) * MAX_NODE_SCORE);
}

/**
 * kubectl/scheduler FitError text: `0/3 nodes are available: 1 node(s) were unschedulable, 2
 * Insufficient memory. preemption: 0/3 nodes are available: ...`. Reason counts sorted as strings.
 */
export function fitErrorMessage(total: number, counts: Map<string, number>, unresolvable: number, resolvable: number): string {
  const hist = [...counts].map(([r, c]) => `${c} ${r}`).sort();
  const pre: string[] = [];
  if (unresolvable > 0) pre.push(`${unresolvable} Preemption is not helpful for scheduling`);
  if (resolvable > 0) pre.push(`${resolvable} No preemption victims found for incoming pod`);
  pre.sort();
  const head = `0/${total} nodes are available: ${hist.join(', ')}.`;
  return total === 0 ? `${head.replace(': .', '.')} preemption: 0/0 nodes are available.` : `${head} preemption: 0/${total} nodes are available: ${pre.join(', ')}.`;
}

// ---------------------------------------------------------------------------------------------------
// Queues
// ---------------------------------------------------------------------------------------------------

function podPriorityOf(state: SimState, key: string): number {
  const pod = state.pods[key];
  return pod ? podPriority(pod) : 0;
}

function podGone(state: SimState, key: string): boolean {
  const pod = state.pods[key];
  return !pod || pod.spec.nodeName !== undefined || pod.metadata.deletionTimestamp !== undefined;
}

/** Inserts into the backoffQ, ordered by backoff expiry then insertion. */
function pushBackoff(state: SimState, key: string, until: number): void {
  const q = state.scheduler.backoffQ;
  const info = state.scheduler.podInfo;
  let lo = 0;
  let hi = q.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((info[q[mid]!]?.backoffUntil ?? 0) <= until) lo = mid + 1;
    else hi = mid;
  }
  q.splice(lo, 0, key);
}

/** A parked pod leaves the unschedulable queue: to the backoffQ while backing off, else to the activeQ. */
function unpark(state: SimState, key: string): void {
  const sq = state.scheduler;
  if (podGone(state, key)) {
    delete sq.podInfo[key];
    return;
  }
  const until = sq.podInfo[key]?.backoffUntil ?? 0;
  if (until > state.t) pushBackoff(state, key, until);
  else sq.activeQ.push(key);
}

/**
 * Parked Pods moved back per tick once a cluster event asked for it: {@link schedulingAttemptsPerTick}
 * (the scheduler could not attempt more in one tick anyway); the rest of the event's Pods follow in
 * later ticks, in the order they were parked ({@link SchedulerState.unparkPending}). Unbounded during
 * createSim's warm start. Work units, never wall time.
 */
function unparkBatch(state: SimState): number {
  return isWarmStart(state) ? Infinity : schedulingAttemptsPerTick(state.settings.tickSeconds);
}

/**
 * Moves the first `n` parked Pods out of the unschedulable queue, in order (`unpark` each). O(n) plus
 * one copy of the rest of the queue's keys (no per-Pod reads beyond `n`).
 */
function unparkFirst(state: SimState, n: number): void {
  const sq = state.scheduler;
  const parked = sq.unschedulable;
  if (n <= 0) return;
  if (n >= parked.length) {
    sq.unschedulable = [];
    for (const key of parked) unpark(state, key);
    return;
  }
  sq.unschedulable = parked.slice(n);
  for (let i = 0; i < n; i++) unpark(state, parked[i]!);
}

/**
 * (issue 6) QueueingHints: the {@link QUEUE_HINT} plugins a FitError message names (its reasons, each
 * plugin's text), 0 when none is recognised (then every cluster event retries the Pod). O(message).
 */
export function rejectorsOf(msg: string): number {
  const head = msg.split(' preemption:')[0]!;
  let m = 0;
  if (head.includes('node(s) were unschedulable')) m |= QUEUE_HINT.NodeUnschedulable;
  if (head.includes('untolerated taint')) m |= QUEUE_HINT.TaintToleration;
  if (head.includes("node affinity/selector")) m |= QUEUE_HINT.NodeAffinity;
  if (head.includes('free ports')) m |= QUEUE_HINT.NodePorts;
  if (head.includes('Too many pods') || head.includes('Insufficient ')) m |= QUEUE_HINT.NodeResourcesFit;
  if (head.includes('topology spread')) m |= QUEUE_HINT.PodTopologySpread;
  if (head.includes('pod affinity rules') || head.includes('anti-affinity rules')) m |= QUEUE_HINT.InterPodAffinity;
  if (head.includes('persistentvolumeclaim') || head.includes('PersistentVolumeClaim')) m |= QUEUE_HINT.VolumeBinding;
  return m;
}

/**
 * Cluster events, backoff expiry and the 5 min leftover flush move pods toward the activeQ. A cluster
 * event moves every Pod parked at that moment, at most {@link unparkBatch} per tick (lazy unparking:
 * kube-scheduler's MoveAllToActiveOrBackoffQueue moves them all at once, but its one scheduling loop
 * then pops them one by one; the sim's tick would otherwise pay O(parked Pods) at once). The Pods not
 * moved yet stay at the front of `unschedulable` (`unparkPending` of them), so the order in which
 * they reach the activeQ is the order they were parked. Cost per tick: O(batch) plus a copy of the
 * queue's keys; nothing while no event is pending.
 */
function moveQueues(state: SimState): void {
  const sq = state.scheduler;
  const t = state.t;
  if (sq.moveRequested) {
    sq.moveRequested = false;
    delete sq.moveMask;
    delete sq.unparkMask;
    delete sq.unparkFrom;
    sq.unparkPending = sq.unschedulable.length;
  }
  if (sq.moveMask !== undefined) {
    // QueueingHints: an event for some plugins only; merged into a pending masked move (all-plugin moves already cover it).
    const mask = sq.moveMask;
    delete sq.moveMask;
    if (sq.unparkPending === undefined) {
      sq.unparkPending = sq.unschedulable.length;
      sq.unparkMask = mask;
    } else if (sq.unparkMask !== undefined) {
      sq.unparkMask |= mask;
      sq.unparkPending = sq.unschedulable.length - (sq.unparkFrom ?? 0);
    } else sq.unparkPending = sq.unschedulable.length;
  }
  if (t - sq.lastFlushAt >= UNSCHEDULABLE_FLUSH_PERIOD_SECONDS) {
    sq.lastFlushAt = t;
    const parked = sq.unschedulable;
    let k = 0;
    while (k < parked.length && t - (sq.podInfo[parked[k]!]?.parkedAt ?? 0) > POD_MAX_IN_UNSCHEDULABLE_SECONDS) k++;
    if (k > 0) {
      // The oldest Pods are at the front: those a masked move kept (before `unparkFrom`), then part of (or before) a pending event's Pods.
      unparkFirst(state, k);
      const from = sq.unparkFrom ?? 0;
      if (k <= from) {
        if (from - k > 0) sq.unparkFrom = from - k;
        else delete sq.unparkFrom;
      } else {
        delete sq.unparkFrom;
        if (sq.unparkPending !== undefined) sq.unparkPending = Math.max(0, sq.unparkPending - (k - from));
      }
    }
  }
  const pending = sq.unparkPending;
  if (pending !== undefined) {
    const from = sq.unparkFrom ?? 0;
    const mask = sq.unparkMask;
    const n = Math.min(pending, unparkBatch(state), Math.max(0, sq.unschedulable.length - from));
    let kept = 0;
    if (mask === undefined && from === 0) unparkFirst(state, n);
    else {
      // QueueingHints: of the next `n` parked Pods, those one of the event's plugins rejected (or whose
      // rejectors are unknown) move; the others stay parked, in order, ahead of the Pods not examined yet.
      const parked = sq.unschedulable;
      const keep: string[] = [];
      const moved: string[] = [];
      for (let i = from; i < from + n; i++) {
        const k = parked[i]!;
        const r = sq.podInfo[k]?.rejected ?? 0;
        if (mask === undefined || r === 0 || (r & mask) !== 0) moved.push(k);
        else keep.push(k);
      }
      kept = keep.length;
      if (moved.length > 0) {
        sq.unschedulable = parked.slice(0, from).concat(keep, parked.slice(from + n));
        for (const k of moved) unpark(state, k);
      }
    }
    // Absent once done (the state of a cluster with nothing pending is as before lazy unparking).
    const nextFrom = from + kept;
    if (pending - n > 0 && sq.unschedulable.length > nextFrom) {
      sq.unparkPending = pending - n;
      if (nextFrom > 0) sq.unparkFrom = nextFrom;
    } else {
      delete sq.unparkPending;
      delete sq.unparkFrom;
      delete sq.unparkMask;
    }
  }
  const bq = sq.backoffQ;
  let k = 0;
  while (k < bq.length && (sq.podInfo[bq[k]!]?.backoffUntil ?? 0) <= t) k++;
  if (k > 0) for (const key of bq.splice(0, k)) sq.activeQ.push(key);
}

/**
 * Schedules the activeQ after moving pods from the other queues. Stalls while the API server cannot
 * write (binding is a write). Cost: nothing when no queue is due; else O(nodes) to build the pass's
 * node table, then per queued pod O(sampled nodes) typed-array reads and one tie draw; a pod of the same
 * ReplicaSet as one that just failed (no binding since) fails the same way without a second filter pass.
 */
export function schedulerSync(state: SimState): void {
  const sq = state.scheduler;
  if (!apiWritable(state)) return;
  moveQueues(state);
  if (sq.activeQ.length === 0) return;
  let queue = sq.activeQ;
  sq.activeQ = [];
  // PrioritySort (queue sort plugin): higher spec.priority first, FIFO within a priority (stable sort).
  // Only when some queued pod has a priority, so queues of priority-0 pods keep their order at O(queue);
  // not even read while no stored pod has one (../cache.ts podsWithPriority: createSim's 150,000 lookups).
  if (getIndex(state).podsWithPriority > 0 && queue.some((k) => (state.pods[k]?.spec.priority ?? 0) !== 0)) queue = queue.slice().sort((a, b) => podPriorityOf(state, b) - podPriorityOf(state, a));
  // Keys that failed in this pass: a duplicate of one is not retried (one of a bound pod stops at its
  // nodeName below), so only failures are remembered, not all 150,000 keys of createSim's queue.
  const failed = new Set<string>();
  let pass: Pass | null = null;
  const budget = isWarmStart(state) ? Infinity : schedulingAttemptsPerTick(state.settings.tickSeconds);
  let attempts = 0;
  for (let q = 0; q < queue.length; q++) {
    const key = queue[q]!;
    if (failed.size > 0 && failed.has(key)) continue;
    const pod = state.pods[key];
    if (!pod || pod.spec.nodeName || pod.metadata.deletionTimestamp !== undefined) {
      delete sq.podInfo[key];
      continue;
    }
    if (attempts >= budget) {
      // Out of this tick's budget: the rest of the activeQ waits, in order, ahead of anything queued meanwhile.
      sq.activeQ = queue.slice(q).concat(sq.activeQ);
      return;
    }
    attempts++;
    pass ??= newPass(state);
    if (scheduleOne(state, key, pod, pass)) {
      delete sq.podInfo[key];
      continue;
    }
    const info = (sq.podInfo[key] ??= { attempts: 0, backoffUntil: 0, parkedAt: 0 });
    info.attempts++;
    info.backoffUntil = state.t + podBackoffSeconds(info.attempts);
    info.parkedAt = state.t;
    // QueueingHints: which plugins rejected it (the FitError's reasons), for the events that may help.
    const msg = pod.status.conditions.find((c) => c.type === 'PodScheduled')?.message;
    const rejected = msg === undefined ? 0 : rejectorsOf(msg);
    if (rejected !== 0) info.rejected = rejected;
    else delete info.rejected;
    sq.unschedulable.push(key);
    failed.add(key);
  }
}

/**
 * After createSim's warm start (which records no events): one `FailedScheduling` event per pod still
 * unschedulable, with its last message, so a pod Pending from the start shows why under Events.
 */
export function emitPendingAfterWarmStart(state: SimState): void {
  for (const key of state.scheduler.unschedulable) {
    const pod = state.pods[key];
    const msg = pod?.status.conditions.find((c) => c.type === 'PodScheduled')?.message;
    if (!pod || msg === undefined) continue;
    emit(state, 'Warning', 'FailedScheduling', { kind: 'Pod', name: pod.metadata.name, namespace: pod.metadata.namespace }, msg, 'default-scheduler');
  }
}

// ---------------------------------------------------------------------------------------------------
// One scheduling pass
// ---------------------------------------------------------------------------------------------------

/**
 * The scheduler's view of the nodes while it drains one queue: the fields the filter fast path and the
 * resource scores read, copied into typed arrays in `sortedNodes` order, so the node loop (up to
 * {@link numFeasibleNodesToFind} nodes per pod, 500 at 5,000 nodes) reads contiguous memory. Exact
 * copies (Float64Array), so every comparison and score is bit-identical to reading `node.sim`. Valid for
 * one {@link schedulerSync} pass: nothing else changes a Node while it runs, and a binding refreshes
 * the bound node's row.
 */
interface NodeTable {
  nodes: Node[];
  /** 1 when the node needs {@link filterNode}'s full check whatever the pod (unschedulable, tainted). */
  slow: Uint8Array;
  podCount: Float64Array;
  podsAllocatable: Float64Array;
  cpuAllocatable: Float64Array;
  cpuRequested: Float64Array;
  memAllocatable: Float64Array;
  memRequested: Float64Array;
  /**
   * Per node, for pods of the request class below: {@link UNKNOWN}, {@link SLOW} (the fast path's
   * checks fail: run {@link filterNode}), else LeastAllocated + BalancedAllocation (weights 1) of a node
   * that passes. Both depend only on the row and the pod's requests, so one class's codes serve every
   * pod of that class until a binding changes the row.
   */
  code: Int16Array;
  classCpu: number;
  classMem: number;
}

const UNKNOWN = -2;
const SLOW = -1;
/** Most spread groups (label selectors with their per-node counts) kept in one pass. */
const GROUP_CACHE = 16;

/** Per topology key: each node's domain id (-1 without the label) and the domains' values. */
interface Topology {
  dom: Int32Array;
  values: string[];
}

/** Pods matching one selector in one namespace, counted per node (bound, not terminating). */
interface SpreadGroup {
  key: string;
  namespace: string;
  sel: CompiledSelector;
  host: Int32Array;
  /** Nodes with a count > 0. */
  touched: number[];
  /** Per topology key, counts per domain id over every node with that label (no node filter). */
  domains: Map<string, Int32Array>;
  /** The same counts with each topology's node -> domain ids, for {@link countBound} (no key lookups per binding). */
  domList: { dom: Int32Array; counts: Int32Array }[];
  /** Largest per-node count (bounds the buckets of {@link scanDefaults}). */
  maxHost: number;
  /** False once evicted from the pass's cache (no longer counted on binds: terms holding it are rebuilt). */
  live: boolean;
}

/** A pod's spread terms, cached per ReplicaSet uid for the pass. */
interface PodTerms {
  hard: SpreadTerm[];
  soft: SpreadTerm[];
  softRequireAll: boolean;
  /** The system defaults (hostname + zone) with nothing filtered: {@link scheduleOne}'s bucketed path. */
  defaultsFast: boolean;
}

/** A constraint resolved for one pod: its group and policy. */
interface SpreadTerm {
  c: TopologySpreadConstraint;
  group: SpreadGroup;
  topo: Topology | null;
  hostname: boolean;
}

interface Pass {
  state: SimState;
  table: NodeTable;
  nodeIndex: Map<string, number>;
  topo: Map<string, Topology>;
  groups: SpreadGroup[];
  /** Default-spread selector per owner uid. */
  defaultSel: Map<string, CompiledSelector | null>;
  /** InterPodAffinity: the existing pods' terms per incoming label set; cleared when a pod with pod affinity binds, or after a preemption. */
  ipaExisting: ExistingTermsCache;
  /** FitError message per ReplicaSet uid of a pod that failed since the last binding. */
  failed: Map<string, string>;
  /** Per owner uid with a nodeSelector/required affinity: per node -1 unknown, 0 no, 1 match. */
  affinity: Map<string, Int8Array>;
  feas: Int32Array;
  base: Float64Array;
  extra: Float64Array;
  raw: Float64Array;
  stamp: Int32Array;
  stampGen: number;
  /** Spread terms per ReplicaSet uid. */
  terms: Map<string, PodTerms>;
  /** Per bucket: generation stamp, best resource score, nodes at that score, total score. */
  pairGen: Int32Array;
  pairMax: Float64Array;
  pairCnt: Int32Array;
  pairTot: Float64Array;
  pairList: Int32Array;
  /** Per bucket `p`, from `p * want`: the nodes at the bucket's best resource score, in scan order. */
  pairNodes: Int32Array;
  /** Per bucket: scan offset of its first node ({@link scheduleByIndex}). */
  pairFirst: Int32Array;
  /** The spread index of the current run of pods (same group and request class), or null. */
  sidx: SpreadIndex | null;
  /** The run {@link sidx} is built for: its group, request class and length so far. */
  runGroup: SpreadGroup | null;
  runCpu: number;
  runMem: number;
  runLen: number;
  /** Bumped whenever {@link groups} changes (a group cached or evicted). */
  groupsGen: number;
  /** {@link countBound}: per pod label object, the cached groups it belongs to (valid while `gen` is current). */
  boundMemo: Map<Readonly<Record<string, string>>, { gen: number; namespace: string; groups: SpreadGroup[] }>;
  /** Per topology: each node's zone index (`values.length` without the label) and the zones' node lists. */
  zoneLists: Map<Topology, ZoneLists>;
  /** Groups evicted from {@link groups} whose per-node counts are not reused yet ({@link recycleGroups}). */
  retired: SpreadGroup[];
  /** All-zero per-node count arrays of recycled groups, for the next {@link groupOf} (no 20 KB allocation per group at 5,000 Nodes). */
  freeHost: Int32Array[];
}

function newPass(state: SimState): Pass {
  const idx = getIndex(state);
  const nodes = idx.sortedNodes;
  const n = nodes.length;
  const t: NodeTable = {
    nodes,
    slow: new Uint8Array(n),
    podCount: new Float64Array(n),
    podsAllocatable: new Float64Array(n),
    cpuAllocatable: new Float64Array(n),
    cpuRequested: new Float64Array(n),
    memAllocatable: new Float64Array(n),
    memRequested: new Float64Array(n),
    code: new Int16Array(n).fill(UNKNOWN),
    classCpu: NaN,
    classMem: NaN,
  };
  for (let j = 0; j < n; j++) {
    const node = nodes[j]!;
    t.slow[j] = node.spec.unschedulable || node.spec.taints.length > 0 ? 1 : 0;
    refreshRow(t, j, node);
  }
  return {
    state,
    table: t,
    nodeIndex: idx.nodeIndex,
    topo: new Map(),
    groups: [],
    defaultSel: new Map(),
    failed: new Map(),
    ipaExisting: new Map(),
    affinity: new Map(),
    feas: new Int32Array(n),
    base: new Float64Array(n),
    extra: new Float64Array(n),
    raw: new Float64Array(n),
    stamp: new Int32Array(n + 1),
    stampGen: 0,
    terms: new Map(),
    pairGen: new Int32Array(0),
    pairMax: new Float64Array(0),
    pairCnt: new Int32Array(0),
    pairTot: new Float64Array(0),
    pairList: new Int32Array(0),
    pairNodes: new Int32Array(0),
    pairFirst: new Int32Array(0),
    sidx: null,
    runGroup: null,
    runCpu: NaN,
    runMem: NaN,
    runLen: 0,
    zoneLists: new Map(),
    groupsGen: 0,
    boundMemo: new Map(),
    retired: [],
    freeHost: [],
  };
}

function refreshRow(t: NodeTable, j: number, node: Node): void {
  const s = node.sim;
  t.podCount[j] = s.podCount;
  t.podsAllocatable[j] = s.podsAllocatable;
  t.cpuAllocatable[j] = s.cpuAllocatableMilli;
  t.cpuRequested[j] = s.cpuRequestedMilli;
  t.memAllocatable[j] = s.memAllocatableMiB;
  t.memRequested[j] = s.memRequestedMiB;
  t.code[j] = UNKNOWN;
}

/** LeastAllocated (+ BalancedAllocation unless `bestEffort`) from a table row. */
function rowScore(t: NodeTable, j: number, podCpu: number, podMem: number, scoreCpu: number, scoreMem: number, bestEffort: boolean): number {
  const ca = t.cpuAllocatable[j]!;
  const ma = t.memAllocatable[j]!;
  const cr = t.cpuRequested[j]! + scoreCpu;
  const mr = t.memRequested[j]! + scoreMem;
  const la = Math.trunc(((ca <= 0 || cr > ca ? 0 : Math.trunc(((ca - cr) * 100) / ca)) + (ma <= 0 || mr > ma ? 0 : Math.trunc(((ma - mr) * 100) / ma))) / 2);
  return bestEffort ? la : la + balancedAllocationScore(ca, t.cpuRequested[j]! + podCpu, ma, t.memRequested[j]! + podMem);
}

/** The fast path's verdict for row `j`: {@link SLOW}, or the resource score. */
function rowCode(t: NodeTable, j: number, podCpu: number, podMem: number, scoreCpu: number, scoreMem: number, bestEffort: boolean): number {
  if (t.slow[j] === 1 || t.podCount[j]! >= t.podsAllocatable[j]! || podCpu > t.cpuAllocatable[j]! - t.cpuRequested[j]! || podMem > t.memAllocatable[j]! - t.memRequested[j]!) return SLOW;
  return rowScore(t, j, podCpu, podMem, scoreCpu, scoreMem, bestEffort);
}

function topologyOf(pass: Pass, key: string): Topology {
  let topo = pass.topo.get(key);
  if (topo) return topo;
  const nodes = pass.table.nodes;
  const dom = new Int32Array(nodes.length);
  const ids = new Map<string, number>();
  const values: string[] = [];
  for (let j = 0; j < nodes.length; j++) {
    const v = nodes[j]!.metadata.labels[key];
    if (v === undefined) {
      dom[j] = -1;
      continue;
    }
    let id = ids.get(v);
    if (id === undefined) {
      id = values.length;
      ids.set(v, id);
      values.push(v);
    }
    dom[j] = id;
  }
  topo = { dom, values };
  pass.topo.set(key, topo);
  return topo;
}

/** The group of pods matching `sel` in `namespace`, counted per node (built once per pass, kept up to date on binds). */
function groupOf(pass: Pass, namespace: string, sel: CompiledSelector): SpreadGroup {
  const key = `${namespace}|${sel.key}`;
  const groups = pass.groups;
  for (let i = 0; i < groups.length; i++) {
    if (groups[i]!.key === key) return groups[i]!;
  }
  const state = pass.state;
  const g: SpreadGroup = { key, namespace, sel, host: pass.freeHost.pop() ?? new Int32Array(pass.table.nodes.length), touched: [], domains: new Map(), domList: [], live: true, maxHost: 0 };
  const count = (pod: Pod) => {
    if (!pod.spec.nodeName || pod.metadata.deletionTimestamp !== undefined || pod.metadata.namespace !== namespace || !selectorMatchesLabels(sel, pod.metadata.labels)) return;
    const j = pass.nodeIndex.get(pod.spec.nodeName);
    if (j === undefined) return;
    const c = (g.host[j] = g.host[j]! + 1);
    if (c === 1) g.touched.push(j);
    if (c > g.maxHost) g.maxHost = c;
  };
  if (!sel.nothing) forEachGroupCandidate(state, namespace, sel, count);
  if (groups.length >= GROUP_CACHE) {
    const old = groups.shift()!;
    old.live = false;
    pass.retired.push(old);
  }
  groups.push(g);
  pass.groupsGen++;
  return g;
}

const NO_COUNTS = new Int32Array(0);
let recycling = true;

/**
 * Tests only: whether evicted spread groups' count arrays are reused ({@link recycleGroups}; false: a
 * fresh array per group), so a test can check that placements are the same either way. Returns the previous value.
 */
export function setSpreadGroupRecycling(on: boolean): boolean {
  const prev = recycling;
  recycling = on;
  return prev;
}

/**
 * Hands the per-node count arrays of evicted groups to the next {@link groupOf}s, zeroed (their
 * nonzero entries are the `touched` nodes: counts only grow in a pass). Called before a pod is
 * scheduled, so no pod's terms hold them; the spread index's group is kept until the index moves on
 * ({@link switchGroup} reads its nodes). An evicted group is never read again (`live` false).
 */
function recycleGroups(pass: Pass): void {
  const keep: SpreadGroup[] = [];
  for (const g of pass.retired) {
    if (pass.sidx !== null && pass.sidx.group === g) {
      keep.push(g);
      continue;
    }
    const host = g.host;
    for (const j of g.touched) host[j] = 0;
    g.host = NO_COUNTS;
    pass.freeHost.push(host);
  }
  pass.retired = keep;
}

/**
 * Visits every pod that may count for a spread group (bound pods matching `sel` in `namespace`, plus
 * others that `count` filters out), in no particular order (counting per node is commutative): the
 * pods of the matching label sets holding a bound pod (../cache.ts boundByLabelSet) when they are
 * fewer than the bound pods, else the bound pods, Node by Node. So a group costs O(min(matching pods, bound pods)), never the Pending pods of a ReplicaSet
 * scaled far beyond capacity (100,000 Pods of which 660 fit: 660 visits, not 100,000 plus a sort).
 */
function forEachGroupCandidate(state: SimState, namespace: string, sel: CompiledSelector, count: (pod: Pod) => void): void {
  const idx = getIndex(state);
  let sets: string[] | null = null;
  let matching = 0;
  if (sel.labels.length > 0) {
    let best: Set<string> | undefined;
    for (const [k, v] of sel.labels) {
      const s = idx.podsByLabel.get(`${namespace}|${k}=${v}`);
      if (!s) return; // no pod carries this pair: nothing matches
      if (!best || s.size < best.size) best = s;
    }
    sets = [];
    for (const id of best!) {
      // A set of Pending pods only (a ReplicaSet's new pods) counts nothing: not visited.
      if (!idx.boundByLabelSet.has(id) || !selectorMatchesLabels(sel, idx.labelSetLabels.get(id)!)) continue;
      sets.push(id);
      matching += idx.podsByLabelSet.get(id)!.size;
    }
  }
  if (sets !== null) {
    // Enough bound pods to prefer the label sets? Stop counting once it is decided: summing every
    // Node's set cost O(nodes) per group (1,500 groups x 5,000 Nodes in the 150k createSim).
    let bound = 0;
    for (const keys of idx.podsByNode.values()) {
      bound += keys.size;
      if (bound >= matching) break;
    }
    if (matching > bound) sets = null;
  }
  if (sets !== null) {
    for (const id of sets) for (const k of idx.podsByLabelSet.get(id)!) visitPod(state, k, count);
    return;
  }
  for (const keys of idx.podsByNode.values()) for (const k of keys) visitPod(state, k, count);
}

function visitPod(state: SimState, key: string, count: (pod: Pod) => void): void {
  const pod = state.pods[key];
  if (pod) count(pod);
}

/** Counts per domain of `topo` over every node (no node filter), kept in the group. */
function domainCounts(g: SpreadGroup, key: string, topo: Topology): Int32Array {
  let d = g.domains.get(key);
  if (d) return d;
  d = new Int32Array(topo.values.length);
  for (const j of g.touched) {
    const id = topo.dom[j]!;
    if (id >= 0) d[id]! += g.host[j]!;
  }
  g.domains.set(key, d);
  g.domList.push({ dom: topo.dom, counts: d });
  return d;
}

/** A binding in this pass: every cached group the pod belongs to counts it. */
function countBound(pass: Pass, pod: Pod, j: number): void {
  // The matching groups per label object (a template's pods share one) while the cache holds the same groups.
  const labels = pod.metadata.labels;
  let memo = pass.boundMemo.get(labels);
  if (!memo || memo.gen !== pass.groupsGen || memo.namespace !== pod.metadata.namespace) {
    const groups = pass.groups.filter((g) => g.namespace === pod.metadata.namespace && selectorMatchesLabels(g.sel, labels));
    pass.boundMemo.set(labels, (memo = { gen: pass.groupsGen, namespace: pod.metadata.namespace, groups }));
  }
  for (const g of memo.groups) {
    const c = (g.host[j] = g.host[j]! + 1);
    if (c === 1) g.touched.push(j);
    if (c > g.maxHost) g.maxHost = c;
    const list = g.domList;
    for (let k = 0; k < list.length; k++) {
      const id = list[k]!.dom[j]!;
      if (id >= 0) list[k]!.counts[id]!++;
    }
  }
}

/**
 * The system default spread selector (K podtopologyspread/common.go + helper.DefaultSelector): the
 * selectors of the Services selecting the pod and of its ReplicaSet, merged; null when none.
 */
function defaultSelector(pass: Pass, pod: Pod): CompiledSelector | null {
  const owner = controllerOf(pod);
  const cacheKey = owner ? owner.uid : null;
  if (cacheKey !== null && pass.defaultSel.has(cacheKey)) return pass.defaultSel.get(cacheKey)!;
  const state = pass.state;
  const ns = pod.metadata.namespace;
  const labels: Record<string, string> = Object.create(null) as Record<string, string>;
  let any = false;
  for (const sk of servicesForLabels(state, ns, pod.metadata.labels)) {
    for (const [k, v] of Object.entries(state.services[sk]!.spec.selector)) {
      labels[k] = v;
      any = true;
    }
  }
  if (owner && owner.kind === 'ReplicaSet') {
    const rs = state.replicaSets[`${ns}/${owner.name}`];
    if (rs) {
      for (const [k, v] of Object.entries(rs.spec.selector.matchLabels)) {
        labels[k] = v;
        any = true;
      }
    }
  }
  const sel = any ? compileSelector({ matchLabels: { ...labels } }) : null;
  if (cacheKey !== null) pass.defaultSel.set(cacheKey, sel);
  return sel;
}

/** The pod's constraints of one kind resolved to groups (own constraints, else system defaults for scoring). */
function spreadTerms(pass: Pass, pod: Pod, kind: 'DoNotSchedule' | 'ScheduleAnyway'): { terms: SpreadTerm[]; requireAll: boolean } {
  const own = pod.spec.topologySpreadConstraints;
  const terms: SpreadTerm[] = [];
  if (own && own.length > 0) {
    for (const c of own) {
      if (c.whenUnsatisfiable !== kind) continue;
      const extra: [string, string][] = [];
      for (const k of c.matchLabelKeys ?? []) {
        const v = pod.metadata.labels[k];
        if (v !== undefined) extra.push([k, v]);
      }
      const sel = compileSelector(c.labelSelector, extra);
      terms.push({ c, group: groupOf(pass, pod.metadata.namespace, sel), topo: c.topologyKey === HOSTNAME ? null : topologyOf(pass, c.topologyKey), hostname: c.topologyKey === HOSTNAME });
    }
    return { terms, requireAll: true };
  }
  if (kind === 'DoNotSchedule') return { terms, requireAll: false };
  const sel = defaultSelector(pass, pod);
  if (!sel) return { terms, requireAll: false };
  const group = groupOf(pass, pod.metadata.namespace, sel);
  for (const c of SYSTEM_DEFAULT_SPREAD) terms.push({ c, group, topo: c.topologyKey === HOSTNAME ? null : topologyOf(pass, c.topologyKey), hostname: c.topologyKey === HOSTNAME });
  return { terms, requireAll: false };
}

/** The pod's spread terms (cached per ReplicaSet uid while their groups stay cached). */
function podTerms(pass: Pass, pod: Pod, sig: string | null): PodTerms {
  if (sig !== null) {
    const t = pass.terms.get(sig);
    if (t && t.hard.every((x) => x.group.live) && t.soft.every((x) => x.group.live)) return t;
  }
  const hard = spreadTerms(pass, pod, 'DoNotSchedule').terms;
  const soft = spreadTerms(pass, pod, 'ScheduleAnyway');
  const s = soft.terms;
  const defaultsFast = !soft.requireAll && s.length === 2 && s[0]!.hostname && !s[1]!.hostname && !hasRequiredNodeAffinity(pod) && pod.spec.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution === undefined;
  const t: PodTerms = { hard, soft: s, softRequireAll: soft.requireAll, defaultsFast };
  if (sig !== null) pass.terms.set(sig, t);
  return t;
}

/** Grows the bucket arrays to hold `size` buckets. */
function ensurePairs(pass: Pass, size: number, want: number): void {
  if (pass.pairGen.length >= size && pass.pairNodes.length >= pass.pairGen.length * want) return;
  const cap = Math.max(size, pass.pairGen.length, 64);
  pass.pairGen = new Int32Array(cap);
  pass.pairMax = new Float64Array(cap);
  pass.pairCnt = new Int32Array(cap);
  pass.pairTot = new Float64Array(cap);
  pass.pairList = new Int32Array(cap);
  pass.pairNodes = new Int32Array(cap * want);
  pass.pairFirst = new Int32Array(cap);
}

/** True when node `j` has every topology key of `terms`. */
function hasAllKeys(pass: Pass, terms: SpreadTerm[], j: number): boolean {
  for (const t of terms) if (t.hostname ? false : t.topo!.dom[j]! < 0) return false;
  if (terms.some((t) => t.hostname)) return pass.table.nodes[j]!.metadata.labels[HOSTNAME] !== undefined;
  return true;
}

/** True when the node counts for the pod's spread (nodeAffinityPolicy Honor: it matches the pod's required affinity). */
function includedNode(pass: Pass, pod: Pod, c: TopologySpreadConstraint, j: number): boolean {
  if ((c.nodeAffinityPolicy ?? 'Honor') === 'Ignore' || !hasRequiredNodeAffinity(pod)) return true;
  return requiredNodeAffinityMatches(pod, pass.table.nodes[j]!);
}

/**
 * Counts per domain for one term over the nodes that count (inclusion policy; with `requireAll`, nodes
 * having every key of `all`), plus which domains exist there. Cached counts when no node is filtered.
 */
function termCounts(pass: Pass, pod: Pod, term: SpreadTerm, all: SpreadTerm[], requireAll: boolean): { counts: Int32Array; present: Uint8Array | null } {
  const topo = term.topo!;
  const filtered = (hasRequiredNodeAffinity(pod) && (term.c.nodeAffinityPolicy ?? 'Honor') === 'Honor') || (requireAll && all.length > 1);
  if (!filtered) return { counts: domainCounts(term.group, term.c.topologyKey, topo), present: null };
  const counts = new Int32Array(topo.values.length);
  const present = new Uint8Array(topo.values.length);
  const n = pass.table.nodes.length;
  for (let j = 0; j < n; j++) {
    const id = topo.dom[j]!;
    if (id < 0 || (requireAll && !hasAllKeys(pass, all, j)) || !includedNode(pass, pod, term.c, j)) continue;
    present[id] = 1;
    counts[id]! += term.group.host[j]!;
  }
  return { counts, present };
}

/** PodTopologySpread's Filter for DoNotSchedule terms, per node; built once per pod. */
function spreadFilter(pass: Pass, pod: Pod, terms: SpreadTerm[]): (j: number) => FilterResult | null {
  const checks = terms.map((term) => {
    const selfMatch = selectorMatchesLabels(term.group.sel, pod.metadata.labels) ? 1 : 0;
    if (term.hostname) {
      // Domains are the eligible nodes themselves.
      let min = Infinity;
      let domains = 0;
      const n = pass.table.nodes.length;
      for (let j = 0; j < n; j++) {
        if (!hasAllKeys(pass, terms, j) || !includedNode(pass, pod, term.c, j)) continue;
        domains++;
        if (term.group.host[j]! < min) min = term.group.host[j]!;
      }
      if (domains < (term.c.minDomains ?? 1) || min === Infinity) min = 0;
      return { term, selfMatch, min, counts: null as Int32Array | null };
    }
    const { counts, present } = termCounts(pass, pod, term, terms, true);
    let min = Infinity;
    let domains = 0;
    for (let d = 0; d < counts.length; d++) {
      if (present && present[d] === 0) continue;
      domains++;
      if (counts[d]! < min) min = counts[d]!;
    }
    if (domains < (term.c.minDomains ?? 1) || min === Infinity) min = 0;
    return { term, selfMatch, min, counts };
  });
  return (j: number) => {
    for (const ch of checks) {
      const { term } = ch;
      if (term.hostname ? pass.table.nodes[j]!.metadata.labels[HOSTNAME] === undefined : term.topo!.dom[j]! < 0) return { reasons: [REASON_SPREAD_LABEL], unresolvable: true };
    }
    for (const ch of checks) {
      const { term } = ch;
      const match = term.hostname ? term.group.host[j]! : ch.counts![term.topo!.dom[j]!]!;
      if (match + ch.selfMatch - ch.min > term.c.maxSkew) return { reasons: [REASON_SPREAD], unresolvable: false };
    }
    return null;
  };
}

/** Signature of pods that schedule identically (same ReplicaSet template): the controller's uid, or null. */
function podSignature(pod: Pod): string | null {
  const owner = controllerOf(pod);
  // A DaemonSet's pods differ by Node (each is pinned to its own by nodeSelector): no shared cache.
  return owner && owner.kind !== 'DaemonSet' ? owner.uid : null;
}

/** One pod's filter scan results. */
interface Scan {
  found: number;
  processed: number;
  counts: Map<string, number> | null;
  unresolvable: number;
  anyTainted: boolean;
  /** Buckets in use ({@link scanDefaults}). */
  pairs: number;
}

/** What the filter scan needs of the pod. */
interface PodCtx {
  pod: Pod;
  podCpu: number;
  podMem: number;
  scoreCpu: number;
  scoreMem: number;
  bestEffort: boolean;
  needAffinity: boolean;
  affinity: Int8Array | null;
  spreadOk: ((j: number) => FilterResult | null) | null;
  /** InterPodAffinity's PreFilter state, null when the plugin has nothing to check for the pod. */
  ipa: InterPodAffinityState | null;
  /** NodePorts: true when the node holds one of the pod's host ports; undefined for a pod without host ports (most). */
  portsBusy: ((node: Node) => boolean) | undefined;
  /** (issue 6) Per Node name, the room nominated Pods of equal or higher priority reserve there; null when none. */
  reserved: Map<string, Reserved> | null;
}

/**
 * NodeResourcesFit with the nominated Pods' requests `r` added to the Node's (RunFilterPluginsWithNominatedPods,
 * K pkg/scheduler/framework/runtime/framework.go): the reasons, or null when the pod still fits.
 */
function reservedFit(pod: Pod, node: Node, r: Reserved): FilterResult | null {
  const s = node.sim;
  let reasons: string[] | null = null;
  if (s.podCount + r.count + 1 > s.podsAllocatable) (reasons ??= []).push('Too many pods');
  if (pod.sim.cpuRequestMilli > 0 && pod.sim.cpuRequestMilli > s.cpuAllocatableMilli - s.cpuRequestedMilli - r.cpu) (reasons ??= []).push('Insufficient cpu');
  if (pod.sim.memRequestMiB > 0 && pod.sim.memRequestMiB > s.memAllocatableMiB - s.memRequestedMiB - r.mem) (reasons ??= []).push('Insufficient memory');
  return reasons ? { reasons, unresolvable: false } : null;
}

function failNode(scan: Scan, f: FilterResult): void {
  scan.counts ??= new Map();
  for (const r of f.reasons) scan.counts.set(r, (scan.counts.get(r) ?? 0) + 1);
  if (f.unresolvable) scan.unresolvable++;
}

/** Filters node `at` for the pod: its resource score (LeastAllocated + BalancedAllocation), or -1 (failure recorded). */
function evalNode(pass: Pass, c: PodCtx, scan: Scan, at: number): number {
  const table = pass.table;
  const node = table.nodes[at]!;
  let score: number;
  const reserved = c.reserved?.get(node.metadata.name);
  if (reserved !== undefined) {
    const f = filterNode(c.pod, node, c.portsBusy) ?? reservedFit(c.pod, node, reserved);
    if (f) {
      failNode(scan, f);
      return -1;
    }
    score = rowScore(table, at, c.podCpu, c.podMem, c.scoreCpu, c.scoreMem, c.bestEffort);
    if (node.spec.taints.length > 0) scan.anyTainted = true;
  } else if (table.slow[at] === 1) {
    const f = filterNode(c.pod, node, c.portsBusy);
    if (f) {
      failNode(scan, f);
      return -1;
    }
    score = rowScore(table, at, c.podCpu, c.podMem, c.scoreCpu, c.scoreMem, c.bestEffort);
    if (node.spec.taints.length > 0) scan.anyTainted = true;
  } else {
    if (c.needAffinity) {
      let m = c.affinity ? c.affinity[at]! : -1;
      if (m < 0) {
        m = requiredNodeAffinityMatches(c.pod, node) ? 1 : 0;
        if (c.affinity) c.affinity[at] = m;
      }
      if (m === 0) {
        failNode(scan, AFFINITY_FAIL);
        return -1;
      }
    }
    if (c.portsBusy !== undefined && c.portsBusy(node)) {
      failNode(scan, PORTS_FAIL);
      return -1;
    }
    score = table.code[at]!;
    if (score === UNKNOWN) table.code[at] = score = rowCode(table, at, c.podCpu, c.podMem, c.scoreCpu, c.scoreMem, c.bestEffort);
    if (score === SLOW) {
      const f = filterNode(c.pod, node, c.portsBusy);
      if (f) {
        failNode(scan, f);
        return -1;
      }
      score = rowScore(table, at, c.podCpu, c.podMem, c.scoreCpu, c.scoreMem, c.bestEffort);
    }
  }
  if (c.spreadOk) {
    const f = c.spreadOk(at);
    if (f) {
      failNode(scan, f);
      return -1;
    }
  }
  if (c.ipa) {
    const f = interPodAffinityFilter(c.ipa, node);
    if (f) {
      failNode(scan, { reasons: [f.reason], unresolvable: f.unresolvable });
      return -1;
    }
  }
  return score;
}

/** The filter scan from `start` until `want` nodes fit (numFeasibleNodesToFind), any pod. */
function scanGeneral(pass: Pass, c: PodCtx, scan: Scan, start: number, want: number): void {
  const n = pass.table.nodes.length;
  const feas = pass.feas;
  const base = pass.base;
  let j = start;
  let found = 0;
  let processed = 0;
  for (let i = 0; i < n && found < want; i++) {
    processed++;
    const at = j;
    if (++j === n) j = 0;
    const score = evalNode(pass, c, scan, at);
    if (score < 0) continue;
    feas[found] = at;
    base[found] = score;
    found++;
  }
  scan.found = found;
  scan.processed = processed;
}

/**
 * {@link scanGeneral} for a pod under the system-default spread only (no node affinity, no
 * DoNotSchedule): the common case, with the cached resource score read inline and each feasible node
 * put in its (group pods on the node, zone) bucket (see {@link pickBucket}).
 */
function scanDefaults(pass: Pass, c: PodCtx, scan: Scan, start: number, want: number, host: Int32Array, dom: Int32Array, zones: number, gen: number): void {
  const table = pass.table;
  const n = table.nodes.length;
  const code = table.code;
  const pairGen = pass.pairGen;
  const pairMax = pass.pairMax;
  const pairCnt = pass.pairCnt;
  const pairList = pass.pairList;
  const pairNodes = pass.pairNodes;
  const miss = zones - 1;
  let pairs = 0;
  let j = start;
  let found = 0;
  let processed = 0;
  for (let i = 0; i < n && found < want; i++) {
    processed++;
    const at = j;
    if (++j === n) j = 0;
    // rowCode makes every unschedulable/tainted node's code SLOW, so negative codes cover them.
    let score = code[at]!;
    if (score < 0) {
      score = evalNode(pass, c, scan, at);
      if (score < 0) continue;
    }
    const zid = dom[at]!;
    const p = host[at]! * zones + (zid < 0 ? miss : zid);
    if (pairGen[p] !== gen) {
      pairGen[p] = gen;
      pairMax[p] = score;
      pairCnt[p] = 1;
      pairNodes[p * want] = at;
      pairList[pairs++] = p;
    } else {
      const m = pairMax[p]!;
      if (score > m) {
        pairMax[p] = score;
        pairCnt[p] = 1;
        pairNodes[p * want] = at;
      } else if (score === m) pairNodes[p * want + pairCnt[p]!++] = at;
    }
    found++;
  }
  scan.found = found;
  scan.processed = processed;
  scan.pairs = pairs;
}

function scheduleOne(state: SimState, key: string, pod: Pod, pass: Pass): boolean {
  if (pass.retired.length > 0 && recycling) recycleGroups(pass);
  const claims = pod.spec.volumes === undefined ? null : volumeBindingPreFilter(state, pod);
  if (claims !== null) {
    recordFailure(state, key, pod, preFilterFitError(pass.table.nodes.length, claims)); // VolumeBinding PreFilter (./volumeBinding.ts)
    return false;
  }
  const sig = podSignature(pod);
  if (sig !== null) {
    const msg = pass.failed.get(sig);
    if (msg !== undefined) {
      recordFailure(state, key, pod, msg);
      return false;
    }
  }
  const table = pass.table;
  const nodes = table.nodes;
  const n = nodes.length;
  const want = numFeasibleNodesToFind(n);
  const start = n > 0 ? state.scheduler.nextStartNodeIndex % n : 0;
  const podCpu = pod.sim.cpuRequestMilli;
  const podMem = pod.sim.memRequestMiB;
  const scoreCpu = podCpu || DEFAULT_SCORE_CPU_MILLI;
  const scoreMem = podMem || DEFAULT_SCORE_MEM_MIB;
  const bestEffort = podCpu === 0 && podMem === 0;
  const needAffinity = hasRequiredNodeAffinity(pod);
  let affinity: Int8Array | null = null;
  if (needAffinity && sig !== null) {
    affinity = pass.affinity.get(sig) ?? null;
    if (!affinity) pass.affinity.set(sig, (affinity = new Int8Array(n).fill(-1)));
  }
  if (table.classCpu !== podCpu || table.classMem !== podMem) {
    table.classCpu = podCpu;
    table.classMem = podMem;
    table.code.fill(UNKNOWN);
    pass.sidx = null;
  }
  const terms = podTerms(pass, pod, sig);
  const spreadOk = terms.hard.length > 0 ? spreadFilter(pass, pod, terms.hard) : null;
  const ipa = prepareInterPodAffinity(state, key, pod, pass.ipaExisting);
  const wantPorts: readonly HostPortWant[] = podHostPorts(pod);
  const portsBusy = wantPorts.length === 0 ? undefined : (nd: Node) => hostPortConflict(state, nd.metadata.name, wantPorts);
  // ImageLocality varies by Node only once some (not all) Nodes hold one of the pod's images and their
  // scaled sizes cross the 23 MiB threshold: then the general scan scores it (addScores); else it adds
  // the same to every Node and the fast paths stand. Not during createSim's warm start (see imageLocalityTerm).
  const images = isWarmStart(state) ? null : imageLocalityTerm(state, pod, n);
  // (issue 6) Pods nominated by preemption reserve their Node's room: the general scan checks those Nodes.
  const reserved = state.scheduler.nominated === undefined ? null : nominatedReservations(state, key, pod);
  const fast = terms.defaultsFast && !needAffinity && spreadOk === null && ipa === null && portsBusy === undefined && images === null && reserved === null;
  let scan: Scan = { found: 0, processed: 0, counts: null, unresolvable: 0, anyTainted: false, pairs: 0 };
  const ctx: PodCtx = { pod, podCpu, podMem, scoreCpu, scoreMem, bestEffort, needAffinity, affinity, spreadOk, ipa, portsBusy, reserved };
  let zones = 1;
  let indexed = -1;
  if (fast) {
    const host = terms.soft[0]!;
    const topo = terms.soft[1]!.topo!;
    zones = topo.values.length + 1;
    ensurePairs(pass, (host.group.maxHost + 1) * zones, want);
    if (n >= indexMinNodes) indexed = scheduleByIndex(pass, ctx, terms, start, want, zones);
    if (indexed >= 0) {
      scan.found = want;
      scan.processed = want;
    } else scanDefaults(pass, ctx, scan, start, want, host.group.host, topo.dom, zones, ++pass.stampGen);
  }
  if (fast && indexed < 0 && scan.found > 0) pass.feas[0] = pass.pairNodes[pass.pairList[0]! * want]!; // the only node when found === 1
  if (!fast || (scan.anyTainted && scan.found > 1)) {
    // A tainted node passed (TaintToleration scores vary): the general scan and scoring.
    scan = { found: 0, processed: 0, counts: null, unresolvable: 0, anyTainted: false, pairs: 0 };
    scanGeneral(pass, ctx, scan, start, want);
  }
  const found = scan.found;
  const processed = scan.processed;
  const counts = scan.counts;
  const unresolvable = scan.unresolvable;
  const anyTainted = scan.anyTainted;
  const pairs = scan.pairs;
  const feas = pass.feas;
  const base = pass.base;
  if (n > 0) state.scheduler.nextStartNodeIndex = (start + processed) % n;
  if (found === 0) {
    let msg = fitErrorMessage(n, counts ?? new Map(), unresolvable, n - unresolvable);
    if (pod.spec.priority !== undefined || pod.spec.preemptionPolicy !== undefined || pod.status.nominatedNodeName !== undefined || lowestPriority(state) < 0) {
      // DefaultPreemption (PostFilter): only for pods that carry a priority (absent: 0, nothing lower to
      // preempt unless a PriorityClass is negative).
      const r = preempt(state, key, pod);
      if (r && 'nominated' in r) pass.ipaExisting.clear();
      const head = msg.slice(0, msg.indexOf(' preemption:'));
      if (r && 'nominated' in r) msg = head;
      else if (r) msg = `${head} ${r.message}`;
    }
    if (sig !== null) pass.failed.set(sig, msg);
    recordFailure(state, key, pod, msg);
    return false;
  }
  let bestJ = feas[0]!;
  if (indexed >= 0) bestJ = indexed;
  else if (found > 1 && fast && !anyTainted) {
    const p = pickBucket(pass, state, terms, found, pairs, zones);
    bestJ = p >= 0 ? pass.pairNodes[p * want + pickRest]! : pass.feas[0]!;
  }
  else if (found > 1) {
    addScores(pass, pod, found, anyTainted, terms, ipa, images);
    // selectHost: the highest total, one uniform draw among the tied nodes (in scan order).
    let best = -1;
    let ties = 0;
    for (let i = 0; i < found; i++) {
      const s = base[i]!;
      if (s > best) {
        best = s;
        ties = 1;
      } else if (s === best) ties++;
    }
    let pick = ties > 1 ? nextInt(state.rng, ties) : 0;
    for (let i = 0; i < found; i++) {
      if (base[i] === best && pick-- === 0) {
        bestJ = feas[i]!;
        break;
      }
    }
  }
  const node = nodes[bestJ]!;
  if (!bindPod(state, key, node.metadata.name).ok) return false;
  refreshRow(table, bestJ, node);
  pass.failed.clear();
  if (pod.spec.affinity && (pod.spec.affinity.podAffinity || pod.spec.affinity.podAntiAffinity)) pass.ipaExisting.clear();
  countBound(pass, pod, bestJ);
  if (pass.sidx) updateIndex(pass, pass.sidx, bestJ);
  // emit records nothing in the warm start: skip building the event's strings for 150k Pods there.
  if (!isWarmStart(state)) emit(state, 'Normal', 'Scheduled', { kind: 'Pod', name: pod.metadata.name, namespace: pod.metadata.namespace }, `Successfully assigned ${key} to ${node.metadata.name}`, 'default-scheduler');
  kubeletOnBound(state, key, pod);
  return true;
}

/**
 * ImageLocality's view of one pod (K imagelocality/image_locality.go): its normalised container image
 * names (init containers included) with each one's scaled score, bytes ({@link scaledImageScore}: size x
 * Nodes holding it / all Nodes, from the per-image Node counts of ../cache.ts).
 */
interface ImageLocalityTerm {
  names: string[];
  /** Scaled score of `names[i]`, bytes (0 when no Node holds it). */
  scaled: number[];
  /** Containers counted by calculatePriority (init + app). */
  containers: number;
}

/** Size, bytes, a Node reports for image `name`, or -1 when its `status.images` does not list it. */
function nodeImageSize(node: Node, name: string): number {
  for (const img of node.status.images ?? []) if (img.names.includes(name)) return img.sizeBytes;
  return -1;
}

/**
 * The pod's {@link ImageLocalityTerm}, or null when ImageLocality scores every one of the `n` Nodes the
 * same (no Node, or every Node, holds each image; or even a Node holding them all stays under 23 MiB):
 * a constant changes no placement. O(containers). Null during createSim's warm start: that cluster was
 * already running, its Pods placed before the images were there (their images are recorded as they are
 * placed, so the first Pods of the match see them).
 */
function imageLocalityTerm(state: SimState, pod: Pod, n: number): ImageLocalityTerm | null {
  const names = podImageNames(pod);
  const scaled: number[] = [];
  let everywhere = 0;
  let partial = 0;
  for (const name of names) {
    const summary = imageState(state, name);
    if (summary === undefined) {
      scaled.push(0);
      continue;
    }
    const count = summary.numNodes;
    const s = scaledImageScore(summary.sizeBytes, count, n);
    scaled.push(s);
    if (count >= n) everywhere += s;
    else partial += s;
  }
  if (partial === 0 || imageLocalityPriority(everywhere, names.length) === imageLocalityPriority(everywhere + partial, names.length)) return null;
  return { names, scaled, containers: names.length };
}

/** ImageLocality Score of one Node (0..100): calculatePriority over the scaled scores of the pod's images it holds. */
function imageLocalityScore(t: ImageLocalityTerm, node: Node): number {
  let sum = 0;
  for (let k = 0; k < t.names.length; k++) if (t.scaled[k]! > 0 && nodeImageSize(node, t.names[k]!) >= 0) sum += t.scaled[k]!;
  return imageLocalityPriority(sum, t.containers);
}

/**
 * Adds the weighted, normalised TaintToleration, NodeAffinity, InterPodAffinity and PodTopologySpread scores of the
 * `found` feasible nodes (`pass.feas`) to `pass.base`. Normalisation as in the Go plugins:
 * DefaultNormalizeScore (`score * 100 / max`, reversed for taints) and PodTopologySpread's
 * `100 * (max + min - s) / max` over the non-ignored nodes.
 */
function addScores(pass: Pass, pod: Pod, found: number, anyTainted: boolean, terms: PodTerms, ipa: InterPodAffinityState | null, images: ImageLocalityTerm | null): void {
  const nodes = pass.table.nodes;
  const feas = pass.feas;
  const base = pass.base;
  const extra = pass.extra;
  if (images) for (let i = 0; i < found; i++) base[i]! += SCORE_WEIGHTS.ImageLocality * imageLocalityScore(images, nodes[feas[i]!]!);
  if (anyTainted) {
    let max = 0;
    for (let i = 0; i < found; i++) {
      const c = intolerablePreferNoSchedule(nodes[feas[i]!]!, pod.spec.tolerations);
      extra[i] = c;
      if (c > max) max = c;
    }
    if (max > 0) for (let i = 0; i < found; i++) base[i]! += SCORE_WEIGHTS.TaintToleration * (MAX_NODE_SCORE - Math.trunc((MAX_NODE_SCORE * extra[i]!) / max));
  }
  if (pod.spec.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution) {
    let max = 0;
    for (let i = 0; i < found; i++) {
      const s = preferredNodeAffinityScore(pod, nodes[feas[i]!]!);
      extra[i] = s;
      if (s > max) max = s;
    }
    if (max > 0) for (let i = 0; i < found; i++) base[i]! += SCORE_WEIGHTS.NodeAffinity * Math.trunc((MAX_NODE_SCORE * extra[i]!) / max);
  }
  if (ipa && (ipa.score || ipa.existingScore)) {
    for (let i = 0; i < found; i++) extra[i] = interPodAffinityRawScore(ipa, nodes[feas[i]!]!);
    normalizeInterPodAffinity(extra, found, (i, s) => {
      base[i]! += SCORE_WEIGHTS.InterPodAffinity * s;
    });
  }
  if (terms.soft.length > 0) addSpreadScores(pass, pod, found, terms.soft, terms.softRequireAll);
}

/** PodTopologySpread PreScore + Score + NormalizeScore (K podtopologyspread/scoring.go) for the feasible nodes. */
function addSpreadScores(pass: Pass, pod: Pod, found: number, terms: SpreadTerm[], requireAll: boolean): void {
  const feas = pass.feas;
  const base = pass.base;
  const raw = pass.raw;
  // Ignored nodes (without every key, for the pod's own constraints) and the domain count of each term.
  let ignored = 0;
  const ign = pass.extra;
  for (let i = 0; i < found; i++) {
    const skip = requireAll && !hasAllKeys(pass, terms, feas[i]!);
    ign[i] = skip ? 1 : 0;
    if (skip) ignored++;
  }
  const weights: number[] = [];
  const counts: (Int32Array | null)[] = [];
  for (const term of terms) {
    if (term.hostname) {
      weights.push(Math.log(found - ignored + 2));
      counts.push(null);
      continue;
    }
    const gen = ++pass.stampGen;
    const stamp = pass.stamp.length >= term.topo!.values.length ? pass.stamp : (pass.stamp = new Int32Array(term.topo!.values.length));
    let size = 0;
    for (let i = 0; i < found; i++) {
      if (ign[i] === 1) continue;
      const id = term.topo!.dom[feas[i]!]!;
      if (id >= 0 && stamp[id] !== gen) {
        stamp[id] = gen;
        size++;
      }
    }
    weights.push(Math.log(size + 2));
    counts.push(termCounts(pass, pod, term, terms, requireAll).counts);
  }
  let min = Infinity;
  let max = 0;
  const hostnameOf = (j: number) => pass.table.nodes[j]!.metadata.labels[HOSTNAME] !== undefined;
  if (terms.length === 2 && terms[0]!.hostname && !terms[1]!.hostname && !requireAll) {
    // The system defaults (hostname + zone): the hot path of every Deployment without own constraints.
    const host = terms[0]!.group.host;
    const dom = terms[1]!.topo!.dom;
    const zc = counts[1]!;
    const w0 = weights[0]!;
    const w1 = weights[1]!;
    const k0 = terms[0]!.c.maxSkew - 1;
    const k1 = terms[1]!.c.maxSkew - 1;
    for (let i = 0; i < found; i++) {
      const j = feas[i]!;
      const id = dom[j]!;
      const s = Math.round(host[j]! * w0 + k0 + (id >= 0 ? zc[id]! * w1 + k1 : 0));
      raw[i] = s;
      if (s < min) min = s;
      if (s > max) max = s;
    }
  } else {
    for (let i = 0; i < found; i++) {
      if (ign[i] === 1) continue;
      const j = feas[i]!;
      let s = 0;
      for (let k = 0; k < terms.length; k++) {
        const term = terms[k]!;
        if (term.hostname) {
          if (hostnameOf(j)) s += term.group.host[j]! * weights[k]! + term.c.maxSkew - 1;
          continue;
        }
        const id = term.topo!.dom[j]!;
        if (id >= 0) s += counts[k]![id]! * weights[k]! + term.c.maxSkew - 1;
      }
      s = Math.round(s);
      raw[i] = s;
      if (s < min) min = s;
      if (s > max) max = s;
    }
  }
  const w = SCORE_WEIGHTS.PodTopologySpread;
  for (let i = 0; i < found; i++) {
    if (ign[i] === 1) continue;
    base[i]! += w * (max === 0 ? MAX_NODE_SCORE : Math.trunc((MAX_NODE_SCORE * (max + min - raw[i]!)) / max));
  }
}

/**
 * selectHost for the system-default spread without other varying scores: the same totals as
 * {@link addSpreadScores} (hostname weight `log(feasible + 2)`, zone weight `log(zones among the
 * feasible + 2)`, normalised over the feasible nodes) computed once per (host count, zone) bucket, then
 * one draw among the tied nodes (enumerated bucket by bucket, each in scan order: uniform like the
 * Go code's reservoir sampling). O(buckets). Returns the bucket drawn (-1 when none) and leaves the
 * drawn node's place among that bucket's best nodes (scan order) in {@link pickRest}.
 */
function pickBucket(pass: Pass, state: SimState, terms: PodTerms, found: number, pairs: number, zones: number): number {
  const list = pass.pairList;
  const miss = zones - 1;
  const gen = ++pass.stampGen;
  const stamp = pass.stamp.length >= zones ? pass.stamp : (pass.stamp = new Int32Array(zones));
  let size = 0;
  for (let k = 0; k < pairs; k++) {
    const z = list[k]! % zones;
    if (z !== miss && stamp[z] !== gen) {
      stamp[z] = gen;
      size++;
    }
  }
  const host = terms.soft[0]!;
  const zone = terms.soft[1]!;
  const zc = domainCounts(zone.group, zone.c.topologyKey, zone.topo!);
  const w0 = Math.log(found + 2);
  const w1 = Math.log(size + 2);
  const k0 = host.c.maxSkew - 1;
  const k1 = zone.c.maxSkew - 1;
  const raw = pass.pairTot;
  let min = Infinity;
  let max = 0;
  for (let k = 0; k < pairs; k++) {
    const p = list[k]!;
    const z = p % zones;
    const h = (p - z) / zones;
    const r = Math.round(h * w0 + k0 + (z !== miss ? zc[z]! * w1 + k1 : 0));
    raw[p] = r;
    if (r < min) min = r;
    if (r > max) max = r;
  }
  const w = SCORE_WEIGHTS.PodTopologySpread;
  let best = -1;
  let ties = 0;
  for (let k = 0; k < pairs; k++) {
    const p = list[k]!;
    const spread = w * (max === 0 ? MAX_NODE_SCORE : Math.trunc((MAX_NODE_SCORE * (max + min - raw[p]!)) / max));
    raw[p] = spread;
    const tot = pass.pairMax[p]! + spread;
    if (tot > best) {
      best = tot;
      ties = pass.pairCnt[p]!;
    } else if (tot === best) ties += pass.pairCnt[p]!;
  }
  let pick = ties > 1 ? nextInt(state.rng, ties) : 0;
  for (let k = 0; k < pairs; k++) {
    const p = list[k]!;
    if (pass.pairMax[p]! + raw[p]! !== best) continue;
    const cnt = pass.pairCnt[p]!;
    if (pick < cnt) {
      pickRest = pick;
      return p;
    }
    pick -= cnt;
  }
  pickRest = 0;
  return -1;
}

/** {@link pickBucket}'s second result: the place of the drawn node among its bucket's best nodes. */
let pickRest = 0;

// ---------------------------------------------------------------------------------------------------
// The spread index: the bucketed pick of a run of same-template pods without visiting every sampled node
// ---------------------------------------------------------------------------------------------------

/**
 * Smallest cluster (Nodes) for which {@link scheduleByIndex} is tried; below it the scan is as cheap.
 * Not a Kubernetes setting: either way the placement is the same.
 */
export const SCHEDULER_INDEX_MIN_NODES = 200;
/** Consecutive pods of one group and request class after which the run builds its index (O(nodes)). */
const INDEX_RUN = 8;
let indexMinNodes = SCHEDULER_INDEX_MIN_NODES;

/**
 * Tests only: the cluster size from which the spread index is used (Infinity: never), so a test can
 * check that it places every pod exactly like the plain scan. Returns the previous value.
 */
export function setSchedulerIndexMinNodes(nodes: number): number {
  const prev = indexMinNodes;
  indexMinNodes = nodes;
  return prev;
}

/** A segment tree over one zone's nodes (in sortedNodes order); see {@link SpreadIndex}. */
interface ZoneTree {
  /** Leaves (a power of two >= the zone's nodes). */
  size: number;
  /** Per tree node: the highest code among nodes without pods of the group ({@link EXCLUDED} when none). */
  max: Int16Array;
  /** Per tree node: how many of its leaves have that highest code. */
  cnt: Int32Array;
  /** Per tree node: the lowest code among all its nodes ({@link NO_MIN} for padding). */
  min: Int16Array;
  /** Per tree node: its nodes without pods of the group. */
  free: Int32Array;
}

/** The nodes of each zone of one topology key, with one reusable tree per zone. */
interface ZoneLists {
  /** Per node: its zone index, `values.length` (the "missing label" bucket) without the label. */
  zoneOf: Int32Array;
  /** Per node: its place in its zone's list. */
  rank: Int32Array;
  /** Per zone: the node positions, ascending. */
  pos: Int32Array[];
  trees: ZoneTree[];
}

/**
 * For one run of pods (one spread group, one request class, the system-default spread): per zone, a
 * segment tree of the nodes' cached codes ({@link NodeTable.code}), so the sampled window's
 * (group pods on the node = 0, zone) buckets are read in O(log nodes) and the nodes holding pods of the
 * group (`group.touched`) are visited one by one. Kept up to date on every binding of the pass.
 */
interface SpreadIndex {
  group: SpreadGroup;
  topo: Topology;
  lists: ZoneLists;
  cpu: number;
  mem: number;
  scoreCpu: number;
  scoreMem: number;
  bestEffort: boolean;
  /** The pass's {@link NodeTable.code} (every entry known while the index lives). */
  code: Int16Array;
}

const EXCLUDED = -32768;
const NO_MIN = 32767;

function zoneListsOf(pass: Pass, topo: Topology): ZoneLists {
  let z = pass.zoneLists.get(topo);
  if (z) return z;
  const n = topo.dom.length;
  const zones = topo.values.length + 1;
  const zoneOf = new Int32Array(n);
  const rank = new Int32Array(n);
  const sizes = new Int32Array(zones);
  for (let j = 0; j < n; j++) {
    const d = topo.dom[j]!;
    const zi = d < 0 ? zones - 1 : d;
    zoneOf[j] = zi;
    rank[j] = sizes[zi]!;
    sizes[zi]!++;
  }
  const pos: Int32Array[] = [];
  const trees: ZoneTree[] = [];
  for (let k = 0; k < zones; k++) {
    pos.push(new Int32Array(sizes[k]!));
    let size = 1;
    while (size < sizes[k]!) size *= 2;
    trees.push({ size, max: new Int16Array(2 * size), cnt: new Int32Array(2 * size), min: new Int16Array(2 * size), free: new Int32Array(2 * size) });
  }
  for (let j = 0; j < n; j++) pos[zoneOf[j]!]![rank[j]!] = j;
  z = { zoneOf, rank, pos, trees };
  pass.zoneLists.set(topo, z);
  return z;
}

function pullUp(t: ZoneTree, k: number): void {
  const a = 2 * k;
  const b = a + 1;
  const ma = t.max[a]!;
  const mb = t.max[b]!;
  if (ma > mb) {
    t.max[k] = ma;
    t.cnt[k] = t.cnt[a]!;
  } else if (mb > ma) {
    t.max[k] = mb;
    t.cnt[k] = t.cnt[b]!;
  } else {
    t.max[k] = ma;
    t.cnt[k] = t.cnt[a]! + t.cnt[b]!;
  }
  t.min[k] = t.min[a]! < t.min[b]! ? t.min[a]! : t.min[b]!;
  t.free[k] = t.free[a]! + t.free[b]!;
}

function setLeaf(t: ZoneTree, leaf: number, code: number, free: boolean): void {
  t.max[leaf] = free ? code : EXCLUDED;
  t.cnt[leaf] = 1;
  t.min[leaf] = code;
  t.free[leaf] = free ? 1 : 0;
}

/** Builds the run's index: every node's code for the class (as the scan would compute it), then the trees. O(nodes). */
function buildIndex(pass: Pass, group: SpreadGroup, topo: Topology, c: PodCtx): SpreadIndex {
  const table = pass.table;
  const code = table.code;
  const n = table.nodes.length;
  for (let j = 0; j < n; j++) if (code[j] === UNKNOWN) code[j] = rowCode(table, j, c.podCpu, c.podMem, c.scoreCpu, c.scoreMem, c.bestEffort);
  const lists = zoneListsOf(pass, topo);
  for (let z = 0; z < lists.trees.length; z++) {
    const t = lists.trees[z]!;
    const pos = lists.pos[z]!;
    for (let i = 0; i < t.size; i++) {
      const leaf = t.size + i;
      if (i < pos.length) setLeaf(t, leaf, code[pos[i]!]!, group.host[pos[i]!] === 0);
      else {
        t.max[leaf] = EXCLUDED;
        t.cnt[leaf] = 0;
        t.min[leaf] = NO_MIN;
        t.free[leaf] = 0;
      }
    }
    for (let k = t.size - 1; k >= 1; k--) pullUp(t, k);
  }
  return { group, topo, lists, cpu: c.podCpu, mem: c.podMem, scoreCpu: c.scoreCpu, scoreMem: c.scoreMem, bestEffort: c.bestEffort, code };
}

/** After a binding on node `j` (row refreshed, group counts updated): its code and leaf. O(log nodes). */
function updateIndex(pass: Pass, x: SpreadIndex, j: number): void {
  const table = pass.table;
  if (table.code[j] === UNKNOWN) table.code[j] = rowCode(table, j, x.cpu, x.mem, x.scoreCpu, x.scoreMem, x.bestEffort);
  setLeafAndUp(x, j, table.code[j]!);
}

/** The index of `x` for another group of the same class: the leaves of both groups' nodes re-set. */
function switchGroup(x: SpreadIndex, group: SpreadGroup): SpreadIndex {
  const y: SpreadIndex = { ...x, group };
  const code = x.code;
  for (const j of x.group.touched) setLeafAndUp(y, j, code[j]!);
  for (const j of group.touched) setLeafAndUp(y, j, code[j]!);
  return y;
}

function setLeafAndUp(x: SpreadIndex, j: number, code: number): void {
  const t = x.lists.trees[x.lists.zoneOf[j]!]!;
  let k = t.size + x.lists.rank[j]!;
  setLeaf(t, k, code, x.group.host[j] === 0);
  for (k >>= 1; k >= 1; k >>= 1) pullUp(t, k);
}

let qMax = EXCLUDED;
let qCnt = 0;
let qMin = NO_MIN;
let qFree = 0;

function takeNode(t: ZoneTree, k: number): void {
  const m = t.max[k]!;
  if (m > qMax) {
    qMax = m;
    qCnt = t.cnt[k]!;
  } else if (m === qMax) qCnt += t.cnt[k]!;
  if (t.min[k]! < qMin) qMin = t.min[k]!;
  qFree += t.free[k]!;
}

/** Adds leaves [lo, hi) of `t` to the running query (qMax, qCnt, qMin, qFree). */
function queryAdd(t: ZoneTree, lo: number, hi: number): void {
  let l = lo + t.size;
  let r = hi + t.size;
  while (l < r) {
    if (l & 1) takeNode(t, l++);
    if (r & 1) takeNode(t, --r);
    l >>= 1;
    r >>= 1;
  }
}

/** The first leaf in [lo, hi) without pods of the group, or -1. */
function firstFree(t: ZoneTree, k: number, nl: number, nh: number, lo: number, hi: number): number {
  if (nh <= lo || hi <= nl || t.free[k] === 0) return -1;
  if (nh - nl === 1) return nl;
  const mid = (nl + nh) >> 1;
  const a = firstFree(t, 2 * k, nl, mid, lo, hi);
  return a >= 0 ? a : firstFree(t, 2 * k + 1, mid, nh, lo, hi);
}

let kLeft = 0;

/** The `kLeft`-th leaf (0-based, left to right) in [lo, hi) with max `m`, or -1 with `kLeft` reduced by those seen. */
function kthAt(t: ZoneTree, k: number, nl: number, nh: number, lo: number, hi: number, m: number): number {
  if (nh <= lo || hi <= nl || t.max[k]! < m) return -1;
  if (lo <= nl && nh <= hi) {
    const c = t.max[k] === m ? t.cnt[k]! : 0;
    if (kLeft >= c) {
      kLeft -= c;
      return -1;
    }
    if (nh - nl === 1) return nl;
  }
  const mid = (nl + nh) >> 1;
  const a = kthAt(t, 2 * k, nl, mid, lo, hi, m);
  return a >= 0 ? a : kthAt(t, 2 * k + 1, mid, nh, lo, hi, m);
}

/** First index of `a` whose value is >= `x`. */
function lowerBound(a: Int32Array, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Scratch per zone of {@link scheduleByIndex}: window ranges [a1, b1) + [0, b2) and the free buckets' figures. */
let zScratch = new Int32Array(0);

/**
 * {@link scanDefaults} + {@link pickBucket} for a pod of a run (see {@link SpreadIndex}) when every
 * node of its sampled window passes the fast path (then the scan takes exactly `want` nodes from
 * `start`): the same buckets, in the same first-seen order, the same draw and node. Returns the chosen
 * node, or -1 (nothing drawn, nothing changed) when the scan must run: no index for this run yet, a
 * node of the window needs the full filter or fails, or the group is on more than twice as many nodes as the window holds.
 * O(zones x log nodes + nodes holding pods of the group).
 */
function scheduleByIndex(pass: Pass, c: PodCtx, terms: PodTerms, start: number, want: number, zones: number): number {
  const g = terms.soft[0]!.group;
  const topo = terms.soft[1]!.topo!;
  let x = pass.sidx;
  if (!x || x.group !== g || x.topo !== topo || x.cpu !== c.podCpu || x.mem !== c.podMem) {
    if (pass.runGroup === g && pass.runCpu === c.podCpu && pass.runMem === c.podMem) pass.runLen++;
    else {
      pass.runGroup = g;
      pass.runCpu = c.podCpu;
      pass.runMem = c.podMem;
      pass.runLen = 1;
    }
    if (x && x.topo === topo && x.cpu === c.podCpu && x.mem === c.podMem && x.group.touched.length + g.touched.length <= want) {
      // Same class, another group: swap which nodes are excluded. O(touched nodes x log nodes).
      x = pass.sidx = switchGroup(x, g);
    } else {
      if (pass.runLen < INDEX_RUN || !g.live) return -1;
      x = pass.sidx = buildIndex(pass, g, topo, c);
    }
  }
  if (g.touched.length > 2 * want) return -1;
  const n = pass.table.nodes.length;
  const lists = x.lists;
  const end = start + want;
  const e1 = end < n ? end : n;
  const e2 = end - n; // > 0 when the window wraps around
  if (zScratch.length < zones * 6) zScratch = new Int32Array(zones * 6);
  const zs = zScratch;
  let min = NO_MIN;
  for (let z = 0; z < zones; z++) {
    const pos = lists.pos[z]!;
    const t = lists.trees[z]!;
    const a1 = lowerBound(pos, start);
    const b1 = lowerBound(pos, e1);
    const b2 = e2 > 0 ? lowerBound(pos, e2) : 0;
    qMax = EXCLUDED;
    qCnt = 0;
    qMin = NO_MIN;
    qFree = 0;
    if (a1 < b1) queryAdd(t, a1, b1);
    if (b2 > 0) queryAdd(t, 0, b2);
    if (qMin < min) min = qMin;
    const o = z * 6;
    zs[o] = a1;
    zs[o + 1] = b1;
    zs[o + 2] = b2;
    zs[o + 3] = qMax;
    zs[o + 4] = qCnt;
    zs[o + 5] = qFree;
  }
  if (min < 0) return -1; // a node needs the full filter (or fails): the scan
  const pairGen = pass.pairGen;
  const pairMax = pass.pairMax;
  const pairCnt = pass.pairCnt;
  const pairFirst = pass.pairFirst;
  const list = pass.pairList;
  const gen = ++pass.stampGen;
  let pairs = 0;
  for (let z = 0; z < zones; z++) {
    const o = z * 6;
    if (zs[o + 5] === 0) continue;
    const t = lists.trees[z]!;
    const pos = lists.pos[z]!;
    const i = zs[o]! < zs[o + 1]! ? firstFree(t, 1, 0, t.size, zs[o]!, zs[o + 1]!) : -1;
    const first = i >= 0 ? pos[i]! - start : pos[firstFree(t, 1, 0, t.size, 0, zs[o + 2]!)]! + n - start;
    pairGen[z] = gen;
    pairMax[z] = zs[o + 3]!;
    pairCnt[z] = zs[o + 4]!;
    pairFirst[z] = first;
    list[pairs++] = z;
  }
  const host = g.host;
  const code = pass.table.code;
  const touched = g.touched;
  for (let k = 0; k < touched.length; k++) {
    const j = touched[k]!;
    let o = j - start;
    if (o < 0) o += n;
    if (o >= want) continue;
    const p = host[j]! * zones + lists.zoneOf[j]!;
    const sc = code[j]!;
    if (pairGen[p] !== gen) {
      pairGen[p] = gen;
      pairMax[p] = sc;
      pairCnt[p] = 1;
      pairFirst[p] = o;
      list[pairs++] = p;
    } else {
      if (o < pairFirst[p]!) pairFirst[p] = o;
      const m = pairMax[p]!;
      if (sc > m) {
        pairMax[p] = sc;
        pairCnt[p] = 1;
      } else if (sc === m) pairCnt[p]!++;
    }
  }
  // The scan's bucket order: by first node seen (insertion sort: a handful of buckets).
  for (let a = 1; a < pairs; a++) {
    const p = list[a]!;
    const f = pairFirst[p]!;
    let b = a - 1;
    while (b >= 0 && pairFirst[list[b]!]! > f) {
      list[b + 1] = list[b]!;
      b--;
    }
    list[b + 1] = p;
  }
  const p = pickBucket(pass, pass.state, terms, want, pairs, zones);
  if (p < 0) return start; // unreachable: the window is never empty
  const z = p % zones;
  if (p === z) {
    // No pods of the group on these nodes: the pickRest-th best of the zone's free nodes in scan order.
    const o = z * 6;
    const t = lists.trees[z]!;
    kLeft = pickRest;
    let i = zs[o]! < zs[o + 1]! ? kthAt(t, 1, 0, t.size, zs[o]!, zs[o + 1]!, pairMax[p]!) : -1;
    if (i < 0) i = kthAt(t, 1, 0, t.size, 0, zs[o + 2]!, pairMax[p]!);
    return lists.pos[z]![i]!;
  }
  // Nodes holding pods of the group: the bucket's best ones, in scan order.
  const offs = pass.feas;
  let m = 0;
  const best = pairMax[p]!;
  for (let k = 0; k < touched.length; k++) {
    const j = touched[k]!;
    let o = j - start;
    if (o < 0) o += n;
    if (o >= want || host[j]! * zones + lists.zoneOf[j]! !== p || code[j] !== best) continue;
    offs[m++] = o;
  }
  const sortedOffs = offs.subarray(0, m).sort();
  return (start + sortedOffs[pickRest]!) % n;
}

/** Records a failed attempt: `PodScheduled=False` `Unschedulable` with the FitError message, and the event. */
function recordFailure(state: SimState, key: string, pod: Pod, msg: string): void {
  const conds = pod.status.conditions;
  const i = conds.findIndex((c) => c.type === 'PodScheduled');
  const prev = conds[i];
  if (!prev || prev.status !== 'False' || prev.reason !== 'Unschedulable' || prev.message !== msg) {
    const cond: PodCondition = { type: 'PodScheduled', status: 'False', lastTransitionTime: prev && prev.status === 'False' ? prev.lastTransitionTime : state.t, reason: 'Unschedulable', message: msg };
    if (prev) {
      const next = conds.slice();
      next[i] = cond;
      pod.status.conditions = next;
    } else pod.status.conditions = conds.concat(cond);
    noteChange(state, 'Pod', key); // status without a revision bump (kept as before)
  }
  emit(state, 'Warning', 'FailedScheduling', { kind: 'Pod', name: pod.metadata.name, namespace: pod.metadata.namespace }, msg, 'default-scheduler');
}
