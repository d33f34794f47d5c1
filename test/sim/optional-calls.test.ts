import { describe, it, expect } from 'vitest';
import { applyAction, createSim, markDirty, stateHash, step } from '../../shared/sim/index.ts';
import type { SimInput, SimState } from '../../shared/sim/index.ts';
import { canonicalJson } from '../../shared/sim/hash.ts';
import { FAIL_FAST_MS } from '../../shared/sim/traffic.ts';
import { deployment, podsOf, service, shopInput, stepN } from './game-fixtures.ts';

/**
 * The shop plus an ad service: frontend -> api -> db and frontend -> ads. Two ads pods, both on node-c
 * (nodeSelector), so one node failure black-holes every ads endpoint.
 */
function adsInput(optional: boolean, opts: { durationSeconds?: number } = {}): SimInput {
  const input = shopInput(opts);
  const ads = deployment('ads', 'shop/ads:v1', 2);
  ads.spec.template.spec.nodeSelector = { 'topology.kubernetes.io/zone': 'zone-c' };
  input.deployments.push(ads);
  input.services.push(service('ads'));
  input.images['shop/ads:v1'] = { errorRate: 0.0001, latencyMs: 40, baseMemoryMiB: 100, cpuPerRequestMilli: 1 };
  input.callGraph = { frontend: ['ads', 'api'], api: ['db'] };
  // Every page calls both (one call path making every call; the default would route each page to one).
  input.callPaths = { frontend: [{ name: 'page', weight: 1, calls: ['ads', 'api'] }] };
  if (optional) input.optionalCalls = { frontend: ['ads'] };
  return input;
}

const fe = (s: SimState) => s.traffic['default/frontend']!;
const ads = (s: SimState) => s.traffic['default/ads']!;

/** Availability SLI of the ticks run by `fn` (good / valid). */
function availabilityDuring(s: SimState, fn: () => void): number {
  const { good, valid } = s.slos.availability;
  fn();
  return (s.slos.availability.good - good) / (s.slos.availability.valid - valid);
}

