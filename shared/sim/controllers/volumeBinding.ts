/**
 * (added, issue 6) The scheduler's VolumeBinding plugin, PreFilter only (K
 * pkg/scheduler/framework/plugins/volumebinding/volume_binding.go PreFilter, binder.go
 * GetPodVolumeClaims): a Pod whose `persistentVolumeClaim` volume names a claim that does not exist
 * is UnschedulableAndUnresolvable with `persistentvolumeclaim "data" not found`; the FitError then
 * reads `0/3 nodes are available: persistentvolumeclaim "data" not found. preemption: 0/3 nodes are
 * available: 3 Preemption is not helpful for scheduling.` (framework/types.go FitError.Error: the
 * PreFilter message, then DefaultPreemption's, every Node unresolvable). A claim being deleted
 * (`persistentvolumeclaim "data" is being deleted`) is refused too. A new claim moves the waiting Pods
 * (../apiserver.ts). Claims are always Bound (../kinds/pvc.ts), so the Filter's node checks (volume
 * topology, unbound claims) never fail.
 */
import type { Pod, SimState } from '../types.ts';

/** The PreFilter failure of `pod`'s claims (`persistentvolumeclaim "x" not found`), or null when they all exist. */
export function volumeBindingPreFilter(state: SimState, pod: Pod): string | null {
  const volumes = pod.spec.volumes;
  if (!volumes) return null;
  const store = state.persistentVolumeClaims;
  for (const v of volumes) {
    const name = v.persistentVolumeClaim?.claimName;
    if (name === undefined) continue;
    const key = `${pod.metadata.namespace}/${name}`;
    const claim = store && Object.hasOwn(store, key) ? store[key] : undefined;
    if (!claim) return `persistentvolumeclaim "${name}" not found`;
    if (claim.metadata.deletionTimestamp !== undefined) return `persistentvolumeclaim "${name}" is being deleted`;
  }
  return null;
}

/** The FitError text of a PreFilter failure over `nodes` Nodes (none can help: every Node unresolvable). */
export function preFilterFitError(nodes: number, message: string): string {
  return nodes === 0 ? `0/0 nodes are available: ${message}. preemption: 0/0 nodes are available.` : `0/${nodes} nodes are available: ${message}. preemption: 0/${nodes} nodes are available: ${nodes} Preemption is not helpful for scheduling.`;
}
