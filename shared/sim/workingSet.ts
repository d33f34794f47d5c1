/**
 * The working-set memory rule: how much memory a container uses right after it starts, from its image
 * profile and its Pod's memory requests/limits. Behaviour from the scenario when it describes the
 * image, else a documented share of the request that stays below the limit, so a healthy workload
 * is never `OOMKilled` unless a fault (the memory-leak incident) or the scenario says so.
 *
 * The rule, in MiB:
 * - the scenario sets `baseMemoryMiB` for the image (or in `defaultImage`): that value, as declared (it
 *   may exceed the limit: the scenario says so);
 * - otherwise (an image the scenario does not describe): `round(0.6 × request)`, where `request` is the
 *   Pod's summed container memory requests (a container's request defaults to its limit, as the API
 *   server defaults it: K pkg/apis/core/v1/defaults.go `SetDefaults_ResourceList`... "If limits are
 *   specified but requests are not, requests default to limits",
 *   https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/); with neither a
 *   request nor a limit, 64 MiB; and never more than `floor(0.9 × limit)` when the Pod has a memory
 *   limit (headroom under the cgroup limit the OOM killer enforces).
 * Growth (a leak) is added on top by the kubelet's model (controllers/kubelet.ts `memoryAt`) and may
 * cross the limit: that is the fault.
 *
 * Pure. May import: ./types.ts.
 */
import type { ImageProfile } from './types.ts';

/** Share of the Pod's memory request an undescribed image uses right after start. */
export const WORKING_SET_REQUEST_SHARE = 0.6;
/** An undescribed image's starting working set stays at or below this share of the memory limit. */
export const WORKING_SET_LIMIT_SHARE = 0.9;
/** Working set of an undescribed image in a Pod with no memory request or limit, MiB. */
export const WORKING_SET_FALLBACK_MIB = 64;

/** The memory figures of a Pod the rule reads (a Pod's `sim` block has them). */
export interface MemoryBasis {
  /** Summed container memory requests, MiB (limits where a request is unset); 0 when none. */
  memRequestMiB: number;
  /** Summed container memory limits, MiB; null when a container has none. */
  memLimitMiB: number | null;
}

/**
 * Working set right after start, MiB, by the rule of the module doc: `profile.baseMemoryMiB` when the
 * profile declares it (no `baseMemoryShare`), else `baseMemoryShare` × request, capped at 90 % of the
 * limit. Without `basis` (no Pod at hand) the profile's `baseMemoryMiB`.
 */
export function baseWorkingSetMiB(profile: ImageProfile, basis?: MemoryBasis): number {
  const share = profile.baseMemoryShare;
  if (share === undefined || basis === undefined) return profile.baseMemoryMiB;
  const limit = basis.memLimitMiB;
  const request = basis.memRequestMiB > 0 ? basis.memRequestMiB : (limit ?? 0);
  let base = request > 0 ? Math.round(share * request) : WORKING_SET_FALLBACK_MIB;
  if (limit !== null && limit > 0) base = Math.min(base, Math.floor(WORKING_SET_LIMIT_SHARE * limit));
  return base;
}

/**
 * A profile the scenario declares, on top of `base` (the match's default profile): the declared
 * fields win; when it declares `baseMemoryMiB` the request-share rule no longer applies to it.
 */
export function declaredProfile(base: ImageProfile, declared: Partial<ImageProfile>): ImageProfile {
  const out: ImageProfile = { ...base, ...declared };
  if (declared.baseMemoryMiB !== undefined && declared.baseMemoryShare === undefined) {
    const { baseMemoryShare: _share, ...rest } = out;
    return rest;
  }
  return out;
}
