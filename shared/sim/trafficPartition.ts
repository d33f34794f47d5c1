/**
 * The isolated side of a network partition in the traffic model (shared/sim/traffic.ts has the whole
 * model). kubernetes-behaviour.md §10: a partition "looks like a dead node from the control plane
 * (Unknown, evictions after ~5 min 50 s), while pods on the isolated side may keep serving". What the
 * sim models (the zone-partition incident, shared/sim/incidents/zone-partition.ts):
 *
 * - **kube-proxy on the isolated Nodes keeps its last rules.** It cannot watch the API server, so the
 *   Service -> endpoint rules it programmed before the cut stay (K pkg/proxy: rules change only on
 *   EndpointSlice events). The incident snapshots, at the cut, each Service's ready, not terminating
 *   endpoints ({@link snapshotProxyRules}): how many there were and which of them run in the zone.
 * - **A call from a Pod on the isolated side** picks one of those endpoints at random (iptables, no
 *   retry): one in the zone is served by that Pod as long as its container runs, even after the
 *   control plane marked it not Ready or Terminating (its own kubelet still sees it Ready); one across
 *   the cut times out. A Service created after the cut has no rule there: the call is refused.
 * - **Traffic from outside** (the load balancer, `state.ingress` entries without `from`) is outside the
 *   partition: it reaches only the rest of the cluster, whose kube-proxies follow the control plane
 *   (the model of traffic.ts: the cut-off endpoints are black holes until they leave the slices).
 * - **In-cluster clients**: an ingress entry with `from` (a Deployment, e.g. Online Boutique's
 *   loadgenerator) originates inside the cluster; its load is split by where the client's running Pods
 *   are: the share of them on the isolated Nodes enters the isolated side, the rest the healthy side.
 *
 * Mixing rule (our rule): a Service called from both sides shows, in `state.traffic`, the mixture of
 * both sides' figures weighted by the load each side offers it (rps summed, error rates weighted by
 * rps, latency the mixture of both sides' components weighted by their requests); `readyEndpoints` stay
 * the control plane's. The user-facing SLIs count only the healthy side: they measure the users outside
 * (requests of in-cluster clients on the isolated side are not the users').
 *
 * Cost: nothing while no partition is active (one scan of `state.incidents`); during one, O(ingress +
 * the Services reachable from an isolated client, with their rule entries) per tick.
 *
 * May import: ./types.ts, ./cache.ts, ./latency.ts, ./trafficFigures.ts, ./trafficGraph.ts, ./trafficModel.ts.
 */
import type { IncidentState, SimState } from './types.ts';
import { podObjectsForSelector } from './cache.ts';
import { mixtureQuantile, type LatencyComponent } from './latency.ts';
import { ownFigures, type EndpointGroup, type OwnFigures, type Result, type ServiceAggregate } from './trafficFigures.ts';
import { computePathResult, resolveServiceKey, type TrafficGraph } from './trafficGraph.ts';
import { podCpuMilli, podCpuQuota } from './trafficModel.ts';

/** The incident data key of the snapshot of kube-proxy's rules at the cut. */
export const PROXY_RULES_KEY = 'proxyRules';

/**
 * kube-proxy's rules at the cut, as incident data: one string per Service with ready endpoints,
 * `"<service key> <ready endpoints> <pod name in the zone>..."` (keys and names hold no spaces), sorted
 * by Service key. O(endpoint entries).
 */
export function snapshotProxyRules(state: SimState, nodes: readonly string[]): string[] {
  const zone = new Set(nodes);
  const out: string[] = [];
  for (const key of Object.keys(state.endpoints).sort()) {
    const eps = state.endpoints[key]!;
    let total = 0;
    const inZone: string[] = [];
    for (const ep of eps.endpoints) {
      if (!ep.conditions.ready || ep.conditions.terminating) continue;
      total++;
      if (zone.has(ep.nodeName)) inZone.push(ep.targetRef.name);
    }
    if (total > 0) out.push([key, String(total), ...inZone.sort()].join(' '));
  }
  return out;
}

/** One active partition: its Nodes and the rules its kube-proxies kept. */
interface ActivePartition {
  nodes: Set<string>;
  rules: Map<string, { total: number; inZone: string[] }>;
}

