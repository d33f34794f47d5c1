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
import type { ActionResult, IncidentSpec, LoggedAction, SimInput, SimState } from '../sim/types.ts';

export type { MatchPhase } from '../protocol.ts';
export type { ActionResult, LoggedAction } from '../sim/types.ts';

/** Team id of a one-team match (the room's only team for now, the CLI's and `runMatch`'s team). */
export const DEFAULT_TEAM_ID = 'blue';

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
   * targets, params), in the scenario's order. The team's cluster was created from it; the cluster's
   * step starts each incident at its `at`.
   */
  schedule: IncidentSpec[];
}

/** A seat in the match. Names are unique in a match; a returning name keeps its id, team and counts. */
export interface MatchPlayer {
  /** Assigned by `join`: `p1`, `p2`, ... in join order. */
  id: string;
  /** Display name, also what the action log and the cluster's events (`player:NAME`) record. */
  name: string;
  /** The one team this player plays for in this match. */
  team: string;
  /** May pause, resume and change the speed. Once a trainer, always a trainer in this match. */
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
