/**
 * The node lifecycle controller (and the taint-based eviction it drives): a node whose kubelet stopped
 * heartbeating turns `Ready=Unknown` after the node-monitor grace period, gets the
 * `node.kubernetes.io/unreachable` NoSchedule and (rate limited, below) NoExecute taints, its pods are marked
 * not Ready (they leave Service endpoints), and once the pods' default 300 s toleration expires they are marked for
 * deletion and replaced elsewhere by their ReplicaSets; they stay Terminating until the node returns.
 *
 * Values (kubernetes-behaviour.md §3): node-monitor-grace-period 50 s (v1.32+, kubernetes PR 126287);
 * DefaultTolerationSeconds 300 s (each pod's own NoExecute `tolerationSeconds` when it sets one: a pod
 * without a matching toleration is evicted at once, one without `tolerationSeconds` stays); events
 * `NodeNotReady`, `TaintManagerEviction`.
 * Driven by the dirty node queue and timers only: no per-tick scan of nodes.
 *
 * Heartbeats (issue 6): what the controller watches is the Node's Lease in `kube-node-lease`
 * (../kinds/lease.ts, derived: the kubelet renews it every 10 s while it runs). A stopped kubelet
 * (`sim.kubeletUp` false) renews no more; the controller counts the grace from `sim.lostAt` (the sim
 * second it noticed), which is 0-10 s after the Lease's last `renewTime`, so the Node turns `Unknown`
 * 50-60 s after that renewal: the real controller's window (it sees a renewal at its next 5 s monitor
 * pass and gives up at the first pass 50 s later). When the kubelet is back its Lease is renewed at once
 * and noted in the change log.
 *
 * Taint-based eviction, rate limited per zone (K pkg/controller/nodelifecycle/node_lifecycle_controller.go
 * `processTaintBaseEviction`, `doNoExecuteTaintingPass`, `handleDisruption`, `setLimiterInZone`,
 * `ReducedQPSFunc`; scheduler/rate_limited_queue.go; kubernetes-behaviour.md §3): a Node that turns
 * `Ready=Unknown` gets its `unreachable:NoSchedule` taint at once (TaintNodesByCondition) and joins its
 * zone's NoExecute tainter queue (`state.nodeTainters`, by the `topology.kubernetes.io/zone` label). Each
 * zone's queue hands out NoExecute taints through a token bucket of burst 1: `--node-eviction-rate` 0.1
 * Nodes/s (one Node per 10 s per zone, the first at once). The taint eviction controller then deletes each
 * Pod of a tainted Node when its own toleration (default 300 s) of the taint has run out, whatever the
 * zone's state. The zone rules (`ComputeZoneState`) set each zone's rate:
 * - Normal: 0.1/s. PartialDisruption (more than 2 Nodes not Ready and at least 55 % of the zone): 0.01/s
 *   (`--secondary-node-eviction-rate`, one Node per 100 s) when the zone has more than 50 Nodes
 *   (`--large-cluster-size-threshold`), else 0: tainting stops. FullDisruption of some zones: 0.1/s.
 * - Every zone in full disruption: "master disruption mode", the controller assumes its own connectivity is
 *   at fault: it removes the NoExecute taints of every Node (their Pods' pending deletions are cancelled),
 *   stops every zone's tainting and queues the Nodes again for when a zone comes back.
 * - Changing a rate swaps the bucket (`SwapLimiter`): a new full bucket, or an empty one when the old
 *   bucket had no token (leaving a stopped zone: the first taint 1/qps later).
 * The zone states are re-read at each Ready transition and each queued Node change (the controller's 5 s
 * monitor pass, without the polling). A zone's queue costs a timer per taint, nothing while it waits.
 *
 * A kubelet that keeps posting status but reports `Ready=False` (issue 6: its container runtime is down,
 * the container-runtime-down incident; reason `KubeletNotReady`) takes the other path of the same
 * controller: at once (the first monitor pass that sees the condition) the `node.kubernetes.io/not-ready`
 * NoSchedule taint, `NodeNotReady`, its Pods marked not Ready (they leave the EndpointSlices), and the
 * zone's tainter gives it `not-ready:NoExecute` (`doNoExecuteTaintingPass` picks the not-ready taint for
 * Ready False, unreachable for Unknown, and swaps one for the other); its Pods go when their 300 s
 * toleration of that taint ran out. When the kubelet reports Ready again the not-ready taints go (the
 * kubelet marks its Pods Ready again: ./kubelet.ts `kubeletNodeRecovered` with `containersKept`). A Node reporting
 * False whose kubelet then stops turns `Unknown` after the grace period, its taint swapped for unreachable.
 *
 * Simplification: the probe timestamps are not reset when the controller leaves master disruption mode.
 */
