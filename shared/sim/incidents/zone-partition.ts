/**
 * `zone-partition`: a network partition cuts one zone off from the rest of the cluster (a failed
 * inter-zone link or a misapplied network ACL / security group: the Nodes run, but neither the
 * control plane nor the other zones reach them). Every kubelet of the zone stops heartbeating as far
 * as the API server can tell: after the node-monitor grace period (50 s) the node lifecycle controller
 * marks the zone's Nodes `Ready=Unknown` ("Kubelet stopped posting node status.", `NodeNotReady`),
 * adds the `node.kubernetes.io/unreachable` NoSchedule / NoExecute taints and marks their Pods not
 * Ready (they leave the EndpointSlices); once the Pods' default 300 s toleration runs out the taint
 * manager marks them for deletion (`TaintManagerEviction`): they show Terminating (the kubelet cannot
 * confirm) while their ReplicaSets create replacements in the healthy zones, if they fit. Until the
 * Pods leave the endpoints, requests routed to them from the other zones time out
 * (kubernetes-behaviour.md §3). The node lifecycle controller's zone rules
 * (K pkg/controller/nodelifecycle/node_lifecycle_controller.go): a zone whose Nodes are all not Ready
 * is in full disruption and is evicted at the normal rate (0.1 Nodes/s); when every zone is, the
 * controller assumes its own connectivity is at fault and evicts nothing; a zone more than 55 %
 * unhealthy (and at least 3 Nodes) is in partial disruption: 0.01 Nodes/s in a zone of more than 50
 * Nodes, no eviction in a smaller one. The partition heals after `durationSeconds`.
 *
 * The isolated side (shared/sim/trafficPartition.ts): kube-proxy on the zone's Nodes cannot watch the
 * API server and keeps the rules it had at the cut (snapshotted at the start, incident data
 * `proxyRules`), so calls from the zone's Pods (an in-cluster client, an ingress entry with `from`) are
 * served by the zone's Pods of those rules, even after the control plane marked them not Ready or
 * Terminating, while calls across the cut time out; traffic from outside (the load balancer) reaches
 * only the rest, so the user-facing SLIs see only the healthy side.
 *
 * Params (schema and defaults: {@link zonePartition}`.params`): `durationSeconds` (sim seconds until
 * the network heals, 900).
 *
 * Fix: cordon the zone's Nodes (so nothing lands there when it flaps back) and add capacity in the
 * healthy zones (`kubectl scale`), or force-delete the Terminating Pods; or wait out the heal.
 * Mitigated when the zone is reachable again with every Node Ready, or when every Deployment that had
 * Pods in the zone is fully available again.
 */
import { z } from 'zod';
import type { IncidentState, SimState } from '../types.ts';
import { markDirty } from '../apiserver.ts';
import { getIndex, podOwnerKey, rsOwnerKey, sortedKeys } from '../cache.ts';
import { recordNotice } from '../notices.ts';
import { defineIncident } from './module.ts';
import { zoneTarget } from './targets.ts';
import { PROXY_RULES_KEY, snapshotProxyRules } from '../trafficPartition.ts';

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** The `zone-partition` incident (see the module doc). */
export const zonePartition = defineIncident({
  kind: 'zone-partition',
  params: z.strictObject({
    durationSeconds: z
      .number()
      .int({ error: 'must be a whole number of sim seconds' })
      .min(1, { error: 'must be at least 1 (sim seconds)' })
      .default(900)
      .describe('Sim seconds until the network heals and the zone is reachable again.'),
  }),
  target: zoneTarget,
  title: (spec) => `Network partition isolates zone ${spec.target}`,
  describe: () => 'the zone\'s Nodes are cut off from the control plane and the other zones',
  symptoms: [
    'requests routed to the zone\'s pods time out: errors and latency climb until the pods leave the endpoints',
    'after about 50 s kubectl get nodes shows every Node of the zone NotReady (describe node: Ready Unknown, "Kubelet stopped posting node status.", taint node.kubernetes.io/unreachable) and their pods 0/1',
    'after the 300 s toleration their pods show Terminating (TaintManagerEviction) and replacements start in the other zones if they fit; Pending pods (Insufficient cpu) when they do not',
    'zone rules: a zone wholly down is evicted at 0.1 nodes/s; if every zone is down nothing is evicted; a small zone more than 55 % down is not evicted at all',
  ],
  remediations: [
    { summary: 'Cordon the zone\'s Nodes so nothing lands there when the link flaps back', command: 'kubectl cordon <node>' },
    { summary: 'Add capacity in the healthy zones', command: 'kubectl scale deployment/<deployment> --replicas=<n>' },
    { summary: 'Or force-delete the pods stuck Terminating in the zone (their kubelet cannot confirm)', command: 'kubectl delete pod <pod> --force --grace-period=0' },
  ],
  start(state: SimState, inc: IncidentState, { params, target: { zone, nodes } }) {
    const deployments = new Set<string>();
    const idx = getIndex(state);
    for (const name of nodes) {
      const node = state.nodes[name]!;
      node.sim.kubeletUp = false;
      markDirty(state, 'nodes', name);
      for (const key of sortedKeys(idx.podsByNode.get(name))) {
        const pod = state.pods[key];
        const rsKey = pod ? podOwnerKey(pod) : '';
        const rs = rsKey ? state.replicaSets[rsKey] : undefined;
        const d = rs ? rsOwnerKey(rs) : '';
        if (d) deployments.add(d);
      }
    }
    inc.data[PROXY_RULES_KEY] = snapshotProxyRules(state, nodes);
    inc.data['zone'] = zone;
    inc.data['nodes'] = nodes;
    inc.data['deployments'] = [...deployments].sort();
    inc.data['healAt'] = state.t + params.durationSeconds;
    inc.data['healed'] = false;
    return { ok: true };
  },
  outlivesMitigation: true,
  update(state: SimState, inc: IncidentState): void {
    const at = inc.data['healAt'];
    if (typeof at !== 'number' || state.t < at || inc.data['healed'] === true) return;
    inc.data['healed'] = true;
    for (const name of strings(inc.data['nodes'])) {
      const node = state.nodes[name];
      if (!node || node.sim.kubeletUp) continue;
      node.sim.kubeletUp = true;
      markDirty(state, 'nodes', name);
    }
    recordNotice(state, 'incident', 'Normal', 'PartitionHealed', { kind: 'Zone', name: inc.spec.target, namespace: '' }, `Network to zone ${inc.spec.target} restored: its kubelets reach the API server again`);
  },
  isMitigated(state: SimState, inc: IncidentState): boolean {
    const nodes = strings(inc.data['nodes']);
    if (inc.data['healed'] === true && nodes.every((n) => {
      const node = state.nodes[n];
      return !node || (node.sim.kubeletUp && node.status.conditions.some((c) => c.type === 'Ready' && c.status === 'True'));
    })) return true;
    if (inc.data['healed'] !== true) {
      // Still cut off: the zone's pods must be out of service and the Deployments whole again elsewhere.
      for (const n of nodes) for (const key of sortedKeys(getIndex(state).podsByNode.get(n))) if (state.pods[key]?.sim.ready) return false;
    }
    for (const key of strings(inc.data['deployments'])) {
      const d = state.deployments[key];
      if (d && d.status.availableReplicas < d.spec.replicas) return false;
    }
    return true;
  },
});
