/**
 * The contract every incident kind implements: ONE self-describing module per kind (./<kind>.ts),
 * listed in ./registry.ts. Incidents are data ({@link IncidentSpec} in the scenario); a module says what
 * the kind targets, how its params look (its strict zod schema **with the defaults**, the only place they
 * are written: the scenario format and the sim parse with the same object), what players observe, what
 * an operator does about it, and how it breaks and heals the cluster.
 *
 * May import: `zod` (types), ../types.ts, ./targets.ts.
 */
import type { z } from 'zod';
import type { IncidentSpec, IncidentState, SimState } from '../types.ts';
import type { TargetKind, TargetSelector } from './targets.ts';

/** What `start` reports: started, retry next tick (e.g. the API server is unavailable), or invalid. */
export type StartOutcome = { ok: true } | { ok: false; retry: true } | { ok: false; retry: false; error: string };

/** What a real operator does about an incident: a short description and the command that does it. */
export interface Remediation {
  /** e.g. "Roll the Deployment back to its previous revision". */
  summary: string;
  /** The kubectl / etcdctl line, with `<placeholders>`, e.g. `kubectl rollout undo deployment/<deployment>`. */
  command: string;
}

/** What `start` gets besides the state: the params parsed by the kind's schema `P` (defaults applied) and the resolved target. */
export interface StartContext<P extends z.ZodType, T> {
  params: z.output<P>;
  target: T;
}

/** The Deployment facts a {@link IncidentModule.checkDeployment} hook sees (from the scenario's workloads). */
export interface DeploymentFacts {
  /** As the scenario wrote it. */
  target: string;
  containers: readonly { name: string; image: string }[];
}

/** A problem found by a module's static check: `path` is relative to the incident (e.g. `params.image`). */
export interface DeclarationProblem {
  path: string;
  message: string;
}

/** Any target selector (the lifecycle's and the registry's view). */
export type AnyTargetSelector = TargetSelector<unknown, TargetKind>;

/** The value a selector resolves to. */
export type TargetValue<S> = S extends TargetSelector<infer T, TargetKind> ? T : never;

/**
 * One incident kind `K` with params schema `P` and target selector `S`. All methods are pure functions
 * of the state (randomness only from `state.rng`); times are sim seconds. Writes to the cluster go
 * through shared/sim/apiserver.ts.
 */
export interface IncidentModule<K extends string = string, P extends z.ZodType = z.ZodType, S extends AnyTargetSelector = AnyTargetSelector> {
  kind: K;
  /**
   * The kind's strict params schema with its defaults (each param's `describe` text is its documentation,
   * shown by the catalog). Parsed by the scenario format and by the lifecycle before `start`.
   */
  params: P;
  /** What `target` selects (its `kind` gives the scenario syntax), how it resolves, what the events are about. */
  target: S;
  /** Default player-facing title when the spec has none. */
  title(spec: IncidentSpec): string;
  /** One line for the incident-start event: what players will see happen. */
  describe(spec: IncidentSpec): string;
  /** What a player observes (kubectl output, SLIs, alerts), one line each; non-empty. */
  symptoms: readonly string[];
  /** What fixes it, with the command; non-empty. */
  remediations: readonly Remediation[];
  /**
   * Optional static check of the parsed params against the targeted Deployment as the workloads declare
   * it (Deployment targets only; run by shared/scenario/toSimInput.ts, so a scenario fails at validate
   * time rather than mid-match). Answers the first problem, or undefined.
   */
  checkDeployment?(params: z.output<P>, deployment: DeploymentFacts): DeclarationProblem | undefined;
  /**
   * Breaks the cluster; called once per tick (after the target resolved and the params parsed) until it
   * stops retrying. May store bookkeeping in `inc.data`.
   */
  start(state: SimState, inc: IncidentState, ctx: StartContext<P, TargetValue<S>>): StartOutcome;
  /** Optional per-tick work while active (e.g. a node that recovers by itself). */
  update?(state: SimState, inc: IncidentState): void;
  /**
   * (added) True when the fault goes on by its own schedule after the players mitigated its impact:
   * `update` keeps being called every tick once the incident is mitigated (a partition that heals
   * later, a maintenance reboot that happens anyway). Default false: `update` runs while active only.
   */
  outlivesMitigation?: boolean;
  /** True once the cluster is healthy again by this incident's own measure. Called every tick while active. */
  isMitigated(state: SimState, inc: IncidentState): boolean;
}

/** Identity with inference, so a module file declares its object as `defineIncident({ ... })`. */
export function defineIncident<K extends string, P extends z.ZodType, S extends AnyTargetSelector>(module: IncidentModule<K, P, S>): IncidentModule<K, P, S> {
  return module;
}
