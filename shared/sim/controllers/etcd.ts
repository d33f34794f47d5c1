/**
 * etcd's Raft membership as the control plane sees it: quorum, leader elections, and the components
 * that depend on it: kube-apiserver (its etcd health check) and the leader-election Leases of
 * kube-controller-manager and kube-scheduler.
 *
 * Source: kubernetes-behaviour.md §6.
 * - Quorum floor(n/2)+1 (E server/etcdserver/util.go). Without quorum, or without a leader, the API
 *   server's writes fail with `etcdserver: request timed out`; etcd records no Kubernetes events.
 * - Elections (E server/embed/config.go: heartbeat 100 ms, election timeout 1000 ms): once a leader is
 *   gone, a follower campaigns after a randomised election timeout in [1000, 2000) ms (Raft), so a new
 *   leader is there 1-2 s later, rounded up to the next tick.
 * - Leader election of kube-controller-manager and kube-scheduler (k8s.io/client-go/tools/leaderelection;
 *   component-base defaults leaseDuration 15 s, renewDeadline 10 s, retryPeriod 2 s): the holder renews
 *   its Lease while the API server can write; after {@link RENEW_DEADLINE_SECONDS} without a renewal it
 *   logs `failed to renew lease ... leaderelection lost` and exits (the kubelet restarts its static Pod);
 *   the new process tries every {@link RETRY_PERIOD_SECONDS} and acquires the Lease once the API server
 *   can write and the old holder's Lease expired ({@link LEASE_DURATION_SECONDS} after its last renewal),
 *   recording `LeaderElection` "<identity> became leader". Without its Lease a component does nothing:
 *   controllers/index.ts runs kube-controller-manager's loops and the scheduler only while they hold it.
 *   An etcd blip shorter than the renew deadline (a leader election) loses no Lease.
 */
import { flushEventQueue } from '../events.ts';
import { emit } from '../emit.ts';
import { leaderIdentity } from '../kinds/lease.ts';
import { nextInt } from '../prng.ts';
import { scheduleTimer, type TimerKind } from '../timers.ts';
import type { LeaderLease, SimState, Timer } from '../types.ts';

/** Raft election timeout, sim seconds (etcd default 1000 ms); the real timeout is randomised in [1, 2) s. */
export const ELECTION_TIMEOUT_SECONDS = 1;
/** Raft heartbeat interval, sim seconds (etcd default 100 ms): below a tick, documented only. */
export const HEARTBEAT_INTERVAL_SECONDS = 0.1;
/**
 * etcd's request timeout, sim seconds: a proposal that cannot commit (no quorum, no leader) fails with
 * `etcdserver: request timed out` after 5 s + 2 x the election timeout = 7 s (E server/config/config.go
 * `ReqTimeout`). The sim refuses such a write at once and changes nothing; the refusal's `repliesAt`
 * (shared/sim/actions/index.ts `applyAction`) is this much later, and the console's reply waits for it
 * (server/rooms/heldReplies.ts), running the line again if etcd serves before then (a new leader).
 */
export const REQUEST_TIMEOUT_SECONDS = 5 + 2 * ELECTION_TIMEOUT_SECONDS;
/** Leader-election Lease duration, sim seconds (kube-controller-manager / kube-scheduler default 15 s). */
export const LEASE_DURATION_SECONDS = 15;
/** A holder that could not renew for this long gives the Lease up, sim seconds (default 10 s). */
export const RENEW_DEADLINE_SECONDS = 10;
/** Interval between acquire / renew attempts, sim seconds (default 2 s). */
export const RETRY_PERIOD_SECONDS = 2;

/** Timer kind of a pending election. */
export const ELECTION_TIMER: TimerKind = 'etcd.election';

