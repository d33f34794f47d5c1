/**
 * Colyseus on Fastify's port. There is no Fastify adapter; this follows colyseus' own Vite plugin
 * (`bundles/colyseus/src/vite.ts`): the matchmaking routes (`POST /matchmake/:method/:room`) are
 * answered by `createNodeMatchmakingMiddleware()` in front of Fastify's request handler (with the
 * CORS headers set here, else browser POSTs fail), and room WebSocket upgrades
 * (`/:processId/:roomId`) go to a `WebSocketTransport({ noServer: true })` attached to the same
 * `http.Server`.
 *
 * Hostile clients (issue 12): matchmaking requests and room creations are rate limited per client
 * address ({@link MatchmakingLimits}, server/http/ratelimit.ts: `429 { code, error }` with
 * `Retry-After`), matchmaking bodies are capped at {@link MAX_MATCHMAKE_BODY_BYTES} (413), WebSocket
 * upgrades to any other path are answered `404` and their socket destroyed (else they stay open and
 * hold graceful shutdown), and room frames over {@link MAX_MESSAGE_BYTES} or that do not decode get
 * an error `reply` instead of a close (see {@link GuardedTransport}).
 *
 * The matchmaker is a process-wide singleton: one {@link startColyseus} per process at a time.
 *
 * May import node:http, node:net, @colyseus/*, msgpackr (Colyseus' own wire codec), ws types,
 * shared/protocol.ts (the reply shape) and server/http/ratelimit.ts.
 */
import http from 'node:http';
import type { Duplex } from 'node:stream';
import { createNodeMatchmakingMiddleware, getMessageBytes, matchMaker, registerRoomDefinitions, unregisterRoomDefinitions, Protocol, ResponseStatus, type RoomDefinitions, type Presence } from '@colyseus/core';
import { setTransport } from '@colyseus/core/Transport';
import { WebSocketTransport } from '@colyseus/ws-transport';
import { RedisPresence } from '@colyseus/redis-presence';
import { RedisDriver } from '@colyseus/redis-driver';
import { decode } from '@colyseus/schema';
import { unpack } from 'msgpackr';
import type { WebSocket } from 'ws';
import { ClientMessages, type ReplyMessage } from '../../shared/protocol.ts';
import { TokenBuckets, matchmakeContext, tooManyBody, type RateLimit } from './ratelimit.ts';

/** Room WebSocket paths: `/<processId>/<roomId>` (query string aside). */
const ROOM_PATH = /^\/[a-zA-Z0-9_-]+\/[a-zA-Z0-9_-]+\/?$/;

/**
 * Largest room message answered normally, bytes of the WebSocket frame (type + msgpack payload).
 * A bigger one (up to {@link MAX_FRAME_BYTES}) gets `reply { ok: false, error: 'message too large: ...' }`
 * (or a REJECTED response to `room.request`) and the connection lives on. Every message the game
 * client sends is far below (a kubectl line is at most 1,000 characters).
 */
export const MAX_MESSAGE_BYTES = 4 * 1024;
/**
 * Largest `stdin` message (issue 7: pasted YAML for `kubectl apply -f -`, an edited object) and
 * `control` message (a trainer's `inject` of a Chaos Mesh / LitmusChaos `manifest`), bytes: their YAML
 * is at most 64 Ki characters (shared/protocol.ts), so a realistic manifest of 10-30 KB fits; above,
 * the same error reply as {@link MAX_MESSAGE_BYTES}.
 */
export const MAX_STDIN_MESSAGE_BYTES = 80 * 1024;
/**
 * Largest WebSocket frame read at all, bytes: a bigger one closes the connection with code 1009
 * ("message too big", RFC 6455 section 7.4.1) before it is buffered. Colyseus' default is 4 KiB.
 */
export const MAX_FRAME_BYTES = 256 * 1024;
/** Largest matchmaking request body (join options, JSON), bytes: 413 above. Colyseus allows 1 MiB. */
export const MAX_MATCHMAKE_BODY_BYTES = 16 * 1024;

/** Rate limits of {@link createHttpServerWithMatchmaking}, per client address. */
export interface MatchmakingLimits {
  /** Every `POST /matchmake/...` (join, create, reconnect). */
  requests: RateLimit;
  /** Rooms created (by `create` or a `joinOrCreate` that found no room). */
  roomCreations: RateLimit;
}

/** Defaults: a workshop of 40 behind one NAT can all join at once; 10 rooms at once, then 10 a minute. */
export const DEFAULT_MATCHMAKING_LIMITS: MatchmakingLimits = {
  requests: { burst: 40, perMinute: 60 },
  roomCreations: { burst: 10, perMinute: 10 },
};

