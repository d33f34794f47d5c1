/**
 * `pdb-drain`: node-a of the shop (test/sim/game-fixtures.ts: three nodes, frontend 3, api 3, db 2) is
 * scheduled for a kernel-patch reboot in 15 minutes; a PodDisruptionBudget on api with minAvailable 3
 * (= its replicas) allows no disruption, so `kubectl drain node-a` evicts everything but the api Pod,
 * which is refused with kubectl's "Cannot evict pod as it would violate the pod's disruption budget."
 * Scaling api up (or patching the budget) and draining again empties the node. Left undrained, the
 * node reboots at the deadline: its pods leave the endpoints after 50 s, then the node comes back.
 * Times are sim seconds (tickSeconds 1).
 */
import { describe, it, expect } from 'vitest';
import { applyAction, createSim } from '../../shared/sim/index.ts';
import type { SimState } from '../../shared/sim/types.ts';
import { incidentCatalog } from '../../shared/sim/incidents/index.ts';
import { runKubectl } from '../../shared/kubectl/index.ts';
import { kubectlEquivalent } from '../../shared/kubectl/equivalent.ts';
import { ActionMessage } from '../../shared/protocol.ts';
import { parseScenario } from '../../shared/scenario/parse.ts';
import { MINIMAL_SCENARIO } from '../scenario/helpers.ts';
import { checkInvariants } from './invariants.ts';
import { shopInput, stepN, typeCommand } from './game-fixtures.ts';

const AT = 30;

