/**
 * The `match` Room: a thin Colyseus adapter around one shared/game {@link Match} (teams with their own
 * clusters, logs and scores; roster, roles, phase, permissions, end of match; `teams: N` join option,
 * 1..8, default one team `blue`). The room validates client messages (zod), turns them into
 * `submit` / `control` / `inject` calls, runs
 * `advance` from its clock, projects each team into Schema before a patch, and archives the result at
 * the end. It keeps what is transport: Colyseus hooks, the {@link SimClock}, the sessionId -> player
 * mapping, matchmaking metadata and persistence. See server/rooms/README.md.
 *
 * Clocks: sim ticks run at `timeDilation / tickSeconds` per real second (an accumulator driven by
 * `setTimestep` every {@link FRAME_MS} ms); patches go out every `patchRate` ms (PATCH_RATE_MS).
 * Actions are submitted between ticks and logged by the match with the tick they preceded, so a
 * replay (shared/game `replayMatch`) is "for each tick: submit that tick's actions, then advance".
 *
 * May import @colyseus/core, shared/ (game, sim, kubectl, protocol), server/scenarios, server/db,
 * server/k8s/gateway.ts.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { Room, ServerError, ErrorCode, type Client, type AuthContext, type RoomException, type RoomMethodName } from '@colyseus/core';
import type { Logger } from 'pino';
import { JoinOptions, ActionMessage, type ClientMessageType, type CredentialsMessage, type InjectIncident, type MatchEndedMessage, type MatchPhase, type ReplyMessage } from '../../shared/protocol.ts';
import type { SimAction } from '../../shared/sim/types.ts';
import {
  MATCH_ERRORS,
  TeamStepError,
  advance,
  checkSubmit,
  control,
  createMatch,
  findPlayer,
  getTeam,
  inject,
  join,
  leave,
  submit,
  suspend,
  teamScore,
  teamSummary,
  type Match,
  type MatchPlayer,
} from '../../shared/game/index.ts';
import { runKubectl } from '../../shared/kubectl/index.ts';
import { INCIDENT_KINDS, incidentModule, isIncidentType } from '../../shared/sim/incidents/index.ts';
import { targetSyntax } from '../../shared/sim/incidents/targets.ts';
import { BUILT_IN_SCENARIO_IDS, resolveSimInput } from '../scenarios/index.ts';
import type { Database } from '../db/index.ts';
import { MatchStateSchema, PlayerSchema } from './schema.ts';
import { projectTeam } from './projection.ts';
import { TeamViews, registerTeam } from './views.ts';
import { SimClock } from './clock.ts';
import { describeZodError, errorReply, isClientMessageType, okReply, parseClientMessage, unknownTypeReply, type MessageId } from './messages.ts';
import { saveWithRetry, toMatchRecord } from './results.ts';
import { type RoomTeam, createRoomTeam, teamResult } from './team.ts';
import { registerK8sMatch, type K8sMatchHandle } from '../k8s/gateway.ts';

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

/** Team ids of a match, in this order: a match with `teams: N` (join option, default 1) plays the first N. */
export const TEAM_IDS = ['blue', 'red', 'green', 'gold', 'purple', 'orange', 'teal', 'pink'] as const;
/** Real milliseconds between simulation frames (each runs the ticks that are due). */
export const FRAME_MS = 50;
/** Seconds a dropped client may take to reconnect. */
export const RECONNECT_SECONDS = 30;
/** Real milliseconds the room stays open after the match ended (debrief), unless everyone leaves. */
export const END_LINGER_MS = 60_000;
/** Real milliseconds between refreshes of the listing metadata's `t`. */
const METADATA_REFRESH_MS = 2_000;

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

  /** The match authority: teams, roster, phase, logs, scores (shared/game). */
  private match!: Match;
  /** Each team's projection, by team id. */
  private teams = new Map<string, RoomTeam>();
  /** sessionId -> match player id. */
  private sessions = new Map<string, string>();
  /** Per-client StateViews: each team sees its own cluster, a trainer all (server/rooms/views.ts). */
  private views = new TeamViews((id) => {
    const team = this.teams.get(id);
    return team ? { schema: team.schema, sim: getTeam(this.match, id).sim } : undefined;
  });
  private simClock!: SimClock;
  /** True once endMatch started (archiving runs once). */
  private ending = false;
  private startedAt = new Date();
  private log!: Logger;
  private lastMetadataAt = 0;
  /** Resolves when the archive save finished (awaited on dispose, so shutdown waits for it). */
  private saving: Promise<unknown> = Promise.resolve();
  /** This match's Kubernetes API registration: bearer tokens per session (server/k8s). */
  private k8s: K8sMatchHandle | undefined;

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

    const teamIds = TEAM_IDS.slice(0, opts.teams ?? 1);
    this.match = createMatch({ input, teams: teamIds });
    for (const id of teamIds) {
      const team = createRoomTeam(id);
      this.teams.set(id, team);
      registerTeam(this.state, id, team.schema);
      this.project(team);
    }
    Object.assign(this.state, {
      matchId,
      scenarioId: input.scenarioId,
      scenarioTitle: title,
      phase: this.match.phase,
      t: 0,
      durationSeconds: input.settings.durationSeconds,
      timeDilation,
    });
    this.patchRate = deps.patchRateMs;
    this.simClock = new SimClock(input.settings.tickSeconds, timeDilation);
    this.setTimestep((deltaMs) => this.frame(deltaMs), FRAME_MS);
    void this.publishMetadata();
    this.registerK8s(matchId);

    this.onMessage('kubectl', (client, raw, ctx) => this.guard(client, 'kubectl', raw, ctx.id, () => this.onKubectl(client, raw)));
    this.onMessage('action', (client, raw, ctx) => this.guard(client, 'action', raw, ctx.id, () => this.onAction(client, raw)));
    this.onMessage('control', (client, raw, ctx) => this.guard(client, 'control', raw, ctx.id, () => this.onControl(client, raw)));
    this.onMessage('focus', (client, raw, ctx) => this.guard(client, 'focus', raw, ctx.id, () => this.onFocus(client, raw)));
    this.onMessage('*', (client, type, raw) => {
      if (!isClientMessageType(type)) client.send('reply', unknownTypeReply(type, raw));
    });
    this.log.info({ scenario: input.scenarioId, seed, timeDilation, durationSeconds: input.settings.durationSeconds, teams: teamIds }, 'match created');
  }

  /**
   * Seats a player through the match's `join` (a returning name keeps its team, trainer flag and
   * action count).
   * @throws ServerError (APPLICATION_ERROR) for invalid options, an unknown team, a name already
   *   seated, or a name that played for another team (the match's texts).
   */
  override onJoin(client: Client, options: unknown): void {
    const opts = parseJoinOptions(options);
    const seat = join(this.match, { name: opts.name, team: opts.team ?? TEAM_IDS[0], trainer: opts.trainer });
    if (!seat.ok) throw new ServerError(ErrorCode.APPLICATION_ERROR, seat.error);
    const player = seat.player;
    this.sessions.set(client.sessionId, player.id);
    this.state.players.set(client.sessionId, new PlayerSchema({ name: player.name, team: player.team, trainer: player.trainer, connected: true, actions: player.actions }));
    this.views.attach(client, player.trainer ? [...this.teams.keys()] : [player.team]);
    this.sendCredentials(client, player);
    this.log.info({ player: player.name, team: player.team, trainer: player.trainer }, 'player joined');
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
    const player = this.playerOf(client);
    if (typeof player !== 'string') this.sendCredentials(client, player);
  }

  override onLeave(client: Client): void {
    const id = this.sessions.get(client.sessionId);
    const name = id === undefined ? undefined : findPlayer(this.match, id)?.name;
    if (id !== undefined) leave(this.match, id);
    this.k8s?.revoke(client.sessionId);
    this.sessions.delete(client.sessionId);
    this.state.players.delete(client.sessionId);
    this.views.detach(client);
    this.log.info({ player: name }, 'player left');
  }

  override async onDispose(): Promise<void> {
    this.k8s?.close();
    await this.saving;
    this.log?.info({ phase: this.match?.phase }, 'match room disposed');
  }

  override onUncaughtException(error: RoomException, methodName: RoomMethodName): void {
    this.log?.error({ err: error, methodName }, 'uncaught exception in match room');
  }

  // -------------------------------------------------------------------------------------------
  // Kubernetes API (server/k8s): the same clusters, the same write path as the console
  // -------------------------------------------------------------------------------------------

  /** Lends this match to the per-team Kubernetes API under `/k8s/MATCH/TEAM`. */
  private registerK8s(matchId: string): void {
    this.k8s = registerK8sMatch(matchId, {
      teams: () => this.match.teams.map((t) => t.id),
      sim: (team) => (this.teams.has(team) ? getTeam(this.match, team).sim : undefined),
      principal: (sessionId) => {
        const id = this.sessions.get(sessionId);
        const p = id === undefined ? undefined : findPlayer(this.match, id);
        return p ? { name: p.name, team: p.team, trainer: p.trainer } : undefined;
      },
      submit: (sessionId, action) => {
        const id = this.sessions.get(sessionId);
        const p = id === undefined ? undefined : findPlayer(this.match, id);
        if (!p) return { ok: false, error: MATCH_ERRORS.notAPlayer };
        const reply = this.applyPlayerAction('action', null, p, action);
        return reply.ok ? { ok: true, message: reply.output ?? '' } : { ok: false, error: reply.error ?? 'refused' };
      },
    });
  }

  /** Tells a joined client its bearer token for the Kubernetes API (`credentials`, to that client only). */
  private sendCredentials(client: Client, player: MatchPlayer): void {
    if (!this.k8s) return;
    const message: CredentialsMessage = { token: this.k8s.issue(client.sessionId), matchId: this.state.matchId, team: player.team, kubeconfigPath: '/k8s/kubeconfig' };
    client.send('credentials', message);
  }

  // -------------------------------------------------------------------------------------------
  // Clock and projection
  // -------------------------------------------------------------------------------------------

  /** Runs the ticks the clock says are due: `advance` on the match, one call per tick. */
  private frame(deltaMs: number): void {
    if (this.match.phase !== 'running') return;
    const ticks = this.simClock.advance(deltaMs);
    for (let i = 0; i < ticks; i++) {
      let ended: boolean;
      try {
        ended = advance(this.match);
      } catch (err) {
        // A sim bug: stop the clock rather than fail every frame; a trainer may resume.
        const where = err instanceof TeamStepError ? { team: err.team, tick: err.tick } : {};
        this.log.error({ err: err instanceof Error && err.cause !== undefined ? err.cause : err, ...where }, 'sim step failed: match paused');
        suspend(this.match);
        this.simClock.paused = true;
        this.markAllDirty();
        this.syncPhase();
        return;
      }
      this.markAllDirty();
      if (ended) {
        void this.endMatch();
        return;
      }
    }
  }

  private markAllDirty(): void {
    for (const team of this.teams.values()) team.dirty = true;
  }

  /** Projects one team: its cluster and its score (the game layer's). */
  private project(team: RoomTeam): void {
    projectTeam(team.schema, getTeam(this.match, team.id).sim, { score: teamScore(this.match, team.id).score });
    team.dirty = false;
  }

  override onBeforePatch(): void {
    let t = 0;
    for (const team of this.teams.values()) {
      if (team.dirty) this.project(team);
      t = Math.max(t, getTeam(this.match, team.id).sim.t);
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
      phase: this.match.phase,
      t: this.state.t,
      durationSeconds: this.state.durationSeconds,
    }).catch((err: unknown) => this.log.warn({ err }, 'updating room metadata failed'));
  }

  /** Mirrors the match's phase into the room state and the listing metadata. */
  private syncPhase(): void {
    const phase: MatchPhase = this.match.phase;
    if (this.state.phase === phase) return;
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

  /** The client's seat in the match, or the match's refusal text. */
  private playerOf(client: Client): MatchPlayer | string {
    const id = this.sessions.get(client.sessionId);
    const player = id === undefined ? undefined : findPlayer(this.match, id);
    return player ?? MATCH_ERRORS.notAPlayer;
  }

  private onKubectl(client: Client, raw: unknown): ReplyMessage {
    const parsed = parseClientMessage('kubectl', raw);
    if (!parsed.ok) return parsed.reply;
    const who = this.playerOf(client);
    if (typeof who === 'string') return errorReply('kubectl', parsed.id, who);
    const result = runKubectl(getTeam(this.match, who.team).sim, parsed.message.command);
    if (result.kind === 'output') return okReply('kubectl', parsed.id, result.output);
    if (result.kind === 'error') return errorReply('kubectl', parsed.id, result.error);
    return this.applyPlayerAction('kubectl', parsed.id, who, result.action);
  }

  private onAction(client: Client, raw: unknown): ReplyMessage {
    const parsed = parseClientMessage('action', raw);
    if (!parsed.ok) return parsed.reply;
    const who = this.playerOf(client);
    if (typeof who === 'string') return errorReply('action', parsed.id, who);
    return this.applyPlayerAction('action', parsed.id, who, parsed.message.action);
  }

  /** Submit an action between ticks (the match logs it with the tick it precedes: the replay unit). */
  private applyPlayerAction(type: ClientMessageType, id: MessageId, player: MatchPlayer, action: SimAction): ReplyMessage {
    // The match's gate first (phase, permission), then the wire schema, as players have always seen it.
    const refused = checkSubmit(this.match, player.id);
    if (refused !== null) return errorReply(type, id, refused);
    // The archive validates actions with the protocol schema: refuse here what it would refuse there.
    const checked = ActionMessage.safeParse(action);
    if (!checked.success) return errorReply(type, id, `invalid action: ${describeZodError(checked.error)}`);
    const result = submit(this.match, player.id, checked.data);
    if (!result.ok) return errorReply(type, id, result.error);
    const team = this.teams.get(player.team);
    if (team) team.dirty = true;
    for (const [sessionId, playerId] of this.sessions) {
      const view = playerId === player.id ? this.state.players.get(sessionId) : undefined;
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
    if (message.op === 'inject') return this.onInject(id, who, message.team, message.incident);
    // Permission and phase are the match's; the clock and the speed value are the room's.
    const allowed = control(this.match, who.id, message.op);
    if (!allowed.ok) return errorReply('control', id, allowed.error);
    switch (message.op) {
      case 'pause':
        this.simClock.paused = true;
        this.syncPhase();
        return okReply('control', id, allowed.message);
      case 'resume':
        this.simClock.paused = false;
        this.syncPhase();
        return okReply('control', id, allowed.message);
      case 'speed': {
        if (message.timeDilation === undefined) return errorReply('control', id, 'speed needs timeDilation: sim seconds per real second, 0.25 to 120');
        this.simClock.setTimeDilation(message.timeDilation);
        this.state.timeDilation = message.timeDilation;
        return okReply('control', id, `speed set to ${message.timeDilation} sim seconds per real second`);
      }
    }
  }

  /**
   * `control` op `inject`: the match's `inject` (trainers only) into `teamId` (default the trainer's
   * own team), after the shape (zod, protocol), the kind and the target's syntax (the incident
   * registry's `targetSyntax`); the params are checked by the kind's schema when it starts.
   */
  private onInject(id: MessageId, who: MatchPlayer, teamId: string | undefined, incident: InjectIncident | undefined): ReplyMessage {
    if (!who.trainer) return errorReply('control', id, MATCH_ERRORS.notTrainerInject);
    if (incident === undefined) return errorReply('control', id, 'inject needs incident: { type, target, params? }');
    if (!isIncidentType(incident.type)) return errorReply('control', id, `unknown incident kind "${incident.type}": expected one of ${INCIDENT_KINDS.join(', ')}`);
    const target = targetSyntax[incidentModule(incident.type).target.kind]().safeParse(incident.target);
    if (!target.success) return errorReply('control', id, `invalid message: incident.target: ${describeZodError(target.error)}`);
    const result = inject(this.match, who.id, teamId ?? who.team, { ...incident, type: incident.type });
    if (!result.ok) return errorReply('control', id, result.error);
    const team = this.teams.get(teamId ?? who.team);
    if (team) team.dirty = true;
    this.log.info({ player: who.name, team: teamId ?? who.team, incident: result.incident, type: incident.type }, 'incident injected');
    return okReply('control', id, result.message);
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
    if (this.ending) return;
    this.ending = true;
    this.syncPhase();
    this.onBeforePatch();
    await this.lock().catch(() => undefined);
    const endedAt = new Date();
    const match = this.match;
    const results = match.teams.map((team) => ({
      team,
      result: teamResult({
        team,
        id: match.teams.length === 1 ? this.state.matchId : `${this.state.matchId}-${team.id}`,
        summary: teamSummary(match, team.id),
        timeDilation: this.simClock.timeDilation,
        startedAt: this.startedAt,
        endedAt,
        players: match.players.filter((p) => p.team === team.id),
      }),
    }));
    const saving = Promise.all(results.map(({ result }) => saveWithRetry(this.deps.db, toMatchRecord(result), this.log)));
    this.saving = saving;
    await saving;
    const players = results.flatMap(({ result }) => result.players.map((p) => ({ name: p.name, team: result.team, score: result.summary.score })));
    for (const client of this.clients) {
      const playerId = this.sessions.get(client.sessionId);
      const team = playerId === undefined ? undefined : findPlayer(match, playerId)?.team;
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
