/**
 * A live match for the real-kubectl tests: a test server, one player (`alice`, team blue, one team)
 * joined over a real Colyseus WebSocket, her kubeconfig fetched with her credentials and written to a
 * temporary HOME, and a `kubectl` runner that uses it. The tests in this folder share it instead of
 * each writing the same setup.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client, type Room } from '@colyseus/sdk';
import { snapshotState } from '../../client/src/view/stateMirror.ts';
import type { CredentialsMessage } from '../../shared/protocol.ts';
import type { RunningServer } from '../../server/app.ts';
import { nextMessage, startTestServer, waitFor } from '../server/helpers.ts';
import { KUBECTL } from './kubectl-bin.ts';

const run = promisify(execFile);

/** What one kubectl run printed, and its exit code (0 on success). */
export interface KubectlResult {
  out: string;
  err: string;
  code: number;
}

/** A running match with alice's kubeconfig; `close` leaves, stops the server and removes the HOME. */
export interface KubectlMatch {
  server: RunningServer;
  alice: Room;
  cred: CredentialsMessage;
  /** The temporary HOME (kubectl's cache goes there; tests may write files in it). */
  home: string;
  /** Path of alice's kubeconfig. */
  config: string;
  /** Runs the real kubectl with alice's kubeconfig; `stdin` is piped in, `env` adds variables. Never throws. */
  kubectl(args: string[], opts?: { stdin?: string; env?: Record<string, string> }): Promise<KubectlResult>;
  /** How many game actions alice has made (the projection's player row). */
  actionCount(): number;
  close(): Promise<void>;
}

/**
 * Starts a test server and a one-team match of `scenario` (default guestbook) at `timeDilation` (sim
 * seconds per real second), joins alice and waits until her team's Pods are projected.
 */
export async function startKubectlMatch(opts: { seed: number; timeDilation: number; scenario?: string; prefix: string }): Promise<KubectlMatch> {
  const home = mkdtempSync(join(tmpdir(), `gameday-${opts.prefix}-`));
  const server = await startTestServer();
  const client = new Client(server.url);
  const alice = await client.joinOrCreate('match', { name: 'alice', seed: opts.seed, teams: 1, scenario: opts.scenario ?? 'guestbook', timeDilation: opts.timeDilation });
  const cred = await nextMessage<CredentialsMessage>(alice, 'credentials');
  const res = await fetch(`${server.url}${cred.kubeconfigPath}`, { headers: { authorization: `Bearer ${cred.token}` } });
  const config = join(home, 'alice.yaml');
  writeFileSync(config, await res.text());
  await waitFor(() => (snapshotState(alice.state).teams.get('blue')?.pods.size ?? 0) > 0, 'blue projected');
  return {
    server,
    alice,
    cred,
    home,
    config,
    async kubectl(args, o = {}) {
      try {
        const p = run(KUBECTL, ['--kubeconfig', config, ...args], { env: { HOME: home, PATH: '/usr/bin:/bin', ...o.env }, timeout: 20_000, maxBuffer: 64 * 1024 * 1024 });
        if (o.stdin !== undefined) p.child.stdin?.end(o.stdin);
        const { stdout, stderr } = await p;
        return { out: stdout, err: stderr, code: 0 };
      } catch (err) {
        const e = err as { stdout?: string; stderr?: string; code?: number };
        return { out: e.stdout ?? '', err: e.stderr ?? '', code: typeof e.code === 'number' ? e.code : 1 };
      }
    },
    actionCount: () => [...snapshotState(alice.state).players.values()].find((p) => p.name === 'alice')!.actions,
    async close() {
      await alice.leave().catch(() => undefined);
      await server.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** Polls `probe` every 200 ms (real time) until it holds; throws `timed out waiting for <what>` after `timeoutMs`. */
export async function until(probe: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
