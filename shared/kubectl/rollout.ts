/**
 * `kubectl rollout status|history deployment/NAME` (read) — text of K
 * staging/src/k8s.io/kubectl/pkg/polymorphichelpers (rollout_status.go DeploymentStatusViewer,
 * history.go DeploymentHistoryViewer). `status` prints the current line once (like `--watch=false`).
 * (added) `rollout status statefulset|daemonset/NAME`: StatefulSetStatusViewer, DaemonSetStatusViewer.
 * (added, issue 6) `rollout history statefulset|daemonset/NAME [--revision=N]`: StatefulSetHistoryViewer /
 * DaemonSetHistoryViewer over the set's ControllerRevisions (history.go printHistory).
 *
 * May import: ../sim/* (read only), ./*.
 */
import type { ControllerRevision, DaemonSet, Deployment, PodTemplateSpec, SimState, StatefulSet } from '../sim/types.ts';
import { revisionTemplate, revisionsOf } from '../sim/kinds/controllerRevision.ts';
import { indent, table } from './format.ts';
import { deploymentReplicaSets, rsRevision } from './cluster.ts';
import { UsageError } from './parse.ts';

/** The rollout status line of a Deployment (DeploymentStatusViewer). @throws UsageError on ProgressDeadlineExceeded. */
export function rolloutStatus(d: Deployment): string {
  const name = d.metadata.name;
  const s = d.status;
  if (d.metadata.generation > s.observedGeneration) return 'Waiting for deployment spec update to be observed...';
  const progressing = s.conditions.find((c) => c.type === 'Progressing');
  if (progressing && progressing.reason === 'ProgressDeadlineExceeded') throw new UsageError(`error: deployment "${name}" exceeded its progress deadline`);
  if (s.updatedReplicas < d.spec.replicas) return `Waiting for deployment "${name}" rollout to finish: ${s.updatedReplicas} out of ${d.spec.replicas} new replicas have been updated...`;
  if (s.replicas > s.updatedReplicas) return `Waiting for deployment "${name}" rollout to finish: ${s.replicas - s.updatedReplicas} old replicas are pending termination...`;
  if (s.availableReplicas < s.updatedReplicas) return `Waiting for deployment "${name}" rollout to finish: ${s.availableReplicas} of ${s.updatedReplicas} updated replicas are available...`;
  return `deployment "${name}" successfully rolled out`;
}

/** Revisions of a Deployment that still have a ReplicaSet, ascending. */
export function revisions(state: SimState, key: string): number[] {
  return deploymentReplicaSets(state, key)
    .map(rsRevision)
    .filter((r) => r > 0)
    .sort((a, b) => a - b);
}

/**
 * `kubectl rollout history deployment/NAME [--revision=N]`: the REVISION / CHANGE-CAUSE table, or one
 * revision's pod template. @throws UsageError when the revision does not exist.
 */
export function rolloutHistory(state: SimState, key: string, d: Deployment, revision: number | undefined): string {
  const rss = deploymentReplicaSets(state, key).filter((rs) => rsRevision(rs) > 0).sort((a, b) => rsRevision(a) - rsRevision(b));
  if (revision !== undefined && revision !== 0) {
    const rs = rss.find((x) => rsRevision(x) === revision);
    if (!rs) throw new UsageError(`error: unable to find the specified revision`);
    return `deployment.apps/${d.metadata.name} with revision #${revision}\n${podTemplateText(rs.spec.template)}`;
  }
  const rows = rss.map((rs) => [String(rsRevision(rs)), rs.metadata.annotations['kubernetes.io/change-cause'] ?? '<none>']);
  return `deployment.apps/${d.metadata.name}\n` + table(['REVISION', 'CHANGE-CAUSE'], rows, { gap: 2 });
}

/** A pod template as `rollout history --revision=N` prints it (describe.go DescribePodTemplate, the sim's subset). */
function podTemplateText(t: PodTemplateSpec): string {
  const labels = Object.keys(t.metadata.labels).sort().map((k) => `${k}=${t.metadata.labels[k]}`).join('\n\t');
  const containers = t.spec.containers
    .map((c) => {
      const lines = [`${c.name}:`, `  Image:\t${c.image}`];
      const lim = c.resources.limits;
      const req = c.resources.requests;
      if (lim && (lim.cpu || lim.memory)) lines.push('  Limits:', ...(lim.cpu ? [`    cpu:\t${lim.cpu}`] : []), ...(lim.memory ? [`    memory:\t${lim.memory}`] : []));
      if (req && (req.cpu || req.memory)) lines.push('  Requests:', ...(req.cpu ? [`    cpu:\t${req.cpu}`] : []), ...(req.memory ? [`    memory:\t${req.memory}`] : []));
      return lines.join('\n');
    })
    .join('\n');
  return `Pod Template:\n  Labels:\t${labels}\n  Containers:\n${indent(containers, 3)}`;
}