function sim(params: Record<string, string | number> = { deployment: 'api' }): SimState {
  return createSim(shopInput({ incidents: [{ id: 'maint', type: 'pdb-drain', at: AT, target: 'node-a', params }] }));
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

function podsOnNode(s: SimState, node: string): string[] {
  return Object.values(s.pods).filter((p) => p.spec.nodeName === node && p.metadata.deletionTimestamp === undefined && p.status.phase !== 'Failed').map((p) => p.metadata.name).sort();
}

describe('incident pdb-drain', () => {
  it('is in the catalog with its symptoms and console remediations; a scenario type with its defaults', () => {
    const e = incidentCatalog().find((x) => x.kind === 'pdb-drain')!;
    expect(e.title).toBe('Node <node> maintenance: drain blocked by a PodDisruptionBudget');
    expect(e.symptoms.join('\n')).toMatch(/Cannot evict pod as it would violate the pod's disruption budget/);
    expect(e.remediations.map((r) => r.command)).toContain('kubectl drain <node> --ignore-daemonsets --delete-emptydir-data');
    const y = `${MINIMAL_SCENARIO}incidents:\n  - { id: m, type: pdb-drain, at: 20, target: node-1 }\n`;
    expect(parseScenario(y).incidents[0]!.params).toEqual({ maintenanceInSeconds: 900, rebootSeconds: 180 });
  });

  it('the budget refuses the drain; scaling the Deployment up lets it through; the SLI holds', () => {
    const s = sim();
    stepN(s, AT);
    const inc = s.incidents[0]!;
    expect(inc.status).toBe('active');
    expect(typeCommand(s, 'kubectl get events --for node/node-a')).toMatch(/MaintenanceScheduled\s+node\/node-a\s+Node node-a will be rebooted for maintenance \(kernel security patch\) in 15m0s: drain it before then/);
    const pdbTable = typeCommand(s, 'kubectl get pdb');
    expect(pdbTable.split('\n')[0]).toMatch(/^NAME\s+MIN AVAILABLE\s+MAX UNAVAILABLE\s+ALLOWED DISRUPTIONS\s+AGE$/);
    expect(pdbTable.split('\n')[1]).toMatch(/^api-pdb\s+3\s+N\/A\s+0\s+/);
    expect(typeCommand(s, 'kubectl describe pdb api-pdb')).toMatch(/Min available:\s+3\nSelector:\s+app=api\nStatus:\n\s+Allowed disruptions:\s+0\n\s+Current:\s+3\n\s+Desired:\s+3\n\s+Total:\s+3\nEvents:/);
    const apiPod = podsOnNode(s, 'node-a').find((n) => n.startsWith('api-'))!;
    expect(apiPod).toBeDefined();
    const drain = typeCommand(s, 'kubectl drain node-a --ignore-daemonsets --delete-emptydir-data');
    expect(drain).toContain(`error when evicting pods/"${apiPod}" -n "default" (will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget.`);
    stepN(s, 30);
    expect(podsOnNode(s, 'node-a')).toEqual([apiPod]); // everything else moved
    expect(inc.status).toBe('active');
    expect(typeCommand(s, 'kubectl scale deployment/api --replicas=4')).toBe('deployment.apps/api scaled');
    expect(until(s, () => typeCommand(s, 'kubectl get pdb api-pdb').split('\n')[1]!.split(/\s+/)[3] === '1', 60)).not.toBeNull();
    const again = typeCommand(s, 'kubectl drain node-a --ignore-daemonsets');
    expect(again).not.toMatch(/error when evicting/);
    expect(again).toContain(`evicting pod default/${apiPod}`);
    const healedAt = until(s, () => inc.status === 'mitigated', 60);
    expect(healedAt).not.toBeNull();
    expect(podsOnNode(s, 'node-a')).toEqual([]);
    expect(availabilityOver(s, 60)).toBeGreaterThan(0.998);
    // The maintenance happens anyway: the drained node reboots at the deadline and comes back, costing nothing.
    expect(availabilityOver(s, AT + 900 - s.t + 1)).toBeGreaterThan(0.998);
    expect(s.events.find((e) => e.reason === 'Rebooting')?.message).toBe('Node node-a is rebooting for maintenance (kernel security patch)');
    expect(availabilityOver(s, 200)).toBeGreaterThan(0.998);
    expect(s.events.some((e) => e.reason === 'Rebooted' && e.object.name === 'node-a')).toBe(true);
    expect(checkInvariants(s)).toEqual([]);
  });

  it('relaxing the budget with kubectl patch pdb lets the drain through; the patch action round-trips', () => {
    const s = sim();
    stepN(s, AT + 5);
    const inc = s.incidents[0]!;
    expect(typeCommand(s, 'kubectl edit pdb api-pdb')).toMatch(/kubectl patch pdb api-pdb --type merge -p/);
    expect(typeCommand(s, `kubectl patch pdb api-pdb -p '{"spec":{"minAvailable":"x"}}'`)).toMatch(/^The PodDisruptionBudget "api-pdb" is invalid: spec.minAvailable: Invalid value/);
    expect(typeCommand(s, `kubectl patch pdb api-pdb -p '{"spec":{"minAvailabel":2}}'`)).toMatch(/strict decoding error: unknown field "spec.minAvailabel"/);
    expect(typeCommand(s, `kubectl patch pdb api-pdb -p '{"spec":{"maxUnavailable":1}}'`)).toMatch(/minAvailable and maxUnavailable cannot be both set/);
    expect(typeCommand(s, `kubectl patch pdb nope -p '{"spec":{"minAvailable":2}}'`)).toBe('Error from server (NotFound): poddisruptionbudgets.policy "nope" not found');
    const line = `kubectl patch pdb api-pdb --type merge -p '{"spec":{"minAvailable":2}}'`;
    const r = runKubectl(s, line);
    expect(r.kind).toBe('action');
    if (r.kind !== 'action') return;
    expect(ActionMessage.safeParse(r.action).success).toBe(true);
    expect(runKubectl(s, kubectlEquivalent(r.action))).toEqual(r);
    const res = applyAction(s, 'alice', r.action);
    expect(res).toMatchObject({ ok: true, message: 'poddisruptionbudget.policy/api-pdb patched' });
    expect(typeCommand(s, line)).toBe('poddisruptionbudget.policy/api-pdb patched (no change)');
    expect(typeCommand(s, 'kubectl get pdb api-pdb').split('\n')[1]).toMatch(/^api-pdb\s+2\s+N\/A\s+1\s+/);
    expect(typeCommand(s, 'kubectl drain node-a --ignore-daemonsets')).not.toMatch(/error when evicting/);
    expect(until(s, () => inc.status === 'mitigated', 60)).not.toBeNull();
    expect(availabilityOver(s, 60)).toBeGreaterThan(0.998);
  });

  it('left undrained, the node reboots at the deadline: requests to its pods fail until it is back', () => {
    const s = sim({ deployment: 'api', maintenanceInSeconds: 300, rebootSeconds: 120 });
    expect(availabilityOver(s, AT + 299)).toBeGreaterThan(0.998);
    const inc = s.incidents[0]!;
    expect(inc.status).toBe('active');
    expect(s.events.some((e) => e.reason === 'MaintenanceScheduled' && e.message.includes('in 2m0s'))).toBe(true);
    stepN(s, 1);
    expect(s.events.some((e) => e.reason === 'Rebooting' && e.object.name === 'node-a')).toBe(true);
    expect(availabilityOver(s, 50)).toBeLessThan(0.95); // a third of the frontend's endpoints time out
    stepN(s, 10);
    expect(typeCommand(s, 'kubectl get nodes').split('\n').find((l) => l.startsWith('node-a'))).toMatch(/NotReady/);
    const healedAt = until(s, () => inc.status === 'mitigated', 200);
    expect(healedAt).not.toBeNull();
    expect(s.events.some((e) => e.reason === 'Rebooted' && e.object.name === 'node-a')).toBe(true);
    expect(availabilityOver(s, 60)).toBeGreaterThan(0.998);
  });
});
