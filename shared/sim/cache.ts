/**
 * Rebuildable lookup indexes over a {@link SimState} (pods by node / owner / image, ReplicaSets by
 * Deployment, Services by selector label, sorted node names), like client-go informer indexers.
 *
 * They live in a module-level `WeakMap<SimState, SimIndex>`, are never serialised, and are rebuilt from
 * the state whenever the state object or one of its object maps was replaced (a clone, a restore).
 * They only answer "which keys"; every place whose result depends on iteration order sorts the keys, so a
 * fresh rebuild never changes results.
 */
import type { Container, ContainerImage, Node, ObjectMeta, OwnerReference, Pod, ReplicaSet, Service, SimState } from './types.ts';

/** The index for one state. Sets hold object keys (`namespace/name`, node names). */
export interface SimIndex {
  podsRef: SimState['pods'];
  nodesRef: SimState['nodes'];
  rsRef: SimState['replicaSets'];
  servicesRef: SimState['services'];
  podsByNode: Map<string, Set<string>>;
  podsByOwner: Map<string, Set<string>>;
  podsByImage: Map<string, Set<string>>;
  rsByDeployment: Map<string, Set<string>>;
  /** `namespace|key=value` of a Service's anchor selector pair (first key sorted) -> Service keys. */
  servicesByLabel: Map<string, Set<string>>;
  /**
   * `namespace|key=value` of a pod label -> the label sets ({@link labelSetId}) carrying it (for
   * Service and PodDisruptionBudget selectors). Pods are grouped by their whole label set first: the
   * pods of one ReplicaSet share one, so no set here holds every pod of a common label (150,000 keys
   * under `tier=backend`, whose churn rehashed the whole set).
   */
  podsByLabel: Map<string, Set<string>>;
  /** Label set id -> keys of the pods carrying exactly that namespace and those labels. */
  podsByLabelSet: Map<string, Set<string>>;
  /** Label set id -> the labels (a copy). */
  labelSetLabels: Map<string, Readonly<Record<string, string>>>;
  /** Pods in {@link podsByLabelSet}, all sets together (= stored Pods: every Pod is in exactly one set). O(1) to read. */
  podCount: number;
  /**
   * Label set id -> how many of its pods are bound (`spec.nodeName` set, as {@link podsByNode}); absent
   * = none. The scheduler skips the sets of only Pending pods when it counts a spread group (createSim:
   * each ReplicaSet's 100 Pending pods, 150,000 lookups).
   */
  boundByLabelSet: Map<string, number>;
  /**
   * Stored pods with a nonzero `spec.priority` (set at admission, never changed after): while none, the
   * scheduler's PrioritySort has nothing to reorder and reads no pod of its queue for it. O(1) to read.
   */
  podsWithPriority: number;
  /** Keys of the bound pods with pod affinity or anti-affinity (the scheduler's InterPodAffinity: existing pods' terms; Pending ones do not count, so 100,000 of them cost nothing). */
  podsWithPodAffinity: Set<string>;
  /**
   * Node name -> (pod key -> the host ports it holds) for the bound pods that declare a `hostPort`
   * (the scheduler's NodePorts filter, {@link hostPortConflict}; Node `UsedPorts` of K framework
   * NodeInfo). Pods without host ports are not in it, so it costs nothing for them.
   */
  hostPortsByNode: Map<string, Map<string, readonly HostPortWant[]>>;
  sortedNodeNames: string[];
  /** The Node objects in `sortedNodeNames` order (the scheduler's hot loop). */
  sortedNodes: Node[];
  /** Position of each node name in `sortedNodeNames` (node and pod addresses). */
  nodeIndex: Map<string, number>;
  /**
   * (issue 6) Image name (a `status.images[].names` entry) -> how many Nodes list it: the scheduler's
   * ImageLocality `ImageStateSummary.NumNodes`, kept by {@link indexNodeImages} and recounted when Nodes
   * are added or removed.
   */
  imageNodeCount: Map<string, ImageStateSummary>;
}

/** (issue 6) K framework ImageStateSummary: an image's size, bytes, and how many Nodes list it. */
export interface ImageStateSummary {
  sizeBytes: number;
  numNodes: number;
}

