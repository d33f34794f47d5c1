/**
 * `resource-quota`: the shop's frontend (test/sim/game-fixtures.ts: frontend 3 -> api 3 -> db 2, each
 * pod requesting 100m CPU / 128Mi) gets twice its traffic and is scaled out to 6 replicas, but
 * the namespace's compute-quota caps requests.cpu at what the 8 pods request now (800m): every new pod
 * is refused by the quota admission (FailedCreate), the frontend and api run hot and the p99 latency
 * breaks the latency SLO. Raising the quota
 * with `kubectl patch resourcequota` lets the ReplicaSet create its pods; scaling api out too (it fits
 * the raised quota) restores the SLI. Times are sim seconds (tickSeconds 1).
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
import { podsOf, shopInput, stepN, typeCommand } from './game-fixtures.ts';

const AT = 30;

function sim(): SimState {
  return createSim(shopInput({ incidents: [{ id: 'quota', type: 'resource-quota', at: AT, target: 'frontend', params: {} }] }));
}

/** An SLI (good / valid requests of the user-facing Service) over the next `n` ticks. */
function sliOver(s: SimState, sli: 'availability' | 'latency', n: number): number {
  const { good, valid } = s.slos[sli];
  stepN(s, n);
  const dv = s.slos[sli].valid - valid;
  return dv === 0 ? 1 : (s.slos[sli].good - good) / dv;
}

/** Steps until `cond` holds; the sim second it held, or null within `max` seconds. */
function until(s: SimState, cond: () => boolean, max: number): number | null {
  for (let i = 0; i < max; i++) {
    stepN(s, 1);
    if (cond()) return s.t;
  }
  return null;
}

describe('incident resource-quota', () => {
  it('is in the catalog with its symptoms and console remediations; a scenario type with its defaults', () => {
    const e = incidentCatalog().find((x) => x.kind === 'resource-quota')!;
    expect(e.title).toBe('ResourceQuota blocks the scale-out of <deployment>');
    expect(e.symptoms.join('\n')).toMatch(/exceeded quota: compute-quota/);
    expect(e.remediations[0]!.command).toMatch(/^kubectl patch resourcequota compute-quota --type merge -p /);
    const y = `${MINIMAL_SCENARIO}incidents:\n  - { id: q, type: resource-quota, at: 20, target: web }\n`;
    expect(parseScenario(y).incidents[0]!.params).toEqual({ quota: 'compute-quota', factor: 2 });
  });

  it('the quota refuses the scale-out (FailedCreate exceeded quota); raising it and scaling out restores the SLI', () => {
    const s = sim();
    expect(sliOver(s, 'latency', AT - 1)).toBeGreaterThan(0.995);
    stepN(s, 1);
    const inc = s.incidents[0]!;
    expect(inc.status).toBe('active');
    stepN(s, 20);
    expect(typeCommand(s, 'kubectl get resourcequota')).toMatch(/^NAME\s+AGE\s+REQUEST\s+LIMIT\ncompute-quota\s+\S+\s+pods: 8\/20, requests.cpu: 800m\/800m, requests.memory: 1Gi\/4Gi\s*$/);
    expect(typeCommand(s, 'kubectl describe quota compute-quota')).toMatch(/^Name:\s+compute-quota\nNamespace:\s+default\nResource\s+Used\s+Hard\n-+\s+-+\s+-+\npods\s+8\s+20\nrequests.cpu\s+800m\s+800m\nrequests.memory\s+1Gi\s+4Gi$/);
    expect(typeCommand(s, 'kubectl get deploy frontend').split('\n')[1]).toMatch(/^frontend\s+3\/6\s/);
    expect(podsOf(s, 'frontend')).toHaveLength(3); // refused before they exist: nothing Pending
    const failed = s.events.filter((e) => e.reason === 'FailedCreate' && e.object.kind === 'ReplicaSet');
    expect(failed).toHaveLength(1); // one report per 5 minutes (the event spam filter)
    expect(failed[0]!.message).toMatch(/^Error creating: pods "frontend-[a-z0-9]+-[a-z0-9]+" is forbidden: exceeded quota: compute-quota, requested: requests.cpu=100m, used: requests.cpu=800m, limited: requests.cpu=800m$/);
    expect(typeCommand(s, 'kubectl get events')).toMatch(/FailedCreate\s+replicaset\/frontend-\S+\s+Error creating: pods "frontend-\S+" is forbidden: exceeded quota/);
    // 400 requests/s: the three frontend and api pods at 53 % of their CPU limit, p99 over the 300 ms threshold.
    expect(sliOver(s, 'latency', 30)).toBeLessThan(0.99);
    expect(inc.status).toBe('active');
    expect(typeCommand(s, 'kubectl edit quota compute-quota')).toMatch(/kubectl patch quota compute-quota --type merge -p/);
    expect(typeCommand(s, `kubectl patch resourcequota compute-quota -p '{"spec":{"hard":{"foo":"1"}}}'`)).toMatch(/^The ResourceQuota "compute-quota" is invalid: spec.hard\[foo\]: Unsupported value: "foo"/);
    expect(typeCommand(s, `kubectl patch resourcequota compute-quota -p '{"spec":{"hard":{"requests.cpu":"lots"}}}'`)).toMatch(/spec.hard\[requests.cpu\]: Invalid value: "lots"/);
    const line = `kubectl patch resourcequota compute-quota --type merge -p '{"spec":{"hard":{"requests.cpu":"2"}}}'`;
    const r = runKubectl(s, line);
    expect(r.kind).toBe('action');
    if (r.kind !== 'action') return;
    expect(ActionMessage.safeParse(r.action).success).toBe(true);
    expect(runKubectl(s, kubectlEquivalent(r.action))).toEqual(r);
    expect(applyAction(s, 'alice', r.action)).toMatchObject({ ok: true, message: 'resourcequota/compute-quota patched' });
    expect(until(s, () => s.deployments['default/frontend']!.status.availableReplicas === 6, 60)).not.toBeNull();
    expect(typeCommand(s, 'kubectl get quota compute-quota').split('\n')[1]).toMatch(/pods: 11\/20, requests.cpu: 1100m\/2, /);
    expect(typeCommand(s, 'kubectl scale deployment/api --replicas=6')).toBe('deployment.apps/api scaled'); // fits the raised quota
    const healedAt = until(s, () => inc.status === 'mitigated', 120);
    expect(healedAt).not.toBeNull();
    expect(until(s, () => s.deployments['default/api']!.status.availableReplicas === 6, 60)).not.toBeNull();
    expect(sliOver(s, 'latency', 60)).toBeGreaterThan(0.995);
    expect(sliOver(s, 'availability', 60)).toBeGreaterThan(0.998);
    expect(checkInvariants(s)).toEqual([]);
  });

  it('a pod that sets no CPU request is refused by a quota on requests.cpu (must specify)', () => {
    const input = shopInput({ incidents: [{ id: 'quota', type: 'resource-quota', at: 5, target: 'frontend', params: { factor: 1, replicas: 4, cpu: '4' } }] });
    input.deployments[0]!.spec.template.spec.containers[0]!.resources = {};
    const s = createSim(input);
    stepN(s, 20);
    const failed = s.events.find((e) => e.reason === 'FailedCreate');
    expect(failed?.message).toMatch(/^Error creating: pods "frontend-\S+" is forbidden: failed quota: compute-quota: must specify requests.cpu,requests.memory$/);
  });
});
