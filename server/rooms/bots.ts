/**
 * Server-side bot seats (issue 8: "empty seats can be filled by bots", "let a solo player race a
 * team"): built-in bots (shared/game/bots) seated as match players and played inside the room.
 *
 * - Seats: the creator's join option `bots` (a level: one bot on each team but the creator's; or a
 *   list `[{ team, level }]`), and the `bot` message (`{ team, level }`: the host or a trainer, until the
 *   match ends). A bot is a `MatchPlayer` named `bot-LEVEL-TEAM` (then `-2`, `-3`...), flagged `bot`
 *   (always ready, never the host, no solo player seat; with roles on it plays `operations`), shown in
 *   the state's `players` under the key `bot:NAME` with `bot: true`, announced like a person (`notice`).
 * - Play: every {@link BOT_OBSERVE_MS} real ms while the match runs, each bot observes what a player of
 *   its team gets: its team's projected view (`teams[TEAM]`: firing alerts, the events table, the pages)
 *   and the replies to its own console lines; never the schedule, the incidents or the cluster. Its
 *   lines go through the player's path: read commands are answered by shared/kubectl, writes are the
 *   room's `applyPlayerAction` (the match's gate, the protocol's action schema, `submit`, journaled as
 *   an `action` entry naming the bot, so the events' `source` and the action log name it). Its page
 *   acknowledgements are workflow `ack`s (journaled `workflow` entries), a red-vs-blue bot's attacks
 *   `chaos` entries: crash recovery replays what the bots did like what people did. A rebuilt room
 *   seats its bots again (their `join` entries carry `bot: true`) with fresh memories.
 * - Red vs blue: while its team attacks, a bot launches attacks from its side's chaos panel
 *   (shared/game/bots `chooseAttack`: the strongest affordable kind off cooldown, one per minute);
 *   in its defence half it plays like any bot.
 *
 * Time: bots think in real seconds at {@link BOT_TIME_DILATION} sim s per real s, whatever the room's
 * speed: a fast-forwarded match fast-forwards its bots with it (their reactions stay the same in sim
 * seconds, as `gameday sim --bot`'s).
 *
 * May import @colyseus/core, shared/ (game, kubectl, protocol), server/db types, ./schema.ts, ./messages.ts.
 */
import { ServerError, ErrorCode, type Client, type Room } from '@colyseus/core';
import { BOT_LEVELS, botSeed, chooseAttack, createBot, type Bot, type BotAlert, type BotEvent, type BotLevel, type BotReply } from '../../shared/game/bots/index.ts';
import { applyWorkflow, attack, chaosInfoFor, getTeam, join, hostOf, type Match, type MatchPlayer } from '../../shared/game/index.ts';
import { runKubectl } from '../../shared/kubectl/index.ts';
import { BOT_LEVEL_NAMES, type BotSeat, type ClientMessageType, type JoinOptions, type ReplyMessage } from '../../shared/protocol.ts';
import type { SimAction } from '../../shared/sim/types.ts';
import type { JournalEntry } from '../db/journal.ts';
import { PlayerSchema, type MatchStateSchema, type TeamSchema } from './schema.ts';
import { errorReply, okReply, parseClientMessage } from './messages.ts';

// The protocol's level names are exactly the bots' levels.
const levelCheck: [(typeof BOT_LEVEL_NAMES)[number], BotLevel] extends [BotLevel, (typeof BOT_LEVEL_NAMES)[number]] ? true : never = true;
void levelCheck;
void BOT_LEVELS;

/** Real milliseconds between two observations of each server-side bot. */
export const BOT_OBSERVE_MS = 100;
/** Sim seconds per real second the bots' reaction and think times are taken at (the default speed). */
export const BOT_TIME_DILATION = 4;
/** Most server-side bots in one match. */
export const MAX_BOTS = 16;
/** Key prefix of a bot's entry in the state's `players` (session ids never contain `:`). */
export const BOT_PLAYER_KEY_PREFIX = 'bot:';

/** What the room lends this module (its private parts, as closures). */
export interface BotsHost {
  match(): Match;
  state: MatchStateSchema;
  /** The team's projected view (what its players' clients get), or undefined. */
  teamView(team: string): TeamSchema | undefined;
  /** The room's player write path (`applyPlayerAction`): gate, schema, `submit`, journal, dirty. */
  submit(player: MatchPlayer, action: SimAction): ReplyMessage;
  /** Journals an accepted event. */
  journal(entry: JournalEntry): void;
  /** The team's cluster or workflow changed: project it before the next patch. */
  dirty(team: string): void;
  /** A seat was taken: announce it (the lobby's notice) and refresh the listing. */
  joined(player: MatchPlayer): void;
  /** The client's seat, or the match's refusal text. */
  playerOf(client: Client): MatchPlayer | string;
  /**
   * Runs `run` now when the match is at a whole tick, else as soon as the tick the room is running in
   * slices is complete (MatchRoom `whenWhole`): bots change the match only between ticks.
   */
  whole(run: () => void): void;
  /** The room's guard: runs a handler and delivers its reply. */
  guard(client: Client, type: ClientMessageType, raw: unknown, requestId: number | undefined, handler: () => ReplyMessage): ReplyMessage | Promise<ReplyMessage> | undefined;
}

