/**
 * Incidents: scenario data ({@link IncidentSpec}: id, type, at, target, params) brought to life by one
 * handler per type ({@link incidentTypes}). The sim's `step()` calls {@link startDueIncidents} first in
 * a tick and {@link updateIncidents} last (after traffic and SLOs).
 *
 * Lifecycle: `scheduled` -> (at <= t, handler started it) `active` -> (handler says mitigated) `mitigated`.
 * Start records a `Warning` event (`IncidentStarted`), mitigation a `Normal` one (`IncidentMitigated`).
 * `data.playerActed` tells the score (shared/sim/score.ts) whether a player action was accepted
 * between start and mitigation. A spec whose target does not exist is closed at once (`data.error`,
 * Warning `IncidentInvalid`) and earns nothing.
 *
 * May import: ../types.ts, ../events.ts, ../names.ts, ./*.
 */
import type { IncidentState, IncidentType, SimState } from '../types.ts';
import type { IncidentHandler } from './handler.ts';
import { recordEvent } from '../events.ts';
import { splitKey } from '../names.ts';
import { memoryLeak } from './memory-leak.ts';
import { etcdQuorumLoss } from './etcd-quorum-loss.ts';
import { badRollout } from './bad-rollout.ts';
import { nodeFailure } from './node-failure.ts';

export type { IncidentHandler, StartOutcome } from './handler.ts';

/** The handler of each incident type. Adding a type = a file + a line here + the IncidentType union. */
export const incidentTypes: Record<IncidentType, IncidentHandler> = {
  'memory-leak': memoryLeak,
  'etcd-quorum-loss': etcdQuorumLoss,
  'bad-rollout': badRollout,
  'node-failure': nodeFailure,
};

/** Player-facing title: the spec's `title`, else the handler's default. */
export function incidentTitle(inc: IncidentState): string {
  return inc.spec.title ?? incidentTypes[inc.spec.type].title(inc.spec);
}

function eventObject(inc: IncidentState): { kind: string; name: string; namespace: string } {
  switch (inc.spec.type) {
    case 'node-failure':
      return { kind: 'Node', name: inc.spec.target, namespace: '' };
    case 'etcd-quorum-loss':
      return { kind: 'Pod', name: 'etcd', namespace: 'kube-system' };
    default: {
      const { namespace, name } = splitKey(inc.spec.target);
      return { kind: 'Deployment', name, namespace };
    }
  }
}

/**
 * Starts every `scheduled` incident whose `at` (sim seconds) has come, in (at, list position) order.
 * A handler asking to retry (e.g. the API server is down for a pipeline rollout) is tried again next tick.
 */
export function startDueIncidents(state: SimState): void {
  const due: { inc: IncidentState; i: number }[] = [];
  state.incidents.forEach((inc, i) => {
    if (inc.status === 'scheduled' && inc.spec.at <= state.t) due.push({ inc, i });
  });
  due.sort((a, b) => a.inc.spec.at - b.inc.spec.at || a.i - b.i);
  for (const { inc } of due) {
    const handler = incidentTypes[inc.spec.type];
    const outcome = handler.start(state, inc);
    if (outcome.ok) {
      inc.status = 'active';
      inc.startedAt = state.t;
      inc.data['actionsAtStart'] = state.counters.actions;
      recordEvent(state, 'Warning', 'IncidentStarted', eventObject(inc), `${incidentTitle(inc)}: ${handler.describe(inc.spec)}`, 'gameday');
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
    const handler = incidentTypes[inc.spec.type];
    handler.update?.(state, inc);
    if (!handler.isMitigated(state, inc)) continue;
    inc.status = 'mitigated';
    inc.mitigatedAt = state.t;
    const before = inc.data['actionsAtStart'];
    inc.data['playerActed'] = typeof before === 'number' && state.counters.actions > before;
    const ttm = state.t - (inc.startedAt ?? state.t);
    recordEvent(state, 'Normal', 'IncidentMitigated', eventObject(inc), `${incidentTitle(inc)}: mitigated after ${ttm} s`, 'gameday');
  }
}
