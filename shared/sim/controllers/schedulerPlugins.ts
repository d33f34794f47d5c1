/**
 * The pure parts of kube-scheduler's default plugins that ./scheduler.ts runs per (pod, node): taint
 * matching (TaintToleration), node selectors and node affinity (NodeAffinity), label selectors
 * (PodTopologySpread). No state, no I/O. (The DefaultTolerationSeconds admission is the Pod kind's defaulting, ../kinds/pod.ts.)
 *
 * Sources: K staging/src/k8s.io/api/core/v1/toleration.go (ToleratesTaint),
 * K staging/src/k8s.io/component-helpers/scheduling/corev1/nodeaffinity/nodeaffinity.go,
 * https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/,
 * https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/.
 *
 * May import ../types.ts only.
 */
import type { FullLabelSelector, LabelSelectorRequirement, Node, NodeSelectorRequirement, NodeSelectorTerm, Pod, Taint, Toleration } from '../types.ts';

/** Taint of a cordoned node (`spec.unschedulable`), tolerated by NodeUnschedulable when a pod tolerates it. */
export const UNSCHEDULABLE_TAINT = 'node.kubernetes.io/unschedulable';

/** `Toleration.ToleratesTaint`: effect (empty = all), key (empty = all, with Exists), Equal compares values. */
export function toleratesTaint(t: Toleration, taint: Taint): boolean {
  if (t.effect !== undefined && t.effect !== taint.effect) return false;
  if ((t.key ?? '') !== '' && t.key !== taint.key) return false;
  const op = t.operator ?? 'Equal';
  if (op === 'Exists') return true;
  return op === 'Equal' && (t.value ?? '') === (taint.value ?? '');
}

/** True when one of `tolerations` tolerates `taint`. */
export function tolerated(tolerations: readonly Toleration[] | undefined, taint: Taint): boolean {
  if (!tolerations) return false;
  for (const t of tolerations) if (toleratesTaint(t, taint)) return true;
  return false;
}

/** The first NoSchedule/NoExecute taint of the node the pod does not tolerate (TaintToleration Filter). */
export function untoleratedTaint(node: Node, tolerations: readonly Toleration[] | undefined): Taint | undefined {
  for (const taint of node.spec.taints) {
    if (taint.effect === 'PreferNoSchedule') continue;
    if (!tolerated(tolerations, taint)) return taint;
  }
  return undefined;
}

/** PreferNoSchedule taints the pod does not tolerate (TaintToleration Score, before normalising). */
export function intolerablePreferNoSchedule(node: Node, tolerations: readonly Toleration[] | undefined): number {
  let n = 0;
  for (const taint of node.spec.taints) {
    if (taint.effect !== 'PreferNoSchedule') continue;
    let ok = false;
    if (tolerations) for (const t of tolerations) if ((t.effect === undefined || t.effect === 'PreferNoSchedule') && toleratesTaint(t, taint)) ok = true;
    if (!ok) n++;
  }
  return n;
}

/** True when the pod tolerates a cordoned node (NodeUnschedulable: a toleration of `node.kubernetes.io/unschedulable:NoSchedule`). */
export function toleratesUnschedulable(pod: Pod): boolean {
  return tolerated(pod.spec.tolerations, { key: UNSCHEDULABLE_TAINT, effect: 'NoSchedule' });
}

/** Go's strconv.ParseInt(s, 10, 64) accepted (decimal integer), as a number, or null. */
function parseInt64(s: string): number | null {
  return /^[+-]?\d+$/.test(s) ? Number(s) : null;
}

/** One node selector requirement against a label value (`undefined` = label absent). */
export function nodeRequirementMatches(r: NodeSelectorRequirement, value: string | undefined): boolean {
  const vals = r.values ?? [];
  switch (r.operator) {
    case 'In':
      return value !== undefined && vals.includes(value);
    case 'NotIn':
      return value === undefined || !vals.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
    case 'Lt': {
      if (value === undefined || vals.length !== 1) return false;
      const a = parseInt64(value);
      const b = parseInt64(vals[0]!);
      if (a === null || b === null) return false;
      return r.operator === 'Gt' ? a > b : a < b;
    }
    default:
      return false;
  }
}

