/**
 * Property tests (fast-check, issue 12) over the whole room protocol and every HTTP route, against a
 * real server and real @colyseus/sdk clients over WebSocket:
 * - every client message type of shared/protocol.ts `ClientMessages` (kubectl, action, control,
 *   focus, lobby, workflow, chaos, stdin), near-valid or garbage, in three kinds of match (a race with roles
 *   and a trainer, a red-vs-blue match, a match still in its lobby): each one gets a reply (ok, or
 *   a clear error text), the connection stays open, and the room keeps ticking afterwards;
 * - every route the Fastify instance has (read from `printRoutes()`, plus the Colyseus matchmaking
 *   routes and the per-team Kubernetes API with a real bearer token), with generated path
 *   parameters, query strings, headers and bodies: never a 5xx (bar the documented 503s), and an
 *   error answer is JSON with a message.
 * The big runs (100,000 inputs) are `npm run fuzz`; test/server/fuzz.test.ts covers raw frames.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fc from 'fast-check';
import { Client, type Room } from '@colyseus/sdk';
import { buildHttpApp, type RunningServer } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { createLogger } from '../../server/log.ts';
import type { CredentialsMessage } from '../../shared/protocol.ts';
import { checkRoomMessage, roomMessage } from '../../bench/fuzz-inputs.ts';
import { nextMessage, openTestDatabase, signIn, startTestServer, waitFor } from './helpers.ts';

/** The room state fields the properties read. */
type State = { t?: number; phase?: string; matchId?: string };

let server: RunningServer;
/** The three matches and their trainer / host connections. */
const rooms: { label: string; room: Room; credentials: CredentialsMessage }[] = [];
/** Route templates (`/api/matches/:id`, `/*`) with their methods, read from the Fastify instance. */
let routes: { path: string; methods: string[] }[] = [];

/**
 * Parses Fastify's `printRoutes({ commonPrefix: false })` tree (`├── api/matches (GET, HEAD)`, children
 * indented by 4 columns and appended to their parent's path) into full paths with their methods.
 */
function parseRoutes(tree: string): { path: string; methods: string[] }[] {
  const out: { path: string; methods: string[] }[] = [];
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    const m = /^([│ ]*)[├└]── (\S+)(?: \(([A-Z, ]+)\))?/.exec(line);
    if (!m) continue;
    const depth = m[1]!.length / 4;
    stack.length = depth;
    const parent = stack[depth - 1] ?? '';
    const full = parent === '' ? m[2]! : parent.endsWith('/') || m[2]!.startsWith('/') ? parent + m[2]! : `${parent}/${m[2]!}`;
    stack[depth] = full.startsWith('/') ? full : `/${full}`;
    if (m[3]) out.push({ path: stack[depth]!, methods: m[3].split(',').map((s) => s.trim()) });
  }
  return out;
}

async function join(label: string, options: Record<string, unknown>): Promise<void> {
  const client = new Client(server.url);
  const room = await client.create('match', { name: `prop-${label}`, trainer: true, token: await signIn(server.url, `prop-${label}`), seed: 12, scenario: 'guestbook', durationSeconds: 86_400, ...options });
  const credentials = nextMessage<CredentialsMessage>(room, 'credentials');
  for (const type of ['reply', 'matchEnded', 'notice', 'clock', 'scoreboard', 'chaos']) room.onMessage(type, () => undefined);
  room.reconnection.enabled = false;
  await waitFor(() => (room.state as State).matchId, `the first state of ${label}`);
  rooms.push({ label, room, credentials: await credentials });
}

beforeAll(async () => {
  // One property client sends far more than a person: the flood limit is tested in hostile.test.ts.
  server = await startTestServer({ ROOM_MESSAGES_PER_SECOND: '1000000', MATCHMAKE_BURST: '100000', MATCHMAKE_PER_MINUTE: '100000', ROOM_CREATE_BURST: '20', TRAINER_USERS: 'prop-race,prop-redblue,prop-lobby' });
  await join('race', { teams: 2, mode: 'race', roles: true });
  await join('redblue', { mode: 'redblue' });
  await join('lobby', { teams: 2, lobby: true });
  // The route list comes from a Fastify instance built the way the server builds it.
  const { db, dispose } = await openTestDatabase();
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: 'memory://', LOG_LEVEL: 'silent', CLIENT_DIST: 'test/server/no-client-here' });
  const app = await buildHttpApp(config, db, createLogger('silent'));
  await app.ready();
  routes = parseRoutes(app.printRoutes({ commonPrefix: false }));
  await app.close();
  await dispose();
}, 60_000);