const indexes = new WeakMap<SimState, SimIndex>();

function add(map: Map<string, Set<string>>, k: string, v: string): void {
  let s = map.get(k);
  if (!s) map.set(k, (s = new Set()));
  s.add(v);
}

function del(map: Map<string, Set<string>>, k: string, v: string): void {
  const s = map.get(k);
  if (!s) return;
  s.delete(v);
  if (s.size === 0) map.delete(k);
}

/**
 * The controller owner reference of an object (`metav1.GetControllerOf`: the one reference with
 * `controller: true`), optionally only of `kind`. Undefined for an object nobody controls.
 */
export function controllerOf(obj: { metadata: ObjectMeta }, kind?: string): OwnerReference | undefined {
  for (const r of obj.metadata.ownerReferences) if (r.controller && (kind === undefined || r.kind === kind)) return r;
  return undefined;
}

/**
 * Key (`namespace/name`) of the object of `kind` controlling `obj` (same namespace: owner references
 * never cross namespaces), or '' when no such controller. Generic over kinds: a Pod's ReplicaSet, a
 * ReplicaSet's Deployment, and later a Pod's StatefulSet / DaemonSet / Job.
 */
export function controllerKey(obj: { metadata: ObjectMeta }, kind: string): string {
  const ref = controllerOf(obj, kind);
  return ref ? `${obj.metadata.namespace}/${ref.name}` : '';
}

/** Key of the ReplicaSet controlling a pod, or '' (bare pod). Thin wrapper over {@link controllerKey}. */
export function podOwnerKey(pod: Pod): string {
  return controllerKey(pod, 'ReplicaSet');
}

/** Key of the Deployment controlling a ReplicaSet, or ''. Thin wrapper over {@link controllerKey}. */
export function rsOwnerKey(rs: ReplicaSet): string {
  return controllerKey(rs, 'Deployment');
}

/** Pod-owning kinds whose workqueue entries (in `state.dirty.replicaSets`) carry a `Kind:` prefix. */
const PREFIXED_OWNER_KINDS: ReadonlySet<string> = new Set(['ReplicationController', 'StatefulSet', 'DaemonSet', 'Job']);

/**
 * The workqueue key of a pod's controller (also its `podsByOwner` index key): `namespace/name` for a
 * ReplicaSet, `Kind:namespace/name` for a ReplicationController, StatefulSet or DaemonSet (queued in
 * the ReplicaSet workqueue, see controllers/replicaset.ts), '' for a bare pod.
 */
export function podWorkqueueKey(pod: Pod): string {
  for (const r of pod.metadata.ownerReferences) {
    if (!r.controller) continue;
    if (r.kind === 'ReplicaSet') return `${pod.metadata.namespace}/${r.name}`;
    if (PREFIXED_OWNER_KINDS.has(r.kind)) return `${r.kind}:${pod.metadata.namespace}/${r.name}`;
  }
  return '';
}

/** Label set ids already computed, by labels object (the pods of one ReplicaSet share theirs). */
const labelSetIds = new WeakMap<Record<string, string>, { ns: string; id: string }>();

/**
 * The id of a pod's label set: `namespace|` + its labels, sorted by key, as JSON (a pure function
 * of namespace and labels, so a rebuilt index has the same ids).
 */
export function labelSetId(namespace: string, labels: Record<string, string>): string {
  const hit = labelSetIds.get(labels);
  if (hit !== undefined && hit.ns === namespace) return hit.id;
  const keys = Object.keys(labels).sort();
  const id = `${namespace}|${JSON.stringify(keys.map((k) => [k, labels[k]]))}`;
  if (Object.isFrozen(labels)) labelSetIds.set(labels, { ns: namespace, id }); // a mutable one could change
  return id;
}

/**
 * One host port a container asks for: `hostIP` (default `0.0.0.0`: every address), protocol (default
 * TCP), port 1-65535. Source: K pkg/scheduler/framework/types.go HostPortInfo (sanitize), plugins/nodeports.
 */
export interface HostPortWant {
  ip: string;
  protocol: string;
  port: number;
}

