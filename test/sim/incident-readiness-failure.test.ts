/**
 * `readiness-failure`: the pipeline rolls the shop's frontend (test/sim/game-fixtures.ts, three
 * replicas, no readiness probe) to a version whose pods never pass readiness (the new template adds an
 * httpGet probe on /ready; every probe answers 503). The rollout is stuck at one new pod (maxSurge 1,
 * maxUnavailable 0), the pod stays out of the endpoints, and after progressDeadlineSeconds (600 s) the
 * Deployment reports ProgressDeadlineExceeded. The old pods keep serving. `kubectl rollout undo` heals
 * it. Times are sim seconds (tickSeconds 1).
 */
import { describe, it, expect } from 'vitest';
import { createSim } from '../../shared/sim/index.ts';
import type { SimState } from '../../shared/sim/types.ts';
import { incidentCatalog } from '../../shared/sim/incidents/index.ts';
import { parseScenario } from '../../shared/scenario/parse.ts';
import { MINIMAL_SCENARIO } from '../scenario/helpers.ts';
import { checkInvariants } from './invariants.ts';
import { podsOf, shopInput, stepN, typeCommand } from './game-fixtures.ts';

const AT = 30;

function sim(): SimState {
  return createSim(shopInput({ incidents: [{ id: 'ready', type: 'readiness-failure', at: AT, target: 'frontend', params: {} }] }));
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

describe('incident readiness-failure', () => {
  it('is in the catalog with its symptoms and console remediation; a scenario type with its defaults', () => {
    const e = incidentCatalog().find((x) => x.kind === 'readiness-failure')!;
    expect(e.title).toBe('Rollout of <deployment> stuck: new pods fail readiness');
    expect(e.symptoms.join('\n')).toMatch(/ProgressDeadlineExceeded/);
    expect(e.remediations[0]!.command).toBe('kubectl rollout undo deployment/<deployment>');
    const y = `${MINIMAL_SCENARIO}incidents:\n  - { id: r, type: readiness-failure, at: 20, target: web }\n`;
    expect(parseScenario(y).incidents[0]!.params).toEqual({ path: '/ready' });
  });

  it('new pod 0/1 Running out of the endpoints, rollout stuck, ProgressDeadlineExceeded after 600 s; rollout undo heals', () => {
    const s = sim();
    expect(availabilityOver(s, AT)).toBeGreaterThan(0.999);
    const inc = s.incidents[0]!;
    expect(inc.status).toBe('active');
    expect(inc.data['badImage']).toBe('shop/frontend:v1.4.3');
    stepN(s, 60);
    const bad = podsOf(s, 'frontend').filter((p) => p.spec.containers[0]!.image === 'shop/frontend:v1.4.3');
    expect(bad).toHaveLength(1); // maxSurge 25 % of 3 = 1, maxUnavailable 0: stuck at one new pod
    const name = bad[0]!.metadata.name;
    expect(bad[0]!.spec.containers[0]!.readinessProbe?.httpGet).toEqual({ path: '/ready', port: 8080 });
    const table = typeCommand(s, 'kubectl get pods -l app=frontend');
    expect(table.split('\n').find((l) => l.startsWith(name))).toMatch(/0\/1\s+Running\s+0\s/);
    expect(table.split('\n').filter((l) => /1\/1\s+Running/.test(l))).toHaveLength(3);
    expect(s.events.some((e) => e.object.name === name && e.reason === 'Unhealthy' && e.message === 'Readiness probe failed: HTTP probe failed with statuscode: 503')).toBe(true);
    expect(typeCommand(s, `kubectl describe pod ${name}`)).toMatch(/Readiness:\s+http-get/);
    // Readiness decides EndpointSlice membership: the new pod is listed not ready.
    expect(typeCommand(s, 'kubectl get endpoints frontend').split('\n')[1]!.split(/\s+/)[1]!.split(',')).toHaveLength(3);
    expect(typeCommand(s, 'kubectl rollout status deployment/frontend')).toMatch(/^Waiting for deployment "frontend" rollout to finish: 1 out of 3 new replicas have been updated\.\.\./);
    expect(availabilityOver(s, 30)).toBeGreaterThan(0.999); // the old pods keep serving
    // No progress for progressDeadlineSeconds (600 s) after the rollout started.
    stepN(s, 600 - 60 - 30 + 5);
    expect(typeCommand(s, 'kubectl rollout status deployment/frontend')).toBe('error: deployment "frontend" exceeded its progress deadline');
    expect(typeCommand(s, 'kubectl describe deployment frontend')).toMatch(/Progressing\s+False\s+ProgressDeadlineExceeded/);
    expect(inc.status).toBe('active');
    expect(typeCommand(s, 'kubectl rollout undo deployment/frontend')).toMatch(/rolled back/);
    const undoneAt = s.t;
    const healedAt = until(s, () => inc.status === 'mitigated', 60);
    expect(healedAt).not.toBeNull();
    expect(healedAt! - undoneAt).toBeLessThanOrEqual(20);
    expect(availabilityOver(s, 60)).toBeGreaterThan(0.998); // the baseline (three tiers at 0.01 % errors each)
    expect(typeCommand(s, 'kubectl rollout status deployment/frontend')).toBe('deployment "frontend" successfully rolled out');
    expect(checkInvariants(s)).toEqual([]);
  });
});
