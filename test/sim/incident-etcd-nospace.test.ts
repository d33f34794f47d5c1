/**
 * `etcd-nospace` on the shop (test/sim/game-fixtures.ts, kube-system on, 600 requests/s so one Node fewer
 * overloads a tier): the NOSPACE alarm makes the cluster read-only; a Node that dies meanwhile is never
 * repaired (its endpoints stay, requests to them time out); the operator follows etcd's maintenance
 * guide (compact, defrag, alarm disarm) through the console and the SLI recovers. Times are sim seconds.
 */
import { describe, it, expect } from 'vitest';
import { createSim } from '../../shared/sim/index.ts';
import type { SimState } from '../../shared/sim/types.ts';
import { incidentCatalog } from '../../shared/sim/incidents/index.ts';
import { checkInvariants } from './invariants.ts';
import { shopInput, stepN, typeCommand } from './game-fixtures.ts';

function sim(): SimState {
  const input = shopInput({
    rps: 600,
    incidents: [
      { id: 'nospace', type: 'etcd-nospace', at: 30, target: 'etcd', params: {} },
      { id: 'node', type: 'node-failure', at: 40, target: 'node-a', params: {} },
    ],
  });
  return createSim({ ...input, kubeSystem: true });
}

/** Availability SLI (good / valid requests of the user-facing Service) over the next `n` ticks. */
function availabilityOver(s: SimState, n: number): number {
  const { good, valid } = s.slos.availability;
  stepN(s, n);
  const dv = s.slos.availability.valid - valid;
  return dv === 0 ? 1 : (s.slos.availability.good - good) / dv;
}

describe('incident etcd-nospace', () => {
  it('is in the catalog with etcd\'s documented recovery', () => {
    const e = incidentCatalog().find((x) => x.kind === 'etcd-nospace')!;
    expect(e.symptoms.join('\n')).toMatch(/mvcc: database space exceeded/);
    expect(e.remediations.map((r) => r.command)).toEqual(['etcdctl compact <revision>', 'etcdctl defrag --cluster', 'etcdctl alarm disarm']);
  });

  it('read-only cluster until compact + defrag + alarm disarm; then the dead Node\'s Pods are replaced and the SLI recovers', () => {
    const s = sim();
    expect(availabilityOver(s, 29)).toBeGreaterThan(0.999);
    expect(typeCommand(s, 'etcdctl alarm list')).toBe('');
    stepN(s, 1);
    const inc = s.incidents[0]!;
    expect(inc.status).toBe('active');
    // Writes refused with etcd's error, reads served.
    expect(typeCommand(s, 'kubectl scale deployment api --replicas=4')).toBe('Error from server: etcdserver: mvcc: database space exceeded');
    expect(typeCommand(s, 'kubectl get deployment api')).toMatch(/api\s+3\/3/);
    expect(typeCommand(s, 'etcdctl alarm list')).toMatch(/^memberID:[0-9a-f]+ alarm:NOSPACE/);
    const table = typeCommand(s, 'etcdctl endpoint status -w table');
    expect(table).toMatch(/DB SIZE IN USE/);
    expect(table).toMatch(/2\.3 GB .*alarm:NOSPACE/);
    // The node dies: nobody can take its endpoints out or replace its Pods.
    stepN(s, 10);
    const during = availabilityOver(s, 120);
    expect(during).toBeLessThan(0.9);
    expect(s.controlPlane.components.find((c) => c.name === 'kube-controller-manager')!.healthy).toBe(false);
    // Disarming first is not enough: still over the quota, the alarm comes back.
    expect(typeCommand(s, 'etcdctl alarm disarm')).toMatch(/alarm:NOSPACE/);
    expect(typeCommand(s, 'etcdctl alarm list')).toMatch(/alarm:NOSPACE/);
    // The documented order: revision, compact, defrag, disarm.
    const status = JSON.parse(typeCommand(s, 'etcdctl endpoint status -w json')) as { Status: { header: { revision: number } } }[];
    const rev = status[0]!.Status.header.revision;
    expect(rev).toBeGreaterThan(1_500_000);
    expect(typeCommand(s, `etcdctl compact ${rev + 10}`)).toBe('Error: etcdserver: mvcc: required revision is a future revision');
    expect(typeCommand(s, `etcdctl compact ${rev}`)).toBe(`compacted revision ${rev}`);
    expect(typeCommand(s, 'etcdctl endpoint status -w table')).toMatch(/2\.3 GB/); // compaction frees pages, the file keeps its size
    expect(typeCommand(s, 'etcdctl defrag --cluster').split('\n')).toEqual([
      'Finished defragmenting etcd member[https://10.0.0.10:2379]',
      'Finished defragmenting etcd member[https://10.0.0.11:2379]',
      'Finished defragmenting etcd member[https://10.0.0.12:2379]',
    ]);
    expect(typeCommand(s, 'etcdctl endpoint status -w table')).toMatch(/419 MB/);
    expect(typeCommand(s, 'etcdctl alarm disarm')).toMatch(/alarm:NOSPACE/);
    expect(typeCommand(s, 'etcdctl alarm list')).toBe('');
    stepN(s, 1);
    expect(inc.status).toBe('mitigated');
    expect(typeCommand(s, 'kubectl scale deployment api --replicas=3')).toMatch(/scaled/);
    // The controllers take their Leases back, the Node is marked NotReady, its Pods replaced.
    stepN(s, 400);
    expect(availabilityOver(s, 60)).toBeGreaterThan(0.99);
    expect(checkInvariants(s)).toEqual([]);
  });
});