/** One bot the room plays. */
interface LiveBot {
  player: MatchPlayer;
  bot: Bot;
  /** Replies to its lines since its last observation. */
  replies: BotReply[];
  /** Sim second of its last attack (red vs blue), null before the first. */
  lastAttackAt: number | null;
}

/**
 * The seats the creator's `bots` option asks for, checked against the match's teams (before anything
 * is registered, so a bad option creates no match).
 * @param creatorTeam the creator's team (`team` option, default the first team); a level fills every other team.
 * @throws ServerError (APPLICATION_ERROR) for a team the match does not have or more than {@link MAX_BOTS} bots.
 */
export function botSeatsOf(opts: JoinOptions, teamIds: readonly string[]): BotSeat[] {
  const bots = opts.bots;
  if (bots === undefined) return [];
  const creatorTeam = opts.spectator === true ? null : (opts.team ?? teamIds[0]);
  const seats = typeof bots === 'string' ? teamIds.filter((t) => t !== creatorTeam).map((team) => ({ team, level: bots })) : bots;
  for (const s of seats) {
    if (!teamIds.includes(s.team)) throw new ServerError(ErrorCode.APPLICATION_ERROR, `invalid join options: bots: team "${s.team}" is not in this match (teams: ${teamIds.join(', ')})`);
  }
  if (seats.length > MAX_BOTS) throw new ServerError(ErrorCode.APPLICATION_ERROR, `invalid join options: bots: at most ${MAX_BOTS} bots`);
  return seats;
}

/** The server-side bots of one match room. Create with {@link registerBots}. */
export class RoomBots {
  private readonly host: BotsHost;
  private readonly live: LiveBot[] = [];

  constructor(host: BotsHost) {
    this.host = host;
    // A rebuilt match: its bots (journaled seats with `bot: true`) come back, with fresh memories.
    for (const player of host.match().players) if (player.bot === true) this.reseat(player);
  }

  /** Seats `seat` as a new bot (journaled `join` with `bot: true`); returns it, or the refusal text. */
  add(seat: BotSeat): MatchPlayer | string {
    const match = this.host.match();
    if (match.phase === 'ended') return 'the match has ended';
    if (this.live.length >= MAX_BOTS) return `at most ${MAX_BOTS} bots in a match`;
    const base = `bot-${seat.level}-${seat.team}`;
    let name = base;
    for (let n = 2; match.players.some((p) => p.name === name); n++) name = `${base}-${n}`;
    const result = join(match, { name, team: seat.team, bot: true, ...(match.settings.roles ? { role: 'operations' as const } : {}) });
    if (!result.ok) return result.error;
    const player = result.player;
    this.host.journal({ kind: 'join', name: player.name, team: player.team, trainer: false, tokenHash: null, ...(player.role !== null ? { role: player.role } : {}), bot: true });
    this.reseat(player);
    this.host.joined(player);
    return player;
  }

  /** Seats every seat of the creator's `bots` option ({@link botSeatsOf}). */
  addAll(seats: readonly BotSeat[]): void {
    for (const s of seats) {
      const r = this.add(s);
      if (typeof r === 'string') throw new ServerError(ErrorCode.APPLICATION_ERROR, `bots: ${r}`);
    }
  }

  /** The `bot` message: the host or a trainer seats a bot of `level` on `team`. */
  onMessage(client: Client, raw: unknown): ReplyMessage {
    const parsed = parseClientMessage('bot', raw);
    if (!parsed.ok) return parsed.reply;
    const { id, message } = parsed;
    const who = this.host.playerOf(client);
    if (typeof who === 'string') return errorReply('bot', id, who);
    const match = this.host.match();
    if (!who.trainer && hostOf(match)?.id !== who.id) return errorReply('bot', id, 'only the host or a trainer may add a bot');
    if (!match.teams.some((t) => t.id === message.team)) return errorReply('bot', id, `team "${message.team}" is not in this match (teams: ${match.teams.map((t) => t.id).join(', ')})`);
    const r = this.add({ team: message.team, level: message.level });
    if (typeof r === 'string') return errorReply('bot', id, r);
    return okReply('bot', id, `${r.name} joined team ${r.team}`);
  }

  /** One observation of every bot (while the match runs): console lines, acks, attacks. */
  step(): void {
    const match = this.host.match();
    if (match.phase !== 'running') return;
    for (const b of this.live) this.play(match, b);
  }

