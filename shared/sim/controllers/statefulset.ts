/**
 * The StatefulSet controller: Pods with stable names `<name>-0..n-1` and labels
 * `statefulset.kubernetes.io/pod-name` / `apps.kubernetes.io/pod-index` / `controller-revision-hash`
 * (`<name>-<hash of the template>`, the ControllerRevision name). OrderedReady (the default): Pod i is
 * created only once Pods 0..i-1 are Running and Ready, scale-down removes the highest ordinal first,
 * one at a time; Parallel: all at once. A deleted Pod comes back with the same name once the old one is
 * gone. Events `SuccessfulCreate` "create Pod web-0 in StatefulSet web successful" / `SuccessfulDelete`
 * (K pkg/controller/statefulset/stateful_pod_control.go, stateful_set_control.go updateStatefulSet;
 * https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/ "Deployment and Scaling
 * Guarantees", "Update strategies").
 *
 * Update strategies (stateful_set_control.go, stateful_set_utils.go newVersionedStatefulSetPod):
 * - `RollingUpdate` (default, partition 0): once every Pod below `replicas` exists and (OrderedReady)
 *   is Running and Ready, the highest ordinal >= `partition` whose revision is not the update revision
 *   is deleted; the Pod recreated in its place gets the new template; the next one waits until it is
 *   Running and Ready. A new template that never gets Ready (an image that cannot be pulled) leaves that
 *   highest ordinal stuck and the others untouched. Pods recreated below the partition keep the current
 *   revision's template. Once every Pod is updated and Ready, `currentRevision` := `updateRevision`.
 *   `maxUnavailable` (alpha gate MaxUnavailableStatefulSet, off by default) is not modelled: one Pod at
 *   a time, also for Parallel.
 * - `OnDelete`: nothing is replaced; a Pod deleted by hand comes back with the update revision.
 *
 * PersistentVolumeClaims of `volumeClaimTemplates`: see ./statefulsetClaims.ts
 * (created before the Pod, kept on scale-down and delete: retention policy Retain).
 *
 * Revisions (issue 6): every sync makes the ControllerRevision `<name>-<hash>` of `spec.template` the
 * newest (./history.ts, labelled `controller.kubernetes.io/hash`); Pods recreated below a partition get
 * the template of the `status.currentRevision` revision (`sim.currentTemplate` only for states stored
 * before revisions were kept); dead revisions beyond `revisionHistoryLimit` (10) are pruned
 * (truncateHistory). `rollout history|undo statefulset/NAME` read and restore them.
 *
 * `minReadySeconds` (sim seconds, stateful_set_utils.go isRunningAndAvailable): a Pod counts in
 * `availableReplicas` once Ready for that long; OrderedReady waits for the previous Pod to be available
 * before creating the next one or going on with the rolling update (the monotonic block of
 * updateStatefulSet); the controller is woken (timer `rs.sync`) when the next Pod crosses it.
 * Parallel: counted only.
 *
 * Not modelled: `hostname`/`subdomain` DNS, `collisionCount`. (`persistentVolumeClaimRetentionPolicy`
 * Delete, issue 6: ./statefulsetClaims.ts.)
 *
 * Queued in the ReplicaSet workqueue as `StatefulSet:namespace/name` (./replicaset.ts registerOwnerSync).
 */
import { createObject, deletePod, updateStatus } from '../apiserver.ts';
import { emit } from '../emit.ts';
import { getIndex } from '../cache.ts';
import { templateHash } from '../names.ts';
import { getCondition, isActive, isTerminating } from '../podutil.ts';
import { scheduleTimer } from '../timers.ts';
import { CONTROLLER_HASH_LABEL, revisionTemplate } from '../kinds/controllerRevision.ts';
import { syncRevisions, truncateHistory } from './history.ts';
import type { Pod, PodTemplateSpec, SimState, StatefulSet } from '../types.ts';
import { podFromTemplate, podResources, reportFailedCreate } from './replicaset.ts';
import { attachClaims, deleteScaledClaims, ensureStatefulSetClaims } from './statefulsetClaims.ts';

/** The label carrying a StatefulSet / DaemonSet Pod's revision (apps/v1 ControllerRevisionHashLabelKey). */
export const REVISION_LABEL = 'controller-revision-hash';

