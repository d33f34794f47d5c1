/**
 * Incidents: scenario data ({@link IncidentSpec}: id, type, at, target, params) brought to life by one
 * module per kind (./registry.ts). An incident starts through {@link injectIncident} (the game layer
 * decides when: its schedule at the start of a tick, a trainer between ticks; a bare cluster's `step()`
 * runs {@link startDueIncidents} over its own `scheduled` entries instead); `step()` calls
 * {@link updateIncidents} last in every tick (after traffic and SLOs).
 *
 * Lifecycle: `scheduled` -> (at <= t, target resolved, params parsed, module started it) `active` ->
 * (module says mitigated) `mitigated`.
 * Start records a `Warning` notice (`IncidentStarted`, ../notices.ts: a row of the events feed, not a Kubernetes Event), mitigation a `Normal` one (`IncidentMitigated`);
 * their messages name neither the kind nor the title nor the id (players see symptoms, not the cause).
 * `data.playerActed` records whether any action was applied to this cluster between start and
 * mitigation (bookkeeping of this cluster only; the score does not read it: the game
 * layer credits a team from its own action log, shared/game/score.ts `actedDuring`). A spec whose target does not resolve, whose params fail the kind's schema
 * (`params.<field>: <message>`) or whose module refuses it is closed at once (`data.error`, Warning
 * `IncidentInvalid`) and earns nothing.
 *
 * May import: ../types.ts, ../notices.ts, ./*.
 */
import type { IncidentSpec, IncidentState, SimState } from '../types.ts';
import type { StartOutcome } from './module.ts';
import type { AnyIncidentModule } from './registry.ts';
import { recordNotice } from '../notices.ts';
import { formatParamIssues } from './params.ts';
import { INCIDENT_KINDS, incidentModule, incidentRegistry, isIncidentType } from './registry.ts';

export type { IncidentModule, Remediation, StartContext, StartOutcome } from './module.ts';
export type { IncidentCatalogEntry, IncidentType } from './registry.ts';
export { INCIDENT_KINDS, incidentCatalog, incidentModule, incidentRegistry, isIncidentType } from './registry.ts';

/** The module of each incident kind (the registry, under its former name). */
export const incidentTypes = incidentRegistry;

/** Player-facing title: the spec's `title`, else the kind's default. */
export function incidentTitle(inc: IncidentState): string {
  return inc.spec.title ?? incidentModule(inc.spec.type).title(inc.spec);
}

function eventObject(inc: IncidentState): { kind: string; name: string; namespace: string } {
  return incidentModule(inc.spec.type).target.eventObject(inc.spec);
}

/** Resolves the target, parses the params with the kind's schema (defaults applied), then starts. */
function startIncident(mod: AnyIncidentModule, state: SimState, inc: IncidentState): StartOutcome {
  const target = mod.target.resolve(state, inc.spec);
  if (!target.ok) return { ok: false, retry: false, error: target.error };
  const params = mod.params.safeParse(inc.spec.params);
  if (!params.success) return { ok: false, retry: false, error: formatParamIssues(params.error) };
  return mod.start(state, inc, { params: params.data, target: target.value });
}

/** What {@link injectIncident} answers. */
export type InjectResult =
  /** Started now: the cluster's entry (status `active`, `startedAt` = `state.t`). */
  | { ok: true; incident: IncidentState }
  /**
   * Not started. `retry`: the kind's module asked to be tried again later (e.g. the API server is
   * down for a pipeline rollout); nothing changed. Otherwise the spec is invalid here (unknown kind,
   * duplicate id, target not found, `params.<field>: <message>`, or the module refused it).
   */
  | { ok: false; retry: boolean; error: string };

/** Options of {@link injectIncident}. */
export interface InjectOptions {
  /**
   * Record an invalid spec as today's schedule does: the entry is closed at once (`mitigated`,
   * `data.error`, Warning `IncidentInvalid`, earns nothing). Default false: an invalid spec changes
   * nothing (a trainer's runtime injection gets the error instead).
   */
  recordInvalid?: boolean;
}

/**
 * Starts the incident `spec` now (at `state.t`, sim seconds), whatever its `at`: the kind's target is
 * resolved, its params parsed with the kind's schema (defaults applied), then its module starts it;
 * the entry becomes `active` with `startedAt = t`, `data.actionsAtStart`, and a Warning
 * `IncidentStarted` notice. The game layer calls this for its schedule (shared/game `advance`, between
 * `beginTick` and `finishTick`: the point where {@link startDueIncidents} runs in a bare `step`) and for
 * a trainer's runtime injection (between ticks).
 *
 * Entry: the first `scheduled` entry with `spec.id` (a cluster created with that spec keeps its place
 * in `state.incidents`), else a new entry appended after start; an id already started in this cluster
 * is refused. O(incidents + the kind's start).
 */
