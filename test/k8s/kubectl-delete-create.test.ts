/**
 * (issue 11) Real kubectl v1.32 against a live match: `delete svc`, `delete pod --grace-period=N` and
 * its timing, `create -f` of a PodDisruptionBudget then a drain it refuses, `create -f` of a Job and
 * `delete job --cascade=orphan` (its Pods run on without an owner). Each write is a game action of
 * the player (counted in the projection).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Room } from '@colyseus/sdk';
import { snapshotState } from '../../client/src/view/stateMirror.ts';
import { waitFor } from '../server/helpers.ts';
import { startKubectlMatch, until, type KubectlMatch, type KubectlResult } from './kubectl-match.ts';

const DILATION = 30;

let m: KubectlMatch;
let home: string;
let alice: Room;

/** Runs kubectl with alice's kubeconfig, `stdin` piped in. */
const kubectl = (args: string[], stdin?: string): Promise<KubectlResult> => m.kubectl(args, { stdin });

beforeAll(async () => {
  m = await startKubectlMatch({ seed: 12, timeDilation: DILATION, prefix: 'kubectl-delete' });
  ({ home, alice } = m);
});

afterAll(async () => {
  await m?.close();
});

const blue = () => snapshotState(alice.state).teams.get('blue')!;
const actionCount = (): number => m.actionCount();
const rows = (out: string) => out.trim().split('\n').slice(1).filter((l) => l !== '');

const PDB = `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: { name: frontend }
spec:
  minAvailable: 100%
  selector: { matchLabels: { app: guestbook, tier: frontend } }
`;
const JOB = `apiVersion: batch/v1
kind: Job
metadata: { name: migrate }
spec:
  parallelism: 2
  completions: 2
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: migrate
        image: busybox:1.36
        command: ["sleep", "3600"]
        resources: { requests: { cpu: 10m, memory: 16Mi } }
`;

