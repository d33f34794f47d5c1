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
 * May import: ../apiserver.ts, ../events.ts, ../hash.ts, ../types.ts, ./handler.ts.
 */
import { markDirty } from '../apiserver.ts';
import { recordEvent } from '../events.ts';
import { fnv1a64 } from '../hash.ts';
import type { SimState } from '../types.ts';
import { reject, type Handled } from './handler.ts';

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
    event: { reason: 'Rebooted', object: { kind: 'Node', name, namespace: '' }, message: `Node ${name} is rebooting (operator: systemctl reboot)` },
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
}
