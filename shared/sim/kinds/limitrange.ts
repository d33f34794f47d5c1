/**
 * The LimitRange kind (v1): storage `state.limitRanges` (optional in the state, created with the first
 * one) and the LimitRanger admission plugin the API server runs on every Pod create, before the
 * ResourceQuota admission (K plugin/pkg/admission/limitranger/admission.go; W
 * concepts/policy/limit-range.md):
 *
 * - defaulting of the item (K pkg/apis/core/v1/defaults.go SetDefaults_LimitRangeItem, Container
 *   items): `default` falls back to `max`, `defaultRequest` to `default`, then to `min`.
 * - mutating ({@link KindDef.admitMutate}): a container without a limit for cpu/memory gets the
 *   `default`; without a request (and without a limit, from which the Pod's own defaulting already took
 *   the request) the `defaultRequest`. Adds the annotation `kubernetes.io/limit-ranger: LimitRanger
 *   plugin set: cpu, memory request for container web; cpu, memory limit for container web`.
 * - validating ({@link KindDef.admitCreate}): `min` needs a request >= min (and a limit >= min), `max`
 *   a limit <= max (and a request <= max); `Pod` items compare the sums over the containers. Refused:
 *   403 `pods "x" is forbidden: maximum memory usage per Container is 512Mi, but limit is 1Gi` (several
 *   problems: `[a, b]`, utilerrors.NewAggregate).
 * - kubectl columns: NAME CREATED AT (printLimitRange).
 *
 * Simplifications: cpu and memory only; `maxLimitRequestRatio` and PersistentVolumeClaim items are
 * dropped by the manifest loader with a warning.
 *
 * May import: ../types.ts, ../names.ts, ../../manifests/quantity.ts (pure), ./kind.ts, ./serialize.ts.
 */
import { formatCpu, formatMemoryMiB, parseCpuMillicores, parseMemoryMiB } from '../../manifests/quantity.ts';
import { simTimestamp } from '../names.ts';
import type { LimitRange, LimitRangeItem, LimitResource, Pod, SimState } from '../types.ts';
import type { KindDef, KubeObject } from './kind.ts';
import { apiCopy, apiMeta } from './serialize.ts';

const EMPTY: Readonly<Record<string, LimitRange>> = Object.freeze({});
const RESOURCES: readonly LimitResource[] = ['cpu', 'memory'];

/** A quantity of `r` as a number (millicores, MiB); NaN when it does not parse. */
function amount(r: LimitResource, q: string | undefined): number {
  if (q === undefined) return NaN;
  try {
    return r === 'cpu' ? parseCpuMillicores(q) : parseMemoryMiB(q);
  } catch {
    return NaN;
  }
}

/** A quantity of `r` in Kubernetes' canonical form (`500m`, `1`, `512Mi`, `1Gi`): Quantity.String(). */
function canonical(r: LimitResource, q: string): string {
  const v = amount(r, q);
  if (!Number.isFinite(v)) return q;
  return r === 'cpu' ? formatCpu(v) : formatMemoryMiB(v);
}

/** An item with the API server's defaults (SetDefaults_LimitRangeItem): default <- max, defaultRequest <- default <- min. */
export function defaultedItem(item: LimitRangeItem): LimitRangeItem {
  if (item.type !== 'Container') return item;
  const def = { ...(item.max ?? {}), ...(item.default ?? {}) };
  const req = { ...(item.min ?? {}), ...def, ...(item.defaultRequest ?? {}) };
  return { ...item, default: def, defaultRequest: req };
}

/** The LimitRanges of a namespace, by key. */
function rangesIn(state: SimState, ns: string): LimitRange[] {
  const store = state.limitRanges;
  if (!store) return [];
  return Object.keys(store).sort().map((k) => store[k]!).filter((l) => l.metadata.namespace === ns);
}

/**
 * Applies the namespace's Container defaults to `pod` (LimitRanger's mutating half). Copy-on-write: a
 * Pod's containers may be shared with its ReplicaSet's other Pods (controllers/replicaset.ts), so a
 * changed Pod gets its own copies; its sim resource figures (requests in millicores / MiB, the memory
 * limit) are recomputed from the defaulted containers.
 */
function applyDefaults(state: SimState, pod: Pod): void {
  const items = rangesIn(state, pod.metadata.namespace).flatMap((lr) => lr.spec.limits.filter((i) => i.type === 'Container').map(defaultedItem));
  if (items.length === 0) return;
  const parts: string[] = [];
  let changed = false;
  const containers = pod.spec.containers.map((c) => {
    const requests = { ...(c.resources.requests ?? {}) };
    const limits = { ...(c.resources.limits ?? {}) };
    const hadLimit = { ...limits };
    const setReq: LimitResource[] = [];
    const setLim: LimitResource[] = [];
    for (const item of items) {
      for (const r of RESOURCES) {
        const lim = item.default?.[r];
        if (lim !== undefined && limits[r] === undefined) {
          limits[r] = lim;
          setLim.push(r);
        }
        const req = item.defaultRequest?.[r];
        // a container with its own limit but no request already has request = limit (Pod defaulting)
        if (req !== undefined && requests[r] === undefined && hadLimit[r] === undefined) {
          requests[r] = req;
          setReq.push(r);
        }
      }
    }
    if (setReq.length > 0) parts.push(`${RESOURCES.filter((r) => setReq.includes(r)).join(', ')} request for container ${c.name}`);
    if (setLim.length > 0) parts.push(`${RESOURCES.filter((r) => setLim.includes(r)).join(', ')} limit for container ${c.name}`);
    if (setReq.length + setLim.length === 0) return c;
    changed = true;
    const resources: typeof c.resources = {};
    if (Object.keys(limits).length > 0) resources.limits = limits;
    if (Object.keys(requests).length > 0) resources.requests = requests;
    return { ...c, resources };
  });
  if (!changed) return;
  pod.spec.containers = containers;
  pod.metadata.annotations = { ...pod.metadata.annotations, 'kubernetes.io/limit-ranger': `LimitRanger plugin set: ${parts.join('; ')}` };
  let cpu = 0;
  let mem = 0;
  let memLimit: number | null = 0;
  for (const c of containers) {
    const cr = amount('cpu', requestOf(c, 'cpu'));
    const mr = amount('memory', requestOf(c, 'memory'));
    const ml = amount('memory', c.resources.limits?.memory);
    if (Number.isFinite(cr)) cpu += cr;
    if (Number.isFinite(mr)) mem += mr;
    memLimit = memLimit === null || !Number.isFinite(ml) ? null : memLimit + ml;
  }
  pod.sim.cpuRequestMilli = cpu;
  pod.sim.memRequestMiB = mem;
  pod.sim.memLimitMiB = memLimit;
}