/** The ordinal of a StatefulSet Pod from its name (`web-2` -> 2), or null. */
export function podOrdinal(setName: string, podName: string): number | null {
  if (!podName.startsWith(`${setName}-`)) return null;
  const rest = podName.slice(setName.length + 1);
  return /^(0|[1-9]\d*)$/.test(rest) ? Number(rest) : null;
}

/** The revision name (`<name>-<10 safe chars>`) of a StatefulSet's pod template. */
export function statefulSetRevision(name: string, template: PodTemplateSpec): string {
  return `${name}-${templateHash(template)}`;
}

/** The update strategy with its defaults (RollingUpdate, partition 0). */
export function stsStrategy(sts: StatefulSet): { type: 'RollingUpdate' | 'OnDelete'; partition: number } {
  const u = sts.spec.updateStrategy;
  if (u?.type === 'OnDelete') return { type: 'OnDelete', partition: 0 };
  return { type: 'RollingUpdate', partition: u?.rollingUpdate?.partition ?? 0 };
}

/** Running, Ready and not terminating (stateful_set_utils.go isHealthy). */
function healthy(p: Pod): boolean {
  return !isTerminating(p) && p.status.phase === 'Running' && p.sim.ready;
}

/**
 * The sim second a Ready Pod becomes available (its Ready condition's transition + `minReadySeconds`,
 * podutil.IsPodAvailable), or null while it is not Ready.
 */
export function availableAt(p: Pod, minReadySeconds: number, now: number): number | null {
  if (!p.sim.ready || isTerminating(p)) return null;
  const c = getCondition(p, 'Ready');
  const since = c && c.status === 'True' ? c.lastTransitionTime : now;
  return since + minReadySeconds;
}

