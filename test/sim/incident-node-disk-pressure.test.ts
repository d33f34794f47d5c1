/**
 * `node-disk-pressure` on node-a of the shop (test/sim/game-fixtures.ts: three nodes, 600 requests/s so
 * that one replica fewer overloads a tier): one of its pods fills the root filesystem (or its inodes);
 * DiskPressure and its NoSchedule taint, the node's unused images deleted first, one eviction every 10 s;
 * the image garbage collector every 5 min (85 % -> 80 %, least recently used first, FreeDiskSpaceFailed /
 * ImageGCFailed); deleting the filler frees the disk at once, and the condition clears after the 300 s
 * transition period. Times are sim seconds.
 */
import { describe, it, expect } from 'vitest';
import { createSim } from '../../shared/sim/index.ts';
import type { IncidentSpec, SimState } from '../../shared/sim/types.ts';
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
    // No unused image to delete (reclaimNodeLevelResources frees nothing); the periodic GC runs at 300 only.
    expect(s.events.some((e) => e.reason === 'FreeDiskSpaceFailed')).toBe(false);
    stepN(s, 10);
    const ev = evictions(s);
    expect(ev.map((e) => e.t)).toEqual([AT, AT + 10]);
    expect(ev[0]!.message).toMatch(/^The node was low on resource: ephemeral-storage\. Threshold quantity: 10Gi, available: \d+[MG]i\. Container \w+ was using 200Mi, request is 0, has larger consumption of ephemeral-storage\. $/);
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

  const withParams = (at: number, params: IncidentSpec['params']) => createSim(shopInput({ rps: 600, incidents: [{ id: 'disk', type: 'node-disk-pressure', at, target: 'node-a', params }] }));
  const listed = (s: SimState) => (s.nodes['node-a']!.status.images ?? []).map((i) => i.names[0]!);
  const stale = (n: number) => Array.from({ length: n }, (_, i) => `shop/old-release:v${i + 1}`);

  it('image GC (every 5 min): at 88 % use it deletes unused images, least recently used first, down to 80 %; no DiskPressure', () => {
    const s = withParams(300, { usedPercent: 88, staleImages: 10, staleImageMiB: 1500 });
    stepN(s, 299);
    expect(listed(s).filter((n) => n.startsWith('shop/old-release'))).toEqual([]);
    stepN(s, 1); // t = 300: the fault starts, the periodic GC runs before the housekeeping
    // 88 % of 100 GiB used: 8 GiB to free, 1500 MiB each: the six least recently used (v1 oldest) go.
    expect(listed(s).filter((n) => n.startsWith('shop/old-release')).sort()).toEqual(stale(10).slice(6).sort());
    expect(listed(s)).toEqual(expect.arrayContaining(['shop/frontend:v1.4.2', 'shop/api:v2.0.0', 'shop/db:v1.0.0'].filter((n) => Object.values(s.pods).some((p) => p.spec.nodeName === 'node-a' && p.spec.containers[0]!.image === n))));
    expect(condition(s).status).toBe('False');
    stepN(s, 20);
    expect(evictions(s)).toHaveLength(0);
    expect(s.events.some((e) => e.reason === 'FreeDiskSpaceFailed' || e.reason === 'EvictionThresholdMet')).toBe(false);
    expect(s.incidents[0]!.status).toBe('mitigated');
  });

  it('under DiskPressure the kubelet deletes every unused image first; enough freed: no eviction; the condition still holds 300 s', () => {
    const s = withParams(AT, { usedPercent: 96, staleImages: 10, staleImageMiB: 1500 });
    stepN(s, AT);
    expect(condition(s)).toMatchObject({ status: 'True', lastTransitionTime: AT });
    expect(tainted(s)).toBe(true);
    expect(s.events.filter((e) => e.reason === 'EvictionThresholdMet').map((e) => [e.t, e.message])).toEqual([[AT, 'Attempting to reclaim ephemeral-storage']]);
    expect(listed(s).filter((n) => n.startsWith('shop/old-release'))).toEqual([]); // 15000 MiB freed: 81 % used
    expect(typeCommand(s, 'kubectl get node node-a -o yaml')).not.toContain('old-release');
    stepN(s, 30);
    expect(evictions(s)).toHaveLength(0);
    expect(s.incidents[0]!.status).toBe('mitigated');
    stepN(s, AT + 299 - s.t);
    expect(condition(s).status).toBe('True');
    stepN(s, 1);
    expect(condition(s)).toMatchObject({ status: 'False', lastTransitionTime: AT + 300 });
    expect(tainted(s)).toBe(false);
  });

  it('disk full of system files: FreeDiskSpaceFailed at each 5 min GC, ImageGCFailed from the second failure in a row; imagefs.available<15% keeps DiskPressure', () => {
    const s = withParams(AT, { imagesGiB: 87, usedPercent: 96 });
    stepN(s, 299);
    expect(s.events.filter((e) => e.reason === 'FreeDiskSpaceFailed')).toHaveLength(0);
    stepN(s, 301);
    const gc = s.events.filter((e) => e.reason === 'FreeDiskSpaceFailed' || e.reason === 'ImageGCFailed').map((e) => [e.t, e.reason]);
    expect(gc).toEqual([[300, 'FreeDiskSpaceFailed'], [600, 'FreeDiskSpaceFailed'], [600, 'ImageGCFailed']]);
    const msg = s.events.find((e) => e.reason === 'ImageGCFailed')!.message;
    // 87 GiB of system files on 100 GiB with the node emptied and its images unused (deleted): 20 GiB - 13 GiB to free.
    expect(msg).toBe(`Failed to garbage collect required amount of images. Attempted to free ${(20 - 13) * 1024 * 1024 * 1024} bytes, but only found 0 bytes eligible to free.`);
    expect(listed(s)).toEqual([]); // every image unused once its Pods were evicted: deleted under pressure
    expect(condition(s).status).toBe('True');
    const last = evictions(s).at(-1)!;
    expect(s.pods[`default/${last.object.name}`]!.status.message).toMatch(/^The node was low on resource: ephemeral-storage\. Threshold quantity: (10|15)Gi, available: /);
  });

  it('fill: inodes: nodefs.inodesFree<5% sets DiskPressure with plenty of space; evictions name inodes; the filler deleted, it clears 300 s later', () => {
    const s = withParams(AT, { fill: 'inodes' });
    stepN(s, AT);
    expect(condition(s).status).toBe('True');
    expect(s.events.find((e) => e.reason === 'EvictionThresholdMet')!.message).toBe('Attempting to reclaim inodes');
    const ev = evictions(s);
    expect(ev).toHaveLength(1);
    expect(ev[0]!.message).toMatch(/^The node was low on resource: inodes\. Threshold quantity: 320Ki, available: \d+k?\. $/);
    const filler = s.incidents[0]!.data['filler'] as string;
    expect(typeCommand(s, `kubectl delete pod ${filler.split('/')[1]}`)).toMatch(/deleted/);
    stepN(s, 40);
    expect(s.incidents[0]!.status).toBe('mitigated');
    const lastBelow = Math.max(...s.events.filter((e) => e.reason === 'EvictionThresholdMet').map((e) => e.t));
    stepN(s, lastBelow + 300 - s.t);
    expect(condition(s)).toMatchObject({ status: 'False', lastTransitionTime: lastBelow + 300 });
    expect(checkInvariants(s)).toEqual([]);
  });
});
