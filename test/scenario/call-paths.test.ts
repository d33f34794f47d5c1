import { describe, it, expect } from 'vitest';
import { loadManifests } from '../../shared/manifests/load.ts';
import { parseScenario } from '../../shared/scenario/parse.ts';
import { problemsOf, readFixture } from './helpers.ts';
import { scenarioToSimInput } from '../../shared/scenario/toSimInput.ts';
import { resolveSimInput } from '../../server/scenarios/index.ts';
import { createSim, step } from '../../shared/sim/index.ts';

const boutique = loadManifests(readFixture('manifests/online-boutique.yaml'));

function scenario(traffic: string) {
  return parseScenario(
    [
      'id: paths-test',
      'title: Call paths',
      'match: { durationSeconds: 600 }',
      'cluster: { nodes: { count: 3, zones: [a, b, c], cpu: "4", memory: 16Gi } }',
      'workloads: { manifests: online-boutique.yaml }',
      `traffic: ${traffic}`,
      'userFacingService: frontend',
      'slo: { availability: 0.99, latency: { thresholdMs: 300, target: 0.95 } }',
    ].join('\n'),
  );
}

describe('traffic.callPaths', () => {
  it('converts to SimInput.callPaths with names normalised', () => {
    const input = scenarioToSimInput(scenario('{ rps: 50, callPaths: { default/frontend: [{ name: home, weight: 3, calls: [default/cartservice, adservice] }] } }'), boutique, { seed: 1 });
    expect(input.callPaths).toEqual({ frontend: [{ name: 'home', weight: 3, calls: ['cartservice', 'adservice'] }] });
  });

  it('rejects a call that is not an edge of the call graph and an unknown caller', () => {
    const problems = problemsOf(() => scenarioToSimInput(scenario('{ rps: 50, callPaths: { frontend: [{ name: home, weight: 1, calls: [redis-cart] }], ghost: [{ name: x, weight: 1, calls: [] }] } }'), boutique, { seed: 1 }));
    expect(problems).toHaveLength(2);
    expect(problems.some((p) => p.startsWith('traffic.callPaths.frontend[0] (home): "redis-cart" is not a call of "frontend"'))).toBe(true);
    expect(problems.some((p) => p.startsWith('traffic.callPaths: no Service "ghost"'))).toBe(true);
  });

  it('the built-in Online Boutique scenario: a home view and a checkout call different Services; checkouts reach payment at 1/19 of the load; no fault: >= 99.95 % over 3600 sim s', () => {
    const { input } = resolveSimInput({ scenario: 'online-boutique', seed: 1, durationSeconds: 3600 });
    input.incidents = [];
    const home = input.callPaths!.frontend!.find((p) => p.name === 'home')!;
    const checkout = input.callPaths!.frontend!.find((p) => p.name === 'checkout')!;
    expect(home.calls).not.toContain('checkoutservice');
    expect(checkout.calls).toContain('checkoutservice');
    const state = createSim(input);
    for (let i = 0; i < 3600; i++) step(state);
    const front = state.traffic['default/frontend']!.rps;
    expect(state.traffic['default/paymentservice']!.rps).toBeCloseTo(front / 19, 1);
    expect(state.slos.availability.good / state.slos.availability.valid).toBeGreaterThanOrEqual(0.9995);
  });
});
