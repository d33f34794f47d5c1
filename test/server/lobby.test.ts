/**
 * The lobby over real WebSocket clients (issue 8, "Lobby, teams and modes"): a team race created in
 * the lobby, players picking teams, readying up, the host starting it, notices naming players, the
 * live scoreboard everyone sees, spectators who watch without acting, roles enforced on the write
 * path, quick-play filtered by scenario and mode, and `GET /api/lobby`.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rejoinMatch } from '../../client/src/net/rejoin.ts';
import { Client, type Room } from '@colyseus/sdk';
import { snapshotState } from '../../client/src/view/stateMirror.ts';
import type { RunningServer } from '../../server/app.ts';
import type { NoticeMessage } from '../../shared/protocol.ts';
import { LOBBY_ERRORS, MATCH_ERRORS, advance, createMatch, join, matchHash, setReady, setRole, setTeam, start, submit } from '../../shared/game/index.ts';
import { JournalEntrySchema } from '../../server/db/journal.ts';
import { rebuildMatch } from '../../server/recovery/rebuild.ts';
import { resolveSimInput } from '../../server/scenarios/index.ts';
import { RECONNECT_SECONDS, type LiveMatchInfo } from '../../server/rooms/MatchRoom.ts';
import type { LobbyListing } from '../../server/http/lobby.ts';
import { ask, freePort, pgliteTemplate, signIn, startTestServer, waitFor } from './helpers.ts';

let server: RunningServer;
let client: Client;
const rooms: Room[] = [];
/** Every notice each room received, in order. */
const notices = new Map<Room, NoticeMessage[]>();

const state = (room: Room) => snapshotState(room.state);
const team = (room: Room, id: string) => state(room).teams.get(id);

function track(room: Room): Room {
  rooms.push(room);
  const seen: NoticeMessage[] = [];
  notices.set(room, seen);
  room.onMessage('notice', (n: NoticeMessage) => seen.push(n));
  return room;
}
const noticed = (room: Room, text: string) => waitFor(() => notices.get(room)!.find((n) => n.text === text), `notice "${text}"`);

beforeAll(async () => {
  server = await startTestServer();
  client = new Client(server.url);
});

afterAll(async () => {
  for (const room of rooms) if (room.connection.isOpen) await room.leave().catch(() => undefined);
  await server?.close();
});

