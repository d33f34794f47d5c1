/**
 * Workshops (issue 10) end to end on a real server with real Colyseus clients: a trainer creates a
 * workshop over HTTP, players find it by code and join its room, the server balances the teams, the
 * trainer moves a player, starts, pauses, resumes, changes the speed, plans an injection that fires
 * at its sim second (players never saw it before), messages one team, ends the match, opens the next
 * one and downloads the debrief (JSON, CSV, Markdown).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, type Room } from '@colyseus/sdk';
import type { NoticeMessage, ReplyMessage, WorkshopMessage } from '../../shared/protocol.ts';
import type { RunningServer } from '../../server/app.ts';
import { replayRecord } from '../../server/scenarios/replay.ts';
import { JournalEntrySchema } from '../../server/db/journal.ts';
import { rebuildMatch } from '../../server/recovery/rebuild.ts';
import { getTeam } from '../../shared/game/index.ts';
import { ask, nextMessage, signIn, startTestServer, waitFor } from './helpers.ts';

let server: RunningServer;
let coach: string;
const rooms: Room[] = [];

interface PlayerState {
  name: string;
  team: string;
  trainer: boolean;
  spectator: boolean;
}
interface RoomState {
  phase: string;
  t: number;
  timeDilation: number;
  players: Map<string, PlayerState>;
  teams: Map<string, { incidents: Map<string, unknown> | { size: number } }>;
}
const state = (room: Room) => room.state as unknown as RoomState;
const teamOf = (room: Room, name: string) => [...state(room).players.values()].find((p) => p.name === name)?.team;

/** An HTTP answer: status, JSON body (null when not JSON), raw text, content type. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test bodies are checked field by field
type Answer = { status: number; body: any; text: string; type: string | null };

/** Polls an async `probe` every 50 ms until it gives a truthy value, or fails after `timeoutMs`. */
async function until<T>(probe: () => Promise<T | null | undefined | false>, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function api(method: string, path: string, token?: string, body?: unknown): Promise<Answer> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = null;
  }
  return { status: res.status, body: parsed, text, type: res.headers.get('content-type') };
}

async function join(roomId: string, options: Record<string, unknown>): Promise<Room> {
  const room = await new Client(server.url).joinById(roomId, options);
  rooms.push(room);
  await waitFor(() => state(room).players?.size > 0, 'the first state');
  return room;
}

beforeAll(async () => {
  server = await startTestServer({ TRAINER_USERS: 'coach,other-coach' });
  coach = await signIn(server.url, 'coach');
});

afterAll(async () => {
  // A room that closed already (the old one, after `next`) never answers a leave: don't wait for it.
  await Promise.all(rooms.map((room) => Promise.race([room.leave().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 1_000))])));
  await server?.close();
});

