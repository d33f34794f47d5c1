/**
 * The namespace policy kinds of the manifests, validated into the sim's {@link PolicyManifest}s:
 * v1 ResourceQuota (`spec.hard` of the compute resources and `pods`), v1 LimitRange (`Container` and
 * `Pod` items: max, min, default, defaultRequest of cpu and memory) and policy/v1 PodDisruptionBudget
 * (`selector.matchLabels`, `minAvailable` xor `maxUnavailable`, int or percent). Field types as the API
 * server checks them (K pkg/apis/core/validation ValidateResourceQuota / ValidateLimitRange,
 * pkg/apis/policy/validation ValidatePodDisruptionBudgetSpec); the parts the sim does not model are
 * dropped with a warning (other quota resources, scopes, `maxLimitRequestRatio`, PersistentVolumeClaim
 * items, matchExpressions).
 *
 * Pure. May import: zod, ./quantity.ts, ./names.ts, ../sim/types.ts (types only).
 */
import { z } from 'zod';
import type { LimitRangeItem, PolicyManifest, QuotaResource } from '../sim/types.ts';
import { parseQuantity } from './quantity.ts';
import { QuantitySchema, typeMessage } from './schemas.ts';
import { dns1123LabelError, dns1123SubdomainError } from './names.ts';

/** The kinds this module loads, with their apiVersion. */
export const POLICY_KINDS: Readonly<Record<PolicyManifest['kind'], string>> = {
  ResourceQuota: 'v1',
  LimitRange: 'v1',
  PodDisruptionBudget: 'policy/v1',
};

const SIM_QUOTA_RESOURCES: readonly QuotaResource[] = ['cpu', 'limits.cpu', 'limits.memory', 'memory', 'pods', 'requests.cpu', 'requests.memory'];

const typed = typeMessage;
const str = () => z.string({ error: typed('a string') });
const named = (check: (n: string) => string | null) =>
  str().min(1, { error: 'Required value' }).superRefine((v, ctx) => {
    const e = check(v);
    if (e) ctx.addIssue({ code: 'custom', message: e });
  });
const stringMap = () => z.record(z.string(), str(), { error: typed('a mapping of strings') });
const quantity = QuantitySchema;
const resourceList = () => z.record(z.string(), quantity, { error: typed('a mapping of resource names to quantities') });
const Meta = z.object({ name: named(dns1123SubdomainError), namespace: named(dns1123LabelError).optional(), labels: stringMap().optional(), annotations: stringMap().optional() });
const intOrPercent = z.union([z.number().int({ error: 'must be an integer' }).min(0, { error: 'must be greater than or equal to 0' }), str().regex(/^\d+%$/, { error: 'must be an integer or a percentage such as "25%"' })], { error: typed('an integer or a percentage such as "25%"') });

const ResourceQuotaSchema = z.object({ metadata: Meta, spec: z.object({ hard: resourceList().optional(), scopes: z.array(str()).optional() }).optional() });
const LimitRangeSchema = z.object({
  metadata: Meta,
  spec: z.object({
    limits: z.array(
      z.object({
        type: str().min(1, { error: 'Required value' }),
        max: resourceList().optional(),
        min: resourceList().optional(),
        default: resourceList().optional(),
        defaultRequest: resourceList().optional(),
        maxLimitRequestRatio: resourceList().optional(),
      }),
      { error: typed('a list of limits') },
    ),
  }),
});
const PdbSchema = z.object({
  metadata: Meta,
  spec: z.object({
    selector: z.object({ matchLabels: stringMap().optional(), matchExpressions: z.array(z.unknown()).optional() }).optional(),
    minAvailable: intOrPercent.optional(),
    maxUnavailable: intOrPercent.optional(),
    unhealthyPodEvictionPolicy: z.enum(['IfHealthyBudget', 'AlwaysAllow'], { error: 'supported values: "AlwaysAllow", "IfHealthyBudget"' }).optional(),
  }).optional(),
});

/** What {@link parsePolicy} found: the object, or errors (path + message); warnings either way. */
export type PolicyResult = { manifest?: PolicyManifest; errors: { path: (string | number)[]; message: string }[]; warnings: string[] };

function issues(e: z.ZodError): PolicyResult['errors'] {
  return e.issues.map((i) => ({ path: i.path.filter((p): p is string | number => typeof p !== 'symbol'), message: i.message }));
}

function pick<T extends string>(list: Record<string, string> | undefined, allowed: readonly T[], where: string, warnings: string[]): Partial<Record<T, string>> | undefined {
  if (!list) return undefined;
  const out: Partial<Record<T, string>> = {};
  for (const k of Object.keys(list).sort()) {
    if ((allowed as readonly string[]).includes(k)) out[k as T] = list[k]!;
    else warnings.push(`${where}.${k}: not simulated (the sim tracks ${allowed.join(', ')}), ignored`);
  }
  return out;
}

