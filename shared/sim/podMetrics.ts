/**
 * Pod resource usage as metrics-server reports it (the `metrics.k8s.io` figures `kubectl top` and the
 * HorizontalPodAutoscaler read), from the traffic model: a Ready Pod serves an equal share of each of its
 * Services' offered requests/s, capped at what its CPU serves, times its image's `cpuPerRequestMilli`
 * (millicore-seconds per request), capped at its CPU, plus 1 m idle; memory is the kubelet's working
 * set (`pod.sim.memoryMiB`). Units: millicores, MiB. The kubelet's cAdvisor CFS counters' rates
 * ({@link podCfsRates}): periods, throttled periods and throttled seconds per sim second.
 *
 * May import: ./cache.ts, ./trafficModel.ts, ./types.ts.
 */
import { servicesForLabels } from './cache.ts';
import { CFS_PERIOD_MS, cfsThrottling, imageProfileFor, podCapacityRps, podCpuMilli, podCpuQuota } from './trafficModel.ts';
import type { Pod, SimState } from './types.ts';

/** True when a container of the Pod is running (metrics-server has a sample for it). */
export function podHasMetrics(pod: Pod): boolean {
  return pod.status.containerStatuses.some((c) => c.state.running !== undefined);
}

/**
 * CPU the Pod uses now, millicores: its share of its Services' rps (Ready Pods only) x the image's
 * `cpuPerRequestMilli`, capped at its CPU limit (./trafficModel.ts `podCpuMilli`), plus 1 m idle;
 * 0 when no container is running.
 */
export function podCpuUsageMilli(state: SimState, pod: Pod): number {
  if (!podHasMetrics(pod)) return 0;
  const rps = podOfferedRps(state, pod);
  const profile = imageProfileFor(state, pod);
  const cpu = podCpuMilli(pod);
  const served = Math.min(rps, podCapacityRps(cpu, profile));
  return Math.min(cpu, served * profile.cpuPerRequestMilli) + 1;
}

/** Requests/s offered to the Pod: an equal share of each of its Services' rps while it is Ready. */
function podOfferedRps(state: SimState, pod: Pod): number {
  let rps = 0;
  if (pod.sim.ready) {
    for (const svc of servicesForLabels(state, pod.metadata.namespace, pod.metadata.labels)) {
      const t = state.traffic[svc];
      if (t && t.readyEndpoints > 0) rps += t.rps / t.readyEndpoints;
    }
  }
  return rps;
}

/** Rates of the CFS counters of one Pod, per sim second (see {@link podCfsRates}). */
export interface CfsRates {
  /** `container_cpu_cfs_periods_total`: 100 ms periods in which the container had work. */
  periods: number;
  /** `container_cpu_cfs_throttled_periods_total`: periods in which the quota ran out. */
  throttledPeriods: number;
  /** `container_cpu_cfs_throttled_seconds_total`: time its threads spent throttled, seconds. */
  throttledSeconds: number;
}

/**
 * The rates of cAdvisor's CFS counters (cgroup `cpu.stat` nr_periods, nr_throttled, throttled_time)
 * for the Pod, per sim second; null when it has no CFS quota (a container without a CPU limit:
 * cAdvisor exports no series) or no running container. A period counts when a request arrived in it
 * (Poisson: `10 x (1 - e^-m)` per second, m = its offered requests per period); throttled periods and
 * time follow ./trafficModel.ts `cfsThrottling` at the offered rate (an overloaded Pod is throttled in
 * every period): `10 x throttledShare` periods/s, each throttled for the period's remainder on each
 * of its threads.
 */
export function podCfsRates(state: SimState, pod: Pod): CfsRates | null {
  if (!podHasMetrics(pod) || !podCpuQuota(pod)) return null;
  const rps = podOfferedRps(state, pod);
  const perSecond = 1000 / CFS_PERIOD_MS;
  const th = cfsThrottling(podCpuMilli(pod), imageProfileFor(state, pod).cpuPerRequestMilli, rps);
  const m = rps / perSecond;
  return {
    periods: perSecond * (1 - Math.exp(-m)),
    throttledPeriods: perSecond * th.throttledShare,
    throttledSeconds: (perSecond * th.throttledShare * th.remainderMs * th.threads) / 1000,
  };
}
