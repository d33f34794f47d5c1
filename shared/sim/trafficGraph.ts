/**
 * The call graph as the traffic model walks it (shared/sim/traffic.ts): Service references resolved to
 * keys, cycle-closing edges dropped, Services in topological order (callers before callees) with
 * positions so the per-tick passes run over arrays, and which of the kept edges are optional (soft)
 * calls (`state.optionalCalls`, resolved like the call graph; pairs that are not edges are ignored).
 *
 * Cycles: iterative DFS from the ingress Services first (sorted), then Services nobody calls, then the
 * rest; an edge to a Service still on the DFS stack closes a cycle and is ignored, so traffic entering at
 * an ingress keeps its natural direction and every machine drops the same edges.
 *
 * Pure. May import: ./types.ts.
 */
import type { SimState } from './types.ts';

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
  return { callGraph: state.callGraph, optionalCalls, ingress: state.ingress, serviceCount: keys.length, order, position, down, optional };
}