function activePartitions(state: SimState): ActivePartition[] {
  const out: ActivePartition[] = [];
  for (const inc of state.incidents) {
    if (inc.spec.type !== 'zone-partition' || inc.status === 'scheduled' || inc.data['healed'] !== false) continue;
    out.push(partitionOf(inc));
  }
  return out;
}

const parsed = new WeakMap<IncidentState['data'], { src: unknown; p: ActivePartition }>();

function partitionOf(inc: IncidentState): ActivePartition {
  const src = inc.data[PROXY_RULES_KEY];
  const hit = parsed.get(inc.data);
  if (hit && hit.src === src) return hit.p;
  const nodes = new Set(Array.isArray(inc.data['nodes']) ? inc.data['nodes'] : []);
  const rules = new Map<string, { total: number; inZone: string[] }>();
  for (const line of Array.isArray(src) ? src : []) {
    const [key, total, ...inZone] = line.split(' ');
    if (key) rules.set(key, { total: Number(total), inZone });
  }
  const p = { nodes, rules };
  parsed.set(inc.data, { src, p });
  return p;
}

/** What the isolated sides add to a Service: their offered load (requests/s) and end-to-end result. */
export interface SideFigures {
  rps: number;
  result: Result;
}

/** The isolated sides of the partitions active now (see the module doc); empty when none. */
export interface PartitionSides {
  /** Per ingress entry (parallel to `state.ingress`): the share of its load that enters the healthy side. */
  outsideShare: number[];
  /** Per Service key: what each isolated side with load for it adds (in partition order). */
  sides: Map<string, SideFigures[]>;
}

/** The client Pods of an ingress entry's `from` Deployment that run a container, by Node. */
function clientPods(state: SimState, from: string): { node: string }[] {
  const key = state.deployments[from] ? from : state.deployments[`default/${from}`] ? `default/${from}` : undefined;
  if (key === undefined) return [];
  const d = state.deployments[key]!;
  const out: { node: string }[] = [];
  for (const pod of podObjectsForSelector(state, d.metadata.namespace, d.spec.selector.matchLabels ?? {})) {
    if (!pod.spec.nodeName || !pod.status.containerStatuses.some((c) => c.state.running !== undefined)) continue;
    out.push({ node: pod.spec.nodeName });
  }
  return out;
}

/**
 * The isolated sides of the active partitions over `graph`, or null when no partition is active or
 * none has a client with load on its side. O(ingress + reachable Services and their rules).
 */
export function partitionSides(state: SimState, graph: TrafficGraph): PartitionSides | null {
  const parts = activePartitions(state);
  if (parts.length === 0) return null;
  const outsideShare = state.ingress.map(() => 1);
  const loads: number[][] = parts.map(() => []);
  let any = false;
  state.ingress.forEach((e, k) => {
    if (e.from === undefined) return;
    const pods = clientPods(state, e.from);
    if (pods.length === 0) return;
    const key = resolveServiceKey(state, e.service);
    const i = key === undefined ? undefined : graph.position.get(key);
    parts.forEach((p, j) => {
      const share = pods.filter((x) => p.nodes.has(x.node)).length / pods.length;
      if (share === 0) return;
      outsideShare[k] = outsideShare[k]! - share;
      if (i === undefined) return;
      loads[j]![i] = (loads[j]![i] ?? 0) + Math.max(0, e.rps) * share;
      any = true;
    });
  });
  if (!any) return outsideShare.some((s) => s !== 1) ? { outsideShare, sides: new Map() } : null;
  const sides = new Map<string, SideFigures[]>();
  parts.forEach((p, j) => isolatedSide(state, graph, p, loads[j]!, sides));
  return { outsideShare, sides };
}

