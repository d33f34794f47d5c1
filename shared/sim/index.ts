/**
 * The simulation's public API: build a match (`createSim`), advance it (`step`, `runMatch`), apply
 * player actions (`applyAction`), hash and summarise it. Pure and deterministic: the same input, seed
 * and action log give the same {@link stateHash} on every machine.
 */
import { applyAction } from './actions/index.ts';
import { createSim } from './create.ts';
import { hashValue } from './hash.ts';
import { computeScore } from './score.ts';
import { step } from './step.ts';
import type { LoggedAction, MatchSummary, SimInput, SimState } from './types.ts';

export * from './types.ts';
export { createSim } from './create.ts';
export { step } from './step.ts';
export { applyAction, ACTION_COSTS } from './actions/index.ts';
export { apiWritable, markDirty, reconcileEtcd, setDeploymentImage, ETCD_WRITE_ERROR } from './apiserver.ts';
export { podDisplayStatus, nodeDisplayStatus, podReady, ownerDeploymentName } from './status.ts';
export { replanPodMemory } from './controllers/kubelet.ts';

/** Canonical hash of the whole state: 16 lowercase hex digits (FNV-1a 64 of canonical JSON). */
export function stateHash(state: SimState): string {
  return hashValue(state);
}

/** True once the match reached its length (`t >= settings.durationSeconds`). */
export function isFinished(state: SimState): boolean {
  return state.t >= state.settings.durationSeconds;
}

/**
 * Replays a match: createSim(input), then for each tick apply that tick's logged actions (in log order;
 * an action logged for tick N is applied just before step N+1, i.e. when `state.tick === N`) and step.
 * `opts.ticks` defaults to ceil(durationSeconds / tickSeconds); `onTick` sees the state after each step.
 * @throws what {@link createSim} throws for an invalid input.
 */
export function runMatch(input: SimInput, actions: LoggedAction[], opts: { ticks?: number; onTick?: (s: SimState) => void } = {}): SimState {
  const state = createSim(input);
  const ticks = opts.ticks ?? Math.ceil(input.settings.durationSeconds / input.settings.tickSeconds);
  const byTick = new Map<number, LoggedAction[]>();
  for (const a of actions) {
    let list = byTick.get(a.tick);
    if (!list) byTick.set(a.tick, (list = []));
    list.push(a);
  }
  for (let i = 0; i < ticks; i++) {
    for (const a of byTick.get(state.tick) ?? []) applyAction(state, a.player, a.action);
    step(state);
    opts.onTick?.(state);
  }
  return state;
}

/** What `gameday sim --json` prints: SLIs, error budgets, score (shared/sim/score.ts), incidents. */
export function summarize(state: SimState): MatchSummary {
  const { score, breakdown } = computeScore(state);
  const a = state.slos.availability;
  const l = state.slos.latency;
  return {
    scenarioId: state.scenarioId,
    seed: state.settings.seed,
    durationSeconds: state.t,
    ticks: state.tick,
    stateHash: stateHash(state),
    slo: { availability: a.sli, latency: l.sli, errorBudgetRemaining: a.errorBudgetRemaining, latencyErrorBudgetRemaining: l.errorBudgetRemaining },
    score,
    scoreBreakdown: breakdown,
    incidents: state.incidents.map((i) => ({ id: i.spec.id, type: i.spec.type, startedAt: i.startedAt, mitigatedAt: i.mitigatedAt })),
    actions: state.scoring.actions,
  };
}
