/**
 * The game master's side of a match room (issue 10, "Workshops and the game-master console"): who may
 * act as the room's trainer, the workshop a room belongs to, team placement in a workshop, and the
 * trainer's new `control` ops (`end`, `message`, `move`, timed `inject`). MatchRoom.ts only calls this.
 *
 * Authorization (checked for EVERY client message, {@link RoomDesk.gate}, and at join):
 * - In a workshop room only the workshop's trainer (its account username) may join with
 *   `trainer: true`; they sit as a spectating trainer (they see every team and never play for one).
 *   Trainer actions (`control`, the lobby's `start`, `bot`) are theirs alone; the host has none.
 * - Outside workshops the room's trainer is its first trainer account in join order (the creator
 *   when the creator joined as a trainer): any other trainer account asking `trainer: true` is
 *   refused at join, so no second account may pause, speed up or end someone else's match.
 * - Team placement in a workshop: `teamChoice` `auto` seats each new player on the team with the
 *   fewest players (ties: team order) and refuses the lobby's `team` op (the trainer moves players:
 *   `control` op `move`); `players` takes the `team` join option or the lobby's `team` op (no team
 *   given: the balanced one).
 *
 * Timed injections (`control` op `inject` with `atSeconds`): kept here, journaled as `timedInject`
 * entries (crash recovery re-plans the ones not started), started between ticks once the team's sim
 * clock reaches `atSeconds` (then they are ordinary runtime injections: `team.injections`, journaled
 * `inject`, replayed exactly). Players never see a pending one; trainers get the list (`workshop`
 * message op `plan`).
 *
 * Workshop rooms are created by the HTTP API only ({@link createWorkshopRoom}: a one-time ticket in the
 * creation options, never accepted from clients), are private (quick-play never lands in one), and
 * report to the `workshops` row: `running` when the match starts, `open` again when it ended (the next
 * scenario may be started), `ended` after the last scenario's match.
 *
 * May import @colyseus/core, pino types, shared/ (game, protocol, sim incidents), server/db, ./messages.ts, ./lobby.ts.
 */
import { randomBytes } from 'node:crypto';
import { matchMaker, type Client } from '@colyseus/core';
import type { Logger } from 'pino';
import { ROOM_NAME, type InjectIncident, type JoinOptions, type NoticeMessage, type PendingInjectionView, type ReplyMessage, type WorkshopMessage } from '../../shared/protocol.ts';
import { MATCH_ERRORS, playerByName, type Match, type MatchPlayer } from '../../shared/game/index.ts';
import { INCIDENT_KINDS, incidentModule, isIncidentType } from '../../shared/sim/incidents/index.ts';
import { targetSyntax } from '../../shared/sim/incidents/targets.ts';
import type { Database } from '../db/index.ts';
import type { JournalEntry } from '../db/journal.ts';
import { normaliseJoinCode, tagWorkshopMatches, updateWorkshop, type Workshop } from '../db/workshops.ts';
import { describeZodError, errorReply, extractId, okReply, type MessageId } from './messages.ts';
import type { RoomLobby } from './lobby.ts';

/** What a workshop room knows of its workshop (kept in the live match's setup for crash recovery). */
export interface WorkshopBinding {
  id: string;
  /** Join code (upper case). */
  code: string;
  /** The trainer's account username (lower case). */
  trainer: string;
  title: string;
  teamChoice: 'auto' | 'players';
  /** Position of this match's scenario in the workshop's list (0-based). */
  index: number;
  /** How many scenarios the workshop plays. */
  scenarios: number;
}

/** Real milliseconds an ended workshop room stays open for its debrief and the trainer's `next` (unless everyone leaves). */
export const WORKSHOP_END_LINGER_MS = 30 * 60_000;
/** Clients a workshop room seats (a class of 40 with a trainer and a few spectators; other rooms: 16). */
export const WORKSHOP_MAX_CLIENTS = 64;
/** Real milliseconds a room stays up after announcing the next match (clients move over). */
export const NEXT_LINGER_MS = 15_000;

