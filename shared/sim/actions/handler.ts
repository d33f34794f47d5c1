/** The shape every action handler returns to {@link applyAction} (shared/sim/actions/index.ts). */
import type { ActionResult } from '../types.ts';

/** A handler's outcome: the result, and for accepted actions the event to record and whether it stays pending. */
export interface Handled {
  result: ActionResult;
  /** Object and reason of the player event; omitted when the mutation recorded its own event. */
  event?: { reason: string; object: { kind: string; name: string; namespace: string }; message?: string };
  /** True when the action completes later (`result.completesAt`) through `state.pendingActions`. */
  pending?: boolean;
}

/** A rejected action. */
export function reject(error: string): Handled {
  return { result: { ok: false, error } };
}