import { apiWritable, deletePod, drainDirty, markDirty, noteChange, updateStatus } from '../apiserver.ts';
import { changeCursor, forEachChangeSince } from '../changelog.ts';
import { emit } from '../emit.ts';
import { getIndex } from '../cache.ts';
import { isTerminating, setPodReady } from '../podutil.ts';
import { scheduleTimer, type TimerKind } from '../timers.ts';
import type { Node, NodeCondition, SimState, Timer, ZoneState, ZoneTainter } from '../types.ts';
import { NODE_LEASE_NAMESPACE } from '../kinds/lease.ts';
import { kubeletNodeRecovered } from './kubelet.ts';
import { noExecuteTolerationSeconds } from './schedulerPlugins.ts';

/** node-monitor-grace-period, sim seconds. */
export const NODE_MONITOR_GRACE_SECONDS = 50;
/** Default `tolerationSeconds` of pods for the not-ready / unreachable NoExecute taints, sim seconds. */
export const DEFAULT_TOLERATION_SECONDS = 300;
/** Taint key put on nodes that stopped heartbeating. */
export const UNREACHABLE_TAINT = 'node.kubernetes.io/unreachable';
/** (issue 6) Taint key put on nodes whose kubelet reports `Ready=False` (K nodelifecycle `NotReadyTaintTemplate`). */
export const NOT_READY_TAINT = 'node.kubernetes.io/not-ready';
/**
 * True while no status of the Node's kubelet reaches the API server: the machine or kubelet is down
 * (`sim.kubeletUp` false), or (issue 6) the kubelet runs but is cut off (`sim.silentSince`: an expired
 * client certificate, its containers still serving).
 */
export function kubeletSilent(node: Node): boolean {
  return !node.sim.kubeletUp || node.sim.silentSince !== undefined;
}

/** True for the taints the node lifecycle controller owns (unreachable, not-ready). */
const isLifecycleTaint = (key: string) => key === UNREACHABLE_TAINT || key === NOT_READY_TAINT;
/** `--node-eviction-rate`: NoExecute taints per sim second per zone (one Node per 10 s). */
export const NODE_EVICTION_RATE = 0.1;
/** `--secondary-node-eviction-rate`: the rate of a partially disrupted zone of more than 50 Nodes (one per 100 s). */
export const SECONDARY_NODE_EVICTION_RATE = 0.01;
/** `--unhealthy-zone-threshold`: share of not-Ready Nodes from which a zone is partially disrupted. */
export const UNHEALTHY_ZONE_THRESHOLD = 0.55;
/** `--large-cluster-size-threshold`: zones of at most this many Nodes stop tainting in partial disruption (K `ReducedQPSFunc` compares the zone's size). */
export const LARGE_CLUSTER_SIZE_THRESHOLD = 50;
const ZONE_LABEL = 'topology.kubernetes.io/zone';

export type { ZoneState } from '../types.ts';

/** Per zone: Nodes Ready and not. */
interface ZoneCount {
  ready: number;
  notReady: number;
}

/**
 * Each Node's zone and readiness, counted per zone, for one state: built once (O(nodes)), then kept up
 * to date from the change log's Node entries (every Ready transition is a Node status write:
 * {@link markNotReady}, {@link recover}, a replaced Node's create/delete), like the controller's
 * informer cache. Rebuilt when the log cannot answer (resync: too far behind, or not recording yet, as
 * during createSim) or the Node map was replaced. Lives beside the state (a WeakMap), never in it.
 */
interface ZoneCache {
  nodesRef: SimState['nodes'];
  cursor: number;
  byNode: Map<string, { zone: string; ready: boolean }>;
  counts: Map<string, ZoneCount>;
}

