/**
 * Fuzz inputs for the room protocol and the HTTP routes (fast-check arbitraries) and one checker per
 * input kind, shared by the property tests in `npm test` (test/server/fuzz.test.ts, a few thousand
 * cases) and the big run `npm run fuzz` (bench/fuzz.ts, 100,000 inputs).
 *
 * Each checker sends one input to a real server over a real connection and returns a {@link Verdict}:
 * what a client would notice is wrong (no answer, an answer that is no clear error, a 5xx, a closed
 * connection), or ok.
 *
 * May import fast-check, @colyseus/sdk, @colyseus/core (protocol codes), shared/protocol.ts.
 */
import fc from 'fast-check';
import type { Room } from '@colyseus/sdk';
import type { ReplyMessage } from '../shared/protocol.ts';

/** Either fine, or what is wrong. */
export type Verdict = { ok: true; kind: string } | { ok: false; kind: string; problem: string };

/** Message types the room handles. */
export const MESSAGE_TYPES = ['kubectl', 'action', 'control', 'focus'] as const;
const ACTION_TYPES = ['deletePod', 'scaleDeployment', 'rolloutUndo', 'rolloutRestart', 'setImage', 'setResources', 'cordonNode', 'uncordonNode', 'drainNode', 'restoreEtcdMember'];
const NASTY_NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'prototype', '../../etc/passwd', '', ' ', 'frontend', 'default/frontend', 'node-1', 'etcd-0', 'x'.repeat(300), '%00', '\u0000', '😀'];

const name = fc.oneof(fc.constantFrom(...NASTY_NAMES), fc.string({ maxLength: 40 }));
const id = fc.oneof(fc.string({ maxLength: 70 }), fc.integer(), fc.double(), fc.constant(null), fc.anything({ maxDepth: 1 }));
const KUBECTL_WORDS = ['kubectl', 'get', 'describe', 'delete', 'scale', 'rollout', 'undo', 'restart', 'status', 'history', 'cordon', 'uncordon', 'drain', 'logs', 'top', 'set', 'image', 'resources', 'pods', 'pod', 'nodes', 'node', 'deployment', 'deploy/frontend', 'svc', 'events', 'etcdctl', 'member', 'list', '-n', 'default', '-l', 'app=frontend', '-o', 'wide', 'yaml', 'json', '--replicas=3', '--replicas=-1', '--replicas=99999', '--force', '--limits=cpu=2', '--to-revision=1', 'help', '-A', '-w', '--all-namespaces', '--'];
const command = fc.oneof(
  fc.array(fc.oneof(fc.constantFrom(...KUBECTL_WORDS), name), { minLength: 1, maxLength: 8 }).map((w) => w.join(' ')),
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 80 }),
);

/** Payloads that look like the real thing (so they get past the shape check and into the sim). */
const nearValid = {
  kubectl: fc.record({ id, command }, { requiredKeys: [] }),
  action: fc.record(
    {
      id,
      action: fc.record(
        {
          type: fc.oneof(fc.constantFrom(...ACTION_TYPES), fc.string({ maxLength: 20 })),
          pod: name,
          node: name,
          deployment: name,
          member: name,
          container: name,
          image: fc.oneof(fc.constant('nginx:1.27'), fc.string({ maxLength: 30 })),
          replicas: fc.oneof(fc.integer({ min: -5, max: 1005 }), fc.double(), fc.string({ maxLength: 5 })),
          toRevision: fc.oneof(fc.integer({ min: -1, max: 5 }), fc.anything({ maxDepth: 0 })),
          force: fc.anything({ maxDepth: 0 }),
          limits: fc.record({ cpu: fc.constantFrom('1', '500m', 'x', '-1', '1e99'), memory: fc.constantFrom('1Gi', '0', 'lots') }, { requiredKeys: [] }),
        },
        { requiredKeys: ['type'] },
      ),
    },
    { requiredKeys: [] },
  ),
  control: fc.record(
    {
      id,
      op: fc.oneof(fc.constantFrom('pause', 'resume', 'speed', 'inject'), fc.string({ maxLength: 10 })),
      timeDilation: fc.oneof(fc.double(), fc.integer({ min: -1, max: 200 })),
      team: fc.oneof(fc.constantFrom('blue', 'red', '__proto__'), fc.string({ maxLength: 20 })),
      incident: fc.record(
        {
          type: fc.oneof(fc.constantFrom('bad-rollout', 'memory-leak', 'node-failure', 'etcd-quorum-loss', 'constructor'), fc.string({ maxLength: 20 })),
          target: name,
          params: fc.dictionary(fc.oneof(fc.constantFrom('__proto__', 'constructor', 'errorRate'), fc.string({ maxLength: 10 })), fc.anything({ maxDepth: 1 }), { maxKeys: 4 }),
          id: fc.oneof(fc.constantFrom('injected-1', 'Bad ID'), fc.string({ maxLength: 70 })),
          title: fc.string({ maxLength: 130 }),
        },
        { requiredKeys: [] },
      ),
    },
    { requiredKeys: [] },
  ),
  focus: fc.record({ id, kind: fc.oneof(fc.constantFrom('Node', 'Deployment', 'Service', 'Pod'), fc.string({ maxLength: 10 })), key: name }, { requiredKeys: [] }),
};