const NO_HOST_PORTS: readonly HostPortWant[] = Object.freeze([]);
/** By containers array (the pods of one ReplicaSet share theirs; ports never change in place). */
const hostPortsCache = new WeakMap<Container[], readonly HostPortWant[]>();

/** The host ports `pod`'s containers ask for (`ports[].hostPort` > 0), in container order; empty for most pods. */
export function podHostPorts(pod: Pod): readonly HostPortWant[] {
  const cs = pod.spec.containers;
  let out = hostPortsCache.get(cs);
  if (out !== undefined) return out;
  let list: HostPortWant[] | null = null;
  for (const c of cs) {
    for (const p of c.ports) {
      if (p.hostPort === undefined || p.hostPort <= 0) continue;
      (list ??= []).push({ ip: p.hostIP || '0.0.0.0', protocol: p.protocol || 'TCP', port: p.hostPort });
    }
  }
  out = list === null ? NO_HOST_PORTS : Object.freeze(list);
  hostPortsCache.set(cs, out);
  return out;
}

/**
 * True when a pod bound to `node` (other than the pod keyed `except`) holds one of `want` (same port and
 * protocol, and the same IP or either one `0.0.0.0`): K framework HostPortInfo.CheckConflict.
 * O(host-port pods on the node).
 */
export function hostPortConflict(state: SimState, node: string, want: readonly HostPortWant[], except?: string): boolean {
  const m = getIndex(state).hostPortsByNode.get(node);
  if (m === undefined || want.length === 0) return false;
  for (const [holder, used] of m) {
    if (holder === except) continue;
    for (const u of used) {
      for (const w of want) {
        if (u.port === w.port && u.protocol === w.protocol && (u.ip === w.ip || u.ip === '0.0.0.0' || w.ip === '0.0.0.0')) return true;
      }
    }
  }
  return false;
}

function addHostPorts(idx: SimIndex, node: string, key: string, pod: Pod): void {
  const ports = podHostPorts(pod);
  if (ports.length === 0) return;
  let m = idx.hostPortsByNode.get(node);
  if (!m) idx.hostPortsByNode.set(node, (m = new Map()));
  m.set(key, ports);
}

function removeHostPorts(idx: SimIndex, node: string, key: string): void {
  const m = idx.hostPortsByNode.get(node);
  if (m === undefined || !m.delete(key)) return;
  if (m.size === 0) idx.hostPortsByNode.delete(node);
}

function addPodTo(idx: SimIndex, key: string, pod: Pod): void {
  if (pod.spec.nodeName) {
    add(idx.podsByNode, pod.spec.nodeName, key);
    // Host ports are held from the bind (the scheduler's, below) or the kubelet's admission of a Pod
    // created with a nodeName: both set startTime, so a rebuild finds the same holders.
    if (pod.status.startTime !== undefined) addHostPorts(idx, pod.spec.nodeName, key, pod);
  }
  const owner = podWorkqueueKey(pod);
  if (owner) add(idx.podsByOwner, owner, key);
  add(idx.podsByImage, pod.sim.image, key);
  if (pod.spec.nodeName && hasPodAffinity(pod)) idx.podsWithPodAffinity.add(key);
  const ns = pod.metadata.namespace;
  const labels = pod.metadata.labels;
  const id = labelSetId(ns, labels);
  let set = idx.podsByLabelSet.get(id);
  if (!set) {
    idx.podsByLabelSet.set(id, (set = new Set()));
    idx.labelSetLabels.set(id, { ...labels });
    for (const k in labels) add(idx.podsByLabel, `${ns}|${k}=${labels[k]}`, id);
  }
  if (!set.has(key)) {
    set.add(key);
    idx.podCount++;
    if (pod.spec.nodeName) idx.boundByLabelSet.set(id, (idx.boundByLabelSet.get(id) ?? 0) + 1);
    if ((pod.spec.priority ?? 0) !== 0) idx.podsWithPriority++;
  }
}

