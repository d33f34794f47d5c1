/**
 * `npm run bench:noisy` (= `node bench/noisy-neighbour.ts [--json]`): does one match's worst case delay
 * the other matches on the same process? (issue 12, "Bounded cost per match"; design in
 * server/rooms/README.md). A real server in this process (in-memory PGlite), real @colyseus/sdk
 * clients over WebSocket:
 *
 * - 3 normal matches (default scenario, `timeDilation` 20: two ticks per 100 ms patch interval, so every
 *   patch interval carries a change and a gap over one interval means the room was late), one player each;
 * - 1 heavy match (default scenario, 30x, 8 teams: 8 clusters, one player each) whose players, with
 *   `kubectl` messages, scale every Deployment to 1,000 replicas (the most the room accepts:
 *   shared/protocol.ts caps `replicas` at 1,000, also behind the Kubernetes API), then delete every
 *   bound Pod (each player at 25 commands/s, under the room's 30 messages/s limit), then drain every Node. (`--replicas=100000` is refused at the protocol; its sim cost
 *   is in `bench/sim-worst.ts`.)
 *
 * Each client's socket records when each `ROOM_STATE_PATCH` frame arrives; the figures are the gaps
 * between consecutive patches (wall ms, and in patch intervals of `PATCH_RATE_MS`), p50 / p99 / max,
 * for the normal matches together and for the heavy one, over the heavy phase. The goal: normal
 * matches' max gap within 2 patch intervals. Also: the heavy room's `clock` reports (its slowed rate).
 *
 * On a shared machine the gaps also hold the time the process waited for a core. So the bench also
 * measures the event loop's blocks in this thread's CPU time (`process.threadCpuUsage`): a 10 ms timer
 * records the CPU ms spent between two of its callbacks (everything that ran in between, back to back:
 * what delays a room's patch timer), p50 / p99 / max for the quiet baseline and the heavy phase. A
 * block over one patch interval of CPU delays the next patch of every match by that much.
 *
 * The driver reads the heavy room's Pod and Node names from the room instance in this process (a bench
 * shortcut: a player would read `kubectl get pods`); every change goes through the room's messages.
 * Env: BENCH_NOISY_SECONDS (heavy phase length, default 40), BENCH_NOISY_NORMAL (default 3),
 * BENCH_NOISY_BLOCKS=1 (list the heavy phase's loop blocks of 40 CPU ms or more, with their time).
 */
import type { Room } from '@colyseus/sdk';
import type { ReplyMessage } from '../shared/protocol.ts';
import type { SimState } from '../shared/sim/types.ts';

const ROOM_STATE_PATCH = 15;
const HEAVY_SECONDS = Number(process.env.BENCH_NOISY_SECONDS ?? 40);
const NORMAL = Number(process.env.BENCH_NOISY_NORMAL ?? 3);
const HEAVY_TEAMS = Number(process.env.BENCH_NOISY_TEAMS ?? 8);
const json = process.argv.includes('--json');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const note = (msg: string) => process.stderr.write(`[noisy] ${msg}\n`);

/** Arrival times (performance.now()) of patches, per socket in creation order. */
const arrivals: number[][] = [];
const Base = globalThis.WebSocket;
class TimingWebSocket extends Base {
  constructor(url: string | URL, protocols?: string | string[]) {
    super(url, protocols);
    const mine: number[] = [];
    arrivals.push(mine);
    this.addEventListener('message', (e: MessageEvent) => {
      const data = e.data as ArrayBuffer | Blob | string;
      if (data instanceof ArrayBuffer && new Uint8Array(data)[0] === ROOM_STATE_PATCH) mine.push(performance.now());
    });
  }
}
globalThis.WebSocket = TimingWebSocket as typeof WebSocket;
const { Client } = await import('@colyseus/sdk');
const { matchMaker } = await import('@colyseus/core');
const { startServer } = await import('../server/app.ts');
const { loadConfig } = await import('../server/config.ts');

// The server's own defaults, message rate limit included (30 per client per second).
const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: 'memory://', LOG_LEVEL: 'warn', CLIENT_DIST: 'none' });
const patchMs = config.patchRateMs;
const server = await startServer(config);

/** CPU ms of this thread (user + system). */
const threadCpuMs = () => {
  const u = process.threadCpuUsage();
  return (u.user + u.system) / 1000;
};
/** [wall time of the callback, CPU ms since the previous one] of a 10 ms probe timer. */
const blocks: [number, number][] = [];
let lastCpu = threadCpuMs();
const probe = setInterval(() => {
  const c = threadCpuMs();
  blocks.push([performance.now(), c - lastCpu]);
  lastCpu = c;
}, 10);
const blocksIn = (from: number, to: number) => {
  const xs = blocks.filter(([at]) => at >= from && at <= to).map(([, ms]) => ms);
  return { p50CpuMs: r1(pct(xs, 0.5)), p99CpuMs: r1(pct(xs, 0.99)), maxCpuMs: r1(xs.length ? Math.max(...xs) : 0) };
};

