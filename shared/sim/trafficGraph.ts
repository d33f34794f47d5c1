/**
 * The call graph as the traffic model walks it (shared/sim/traffic.ts): Service references resolved to
 * keys, cycle-closing edges dropped, Services in topological order (callers before callees) with
 * positions so the per-tick passes run over arrays, which of the kept edges are optional (soft)
 * calls (`state.optionalCalls`, resolved like the call graph; pairs that are not edges are ignored),
 * and the call paths of each Service's requests ({@link CallPathSet}: declared `state.callPaths`, else
 * {@link defaultCallPaths}: one downstream call per request, so a request does not fan out through
 * every edge of an inferred graph at once).
 *
 * Cycles: iterative DFS from the ingress Services first (sorted), then Services nobody calls, then the
 * rest; an edge to a Service still on the DFS stack closes a cycle and is ignored, so traffic entering at
 * an ingress keeps its natural direction and every machine drops the same edges.
 *
 * Pure. May import: ./types.ts, ./latency.ts, ./trafficFigures.ts.
 */
import type { CallPath, SimState } from './types.ts';
import type { LatencyComponent } from './latency.ts';
import { computeResult, finishResult, foldCalls, type CallFold, type OwnFigures, type Result } from './trafficFigures.ts';

/** Scratch for {@link foldCalls} (reused: computePathResult runs per Service per tick). */
const fold: CallFold = { success: 0, d50: 0, d99: 0, any50: 0, any99: 0 };

/** Resolves a Service reference (`frontend` or `default/frontend`) to its key in `state.services`. */
export function resolveServiceKey(state: SimState, ref: string): string | undefined {
  if (state.services[ref]) return ref;
  const key = `default/${ref}`;
  if (state.services[key]) return key;
  return undefined;
}

/**
 * The walkable call graph of one state (valid while `callGraph`, `optionalCalls`, `ingress` and the
 * Service count are unchanged).
 */
export interface TrafficGraph {
  /** The `state.callGraph` / `state.optionalCalls` / `state.ingress` objects it was built from (identity = validity). */
  callGraph: SimState['callGraph'];
  optionalCalls: SimState['optionalCalls'] | undefined;
  ingress: SimState['ingress'];
  serviceCount: number;
  /** Service keys in topological order: callers before callees. */
  order: string[];
  /** Position of each Service key in {@link order}. */
  position: Map<string, number>;
  /** Downstream positions per position (cycle-closing edges removed), in sorted key order. */
  down: number[][];
  /** Per position, parallel to {@link down}: true when that call is optional (its failure is tolerated). */
  optional: boolean[][];
  /**
   * Per position: the call paths of its requests (see {@link CallPathSet}); one path making every call
   * when the Service calls at most one other.
   */
  paths: CallPathSet[];
}

/**
 * How the requests of one Service split over kinds of request: `weights[p]` (summing to 1) is the share
 * of requests following path p, `calls[p]` the indexes (into the Service's `down` list, ascending) of
 * the calls such a request makes; `share[j]` is the share of requests making call j (the sum of the
 * weights of the paths calling it), so call j carries `share[j]` × the caller's accepted load.
 */
export interface CallPathSet {
  weights: number[];
  calls: number[][];
  share: number[];
  /** True when there is one path making every call (the classic fan-out: no mixture needed). */
  all: boolean;
}

/**
 * The default rule for a Service without declared paths: a request calls ONE of its k downstream
 * Services, each with weight 1/k (a gateway or frontend routes each request to the backend that
 * serves it; a Service with one dependency calls it on every request). Keeps every call's load and a
 * request's failure odds at one hop per level instead of fanning out through the whole inferred graph.
 * Declared paths (`traffic.callPaths` in a scenario) replace it for their caller.
 */
export function defaultCallPaths(k: number): CallPathSet {
  if (k <= 1) return { weights: [1], calls: [k === 1 ? [0] : []], share: k === 1 ? [1] : [], all: true };
  const weights: number[] = [];
  const calls: number[][] = [];
  for (let j = 0; j < k; j++) {
    weights.push(1 / k);
    calls.push([j]);
  }
  return { weights, calls, share: new Array<number>(k).fill(1 / k), all: false };
}

/**
 * The {@link CallPathSet} of declared paths over the caller's kept calls `downKeys` (Service keys):
 * calls that are not kept edges are dropped; weights normalised; null when nothing usable is declared.
 */