/** One client message: a type (the room's, or any string) and a payload (near-valid or anything at all). */
export const roomMessage = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...MESSAGE_TYPES).chain((type) => fc.tuple(fc.constant<string>(type), fc.oneof({ weight: 3, arbitrary: nearValid[type] as fc.Arbitrary<unknown> }, { weight: 1, arbitrary: fc.anything() }))) },
  { weight: 1, arbitrary: fc.tuple(fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('__proto__', 'constructor', '*', 'reply')), fc.anything()) },
).map(([type, payload]) => ({ type, payload }));

/** Protocol codes a fuzzed raw frame may start with: every client-to-server code but LEAVE_ROOM (a consented leave). */
const FRAME_CODES = [10, 11, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 0, 63, 255];

/** One raw WebSocket frame: a protocol code, then random bytes (sometimes a real type header first). */
export const rawFrame = fc
  .tuple(
    fc.constantFrom(...FRAME_CODES),
    fc.oneof(fc.constant(new Uint8Array()), fc.constantFrom(...MESSAGE_TYPES).map((t) => new Uint8Array([0xa0 | t.length, ...Buffer.from(t)]))),
    fc.uint8Array({ maxLength: 300 }),
  )
  .map(([code, header, rest]) => Buffer.concat([Buffer.from([code]), header, rest]));

/**
 * Send `message` as a request; the answer must be a ReplyMessage (`ok: true`, or `ok: false` with
 * an error text that is no internal error), or for a type the room does not handle the SDK's
 * "no handler" rejection.
 */
