/**
 * Node reboot as a remediation (`ssh NODE sudo systemctl reboot` -> action `nodeOperation`,
 * shared/sim/actions/nodeReboot.ts): the machine goes down, the Node turns NotReady after the 50 s
 * grace, comes back Ready within 60-120 s with its Pods' containers restarted (restartCount + 1), and
 * nothing is evicted. Sim seconds; the duration is a pure hash (no PRNG draw).
 */
import { describe, expect, it } from 'vitest';
import { runKubectl } from '../../shared/kubectl/index.ts';
import { kubectlEquivalent } from '../../shared/kubectl/equivalent.ts';
import { ActionMessage } from '../../shared/protocol.ts';
import { createSim } from '../../shared/sim/index.ts';
import { rebootSeconds } from '../../shared/sim/actions/nodeReboot.ts';
import { shopInput, stepN, typeCommand } from './game-fixtures.ts';

describe('node reboot', () => {
  it('NotReady after the grace period, Ready again with restarted containers; no Pod evicted', () => {
    const s = createSim(shopInput());
    stepN(s, 30);
    const node = Object.keys(s.nodes).sort()[0]!;
    const pods = Object.values(s.pods).filter((p) => p.spec.nodeName === node).map((p) => p.metadata.name).sort();
    expect(pods.length).toBeGreaterThan(0);
    const rngBefore = JSON.stringify(s.rng);
    const secs = rebootSeconds(node, s.t);
    expect(secs).toBeGreaterThanOrEqual(60);
    expect(secs).toBeLessThanOrEqual(120);
    const r = runKubectl(s, `ssh ${node} sudo systemctl reboot`);
    expect(r).toEqual({ kind: 'action', action: { type: 'nodeOperation', op: 'reboot', node } });
    if (r.kind !== 'action') return;
    expect(ActionMessage.safeParse(r.action).success).toBe(true);
    expect(kubectlEquivalent(r.action)).toBe(`ssh ${node} sudo systemctl reboot`);
    expect(typeCommand(s, `ssh ${node} sudo systemctl reboot`)).toMatch(new RegExp(`^Connection to ${node} closed by remote host\\.`));
    expect(JSON.stringify(s.rng)).toBe(rngBefore);
    expect(typeCommand(s, `ssh ${node} sudo reboot`)).toBe(`ssh: connect to host ${node} port 22: No route to host`);
    stepN(s, 55);
    expect(typeCommand(s, `kubectl get node ${node}`)).toMatch(new RegExp(`${node}\\s+NotReady`));
    stepN(s, secs - 55 + 15);
    expect(typeCommand(s, `kubectl get node ${node}`)).toMatch(new RegExp(`${node}\\s+Ready`));
    stepN(s, 30);
    const after = Object.values(s.pods).filter((p) => p.spec.nodeName === node);
    expect(after.map((p) => p.metadata.name).sort()).toEqual(pods); // the same Pods: nothing evicted
    expect(after.every((p) => p.status.containerStatuses[0]!.restartCount === 1)).toBe(true);
    expect(after.every((p) => p.sim.ready)).toBe(true);
    expect(typeCommand(s, 'kubectl get events')).toMatch(/Rebooted/);
  });

  it('refuses unknown nodes and other host commands', () => {
    const s = createSim(shopInput());
    expect(typeCommand(s, 'ssh nope sudo reboot')).toBe('ssh: Could not resolve hostname nope: Name or service not known');
    const node = Object.keys(s.nodes).sort()[0]!;
    expect(typeCommand(s, `ssh ${node} rm -rf /`)).toMatch(/^error: the console runs only "sudo systemctl reboot"/);
    expect(typeCommand(s, `ssh ${node}`)).toMatch(/cannot open an interactive shell/);
  });
});

describe('node replace', () => {
  it('drains and deletes the Node; a new machine registers under the same name and zone ~3 min later', async () => {
    const { checkInvariants } = await import('./invariants.ts');
    const s = createSim(shopInput());
    stepN(s, 30);
    const node = Object.keys(s.nodes).sort()[0]!;
    const zone = s.nodes[node]!.metadata.labels['topology.kubernetes.io/zone'];
    const oldUid = s.nodes[node]!.metadata.uid;
    const r = runKubectl(s, `gameday-ops node replace ${node}`);
    expect(r).toEqual({ kind: 'action', action: { type: 'nodeOperation', op: 'replace', node } });
    if (r.kind === 'action') {
      expect(ActionMessage.safeParse(r.action).success).toBe(true);
      expect(kubectlEquivalent(r.action)).toBe(`gameday-ops node replace ${node}`);
    }
    const out = typeCommand(s, `gameday-ops node replace ${node}`);
    expect(out).toMatch(new RegExp(`^node/${node} cordoned`));
    expect(out).toMatch(/a new machine registers/);
    expect(typeCommand(s, `gameday-ops node replace ${node}`)).toBe(`error: node ${node} is already being replaced`);
    stepN(s, 40);
    expect(typeCommand(s, `kubectl get node ${node}`)).toBe(`Error from server (NotFound): nodes "${node}" not found`);
    expect(Object.values(s.pods).some((p) => p.spec.nodeName === node)).toBe(false);
    expect(typeCommand(s, 'kubectl get events')).toMatch(/RemovingNode/);
    stepN(s, 200);
    const fresh = s.nodes[node]!;
    expect(fresh).toBeDefined();
    expect(fresh.metadata.uid).not.toBe(oldUid);
    expect(fresh.metadata.labels['topology.kubernetes.io/zone']).toBe(zone);
    expect(typeCommand(s, `kubectl get node ${node}`)).toMatch(new RegExp(`^NAME.*\\n${node}\\s+Ready\\s`));
    expect(typeCommand(s, 'kubectl get events')).toMatch(/RegisteredNode/);
    expect(s.replacingNodes).toBeUndefined();
    expect(checkInvariants(s)).toEqual([]);
  });
});
