import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { Client, type Room } from '@colyseus/sdk';
import type { MatchEndedMessage } from '../../shared/protocol.ts';
import type { MatchRecord } from '../../server/db/repository.ts';
import type { LiveMatchInfo } from '../../server/rooms/MatchRoom.ts';
import { rejoinMatch } from '../../client/src/net/rejoin.ts';
import { resolveSimInput } from '../../server/scenarios/index.ts';
import { replayMatch, teamSummary } from '../../shared/game/index.ts';
import { ask, freePort, nextMessage, pgliteTemplate, signIn, waitFor } from './helpers.ts';

// Crash recovery (issue 12), end to end: a real server process (`node server/main.ts`), real SDK
// clients, SIGKILL, a second process on the same database. Against PGlite (a data directory) always,
// and against real Postgres (a fresh database of its own) when TEST_DATABASE_URL is set.

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Short lease so a Postgres restart takes over the dead process' match within ~2 s. */
const LEASE_MS = 1_000;

interface Db {
  name: string;
  env: Record<string, string>;
  dispose(): Promise<void>;
}

async function pgliteDb(): Promise<Db> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gameday-recovery-'));
  cpSync(join(await pgliteTemplate(), 'pglite'), join(dataDir, 'pglite'), { recursive: true });
  return { name: 'pglite', env: { DATA_DIR: dataDir }, dispose: async () => rmSync(dataDir, { recursive: true, force: true }) };
}

async function postgresDb(url: string): Promise<Db> {
  // Other runs share the `test` database: this test gets a database of its own and drops it after.
  const dbName = `gameday_recovery_${randomUUID().slice(0, 8)}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${dbName}`);
  await admin.end();
  const own = new URL(url);
  own.pathname = `/${dbName}`;
  return {
    name: 'postgres',
    env: { DATABASE_URL: own.toString(), DATA_DIR: 'memory://' },
    dispose: async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`drop database if exists ${dbName} with (force)`);
      await c.end();
    },
  };
}

