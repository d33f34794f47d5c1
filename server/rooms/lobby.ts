/**
 * The room side of the lobby (issue 8, "Lobby, teams and modes"): the creator's mode / roles / lobby
 * join options turned into match settings, the `lobby` message (team, role, ready, start) mapped onto
 * shared/game/lobby.ts, roster `notice` broadcasts naming the player, the lobby fields of the state
 * (players' id / role / spectator / ready, `mode`, `roles`, `host`, the live `scoreboard`) and the
 * lobby part of the matchmaking metadata. MatchRoom.ts only registers these; game rules stay in
 * shared/game.
 *
 * Crash recovery: each accepted change is journaled as a `lobby` entry (server/db/journal.ts) before
 * its reply goes out (MatchRoom `guard`), and server/recovery/rebuild.ts replays it.
 *
 * May import @colyseus/core, @colyseus/schema, shared/ (game, protocol), ./schema.ts, ./messages.ts,
 * server/db/journal.ts types.
 */
import { ServerError, ErrorCode, type Client } from '@colyseus/core';
import type { JoinOptions, NoticeMessage, PlayerView, ReplyMessage } from '../../shared/protocol.ts';
import {
  checkModeTeams,
  defaultTeamCount,
  findPlayer,
  hostOf,
  scoreboard,
  seatedPlayers,
  setReady,
  setRole,
  setTeam,
  start,
  SOLO_SEATS,
  type Match,
  type MatchPlayer,
  type MatchSettings,
  type PlayerRole,
} from '../../shared/game/index.ts';
import type { JournalEntry } from '../db/journal.ts';
import { PlayerSchema, ScoreRowSchema, type MatchStateSchema } from './schema.ts';
import { errorReply, okReply, parseClientMessage } from './messages.ts';

// The view's role values are exactly the game's roles (plus '' for none).
type ViewRole = PlayerView['role'];
const roleCheck: [ViewRole, '' | PlayerRole] extends ['' | PlayerRole, ViewRole] ? true : never = true;
void roleCheck;

/**
 * The match settings and team count the creator's join options ask for: `mode` (default `race` with
 * 2+ `teams`, else `coop`), `teams` (default per mode: 2 for race / redblue, else 1), `roles` and
 * `lobby` (default false).
 * @throws ServerError (APPLICATION_ERROR) when the team count does not fit the mode
 *   (`a team race needs 2 to 8 teams, got 1`).
 */
export function settingsOf(opts: JoinOptions): { teams: number; settings: MatchSettings } {
  const mode = opts.mode ?? ((opts.teams ?? 1) > 1 ? 'race' : 'coop');
  const teams = opts.teams ?? defaultTeamCount(mode);
  const wrong = checkModeTeams(mode, teams);
  if (wrong !== null) throw new ServerError(ErrorCode.APPLICATION_ERROR, wrong);
  return { teams, settings: { mode, roles: opts.roles === true, lobby: opts.lobby === true } };
}

/** The player's fields of `PlayerSchema` (the state's `players[sessionId]`). */
function playerFields(player: MatchPlayer): Pick<PlayerSchema, 'name' | 'team' | 'trainer' | 'actions' | 'id' | 'role' | 'spectator' | 'ready'> {
  return { name: player.name, team: player.team, trainer: player.trainer, actions: player.actions, id: player.id, role: player.role ?? '', spectator: player.spectator, ready: player.ready };
}

/** A new `PlayerSchema` for a seated player (connected). */
export function playerSchemaOf(player: MatchPlayer): PlayerSchema {
  return new PlayerSchema({ ...playerFields(player), connected: true });
}

/** Teams a player's StateView holds: every team for a trainer or a spectator, else their own. */
export function visibleTeams(player: Pick<MatchPlayer, 'trainer' | 'spectator' | 'team'>, allTeams: readonly string[]): string[] {
  return player.trainer || player.spectator ? [...allTeams] : [player.team];
}

