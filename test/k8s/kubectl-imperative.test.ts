/**
 * Real kubectl v1.32's imperative commands against a live match: `create deployment` and `create
 * service` (protobuf bodies, server/k8s/protobuf.ts), `--dry-run=server`, and more writes that must
 * show in the game (the projection a player's client sees, the player's action count).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { Client, type Room } from '@colyseus/sdk';
import { snapshotState } from '../../client/src/view/stateMirror.ts';
import type { CredentialsMessage } from '../../shared/protocol.ts';
import type { RunningServer } from '../../server/app.ts';
import { nextMessage, startTestServer, waitFor } from '../server/helpers.ts';
import { KUBECTL } from './kubectl-bin.ts';

const run = promisify(execFile);

let server: RunningServer;
let home: string;
let config: string;
let alice: Room;

async function kubectl(...args: string[]): Promise<{ out: string; err: string; code: number }> {
  try {
    const { stdout, stderr } = await run(KUBECTL, ['--kubeconfig', config, ...args], { env: { HOME: home, PATH: '/usr/bin:/bin' }, timeout: 20_000 });
    return { out: stdout, err: stderr, code: 0 };
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; code?: number };
    return { out: e.stdout ?? '', err: e.stderr ?? '', code: typeof e.code === 'number' ? e.code : 1 };
  }
}

/** Polls an async probe (kubectl) until it holds; 15 s at most. */
async function until(probe: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const rows = (out: string) => out.trim().split('\n').slice(1);
const blue = () => snapshotState(alice.state).teams.get('blue')!;
const actionCount = () => [...snapshotState(alice.state).players.values()].find((p) => p.name === 'alice')!.actions;

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'gameday-kubectl-imperative-'));
  server = await startTestServer();
  const client = new Client(server.url);
  alice = await client.joinOrCreate('match', { name: 'alice', seed: 13, teams: 1, scenario: 'guestbook', timeDilation: 30 });
  const cred = await nextMessage<CredentialsMessage>(alice, 'credentials');
  const res = await fetch(`${server.url}${cred.kubeconfigPath}`, { headers: { authorization: `Bearer ${cred.token}` } });
  config = join(home, 'alice.yaml');
  writeFileSync(config, await res.text());
  await waitFor(() => (blue()?.pods.size ?? 0) > 0, 'blue projected');
});

afterAll(async () => {
  await alice?.leave().catch(() => undefined);
  await server?.close();
  rmSync(home, { recursive: true, force: true });
});

describe('kubectl create (protobuf bodies)', () => {
  it('create deployment NAME --image --replicas --port: scheduled Pods in the game', async () => {
    const before = actionCount();
    const r = await kubectl('create', 'deployment', 'hello', '--image=nginx:1.27', '--replicas=2', '--port=8080');
    expect(r.err).toBe('');
    expect(r.out.trim()).toBe('deployment.apps/hello created');
    await waitFor(() => actionCount() === before + 1, 'one create action');
    await waitFor(() => blue().deployments.get('default/hello')?.replicas === 2, 'hello in the projection');
    expect((await kubectl('get', 'deploy', 'hello', '-o', 'jsonpath={.spec.template.spec.containers[0].image} {.spec.template.spec.containers[0].ports[0].containerPort} {.spec.selector.matchLabels.app}')).out).toBe('nginx:1.27 8080 hello');
    await until(async () => rows((await kubectl('get', 'pods', '-l', 'app=hello', '--field-selector', 'status.phase=Running')).out).length === 2, 'two hello Pods Running');
    const again = await kubectl('create', 'deployment', 'hello', '--image=nginx:1.27');
    expect(again.code).not.toBe(0);
    expect(again.err.trim()).toBe('error: failed to create deployment: deployments.apps "hello" already exists');
  });

  it('create service clusterip NAME --tcp: endpoints from the Pods it selects', async () => {
    const r = await kubectl('create', 'service', 'clusterip', 'hello', '--tcp=80:8080');
    expect(r.err).toBe('');
    expect(r.out.trim()).toBe('service/hello created');
    expect((await kubectl('get', 'svc', 'hello', '-o', 'jsonpath={.spec.type} {.spec.ports[0].port} {.spec.ports[0].targetPort} {.spec.selector.app}')).out).toBe('ClusterIP 80 8080 hello');
    await until(async () => /10\.244\.\d+\.\d+:8080/.test((await kubectl('get', 'endpoints', 'hello')).out), 'hello endpoints');
  });

  it('--dry-run=server validates without creating anything', async () => {
    const before = actionCount();
    const r = await kubectl('create', 'deployment', 'ghost', '--image=nginx:1.27', '--dry-run=server');
    expect(r.err).toBe('');
    expect(r.out.trim()).toBe('deployment.apps/ghost created (server dry run)');
    const scaled = await kubectl('scale', 'deployment', 'hello', '--replicas=5', '--dry-run=server');
    expect(scaled.out.trim()).toBe('deployment.apps/hello scaled (server dry run)');
    expect((await kubectl('get', 'deploy', 'ghost')).err).toContain('NotFound');
    expect(blue().deployments.get('default/hello')?.replicas).toBe(2);
    expect(actionCount()).toBe(before);
  });
});

