/**
 * kube-scheduler's InterPodAffinity plugin (default profile, Filter + Score weight 2) for one incoming
 * pod: `spec.affinity.podAffinity` / `podAntiAffinity` required terms as a Filter, preferred terms
 * (weights) as a Score, and the existing pods' terms (required anti-affinity: the symmetry rule in the
 * Filter; required affinity with hardPodAffinityWeight 1 and preferred terms in the Score).
 *
 * Source: K pkg/scheduler/framework/plugins/interpodaffinity (filtering.go PreFilter / Filter:
 * satisfyPodAffinity, satisfyPodAntiAffinity, satisfyExistingPodsAntiAffinity; scoring.go PreScore /
 * Score / NormalizeScore), https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#inter-pod-affinity-and-anti-affinity.
 *
 * Existing pods are the bound pods (`spec.nodeName` set, terminating ones included, Succeeded/Failed
 * ones not, as the scheduler cache). Cost per attempt: the bound pods of the index's `podsWithPodAffinity`
 * (existing pods' terms; Pending pods are not in it) plus, per own term, the pods of the matching label sets (`podsByLabel`), or
 * the bound pods when the term's selector has no matchLabels or spans every namespace. Nothing when
 * neither the pod nor any bound pod has pod (anti-)affinity: {@link prepareInterPodAffinity} returns null.
 * `namespaceSelector`: `{}` selects every namespace; otherwise it is matched against the namespace's
 * `kubernetes.io/metadata.name` label only (the sim keeps no other namespace labels).
 */
import { getIndex, labelSetId } from '../cache.ts';
import type { Node, Pod, PodAffinityTerm, SimState } from '../types.ts';
import { compileSelector, selectorMatchesLabels, type CompiledSelector } from './schedulerPlugins.ts';

/** Filter reasons (filtering.go). */
export const REASON_POD_AFFINITY = "node(s) didn't match pod affinity rules";
export const REASON_POD_ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules";
export const REASON_EXISTING_ANTI_AFFINITY = "node(s) didn't satisfy existing pods anti-affinity rules";
/** InterPodAffinityArgs.hardPodAffinityWeight default. */
export const HARD_POD_AFFINITY_WEIGHT = 1;

/** A term compiled for matching: selector, namespaces (null = every namespace), topology key, weight. */
interface Term {
  sel: CompiledSelector;
  ns: Set<string> | null;
  nsSel: CompiledSelector | null;
  key: string;
  weight: number;
}

/** Counts (or weight sums) per topology key, then per domain value. */
type PairCounts = Map<string, Map<string, number>>;

/** The PreFilter / PreScore state of one incoming pod (valid until the next binding). */
export interface InterPodAffinityState {
  affinity: Term[];
  anti: Term[];
  affinityCounts: PairCounts;
  antiCounts: PairCounts;
  existingAnti: PairCounts;
  /** True when the pod matches all its own required affinity terms (the first pod of a self-affine group). */
  selfMatch: boolean;
  /** Score per (key, value) from the pod's own preferred terms; null when nothing scores. */
  score: PairCounts | null;
  /** Score per (key, value) from the existing pods' terms (shared through the cache: read only). */
  existingScore: PairCounts | null;
}

/** The existing pods' terms as they concern pods of one namespace and label set. */
export interface ExistingTerms {
  existingAnti: PairCounts;
  score: PairCounts;
  any: boolean;
  scored: boolean;
}

/**
 * A cache of {@link ExistingTerms} by the incoming pod's label set ({@link labelSetId}), valid while no
 * pod with pod (anti-)affinity is bound or removed: the scheduler keeps one per pass and clears it then.
 */
export type ExistingTermsCache = Map<string, ExistingTerms>;

