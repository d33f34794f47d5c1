/**
 * `missing-config`: the pipeline rolls the shop's api (test/sim/game-fixtures.ts, three replicas) to a
 * template whose container takes `envFrom` a ConfigMap that does not exist. The new pods stay
 * CreateContainerConfigError (retried every 10 s), the rollout stalls; with maxUnavailable 1 the api
 * loses a third of its capacity and the shop fails requests. `kubectl rollout undo` heals it. Times
 * are sim seconds (tickSeconds 1).
 */
import { describe, it, expect } from 'vitest';
import { createSim } from '../../shared/sim/index.ts';
import type { IncidentSpec, SimState } from '../../shared/sim/types.ts';
import { incidentCatalog } from '../../shared/sim/incidents/index.ts';
import { parseScenario } from '../../shared/scenario/parse.ts';
import { MINIMAL_SCENARIO } from '../scenario/helpers.ts';
import { checkInvariants } from './invariants.ts';
import { podsOf, shopInput, stepN, typeCommand } from './game-fixtures.ts';

const AT = 30;

function sim(opts: { rps?: number; maxUnavailable?: number; params?: IncidentSpec['params'] } = {}): SimState {
  const input = shopInput({ rps: opts.rps ?? 200, incidents: [{ id: 'cfg', type: 'missing-config', at: AT, target: 'api', params: opts.params ?? {} }] });
  if (opts.maxUnavailable !== undefined) input.deployments[1]!.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: opts.maxUnavailable } };
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

const referencing = (s: SimState) => podsOf(s, 'api').filter((p) => (p.spec.containers[0]!.envFrom ?? []).length > 0 && p.metadata.deletionTimestamp === undefined);

describe('incident missing-config', () => {
  it('is in the catalog and a scenario incident type with its defaults', () => {
    const e = incidentCatalog().find((x) => x.kind === 'missing-config')!;
    expect(e.symptoms.join('\n')).toMatch(/CreateContainerConfigError/);
    expect(e.remediations.map((r) => r.command)).toEqual(['kubectl rollout undo deployment/<deployment>', 'kubectl create configmap <name> --from-literal=KEY=VALUE']);
    const y = `${MINIMAL_SCENARIO}incidents:\n  - { id: cfg, type: missing-config, at: 20, target: web, params: { name: web-env } }\n`;
    expect(parseScenario(y).incidents[0]!.params).toEqual({ name: 'web-env', source: 'ConfigMap' });
  });

  it('new pods CreateContainerConfigError (retried every 10 s), the rollout stalls; rollout undo heals it', () => {
    const s = sim();
    stepN(s, AT + 40);
    const inc = s.incidents[0]!;
    expect(inc.status).toBe('active');
    const stuck = referencing(s);
    expect(stuck).toHaveLength(1); // maxSurge 1, maxUnavailable 0: stalled at one new pod
    const name = stuck[0]!.metadata.name;
    expect(stuck[0]!.spec.containers[0]!.envFrom).toEqual([{ configMapRef: { name: 'api-config' } }]);
    expect(typeCommand(s, 'kubectl get pods -l app=api').split('\n').find((l) => l.startsWith(name))).toMatch(/0\/1\s+CreateContainerConfigError\s+0\s/);
    const failed = s.events.filter((e) => e.object.name === name && e.reason === 'Failed' && e.message === 'Error: configmap "api-config" not found').map((e) => e.t);
    expect(failed.length).toBeGreaterThanOrEqual(3);
    expect(failed.slice(1).map((t, i) => t - failed[i]!)).toEqual(failed.slice(1).map(() => 10));
    expect(typeCommand(s, `kubectl describe pod ${name}`)).toMatch(/configmap "api-config" not found/);
    expect(typeCommand(s, 'kubectl rollout status deployment/api')).toMatch(/1 out of 3 new replicas have been updated/);
    expect(availabilityOver(s, 5)).toBeGreaterThan(0.999); // the old ReplicaSet serves at full capacity
    expect(typeCommand(s, 'kubectl rollout undo deployment/api')).toMatch(/rolled back/);
    const undoneAt = s.t;
    const healedAt = until(s, () => inc.status === 'mitigated', 60);
    expect(healedAt).not.toBeNull();
    expect(healedAt! - undoneAt).toBeLessThanOrEqual(5);
    expect(referencing(s)).toHaveLength(0);
    expect(checkInvariants(s)).toEqual([]);
  });

  it('with maxUnavailable 1 the api loses capacity and the shop fails requests; rollout undo restores the SLI', () => {
    const s = sim({ rps: 600, maxUnavailable: 1, params: { source: 'Secret', name: 'api-db-credentials' } });
    expect(availabilityOver(s, AT - 1)).toBeGreaterThan(0.999);
    stepN(s, 10);
    const inc = s.incidents[0]!;
    expect(inc.status).toBe('active');
    expect(s.events.some((e) => e.reason === 'Failed' && e.message === 'Error: secret "api-db-credentials" not found')).toBe(true);
    expect(podsOf(s, 'api').filter((p) => p.sim.ready)).toHaveLength(2);
    expect(availabilityOver(s, 10)).toBeLessThan(0.9);
    expect(typeCommand(s, 'kubectl rollout undo deployment/api')).toMatch(/rolled back/);
    const undoneAt = s.t;
    const healedAt = until(s, () => inc.status === 'mitigated', 60);
    expect(healedAt).not.toBeNull();
    expect(healedAt! - undoneAt).toBeLessThanOrEqual(10); // one replacement pod: pulled (2-5 s) and Ready
    expect(availabilityOver(s, 10)).toBeGreaterThan(0.999);
  });
});
