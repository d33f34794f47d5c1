/**
 * `replica-scale` (LitmusChaos pod-autoscaler): the shop's frontend (test/sim/game-fixtures.ts: three
 * 4-CPU Nodes, every Pod requesting 100m CPU) is scaled from 3 to 150 replicas for 120 sim s. What fits
 * runs; the rest stay Pending with FailedScheduling "Insufficient cpu"; the deployment-controller (not a
 * player) records ScalingReplicaSet; after the window it scales back to 3, the Pending Pods go away and
 * the SLI is intact. A scale-out the cluster absorbs is mitigated at once and still reverted on time.
 * Times are sim seconds (tickSeconds 1).
 */
import { describe, it, expect } from 'vitest';
import { createSim } from '../../shared/sim/index.ts';
import { feedRows } from './fixtures.ts';
import type { SimState } from '../../shared/sim/types.ts';
import { incidentCatalog, injectIncident } from '../../shared/sim/incidents/index.ts';
import { parseScenario } from '../../shared/scenario/parse.ts';
import { MINIMAL_SCENARIO } from '../scenario/helpers.ts';
import { checkInvariants } from './invariants.ts';
import { podsOf, shopInput, stepN, typeCommand } from './game-fixtures.ts';

const AT = 30;

/** An SLI (good / valid requests of the user-facing Service) over the next `n` ticks. */
function sliOver(s: SimState, sli: 'availability' | 'latency', n: number): number {
  const { good, valid } = s.slos[sli];
  stepN(s, n);
  const dv = s.slos[sli].valid - valid;
  return dv === 0 ? 1 : (s.slos[sli].good - good) / dv;
}

const pending = (s: SimState) => podsOf(s, 'frontend').filter((p) => p.status.phase === 'Pending' && p.metadata.deletionTimestamp === undefined);

