/**
 * `pdb-drain`: the target Node is scheduled for maintenance (a kernel security patch and a reboot, as a
 * cloud provider's scheduled maintenance / an OS-patching window announces it) and must be drained
 * before then; a PodDisruptionBudget that allows no disruption blocks the drain. The incident
 * announces the reboot on the Node (Warning `MaintenanceScheduled` "Node X will be rebooted for
 * maintenance (kernel security patch) in 15m0s: drain it before then", a reminder 2 minutes before)
 * and creates the budget a team applied with `minAvailable` equal to the Deployment's replicas
 * (allowed disruptions 0: the classic misconfiguration, W tasks/run-application/configure-pdb
 * "Think about how your application reacts to disruptions"; W concepts/workloads/pods/disruptions).
 * `kubectl drain` cordons the Node and evicts through the Eviction subresource; the protected Pod is
 * refused with 429: `error when evicting pods/"x" -n "default" (will retry after 5s): Cannot evict pod
 * as it would violate the pod's disruption budget.` (kubectl drain.go). `kubectl get pdb` shows
 * ALLOWED DISRUPTIONS 0.
 *
 * The maintenance happens at the deadline whatever the players did (the module outlives mitigation):
 * the machine reboots, its kubelet stops for `rebootSeconds`, then comes back (the kubelet's `Starting` and Warning `Rebooted`, K pkg/kubelet/kubelet_node_status.go). A
 * drained Node loses nothing; one that still runs workload Pods is marked Unknown after 50 s, its
 * Pods leave the endpoints and requests routed to them time out until then.
 *
 * Params (schema and defaults: {@link pdbDrain}`.params`): `deployment` (the protected Deployment;
 * absent: the first by key with a Pod on the Node), `pdb` (`<deployment>-pdb`), `minAvailable`
 * (absent: the Deployment's replicas), `maintenanceInSeconds` (900), `rebootSeconds` (180).
 *
 * Fix: scale the Deployment up (`kubectl scale --replicas=N+1`: one more healthy Pod, one disruption
 * allowed) or relax the budget (`kubectl patch pdb X --type merge -p '{"spec":{"minAvailable":N-1}}'`),
 * then `kubectl drain` again. Mitigated when the Node is cordoned with no active workload Pod left
 * (DaemonSet Pods aside) and every affected Deployment is fully available; or, after a reboot, when the
 * Node is Ready again and every affected Deployment is fully available.
 */
import { z } from 'zod';
import type { IncidentState, PodDisruptionBudget, SimState } from '../types.ts';
import { apiWritable, createObject, markDirty, newMeta } from '../apiserver.ts';
import { getIndex, podOwnerKey, rsOwnerKey, sortedKeys } from '../cache.ts';
import { recordEvent } from '../events.ts';
import { refKey, splitKey } from '../names.ts';
import { isActive } from '../podutil.ts';
import { completeNodeReboot } from '../actions/nodeReboot.ts';
import { defineIncident } from './module.ts';
import { dnsLabel } from './params.ts';
import { nodeTarget } from './targets.ts';

/** Seconds before the reboot at which the notice is repeated. */
const REMINDER_SECONDS = 120;

/** `15m0s`, `2m0s`, `45s` (kubectl's duration style for a countdown). */
function countdown(seconds: number): string {
  const m = Math.floor(seconds / 60);
  return m > 0 ? `${m}m${seconds % 60}s` : `${seconds}s`;
}

/** The Deployment key controlling a Pod (through its ReplicaSet), or ''. */
function deploymentOf(state: SimState, podKey: string): string {
  const pod = state.pods[podKey];
  const rsKey = pod ? podOwnerKey(pod) : '';
  const rs = rsKey ? state.replicaSets[rsKey] : undefined;
  return rs ? rsOwnerKey(rs) : '';
}

