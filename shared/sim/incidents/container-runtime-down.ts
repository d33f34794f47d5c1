/**
 * `container-runtime-down`: containerd on the target Node stopped (a package upgrade stopped the unit
 * and never started it again) while the kubelet keeps running. The kubelet still posts node status
 * and renews its Lease, but its runtime checks fail (K pkg/kubelet/runtime_state.go, kubelet.go
 * `updateRuntimeUp` every 5 s, `maxWaitForContainerRuntime` 30 s; pleg/generic.go `relistThreshold`
 * 3 m), so it reports the Node not Ready (K pkg/kubelet/nodestatus/setters.go `ReadyCondition`):
 * `Ready=False`, reason `KubeletNotReady`, message `container runtime is down` from 30 s on, and from
 * the first status update with the PLEG silent for over 3 min (190 s: updates every 10 s)
 * `[container runtime is down, PLEG is not healthy: pleg was last seen active 3m10s ago; threshold is
 * 3m0s]` (the aggregate of both errors, the elapsed time refreshed at each 10 s update).
 *
 * The node lifecycle controller (../controllers/nodeLifecycle.ts; kubernetes-behaviour.md §3): the
 * `node.kubernetes.io/not-ready` NoSchedule taint at once, `NodeNotReady`, the Node's Pods marked not
 * Ready (they leave the EndpointSlices), `not-ready:NoExecute` from the zone's rate-limited tainter,
 * and after the Pods' 300 s toleration their deletion (they stay Terminating: the kubelet cannot stop
 * containers without a runtime) while their ReplicaSets replace them elsewhere. The containers already
 * running keep serving (containerd's shims outlive it) until they leave the endpoints; the kubelet
 * starts, probes and stops no container meanwhile (../controllers/kubelet.ts `nodeUp`).
 *
 * Params (schema and defaults: {@link containerRuntimeDown}`.params`): none.
 *
 * Fix: `ssh NODE sudo systemctl restart containerd` (admin command `containerd-restart`, registered
 * below): the kubelet sees the runtime at its next check and posts `Ready=True` (`KubeletReady`)
 * {@link RUNTIME_RECOVERY_SECONDS} later; the controller removes the not-ready taints and the kubelet
 * marks the running Pods Ready again (no restart: the containers kept running); Pods marked for
 * deletion finish. Or drain the Node and let the Pods run elsewhere. Mitigated when the Node is Ready
 * again, or when none of its former Pods is Ready and every Deployment that had Pods there is fully
 * available again.
 */
import { z } from 'zod';
import type { IncidentState, NodeCondition, SimState } from '../types.ts';
import { markDirty, updateStatus } from '../apiserver.ts';
import { getIndex, podOwnerKey, rsOwnerKey, sortedKeys } from '../cache.ts';
import { recordEvent } from '../events.ts';
import { registerAdminCommand } from '../actions/admin.ts';
import { reject, type Handled } from '../actions/handler.ts';
import { kubeletNodeRecovered } from '../controllers/kubelet.ts';
import { defineIncident } from './module.ts';
import { nodeTarget } from './targets.ts';

/** `maxWaitForContainerRuntime` (K pkg/kubelet/kubelet.go): sim seconds without a runtime status before `container runtime is down`. */
export const RUNTIME_DOWN_AFTER_SECONDS = 30;
/** PLEG `relistThreshold` (K pkg/kubelet/pleg/generic.go): 3 min, sim seconds. */
export const PLEG_THRESHOLD_SECONDS = 180;
/** The kubelet's node status update period (`nodeStatusUpdateFrequency` 10 s), sim seconds. */
export const NODE_STATUS_PERIOD_SECONDS = 10;
/** Sim seconds from `systemctl restart containerd` to the kubelet posting `Ready=True` (its next runtime check and status update). */
export const RUNTIME_RECOVERY_SECONDS = 10;

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** Go's `time.Duration.String` of whole seconds (`3m10s`, `1h0m10s`). */
export function goDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const sec = seconds % 60;
  return h > 0 ? `${h}h${m}m${sec}s` : m > 0 ? `${m}m${sec}s` : `${sec}s`;
}

/**
 * The kubelet's `Ready` message `elapsed` sim seconds after the runtime stopped, or null while it still
 * reports Ready (the first 30 s). The PLEG part appears at the first 10 s status update past 3 min.
 */
