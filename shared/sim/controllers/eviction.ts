/**
 * The kubelet's node-pressure eviction manager (W concepts/scheduling-eviction/node-pressure-eviction.md;
 * kubernetes-behaviour.md §3), for the Nodes with a fault in `state.nodePressure` (written by the
 * node-memory-pressure / node-disk-pressure incidents). Runs every tick from ./index.ts; O(1) while no
 * Node has a fault. All times are sim seconds.
 *
 * - Eviction signals and hard thresholds: `memory.available<100Mi` (node memory capacity minus the
 *   working set of the node: its active Pods' plus what the fault uses outside them), `nodefs.available<10%`
 *   (the root filesystem: images and system, the Pods' logs and writable layers, the fault's files).
 * - Housekeeping every 10 s (`--housekeeping-interval`, on sim seconds that are multiples of 10): while a
 *   signal is under its threshold the Node condition (`MemoryPressure` / `DiskPressure`) is `True`
 *   (reasons `KubeletHasInsufficientMemory` / `KubeletHasDiskPressure`, Normal event
 *   `NodeHasInsufficientMemory` / `NodeHasDiskPressure`), the taint `node.kubernetes.io/memory-pressure` /
 *   `disk-pressure` `:NoSchedule` keeps new Pods away (the node lifecycle controller's
 *   TaintNodesByCondition), and the kubelet evicts ONE Pod per housekeeping (Warning
 *   `EvictionThresholdMet` "Attempting to reclaim memory" on the Node; for disk, image garbage collection
 *   finds nothing to free first: Warning `FreeDiskSpaceFailed`).
 * - Ranking (K pkg/kubelet/eviction/helpers.go `rankMemoryPressure`, `rankDiskPressureFunc`; W
 *   node-pressure-eviction.md "Pod selection for kubelet eviction"): first the Pods whose use of the
 *   starved resource exceeds their request, then by Pod priority (`spec.priority`, lower first), then by
 *   use minus request (larger first); ties by namespace, then name (the kubelet's sort has no tie-break).
 *   Memory: the Pod's working set against its memory requests; disk: its ephemeral-storage use against its
 *   ephemeral-storage requests (the sim has none: every Pod exceeds a zero request). QoS classes are not
 *   compared: BestEffort Pods come first only because any use exceeds their zero request. Pods of
 *   `kube-system` (static and critical Pods) are never evicted.
 * - An evicted Pod is killed at once (hard thresholds: no grace period) and stays as a Failed Pod:
 *   `status.reason: Evicted`, message "The node was low on resource: memory. Threshold quantity: 100Mi,
 *   available: -42Mi. Container db was using 150Mi, request is 128Mi, has larger consumption of memory."
 *   (K pkg/kubelet/eviction/helpers.go), Warning `Evicted` with the same message; its ReplicaSet
 *   replaces it (on another Node: the taint). Hard eviction ignores PodDisruptionBudgets.
 * - The condition clears only once the signal stayed above its threshold for the pressure transition
 *   period (`--eviction-pressure-transition-period`, 300 s): condition `False`, taint removed, Normal
 *   `NodeHasSufficientMemory` / `NodeHasNoDiskPressure`. A fault that is gone (memory recovered, the disk
 *   filler gone) with its condition cleared is removed from `state.nodePressure`.
 *
 * Simplification: the evicted Pod's container statuses are cleared (kubectl shows `Evicted`, not the
 * runtime's `Error`); each Pod's own disk use is a flat {@link POD_DISK_MIB}; the disk filler's files
 * are not attributed to it in the ranking (as writes to a hostPath are not) but go with it once it is no
 * longer active (as an emptyDir's would).
 */
import type { Node, NodeCondition, NodePressure, Pod, SimState } from '../types.ts';
import { updateObject, updateStatus } from '../apiserver.ts';
import { getIndex, sortedKeys } from '../cache.ts';
import { emit } from '../emit.ts';
import { isActive, setPodReady } from '../podutil.ts';
import { parseMemoryMiB } from '../../manifests/quantity.ts';

/** The kubelet's housekeeping interval: at most one eviction per interval, sim seconds. */
export const HOUSEKEEPING_SECONDS = 10;
/** `--eviction-pressure-transition-period` default, sim seconds. */
export const PRESSURE_TRANSITION_SECONDS = 300;
/** Hard threshold `memory.available<100Mi`, MiB. */
export const MEMORY_THRESHOLD_MIB = 100;
/** Image garbage collection's low threshold: it frees images down to 80 % disk use (high threshold 85 %). */
export const IMAGE_GC_LOW = 0.8;
/** Hard threshold `nodefs.available<10%`, share of the filesystem. */
export const NODEFS_THRESHOLD = 0.1;
/** Disk a Pod uses on the node's root filesystem (container logs, writable layer), MiB. */
export const POD_DISK_MIB = 200;

