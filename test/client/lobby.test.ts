/**
 * The lobby's view logic (client/src/view/lobby.ts): the open-match list, the Create-a-match form
 * (checked against the protocol's JoinOptions), the waiting room (teams, ready, who may start and
 * why not), the scoreboard, the notice feed, the R shortcut and the event source label.
 */
import { describe, expect, it } from 'vitest';
import { JoinOptions } from '../../shared/protocol.ts';
import { snapshotState } from '../../client/src/view/stateMirror.ts';
import { readJoinForm } from '../../client/src/view/join.ts';
import {
  NoticeFeed,
  actionHint,
  eventSource,
  joinErrorText,
  joinListedOptions,
  lobbyRowText,
  lobbyShortcut,
  parseLobby,
  readCreateForm,
  roster,
  scoreLines,
  showsScoreboard,
  teamIds,
  waitingRoom,
  type CreateFormValues,
} from '../../client/src/view/lobby.ts';

const listing = {
  roomId: 'r1',
  matchId: 'm1',
  scenario: 'online-boutique',
  scenarioTitle: 'Online Boutique',
  mode: 'race',
  roles: false,
  phase: 'lobby',
  teams: 2,
  players: 1,
  maxPlayers: 16,
  clients: 1,
  maxClients: 16,
};

const form = (extra: Partial<CreateFormValues> = {}): CreateFormValues => ({
  name: ' ann ',
  spectator: false,
  role: '',
  scenario: 'online-boutique',
  mode: 'race',
  teams: '2',
  durationMinutes: '',
  timeDilation: '',
  roles: false,
  lobby: true,
  seed: '',
  ...extra,
});

/** A race in the lobby: ann (host, blue, ready), bob (red, not ready), sam watching. */
function lobbyState(extra: Record<string, unknown> = {}) {
  return snapshotState({
    scenarioTitle: 'Online Boutique',
    phase: 'lobby',
    mode: 'race',
    host: 'p1',
    scoreboard: [
      { team: 'red', score: 12.4, rank: 1 },
      { team: 'blue', score: 3, rank: 2 },
    ],
    players: {
      sA: { name: 'ann', team: 'blue', id: 'p1', ready: true, connected: true },
      sB: { name: 'bob', team: 'red', id: 'p2', ready: false, connected: true },
      sS: { name: 'sam', team: 'blue', id: 'p3', spectator: true, connected: true },
    },
    ...extra,
  });
}

describe('the open-match list', () => {
  it('reads GET /api/lobby rows and drops broken ones', () => {
    const rows = parseLobby([listing, { roomId: '', mode: 'race' }, { roomId: 'x', mode: 'chess' }, null]);
    expect(rows).toEqual([listing]);
    expect(parseLobby({ not: 'a list' })).toEqual([]);
  });

  it('says mode, teams, players and phase, and why a full match cannot be joined', () => {
    const [row] = parseLobby([listing]);
    expect(lobbyRowText(row!)).toEqual({ title: 'Online Boutique', mode: 'Team race · 2 teams', players: '1 / 16 players', phase: 'in lobby', joinable: true, reason: '' });
    const [solo] = parseLobby([{ ...listing, mode: 'solo', teams: 1, roles: true, maxPlayers: 1, phase: 'running' }]);
    const text = lobbyRowText(solo!);
    expect(text.mode).toBe('Solo practice · 1 team · roles');
    expect(text.joinable).toBe(false);
    expect(text.reason).toMatch(/spectator/);
    expect(lobbyRowText(solo!, true).joinable).toBe(true);
  });

  it('sends a role only to matches with roles', () => {
    expect(joinListedOptions({ name: 'bob', spectator: false, role: 'operations' }, { roles: false })).toEqual({ ok: true, options: { name: 'bob' } });
    expect(joinListedOptions({ name: 'bob', spectator: false, role: 'operations' }, { roles: true })).toEqual({ ok: true, options: { name: 'bob', role: 'operations' } });
    expect(joinListedOptions({ name: 'sam', spectator: true, role: 'operations' }, { roles: true })).toEqual({ ok: true, options: { name: 'sam', spectator: true } });
    expect(joinListedOptions({ name: ' ', spectator: false, role: '' }, { roles: false })).toMatchObject({ ok: false, field: 'name' });
  });

  it('quick play filters by mode and carries spectator and role', () => {
    const r = readJoinForm({ name: 'ann', scenario: 'guestbook', seed: '', search: '', mode: 'race', spectator: false, role: 'commander' });
    expect(r).toEqual({ ok: true, options: { name: 'ann', scenario: 'guestbook', mode: 'race', role: 'commander' } });
    expect(readJoinForm({ name: 'ann', scenario: '', seed: '', search: '', mode: '' })).toEqual({ ok: true, options: { name: 'ann' } });
  });

  it('turns server reasons into advice where a listed match went away', () => {
    expect(joinErrorText('no rooms found with provided criteria')).toMatch(/no longer open/);
    expect(joinErrorText('room "abc123" not found', 'join')).toMatch(/no longer open/);
    expect(joinErrorText('scenario "nope" not found', 'create')).toBe('scenario "nope" not found');
    expect(joinErrorText('name "ann" is already taken in this match')).toBe('name "ann" is already taken in this match');
  });
});

