/**
 * Per-Service figures of the traffic model (shared/sim/traffic.ts has the whole model and its memo):
 * a Service's own figures at a given load from the aggregate of its ready endpoints, and its end-to-end
 * result from its downstream results — a failed **hard** call fails the caller's request, a failed
 * **optional** call (`state.optionalCalls`, graceful degradation) only adds the latency of the call
 * ({@link Result.callP50}). Units: requests/s, ms, shares 0..1. Sources: kubernetes-behaviour.md §8
 * (routing to ready endpoints only) and kube-proxy's REJECT rule for a Service without endpoints
 * (connection refused); Online Boutique's frontend (logs a failed ad / recommendation call and renders
 * the page without it) for graceful degradation.
 *
 * Pure functions. May import: ./types.ts, ./latency.ts, ./trafficModel.ts.
 */
import type { SimState } from './types.ts';
import { mixtureQuantile, type LatencyComponent } from './latency.ts';
import { cfsThrottling, CFS_LATENCY_MIN_SHARE, imageProfile, LATENCY_TAIL_FACTOR, loadFactor, podCapacityRps } from './trafficModel.ts';

/**
 * Latency of a call to a Service with no ready endpoint, ms: only ready endpoints receive traffic
 * (kubernetes-behaviour.md §8) and kube-proxy installs a REJECT rule for a Service without endpoints
 * (K pkg/proxy/iptables/proxier.go), so the connection is refused at once. Only matters for optional
 * calls (a failed hard call fails the request, whose latency is then not measured).
 */
export const FAIL_FAST_MS = 1;

/** Ready endpoints of one Service with the same (image, cpu, quota, node, dead). */
export interface EndpointGroup {
  image: string;
  cpuMilli: number;
  /** `cpuMilli` is a CFS quota (every container has a CPU limit): bursts over it are throttled. */
  quota: boolean;
  node: string;
  count: number;
  /** The pod's container is not running (kube-proxy still routes to it from stale endpoints). */
  dead: boolean;
}

/** The ready endpoints of one Service, grouped (built by shared/sim/traffic.ts). */
export interface ServiceAggregate {
  /**
   * `metadata.resourceVersion` of the EndpointSlice it was built from (-1: no slice; -2: built while
   * the API server could not write, never reused by version).
   */
  resourceVersion: number;
  /** Number of entries in that EndpointSlice (ready or not). */
  length: number;
  /** Sorted by (image, cpu, node, dead) as a string key. */
  groups: EndpointGroup[];
  /** Ready endpoints (counted in `groups`) and all endpoints of the slice. */
  ready: number;
  total: number;
  /** Distinct nodes of the groups. */
  nodes: Set<string>;
  /** Distinct images of the groups, sorted. */
  images: string[];
}

/** A Service's own behaviour at a given load, before downstream calls. */
export interface OwnFigures {
  /** Share of requests a pod accepted (not refused, not timed out). */
  accepted: number;
  /** Share of requests that succeed on this Service's own pods. */
  success: number;
  /** Latency components of the own successful requests (weights = success shares). */
  components: LatencyComponent[];
  /** Ready endpoints the figures were computed with (0 = connection refused). */
  ready: number;
  /**
   * Own latency of every ready endpoint group at its load, weights = endpoint shares (dead ones
   * included): how long a request takes to fail when none succeeds (see {@link Result.callP50}).
   */
  answer: LatencyComponent[];
}

/** End-to-end figures of one Service, kept for its callers. */
export interface Result {
  /** Failed share of requests end to end, 0..1. */
  errorRate: number;
  /** Latency percentiles of the successful requests end to end, ms (0 when its own pods serve none). */
  p50: number;
  p99: number;
  /** End-to-end latency components (own components shifted by downstream p50/p99). */
  components: LatencyComponent[];
  /**
   * Latency of one call to this Service as an optional caller pays it, whatever the outcome, ms: p50/p99
   * when any request succeeds; {@link FAIL_FAST_MS} without ready endpoints; else the own latency of its
   * pods ({@link OwnFigures.answer}) plus its calls' `callP50`/`callP99`.
   */
  callP50: number;
  callP99: number;
}

