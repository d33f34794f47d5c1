/**
 * `node-memory-pressure`: something outside the Pods' accounting (a leaking system daemon, a runaway
 * node agent) eats the target Node's memory until `memory.available` falls under the kubelet's hard
 * threshold (100Mi). The kubelet's eviction manager (shared/sim/controllers/eviction.ts) sets `MemoryPressure=True`,
 * the taint `node.kubernetes.io/memory-pressure:NoSchedule` keeps new Pods away, and every 10 s it
 * evicts one Pod ranked by QoS (BestEffort, Burstable over its requests, Burstable, Guaranteed):
 * killed at once, left as a Failed `Evicted` Pod, replaced by its ReplicaSet on another Node. Each
 * eviction drops a replica's capacity without warning (hard eviction ignores PodDisruptionBudgets).
 * The condition clears 300 s (pressure transition period) after memory is back above the threshold
 * (W concepts/scheduling-eviction/node-pressure-eviction.md; kubernetes-behaviour.md §3).
 *
 * Params (schema and defaults: {@link nodeMemoryPressure}`.params`): `deficitMiB` (how far under the
 * threshold the node is at the start, 600: more than evicting its Pods frees, so the kubelet keeps
 * evicting until the Node is empty), `recoverAfter` (the leaking process is restarted after so many sim
 * seconds; absent: never).
 *
 * Fix: `kubectl drain <node>` (cordon, then graceful, PDB-respecting evictions: the replicas move
 * before the kubelet kills them) or `kubectl cordon <node>`. Mitigated when every Deployment that had
 * Pods on the Node is fully available and either no workload Pod is left on the Node or its memory is
 * back above the threshold.
 */
import { z } from 'zod';
import type { IncidentState, SimState } from '../types.ts';
import { memoryAvailableMiB } from '../controllers/eviction.ts';
import { defineIncident } from './module.ts';
import { MEMORY_THRESHOLD_MIB, deploymentsAvailable, deploymentsOf, evictablePodsOn, pressureSignal, setNodePressure, stringList } from './node-pressure.ts';
import { nodeTarget } from './targets.ts';

/** The `node-memory-pressure` incident (see the module doc). */
export const nodeMemoryPressure = defineIncident({
  kind: 'node-memory-pressure',
  params: z.strictObject({
    deficitMiB: z.number().gt(0).default(600).describe('MiB under the 100Mi memory.available threshold at the start (memory used outside the Pods).'),
    recoverAfter: z.number().int({ error: 'must be a whole number of sim seconds' }).min(1).optional().describe('Sim seconds after the start at which the leaking process is restarted; absent: never.'),
  }),
  target: nodeTarget,
  title: (spec) => `Node ${spec.target} under memory pressure`,
  describe: () => 'memory on the node is running out',
  symptoms: [
    'kubectl describe node shows MemoryPressure True (KubeletHasInsufficientMemory) and the taint node.kubernetes.io/memory-pressure:NoSchedule',
    'every ~10 s the kubelet evicts one of the node\'s pods (BestEffort first, then Burstable over their requests, then Guaranteed): kubectl get pods shows them Evicted, 0/1',
    'kubectl get events shows EvictionThresholdMet "Attempting to reclaim memory" and Evicted "The node was low on resource: memory. ..."; replacements start on the other nodes',
    'requests fail while evicted replicas are replaced; the condition clears only 300 s after memory recovered',
  ],
  remediations: [
    { summary: 'Drain the node: its pods move gracefully (PDBs respected) before the kubelet kills them', command: 'kubectl drain <node> --ignore-daemonsets --delete-emptydir-data' },
    { summary: 'Or keep new pods off it while it is investigated', command: 'kubectl cordon <node>' },
  ],
  start(state: SimState, inc: IncidentState, { params, target: { name, node } }) {
    if (!node.sim.kubeletUp) return { ok: false, retry: false, error: `node ${name} is down` };
    const available = memoryAvailableMiB(state, node, name, 0);
    const outsideMiB = Math.max(0, Math.round(available - MEMORY_THRESHOLD_MIB + params.deficitMiB));
    const pods = evictablePodsOn(state, name);
    setNodePressure(state, name, { memory: { outsideMiB, recoverAt: params.recoverAfter !== undefined ? state.t + params.recoverAfter : null, lastBelowAt: null } });
    inc.data['node'] = name;
    inc.data['outsideMiB'] = outsideMiB;
    inc.data['pods'] = pods;
    inc.data['deployments'] = deploymentsOf(state, pods);
    return { ok: true };
  },
  isMitigated(state: SimState, inc: IncidentState): boolean {
    const name = inc.spec.target;
    if (!state.nodes[name]) return true;
    if (!deploymentsAvailable(state, stringList(inc.data['deployments']))) return false;
    const signal = pressureSignal(state, name, 'memory');
    return evictablePodsOn(state, name).length === 0 || signal === null || signal.availableMiB >= signal.thresholdMiB;
  },
});
