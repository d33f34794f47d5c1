/**
 * The headless match of `gameday sim`: a one-team shared/game {@link Match} driven by `playMatch`
 * (shared/game/replay.ts), the same loop replay uses: before each tick, the planned actions due at
 * that tick are submitted (kubectl `command` lines resolved against the team's cluster *at* their
 * tick), then `advance`. It follows the replay rule of {@link LoggedAction}: an action logged at tick k
 * is applied while `sim.tick === k`, just before step k + 1.
 */
import { DEFAULT_TEAM_ID, applyWorkflow, createMatch, getTeam, join, playMatch, playerByName, submit, type Match, type PageRecord } from '../../shared/game/index.ts';
import { botSeed, createBot, type Bot, type BotEvent, type BotLevel, type BotReply, type BotView } from '../../shared/game/bots/index.ts';
import { runKubectl } from '../../shared/kubectl/index.ts';
import type { LoggedAction, SimAction, SimEvent, SimInput, SimState } from '../../shared/sim/types.ts';
import { forEachFeedRow } from '../../shared/sim/notices.ts';
import type { PlannedAction } from './actions-file.ts';

/** What {@link runHeadless} returns. */
export interface HeadlessResult {
  /** The one-team match after the last tick (`teamSummary(match, DEFAULT_TEAM_ID)` is the CLI's summary). */
  match: Match;
  /** The team's cluster after the last tick. */
  state: SimState;
  /** Actions the match accepted, as a replay log (tick, player, structured action). */
  log: LoggedAction[];
  /** Rejected actions, unparsable commands, actions after the end, dropped events. */
  warnings: string[];
  /** What each bot did (in the order of `HeadlessOptions.bots`). */
  bots: BotRecord[];
}

/** A bot seat of a headless match. */
export interface HeadlessBot {
  level: BotLevel;
  /** Player name (default `bot-LEVEL`). */
  name?: string;
}

/** One console line a bot typed that changed (or tried to change) the cluster. */
export interface BotWrite {
  /** Sim second it was typed. */
  t: number;
  command: string;
  ok: boolean;
  /** The reply: the match's confirmation or its error. */
  reply: string;
}

/** What a bot did in a headless match. */
export interface BotRecord {
  name: string;
  level: BotLevel;
  /** The bot's PRNG seed (`botSeed(input.seed, name)`). */
  seed: number;
  /** Console lines typed (reads and writes). */
  commands: number;
  /** Actions the match accepted from it. */
  actions: number;
  /** Its write lines (accepted or not), in order. */
  writes: BotWrite[];
  /** Pages it acknowledged (workflow `ack`), with the sim second. */
  acks: { page: string; t: number }[];
}

/** Options of {@link runHeadless}. */
export interface HeadlessOptions {
  /**
   * Called with the events recorded since the previous call, in `seq` order: once after creation and
   * once after every tick. Together the calls deliver the whole event stream, although the state keeps
   * only the last `eventLimit` events.
   */
  onEvents?: (events: SimEvent[]) => void;
  /**
   * Called like `onEvents` with the same Events plus the game's notices (`state.notices`: pager alerts
   * firing and resolving, incidents starting and mitigated), in the order written, each as a
   * {@link StreamRow}: the stream `gameday sim --events` writes (a notice is a row with `count` 1).
   */
  onStream?: (rows: StreamRow[]) => void;
  /**
   * Bot players seated on the team before the first tick (shared/game/bots). Before each tick, after
   * the planned actions due then, each bot observes what a player sees (firing alerts, the last
   * {@link BOT_EVENT_WINDOW} events, the replies to its previous lines) and its lines go through the
   * console path ({@link consoleLine}: parse, then `submit` as that bot). Replies reach the bot at
   * its next observation (one tick later), like a reply over the wire.
   */
  bots?: HeadlessBot[];
  /**
   * Sim seconds per real second of the match the bots play (their reaction times are real seconds):
   * the scenario's `timeDilation`; default {@link DEFAULT_BOT_TIME_DILATION}.
   */
  timeDilation?: number;
}

/** Time dilation assumed for bots when the scenario gives none (the room's default speed). */
export const DEFAULT_BOT_TIME_DILATION = 4;

/** Events a bot sees in the events table: the last 50, as the room projects them (`TeamView.events`). */
export const BOT_EVENT_WINDOW = 50;

/** Number of ticks a match lasts: ceil(durationSeconds / tickSeconds) (both from `input.settings`). */
export function matchTicks(input: SimInput): number {
  return Math.ceil(input.settings.durationSeconds / input.settings.tickSeconds);
}

