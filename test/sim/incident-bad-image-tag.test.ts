/**
 * `bad-image-tag`: the pipeline rolls the shop's frontend (test/sim/game-fixtures.ts, three replicas) to
 * a tag the registry does not have. The new pods sit in ErrImagePull / ImagePullBackOff (re-pulled 10 s,
 * 20 s, 40 s after each failure), the rollout stalls; with the default strategy the old ReplicaSet keeps
 * serving, with maxUnavailable 1 capacity drops and the frontend saturates. `kubectl rollout undo`
 * heals it. Times are sim seconds (tickSeconds 1).
 */
import { describe, it, expect } from 'vitest';
import { createSim } from '../../shared/sim/index.ts';
import type { SimState } from '../../shared/sim/types.ts';
import { incidentCatalog } from '../../shared/sim/incidents/index.ts';
import { checkInvariants } from './invariants.ts';
import { podsOf, shopInput, stepN, typeCommand } from './game-fixtures.ts';

const AT = 30;

function sim(opts: { rps?: number; maxUnavailable?: number } = {}): SimState {
  const input = shopInput({ rps: opts.rps ?? 200, incidents: [{ id: 'tag', type: 'bad-image-tag', at: AT, target: 'frontend', params: {} }] });
  if (opts.maxUnavailable !== undefined) input.deployments[0]!.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: opts.maxUnavailable } };
  return createSim(input);
}

/** Availability SLI (good / valid requests of the user-facing Service) over the next `n` ticks. */
function availabilityOver(s: SimState, n: number): number {
  const { good, valid } = s.slos.availability;
  stepN(s, n);
  const dv = s.slos.availability.valid - valid;
  return dv === 0 ? 1 : (s.slos.availability.good - good) / dv;
}

/** Steps until `cond` holds; the sim second it held, or null within `max` seconds. */
function until(s: SimState, cond: () => boolean, max: number): number | null {
  for (let i = 0; i < max; i++) {
    stepN(s, 1);
    if (cond()) return s.t;
  }
  return null;
}

describe('incident bad-image-tag', () => {
  it('is in the catalog with its symptoms and console remediations', () => {
    const e = incidentCatalog().find((x) => x.kind === 'bad-image-tag')!;
    expect(e.title).toBe('Rollout of <deployment> to a missing image tag');
    expect(e.symptoms.join('\n')).toMatch(/ImagePullBackOff/);
    expect(e.remediations.map((r) => r.command)).toContain('kubectl rollout undo deployment/<deployment>');
  });

  it('new pods ErrImagePull then ImagePullBackOff, re-pulled 10 s / 20 s / 40 s after each failure; the old ReplicaSet keeps serving', () => {
    const s = sim();
    stepN(s, AT);
    const inc = s.incidents[0]!;
    expect(inc.status).toBe('active');
    expect(inc.data['badImage']).toBe('shop/frontend:v1.4.3');
    stepN(s, 100);
    const bad = podsOf(s, 'frontend').filter((p) => p.spec.containers[0]!.image === 'shop/frontend:v1.4.3');
    expect(bad).toHaveLength(1); // maxSurge 25 % of 3 = 1, maxUnavailable 25 % of 3 = 0: stalled at one new pod
    const name = bad[0]!.metadata.name;
    const table = typeCommand(s, 'kubectl get pods -l app=frontend');
    expect(table.split('\n').find((l) => l.startsWith(name))).toMatch(/0\/1\s+(ErrImagePull|ImagePullBackOff)\s+0\s/);
    expect(table.split('\n').filter((l) => /1\/1\s+Running/.test(l))).toHaveLength(3);
    const failures = s.events.filter((e) => e.object.name === name && e.reason === 'Failed' && e.message === 'Error: ErrImagePull').map((e) => e.t);
    // Each re-pull starts after the back-off (10 s doubling) and fails 1 s later.
    expect(failures.slice(1).map((t, i) => t - failures[i]!)).toEqual([11, 21, 41].slice(0, failures.length - 1));
    expect(failures.length).toBeGreaterThanOrEqual(3);
    expect(s.events.some((e) => e.object.name === name && e.reason === 'Failed' && /rpc error: code = NotFound .*not found$/.test(e.message))).toBe(true);
    expect(s.events.some((e) => e.object.name === name && e.reason === 'BackOff' && e.message === 'Back-off pulling image "shop/frontend:v1.4.3"')).toBe(true);
    expect(typeCommand(s, 'kubectl rollout status deployment/frontend')).toMatch(/Waiting for deployment "frontend" rollout to finish: 1 out of 3 new replicas have been updated/);
    expect(availabilityOver(s, 5)).toBeGreaterThan(0.999); // no user impact: capacity is intact
    expect(inc.status).toBe('active');
    expect(typeCommand(s, 'kubectl set image deployment/frontend frontend=shop/frontend:v1.4.2')).toMatch(/image updated/);
    const healedAt = until(s, () => inc.status === 'mitigated', 60);
    expect(healedAt).not.toBeNull();
    expect(healedAt! - (AT + 100)).toBeLessThanOrEqual(10);
    expect(podsOf(s, 'frontend').filter((p) => p.status.phase !== 'Failed' && p.metadata.deletionTimestamp === undefined).every((p) => p.spec.containers[0]!.image === 'shop/frontend:v1.4.2')).toBe(true);
  });

  it('with maxUnavailable 1 capacity drops to two pods and errors climb; rollout undo restores the SLI', () => {
    const s = sim({ rps: 600, maxUnavailable: 1 });
    expect(availabilityOver(s, AT - 1)).toBeGreaterThan(0.999);
    stepN(s, 10);
    const inc = s.incidents[0]!;
    expect(inc.status).toBe('active');
    // Two old pods left serving 600 requests/s (about 250 each at most): the excess fails.
    expect(podsOf(s, 'frontend').filter((p) => p.sim.ready)).toHaveLength(2);
    expect(availabilityOver(s, 10)).toBeLessThan(0.9);
    expect(s.traffic[s.userFacingService]!.errorRate).toBeGreaterThan(0.1);
    expect(typeCommand(s, 'kubectl rollout undo deployment/frontend')).toMatch(/rolled back/);
    const undoneAt = s.t;
    const healedAt = until(s, () => inc.status === 'mitigated', 60);
    expect(healedAt).not.toBeNull();
    expect(healedAt! - undoneAt).toBeLessThanOrEqual(10); // one replacement pod: pulled (2-5 s) and Ready
    expect(availabilityOver(s, 10)).toBeGreaterThan(0.999);
    expect(podsOf(s, 'frontend').filter((p) => p.sim.ready)).toHaveLength(3);
    expect(checkInvariants(s)).toEqual([]);
  });
});
