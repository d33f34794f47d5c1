import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import pg from 'pg';
import { pino } from 'pino';
import { eq, sql } from 'drizzle-orm';
import { Client, type Room } from '@colyseus/sdk';
import type { MatchEndedMessage } from '../../shared/protocol.ts';
import { buildHttpAppWithAuth } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { openDatabase, schema, type Database } from '../../server/db/index.ts';
import { keptResults, ResultStore, toMatchGroup, type TeamResult } from '../../server/rooms/results.ts';
import { ask, freePort, nextMessage, pgliteTemplate, waitFor } from './helpers.ts';

// A database outage at match end loses no result (issue 10): the result is kept on local disk
// (DATA_DIR/pending-results), retried until stored, stored exactly once, and /readyz says 503 meanwhile.
// With PGlite (always): a transaction holding PGlite's only connection (a hung database), and a
// database closed with a result kept, reopened by the next process. With PostgreSQL (TEST_DATABASE_URL):
// a real server process whose database stops accepting connections at match end, then comes back.

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A pino logger whose JSON lines land in `lines`. */
function capturingLogger(): { log: pino.Logger; lines: { level: number; msg: string; [k: string]: unknown }[] } {
  const lines: { level: number; msg: string }[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as { level: number; msg: string });
      done();
    },
  });
  return { log: pino({ level: 'info' }, sink), lines };
}

/** A two-team race's results: ann (blue, 900) beat bob (red, 300). */
function raceResults(matchGroup: string): TeamResult[] {
  const base = (team: string, score: number, name: string): TeamResult => ({
    id: `${matchGroup}-${team}`,
    matchGroup,
    team,
    scenarioId: 'online-boutique',
    settings: { seed: 9, tickSeconds: 1, durationSeconds: 120 },
    timeDilation: 120,
    actions: [],
    summary: {
      scenarioId: 'online-boutique',
      seed: 9,
      durationSeconds: 120,
      ticks: 120,
      stateHash: '0123456789abcdef',
      slo: { availability: 1, latency: 0.99, errorBudgetRemaining: 1, latencyErrorBudgetRemaining: 0.8 },
      score,
      scoreBreakdown: { total: score },
      incidents: [],
      actions: 0,
    },
    startedAt: new Date('2026-11-21T10:00:00Z'),
    endedAt: new Date('2026-11-21T10:01:00Z'),
    players: [{ name, actions: 0, kind: 'guest' }],
  });
  return [base('blue', 900, 'ann'), base('red', 300, 'bob')];
}

async function stored(db: Database, matchGroup: string): Promise<{ records: number; players: number; events: number; ratings: number[] }> {
  const records = await db.db.select({ id: schema.matches.id }).from(schema.matches).where(eq(schema.matches.matchGroup, matchGroup));
  const players = await db.db.select().from(schema.matchPlayers).where(sql`${schema.matchPlayers.matchId} like ${`${matchGroup}-%`}`);
  const events = await db.db.select().from(schema.ratingEvents).where(eq(schema.ratingEvents.matchGroup, matchGroup));
  const ratings = await db.db.select().from(schema.ratings).where(sql`${schema.ratings.player} in ('guest:ann', 'guest:bob')`);
  return { records: records.length, players: players.length, events: events.length, ratings: ratings.map((r) => r.matches) };
}

const FAST = { firstDelayMs: 50, maxDelayMs: 200, attemptTimeoutMs: 300 };

