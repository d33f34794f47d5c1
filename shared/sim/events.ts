/**
 * The event recorder: the sim's `kubectl get events`, with client-go's EventCorrelator
 * (k8s.io/client-go/tools/record/events_cache.go) in front of it. Reasons follow Kubernetes' own
 * (`Scheduled`, `Pulling`, `Started`, `Killing`, `BackOff`, `Unhealthy`, `FailedScheduling`, ...).
 *
 * - **Series** (EventLogger.eventObserve): an event with the same type, reason, source, involved object
 *   and message as one still kept is a repeat: it carries `count = previous + 1`, the previous `firstT`
 *   and `t` = now (the API server's PATCH of `count` and `lastTimestamp`). The log stays append-only:
 *   the repeat is a new entry (new `seq`, like the watch's MODIFIED event) and the views show the newest
 *   entry of each series ({@link latestOfSeries}).
 * - **Similar events** (EventAggregator, `defaultAggregateMaxEvents = 10`,
 *   `defaultAggregateIntervalInSeconds = 600`): when the same type/reason/source/object has had 10
 *   distinct messages within 600 s (sim seconds; a sliding window over the kept events here, client-go
 *   resets its record after 600 s without a similar event), the event is recorded as one series whose
 *   message is `(combined from similar events): <latest message>`.
 * - **Bounded**: at most `state.eventLimit` entries and none whose last occurrence is older than
 *   {@link EVENT_TTL_SECONDS} (the API server's `--event-ttl`, default 1 h).
 * - **Needs etcd**: an event is an API object. While the API server cannot write (etcd without quorum
 *   or leader) events wait in `state.eventQueue` (client-go's recorder retries a write
 *   {@link EVENT_MAX_TRIES} times, {@link EVENT_RETRY_SECONDS} apart, then drops it); they are written,
 *   with their original timestamps, once etcd has a leader again ({@link flushEventQueue}), or dropped
 *   when that is more than {@link EVENT_GIVE_UP_SECONDS} after they happened. (The game's own
 *   annotations, incidents and SLO alerts, are not Events: ./notices.ts.)
 *
 * The spam filter (token bucket of 25 per source+object, one token per 5 min) is not modelled.
 */
import type { SimEvent, SimSeconds, SimState } from './types.ts';

/** Who reported the event: kubelet, default-scheduler, deployment-controller, `player:NAME`... */
export type EventSource = string;

/** Events expire this long after their last occurrence, sim seconds (kube-apiserver `--event-ttl` 1h). */
export const EVENT_TTL_SECONDS = 3600;
/** Distinct messages of similar events before they are combined (client-go `defaultAggregateMaxEvents`). */
export const AGGREGATE_MAX_EVENTS = 10;
/** Window of that count, sim seconds (client-go `defaultAggregateIntervalInSeconds`). */
export const AGGREGATE_INTERVAL_SECONDS = 600;
/** Prefix of a combined event's message (client-go `EventAggregatorByReasonMessageFunc`). */
export const COMBINED_PREFIX = '(combined from similar events): ';
/** Write attempts of client-go's recorder per event (`maxTriesPerEvent`). */
export const EVENT_MAX_TRIES = 12;
/** Seconds between those attempts (`defaultSleepDuration` 10 s). */
export const EVENT_RETRY_SECONDS = 10;
/** An event not written this long after it happened is dropped: (tries - 1) * 10 s = 110 s. */
export const EVENT_GIVE_UP_SECONDS = (EVENT_MAX_TRIES - 1) * EVENT_RETRY_SECONDS;

const SEP = '\u0000';

/** What makes events "similar" (client-go EventAggregatorByReasonFunc: all but the message). */
function aggregateKey(type: string, reason: string, source: string, o: SimEvent['object']): string {
  return `${source}${SEP}${o.kind}${SEP}${o.namespace}${SEP}${o.name}${SEP}${type}${SEP}${reason}`;
}

/**
 * The series an event belongs to (client-go getEventKey): its aggregate key plus its message; the
 * combined series of an aggregate key is one series whatever its latest message.
 */
export function seriesKey(e: Pick<SimEvent, 'type' | 'reason' | 'source' | 'object' | 'message'>): string {
  const tail = e.message.startsWith(COMBINED_PREFIX) ? COMBINED_PREFIX : e.message;
  return `${aggregateKey(e.type, e.reason, e.source, e.object)}${SEP}${tail}`;
}