const zoneCaches = new WeakMap<SimState, ZoneCache>();

function isReady(node: Node): boolean {
  const conds = node.status.conditions;
  for (let i = 0; i < conds.length; i++) if (conds[i]!.type === 'Ready') return conds[i]!.status === 'True';
  return false;
}

function refreshZoneNode(zc: ZoneCache, name: string, node: Node | undefined): void {
  const old = zc.byNode.get(name);
  if (old) {
    const c = zc.counts.get(old.zone)!;
    if (old.ready) c.ready--;
    else c.notReady--;
    if (c.ready + c.notReady === 0) zc.counts.delete(old.zone);
    zc.byNode.delete(name);
  }
  if (!node) return;
  const zone = node.metadata.labels[ZONE_LABEL] ?? '';
  const ready = isReady(node);
  zc.byNode.set(name, { zone, ready });
  let c = zc.counts.get(zone);
  if (!c) zc.counts.set(zone, (c = { ready: 0, notReady: 0 }));
  if (ready) c.ready++;
  else c.notReady++;
}

/** The per-zone counts now ({@link ZoneCache}). O(Node changes since the last call), O(nodes) on a rebuild. */
function zoneCounts(state: SimState): Map<string, ZoneCount> {
  const zc = zoneCaches.get(state);
  if (zc && zc.nodesRef === state.nodes) {
    const keys: string[] = [];
    const r = forEachChangeSince(state, zc.cursor, (kind, key) => {
      if (kind === 'Node') keys.push(key);
    });
    if (!r.resync) {
      zc.cursor = r.cursor;
      for (const key of keys) refreshZoneNode(zc, key, state.nodes[key]);
      return zc.counts;
    }
  }
  const fresh: ZoneCache = { nodesRef: state.nodes, cursor: changeCursor(state), byNode: new Map(), counts: new Map() };
  for (const name in state.nodes) refreshZoneNode(fresh, name, state.nodes[name]);
  zoneCaches.set(state, fresh);
  return fresh.counts;
}

/** True once this state's per-zone counts were built (a Node went NotReady since it was loaded). */
function zoneCountsBuilt(state: SimState): boolean {
  return zoneCaches.has(state);
}

/**
 * Every zone's state and size now, by zone label (`''` for Nodes without one). O(zones + Node changes
 * since the last call) (see {@link ZoneCache}).
 */
export function zoneStates(state: SimState): Map<string, { state: ZoneState; size: number }> {
  const out = new Map<string, { state: ZoneState; size: number }>();
  for (const [zone, c] of zoneCounts(state)) {
    const size = c.ready + c.notReady;
    const s: ZoneState = c.ready === 0 && c.notReady > 0 ? 'FullDisruption'
      : c.notReady > 2 && c.notReady / size >= UNHEALTHY_ZONE_THRESHOLD ? 'PartialDisruption' : 'Normal';
    out.set(zone, { state: s, size });
  }
  return out;
}

const T_GRACE: TimerKind = 'node.grace';
const T_EVICT: TimerKind = 'node.evict';
const T_TAINT: TimerKind = 'node.taint';

function zoneOf(node: Node): string {
  return node.metadata.labels[ZONE_LABEL] ?? '';
}

/** The rate `setLimiterInZone` gives a zone of `size` Nodes in `zone` state, Nodes per sim second. */
export function zoneEvictionRate(zone: ZoneState, size: number): number {
  if (zone !== 'PartialDisruption') return NODE_EVICTION_RATE; // HealthyQPSFunc for Normal and FullDisruption
  return size > LARGE_CLUSTER_SIZE_THRESHOLD ? SECONDARY_NODE_EVICTION_RATE : 0; // ReducedQPSFunc
}

/** The zone's tainter, made with the idle default (Normal, 0.1/s, a token now) when it is not listed. */
function tainterOf(state: SimState, zone: string): ZoneTainter {
  const all = (state.nodeTainters ??= Object.create(null) as Record<string, ZoneTainter>);
  return (all[zone] ??= { state: 'Normal', qps: NODE_EVICTION_RATE, readyAt: state.t, queue: [], wakeAt: null });
}

