/**
 * What `kubectl get pods` / `kubectl get nodes` print in their STATUS column, computed from the objects
 * exactly like kubectl's printers (K pkg/printers/internalversion/printers.go printPod / printNode).
 */
import { controllerKey } from './cache.ts';
import type { Node, Pod, SimSeconds, SimState } from './types.ts';

/**
 * `status.reason` the node controller gives pods of an unreachable node (K pkg/util/node
 * NodeUnreachablePodReason). The sim does not set it yet: pods of a dead node show `Terminating`.
 */
export const NODE_UNREACHABLE_POD_REASON = 'NodeLost';

/**
 * The kubectl STATUS of a pod: phase (or `status.reason`, e.g. `Evicted`), overridden by the last
 * container's waiting reason (`ContainerCreating`, `CrashLoopBackOff`, `ImagePullBackOff`...) or
 * terminated reason (`OOMKilled`, `Error`, `Completed`), then `Terminating` once deletion started
 * (`Unknown` when the node was lost); while init containers run, `Init:1/2`, `Init:Error`,
 * `Init:CrashLoopBackOff` (kubectl printPod; K pkg/printers/internalversion/printers.go). `now` (sim seconds) is accepted for printers that age things; the
 * status itself only depends on the pod.
 */
export function podDisplayStatus(pod: Pod, _now: SimSeconds): string {
  let reason: string = pod.status.phase;
  if (pod.status.reason) reason = pod.status.reason;
  let hasRunning = false;
  // Init containers first (kubectl printPod): Init:i/n, Init:<reason>, then the app containers once
  // initialized (issue 6).
  let initializing = false;
  const inits = pod.status.initContainerStatuses;
  if (inits !== undefined) {
    for (let i = 0; i < inits.length; i++) {
      const c = inits[i]!;
      if (c.state.terminated && c.state.terminated.exitCode === 0) continue;
      if (c.started && pod.spec.initContainers?.[i]?.restartPolicy === 'Always') continue; // a started sidecar (issue 6)
      if (c.state.terminated) reason = c.state.terminated.reason !== '' ? `Init:${c.state.terminated.reason}` : `Init:ExitCode:${c.state.terminated.exitCode}`;
      else if (c.state.waiting && c.state.waiting.reason !== '' && c.state.waiting.reason !== 'PodInitializing') reason = `Init:${c.state.waiting.reason}`;
      else reason = `Init:${i}/${inits.length}`;
      initializing = true;
      break;
    }
  }
  const initialized = !initializing || pod.status.conditions.some((c) => c.type === 'Initialized' && c.status === 'True');
  const statuses = initialized ? pod.status.containerStatuses : [];
  for (let i = statuses.length - 1; i >= 0; i--) {
    const c = statuses[i]!;
    if (c.state.waiting && c.state.waiting.reason !== '') reason = c.state.waiting.reason;
    else if (c.state.terminated && c.state.terminated.reason !== '') reason = c.state.terminated.reason;
    else if (c.state.terminated) reason = `ExitCode:${c.state.terminated.exitCode}`;
    else if (c.ready && c.state.running) hasRunning = true;
  }
  if (reason === 'Completed' && hasRunning) reason = podReady(pod) ? 'Running' : 'NotReady';
  const terminal = pod.status.phase === 'Succeeded' || pod.status.phase === 'Failed';
  if (pod.metadata.deletionTimestamp !== undefined && pod.status.reason === NODE_UNREACHABLE_POD_REASON) reason = 'Unknown';
  else if (pod.metadata.deletionTimestamp !== undefined && !terminal) reason = 'Terminating';
  return reason;
}

/** True when the pod's `Ready` condition is `True` (what kubectl's READY column and Services use). */
export function podReady(pod: Pod): boolean {
  return pod.status.conditions.some((c) => c.type === 'Ready' && c.status === 'True');
}

/**
 * kubectl's node STATUS: `Ready`, `NotReady` (Ready False or Unknown), `Unknown` (no Ready condition),
 * plus `,SchedulingDisabled` when cordoned (`spec.unschedulable`).
 */
export function nodeDisplayStatus(node: Node): string {
  const ready = node.status.conditions.find((c) => c.type === 'Ready');
  let s = ready ? (ready.status === 'True' ? 'Ready' : 'NotReady') : 'Unknown';
  if (node.spec.unschedulable) s += ',SchedulingDisabled';
  return s;
}

/** Name of the Deployment owning a pod through its ReplicaSet, or '' (bare pod, or ReplicaSet gone). */
export function ownerDeploymentName(state: SimState, pod: Pod): string {
  const rsKey = controllerKey(pod, 'ReplicaSet');
  const rs = rsKey ? state.replicaSets[rsKey] : undefined;
  if (!rs) return '';
  const dKey = controllerKey(rs, 'Deployment');
  return dKey ? dKey.slice(dKey.indexOf('/') + 1) : '';
}
