/**
 * `container-runtime-down`: containerd on node-a of the shop (test/sim/game-fixtures.ts: node-a, node-b,
 * node-c in zones a, b, c) stops at sim second 30. The kubelet keeps posting status: Ready False
 * (`KubeletNotReady`, "container runtime is down") 30 s later, the not-ready taints (NoSchedule and,
 * first of its zone, NoExecute at the controller's next pass, 1 s on), its Pods not Ready (out of the endpoints), "PLEG is not
 * healthy" after 3 min, the Pods marked for deletion after their 300 s toleration. `ssh node-a sudo
 * systemctl restart containerd` brings it back 10 s later without restarting the containers.
 * Times are sim seconds (tickSeconds 1).
 */
import { describe, it, expect } from 'vitest';
import { createSim } from '../../shared/sim/index.ts';
import type { SimState } from '../../shared/sim/types.ts';
import { incidentCatalog } from '../../shared/sim/incidents/index.ts';
import { parseScenario } from '../../shared/scenario/parse.ts';
import { MINIMAL_SCENARIO } from '../scenario/helpers.ts';
import { checkInvariants } from './invariants.ts';
import { podsOf, shopInput, stepN, typeCommand } from './game-fixtures.ts';

const AT = 30;

function sim(): SimState {
  return createSim(shopInput({ incidents: [{ id: 'rt', type: 'container-runtime-down', at: AT, target: 'node-a', params: {} }] }));
}

function nodeRow(s: SimState, node: string): string {
  return typeCommand(s, 'kubectl get nodes').split('\n').find((l) => l.startsWith(`${node} `)) ?? '';
}

const onNodeA = (s: SimState) => Object.values(s.pods).filter((p) => p.spec.nodeName === 'node-a' && p.metadata.namespace === 'default').sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));