function removePodLabels(idx: SimIndex, key: string, pod: Pod, wasBound: boolean): void {
  const ns = pod.metadata.namespace;
  const labels = pod.metadata.labels;
  const id = labelSetId(ns, labels);
  const set = idx.podsByLabelSet.get(id);
  if (!set) return;
  if (set.delete(key)) {
    idx.podCount--;
    if (wasBound) uncountBound(idx, id);
    if ((pod.spec.priority ?? 0) !== 0) idx.podsWithPriority--;
  }
  if (set.size > 0) return;
  idx.podsByLabelSet.delete(id);
  idx.boundByLabelSet.delete(id);
  idx.labelSetLabels.delete(id);
  for (const k in labels) del(idx.podsByLabel, `${ns}|${k}=${labels[k]}`, id);
}

/** One bound pod less in label set `id` ({@link SimIndex.boundByLabelSet}). */
function uncountBound(idx: SimIndex, id: string): void {
  const bound = (idx.boundByLabelSet.get(id) ?? 0) - 1;
  if (bound > 0) idx.boundByLabelSet.set(id, bound);
  else idx.boundByLabelSet.delete(id);
}

/** A Service is indexed under one selector pair (its first key in sorted order): a pod matching the
 * selector necessarily carries that pair, so looking up each pod label finds every candidate once. */
function serviceAnchor(svc: Service): string | null {
  const keys = Object.keys(svc.spec.selector).sort();
  const k = keys[0];
  return k === undefined ? null : `${svc.metadata.namespace}|${k}=${svc.spec.selector[k]}`;
}

function addServiceTo(idx: SimIndex, key: string, svc: Service): void {
  const anchor = serviceAnchor(svc);
  if (anchor) add(idx.servicesByLabel, anchor, key);
}

function build(state: SimState): SimIndex {
  const idx: SimIndex = {
    podsRef: state.pods,
    nodesRef: state.nodes,
    rsRef: state.replicaSets,
    servicesRef: state.services,
    podsByNode: new Map(),
    podsByOwner: new Map(),
    podsByImage: new Map(),
    rsByDeployment: new Map(),
    servicesByLabel: new Map(),
    podsByLabel: new Map(),
    podsByLabelSet: new Map(),
    labelSetLabels: new Map(),
    podCount: 0,
    boundByLabelSet: new Map(),
    podsWithPriority: 0,
    podsWithPodAffinity: new Set(),
    hostPortsByNode: new Map(),
    sortedNodeNames: Object.keys(state.nodes).sort(),
    sortedNodes: [],
    nodeIndex: new Map(),
    imageNodeCount: new Map(),
  };
  countNodeImages(state, idx);
  idx.sortedNodes = idx.sortedNodeNames.map((n) => state.nodes[n]!);
  idx.sortedNodeNames.forEach((n, i) => idx.nodeIndex.set(n, i));
  for (const [key, pod] of Object.entries(state.pods)) addPodTo(idx, key, pod);
  for (const [key, rs] of Object.entries(state.replicaSets)) {
    const d = rsOwnerKey(rs);
    if (d) add(idx.rsByDeployment, d, key);
  }
  for (const [key, svc] of Object.entries(state.services)) addServiceTo(idx, key, svc);
  return idx;
}

/** The (possibly rebuilt) index of `state`. O(1) when valid, O(objects) on rebuild. */
export function getIndex(state: SimState): SimIndex {
  let idx = indexes.get(state);
  if (!idx || idx.podsRef !== state.pods || idx.nodesRef !== state.nodes || idx.rsRef !== state.replicaSets || idx.servicesRef !== state.services) {
    idx = build(state);
    indexes.set(state, idx);
  }
  return idx;
}

/*
 * Index maintenance below is called by the API server's write path (./apiserver.ts) only: a write
 * keeps the indexes it touches; nobody else calls these.
 */

/** Records a pod just added to `state.pods` (call after inserting). */
export function indexAddPod(state: SimState, key: string, pod: Pod): void {
  const idx = getIndex(state);
  // build() may already have seen it; adding to sets is idempotent.
  addPodTo(idx, key, pod);
}

/** Forgets a pod about to be removed from `state.pods` (call before deleting). */
export function indexRemovePod(state: SimState, key: string, pod: Pod): void {
  const idx = getIndex(state);
  let wasBound = false;
  if (pod.spec.nodeName) {
    wasBound = idx.podsByNode.get(pod.spec.nodeName)?.has(key) === true;
    del(idx.podsByNode, pod.spec.nodeName, key);
    removeHostPorts(idx, pod.spec.nodeName, key);
  }
  const owner = podWorkqueueKey(pod);
  if (owner) del(idx.podsByOwner, owner, key);
  del(idx.podsByImage, pod.sim.image, key);
  idx.podsWithPodAffinity.delete(key);
  removePodLabels(idx, key, pod, wasBound);
}

