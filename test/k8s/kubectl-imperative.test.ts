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
