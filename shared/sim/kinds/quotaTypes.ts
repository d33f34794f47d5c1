/**
 * The v1 ResourceQuota shape (K pkg/apis/core/types.go ResourceQuota), re-exported by ../types.ts.
 * `status` (hard, used) is derived when read (./resourcequota.ts), as the PodDisruptionBudget's is.
 *
 * May import: ./types.ts.
 */
import type { ObjectMeta, PodDisruptionBudget } from './types.ts';

/**
 * Compute resources a quota may limit in this sim (W concepts/policy/resource-quotas.md "Compute
 * Resource Quota" and "Object count quota"): `pods`, `requests.cpu` (also `cpu`), `requests.memory`
 * (also `memory`), `limits.cpu`, `limits.memory`.
 */
export const QUOTA_RESOURCES = ['cpu', 'limits.cpu', 'limits.memory', 'memory', 'pods', 'requests.cpu', 'requests.memory'] as const;

/** One resource name of {@link QUOTA_RESOURCES}. */
export type QuotaResource = (typeof QUOTA_RESOURCES)[number];

/** `v1 ResourceQuota`: per-namespace totals the API server's quota admission enforces on Pod creation. */
export interface ResourceQuota {
  apiVersion: 'v1';
  kind: 'ResourceQuota';
  metadata: ObjectMeta;
  spec: {
    /** Resource name -> quantity (`"4"`, `"500m"`, `"8Gi"`, `"10"`). Keys are {@link QuotaResource}s. */
    hard: Partial<Record<QuotaResource, string>>;
  };
}

/** The compute resources a LimitRange constrains in this sim (`cpu`, `memory`). */
export type LimitResource = 'cpu' | 'memory';

/** One `spec.limits[]` item of a LimitRange (K pkg/apis/core/types.go LimitRangeItem). Quantities as strings. */
export interface LimitRangeItem {
  /** `Container` (per container: defaults and min/max) or `Pod` (min/max of the sum over its containers). */
  type: 'Container' | 'Pod';
  max?: Partial<Record<LimitResource, string>>;
  min?: Partial<Record<LimitResource, string>>;
  /** Default limits given to a container that sets none (Container only). */
  default?: Partial<Record<LimitResource, string>>;
  /** Default requests given to a container that sets none (Container only). */
  defaultRequest?: Partial<Record<LimitResource, string>>;
}

/**
 * `v1 LimitRange`: per-namespace defaults and bounds the API server's LimitRanger admission applies to
 * every Pod created in the namespace (mutating: defaults; validating: min/max, 403 Forbidden).
 */
export interface LimitRange {
  apiVersion: 'v1';
  kind: 'LimitRange';
  metadata: ObjectMeta;
  spec: { limits: LimitRangeItem[] };
}

/** Metadata of a policy object in a {@link PolicyManifest} (namespace defaults to `default`). */
export interface PolicyManifestMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/**
 * (added) A namespace policy object of the manifests (shared/manifests): a ResourceQuota, LimitRange or
 * PodDisruptionBudget, stored at createSim before any Pod is created (../policies.ts), so quota and
 * LimitRange admission apply to the workloads' first Pods as after a `kubectl apply -f` of the files.
 */
export type PolicyManifest =
  | { apiVersion: 'v1'; kind: 'ResourceQuota'; metadata: PolicyManifestMeta; spec: ResourceQuota['spec'] }
  | { apiVersion: 'v1'; kind: 'LimitRange'; metadata: PolicyManifestMeta; spec: LimitRange['spec'] }
  | { apiVersion: 'policy/v1'; kind: 'PodDisruptionBudget'; metadata: PolicyManifestMeta; spec: PodDisruptionBudget['spec'] };