/**
 * Lookup table over `state.events`, beside the state (never hashed or serialised): rebuilt from the
 * events whenever they were changed by anything but {@link recordEvent}, so it only ever holds what the
 * state says. `byName`: per involved object name, the newest entry of each series about objects of
 * that name (a handful each: flat strings as keys, no key building per event).
 */
interface EventIndex {
  events: SimEvent[];
  length: number;
  firstSeq: number;
  lastSeq: number;
  byName: Map<string, SimEvent[]>;
}

const indexes = new WeakMap<SimState, EventIndex>();

const isCombined = (message: string) => message.startsWith(COMBINED_PREFIX);

/** Same aggregate key (all but the message; the object names are equal by construction). */
function similar(e: SimEvent, type: string, reason: string, source: string, o: SimEvent['object']): boolean {
  return e.reason === reason && e.type === type && e.source === source && e.object.kind === o.kind && e.object.namespace === o.namespace;
}

function sameSeries(a: SimEvent, b: SimEvent): boolean {
  if (!similar(a, b.type, b.reason, b.source, b.object)) return false;
  const ca = isCombined(a.message);
  return ca === isCombined(b.message) && (ca || a.message === b.message);
}

function addToIndex(idx: EventIndex, e: SimEvent): void {
  const list = idx.byName.get(e.object.name);
  if (list === undefined) {
    idx.byName.set(e.object.name, [e]);
    return;
  }
  for (let i = 0; i < list.length; i++) {
    if (sameSeries(list[i]!, e)) {
      list[i] = e;
      return;
    }
  }
  list.push(e);
}

function dropFromIndex(idx: EventIndex, e: SimEvent): void {
  const list = idx.byName.get(e.object.name);
  if (list === undefined) return;
  const i = list.indexOf(e);
  if (i < 0) return;
  if (list.length === 1) idx.byName.delete(e.object.name);
  else {
    // In place (a `splice` would allocate the removed entry's array for every dropped event).
    for (let k = i + 1; k < list.length; k++) list[k - 1] = list[k]!;
    list.pop();
  }
}

function stamp(idx: EventIndex): void {
  const ev = idx.events;
  idx.length = ev.length;
  idx.firstSeq = ev[0]?.seq ?? -1;
  idx.lastSeq = ev[ev.length - 1]?.seq ?? -1;
}

function indexOf(state: SimState): EventIndex {
  const ev = state.events;
  const idx = indexes.get(state);
  if (idx && idx.events === ev && idx.length === ev.length && idx.firstSeq === (ev[0]?.seq ?? -1) && idx.lastSeq === (ev[ev.length - 1]?.seq ?? -1)) return idx;
  const fresh: EventIndex = { events: ev, length: 0, firstSeq: -1, lastSeq: -1, byName: new Map() };
  for (const e of ev) addToIndex(fresh, e);
  stamp(fresh);
  indexes.set(state, fresh);
  return fresh;
}

/** Drops entries over `eventLimit` and those last seen more than the TTL before `now` (front first). */
function trim(state: SimState, idx: EventIndex, now: SimSeconds): void {
  const events = state.events;
  let drop = Math.max(0, events.length - state.eventLimit);
  while (drop < events.length && events[drop]!.t < now - EVENT_TTL_SECONDS) drop++;
  if (drop === 0) return;
  for (let i = 0; i < drop; i++) dropFromIndex(idx, events[i]!);
  // One entry (the usual case): `shift` is O(1) in V8 (left-trimmed backing store), splice copies.
  if (drop === 1) events.shift();
  else events.splice(0, drop);
}

/** True while the API server can write events: etcd has quorum and a leader (kubernetes-behaviour.md §6). */
function writable(state: SimState): boolean {
  // A bare state without a control plane (some unit tests build one) always writes.
  const etcd = (state.controlPlane as SimState['controlPlane'] | undefined)?.etcd;
  return etcd === undefined || (etcd.hasQuorum && etcd.leader !== null && etcd.db?.alarm !== true);
}

/**
 * Writes one correlated event at sim second `at` (its occurrence) into the log. `own`: `object` is a
 * fresh copy nobody else holds (recordEvent's), stored as is; else the event gets its own copy.
 */
