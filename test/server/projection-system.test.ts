/**
 * kube-system in the projection: healthy kube-system Pods are counted per owner (`TeamView.system`:
 * `coredns`, `kube-proxy`, `control-plane`) and not sent one by one; a player still sees each
 * unhealthy one (its tile and detail): CoreDNS Pods crashing in the coredns-outage incident, the
 * kube-scheduler mirror Pods crash-looping in control-plane-down, a lost etcd member's mirror Pod.
 * Sim seconds.
 */
import { describe, expect, it } from 'vitest';
import { createSim } from '../../shared/sim/index.ts';
import type { SimState } from '../../shared/sim/types.ts';
import { resolveSimInput } from '../../server/scenarios/index.ts';
import { MatchStateSchema, TeamSchema } from '../../server/rooms/schema.ts';
import { projectTeam, SYSTEM_RESTART_HOLD_SECONDS } from '../../server/rooms/projection.ts';
import { registerTeam } from '../../server/rooms/views.ts';
import { snapshotState } from '../../client/src/view/stateMirror.ts';
import { shopInput, stepN, typeCommand } from '../sim/game-fixtures.ts';

/** What a client of the team gets (the mirror's TeamView), after projecting `sim`. */
function viewOf(state: MatchStateSchema, team: TeamSchema, sim: SimState) {
  projectTeam(team, sim, { score: 0 });
  return snapshotState(state).teams.get('blue')!;
}

function room(sim: SimState) {
  const state = new MatchStateSchema();
  const team = new TeamSchema();
  registerTeam(state, 'blue', team);
  return { state, team, view: () => viewOf(state, team, sim) };
}

const systemPods = (pods: ReadonlyMap<string, { status: string }>) => [...pods].filter(([k]) => k.startsWith('kube-system/'));
const counts = (m: ReadonlyMap<string, number> | undefined) => Object.fromEntries(m ?? []);

describe('kube-system Pods in the projection', () => {
  it('counts healthy ones per owner and sends none of them one by one', () => {
    const sim = createSim(resolveSimInput({ scenario: 'online-boutique', seed: 1 }).input);
    const r = room(sim);
    const v = r.view();
    expect(systemPods(v.pods)).toEqual([]);
    expect([...v.system.keys()]).toEqual(['control-plane', 'coredns', 'kube-proxy']);
    expect(counts(v.system.get('control-plane')?.podsByStatus)).toEqual({ Running: 12 });
    expect(counts(v.system.get('coredns')?.podsByStatus)).toEqual({ Running: 2 });
    expect(counts(v.system.get('kube-proxy')?.podsByStatus)).toEqual({ Running: Object.keys(sim.nodes).length });
    // The Nodes and the CoreDNS Deployment still count them; kube-dns still shows its endpoints.
    expect(counts(v.deployments.get('kube-system/coredns')?.podsByStatus)).toEqual({ Running: 2 });
    expect([...v.nodes.values()].reduce((n, node) => n + node.podCount, 0)).toBe(Object.values(sim.pods).filter((p) => p.spec.nodeName?.startsWith('node-')).length);
    expect(v.services.get('kube-system/kube-dns')?.readyEndpoints).toBe(2);
  });

  it('shows each CoreDNS Pod while it crashes in the coredns-outage, and counts it again once fixed', () => {
    const sim = createSim({ ...shopInput({ incidents: [{ id: 'dns', type: 'coredns-outage', at: 30, target: 'coredns', params: {} }] }), kubeSystem: true });
    const r = room(sim);
    stepN(sim, 20);
    expect(systemPods(r.view().pods)).toEqual([]);
    let crashing = 0;
    for (let i = 0; i < 90; i++) {
      stepN(sim, 1);
      const v = r.view();
      const dns = systemPods(v.pods).filter(([k]) => k.startsWith('kube-system/coredns-'));
      if (dns.length === 2 && dns.every(([, p]) => p.status === 'OOMKilled' || p.status === 'CrashLoopBackOff')) crashing++;
      // Always the same two Pods in the aggregate, whether shown one by one or not.
      expect([...(v.system.get('coredns')?.podsByStatus.values() ?? [])].reduce((a, b) => a + b, 0)).toBe(2);
    }
    expect(crashing).toBeGreaterThan(30);
    const v = r.view();
    expect(counts(v.system.get('coredns')?.podsByStatus)['Running'] ?? 0).toBeLessThan(2);
    expect(typeCommand(sim, 'kubectl set resources deployment/coredns -n kube-system --limits=memory=512Mi')).toMatch(/resource requirements updated/);
    stepN(sim, 120);
    expect(counts(r.view().system.get('coredns')?.podsByStatus)).toEqual({ Running: 2 });
    // New Pods that never restarted: counted only.
    expect(systemPods(r.view().pods)).toEqual([]);
  });

  it('shows the etcd mirror Pod of a lost member, and counts it again once restored and 300 s after', () => {
    const sim = createSim({ ...shopInput({ incidents: [{ id: 'member', type: 'etcd-member-loss', at: 10, target: 'etcd-1', params: {} }] }), kubeSystem: true });
    const r = room(sim);
    stepN(sim, 20);
    const v = r.view();
    expect(systemPods(v.pods).map(([k, p]) => [k, p.status])).toEqual([['kube-system/etcd-control-plane-1', 'CrashLoopBackOff']]);
    expect(counts(v.system.get('control-plane')?.podsByStatus)).toEqual({ CrashLoopBackOff: 1, Running: 11 });
    expect(typeCommand(sim, 'etcdctl snapshot restore snapshot.db --name etcd-1')).not.toMatch(/^Error/);
    for (let i = 0; i < 120 && sim.controlPlane.etcd.members.some((m) => !m.healthy); i++) stepN(sim, 1);
    stepN(sim, 2);
    expect(counts(r.view().system.get('control-plane')?.podsByStatus)).toEqual({ Running: 12 });
    stepN(sim, SYSTEM_RESTART_HOLD_SECONDS + 1);
    expect(systemPods(r.view().pods)).toEqual([]);
  });

  it('shows the kube-scheduler mirror Pods crash-looping in control-plane-down', () => {
    const sim = createSim({ ...shopInput({ incidents: [{ id: 'sched', type: 'control-plane-down', at: 30, target: 'kube-scheduler', params: {} }] }), kubeSystem: true });
    const r = room(sim);
    stepN(sim, 60);
    const v = r.view();
    const shown = systemPods(v.pods);
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.every(([k, p]) => k.startsWith('kube-system/kube-scheduler-') && p.status === 'CrashLoopBackOff')).toBe(true);
    const cp = counts(v.system.get('control-plane')?.podsByStatus);
    expect(cp['CrashLoopBackOff']).toBe(shown.length);
    expect((cp['Running'] ?? 0) + shown.length).toBe(12);
  });
});
