/**
 * `kubectl top pods|nodes`: CPU from the traffic model (each Ready pod's share of its Services' rps x
 * its image's `cpuPerRequestMilli`, capped at its CPU), memory from the kubelet's working set
 * (`pod.sim.memoryMiB`). Formats of K staging/src/k8s.io/kubectl/pkg/metricsutil/metrics_printer.go.
 *
 * May import: ../sim/* (read only), ./*.
 */
import type { SimState } from '../sim/types.ts';
import { mib, milli, table } from './format.ts';
import { inNamespace, podCpuUsage, podsOnNode, sortedNodes } from './cluster.ts';

function running(state: SimState, key: string): boolean {
  const pod = state.pods[key];
  return !!pod && pod.status.containerStatuses.some((c) => c.state.running !== undefined);
}

/** `kubectl top pods`: NAME CPU(cores) MEMORY(bytes) of pods with a running container. */
export function topPods(state: SimState, ns: string | null, names: string[]): string {
  let pods = inNamespace(state.pods, ns).filter((p) => running(state, `${p.metadata.namespace}/${p.metadata.name}`));
  if (names.length > 0) pods = pods.filter((p) => names.includes(p.metadata.name));
  if (pods.length === 0) return names.length > 0 ? `error: metrics not available yet` : `No resources found in ${ns ?? 'any'} namespace.`;
  const rows = pods.map((p) => [...(ns === null ? [p.metadata.namespace] : []), p.metadata.name, milli(podCpuUsage(state, p)), mib(p.sim.memoryMiB)]);
  return table([...(ns === null ? ['NAMESPACE'] : []), 'NAME', 'CPU(cores)', 'MEMORY(bytes)'], rows);
}

/** `kubectl top nodes`: usage summed over running pods, percentages of allocatable; `<unknown>` for a dead node. */
export function topNodes(state: SimState): string {
  const rows = sortedNodes(state).map((n) => {
    if (!n.sim.kubeletUp) return [n.metadata.name, '<unknown>', '<unknown>', '<unknown>', '<unknown>'];
    let cpu = 0;
    let mem = 0;
    for (const p of podsOnNode(state, n.metadata.name)) {
      if (!p.status.containerStatuses.some((c) => c.state.running !== undefined)) continue;
      cpu += podCpuUsage(state, p);
      mem += p.sim.memoryMiB;
    }
    const cpuPct = n.sim.cpuAllocatableMilli > 0 ? Math.round((cpu * 100) / n.sim.cpuAllocatableMilli) : 0;
    const memPct = n.sim.memAllocatableMiB > 0 ? Math.round((mem * 100) / n.sim.memAllocatableMiB) : 0;
    return [n.metadata.name, milli(cpu), `${cpuPct}%`, mib(mem), `${memPct}%`];
  });
  return table(['NAME', 'CPU(cores)', 'CPU(%)', 'MEMORY(bytes)', 'MEMORY(%)'], rows);
}