/** `markNodeForTainting`: queues Node `name` for its NoExecute taint (once) and asks for a pass now. */
function queueForTainting(state: SimState, node: Node): void {
  const q = tainterOf(state, zoneOf(node)).queue;
  if (!q.includes(node.metadata.name)) q.push(node.metadata.name);
  scheduleTimer(state, state.t, T_TAINT, ''); // after this tick's other due timers: the whole monitor pass
}

/** `SwapLimiter`: a new bucket at `qps`, full unless the old one had no token (K rate_limited_queue.go). */
function swapLimiter(state: SimState, z: ZoneTainter, qps: number): void {
  if (z.qps === qps) return;
  const hadToken = z.qps > 0 && state.t >= z.readyAt;
  z.qps = qps;
  if (qps > 0) z.readyAt = hadToken ? state.t : state.t + 1 / qps;
}

/**
 * `handleDisruption`: compares every zone's state now with the one last seen and sets the changed
 * zones' rates; enters / leaves master disruption mode (see the module doc). O(zones + Node changes),
 * O(nodes) once when entering master disruption mode.
 */
function handleDisruption(state: SimState): void {
  const zones = zoneStates(state);
  const all = state.nodeTainters;
  if (all) for (const zone of Object.keys(all)) if (!zones.has(zone)) delete all[zone]; // the zone's Nodes are gone
  const prev = (zone: string): ZoneState => all?.[zone]?.state ?? 'Normal';
  let allAre = zones.size > 0;
  let allWas = zones.size > 0;
  for (const [zone, z] of zones) {
    if (z.state !== 'FullDisruption') allAre = false;
    if (prev(zone) !== 'FullDisruption') allWas = false;
  }
  if (allAre && allWas) return;
  const order = [...zones.keys()].sort();
  if (allAre) {
    // "Controller detected that all Nodes are not-Ready. Entering master disruption mode": markNodeAsReachable
    // for every Node (the NoExecute taints go, their queue entries too), the next monitor pass queues
    // the not-Ready ones again; every zone stops.
    for (const zone of order) {
      const z = tainterOf(state, zone);
      z.queue = [];
      swapLimiter(state, z, 0);
      z.state = 'FullDisruption';
    }
    for (const name of Object.keys(state.nodes).sort()) {
      const node = state.nodes[name]!;
      if (node.spec.taints.some((t) => isLifecycleTaint(t.key) && t.effect === 'NoExecute') && apiWritable(state)) {
        node.spec.taints = node.spec.taints.filter((t) => !(isLifecycleTaint(t.key) && t.effect === 'NoExecute'));
        updateStatus(state, 'Node', name);
      }
      if (!isReady(node)) tainterOf(state, zoneOf(node)).queue.push(name);
    }
    return;
  }
  for (const zone of order) {
    const z = zones.get(zone)!;
    if (!allWas && prev(zone) === z.state) continue; // leaving master disruption mode resets every zone
    const t = tainterOf(state, zone);
    swapLimiter(state, t, zoneEvictionRate(z.state, z.size));
    t.state = z.state;
  }
}

/**
 * One `doNoExecuteTaintingPass` after {@link handleDisruption}: each zone (by name) taints the head of its
 * queue while its bucket has a token, then sleeps until the next token (a `node.taint` timer) or, stopped,
 * until a zone state changes. An idle zone whose bucket is full again is unlisted.
 */
function taintingPass(state: SimState): void {
  handleDisruption(state);
  const all = state.nodeTainters;
  if (!all) return;
  for (const zone of Object.keys(all).sort()) {
    const z = all[zone]!;
    if (z.wakeAt !== null && z.wakeAt <= state.t) z.wakeAt = null;
    let blocked = false;
    while (z.queue.length > 0 && z.qps > 0 && state.t >= z.readyAt) {
      if (!apiWritable(state)) {
        blocked = true; // SwapNodeControllerTaint fails: retried
        break;
      }
      z.readyAt = state.t + 1 / z.qps; // TryAccept: the token is spent whatever the Node's fate
      taintNoExecute(state, z.queue.shift()!);
    }
    const wake = blocked ? state.t + state.settings.tickSeconds
      : z.queue.length > 0 && z.qps > 0 ? z.readyAt
      : z.queue.length === 0 && z.state === 'Normal' && z.qps === NODE_EVICTION_RATE && z.readyAt > state.t ? z.readyAt // to unlist it
      : null;
    if (wake === null) {
      if (z.queue.length === 0 && z.state === 'Normal' && z.qps === NODE_EVICTION_RATE && z.wakeAt === null) delete all[zone];
    } else if (z.wakeAt === null || wake < z.wakeAt) {
      z.wakeAt = wake;
      scheduleTimer(state, wake, T_TAINT, '');
    }
  }
  if (Object.keys(all).length === 0) delete state.nodeTainters;
}