/** A Service's endpoints as the isolated kube-proxies route to them (see the module doc). */
function isolatedAggregate(state: SimState, p: ActivePartition, key: string): ServiceAggregate {
  const rule = p.rules.get(key);
  const groups = new Map<string, EndpointGroup>();
  const nodes = new Set<string>();
  const images = new Set<string>();
  let alive = 0;
  const ns = key.slice(0, key.indexOf('/') + 1);
  for (const name of rule?.inZone ?? []) {
    const pod = state.pods[ns + name];
    if (!pod || !pod.spec.nodeName || !p.nodes.has(pod.spec.nodeName) || !pod.status.containerStatuses.some((c) => c.state.running !== undefined)) continue;
    const cpu = podCpuMilli(pod);
    const quota = podCpuQuota(pod);
    const gk = `${pod.sim.image}\u0000${cpu}\u0000${pod.spec.nodeName}${quota ? '' : '\u0000u'}\u00000`;
    const g = groups.get(gk);
    if (g) g.count++;
    else groups.set(gk, { image: pod.sim.image, cpuMilli: cpu, quota, node: pod.spec.nodeName, count: 1, dead: false });
    nodes.add(pod.spec.nodeName);
    images.add(pod.sim.image);
    alive++;
  }
  const total = rule?.total ?? 0;
  // Endpoints across the cut (and in-zone ones whose Pod is gone or not running): timed out. Their
  // image is not known on this side: the default profile's latency stands for the wait.
  if (total > alive) groups.set('\u0001', { image: '', cpuMilli: 1000, quota: false, node: '', count: total - alive, dead: true });
  const sorted = [...groups.keys()].sort().map((k) => groups.get(k)!);
  return { resourceVersion: -2, length: total, groups: sorted, ready: total, total, nodes, images: [...images].sort() };
}

function isolatedSide(state: SimState, graph: TrafficGraph, p: ActivePartition, load: number[], sides: Map<string, SideFigures[]>): void {
  const n = graph.order.length;
  const rps = new Array<number>(n).fill(0);
  const seen = new Uint8Array(n);
  for (let i = 0; i < n; i++) if (load[i] !== undefined) { rps[i] = load[i]!; seen[i] = 1; }
  const own = new Array<OwnFigures | undefined>(n);
  const live = (node: string): boolean => p.nodes.has(node);
  for (let i = 0; i < n; i++) {
    if (seen[i] === 0) continue;
    const figures = ownFigures(state, isolatedAggregate(state, p, graph.order[i]!), rps[i]!, live);
    own[i] = figures;
    const downs = graph.down[i]!;
    const share = graph.paths[i]!.share;
    for (let j = 0; j < downs.length; j++) {
      const d = downs[j]!;
      seen[d] = 1;
      rps[d] = rps[d]! + rps[i]! * figures.accepted * share[j]!;
    }
  }
  const results = new Array<Result | undefined>(n);
  for (let i = n - 1; i >= 0; i--) {
    if (seen[i] === 0) continue;
    const r = computePathResult(own[i]!, graph.down[i]!.map((d) => results[d]!), graph.optional[i]!, graph.paths[i]!);
    results[i] = r;
    if (rps[i]! > 0) {
      const key = graph.order[i]!;
      let list = sides.get(key);
      if (!list) sides.set(key, (list = []));
      list.push({ rps: rps[i]!, result: r });
    }
  }
}

/**
 * The figures a Service shows with load `rps` (requests/s) and result `r` on the healthy side plus the
 * isolated sides' `sides`: rps summed, error share weighted by rps, latency percentiles of the mixture
 * of every side's components weighted by its load share (see the module doc).
 */
export function mixSides(rps: number, r: Result, sides: readonly SideFigures[]): { rps: number; errorRate: number; p50: number; p99: number } {
  let total = rps;
  for (const s of sides) total += s.rps;
  if (!(total > 0)) return { rps: total, errorRate: r.errorRate, p50: r.p50, p99: r.p99 };
  let errors = rps * r.errorRate;
  const components: LatencyComponent[] = [];
  const add = (w: number, res: Result): void => {
    for (const c of res.components) components.push({ weight: c.weight * w, p50Ms: c.p50Ms, p99Ms: c.p99Ms });
  };
  add(rps / total, r);
  for (const s of sides) {
    errors += s.rps * s.result.errorRate;
    add(s.rps / total, s.result);
  }
  return { rps: total, errorRate: Math.min(1, Math.max(0, errors / total)), p50: mixtureQuantile(components, 0.5), p99: mixtureQuantile(components, 0.99) };
}
