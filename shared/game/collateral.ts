/**
 * Collateral damage (issue 8 scoring): player actions that hurt a healthy cluster, recorded when the
 * match accepts them (shared/game/match.ts `submit`) in the team's score inputs
 * (`TeamScoreInputs.collateral`) and charged by the score (shared/game/score.ts
 * `COLLATERAL_PENALTY_POINTS` each):
 * - deleting a healthy Pod: Running, Ready, never restarted, not terminating, of a Deployment with all
 *   its replicas updated and as many Ready, not terminating Pods as replicas (nothing about it shows a
 *   problem: the deletion only costs capacity). O(Pods) per deletePod;
 * - draining (or cordoning) the last schedulable Node: every Node unschedulable, nothing can be placed
 *   (Kubernetes docs, "Safely Drain a Node": drain one Node at a time, keep capacity for the evicted Pods).
 *
 * Pure: reads the cluster as it is when the action is submitted. May import shared/sim (public API), shared/sim types.
 */
import { ownerDeploymentName, podReady } from '../sim/index.ts';
import type { SimAction, SimState } from '../sim/types.ts';

/** What kind of collateral damage an action did, or null. */
export type Collateral = 'healthy-pod' | 'every-node';

/**
 * Before the action is applied: true when `action` deletes a healthy Pod (see the module comment).
 * `pod` may be `name` (namespace `default`) or `namespace/name`, as the action takes it.
 */
export function deletesHealthyPod(sim: SimState, action: SimAction): boolean {
  if (action.type !== 'deletePod') return false;
  const key = action.pod.includes('/') ? action.pod : `default/${action.pod}`;
  const pod = Object.hasOwn(sim.pods, key) ? sim.pods[key] : undefined;
  if (!pod || pod.metadata.deletionTimestamp != null || pod.status.phase !== 'Running' || !podReady(pod)) return false;
  if (pod.status.containerStatuses.some((c) => c.restartCount > 0)) return false;
  const name = ownerDeploymentName(sim, pod);
  if (name === '') return false;
  const dKey = `${pod.metadata.namespace}/${name}`;
  const d = Object.hasOwn(sim.deployments, dKey) ? sim.deployments[dKey] : undefined;
  if (!d) return false;
  const replicas = d.spec.replicas;
  if (replicas <= 0 || d.status.updatedReplicas < replicas) return false;
  // Its Ready, not terminating Pods now (the Deployment's status lags a tick behind a deletion).
  let ready = 0;
  for (const p of Object.values(sim.pods)) {
    if (p.metadata.namespace === pod.metadata.namespace && p.metadata.deletionTimestamp == null && podReady(p) && ownerDeploymentName(sim, p) === name) ready++;
  }
  return ready >= replicas;
}

/** After the action was applied: true when it was a drain or cordon and now every Node is unschedulable. */
export function leftNoSchedulableNode(sim: SimState, action: SimAction): boolean {
  if (action.type !== 'drainNode' && action.type !== 'cordonNode') return false;
  const nodes = Object.values(sim.nodes);
  return nodes.length > 0 && nodes.every((n) => n.spec.unschedulable === true);
}