/** Active Pods bound to `node` that a drain must move (DaemonSet Pods are left, `--ignore-daemonsets`). */
function workloadPodsOn(state: SimState, node: string): string[] {
  return sortedKeys(getIndex(state).podsByNode.get(node)).filter((k) => {
    const pod = state.pods[k];
    return pod !== undefined && pod.spec.nodeName === node && isActive(pod) && !pod.metadata.ownerReferences.some((r) => r.controller && r.kind === 'DaemonSet');
  });
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function allAvailable(state: SimState, keys: string[]): boolean {
  return keys.every((k) => {
    const d = state.deployments[k];
    return !d || d.status.availableReplicas >= d.spec.replicas;
  });
}

/** The `pdb-drain` incident (see the module doc). */
export const pdbDrain = defineIncident({
  kind: 'pdb-drain',
  params: z.strictObject({
    deployment: z.string().min(1).optional().describe('The Deployment the budget protects (`name` or `namespace/name`); absent: the first by key with a Pod on the Node.'),
    pdb: dnsLabel().optional().describe('Name of the PodDisruptionBudget; absent: `<deployment>-pdb`.'),
    minAvailable: z.number().int().min(1).optional().describe("The budget's minAvailable; absent: the Deployment's replicas (no disruption allowed)."),
    maintenanceInSeconds: z.number().int().min(60, { error: 'must be at least 60 (sim seconds)' }).default(900).describe('Sim seconds from the start to the reboot.'),
    rebootSeconds: z.number().int().min(1).default(180).describe('Sim seconds the machine is down for the reboot when it was not drained.'),
  }),
  target: nodeTarget,
  title: (spec) => `Node ${spec.target} maintenance: drain blocked by a PodDisruptionBudget`,
  describe: () => 'the node is scheduled for a kernel patch reboot and must be drained first',
  symptoms: [
    'kubectl get events / describe node show Warning MaintenanceScheduled "Node X will be rebooted for maintenance (kernel security patch) in 15m0s: drain it before then"',
    'kubectl drain reports: error when evicting pods/"x" -n "default" (will retry after 5s): Cannot evict pod as it would violate the pod\'s disruption budget.',
    'kubectl get pdb shows ALLOWED DISRUPTIONS 0 (minAvailable equal to the replicas); kubectl describe pdb shows Allowed disruptions: 0',
    'if the node still runs pods at the deadline it reboots: NotReady/Unknown after 50 s, its pods leave the endpoints, requests routed to them time out meanwhile',
  ],
  remediations: [
    { summary: 'Scale the protected Deployment up (<n>: one more than its replicas) so the budget allows one eviction, then drain', command: 'kubectl scale deployment/<deployment> --replicas=<n>' },
    { summary: 'Or relax the budget (<n>: one less than the replicas; the budget is <deployment>-pdb unless the scenario named it), then drain', command: `kubectl patch pdb <deployment>-pdb --type merge -p '{"spec":{"minAvailable":<n>}}'` },
    { summary: 'Drain the node before the reboot', command: 'kubectl drain <node> --ignore-daemonsets --delete-emptydir-data' },
  ],
  start(state: SimState, inc: IncidentState, { params, target: { name: node } }) {
    if (!apiWritable(state)) return { ok: false, retry: true };
    const onNode = workloadPodsOn(state, node);
    const deployments = [...new Set(onNode.map((k) => deploymentOf(state, k)).filter((k) => k !== ''))].sort();
    const key = params.deployment !== undefined ? refKey(params.deployment) : deployments[0];
    if (key === undefined) return { ok: false, retry: false, error: `node ${node} runs no Deployment's pods: nothing for a budget to protect` };
    const deployment = Object.hasOwn(state.deployments, key) ? state.deployments[key] : undefined; // own keys only: params are untrusted
    if (!deployment) return { ok: false, retry: false, error: `deployment ${params.deployment ?? key} not found` };
    const { namespace, name } = splitKey(key);
    const pdbName = params.pdb ?? `${name}-pdb`;
    const pdbKey = `${namespace}/${pdbName}`;
    if (!state.podDisruptionBudgets?.[pdbKey]) {
      const pdb: PodDisruptionBudget = {
        apiVersion: 'policy/v1',
        kind: 'PodDisruptionBudget',
        metadata: newMeta(state, namespace, pdbName, { app: name }, {}, []),
        spec: { selector: { matchLabels: { ...deployment.spec.selector.matchLabels } }, minAvailable: params.minAvailable ?? deployment.spec.replicas },
      };
      const r = createObject(state, 'PodDisruptionBudget', pdb);
      if (!r.ok) return apiWritable(state) ? { ok: false, retry: false, error: r.error } : { ok: false, retry: true };
    }
    const at = state.t + params.maintenanceInSeconds;
    recordEvent(state, 'Warning', 'MaintenanceScheduled', { kind: 'Node', name: node, namespace: '' },
      `Node ${node} will be rebooted for maintenance (kernel security patch) in ${countdown(params.maintenanceInSeconds)}: drain it before then (kubectl drain ${node} --ignore-daemonsets)`, 'maintenance-scheduler');
    inc.data['node'] = node;
    inc.data['pdb'] = pdbKey;
    inc.data['deployments'] = [...new Set([...deployments, key])].sort();
    inc.data['rebootAt'] = at;
    inc.data['rebootSeconds'] = params.rebootSeconds;
    inc.data['backAt'] = null;
    inc.data['rebooted'] = false;
    return { ok: true };
  },
  outlivesMitigation: true,
  update(state: SimState, inc: IncidentState): void {
    const node = inc.spec.target;
    const n = state.nodes[node];
    const at = inc.data['rebootAt'];
    if (!n || typeof at !== 'number') return;
    if (state.t === at - REMINDER_SECONDS && workloadPodsOn(state, node).length > 0) {
      recordEvent(state, 'Warning', 'MaintenanceScheduled', { kind: 'Node', name: node, namespace: '' },
        `Node ${node} will be rebooted for maintenance (kernel security patch) in ${countdown(REMINDER_SECONDS)}: drain it before then (kubectl drain ${node} --ignore-daemonsets)`, 'maintenance-scheduler');
    }
    if (inc.data['rebooted'] !== true && state.t >= at) {
      const drained = workloadPodsOn(state, node).length === 0;
      n.sim.kubeletUp = false;
      markDirty(state, 'nodes', node);
      inc.data['rebooted'] = true;
      inc.data['backAt'] = state.t + Number(inc.data['rebootSeconds'] ?? 180);
      recordEvent(state, 'Warning', 'Rebooting', { kind: 'Node', name: node, namespace: '' }, `Node ${node} is rebooting for maintenance (kernel security patch)${drained ? '' : '; it was not drained'}`, 'maintenance-scheduler');
      return;
    }
    const back = inc.data['backAt'];
    if (typeof back === 'number' && state.t >= back && !n.sim.kubeletUp) {
      inc.data['backAt'] = null;
      // The kubelet starts again: `Starting` and the kubelet's Warning `Rebooted` (new boot id), as `kubectl node reboot`.
      completeNodeReboot(state, node);
    }
  },
  isMitigated(state: SimState, inc: IncidentState): boolean {
    const node = state.nodes[inc.spec.target];
    if (!node) return true;
    const deployments = strings(inc.data['deployments']);
    if (inc.data['rebooted'] === true) {
      return node.sim.kubeletUp && node.status.conditions.some((c) => c.type === 'Ready' && c.status === 'True') && allAvailable(state, deployments);
    }
    return node.spec.unschedulable === true && workloadPodsOn(state, inc.spec.target).length === 0 && allAvailable(state, deployments);
  },
});