/** Refusal texts (the `reply.error` or join error players see). */
export const DESK_ERRORS = {
  notWorkshopTrainer: (trainer: string, what: string) => `only this workshop's trainer (${trainer}) may ${what}`,
  otherTrainer: (trainer: string) => `this match is run by trainer ${trainer}: only they may join it as its trainer (join without trainer: true to play or watch)`,
  workshopTrainerOnly: (trainer: string) => `only this workshop's trainer (${trainer}) may join it as its trainer (join without trainer: true to play or watch)`,
  codeNeeded: 'this room belongs to a workshop: join it with its code (join option workshop)',
  wrongCode: 'wrong workshop code for this room',
  notAWorkshop: 'this room is not a workshop room: join without the workshop option',
  autoTeams: "in this workshop the trainer places players on teams: ask the trainer to move you",
} as const;

/** Join-option key of the one-time workshop creation ticket (never accepted from clients). */
const TICKET_KEY = '__gamedayWorkshop';
const tickets = new Map<string, WorkshopBinding>();

/**
 * The workshop creation ticket in a room's creation options: the binding it stands for and the
 * options without it (to parse as ordinary join options), or null binding when there is none.
 */
export function takeWorkshopCreation(options: unknown): { binding: WorkshopBinding | null; options: unknown } {
  if (typeof options !== 'object' || options === null || !(TICKET_KEY in options)) return { binding: null, options };
  const { [TICKET_KEY]: ticket, ...rest } = options as Record<string, unknown>;
  const binding = typeof ticket === 'string' ? tickets.get(ticket) : undefined;
  if (typeof ticket === 'string') tickets.delete(ticket);
  return { binding: binding ?? null, options: rest };
}

/**
 * Creates the match room of the workshop's scenario number `index` (0-based): phase `lobby`, the
 * workshop's settings, private. Not joined by anyone yet.
 * @returns its roomId.
 * @throws Error (the room's ServerError message) when the room cannot be created.
 */
export async function createWorkshopRoom(workshop: Workshop, index: number): Promise<string> {
  const ticket = randomBytes(18).toString('base64url');
  const s = workshop.settings;
  tickets.set(ticket, { id: workshop.id, code: workshop.code, trainer: workshop.trainer, title: workshop.title, teamChoice: s.teamChoice, index, scenarios: s.scenarios.length });
  try {
    const room = await matchMaker.createRoom(ROOM_NAME, {
      name: workshop.trainer,
      scenario: s.scenarios[index],
      teams: s.teams,
      mode: s.mode,
      roles: s.roles,
      lobby: true,
      timeDilation: s.timeDilation,
      ...(s.durationSeconds !== null ? { durationSeconds: s.durationSeconds } : {}),
      [TICKET_KEY]: ticket,
    });
    return room.roomId;
  } finally {
    tickets.delete(ticket);
  }
}

/** A pending timed injection. */
interface PendingInjection {
  team: string;
  /** Team sim seconds it starts at. */
  at: number;
  /** The trainer's name. */
  player: string;
  incident: InjectIncident & { id: string };
}

/** What the desk needs from its room (MatchRoom passes closures). */
export interface DeskHost {
  match(): Match;
  db: Database;
  log(): Logger;
  sessions: ReadonlyMap<string, string>;
  clients(): Iterable<Client>;
  lobby(): RoomLobby;
  /** Journals an accepted entry (the reply waits until durable). */
  journal(entry: JournalEntry): void;
  /** The room's immediate injection (`control` op `inject` now): validation, `inject`, journal. */
  injectNow(id: MessageId, who: MatchPlayer, team: string, incident: InjectIncident): ReplyMessage;
  /** Sim seconds now (the state's `t`). */
  t(): number;
}

/** The room's trainer desk: authorization, workshop seating and the trainer's console ops. */
export class RoomDesk {
  private readonly host: DeskHost;
  readonly workshop: WorkshopBinding | null;
  private pending: PendingInjection[] = [];

