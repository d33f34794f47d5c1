/**
 * The authoritative `match` Room: owns one simulated cluster per team (`Map<teamId, SimState>`; one
 * team, `blue`, for now), ticks them on a fixed clock, turns validated client messages into sim
 * actions, projects the sims into Schema before each patch, and archives the result at the end.
 * No match state lives outside the room. See server/rooms/README.md for the protocol walk-through.
 *
 * Clocks: sim ticks run at `timeDilation / tickSeconds` per real second (an accumulator driven by
 * `setTimestep` every {@link FRAME_MS} ms); patches go out every `patchRate` ms (PATCH_RATE_MS).
 * Actions are applied between ticks and logged with the tick they preceded, so a replay is
 * "for each tick: apply that tick's actions, then step".
 *
 * May import @colyseus/core, shared/ (sim, kubectl, protocol), server/scenarios, server/db.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { Room, ServerError, ErrorCode, type Client, type AuthContext, type RoomException, type RoomMethodName } from '@colyseus/core';
import type { Logger } from 'pino';
import { JoinOptions, ActionMessage, type ClientMessageType, type MatchEndedMessage, type MatchPhase, type ReplyMessage } from '../../shared/protocol.ts';
import type { SimAction } from '../../shared/sim/types.ts';
import { applyAction, createSim, isFinished, step, summarize } from '../../shared/sim/index.ts';
import { runKubectl } from '../../shared/kubectl/index.ts';
import { BUILT_IN_SCENARIO_IDS, resolveSimInput } from '../scenarios/index.ts';
import type { Database } from '../db/index.ts';
import { MatchStateSchema, PlayerSchema } from './schema.ts';
import { projectTeam } from './projection.ts';
import { computeScore } from '../../shared/sim/score.ts';
import { TeamViews, registerTeam } from './views.ts';
import { SimClock } from './clock.ts';
import { describeZodError, errorReply, isClientMessageType, okReply, parseClientMessage, unknownTypeReply, type MessageId } from './messages.ts';
import { saveWithRetry, toMatchRecord } from './results.ts';
import { type Team, createTeam, teamResult } from './team.ts';

/** What the room needs from the server process (bound with {@link defineMatchRoom}). */
export interface MatchRoomDeps {
  /** The match archive; finished matches are saved here. */
  db: Database;
  logger: Logger;
  /** Default time dilation (sim s per real s) when neither the join options nor the scenario set one. */
  defaultTimeDilation: number;
  /** Milliseconds between state patches. */
  patchRateMs: number;
}

/** Matchmaking metadata of a room (`matchMaker.query({ name: 'match' })`); `t` lags up to 2 s. */
export interface MatchMetadata {
  matchId: string;
  scenarioId: string;
  title: string;
  phase: MatchPhase;
  /** Sim seconds elapsed. */
  t: number;
  /** Match length, sim seconds. */
  durationSeconds: number;
}

/** Teams of a match (one for now; the room is keyed by team so team races need no redesign). */
export const TEAM_IDS = ['blue'] as const;
/** Real milliseconds between simulation frames (each runs the ticks that are due). */
export const FRAME_MS = 50;
/** Seconds a dropped client may take to reconnect. */
export const RECONNECT_SECONDS = 30;
/** Real milliseconds the room stays open after the match ended (debrief), unless everyone leaves. */
export const END_LINGER_MS = 60_000;
/** Real milliseconds between refreshes of the listing metadata's `t`. */
const METADATA_REFRESH_MS = 2_000;

type Player = { name: string; team: string; trainer: boolean; actions: number };

/** Join options as a failed join reports them: `invalid join options: name: name is required`. */
function parseJoinOptions(raw: unknown): JoinOptions {
  const parsed = JoinOptions.safeParse(raw ?? {});
  if (!parsed.success) throw new ServerError(ErrorCode.APPLICATION_ERROR, `invalid join options: ${describeZodError(parsed.error)}`);
  return parsed.data;
}

/** The match room. Use {@link defineMatchRoom} to bind it to a server's dependencies. */
export class MatchRoom extends Room<{ state: MatchStateSchema; metadata: MatchMetadata }> {
  /** Set on the subclass {@link defineMatchRoom} returns. */
  static deps: MatchRoomDeps | undefined;

