/**
 * The PodDisruptionBudget kind (policy/v1): storage `state.podDisruptionBudgets` (optional in the state,
 * created with the first budget), its budget arithmetic (K pkg/controller/disruption: expected pods,
 * currently healthy, desired healthy, disruptions allowed) and the eviction check the API server's
 * Eviction subresource asks (K pkg/registry/core/pod/storage/eviction.go): refused with 429 `Cannot
 * evict pod as it would violate the pod's disruption budget.` when no disruption is allowed.
 * kubectl columns: NAME MIN AVAILABLE MAX UNAVAILABLE ALLOWED DISRUPTIONS AGE (printPodDisruptionBudget).
 *
 * Simplifications: expected pods = the selected pods that are not terminating (Kubernetes takes the
 * owning controllers' scale); the status is derived when read; a pod selected by several budgets must
 * satisfy each (Kubernetes refuses such evictions outright).
 *
 * May import: ../types.ts, ../cache.ts, ./kind.ts, ./print.ts, ./serialize.ts.
 */
import { podsForSelector } from '../cache.ts';
import type { Pod, PodDisruptionBudget, SimState } from '../types.ts';
import type { KindDef } from './kind.ts';
import { humanDuration } from './print.ts';
import { apiCopy, apiMeta } from './serialize.ts';

const EMPTY: Readonly<Record<string, PodDisruptionBudget>> = Object.freeze({});

/** An int-or-percent against `total`, percentages rounded up (GetScaledValueFromIntOrPercent(..., true)). */
function scaled(v: number | string, total: number): number {
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(v.trim());
  return m ? Math.ceil((Number(m[1]) * total) / 100) : Number(v) || 0;
}

/** The budget of a PDB now: selected pods (not terminating), Ready ones, the minimum wanted, and the disruptions allowed. */
export function pdbBudget(state: SimState, pdb: PodDisruptionBudget): { expected: number; healthy: number; desired: number; allowed: number } {
  let expected = 0;
  let healthy = 0;
  for (const key of podsForSelector(state, pdb.metadata.namespace, pdb.spec.selector.matchLabels)) {
    const pod = state.pods[key]!;
    if (pod.metadata.deletionTimestamp !== undefined) continue;
    expected++;
    if (pod.sim.ready) healthy++;
  }
  const desired = pdb.spec.minAvailable !== undefined
    ? scaled(pdb.spec.minAvailable, expected)
    : pdb.spec.maxUnavailable !== undefined ? Math.max(0, expected - scaled(pdb.spec.maxUnavailable, expected)) : expected;
  return { expected, healthy, desired, allowed: Math.max(0, healthy - desired) };
}

/** True when `pdb` selects `pod`: same namespace and a non-empty selector its labels match (an empty selector matches nothing). */
export function pdbSelects(pdb: PodDisruptionBudget, pod: Pod): boolean {
  if (pdb.metadata.namespace !== pod.metadata.namespace) return false;
  let any = false;
  for (const k in pdb.spec.selector.matchLabels) {
    any = true;
    if (pod.metadata.labels[k] !== pdb.spec.selector.matchLabels[k]) return false;
  }
  return any;
}

/** The PodDisruptionBudget kind. */
export const podDisruptionBudgetKind: KindDef<PodDisruptionBudget> = {
  apiVersion: 'policy/v1',
  kind: 'PodDisruptionBudget',
  plural: 'poddisruptionbudgets',
  singular: 'poddisruptionbudget',
  shortNames: ['pdb'],
  commandWord: 'pdb',
  namespaced: true,
  store: (state) => state.podDisruptionBudgets ?? (EMPTY as Record<string, PodDisruptionBudget>),
  ensureStore: (state) => (state.podDisruptionBudgets ??= Object.create(null) as Record<string, PodDisruptionBudget>),
  defaults(pdb) {
    pdb.spec.unhealthyPodEvictionPolicy ??= 'IfHealthyBudget';
  },
  controllerKinds: [],
  toApi(pdb, state) {
    const copy = apiCopy(pdb);
    apiMeta(copy);
    const b = pdbBudget(state, pdb);
    copy['status'] = { currentHealthy: b.healthy, desiredHealthy: b.desired, expectedPods: b.expected, disruptionsAllowed: b.allowed, observedGeneration: pdb.metadata.generation };
    return copy;
  },
  columns: [
    { name: 'NAME', cell: (p) => p.metadata.name },
    { name: 'MIN AVAILABLE', cell: (p) => (p.spec.minAvailable === undefined ? 'N/A' : String(p.spec.minAvailable)) },
    { name: 'MAX UNAVAILABLE', cell: (p) => (p.spec.maxUnavailable === undefined ? 'N/A' : String(p.spec.maxUnavailable)) },
    { name: 'ALLOWED DISRUPTIONS', cell: (p, s) => String(pdbBudget(s, p).allowed) },
    { name: 'AGE', cell: (p, s) => humanDuration(s.t - p.metadata.creationTimestamp) },
  ],
  allowsEviction(state, _key, pod) {
    for (const pdb of Object.values(podDisruptionBudgetKind.store(state))) {
      if (!pdbSelects(pdb, pod)) continue;
      const b = pdbBudget(state, pdb);
      if (!pod.sim.ready) {
        if (pdb.spec.unhealthyPodEvictionPolicy === 'AlwaysAllow' || b.healthy >= b.desired) continue;
        return false;
      }
      if (b.allowed <= 0) return false;
    }
    return true;
  },
};