/** The existing (bound) pods' terms that match `pod`: O(bound pods with pod affinity). */
function existingTerms(state: SimState, pod: Pod): ExistingTerms {
  const idx = getIndex(state);
  const out: ExistingTerms = { existingAnti: new Map(), score: new Map(), any: false, scored: false };
  for (const key of idx.podsWithPodAffinity) {
    const e = state.pods[key];
    if (!existing(e)) continue;
    const ea = compileAll(e, e.spec.affinity?.podAffinity);
    const en = compileAll(e, e.spec.affinity?.podAntiAffinity);
    for (const t of en.req) {
      if (!termMatches(t, pod)) continue;
      const v = nodeLabel(state, e, t.key);
      if (v === undefined) continue;
      addPair(out.existingAnti, t.key, v, 1);
      out.any = true;
    }
    for (const [terms, sign] of [[ea.req, 1], [ea.pref, 1], [en.pref, -1]] as const) {
      for (const t of terms) {
        if (!termMatches(t, pod)) continue;
        const v = nodeLabel(state, e, t.key);
        if (v === undefined) continue;
        addPair(out.score, t.key, v, sign * t.weight);
        out.any = out.scored = true;
      }
    }
  }
  return out;
}

function compileTerm(t: PodAffinityTerm, ownerNs: string, weight: number): Term {
  let ns: Set<string> | null = new Set(t.namespaces ?? []);
  let nsSel: CompiledSelector | null = null;
  if (t.namespaceSelector) {
    const s = t.namespaceSelector;
    const empty = Object.keys(s.matchLabels ?? {}).length === 0 && (s.matchExpressions ?? []).length === 0;
    if (empty) ns = null;
    else nsSel = compileSelector(s);
  } else if (ns.size === 0) ns.add(ownerNs);
  return { sel: compileSelector(t.labelSelector), ns, nsSel, key: t.topologyKey, weight };
}

function nsMatches(term: Term, ns: string): boolean {
  if (term.ns === null) return true;
  if (term.ns.has(ns)) return true;
  return term.nsSel !== null && selectorMatchesLabels(term.nsSel, { 'kubernetes.io/metadata.name': ns });
}

function termMatches(term: Term, pod: Pod): boolean {
  return nsMatches(term, pod.metadata.namespace) && selectorMatchesLabels(term.sel, pod.metadata.labels);
}

function addPair(m: PairCounts, key: string, value: string, by: number): void {
  let inner = m.get(key);
  if (!inner) m.set(key, (inner = new Map()));
  inner.set(value, (inner.get(value) ?? 0) + by);
}

function pairCount(m: PairCounts, key: string, value: string): number {
  return m.get(key)?.get(value) ?? 0;
}

/** A pod that counts as existing: bound, not Succeeded/Failed. */
function existing(pod: Pod | undefined): pod is Pod & { spec: { nodeName: string } } {
  return pod !== undefined && pod.spec.nodeName !== undefined && pod.status.phase !== 'Succeeded' && pod.status.phase !== 'Failed';
}

/**
 * Visits, once each, every existing pod that may match `term` (a superset; callers re-check), in index
 * order: by the label index when the term names its namespaces and has matchLabels, else every bound pod.
 */
function forEachCandidate(state: SimState, term: Term, visit: (key: string, pod: Pod) => void): void {
  const idx = getIndex(state);
  if (term.sel.nothing) return;
  if (term.ns !== null && term.nsSel === null && term.sel.labels.length > 0) {
    for (const ns of [...term.ns].sort()) {
      let best: Set<string> | undefined;
      let none = false;
      for (const [k, v] of term.sel.labels) {
        const s = idx.podsByLabel.get(`${ns}|${k}=${v}`);
        if (!s) {
          none = true;
          break;
        }
        if (!best || s.size < best.size) best = s;
      }
      if (none || !best) continue;
      for (const id of best) {
        for (const key of idx.podsByLabelSet.get(id) ?? []) {
          const p = state.pods[key];
          if (existing(p)) visit(key, p);
        }
      }
    }
    return;
  }
  for (const keys of idx.podsByNode.values()) {
    for (const key of keys) {
      const p = state.pods[key];
      if (existing(p)) visit(key, p);
    }
  }
}

function nodeLabel(state: SimState, pod: Pod, key: string): string | undefined {
  const node = pod.spec.nodeName === undefined ? undefined : state.nodes[pod.spec.nodeName];
  return node?.metadata.labels[key];
}