  override state = new MatchStateSchema();
  override maxClients = 16;
  /** A person typing or clicking sends a few per second; a bot polling `get pods` a few more. */
  override maxMessagesPerSecond = 30;

  private teams = new Map<string, Team>();
  /** Everyone who joined, by name (names are unique in a match); kept after they leave, for the record. */
  private roster = new Map<string, Player>();
  /** sessionId -> player name. */
  private sessions = new Map<string, string>();
  /** Per-client StateViews: each team sees its own cluster, a trainer all (server/rooms/views.ts). */
  private views = new TeamViews((id) => this.teams.get(id));
  private simClock!: SimClock;
  private phase: MatchPhase = 'running';
  private startedAt = new Date();
  private log!: Logger;
  private lastMetadataAt = 0;
  /** Resolves when the archive save finished (awaited on dispose, so shutdown waits for it). */
  private saving: Promise<unknown> = Promise.resolve();

  private get deps(): MatchRoomDeps {
    const deps = (this.constructor as typeof MatchRoom).deps;
    if (!deps) throw new Error('MatchRoom used without dependencies: register defineMatchRoom(deps)');
    return deps;
  }

  /** Runs at the matchmaking HTTP request, before a room is created: bad options never create a room. */
  static override async onAuth(_token: string, options: unknown, _context: AuthContext): Promise<JoinOptions> {
    return parseJoinOptions(options);
  }

  /**
   * Creates the match from the creator's join options: one sim per team, the clock, the handlers.
   * @throws ServerError (APPLICATION_ERROR) for invalid options, a scenario that is not built in, or a
   *   scenario that does not load (its ScenarioError message).
   */
  override onCreate(options: unknown): void {
    const opts = parseJoinOptions(options);
    const deps = this.deps;
    const seed = opts.seed ?? randomInt(0, 0x1_0000_0000);
    // Only built-in scenarios: resolveSimInput also accepts file paths, which players must not name.
    if (opts.scenario !== undefined && !BUILT_IN_SCENARIO_IDS.includes(opts.scenario)) {
      throw new ServerError(ErrorCode.APPLICATION_ERROR, `unknown scenario "${opts.scenario}": expected one of ${BUILT_IN_SCENARIO_IDS.join(', ')}`);
    }
    let resolved: ReturnType<typeof resolveSimInput>;
    try {
      resolved = resolveSimInput({ scenario: opts.scenario, seed, durationSeconds: opts.durationSeconds });
    } catch (err) {
      throw new ServerError(ErrorCode.APPLICATION_ERROR, err instanceof Error ? err.message : String(err));
    }
    const { input, title } = resolved;
    const timeDilation = opts.timeDilation ?? resolved.timeDilation ?? deps.defaultTimeDilation;
    const matchId = randomUUID();
    this.log = deps.logger.child({ roomId: this.roomId, matchId });
    for (const w of resolved.warnings) this.log.warn({ scenario: input.scenarioId }, w);

    for (const id of TEAM_IDS) {
      const team = createTeam(id, createSim(input));
      this.teams.set(id, team);
      registerTeam(this.state, id, team.schema);
      projectTeam(team.schema, team.sim, { score: computeScore(team.sim).score });
    }
    Object.assign(this.state, {
      matchId,
      scenarioId: input.scenarioId,
      scenarioTitle: title,
      phase: this.phase,
      t: 0,
      durationSeconds: input.settings.durationSeconds,
      timeDilation,
    });
    this.patchRate = deps.patchRateMs;
    this.simClock = new SimClock(input.settings.tickSeconds, timeDilation);
    this.setTimestep((deltaMs) => this.frame(deltaMs), FRAME_MS);
    void this.publishMetadata();

    this.onMessage('kubectl', (client, raw, ctx) => this.guard(client, 'kubectl', raw, ctx.id, () => this.onKubectl(client, raw)));
    this.onMessage('action', (client, raw, ctx) => this.guard(client, 'action', raw, ctx.id, () => this.onAction(client, raw)));
    this.onMessage('control', (client, raw, ctx) => this.guard(client, 'control', raw, ctx.id, () => this.onControl(client, raw)));
    this.onMessage('focus', (client, raw, ctx) => this.guard(client, 'focus', raw, ctx.id, () => this.onFocus(client, raw)));
    this.onMessage('*', (client, type, raw) => {
      if (!isClientMessageType(type)) client.send('reply', unknownTypeReply(type, raw));
    });
    this.log.info({ scenario: input.scenarioId, seed, timeDilation, durationSeconds: input.settings.durationSeconds }, 'match created');
  }

