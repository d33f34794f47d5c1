/**
 * The traffic model: requests/s enter through `state.ingress`, flow along `state.callGraph` to the
 * Ready endpoints of each Service, and come back as per-Service figures (`state.traffic`) and the
 * user-facing Service's SLI counts (`state.slos.*.lastTick`).
 *
 * Per tick, per Service (source of the routing rules: kubernetes-behaviour.md §8, kube-proxy iptables):
 * - only endpoints that are `ready && !terminating` receive traffic, spread evenly (random pick, no
 *   retry); **no ready endpoint -> every request fails** (connection refused);
 * - a ready endpoint whose pod sits on a Node with a dead kubelet is a black hole until the node
 *   lifecycle controller takes it out of the endpoints (~50 s, §3): its requests time out; likewise
 *   an endpoint whose container is not running (stale endpoints while etcd has no quorum);
 * - each pod fails its version's `errorRate` ({@link ImageProfile}, {@link DEFAULT_IMAGE_PROFILE} for
 *   unknown images);
 * - **overload**: a pod serves at most `cpuMilli / cpuPerRequestMilli` requests/s, where cpuMilli is the
 *   pod's CPU limit, else its request, else 1000 m. At utilisation u the own latency is multiplied by
 *   the M/M/1 response-time factor `1 / (1 - min(u, 0.95))` (at most 20x); beyond capacity the excess
 *   `1 - 1/u` of its requests time out;
 * - a request fails when any synchronous downstream call fails:
 *   `errorRate = 1 - accepted * (1 - ownVersionErrors) * prod(1 - downstream errorRate)`;
 * - latency = own latency (see shared/sim/latency.ts: lognormal per pod group, p99 = 3 x p50) +
 *   downstream p50/p99. The call graph must be a DAG; edges closing a cycle are ignored (DFS from the
 *   ingress Services, then uncalled ones, then the rest, each set sorted: the same edges everywhere).
 *
 * SLI counts (user-facing Service): availability valid = stochastic round of rps * tickSeconds, bad =
 * stochastic round of valid * errorRate, good = valid - bad. Latency: valid = the successful requests
 * (availability good), good = those minus the stochastic round of (share slower than
 * `slos.latency.thresholdMs`); failed requests only count against availability, so each SLO tells its
 * own story. Three PRNG draws per tick, always.
 *
 * Cost: O(services + edges) per tick plus O(endpoints) for a Service whose EndpointSlice changed
 * (detected by its `metadata.resourceVersion`); the per-Service pod aggregates live in a memo outside
 * the state (a WeakMap keyed by the state object) that only caches values derivable from the state, so a
 * cloned/replayed state computes identical figures.
 *
 * May import: ./types.ts, ./prng.ts, ./quantity.ts, ./apiserver.ts (read-only checks), ./latency.ts.
 */
import type { Endpoints, ImageProfile, Pod, ServiceTraffic, SimState } from './types.ts';
import { roundStochastic } from './prng.ts';
import { cpuToMilli } from './quantity.ts';
import { apiWritable } from './apiserver.ts';
import { mixtureQuantile, tailShare, type LatencyComponent } from './latency.ts';

/**
 * Profile of an image the scenario did not declare. `baseMemoryMiB` here is a fallback: for a pod use
 * {@link imageProfileFor}, which sets it to 60 % of the pod's memory request.
 */
export const DEFAULT_IMAGE_PROFILE: Readonly<ImageProfile> = {
  errorRate: 0.0001,
  latencyMs: 15,
  baseMemoryMiB: 64,
  memoryGrowthMiBPerSec: 0,
  memoryPlateauMiB: null,
  cpuPerRequestMilli: 2,
};

/** Share of the memory request an undeclared image uses right after start. */
export const DEFAULT_BASE_MEMORY_SHARE = 0.6;

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
 * The profile a pod runs with: declared image profile, else the default with `baseMemoryMiB` = 60 % of
 * the pod's memory request (MiB; the default's 64 MiB when it has none).
 */
