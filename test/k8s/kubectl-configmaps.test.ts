/**
 * (issue 6) Real kubectl v1.32 against a live match: `create configmap --from-literal`, `create secret
 * generic`, `get cm` / `get secrets` (the server's columns), `describe configmap|secret` (kubectl's own
 * describer over the served objects), `-o jsonpath` of a Secret's base64 data, `apply -f -` of a
 * ConfigMap, `delete cm`. Each write is a game action of the player.
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
const DILATION = 30;

let server: RunningServer;
let home: string;
let config: string;
let alice: Room;

async function kubectl(args: string[], stdin?: string): Promise<{ out: string; err: string; code: number }> {
  try {
    const p = run(KUBECTL, ['--kubeconfig', config, ...args], { env: { HOME: home, PATH: '/usr/bin:/bin' }, timeout: 20_000 });
    if (stdin !== undefined) p.child.stdin?.end(stdin);
    const { stdout, stderr } = await p;
    return { out: stdout, err: stderr, code: 0 };
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; code?: number };
    return { out: e.stdout ?? '', err: e.stderr ?? '', code: typeof e.code === 'number' ? e.code : 1 };
  }
}

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'gameday-kubectl-config-'));
  server = await startTestServer();
  const client = new Client(server.url);
  alice = await client.joinOrCreate('match', { name: 'alice', seed: 12, teams: 1, scenario: 'guestbook', timeDilation: DILATION });
  const cred = await nextMessage<CredentialsMessage>(alice, 'credentials');
  const res = await fetch(`${server.url}${cred.kubeconfigPath}`, { headers: { authorization: `Bearer ${cred.token}` } });
  config = join(home, 'alice.yaml');
  writeFileSync(config, await res.text());
  await waitFor(() => (snapshotState(alice.state).teams.get('blue')?.pods.size ?? 0) > 0, 'blue projected');
});

afterAll(async () => {
  await alice?.leave().catch(() => undefined);
  await server?.close();
  rmSync(home, { recursive: true, force: true });
});

const actionCount = () => [...snapshotState(alice.state).players.values()].find((p) => p.name === 'alice')!.actions;

async function until(probe: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('real kubectl with ConfigMaps and Secrets', () => {
  it('create configmap / secret generic, get, describe, jsonpath, apply -f -, delete', async () => {
    const before = actionCount();
    const c = await kubectl(['create', 'configmap', 'app-settings', '--from-literal=MODE=prod', '--from-literal=LEVEL=debug']);
    expect(c.err).toBe('');
    expect(c.out.trim()).toBe('configmap/app-settings created');
    await waitFor(() => actionCount() === before + 1, 'the create action');
    await until(async () => (await kubectl(['get', 'cm', 'app-settings'])).code === 0, 'the ConfigMap served');
    expect((await kubectl(['get', 'cm', 'app-settings'])).out).toMatch(/^NAME\s+DATA\s+AGE\napp-settings\s+2\s+\S+\n$/);
    const d = (await kubectl(['describe', 'configmap', 'app-settings'])).out;
    // kubectl ranges over the Go map (random order); the console sorts the keys
    expect(d).toMatch(/^Name:\s+app-settings\nNamespace:\s+default\nLabels:\s+<none>\nAnnotations:\s+<none>\n\nData\n====\n/);
    expect(d).toContain('LEVEL:\n----\ndebug\n\n');
    expect(d).toContain('MODE:\n----\nprod\n\n');
    expect(d).toMatch(/\n\n\nBinaryData\n====\n\nEvents:/);
    const s = await kubectl(['create', 'secret', 'generic', 'db', '--from-literal=password=s3cret']);
    expect(s.out.trim()).toBe('secret/db created');
    await until(async () => (await kubectl(['get', 'secret', 'db'])).code === 0, 'the Secret served');
    expect((await kubectl(['get', 'secrets'])).out).toMatch(/^NAME\s+TYPE\s+DATA\s+AGE\ndb\s+Opaque\s+1\s+\S+\n$/);
    expect((await kubectl(['get', 'secret', 'db', '-o', 'jsonpath={.data.password}'])).out).toBe('czNjcmV0');
    expect((await kubectl(['describe', 'secret', 'db'])).out).toMatch(/\nType:\s+Opaque\n\nData\n====\npassword:\s+6 bytes\n$/);
    const a = await kubectl(['apply', '-f', '-'], 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: pasted }\ndata: { a: "1" }\n');
    expect(a.err).toBe('');
    expect(a.out.trim()).toBe('configmap/pasted created');
    await until(async () => (await kubectl(['get', 'cm', 'pasted'])).code === 0, 'the applied ConfigMap');
    const del = await kubectl(['delete', 'cm', 'app-settings']);
    expect(del.out.trim()).toBe('configmap "app-settings" deleted');
    await until(async () => (await kubectl(['get', 'cm', 'app-settings'])).err.includes('NotFound'), 'the ConfigMap gone');
    expect((await kubectl(['api-resources', '--api-group='])).out).toMatch(/\nconfigmaps\s+cm\s+v1\s+true\s+ConfigMap\n/);
  });
});
