/**
 * The namespace policy objects of a {@link SimInput} (`input.policies`: ResourceQuotas, LimitRanges,
 * PodDisruptionBudgets from the manifests) stored at createSim, before the workloads create any Pod:
 * the quota and LimitRange admission (./kinds/resourcequota.ts, ./kinds/limitrange.ts) then apply to
 * the first Pods (`FailedCreate ... exceeded quota`, LimitRange defaults), and a budget gates the
 * Eviction API (drain: 429) from t = 0. These are the objects the resource-quota and pdb-drain
 * incidents create at runtime, through the same kinds.
 *
 * Pure and deterministic. May import: ./kinds/*, ./types.ts, ./names.ts.
 */
import { kindOf, objectKey, type KindDef } from './kinds/index.ts';
import type { LimitRange, PodDisruptionBudget, ResourceQuota, SimInput, SimState } from './types.ts';

/** Stores `input.policies` in document order (a duplicate key is skipped with a warning). Called by createSim. */
export function storePolicies(state: SimState, input: SimInput): void {
  for (const m of input.policies ?? []) {
    const def = kindOf(m.kind) as KindDef;
    const metadata = {
      name: m.metadata.name,
      namespace: m.metadata.namespace ?? 'default',
      uid: `${m.kind === 'PodDisruptionBudget' ? 'pdb' : m.kind === 'LimitRange' ? 'limits' : 'quota'}-${state.counters.uid++}`,
      labels: { ...(m.metadata.labels ?? {}) },
      annotations: { ...(m.metadata.annotations ?? {}) },
      creationTimestamp: state.t,
      ownerReferences: [],
      generation: 1,
      resourceVersion: ++state.counters.resourceVersion,
    };
    const obj = { apiVersion: m.apiVersion, kind: m.kind, metadata, spec: structuredClone(m.spec) } as ResourceQuota | LimitRange | PodDisruptionBudget;
    const store = def.ensureStore!(state) as Record<string, unknown>;
    const key = objectKey(def, metadata);
    if (store[key]) {
      state.warnings.push(`duplicate ${m.kind} "${key}" skipped`);
      continue;
    }
    store[key] = obj;
  }
}
