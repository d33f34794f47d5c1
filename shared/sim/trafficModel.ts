/**
 * The per-pod formulas of the traffic model (shared/sim/traffic.ts has the whole model): which
 * {@link ImageProfile} a pod runs with, how much CPU it may use and how many requests/s that serves, and
 * the M/M/1 load factor applied to its latency. Sources: kubernetes-behaviour.md §8 (routing) for the
 * model, K pkg/apis/core/v1 (resource limits/requests) for the CPU rule.
 *
 * CFS bandwidth control (Linux `cpu.cfs_period_us` / `cpu.cfs_quota_us`, set by the kubelet from the
 * CPU limits, K pkg/kubelet/cm/helpers_linux.go MilliCPUToQuota; kubernetes-behaviour.md §10: "CPU over
 * its limit is throttled (CFS period 100 ms; latency rises, no restart)"): {@link cfsThrottling}.
 *
 * Pure functions. May import: ./types.ts, ./workingSet.ts, ./latency.ts, ../manifests/quantity.ts.
 */
import type { ImageProfile, Pod, SimState } from './types.ts';
import { parseCpuMillicores } from '../manifests/quantity.ts';
import { normalCdf } from './latency.ts';
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

/**
 * True when every container of the pod has a CPU limit: the pod's cgroup has a CFS quota (the
 * kubelet sets none for a container without a limit), so {@link podCpuMilli} is a quota and
 * {@link cfsThrottling} applies.
 */
export function podCpuQuota(pod: Pod): boolean {
  let limits = 0;
  for (const c of pod.spec.containers) {
    const v = cpuMilliOrNull(c.resources.limits?.cpu);
    if (v === null) return false;
    limits += v;
  }
  return limits > 0;
}

/** The CFS period, ms (the kubelet's default `--cpu-cfs-quota-period`, 100 ms). */
export const CFS_PERIOD_MS = 100;

/**
 * Below this share of delayed requests the throttling is left out of the latency figures (it cannot
 * move p50, and moves p99 by less than the M/M/1 figures' own approximation); the counters keep it.
 */
export const CFS_LATENCY_MIN_SHARE = 0.001;

/** What CFS throttling does to one container of limit L at a given load (see {@link cfsThrottling}). */
export interface CfsThrottling {
  /** Share of periods (0..1) in which the quota ran out (`nr_throttled / nr_periods`). */
  throttledShare: number;
  /** Share of requests (0..1) that found the quota spent and waited for the next period. */
  delayedShare: number;
  /** Wall time from the quota running out to the period's end, ms: a delayed request waits up to this. */
  remainderMs: number;
  /** Threads the quota is spent on at once (one per whole core of the limit, at least one). */
  threads: number;
}

const NO_THROTTLING: Readonly<CfsThrottling> = Object.freeze({ throttledShare: 0, delayedShare: 0, remainderMs: 0, threads: 1 });

/**
 * CFS throttling of a container (or pod) with CPU limit `limitMilli` (millicores) serving `rps`
 * requests/s that cost `cpuPerRequestMilli` millicore-seconds (= ms of CPU) each. Our model: the quota
 * is `limitMilli / 1000 x 100 ms` of CPU per 100 ms period; requests arrive as a Poisson stream, so a
 * period holds N ~ Poisson(rps x 0.1 s) of them and the quota covers the first `k = floor(quota / cost)`;
 * the period is throttled when N > k, and the requests beyond k wait for the next period. The app runs
 * on one thread per whole core of its limit (at least one), so the quota lasts `quota / threads` ms of
 * wall time and a delayed request waits up to the rest of the period (`remainderMs`, uniformly). Bursts
 * throttle well below an average use at the limit (the usual "throttled at 50 % CPU" surprise).
 * Poisson sums exact up to a mean of 200 requests per period, normal approximation beyond; 0 when
 * k exceeds the mean by more than 12 standard deviations (+ 20). O(k).
 */
export function cfsThrottling(limitMilli: number, cpuPerRequestMilli: number, rps: number): CfsThrottling {
  if (!(limitMilli > 0) || !(cpuPerRequestMilli > 0) || !(rps > 0)) return NO_THROTTLING;
  const quotaMs = (limitMilli / 1000) * CFS_PERIOD_MS;
  const threads = Math.max(1, Math.ceil(limitMilli / 1000));
  const remainderMs = Math.max(0, CFS_PERIOD_MS - quotaMs / threads);
  const k = Math.floor(quotaMs / cpuPerRequestMilli);
  const m = (rps * CFS_PERIOD_MS) / 1000;
  const sd = Math.sqrt(m);
  if (k > m + 12 * sd + 20) return NO_THROTTLING;
  let tail: number; // P(N > k)
  let excess: number; // E[(N - k)+]
  if (m <= 200) {
    let lp = -m;
    const lm = Math.log(m);
    let cdf = 0;
    let below = 0; // sum over n <= k of (k - n) P(n)
    for (let n = 0; n <= k; n++) {
      if (n > 0) lp += lm - Math.log(n);
      const p = Math.exp(lp);
      cdf += p;
      below += (k - n) * p;
    }
    tail = Math.min(1, Math.max(0, 1 - cdf));
    excess = Math.max(0, m - k + below);
  } else {
    const d = k + 0.5 - m;
    const z = d / sd;
    tail = 1 - normalCdf(z);
    excess = Math.max(0, sd * Math.exp((-z * z) / 2) / Math.sqrt(2 * Math.PI) - d * tail);
  }
  return { throttledShare: tail, delayedShare: Math.min(1, excess / m), remainderMs, threads };
}

/** Requests/s one pod serves before saturating: cpuMilli / cpuPerRequestMilli (Infinity when free). */
export function podCapacityRps(cpuMilli: number, profile: ImageProfile): number {
  return profile.cpuPerRequestMilli > 0 ? cpuMilli / profile.cpuPerRequestMilli : Infinity;
}

/** M/M/1 response-time factor at utilisation u: 1 / (1 - min(u, 0.95)). */
export function loadFactor(u: number): number {
  return 1 / (1 - Math.min(Math.max(u, 0), MAX_UTILISATION));
}