export function runtimeDownMessage(elapsed: number): string | null {
  if (elapsed < RUNTIME_DOWN_AFTER_SECONDS) return null;
  const post = Math.floor(elapsed / NODE_STATUS_PERIOD_SECONDS) * NODE_STATUS_PERIOD_SECONDS;
  if (post <= PLEG_THRESHOLD_SECONDS) return 'container runtime is down';
  return `[container runtime is down, PLEG is not healthy: pleg was last seen active ${goDuration(post)} ago; threshold is ${goDuration(PLEG_THRESHOLD_SECONDS)}]`;
}

/** What the console shows about a Node whose runtime went down (ssh.ts): when, and when it was restarted (null: not yet). */
export interface RuntimeDownRecord {
  downAt: number;
  restartedAt: number | null;
}

/** The latest `container-runtime-down` of `node` (own keys only) while it is the same machine, or null. O(incidents). */
export function runtimeDownRecord(state: SimState, node: string): RuntimeDownRecord | null {
  const n = Object.hasOwn(state.nodes, node) ? state.nodes[node] : undefined;
  if (!n) return null;
  let last: RuntimeDownRecord | null = null;
  for (const inc of state.incidents) {
    if (inc.spec.type !== 'container-runtime-down' || (inc.status !== 'active' && inc.status !== 'mitigated') || inc.data['error'] !== undefined) continue;
    if (inc.data['node'] !== node || inc.data['uid'] !== n.metadata.uid || typeof inc.data['downAt'] !== 'number') continue;
    const restartedAt = typeof inc.data['restartedAt'] === 'number' ? inc.data['restartedAt'] : null;
    if (last === null || inc.data['downAt'] >= last.downAt) last = { downAt: inc.data['downAt'], restartedAt };
  }
  return last;
}

function readyCondition(status: 'True' | 'False', reason: string, message: string, now: number, since: number): NodeCondition {
  return { type: 'Ready', status, reason, message, lastHeartbeatTime: now, lastTransitionTime: since };
}

/**
 * `ssh NODE sudo systemctl restart containerd` (admin command `containerd-restart`, arg NODE): prints
 * nothing (systemctl's answer); on a Node whose runtime is down the kubelet reports Ready
 * {@link RUNTIME_RECOVERY_SECONDS} later (the incident's `update`). Rejected: no such Node.
 */
function restartContainerd(state: SimState, arg: string | undefined): Handled {
  const node = arg !== undefined && Object.hasOwn(state.nodes, arg) ? state.nodes[arg] : undefined;
  if (!node) return reject(`ssh: Could not resolve hostname ${arg ?? ''}: Name or service not known`);
  let completesAt = state.t;
  for (const inc of state.incidents) {
    if (inc.spec.type !== 'container-runtime-down' || (inc.status !== 'active' && inc.status !== 'mitigated') || inc.data['node'] !== arg || inc.data['uid'] !== node.metadata.uid) continue;
    if (inc.data['restartedAt'] !== null) continue;
    inc.data['restartedAt'] = state.t;
    completesAt = state.t + RUNTIME_RECOVERY_SECONDS;
  }
  return { result: { ok: true, message: '', completesAt } };
}

registerAdminCommand('containerd-restart', restartContainerd);