describe('a database outage at match end loses no result (PGlite)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gameday-outage-'));
    cpSync(join(await pgliteTemplate(), 'pglite'), join(dir, 'pglite'), { recursive: true });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a hung database: the result is kept on disk, /readyz is 503, and it is stored exactly once when the database answers again', async () => {
    const db = await openDatabase({ dataDir: join(dir, 'pglite') });
    const spool = join(dir, 'spool-hung');
    const { log, lines } = capturingLogger();
    const store = new ResultStore({ db, log, dir: spool, retry: FAST });
    const { app } = await buildHttpAppWithAuth(loadConfig({ CLIENT_DIST: 'test/server/no-client-here', DATA_DIR: dir }), db, pino({ level: 'silent' }), store);
    try {
      expect((await app.inject({ method: 'GET', url: '/readyz' })).json()).toMatchObject({ status: 'ready', pendingResults: 0 });
      // The outage: one transaction holds PGlite's only connection; every other query waits.
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const holding = db.db.transaction(async (tx) => {
        await tx.execute(sql`select 1`);
        await gate;
      });
      const group = toMatchGroup(raceResults(randomUUID()));
      expect(await store.save(group)).toBe(false);
      expect(keptResults(spool)).toEqual([`${group.matchGroup}.json`]);
      expect(lines.find((l) => l.msg === 'result kept for retry')).toMatchObject({ level: 40, matchGroup: group.matchGroup });
      const ready = await app.inject({ method: 'GET', url: '/readyz' });
      expect(ready.statusCode).toBe(503);
      expect(ready.json()).toMatchObject({ status: 'unavailable', error: expect.stringMatching(/database down/), pendingResults: 1 });
      await waitFor(() => lines.some((l) => l.msg === 'storing a kept result failed; retrying'), 'a retry that failed too');

      release();
      await holding;
      await store.whenIdle();
      const done = lines.find((l) => /^stored after \d+ attempts$/.test(l.msg));
      expect(done).toMatchObject({ level: 30, matchGroup: group.matchGroup, rated: true });
      expect(Number(/\d+/.exec(done!.msg)![0])).toBeGreaterThan(1);
      expect(keptResults(spool)).toEqual([]);
      expect(await stored(db, group.matchGroup)).toEqual({ records: 2, players: 2, events: 4, ratings: [1, 1, 1, 1] });
      // Stored exactly once: saving again (a restored room, a leftover file) changes nothing.
      expect(await store.save(group)).toBe(true);
      expect(await stored(db, group.matchGroup)).toEqual({ records: 2, players: 2, events: 4, ratings: [1, 1, 1, 1] });
      expect((await app.inject({ method: 'GET', url: '/readyz' })).json()).toMatchObject({ status: 'ready', pendingResults: 0 });
    } finally {
      store.close();
      await app.close();
      await db.close();
    }
  }, 60_000);

  it('the database closed with a result kept: the next process reopens it and stores the kept file, exactly once', async () => {
    const spool = join(dir, 'spool-restart');
    const first = await openDatabase({ dataDir: join(dir, 'pglite') });
    const before = capturingLogger();
    const store = new ResultStore({ db: first, log: before.log, dir: spool, retry: FAST });
    await first.close(); // the outage: the database is gone when the match ends
    const group = toMatchGroup(raceResults(randomUUID()));
    expect(await store.save(group)).toBe(false);
    expect(keptResults(spool)).toEqual([`${group.matchGroup}.json`]);
    expect(before.lines.map((l) => l.msg)).toContain('result kept for retry');
    store.close(); // the process stops before the database comes back

    const second = await openDatabase({ dataDir: join(dir, 'pglite') });
    try {
      const after = capturingLogger();
      const next = new ResultStore({ db: second, log: after.log, dir: spool, retry: FAST });
      expect(await next.resume()).toBe(1);
      await next.whenIdle();
      expect(after.lines.map((l) => l.msg)).toEqual(['result kept for retry (left by a previous run)', 'stored after 1 attempt (kept by a previous run)']);
      expect(keptResults(spool)).toEqual([]);
      const counts = await stored(second, group.matchGroup);
      expect(counts).toMatchObject({ records: 2, players: 2, events: 4 });
      expect(await next.resume()).toBe(0);
      expect(await stored(second, group.matchGroup)).toEqual(counts);
      next.close();
    } finally {
      await second.close();
    }
  }, 60_000);
});

const postgresUrl = process.env.TEST_DATABASE_URL;

