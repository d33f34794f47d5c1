/**
 * The contract every incident type implements. Incidents are data ({@link IncidentSpec} in the scenario);
 * behaviour lives in one handler per type, registered in ./index.ts.
 *
 * May import: ../types.ts.
 */
import type { IncidentSpec, IncidentState, SimState } from '../types.ts';

/** What `start` reports: started, retry next tick (e.g. the API server is unavailable), or invalid. */
export type StartOutcome = { ok: true } | { ok: false; retry: true } | { ok: false; retry: false; error: string };

/**
 * One incident type's behaviour. All methods are pure functions of the state (randomness only from
 * `state.rng`); times are sim seconds. Registered in `incidentTypes` (./index.ts).
 */
export interface IncidentHandler {
  /** Default player-facing title when the spec has none. */
  title(spec: IncidentSpec): string;
  /** One line for the incident-start event: what players will see happen. */
  describe(spec: IncidentSpec): string;
  /** Breaks the cluster. May store bookkeeping in `inc.data`. Called once per tick until it stops retrying. */
  start(state: SimState, inc: IncidentState): StartOutcome;
  /** True once the cluster is healthy again by this incident's own measure. Called every tick while active. */
  isMitigated(state: SimState, inc: IncidentState): boolean;
  /** Optional per-tick work while active (e.g. a node that recovers by itself). */
  update?(state: SimState, inc: IncidentState): void;
}
