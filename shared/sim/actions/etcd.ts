/**
 * Restoring a failed etcd member from a snapshot (`etcdutl snapshot restore` + rejoin): the only write
 * accepted without quorum. Takes 30-60 sim seconds (PRNG), then the member is healthy and an election
 * can complete (kubernetes-behaviour.md §6).
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
    result: { ok: true, message: `restoring etcd member ${member} from snapshot; it rejoins the cluster in ~${secs}s`, completesAt: m.restoringUntil },
    event: { reason: 'RestoreStarted', object: { kind: 'Pod', name: member, namespace: 'kube-system' } },
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
