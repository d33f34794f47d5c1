/**
 * What the node-pressure incidents (`node-memory-pressure`, `node-disk-pressure`, `node-pid-pressure`) share: the fault they
 * put on a Node for the kubelet's eviction manager (shared/sim/controllers/eviction.ts: conditions,
 * taints, QoS-ranked evictions every 10 s, the 300 s transition period), the Deployments they affect,
 * and their mitigation measure (every Deployment that had Pods on the Node fully available again).
 *
 * May import: ../types.ts, ../cache.ts, ../controllers/eviction.ts.
 */
import type { NodePressure, SimState } from '../types.ts';
import { podOwnerKey, rsOwnerKey } from '../cache.ts';

export { activePodsOn, addStaleImages, evictablePodsOn, initialImageRecords, nodeImagesMiB, pressureRelieved, pressureSignal, pressureTaint, qosClass, MEMORY_THRESHOLD_MIB, POD_DISK_MIB, POD_INODES, POD_PIDS, SYSTEM_PIDS, INODES_PER_MIB, USED_INODES_PER_MIB, PRESSURE_TRANSITION_SECONDS, HOUSEKEEPING_SECONDS } from '../controllers/eviction.ts';

/** Deployments (keys) owning a Pod of `keys`, sorted. */
export function deploymentsOf(state: SimState, keys: readonly string[]): string[] {
  const out = new Set<string>();
  for (const key of keys) {
    const pod = state.pods[key];
    const rsKey = pod ? podOwnerKey(pod) : '';
    const rs = rsKey ? state.replicaSets[rsKey] : undefined;
    const d = rs ? rsOwnerKey(rs) : '';
    if (d) out.add(d);
  }
  return [...out].sort();
}

/** True when every Deployment of `keys` (Deployment keys) has all its desired replicas available. */
export function deploymentsAvailable(state: SimState, keys: readonly string[]): boolean {
  for (const key of keys) {
    const d = state.deployments[key];
    if (d && d.status.availableReplicas < d.spec.replicas) return false;
  }
  return true;
}

/** A JSON string list from `inc.data`. */
export function stringList(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** Puts `fault` (merged with what the Node already has) into `state.nodePressure[node]`. */
export function setNodePressure(state: SimState, node: string, fault: NodePressure): void {
  const all = (state.nodePressure ??= Object.create(null) as Record<string, NodePressure>);
  all[node] = { ...(Object.hasOwn(all, node) ? all[node] : {}), ...fault };
}
