import { describe, expect, it } from 'vitest';
import { apiWritable, applyAction, podDisplayStatus, reconcileEtcd } from '../../shared/sim/index.ts';
import type { SimState } from '../../shared/sim/index.ts';
import { getTeam } from '../../shared/game/index.ts';
import { act, matchOf, simOf } from '../game/helpers.ts';
import { deployment, eventsWith, input, podsOf, run, runUntil, runningReady, sim } from './fixtures.ts';

function stop(s: SimState, ...names: string[]): void {
  for (const m of s.controlPlane.etcd.members) if (names.includes(m.name)) m.healthy = false;
  reconcileEtcd(s);
}

describe('etcd and the control plane', () => {
  it('two members down: writes fail with the etcd error, no new pods, old pods keep running', () => {
    // Through the game layer: the refused write must not count as the team's action either.
    const m = matchOf(input());
    const s = simOf(m);
    const before = podsOf(s, 'web').map((p) => p.metadata.name);
    stop(s, 'etcd-1', 'etcd-2');
    expect(s.controlPlane.etcd).toMatchObject({ hasQuorum: false, leader: null });
    expect(apiWritable(s)).toBe(false);
    expect(s.controlPlane.components.every((c) => !c.healthy)).toBe(true);
    expect(s.controlPlane.components.find((c) => c.name === 'kube-scheduler')!.message).toMatch(/failed to renew lease.*leaderelection lost/);
    const r = act(m, 'alice', { type: 'scaleDeployment', deployment: 'web', replicas: 5 });
    expect(r).toEqual({ ok: false, error: 'Error from server: etcdserver: request timed out' });
    expect(getTeam(m, 'blue').score.actions).toBe(0);
    expect(s.counters.actions).toBe(0);
    run(s, 60);
    expect(podsOf(s, 'web').map((p) => p.metadata.name)).toEqual(before);
    expect(runningReady(s, 'web')).toHaveLength(3);
    expect(eventsWith(s, 'LeaderElection').some((e) => e.type === 'Warning')).toBe(true);
  });

  it('restoring a member brings quorum and a leader back, and the stalled scale-up proceeds', () => {
    const s = sim();
    expect(applyAction(s, 'alice', { type: 'scaleDeployment', deployment: 'web', replicas: 5 }).ok).toBe(true);
    stop(s, 'etcd-0', 'etcd-2'); // before the controllers saw the scale
    run(s, 30);
    expect(podsOf(s, 'web')).toHaveLength(3);
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
    expect(s.controlPlane.etcd.leader).toBeNull(); // election takes one election timeout
    run(s, 1);
    expect(s.controlPlane.etcd.leader).not.toBeNull();
    expect(apiWritable(s)).toBe(true);
    expect(s.controlPlane.components.every((c) => c.healthy)).toBe(true);
    expect(runUntil(s, (x) => runningReady(x, 'web').length === 5, 20)).not.toBeNull();
    expect(eventsWith(s, 'RestoreCompleted')[0]!.source).toBe('player:alice');
    expect(s.pendingActions).toHaveLength(0);
  });

  it('losing only the leader blocks writes for one election', () => {
    const s = sim();
    const leader = s.controlPlane.etcd.leader!;
    stop(s, leader);
    expect(s.controlPlane.etcd.hasQuorum).toBe(true);
    expect(apiWritable(s)).toBe(false);
    run(s, 1);
    expect(s.controlPlane.etcd.leader).not.toBe(leader);
    expect(s.controlPlane.etcd.term).toBe(2);
    expect(apiWritable(s)).toBe(true);
  });

  it('the kubelet keeps restarting crashed containers without quorum', () => {
    // The limit is in the manifest (a rollout to add it depended on the PRNG's trajectory to complete).
    const s = sim({ deployments: [deployment('web', { memoryLimit: '256Mi' })], images: { 'web:v1': { baseMemoryMiB: 100, memoryGrowthMiBPerSec: 50 } } });
    runUntil(s, (x) => podsOf(x, 'web').length === 3 && podsOf(x, 'web').every((p) => p.sim.memLimitMiB === 256), 120);
    stop(s, 'etcd-1', 'etcd-2');
    run(s, 60);
    expect(podsOf(s, 'web').every((p) => p.status.containerStatuses[0]!.restartCount > 0)).toBe(true);
    expect(podsOf(s, 'web').map((p) => podDisplayStatus(p, s.t)).every((x) => ['Running', 'OOMKilled', 'CrashLoopBackOff'].includes(x))).toBe(true);
  });
});