describe('incident replica-scale', () => {
  it('is in the catalog with its symptoms and remediations; a scenario type with its defaults', () => {
    const e = incidentCatalog().find((x) => x.kind === 'replica-scale')!;
    expect(e.title).toBe('<deployment> scaled out by a chaos experiment');
    expect(e.symptoms.join('\n')).toMatch(/FailedScheduling "0\/3 nodes are available: 3 Insufficient cpu\."/);
    expect(e.remediations.map((r) => r.command)).toEqual(['kubectl scale deployment/<deployment> --replicas=<n>', 'kubectl uncordon <node>']);
    expect(e.params).toMatchObject({ properties: { replicas: { default: 5 }, durationSeconds: { default: 60 } } });
    const y = `${MINIMAL_SCENARIO}incidents:\n  - { id: s, type: replica-scale, at: 20, target: web }\n`;
    expect(parseScenario(y).incidents[0]!.params).toEqual({ replicas: 5, durationSeconds: 60 });
  });

  it('what does not fit stays Pending (FailedScheduling Insufficient cpu); scaled back after the window, SLI intact', () => {
    const s = createSim(shopInput({ incidents: [{ id: 'scale', type: 'replica-scale', at: AT, target: 'frontend', params: { replicas: 150, durationSeconds: 120 } }] }));
    expect(sliOver(s, 'availability', AT + 1)).toBeGreaterThan(0.998);
    const inc = s.incidents[0]!;
    expect(inc.status).toBe('active');
    expect(inc.data).toMatchObject({ originalReplicas: 3, replicas: 150, endsAt: AT + 120 });
    const scaled = s.events.filter((e) => e.reason === 'ScalingReplicaSet' && e.object.name === 'frontend');
    expect(scaled.map((e) => [e.source, e.message])).toEqual([['deployment-controller', expect.stringMatching(/^Scaled up replica set frontend-\S+ from 3 to 150$/)]]);
    stepN(s, 30);
    const row = typeCommand(s, 'kubectl get deploy frontend').split('\n')[1]!;
    const m = /^frontend\s+(\d+)\/150\s+150\s+(\d+)\s/.exec(row);
    expect(m, row).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThan(3);
    expect(Number(m![1])).toBeLessThan(150);
    const stuck = pending(s);
    expect(stuck.length).toBe(150 - Number(m![1]));
    expect(typeCommand(s, `kubectl describe pod ${stuck[0]!.metadata.name}`)).toMatch(/Warning\s+FailedScheduling\s+\S+\s+default-scheduler\s+0\/3 nodes are available: 3 Insufficient cpu\./);
    expect(inc.status).toBe('active');
    expect(sliOver(s, 'availability', 30)).toBeGreaterThan(0.998); // Pending Pods take no CPU: the frontend serves
    stepN(s, AT + 120 - s.t);
    expect(inc.data['ended']).toBe(true);
    expect(s.deployments['default/frontend']!.spec.replicas).toBe(3);
    expect(feedRows(s).some((e) => e.reason === 'ChaosRecovered' && e.message === 'Chaos window over: scaled back to 3 replicas')).toBe(true);
    stepN(s, 30);
    expect(s.events.filter((e) => e.reason === 'ScalingReplicaSet' && e.object.name === 'frontend').at(-1)!.message).toMatch(/^Scaled down replica set frontend-\S+ from 150 to 3$/);
    expect(pending(s)).toEqual([]);
    expect(typeCommand(s, 'kubectl get deploy frontend').split('\n')[1]).toMatch(/^frontend\s+3\/3\s+3\s+3\s/);
    expect(inc.status).toBe('mitigated');
    expect(inc.mitigatedAt).toBeGreaterThanOrEqual(AT + 120);
    expect(sliOver(s, 'availability', 60)).toBeGreaterThan(0.998);
    expect(sliOver(s, 'latency', 60)).toBeGreaterThan(0.99);
    expect(checkInvariants(s)).toEqual([]);
  });

  it('a player scaling it back mitigates it before the window ends; the revert still comes on schedule', () => {
    const s = createSim(shopInput({ incidents: [{ id: 'scale', type: 'replica-scale', at: AT, target: 'frontend', params: { replicas: 150, durationSeconds: 120 } }] }));
    stepN(s, AT + 20);
    const inc = s.incidents[0]!;
    expect(pending(s).length).toBeGreaterThan(0);
    expect(typeCommand(s, 'kubectl scale deployment/frontend --replicas=3')).toBe('deployment.apps/frontend scaled');
    stepN(s, 20);
    expect(pending(s)).toEqual([]);
    expect(inc.status).toBe('mitigated');
    expect(inc.mitigatedAt!).toBeLessThan(AT + 120);
    stepN(s, AT + 121 - s.t);
    expect(inc.data['ended']).toBe(true);
    expect(s.deployments['default/frontend']!.spec.replicas).toBe(3);
  });

  it('a scale-out the cluster absorbs is mitigated once every replica is ready, and reverted on schedule (runtime injection)', () => {
    const s = createSim(shopInput());
    stepN(s, AT);
    expect(injectIncident(s, { id: 'fits', type: 'replica-scale', at: s.t, target: 'frontend', params: { replicas: 6, durationSeconds: 90 } })).toMatchObject({ ok: true });
    const inc = s.incidents.find((i) => i.spec.id === 'fits')!;
    stepN(s, 30);
    expect(inc.status).toBe('mitigated');
    expect(typeof inc.data['allReadyAt']).toBe('number');
    expect(s.deployments['default/frontend']!.spec.replicas).toBe(6);
    stepN(s, 70);
    expect(s.deployments['default/frontend']!.spec.replicas).toBe(3);
    expect(inc.data['ended']).toBe(true);
    expect(injectIncident(s, { id: 'nope', type: 'replica-scale', at: s.t, target: 'nope', params: {} })).toMatchObject({ ok: false, error: 'deployment nope not found' });
    expect(injectIncident(s, { id: 'bad', type: 'replica-scale', at: s.t, target: 'frontend', params: { replicas: 0 } })).toMatchObject({ ok: false, error: expect.stringMatching(/replicas: must be at least 1/) });
  });
});
