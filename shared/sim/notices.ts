/**
 * The game's own annotations of a match (issue 6 "A faithful cluster"): the pager's burn-rate alerts
 * firing and resolving, incidents starting, being mitigated or skipped, a fault's window ending. They are
 * not Kubernetes Events (no Kubernetes component records them, so `kubectl get events`, `describe`'s
 * Events and the API's events list and watch never show them); the client shows them in its events
 * feed beside the Events, the way Grafana annotations or an Alertmanager notification sit beside a
 * cluster's Events.
 *
 * - **One write path**: {@link recordNotice}. Notices do not wait for etcd (they are not API objects).
 * - **Ordered with the Events**: a notice's `seq` is its own number (0, 1, ... in the order written)
 *   and `after` the number of Events recorded before it (`state.counters.eventSeq` then: it comes before
 *   the Event of that `seq`). Events and notices are so one total order, the feed's
 *   ({@link forEachFeedRow}), and the Events' own numbering (`seq`, the API's resourceVersion of an
 *   Event, the CLI's event stream) is untouched by notices.
 * - **Bounded**: at most {@link NOTICE_LIMIT} entries, oldest dropped first.
 *
 * May import ./types.ts only.
 */
import type { SimEvent, SimNotice, SimState } from './types.ts';

/** Notices kept in `state.notices` (the newest; a match has a handful of incidents and alerts). */
export const NOTICE_LIMIT = 200;

/**
 * Appends a notice at the current sim second `state.t`: `kind` what it annotates, `type` `Normal` or
 * `Warning` (how the feed colours it), `reason` a short CamelCase word (`SLOBurnRateHigh`,
 * `IncidentStarted`, ...), `object` what it is about (for the feed's object column; namespace
 * `default` when left off). Keeps at most {@link NOTICE_LIMIT}. Returns the entry written.
 */
export function recordNotice(
  state: SimState,
  kind: SimNotice['kind'],
  type: SimNotice['type'],
  reason: string,
  object: { kind: string; name: string; namespace?: string } | null,
  message: string,
): SimNotice {
  // A bare state some unit tests build has no log yet.
  let notices = state.notices as SimNotice[] | undefined;
  if (notices === undefined) notices = state.notices = [];
  const seq = noticeCount(notices);
  const notice: SimNotice = { t: state.t, seq, after: state.counters.eventSeq, kind, type, reason, message };
  if (object !== null) notice.object = { kind: object.kind, name: object.name, namespace: object.namespace ?? 'default' };
  notices.push(notice);
  if (notices.length > NOTICE_LIMIT) notices.shift();
  return notice;
}

/** Notices ever written (the next one's `seq`): the newest's `seq` + 1, 0 for none. */
export function noticeCount(notices: readonly SimNotice[]): number {
  return (notices[notices.length - 1]?.seq ?? -1) + 1;
}

/**
 * Visits the newest `limit` rows of the events feed, oldest first: the Events `events` and the notices
 * `notices` (both oldest first, as the state keeps them) merged in the order they were written (a
 * notice before the Event whose `seq` is its `after`). `seq` is the row's position in that merged
 * order (the Event's `seq` plus the notices written before it; the notice's `after + seq`): it only
 * grows, so a reader keeps "the last row I read" by it. Exactly one of `event` / `notice` is given.
 * O(limit + notices in the window).
 */
export function forEachFeedRow(
  events: readonly SimEvent[],
  notices: readonly SimNotice[],
  limit: number,
  visit: (seq: number, event: SimEvent | null, notice: SimNotice | null) => void,
): void {
  // Walk back from the newest row until `limit` rows are taken: i, j = the window's first Event and notice.
  let i = events.length;
  let j = notices.length;
  for (let taken = 0; taken < limit && (i > 0 || j > 0); taken++) {
    if (j > 0 && (i === 0 || notices[j - 1]!.after > events[i - 1]!.seq)) j--;
    else i--;
  }
  const total = noticeCount(notices);
  while (i < events.length || j < notices.length) {
    const n = notices[j];
    const e = events[i];
    if (n !== undefined && (e === undefined || n.after <= e.seq)) {
      visit(n.after + n.seq, null, n);
      j++;
    } else {
      visit(e!.seq + (n?.seq ?? total), e!, null);
      i++;
    }
  }
}
