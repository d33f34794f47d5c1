/**
 * The StatefulSet controller (minimal faithful version): Pods with stable names `<name>-0..n-1` and
 * labels `statefulset.kubernetes.io/pod-name` / `apps.kubernetes.io/pod-index`. OrderedReady (the
 * default): Pod i is created only once Pods 0..i-1 are Running and Ready, scale-down removes the
 * highest ordinal first, one at a time; Parallel: all at once. A deleted Pod comes back with the same
 * name once the old one is gone. Events `SuccessfulCreate` "create Pod web-0 in StatefulSet web
 * successful" / `SuccessfulDelete` (K pkg/controller/statefulset/stateful_pod_control.go,
 * stateful_set_control.go; https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/
 * "Deployment and Scaling Guarantees").
 *
 * Not modelled (yet): update strategies (RollingUpdate by ordinal, OnDelete), revisions, PVCs from
 * `volumeClaimTemplates`, `hostname`/`subdomain` DNS, `persistentVolumeClaimRetentionPolicy`.
 *
 * Queued in the ReplicaSet workqueue as `StatefulSet:namespace/name` (./replicaset.ts registerOwnerSync).
 */
import { createObject, deletePod, updateStatus } from '../apiserver.ts';
import { emit } from '../emit.ts';
import { getIndex } from '../cache.ts';
import { isActive, isTerminating } from '../podutil.ts';
import type { Pod, SimState } from '../types.ts';
import { podFromTemplate, podResources, reportFailedCreate } from './replicaset.ts';

/** The ordinal of a StatefulSet Pod from its name (`web-2` -> 2), or null. */
export function podOrdinal(setName: string, podName: string): number | null {
  if (!podName.startsWith(`${setName}-`)) return null;
  const rest = podName.slice(setName.length + 1);
  return /^(0|[1-9]\d*)$/.test(rest) ? Number(rest) : null;
}

/** Syncs one StatefulSet (`objKey` = `namespace/name`, `queueKey` its workqueue / podsByOwner key). */
export function syncStatefulSet(state: SimState, objKey: string, queueKey: string): void {
  const sts = state.statefulSets?.[objKey];
  if (!sts) return;
  const ns = sts.metadata.namespace;
  const name = sts.metadata.name;
  const ref = { kind: 'StatefulSet', name, namespace: ns };
  const byOrdinal = new Map<number, Pod>();
  for (const k of getIndex(state).podsByOwner.get(queueKey) ?? []) {
    const p = state.pods[k]!;
    const i = podOrdinal(name, p.metadata.name);
    if (i !== null && (isActive(p) || isTerminating(p))) byOrdinal.set(i, p);
  }
  const ordered = sts.spec.podManagementPolicy !== 'Parallel';
  const res = podResources(sts.spec.template.spec);
  let blocked = false;
  for (let i = 0; i < sts.spec.replicas && !blocked; i++) {
    const p = byOrdinal.get(i);
    if (!p) {
      const podName = `${name}-${i}`;
      if (state.pods[`${ns}/${podName}`]) {
        blocked = ordered; // the previous Pod of this ordinal still exists (another owner or finishing)
        continue;
      }
      const pod = podFromTemplate(state, { apiVersion: 'apps/v1', kind: 'StatefulSet', name, uid: sts.metadata.uid, namespace: ns }, sts.spec.template, podName, res, {
        labels: { 'statefulset.kubernetes.io/pod-name': podName, 'apps.kubernetes.io/pod-index': String(i) },
      });
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
    if (ordered && (isTerminating(p) || p.status.phase !== 'Running' || !p.sim.ready)) blocked = true;
  }
  const extra = [...byOrdinal.keys()].filter((i) => i >= sts.spec.replicas).sort((a, b) => b - a);
  for (const i of extra) {
    if (blocked) break;
    const p = byOrdinal.get(i)!;
    if (isTerminating(p)) {
      if (ordered) break;
      continue;
    }
    emit(state, 'Normal', 'SuccessfulDelete', ref, `delete Pod ${p.metadata.name} in StatefulSet ${name} successful`, 'statefulset-controller');
    deletePod(state, `${ns}/${p.metadata.name}`);
    if (ordered) break;
  }
  let replicas = 0;
  let ready = 0;
  for (const p of byOrdinal.values()) {
    if (!isActive(p)) continue;
    replicas++;
    if (p.sim.ready) ready++;
  }
  const s = sts.status;
  const gen = sts.metadata.generation;
  if (s.replicas === replicas && s.readyReplicas === ready && s.currentReplicas === replicas && s.observedGeneration === gen) return;
  sts.status = { observedGeneration: gen, replicas, readyReplicas: ready, currentReplicas: replicas, updatedReplicas: replicas, availableReplicas: ready };
  updateStatus(state, 'StatefulSet', objKey);
}
