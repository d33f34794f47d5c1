/**
 * Deviation 2 of issue 6: requests follow call paths instead of fanning out through every edge of the
 * inferred call graph, so Online Boutique's release manifests (no fault) keep >= 99.95 % availability
 * for an hour with plausible latencies, and declared paths (a home page view vs a checkout) call
 * different Services.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../shared/manifests/load.ts';
import { manifestsOnlyInput } from '../../shared/scenario/toSimInput.ts';
import { createSim } from '../../shared/sim/index.ts';
import type { SimInput } from '../../shared/sim/index.ts';
import { defaultCallPaths } from '../../shared/sim/trafficGraph.ts';
import { deployment, input, run, service } from './fixtures.ts';

const BOUTIQUE = readFileSync(join(import.meta.dirname, '..', '..', 'server', 'scenarios', 'manifests', 'online-boutique.yaml'), 'utf8');

describe('call paths', () => {
  it('Online Boutique manifests alone, no fault: >= 99.95 % availability over 3600 sim s, frontend p50 under 100 ms', () => {
    const loaded = loadManifests(BOUTIQUE, { source: 'online-boutique.yaml' });
    const state = createSim(manifestsOnlyInput(loaded, { seed: 1, durationSeconds: 3600 }));
    let p50Max = 0;
    run(state, 3600, (s) => {
      p50Max = Math.max(p50Max, s.traffic['default/frontend']!.p50Ms);
    });
    const a = state.slos.availability;
    expect(a.valid).toBeGreaterThan(0);
    expect(a.good / a.valid).toBeGreaterThanOrEqual(0.9995);
    expect(p50Max).toBeGreaterThan(0);
    expect(p50Max).toBeLessThan(100);
  });

  it('by default a request calls one of k downstream Services (weight 1/k each)', () => {
    expect(defaultCallPaths(0)).toEqual({ weights: [1], calls: [[]], share: [], all: true });
    expect(defaultCallPaths(1).all).toBe(true);
    const three = defaultCallPaths(3);
    expect(three.calls).toEqual([[0], [1], [2]]);
    expect(three.share).toEqual([1 / 3, 1 / 3, 1 / 3]);
  });

  it('declared paths: home views (90 %) call catalog only, checkouts (10 %) call catalog and payment', () => {
    const mk = (over: Partial<SimInput>) =>
      createSim(input({
        deployments: [deployment('front', { replicas: 2 }), deployment('catalog', { replicas: 2 }), deployment('payment', { replicas: 2 })],
        services: [service('front', { type: 'LoadBalancer' }), service('catalog'), service('payment')],
        callGraph: { front: ['catalog', 'payment'], catalog: [], payment: [] },
        ingress: [{ service: 'front', rps: 100 }],
        userFacingService: 'front',
        ...over,
      }));
    const state = mk({
      callPaths: { front: [{ name: 'home', weight: 9, calls: ['catalog'] }, { name: 'checkout', weight: 1, calls: ['catalog', 'payment'] }] },
    });
    run(state, 30);
    expect(state.traffic['default/catalog']!.rps).toBeCloseTo(100, 6);
    expect(state.traffic['default/payment']!.rps).toBeCloseTo(10, 6);
    // Default rule with the same graph: half the requests each.
    const plain = mk({});
    run(plain, 30);
    expect(plain.traffic['default/catalog']!.rps).toBeCloseTo(50, 6);
    expect(plain.traffic['default/payment']!.rps).toBeCloseTo(50, 6);
  });
});

describe('env values naming a Service that is not in the manifests', () => {
  it('get a warning at load time (manifests alone), naming the Deployment, container, env var and Service', () => {
    const yaml = [
      'apiVersion: apps/v1', 'kind: Deployment', 'metadata: { name: shop }',
      'spec:', '  selector: { matchLabels: { app: shop } }', '  template:', '    metadata: { labels: { app: shop } }',
      '    spec:', '      containers:', '      - name: shop', '        image: nginx:1.27',
      '        env: [{ name: PAYMENT_ADDR, value: "paymnt:8080" }, { name: TZ, value: "UTC" }, { name: PEER, value: "10.0.0.1:80" }]',
      '---', 'apiVersion: v1', 'kind: Service', 'metadata: { name: shop }', 'spec: { type: LoadBalancer, selector: { app: shop }, ports: [{ port: 80 }] }',
    ].join('\n');
    const built = manifestsOnlyInput(loadManifests(yaml), { seed: 1 });
    expect(built.warnings).toContain('Deployment "shop" container "shop" env PAYMENT_ADDR: "paymnt:8080" names Service "paymnt", which is not in the manifests (no call-graph edge for it)');
    expect(built.warnings!.filter((w) => w.includes(' env '))).toHaveLength(1);
  });
});
