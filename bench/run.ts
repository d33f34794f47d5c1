/**
 * `npm run bench`: prints the figures the project tracks, as JSON lines, one per measurement.
 *
 * 1. `sim-default`: CPU ms per tick of the default scenario (Online Boutique, 1 tick = 1 sim second),
 *    over the whole 3,600-tick match, incidents included.
 * 2. `sim-synthetic`: a synthetic 5,000-node / 150,000-pod cluster (bench/sim-bench.ts): createSim cost,
 *    CPU ms per tick when nothing changes, and while a Node fails and a Deployment rolls out.
 * 3. `patch-bytes`: encoded bytes per patch per client for the default match, measured on the wire:
 *    a real server on a free port and real @colyseus/sdk clients whose WebSocket counts every
 *    `ROOM_STATE_PATCH` frame (Protocol 15) it receives.
 *
 * CPU time (process.cpuUsage, user + system) is used instead of wall time because this machine is
 * shared and noisy; ratios between the lines are steadier than the absolute numbers.
 *
 * Options (env): BENCH_NODES, BENCH_PODS (default 5000 / 150000), BENCH_TICKS (synthetic ticks per
 * phase, default 20), BENCH_PATCH_SECONDS (real seconds per patch measurement, default 10),
 * BENCH_ONLY=sim-default,sim-synthetic,patch-bytes (comma list) to run a subset.
 */
import { createSim, step, applyAction, markDirty } from '../shared/sim/index.ts';
import { resolveSimInput, DEFAULT_SCENARIO_ID } from '../server/scenarios/index.ts';
import { syntheticInput } from './sim-bench.ts';

const only = new Set((process.env.BENCH_ONLY ?? 'sim-default,sim-synthetic,patch-bytes').split(','));

