/**
 * `coredns-outage` on the shop (test/sim/game-fixtures.ts, kube-system on): a DNS query storm pushes
 * both CoreDNS Pods over their 170Mi limit; OOMKilled, CrashLoopBackOff, `kube-dns` without endpoints;
 * the callers (frontend -> api -> db) fail the calls that need a lookup; raising CoreDNS's memory limit
 * through the console rolls out Pods that survive and the SLI recovers. Times are sim seconds.
 */
import { describe, it, expect } from 'vitest';
import { createSim } from '../../shared/sim/index.ts';
import type { SimState } from '../../shared/sim/types.ts';
import { incidentCatalog } from '../../shared/sim/incidents/index.ts';
import { checkInvariants } from './invariants.ts';
import { shopInput, stepN, typeCommand } from './game-fixtures.ts';

function sim(): SimState {
  return createSim({ ...shopInput({ incidents: [{ id: 'dns', type: 'coredns-outage', at: 30, target: 'coredns', params: {} }] }), kubeSystem: true });
}

function availabilityOver(s: SimState, n: number): number {
  const { good, valid } = s.slos.availability;
  stepN(s, n);
  const dv = s.slos.availability.valid - valid;
  return dv === 0 ? 1 : (s.slos.availability.good - good) / dv;
}

describe('incident coredns-outage', () => {
  it('is in the catalog; a cluster without kube-system refuses it', () => {
    const e = incidentCatalog().find((x) => x.kind === 'coredns-outage')!;
    expect(e.symptoms.join('\n')).toMatch(/CrashLoopBackOff/);
    expect(e.remediations.map((r) => r.command)).toEqual(['kubectl set resources deployment/coredns -n kube-system --limits=memory=512Mi']);
    const s = createSim(shopInput({ incidents: [{ id: 'dns', type: 'coredns-outage', at: 1, target: 'coredns', params: {} }] }));
    stepN(s, 2);
    expect(s.incidents[0]!.data['error']).toMatch(/^deployment kube-system\/coredns not found/);
  });

  it('CoreDNS OOMKilled and crash-looping, callers fail; raising its memory limit fixes it', () => {
    const s = sim();
    expect(availabilityOver(s, 29)).toBeGreaterThan(0.999);
    stepN(s, 3);
    const inc = s.incidents[0]!;
    expect(inc.status).toBe('active');
    const during = availabilityOver(s, 60);
    expect(during).toBeLessThan(0.9);
    const pods = typeCommand(s, 'kubectl get pods -n kube-system');
    expect(pods.split('\n').filter((l) => /^coredns-\S+\s+0\/1\s+(CrashLoopBackOff|OOMKilled)\s+[1-9]/.test(l))).toHaveLength(2);
    const name = pods.split('\n').find((l) => l.startsWith('coredns-'))!.split(/\s+/)[0]!;
    const described = typeCommand(s, `kubectl describe pod ${name} -n kube-system`);
    expect(described).toMatch(/Reason:\s+OOMKilled/);
    expect(described).toMatch(/Exit Code:\s+137/);
    expect(typeCommand(s, 'kubectl get endpoints kube-dns -n kube-system')).toMatch(/kube-dns\s+<none>/);
    // Every workload Pod is fine.
    expect(typeCommand(s, 'kubectl get pods').split('\n').slice(1).every((l) => /\s1\/1\s+Running\s/.test(l))).toBe(true);
    expect(typeCommand(s, 'kubectl set resources deployment/coredns -n kube-system --limits=memory=512Mi')).toMatch(/resource requirements updated/);
    for (let i = 0; i < 120 && inc.status === 'active'; i++) stepN(s, 1);
    expect(inc.status).toBe('mitigated');
    expect(typeCommand(s, 'kubectl get deployment coredns -n kube-system')).toMatch(/coredns\s+2\/2\s+2\s+2/);
    expect(availabilityOver(s, 60)).toBeGreaterThan(0.999);
    expect(checkInvariants(s)).toEqual([]);
  });
});
