/**
 * Real kubectl v1.32 against a live match, for what needs the OpenAPI documents and the newer writes:
 * `kubectl explain` (OpenAPI v3), `label`/`annotate`, `taint`, `apply -f`/`create -f` of a new
 * Deployment and Service, `edit` (through `KUBE_EDITOR`), `delete deployment`. Every write must show in
 * the game (the projection a player's client sees, the player's action count).
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

/** Runs kubectl with alice's kubeconfig (extra environment: `env`): stdout, stderr and the exit code. */
async function kubectl(args: string[], env: Record<string, string> = {}): Promise<{ out: string; err: string; code: number }> {
  try {
    const { stdout, stderr } = await run(KUBECTL, ['--kubeconfig', config, ...args], { env: { HOME: home, PATH: '/usr/bin:/bin', ...env }, timeout: 20_000 });
    return { out: stdout, err: stderr, code: 0 };
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; code?: number };
    return { out: e.stdout ?? '', err: e.stderr ?? '', code: typeof e.code === 'number' ? e.code : 1 };
  }
}


beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'gameday-kubectl-writes-'));
  server = await startTestServer();
  const client = new Client(server.url);
  alice = await client.joinOrCreate('match', { name: 'alice', seed: 11, teams: 1, scenario: 'guestbook', timeDilation: 30 });
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

describe('kubectl explain reads the OpenAPI v3 documents', () => {
  it('explain pods.spec.containers prints the Container fields with their docs', async () => {
    const r = await kubectl(['explain', 'pods.spec.containers']);
    expect(r.err).toBe('');
    expect(r.out).toMatch(/^KIND:\s+Pod$/m);
    expect(r.out).toMatch(/^FIELD: containers <\[\]Container>$/m);
    expect(r.out).toMatch(/^ {2}image\t<string>$/m);
    expect(r.out).toMatch(/^ {2}resources\t<ResourceRequirements>$/m);
    expect(r.out).toMatch(/^ {2}name\t<string> -required-$/m);
    expect(r.out).toContain('Container image name.');
  });

  it('explain deployment.spec.replicas prints the field and its description', async () => {
    const r = await kubectl(['explain', 'deployment.spec.replicas']);
    expect(r.err).toBe('');
    expect(r.out).toMatch(/^GROUP:\s+apps$/m);
    expect(r.out).toMatch(/^KIND:\s+Deployment$/m);
    expect(r.out).toMatch(/^FIELD: replicas <integer>$/m);
    expect(r.out).toContain('Number of desired pods.');
  });

  it('explain --recursive walks nested definitions; an unknown field is an error', async () => {
    const r = await kubectl(['explain', 'node.spec', '--recursive']);
    expect(r.out).toMatch(/^ {2}taints\t<\[\]Taint>$/m);
    expect(r.out).toMatch(/^ {4}effect\t<string> -required-$/m);
    const bad = await kubectl(['explain', 'pods.spec.nope']);
    expect(bad.code).not.toBe(0);
    expect(bad.err).toContain('field "nope" does not exist');
  });
});
