/**
 * Real kubectl (/usr/bin/kubectl v1.32) against a live match: a real server, real SDK clients joining a
 * two-team room, the kubeconfig each player downloads with the token the room gave them, and kubectl's
 * output as a user reads it (the same columns as a real cluster). Writes must show in the game (the
 * console's `kubectl get`, the player's action count), and a player's token must not reach another
 * team's cluster.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { Client, type Room } from '@colyseus/sdk';
import { snapshotState } from '../../client/src/view/stateMirror.ts';
import type { CredentialsMessage } from '../../shared/protocol.ts';
import type { RunningServer } from '../../server/app.ts';
import { ask, nextMessage, signIn, startTestServer, waitFor } from '../server/helpers.ts';

const run = promisify(execFile);
/**
 * kubectl v1.32. /usr/bin/kubectl is the Google Cloud SDK's dispatcher, which runs the kubectl matching
 * the server's version (this API reports v1.33): name the 1.32 binary it ships when it is there.
 */
import { KUBECTL } from './kubectl-bin.ts';

let server: RunningServer;
let home: string;
const rooms: Room[] = [];
const creds = new Map<string, CredentialsMessage>();
const configs = new Map<string, string>();

/** Joins `name`, waits for its `credentials`, downloads its kubeconfig to a file. */
async function player(client: Client, name: string, options: Record<string, unknown>, roomId?: string): Promise<Room> {
  const room = roomId === undefined ? await client.joinOrCreate('match', { name, ...options }) : await client.joinById(roomId, { name, ...options });
  rooms.push(room);
  const cred = await nextMessage<CredentialsMessage>(room, 'credentials');
  creds.set(name, cred);
  const res = await fetch(`${server.url}${cred.kubeconfigPath}`, { headers: { authorization: `Bearer ${cred.token}` } });
  expect(res.status).toBe(200);
  const file = join(home, `${name}.yaml`);
  writeFileSync(file, await res.text());
  configs.set(name, file);
  return room;
}

/** Runs kubectl with `name`'s kubeconfig: stdout, stderr and the exit code. */
async function kubectl(name: string, ...args: string[]): Promise<{ out: string; err: string; code: number }> {
  try {
    const { stdout, stderr } = await run(KUBECTL, ['--kubeconfig', configs.get(name)!, ...args], { env: { HOME: home, PATH: '/usr/bin:/bin' }, timeout: 20_000 });
    return { out: stdout, err: stderr, code: 0 };
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; code?: number };
    return { out: e.stdout ?? '', err: e.stderr ?? '', code: typeof e.code === 'number' ? e.code : 1 };
  }
}

/** The header words of a kubectl table (split on 2+ spaces). */
function header(out: string): string[] {
  return out.split('\n')[0]!.trim().split(/\s{2,}/);
}

/** The first cell of each table row. */
function names(out: string): string[] {
  return out.trim().split('\n').slice(1).map((l) => l.split(/\s+/)[0]!);
}

let alice: Room;
let bob: Room;
let tess: Room;
const team = (room: Room, id: string) => snapshotState(room.state).teams.get(id);

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'gameday-kubectl-'));
  server = await startTestServer({ TRAINER_USERS: 'tess' });
  const client = new Client(server.url);
  // Fast enough that a deleted Pod's grace period (30 sim s) passes in a second or two.
  alice = await player(client, 'alice', { seed: 7, teams: 2, scenario: 'guestbook', timeDilation: 30 });
  bob = await player(client, 'bob', { team: 'red' }, alice.roomId);
  tess = await player(client, 'tess', { trainer: true, token: await signIn(server.url, 'tess') }, alice.roomId);
  await waitFor(() => (team(alice, 'blue')?.pods.size ?? 0) > 0, 'blue projected');
});

afterAll(async () => {
  for (const room of rooms) await room.leave().catch(() => undefined);
  await server?.close();
  rmSync(home, { recursive: true, force: true });
});

