/**
 * DaemonSet update strategies and taints (issue 6): RollingUpdate with maxUnavailable 1 (an old Pod
 * deleted, the next once the new one on that Node is Ready), OnDelete, `kubectl rollout status ds/x`;
 * the controller's automatic tolerations (a cordoned Node keeps and gets its Pod) and the Node's own
 * NoSchedule / NoExecute taints (K pkg/controller/daemon daemon_controller.go, update.go,
 * util/daemonset_util.go).
 */
import { describe, expect, it } from 'vitest';
import { step } from '../../shared/sim/index.ts';
import type { Pod, SimState } from '../../shared/sim/index.ts';
import { daemonSetCluster, kubectl } from './workload-fixtures.ts';
import { loadManifests } from '../../shared/manifests/load.ts';
import { manifestsOnlyInput } from '../../shared/scenario/toSimInput.ts';
import { createSim } from '../../shared/sim/index.ts';


function cluster(strategy = ''): SimState {
  const s = daemonSetCluster(strategy);
  for (let i = 0; i < 120 && s.daemonSets!['default/agent']!.status.numberReady < Object.keys(s.nodes).length; i++) step(s);
  return s;
}

const agents = (s: SimState): Pod[] => Object.values(s.pods).filter((p) => p.metadata.name.startsWith('agent-') && !p.metadata.deletionTimestamp);
const onNode = (s: SimState, node: string) => agents(s).find((p) => p.spec.nodeSelector?.['kubernetes.io/hostname'] === node);

describe('DaemonSet RollingUpdate', () => {
  it('replaces one Node at a time (maxUnavailable 1): never more than one Node without a Ready Pod; rollout status counts', () => {
    const s = cluster();
    const nodes = Object.keys(s.nodes).sort();
    const ds = () => s.daemonSets!['default/agent']!;
    expect(ds().status.numberReady).toBe(nodes.length);
    expect(kubectl(s, 'kubectl rollout status ds/agent')).toBe('daemon set "agent" successfully rolled out');
    expect(agents(s)[0]!.spec.tolerations).toEqual(expect.arrayContaining([{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }]));
    expect(kubectl(s, 'kubectl set image daemonset/agent agent=agent:2')).toBe('daemonset.apps/agent image updated');
    step(s);
    expect(kubectl(s, 'kubectl rollout status daemonset/agent')).toBe(`Waiting for daemon set "agent" rollout to finish: 0 out of ${nodes.length} new pods have been updated...`);
    let worst = 0;
    const done = (() => {
      for (let i = 0; i < 400; i++) {
        const readyNodes = nodes.filter((n) => onNode(s, n)?.sim.ready).length;
        worst = Math.max(worst, nodes.length - readyNodes);
        if (nodes.every((n) => onNode(s, n)?.spec.containers[0]!.image === 'agent:2' && onNode(s, n)!.sim.ready)) return s.t;
        step(s);
      }
      return null;
    })();
    expect(done).not.toBeNull();
    expect(worst).toBe(1);
    step(s);
    expect(ds().status.updatedNumberScheduled).toBe(nodes.length);
    expect(kubectl(s, 'kubectl rollout status ds/agent')).toBe('daemon set "agent" successfully rolled out');
  });

  it('maxSurge 1 (maxUnavailable 0): the new Pod starts beside the old one, which goes once the new one is Ready; every Node keeps a Ready Pod', () => {
    const s = cluster('  updateStrategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}\n');
    const nodes = Object.keys(s.nodes).sort();
    expect(nodes.length).toBeGreaterThan(1);
    expect(kubectl(s, 'kubectl set image daemonset/agent agent=agent:2')).toBe('daemonset.apps/agent image updated');
    let worstUnready = 0;
    let mostDoubled = 0;
    let sawTwo = false;
    const done = (() => {
      for (let i = 0; i < 400; i++) {
        step(s);
        const per = nodes.map((n) => agents(s).filter((p) => p.spec.nodeSelector?.['kubernetes.io/hostname'] === n));
        worstUnready = Math.max(worstUnready, per.filter((ps) => !ps.some((p) => p.sim.ready)).length);
        const doubled = per.filter((ps) => ps.length === 2).length;
        mostDoubled = Math.max(mostDoubled, doubled);
        if (doubled > 0) sawTwo = true;
        expect(Math.max(...per.map((ps) => ps.length))).toBeLessThanOrEqual(2);
        if (per.every((ps) => ps.length === 1 && ps[0]!.spec.containers[0]!.image === 'agent:2' && ps[0]!.sim.ready)) return s.t;
      }
      return null;
    })();
    expect(done).not.toBeNull();
    expect(sawTwo).toBe(true);
    expect(mostDoubled).toBe(1);
    expect(worstUnready).toBe(0);
    step(s);
    expect(s.daemonSets!['default/agent']!.status.updatedNumberScheduled).toBe(nodes.length);
    expect(kubectl(s, 'kubectl rollout status ds/agent')).toBe('daemon set "agent" successfully rolled out');
    expect(kubectl(s, 'kubectl get ds agent -o jsonpath={.spec.updateStrategy.rollingUpdate.maxSurge}')).toBe('1');
  });

  it('a template with required node affinity runs only on the Nodes it matches (DESIRED counts them; no Pending Pod elsewhere)', () => {
    const names = Object.keys(daemonSetCluster().nodes).sort();
    const yaml = `apiVersion: v1
kind: Service
metadata: {name: agent}
spec: {selector: {app: agent}, ports: [{port: 80}]}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      affinity:
        nodeAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            nodeSelectorTerms: [{matchFields: [{key: metadata.name, operator: In, values: [${names[0]}, ${names[1]}]}]}]
      containers: [{name: agent, image: agent:1, ports: [{containerPort: 80}]}]
`;
    const input = manifestsOnlyInput(loadManifests(yaml), { seed: 5 });
    const s = createSim({ ...input, nodes: input.nodes.slice(0, 3) });
    for (let i = 0; i < 60; i++) step(s);
    expect(agents(s).map((p) => p.spec.nodeName).sort()).toEqual([names[0], names[1]]);
    expect(s.daemonSets!['default/agent']!.status.desiredNumberScheduled).toBe(2);
    expect(kubectl(s, 'kubectl get ds agent')).toMatch(/\nagent +2 +2 +2 +2 +2 /);
  });

  it('OnDelete: nothing is replaced until a Pod is deleted; rollout status refuses', () => {
    const s = cluster('  updateStrategy: {type: OnDelete}\n');
    const before = agents(s).map((p) => p.metadata.uid).sort();
    kubectl(s, 'kubectl set image ds/agent agent=agent:2');
    for (let i = 0; i < 60; i++) step(s);
    expect(agents(s).map((p) => p.metadata.uid).sort()).toEqual(before);
    expect(kubectl(s, 'kubectl rollout status ds/agent')).toBe('error: rollout status is only available for RollingUpdate strategy type');
    const victim = agents(s)[0]!;
    const node = victim.spec.nodeName!;
    kubectl(s, `kubectl delete pod ${victim.metadata.name}`);
    for (let i = 0; i < 60 && !onNode(s, node)?.sim.ready; i++) step(s);
    expect(onNode(s, node)!.spec.containers[0]!.image).toBe('agent:2');
    expect(s.daemonSets!['default/agent']!.status.updatedNumberScheduled).toBe(1);
  });
});

