/**
 * The traffic model: requests/s enter through `state.ingress`, flow along `state.callGraph` to the
 * Ready endpoints of each Service, and come back as per-Service figures (`state.traffic`) and the
 * user-facing Service's SLI counts (`state.slos.*.lastTick`).
 *
 * Requests follow **call paths** (shared/sim/trafficGraph.ts `CallPathSet`): each kind of request a
 * Service serves makes its own calls (declared per caller in `state.callPaths`, e.g. a home page view
 * and a checkout call different Services; by default each request calls one of the caller's k
 * downstream Services, weight 1/k). A call carries the share of the caller's accepted load that makes
 * it; a Service's end-to-end figures are the mixture over its paths (`computePathResult`). The formulas
 * below hold per path.
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
 *   pod's CPU limit, else its request, else 1000 m (shared/sim/trafficModel.ts). At utilisation u the own
 *   latency is multiplied by the M/M/1 response-time factor `1 / (1 - min(u, 0.95))` (at most 20x);
 *   beyond capacity the excess `1 - 1/u` of its requests time out;
 * - a request fails when any synchronous **hard** downstream call fails:
 *   `errorRate = 1 - accepted * (1 - ownVersionErrors) * prod over hard calls (1 - downstream errorRate)`;
 *   an **optional** call (`state.optionalCalls`, graceful degradation: Online Boutique's frontend renders
 *   the page without ads or recommendations when adservice / recommendationservice fails) never fails the
 *   caller's request; the downstream still receives its load and shows its own errors;
 * - latency = own latency (see shared/sim/latency.ts: lognormal per pod group, p99 = 3 x p50) +
 *   downstream p50/p99. A hard call adds the downstream's p50/p99 (only requests whose calls all
 *   succeeded count). An optional call adds the latency of one call whatever its outcome (`callP50`,
 *   shared/sim/trafficFigures.ts): the downstream's p50/p99 when any of its requests succeed (its errors
 *   come back after about the same latency); {@link FAIL_FAST_MS} = 1 ms (connection refused) when it has
 *   no ready endpoint; else (every request fails: black-hole endpoints, error rate 1, failing hard calls) its pods'
 *   own latency at their load plus its own calls' latency — a timeout is not modelled, the error is
 *   assumed to come back after the pod's own latency. The call graph must be a DAG; edges closing a cycle
 *   are ignored (shared/sim/trafficGraph.ts).
 *
 * SLI counts (user-facing Service): availability valid = stochastic round of rps * tickSeconds, bad =
 * stochastic round of valid * errorRate, good = valid - bad. Latency: valid = the successful requests
 * (availability good), good = those minus the stochastic round of (share slower than
 * `slos.latency.thresholdMs`); failed requests only count against availability, so each SLO tells its
 * own story. Three PRNG draws per tick, always.
 *
 * Cost: a tick with no API write, no node queued or lost, and the same graph, ingress, image profiles
 * and API writability as the last pass only redoes the SLI draws (O(images) field comparisons to
 * notice an incident or test editing a profile in place); a tick whose only changes to the inputs are
 * EndpointSlice writes (the change log, ./changelog.ts, names them), maybe with new image profiles
 * added (a rollout to a new image: the Services running that image are re-checked, O(services) byte
 * scan), recomputes only those Services and what depends on them (`incrementalPass`: their callees'
 * offered load, their callers' results), O(changed Services and their edges); any other tick is O(services + edges) plus work for what changed (O(nodes)
 * more after an API write or a node queue/timer trace, see `refreshLiveness`). A memo outside the state (a `WeakMap` keyed by the state object, like
 * shared/sim/cache.ts) keeps per Service:
 * - its endpoint aggregate (ready endpoints grouped by image, CPU, node and running container), rebuilt
 *   only when its EndpointSlice's `metadata.resourceVersion` (or length) changed, re-reading only the
 *   entries that changed since the previous slice (see `aggregate`); while the API server cannot write
 *   (no etcd quorum) endpoints go stale and pods change underneath, so the Services queued in
 *   `state.dirty.services` (every pod change queues the Services selecting it) are re-aggregated from
 *   all their pods each tick, the others keep their aggregate;
 * - its own figures (accepted/success shares, latency components), recomputed in O(groups) only when the
 *   aggregate, its offered load, the profile of one of its images (`errorRate`, `latencyMs`,
 *   `cpuPerRequestMilli`) or the liveness (`kubeletUp`) of a node holding one of its endpoints changed;
 * - its end-to-end result, recomputed when its own figures or a downstream result changed, and once for
 *   every Service when the walkable graph is rebuilt (`callGraph`, `optionalCalls` or `ingress` replaced).
 * `state.traffic` entries are updated in place and each change is recorded in the change log
 * (shared/sim/changelog.ts, kind `Service`).
 * Everything memoised is a pure function of the state and is recomputed exactly as a fresh memo would,
 * so a cloned, replayed or JSON round-tripped state computes bit-identical figures.
 *
 * May import: ./types.ts, ./prng.ts, ./apiserver.ts (read-only checks), ./latency.ts, ./trafficModel.ts,
 * ./trafficGraph.ts, ./trafficFigures.ts (per-Service own figures and end-to-end results), ./changelog.ts
 * (the EndpointSlices written since the last pass), ./trafficPartition.ts (the isolated side of a zone
 * partition: while one is active and an in-cluster client has load there, every pass is a full pass
 * and the Services that side reaches show both sides' figures mixed by load).
 */
import type { Endpoints, ImageProfile, Node, Pod, ServiceTraffic, SimState } from './types.ts';
import { roundStochastic } from './prng.ts';
import { apiWritable, nodesQueuedSince } from './apiserver.ts';
import { noteChange } from './apiserver.ts';
import { tailShare } from './latency.ts';
import { ownFigures, type EndpointGroup, type OwnFigures, type Result, type ServiceAggregate } from './trafficFigures.ts';
import { buildTrafficGraph, computePathResult, resolveServiceKey, type TrafficGraph } from './trafficGraph.ts';
import { imageProfile, podCpuMilli, podCpuQuota } from './trafficModel.ts';
import { forEachChangeSince } from './changelog.ts';
import { mixSides, partitionSides, type SideFigures } from './trafficPartition.ts';

