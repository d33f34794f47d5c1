/**
 * The game layer's data model: a {@link Match} of teams, each with its own simulated cluster, action
 * log and score inputs, plus the roster and the phase. Plain JSON (no Map, no class, no undefined
 * members): `JSON.parse(JSON.stringify(match))` is the same match. Arrays are in a total, documented
 * order, so hashing and replay never depend on insertion order across players.
 *
 * Units: `tick` counts sim ticks (`settings.tickSeconds` sim seconds each); `t`, `startedAt`,
 * `mitigatedAt` and `durationSeconds` are sim seconds.
 *
 * May import: shared/sim types, shared/protocol.ts types.
 */
import type { MatchPhase } from '../protocol.ts';
import type { ActionResult, IncidentSpec, IncidentType, LoggedAction, SimInput, SimState } from '../sim/types.ts';

export type { MatchPhase } from '../protocol.ts';
export type { ActionResult, LoggedAction } from '../sim/types.ts';

/** Team id of a one-team match (the room's only team for now, the CLI's and `runMatch`'s team). */
export const DEFAULT_TEAM_ID = 'blue';

/** Team ids of a match, in this order: a match with N teams plays the first N (the first is {@link DEFAULT_TEAM_ID}). */
export const TEAM_IDS = ['blue', 'red', 'green', 'gold', 'purple', 'orange', 'teal', 'pink'] as const;

/** One team's score inputs, accumulated by `submit` from the team's own accepted actions. */
export interface TeamScoreInputs {
  /** Accepted actions of this team (the summary's `actions`). */
  actions: number;
  /** Sum of `ACTION_COSTS[action.type]` over those actions (shared/game/score.ts), cost units. */
  actionCost: number;
}

/** One team of a match: its own cluster, its own replay log, its own score inputs. */
export interface TeamState {
  /** Team id (`[a-z0-9-]{1,16}` when it comes from join options; any non-empty string here). */
  id: string;
  /** The team's simulated cluster; mutated only by `advance` (ticks) and `submit` (accepted actions). */
  sim: SimState;
  /**
   * The team's accepted actions in application order, each with the tick at which it was applied
   * (`sim.tick` then; ticks never decrease) and the name of the player who did it.
   */
  log: LoggedAction[];
  /** The team's action count and cost (the score itself is `computeScore` over sim, log and these). */
  score: TeamScoreInputs;
  /**
   * The incident schedule this team plays, as the scenario gives it (ids, types, `at` in sim seconds,
   * targets, params), in the scenario's order; ids are unique (the scenario loader checks). The match
   * decides when each starts: `advance` injects every due one (`at <= t`, in (at, position) order)
   * into the team's cluster at the start of the tick (shared/sim `injectIncident`). Never projected:
   * players see an incident once it started. (The cluster was created from the same specs and keeps
   * them as hidden `scheduled` entries, so its layout, hash and summary are today's.)
   */
  schedule: IncidentSpec[];
  /**
   * Incidents injected into this team's cluster at run time (a trainer's `inject`), in order, each
   * attributed: the replay log's second list (see {@link LoggedInjection}).
   */
  injections: LoggedInjection[];
}

/**
 * A runtime injection as the match logged it. Replay rule: at tick `tick` (the team's `sim.tick` when
 * it was injected: after step `tick`, before step `tick + 1`) it is injected before the team's
 * `log[logIndex]` (i.e. after the `logIndex` actions accepted before it), so actions and injections of
 * one tick keep their live order.
 */
export interface LoggedInjection {
  tick: number;
  /** Name of the player (a trainer) who injected it. */
  player: string;
  /** `team.log.length` when it was injected. */
  logIndex: number;
  /** The spec as started: `id` assigned, `at` = the sim second it started. */
  spec: IncidentSpec;
}

/** What a trainer injects (`inject`); the adapter validates the shape, the incident registry the rest. */
export interface InjectRequest {
  /** Incident kind (shared/sim/incidents registry). */
  type: IncidentType;
  /** What it hits, in the kind's target syntax (a Deployment `name` or `namespace/name`, a Node name, etcd members `etcd-1,etcd-2`). */
  target: string;
  /** The kind's params as written (defaults applied by its schema). Default `{}`. */
  params?: IncidentSpec['params'];
  /** Incident id, unique in the team (default `injected-N`, N = the team's injections + 1, bumped past ids in use). */
  id?: string;
  /** Player-facing title (default: the kind's). */
  title?: string;
}

/** `inject`'s answer: `message` is the reply text, `incident` the id it got. */
export type InjectResult = { ok: true; message: string; incident: string } | { ok: false; error: string };

/** A seat in the match. Names are unique in a match; a returning name keeps its id, team and counts. */
export interface MatchPlayer {
  /** Assigned by `join`: `p1`, `p2`, ... in join order. */
  id: string;
  /** Display name, also what the action log and the cluster's events (`player:NAME`) record. */
  name: string;
  /** The one team this player plays for in this match. */
  team: string;
  /** May pause, resume, change the speed and inject incidents. Once a trainer, always a trainer in this match. */
  trainer: boolean;
  /** Seated now (joined and not yet left); a present name cannot be taken by someone else. */
  present: boolean;
  /** Actions of this player the match accepted. */
  actions: number;
}

/**
 * A whole match: what the room, the CLI and replay all drive through `submit` and `advance`.
 * `teams` are sorted by id (string order); `players` are in join order (= id order).
 */
export interface Match {
  schemaVersion: 1;
  /** `running` (ticks advance, actions accepted), `paused` (neither), `ended` (every team's cluster finished). */
  phase: MatchPhase;
  teams: TeamState[];
  players: MatchPlayer[];
}

/** What `createMatch` needs. */
export interface CreateMatchOptions {
  /** The scenario resolved to a cluster input (every team gets its own cluster from it). */
  input: SimInput;
  /** Team ids, at least one, unique, non-empty (order does not matter: the match sorts them). */
  teams: readonly string[];
}

/** What a player asks for when joining. */
export interface JoinRequest {
  /** Display name, unique in the match (the adapter validates its length and characters). */
  name: string;
  /** Team to play for; must be one of the match's teams. */
  team: string;
  /** Ask to be a trainer (the adapter decides who may ask). */
  trainer?: boolean;
}

/** `join`'s answer: the seat, or why not (the room's join error texts). */
export type JoinResult = { ok: true; player: MatchPlayer } | { ok: false; error: string };

/** A trainer's control operations; `speed`'s value (time dilation) belongs to the adapter's clock. */
export type ControlOp = 'pause' | 'resume' | 'speed';

/** `control`'s answer: `message` is the reply text (`paused`, `resumed`; empty for `speed`). */
export type ControlResult = { ok: true; message: string } | { ok: false; error: string };

/** Re-exported for adapters: `submit` returns the cluster's {@link ActionResult} or a game refusal. */
export type SubmitResult = ActionResult;
