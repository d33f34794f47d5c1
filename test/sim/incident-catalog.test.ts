/**
 * The catalog's newer kinds, each injected into the three-tier shop (test/sim/game-fixtures.ts:
 * frontend -> api -> db, 200 requests/s), remediated through the kubectl console, and seen to heal:
 * pod-kill, traffic-spike, slow-dependency. Times are sim seconds (tickSeconds 1).
 */
import { describe, it, expect } from 'vitest';
import { createSim } from '../../shared/sim/index.ts';
import type { IncidentSpec, SimState } from '../../shared/sim/types.ts';
import { incidentCatalog } from '../../shared/sim/incidents/index.ts';
import { runKubectl } from '../../shared/kubectl/index.ts';
import { parseScenario } from '../../shared/scenario/parse.ts';
import { MINIMAL_SCENARIO, problemsOf } from '../scenario/helpers.ts';
import { podsOf, shopInput, stepN, typeCommand } from './game-fixtures.ts';

function sim(incident: IncidentSpec, rps?: number): SimState {
  return createSim(shopInput({ incidents: [incident], ...(rps !== undefined ? { rps } : {}) }));
}

function userFacing(s: SimState) {
  return s.traffic[s.userFacingService]!;
}

/** Steps until `cond` holds; the sim second it held, or null within `max` seconds. */
function until(s: SimState, cond: () => boolean, max: number): number | null {
  for (let i = 0; i < max; i++) {
    stepN(s, 1);
    if (cond()) return s.t;
  }
  return null;
}

