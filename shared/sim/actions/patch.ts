/**
 * `kubectl patch KIND NAME -p PATCH` for the policy kinds a player tunes during an incident: a JSON
 * merge patch (RFC 7386; what `--type merge` sends, and for these fields what the default strategic
 * merge patch does too) of the object's `spec`, validated like the API server (strict field
 * validation: an unknown field is refused, kubectl's default `--validate=strict`), written through
 * ../apiserver.ts `updateObject` (a new resourceVersion and generation).
 *
 * - PodDisruptionBudget (policy/v1): `spec.minAvailable` / `spec.maxUnavailable` (an integer or a
 *   percentage `"50%"`; `null` removes it); both set is invalid (K pkg/apis/policy/validation:
 *   "minAvailable and maxUnavailable cannot be both set").
 *
 * - ResourceQuota (v1): `spec.hard` entries (a quantity; `null` removes the entry), for the resources
 *   the sim's quotas track (pods, requests.cpu/memory, limits.cpu/memory, cpu, memory); a ReplicaSet
 *   the quota held back is still requeued every sync and creates its Pods at the next one.
 *
 * Messages are kubectl's: `poddisruptionbudget.policy/NAME patched`, `... patched (no change)`,
 * `Error from server (NotFound): poddisruptionbudgets.policy "x" not found`.
 */
import { z } from 'zod';
import { notFound, updateObject } from '../apiserver.ts';
import { quotaAmount } from '../kinds/resourcequota.ts';
import { refKey, splitKey } from '../names.ts';
import { QUOTA_RESOURCES } from '../types.ts';
import type { PatchableKind, PodDisruptionBudget, ResourceQuota, SimState } from '../types.ts';
import { reject, type Handled } from './handler.ts';

/** An int-or-string budget value: a whole number >= 0 or a percentage `N%`. */
const intOrPercent = z.union([z.number().int().min(0), z.string().regex(/^\d+%$/, { error: 'must be an integer or a percentage such as "50%"' })]);

const PdbPatch = z.strictObject({
  spec: z.strictObject({
    minAvailable: intOrPercent.nullable().optional(),
    maxUnavailable: intOrPercent.nullable().optional(),
  }),
});

/** The JSON text of a patch, or an error with the API server's wording. */
function parseJson(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, error: `error: unable to parse "${text}": yaml: did not find expected node content` };
  }
}

/** The first issue of a failed patch parse, as the API server words it. */
function patchProblem(kind: string, name: string, issues: readonly z.core.$ZodIssue[]): string {
  const i = issues[0]!;
  const path = i.path.map(String).join('.');
  if (i.code === 'unrecognized_keys') return `Error from server (BadRequest): ${kind} in version "v1" cannot be handled as a ${kind}: strict decoding error: unknown field "${[path, i.keys[0]].filter((s) => s !== '').join('.')}"`;
  return `The ${kind} "${name}" is invalid: ${path || 'patch'}: Invalid value: ${i.message}`;
}

function patchPdb(state: SimState, ref: string, value: unknown): Handled {
  const key = refKey(ref);
  const { name } = splitKey(key);
  const store = state.podDisruptionBudgets;
  const pdb = store && Object.hasOwn(store, key) ? store[key] : undefined; // own keys only: names are untrusted
  if (!pdb) return reject(notFound('poddisruptionbudgets.policy', name));
  const parsed = PdbPatch.safeParse(value);
  if (!parsed.success) return reject(patchProblem('PodDisruptionBudget', name, parsed.error.issues));
  const next: PodDisruptionBudget['spec'] = { ...pdb.spec };
  for (const field of ['minAvailable', 'maxUnavailable'] as const) {
    const v = parsed.data.spec[field];
    if (v === null) delete next[field];
    else if (v !== undefined) next[field] = v;
  }
  if (next.minAvailable !== undefined && next.maxUnavailable !== undefined) {
    return reject(`The PodDisruptionBudget "${name}" is invalid: spec: Invalid value: minAvailable and maxUnavailable cannot be both set`);
  }
  if (next.minAvailable === pdb.spec.minAvailable && next.maxUnavailable === pdb.spec.maxUnavailable) {
    return { result: { ok: true, message: `poddisruptionbudget.policy/${name} patched (no change)`, completesAt: state.t } };
  }
  const r = updateObject(state, 'PodDisruptionBudget', key, (p) => {
    p.spec = next;
  }, { generation: true });
  if (!r.ok) return reject(r.error);
  return {
    result: { ok: true, message: `poddisruptionbudget.policy/${name} patched`, completesAt: state.t },
  };
}

