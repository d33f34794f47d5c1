/**
 * Issue 6: a manifest's `spec.nodeName` and container `hostPort` are kept and simulated.
 * - `nodeName`: the Pod skips the scheduler (no `Scheduled` event); the kubelet of that Node admits it
 *   and starts it, or rejects it (`OutOfmemory`, Failed, `Pod was rejected: Node didn't have enough
 *   resource: ...`); a name no Node has leaves it Pending without an event.
 * - `hostPort`: the NodePorts filter keeps two Pods wanting the same port/protocol off one Node
 *   (`node(s) didn't have free ports for the requested pod ports`).
 * Times are sim seconds (tickSeconds 1); nodes 2 cpu / 4 GiB.
 */
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../shared/manifests/load.ts';
import { manifestsOnlyInput } from '../../shared/scenario/toSimInput.ts';
import { runKubectl } from '../../shared/kubectl/index.ts';
import { createSim, step } from '../../shared/sim/index.ts';
import type { SimState } from '../../shared/sim/index.ts';

function kubectl(s: SimState, line: string): string {
  const r = runKubectl(s, line);
  if (r.kind === 'output') return r.output;
  if (r.kind === 'error') return r.error;
  throw new Error(`${line} is an action`);
}

const NODES = ['node-a', 'node-b', 'node-c'].map((name, i) => ({ name, zone: `zone-${i}`, cpu: '2', memory: '4Gi' }));

/** A best-effort front end (no requests, so Node sums stay as the test's Pods make them) and its Service: a scenario needs one. */
const BASE = `
apiVersion: apps/v1
kind: Deployment
metadata: { name: front }
spec:
  replicas: 1
  selector: { matchLabels: { app: front } }
  template:
    metadata: { labels: { app: front } }
    spec:
      containers: [{ name: front, image: nginx:1.27, ports: [{ containerPort: 80 }] }]
---
apiVersion: v1
kind: Service
metadata: { name: front }
spec: { type: LoadBalancer, selector: { app: front }, ports: [{ port: 80, targetPort: 80 }] }
---
`;

function simOf(yaml: string, warm = false): SimState {
  const loaded = loadManifests(BASE + yaml);
  expect(loaded.errors).toEqual([]);
  return createSim({ ...manifestsOnlyInput(loaded, { seed: 3, durationSeconds: 600 }), nodes: NODES, coldStart: !warm });
}

function stepN(s: SimState, n: number): void {
  for (let i = 0; i < n; i++) step(s);
}

/** The `kubectl get pods` line of the pod whose name starts with `prefix`. */
function row(s: SimState, prefix: string): string {
  return kubectl(s, 'kubectl get pods -o wide').split('\n').find((l) => l.startsWith(prefix)) ?? '';
}

const pod = (name: string, spec: string) => `
apiVersion: v1
kind: Pod
metadata: { name: ${name} }
spec:
${spec}`;

