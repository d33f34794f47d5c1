/**
 * The controller loop of one tick, in a fixed order (like kube-controller-manager's informers, but
 * synchronous): node lifecycle -> ReplicaSets (status) -> Deployments -> ReplicaSets (new scale) ->
 * scheduler -> kubelet memory -> EndpointSlices; and the dispatch of due timers to their controller.
 */
import { propagatePodChanges } from '../apiserver.ts';
import { popDueTimer } from '../timers.ts';
import type { SimState } from '../types.ts';
import { deploymentSync, onDeploymentTimer } from './deployment.ts';
import { endpointsSync } from './endpoints.ts';
import { onElectionTimer } from './etcd.ts';
import { kubeletMemory, onKubeletTimer } from './kubelet.ts';
import { nodeLifecycleSync, onNodeTimer } from './nodeLifecycle.ts';
import { onReplicaSetTimer, replicaSetSync } from './replicaset.ts';
import { schedulerSync } from './scheduler.ts';

/** Pops and handles every timer due at or before `state.t`, in (at, seq) order. */
export function runDueTimers(state: SimState): void {
  for (let timer = popDueTimer(state, state.t); timer; timer = popDueTimer(state, state.t)) {
    const kind = timer.kind;
    if (kind.startsWith('kubelet.')) onKubeletTimer(state, timer);
    else if (kind.startsWith('node.')) onNodeTimer(state, timer);
    else if (kind.startsWith('deploy.')) onDeploymentTimer(state, timer);
    else if (kind.startsWith('rs.')) onReplicaSetTimer(state, timer);
    else if (kind.startsWith('etcd.')) onElectionTimer(state, timer);
  }
}

/** One pass of every controller over its queue. Cost grows with queued work, not cluster size. */
export function runControllers(state: SimState): void {
  nodeLifecycleSync(state);
  propagatePodChanges(state);
  replicaSetSync(state);
  deploymentSync(state);
  replicaSetSync(state);
  schedulerSync(state);
  kubeletMemory(state);
  propagatePodChanges(state);
  endpointsSync(state);
}