afterAll(async () => {
  await Promise.all(rooms.map(({ room }) => room.leave().catch(() => undefined)));
  await server?.close();
});

const NAMES = ['__proto__', 'constructor', 'toString', '', 'frontend', 'redis-leader', 'node-1', 'x'.repeat(300), '😀'];
const id = fc.oneof(fc.integer(), fc.string({ maxLength: 70 }), fc.constant(null));
const text = (max: number) => fc.oneof(fc.string({ maxLength: max }), fc.constantFrom(...NAMES));

/** Near-valid payloads of the message types bench/fuzz-inputs.ts does not generate. */
const lobby = fc.record(
  { id, op: fc.oneof(fc.constantFrom('team', 'role', 'ready', 'start'), fc.string({ maxLength: 8 })), value: fc.oneof(fc.constantFrom('blue', 'red', 'green', 'commander', 'operations', 'communications', '__proto__'), fc.boolean(), fc.string({ maxLength: 20 })) },
  { requiredKeys: [] },
);
const workflow = fc.record(
  {
    id,
    op: fc.oneof(fc.constantFrom('ack', 'declare', 'update', 'resolve', 'hint', 'answer'), fc.string({ maxLength: 8 })),
    page: fc.oneof(fc.constantFrom('page-1', 'page-2', 'page-0', 'page-99999'), text(20)),
    severity: fc.constantFrom('SEV1', 'SEV2', 'SEV3', 'SEV9', ''),
    summary: text(130),
    text: text(300),
    incident: fc.oneof(fc.constantFrom('inc-1', 'inc-2', 'incident-1', 'incident-0', 'incident-9999'), text(20)),
    stage: fc.constantFrom('mitigated', 'resolved', 'gone'),
    choice: fc.oneof(fc.constantFrom('bad-rollout', 'memory-leak', 'node-failure', 'Bad Choice'), text(70)),
  },
  { requiredKeys: ['op'] },
);
const chaos = fc.record(
  { id, kind: fc.oneof(fc.constantFrom('bad-rollout', 'memory-leak', 'node-failure', 'etcd-quorum-loss', 'pod-kill', '__proto__'), text(70)), target: fc.oneof(fc.constantFrom('frontend', 'default/frontend', 'node-1', 'etcd-1,etcd-2'), text(260)) },
  { requiredKeys: [] },
);
/** `stdin` (issue 7): pasted YAML for apply / create / edit, near-valid or not. */
const YAML_SNIPPETS = [
  'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: frontend\nspec:\n  replicas: 4\n',
  'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: fz\nspec:\n  selector:\n    matchLabels: {app: fz}\n  template:\n    metadata:\n      labels: {app: fz}\n    spec:\n      containers: [{name: fz, image: nginx}]\n',
  'apiVersion: v1\nkind: Service\nmetadata:\n  name: frontend\nspec:\n  type: NodePort\n',
  '---\n---\n',
  'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n',
  'a: &a [*a, *a]\nb: &b [*a, *a, *a]\nc: [*b, *b, *b, *b]\n',
  'kind: [\n',
  'apiVersion: v1\nkind: List\nitems:\n  - {apiVersion: v1, kind: Service, metadata: {name: __proto__}}\n',
];
const stdin = fc.record(
  {
    id,
    command: fc.oneof(fc.constantFrom('kubectl apply -f -', 'kubectl create -f -', 'kubectl apply -f - --dry-run=server', 'kubectl edit deployment frontend', 'kubectl edit pdb __proto__', 'kubectl -n kube-system apply -f x.yaml', 'kubectl get pods'), text(80)),
    stdin: fc.oneof(fc.constantFrom(...YAML_SNIPPETS), text(400), fc.anything({ maxDepth: 1 })),
  },
  { requiredKeys: ['command'] },
);
const message = fc.oneof(
  { weight: 1, arbitrary: stdin.map((payload) => ({ type: 'stdin', payload })) },
  { weight: 4, arbitrary: roomMessage },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('lobby', 'workflow', 'chaos'), fc.anything({ maxDepth: 2 })).map(([type, payload]) => ({ type, payload })) },
  { weight: 1, arbitrary: lobby.map((payload) => ({ type: 'lobby', payload })) },
  { weight: 2, arbitrary: workflow.map((payload) => ({ type: 'workflow', payload })) },
  { weight: 1, arbitrary: chaos.map((payload) => ({ type: 'chaos', payload })) },
);