let seq = 0;
function ask(room: Room, command: string): Promise<ReplyMessage> {
  const id = `n${seq++}`;
  return new Promise((resolve) => {
    const off = room.onMessage('reply', (r: ReplyMessage) => {
      if (r.id !== id) return;
      off();
      resolve(r);
    });
    room.send('kubectl', { id, command });
  });
}

const pct = (xs: number[], p: number) => (xs.length === 0 ? 0 : [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!);
const r1 = (x: number) => Math.round(x * 10) / 10;
function gaps(times: number[], from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = 1; i < times.length; i++) if (times[i]! >= from && times[i]! <= to) out.push(times[i]! - times[i - 1]!);
  return out;
}
function summary(gs: number[]) {
  const p50 = pct(gs, 0.5);
  const p99 = pct(gs, 0.99);
  const max = gs.length ? Math.max(...gs) : 0;
  return { patches: gs.length, p50Ms: r1(p50), p99Ms: r1(p99), maxMs: r1(max), p50Intervals: r1(p50 / patchMs), p99Intervals: r1(p99 / patchMs), maxIntervals: r1(max / patchMs) };
}

try {
  const normal: Room[] = [];
  for (let i = 0; i < NORMAL; i++) normal.push(await new Client(server.url).create('match', { name: `normal-${i}`, seed: 1 + i, timeDilation: 20 }));
  // The heaviest match a room accepts: 8 teams (8 clusters), one player each.
  const TEAMS = ['blue', 'red', 'green', 'gold', 'purple', 'orange', 'teal', 'pink'].slice(0, HEAVY_TEAMS);
  const heavyPlayers: Room[] = [];
  const heavySockets: number[] = [];
  heavyPlayers.push(await new Client(server.url).create('match', { name: 'heavy-blue', seed: 1, timeDilation: 30, teams: TEAMS.length }));
  heavySockets.push(arrivals.length - 1);
  for (const team of TEAMS.slice(1)) {
    heavyPlayers.push(await new Client(server.url).joinById(heavyPlayers[0]!.roomId, { name: `heavy-${team}`, team }));
    heavySockets.push(arrivals.length - 1);
  }
  const heavy = heavyPlayers[0]!;
  const reports: unknown[] = [];
  heavy.onMessage('clock', (r: unknown) => reports.push(r));
  for (const room of [...normal, ...heavyPlayers.slice(1)]) room.onMessage('clock', () => undefined);
  for (const room of [...normal, ...heavyPlayers]) room.onMessage('credentials', () => undefined);
  const sims = (): SimState[] => {
    const room = matchMaker.getLocalRoomById(heavy.roomId) as unknown as { match: { teams: { sim: SimState }[] } };
    return room.match.teams.map((t) => t.sim);
  };
  const pods = () => sims().reduce((n, x) => n + Object.keys(x.pods).length, 0);
  await sleep(3_000); // quiet baseline
  const quietEnd = performance.now();
  const start = performance.now();
  // Normal players' replies during the heavy phase: each asks `kubectl get deployments` every 200 ms.
  const normalReplyMs: number[] = [];
  let probing = true;
  const probes = normal.map(async (room) => {
    while (probing) {
      const sent = performance.now();
      await ask(room, 'kubectl get deployments');
      normalReplyMs.push(performance.now() - sent);
      await sleep(200);
    }
  });
  const phase = (name: string) => note(`${r1((performance.now() - start) / 1000)} s: ${name} (heavy sim t=${sims()[0]!.t}, ${pods()} Pods in ${TEAMS.length} clusters)`);
  const all = async (what: string, cmds: string[][]) => {
    const replies = await Promise.all(cmds.flatMap((list, i) => list.map((cmd) => ask(heavyPlayers[i]!, cmd))));
    const bad = replies.find((r) => !r.ok);
    note(`${what}: ${replies.filter((r) => r.ok).length}/${replies.length} accepted${bad ? ` (e.g. ${bad.error})` : ''}`);
  };
  // Every Deployment of every cluster to 1,000 replicas: the most a room accepts (shared/protocol.ts
  // caps `replicas` at 1,000, for the room's kubectl and the Kubernetes API alike), 12,000 Pods per
  // cluster on 6 Nodes of 110 Pods: the issue's finding, times 8 clusters.
  phase('scale every Deployment to 1000');
  await all('scale', sims().map((x) => Object.values(x.deployments).map((d) => `kubectl scale deployment ${d.metadata.name} --replicas=1000`)));
  await sleep((HEAVY_SECONDS * 1000) / 2);
  phase('delete every bound Pod');
  // Each player as fast as the room lets one client go (ROOM_MESSAGES_PER_SECOND, 30/s: 25/s here),
  // all 8 at once, for a quarter of the heavy phase.
  const deleteUntil = performance.now() + (HEAVY_SECONDS * 1000) / 4;
  // One cluster at a time, yielding between them (the driver's own read of 8 x 6,000 Pods is not a
  // block of the server's).
  const victims: string[][] = [];
  for (const x of sims()) {
    victims.push(Object.values(x.pods).filter((p) => p.spec.nodeName && p.metadata.deletionTimestamp === undefined).map((p) => p.metadata.name));
    await sleep(0);
  }
  const ackMs: number[] = []; // wall ms from a delete's send to its reply (the heavy match's own players)
  const deleted = await Promise.all(victims.map(async (names, i) => {
    let ok = 0;
    for (const name of names) {
      if (performance.now() > deleteUntil) break;
      const sent = performance.now();
      if ((await ask(heavyPlayers[i]!, `kubectl delete pod ${name}`)).ok) ok++;
      ackMs.push(performance.now() - sent);
      await sleep(Math.max(0, 40 - (performance.now() - sent)));
    }
    return ok;
  }));
  const heavyDeletes = deleted.reduce((a, b) => a + b, 0);
  note(`delete: ${heavyDeletes} Pods deleted`);
  await sleep(Math.max(0, deleteUntil - performance.now()));
  phase('drain every Node');
  await all('drain', sims().map((x) => Object.keys(x.nodes).map((n) => `kubectl drain ${n} --ignore-daemonsets --delete-emptydir-data`)));
  await sleep((HEAVY_SECONDS * 1000) / 4);
  phase('end');
  const end = performance.now();
  probing = false;
  await Promise.all(probes);
  const heavyT = sims()[0]!.t;
  const normalSockets = arrivals.filter((_, i) => !heavySockets.includes(i));
  const baseline = summary(normalSockets.flatMap((a) => gaps(a, 0, quietEnd)).slice(5));
  const normalGaps = summary(normalSockets.flatMap((a) => gaps(a, start, end)));
  const heavyGaps = summary(heavySockets.flatMap((i) => gaps(arrivals[i]!, start, end)));
  if (process.env.BENCH_NOISY_BLOCKS) for (const [at, ms] of blocks) if (at >= start && ms >= 40) note(`block ${r1(ms)} CPU ms at ${r1((at - start) / 1000)} s`);
  const quietBlocks = blocksIn(0, quietEnd);
  const heavyBlocks = blocksIn(start, end);
  const last = reports.at(-1) as { effectiveTimeDilation?: number; droppedTicks?: number } | undefined;
  const figures = {
    patchRateMs: patchMs,
    heavySeconds: HEAVY_SECONDS,
    normalMatches: NORMAL,
    heavyTeams: TEAMS.length,
    heavyPods: pods(),
    heavySimSecondsReached: heavyT,
    heavyClockReports: reports.length,
    heavyDroppedTicks: last?.droppedTicks ?? 0,
    heavyLastEffectiveTimeDilation: last?.effectiveTimeDilation ?? 30,
    normalQuiet: baseline,
    normalDuringHeavy: normalGaps,
    heavy: heavyGaps,
    heavyDeletes,
    normalReplyMs: { p50: r1(pct(normalReplyMs, 0.5)), p99: r1(pct(normalReplyMs, 0.99)), max: r1(normalReplyMs.length ? Math.max(...normalReplyMs) : 0) },
    heavyDeleteReplyMs: { p50: r1(pct(ackMs, 0.5)), p99: r1(pct(ackMs, 0.99)), max: r1(ackMs.length ? Math.max(...ackMs) : 0) },
    normalWithin2Intervals: normalGaps.maxIntervals <= 2,
    loopBlocksQuiet: quietBlocks,
    loopBlocksHeavy: heavyBlocks,
  };
  if (json) process.stdout.write(`${JSON.stringify(figures)}\n`);
  else {
    process.stdout.write(`patch interval ${patchMs} ms; heavy phase ${HEAVY_SECONDS} s; heavy match (${figures.heavyTeams} clusters) reached ${heavyT} sim s with ${figures.heavyPods} Pods, dropped ${figures.heavyDroppedTicks} ticks (last rate ${figures.heavyLastEffectiveTimeDilation}x of 30x)\n`);
    for (const [label, s] of [['normal, quiet', baseline], ['normal, during heavy', normalGaps], ['heavy', heavyGaps]] as const) {
      process.stdout.write(`${label.padEnd(22)} patches ${String(s.patches).padStart(5)}  gap p50 ${s.p50Ms} ms (${s.p50Intervals})  p99 ${s.p99Ms} ms (${s.p99Intervals})  max ${s.maxMs} ms (${s.maxIntervals} intervals)\n`);
    }
    for (const [label, b] of [['loop blocks, quiet', quietBlocks], ['loop blocks, heavy', heavyBlocks]] as const) {
      process.stdout.write(`${label.padEnd(22)} CPU ms between 10 ms timer callbacks: p50 ${b.p50CpuMs}  p99 ${b.p99CpuMs}  max ${b.maxCpuMs}\n`);
    }
    const a = figures.heavyDeleteReplyMs;
    const nr = figures.normalReplyMs;
    process.stdout.write(`heavy deletes          ${heavyDeletes} done, reply p50 ${a.p50} ms  p99 ${a.p99} ms  max ${a.max} ms\n`);
    process.stdout.write(`normal replies         ${normalReplyMs.length} (get, every 200 ms), p50 ${nr.p50} ms  p99 ${nr.p99} ms  max ${nr.max} ms\n`);
  }
  for (const room of [...normal, ...heavyPlayers]) await room.leave().catch(() => undefined);
} finally {
  clearInterval(probe);
  await server.close();
}
