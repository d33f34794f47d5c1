/**
 * Rebooting a Node's machine (action `nodeOperation` op `reboot`, typed in the console as the operator
 * command `ssh NODE sudo systemctl reboot` (or `sudo reboot`), shared/kubectl/ssh.ts; the context
 * panel's "Reboot" click on a Node). Not a Kubernetes API write (it happens on the host), so it works
 * while the API server refuses writes.
 *
 * The machine goes down at once: the kubelet stops heartbeating, so after the node-monitor grace period
 * (50 s) the node lifecycle controller marks it `NotReady` and its Pods leave the endpoints
 * (kubernetes-behaviour.md §3); the machine is back after {@link REBOOT_MIN_SECONDS}-{@link
 * REBOOT_MAX_SECONDS} sim seconds (firmware, OS boot, kubelet start: a pure hash of the node and the
 * second, no PRNG draw), the kubelet posts `Ready` and restarts the Pods' containers (restartCount + 1:
 * shared/sim/controllers/kubelet.ts `kubeletNodeRecovered`). A reboot shorter than the 300 s
 * `unreachable` toleration evicts nothing. The Node keeps its Pods: drain it first to move them.
 *
 * A machine that is already down (its kubelet not heartbeating) cannot be reached over ssh:
 * `ssh: connect to host NODE port 22: No route to host`.
 *
 * Replacing a Node (op `replace`, console `gameday-ops node replace NODE`: an operator command of the
 * game standing for the cloud's "recreate instance", e.g. GKE auto-repair or `gcloud compute
 * instance-groups managed recreate-instances`, which keep the instance name): the Node is drained
 * (cordon + evictions, PodDisruptionBudgets apply: ./node.ts), then deleted (its remaining Pods, e.g.
 * DaemonSet ones, are removed with it as the Pod garbage collector does), and the new machine
 * registers under the same name in the same zone {@link REPLACE_JOIN_SECONDS} later: a fresh Node
 * (same capacity and labels, no taints, schedulable, Ready). It is an API write (drain, delete):
 * refused while etcd refuses writes.
 *
 * May import: ../apiserver.ts, ../cache.ts, ../controllers/nodeLifecycle.ts, ../events.ts, ../hash.ts, ../types.ts, ./handler.ts, ./node.ts.
 */
import { apiWritable, apiWriteError, createObject, markDirty, newUid, removeObject, removePod } from '../apiserver.ts';
import { getIndex } from '../cache.ts';
import { healthyNodeConditions } from '../controllers/nodeLifecycle.ts';
import { recordEvent } from '../events.ts';
import { fnv1a64 } from '../hash.ts';
import type { Node, SimState } from '../types.ts';
import { reject, type Handled } from './handler.ts';
import { drainAction } from './node.ts';

/** Shortest reboot (machine down to kubelet up), sim seconds. */
export const REBOOT_MIN_SECONDS = 60;
/** Longest reboot, sim seconds. */
export const REBOOT_MAX_SECONDS = 120;

/** The reboot's duration for `node` started at sim second `t`: 60..120 s from a hash (no PRNG). */
export function rebootSeconds(node: string, t: number): number {
  const span = REBOOT_MAX_SECONDS - REBOOT_MIN_SECONDS + 1;
  return REBOOT_MIN_SECONDS + (parseInt(fnv1a64(`reboot:${node}:${t}`).slice(-6), 16) % span);
}

/** Takes the machine down now; it comes back when the pending action completes ({@link completeNodeReboot}). */
export function rebootNodeAction(state: SimState, name: string): Handled {
  const node = Object.hasOwn(state.nodes, name) ? state.nodes[name] : undefined; // own keys only
  if (!node) return reject(`ssh: Could not resolve hostname ${name}: Name or service not known`);
  if (!node.sim.kubeletUp) return reject(`ssh: connect to host ${name} port 22: No route to host`);
  const secs = rebootSeconds(name, state.t);
  node.sim.kubeletUp = false;
  markDirty(state, 'nodes', name);
  return {
    result: { ok: true, message: `Connection to ${name} closed by remote host.\n(the machine reboots; its kubelet is back in ~${secs}s)`, completesAt: state.t + secs },
    pending: true,
  };
}