/** The room's sim time advances (after the trainer resumed it and, in the lobby match, started it). */
async function keepsTicking(room: Room): Promise<void> {
  // forced: the fuzzed lobby messages may have left a seated player not ready (the property is the ticking)
  await room.request('lobby', { op: 'start', value: true }, { timeout: 10_000 }).catch(() => undefined);
  await room.request('control', { op: 'resume' }, { timeout: 10_000 });
  const before = (room.state as State).t ?? 0;
  await waitFor(() => ((room.state as State).t ?? 0) > before, `sim time past ${before} s`, 10_000);
  expect((room.state as State).phase).toBe('running');
}

describe('properties of the room protocol', () => {
  it('every client message type, in three kinds of match: a reply (ok or a clear error), no disconnect, the room keeps ticking', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 2 }), fc.array(message, { minLength: 1, maxLength: 4 }), async (which, batch) => {
        const { room, label } = rooms[which]!;
        for (const m of batch) {
          const verdict = await checkRoomMessage(room, m);
          expect(verdict.ok ? '' : `${label} ${m.type} ${JSON.stringify(m.payload)?.slice(0, 200)}: ${verdict.problem}`).toBe('');
        }
        expect(room.connection.isOpen).toBe(true);
      }),
      { numRuns: 2000, seed: 12 },
    );
    for (const { room } of rooms) {
      expect(room.connection.isOpen).toBe(true);
      await keepsTicking(room);
    }
  }, 120_000);
});

/** Fill a route template's `:param` and `*` with generated segments. */
const segment = fc.oneof(fc.constantFrom('1', 'x', '__proto__', '..', '%2e%2e', '%2F', 'a'.repeat(90), 'constructor', 'index.html'), fc.string({ maxLength: 12 }).map(encodeURIComponent));
const k8sRest = fc.oneof(
  fc.constantFrom('api', 'apis', 'version', 'api/v1', 'api/v1/namespaces', 'api/v1/namespaces/default/pods', 'api/v1/nodes', 'api/v1/nodes/node-1', 'apis/apps/v1/namespaces/default/deployments', 'apis/apps/v1/namespaces/default/deployments/frontend', 'apis/apps/v1/namespaces/default/deployments/frontend/scale', 'api/v1/namespaces/default/pods/__proto__', 'api/v1/namespaces/default/events', 'metrics', 'apis/metrics.k8s.io/v1beta1/pods'),
  fc.array(segment, { minLength: 1, maxLength: 5 }).map((s) => s.join('/')),
);
const body = fc.oneof(
  fc.constant(undefined),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  fc.record({ spec: fc.record({ replicas: fc.oneof(fc.integer({ min: -2, max: 2000 }), fc.string({ maxLength: 4 })) }, { requiredKeys: [] }), metadata: fc.record({ name: text(20) }, { requiredKeys: [] }) }, { requiredKeys: [] }).map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 200 }),
);
const QUERY_NAMES = ['limit', 'scenario', 'mode', 'phase', 'labelSelector', 'fieldSelector', 'watch', 'timeoutSeconds', 'resourceVersion', 'includeObject', '__proto__', 'constructor'];
const query = fc.dictionary(fc.oneof(fc.constantFrom(...QUERY_NAMES), fc.string({ maxLength: 8 })), fc.oneof(fc.constantFrom('0', '1', '100', '101', '-1', 'true', 'guestbook', 'app=frontend', 'metadata.name=x', 'race'), fc.string({ maxLength: 20 })), { maxKeys: 3 });
const ALL_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

