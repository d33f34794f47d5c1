/**
 * One tick of a match, in a total, fixed order: time advances; due incidents start; player actions in
 * progress complete; due timers fire (kubelet and node transitions, elections, deadlines); the
 * controllers run; then traffic, SLOs and incidents' own updates (shared/sim/traffic.ts, slo.ts,
 * incidents/). Pure and deterministic.
 */
import { completePendingActions } from './actions/pending.ts';
import { recordTrafficChanges } from './apiserver.ts';
import { runControllers, runDueTimers } from './controllers/index.ts';
import { startDueIncidents, updateIncidents } from './incidents/index.ts';
import { updateSlos } from './slo.ts';
import { updateTraffic } from './traffic.ts';
import type { SimState } from './types.ts';

/** Advances `state` by exactly one tick (`settings.tickSeconds` sim seconds). Mutates `state`. */
export function step(state: SimState): void {
  state.tick += 1;
  state.t = state.tick * state.settings.tickSeconds;
  startDueIncidents(state);
  completePendingActions(state);
  runDueTimers(state);
  runControllers(state);
  const trafficBefore = state.traffic;
  updateTraffic(state);
  recordTrafficChanges(state, trafficBefore); // change log: Service traffic figures (shared/sim/changelog.ts)
  updateSlos(state);
  updateIncidents(state);
}