/** The resource under pressure. */
export type PressureResource = 'memory' | 'disk';

interface Vocabulary {
  condition: NodeCondition['type'];
  taint: string;
  /** The resource name of the eviction message (`memory`, `ephemeral-storage`). */
  resource: string;
  trueReason: string;
  trueMessage: string;
  falseReason: string;
  falseMessage: string;
}

const WORDS: Record<PressureResource, Vocabulary> = {
  memory: {
    condition: 'MemoryPressure',
    taint: 'node.kubernetes.io/memory-pressure',
    resource: 'memory',
    trueReason: 'KubeletHasInsufficientMemory',
    trueMessage: 'kubelet has insufficient memory available',
    falseReason: 'KubeletHasSufficientMemory',
    falseMessage: 'kubelet has sufficient memory available',
  },
  disk: {
    condition: 'DiskPressure',
    taint: 'node.kubernetes.io/disk-pressure',
    resource: 'ephemeral-storage',
    trueReason: 'KubeletHasDiskPressure',
    trueMessage: 'kubelet has disk pressure',
    falseReason: 'KubeletHasNoDiskPressure',
    falseMessage: 'kubelet has no disk pressure',
  },
};

/** Node events the kubelet records on a condition change (K pkg/kubelet/nodestatus/setters.go). */
const NODE_EVENT: Record<PressureResource, { on: string; off: string }> = {
  memory: { on: 'NodeHasInsufficientMemory', off: 'NodeHasSufficientMemory' },
  disk: { on: 'NodeHasDiskPressure', off: 'NodeHasNoDiskPressure' },
};

/** The taint key of `resource` pressure. */
export function pressureTaint(resource: PressureResource): string {
  return WORDS[resource].taint;
}

/** Active Pods bound to `node`, sorted by key. */
export function activePodsOn(state: SimState, node: string): string[] {
  return sortedKeys(getIndex(state).podsByNode.get(node)).filter((k) => {
    const p = state.pods[k];
    return !!p && p.spec.nodeName === node && isActive(p);
  });
}

/** Workload Pods of `node` the kubelet may evict (active, not in kube-system), sorted by key. */
export function evictablePodsOn(state: SimState, node: string): string[] {
  return activePodsOn(state, node).filter((k) => state.pods[k]!.metadata.namespace !== 'kube-system');
}

/** The Pod's QoS class (K pkg/apis/core/helper/qos): BestEffort, Guaranteed, else Burstable. */
export function qosClass(pod: Pod): 'BestEffort' | 'Burstable' | 'Guaranteed' {
  let any = false;
  let guaranteed = true;
  for (const c of pod.spec.containers) {
    const { requests, limits } = c.resources;
    if (requests?.cpu || requests?.memory || limits?.cpu || limits?.memory) any = true;
    const cpu = requests?.cpu ?? limits?.cpu;
    const mem = requests?.memory ?? limits?.memory;
    if (!limits?.cpu || !limits.memory || cpu !== limits.cpu || mem !== limits.memory) guaranteed = false;
  }
  return !any ? 'BestEffort' : guaranteed ? 'Guaranteed' : 'Burstable';
}

/** A Pod's use of `resource` and its request, MiB (disk: {@link POD_DISK_MIB}, no ephemeral-storage request in the sim). */
function usage(pod: Pod, resource: PressureResource): { used: number; request: number } {
  return resource === 'memory' ? { used: pod.sim.memoryMiB, request: pod.sim.memRequestMiB } : { used: POD_DISK_MIB, request: 0 };
}

/**
 * The eviction order of `keys` (Pod keys) for `resource` (see the module doc): use over request first,
 * then priority ascending, then use minus request (MiB) descending, then namespace and name. Pure; a total
 * order.
 */
export function evictionOrder(state: SimState, keys: readonly string[], resource: PressureResource): string[] {
  const rows = keys.map((key) => {
    const pod = state.pods[key]!;
    const u = usage(pod, resource);
    return { key, ns: pod.metadata.namespace, name: pod.metadata.name, exceeds: u.used > u.request, priority: pod.spec.priority ?? 0, over: u.used - u.request };
  });
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  rows.sort((a, b) => Number(b.exceeds) - Number(a.exceeds) || a.priority - b.priority || b.over - a.over || cmp(a.ns, b.ns) || cmp(a.name, b.name));
  return rows.map((r) => r.key);
}

/** The node's memory capacity, MiB. */
export function memoryCapacityMiB(node: Node): number {
  try {
    return parseMemoryMiB(node.status.capacity.memory);
  } catch {
    return node.sim.memAllocatableMiB;
  }
}

