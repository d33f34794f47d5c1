/**
 * Pod priority and DefaultPreemption as a player sees them: the higher-priority pods schedule first,
 * a high-priority pod that fits nowhere gets its Node by deleting lower-priority pods (`Preempted`
 * events on them, `status.nominatedNodeName` on it), `preemptionPolicy: Never` waits instead.
 * Nodes of 1 CPU; sim seconds (tick 1 s).
 */
import { describe, expect, it } from 'vitest';
import { applyAction, createSim } from '../../shared/sim/index.ts';
import { loadManifests } from '../../shared/manifests/load.ts';
import { runKubectl } from '../../shared/kubectl/index.ts';
import type { DeploymentManifest, SimState } from '../../shared/sim/index.ts';
import { deployment, eventsWith, input, node, podsOf, run, runUntil, sim as baseSim } from './fixtures.ts';
import type { PriorityClassManifest, SimInput } from '../../shared/sim/index.ts';

/** The template gets class `p<priority>[-never]` (the Priority admission refuses a bare `spec.priority`). */
function prioritised(m: DeploymentManifest, priority: number, policy?: 'Never'): DeploymentManifest {
  m.spec.template.spec.priorityClassName = `p${priority}${policy ? '-never' : ''}`;
  m.spec.template.spec.priority = priority;
  if (policy) m.spec.template.spec.preemptionPolicy = policy;
  return m;
}

/** The fixtures' sim with a PriorityClass for each class the deployments' templates name. */
function sim(over: Partial<SimInput>): SimState {
  const classes = new Map<string, PriorityClassManifest>();
  for (const d of over.deployments ?? []) {
    const t = d.spec.template.spec;
    if (t.priorityClassName) classes.set(t.priorityClassName, { name: t.priorityClassName, value: t.priority ?? 0, ...(t.preemptionPolicy === 'Never' ? { preemptionPolicy: 'Never' as const } : {}) });
  }
  return baseSim({ ...over, priorityClasses: [...(over.priorityClasses ?? []), ...classes.values()] });
}

const text = (s: SimState, line: string): string => {
  const r = runKubectl(s, line);
  if (r.kind !== 'output') throw new Error(JSON.stringify(r));
  return r.output;
};

const nodes = [node('n1', { cpu: '1' }), node('n2', { cpu: '1' })];

