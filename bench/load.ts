/**
 * `npm run load`: the load run of issue 12. Starts the real server in a child process (`node
 * --expose-gc bench/load.ts --serve`, which runs server/main.ts with PGlite in a temporary DATA_DIR,
 * so a crash is seen as the child dying and the memory measured is the server's own), then plays
 * `--matches M` matches at once (first created over `--ramp S` real seconds, default a quarter of the
 * run and at most 60 s) with `--clients N` bot players (N / M per match, up to 16) over real
 * WebSockets for `--duration D` real seconds, with the bots of `gameday bot` (server/cli/bot-command.ts
 * `runBots`). Each match slot plays matches back to back until the time is up.
 *
 *   npm run load                                              # 500 clients, 50 matches, 600 s (an idle machine)
 *   npm run load -- --clients 100 --matches 10 --duration 120 # a busy machine
 *   npm run load -- --soak 15                                 # 15 short matches back to back: heap per finished match
 *   npm run load -- --soak 40 --heap-snapshots /tmp/h        # and V8 heap snapshots after match 3 and the last
 *   npm run load -- --json                                    # one JSON object on stdout
 *
 * Report (the load run): errors (must be 0: failed joins, error replies that are no game refusal,
 * unexpected closes, messages unanswered at the end, a server crash), reply p50/p99 (ms, from sending a
 * `kubectl` message to its `reply`), patch gap p50/p99/max (ms between state patches at each client
 * while the match runs; the patch interval is PATCH_RATE_MS, 100 ms), the server's RSS and V8 heap
 * (MiB) at the start, the peak and the end (after a full GC), matches started and finished.
 *
 * The soak (`--soak K`): K short matches (guestbook at 120 sim s per real second, 4 expert bots) one
 * after the other; after each, once its room is disposed, a full GC in the server and its heap used.
 * Prints the heap after each match and the least-squares slope (bytes per finished match) over the
 * matches after the first two (warm-up: code and caches), and over the second half of the matches.
 *
 * All clients come from 127.0.0.1, so the per-address matchmaking and room-creation limits are
 * raised for the server under test (they are tested in test/server/hostile.test.ts).
 *
 * Exit code 1 when any error was counted or the server crashed.
 *
 * May import @colyseus/sdk, node:*, server/cli/bot-command.ts, shared/protocol.ts (types).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';

/** What the server child answers to a `mem` request (MiB, bytes for the heap used). */
interface MemReport {
  rssMiB: number;
  heapUsedMiB: number;
  heapUsedBytes: number;
  gc: boolean;
}

if (process.argv.includes('--serve')) {
  // The server child: answer memory probes over IPC, then run the real entry point.
  const gc = (globalThis as { gc?: () => void }).gc;
  const { writeHeapSnapshot } = await import('node:v8');
  process.on('message', (m: { id: number; gc?: boolean; snapshot?: string }) => {
    if (m.gc && gc) {
      gc();
      gc();
    }
    if (m.snapshot) writeHeapSnapshot(m.snapshot);
    const mem = process.memoryUsage();
    const report: MemReport = { rssMiB: mib(mem.rss), heapUsedMiB: mib(mem.heapUsed), heapUsedBytes: mem.heapUsed, gc: Boolean(m.gc && gc) };
    process.send?.({ id: m.id, ...report });
  });
  await import('../server/main.ts');
} else {
  await main();
}

function mib(bytes: number): number {
  return Math.round((bytes / 1024 / 1024) * 10) / 10;
}

function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return Math.round(sorted[i]! * 10) / 10;
}

