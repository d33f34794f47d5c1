/**
 * Invariants of a {@link SimState} that must hold between ticks, whatever happened (incidents, player
 * actions, a cloned state): the bookkeeping the sim keeps incrementally must equal what a recount from
 * the objects gives ({@link checkInvariants}), and the change log must record every observable change
 * ({@link changeLogChecker}, stateful). Used by test/sim/invariants.test.ts after every tick of whole
 * matches and of random action sequences; reusable by any test that wants to check a state.
 *
 * Each check names its Kubernetes source where it has one. Pure: reads the state (and builds a fresh
 * index over a shallow copy), never mutates it.
 *
 * May import: shared/sim/* (read only). No vitest: plain functions returning strings, usable anywhere.
 */
import { apiWritable } from '../../shared/sim/apiserver.ts';
import { changesSince } from '../../shared/sim/changelog.ts';
import { getIndex, podOwnerKey, podsForSelector, rsOwnerKey, type SimIndex } from '../../shared/sim/cache.ts';
import { quorumSize } from '../../shared/sim/controllers/etcd.ts';
import { isActive, isTerminating } from '../../shared/sim/podutil.ts';
import type { ObjectMeta, SimState } from '../../shared/sim/types.ts';

/** Names of the checks {@link checkInvariants} runs, in order (for `only` / `skip`). */
export const INVARIANTS = ['nodeRequests', 'podReadiness', 'etcdQuorum', 'podOwners', 'indexes', 'resourceVersions', 'endpoints', 'replicaSetStatus'] as const;
/** One check's name. */
export type InvariantName = (typeof INVARIANTS)[number];

/**
 * Node accounting (kube-scheduler's NodeInfo.Requested, K pkg/scheduler/framework/types.go): each Node's
 * `sim.cpuRequestedMilli` / `sim.memRequestedMiB` / `sim.podCount` equal the sums over the Pods whose
 * `spec.nodeName` is that Node (terminating Pods included: they hold their requests until removed).
 * Also: every bound Pod names an existing Node (a control-plane mirror Pod its control-plane host).
 */
function nodeRequests(state: SimState, out: string[]): void {
  const sums = new Map<string, { cpu: number; mem: number; count: number }>();
  for (const name of Object.keys(state.nodes)) sums.set(name, { cpu: 0, mem: 0, count: 0 });
  for (const key of Object.keys(state.pods).sort()) {
    const pod = state.pods[key]!;
    const node = pod.spec.nodeName;
    if (!node) continue;
    const s = sums.get(node);
    // A control-plane static Pod's mirror names its control-plane host, which the sim does not list as a
    // Node (shared/sim/kubeSystem.ts).
    if (!s && pod.metadata.annotations['kubernetes.io/config.mirror'] !== undefined && node.startsWith('control-plane-')) continue;
    if (!s) {
      out.push(`pod ${key}: bound to node ${node}, which does not exist`);
      continue;
    }
    s.cpu += pod.sim.cpuRequestMilli;
    s.mem += pod.sim.memRequestMiB;
    s.count += 1;
  }
  for (const name of Object.keys(state.nodes).sort()) {
    const n = state.nodes[name]!.sim;
    const s = sums.get(name)!;
    if (n.cpuRequestedMilli !== s.cpu) out.push(`node ${name}: cpuRequestedMilli ${n.cpuRequestedMilli} != ${s.cpu} (sum over its pods)`);
    if (n.memRequestedMiB !== s.mem) out.push(`node ${name}: memRequestedMiB ${n.memRequestedMiB} != ${s.mem} (sum over its pods)`);
    if (n.podCount !== s.count) out.push(`node ${name}: podCount ${n.podCount} != ${s.count} (pods bound to it)`);
  }
}

/**
 * A Pod's cached readiness `sim.ready` (what Services and ReplicaSets read) equals what its definition in
 * shared/sim/podutil.ts `refreshReady` says: the `Ready` condition is `True` and the Pod is not
 * terminating (terminating endpoints are never ready, K EndpointSlice controller).
 */
function podReadiness(state: SimState, out: string[]): void {
  for (const key of Object.keys(state.pods).sort()) {
    const pod = state.pods[key]!;
    const cond = pod.status.conditions.find((c) => c.type === 'Ready');
    const expected = cond?.status === 'True' && !isTerminating(pod);
    if (pod.sim.ready !== expected) {
      out.push(`pod ${key}: sim.ready ${pod.sim.ready} but Ready condition ${cond?.status ?? 'absent'}${isTerminating(pod) ? ' (terminating)' : ''}`);
    }
  }
}

/**
 * etcd (E server/etcdserver/util.go, kubernetes-behaviour.md §6): `hasQuorum` holds exactly when
 * healthy members >= floor(n/2)+1; a leader exists only with quorum and is a healthy member; a member
 * being restored is not healthy yet.
 */
