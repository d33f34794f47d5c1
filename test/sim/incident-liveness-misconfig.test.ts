/**
 * `liveness-misconfig`: the pipeline rolls the shop's frontend (test/sim/game-fixtures.ts, three
 * replicas, port 8080) to a template whose livenessProbe targets port 8081. The rollout completes
 * (the pods turn Ready), then every pod is killed 30 s into each life (3 refused probes 10 s apart) and
 * restarted with the crash-loop back-off: the frontend spends longer and longer with no endpoint and
 * the availability SLI collapses. `kubectl rollout undo` heals it. Times are sim seconds (tickSeconds 1).
 */
import { describe, it, expect } from 'vitest';
import { createSim } from '../../shared/sim/index.ts';
import type { SimState } from '../../shared/sim/types.ts';
import { incidentCatalog } from '../../shared/sim/incidents/index.ts';
import { checkInvariants } from './invariants.ts';
import { podsOf, shopInput, stepN, typeCommand } from './game-fixtures.ts';

const AT = 30;

function sim(): SimState {
  return createSim(shopInput({ incidents: [{ id: 'live', type: 'liveness-misconfig', at: AT, target: 'frontend', params: {} }] }));
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

describe('incident liveness-misconfig', () => {
  it('is in the catalog with its symptoms and console remediation', () => {
    const e = incidentCatalog().find((x) => x.kind === 'liveness-misconfig')!;
    expect(e.symptoms.join('\n')).toMatch(/CrashLoopBackOff/);
    expect(e.remediations[0]!.command).toBe('kubectl rollout undo deployment/<deployment>');
  });

  it('refused probes kill every pod 30 s into each life (Unhealthy x3, Killing, CrashLoopBackOff); rollout undo restores the SLI', () => {
    const s = sim();
    expect(availabilityOver(s, AT)).toBeGreaterThan(0.999);
    const inc = s.incidents[0]!;
    expect(inc.status).toBe('active');
    expect(inc.data['port']).toBe(8081);
    stepN(s, 20);
    // The rollout completed: three new pods, Ready, with the probe on 8081.
    const pods = podsOf(s, 'frontend').filter((p) => p.metadata.deletionTimestamp === undefined);
    expect(pods).toHaveLength(3);
    for (const p of pods) expect(p.spec.containers[0]!.livenessProbe?.httpGet).toEqual({ path: '/healthz', port: 8081 });
    const first = pods[0]!.metadata.name;
    const startedAt = s.events.find((e) => e.object.name === first && e.reason === 'Started')!.t;
    stepN(s, 250);
    const unhealthy = s.events.filter((e) => e.object.name === first && e.reason === 'Unhealthy');
    expect(unhealthy[0]!.t).toBe(startedAt + 10); // periodSeconds 10, no initial delay
    expect(unhealthy[0]!.message).toMatch(/^Liveness probe failed: Get "http:\/\/[\d.]+:8081\/healthz": dial tcp [\d.]+:8081: connect: connection refused$/);
    const killing = s.events.filter((e) => e.object.name === first && e.reason === 'Killing');
    expect(killing[0]!.t).toBe(startedAt + 30); // failureThreshold 3
    expect(killing[0]!.message).toBe('Container frontend failed liveness probe, will be restarted');
    expect(s.events.some((e) => e.object.name === first && e.reason === 'BackOff' && /^Back-off restarting failed container frontend/.test(e.message))).toBe(true);
    const table = typeCommand(s, 'kubectl get pods -l app=frontend');
    expect(table).toMatch(/CrashLoopBackOff\s+[3-9] \(\d+s ago\)/);
    expect(typeCommand(s, `kubectl describe pod ${first}`)).toMatch(/Exit Code:\s+137/);
    // Longer and longer stretches without a frontend endpoint.
    expect(availabilityOver(s, 60)).toBeLessThan(0.5);
    expect(inc.status).toBe('active');
    expect(typeCommand(s, 'kubectl rollout undo deployment/frontend')).toMatch(/rolled back/);
    const undoneAt = s.t;
    const healedAt = until(s, () => inc.status === 'mitigated', 120);
    expect(healedAt).not.toBeNull();
    expect(healedAt! - undoneAt).toBeLessThanOrEqual(30); // three fresh pods, one surge at a time
    expect(availabilityOver(s, 10)).toBeGreaterThan(0.999);
    expect(availabilityOver(s, 60)).toBeGreaterThan(0.999); // and no more kills
    expect(checkInvariants(s)).toEqual([]);
  });
});