export {
  DEFAULT_BASE_MEMORY_SHARE,
  DEFAULT_IMAGE_PROFILE,
  LATENCY_TAIL_FACTOR,
  MAX_UTILISATION,
  imageProfile,
  imageProfileFor,
  loadFactor,
  podCapacityRps,
  podCpuMilli,
} from './trafficModel.ts';
export { resolveServiceKey } from './trafficGraph.ts';
export { FAIL_FAST_MS } from './trafficFigures.ts';

// ---------------------------------------------------------------------------------------------------
// Memo (outside the state)
// ---------------------------------------------------------------------------------------------------

/** `resourceVersion` of the aggregate of a Service without an EndpointSlice. */
const NO_SLICE = -1;
/** `resourceVersion` of an aggregate built while the API server could not write: never reused by version. */
const STALE = -2;

/** What is memoised per Service, with the inputs each part was computed from. */
interface ServiceMemo {
  agg: ServiceAggregate;
  /** The reading of the slice `agg` was built from, while the API server could write (see {@link aggregate}). */
  reading: SliceReading | null;
  own: OwnFigures | null;
  ownAgg: ServiceAggregate | null;
  ownRps: number;
  /** `errorRate, cpuPerRequestMilli, latencyMs` of each image of `ownAgg.images`, flattened. */
  ownProfile: number[];
  /** A node holding one of `ownAgg`'s groups changed liveness since `own` was computed. */
  liveStale: boolean;
  result: Result | null;
  resultOwn: OwnFigures | null;
  /** The downstream results `result` was computed from (by identity). */
  resultDown: Result[];
}

interface Memo {
  graph: TrafficGraph | null;
  services: Map<string, ServiceMemo>;
  /** The `state.nodes` object `nodeNames` was read from. */
  nodesRef: SimState['nodes'] | null;
  nodeNames: string[];
  /** Nodes named by endpoints that were missing from `state.nodes` (watched for liveness too). */
  extraNodes: Set<string>;
  /** Nodes down (no object, or `kubeletUp` false) at the last tick. */
  down: Set<string>;
  /** The Node objects of `nodeNames` (undefined: missing) as last read by name. */
  nodeObjs: (Node | undefined)[];
  /** 1 where the node of `nodeNames` is in `down` (the per-tick check without a Set lookup). */
  nodeDownFlags: Uint8Array;
  /** `state.counters.resourceVersion` when `nodeObjs` was last read by name. */
  nodeObjsRv: number;
  /** `state.counters.timerSeq` and whether `state.dirty.nodes` was non-empty at the last liveness check. */
  livenessTimerSeq: number;
  livenessDirtyNodes: boolean;
  /** `state.services` and `state.counters.resourceVersion` when the graph's Service count was last checked. */
  servicesRef: SimState['services'] | null;
  servicesRv: number;
  /** The `state.traffic` object the last full pass wrote (entries are updated in place while it stays). */
  traffic: SimState['traffic'] | null;
  trafficGraph: TrafficGraph | null;
  /** What the last full pass computed from, for the nothing-changed fast path (null: no valid pass). */
  last: LastPass | null;
  /** Change-log cursor of the last pass (the EndpointSlices written since are the ones to re-read). */
  logCursor: number;
  /** Cursor in the API server's trace of queued Nodes (`nodesQueuedSince`) at the last liveness check. */
  nodeTraceCursor: number;
  /** Position of each name in `nodeNames`. */
  nodePosition: Map<string, number>;
  /** The per-position figures of the last pass, for a pass over only what changed (null: none usable). */
  incr: IncrementalPass | null;
  /** The last pass mixed in the isolated side of a partition (./trafficPartition.ts). */
  mixed: boolean;
}

/**
 * The per-position arrays of the last pass over `graph` (parallel to `graph.order`), kept so the next
 * pass recomputes only the Services whose EndpointSlice changed and what depends on them (their
 * downstream offered load, their callers' end-to-end results), in the same order and with the same
 * expressions as a pass over every Service: the figures are bit-identical.
 */
interface IncrementalPass {
  graph: TrafficGraph;
  /** Offered load from the ingress alone (before any caller's share was added), requests/s. */
  ingressRps: number[];
  rps: number[];
  sms: ServiceMemo[];
  own: OwnFigures[];
  results: Result[];
  /** Per position, its callers as `[caller position, index of the call in the caller's down list]`, by caller then index. */
  ups: number[][];
}

/**
 * The inputs of the last full pass of {@link updateTraffic} that are not covered by the per-Service memo,
 * and its user-facing figures. When none of them changed and no API write happened since (EndpointSlices
 * only change through API writes, which bump `state.counters.resourceVersion`), the pass would
 * recompute exactly the same figures, so only the SLI draws are redone.
 */
interface LastPass {
  rv: number;
  graph: TrafficGraph;
  ingressRef: SimState['ingress'];
  /** `service, rps` of each ingress entry, flattened. */
  ingress: (string | number)[];
  images: ProfileSnapshot;
  userKey: string | undefined;
  userRps: number;
  user: Result | undefined;
  /** `tailShare(user.components, thresholdMs)` for `slowFor` / `slowThreshold`. */
  slowFor: Result | undefined;
  slowThreshold: number;
  slowShare: number;
}

/** The traffic fields of every image profile (and the default profile) at the last full pass. */
interface ProfileSnapshot {
  imagesRef: SimState['images'];
  keys: string[];
  profiles: ImageProfile[];
  defaultProfile: ImageProfile | undefined;
  /** `errorRate, cpuPerRequestMilli, latencyMs` per profile (then the default's), flattened. */
  fields: number[];
}

function snapshotProfiles(state: SimState): ProfileSnapshot {
  const keys = Object.keys(state.images);
  const profiles = Object.values(state.images);
  const defaultProfile = state.defaultImageProfile as ImageProfile | undefined;
  const fields: number[] = [];
  for (const p of profiles) fields.push(p.errorRate, p.cpuPerRequestMilli, p.latencyMs);
  if (defaultProfile) fields.push(defaultProfile.errorRate, defaultProfile.cpuPerRequestMilli, defaultProfile.latencyMs);
  return { imagesRef: state.images, keys, profiles, defaultProfile, fields };
}