function etcdQuorum(state: SimState, out: string[]): void {
  const etcd = state.controlPlane.etcd;
  const healthy = etcd.members.filter((m) => m.healthy);
  const quorum = healthy.length >= quorumSize(etcd.members.length);
  if (etcd.hasQuorum !== quorum) out.push(`etcd: hasQuorum ${etcd.hasQuorum} but ${healthy.length}/${etcd.members.length} members healthy (quorum ${quorumSize(etcd.members.length)})`);
  if (etcd.leader !== null) {
    if (!etcd.hasQuorum) out.push(`etcd: leader ${etcd.leader} without quorum`);
    if (!healthy.some((m) => m.name === etcd.leader)) out.push(`etcd: leader ${etcd.leader} is not a healthy member`);
  }
  for (const m of etcd.members) if (m.healthy && m.restoringUntil !== null) out.push(`etcd: member ${m.name} healthy while restoring until ${m.restoringUntil}`);
}

/**
 * Ownership (the garbage collector's view, K pkg/controller/garbagecollector): a Pod with a controlling
 * ReplicaSet reference names an existing ReplicaSet with that uid, unless the Pod is already terminating;
 * a ReplicaSet with a controlling Deployment reference names an existing Deployment with that uid.
 */
function podOwners(state: SimState, out: string[]): void {
  for (const key of Object.keys(state.pods).sort()) {
    const pod = state.pods[key]!;
    const owner = podOwnerKey(pod);
    if (!owner) continue;
    const rs = state.replicaSets[owner];
    const ref = pod.metadata.ownerReferences.find((r) => r.controller && r.kind === 'ReplicaSet')!;
    if (!rs) {
      if (!isTerminating(pod)) out.push(`pod ${key}: owner ReplicaSet ${owner} does not exist`);
    } else if (rs.metadata.uid !== ref.uid) {
      out.push(`pod ${key}: owner reference uid ${ref.uid} != ReplicaSet ${owner} uid ${rs.metadata.uid}`);
    }
  }
  for (const key of Object.keys(state.replicaSets).sort()) {
    const rs = state.replicaSets[key]!;
    const owner = rsOwnerKey(rs);
    if (!owner) continue;
    const d = state.deployments[owner];
    const ref = rs.metadata.ownerReferences.find((r) => r.controller && r.kind === 'Deployment')!;
    if (!d) out.push(`replicaset ${key}: owner Deployment ${owner} does not exist`);
    else if (d.metadata.uid !== ref.uid) out.push(`replicaset ${key}: owner reference uid ${ref.uid} != Deployment ${owner} uid ${d.metadata.uid}`);
  }
}

type IndexMaps = Pick<SimIndex, 'podsByNode' | 'podsByOwner' | 'podsByImage' | 'rsByDeployment' | 'servicesByLabel' | 'podsByLabel'>;
const INDEX_MAPS: (keyof IndexMaps)[] = ['podsByNode', 'podsByOwner', 'podsByImage', 'rsByDeployment', 'servicesByLabel', 'podsByLabel'];

function normalise(map: Map<string, Set<string>>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, set] of map) if (set.size > 0) out.set(k, [...set].sort().join(' '));
  return out;
}

/**
 * The incremental indexes of shared/sim/cache.ts agree with a fresh rebuild from the objects (the cache's
 * own promise: "a fresh rebuild never changes results"). The rebuild runs over a shallow copy of the
 * state, so the live index is left alone.
 */
function indexes(state: SimState, out: string[]): void {
  const live = getIndex(state);
  const fresh = getIndex({ ...state });
  for (const name of INDEX_MAPS) {
    const a = normalise(live[name]);
    const b = normalise(fresh[name]);
    for (const k of [...new Set([...a.keys(), ...b.keys()])].sort()) {
      if (a.get(k) !== b.get(k)) out.push(`index ${name}[${k}]: live {${a.get(k) ?? ''}} != rebuilt {${b.get(k) ?? ''}}`);
    }
  }
  for (const id of [...new Set([...live.boundByLabelSet.keys(), ...fresh.boundByLabelSet.keys()])].sort()) {
    if (live.boundByLabelSet.get(id) !== fresh.boundByLabelSet.get(id)) out.push(`index boundByLabelSet[${id}]: live ${live.boundByLabelSet.get(id)} != rebuilt ${fresh.boundByLabelSet.get(id)}`);
  }
  if (live.podsWithPriority !== fresh.podsWithPriority) out.push(`index podsWithPriority: live ${live.podsWithPriority} != rebuilt ${fresh.podsWithPriority}`);
  if (live.sortedNodeNames.join(' ') !== fresh.sortedNodeNames.join(' ')) out.push(`index sortedNodeNames: live ${live.sortedNodeNames.join(',')} != rebuilt ${fresh.sortedNodeNames.join(',')}`);
  for (let i = 0; i < live.sortedNodes.length; i++) {
    if (live.sortedNodes[i] !== state.nodes[live.sortedNodeNames[i]!]) out.push(`index sortedNodes[${i}]: not the Node object ${live.sortedNodeNames[i]}`);
  }
}

