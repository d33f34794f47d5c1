/**
 * One tick of a cluster, in a total, fixed order: time advances ({@link beginTick}); due incidents start
 * (the game layer decides which: shared/game `advance` calls `injectIncident` for its schedule here;
 * a bare cluster driven by {@link step} starts the `scheduled` entries it was created with); then
 * {@link finishTick}: player actions in progress complete; due timers fire (kubelet and node
 * transitions, elections, deadlines); the controllers run; then traffic, SLOs and active incidents'
 * own updates (shared/sim/traffic.ts, slo.ts, incidents/). Pure and deterministic.
 */
import { completePendingActions } from './actions/pending.ts';
import { runControllers, runDueTimers } from './controllers/index.ts';
import { startDueIncidents, updateIncidents } from './incidents/index.ts';
import { updateSlos } from './slo.ts';
import { updateTraffic } from './traffic.ts';
import type { SimState } from './types.ts';

/**
 * First part of a tick: `tick += 1`, `t = tick * settings.tickSeconds` (sim seconds). Incidents due at
 * the new `t` start after this and before {@link finishTick}. Mutates `state`.
 */
export function beginTick(state: SimState): void {
  state.tick += 1;
  state.t = state.tick * state.settings.tickSeconds;
}

/**
 * Rest of a tick after the incidents due at its `t` started: pending actions, timers, controllers,
 * traffic, SLOs, active incidents' update/isMitigated. Mutates `state`.
 */
export function finishTick(state: SimState): void {
  completePendingActions(state);
  runDueTimers(state);
  runControllers(state);
  updateTraffic(state); // records each Service whose figures changed (shared/sim/changelog.ts)
  updateSlos(state);
  updateIncidents(state);
}

/**
 * Advances a bare cluster by exactly one tick (`settings.tickSeconds` sim seconds): {@link beginTick},
 * the `scheduled` incidents of `state.incidents` that are due (`startDueIncidents`), {@link finishTick}.
 * The game layer does not call this: its `advance` runs the same three parts with the match's own
 * incident schedule in the middle. Mutates `state`.
 */
export function step(state: SimState): void {
  beginTick(state);
  startDueIncidents(state);
  finishTick(state);
}
