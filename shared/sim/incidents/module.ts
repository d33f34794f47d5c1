/**
 * The contract every incident kind implements: ONE self-describing module per kind (./<kind>.ts),
 * listed in ./registry.ts. Incidents are data ({@link IncidentSpec} in the scenario); a module says what
 * the kind targets, how its params look (schema and defaults, from ./params.ts), what players observe,
 * what an operator does about it, and how it breaks and heals the cluster.
 *
 * May import: ../types.ts, ./params.ts, ./targets.ts.
 */
import type { IncidentSpec, IncidentState, SimState } from '../types.ts';
import type { IncidentParams, IncidentParamsSchema, IncidentType } from './params.ts';
import type { TargetSelector } from './targets.ts';

/** What `start` reports: started, retry next tick (e.g. the API server is unavailable), or invalid. */
export type StartOutcome = { ok: true } | { ok: false; retry: true } | { ok: false; retry: false; error: string };

/** What a real operator does about an incident: a short description and the command that does it. */
export interface Remediation {
  /** e.g. "Roll the Deployment back to its previous revision". */
  summary: string;
  /** The kubectl / etcdctl line, with `<placeholders>`, e.g. `kubectl rollout undo deployment/<deployment>`. */
  command: string;
}

/** What `start` gets besides the state: the params parsed by the kind's schema and the resolved target. */
export interface StartContext<K extends IncidentType, T> {
  params: IncidentParams<K>;
  target: T;
}

/**
 * One incident kind (`K`) whose target resolves to `T`. All methods are pure functions of the state
 * (randomness only from `state.rng`); times are sim seconds. Writes to the cluster go through
 * shared/sim/apiserver.ts.
 */
export interface IncidentModule<K extends IncidentType, T = unknown> {
  kind: K;
  /** The kind's params schema (./params.ts: the only place defaults are written). */
  params: IncidentParamsSchema<K>;
  /** What `target` selects, how it resolves against the state, and what the events are about. */
  target: TargetSelector<T>;
  /** Default player-facing title when the spec has none. */
  title(spec: IncidentSpec): string;
  /** One line for the incident-start event: what players will see happen. */
  describe(spec: IncidentSpec): string;
  /** What a player observes (kubectl output, SLIs, alerts), one line each; non-empty. */
  symptoms: readonly string[];
  /** What fixes it, with the command; non-empty. */
  remediations: readonly Remediation[];
  /**
   * Breaks the cluster; called once per tick (after the target resolved and the params parsed) until it
   * stops retrying. May store bookkeeping in `inc.data`.
   */
  start(state: SimState, inc: IncidentState, ctx: StartContext<K, T>): StartOutcome;
  /** Optional per-tick work while active (e.g. a node that recovers by itself). */
  update?(state: SimState, inc: IncidentState): void;
  /** True once the cluster is healthy again by this incident's own measure. Called every tick while active. */
  isMitigated(state: SimState, inc: IncidentState): boolean;
}

/** Identity with inference, so a module file declares its object as `defineIncident({ ... })`. */
export function defineIncident<K extends IncidentType, T>(module: IncidentModule<K, T>): IncidentModule<K, T> {
  return module;
}
