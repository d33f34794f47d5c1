/**
 * The lobby rules of shared/game (issue 8): host, team and role picks, readiness, start, spectators,
 * solo seats, roles enforced on the write path, and the scoreboard's total order.
 */
import { describe, expect, it } from 'vitest';
import {
  LOBBY_ERRORS,
  MATCH_ERRORS,
  advance,
  checkModeTeams,
  checkSubmit,
  control,
  createMatch,
  defaultTeamCount,
  hostOf,
  join,
  leave,
  scoreboard,
  setReady,
  setRole,
  setTeam,
  start,
  submit,
  type Match,
  type MatchSettings,
} from '../../shared/game/index.ts';
import { shopInput } from '../sim/game-fixtures.ts';

const scale = { type: 'scaleDeployment', deployment: 'frontend', replicas: 3 } as const;

function lobbyMatch(settings: Partial<MatchSettings> = {}, teams = ['blue', 'red']): Match {
  return createMatch({ input: shopInput({ durationSeconds: 60 }), teams, settings: { mode: 'race', lobby: true, ...settings } });
}

function seat(match: Match, name: string, opts: { team?: string; spectator?: boolean; trainer?: boolean; role?: 'commander' | 'operations' | 'communications' } = {}): string {
  const r = join(match, { name, team: opts.team ?? 'blue', ...opts });
  if (!r.ok) throw new Error(r.error);
  return r.player.id;
}

