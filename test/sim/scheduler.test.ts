import { describe, expect, it } from 'vitest';
import { applyAction, podDisplayStatus } from '../../shared/sim/index.ts';
import { fitErrorMessage, numFeasibleNodesToFind } from '../../shared/sim/controllers/scheduler.ts';
import { deployment, eventsWith, node, podsOf, run, runUntil, sim } from './fixtures.ts';

describe('scheduler', () => {
  it('spreads replicas over empty nodes (LeastAllocated)', () => {
    const s = sim();
    const nodes = podsOf(s, 'web').map((p) => p.spec.nodeName).sort();
    expect(nodes).toEqual(['node-a', 'node-b', 'node-c']);
    expect(s.nodes['node-a']!.sim).toMatchObject({ cpuRequestedMilli: 100, memRequestedMiB: 128, podCount: 1 });
  });

  it('a cordoned node gets no new pods', () => {
    const s = sim();
    applyAction(s, 'p', { type: 'cordonNode', node: 'node-b' });
    applyAction(s, 'p', { type: 'scaleDeployment', deployment: 'web', replicas: 12 });
    run(s, 20);
    const onB = podsOf(s, 'web').filter((p) => p.spec.nodeName === 'node-b');
    expect(onB).toHaveLength(1); // the one that was already there
    expect(podsOf(s, 'web')).toHaveLength(12);
  });

  it('records FailedScheduling with kubectl\'s message when nothing fits, and retries when a node frees up', () => {
    const s = sim({ nodes: [node('node-a'), node('node-b'), node('node-c')], deployments: [deployment('web', { replicas: 1 })] });
    applyAction(s, 'p', { type: 'cordonNode', node: 'node-a' });
    s.deployments['default/web']!.spec.template.spec.containers[0]!.resources.requests = { cpu: '100m', memory: '7Gi' };
    applyAction(s, 'p', { type: 'scaleDeployment', deployment: 'web', replicas: 3 });
    run(s, 3);
    const pending = podsOf(s, 'web').filter((p) => podDisplayStatus(p, s.t) === 'Pending');
    expect(pending.length).toBeGreaterThan(0);
    const ev = eventsWith(s, 'FailedScheduling').at(-1)!;
    expect(ev.type).toBe('Warning');
    expect(ev.message).toBe('0/3 nodes are available: 1 node(s) were unschedulable, 2 Insufficient memory. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.');
    expect(pending[0]!.status.conditions.find((c) => c.type === 'PodScheduled')).toMatchObject({ status: 'False', reason: 'Unschedulable' });
    // uncordon: the unschedulable queue is retried
    applyAction(s, 'p', { type: 'uncordonNode', node: 'node-a' });
    const at = runUntil(s, (x) => podsOf(x, 'web').filter((p) => p.spec.nodeName === 'node-a').length > 0, 10);
    expect(at).not.toBeNull();
  });

  it('respects nodeSelector', () => {
    const s = sim({ nodes: [node('node-a', { zone: 'z1' }), node('node-b', { zone: 'z2' })], deployments: [deployment('web', { replicas: 3, nodeSelector: { 'topology.kubernetes.io/zone': 'z2' } })] });
    expect(podsOf(s, 'web').every((p) => p.spec.nodeName === 'node-b')).toBe(true);
    const s2 = sim({ nodes: [node('node-a', { zone: 'z1' })], deployments: [deployment('web', { replicas: 1, nodeSelector: { disk: 'ssd' } })], coldStart: true });
    expect(eventsWith(s2, 'FailedScheduling')[0]!.message).toBe("0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.");
  });

  it('samples nodes like percentageOfNodesToScore', () => {
    expect(numFeasibleNodesToFind(3)).toBe(3);
    expect(numFeasibleNodesToFind(100)).toBe(100);
    expect(numFeasibleNodesToFind(1000)).toBe(420);
    expect(numFeasibleNodesToFind(5000)).toBe(500);
    expect(numFeasibleNodesToFind(50000)).toBe(2500);
    expect(fitErrorMessage(2, new Map([['Insufficient cpu', 2]]), 0, 2)).toBe('0/2 nodes are available: 2 Insufficient cpu. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.');
  });

  it('writes Scheduled events in kubectl\'s words', () => {
    const s = sim({ coldStart: true, deployments: [deployment('web', { replicas: 1 })] });
    const pod = podsOf(s, 'web')[0]!;
    expect(eventsWith(s, 'Scheduled')[0]!.message).toBe(`Successfully assigned default/${pod.metadata.name} to ${pod.spec.nodeName}`);
  });
});