interface Proc {
  url: string;
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

async function startProcess(port: number, env: Record<string, string>): Promise<Proc> {
  const child = spawn(process.execPath, ['server/main.ts'], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', CLIENT_DIST: 'test/server/no-client-here', RECOVERY_LEASE_MS: String(LEASE_MS), TRAINER_USERS: 'ann,tess', SESSION_SECRET: 'recovery-test-session-secret-0123456789abcdef', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${output}`);
    if (await fetch(`${url}/healthz`).then((r) => r.ok, () => false)) return { url, child, output: () => output, exited };
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server not healthy within 90 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function live(url: string, matchId: string): Promise<LiveMatchInfo | null> {
  const res = await fetch(`${url}/api/matches/${matchId}/live`);
  return res.status === 200 ? ((await res.json()) as LiveMatchInfo) : null;
}

type PlayerView = { name: string; team: string; trainer: boolean; actions: number; connected: boolean };
type State = { matchId: string; phase: string; players: Map<string, PlayerView>; teams: Map<string, { score: number }> };
const state = (room: Room) => room.state as unknown as State;

const backends: (() => Promise<Db>)[] = [pgliteDb];
if (process.env.TEST_DATABASE_URL) backends.push(() => postgresDb(process.env.TEST_DATABASE_URL!));

for (const open of backends) {
  describe(`a match survives kill -9 of its server (${open === pgliteDb ? 'pglite' : 'postgres'})`, () => {
    let db: Db;
    let port: number;
    let first: Proc;
    let second: Proc | undefined;
    const rooms: Room[] = [];
    const tokens = { ann: `ann-${randomUUID()}`, bob: `bob-${randomUUID()}` };
    const acknowledged: { player: string; command: string }[] = [];
    let matchId = '';
    let roomId = '';
    let before: LiveMatchInfo;

    beforeAll(async () => {
      db = await open();
      port = await freePort();
      first = await startProcess(port, db.env);
    }, 120_000);

    afterAll(async () => {
      for (const room of rooms) if (room.connection.isOpen) await room.leave().catch(() => undefined);
      for (const proc of [first, second]) if (proc && proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill('SIGKILL');
      await Promise.all([first?.exited, second?.exited]);
      await db?.dispose();
    }, 30_000);

    it('acknowledges actions only once journaled, then the process is killed with SIGKILL', async () => {
      const ann = await new Client(first.url).create('match', { name: 'ann', trainer: true, token: await signIn(first.url, 'ann'), seed: 7, timeDilation: 2, durationSeconds: 120, seatToken: tokens.ann });
      rooms.push(ann);
      const bob = await new Client(first.url).joinById(ann.roomId, { name: 'bob', seatToken: tokens.bob });
      rooms.push(bob);
      for (const r of [ann, bob]) r.reconnection.enabled = false; // the test rejoins itself, as the page does
      await waitFor(() => state(ann).players?.size === 2, 'both players');
      matchId = state(ann).matchId;
      roomId = ann.roomId;

      const commands: [Room, string, string][] = [
        [ann, 'ann', 'kubectl scale deployment frontend --replicas=3'],
        [bob, 'bob', 'kubectl scale deployment cartservice --replicas=2'],
        [ann, 'ann', 'kubectl rollout restart deployment/frontend'],
        [bob, 'bob', 'kubectl scale deployment frontend --replicas=2'],
      ];
      for (const [i, [room, player, command]] of commands.entries()) {
        const reply = await ask(room, 'kubectl', { id: `c${i}`, command });
        expect(reply, command).toMatchObject({ ok: true });
        acknowledged.push({ player, command });
      }
      expect(await ask(ann, 'control', { id: 'pause', op: 'pause' })).toMatchObject({ ok: true });
      before = (await live(first.url, matchId))!;
      expect(before).toMatchObject({ matchId, roomId, phase: 'paused', restored: false, journaled: 7 }); // 2 joins, 4 actions, pause
      expect(before.hash).toMatch(/^[0-9a-f]{16}$/);

      first.child.kill('SIGKILL');
      expect(await first.exited).toBeNull();
    }, 30_000);

    it('is rebuilt by a new process on the same database with the same state hash, under the same room id', async () => {
      second = await startProcess(port, db.env);
      let info: LiveMatchInfo | null = null;
      for (const deadline = Date.now() + 15_000; !info && Date.now() < deadline; ) {
        info = await live(second.url, matchId);
        if (!info) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(info, second.output()).toMatchObject({ matchId, roomId, phase: 'paused', restored: true, tick: before.tick, hash: before.hash, teams: before.teams });
      expect(info!.players).toEqual(before.players.map((p) => ({ ...p, present: false })));
    }, 30_000);

    it('lets the players take their seats back (team, role, actions, score) and nobody else', async () => {
      await expect(rejoinMatch(new Client(second!.url), roomId, { name: 'bob', seatToken: `mallory-${randomUUID()}` }, { timeoutMs: 2_000 })).rejects.toThrow(/kept for its player/);
      const ann = await rejoinMatch(new Client(second!.url), roomId, { name: 'ann', trainer: true, token: await signIn(second!.url, 'ann'), seatToken: tokens.ann }, { timeoutMs: 10_000 });
      const bob = await rejoinMatch(new Client(second!.url), roomId, { name: 'bob', seatToken: tokens.bob }, { timeoutMs: 10_000 });
      rooms.push(ann, bob);
      await waitFor(() => state(bob).players?.size === 2 && state(bob).teams?.get('blue'), 'both players in the rebuilt room');
      const seats = [...state(bob).players.values()].map((p) => ({ name: p.name, team: p.team, trainer: p.trainer, actions: p.actions })).sort((a, b) => a.name.localeCompare(b.name));
      expect(seats).toEqual([
        { name: 'ann', team: 'blue', trainer: true, actions: 2 },
        { name: 'bob', team: 'blue', trainer: false, actions: 2 },
      ]);
      expect(state(bob).teams.get('blue')!.score).toBeCloseTo(before.teams[0]!.score, 6);
      expect(state(bob).phase).toBe('paused');

      // The trainer is still the trainer: the clock resumes, and the match plays to its end.
      const ended = nextMessage<MatchEndedMessage>(bob, 'matchEnded', () => true, 15_000);
      expect(await ask(ann, 'control', { id: 'resume', op: 'resume' })).toMatchObject({ ok: true });
      expect(await ask(ann, 'control', { id: 'speed', op: 'speed', timeDilation: 120 })).toMatchObject({ ok: true });
      const summary = (await ended).summary;

      const record = (await (await fetch(`${second!.url}/api/matches/${matchId}`)).json()) as MatchRecord;
      expect(record.actions.map((a) => a.player)).toEqual(acknowledged.map((a) => a.player));
      expect(record.actions.map((a) => a.action.type)).toEqual(['scaleDeployment', 'scaleDeployment', 'rolloutRestart', 'scaleDeployment']);
      expect(record.players.map((p) => [p.name, p.actions])).toEqual([['ann', 2], ['bob', 2]]);
      const { input } = resolveSimInput({ seed: 7, durationSeconds: 120 });
      expect(teamSummary(replayMatch(input, ['blue'], [{ team: 'blue', log: record.actions }]), 'blue')).toEqual(summary);
      // Archived: the live journal is gone.
      expect(await live(second!.url, matchId)).toBeNull();

      second!.child.kill('SIGTERM');
      expect(await second!.exited, second!.output()).toBe(0);
    }, 30_000);
  });
}

// With Redis (presence + driver) and a shared Postgres: the process hosting a match dies, and the
// other process, which keeps scanning for expired leases, restores the match under the same roomId;
// the client rejoins through the survivor. Runs only with both TEST_DATABASE_URL and TEST_REDIS_URL.
const redisUrl = process.env.TEST_REDIS_URL;
const sharedPostgres = process.env.TEST_DATABASE_URL;
if (redisUrl && sharedPostgres) {
  describe('with Redis, another process restores the match of a process that died', () => {
    let db: Db;
    const procs: Proc[] = [];
    const rooms: Room[] = [];

    beforeAll(async () => {
      db = await postgresDb(sharedPostgres);
      const ports = [await freePort(), await freePort()];
      for (const p of ports) procs.push(await startProcess(p, { ...db.env, REDIS_URL: redisUrl, PUBLIC_ADDRESS: `127.0.0.1:${p}` }));
    }, 90_000);

    afterAll(async () => {
      for (const room of rooms) if (room.connection.isOpen) await room.leave().catch(() => undefined);
      for (const proc of procs) if (proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill('SIGKILL');
      await Promise.all(procs.map((p) => p.exited));
      await db?.dispose();
    }, 30_000);

    it('rebuilds it on the survivor with the same hash, and the player gets the seat back there', async () => {
      const token = `tess-${randomUUID()}`;
      const tess = await new Client(procs[0]!.url).create('match', { name: 'tess', trainer: true, token: await signIn(procs[0]!.url, 'tess'), seed: 3, timeDilation: 2, durationSeconds: 120, seatToken: token });
      rooms.push(tess);
      tess.reconnection.enabled = false;
      await waitFor(() => state(tess).matchId, 'the first state');
      const matchId = state(tess).matchId;
      expect(await ask(tess, 'kubectl', { id: 'k1', command: 'kubectl scale deployment frontend --replicas=3' })).toMatchObject({ ok: true });
      expect(await ask(tess, 'control', { id: 'p', op: 'pause' })).toMatchObject({ ok: true });
      const hostPort = new URL(tess.connection.url ?? 'ws://x').port;
      const host = procs.find((p) => p.url.endsWith(`:${hostPort}`))!;
      const survivor = procs.find((p) => p !== host)!;
      const before = (await live(host.url, matchId))!;
      expect(before).toMatchObject({ phase: 'paused', journaled: 3 });

      host.child.kill('SIGKILL');
      await host.exited;
      let after: LiveMatchInfo | null = null;
      for (const deadline = Date.now() + 15_000; !after?.restored && Date.now() < deadline; ) {
        after = await live(survivor.url, matchId).catch(() => null);
        if (!after?.restored) await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(after, survivor.output()).toMatchObject({ matchId, roomId: tess.roomId, restored: true, tick: before.tick, hash: before.hash, phase: 'paused' });

      const back = await rejoinMatch(new Client(survivor.url), tess.roomId, { name: 'tess', trainer: true, token: await signIn(survivor.url, 'tess'), seatToken: token }, { timeoutMs: 10_000 });
      rooms.push(back);
      expect(new URL(back.connection.url ?? 'ws://x').port).toBe(new URL(survivor.url).port);
      await waitFor(() => state(back).players?.size === 1, 'the rejoined player');
      expect([...state(back).players.values()][0]).toMatchObject({ name: 'tess', team: 'blue', trainer: true, actions: 1 });
    }, 60_000);
  });
}
