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
import fastifyHelmet from '@fastify/helmet';
import fastifyCors from '@fastify/cors';
import { ServerError, defineRoom } from '@colyseus/core';
import type { Config } from './config.ts';
import { createLogger, type Logger } from './log.ts';
import { openDatabase, IN_MEMORY, type Database } from './db/index.ts';
import { defineMatchRoom, type MatchRoom } from './rooms/MatchRoom.ts';
import { ROOM_NAME } from '../shared/protocol.ts';
import { createHttpServerWithMatchmaking, startColyseus, type ColyseusHandle } from './http/colyseus.ts';
import { registerDocs } from './http/docs.ts';
import { registerHealthRoutes } from './http/health.ts';
import { pendingResultsDir, ResultStore } from './rooms/results.ts';
import { instrumentRoom, registerServerMetrics } from './http/metrics.ts';
import { registerApiRoutes } from './http/api.ts';
import { registerLobbyRoutes } from './http/lobby.ts';
import { registerPostmortemRoutes } from './http/postmortem.ts';
import { registerReplayRoutes } from './http/replay.ts';
import { registerClient } from './http/client.ts';
import { RecoveryManager } from './recovery/manager.ts';
import { registerRecoveryRoutes } from './recovery/routes.ts';
import { registerAuthRoutes, resolveSessionSecret, type VerifySession } from './http/auth.ts';
import { registerWorkshopRoutes } from './http/workshops.ts';
import { TOO_MANY_REQUESTS, matchmakeContext, tooManyBody } from './http/ratelimit.ts';

/** Largest HTTP request body Fastify reads, bytes (413 above); the API takes no bodies today. */
export const HTTP_BODY_LIMIT_BYTES = 64 * 1024;
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
  return (await buildHttpAppWithAuth(config, db, logger)).app;
}

/** {@link buildHttpApp}, also answering the session-token verifier the match room uses (server/http/auth.ts). */
export async function buildHttpAppWithAuth(config: Config, db: Database, logger: Logger, results?: ResultStore): Promise<{ app: FastifyInstance; verifySession: VerifySession }> {
  const app = Fastify({
    // pino's Logger is a FastifyBaseLogger; naming the base type keeps FastifyInstance's default generics.
    loggerInstance: logger as FastifyBaseLogger,
    serverFactory: (handler) => createHttpServerWithMatchmaking(handler, { requests: config.matchmakeLimit, roomCreations: config.roomCreateLimit }),
    bodyLimit: HTTP_BODY_LIMIT_BYTES,
    // Shutdown closes idle keep-alive connections at once instead of waiting for them to time out.
    forceCloseConnections: 'idle',
    // Probes poll every few seconds: keep them out of the request log.
    logController: new LogController({ disableRequestLogging: (req) => req.url === '/healthz' || req.url === '/readyz' || req.url === '/metrics' }),
  });
  app.setValidatorCompiler(() => (data) => ({ value: data }));
  app.setNotFoundHandler((req, reply) => reply.code(404).send({ error: `not found: ${req.method} ${req.url.split('?')[0]}` }));

  await app.register(fastifyHelmet, { contentSecurityPolicy: { directives: contentSecurityPolicy(config) } });
  // Same-origin by default (the client is served from this origin): no CORS headers unless
  // CORS_ORIGINS lists the pages allowed to read the API. /matchmake sets its own (server/http/colyseus.ts).
  await app.register(fastifyCors, { origin: config.corsOrigins.length > 0 ? config.corsOrigins : false, methods: ['GET', 'HEAD'] });
  await app.register(fastifyRateLimit, { global: false });
  await registerDocs(app);
  await registerHealthRoutes(app, db, results ? { pendingResults: () => results.pending } : {});
  await registerServerMetrics(app);
  let verifySession: VerifySession = () => null;
  const secret = resolveSessionSecret(config);
  await app.register(async (api) => {
    verifySession = await registerAuthRoutes(api, db, { secret, perMinute: config.authPerMinute, trainerUsers: config.trainerUsers });
  }, { prefix: '/api' });
  await app.register((api) => registerApiRoutes(api, db), { prefix: '/api' });
  await app.register((api) => registerLobbyRoutes(api), { prefix: '/api' });
  await app.register((api) => registerPostmortemRoutes(api, db), { prefix: '/api' });
  await app.register((api) => registerReplayRoutes(api, db), { prefix: '/api' });
  await app.register((api) => registerRecoveryRoutes(api, db), { prefix: '/api' });
  await app.register((api) => registerWorkshopRoutes(api, { db, verify: (token) => verifySession(token), trainerUsers: config.trainerUsers, defaultTimeDilation: config.timeDilation }), { prefix: '/api' });
  await app.register(registerK8sRoutes, { prefix: '/k8s' });
  const built = await registerClient(app, config.clientDist);
  if (!built) logger.warn({ clientDist: config.clientDist }, 'client not built: / answers 503 until `npm run build`');
  if (config.redisUrl && !config.sessionSecret) logger.warn('SESSION_SECRET unset with REDIS_URL: each process signs sessions with its own secret; set one shared SESSION_SECRET');
  // Registering is lazy in Fastify: the verifier is set once the plugins have loaded.
  await app.ready();
  return { app, verifySession: (token) => verifySession(token) };
}