describe('scheduler: priority and preemption', () => {
  it('pops higher-priority pods first when they compete for the same room', () => {
    const s = sim({ nodes, deployments: [deployment('batch', { replicas: 2, cpu: '800m' }), prioritised(deployment('web', { replicas: 1, cpu: '800m' }), 1000)] });
    expect(podsOf(s, 'web').every((p) => p.spec.nodeName !== undefined)).toBe(true);
    expect(podsOf(s, 'batch').filter((p) => !p.spec.nodeName)).toHaveLength(1);
  });

  it('preempts a lower-priority pod: Preempted event, nominatedNodeName, then the pod runs there', () => {
    const s = sim({ nodes, deployments: [deployment('batch', { replicas: 2, cpu: '800m' }), prioritised(deployment('web', { replicas: 0, cpu: '800m' }), 1000)] });
    expect(podsOf(s, 'batch').every((p) => p.spec.nodeName)).toBe(true);
    expect(applyAction(s, 'alice', { type: 'scaleDeployment', deployment: 'web', replicas: 1 }).ok).toBe(true);
    run(s, 2);
    const web = podsOf(s, 'web')[0]!;
    const pre = eventsWith(s, 'Preempted');
    expect(pre).toHaveLength(1);
    expect(pre[0]!.message).toMatch(new RegExp(`^Preempted by pod ${web.metadata.uid} on node n[12]$`));
    const nominated = web.status.nominatedNodeName!;
    expect(text(s, `kubectl describe pod ${web.metadata.name}`)).toMatch(new RegExp(`NominatedNodeName:\\s+${nominated}`));
    expect(text(s, 'kubectl get pods -o wide')).toMatch(new RegExp(`${web.metadata.name}\\s.*<none>\\s+${nominated}\\s+<none>`));
    expect(pre[0]!.message.endsWith(nominated)).toBe(true);
    expect(eventsWith(s, 'FailedScheduling', 'web-').at(-1)!.message).toBe('0/2 nodes are available: 2 Insufficient cpu.');
    // The victim terminates (30 s grace), then web binds to the nominated node; the ReplicaSet's
    // replacement batch pod stays Pending, and never preempts back (priority 0).
    expect(runUntil(s, (x) => podsOf(x, 'web')[0]!.spec.nodeName !== undefined, 60)).not.toBeNull();
    expect(podsOf(s, 'web')[0]!.spec.nodeName).toBe(nominated);
    run(s, 5);
    expect(eventsWith(s, 'Preempted')).toHaveLength(1);
    const pending = podsOf(s, 'batch').find((p) => !p.spec.nodeName)!;
    expect(pending).toBeDefined();
    expect(text(s, `kubectl describe pod ${pending.metadata.name}`)).toContain('2 No preemption victims found for incoming pod');
  });

  it('reserves the nominated Node: a lower-priority pod does not take the room its victim freed', () => {
    // n3 fits nothing; cordoning it back and forth is a cluster event that retries web (its backoff grows to 10 s).
    const s = sim({ nodes: [...nodes, node('n3', { cpu: '100m' })], deployments: [deployment('batch', { replicas: 2, cpu: '800m' }), prioritised(deployment('web', { replicas: 0, cpu: '800m' }), 1000), deployment('other', { replicas: 0, cpu: '800m' })] });
    applyAction(s, 'alice', { type: 'scaleDeployment', deployment: 'web', replicas: 1 });
    run(s, 1);
    const nominated = podsOf(s, 'web')[0]!.status.nominatedNodeName!;
    expect(nominated).toMatch(/^n[12]$/);
    for (let i = 0; i < 3; i++) {
      applyAction(s, 'alice', { type: i % 2 === 0 ? 'cordonNode' : 'uncordonNode', node: 'n3' });
      run(s, 1);
    }
    // other (priority 0) is created while the victim terminates; it is retried when the victim is gone,
    // while web still backs off: the nominated Node's room is web's.
    applyAction(s, 'alice', { type: 'scaleDeployment', deployment: 'other', replicas: 1 });
    expect(runUntil(s, (x) => podsOf(x, 'web')[0]!.spec.nodeName !== undefined, 60)).not.toBeNull();
    expect(podsOf(s, 'web')[0]!.spec.nodeName).toBe(nominated);
    expect(podsOf(s, 'other')[0]!.spec.nodeName).toBeUndefined();
    expect(eventsWith(s, 'FailedScheduling', 'other-').map((e) => e.message)).toContain('0/3 nodes are available: 1 node(s) were unschedulable, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.');
  });

  it('resolves a required pod anti-affinity by preempting the lower-priority pod it points at', () => {
    const batch = deployment('batch', { replicas: 1, cpu: '600m', nodeSelector: { 'kubernetes.io/hostname': 'n1' } });
    const web = prioritised(deployment('web', { replicas: 0, cpu: '300m' }), 1000);
    web.spec.template.spec.affinity = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'batch' } }, topologyKey: 'kubernetes.io/hostname' }] } };
    const s = sim({ nodes, deployments: [batch, web] });
    expect(podsOf(s, 'batch')[0]!.spec.nodeName).toBe('n1');
    expect(applyAction(s, 'alice', { type: 'cordonNode', node: 'n2' }).ok).toBe(true);
    applyAction(s, 'alice', { type: 'scaleDeployment', deployment: 'web', replicas: 1 });
    run(s, 1);
    // n1 has room for web, but web refuses to share it with batch: preemption removes batch.
    expect(eventsWith(s, 'FailedScheduling', 'web-')[0]!.message).toBe("0/2 nodes are available: 1 node(s) didn't match pod anti-affinity rules, 1 node(s) were unschedulable.");
    expect(eventsWith(s, 'Preempted').map((e) => e.object.name.split('-')[0])).toEqual(['batch']);
    expect(podsOf(s, 'web')[0]!.status.nominatedNodeName).toBe('n1');
    expect(runUntil(s, (x) => podsOf(x, 'web')[0]!.spec.nodeName !== undefined, 60)).not.toBeNull();
    expect(podsOf(s, 'web')[0]!.spec.nodeName).toBe('n1');
    run(s, 10);
    expect(eventsWith(s, 'Preempted')).toHaveLength(1);
    expect(podsOf(s, 'batch').filter((p) => p.spec.nodeName === undefined)).toHaveLength(1);
  });

  it("resolves an existing lower-priority pod's anti-affinity against the preemptor", () => {
    const batch = deployment('batch', { replicas: 1, cpu: '600m', nodeSelector: { 'kubernetes.io/hostname': 'n1' } });
    batch.spec.template.spec.affinity = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'kubernetes.io/hostname' }] } };
    const s = sim({ nodes, deployments: [batch, prioritised(deployment('web', { replicas: 0, cpu: '300m' }), 1000)] });
    applyAction(s, 'alice', { type: 'cordonNode', node: 'n2' });
    applyAction(s, 'alice', { type: 'scaleDeployment', deployment: 'web', replicas: 1 });
    run(s, 1);
    expect(eventsWith(s, 'FailedScheduling', 'web-')[0]!.message).toBe("0/2 nodes are available: 1 node(s) didn't satisfy existing pods anti-affinity rules, 1 node(s) were unschedulable.");
    expect(eventsWith(s, 'Preempted').map((e) => e.object.name.split('-')[0])).toEqual(['batch']);
    expect(runUntil(s, (x) => podsOf(x, 'web')[0]!.spec.nodeName === 'n1', 60)).not.toBeNull();
  });

  it('does not preempt for a pod anti-affinity against a pod of equal or higher priority', () => {
    const batch = prioritised(deployment('batch', { replicas: 1, cpu: '600m', nodeSelector: { 'kubernetes.io/hostname': 'n1' } }), 1000);
    const web = prioritised(deployment('web', { replicas: 0, cpu: '300m' }), 1000);
    web.spec.template.spec.affinity = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'batch' } }, topologyKey: 'kubernetes.io/hostname' }] } };
    const s = sim({ nodes, deployments: [batch, web] });
    applyAction(s, 'alice', { type: 'cordonNode', node: 'n2' });
    applyAction(s, 'alice', { type: 'scaleDeployment', deployment: 'web', replicas: 1 });
    run(s, 3);
    expect(eventsWith(s, 'Preempted')).toHaveLength(0);
    expect(eventsWith(s, 'FailedScheduling', 'web-').at(-1)!.message).toBe("0/2 nodes are available: 1 node(s) didn't match pod anti-affinity rules, 1 node(s) were unschedulable. preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.");
  });

  it('preemptionPolicy Never waits, with the real message', () => {
    const s = sim({ nodes, deployments: [deployment('batch', { replicas: 2, cpu: '800m' }), prioritised(deployment('web', { replicas: 0, cpu: '800m' }), 1000, 'Never')] });
    applyAction(s, 'alice', { type: 'scaleDeployment', deployment: 'web', replicas: 1 });
    run(s, 3);
    expect(eventsWith(s, 'Preempted')).toHaveLength(0);
    expect(podsOf(s, 'web')[0]!.spec.nodeName).toBeUndefined();
    expect(eventsWith(s, 'FailedScheduling', 'web-').at(-1)!.message).toBe('0/2 nodes are available: 2 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.');
  });

  it('picks the node whose victims have the lowest priority, and only as many as needed', () => {
    const s = sim({
      nodes,
      deployments: [
        prioritised(deployment('low', { replicas: 2, cpu: '400m', nodeSelector: { 'kubernetes.io/hostname': 'n1' } }), 10),
        prioritised(deployment('mid', { replicas: 1, cpu: '800m', nodeSelector: { 'kubernetes.io/hostname': 'n2' } }), 100),
        prioritised(deployment('web', { replicas: 0, cpu: '400m' }), 1000),
      ],
    });
    applyAction(s, 'alice', { type: 'scaleDeployment', deployment: 'web', replicas: 1 });
    run(s, 2);
    const pre = eventsWith(s, 'Preempted');
    expect(pre).toHaveLength(1);
    expect(pre[0]!.object.name.startsWith('low-')).toBe(true);
    expect(podsOf(s, 'web')[0]!.status.nominatedNodeName).toBe('n1');
  });
});