function hasPodAffinity(pod: Pod): boolean {
  const a = pod.spec.affinity;
  return a !== undefined && (a.podAffinity !== undefined || a.podAntiAffinity !== undefined);
}

/** Records that a pod was bound to `node` (`pod`: the bound Pod, when the caller holds it). */
export function indexBindPod(state: SimState, key: string, node: string, pod: Pod | undefined = state.pods[key]): void {
  const idx = getIndex(state);
  let onNode = idx.podsByNode.get(node);
  if (!onNode) idx.podsByNode.set(node, (onNode = new Set()));
  if (!onNode.has(key)) {
    onNode.add(key);
    if (pod) {
      // Counted once: a rebuilt index (getIndex above) has counted a pod already bound.
      const id = labelSetId(pod.metadata.namespace, pod.metadata.labels);
      if (idx.podsByLabelSet.get(id)?.has(key) === true) idx.boundByLabelSet.set(id, (idx.boundByLabelSet.get(id) ?? 0) + 1);
    }
  }
  if (pod && hasPodAffinity(pod)) idx.podsWithPodAffinity.add(key);
  if (pod) addHostPorts(idx, node, key, pod);
}

/** Records a ReplicaSet just added to `state.replicaSets`. */
export function indexAddReplicaSet(state: SimState, key: string, rs: ReplicaSet): void {
  const d = rsOwnerKey(rs);
  if (d) add(getIndex(state).rsByDeployment, d, key);
}

/** Forgets a ReplicaSet about to be removed. */
export function indexRemoveReplicaSet(state: SimState, key: string, rs: ReplicaSet): void {
  const d = rsOwnerKey(rs);
  if (d) del(getIndex(state).rsByDeployment, d, key);
}

/** (issue 6) The kubelet admitted a Pod created with `spec.nodeName`: it holds its host ports on the Node from now. */
export function indexHoldHostPorts(state: SimState, key: string, pod: Pod): void {
  if (pod.spec.nodeName) addHostPorts(getIndex(state), pod.spec.nodeName, key, pod);
}

/** Forgets that a pod was bound to `node`. */
export function indexUnbindPod(state: SimState, key: string, node: string): void {
  const idx = getIndex(state);
  const pod = state.pods[key];
  if (pod && idx.podsByNode.get(node)?.has(key) === true) {
    const id = labelSetId(pod.metadata.namespace, pod.metadata.labels);
    if (idx.podsByLabelSet.get(id)?.has(key) === true) uncountBound(idx, id);
  }
  del(idx.podsByNode, node, key);
  idx.podsWithPodAffinity.delete(key);
  removeHostPorts(idx, node, key);
}

/** Records a Service just added to `state.services`. */
export function indexAddService(state: SimState, key: string, svc: Service): void {
  addServiceTo(getIndex(state), key, svc);
}

/** Forgets a Service about to be removed (or whose selector is about to change). */
export function indexRemoveService(state: SimState, key: string, svc: Service): void {
  const anchor = serviceAnchor(svc);
  if (anchor) del(getIndex(state).servicesByLabel, anchor, key);
}

function countNodeImages(state: SimState, idx: SimIndex): void {
  idx.imageNodeCount = new Map();
  for (const node of Object.values(state.nodes)) {
    for (const img of node.status.images ?? []) for (const name of img.names) countImage(idx.imageNodeCount, name, img.sizeBytes);
  }
}

function countImage(counts: Map<string, ImageStateSummary>, name: string, sizeBytes: number): void {
  const c = counts.get(name);
  if (c) c.numNodes++;
  else counts.set(name, { sizeBytes, numNodes: 1 });
}

/**
 * (issue 6) Records a change of one Node's `status.images`: names it now lists (`added`) and names it
 * no longer lists (`removed`, dropped past the 50-image cap). O(names).
 */
