import { describe, expect, it } from 'vitest';
import { markDirty, nodeDisplayStatus, podDisplayStatus } from '../../shared/sim/index.ts';
import type { SimState } from '../../shared/sim/index.ts';
import { deployment, eventsWith, podsOf, run, runUntil, runningReady, sim } from './fixtures.ts';

function killNode(s: SimState, name: string): void {
  s.nodes[name]!.sim.kubeletUp = false;
  markDirty(s, 'nodes', name);
}

describe('node lifecycle controller', () => {
  it('a dead node turns NotReady at ~50 s and its pods are replaced elsewhere at ~350 s', () => {
    const s = sim({ deployments: [deployment('web', { replicas: 6 })] });
    const onA = podsOf(s, 'web').filter((p) => p.spec.nodeName === 'node-a').map((p) => p.metadata.name);
    expect(onA.length).toBe(2);
    killNode(s, 'node-a');
    const notReadyAt = runUntil(s, (x) => nodeDisplayStatus(x.nodes['node-a']!) === 'NotReady', 100)!;
    // detected on the next tick (t=1): Ready=Unknown 50 s later
    expect(notReadyAt).toBe(51);
    const node = s.nodes['node-a']!;
    expect(node.status.conditions.find((c) => c.type === 'Ready')).toMatchObject({ status: 'Unknown', reason: 'NodeStatusUnknown' });
    expect(node.spec.taints.map((t) => `${t.key}:${t.effect}`)).toEqual(['node.kubernetes.io/unreachable:NoSchedule', 'node.kubernetes.io/unreachable:NoExecute']);
    expect(eventsWith(s, 'NodeNotReady', 'node-a')[0]!.message).toBe('Node node-a status is now: NodeNotReady');
    run(s, 1);
    // the pods left the Service's endpoints
    const eps = s.endpoints['default/web']!.endpoints.filter((e) => onA.includes(e.targetRef.name));
    expect(eps.every((e) => !e.conditions.ready)).toBe(true);
    expect(runningReady(s, 'web')).toHaveLength(4);
    // eviction after the 300 s toleration
    const evictedAt = runUntil(s, () => eventsWith(s, 'TaintManagerEviction').length > 0, 400)!;
    expect(evictedAt).toBe(351);
    expect(eventsWith(s, 'TaintManagerEviction')[0]!.message).toMatch(/^Marking for deletion Pod default\/web-/);
    const replacedAt = runUntil(s, (x) => runningReady(x, 'web').length === 6, 30)!;
    expect(replacedAt).toBeLessThanOrEqual(361);
    expect(runningReady(s, 'web').every((p) => p.spec.nodeName !== 'node-a')).toBe(true);
    // old pods stay Terminating until the node returns
    expect(onA.map((n) => podDisplayStatus(s.pods[`default/${n}`]!, s.t))).toEqual(['Terminating', 'Terminating']);
    s.nodes['node-a']!.sim.kubeletUp = true;
    markDirty(s, 'nodes', 'node-a');
    run(s, 3);
    expect(nodeDisplayStatus(s.nodes['node-a']!)).toBe('Ready');
    expect(s.nodes['node-a']!.spec.taints).toEqual([]);
    expect(onA.every((n) => s.pods[`default/${n}`] === undefined)).toBe(true);
    expect(eventsWith(s, 'NodeReady', 'node-a')).toHaveLength(1);
  });

  it('a node back before the grace period keeps its pods (restarted by the kubelet)', () => {
    const s = sim({ deployments: [deployment('web', { replicas: 3 })] });
    const pod = podsOf(s, 'web').find((p) => p.spec.nodeName === 'node-a')!;
    killNode(s, 'node-a');
    run(s, 20);
    s.nodes['node-a']!.sim.kubeletUp = true;
    markDirty(s, 'nodes', 'node-a');
    run(s, 60);
    expect(nodeDisplayStatus(s.nodes['node-a']!)).toBe('Ready');
    const same = s.pods[`default/${pod.metadata.name}`]!;
    expect(podDisplayStatus(same, s.t)).toBe('Running');
    expect(same.status.containerStatuses[0]!.restartCount).toBe(1);
    expect(eventsWith(s, 'NodeNotReady')).toHaveLength(0);
  });

  it('pods of a dead node do not restart or change', () => {
    const s = sim({ deployments: [deployment('web', { replicas: 3, memoryLimit: '256Mi' })], images: { 'web:v1': { baseMemoryMiB: 100, memoryGrowthMiBPerSec: 50 } } });
    killNode(s, 'node-a');
    const pod = podsOf(s, 'web').find((p) => p.spec.nodeName === 'node-a')!;
    run(s, 40);
    expect(pod.status.containerStatuses[0]!.restartCount).toBe(0);
    expect(podsOf(s, 'web').filter((p) => p.spec.nodeName !== 'node-a').every((p) => p.status.containerStatuses[0]!.restartCount > 0)).toBe(true);
  });
});