describe('kubectl set env, rollout pause/resume/undo --to-revision, delete -l, events by field', () => {
  const template = (name: string) => blue().deployments.get(`default/${name}`);
  const rsNames = async () => rows((await kubectl('get', 'rs', '-o', 'wide')).out).filter((l) => l.startsWith('hello-'));

  it('set env KEY=VALUE and KEY-: a template change that rolls out', async () => {
    const before = actionCount();
    const r = await kubectl('set', 'env', 'deployment/hello', 'DEBUG=1', 'MODE=fast');
    expect(r.err).toBe('');
    expect(r.out.trim()).toBe('deployment.apps/hello env updated');
    const env = async () => (await kubectl('get', 'deploy', 'hello', '-o', 'jsonpath={.spec.template.spec.containers[0].env[*].name}')).out;
    expect(await env()).toBe('DEBUG MODE');
    expect((await kubectl('set', 'env', 'deployment/hello', 'DEBUG-')).out.trim()).toBe('deployment.apps/hello env updated');
    expect(await env()).toBe('MODE');
    await waitFor(() => actionCount() === before + 2, 'two setEnv actions');
    await until(async () => (await kubectl('rollout', 'history', 'deployment/hello')).out.trim().split('\n').length >= 4, 'revisions 2 and 3 in the history');
  });

  it('rollout pause holds a template change; resume rolls it out', async () => {
    await until(async () => (await kubectl('rollout', 'status', 'deployment/hello', '--timeout=1s')).out.includes('successfully rolled out'), 'the env rollout finished');
    expect((await kubectl('rollout', 'pause', 'deployment/hello')).out.trim()).toBe('deployment.apps/hello paused');
    expect((await kubectl('get', 'deploy', 'hello', '-o', 'jsonpath={.spec.paused}')).out).toBe('true');
    const again = await kubectl('rollout', 'pause', 'deployment/hello');
    expect(again.err.trim()).toBe('error: deployments.apps "hello" is already paused');
    const rsBefore = (await rsNames()).length;
    expect((await kubectl('set', 'image', 'deployment/hello', 'nginx=nginx:1.29')).out.trim()).toBe('deployment.apps/hello image updated');
    // Two sim minutes pass (30x): no ReplicaSet runs the new image.
    await new Promise((r) => setTimeout(r, 4000));
    expect((await rsNames()).length).toBe(rsBefore);
    expect((await rsNames()).some((l) => l.includes('nginx:1.29'))).toBe(false);
    expect(template('hello')?.image).toBe('nginx:1.29');
    expect((await kubectl('rollout', 'resume', 'deployment/hello')).out.trim()).toBe('deployment.apps/hello resumed');
    await until(async () => (await rsNames()).some((l) => l.includes('nginx:1.29')), 'the nginx:1.29 ReplicaSet');
    expect((await kubectl('rollout', 'resume', 'deployment/hello')).err.trim()).toBe('error: deployments.apps "hello" is not paused');
  });

  it('rollout undo --to-revision=1 goes back to the first template', async () => {
    const r = await kubectl('rollout', 'undo', 'deployment/hello', '--to-revision=1');
    expect(r.err).toBe('');
    expect(r.out.trim()).toBe('deployment.apps/hello rolled back');
    await waitFor(() => template('hello')?.image === 'nginx:1.27', 'image back to nginx:1.27');
    expect((await kubectl('get', 'deploy', 'hello', '-o', 'jsonpath={.spec.template.spec.containers[0].env[*].name}')).out).toBe('');
  });

  it('delete pod -l deletes every matching Pod; events filter by involvedObject', async () => {
    const replicas = rows((await kubectl('get', 'pods', '-l', 'app=redis,role=replica')).out).map((l) => l.split(/\s+/)[0]!);
    expect(replicas.length).toBe(2);
    const del = await kubectl('delete', 'pod', '-l', 'app=redis,role=replica', '--wait=false');
    expect(del.out.trim().split('\n').sort()).toEqual(replicas.map((p) => `pod "${p}" deleted`).sort());
    const ev = await kubectl('get', 'events', '--field-selector', `involvedObject.name=${replicas[0]},reason=Killing`);
    await until(async () => (await kubectl('get', 'events', '--field-selector', `involvedObject.name=${replicas[0]}`)).out.includes('Killing'), 'a Killing event for the Pod');
    expect(ev.code).toBe(0);
    const forDeploy = await kubectl('get', 'events', '--field-selector', 'involvedObject.kind=Deployment,involvedObject.name=frontend');
    expect(rows(forDeploy.out).length).toBeGreaterThan(0);
    expect(rows(forDeploy.out).every((l) => /\sdeployment\/frontend\s/.test(l))).toBe(true);
  });
});