/**
 * True when no image profile of `snap` was replaced or had a traffic field changed since. O(images).
 * Called when the key list still holds: on the fast path no API write happened since `snap` was taken
 * (a new image profile comes with one: createSim; `setDeploymentImage`, which incidents use too); on a
 * full pass after comparing the keys.
 */
function sameProfileSnapshot(state: SimState, snap: ProfileSnapshot): boolean {
  if (state.images !== snap.imagesRef || (state.defaultImageProfile as ImageProfile | undefined) !== snap.defaultProfile) return false;
  const keys = snap.keys;
  const f = snap.fields;
  for (let i = 0; i < keys.length; i++) {
    const p = state.images[keys[i]!];
    if (p === undefined) return false;
    if (p !== snap.profiles[i] || p.errorRate !== f[3 * i] || p.cpuPerRequestMilli !== f[3 * i + 1] || p.latencyMs !== f[3 * i + 2]) return false;
  }
  const d = snap.defaultProfile;
  const j = 3 * keys.length;
  return !d || (d.errorRate === f[j] && d.cpuPerRequestMilli === f[j + 1] && d.latencyMs === f[j + 2]);
}

function sameKeys(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function ingressSignature(state: SimState): (string | number)[] {
  const out: (string | number)[] = [];
  for (const e of state.ingress) out.push(e.service, e.rps);
  return out;
}

function sameIngress(state: SimState, last: LastPass): boolean {
  const ing = state.ingress;
  if (ing !== last.ingressRef || 2 * ing.length !== last.ingress.length) return false;
  for (let i = 0; i < ing.length; i++) {
    const e = ing[i]!;
    if (e.service !== last.ingress[2 * i] || e.rps !== last.ingress[2 * i + 1]) return false;
  }
  return true;
}

const memos = new WeakMap<SimState, Memo>();

function memoOf(state: SimState): Memo {
  let memo = memos.get(state);
  if (!memo) {
    memo = {
      graph: null,
      services: new Map(),
      nodesRef: null,
      nodeNames: [],
      extraNodes: new Set(),
      down: new Set(),
      nodeObjs: [],
      nodeDownFlags: new Uint8Array(0),
      nodeObjsRv: -1,
      livenessTimerSeq: -1,
      livenessDirtyNodes: true,
      servicesRef: null,
      servicesRv: -1,
      traffic: null,
      trafficGraph: null,
      last: null,
      logCursor: -1,
      nodeTraceCursor: -1,
      nodePosition: new Map(),
      incr: null,
      mixed: false,
    };
    memos.set(state, memo);
  }
  return memo;
}

function graphOf(state: SimState, memo: Memo): TrafficGraph {
  const g = memo.graph;
  const rv = state.counters.resourceVersion;
  if (g && g.callGraph === state.callGraph && g.optionalCalls === (state.optionalCalls as SimState['optionalCalls'] | undefined) && g.ingress === state.ingress) {
    // A Service is created or deleted by an API write (a resourceVersion bump): count them only then.
    if (memo.servicesRef === state.services && memo.servicesRv === rv) return g;
    memo.servicesRef = state.services;
    memo.servicesRv = rv;
    if (g.serviceCount === Object.keys(state.services).length) return g;
  }
  memo.servicesRef = state.services;
  memo.servicesRv = rv;
  const fresh = buildTrafficGraph(state);
  memo.graph = fresh;
  for (const [key, sm] of [...memo.services.entries()]) {
    if (!fresh.position.has(key)) memo.services.delete(key);
    else sm.result = null; // which calls are optional may have changed: recompute every result once
  }
  return fresh;
}

function nodeDown(state: SimState, name: string): boolean {
  const node = state.nodes[name];
  return !node || !node.sim.kubeletUp;
}

/**
 * Compares every node's liveness with the last tick's and flags the Services whose own figures were
 * computed with an endpoint on a node that changed; returns true when any node changed (or the node
 * map was replaced). O(queued or created/deleted nodes), O(nodes) when the trace cannot say, plus
 * O(services) on a tick with changes. Nodes are read by name after an
 * API write (a Node may have been created, replaced or deleted), else through the Node objects read
 * then (`kubeletUp` is a field of the object).
 *
 * Whoever flips `kubeletUp` queues the Node (`markDirty(state, 'nodes', name)`: the node-failure
 * incident, tests, benches), and the node lifecycle controller drains that queue before traffic runs,
 * leaving a trace: a lost node gets its grace timer (`counters.timerSeq` moves), a recovered one a status
 * write (`counters.resourceVersion`), or it stays queued while the API server cannot write. So the
 * nodes are only compared when one of these moved or a Node was queued now or at the last check; and
 * then only the Nodes queued since the last check (the API server's trace of `markDirty`,
 * `nodesQueuedSince`), queued now, or created or deleted since (the change log: `nodeObjects`), each
 * re-read by name; every Node (by name after an API write) when the trace or the log cannot say.
 */
function refreshLiveness(state: SimState, memo: Memo, nodeObjects: string[] | null): boolean {
  const rv = state.counters.resourceVersion;
  const queued = state.dirty.nodes.length > 0;
  const trace = nodesQueuedSince(state, memo.nodeTraceCursor);
  memo.nodeTraceCursor = trace.cursor;
  const quiet =
    memo.nodesRef === state.nodes && memo.nodeObjsRv === rv && memo.livenessTimerSeq === state.counters.timerSeq && !queued && !memo.livenessDirtyNodes && memo.extraNodes.size === 0;
  memo.livenessTimerSeq = state.counters.timerSeq;
  memo.livenessDirtyNodes = queued;
  if (quiet) return false;
  if (memo.nodesRef !== state.nodes) {
    memo.nodesRef = state.nodes;
    memo.nodeNames = Object.keys(state.nodes);
    memo.nodeObjs = memo.nodeNames.map((name) => state.nodes[name]);
    memo.nodeObjsRv = rv;
    memo.down = new Set();
    for (const name of memo.nodeNames) if (nodeDown(state, name)) memo.down.add(name);
    for (const name of memo.extraNodes) if (nodeDown(state, name)) memo.down.add(name);
    memo.nodeDownFlags = Uint8Array.from(memo.nodeNames, (name) => (memo.down.has(name) ? 1 : 0));
    memo.nodePosition = new Map(memo.nodeNames.map((name, i) => [name, i]));
    for (const sm of memo.services.values()) sm.liveStale = true;
    return true;
  }
  const changed: string[] = [];
  const names = memo.nodeNames;
  const objs = memo.nodeObjs;
  const flags = memo.nodeDownFlags;
  const check = (i: number, node: Node | undefined): void => {
    const down = !node || !node.sim.kubeletUp ? 1 : 0;
    if (down === flags[i]) return;
    // `flags` mirrors `memo.down` for these names; an endpoint's missing node may have added one too.
    const name = names[i]!;
    flags[i] = down;
    if (down === (memo.down.has(name) ? 1 : 0)) return;
    if (down) memo.down.add(name);
    else memo.down.delete(name);
    changed.push(name);
  };
  if (trace.names !== null && nodeObjects !== null) {
    // Only a queued Node can have changed liveness (whoever flips `kubeletUp` queues it), and only a
    // created or deleted one can be another object: those are re-read by name, the rest stay.
    for (const list of [trace.names, nodeObjects, state.dirty.nodes]) {
      for (const name of list) {
        const i = memo.nodePosition.get(name);
        if (i === undefined) continue;
        const node = (objs[i] = state.nodes[name]);
        check(i, node);
      }
    }
  } else {
    const byName = memo.nodeObjsRv !== rv;
    if (byName) memo.nodeObjsRv = rv;
    for (let i = 0; i < names.length; i++) {
      let node = objs[i];
      if (byName) objs[i] = node = state.nodes[names[i]!];
      check(i, node);
    }
  }
  for (const name of memo.extraNodes) {
    const down = nodeDown(state, name);
    if (down === memo.down.has(name)) continue;
    if (down) memo.down.add(name);
    else memo.down.delete(name);
    changed.push(name);
  }
  if (changed.length === 0) return false;
  const changedSet = new Set(changed);
  for (const sm of memo.services.values()) {
    const nodes = sm.ownAgg?.nodes;
    if (!nodes || sm.liveStale) continue;
    if (changed.length <= nodes.size) sm.liveStale = changed.some((n) => nodes.has(n));
    else for (const n of nodes) if (changedSet.has(n)) { sm.liveStale = true; break; }
  }
  return true;
}

/**
 * The group key parts of one pod as last seen (image, CPU and node): the key strings are built once per
 * pod and reused while those parts are unchanged (they are, for a bound pod), so grouping hashes a
 * ready-made string instead of concatenating four parts per endpoint per rebuild.
 */
interface PodGroupKey {
  /** `pod.spec.containers` and `pod.sim.cpuRequestMilli` that `cpuMilli` was computed from (podCpuMilli). */
  containers: object;
  cpuRequestMilli: number;
  image: string;
  cpuMilli: number;
  /** `cpuMilli` is a CFS quota (every container has a CPU limit, ./trafficModel.ts `podCpuQuota`). */
  quota: boolean;
  node: string;
  /**
   * `image \0 cpu \0 node \0 0` (container running), or `... \0 1` for the dead twin; a pod without
   * a CFS quota has `\0u` before the last part.
   */
  key: string;
  dead: boolean;
  /** The same parts with a dead container (made on first use). */
  deadTwin: PodGroupKey | null;
}

const podGroupKeys = new WeakMap<Pod, PodGroupKey>();

/**
 * The group key of a pod. `podCpuMilli` is re-read only when the pod's container list or CPU request
 * changed (a pod's spec is immutable once created, like the API's: a new template makes new pods).
 */
function groupKeyOf(pod: Pod, node: string): PodGroupKey {
  let k = podGroupKeys.get(pod);
  const image = pod.sim.image;
  if (k === undefined || k.containers !== pod.spec.containers || k.cpuRequestMilli !== pod.sim.cpuRequestMilli || k.image !== image || k.node !== node) {
    const cpuMilli = podCpuMilli(pod);
    const quota = podCpuQuota(pod);
    const key = `${image}\u0000${cpuMilli}\u0000${node}${quota ? '' : '\u0000u'}\u00000`;
    k = { containers: pod.spec.containers, cpuRequestMilli: pod.sim.cpuRequestMilli, image, cpuMilli, quota, node, key, dead: false, deadTwin: null };
    podGroupKeys.set(pod, k);
  }
  return k;
}

function deadTwinOf(k: PodGroupKey): PodGroupKey {
  return (k.deadTwin ??= { ...k, key: `${k.key.slice(0, -1)}1`, dead: true, deadTwin: null });
}

/** What one ready endpoint contributed to an aggregate (null: not ready, terminating or no pod). */
type Contribution = PodGroupKey;

/** The endpoint list an aggregate was read from and each entry's contribution (parallel arrays). */
interface SliceReading {
  endpoints: Endpoints['endpoints'];
  contrib: (Contribution | null)[];
  prefix: string;
  /**
   * The groups by key and the keys in sorted order (the aggregate's `groups` order), kept up to date
   * in place by the next build (the previous aggregate's group objects are never read again: its
   * own figures are recomputed in the same pass).
   */
  byKey: Map<string, EndpointGroup>;
  sortedKeys: string[];
  groups: EndpointGroup[];
  /** Ready endpoints per node and per image (the aggregate's `nodes` set and sorted `images`). */
  nodeCounts: Map<string, number>;
  nodes: Set<string>;
  imageCounts: Map<string, number>;
  images: string[];
  ready: number;
}

function readEndpoint(state: SimState, ep: Endpoints['endpoints'][number], prefix: string): Contribution | null {
  if (!ep.conditions.ready || ep.conditions.terminating) return null;
  const pod = state.pods[prefix + ep.targetRef.name];
  if (!pod) return null;
  const node = pod.spec.nodeName ?? ep.nodeName;
  let dead = true;
  for (const c of pod.status.containerStatuses) {
    if (c.state.running !== undefined) {
      dead = false;
      break;
    }
  }
  const gk = groupKeyOf(pod, node);
  return dead ? deadTwinOf(gk) : gk;
}

/** {@link aggregate}'s per-call flags (synchronous, not re-entered), grown as needed; beside the state. */
let carriedScratch = new Uint8Array(256);

/**
 * Builds a Service's aggregate from its EndpointSlice, re-reading only the entries that changed since
 * `prev` (the reading of this Service's previous slice while the API server could write): the
 * controller writes a new list when anything changed and keeps both sorted by pod name, so an entry
 * with the same pod name, node and conditions is matched by a merge walk and keeps its contribution.
 * That is exact because what an entry contributes cannot change while its entry stays the same: a
 * bound pod's image, CPU and node are immutable, and a container stops running only together with a
 * readiness change (OOMKilled, back-off, node NotReady), i.e. a new entry; and a pod only disappears
 * from state together with its entry (removing it queues its Services, synced in the same tick). While
 * the API server cannot write (`prev` null: stale endpoints, pods changing underneath) every entry is
 * re-read. Returns the reading for the next build.
 */
function aggregate(state: SimState, memo: Memo, eps: Endpoints | undefined, resourceVersion: number, prev: SliceReading | null): [ServiceAggregate, SliceReading | null] {
  if (!eps) return [{ resourceVersion, length: 0, groups: [], ready: 0, total: 0, nodes: new Set(), images: [] }, null];
  const prefix = `${eps.metadata.namespace}/`;
  const list = eps.endpoints;
  const contrib = new Array<Contribution | null>(list.length);
  const r: SliceReading =
    prev !== null && prev.prefix === prefix
      ? prev
      : { endpoints: [], contrib: [], prefix, byKey: new Map(), sortedKeys: [], groups: [], nodeCounts: new Map(), nodes: new Set(), imageCounts: new Map(), images: [], ready: 0 };
  const old = r.endpoints;
  const oldContrib = r.contrib;
  // Old entries whose contribution carries over to the new list (the others are taken out below): the
  // first old.length bytes of a scratch buffer shared by every call (one typed array less per call).
  if (carriedScratch.length < old.length) carriedScratch = new Uint8Array(Math.max(old.length, 2 * carriedScratch.length));
  const carried = carriedScratch;
  carried.fill(0, 0, old.length);
  let keysChanged = false;
  let imagesChanged = false;
  const added: string[] = [];
  const change = (c: Contribution, delta: 1 | -1): void => {
    r.ready += delta;
    const g = r.byKey.get(c.key);
    if (g !== undefined) {
      g.count += delta;
      if (g.count === 0) {
        r.byKey.delete(c.key);
        keysChanged = true;
      }
    } else {
      r.byKey.set(c.key, { image: c.image, cpuMilli: c.cpuMilli, quota: c.quota, node: c.node, count: 1, dead: c.dead });
      added.push(c.key);
      keysChanged = true;
    }
    const n = (r.nodeCounts.get(c.node) ?? 0) + delta;
    if (n === 0) {
      r.nodeCounts.delete(c.node);
      r.nodes.delete(c.node);
    } else {
      r.nodeCounts.set(c.node, n);
      if (n === 1 && delta === 1) r.nodes.add(c.node);
    }
    const m = (r.imageCounts.get(c.image) ?? 0) + delta;
    if (m === 0) {
      r.imageCounts.delete(c.image);
      imagesChanged = true;
    } else {
      if (m === 1 && delta === 1) imagesChanged = true;
      r.imageCounts.set(c.image, m);
    }
  };
  let j = 0;
  for (let i = 0; i < list.length; i++) {
    const ep = list[i]!;
    let c: Contribution | null | undefined;
    if (old[j] === ep) {
      // The very entry of the previous slice (the controller keeps unchanged entries as they are).
      c = oldContrib[j];
      carried[j++] = 1;
    } else {
      const name = ep.targetRef.name;
      let o = old[j];
      if (o !== undefined && o.targetRef.name !== name) {
        while (j < old.length && old[j]!.targetRef.name < name) j++;
        o = old[j];
      }
      if (o !== undefined && o.targetRef.name === name) {
        if (o.nodeName === ep.nodeName && o.conditions.ready === ep.conditions.ready && o.conditions.terminating === ep.conditions.terminating) {
          c = oldContrib[j];
          carried[j] = 1;
        }
        j++; // later entries have greater names: this one is done with
      }
    }
    if (c === undefined) {
      c = readEndpoint(state, ep, prefix);
      if (c !== null) change(c, 1);
    }
    contrib[i] = c;
  }
  for (let k = 0; k < old.length; k++) {
    const c = oldContrib[k];
    if (carried[k] === 0 && c !== null && c !== undefined) change(c, -1);
  }
  for (const node of r.nodes) {
    if (!state.nodes[node] && !memo.extraNodes.has(node)) {
      memo.extraNodes.add(node);
      memo.down.add(node); // missing = down, as ownFigures sees it
    }
  }
  if (keysChanged) {
    // The default sort compares UTF-16 code units, exactly like `<` on strings. The previous keys still
    // present come first, already in order, so the sort mostly merges the new keys in.
    // Keys created in this pass were not there before and survive it (removals only take out
    // contributions counted before, under keys that existed then): the kept keys (in order) and the
    // new ones (sorted) are merged, each new key placed by binary search among the kept ones.
    const kept: string[] = [];
    for (const k of r.sortedKeys) if (r.byKey.has(k)) kept.push(k);
    let sortedKeys = kept;
    if (added.length > 0) {
      added.sort();
      sortedKeys = [];
      let from = 0;
      for (const k of added) {
        let lo = from;
        let hi = kept.length;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (kept[mid]! < k) lo = mid + 1;
          else hi = mid;
        }
        for (let x = from; x < lo; x++) sortedKeys.push(kept[x]!);
        sortedKeys.push(k);
        from = lo;
      }
      for (let x = from; x < kept.length; x++) sortedKeys.push(kept[x]!);
    }
    r.sortedKeys = sortedKeys;
    r.groups = sortedKeys.map((k) => r.byKey.get(k)!);
  }
  if (imagesChanged) r.images = [...r.imageCounts.keys()].sort();
  r.endpoints = list;
  r.contrib = contrib;
  const agg = { resourceVersion, length: list.length, groups: r.groups, ready: r.ready, total: list.length, nodes: r.nodes, images: r.images };
  return [agg, resourceVersion === STALE ? null : r];
}

