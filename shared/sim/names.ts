/**
 * Object names and stamps the way Kubernetes makes them: `pod-template-hash` values, generated name
 * suffixes (apimachinery `rand.String`, alphabet without vowels), and RFC 3339 timestamps for annotations.
 */
import { hashValue } from './hash.ts';
import { nextInt } from './prng.ts';
import type { PodTemplateSpec, RngState, SimSeconds } from './types.ts';

/** apimachinery pkg/util/rand: letters and digits with vowels and look-alikes removed. */
export const SAFE_ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

/**
 * `pod-template-hash` of a Deployment's pod template (K pkg/controller/controller_utils.go ComputeHash:
 * a hash of the template rendered with rand.SafeEncodeString). Here: FNV-1a 64 of the canonical JSON
 * (label `pod-template-hash` removed), 10 characters of the safe alphabet. Equal templates give equal hashes.
 */
export function templateHash(template: PodTemplateSpec): string {
  const labels = { ...template.metadata.labels };
  delete labels['pod-template-hash'];
  const hex = hashValue({ ...template, metadata: { ...template.metadata, labels }, spec: hashedSpec(template.spec) });
  let out = '';
  for (let i = 0; i < 10; i++) {
    const byte = parseInt(hex.slice((i * 3) % 14, ((i * 3) % 14) + 2), 16);
    out += SAFE_ALPHANUMS[byte % SAFE_ALPHANUMS.length];
  }
  return out;
}

/**
 * The pod spec as hashed: without `initContainers`, `volumes` and the containers' `volumeMounts`
 * (issue 6). Deviation from Kubernetes, whose hash covers the whole template: these fields were not kept
 * before, and leaving them out keeps the Pod names (and so every recorded outcome) of the scenarios
 * that mount volumes as they were. A change of only these fields therefore does not start a rollout.
 */
function hashedSpec(spec: PodTemplateSpec['spec']): PodTemplateSpec['spec'] {
  const mounts = spec.containers.some((c) => c.volumeMounts !== undefined);
  if (spec.initContainers === undefined && spec.volumes === undefined && !mounts) return spec;
  const { initContainers: _i, volumes: _v, ...rest } = spec;
  if (!mounts) return rest;
  return { ...rest, containers: spec.containers.map(({ volumeMounts: _m, ...c }) => c) };
}

/** A `generateName` suffix of `n` safe characters drawn from the state's PRNG (mutates `rng`). */
export function randomSuffix(rng: RngState, n = 5): string {
  let s = '';
  for (let i = 0; i < n; i++) s += SAFE_ALPHANUMS[nextInt(rng, SAFE_ALPHANUMS.length)];
  return s;
}

/** The sim's fixed epoch: sim second 0 is 2025-01-01T00:00:00Z (the sim has no wall clock). */
export const SIM_EPOCH = '2025-01-01T00:00:00Z';

/** Days from 1970-01-01 to 2025-01-01. */
const EPOCH_DAYS = 20089;

/** Proleptic Gregorian date of a day count since 1970-01-01 (H. Hinnant's civil_from_days). */
function civilFromDays(z: number): { y: number; m: number; d: number } {
  const zz = z + 719468;
  const era = Math.floor(zz / 146097);
  const doe = zz - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { y: yoe + era * 400 + (m <= 2 ? 1 : 0), m, d };
}

/**
 * RFC 3339 stamp (UTC, whole seconds) of a sim second, counted from {@link SIM_EPOCH}: 0 ->
 * `2025-01-01T00:00:00Z`, 86400 * 31 -> `2025-02-01T00:00:00Z`. Negative values clamp to the epoch.
 * What the kinds' `toApi` serialise every time field with (`creationTimestamp`, conditions...) and
 * annotations such as `kubectl.kubernetes.io/restartedAt` carry.
 */
export function simTimestamp(t: SimSeconds): string {
  const s = Math.max(0, Math.floor(t));
  const { y, m, d } = civilFromDays(EPOCH_DAYS + Math.floor(s / 86400));
  const two = (n: number) => String(n).padStart(2, '0');
  return `${y}-${two(m)}-${two(d)}T${two(Math.floor((s % 86400) / 3600))}:${two(Math.floor((s % 3600) / 60))}:${two(s % 60)}Z`;
}

/** `namespace/name` key used for pods, Deployments, ReplicaSets, Services and EndpointSlices. */
export function objKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

/**
 * Key of an object reference as scenarios and actions write it: `web` -> `default/web`,
 * `shop/web` unchanged (a bare name is in the `default` namespace, like kubectl without `-n`).
 */
export function refKey(ref: string): string {
  return ref.includes('/') ? ref : objKey('default', ref);
}

/** Splits a key or bare name into namespace and name (`"web"` -> default/web). */
export function splitKey(keyOrName: string): { namespace: string; name: string } {
  const i = keyOrName.indexOf('/');
  return i < 0 ? { namespace: 'default', name: keyOrName } : { namespace: keyOrName.slice(0, i), name: keyOrName.slice(i + 1) };
}