/** Syncs one StatefulSet (`objKey` = `namespace/name`, `queueKey` its workqueue / podsByOwner key). */
export function syncStatefulSet(state: SimState, objKey: string, queueKey: string): void {
  const sts = state.statefulSets?.[objKey];
  if (!sts) return;
  const ns = sts.metadata.namespace;
  const name = sts.metadata.name;
  const ref = { kind: 'StatefulSet', name, namespace: ns };
  const hash = templateHash(sts.spec.template);
  const updateRevision = `${name}-${hash}`;
  const history = syncRevisions(state, sts, hash, CONTROLLER_HASH_LABEL);
  let currentRevision = sts.status.currentRevision ?? updateRevision;
  let currentTemplate: PodTemplateSpec | undefined = sts.spec.template;
  if (currentRevision !== updateRevision) {
    const cr = history?.revisions.find((r) => r.metadata.name === currentRevision);
    currentTemplate = cr ? revisionTemplate(cr) : sts.sim?.currentTemplate;
  }
  if (!currentTemplate) currentRevision = updateRevision; // the old template is unknown: treat every Pod as current
  const strategy = stsStrategy(sts);
  const byOrdinal = new Map<number, Pod>();
  for (const k of getIndex(state).podsByOwner.get(queueKey) ?? []) {
    const p = state.pods[k]!;
    const i = podOrdinal(name, p.metadata.name);
    if (i !== null && (isActive(p) || isTerminating(p))) byOrdinal.set(i, p);
  }
  const ordered = sts.spec.podManagementPolicy !== 'Parallel';
  const mrs = sts.spec.minReadySeconds ?? 0;
  /** Running, Ready for minReadySeconds, not terminating (isRunningAndAvailable). */
  const available = (p: Pod) => {
    const at = healthy(p) ? availableAt(p, mrs, state.t) : null;
    return at !== null && at <= state.t;
  };
  let blocked = false;
  for (let i = 0; i < sts.spec.replicas && !blocked; i++) {
    const p = byOrdinal.get(i);
    if (!p) {
      const podName = `${name}-${i}`;
      if (state.pods[`${ns}/${podName}`]) {
        blocked = ordered; // the previous Pod of this ordinal still exists (another owner or finishing)
        continue;
      }
      // newVersionedStatefulSetPod: below the partition a RollingUpdate recreates the current revision.
      const old = strategy.type === 'RollingUpdate' && i < strategy.partition && currentRevision !== updateRevision;
      const tpl = old ? currentTemplate! : sts.spec.template;
      const claims = ensureStatefulSetClaims(state, sts, i);
      if (!claims.ok) {
        reportFailedCreate(state, ref, queueKey, `create Claim ${claims.claim} for Pod ${podName} in StatefulSet ${name} failed error: ${claims.error}`, 'statefulset-controller');
        return;
      }
      const pod = podFromTemplate(state, { apiVersion: 'apps/v1', kind: 'StatefulSet', name, uid: sts.metadata.uid, namespace: ns }, tpl, podName, podResources(tpl.spec), {
        labels: { 'statefulset.kubernetes.io/pod-name': podName, 'apps.kubernetes.io/pod-index': String(i), [REVISION_LABEL]: old ? currentRevision : updateRevision },
      });
      attachClaims(pod, sts, i);
      const r = createObject(state, 'Pod', pod);
      if (!r.ok) {
        if (r.code === 403) reportFailedCreate(state, ref, queueKey, `create Pod ${podName} in StatefulSet ${name} failed error: ${r.error}`, 'statefulset-controller');
        return;
      }
      byOrdinal.set(i, pod);
      emit(state, 'Normal', 'SuccessfulCreate', ref, `create Pod ${podName} in StatefulSet ${name} successful`, 'statefulset-controller');
      blocked = ordered;
      continue;
    }
    if (ordered && !available(p)) blocked = true;
  }
  const extra = [...byOrdinal.keys()].filter((i) => i >= sts.spec.replicas).sort((a, b) => b - a);
  for (const i of extra) {
    if (blocked) break;
    const p = byOrdinal.get(i)!;
    if (isTerminating(p)) {
      blocked = ordered;
      if (ordered) break;
      continue;
    }
    emit(state, 'Normal', 'SuccessfulDelete', ref, `delete Pod ${p.metadata.name} in StatefulSet ${name} successful`, 'statefulset-controller');
    deletePod(state, `${ns}/${p.metadata.name}`);
    blocked = ordered;
    if (ordered) break;
  }
  deleteScaledClaims(state, sts); // (issue 6) whenScaled: Delete
  // RollingUpdate: from the highest ordinal down to the partition, one Pod at a time.
  if (!blocked && strategy.type === 'RollingUpdate') {
    for (let target = sts.spec.replicas - 1; target >= strategy.partition; target--) {
      const p = byOrdinal.get(target);
      if (!p) break;
      if ((p.metadata.labels[REVISION_LABEL] ?? currentRevision) !== updateRevision && !isTerminating(p)) {
        emit(state, 'Normal', 'SuccessfulDelete', ref, `delete Pod ${p.metadata.name} in StatefulSet ${name} successful`, 'statefulset-controller');
        deletePod(state, `${ns}/${p.metadata.name}`);
        break;
      }
      if (!healthy(p)) break;
    }
  }
  let replicas = 0;
  let ready = 0;
  let availableCount = 0;
  let nextAvailable = Infinity;
  let current = 0;
  let updated = 0;
  const live = new Set<string>([currentRevision, updateRevision]);
  for (const p of byOrdinal.values()) {
    const label = p.metadata.labels[REVISION_LABEL];
    if (label !== undefined) live.add(label);
    if (!isActive(p)) continue;
    replicas++;
    if (p.sim.ready) ready++;
    const at = availableAt(p, mrs, state.t);
    if (at !== null && at <= state.t) availableCount++;
    else if (at !== null) nextAvailable = Math.min(nextAvailable, at);
    const rev = p.metadata.labels[REVISION_LABEL] ?? currentRevision; // a Pod stored before revisions were kept: the current one
    if (rev === currentRevision) current++;
    if (rev === updateRevision) updated++;
  }
  // completeRollingUpdate: every Pod updated and Ready.
  if (strategy.type === 'RollingUpdate' && updated === replicas && ready === replicas && replicas === sts.spec.replicas) {
    currentRevision = updateRevision;
    current = updated;
  }
  if (currentRevision === updateRevision && sts.sim) delete sts.sim; // bookkeeping, not served
  if (nextAvailable !== Infinity) scheduleTimer(state, nextAvailable, 'rs.sync', queueKey);
  live.add(currentRevision);
  if (history) truncateHistory(state, sts, history.revisions, live);
  const s = sts.status;
  const gen = sts.metadata.generation;
  const next = { observedGeneration: gen, replicas, readyReplicas: ready, currentReplicas: current, updatedReplicas: updated, availableReplicas: availableCount, currentRevision, updateRevision };
  if (Object.entries(next).every(([k, v]) => s[k as keyof typeof s] === v)) return;
  sts.status = next;
  updateStatus(state, 'StatefulSet', objKey);
}
