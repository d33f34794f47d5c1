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
import { counterUid } from './hash.ts';
import type { LimitRange, PodDisruptionBudget, PriorityClass, ResourceQuota, SimInput, SimState } from './types.ts';
import { isSystemPriorityClass, priorityClassKind } from './kinds/index.ts';

/** Stores `input.policies` in document order (a duplicate key is skipped with a warning). Called by createSim. */
export function storePolicies(state: SimState, input: SimInput): void {
  for (const m of input.policies ?? []) {
    const def = kindOf(m.kind) as KindDef;
    const metadata = {
      name: m.metadata.name,
      namespace: m.metadata.namespace ?? 'default',
      uid: counterUid(state.counters.uid++),
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

/**
 * Stores `input.priorityClasses` (the manifests' PriorityClasses, cluster-scoped) in document order, with
 * the kind's defaulting (`preemptionPolicy: PreemptLowerPriority`), before any Pod is created, so the
 * Priority admission (./kinds/priorityclass.ts) resolves the workloads' `priorityClassName` from t = 0.
 * A duplicate or a built-in `system-*` name is skipped with a warning. Called by createSim and by the
 * `create -f` action (which then moves the object through the write path).
 */
export function storePriorityClasses(state: SimState, input: Pick<SimInput, 'priorityClasses'>): void {
  for (const m of input.priorityClasses ?? []) {
    const store = priorityClassKind.ensureStore!(state);
    if (Object.hasOwn(store, m.name) || isSystemPriorityClass(m.name)) {
      state.warnings.push(`duplicate PriorityClass "${m.name}" skipped`);
      continue;
    }
    const pc: PriorityClass = {
      apiVersion: 'scheduling.k8s.io/v1',
      kind: 'PriorityClass',
      metadata: {
        name: m.name,
        namespace: '',
        uid: counterUid(state.counters.uid++),
        labels: { ...(m.labels ?? {}) },
        annotations: { ...(m.annotations ?? {}) },
        creationTimestamp: state.t,
        ownerReferences: [],
        generation: 1,
        resourceVersion: ++state.counters.resourceVersion,
      },
      value: m.value,
      ...(m.globalDefault !== undefined ? { globalDefault: m.globalDefault } : {}),
      ...(m.preemptionPolicy !== undefined ? { preemptionPolicy: m.preemptionPolicy } : {}),
      ...(m.description !== undefined ? { description: m.description } : {}),
    };
    priorityClassKind.defaults!(pc);
    store[m.name] = pc;
  }
}