type Rules = NonNullable<NonNullable<Pod['spec']['affinity']>['podAffinity']>;
const NO_TERMS: { req: Term[]; pref: Term[] } = Object.freeze({ req: [], pref: [] });
/** Compiled terms per rules object (a pod's spec is not changed in place), so each pod's are compiled once. */
const compiled = new WeakMap<Rules, { ns: string; terms: { req: Term[]; pref: Term[] } }>();

function compileAll(pod: Pod, rules: Rules | undefined): { req: Term[]; pref: Term[] } {
  if (!rules) return NO_TERMS;
  const ns = pod.metadata.namespace;
  const hit = compiled.get(rules);
  if (hit && hit.ns === ns) return hit.terms;
  const terms = {
    req: (rules.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => compileTerm(t, ns, HARD_POD_AFFINITY_WEIGHT)),
    pref: (rules.preferredDuringSchedulingIgnoredDuringExecution ?? []).filter((w) => w.weight !== 0).map((w) => compileTerm(w.podAffinityTerm, ns, w.weight)),
  };
  compiled.set(rules, { ns, terms });
  return terms;
}

/**
 * PreFilter + PreScore of InterPodAffinity for `pod` (key `podKey`) against the current bindings, or
 * null when the plugin has nothing to do for it (no own terms; no existing pod's term matches it).
 */
export function prepareInterPodAffinity(state: SimState, podKey: string, pod: Pod, cache?: ExistingTermsCache): InterPodAffinityState | null {
  const idx = getIndex(state);
  const a = pod.spec.affinity;
  if (idx.podsWithPodAffinity.size === 0 && (!a || (!a.podAffinity && !a.podAntiAffinity))) return null; // the common case: O(1)
  const aff = compileAll(pod, pod.spec.affinity?.podAffinity);
  const anti = compileAll(pod, pod.spec.affinity?.podAntiAffinity);
  // Existing pods' terms (symmetry), per label set: the incoming pod is Pending, so never among them.
  let ex: ExistingTerms | undefined;
  const setId = cache ? labelSetId(pod.metadata.namespace, pod.metadata.labels) : '';
  if (cache) ex = cache.get(setId);
  if (!ex) {
    ex = existingTerms(state, pod);
    if (cache) cache.set(setId, ex);
  }
  const own = aff.req.length + anti.req.length + aff.pref.length + anti.pref.length > 0;
  if (!own && !ex.any) return null;
  const score: PairCounts = new Map();
  const st: InterPodAffinityState = { affinity: aff.req, anti: anti.req, affinityCounts: new Map(), antiCounts: new Map(), existingAnti: ex.existingAnti, selfMatch: false, score: null, existingScore: ex.scored ? ex.score : null };
  const scored = aff.pref.length + anti.pref.length > 0;
  // The incoming pod's required affinity: existing pods matching every term, counted per term's domain.
  if (aff.req.length > 0) {
    st.selfMatch = aff.req.every((t) => termMatches(t, pod));
    forEachCandidate(state, aff.req[0]!, (key, e) => {
      if (key === podKey || !aff.req.every((t) => termMatches(t, e))) return;
      for (const t of aff.req) {
        const v = nodeLabel(state, e, t.key);
        if (v !== undefined) addPair(st.affinityCounts, t.key, v, 1);
      }
    });
  }
  for (const t of anti.req) {
    forEachCandidate(state, t, (key, e) => {
      if (key === podKey || !termMatches(t, e)) return;
      const v = nodeLabel(state, e, t.key);
      if (v !== undefined) addPair(st.antiCounts, t.key, v, 1);
    });
  }
  for (const [terms, sign] of [[aff.pref, 1], [anti.pref, -1]] as const) {
    for (const t of terms) {
      forEachCandidate(state, t, (key, e) => {
        if (key === podKey || !termMatches(t, e)) return;
        const v = nodeLabel(state, e, t.key);
        if (v !== undefined) addPair(score, t.key, v, sign * t.weight);
      });
    }
  }
  if (scored) st.score = score;
  return st;
}