export function indexNodeImages(state: SimState, added: readonly ContainerImage[], removed: readonly string[]): void {
  const counts = getIndex(state).imageNodeCount;
  for (const img of added) for (const name of img.names) countImage(counts, name, img.sizeBytes);
  for (const name of removed) {
    const c = counts.get(name);
    if (c && --c.numNodes <= 0) counts.delete(name);
  }
}

/**
 * Scratch lookups that live only while createSim's warm start settles the cluster
 * (shared/sim/create.ts `startWorkloads`, {@link withWarmStartIndexes}): answers the write path could
 * also get from the state, kept because the warm start asks them 150,000 times. Dropped when it ends,
 * so they cost a match no memory and can never be stale after it.
 */
interface WarmStartIndexes {
  /** Node name -> the image names its `status.images` lists (kept by the kubelet's recordNodeImages). */
  nodeImageNames: Map<string, Set<string>>;
}

const warmIndexes = new WeakMap<SimState, WarmStartIndexes>();
let warmIndexesOn = true;

/**
 * Tests only: whether {@link withWarmStartIndexes} provides its lookups (false: every caller takes its
 * plain path), so a test can check that the state is the same either way. Returns the previous value.
 */
export function setWarmStartIndexes(on: boolean): boolean {
  const prev = warmIndexesOn;
  warmIndexesOn = on;
  return prev;
}

/** Runs `fn` with the warm start's scratch lookups ({@link WarmStartIndexes}); they are dropped afterwards, even when `fn` throws. */
export function withWarmStartIndexes<T>(state: SimState, fn: () => T): T {
  const outer = warmIndexes.get(state);
  if (outer === undefined && warmIndexesOn) warmIndexes.set(state, { nodeImageNames: new Map() });
  try {
    return fn();
  } finally {
    if (outer === undefined) warmIndexes.delete(state);
  }
}

/**
 * (issue 6) During the warm start ({@link withWarmStartIndexes}): the names Node `node`'s
 * `status.images` (`list`) holds, as a Set the caller keeps in step with the list (the kubelet's
 * recordNodeImages, the one writer of `status.images`, adds and drops one name per image); built from
 * `list` on first use or when its size no longer matches the list's. Undefined outside the warm start,
 * or when an entry of `list` has several names or repeats one: the caller then reads the list.
 * O(1), O(list) when built.
 */
export function warmNodeImageNames(state: SimState, node: string, list: readonly ContainerImage[] | undefined): Set<string> | undefined {
  const w = warmIndexes.get(state);
  if (w === undefined) return undefined;
  const len = list === undefined ? 0 : list.length;
  let names = w.nodeImageNames.get(node);
  if (names !== undefined && names.size === len) return names;
  w.nodeImageNames.delete(node);
  names = new Set();
  if (list !== undefined) {
    for (const img of list) {
      if (img.names.length !== 1) return undefined;
      names.add(img.names[0]!);
    }
  }
  if (names.size !== len) return undefined;
  w.nodeImageNames.set(node, names);
  return names;
}

/** (issue 6) The {@link ImageStateSummary} of image `name` (Nodes listing it in `status.images`), or undefined when none. O(1). */
export function imageState(state: SimState, name: string): ImageStateSummary | undefined {
  return getIndex(state).imageNodeCount.get(name);
}

/** Re-sorts the node list after a Node was added or removed. */
export function indexNodesChanged(state: SimState): void {
  const idx = getIndex(state);
  countNodeImages(state, idx);
  idx.sortedNodeNames = Object.keys(state.nodes).sort();
  idx.sortedNodes = idx.sortedNodeNames.map((n) => state.nodes[n]!);
  idx.nodeIndex = new Map(idx.sortedNodeNames.map((n, i) => [n, i]));
}

