import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { RunningServer } from '../../server/app.ts';
import { startTestServer } from './helpers.ts';

let server: RunningServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server?.close();
});

async function get(path: string): Promise<{ status: number; body: unknown; type: string | null; headers: Headers }> {
  const res = await fetch(server.url + path);
  const type = res.headers.get('content-type');
  const body = type?.includes('json') ? await res.json() : await res.text();
  return { status: res.status, body, type, headers: res.headers };
}

describe('HTTP API', () => {
  it('listens on the random port it reports', () => {
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://localhost:${server.port}`);
  });

  it('GET /healthz answers ok', async () => {
    expect(await get('/healthz')).toMatchObject({ status: 200, body: { status: 'ok' } });
  });

  it('GET /readyz answers ready when the database does', async () => {
    expect(await get('/readyz')).toMatchObject({ status: 200, body: { status: 'ready', database: 'pglite' } });
  });

  it('GET /api/scenarios lists the scenarios with the default first', async () => {
    const { status, body } = await get('/api/scenarios');
    expect(status).toBe(200);
    const list = body as { id: string; title: string; default: boolean; durationSeconds: number }[];
    expect(list.length).toBeGreaterThan(0);
    expect(list[0]!.default).toBe(true);
    expect(list.filter((s) => s.default)).toHaveLength(1);
    for (const s of list) {
      expect(s.id).toMatch(/\S/);
      expect(s.title).toMatch(/\S/);
      expect(s.durationSeconds).toBeGreaterThan(0);
    }
  });

  it('an empty archive gives empty lists', async () => {
    expect(await get('/api/matches')).toMatchObject({ status: 200, body: [] });
    expect(await get('/api/leaderboard?limit=5')).toMatchObject({ status: 200, body: [] });
  });

  it('a bad query string is a 400 with a JSON error naming the parameter', async () => {
    const bad = await get('/api/matches?limit=abc');
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({
      error: 'invalid query: limit: expected a whole number from 1 to 100',
      details: [{ path: 'limit', message: 'expected a whole number from 1 to 100' }],
    });
    const tooMany = await get('/api/leaderboard?limit=1000&scenario=' + encodeURIComponent('no spaces'));
    expect(tooMany.status).toBe(400);
    expect((tooMany.body as { error: string }).error).toMatch(/limit: .*; scenario: /);
  });

  it('an unknown match is a 404 with a JSON error', async () => {
    const res = await get('/api/matches/unknown');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: 'match unknown not found' });
  });

  it('unknown paths are JSON 404s', async () => {
    const res = await get('/api/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: 'not found: GET /api/nothing-here' });
  });

  it('/api is rate limited (the limit is advertised in headers)', async () => {
    const res = await get('/api/scenarios');
    expect(res.headers.get('x-ratelimit-limit')).toBe('300');
  });

  it('GET /api/rooms lists no open matches yet', async () => {
    expect(await get('/api/rooms')).toMatchObject({ status: 200, body: [] });
  });

  it('serves the OpenAPI document at /docs/json and the UI at /docs', async () => {
    const doc = await get('/docs/json');
    expect(doc.status).toBe(200);
    const spec = doc.body as { openapi: string; info: { title: string }; paths: Record<string, unknown> };
    expect(spec.openapi).toMatch(/^3\./);
    expect(spec.info.title).toBe('Gameday API');
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining(['/healthz', '/readyz', '/api/scenarios', '/api/leaderboard', '/api/matches', '/api/matches/{id}', '/api/rooms']),
    );
    const ui = await fetch(server.url + '/docs', { redirect: 'follow' });
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('<html');
  });

  it('without a built client, / is a 503 page that says how to build it', async () => {
    const res = await get('/');
    expect(res.status).toBe(503);
    expect(res.type).toContain('text/html');
    expect(res.body).toContain('npm run build');
  });
});