/** The machine is back: the kubelet starts and heartbeats again (the node lifecycle controller makes it Ready). */
export function completeNodeReboot(state: SimState, name: string): void {
  const node = state.nodes[name];
  if (!node || node.sim.kubeletUp) return;
  node.sim.kubeletUp = true;
  markDirty(state, 'nodes', name);
  recordEvent(state, 'Normal', 'Starting', { kind: 'Node', name, namespace: '' }, 'Starting kubelet.', 'kubelet');
  // K pkg/kubelet/kubelet_node_status.go: a new boot id is reported as a Warning `Rebooted`.
  recordEvent(state, 'Warning', 'Rebooted', { kind: 'Node', name, namespace: '' }, `Node ${name} has been rebooted, boot id: ${bootId(name, state.t)}`, 'kubelet');
}

/** A boot id (`/proc/sys/kernel/random/boot_id`, a UUID) for the boot of `node` at sim second `t`, from a hash. */
function bootId(node: string, t: number): string {
  const h = (fnv1a64(`boot:${node}:${t}`) + fnv1a64(`boot-id:${t}:${node}`)).slice(0, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** Sim seconds from the old Node's deletion to the new machine's kubelet registering (about 3 min). */
export const REPLACE_JOIN_SECONDS = 180;

/** Drains the Node; {@link completeNodeReplace} deletes it once drained and registers the new one later. */
export function replaceNodeAction(state: SimState, name: string): Handled {
  if (!apiWritable(state)) return reject(apiWriteError(state));
  const node = Object.hasOwn(state.nodes, name) ? state.nodes[name] : undefined;
  const busy = state.pendingActions.some((p) => p.action.type === 'nodeOperation' && p.action.op === 'replace' && p.action.node === name);
  if (busy || (state.replacingNodes && Object.hasOwn(state.replacingNodes, name))) return reject(`error: node ${name} is already being replaced`);
  if (!node) return reject(`Error from server (NotFound): nodes "${name}" not found`);
  const drained = drainAction(state, name);
  if (!drained.result.ok) return drained;
  const zone = node.metadata.labels['topology.kubernetes.io/zone'] ?? '';
  return {
    result: {
      ok: true,
      message: `${drained.result.message}\nnode/${name} deleted once drained; a new machine registers as ${name}${zone ? ` in ${zone}` : ''} ~${REPLACE_JOIN_SECONDS}s later`,
      completesAt: drained.result.completesAt,
    },
    pending: true,
  };
}

/**
 * The replace's next step: the drained Node is deleted (returns when the new one registers, sim
 * seconds), or the new machine registers now (returns null). Null when there is nothing to do.
 */
export function completeNodeReplace(state: SimState, name: string): number | null {
  const node = state.nodes[name];
  const saved = state.replacingNodes?.[name];
  if (node && saved === undefined) {
    for (const key of [...(getIndex(state).podsByNode.get(name) ?? [])].sort()) removePod(state, key);
    const template = structuredClone(node);
    if (!removeObject(state, 'Node', name).ok) return state.t + 10; // etcd refuses writes: try again
    state.replacingNodes = { ...(state.replacingNodes ?? {}), [name]: template };
    recordEvent(state, 'Normal', 'RemovingNode', { kind: 'Node', name, namespace: '' }, `Node ${name} event: Removing Node ${name} from Controller`, 'node-controller');
    return state.t + REPLACE_JOIN_SECONDS;
  }
  if (!node && saved !== undefined) {
    const fresh: Node = {
      ...saved,
      metadata: { ...saved.metadata, uid: newUid(state), creationTimestamp: state.t, resourceVersion: 0, generation: 1, annotations: {} },
      spec: { unschedulable: false, taints: [] },
      status: { ...saved.status, conditions: healthyNodeConditions(state.t) },
      sim: { ...saved.sim, cpuRequestedMilli: 0, memRequestedMiB: 0, podCount: 0, kubeletUp: true, lastHeartbeat: state.t, lostAt: null },
    };
    if (!createObject(state, 'Node', fresh).ok) return state.t + 10;
    const rest = { ...state.replacingNodes };
    delete rest[name];
    if (Object.keys(rest).length === 0) delete state.replacingNodes;
    else state.replacingNodes = rest;
    recordEvent(state, 'Normal', 'RegisteredNode', { kind: 'Node', name, namespace: '' }, `Node ${name} event: Registered Node ${name} in Controller`, 'node-controller');
    return null;
  }
  return null;
}
