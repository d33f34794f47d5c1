/** The shape every action handler returns to {@link applyAction} (shared/sim/actions/index.ts). */
import type { ActionResult } from '../types.ts';

/**
 * A handler's outcome: the result, and for accepted actions whether it stays pending. An action records
 * no Kubernetes Event of its own (kubectl records none): the events a player sees are the components'
 * (kubelet, controllers, scheduler) reacting to the write; who did what is the game's action log
 * (shared/game `Team.log`).
 */
export interface Handled {
  result: ActionResult;
  /** True when the action completes later (`result.completesAt`) through `state.pendingActions`. */
  pending?: boolean;
}

/** A rejected action. */
export function reject(error: string): Handled {
  return { result: { ok: false, error } };
}
