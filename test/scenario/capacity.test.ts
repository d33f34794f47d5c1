import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadManifests } from '../../shared/manifests/load.ts';
import { inferCallGraph } from '../../shared/scenario/callGraph.ts';
import { SIM_DEFAULT_PROFILE, callsPerRequest, serviceCapacityRps, sizeLoad } from '../../shared/scenario/capacity.ts';
import { DEFAULT_IMAGE_PROFILE, LATENCY_TAIL_FACTOR } from '../../shared/sim/traffic.ts';

const boutique = loadManifests(readFileSync(fileURLToPath(new URL('../fixtures/manifests/online-boutique.yaml', import.meta.url)), 'utf8'));
const graph = inferCallGraph(boutique.deployments, boutique.services);

describe('load sizing for manifests alone', () => {
  it('uses the same default image profile as the sim', () => {
    expect(SIM_DEFAULT_PROFILE.latencyMs).toBe(DEFAULT_IMAGE_PROFILE.latencyMs);
    expect(SIM_DEFAULT_PROFILE.cpuPerRequestMilli).toBe(DEFAULT_IMAGE_PROFILE.cpuPerRequestMilli);
    expect(SIM_DEFAULT_PROFILE.p99Factor).toBe(LATENCY_TAIL_FACTOR);
  });

  it('counts how often one frontend request reaches each Service', () => {
    const calls = callsPerRequest(graph, 'frontend');
    expect(calls.get('frontend')).toBe(1);
    expect(calls.get('productcatalogservice')).toBe(3);
    expect(calls.get('cartservice')).toBe(2);
    expect(calls.get('redis-cart')).toBe(2);
    expect([...calls.values()].reduce((a, b) => a + b, 0)).toBe(17);
    expect(callsPerRequest({ a: ['b'], b: ['a'] }, 'a')).toEqual(new Map([['a', 1], ['b', 1]]));
  });

  it('sizes the load by the busiest Service', () => {
    expect(serviceCapacityRps('productcatalogservice', boutique.deployments, boutique.services)).toBe(100); // 200m / 2
    const sizing = sizeLoad('frontend', graph, boutique.deployments, boutique.services, 100);
    expect(sizing).toMatchObject({ rps: 9, bottleneck: 'redis-cart', latencyThresholdMs: 1100 }); // 125m / 2 = 62.5 requests/s, reached twice per request
    expect(sizing.utilisation).toBeCloseTo(0.288);
  });
});
