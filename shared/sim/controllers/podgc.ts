/**
 * The pod garbage collector's orphan rule (K pkg/controller/podgc/gc_controller.go `gcOrphaned`): a Pod
 * bound to a Node that does not exist is force-deleted once that Node has been missing for the
 * quarantine (`quarantineTime` 40 s), checked by the PodGC pass every 20 s (`gcCheckPeriod`). Here the
 * orphans are the Pods created with a `spec.nodeName` no Node has (issue 6; ../apiserver.ts queues them
 * in `state.podGcOrphans` with the sim second of the first pass that sees them, the next multiple of
 * 20 s): each is deleted (grace 0) at that pass + 40 s, so a bare Pod disappears 40-60 s after it was
 * created and a ReplicaSet's replacement Pod meets the same end. No event (PodGC records none).
 *
 * Simplifications: the Pod's `DisruptionTarget` condition (`DeletionByPodGC`) is not shown (the Pod is
 * gone at once); a Node that appears meanwhile saves the Pod only if it exists at the deletion pass.
 * Runs inside the kube-controller-manager block (its Lease) and only with quorum; O(orphans) per tick,
 * nothing when there are none.
 */
import { apiWritable, deletePod } from '../apiserver.ts';
import type { SimSeconds, SimState } from '../types.ts';

/** gcCheckPeriod, sim seconds. */
export const POD_GC_PERIOD_SECONDS = 20;
/** quarantineTime: how long a Node must be missing before its Pods are deleted, sim seconds. */
export const POD_GC_QUARANTINE_SECONDS = 40;

/** The first PodGC pass at or after `t` (passes at multiples of {@link POD_GC_PERIOD_SECONDS}). */
export function podGcPassAt(t: SimSeconds): SimSeconds {
  return Math.ceil(t / POD_GC_PERIOD_SECONDS) * POD_GC_PERIOD_SECONDS;
}

/** Deletes the orphans whose quarantine is over; keeps the others (in order). */
export function podGcSync(state: SimState): void {
  const list = state.podGcOrphans;
  if (list === undefined || list.length === 0 || !apiWritable(state)) return;
  let keep: { key: string; firstPass: SimSeconds }[] | null = null;
  for (let i = 0; i < list.length; i++) {
    const o = list[i]!;
    const pod = state.pods[o.key];
    const node = pod?.spec.nodeName;
    const done = pod === undefined || node === undefined || state.nodes[node] !== undefined;
    if (!done && state.t < o.firstPass + POD_GC_QUARANTINE_SECONDS) {
      (keep ??= []).push(o);
      continue;
    }
    if (!done) deletePod(state, o.key, { force: true });
  }
  state.podGcOrphans = keep ?? [];
}
