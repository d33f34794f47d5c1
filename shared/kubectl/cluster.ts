/**
 * Read helpers over the sim state for the console: sorted listings per namespace, the API read gate,
 * derived display values (pod/node IPs, READY/RESTARTS columns, CPU usage from the traffic model).
 *
 * May import: ../sim/* (read only), ./format.ts.
 */
export { clusterIp, nodeIp, podIp, podReadyColumn, restartsColumn } from '../sim/kinds/print.ts';
import type { Deployment, Node, Pod, ReplicaSet, SimState } from '../sim/types.ts';
import { ETCD_WRITE_ERROR, apiWritable } from '../sim/apiserver.ts';
import { getIndex, sortedKeys } from '../sim/cache.ts';
import { revisionOf } from '../sim/controllers/deployment.ts';
import { podCpuUsageMilli } from '../sim/podMetrics.ts';
import { REQUEST_TIMEOUT_SECONDS } from '../sim/controllers/etcd.ts';
import { ETCDCTL_TIMEOUT } from './etcdctl.ts';

/** etcdctl's `--command-timeout` default, sim seconds (E etcdctl/ctlv3/ctl.go `defaultCommandTimeOut` 5 s). */
export const ETCDCTL_COMMAND_TIMEOUT_SECONDS = 5;

/**
 * kubectl's text when etcd has no quorum or no leader: linearizable reads fail with the same
 * `etcdserver: request timed out` as writes (kubernetes-behaviour.md §6).
 */
export const ETCD_READ_ERROR = ETCD_WRITE_ERROR;

/**
 * True when the API server can serve reads: etcd has quorum and a leader, the same condition as
 * writes (shared/sim/apiserver.ts `apiWritable`): kubectl's reads are linearizable quorum reads. The
 * etcd NOSPACE alarm refuses writes only: reads keep working (https://etcd.io/docs/v3.5/op-guide/maintenance/#space-quota).
 */
export function apiReadable(state: SimState): boolean {
  const etcd = state.controlPlane.etcd;
  return apiWritable(state) || (etcd.hasQuorum && etcd.leader !== null);
}

/**
 * When the API server answers a console line that failed with {@link ETCD_READ_ERROR} (a read or a
 * write etcd could not serve: no quorum or no leader): now + 7 s, sim seconds (etcd's request timeout,
 * shared/sim/controllers/etcd.ts `REQUEST_TIMEOUT_SECONDS`: the read or proposal waits for it before
 * `etcdserver: request timed out`); for etcdctl's `Error: context deadline exceeded` (a Raft request
 * such as `member list` without quorum), now + {@link ETCDCTL_COMMAND_TIMEOUT_SECONDS}. Undefined for
 * any other error. The console answers such a line from the state at once; the room holds the reply
 * until this sim second (server/rooms/heldReplies.ts).
 */
export function apiTimeoutReplyAt(state: SimState, error: string): number | undefined {
  if (error === ETCD_READ_ERROR && !apiReadable(state)) return state.t + REQUEST_TIMEOUT_SECONDS;
  if (error === ETCDCTL_TIMEOUT) return state.t + ETCDCTL_COMMAND_TIMEOUT_SECONDS;
  return undefined;
}

/** Objects of a `namespace/name`-keyed map in namespace `ns` (all when null), sorted by namespace then name. */
export function inNamespace<T extends { metadata: { namespace: string; name: string } }>(map: Record<string, T>, ns: string | null): T[] {
  return Object.keys(map)
    .sort()
    .map((k) => map[k]!)
    .filter((o) => ns === null || o.metadata.namespace === ns);
}

/** Nodes sorted by name. */
export function sortedNodes(state: SimState): Node[] {
  return Object.keys(state.nodes)
    .sort()
    .map((k) => state.nodes[k]!);
}

/** ReplicaSets of a Deployment (by key), sorted by key. */
export function deploymentReplicaSets(state: SimState, deploymentKey: string): ReplicaSet[] {
  return sortedKeys(getIndex(state).rsByDeployment.get(deploymentKey))
    .map((k) => state.replicaSets[k])
    .filter((x): x is ReplicaSet => x !== undefined);
}

/** Revision number of a ReplicaSet (`deployment.kubernetes.io/revision`), 0 when absent (the controller's `revisionOf`). */
export function rsRevision(rs: ReplicaSet): number {
  return revisionOf(rs);
}

/** Pods on a node, sorted by key. */
export function podsOnNode(state: SimState, node: string): Pod[] {
  return sortedKeys(getIndex(state).podsByNode.get(node))
    .map((k) => state.pods[k])
    .filter((p): p is Pod => p !== undefined && p.spec.nodeName === node);
}

/**
 * CPU a pod uses now, millicores: its share of each selecting Service's rps (when it is a Ready
 * endpoint) times the image's `cpuPerRequestMilli`, capped at its CPU limit, plus 1 m idle. 0 when its
 * container is not running.
 */
export function podCpuUsage(state: SimState, pod: Pod): number {
  return podCpuUsageMilli(state, pod);
}

/** Human description of a Deployment's strategy (`25% max unavailable, 25% max surge`). */
export function rollingUpdateText(d: Deployment): string {
  const ru = d.spec.strategy.rollingUpdate;
  return `${ru?.maxUnavailable ?? '25%'} max unavailable, ${ru?.maxSurge ?? '25%'} max surge`;
}
