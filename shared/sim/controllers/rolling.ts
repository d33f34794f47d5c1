/**
 * The arithmetic of Deployment rollouts, as pure functions over replica counts (K pkg/controller/
 * deployment/rolling.go, recreate.go and util/deployment_util.go). kubernetes-behaviour.md §4:
 * maxSurge rounds up, maxUnavailable rounds down, both 0 gives maxUnavailable 1; defaults 25 % / 25 %.
 * With 10 replicas: at most 13 pods, at least 8 available.
 */
import type { Deployment } from '../types.ts';

/** The part of a ReplicaSet the rollout maths needs. */
export interface RsCounts {
  /** `spec.replicas`. */
  replicas: number;
  /** `status.availableReplicas`. */
  available: number;
}

/**
 * Resolves an int-or-percent (`3`, `"25%"`) against `total` (intstr.GetScaledValueFromIntOrPercent):
 * percentages round up or down as asked. Throws Error on a malformed string.
 */
export function resolveIntOrPercent(v: number | string, total: number, roundUp: boolean): number {
  if (typeof v === 'number') return v;
  // Digits with an optional `%` after them (the regexes /^\d+%$/ and /^\d+$/ of the trimmed text),
  // read without a regex: the rollout maths resolves the Deployment's fenceposts several times a sync.
  const t = v.trim();
  const end = t.length > 0 && t.charCodeAt(t.length - 1) === 37 /* % */ ? t.length - 1 : t.length;
  let digits = end > 0;
  for (let i = 0; i < end && digits; i++) {
    const c = t.charCodeAt(i);
    digits = c >= 48 && c <= 57;
  }
  if (!digits) throw new Error(`invalid value for IntOrString: invalid type: string is not a percentage: "${v}"`);
  if (end === t.length) return Number(t);
  const x = (Number(t.slice(0, end)) * total) / 100;
  return roundUp ? Math.ceil(x) : Math.floor(x);
}

/** maxSurge and maxUnavailable of a Deployment (ResolveFenceposts); 0/0 for Recreate. */
export function surgeAndUnavailable(d: Deployment): { maxSurge: number; maxUnavailable: number } {
  if (d.spec.strategy.type !== 'RollingUpdate') return { maxSurge: 0, maxUnavailable: 0 };
  const ru = d.spec.strategy.rollingUpdate ?? {};
  const replicas = d.spec.replicas;
  const maxSurge = resolveIntOrPercent(ru.maxSurge ?? '25%', replicas, true);
  let maxUnavailable = resolveIntOrPercent(ru.maxUnavailable ?? '25%', replicas, false);
  if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  if (maxUnavailable > replicas) maxUnavailable = replicas;
  return { maxSurge, maxUnavailable };
}

/** deployment_util.MaxUnavailable: 0 for Recreate or zero replicas. */
export function maxUnavailable(d: Deployment): number {
  if (d.spec.strategy.type !== 'RollingUpdate' || d.spec.replicas === 0) return 0;
  return surgeAndUnavailable(d).maxUnavailable;
}

/**
 * NewRSNewReplicas for RollingUpdate: how far the new ReplicaSet may scale up now without the total
 * (sum of `spec.replicas` of all ReplicaSets) exceeding replicas + maxSurge.
 */
export function newRSNewReplicas(d: Deployment, all: RsCounts[], newRS: RsCounts): number {
  const replicas = d.spec.replicas;
  if (d.spec.strategy.type !== 'RollingUpdate') return replicas;
  const { maxSurge } = surgeAndUnavailable(d);
  const current = all.reduce((s, r) => s + r.replicas, 0);
  const maxTotal = replicas + maxSurge;
  if (current >= maxTotal) return newRS.replicas;
  const up = Math.min(maxTotal - current, replicas - newRS.replicas);
  return newRS.replicas + Math.max(0, up);
}

/**
 * reconcileOldReplicaSets: how many old pods may go now so that available pods stay >= replicas -
 * maxUnavailable. Returns the new `spec.replicas` of each old ReplicaSet (same order as `old`, which
 * must be oldest first): unhealthy replicas are cleaned up first, then healthy ones scaled down.
 */
export function scaleDownOld(d: Deployment, old: RsCounts[], newRS: RsCounts): number[] {
  const next = old.map((r) => r.replicas);
  const oldPods = next.reduce((s, r) => s + r, 0);
  if (oldPods === 0) return next;
  const all = oldPods + newRS.replicas;
  const minAvailable = d.spec.replicas - maxUnavailable(d);
  const newUnavailable = newRS.replicas - newRS.available;
  const maxScaledDown = all - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return next;
  // cleanupUnhealthyReplicas
  let cleaned = 0;
  for (let i = 0; i < old.length; i++) {
    const r = old[i]!;
    if (cleaned >= maxScaledDown) break;
    if (next[i]! <= r.available) continue;
    const n = Math.min(maxScaledDown - cleaned, next[i]! - r.available);
    next[i] = next[i]! - n;
    cleaned += n;
  }
  // scaleDownOldReplicaSetsForRollingUpdate
  const availableNow = old.reduce((s, r) => s + r.available, 0) + newRS.available;
  if (availableNow <= minAvailable) return next;
  const total = availableNow - minAvailable;
  let done = 0;
  for (let i = 0; i < old.length && done < total; i++) {
    if (next[i] === 0) continue;
    const n = Math.min(next[i]!, total - done);
    next[i] = next[i]! - n;
    done += n;
  }
  return next;
}
