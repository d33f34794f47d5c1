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
 * Actions are submitted between ticks (or between two teams' steps of a tick run in slices: each team's
 * cluster is then between two of its ticks) and logged by the match with the team's tick they
 * preceded, so a replay (shared/game `replayMatch`) is "for each tick: submit that tick's actions,
 * then advance".
 *
 * May import @colyseus/core, shared/ (game, sim, kubectl, protocol), server/scenarios, server/db,
 * server/k8s/gateway.ts (./stdin.ts reuses server/k8s's pure write mappings).
 */
import { createHash, randomInt, randomUUID } from 'node:crypto';
import { Room, SchemaSerializer, ServerError, ErrorCode, CloseCode, type Client, type AuthContext, type RoomException, type RoomMethodName, type Serializer } from '@colyseus/core';
import type { Logger } from 'pino';
import { JoinOptions, ActionMessage, type ClientMessageType, type CredentialsMessage, type InjectIncident, type MatchEndedMessage, type MatchPhase, type ReplyMessage } from '../../shared/protocol.ts';
import type { SimAction } from '../../shared/sim/types.ts';
import {
  MATCH_ERRORS,
  TeamStepError,
  advanceSlice,
  checkSubmit,
  control,
  createMatch,
  findPlayer,
  getTeam,
  inject,
  join,
  leave,
  matchHash,
  playerByName,
  submit,
  suspend,
  scoreOf,
  teamSummary,
  TEAM_IDS,
  type Match,
  type MatchPlayer,
  type TickCursor,
} from '../../shared/game/index.ts';
import { apiTimeoutReplyAt, runKubectl } from '../../shared/kubectl/index.ts';
import { StdinBudget, runStdin } from './stdin.ts';
import { INCIDENT_KINDS, incidentModule, isIncidentType } from '../../shared/sim/incidents/index.ts';
import { targetSyntax } from '../../shared/sim/incidents/targets.ts';
import type { AppInfo } from '../../shared/chaos/index.ts';
import { BUILT_IN_SCENARIO_IDS, resolveSimInput } from '../scenarios/index.ts';
import type { Database } from '../db/index.ts';
import { MatchStateSchema } from './schema.ts';
import { MatchSerializer } from './serializer.ts';
import { projectTeam } from './projection.ts';
import { TeamViews, registerTeam } from './views.ts';
import { SimClock } from './clock.ts';
import { describeZodError, errorReply, extractId, isClientMessageType, okReply, parseClientMessage, unknownTypeReply, type MessageId } from './messages.ts';
import { ResultStore, toMatchGroup } from './results.ts';
import { handleWorkflow } from './workflow.ts';
import { type RoomTeam, createRoomTeam, teamResult } from './team.ts';
import { RoomLobby, playerSchemaOf, settingsOf, visibleTeams, type LobbyMetadata } from './lobby.ts';
import { chaosEnded, injectChaosManifest, registerChaos } from './chaos.ts';
import { botSeatsOf, registerBots, type RoomBots } from './bots.ts';
import { authenticateJoin, isAuthedJoin, type AuthedJoin, type RoomAuth } from './auth.ts';
import { loadJournal, type JournalEntry, type LiveMatchRow } from '../db/journal.ts';
import { JournalWriter } from '../recovery/journal.ts';
import type { RecoveryManager } from '../recovery/manager.ts';
import { matchTick, rebuildMatch } from '../recovery/rebuild.ts';
import type { SimInput } from '../../shared/sim/types.ts';
import { isFinished } from '../../shared/sim/index.ts';
import { HeldReplies } from './heldReplies.ts';
import { registerK8sMatch, type K8sMatchHandle, type K8sSubmitResult } from '../k8s/gateway.ts';
import { NEXT_LINGER_MS, RoomDesk, WORKSHOP_END_LINGER_MS, WORKSHOP_MAX_CLIENTS, takeWorkshopCreation, type WorkshopBinding } from './workshop.ts';

/** What the room needs from the server process (bound with {@link defineMatchRoom}). */
export interface MatchRoomDeps {
  /** The match archive; finished matches are saved here. */
  db: Database;
  logger: Logger;
  /** Default time dilation (sim s per real s) when neither the join options nor the scenario set one. */
  defaultTimeDilation: number;
  /** Milliseconds between state patches. */
  patchRateMs: number;
  /**
   * Crash recovery (server/recovery): when set, every accepted event is journaled and acknowledged
   * only once durable, and restored rooms are created through it. Unset: no journal (as before).
   */
  recovery?: RecoveryManager;
  /** Session tokens and trainer accounts (./auth.ts); unset: anonymous joins only, no trainers. */
  auth?: RoomAuth;
  /** Durable result writes (./results.ts: spool + retry); unset: an in-memory store over `db` (no spool). */
  results?: ResultStore;
}

/** What `GET /api/matches/:id/live` shows of a running match (room method `liveInfo`). */
export interface LiveMatchInfo {
  matchId: string;
  roomId: string;
  phase: MatchPhase;
  /** Match tick (ticks) and sim seconds elapsed. */
  tick: number;
  t: number;
  /** shared/game `matchHash` now (16 hex digits): a rebuilt match has its live hash. */
  hash: string;
  /** True when this room was rebuilt from the journal after its process died or shut down. */
  restored: boolean;
  /** Journal entries stored (null without crash recovery). */
  journaled: number | null;
  teams: { id: string; score: number; actions: number }[];
  /** Everyone seated so far, in join order; `present` = connected now. */
  players: { name: string; team: string; trainer: boolean; present: boolean; actions: number }[];
}

/**
 * Matchmaking metadata of a room (`matchMaker.query({ name: 'match' })`); `t` lags up to 2 s. `scenario`
 * (= `scenarioId`) and `mode` are the room definition's `filterBy` fields (server/app.ts): quick-play
 * `joinOrCreate('match', { scenario, mode })` lands only in a match with these values.
 */
export interface MatchMetadata extends LobbyMetadata {
  matchId: string;
  scenarioId: string;
  /** The scenario id (matchmaking filter). */
  scenario: string;
  title: string;
  /** The scenario's title (as `title`). */
  scenarioTitle: string;
  phase: MatchPhase;
  /** Sim seconds elapsed. */
  t: number;
  /** Match length, sim seconds. */
  durationSeconds: number;
}

/** Team ids of a match (shared/game): a match with `teams: N` (join option, default 1) plays the first N. */
export { TEAM_IDS };
/** Real milliseconds between simulation frames (each runs the ticks that are due). */
export const FRAME_MS = 50;
/** Seconds a dropped client may take to reconnect (issue 8: "rejoins within 60 s with team and role"). */
export const RECONNECT_SECONDS = 60;
/** Real milliseconds the room stays open after the match ended (debrief), unless everyone leaves. */
export const END_LINGER_MS = 60_000;
/** Real milliseconds between refreshes of the listing metadata's `t`. */
const METADATA_REFRESH_MS = 2_000;
/** Real milliseconds between state snapshots of a journaled match (when its tick moved). */
export const SNAPSHOT_EVERY_MS = 15_000;
/** Share of real time a room's snapshots may take (their synchronous serialization and hash). */
const SNAPSHOT_SHARE_OF_LOOP = 0.02;
/** No snapshot of a match holding more Pods than this, all teams together (big-fleet x 8 teams: 4,320). */
const SNAPSHOT_MAX_PODS = 5_000;
/** Real milliseconds a restored room waits for its first player before it may be disposed when empty. */
export const RESTORE_GRACE_MS = 120_000;
/**
 * Most held events (messages, API writes, bot turns, etcd-held replies) one drain runs in one block of
 * the event loop (issue 12, "Bounded cost per match"); the rest wait, in order, for the next drain
 * (the next frame, {@link FRAME_MS}, or the next arrival). Each is also paid from the work credit.
 */
export const HELD_EVENTS_PER_TURN = 8;

/**
 * What an event held by {@link MatchRoom} may touch, which says when it may run:
 * - `{ team }`: that team's cluster only (a console line, an API write): at a whole tick or between
 *   two teams' steps of an open tick, journaled with its `slice` (see {@link MatchRoom} `mayRunEarly`);
 *   later events of the same team wait behind it (each client's replies stay in order);
 * - `'match'`: anything in the match (control, lobby, workflow, chaos, bot seats): at a whole tick
 *   only, and every later arrival waits behind it (first in, first out);
 * - `'turn'`: the bots' turn (a timer, not an arrival): at a whole tick only; nothing waits behind it.
 */
type HeldScope = { team: string } | 'match' | 'turn';

/** An event waiting for its turn (see {@link HeldScope}). */
interface HeldEvent {
  scope: HeldScope;
  run: () => void;
}

/** Message types whose handler touches only the sender's team (its cluster, its log and score). */
const TEAM_MESSAGE_TYPES: ReadonlySet<ClientMessageType> = new Set<ClientMessageType>(['kubectl', 'stdin', 'action', 'focus']);

/** sha256 hex of a seat token (the journal keeps only this). */
function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

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

  /**
   * Colyseus picks its `SchemaSerializer` when the state is set: the room takes its own subclass
   * instead ({@link MatchSerializer}: the same frames, less work per patch).
   */
  override setSerializer(serializer: Serializer<MatchStateSchema>): void {
    super.setSerializer(serializer.constructor === SchemaSerializer ? new MatchSerializer<MatchStateSchema>() : serializer);
  }
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
  /**
   * The match tick in progress when the work budget ran out between two teams' steps (shared/game
   * `advanceSlice`); `next` 0 = the match is at a whole tick. See "Bounded cost per match".
   */
  private readonly tickCursor: TickCursor = { next: 0 };
  /**
   * What arrived while a tick was open or the room was out of work credit (messages, HTTP writes, bot
   * turns), in arrival order: run by {@link drainWaiting} within the budget, each when its scope allows.
   */
  private waiting: HeldEvent[] = [];
  /** True while {@link drainWaiting} runs (a held event never starts another drain). */
  private draining = false;
  /**
   * The held events' own work credit, wall ms (see {@link heldBudgetLeft}): earned like the clock's
   * (`shareOfLoop x elapsed ms` per frame, banked up to `maxCreditMs`); every held event's wall ms is
   * paid from it and from the clock's credit (one that runs at its arrival: from the clock's only).
   */
  private heldCreditMs = 0;
  /** Held events run so far: `early` between two teams' steps, `whole` at a whole tick; `maxTurn` most in one drain. */
  readonly heldStats = { early: 0, whole: 0, maxTurn: 0 };
  /** Where the next patch's projection starts (team index, round robin: see {@link onBeforePatch}). */
  private projectFrom = 0;
  /** Wall ms the current patch's projection paid (so {@link broadcastPatch} pays the encoding only). */
  private projectedMs = 0;
  /** True once endMatch started (archiving runs once). */
  private ending = false;
  private startedAt = new Date();
  private log!: Logger;
  private lastMetadataAt = 0;
  /** Resolves when the archive save finished (awaited on dispose, so shutdown waits for it). */
  private saving: Promise<unknown> = Promise.resolve();
  /** The match's journal (crash recovery on): every accepted event, durable before its reply. */
  private journal: JournalWriter | undefined;
  /** Set by {@link journalEvent} during a handler: the reply waits for it (see {@link guard}). */
  private durable: Promise<boolean> | null = null;
  /**
   * Set by {@link applyPlayerAction} during a handler when the cluster refused a write for want of
   * etcd quorum: the reply waits until that team's sim second (etcd's 7 s request timeout, ./heldReplies.ts).
   */
  private replyAt: { team: string; at: number } | null = null;
  /** Console replies waiting for their team's sim time (./heldReplies.ts). */
  private readonly held = new HeldReplies<ReplyMessage>();
  /**
   * Pasted `stdin` characters per client session (./stdin.ts: YAML parsing costs CPU), charged as of
   * each message's arrival ({@link arrivedAt}: a message held for the budget gets no extra allowance).
   */
  private readonly stdinBudget = new StdinBudget(undefined, undefined, () => this.arrivedAt ?? Date.now());
  /** While a held message's handler runs: when it arrived (wall ms, `Date.now()`); else null. */
  private arrivedAt: number | null = null;
  /** Seat token hashes by player name: a returning name must bring its token. */
  private seatTokens = new Map<string, string>();
  /** Rebuilt from the journal after a crash or a shutdown. */
  private restored = false;
  /** Every team's result is in the archive (the live journal may go). */
  private archived = false;
  /** How each name signed in (`account`, or `guest` for guest tokens and anonymous joins), for ratings. */
  private readonly signedInAs = new Map<string, 'account' | 'guest'>();
  private lastSnapshotTick = -1;
  /** This match's Kubernetes API registration: bearer tokens per session (server/k8s). */
  private k8s: K8sMatchHandle | undefined;
  /** The lobby: team / role / ready / start, notices, host and scoreboard (./lobby.ts). */
  private lobby!: RoomLobby;
  /** Server-side bot seats (./bots.ts). */
  private bots!: RoomBots;
  /** The trainer's desk: who may do trainer actions, the workshop, timed injections (./workshop.ts). */
  private desk!: RoomDesk;

  private get deps(): MatchRoomDeps {
    const deps = (this.constructor as typeof MatchRoom).deps;
    if (!deps) throw new Error('MatchRoom used without dependencies: register defineMatchRoom(deps)');
    return deps;
  }

  /** Runs at the matchmaking HTTP request, before a room is created: bad options never create a room. */
  static override async onAuth(token: string, options: unknown, _context: AuthContext): Promise<AuthedJoin> {
    // Called unbound by the matchmaker: the bound subclass ({@link defineMatchRoom}) passes its deps' auth.
    return authenticateJoin(undefined, token, options, parseJoinOptions);
  }

  /**
   * Creates the match from the creator's join options: one sim per team, the clock, the handlers;
   * with crash recovery, registers it as a live match first. A room the recovery manager creates
   * (its restore ticket in the options) is rebuilt from the journal instead ({@link restore}).
   * @throws ServerError (APPLICATION_ERROR) for invalid options, a scenario that is not built in, a
   *   scenario that does not load (its ScenarioError message), or a database that refuses the match.
   */
  override async onCreate(options: unknown): Promise<void> {
    const deps = this.deps;
    const ticket = deps.recovery?.takeRestore(options);
    if (ticket) return this.restore(ticket.row);
    // A workshop room (issue 10) is created by the HTTP API with a one-time ticket (./workshop.ts).
    const created = takeWorkshopCreation(options);
    const workshop = created.binding;
    const opts = parseJoinOptions(created.options);
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

    const { teams, settings } = settingsOf(opts);
    const teamIds = TEAM_IDS.slice(0, teams);
    const match = createMatch({ input, teams: teamIds, settings, ...(settings.mode === 'redblue' ? { redTeam: resolved.redTeam } : {}) });
    const botSeats = botSeatsOf(opts, teamIds);
    if (deps.recovery) {
      const setup = { scenario: opts.scenario ?? null, scenarioId: input.scenarioId, title, durationSeconds: opts.durationSeconds ?? null, teams: [...teamIds], timeDilation, settings, ...(workshop ? { workshop } : {}) };
      try {
        await deps.recovery.register({ matchId, roomId: this.roomId, seed, setup, startedAt: this.startedAt });
      } catch (err) {
        this.log.error({ err }, 'registering the live match failed');
        throw new ServerError(ErrorCode.APPLICATION_ERROR, 'the match could not be registered in the database: try again');
      }
      this.journal = this.newJournal(deps.recovery, matchId, 0);
    }
    this.setup({ match, matchId, input, title, timeDilation, teamIds, workshop });
    this.bots.addAll(botSeats);
    this.log.info({ scenario: input.scenarioId, seed, timeDilation, durationSeconds: input.settings.durationSeconds, teams: teamIds }, 'match created');
  }

  /**
   * Rebuilds a live match from its journal (server/recovery/rebuild.ts) under its old roomId, paused
   * if it was paused, its players not present until they rejoin (by name, with their seat token).
   * The room stays up {@link RESTORE_GRACE_MS} without players.
   * @throws Error when the journal is gone or does not replay (the recovery manager logs it).
   */
  private async restore(claimed: LiveMatchRow): Promise<void> {
    const deps = this.deps;
    const recovery = deps.recovery!;
    this.roomId = claimed.roomId;
    this.log = deps.logger.child({ roomId: claimed.roomId, matchId: claimed.matchId });
    const loaded = await loadJournal(recovery.database, claimed.matchId);
    if (!loaded) throw new Error(`live match ${claimed.matchId} is no longer in the journal`);
    const rebuilt = rebuildMatch(loaded.row, loaded.entries, loaded.snapshot);
    this.restored = true;
    this.startedAt = loaded.row.startedAt;
    this.seatTokens = rebuilt.seatTokens;
    this.journal = this.newJournal(recovery, claimed.matchId, loaded.entries.length);
    this.setup({ match: rebuilt.match, matchId: claimed.matchId, input: rebuilt.input, title: rebuilt.title, timeDilation: rebuilt.timeDilation, teamIds: loaded.row.setup.teams, workshop: loaded.row.setup.workshop ?? null, pending: rebuilt.pending });
    this.autoDispose = false;
    this.clock.setTimeout(() => {
      this.autoDispose = true;
    }, RESTORE_GRACE_MS);
    this.log.info({ tick: rebuilt.tick, entries: loaded.entries.length, fromSnapshot: rebuilt.fromSnapshot, phase: this.match.phase, hash: matchHash(this.match) }, 'match rebuilt from the journal');
    if (this.match.phase === 'ended') void this.endMatch();
  }

  /** What onCreate and restore share: teams and their projections, the state, the clock, the handlers. */
  private setup(o: { match: Match; matchId: string; input: SimInput; title: string; timeDilation: number; teamIds: readonly string[]; workshop: WorkshopBinding | null; pending?: JournalEntry[] }): void {
    const deps = this.deps;
    this.match = o.match;
    for (const id of o.teamIds) {
      const team = createRoomTeam(id);
      this.teams.set(id, team);
      registerTeam(this.state, id, team.schema);
      this.project(team);
    }
    Object.assign(this.state, {
      matchId: o.matchId,
      scenarioId: o.input.scenarioId,
      scenarioTitle: o.title,
      phase: this.match.phase,
      t: Math.max(0, ...this.match.teams.map((team) => team.sim.t)),
      durationSeconds: o.input.settings.durationSeconds,
      timeDilation: o.timeDilation,
    });
    this.lobby = new RoomLobby({
      match: () => this.match,
      state: this.state,
      sessions: this.sessions,
      clients: () => this.clients,
      projectedScores: () => [...this.teams.values()].map((team) => ({ team: team.id, score: team.schema.score })),
      journal: (entry) => this.journalEvent(entry),
      broadcast: (type, message) => this.broadcast(type, message),
      seatChanged: (client, player) => {
        this.views.retarget(client, visibleTeams(player, [...this.teams.keys()]));
        this.sendCredentials(client, player);
      },
      phaseChanged: () => this.syncPhase(),
      rosterChanged: () => void this.publishMetadata(),
    });
    this.lobby.init();
    this.desk = new RoomDesk({
      match: () => this.match,
      db: deps.db,
      log: () => this.log,
      sessions: this.sessions,
      clients: () => this.clients,
      lobby: () => this.lobby,
      journal: (entry) => this.journalEvent(entry),
      injectNow: (id, who, team, incident) => this.onInject(id, who, team, incident),
      t: () => this.state.t,
    }, o.workshop, o.pending);
    // A workshop room: joined by code only (never by quick-play), kept while nobody is in it yet.
    if (o.workshop) {
      void this.setPrivate(true);
      this.autoDispose = false;
      this.maxClients = WORKSHOP_MAX_CLIENTS;
    }
    // Solo practice: quick-play never seats a second player here (joinById still lets spectators in).
    if (this.match.settings.mode === 'solo') void this.setPrivate(true);
    this.patchRate = deps.patchRateMs;
    this.simClock = new SimClock(o.input.settings.tickSeconds, o.timeDilation);
    this.heldCreditMs = this.simClock.maxCreditMs;
    this.simClock.paused = this.match.phase === 'paused';
    this.setTimestep((deltaMs) => this.frame(deltaMs), FRAME_MS);
    void this.publishMetadata();
    if (this.journal && deps.recovery) {
      const journal = this.journal;
      this.clock.setInterval(() => void journal.heartbeat(), Math.max(100, Math.floor(deps.recovery.leaseMs / 3)));
      let nextSnapshotAt = 0;
      this.clock.setInterval(() => {
        const tick = matchTick(this.match);
        // A tick open between two teams' steps is no state to restore: the next interval takes it.
        if (tick === this.lastSnapshotTick || this.ending || this.tickCursor.next !== 0 || Date.now() < nextSnapshotAt) return;
        // Serializing a huge state blocks every room of the process for seconds: past the limit the
        // journal alone rebuilds the match (server/recovery), snapshots resume when it shrinks.
        if (this.match.teams.reduce((n, team) => n + Object.keys(team.sim.pods).length, 0) > SNAPSHOT_MAX_PODS) return;
        this.lastSnapshotTick = tick;
        // Serializing and hashing is this room's work (clock.ts budget); a big state is snapshotted
        // less often, so snapshots take at most SNAPSHOT_SHARE_OF_LOOP of real time.
        const started = performance.now();
        void journal.snapshot(this.match);
        const ms = performance.now() - started;
        this.simClock.spent(ms);
        nextSnapshotAt = Date.now() + ms / SNAPSHOT_SHARE_OF_LOOP;
      }, SNAPSHOT_EVERY_MS);
    }
    this.registerK8s(o.matchId);

    this.onMessage('kubectl', (client, raw, ctx) => this.guard(client, 'kubectl', raw, ctx.id, () => this.onKubectl(client, raw)));
    this.onMessage('stdin', (client, raw, ctx) => this.guard(client, 'stdin', raw, ctx.id, () => this.onStdin(client, raw)));
    this.onMessage('action', (client, raw, ctx) => this.guard(client, 'action', raw, ctx.id, () => this.onAction(client, raw)));
    this.onMessage('control', (client, raw, ctx) => this.guard(client, 'control', raw, ctx.id, () => this.onControl(client, raw)));
    this.onMessage('focus', (client, raw, ctx) => this.guard(client, 'focus', raw, ctx.id, () => this.onFocus(client, raw)));
    this.onMessage('lobby', (client, raw, ctx) => this.guard(client, 'lobby', raw, ctx.id, () => this.lobby.onMessage(client, raw)));
    this.onMessage('workflow', (client, raw, ctx) => this.guard(client, 'workflow', raw, ctx.id, () => handleWorkflow({ match: this.match, player: this.playerOf(client), journal: (e) => this.journalEvent(e), dirty: (id) => this.markDirty(id) }, raw)));
    registerChaos(this, { match: () => this.match, playerOf: (c) => this.playerOf(c), journal: (e) => this.journalEvent(e), dirty: (id) => this.markDirty(id), guard: (c, type, raw, rid, h) => this.guard(c, type, raw, rid, h) });
    this.bots = registerBots(this, { match: () => this.match, state: this.state, teamView: (id) => this.teams.get(id)?.schema, submit: (p, action) => this.applyPlayerAction('kubectl', null, p, action), journal: (e) => this.journalEvent(e), dirty: (id) => this.markDirty(id), joined: (p) => this.lobby.joined(p), playerOf: (c) => this.playerOf(c), whole: (run) => this.whenWhole(run, 'turn'), guard: (c, type, raw, rid, h) => this.guard(c, type, raw, rid, h) });
    this.onMessage('*', (client, type, raw) => {
      if (!isClientMessageType(type)) client.send('reply', unknownTypeReply(type, raw));
    });
  }

  private newJournal(recovery: RecoveryManager, matchId: string, committed: number): JournalWriter {
    return new JournalWriter({
      database: recovery.database,
      matchId,
      owner: recovery.owner,
      leaseMs: recovery.leaseMs,
      committed,
      tick: () => matchTick(this.match),
      log: this.log,
      onLost: () => {
        // Another process restored this match: this copy must not go on diverging from it.
        this.log.error('this process lost the match to another one: closing the room (clients rejoin there)');
        void this.disconnect();
      },
    });
  }

  /** Journals an accepted event; the reply to the message that caused it waits until it is durable. */
  private journalEvent(entry: JournalEntry): void {
    if (!this.journal) return;
    this.durable = this.journal.append(matchTick(this.match), entry, this.tickCursor.next);
  }

  /** The hold the current handler asked for (etcd could not serve it; see {@link replyAt}), and clears it. */
  private takeReplyAt(): { team: string; at: number } | null {
    const replyAt = this.replyAt;
    this.replyAt = null;
    return replyAt;
  }

  /** The durability promise of the event the current handler journaled (and clears it). */
  private takeDurable(): Promise<boolean> | null {
    const durable = this.durable;
    this.durable = null;
    return durable;
  }

  /**
   * The live match as `GET /api/matches/:id/live` shows it (also callable over Redis presence with
   * `matchMaker.remoteRoomCall(roomId, 'liveInfo')`). Hashes the whole match: O(cluster size).
   */
  liveInfo(): LiveMatchInfo {
    this.finishTick(); // the hash of a whole tick (the one a rebuild reaches)
    const match = this.match;
    return {
      matchId: this.state.matchId,
      roomId: this.roomId,
      phase: match.phase,
      tick: matchTick(match),
      t: Math.max(0, ...match.teams.map((team) => team.sim.t)),
      hash: matchHash(match),
      restored: this.restored,
      journaled: this.journal ? this.journal.committed : null,
      teams: match.teams.map((team) => ({ id: team.id, score: scoreOf(team), actions: team.score.actions })),
      players: match.players.map((p) => ({ name: p.name, team: p.team, trainer: p.trainer, present: p.present, actions: p.actions })),
    };
  }

  /**
   * Seats a player through the match's `join` (a returning name keeps its team, trainer flag and
   * action count).
   * @throws ServerError (APPLICATION_ERROR) for invalid options, an unknown team, a name already
   *   seated, or a name that played for another team (the match's texts).
   */
  override async onJoin(client: Client, options: unknown, auth?: unknown): Promise<void> {
    // Name and trainer flag as the session allows (./auth.ts), never as the raw options say.
    const authed = isAuthedJoin(auth) ? auth : await authenticateJoin(this.deps.auth, undefined, options, parseJoinOptions);
    // Workshop code, the one trainer per room, team placement (./workshop.ts).
    const placed = this.desk.checkJoin(authed.options);
    if (typeof placed === 'string') throw new ServerError(ErrorCode.APPLICATION_ERROR, placed);
    const opts = placed;
    this.signedInAs.set(opts.name, authed.kind === 'account' ? 'account' : 'guest');
    const offered = opts.seatToken === undefined ? null : tokenHash(opts.seatToken);
    const held = this.seatTokens.get(opts.name);
    if (held !== undefined && held !== offered && playerByName(this.match, opts.name)?.present === false) {
      throw new ServerError(ErrorCode.APPLICATION_ERROR, `the seat of "${opts.name}" is kept for its player: rejoin with the seat token you joined with`);
    }
    // A returning name that names no team gets its own back (it may have moved in the lobby).
    const team = opts.team ?? playerByName(this.match, opts.name)?.team ?? TEAM_IDS[0];
    const seat = join(this.match, { name: opts.name, team, trainer: opts.trainer, ...(opts.role !== undefined ? { role: opts.role } : {}), spectator: opts.spectator === true });
    if (!seat.ok) throw new ServerError(ErrorCode.APPLICATION_ERROR, seat.error);
    const player = seat.player;
    this.sessions.set(client.sessionId, player.id);
    if (offered !== null && !this.seatTokens.has(player.name)) this.seatTokens.set(player.name, offered);
    // Once archived the live journal is closed and gone: a player joining an ended match (a very short
    // one may end before its creator's socket arrives) is seated without a journal entry.
    if (this.journal && !this.archived) {
      // The seat (team, role, token) is durable before the player is in.
      const durable = await this.journal.append(matchTick(this.match), {
        kind: 'join',
        name: player.name,
        team: player.team,
        trainer: player.trainer,
        tokenHash: offered,
        ...(player.role !== null ? { role: player.role } : {}),
        ...(player.spectator ? { spectator: true } : {}),
      }, this.tickCursor.next);
      if (!durable) {
        this.sessions.delete(client.sessionId);
        leave(this.match, player.id);
        throw new ServerError(ErrorCode.APPLICATION_ERROR, 'this match moved to another server process: join again');
      }
    }
    if (this.restored) this.autoDispose = true;
    this.state.players.set(client.sessionId, playerSchemaOf(player));
    this.views.attach(client, visibleTeams(player, [...this.teams.keys()]));
    this.sendCredentials(client, player);
    this.lobby.joined(player);
    if (this.desk.isTrainer(player)) this.desk.sendPlan(client);
    this.log.info({ player: player.name, team: player.team, trainer: player.trainer, role: player.role, spectator: player.spectator }, 'player joined');
  }

  /**
   * A connection dropped without consent: keep the seat for {@link RECONNECT_SECONDS}; `onLeave` runs if
   * it expires. A client the room closed for abuse (`CloseCode.WITH_ERROR`, 4002: more than
   * `maxMessagesPerSecond`, or a message Colyseus could not decode) gets no reserved seat: Colyseus
   * calls `onLeave` at once and the seat is free for the next player.
   */
  override onDrop(client: Client, code?: number): void {
    const view = this.state.players.get(client.sessionId);
    if (view) view.connected = false;
    if (code === CloseCode.WITH_ERROR) {
      this.log.warn({ player: view?.name, code }, 'client closed for abuse: seat not reserved');
      return;
    }
    // Not awaited: Colyseus itself waits on the reconnection and calls onLeave when it expires. It is
    // refused (a rejected promise) for a client whose join failed and while the room is disposing.
    this.allowReconnection(client, RECONNECT_SECONDS).catch(() => undefined);
    if (view) this.lobby.dropped(view.name, RECONNECT_SECONDS);
  }

  override onReconnect(client: Client): void {
    const view = this.state.players.get(client.sessionId);
    if (view) view.connected = true;
    if (view && !client.view) this.views.attach(client, visibleTeams(view, [...this.teams.keys()]));
    if (view) this.lobby.reconnected(view.name);
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
    if (name !== undefined) this.lobby.left(name);
    this.log.info({ player: name }, 'player left');
  }

  override async onDispose(): Promise<void> {
    this.held.releaseAll();
    this.k8s?.close();
    await this.saving;
    const recovery = this.deps.recovery;
    if (this.journal && recovery && this.match && !this.archived && !this.journal.lost) {
      // A last commit records the tick now: a hand-over resumes exactly where this room stopped.
      if (recovery.shuttingDown) {
        this.finishTick(); // the tick it records is whole (a rebuild reaches exactly this state)
        this.drainWaiting(true); // what arrived is answered (journaled) before the hand-over
        await this.journal.heartbeat();
      }
      await this.journal.close();
      // Shutting down: hand the match to the next process now. Everyone left an unfinished match:
      // it is abandoned. Ended but not archived (the save failed): kept, a restore archives it.
      if (recovery.shuttingDown) await recovery.release(this.state.matchId);
      else if (this.match.phase !== 'ended') await recovery.forget(this.state.matchId);
    }
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
    const k8sSubmit = (sessionId: string, action: SimAction): Promise<K8sSubmitResult> => {
      const id = this.sessions.get(sessionId);
      const p = id === undefined ? undefined : findPlayer(this.match, id);
      if (!p) return Promise.resolve({ ok: false, error: MATCH_ERRORS.notAPlayer });
      this.durable = null;
      const reply = this.applyPlayerAction('action', null, p, action);
      const result: K8sSubmitResult = reply.ok ? { ok: true, message: reply.output ?? '' } : { ok: false, error: reply.error ?? 'refused' };
      // Journaled like a console action: the HTTP reply waits until it is durable (as guard() does).
      const durable = this.takeDurable();
      return durable ? durable.then((ok) => (ok ? result : { ok: false, error: 'this match moved to another server process before your command was saved: rejoin the match' })) : Promise.resolve(result);
    };
    this.k8s = registerK8sMatch(matchId, {
      teams: () => this.match.teams.map((t) => t.id),
      sim: (team) => (this.teams.has(team) ? getTeam(this.match, team).sim : undefined),
      principal: (sessionId) => {
        const id = this.sessions.get(sessionId);
        const p = id === undefined ? undefined : findPlayer(this.match, id);
        return p ? { name: p.name, team: p.team, trainer: p.trainer, spectator: p.spectator === true } : undefined;
      },
      // Writes wait like the console's messages (see guard): the writer's team's cluster only.
      submit: (sessionId, action) => new Promise<K8sSubmitResult>((resolve) => this.whenWhole(() => resolve(k8sSubmit(sessionId, action)), this.scopeOfSession(sessionId, 'action'))),
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

  /**
   * Runs the ticks the clock says are due, in slices (issue 12, "Bounded cost per match"): shared/game
   * `advanceSlice` steps one team's cluster at a time and the room goes on only while its work credit
   * (clock.ts) lasts, so one call never runs more than one team's step past the budget; a tick left
   * open continues in the next frame, before any new one. Held events go first ({@link drainWaiting}):
   * a new tick starts only when none waits. Due ticks it cannot afford are dropped.
   */
  private frame(deltaMs: number): void {
    if (deltaMs > 0 && Number.isFinite(deltaMs)) this.heldCreditMs = Math.min(this.simClock.maxCreditMs, this.heldCreditMs + deltaMs * this.simClock.shareOfLoop);
    if (this.match.phase !== 'running') {
      // No tick runs (lobby, paused, ended): what waits goes by the per-turn bound alone.
      if (this.waiting.length > 0 || this.held.size > 0) this.drainWaiting();
      return;
    }
    let due = this.simClock.advance(deltaMs);
    while (this.match.phase === 'running') {
      if (this.waiting.length > 0 || (this.held.size > 0 && this.tickCursor.next === 0)) this.drainWaiting();
      // At a whole tick, what still waits (out of budget) goes before any new tick.
      if (this.tickCursor.next === 0 && (due === 0 || this.waiting.length > 0)) break;
      // The work budget (clock.ts): out of credit, the rest of this frame's ticks are dropped.
      if (!this.simClock.mayStep()) break;
      if (this.tickCursor.next === 0) due--;
      const r = this.runTick(() => this.simClock.mayStep());
      if (r === 'failed' || r === 'ended') return;
    }
    this.simClock.shed(due);
    const report = this.simClock.report();
    if (report) this.broadcast('clock', report);
  }

  /**
   * Answers the held console replies whose team's etcd serves again or whose request timed out
   * (./heldReplies.ts), in due order while `more()` says so (a retry runs the line again). Returns how
   * many were answered.
   */
  private releaseHeld(more: () => boolean): number {
    return this.held.release((id) => {
      if (!this.teams.has(id)) return undefined;
      const sim = getTeam(this.match, id).sim;
      if (isFinished(sim)) return undefined;
      const etcd = sim.controlPlane.etcd;
      return { t: sim.t, serving: etcd.hasQuorum && etcd.leader !== null };
    }, more);
  }

  /**
   * Starts or continues one match tick (`advanceSlice`), paying each team's step from the work credit
   * and asking `more()` between teams; the teams that stepped are marked dirty. When the tick is
   * complete: counted for the clock's rate, timed injections fire, what was held runs within the
   * budget ({@link drainWaiting}), an ended match ends.
   */
  private runTick(more: () => boolean): 'partial' | 'done' | 'ended' | 'failed' {
    let last = performance.now();
    const pay = (): void => {
      const now = performance.now();
      this.simClock.spent(now - last);
      last = now;
    };
    const from = this.tickCursor.next;
    let r: 'partial' | 'done' | 'ended';
    try {
      r = advanceSlice(this.match, this.tickCursor, () => {
        pay();
        return more();
      });
    } catch (err) {
      // A sim bug: stop the clock rather than fail every frame; a trainer may resume.
      const where = err instanceof TeamStepError ? { team: err.team, tick: err.tick } : {};
      this.log.error({ err: err instanceof Error && err.cause !== undefined ? err.cause : err, ...where }, 'sim step failed: match paused');
      this.tickCursor.next = 0;
      suspend(this.match);
      this.simClock.paused = true;
      this.markAllDirty();
      this.syncPhase();
      this.drainWaiting(); // the rest in the next frames (a paused match: per-turn bound only)
      return 'failed';
    }
    pay();
    const to = r === 'partial' ? this.tickCursor.next : this.match.teams.length;
    for (let i = from; i < to; i++) this.markDirty(this.match.teams[i]!.id);
    if (r === 'partial') return r;
    this.simClock.ran();
    // Timed injections whose team clock came (between ticks, like an action: exact on replay).
    if (r !== 'ended') this.desk.fireDue();
    this.drainWaiting();
    if (r === 'ended') void this.endMatch();
    return r;
  }

  /**
   * Runs `run` now when its scope and the budget allow and nothing is waiting before it, else queues
   * it for {@link drainWaiting}. Everything that changes the match from outside the clock goes through
   * here (messages via {@link guard}, Kubernetes API writes, bot turns): a tick run in slices is then
   * exactly one `advance` for the journal (same state hash, same journal ticks, whatever the slicing).
   */
  private whenWhole(run: () => void, scope: HeldScope): void {
    if (this.mayRunNow(scope)) {
      const started = performance.now();
      if (this.tickCursor.next !== 0) this.heldStats.early++;
      try {
        run();
      } finally {
        this.simClock?.spent(performance.now() - started); // the room's work (clock.ts budget)
      }
      return;
    }
    this.waiting.push({ scope, run });
    this.drainWaiting();
  }

  /**
   * True when an event of `scope` that just arrived runs at once: nothing waits before it and the
   * match is at a whole tick or the event is a team's own ({@link mayRunEarly}). It is paid from the
   * clock's credit like any of the room's work; only held events need their own credit.
   */
  private mayRunNow(scope: HeldScope): boolean {
    return this.waiting.length === 0 && !this.draining && (this.tickCursor.next === 0 || (typeof scope === 'object' && this.mayRunEarly(scope.team)));
  }

  /** The scope of a message (see {@link HeldScope}): the sender's team for console lines and actions, else the match. */
  private scopeOf(client: Client, type: ClientMessageType): HeldScope {
    return this.scopeOfSession(client.sessionId, type);
  }

  private scopeOfSession(sessionId: string, type: ClientMessageType): HeldScope {
    if (!TEAM_MESSAGE_TYPES.has(type)) return 'match';
    const id = this.sessions.get(sessionId);
    const player = id === undefined ? undefined : findPlayer(this.match, id);
    return player && this.teams.has(player.team) ? { team: player.team } : 'match';
  }

  /**
   * True when an event of `teamId`'s cluster only may run now although the tick is open (any team of
   * the match: one that stepped in it is at the open tick, one that did not yet at the tick before).
   * The journal records it with the open tick and its `slice` (`tickCursor.next`: how many teams had
   * stepped), and a rebuild (server/recovery/rebuild.ts) replays that tick in the same slices, so it
   * reaches the live state and `matchHash` exactly.
   */
  private mayRunEarly(teamId: string): boolean {
    return this.teams.has(teamId);
  }

  /**
   * True while held events may run (issue 12): always outside a running match; in one, while their own
   * credit ({@link heldCreditMs}) is positive. Each held event is paid from that credit and from the clock's
   * (clock.ts), so events go before ticks and the sim's debt (one cluster's step past the budget) does
   * not hold the players' replies back: events alone stay within `shareOfLoop` of real time, and the
   * ticks get what they leave of it (a tick needs the clock's credit positive).
   */
  private heldBudgetLeft(): boolean {
    return this.match.phase !== 'running' || this.heldCreditMs > 0;
  }

  /** Held events' wall ms: paid from their own credit and from the clock's (the room's share of real time). */
  private payHeld(ms: number): void {
    if (!(ms > 0) || !Number.isFinite(ms)) return;
    this.heldCreditMs -= ms;
    this.simClock?.spent(ms);
  }

  /**
   * Runs what waits ({@link waiting}, and at a whole tick the etcd-held replies now due), in order,
   * within the budget: at most {@link HELD_EVENTS_PER_TURN} per call and while {@link heldBudgetLeft},
   * each one's wall ms paid from the work credit (clock.ts). At a whole tick every event may run; while
   * a tick is open, a `match` event stops the drain (everything after it waits), a `turn` waits
   * without holding anything up, and a team's event runs if {@link mayRunEarly}, else it and that
   * team's later events wait. `all`: no budget (a shutdown hand-over answers everything).
   */
  private drainWaiting(all = false): void {
    if (this.draining || !this.match) return;
    this.draining = true;
    let ran = 0;
    // Only the events' own wall ms are paid (not the scan), each when the next is asked for or at the end.
    let startedAt: number | null = null;
    const pay = (): void => {
      if (startedAt !== null) this.payHeld(performance.now() - startedAt);
      startedAt = null;
    };
    const take = (): boolean => {
      pay();
      if (!all && (ran >= HELD_EVENTS_PER_TURN || !this.heldBudgetLeft())) return false;
      ran++;
      startedAt = performance.now();
      return true;
    };
    try {
      const whole = this.tickCursor.next === 0;
      if (whole && this.held.size > 0) this.releaseHeld(take);
      const blocked = new Set<string>();
      for (let i = 0; i < this.waiting.length; ) {
        const e = this.waiting[i]!;
        if (!whole && e.scope === 'match') break;
        const team = typeof e.scope === 'object' ? e.scope.team : null;
        if (team !== null && blocked.has(team)) {
          i++;
          continue;
        }
        if (whole || (team !== null && this.mayRunEarly(team))) {
          if (!take()) break;
          this.waiting.splice(i, 1);
          if (whole) this.heldStats.whole++;
          else this.heldStats.early++;
          e.run();
          pay();
          continue;
        }
        if (team !== null) blocked.add(team);
        i++;
      }
      pay();
    } finally {
      this.draining = false;
      this.heldStats.maxTurn = Math.max(this.heldStats.maxTurn, ran);
    }
  }

  /** Completes an open tick now, whatever the budget (a caller that must see a whole tick). */
  private finishTick(): void {
    if (this.tickCursor.next !== 0) this.runTick(() => true);
  }

  private markDirty(id: string): void {
    const team = this.teams.get(id);
    if (team) team.dirty = true;
  }

  private markAllDirty(): void {
    for (const team of this.teams.values()) team.dirty = true;
  }

  /** Projects one team: its cluster and its score (the game layer's). */
  private project(team: RoomTeam): void {
    const state = getTeam(this.match, team.id);
    projectTeam(team.schema, state.sim, { score: scoreOf(state), phase: this.match.phase, workflow: state.workflow, actions: state.log });
    team.dirty = false;
  }

  /**
   * Projects the dirty teams before a patch. Bounded per patch (issue 12): the teams are taken round
   * robin from where the last patch stopped, and after the first one only while the room's work credit
   * (clock.ts) lasts; the others stay dirty for the next patch (a large match's 8 clusters are then
   * projected over several patches, not in one call). `all` (the match's end) projects every dirty team.
   */
  private projectDirty(all: boolean): void {
    // Patches start before an async onCreate (registering, restoring) has set the match up.
    if (!this.match) return;
    let t = 0;
    let last = performance.now();
    const teams = [...this.teams.values()];
    let projected = 0;
    const from = all ? 0 : this.projectFrom % Math.max(1, teams.length);
    for (let k = 0; k < teams.length; k++) {
      const i = (from + k) % teams.length;
      // Within one patch the teams are projected in id order (a patch that wrapped around, projecting
      // red before blue, left a spectator's view of the later team stale): the next patch starts over.
      if (i === 0 && k > 0 && projected > 0) break;
      const team = teams[i]!;
      if (!team.dirty) continue;
      if (projected > 0 && !all && !this.simClock.mayStep()) break;
      this.project(team);
      projected++;
      this.projectFrom = (i + 1) % teams.length;
      const now = performance.now();
      this.simClock.spent(now - last); // projection is this room's work too
      this.projectedMs += now - last;
      last = now;
    }
    for (const team of teams) t = Math.max(t, getTeam(this.match, team.id).sim.t);
    this.views.refresh();
    this.simClock.spent(performance.now() - last);
    this.projectedMs += performance.now() - last;
    this.state.t = t;
    this.lobby.refresh();
    if (Date.now() - this.lastMetadataAt >= METADATA_REFRESH_MS) void this.publishMetadata();
  }

  override onBeforePatch(): void {
    this.projectDirty(false);
  }

  /**
   * A patch: projection ({@link onBeforePatch}, paid there) and the encoding of its changes for every
   * client, paid from the same work credit (clock.ts): a match whose clusters change a lot pays for
   * the bytes it makes the process encode, and runs fewer ticks.
   */
  override broadcastPatch(): boolean {
    const started = performance.now();
    this.projectedMs = 0;
    const sent = super.broadcastPatch();
    this.simClock?.spent(performance.now() - started - this.projectedMs);
    return sent;
  }

  private async publishMetadata(): Promise<void> {
    this.lastMetadataAt = Date.now();
    // setMetadata replaces the metadata (no merge): always send every field.
    await this.setMetadata({
      matchId: this.state.matchId,
      scenarioId: this.state.scenarioId,
      scenario: this.state.scenarioId,
      title: this.state.scenarioTitle,
      scenarioTitle: this.state.scenarioTitle,
      phase: this.match.phase,
      t: this.state.t,
      durationSeconds: this.state.durationSeconds,
      ...this.lobby.metadata(this.maxClients),
    }).catch((err: unknown) => this.log.warn({ err }, 'updating room metadata failed'));
  }

  /** Mirrors the match's phase into the room state and the listing metadata. */
  private syncPhase(): void {
    const phase: MatchPhase = this.match.phase;
    if (this.state.phase === phase) return;
    if (this.state.phase === 'lobby' && phase === 'running') this.desk.started();
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
  private guard(client: Client, type: ClientMessageType, raw: unknown, requestId: number | undefined, handler: () => ReplyMessage): ReplyMessage | Promise<ReplyMessage> | undefined {
    const scope = this.scopeOf(client, type);
    if (this.mayRunNow(scope)) {
      const started = performance.now();
      if (this.tickCursor.next !== 0) this.heldStats.early++;
      const reply = this.deliver(client, requestId, this.answer(client, type, raw, handler, true));
      this.simClock?.spent(performance.now() - started); // the room's work (clock.ts budget)
      return reply;
    }
    // A tick is open (run in slices, see frame) or something waits before it: the message waits, in
    // arrival order (./README.md "Bounded cost per match"), and is answered when it has run.
    const arrived = Date.now();
    return new Promise<ReplyMessage | undefined>((resolve) => {
      const run = (): void => {
        this.arrivedAt = arrived;
        try {
          resolve(this.deliver(client, requestId, this.answer(client, type, raw, handler, true)));
        } finally {
          this.arrivedAt = null;
        }
      };
      this.waiting.push({ scope, run });
      this.drainWaiting();
    }).then((r) => r as ReplyMessage);
  }

  /** Delivers {@link answer}'s reply: returned for a `room.request(...)`, else sent as a `reply` message. */
  private deliver(client: Client, requestId: number | undefined, answer: ReplyMessage | Promise<ReplyMessage>): ReplyMessage | Promise<ReplyMessage> | undefined {
    if (answer instanceof Promise) {
      if (requestId !== undefined) return answer;
      void answer.then((r) => client.send('reply', r));
      return undefined;
    }
    if (requestId !== undefined) return answer;
    client.send('reply', answer);
    return undefined;
  }

  /**
   * Runs a handler (see {@link guard}) at a whole tick, or between two teams' steps for a team's own
   * line ({@link HeldScope}), and returns its reply, or a promise of it: when the handler
   * journaled (durable first), or, with `mayHold`, when etcd could not serve it (./heldReplies.ts: held
   * until etcd serves again, then run once more, or until its request timeout).
   */
  private answer(client: Client, type: ClientMessageType, raw: unknown, handler: () => ReplyMessage, mayHold: boolean): ReplyMessage | Promise<ReplyMessage> {
    let reply: ReplyMessage;
    this.durable = null;
    this.replyAt = null;
    try {
      // Authorization first (./workshop.ts): trainer actions are the room's trainer's only.
      const denied = this.desk.gate(type, raw, this.playerOf(client));
      reply = denied !== null ? errorReply(type, extractId(raw), denied) : handler();
    } catch (err) {
      this.log.error({ err, type, message: raw }, 'message handler failed');
      reply = errorReply(type, null, `internal error while handling ${type}: ${err instanceof Error ? err.message : String(err)}`);
    }
    const replyAt = this.takeReplyAt();
    if (replyAt !== null && mayHold && this.match.phase !== 'ended') {
      // etcd could not serve it: the request waits for its timeout, or completes if etcd serves again.
      return this.held.hold(replyAt.team, replyAt.at, reply, () => this.answer(client, type, raw, handler, false));
    }
    const durable = this.takeDurable();
    if (durable) {
      // Journaled: acknowledge only once durable (server/recovery/journal.ts).
      return durable.then((ok) => (ok ? reply : errorReply(type, reply.id, 'this match moved to another server process before your command was saved: rejoin the match')));
    }
    return reply;
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
    const sim = getTeam(this.match, who.team).sim;
    const result = runKubectl(sim, parsed.message.command);
    if (result.kind === 'output') return okReply('kubectl', parsed.id, result.output);
    if (result.kind === 'error') {
      // etcd without quorum: the API server answers after etcd's 7 s request timeout (./heldReplies.ts).
      const at = apiTimeoutReplyAt(sim, result.error);
      if (at !== undefined) this.replyAt = { team: who.team, at };
      return errorReply('kubectl', parsed.id, result.error);
    }
    return this.applyPlayerAction('kubectl', parsed.id, who, result.action);
  }

  /** `kubectl apply|create -f -` of pasted YAML and `kubectl edit` (issue 7): ./stdin.ts. */
  private onStdin(client: Client, raw: unknown): ReplyMessage {
    const parsed = parseClientMessage('stdin', raw);
    if (!parsed.ok) return parsed.reply;
    const who = this.playerOf(client);
    if (typeof who === 'string') return errorReply('stdin', parsed.id, who);
    const costly = this.stdinBudget.take(client.sessionId, parsed.message.command.length + (parsed.message.stdin?.length ?? 0));
    if (costly !== null) return errorReply('stdin', parsed.id, costly);
    const sim = getTeam(this.match, who.team).sim;
    const reply = runStdin(sim, parsed.id, parsed.message.command, parsed.message.stdin, (a) => this.applyPlayerAction('stdin', parsed.id, who, a));
    const at = reply.ok || reply.error === undefined ? undefined : apiTimeoutReplyAt(sim, reply.error);
    if (at !== undefined) this.replyAt = { team: who.team, at };
    return reply;
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
    if (!result.ok) {
      if (result.repliesAt !== undefined) this.replyAt = { team: player.team, at: result.repliesAt };
      return errorReply(type, id, result.error);
    }
    this.journalEvent({ kind: 'action', team: player.team, player: player.name, action: structuredClone(checked.data) });
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
    if (message.op === 'inject' && message.manifest !== undefined) return this.onInjectManifest(id, who, message.team, message.manifest, message.appinfo);
    if (message.op === 'inject' && message.atSeconds !== undefined && message.atSeconds > 0) return this.desk.planInjection(id, who, message.team ?? who.team, message.incident, message.atSeconds);
    if (message.op === 'inject') return this.onInject(id, who, message.team, message.incident);
    // Issue 10: the trainer's console ops that are the room's (./workshop.ts).
    if (message.op === 'message') return this.desk.message(id, who, message.team, message.text, message.kind);
    if (message.op === 'move') return this.desk.move(id, who, message.player, message.team);
    // Permission and phase are the match's; the clock and the speed value are the room's.
    const allowed = control(this.match, who.id, message.op);
    if (!allowed.ok) return errorReply('control', id, allowed.error);
    switch (message.op) {
      case 'pause':
        this.journalEvent({ kind: 'control', player: who.name, op: 'pause' });
        this.simClock.paused = true;
        this.syncPhase();
        return okReply('control', id, allowed.message);
      case 'resume':
        this.journalEvent({ kind: 'control', player: who.name, op: 'resume' });
        this.simClock.paused = false;
        this.syncPhase();
        return okReply('control', id, allowed.message);
      case 'speed': {
        if (message.timeDilation === undefined) return errorReply('control', id, 'speed needs timeDilation: sim seconds per real second, 0.25 to 120');
        this.simClock.setTimeDilation(message.timeDilation);
        this.journalEvent({ kind: 'control', player: who.name, op: 'speed', timeDilation: message.timeDilation });
        this.state.timeDilation = message.timeDilation;
        return okReply('control', id, `speed set to ${message.timeDilation} sim seconds per real second`);
      }
      case 'end':
        this.journalEvent({ kind: 'control', player: who.name, op: 'end' });
        this.markAllDirty();
        void this.endMatch();
        return okReply('control', id, allowed.message);
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
    const started = getTeam(this.match, teamId ?? who.team).injections.at(-1);
    if (started) this.journalEvent({ kind: 'inject', team: teamId ?? who.team, player: who.name, spec: structuredClone(started.spec) });
    const team = this.teams.get(teamId ?? who.team);
    if (team) team.dirty = true;
    this.log.info({ player: who.name, team: teamId ?? who.team, incident: result.incident, type: incident.type }, 'incident injected');
    return okReply('control', id, result.message);
  }

  /** `control` op `inject` with `manifest` (issue 7): ./chaos.ts `injectChaosManifest` (later runs: the desk's timed injections). */
  private onInjectManifest(id: MessageId, who: MatchPlayer, teamId: string | undefined, manifest: string, appinfo: AppInfo | undefined): ReplyMessage {
    return injectChaosManifest(
      {
        match: () => this.match,
        injectNow: (mid, w, team, incident) => this.onInject(mid, w, team, incident),
        plan: (mid, w, team, incident, atSeconds) => this.desk.planInjection(mid, w, team, incident, atSeconds),
        plannedIds: () => this.desk.plan().map((p) => p.id),
      },
      id,
      who,
      teamId,
      manifest,
      appinfo,
    );
  }

  // -------------------------------------------------------------------------------------------
  // End of match
  // -------------------------------------------------------------------------------------------

  /**
   * The match is over: project the final state, lock the room, save every team's result and the
   * rating update as one match group (kept durably and retried until stored, never throws: ./results.ts),
   * then tell each client its team's summary (`matchEnded`) and close the room after
   * {@link END_LINGER_MS} (sooner if everyone leaves).
   */
  private async endMatch(): Promise<void> {
    if (this.ending) return;
    this.ending = true;
    this.held.releaseAll(); // the clock stops: nobody waits for a sim second that never comes
    this.syncPhase();
    this.projectDirty(true);
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
        // A spectating trainer (a workshop's) played for no team.
        players: match.players.filter((p) => p.team === team.id && !(p.trainer && p.spectator)),
        mode: match.settings.mode,
        matchGroup: this.state.matchId,
        ...(this.desk.workshop ? { workshopId: this.desk.workshop.id } : {}),
      }),
    }));
    // One match group: every team's record and the rating update in one transaction, kept durably
    // (DATA_DIR/pending-results) and retried until stored when the database is down.
    const group = toMatchGroup(results.map(({ result }) => ({
      ...result,
      matchGroup: result.matchGroup ?? this.state.matchId,
      players: result.players.map((p) => {
        const who = playerByName(match, p.name);
        const kind = who?.bot ? 'bot' : this.signedInAs.get(p.name);
        return { ...p, ...(kind !== undefined ? { kind } : {}), ...(who?.spectator || who?.trainer ? { watcher: true as const } : {}) };
      }),
    })));
    const store = this.deps.results ?? new ResultStore({ db: this.deps.db, log: this.log, dir: null });
    const forget = async () => {
      await this.desk.archived(results.map(({ result }) => result.id), this.state.matchId);
      // Archived: the result holds every journaled action; the live journal goes.
      if (!this.journal || !this.deps.recovery) return;
      this.archived = true;
      await this.journal.close();
      await this.deps.recovery.forget(this.state.matchId);
    };
    const saving = store.save(group, forget);
    this.saving = saving;
    await saving;
    const players = results.flatMap(({ result }) => result.players.map((p) => ({ name: p.name, team: result.team, score: result.summary.score })));
    for (const client of this.clients) {
      const playerId = this.sessions.get(client.sessionId);
      const team = playerId === undefined ? undefined : findPlayer(match, playerId)?.team;
      const mine = results.find(({ result }) => result.team === team) ?? results[0];
      if (!mine) continue;
      const message: MatchEndedMessage = { matchId: mine.result.id, summary: mine.result.summary, players, ...chaosEnded(match) };
      client.send('matchEnded', message);
    }
    this.log.info({ scores: players.map((p) => `${p.name}:${p.score}`) }, 'match ended');
    // A workshop room was kept while empty for its players to come; over, it goes when they leave.
    if (this.desk.workshop) this.autoDispose = true;
    this.clock.setTimeout(() => void this.disconnect(), this.desk.workshop ? WORKSHOP_END_LINGER_MS : END_LINGER_MS);
  }

  // -------------------------------------------------------------------------------------------
  // Workshops (issue 10): called by the HTTP API (`matchMaker.remoteRoomCall`)
  // -------------------------------------------------------------------------------------------

  /** The workshop's next match is in `roomId`: tell every client (`workshop` op `next`), close soon after. */
  workshopNext(roomId: string): void {
    this.desk.announceNext(roomId);
    this.clock.setTimeout(() => void this.disconnect(), NEXT_LINGER_MS);
  }

  /** What the trainer's workshop page shows of this room: phase, roster by team, pending timed injections. */
  workshopInfo(): { roomId: string; matchId: string; phase: MatchPhase; t: number; roster: { team: string; players: { name: string; present: boolean; spectator: boolean; trainer: boolean; bot: boolean }[] }[]; pending: ReturnType<RoomDesk['plan']> } {
    const match = this.match;
    return {
      roomId: this.roomId,
      matchId: this.state.matchId,
      phase: match.phase,
      t: this.state.t,
      roster: match.teams.map((team) => ({
        team: team.id,
        players: match.players.filter((p) => p.team === team.id && !(p.trainer && p.spectator)).map((p) => ({ name: p.name, present: p.present, spectator: p.spectator, trainer: p.trainer, bot: p.bot === true })),
      })),
      pending: this.desk.plan(),
    };
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
    static override async onAuth(token: string, options: unknown, _context: AuthContext): Promise<AuthedJoin> {
      return authenticateJoin(deps.auth, token, options, parseJoinOptions);
    }
  };
}
