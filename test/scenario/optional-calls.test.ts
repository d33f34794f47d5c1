import { describe, it, expect } from 'vitest';
import { loadManifests } from '../../shared/manifests/load.ts';
import { parseScenario } from '../../shared/scenario/parse.ts';
import { problemsOf, readFixture } from './helpers.ts';
import { scenarioToSimInput } from '../../shared/scenario/toSimInput.ts';
import { resolveSimInput } from '../../server/scenarios/index.ts';
import { applyAction, createSim, step } from '../../shared/sim/index.ts';
import type { SimState } from '../../shared/sim/index.ts';

const read = readFixture;
const boutique = loadManifests(read('manifests/online-boutique.yaml'));

/** A small scenario over the Online Boutique fixture manifests with the given `traffic` block (YAML flow). */
function scenario(traffic: string) {
  return parseScenario(
    [
      'id: optional-test',
      'title: Optional calls',
      'match: { durationSeconds: 600 }',
      'cluster: { nodes: { count: 3, zones: [a, b, c], cpu: "4", memory: 16Gi } }',
      'workloads: { manifests: online-boutique.yaml }',
      `traffic: ${traffic}`,
      'userFacingService: frontend',
      'slo: { availability: 0.99, latency: { thresholdMs: 300, target: 0.95 } }',
    ].join('\n'),
  );
}


describe('traffic.optionalCalls', () => {
  it('converts to SimInput.optionalCalls with names normalised, deduplicated and sorted', () => {
    const input = scenarioToSimInput(scenario('{ rps: 50, optionalCalls: { default/frontend: [recommendationservice, adservice, default/adservice] } }'), boutique, { seed: 1 });
    expect(input.optionalCalls).toEqual({ frontend: ['adservice', 'recommendationservice'] });
    expect(scenarioToSimInput(scenario('{ rps: 50 }'), boutique, { seed: 1 }).optionalCalls).toBeUndefined();
  });

  it('rejects an optional call that is not an edge of the inferred call graph, and unknown names', () => {
    const problems = problemsOf(() => scenarioToSimInput(scenario('{ rps: 50, optionalCalls: { frontend: [adservice, redis-cart, nosuch], ghost: [adservice] } }'), boutique, { seed: 1 }));
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/^traffic\.optionalCalls\.frontend: "redis-cart" is not a call of "frontend" in the call graph \(inferred from env values\); an optional call must be one of its calls \(adservice, cartservice, /);
    expect(problems[1]).toMatch(/^traffic\.optionalCalls\.frontend: no Service "nosuch" in the workloads/);
    expect(problems[2]).toMatch(/^traffic\.optionalCalls: no Service "ghost" in the workloads/);
  });

  it('checks against the declared call graph when there is one', () => {
    const problems = problemsOf(() =>
      scenarioToSimInput(scenario('{ rps: 50, callGraph: { frontend: [cartservice] }, optionalCalls: { frontend: [adservice], adservice: [cartservice] } }'), boutique, { seed: 1 }),
    );
    expect(problems).toEqual([
      'traffic.optionalCalls.adservice: "cartservice" is not a call of "adservice" in the call graph (declared in traffic.callGraph); an optional call must be one of its calls ("adservice" calls nothing)',
      'traffic.optionalCalls.frontend: "adservice" is not a call of "frontend" in the call graph (declared in traffic.callGraph); an optional call must be one of its calls (cartservice)',
    ]);
  });

  it('the schema is strict about the shape', () => {
    expect(() => scenario('{ rps: 50, optionalCalls: [adservice] }')).toThrow(/traffic\.optionalCalls/);
    expect(() => scenario('{ rps: 50, optionalCall: { frontend: [adservice] } }')).toThrow(/optionalCall/);
  });
});

describe('the default scenario degrades gracefully', () => {
  const fe = (s: SimState) => s.traffic['default/frontend']!;

  it('declares the frontend calls to adservice and recommendationservice optional', () => {
    const { input } = resolveSimInput({ seed: 1 });
    expect(input.optionalCalls).toEqual({ frontend: ['adservice', 'recommendationservice'] });
  });

  /** The default scenario without incidents, adservice scaled to 0 at tick 10; returns the SLI of the next 60 ticks. */
  function loseAdservice(hard: boolean): { s: SimState; availability: number } {
    const { input } = resolveSimInput({ seed: 1, durationSeconds: 200 });
    input.incidents = [];
    if (hard) delete input.optionalCalls;
    const s = createSim(input);
    for (let i = 0; i < 10; i++) step(s);
    expect(applyAction(s, 'alice', { type: 'scaleDeployment', deployment: 'adservice', replicas: 0 }).ok).toBe(true);
    const { good, valid } = s.slos.availability;
    for (let i = 0; i < 60; i++) step(s);
    expect(s.traffic['default/adservice']!.readyEndpoints).toBe(0);
    expect(s.traffic['default/adservice']!.errorRate).toBe(1);
    return { s, availability: (s.slos.availability.good - good) / (s.slos.availability.valid - valid) };
  }

  it('losing every adservice pod leaves frontend availability unchanged while adservice fails', () => {
    const { s, availability } = loseAdservice(false);
    expect(fe(s).errorRate).toBeLessThan(0.005);
    expect(availability).toBeGreaterThan(0.99);
  });

  it('were the call hard, the frontend would fail every request that shows ads (home and product pages: 11 of 19)', () => {
    const { s, availability } = loseAdservice(true);
    expect(fe(s).errorRate).toBeCloseTo(11 / 19, 2);
    expect(availability).toBeLessThan(0.5);
  });
});
