/**
 * kube-scheduler: Filter then Score for each pod of the activeQ, bind to the best node, or record
 * `FailedScheduling` and park the pod in the unschedulable queue until a cluster event (a node freed,
 * uncordoned or Ready again; etcd back) moves it back.
 *
 * Source (kubernetes-behaviour.md §5; K pkg/scheduler): filters NodeUnschedulable, TaintToleration
 * (NoSchedule/NoExecute; pods tolerate `not-ready`/`unreachable` NoExecute for 300 s by default),
 * NodeAffinity (nodeSelector), NodeResourcesFit (requests vs allocatable, pod count); score
 * LeastAllocated `(allocatable - requested) * 100 / allocatable` averaged over cpu and memory (integer
 * maths like the Go code, pods without requests scored with the 100m / 200MB defaults); ties broken by the
 * PRNG (selectHost's reservoir sampling). Node sampling: percentageOfNodesToScore adaptive
 * `max(5, 50 - nodes/125)` %, at least 100 nodes, from a rotating start index (schedule_one.go
 * numFeasibleNodesToFind). Preemption is not modelled (all pods have priority 0).
 */
import { apiWritable, bindPod, noteChange } from '../apiserver.ts';
import { emit, isWarmStart } from '../emit.ts';
import { getIndex } from '../cache.ts';
import { setCondition } from '../podutil.ts';
import type { Node, Pod, SimState } from '../types.ts';
import { kubeletOnBound } from './kubelet.ts';

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

/** How many feasible nodes to look for among `n` nodes (schedule_one.go numFeasibleNodesToFind, adaptive). */
export function numFeasibleNodesToFind(n: number): number {
  if (n < MIN_FEASIBLE_NODES_TO_FIND) return n;
  let pct = 50 - Math.trunc(n / 125);
  if (pct < MIN_FEASIBLE_PERCENTAGE) pct = MIN_FEASIBLE_PERCENTAGE;
  const num = Math.trunc((n * pct) / 100);
  return num < MIN_FEASIBLE_NODES_TO_FIND ? MIN_FEASIBLE_NODES_TO_FIND : num;
}

/** Reasons a node was filtered out; `unresolvable` ones cannot be fixed by preemption. */
interface FilterResult {
  reasons: string[];
  unresolvable: boolean;
}

const TOLERATED_NOEXECUTE = new Set(['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']);

/** Runs the filter plugins in kube-scheduler's order; null when the node fits. */
export function filterNode(pod: Pod, node: Node): FilterResult | null {
  if (node.spec.unschedulable) return { reasons: ['node(s) were unschedulable'], unresolvable: true };
  for (const t of node.spec.taints) {
    if (t.effect === 'PreferNoSchedule') continue;
    if (t.effect === 'NoExecute' && TOLERATED_NOEXECUTE.has(t.key)) continue;
    return { reasons: [`node(s) had untolerated taint {${t.key}: ${t.value ?? ''}}`], unresolvable: true };
  }
  const sel = pod.spec.nodeSelector;
  if (sel) {
    for (const k in sel) {
      if (node.metadata.labels[k] !== sel[k]) return { reasons: ["node(s) didn't match Pod's node affinity/selector"], unresolvable: true };
    }
  }
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

/**
 * Schedules the activeQ (plus unschedulable pods when a cluster event asked for a retry). Stalls while
 * the API server cannot write (binding is a write). Cost: O(nodes) to build the pass's node table,
 * then O(queued pods x sampled nodes) typed-array reads and tie draws (see {@link NodeTable}).
 */
export function schedulerSync(state: SimState): void {
  const sq = state.scheduler;
  if (!apiWritable(state)) return;
  if (sq.moveRequested) {
    sq.moveRequested = false;
    if (sq.unschedulable.length > 0) {
      sq.activeQ.push(...sq.unschedulable);
      sq.unschedulable = [];
    }
  }
  if (sq.activeQ.length === 0) return;
  const queue = sq.activeQ;
  sq.activeQ = [];
  const parked = new Set<string>();
  let table: NodeTable | null = null;
  for (const key of queue) {
    const pod = state.pods[key];
    if (!pod || pod.spec.nodeName || pod.metadata.deletionTimestamp !== undefined || parked.has(key)) continue;
    table ??= nodeTable(getIndex(state).sortedNodes);
    if (!scheduleOne(state, key, pod, table)) parked.add(key);
  }
  for (const key of parked) sq.unschedulable.push(key);
}

/**
 * The scheduler's view of the nodes while it drains one queue: the fields the filter fast path and
 * the LeastAllocated score read, copied into typed arrays in `sortedNodes` order, so the node-scoring
 * loop (up to {@link numFeasibleNodesToFind} nodes per pod, 500 at 5,000 nodes) reads contiguous
 * memory instead of chasing Node objects. Exact copies of the numbers (Float64Array), so every
 * comparison and score is bit-identical to reading `node.sim`. Valid for one {@link schedulerSync}
 * pass: nothing else changes a Node while it runs, and {@link bind} refreshes the bound node's row.
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
   * checks fail: run {@link filterNode}), else the LeastAllocated score 0..100 of a node that passes.
   * Both depend only on the node's row and the pod's requests, so one class's codes serve every pod
   * of that class until {@link bind} changes the row.
   */
  code: Int8Array;
  classCpu: number;
  classMem: number;
}

const UNKNOWN = -2;
/** 2^-32: `u * TWO_POW_MINUS_32` is exactly `u / 4294967296` (shared/sim/prng.ts nextFloat). */
const TWO_POW_MINUS_32 = 1 / 4294967296;
const SLOW = -1;

