/**
 * The API server's side of the sim: the write gate (etcd quorum), object metadata (uids,
 * resourceVersions), the controllers' workqueues (`state.dirty`), pod add/remove with node accounting,
 * and the mutations incidents share with player actions (`setDeploymentImage`).
 *
 * Source: K staging/src/k8s.io/apiserver (writes go through etcd; without a leader or quorum they fail
 * with `etcdserver: request timed out`, kubernetes-behaviour.md §6).
 */
import { getIndex, indexAddPod, indexRemovePod, podOwnerKey, rsOwnerKey, servicesForLabels } from './cache.ts';
import { recordEvent } from './events.ts';
import { fnv1a64 } from './hash.ts';
import { objKey, splitKey } from './names.ts';
import type { ActionResult, Deployment, ImageProfile, ObjectMeta, OwnerReference, Pod, SimEvent, SimState } from './types.ts';

export { reconcileEtcd } from './controllers/etcd.ts';

/** What every API write returns while etcd has no quorum or no leader (kubectl's text). */
export const ETCD_WRITE_ERROR = 'Error from server: etcdserver: request timed out';

/**
 * True when the API server can write: etcd has quorum (floor(n/2)+1 healthy members) and a leader.
 * Source: E server/etcdserver/util.go; kubernetes-behaviour.md §6.
 */
export function apiWritable(state: SimState): boolean {
  const etcd = state.controlPlane.etcd;
  return etcd.hasQuorum && etcd.leader !== null;
}

/**
 * Queues an object for its controller (a workqueue add). `kind` is the `state.dirty` list; `key` is
 * the object key (`namespace/name`, or the node name). Duplicates are removed when the queue drains.
 * Marking a pod also queues its ReplicaSet and the Services selecting it once the queue is drained.
 */
export function markDirty(state: SimState, kind: keyof SimState['dirty'], key: string): void {
  const q = state.dirty[kind];
  if (q[q.length - 1] !== key) q.push(key);
}

/** Takes every queued key of `kind`, deduplicated and sorted (deterministic order), emptying the queue. */
export function drainDirty(state: SimState, kind: keyof SimState['dirty']): string[] {
  const q = state.dirty[kind];
  if (q.length === 0) return [];
  state.dirty[kind] = [];
  return [...new Set(q)].sort();
}

/**
 * Removes duplicates from a queue a stalled controller is not draining (etcd without quorum), so it stays
 * bounded by the number of distinct objects. Order of first appearance is kept.
 */
export function compactDirty(state: SimState, kind: keyof SimState['dirty']): void {
  const q = state.dirty[kind];
  if (q.length > 64) state.dirty[kind] = [...new Set(q)];
}

/**
 * Informer fan-out for changed pods: each queued pod marks its ReplicaSet and every Service selecting it.
 * Called by the controller loop before the ReplicaSet and EndpointSlice controllers run.
 */
export function propagatePodChanges(state: SimState): void {
  for (const key of drainDirty(state, 'pods')) {
    const pod = state.pods[key];
    if (pod) touchPodOwners(state, pod);
  }
}

function touchPodOwners(state: SimState, pod: Pod): void {
  const owner = podOwnerKey(pod);
  if (owner) markDirty(state, 'replicaSets', owner);
  for (const svc of servicesForLabels(state, pod.metadata.namespace, pod.metadata.labels)) markDirty(state, 'services', svc);
}

/** Records an event unless the sim is in createSim's warm start (a cluster that was already running). */
export function emit(
  state: SimState,
  type: SimEvent['type'],
  reason: string,
  object: { kind: string; name: string; namespace?: string },
  message: string,
  source: string,
): void {
  if (getIndex(state).warmStart) return;
  recordEvent(state, type, reason, object, message, source);
}