/** Filter for one node: null when it passes, else the reason and whether preemption could not help (filtering.go Filter). */
export function interPodAffinityFilter(st: InterPodAffinityState, node: Node): { reason: string; unresolvable: boolean } | null {
  const labels = node.metadata.labels;
  if (st.affinity.length > 0) {
    let exist = true;
    let ok = true;
    for (const t of st.affinity) {
      const v = labels[t.key];
      if (v === undefined) {
        ok = false;
        break;
      }
      if (pairCount(st.affinityCounts, t.key, v) <= 0) exist = false;
    }
    if (ok && !exist) ok = st.affinityCounts.size === 0 && st.selfMatch;
    if (!ok) return { reason: REASON_POD_AFFINITY, unresolvable: true };
  }
  for (const t of st.anti) {
    const v = labels[t.key];
    if (v !== undefined && pairCount(st.antiCounts, t.key, v) > 0) return { reason: REASON_POD_ANTI_AFFINITY, unresolvable: false };
  }
  for (const [key, m] of st.existingAnti) {
    const v = labels[key];
    if (v !== undefined && (m.get(v) ?? 0) > 0) return { reason: REASON_EXISTING_ANTI_AFFINITY, unresolvable: false };
  }
  return null;
}

/** Score before normalising (scoring.go Score): the summed weights of the node's domains. */
export function interPodAffinityRawScore(st: InterPodAffinityState, node: Node): number {
  let s = 0;
  for (const m of [st.score, st.existingScore]) {
    if (!m) continue;
    for (const [key, inner] of m) {
      const v = node.metadata.labels[key];
      if (v !== undefined) s += inner.get(v) ?? 0;
    }
  }
  return s;
}

/** NormalizeScore (scoring.go): `trunc(100 * (s - min) / (max - min))`, 0 for every node when max = min. */
export function normalizeInterPodAffinity(raw: ArrayLike<number>, count: number, out: (i: number, score: number) => void): void {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < count; i++) {
    const s = raw[i]!;
    if (s > max) max = s;
    if (s < min) min = s;
  }
  const diff = max - min;
  for (let i = 0; i < count; i++) out(i, diff > 0 ? Math.trunc((100 * (raw[i]! - min)) / diff) : 0);
}

/**
 * (issue 6) The Filter on `node` as if the pods `removed` (bound there) were gone: DefaultPreemption's
 * SelectVictimsOnNode re-runs the Filters after removing the lower-priority pods (K
 * pkg/scheduler/framework/plugins/defaultpreemption/default_preemption.go, RemovePod of InterPodAffinity's
 * PreFilterExtensions). The removed pods leave the incoming pod's anti-affinity and affinity counts of the
 * node's domains and take their own anti-affinity terms with them. True when the pod passes.
 * O(removed x terms).
 */
export function interPodAffinityPassesWithout(st: InterPodAffinityState, pod: Pod, node: Node, removed: readonly Pod[]): boolean {
  const labels = node.metadata.labels;
  if (st.affinity.length > 0) {
    for (const t of st.affinity) {
      const v = labels[t.key];
      if (v === undefined) return false;
      let gone = 0;
      for (const r of removed) if (st.affinity.every((a) => termMatches(a, r))) gone++;
      if (pairCount(st.affinityCounts, t.key, v) - gone <= 0 && !(st.affinityCounts.size === 0 && st.selfMatch)) return false;
    }
  }
  for (const t of st.anti) {
    const v = labels[t.key];
    if (v === undefined) continue;
    let gone = 0;
    for (const r of removed) if (termMatches(t, r)) gone++;
    if (pairCount(st.antiCounts, t.key, v) - gone > 0) return false;
  }
  if (st.existingAnti.size > 0) {
    const less: PairCounts = new Map();
    for (const r of removed) {
      for (const t of compileAll(r, r.spec.affinity?.podAntiAffinity).req) {
        const v = labels[t.key];
        if (v !== undefined && termMatches(t, pod)) addPair(less, t.key, v, 1);
      }
    }
    for (const [key, m] of st.existingAnti) {
      const v = labels[key];
      if (v !== undefined && (m.get(v) ?? 0) - pairCount(less, key, v) > 0) return false;
    }
  }
  return true;
}
