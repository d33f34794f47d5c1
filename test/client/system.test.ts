/** The control-plane panel's kube-system line and the lane of Pods off the worker Nodes (client/src/view/system.ts). */
import { describe, expect, it } from 'vitest';
import { snapshotState } from '../../client/src/view/stateMirror.ts';
import { laneTitle, systemLine, systemRows } from '../../client/src/view/system.ts';
import { boutiqueTeam, pod } from './fixtures.ts';

describe('kube-system line', () => {
  it('reads the room state: Pods Running of all per owner, a failing owner marked', () => {
    const state = { teams: { blue: { nodes: {}, system: { 'control-plane': 'CrashLoopBackOff=3,Running=9', coredns: 'Running=2', 'kube-proxy': 'Running=6' } } }, teamDetail: {} };
    const team = snapshotState(state).teams.get('blue')!;
    expect(systemRows(team).map((r) => [r.name, r.running, r.total, r.healthy])).toEqual([
      ['control-plane', 9, 12, false],
      ['coredns', 2, 2, true],
      ['kube-proxy', 6, 6, true],
    ]);
    expect(systemLine(team)).toEqual({ text: 'kube-system: ✖ control plane 9/12 · coredns 2/2 · kube-proxy 6/6', healthy: false });
  });

  it('is empty without kube-system Pods', () => {
    expect(systemLine(boutiqueTeam())).toEqual({ text: '', healthy: true });
  });

  it('names the lane of static Pods on control-plane hosts apart from Pending Pods', () => {
    expect(laneTitle([pod('kube-scheduler-control-plane-0', 'control-plane-0', '', { status: 'CrashLoopBackOff' })]).title).toBe('control-plane hosts');
    expect(laneTitle([pod('web-1', '', 'web', { status: 'Pending' }), pod('etcd-control-plane-0', 'control-plane-0', '')]).title).toBe('Pending · no node');
  });
});