/**
 * HTTP statuses for Colyseus' matchmaking error codes, which it sends as the HTTP status itself
 * (520-526, all "server errors"): a refused join is the client's mistake, not the server's. The JSON
 * body keeps Colyseus' `code`. MATCHMAKE_UNHANDLED (523) stays a 500.
 */
export const MATCHMAKE_HTTP_STATUS: ReadonlyMap<number, number> = new Map([
  [520, 404], // MATCHMAKE_NO_HANDLER: no such room name / method
  [521, 404], // MATCHMAKE_INVALID_CRITERIA: no room found
  [522, 404], // MATCHMAKE_INVALID_ROOM_ID
  [524, 410], // MATCHMAKE_EXPIRED: seat reservation expired
  [525, 401], // AUTH_FAILED
  [526, 400], // APPLICATION_ERROR: invalid join options, unknown scenario, name taken...
]);

function sendJson(res: http.ServerResponse, status: number, body: unknown, headers?: Record<string, string>): void {
  const json = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(json)) });
  res.end(json);
}

/**
 * A `serverFactory` for Fastify: an `http.Server` whose requests under `/matchmake/` go to Colyseus'
 * matchmaking middleware first (everything else, and anything it passes on, reaches Fastify).
 * Matchmaking POSTs are rate limited per client address (429 + `Retry-After`), their bodies capped
 * (413), and they run inside {@link matchmakeContext} so the room they may create can take a
 * creation token (server/app.ts).
 */
export function createHttpServerWithMatchmaking(fastifyHandler: http.RequestListener, limits: MatchmakingLimits = DEFAULT_MATCHMAKING_LIMITS): http.Server {
  const matchmaking = createNodeMatchmakingMiddleware();
  const requests = new TokenBuckets(limits.requests);
  const creations = new TokenBuckets(limits.roomCreations);
  return http.createServer((req, res) => {
    if (!req.url?.startsWith(`/${matchMaker.controller.matchmakeRoute}/`)) {
      fastifyHandler(req, res);
      return;
    }
    const headers = {
      ...matchMaker.controller.DEFAULT_CORS_HEADERS,
      ...matchMaker.controller.getCorsHeaders(new Headers(req.headers as Record<string, string>)),
      'Access-Control-Expose-Headers': 'Retry-After',
    };
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    const address = req.socket.remoteAddress ?? 'unknown';
    if (req.method === 'POST') {
      const taken = requests.take(address);
      if (!taken.ok) {
        sendJson(res, 429, tooManyBody('matchmaking requests', taken.retryAfterSeconds), { 'retry-after': String(taken.retryAfterSeconds) });
        req.resume();
        return;
      }
      const length = Number(req.headers['content-length'] ?? 0);
      if (!(length <= MAX_MATCHMAKE_BODY_BYTES)) {
        sendJson(res, 413, { code: 413, error: `request body too large: ${req.headers['content-length']} bytes, at most ${MAX_MATCHMAKE_BODY_BYTES}` }, { connection: 'close' });
        req.resume();
        return;
      }
    }
    const writeHead = res.writeHead.bind(res) as (status: number, ...rest: unknown[]) => http.ServerResponse;
    res.writeHead = ((status: number, ...rest: unknown[]) => writeHead(MATCHMAKE_HTTP_STATUS.get(status) ?? status, ...rest)) as typeof res.writeHead;
    const context = {
      address,
      takeCreation: () => {
        const taken = creations.take(address);
        if (taken.ok) return undefined;
        if (!res.headersSent) res.setHeader('retry-after', String(taken.retryAfterSeconds));
        return taken.retryAfterSeconds;
      },
    };
    matchmakeContext.run(context, () =>
      matchmaking(req, res, () => fastifyHandler(req, res)).catch((err: unknown) => {
        if (!res.headersSent) sendJson(res, 500, { error: `matchmaking failed: ${err instanceof Error ? err.message : String(err)}` });
      }),
    );
  });
}

/** The first bytes of a room frame: protocol code, request id (ROOM_REQUEST) and message type. */
interface FrameHead {
  code: number;
  requestId: number | undefined;
  type: string | number | undefined;
  payloadOffset: number;
}

