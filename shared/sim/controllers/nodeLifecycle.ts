/**
 * The node lifecycle controller (and the taint-based eviction it drives): a node whose kubelet stopped
 * heartbeating turns `Ready=Unknown` after the node-monitor grace period, gets the
 * `node.kubernetes.io/unreachable` NoSchedule + NoExecute taints, its pods are marked not Ready (they
 * leave Service endpoints), and once the pods' default 300 s toleration expires they are marked for
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
 * Zone rules (K pkg/controller/nodelifecycle/node_lifecycle_controller.go `ComputeZoneState`,
 * `handleDisruption`; kubernetes-behaviour.md §3), by the `topology.kubernetes.io/zone` label: when
 * every zone is in full disruption (no Node Ready) the controller assumes its own connectivity is at
 * fault and evicts nothing ("master disruption mode"); a zone in partial disruption (more than 2 Nodes
 * not Ready and at least 55 % of it) of at most 50 Nodes is not evicted (its rate drops to 0). The
 * taint-based evictions of such a zone wait, re-checked every node-monitor period (5 s), and go ahead
 * once the zone state allows them again.
 *
 * Simplification: the eviction rates themselves (0.1 Nodes/s, 0.01/s in a partially disrupted zone of
 * more than 50 Nodes) are not modelled: every pod of a node whose toleration expired (and whose zone
 * allows evictions) is evicted in the same tick.
 */
import { apiWritable, deletePod, drainDirty, markDirty, noteChange, updateStatus } from '../apiserver.ts';
import { changeCursor, forEachChangeSince } from '../changelog.ts';
import { emit } from '../emit.ts';
import { getIndex } from '../cache.ts';
import { isTerminating, setPodReady } from '../podutil.ts';
import { scheduleTimer, type TimerKind } from '../timers.ts';
import type { Node, NodeCondition, SimState, Timer } from '../types.ts';
import { NODE_LEASE_NAMESPACE } from '../kinds/lease.ts';
import { kubeletNodeRecovered } from './kubelet.ts';
import { noExecuteTolerationSeconds } from './schedulerPlugins.ts';

/** node-monitor-grace-period, sim seconds. */
export const NODE_MONITOR_GRACE_SECONDS = 50;
/** Default `tolerationSeconds` of pods for the not-ready / unreachable NoExecute taints, sim seconds. */
export const DEFAULT_TOLERATION_SECONDS = 300;
/** Taint key put on nodes that stopped heartbeating. */
export const UNREACHABLE_TAINT = 'node.kubernetes.io/unreachable';
/** node-monitor-period: how often the controller re-checks a zone whose evictions wait, sim seconds. */
export const NODE_MONITOR_PERIOD_SECONDS = 5;
/** `--unhealthy-zone-threshold`: share of not-Ready Nodes from which a zone is partially disrupted. */
export const UNHEALTHY_ZONE_THRESHOLD = 0.55;
/** `--large-cluster-size-threshold`: zones of at most this many Nodes stop evicting in partial disruption. */
export const LARGE_CLUSTER_SIZE_THRESHOLD = 50;
const ZONE_LABEL = 'topology.kubernetes.io/zone';

/** A zone's state (ComputeZoneState): Normal, PartialDisruption, FullDisruption. */
export type ZoneState = 'Normal' | 'PartialDisruption' | 'FullDisruption';

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

/** True when the zone rules let the taint manager evict the pods of `node` now (see the module doc). */
export function zoneAllowsEviction(state: SimState, node: Node): boolean {
  const zones = zoneStates(state);
  if ([...zones.values()].every((z) => z.state === 'FullDisruption')) return false; // master disruption mode
  const mine = zones.get(node.metadata.labels[ZONE_LABEL] ?? '');
  return !(mine && mine.state === 'PartialDisruption' && mine.size <= LARGE_CLUSTER_SIZE_THRESHOLD);
}