/**
 * Own figures of a Service whose ready endpoints are `agg` at offered load `rps` (requests/s, spread
 * evenly over the ready endpoints): accepted and success shares and the latency of its successful
 * requests before downstream calls. A pod with a CFS quota (CPU limit) that serves bursts over it
 * (./trafficModel.ts `cfsThrottling` at its served rate) has its delayed requests in a second
 * component, waiting up to the period's remainder (p50 + remainder / 2, p99 + remainder), when at
 * least `CFS_LATENCY_MIN_SHARE` of them are delayed. `reachable` (node name -> true when its Pods answer) replaces the
 * default test (the Node exists and its kubelet is up): the isolated side of a partition reaches the
 * cut-off Nodes (shared/sim/trafficPartition.ts). O(groups).
 */
export function ownFigures(state: SimState, agg: ServiceAggregate, rps: number, reachable?: (node: string) => boolean): OwnFigures {
  if (agg.ready === 0) return { accepted: 0, success: 0, components: [], ready: 0, answer: [] };
  const perPod = rps / agg.ready;
  let accepted = 0;
  let success = 0;
  const merged = new Map<string, LatencyComponent>();
  const answer = new Map<string, LatencyComponent>();
  // Groups are sorted by (image, cpu, ...): consecutive groups of one image and CPU share the profile,
  // the per-pod latency and the component entries, computed once per run (same values, same order).
  let runImage: string | null = null;
  let runCpu = 0;
  let runQuota = true;
  let key = '';
  let delayed = 0;
  let wait = 0;
  let tkey = '';
  let t: LatencyComponent | undefined;
  let profile = imageProfile(state, '');
  let u = 0;
  let p50 = 0;
  let a: LatencyComponent | undefined;
  let c: LatencyComponent | undefined;
  for (const g of agg.groups) {
    const w = g.count / agg.ready;
    if (g.image !== runImage || g.cpuMilli !== runCpu || g.quota !== runQuota) {
      runImage = g.image;
      runCpu = g.cpuMilli;
      runQuota = g.quota;
      profile = imageProfile(state, g.image);
      const cap = podCapacityRps(g.cpuMilli, profile);
      u = cap === Infinity ? 0 : perPod / cap;
      p50 = profile.latencyMs * loadFactor(u);
      key = g.quota ? `${g.image}\u0000${g.cpuMilli}` : `${g.image}\u0000${g.cpuMilli}\u0000u`;
      a = answer.get(key);
      c = merged.get(key);
      delayed = 0;
      if (g.quota) {
        const th = cfsThrottling(g.cpuMilli, profile.cpuPerRequestMilli, Math.min(perPod, cap));
        if (th.delayedShare >= CFS_LATENCY_MIN_SHARE && th.remainderMs > 0) {
          delayed = th.delayedShare;
          wait = th.remainderMs;
          tkey = `${key}\u0000t`;
          t = merged.get(tkey);
        }
      }
    }
    if (a) a.weight += w;
    else answer.set(key, (a = { weight: w, p50Ms: p50, p99Ms: p50 * LATENCY_TAIL_FACTOR }));
    if (g.dead) continue; // black hole: refused or timed out
    if (reachable !== undefined) {
      if (!reachable(g.node)) continue;
    } else {
      const node = state.nodes[g.node];
      if (!node || !node.sim.kubeletUp) continue;
    }
    const served = u > 1 ? 1 / u : 1;
    const ok = served * (1 - Math.min(1, Math.max(0, profile.errorRate)));
    accepted += w * served;
    success += w * ok;
    if (delayed > 0) {
      // Throttled: the delayed requests wait for the next CFS period (up to its remainder).
      const wt = w * ok * delayed;
      if (t) t.weight += wt;
      else merged.set(tkey, (t = { weight: wt, p50Ms: p50 + wait / 2, p99Ms: p50 * LATENCY_TAIL_FACTOR + wait }));
      const wc = w * ok - wt;
      if (c) c.weight += wc;
      else merged.set(key, (c = { weight: wc, p50Ms: p50, p99Ms: p50 * LATENCY_TAIL_FACTOR }));
      continue;
    }
    if (c) c.weight += w * ok;
    else merged.set(key, (c = { weight: w * ok, p50Ms: p50, p99Ms: p50 * LATENCY_TAIL_FACTOR }));
  }
  const components = sortedValues(merged);
  return { accepted, success, components, ready: agg.ready, answer: sortedValues(answer) };
}