/** The `container-runtime-down` incident (see the module doc). */
export const containerRuntimeDown = defineIncident({
  kind: 'container-runtime-down',
  params: z.strictObject({}),
  target: nodeTarget,
  title: (spec) => `Container runtime down on ${spec.target}`,
  describe: () => 'containerd stopped: the kubelet keeps posting status but reports the Node not Ready',
  symptoms: [
    'after about 30 s kubectl get nodes shows the Node NotReady; describe node: Ready False, KubeletNotReady "container runtime is down" (after 3 min also "PLEG is not healthy"), taint node.kubernetes.io/not-ready',
    'its pods turn 0/1 (out of the endpoints) though their containers still run; after the 300 s toleration they show Terminating and replacements start on the other Nodes if they fit',
    'ssh <node> sudo systemctl status containerd: inactive (dead); ssh <node> sudo journalctl -u kubelet: "Container runtime sanity check failed", "Skipping pod synchronization" err="container runtime is down"',
  ],
  remediations: [
    { summary: 'Start the container runtime again (the kubelet reports Ready ~10 s later, the running pods turn Ready)', command: 'ssh <node> sudo systemctl restart containerd' },
    { summary: 'Or drain the Node so its pods run elsewhere', command: 'kubectl drain <node> --ignore-daemonsets --delete-emptydir-data' },
  ],
  start(state: SimState, inc: IncidentState, { target: { name, node } }) {
    if (!node.sim.kubeletUp) return { ok: false, retry: false, error: `node ${name} is down` };
    if (node.sim.runtimeDownSince !== undefined) return { ok: false, retry: false, error: `the container runtime of node ${name} is already down` };
    node.sim.runtimeDownSince = state.t;
    const pods = sortedKeys(getIndex(state).podsByNode.get(name)).filter((k) => state.pods[k]?.spec.nodeName === name);
    const deployments = new Set<string>();
    for (const key of pods) {
      const rsKey = podOwnerKey(state.pods[key]!);
      const rs = rsKey ? state.replicaSets[rsKey] : undefined;
      const d = rs ? rsOwnerKey(rs) : '';
      if (d) deployments.add(d);
    }
    inc.data['node'] = name;
    inc.data['uid'] = node.metadata.uid;
    inc.data['downAt'] = state.t;
    inc.data['restartedAt'] = null;
    inc.data['pods'] = pods;
    inc.data['deployments'] = [...deployments].sort();
    return { ok: true };
  },
  outlivesMitigation: true, // a drained Node's runtime stays down: restarting it later brings the Node back
  update(state: SimState, inc: IncidentState): void {
    const name = inc.data['node'];
    const downAt = inc.data['downAt'];
    if (typeof name !== 'string' || typeof downAt !== 'number') return;
    const node = Object.hasOwn(state.nodes, name) ? state.nodes[name] : undefined;
    if (!node || node.metadata.uid !== inc.data['uid'] || node.sim.runtimeDownSince !== downAt) return;
    if (!node.sim.kubeletUp) return; // the machine is down too: no status posted
    const conds = node.status.conditions;
    const i = conds.findIndex((c) => c.type === 'Ready');
    const old = i >= 0 ? conds[i]! : undefined;
    const restartedAt = inc.data['restartedAt'];
    if (typeof restartedAt === 'number' && state.t >= restartedAt + RUNTIME_RECOVERY_SECONDS) {
      delete node.sim.runtimeDownSince;
      const wasFalse = old?.status === 'False';
      const c = readyCondition('True', 'KubeletReady', 'kubelet is posting ready status', state.t, wasFalse ? state.t : (old?.lastTransitionTime ?? state.t));
      if (i >= 0) conds[i] = c;
      else conds.push(c);
      updateStatus(state, 'Node', name);
      markDirty(state, 'nodes', name);
      if (wasFalse) recordEvent(state, 'Normal', 'NodeReady', { kind: 'Node', name, namespace: '' }, `Node ${name} status is now: NodeReady`, 'kubelet');
      kubeletNodeRecovered(state, name, { containersKept: true }); // the kubelet's pod workers resync: the containers kept running
      return;
    }
    const message = runtimeDownMessage(state.t - downAt);
    if (message === null || (old?.status === 'False' && old.message === message)) return;
    const becameFalse = old?.status !== 'False';
    conds[i >= 0 ? i : conds.length] = readyCondition('False', 'KubeletNotReady', message, state.t, becameFalse ? state.t : old!.lastTransitionTime);
    updateStatus(state, 'Node', name);
    if (becameFalse) {
      markDirty(state, 'nodes', name); // the node lifecycle controller sees the condition
      recordEvent(state, 'Normal', 'NodeNotReady', { kind: 'Node', name, namespace: '' }, `Node ${name} status is now: NodeNotReady`, 'kubelet');
    }
  },
  isMitigated(state: SimState, inc: IncidentState): boolean {
    const name = inc.data['node'];
    const node = typeof name === 'string' && Object.hasOwn(state.nodes, name) ? state.nodes[name] : undefined;
    if (node && node.sim.kubeletUp && node.sim.runtimeDownSince === undefined && node.status.conditions.some((c) => c.type === 'Ready' && c.status === 'True')) return true;
    for (const key of strings(inc.data['pods'])) if (state.pods[key]?.sim.ready) return false;
    for (const key of strings(inc.data['deployments'])) {
      const d = state.deployments[key];
      if (d && d.status.availableReplicas < d.spec.replicas) return false;
    }
    return true;
  },
});
