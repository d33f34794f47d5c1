import { describe, it, expect } from 'vitest';
import { createSim, applyAction, apiWritable, markDirty, stateHash, step } from '../../shared/sim/index.ts';
import type { SimState } from '../../shared/sim/index.ts';
import { canonicalJson } from '../../shared/sim/hash.ts';
import { loadFactor, podCapacityRps, DEFAULT_IMAGE_PROFILE, updateTraffic } from '../../shared/sim/traffic.ts';
import { mixtureQuantile, tailShare } from '../../shared/sim/latency.ts';
import { etcdIncident, memoryLeakIncident, podsOf, shopInput, stepN } from './game-fixtures.ts';

describe('traffic model', () => {
  it('serves steady traffic through the call graph with the sum of latencies', () => {
    const s = createSim(shopInput());
    stepN(s, 5);
    const fe = s.traffic['default/frontend']!;
    const api = s.traffic['default/api']!;
    const db = s.traffic['default/db']!;
    expect(fe.rps).toBe(200);
    expect(api.rps).toBeCloseTo(200, 6); // every frontend request calls the api
    expect(db.rps).toBeCloseTo(200, 6);
    expect(fe.readyEndpoints).toBe(3);
    expect(fe.errorRate).toBeLessThan(0.001);
    // end-to-end latency includes the downstream calls
    expect(fe.p50Ms).toBeGreaterThan(api.p50Ms);
    expect(api.p50Ms).toBeGreaterThan(db.p50Ms);
    expect(fe.p99Ms).toBeGreaterThan(fe.p50Ms);
    // SLI counts: 200 requests per 1 s tick
    expect(s.slos.availability.valid).toBe(1000);
    expect(s.slos.availability.sli).toBeGreaterThan(0.99);
  });

  it('fails every request to a Service without ready endpoints and the user-facing SLI drops', () => {
    const s = createSim(shopInput());
    stepN(s, 5);
    expect(applyAction(s, 'alice', { type: 'scaleDeployment', deployment: 'frontend', replicas: 0 }).ok).toBe(true);
    stepN(s, 40);
    const fe = s.traffic['default/frontend']!;
    expect(fe.readyEndpoints).toBe(0);
    expect(fe.errorRate).toBe(1);
    // nothing reaches the api any more
    expect(s.traffic['default/api']!.rps).toBe(0);
    expect(s.slos.availability.lastTick).toEqual({ good: 0, valid: 0 }); // folded already
    expect(s.slos.availability.sli).toBeLessThan(0.95);
    expect(s.alerts.find((a) => a.id === 'availability-page-fast')!.firing).toBe(true);
  });

  it('propagates a downstream failure upstream', () => {
    const s = createSim(shopInput());
    stepN(s, 5);
    applyAction(s, 'alice', { type: 'scaleDeployment', deployment: 'db', replicas: 0 });
    stepN(s, 40);
    expect(s.traffic['default/db']!.errorRate).toBe(1);
    expect(s.traffic['default/api']!.errorRate).toBe(1);
    expect(s.traffic['default/frontend']!.errorRate).toBe(1);
    expect(s.traffic['default/frontend']!.readyEndpoints).toBe(3); // the frontend itself is fine
    const before = s.slos.availability.valid - s.slos.availability.good;
    step(s);
    expect(s.slos.availability.valid - s.slos.availability.good - before).toBe(200);
  });

  it('a version with a high error rate fails its share of requests', () => {
    const s = createSim(shopInput());
    s.images['shop/api:v2.0.0']!.errorRate = 0.2;
    stepN(s, 3);
    expect(s.traffic['default/api']!.errorRate).toBeCloseTo(0.2 + 0.8 * 0.0001, 4);
    expect(s.traffic['default/frontend']!.errorRate).toBeGreaterThan(0.2);
  });

  it('overload: beyond CPU capacity latency grows steeply and excess requests time out', () => {
    const light = createSim(shopInput({ rps: 100 }));
    const heavy = createSim(shopInput({ rps: 1500 }));
    stepN(light, 3);
    stepN(heavy, 3);
    // frontend: 3 pods x (500m / 2 m per request) = 750 requests/s capacity
    expect(podCapacityRps(500, { ...DEFAULT_IMAGE_PROFILE, cpuPerRequestMilli: 2 })).toBe(250);
    const l = light.traffic['default/frontend']!;
    const h = heavy.traffic['default/frontend']!;
    expect(h.errorRate).toBeGreaterThan(0.45); // half of 1500 rps cannot be served
    expect(h.p50Ms).toBeGreaterThan(5 * l.p50Ms);
    expect(loadFactor(0.5)).toBe(2);
    expect(loadFactor(3)).toBeCloseTo(20, 9);
  });

  it('latency SLI counts successful requests over the threshold as bad, availability stays good', () => {
    const s = createSim(shopInput());
    s.images['shop/db:v1.0.0']!.latencyMs = 400; // every request now takes > 300 ms
    stepN(s, 10);
    expect(s.slos.latency.sli).toBeLessThan(0.2);
    expect(s.slos.availability.sli).toBeGreaterThan(0.99);
    expect(s.alerts.find((a) => a.id === 'latency-page-fast')!.firing).toBe(true);
  });

  it('ignores call-graph cycles deterministically', () => {
    const input = shopInput();
    input.callGraph = { frontend: ['api'], api: ['db'], db: ['frontend'] };
    const a = createSim(input);
    const b = createSim(input);
    stepN(a, 5);
    stepN(b, 5);
    expect(a.traffic).toEqual(b.traffic);
    expect(a.traffic['default/db']!.rps).toBeCloseTo(200, 6); // db -> frontend closed the cycle: dropped
    expect(a.traffic['default/frontend']!.rps).toBe(200);
  });

  it('gives the same figures from a fresh memo (cloned state)', () => {
    const s = createSim(shopInput());
    stepN(s, 20);
    const clone = structuredClone(s);
    updateTraffic(s);
    updateTraffic(clone);
    expect(clone.traffic).toEqual(s.traffic);
    expect(clone.rng).toEqual(s.rng);
  });
});

