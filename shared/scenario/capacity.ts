/**
 * Sizing the offered load and the latency SLO when only manifests are given, so that unknown workloads
 * run healthy: the load stays well under the busiest Service's capacity, and the latency threshold sits
 * above what the call graph's depth costs when every image has the sim's default profile.
 *
 * Model (the sim's traffic model, shared/sim/traffic.ts): a request to a Service calls each downstream
 * Service once, synchronously; latencies add up along the calls; a pod serves at most
 * `cpuMilli / cpuPerRequestMilli` requests/s (cpuMilli = CPU limit, else request, else 1000 m), and at
 * utilisation u its latency grows by 1 / (1 - u) (M/M/1).
 *
 * Pure and deterministic. Units: requests/s, ms, millicores.
 */
import type { DeploymentManifest, ServiceManifest } from '../sim/types.ts';
import { parseCpuMillicores } from '../manifests/quantity.ts';
import { canonicalServiceName } from './callGraph.ts';

/**
 * The sim's profile of an image no scenario describes (shared/sim/traffic.ts `DEFAULT_IMAGE_PROFILE`;
 * test/scenario checks the two agree): median own latency 15 ms, p99 = 3 x p50, 2 millicore-seconds per request.
 */
export const SIM_DEFAULT_PROFILE = { latencyMs: 15, p99Factor: 3, cpuPerRequestMilli: 2 } as const;

/**
 * CPU of one pod, millicores: per container its limit, else its request, else 1000 m, summed. Matches
 * the sim's `podCpuMilli` (shared/sim/trafficModel.ts) for single-container pods; with several containers
 * the sim sums requests as soon as one has no limit, and gives 1000 m per pod when none sets anything.
 */
function podCpuMilli(d: DeploymentManifest): number {
  return d.spec.template.spec.containers.reduce((sum, c) => {
    const q = c.resources?.limits?.cpu ?? c.resources?.requests?.cpu;
    return sum + (q === undefined ? 1000 : parseCpuMillicores(q));
  }, 0);
}

/**
 * How many times one request to `root` reaches each Service (paths in the call graph; edges that would
 * close a cycle are ignored, like the sim does).
 */
export function callsPerRequest(graph: Record<string, string[]>, root: string): Map<string, number> {
  const calls = new Map<string, number>();
  const walk = (s: string, stack: Set<string>) => {
    calls.set(s, (calls.get(s) ?? 0) + 1);
    stack.add(s);
    for (const next of graph[s] ?? []) if (!stack.has(next)) walk(next, stack);
    stack.delete(s);
  };
  walk(root, new Set());
  return calls;
}

/** Requests/s one Service's pods serve at saturation with the default profile (sum over its Deployments' replicas). */
export function serviceCapacityRps(service: string, deployments: readonly DeploymentManifest[], services: readonly ServiceManifest[]): number {
  let rps = 0;
  for (const d of deployments) {
    if (canonicalServiceName(d, services) !== service) continue;
    rps += ((d.spec.replicas ?? 1) * podCpuMilli(d)) / SIM_DEFAULT_PROFILE.cpuPerRequestMilli;
  }
  return rps;
}

/** Result of {@link sizeLoad}. */
export interface LoadSizing {
  /** Offered load at the entry Service, requests/s (whole number, at least 1). */
  rps: number;
  /** The Service that limits the load, and its utilisation at `rps` (0..1). */
  bottleneck: string;
  utilisation: number;
  /** Latency SLO threshold that healthy pods meet, ms (a multiple of 100, at least 300). */
  latencyThresholdMs: number;
}

/**
 * Picks the offered load so the busiest Service runs at most at `targetUtilisation` (default 0.3), capped
 * at `maxRps`, and a latency threshold above the expected p99 of the entry Service: p99 of the default
 * profile times the number of Service visits per request, times the M/M/1 factor at that utilisation.
 */
export function sizeLoad(
  root: string,
  graph: Record<string, string[]>,
  deployments: readonly DeploymentManifest[],
  services: readonly ServiceManifest[],
  maxRps: number,
  targetUtilisation = 0.3,
): LoadSizing {
  const calls = callsPerRequest(graph, root);
  let rps = maxRps;
  let bottleneck = root;
  for (const [s, n] of [...calls].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const cap = serviceCapacityRps(s, deployments, services);
    if (cap === 0) continue;
    const limit = (cap * targetUtilisation) / n;
    if (limit < rps) {
      rps = limit;
      bottleneck = s;
    }
  }
  rps = Math.max(1, Math.floor(rps));
  const capB = serviceCapacityRps(bottleneck, deployments, services);
  const utilisation = capB > 0 ? (rps * (calls.get(bottleneck) ?? 1)) / capB : 0;
  const visits = [...calls.values()].reduce((a, b) => a + b, 0);
  const p99 = (SIM_DEFAULT_PROFILE.latencyMs * SIM_DEFAULT_PROFILE.p99Factor * visits) / (1 - Math.min(utilisation, 0.9));
  return { rps, bottleneck, utilisation, latencyThresholdMs: Math.max(300, Math.ceil(p99 / 100) * 100) };
}