describe('properties of the HTTP routes', () => {
  it('the route list read from the Fastify instance covers the documented API', () => {
    const paths = routes.map((r) => r.path);
    expect(paths).toEqual(expect.arrayContaining(['/healthz', '/readyz', '/api/scenarios', '/api/leaderboard', '/api/matches', '/api/matches/:id', '/api/matches/:id/live', '/api/rooms', '/api/lobby', '/k8s/kubeconfig']));
  });

  it('every route with generated params, query, headers and bodies: never a 5xx, errors are JSON with a message', async () => {
    const live = rooms.map(({ credentials }) => credentials);
    const templates = [
      ...routes,
      { path: '/matchmake/:method/match', methods: ['POST', 'OPTIONS'] },
      { path: '/k8s/:match/:team/*', methods: ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'] },
    ];
    const request = fc.record({
      route: fc.constantFrom(...templates),
      otherMethod: fc.option(fc.constantFrom(...ALL_METHODS), { freq: 4 }),
      params: fc.array(segment, { minLength: 3, maxLength: 3 }),
      rest: k8sRest,
      realMatch: fc.integer({ min: -1, max: live.length - 1 }),
      query,
      body,
      contentType: fc.constantFrom('application/json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'text/plain', undefined),
      auth: fc.constantFrom('real', 'junk', 'none'),
    });
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const cred = r.realMatch >= 0 ? live[r.realMatch] : undefined;
        const method = r.otherMethod ?? r.route.methods[r.params[0]!.length % r.route.methods.length]!;
        let i = 0;
        let path = r.route.path.replace(/:([a-zA-Z]+)/g, (_, name: string) => {
          if (cred && name === 'match') return cred.matchId;
          if (cred && name === 'team') return cred.team;
          if (cred && name === 'id') return cred.matchId;
          if (name === 'method') return ['joinOrCreate', 'create', 'join', 'joinById', 'reconnect', r.params[0]!][r.params[1]!.length % 6]!;
          return r.params[i++ % 3]!;
        });
        path = path.replace(/\*$/, r.route.path.startsWith('/k8s/') ? r.rest : r.params[2]!);
        const qs = new URLSearchParams(Object.entries(r.query)).toString();
        const url = `${server.url}${path}${qs ? `?${qs}` : ''}`;
        const headers: Record<string, string> = {};
        if (r.auth === 'real' && cred) headers.authorization = `Bearer ${cred.token}`;
        if (r.auth === 'junk') headers.authorization = `Bearer ${r.params[1]}`;
        const hasBody = r.body !== undefined && method !== 'GET' && method !== 'HEAD';
        if (hasBody && r.contentType) headers['content-type'] = r.contentType;
        const res = await fetch(url, { method, headers, body: hasBody ? r.body : undefined, redirect: 'manual', signal: AbortSignal.timeout(10_000) });
        const answer = method === 'HEAD' ? '' : await res.text();
        const what = `${method} ${url} -> ${res.status}: ${answer.slice(0, 200)}`;
        // Documented 503s: the client is not built (this test server has none), the database is down.
        const documented503 = res.status === 503 && (answer.includes('The game client is not built yet') || method === 'HEAD' || (path === '/readyz' && answer.includes('unavailable')));
        expect(res.status >= 500 && !documented503 ? what : '').toBe('');
        if (res.status >= 300 && res.status < 400) expect(res.headers.get('location') ? '' : `a redirect without a Location: ${what}`).toBe('');
        if (res.status >= 400 && method !== 'HEAD' && res.status !== 503) {
          let parsed: unknown;
          try {
            parsed = JSON.parse(answer);
          } catch {
            parsed = undefined;
          }
          const o = (parsed ?? {}) as { message?: unknown; error?: unknown };
          const message = typeof o.message === 'string' && o.message !== '' ? o.message : typeof o.error === 'string' ? o.error : '';
          expect(message === '' ? `an error without a JSON message: ${what}` : '').toBe('');
        }
        expect(/root:x:0:0|PG_VERSION|DATABASE_URL/.test(answer) ? what : '').toBe('');
      }),
      { numRuns: 1500, seed: 12 },
    );
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    for (const { room } of rooms) expect(room.connection.isOpen).toBe(true);
  }, 120_000);
});
