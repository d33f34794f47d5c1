/**
 * kube-scheduler placement as a player sees it (`kubectl get pods -o wide`, `describe pod` Events):
 * default topology spread, topologySpreadConstraints, taints/tolerations, node affinity, maxPods, and
 * FailedScheduling events with the backoff / unschedulable queues. Times in sim seconds (tick 1 s).
 */
import { describe, expect, it } from 'vitest';
import { applyAction, markDirty } from '../../shared/sim/index.ts';
import type { DeploymentManifest, SimState } from '../../shared/sim/index.ts';
import { deployment, eventsWith, node, podsOf, run, sim } from './fixtures.ts';

type TemplateSpec = DeploymentManifest['spec']['template']['spec'];

function withSpec(m: DeploymentManifest, spec: Partial<TemplateSpec>): DeploymentManifest {
  Object.assign(m.spec.template.spec, spec);
  return m;
}

function byZone(s: SimState, name: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of podsOf(s, name)) {
    const z = p.spec.nodeName ? s.nodes[p.spec.nodeName]!.metadata.labels['topology.kubernetes.io/zone']! : 'pending';
    out[z] = (out[z] ?? 0) + 1;
  }
  return out;
}

function byNode(s: SimState, name: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of podsOf(s, name)) out[p.spec.nodeName ?? 'pending'] = (out[p.spec.nodeName ?? 'pending'] ?? 0) + 1;
  return out;
}

const sixNodes = [node('a1', { zone: 'zone-a' }), node('a2', { zone: 'zone-a' }), node('a3', { zone: 'zone-a' }), node('a4', { zone: 'zone-a' }), node('b1', { zone: 'zone-b' }), node('c1', { zone: 'zone-c' })];

