/**
 * The ResourceQuota kind (v1): storage `state.resourceQuotas` (optional in the state, created with the
 * first quota), its usage arithmetic and the quota admission the API server runs on every Pod create
 * (K plugin/pkg/admission/resourcequota, pkg/quota/v1/evaluator/core/pods.go; W
 * concepts/policy/resource-quotas.md):
 *
 * - usage: the Pods of the namespace that are not terminal (phase Succeeded / Failed); a terminating
 *   Pod still counts (Kubernetes releases it once its grace period is over). `requests.cpu` / `cpu`
 *   sum the containers' CPU requests (a request defaults to the limit), `requests.memory` / `memory`
 *   the memory requests, `limits.*` the limits, `pods` counts them. Quantities in millicores and MiB.
 * - admission: a new Pod whose requests would take any tracked resource over `spec.hard` is refused,
 *   403 `pods "x" is forbidden: exceeded quota: NAME, requested: requests.cpu=500m, used:
 *   requests.cpu=4, limited: requests.cpu=4` (resources exceeded, sorted, joined by commas); a Pod
 *   that does not set a tracked compute resource is refused with `failed quota: NAME: must specify
 *   requests.cpu` (every container must). Quotas are not retroactive: Pods already running stay.
 * - kubectl columns: NAME AGE REQUEST LIMIT, REQUEST `pods: 8/10, requests.cpu: 800m/800m`, LIMIT the
 *   `limits.*` pairs (printResourceQuota). `status.hard` / `status.used` are derived when read.
 *
 * May import: ../types.ts, ../../manifests/quantity.ts (pure), ./kind.ts, ./print.ts, ./serialize.ts.
 */
import { formatCpu, formatMemoryMiB, parseCpuMillicores, parseMemoryMiB } from '../../manifests/quantity.ts';
import type { Container, Pod, QuotaResource, ResourceQuota, SimState } from '../types.ts';
import type { KindDef, KubeObject } from './kind.ts';
import { humanDuration } from './print.ts';
import { apiCopy, apiMeta } from './serialize.ts';

const EMPTY: Readonly<Record<string, ResourceQuota>> = Object.freeze({});

/** What a resource measures: CPU (millicores), memory (MiB) or a count. */
function unitOf(r: QuotaResource): 'cpu' | 'memory' | 'count' {
  if (r === 'pods') return 'count';
  return r.endsWith('cpu') ? 'cpu' : 'memory';
}

/** A quantity of resource `r` as a number (millicores, MiB, count); NaN when it does not parse. */
export function quotaAmount(r: QuotaResource, q: string): number {
  try {
    const u = unitOf(r);
    if (u === 'cpu') return parseCpuMillicores(q);
    if (u === 'memory') return parseMemoryMiB(q);
    const n = Number(q);
    return Number.isInteger(n) && n >= 0 ? n : NaN;
  } catch {
    return NaN;
  }
}

/** An amount of resource `r` in Kubernetes' canonical form (`4`, `500m`, `2Gi`, `10`). */
export function formatAmount(r: QuotaResource, v: number): string {
  const u = unitOf(r);
  if (u === 'cpu') return formatCpu(v);
  if (u === 'memory') return formatMemoryMiB(v);
  return String(v);
}

function amountOrZero(r: QuotaResource, q: string | undefined): number {
  if (q === undefined) return 0;
  const v = quotaAmount(r, q);
  return Number.isFinite(v) ? v : 0;
}

/** The resource a container asks for `r` (undefined when not set): requests default to limits. */
function containerAmount(c: Container, r: QuotaResource): number | undefined {
  const req = c.resources.requests ?? {};
  const lim = c.resources.limits ?? {};
  switch (r) {
    case 'pods': return 1;
    case 'cpu':
    case 'requests.cpu': {
      const q = req.cpu ?? lim.cpu;
      return q === undefined ? undefined : amountOrZero(r, q);
    }
    case 'memory':
    case 'requests.memory': {
      const q = req.memory ?? lim.memory;
      return q === undefined ? undefined : amountOrZero(r, q);
    }
    case 'limits.cpu': return lim.cpu === undefined ? undefined : amountOrZero(r, lim.cpu);
    case 'limits.memory': return lim.memory === undefined ? undefined : amountOrZero(r, lim.memory);
  }
}

/** What one Pod uses of `r`; `missing` when a container does not set it (compute resources only). */
function podAmount(pod: Pod, r: QuotaResource): { amount: number; missing: boolean } {
  if (r === 'pods') return { amount: 1, missing: false };
  let amount = 0;
  let missing = false;
  for (const c of pod.spec.containers) {
    const v = containerAmount(c, r);
    if (v === undefined) missing = true;
    else amount += v;
  }
  return { amount, missing };
}