/** CPU time (user + system) since `from`, in ms. */
function cpuMs(from: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(from);
  return (u.user + u.system) / 1000;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;

function benchDefaultScenario(): void {
  const { input } = resolveSimInput({ scenario: DEFAULT_SCENARIO_ID, seed: 1 });
  const ticks = Math.ceil(input.settings.durationSeconds / input.settings.tickSeconds);
  // Warm the JIT on a throwaway match of 300 ticks, then measure a full one.
  const warm = createSim(input);
  for (let i = 0; i < 300; i++) step(warm);
  const state = createSim(input);
  const perTick: number[] = [];
  const c0 = process.cpuUsage();
  for (let i = 0; i < ticks; i++) {
    const t0 = process.hrtime.bigint();
    step(state);
    perTick.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const total = cpuMs(c0);
  perTick.sort((a, b) => a - b);
  console.log(
    JSON.stringify({
      bench: 'sim-default',
      scenario: DEFAULT_SCENARIO_ID,
      pods: Object.keys(state.pods).length,
      nodes: Object.keys(state.nodes).length,
      ticks,
      cpuMsPerTick: round(total / ticks),
      wallMsPerTickP50: round(percentile(perTick, 0.5)),
      wallMsPerTickP99: round(percentile(perTick, 0.99)),
      wallMsPerTickMax: round(perTick[perTick.length - 1] ?? 0),
    }),
  );
}

function benchSynthetic(): void {
  const nodes = Number(process.env.BENCH_NODES ?? 5000);
  const pods = Number(process.env.BENCH_PODS ?? 150000);
  const ticks = Number(process.env.BENCH_TICKS ?? 20);
  let c0 = process.cpuUsage();
  const state = createSim(syntheticInput(nodes, pods));
  const createCpuMs = cpuMs(c0);
  step(state); // first tick after creation settles queues
  c0 = process.cpuUsage();
  for (let i = 0; i < ticks; i++) step(state);
  const steady = cpuMs(c0) / ticks;
  const victim = Object.keys(state.nodes).sort()[0]!;
  state.nodes[victim]!.sim.kubeletUp = false;
  markDirty(state, 'nodes', victim);
  applyAction(state, 'bench', { type: 'setImage', deployment: 'svc-0001', image: 'registry.local/svc-0001:v2' });
  c0 = process.cpuUsage();
  for (let i = 0; i < ticks; i++) step(state);
  const busy = cpuMs(c0) / ticks;
  console.log(
    JSON.stringify({
      bench: 'sim-synthetic',
      nodes,
      pods: Object.keys(state.pods).length,
      deployments: Object.keys(state.deployments).length,
      createSimCpuMs: Math.round(createCpuMs),
      steadyCpuMsPerTick: round(steady),
      busyCpuMsPerTick: round(busy),
      steadyTicksPerSecond: round(1000 / steady, 1),
      heapMiB: Math.round(process.memoryUsage().heapUsed / 2 ** 20),
    }),
  );
}

/** Protocol.ROOM_STATE (full state at join) and ROOM_STATE_PATCH, from @colyseus/shared-types. */
const ROOM_STATE = 14;
const ROOM_STATE_PATCH = 15;

interface WireCounter {
  patches: number[];
  fullState: number;
}

async function benchPatchBytes(): Promise<void> {
  const seconds = Number(process.env.BENCH_PATCH_SECONDS ?? 10);
  const counters: WireCounter[] = [];
  // Count frames on the real socket: the SDK picks `globalThis.WebSocket` when its module loads, so
  // install the counting subclass before importing it.
  const Base = globalThis.WebSocket;
  class CountingWebSocket extends Base {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      const counter: WireCounter = { patches: [], fullState: 0 };
      counters.push(counter);
      this.addEventListener('message', (e: MessageEvent) => {
        const data = e.data as ArrayBuffer | Blob | string;
        if (!(data instanceof ArrayBuffer)) return;
        const code = new Uint8Array(data)[0];
        if (code === ROOM_STATE_PATCH) counter.patches.push(data.byteLength);
        else if (code === ROOM_STATE) counter.fullState = data.byteLength;
      });
    }
  }
  globalThis.WebSocket = CountingWebSocket as typeof WebSocket;
  const { Client } = await import('@colyseus/sdk');
  const { startServer } = await import('../server/app.ts');
  const { loadConfig } = await import('../server/config.ts');
  const server = await startServer(loadConfig({ PORT: '0', DATA_DIR: 'memory://', LOG_LEVEL: 'silent' }));
  try {
    for (const [label, timeDilation, clients, realSeconds] of [
      ['default speed, 1 client', 4, 1, seconds],
      ['default speed, 4 clients', 4, 4, seconds],
      // 30 sim s per real s for 12 s reaches ~360 sim s: through the bad rollout at 300 s.
      ['30x speed (through the bad rollout), 1 client', 30, 1, Math.max(seconds, 12)],
    ] as const) {
      counters.length = 0;
      const client = new Client(server.url);
      const first = await client.create('match', { name: 'bench-0', seed: 1, timeDilation });
      const rooms = [first];
      for (let i = 1; i < clients; i++) rooms.push(await new Client(server.url).joinById(first.roomId, { name: `bench-${i}` }));
      await new Promise((r) => setTimeout(r, realSeconds * 1000));
      const t = (first.state as unknown as { t: number }).t;
      for (const room of rooms) await room.leave();
      const all = counters.flatMap((c) => c.patches).sort((a, b) => a - b);
      const perClientRate = counters.map((c) => c.patches.reduce((s, b) => s + b, 0) / realSeconds);
      console.log(
        JSON.stringify({
          bench: 'patch-bytes',
          case: label,
          clients,
          realSeconds,
          simSecondsReached: Math.round(t),
          patchesPerClient: Math.round(all.length / clients),
          meanBytesPerPatchPerClient: round(all.reduce((s, b) => s + b, 0) / Math.max(1, all.length), 1),
          p50BytesPerPatch: percentile(all, 0.5),
          p95BytesPerPatch: percentile(all, 0.95),
          maxBytesPerPatch: all[all.length - 1] ?? 0,
          bytesPerSecondPerClient: Math.round(perClientRate.reduce((s, b) => s + b, 0) / Math.max(1, clients)),
          fullStateBytesAtJoin: counters[0]?.fullState ?? 0,
        }),
      );
    }
  } finally {
    await server.close();
  }
}

if (only.has('sim-default')) benchDefaultScenario();
if (only.has('sim-synthetic')) benchSynthetic();
if (only.has('patch-bytes')) await benchPatchBytes();
process.exit(0);