  private reseat(player: MatchPlayer): void {
    const match = this.host.match();
    if (!player.present) join(match, { name: player.name, team: player.team, bot: true });
    const seed = botSeed(match.teams[0]?.sim.settings.seed ?? 0, player.name);
    const level = (BOT_LEVEL_NAMES as readonly string[]).includes(player.name.split('-')[1] ?? '') ? (player.name.split('-')[1] as BotLevel) : 'novice';
    const bot = createBot({ level, name: player.name, seed, timeDilation: BOT_TIME_DILATION });
    this.live.push({ player, bot, replies: [], lastAttackAt: null });
    const view = new PlayerSchema({ name: player.name, team: player.team, trainer: false, actions: player.actions, id: player.id, role: player.role ?? '', spectator: false, ready: true, connected: true, bot: true });
    this.host.state.players.set(`${BOT_PLAYER_KEY_PREFIX}${player.name}`, view);
  }

  private play(match: Match, b: LiveBot): void {
    const team = b.player.team;
    const view = this.host.teamView(team);
    if (!view) return;
    const t = getTeam(match, team).sim.t;
    const lines = b.bot.observe({ t, alerts: alertsOf(view), events: eventsOf(view), pages: pagesOf(view), replies: b.replies });
    b.replies = [];
    for (const page of b.bot.takeAcks()) {
      const request = { op: 'ack' as const, page };
      const result = applyWorkflow(match, b.player.id, request);
      if (!result.ok) continue;
      this.host.journal({ kind: 'workflow', team, player: b.player.name, request });
      this.host.dirty(team);
    }
    for (const command of lines) b.replies.push({ command, ...this.type(match, b.player, command) });
    this.attack(match, b, t);
    const entry = this.host.state.players.get(`${BOT_PLAYER_KEY_PREFIX}${b.player.name}`);
    if (entry && entry.actions !== b.player.actions) entry.actions = b.player.actions;
  }

  /** A console line as a player's `kubectl` message: reads answered, writes through the player's path. */
  private type(match: Match, player: MatchPlayer, command: string): { ok: boolean; text: string } {
    const result = runKubectl(getTeam(match, player.team).sim, command);
    if (result.kind === 'output') return { ok: true, text: result.output };
    if (result.kind === 'error') return { ok: false, text: result.error };
    const reply = this.host.submit(player, result.action);
    return reply.ok ? { ok: true, text: reply.output ?? '' } : { ok: false, text: reply.error ?? '' };
  }

  /** Red vs blue: an attack from what the attacking side sees (its chaos panel), when the policy says so. */
  private attack(match: Match, b: LiveBot, t: number): void {
    if ((match.chaos ?? null) === null) return;
    const info = chaosInfoFor(match, b.player.team);
    const pick = chooseAttack(info, t, b.lastAttackAt);
    if (pick === null) return;
    b.lastAttackAt = t;
    const result = attack(match, b.player.id, pick);
    if (!result.ok) return;
    this.host.journal({ kind: 'chaos', team: b.player.team, player: b.player.name, attack: { kind: result.attack.kind, target: result.attack.target } });
    this.host.dirty(result.attack.defender);
  }
}

type AnyArray<T> = { length: number; at(i: number): T | undefined };
function items<T>(list: AnyArray<T> | undefined): T[] {
  const out: T[] = [];
  if (!list) return out;
  for (let i = 0; i < list.length; i++) {
    const x = list.at(i);
    if (x !== undefined) out.push(x);
  }
  return out;
}

/** The team view's firing alerts, as the pager shows them. */
function alertsOf(view: TeamSchema): BotAlert[] {
  return items(view.alerts as unknown as AnyArray<BotAlert>).map((a) => ({ id: a.id, severity: a.severity, slo: a.slo, since: a.since, summary: a.summary }));
}

/** The team view's events table. */
function eventsOf(view: TeamSchema): BotEvent[] {
  return items(view.events as unknown as AnyArray<BotEvent>).map((e) => ({ seq: e.seq, t: e.t, type: e.type, reason: e.reason, kind: e.kind, name: e.name, message: e.message }));
}

/** The team view's pages. */
function pagesOf(view: TeamSchema): { id: string; acked: boolean }[] {
  return items(view.pages as unknown as AnyArray<{ id: string; acked: boolean }>).map((p) => ({ id: p.id, acked: p.acked }));
}

/**
 * Registers server-side bots on a room: the `bot` message handler and the {@link BOT_OBSERVE_MS}
 * observation loop. One call in MatchRoom `setup`; {@link RoomBots.addAll} seats the creator's `bots`.
 */
export function registerBots(room: Room, host: BotsHost): RoomBots {
  const bots = new RoomBots(host);
  room.onMessage('bot', (client, raw, ctx) => host.guard(client, 'bot', raw, ctx?.id, () => bots.onMessage(client, raw)));
  let waiting = false; // one observation at a time while the room holds them for a whole tick
  room.clock.setInterval(() => {
    if (waiting) return;
    waiting = true;
    host.whole(() => {
      waiting = false;
      bots.step();
    });
  }, BOT_OBSERVE_MS);
  return bots;
}