function write(state: SimState, type: SimEvent['type'], reason: string, object: SimEvent['object'], message: string, source: EventSource, at: SimSeconds, own = false): SimEvent {
  const idx = indexOf(state);
  // One pass over the series about objects of this name: the series of this message, the combined
  // series, and the distinct plain messages of similar events within the window.
  const list = idx.byName.get(object.name);
  let same = -1;
  let combined = -1;
  let recent = 1;
  if (list !== undefined) {
    for (let i = 0; i < list.length; i++) {
      const e = list[i]!;
      if (!similar(e, type, reason, source, object)) continue;
      if (isCombined(e.message)) combined = i;
      else if (e.message === message) same = i;
      else if (e.t >= at - AGGREGATE_INTERVAL_SECONDS) recent++;
    }
  }
  const msg = same < 0 && recent >= AGGREGATE_MAX_EVENTS ? COMBINED_PREFIX + message : message;
  // The combined series is one per aggregate key (client-go keys it so and patches its message).
  const slot = msg === message ? same : combined;
  const prev = slot >= 0 ? list![slot] : undefined;
  const event: SimEvent = {
    t: at,
    type,
    reason,
    object: own ? object : { kind: object.kind, name: object.name, namespace: object.namespace },
    message: msg,
    source,
    seq: state.counters.eventSeq++,
    count: prev ? prev.count + 1 : 1,
    firstT: prev ? prev.firstT : at,
  };
  state.events.push(event);
  // The index entry of its series is `prev` (one entry per series: addToIndex's replacement, found above).
  if (prev !== undefined) list![slot] = event;
  else addToIndex(idx, event);
  trim(state, idx, state.t);
  stamp(idx);
  return event;
}

/**
 * Records an event at the current sim second through the correlator (see the module doc): a repeat
 * gets `count + 1` and keeps `firstT`; the log keeps at most `state.eventLimit` entries, none older
 * than {@link EVENT_TTL_SECONDS}. While etcd cannot write, the event waits in `state.eventQueue`
 * (at most `eventLimit` waiting, oldest dropped) and nothing is returned.
 * Returns the entry written, or `null` when queued.
 */
export function recordEvent(
  state: SimState,
  type: SimEvent['type'],
  reason: string,
  object: { kind: string; name: string; namespace?: string },
  message: string,
  source: EventSource,
): SimEvent | null {
  const obj = { kind: object.kind, name: object.name, namespace: object.namespace ?? 'default' };
  if (!writable(state)) {
    const queue = (state.eventQueue ??= []);
    queue.push({ t: state.t, type, reason, object: obj, message, source });
    if (queue.length > state.eventLimit) queue.splice(0, queue.length - state.eventLimit);
    return null;
  }
  if (state.eventQueue !== undefined && state.eventQueue.length > 0) flushEventQueue(state);
  return write(state, type, reason, obj, message, source, state.t, true);
}

/**
 * Writes the events that waited for etcd (oldest first, with their own timestamps) if etcd can write
 * now; drops those that happened more than {@link EVENT_GIVE_UP_SECONDS} ago (their recorder gave up).
 * Called when etcd elects a leader (controllers/etcd.ts) and before any later event. Idempotent.
 */
export function flushEventQueue(state: SimState): void {
  const queue = state.eventQueue;
  if (queue === undefined || queue.length === 0 || !writable(state)) return;
  delete state.eventQueue;
  for (const q of queue) {
    if (state.t - q.t > EVENT_GIVE_UP_SECONDS) continue;
    write(state, q.type, q.reason, q.object, q.message, q.source, q.t);
  }
}

/**
 * True when the log holds an event of `reason` about an object named `name` in `namespace` (any kind
 * and source) whose last occurrence `t` is at or after `since` (sim seconds). Reads only the newest
 * entry of each series about objects of that name (the lookup table above: a handful), the same answer
 * as walking the log back from its end to `since` (the log is in write order and a series' newest entry
 * is its latest occurrence). O(series about that name).
 */
export function hasRecentEvent(state: SimState, reason: string, name: string, namespace: string, since: SimSeconds): boolean {
  const list = indexOf(state).byName.get(name);
  if (list === undefined) return false;
  for (const e of list) if (e.reason === reason && e.t >= since && e.object.namespace === namespace) return true;
  return false;
}

/**
 * The newest entry of each series among `events` (kept order: by `seq`), what `kubectl get events`
 * lists: one row per Event object, with its `count`, `firstT` and last occurrence `t`.
 */
export function latestOfSeries(events: readonly SimEvent[]): SimEvent[] {
  const seen = new Set<string>();
  const out: SimEvent[] = [];
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    const k = seriesKey(e);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(e);
  }
  return out.reverse();
}
