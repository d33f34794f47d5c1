/**
 * The service topology a match starts with: the call graph (declared, or inferred from container env
 * values that name another Service, e.g. `cartservice:7070`, `http://productcatalogservice:3550`,
 * `redis-cart.default.svc.cluster.local:6379`), which of its edges are optional (soft) calls, and the
 * traffic entry points (declared, else
 * LoadBalancer/NodePort Services, else call-graph roots) with the total load split equally.
 * All keys are Service keys (`namespace/name`); outputs are sorted.
 */
import { selectorMatches } from './cache.ts';
import { objKey, refKey } from './names.ts';
import type { SimInput, SimState } from './types.ts';

/** Default total offered load when the input gives none, requests/s. */
export const DEFAULT_RPS = 100;

/** Host names a string value mentions (URL host, `host:port`, or a bare DNS name's first label). */
export function hostsIn(value: string): string[] {
  const out: string[] = [];
  const re = /(?:[a-z][a-z0-9+.-]*:\/\/)?([a-z0-9]([a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9-]+)*)(?::\d+)?/gi;
  for (const m of value.matchAll(re)) {
    const host = m[1]!.toLowerCase();
    out.push(host.split('.')[0]!);
  }
  return out;
}

/**
 * Keys of the Services whose selector matches a Deployment's pod labels, per Deployment key (sorted).
 * Each Service with a non-empty selector is filed under its selector's first pair (keys sorted) in
 * its namespace, so a Deployment checks only the Services filed under one of its own label pairs
 * (every pair of a matching selector is among them): O(Deployments x labels + candidates), not
 * Deployments x Services (1,500 x 1,500 at the 150,000-Pod createSim).
 */
function servicesOfDeployments(state: SimState): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const byAnchor = new Map<string, string[]>();
  for (const s of Object.keys(state.services).sort()) {
    const svc = state.services[s]!;
    const first = Object.keys(svc.spec.selector).sort()[0];
    if (first === undefined) continue; // an empty selector matches nothing (selectorMatches)
    const anchor = `${svc.metadata.namespace}|${first}=${svc.spec.selector[first]!}`;
    const list = byAnchor.get(anchor);
    if (list) list.push(s);
    else byAnchor.set(anchor, [s]);
  }
  for (const dKey of Object.keys(state.deployments).sort()) {
    const d = state.deployments[dKey]!;
    const labels = d.spec.template.metadata.labels;
    const found: string[] = [];
    for (const k of Object.keys(labels)) {
      for (const s of byAnchor.get(`${d.metadata.namespace}|${k}=${labels[k]!}`) ?? []) {
        if (selectorMatches(state.services[s]!.spec.selector, labels)) found.push(s);
      }
    }
    out.set(dKey, found.sort());
  }
  return out;
}

/**
 * The call graph: `input.callGraph` (names or keys) when declared, else an edge from each Service of a
 * Deployment to every other Service (same namespace) named in that Deployment's container env values.
 */
export function buildCallGraph(state: SimState, input: SimInput): Record<string, string[]> {
  const graph: Record<string, string[]> = Object.create(null);
  for (const key of Object.keys(state.services).sort()) graph[key] = [];
  if (input.callGraph) {
    for (const [from, tos] of Object.entries(input.callGraph)) {
      const k = refKey(from);
      graph[k] = [...new Set(tos.map(refKey))].filter((t) => t !== k).sort();
    }
    return sortRecord(graph);
  }
  const bySvc = servicesOfDeployments(state);
  for (const [dKey, froms] of bySvc) {
    const d = state.deployments[dKey]!;
    const ns = d.metadata.namespace;
    const targets = new Set<string>();
    for (const c of d.spec.template.spec.containers) {
      for (const e of c.env) {
        if (!e.value) continue;
        for (const host of hostsIn(e.value)) {
          const k = objKey(ns, host);
          if (state.services[k]) targets.add(k);
        }
      }
    }
    for (const from of froms) {
      const list = new Set(graph[from] ?? []);
      for (const t of targets) if (t !== from) list.add(t);
      graph[from] = [...list].sort();
    }
  }
  return sortRecord(graph);
}

/**
 * The optional (soft) calls (see {@link SimState.optionalCalls}): `input.optionalCalls` with keys and
 * values normalised like the call graph's (`name` -> `default/name`), deduplicated and sorted, keeping
 * only pairs that are edges of `graph`. Pairs that are not are dropped and listed in the returned
 * `warnings` (the scenario layer rejects them earlier with a ScenarioError). Callers left with no
 * optional call are omitted. Default `{}`: every call is hard. O(optional pairs x log).
 */
export function buildOptionalCalls(input: SimInput, graph: Record<string, string[]>): { optionalCalls: Record<string, string[]>; warnings: string[] } {
  const merged: Record<string, Set<string>> = Object.create(null);
  const warnings: string[] = [];
  for (const from of Object.keys(input.optionalCalls ?? {}).sort()) {
    const k = refKey(from);
    const edges = new Set(graph[k] ?? []);
    const set = (merged[k] ??= new Set());
    for (const to of input.optionalCalls![from] ?? []) {
      const t = refKey(to);
      if (edges.has(t)) set.add(t);
      else warnings.push(`optional call "${from}" -> "${to}" ignored: not an edge of the call graph`);
    }
  }
  const optionalCalls: Record<string, string[]> = Object.create(null);
  for (const k of Object.keys(merged).sort()) if (merged[k]!.size > 0) optionalCalls[k] = [...merged[k]!].sort();
  return { optionalCalls, warnings };
}

function sortRecord(r: Record<string, string[]>): Record<string, string[]> {
  const out: Record<string, string[]> = Object.create(null);
  for (const k of Object.keys(r).sort()) out[k] = r[k]!;
  return out;
}

/**
 * Traffic entry points: `input.ingress` when declared; else every LoadBalancer/NodePort Service; else the
 * call-graph roots (Services nobody calls; the user-facing Service when there are no edges) — with `input.rps` (default 100 requests/s) split equally.
 */
export function buildIngress(state: SimState, input: SimInput, graph: Record<string, string[]>): SimState['ingress'] {
  if (input.ingress) return input.ingress.map((i) => (i.from === undefined ? { service: refKey(i.service), rps: i.rps } : { service: refKey(i.service), rps: i.rps, from: refKey(i.from) }));
  let entries = Object.keys(state.services).sort().filter((k) => {
    const t = state.services[k]!.spec.type;
    return t === 'LoadBalancer' || t === 'NodePort';
  });
  if (entries.length === 0) {
    const called = new Set(Object.values(graph).flat());
    entries = Object.keys(graph).sort().filter((k) => !called.has(k) && (graph[k]?.length ?? 0) > 0);
    const ufs = refKey(input.userFacingService);
    if (entries.length === 0 && state.services[ufs]) entries = [ufs];
    if (entries.length === 0) entries = Object.keys(graph).sort().filter((k) => !called.has(k));
  }
  const total = input.rps ?? DEFAULT_RPS;
  return entries.map((service) => ({ service, rps: entries.length > 0 ? total / entries.length : 0 }));
}