export async function checkRoomMessage(room: Room, message: { type: string; payload: unknown }): Promise<Verdict> {
  const kind = `message:${(MESSAGE_TYPES as readonly string[]).includes(message.type) ? message.type : 'unknown-type'}`;
  if (!room.connection.isOpen) return { ok: false, kind, problem: 'connection closed before sending' };
  let reply: ReplyMessage;
  try {
    reply = (await room.request(message.type, message.payload, { timeout: 10_000 })) as ReplyMessage;
  } catch (err) {
    const text = err instanceof Error ? err.message : String(err);
    if (!(MESSAGE_TYPES as readonly string[]).includes(message.type) && /has no onMessage\(/.test(text)) return { ok: true, kind };
    return { ok: false, kind, problem: `request failed: ${text} (connection ${room.connection.isOpen ? 'open' : 'closed'})` };
  }
  if (!room.connection.isOpen) return { ok: false, kind, problem: 'connection closed after the reply' };
  if (reply === null || typeof reply !== 'object' || typeof reply.ok !== 'boolean') return { ok: false, kind, problem: `not a ReplyMessage: ${JSON.stringify(reply)}` };
  if (!reply.ok && (typeof reply.error !== 'string' || reply.error === '')) return { ok: false, kind, problem: `refusal without an error text: ${JSON.stringify(reply)}` };
  if (!reply.ok && /internal error|TypeError|Cannot read prop/.test(reply.error ?? '')) return { ok: false, kind, problem: `internal error: ${reply.error}` };
  return { ok: true, kind };
}

/**
 * Send a raw frame, then prove the connection still works: a `focus` request (no state change) must
 * be answered.
 */
export async function checkRawFrame(room: Room, frame: Buffer): Promise<Verdict> {
  const kind = 'frame';
  if (!room.connection.isOpen) return { ok: false, kind, problem: 'connection closed before sending' };
  room.connection.send(frame);
  try {
    const reply = (await room.request('focus', {}, { timeout: 10_000 })) as ReplyMessage;
    if (reply?.ok !== true) return { ok: false, kind, problem: `focus after the frame answered ${JSON.stringify(reply)}` };
  } catch (err) {
    return { ok: false, kind, problem: `after frame ${frame.subarray(0, 16).toString('hex')}: ${err instanceof Error ? err.message : String(err)} (connection ${room.connection.isOpen ? 'open' : 'closed'})` };
  }
  return { ok: true, kind };
}

const ROUTES = ['/healthz', '/readyz', '/api/scenarios', '/api/leaderboard', '/api/matches', '/api/matches/x', '/api/rooms', '/docs/json', '/', '/matchmake/joinOrCreate/match', '/matchmake/create/match', '/matchmake/join/match', '/matchmake/joinById/x', '/matchmake/reconnect/x', '/matchmake/nope/match', '/matchmake/create/__proto__'];
const segment = fc.oneof(fc.constantFrom('..', '%2e%2e', '%2F', '__proto__', 'constructor', 'etc', 'passwd', '.env', 'index.html', 'x'.repeat(200)), fc.string({ maxLength: 12 }).map(encodeURIComponent));

/** One HTTP request: a method, a path (a route, a route with junk, or junk), a query string and a body. */
export const httpRequest = fc.record({
  method: fc.constantFrom('GET', 'GET', 'GET', 'POST', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'HEAD', 'PATCH'),
  path: fc.oneof(
    fc.constantFrom(...ROUTES),
    fc.tuple(fc.constantFrom(...ROUTES), fc.array(segment, { maxLength: 3 })).map(([r, s]) => [r, ...s].join('/')),
    fc.array(segment, { minLength: 1, maxLength: 4 }).map((s) => '/' + s.join('/')),
  ),
  query: fc.dictionary(fc.oneof(fc.constantFrom('limit', 'scenario', '__proto__', 'constructor'), fc.string({ maxLength: 8 })), fc.oneof(fc.constantFrom('0', '1', '100', '101', '-1', '1e3', 'online-boutique'), fc.string({ maxLength: 20 })), { maxKeys: 3 }),
  body: fc.oneof(
    fc.constant(undefined),
    fc.jsonValue().map((v) => JSON.stringify(v)),
    fc.record({ name: name, scenario: fc.string({ maxLength: 10 }), teams: fc.anything({ maxDepth: 0 }), trainer: fc.anything({ maxDepth: 0 }) }, { requiredKeys: [] }).map((v) => JSON.stringify(v)),
    fc.string({ maxLength: 200 }),
  ),
  contentType: fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', undefined),
});
export type HttpInput = typeof httpRequest extends fc.Arbitrary<infer T> ? T : never;

/** Send one HTTP request: never a 5xx (bar the documented 503s), a JSON `error` on JSON 4xx answers, no file contents. */
export async function checkHttp(baseUrl: string, input: HttpInput): Promise<Verdict> {
  const kind = `http:${input.method}`;
  const qs = new URLSearchParams(Object.entries(input.query)).toString();
  const url = `${baseUrl}${input.path}${qs ? `?${qs}` : ''}`;
  const hasBody = input.body !== undefined && !['GET', 'HEAD'].includes(input.method);
  let res: Response;
  try {
    res = await fetch(url, { method: input.method, body: hasBody ? input.body : undefined, headers: input.contentType && hasBody ? { 'content-type': input.contentType } : {} });
  } catch (err) {
    return { ok: false, kind, problem: `${input.method} ${url}: ${err instanceof Error ? `${err.message} ${String((err as { cause?: unknown }).cause ?? '')}` : String(err)}` };
  }
  const text = await res.text();
  // Documented 503s: the client is not built (`/` says how to build it), the database does not answer (/readyz).
  const documented503 = res.status === 503 && (text.includes('The game client is not built yet') || (input.method === 'HEAD' && (res.headers.get('content-type') ?? '').startsWith('text/html')) || (input.path === '/readyz' && text.includes('"unavailable"')));
  if (res.status >= 500 && !documented503) return { ok: false, kind, problem: `${input.method} ${url} -> ${res.status}: ${text.slice(0, 200)}` };
  if (res.status >= 400 && input.method !== 'HEAD' && (res.headers.get('content-type') ?? '').includes('json')) {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return { ok: false, kind, problem: `${input.method} ${url} -> ${res.status} with invalid JSON: ${text.slice(0, 200)}` };
    }
    const error = (body as { error?: unknown; message?: unknown } | null)?.error ?? (body as { message?: unknown } | null)?.message;
    if (typeof error !== 'string' || error === '') return { ok: false, kind, problem: `${input.method} ${url} -> ${res.status} without an error text: ${text.slice(0, 200)}` };
  }
  if (/root:x:0:0|PG_VERSION|DATABASE_URL/.test(text)) return { ok: false, kind, problem: `${input.method} ${url} leaked a file: ${text.slice(0, 100)}` };
  return { ok: true, kind };
}
