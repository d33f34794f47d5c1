/**
 * The Gameday server: Fastify 5 (HTTP API, OpenAPI docs, the built client) and Colyseus (the `match`
 * room) on ONE port, one pino logger, one database handle. `startServer` returns once it listens;
 * `close()` shuts down gracefully: rooms are locked and disposed (finished matches saved), then
 * WebSockets, HTTP and the database are closed.
 *
 * Colyseus' matchmaker is a process-wide singleton, so one server per process at a time.
 *
 * May import everything under server/ (it is the composition root).
 */
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import fastifyRateLimit from '@fastify/rate-limit';
import type { Config } from './config.ts';
import { createLogger, type Logger } from './log.ts';
import { openDatabase, IN_MEMORY, type Database } from './db/index.ts';
import { defineMatchRoom } from './rooms/MatchRoom.ts';
import { ROOM_NAME } from '../shared/protocol.ts';
import { createHttpServerWithMatchmaking, startColyseus, type ColyseusHandle } from './http/colyseus.ts';
import { registerDocs } from './http/docs.ts';
import { registerHealthRoutes } from './http/health.ts';
import { registerApiRoutes } from './http/api.ts';
import { registerClient } from './http/client.ts';
import { registerK8sRoutes } from './k8s/routes.ts';

/** A running server. */
export interface RunningServer {
  /** `http://localhost:<port>` (also the Colyseus endpoint: `new Client(url)`). */
  url: string;
  /** The port actually bound (the real one when `PORT=0`). */
  port: number;
  /** The server's logger. */
  logger: Logger;
  /** Graceful shutdown (idempotent): rooms finish and save, then WebSocket, HTTP and database close. */
  close(): Promise<void>;
}

let running = false;

/** Where PGlite keeps its files for a `DATA_DIR` (`memory://` stays in memory). */
export function pgliteDir(dataDir: string): string {
  return dataDir === IN_MEMORY ? IN_MEMORY : join(dataDir, 'pglite');
}

/**
 * Build the Fastify app: probes, the rate-limited /api, OpenAPI docs at /docs and the client at /.
 * Query strings are validated by zod in the handlers; Fastify's schema validation is disabled so the
 * route schemas only document.
 */
export async function buildHttpApp(config: Config, db: Database, logger: Logger): Promise<FastifyInstance> {
  const app = Fastify({
    // pino's Logger is a FastifyBaseLogger; naming the base type keeps FastifyInstance's default generics.
    loggerInstance: logger as FastifyBaseLogger,
    serverFactory: (handler) => createHttpServerWithMatchmaking(handler),
    // Probes poll every few seconds: keep them out of the request log.
    logController: new LogController({ disableRequestLogging: (req) => req.url === '/healthz' || req.url === '/readyz' }),
  });
  app.setValidatorCompiler(() => (data) => ({ value: data }));
  app.setNotFoundHandler((req, reply) => reply.code(404).send({ error: `not found: ${req.method} ${req.url.split('?')[0]}` }));

  await app.register(fastifyRateLimit, { global: false });
  await registerDocs(app);
  await registerHealthRoutes(app, db);
  await app.register((api) => registerApiRoutes(api, db), { prefix: '/api' });
  await app.register(registerK8sRoutes, { prefix: '/k8s' });
  const built = await registerClient(app, config.clientDist);
  if (!built) logger.warn({ clientDist: config.clientDist }, 'client not built: / answers 503 until `npm run build`');
  return app;
}

/**
 * Open the database, start HTTP + Colyseus on `config.port` and listen.
 *
 * @throws Error when a server is already running in this process, the database cannot be opened
 *   or migrated, or the port is taken (everything opened so far is closed again).
 */
export async function startServer(config: Config): Promise<RunningServer> {
  if (running) throw new Error('a Gameday server is already running in this process (Colyseus matchmaker is a singleton)');
  running = true;
  const logger = createLogger(config.logLevel);
  let db: Database | undefined;
  let app: FastifyInstance | undefined;
  let colyseus: ColyseusHandle | undefined;
  try {
    db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: pgliteDir(config.dataDir) });
    app = await buildHttpApp(config, db, logger);
    colyseus = await startColyseus(app.server, {
      rooms: {
        [ROOM_NAME]: defineMatchRoom({ db, logger, defaultTimeDilation: config.timeDilation, patchRateMs: config.patchRateMs }),
      },
      redisUrl: config.redisUrl,
      publicAddress: config.publicAddress,
    });
    await app.listen({ port: config.port, host: config.host });
  } catch (err) {
    await colyseus?.shutdown().catch(() => undefined);
    await app?.close().catch(() => undefined);
    await db?.close().catch(() => undefined);
    running = false;
    throw err;
  }

  const port = (app.server.address() as AddressInfo).port;
  const url = `http://localhost:${port}`;
  logger.info({ port, database: db.kind, redis: Boolean(config.redisUrl) }, `Gameday listening on ${url}`);

  const [openDb, openApp, openColyseus] = [db, app, colyseus];
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      logger.info('shutting down: locking rooms and waiting for matches to be saved');
      try {
        await openColyseus.shutdown();
      } catch (err) {
        logger.error({ err }, 'colyseus shutdown failed');
      }
      await openApp.close().catch((err: unknown) => logger.error({ err }, 'closing HTTP failed'));
      await openDb.close().catch((err: unknown) => logger.error({ err }, 'closing the database failed'));
      running = false;
      logger.info('shutdown complete');
    })();
    return closing;
  };
  return { url, port, logger, close };
}