export function injectIncident(state: SimState, spec: IncidentSpec, opts: InjectOptions = {}): InjectResult {
  if (!isIncidentType(spec.type)) return { ok: false, retry: false, error: `unknown incident kind ${JSON.stringify(spec.type)} (kinds: ${INCIDENT_KINDS.join(', ')})` };
  const placeholder = state.incidents.find((inc) => inc.spec.id === spec.id && inc.status === 'scheduled');
  if (!placeholder) {
    const existing = state.incidents.find((inc) => inc.spec.id === spec.id);
    if (existing) return { ok: false, retry: false, error: `incident id "${spec.id}" is already used in this cluster (${existing.status})` };
  }
  const inc: IncidentState = placeholder ?? { spec: structuredClone(spec), status: 'scheduled', startedAt: null, mitigatedAt: null, data: {} };
  if (placeholder) placeholder.spec = structuredClone(spec);
  return startEntry(state, inc, !placeholder, opts.recordInvalid === true);
}

/** Starts `inc` (pushing it when `isNew` and it started or is recorded as invalid). */
function startEntry(state: SimState, inc: IncidentState, isNew: boolean, recordInvalid: boolean): InjectResult {
  const mod = incidentModule(inc.spec.type);
  const outcome = startIncident(mod, state, inc);
  if (outcome.ok) {
    if (isNew) state.incidents.push(inc);
    inc.status = 'active';
    inc.startedAt = state.t;
    inc.data['actionsAtStart'] = state.counters.actions;
    // No title, kind or id in the text: players diagnose from symptoms; the debrief reveals the cause (issue 8).
    recordNotice(state, 'incident', 'Warning', 'IncidentStarted', eventObject(inc), 'An incident started: watch the alerts, events and metrics for its symptoms');
    return { ok: true, incident: inc };
  }
  if (outcome.retry) return { ok: false, retry: true, error: 'its module asked to be retried (e.g. the API server is unavailable)' };
  if (!recordInvalid) return { ok: false, retry: false, error: outcome.error };
  if (isNew) state.incidents.push(inc);
  inc.status = 'mitigated';
  inc.startedAt = state.t;
  inc.mitigatedAt = state.t;
  inc.data['error'] = outcome.error;
  inc.data['playerActed'] = false;
  recordNotice(state, 'incident', 'Warning', 'IncidentInvalid', eventObject(inc), `Incident ${inc.spec.id} skipped: ${outcome.error}`);
  return { ok: false, retry: false, error: outcome.error };
}

/**
 * A bare cluster's own schedule (shared/sim `step`; the game layer uses {@link injectIncident} with
 * the match's schedule instead): starts every `scheduled` entry of `state.incidents` whose `at` (sim
 * seconds) has come, in (at, list position) order; an invalid one is closed as `IncidentInvalid`. A
 * module asking to retry is tried again next tick.
 */
export function startDueIncidents(state: SimState): void {
  const due: { inc: IncidentState; i: number }[] = [];
  state.incidents.forEach((inc, i) => {
    if (inc.status === 'scheduled' && inc.spec.at <= state.t) due.push({ inc, i });
  });
  due.sort((a, b) => a.inc.spec.at - b.inc.spec.at || a.i - b.i);
  for (const { inc } of due) startEntry(state, inc, false, true);
}

/**
 * Runs each active incident's `update` hook (and that of a mitigated one whose module sets
 * `outlivesMitigation`) and closes those now mitigated (recording `mitigatedAt`,
 * `data.playerActed` and a `Normal` notice with the time to mitigate). O(active incidents x their check).
 */
export function updateIncidents(state: SimState): void {
  for (const inc of state.incidents) {
    if (inc.status === 'mitigated' && inc.data['error'] === undefined && incidentModule(inc.spec.type).outlivesMitigation === true) {
      incidentModule(inc.spec.type).update?.(state, inc); // the fault goes on by its own schedule (a partition that heals later)
      continue;
    }
    if (inc.status !== 'active') continue;
    const mod = incidentModule(inc.spec.type);
    mod.update?.(state, inc);
    if (!mod.isMitigated(state, inc)) continue;
    inc.status = 'mitigated';
    inc.mitigatedAt = state.t;
    const before = inc.data['actionsAtStart'];
    inc.data['playerActed'] = typeof before === 'number' && state.counters.actions > before;
    const ttm = state.t - (inc.startedAt ?? state.t);
    recordNotice(state, 'incident', 'Normal', 'IncidentMitigated', eventObject(inc), `An incident was mitigated after ${ttm} s`);
  }
}
