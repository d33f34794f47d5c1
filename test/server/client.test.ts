import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { FastifyInstance } from 'fastify';
import { buildHttpApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { openTestDatabase } from './helpers.ts';

// The HTTP app alone (no Colyseus, no listening socket), driven with fastify.inject().
let database: Awaited<ReturnType<typeof openTestDatabase>>;
let app: FastifyInstance;
let clientDist: string;

beforeAll(async () => {
  database = await openTestDatabase();
  clientDist = mkdtempSync(join(tmpdir(), 'gameday-client-'));
  writeFileSync(join(clientDist, 'index.html'), '<!doctype html><title>Gameday</title><canvas id="game"></canvas>');
  writeFileSync(join(clientDist, 'app.js'), 'console.log("hi")');
  app = await buildHttpApp(loadConfig({ CLIENT_DIST: clientDist }), database.db, pino({ level: 'silent' }));
});

afterAll(async () => {
  await app?.close();
  await database?.dispose();
  rmSync(clientDist, { recursive: true, force: true });
});

describe('the built client and readiness', () => {
  it('serves the built client at / and its assets', async () => {
    const index = await app.inject({ method: 'GET', url: '/' });
    expect(index.statusCode).toBe(200);
    expect(index.headers['content-type']).toContain('text/html');
    expect(index.body).toContain('<canvas id="game">');
    const asset = await app.inject({ method: 'GET', url: '/app.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['content-type']).toContain('javascript');
  });

  it('GET /readyz is 503 with the reason when the database is gone', async () => {
    expect((await app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    await database.db.close();
    const res = await app.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(503);
    const body = res.json<{ status: string; error: string }>();
    expect(body.status).toBe('unavailable');
    expect(body.error).toMatch(/\S/);
    expect((await app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
  });
});
