/**
 * `metrics.k8s.io/v1beta1` PodMetrics and NodeMetrics (the metrics-server API `kubectl top` reads), from
 * the same numbers as the console's `kubectl top` (shared/kubectl/top.ts): CPU in millicores from the
 * traffic model (`podCpuUsage`), memory in MiB from the kubelet's working set (`pod.sim.memoryMiB`).
 * Only pods with a running container have metrics; a node whose kubelet is down has none (kubectl
 * prints `<unknown>`). Window: 10 s, as metrics-server's default resolution.
 * Source: https://github.com/kubernetes-sigs/metrics-server (API), K staging/src/k8s.io/metrics.
 *
 * May import: shared/sim (read only), shared/kubectl/cluster.ts (read only), ./resources.ts types.
 */
import { podCpuUsage, podsOnNode } from '../../shared/kubectl/cluster.ts';
import { simTimestamp } from '../../shared/sim/names.ts';
import type { Pod, SimState } from '../../shared/sim/types.ts';
import type { Entry, Resource } from './resources.ts';

const running = (p: Pod): boolean => p.status.containerStatuses.some((c) => c.state.running !== undefined);

function usage(cpuMilli: number, memMiB: number): Record<string, string> {
  return { cpu: `${Math.round(cpuMilli)}m`, memory: `${Math.round(memMiB)}Mi` };
}

const byName = (a: Entry, b: Entry): number => (a.namespace !== b.namespace ? (a.namespace < b.namespace ? -1 : 1) : a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

function podEntry(state: SimState, p: Pod): Entry {
  const meta = p.metadata;
  return {
    name: meta.name,
    namespace: meta.namespace,
    labels: meta.labels,
    api: () => ({
      metadata: { name: meta.name, namespace: meta.namespace, labels: { ...meta.labels }, creationTimestamp: simTimestamp(state.t) },
      timestamp: simTimestamp(state.t),
      window: '10s',
      // The sim's pod has one app container: the pod's usage is its first container's.
      containers: p.spec.containers.slice(0, 1).map((c) => ({ name: c.name, usage: usage(podCpuUsage(state, p), p.sim.memoryMiB) })),
    }),
    cells: () => [meta.name],
  };
}

function nodeEntry(state: SimState, name: string): Entry | undefined {
  const n = Object.hasOwn(state.nodes, name) ? state.nodes[name] : undefined;
  if (!n || !n.sim.kubeletUp) return undefined;
  let cpu = 0;
  let mem = 0;
  for (const p of podsOnNode(state, name)) {
    if (!running(p)) continue;
    cpu += podCpuUsage(state, p);
    mem += p.sim.memoryMiB;
  }
  return {
    name,
    namespace: '',
    labels: n.metadata.labels,
    api: () => ({ metadata: { name, labels: { ...n.metadata.labels }, creationTimestamp: simTimestamp(state.t) }, timestamp: simTimestamp(state.t), window: '10s', usage: usage(cpu, mem) }),
    cells: () => [name],
  };
}

const base = { group: 'metrics.k8s.io', version: 'v1beta1', shortNames: [], categories: [], verbs: ['get', 'list'], subresources: [], columns: [{ name: 'NAME', type: 'string', format: 'name', description: 'NAME', priority: 0 }] } as const;

/** `metrics.k8s.io/v1beta1 pods` (PodMetrics). Not watchable (as metrics-server). */
export const podMetricsResource: Resource = {
  ...base,
  kind: 'PodMetrics',
  plural: 'pods',
  singular: '',
  namespaced: true,
  entries(state, ns) {
    const out: Entry[] = [];
    for (const p of Object.values(state.pods)) if ((ns === null || p.metadata.namespace === ns) && running(p)) out.push(podEntry(state, p));
    return out.sort(byName);
  },
  lookup: () => undefined,
};

/** `metrics.k8s.io/v1beta1 nodes` (NodeMetrics). Not watchable. */
export const nodeMetricsResource: Resource = {
  ...base,
  kind: 'NodeMetrics',
  plural: 'nodes',
  singular: '',
  namespaced: false,
  entries(state) {
    const out: Entry[] = [];
    for (const name of Object.keys(state.nodes).sort()) {
      const e = nodeEntry(state, name);
      if (e) out.push(e);
    }
    return out;
  },
  lookup: () => undefined,
};