/**
 * (added, issue 6) `kubectl rollout history statefulset|daemonset/NAME [--revision=N]` (history.go
 * printHistory over the set's ControllerRevisions): the REVISION / CHANGE-CAUSE table (the
 * revision's `kubernetes.io/change-cause` annotation, else `<none>`), `No rollout history found.`
 * without revisions, or one revision's pod template. @throws UsageError when revision N does not exist
 * (`error: unable to find the specified revision`).
 */
export function templateRolloutHistory(state: SimState, set: StatefulSet | DaemonSet, revision: number | undefined): string {
  const prefix = `${set.kind.toLowerCase()}.apps/${set.metadata.name}`;
  const history: ControllerRevision[] = revisionsOf(state, set.metadata.namespace, set.metadata.uid);
  if (history.length === 0) return `${prefix}\nNo rollout history found.`;
  if (revision !== undefined && revision !== 0) {
    const cr = history.find((r) => r.revision === revision);
    if (!cr) throw new UsageError('error: unable to find the specified revision');
    return `${prefix} with revision #${revision}\n${podTemplateText(revisionTemplate(cr))}`;
  }
  const rows = history.map((cr) => [String(cr.revision), cr.metadata.annotations['kubernetes.io/change-cause'] || '<none>']);
  return `${prefix}\n` + table(['REVISION', 'CHANGE-CAUSE'], rows, { gap: 2 });
}

/**
 * The rollout status line of a StatefulSet (rollout_status.go StatefulSetStatusViewer). apps/v1
 * defaults `rollingUpdate.partition` to 0, so a RollingUpdate set prints the partitioned lines, as
 * kubectl does against a real cluster. @throws UsageError for OnDelete.
 */
export function statefulSetRolloutStatus(sts: StatefulSet): string {
  const u = sts.spec.updateStrategy ?? { type: 'RollingUpdate' as const, rollingUpdate: { partition: 0 } };
  if (u.type !== 'RollingUpdate') throw new UsageError('error: rollout status is only available for RollingUpdate strategy type');
  const s = sts.status;
  if (s.observedGeneration === 0 || sts.metadata.generation > s.observedGeneration) return 'Waiting for statefulset spec update to be observed...';
  if (s.readyReplicas < sts.spec.replicas) return `Waiting for ${sts.spec.replicas - s.readyReplicas} pods to be ready...`;
  if (u.rollingUpdate) {
    const want = sts.spec.replicas - u.rollingUpdate.partition;
    if (s.updatedReplicas < want) return `Waiting for partitioned roll out to finish: ${s.updatedReplicas} out of ${want} new pods have been updated...`;
    return `partitioned roll out complete: ${s.updatedReplicas} new pods have been updated...`;
  }
  if (s.updateRevision !== s.currentRevision) return `waiting for statefulset rolling update to complete ${s.updatedReplicas} pods at revision ${s.updateRevision ?? ''}...`;
  return `statefulset rolling update complete ${s.currentReplicas} pods at revision ${s.currentRevision ?? ''}...`;
}

/** The rollout status line of a DaemonSet (rollout_status.go DaemonSetStatusViewer). @throws UsageError for OnDelete. */
export function daemonSetRolloutStatus(ds: DaemonSet): string {
  if ((ds.spec.updateStrategy?.type ?? 'RollingUpdate') !== 'RollingUpdate') throw new UsageError('error: rollout status is only available for RollingUpdate strategy type');
  const s = ds.status;
  const name = ds.metadata.name;
  if (ds.metadata.generation > s.observedGeneration) return 'Waiting for daemon set spec update to be observed...';
  if (s.updatedNumberScheduled < s.desiredNumberScheduled) return `Waiting for daemon set "${name}" rollout to finish: ${s.updatedNumberScheduled} out of ${s.desiredNumberScheduled} new pods have been updated...`;
  if (s.numberAvailable < s.desiredNumberScheduled) return `Waiting for daemon set "${name}" rollout to finish: ${s.numberAvailable} of ${s.desiredNumberScheduled} updated pods are available...`;
  return `daemon set "${name}" successfully rolled out`;
}
