/**
 * PersistentVolumeClaims (stub until the kind is stored).
 *
 * May import: ../types.ts.
 */
import type { SimState, StatefulSet } from '../types.ts';

/** Creates the claims of `volumeClaimTemplates` for ordinal `ordinal` (none yet). */
export function ensureStatefulSetClaims(_state: SimState, _sts: StatefulSet, _ordinal: number): { ok: true } | { ok: false; claim: string; error: string } {
  return { ok: true };
}
