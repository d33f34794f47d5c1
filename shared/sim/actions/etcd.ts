/**
 * Bringing a stopped etcd member back (action `restoreEtcdMember`, typed in the console as
 * `etcdctl snapshot restore FILE --name MEMBER`, shared/kubectl/etcdctl.ts): the member's data
 * directory is rebuilt from the snapshot and its static Pod restarted on its control-plane node. It is
 * not an API write, so it works without quorum. Takes 30-60 sim seconds (PRNG: the restore, the
 * kubelet noticing the changed static Pod, the member starting); then the member is healthy and, once a
 * quorum is up, an election completes 1-2 s later (kubernetes-behaviour.md §6).
 *
 * Simplification: the restored member rejoins the members still running; in real etcd every member is
 * restored from the same snapshot into a new cluster (E etcdutl/snapshot). No Kubernetes event is
 * recorded (etcd writes none, and the API server cannot write without quorum anyway).
 */
import { reconcileEtcd } from '../controllers/etcd.ts';
import { nextInt } from '../prng.ts';
import type { SimState } from '../types.ts';
import { reject, type Handled } from './handler.ts';

/** Shortest restore, sim seconds (the duration is drawn uniformly from 30..60 with `state.rng`). */
export const RESTORE_MIN_SECONDS = 30;
/** Longest restore, sim seconds. */
export const RESTORE_MAX_SECONDS = 60;

/** Starts restoring a member; it turns healthy when the pending action completes. */
export function restoreEtcdAction(state: SimState, member: string): Handled {
  const m = state.controlPlane.etcd.members.find((x) => x.name === member);
  if (!m) return reject(`Error: etcd member "${member}" not found (members: ${state.controlPlane.etcd.members.map((x) => x.name).join(', ')})`);
  if (m.healthy) return reject(`Error: etcd member "${member}" is healthy; nothing to restore`);
  if (m.restoringUntil !== null) return reject(`Error: restore of etcd member "${member}" already in progress (done at t=${m.restoringUntil}s)`);
  const secs = RESTORE_MIN_SECONDS + nextInt(state.rng, RESTORE_MAX_SECONDS - RESTORE_MIN_SECONDS + 1);
  m.restoringUntil = state.t + secs;
  return {
    result: {
      ok: true,
      message: `restored snapshot into the data dir of member ${member}; its static Pod restarts and the member rejoins in ~${secs}s`,
      completesAt: m.restoringUntil,
    },
    pending: true,
  };
}

/** Completion of a restore: the member is healthy again; quorum and leader are recomputed. */
export function completeEtcdRestore(state: SimState, member: string): boolean {
  const m = state.controlPlane.etcd.members.find((x) => x.name === member);
  if (!m || m.restoringUntil === null || m.restoringUntil > state.t) return false;
  m.restoringUntil = null;
  m.healthy = true;
  reconcileEtcd(state);
  return true;
}