  /**
   * Seats a player (a returning name keeps its team, trainer flag and action count).
   * @throws ServerError (APPLICATION_ERROR) for invalid options, an unknown team, a name already
   *   connected, or a name that played for another team.
   */
  override onJoin(client: Client, options: unknown): void {
    const opts = parseJoinOptions(options);
    const team = opts.team ?? TEAM_IDS[0];
    if (!this.teams.has(team)) {
      throw new ServerError(ErrorCode.APPLICATION_ERROR, `team "${team}" is not in this match (teams: ${[...this.teams.keys()].join(', ')})`);
    }
    if ([...this.sessions.values()].includes(opts.name)) {
      throw new ServerError(ErrorCode.APPLICATION_ERROR, `name "${opts.name}" is already taken in this match`);
    }
    const known = this.roster.get(opts.name);
    if (known && known.team !== team) {
      throw new ServerError(ErrorCode.APPLICATION_ERROR, `"${opts.name}" played for team ${known.team} in this match`);
    }
    const player: Player = known ?? { name: opts.name, team, trainer: false, actions: 0 };
    player.trainer = player.trainer || opts.trainer === true;
    this.roster.set(player.name, player);
    this.sessions.set(client.sessionId, player.name);
    this.state.players.set(client.sessionId, new PlayerSchema({ name: player.name, team, trainer: player.trainer, connected: true, actions: player.actions }));
    this.views.attach(client, player.trainer ? [...this.teams.keys()] : [team]);
    this.log.info({ player: player.name, team, trainer: player.trainer }, 'player joined');
  }

  /** A connection dropped without consent: keep the seat for {@link RECONNECT_SECONDS}; `onLeave` runs if it expires. */
  override onDrop(client: Client): void {
    const view = this.state.players.get(client.sessionId);
    if (view) view.connected = false;
    // Not awaited: Colyseus itself waits on the reconnection and calls onLeave when it expires. It is
    // refused (a rejected promise) for a client whose join failed and while the room is disposing.
    this.allowReconnection(client, RECONNECT_SECONDS).catch(() => undefined);
  }

  override onReconnect(client: Client): void {
    const view = this.state.players.get(client.sessionId);
    if (view) view.connected = true;
    if (view && !client.view) this.views.attach(client, view.trainer ? [...this.teams.keys()] : [view.team]);
  }

  override onLeave(client: Client): void {
    const name = this.sessions.get(client.sessionId);
    this.sessions.delete(client.sessionId);
    this.state.players.delete(client.sessionId);
    this.views.detach(client);
    this.log.info({ player: name }, 'player left');
  }

  override async onDispose(): Promise<void> {
    await this.saving;
    this.log?.info({ phase: this.phase }, 'match room disposed');
  }

  override onUncaughtException(error: RoomException, methodName: RoomMethodName): void {
    this.log?.error({ err: error, methodName }, 'uncaught exception in match room');
  }

  // -------------------------------------------------------------------------------------------
  // Clock and projection
  // -------------------------------------------------------------------------------------------

  private frame(deltaMs: number): void {
    if (this.phase !== 'running') return;
    const ticks = this.simClock.advance(deltaMs);
    for (let i = 0; i < ticks; i++) {
      let running = 0;
      for (const team of this.teams.values()) {
        if (isFinished(team.sim)) continue;
        try {
          step(team.sim);
        } catch (err) {
          // A sim bug: stop the clock rather than fail every frame; a trainer may resume.
          this.log.error({ err, team: team.id, tick: team.sim.tick }, 'sim step failed: match paused');
          this.simClock.paused = true;
          this.setPhase('paused');
          return;
        }
        team.dirty = true;
        running++;
      }
      if (running === 0 || [...this.teams.values()].every((team) => isFinished(team.sim))) {
        void this.endMatch();
        return;
      }
    }
  }

