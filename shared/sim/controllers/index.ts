/**
 * The controller loop of one tick, in a fixed order (like kube-controller-manager's informers, but
 * synchronous): node lifecycle -> ReplicaSets (status) -> Deployments -> ReplicaSets (new scale) ->
 * kubelet admission (Pods created with a nodeName) -> scheduler -> kubelet memory -> EndpointSlices; and the dispatch of due timers to their controller.
 */
import { noteChange, propagatePodChanges } from '../apiserver.ts';
import { TIMER_OWNER, popDueTimer } from '../timers.ts';
import type { TimerOwner } from '../timers.ts';
import type { SimState, Timer } from '../types.ts';
import { deploymentSync, onDeploymentTimer } from './deployment.ts';
import { endpointsSync } from './endpoints.ts';
import { holdsLease, leaseSync, onElectionTimer } from './etcd.ts';
import { kubeletMemory, onKubeletTimer } from './kubelet.ts';
import { kubeletEvictionSync } from './eviction.ts';
import { kubeletAdmitSync } from './kubeletAdmit.ts';
import { podGcSync } from './podgc.ts';
import { nodeLifecycleSync, onNodeTimer } from './nodeLifecycle.ts';
import { onReplicaSetTimer, registerOwnerSync, replicaSetSync } from './replicaset.ts';
import { syncStatefulSet } from './statefulset.ts';
import { syncDaemonSet } from './daemonset.ts';
import { schedulerSync } from './scheduler.ts';
import { kubeSystemSync } from '../kubeSystem.ts';
import { hpaSync } from './hpa.ts';
import { syncCronJob, syncJob } from './job.ts';

registerOwnerSync('StatefulSet', syncStatefulSet);
registerOwnerSync('DaemonSet', syncDaemonSet);
registerOwnerSync('Job', syncJob);
registerOwnerSync('CronJob', syncCronJob);

/** The handler of each timer owner (shared/sim/timers.ts `TIMER_OWNER`). */
const TIMER_HANDLERS: Readonly<Record<TimerOwner, (state: SimState, timer: Timer) => void>> = {
  kubelet: onKubeletTimer,
  node: onNodeTimer,
  deployment: onDeploymentTimer,
  replicaset: onReplicaSetTimer,
  etcd: onElectionTimer,
};

/** Pops and handles every timer due at or before `state.t`, in (at, seq) order. Unknown kinds are dropped. */
export function runDueTimers(state: SimState): void {
  for (let timer = popDueTimer(state, state.t); timer; timer = popDueTimer(state, state.t)) {
    const owner = TIMER_OWNER[timer.kind] as TimerOwner | undefined;
    if (owner) TIMER_HANDLERS[owner](state, timer);
  }
}

/**
 * One pass of every controller over its queue. Cost grows with queued work, not cluster size. First the
 * leader-election Leases ({@link leaseSync}): kube-controller-manager's loops (node lifecycle,
 * ReplicaSets, Deployments, EndpointSlices) run only while it holds its Lease, the scheduler only while
 * it holds its own; the kubelet always runs. Work queued meanwhile waits in `state.dirty`. A Lease a
 * process acquired is noted in the change log (its `Lease` object changed: ../kinds/lease.ts).
 */
export function runControllers(state: SimState): void {
  for (const name of leaseSync(state)) noteChange(state, 'Lease', `kube-system/${name}`);
  kubeSystemSync(state);
  const kcm = holdsLease(state, 'kube-controller-manager');
  if (kcm) nodeLifecycleSync(state);
  propagatePodChanges(state);
  if (kcm) {
    hpaSync(state);
    replicaSetSync(state);
    deploymentSync(state);
    replicaSetSync(state);
    podGcSync(state);
  }
  kubeletAdmitSync(state); // Pods created with spec.nodeName: the kubelet admits them, no scheduler
  if (holdsLease(state, 'kube-scheduler')) schedulerSync(state);
  kubeletMemory(state);
  kubeletEvictionSync(state);
  propagatePodChanges(state);
  if (kcm) endpointsSync(state);
}
