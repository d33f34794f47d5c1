/**
 * The Node kind (core/v1, cluster-scoped): storage `state.nodes` (keys are names), API serialisation
 * (status.addresses InternalIP added, times RFC 3339) and kubectl's node columns (printNode).
 *
 * May import: ../types.ts, ../status.ts, ./kind.ts, ./print.ts, ./serialize.ts.
 */
import { nodeDisplayStatus } from '../status.ts';
import type { Node } from '../types.ts';
import type { KindDef } from './kind.ts';
import { humanDuration, nodeIp } from './print.ts';
import { apiCopy, apiMeta, stampEach } from './serialize.ts';

/** Kubernetes version the nodes report (VERSION column). */
export const KUBELET_VERSION = 'v1.33.1';

/** The Node kind. */
export const nodeKind: KindDef<Node> = {
  apiVersion: 'v1',
  kind: 'Node',
  plural: 'nodes',
  singular: 'node',
  shortNames: ['no'],
  namespaced: false,
  store: (state) => state.nodes,
  controllerKinds: [],
  toApi(node, state) {
    const copy = apiCopy(node);
    apiMeta(copy);
    const spec = copy['spec'] as Record<string, unknown>;
    stampEach(spec['taints'], ['timeAdded']);
    const status = copy['status'] as Record<string, unknown>;
    stampEach(status['conditions'], ['lastHeartbeatTime', 'lastTransitionTime']);
    status['addresses'] = [{ type: 'InternalIP', address: nodeIp(state, node.metadata.name) }, { type: 'Hostname', address: node.metadata.name }];
    status['nodeInfo'] = { kubeletVersion: KUBELET_VERSION, osImage: 'Ubuntu 24.04.2 LTS', kernelVersion: '6.8.0-60-generic', containerRuntimeVersion: 'containerd://2.1.1' };
    return copy;
  },
  columns: [
    { name: 'NAME', cell: (n) => n.metadata.name },
    { name: 'STATUS', cell: (n) => nodeDisplayStatus(n) },
    { name: 'ROLES', cell: () => '<none>' },
    { name: 'AGE', cell: (n, s) => humanDuration(s.t - n.metadata.creationTimestamp) },
    { name: 'VERSION', cell: () => KUBELET_VERSION },
    { name: 'INTERNAL-IP', wide: true, cell: (n, s) => nodeIp(s, n.metadata.name) },
    { name: 'EXTERNAL-IP', wide: true, cell: () => '<none>' },
    { name: 'OS-IMAGE', wide: true, cell: () => 'Ubuntu 24.04.2 LTS' },
    { name: 'KERNEL-VERSION', wide: true, cell: () => '6.8.0-60-generic' },
    { name: 'CONTAINER-RUNTIME', wide: true, cell: () => 'containerd://2.1.1' },
  ],
};