/**
 * Validates one ResourceQuota / LimitRange / PodDisruptionBudget object (its apiVersion already
 * checked). Never throws: problems come back as `errors` with their field path.
 */
export function parsePolicy(kind: PolicyManifest['kind'], obj: unknown): PolicyResult {
  const warnings: string[] = [];
  if (kind === 'ResourceQuota') {
    const r = ResourceQuotaSchema.safeParse(obj);
    if (!r.success) return { errors: issues(r.error), warnings };
    if ((r.data.spec?.scopes ?? []).length > 0) warnings.push('spec.scopes: not simulated, the quota applies to every Pod of the namespace');
    const hard = pick(r.data.spec?.hard, SIM_QUOTA_RESOURCES, 'spec.hard', warnings) ?? {};
    return { manifest: { apiVersion: 'v1', kind, metadata: r.data.metadata, spec: { hard } }, errors: [], warnings };
  }
  if (kind === 'LimitRange') {
    const r = LimitRangeSchema.safeParse(obj);
    if (!r.success) return { errors: issues(r.error), warnings };
    const limits: LimitRangeItem[] = [];
    const errors: PolicyResult['errors'] = [];
    r.data.spec.limits.forEach((item, i) => {
      const where = `spec.limits[${i}]`;
      if (item.type !== 'Container' && item.type !== 'Pod') {
        if (item.type === 'PersistentVolumeClaim') warnings.push(`${where}: PersistentVolumeClaim limits are not simulated, ignored`);
        else errors.push({ path: ['spec', 'limits', i, 'type'], message: `Unsupported value: "${item.type}": supported values: "Container", "Pod", "PersistentVolumeClaim"` });
        return;
      }
      if (item.maxLimitRequestRatio) warnings.push(`${where}.maxLimitRequestRatio: not simulated, ignored`);
      if (item.type === 'Pod' && (item.default || item.defaultRequest)) {
        errors.push({ path: ['spec', 'limits', i, item.default ? 'default' : 'defaultRequest'], message: 'Forbidden: may not be specified when `type` is \'Pod\'' });
        return;
      }
      const res = ['cpu', 'memory'] as const;
      const out: LimitRangeItem = { type: item.type };
      const max = pick(item.max, res, `${where}.max`, warnings);
      const min = pick(item.min, res, `${where}.min`, warnings);
      const def = pick(item.default, res, `${where}.default`, warnings);
      const defReq = pick(item.defaultRequest, res, `${where}.defaultRequest`, warnings);
      if (max) out.max = max;
      if (min) out.min = min;
      if (def) out.default = def;
      if (defReq) out.defaultRequest = defReq;
      for (const k of res) {
        if (min?.[k] !== undefined && max?.[k] !== undefined && parseQuantity(min[k]) > parseQuantity(max[k])) {
          errors.push({ path: ['spec', 'limits', i, 'min', k], message: `Invalid value: "${min[k]}": min value ${min[k]} is greater than max value ${max[k]}` });
        }
      }
      limits.push(out);
    });
    if (errors.length > 0) return { errors, warnings };
    return { manifest: { apiVersion: 'v1', kind, metadata: r.data.metadata, spec: { limits } }, errors: [], warnings };
  }
  const r = PdbSchema.safeParse(obj);
  if (!r.success) return { errors: issues(r.error), warnings };
  const spec = r.data.spec ?? {};
  if (spec.minAvailable !== undefined && spec.maxUnavailable !== undefined) {
    return { errors: [{ path: ['spec'], message: 'Invalid value: minAvailable and maxUnavailable cannot be both set' }], warnings };
  }
  if ((spec.selector?.matchExpressions ?? []).length > 0) warnings.push('spec.selector.matchExpressions: not simulated, only matchLabels select Pods');
  const out: Extract<PolicyManifest, { kind: 'PodDisruptionBudget' }>['spec'] = { selector: { matchLabels: { ...(spec.selector?.matchLabels ?? {}) } } };
  if (spec.minAvailable !== undefined) out.minAvailable = spec.minAvailable;
  if (spec.maxUnavailable !== undefined) out.maxUnavailable = spec.maxUnavailable;
  if (spec.unhealthyPodEvictionPolicy !== undefined) out.unhealthyPodEvictionPolicy = spec.unhealthyPodEvictionPolicy;
  return { manifest: { apiVersion: 'policy/v1', kind, metadata: r.data.metadata, spec: out }, errors: [], warnings };
}