const QuotaPatch = z.strictObject({
  spec: z.strictObject({
    hard: z.partialRecord(z.enum(QUOTA_RESOURCES), z.union([z.string(), z.number()]).nullable()),
  }),
});

/** The keys of a patch's `spec.hard`, when it has that shape. */
function quotaKeys(value: unknown): string[] {
  if (typeof value !== 'object' || value === null) return [];
  const spec = (value as { spec?: unknown }).spec;
  if (typeof spec !== 'object' || spec === null) return [];
  const hard = (spec as { hard?: unknown }).hard;
  return typeof hard === 'object' && hard !== null && !Array.isArray(hard) ? Object.keys(hard) : [];
}

function patchQuota(state: SimState, ref: string, value: unknown): Handled {
  const key = refKey(ref);
  const { name } = splitKey(key);
  const store = state.resourceQuotas;
  const quota = store && Object.hasOwn(store, key) ? store[key] : undefined; // own keys only: names are untrusted
  if (!quota) return reject(notFound('resourcequotas', name));
  const unknown = quotaKeys(value).find((k) => !(QUOTA_RESOURCES as readonly string[]).includes(k));
  if (unknown !== undefined) {
    return reject(`The ResourceQuota "${name}" is invalid: spec.hard[${unknown}]: Unsupported value: "${unknown}": supported values in this game: ${QUOTA_RESOURCES.map((r) => `"${r}"`).join(', ')}`);
  }
  const parsed = QuotaPatch.safeParse(value);
  if (!parsed.success) return reject(patchProblem('ResourceQuota', name, parsed.error.issues));
  const hard: ResourceQuota['spec']['hard'] = { ...quota.spec.hard };
  for (const r of QUOTA_RESOURCES) {
    if (!Object.hasOwn(parsed.data.spec.hard, r)) continue;
    const v = parsed.data.spec.hard[r];
    if (v === null) {
      delete hard[r];
      continue;
    }
    if (v === undefined) continue;
    const text = String(v);
    const amount = quotaAmount(r, text);
    if (!Number.isFinite(amount) || amount < 0) {
      return reject(`The ResourceQuota "${name}" is invalid: spec.hard[${r}]: Invalid value: "${text}": must be a non-negative quantity${r === 'pods' ? ' (a whole number)' : ''}`);
    }
    hard[r] = text;
  }
  if (QUOTA_RESOURCES.every((r) => hard[r] === quota.spec.hard[r])) {
    return { result: { ok: true, message: `resourcequota/${name} patched (no change)`, completesAt: state.t } };
  }
  const r = updateObject(state, 'ResourceQuota', key, (q) => {
    q.spec = { hard };
  }, { generation: true });
  if (!r.ok) return reject(r.error);
  return {
    result: { ok: true, message: `resourcequota/${name} patched`, completesAt: state.t },
  };
}

/** `kubectl patch KIND NAME -p PATCH` (see the module doc); `name` is `name` (namespace default) or `namespace/name`. */
export function patchAction(state: SimState, kind: PatchableKind, name: string, patch: string): Handled {
  const json = parseJson(patch);
  if (!json.ok) return reject(json.error);
  switch (kind) {
    case 'PodDisruptionBudget': return patchPdb(state, name, json.value);
    case 'ResourceQuota': return patchQuota(state, name, json.value);
    default: return reject(`error: patching ${String(kind)} is not supported in this game`);
  }
}
