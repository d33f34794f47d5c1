/**
 * Helpers of the kinds' `toApi`: copy an object without its `sim` block and turn sim-second time fields
 * into RFC 3339 stamps from the fixed epoch (../names.ts `simTimestamp`).
 *
 * May import: ../names.ts, ../types.ts.
 */
import { simTimestamp } from '../names.ts';
import type { ObjectMeta } from '../types.ts';

/** A deep copy of `obj` without the top-level `sim` block; its containers' `imagePullPolicy` defaulted ({@link defaultPullPolicies}). */
export function apiCopy(obj: object): Record<string, unknown> {
  const copy = structuredClone(obj) as Record<string, unknown>;
  delete copy['sim'];
  defaultPullPolicies(copy);
  return copy;
}

/**
 * (issue 6) The API server's default of a container's `imagePullPolicy` (K pkg/apis/core/v1/defaults.go
 * SetDefaults_Container: `parsers.ParseImageName` tag `latest` -> Always, else IfNotPresent; a reference
 * without tag or digest gets `latest`): `nginx`, `nginx:latest` -> Always; `nginx:1.27`,
 * `nginx@sha256:...` -> IfNotPresent. Pure.
 */
export function defaultImagePullPolicy(image: string): 'Always' | 'IfNotPresent' {
  const at = image.indexOf('@');
  const name = at >= 0 ? image.slice(0, at) : image;
  const colon = name.lastIndexOf(':');
  const tag = colon > name.lastIndexOf('/') ? name.slice(colon + 1) : '';
  return tag === 'latest' || (tag === '' && at < 0) ? 'Always' : 'IfNotPresent';
}

/**
 * (issue 6) Sets a stored container's `image` keeping its pull policy as Kubernetes stores it: the
 * API server defaulted an absent `imagePullPolicy` when the object was created (K pkg/apis/core/v1/
 * defaults.go SetDefaults_Container) and an update with the field set is not defaulted again, so
 * `kubectl set image` from `nginx:1.27` to `nginx:latest` keeps IfNotPresent. The sim stores a policy
 * equal to its image's default as absent: when the new image's default differs, the old default is
 * written out. Mutates `c`.
 */
export function setContainerImage(c: { image: string; imagePullPolicy?: 'Always' | 'IfNotPresent' | 'Never' }, image: string): void {
  if (c.imagePullPolicy === undefined && defaultImagePullPolicy(c.image) !== defaultImagePullPolicy(image)) c.imagePullPolicy = defaultImagePullPolicy(c.image);
  else if (c.imagePullPolicy !== undefined && c.imagePullPolicy === defaultImagePullPolicy(image)) delete c.imagePullPolicy;
  c.image = image;
}

/** The pod specs of an API copy: `spec` (a Pod), `spec.template.spec` (workloads), `spec.jobTemplate.spec.template.spec` (a CronJob). */
function podSpecsOf(copy: Record<string, unknown>): Record<string, unknown>[] {
  const obj = (v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);
  const spec = obj(copy['spec']);
  if (!spec) return [];
  const out = [spec];
  const tpl = obj(obj(spec['template'])?.['spec']);
  if (tpl) out.push(tpl);
  const job = obj(obj(obj(obj(spec['jobTemplate'])?.['spec'])?.['template'])?.['spec']);
  if (job) out.push(job);
  return out;
}

/**
 * Writes each container's (and init container's) defaulted `imagePullPolicy` into an API copy where the
 * manifest left it out: the stored objects keep it absent (the kubelet applies the same default), the
 * served ones show it as a real API server stores it (`kubectl get -o yaml`, the Kubernetes API).
 * Mutates `copy`.
 */
export function defaultPullPolicies(copy: Record<string, unknown>): void {
  for (const spec of podSpecsOf(copy)) {
    for (const field of ['initContainers', 'containers']) {
      const list = spec[field];
      if (!Array.isArray(list)) continue;
      for (const c of list as Record<string, unknown>[]) {
        if (c && typeof c === 'object' && typeof c['image'] === 'string' && c['imagePullPolicy'] === undefined) c['imagePullPolicy'] = defaultImagePullPolicy(c['image']);
      }
    }
  }
}

/** `metadata` as served: timestamps RFC 3339, resourceVersion a string. Mutates `copy.metadata`. */
export function apiMeta(copy: Record<string, unknown>): void {
  const meta = copy['metadata'] as (Omit<ObjectMeta, 'creationTimestamp' | 'deletionTimestamp' | 'resourceVersion'> & Record<string, unknown>) | undefined;
  if (!meta) return;
  if (typeof meta['creationTimestamp'] === 'number') meta['creationTimestamp'] = simTimestamp(meta['creationTimestamp']);
  if (typeof meta['deletionTimestamp'] === 'number') meta['deletionTimestamp'] = simTimestamp(meta['deletionTimestamp']);
  meta['resourceVersion'] = String(meta['resourceVersion']);
}

/** Replaces the numeric `fields` of `obj` (when present) by RFC 3339 stamps. */
export function stampFields(obj: unknown, fields: readonly string[]): void {
  if (!obj || typeof obj !== 'object') return;
  const o = obj as Record<string, unknown>;
  for (const f of fields) if (typeof o[f] === 'number') o[f] = simTimestamp(o[f]);
}

/** {@link stampFields} on every element of an array field. */
export function stampEach(list: unknown, fields: readonly string[]): void {
  if (Array.isArray(list)) for (const x of list) stampFields(x, fields);
}
