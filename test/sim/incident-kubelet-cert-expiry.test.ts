/**
 * `kubelet-cert-expiry`: node-a of the shop (test/sim/game-fixtures.ts: node-a, node-b, node-c in
 * zones a, b, c) has its kubelet client certificate expire at sim second 30. The API server refuses
 * its kubelet: after the 50 s node-monitor grace period the Node is NotReady (Ready Unknown, the
 * unreachable taints); `ssh node-a sudo journalctl -u kubelet` shows the 401s, then, 5 min on, the
 * kubelet exiting and failing at bootstrap on the expired kubelet.conf. A new certificate through the
 * console (`kubeadm kubeconfig user --org system:nodes --client-name system:node:node-a`) brings the
 * kubelet back 10 s later: Ready, taints gone, SLI whole. The kubelet is cut off, not down: its Pods
 * serve until they leave the endpoints, and the renewed kubelet adopts their containers. Replacing the
 * Node mitigates it too.
 * Times are sim seconds (tickSeconds 1).
 */
import { describe, it, expect } from 'vitest';
import { createSim } from '../../shared/sim/index.ts';
import type { IncidentSpec, SimState } from '../../shared/sim/types.ts';
import { incidentCatalog } from '../../shared/sim/incidents/index.ts';
import { parseScenario } from '../../shared/scenario/parse.ts';
import { MINIMAL_SCENARIO } from '../scenario/helpers.ts';
import { simTimestamp } from '../../shared/sim/names.ts';
import { checkInvariants } from './invariants.ts';
import { shopInput, stepN, typeCommand } from './game-fixtures.ts';

const AT = 30;
const RENEW = 'kubeadm kubeconfig user --org system:nodes --client-name system:node:node-a';

