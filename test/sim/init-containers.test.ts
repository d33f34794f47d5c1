/**
 * Init containers (issue 6): `spec.initContainers` of a manifest run in order after the image pull,
 * each to completion, before the app containers start; kubectl STATUS `Init:0/2` -> `Init:1/2` ->
 * `PodInitializing` -> `Running`; a failing one `Init:Error` then `Init:CrashLoopBackOff`; the wait-for-a-
 * Service loop blocks while the Service has no ready endpoint. Times are sim seconds (tickSeconds 1).
 */
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../shared/manifests/load.ts';
import { manifestsOnlyInput } from '../../shared/scenario/toSimInput.ts';
import { runKubectl } from '../../shared/kubectl/index.ts';
import { applyAction, createSim, podDisplayStatus, step } from '../../shared/sim/index.ts';
import type { Pod, SimInput, SimState } from '../../shared/sim/index.ts';
import { podKind } from '../../shared/sim/kinds/pod.ts';
import { initWaitsFor } from '../../shared/sim/controllers/kubelet.ts';

function kubectl(s: SimState, line: string): string {
  const r = runKubectl(s, line);
  if (r.kind === 'output') return r.output;
  if (r.kind === 'error') return r.error;
  throw new Error(`${line} is an action`);
}

const APP = (inits: string, extra = '', restartPolicy = '') => `
apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: 1
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:${restartPolicy ? `\n      restartPolicy: ${restartPolicy}` : ''}
      initContainers:
${inits}
      containers:
        - name: app
          image: web:v1
          ports: [{ containerPort: 8080 }]
          resources: { requests: { cpu: 100m, memory: 64Mi } }
---
apiVersion: v1
kind: Service
metadata: { name: web }
spec: { type: LoadBalancer, selector: { app: web }, ports: [{ port: 80, targetPort: 8080 }] }
${extra}`;

const TWO_INITS = `        - { name: migrate, image: busybox:1.36, command: [sh, -c, 'echo migrating'] }
        - { name: warm-cache, image: busybox:1.36 }`;

function simOf(yaml: string, over: Partial<SimInput> | true = {}): SimState {
  const loaded = loadManifests(yaml);
  expect(loaded.errors).toEqual([]);
  const warm = over === true;
  return createSim({ ...manifestsOnlyInput(loaded, { seed: 7, durationSeconds: 900 }), coldStart: !warm, ...(warm ? {} : over) });
}

const webPod = (s: SimState): Pod => Object.values(s.pods).find((p) => p.metadata.name.startsWith('web-'))!;

/** STATUS of the web pod after each second, collapsed to the distinct values in order. */
function statusTrail(s: SimState, seconds: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < seconds; i++) {
    step(s);
    const st = podDisplayStatus(webPod(s), s.t);
    if (out[out.length - 1] !== st) out.push(st);
  }
  return out;
}