/** True when a Pod is charged to its namespace's quotas: not Succeeded / Failed. */
function charged(pod: Pod): boolean {
  return pod.status.phase !== 'Succeeded' && pod.status.phase !== 'Failed';
}

/** The tracked resources of a quota, sorted (keys of `spec.hard` that are known resources). */
function trackedResources(q: ResourceQuota): QuotaResource[] {
  return (Object.keys(q.spec.hard) as QuotaResource[]).filter((r) => q.spec.hard[r] !== undefined).sort();
}

/** A quota's usage now: resource -> amount (millicores, MiB, count) over the charged Pods of its namespace. O(pods). */
export function quotaUsed(state: SimState, q: ResourceQuota): Map<QuotaResource, number> {
  const used = new Map<QuotaResource, number>();
  const resources = trackedResources(q);
  for (const r of resources) used.set(r, 0);
  for (const key in state.pods) {
    const pod = state.pods[key]!;
    if (pod.metadata.namespace !== q.metadata.namespace || !charged(pod)) continue;
    for (const r of resources) used.set(r, used.get(r)! + podAmount(pod, r).amount);
  }
  return used;
}

/** `resource: used/hard` pairs of a quota, canonical quantities, sorted by resource (the REQUEST / LIMIT columns, describe's rows). */
export function quotaRows(state: SimState, q: ResourceQuota): { resource: QuotaResource; used: string; hard: string }[] {
  const used = quotaUsed(state, q);
  return trackedResources(q).map((r) => ({ resource: r, used: formatAmount(r, used.get(r) ?? 0), hard: formatAmount(r, amountOrZero(r, q.spec.hard[r])) }));
}

/** The refusal of creating `pod` under quota `q`, or undefined when it fits. */
function refusal(state: SimState, q: ResourceQuota, pod: Pod): string | undefined {
  const resources = trackedResources(q);
  const missing = resources.filter((r) => r !== 'pods' && podAmount(pod, r).missing);
  if (missing.length > 0) return `pods "${pod.metadata.name}" is forbidden: failed quota: ${q.metadata.name}: must specify ${missing.join(',')}`;
  const used = quotaUsed(state, q);
  const over = resources.filter((r) => used.get(r)! + podAmount(pod, r).amount > amountOrZero(r, q.spec.hard[r]));
  if (over.length === 0) return undefined;
  const list = (f: (r: QuotaResource) => number) => over.map((r) => `${r}=${formatAmount(r, f(r))}`).join(',');
  return `pods "${pod.metadata.name}" is forbidden: exceeded quota: ${q.metadata.name}, requested: ${list((r) => podAmount(pod, r).amount)}, used: ${list((r) => used.get(r)!)}, limited: ${list((r) => amountOrZero(r, q.spec.hard[r]))}`;
}

/** The ResourceQuota kind. */
export const resourceQuotaKind: KindDef<ResourceQuota> = {
  apiVersion: 'v1',
  kind: 'ResourceQuota',
  plural: 'resourcequotas',
  singular: 'resourcequota',
  shortNames: ['quota'],
  namespaced: true,
  store: (state) => state.resourceQuotas ?? (EMPTY as Record<string, ResourceQuota>),
  ensureStore: (state) => (state.resourceQuotas ??= Object.create(null) as Record<string, ResourceQuota>),
  controllerKinds: [],
  toApi(q, state) {
    const copy = apiCopy(q);
    apiMeta(copy);
    const rows = quotaRows(state, q);
    copy['status'] = { hard: Object.fromEntries(rows.map((r) => [r.resource, r.hard])), used: Object.fromEntries(rows.map((r) => [r.resource, r.used])) };
    return copy;
  },
  columns: [
    { name: 'NAME', cell: (q) => q.metadata.name },
    { name: 'AGE', cell: (q, s) => humanDuration(s.t - q.metadata.creationTimestamp) },
    { name: 'REQUEST', cell: (q, s) => quotaRows(s, q).filter((r) => !r.resource.startsWith('limits.')).map((r) => `${r.resource}: ${r.used}/${r.hard}`).join(', ') },
    { name: 'LIMIT', cell: (q, s) => quotaRows(s, q).filter((r) => r.resource.startsWith('limits.')).map((r) => `${r.resource}: ${r.used}/${r.hard}`).join(', ') },
  ],
  admitCreate(state, kind, obj: KubeObject) {
    if (kind !== 'Pod' || !state.resourceQuotas) return undefined;
    const pod = obj as Pod;
    for (const key of Object.keys(state.resourceQuotas).sort()) {
      const q = state.resourceQuotas[key]!;
      if (q.metadata.namespace !== pod.metadata.namespace) continue;
      const refused = refusal(state, q, pod);
      if (refused !== undefined) return refused;
    }
    return undefined;
  },
};