/** A NodeSelectorTerm: all requirements must match; a term with none matches no node. `matchFields` knows `metadata.name`. */
export function nodeTermMatches(term: NodeSelectorTerm, node: Node): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  for (const r of exprs) if (!nodeRequirementMatches(r, node.metadata.labels[r.key])) return false;
  for (const r of fields) if (!nodeRequirementMatches(r, r.key === 'metadata.name' ? node.metadata.name : undefined)) return false;
  return true;
}

/** True when the pod has a nodeSelector or required node affinity (NodeAffinity filters for it). */
export function hasRequiredNodeAffinity(pod: Pod): boolean {
  const sel = pod.spec.nodeSelector;
  if (sel) for (const _ in sel) return true;
  return pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution !== undefined;
}

/** NodeAffinity Filter: the nodeSelector (every pair) and one of the required terms (ORed) match. */
export function requiredNodeAffinityMatches(pod: Pod, node: Node): boolean {
  const sel = pod.spec.nodeSelector;
  if (sel) for (const k in sel) if (node.metadata.labels[k] !== sel[k]) return false;
  const req = pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (!req) return true;
  for (const term of req.nodeSelectorTerms) if (nodeTermMatches(term, node)) return true;
  return false;
}

/** NodeAffinity Score before normalising: the sum of the weights of the preferred terms the node matches. */
export function preferredNodeAffinityScore(pod: Pod, node: Node): number {
  const pref = pod.spec.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution;
  if (!pref) return 0;
  let s = 0;
  for (const p of pref) if (p.weight !== 0 && nodeTermMatches(p.preference, node)) s += p.weight;
  return s;
}

/** A `metav1.LabelSelector` with expressions, compiled: `nothing` for a nil selector (matches no pod). */
export interface CompiledSelector {
  labels: [string, string][];
  exprs: LabelSelectorRequirement[];
  nothing: boolean;
  /** Canonical text (sorted pairs and expressions): equal selectors have equal keys. */
  key: string;
}

/** Compiles a label selector, ANDing `extra` pairs (matchLabelKeys). `undefined` selects nothing (LabelSelectorAsSelector(nil)). */
export function compileSelector(sel: FullLabelSelector | undefined, extra: [string, string][] = []): CompiledSelector {
  if (!sel) return { labels: [], exprs: [], nothing: true, key: '<nothing>' };
  const pairs = new Map<string, string>();
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) pairs.set(k, v);
  for (const [k, v] of extra) pairs.set(k, v);
  const labels = [...pairs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const exprs = [...(sel.matchExpressions ?? [])].map((e) => ({ ...e, values: [...(e.values ?? [])].sort() }));
  const exprKey = exprs.map((e) => `${e.key} ${e.operator} ${e.values.join(',')}`).sort();
  exprs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.operator < b.operator ? -1 : a.operator > b.operator ? 1 : 0));
  return { labels, exprs, nothing: false, key: `${labels.map(([k, v]) => `${k}=${v}`).join(',')};${exprKey.join(';')}` };
}