describe('a workshop', () => {
  let ws: { id: string; code: string; roomId: string; joinUrl: string; settings: Record<string, unknown>; status: string };
  let trainer: Room;
  let ann: Room;
  let bob: Room;
  let cid: Room;
  let dee: Room;
  /** The timed injection's start, team sim seconds. */
  let at = 0;

  it('is created by a trainer with its join code, join URL and a first room in the lobby', async () => {
    const res = await api('POST', '/api/workshops', coach, { title: 'Friday drill', scenarios: ['guestbook', 'first-oom'], teams: 2, mode: 'race', durationSeconds: 600, timeDilation: 2 });
    expect(res.status).toBe(201);
    ws = res.body;
    expect(ws.code).toMatch(/^[0-9A-HJKMNP-TV-Z]{10}$/);
    expect(ws.joinUrl).toMatch(new RegExp(`^http://[^/]+/\\?workshop=${ws.code}$`));
    expect(new URL(ws.joinUrl).searchParams.get('workshop')).toBe(ws.code);
    expect(ws).toMatchObject({ title: 'Friday drill', status: 'open', settings: { scenarios: ['guestbook', 'first-oom'], teams: 2, mode: 'race', durationSeconds: 600, timeDilation: 2, roles: false, teamChoice: 'auto' } });
    expect(ws.roomId).toEqual(expect.any(String));
    // Defaults and validation: the first scenario's time dilation; bad bodies name the field.
    const bad = await api('POST', '/api/workshops', coach, { scenarios: ['nope'], teams: 9, mode: 'race' });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/scenarios\.0: unknown scenario.*teams: teams must be 1 to 8/);
    const coop = await api('POST', '/api/workshops', coach, { scenarios: ['guestbook'], teams: 2, mode: 'coop' });
    expect(coop).toMatchObject({ status: 400, body: { error: expect.stringMatching(/co-op match has exactly 1 team/) } });
  });

  it('is found by code (any case, no auth) without the trainer\'s plan', async () => {
    const res = await api('GET', `/api/workshops/by-code/${ws.code.toLowerCase()}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: ws.id, title: 'Friday drill', status: 'open', roomId: ws.roomId, teams: 2, teamChoice: 'auto', mode: 'race' });
    expect((await api('GET', '/api/workshops/by-code/ZZZZZZZZZZ')).status).toBe(404);
  });

  it('seats players by code on balanced teams; the trainer joins as a spectating trainer', async () => {
    trainer = await join(ws.roomId, { name: 'coach', token: coach, trainer: true, workshop: ws.code });
    ann = await join(ws.roomId, { name: 'ann', workshop: ws.code });
    bob = await join(ws.roomId, { name: 'bob', workshop: ws.code.toLowerCase(), team: 'blue' });
    cid = await join(ws.roomId, { name: 'cid', workshop: ws.code });
    dee = await join(ws.roomId, { name: 'dee', workshop: ws.code });
    await waitFor(() => state(trainer).players.size === 5, 'five seats');
    expect(['ann', 'bob', 'cid', 'dee'].map((n) => teamOf(trainer, n))).toEqual(['blue', 'red', 'blue', 'red']);
    expect([...state(trainer).players.values()].find((p) => p.name === 'coach')).toMatchObject({ trainer: true, spectator: true });
    await expect(new Client(server.url).joinById(ws.roomId, { name: 'eve' })).rejects.toThrow(/join it with its code/);
    await expect(new Client(server.url).joinById(ws.roomId, { name: 'eve', workshop: 'AAAAAAAAAA' })).rejects.toThrow(/wrong workshop code/);
    expect(state(ann).phase).toBe('lobby');
  });

  it("lets only the trainer place players and start: players' team picks and the host's start are refused", async () => {
    expect(await ask(ann, 'lobby', { id: 'l1', op: 'team', value: 'red' })).toMatchObject({ ok: false, error: expect.stringMatching(/trainer places players on teams/) });
    expect(await ask(ann, 'lobby', { id: 'l2', op: 'start', value: true })).toMatchObject({ ok: false, error: "only this workshop's trainer (coach) may start the match" });
    const moved = await ask(trainer, 'control', { id: 'm1', op: 'move', player: 'cid', team: 'red' });
    expect(moved).toMatchObject({ ok: true, output: 'cid was moved to team red by coach' });
    await waitFor(() => teamOf(cid, 'cid') === 'red', 'cid on red');
    expect(await ask(trainer, 'control', { id: 'm2', op: 'move', player: 'dee', team: 'blue' })).toMatchObject({ ok: true });
    expect(await ask(trainer, 'control', { id: 'm3', op: 'move', player: 'nobody', team: 'blue' })).toMatchObject({ ok: false, error: 'no player named "nobody" in this match' });
    const started = await ask(trainer, 'lobby', { id: 's1', op: 'start', value: true });
    expect(started).toMatchObject({ ok: true });
    await waitFor(() => state(ann).phase === 'running', 'running');
    await until(async () => (await api('GET', `/api/workshops/${ws.id}`, coach)).body.status === 'running', 'workshop running');
  });

  it('is shown to its trainer with its roster by team', async () => {
    const res = await api('GET', `/api/workshops/${ws.id}`, coach);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: ws.id, code: ws.code, status: 'running', roomId: ws.roomId, room: { phase: 'running' }, matches: [] });
    const roster = Object.fromEntries((res.body.roster as { team: string; players: { name: string }[] }[]).map((r) => [r.team, r.players.map((p) => p.name).sort()]));
    expect(roster).toEqual({ blue: ['ann', 'dee'], red: ['bob', 'cid'] });
    const list = await api('GET', '/api/workshops', coach);
    expect(list.body.map((w: { id: string }) => w.id)).toContain(ws.id);
    // Every workshop route is in the OpenAPI document (/docs).
    const paths = Object.keys((await api('GET', '/docs/json')).body.paths as Record<string, unknown>);
    expect(paths.filter((p) => p.startsWith('/api/workshops')).sort()).toEqual([
      '/api/workshops',
      '/api/workshops/by-code/{code}',
      '/api/workshops/{id}',
      '/api/workshops/{id}/debrief',
      '/api/workshops/{id}/next',
      '/api/workshops/{id}/postmortems.md',
      '/api/workshops/{id}/qr.svg',
    ]);
    const qr = await api('GET', `/api/workshops/${ws.id}/qr.svg`, coach);
    expect(qr.status).toBe(200);
    expect(qr.type).toMatch(/^image\/svg\+xml/);
    expect(qr.text).toMatch(/^<svg/);
  });

  it('pauses, resumes and changes the speed; players may not', async () => {
    expect(await ask(ann, 'control', { id: 'p0', op: 'pause' })).toMatchObject({ ok: false, error: "only this workshop's trainer (coach) may use the game-master controls (control op pause)" });
    expect(await ask(trainer, 'control', { id: 'p1', op: 'pause' })).toMatchObject({ ok: true, output: 'paused' });
    await waitFor(() => state(ann).phase === 'paused', 'paused');
    expect(await ask(trainer, 'control', { id: 'p2', op: 'resume' })).toMatchObject({ ok: true });
    expect(await ask(trainer, 'control', { id: 'p3', op: 'speed', timeDilation: 30 })).toMatchObject({ ok: true });
    await waitFor(() => state(ann).timeDilation === 30, 'speed 30');
  });

  it('starts a timed injection at its sim second; players never see it before', async () => {
    const incidentsOf = (room: Room, team: string) => {
      const incidents = (state(room).teams.get(team) as unknown as { incidents: Map<string, { id: string }> }).incidents;
      return [...incidents.values()].map((i) => JSON.stringify(i));
    };
    const plans: WorkshopMessage[] = [];
    trainer.onMessage('workshop', (m: WorkshopMessage) => plans.push(m));
    const annNotices: unknown[] = [];
    ann.onMessage('workshop', (m) => annNotices.push(m));
    const t0 = state(trainer).t;
    const reply = await ask(trainer, 'control', { id: 'ti', op: 'inject', team: 'blue', atSeconds: 60, incident: { type: 'bad-rollout', target: 'frontend', title: 'Surprise' } });
    expect(reply).toMatchObject({ ok: true, output: expect.stringMatching(/^incident timed-1 \(bad-rollout\) will start on team blue at t=\d+s \(in 60 sim s\)$/) });
    at = Number(/at t=(\d+)s/.exec(reply.output!)![1]);
    expect(at).toBeGreaterThanOrEqual(t0 + 60);
    await waitFor(() => plans.some((p) => p.op === 'plan' && p.pending.some((x) => x.id === 'timed-1' && x.atSeconds === at)), 'the plan');
    const before = incidentsOf(ann, 'blue').length;
    // While it is pending nobody's view holds it.
    const seenEarly: number[] = [];
    const watch = setInterval(() => {
      if (state(ann).t < at && incidentsOf(ann, 'blue').some((i) => i.includes('Surprise') || i.includes('timed-1'))) seenEarly.push(state(ann).t);
    }, 20);
    await waitFor(() => plans.some((p) => p.op === 'plan' && p.pending.length === 0), 'the plan empty once it started', 20_000);
    clearInterval(watch);
    expect(seenEarly).toEqual([]);
    expect(annNotices).toEqual([]);
    await waitFor(() => incidentsOf(trainer, 'blue').length > before, 'the incident in the view', 10_000);
    // It started at its sim second exactly: the live match says so.
    const info = await until(async () => {
      const res = await api('GET', `/api/workshops/${ws.id}`, coach);
      return res.body.room as { pending: unknown[] };
    }, 'info');
    expect(info.pending).toEqual([]);
  });

  it('sends a message to one team only', async () => {
    const got = new Map<string, NoticeMessage[]>();
    for (const [name, room] of [['ann', ann], ['bob', bob], ['cid', cid], ['dee', dee]] as const) {
      got.set(name, []);
      room.onMessage('notice', (n: NoticeMessage) => got.get(name)!.push(n));
    }
    expect(await ask(ann, 'control', { id: 'x0', op: 'message', text: 'hi' })).toMatchObject({ ok: false });
    const sent = await ask(trainer, 'control', { id: 'x1', op: 'message', team: 'red', kind: 'hint', text: 'Look at the "frontend" rollout, please' });
    expect(sent).toMatchObject({ ok: true, output: 'hint sent to team red (2 players connected)' });
    await waitFor(() => got.get('bob')!.some((n) => n.kind === 'hint') && got.get('cid')!.some((n) => n.kind === 'hint'), 'red got it');
    expect(got.get('bob')!.find((n) => n.kind === 'hint')).toMatchObject({ text: 'Look at the "frontend" rollout, please', kind: 'hint', from: 'coach', team: 'red' });
    const tooLong = await ask(trainer, 'control', { id: 'x2', op: 'message', text: 'x'.repeat(501) });
    expect(tooLong).toMatchObject({ ok: false, error: expect.stringMatching(/at most 500 characters/) });
    expect(await ask(trainer, 'control', { id: 'x3', op: 'message', text: 'to everyone' })).toMatchObject({ ok: true });
    await waitFor(() => got.get('ann')!.some((n) => n.text === 'to everyone'), 'ann got the broadcast');
    expect(got.get('ann')!.some((n) => n.kind === 'hint')).toBe(false);
    expect(got.get('dee')!.some((n) => n.kind === 'hint')).toBe(false);
  });

  it('ends the match on the trainer\'s word, archives it and opens the next scenario', async () => {
    const moved = nextMessage<WorkshopMessage>(ann, 'workshop', (m) => m.op === 'next', 20_000);
    const ended = nextMessage(ann, 'matchEnded', () => true, 20_000);
    expect(await ask(trainer, 'control', { id: 'e1', op: 'end' })).toMatchObject({ ok: true, output: 'the trainer ended the match' });
    await ended;
    // The matchEnded message can arrive before the patch that carries the phase.
    await waitFor(() => state(ann).phase === 'ended', 'ann sees the match ended');
    const next = await until(async () => {
      const res = await api('POST', `/api/workshops/${ws.id}/next`, coach);
      return res.status === 201 ? res : null;
    }, 'the next room', 10_000);
    expect(next.body).toMatchObject({ index: 1, scenarioId: 'first-oom', roomId: expect.any(String) });
    expect(next.body.roomId).not.toBe(ws.roomId);
    expect(await moved).toEqual({ op: 'next', roomId: next.body.roomId });
    const info = await api('GET', `/api/workshops/${ws.id}`, coach);
    expect(info.body).toMatchObject({ status: 'open', roomId: next.body.roomId, room: { phase: 'lobby' } });
    expect(info.body.matches).toHaveLength(1);
    // The next room is not over: no second `next` yet.
    expect(await api('POST', `/api/workshops/${ws.id}/next`, coach)).toMatchObject({ status: 409, body: { error: expect.stringMatching(/has not ended yet/) } });
  });

  it('gives the debrief as JSON, CSV and Markdown', async () => {
    const res = await api('GET', `/api/workshops/${ws.id}/debrief`, coach);
    expect(res.status).toBe(200);
    const d = res.body as { workshop: { id: string }; matches: { scenarioId: string; teams: { team: string; players: string[]; actions: unknown[]; incidents: { id: string; kind: string; title: string; startedAt: number }[]; postmortem: string; replayUrl: string; matchId: string }[] }[] };
    expect(d.workshop.id).toBe(ws.id);
    expect(d.matches).toHaveLength(1);
    expect(d.matches[0]!.scenarioId).toBe('guestbook');
    expect(d.matches[0]!.teams.map((t) => t.team)).toEqual(['blue', 'red']);
    const blue = d.matches[0]!.teams[0]!;
    expect(blue.players.sort()).toEqual(['ann', 'dee']);
    // The timed injection started at the planned sim second exactly.
    expect(blue.incidents).toContainEqual(expect.objectContaining({ id: 'timed-1', kind: 'bad-rollout', title: 'Surprise', startedAt: at }));
    expect(blue.postmortem).toMatch(/^# /);
    expect(blue.replayUrl).toBe(`/replay.html?match=${blue.matchId}`);
    // The match the trainer ended early replays to its live state: every team, exactly.
    for (const t of d.matches[0]!.teams) {
      const record = (await api('GET', `/api/matches/${t.matchId}`)).body;
      const replayed = replayRecord(record);
      expect(replayed.matches, `team ${t.team} replays to its live hash`).toBe(true);
      expect(replayed.ticks).toBe(record.summary.ticks);
      expect(replayed.ticks).toBeLessThan(600);
    }
    const csv = await api('GET', `/api/workshops/${ws.id}/debrief?format=csv`, coach);
    expect(csv.type).toMatch(/^text\/csv/);
    const lines = csv.text.trimEnd().split('\r\n');
    expect(lines[0]).toBe('workshop,match_group,scenario,ended_at,team,match_id,score,availability,error_budget_remaining,players,incidents,mitigated,actions,replay_url');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/^Friday drill,[0-9a-f-]+,guestbook,/);
    const md = await api('GET', `/api/workshops/${ws.id}/postmortems.md`, coach);
    expect(md.type).toMatch(/^text\/markdown/);
    expect(md.text).toContain('# Friday drill: postmortems');
    expect(md.text.match(/<!-- match /g)).toHaveLength(2);
    expect((await api('GET', `/api/workshops/${ws.id}/debrief?format=xml`, coach)).status).toBe(400);
  });

  it('plays the last scenario in the next room; then the workshop has ended', async () => {
    const info = await api('GET', `/api/workshops/${ws.id}`, coach);
    const roomId = info.body.roomId as string;
    const coach2 = await join(roomId, { name: 'coach', token: coach, trainer: true, workshop: ws.code });
    const ann2 = await join(roomId, { name: 'ann', workshop: ws.code });
    expect(state(ann2).phase).toBe('lobby');
    expect(await ask(coach2, 'lobby', { id: 's2', op: 'start', value: true })).toMatchObject({ ok: true });
    await until(async () => (await api('GET', `/api/workshops/${ws.id}`, coach)).body.status === 'running', 'running again');
    const ended = nextMessage(ann2, 'matchEnded', () => true, 20_000);
    expect(await ask(coach2, 'control', { id: 'e2', op: 'end' })).toMatchObject({ ok: true });
    await ended;
    const done = await until(async () => {
      const res = await api('GET', `/api/workshops/${ws.id}`, coach);
      return res.body.status === 'ended' ? res : null;
    }, 'the workshop ended');
    expect(done.body.matches).toHaveLength(2);
    expect(done.body.endedAt).toEqual(expect.any(String));
    expect(await api('POST', `/api/workshops/${ws.id}/next`, coach)).toMatchObject({ status: 409, body: { error: expect.stringMatching(/every scenario of this workshop has been played/) } });
  });

  it('answers refusals with clear statuses', async () => {
    const other = await signIn(server.url, 'other-coach');
    const player = await signIn(server.url, 'plain-player');
    expect(await api('GET', `/api/workshops/${ws.id}`)).toMatchObject({ status: 401, body: { error: expect.stringMatching(/no valid session token/) } });
    expect(await api('GET', `/api/workshops/${ws.id}`, player)).toMatchObject({ status: 403, body: { error: expect.stringMatching(/only trainer accounts/) } });
    expect(await api('GET', `/api/workshops/${ws.id}`, other)).toMatchObject({ status: 403, body: { error: expect.stringMatching(/another trainer/) } });
    expect(await api('GET', '/api/workshops/00000000-0000-0000-0000-000000000000', coach)).toMatchObject({ status: 404 });
    expect(await api('GET', '/api/workshops/not-an-id', coach)).toMatchObject({ status: 400 });
  });
});

void ({} as ReplyMessage);

describe('a workshop where players pick their team', () => {
  it('takes the team join option and the lobby team op; with none, the balanced team', async () => {
    const res = await api('POST', '/api/workshops', coach, { scenarios: ['guestbook'], teams: 3, mode: 'race', teamChoice: 'players' });
    expect(res.status).toBe(201);
    const { roomId, code } = res.body as { roomId: string; code: string };
    const zoe = await join(roomId, { name: 'zoe', workshop: code, team: 'green' });
    const yan = await join(roomId, { name: 'yan', workshop: code });
    await waitFor(() => teamOf(zoe, 'yan') !== undefined, 'yan seated');
    expect([teamOf(zoe, 'zoe'), teamOf(zoe, 'yan')]).toEqual(['green', 'blue']);
    expect(await ask(yan, 'lobby', { id: 't1', op: 'team', value: 'red' })).toMatchObject({ ok: true });
    await waitFor(() => teamOf(zoe, 'yan') === 'red', 'yan on red');
    // Still only the trainer starts it.
    expect(await ask(zoe, 'lobby', { id: 't2', op: 'start', value: true })).toMatchObject({ ok: false, error: "only this workshop's trainer (coach) may start the match" });
  });
});

describe('crash recovery of the trainer desk', () => {
  it('rebuilds a timed injection still pending, one that started, and an end, to the live match', () => {
    const setup = {
      scenario: 'guestbook', scenarioId: 'guestbook', title: 'Guestbook', durationSeconds: 600, teams: ['blue', 'red'], timeDilation: 4,
      settings: { mode: 'race' as const, roles: false, lobby: true },
      workshop: { id: 'w1', code: 'ABCDEFGHJK', trainer: 'coach', title: 'W', teamChoice: 'auto' as const, index: 0, scenarios: 1 },
    };
    const raw: { tick: number; entry: unknown }[] = [
      { tick: 0, entry: { kind: 'join', name: 'coach', team: 'blue', trainer: true, tokenHash: null, spectator: true } },
      { tick: 0, entry: { kind: 'join', name: 'ann', team: 'blue', trainer: false, tokenHash: null } },
      { tick: 0, entry: { kind: 'lobby', player: 'coach', op: 'start', value: true } },
      { tick: 2, entry: { kind: 'timedInject', team: 'blue', player: 'coach', at: 10, incident: { type: 'bad-rollout', target: 'frontend', id: 'timed-1' } } },
      { tick: 3, entry: { kind: 'timedInject', team: 'red', player: 'coach', at: 500, incident: { type: 'bad-rollout', target: 'frontend', id: 'timed-1' } } },
      { tick: 10, entry: { kind: 'inject', team: 'blue', player: 'coach', spec: { id: 'timed-1', type: 'bad-rollout', at: 10, target: 'frontend', params: {} } } },
    ];
    const entries = raw.map((r, seq) => ({ seq, tick: r.tick, entry: JournalEntrySchema.parse(r.entry) }));
    const row = { matchId: 'm-desk', roomId: 'r-desk', seed: 4, setup, owner: 'test', leaseExpiresAt: new Date(0), journalLength: entries.length, durableTick: 12, startedAt: new Date(0) };
    const rebuilt = rebuildMatch(row, entries, null);
    // The blue one started (it is in the match); the red one is still the room's plan.
    expect(rebuilt.pending).toEqual([raw[4]!.entry]);
    expect(getTeam(rebuilt.match, 'blue').injections.map((i) => i.spec.id)).toEqual(['timed-1']);
    expect(getTeam(rebuilt.match, 'red').injections).toEqual([]);
    const ended = rebuildMatch({ ...row, journalLength: entries.length + 1 }, [...entries, { seq: entries.length, tick: 12, entry: JournalEntrySchema.parse({ kind: 'control', player: 'coach', op: 'end' }) }], null);
    expect(ended.match.phase).toBe('ended');
    expect(ended.tick).toBe(12);
  });
});
