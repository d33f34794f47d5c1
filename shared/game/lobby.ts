/**
 * The lobby (issue 8, "Lobby, teams and modes"): before a match created with `settings.lobby` runs,
 * players pick a team and a role, ready up, and the host (or a trainer) starts it. Pure and
 * deterministic like ./match.ts: every function mutates the {@link Match} in place and returns a plain
 * result; the Colyseus room (server/rooms/lobby.ts) validates the wire message with zod first, and the
 * crash-recovery rebuild replays the same calls from the journal.
 *
 * Rules:
 * - The **host** is the first non-spectator player in join order who is seated now; when nobody is
 *   seated, the first non-spectator ever (so a rebuilt match, whose players all come back absent,
 *   has the same host as long as the first player is the one who started it). See {@link hostOf}.
 * - Team, readiness: only in phase `lobby`, only for players (spectators watch). Changing team clears
 *   the player's `ready`.
 * - Role: when the match plays with roles, any time before the end (an IC hands over Ops mid-incident:
 *   Google SRE Book ch. 14, "Managing Incidents"); with roles off it is refused.
 * - Start: phase `lobby` only, by the host or a trainer; refused while a seated player is not ready
 *   unless `force`.
 * - Team counts per mode ({@link checkModeTeams}): `solo` 1..8 (bots may race on the other teams),
 *   `coop` exactly 1, `race` 2..8, `redblue` exactly 2. A `solo` match has ONE player seat
 *   ({@link SOLO_SEATS}); spectators are not seats.
 *
 * May import: ./types.ts (./match.ts imports this file for `join` and `checkSubmit`).
 */
import { MATCH_MODES, PLAYER_ROLES, TEAM_IDS, type Match, type MatchMode, type MatchPlayer, type PlayerRole } from './types.ts';

/** Player seats of a `solo` match (spectators are not counted). */
export const SOLO_SEATS = 1;

/** Refusal texts players see (the room sends them as `reply.error` or as a join error). */
export const LOBBY_ERRORS = {
  notAPlayer: 'you are not a player in this match',
  notInLobby: 'the match has already started: teams and readiness can only change in the lobby',
  spectatorLobby: 'spectators watch without playing: join again without spectator to pick a team and ready up',
  spectatorAct: 'spectators watch without acting: join again without spectator to play',
  rolesOff: 'this match plays without roles: every player may do everything',
  roleEnded: 'the match has ended: roles can no longer change',
  notHost: 'only the host (the first player who joined) or a trainer may start the match',
  alreadyStarted: 'the match has already started',
  nobodySeated: 'nobody is seated yet: a match starts with at least one player',
  soloFull: 'this is a solo practice match: its one player seat is taken (join as a spectator to watch)',
} as const;

/** `setTeam` / `setRole` / `setReady` / `start`'s answer: `message` is the reply text. */
export type LobbyResult = { ok: true; message: string } | { ok: false; error: string };

/**
 * The host: the first non-spectator, non-bot player in join order who is seated now (`present`), else the first
 * non-spectator ever, else undefined (only spectators, or nobody). Deterministic: join order only.
 */
export function hostOf(match: Match): MatchPlayer | undefined {
  return match.players.find((p) => !p.spectator && p.bot !== true && p.present) ?? match.players.find((p) => !p.spectator && p.bot !== true);
}

/** Players who count for readiness: seated now and not spectators, in join order. */
export function seatedPlayers(match: Match): MatchPlayer[] {
  return match.players.filter((p) => p.present && !p.spectator);
}

/**
 * Why `teams` teams cannot be played in `mode`, or null: `solo` 1..8, `coop` 1, `race` 2..8,
 * `redblue` 2 (e.g. `a race needs 2 to 8 teams, got 1`).
 */
export function checkModeTeams(mode: MatchMode, teams: number): string | null {
  const max = TEAM_IDS.length;
  switch (mode) {
    case 'solo':
      return teams >= 1 && teams <= max ? null : `a solo match has 1 to ${max} teams, got ${teams}`;
    case 'coop':
      return teams === 1 ? null : `a co-op match has exactly 1 team (one cluster for the whole team), got ${teams}`;
    case 'race':
      return teams >= 2 && teams <= max ? null : `a team race needs 2 to ${max} teams, got ${teams}`;
    case 'redblue':
      return teams === 2 ? null : `red vs blue has exactly 2 teams, got ${teams}`;
  }
}

/** Teams a match of `mode` gets when the creator names none: 2 for `race` and `redblue`, else 1. */
export function defaultTeamCount(mode: MatchMode): number {
  return mode === 'race' || mode === 'redblue' ? 2 : 1;
}

/** True for a {@link MatchMode} string (for adapters reading untrusted data). */
export function isMatchMode(value: string): value is MatchMode {
  return (MATCH_MODES as readonly string[]).includes(value);
}

/** True for a {@link PlayerRole} string. */
export function isPlayerRole(value: string): value is PlayerRole {
  return (PLAYER_ROLES as readonly string[]).includes(value);
}

/**
 * Why a NEW player (not a returning name) may not take a seat in `match`, or null: a `solo` match
 * whose one seat is held by a player seated now ({@link LOBBY_ERRORS.soloFull}). Spectators always
 * may. `join` (./match.ts) runs this.
 */
export function checkSeat(match: Match, spectator: boolean): string | null {
  if (spectator || match.settings.mode !== 'solo') return null;
  return seatedPlayers(match).filter((p) => p.bot !== true).length >= SOLO_SEATS ? LOBBY_ERRORS.soloFull : null;
}

