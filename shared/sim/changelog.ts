/**
 * The API server's change log: what changed, in write order, so controllers, the projection and watch
 * feeds work from changes instead of scanning every object (kubernetes' watch cache; etcd revisions).
 *
 * CONTRACT (consumers rely on exactly this; producers fill it):
 * - Every change to anything a player or client can observe about an object appears as one
 *   {@link Change}: API writes (create, update, patch, status update, delete, evict, bind) with the
 *   object's new `resourceVersion`, and observable non-API updates (Pod working-set memory, Service
 *   traffic figures, Node request sums) as `MODIFIED` with `rv` = the counter's current value.
 * - `kind` is the Kubernetes kind (`Pod`, `Node`, `Deployment`, `ReplicaSet`, `Service`,
 *   `EndpointSlice`...); `key` is `namespace/name` (Nodes: the bare name).
 * - The log is bounded; a cursor older than what it holds gets `{resync: true}` and the consumer
 *   re-reads everything (watch's 410 Gone).
 * - The log lives beside the state (like shared/sim/cache.ts), never inside it: it is not hashed and
 *   not serialised; a restored or cloned state starts with an empty log, so its consumers resync.
 *
 * May import ./types.ts only.
 */
import type { SimState } from './types.ts';

/** What happened to the object. */
export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** One entry of the change log. */
export interface Change {
  /** Position in the log (monotonic per state, starts at 1). A cursor is the last `seq` seen. */
  seq: number;
  kind: string;
  /** `namespace/name`, or the bare name for cluster-scoped kinds (Node). */
  key: string;
  type: ChangeType;
}

/** What {@link changesSince} returns: the changes after a cursor, or "resync" when it is too old. */
export type ChangesSince = { cursor: number; changes: readonly Change[]; resync?: false } | { cursor: number; resync: true };

/**
 * The log's entries as parallel columns (kind, key, type), entry `i` having seq `first + i`: no object
 * per change (a rollout at 150,000 Pods records ~20,000 a tick, and the log keeps up to 200,000:
 * long-lived small objects the GC had to copy and mark). {@link changesSince} builds the
 * {@link Change} objects of the range asked for.
 */
interface ChangeLog {
  kinds: string[];
  keys: string[];
  types: ChangeType[];
  /** seq of entry 0. */
  first: number;
  next: number;
  /** True once a producer records into this log; until then consumers always resync. */
  live: boolean;
}

/** Entries kept; a consumer further behind than this resyncs. */
export const CHANGE_LOG_LIMIT = 100_000;

const logs = new WeakMap<SimState, ChangeLog>();

function logOf(state: SimState): ChangeLog {
  let log = logs.get(state);
  if (!log) logs.set(state, (log = { kinds: [], keys: [], types: [], first: 1, next: 1, live: false }));
  return log;
}

/** Records one change (called by the API server's write path). O(1) amortised. */
export function recordChange(state: SimState, kind: string, key: string, type: ChangeType): void {
  const log = logOf(state);
  log.live = true;
  log.kinds.push(kind);
  log.keys.push(key);
  log.types.push(type);
  log.next++;
  if (log.keys.length > CHANGE_LOG_LIMIT * 2) {
    const drop = log.keys.length - CHANGE_LOG_LIMIT;
    log.kinds.splice(0, drop);
    log.keys.splice(0, drop);
    log.types.splice(0, drop);
    log.first += drop;
  }
}

/**
 * The changes recorded after `cursor` (0 = from the start), oldest first, and the new cursor.
 * `{resync: true}` when the log no longer holds everything after `cursor`, or nothing records yet.
 */
export function changesSince(state: SimState, cursor: number): ChangesSince {
  const log = logOf(state);
  const last = log.next - 1;
  if (!log.live) return { cursor: last, resync: true };
  const first = log.keys.length > 0 ? log.first : log.next;
  if (cursor < first - 1 || cursor > last) return { cursor: last, resync: true };
  const from = Math.max(0, cursor - first + 1);
  const changes: Change[] = new Array<Change>(log.keys.length - from);
  for (let i = from; i < log.keys.length; i++) changes[i - from] = { seq: log.first + i, kind: log.kinds[i]!, key: log.keys[i]!, type: log.types[i]! };
  return { cursor: last, changes };
}

/**
 * Like {@link changesSince} without building the {@link Change} objects: calls `visit` for each change
 * after `cursor`, oldest first, and returns the new cursor, or `{resync: true}` (nothing visited) when
 * {@link changesSince} would answer resync.
 */
export function forEachChangeSince(
  state: SimState,
  cursor: number,
  visit: (kind: string, key: string, type: ChangeType, seq: number) => void,
): { cursor: number; resync?: false } | { cursor: number; resync: true } {
  const log = logOf(state);
  const last = log.next - 1;
  if (!log.live) return { cursor: last, resync: true };
  const first = log.keys.length > 0 ? log.first : log.next;
  if (cursor < first - 1 || cursor > last) return { cursor: last, resync: true };
  for (let i = Math.max(0, cursor - first + 1); i < log.keys.length; i++) visit(log.kinds[i]!, log.keys[i]!, log.types[i]!, log.first + i);
  return { cursor: last };
}

/** The cursor a consumer holds after reading everything recorded so far: the last `seq` (0 = none yet). O(1). */
export function changeCursor(state: SimState): number {
  return logOf(state).next - 1;
}
