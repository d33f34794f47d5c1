/**
 * `node-pid-pressure` on node-a of the shop (test/sim/game-fixtures.ts): a Pod fork-bombs (500
 * processes a sim second) until `pid.available` is under 10 % of pid_max 32768 (3276): PIDPressure and
 * its NoSchedule taint, the Pod with the most processes evicted first (rankPIDPressure: priority, then
 * processes), the 300 s pressure transition period. Times are sim seconds (tickSeconds 1).
 */
import { describe, it, expect } from 'vitest';
import { createSim } from '../../shared/sim/index.ts';
import type { IncidentSpec, SimState } from '../../shared/sim/types.ts';
import { incidentCatalog } from '../../shared/sim/incidents/index.ts';
import { checkInvariants } from './invariants.ts';
import { shopInput, stepN, typeCommand } from './game-fixtures.ts';

const AT = 30;

function sim(params: IncidentSpec['params'] = {}, priorityOf?: Record<string, number>): SimState {
  const input = shopInput({ rps: 600, incidents: [{ id: 'pid', type: 'node-pid-pressure', at: AT, target: 'node-a', params }] });
  // The Priority admission refuses a bare spec.priority: each comes from a class.
  for (const d of input.deployments) {
    const p = priorityOf?.[d.metadata.name];
    if (p === undefined) continue;
    d.spec.template.spec.priority = p;
    d.spec.template.spec.priorityClassName = `prio-${d.metadata.name}`;
    (input.priorityClasses ??= []).push({ name: `prio-${d.metadata.name}`, value: p });
  }
  return createSim(input);
}

const evictions = (s: SimState) => s.events.filter((e) => e.reason === 'Evicted');
const condition = (s: SimState) => s.nodes['node-a']!.status.conditions.find((c) => c.type === 'PIDPressure')!;
const tainted = (s: SimState) => s.nodes['node-a']!.spec.taints.some((t) => t.key === 'node.kubernetes.io/pid-pressure' && t.effect === 'NoSchedule');

describe('incident node-pid-pressure', () => {
  it('is in the catalog with its symptoms and remediations', () => {
    const e = incidentCatalog().find((x) => x.kind === 'node-pid-pressure')!;
    expect(e.symptoms.join('\n')).toMatch(/PIDPressure True/);
    expect(e.remediations.map((r) => r.command)).toContain('kubectl delete pod <pod>');
  });

  it('PIDPressure and its taint about a minute in, the forking Pod evicted first (most processes), cleared 300 s after', () => {
    const s = sim();
    stepN(s, AT);
    const inc = s.incidents[0]!;
    expect(inc.status).toBe('active');
    const forker = inc.data['forker'] as string;
    expect(condition(s).status).toBe('False');
    // 32768 - 200 system - 10 per Pod - 500/s: under 3276 after ~59 s; the housekeeping at AT + 60 sees it.
    stepN(s, 59);
    expect(condition(s).status).toBe('False');
    expect(evictions(s)).toHaveLength(0);
    stepN(s, 1);
    expect(condition(s)).toMatchObject({ status: 'True', reason: 'KubeletHasInsufficientPID', message: 'kubelet has insufficient PID available', lastTransitionTime: AT + 60 });
    expect(tainted(s)).toBe(true);
    expect(s.events.some((e) => e.reason === 'NodeHasInsufficientPID' && e.message === 'Node node-a status is now: NodeHasInsufficientPID')).toBe(true);
    expect(s.events.find((e) => e.reason === 'EvictionThresholdMet')!.message).toBe('Attempting to reclaim pids');
    const ev = evictions(s);
    expect(ev.map((e) => `default/${e.object.name}`)).toEqual([forker]);
    expect(ev[0]!.message).toMatch(/^The node was low on resource: pids\. Threshold quantity: 3276, available: \d+k?\. $/);
    expect(s.pods[forker]!.status).toMatchObject({ phase: 'Failed', reason: 'Evicted' });
    expect(typeCommand(s, 'kubectl describe node node-a')).toMatch(/PIDPressure\s+True\s.*KubeletHasInsufficientPID/);
    stepN(s, 30);
    expect(evictions(s)).toHaveLength(1); // the processes went with the forking Pod
    expect(inc.status).toBe('mitigated');
    stepN(s, AT + 60 + 299 - s.t);
    expect(condition(s).status).toBe('True');
    stepN(s, 1);
    expect(condition(s)).toMatchObject({ status: 'False', reason: 'KubeletHasSufficientPID', lastTransitionTime: AT + 360 });
    expect(tainted(s)).toBe(false);
    expect(s.nodePressure).toBeUndefined();
    expect(checkInvariants(s)).toEqual([]);
  });

  it('ranking as rankPIDPressure: a lower-priority Pod goes before the forking one; deleting the forker in time avoids evictions', () => {
    const s = sim({}, { frontend: 1000, api: 1000, db: 1000 });
    stepN(s, AT);
    const forker = s.incidents[0]!.data['forker'] as string;
    const forkerApp = s.pods[forker]!.metadata.labels['app']!;
    const s2 = sim({}, { frontend: forkerApp === 'frontend' ? 1000 : 0, api: forkerApp === 'api' ? 1000 : 0, db: forkerApp === 'db' ? 1000 : 0 });
    stepN(s2, AT + 60);
    const ev = evictions(s2);
    expect(ev).toHaveLength(1);
    expect(`default/${ev[0]!.object.name}`).not.toBe(forker);
    expect(s2.pods[`default/${ev[0]!.object.name}`]!.spec.priority ?? 0).toBe(0);
    // A player who deletes the forking Pod before the threshold: no PIDPressure at all.
    stepN(s, 20);
    expect(typeCommand(s, `kubectl delete pod ${forker.split('/')[1]}`)).toMatch(/deleted/);
    stepN(s, 100);
    expect(condition(s).status).toBe('False');
    expect(evictions(s)).toHaveLength(0);
    expect(s.incidents[0]!.status).toBe('mitigated');
  });
});