/** A container's request of `r` (the limit when no request is set, as Pod defaulting does). */
function requestOf(c: Pod['spec']['containers'][number], r: LimitResource): string | undefined {
  return c.resources.requests?.[r] ?? c.resources.limits?.[r];
}

/** minConstraint / maxConstraint of admission.go for one (request, limit) pair; the message or undefined. */
function check(kind: 'Container' | 'Pod', r: LimitResource, item: LimitRangeItem, req: string | undefined, lim: string | undefined): string[] {
  const out: string[] = [];
  const min = item.min?.[r];
  if (min !== undefined) {
    const m = canonical(r, min);
    if (req === undefined) out.push(`minimum ${r} usage per ${kind} is ${m}.  No request is specified`);
    else if (amount(r, req) < amount(r, min)) out.push(`minimum ${r} usage per ${kind} is ${m}, but request is ${canonical(r, req)}`);
    else if (lim !== undefined && amount(r, lim) < amount(r, min)) out.push(`minimum ${r} usage per ${kind} is ${m}, but limit is ${canonical(r, lim)}`);
  }
  const max = item.max?.[r];
  if (max !== undefined) {
    const m = canonical(r, max);
    if (lim === undefined) out.push(`maximum ${r} usage per ${kind} is ${m}.  No limit is specified`);
    else if (amount(r, lim) > amount(r, max)) out.push(`maximum ${r} usage per ${kind} is ${m}, but limit is ${canonical(r, lim)}`);
    else if (req !== undefined && amount(r, req) > amount(r, max)) out.push(`maximum ${r} usage per ${kind} is ${m}, but request is ${canonical(r, req)}`);
  }
  return out;
}

/** The sum of the values of `r` the Pod's containers set (podRequests / podLimits: addResourceList), formatted; undefined when none sets it. */
function podSum(pod: Pod, r: LimitResource, pick: (c: Pod['spec']['containers'][number]) => string | undefined): string | undefined {
  let total = 0;
  let any = false;
  for (const c of pod.spec.containers) {
    const v = amount(r, pick(c));
    if (!Number.isFinite(v)) continue;
    total += v;
    any = true;
  }
  return any ? (r === 'cpu' ? formatCpu(total) : formatMemoryMiB(total)) : undefined;
}

/** LimitRanger's validating half: the refusal messages for `pod` (empty when it fits). */
export function limitRangeProblems(state: SimState, pod: Pod): string[] {
  const out: string[] = [];
  for (const lr of rangesIn(state, pod.metadata.namespace)) {
    for (const raw of lr.spec.limits) {
      const item = defaultedItem(raw);
      for (const r of RESOURCES) {
        if (item.type === 'Container') {
          for (const c of pod.spec.containers) out.push(...check('Container', r, item, requestOf(c, r), c.resources.limits?.[r]));
        } else {
          out.push(...check('Pod', r, item, podSum(pod, r, (c) => requestOf(c, r)), podSum(pod, r, (c) => c.resources.limits?.[r])));
        }
      }
    }
  }
  return out;
}

/** The LimitRange kind. */
export const limitRangeKind: KindDef<LimitRange> = {
  apiVersion: 'v1',
  kind: 'LimitRange',
  plural: 'limitranges',
  singular: 'limitrange',
  shortNames: ['limits'],
  namespaced: true,
  store: (state) => state.limitRanges ?? (EMPTY as Record<string, LimitRange>),
  ensureStore: (state) => (state.limitRanges ??= Object.create(null) as Record<string, LimitRange>),
  controllerKinds: [],
  toApi(lr) {
    const copy = apiCopy(lr);
    apiMeta(copy);
    copy['spec'] = { limits: lr.spec.limits.map((i) => defaultedItem(i)) };
    return copy;
  },
  columns: [
    { name: 'NAME', cell: (lr) => lr.metadata.name },
    { name: 'CREATED AT', cell: (lr) => simTimestamp(lr.metadata.creationTimestamp) },
  ],
  admitMutate(state, kind, obj: KubeObject) {
    if (kind === 'Pod' && state.limitRanges) applyDefaults(state, obj as Pod);
  },
  admitCreate(state, kind, obj: KubeObject) {
    if (kind !== 'Pod' || !state.limitRanges) return undefined;
    const pod = obj as Pod;
    const problems = limitRangeProblems(state, pod);
    if (problems.length === 0) return undefined;
    return `pods "${pod.metadata.name}" is forbidden: ${problems.length === 1 ? problems[0] : `[${problems.join(', ')}]`}`;
  },
};