/**
 * Why `player` may not change the cluster under the match's roles, or null (roles off, or the player
 * is `operations`). Spectators are refused by `checkSubmit` before this.
 */
export function checkRole(match: Match, player: MatchPlayer): string | null {
  if (!match.settings.roles || player.role === 'operations') return null;
  const role = player.role ?? 'none';
  return `roles are on in this match: only operations changes the cluster (your role: ${role}; pick one with the lobby message op "role")`;
}

const findPlayer = (match: Match, id: string) => match.players.find((p) => p.id === id);
const findTeam = (match: Match, id: string) => match.teams.find((t) => t.id === id);

/** The seated player `playerId` who plays (not a spectator), or the refusal. */
function playerFor(match: Match, playerId: string): MatchPlayer | string {
  const player = findPlayer(match, playerId);
  if (!player) return LOBBY_ERRORS.notAPlayer;
  if (player.spectator) return LOBBY_ERRORS.spectatorLobby;
  return player;
}

/**
 * Moves a player to team `teamId` (phase `lobby` only; clears their `ready`). Checks, in this order:
 * a known player; not a spectator; phase `lobby`; the team exists. Moving to one's own team is
 * accepted (and keeps `ready`).
 */
export function setTeam(match: Match, playerId: string, teamId: string): LobbyResult {
  const player = playerFor(match, playerId);
  if (typeof player === 'string') return { ok: false, error: player };
  if (match.phase !== 'lobby') return { ok: false, error: LOBBY_ERRORS.notInLobby };
  if (!findTeam(match, teamId)) return { ok: false, error: `team "${teamId}" is not in this match (teams: ${match.teams.map((t) => t.id).join(', ')})` };
  if (player.team === teamId) return { ok: true, message: `${player.name} plays for team ${teamId}` };
  player.team = teamId;
  player.ready = false;
  return { ok: true, message: `${player.name} moved to team ${teamId}` };
}

/**
 * Sets a player's role (matches with roles only; any phase but `ended`). Checks, in this order: a
 * known player; not a spectator; roles on; the match not ended.
 */
export function setRole(match: Match, playerId: string, role: PlayerRole): LobbyResult {
  const player = playerFor(match, playerId);
  if (typeof player === 'string') return { ok: false, error: player };
  if (!match.settings.roles) return { ok: false, error: LOBBY_ERRORS.rolesOff };
  if (match.phase === 'ended') return { ok: false, error: LOBBY_ERRORS.roleEnded };
  player.role = role;
  return { ok: true, message: `${player.name} is ${role}` };
}

/** Marks a player ready (or not). Checks: a known player; not a spectator; phase `lobby`. */
export function setReady(match: Match, playerId: string, ready: boolean): LobbyResult {
  const player = playerFor(match, playerId);
  if (typeof player === 'string') return { ok: false, error: player };
  if (match.phase !== 'lobby') return { ok: false, error: LOBBY_ERRORS.notInLobby };
  player.ready = ready;
  return { ok: true, message: ready ? `${player.name} is ready` : `${player.name} is not ready` };
}

/**
 * Starts a lobby match (phase `lobby` -> `running`: `advance` runs ticks from now). Checks, in this
 * order: a known player; phase `lobby` ({@link LOBBY_ERRORS.alreadyStarted}); the player is the host
 * ({@link hostOf}) or a trainer; someone is seated; every seated player ready, unless `force`
 * (`not everyone is ready: waiting for bob, cy (the host may force the start)`).
 */
export function start(match: Match, playerId: string, force = false): LobbyResult {
  const player = findPlayer(match, playerId);
  if (!player) return { ok: false, error: LOBBY_ERRORS.notAPlayer };
  if (match.phase !== 'lobby') return { ok: false, error: LOBBY_ERRORS.alreadyStarted };
  if (!player.trainer && hostOf(match)?.id !== player.id) return { ok: false, error: LOBBY_ERRORS.notHost };
  const seated = seatedPlayers(match);
  if (seated.length === 0) return { ok: false, error: LOBBY_ERRORS.nobodySeated };
  const waiting = seated.filter((p) => !p.ready).map((p) => p.name);
  if (waiting.length > 0 && !force) {
    return { ok: false, error: `not everyone is ready: waiting for ${waiting.join(', ')} (the host may force the start)` };
  }
  beginMatch(match);
  return { ok: true, message: waiting.length > 0 ? `${player.name} started the match (forced: ${waiting.join(', ')} not ready)` : `${player.name} started the match` };
}

/**
 * Phase `lobby` -> `running` without the permission checks: what a journaled `start` replays (it was
 * checked when it was accepted). No effect in any other phase.
 */
export function beginMatch(match: Match): void {
  if (match.phase === 'lobby') match.phase = 'running';
}

/** One row of the live scoreboard: rank 1 = best. */
export interface ScoreRow {
  team: string;
  score: number;
  /** 1-based: by score descending, ties by team id (string order); equal scores get distinct ranks. */
  rank: number;
}

/**
 * The scoreboard of `scores` (team id -> score points): ranked by score descending, then team id
 * ascending (a total order, so ranks never depend on insertion order). O(teams log teams).
 */
export function scoreboard(scores: readonly { team: string; score: number }[]): ScoreRow[] {
  return [...scores]
    .sort((a, b) => b.score - a.score || (a.team < b.team ? -1 : a.team > b.team ? 1 : 0))
    .map((row, i) => ({ team: row.team, score: row.score, rank: i + 1 }));
}
