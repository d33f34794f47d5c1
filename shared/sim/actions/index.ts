/**
 * applyAction: validates a player action against the state, applies it as the API server would
 * (refusing writes without etcd quorum, except restoring an etcd member), counts it in
 * `state.counters.actions`, and registers actions that take time (drain, etcd restore) in
 * `state.pendingActions`. It records no Kubernetes Event of its own (kubectl records none; the
 * components' events follow the write, e.g. the kubelet's `NodeNotSchedulable` after a cordon, the
 * deployment controller's `ScalingReplicaSet` after a scale); the game keeps who did what in its
 * action log (shared/game `Team.log`). What an action costs and who gets the points is the game's
 * business (shared/game: `submit`, `ACTION_COSTS`), not the cluster's.
 */
import { ETCD_WRITE_ERROR, apiWritable, apiWriteError } from '../apiserver.ts';
import { REQUEST_TIMEOUT_SECONDS } from '../controllers/etcd.ts';
import type { ActionResult, SimAction, SimState } from '../types.ts';
import { pauseAction, scaleAction, setEnvAction, setImageAction, setResourcesAction, restartAction, undoAction } from './deployment.ts';
import { restoreEtcdAction } from './etcd.ts';
import type { Handled } from './handler.ts';
import { cordonAction, drainAction } from './node.ts';
import { metadataAction, taintAction } from './metadata.ts';
import { deletePodAction } from './pod.ts';
import { autoscaleAction, patchAutoscalerAction } from './autoscale.ts';
import { createDeploymentAction, createServiceAction, deleteDeploymentAction } from './workload.ts';
import { adminAction } from './admin.ts';
import { createObjectAction, deleteObjectAction } from './objects.ts';
import { patchAction } from './patch.ts';
import { applyObjectAction } from './apply.ts';
import { restartTemplateAction, scaleStatefulSetAction, setTemplateImageAction, undoTemplateAction } from './workloadTemplate.ts';
import { addEtcdMember, removeEtcdMember } from './etcdMembership.ts';
import { rebootNodeAction, replaceNodeAction } from './nodeReboot.ts';

function dispatch(state: SimState, source: string, a: SimAction): Handled {
  switch (a.type) {
    case 'deletePod': return deletePodAction(state, a.pod, a.force === true, a.gracePeriodSeconds);
    case 'scaleDeployment': return a.kind ? scaleStatefulSetAction(state, a.deployment, a.replicas) : scaleAction(state, a.deployment, a.replicas);
    case 'rolloutUndo': return a.kind ? undoTemplateAction(state, a.kind, a.deployment, a.toRevision) : undoAction(state, a.deployment, a.toRevision);
    case 'rolloutRestart': return a.kind ? restartTemplateAction(state, a.kind, a.deployment) : restartAction(state, a.deployment);
    case 'setImage': return a.kind ? setTemplateImageAction(state, a.kind, a.deployment, a.image, a.container) : setImageAction(state, a.deployment, a.image, source, a.container);
    case 'setResources': return setResourcesAction(state, a.deployment, a.container, a.limits, a.requests);
    case 'cordonNode': return cordonAction(state, a.node, true);
    case 'uncordonNode': return cordonAction(state, a.node, false);
    case 'drainNode': return drainAction(state, a.node);
    case 'restoreEtcdMember': return restoreEtcdAction(state, a.member);
    case 'label': return metadataAction(state, a.kind, a.name, 'labels', a.labels);
    case 'annotate': return metadataAction(state, a.kind, a.name, 'annotations', a.annotations);
    case 'taintNode': return taintAction(state, a.node, a.taints);
    case 'createDeployment': return createDeploymentAction(state, a.manifest);
    case 'createService': return createServiceAction(state, a.manifest);
    case 'deleteDeployment': return deleteDeploymentAction(state, a.deployment, a.propagation);
    case 'deleteObject': return deleteObjectAction(state, a.kind, a.name, a.namespace, a.propagationPolicy);
    case 'createObject': return createObjectAction(state, a.manifest);
    case 'applyObject': return applyObjectAction(state, a.manifest, { labels: a.removeLabels ?? [], annotations: a.removeAnnotations ?? [] });
    case 'adminCommand': return adminAction(state, a.command, a.arg);
    case 'patchObject': return patchAction(state, a.kind, a.name, a.patch);
    case 'autoscale': return autoscaleAction(state, a.deployment, a.maxReplicas, a.minReplicas, a.cpuPercent, a.name);
    case 'patchAutoscaler': return patchAutoscalerAction(state, a.hpa, { maxReplicas: a.maxReplicas, minReplicas: a.minReplicas, cpuPercent: a.cpuPercent });
    case 'pauseRollout': return pauseAction(state, a.deployment, a.paused);
    case 'setEnv': return setEnvAction(state, a.deployment, a.container, a.env);
    case 'nodeOperation': return a.op === 'reboot' ? rebootNodeAction(state, a.node) : replaceNodeAction(state, a.node);
    case 'etcdMember': return a.op === 'remove' ? removeEtcdMember(state, a.member) : addEtcdMember(state, a.member, a.peerUrl ?? '');
    default: return { result: { ok: false, error: `error: unknown action "${(a as { type?: unknown }).type}"` } };
  }
}

/**
 * Applies `action` for `player` now (before this tick's controllers when called between steps).
 * Returns `{ok: true, message, completesAt}` (kubectl's output; sim second the effect is complete) or
 * `{ok: false, error}` with kubectl-like text (`Error from server (NotFound): pods "x" not found`,
 * `Error from server: etcdserver: request timed out`). Rejected actions change nothing. A write refused
 * for want of quorum or leader also carries `repliesAt` = now + {@link REQUEST_TIMEOUT_SECONDS} (7 s:
 * when the real API server would answer, etcd's request timeout; the NOSPACE refusal is immediate).
 */
export function applyAction(state: SimState, player: string, action: SimAction): ActionResult {
  const source = `player:${player}`;
  if (action.type !== 'restoreEtcdMember' && action.type !== 'adminCommand' && action.type !== 'etcdMember' && action.type !== 'nodeOperation' && !apiWritable(state)) {
    const error = apiWriteError(state);
    return error === ETCD_WRITE_ERROR ? { ok: false, error, repliesAt: state.t + REQUEST_TIMEOUT_SECONDS } : { ok: false, error };
  }
  const h = dispatch(state, source, action);
  if (!h.result.ok) return h.result;
  state.counters.actions += 1;
  if (h.pending) {
    state.pendingActions.push({ id: state.counters.actions, player, action: structuredClone(action), completesAt: Math.max(state.t, h.result.completesAt) });
  }
  return h.result;
}