/**
 * The memo of Service `key` with an up-to-date aggregate. `outageDirty` is the set of queued Services
 * while the API server cannot write (null when it can).
 */
function serviceMemoOf(state: SimState, memo: Memo, key: string, outageDirty: Set<string> | null): ServiceMemo {
  const eps = state.endpoints[key];
  let sm = memo.services.get(key);
  if (sm) {
    const c = sm.agg;
    const sameSlice = eps ? c.resourceVersion === eps.metadata.resourceVersion && c.length === eps.endpoints.length : c.resourceVersion === NO_SLICE;
    // Without etcd quorum the EndpointSlice controller stalls: endpoints go stale while pods change
    // underneath. A pod change queues its Services, so only queued Services are re-read from their pods.
    if (sameSlice && (outageDirty === null || !outageDirty.has(key))) return sm;
  }
  const version = outageDirty !== null ? STALE : eps ? eps.metadata.resourceVersion : NO_SLICE;
  const [agg, reading] = aggregate(state, memo, eps, version, outageDirty === null ? (sm?.reading ?? null) : null);
  if (sm) {
    sm.agg = agg;
    sm.reading = reading;
  } else {
    sm = { agg, reading, own: null, ownAgg: null, ownRps: 0, ownProfile: [], liveStale: false, result: null, resultOwn: null, resultDown: [] };
    memo.services.set(key, sm);
  }
  return sm;
}

