/**
 * Liveness and readiness probes (Kubernetes conventions): `/healthz` answers while the process
 * serves HTTP; `/readyz` also asks the database (`select 1`, {@link READY_TIMEOUT_MS} at most) so a
 * load balancer stops sending players to an instance that cannot save their results.
 *
 * May import fastify and server/db types.
 */
import type { FastifyInstance } from 'fastify';
import type { Database } from '../db/index.ts';

/** Longest the readiness probe waits for the database, milliseconds. */
export const READY_TIMEOUT_MS = 2_000;

/** What else the probes report. */
export interface HealthOptions {
  /** Finished matches kept on local disk and not yet stored (server/rooms/results.ts `ResultStore.pending`). */
  pendingResults?: () => number;
}

/**
 * Register `GET /healthz` and `GET /readyz`. `/readyz` answers 503 while the database does not answer
 * (results of matches ending meanwhile are kept on disk and retried); both bodies carry
 * `pendingResults` when the server keeps results.
 */
export async function registerHealthRoutes(app: FastifyInstance, db: Database, opts: HealthOptions = {}): Promise<void> {
  const pending = () => (opts.pendingResults ? { pendingResults: opts.pendingResults() } : {});
  app.get('/healthz', { schema: { tags: ['health'], summary: 'Liveness: 200 while the server runs' } }, async () => ({ status: 'ok' }));

  app.get('/readyz', { schema: { tags: ['health'], summary: 'Readiness: 200 when the database answers, else 503' } }, async (_req, reply) => {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        db.ping(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`database did not answer within ${READY_TIMEOUT_MS} ms`)), READY_TIMEOUT_MS);
        }),
      ]);
      return { status: 'ready', database: db.kind, ...pending() };
    } catch (err) {
      return reply.code(503).send({ status: 'unavailable', database: db.kind, error: `database down: ${err instanceof Error ? err.message : String(err)}`, ...pending() });
    } finally {
      clearTimeout(timer);
    }
  });
}