/** The components that hold a leader-election Lease in kube-system, and their event source. */
export const LEASE_HOLDERS = ['kube-controller-manager', 'kube-scheduler'] as const;
/** One of {@link LEASE_HOLDERS}. */
export type LeaseHolder = (typeof LEASE_HOLDERS)[number];
/** The components' secure health ports (kube-controller-manager 10257, kube-scheduler 10259). */
const HEALTHZ_PORT: Readonly<Record<LeaseHolder, number>> = { 'kube-controller-manager': 10257, 'kube-scheduler': 10259 };
const EVENT_SOURCE: Readonly<Record<LeaseHolder, string>> = { 'kube-controller-manager': 'kube-controller-manager', 'kube-scheduler': 'default-scheduler' };

/** Members needed for quorum: floor(n/2)+1. */
export function quorumSize(members: number): number {
  return Math.floor(members / 2) + 1;
}

/** True when etcd serves writes: quorum and a leader. */
function etcdWritable(state: SimState): boolean {
  const etcd = state.controlPlane.etcd;
  return etcd.hasQuorum && etcd.leader !== null && etcd.db?.alarm !== true; // NOSPACE: Lease renewals are writes too
}

/** The identity of a component's `n`-th process (client-go: `<hostname>_<uuid>`; ../kinds/lease.ts serves it). */
const identity = leaderIdentity;

/** The Leases, created held (the cluster was running) the first time they are asked for. */
export function leasesOf(state: SimState): LeaderLease[] {
  const cp = state.controlPlane;
  cp.leases ??= LEASE_HOLDERS.map((name) => ({ name, holder: identity(name, 0), renewedAt: state.t, process: 0, nextTryAt: state.t }));
  return cp.leases;
}

/** True while `name` holds its Lease (its loops run). */
export function holdsLease(state: SimState, name: LeaseHolder): boolean {
  const l = state.controlPlane.leases?.find((x) => x.name === name);
  return l === undefined ? etcdWritable(state) : l.holder !== null;
}

const lostMessage = (c: string) => `failed to renew lease kube-system/${c}: timed out waiting for the condition; leaderelection lost`;
const waitingMessage = (c: string) => `attempting to acquire leader lease kube-system/${c}...`;

function setComponent(state: SimState, name: string, healthy: boolean, message: string): void {
  const c = state.controlPlane.components.find((x) => x.name === name);
  if (c && (c.healthy !== healthy || c.message !== message)) {
    c.healthy = healthy;
    c.message = message;
  }
}

/**
 * Once per tick (controllers/index.ts, before the controllers): kube-apiserver's etcd check, and each
 * Lease renewed, lost after the renew deadline, or acquired again (see the module doc). Sim seconds.
 * Returns the components whose Lease a process acquired in this call (their `Lease` objects changed:
 * holder, acquireTime, leaseTransitions; ../kinds/lease.ts), in {@link LEASE_HOLDERS} order.
 */
