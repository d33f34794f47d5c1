/**
 * `gameday bot`: headless bot players (shared/game/bots) that join a real server's match over
 * WebSocket (@colyseus/sdk, as any client does) and play it through the `kubectl` message, seeing only
 * what a player's client gets: the team's firing alerts and events from the state patches, and the
 * replies to their own lines. Issue 12's "headless bot client for real servers" (load and recovery
 * tests), reusing the bots of issue 8.
 *
 * Time: bots think in real seconds; the match's `timeDilation` (from the state) turns them into sim
 * seconds. `--reaction-scale F` multiplies every bot time (F < 1: quicker than a person; for tests and
 * fast-forwarded matches).
 */
import { parseArgs } from 'node:util';
import type { Room } from '@colyseus/sdk';
import { BOT_LEVELS, botSeed, createBot, type Bot, type BotAlert, type BotEvent, type BotLevel, type BotReply } from '../../shared/game/bots/index.ts';
import type { MatchEndedMessage, ReplyMessage } from '../../shared/protocol.ts';
import { CliError, UsageError } from './errors.ts';
import type { BotWrite } from './headless.ts';

/** `gameday bot --help` text. */
export const BOT_USAGE = `Usage: gameday bot --url http://HOST:PORT [--scenario ID] [--match ROOM_ID] [--level novice|expert|idle]
                   [--count N] [--duration REAL_SECONDS] [--team TEAM] [--time-dilation X] [--reaction-scale F] [--json]

Joins a running server's match with N bot players (over WebSocket) who play it through the console.
  --url URL              the server (http://127.0.0.1:2567)
  --scenario ID          built-in scenario of the match to join or create (default: the server's default)
  --match ROOM_ID        join this match (GET /api/rooms) instead of joinOrCreate by scenario
  --level LEVEL          idle, novice or expert (default expert)
  --count N              bots to seat, 1..16 (default 1), named bot-LEVEL-1..N (bot-LEVEL when 1)
  --duration SECONDS     real seconds to play before leaving (default: until the match ends)
  --team TEAM            team to play for (default blue)
  --time-dilation X      sim seconds per real second when the bots create the match (0.25..120)
  --reaction-scale F     multiply the bots' reaction and think times (default 1; 0.05 = 20x quicker)
  --json                 print one JSON object {matchId, roomId, ended, bots: [{name, level, team, commands, actions, acks, writes, score}]}`;

/** One live bot seat. */
interface LiveBot {
  bot: Bot;
  room: Room;
  name: string;
  level: BotLevel;
  team: string;
  commands: number;
  actions: number;
  /** Pages acknowledged (workflow `ack` messages sent). */
  acks: number;
  writes: BotWrite[];
  /** Lines sent whose reply has not come, by message id. */
  pending: Map<number, string>;
  replies: BotReply[];
  nextId: number;
  score: number | null;
}

/** What {@link runBots} returns. */
export interface BotRunResult {
  matchId: string;
  /** Colyseus room id (for `--match`). */
  roomId: string;
  ended: boolean;
  bots: { name: string; level: BotLevel; team: string; commands: number; actions: number; acks: number; writes: BotWrite[]; score: number | null }[];
}

/** Options of {@link runBots}. */
export interface BotRunOptions {
  url: string;
  scenario?: string;
  roomId?: string;
  level: BotLevel;
  count: number;
  /** Real seconds to play (default: until the match ends). */
  durationSeconds?: number;
  team?: string;
  timeDilation?: number;
  reactionScale?: number;
  /** How often the bots observe the state, real ms (default 100). */
  observeMs?: number;
  /** Create a new match (`create`) instead of joinOrCreate when no `roomId` is given (default false; bench/load.ts). */
  create?: boolean;
  /** Called as the bots join, send and get replies (bench/load.ts measures with it; the CLI passes none). */
  observer?: BotObserver;
}

/**
 * Hooks into a bot run, for measuring it (bench/load.ts). Every callback is synchronous and must not
 * throw. `name` is the bot's seat name; times are the caller's to take (`performance.now()`).
 */
export interface BotObserver {
  /** A bot's seat is taken: `room` is its live connection (attach `onStateChange`, `onLeave`, `onError` here). */
  joined?(name: string, room: Room): void;
  /** A bot sent a `kubectl` or `workflow` message with this id. */
  sent?(name: string, type: 'kubectl' | 'workflow', id: number): void;
  /** A `reply` to one of a bot's messages arrived (any type; `reply.id` echoes the id sent). */
  replied?(name: string, reply: ReplyMessage): void;
  /** The run is about to leave the match on purpose (a close after this is no disconnect). */
  leaving?(): void;
}

type AnyArray<T> = { length: number; at(i: number): T | undefined } | undefined;
type RawTeam = { alerts?: AnyArray<Partial<BotAlert>>; events?: AnyArray<Partial<BotEvent>>; pages?: AnyArray<{ id?: string; acked?: boolean }> };
type RawState = { t?: number; phase?: string; matchId?: string; timeDilation?: number; teams?: { get(id: string): RawTeam | undefined } };