describe('negative priorities', () => {
  it('a priority-0 pod (no class) preempts pods of a negative-priority class', () => {
    const s = sim({ nodes, deployments: [prioritised(deployment('batch', { replicas: 2, cpu: '800m' }), -10), deployment('web', { replicas: 0, cpu: '800m' })] });
    expect(podsOf(s, 'batch').every((p) => p.spec.nodeName && p.spec.priority === -10)).toBe(true);
    applyAction(s, 'alice', { type: 'scaleDeployment', deployment: 'web', replicas: 1 });
    run(s, 2);
    const web = podsOf(s, 'web')[0]!;
    expect(web.spec.priority).toBeUndefined();
    expect(eventsWith(s, 'Preempted').map((e) => e.object.name.split('-')[0])).toEqual(['batch']);
    expect(web.status.nominatedNodeName).toBeDefined();
    expect(runUntil(s, (x) => podsOf(x, 'web')[0]!.spec.nodeName !== undefined, 60)).not.toBeNull();
  });
});

describe('manifests: PriorityClass and priorityClassName', () => {
  const yaml = (cls: string, extra = '') => `apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata: { name: high }
value: 100000
preemptionPolicy: Never
---
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata: { name: low }
value: 10
globalDefault: true
${extra}---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      ${cls}
      containers: [{ name: web, image: example/web:1.0 }]
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: other }
spec:
  selector: { matchLabels: { app: other } }
  template:
    metadata: { labels: { app: other } }
    spec:
      containers: [{ name: other, image: example/other:1.0 }]
`;

  it('resolves the class into the pods priority and preemptionPolicy, the globalDefault for the rest', () => {
    const r = loadManifests(yaml('priorityClassName: high'), { source: 'p.yaml' });
    expect(r.errors).toEqual([]);
    expect(r.warnings.filter((w) => w.includes('PriorityClass'))).toEqual([]);
    // The stream's classes are stored in the sim (kubectl get pc), where the Priority admission resolves them.
    const s = createSim(input({ nodes: [node('n1')], deployments: r.deployments, priorityClasses: r.priorityClasses, services: [], userFacingService: 'web' }));
    const web = podsOf(s, 'web')[0]!;
    expect([web.spec.priorityClassName, web.spec.priority, web.spec.preemptionPolicy]).toEqual(['high', 100000, 'Never']);
    const other = podsOf(s, 'other')[0]!;
    expect([other.spec.priorityClassName, other.spec.priority]).toEqual(['low', 10]);
    expect(text(s, `kubectl describe pod ${web.metadata.name}`)).toMatch(/Priority:\s+100000/);
    const sys = loadManifests(yaml('priorityClassName: system-cluster-critical'), { source: 'p.yaml' });
    expect(sys.deployments.find((d) => d.metadata.name === 'web')!.spec.template.spec.priority).toBe(2_000_000_000);
  });

  it('warns of an unknown class (its Pods refused until it exists), refuses a user class above 1e9', () => {
    const r = loadManifests(yaml('priorityClassName: nope'), { source: 'p.yaml' });
    expect(r.errors).toEqual([]);
    expect(r.warnings).toContain('p.yaml: document 3 (Deployment "web"): spec.template.spec.priorityClassName: no PriorityClass with name nope was found in this manifest stream: its Pods are refused (FailedCreate) until the class exists');
    expect(r.deployments.find((d) => d.metadata.name === 'web')!.spec.template.spec.priority).toBeUndefined();
    const big = loadManifests(yaml('', '---\napiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: { name: huge }\nvalue: 2000000000\n'), { source: 'p.yaml' });
    expect(big.errors.map((e) => `${e.path}: ${e.message}`)).toContain('value: must be no greater than 1000000000');
  });
});

