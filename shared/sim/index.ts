/**
 * The simulation's public API: build a cluster (`createSim`), advance it one tick (`step`), apply a
 * player action (`applyAction`), hash it. Pure and deterministic: the same input, seed and action log
 * give the same {@link stateHash} on every machine. The game around the cluster (teams, players, the
 * action log, scoring, the match loop, replay, summaries) is shared/game, which imports this; this
 * never imports it.
 */
import { hashValue } from './hash.ts';
import type { SimState } from './types.ts';

export * from './types.ts';
export { createSim } from './create.ts';
export { beginTick, finishTick, step } from './step.ts';
export { injectIncident, type InjectOptions, type InjectResult } from './incidents/index.ts';
export { INCIDENT_KINDS, incidentCatalog, incidentTitle } from './incidents/index.ts';
export { applyAction } from './actions/index.ts';
export { apiWritable, markDirty, reconcileEtcd, setDeploymentImage, ETCD_WRITE_ERROR } from './apiserver.ts';
export { podDisplayStatus, nodeDisplayStatus, podReady, ownerDeploymentName } from './status.ts';
export { replanPodMemory } from './controllers/kubelet.ts';

/** Canonical hash of the whole state: 16 lowercase hex digits (FNV-1a 64 of canonical JSON). */
export function stateHash(state: SimState): string {
  return hashValue(state);
}

/** True once the match reached its length (`t >= settings.durationSeconds`, sim seconds). */
export function isFinished(state: SimState): boolean {
  return state.t >= state.settings.durationSeconds;
}
