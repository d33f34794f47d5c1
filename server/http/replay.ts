/**
 * `GET /api/matches/:id/replay`: the replay viewer's data for one archived match, re-simulated (in a
 * long-lived worker thread: server/scenarios/replay.ts {@link ReplayViewer}) with a snapshot every
 * 60 sim s, so a seek re-simulates at most a minute.
 * - Without `t`: the {@link ReplayTimeline}: SLI, error budget and burn-rate samples every 10 sim s,
 *   incidents (revealed: the match is over), actions (who, what, when), the postmortem timeline and
 *   the replayed vs stored final state hash.
 * - With `?t=SECONDS`: a {@link ReplayFrame}: the team at that sim second as the room projects it
 *   (server/rooms/projection.ts `projectTeam`), in the room state's shape (the client's `snapshotState`
 *   reads it). `t` outside `0..endT` is a 400.
 * Timelines are cached per id and frames per (id, t) in LRU maps (finished matches never change);
 * 404 for an unknown id, 409 when the stored match no longer replays. Rate limited like the
 * postmortem route (each miss can cost a second of CPU).
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Database } from '../db/index.ts';
import { getMatch } from '../db/repository.ts';
import { ReplayViewer, type ReplayFrame, type ReplayTimeline } from '../scenarios/replay.ts';
import { docSchema, parseOr400, type ErrorBody } from './query.ts';

/** Requests per IP per minute on the replay route (`@fastify/rate-limit`; 429 beyond): scrubbing sends a request per stop. */
export const REPLAY_RATE_LIMIT = { max: 240, timeWindow: '1 minute' } as const;
/** Timelines kept in memory (least recently used dropped first). */
const TIMELINE_CACHE = 32;
/** Frames kept in memory (least recently used dropped first). */
const FRAME_CACHE = 256;

const Params = z.object({
  id: z.string().regex(/^[a-zA-Z0-9-]{1,80}$/, { error: 'expected a match id (letters, digits and "-")' }),
});

const Query = z.object({
  t: z
    .string({ error: 'expected sim seconds (a number >= 0)' })
    .regex(/^\d{1,7}(\.\d{1,3})?$/, { error: 'expected sim seconds (a number >= 0)' })
    .describe('Sim seconds since match start: return the cluster at that moment instead of the timeline')
    .transform(Number)
    .optional(),
});

/** A small LRU map: `get` refreshes, `set` drops the least recently used beyond `size`. */
class Lru<V> {
  readonly #map = new Map<string, V>();
  readonly size: number;
  constructor(size: number) {
    this.size = size;
  }
  get(key: string): V | undefined {
    const v = this.#map.get(key);
    if (v !== undefined) {
      this.#map.delete(key);
      this.#map.set(key, v);
    }
    return v;
  }
  set(key: string, v: V): void {
    this.#map.delete(key);
    this.#map.set(key, v);
    if (this.#map.size > this.size) this.#map.delete(this.#map.keys().next().value!);
  }
}

/** Register the route on `app` (inside the `/api` plugin). The worker stops when `app` closes. */
export async function registerReplayRoutes(app: FastifyInstance, db: Database): Promise<void> {
  const viewer = new ReplayViewer();
  const timelines = new Lru<ReplayTimeline>(TIMELINE_CACHE);
  const frames = new Lru<ReplayFrame>(FRAME_CACHE);
  app.addHook('onClose', async () => viewer.close());

  app.get('/matches/:id/replay', {
    config: { rateLimit: REPLAY_RATE_LIMIT },
    schema: {
      tags: ['matches'],
      summary: "A finished match's replay: its timeline (SLI and error-budget curves, incidents, actions), or with ?t= the team's cluster at that sim second",
      params: docSchema(Params),
      querystring: docSchema(Query),
    },
  }, async (req, reply) => {
    const p = parseOr400(Params, req.params, reply, 'match id');
    if (!p) return reply;
    const q = parseOr400(Query, req.query, reply);
    if (!q) return reply;
    let timeline = timelines.get(p.id);
    let record: unknown;
    if (timeline === undefined || q.t !== undefined) {
      record = await getMatch(db, p.id);
      if (!record) {
        const body: ErrorBody = { error: `match ${p.id} not found` };
        return reply.code(404).send(body);
      }
    }
    if (timeline === undefined) {
      const r = await viewer.timeline(record);
      if (!r.ok) {
        const body: ErrorBody = { error: `match ${p.id} does not replay: ${r.error}` };
        return reply.code(409).send(body);
      }
      timeline = r.value;
      timelines.set(p.id, timeline);
    }
    if (q.t === undefined) return timeline;
    if (q.t > timeline.endT) {
      const body: ErrorBody = { error: `invalid query: t: the match ends at ${timeline.endT} sim s`, details: [{ path: 't', message: `expected 0 to ${timeline.endT}` }] };
      return reply.code(400).send(body);
    }
    const tick = Math.floor(q.t / timeline.tickSeconds + 1e-9);
    const key = `${p.id}@${tick}`;
    let frame = frames.get(key);
    if (frame === undefined) {
      const r = await viewer.frame(record, q.t);
      if (!r.ok) {
        const body: ErrorBody = { error: `match ${p.id} does not replay: ${r.error}` };
        return reply.code(409).send(body);
      }
      frame = r.value;
      frames.set(key, frame);
    }
    return frame;
  });
}