describe('init containers', () => {
  it('run in order (2 s each by default) before the app: Init:0/2, Init:1/2, PodInitializing, Running', () => {
    const s = simOf(APP(TWO_INITS));
    const trail = statusTrail(s, 30);
    expect(trail).toEqual(['Init:0/2', 'Init:1/2', 'PodInitializing', 'Running']);
    const pod = webPod(s);
    const get = kubectl(s, 'get pods');
    expect(get).toMatch(new RegExp(`${pod.metadata.name} +1/1 +Running +0 `));
    const d = kubectl(s, `describe pod ${pod.metadata.name}`);
    expect(d).toMatch(/\nInit Containers:\n {2}migrate:\n/);
    expect(d).toMatch(/ {4}State: +Terminated\n {6}Reason: +Completed\n {6}Exit Code: +0\n/);
    expect(d).toMatch(/\n {2}warm-cache:\n/);
    expect(d.indexOf('Init Containers:')).toBeLessThan(d.indexOf('\nContainers:'));
    expect(d).toMatch(/Initialized +True/);
    // Events: each init container is created and started before the app container.
    // The API form (what real kubectl reads): init container times in RFC 3339.
    const api = podKind.toApi(pod, s) as { status: { initContainerStatuses: { state: { terminated: { finishedAt: string } } }[] } };
    expect(api.status.initContainerStatuses[0]!.state.terminated.finishedAt).toMatch(/^2025-01-01T00:00:\d\dZ$/);
    const msgs = s.events.filter((e) => e.object.name === pod.metadata.name).map((e) => e.message);
    expect(msgs.indexOf('Started container migrate')).toBeLessThan(msgs.indexOf('Started container warm-cache'));
    expect(msgs.indexOf('Started container warm-cache')).toBeLessThan(msgs.indexOf('Started container app'));
  });

  it('kubectl logs -c names an init container; without -c the app container', () => {
    const s = simOf(APP(TWO_INITS));
    statusTrail(s, 30);
    const pod = webPod(s);
    expect(kubectl(s, `logs ${pod.metadata.name} -c nope`)).toMatch(/container nope is not valid for pod/);
    expect(kubectl(s, `logs ${pod.metadata.name} -c migrate`)).toBe('migrating');
    expect(kubectl(s, `logs ${pod.metadata.name}`)).toMatch(/^Defaulted container "app" out of: app, migrate \(init\), warm-cache \(init\)\n/);
  });

  it('a failing init container: Init:Error, restarted with the crash-loop back-off (Init:CrashLoopBackOff); the app never starts', () => {
    const s = simOf(APP(`        - { name: migrate, image: migrate:bad }`), { images: { 'migrate:bad': { initExitCode: 1 } } });
    const trail = statusTrail(s, 60);
    expect(trail.slice(0, 2)).toEqual(['Init:0/1', 'Init:Error']);
    expect(trail).toContain('Init:CrashLoopBackOff');
    const pod = webPod(s);
    expect(pod.status.containerStatuses[0]!.state.waiting?.reason).toBe('PodInitializing');
    expect(pod.status.initContainerStatuses![0]!.restartCount).toBeGreaterThanOrEqual(2);
    expect(s.events.some((e) => e.reason === 'BackOff' && e.message.startsWith('Back-off restarting failed container migrate in pod'))).toBe(true);
    const d = kubectl(s, `describe pod ${pod.metadata.name}`);
    expect(d).toMatch(/ {4}Last State: +Terminated\n {6}Reason: +Error\n {6}Exit Code: +1\n/);
  });

  it("RESTARTS counts the init containers' restarts while initializing, the app's once initialized (kubectl printPod)", () => {
    const s = simOf(APP(`        - { name: migrate, image: migrate:bad }`), { images: { 'migrate:bad': { initExitCode: 1 } } });
    statusTrail(s, 60);
    const pod = webPod(s);
    const n = pod.status.initContainerStatuses![0]!.restartCount;
    expect(n).toBeGreaterThanOrEqual(2);
    const ago = s.t - pod.status.initContainerStatuses![0]!.lastState.terminated!.finishedAt;
    expect(kubectl(s, 'get pods')).toMatch(new RegExp(`${pod.metadata.name} +0/1 +Init:(CrashLoopBackOff|Error) +${n} \\(${ago}s ago\\) `));
    expect(kubectl(s, `get pod ${pod.metadata.name} -o yaml`)).toMatch(new RegExp(`initContainerStatuses:\\n(.*\\n)*? +restartCount: ${n}\\n`));
    // The migration is fixed: the next run completes, the app starts and RESTARTS is the app's again.
    s.images['migrate:bad']!.initExitCode = 0;
    statusTrail(s, 400);
    expect(podDisplayStatus(webPod(s), s.t)).toBe('Running');
    expect(kubectl(s, 'get pods')).toMatch(new RegExp(`${pod.metadata.name} +1/1 +Running +0 `));
  });

  it('restartPolicy Never: a failed init container fails the Pod (Init:Error stays)', () => {
    const yaml = APP(`        - { name: migrate, image: migrate:bad }`).replace('kind: Deployment', 'kind: ReplicaSet').replace('apiVersion: apps/v1\nkind: ReplicaSet', 'apiVersion: apps/v1\nkind: ReplicaSet');
    const s = simOf(yaml, { images: { 'migrate:bad': { initExitCode: 1 } } });
    // A ReplicaSet's template must be Always; Never is checked on a Pod the Job way: set it on the stored pod.
    step(s);
    const pod = webPod(s);
    pod.spec.restartPolicy = 'Never';
    statusTrail(s, 40);
    expect(podDisplayStatus(webPod(s), s.t)).toBe('Init:Error');
  });

  it('until nslookup db: blocks while Service db has no ready endpoint, then completes', () => {
    const db = `---
apiVersion: apps/v1
kind: Deployment
metadata: { name: db }
spec:
  replicas: 0
  selector: { matchLabels: { app: db } }
  template:
    metadata: { labels: { app: db } }
    spec:
      containers: [{ name: db, image: postgres:16, ports: [{ containerPort: 5432 }], resources: { requests: { cpu: 100m, memory: 64Mi } } }]
---
apiVersion: v1
kind: Service
metadata: { name: db }
spec: { selector: { app: db }, ports: [{ port: 5432 }] }
`;
    const s = simOf(APP(`        - { name: wait-db, image: busybox:1.36, command: [sh, -c, 'until nslookup db; do echo waiting for db; sleep 2; done'] }`, db));
    const trail = statusTrail(s, 60);
    expect(trail[trail.length - 1]).toBe('Init:0/1');
    const pod = webPod(s);
    expect(kubectl(s, `logs ${pod.metadata.name} -c wait-db --tail 2`)).toBe('waiting for db\nwaiting for db');
    // db gets a Pod: once it is Ready the loop's next pass (every 2 s) resolves and the app starts.
    const scale = runKubectl(s, 'scale deployment db --replicas=1');
    if (scale.kind !== 'action') throw new Error('scale is an action');
    expect(applyAction(s, 'alice', scale.action).ok).toBe(true);
    const after = statusTrail(s, 60);
    expect(after[after.length - 1]).toBe('Running');
    expect(webPod(s).status.initContainerStatuses![0]!.state.terminated?.reason).toBe('Completed');
  });
});