describe('incident container-runtime-down', () => {
  it('is in the catalog with the containerd restart; a scenario type targeting a Node', () => {
    const e = incidentCatalog().find((x) => x.kind === 'container-runtime-down')!;
    expect(e.title).toBe('Container runtime down on <node>');
    expect(e.target).toBe('a Node (its name)');
    expect(e.remediations[0]!.command).toBe('ssh <node> sudo systemctl restart containerd');
    const y = `${MINIMAL_SCENARIO}incidents:\n  - { id: c, type: container-runtime-down, at: 20, target: node-1 }\n`;
    expect(parseScenario(y).incidents[0]!.params).toEqual({});
  });

  it('Ready False 30 s after containerd stopped, not-ready taints, Pods out of the endpoints; a containerd restart makes the Node Ready 10 s later without container restarts', () => {
    const s = sim();
    stepN(s, AT + 1);
    expect(s.incidents[0]!.status).toBe('active');
    const pods = onNodeA(s).map((p) => p.metadata.name);
    expect(pods.length).toBeGreaterThan(0);
    stepN(s, 28); // t = AT + 29
    expect(nodeRow(s, 'node-a')).toMatch(/^node-a\s+Ready\s/);
    stepN(s, 1); // t = AT + 30
    expect(s.t).toBe(AT + 30);
    expect(nodeRow(s, 'node-a')).toMatch(/^node-a\s+NotReady\s/);
    expect(typeCommand(s, 'kubectl describe node node-a')).toMatch(/Ready\s+False\s.*KubeletNotReady\s+container runtime is down/);
    stepN(s, 1); // the node lifecycle controller's next pass
    const describe = typeCommand(s, 'kubectl describe node node-a');
    expect(describe).toMatch(/node\.kubernetes\.io\/not-ready:NoExecute/);
    expect(describe).toMatch(/node\.kubernetes\.io\/not-ready:NoSchedule/);
    expect(describe).not.toMatch(/unreachable/);
    // The kubelet still posts status: Ready False, not the Unknown of a silent kubelet.
    expect(describe).not.toMatch(/NodeStatusUnknown/);
    expect(describe).toMatch(/NodeNotReady\s+\S+\s+kubelet\s+Node node-a status is now: NodeNotReady/);
    expect(describe).toMatch(/NodeNotReady\s+\S+\s+node-controller\s+Node node-a status is now: NodeNotReady/);
    for (const name of pods) expect(s.pods[`default/${name}`]!.sim.ready).toBe(false);
    const slices = typeCommand(s, 'kubectl get endpointslices -o yaml');
    for (const p of onNodeA(s)) expect(slices).not.toMatch(new RegExp(`name: ${p.metadata.name}[\\s\\S]{0,80}ready: true`));
    // On the host: containerd is stopped, the kubelet's runtime checks fail.
    expect(typeCommand(s, 'ssh node-a sudo systemctl status containerd')).toMatch(/Active: inactive \(dead\) since Wed 2025-01-01 00:00:30 UTC/);
    expect(typeCommand(s, 'ssh node-a sudo journalctl -u kubelet')).toMatch(/"Node became not ready" node="node-a" condition=\{"type":"Ready","status":"False","reason":"KubeletNotReady","message":"container runtime is down"\}/);
    expect(typeCommand(s, 'ssh node-b sudo systemctl status containerd')).toMatch(/Active: active \(running\)/);

    // After the PLEG threshold (3 min) the message aggregates both errors.
    stepN(s, AT + 190 - s.t);
    expect(typeCommand(s, 'kubectl describe node node-a')).toMatch(/KubeletNotReady\s+\[container runtime is down, PLEG is not healthy: pleg was last seen active 3m10s ago; threshold is 3m0s\]/);
    stepN(s, 10);
    expect(typeCommand(s, 'kubectl describe node node-a')).toMatch(/pleg was last seen active 3m20s ago/);
    expect(typeCommand(s, 'ssh node-a sudo journalctl -u kubelet')).toMatch(/"Skipping pod synchronization" err="container runtime is down"/);

    // The fix: restart containerd; Ready 10 s later, taints gone, the same containers Ready again.
    expect(typeCommand(s, 'ssh node-a sudo systemctl restart containerd')).toBe('');
    const fixedAt = s.t;
    stepN(s, 9);
    expect(nodeRow(s, 'node-a')).toMatch(/^node-a\s+NotReady\s/);
    stepN(s, 2);
    expect(s.t).toBe(fixedAt + 11);
    expect(nodeRow(s, 'node-a')).toMatch(/^node-a\s+Ready\s/);
    expect(s.nodes['node-a']!.spec.taints.filter((t) => t.key.startsWith('node.kubernetes.io/'))).toEqual([]);
    for (const name of pods) {
      const p = s.pods[`default/${name}`]!;
      expect(p.sim.ready).toBe(true);
      expect(p.status.containerStatuses[0]!.restartCount).toBe(0);
    }
    expect(s.incidents[0]!.status).toBe('mitigated');
    expect(typeCommand(s, 'ssh node-a sudo systemctl status containerd')).toMatch(/Active: active \(running\)/);
    expect(checkInvariants(s)).toEqual([]);
  });

  it('left alone: its Pods are marked for deletion 300 s after the not-ready:NoExecute taint and replaced elsewhere; they finish once containerd is back', () => {
    const s = sim();
    stepN(s, AT + 31 + 299);
    const before = onNodeA(s).map((p) => p.metadata.name);
    for (const name of before) expect(s.pods[`default/${name}`]!.metadata.deletionTimestamp).toBeUndefined();
    stepN(s, 1); // t = AT + 31 + 300: 300 s after the not-ready:NoExecute taint
    for (const name of before) expect(s.pods[`default/${name}`]?.metadata.deletionTimestamp).toBeDefined();
    stepN(s, 60);
    // Terminating: the kubelet cannot stop containers without a runtime.
    for (const name of before) expect(s.pods[`default/${name}`]).toBeDefined();
    for (const d of ['frontend', 'api']) expect(s.deployments[`default/${d}`]!.status.availableReplicas).toBe(3);
    expect(podsOf(s, 'frontend').filter((p) => p.spec.nodeName === 'node-a' && p.metadata.deletionTimestamp === undefined)).toEqual([]);
    expect(s.incidents[0]!.status).toBe('mitigated'); // the workloads run elsewhere
    typeCommand(s, 'ssh node-a sudo systemctl restart containerd');
    stepN(s, 15);
    for (const name of before) expect(s.pods[`default/${name}`]).toBeUndefined();
    expect(nodeRow(s, 'node-a')).toMatch(/^node-a\s+Ready\s/);
    expect(checkInvariants(s)).toEqual([]);
  });
});

describe('container-runtime-down, then the machine fails', () => {
  it('a Node reporting Ready False whose kubelet stops turns Unknown after the 50 s grace, its not-ready taints swapped for unreachable', () => {
    const s = createSim(shopInput({ incidents: [
      { id: 'rt', type: 'container-runtime-down', at: AT, target: 'node-a', params: {} },
      { id: 'dead', type: 'node-failure', at: 100, target: 'node-a', params: {} },
    ] }));
    stepN(s, 100);
    const keys = (n: typeof s.nodes[string]) => n.spec.taints.map((t) => `${t.key}:${t.effect}`).sort();
    expect(keys(s.nodes['node-a']!)).toEqual(['node.kubernetes.io/not-ready:NoExecute', 'node.kubernetes.io/not-ready:NoSchedule']);
    stepN(s, 50); // t = 150: 50 s after the kubelet stopped
    expect(s.nodes['node-a']!.status.conditions.find((c) => c.type === 'Ready')).toMatchObject({ status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' });
    expect(keys(s.nodes['node-a']!)).toEqual(['node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/unreachable:NoSchedule']);
    expect(nodeRow(s, 'node-a')).toMatch(/^node-a\s+NotReady\s/);
    expect(checkInvariants(s)).toEqual([]);
  });
});