describe('a team race from the lobby', () => {
  let ann: Room;
  let bob: Room;
  let sam: Room;

  it('is created in the lobby: nothing runs, ann is the host, the mode and teams are listed', async () => {
    ann = track(await client.joinOrCreate('match', { name: 'ann', scenario: 'guestbook', mode: 'race', lobby: true, seed: 11, durationSeconds: 3600 }));
    await waitFor(() => state(ann).players.size === 1 && state(ann).host !== '', 'ann seated');
    const s = state(ann);
    expect(s).toMatchObject({ phase: 'lobby', mode: 'race', roles: false, scenarioId: 'guestbook' });
    const me = [...s.players.values()][0]!;
    expect(me).toMatchObject({ name: 'ann', team: 'blue', ready: false, spectator: false, role: '' });
    expect(s.host).toBe(me.id);
    expect(s.scoreboard.map((r) => r.team).sort()).toEqual(['blue', 'red']);
    expect(await ask(ann, 'kubectl', { id: 'early', command: 'kubectl scale deployment frontend --replicas=2' })).toMatchObject({ ok: false, error: MATCH_ERRORS.lobby });
  });

  it('a second player joins and picks team red; both see notices naming each other', async () => {
    bob = track(await client.joinById(ann.roomId, { name: 'bob' }));
    await noticed(ann, 'bob joined team blue');
    expect(await ask(bob, 'lobby', { id: 't', op: 'team', value: 'red' })).toEqual({ id: 't', type: 'lobby', ok: true, output: 'bob moved to team red' });
    const moved = await noticed(ann, 'bob moved to team red');
    expect(moved.player).toBe('bob');
    await waitFor(() => [...state(ann).players.values()].find((p) => p.name === 'bob')?.team === 'red', "bob's seat on red");
    // bob's StateView now holds red's cluster, not blue's.
    await waitFor(() => (team(bob, 'red')?.nodes.size ?? 0) > 0 && (team(bob, 'blue')?.nodes.size ?? 0) === 0, "bob sees red's cluster only");
    expect(await ask(bob, 'lobby', { id: 'x', op: 'team', value: 'green' })).toMatchObject({ ok: false, error: 'team "green" is not in this match (teams: blue, red)' });
    expect(await ask(bob, 'lobby', { id: 'y', op: 'dance' })).toMatchObject({ ok: false, error: expect.stringMatching(/^invalid message: /) });
  });

  it('only the host starts, once everyone is ready', async () => {
    expect(await ask(bob, 'lobby', { id: 's0', op: 'start' })).toMatchObject({ ok: false, error: LOBBY_ERRORS.notHost });
    expect(await ask(ann, 'lobby', { id: 's1', op: 'start' })).toMatchObject({ ok: false, error: 'not everyone is ready: waiting for ann, bob (the host may force the start)' });
    expect(await ask(ann, 'lobby', { id: 'r1', op: 'ready' })).toMatchObject({ ok: true, output: 'ann is ready' });
    expect(await ask(bob, 'lobby', { id: 'r2', op: 'ready', value: true })).toMatchObject({ ok: true, output: 'bob is ready' });
    await noticed(bob, 'ann is ready');
    await noticed(ann, 'bob is ready');
    await waitFor(() => [...state(bob).players.values()].every((p) => p.ready), 'both ready in the state');
    expect(await ask(ann, 'lobby', { id: 's2', op: 'start' })).toMatchObject({ ok: true, output: 'ann started the match' });
    await noticed(bob, 'ann started the match');
    await waitFor(() => state(bob).phase === 'running' && state(bob).t > 0, 'the match running');
    expect(await ask(ann, 'lobby', { id: 'r3', op: 'ready', value: false })).toMatchObject({ ok: false, error: LOBBY_ERRORS.notInLobby });
  });

  it("names the player on the events their action caused, and the live scoreboard follows each team's score", async () => {
    const node = [...team(bob, 'red')!.nodes.keys()].sort()[0]!;
    expect(await ask(bob, 'kubectl', { id: 'c', command: `kubectl cordon ${node}` })).toMatchObject({ ok: true });
    const ev = await waitFor(() => team(bob, 'red')!.events.find((e) => e.source === 'bob'), "an event naming bob");
    expect(ev.name).toBe(node);
    for (const room of [ann, bob]) {
      const board = await waitFor(() => {
        const rows = state(room).scoreboard;
        return rows.length === 2 && rows[0]!.team === 'blue' && rows[0]!.score > rows[1]!.score ? rows : undefined;
      }, 'blue ahead on the scoreboard');
      expect(board.map((r) => [r.team, r.rank])).toEqual([['blue', 1], ['red', 2]]);
    }
  });

  it('a spectator sees every team and the scoreboard but cannot act', async () => {
    sam = track(await client.joinById(ann.roomId, { name: 'sam', spectator: true }));
    await noticed(ann, 'sam is watching (spectator)');
    await waitFor(() => (team(sam, 'red')?.nodes.size ?? 0) > 0 && (team(sam, 'blue')?.nodes.size ?? 0) > 0 && state(sam).scoreboard.length === 2, 'sam sees both teams');
    expect([...state(sam).players.values()].find((p) => p.name === 'sam')).toMatchObject({ spectator: true });
    expect(await ask(sam, 'kubectl', { id: 'w', command: 'kubectl scale deployment frontend --replicas=4' })).toMatchObject({ ok: false, error: LOBBY_ERRORS.spectatorAct });
    expect(await ask(sam, 'action', { id: 'a', action: { type: 'scaleDeployment', deployment: 'frontend', replicas: 4 } })).toMatchObject({ ok: false, error: LOBBY_ERRORS.spectatorAct });
    expect(await ask(sam, 'lobby', { id: 'l', op: 'ready' })).toMatchObject({ ok: false, error: LOBBY_ERRORS.spectatorLobby });
    expect(await ask(sam, 'kubectl', { id: 'r', command: 'kubectl get nodes' })).toMatchObject({ ok: true });
    expect(state(sam).host).toBe([...state(sam).players.values()].find((p) => p.name === 'ann')!.id);
  });

  it('a player who leaves and rejoins by name gets the same team back', async () => {
    expect(RECONNECT_SECONDS).toBe(60);
    await bob.leave();
    await noticed(ann, 'bob left');
    bob = track(await client.joinById(ann.roomId, { name: 'bob' }));
    await waitFor(() => [...state(bob).players.values()].find((p) => p.name === 'bob')?.team === 'red', 'bob back on red');
    expect(await ask(bob, 'kubectl', { id: 'back', command: 'kubectl get pods' })).toMatchObject({ ok: true });
  });

  it('is listed by GET /api/lobby with its scenario, mode, phase, teams and players', async () => {
    const res = await fetch(`${server.url}/api/lobby?scenario=guestbook&mode=race`);
    expect(res.status).toBe(200);
    const list = (await res.json()) as LobbyListing[];
    const mine = list.find((l) => l.roomId === ann.roomId);
    expect(mine).toMatchObject({ scenario: 'guestbook', mode: 'race', roles: false, phase: 'running', teams: 2, players: 2, clients: 3 });
    expect(mine!.scenarioTitle.length).toBeGreaterThan(0);
    const none = (await (await fetch(`${server.url}/api/lobby?mode=redblue`)).json()) as LobbyListing[];
    expect(none.find((l) => l.roomId === ann.roomId)).toBeUndefined();
    const bad = await fetch(`${server.url}/api/lobby?mode=chess`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/^invalid query: mode: expected one of solo, coop, race, redblue/);
  });
});

