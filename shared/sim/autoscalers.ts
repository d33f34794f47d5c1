/**
 * The HorizontalPodAutoscalers of a {@link SimInput} (`input.autoscalers`) stored at createSim with their
 * kind's defaults (./kinds/hpa.ts). A warm start (the cluster "was already running") finds each target
 * already within the HPA's min/max replicas and the first sync one period (15 s) later; a cold start
 * (a fresh `kubectl apply`) syncs at t = 0, so a Deployment below minReplicas is scaled up with a
 * `SuccessfulRescale` event, as the real controller does when the HPA is added.
 *
 * Pure and deterministic. May import: ./kinds/*, ./controllers/hpa.ts (constants), ./types.ts.
 */
import { HPA_SYNC_PERIOD_SECONDS } from './controllers/hpa.ts';
import { hpaFromManifest } from './kinds/hpa.ts';
import { kindOf } from './kinds/index.ts';
import { counterUid } from './hash.ts';
import type { SimInput, SimState } from './types.ts';

/** Stores `input.autoscalers` (a duplicate key is skipped with a warning). Called by createSim after the workloads. */
export function storeAutoscalers(state: SimState, input: SimInput, cold: boolean): void {
  for (const m of input.autoscalers ?? []) {
    const ns = m.metadata.namespace ?? 'default';
    const key = `${ns}/${m.metadata.name}`;
    const store = (state.horizontalPodAutoscalers ??= Object.create(null) as Record<string, never>);
    if (store[key]) {
      state.warnings.push(`duplicate HorizontalPodAutoscaler "${key}" skipped`);
      continue;
    }
    const hpa = hpaFromManifest(m, {
      name: m.metadata.name,
      namespace: ns,
      uid: counterUid(state.counters.uid++),
      labels: { ...(m.metadata.labels ?? {}) },
      annotations: { ...(m.metadata.annotations ?? {}) },
      creationTimestamp: state.t,
      ownerReferences: [],
      generation: 1,
      resourceVersion: ++state.counters.resourceVersion,
    });
    if (!cold) {
      hpa.sim.nextSyncAt = state.t + HPA_SYNC_PERIOD_SECONDS;
      const target = kindOf(hpa.spec.scaleTargetRef.kind)?.store(state)[`${ns}/${hpa.spec.scaleTargetRef.name}`] as { spec: { replicas?: number } } | undefined;
      const r = target?.spec.replicas;
      if (target && typeof r === 'number' && r > 0) target.spec.replicas = Math.min(hpa.spec.maxReplicas, Math.max(hpa.spec.minReplicas, r));
    }
    store[key] = hpa;
  }
}
