/**
 * The kubelet's node-pressure eviction manager and image garbage collector (W
 * concepts/scheduling-eviction/node-pressure-eviction.md, W concepts/architecture/garbage-collection.md
 * "Container image lifecycle"; kubernetes-behaviour.md §3, §10), for the Nodes with a fault in
 * `state.nodePressure` (written by the node-memory-pressure / node-disk-pressure / node-pid-pressure
 * incidents). Runs every tick from ./index.ts; O(1) while no Node has a fault: a Node without one has
 * no disk, PID or outside-memory model (nothing there could cross a threshold). All times are sim seconds.
 *
 * - Eviction signals and hard thresholds (K pkg/kubelet/eviction/defaults_linux.go DefaultEvictionHard):
 *   `memory.available<100Mi` (node memory capacity minus the working set of the node: its active Pods'
 *   plus what the fault uses outside them); on the root filesystem `nodefs.available<10%`,
 *   `imagefs.available<15%` (the images share the root disk, so the runtime's image filesystem is the
 *   same disk: DiskPressure from 85 % used) and `nodefs.inodesFree<5%`: used = system files + the images
 *   the Node lists in `status.images` + {@link POD_DISK_MIB} per active Pod + the fault's files
 *   ({@link INODES_PER_MIB} inodes per MiB of system files and images, {@link POD_INODES} per Pod, the
 *   fault's own); `pid.available<10%` of the Node's `pid_max` (not an upstream default: the kubelet of
 *   the node-pid-pressure incident is configured with it, as GKE's are).
 * - Housekeeping every 10 s (`--housekeeping-interval`, on sim seconds that are multiples of 10): while a
 *   signal is under its threshold the Node condition (`MemoryPressure` / `DiskPressure` / `PIDPressure`)
 *   is `True` (reasons `KubeletHasInsufficientMemory` / `KubeletHasDiskPressure` /
 *   `KubeletHasInsufficientPID`, Normal event `NodeHasInsufficientMemory` / `NodeHasDiskPressure` /
 *   `NodeHasInsufficientPID`), the taint `node.kubernetes.io/memory-pressure` / `disk-pressure` /
 *   `pid-pressure` `:NoSchedule` keeps new Pods away (the node lifecycle controller's
 *   TaintNodesByCondition). The first signal met (memory first, then nodefs, imagefs, inodes, then PIDs;
 *   eviction_manager.go byEvictionPriority) is reclaimed: Warning `EvictionThresholdMet` "Attempting to
 *   reclaim memory|ephemeral-storage|inodes|pids"; for the disk the node-level resources first
 *   (reclaimNodeLevelResources: every unused image older than 2 min is deleted, as `DeleteUnusedImages`),
 *   and when no threshold is met any more no Pod is evicted; otherwise ONE Pod per housekeeping.
 * - Image garbage collection (K pkg/kubelet/images/image_gc_manager.go; kubelet.go StartGarbageCollection,
 *   `ImageGCPeriod` 5 min: sim seconds multiple of 300, before that second's housekeeping): at >= 85 %
 *   use (`--image-gc-high-threshold`) it frees `capacity x 20 % - available` bytes (down to
 *   `--image-gc-low-threshold` 80 %) by deleting unused images (no active Pod of the Node runs them),
 *   least recently used first (then first detected, then name), skipping those detected less than 2 min
 *   ago (`--minimum-image-ttl-duration`). Not enough: Warning `FreeDiskSpaceFailed` "Failed to garbage
 *   collect required amount of images. Attempted to free N bytes, but only found M bytes eligible to
 *   free." and, on the second failure in a row, Warning `ImageGCFailed` with the same text. A deleted
 *   image leaves the Node's `status.images` (the next Pod needing it pulls it again, ImageLocality no
 *   longer counts the Node).
 * - Ranking (K pkg/kubelet/eviction/helpers.go `rankMemoryPressure`, `rankDiskPressureFunc`,
 *   `rankPIDPressure`; W node-pressure-eviction.md "Pod selection for kubelet eviction"): memory and
 *   disk: first the Pods whose use of the starved resource exceeds their request, then by Pod priority
 *   (`spec.priority`, lower first), then by use minus request (larger first); PIDs: priority, then
 *   process count (larger first); ties by namespace, then name (the kubelet's sort has no tie-break).
 *   Memory: the Pod's working set against its memory requests; disk: its ephemeral-storage (or inode)
 *   use against its requests (the sim has none: every Pod exceeds a zero request). QoS classes are not
 *   compared: BestEffort Pods come first only because any use exceeds their zero request. Pods of
 *   `kube-system` (static and critical Pods) are never evicted.
 * - An evicted Pod is killed at once (hard thresholds: no grace period) and stays as a Failed Pod:
 *   `status.reason: Evicted`, message "The node was low on resource: memory. Threshold quantity: 100Mi,
 *   available: -42Mi. Container db was using 150Mi, request is 128Mi, has larger consumption of memory. "
 *   (each fragment ends in ". ", so does the message; K pkg/kubelet/eviction/helpers.go evictionMessage: quantities as resource.Quantity prints them, the
 *   threshold computed from the capacity, `10Gi`; no container part for inodes and pids), Warning
 *   `Evicted` with the same message; its ReplicaSet replaces it (on another Node: the taint). Hard
 *   eviction ignores PodDisruptionBudgets.
 * - The condition clears only once the signal stayed above its threshold for the pressure transition
 *   period (`--eviction-pressure-transition-period`, 300 s): condition `False`, taint removed, Normal
 *   `NodeHasSufficientMemory` / `NodeHasNoDiskPressure` / `NodeHasSufficientPID`. A fault that is gone
 *   (memory recovered, the disk filler or the forking Pod gone) with its condition cleared is removed
 *   from `state.nodePressure`.
 *
 * Simplification: the evicted Pod's container statuses are cleared (kubectl shows `Evicted`, not the
 * runtime's `Error`); each Pod's own disk use is a flat {@link POD_DISK_MIB} ({@link POD_INODES}
 * inodes, {@link POD_PIDS} processes); the fault's files are not attributed to its Pod in the ranking
 * (as writes to a hostPath are not) but go with it once it is no longer active (as an emptyDir's
 * would); no dedicated image filesystem (a Node has one disk); the image records of the Node's images
 * listed when the fault starts count as detected (and, unused, last used) 2 min before it.
 */
