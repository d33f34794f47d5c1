/**
 * The kubelet's admission of a Pod that was created bound to its Node (`spec.nodeName` in the manifest,
 * issue 6): such a Pod never enters the scheduler (../apiserver.ts `createObject` queues it in
 * `state.kubeletAdmitQueue` and counts it on the Node). The kubelet runs the scheduler's general
 * predicates against the other Pods of its Node before it starts anything (K
 * pkg/kubelet/lifecycle/predicate.go `predicateAdmitHandler.Admit`, only the first failure reported):
 * - NodeResourcesFit: the pod count, then cpu (millicores), then memory (bytes) against the Node's
 *   allocatable: reason `OutOfpods` / `OutOfcpu` / `OutOfmemory`, message `Node didn't have enough
 *   resource: cpu, requested: 500, used: 1800, capacity: 2000` (InsufficientResourceError);
 * - NodePorts: a host port another Pod of the Node holds: reason `NodePorts`, message `Predicate
 *   NodePorts failed: node(s) didn't have free ports for the requested pod ports`.
 * A rejected Pod is `Failed` with that reason and the message `Pod was rejected: <message>` (kubelet.go
 * rejectPod) and a Warning event of that reason; nothing recreates a bare Pod, while a ReplicaSet replaces
 * its Failed Pods (each rejected again, as in a real cluster). An admitted Pod gets `PodScheduled=True`
 * (the kubelet's own condition, kubelet_pods.go generateAPIPodStatus) and starts as a scheduled Pod
 * does (./kubelet.ts `kubeletOnBound`: no `Scheduled` event, nobody scheduled it).
 *
 * A `nodeName` no Node has: no kubelet ever admits it, the Pod stays Pending without an event until
 * PodGC deletes it 40-60 s later (./podgc.ts).
 *
 * The sums the kubelet compares are the sim's Node sums (../apiserver.ts): a Pod created with a nodeName
 * counts there from its creation and leaves them when rejected (`podRejected`); its host ports count
 * from its admission (`podAdmitted`), so two Pods admitted in one pass see each other in order.
 * Simplification: other Failed Pods (Evicted) count until deleted, where the kubelet counts active Pods only.
 *
 * Cost: O(queued Pods) per pass; nothing when no Pod names a Node.
 */
import { podAdmitted, podRejected } from '../apiserver.ts';
import { emit } from '../emit.ts';
import { hostPortConflict, podHostPorts } from '../cache.ts';
import { setCondition } from '../podutil.ts';
import type { Pod, SimState } from '../types.ts';
import { kubeletOnBound } from './kubelet.ts';
import { REASON_NODE_PORTS } from './scheduler.ts';

/** Bytes per MiB (the sim keeps memory in MiB; the kubelet's message counts bytes). */
const MIB = 1024 * 1024;

/** Why the kubelet of the Pod's Node refuses it (`reason`, `message` as in predicate.go), or null when it fits. */
export function admissionFailure(state: SimState, key: string, pod: Pod): { reason: string; message: string } | null {
  const node = pod.spec.nodeName === undefined ? undefined : state.nodes[pod.spec.nodeName];
  if (node === undefined) return null;
  const s = node.sim;
  // The Node's sums already count this Pod (the API server added it at creation): the others are the rest.
  const pods = s.podCount - 1;
  const cpu = s.cpuRequestedMilli - pod.sim.cpuRequestMilli;
  const mem = s.memRequestedMiB - pod.sim.memRequestMiB;
  const short = (resource: string, requested: number, used: number, capacity: number) => ({
    reason: `OutOf${resource}`,
    message: `Node didn't have enough resource: ${resource}, requested: ${requested}, used: ${used}, capacity: ${capacity}`,
  });
  if (pods + 1 > s.podsAllocatable) return short('pods', 1, pods, s.podsAllocatable);
  if (pod.sim.cpuRequestMilli > 0 && pod.sim.cpuRequestMilli > s.cpuAllocatableMilli - cpu) return short('cpu', pod.sim.cpuRequestMilli, cpu, s.cpuAllocatableMilli);
  if (pod.sim.memRequestMiB > 0 && pod.sim.memRequestMiB > s.memAllocatableMiB - mem) return short('memory', Math.round(pod.sim.memRequestMiB * MIB), Math.round(mem * MIB), Math.round(s.memAllocatableMiB * MIB));
  const ports = podHostPorts(pod);
  // The host-port index holds this Pod under its Node already: compare with the others.
  if (ports.length > 0 && hostPortConflict(state, node.metadata.name, ports, key)) return { reason: 'NodePorts', message: `Predicate NodePorts failed: ${REASON_NODE_PORTS}` };
  return null;
}

/**
 * Admits or rejects every Pod queued by the API server since the last pass (creation order). Runs
 * whatever the Leases (the kubelet is no kube-controller-manager loop); queued Pods that are gone, being
 * deleted, or no longer Pending are skipped.
 */
export function kubeletAdmitSync(state: SimState): void {
  const q = state.kubeletAdmitQueue;
  if (q === undefined || q.length === 0) return;
  state.kubeletAdmitQueue = [];
  for (const key of q) {
    const pod = state.pods[key];
    if (pod === undefined || pod.metadata.deletionTimestamp !== undefined || pod.status.phase !== 'Pending' || pod.status.startTime !== undefined) continue;
    if (pod.spec.nodeName === undefined || state.nodes[pod.spec.nodeName] === undefined) continue;
    const refused = admissionFailure(state, key, pod);
    if (refused !== null) {
      podRejected(state, key, pod, refused.reason, refused.message);
      emit(state, 'Warning', refused.reason, { kind: 'Pod', name: pod.metadata.name, namespace: pod.metadata.namespace }, refused.message, 'kubelet');
      continue;
    }
    podAdmitted(state, key, pod);
    setCondition(pod, 'PodScheduled', 'True', state.t);
    kubeletOnBound(state, key, pod);
  }
}