// ---------------------------------------------------------------------------------------------------
// Per-tick computation
// ---------------------------------------------------------------------------------------------------

function profileSignature(state: SimState, images: string[]): number[] {
  const out: number[] = [];
  for (const image of images) {
    const p = imageProfile(state, image);
    out.push(p.errorRate, p.cpuPerRequestMilli, p.latencyMs);
  }
  return out;
}

function sameProfiles(state: SimState, images: string[], sig: number[]): boolean {
  for (let i = 0; i < images.length; i++) {
    const p = imageProfile(state, images[i]!);
    if (p.errorRate !== sig[3 * i] || p.cpuPerRequestMilli !== sig[3 * i + 1] || p.latencyMs !== sig[3 * i + 2]) return false;
  }
  return true;
}

/**
 * The profile keys added since `snap` when that is the only change to the profiles: `keys` (the
 * current `Object.keys(state.images)`) starts with every key of `snap` and each of those still has its
 * snapshot profile and fields (same `state.images` object, same default profile). Else null. O(images).
 */
function addedProfiles(state: SimState, keys: string[], snap: ProfileSnapshot): Set<string> | null {
  const prev = snap.keys;
  if (keys.length <= prev.length) return null;
  for (let i = 0; i < prev.length; i++) if (keys[i] !== prev[i]) return null;
  if (!sameProfileSnapshot(state, snap)) return null;
  return new Set(keys.slice(prev.length));
}

