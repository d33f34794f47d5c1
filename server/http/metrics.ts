/**
 * The server's own Prometheus metrics at `GET /metrics`, for operators (the team clusters' metrics are
 * `/k8s/MATCH/TEAM/metrics`, server/k8s/metrics.ts). prom-client's default process and Node.js metrics
 * (`process_cpu_seconds_total`, `process_resident_memory_bytes`, `nodejs_eventloop_lag_seconds`, ...)
 * plus:
 * - `gameday_rooms`, `gameday_clients`: rooms and connected clients of this process (Colyseus
 *   `matchMaker.stats.local`);
 * - `gameday_room_clients{room}`, `gameday_room_sim_seconds{room}` (the match's sim clock, sim
 *   seconds), `gameday_room_time_dilation{room}` (sim seconds per real second asked for) per live room;
 * - `gameday_room_frame_lateness_seconds` (histogram): how late each room frame (the 50 ms timer that
 *   runs the sim ticks due) fired after its interval, real seconds;
 * - `gameday_room_dropped_ticks_total`: sim ticks the rooms' work budget dropped (their sim fell behind
 *   real time; server/rooms/clock.ts);
 * - `gameday_room_state_bytes_total{kind}`: bytes of Colyseus state frames sent to clients, `kind` =
 *   `patch` (ROOM_STATE_PATCH) or `full` (ROOM_STATE, on join).
 * No player names, tokens or match contents: counts only. Unauthenticated like `/healthz`; keep it on
 * the operators' network (README "Prometheus").
 *
 * The room figures come from {@link instrumentRoom}, a subclass of the match room registered by
 * server/app.ts (it wraps the frame timer and each client's `raw` send; the room's code is unchanged),
 * and from {@link meterHeadlessMatch} for a match run outside Colyseus (`gameday kube`'s practice
 * match, server/cli/kube-command.ts, which serves this same `/metrics`): counted as a room of this
 * process, `room` = its match id.
 *
 * May import: fastify, prom-client, @colyseus/core, server/rooms types.
 */
import type { FastifyInstance } from 'fastify';
import { matchMaker, type Client } from '@colyseus/core';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { MatchRoom } from '../rooms/MatchRoom.ts';

/** The process-wide registry of `/metrics`. */
export const serverRegistry = new Registry();
collectDefaultMetrics({ register: serverRegistry });

/** Colyseus frame types of state frames (the first byte of the frame, @colyseus/shared-types Protocol). */
const ROOM_STATE = 14;
const ROOM_STATE_PATCH = 15;

/** Live instrumented rooms of this process. */
const liveRooms = new Set<MatchRoom>();

/** A match the per-room series report: a match room, or a headless match ({@link meterHeadlessMatch}). */
export interface MeteredMatch {
  /** The `room` label: the room id, or the headless match's id. */
  readonly id: string;
  /** Connected clients. */
  clients(): number;
  /** The match clock, sim seconds since the match started. */
  simSeconds(): number;
  /** Sim seconds per real second asked for, and sim ticks dropped so far; null when not known. */
  clock(): { droppedTicks: number; timeDilation: number } | null;
}

/** Live headless matches of this process. */
const headless = new Set<MeteredMatch>();

/** Every live match of this process, rooms first. */
function* liveMatches(): Generator<MeteredMatch> {
  for (const room of liveRooms) yield { id: room.roomId, clients: () => room.clients.length, simSeconds: () => room.state.t, clock: () => clockOf(room) };
  yield* headless;
}

/** The room's sim clock figures, read without changing the room (its `simClock` field, server/rooms/clock.ts). */
function clockOf(room: MatchRoom): { droppedTicks: number; timeDilation: number } | null {
  const clock = (room as unknown as { simClock?: { droppedTicks?: unknown; timeDilation?: unknown } }).simClock;
  if (!clock || typeof clock.droppedTicks !== 'number' || typeof clock.timeDilation !== 'number') return null;
  return { droppedTicks: clock.droppedTicks, timeDilation: clock.timeDilation };
}