function items<T>(list: AnyArray<T>): T[] {
  const out: T[] = [];
  if (!list) return out;
  for (let i = 0; i < list.length; i++) {
    const x = list.at(i);
    if (x !== undefined) out.push(x);
  }
  return out;
}

/** The bot's view from the decoded room state: its team's firing alerts and events (fields at their defaults may be absent). */
function viewOf(state: RawState, team: string): { t: number; alerts: BotAlert[]; events: BotEvent[]; pages: { id: string; acked: boolean }[] } {
  const raw = state.teams?.get(team);
  const alerts = items(raw?.alerts).map((a) => ({ id: a.id ?? '', severity: a.severity ?? '', slo: a.slo ?? '', since: a.since ?? 0, summary: a.summary ?? '' }));
  const events = items(raw?.events).map((e) => ({
    seq: e.seq ?? 0,
    t: e.t ?? 0,
    type: e.type ?? '',
    reason: e.reason ?? '',
    kind: e.kind ?? '',
    name: e.name ?? '',
    message: e.message ?? '',
  }));
  const pages = items(raw?.pages).map((p) => ({ id: p.id ?? '', acked: p.acked === true }));
  return { t: state.t ?? 0, alerts, events, pages };
}

/** 32-bit FNV-1a (a bot seed from the match id). */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * Seats `opts.count` bots in one match of the server at `opts.url` and plays until the match ends or
 * `opts.durationSeconds` real seconds passed, then leaves. The first bot joins `opts.roomId` or
 * joinOrCreates a match of `opts.scenario`; the others join the first one's room.
 *
 * @throws CliError when the server refuses a join (its message) or cannot be reached.
 */
export async function runBots(opts: BotRunOptions): Promise<BotRunResult> {
  const { Client } = await import('@colyseus/sdk');
  const client = new Client(opts.url);
  const team = opts.team ?? 'blue';
  const scale = opts.reactionScale ?? 1;
  const names = Array.from({ length: opts.count }, (_, i) => (opts.count === 1 ? `bot-${opts.level}` : `bot-${opts.level}-${i + 1}`));
  const live: LiveBot[] = [];
  let roomId = opts.roomId;
  try {
    for (const name of names) {
      const options: Record<string, unknown> = { name, team };
      let room: Room;
      if (roomId !== undefined) room = await client.joinById(roomId, options);
      else {
        if (opts.scenario !== undefined) options.scenario = opts.scenario;
        if (opts.timeDilation !== undefined) options.timeDilation = opts.timeDilation;
        room = opts.create === true ? await client.create('match', options) : await client.joinOrCreate('match', options);
        roomId = room.roomId;
      }
      live.push(seat(room, name, opts.level, team));
      opts.observer?.joined?.(name, room);
    }
  } catch (err) {
    opts.observer?.leaving?.();
    await Promise.all(live.map((b) => b.room.leave().catch(() => undefined)));
    throw new CliError(`cannot join a match at ${opts.url}: ${(err as Error).message}`);
  }

  const first = live[0]!;
  let ended = false;
  let matchId = '';
  const done = new Promise<void>((resolve) => {
    const deadline = opts.durationSeconds === undefined ? null : Date.now() + opts.durationSeconds * 1000;
    const timer = setInterval(() => {
      const state = first.room.state as RawState;
      matchId = state.matchId ?? matchId;
      if (state.phase === 'ended') ended = true;
      for (const b of live) tick(b, opts.observer);
      if (ended || (deadline !== null && Date.now() >= deadline) || live.every((b) => b.score !== null)) {
        clearInterval(timer);
        resolve();
      }
    }, opts.observeMs ?? 100);
  });
  await done;
  // The matchEnded message may follow the last patch: give it a moment.
  if (ended) await waitUntil(() => live.every((b) => b.score !== null), 2_000);
  // Lines sent in the last observation: their replies (and writes) are the bots' too.
  await waitUntil(() => live.every((b) => b.pending.size === 0), 2_000);
  opts.observer?.leaving?.();
  await Promise.all(live.map((b) => b.room.leave().catch(() => undefined)));
  return {
    matchId,
    roomId: roomId ?? '',
    ended: ended || live.some((b) => b.score !== null),
    bots: live.map((b) => ({ name: b.name, level: b.level, team: b.team, commands: b.commands, actions: b.actions, acks: b.acks, writes: b.writes, score: b.score })),
  };

  function seat(room: Room, name: string, level: BotLevel, teamId: string): LiveBot {
    const state = room.state as RawState;
    const dilation = (state.timeDilation ?? 0) > 0 ? state.timeDilation! : 4;
    const bot = createBot({ level, name, seed: botSeed(hash32(room.roomId), name), timeDilation: dilation * scale });
    const b: LiveBot = { bot, room, name, level, team: teamId, commands: 0, actions: 0, acks: 0, writes: [], pending: new Map(), replies: [], nextId: 1, score: null };
    room.onMessage('credentials', (m: { team?: string }) => {
      if (typeof m.team === 'string') b.team = m.team;
    });
    room.onMessage('reply', (r: ReplyMessage) => {
      opts.observer?.replied?.(name, r);
      if (r.type !== 'kubectl' || typeof r.id !== 'number') return;
      const command = b.pending.get(r.id);
      if (command === undefined) return;
      b.pending.delete(r.id);
      const text = r.ok ? (r.output ?? '') : (r.error ?? '');
      b.replies.push({ command, ok: r.ok, text });
      if (!isRead(command)) {
        if (r.ok) b.actions++;
        b.writes.push({ t: (room.state as RawState).t ?? 0, command, ok: r.ok, reply: text });
      }
    });
    for (const type of ['notice', 'clock']) room.onMessage(type, () => undefined); // for people and the HUD, not the bots
    room.onMessage('matchEnded', (m: MatchEndedMessage) => {
      b.score = m.players.find((p) => p.name === name)?.score ?? m.summary.score;
    });
    return b;
  }
}

