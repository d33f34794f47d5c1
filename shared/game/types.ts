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
import type { ChaosState, RedTeamRules } from './chaos.ts';

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
  /**
   * Collateral damage done by those actions (shared/game/collateral.ts: a healthy Pod deleted, the last
   * schedulable Node drained or cordoned), a count; absent until the first one (so a match without any
   * hashes as before).
   */
  collateral?: number;
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
  /** The team's incident workflow: pages, declared incidents, status updates, hints, answers. */
  workflow: TeamWorkflow;
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

/**
 * How a match is played (issue 8). `solo`: one player, one cluster (bots may race them on other teams);
 * `coop`: one cluster for the whole team; `race`: 2..8 teams, each its own cluster from the same
 * scenario and seed and the same incident schedule; `redblue`: red spends a chaos budget on catalog
 * incidents against blue's cluster, sides swap at half time (shared/game/chaos.ts).
 */
export type MatchMode = 'solo' | 'coop' | 'race' | 'redblue';
/** Every {@link MatchMode}, in this order. */
export const MATCH_MODES = ['solo', 'coop', 'race', 'redblue'] as const satisfies readonly MatchMode[];

/**
 * A player's incident-response role when the match plays with roles (`settings.roles`): the incident
 * commander acknowledges pages, declares severity and resolves; operations is the only role that
 * changes the cluster; communications posts status updates (scored for timeliness); planning supports
 * operations with the long-term items: it files the follow-ups (action items, bugs, handoffs) that the
 * postmortem lists, and cannot change the cluster. Google SRE Book ch. 14 ("Managing Incidents": IC,
 * Ops, Comms, Planning: "files bugs, ... arranges handoffs").
 */
export type PlayerRole = 'commander' | 'operations' | 'communications' | 'planning';
/** Every {@link PlayerRole}, in this order. */
export const PLAYER_ROLES = ['commander', 'operations', 'communications', 'planning'] as const satisfies readonly PlayerRole[];

/** How the match is played; set at creation, never changed by play. */
export interface MatchSettings {
  mode: MatchMode;
  /** Roles enforced by the server (see {@link PlayerRole}); off: every player may do everything. */
  roles: boolean;
  /** The match was created in the lobby: it starts in phase `lobby` and runs once started. */
  lobby: boolean;
}

/** A team's incident workflow (pager, declared incidents, status updates, hints): shared/game/workflow.ts. */
export interface TeamWorkflow {
  /** Pages, one per burn-rate page episode, in the order they fired. */
  pages: PageRecord[];
  /** Incidents the team declared, in declaration order. */
  declared: DeclaredIncident[];
  /** Status updates posted (communications), in order. */
  updates: StatusUpdate[];
  /** Hints bought (each costs points), in order. */
  hints: HintRecord[];
  /** Postmortem answers (root cause picked from plausible options), one per incident at most. */
  answers: PostmortemAnswer[];
  /**
   * Follow-ups filed (planning: action items, bugs, handoffs), in order; absent until the first one
   * (so matches without any keep their `matchHash`). Listed in the postmortem's action items.
   */
  followups?: FollowUp[];
}

/** A follow-up item filed during the incident (planning; SRE Book ch. 14), sim seconds. */
export interface FollowUp {
  /** `fu-N` in filing order within the team. */
  id: string;
  t: number;
  by: string;
  text: string;
}

/** One page: a page-severity burn-rate alert that fired (sim seconds). */
export interface PageRecord {
  /** `page-N` in firing order within the team. */
  id: string;
  /** The alert that paged (SimState alert id, e.g. `availability-page-fast`). */
  alert: string;
  firedAt: number;
  /** Sim second it was acknowledged, or null. */
  ackedAt: number | null;
  ackedBy: string | null;
}

/** Incident severity as declared by the commander (SEV1 = most severe). */
export type Severity = 'SEV1' | 'SEV2' | 'SEV3';