function sortedValues(m: Map<string, LatencyComponent>): LatencyComponent[] {
  return [...m.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map((e) => e[1]);
}

/**
 * What a request's downstream calls add (see {@link foldCalls}): `success` the share still succeeding
 * (fraction 0..1), `d50`/`d99` the summed p50/p99 (ms) a successful request waits for, `any50`/`any99`
 * the summed call latencies whatever their outcome (ms, for `callP50` when every request fails).
 */
export interface CallFold {
  success: number;
  d50: number;
  d99: number;
  any50: number;
  any99: number;
}

/**
 * Folds the calls `calls` (indices into `down`; null = every call) of one request into `out`, starting
 * from the share `success` that the Service itself serves: a failed hard call fails the request, an
 * optional one (`optional[j]`) only adds its latency. `out` is reused by the caller (no allocation on
 * the per-tick path). Shared by {@link computeResult} and trafficGraph.ts `computePathResult`.
 */
export function foldCalls(down: readonly Result[], calls: readonly number[] | null, optional: readonly boolean[], success: number, out: CallFold): CallFold {
  out.success = success;
  out.d50 = 0;
  out.d99 = 0;
  out.any50 = 0;
  out.any99 = 0;
  const n = calls === null ? down.length : calls.length;
  for (let i = 0; i < n; i++) {
    const j = calls === null ? i : calls[i]!;
    const r = down[j]!;
    out.any50 += r.callP50;
    out.any99 += r.callP99;
    if (optional[j] === true) {
      out.d50 += r.callP50;
      out.d99 += r.callP99;
      continue;
    }
    out.success *= 1 - r.errorRate;
    out.d50 += r.p50;
    out.d99 += r.p99;
  }
  return out;
}

/**
 * A Service's {@link Result} from its latency mixture `components` and success share (fraction):
 * p50/p99 of the mixture; callers see FAIL_FAST_MS when no endpoint is ready, else the `answer`
 * mixture's quantiles when no request succeeds (`answer` built from `figures.answer` shifted by
 * `any50`/`any99` when null).
 */
export function finishResult(figures: OwnFigures, components: LatencyComponent[], success: number, answer: LatencyComponent[] | null, any50: number, any99: number): Result {
  const p50 = mixtureQuantile(components, 0.5);
  const p99 = mixtureQuantile(components, 0.99);
  const errorRate = Math.min(1, Math.max(0, 1 - success));
  let callP50 = p50;
  let callP99 = p99;
  if (figures.ready === 0) {
    callP50 = FAIL_FAST_MS;
    callP99 = FAIL_FAST_MS;
  } else if (!(p50 > 0)) {
    const a = answer ?? figures.answer.map((c) => ({ weight: c.weight, p50Ms: c.p50Ms + any50, p99Ms: c.p99Ms + any99 }));
    callP50 = mixtureQuantile(a, 0.5);
    callP99 = mixtureQuantile(a, 0.99);
  }
  return { errorRate, p50, p99, components, callP50, callP99 };
}

const fold: CallFold = { success: 0, d50: 0, d99: 0, any50: 0, any99: 0 };

/**
 * End-to-end figures of one Service from its own figures and its downstream results (`optional[j]`:
 * call j is optional), every request making every call. O(downstream + components); one extra
 * quantile pair only when no request succeeds but endpoints are ready.
 */
export function computeResult(figures: OwnFigures, down: Result[], optional: boolean[]): Result {
  const f = foldCalls(down, null, optional, figures.success, fold);
  const { d50, d99 } = f;
  const components = figures.components.map((c) => ({ weight: c.weight, p50Ms: c.p50Ms + d50, p99Ms: c.p99Ms + d99 }));
  return finishResult(figures, components, f.success, null, f.any50, f.any99);
}