describe('roles', () => {
  it('only operations changes the cluster; a communications player is refused with a clear error', async () => {
    const cora = track(await client.create('match', { name: 'cora', scenario: 'first-oom', mode: 'coop', roles: true, role: 'communications', seed: 5 }));
    const otto = track(await client.joinById(cora.roomId, { name: 'otto', role: 'operations' }));
    await waitFor(() => state(otto).players.size === 2 && state(cora).players.size === 2 && (team(otto, 'blue')?.deployments.size ?? 0) > 0, 'both seated');
    expect(state(cora)).toMatchObject({ mode: 'coop', roles: true, phase: 'running' });
    expect([...state(cora).players.values()].map((p) => [p.name, p.role]).sort()).toEqual([['cora', 'communications'], ['otto', 'operations']]);
    const deployment = [...team(otto, 'blue')!.deployments.keys()].sort()[0]!.split('/')[1]!;
    const refused = await ask(cora, 'kubectl', { id: 'c', command: `kubectl scale deployment ${deployment} --replicas=3` });
    expect(refused).toMatchObject({ ok: false, error: expect.stringContaining('roles are on in this match: only operations changes the cluster (your role: communications') });
    expect(await ask(otto, 'kubectl', { id: 'o', command: `kubectl scale deployment ${deployment} --replicas=3` })).toMatchObject({ ok: true });
    expect(await ask(cora, 'lobby', { id: 'r', op: 'role', value: 'operations' })).toMatchObject({ ok: true, output: 'cora is operations' });
    await waitFor(() => [...state(otto).players.values()].find((p) => p.name === 'cora')?.role === 'operations', "cora's role in the state");
    expect(await ask(cora, 'kubectl', { id: 'c2', command: `kubectl scale deployment ${deployment} --replicas=2` })).toMatchObject({ ok: true });
  });

  it('refuses a mode with the wrong team count at creation', async () => {
    await expect(client.create('match', { name: 'zed', mode: 'coop', teams: 3 })).rejects.toThrow(/a co-op match has exactly 1 team/);
    await expect(client.create('match', { name: 'zed', mode: 'race', teams: 1 })).rejects.toThrow(/a team race needs 2 to 8 teams, got 1/);
  });
});

describe('quick-play', () => {
  it('lands only in a match of the scenario and mode asked for', async () => {
    const guestbookRace = rooms[0]!; // ann's
    const oomCoop = rooms.find((r) => state(r).scenarioId === 'first-oom')!;
    const q1 = track(await client.joinOrCreate('match', { name: 'q1', scenario: 'guestbook', mode: 'race' }));
    expect(q1.roomId).toBe(guestbookRace.roomId);
    const q2 = track(await client.joinOrCreate('match', { name: 'q2', scenario: 'first-oom' }));
    expect(q2.roomId).toBe(oomCoop.roomId);
    const q3 = track(await client.joinOrCreate('match', { name: 'q3', scenario: 'guestbook', mode: 'coop' }));
    expect([guestbookRace.roomId, oomCoop.roomId]).not.toContain(q3.roomId);
    const q4 = track(await client.joinOrCreate('match', { name: 'q4', scenario: 'voting-bad-release', mode: 'race' }));
    expect([guestbookRace.roomId, oomCoop.roomId, q3.roomId]).not.toContain(q4.roomId);
    await waitFor(() => state(q4).scenarioId === 'voting-bad-release' && state(q4).mode === 'race', 'a new race of the asked scenario');
  });

  it('a solo match has one player seat', async () => {
    const solo = track(await client.create('match', { name: 'sol', scenario: 'first-oom', mode: 'solo' }));
    await waitFor(() => state(solo).players.size === 1, 'sol seated');
    await expect(client.joinById(solo.roomId, { name: 'two' })).rejects.toThrow(LOBBY_ERRORS.soloFull);
    const watcher = track(await client.joinById(solo.roomId, { name: 'eye', spectator: true }));
    await waitFor(() => state(watcher).players.size === 2, 'the spectator in');
    const listed = ((await (await fetch(`${server.url}/api/lobby?mode=solo`)).json()) as LobbyListing[]).find((l) => l.roomId === solo.roomId);
    expect(listed).toMatchObject({ mode: 'solo', players: 1, maxPlayers: 1, clients: 2 });
    // Quick-play for solo practice always gets a match of its own.
    const q = track(await client.joinOrCreate('match', { name: 'q5', scenario: 'first-oom', mode: 'solo' }));
    expect(q.roomId).not.toBe(solo.roomId);
  });
});