import type { Node, NodeCondition, NodePressure, Pod, SimSeconds, SimState } from '../types.ts';
import { updateObject, updateStatus } from '../apiserver.ts';
import { getIndex, sortedKeys } from '../cache.ts';
import { emit } from '../emit.ts';
import { isActive, setPodReady } from '../podutil.ts';
import { parseMemoryMiB } from '../../manifests/quantity.ts';
import { addNodeImages, removeNodeImages } from './kubelet.ts';
import { MIB_BYTES, normalizedImageName } from './schedulerPlugins.ts';

/** The kubelet's housekeeping interval: at most one eviction per interval, sim seconds. */
export const HOUSEKEEPING_SECONDS = 10;
/** `--eviction-pressure-transition-period` default, sim seconds. */
export const PRESSURE_TRANSITION_SECONDS = 300;
/** Hard threshold `memory.available<100Mi`, MiB. */
export const MEMORY_THRESHOLD_MIB = 100;
/** Image garbage collection's high threshold (`--image-gc-high-threshold` 85): it runs from 85 % disk use. */
export const IMAGE_GC_HIGH_PERCENT = 85;
/** Image garbage collection's low threshold (`--image-gc-low-threshold` 80): it frees images down to 80 % disk use. */
export const IMAGE_GC_LOW_PERCENT = 80;
/** kubelet.go `ImageGCPeriod`: the image garbage collector runs every 5 min, sim seconds. */
export const IMAGE_GC_PERIOD_SECONDS = 300;
/** `--minimum-image-ttl-duration` (ImageMinimumGCAge) default 2 min: younger images are never collected, sim seconds. */
export const IMAGE_MIN_AGE_SECONDS = 120;
/** Hard threshold `nodefs.available<10%`, share of the filesystem. */
export const NODEFS_THRESHOLD = 0.1;
/** Hard threshold `imagefs.available<15%`, share of the (same) filesystem. */
export const IMAGEFS_THRESHOLD = 0.15;
/** Hard threshold `nodefs.inodesFree<5%`, share of the filesystem's inodes. */
export const INODES_THRESHOLD = 0.05;
/** Inodes of the root filesystem per MiB of its size (ext4's default one inode per 16 KiB). */
export const INODES_PER_MIB = 64;
/** Inodes taken per MiB of system files and images (files of 256 KiB on average; our value). */
export const USED_INODES_PER_MIB = 4;
/** Disk a Pod uses on the node's root filesystem (container logs, writable layer), MiB. */
export const POD_DISK_MIB = 200;
/** Inodes a Pod uses (its logs and writable layer; our value). */
export const POD_INODES = 1000;
/** Processes of the Node outside its Pods (systemd, the kubelet, the runtime; our value). */
export const SYSTEM_PIDS = 200;
/** Processes a Pod runs (its sandbox and containers; our value). */
export const POD_PIDS = 10;

