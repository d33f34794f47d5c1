/**
 * `kubectl cordon`, `uncordon` and `drain`. Drain cordons, then evicts every pod of the node through
 * the Eviction subresource at once (kubectl drain evicts in parallel; `evictPod` in ../apiserver.ts,
 * where PodDisruptionBudgets gate it: a refused pod is reported with kubectl's `error when evicting`
 * line and left running); the action completes when the last evicted pod is gone (each takes
 * min(grace, 2-5 s); on a dead node, its grace period). kubernetes-behaviour.md §3.
 */
import { evictPod, notFound, updateObject } from '../apiserver.ts';
import { getIndex } from '../cache.ts';
import { recordEvent } from '../events.ts';
import { splitKey } from '../names.ts';
import { isTerminating } from '../podutil.ts';
import type { SimState } from '../types.ts';
import { reject, type Handled } from './handler.ts';

/**
 * Writes `spec.unschedulable`; the Node's kubelet, when it runs, then records `NodeNotSchedulable` /
 * `NodeSchedulable` ("Node NAME status is now: NodeNotSchedulable", source kubelet: K
 * pkg/kubelet/nodestatus/setters.go `GoRuntime`/`recordNodeSchedulableEvent`). kubectl records no event
 * of its own. Returns the write's error, or null.
 */
function setUnschedulable(state: SimState, name: string, value: boolean): string | null {
  const r = updateObject(state, 'Node', name, (n) => {
    n.spec.unschedulable = value;
  });
  if (!r.ok) return r.error;
  const reason = value ? 'NodeNotSchedulable' : 'NodeSchedulable';
  if (state.nodes[name]?.sim.kubeletUp === true) recordEvent(state, 'Normal', reason, { kind: 'Node', name, namespace: '' }, `Node ${name} status is now: ${reason}`, 'kubelet');
  return null;
}

/** Sets or clears `spec.unschedulable`. */
export function cordonAction(state: SimState, name: string, cordon: boolean): Handled {
  const node = Object.hasOwn(state.nodes, name) ? state.nodes[name] : undefined; // own keys only: a player's name may be `constructor`
  if (!node) return reject(notFound('nodes', name));
  const verb = cordon ? 'cordoned' : 'uncordoned';
  if (node.spec.unschedulable === cordon) return { result: { ok: true, message: `node/${name} already ${verb}`, completesAt: state.t } };
  const error = setUnschedulable(state, name, cordon);
  if (error !== null) return reject(error);
  return { result: { ok: true, message: `node/${name} ${verb}`, completesAt: state.t } };
}

/** Cordons the node and evicts its pods; completes when they are gone. */
export function drainAction(state: SimState, name: string): Handled {
  const node = Object.hasOwn(state.nodes, name) ? state.nodes[name] : undefined; // own keys only: a player's name may be `constructor`
  if (!node) return reject(notFound('nodes', name));
  if (!node.spec.unschedulable) {
    const error = setUnschedulable(state, name, true);
    if (error !== null) return reject(error);
  }
  const keys = [...(getIndex(state).podsByNode.get(name) ?? [])].sort().filter((k) => !isTerminating(state.pods[k]!));
  let done = state.t;
  const lines = [`node/${name} cordoned`];
  for (const key of keys) {
    lines.push(`evicting pod ${key}`);
    const r = evictPod(state, key);
    if (r.ok) done = Math.max(done, r.goneAt);
    else {
      const { namespace, name: pod } = splitKey(key);
      lines.push(`error when evicting pods/"${pod}" -n "${namespace}" (will retry after 5s): ${r.error}`);
    }
  }
  lines.push(`node/${name} drained`);
  // kubectl drain records no event: the cordon shows as the kubelet's NodeNotSchedulable, each evicted
  // Pod as its kubelet's `Killing` (kubernetes-behaviour.md §6).
  return { result: { ok: true, message: lines.join('\n'), completesAt: done }, pending: true };
}