describe('scheduler placement (kube-scheduler default plugins)', () => {
  it('spreads 36 pods over zones 4+1+1 by the default PodTopologySpread, not 24/6/6 by node', () => {
    const s = sim({ nodes: sixNodes, deployments: [deployment('web', { replicas: 36, cpu: '50m', memory: '64Mi' })] });
    const z = byZone(s, 'web');
    expect(z['pending']).toBeUndefined();
    // Per node LeastAllocated alone gives 6 per node = 24/6/6. The zone constraint (maxSkew 5, soft)
    // pulls pods toward the one-node zones.
    expect(z['zone-a']!).toBeLessThan(24);
    expect(z['zone-b']!).toBeGreaterThan(6);
    expect(z['zone-c']!).toBeGreaterThan(6);
    expect(Math.max(...Object.values(byNode(s, 'web')))).toBeGreaterThan(6);
  });

  it('honours a DoNotSchedule zone constraint (maxSkew 1) and reports the skew when it cannot', () => {
    const spread = { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule' as const, labelSelector: { matchLabels: { app: 'web' } } }] };
    const s = sim({ nodes: sixNodes, deployments: [withSpec(deployment('web', { replicas: 9 }), spread)] });
    expect(byZone(s, 'web')).toEqual({ 'zone-a': 3, 'zone-b': 3, 'zone-c': 3 });
    // zone-b and zone-c full (one pod each max): the 4th pod per zone cannot go to zone-a alone.
    const s2 = sim({ coldStart: true, nodes: [node('a1', { zone: 'zone-a' }), node('b1', { zone: 'zone-b', pods: 1 })], deployments: [withSpec(deployment('web', { replicas: 3 }), spread)] });
    const z = byZone(s2, 'web');
    expect(z).toEqual({ 'zone-a': 2, 'zone-b': 1 });
    run(s2, 2);
    expect(byZone(s2, 'web')).toEqual({ 'zone-a': 2, 'zone-b': 1 });
    const s3 = sim({ coldStart: true, nodes: [node('a1', { zone: 'zone-a' }), node('b1', { zone: 'zone-b', pods: 1 })], deployments: [withSpec(deployment('web', { replicas: 4 }), spread)] });
    expect(byZone(s3, 'web')).toEqual({ 'zone-a': 2, 'zone-b': 1, pending: 1 });
    expect(eventsWith(s3, 'FailedScheduling')[0]!.message).toBe(
      "0/2 nodes are available: 1 Too many pods, 1 node(s) didn't match pod topology spread constraints. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.",
    );
  });

  it('minDomains: with fewer zones than minDomains the global minimum counts as 0', () => {
    const spread = { topologySpreadConstraints: [{ maxSkew: 1, minDomains: 3, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule' as const, labelSelector: { matchLabels: { app: 'web' } } }] };
    const s = sim({ coldStart: true, nodes: [node('a1', { zone: 'zone-a' }), node('b1', { zone: 'zone-b' })], deployments: [withSpec(deployment('web', { replicas: 4 }), spread)] });
    expect(byZone(s, 'web')).toEqual({ 'zone-a': 1, 'zone-b': 1, pending: 2 });
  });

  it('taints: NoSchedule keeps pods off unless tolerated; PreferNoSchedule is only avoided', () => {
    const nodes = [node('gpu', { taints: [{ key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' }] }), node('soft', { taints: [{ key: 'spot', effect: 'PreferNoSchedule' }] }), node('plain')];
    const s = sim({ nodes, deployments: [deployment('web', { replicas: 2 })] });
    expect(byNode(s, 'web')['gpu']).toBeUndefined();
    expect(byNode(s, 'web')['plain']).toBeGreaterThanOrEqual(1);
    const tol = { tolerations: [{ key: 'nvidia.com/gpu', operator: 'Equal' as const, value: 'true', effect: 'NoSchedule' as const }] };
    const s2 = sim({ nodes, deployments: [withSpec(deployment('ml', { replicas: 3, nodeSelector: { 'kubernetes.io/hostname': 'gpu' } }), tol)] });
    expect(byNode(s2, 'ml')).toEqual({ gpu: 3 });
    const s3 = sim({ coldStart: true, nodes: [nodes[0]!], deployments: [deployment('web', { replicas: 1 })] });
    expect(eventsWith(s3, 'FailedScheduling')[0]!.message).toBe(
      '0/1 nodes are available: 1 node(s) had untolerated taint {nvidia.com/gpu: true}. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.',
    );
    // The DefaultTolerationSeconds admission's tolerations are on every pod.
    expect(podsOf(s, 'web')[0]!.spec.tolerations).toEqual([
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ]);
    expect(podsOf(s2, 'ml')[0]!.spec.tolerations).toHaveLength(3);
  });

  it('node affinity: required terms filter (In/NotIn/Exists/DoesNotExist/Gt/Lt), preferred terms score', () => {
    const nodes = [node('n1', { labels: { disk: 'ssd', gen: '3' } }), node('n2', { labels: { disk: 'hdd', gen: '5' } }), node('n3', { labels: { gen: '7' } })];
    const req = (exprs: { key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt'; values?: string[] }[]) => ({
      affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: exprs }] } } },
    });
    const place = (spec: Partial<TemplateSpec>) => Object.keys(byNode(sim({ nodes, deployments: [withSpec(deployment('web', { replicas: 6 }), spec)] }), 'web')).sort();
    expect(place(req([{ key: 'disk', operator: 'In', values: ['ssd'] }]))).toEqual(['n1']);
    expect(place(req([{ key: 'disk', operator: 'NotIn', values: ['ssd'] }]))).toEqual(['n2', 'n3']);
    expect(place(req([{ key: 'disk', operator: 'Exists' }]))).toEqual(['n1', 'n2']);
    expect(place(req([{ key: 'disk', operator: 'DoesNotExist' }]))).toEqual(['n3']);
    expect(place(req([{ key: 'gen', operator: 'Gt', values: ['4'] }]))).toEqual(['n2', 'n3']);
    expect(place(req([{ key: 'gen', operator: 'Lt', values: ['4'] }]))).toEqual(['n1']);
    // Preferred (weight 100 x 2) outweighs the resource and spread scores for a few pods.
    const pref = { affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, preference: { matchExpressions: [{ key: 'disk', operator: 'In' as const, values: ['hdd'] }] } }] } } };
    const s = sim({ nodes, deployments: [withSpec(deployment('web', { replicas: 3 }), pref)] });
    expect(byNode(s, 'web')).toEqual({ n2: 3 });
    const s2 = sim({ coldStart: true, nodes, deployments: [withSpec(deployment('web', { replicas: 1 }), req([{ key: 'disk', operator: 'In', values: ['nvme'] }]))] });
    expect(eventsWith(s2, 'FailedScheduling')[0]!.message).toBe("0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.");
  });

  it('kubelet maxPods (Node allocatable pods, default 110): the 111th pod is Pending with Too many pods', () => {
    const s = sim({ nodes: [node('only', { cpu: '64', memory: '256Gi' })], deployments: [deployment('web', { replicas: 111, cpu: '10m', memory: '16Mi' })] });
    expect(s.nodes['only']!.status.allocatable.pods).toBe('110');
    expect(byNode(s, 'web')).toEqual({ only: 110, pending: 1 });
    expect(eventsWith(s, 'FailedScheduling')[0]!.message).toBe('0/1 nodes are available: 1 Too many pods. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.');
  });
});

