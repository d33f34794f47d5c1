/**
 * coordination.k8s.io/v1 Lease: the heartbeats and leader locks of a cluster, derived on read from the
 * state the sim already keeps (no store of their own, so no state, timer or PRNG draw was added and
 * every existing state hash is unchanged):
 *
 * - one Lease per Node in `kube-node-lease`, named like the Node, owned by it (ownerReference v1 Node,
 *   as the kubelet sets it): `holderIdentity` the node name, `leaseDurationSeconds` 40, `renewTime` the
 *   kubelet's last renewal. The kubelet renews every {@link NODE_LEASE_RENEW_SECONDS} (10 s = 0.25 x 40,
 *   K pkg/kubelet/nodelease: `renewInterval = leaseDuration * 0.25`), counted from the moment it last
 *   (re)started posting (`node.sim.lastHeartbeat`: 0 for a Node of the initial cluster). A kubelet that
 *   stopped (node-failure, zone-partition: `sim.kubeletUp` false, or the node lifecycle controller still
 *   counting it lost, `sim.lostAt`) renews no more: its `renewTime` stays at the last renewal before it
 *   stopped (see {@link nodeLeaseRenewTime}).
 *   Why lazy, not a write every 10 s (a cost choice, kubernetes-behaviour.md §3): a renewal changes
 *   nothing but `renewTime`, and 500 Nodes would make 50 writes per sim second that nobody reads; the
 *   computed value is exactly what the periodic writes would leave. The change log records a Node's
 *   Lease only when it matters: when its kubelet comes back (`MODIFIED`, the first renewal after the
 *   outage; shared/sim/controllers/nodeLifecycle.ts). A watch therefore does not see the routine 10 s
 *   renewals, a list or get does. `resourceVersion` is the cluster's current one (the object as of now:
 *   a renewed Lease is always among the newest writes of a real cluster).
 * - `kube-controller-manager` and `kube-scheduler` in `kube-system` (client-go leaderelection's
 *   LeaseLock): from `state.controlPlane.leases` (shared/sim/controllers/etcd.ts): `holderIdentity`
 *   `<host>_<uuid>` of the process that holds it ({@link leaderIdentity}), `leaseDurationSeconds` 15,
 *   `renewTime` its last renewal, `acquireTime` when that process acquired it (its `LeaderElection`
 *   event; sim second 0 for the first process), `leaseTransitions` the holder changes so far: each time
 *   the process lost the Lease after the renew deadline (etcd quorum loss, the NOSPACE alarm) and a new
 *   process acquired it. A lost Lease keeps its last holder and renewTime until the next process
 *   acquires it (client-go does not release it on a lost renewal), as in a real cluster. The change log
 *   records them when a process acquires them (shared/sim/controllers/index.ts).
 *
 * Read-only: the API serves get, list and watch; the sim's components are the only writers.
 *
 * May import: ../types.ts, ../names.ts, ../hash.ts, ./kind.ts, ./print.ts, ./serialize.ts.
 */
import { fnv1a64 } from '../hash.ts';
import { objKey, simTimestamp } from '../names.ts';
import type { LeaderLease, Node, ObjectMeta, SimSeconds, SimState } from '../types.ts';
import type { KindDef } from './kind.ts';
import { humanDuration } from './print.ts';
import { apiMeta } from './serialize.ts';

/** Namespace of the Nodes' Leases. */
export const NODE_LEASE_NAMESPACE = 'kube-node-lease';
/** `leaseDurationSeconds` of a Node's Lease (kubelet `--node-lease-duration-seconds` default 40). */
export const NODE_LEASE_DURATION_SECONDS = 40;
/** The kubelet renews its Lease every 0.25 x the duration: 10 sim seconds. */
export const NODE_LEASE_RENEW_SECONDS = 10;
/** `leaseDurationSeconds` of the leader-election Leases (component-base default 15 s). */
export const LEADER_LEASE_DURATION_SECONDS = 15;
/** A leader-election renewal is due after this many seconds (client-go's renew deadline, component-base default 10 s). */
export const LEADER_RENEW_DEADLINE_SECONDS = 10;
/** The components holding a leader-election Lease in kube-system, in name order. */
export const LEADER_LEASES = ['kube-controller-manager', 'kube-scheduler'] as const;

/** A Lease's spec, times in sim seconds (served as MicroTime, `2025-01-01T00:00:10.000000Z`). */
export interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: SimSeconds;
  renewTime?: SimSeconds;
  leaseTransitions?: number;
}

