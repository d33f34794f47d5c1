/**
 * etcd's Raft membership as the control plane sees it: quorum, leader elections, and the health of the
 * components that depend on it (kube-apiserver, kube-scheduler, kube-controller-manager).
 *
 * Source: kubernetes-behaviour.md §6 — quorum floor(n/2)+1 (E server/etcdserver/util.go), election
 * timeout 1000 ms (E server/embed/config.go); without quorum writes fail with `etcdserver: request timed
 * out`, kube-scheduler / kube-controller-manager log `failed to renew lease` then `leaderelection lost`.
 */
import { emit } from '../emit.ts';
import { nextInt } from '../prng.ts';
import { scheduleTimer, type TimerKind } from '../timers.ts';
import type { SimState, Timer } from '../types.ts';

/** Raft election timeout, sim seconds (etcd default 1000 ms). */
export const ELECTION_TIMEOUT_SECONDS = 1;

/** Timer kind of a pending election. */
export const ELECTION_TIMER: TimerKind = 'etcd.election';

/** Members needed for quorum: floor(n/2)+1. */
export function quorumSize(members: number): number {
  return Math.floor(members / 2) + 1;
}

const LEASE_MSG = (c: string) => `failed to renew lease kube-system/${c}: timed out waiting for the condition; leaderelection lost (etcdserver: request timed out)`;

function setComponents(state: SimState, healthy: boolean): void {
  for (const c of state.controlPlane.components) {
    c.healthy = healthy;
    if (healthy) c.message = 'ok';
    else if (c.name === 'kube-apiserver') c.message = '[-]etcd failed: etcdserver: request timed out';
    else c.message = LEASE_MSG(c.name);
  }
}

/**
 * Recomputes quorum and leadership after member health changed (an incident stopped members, a restore
 * finished): without quorum the leader is dropped and the components turn unhealthy; with quorum and no
 * (healthy) leader an election completes one election timeout later, rounded up to the next tick.
 * Records events on quorum loss. Idempotent.
 */
export function reconcileEtcd(state: SimState): void {
  const etcd = state.controlPlane.etcd;
  const healthy = etcd.members.filter((m) => m.healthy).length;
  const had = etcd.hasQuorum;
  etcd.hasQuorum = healthy >= quorumSize(etcd.members.length);
  if (!etcd.hasQuorum) {
    etcd.leader = null;
    etcd.electionAt = null;
    if (had) {
      setComponents(state, false);
      emit(state, 'Warning', 'Unhealthy', { kind: 'Pod', name: 'etcd', namespace: 'kube-system' },
        `etcd cluster lost quorum: ${healthy}/${etcd.members.length} members healthy (quorum ${quorumSize(etcd.members.length)}); etcdserver: request timed out`, 'etcd');
      for (const c of ['kube-controller-manager', 'kube-scheduler']) {
        emit(state, 'Warning', 'LeaderElection', { kind: 'Lease', name: c, namespace: 'kube-system' }, LEASE_MSG(c), c);
      }
    }
    return;
  }
  const leader = etcd.leader === null ? undefined : etcd.members.find((m) => m.name === etcd.leader);
  if (leader && leader.healthy) return;
  if (etcd.leader !== null) {
    emit(state, 'Warning', 'LeaderLost', { kind: 'Pod', name: 'etcd', namespace: 'kube-system' },
      `etcd leader ${etcd.leader} is unreachable; starting an election`, 'etcd');
  }
  etcd.leader = null;
  if (etcd.electionAt === null || etcd.electionAt < state.t) {
    const tick = state.settings.tickSeconds;
    etcd.electionAt = Math.ceil((state.t + ELECTION_TIMEOUT_SECONDS) / tick) * tick;
    scheduleTimer(state, etcd.electionAt, ELECTION_TIMER, 'etcd');
  }
}

/** Completes a due election: a healthy member (PRNG pick, Raft's randomised timeouts) becomes leader. */
export function onElectionTimer(state: SimState, timer: Timer): void {
  const etcd = state.controlPlane.etcd;
  if (etcd.electionAt !== timer.at || !etcd.hasQuorum || etcd.leader !== null) return;
  const healthy = etcd.members.filter((m) => m.healthy).map((m) => m.name).sort();
  if (healthy.length === 0) return;
  const winner = healthy[nextInt(state.rng, healthy.length)]!;
  etcd.leader = winner;
  etcd.term += 1;
  etcd.electionAt = null;
  emit(state, 'Normal', 'LeaderElection', { kind: 'Pod', name: 'etcd', namespace: 'kube-system' }, `${winner} elected leader at term ${etcd.term}`, 'etcd');
  const wasDown = state.controlPlane.components.some((c) => !c.healthy);
  setComponents(state, true);
  if (wasDown) {
    for (const c of ['kube-controller-manager', 'kube-scheduler']) {
      emit(state, 'Normal', 'LeaderElection', { kind: 'Lease', name: c, namespace: 'kube-system' }, `control-plane_${c} became leader`, c);
    }
  }
  state.scheduler.moveRequested = state.scheduler.unschedulable.length > 0 || state.scheduler.moveRequested;
}