describe('kubectl with the downloaded kubeconfig', () => {
  it('runs kubectl v1.32', async () => {
    expect((await run(KUBECTL, ['version', '--client'])).stdout).toMatch(/^Client Version: v1\.32\./m);
  });

  it('the room tells each player its token; the kubeconfig points at its team cluster', () => {
    const a = creds.get('alice')!;
    expect(a).toMatchObject({ team: 'blue', kubeconfigPath: '/k8s/kubeconfig' });
    expect(a.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(creds.get('bob')!.token).not.toBe(a.token);
  });

  it('get pods prints the columns and the Pods of a real cluster', async () => {
    const r = await kubectl('alice', 'get', 'pods');
    expect(r.err).toBe('');
    expect(header(r.out)).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    // `get pods` lists the default namespace (kube-system's Pods are there too, as in a real cluster).
    const sim = [...team(alice, 'blue')!.pods.entries()].filter(([key]) => key.startsWith('default/')).map(([, p]) => p.name).sort();
    expect(names(r.out).sort()).toEqual(sim);
    expect(r.out).toMatch(/frontend-\S+\s+1\/1\s+Running\s+0\s+\d+s/);
  });

  it('get nodes -o wide adds the wide columns', async () => {
    const r = await kubectl('alice', 'get', 'nodes', '-o', 'wide');
    expect(header(r.out)).toEqual(['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION', 'INTERNAL-IP', 'EXTERNAL-IP', 'OS-IMAGE', 'KERNEL-VERSION', 'CONTAINER-RUNTIME']);
    expect(names(r.out).sort()).toEqual([...team(alice, 'blue')!.nodes.keys()].sort());
    expect(r.out).toMatch(/Ready\s+<none>\s+\S+\s+v1\.\d+\.\d+\s+10\.0\.1\.\d+\s+<none>/);
  });

  it('get deploy, label selectors and -A', async () => {
    const r = await kubectl('alice', 'get', 'deploy');
    expect(header(r.out)).toEqual(['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE']);
    expect(names(r.out)).toContain('frontend');
    const sel = await kubectl('alice', 'get', 'pods', '-l', 'app=redis,role in (master, replica)', '-A');
    expect(header(sel.out)).toEqual(['NAMESPACE', 'NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    const redis = [...team(alice, 'blue')!.pods.values()].filter((p) => p.name.startsWith('redis-')).map((p) => p.name).sort();
    expect(redis.length).toBeGreaterThan(0);
    expect(sel.out.trim().split('\n').slice(1).map((l) => l.split(/\s+/)[1]).sort()).toEqual(redis);
    const onNode = await kubectl('alice', 'get', 'pods', '--field-selector', `spec.nodeName=${[...team(alice, 'blue')!.nodes.keys()].sort()[0]}`, '-o', 'name');
    expect(onNode.out.trim().split('\n').length).toBeLessThan([...team(alice, 'blue')!.pods.keys()].length);
    const ep = await kubectl('alice', 'get', 'endpoints', 'redis-master');
    expect(header(ep.out)).toEqual(['NAME', 'ENDPOINTS', 'AGE']);
    expect(ep.out).toMatch(/^redis-master\s+10\.244\.\d+\.\d+:6379\s/m);
    const none = await kubectl('alice', 'get', 'pods', '-l', 'app=nothing-here');
    expect(none.err.trim()).toBe('No resources found in default namespace.');
  });

  it('describe pod shows the Pod as kubectl describes it', async () => {
    const pod = [...team(alice, 'blue')!.pods.values()].find((p) => p.name.startsWith('frontend-'))!.name;
    const r = await kubectl('alice', 'describe', 'pod', pod);
    expect(r.err).toBe('');
    expect(r.out).toMatch(new RegExp(`^Name:\\s+${pod}$`, 'm'));
    expect(r.out).toMatch(/^Controlled By:\s+ReplicaSet\/frontend-/m);
    expect(r.out).toMatch(/^Status:\s+Running$/m);
  });

  it('logs prints the Pod\'s generated log lines (was: 400, the sim runs no containers; more in kubectl-logs.test.ts)', async () => {
    const pod = [...team(alice, 'blue')!.pods.values()].find((p) => p.name.startsWith('frontend-'))!.name;
    const r = await kubectl('alice', 'logs', pod, '--tail=5');
    expect(r.code).toBe(0);
    expect(r.out.trim().split('\n')).toHaveLength(5);
    expect((await kubectl('alice', 'logs', 'nope')).err.trim()).toBe('error: error from server (NotFound): pods "nope" not found in namespace "default"');
  });

  it('top pods and top nodes read metrics.k8s.io with the console\'s numbers', async () => {
    const pods = await kubectl('alice', 'top', 'pods');
    expect(pods.err).toBe('');
    expect(header(pods.out)).toEqual(['NAME', 'CPU(cores)', 'MEMORY(bytes)']);
    expect(pods.out).toMatch(/^frontend-\S+\s+\d+m\s+\d+Mi\s*$/m);
    const nodes = await kubectl('alice', 'top', 'nodes');
    expect(nodes.err).toBe('');
    expect(header(nodes.out)).toEqual(['NAME', 'CPU(cores)', 'CPU(%)', 'MEMORY(bytes)', 'MEMORY(%)']);
    expect(names(nodes.out).sort()).toEqual([...team(alice, 'blue')!.nodes.keys()].sort());
    const console = await ask(alice, 'kubectl', { id: 2, command: 'kubectl top nodes' });
    expect(header(console.output!)).toEqual(header(nodes.out));
  });

  it('a missing object is NotFound, as from a real API server', async () => {
    const r = await kubectl('alice', 'get', 'deploy', 'nope');
    expect(r.code).not.toBe(0);
    expect(r.err.trim()).toBe('Error from server (NotFound): deployments.apps "nope" not found');
  });

  it('scale goes through the game: the console and the action count see it', async () => {
    const before = [...snapshotState(alice.state).players.values()].find((p) => p.name === 'alice')!.actions;
    const r = await kubectl('alice', 'scale', 'deploy', 'frontend', '--replicas=5');
    expect(r.out.trim()).toBe('deployment.apps/frontend scaled');
    await waitFor(() => team(alice, 'blue')!.deployments.get('default/frontend')?.replicas === 5, 'frontend scaled to 5');
    const console = await ask(alice, 'kubectl', { id: 1, command: 'kubectl get deploy frontend' });
    expect(console.output).toMatch(/frontend\s+\d\/5/);
    await waitFor(() => [...snapshotState(alice.state).players.values()].find((p) => p.name === 'alice')!.actions === before + 1, 'the action counted');
    expect((await kubectl('alice', 'get', 'deploy', 'frontend')).out).toMatch(/frontend\s+\d\/5/);
    // Red's cluster did not move.
    expect(team(tess, 'red')!.deployments.get('default/frontend')?.replicas).not.toBe(5);
  });

  it('cordon patches spec.unschedulable through the game', async () => {
    const node = [...team(alice, 'blue')!.nodes.keys()].sort()[0]!;
    const r = await kubectl('alice', 'cordon', node);
    expect(r.out.trim()).toBe(`node/${node} cordoned`);
    expect((await kubectl('alice', 'get', 'node', node)).out).toMatch(new RegExp(`${node}\\s+Ready,SchedulingDisabled`));
    await waitFor(() => team(alice, 'blue')!.nodes.get(node)!.unschedulable, 'the node cordoned in the projection');
    expect((await kubectl('alice', 'uncordon', node)).out.trim()).toBe(`node/${node} uncordoned`);
  });

  it('delete pod waits (through a watch) until the Pod is gone', async () => {
    const listed = (await kubectl('alice', 'get', 'pods', '-l', 'role=replica')).out;
    const pod = listed.split('\n').find((l) => /\sRunning\s/.test(l))!.split(/\s+/)[0]!;
    const r = await kubectl('alice', 'delete', 'pod', pod);
    expect(r).toMatchObject({ code: 0, out: `pod "${pod}" deleted\n` });
    expect((await kubectl('alice', 'get', 'pod', pod)).err.trim()).toBe(`Error from server (NotFound): pods "${pod}" not found`);
  });

  it('rollout restart and set image are game actions', async () => {
    expect((await kubectl('alice', 'rollout', 'restart', 'deployment/redis-replica')).out.trim()).toBe('deployment.apps/redis-replica restarted');
    const r = await kubectl('alice', 'set', 'image', 'deployment/redis-master', 'master=k8s.gcr.io/redis:e2e-2');
    expect(r.out.trim()).toBe('deployment.apps/redis-master image updated');
    await waitFor(() => team(alice, 'blue')!.deployments.get('default/redis-master')?.image === 'k8s.gcr.io/redis:e2e-2', 'the new image in the projection');
  });

  it('rollout history, undo and status: undo becomes the game rolloutUndo', async () => {
    const hist = await kubectl('alice', 'rollout', 'history', 'deployment/redis-master');
    expect(hist.err).toBe('');
    expect(hist.out).toMatch(/^REVISION\s+CHANGE-CAUSE$/m);
    expect(hist.out).toMatch(/^2\s+<none>$/m);
    const before = [...snapshotState(alice.state).players.values()].find((p) => p.name === 'alice')!.actions;
    const r = await kubectl('alice', 'rollout', 'undo', 'deployment/redis-master');
    expect(r.err).toBe('');
    expect(r.out.trim()).toBe('deployment.apps/redis-master rolled back');
    await waitFor(() => team(alice, 'blue')!.deployments.get('default/redis-master')?.image === 'k8s.gcr.io/redis:e2e', 'the old image back in the projection');
    await waitFor(() => [...snapshotState(alice.state).players.values()].find((p) => p.name === 'alice')!.actions === before + 1, 'the undo counted');
    const st = await kubectl('alice', 'rollout', 'status', 'deployment/redis-master', '--timeout=15s');
    expect(st).toMatchObject({ code: 0, err: '' });
    expect(st.out).toMatch(/deployment "redis-master" successfully rolled out/);
    // A finished rollout: kubectl's watch gets its headers at once and kubectl exits (no hang until a change).
    const done = await kubectl('alice', 'rollout', 'status', 'deployment/frontend', '--timeout=15s');
    expect(done).toMatchObject({ code: 0, err: '', out: 'deployment "frontend" successfully rolled out\n' });
  });

  it("another team's cluster is Forbidden; an unknown token is Unauthorized", async () => {
    const redUrl = configs.get('bob')!;
    const asBlue = join(home, 'bob-at-blue.yaml');
    writeFileSync(asBlue, readFileSync(redUrl, 'utf8').replace('/red/token/', '/blue/token/'));
    configs.set('bob-at-blue', asBlue);
    const r = await kubectl('bob-at-blue', 'get', 'pods');
    expect(r.code).not.toBe(0);
    expect(r.err).toContain('Error from server (Forbidden)');
    const url = readFileSync(asBlue, 'utf8').match(/server: (\S+)/)![1]!;
    const res = await fetch(`${url}/api/v1/namespaces/default/pods`);
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ kind: 'Status', reason: 'Forbidden', code: 403, message: expect.stringContaining('bob plays for team red, not blue') });
    const bad = join(home, 'bad.yaml');
    writeFileSync(bad, readFileSync(redUrl, 'utf8').replace(creds.get('bob')!.token, 'not-a-token'));
    configs.set('bad', bad);
    expect((await kubectl('bad', 'get', 'pods')).err).toContain('You must be logged in to the server');
  });

  it('a trainer reads every team and writes only their own', async () => {
    const r = await kubectl('tess', '--context', 'gameday-red', 'get', 'deploy', 'frontend');
    expect(r.out).toMatch(/^frontend\s+/m);
    const w = await kubectl('tess', '--context', 'gameday-red', 'scale', 'deploy', 'frontend', '--replicas=2');
    expect(w.err).toContain('Error from server (Forbidden)');
  });

  it('drain cordons, evicts through the Eviction subresource (one drainNode action) and waits', async () => {
    const red = () => team(bob, 'red')!;
    const node = [...red().nodes.keys()].sort().find((n) => [...red().pods.values()].some((p) => p.node === n))!;
    const before = [...snapshotState(bob.state).players.values()].find((p) => p.name === 'bob')!.actions;
    const r = await kubectl('bob', 'drain', node, '--ignore-daemonsets', '--delete-emptydir-data', '--timeout=15s');
    // kubectl's own warning for the Node's kube-proxy (a DaemonSet Pod), as against a real cluster.
    expect(r.err).toMatch(/^(Warning: ignoring DaemonSet-managed Pods: kube-system\/kube-proxy-\S+\n)?$/);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(new RegExp(`^node/${node} cordoned$`, 'm'));
    expect(r.out).toMatch(/^evicting pod default\/\S+$/m);
    expect(r.out).toMatch(new RegExp(`^node/${node} drained$`, 'm'));
    expect((await kubectl('bob', 'get', 'pods', '--field-selector', `spec.nodeName=${node}`)).err.trim()).toBe('No resources found in default namespace.');
    // The cordon and the drain, attributed to bob like console actions.
    await waitFor(() => [...snapshotState(bob.state).players.values()].find((p) => p.name === 'bob')!.actions === before + 2, 'cordon + drain counted');
    expect((await kubectl('bob', 'uncordon', node)).out.trim()).toBe(`node/${node} uncordoned`);
  });
});
