/**
 * Graceful shutdown of the real process (`node server/main.ts`, as `npm start` runs it) on SIGTERM:
 * with a player in a running match, a finished match, an idle keep-alive HTTP connection and a
 * WebSocket upgrade to a path that is no room, the process exits 0 (a complete shutdown, not the
 * SHUTDOWN_TIMEOUT_MS fallback that exits 1), the player is told SERVER_SHUTDOWN, and the finished
 * match is in the database the process closed.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import http from 'node:http';
import net from 'node:net';
import { createInterface } from 'node:readline';
import { Client, CloseCode } from '@colyseus/sdk';
import { openDatabase } from '../../server/db/index.ts';
import { getMatch } from '../../server/db/repository.ts';
import { testDataDir, waitFor } from './helpers.ts';

interface Proc {
  child: ChildProcess;
  url: string;
  lines: string[];
  exited: Promise<{ code: number | null; ms: number }>;
}

/** Start `server/main.ts` on a random port; resolves once it logs where it listens. */
function startProcess(dataDir: string): Promise<Proc> {
  const child = spawn(process.execPath, ['server/main.ts'], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'info', CLIENT_DIST: 'test/server/no-client-here' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let signalledAt = 0;
  const exited = new Promise<{ code: number | null; ms: number }>((resolve) => child.on('exit', (code) => resolve({ code, ms: Date.now() - signalledAt })));
  const origKill = child.kill.bind(child);
  child.kill = (signal?: NodeJS.Signals | number) => {
    signalledAt = Date.now();
    return origKill(signal);
  };
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stderr! }).on('line', (l) => lines.push(l));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      const port = /"port":(\d+)/.exec(line)?.[1];
      if (port && line.includes('Gameday listening')) resolve({ child, url: `http://127.0.0.1:${port}`, lines, exited });
    });
    void exited.then(({ code }) => reject(new Error(`server exited (${code}) before listening:\n${lines.join('\n')}`)));
  });
}

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('SIGTERM', () => {
  it('shuts the real process down completely (exit 0) with players, idle and stray connections open; results survive', async () => {
    const dataDir = await testDataDir();
    dirs.push(dataDir);
    const proc = await startProcess(dataDir);
    try {
      const client = new Client(proc.url);
      // A finished match (10 sim s at 120x) and a running one with a connected player.
      const short = await client.create('match', { name: 'sprinter', durationSeconds: 10, timeDilation: 120 });
      // Polled from the state (a `matchEnded` sent before the SDK's handler exists would be lost); the
      // phase turns `ended` before the result is saved, so SIGTERM may come while it is being saved.
      const shortState = () => short.state as unknown as { matchId?: string; phase?: string };
      await waitFor(() => shortState().phase === 'ended', 'the short match to end', 45_000);
      const ended = { matchId: shortState().matchId! };
      const player = await client.create('match', { name: 'stayer' });
      player.reconnection.enabled = false;
      await waitFor(() => (player.state as unknown as { matchId?: string }).matchId, 'the running match state');
      const left = new Promise<number>((resolve) => player.onLeave.once((code) => resolve(code)));

      // An idle keep-alive HTTP connection and a stray upgrade.
      const agent = new http.Agent({ keepAlive: true });
      await new Promise<void>((resolve) => http.get(`${proc.url}/healthz`, { agent }, (res) => res.resume().on('end', resolve)));
      const stray = net.connect(Number(new URL(proc.url).port), '127.0.0.1');
      stray.on('error', () => undefined);
      stray.write('GET /not-a-room HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n');

      proc.child.kill('SIGTERM');
      const { code, ms } = await proc.exited;
      agent.destroy();
      stray.destroy();
      expect(code, proc.lines.slice(-10).join('\n')).toBe(0);
      expect(proc.lines.some((l) => l.includes('shutdown complete'))).toBe(true);
      expect(await left).toBe(CloseCode.SERVER_SHUTDOWN);
      console.info(`SIGTERM to exit: ${ms} ms`);

      // The database was closed cleanly with the finished match in it.
      const db = await openDatabase({ dataDir: join(dataDir, 'pglite') });
      try {
        expect(await getMatch(db, ended.matchId)).toMatchObject({ id: ended.matchId });
      } finally {
        await db.close();
      }
    } finally {
      if (proc.child.exitCode === null) proc.child.kill('SIGKILL');
    }
  }, 120_000);
});