function sim(incidents: IncidentSpec[] = [{ id: 'cert', type: 'kubelet-cert-expiry', at: AT, target: 'node-a', params: {} }]): SimState {
  return createSim(shopInput({ incidents }));
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

function nodeRow(s: SimState, node: string): string {
  return typeCommand(s, 'kubectl get nodes').split('\n').find((l) => l.startsWith(`${node} `)) ?? '';
}

describe('incident kubelet-cert-expiry', () => {
  it('is in the catalog with the kubeadm remediation; a scenario type targeting a Node', () => {
    const e = incidentCatalog().find((x) => x.kind === 'kubelet-cert-expiry')!;
    expect(e.title).toBe('Kubelet client certificate expired on <node>');
    expect(e.symptoms.join('\n')).toMatch(/NotReady/);
    expect(e.remediations[0]!.command).toBe('kubeadm kubeconfig user --org system:nodes --client-name system:node:<node>');
    const y = `${MINIMAL_SCENARIO}incidents:\n  - { id: c, type: kubelet-cert-expiry, at: 20, target: node-1 }\n`;
    expect(parseScenario(y).incidents[0]!.params).toEqual({ nodes: [] });
  });

  it('NotReady 50 s after the expiry, the 401s in the kubelet journal; a new certificate makes the Node Ready and the SLI recovers', () => {
    const s = sim();
    expect(availabilityOver(s, AT - 1)).toBeGreaterThan(0.998);
    stepN(s, 1);
    const inc = s.incidents[0]!;
    expect(inc.status).toBe('active');
    expect(nodeRow(s, 'node-a')).toMatch(/^node-a\s+Ready\s/);
    const notReadyAt = until(s, () => /^node-a\s+NotReady\s/.test(nodeRow(s, 'node-a')), 70);
    expect(notReadyAt).not.toBeNull();
    expect(notReadyAt! - AT).toBeGreaterThanOrEqual(50);
    expect(notReadyAt! - AT).toBeLessThanOrEqual(52);
    const describe = typeCommand(s, 'kubectl describe node node-a');
    expect(describe).toMatch(/Ready\s+Unknown\s.*NodeStatusUnknown\s+Kubelet stopped posting node status\./);
    expect(describe).toMatch(/node.kubernetes.io\/unreachable:NoExecute/);

    // On the host: the kubelet runs, the API server answers 401.
    const journal = typeCommand(s, 'ssh node-a sudo journalctl -u kubelet --no-pager');
    expect(journal).toMatch(/^Jan 01 00:00:31 node-a kubelet\[\d+\]: E0101 00:00:31\.\d{6} +\d+ kubelet_node_status\.go:\d+\] "Error updating node status, will retry" err="error getting node \\"node-a\\": Unauthorized"$/m);
    expect(journal).toMatch(/Current certificate is expired/);
    expect(typeCommand(s, 'ssh node-a sudo openssl x509 -noout -enddate -in /var/lib/kubelet/pki/kubelet-client-current.pem')).toBe('notAfter=Jan  1 00:00:30 2025 GMT');
    expect(typeCommand(s, 'ssh node-b sudo journalctl -u kubelet')).not.toMatch(/Unauthorized/);
    // kubeadm's own table looks healthy: it does not list the kubelet's client certificate.
    const table = typeCommand(s, 'kubeadm certs check-expiration');
    expect(table).toMatch(/^apiserver-kubelet-client\s+Dec 02, 2025 00:00 UTC\s+334d\s+ca\s+no$/m);
    expect(table).not.toMatch(/^kubelet/m);
    // Restarting the kubelet with the same credentials changes nothing.
    expect(typeCommand(s, 'ssh node-a sudo systemctl restart kubelet')).toBe('');

    // 5 min after the expiry the kubelet exits and systemd's restarts fail at bootstrap.
    stepN(s, AT + 50 + 300 + 5 - s.t);
    expect(/^node-a\s+NotReady\s/.test(nodeRow(s, 'node-a'))).toBe(true);
    const later = typeCommand(s, 'ssh node-a sudo journalctl -xeu kubelet -n 12');
    expect(later.split('\n')).toHaveLength(12);
    expect(later).toMatch(/kubelet\[\d+\]: E0101 00:0\d:\d\d\.\d{6} +\d+ bootstrap\.go:\d+\] part of the existing bootstrap client certificate in \/etc\/kubernetes\/kubelet\.conf is expired: 2025-01-01 00:00:30 \+0000 UTC/);
    expect(later).toMatch(/systemd\[1\]: kubelet\.service: Scheduled restart job, restart counter is at \d+\./);
    expect(typeCommand(s, 'ssh node-a sudo journalctl -u kubelet')).toMatch(/"No valid client certificate is found and the server is responsive, exiting\."/);
    expect(typeCommand(s, 'ssh node-a sudo systemctl status kubelet')).toMatch(/Active: activating \(auto-restart\) \(Result: exit-code\)/);
    expect(s.events.some((e) => e.reason === 'TaintManagerEviction')).toBe(true); // the 300 s toleration after the taint ran out

    // The fix: a new kubelet client certificate (the console installs it and restarts the kubelet).
    const out = typeCommand(s, RENEW);
    expect(out).toMatch(/^apiVersion: v1\n/);
    expect(out).toMatch(/client-certificate-data: \S+/);
    expect(out).toMatch(/user: system:node:node-a/);
    const renewedAt = s.t;
    const readyAt = until(s, () => /^node-a\s+Ready\s/.test(nodeRow(s, 'node-a')), 30);
    expect(readyAt).not.toBeNull();
    expect(readyAt! - renewedAt).toBeGreaterThanOrEqual(10); // the kubelet's restart
    expect(readyAt! - renewedAt).toBeLessThanOrEqual(12);
    expect(typeCommand(s, 'kubectl describe node node-a')).not.toMatch(/unreachable/);
    expect(typeCommand(s, 'ssh node-a sudo journalctl -u kubelet -n 1')).toMatch(/"Node was previously registered" node="node-a"/);
    expect(typeCommand(s, 'ssh node-a sudo openssl x509 -noout -enddate -in /var/lib/kubelet/pki/kubelet-client-current.pem')).toBe(`notAfter=Jan  1 ${simTimestamp(renewedAt).slice(11, 19)} 2026 GMT`);
    expect(until(s, () => inc.status === 'mitigated', 60)).not.toBeNull();
    stepN(s, 60);
    expect(availabilityOver(s, 60)).toBeGreaterThan(0.998);
    expect(checkInvariants(s)).toEqual([]);
  });

  it('the kubelet is cut off, not down: its Pods keep serving until they leave the endpoints; renewed before the eviction, the kubelet adopts the running containers (no restart)', () => {
    const s = sim();
    stepN(s, AT);
    const pods = Object.values(s.pods).filter((p) => p.spec.nodeName === 'node-a' && p.metadata.namespace === 'default').map((p) => p.metadata.name).sort();
    expect(pods.length).toBeGreaterThan(0);
    // Before the 50 s grace the Node's Pods still serve: no requests lost to node-a.
    expect(availabilityOver(s, 45)).toBeGreaterThan(0.998);
    stepN(s, 10);
    expect(nodeRow(s, 'node-a')).toMatch(/^node-a\s+NotReady\s/);
    for (const name of pods) expect(s.pods[`default/${name}`]!.sim.ready).toBe(false);
    typeCommand(s, RENEW);
    stepN(s, 12);
    expect(nodeRow(s, 'node-a')).toMatch(/^node-a\s+Ready\s/);
    for (const name of pods) {
      const p = s.pods[`default/${name}`]!;
      expect(p.sim.ready).toBe(true);
      expect(p.status.containerStatuses[0]!.restartCount).toBe(0);
    }
    expect(checkInvariants(s)).toEqual([]);
  });

  it('replacing the Node mitigates it (the new machine joins with a fresh certificate); an unknown Node is refused', () => {
    const s = sim([
      { id: 'cert', type: 'kubelet-cert-expiry', at: AT, target: 'node-a', params: {} },
      { id: 'bad', type: 'kubelet-cert-expiry', at: AT, target: 'node-x', params: {} },
    ]);
    stepN(s, AT + 60);
    expect(s.incidents[1]!.data['error']).toBe('node node-x not found');
    expect(typeCommand(s, 'gameday-ops node replace node-a')).not.toMatch(/error/i);
    const inc = s.incidents[0]!;
    expect(until(s, () => inc.status === 'mitigated', 400)).not.toBeNull();
    expect(until(s, () => /^node-a\s+Ready\s/.test(nodeRow(s, 'node-a')), 400)).not.toBeNull();
    expect(typeCommand(s, 'ssh node-a sudo journalctl -u kubelet')).not.toMatch(/Unauthorized/);
    expect(availabilityOver(s, 60)).toBeGreaterThan(0.998);
  });

  it('a machine that is down does not answer ssh; a kubelet that cannot authenticate does', () => {
    const s = sim([
      { id: 'cert', type: 'kubelet-cert-expiry', at: AT, target: 'node-a', params: { nodes: ['node-b'] } },
      { id: 'down', type: 'node-failure', at: AT, target: 'node-c', params: {} },
    ]);
    stepN(s, AT + 60);
    expect(nodeRow(s, 'node-b')).toMatch(/^node-b\s+NotReady\s/);
    expect(typeCommand(s, 'ssh node-b sudo journalctl -u kubelet')).toMatch(/Unauthorized/);
    expect(typeCommand(s, 'ssh node-c sudo journalctl -u kubelet')).toBe('ssh: connect to host node-c port 22: No route to host');
    expect(typeCommand(s, 'ssh node-a sudo journalctl')).toMatch(/journalctl -u kubelet/);
    // A new certificate for a healthy Node is harmless: printed, nothing else changes.
    const healthy = createSim(shopInput());
    stepN(healthy, 10);
    expect(typeCommand(healthy, 'kubeadm kubeconfig user --org system:nodes --client-name system:node:node-a')).toMatch(/^apiVersion: v1\n[\s\S]*user: system:node:node-a\n[\s\S]*# installed as node-a:\/etc\/kubernetes\/kubelet\.conf; systemctl restart kubelet$/);
    stepN(healthy, 20);
    expect(nodeRow(healthy, 'node-a')).toMatch(/^node-a\s+Ready\s/);
    expect(typeCommand(healthy, 'ssh node-a sudo systemctl status kubelet')).toMatch(/Active: active \(running\)/);
  });
});
