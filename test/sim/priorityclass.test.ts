/**
 * PriorityClass as an API object (issue 6): the built-ins always listed, the manifests' classes stored,
 * `kubectl get pc` / `-o yaml` / `describe`, `apply -f -`, `delete`, and the Priority admission at Pod
 * creation (a class created later applies to the Pods created after it; a missing one is the
 * ReplicaSet's FailedCreate). Times are sim seconds.
 */
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../shared/manifests/load.ts';
import { manifestsOnlyInput } from '../../shared/scenario/toSimInput.ts';
import { pipe } from '../kubectl/pipe.ts';
import { createSim, step } from '../../shared/sim/index.ts';
import type { SimState } from '../../shared/sim/types.ts';
import { typeCommand } from './game-fixtures.ts';


const HIGH = `apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata: { name: high }
value: 100000
preemptionPolicy: Never
description: "Customer-facing services."
`;
const web = (cls: string) => `apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: 2
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      priorityClassName: ${cls}
      containers: [{ name: web, image: nginx:1.27 }]
---
apiVersion: v1
kind: Service
metadata: { name: web }
spec: { type: LoadBalancer, selector: { app: web }, ports: [{ port: 80 }] }
`;

function simOf(yaml: string): SimState {
  const loaded = loadManifests(yaml);
  expect(loaded.errors).toEqual([]);
  return createSim({ ...manifestsOnlyInput(loaded, { seed: 3, durationSeconds: 900 }), coldStart: true });
}
const run = (s: SimState, n: number) => { for (let i = 0; i < n; i++) step(s); };
const webPods = (s: SimState) => Object.values(s.pods).filter((p) => p.metadata.name.startsWith('web-'));

describe('PriorityClass', () => {
  it('lists the built-ins and the manifests\' classes as kubectl 1.32 does; -o yaml and describe', () => {
    const s = simOf(`${HIGH}---\n${web('high')}`);
    run(s, 300);
    expect(typeCommand(s, 'kubectl get priorityclasses')).toBe([
      'NAME                      VALUE        GLOBAL-DEFAULT   AGE   PREEMPTIONPOLICY',
      'high                      100000       false            5m    Never',
      'system-cluster-critical   2000000000   false            5m    PreemptLowerPriority',
      'system-node-critical      2000001000   false            5m    PreemptLowerPriority',
    ].join('\n'));
    expect(typeCommand(s, 'kubectl get pc system-node-critical -o yaml')).toMatch(/^apiVersion: scheduling\.k8s\.io\/v1\ndescription: Used for system critical pods that must not be moved from their current node\.\nkind: PriorityClass\nmetadata:\n {2}creationTimestamp: "2025-01-01T00:00:00Z"\n/);
    const yaml = typeCommand(s, 'kubectl get pc high -o yaml');
    expect(yaml).toMatch(/\npreemptionPolicy: Never\nvalue: 100000\n?$/);
    expect(yaml).not.toMatch(/globalDefault|namespace:/);
    expect(typeCommand(s, 'kubectl describe priorityclass high')).toBe([
      'Name:              high',
      'Value:             100000',
      'GlobalDefault:     false',
      'PreemptionPolicy:  Never',
      'Description:       Customer-facing services.',
      'Annotations:       <none>',
      'Events:            <none>',
    ].join('\n'));
    expect(webPods(s).map((p) => [p.spec.priorityClassName, p.spec.priority, p.spec.preemptionPolicy])).toEqual([['high', 100000, 'Never'], ['high', 100000, 'Never']]);
  });

  it('a missing class refuses the Pods (FailedCreate); once created with apply -f -, new Pods get it; delete', () => {
    const s = simOf(web('late'));
    run(s, 5);
    expect(webPods(s)).toEqual([]);
    const failed = s.events.filter((e) => e.reason === 'FailedCreate' && e.object.kind === 'ReplicaSet');
    expect(failed.length).toBeGreaterThan(0);
    expect(failed[0]!.message).toMatch(/^Error creating: pods "web-[a-z0-9]+-[a-z0-9]*" is forbidden: no PriorityClass with name late was found$/);
    expect(pipe(s, 'kubectl apply -f -', HIGH.replace('high', 'late'))).toBe('priorityclass.scheduling.k8s.io/late created');
    run(s, 30);
    expect(webPods(s).map((p) => p.spec.priority)).toEqual([100000, 100000]);
    expect(typeCommand(s, 'kubectl delete pc system-cluster-critical')).toBe('Error from server (Forbidden): priorityclasses.scheduling.k8s.io "system-cluster-critical" is forbidden: this is a system priority class and cannot be deleted');
    expect(typeCommand(s, 'kubectl delete priorityclass late')).toBe('priorityclass.scheduling.k8s.io "late" deleted');
    expect(typeCommand(s, 'kubectl get pc late')).toBe('Error from server (NotFound): priorityclasses.scheduling.k8s.io "late" not found');
    // Pods already admitted keep their priority (admission runs at creation only).
    expect(webPods(s).map((p) => p.spec.priority)).toEqual([100000, 100000]);
  });

  it('refuses a Pod that sets spec.priority (or preemptionPolicy) other than its class computes, as the Priority admission does', () => {
    const s = simOf(`${HIGH}---\n${web('high')}`);
    run(s, 5);
    const pod = (extra: string) => `apiVersion: v1\nkind: Pod\nmetadata: { name: x }\nspec:\n  ${extra}\n  containers: [{ name: x, image: nginx:1.27 }]\n`;
    expect(pipe(s, 'kubectl apply -f -', pod('priority: 1000'))).toMatch(/pods "x" is forbidden: the integer value of priority \(1000\) must not be provided in pod spec; priority admission controller computed 0 from the given PriorityClass name$/);
    expect(pipe(s, 'kubectl apply -f -', pod('priorityClassName: high\n  priority: 5'))).toMatch(/pods "x" is forbidden: the integer value of priority \(5\) must not be provided in pod spec; priority admission controller computed 100000 from the given PriorityClass name$/);
    expect(pipe(s, 'kubectl apply -f -', pod('priorityClassName: high\n  preemptionPolicy: PreemptLowerPriority'))).toMatch(/pods "x" is forbidden: the string value of PreemptionPolicy \(PreemptLowerPriority\) must not be provided in pod spec; priority admission controller computed Never from the given PriorityClass name$/);
    // The value it would compute is accepted.
    expect(pipe(s, 'kubectl apply -f -', pod('priorityClassName: high\n  priority: 100000'))).toBe('pod/x created');
    expect(s.pods['default/x']!.spec.priority).toBe(100000);
  });
});