  constructor(host: DeskHost, workshop: WorkshopBinding | null, pending: readonly JournalEntry[] = []) {
    this.host = host;
    this.workshop = workshop;
    for (const e of pending) if (e.kind === 'timedInject') this.pending.push({ team: e.team, at: e.at, player: e.player, incident: structuredClone(e.incident) });
  }

  /** The trainer who runs this room: the workshop's, or the first trainer account who joined (null: none yet). */
  owner(): string | null {
    if (this.workshop) return this.workshop.trainer;
    return this.host.match().players.find((p) => p.trainer)?.name ?? null;
  }

  /** True when `player` may do trainer actions here. */
  isTrainer(player: MatchPlayer): boolean {
    if (!player.trainer) return false;
    return this.workshop ? player.name.toLowerCase() === this.workshop.trainer : this.owner() === player.name;
  }

  /**
   * Checks a join against the workshop rules and returns the options to seat with (team placed,
   * the workshop's trainer as a spectating trainer).
   * @returns the refusal text, or the options.
   */
  checkJoin(opts: JoinOptions): JoinOptions | string {
    const match = this.host.match();
    const ws = this.workshop;
    if (!ws) {
      if (opts.workshop !== undefined) return DESK_ERRORS.notAWorkshop;
      const owner = this.owner();
      if (opts.trainer && owner !== null && owner !== opts.name) return DESK_ERRORS.otherTrainer(owner);
      return opts;
    }
    if (opts.workshop === undefined) return DESK_ERRORS.codeNeeded;
    if (normaliseJoinCode(opts.workshop) !== ws.code) return DESK_ERRORS.wrongCode;
    if (opts.trainer) {
      if (opts.name.toLowerCase() !== ws.trainer) return DESK_ERRORS.workshopTrainerOnly(ws.trainer);
      return { ...opts, spectator: true, team: playerByName(match, opts.name)?.team ?? match.teams[0]!.id };
    }
    if (opts.spectator) return opts;
    const known = playerByName(match, opts.name);
    if (known) return { ...opts, team: known.team };
    if (ws.teamChoice === 'players' && opts.team !== undefined) return opts;
    return { ...opts, team: this.balancedTeam() };
  }

  /** The team with the fewest players seated now (spectators, trainers not counted); ties: team order. */
  private balancedTeam(): string {
    const match = this.host.match();
    const counts = new Map(match.teams.map((t) => [t.id, 0]));
    for (const p of match.players) if (p.present && !p.spectator && !p.trainer) counts.set(p.team, (counts.get(p.team) ?? 0) + 1);
    let best = match.teams[0]!.id;
    for (const t of match.teams) if (counts.get(t.id)! < counts.get(best)!) best = t.id;
    return best;
  }

  /**
   * The authorization gate every client message goes through before its handler: the refusal text,
   * or null to go on (the handler then applies the game's own rules: phase, roles, spectators...).
   * Trainer actions: every `control` op, the lobby's `start` and `bot` in a workshop; the lobby's
   * `team` op in an `auto` workshop is the trainer's (`control` op `move`).
   */
  gate(type: string, raw: unknown, player: MatchPlayer | string): string | null {
    if (typeof player === 'string') return null; // the handler refuses non-players with its own text
    const op = typeof raw === 'object' && raw !== null ? (raw as { op?: unknown }).op : undefined;
    const ws = this.workshop;
    if (type === 'control') {
      if (this.isTrainer(player)) return null;
      if (ws) return DESK_ERRORS.notWorkshopTrainer(ws.trainer, `use the game-master controls${typeof op === 'string' ? ` (control op ${op})` : ''}`);
      // Outside workshops a non-trainer gets the match's own texts (unchanged since issue 8).
      return player.trainer ? MATCH_ERRORS.notTrainer : null;
    }
    if (!ws) return null;
    if (type === 'lobby' && op === 'start' && !this.isTrainer(player)) return DESK_ERRORS.notWorkshopTrainer(ws.trainer, 'start the match');
    if (type === 'lobby' && op === 'team' && ws.teamChoice === 'auto') return DESK_ERRORS.autoTeams;
    if (type === 'bot' && !this.isTrainer(player)) return DESK_ERRORS.notWorkshopTrainer(ws.trainer, 'add bots');
    return null;
  }