describe('preemption and PodDisruptionBudgets', () => {
  it('prefers the Node whose victims no PodDisruptionBudget protects', () => {
    const pdb = loadManifests('apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: { name: keep }\nspec: { minAvailable: 1, selector: { matchLabels: { app: keep } } }\n', { source: 'pdb.yaml' });
    expect(pdb.errors).toEqual([]);
    const s = sim({
      nodes,
      policies: pdb.policies,
      deployments: [
        deployment('keep', { replicas: 1, cpu: '800m', nodeSelector: { 'kubernetes.io/hostname': 'n1' } }),
        deployment('spare', { replicas: 1, cpu: '800m', nodeSelector: { 'kubernetes.io/hostname': 'n2' } }),
        prioritised(deployment('web', { replicas: 0, cpu: '800m' }), 1000),
      ],
    });
    applyAction(s, 'alice', { type: 'scaleDeployment', deployment: 'web', replicas: 1 });
    run(s, 2);
    const pre = eventsWith(s, 'Preempted');
    expect(pre.map((e) => e.object.name.split('-')[0])).toEqual(['spare']);
    expect(podsOf(s, 'web')[0]!.status.nominatedNodeName).toBe('n2');
  });

  it('spends one budget across several victims: the second victim of a budget allowing one disruption violates it', () => {
    // keep: 2 Pods on n1 under maxUnavailable 1 (disruptionsAllowed 1); spare: 2 unprotected Pods on n2.
    // web needs both Pods of a Node gone. Taken one by one each keep Pod could be evicted, which tied
    // the Nodes (n1 first by name); filterPodsWithPDBViolation counts the budget down, so n1 has a
    // violating victim and n2 is chosen.
    const pdb = loadManifests('apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: { name: keep }\nspec: { maxUnavailable: 1, selector: { matchLabels: { app: keep } } }\n', { source: 'pdb.yaml' });
    expect(pdb.errors).toEqual([]);
    const s = sim({
      nodes,
      policies: pdb.policies,
      deployments: [
        deployment('keep', { replicas: 2, cpu: '400m', nodeSelector: { 'kubernetes.io/hostname': 'n1' } }),
        deployment('spare', { replicas: 2, cpu: '400m', nodeSelector: { 'kubernetes.io/hostname': 'n2' } }),
        prioritised(deployment('web', { replicas: 0, cpu: '900m' }), 1000),
      ],
    });
    expect(text(s, 'kubectl get pdb keep')).toMatch(/\nkeep +N\/A +1 +1 /);
    applyAction(s, 'alice', { type: 'scaleDeployment', deployment: 'web', replicas: 1 });
    run(s, 2);
    expect(eventsWith(s, 'Preempted').map((e) => e.object.name.split('-')[0])).toEqual(['spare', 'spare']);
    expect(podsOf(s, 'web')[0]!.status.nominatedNodeName).toBe('n2');
  });
});
