import { describe, expect, it } from 'vitest';
import { ActionMessage } from '../../shared/protocol.ts';
import { actionsFor, kubectlEquivalent } from '../../client/src/view/actions.ts';
import { boutiqueTeam, key } from './fixtures.ts';

describe('context panel actions', () => {
  const team = boutiqueTeam();
  const frontendPod = [...team.pods.values()].find((p) => p.deployment === 'frontend');

  it('offers delete on a pod plus its Deployment actions, each a valid protocol message', () => {
    expect(frontendPod).toBeDefined();
    if (!frontendPod) return;
    const options = actionsFor({ kind: 'pod', name: key(frontendPod.name) }, team);
    expect(options.map((o) => o.id)).toEqual(['pod:delete', 'deployment:scale', 'deployment:undo', 'deployment:restart', 'deployment:memory']);
    for (const o of options) {
      const msg = o.build(o.input?.initial);
      expect(ActionMessage.safeParse(msg).success, o.id).toBe(true);
    }
    expect(options[0]?.build()).toEqual({ type: 'deletePod', pod: frontendPod.name });
  });

  it('pre-fills scale with the current replicas and the memory limit with the current limit', () => {
    const options = actionsFor({ kind: 'deployment', name: key('frontend') }, team);
    const scale = options.find((o) => o.id === 'deployment:scale');
    expect(scale?.input?.initial).toBe('3');
    expect(scale?.build('4')).toEqual({ type: 'scaleDeployment', deployment: 'frontend', replicas: 4 });
    const mem = options.find((o) => o.id === 'deployment:memory');
    expect(mem?.input?.initial).toBe('256Mi');
    expect(mem?.build('1Gi')).toEqual({ type: 'setResources', deployment: 'frontend', limits: { memory: '1Gi' } });
  });

  it('refuses bad input with a message the player can act on', () => {
    const options = actionsFor({ kind: 'deployment', name: key('frontend') }, team);
    const scale = options.find((o) => o.id === 'deployment:scale');
    expect(() => scale?.build('four')).toThrow('replicas must be a whole number');
    expect(() => scale?.build('-1')).toThrow('replicas must be a whole number');
    expect(() => scale?.build('5000')).toThrow('at most 1000');
    const mem = options.find((o) => o.id === 'deployment:memory');
    expect(() => mem?.build('lots')).toThrow('512Mi');
  });

  it('offers cordon or uncordon depending on the node, and drain', () => {
    expect(actionsFor({ kind: 'node', name: 'worker-1' }, team).map((o) => o.id)).toEqual(['node:cordon', 'node:drain']);
    const cordoned = boutiqueTeam();
    const n = cordoned.nodes.get('worker-1');
    if (n) n.unschedulable = true;
    expect(actionsFor({ kind: 'node', name: 'worker-1' }, cordoned).map((o) => o.id)).toEqual(['node:uncordon', 'node:drain']);
  });

  it('offers restore only for an etcd member that is down', () => {
    expect(actionsFor({ kind: 'etcd', name: 'etcd-1' }, team)).toEqual([]);
    const broken = boutiqueTeam();
    broken.etcd = broken.etcd.map((m) => (m.name === 'etcd-1' ? { ...m, healthy: false } : m));
    const options = actionsFor({ kind: 'etcd', name: 'etcd-1' }, broken);
    expect(options.map((o) => o.build())).toEqual([{ type: 'restoreEtcdMember', member: 'etcd-1' }]);
  });

  it('offers force delete for a Terminating pod and nothing for objects that went away', () => {
    const t = boutiqueTeam();
    const p = [...t.pods.values()][0];
    if (!p) throw new Error('fixture has pods');
    p.status = 'Terminating';
    expect(actionsFor({ kind: 'pod', name: key(p.name) }, t).map((o) => o.id)).toContain('pod:force-delete');
    expect(actionsFor({ kind: 'pod', name: 'gone' }, t)).toEqual([]);
    expect(actionsFor({ kind: 'deployment', name: 'gone' }, t)).toEqual([]);
  });
});

describe('kubectlEquivalent', () => {
  it('prints the command a player would type for each action', () => {
    expect(kubectlEquivalent({ type: 'scaleDeployment', deployment: 'frontend', replicas: 4 })).toBe('kubectl scale deployment/frontend --replicas=4');
    expect(kubectlEquivalent({ type: 'deletePod', pod: 'p-1' })).toBe('kubectl delete pod p-1');
    expect(kubectlEquivalent({ type: 'deletePod', pod: 'p-1', force: true })).toBe('kubectl delete pod p-1 --grace-period=0 --force');
    expect(kubectlEquivalent({ type: 'rolloutUndo', deployment: 'cart' })).toBe('kubectl rollout undo deployment/cart');
    expect(kubectlEquivalent({ type: 'rolloutRestart', deployment: 'cart' })).toBe('kubectl rollout restart deployment/cart');
    expect(kubectlEquivalent({ type: 'setResources', deployment: 'cart', limits: { memory: '512Mi' } })).toBe('kubectl set resources deployment/cart --limits=memory=512Mi');
    expect(kubectlEquivalent({ type: 'cordonNode', node: 'n1' })).toBe('kubectl cordon n1');
    expect(kubectlEquivalent({ type: 'uncordonNode', node: 'n1' })).toBe('kubectl uncordon n1');
    expect(kubectlEquivalent({ type: 'drainNode', node: 'n1' })).toBe('kubectl drain n1 --ignore-daemonsets');
    expect(kubectlEquivalent({ type: 'restoreEtcdMember', member: 'etcd-1' })).toBe('etcdctl snapshot restore snapshot.db --name etcd-1');
  });
});