/** UTF-16 code unit order: the default sort's, and `<` on strings. */
const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Keys of every stored Pod, sorted: the same list as `Object.keys(state.pods).sort()`, from the label
 * set index (every stored Pod is in exactly one set) instead of listing a 150,000-key dictionary object
 * and sorting it whole. Each set is sorted on its own; when the sets' key ranges do not interleave
 * (one ReplicaSet's Pods share a name prefix) they are concatenated in order, else all keys are sorted
 * together. O(pods log(pods per set)) in the first case, O(pods log pods) in the second.
 */
export function sortedPodKeys(state: SimState): string[] {
  const idx = getIndex(state);
  const parts: string[][] = [];
  let total = 0;
  for (const set of idx.podsByLabelSet.values()) {
    if (set.size === 0) continue;
    const part = [...set].sort(byCodeUnits);
    parts.push(part);
    total += part.length;
  }
  parts.sort((a, b) => byCodeUnits(a[0]!, b[0]!));
  const out: string[] = new Array<string>(total);
  let n = 0;
  let disjoint = true;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (i > 0 && !(parts[i - 1]![parts[i - 1]!.length - 1]! < part[0]!)) disjoint = false;
    for (let k = 0; k < part.length; k++) out[n++] = part[k]!;
  }
  return disjoint ? out : out.sort(byCodeUnits);
}

/** Keys in a set, sorted (use wherever the order can affect results). */
export function sortedKeys(set: Set<string> | undefined): string[] {
  return set ? [...set].sort() : [];
}

/** Keys of the Services in `namespace` whose selector matches `labels` (every selector pair present). Sorted. */
export function servicesForLabels(state: SimState, namespace: string, labels: Record<string, string>): string[] {
  const idx = getIndex(state);
  // Usually one label names an anchor: take its set as is; merge into a Set only when several do.
  let first: Set<string> | undefined;
  let merged: Set<string> | undefined;
  for (const k in labels) {
    const s = idx.servicesByLabel.get(`${namespace}|${k}=${labels[k]}`);
    if (!s) continue;
    if (!first) first = s;
    else {
      if (!merged) merged = new Set(first);
      for (const key of s) merged.add(key);
    }
  }
  const out: string[] = [];
  const candidates = merged ?? first;
  if (!candidates) return out;
  for (const key of candidates) {
    const svc = state.services[key];
    if (svc && selectorMatches(svc.spec.selector, labels)) out.push(key);
  }
  return out.sort();
}

/**
 * Visits the keys of the pods in `namespace` whose labels match a non-empty selector, in no
 * particular order: the label sets under the selector's rarest `key=value` pair that match it, and
 * their pods. O(label sets under that pair + matching pods).
 */
function forEachMatchingPod(state: SimState, namespace: string, selector: Record<string, string>, visit: (key: string) => void): void {
  const idx = getIndex(state);
  let best: Set<string> | undefined;
  for (const k in selector) {
    const s = idx.podsByLabel.get(`${namespace}|${k}=${selector[k]}`);
    if (!s) return;
    if (!best || s.size < best.size) best = s;
  }
  if (!best) return;
  for (const id of best) {
    if (!selectorMatches(selector, idx.labelSetLabels.get(id)!)) continue;
    for (const key of idx.podsByLabelSet.get(id)!) visit(key);
  }
}

/** Keys of the pods in `namespace` matching a non-empty selector, sorted. O(matching pods + label sets). */
export function podsForSelector(state: SimState, namespace: string, selector: Record<string, string>): string[] {
  const out: string[] = [];
  forEachMatchingPod(state, namespace, selector, (key) => {
    if (state.pods[key]) out.push(key);
  });
  return out.sort();
}

/**
 * The pods of {@link podsForSelector}, in the same order (by key: all share the `namespace/` prefix, so
 * ordering by name is ordering by key). Saves the caller a second lookup per key.
 */
export function podObjectsForSelector(state: SimState, namespace: string, selector: Record<string, string>): Pod[] {
  const out: Pod[] = [];
  forEachMatchingPod(state, namespace, selector, (key) => {
    const pod = state.pods[key];
    if (pod) out.push(pod);
  });
  return out.sort(byName);
}

/** Name order in UTF-16 code units (the default sort's, and `<` on strings). Names are unique per namespace. */
function byName(a: Pod, b: Pod): number {
  const x = a.metadata.name;
  const y = b.metadata.name;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** True when every pair of a non-empty selector is present in `labels`. */
export function selectorMatches(selector: Record<string, string>, labels: Record<string, string>): boolean {
  let any = false;
  for (const k in selector) {
    any = true;
    if (labels[k] !== selector[k]) return false;
  }
  return any;
}
