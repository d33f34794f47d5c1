/**
 * The contract of a kind module (apimachinery's Scheme + kubectl's printers, kwok's per-kind stages):
 * what the API server, the console and the serialisers need to know about one object kind.
 *
 * May import: ../types.ts.
 */
import type { ObjectMeta, Pod, SimState } from '../types.ts';

/** Any stored object: Kubernetes `metadata` plus its kind's fields. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
}

/** One column of `kubectl get` (K pkg/printers/internalversion/printers.go column definitions). */
export interface PrinterColumn<T> {
  /** Header, e.g. `READY`. */
  name: string;
  /** Only with `-o wide`. */
  wide?: boolean;
  /** The cell text for `obj` at the state's current time. */
  cell(obj: T, state: SimState): string;
}

/** One registered kind. `T` is its TypeScript shape. */
export interface KindDef<T extends KubeObject = KubeObject> {
  /** `v1`, `apps/v1`, `discovery.k8s.io/v1`. */
  apiVersion: string;
  /** `Pod`, `Deployment`... */
  kind: T['kind'];
  /** Lower-case plural (`pods`), the REST resource. */
  plural: string;
  /** Lower-case singular (`pod`). */
  singular: string;
  /** kubectl short names (`po`, `deploy`...). */
  shortNames: readonly string[];
  /** (added) The resource word of the console's printed commands (`kubectl delete hpa web`); default the singular. */
  commandWord?: string;
  /** (added) Older apiVersions also served and accepted in manifests (`autoscaling/v1` of an HPA). */
  alsoServedAt?: readonly string[];
  /** False for cluster-scoped kinds (Node): keys are bare names. */
  namespaced: boolean;
  /**
   * The map in the state holding every object of the kind (keys `namespace/name`, or names). Never
   * changes the state: a kind whose map is optional returns an empty object while it is absent.
   */
  store(state: SimState): Record<string, T>;
  /** For kinds whose map is optional in the state: creates it (on the first create) and returns it. */
  ensureStore?(state: SimState): Record<string, T>;
  /**
   * Defaulting applied by the API server on create (SetDefaults_* of pkg/apis/.../defaults.go): fills
   * what is missing, never changes what is set. Idempotent.
   */
  defaults?(obj: T): void;
  /**
   * Kinds whose objects may control this kind's objects through a `controller: true` owner reference
   * (a Pod: ReplicaSet; a ReplicaSet: Deployment). Used by the generic owner lookup (./index.ts
   * `controllerOwner`); adding StatefulSet = listing it here for Pod.
   */
  controllerKinds: readonly string[];
  /**
   * The object as the Kubernetes API serves it: no `sim` block, `resourceVersion` a string, every time
   * field RFC 3339 from the fixed epoch (../names.ts `simTimestamp`). A fresh copy.
   */
  toApi(obj: T, state: SimState): Record<string, unknown>;
  /** `kubectl get` columns, in order (wide ones after the normal ones). */
  columns: readonly PrinterColumn<T>[];
  /**
   * For kinds that gate evictions (PodDisruptionBudget): false refuses the eviction of `pod` with 429
   * (../apiserver.ts `evictPod`). Asked before the pod is deleted, in registry order.
   */
  allowsEviction?(state: SimState, podKey: string, pod: Pod): boolean;
  /**
   * (added) For kinds that are admission policies (ResourceQuota): asked by ../apiserver.ts
   * `createObject` before an object of any kind is stored; a message refuses the create with 403
   * (`pods "x" is forbidden: exceeded quota: ...`), undefined admits it. Must not change the state.
   */
  admitCreate?(state: SimState, kind: string, obj: KubeObject): string | undefined;
  /**
   * (added) For kinds that are mutating admission policies (LimitRange's defaults): asked by
   * ../apiserver.ts `createObject` before every `admitCreate`, may change `obj` (never the state).
   * Source: the API server runs mutating admission before validating admission.
   */
  admitMutate?(state: SimState, kind: string, obj: KubeObject): void;
}