describe('scheduling queue (FailedScheduling per attempt, backoff and unschedulable queues)', () => {
  it('a pod Pending from the start has a FailedScheduling event at t=0 and its message on PodScheduled', () => {
    const s = sim({ nodes: [node('n1', { memory: '1Gi' })], deployments: [deployment('big', { replicas: 1, memory: '2Gi' })] });
    const ev = eventsWith(s, 'FailedScheduling');
    expect(ev).toHaveLength(1);
    expect(ev[0]!).toMatchObject({ type: 'Warning', source: 'default-scheduler' });
    expect(ev[0]!.message).toBe('0/1 nodes are available: 1 Insufficient memory. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.');
    const pod = podsOf(s, 'big')[0]!;
    expect(pod.status.message).toBeUndefined();
    expect(pod.status.conditions.find((c) => c.type === 'PodScheduled')).toMatchObject({ status: 'False', reason: 'Unschedulable', message: ev[0]!.message });
  });

  it('with no cluster change a parked pod costs nothing and is retried after 5 min (30 s flush)', () => {
    const s = sim({ coldStart: true, nodes: [node('n1', { memory: '1Gi' })], deployments: [deployment('big', { replicas: 1, memory: '2Gi' })] });
    const times = () => eventsWith(s, 'FailedScheduling').map((e) => e.t);
    run(s, 299);
    expect(times()).toEqual([0]);
    run(s, 61);
    expect(times()).toEqual([0, 330]);
  });

  it('cluster events retry a parked pod through the backoff queue: 1 s, 2 s, 4 s ... at most 10 s', () => {
    const s = sim({ coldStart: true, nodes: [node('n1', { memory: '1Gi' }), node('n2', { memory: '1Gi' })], deployments: [deployment('big', { replicas: 1, memory: '2Gi' })] });
    const times: number[] = [];
    // A node event every second (cordon/uncordon toggles) keeps moving the pod out of the unschedulable queue.
    for (let i = 0; i < 40; i++) {
      applyAction(s, 'p', { type: i % 2 === 0 ? 'cordonNode' : 'uncordonNode', node: 'n2' });
      run(s, 1);
    }
    for (const e of eventsWith(s, 'FailedScheduling')) times.push(e.t);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    expect(gaps.slice(0, 5)).toEqual([1, 2, 4, 8, 10]);
    expect(Math.max(...gaps)).toBe(10);
  });
});

describe('taint-based eviction honours each pod\'s NoExecute tolerationSeconds', () => {
  it('unreachable: 60 s toleration evicted ~60 s after the taint, no tolerationSeconds stays, default 300 s', () => {
    const tol = (seconds?: number) => ({ tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists' as const, effect: 'NoExecute' as const, ...(seconds === undefined ? {} : { tolerationSeconds: seconds }) }] });
    const only = { nodeSelector: { 'kubernetes.io/hostname': 'node-a' } };
    const s = sim({
      nodes: [node('node-a'), node('node-b')],
      deployments: [withSpec(deployment('fast', { replicas: 1, ...only }), tol(60)), withSpec(deployment('forever', { replicas: 1, ...only }), tol()), deployment('plain', { replicas: 1, ...only })],
      services: [],
    });
    s.nodes['node-a']!.sim.kubeletUp = false;
    markDirty(s, 'nodes', 'node-a');
    const taintAt = (() => { for (let i = 0; i < 100; i++) { run(s, 1); const t = s.nodes['node-a']!.spec.taints.find((x) => x.effect === 'NoExecute'); if (t) return t.timeAdded!; } return -1; })();
    expect(taintAt).toBeGreaterThan(0);
    const evictedAt = (name: string) => eventsWith(s, 'TaintManagerEviction').find((e) => e.object.name.startsWith(`${name}-`))?.t;
    run(s, 400);
    expect(evictedAt('fast')! - taintAt).toBeGreaterThanOrEqual(60);
    expect(evictedAt('fast')! - taintAt).toBeLessThanOrEqual(61);
    expect(evictedAt('plain')! - taintAt).toBeGreaterThanOrEqual(300);
    expect(evictedAt('plain')! - taintAt).toBeLessThanOrEqual(301);
    expect(evictedAt('forever')).toBeUndefined();
  });
});
