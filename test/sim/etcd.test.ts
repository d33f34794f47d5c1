import { describe, expect, it } from 'vitest';
import { apiWritable, applyAction, podDisplayStatus, reconcileEtcd } from '../../shared/sim/index.ts';
import type { SimState } from '../../shared/sim/index.ts';
import { EVENT_GIVE_UP_SECONDS } from '../../shared/sim/events.ts';
import { LEASE_DURATION_SECONDS, RENEW_DEADLINE_SECONDS, REQUEST_TIMEOUT_SECONDS, RETRY_PERIOD_SECONDS } from '../../shared/sim/controllers/etcd.ts';
import { getTeam } from '../../shared/game/index.ts';
import { runKubectl } from '../../shared/kubectl/index.ts';
import { act, matchOf, simOf } from '../game/helpers.ts';
import { deployment, eventsWith, input, podsOf, run, runUntil, runningReady, sim } from './fixtures.ts';

function stop(s: SimState, ...names: string[]): void {
  for (const m of s.controlPlane.etcd.members) if (names.includes(m.name)) m.healthy = false;
  reconcileEtcd(s);
}

const component = (s: SimState, name: string) => s.controlPlane.components.find((c) => c.name === name)!;
const leaseHolder = (s: SimState, name: string) => s.controlPlane.leases!.find((l) => l.name === name)!.holder;