describe('the Create-a-match form', () => {
  it('builds creator options the server accepts', () => {
    const r = readCreateForm(form({ teams: '3', durationMinutes: '2', timeDilation: '30', roles: true, role: 'operations' }));
    expect(r).toEqual({ ok: true, options: { name: 'ann', role: 'operations', scenario: 'online-boutique', mode: 'race', teams: 3, durationSeconds: 120, timeDilation: 30, roles: true, lobby: true } });
    if (r.ok) expect(JoinOptions.safeParse(r.options).success).toBe(true);
  });

  it('fixes the team count of modes that have one', () => {
    expect(readCreateForm(form({ mode: 'redblue', teams: '5' }))).toMatchObject({ ok: true, options: { mode: 'redblue', teams: 2 } });
    expect(readCreateForm(form({ mode: 'coop', teams: '5', lobby: false }))).toEqual({ ok: true, options: { name: 'ann', scenario: 'online-boutique', mode: 'coop', teams: 1 } });
  });

  it('names the field that is wrong', () => {
    expect(readCreateForm(form({ teams: '9' }))).toMatchObject({ ok: false, field: 'teams' });
    expect(readCreateForm(form({ teams: '1' }))).toMatchObject({ ok: false, field: 'teams', error: 'A team race needs 2 to 8 teams.' });
    expect(readCreateForm(form({ teams: 'two' }))).toMatchObject({ ok: false, field: 'teams' });
    expect(readCreateForm(form({ durationMinutes: '0.1' }))).toMatchObject({ ok: false, field: 'duration' });
    expect(readCreateForm(form({ timeDilation: '500' }))).toMatchObject({ ok: false, field: 'speed' });
    expect(readCreateForm(form({ mode: 'chess' }))).toMatchObject({ ok: false, field: 'mode' });
    expect(readCreateForm(form({ name: '' }))).toMatchObject({ ok: false, field: 'name' });
  });
});

describe('in the match', () => {
  it('lists the teams in server order and the players by team, spectators last', () => {
    const view = lobbyState();
    expect(teamIds(view)).toEqual(['blue', 'red']);
    expect(roster(view, 'sB').map((p) => `${p.name}:${p.team}:${p.host}:${p.me}`)).toEqual(['ann:blue:true:false', 'bob:red:false:true', 'sam:blue:false:false']);
  });

  it('lets only the host start, once everyone is ready, and says why not', () => {
    const view = lobbyState();
    const forAnn = waitingRoom(view, 'sA');
    expect(forAnn.teams.map((t) => [t.team, t.players.map((p) => p.name)])).toEqual([
      ['blue', ['ann']],
      ['red', ['bob']],
    ]);
    expect(forAnn.spectators.map((p) => p.name)).toEqual(['sam']);
    expect([forAnn.seated, forAnn.ready]).toEqual([2, 1]);
    expect(forAnn.start).toEqual({ canStart: false, canForce: true, reason: 'Waiting for bob to be ready.' });
    expect(waitingRoom(view, 'sB').start).toEqual({ canStart: false, canForce: false, reason: 'Only the host (ann) or a trainer can start the match.' });
    expect(waitingRoom(view, 'sS').start.canStart).toBe(false);
    const allReady = lobbyState({ players: { sA: { name: 'ann', team: 'blue', id: 'p1', ready: true }, sB: { name: 'bob', team: 'red', id: 'p2', ready: true } } });
    expect(waitingRoom(allReady, 'sA').start).toEqual({ canStart: true, canForce: false, reason: '' });
    expect(waitingRoom(lobbyState({ phase: 'running' }), 'sA').start.canStart).toBe(false);
  });

  it('shows the scoreboard of every team, best first, with their players', () => {
    const view = lobbyState();
    expect(showsScoreboard(view)).toBe(true);
    expect(showsScoreboard({ mode: 'coop', scoreboard: [{ team: 'blue', score: 1, rank: 1 }] })).toBe(false);
    expect(scoreLines(view, 'blue')).toEqual([
      { rank: 1, team: 'red', score: 12, mine: false, players: ['bob'] },
      { rank: 2, team: 'blue', score: 3, mine: true, players: ['ann'] },
    ]);
  });

  it('explains why actions are off', () => {
    expect(actionHint({ phase: 'running', roles: false }, { spectator: true, role: '' })).toMatch(/spectator/);
    expect(actionHint({ phase: 'running', roles: true }, { spectator: false, role: 'commander' })).toMatch(/only operations/);
    expect(actionHint({ phase: 'running', roles: true }, { spectator: false, role: 'operations' })).toBe('');
    expect(actionHint({ phase: 'lobby', roles: false }, { spectator: false, role: '' })).toMatch(/not started/);
  });

  it('keeps the newest notices first, each with its sim time', () => {
    const feed = new NoticeFeed(2);
    feed.push({ t: 0, text: 'ann joined team blue', player: 'ann' });
    feed.push({ t: 65, text: 'bob is ready', player: 'bob' });
    feed.push({ nope: true });
    feed.push({ t: 70, text: 'ann started the match', player: 'ann' });
    expect(feed.entries.map((n) => n.line)).toEqual(['1:10 ann started the match', '1:05 bob is ready']);
  });

  it('toggles ready with R only in the lobby, outside inputs, for players', () => {
    expect(lobbyShortcut('r', false, false, 'lobby', false)).toBe('toggleReady');
    expect(lobbyShortcut('R', false, false, 'lobby', false)).toBe('toggleReady');
    expect(lobbyShortcut('r', true, false, 'lobby', false)).toBeNull();
    expect(lobbyShortcut('r', false, true, 'lobby', false)).toBeNull();
    expect(lobbyShortcut('r', false, false, 'running', false)).toBeNull();
    expect(lobbyShortcut('r', false, false, 'lobby', true)).toBeNull();
  });

  it('names the player behind an event', () => {
    expect(eventSource('ann')).toBe('by ann');
    expect(eventSource('')).toBe('');
  });
});
