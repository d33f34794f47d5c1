/**
 * Accounts and sessions (issue 10) over real HTTP and a real Colyseus join: registration, login with
 * one answer for a wrong user and a wrong password, guest tokens that cannot take a registered name,
 * the rate limit, trainer rights only for trainer accounts, the profile routes, and a password that
 * never shows up in responses or in the server's logs.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { openDatabase } from '../../server/db/index.ts';
import { findAccount } from '../../server/db/accounts.ts';
import { fileURLToPath } from 'node:url';
import { rmSync } from 'node:fs';
import { Client } from '@colyseus/sdk';
import type { RunningServer } from '../../server/app.ts';
import { ask, freePort, startTestServer, testDataDir, waitFor } from './helpers.ts';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const execFileP = promisify(execFile);
const PASSWORD = 'hunter2-but-longer';

async function post(url: string, path: string, body: unknown, token?: string): Promise<{ status: number; body: Record<string, unknown>; text: string }> {
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text) as Record<string, unknown>, text };
}

async function get(url: string, path: string, token?: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('accounts and sessions', () => {
  let server: RunningServer;

  beforeAll(async () => {
    server = await startTestServer({ AUTH_PER_MINUTE: '1000', TRAINER_USERS: 'coach' });
  }, 60_000);

  afterAll(async () => {
    await server?.close();
  });

  it('registers a name once (case-insensitive) and never returns the password or its hash', async () => {
    const reg = await post(server.url, '/api/session/register', { username: 'Alice', password: PASSWORD });
    expect(reg.status).toBe(201);
    expect(reg.body).toMatchObject({ name: 'alice', kind: 'account', trainer: false });
    expect(typeof reg.body.token).toBe('string');
    expect(reg.text).not.toContain(PASSWORD);
    expect(reg.text).not.toContain('argon2');

    const again = await post(server.url, '/api/session/register', { username: 'ALICE', password: 'another password' });
    expect(again.status).toBe(409);
    expect(again.body.error).toBe('the name "alice" is taken');

    const me = await get(server.url, '/api/me', reg.body.token as string);
    expect(me).toEqual({ status: 200, body: { name: 'alice', kind: 'account', trainer: false } });
  });

  it('refuses bad usernames and passwords with a 400 saying why', async () => {
    const short = await post(server.url, '/api/session/register', { username: 'al', password: PASSWORD });
    expect(short.status).toBe(400);
    expect(short.body.error).toContain('username must be 3-32 of a-z, 0-9, _ and -');
    const weak = await post(server.url, '/api/session/register', { username: 'bob', password: 'short' });
    expect(weak.status).toBe(400);
    expect(weak.body.error).toContain('password must be 8-128 characters');
    expect(weak.text).not.toContain('"short"');
  });

  it('logs in, and answers a wrong user exactly like a wrong password', async () => {
    const ok = await post(server.url, '/api/session/login', { username: 'alice', password: PASSWORD });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ name: 'alice', kind: 'account' });
    const wrongPassword = await post(server.url, '/api/session/login', { username: 'alice', password: 'not the password' });
    const wrongUser = await post(server.url, '/api/session/login', { username: 'nobody-here', password: 'not the password' });
    expect(wrongPassword.status).toBe(401);
    expect(wrongUser.status).toBe(401);
    expect(wrongUser.text).toBe(wrongPassword.text);
    expect(wrongUser.body).toEqual({ error: 'invalid username or password' });
  });

  it('gives guests a signed token, but not for a registered name', async () => {
    const guest = await post(server.url, '/api/session/guest', { name: 'Gus' });
    expect(guest.status).toBe(201);
    expect(guest.body).toMatchObject({ name: 'Gus', kind: 'guest', trainer: false });
    expect(await get(server.url, '/api/me', guest.body.token as string)).toEqual({ status: 200, body: { name: 'Gus', kind: 'guest', trainer: false } });
    const taken = await post(server.url, '/api/session/guest', { name: 'ALICE' });
    expect(taken.status).toBe(409);
    expect(taken.body.error).toContain('belongs to a registered account');
    expect((await get(server.url, '/api/me')).status).toBe(401);
    expect((await get(server.url, '/api/me', 'forged.token.here')).status).toBe(401);
  });

  it('seats a token holder under the token\'s name, whatever name the join options say', async () => {
    const token = (await post(server.url, '/api/session/login', { username: 'alice', password: PASSWORD })).body.token as string;
    const room = await new Client(server.url).create('match', { name: 'someone-else', token, seed: 1 });
    await waitFor(() => (room.state as unknown as { players?: Map<string, { name: string }> }).players?.size, 'seated');
    const players = [...(room.state as unknown as { players: Map<string, { name: string; trainer: boolean }> }).players.values()];
    expect(players.map((p) => p.name)).toEqual(['alice']);
    await room.leave();
  });

  it('refuses an anonymous join under a registered name, and a forged token', async () => {
    await expect(new Client(server.url).create('match', { name: 'Alice', seed: 1 })).rejects.toThrow(/belongs to a registered account/);
    await expect(new Client(server.url).create('match', { name: 'x', token: 'eyJhbGciOiJIUzI1NiJ9.e30.bad', seed: 1 })).rejects.toThrow(/invalid or expired session token/);
    // A guest token for a name: still joins as today's anonymous guests do.
    const guest = (await post(server.url, '/api/session/guest', { name: 'Gus' })).body.token as string;
    const room = await new Client(server.url).create('match', { name: 'ignored', token: guest, seed: 1 });
    await waitFor(() => (room.state as unknown as { players?: Map<string, unknown> }).players?.size, 'seated');
    expect([...(room.state as unknown as { players: Map<string, { name: string }> }).players.values()].map((p) => p.name)).toEqual(['Gus']);
    await room.leave();
  });

  it('gives trainer rights to a trainer account only: anonymous and plain accounts asking trainer: true are refused', async () => {
    await expect(new Client(server.url).create('match', { name: 'mallory', trainer: true, seed: 1 })).rejects.toThrow(/trainer rights need a signed-in account/);
    const alice = (await post(server.url, '/api/session/login', { username: 'alice', password: PASSWORD })).body.token as string;
    await expect(new Client(server.url).create('match', { name: 'alice', trainer: true, token: alice, seed: 1 })).rejects.toThrow(/trainer rights need/);

    const coach = await post(server.url, '/api/session/register', { username: 'coach', password: PASSWORD });
    expect(coach.body).toMatchObject({ name: 'coach', trainer: true });
    const room = await new Client(server.url).create('match', { name: 'coach', trainer: true, token: coach.body.token as string, seed: 1 });
    // The trainer may pause: the match's own permission check says yes.
    expect(await ask(room, 'control', { id: 'p', op: 'pause' })).toMatchObject({ ok: true });
    // An anonymous player in the same match may not.
    const pat = await new Client(server.url).joinById(room.roomId, { name: 'pat' });
    expect(await ask(pat, 'control', { id: 'q', op: 'resume' })).toMatchObject({ ok: false });
    await pat.leave();
    await room.leave();
  });

  it('serves a profile: registered or not, trainer, matches and best scores per scenario', async () => {
    const coach = await get(server.url, '/api/players/Coach');
    expect(coach.status).toBe(200);
    expect(coach.body).toMatchObject({ name: 'coach', registered: true, trainer: true, matches: [], best: [] });
    const stranger = await get(server.url, '/api/players/stranger');
    expect(stranger.body).toMatchObject({ name: 'stranger', registered: false, trainer: false, matches: [], best: [] });
  });

  it('documents the routes in OpenAPI', async () => {
    const doc = await get(server.url, '/docs/json');
    const paths = Object.keys(doc.body.paths as Record<string, unknown>);
    expect(paths).toEqual(expect.arrayContaining(['/api/session/register', '/api/session/login', '/api/session/guest', '/api/me', '/api/players/{name}']));
  });
});

describe('rate limits and REQUIRE_AUTH', () => {
  let server: RunningServer;

  beforeAll(async () => {
    server = await startTestServer({ AUTH_PER_MINUTE: '3', REQUIRE_AUTH: '1' });
  }, 60_000);

  afterAll(async () => {
    await server?.close();
  });

  it('answers 429 beyond AUTH_PER_MINUTE login attempts from one address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await post(server.url, '/api/session/login', { username: 'nobody', password: 'guess-number-' + i })).status);
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
  });

  it('refuses a join without a token when REQUIRE_AUTH=1', async () => {
    await expect(new Client(server.url).create('match', { name: 'anon', seed: 1 })).rejects.toThrow(/requires signing in/);
  });
});

describe('the password in the logs', () => {
  it('never appears in the server\'s log lines, even at trace level', async () => {
    const port = await freePort();
    const dataDir = await testDataDir();
    const child = spawn(process.execPath, ['server/main.ts'], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'trace', CLIENT_DIST: 'test/server/no-client-here', DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const exited = new Promise((resolve) => child.on('exit', resolve));
    try {
      await waitFor(() => output.includes('Gameday listening'), 'the server to listen', 30_000);
      const url = `http://127.0.0.1:${port}`;
      const secret = 'Very-Secret-Passphrase-42';
      expect((await post(url, '/api/session/register', { username: 'logan', password: secret })).status).toBe(201);
      expect((await post(url, '/api/session/login', { username: 'logan', password: secret })).status).toBe(200);
      expect((await post(url, '/api/session/login', { username: 'logan', password: secret + 'x' })).status).toBe(401);
      await waitFor(() => output.includes('account registered'), 'the registration log line');
      expect(output).toContain('/api/session/login');
      expect(output).not.toContain(secret);
      expect(output).not.toContain('$argon2');
      child.kill('SIGTERM');
      await exited;

      // With the server stopped, the CLI grants trainer rights in the same DATA_DIR.
      const cli = (args: string[]) => execFileP(process.execPath, ['server/cli/gameday.ts', ...args], { cwd: REPO_ROOT, env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir } });
      expect((await cli(['trainer', 'grant', 'Logan'])).stdout).toBe('logan is now a trainer\n');
      await expect(cli(['trainer', 'grant', 'nobody'])).rejects.toMatchObject({ code: 1, stderr: 'gameday: no account named "nobody": register it first\n' });
      const database = await openDatabase({ dataDir: join(dataDir, 'pglite') });
      try {
        expect(await findAccount(database, 'logan')).toMatchObject({ username: 'logan', trainer: true });
        expect((await findAccount(database, 'logan'))?.passwordHash).toMatch(/^\$argon2id\$/);
      } finally {
        await database.close();
      }
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 90_000);
});
