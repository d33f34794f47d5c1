/**
 * Inter-pod affinity and anti-affinity as a player sees them (K interpodaffinity): placements by
 * `kubectl get pods -o wide`, Pending pods with the FitError message in `kubectl describe pod`, the
 * existing pods' anti-affinity (symmetry), preferred terms as scores, manifests loading the fields.
 */
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../shared/manifests/load.ts';
import { runKubectl } from '../../shared/kubectl/index.ts';
import type { DeploymentManifest, SimState } from '../../shared/sim/index.ts';
import { deployment, eventsWith, input, node, podsOf, sim } from './fixtures.ts';
import { createSim } from '../../shared/sim/index.ts';

type TemplateSpec = DeploymentManifest['spec']['template']['spec'];
type Affinity = NonNullable<TemplateSpec['affinity']>;

function withAffinity(m: DeploymentManifest, affinity: Affinity, nodeSelector?: Record<string, string>): DeploymentManifest {
  m.spec.template.spec.affinity = affinity;
  if (nodeSelector) m.spec.template.spec.nodeSelector = nodeSelector;
  return m;
}

const text = (s: SimState, line: string): string => {
  const r = runKubectl(s, line);
  if (r.kind !== 'output') throw new Error(JSON.stringify(r));
  return r.output;
};

function where(s: SimState, name: string): string[] {
  return podsOf(s, name).map((p) => p.spec.nodeName ?? 'pending').sort();
}

const HOST = 'kubernetes.io/hostname';
const ZONE = 'topology.kubernetes.io/zone';
const antiSelf = (app: string, key = HOST): Affinity => ({ podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: [app] }] }, topologyKey: key }] } });

const sixNodes = [
  node('a1', { zone: 'zone-a', labels: { pool: 'db' } }),
  node('a2', { zone: 'zone-a', labels: { pool: 'db' } }),
  node('b1', { zone: 'zone-b', labels: { pool: 'db' } }),
  node('b2', { zone: 'zone-b' }),
  node('c1', { zone: 'zone-c' }),
  node('c2', { zone: 'zone-c' }),
];