/** True when `labels` match the compiled selector (empty selector: every pod; nil: none). */
export function selectorMatchesLabels(sel: CompiledSelector, labels: Record<string, string>): boolean {
  if (sel.nothing) return false;
  for (const [k, v] of sel.labels) if (labels[k] !== v) return false;
  for (const e of sel.exprs) {
    const v = labels[e.key];
    const vals = e.values ?? [];
    switch (e.operator) {
      case 'In':
        if (v === undefined || !vals.includes(v)) return false;
        break;
      case 'NotIn':
        if (v !== undefined && vals.includes(v)) return false;
        break;
      case 'Exists':
        if (v === undefined) return false;
        break;
      case 'DoesNotExist':
        if (v !== undefined) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/**
 * The taint manager's toleration time for a pod on a node with these NoExecute taints, sim seconds
 * (K pkg/controller/tainteviction getMinTolerationTime): 0 when a NoExecute taint is not tolerated
 * (evict now) or a matching `tolerationSeconds` is <= 0; `Infinity` when the matching tolerations set
 * no `tolerationSeconds` (stay bound); else the smallest matching `tolerationSeconds`.
 */
export function noExecuteTolerationSeconds(tolerations: readonly Toleration[] | undefined, taints: readonly Taint[]): number {
  let min = Infinity;
  let any = false;
  for (const taint of taints) {
    if (taint.effect !== 'NoExecute') continue;
    any = true;
    let ok = false;
    for (const t of tolerations ?? []) {
      if (!toleratesTaint(t, taint)) continue;
      ok = true;
      if (t.tolerationSeconds !== undefined) {
        if (t.tolerationSeconds <= 0) return 0;
        if (t.tolerationSeconds < min) min = t.tolerationSeconds;
      }
    }
    if (!ok) return 0;
  }
  return any ? min : Infinity;
}

// ---------------------------------------------------------------------------------------------------
// ImageLocality (issue 6; K pkg/scheduler/framework/plugins/imagelocality/image_locality.go): a Node
// that already holds the Pod's container images scores higher, the images' sizes scaled by the share of
// Nodes holding them (an image on every Node says nothing), clamped and mapped to 0..100.
// ---------------------------------------------------------------------------------------------------

/** Bytes in a MiB (image_locality.go `mb`). */
export const MIB_BYTES = 1024 * 1024;
/** ImageLocality minThreshold, bytes (23 MiB): a sum below it scores 0. */
export const IMAGE_LOCALITY_MIN_THRESHOLD = 23 * MIB_BYTES;
/** ImageLocality maxContainerThreshold, bytes per container (1000 MiB): a sum at or above `containers x` it scores 100. */
export const IMAGE_LOCALITY_MAX_CONTAINER_THRESHOLD = 1000 * MIB_BYTES;

/**
 * image_locality.go normalizedImageName: `:latest` appended when the reference has no tag (no `:` after
 * its last `/`). A digest reference (`@sha256:...`) already has a `:` there and is kept as is.
 */
export function normalizedImageName(image: string): string {
  return image.lastIndexOf(':') <= image.lastIndexOf('/') ? `${image}:latest` : image;
}

/**
 * scaledImageScore: an image's size, bytes, times the share of Nodes holding it (`int64(float64(size) *
 * spread)`). `numNodes` Nodes of `totalNodes` list it.
 */
export function scaledImageScore(sizeBytes: number, numNodes: number, totalNodes: number): number {
  return totalNodes <= 0 ? 0 : Math.trunc(sizeBytes * (numNodes / totalNodes));
}

/**
 * calculatePriority: the Node's summed scaled image scores, bytes, clamped to [23 MiB, 1000 MiB x
 * `containers`] (init containers included), to a 0..100 score (integer division, as the Go int64s).
 */
export function imageLocalityPriority(sumBytes: number, containers: number): number {
  const max = IMAGE_LOCALITY_MAX_CONTAINER_THRESHOLD * containers;
  const s = sumBytes < IMAGE_LOCALITY_MIN_THRESHOLD ? IMAGE_LOCALITY_MIN_THRESHOLD : sumBytes > max ? max : sumBytes;
  return max <= IMAGE_LOCALITY_MIN_THRESHOLD ? 0 : Math.trunc((100 * (s - IMAGE_LOCALITY_MIN_THRESHOLD)) / (max - IMAGE_LOCALITY_MIN_THRESHOLD));
}

/** The normalised image names of a Pod's containers, init containers first (sumImageScores' order; a name twice counts twice, as in Go). */
export function podImageNames(pod: Pod): string[] {
  const out: string[] = [];
  for (const c of pod.spec.initContainers ?? []) out.push(normalizedImageName(c.image));
  for (const c of pod.spec.containers) out.push(normalizedImageName(c.image));
  return out;
}
