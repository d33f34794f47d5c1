/**
 * `node-pid-pressure`: a Pod on the target Node fork-bombs (a shell loop started by `kubectl exec`, a
 * worker pool respawning without bound): it adds `forksPerSecond` processes a second until
 * `pid.available` falls under the kubelet's hard threshold (`thresholdPercent` of the Node's `pid_max`).
 * The kubelet's eviction manager (shared/sim/controllers/eviction.ts) sets `PIDPressure=True`
 * (`KubeletHasInsufficientPID`), the taint `node.kubernetes.io/pid-pressure:NoSchedule` keeps new Pods
 * away, and every 10 s it evicts one Pod ranked as `rankPIDPressure` (priority, lower first, then
 * process count, larger first: the forking Pod unless a lower-priority Pod is there): killed at once,
 * left as a Failed `Evicted` Pod ("The node was low on resource: pids. Threshold quantity: 3276,
 * available: 1234."), replaced by its ReplicaSet (the replacement does not fork). The condition clears
 * 300 s (pressure transition period) after the signal recovered (W
 * concepts/scheduling-eviction/node-pressure-eviction.md; W concepts/policy/pid-limiting.md;
 * kubernetes-behaviour.md §3).
 *
 * The upstream kubelet sets no `pid.available` threshold by default (K pkg/kubelet/eviction
 * defaults_linux.go); this Node's kubelet is configured with one (`--eviction-hard=pid.available<10%`,
 * as GKE's are).
 *
 * Params (schema and defaults: {@link nodePidPressure}`.params`): `pod` (the forking Pod; absent: the
 * Node's first workload Pod by name), `pidMax` (the kernel's `pid_max`, 32768), `thresholdPercent`
 * (10), `forksPerSecond` (500: the threshold is crossed about a minute after the start).
 *
 * Fix: delete the forking Pod before the kubelet evicts it (`kubectl delete pod <pod>`), or drain the
 * Node; a `pids` limit (the kubelet's `--pod-max-pids`) keeps one Pod from taking the Node's PIDs.
 * Mitigated when the forking Pod is gone, the signal is above the threshold and every Deployment that
 * had Pods on the Node is fully available.
 */
import { z } from 'zod';
import type { IncidentState, SimState } from '../types.ts';
import { defineIncident } from './module.ts';
import { dnsLabel } from './params.ts';
import { deploymentsAvailable, deploymentsOf, evictablePodsOn, pressureRelieved, setNodePressure, stringList } from './node-pressure.ts';
import { nodeTarget } from './targets.ts';
import { isActive } from '../podutil.ts';

/** The `node-pid-pressure` incident (see the module doc). */
export const nodePidPressure = defineIncident({
  kind: 'node-pid-pressure',
  params: z.strictObject({
    pod: dnsLabel().optional().describe("The Pod (name, on the Node) that fork-bombs; absent: the Node's first workload Pod by name."),
    pidMax: z.number().int().min(1024).default(32768).describe("The Node's pid_max (kernel.pid_max): process IDs it has."),
    thresholdPercent: z.number().gt(0).lt(100).default(10).describe('The kubelet\'s hard eviction threshold pid.available<N%, percent of pid_max.'),
    forksPerSecond: z.number().gt(0).default(500).describe('Processes the forking Pod adds per sim second.'),
  }),
  target: nodeTarget,
  title: (spec) => `Node ${spec.target} running out of process IDs`,
  describe: () => 'a pod on the node is fork-bombing',
  symptoms: [
    'kubectl describe node shows PIDPressure True (KubeletHasInsufficientPID) and the taint node.kubernetes.io/pid-pressure:NoSchedule',
    'kubectl get events shows EvictionThresholdMet "Attempting to reclaim pids" and Evicted "The node was low on resource: pids. ..."',
    'the kubelet evicts the pod with the most processes (lowest priority first): kubectl get pods shows it Evicted, 0/1; the condition clears only 300 s later',
  ],
  remediations: [
    { summary: 'Delete the forking pod before the kubelet evicts it', command: 'kubectl delete pod <pod>' },
    { summary: 'Or drain the node while it is investigated', command: 'kubectl drain <node> --ignore-daemonsets --delete-emptydir-data' },
  ],
  start(state: SimState, inc: IncidentState, { params, target: { name, node } }) {
    if (!node.sim.kubeletUp) return { ok: false, retry: false, error: `node ${name} is down` };
    const pods = evictablePodsOn(state, name);
    const forker = params.pod !== undefined ? pods.find((k) => state.pods[k]!.metadata.name === params.pod) : pods[0];
    if (forker === undefined) return { ok: false, retry: false, error: params.pod !== undefined ? `pod ${params.pod} is not running on node ${name}` : `node ${name} runs no workload pod` };
    setNodePressure(state, name, { pid: { pidMax: params.pidMax, threshold: params.thresholdPercent / 100, forker, forkerPids: 0, forksPerSecond: params.forksPerSecond, lastBelowAt: null } });
    inc.data['node'] = name;
    inc.data['forker'] = forker;
    inc.data['pods'] = pods;
    inc.data['deployments'] = deploymentsOf(state, pods);
    return { ok: true };
  },
  isMitigated(state: SimState, inc: IncidentState): boolean {
    const name = inc.spec.target;
    if (!state.nodes[name]) return true;
    const forker = state.pods[String(inc.data['forker'])];
    if (forker && isActive(forker)) return false;
    if (!deploymentsAvailable(state, stringList(inc.data['deployments']))) return false;
    return pressureRelieved(state, name, 'pid');
  },
});