/** What the lobby needs from its room (MatchRoom passes closures over its private parts). */
export interface LobbyRoomHost {
  match(): Match;
  state: MatchStateSchema;
  /** sessionId -> match player id. */
  sessions: ReadonlyMap<string, string>;
  /** The room's connected clients. */
  clients(): Iterable<Client>;
  /** Team id -> the score last projected into its Schema (points). */
  projectedScores(): { team: string; score: number }[];
  /** Journals an accepted entry (the reply waits until it is durable). */
  journal(entry: JournalEntry): void;
  /** Broadcast to every client. */
  broadcast(type: 'notice', message: NoticeMessage): void;
  /** The player's team changed: re-attach the client's StateView and resend its credentials. */
  seatChanged(client: Client, player: MatchPlayer): void;
  /** The phase changed (mirror it into the state and the metadata). */
  phaseChanged(): void;
  /** The roster changed: refresh the matchmaking metadata. */
  rosterChanged(): void;
}

/** The lobby's part of the matchmaking metadata (see MatchRoom `MatchMetadata`). */
export interface LobbyMetadata {
  mode: MatchSettings['mode'];
  roles: boolean;
  /** Team count. */
  teams: number;
  /** Players seated now (spectators not counted). */
  players: number;
  /** Player seats: 1 for solo, else the room's `maxClients`. */
  maxPlayers: number;
}

/** The lobby of one match room. */
export class RoomLobby {
  private readonly host: LobbyRoomHost;
  /** Last scoreboard written (`team:score` joined), to touch the Schema only on change. */
  private lastBoard = '';

  constructor(host: LobbyRoomHost) {
    this.host = host;
  }

  /** The state's match-wide lobby fields at setup: mode and roles. */
  init(): void {
    const { settings } = this.host.match();
    this.host.state.mode = settings.mode;
    this.host.state.roles = settings.roles;
    this.refresh();
  }

  /** Announces to everyone (`notice`), at the state's sim second. */
  notice(text: string, player?: string): void {
    this.host.broadcast('notice', { t: this.host.state.t, text, ...(player !== undefined ? { player } : {}) });
  }

  /** A player took (or took back) a seat: their state entry is set by the room; tell everyone. */
  joined(player: MatchPlayer): void {
    this.notice(player.spectator ? `${player.name} is watching (spectator)` : `${player.name} joined team ${player.team}${player.role ? ` as ${player.role}` : ''}`, player.name);
    this.host.rosterChanged();
  }

  /** A connection dropped (the seat is kept for `seconds`). */
  dropped(name: string, seconds: number): void {
    this.notice(`${name} lost connection (seat kept ${seconds} s)`, name);
  }

  /** A player came back after a drop. */
  reconnected(name: string): void {
    this.notice(`${name} is back`, name);
  }

  /** A player left (their seat is kept for the record). */
  left(name: string): void {
    this.notice(`${name} left`, name);
    this.host.rosterChanged();
  }