describe('kubectl delete and create -f of the kinds the game now writes', () => {
  it('delete svc: the Service is gone (a game action)', async () => {
    const before = actionCount();
    const r = await kubectl(['delete', 'svc', 'redis-replica']);
    expect(r.err).toBe('');
    expect(r.out.trim()).toBe('service "redis-replica" deleted');
    await waitFor(() => actionCount() === before + 1, 'one delete action');
    expect((await kubectl(['get', 'svc', 'redis-replica'])).err).toContain('Error from server (NotFound): services "redis-replica" not found');
    expect((await kubectl(['delete', 'svc', 'redis-replica'])).err).toContain('Error from server (NotFound): services "redis-replica" not found');
    // A bad propagation policy is the API server's 422.
    expect((await kubectl(['delete', 'svc', 'frontend', '--cascade=sideways'])).err).toContain('invalid cascade value');
  });

  it('delete pod --grace-period=3: Terminating with that grace, gone within 3 sim seconds', async () => {
    const pods = rows((await kubectl(['get', 'pods', '-l', 'tier=frontend', '-o', 'name'])).out.replace(/^/, 'x\n'));
    const [first, second] = pods.map((p) => p.replace('pod/', ''));
    const quick = await kubectl(['delete', 'pod', first!, '--grace-period=3', '--wait=false']);
    expect(quick.out.trim()).toBe(`pod "${first}" deleted`);
    const grace = (await kubectl(['get', 'pod', first!, '-o', 'jsonpath={.metadata.deletionGracePeriodSeconds}'])).out;
    expect(['3', '']).toContain(grace); // '' only if the pod was already gone
    const t0 = Date.now();
    const waited = await kubectl(['delete', 'pod', second!, '--grace-period=3']);
    const realMs = Date.now() - t0;
    expect(waited.out.trim()).toBe(`pod "${second}" deleted`);
    // kubectl waited until the pod was gone: 3 sim s at x30 is 0.1 s of play, plus kubectl's polling.
    expect(realMs).toBeLessThan(5000);
    expect((await kubectl(['get', 'pod', second!])).err).toContain('NotFound');
  });

  it('create -f of a PodDisruptionBudget: a drain of a frontend node is refused by it', async () => {
    const dir = mkdtempSync(join(home, 'pdb-'));
    writeFileSync(join(dir, 'pdb.yaml'), PDB);
    const r = await kubectl(['create', '-f', join(dir, 'pdb.yaml')]);
    expect(r.err).toBe('');
    expect(r.out.trim()).toBe('poddisruptionbudget.policy/frontend created');
    await until(async () => (await kubectl(['get', 'pdb', 'frontend', '-o', 'jsonpath={.status.expectedPods}'])).out === '3', 'the budget counts the frontend Pods');
    const node = (await kubectl(['get', 'pods', '-l', 'tier=frontend', '-o', 'jsonpath={.items[0].spec.nodeName}'])).out;
    const drain = await kubectl(['drain', node, '--ignore-daemonsets', '--timeout=2s']);
    expect(drain.code).not.toBe(0);
    expect(drain.err).toContain("Cannot evict pod as it would violate the pod's disruption budget");
    expect((await kubectl(['create', '-f', join(dir, 'pdb.yaml')])).err).toContain('Error from server (AlreadyExists)');
    expect((await kubectl(['delete', 'pdb', 'frontend'])).out.trim()).toBe('poddisruptionbudget.policy "frontend" deleted');
    await kubectl(['uncordon', node]);
  });

  it('create -f of a Job, delete job --cascade=orphan: its Pods keep running without an owner', async () => {
    const r = await kubectl(['create', '-f', '-'], JOB);
    expect(r.err).toBe('');
    expect(r.out.trim()).toBe('job.batch/migrate created');
    await until(async () => rows((await kubectl(['get', 'pods', '-l', 'job-name=migrate'])).out).length === 2, 'two Job Pods');
    const d = await kubectl(['delete', 'job', 'migrate', '--cascade=orphan']);
    expect(d.err).toBe('');
    expect(d.out.trim()).toBe('job.batch "migrate" deleted');
    expect((await kubectl(['get', 'job', 'migrate'])).err).toContain('NotFound');
    const owners = await kubectl(['get', 'pods', '-l', 'job-name=migrate', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.metadata.ownerReferences}{"\\n"}{end}']);
    const lines = owners.out.trim().split('\n');
    expect(lines).toHaveLength(2);
    for (const l of lines) expect(l).toMatch(/=(\[\])?$/); // no owner reference left
    expect(blue().pods.size).toBeGreaterThan(0);
  });
});

describe('(issue 6) kubectl apply -f of an existing object updates it', () => {
  const STS = (image: string) => `apiVersion: apps/v1
kind: StatefulSet
metadata: { name: kv }
spec:
  replicas: 1
  serviceName: kv
  selector: { matchLabels: { app: kv } }
  template:
    metadata: { labels: { app: kv } }
    spec:
      containers:
      - name: kv
        image: ${image}
        resources: { requests: { cpu: 10m, memory: 16Mi } }
`;
  it('a StatefulSet: configured, its Pod replaced with the new image; unchanged; a Job template change is immutable', async () => {
    expect((await kubectl(['apply', '-f', '-'], STS('redis:7.0'))).out.trim()).toBe('statefulset.apps/kv created');
    await until(async () => (await kubectl(['get', 'pod', 'kv-0', '-o', 'jsonpath={.status.phase}'])).out === 'Running', 'kv-0 running');
    const r = await kubectl(['apply', '-f', '-'], STS('redis:7.2'));
    expect(r.err).toBe('');
    expect(r.out.trim()).toBe('statefulset.apps/kv configured');
    await until(async () => (await kubectl(['get', 'pod', 'kv-0', '-o', 'jsonpath={.spec.containers[0].image}'])).out === 'redis:7.2', 'kv-0 on the new image');
    expect((await kubectl(['apply', '-f', '-'], STS('redis:7.2'))).out.trim()).toBe('statefulset.apps/kv unchanged');
    // kubectl apply's three-way patch: a label dropped from the file (it is in last-applied-configuration) is removed
    expect((await kubectl(['apply', '-f', '-'], STS('redis:7.2').replace('metadata: { name: kv }', 'metadata: { name: kv, labels: { tier: cache, team: blue } }'))).out.trim()).toBe('statefulset.apps/kv configured');
    expect((await kubectl(['get', 'sts', 'kv', '-o', 'jsonpath={.metadata.labels}'])).out).toBe('{"team":"blue","tier":"cache"}');
    expect((await kubectl(['apply', '-f', '-'], STS('redis:7.2').replace('metadata: { name: kv }', 'metadata: { name: kv, labels: { team: blue } }'))).out.trim()).toBe('statefulset.apps/kv configured');
    expect((await kubectl(['get', 'sts', 'kv', '-o', 'jsonpath={.metadata.labels}'])).out).toBe('{"team":"blue"}');
    // rollout undo reads the ControllerRevisions and patches the StatefulSet with the previous revision's data
    expect((await kubectl(['rollout', 'history', 'sts/kv'])).out).toMatch(/REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>/);
    const undo = await kubectl(['rollout', 'undo', 'sts/kv']);
    expect(undo.err).toBe('');
    expect(undo.out.trim()).toBe('statefulset.apps/kv rolled back');
    expect((await kubectl(['get', 'sts', 'kv', '-o', 'jsonpath={.spec.template.spec.containers[0].image}'])).out).toBe('redis:7.0');
    await until(async () => (await kubectl(['get', 'pod', 'kv-0', '-o', 'jsonpath={.spec.containers[0].image}'])).out === 'redis:7.0', 'kv-0 back on the old image');
    const DS = (image: string) => STS(image).replace('kind: StatefulSet', 'kind: DaemonSet').replace(/name: kv }/, 'name: agent }').replace('  replicas: 1\n  serviceName: kv\n', '').replaceAll('app: kv', 'app: agent');
    expect((await kubectl(['apply', '-f', '-'], DS('busybox:1.36'))).out.trim()).toBe('daemonset.apps/agent created');
    expect((await kubectl(['set', 'image', 'ds/agent', 'kv=busybox:1.37'])).out.trim()).toBe('daemonset.apps/agent image updated');
    const dsUndo = await kubectl(['rollout', 'undo', 'ds/agent']);
    expect(dsUndo.err).toBe('');
    expect(dsUndo.out.trim()).toBe('daemonset.apps/agent rolled back');
    expect((await kubectl(['get', 'ds', 'agent', '-o', 'jsonpath={.spec.template.spec.containers[0].image}'])).out).toBe('busybox:1.36');
    const job = (image: string) => JOB.replace('name: migrate', 'name: seed').replace('busybox:1.36', image);
    expect((await kubectl(['apply', '-f', '-'], job('busybox:1.36'))).out.trim()).toBe('job.batch/seed created');
    expect((await kubectl(['apply', '-f', '-'], job('busybox:1.37'))).err).toContain('The Job "seed" is invalid: spec.template: Invalid value: core.PodTemplateSpec{...}: field is immutable');
    expect((await kubectl(['apply', '-f', '-'], job('busybox:1.36').replace('parallelism: 2', 'parallelism: 1'))).out.trim()).toBe('job.batch/seed configured');
    expect((await kubectl(['get', 'job', 'seed', '-o', 'jsonpath={.spec.parallelism}'])).out).toBe('1');
  });

  it('a ConfigMap: apply (a strategic merge PATCH) and replace (a PUT) change its data', async () => {
    const cm = (mode: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: settings }\ndata: { MODE: ${mode} }\n`;
    expect((await kubectl(['apply', '-f', '-'], cm('blue'))).out.trim()).toBe('configmap/settings created');
    expect((await kubectl(['apply', '-f', '-'], cm('green'))).out.trim()).toBe('configmap/settings configured');
    expect((await kubectl(['get', 'cm', 'settings', '-o', 'jsonpath={.data.MODE}'])).out).toBe('green');
    const r = await kubectl(['replace', '-f', '-'], cm('red'));
    expect(r.err).toBe('');
    expect(r.out.trim()).toBe('configmap/settings replaced');
    expect((await kubectl(['get', 'cm', 'settings', '-o', 'jsonpath={.data.MODE}'])).out).toBe('red');
    // server-side apply: of the existing object, then of a new one
    expect((await kubectl(['apply', '--server-side', '-f', '-'], cm('pink'))).out.trim()).toBe('configmap/settings serverside-applied');
    expect((await kubectl(['get', 'cm', 'settings', '-o', 'jsonpath={.data.MODE}'])).out).toBe('pink');
    expect((await kubectl(['apply', '--server-side', '-f', '-'], cm('new').replace('settings', 'fresh'))).out.trim()).toBe('configmap/fresh serverside-applied');
  });
});