export function leaseSync(state: SimState): LeaseHolder[] {
  const acquired: LeaseHolder[] = [];
  // (added, issue 6) an expired kube-apiserver serving certificate fails their TLS handshake: no renewal reaches etcd
  const writable = etcdWritable(state) && state.controlPlane.apiserverCertExpiredAt === undefined;
  const etcd = state.controlPlane.etcd;
  // /readyz's etcd check is a read: it passes under the NOSPACE alarm (writes fail, reads work).
  const serving = etcd.hasQuorum && etcd.leader !== null;
  setComponent(state, 'kube-apiserver', serving, serving ? 'ok' : '[-]etcd failed: etcdserver: request timed out');
  const t = state.t;
  for (const lease of leasesOf(state)) {
    // (added) A static Pod whose manifest is broken (the control-plane-down incident) runs no process:
    // nothing renews or acquires the Lease, the component's loops stop (shared/sim/kubeSystem.ts).
    if (state.controlPlane.brokenStaticPods?.[lease.name] !== undefined) {
      lease.holder = null;
      lease.nextTryAt = t + RETRY_PERIOD_SECONDS;
      setComponent(state, lease.name, false, `Get "https://127.0.0.1:${HEALTHZ_PORT[lease.name]}/healthz": dial tcp 127.0.0.1:${HEALTHZ_PORT[lease.name]}: connect: connection refused`);
      continue;
    }
    if (lease.holder !== null) {
      if (writable) lease.renewedAt = t;
      else if (t - lease.renewedAt >= RENEW_DEADLINE_SECONDS) {
        lease.holder = null;
        lease.process += 1; // the process exited; the kubelet started a new one
        lease.nextTryAt = t + RETRY_PERIOD_SECONDS;
        setComponent(state, lease.name, false, lostMessage(lease.name));
      }
      continue;
    }
    if (t < lease.nextTryAt) continue;
    lease.nextTryAt = t + RETRY_PERIOD_SECONDS;
    if (!writable || t < lease.renewedAt + LEASE_DURATION_SECONDS) {
      if (writable) setComponent(state, lease.name, false, waitingMessage(lease.name));
      continue;
    }
    lease.holder = identity(lease.name, lease.process);
    lease.renewedAt = t;
    setComponent(state, lease.name, true, 'ok');
    emit(state, 'Normal', 'LeaderElection', { kind: 'Lease', name: lease.name, namespace: 'kube-system' }, `${lease.holder} became leader`, EVENT_SOURCE[lease.name]);
    if (lease.name === 'kube-scheduler') state.scheduler.moveRequested = state.scheduler.unschedulable.length > 0 || state.scheduler.moveRequested;
    acquired.push(lease.name);
  }
  return acquired;
}

/**
 * Recomputes quorum and leadership after member health changed (an incident stopped members, a
 * restored member came back): without quorum there is no leader; with quorum and no healthy leader an
 * election completes after a randomised election timeout in [1, 2) s (PRNG), rounded up to the next
 * tick. Records nothing (etcd writes no Kubernetes events). Idempotent.
 */
export function reconcileEtcd(state: SimState): void {
  const etcd = state.controlPlane.etcd;
  const healthy = etcd.members.filter((m) => m.healthy).length;
  etcd.hasQuorum = healthy >= quorumSize(etcd.members.length);
  if (!etcd.hasQuorum) {
    etcd.leader = null;
    etcd.electionAt = null;
    setComponent(state, 'kube-apiserver', false, '[-]etcd failed: etcdserver: request timed out');
    return;
  }
  const leader = etcd.leader === null ? undefined : etcd.members.find((m) => m.name === etcd.leader);
  if (leader && leader.healthy) return;
  etcd.leader = null;
  if (etcd.electionAt === null || etcd.electionAt < state.t) {
    const tick = state.settings.tickSeconds;
    const timeout = ELECTION_TIMEOUT_SECONDS * (1 + nextInt(state.rng, 1000) / 1000);
    etcd.electionAt = Math.ceil((state.t + timeout) / tick) * tick;
    scheduleTimer(state, etcd.electionAt, ELECTION_TIMER, 'etcd');
  }
}

/**
 * Completes a due election: a healthy member (PRNG pick, Raft's randomised timeouts) becomes leader at
 * the next term; kube-apiserver's etcd check passes again and the events that waited are written.
 */
export function onElectionTimer(state: SimState, timer: Timer): void {
  const etcd = state.controlPlane.etcd;
  if (etcd.electionAt !== timer.at || !etcd.hasQuorum || etcd.leader !== null) return;
  const healthy = etcd.members.filter((m) => m.healthy).map((m) => m.name).sort();
  if (healthy.length === 0) return;
  const winner = healthy[nextInt(state.rng, healthy.length)]!;
  etcd.leader = winner;
  etcd.term += 1;
  etcd.electionAt = null;
  setComponent(state, 'kube-apiserver', true, 'ok');
  state.scheduler.moveRequested = state.scheduler.unschedulable.length > 0 || state.scheduler.moveRequested;
  flushEventQueue(state);
}