  /**
   * The `lobby` message: validated (zod, shared/protocol.ts), applied through shared/game/lobby.ts,
   * journaled, mirrored into the state and announced. Refusals are the game's texts.
   */
  onMessage(client: Client, raw: unknown): ReplyMessage {
    const parsed = parseClientMessage('lobby', raw);
    if (!parsed.ok) return parsed.reply;
    const { id, message } = parsed;
    const match = this.host.match();
    const playerId = this.host.sessions.get(client.sessionId);
    const player = playerId === undefined ? undefined : findPlayer(match, playerId);
    if (!player) return errorReply('lobby', id, 'you are not a player in this match');
    switch (message.op) {
      case 'team': {
        const before = player.team;
        const result = setTeam(match, player.id, message.value);
        if (!result.ok) return errorReply('lobby', id, result.error);
        if (before === player.team) return okReply('lobby', id, result.message);
        this.host.journal({ kind: 'lobby', player: player.name, op: 'team', value: player.team });
        this.syncPlayer(player);
        for (const c of this.host.clients()) if (this.host.sessions.get(c.sessionId) === player.id) this.host.seatChanged(c, player);
        this.notice(result.message, player.name);
        return okReply('lobby', id, result.message);
      }
      case 'role': {
        const result = setRole(match, player.id, message.value);
        if (!result.ok) return errorReply('lobby', id, result.error);
        this.host.journal({ kind: 'lobby', player: player.name, op: 'role', value: message.value });
        this.syncPlayer(player);
        this.notice(result.message, player.name);
        return okReply('lobby', id, result.message);
      }
      case 'ready': {
        const ready = message.value ?? true;
        const result = setReady(match, player.id, ready);
        if (!result.ok) return errorReply('lobby', id, result.error);
        this.host.journal({ kind: 'lobby', player: player.name, op: 'ready', value: ready });
        this.syncPlayer(player);
        this.notice(result.message, player.name);
        return okReply('lobby', id, result.message);
      }
      case 'start': {
        const force = message.value ?? false;
        const result = start(match, player.id, force);
        if (!result.ok) return errorReply('lobby', id, result.error);
        this.host.journal({ kind: 'lobby', player: player.name, op: 'start', value: force });
        this.host.phaseChanged();
        this.notice(result.message, player.name);
        return okReply('lobby', id, result.message);
      }
    }
  }

  /**
   * A trainer's `control` op `move` (issue 10): `player` to team `teamId` through the same
   * shared/game `setTeam` as the lobby's `team` op (phase `lobby` only), journaled as that player's
   * `lobby` `team` entry (the rebuild replays it the same way), announced `bob was moved to team red by coach`.
   */
  moveByTrainer(trainer: MatchPlayer, player: MatchPlayer, teamId: string): { ok: true; message: string } | { ok: false; error: string } {
    const before = player.team;
    const result = setTeam(this.host.match(), player.id, teamId);
    if (!result.ok) return result;
    if (before === player.team) return { ok: true, message: `${player.name} is already on team ${player.team}` };
    this.host.journal({ kind: 'lobby', player: player.name, op: 'team', value: player.team });
    this.syncPlayer(player);
    for (const c of this.host.clients()) if (this.host.sessions.get(c.sessionId) === player.id) this.host.seatChanged(c, player);
    const message = `${player.name} was moved to team ${player.team} by ${trainer.name}`;
    this.notice(message, player.name);
    return { ok: true, message };
  }

  /** Copies a player's lobby fields into every state entry of theirs. */
  syncPlayer(player: MatchPlayer): void {
    const fields = playerFields(player);
    for (const [sessionId, playerId] of this.host.sessions) {
      if (playerId !== player.id) continue;
      const view = this.host.state.players.get(sessionId);
      if (view) Object.assign(view, fields);
    }
  }

  /** Before a patch: the host and the scoreboard (each written only when it changed). O(players + teams log teams). */
  refresh(): void {
    const match = this.host.match();
    const state = this.host.state;
    const host = hostOf(match)?.id ?? '';
    if (state.host !== host) state.host = host;
    const rows = scoreboard(this.host.projectedScores());
    const key = rows.map((r) => `${r.team}:${r.score}`).join(',');
    if (key === this.lastBoard) return;
    this.lastBoard = key;
    const board = state.scoreboard;
    while (board.length > rows.length) board.pop();
    rows.forEach((row, i) => {
      const entry = board.at(i);
      if (entry) {
        if (entry.team !== row.team) entry.team = row.team;
        if (entry.score !== row.score) entry.score = row.score;
        if (entry.rank !== row.rank) entry.rank = row.rank;
      } else {
        board.push(new ScoreRowSchema({ team: row.team, score: row.score, rank: row.rank }));
      }
    });
  }

  /** The lobby's part of the matchmaking metadata. */
  metadata(maxClients: number): LobbyMetadata {
    const match = this.host.match();
    return {
      mode: match.settings.mode,
      roles: match.settings.roles,
      teams: match.teams.length,
      players: seatedPlayers(match).length,
      maxPlayers: match.settings.mode === 'solo' ? SOLO_SEATS : maxClients,
    };
  }
}
