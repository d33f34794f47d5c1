/**
 * `node-disk-pressure`: one Pod on the target Node fills the Node's root filesystem (a debug log level
 * left on, a crash-dump loop, writes to a hostPath) until `nodefs.available` falls under the kubelet's
 * hard threshold (10 %). The kubelet's eviction manager (shared/sim/controllers/eviction.ts) sets `DiskPressure=True`,
 * the taint `node.kubernetes.io/disk-pressure:NoSchedule` keeps new Pods away, and every 10 s it evicts
 * one Pod ranked by QoS (BestEffort, Burstable over its requests, Burstable, Guaranteed): killed at
 * once, left as a Failed `Evicted` Pod, replaced by its ReplicaSet on another Node. The condition clears
 * 300 s (pressure transition period) after the disk is back above the threshold (W
 * concepts/scheduling-eviction/node-pressure-eviction.md; kubernetes-behaviour.md §3, §10).
 *
 * Simplification (the eviction manager's): the kubelet does not attribute the filler's files to it (as
 * for a hostPath), so the ranking sees it like any other Pod; the files go with the Pod once it is
 * deleted or evicted (as an emptyDir's would), and its replacement starts clean.
 *
 * Params (schema and defaults: {@link nodeDiskPressure}`.params`): `pod` (the filler, a Pod on the Node;
 * absent: the Node's last workload Pod by name, which the kubelet's ranking reaches last),
 * `capacityGiB` (root filesystem size, 100), `imagesGiB` (images and system files, 30), `usedPercent`
 * (how full the filler makes the disk at the start, 96).
 *
 * Fix: find and delete the filler (`kubectl delete pod <pod>`), or `kubectl drain <node>` (which
 * evicts it too). Mitigated when the disk is back above the threshold and every Deployment that had
 * Pods on the Node is fully available.
 */
import { z } from 'zod';
import type { IncidentState, SimState } from '../types.ts';
import { defineIncident } from './module.ts';
import { dnsLabel } from './params.ts';
import { POD_DISK_MIB, deploymentsAvailable, deploymentsOf, evictablePodsOn, pressureSignal, setNodePressure, stringList } from './node-pressure.ts';
import { nodeTarget } from './targets.ts';

/** The `node-disk-pressure` incident (see the module doc). */
export const nodeDiskPressure = defineIncident({
  kind: 'node-disk-pressure',
  params: z.strictObject({
    pod: dnsLabel().optional().describe("The Pod (name, on the Node) that fills the disk; absent: the Node's last workload Pod by name."),
    capacityGiB: z.number().gt(0).default(100).describe("Size of the Node's root filesystem, GiB."),
    imagesGiB: z.number().min(0).default(30).describe('Space taken by images and system files, GiB.'),
    usedPercent: z.number().gt(90).max(100).default(96).describe('How full the filler makes the disk at the start, percent (the threshold is 90 % used).'),
  }),
  target: nodeTarget,
  title: (spec) => `Node ${spec.target} under disk pressure`,
  describe: () => 'the node\'s disk is filling up',
  symptoms: [
    'kubectl describe node shows DiskPressure True (KubeletHasDiskPressure) and the taint node.kubernetes.io/disk-pressure:NoSchedule',
    'every ~10 s the kubelet evicts one of the node\'s pods (BestEffort first, then Burstable over their requests, then Guaranteed): kubectl get pods shows them Evicted, 0/1',
    'kubectl get events shows EvictionThresholdMet "Attempting to reclaim ephemeral-storage" and Evicted "The node was low on resource: ephemeral-storage. ..."',
    'requests fail while evicted replicas are replaced; the condition clears only 300 s after the disk recovered',
  ],
  remediations: [
    { summary: 'Delete the pod filling the disk: its files go with it', command: 'kubectl delete pod <pod>' },
    { summary: 'Or drain the node (evicts the filler too) and keep new pods off it', command: 'kubectl drain <node> --ignore-daemonsets --delete-emptydir-data' },
  ],
  start(state: SimState, inc: IncidentState, { params, target: { name, node } }) {
    if (!node.sim.kubeletUp) return { ok: false, retry: false, error: `node ${name} is down` };
    const pods = evictablePodsOn(state, name);
    let filler: string | undefined;
    if (params.pod !== undefined) {
      filler = pods.find((k) => state.pods[k]!.metadata.name === params.pod);
      if (filler === undefined) return { ok: false, retry: false, error: `pod ${params.pod} is not running on node ${name}` };
    } else {
      filler = pods[pods.length - 1];
      if (filler === undefined) return { ok: false, retry: false, error: `node ${name} runs no workload pod to fill its disk` };
    }
    const capacityMiB = params.capacityGiB * 1024;
    const imagesMiB = params.imagesGiB * 1024;
    const fillerMiB = Math.max(0, Math.round(capacityMiB * (params.usedPercent / 100) - imagesMiB - pods.length * POD_DISK_MIB));
    setNodePressure(state, name, { disk: { capacityMiB, imagesMiB, filler, fillerMiB, lastBelowAt: null } });
    inc.data['node'] = name;
    inc.data['filler'] = filler;
    inc.data['fillerMiB'] = fillerMiB;
    inc.data['pods'] = pods;
    inc.data['deployments'] = deploymentsOf(state, pods);
    return { ok: true };
  },
  isMitigated(state: SimState, inc: IncidentState): boolean {
    const name = inc.spec.target;
    if (!state.nodes[name]) return true;
    if (!deploymentsAvailable(state, stringList(inc.data['deployments']))) return false;
    const signal = pressureSignal(state, name, 'disk');
    return signal === null || signal.availableMiB >= signal.thresholdMiB;
  },
});
