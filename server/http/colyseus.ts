/**
 * Colyseus on Fastify's port. There is no Fastify adapter; this follows colyseus' own Vite plugin
 * (`bundles/colyseus/src/vite.ts`): the matchmaking routes (`POST /matchmake/:method/:room`) are
 * answered by `createNodeMatchmakingMiddleware()` in front of Fastify's request handler (with the
 * CORS headers set here, else browser POSTs fail), and room WebSocket upgrades
 * (`/:processId/:roomId`) go to a `WebSocketTransport({ noServer: true })` attached to the same
 * `http.Server`.
 *
 * The matchmaker is a process-wide singleton: one {@link startColyseus} per process at a time.
 *
 * May import node:http, @colyseus/*.
 */
import http from 'node:http';
import { createNodeMatchmakingMiddleware, matchMaker, registerRoomDefinitions, unregisterRoomDefinitions, type RoomDefinitions, type Presence } from '@colyseus/core';
import { setTransport } from '@colyseus/core/Transport';
import { WebSocketTransport } from '@colyseus/ws-transport';
import { RedisPresence } from '@colyseus/redis-presence';
import { RedisDriver } from '@colyseus/redis-driver';

/** Room WebSocket paths: `/<processId>/<roomId>` (query string aside). */
const ROOM_PATH = /^\/[a-zA-Z0-9_-]+\/[a-zA-Z0-9_-]+\/?$/;

/**
 * A `serverFactory` for Fastify: an `http.Server` whose requests under `/matchmake/` go to Colyseus'
 * matchmaking middleware first (everything else, and anything it passes on, reaches Fastify).
 */
export function createHttpServerWithMatchmaking(fastifyHandler: http.RequestListener): http.Server {
  const matchmaking = createNodeMatchmakingMiddleware();
  return http.createServer((req, res) => {
    if (!req.url?.startsWith(`/${matchMaker.controller.matchmakeRoute}/`)) {
      fastifyHandler(req, res);
      return;
    }
    const headers = {
      ...matchMaker.controller.DEFAULT_CORS_HEADERS,
      ...matchMaker.controller.getCorsHeaders(new Headers(req.headers as Record<string, string>)),
    };
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    matchmaking(req, res, () => fastifyHandler(req, res)).catch((err: unknown) => {
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: `matchmaking failed: ${err instanceof Error ? err.message : String(err)}` }));
      }
    });
  });
}

/** Options of {@link startColyseus}. */
export interface ColyseusOptions {
  /** Room definitions, e.g. `{ match: defineMatchRoom(deps) }`. */
  rooms: RoomDefinitions;
  /** `redis://...`: share presence and room listings with other processes (RedisPresence + RedisDriver). */
  redisUrl?: string;
  /** This process' address for other processes and clients (`host:port`); used with Redis. */
  publicAddress?: string;
}

/** A running Colyseus attachment. */
export interface ColyseusHandle {
  /**
   * Graceful shutdown: locks every room and waits until all are disposed (rooms save finished
   * matches in `onDispose`), then closes WebSockets, presence and driver. Leaves the HTTP server open.
   */
  shutdown(): Promise<void>;
}

/**
 * Set up the matchmaker, register the rooms and attach the WebSocket transport to `server`, then
 * accept matchmaking. Call before `server.listen()` (Fastify's `listen`).
 */
export async function startColyseus(server: http.Server, opts: ColyseusOptions): Promise<ColyseusHandle> {
  let presence: Presence | undefined;
  let driver: matchMaker.MatchMakerDriver | undefined;
  if (opts.redisUrl) {
    presence = new RedisPresence(opts.redisUrl);
    driver = new RedisDriver(opts.redisUrl);
  }
  await matchMaker.setup(presence, driver, opts.publicAddress);
  const roomNames = registerRoomDefinitions(opts.rooms);

  const transport = new WebSocketTransport({ noServer: true });
  transport.attachToServer(server, {
    filter: (req) => ROOM_PATH.test(new URL(req.url ?? '/', 'http://localhost').pathname),
  });
  setTransport(transport);
  await matchMaker.accept();

  let shuttingDown: Promise<void> | undefined;
  return {
    shutdown() {
      shuttingDown ??= (async () => {
        await matchMaker.gracefullyShutdown();
        transport.shutdown();
        unregisterRoomDefinitions(roomNames);
        matchMaker.presence.shutdown();
        await matchMaker.driver.shutdown();
      })();
      return shuttingDown;
    },
  };
}