new Gauge({
  name: 'gameday_rooms',
  help: 'Rooms (matches) open in this process.',
  registers: [serverRegistry],
  collect() {
    this.set(matchMaker.stats.local.roomCount + headless.size);
  },
});
new Gauge({
  name: 'gameday_clients',
  help: 'Clients connected to rooms of this process.',
  registers: [serverRegistry],
  collect() {
    let clients = matchMaker.stats.local.ccu;
    for (const m of headless) clients += m.clients();
    this.set(clients);
  },
});
new Gauge({
  name: 'gameday_room_clients',
  help: 'Clients connected to the room.',
  labelNames: ['room'],
  registers: [serverRegistry],
  collect() {
    this.reset();
    for (const m of liveMatches()) this.set({ room: m.id }, m.clients());
  },
});
new Gauge({
  name: 'gameday_room_sim_seconds',
  help: 'The room match clock, sim seconds since the match started.',
  labelNames: ['room'],
  registers: [serverRegistry],
  collect() {
    this.reset();
    for (const m of liveMatches()) this.set({ room: m.id }, m.simSeconds());
  },
});
new Gauge({
  name: 'gameday_room_time_dilation',
  help: 'Sim seconds per real second the room is asked to run at.',
  labelNames: ['room'],
  registers: [serverRegistry],
  collect() {
    this.reset();
    for (const m of liveMatches()) {
      const clock = m.clock();
      if (clock) this.set({ room: m.id }, clock.timeDilation);
    }
  },
});
/** Dropped ticks of rooms already disposed (the counter never goes down). */
let droppedOfDisposed = 0;
new Counter({
  name: 'gameday_room_dropped_ticks_total',
  help: 'Sim ticks dropped by the rooms work budget (sim time fell behind real time).',
  registers: [serverRegistry],
  collect() {
    let total = droppedOfDisposed;
    for (const m of liveMatches()) total += m.clock()?.droppedTicks ?? 0;
    this.reset();
    this.inc(total);
  },
});
const frameLateness = new Histogram({
  name: 'gameday_room_frame_lateness_seconds',
  help: 'How late each room frame (the timer running the due sim ticks) fired after its interval, seconds.',
  buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  registers: [serverRegistry],
});
const stateBytes = new Counter({
  name: 'gameday_room_state_bytes_total',
  help: 'Bytes of state frames sent to clients: kind patch (state patches) or full (whole state on join).',
  labelNames: ['kind'],
  registers: [serverRegistry],
});
stateBytes.inc({ kind: 'patch' }, 0);
stateBytes.inc({ kind: 'full' }, 0);

/**
 * The match room class with the server metrics' hooks: its frame timer's lateness, each client's state
 * frames' bytes, and its presence in the per-room gauges until disposed. Behaviour is unchanged.
 */
export function instrumentRoom(RoomClass: typeof MatchRoom): typeof MatchRoom {
  return class InstrumentedRoom extends RoomClass {
    override setTimestep(onTick?: (deltaMs: number) => void, delay?: number): void {
      liveRooms.add(this);
      if (onTick === undefined || delay === undefined) return super.setTimestep(onTick, delay);
      super.setTimestep((deltaMs) => {
        frameLateness.observe(Math.max(0, deltaMs - delay) / 1000);
        onTick(deltaMs);
      }, delay);
    }

    override onJoin(client: Client, options: unknown, auth?: unknown): Promise<void> {
      const raw = client.raw.bind(client);
      client.raw = (data, opts, cb) => {
        const kind = data[0] === ROOM_STATE_PATCH ? 'patch' : data[0] === ROOM_STATE ? 'full' : null;
        if (kind !== null) stateBytes.inc({ kind }, data.byteLength);
        raw(data, opts, cb);
      };
      return super.onJoin(client, options, auth);
    }

    override onDispose(): ReturnType<MatchRoom['onDispose']> {
      if (liveRooms.delete(this)) droppedOfDisposed += clockOf(this)?.droppedTicks ?? 0;
      return super.onDispose();
    }
  };
}

/**
 * Counts a match run outside Colyseus (`gameday kube`) in the room series until `close()`: `frame`
 * observes one frame of its clock timer, `lateSeconds` = how late it fired after its interval (real
 * seconds, >= 0). Its dropped ticks stay counted after close, like a disposed room's.
 */
export function meterHeadlessMatch(match: MeteredMatch): { frame(lateSeconds: number): void; close(): void } {
  headless.add(match);
  return {
    frame: (lateSeconds) => frameLateness.observe(Math.max(0, lateSeconds)),
    close: () => {
      if (headless.delete(match)) droppedOfDisposed += match.clock()?.droppedTicks ?? 0;
    },
  };
}

/** Registers `GET /metrics` (Prometheus text format of {@link serverRegistry}). */
export async function registerServerMetrics(app: FastifyInstance): Promise<void> {
  app.get('/metrics', { schema: { tags: ['health'], summary: 'Prometheus metrics of the server process and its rooms (for operators)' } }, async (_req, reply) => {
    const text = await serverRegistry.metrics();
    return reply.header('content-type', serverRegistry.contentType).send(text);
  });
}
