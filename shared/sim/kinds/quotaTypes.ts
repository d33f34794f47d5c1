/**
 * The v1 ResourceQuota shape (K pkg/apis/core/types.go ResourceQuota), re-exported by ../types.ts.
 * `status` (hard, used) is derived when read (./resourcequota.ts), as the PodDisruptionBudget's is.
 *
 * May import: ./types.ts.
 */
import type { ObjectMeta } from './types.ts';

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