/** Console lines that only read (their replies are not actions). */
function isRead(command: string): boolean {
  return /^(kubectl (get|describe|top|rollout (status|history))|etcdctl (member list|endpoint)|help)\b/.test(command);
}

/** One observation of a live bot; its lines go out as `kubectl` messages. */
function tick(b: LiveBot, observer: BotObserver | undefined): void {
  const state = b.room.state as RawState;
  if (state.phase !== 'running') return;
  const view = viewOf(state, b.team);
  const lines = b.bot.observe({ ...view, replies: b.replies });
  b.replies = [];
  for (const page of b.bot.takeAcks()) {
    b.acks++;
    const id = b.nextId++;
    observer?.sent?.(b.name, 'workflow', id);
    b.room.send('workflow', { id, op: 'ack', page });
  }
  for (const command of lines) {
    const id = b.nextId++;
    b.pending.set(id, command);
    b.commands++;
    observer?.sent?.(b.name, 'kubectl', id);
    b.room.send('kubectl', { id, command });
  }
}

async function waitUntil(probe: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!probe() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
}

/** Runs `gameday bot ARGS`; resolves to the exit code. @throws UsageError, CliError. */
export async function botCommand(args: string[], out: (text: string) => void): Promise<number> {
  const { values } = parseArgs({
    args,
    allowPositionals: false,
    strict: true,
    options: {
      url: { type: 'string' },
      scenario: { type: 'string' },
      match: { type: 'string' },
      level: { type: 'string', default: 'expert' },
      count: { type: 'string', default: '1' },
      duration: { type: 'string' },
      team: { type: 'string' },
      'time-dilation': { type: 'string' },
      'reaction-scale': { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    out(BOT_USAGE);
    return 0;
  }
  if (values.url === undefined || !/^https?:\/\/\S+$/.test(values.url)) throw new UsageError('--url http://HOST:PORT is required');
  if (!(BOT_LEVELS as readonly string[]).includes(values.level)) throw new UsageError(`--level must be one of ${BOT_LEVELS.join(', ')}, got "${values.level}"`);
  const count = Number(values.count);
  if (!Number.isInteger(count) || count < 1 || count > 16) throw new UsageError(`--count must be an integer from 1 to 16, got "${values.count}"`);
  const positive = (flag: string, text: string | undefined, lo = 0, hi = Number.POSITIVE_INFINITY) => {
    if (text === undefined) return undefined;
    const n = Number(text);
    if (text.trim() === '' || !Number.isFinite(n) || n <= lo || n > hi) throw new UsageError(`--${flag} must be a number in (${lo}, ${hi}], got "${text}"`);
    return n;
  };
  const result = await runBots({
    url: values.url,
    ...(values.scenario !== undefined ? { scenario: values.scenario } : {}),
    ...(values.match !== undefined ? { roomId: values.match } : {}),
    level: values.level as BotLevel,
    count,
    ...(values.duration !== undefined ? { durationSeconds: positive('duration', values.duration) } : {}),
    ...(values.team !== undefined ? { team: values.team } : {}),
    ...(values['time-dilation'] !== undefined ? { timeDilation: positive('time-dilation', values['time-dilation'], 0.24, 120) } : {}),
    ...(values['reaction-scale'] !== undefined ? { reactionScale: positive('reaction-scale', values['reaction-scale']) } : {}),
  });
  if (values.json) out(JSON.stringify(result));
  else {
    out(`match ${result.matchId} (room ${result.roomId})${result.ended ? ', ended' : ''}`);
    for (const b of result.bots) {
      out(`${b.name} (${b.level}, team ${b.team}): ${b.commands} commands, ${b.actions} actions${b.score === null ? '' : `, score ${b.score}`}`);
      for (const w of b.writes) out(`  t=${w.t}s ${w.command} -> ${w.ok ? 'ok' : `error: ${w.reply}`}`);
    }
  }
  return 0;
}