export function imageProfileFor(state: SimState, pod: Pod): ImageProfile {
  const declared = state.images[pod.sim.image];
  if (declared) return declared;
  if (state.defaultImageProfile) return state.defaultImageProfile;
  const base = pod.sim.memRequestMiB > 0 ? Math.round(pod.sim.memRequestMiB * DEFAULT_BASE_MEMORY_SHARE) : DEFAULT_IMAGE_PROFILE.baseMemoryMiB;
  return { ...DEFAULT_IMAGE_PROFILE, baseMemoryMiB: base };
}

/** CPU quantity to millicores via shared/sim/quantity.ts, or null when unset or malformed. */
function cpuMilliOrNull(q: string | undefined): number | null {
  if (q === undefined || q === '') return null;
  try {
    return cpuToMilli(q);
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

// ---------------------------------------------------------------------------------------------------
// Memo (outside the state): call-graph order and per-Service endpoint aggregates
// ---------------------------------------------------------------------------------------------------

/** Ready endpoints of one Service grouped by (image, cpu, node). */
interface EndpointGroup {
  image: string;
  cpuMilli: number;
  node: string;
  count: number;
  /** The pod's container is not running (kube-proxy still routes to it from stale endpoints). */
  dead: boolean;
}

interface ServiceAggregate {
  resourceVersion: number;
  length: number;
  groups: EndpointGroup[];
  ready: number;
  total: number;
}

interface Graph {
  callGraph: Record<string, string[]>;
  ingress: SimState['ingress'];
  serviceCount: number;
  /** Topological order: callers before callees. */
  order: string[];
  /** Downstream keys per Service, cycle-closing edges removed. */
  down: Record<string, string[]>;
}

interface Memo {
  graph: Graph | null;
  services: Map<string, ServiceAggregate>;
}

const memos = new WeakMap<SimState, Memo>();

function memoOf(state: SimState): Memo {
  let memo = memos.get(state);
  if (!memo) {
    memo = { graph: null, services: new Map() };
    memos.set(state, memo);
  }
  return memo;
}

/** Resolves a Service reference (`frontend` or `default/frontend`) to its key in `state.services`. */
export function resolveServiceKey(state: SimState, ref: string): string | undefined {
  if (state.services[ref]) return ref;
  const key = `default/${ref}`;
  if (state.services[key]) return key;
  return undefined;
}

function buildGraph(state: SimState): Graph {
  const keys = Object.keys(state.services).sort();
  const edges: Record<string, string[]> = {};
  for (const k of keys) edges[k] = [];
  for (const from of Object.keys(state.callGraph).sort()) {
    const src = resolveServiceKey(state, from);
    if (!src) continue;
    const targets = new Set<string>(edges[src]);
    for (const to of state.callGraph[from] ?? []) {
      const dst = resolveServiceKey(state, to);
      if (dst && dst !== src) targets.add(dst);
    }
    edges[src] = [...targets].sort();
  }
  // Iterative DFS from the entry Services first (sorted), then Services nobody calls, then the rest;
  // an edge to a node on the stack closes a cycle and is dropped, so traffic entering at an ingress
  // keeps its natural direction.
  const called = new Set<string>();
  for (const k of keys) for (const d of edges[k]!) called.add(d);
  const entries = [...new Set(state.ingress.map((e) => resolveServiceKey(state, e.service)).filter((k): k is string => k !== undefined))].sort();
  const roots = [...entries, ...keys.filter((k) => !called.has(k)), ...keys];
  const color: Record<string, 0 | 1 | 2> = {};
  const down: Record<string, string[]> = {};
  const post: string[] = [];
  for (const root of roots) {
    if (color[root]) continue;
    const stack: { key: string; i: number }[] = [{ key: root, i: 0 }];
    color[root] = 1;
    down[root] = [];
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const next = edges[top.key]![top.i++];
      if (next === undefined) {
        color[top.key] = 2;
        post.push(top.key);
        stack.pop();
        continue;
      }
      const c = color[next] ?? 0;
      if (c === 1) continue; // back edge: cycle, ignored
      down[top.key]!.push(next);
      if (c === 0) {
        color[next] = 1;
        down[next] = [];
        stack.push({ key: next, i: 0 });
      }
    }
  }
  return { callGraph: state.callGraph, ingress: state.ingress, serviceCount: keys.length, order: post.reverse(), down };
}

function graphOf(state: SimState, memo: Memo): Graph {
  const g = memo.graph;
  if (g && g.callGraph === state.callGraph && g.ingress === state.ingress && g.serviceCount === Object.keys(state.services).length) return g;
  memo.graph = buildGraph(state);
  return memo.graph;
}

function aggregate(state: SimState, eps: Endpoints | undefined): ServiceAggregate {
  if (!eps) return { resourceVersion: -1, length: 0, groups: [], ready: 0, total: 0 };
  const byKey = new Map<string, EndpointGroup>();
  let ready = 0;
  for (const ep of eps.endpoints) {
    if (!ep.conditions.ready || ep.conditions.terminating) continue;
    const pod = state.pods[`${eps.metadata.namespace}/${ep.targetRef.name}`];
    if (!pod) continue;
    ready++;
    const cpuMilli = podCpuMilli(pod);
    const node = pod.spec.nodeName ?? ep.nodeName;
    const dead = !pod.status.containerStatuses.some((c) => c.state.running !== undefined);
    const key = `${pod.sim.image}\u0000${cpuMilli}\u0000${node}\u0000${dead ? 1 : 0}`;
    const g = byKey.get(key);
    if (g) g.count++;
    else byKey.set(key, { image: pod.sim.image, cpuMilli, node, count: 1, dead });
  }
  const groups = [...byKey.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map((e) => e[1]);
  return { resourceVersion: eps.metadata.resourceVersion, length: eps.endpoints.length, groups, ready, total: eps.endpoints.length };
}

function aggregateOf(state: SimState, memo: Memo, key: string): ServiceAggregate {
  const eps = state.endpoints[key];
  // Without etcd quorum the EndpointSlice controller stalls: endpoints go stale while pods change
  // underneath, so look at the pods every tick until the API server is back.
  if (!apiWritable(state)) {
    memo.services.delete(key);
    return aggregate(state, eps);
  }
  const cached = memo.services.get(key);
  if (cached && eps && cached.resourceVersion === eps.metadata.resourceVersion && cached.length === eps.endpoints.length) return cached;
  if (cached && !eps && cached.resourceVersion === -1) return cached;
  const fresh = aggregate(state, eps);
  memo.services.set(key, fresh);
  return fresh;
}

/** Drops the memo of `state` (tests, or after replacing objects without bumping resourceVersions). */
export function invalidateTrafficCache(state: SimState): void {
  memos.delete(state);
}

// ---------------------------------------------------------------------------------------------------
// Per-tick computation
// ---------------------------------------------------------------------------------------------------

/** A Service's own behaviour at a given load, before downstream calls. */
interface OwnFigures {
  /** Share of requests a pod accepted (not refused, not timed out). */
  accepted: number;
  /** Share of requests that succeed on this Service's own pods. */
  success: number;
  /** Latency components of the own successful requests (weights = success shares). */
  components: LatencyComponent[];
}

function ownFigures(state: SimState, agg: ServiceAggregate, rps: number): OwnFigures {
  if (agg.ready === 0) return { accepted: 0, success: 0, components: [] };
  const perPod = rps / agg.ready;
  let accepted = 0;
  let success = 0;
  const merged = new Map<string, LatencyComponent>();
  for (const g of agg.groups) {
    const w = g.count / agg.ready;
    const node = state.nodes[g.node];
    if (g.dead || !node || !node.sim.kubeletUp) continue; // black hole: refused or timed out
    const profile = imageProfile(state, g.image);
    const cap = podCapacityRps(g.cpuMilli, profile);
    const u = cap === Infinity ? 0 : perPod / cap;
    const served = u > 1 ? 1 / u : 1;
    const ok = served * (1 - Math.min(1, Math.max(0, profile.errorRate)));
    accepted += w * served;
    success += w * ok;
    const p50 = profile.latencyMs * loadFactor(u);
    const key = `${g.image}\u0000${g.cpuMilli}`;
    const c = merged.get(key);
    if (c) c.weight += w * ok;
    else merged.set(key, { weight: w * ok, p50Ms: p50, p99Ms: p50 * LATENCY_TAIL_FACTOR });
  }
  const components = [...merged.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map((e) => e[1]);
  return { accepted, success, components };
}

/** Final figures of one Service, kept for its callers. */
interface Result {
  errorRate: number;
  p50: number;
  p99: number;
  /** End-to-end latency components (own components shifted by downstream p50/p99). */
  components: LatencyComponent[];
}

/**
 * Recomputes `state.traffic` for every Service and writes the user-facing Service's SLI counts into
 * `state.slos.availability.lastTick` and `state.slos.latency.lastTick` (see the module doc for the
 * model). Uses 3 draws of `state.rng` per call.
 */
export function updateTraffic(state: SimState): void {
  const memo = memoOf(state);
  const graph = graphOf(state, memo);
  const rps: Record<string, number> = {};
  for (const key of graph.order) rps[key] = 0;
  for (const entry of state.ingress) {
    const key = resolveServiceKey(state, entry.service);
    if (key !== undefined) rps[key] = (rps[key] ?? 0) + Math.max(0, entry.rps);
  }
  const own: Record<string, OwnFigures> = {};
  const aggs: Record<string, ServiceAggregate> = {};
  for (const key of graph.order) {
    const agg = aggregateOf(state, memo, key);
    aggs[key] = agg;
    const load = rps[key] ?? 0;
    const figures = ownFigures(state, agg, load);
    own[key] = figures;
    for (const d of graph.down[key] ?? []) rps[d] = (rps[d] ?? 0) + load * figures.accepted;
  }
  const results: Record<string, Result> = {};
  const traffic: Record<string, ServiceTraffic> = {};
  for (let i = graph.order.length - 1; i >= 0; i--) {
    const key = graph.order[i]!;
    const figures = own[key]!;
    let success = figures.success;
    let d50 = 0;
    let d99 = 0;
    for (const d of graph.down[key] ?? []) {
      const r = results[d]!;
      success *= 1 - r.errorRate;
      d50 += r.p50;
      d99 += r.p99;
    }
    const components = figures.components.map((c) => ({ weight: c.weight, p50Ms: c.p50Ms + d50, p99Ms: c.p99Ms + d99 }));
    const p50 = mixtureQuantile(components, 0.5);
    const p99 = mixtureQuantile(components, 0.99);
    const errorRate = Math.min(1, Math.max(0, 1 - success));
    results[key] = { errorRate, p50, p99, components };
    const agg = aggs[key]!;
    traffic[key] = { rps: rps[key] ?? 0, errorRate, p50Ms: p50, p99Ms: p99, readyEndpoints: agg.ready, totalEndpoints: agg.total };
  }
  state.traffic = traffic;

  const userKey = resolveServiceKey(state, state.userFacingService);
  const user = userKey !== undefined ? results[userKey] : undefined;
  const userRps = userKey !== undefined ? (rps[userKey] ?? 0) : 0;
  const valid = roundStochastic(state.rng, userRps * state.settings.tickSeconds);
  const bad = Math.min(valid, roundStochastic(state.rng, valid * (user ? user.errorRate : 1)));
  const good = valid - bad;
  const slowShare = user ? tailShare(user.components, state.slos.latency.thresholdMs) : 0;
  const slow = Math.min(good, roundStochastic(state.rng, good * slowShare));
  state.slos.availability.lastTick = { good, valid };
  state.slos.latency.lastTick = { good: good - slow, valid: good };
}
