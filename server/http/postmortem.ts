/**
 * `GET /api/matches/:id/postmortem`: the blameless postmortem (Markdown, downloaded as
 * `postmortem-<id>.md`) of one archived match, written by re-simulating it (server/scenarios/replay.ts,
 * in a worker thread). Results are cached per id (finished matches never change); at most
 * {@link POSTMORTEM_CONCURRENCY} replays run at once and the route is rate limited harder than the
 * rest of /api because each miss costs about a second of CPU. 404 for an unknown id; 409 when the
 * stored match no longer replays (the scenario changed since).
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Database } from '../db/index.ts';
import { getMatch } from '../db/repository.ts';
import { postmortemInWorker } from '../scenarios/replay.ts';
import { docSchema, parseOr400, type ErrorBody } from './query.ts';

/** Requests per IP per minute on the postmortem route (`@fastify/rate-limit`). */
export const POSTMORTEM_RATE_LIMIT = { max: 30, timeWindow: '1 minute' } as const;
/** Replays running at once; more requests wait their turn. */
export const POSTMORTEM_CONCURRENCY = 2;
/** Postmortems kept in memory (least recently written dropped first). */
const CACHE_SIZE = 64;

const Params = z.object({
  id: z.string().regex(/^[a-zA-Z0-9-]{1,80}$/, { error: 'expected a match id (letters, digits and "-")' }),
});

/** Register the route on `app` (inside the `/api` plugin). */
export async function registerPostmortemRoutes(app: FastifyInstance, db: Database): Promise<void> {
  const cache = new Map<string, string>();
  let running = 0;
  const waiting: (() => void)[] = [];
  const slot = async (): Promise<() => void> => {
    if (running >= POSTMORTEM_CONCURRENCY) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    return () => {
      running--;
      waiting.shift()?.();
    };
  };

  app.get('/matches/:id/postmortem', {
    config: { rateLimit: POSTMORTEM_RATE_LIMIT },
    schema: { tags: ['matches'], summary: "A finished match's blameless postmortem (Markdown), written by replaying it", params: docSchema(Params) },
  }, async (req, reply) => {
    const p = parseOr400(Params, req.params, reply, 'match id');
    if (!p) return reply;
    let markdown = cache.get(p.id);
    if (markdown === undefined) {
      const record = await getMatch(db, p.id);
      if (!record) {
        const body: ErrorBody = { error: `match ${p.id} not found` };
        return reply.code(404).send(body);
      }
      const release = await slot();
      const result = await postmortemInWorker(record).finally(release);
      if (!result.ok) {
        const body: ErrorBody = { error: `match ${p.id} does not replay: ${result.error}` };
        return reply.code(409).send(body);
      }
      markdown = result.markdown;
      cache.set(p.id, markdown);
      if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
    }
    return reply
      .type('text/markdown; charset=utf-8')
      .header('content-disposition', `attachment; filename="postmortem-${p.id}.md"`)
      .send(markdown);
  });
}