describe('DaemonSet and taints', () => {
  it('a cordoned Node keeps its Pod, and a deleted one comes back there (tolerates node.kubernetes.io/unschedulable)', () => {
    const s = cluster();
    const node = Object.keys(s.nodes).sort()[0]!;
    expect(kubectl(s, `kubectl cordon ${node}`)).toBe(`node/${node} cordoned`);
    for (let i = 0; i < 10; i++) step(s);
    const p = onNode(s, node)!;
    expect(p.sim.ready).toBe(true);
    kubectl(s, `kubectl delete pod ${p.metadata.name}`);
    for (let i = 0; i < 60 && !(onNode(s, node)?.sim.ready && onNode(s, node)!.metadata.uid !== p.metadata.uid); i++) step(s);
    expect(onNode(s, node)!.spec.nodeName).toBe(node);
    expect(onNode(s, node)!.sim.ready).toBe(true);
  });

  it('a custom NoSchedule taint keeps the running Pod (misscheduled) but gets no new one; a NoExecute taint removes it', () => {
    const s = cluster();
    const [a, b] = Object.keys(s.nodes).sort() as [string, string];
    const n = Object.keys(s.nodes).length;
    expect(kubectl(s, `kubectl taint nodes ${a} dedicated=infra:NoSchedule`)).toBe(`node/${a} tainted`);
    for (let i = 0; i < 5; i++) step(s);
    const ds = () => s.daemonSets!['default/agent']!;
    expect(onNode(s, a)).toBeDefined();
    expect(ds().status.desiredNumberScheduled).toBe(n - 1);
    expect(ds().status.numberMisscheduled).toBe(1);
    kubectl(s, `kubectl delete pod ${onNode(s, a)!.metadata.name}`);
    for (let i = 0; i < 60; i++) step(s);
    expect(onNode(s, a)).toBeUndefined();
    expect(kubectl(s, 'kubectl get ds agent')).toMatch(new RegExp(`\\nagent\\s+${n - 1}\\s+${n - 1}\\s+${n - 1}\\s+${n - 1}\\s+${n - 1}\\s`));
    expect(kubectl(s, `kubectl taint nodes ${b} dedicated=infra:NoExecute`)).toBe(`node/${b} tainted`);
    for (let i = 0; i < 5; i++) step(s);
    expect(onNode(s, b)).toBeUndefined();
    expect(ds().status.desiredNumberScheduled).toBe(n - 2);
  });
});
