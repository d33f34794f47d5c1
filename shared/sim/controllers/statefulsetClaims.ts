/**
 * (added, issue 6) The StatefulSet controller's claims (K pkg/controller/statefulset
 * stateful_pod_control.go createPersistentVolumeClaims, stateful_set_utils.go getPersistentVolumeClaims
 * / updateStorage): before the Pod of ordinal i is created, each `volumeClaimTemplates` entry T gets the
 * claim `T-<set>-<i>` (labels: T's plus the set's selector) unless it exists, with the event
 * `SuccessfulCreate` "create Claim data-web-0 Pod web-0 in StatefulSet web success"; the Pod's volume
 * named T points at it. Claims are never deleted by the controller
 * (`persistentVolumeClaimRetentionPolicy` Retain / Retain, the default): a scaled-down or deleted set
 * leaves them, and the Pod of the same ordinal later reuses its claim.
 */
import { createObject, newMeta } from '../apiserver.ts';
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
    if (state.persistentVolumeClaims && Object.hasOwn(state.persistentVolumeClaims, `${ns}/${name}`)) continue;
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