describe('incident catalog', () => {
  it('lists the new kinds with symptoms and console remediations', () => {
    const kinds = incidentCatalog().map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['pod-kill', 'traffic-spike', 'slow-dependency']));
    for (const e of incidentCatalog()) {
      expect(e.symptoms.length).toBeGreaterThan(0);
      for (const r of e.remediations) expect(r.command).toMatch(/^(kubectl|etcdctl|kubeadm|ssh) /);
    }
  });

  it('are scenario incident types with their defaults; bad params name the field', () => {
    const y = `${MINIMAL_SCENARIO}incidents:
  - { id: kill, type: pod-kill, at: 20, target: web }
  - { id: spike, type: traffic-spike, at: 30, target: web, params: { durationSeconds: 60 } }
  - { id: slow, type: slow-dependency, at: 40, target: web }
`;
    expect(parseScenario(y).incidents.map((i) => i.params)).toEqual([{ count: 1, gracePeriodSeconds: 0 }, { factor: 4, durationSeconds: 60, maxErrorRate: 0.01 }, { latencyMs: 400, cpuFactor: 1 }]);
    expect(problemsOf(() => parseScenario(`${MINIMAL_SCENARIO}incidents:\n  - { id: spike, type: traffic-spike, at: 30, target: web, params: { factor: 0.5 } }\n`))).toEqual([
      'incidents[0].params.factor: must be greater than 1 (line 11)',
    ]);
  });

  it('pod-kill: the ReplicaSet recreates the killed pods (RESTARTS 0, new AGE); mitigated once available again', () => {
    const s = sim({ id: 'kill', type: 'pod-kill', at: 60, target: 'api', params: { count: 2 } });
    stepN(s, 59);
    const before = podsOf(s, 'api').map((p) => p.metadata.name);
    expect(before).toHaveLength(3);
    stepN(s, 1);
    const inc = s.incidents[0]!;
    expect(inc.status).toBe('active');
    const killed = inc.data['pods'] as string[];
    expect(killed).toHaveLength(2);
    // The endpoints drop at once: only one api pod is left serving.
    expect(s.traffic['default/api']!.readyEndpoints).toBe(1);
    expect(userFacing(s).p99Ms).toBeGreaterThan(s.slos.latency.thresholdMs); // one api pod carries it all
    expect(s.events.some((e) => e.reason === 'SuccessfulCreate' && e.t === 60)).toBe(true);
    expect(s.events.some((e) => e.reason === 'Killing')).toBe(true);
    // The player checks the rollout and adds headroom.
    expect(typeCommand(s, 'kubectl scale deployment/api --replicas=4')).toMatch(/scaled/);
    const healedAt = until(s, () => inc.status === 'mitigated', 120);
    expect(healedAt).not.toBeNull();
    expect(healedAt! - 60).toBeLessThanOrEqual(30);
    const after = podsOf(s, 'api');
    expect(after.filter((p) => p.sim.ready)).toHaveLength(4);
    for (const k of killed) expect(after.some((p) => `default/${p.metadata.name}` === k)).toBe(false);
    const table = typeCommand(s, 'kubectl get pods -l app=api');
    for (const p of after.filter((p) => !before.includes(p.metadata.name))) {
      const row = table.split('\n').find((l) => l.startsWith(p.metadata.name))!;
      expect(row).toMatch(/1\/1\s+Running\s+0\s+\d+s$/); // new pods: no restarts, seconds old
    }
    expect(s.traffic['default/api']!.readyEndpoints).toBe(4);
  });

  it('traffic-spike: x4 load saturates the shop (timeouts); scaling out every tier absorbs it', () => {
    const s = sim({ id: 'spike', type: 'traffic-spike', at: 30, target: 'frontend', params: {} });
    stepN(s, 29);
    expect(userFacing(s).errorRate).toBeLessThan(0.01);
    stepN(s, 1);
    const inc = s.incidents[0]!;
    expect(inc.status).toBe('active');
    expect(s.ingress[0]!.rps).toBe(800);
    stepN(s, 10);
    // 800 requests/s against 3 x 250 requests/s of frontend and api: the excess times out.
    expect(userFacing(s).errorRate).toBeGreaterThan(0.05);
    expect(inc.status).toBe('active');
    for (const d of ['frontend', 'api', 'db']) expect(typeCommand(s, `kubectl scale deployment/${d} --replicas=10`)).toMatch(/scaled/);
    const healedAt = until(s, () => inc.status === 'mitigated', 180);
    expect(healedAt).not.toBeNull();
    expect(healedAt! - 40).toBeLessThanOrEqual(30);
    expect(userFacing(s).errorRate).toBeLessThan(0.01);
    expect(userFacing(s).p99Ms).toBeLessThanOrEqual(s.slos.latency.thresholdMs);
    expect(s.ingress[0]!.rps).toBe(800); // the load is real: it stays
  });

  it('traffic-spike: a window nobody absorbs ends by itself and restores the load', () => {
    const s = sim({ id: 'spike', type: 'traffic-spike', at: 30, target: 'frontend', params: { factor: 5, durationSeconds: 60 } });
    stepN(s, 40);
    expect(s.ingress[0]!.rps).toBe(1000);
    expect(userFacing(s).errorRate).toBeGreaterThan(0.05);
    stepN(s, 50);
    expect(s.incidents[0]!.status).toBe('mitigated');
    expect(s.incidents[0]!.mitigatedAt).toBe(90);
    expect(s.ingress[0]!.rps).toBe(200);
  });

  it('traffic-spike: refused on a Deployment no ingress enters through', () => {
    const s = sim({ id: 'spike', type: 'traffic-spike', at: 5, target: 'db', params: {} });
    stepN(s, 5);
    expect(s.incidents[0]!.status).toBe('mitigated');
    expect(s.incidents[0]!.data['error']).toMatch(/receives no ingress traffic/);
    expect(s.ingress[0]!.rps).toBe(200);
  });

  it('slow-dependency: a slow api version burns the latency SLI of the frontend; rollout undo of api heals it', () => {
    const s = sim({ id: 'slow', type: 'slow-dependency', at: 30, target: 'api', params: {} });
    stepN(s, 29);
    const baseline = userFacing(s).p99Ms;
    expect(baseline).toBeLessThan(s.slos.latency.thresholdMs);
    const latencyGood = s.slos.latency.good;
    const latencyValid = s.slos.latency.valid;
    stepN(s, 91); // the rollout completes
    const inc = s.incidents[0]!;
    expect(inc.status).toBe('active');
    expect(inc.data['slowImage']).toBe('shop/api:v2.0.1');
    expect(podsOf(s, 'api').filter((p) => p.sim.ready).every((p) => p.spec.containers[0]!.image === 'shop/api:v2.0.1')).toBe(true);
    expect(userFacing(s).p99Ms).toBeGreaterThan(s.slos.latency.thresholdMs);
    expect(userFacing(s).errorRate).toBeLessThan(0.01); // slow, not failing
    // The latency SLI burned: far more slow requests in the window than before.
    const badBefore = latencyValid - latencyGood;
    expect(s.slos.latency.valid - s.slos.latency.good - badBefore).toBeGreaterThan(1000);
    expect(runKubectl(s, 'kubectl rollout history deployment/api').kind).toBe('output');
    expect(typeCommand(s, 'kubectl rollout undo deployment/api')).toMatch(/rolled back/);
    const healedAt = until(s, () => inc.status === 'mitigated', 180);
    expect(healedAt).not.toBeNull();
    expect(healedAt! - 120).toBeLessThanOrEqual(30);
    stepN(s, 5);
    expect(userFacing(s).p99Ms).toBeLessThan(s.slos.latency.thresholdMs);
  });
});
