/**
 * Helpers of the kinds' `toApi`: copy an object without its `sim` block and turn sim-second time fields
 * into RFC 3339 stamps from the fixed epoch (../names.ts `simTimestamp`).
 *
 * May import: ../names.ts, ../types.ts.
 */
import { simTimestamp } from '../names.ts';
import type { ObjectMeta } from '../types.ts';

/** A deep copy of `obj` without the top-level `sim` block. */
export function apiCopy(obj: object): Record<string, unknown> {
  const copy = structuredClone(obj) as Record<string, unknown>;
  delete copy['sim'];
  return copy;
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