describe('etcd and the control plane', () => {
  it('two members down: writes are refused (answered after the 7 s request timeout), the Leases go after the 10 s renew deadline, nothing is recorded', () => {
    // Through the game layer: the refused write must not count as the team's action either.
    const m = matchOf(input());
    const s = simOf(m);
    run(s, 5);
    const before = podsOf(s, 'web').map((p) => p.metadata.name);
    const holder = leaseHolder(s, 'kube-controller-manager');
    const seq = s.counters.eventSeq;
    const down = s.t;
    stop(s, 'etcd-1', 'etcd-2');
    expect(s.controlPlane.etcd).toMatchObject({ hasQuorum: false, leader: null });
    expect(apiWritable(s)).toBe(false);
    expect(component(s, 'kube-apiserver')).toMatchObject({ healthy: false, message: '[-]etcd failed: etcdserver: request timed out' });
    const r = act(m, 'alice', { type: 'scaleDeployment', deployment: 'web', replicas: 5 });
    // Refused now (nothing changes), answered when etcd's request timeout (5 s + 2 x 1 s election timeout) is over.
    expect(r).toEqual({ ok: false, error: 'Error from server: etcdserver: request timed out', repliesAt: down + 7 });
    expect(REQUEST_TIMEOUT_SECONDS).toBe(7);
    expect(getTeam(m, 'blue').score.actions).toBe(0);
    expect(s.counters.actions).toBe(0);
    // The Leases survive until their holders could not renew for renewDeadline (10 s), not instantly.
    const lostAt = runUntil(s, (x) => !component(x, 'kube-controller-manager').healthy, 30)!;
    expect(lostAt - down).toBeGreaterThanOrEqual(RENEW_DEADLINE_SECONDS - 1);
    expect(lostAt - down).toBeLessThanOrEqual(RENEW_DEADLINE_SECONDS);
    expect(leaseHolder(s, 'kube-controller-manager')).toBeNull();
    expect(component(s, 'kube-scheduler')).toMatchObject({ healthy: false });
    expect(component(s, 'kube-scheduler').message).toMatch(/^failed to renew lease kube-system\/kube-scheduler: timed out waiting for the condition; leaderelection lost$/);
    expect(holder).not.toBeNull();
    run(s, 60);
    expect(podsOf(s, 'web').map((p) => p.metadata.name)).toEqual(before);
    expect(runningReady(s, 'web')).toHaveLength(3);
    // Events are API objects: none written while etcd cannot write; etcdctl member list times out.
    expect(s.counters.eventSeq).toBe(seq);
    expect(runKubectl(s, 'etcdctl member list')).toEqual({ kind: 'error', error: 'Error: context deadline exceeded' });
    expect(runKubectl(s, 'etcdctl endpoint health')).toMatchObject({ kind: 'output', output: expect.stringMatching(/connection refused[\s\S]*Error: unhealthy cluster$/) });
  });

  it('restoring a member: quorum when it rejoins, a leader 1-2 s later, the Leases retaken within a retry period, then the stalled scale-up', () => {
    const s = sim();
    expect(applyAction(s, 'alice', { type: 'scaleDeployment', deployment: 'web', replicas: 5 }).ok).toBe(true);
    stop(s, 'etcd-0', 'etcd-2'); // before the controllers saw the scale
    run(s, 30);
    expect(podsOf(s, 'web')).toHaveLength(3);
    const renewedAt = s.controlPlane.leases!.find((l) => l.name === 'kube-controller-manager')!.renewedAt;
    const r = applyAction(s, 'alice', { type: 'restoreEtcdMember', member: 'etcd-2' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.completesAt - s.t).toBeGreaterThanOrEqual(30);
    expect(r.completesAt - s.t).toBeLessThanOrEqual(60);
    expect(s.pendingActions).toHaveLength(1);
    expect(applyAction(s, 'bob', { type: 'restoreEtcdMember', member: 'etcd-2' }).ok).toBe(false);
    expect(applyAction(s, 'bob', { type: 'restoreEtcdMember', member: 'etcd-1' })).toMatchObject({ ok: false });
    const quorumAt = runUntil(s, (x) => x.controlPlane.etcd.hasQuorum, 70)!;
    expect(quorumAt).toBe(r.completesAt);
    expect(s.controlPlane.etcd.leader).toBeNull(); // an election takes a randomised election timeout, 1-2 s
    const leaderAt = runUntil(s, (x) => x.controlPlane.etcd.leader !== null, 5)!;
    expect(leaderAt - quorumAt).toBeGreaterThanOrEqual(1);
    expect(leaderAt - quorumAt).toBeLessThanOrEqual(2);
    expect(apiWritable(s)).toBe(true);
    expect(component(s, 'kube-apiserver').healthy).toBe(true);
    const kcmAt = s.controlPlane.components.find((c) => c.name === 'kube-controller-manager')!.healthy ? s.t : runUntil(s, (x) => component(x, 'kube-controller-manager').healthy, 10)!;
    expect(kcmAt - leaderAt).toBeLessThanOrEqual(RETRY_PERIOD_SECONDS);
    expect(kcmAt).toBeGreaterThanOrEqual(renewedAt + LEASE_DURATION_SECONDS);
    runUntil(s, (x) => component(x, 'kube-scheduler').healthy, 10);
    const elected = eventsWith(s, 'LeaderElection');
    expect(elected.map((e) => [e.object.kind, e.object.name, e.source]).sort()).toEqual([
      ['Lease', 'kube-controller-manager', 'kube-controller-manager'],
      ['Lease', 'kube-scheduler', 'default-scheduler'],
    ]);
    expect(elected[0]!.message).toMatch(/^control-plane_\S+ became leader$/);
    expect(runUntil(s, (x) => runningReady(x, 'web').length === 5, 20)).not.toBeNull();
    expect(s.pendingActions).toHaveLength(0);
  });

  it('losing only the leader blocks writes for one election (1-2 s) and loses no Lease', () => {
    const s = sim();
    run(s, 3);
    const leader = s.controlPlane.etcd.leader!;
    const holders = s.controlPlane.leases!.map((l) => l.holder);
    stop(s, leader);
    expect(s.controlPlane.etcd.hasQuorum).toBe(true);
    expect(apiWritable(s)).toBe(false);
    const back = s.t;
    const at = runUntil(s, (x) => apiWritable(x), 5)!;
    expect(at - back).toBeGreaterThanOrEqual(1);
    expect(at - back).toBeLessThanOrEqual(2);
    expect(s.controlPlane.etcd.leader).not.toBe(leader);
    expect(s.controlPlane.etcd.term).toBe(2);
    run(s, 15);
    expect(s.controlPlane.leases!.map((l) => l.holder)).toEqual(holders);
    expect(s.controlPlane.components.every((c) => c.healthy)).toBe(true);
    expect(eventsWith(s, 'LeaderElection')).toHaveLength(0);
  });

  it('events of a short outage are written when etcd is back, with their own times; older ones are dropped', () => {
    // The limit is in the manifest (a rollout to add it depended on the PRNG's trajectory to complete).
    const s = sim({ deployments: [deployment('web', { memoryLimit: '256Mi' })], images: { 'web:v1': { baseMemoryMiB: 100, memoryGrowthMiBPerSec: 50 } } });
    runUntil(s, (x) => podsOf(x, 'web').length === 3 && podsOf(x, 'web').every((p) => p.sim.memLimitMiB === 256), 120);
    stop(s, 'etcd-1', 'etcd-2');
    const down = s.t;
    const seq = s.counters.eventSeq;
    // The kubelet keeps restarting crashed containers without quorum; its events wait.
    run(s, 60);
    expect(podsOf(s, 'web').every((p) => p.status.containerStatuses[0]!.restartCount > 0)).toBe(true);
    expect(podsOf(s, 'web').map((p) => podDisplayStatus(p, s.t)).every((x) => ['Running', 'OOMKilled', 'CrashLoopBackOff'].includes(x))).toBe(true);
    // No Event was written meanwhile (the game's own SLO alerts are notices, not Events: they need no etcd).
    expect(s.events.filter((e) => e.seq >= seq)).toEqual([]);
    expect(s.eventQueue!.length).toBeGreaterThan(0);
    const restore = applyAction(s, 'a', { type: 'restoreEtcdMember', member: 'etcd-1' });
    if (!restore.ok) throw new Error(restore.error);
    runUntil(s, (x) => apiWritable(x), 80);
    const written = s.events.filter((e) => e.seq >= seq && e.source === 'kubelet');
    expect(written.length).toBeGreaterThan(0);
    expect(written.every((e) => e.t > down && s.t - e.t <= EVENT_GIVE_UP_SECONDS)).toBe(true);
    expect(written.some((e) => e.t < s.t - 5)).toBe(true); // kept the time it happened at
    expect(s.eventQueue).toBeUndefined();
  });
});