describe('the lobby', () => {
  it('starts in phase lobby: no ticks, no actions, until the host starts it', () => {
    const match = lobbyMatch();
    const ann = seat(match, 'ann');
    expect(match.phase).toBe('lobby');
    expect(advance(match)).toBe(false);
    expect(match.teams.every((t) => t.sim.tick === 0)).toBe(true);
    expect(submit(match, ann, scale)).toEqual({ ok: false, error: MATCH_ERRORS.lobby });
  });

  it('the host is the first player seated now, never a spectator; deterministic by join order', () => {
    const match = lobbyMatch();
    expect(hostOf(match)).toBeUndefined();
    seat(match, 'sam', { spectator: true });
    expect(hostOf(match)).toBeUndefined();
    const ann = seat(match, 'ann');
    const bob = seat(match, 'bob', { team: 'red' });
    expect(hostOf(match)?.name).toBe('ann');
    leave(match, ann);
    expect(hostOf(match)?.name).toBe('bob');
    leave(match, bob);
    expect(hostOf(match)?.name).toBe('ann'); // nobody seated: the first player ever
  });

  it('players pick a team (clears ready), ready up, and only the host or a trainer starts', () => {
    const match = lobbyMatch();
    const ann = seat(match, 'ann');
    const bob = seat(match, 'bob');
    expect(setReady(match, bob, true)).toEqual({ ok: true, message: 'bob is ready' });
    expect(setTeam(match, bob, 'red')).toEqual({ ok: true, message: 'bob moved to team red' });
    expect(match.players[1]).toMatchObject({ team: 'red', ready: false });
    expect(setTeam(match, bob, 'green')).toEqual({ ok: false, error: 'team "green" is not in this match (teams: blue, red)' });
    expect(start(match, bob)).toEqual({ ok: false, error: LOBBY_ERRORS.notHost });
    expect(start(match, ann)).toEqual({ ok: false, error: 'not everyone is ready: waiting for ann, bob (the host may force the start)' });
    setReady(match, ann, true);
    setReady(match, bob, true);
    expect(start(match, ann)).toEqual({ ok: true, message: 'ann started the match' });
    expect(match.phase).toBe('running');
    expect(start(match, ann)).toEqual({ ok: false, error: LOBBY_ERRORS.alreadyStarted });
    expect(setTeam(match, bob, 'blue')).toEqual({ ok: false, error: LOBBY_ERRORS.notInLobby });
    expect(setReady(match, bob, false)).toEqual({ ok: false, error: LOBBY_ERRORS.notInLobby });
    expect(submit(match, bob, scale)).toMatchObject({ ok: true });
    expect(advance(match)).toBe(false);
    expect(match.teams.every((t) => t.sim.tick === 1)).toBe(true);
  });

  it('the host may force the start; a trainer may start; absent players do not hold it up', () => {
    const match = lobbyMatch();
    const ann = seat(match, 'ann');
    const bob = seat(match, 'bob', { team: 'red' });
    const cy = seat(match, 'cy', { team: 'red' });
    leave(match, cy);
    setReady(match, ann, true);
    expect(start(match, ann)).toMatchObject({ ok: false, error: expect.stringContaining('waiting for bob (') });
    expect(start(match, ann, true)).toEqual({ ok: true, message: 'ann started the match (forced: bob not ready)' });

    const other = lobbyMatch();
    seat(other, 'ann');
    const tess = seat(other, 'tess', { trainer: true, spectator: true });
    expect(start(other, tess, true)).toMatchObject({ ok: true });
    void bob;
  });

  it('a trainer cannot pause or resume around the lobby, only start it', () => {
    const match = lobbyMatch();
    const tess = seat(match, 'tess', { trainer: true });
    expect(control(match, tess, 'pause')).toEqual({ ok: false, error: MATCH_ERRORS.controlLobby });
    expect(control(match, tess, 'resume')).toEqual({ ok: false, error: MATCH_ERRORS.controlLobby });
    expect(control(match, tess, 'speed')).toMatchObject({ ok: true });
    expect(match.phase).toBe('lobby');
    expect(start(match, tess, true)).toMatchObject({ ok: true });
    expect(control(match, tess, 'pause')).toMatchObject({ ok: true });
  });

  it('refuses a start with nobody seated', () => {
    const match = lobbyMatch();
    const tess = seat(match, 'tess', { trainer: true, spectator: true });
    expect(start(match, tess)).toEqual({ ok: false, error: LOBBY_ERRORS.nobodySeated });
  });

  it('spectators watch: they cannot pick a team, ready up or act, and are not the host', () => {
    const match = lobbyMatch({ lobby: false });
    const sam = seat(match, 'sam', { spectator: true });
    expect(setTeam(match, sam, 'red')).toEqual({ ok: false, error: LOBBY_ERRORS.spectatorLobby });
    expect(setReady(match, sam, true)).toEqual({ ok: false, error: LOBBY_ERRORS.spectatorLobby });
    expect(checkSubmit(match, sam)).toBe(LOBBY_ERRORS.spectatorAct);
    expect(submit(match, sam, scale)).toEqual({ ok: false, error: LOBBY_ERRORS.spectatorAct });
    expect(match.teams.every((t) => t.log.length === 0)).toBe(true);
  });

  it('roles on: only operations changes the cluster; roles may change until the end', () => {
    const match = lobbyMatch({ roles: true, lobby: false });
    const ic = seat(match, 'ian', { role: 'commander' });
    const ops = seat(match, 'olga', { role: 'operations' });
    const none = seat(match, 'nat');
    expect(match.players.map((p) => p.role)).toEqual(['commander', 'operations', null]);
    expect(submit(match, ic, scale)).toEqual({
      ok: false,
      error: 'roles are on in this match: only operations changes the cluster (your role: commander; pick one with the lobby message op "role")',
    });
    expect(checkSubmit(match, none)).toContain('your role: none');
    expect(submit(match, ops, scale)).toMatchObject({ ok: true });
    expect(setRole(match, ic, 'operations')).toEqual({ ok: true, message: 'ian is operations' });
    expect(submit(match, ic, scale)).toMatchObject({ ok: true });

    const off = lobbyMatch();
    const ann = seat(off, 'ann', { role: 'communications' });
    expect(off.players[0]!.role).toBeNull();
    expect(setRole(off, ann, 'commander')).toEqual({ ok: false, error: LOBBY_ERRORS.rolesOff });
  });

  it('a returning name keeps its team, role and spectator flag', () => {
    const match = lobbyMatch({ roles: true });
    const ann = seat(match, 'ann', { role: 'operations' });
    setTeam(match, ann, 'red');
    leave(match, ann);
    expect(join(match, { name: 'ann', team: 'blue' })).toEqual({ ok: false, error: '"ann" played for team red in this match' });
    const back = join(match, { name: 'ann', team: 'red', role: 'commander' });
    expect(back).toMatchObject({ ok: true, player: { id: ann, team: 'red', role: 'operations', spectator: false } });
  });

  it('solo: one player seat per match; spectators may watch', () => {
    const match = lobbyMatch({ mode: 'solo' }, ['blue']);
    const ann = seat(match, 'ann');
    expect(join(match, { name: 'bob', team: 'blue' })).toEqual({ ok: false, error: LOBBY_ERRORS.soloFull });
    expect(join(match, { name: 'sam', team: 'blue', spectator: true })).toMatchObject({ ok: true });
    leave(match, ann);
    expect(join(match, { name: 'bob', team: 'blue' })).toMatchObject({ ok: true }); // the seat is free again
  });

  it('team counts per mode', () => {
    expect(checkModeTeams('coop', 1)).toBeNull();
    expect(checkModeTeams('coop', 2)).toBe('a co-op match has exactly 1 team (one cluster for the whole team), got 2');
    expect(checkModeTeams('race', 1)).toBe('a team race needs 2 to 8 teams, got 1');
    expect(checkModeTeams('race', 8)).toBeNull();
    expect(checkModeTeams('redblue', 3)).toBe('red vs blue has exactly 2 teams, got 3');
    expect(checkModeTeams('solo', 3)).toBeNull();
    expect([defaultTeamCount('solo'), defaultTeamCount('coop'), defaultTeamCount('race'), defaultTeamCount('redblue')]).toEqual([1, 1, 2, 2]);
  });

  it('the scoreboard ranks by score descending, ties by team id', () => {
    expect(scoreboard([{ team: 'red', score: 50 }, { team: 'blue', score: 50 }, { team: 'gold', score: 80 }])).toEqual([
      { team: 'gold', score: 80, rank: 1 },
      { team: 'blue', score: 50, rank: 2 },
      { team: 'red', score: 50, rank: 3 },
    ]);
  });

  it('the same lobby calls give the same match', () => {
    const play = () => {
      const match = lobbyMatch();
      const a = seat(match, 'ann');
      const b = seat(match, 'bob');
      setTeam(match, b, 'red');
      setReady(match, a, true);
      setReady(match, b, true);
      start(match, a);
      submit(match, b, scale);
      for (let i = 0; i < 5; i++) advance(match);
      return JSON.stringify(match);
    };
    expect(play()).toBe(play());
  });
});