const WEB = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: { app: web, tier: edge }
spec:
  replicas: 2
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
      - name: web
        image: nginx:1.27
        ports: [{ containerPort: 8080 }]
        env: [{ name: MODE, value: blue }]
`;

describe('kubectl apply --server-side and replace -f', () => {
  const file = (name: string, text: string) => {
    const p = join(home, name);
    writeFileSync(p, text);
    return p;
  };
  const jsonpath = async (path: string) => (await kubectl('get', 'deploy', 'web', '-o', `jsonpath=${path}`)).out;
  const settled = () => until(async () => (await kubectl('rollout', 'status', 'deployment/web', '--timeout=1s')).out.includes('successfully rolled out'), 'web rolled out');

  it('apply --server-side creates, then changes only what changed', async () => {
    const before = actionCount();
    const r = await kubectl('apply', '--server-side', '--field-manager=alice-ci', '-f', file('web.yaml', WEB));
    expect(r.err).toBe('');
    expect(r.out.trim()).toBe('deployment.apps/web serverside-applied');
    await waitFor(() => blue().deployments.get('default/web')?.replicas === 2, 'web created');
    const again = await kubectl('apply', '--server-side', '--field-manager=alice-ci', '-f', file('web.yaml', WEB.replace('replicas: 2', 'replicas: 3').replace('nginx:1.27', 'nginx:1.28')));
    expect(again.out.trim()).toBe('deployment.apps/web serverside-applied');
    await waitFor(() => blue().deployments.get('default/web')?.replicas === 3, 'web scaled by apply');
    expect(await jsonpath('{.spec.template.spec.containers[0].image}')).toBe('nginx:1.28');
    // create + scale + set image: three actions.
    await waitFor(() => actionCount() === before + 3, 'three actions');
  });

  it('another manager changing an owned field is 409 Conflict; --force-conflicts takes it over', async () => {
    const conflict = await kubectl('apply', '--server-side', '--field-manager=bob-ci', '-f', file('web-bob.yaml', WEB.replace('replicas: 2', 'replicas: 5').replace('nginx:1.27', 'nginx:1.28')));
    expect(conflict.code).not.toBe(0);
    expect(conflict.err).toContain('Apply failed with 1 conflict: conflict with "alice-ci" using apps/v1: .spec.replicas');
    expect(await jsonpath('{.spec.replicas}')).toBe('3');
    const forced = await kubectl('apply', '--server-side', '--field-manager=bob-ci', '--force-conflicts', '-f', join(home, 'web-bob.yaml'));
    expect(forced.out.trim()).toBe('deployment.apps/web serverside-applied');
    await waitFor(() => blue().deployments.get('default/web')?.replicas === 5, 'bob scaled web');
    // Now alice conflicts with bob.
    const back = await kubectl('apply', '--server-side', '--field-manager=alice-ci', '-f', file('web.yaml', WEB.replace('replicas: 2', 'replicas: 3').replace('nginx:1.27', 'nginx:1.28')));
    expect(back.err).toContain('conflict with "bob-ci" using apps/v1: .spec.replicas');
    const bad = await kubectl('apply', '--server-side', '--field-manager=bob-ci', '-f', file('web-bad.yaml', WEB.replace('replicas: 2', 'replicas: 5\n  minReadySeconds: 9').replace('nginx:1.27', 'nginx:1.28')));
    expect(bad.code).not.toBe(0);
    expect(bad.err).toContain('spec.minReadySeconds');
  });

  it('replace -f: the whole object; left-out labels and env go; a stale resourceVersion is 409', async () => {
    await settled();
    const replaced = WEB.replace('labels: { app: web, tier: edge }', 'labels: { app: web }').replace('env: [{ name: MODE, value: blue }]', 'env: [{ name: COLOR, value: green }]');
    const r = await kubectl('replace', '-f', file('web-replace.yaml', replaced));
    expect(r.err).toBe('');
    expect(r.out.trim()).toBe('deployment.apps/web replaced');
    expect(await jsonpath('{.spec.replicas} {.metadata.labels.tier}|{.spec.template.spec.containers[0].image} {.spec.template.spec.containers[0].env[*].name}')).toBe('2 |nginx:1.27 COLOR');
    const rv = await jsonpath('{.metadata.resourceVersion}');
    const stale = await kubectl('replace', '-f', file('web-stale.yaml', replaced.replace('  name: web\n', `  name: web\n  resourceVersion: "${Number(rv) - 1}"\n`)));
    expect(stale.code).not.toBe(0);
    expect(stale.err.trim()).toBe(`Error from server (Conflict): error when replacing "${join(home, 'web-stale.yaml')}": Operation cannot be fulfilled on deployments.apps "web": the object has been modified; please apply your changes to the latest version and try again`);
  });
});

describe('kubectl diff (server-side dry-run apply)', () => {
  it('shows the change the game would make and changes nothing', async () => {
    const before = actionCount();
    const replicas = Number((await kubectl('get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}')).out);
    const p = join(home, 'web-diff.yaml');
    writeFileSync(p, WEB.replace('replicas: 2', `replicas: ${replicas + 2}`).replace('nginx:1.27', 'nginx:1.29'));
    const r = await kubectl('diff', '--server-side', '--force-conflicts', '-f', p);
    // kubectl diff exits 1 when there are differences.
    expect(r.code).toBe(1);
    expect(r.out).toMatch(new RegExp(`^-\\s+replicas: ${replicas}$`, 'm'));
    expect(r.out).toMatch(new RegExp(`^\\+\\s+replicas: ${replicas + 2}$`, 'm'));
    expect(r.out).toMatch(/^\+\s+(- )?image: nginx:1\.29$/m);
    // Plain kubectl diff: a dry-run strategic merge patch (client-side apply).
    const plain = await kubectl('diff', '-f', p);
    expect(plain.code).toBe(1);
    expect(plain.out).toMatch(new RegExp(`^\\+\\s+replicas: ${replicas + 2}$`, 'm'));
    expect(blue().deployments.get('default/web')?.replicas).toBe(replicas);
    expect(actionCount()).toBe(before);
  });
});

describe('a canary behind an existing Service', () => {
  it('a Deployment whose Pods match the frontend Service\'s selector gets its share of the traffic', async () => {
    const canary = `apiVersion: apps/v1