describe('scheduler: InterPodAffinity', () => {
  it('required anti-affinity per hostname: one pod per node, the rest Pending with the real FitError', () => {
    const s = sim({ nodes: sixNodes, deployments: [withAffinity(deployment('db', { replicas: 4 }), antiSelf('db'), { pool: 'db' })] });
    expect(where(s, 'db')).toEqual(['a1', 'a2', 'b1', 'pending']);
    const msg = "0/6 nodes are available: 3 node(s) didn't match Pod's node affinity/selector, 3 node(s) didn't match pod anti-affinity rules. preemption: 0/6 nodes are available: 3 No preemption victims found for incoming pod, 3 Preemption is not helpful for scheduling.";
    expect(eventsWith(s, 'FailedScheduling').at(-1)!.message).toBe(msg);
    const pending = podsOf(s, 'db').find((p) => !p.spec.nodeName)!;
    const out = text(s, `kubectl describe pod ${pending.metadata.name}`);
    expect(out).toContain('FailedScheduling');
    expect(out).toContain("didn't match pod anti-affinity rules");
  });

  it('required anti-affinity per zone: one pod per zone', () => {
    const s = sim({ nodes: sixNodes, deployments: [withAffinity(deployment('db', { replicas: 4 }), antiSelf('db', ZONE))] });
    const pods = podsOf(s, 'db');
    const zones = pods.filter((p) => p.spec.nodeName).map((p) => s.nodes[p.spec.nodeName!]!.metadata.labels[ZONE]).sort();
    expect(zones).toEqual(['zone-a', 'zone-b', 'zone-c']);
    expect(pods.filter((p) => !p.spec.nodeName)).toHaveLength(1);
  });

  it("existing pods' anti-affinity keeps other matching pods off their nodes (symmetry)", () => {
    // `guard` pods refuse any app=web neighbour; web itself has no affinity at all.
    const guard = withAffinity(deployment('guard', { replicas: 2 }), antiSelf('web'), { pool: 'db' });
    const s = sim({ nodes: sixNodes.slice(0, 3), deployments: [guard, deployment('web', { replicas: 3 })] });
    const guardNodes = new Set(podsOf(s, 'guard').map((p) => p.spec.nodeName));
    expect(guardNodes.size).toBe(2);
    const webNodes = podsOf(s, 'web').map((p) => p.spec.nodeName);
    for (const n of webNodes) expect(n === undefined || !guardNodes.has(n)).toBe(true);
  });

  it('required affinity co-locates with the target pods; without any target, it stays Pending', () => {
    const cache = deployment('cache', { replicas: 1 });
    cache.spec.template.spec.nodeSelector = { [HOST]: 'b2' };
    const follow: Affinity = { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'cache' } }, topologyKey: ZONE }] } };
    const s = sim({ nodes: sixNodes, deployments: [cache, withAffinity(deployment('web', { replicas: 4 }), follow)] });
    expect(where(s, 'web').every((n) => n === 'b1' || n === 'b2')).toBe(true);
    const lone = sim({ nodes: sixNodes, deployments: [withAffinity(deployment('web', { replicas: 1 }), follow)] });
    expect(where(lone, 'web')).toEqual(['pending']);
    expect(eventsWith(lone, 'FailedScheduling').at(-1)!.message).toBe("0/6 nodes are available: 6 node(s) didn't match pod affinity rules. preemption: 0/6 nodes are available: 6 Preemption is not helpful for scheduling.");
  });

  it('self-affinity lets the first pod of the group through, then keeps the group together', () => {
    const self: Affinity = { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'web' } }, topologyKey: ZONE }] } };
    const s = sim({ nodes: sixNodes, deployments: [withAffinity(deployment('web', { replicas: 5 }), self)] });
    const zones = new Set(podsOf(s, 'web').map((p) => (p.spec.nodeName ? s.nodes[p.spec.nodeName]!.metadata.labels[ZONE] : 'pending')));
    expect(zones.size).toBe(1);
    expect(zones.has('pending')).toBe(false);
  });

  it('preferred anti-affinity spreads pods by weight but never leaves one Pending', () => {
    const pref: Affinity = { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { labelSelector: { matchLabels: { app: 'web' } }, topologyKey: HOST } }] } };
    const s = sim({ coldStart: true, nodes: sixNodes.slice(0, 3), deployments: [withAffinity(deployment('web', { replicas: 5 }), pref)] });
    const counts = new Map<string, number>();
    for (const n of where(s, 'web')) counts.set(n, (counts.get(n) ?? 0) + 1);
    expect(counts.has('pending')).toBe(false);
    expect([...counts.values()].sort()).toEqual([1, 2, 2]);
  });

  it('loads podAntiAffinity from a manifest without a warning and places as a cluster would', () => {
    const yaml = `apiVersion: apps/v1
kind: Deployment
metadata: { name: db }
spec:
  replicas: 3
  selector: { matchLabels: { app: db } }
  template:
    metadata: { labels: { app: db } }
    spec:
      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
          - labelSelector: { matchExpressions: [{ key: app, operator: In, values: [db] }] }
            topologyKey: kubernetes.io/hostname
      containers:
      - { name: db, image: example/db:1.0, resources: { requests: { cpu: 100m, memory: 64Mi } } }
`;
    const r = loadManifests(yaml, { source: 'db.yaml' });
    expect(r.errors).toEqual([]);
    expect(r.warnings.filter((w) => w.includes('affinity'))).toEqual([]);
    const s = createSim(input({ nodes: [node('n1'), node('n2')], deployments: r.deployments, services: [], userFacingService: 'db' }));
    expect(where(s, 'db')).toEqual(['n1', 'n2', 'pending']);
    const bad = loadManifests(yaml.replace('topologyKey: kubernetes.io/hostname', 'topologyKey: ""'), { source: 'db.yaml' });
    expect(bad.errors.map((e) => e.path)).toContain('spec.template.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey');
  });
});