/** Least-squares slope of y over x. */
function slope(xs: number[], ys: number[]): number {
  const n = xs.length;
  if (n < 2) return 0;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    strict: true,
    options: {
      clients: { type: 'string', default: '500' },
      matches: { type: 'string', default: '50' },
      duration: { type: 'string', default: '600' },
      'time-dilation': { type: 'string', default: '10' },
      'reaction-scale': { type: 'string', default: '0.25' },
      ramp: { type: 'string' },
      scenarios: { type: 'string', default: 'guestbook,first-oom,voting-bad-release' },
      soak: { type: 'string' },
      'heap-snapshots': { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const clients = Number(values.clients);
  const matches = Number(values.matches);
  const duration = Number(values.duration);
  const timeDilation = Number(values['time-dilation']);
  const reactionScale = Number(values['reaction-scale']);
  const scenarios = values.scenarios.split(',').filter((s) => s !== '');
  const soak = values.soak === undefined ? undefined : Number(values.soak);
  const perMatch = Math.floor(clients / matches);
  /** Real seconds over which the matches are first created (people arrive; default a quarter of the run, at most 60 s). */
  const ramp = values.ramp === undefined ? Math.min(60, duration / 4) : Number(values.ramp);
  if (!(Number.isInteger(clients) && Number.isInteger(matches) && matches > 0 && perMatch >= 1 && perMatch <= 16 && duration > 0 && timeDilation >= 0.25 && timeDilation <= 120 && reactionScale > 0 && scenarios.length > 0 && ramp >= 0)) {
    console.error('--clients / --matches must be integers with 1..16 clients per match; --duration > 0; --time-dilation 0.25..120; --reaction-scale > 0; --ramp >= 0');
    process.exit(2);
  }
  if (soak !== undefined && !(Number.isInteger(soak) && soak >= 3)) {
    console.error('--soak K needs an integer K >= 3');
    process.exit(2);
  }
  const note = (msg: string) => console.error(`[load] ${new Date().toISOString().slice(11, 19)} ${msg}`);

  const { runBots } = await import('../server/cli/bot-command.ts');
  const { CloseCode } = await import('@colyseus/sdk');
  type Room = import('@colyseus/sdk').Room;
  type ReplyMessage = import('../shared/protocol.ts').ReplyMessage;

  // --- the server child ---
  const dataDir = mkdtempSync(join(tmpdir(), 'gameday-load-'));
  const child: ChildProcess = fork(new URL(import.meta.url).pathname, ['--serve'], {
    execArgv: ['--expose-gc'],
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
      CLIENT_DIST: join(dataDir, 'no-client'),
      MATCHMAKE_BURST: '100000',
      MATCHMAKE_PER_MINUTE: '1000000',
      ROOM_CREATE_BURST: '10000',
      ROOM_CREATE_PER_MINUTE: '100000',
    },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
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
      if (/"level":(40|50|60)/.test(line) || line.includes('Gameday listening')) serverLog.push(line);
      const port = /"port":(\d+)/.exec(line)?.[1];
      if (port && line.includes('Gameday listening')) resolve(`http://127.0.0.1:${port}`);
    });
    void exited.then(() => reject(new Error(`server exited before listening:\n${serverLog.join('\n')}`)));
  });
  let memId = 0;
  const mem = (gc: boolean, snapshot?: string) =>
    new Promise<MemReport>((resolve) => {
      const id = ++memId;
      const on = (m: MemReport & { id: number }) => {
        if (m.id !== id) return;
        child.off('message', on);
        resolve(m);
      };
      child.on('message', on);
      child.send({ id, gc, ...(snapshot ? { snapshot } : {}) });
    });
  note(`server at ${url} (pid ${child.pid})`);

  // --- measurements ---
  const replyMs: number[] = [];
  const gapMs: number[] = [];
  const errors = { failedJoins: 0, errorReplies: 0, disconnects: 0, unanswered: 0, runFailures: 0 };
  const problems: string[] = [];
  const problem = (text: string) => {
    if (problems.length < 20) problems.push(text);
  };
  let refusals = 0;
  let commands = 0;
  let started = 0;
  let finished = 0;

  /** A game refusal: the match said no to a line a player typed (not found, forbidden, bad flag...), not a broken server. */
  const brokenServer = /internal error|TypeError|Cannot read prop|too many messages|rate limit|not a player|try again/i;

  function observer(slot: number) {
    const sentAt = new Map<string, number>();
    let leaving = false;
    return {
      sentAt,
      observer: {
        joined(name: string, room: Room) {
          let last: number | null = null;
          room.onStateChange((state: { phase?: string }) => {
            const now = performance.now();
            if (state.phase === 'running') {
              if (last !== null) gapMs.push(now - last);
              last = now;
            } else last = null;
          });
          room.onLeave((code: number) => {
            if (leaving || code === CloseCode.CONSENTED) return;
            errors.disconnects++;
            problem(`slot ${slot} ${name}: closed with code ${code}`);
          });
          room.onError((code: number, message?: string) => {
            errors.disconnects++;
            problem(`slot ${slot} ${name}: room error ${code} ${message ?? ''}`);
          });
        },
        sent(name: string, type: string, id: number) {
          if (type === 'kubectl') commands++;
          sentAt.set(`${name}#${id}`, performance.now());
        },
        replied(name: string, reply: ReplyMessage) {
          const key = `${name}#${String(reply.id)}`;
          const at = sentAt.get(key);
          if (at === undefined) return;
          sentAt.delete(key);
          if (reply.type === 'kubectl') replyMs.push(performance.now() - at);
          if (!reply.ok) {
            if (typeof reply.error !== 'string' || reply.error === '' || brokenServer.test(reply.error)) {
              errors.errorReplies++;
              problem(`slot ${slot} ${name}: ${reply.type} error reply ${JSON.stringify(reply.error)}`);
            } else refusals++;
          }
        },
        leaving() {
          leaving = true;
        },
      },
    };
  }

  /** One match with `count` bots until it ends or `seconds` pass; true when it finished. */
  async function playOne(slot: number, index: number, count: number, seconds: number, opts: { scenario: string; timeDilation: number; reactionScale: number }): Promise<boolean> {
    const o = observer(slot);
    started++;
    try {
      const result = await runBots({
        url,
        scenario: opts.scenario,
        create: true,
        level: (slot + index) % 2 === 0 ? 'expert' : 'novice',
        count,
        durationSeconds: seconds,
        timeDilation: opts.timeDilation,
        reactionScale: opts.reactionScale,
        observer: o.observer,
      });
      // Replies still missing a second after leaving would be lost messages (the bots leave at once when a match ends).
      for (const [key] of o.sentAt) {
        errors.unanswered++;
        problem(`slot ${slot}: no reply to ${key}`);
      }
      if (result.ended) finished++;
      return result.ended;
    } catch (err) {
      const text = err instanceof Error ? err.message : String(err);
      if (/cannot join/.test(text)) errors.failedJoins++;
      else errors.runFailures++;
      problem(`slot ${slot}: ${text}`);
      return false;
    }
  }

  const memStart = await mem(true);
  let peak = { rssMiB: memStart.rssMiB, heapUsedMiB: memStart.heapUsedMiB };
  const sampler = setInterval(() => {
    if (exit) return;
    void mem(false).then((m) => {
      peak = { rssMiB: Math.max(peak.rssMiB, m.rssMiB), heapUsedMiB: Math.max(peak.heapUsedMiB, m.heapUsedMiB) };
    });
  }, 5_000);
  const t0 = performance.now();
  let result: Record<string, unknown>;

  if (soak === undefined) {
    note(`${clients} clients in ${matches} matches (${perMatch} each) for ${duration} s; scenarios ${scenarios.join(', ')} at ${timeDilation} sim s per real s`);
    const deadline = Date.now() + duration * 1000;
    const progress = setInterval(() => note(`${Math.round((performance.now() - t0) / 1000)} s: ${started} matches started, ${finished} finished, ${commands} commands, ${replyMs.length} replies`), 30_000);
    await Promise.all(
      Array.from({ length: matches }, async (_, slot) => {
        // Stagger the first joins over the ramp, as people arrive.
        await new Promise((r) => setTimeout(r, (slot / matches) * ramp * 1000));
        for (let index = 0; ; index++) {
          const left = (deadline - Date.now()) / 1000;
          if (left < 2) break;
          const failedBefore = errors.failedJoins + errors.runFailures;
          await playOne(slot, index, perMatch, left, { scenario: scenarios[(slot + index) % scenarios.length]!, timeDilation, reactionScale });
          if (exit) break;
          // A refused join is counted; wait before the next try, as a person would.
          if (errors.failedJoins + errors.runFailures > failedBefore) await new Promise((r) => setTimeout(r, 5_000));
        }
      }),
    );
    clearInterval(progress);
    const seconds = (performance.now() - t0) / 1000;
    await waitRoomsGone(url, 10_000);
    const memEnd = exit ? null : await mem(true);
    replyMs.sort((a, b) => a - b);
    gapMs.sort((a, b) => a - b);
    result = {
      mode: 'load',
      clients: matches * perMatch,
      matches,
      clientsPerMatch: perMatch,
      durationSeconds: Math.round(seconds),
      scenarios,
      timeDilation,
      reactionScale,
      rampSeconds: ramp,
      errors: Object.values(errors).reduce((a, b) => a + b, 0),
      errorsByKind: errors,
      gameRefusals: refusals,
      commands,
      replies: replyMs.length,
      replyMs: { p50: percentile(replyMs, 50), p99: percentile(replyMs, 99), max: percentile(replyMs, 100) },
      patches: gapMs.length + 0,
      patchGapMs: { p50: percentile(gapMs, 50), p99: percentile(gapMs, 99), max: percentile(gapMs, 100) },
      serverMemory: { start: pick(memStart), peak, endAfterGc: memEnd ? pick(memEnd) : null },
      matchesStarted: started,
      matchesFinished: finished,
    };
  } else {
    note(`soak: ${soak} matches of guestbook at 120 sim s per real s, 4 expert bots each`);
    const heaps: number[] = [];
    for (let i = 0; i < soak; i++) {
      const ended = await playOne(0, 0, 4, 60, { scenario: 'guestbook', timeDilation: 120, reactionScale: 0.02 });
      await waitRoomsGone(url, 15_000);
      const snapshotDir = values['heap-snapshots'];
      const m = await mem(true, snapshotDir !== undefined && (i === 2 || i === soak - 1) ? join(snapshotDir, `soak-${i + 1}.heapsnapshot`) : undefined);
      heaps.push(m.heapUsedBytes);
      note(`match ${i + 1}/${soak}${ended ? ' finished' : ' NOT finished'}: heap ${m.heapUsedMiB} MiB, rss ${m.rssMiB} MiB${m.gc ? ' (after gc)' : ''}`);
      if (exit) break;
    }
    const xs = heaps.map((_, i) => i + 1).slice(2);
    const bytesPerMatch = Math.round(slope(xs, heaps.slice(2)));
    const half = Math.floor(heaps.length / 2);
    const bytesPerMatchSecondHalf = Math.round(slope(heaps.map((_, i) => i + 1).slice(half), heaps.slice(half)));
    result = {
      mode: 'soak',
      matches: soak,
      matchesFinished: finished,
      errors: Object.values(errors).reduce((a, b) => a + b, 0),
      errorsByKind: errors,
      heapAfterEachMatchMiB: heaps.map(mib),
      heapSlopeBytesPerMatch: bytesPerMatch,
      heapSlopeBytesPerMatchSecondHalf: bytesPerMatchSecondHalf,
      heapGrowthFirstToLastMiB: mib((heaps.at(-1) ?? 0) - (heaps[2] ?? heaps[0] ?? 0)),
      gcExposed: memStart.gc,
      serverMemory: { start: pick(memStart), peak },
      seconds: Math.round((performance.now() - t0) / 1000),
    };
  }
  clearInterval(sampler);

  const crashed = exit !== undefined;
  child.kill('SIGTERM');
  await exited;
  rmSync(dataDir, { recursive: true, force: true });
  const errorLines = serverLog.filter((l) => /"level":(50|60)/.test(l));
  result.serverCrashed = crashed;
  result.serverExit = exit;
  result.serverErrorLogLines = errorLines.length;
  result.problems = problems;
  result.firstServerErrors = errorLines.slice(0, 5).map((l) => l.slice(0, 300));
  if (values.json) console.log(JSON.stringify(result));
  else console.log(JSON.stringify(result, null, 2));
  const failed = (result.errors as number) > 0 || crashed || (exit?.code ?? 0) !== 0;
  process.exit(failed ? 1 : 0);

  function pick(m: MemReport) {
    return { rssMiB: m.rssMiB, heapUsedMiB: m.heapUsedMiB };
  }
}

/** Wait until the server lists no room (the bots left, the rooms were disposed), or `ms` passed. */
async function waitRoomsGone(url: string, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${url}/api/rooms`);
      const rooms = res.ok ? ((await res.json()) as unknown) : null;
      if (Array.isArray(rooms) && rooms.length === 0) return;
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}