/**
 * A Service's own figures at offered load `load` (requests/s), recomputed (and memoised in `sm`) only
 * when its aggregate, load or node liveness changed since they were computed, or, with
 * `checkProfiles`, when the profile fields of one of its images differ from those they were computed
 * with. O(1) when they hold, else O(groups).
 */
function ownFiguresOf(state: SimState, sm: ServiceMemo, load: number, checkProfiles: boolean): OwnFigures {
  let figures = sm.own;
  if (figures === null || sm.ownAgg !== sm.agg || sm.liveStale || sm.ownRps !== load || (checkProfiles && !sameProfiles(state, sm.agg.images, sm.ownProfile))) {
    figures = ownFigures(state, sm.agg, load);
    sm.own = figures;
    sm.ownAgg = sm.agg;
    sm.ownRps = load;
    sm.ownProfile = profileSignature(state, sm.agg.images);
    sm.liveStale = false;
  }
  return figures;
}

function sameDownstream(prev: Result[], down: number[], results: Result[]): boolean {
  if (prev.length !== down.length) return false;
  for (let j = 0; j < down.length; j++) if (prev[j] !== results[down[j]!]) return false;
  return true;
}

/**
 * Recomputes `state.traffic` for every Service and writes the user-facing Service's SLI counts into
 * `state.slos.availability.lastTick` and `state.slos.latency.lastTick` (see the module doc for the
 * model and its cost). Uses 3 draws of `state.rng` per call.
 */