/** An incident the team declared and drives to resolution (sim seconds). */
export interface DeclaredIncident {
  /** `inc-N` in declaration order within the team. */
  id: string;
  severity: Severity;
  summary: string;
  declaredAt: number;
  declaredBy: string;
  mitigatedAt: number | null;
  resolvedAt: number | null;
}

/** A status update to stakeholders (sim seconds). */
export interface StatusUpdate {
  t: number;
  by: string;
  text: string;
}

/** A hint the team bought about an incident it has seen strike (sim seconds). */
export interface HintRecord {
  t: number;
  by: string;
  /** The cluster incident's id. */
  incident: string;
}

/** A root-cause answer in the postmortem question. */
export interface PostmortemAnswer {
  incident: string;
  by: string;
  /** The option picked (its id among the options offered). */
  choice: string;
  correct: boolean;
}

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
  /** Role when the match plays with roles (`settings.roles`), else null. */
  role: PlayerRole | null;
  /** Watches without acting (sees every team's cluster, read-only). */
  spectator: boolean;
  /** Ready in the lobby (phase `lobby`); meaningless afterwards. */
  ready: boolean;
  /**
   * A built-in bot seated by the server (issue 8 "empty seats can be filled by bots": server/rooms/bots.ts);
   * absent for people. A bot is always ready, never the host, and takes no solo player seat.
   */
  bot?: true;
}

/**
 * A whole match: what the room, the CLI and replay all drive through `submit` and `advance`.
 * `teams` are sorted by id (string order); `players` are in join order (= id order).
 */
export interface Match {
  schemaVersion: 1;
  /**
   * `lobby` (created in the lobby, not started: no ticks, no actions), `running` (ticks advance, actions
   * accepted), `paused` (neither), `ended` (every team's cluster finished).
   */
  phase: MatchPhase;
  /** How the match is played. */
  settings: MatchSettings;
  teams: TeamState[];
  players: MatchPlayer[];
  /**
   * Red vs blue (mode `redblue`): budgets, cooldowns, the half and the attack log (shared/game/chaos.ts);
   * null in every other mode. Read it as `match.chaos ?? null`: matches stored before it have none.
   */
  chaos: ChaosState | null;
}

/** What `createMatch` needs. */
export interface CreateMatchOptions {
  /** The scenario resolved to a cluster input (every team gets its own cluster from it). */
  input: SimInput;
  /** Team ids, at least one, unique, non-empty (order does not matter: the match sorts them). */
  teams: readonly string[];
  /** Default: mode `race` for 2+ teams else `coop`, roles off, lobby off (phase `running` at once). */
  settings?: Partial<MatchSettings>;
  /** Mode `redblue` only: the scenario's red-team rules (default `chaosRules(undefined)`: every kind, 100 points). */
  redTeam?: RedTeamRules;
}

/** What a player asks for when joining. */
export interface JoinRequest {
  /** Display name, unique in the match (the adapter validates its length and characters). */
  name: string;
  /** Team to play for; must be one of the match's teams. */
  team: string;
  /** Ask to be a trainer (the adapter decides who may ask). */
  trainer?: boolean;
  /** Ask for a role (matches with roles). */
  role?: PlayerRole;
  /** Join as a spectator. */
  spectator?: boolean;
  /** Seat a built-in bot (the adapter decides who may ask): see {@link MatchPlayer.bot}. */
  bot?: boolean;
}

/** `join`'s answer: the seat, or why not (the room's join error texts). */
export type JoinResult = { ok: true; player: MatchPlayer } | { ok: false; error: string };

/** A trainer's control operations; `speed`'s value (time dilation) belongs to the adapter's clock. */
export type ControlOp = 'pause' | 'resume' | 'speed' | 'end';

/** `control`'s answer: `message` is the reply text (`paused`, `resumed`; empty for `speed`). */
export type ControlResult = { ok: true; message: string } | { ok: false; error: string };

/** Re-exported for adapters: `submit` returns the cluster's {@link ActionResult} or a game refusal. */
export type SubmitResult = ActionResult;