describe('crash recovery of the lobby', () => {
  it('replays team, role, ready and start from the journal to the live match', () => {
    const setup = { scenario: 'guestbook', scenarioId: 'guestbook', title: 'Guestbook', durationSeconds: 600, teams: ['blue', 'red'], timeDilation: 4, settings: { mode: 'race' as const, roles: true, lobby: true } };
    const raw: { tick: number; entry: unknown }[] = [
      { tick: 0, entry: { kind: 'join', name: 'ann', team: 'blue', trainer: false, tokenHash: null, role: 'operations' } },
      { tick: 0, entry: { kind: 'join', name: 'bob', team: 'blue', trainer: false, tokenHash: null } },
      { tick: 0, entry: { kind: 'join', name: 'sam', team: 'blue', trainer: false, tokenHash: null, spectator: true } },
      { tick: 0, entry: { kind: 'lobby', player: 'bob', op: 'team', value: 'red' } },
      { tick: 0, entry: { kind: 'lobby', player: 'bob', op: 'role', value: 'operations' } },
      { tick: 0, entry: { kind: 'lobby', player: 'ann', op: 'ready', value: true } },
      { tick: 0, entry: { kind: 'lobby', player: 'bob', op: 'ready', value: true } },
      { tick: 0, entry: { kind: 'lobby', player: 'ann', op: 'start', value: false } },
      { tick: 3, entry: { kind: 'action', team: 'red', player: 'bob', action: { type: 'scaleDeployment', deployment: 'frontend', replicas: 4 } } },
    ];
    // What the database hands back is validated with the journal's schema.
    const entries = raw.map((r, seq) => ({ seq, tick: r.tick, entry: JournalEntrySchema.parse(r.entry) }));
    const row = { matchId: 'm-lobby', roomId: 'r-lobby', seed: 9, setup, owner: 'test', leaseExpiresAt: new Date(0), journalLength: entries.length, durableTick: 6, startedAt: new Date(0) };
    const rebuilt = rebuildMatch(row, entries, null);

    // The same calls, live.
    const { input } = resolveSimInput({ scenario: 'guestbook', seed: 9, durationSeconds: 600 });
    const live = createMatch({ input, teams: ['blue', 'red'], settings: setup.settings });
    const ann = join(live, { name: 'ann', team: 'blue', role: 'operations' });
    const bob = join(live, { name: 'bob', team: 'blue' });
    join(live, { name: 'sam', team: 'blue', spectator: true });
    if (!ann.ok || !bob.ok) throw new Error('seats refused');
    setTeam(live, bob.player.id, 'red');
    setRole(live, bob.player.id, 'operations');
    setReady(live, ann.player.id, true);
    setReady(live, bob.player.id, true);
    expect(start(live, ann.player.id)).toMatchObject({ ok: true });
    for (let i = 0; i < 3; i++) advance(live);
    expect(submit(live, bob.player.id, { type: 'scaleDeployment', deployment: 'frontend', replicas: 4 })).toMatchObject({ ok: true });
    for (let i = 0; i < 3; i++) advance(live);

    expect(rebuilt.tick).toBe(6);
    expect(rebuilt.match.phase).toBe('running');
    expect(rebuilt.match.settings).toEqual(setup.settings);
    expect(rebuilt.match.players.map((p) => [p.name, p.team, p.role, p.spectator, p.ready, p.present])).toEqual([
      ['ann', 'blue', 'operations', false, true, false],
      ['bob', 'red', 'operations', false, true, false],
      ['sam', 'blue', null, true, false, false],
    ]);
    expect(matchHash(rebuilt.match)).toBe(matchHash(live));
    expect(() => JournalEntrySchema.parse({ kind: 'lobby', player: 'bob', op: 'ready', value: 'yes' })).toThrow();
  });
});