function nodeTable(nodes: Node[]): NodeTable {
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
    code: new Int8Array(n).fill(UNKNOWN),
    classCpu: NaN,
    classMem: NaN,
  };
  for (let j = 0; j < n; j++) {
    const node = nodes[j]!;
    t.slow[j] = node.spec.unschedulable || node.spec.taints.length > 0 ? 1 : 0;
    refreshRow(t, j, node);
  }
  return t;
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

/** LeastAllocated from a table row (the same integer maths as {@link leastAllocatedScore}). */
function rowScore(t: NodeTable, j: number, scoreCpu: number, scoreMem: number): number {
  const ca = t.cpuAllocatable[j]!;
  const cr = t.cpuRequested[j]! + scoreCpu;
  const ma = t.memAllocatable[j]!;
  const mr = t.memRequested[j]! + scoreMem;
  return Math.trunc(((ca <= 0 || cr > ca ? 0 : Math.trunc(((ca - cr) * 100) / ca)) + (ma <= 0 || mr > ma ? 0 : Math.trunc(((ma - mr) * 100) / ma))) / 2);
}

/** The fast path's verdict for row `j`: {@link SLOW}, or the score (pods without a nodeSelector). */
function rowCode(t: NodeTable, j: number, podCpu: number, podMem: number, scoreCpu: number, scoreMem: number): number {
  if (t.slow[j] === 1 || t.podCount[j]! >= t.podsAllocatable[j]! || podCpu > t.cpuAllocatable[j]! - t.cpuRequested[j]! || podMem > t.memAllocatable[j]! - t.memRequested[j]!) return SLOW;
  return rowScore(t, j, scoreCpu, scoreMem);
}

function scheduleOne(state: SimState, key: string, pod: Pod, table: NodeTable): boolean {
  const nodes = table.nodes;
  const n = nodes.length;
  const want = numFeasibleNodesToFind(n);
  const start = n > 0 ? state.scheduler.nextStartNodeIndex % n : 0;
  const podCpu = pod.sim.cpuRequestMilli;
  const podMem = pod.sim.memRequestMiB;
  const scoreCpu = podCpu || DEFAULT_SCORE_CPU_MILLI;
  const scoreMem = podMem || DEFAULT_SCORE_MEM_MIB;
  const hasSelector = pod.spec.nodeSelector !== undefined && Object.keys(pod.spec.nodeSelector).length > 0;
  if (!hasSelector && (table.classCpu !== podCpu || table.classMem !== podMem)) {
    table.classCpu = podCpu;
    table.classMem = podMem;
    table.code.fill(UNKNOWN);
  }
  const code = table.code;
  let bestJ = -1;
  let bestScore = -1;
  let ties = 0;
  let found = 0;
  let processed = 0;
  let counts: Map<string, number> | null = null;
  let unresolvable = 0;
  // selectHost's reservoir sampling draws `nextInt(rng, ties)` on every tie: sfc32 inlined on locals
  // (exactly shared/sim/prng.ts nextUint32; `floor(u / 2^32 * ties) === 0` is `u * 2^-32 * ties < 1`
  // for u >= 0, and scaling by 2^-32 is exact), written back after the loop.
  const rng = state.rng;
  let ra = rng.a, rb = rng.b, rc = rng.c, rd = rng.d;
  let j = start;
  for (let i = 0; i < n && found < want; i++) {
    processed++;
    const at = j;
    if (++j === n) j = 0;
    let score = hasSelector ? SLOW : code[at]!;
    if (score === UNKNOWN) code[at] = score = rowCode(table, at, podCpu, podMem, scoreCpu, scoreMem);
    if (score === SLOW) {
      // The node is unschedulable, tainted or nearly full, or the pod has a nodeSelector.
      const fail = filterNode(pod, nodes[at]!);
      if (fail) {
        counts ??= new Map();
        for (const r of fail.reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
        if (fail.unresolvable) unresolvable++;
        continue;
      }
      score = rowScore(table, at, scoreCpu, scoreMem);
    }
    found++;
    if (score > bestScore) {
      bestJ = at;
      bestScore = score;
      ties = 1;
    } else if (score === bestScore) {
      ties++;
      const t = (((ra + rb) | 0) + rd) | 0;
      rd = (rd + 1) | 0;
      ra = rb ^ (rb >>> 9);
      rb = (rc + (rc << 3)) | 0;
      rc = (rc << 21) | (rc >>> 11);
      rc = (rc + t) | 0;
      if ((t >>> 0) * TWO_POW_MINUS_32 * ties < 1) bestJ = at;
    }
  }
  rng.a = ra;
  rng.b = rb;
  rng.c = rc;
  rng.d = rd;
  if (n > 0) state.scheduler.nextStartNodeIndex = (start + processed) % n;
  if (bestJ < 0) {
    const ref = { kind: 'Pod', name: pod.metadata.name, namespace: pod.metadata.namespace };
    const msg = fitErrorMessage(n, counts ?? new Map(), unresolvable, n - unresolvable);
    setCondition(pod, 'PodScheduled', 'False', state.t, 'Unschedulable');
    pod.status.message = msg;
    noteChange(state, 'Pod', key); // status without a revision bump (kept as before)
    emit(state, 'Warning', 'FailedScheduling', ref, msg, 'default-scheduler');
    return false;
  }
  const best = nodes[bestJ]!;
  if (!bindPod(state, key, best.metadata.name).ok) return false;
  refreshRow(table, bestJ, best);
  // emit records nothing in the warm start: skip building the event's strings for 150k Pods there.
  if (!isWarmStart(state)) emit(state, 'Normal', 'Scheduled', { kind: 'Pod', name: pod.metadata.name, namespace: pod.metadata.namespace }, `Successfully assigned ${key} to ${best.metadata.name}`, 'default-scheduler');
  kubeletOnBound(state, key, pod);
  return true;
}