/** `coordination.k8s.io/v1 Lease` as the sim derives it (see the module doc). */
export interface Lease {
  apiVersion: 'coordination.k8s.io/v1';
  kind: 'Lease';
  metadata: ObjectMeta;
  spec: LeaseSpec;
}

/**
 * The identity of a leader-election component's `n`-th process (client-go: `<hostname>_<uuid>`; the
 * sim's is stable per component and process so replays agree). shared/sim/controllers/etcd.ts uses it.
 */
export function leaderIdentity(name: (typeof LEADER_LEASES)[number], n: number): string {
  return `control-plane_${fnv1a64(`${name}:${n}`).slice(0, 8)}-${fnv1a64(`${n}:${name}`).slice(0, 4)}`;
}

/** Memo of {@link leaseUid} (a pure function of the key; two string hashes per Lease and list otherwise). */
const UIDS = new Map<string, string>();

/** A UUID-shaped uid stable per Lease key (the Leases are derived: they take no uid from the state's counter). */
function leaseUid(key: string): string {
  let uid = UIDS.get(key);
  if (uid === undefined) {
    const h = fnv1a64(`lease:${key}`) + fnv1a64(`lease2:${key}`);
    uid = `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
    if (UIDS.size >= 200_000) UIDS.clear();
    UIDS.set(key, uid);
  }
  return uid;
}

/** A MicroTime (`2025-01-01T00:00:10.000000Z`) of sim second `t`. */
export function microTime(t: SimSeconds): string {
  const micros = Math.min(999_999, Math.round((t - Math.floor(t)) * 1e6));
  return `${simTimestamp(t).slice(0, -1)}.${String(micros).padStart(6, '0')}Z`;
}

/**
 * The kubelet's last renewal of `node`'s Lease at sim second `t`, sim seconds: the renewals run every
 * {@link NODE_LEASE_RENEW_SECONDS} from `sim.lastHeartbeat` while the kubelet runs and the node
 * lifecycle controller counts the Node alive (`sim.lostAt` null); once it stopped they stop at the last
 * one before `sim.lostAt` (the second the controller noticed). O(1).
 *
 * The node lifecycle controller marks the Node `Unknown` 50 s (node-monitor-grace-period) after `lostAt`,
 * which is 50-60 s after this renewTime: the window of the real controller, which notices a Lease's
 * renewal at its next 5 s monitor pass and declares the Node Unknown at the first pass 50 s later.
 */
export function nodeLeaseRenewTime(node: Node, t: SimSeconds): SimSeconds {
  const base = node.sim.lastHeartbeat;
  const until = node.sim.kubeletUp && node.sim.lostAt === null ? t : (node.sim.lostAt ?? t);
  if (until <= base) return base;
  return base + Math.floor((until - base) / NODE_LEASE_RENEW_SECONDS) * NODE_LEASE_RENEW_SECONDS;
}

/** True while `node`'s kubelet renews its Lease (it runs and the controller counts it alive). */
export function nodeLeaseRenewing(node: Node): boolean {
  return node.sim.kubeletUp && node.sim.lostAt === null;
}

function meta(state: SimState, namespace: string, name: string, created: SimSeconds, owner?: Node): ObjectMeta {
  return {
    name,
    namespace,
    uid: leaseUid(objKey(namespace, name)),
    labels: {},
    annotations: {},
    creationTimestamp: created,
    ownerReferences: owner ? [{ apiVersion: 'v1', kind: 'Node', name: owner.metadata.name, uid: owner.metadata.uid, controller: false }] : [],
    generation: 0,
    resourceVersion: state.counters.resourceVersion,
  };
}

/** The Lease of Node `node` at the state's time. */
export function nodeLease(state: SimState, node: Node): Lease {
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: meta(state, NODE_LEASE_NAMESPACE, node.metadata.name, node.metadata.creationTimestamp, node),
    spec: { holderIdentity: node.metadata.name, leaseDurationSeconds: NODE_LEASE_DURATION_SECONDS, renewTime: nodeLeaseRenewTime(node, state.t) },
  };
}

/**
 * The process number of the last holder of a leader Lease (see shared/sim/controllers/etcd.ts
 * `leaseSync`): the running one while held; after a renew-deadline loss (the process exited,
 * `process` already counts its successor) the previous one; while or right after the static Pod was
 * broken (the control-plane-down incident: no process ran, `process` unchanged) the current one.
 */
function lastHolderProcess(state: SimState, l: LeaderLease): number {
  if (l.holder !== null) return l.process;
  const cp = state.controlPlane;
  const broken = cp.brokenStaticPods?.[l.name];
  // Broken after a renew-deadline loss that had already made the process exit: the loss came first.
  if (broken !== undefined) return broken.since > l.renewedAt + LEADER_RENEW_DEADLINE_SECONDS ? Math.max(0, l.process - 1) : l.process;
  const started = cp.staticPodStartedAt?.[l.name];
  if (started !== undefined && started > l.renewedAt) return l.process; // restored, not acquired yet
  return Math.max(0, l.process - 1);
}

/** The sim second `identity` acquired the `name` Lease: its newest `LeaderElection` event, 0 for the first process. */
function acquireTime(state: SimState, name: string, identity: string, process: number): SimSeconds | undefined {
  const message = `${identity} became leader`;
  for (let i = state.events.length - 1; i >= 0; i--) {
    const e = state.events[i]!;
    if (e.reason === 'LeaderElection' && e.object.kind === 'Lease' && e.object.name === name && e.message === message) return e.t;
  }
  return process === 0 ? 0 : undefined;
}

/** The leader-election Lease of `name` at the state's time (the initial holder before the first tick). */
export function leaderLease(state: SimState, name: (typeof LEADER_LEASES)[number]): Lease {
  const l: LeaderLease = state.controlPlane.leases?.find((x) => x.name === name) ?? { name, holder: leaderIdentity(name, 0), renewedAt: state.t, process: 0, nextTryAt: state.t };
  const n = lastHolderProcess(state, l);
  const identity = l.holder ?? leaderIdentity(name, n);
  const spec: LeaseSpec = { holderIdentity: identity, leaseDurationSeconds: LEADER_LEASE_DURATION_SECONDS };
  const acquired = acquireTime(state, name, identity, n);
  if (acquired !== undefined) spec.acquireTime = acquired;
  spec.renewTime = l.renewedAt;
  spec.leaseTransitions = n;
  return { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: meta(state, 'kube-system', name, 0), spec };
}

/**
 * Every Lease now, keyed `namespace/name` (a fresh null-prototype map: the Leases are derived, see the
 * module doc). O(Nodes).
 */
export function leases(state: SimState): Record<string, Lease> {
  const out = Object.create(null) as Record<string, Lease>;
  for (const name of LEADER_LEASES) out[objKey('kube-system', name)] = leaderLease(state, name);
  for (const name of Object.keys(state.nodes).sort()) out[objKey(NODE_LEASE_NAMESPACE, name)] = nodeLease(state, state.nodes[name]!);
  return out;
}

/** The Lease kind (coordination.k8s.io/v1, namespaced, no short name). */
export const leaseKind: KindDef<Lease> = {
  apiVersion: 'coordination.k8s.io/v1',
  kind: 'Lease',
  plural: 'leases',
  singular: 'lease',
  shortNames: [],
  namespaced: true,
  store: (state) => leases(state),
  controllerKinds: [],
  toApi(lease) {
    const copy = structuredClone(lease) as unknown as Record<string, unknown>;
    apiMeta(copy);
    const m = copy['metadata'] as Record<string, unknown>;
    delete m['generation']; // the Lease registry sets none
    if ((m['ownerReferences'] as unknown[]).length === 0) delete m['ownerReferences'];
    else for (const r of m['ownerReferences'] as Record<string, unknown>[]) delete r['controller']; // the kubelet sets apiVersion, kind, name, uid only
    if (Object.keys(m['labels'] as object).length === 0) delete m['labels'];
    if (Object.keys(m['annotations'] as object).length === 0) delete m['annotations'];
    const spec = copy['spec'] as Record<string, unknown>;
    for (const f of ['acquireTime', 'renewTime']) if (typeof spec[f] === 'number') spec[f] = microTime(spec[f]);
    return copy;
  },
  // K pkg/printers/internalversion/printers.go printLease: Name, Holder, Age.
  columns: [
    { name: 'NAME', cell: (l) => l.metadata.name },
    { name: 'HOLDER', cell: (l) => l.spec.holderIdentity ?? '' },
    { name: 'AGE', cell: (l, s) => humanDuration(s.t - l.metadata.creationTimestamp) },
  ],
};
