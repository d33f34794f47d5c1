/**
 * The console's label, annotate, taint and delete deployment, and the sim actions they (and the
 * Kubernetes API) submit: what a player sees in `kubectl get` afterwards, and that the actions replay
 * deterministically (the same state hash from the same log).
 */
import { describe, it, expect } from 'vitest';
import { createSim, stateHash } from '../../shared/sim/index.ts';
import { applyAction } from '../../shared/sim/actions/index.ts';

import { kubectlEquivalent } from '../../shared/kubectl/equivalent.ts';
import { runKubectl } from '../../shared/kubectl/index.ts';
import { podAddress } from '../../shared/sim/kinds/print.ts';
import type { SimAction } from '../../shared/sim/types.ts';
import { podsOf, shopInput, stepN, typeCommand } from '../sim/game-fixtures.ts';

describe('console label / annotate / taint / delete deployment', () => {
  it('label a Pod out of its Service and back', () => {
    const s = createSim(shopInput());
    const pod = podsOf(s, 'api')[0]!.metadata.name;
    const p = s.pods[`default/${pod}`]!;
    const ip = podAddress(s, p.spec.nodeName!, p.metadata.uid);
    const endpoints = () => typeCommand(s, 'kubectl get endpoints api');
    expect(endpoints()).toContain(ip);
    expect(typeCommand(s, `kubectl label pod ${pod} app=debug`)).toBe(`error: 'app' already has a value (api), and --overwrite is false`);
    expect(typeCommand(s, `kubectl label pod ${pod} app=debug --overwrite`)).toBe(`pod/${pod} labeled`);
    stepN(s, 2);
    expect(endpoints()).not.toContain(ip);
    expect(typeCommand(s, 'kubectl get pods -l app=debug')).toContain(pod);
    expect(typeCommand(s, `kubectl label pod ${pod} app=api --overwrite`)).toBe(`pod/${pod} labeled`);
    stepN(s, 2);
    expect(endpoints()).toContain(ip);
    expect(typeCommand(s, 'kubectl label pod nope a=b')).toBe('Error from server (NotFound): pods "nope" not found');
    expect(typeCommand(s, 'kubectl annotate deploy api note=hi')).toBe('deployment.apps/api annotated');
    expect(s.deployments['default/api']!.metadata.annotations['note']).toBe('hi');
  });

  it('taint NoSchedule keeps Pods off a Node; NoExecute evicts; untaint', () => {
    const s = createSim(shopInput());
    expect(typeCommand(s, 'kubectl taint nodes node-a dedicated=db:NoSchedule')).toBe('node/node-a tainted');
    expect(s.nodes['node-a']!.spec.taints).toEqual([{ key: 'dedicated', value: 'db', effect: 'NoSchedule', timeAdded: s.t }]);
    expect(typeCommand(s, 'kubectl taint nodes node-a dedicated=db:NoSchedule')).toContain('already has dedicated taint(s)');
    const onA = () => Object.values(s.pods).filter((p) => p.spec.nodeName === 'node-a' && p.metadata.deletionTimestamp === undefined).length;
    const before = onA();
    expect(before).toBeGreaterThan(0);
    expect(typeCommand(s, 'kubectl taint nodes node-a evict=now:NoExecute')).toBe('node/node-a tainted');
    stepN(s, 60);
    expect(onA()).toBe(0);
    expect(typeCommand(s, 'kubectl get events')).toContain('TaintManagerEviction');
    expect(typeCommand(s, 'kubectl taint nodes node-a evict- dedicated:NoSchedule-')).toBe('node/node-a untainted');
    expect(s.nodes['node-a']!.spec.taints).toEqual([]);
  });

  it('delete deployment cascades; --cascade=orphan keeps the ReplicaSet', () => {
    const s = createSim(shopInput());
    expect(typeCommand(s, 'kubectl delete deployment api')).toBe('deployment.apps "api" deleted');
    stepN(s, 60);
    expect(podsOf(s, 'api')).toEqual([]);
    expect(Object.keys(s.replicaSets).some((k) => k.startsWith('default/api-'))).toBe(false);
    expect(typeCommand(s, 'kubectl delete deployment db --cascade=orphan')).toBe('deployment.apps "db" deleted');
    stepN(s, 5);
    expect(Object.values(s.replicaSets).filter((r) => r.metadata.name.startsWith('db-')).every((r) => r.metadata.ownerReferences.length === 0)).toBe(true);
    expect(podsOf(s, 'db').length).toBeGreaterThan(0);
  });

  it('createDeployment: the controllers give it a ReplicaSet and Running Pods', () => {
    const s = createSim(shopInput());
    const manifest = JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27', resources: { requests: { cpu: '100m', memory: '64Mi' } } }] } } } });
    expect(applyAction(s, 'alice', { type: 'createDeployment', manifest })).toMatchObject({ ok: true, message: 'deployment.apps/web created' });
    expect(applyAction(s, 'alice', { type: 'createDeployment', manifest })).toMatchObject({ ok: false, error: 'Error from server (AlreadyExists): deployments.apps "web" already exists' });
    expect(applyAction(s, 'alice', { type: 'createDeployment', manifest: '{"kind":"Deployment","apiVersion":"apps/v1","metadata":{"name":"x"}}' })).toMatchObject({ ok: false });
    stepN(s, 60);
    expect(podsOf(s, 'web').map((p) => p.status.phase)).toEqual(['Running', 'Running']);
    expect(kubectlEquivalent({ type: 'createDeployment', manifest })).toBe('kubectl apply -f web.yaml');
  });

  it('the new actions replay to the same state', () => {
    const log: SimAction[] = [
      { type: 'label', kind: 'Pod', name: '', labels: [{ key: 'x', value: 'y' }] },
      { type: 'taintNode', node: 'node-b', taints: [{ key: 'k', effect: 'NoExecute' }] },
      { type: 'annotate', kind: 'Node', name: 'node-a', annotations: [{ key: 'a', value: 'b' }] },
      { type: 'deleteDeployment', deployment: 'db' },
    ];
    const run = () => {
      const s = createSim(shopInput());
      log[0] = { type: 'label', kind: 'Pod', name: podsOf(s, 'api')[0]!.metadata.name, labels: [{ key: 'x', value: 'y' }] };
      for (const a of log) {
        expect(applyAction(s, 'alice', a).ok).toBe(true);
        stepN(s, 10);
      }
      return stateHash(s);
    };
    expect(run()).toBe(run());
    // The console and the API submit the same action for the same command.
    const s = createSim(shopInput());
    const r = runKubectl(s, 'kubectl taint nodes node-b k:NoExecute');
    expect(r).toMatchObject({ kind: 'action', action: { type: 'taintNode', node: 'node-b', taints: [{ key: 'k', effect: 'NoExecute' }] } });
  });
});