export function updateTraffic(state: SimState): void {
  const memo = memoOf(state);
  // The EndpointSlices written since the last pass, from the change log (null: it cannot say).
  // And the Nodes created or deleted (a Node object replaced), for the liveness check.
  let slices: string[] | null = [];
  let nodeObjects: string[] | null = [];
  const read = forEachChangeSince(state, memo.logCursor, (kind, key, type) => {
    if (kind === 'EndpointSlice') slices!.push(key);
    else if (kind === 'Node' && type !== 'MODIFIED') nodeObjects!.push(key);
  });
  if (read.resync) slices = nodeObjects = null;
  memo.logCursor = read.cursor;
  const graph = graphOf(state, memo);
  const livenessChanged = refreshLiveness(state, memo, nodeObjects);
  const writable = apiWritable(state);
  // The isolated side of an active zone partition (null: none with load): a full pass while it lasts.
  const part = partitionSides(state, graph);
  const mixed = part !== null || memo.mixed;
  memo.mixed = part !== null;
  const userKey = resolveServiceKey(state, state.userFacingService);
  const last = memo.last;
  if (
    last !== null &&
    writable &&
    !mixed &&
    !livenessChanged &&
    last.rv === state.counters.resourceVersion &&
    last.graph === graph &&
    last.userKey === userKey &&
    memo.traffic === state.traffic &&
    sameIngress(state, last) &&
    sameProfileSnapshot(state, last.images)
  ) {
    // Nothing the figures depend on changed: `state.traffic` already holds them.
    drawSlis(state, last);
    return;
  }
  const outageDirty = writable ? null : new Set(state.dirty.services);
  // Same image keys and profile fields as at the last (writable) pass: every Service whose aggregate is
  // unchanged has the profiles its own figures were computed with, so only changed aggregates recompute.
  const prevImages = last?.images ?? null;
  const imageKeys = Object.keys(state.images);
  const profilesUnchanged = prevImages !== null && sameKeys(imageKeys, prevImages.keys) && sameProfileSnapshot(state, prevImages);
  // Or only new profiles were added (`setDeploymentImage` of a new image: its key comes last), every
  // earlier one untouched: only Services with endpoints running a new image may see another profile.
  const added = !profilesUnchanged && prevImages !== null ? addedProfiles(state, imageKeys, prevImages) : null;
  const incr = memo.incr;
  if (
    slices !== null && incr !== null && incr.graph === graph && last !== null && writable && !mixed && !livenessChanged && (profilesUnchanged || added !== null) &&
    last.graph === graph && last.userKey === userKey && memo.traffic === state.traffic && memo.trafficGraph === graph && sameIngress(state, last)
  ) {
    // Only EndpointSlices changed since the last pass (and maybe profiles were added): recompute what
    // depends on them.
    incrementalPass(state, memo, incr, slices, last, userKey, added);
    return;
  }
  const n = graph.order.length;
  // Offered load per position, requests/s; ingress to a Service outside the graph only feeds the SLI.
  const rps = new Array<number>(n).fill(0);
  const outside = new Map<string, number>();
  for (let k = 0; k < state.ingress.length; k++) {
    const entry = state.ingress[k]!;
    const key = resolveServiceKey(state, entry.service);
    if (key === undefined) continue;
    // An in-cluster client's share on the isolated side of a partition enters there instead.
    const load = part === null ? Math.max(0, entry.rps) : Math.max(0, entry.rps) * part.outsideShare[k]!;
    const i = graph.position.get(key);
    if (i !== undefined) rps[i] = rps[i]! + load;
    else outside.set(key, (outside.get(key) ?? 0) + load);
  }
  const ingressRps = rps.slice();
  const sms = new Array<ServiceMemo>(n);
  const own = new Array<OwnFigures>(n);
  for (let i = 0; i < n; i++) {
    const sm = serviceMemoOf(state, memo, graph.order[i]!, outageDirty);
    const load = rps[i]!;
    const figures = ownFiguresOf(state, sm, load, !profilesUnchanged);
    sms[i] = sm;
    own[i] = figures;
    const downs = graph.down[i]!;
    const share = graph.paths[i]!.share;
    for (let j = 0; j < downs.length; j++) rps[downs[j]!] = rps[downs[j]!]! + load * figures.accepted * share[j]!;
  }
  const results = new Array<Result>(n);
  // Entries are updated in place (and recorded in the change log) when their figures changed; a fresh
  // object when the graph changed or someone else replaced `state.traffic`.
  const fresh = memo.traffic !== state.traffic || memo.trafficGraph !== graph;
  const traffic: Record<string, ServiceTraffic> = fresh ? {} : state.traffic;
  for (let i = n - 1; i >= 0; i--) {
    const sm = sms[i]!;
    const figures = own[i]!;
    const down = graph.down[i]!;
    let r = sm.result;
    if (r === null || sm.resultOwn !== figures || !sameDownstream(sm.resultDown, down, results)) {
      const downResults = down.map((d) => results[d]!);
      r = computePathResult(figures, downResults, graph.optional[i]!, graph.paths[i]!);
      sm.result = r;
      sm.resultOwn = figures;
      sm.resultDown = downResults;
    }
    results[i] = r;
    writeServiceTraffic(state, traffic, graph.order[i]!, rps[i]!, r, sm.agg, part?.sides.get(graph.order[i]!));
  }
  state.traffic = traffic;
  memo.traffic = traffic;
  memo.trafficGraph = graph;

  const userPos = userKey !== undefined ? graph.position.get(userKey) : undefined;
  const user = userPos !== undefined ? results[userPos] : undefined;
  const userRps = userKey === undefined ? 0 : userPos !== undefined ? rps[userPos]! : (outside.get(userKey) ?? 0);
  const pass: LastPass = {
    rv: state.counters.resourceVersion,
    graph,
    ingressRef: state.ingress,
    ingress: ingressSignature(state),
    images: profilesUnchanged ? prevImages : snapshotProfiles(state),
    userKey,
    userRps,
    user,
    slowFor: undefined,
    slowThreshold: NaN,
    slowShare: 0,
  };
  // Only a pass made while the API server could write is reusable (during an outage queued Services are
  // re-read from their pods every tick).
  memo.last = writable ? pass : null;
  memo.incr = writable ? { graph, ingressRps, rps, sms, own, results, ups: incr !== null && incr.graph === graph ? incr.ups : callersOf(graph) } : null;
  drawSlis(state, pass);
}

/**
 * Writes Service `key`'s entry of `traffic` (`state.traffic`, or the fresh object a full pass builds)
 * from its offered load `rps` (requests/s), end-to-end result `r` (error share 0..1, p50/p99 ms) and
 * aggregate `agg` (ready / total endpoints): a new entry when there is none (a full pass after the
 * graph changed writes into a fresh, empty object), else the entry updated in place only when a figure
 * changed; either way recorded in the change log as a `Service` change. `sides`: what the isolated
 * sides of a partition add (./trafficPartition.ts `mixSides`). O(1) (O(components) with `sides`).
 */