/**
 * resourceVersion (etcd's revision, K staging/src/k8s.io/apiserver storage): every object's
 * resourceVersion is a positive integer no greater than `counters.resourceVersion`, and no two objects
 * share one (each write takes the next revision).
 */
function resourceVersions(state: SimState, out: string[]): void {
  const seen = new Map<number, string>();
  const counter = state.counters.resourceVersion;
  const kinds: [string, Record<string, { metadata: ObjectMeta }>][] = [
    ['node', state.nodes],
    ['pod', state.pods],
    ['deployment', state.deployments],
    ['replicaset', state.replicaSets],
    ['service', state.services],
    ['endpointslice', state.endpoints],
  ];
  for (const [kind, map] of kinds) {
    for (const key of Object.keys(map).sort()) {
      const rv = map[key]!.metadata.resourceVersion;
      const who = `${kind} ${key}`;
      if (!Number.isInteger(rv) || rv < 1) out.push(`${who}: resourceVersion ${rv} is not a positive integer`);
      if (rv > counter) out.push(`${who}: resourceVersion ${rv} > counter ${counter}`);
      const other = seen.get(rv);
      if (other !== undefined) out.push(`${who}: resourceVersion ${rv} also used by ${other}`);
      else seen.set(rv, who);
    }
  }
}

/**
 * Level-triggered controllers converge (K pkg/controller: a synced object's status reflects its
 * informer cache). Checked only when nothing is queued for them (`state.dirty.pods` and
 * `state.dirty.services` empty) and the API server can write (they stall without etcd quorum): each
 * Service's EndpointSlice lists exactly the bound, non-terminal Pods its selector matches, in name
 * order, `ready` = cached readiness and not terminating (K pkg/controller/endpointslice).
 */
function endpoints(state: SimState, out: string[]): void {
  if (!apiWritable(state) || state.dirty.pods.length > 0 || state.dirty.services.length > 0) return;
  for (const key of Object.keys(state.services).sort()) {
    const svc = state.services[key]!;
    const want = podsForSelector(state, svc.metadata.namespace, svc.spec.selector)
      .map((k) => state.pods[k]!)
      .filter((p) => p.spec.nodeName && p.status.phase !== 'Failed' && p.status.phase !== 'Succeeded')
      .map((p) => `${p.metadata.name}${p.sim.ready && !isTerminating(p) ? '' : isTerminating(p) ? '(terminating)' : '(not ready)'}`)
      .join(' ');
    const ep = state.endpoints[key];
    if (!ep) {
      out.push(`service ${key}: no EndpointSlice`);
      continue;
    }
    const have = ep.endpoints.map((e) => `${e.targetRef.name}${e.conditions.ready ? '' : e.conditions.terminating ? '(terminating)' : '(not ready)'}`).join(' ');
    if (have !== want) out.push(`endpointslice ${key}: {${have}} but the Service selects {${want}}`);
  }
}

/**
 * The ReplicaSet controller converged (K pkg/controller/replicaset calculateStatus): with nothing queued
 * for it (`state.dirty.replicaSets` and `state.dirty.pods` empty) and a writable API server, each
 * ReplicaSet's `status.replicas` counts its active Pods (not terminating, not Succeeded/Failed) and
 * `status.readyReplicas` the ready ones among them.
 */
function replicaSetStatus(state: SimState, out: string[]): void {
  if (!apiWritable(state) || state.dirty.pods.length > 0 || state.dirty.replicaSets.length > 0) return;
  const active = new Map<string, { n: number; ready: number }>();
  for (const key of Object.keys(state.pods).sort()) {
    const pod = state.pods[key]!;
    const owner = podOwnerKey(pod);
    if (!owner || !isActive(pod)) continue;
    const a = active.get(owner) ?? { n: 0, ready: 0 };
    a.n += 1;
    if (pod.sim.ready) a.ready += 1;
    active.set(owner, a);
  }
  for (const key of Object.keys(state.replicaSets).sort()) {
    const s = state.replicaSets[key]!.status;
    const a = active.get(key) ?? { n: 0, ready: 0 };
    if (s.replicas !== a.n) out.push(`replicaset ${key}: status.replicas ${s.replicas} != ${a.n} active pods`);
    if (s.readyReplicas !== a.ready) out.push(`replicaset ${key}: status.readyReplicas ${s.readyReplicas} != ${a.ready} ready pods`);
  }
}

