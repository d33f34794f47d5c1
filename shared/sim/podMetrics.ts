/**
 * Pod resource usage as metrics-server reports it (the `metrics.k8s.io` figures `kubectl top` and the
 * HorizontalPodAutoscaler read), from the traffic model: a Ready Pod serves an equal share of each of its
 * Services' offered requests/s, capped at what its CPU serves, times its image's `cpuPerRequestMilli`
 * (millicore-seconds per request), capped at its CPU, plus 1 m idle; memory is the kubelet's working
 * set (`pod.sim.memoryMiB`). Units: millicores, MiB.
 *
 * May import: ./cache.ts, ./trafficModel.ts, ./types.ts.
 */
import { servicesForLabels } from './cache.ts';
import { imageProfileFor, podCapacityRps, podCpuMilli } from './trafficModel.ts';
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
  let rps = 0;
  if (pod.sim.ready) {
    for (const svc of servicesForLabels(state, pod.metadata.namespace, pod.metadata.labels)) {
      const t = state.traffic[svc];
      if (t && t.readyEndpoints > 0) rps += t.rps / t.readyEndpoints;
    }
  }
  const profile = imageProfileFor(state, pod);
  const cpu = podCpuMilli(pod);
  const served = Math.min(rps, podCapacityRps(cpu, profile));
  return Math.min(cpu, served * profile.cpuPerRequestMilli) + 1;
}