describe('optional (soft) calls', () => {
  it('createSim keeps optional calls as Service keys and drops, with a warning, those that are not calls', () => {
    const input = adsInput(true);
    input.optionalCalls = { frontend: ['ads', 'default/ads', 'db'], 'default/api': [] };
    const s = createSim(input);
    expect(s.optionalCalls).toEqual({ 'default/frontend': ['default/ads'] });
    expect(s.warnings).toContain('optional call "frontend" -> "db" ignored: not an edge of the call graph');
    expect(createSim(shopInput()).optionalCalls).toEqual({});
  });

  it('costs nothing when healthy: same load and latency as a hard call', () => {
    const soft = createSim(adsInput(true));
    const hard = createSim(adsInput(false));
    stepN(soft, 5);
    stepN(hard, 5);
    expect(ads(soft).rps).toBeCloseTo(200, 6); // every page asks for ads
    expect(fe(soft).p50Ms).toBe(fe(hard).p50Ms);
    expect(fe(soft).p99Ms).toBe(fe(hard).p99Ms);
    expect(fe(soft).p50Ms).toBeGreaterThan(20 + 30 + 40); // own + api + ads (load factor on top)
  });

  it('with ads optional, deleting every ads pod leaves the frontend serving while ads shows its errors', () => {
    const s = createSim(adsInput(true));
    stepN(s, 5);
    const healthyP50 = fe(s).p50Ms;
    for (const p of podsOf(s, 'ads')) expect(applyAction(s, 'alice', { type: 'deletePod', pod: p.metadata.name, force: true }).ok).toBe(true);
    expect(applyAction(s, 'alice', { type: 'scaleDeployment', deployment: 'ads', replicas: 0 }).ok).toBe(true);
    const sli = availabilityDuring(s, () => stepN(s, 30));
    expect(ads(s).readyEndpoints).toBe(0);
    expect(ads(s).errorRate).toBe(1);
    expect(ads(s).rps).toBeCloseTo(200, 6); // the frontend still calls it
    expect(fe(s).errorRate).toBeLessThan(0.001);
    expect(sli).toBeGreaterThan(0.998);
    // Connection refused fails fast: the page is quicker without its 40 ms ad call.
    expect(fe(s).p50Ms).toBeLessThan(healthyP50 - 30);
    expect(fe(s).p50Ms).toBeGreaterThan(20 + 30 + FAIL_FAST_MS);
  });

  it('with ads hard, the same deletion fails every frontend request', () => {
    const s = createSim(adsInput(false));
    stepN(s, 5);
    applyAction(s, 'alice', { type: 'scaleDeployment', deployment: 'ads', replicas: 0 });
    const sli = availabilityDuring(s, () => stepN(s, 30));
    expect(ads(s).errorRate).toBe(1);
    expect(fe(s).errorRate).toBe(1);
    expect(sli).toBeLessThan(0.5);
  });

  it('a failing ads version does not fail pages but a failing hard dependency still does', () => {
    const s = createSim(adsInput(true));
    stepN(s, 5);
    s.images['shop/ads:v1']!.errorRate = 0.6;
    step(s);
    expect(ads(s).errorRate).toBeCloseTo(0.6, 2);
    expect(fe(s).errorRate).toBeLessThan(0.001);
    s.images['shop/api:v2.0.0']!.errorRate = 0.5;
    step(s);
    expect(fe(s).errorRate).toBeCloseTo(0.5, 2);
  });

  it('black-holed ads endpoints (node down) still cost the ads latency but no page fails', () => {
    const s = createSim(adsInput(true));
    stepN(s, 5);
    expect(podsOf(s, 'ads').every((p) => p.spec.nodeName === 'node-c')).toBe(true);
    const healthyP50 = fe(s).p50Ms;
    s.nodes['node-c']!.sim.kubeletUp = false;
    markDirty(s, 'nodes', 'node-c');
    step(s);
    expect(ads(s).readyEndpoints).toBe(2); // not yet taken out of the endpoints (~50 s grace)
    expect(ads(s).errorRate).toBe(1);
    // node-c also holds frontend/api/db pods: those requests fail; the ad call does not add failures.
    const onC = (d: string) => podsOf(s, d).filter((p) => p.spec.nodeName === 'node-c').length / podsOf(s, d).length;
    const expected = 1 - (1 - onC('frontend')) * (1 - onC('api')) * (1 - onC('db'));
    expect(fe(s).errorRate).toBeCloseTo(expected, 2);
    // the failed ad call is assumed to come back after the ads pods' own latency (no timeout modelled)
    expect(fe(s).p50Ms).toBeGreaterThan(healthyP50 - 10);
  });

  it('caches stay correct: clones, JSON round trips and a changed optionalCalls object give the same figures as a fresh memo', () => {
    const a = createSim(adsInput(true, { durationSeconds: 300 }));
    stepN(a, 10);
    const copies: SimState[] = [JSON.parse(canonicalJson(a)) as SimState];
    const drive = (s: SimState) => {
      if (s.tick === 15) applyAction(s, 'p', { type: 'scaleDeployment', deployment: 'ads', replicas: 0 });
      if (s.tick === 40) s.optionalCalls = {}; // every call hard again: pages fail
      if (s.tick === 50) s.optionalCalls = { 'default/frontend': ['default/ads'] };
      if (s.tick === 60) applyAction(s, 'p', { type: 'scaleDeployment', deployment: 'ads', replicas: 2 });
      if (s.tick === 90) s.images['shop/ads:v1']!.errorRate = 1;
    };
    let fresh = structuredClone(a);
    const seen: number[] = [];
    for (let t = 0; t < 120; t++) {
      if (a.tick === 45) copies.push(JSON.parse(canonicalJson(a)) as SimState);
      fresh = structuredClone(fresh);
      for (const s of [a, fresh, ...copies]) {
        drive(s);
        step(s);
      }
      seen.push(fe(a).errorRate);
      for (const c of [fresh, ...copies]) expect(stateHash(c), `tick ${a.tick}`).toBe(stateHash(a));
    }
    // the run went through soft failure, hard failure and recovery
    // seen[k] is the frontend error rate after tick 11 + k
    expect(seen[25]).toBeLessThan(0.001); // ads scaled to 0 at tick 15, optional
    expect(seen[35]).toBe(1); // every call hard from tick 40: pages fail
    expect(seen[45]).toBeLessThan(0.001); // optional again from tick 50
    expect(seen[110]).toBeLessThan(0.001); // ads back, failing every request from tick 90: pages do not
    expect(ads(a).errorRate).toBe(1);
  });
});