/** The tick at which an action planned at sim second `t` is applied: the first tick boundary >= t. */
export function tickAt(t: number, tickSeconds: number): number {
  return Math.ceil(t / tickSeconds);
}

/**
 * Runs a whole match headless with planned actions (sim seconds converted to ticks), one team
 * ({@link DEFAULT_TEAM_ID}); each planned `player` name joins that team on first use.
 * Deterministic: the same input and plan give the same state hash.
 */
export function runHeadless(input: SimInput, plan: PlannedAction[], opts: HeadlessOptions = {}): HeadlessResult {
  const match = createMatch({ input, teams: [DEFAULT_TEAM_ID] });
  const team = getTeam(match, DEFAULT_TEAM_ID);
  const ticks = matchTicks(input);
  const warnings: string[] = [];
  const due = plan
    .map((p, order) => ({ p, order, tick: tickAt(p.t, input.settings.tickSeconds) }))
    .sort((a, b) => a.tick - b.tick || a.order - b.order);
  for (const late of due.filter((d) => d.tick >= ticks)) {
    warnings.push(`${late.p.where}: t=${late.p.t} is at or after the end of the match (${input.settings.durationSeconds} s): not applied`);
  }
  let next = 0;
  let lastSeq = emitEvents(team.sim, -1, warnings, opts.onEvents);
  const stream = { event: -1, notice: -1 };
  emitStream(team.sim, stream, opts.onStream);
  const seated = (opts.bots ?? []).map((b) => seatBot(match, b, input.settings.seed, opts.timeDilation ?? DEFAULT_BOT_TIME_DILATION));
  playMatch(match, {
    ticks,
    beforeTick: () => {
      while (next < due.length && due[next]!.tick <= team.sim.tick) {
        applyPlanned(match, team.sim, due[next]!.p, warnings);
        next++;
      }
      for (const b of seated) playBot(match, team.sim, b);
    },
    afterTick: () => {
      lastSeq = emitEvents(team.sim, lastSeq, warnings, opts.onEvents);
      emitStream(team.sim, stream, opts.onStream);
    },
  });
  return { match, state: team.sim, log: team.log, warnings, bots: seated.map((b) => b.record) };
}

/** A seated bot: the bot, its seat and its record, and the replies it has not observed yet. */
interface SeatedBot {
  bot: Bot;
  playerId: string;
  record: BotRecord;
  replies: BotReply[];
}

function seatBot(match: Match, b: HeadlessBot, matchSeed: number, timeDilation: number): SeatedBot {
  const name = b.name ?? `bot-${b.level}`;
  const seed = botSeed(matchSeed, name);
  const bot = createBot({ level: b.level, name, seed, timeDilation });
  const seat = playerByName(match, name) ?? seatPlayer(match, name);
  return { bot, playerId: seat.id, record: { name, level: b.level, seed, commands: 0, actions: 0, writes: [], acks: [] }, replies: [] };
}

/**
 * What a player's client shows of the team's cluster to a bot: firing alerts, the events table, its
 * replies, and the pager's pages (`team.workflow.pages`, as the room projects them) when given.
 */
export function botViewOf(sim: SimState, replies: readonly BotReply[], pages?: readonly PageRecord[]): BotView {
  // The feed's rows: the Events and the game's notices (alerts, incidents) in the order written.
  const events: BotEvent[] = [];
  forEachFeedRow(sim.events, sim.notices, BOT_EVENT_WINDOW, (seq, e, n) => {
    const row = e ?? n!;
    events.push({ seq, t: row.t, type: row.type, reason: row.reason, kind: e?.object.kind ?? n!.object?.kind ?? '', name: e?.object.name ?? n!.object?.name ?? '', message: row.message });
  });
  const alerts = sim.alerts.filter((a) => a.firing).map((a) => ({ id: a.id, severity: a.severity, slo: a.slo, since: a.since, summary: a.summary }));
  const view: BotView = { t: sim.t, alerts, events, replies };
  if (pages) view.pages = pages.map((p) => ({ id: p.id, acked: p.ackedAt !== null }));
  return view;
}

/** One observation of a bot and the lines it types now, each through {@link consoleLine}. */
function playBot(match: Match, sim: SimState, b: SeatedBot): void {
  const lines = b.bot.observe(botViewOf(sim, b.replies, getTeam(match, DEFAULT_TEAM_ID).workflow.pages));
  b.replies = [];
  for (const page of b.bot.takeAcks()) {
    if (applyWorkflow(match, b.playerId, { op: 'ack', page }).ok) b.record.acks.push({ page, t: sim.t });
  }
  for (const command of lines) {
    const reply = consoleLine(match, b.playerId, sim, command);
    b.record.commands++;
    if (reply.action) {
      if (reply.ok) b.record.actions++;
      b.record.writes.push({ t: sim.t, command, ok: reply.ok, reply: reply.text });
    }
    b.replies.push({ command, ok: reply.ok, text: reply.text });
  }
}

