/**
 * `control-plane-down` on the shop (test/sim/game-fixtures.ts, kube-system on, 600 requests/s so one
 * api replica fewer overloads the tier): a typo'd flag in kube-scheduler's static Pod manifest makes it
 * crash-loop on every control-plane host; a Pod killed meanwhile is replaced but never scheduled (no
 * event at all); deleting the mirror Pod changes nothing; `kubeadm init phase control-plane scheduler`
 * restores the manifest, the scheduler takes its Lease back, the Pod is scheduled and the SLI recovers.
 * Times are sim seconds.
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
      { id: 'sched', type: 'control-plane-down', at: 30, target: 'kube-scheduler', params: {} },
      { id: 'kill', type: 'pod-kill', at: 40, target: 'api', params: { count: 1 } },
    ],
  });
  return createSim({ ...input, kubeSystem: true });
}

function availabilityOver(s: SimState, n: number): number {
  const { good, valid } = s.slos.availability;
  stepN(s, n);
  const dv = s.slos.availability.valid - valid;
  return dv === 0 ? 1 : (s.slos.availability.good - good) / dv;
}

const pendingApi = (s: SimState) => Object.values(s.pods).filter((p) => p.metadata.labels['app'] === 'api' && p.status.phase === 'Pending' && !p.spec.nodeName);

describe('incident control-plane-down', () => {
  it('is in the catalog with the kubeadm fix', () => {
    const e = incidentCatalog().find((x) => x.kind === 'control-plane-down')!;
    expect(e.symptoms.join('\n')).toMatch(/Pending with no events/);
    expect(e.remediations.map((r) => r.command)).toContain('kubeadm init phase control-plane scheduler');
  });

  it('refuses a component it does not break', () => {
    const s = createSim({ ...shopInput({ incidents: [{ id: 'x', type: 'control-plane-down', at: 1, target: 'etcd', params: {} }] }), kubeSystem: true });
    stepN(s, 2);
    expect(s.incidents[0]!.data['error']).toBe('control-plane-down targets one of: kube-scheduler, kube-controller-manager (got etcd)');
  });

  it('scheduler crash-loops, a replacement Pod stays Pending without events; deleting the mirror Pod does nothing; kubeadm restores it', () => {
    const s = sim();
    expect(availabilityOver(s, 29)).toBeGreaterThan(0.999);
    stepN(s, 6);
    const inc = s.incidents[0]!;
    expect(inc.status).toBe('active');
    const ks = typeCommand(s, 'kubectl get pods -n kube-system');
    for (const h of ['0', '1', '2']) expect(ks).toMatch(new RegExp(`kube-scheduler-control-plane-${h}\\s+0/1\\s+CrashLoopBackOff\\s+[1-9]`));
    expect(typeCommand(s, 'kubectl describe pod kube-scheduler-control-plane-0 -n kube-system')).toMatch(/Exit Code:\s+1/);
    stepN(s, 10); // the pod-kill at 40
    expect(pendingApi(s)).toHaveLength(1);
    const pending = pendingApi(s)[0]!;
    const about = (name: string) => s.events.filter((e) => e.object.name === name);
    expect(availabilityOver(s, 60)).toBeLessThan(0.99);
    expect(about(pending.metadata.name).filter((e) => e.reason === 'Scheduled' || e.reason === 'FailedScheduling')).toEqual([]);
    expect(s.events.some((e) => e.reason === 'BackOff' && e.object.name === 'kube-scheduler-control-plane-0')).toBe(true);
    // Deleting the mirror Pod: the kubelet mirrors the static Pod again, still crash-looping.
    expect(typeCommand(s, 'kubectl delete pod kube-scheduler-control-plane-0 -n kube-system')).toMatch(/deleted/);
    stepN(s, 5);
    expect(typeCommand(s, 'kubectl get pods -n kube-system')).toMatch(/kube-scheduler-control-plane-0\s+0\/1\s+CrashLoopBackOff/);
    expect(pendingApi(s)).toHaveLength(1);
    // The real fix: the manifest written again on the control-plane hosts.
    expect(typeCommand(s, 'kubeadm init phase control-plane scheduler')).toBe('[control-plane] Using manifest folder "/etc/kubernetes/manifests"\n[control-plane] Creating static Pod manifest for "kube-scheduler"');
    for (let i = 0; i < 10 && inc.status === 'active'; i++) stepN(s, 1);
    expect(inc.status).toBe('mitigated');
    stepN(s, 20);
    expect(pendingApi(s)).toEqual([]);
    expect(about(pending.metadata.name).some((e) => e.reason === 'Scheduled')).toBe(true);
    expect(typeCommand(s, 'kubectl get pods -n kube-system')).toMatch(/kube-scheduler-control-plane-0\s+1\/1\s+Running/);
    expect(availabilityOver(s, 60)).toBeGreaterThan(0.99);
    expect(checkInvariants(s)).toEqual([]);
  });
});
