/**
 * `apiserver-cert-expiry`: the kube-apiserver's serving certificate of the shop (with kube-system)
 * expires at sim second 30. kubectl fails the TLS handshake with Go's x509 text, `kubeadm certs
 * check-expiration` shows `apiserver` `<invalid>`, etcdctl still answers, the controller-manager and
 * the scheduler lose their Leases after the 10 s renew deadline (a deleted Pod is not replaced).
 * `kubeadm certs renew apiserver` fixes it: the API server reloads the file 1 s later, the Leases are
 * taken back once the old ones expired. Times are sim seconds (tickSeconds 1).
 */
import { describe, it, expect } from 'vitest';
import { createSim } from '../../shared/sim/index.ts';
import type { SimState } from '../../shared/sim/types.ts';
import { incidentCatalog } from '../../shared/sim/incidents/index.ts';
import { holdsLease } from '../../shared/sim/controllers/etcd.ts';
import { deletePod } from '../../shared/sim/apiserver.ts';
import { parseScenario } from '../../shared/scenario/parse.ts';
import { MINIMAL_SCENARIO } from '../scenario/helpers.ts';
import { checkInvariants } from './invariants.ts';
import { podsOf, shopInput, stepN, typeCommand } from './game-fixtures.ts';

const AT = 30;

function sim(): SimState {
  return createSim({ ...shopInput({ incidents: [{ id: 'tls', type: 'apiserver-cert-expiry', at: AT, target: 'kube-apiserver', params: {} }] }), kubeSystem: true });
}

const apiserverRow = (s: SimState) => typeCommand(s, 'kubeadm certs check-expiration').split('\n').find((l) => l.startsWith('apiserver '));

describe('incident apiserver-cert-expiry', () => {
  it('is in the catalog with kubeadm certs renew; a scenario type targeting kube-apiserver', () => {
    const e = incidentCatalog().find((x) => x.kind === 'apiserver-cert-expiry')!;
    expect(e.remediations[0]!.command).toBe('kubeadm certs renew apiserver');
    const y = `${MINIMAL_SCENARIO}incidents:\n  - { id: c, type: apiserver-cert-expiry, at: 20, target: kube-apiserver }\n`;
    expect(parseScenario(y).incidents[0]!.params).toEqual({});
  });

  it('kubectl fails with the x509 error, kubeadm shows <invalid>, the control plane stalls; kubeadm certs renew apiserver brings it back', () => {
    const s = sim();
    stepN(s, AT - 1);
    expect(typeCommand(s, 'kubectl get pods')).toMatch(/^NAME\s+READY/);
    expect(apiserverRow(s)).toMatch(/^apiserver\s+Dec 02, 2025 00:00 UTC\s+334d\s+ca\s+no$/);
    stepN(s, 2); // t = 31
    expect(s.incidents[0]!.status).toBe('active');
    expect(typeCommand(s, 'kubectl get pods')).toBe('Unable to connect to the server: tls: failed to verify certificate: x509: certificate has expired or is not yet valid: current time 2025-01-01T00:00:31Z is after 2025-01-01T00:00:29Z');
    expect(typeCommand(s, 'kubectl scale deployment/frontend --replicas=4')).toMatch(/^Unable to connect to the server: tls: failed to verify certificate: x509: certificate has expired/);
    expect(typeCommand(s, 'kubectl help')).toMatch(/kubectl/); // local: no request
    expect(apiserverRow(s)).toMatch(/^apiserver\s+Jan 01, 2025 00:00 UTC\s+<invalid>\s+ca\s+no$/);
    expect(typeCommand(s, 'etcdctl endpoint health')).toMatch(/is healthy/);

    // The controller-manager and the scheduler cannot renew their Leases: lost after the 10 s renew deadline.
    // (last renewal at t = 29, the tick before the expiry)
    stepN(s, 7); // t = 38
    expect(holdsLease(s, 'kube-controller-manager')).toBe(true);
    stepN(s, 1); // t = 39
    expect(holdsLease(s, 'kube-controller-manager')).toBe(false);
    expect(holdsLease(s, 'kube-scheduler')).toBe(false);
    const victim = podsOf(s, 'frontend')[0]!;
    deletePod(s, `default/${victim.metadata.name}`, { force: true });
    stepN(s, 30);
    expect(podsOf(s, 'frontend')).toHaveLength(2); // nothing replaces it
    expect(s.incidents[0]!.status).toBe('active');

    // The fix.
    const renew = typeCommand(s, 'kubeadm certs renew apiserver');
    expect(renew).toContain('[renew] Error reading configuration from the Cluster. Falling back to default configuration');
    expect(renew).toMatch(/^certificate for serving the Kubernetes API renewed$/m);
    const renewedAt = s.t;
    stepN(s, 1);
    expect(typeCommand(s, 'kubectl get deployment frontend')).toMatch(/^frontend\s/m);
    expect(apiserverRow(s)).toMatch(/^apiserver\s+Jan 01, 2026 00:01 UTC\s+364d\s+ca\s+no$/);
    // The Leases come back once the old ones expired (15 s after their last renewal, tried every 2 s).
    stepN(s, 5);
    expect(holdsLease(s, 'kube-controller-manager')).toBe(true);
    expect(holdsLease(s, 'kube-scheduler')).toBe(true);
    stepN(s, 20);
    expect(podsOf(s, 'frontend').filter((p) => p.sim.ready)).toHaveLength(3);
    expect(s.incidents[0]!.status).toBe('mitigated');
    expect(s.t - renewedAt).toBe(26);
    expect(checkInvariants(s)).toEqual([]);
  });

  it('kubeadm certs renew all renews every leaf and says to restart the control plane', () => {
    const s = sim();
    stepN(s, AT + 5);
    const out = typeCommand(s, 'kubeadm certs renew all');
    expect(out.split('\n').filter((l) => l.endsWith(' renewed'))).toHaveLength(11);
    expect(out).toMatch(/Done renewing certificates\. You must restart the kube-apiserver, kube-controller-manager, kube-scheduler and etcd, so that they can use the new certificates\.$/);
    stepN(s, 1);
    expect(typeCommand(s, 'kubectl get nodes')).toMatch(/^NAME\s+STATUS/);
    expect(typeCommand(s, 'kubeadm certs check-expiration').split('\n').filter((l) => / 364d /.test(l))).toHaveLength(11);
  });
});