/** `memory.available` of `node`, MiB: capacity minus its active Pods' working set minus `outsideMiB`. */
export function memoryAvailableMiB(state: SimState, node: Node, name: string, outsideMiB: number): number {
  let used = outsideMiB;
  for (const key of activePodsOn(state, name)) used += state.pods[key]!.sim.memoryMiB;
  return memoryCapacityMiB(node) - used;
}

/** What a housekeeping pass measures: the signal's available amount and threshold (MiB), and its wording. */
export interface Signal {
  availableMiB: number;
  thresholdMiB: number;
  /** As the eviction message writes them: `100Mi`, `10%` / `10Gi`, `42Mi`. */
  thresholdText: string;
  availableText: string;
}

function quantity(mib: number): string {
  const m = Math.round(mib);
  return Math.abs(m) >= 10240 && m % 1024 === 0 ? `${m / 1024}Gi` : `${m}Mi`;
}

/** The memory signal of `node` with `outsideMiB` used outside its Pods. */
export function memorySignal(state: SimState, node: Node, name: string, outsideMiB: number): Signal {
  const available = memoryAvailableMiB(state, node, name, outsideMiB);
  return { availableMiB: available, thresholdMiB: MEMORY_THRESHOLD_MIB, thresholdText: `${MEMORY_THRESHOLD_MIB}Mi`, availableText: quantity(available) };
}

/** The nodefs signal: `capacityMiB` minus `usedMiB` (images, system, the fault) minus the active Pods' {@link POD_DISK_MIB} each. */
export function diskSignal(state: SimState, name: string, capacityMiB: number, usedMiB: number): Signal {
  const available = capacityMiB - usedMiB - activePodsOn(state, name).length * POD_DISK_MIB;
  return { availableMiB: available, thresholdMiB: capacityMiB * NODEFS_THRESHOLD, thresholdText: `${Math.round(NODEFS_THRESHOLD * 100)}%`, availableText: quantity(available) };
}

function setPressureCondition(state: SimState, name: string, node: Node, resource: PressureResource, on: boolean): void {
  const w = WORDS[resource];
  const now = state.t;
  const fresh: NodeCondition = {
    type: w.condition,
    status: on ? 'True' : 'False',
    reason: on ? w.trueReason : w.falseReason,
    message: on ? w.trueMessage : w.falseMessage,
    lastHeartbeatTime: now,
    lastTransitionTime: now,
  };
  const i = node.status.conditions.findIndex((c) => c.type === w.condition);
  node.status.conditions = i < 0 ? [...node.status.conditions, fresh] : node.status.conditions.map((c, j) => (j === i ? fresh : c));
  updateStatus(state, 'Node', name);
  emit(state, 'Normal', on ? NODE_EVENT[resource].on : NODE_EVENT[resource].off, { kind: 'Node', name, namespace: '' }, `Node ${name} status is now: ${on ? NODE_EVENT[resource].on : NODE_EVENT[resource].off}`, 'kubelet');
  // TaintNodesByCondition (node lifecycle controller): the condition's NoSchedule taint follows it.
  updateObject(state, 'Node', name, (n) => {
    const has = n.spec.taints.some((t) => t.key === w.taint);
    if (on === has) return false;
    n.spec.taints = on ? [...n.spec.taints, { key: w.taint, effect: 'NoSchedule', timeAdded: now }] : n.spec.taints.filter((t) => t.key !== w.taint);
    return true;
  });
}

/** True while the node's `resource` pressure condition is `True`. */
export function underPressure(node: Node, resource: PressureResource): boolean {
  return node.status.conditions.some((c) => c.type === WORDS[resource].condition && c.status === 'True');
}

/** Evicts Pod `key` (see the module doc): Failed, `Evicted`, killed now. */
function evict(state: SimState, key: string, resource: PressureResource, signal: Signal): void {
  const pod = state.pods[key]!;
  const w = WORDS[resource];
  const c = pod.spec.containers[0];
  const u = usage(pod, resource);
  const message = `The node was low on resource: ${w.resource}. Threshold quantity: ${signal.thresholdText}, available: ${signal.availableText}. `
    + (c ? `Container ${c.name} was using ${quantity(u.used)}, request is ${u.request > 0 ? quantity(u.request) : '0'}, has larger consumption of ${w.resource}.` : '');
  pod.status.containerStatuses = [];
  pod.sim.containerStartedAt = null;
  pod.sim.nextTransitionAt = null;
  pod.sim.memoryMiB = 0;
  setPodReady(state, key, pod, false, 'PodFailed');
  pod.status.phase = 'Failed';
  pod.status.reason = 'Evicted';
  pod.status.message = message;
  updateStatus(state, 'Pod', key);
  emit(state, 'Warning', 'Evicted', { kind: 'Pod', name: pod.metadata.name, namespace: pod.metadata.namespace }, message, 'kubelet');
  emit(state, 'Normal', 'Killing', { kind: 'Pod', name: pod.metadata.name, namespace: pod.metadata.namespace }, `Stopping container ${c?.name ?? ''}`, 'kubelet');
}

