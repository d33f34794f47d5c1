/**
 * (added, issue 6) The StatefulSet controller's claims (K pkg/controller/statefulset
 * stateful_pod_control.go createPersistentVolumeClaims, stateful_set_utils.go getPersistentVolumeClaims
 * / updateStorage): before the Pod of ordinal i is created, each `volumeClaimTemplates` entry T gets the
 * claim `T-<set>-<i>` (labels: T's plus the set's selector) unless it exists, with the event
 * `SuccessfulCreate` "create Claim data-web-0 Pod web-0 in StatefulSet web success"; the Pod's volume
 * named T points at it. Under `persistentVolumeClaimRetentionPolicy` Retain / Retain (the default) a
 * scaled-down or deleted set leaves them, and the Pod of the same ordinal later reuses its claim.
 * (issue 6; W statefulset.md#persistentvolumeclaim-retention, StatefulSetAutoDeletePVC on in 1.32)
 * `whenScaled: Delete`: the claims of an ordinal at or above `replicas` are deleted once its Pod is gone
 * ({@link deleteScaledClaims}; Kubernetes: an owner reference to the condemned Pod, the garbage
 * collector, PVC protection until the Pod is gone); `whenDeleted: Delete`: deleted with the set
 * (../actions/objects.ts dependents, {@link claimsDeletedWithSet}), each held Terminating by PVC
 * protection (../apiserver.ts removeObject, finalizer `kubernetes.io/pvc-protection`) until its Pod is gone.
 */
import { createObject, newMeta, removeObject } from '../apiserver.ts';
import { emit } from '../emit.ts';
import { claimFromTemplate } from '../kinds/pvc.ts';
import type { Pod, SimState, StatefulSet } from '../types.ts';

/** The claim name of template `template` for ordinal `ordinal` of set `setName`. */
export function claimName(template: string, setName: string, ordinal: number): string {
  return `${template}-${setName}-${ordinal}`;
}

/** Creates the missing claims of ordinal `ordinal`; a refused create (quota, no quorum) is returned with the claim's name. */
export function ensureStatefulSetClaims(state: SimState, sts: StatefulSet, ordinal: number): { ok: true } | { ok: false; claim: string; error: string } {
  const ns = sts.metadata.namespace;
  const podName = `${sts.metadata.name}-${ordinal}`;
  for (const tpl of sts.spec.volumeClaimTemplates ?? []) {
    const name = claimName(tpl.metadata.name, sts.metadata.name, ordinal);
    const existing = state.persistentVolumeClaims && Object.hasOwn(state.persistentVolumeClaims, `${ns}/${name}`) ? state.persistentVolumeClaims[`${ns}/${name}`] : undefined;
    // createPersistentVolumeClaims: a claim still Terminating (PVC protection) blocks the Pod until it is gone
    if (existing?.metadata.deletionTimestamp !== undefined) return { ok: false, claim: name, error: `pvc ${name} is being deleted` };
    if (existing) continue;
    const claim = claimFromTemplate(tpl, newMeta(state, ns, name, {}, {}, []), sts.spec.selector.matchLabels);
    const r = createObject(state, 'PersistentVolumeClaim', claim);
    if (!r.ok) return { ok: false, claim: name, error: r.error };
    emit(state, 'Normal', 'SuccessfulCreate', { kind: 'StatefulSet', name: sts.metadata.name, namespace: ns }, `create Claim ${name} Pod ${podName} in StatefulSet ${sts.metadata.name} success`, 'statefulset-controller');
  }
  return { ok: true };
}

/** updateStorage: the Pod's volume of each claim template names the ordinal's claim (replacing a template volume of that name). */
export function attachClaims(pod: Pod, sts: StatefulSet, ordinal: number): void {
  const templates = sts.spec.volumeClaimTemplates ?? [];
  if (templates.length === 0) return;
  const names = new Set(templates.map((t) => t.metadata.name));
  const volumes = (pod.spec.volumes ?? []).filter((v) => !names.has(v.name));
  for (const t of templates) volumes.push({ name: t.metadata.name, persistentVolumeClaim: { claimName: claimName(t.metadata.name, sts.metadata.name, ordinal) } });
  pod.spec.volumes = volumes;
}

/**
 * (issue 6) `whenScaled: Delete`: removes the claims of ordinals `replicas`, `replicas + 1`... (up to the
 * first ordinal without a claim) whose Pod no longer exists. O(templates x removed ordinals).
 */
export function deleteScaledClaims(state: SimState, sts: StatefulSet): void {
  if (sts.spec.persistentVolumeClaimRetentionPolicy?.whenScaled !== 'Delete') return;
  const store = state.persistentVolumeClaims;
  if (!store) return;
  const ns = sts.metadata.namespace;
  const name = sts.metadata.name;
  for (const tpl of sts.spec.volumeClaimTemplates ?? []) {
    for (let i = sts.spec.replicas; ; i++) {
      const key = `${ns}/${claimName(tpl.metadata.name, name, i)}`;
      if (!Object.hasOwn(store, key)) break;
      if (state.pods[`${ns}/${name}-${i}`]) continue; // still running or terminating: PVC protection
      removeObject(state, 'PersistentVolumeClaim', key);
    }
  }
}

/** (issue 6) `whenDeleted: Delete`: the keys of the set's claims (every ordinal's), sorted, which go with it; else []. */
export function claimsDeletedWithSet(state: SimState, sts: StatefulSet): string[] {
  if (sts.spec.persistentVolumeClaimRetentionPolicy?.whenDeleted !== 'Delete') return [];
  const store = state.persistentVolumeClaims;
  if (!store) return [];
  const ns = sts.metadata.namespace;
  const prefixes = (sts.spec.volumeClaimTemplates ?? []).map((t) => `${ns}/${t.metadata.name}-${sts.metadata.name}-`);
  return Object.keys(store).filter((k) => prefixes.some((p) => k.startsWith(p) && /^\d+$/.test(k.slice(p.length)))).sort();
}