// kill -9 with a lobby: a real server process, SIGKILL, a second process on the same PGlite directory.
describe('a lobby match survives kill -9 of its server', () => {
  const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
  interface Proc { url: string; child: ChildProcess; output(): string; exited: Promise<number | null> }
  let dataDir = '';
  let port = 0;
  const procs: Proc[] = [];
  const opened: Room[] = [];

  async function startProcess(): Promise<Proc> {
    const child = spawn(process.execPath, ['server/main.ts'], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', CLIENT_DIST: 'test/server/no-client-here', RECOVERY_LEASE_MS: '1000', DATA_DIR: dataDir, TRAINER_USERS: 'ann' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const url = `http://127.0.0.1:${port}`;
    const proc = { url, child, output: () => output, exited };
    procs.push(proc);
    for (const deadline = Date.now() + 45_000; !(await fetch(`${url}/healthz`).then((r) => r.ok, () => false)); ) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`server not healthy:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return proc;
  }
  const live = async (url: string, matchId: string): Promise<LiveMatchInfo | null> => {
    const res = await fetch(`${url}/api/matches/${matchId}/live`);
    return res.status === 200 ? ((await res.json()) as LiveMatchInfo) : null;
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(joinPath(tmpdir(), 'gameday-lobby-recovery-'));
    cpSync(joinPath(await pgliteTemplate(), 'pglite'), joinPath(dataDir, 'pglite'), { recursive: true });
    port = await freePort();
  }, 60_000);

  afterAll(async () => {
    for (const room of opened) if (room.connection.isOpen) await room.leave().catch(() => undefined);
    for (const p of procs) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
    await Promise.all(procs.map((p) => p.exited));
    rmSync(dataDir, { recursive: true, force: true });
  }, 30_000);

  it('keeps teams, roles, readiness and the start; players rejoin with team and role', async () => {
    const first = await startProcess();
    const tokens = { ann: `ann-${randomUUID()}`, bob: `bob-${randomUUID()}` };
    const c1 = new Client(first.url);
    const ann = await c1.create('match', { name: 'ann', trainer: true, token: await signIn(first.url, 'ann'), scenario: 'guestbook', mode: 'race', roles: true, role: 'operations', lobby: true, seed: 3, durationSeconds: 600, seatToken: tokens.ann });
    const bob = await c1.joinById(ann.roomId, { name: 'bob', role: 'commander', seatToken: tokens.bob });
    opened.push(ann, bob);
    for (const r of [ann, bob]) r.reconnection.enabled = false;
    await waitFor(() => snapshotState(ann.state).players.size === 2, 'both seated');
    const matchId = snapshotState(ann.state).matchId;
    for (const [room, msg] of [
      [bob, { op: 'team', value: 'red' }],
      [bob, { op: 'role', value: 'operations' }],
      [ann, { op: 'ready' }],
      [bob, { op: 'ready' }],
      [ann, { op: 'start' }],
    ] as const) {
      expect(await ask(room, 'lobby', { id: `${msg.op}`, ...msg }), msg.op).toMatchObject({ ok: true });
    }
    expect(await ask(bob, 'kubectl', { id: 'k', command: 'kubectl scale deployment frontend --replicas=2' })).toMatchObject({ ok: true });
    expect(await ask(ann, 'control', { id: 'p', op: 'pause' })).toMatchObject({ ok: true });
    const before = (await live(first.url, matchId))!;
    expect(before).toMatchObject({ phase: 'paused', journaled: 9 }); // 2 joins, 5 lobby, 1 action, pause
    first.child.kill('SIGKILL');
    await first.exited;

    const second = await startProcess();
    const info = await (async () => {
      for (const deadline = Date.now() + 15_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 100))) {
        const got = await live(second.url, matchId);
        if (got) return got;
      }
      return null;
    })();
    expect(info, second.output()).toMatchObject({ restored: true, phase: 'paused', tick: before.tick, hash: before.hash, teams: before.teams });
    // bob names no team: he gets red back, and his role.
    const back = await rejoinMatch(new Client(second.url), ann.roomId, { name: 'bob', seatToken: tokens.bob }, { timeoutMs: 10_000 });
    opened.push(back);
    const s = await waitFor(() => {
      const st = snapshotState(back.state);
      return st.players.size === 1 && (st.teams.get('red')?.nodes.size ?? 0) > 0 ? st : undefined;
    }, 'bob in the rebuilt room');
    expect([...s.players.values()][0]).toMatchObject({ name: 'bob', team: 'red', role: 'operations', ready: true, actions: 1 });
    expect(s).toMatchObject({ phase: 'paused', mode: 'race', roles: true });
    second.child.kill('SIGTERM');
    expect(await second.exited, second.output()).toBe(0);
  }, 90_000);
});