const T_GRACE: TimerKind = 'node.grace';
const T_EVICT: TimerKind = 'node.evict';

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
  for (const name of drainDirty(state, 'nodes')) {
    const node = state.nodes[name];
    if (!node) continue;
    noteChange(state, 'Node', name); // a queued Node changed (cordon, or its machine died / came back: sim.kubeletUp)
    if (state.scheduler.unschedulable.length > 0) state.scheduler.moveRequested = true;
    if (!node.sim.kubeletUp && node.sim.lostAt === null) {
      node.sim.lostAt = state.t;
      scheduleTimer(state, state.t + NODE_MONITOR_GRACE_SECONDS, T_GRACE, name);
    } else if (node.sim.kubeletUp && node.sim.lostAt !== null) {
      if (!apiWritable(state)) {
        retry.push(name); // the kubelet cannot post its status yet
        continue;
      }
      recover(state, node);
    }
  }
  for (const name of retry) markDirty(state, 'nodes', name);
}

function recover(state: SimState, node: Node): void {
  const name = node.metadata.name;
  node.sim.lostAt = null;
  node.sim.lastHeartbeat = state.t;
  const ready = readyCondition(node);
  const wasNotReady = ready === undefined || ready.status !== 'True';
  if (wasNotReady) node.status.conditions = healthyNodeConditions(state.t);
  else for (const c of node.status.conditions) c.lastHeartbeatTime = state.t;
  node.spec.taints = node.spec.taints.filter((t) => t.key !== UNREACHABLE_TAINT);
  updateStatus(state, 'Node', name); // conditions + taints; the controller is processing this Node
  noteChange(state, 'Lease', `${NODE_LEASE_NAMESPACE}/${name}`); // the kubelet renews its Lease again (../kinds/lease.ts)
  if (wasNotReady) emit(state, 'Normal', 'NodeReady', nodeRef(node), `Node ${name} status is now: NodeReady`, 'kubelet');
  kubeletNodeRecovered(state, name);
}

/** Handles the grace (-> NotReady) and eviction timers of a node. Stale timers are ignored. */
export function onNodeTimer(state: SimState, timer: Timer): void {
  const node = state.nodes[timer.ref];
  if (!node || node.sim.kubeletUp || node.sim.lostAt === null) return;
  const retry = () => scheduleTimer(state, state.t + state.settings.tickSeconds, timer.kind, timer.ref);
  if (timer.kind === T_GRACE) {
    const ready = readyCondition(node);
    if (timer.at < node.sim.lostAt + NODE_MONITOR_GRACE_SECONDS || (ready && ready.status !== 'True')) return;
    if (!apiWritable(state)) return void retry();
    markNotReady(state, node);
  } else if (timer.kind === T_EVICT) {
    const taint = node.spec.taints.find((t) => t.key === UNREACHABLE_TAINT && t.effect === 'NoExecute');
    if (!taint) return;
    if (!apiWritable(state)) return void retry();
    if (!zoneAllowsEviction(state, node)) return void scheduleTimer(state, state.t + NODE_MONITOR_PERIOD_SECONDS, T_EVICT, node.metadata.name);
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
  node.spec.taints = node.spec.taints.filter((t) => t.key !== UNREACHABLE_TAINT);
  node.spec.taints.push({ key: UNREACHABLE_TAINT, effect: 'NoSchedule', timeAdded: state.t });
  node.spec.taints.push({ key: UNREACHABLE_TAINT, effect: 'NoExecute', timeAdded: state.t });
  updateStatus(state, 'Node', name);
  emit(state, 'Normal', 'NodeNotReady', nodeRef(node), `Node ${name} status is now: NodeNotReady`, 'node-controller');
  for (const key of podsOn(state, name)) {
    const pod = state.pods[key]!;
    if (isTerminating(pod)) continue;
    setPodReady(state, key, pod, false, 'NodeNotReady');
    emit(state, 'Warning', 'NodeNotReady', { kind: 'Pod', name: pod.metadata.name, namespace: pod.metadata.namespace }, 'Node is not ready', 'node-controller');
  }
  // The first wake-up: the earliest toleration among the node's pods (usually the default 300 s).
  let first = Infinity;
  for (const key of podsOn(state, name)) {
    const pod = state.pods[key]!;
    if (!isTerminating(pod)) first = Math.min(first, state.t + noExecuteTolerationSeconds(pod.spec.tolerations, node.spec.taints));
  }
  if (first !== Infinity) scheduleTimer(state, first, T_EVICT, name);
  // handleDisruption re-reads the zone states on every monitor pass: reading them now builds the
  // per-zone counts (O(nodes), once per state) so the eviction, 300 s later, reads them in O(changes).
  zoneCounts(state);
}