/**
 * The tainter's action on Node `name`: the `unreachable:NoExecute` taint (Ready Unknown) or the
 * `not-ready:NoExecute` one (Ready False), stamped now, swapping the other, while the Node is still not
 * Ready, and the first wake-up of its Pods' evictions (the earliest toleration, usually 300 s).
 */
function taintNoExecute(state: SimState, name: string): void {
  const node = state.nodes[name];
  if (!node || isReady(node)) return; // gone, or Ready again: "no need to taint it"
  const reportsFalse = readyCondition(node)?.status === 'False';
  if (reportsFalse === kubeletSilent(node)) return; // the kubelet came back (or stopped) since
  const key = reportsFalse ? NOT_READY_TAINT : UNREACHABLE_TAINT;
  node.spec.taints = node.spec.taints.filter((t) => !(isLifecycleTaint(t.key) && t.effect === 'NoExecute'));
  node.spec.taints.push({ key, effect: 'NoExecute', timeAdded: state.t });
  updateStatus(state, 'Node', name);
  const first = firstEviction(state, node);
  if (first !== Infinity) scheduleTimer(state, first, T_EVICT, name);
}

const nodeRef = (node: Node) => ({ kind: 'Node', name: node.metadata.name, namespace: '' });

/** The conditions a healthy kubelet reports (Ready True, no pressure), stamped `now` (sim seconds). */
export function healthyNodeConditions(now: number): NodeCondition[] {
  const c = (type: NodeCondition['type'], status: NodeCondition['status'], reason: string, message: string): NodeCondition => ({
    type, status, reason, message, lastHeartbeatTime: now, lastTransitionTime: now,
  });
  return [
    c('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
    c('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
    c('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
    c('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
  ];
}

function readyCondition(node: Node) {
  return node.status.conditions.find((c) => c.type === 'Ready');
}

function podsOn(state: SimState, node: string): string[] {
  return [...(getIndex(state).podsByNode.get(node) ?? [])].sort();
}

/**
 * Processes queued nodes: a kubelet that stopped starts the grace timer, a kubelet that came back makes
 * the node Ready again (taints removed, pods restarted by the kubelet). Any node change (cordon,
 * uncordon, recovery) asks the scheduler to retry unschedulable pods.
 */
export function nodeLifecycleSync(state: SimState): void {
  const retry: string[] = [];
  let any = false;
  for (const name of drainDirty(state, 'nodes')) {
    any = true;
    const node = state.nodes[name];
    if (!node) continue;
    noteChange(state, 'Node', name); // a queued Node changed (cordon, or its machine died / came back: sim.kubeletUp)
    if (state.scheduler.unschedulable.length > 0) state.scheduler.moveRequested = true;
    if (!node.sim.kubeletUp) delete node.sim.lostRunning; // the machine itself is down: its containers with it
    if (kubeletSilent(node) && node.sim.lostAt === null) {
      node.sim.lostAt = state.t;
      if (node.sim.kubeletUp) node.sim.lostRunning = true;
      scheduleTimer(state, state.t + NODE_MONITOR_GRACE_SECONDS, T_GRACE, name);
    } else if (!kubeletSilent(node) && node.sim.lostAt !== null) {
      if (!apiWritable(state)) {
        retry.push(name); // the kubelet cannot post its status yet
        continue;
      }
      recover(state, node);
    } else if (!kubeletSilent(node)) {
      // (issue 6) the kubelet posts status: Ready False (its runtime is down) or True again
      const reported = readyCondition(node)?.status;
      const tainted = node.spec.taints.some((t) => t.key === NOT_READY_TAINT);
      if (reported === 'False' ? tainted : reported !== 'True' || !tainted) continue;
      if (!apiWritable(state)) {
        retry.push(name);
        continue;
      }
      if (reported === 'False') markReportedNotReady(state, node);
      else reportedReady(state, node);
    }
  }
  for (const name of retry) markDirty(state, 'nodes', name);
  if (any && (state.nodeTainters !== undefined || zoneCountsBuilt(state))) taintingPass(state); // a Node changed: zone states may have
}

function recover(state: SimState, node: Node): void {
  const name = node.metadata.name;
  node.sim.lostAt = null;
  node.sim.lastHeartbeat = state.t;
  const containersKept = node.sim.lostRunning === true; // a kubelet that was only cut off adopts its running containers
  delete node.sim.lostRunning;
  const ready = readyCondition(node);
  const wasNotReady = ready === undefined || ready.status !== 'True';
  if (wasNotReady) node.status.conditions = healthyNodeConditions(state.t);
  else for (const c of node.status.conditions) c.lastHeartbeatTime = state.t;
  node.spec.taints = node.spec.taints.filter((t) => !isLifecycleTaint(t.key));
  updateStatus(state, 'Node', name); // conditions + taints; the controller is processing this Node
  const z = state.nodeTainters?.[zoneOf(node)]; // markNodeAsReachable: out of the tainter's queue
  if (z) z.queue = z.queue.filter((n) => n !== name);
  noteChange(state, 'Lease', `${NODE_LEASE_NAMESPACE}/${name}`); // the kubelet renews its Lease again (../kinds/lease.ts)
  if (wasNotReady) emit(state, 'Normal', 'NodeReady', nodeRef(node), `Node ${name} status is now: NodeReady`, 'kubelet');
  kubeletNodeRecovered(state, name, { containersKept });
}

/** Handles the grace (-> NotReady) and eviction timers of a node. Stale timers are ignored. */
export function onNodeTimer(state: SimState, timer: Timer): void {
  if (timer.kind === T_TAINT) return void taintingPass(state);
  const node = state.nodes[timer.ref];
  if (!node) return;
  // The not-ready taint's evictions run while the kubelet posts Ready False; the rest needs a silent kubelet.
  const notReadyEviction = timer.kind === T_EVICT && !kubeletSilent(node) && node.sim.lostAt === null && node.spec.taints.some((t) => t.key === NOT_READY_TAINT && t.effect === 'NoExecute');
  if (!notReadyEviction && (!kubeletSilent(node) || node.sim.lostAt === null)) return;
  const retry = () => scheduleTimer(state, state.t + state.settings.tickSeconds, timer.kind, timer.ref);
  if (timer.kind === T_GRACE) {
    const ready = readyCondition(node);
    if (timer.at < node.sim.lostAt! + NODE_MONITOR_GRACE_SECONDS || (ready && ready.status === 'Unknown')) return;
    if (!apiWritable(state)) return void retry();
    markNotReady(state, node);
  } else if (timer.kind === T_EVICT) {
    const taint = node.spec.taints.find((t) => (notReadyEviction ? t.key === NOT_READY_TAINT : t.key === UNREACHABLE_TAINT) && t.effect === 'NoExecute');
    if (!taint) return;
    if (!apiWritable(state)) return void retry();
    // Each pod's own NoExecute toleration time (default 300 s from the DefaultTolerationSeconds
    // admission; scheduler.ts owns the matching): evict the due ones, wake up again for the next.
    const since = taint.timeAdded ?? 0;
    let next = Infinity;
    for (const key of podsOn(state, node.metadata.name)) {
      const pod = state.pods[key]!;
      if (isTerminating(pod)) continue;
      const due = since + noExecuteTolerationSeconds(pod.spec.tolerations, node.spec.taints);
      if (due > timer.at) {
        if (due < next) next = due;
        continue;
      }
      emit(state, 'Normal', 'TaintManagerEviction', { kind: 'Pod', name: pod.metadata.name, namespace: pod.metadata.namespace },
        `Marking for deletion Pod ${key}`, 'taint-eviction-controller');
      deletePod(state, key); // the taint manager deletes directly: PodDisruptionBudgets do not gate it
    }
    if (next !== Infinity) scheduleTimer(state, next, T_EVICT, node.metadata.name);
  }
}

function markNotReady(state: SimState, node: Node): void {
  const name = node.metadata.name;
  const ready = readyCondition(node);
  for (const c of node.status.conditions) {
    c.status = 'Unknown';
    c.reason = 'NodeStatusUnknown';
    c.message = 'Kubelet stopped posting node status.';
    c.lastTransitionTime = state.t;
  }
  if (!ready) {
    node.status.conditions.push({ type: 'Ready', status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastHeartbeatTime: node.sim.lastHeartbeat, lastTransitionTime: state.t });
  }
  const wasFalse = ready?.status === 'False'; // already reported NotReady: no second event, Pods already marked
  const noExecute = node.spec.taints.some((t) => t.key === NOT_READY_TAINT && t.effect === 'NoExecute');
  node.spec.taints = node.spec.taints.filter((t) => !isLifecycleTaint(t.key));
  node.spec.taints.push({ key: UNREACHABLE_TAINT, effect: 'NoSchedule', timeAdded: state.t }); // TaintNodesByCondition: at once
  if (noExecute) node.spec.taints.push({ key: UNREACHABLE_TAINT, effect: 'NoExecute', timeAdded: state.t }); // swapped (SwapNodeControllerTaint)
  updateStatus(state, 'Node', name);
  if (!wasFalse) emit(state, 'Normal', 'NodeNotReady', nodeRef(node), `Node ${name} status is now: NodeNotReady`, 'node-controller');
  if (noExecute) {
    const first = firstEviction(state, node);
    if (first !== Infinity) scheduleTimer(state, first, T_EVICT, name);
    return;
  }
  if (!wasFalse) markPodsNotReady(state, node);
  queueForTainting(state, node); // the NoExecute taint comes from the zone's rate-limited tainter
}

/** `MarkPodsNotReady`: the Node's Pods not Ready (they leave the EndpointSlices), a Warning each. */
function markPodsNotReady(state: SimState, node: Node): void {
  for (const key of podsOn(state, node.metadata.name)) {
    const pod = state.pods[key]!;
    if (isTerminating(pod)) continue;
    setPodReady(state, key, pod, false, 'NodeNotReady');
    emit(state, 'Warning', 'NodeNotReady', { kind: 'Pod', name: pod.metadata.name, namespace: pod.metadata.namespace }, 'Node is not ready', 'node-controller');
  }
}

/** The earliest sim second one of the Node's Pods stops tolerating its NoExecute taints (Infinity: none). */
function firstEviction(state: SimState, node: Node): number {
  let first = Infinity;
  for (const key of podsOn(state, node.metadata.name)) {
    const pod = state.pods[key]!;
    if (!isTerminating(pod)) first = Math.min(first, state.t + noExecuteTolerationSeconds(pod.spec.tolerations, node.spec.taints));
  }
  return first;
}

/**
 * (issue 6) The kubelet reports `Ready=False` (see the module doc): `not-ready:NoSchedule` at once
 * (TaintNodesByCondition), `NodeNotReady`, the Pods not Ready, the Node queued for `not-ready:NoExecute`.
 */
function markReportedNotReady(state: SimState, node: Node): void {
  const name = node.metadata.name;
  node.spec.taints = node.spec.taints.filter((t) => !isLifecycleTaint(t.key));
  node.spec.taints.push({ key: NOT_READY_TAINT, effect: 'NoSchedule', timeAdded: state.t });
  updateStatus(state, 'Node', name);
  emit(state, 'Normal', 'NodeNotReady', nodeRef(node), `Node ${name} status is now: NodeNotReady`, 'node-controller');
  markPodsNotReady(state, node);
  queueForTainting(state, node);
}

/**
 * (issue 6) The kubelet reports `Ready=True` again after `False`: the not-ready taints go and the Node
 * leaves the tainter's queue (the kubelet itself marks its Pods Ready again: its runtime is back).
 */
function reportedReady(state: SimState, node: Node): void {
  const name = node.metadata.name;
  node.spec.taints = node.spec.taints.filter((t) => !isLifecycleTaint(t.key));
  updateStatus(state, 'Node', name);
  const z = state.nodeTainters?.[zoneOf(node)];
  if (z) z.queue = z.queue.filter((n) => n !== name);
}
