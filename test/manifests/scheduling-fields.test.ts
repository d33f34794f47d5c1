/**
 * Pod scheduling fields in Deployment manifests (tolerations, affinity, topologySpreadConstraints)
 * reach the simulated pods, and wrong types fail with the field path.
 */
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../shared/manifests/load.ts';
import { createSim } from '../../shared/sim/index.ts';
import { input, node, podsOf } from '../sim/fixtures.ts';

const manifest = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 6
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      tolerations:
      - { key: dedicated, operator: Equal, value: web, effect: NoSchedule }
      affinity:
        nodeAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            nodeSelectorTerms:
            - matchExpressions:
              - { key: pool, operator: In, values: [web] }
        podAntiAffinity:
          preferredDuringSchedulingIgnoredDuringExecution: []
      topologySpreadConstraints:
      - maxSkew: 1
        topologyKey: topology.kubernetes.io/zone
        whenUnsatisfiable: DoNotSchedule
        labelSelector: { matchLabels: { app: web } }
      containers:
      - name: server
        image: example/web:1.0
        resources: { requests: { cpu: 100m, memory: 64Mi } }
`;

describe('manifests: scheduling fields', () => {
  it('keeps tolerations, node affinity, pod anti-affinity and topology spread, without a "not simulated" warning', () => {
    const r = loadManifests(manifest, { source: 'web.yaml' });
    expect(r.errors).toEqual([]);
    // Pod (anti-)affinity is simulated since issue 6 (the InterPodAffinity plugin): no warning any more.
    expect(r.warnings.some((w) => w.includes('affinity'))).toBe(false);
    const taint = [{ key: 'dedicated', value: 'web', effect: 'NoSchedule' as const }];
    const s = createSim(input({
      nodes: [node('a', { zone: 'z1', labels: { pool: 'web' }, taints: taint }), node('b', { zone: 'z2', labels: { pool: 'web' }, taints: taint }), node('c', { zone: 'z3' })],
      deployments: r.deployments,
      services: [],
      userFacingService: 'web',
    }));
    const where = podsOf(s, 'web').map((p) => p.spec.nodeName).sort();
    expect(where).toEqual(['a', 'a', 'a', 'b', 'b', 'b']);
  });

  it('rejects a wrong type with its path', () => {
    const bad = manifest.replace('maxSkew: 1', 'maxSkew: one');
    const r = loadManifests(bad, { source: 'web.yaml' });
    expect(r.errors.map((e) => e.path)).toContain('spec.template.spec.topologySpreadConstraints[0].maxSkew');
  });
});