describe('init container wait loops with variables', () => {
  it('expands $VAR, ${VAR} (the shell) and $(VAR) (the kubelet) from the container\'s literal env; a ConfigMap-sourced one stays unexpanded', () => {
    const c = (cmd: string, env: Pod['spec']['containers'][number]['env']) => ({ name: 'wait', image: 'busybox:1.36', env, ports: [], resources: {}, command: ['sh', '-c', cmd] });
    const env = [{ name: 'DB_HOST', value: 'db.shop' }];
    expect(initWaitsFor(c('until nslookup $DB_HOST; do sleep 2; done', env), 'default')).toEqual({ namespace: 'shop', name: 'db' });
    expect(initWaitsFor(c('until nc -z ${DB_HOST} 5432; do sleep 2; done', env), 'default')).toEqual({ namespace: 'shop', name: 'db' });
    expect(initWaitsFor(c('until wget -q http://$(DB_HOST)/; do sleep 2; done', env), 'default')).toEqual({ namespace: 'shop', name: 'db' });
    expect(initWaitsFor(c('until nslookup $DB_HOST; do sleep 2; done', [{ name: 'DB_HOST', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'host' } } }]), 'default')).toBeNull();
  });
});

describe('bare Pods (kind: Pod)', () => {
  const BARE = `
apiVersion: v1
kind: Pod
metadata: { name: debug, labels: { app: debug } }
spec:
  restartPolicy: Never
  initContainers:
    - { name: setup, image: busybox:1.36, command: [sh, -c, 'echo ready'] }
  containers:
    - { name: shell, image: busybox:1.36, resources: { requests: { cpu: 50m, memory: 32Mi } } }
`;

  it('load, run without an owner, and are gone for good after kubectl delete pod', () => {
    const s = simOf(APP(TWO_INITS) + '---' + BARE);
    for (let i = 0; i < 30; i++) step(s);
    const pod = s.pods['default/debug']!;
    expect(pod.metadata.ownerReferences).toEqual([]);
    expect(pod.spec.restartPolicy).toBe('Never');
    expect(kubectl(s, 'get pods')).toMatch(/\ndebug +1\/1 +Running +0 /);
    expect(kubectl(s, 'describe pod debug')).not.toMatch(/Controlled By/); // describe.go prints the line only for a controller owner
    const del = runKubectl(s, 'delete pod debug');
    if (del.kind !== 'action') throw new Error('delete is an action');
    expect(applyAction(s, 'alice', del.action).ok).toBe(true);
    for (let i = 0; i < 60; i++) step(s);
    expect(Object.keys(s.pods).filter((k) => k.startsWith('default/debug'))).toEqual([]);
    expect(kubectl(s, 'get pod debug')).toMatch(/pods "debug" not found/);
  });

  it('the warm start runs them too; a bad spec is an error with its path', () => {
    const s = simOf(APP(TWO_INITS) + '---' + BARE, true);
    expect(podDisplayStatus(s.pods['default/debug']!, s.t)).toBe('Running');
    const bad = loadManifests(BARE.replace('image: busybox:1.36, resources', 'image: " busybox", resources'));
    expect(bad.errors.map((e) => `${e.kind} ${e.path}`)).toEqual(['Pod spec.containers[0].image']);
  });

  it('a sidecar (restartPolicy: Always) starts in order, keeps running, does not block the next init container; READY counts it', () => {
    const s = simOf(APP(`        - { name: log-shipper, image: busybox:1.36, restartPolicy: Always }
        - { name: migrate, image: busybox:1.36, command: [sh, -c, 'echo migrating'] }`));
    const trail = statusTrail(s, 30);
    expect(trail).toEqual(['Init:0/2', 'Init:1/2', 'PodInitializing', 'Running']);
    const pod = webPod(s);
    const [sidecar, migrate] = pod.status.initContainerStatuses!;
    expect(sidecar!.state.running).toBeDefined();
    expect([sidecar!.started, sidecar!.ready]).toEqual([true, true]);
    expect(migrate!.state.terminated?.reason).toBe('Completed');
    expect(kubectl(s, 'get pods')).toMatch(new RegExp(`${pod.metadata.name} +2/2 +Running +0 `));
    // The sidecar started, then at once the next init container (no wait for the sidecar to exit).
    const started = s.events.filter((e) => e.object.name === pod.metadata.name && e.reason === 'Started');
    expect(started.map((e) => e.message)).toEqual(['Started container log-shipper', 'Started container migrate', 'Started container app']);
    expect(started[1]!.t).toBe(started[0]!.t);
  });

  it('a Job Pod with a sidecar completes when its app container exits; the sidecar is stopped after it', () => {
    const loaded = loadManifests(`apiVersion: batch/v1
kind: Job
metadata: { name: report }
spec:
  template:
    spec:
      restartPolicy: Never
      initContainers: [{ name: proxy, image: busybox:1.36, restartPolicy: Always }]
      containers: [{ name: report, image: busybox:1.36 }]
${APP(TWO_INITS).replace(/^\n/, '---\n')}`);
    expect(loaded.errors).toEqual([]);
    const s = createSim({ ...manifestsOnlyInput(loaded, { seed: 7, durationSeconds: 900 }), coldStart: true });
    const job = () => Object.values(s.pods).find((p) => p.metadata.name.startsWith('report-'))!;
    for (let i = 0; i < 120 && job().status.phase !== 'Succeeded'; i++) step(s);
    const pod = job();
    expect(pod.status.phase).toBe('Succeeded');
    expect(podDisplayStatus(pod, s.t)).toBe('Completed');
    const proxy = pod.status.initContainerStatuses![0]!;
    expect(proxy.state.terminated?.finishedAt).toBe(pod.status.containerStatuses[0]!.state.terminated!.finishedAt);
    expect(kubectl(s, 'get pods')).toMatch(new RegExp(`${pod.metadata.name} +0/2 +Completed +0 `));
  });
});