/** The resource under pressure (the Node condition it drives). */
export type PressureResource = 'memory' | 'disk' | 'pid';

/** An eviction signal (K pkg/kubelet/eviction/api/types.go). */
export type SignalName = 'memory.available' | 'nodefs.available' | 'imagefs.available' | 'nodefs.inodesFree' | 'pid.available';

interface Vocabulary {
  condition: NodeCondition['type'];
  taint: string;
  trueReason: string;
  trueMessage: string;
  falseReason: string;
  falseMessage: string;
  /** Node events on a condition change (K pkg/kubelet/nodestatus/setters.go). */
  on: string;
  off: string;
}

const WORDS: Record<PressureResource, Vocabulary> = {
  memory: {
    condition: 'MemoryPressure',
    taint: 'node.kubernetes.io/memory-pressure',
    trueReason: 'KubeletHasInsufficientMemory',
    trueMessage: 'kubelet has insufficient memory available',
    falseReason: 'KubeletHasSufficientMemory',
    falseMessage: 'kubelet has sufficient memory available',
    on: 'NodeHasInsufficientMemory',
    off: 'NodeHasSufficientMemory',
  },
  disk: {
    condition: 'DiskPressure',
    taint: 'node.kubernetes.io/disk-pressure',
    trueReason: 'KubeletHasDiskPressure',
    trueMessage: 'kubelet has disk pressure',
    falseReason: 'KubeletHasNoDiskPressure',
    falseMessage: 'kubelet has no disk pressure',
    on: 'NodeHasDiskPressure',
    off: 'NodeHasNoDiskPressure',
  },
  pid: {
    condition: 'PIDPressure',
    taint: 'node.kubernetes.io/pid-pressure',
    trueReason: 'KubeletHasInsufficientPID',
    trueMessage: 'kubelet has insufficient PID available',
    falseReason: 'KubeletHasSufficientPID',
    falseMessage: 'kubelet has sufficient PID available',
    on: 'NodeHasInsufficientPID',
    off: 'NodeHasSufficientPID',
  },
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

/**
 * What a signal measures of a Pod: its use and request (memory and ephemeral-storage MiB, inodes,
 * processes). Disk: flat {@link POD_DISK_MIB} / {@link POD_INODES}, no requests in the sim; PIDs:
 * {@link POD_PIDS} plus the fault's processes for the forking Pod.
 */
function usage(state: SimState, key: string, pod: Pod, signal: SignalName): { used: number; request: number } {
  switch (signal) {
    case 'memory.available':
      return { used: pod.sim.memoryMiB, request: pod.sim.memRequestMiB };
    case 'nodefs.inodesFree':
      return { used: POD_INODES, request: 0 };
    case 'pid.available': {
      const p = state.nodePressure?.[pod.spec.nodeName ?? '']?.pid;
      return { used: POD_PIDS + (p && p.forker === key ? p.forkerPids : 0), request: 0 };
    }
    default:
      return { used: POD_DISK_MIB, request: 0 };
  }
}

const SIGNAL_OF: Record<PressureResource, SignalName> = { memory: 'memory.available', disk: 'nodefs.available', pid: 'pid.available' };

/**
 * The eviction order of `keys` (Pod keys) for `resource` or a signal (see the module doc): memory and
 * disk: use over request first, then priority ascending, then use minus request descending; PIDs:
 * priority ascending, then processes descending; then namespace and name. Pure; a total order.
 */
export function evictionOrder(state: SimState, keys: readonly string[], resource: PressureResource | SignalName): string[] {
  const signal: SignalName = resource === 'memory' || resource === 'disk' || resource === 'pid' ? SIGNAL_OF[resource] : resource;
  const byRequest = signal !== 'pid.available';
  const rows = keys.map((key) => {
    const pod = state.pods[key]!;
    const u = usage(state, key, pod, signal);
    return { key, ns: pod.metadata.namespace, name: pod.metadata.name, exceeds: byRequest && u.used > u.request, priority: pod.spec.priority ?? 0, over: u.used - u.request };
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

/** What a housekeeping pass measures of one signal: available and threshold (MiB, inodes or processes), and the wording. */
export interface Signal {
  signal: SignalName;
  /** The resource the eviction message names: `memory`, `ephemeral-storage`, `inodes`, `pids` (K helpers.go signalToResource). */
  resource: string;
  availableMiB: number;
  thresholdMiB: number;
  /** As the eviction message writes them (resource.Quantity): `100Mi`, `10Gi`, `-42Mi`, `320Ki`, `2k`. */
  thresholdText: string;
  availableText: string;
}

/**
 * `value` as Go's resource.Quantity prints it (K apimachinery pkg/api/resource quantity.go String):
 * BinarySI with the largest of Ki..Ei that divides it exactly, DecimalSI with the largest of k..E
 * (else the plain integer). Pure.
 */
export function quantityText(value: number, format: 'BinarySI' | 'DecimalSI'): string {
  let v = Math.trunc(value);
  if (v === 0) return '0';
  const [base, suffixes] = format === 'BinarySI' ? [1024, ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei']] : [1000, ['', 'k', 'M', 'G', 'T', 'P', 'E']];
  let i = 0;
  while (i < suffixes.length - 1 && v % base === 0) {
    v /= base;
    i++;
  }
  return `${v}${suffixes[i]}`;
}

/** MiB as a BinarySI byte quantity (`42Mi`, `10Gi`). */
function mibText(mib: number): string {
  return quantityText(Math.round(mib) * MIB_BYTES, 'BinarySI');
}

/** The memory signal of `node` with `outsideMiB` used outside its Pods. */
export function memorySignal(state: SimState, node: Node, name: string, outsideMiB: number): Signal {
  const available = memoryAvailableMiB(state, node, name, outsideMiB);
  return { signal: 'memory.available', resource: 'memory', availableMiB: available, thresholdMiB: MEMORY_THRESHOLD_MIB, thresholdText: mibText(MEMORY_THRESHOLD_MIB), availableText: mibText(available) };
}

/** The images Node `name` lists in `status.images`, MiB. O(images). */
export function nodeImagesMiB(state: SimState, name: string): number {
  let bytes = 0;
  for (const img of state.nodes[name]?.status.images ?? []) bytes += img.sizeBytes;
  return bytes / MIB_BYTES;
}

/** True while the fault's filler (or forker) Pod `key` is active. */
function holds(state: SimState, key: string | null): boolean {
  const pod = key !== null ? state.pods[key] : undefined;
  return !!pod && isActive(pod);
}

/** The root filesystem's use now: MiB used and inodes used, and the active Pods counted. */
function diskUse(state: SimState, name: string, d: NonNullable<NodePressure['disk']>): { usedMiB: number; usedInodes: number } {
  const pods = activePodsOn(state, name).length;
  const filler = holds(state, d.filler);
  const staticMiB = d.systemMiB + nodeImagesMiB(state, name);
  return {
    usedMiB: staticMiB + pods * POD_DISK_MIB + (filler ? d.fillerMiB : 0),
    usedInodes: Math.round(staticMiB * USED_INODES_PER_MIB) + pods * POD_INODES + (filler ? d.fillerInodes : 0),
  };
}

/** Disk available on Node `name` under its disk fault `d`, MiB. */
export function diskAvailableMiB(state: SimState, name: string, d: NonNullable<NodePressure['disk']>): number {
  return d.capacityMiB - diskUse(state, name, d).usedMiB;
}

/** The disk signals of a fault, in the order they are reclaimed: nodefs.available, imagefs.available (the same disk), nodefs.inodesFree. */
export function diskSignals(state: SimState, name: string, d: NonNullable<NodePressure['disk']>): Signal[] {
  const use = diskUse(state, name, d);
  const available = d.capacityMiB - use.usedMiB;
  const inodes = d.capacityMiB * INODES_PER_MIB;
  const inodesFree = inodes - use.usedInodes;
  const space = (signal: SignalName, share: number): Signal => {
    // GetThresholdQuantity: int64(capacity bytes x percentage), BinarySI.
    const thresholdMiB = d.capacityMiB * share;
    return { signal, resource: 'ephemeral-storage', availableMiB: available, thresholdMiB, thresholdText: quantityText(Math.trunc(d.capacityMiB * MIB_BYTES * share), 'BinarySI'), availableText: mibText(available) };
  };
  return [
    space('nodefs.available', NODEFS_THRESHOLD),
    space('imagefs.available', IMAGEFS_THRESHOLD),
    { signal: 'nodefs.inodesFree', resource: 'inodes', availableMiB: inodesFree, thresholdMiB: inodes * INODES_THRESHOLD, thresholdText: quantityText(Math.trunc(inodes * INODES_THRESHOLD), 'BinarySI'), availableText: quantityText(inodesFree, 'DecimalSI') },
  ];
}

/** The processes of the fault's forking Pod at `t` (it adds `forksPerSecond` a second up to what `pid_max` leaves). */
function pidsAvailable(state: SimState, name: string, p: NonNullable<NodePressure['pid']>): number {
  return p.pidMax - SYSTEM_PIDS - activePodsOn(state, name).length * POD_PIDS - (holds(state, p.forker) ? p.forkerPids : 0);
}

/** The `pid.available` signal of a fault. */
export function pidSignal(state: SimState, name: string, p: NonNullable<NodePressure['pid']>): Signal {
  const available = pidsAvailable(state, name, p);
  const threshold = Math.trunc(p.pidMax * p.threshold);
  return { signal: 'pid.available', resource: 'pids', availableMiB: available, thresholdMiB: threshold, thresholdText: quantityText(threshold, 'BinarySI'), availableText: quantityText(available, 'DecimalSI') };
}

/** The signals of `resource` of a fault (none when it has no such part). */
function faultSignals(state: SimState, name: string, node: Node, resource: PressureResource, fault: NodePressure): Signal[] {
  if (resource === 'memory') return fault.memory ? [memorySignal(state, node, name, fault.memory.outsideMiB)] : [];
  if (resource === 'pid') return fault.pid ? [pidSignal(state, name, fault.pid)] : [];
  return fault.disk ? diskSignals(state, name, fault.disk) : [];
}

const met = (s: Signal) => s.availableMiB < s.thresholdMiB;

/**
 * The `resource` signal of Node `name` now (disk: the first one met, else nodefs.available), or null
 * when it has no such fault.
 */
export function pressureSignal(state: SimState, name: string, resource: PressureResource): Signal | null {
  const fault = state.nodePressure?.[name];
  const node = state.nodes[name];
  if (!fault || !node) return null;
  const all = faultSignals(state, name, node, resource, fault);
  return all.find(met) ?? all[0] ?? null;
}

/** True when every signal of `resource` on Node `name` is above its threshold (or it has no such fault). */
export function pressureRelieved(state: SimState, name: string, resource: PressureResource): boolean {
  const fault = state.nodePressure?.[name];
  const node = state.nodes[name];
  return !fault || !node || !faultSignals(state, name, node, resource, fault).some(met);
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
  emit(state, 'Normal', on ? w.on : w.off, { kind: 'Node', name, namespace: '' }, `Node ${name} status is now: ${on ? w.on : w.off}`, 'kubelet');
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
function evict(state: SimState, key: string, signal: Signal): void {
  const pod = state.pods[key]!;
  const c = pod.spec.containers[0];
  // evictionMessage's fragments each end in ". " (nodeLowMessageFmt, thresholdMetMessageFmt, containerMessageFmt): a trailing space.
  let message = `The node was low on resource: ${signal.resource}. Threshold quantity: ${signal.thresholdText}, available: ${signal.availableText}. `;
  if (c && (signal.signal === 'memory.available' || signal.resource === 'ephemeral-storage')) {
    // evictionMessage: a container part only for memory and ephemeral-storage, when its use exceeds its request.
    const u = usage(state, key, pod, signal.signal);
    if (u.used > u.request) message += `Container ${c.name} was using ${mibText(u.used)}, request is ${u.request > 0 ? mibText(u.request) : '0'}, has larger consumption of ${signal.resource}. `;
  }
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

/** The normalised images the active Pods of Node `name` run (image_gc_manager.go imagesInUse). */
function imagesInUse(state: SimState, name: string): Set<string> {
  const out = new Set<string>();
  for (const key of activePodsOn(state, name)) {
    const pod = state.pods[key]!;
    for (const c of pod.spec.initContainers ?? []) out.add(normalizedImageName(c.image));
    for (const c of pod.spec.containers) out.add(normalizedImageName(c.image));
  }
  return out;
}

/**
 * image_gc_manager.go detectImages: a record for each image the Node lists (first detected now), last
 * used now for those in use; records of images no longer listed dropped. Returns the images in use.
 */
function detectImages(state: SimState, name: string, d: NonNullable<NodePressure['disk']>): Set<string> {
  const inUse = imagesInUse(state, name);
  const listed = state.nodes[name]?.status.images ?? [];
  const byName = new Map(d.images.map((r) => [r.name, r]));
  const next: NonNullable<NodePressure['disk']>['images'] = [];
  for (const img of listed) {
    const n = img.names[0]!;
    const r = byName.get(n) ?? { name: n, firstDetected: state.t, lastUsed: state.t };
    if (inUse.has(n)) r.lastUsed = state.t;
    next.push(r);
  }
  next.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  d.images = next;
  return inUse;
}

/**
 * image_gc_manager.go freeSpace: deletes unused images of Node `name`, least recently used first (then
 * first detected, then name), skipping those detected less than {@link IMAGE_MIN_AGE_SECONDS} ago,
 * until `bytesToFree` bytes are freed. Answers the bytes freed.
 */
function freeSpace(state: SimState, name: string, d: NonNullable<NodePressure['disk']>, bytesToFree: number): number {
  const inUse = detectImages(state, name, d);
  const size = new Map((state.nodes[name]?.status.images ?? []).map((img) => [img.names[0]!, img.sizeBytes]));
  const order = d.images
    .filter((r) => !inUse.has(r.name) && state.t - r.firstDetected >= IMAGE_MIN_AGE_SECONDS)
    .sort((a, b) => a.lastUsed - b.lastUsed || a.firstDetected - b.firstDetected || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  let freed = 0;
  const deleted: string[] = [];
  for (const r of order) {
    if (freed >= bytesToFree) break;
    deleted.push(r.name);
    freed += size.get(r.name) ?? 0;
  }
  if (deleted.length > 0) {
    removeNodeImages(state, name, deleted);
    const gone = new Set(deleted);
    d.images = d.images.filter((r) => !gone.has(r.name));
  }
  return freed;
}

/**
 * The periodic image garbage collection of Node `name` (image_gc_manager.go GarbageCollect; see the
 * module doc): at >= 85 % use frees down to 80 %, `FreeDiskSpaceFailed` (and `ImageGCFailed` on the
 * second failure in a row) when the unused images are not enough. Sizes in bytes.
 */
export function imageGarbageCollect(state: SimState, name: string, d: NonNullable<NodePressure['disk']>): void {
  const capacity = d.capacityMiB * MIB_BYTES;
  const available = Math.max(0, Math.round(diskAvailableMiB(state, name, d) * MIB_BYTES));
  const usagePercent = 100 - Math.trunc((available * 100) / capacity);
  if (usagePercent < IMAGE_GC_HIGH_PERCENT) {
    detectImages(state, name, d);
    d.gcFailed = false;
    return;
  }
  const amountToFree = Math.trunc((capacity * (100 - IMAGE_GC_LOW_PERCENT)) / 100) - available;
  const freed = freeSpace(state, name, d, amountToFree);
  if (freed >= amountToFree) {
    d.gcFailed = false;
    return;
  }
  const message = `Failed to garbage collect required amount of images. Attempted to free ${amountToFree} bytes, but only found ${freed} bytes eligible to free.`;
  const ref = { kind: 'Node', name, namespace: '' } as const;
  emit(state, 'Warning', 'FreeDiskSpaceFailed', ref, message, 'kubelet');
  if (d.gcFailed) emit(state, 'Warning', 'ImageGCFailed', ref, message, 'kubelet'); // only for repeated failures
  d.gcFailed = true;
}

const RESOURCES: readonly PressureResource[] = ['memory', 'disk', 'pid'];

/** The part of `fault` for `resource`. */
function entryOf(fault: NodePressure, resource: PressureResource): { lastBelowAt: SimSeconds | null } | undefined {
  return resource === 'memory' ? fault.memory : resource === 'disk' ? fault.disk : fault.pid;
}

/**
 * One housekeeping pass on Node `name` (eviction_manager.go synchronize): conditions of each resource,
 * then the first signal met reclaimed (images first for the disk) or one Pod evicted.
 */
function housekeep(state: SimState, name: string, node: Node, fault: NodePressure): void {
  let toReclaim: Signal | null = null;
  for (const resource of RESOURCES) {
    const entry = entryOf(fault, resource);
    if (!entry) continue;
    const signals = faultSignals(state, name, node, resource, fault);
    const first = signals.find(met);
    const pressured = underPressure(node, resource);
    if (!first) {
      if (pressured && (entry.lastBelowAt === null || state.t - entry.lastBelowAt >= PRESSURE_TRANSITION_SECONDS)) setPressureCondition(state, name, node, resource, false);
      continue;
    }
    entry.lastBelowAt = state.t;
    if (!pressured) setPressureCondition(state, name, node, resource, true);
    toReclaim ??= first;
  }
  if (!toReclaim) return;
  emit(state, 'Warning', 'EvictionThresholdMet', { kind: 'Node', name, namespace: '' }, `Attempting to reclaim ${toReclaim.resource}`, 'kubelet');
  const d = fault.disk;
  if (d && toReclaim.signal !== 'memory.available' && toReclaim.signal !== 'pid.available') {
    // reclaimNodeLevelResources: DeleteUnusedImages, then no eviction when no threshold is met any more.
    freeSpace(state, name, d, Number.MAX_SAFE_INTEGER);
    if (RESOURCES.every((r) => pressureRelieved(state, name, r))) return;
    // Not enough: evict, the message quoting the observations made before the reclaim (as synchronize's).
  }
  const victim = evictionOrder(state, evictablePodsOn(state, name), toReclaim.signal)[0];
  if (victim !== undefined) evict(state, victim, toReclaim);
}

/** True once `resource`'s fault is gone (memory recovered, the filler or forker no longer active). */
function faultGone(state: SimState, fault: NodePressure, resource: PressureResource): boolean {
  if (resource === 'memory') return fault.memory!.outsideMiB === 0;
  if (resource === 'disk') return !holds(state, fault.disk!.filler);
  return !holds(state, fault.pid!.forker);
}

/**
 * The eviction manager's tick (see the module doc): recovers memory faults whose `recoverAt` came,
 * grows the forking Pod's processes, runs the image garbage collector every 5 min, then, on
 * housekeeping seconds, measures each faulty Node (by name) and acts. O(1) without faults; else
 * O(faulty nodes x (their pods log pods + images)).
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
    const p = fault.pid;
    if (p && holds(state, p.forker) && p.forksPerSecond > 0) {
      // A fork bomb forks until pid_max leaves nothing (the kernel's fork fails with EAGAIN).
      const room = pidsAvailable(state, name, p);
      p.forkerPids += Math.max(0, Math.min(room, p.forksPerSecond * state.settings.tickSeconds));
    }
    const node = state.nodes[name];
    if (!node) {
      delete faults[name];
      continue;
    }
    if (!node.sim.kubeletUp) continue;
    if (fault.disk && state.t % IMAGE_GC_PERIOD_SECONDS === 0) imageGarbageCollect(state, name, fault.disk);
    if (state.t % HOUSEKEEPING_SECONDS !== 0) continue;
    if (fault.disk) detectImages(state, name, fault.disk);
    housekeep(state, name, node, fault);
    for (const resource of RESOURCES) {
      if (entryOf(fault, resource) && !underPressure(node, resource) && pressureRelieved(state, name, resource) && faultGone(state, fault, resource)) delete fault[resource];
    }
    if (!fault.memory && !fault.disk && !fault.pid) delete faults[name];
  }
  if (Object.keys(faults).length === 0) delete state.nodePressure;
}

/**
 * The image records of a disk fault starting on Node `name` now: each listed image detected
 * {@link IMAGE_MIN_AGE_SECONDS} ago, last used now when an active Pod runs it, else then too; plus
 * `stale` ones (name and last used, sim seconds) detected when last used. Sorted by name.
 */
export function initialImageRecords(state: SimState, name: string, stale: readonly { name: string; lastUsed: SimSeconds }[]): NonNullable<NodePressure['disk']>['images'] {
  const inUse = imagesInUse(state, name);
  const before = state.t - IMAGE_MIN_AGE_SECONDS;
  const staleAt = new Map(stale.map((s) => [s.name, s.lastUsed]));
  const out = (state.nodes[name]?.status.images ?? []).map((img) => {
    const n = img.names[0]!;
    const at = staleAt.get(n);
    return at !== undefined ? { name: n, firstDetected: at, lastUsed: at } : { name: n, firstDetected: before, lastUsed: inUse.has(n) ? state.t : before };
  });
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * Adds `stale` images (normalised name, size MiB) to Node `name`'s `status.images`: what older releases
 * left there (a disk fault's leftovers, for the image garbage collector). O(images).
 */
export function addStaleImages(state: SimState, name: string, stale: readonly { name: string; sizeMiB: number }[]): void {
  addNodeImages(state, name, stale.map((s) => ({ names: [s.name], sizeBytes: Math.round(s.sizeMiB * MIB_BYTES) })));
}
