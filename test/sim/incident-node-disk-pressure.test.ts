/**
 * `node-disk-pressure` on node-a of the shop (test/sim/game-fixtures.ts: three nodes, 600 requests/s so
 * that one replica fewer overloads a tier): one of its pods fills the root filesystem; DiskPressure and
 * its NoSchedule taint, image GC finding nothing, one eviction every 10 s; deleting the filler frees the
 * disk at once, and the condition clears after the 300 s transition period. Times are sim seconds.
 */
import { describe, it, expect } from 'vitest';
import { createSim } from '../../shared/sim/index.ts';
import type { SimState } from '../../shared/sim/types.ts';
import { incidentCatalog } from '../../shared/sim/incidents/index.ts';
import { checkInvariants } from './invariants.ts';
import { shopInput, stepN, typeCommand } from './game-fixtures.ts';

const AT = 30;

function sim(): SimState {
  return createSim(shopInput({ rps: 600, incidents: [{ id: 'disk', type: 'node-disk-pressure', at: AT, target: 'node-a', params: {} }] }));
}

/** Availability SLI (good / valid requests of the user-facing Service) over the next `n` ticks. */
function availabilityOver(s: SimState, n: number): number {
  const { good, valid } = s.slos.availability;
  stepN(s, n);
  const dv = s.slos.availability.valid - valid;
  return dv === 0 ? 1 : (s.slos.availability.good - good) / dv;
}

const evictions = (s: SimState) => s.events.filter((e) => e.reason === 'Evicted');
const condition = (s: SimState) => s.nodes['node-a']!.status.conditions.find((c) => c.type === 'DiskPressure')!;
const tainted = (s: SimState) => s.nodes['node-a']!.spec.taints.some((t) => t.key === 'node.kubernetes.io/disk-pressure' && t.effect === 'NoSchedule');

describe('incident node-disk-pressure', () => {
  it('is in the catalog and refuses a pod that is not on the node', () => {
    const e = incidentCatalog().find((x) => x.kind === 'node-disk-pressure')!;
    expect(e.symptoms.join('\n')).toMatch(/DiskPressure True/);
    expect(e.remediations.map((r) => r.command)).toContain('kubectl delete pod <pod>');
    const s = createSim(shopInput({ incidents: [{ id: 'disk', type: 'node-disk-pressure', at: 5, target: 'node-a', params: { pod: 'nope' } }] }));
    stepN(s, 5);
    expect(s.incidents[0]!.data['error']).toBe('pod nope is not running on node node-a');
  });

  it('ranking as the kubelet\'s (rankDiskPressureFunc): every Pod is over its zero ephemeral-storage request, so the lower priority goes first, then by name', () => {
    const input = shopInput({ rps: 600, incidents: [{ id: 'disk', type: 'node-disk-pressure', at: AT, target: 'node-a', params: {} }] });
    input.deployments[1]!.spec.template.spec.priority = 1000; // api
    input.deployments[1]!.spec.template.spec.priorityClassName = 'api'; // the Priority admission refuses a bare spec.priority
    input.priorityClasses = [{ name: 'api', value: 1000 }];
    const s = createSim(input);
    stepN(s, AT - 1);
    const onNode = Object.values(s.pods).filter((p) => p.spec.nodeName === 'node-a');
    expect(onNode.map((p) => p.metadata.labels['app']).sort()).toEqual(['api', 'db', 'frontend']);
    stepN(s, 12);
    const ev = evictions(s);
    expect(ev.map((e) => e.t)).toEqual([AT, AT + 10]);
    // db and frontend (priority 0) by name; api (priority 1000) would be last. (By name alone: api, db.)
    expect(ev.map((e) => s.pods[`default/${e.object.name}`]!.metadata.labels['app'])).toEqual(['db', 'frontend']);
  });

  it('DiskPressure, taint and an eviction every 10 s; deleting the filler ends it; the condition clears 300 s later', () => {
    const s = sim();
    expect(availabilityOver(s, AT - 1)).toBeGreaterThan(0.999);
    const onNode = Object.values(s.pods).filter((p) => p.spec.nodeName === 'node-a').map((p) => `default/${p.metadata.name}`).sort();
    stepN(s, 1);
    const inc = s.incidents[0]!;
    expect(inc.status).toBe('active');
    const filler = inc.data['filler'] as string;
    expect(filler).toBe(onNode[onNode.length - 1]); // the node's last pod by name: the kubelet's ranking reaches it last
    expect(condition(s)).toMatchObject({ status: 'True', reason: 'KubeletHasDiskPressure', lastTransitionTime: AT });
    expect(tainted(s)).toBe(true);
    expect(s.events.some((e) => e.reason === 'FreeDiskSpaceFailed' && /^Failed to garbage collect required amount of images\. Attempted to free \d+ bytes, but only found 0 bytes eligible to free\.$/.test(e.message))).toBe(true);
    stepN(s, 10);
    const ev = evictions(s);
    expect(ev.map((e) => e.t)).toEqual([AT, AT + 10]);
    expect(ev[0]!.message).toMatch(/^The node was low on resource: ephemeral-storage\. Threshold quantity: 10%, available: \d+Mi\. Container \w+ was using 200Mi, request is 0, has larger consumption of ephemeral-storage\.$/);
    expect(typeCommand(s, 'kubectl get pods').split('\n').filter((l) => /0\/1\s+Evicted\s/.test(l))).toHaveLength(2);
    expect(typeCommand(s, 'kubectl describe node node-a')).toMatch(/DiskPressure\s+True\s.*KubeletHasDiskPressure/);
    // The player finds the pod filling the disk and deletes it: its files go with it.
    expect(typeCommand(s, `kubectl delete pod ${filler.split('/')[1]}`)).toMatch(/deleted/);
    const deletedAt = s.t;
    for (let i = 0; i < 60 && inc.status === 'active'; i++) stepN(s, 1);
    expect(inc.status).toBe('mitigated');
    expect(inc.mitigatedAt! - deletedAt).toBeLessThanOrEqual(10);
    stepN(s, 30);
    expect(evictions(s)).toHaveLength(2); // no eviction after the fix
    expect(availabilityOver(s, 20)).toBeGreaterThan(0.999);
    // Last housekeeping under the threshold: 40; the condition clears at 340 (transition period 300 s).
    stepN(s, 339 - s.t);
    expect(condition(s).status).toBe('True');
    expect(tainted(s)).toBe(true);
    stepN(s, 1);
    expect(condition(s)).toMatchObject({ status: 'False', reason: 'KubeletHasNoDiskPressure', lastTransitionTime: 340 });
    expect(tainted(s)).toBe(false);
    expect(s.events.some((e) => e.reason === 'NodeHasNoDiskPressure' && e.t === 340)).toBe(true);
    expect(s.nodePressure).toBeUndefined();
    expect(checkInvariants(s)).toEqual([]);
  });
});
