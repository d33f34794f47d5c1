/**
 * Incidents: scenario data ({@link IncidentSpec}: id, type, at, target, params) brought to life by one
 * module per kind (./registry.ts). The sim's `step()` calls {@link startDueIncidents} first in a tick and
 * {@link updateIncidents} last (after traffic and SLOs).
 *
 * Lifecycle: `scheduled` -> (at <= t, target resolved, params parsed, module started it) `active` ->
 * (module says mitigated) `mitigated`.
 * Start records a `Warning` event (`IncidentStarted`), mitigation a `Normal` one (`IncidentMitigated`).
 * `data.playerActed` records whether any action was applied to this cluster between start and
 * mitigation (bookkeeping of this cluster only; the score does not read it: the game
 * layer credits a team from its own action log, shared/game/score.ts `actedDuring`). A spec whose target does not resolve, whose params fail the kind's schema
 * (`params.<field>: <message>`) or whose module refuses it is closed at once (`data.error`, Warning
 * `IncidentInvalid`) and earns nothing.
 *
 * May import: ../types.ts, ../events.ts, ./*.
 */
import type { IncidentState, SimState } from '../types.ts';
import type { StartOutcome } from './module.ts';
import type { AnyIncidentModule } from './registry.ts';
import { recordEvent } from '../events.ts';
import { formatParamIssues } from './params.ts';
import { incidentModule, incidentRegistry } from './registry.ts';

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

/**
 * Starts every `scheduled` incident whose `at` (sim seconds) has come, in (at, list position) order.
 * A module asking to retry (e.g. the API server is down for a pipeline rollout) is tried again next tick.
 */
export function startDueIncidents(state: SimState): void {
  const due: { inc: IncidentState; i: number }[] = [];
  state.incidents.forEach((inc, i) => {
    if (inc.status === 'scheduled' && inc.spec.at <= state.t) due.push({ inc, i });
  });
  due.sort((a, b) => a.inc.spec.at - b.inc.spec.at || a.i - b.i);
  for (const { inc } of due) {
    const mod = incidentModule(inc.spec.type);
    const outcome = startIncident(mod, state, inc);
    if (outcome.ok) {
      inc.status = 'active';
      inc.startedAt = state.t;
      inc.data['actionsAtStart'] = state.counters.actions;
      recordEvent(state, 'Warning', 'IncidentStarted', eventObject(inc), `${incidentTitle(inc)}: ${mod.describe(inc.spec)}`, 'gameday');
    } else if (!outcome.retry) {
      inc.status = 'mitigated';
      inc.startedAt = state.t;
      inc.mitigatedAt = state.t;
      inc.data['error'] = outcome.error;
      inc.data['playerActed'] = false;
      recordEvent(state, 'Warning', 'IncidentInvalid', eventObject(inc), `Incident ${inc.spec.id} skipped: ${outcome.error}`, 'gameday');
    }
  }
}

/**
 * Runs each active incident's `update` hook and closes those now mitigated (recording `mitigatedAt`,
 * `data.playerActed` and a `Normal` event with the time to mitigate). O(active incidents x their check).
 */
export function updateIncidents(state: SimState): void {
  for (const inc of state.incidents) {
    if (inc.status !== 'active') continue;
    const mod = incidentModule(inc.spec.type);
    mod.update?.(state, inc);
    if (!mod.isMitigated(state, inc)) continue;
    inc.status = 'mitigated';
    inc.mitigatedAt = state.t;
    const before = inc.data['actionsAtStart'];
    inc.data['playerActed'] = typeof before === 'number' && state.counters.actions > before;
    const ttm = state.t - (inc.startedAt ?? state.t);
    recordEvent(state, 'Normal', 'IncidentMitigated', eventObject(inc), `${incidentTitle(inc)}: mitigated after ${ttm} s`, 'gameday');
  }
}