const CHECKS: Record<InvariantName, (state: SimState, out: string[]) => void> = {
  nodeRequests,
  podReadiness,
  etcdQuorum,
  podOwners,
  indexes,
  resourceVersions,
  endpoints,
  replicaSetStatus,
};

/**
 * Lists every invariant violation of `state` as one line each (`[check] what`), empty when all hold.
 * `opts.skip` leaves out named checks (for a known sim bug, see invariants.test.ts). Never throws for a
 * consistent-shaped state; does not mutate it.
 */
export function checkInvariants(state: SimState, opts: { skip?: readonly InvariantName[] } = {}): string[] {
  const out: string[] = [];
  for (const name of INVARIANTS) {
    if (opts.skip?.includes(name)) continue;
    const found: string[] = [];
    CHECKS[name](state, found);
    for (const f of found) out.push(`[${name}] ${f}`);
  }
  return out;
}

/** What the change-log check remembers of one observable object between two looks. */
type Seen = Map<string, string>;

/** Kubernetes kind of each object map of the state (shared/sim/changelog.ts contract: `kind`, `key`). */
const LOGGED_KINDS: [kind: string, map: (s: SimState) => Record<string, { metadata: ObjectMeta }>][] = [
  ['Node', (s) => s.nodes],
  ['Pod', (s) => s.pods],
  ['Deployment', (s) => s.deployments],
  ['ReplicaSet', (s) => s.replicaSets],
  ['Service', (s) => s.services],
  ['EndpointSlice', (s) => s.endpoints],
];

/**
 * The observable signature of every object (`Kind key` -> text): its resourceVersion plus the non-API
 * figures the change-log contract names (Pod working-set memory, Service traffic figures, Node request
 * sums), so any observable change alters it.
 */
function observe(state: SimState): Seen {
  const seen: Seen = new Map();
  for (const [kind, map] of LOGGED_KINDS) {
    const objects = map(state);
    for (const key of Object.keys(objects)) {
      const o = objects[key]!;
      let sig = String(o.metadata.resourceVersion);
      if (kind === 'Pod') sig += ` mem=${state.pods[key]!.sim.memoryMiB}`;
      if (kind === 'Node') {
        const n = state.nodes[key]!.sim;
        sig += ` req=${n.cpuRequestedMilli}/${n.memRequestedMiB}/${n.podCount}`;
      }
      if (kind === 'Service') {
        const t = state.traffic[key];
        if (t) sig += ` traffic=${t.rps}/${t.errorRate}/${t.p50Ms}/${t.p99Ms}/${t.readyEndpoints}/${t.totalEndpoints}`;
      }
      seen.set(`${kind} ${key}`, sig);
    }
  }
  return seen;
}

/**
 * A checker of the change-log contract (shared/sim/changelog.ts): between two calls, every object that
 * was added, deleted, written (resourceVersion moved) or whose observable non-API figures moved must
 * appear in `changesSince` (an `ADDED` entry for a new object, a `DELETED` one for a removed object, any
 * entry for a changed one). While the log answers `resync` (no producer records yet, or the cursor fell
 * behind, or a cloned state with an empty log) there is nothing to check and the checker re-baselines at
 * the next live answer. Create it on a state, then call it after each tick (or
 * action); it returns violations like {@link checkInvariants}.
 */
export function changeLogChecker(initial: SimState): (state: SimState) => string[] {
  const first = changesSince(initial, 0);
  let cursor = first.cursor;
  // No baseline while the log answers resync: observing costs a walk over every object.
  let seen: Seen | null = first.resync ? null : observe(initial);
  return (state) => {
    const res = changesSince(state, cursor);
    cursor = res.cursor;
    if (res.resync) {
      seen = null;
      return [];
    }
    const now = observe(state);
    const before = seen;
    seen = now;
    if (before === null) return [];
    const logged = new Map<string, Set<string>>();
    for (const c of res.changes) {
      const id = `${c.kind} ${c.key}`;
      let types = logged.get(id);
      if (!types) logged.set(id, (types = new Set()));
      types.add(c.type);
    }
    const out: string[] = [];
    for (const id of [...new Set([...before.keys(), ...now.keys()])].sort()) {
      const a = before.get(id);
      const b = now.get(id);
      if (a === b) continue;
      const types = logged.get(id);
      const what = a === undefined ? 'added' : b === undefined ? 'deleted' : `changed (${a} -> ${b})`;
      const need = a === undefined ? 'ADDED' : b === undefined ? 'DELETED' : null;
      if (!types || (need !== null && !types.has(need))) out.push(`[changeLog] ${id} ${what} but the change log has ${types ? [...types].sort().join('+') : 'nothing'} for it`);
    }
    return out;
  };
}
