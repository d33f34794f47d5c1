/**
 * `wire` section: encoded bytes per patch per client for the default match, measured on the wire: a real
 * server on a free port and real @colyseus/sdk clients whose WebSocket counts every `ROOM_STATE_PATCH`
 * frame (Protocol 15) and the `ROOM_STATE` frame (14, the join snapshot) it receives. Real seconds, so
 * this section takes about `3 x seconds` (at least 32 s by default).
 *
 * May import bench/measure.ts, server/ (app, config) and @colyseus/sdk.
 */
import { mean, percentile, round, sorted, type Figures } from './measure.ts';

/** Protocol.ROOM_STATE (full state at join) and ROOM_STATE_PATCH, from @colyseus/shared-types. */
const ROOM_STATE = 14;
const ROOM_STATE_PATCH = 15;

interface WireCounter {
  patches: number[];
  fullState: number;
}

/** One measured case, as the line output prints it. */
export interface WireCase {
  case: string;
  clients: number;
  realSeconds: number;
  simSecondsReached: number;
  patchesPerClient: number;
  meanBytesPerPatchPerClient: number;
  /** The same without each client's first patch (the creator's repeats the whole state). */
  meanBytesPerPatchAfterFirst: number;
  p50BytesPerPatch: number;
  p95BytesPerPatch: number;
  maxBytesPerPatch: number;
  bytesPerSecondPerClient: number;
  fullStateBytesAtJoin: number;
}

/**
 * Runs the three cases (default speed with 1 and 4 clients, 30x through the bad rollout with 1).
 * @returns the named figures (`wire*`) and each case's record.
 */
export async function benchWire(seconds: number): Promise<{ figures: Figures; cases: WireCase[] }> {
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
  const cases: WireCase[] = [];
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
      const all = sorted(counters.flatMap((c) => c.patches));
      const perClientRate = counters.map((c) => c.patches.reduce((s, b) => s + b, 0) / realSeconds);
      cases.push({
        case: label,
        clients,
        realSeconds,
        simSecondsReached: Math.round(t),
        patchesPerClient: Math.round(all.length / clients),
        meanBytesPerPatchPerClient: round(mean(all), 1),
        meanBytesPerPatchAfterFirst: round(mean(counters.flatMap((c) => c.patches.slice(1))), 1),
        p50BytesPerPatch: percentile(all, 0.5),
        p95BytesPerPatch: percentile(all, 0.95),
        maxBytesPerPatch: all[all.length - 1] ?? 0,
        bytesPerSecondPerClient: Math.round(mean(perClientRate)),
        fullStateBytesAtJoin: counters[0]?.fullState ?? 0,
      });
    }
  } finally {
    await server.close();
  }
  const [one, four, fast] = cases;
  const figures: Figures = {};
  if (one) {
    Object.assign(figures, {
      wireJoinBytes: one.fullStateBytesAtJoin,
      // Whether the creator's first patch repeats the whole state depends on a patch falling between
      // create and join: the headline mean leaves it out, the other includes it.
      wirePatchBytesMean: one.meanBytesPerPatchAfterFirst,
      wirePatchBytesMeanInclFirst: one.meanBytesPerPatchPerClient,
      wirePatchBytesP95: one.p95BytesPerPatch,
      wirePatchBytesMax: one.maxBytesPerPatch,
      wireBytesPerSecPerClient: one.bytesPerSecondPerClient,
      wireSeconds: one.realSeconds,
    });
  }
  if (four) Object.assign(figures, { wire4ClientsPatchBytesMean: four.meanBytesPerPatchPerClient, wire4ClientsBytesPerSecPerClient: four.bytesPerSecondPerClient });
  if (fast) Object.assign(figures, { wire30xPatchBytesMean: fast.meanBytesPerPatchPerClient, wire30xPatchBytesMax: fast.maxBytesPerPatch, wire30xBytesPerSecPerClient: fast.bytesPerSecondPerClient });
  return { figures, cases };
}