/**
 * A console line typed by player `playerId` on the team's cluster `sim`, the way the room answers a
 * `kubectl` message: read commands answer with their text, errors with theirs, write commands are
 * submitted as that player (`action: true`) and answer with the match's confirmation or refusal.
 */
export function consoleLine(match: Match, playerId: string, sim: SimState, line: string): { ok: boolean; text: string; action: boolean } {
  const res = runKubectl(sim, line);
  if (res.kind === 'output') return { ok: true, text: res.output, action: false };
  if (res.kind === 'error') return { ok: false, text: res.error, action: false };
  const result = submit(match, playerId, res.action);
  return result.ok ? { ok: true, text: result.message, action: true } : { ok: false, text: result.error, action: true };
}

/** Submits one planned action at the current tick, resolving kubectl commands against the team's cluster. */
function applyPlanned(match: Match, sim: SimState, p: PlannedAction, warnings: string[]): void {
  let action: SimAction | undefined = p.action;
  if (p.command !== undefined) {
    const res = runKubectl(sim, p.command);
    if (res.kind === 'error') {
      warnings.push(`${p.where}: t=${p.t}: ${res.error}`);
      return;
    }
    if (res.kind === 'output') return; // a read-only command (get, describe...): nothing to apply
    action = res.action;
  }
  if (!action) return;
  const seat = playerByName(match, p.player) ?? seatPlayer(match, p.player);
  const result = submit(match, seat.id, action);
  if (!result.ok) warnings.push(`${p.where}: t=${p.t}: rejected: ${result.error}`);
}

/** Seats a planned action's player on the match's one team. */
function seatPlayer(match: Match, name: string) {
  const seat = join(match, { name, team: DEFAULT_TEAM_ID });
  if (!seat.ok) throw new Error(seat.error); // cannot happen: one team, names looked up first
  return seat.player;
}

/** One row of the event stream (`gameday sim --events`): an Event occurrence or a game notice (times in sim seconds). */
export interface StreamRow {
  t: number;
  type: string;
  reason: string;
  object: { kind: string; name: string; namespace: string };
  message: string;
  /** The Event series' count so far; 1 for a notice. */
  count: number;
  /** The series' first sim second; a notice's own `t`. */
  firstT: number;
}

/**
 * Hands the Events and notices newer than `last` (their `seq`s; -1 before the first) to `onStream`,
 * merged in the order written (a notice before the Event whose `seq` is its `after`), and moves `last`.
 */
function emitStream(state: SimState, last: { event: number; notice: number }, onStream?: (rows: StreamRow[]) => void): void {
  if (!onStream) return;
  const notices = state.notices ?? [];
  const rows: StreamRow[] = [];
  // The feed's own merge (shared/sim/notices.ts), over everything the state keeps; rows already handed out are skipped.
  forEachFeedRow(state.events, notices, state.events.length + notices.length, (_seq, e, n) => {
    if (e !== null) {
      if (e.seq <= last.event) return;
      rows.push({ t: e.t, type: e.type, reason: e.reason, object: { kind: e.object.kind, name: e.object.name, namespace: e.object.namespace }, message: e.message, count: e.count, firstT: e.firstT });
      last.event = e.seq;
    } else if (n!.seq > last.notice) {
      rows.push({ t: n!.t, type: n!.type, reason: n!.reason, object: n!.object ?? { kind: '', name: '', namespace: '' }, message: n!.message, count: 1, firstT: n!.t });
      last.notice = n!.seq;
    }
  });
  if (rows.length > 0) onStream(rows);
}

/** Hands the events newer than `lastSeq` to `onEvents`; returns the newest seq seen. Seqs start at 0. */
function emitEvents(state: SimState, lastSeq: number, warnings: string[], onEvents?: (events: SimEvent[]) => void): number {
  if (!onEvents) return lastSeq;
  const fresh = state.events.filter((e) => e.seq > lastSeq);
  if (fresh.length === 0) return lastSeq;
  const first = fresh[0]!.seq;
  if (first > lastSeq + 1) {
    warnings.push(`${first - lastSeq - 1} events of tick ${state.tick} exceeded eventLimit (${state.eventLimit}) and are missing from the stream`);
  }
  onEvents(fresh);
  return fresh[fresh.length - 1]!.seq;
}