function declaredCallPaths(state: SimState, declared: readonly CallPath[], downKeys: readonly string[]): CallPathSet | null {
  const index = new Map(downKeys.map((k, j) => [k, j]));
  const weights: number[] = [];
  const calls: number[][] = [];
  let total = 0;
  for (const p of declared) {
    if (!(p.weight > 0)) continue;
    const js = new Set<number>();
    for (const ref of p.calls) {
      const key = resolveServiceKey(state, ref);
      const j = key === undefined ? undefined : index.get(key);
      if (j !== undefined) js.add(j);
    }
    weights.push(p.weight);
    calls.push([...js].sort((a, b) => a - b));
    total += p.weight;
  }
  if (weights.length === 0 || !(total > 0)) return null;
  const share = new Array<number>(downKeys.length).fill(0);
  for (let p = 0; p < weights.length; p++) {
    weights[p] = weights[p]! / total;
    for (const j of calls[p]!) share[j] = share[j]! + weights[p]!;
  }
  const all = weights.length === 1 && calls[0]!.length === downKeys.length;
  return { weights, calls, share, all };
}

/** Builds the {@link TrafficGraph} of `state`: O(services + edges). */
export function buildTrafficGraph(state: SimState): TrafficGraph {
  const keys = Object.keys(state.services).sort();
  const edges: Record<string, string[]> = Object.create(null);
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
  const called = new Set<string>();
  for (const k of keys) for (const d of edges[k]!) called.add(d);
  const entries = [...new Set(state.ingress.map((e) => resolveServiceKey(state, e.service)).filter((k): k is string => k !== undefined))].sort();
  const roots = [...entries, ...keys.filter((k) => !called.has(k)), ...keys];
  const color: Record<string, 0 | 1 | 2> = Object.create(null);
  const downKeys: Record<string, string[]> = Object.create(null);
  const post: string[] = [];
  for (const root of roots) {
    if (color[root]) continue;
    const stack: { key: string; i: number }[] = [{ key: root, i: 0 }];
    color[root] = 1;
    downKeys[root] = [];
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
      downKeys[top.key]!.push(next);
      if (c === 0) {
        color[next] = 1;
        downKeys[next] = [];
        stack.push({ key: next, i: 0 });
      }
    }
  }
  const order = post.reverse();
  const position = new Map<string, number>();
  order.forEach((k, i) => position.set(k, i));
  const down = order.map((k) => (downKeys[k] ?? []).map((d) => position.get(d)!));
  // A state saved before optional calls existed has no `optionalCalls`: every call is hard.
  const optionalCalls = state.optionalCalls as SimState['optionalCalls'] | undefined;
  const soft = new Map<string, Set<string>>();
  for (const from of Object.keys(optionalCalls ?? {})) {
    const src = resolveServiceKey(state, from);
    if (!src) continue;
    let set = soft.get(src);
    if (!set) soft.set(src, (set = new Set()));
    for (const to of optionalCalls![from] ?? []) {
      const dst = resolveServiceKey(state, to);
      if (dst) set.add(dst);
    }
  }
  const optional = order.map((k) => {
    const set = soft.get(k);
    return (downKeys[k] ?? []).map((d) => set !== undefined && set.has(d));
  });
  const declared = new Map<string, CallPath[]>();
  for (const from of Object.keys(state.callPaths ?? {}).sort()) {
    const src = resolveServiceKey(state, from);
    if (src) declared.set(src, [...(declared.get(src) ?? []), ...state.callPaths![from]!]);
  }
  const paths = order.map((k) => {
    const downs = downKeys[k] ?? [];
    const own = declared.get(k);
    return (own && declaredCallPaths(state, own, downs)) ?? defaultCallPaths(downs.length);
  });
  return { callGraph: state.callGraph, optionalCalls, ingress: state.ingress, serviceCount: keys.length, order, position, down, optional, paths };
}

/**
 * End-to-end figures of a Service whose requests follow `paths`: a mixture over the paths, each path's
 * requests paying the own figures plus the calls it makes (a failed hard call fails the request, an
 * optional one only adds its latency, as in trafficFigures.ts `computeResult`, which this is exactly
 * when one path makes every call). Success share = sum over paths of weight × own success × product of
 * (1 − error) of its hard calls; latency components = own components shifted by the path's summed
 * downstream p50/p99, weighted by the path's successful share. O(paths × (calls + components)).
 */
export function computePathResult(figures: OwnFigures, down: Result[], optional: boolean[], paths: CallPathSet): Result {
  if (paths.all) return computeResult(figures, down, optional);
  let success = 0;
  const components: LatencyComponent[] = [];
  const answer: LatencyComponent[] = [];
  for (let p = 0; p < paths.weights.length; p++) {
    const w = paths.weights[p]!;
    const { success: s, d50, d99, any50, any99 } = foldCalls(down, paths.calls[p]!, optional, figures.success, fold);
    success += w * s;
    const pass = figures.success > 0 ? s / figures.success : 0;
    for (const c of figures.components) components.push({ weight: c.weight * w * pass, p50Ms: c.p50Ms + d50, p99Ms: c.p99Ms + d99 });
    for (const c of figures.answer) answer.push({ weight: c.weight * w, p50Ms: c.p50Ms + any50, p99Ms: c.p99Ms + any99 });
  }
  return finishResult(figures, components, success, answer, 0, 0);
}
