/**
 * `npm run fuzz`: the big fuzz run of issue 12. Starts the real server in a child process
 * (`node server/main.ts`, so a crash is seen as the child dying), then sends 100,000 fuzzed inputs
 * (bench/fuzz-inputs.ts): room messages of every type over real @colyseus/sdk clients, raw WebSocket
 * frames, and HTTP requests to every route. Prints one JSON object: inputs per kind, failures (with
 * the first problems), crashes, duration, inputs per second and the server's memory.
 *
 *   npm run fuzz                          # 100,000 inputs, seed 12
 *   FUZZ_INPUTS=20000 FUZZ_SEED=7 npm run fuzz
 *
 * Exit code 1 when any input failed or the server crashed.
 *
 * May import fast-check, @colyseus/sdk, node:*, bench/fuzz-inputs.ts.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import fc from 'fast-check';
import { Client, type Room } from '@colyseus/sdk';
import { checkHttp, checkRawFrame, checkRoomMessage, httpRequest, rawFrame, roomMessage, type Verdict } from './fuzz-inputs.ts';

const TOTAL = Number(process.env.FUZZ_INPUTS ?? 100_000);
const SEED = Number(process.env.FUZZ_SEED ?? 12);
const CLIENTS = Number(process.env.FUZZ_CLIENTS ?? 8);
if (!(Number.isInteger(TOTAL) && TOTAL > 0 && Number.isInteger(SEED) && Number.isInteger(CLIENTS) && CLIENTS > 0)) {
  console.error('FUZZ_INPUTS, FUZZ_SEED and FUZZ_CLIENTS must be positive integers');
  process.exit(2);
}
/** Shares of the inputs: room messages, raw frames, HTTP requests. */
const SHARES = { message: 0.7, frame: 0.1, http: 0.2 };

const note = (msg: string) => console.error(`[fuzz] ${msg}`);

function rssMiB(pid: number): number | null {
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Math.round(Number(kb) / 1024) : null;
  } catch {
    return null;
  }
}

const dataDir = mkdtempSync(join(tmpdir(), 'gameday-fuzz-'));
const child = spawn(process.execPath, ['server/main.ts'], {
  env: {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
    CLIENT_DIST: join(dataDir, 'no-client'),
    // One fuzzing client per room must not be closed for flooding, nor throttled (tested apart).
    ROOM_MESSAGES_PER_SECOND: '1000000',
    MATCHMAKE_BURST: '100000',
    MATCHMAKE_PER_MINUTE: '1000000',
    ROOM_CREATE_BURST: String(CLIENTS + 5),
    // Trainer rights need a trainer account's token (issue 10): the fuzzers register as such.
    TRAINER_USERS: Array.from({ length: CLIENTS }, (_, i) => `fuzzer-${i}`).join(','),
    AUTH_PER_MINUTE: String(CLIENTS + 5),
  },
  stdio: ['ignore', 'pipe', 'pipe'],
});
const serverLog: string[] = [];
let exit: { code: number | null; signal: string | null } | undefined;
const exited = new Promise<void>((resolve) =>
  child.on('exit', (code, signal) => {
    exit = { code, signal };
    resolve();
  }),
);
createInterface({ input: child.stderr! }).on('line', (l) => serverLog.push(l));
const url = await new Promise<string>((resolve, reject) => {
  createInterface({ input: child.stdout! }).on('line', (line) => {
    serverLog.push(line);
    const port = /"port":(\d+)/.exec(line)?.[1];
    if (port && line.includes('Gameday listening')) resolve(`http://127.0.0.1:${port}`);
  });
  void exited.then(() => reject(new Error(`server exited before listening:\n${serverLog.join('\n')}`)));
});

note(`server at ${url} (pid ${child.pid}); generating ${TOTAL} inputs, seed ${SEED}`);
const counts = { message: Math.round(TOTAL * SHARES.message), frame: Math.round(TOTAL * SHARES.frame), http: 0 };
counts.http = TOTAL - counts.message - counts.frame;
const messages = fc.sample(roomMessage, { numRuns: counts.message, seed: SEED });
const frames = fc.sample(rawFrame, { numRuns: counts.frame, seed: SEED + 1 });
const requests = fc.sample(httpRequest, { numRuns: counts.http, seed: SEED + 2 });

const rooms: Room[] = [];
for (let i = 0; i < CLIENTS; i++) {
  const registered = await fetch(`${url}/api/session/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: `fuzzer-${i}`, password: 'fuzzer-password' }) });
  const { token } = (await registered.json()) as { token: string };
  const room = await new Client(url).create('match', { name: `fuzzer-${i}`, trainer: true, token, seed: SEED + i, teams: 1 + (i % 3) });
  room.onMessage('reply', () => undefined);
  room.onMessage('matchEnded', () => undefined);
  room.onMessage('clock', () => undefined);
  room.reconnection.enabled = false;
  rooms.push(room);
}
const rssBefore = rssMiB(child.pid!);

const byKind = new Map<string, { inputs: number; failed: number }>();
const problems: string[] = [];
let done = 0;
function record(v: Verdict): void {
  const k = byKind.get(v.kind) ?? { inputs: 0, failed: 0 };
  k.inputs++;
  if (!v.ok) {
    k.failed++;
    if (problems.length < 20) problems.push(`${v.kind}: ${v.problem}`);
  }
  byKind.set(v.kind, k);
  if (++done % 10_000 === 0) note(`${done} / ${TOTAL} inputs`);
}

const started = performance.now();
await Promise.all(
  rooms.map(async (room, i) => {
    for (let j = i; j < messages.length; j += CLIENTS) record(await checkRoomMessage(room, messages[j]!));
    for (let j = i; j < frames.length; j += CLIENTS) record(await checkRawFrame(room, frames[j]!));
  }),
);
await Promise.all(
  Array.from({ length: CLIENTS }, async (_, i) => {
    for (let j = i; j < requests.length; j += CLIENTS) record(await checkHttp(url, requests[j]!));
  }),
);
const seconds = (performance.now() - started) / 1000;
const rssAfter = rssMiB(child.pid!);
const aliveAtEnd = exit === undefined && (await fetch(`${url}/healthz`).then((r) => r.ok, () => false));
const openConnections = rooms.filter((r) => r.connection.isOpen).length;

await Promise.all(rooms.map((r) => r.leave().catch(() => undefined)));
child.kill('SIGTERM');
await exited;
rmSync(dataDir, { recursive: true, force: true });

const failed = [...byKind.values()].reduce((n, k) => n + k.failed, 0);
const crashes = aliveAtEnd && exit?.code === 0 ? 0 : 1;
const errorLines = serverLog.filter((l) => /"level":(50|60)/.test(l));
const result = {
  inputs: done,
  seed: SEED,
  clients: CLIENTS,
  failed,
  crashes,
  serverExit: exit,
  clientConnectionsOpenAtEnd: `${openConnections}/${CLIENTS}`,
  seconds: Math.round(seconds * 10) / 10,
  inputsPerSecond: Math.round(done / seconds),
  serverRssMiB: { afterJoin: rssBefore, afterFuzz: rssAfter },
  serverErrorLogLines: errorLines.length,
  byKind: Object.fromEntries([...byKind].sort(([a], [b]) => (a < b ? -1 : 1))),
  problems,
  firstServerErrors: errorLines.slice(0, 5).map((l) => l.slice(0, 300)),
};
console.log(JSON.stringify(result, null, 2));
process.exit(failed === 0 && crashes === 0 ? 0 : 1);