/** The `resource` signal of a fault, or null when it has none. */
function faultSignal(state: SimState, name: string, node: Node, resource: PressureResource, fault: NodePressure): Signal | null {
  if (resource === 'memory') return fault.memory ? memorySignal(state, node, name, fault.memory.outsideMiB) : null;
  const d = fault.disk;
  if (!d) return null;
  return diskSignal(state, name, d.capacityMiB, diskUsedMiB(state, fault));
}

/** Disk used outside the Pods' own share, MiB: images and system, plus the filler's files while it is active. */
export function diskUsedMiB(state: SimState, fault: NodePressure): number {
  const d = fault.disk;
  if (!d) return 0;
  const pod = d.filler !== null ? state.pods[d.filler] : undefined;
  return d.imagesMiB + (pod && isActive(pod) ? d.fillerMiB : 0);
}

/** The `resource` signal of Node `name` now, or null when it has no such fault. */
export function pressureSignal(state: SimState, name: string, resource: PressureResource): Signal | null {
  const fault = state.nodePressure?.[name];
  const node = state.nodes[name];
  return fault && node ? faultSignal(state, name, node, resource, fault) : null;
}

/** One housekeeping pass of `resource` on Node `name`; answers whether the fault is over (gone and cleared). */
function housekeep(state: SimState, name: string, node: Node, resource: PressureResource, fault: NodePressure): boolean {
  const entry = resource === 'memory' ? fault.memory : fault.disk;
  const signal = faultSignal(state, name, node, resource, fault);
  if (!entry || !signal) return true;
  const pressured = underPressure(node, resource);
  if (signal.availableMiB >= signal.thresholdMiB) {
    const last = entry.lastBelowAt;
    if (pressured && (last === null || state.t - last >= PRESSURE_TRANSITION_SECONDS)) {
      setPressureCondition(state, name, node, resource, false);
      return true;
    }
    return !pressured;
  }
  entry.lastBelowAt = state.t;
  if (!pressured) {
    setPressureCondition(state, name, node, resource, true);
    if (resource === 'disk') {
      const capacity = signal.thresholdMiB / NODEFS_THRESHOLD;
      const toFree = Math.round((capacity * (1 - IMAGE_GC_LOW) - signal.availableMiB) * 1024 * 1024);
      emit(state, 'Warning', 'FreeDiskSpaceFailed', { kind: 'Node', name, namespace: '' }, `Failed to garbage collect required amount of images. Attempted to free ${toFree} bytes, but only found 0 bytes eligible to free.`, 'kubelet');
    }
  }
  emit(state, 'Warning', 'EvictionThresholdMet', { kind: 'Node', name, namespace: '' }, `Attempting to reclaim ${WORDS[resource].resource}`, 'kubelet');
  const victim = evictionOrder(state, evictablePodsOn(state, name), resource)[0];
  if (victim !== undefined) evict(state, victim, resource, signal);
  return false;
}

/**
 * The eviction manager's tick (see the module doc): recovers memory faults whose `recoverAt` came, then,
 * on housekeeping seconds, measures each faulty Node (by name) and acts. O(1) without faults; else
 * O(faulty nodes x their pods log pods).
 */
export function kubeletEvictionSync(state: SimState): void {
  const faults = state.nodePressure;
  if (!faults) return;
  for (const name of Object.keys(faults).sort()) {
    const fault = faults[name]!;
    const m = fault.memory;
    if (m && m.recoverAt !== null && state.t >= m.recoverAt) {
      m.outsideMiB = 0;
      m.recoverAt = null;
    }
    if (state.t % HOUSEKEEPING_SECONDS !== 0) continue;
    const node = state.nodes[name];
    if (!node) {
      delete faults[name];
      continue;
    }
    if (!node.sim.kubeletUp) continue;
    for (const resource of ['memory', 'disk'] as const) {
      const entry = fault[resource];
      if (!entry) continue;
      const over = housekeep(state, name, node, resource, fault);
      const gone = resource === 'memory' ? fault.memory!.outsideMiB === 0 : diskUsedMiB(state, fault) === fault.disk!.imagesMiB;
      if (over && gone) delete fault[resource];
    }
    if (!fault.memory && !fault.disk) delete faults[name];
  }
  if (Object.keys(faults).length === 0) delete state.nodePressure;
}