  /** `control` op `message`: a hint or message to `team`'s players (absent: everyone) as a `notice`. */
  message(id: MessageId, who: MatchPlayer, team: string | undefined, text: string | undefined, kind: 'hint' | 'message' | undefined): ReplyMessage {
    const match = this.host.match();
    if (text === undefined) return errorReply('control', id, 'message needs text: 1 to 500 characters');
    if (team !== undefined && !match.teams.some((t) => t.id === team)) return errorReply('control', id, `team "${team}" is not in this match (teams: ${match.teams.map((t) => t.id).join(', ')})`);
    const notice: NoticeMessage = { t: this.host.t(), text, kind: kind ?? 'message', from: who.name, ...(team !== undefined ? { team } : {}) };
    let delivered = 0;
    for (const client of this.host.clients()) {
      const playerId = this.host.sessions.get(client.sessionId);
      const p = playerId === undefined ? undefined : match.players.find((x) => x.id === playerId);
      if (!p) continue;
      // Trainers get a copy of everything they send; spectators see messages to everyone.
      const to = team === undefined || (p.team === team && !p.spectator) || p.trainer;
      if (!to) continue;
      client.send('notice', notice);
      if (!p.trainer) delivered++;
    }
    this.host.log().info({ player: who.name, team: team ?? 'all', kind: notice.kind }, 'trainer message sent');
    return okReply('control', id, `${notice.kind} sent to ${team === undefined ? 'everyone' : `team ${team}`} (${delivered} player${delivered === 1 ? '' : 's'} connected)`);
  }

  /** `control` op `move`: the trainer moves `name` to `team` (phase `lobby`). */
  move(id: MessageId, who: MatchPlayer, name: string | undefined, team: string | undefined): ReplyMessage {
    if (name === undefined || team === undefined) return errorReply('control', id, 'move needs player (a name) and team');
    const target = playerByName(this.host.match(), name);
    if (!target || target.bot === true) return errorReply('control', id, `no player named "${name}" in this match`);
    if (target.trainer) return errorReply('control', id, 'trainers are not on a team: they watch every team');
    const result = this.host.lobby().moveByTrainer(who, target, team);
    return result.ok ? okReply('control', id, result.message) : errorReply('control', id, result.error);
  }

  /**
   * `control` op `inject` with `atSeconds` > 0: checks what can be checked now (kind, target syntax,
   * team, id free), plans it, journals it and sends trainers the plan. Players are not told.
   */
  planInjection(id: MessageId, who: MatchPlayer, teamId: string, incident: InjectIncident | undefined, atSeconds: number): ReplyMessage {
    const match = this.host.match();
    if (incident === undefined) return errorReply('control', id, 'inject needs incident: { type, target, params? }');
    if (!isIncidentType(incident.type)) return errorReply('control', id, `unknown incident kind "${incident.type}": expected one of ${INCIDENT_KINDS.join(', ')}`);
    const target = targetSyntax[incidentModule(incident.type).target.kind]().safeParse(incident.target);
    if (!target.success) return errorReply('control', id, `invalid message: incident.target: ${describeZodError(target.error)}`);
    if (match.phase === 'ended') return errorReply('control', id, MATCH_ERRORS.controlEnded);
    const team = match.teams.find((t) => t.id === teamId);
    if (!team) return errorReply('control', id, `team "${teamId}" is not in this match (teams: ${match.teams.map((t) => t.id).join(', ')})`);
    const used = (x: string) => team.schedule.some((s) => s.id === x) || team.sim.incidents.some((i) => i.spec.id === x) || this.pending.some((p) => p.team === teamId && p.incident.id === x);
    let incidentId = incident.id;
    if (incidentId !== undefined && used(incidentId)) return errorReply('control', id, `incident id "${incidentId}" is already used in team ${teamId}`);
    for (let n = 1; incidentId === undefined; n++) if (!used(`timed-${n}`)) incidentId = `timed-${n}`;
    const at = team.sim.t + atSeconds;
    const planned: PendingInjection = { team: teamId, at, player: who.name, incident: { ...structuredClone(incident), id: incidentId } };
    this.pending.push(planned);
    this.host.journal({ kind: 'timedInject', team: teamId, player: who.name, at, incident: structuredClone(planned.incident) });
    this.sendPlan();
    this.host.log().info({ player: who.name, team: teamId, type: incident.type, at }, 'timed injection planned');
    return okReply('control', id, `incident ${incidentId} (${incident.type}) will start on team ${teamId} at t=${at}s (in ${atSeconds} sim s)`);
  }