function readHead(buf: Buffer): FrameHead | undefined {
  try {
    const code = buf[0]! & 0x3f;
    if (code !== Protocol.ROOM_DATA && code !== Protocol.ROOM_REQUEST) return { code, requestId: undefined, type: undefined, payloadOffset: 1 };
    const it = { offset: 1 };
    const requestId = code === Protocol.ROOM_REQUEST ? decode.number(buf, it) : undefined;
    const type = decode.stringCheck(buf, it) ? decode.string(buf, it) : decode.number(buf, it);
    if (it.offset > buf.length || (typeof type === 'number' && !Number.isFinite(type))) return undefined;
    return { code, requestId, type, payloadOffset: it.offset };
  } catch {
    return undefined;
  }
}

/**
 * Why a frame is refused before the room sees it (too large, or a room message whose header or
 * msgpack payload does not decode), or undefined to pass it on. Colyseus itself would close the
 * connection for both (1009, 4002); a player or a buggy bot deserves an answer instead.
 */
function refusal(buf: Buffer, head: FrameHead | undefined): string | undefined {
  const limit = head?.type === 'stdin' || head?.type === 'control' ? MAX_STDIN_MESSAGE_BYTES : MAX_MESSAGE_BYTES;
  if (buf.length > limit) return `message too large: ${buf.length} bytes, at most ${limit}`;
  if (head === undefined) return 'malformed message: the frame header does not decode';
  // `*` would reach the room's wildcard handler with the arguments of a typed one.
  if (head.type === '*') return `unknown message type "*": expected one of ${Object.keys(ClientMessages).join(', ')}`;
  if (head.payloadOffset < buf.length && (head.code === Protocol.ROOM_DATA || head.code === Protocol.ROOM_REQUEST)) {
    try {
      unpack(buf.subarray(head.payloadOffset));
    } catch {
      return 'malformed message: the payload is not valid msgpack';
    }
  }
  return undefined;
}

/** What stands in for a refused frame so the room still counts it (maxMessagesPerSecond): a PING. */
const PING_FRAME = Buffer.from([Protocol.PING]);

/**
 * Colyseus' WebSocket transport with a guard in front of every connection's `message` event: a
 * frame over {@link MAX_MESSAGE_BYTES}, or one that does not decode, is answered with a `reply`
 * (`{ id: null, type, ok: false, error }`) or, for `room.request`, the same ReplyMessage as its
 * response (as the room answers requests); the room then sees a PING in its place, so flooding with refused frames still hits the
 * room's `maxMessagesPerSecond`.
 */
export class GuardedTransport extends WebSocketTransport {
  constructor() {
    super({ noServer: true, maxPayload: MAX_FRAME_BYTES });
    this.wss.prependListener('connection', (ws: WebSocket) => guardFrames(ws));
  }
}

function guardFrames(ws: WebSocket): void {
  const emit = ws.emit;
  ws.emit = function guardedEmit(this: WebSocket, event: string | symbol, ...args: unknown[]): boolean {
    if (event === 'message') {
      const data = args[0];
      const buf = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data as Buffer[]) : Buffer.from(data as ArrayBuffer);
      const head = buf.length > MAX_MESSAGE_BYTES ? readHead(buf.subarray(0, 80)) : readHead(buf);
      const problem = buf.length === 0 ? 'malformed message: empty frame' : refusal(buf, head);
      if (problem !== undefined) {
        const reply: ReplyMessage = { id: null, type: head?.type === undefined ? 'unknown' : String(head.type), ok: false, error: problem };
        // As the room answers: a `reply` message, or the same ReplyMessage as a request's (OK) response.
        if (head?.requestId !== undefined) ws.send(getMessageBytes[Protocol.ROOM_RESPONSE](head.requestId, ResponseStatus.OK, reply));
        else ws.send(getMessageBytes.raw(Protocol.ROOM_DATA, 'reply', reply));
        return emit.call(this, 'message', PING_FRAME, true);
      }
      return emit.call(this, 'message', buf, true);
    }
    return emit.call(this, event, ...args);
  } as typeof ws.emit;
}

/** Answer an upgrade that is not a room's: `404` with a JSON body, then destroy the socket. */
function refuseUpgrade(req: http.IncomingMessage, socket: Duplex): void {
  const body = JSON.stringify({ error: `not found: no WebSocket endpoint at ${(req.url ?? '/').split('?')[0]}; rooms are at /<processId>/<roomId>` });
  socket.on('error', () => socket.destroy());
  socket.end(
    `HTTP/1.1 404 Not Found\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    () => socket.destroy(),
  );
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

  const transport = new GuardedTransport();
  const isRoomPath = (req: http.IncomingMessage) => ROOM_PATH.test(new URL(req.url ?? '/', 'http://localhost').pathname);
  transport.attachToServer(server, { filter: isRoomPath });
  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex) => {
    if (!isRoomPath(req)) refuseUpgrade(req, socket);
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
