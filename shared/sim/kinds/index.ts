/**
 * The kind registry (apimachinery's Scheme): every object kind the sim stores, looked up by kind name or
 * by any of kubectl's spellings (plural, singular, short name), and the generic owner-reference lookup.
 *
 * Adding a kind (StatefulSet, DaemonSet, Job, HPA, PodDisruptionBudget, ConfigMap...) is additive: one
 * module beside these (a {@link KindDef}), one line in {@link KINDS}, its store in the state.
 *
 * May import: ../types.ts, ../names.ts, ./*.
 */
import { objKey } from '../names.ts';
import type { ObjectMeta, SimState } from '../types.ts';
import { deploymentKind } from './deployment.ts';
import { endpointSliceKind } from './endpointslice.ts';
import type { KindDef, KubeObject } from './kind.ts';
import { nodeKind } from './node.ts';
import { podDisruptionBudgetKind } from './poddisruptionbudget.ts';
import { horizontalPodAutoscalerKind } from './hpa.ts';
import { cronJobKind, jobKind } from './job.ts';
import { podKind } from './pod.ts';
import { replicaSetKind } from './replicaset.ts';
import { serviceKind } from './service.ts';
import { daemonSetKind, replicationControllerKind, statefulSetKind } from './workloads.ts';
import { resourceQuotaKind } from './resourcequota.ts';
import { limitRangeKind } from './limitrange.ts';
import { leaseKind } from './lease.ts';
import { persistentVolumeClaimKind } from './pvc.ts';
import { priorityClassKind } from './priorityclass.ts';
import { configMapKind, secretKind } from './config.ts';
import { controllerRevisionKind } from './controllerRevision.ts';

export type { KindDef, KubeObject, PrinterColumn } from './kind.ts';

/** Every registered kind, in `kubectl api-resources` order of this sim. */
export const KINDS: readonly KindDef[] = [
  podKind as unknown as KindDef,
  nodeKind as unknown as KindDef,
  deploymentKind as unknown as KindDef,
  replicaSetKind as unknown as KindDef,
  serviceKind as unknown as KindDef,
  endpointSliceKind as unknown as KindDef,
  podDisruptionBudgetKind as unknown as KindDef,
  replicationControllerKind as unknown as KindDef,
  statefulSetKind as unknown as KindDef,
  daemonSetKind as unknown as KindDef,
  // The Priority admission refuses an unknown class in its mutating phase, before any validation
  // (K plugin/pkg/admission/priority/admission.go Admit), so it is asked first.
  priorityClassKind as unknown as KindDef,
  // LimitRanger runs before the ResourceQuota admission (K pkg/kubeapiserver/options/plugins.go order)
  limitRangeKind as unknown as KindDef,
  resourceQuotaKind as unknown as KindDef,
  horizontalPodAutoscalerKind as unknown as KindDef,
  jobKind as unknown as KindDef,
  cronJobKind as unknown as KindDef,
  leaseKind as unknown as KindDef,
  persistentVolumeClaimKind as unknown as KindDef,
  configMapKind as unknown as KindDef,
  secretKind as unknown as KindDef,
  controllerRevisionKind as unknown as KindDef,
];

const byKind = new Map<string, KindDef>(KINDS.map((k) => [k.kind, k]));
const byName = new Map<string, KindDef>();
for (const k of KINDS) for (const n of [k.plural, k.singular, ...k.shortNames]) byName.set(n, k);

/** The kind named `kind` (`Pod`), or undefined. */
export function kindOf(kind: string): KindDef | undefined {
  return byKind.get(kind);
}

/** The kind a kubectl word names (`pods`, `pod`, `po`; case-insensitive), or undefined. */
export function kindForResource(word: string): KindDef | undefined {
  return byName.get(word.toLowerCase());
}

/** The API group of a kind (`apps`, `scheduling.k8s.io`; '' for the core group). */
export function apiGroup(def: KindDef): string {
  const slash = def.apiVersion.indexOf('/');
  return slash < 0 ? '' : def.apiVersion.slice(0, slash);
}

/** `plural.group` as the API names a kind's resource in errors (`deployments.apps "web" not found`, `services`). */
export function qualifiedResource(def: KindDef): string {
  const g = apiGroup(def);
  return g === '' ? def.plural : `${def.plural}.${g}`;
}

/** `singular.group` as kubectl prints objects (`deployment.apps/web`, `service/api`). */
export function printedResource(def: KindDef): string {
  const g = apiGroup(def);
  return g === '' ? def.singular : `${def.singular}.${g}`;
}

/** The resource word of the console's printed commands: `commandWord` (`hpa`), else the singular. */
export function commandWord(def: KindDef): string {
  return def.commandWord ?? def.singular;
}

/** Every apiVersion a kind is served at: its own first, then `alsoServedAt`. */
export function servedVersions(def: KindDef): readonly string[] {
  return [def.apiVersion, ...(def.alsoServedAt ?? [])];
}

/** The storage key of an object of `def`: `namespace/name`, or the name for cluster-scoped kinds. */
export function objectKey(def: KindDef, meta: ObjectMeta): string {
  return def.namespaced ? objKey(meta.namespace, meta.name) : meta.name;
}

/**
 * The controller of `obj` (metav1.GetControllerOf restricted to the kinds its kind lists in
 * `controllerKinds`): the owner's kind and key, or undefined for an object nobody controls.
 */
export function controllerOwner(obj: KubeObject): { kind: string; key: string } | undefined {
  const def = byKind.get(obj.kind);
  const allowed = def?.controllerKinds ?? [];
  for (const r of obj.metadata.ownerReferences) {
    if (!r.controller || !allowed.includes(r.kind)) continue;
    const owner = byKind.get(r.kind);
    return { kind: r.kind, key: owner && !owner.namespaced ? r.name : objKey(obj.metadata.namespace, r.name) };
  }
  return undefined;
}

/** The stored object controlling `obj`, or undefined (no controller, or it is gone). */
export function controllerObject(state: SimState, obj: KubeObject): KubeObject | undefined {
  const ref = controllerOwner(obj);
  if (!ref) return undefined;
  return byKind.get(ref.kind)?.store(state)[ref.key];
}

/** The API view of any stored object (its kind's `toApi`); a plain copy for unknown kinds. */
export function toApi(obj: KubeObject, state: SimState): Record<string, unknown> {
  const def = byKind.get(obj.kind);
  return def ? def.toApi(obj, state) : (structuredClone(obj) as unknown as Record<string, unknown>);
}

export { WRITABLE_KINDS, kindsWhere, type KindsWhere, type WriteActions } from './writable.ts';
export { horizontalPodAutoscalerKind } from './hpa.ts';
export { limitRangeKind } from './limitrange.ts';
export { leaseKind } from './lease.ts';
export { priorityClassKind, priorityClassNamed, isSystemPriorityClass } from './priorityclass.ts';
export { configMapKind, secretKind } from './config.ts';
export { resourceQuotaKind } from './resourcequota.ts';
export { cronJobKind, jobKind } from './job.ts';
export { daemonSetKind, deploymentKind, endpointSliceKind, nodeKind, podDisruptionBudgetKind, podKind, replicaSetKind, replicationControllerKind, serviceKind, statefulSetKind };