  /**
   * Between ticks: starts every planned injection whose team clock reached its time (in plan order),
   * through the room's immediate injection. One that is refused then (its target is gone...) is
   * dropped and the trainers are told.
   */
  fireDue(): void {
    if (this.pending.length === 0) return;
    const match = this.host.match();
    const due = this.pending.filter((p) => (match.teams.find((t) => t.id === p.team)?.sim.t ?? Infinity) >= p.at);
    if (due.length === 0) return;
    this.pending = this.pending.filter((p) => !due.includes(p));
    for (const p of due) {
      const who = playerByName(match, p.player);
      const reply = who ? this.host.injectNow(null, who, p.team, p.incident) : errorReply('control', null, `trainer ${p.player} is not in the match`);
      if (!reply.ok) this.toTrainers({ t: this.host.t(), text: `timed injection ${p.incident.id} on team ${p.team} could not start: ${reply.error}` });
    }
    this.sendPlan();
  }

  /** The plan as trainers see it, by start time. */
  plan(): PendingInjectionView[] {
    return [...this.pending]
      .sort((a, b) => a.at - b.at || (a.team < b.team ? -1 : a.team > b.team ? 1 : 0))
      .map((p) => ({ id: p.incident.id, team: p.team, type: p.incident.type, target: p.incident.target, atSeconds: p.at, player: p.player }));
  }

  /** Sends the plan (`workshop` op `plan`) to every trainer client, or to `client` only. */
  sendPlan(client?: Client): void {
    const message: WorkshopMessage = { op: 'plan', pending: this.plan() };
    for (const c of client ? [client] : this.host.clients()) if (this.clientIsTrainer(c)) c.send('workshop', message);
  }

  private toTrainers(notice: NoticeMessage): void {
    for (const c of this.host.clients()) if (this.clientIsTrainer(c)) c.send('notice', notice);
  }

  private clientIsTrainer(client: Client): boolean {
    const playerId = this.host.sessions.get(client.sessionId);
    const p = playerId === undefined ? undefined : this.host.match().players.find((x) => x.id === playerId);
    return p !== undefined && this.isTrainer(p);
  }

  /** The match started: the workshop is `running`. Logged, never thrown. */
  started(): void {
    const ws = this.workshop;
    if (!ws) return;
    void updateWorkshop(this.host.db, ws.id, { status: 'running' }).catch((err: unknown) => this.host.log().error({ err, workshop: ws.id }, 'updating the workshop status failed'));
  }

  /**
   * The match was archived (`ids`: its team records, `matchGroup`: the shared/game match id): tag the
   * records with the workshop, then the workshop is `open` for its next scenario, or `ended` after
   * the last. Logged, never thrown.
   */
  async archived(ids: readonly string[], matchGroup: string): Promise<void> {
    const ws = this.workshop;
    if (!ws) return;
    try {
      await tagWorkshopMatches(this.host.db, ids, ws.id, matchGroup);
      await updateWorkshop(this.host.db, ws.id, { status: ws.index + 1 >= ws.scenarios ? 'ended' : 'open' });
    } catch (err) {
      this.host.log().error({ err, workshop: ws.id }, 'recording the workshop match failed');
    }
  }

  /** The `workshop` message op `next` to everyone: the next match is in room `roomId`. */
  announceNext(roomId: string): void {
    const message: WorkshopMessage = { op: 'next', roomId };
    for (const c of this.host.clients()) c.send('workshop', message);
  }
}

/** The message id of a raw message, for refusals before parsing. */
export { extractId };