  override onBeforePatch(): void {
    let t = 0;
    for (const team of this.teams.values()) {
      if (team.dirty) {
        projectTeam(team.schema, team.sim, { score: computeScore(team.sim).score });
        team.dirty = false;
      }
      t = Math.max(t, team.sim.t);
    }
    this.views.refresh();
    this.state.t = t;
    if (Date.now() - this.lastMetadataAt >= METADATA_REFRESH_MS) void this.publishMetadata();
  }

  private async publishMetadata(): Promise<void> {
    this.lastMetadataAt = Date.now();
    // setMetadata replaces the metadata (no merge): always send every field.
    await this.setMetadata({
      matchId: this.state.matchId,
      scenarioId: this.state.scenarioId,
      title: this.state.scenarioTitle,
      phase: this.phase,
      t: this.state.t,
      durationSeconds: this.state.durationSeconds,
    }).catch((err: unknown) => this.log.warn({ err }, 'updating room metadata failed'));
  }

  private setPhase(phase: MatchPhase): void {
    this.phase = phase;
    this.state.phase = phase;
    void this.publishMetadata();
  }

  // -------------------------------------------------------------------------------------------
  // Messages
  // -------------------------------------------------------------------------------------------

  /**
   * Run a handler so nothing it throws reaches Colyseus, and deliver its reply: as the response of a
   * `room.request(...)` (when `requestId` is set) or as a `reply` message to that client only.
   */
  private guard(client: Client, type: ClientMessageType, raw: unknown, requestId: number | undefined, handler: () => ReplyMessage): ReplyMessage | undefined {
    let reply: ReplyMessage;
    try {
      reply = handler();
    } catch (err) {
      this.log.error({ err, type, message: raw }, 'message handler failed');
      reply = errorReply(type, null, `internal error while handling ${type}: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (requestId !== undefined) return reply;
    client.send('reply', reply);
    return undefined;
  }

  private playerOf(client: Client): { player: Player; team: Team } | string {
    const name = this.sessions.get(client.sessionId);
    const player = name === undefined ? undefined : this.roster.get(name);
    const team = player ? this.teams.get(player.team) : undefined;
    if (!player || !team) return 'you are not a player in this match';
    return { player, team };
  }

  private onKubectl(client: Client, raw: unknown): ReplyMessage {
    const parsed = parseClientMessage('kubectl', raw);
    if (!parsed.ok) return parsed.reply;
    const who = this.playerOf(client);
    if (typeof who === 'string') return errorReply('kubectl', parsed.id, who);
    const result = runKubectl(who.team.sim, parsed.message.command);
    if (result.kind === 'output') return okReply('kubectl', parsed.id, result.output);
    if (result.kind === 'error') return errorReply('kubectl', parsed.id, result.error);
    return this.applyPlayerAction('kubectl', parsed.id, who.player, who.team, result.action);
  }

  private onAction(client: Client, raw: unknown): ReplyMessage {
    const parsed = parseClientMessage('action', raw);
    if (!parsed.ok) return parsed.reply;
    const who = this.playerOf(client);
    if (typeof who === 'string') return errorReply('action', parsed.id, who);
    return this.applyPlayerAction('action', parsed.id, who.player, who.team, parsed.message.action);
  }

  /** Apply an action between ticks and log it with the tick it precedes (the replay unit). */
  private applyPlayerAction(type: ClientMessageType, id: MessageId, player: Player, team: Team, action: SimAction): ReplyMessage {
    if (this.phase === 'ended') return errorReply(type, id, 'the match has ended: no more actions');
    if (this.phase === 'paused') return errorReply(type, id, 'the match is paused: actions are accepted again when the trainer resumes');
    if (isFinished(team.sim)) return errorReply(type, id, 'your team\'s match is over: no more actions');
    // The archive validates actions with the protocol schema: refuse here what it would refuse there.
    const checked = ActionMessage.safeParse(action);
    if (!checked.success) return errorReply(type, id, `invalid action: ${describeZodError(checked.error)}`);
    const tick = team.sim.tick;
    const result = applyAction(team.sim, player.name, checked.data);
    if (!result.ok) return errorReply(type, id, result.error);
    team.log.push({ tick, player: player.name, action: checked.data });
    team.dirty = true;
    player.actions++;
    for (const [sessionId, name] of this.sessions) {
      const view = name === player.name ? this.state.players.get(sessionId) : undefined;
      if (view) view.actions = player.actions;
    }
    return okReply(type, id, result.message);
  }

  /** What the player looks at: its Pods are sent in large clusters (server/rooms/views.ts). */
  private onFocus(client: Client, raw: unknown): ReplyMessage {
    const parsed = parseClientMessage('focus', raw);
    if (!parsed.ok) return parsed.reply;
    const m = parsed.message;
    this.views.focus(client, 'kind' in m ? { kind: m.kind, key: m.key } : null);
    return okReply('focus', parsed.id, 'kind' in m ? `focus: ${m.kind} ${m.key}` : 'focus cleared');
  }

  private onControl(client: Client, raw: unknown): ReplyMessage {
    const parsed = parseClientMessage('control', raw);
    if (!parsed.ok) return parsed.reply;
    const { id, message } = parsed;
    const who = this.playerOf(client);
    if (typeof who === 'string') return errorReply('control', id, who);
    if (!who.player.trainer) return errorReply('control', id, 'only a trainer may pause, resume or change the speed (join with trainer: true)');
    if (this.phase === 'ended') return errorReply('control', id, 'the match has ended');
    switch (message.op) {
      case 'pause':
        this.simClock.paused = true;
        this.setPhase('paused');
        return okReply('control', id, 'paused');
      case 'resume':
        this.simClock.paused = false;
        this.setPhase('running');
        return okReply('control', id, 'resumed');
      case 'speed': {
        if (message.timeDilation === undefined) return errorReply('control', id, 'speed needs timeDilation: sim seconds per real second, 0.25 to 120');
        this.simClock.setTimeDilation(message.timeDilation);
        this.state.timeDilation = message.timeDilation;
        return okReply('control', id, `speed set to ${message.timeDilation} sim seconds per real second`);
      }
    }
  }

  // -------------------------------------------------------------------------------------------
  // End of match
  // -------------------------------------------------------------------------------------------

  /**
   * The match is over: project the final state, lock the room, save each team's result (one retry,
   * never throws), then tell each client its team's summary (`matchEnded`) and close the room after
   * {@link END_LINGER_MS} (sooner if everyone leaves).
   */
  private async endMatch(): Promise<void> {
    if (this.phase === 'ended') return;
    this.setPhase('ended');
    this.onBeforePatch();
    await this.lock().catch(() => undefined);
    const endedAt = new Date();
    const results = [...this.teams.values()].map((team) => ({
      team,
      result: teamResult({
        team,
        id: this.teams.size === 1 ? this.state.matchId : `${this.state.matchId}-${team.id}`,
        summary: summarize(team.sim),
        timeDilation: this.simClock.timeDilation,
        startedAt: this.startedAt,
        endedAt,
        players: [...this.roster.values()].filter((p) => p.team === team.id),
      }),
    }));
    const saving = Promise.all(results.map(({ result }) => saveWithRetry(this.deps.db, toMatchRecord(result), this.log)));
    this.saving = saving;
    await saving;
    const players = results.flatMap(({ result }) => result.players.map((p) => ({ name: p.name, team: result.team, score: result.summary.score })));
    for (const client of this.clients) {
      const name = this.sessions.get(client.sessionId);
      const team = name === undefined ? undefined : this.roster.get(name)?.team;
      const mine = results.find(({ result }) => result.team === team) ?? results[0];
      if (!mine) continue;
      const message: MatchEndedMessage = { matchId: mine.result.id, summary: mine.result.summary, players };
      client.send('matchEnded', message);
    }
    this.log.info({ scores: players.map((p) => `${p.name}:${p.score}`) }, 'match ended');
    this.clock.setTimeout(() => void this.disconnect(), END_LINGER_MS);
  }
}

/**
 * The room class bound to one server's dependencies: `registerRoomDefinitions({ match: defineMatchRoom(deps) })`.
 * (A subclass per server instead of room options: options are merged/cloned by the matchmaker and
 * must stay plain data.)
 */
export function defineMatchRoom(deps: MatchRoomDeps): typeof MatchRoom {
  return class BoundMatchRoom extends MatchRoom {
    static override deps: MatchRoomDeps | undefined = deps;
  };
}