function writeServiceTraffic(state: SimState, traffic: Record<string, ServiceTraffic>, key: string, rps: number, r: Result, agg: ServiceAggregate, sides?: readonly SideFigures[]): void {
  if (sides !== undefined) {
    const m = mixSides(rps, r, sides);
    rps = m.rps;
    r = { ...r, errorRate: m.errorRate, p50: m.p50, p99: m.p99 };
  }
  const cur = traffic[key];
  if (cur === undefined) {
    traffic[key] = { rps, errorRate: r.errorRate, p50Ms: r.p50, p99Ms: r.p99, readyEndpoints: agg.ready, totalEndpoints: agg.total };
    noteChange(state, 'Service', key);
  } else if (
    cur.rps !== rps || cur.errorRate !== r.errorRate || cur.p50Ms !== r.p50 || cur.p99Ms !== r.p99 ||
    cur.readyEndpoints !== agg.ready || cur.totalEndpoints !== agg.total
  ) {
    cur.rps = rps;
    cur.errorRate = r.errorRate;
    cur.p50Ms = r.p50;
    cur.p99Ms = r.p99;
    cur.readyEndpoints = agg.ready;
    cur.totalEndpoints = agg.total;
    noteChange(state, 'Service', key);
  }
}

/** Per position, its callers and the index of the call in each caller's down list, flattened as pairs, by caller then index. */
function callersOf(graph: TrafficGraph): number[][] {
  const ups: number[][] = graph.order.map(() => []);
  for (let u = 0; u < graph.down.length; u++) {
    const down = graph.down[u]!;
    for (let j = 0; j < down.length; j++) ups[down[j]!]!.push(u, j);
  }
  return ups;
}

/**
 * The pass of {@link updateTraffic} when only EndpointSlices changed since the last pass (`slices`:
 * their keys; same graph, ingress, profiles, node liveness and user-facing Service): the Services of
 * those slices get their aggregate and own figures re-read, a Service whose own figures or offered load
 * changed passes its new load on to its callees (their load is summed again from the ingress and every
 * caller, in caller order, as the full pass adds it), and a Service whose end-to-end result changed
 * has its callers' results recomputed. Every other Service keeps its load, figures, result and
 * `state.traffic` entry, which the full pass would recompute to the same values. O(changed Services
 * and their neighbours), plus two byte scans over the positions.
 */
function incrementalPass(state: SimState, memo: Memo, incr: IncrementalPass, slices: string[], last: LastPass, userKey: string | undefined, added: Set<string> | null): void {
  const graph = incr.graph;
  const n = graph.order.length;
  const { rps, sms, own, results, ingressRps, ups } = incr;
  const forward = new Uint8Array(n);
  const backward = new Uint8Array(n);
  let lo = n;
  for (const key of slices) {
    const i = graph.position.get(key);
    if (i === undefined) continue;
    forward[i] = 1;
    if (i < lo) lo = i;
  }
  if (added !== null) {
    // New profiles: a Service whose (unchanged) aggregate runs a new image had it resolved to the
    // default profile; its figures are re-checked against the new one below. A Service whose slice
    // changed is already marked (its aggregate is re-read and its images with it).
    for (let i = 0; i < n; i++) {
      if (forward[i] === 1) continue;
      for (const image of sms[i]!.agg.images) {
        if (!added.has(image)) continue;
        forward[i] = 1;
        if (i < lo) lo = i;
        break;
      }
    }
    last.images = snapshotProfiles(state);
  }
  for (let i = lo; i < n; i++) {
    if (forward[i] === 0) continue;
    const sm = serviceMemoOf(state, memo, graph.order[i]!, null);
    let load = ingressRps[i]!;
    const up = ups[i]!;
    for (let k = 0; k < up.length; k += 2) {
      const u = up[k]!;
      load = load + rps[u]! * own[u]!.accepted * graph.paths[u]!.share[up[k + 1]!]!;
    }
    const prevLoad = rps[i];
    rps[i] = load;
    const figures = ownFiguresOf(state, sm, load, added !== null);
    sms[i] = sm;
    const prevOwn = own[i];
    own[i] = figures;
    backward[i] = 1;
    if (figures !== prevOwn || load !== prevLoad) for (const d of graph.down[i]!) forward[d] = 1; // callees come later
  }
  const traffic = state.traffic;
  for (let i = n - 1; i >= 0; i--) {
    if (backward[i] === 0) continue;
    const sm = sms[i]!;
    const figures = own[i]!;
    const down = graph.down[i]!;
    const prev = results[i];
    let r = sm.result;
    if (r === null || sm.resultOwn !== figures || !sameDownstream(sm.resultDown, down, results)) {
      const downResults = down.map((d) => results[d]!);
      r = computePathResult(figures, downResults, graph.optional[i]!, graph.paths[i]!);
      sm.result = r;
      sm.resultOwn = figures;
      sm.resultDown = downResults;
    }
    results[i] = r;
    if (r !== prev) {
      const up = ups[i]!;
      for (let k = 0; k < up.length; k += 2) backward[up[k]!] = 1; // callers come earlier
    }
    writeServiceTraffic(state, traffic, graph.order[i]!, rps[i]!, r, sm.agg);
  }
  const userPos = userKey !== undefined ? graph.position.get(userKey) : undefined;
  // The last pass's object, its figures brought up to date (its tail-share cache is keyed by `user`).
  last.rv = state.counters.resourceVersion;
  last.user = userPos !== undefined ? results[userPos] : undefined;
  if (userPos !== undefined) last.userRps = rps[userPos]!;
  drawSlis(state, last);
}

/** The user-facing Service's SLI counts of this tick from the pass's figures: 3 draws of `state.rng`. */
function drawSlis(state: SimState, pass: LastPass): void {
  const user = pass.user;
  const valid = roundStochastic(state.rng, pass.userRps * state.settings.tickSeconds);
  const bad = Math.min(valid, roundStochastic(state.rng, valid * (user ? user.errorRate : 1)));
  const good = valid - bad;
  let slowShare = 0;
  if (user) {
    const threshold = state.slos.latency.thresholdMs;
    if (pass.slowFor !== user || pass.slowThreshold !== threshold) {
      pass.slowFor = user;
      pass.slowThreshold = threshold;
      pass.slowShare = tailShare(user.components, threshold);
    }
    slowShare = pass.slowShare;
  }
  const slow = Math.min(good, roundStochastic(state.rng, good * slowShare));
  state.slos.availability.lastTick = { good, valid };
  state.slos.latency.lastTick = { good: good - slow, valid: good };
}