kind: Deployment
metadata: { name: frontend-canary }
spec:
  replicas: 1
  selector: { matchLabels: { app: guestbook, tier: frontend, track: canary } }
  template:
    metadata: { labels: { app: guestbook, tier: frontend, track: canary } }
    spec:
      containers:
      - name: php-redis
        image: gcr.io/google-samples/gb-frontend:v5-rc1
        ports: [{ containerPort: 80 }]
`;
    const p = join(home, 'canary.yaml');
    writeFileSync(p, canary);
    expect((await kubectl('apply', '-f', p)).out.trim()).toBe('deployment.apps/frontend-canary created');
    let pod = '';
    await until(async () => {
      pod = rows((await kubectl('get', 'pods', '-l', 'track=canary', '--field-selector', 'status.phase=Running')).out)[0]?.split(/\s+/)[0] ?? '';
      return pod !== '';
    }, 'the canary Pod Running');
    const ip = async () => (await kubectl('get', 'pod', pod, '-o', 'jsonpath={.status.podIP}')).out;
    await until(async () => (await kubectl('get', 'endpoints', 'frontend', '-o', 'jsonpath={.subsets[*].addresses[*].ip}')).out.split(' ').includes(await ip()), 'the canary in the frontend endpoints');
    // Its log has the Service's requests, and the release's own 500s (10 % of them).
    await until(async () => (await kubectl('logs', pod)).out.split('\n').filter((l) => / 500 \d+ "-"/.test(l)).length >= 2, 'the canary serving 500s');
  });
});

describe('kubectl autoscale and patch hpa against the API', () => {
  it('autoscale creates the HPA in the game; patch hpa changes its maxReplicas; unsupported fields are 422', async () => {
    const before = actionCount();
    const r = await kubectl('autoscale', 'deployment', 'redis-replica', '--min=2', '--max=4', '--cpu-percent=70');
    expect(r.err).toBe('');
    expect(r.out.trim()).toBe('horizontalpodautoscaler.autoscaling/redis-replica autoscaled');
    await waitFor(() => actionCount() === before + 1, 'one autoscale action');
    const get = await kubectl('get', 'hpa', 'redis-replica', '-o', 'jsonpath={.spec.minReplicas} {.spec.maxReplicas} {.spec.scaleTargetRef.name}');
    expect(get.out).toBe('2 4 redis-replica');
    const patch = await kubectl('patch', 'hpa', 'redis-replica', '-p', '{"spec":{"maxReplicas":6}}');
    expect(patch.err).toBe('');
    expect(patch.out.trim()).toBe('horizontalpodautoscaler.autoscaling/redis-replica patched');
    await until(async () => (await kubectl('get', 'hpa', 'redis-replica', '-o', 'jsonpath={.spec.maxReplicas}')).out === '6', 'maxReplicas 6');
    const again = await kubectl('autoscale', 'deployment', 'redis-replica', '--max=5');
    expect(again.code).not.toBe(0);
    expect(again.err).toMatch(/already exists/);
    const bad = await kubectl('patch', 'hpa', 'redis-replica', '-p', '{"metadata":{"labels":{"a":"b"}}}');
    expect(bad.code).not.toBe(0);
    expect(bad.err).toMatch(/this game patches only spec/);
  });
});
