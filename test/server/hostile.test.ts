/**
 * Hostile clients (issue 12), each finding as a user or an operator would notice it, against a real
 * server with real @colyseus/sdk clients, real HTTP and raw sockets.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import net from 'node:net';
import { Client, CloseCode, type Room } from '@colyseus/sdk';
import type { ReplyMessage } from '../../shared/protocol.ts';
import type { RunningServer } from '../../server/app.ts';
import { MAX_MESSAGE_BYTES } from '../../server/http/colyseus.ts';
import { ask, nextMessage, startTestServer, waitFor } from './helpers.ts';

type Players = { players: Map<string, { name: string; connected: boolean }> };
const players = (room: Room) => (room.state as unknown as Partial<Players>).players ?? new Map<string, { name: string; connected: boolean }>();

/** Open a raw TCP connection, send a WebSocket upgrade for `path`, and collect what comes back until the server closes. */
function rawUpgrade(port: number, path: string): Promise<{ response: string; closed: boolean }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let response = '';
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ response, closed: false });
    }, 5_000);
    socket.on('connect', () =>
      socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`),
    );
    socket.on('data', (d) => (response += d.toString()));
    socket.on('error', reject);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ response, closed: true });
    });
  });
}

describe('matchmaking rate limits (per client address)', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('caps matchmaking bodies (413) before Colyseus reads them', async () => {
    const res = await fetch(`${server.url}/matchmake/joinOrCreate/match`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x'.repeat(20_000) }),
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: string }).error).toMatch(/^request body too large: \d+ bytes, at most 16384$/);
  });

  it('answers with security headers (CSP that lets the client load, nosniff) and no CORS grant to other origins', async () => {
    const res = await fetch(`${server.url}/api/scenarios`, { headers: { origin: 'https://evil.example' } });
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'self'");
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    // A bad matchmaking request is the client's error (4xx with Colyseus' code in the body), not a 5xx.
    const bad = await fetch(`${server.url}/matchmake/joinOrCreate/match`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 526, error: expect.stringMatching(/^invalid join options: name/) });
  });

  it('100 create requests in a burst create at most 10 rooms; the rest get 429 with Retry-After and a JSON error', async () => {
    const responses = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        fetch(`${server.url}/matchmake/create/match`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ name: `flood-${i}`, durationSeconds: 60 }),
        }).then(async (res) => ({ status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as { error?: string; roomId?: string } })),
      ),
    );
    const created = responses.filter((r) => r.status === 200);
    const refused = responses.filter((r) => r.status === 429);
    expect(created.length).toBeGreaterThan(0);
    expect(created.length).toBeLessThanOrEqual(10);
    expect(refused.length + created.length).toBe(100);
    for (const r of refused) {
      expect(Number(r.retryAfter)).toBeGreaterThanOrEqual(1);
      expect(r.body.error).toMatch(/^too many (matchmaking requests|room creations) from your address: retry in \d+ s$/);
    }
    const rooms = (await (await fetch(`${server.url}/api/rooms`)).json()) as unknown[];
    expect(rooms.length).toBeLessThanOrEqual(10);

    // The SDK surfaces the refusal as a clear error, not a hang.
    await expect(new Client(server.url).create('match', { name: 'one-more' })).rejects.toThrow(/too many .* from your address: retry in \d+ s/);
  });

});

describe('a room under abuse', () => {
  let server: RunningServer;
  let client: Client;
  let host: Room;
  const rooms: Room[] = [];
  beforeAll(async () => {
    server = await startTestServer();
    client = new Client(server.url);
    host = await client.create('match', { name: 'host', seed: 7 });
    rooms.push(host);
    await waitFor(() => players(host).size === 1, 'the host in the roster');
  });
  afterAll(async () => {
    await Promise.all(rooms.map((r) => r.leave().catch(() => undefined)));
    await server?.close();
  });

  it('answers an oversized message with an error reply (send and request) and keeps the connection', async () => {
    const big = `kubectl get pods ${'x'.repeat(MAX_MESSAGE_BYTES)}`;
    // The id sits inside the oversized payload, which is not decoded: the reply names the type, id null.
    const refused = nextMessage<ReplyMessage>(host, 'reply', (r) => r.type === 'kubectl' && r.id === null);
    host.send('kubectl', { id: 'big', command: big });
    expect(await refused).toMatchObject({ ok: false, error: expect.stringMatching(/^message too large: \d+ bytes, at most 4096$/) });
    expect(await host.request('kubectl', { command: big })).toMatchObject({ id: null, type: 'kubectl', ok: false, error: expect.stringMatching(/message too large/) });
    expect(await ask(host, 'kubectl', { id: 'after-big', command: 'kubectl get nodes' })).toMatchObject({ ok: true });
  });

  it('answers a frame that does not decode instead of closing', async () => {
    const garbage = nextMessage<ReplyMessage>(host, 'reply', (r) => r.id === null && /malformed/.test(r.error ?? ''));
    // ROOM_DATA (13), type "kubectl", then bytes that are not msgpack (0xc1 is never used).
    host.connection.send(Buffer.concat([Buffer.from([13, 0xa7]), Buffer.from('kubectl'), Buffer.from([0xc1, 0xc1])]));
    expect(await garbage).toMatchObject({ type: 'kubectl', ok: false, error: 'malformed message: the payload is not valid msgpack' });
    expect(await ask(host, 'kubectl', { id: 'after-garbage', command: 'kubectl get nodes' })).toMatchObject({ ok: true });
  });

  it('answers WebSocket upgrades to paths that are not rooms with 404 and closes them', async () => {
    const port = Number(new URL(server.url).port);
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => rawUpgrade(port, i % 2 ? `/no-such-path-${i}` : `/a/b/c?x=${i}`)));
    for (const a of answers) {
      expect(a.response).toMatch(/^HTTP\/1.1 404 Not Found\r\n/);
      expect(a.response).toContain('no WebSocket endpoint at');
      expect(a.closed).toBe(true);
    }
  });

  it('treats __proto__, constructor, toString as ordinary (missing) names in the console', async () => {
    let n = 0;
    for (const name of ['__proto__', 'constructor', 'toString']) {
      // 13 messages per name, one name per second: under the room's 30 messages per second.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      for (const command of [
        `kubectl cordon ${name}`,
        `kubectl uncordon ${name}`,
        `kubectl drain ${name}`,
        `kubectl describe node ${name}`,
        `kubectl get node ${name}`,
        `kubectl scale deployment/${name} --replicas=2`,
        `kubectl rollout undo deployment/${name}`,
        `kubectl rollout restart deployment/${name}`,
        `kubectl set image deployment/${name} app=x:1`,
        `kubectl delete pod ${name}`,
        `kubectl describe deployment ${name}`,
      ]) {
        const reply = await ask(host, 'kubectl', { id: `proto-${n++}`, command });
        expect(reply.ok, command).toBe(false);
        expect(reply.error, command).toMatch(/not found|NotFound/);
        expect(reply.error, command).not.toMatch(/TypeError|Cannot read|internal error|undefined|function|\[object/);
      }
      // As a resource type it is unknown (it used to reach the table printer and fail on `undefined.columns`).
      const asType = await ask(host, 'kubectl', { id: `proto-${n++}`, command: `kubectl get ${name}` });
      expect(asType).toMatchObject({ ok: false, error: `error: the server doesn't have a resource type "${name}"` });
      // A label selector on such a key selects nothing (it used to match every Pod through the prototype).
      const selected = await ask(host, 'kubectl', { id: `proto-${n++}`, command: `kubectl get pods -l ${name}` });
      expect(selected).toMatchObject({ ok: true, output: expect.stringMatching(/^No resources found/) });
    }
  });

  it('frees the seat of a client closed for flooding: a real player joins the full room at once', async () => {
    // Fill the 16-seat room: the host, 14 players and one flooder.
    for (let i = 0; i < 14; i++) {
      const room = await client.joinById(host.roomId, { name: `p${i}` });
      room.onMessage('reply', () => undefined);
      rooms.push(room);
    }
    const flooder = await client.joinById(host.roomId, { name: 'flooder' });
    flooder.reconnection.enabled = false;
    await waitFor(() => players(host).size === 16, 'a full room');
    await expect(client.joinById(host.roomId, { name: 'late' })).rejects.toThrow(/full|locked/i);

    const closed = new Promise<number>((resolve) => flooder.onLeave.once((code) => resolve(code)));
    for (let i = 0; i < 60; i++) flooder.send('focus', { id: i });
    expect(await closed).toBe(CloseCode.WITH_ERROR);
    await waitFor(() => ![...players(host).values()].some((p) => p.name === 'flooder'), 'the flooder gone from the roster');

    const late = await client.joinById(host.roomId, { name: 'late' });
    rooms.push(late);
    await waitFor(() => [...players(host).values()].some((p) => p.name === 'late' && p.connected), 'the real player seated');
  });
});
