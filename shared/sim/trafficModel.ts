/**
 * The per-pod formulas of the traffic model (shared/sim/traffic.ts has the whole model): which
 * {@link ImageProfile} a pod runs with, how much CPU it may use and how many requests/s that serves, and
 * the M/M/1 load factor applied to its latency. Sources: kubernetes-behaviour.md §8 (routing) for the
 * model, K pkg/apis/core/v1 (resource limits/requests) for the CPU rule.
 *
 * Pure functions. May import: ./types.ts, ./workingSet.ts, ../manifests/quantity.ts.
 */
import type { ImageProfile, Pod, SimState } from './types.ts';
import { parseCpuMillicores } from '../manifests/quantity.ts';
import { WORKING_SET_FALLBACK_MIB, WORKING_SET_REQUEST_SHARE, baseWorkingSetMiB } from './workingSet.ts';

/**
 * Profile of an image the scenario did not declare: its working set follows the request-share rule of
 * ./workingSet.ts (`baseMemoryShare` 0.6 of the memory request, at most 90 % of the limit; 64 MiB =
 * `baseMemoryMiB` with neither request nor limit).
 */
export const DEFAULT_IMAGE_PROFILE: Readonly<ImageProfile> = {
  errorRate: 0.0001,
  latencyMs: 15,
  baseMemoryMiB: WORKING_SET_FALLBACK_MIB,
  baseMemoryShare: WORKING_SET_REQUEST_SHARE,
  memoryGrowthMiBPerSec: 0,
  memoryPlateauMiB: null,
  cpuPerRequestMilli: 2,
};

/** Share of the memory request an undeclared image uses right after start (./workingSet.ts). */
export const DEFAULT_BASE_MEMORY_SHARE = WORKING_SET_REQUEST_SHARE;

/** p99 / p50 of a pod group's own latency (lognormal sigma = ln 3 / z99 ~ 0.47). */
export const LATENCY_TAIL_FACTOR = 3;

/** Utilisation cap of the M/M/1 factor (20x latency at or beyond saturation). */
export const MAX_UTILISATION = 0.95;

/**
 * The profile of `image`: the declared one, else the match's `state.defaultImageProfile`, else
 * {@link DEFAULT_IMAGE_PROFILE}. Returns the stored object (do not mutate; clone to change it).
 */
export function imageProfile(state: SimState, image: string): ImageProfile {
  return state.images[image] ?? state.defaultImageProfile ?? DEFAULT_IMAGE_PROFILE;
}

/**
 * The profile a pod runs with, `baseMemoryMiB` resolved for this pod by the working-set rule
 * (./workingSet.ts `baseWorkingSetMiB`: the declared MiB, else 60 % of the pod's memory request capped
 * at 90 % of its limit). The stored object when nothing needs resolving (do not mutate).
 */
export function imageProfileFor(state: SimState, pod: Pod): ImageProfile {
  const p = imageProfile(state, pod.sim.image);
  if (p.baseMemoryShare === undefined) return p;
  return { ...p, baseMemoryMiB: baseWorkingSetMiB(p, pod.sim) };
}

/** CPU quantity to millicores (shared/manifests/quantity.ts), or null when unset, malformed or negative. */
function cpuMilliOrNull(q: string | undefined): number | null {
  if (q === undefined || q === '') return null;
  try {
    return parseCpuMillicores(q);
  } catch {
    return null;
  }
}

/**
 * CPU a pod may use, millicores: sum of container CPU limits; when a container has none, the sum of
 * requests; when that is 0, 1000 m (one core).
 */
export function podCpuMilli(pod: Pod): number {
  let limits = 0;
  let allLimited = true;
  for (const c of pod.spec.containers) {
    const v = cpuMilliOrNull(c.resources.limits?.cpu);
    if (v === null) allLimited = false;
    else limits += v;
  }
  if (allLimited && limits > 0) return limits;
  if (pod.sim.cpuRequestMilli > 0) return pod.sim.cpuRequestMilli;
  return 1000;
}

/** Requests/s one pod serves before saturating: cpuMilli / cpuPerRequestMilli (Infinity when free). */
export function podCapacityRps(cpuMilli: number, profile: ImageProfile): number {
  return profile.cpuPerRequestMilli > 0 ? cpuMilli / profile.cpuPerRequestMilli : Infinity;
}

/** M/M/1 response-time factor at utilisation u: 1 / (1 - min(u, 0.95)). */
export function loadFactor(u: number): number {
  return 1 / (1 - Math.min(Math.max(u, 0), MAX_UTILISATION));
}
