/**
 * `npx node bench/journal.ts [--json]`: what journaling costs an acknowledgement (issue 12, crash
 * recovery). A real server in this process (PGlite in a temp dir, or `DATABASE_URL`), one SDK client:
 * reply latency of N read-only `kubectl get deployments` (not journaled) against N accepted
 * `kubectl scale` (journaled: the reply waits for the commit), sequential; then a burst of 20 scale
 * commands sent at once (group commit: many share a transaction). Real milliseconds (wall clock);
 * compare within one run (the machine is shared). Env: BENCH_JOURNAL_N (default 60; sent 25/s, under the room's 30 messages/s limit).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, type Room } from '@colyseus/sdk';
import { loadConfig } from '../server/config.ts';
import { startServer } from '../server/app.ts';
import type { ReplyMessage } from '../shared/protocol.ts';

const N = Number(process.env.BENCH_JOURNAL_N ?? 60);
/** The room closes a client above 30 messages per second: pace the sequential ones, cap the burst. */
const SPACING_MS = 40;
const BURST = Math.min(N, 20);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const dataDir = mkdtempSync(join(tmpdir(), 'gameday-bench-journal-'));
const server = await startServer(loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn', CLIENT_DIST: 'none', DATABASE_URL: process.env.DATABASE_URL }));

function ask(room: Room, command: string, id: string): Promise<ReplyMessage> {
  return new Promise((resolve) => {
    const off = room.onMessage('reply', (r: ReplyMessage) => {
      if (r.id !== id) return;
      off();
      resolve(r);
    });
    room.send('kubectl', { id, command });
  });
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;
const round = (x: number) => Math.round(x * 100) / 100;

try {
  const room = await new Client(server.url).create('match', { name: 'bench', seed: 1 });
  await ask(room, 'kubectl get pods', 'warm');
  const timed = async (command: (i: number) => string): Promise<number[]> => {
    const out: number[] = [];
    for (let i = 0; i < N; i++) {
      const t0 = performance.now();
      const r = await ask(room, command(i), `q${i}-${Math.random()}`);
      if (!r.ok) throw new Error(`${command(i)}: ${r.error}`);
      out.push(performance.now() - t0);
      await sleep(SPACING_MS);
    }
    return out;
  };
  const reads = await timed(() => 'kubectl get deployments');
  const writes = await timed((i) => `kubectl scale deployment frontend --replicas=${2 + (i % 2)}`);
  await sleep(1_500);
  const t0 = performance.now();
  const burst = await Promise.all(Array.from({ length: BURST }, (_, i) => ask(room, `kubectl scale deployment frontend --replicas=${2 + (i % 2)}`, `b${i}`)));
  const burstMs = performance.now() - t0;
  if (!burst.every((r) => r.ok)) throw new Error('a burst command was refused');
  const figures = {
    database: process.env.DATABASE_URL ? 'postgres' : 'pglite',
    n: N,
    burst: BURST,
    readReplyP50Ms: round(pct(reads, 0.5)),
    readReplyP99Ms: round(pct(reads, 0.99)),
    journaledReplyP50Ms: round(pct(writes, 0.5)),
    journaledReplyP99Ms: round(pct(writes, 0.99)),
    burstAllRepliedMs: round(burstMs),
    patchIntervalMs: loadConfig({}).patchRateMs,
  };
  console.log(process.argv.includes('--json') ? JSON.stringify(figures) : figures);
  await room.leave();
} finally {
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
}