describe('spec.nodeName', () => {
  it('is kept by the loader (Pod and pod template)', () => {
    const loaded = loadManifests(pod('pinned', `  nodeName: node-b
  containers: [{ name: app, image: nginx:1.27 }]`));
    expect(loaded.errors).toEqual([]);
    expect(loaded.pods?.[0]?.template.spec.nodeName).toBe('node-b');
    const bad = loadManifests(pod('pinned', `  nodeName: Node_B
  containers: [{ name: app, image: nginx:1.27 }]`));
    expect(bad.errors[0]?.path).toBe('spec.nodeName');
  });

  it('binds the Pod without the scheduler: Running on that Node, kubelet events only', () => {
    const s = simOf(pod('pinned', `  nodeName: node-b
  containers: [{ name: app, image: nginx:1.27, resources: { requests: { cpu: 100m, memory: 64Mi } } }]`));
    expect(row(s, 'pinned')).toMatch(/^pinned\s+0\/1\s+ContainerCreating\s+0\s+\S+\s+<none>\s+node-b\s/);
    stepN(s, 10);
    expect(row(s, 'pinned')).toMatch(/^pinned\s+1\/1\s+Running\s+0\s+\S+\s+\S+\s+node-b\s/);
    const described = kubectl(s, 'kubectl describe pod pinned');
    expect(described).toMatch(/Node:\s+node-b\//);
    expect(described).not.toMatch(/Normal\s+Scheduled/);
    expect(described).toMatch(/Normal\s+Pulling\s+.*kubelet\s+Pulling image "nginx:1.27"/);
    expect(described).toMatch(/PodScheduled\s+True/);
    // The scheduler cache counts it: node-b's requests include it.
    expect(kubectl(s, 'kubectl describe node node-b')).toMatch(/default\s+pinned\s+100m/);
  });

  it('a Node without room rejects it: Failed OutOfmemory with the kubelet message', () => {
    const s = simOf(pod('big', `  nodeName: node-a
  containers: [{ name: app, image: nginx:1.27, resources: { requests: { memory: 8Gi } } }]`));
    stepN(s, 1);
    expect(row(s, 'big')).toMatch(/^big\s+0\/1\s+OutOfmemory\s+0\s/);
    const described = kubectl(s, 'kubectl describe pod big');
    expect(described).toMatch(/Status:\s+Failed/);
    expect(described).toMatch(/Reason:\s+OutOfmemory/);
    expect(described).toContain('Message:          Pod was rejected: Node didn\'t have enough resource: memory, requested: 8589934592, used: 0, capacity: 4294967296');
    expect(described).toMatch(/Warning\s+OutOfmemory\s+.*kubelet\s+Node didn't have enough resource: memory, requested: 8589934592/);
    stepN(s, 60);
    expect(row(s, 'big')).toMatch(/OutOfmemory/); // a bare Pod: never retried
  });

  it('a Deployment pinned to a full Node: each Pod is rejected and replaced, as in a real cluster', () => {
    const s = simOf(`
apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: 1
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      nodeName: node-c
      containers: [{ name: web, image: nginx:1.27, resources: { requests: { cpu: '3' } } }]
`);
    stepN(s, 5);
    const rows = kubectl(s, 'kubectl get pods').split('\n').filter((l) => l.startsWith('web-'));
    expect(rows.length).toBeGreaterThan(1);
    for (const r of rows) expect(r).toMatch(/0\/1\s+OutOfcpu\s/);
    expect(kubectl(s, `kubectl describe pod ${rows[0]!.split(/\s+/)[0]}`)).toContain('Pod was rejected: Node didn\'t have enough resource: cpu, requested: 3000, used: 0, capacity: 2000');
  });

  it('a Node that does not exist: Pending without an event, then deleted by PodGC after its 40 s quarantine', () => {
    const s = simOf(pod('lost', `  nodeName: node-z
  containers: [{ name: app, image: nginx:1.27 }]`));
    stepN(s, 39);
    expect(row(s, 'lost')).toMatch(/^lost\s+0\/1\s+Pending\s+0\s+\S+\s+<none>\s+node-z\s/);
    expect(kubectl(s, 'kubectl describe pod lost')).toMatch(/Events:\s+<none>/);
    stepN(s, 1); // t = 40: the first PodGC pass saw it at 0
    expect(kubectl(s, 'kubectl get pod lost')).toBe('Error from server (NotFound): pods "lost" not found');
  });

  it('a Deployment pinned to a missing Node: each Pod is deleted by PodGC and recreated, 40-60 s apart', () => {
    const s = simOf(`
apiVersion: apps/v1
kind: Deployment
metadata: { name: lost }
spec:
  replicas: 1
  selector: { matchLabels: { app: lost } }
  template:
    metadata: { labels: { app: lost } }
    spec:
      nodeName: node-z
      containers: [{ name: lost, image: nginx:1.27 }]
`);
    const seen: [string, number][] = [];
    for (let i = 0; i < 130; i++) {
      step(s);
      for (const p of Object.values(s.pods)) if (p.metadata.name.startsWith('lost-') && !seen.some(([n]) => n === p.metadata.name)) seen.push([p.metadata.name, s.t]);
    }
    expect(seen.map(([, t]) => t)).toEqual([1, 41, 101]);
    expect(row(s, 'lost-')).toMatch(/0\/1\s+Pending\s+0\s+\S+\s+<none>\s+node-z\s/);
  });

  it('warm start: a pinned Pod is Running at 0', () => {
    const s = simOf(pod('pinned', `  nodeName: node-c
  containers: [{ name: app, image: nginx:1.27 }]`), true);
    expect(row(s, 'pinned')).toMatch(/^pinned\s+1\/1\s+Running\s+0\s+\S+\s+\S+\s+node-c\s/);
  });
});

describe('hostPort (NodePorts)', () => {
  const DEPLOY = (replicas: number, hostPort: number, protocol = 'TCP') => `
apiVersion: apps/v1
kind: Deployment
metadata: { name: edge }
spec:
  replicas: ${replicas}
  selector: { matchLabels: { app: edge } }
  template:
    metadata: { labels: { app: edge } }
    spec:
      containers:
        - name: edge
          image: nginx:1.27
          ports: [{ containerPort: 80, hostPort: ${hostPort}, protocol: ${protocol} }]
          resources: { requests: { cpu: 100m, memory: 64Mi } }
`;

  it('is kept by the loader and shown by describe', () => {
    const loaded = loadManifests(DEPLOY(1, 8080));
    expect(loaded.deployments[0]!.spec.template.spec.containers[0]!.ports).toEqual([{ containerPort: 80, hostPort: 8080, protocol: 'TCP' }]);
    const s = simOf(DEPLOY(1, 8080));
    stepN(s, 10);
    const name = row(s, 'edge-').split(/\s+/)[0]!;
    const described = kubectl(s, `kubectl describe pod ${name}`);
    expect(described).toMatch(/ {4}Port:\s+80\/TCP\n {4}Host Port:\s+8080\/TCP/);
  });

  it('one Pod per Node: the fourth replica stays Pending with the NodePorts reason', () => {
    const s = simOf(DEPLOY(4, 8080));
    stepN(s, 15);
    const rows = kubectl(s, 'kubectl get pods -o wide').split('\n').filter((l) => l.startsWith('edge-'));
    const running = rows.filter((l) => /1\/1\s+Running/.test(l));
    expect(running).toHaveLength(3);
    expect(new Set(running.map((l) => l.split(/\s+/)[6])).size).toBe(3); // one per Node
    const pending = rows.filter((l) => /0\/1\s+Pending/.test(l));
    expect(pending).toHaveLength(1);
    const described = kubectl(s, `kubectl describe pod ${pending[0]!.split(/\s+/)[0]}`);
    expect(described).toContain("0/3 nodes are available: 3 node(s) didn't have free ports for the requested pod ports. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.");
    expect(described).toMatch(/Warning\s+FailedScheduling/);
  });

  it('another protocol or another port does not conflict', () => {
    const s = simOf(`${DEPLOY(3, 8080)}
---
apiVersion: v1
kind: Pod
metadata: { name: dns }
spec:
  nodeName: node-a
  containers: [{ name: dns, image: coredns:1.11, ports: [{ containerPort: 53, hostPort: 8080, protocol: UDP }] }]
`);
    stepN(s, 15);
    expect(kubectl(s, 'kubectl get pods').split('\n').filter((l) => /^(edge-|dns)/.test(l) && /1\/1\s+Running/.test(l))).toHaveLength(4);
  });

  it('a Pod bound by nodeName to a Node whose port is taken is rejected by the kubelet (NodePorts)', () => {
    const s = simOf(`${pod('first', `  nodeName: node-a
  containers: [{ name: app, image: nginx:1.27, ports: [{ containerPort: 80, hostPort: 9000 }] }]`)}
---
${pod('second', `  nodeName: node-a
  containers: [{ name: app, image: nginx:1.27, ports: [{ containerPort: 80, hostPort: 9000, hostIP: 10.0.0.7 }] }]`)}`);
    stepN(s, 10);
    expect(row(s, 'first')).toMatch(/1\/1\s+Running/);
    expect(row(s, 'second')).toMatch(/0\/1\s+NodePorts\s/);
    expect(kubectl(s, 'kubectl describe pod second')).toContain("Pod was rejected: Predicate NodePorts failed: node(s) didn't have free ports for the requested pod ports");
  });
});
