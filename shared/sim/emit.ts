/**
 * The event helper every writer shares, and createSim's warm-start flag it consults. Kept apart from
 * ./apiserver.ts so low-level controllers (etcd) can record events without importing the API server
 * (no import circle: apiserver.ts -> controllers/etcd.ts -> emit.ts).
 *
 * The warm-start flag lives in a `WeakSet` beside the state (like ./cache.ts): it is never hashed nor
 * serialised, and is only set while createSim settles a cluster that "was already running".
 *
 * May import ./events.ts and ./types.ts only.
 */
import { recordEvent } from './events.ts';
import type { SimEvent, SimState } from './types.ts';

const warm = new WeakSet<SimState>();

/**
 * Runs `fn` with the state in warm-start mode (pods start at once and Ready, no events): createSim's
 * option `warmStart`. The flag is cleared even when `fn` throws. Returns what `fn` returns.
 */
export function withWarmStart<T>(state: SimState, fn: () => T): T {
  warm.add(state);
  try {
    return fn();
  } finally {
    warm.delete(state);
  }
}

/** True only inside {@link withWarmStart} (createSim settling an already-running cluster). */
export function isWarmStart(state: SimState): boolean {
  return warm.has(state);
}

/** Records an event unless the sim is in createSim's warm start (a cluster that was already running). */
export function emit(
  state: SimState,
  type: SimEvent['type'],
  reason: string,
  object: { kind: string; name: string; namespace?: string },
  message: string,
  source: string,
): void {
  if (warm.has(state)) return;
  recordEvent(state, type, reason, object, message, source);
}