/** A deterministic RFC 4122-shaped uid from the state's counter. */
export function newUid(state: SimState): string {
  const n = state.counters.uid++;
  const h = fnv1a64(`uid:${n}`) + fnv1a64(`uid2:${n}`);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Bumps an object's resourceVersion (every API write does). */
export function bumpResourceVersion(state: SimState, meta: ObjectMeta): void {
  meta.resourceVersion = ++state.counters.resourceVersion;
}

/** Fresh ObjectMeta for an object created now. */
export function newMeta(
  state: SimState,
  namespace: string,
  name: string,
  labels: Record<string, string>,
  annotations: Record<string, string>,
  ownerReferences: OwnerReference[],
): ObjectMeta {
  return {
    name,
    namespace,
    uid: newUid(state),
    labels,
    annotations,
    creationTimestamp: state.t,
    ownerReferences,
    generation: 1,
    resourceVersion: ++state.counters.resourceVersion,
  };
}

/** Inserts a pod (already built) into the state, the indexes and the scheduler's activeQ. */
export function addPod(state: SimState, pod: Pod): string {
  const key = objKey(pod.metadata.namespace, pod.metadata.name);
  state.pods[key] = pod;
  indexAddPod(state, key, pod);
  if (!pod.spec.nodeName) state.scheduler.activeQ.push(key);
  markDirty(state, 'pods', key);
  return key;
}

/**
 * Removes a pod object for good (end of graceful termination, or a force delete): frees its requests on
 * the node, updates indexes, queues its ReplicaSet and Services, and asks the scheduler to retry
 * unschedulable pods since room was freed.
 */
export function removePod(state: SimState, key: string): void {
  const pod = state.pods[key];
  if (!pod) return;
  indexRemovePod(state, key, pod);
  const node = pod.spec.nodeName ? state.nodes[pod.spec.nodeName] : undefined;
  if (node) {
    node.sim.cpuRequestedMilli -= pod.sim.cpuRequestMilli;
    node.sim.memRequestedMiB -= pod.sim.memRequestMiB;
    node.sim.podCount -= 1;
    if (state.scheduler.unschedulable.length > 0) state.scheduler.moveRequested = true;
  }
  delete state.pods[key];
  touchPodOwners(state, pod);
  // The Deployment waits for old pods to be gone (Recreate, history cleanup): tell it.
  const rs = state.replicaSets[podOwnerKey(pod)];
  const d = rs ? rsOwnerKey(rs) : '';
  if (d) markDirty(state, 'deployments', d);
}

/** Finds a Deployment by key or bare name (namespace default). */
export function findDeployment(state: SimState, nameOrKey: string): { key: string; deployment: Deployment } | undefined {
  const { namespace, name } = splitKey(nameOrKey);
  const key = objKey(namespace, name);
  const deployment = state.deployments[key];
  return deployment ? { key, deployment } : undefined;
}

/** kubectl's NotFound text for a resource (`deployments.apps`, `pods`, `nodes`...). */
export function notFound(resource: string, name: string): string {
  return `Error from server (NotFound): ${resource} "${name}" not found`;
}

/** Makes sure `state.images[image]` exists (a copy of the default profile for an unknown image). */
export function ensureImageProfile(state: SimState, image: string): ImageProfile {
  let p = state.images[image];
  if (!p) state.images[image] = p = { ...state.defaultImageProfile };
  return p;
}

/**
 * Writes a Deployment's pod template (an API update): bumps generation and resourceVersion and queues the
 * Deployment; the deployment controller then rolls out a new ReplicaSet.
 */
export function writeDeploymentTemplate(state: SimState, key: string, d: Deployment): void {
  d.metadata.generation += 1;
  bumpResourceVersion(state, d.metadata);
  markDirty(state, 'deployments', key);
}

/**
 * The path of `kubectl set image deployment/NAME CONTAINER=IMAGE`: changes the image of `container`
 * (default: the first container) in the Deployment's template; the rollout follows through the
 * deployment controller. `source` names who did it (`player:alice`, `incident:bad-rollout`) and is the
 * source of the event recorded. Fails (no change) on an unknown Deployment or container, or without etcd
 * quorum. `completesAt` is now: the write is immediate, the rollout is not.
 */
export function setDeploymentImage(state: SimState, deployment: string, image: string, source: string, container?: string): ActionResult {
  const found = findDeployment(state, deployment);
  if (!found) return { ok: false, error: notFound('deployments.apps', splitKey(deployment).name) };
  if (!apiWritable(state)) return { ok: false, error: ETCD_WRITE_ERROR };
  const d = found.deployment;
  const containers = d.spec.template.spec.containers;
  const c = container === undefined ? containers[0] : containers.find((x) => x.name === container);
  if (!c) return { ok: false, error: `error: unable to find container named "${container ?? ''}"` };
  const name = d.metadata.name;
  ensureImageProfile(state, image);
  if (c.image === image) return { ok: true, message: `deployment.apps/${name} image unchanged`, completesAt: state.t };
  c.image = image;
  writeDeploymentTemplate(state, found.key, d);
  emit(state, 'Normal', 'ImageUpdated', { kind: 'Deployment', name, namespace: d.metadata.namespace }, `Container ${c.name} image set to ${image}`, source);
  return { ok: true, message: `deployment.apps/${name} image updated`, completesAt: state.t };
}