describe('traffic memo (incremental ticks)', () => {
  it('reacts at once to changes no EndpointSlice shows: an image profile edited in place, a kubelet dying', () => {
    const s = createSim(shopInput());
    stepN(s, 10); // memo warm
    expect(s.traffic['default/api']!.errorRate).toBeLessThan(0.001);
    s.images['shop/api:v2.0.0']!.errorRate = 0.5;
    step(s);
    expect(s.traffic['default/api']!.errorRate).toBeCloseTo(0.5 + 0.5 * 0.0001, 6);
    s.images['shop/api:v2.0.0']!.errorRate = 0.0001;
    step(s);
    expect(s.traffic['default/api']!.errorRate).toBeLessThan(0.001);
    // The frontend pods on node-b are black holes as soon as its kubelet stops (still ready endpoints).
    const onB = podsOf(s, 'frontend').filter((p) => p.spec.nodeName === 'node-b').length;
    expect(onB).toBeGreaterThan(0);
    s.nodes['node-b']!.sim.kubeletUp = false;
    markDirty(s, 'nodes', 'node-b');
    step(s);
    const fe = s.traffic['default/frontend']!;
    expect(fe.readyEndpoints).toBe(3);
    expect(fe.errorRate).toBeGreaterThanOrEqual(onB / 3);
    // Once the node lifecycle controller marks the node NotReady (50 s grace) its endpoints leave.
    stepN(s, 60);
    expect(s.traffic['default/frontend']!.readyEndpoints).toBe(3 - onB);
    expect(s.traffic['default/frontend']!.errorRate).toBeLessThan(0.01);
  });

  it('a state round-tripped through JSON (or cloned every tick: fresh memo) continues with the same hash through traffic-affecting changes', () => {
    const input = shopInput({ durationSeconds: 400, incidents: [{ ...memoryLeakIncident, at: 30 }, { ...etcdIncident, at: 100 }] });
    const a = createSim(input);
    stepN(a, 20); // the original keeps its warm memo throughout
    const copies: SimState[] = [JSON.parse(canonicalJson(a)) as SimState];
    const drive = (s: SimState) => {
      const t = s.tick;
      if (t === 25) s.images['shop/api:v2.0.0']!.errorRate = 0.25;
      if (t === 40) {
        s.nodes['node-b']!.sim.kubeletUp = false;
        markDirty(s, 'nodes', 'node-b');
      }
      if (t === 50) applyAction(s, 'p', { type: 'scaleDeployment', deployment: 'frontend', replicas: 5 });
      if (t === 60) s.images['shop/db:v1.0.0']!.latencyMs = 350;
      if (t === 130) {
        s.nodes['node-b']!.sim.kubeletUp = true;
        markDirty(s, 'nodes', 'node-b');
      }
      if (t === 160) applyAction(s, 'p', { type: 'restoreEtcdMember', member: 'etcd-1' });
    };
    // A third state never keeps a memo: it is cloned before every tick (structuredClone keeps key order).
    let fresh = structuredClone(a);
    let outageTicks = 0;
    for (let t = 0; t < 280; t++) {
      if (a.tick === 115) copies.push(JSON.parse(canonicalJson(a)) as SimState); // mid-outage, pods changing underneath
      fresh = structuredClone(fresh);
      for (const s of [a, fresh, ...copies]) {
        drive(s);
        step(s);
      }
      if (!apiWritable(a)) outageTicks++;
      for (const c of [fresh, ...copies]) expect(stateHash(c), `tick ${a.tick}`).toBe(stateHash(a));
    }
    // the run did exercise what the memo must notice
    expect(outageTicks).toBeGreaterThan(30);
    expect(Object.values(a.pods).some((p) => p.status.containerStatuses.some((c) => c.lastState.terminated?.reason === 'OOMKilled'))).toBe(true);
    expect(a.events.some((e) => e.reason === 'NodeNotReady')).toBe(true);
    expect(copies).toHaveLength(2);
  });
});

describe('latency distribution', () => {
  it('one lognormal component returns its own p50/p99 and tail', () => {
    const c = [{ weight: 1, p50Ms: 100, p99Ms: 300 }];
    expect(mixtureQuantile(c, 0.5)).toBe(100);
    expect(mixtureQuantile(c, 0.99)).toBe(300);
    expect(tailShare(c, 300)).toBeCloseTo(0.01, 4);
    expect(tailShare(c, 100)).toBeCloseTo(0.5, 6);
  });
  it('a mixture with 30 % slow requests puts ~30 % over a threshold between the two', () => {
    const c = [
      { weight: 0.7, p50Ms: 20, p99Ms: 60 },
      { weight: 0.3, p50Ms: 800, p99Ms: 2400 },
    ];
    expect(tailShare(c, 300)).toBeCloseTo(0.3, 1);
    expect(mixtureQuantile(c, 0.5)).toBeLessThan(60);
    expect(mixtureQuantile(c, 0.99)).toBeGreaterThan(800);
  });
});