describe.skipIf(!postgresUrl)('PostgreSQL goes away at match end and comes back (a real server process)', () => {
  const dbName = `gameday_outage_${randomUUID().slice(0, 8)}`;
  let admin: pg.Client;
  let dataDir: string;
  let child: ChildProcess | undefined;
  let output = '';
  let url = '';
  const rooms: Room[] = [];

  const block = async () => {
    await admin.query(`alter database ${dbName} allow_connections false`);
    await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [dbName]);
  };
  const unblock = () => admin.query(`alter database ${dbName} allow_connections true`);

  beforeAll(async () => {
    admin = new pg.Client({ connectionString: postgresUrl });
    await admin.connect();
    await admin.query(`create database ${dbName}`);
    const own = new URL(postgresUrl!);
    own.pathname = `/${dbName}`;
    dataDir = mkdtempSync(join(tmpdir(), 'gameday-outage-pg-'));
    const port = await freePort();
    child = spawn(process.execPath, ['server/main.ts'], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', CLIENT_DIST: 'test/server/no-client-here', DATABASE_URL: own.toString(), DATA_DIR: dataDir, SESSION_SECRET: 'outage-test-session-secret-0123456789abcdef' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 90_000;
    while (!(await fetch(`${url}/healthz`).then((r) => r.ok, () => false))) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`server did not start:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }, 120_000);

  afterAll(async () => {
    for (const room of rooms) if (room.connection.isOpen) await room.leave().catch(() => undefined);
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    await unblock().catch(() => undefined);
    await admin.query(`drop database if exists ${dbName} with (force)`).catch(() => undefined);
    await admin.end();
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('the race ends while the database refuses connections: the result is kept, /readyz is 503, then it is stored exactly once', async () => {
    const client = new Client(url);
    const blue = await client.create('match', { name: 'ann', seed: 3, teams: 2, durationSeconds: 60, timeDilation: 5 });
    const red = await client.joinById(blue.roomId, { name: 'bob', team: 'red' });
    rooms.push(blue, red);
    const matchId = (blue.state as unknown as { matchId: string }).matchId;
    expect(await ask(red, 'kubectl', { id: 1, command: 'kubectl scale deployment/frontend --replicas=0' })).toMatchObject({ ok: true });
    const ended = nextMessage<MatchEndedMessage>(blue, 'matchEnded', () => true, 60_000);

    await block();
    let ready = 0;
    for (let i = 0; i < 100 && ready !== 503; i++) {
      ready = (await fetch(`${url}/readyz`)).status;
      if (ready !== 503) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(ready).toBe(503);
    const summary = await ended;
    expect(summary.summary.scenarioId).toBe('online-boutique');
    await waitFor(() => output.includes('"msg":"result kept for retry"'), 'the result kept for retry', 15_000);
    expect(keptResults(join(dataDir, 'pending-results'))).toEqual([`${matchId}.json`]);
    const body = (await (await fetch(`${url}/readyz`)).json()) as { status: string; pendingResults: number };
    expect(body).toMatchObject({ status: 'unavailable', pendingResults: 1 });

    await unblock();
    await waitFor(() => /"msg":"stored after \d+ attempts"/.test(output), 'the kept result stored', 60_000);
    expect(keptResults(join(dataDir, 'pending-results'))).toEqual([]);
    expect((await (await fetch(`${url}/readyz`)).json()) as object).toMatchObject({ status: 'ready', pendingResults: 0 });

    const own = new URL(postgresUrl!);
    own.pathname = `/${dbName}`;
    const check = new pg.Client({ connectionString: own.toString() });
    await check.connect();
    try {
      const records = await check.query('select id, rated from matches where match_group = $1 order by id', [matchId]);
      expect(records.rows).toEqual([{ id: `${matchId}-blue`, rated: true }, { id: `${matchId}-red`, rated: true }]);
      const events = await check.query('select count(*)::int as n from rating_events where match_group = $1', [matchId]);
      expect(events.rows[0]).toEqual({ n: 4 });
      const ratings = await check.query("select player, matches from ratings where scope = 'overall' order by player");
      expect(ratings.rows).toEqual([{ player: 'guest:ann', matches: 1 }, { player: 'guest:bob', matches: 1 }]);
    } finally {
      await check.end();
    }
    const board = (await (await fetch(`${url}/api/leaderboard?scope=overall`)).json()) as { entries: { player: string }[] };
    expect(board.entries.map((e) => e.player)).toEqual(['ann', 'bob']);
  }, 120_000);
});