/**
 * The Content-Security-Policy directives (`@fastify/helmet`): everything from this origin, plus what
 * the Phaser client needs (data:/blob: images and workers, WebSocket to this origin or to
 * `PUBLIC_ADDRESS` where matchmaking sends players with Redis), inline styles (Phaser and the UI set
 * style attributes), no plugins, no framing by other sites. No `upgrade-insecure-requests`: a
 * workshop server on plain http://LAN-IP:2567 must keep working.
 */
export function contentSecurityPolicy(config: Pick<Config, 'publicAddress'>): Record<string, string[] | null> {
  const connect = ["'self'"];
  if (config.publicAddress) connect.push(`ws://${config.publicAddress.split('/')[0]}`, `wss://${config.publicAddress.split('/')[0]}`);
  return {
    'default-src': ["'self'"],
    'script-src': ["'self'"],
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:', 'blob:'],
    'font-src': ["'self'", 'data:'],
    'connect-src': connect,
    'worker-src': ["'self'", 'blob:'],
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'self'"],
    'upgrade-insecure-requests': null,
  };
}

/**
 * Rooms of `RoomClass` take a room-creation token from the requesting address (server/http/ratelimit.ts)
 * before `onCreate`: refused, the matchmaking request is answered `429 { code: 429, error }` with
 * `Retry-After`, and no simulation is built. Rooms created outside a matchmaking request (restores)
 * are not limited. `messagesPerSecond` (ROOM_MESSAGES_PER_SECOND) sets the room's `maxMessagesPerSecond`.
 */
export function limitRoomCreation(RoomClass: typeof MatchRoom, messagesPerSecond?: number): typeof MatchRoom {
  return class RateLimitedRoom extends RoomClass {
    constructor() {
      super();
      if (messagesPerSecond !== undefined) this.maxMessagesPerSecond = messagesPerSecond;
    }

    override onCreate(...args: Parameters<MatchRoom['onCreate']>): ReturnType<MatchRoom['onCreate']> {
      const retryAfter = matchmakeContext.getStore()?.takeCreation();
      if (retryAfter !== undefined) throw new ServerError(TOO_MANY_REQUESTS, tooManyBody('room creations', retryAfter).error);
      return super.onCreate(...args);
    }
  };
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
  let recovery: RecoveryManager | undefined;
  let results: ResultStore | undefined;
  try {
    db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: pgliteDir(config.dataDir) });
    // Finished matches are kept in DATA_DIR/pending-results until stored (a database outage loses none).
    results = new ResultStore({ db, log: logger, dir: pendingResultsDir(config.dataDir) });
    const built = await buildHttpAppWithAuth(config, db, logger, results);
    app = built.app;
    const auth = { verify: built.verifySession, requireAuth: config.requireAuth, trainerUsers: config.trainerUsers, db };
    recovery = new RecoveryManager({ database: db, logger, roomName: ROOM_NAME, leaseMs: config.recoveryLeaseMs });
    colyseus = await startColyseus(app.server, {
      rooms: {
        // Quick-play (`joinOrCreate`) only lands in a match of the scenario and mode it names (room metadata `scenario`, `mode`).
        [ROOM_NAME]: defineRoom(
          instrumentRoom(limitRoomCreation(defineMatchRoom({ db, logger, defaultTimeDilation: config.timeDilation, patchRateMs: config.patchRateMs, recovery, auth, results }), config.roomMessagesPerSecond)),
        ).filterBy(['scenario', 'mode']),
      },
      redisUrl: config.redisUrl,
      publicAddress: config.publicAddress,
    });
    await app.listen({ port: config.port, host: config.host });
    // Results a previous run kept (the database was down when its matches ended) are retried now.
    await results.resume();
    // Unfinished matches of a dead (or shut down) process come back here, under their old roomIds.
    await recovery.start();
  } catch (err) {
    results?.close();
    recovery?.beginShutdown();
    await colyseus?.shutdown().catch(() => undefined);
    await app?.close().catch(() => undefined);
    await db?.close().catch(() => undefined);
    running = false;
    throw err;
  }

  const port = (app.server.address() as AddressInfo).port;
  const url = `http://localhost:${port}`;
  logger.info({ port, database: db.kind, redis: Boolean(config.redisUrl) }, `Gameday listening on ${url}`);

  const [openDb, openApp, openColyseus, openRecovery, openResults] = [db, app, colyseus, recovery, results];
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      logger.info('shutting down: locking rooms and waiting for matches to be saved');
      // Rooms disposed from now on hand their unfinished matches to the next process (journal flushed).
      await openRecovery.stop();
      try {
        await openColyseus.shutdown();
      } catch (err) {
        logger.error({ err }, 'colyseus shutdown failed');
      }
      await openApp.close().catch((err: unknown) => logger.error({ err }, 'closing HTTP failed'));
      // Results still pending stay in DATA_DIR/pending-results for the next start.
      if (openResults.pending > 0) logger.warn({ pending: openResults.pending }, 'results not yet stored are kept for the next start');
      openResults.close();
      await openDb.close().catch((err: unknown) => logger.error({ err }, 'closing the database failed'));
      running = false;
      logger.info('shutdown complete');
    })();
    return closing;
  };
  return { url, port, logger, close };
}
