/**
 * Watch (`?watch=true`, https://kubernetes.io/docs/reference/using-api/api-concepts/#efficient-detection-of-changes)
 * from the sim's change log (shared/sim/changelog.ts `changesSince`): a chunked stream of JSON lines
 * `{"type":"ADDED"|"MODIFIED"|"DELETED"|"ERROR","object":...}`.
 *
 * resourceVersion: "" or "0" starts with ADDED for every matching object; the `resourceVersion` of a
 * list this API served (or of an object a watch sent, or the cluster's current one) starts after it;
 * any other is `410 Gone` (`Expired: too old resource version`), and so is a watch whose cursor the
 * bounded log no longer holds: kubectl's reflector lists again. Several changes of one object between
 * two polls are sent as one event (its state now). An object that stops matching the selectors is
 * sent as DELETED, one that starts matching as ADDED. Events (not in the change log) stream from the
 * event log by sequence number (`Resource.eventsSince`): a new series is ADDED, a repeat of one (the same
 * Event object, its count up) MODIFIED; such a watch resumes from a list's or bookmark's resourceVersion
 * (the newest event then, remembered) or from an Event's own (its sequence number, while the log holds
 * what follows it); an Event whose series the log dropped (its 1 h TTL, its size limit) is DELETED.
 *
 * Bookmarks (`allowWatchBookmarks=true`, as the API server's watch cache sends them: cacher.go
 * `nextBookmarkTime`): a `BOOKMARK` event whose object is the watched kind with only `apiVersion`,
 * `kind` and `metadata.resourceVersion` (the cluster's resourceVersion once every change up to it was
 * sent; a watch resumed from it misses nothing), every {@link BOOKMARK_EVERY_MS} real ms and 2 real
 * seconds before the watch's timeout. Streaming lists (`sendInitialEvents=true`, with
 * `resourceVersionMatch=NotOlderThan` and bookmarks, client-go's WatchList): ADDED for every matching
 * object (the current state, which is never older than any resourceVersion asked for, so no 410), then
 * a bookmark annotated `k8s.io/initial-events-end: "true"`, then changes. `sendInitialEvents=false`:
 * no initial events whatever the resourceVersion.
 *
 * Polls every {@link WATCH_POLL_MS} real ms; ends after `timeoutSeconds` (real seconds, at most
 * {@link WATCH_MAX_SECONDS}), when the client goes away, when the token is revoked or the match is
 * gone (`alive()` false), and on server close ({@link closeAllWatches}).
 *
 * May import: shared/sim/changelog.ts, shared/sim/types.ts, ./resources.ts, ./status.ts.
 */
import type { ServerResponse } from 'node:http';
import { changesSince } from '../../shared/sim/changelog.ts';
import type { SimState } from '../../shared/sim/types.ts';
import type { Entry, Resource } from './resources.ts';
import { statusError } from './status.ts';

/** Real milliseconds between polls of the change log. */
export const WATCH_POLL_MS = 200;
/** Longest watch, real seconds (kubectl's reflector asks for 5-10 minutes). */
export const WATCH_MAX_SECONDS = 1800;
/** Real milliseconds between periodic bookmarks (the API server's `bookmarkFrequency`, 1 minute). */
export const BOOKMARK_EVERY_MS = 60_000;
/** A bookmark is sent this long before the watch's timeout, real ms (cacher.go: 2 s before the deadline). */
export const BOOKMARK_BEFORE_END_MS = 2_000;
/** The annotation of the bookmark ending a streaming list's initial events (metav1.InitialEventsAnnotationKey). */
export const INITIAL_EVENTS_END = 'k8s.io/initial-events-end';
/** resourceVersion -> change-log cursor pairs kept per cluster. */
const RV_MEMORY = 4096;

const cursors = new WeakMap<SimState, Map<string, number>>();
/** Last body served per `Kind/key` (lists and gets): what a DELETED event carries for an object gone before its watch started. */
const lastServed = new WeakMap<SimState, Map<string, { entry: Entry; body: Record<string, unknown> }>>();
/** Bodies kept per cluster. */
const SERVED_MEMORY = 20_000;

/** Notes the body a list or get served for an object (see {@link lastServed}). */
export function noteServed(state: SimState, resource: Resource, entry: Entry, body: Record<string, unknown>): void {
  let m = lastServed.get(state);
  if (!m) lastServed.set(state, (m = new Map()));
  const k = `${resource.kind}/${keyOf(resource, entry)}`;
  m.delete(k);
  m.set(k, { entry, body });
  if (m.size > SERVED_MEMORY) m.delete(m.keys().next().value!);
}
const open = new Set<() => void>();

function cursorNow(state: SimState): number {
  return changesSince(state, Number.MAX_SAFE_INTEGER).cursor;
}

function remember(state: SimState, rv: string, cursor: number): void {
  let m = cursors.get(state);
  if (!m) cursors.set(state, (m = new Map()));
  m.delete(rv);
  m.set(rv, cursor);
  if (m.size > RV_MEMORY) m.delete(m.keys().next().value!);
}

/** resourceVersion -> the newest event `seq` at that moment (lists and bookmarks), for Events watches resumed from them. */
const eventSeqs = new WeakMap<SimState, Map<string, number>>();

function rememberEventSeq(state: SimState, rv: string, seq: number): void {
  let m = eventSeqs.get(state);
  if (!m) eventSeqs.set(state, (m = new Map()));
  m.delete(rv);
  m.set(rv, seq);
  if (m.size > RV_MEMORY) m.delete(m.keys().next().value!);
}

/**
 * Where an Events watch resumed from `rv` starts in the event log (it sends entries after that seq):
 * the newest event at a list's or bookmark's resourceVersion, or, for the resourceVersion of an Event
 * this API sent (its log entry's seq, what client-go's reflector resumes from), that seq while the log
 * still holds what follows it. Undefined: too old or unknown (410 Gone).
 */
function eventStart(state: SimState, rv: string): number | undefined {
  const listed = eventSeqs.get(state)?.get(rv);
  if (listed !== undefined) return listed;
  const latest = state.events.at(-1)?.seq ?? 0;
  if (rv === String(state.counters.resourceVersion)) return latest;
  if (!/^\d+$/.test(rv)) return undefined;
  const seq = Number(rv);
  const oldest = state.events[0]?.seq ?? latest + 1;
  return seq >= oldest - 1 && seq <= latest ? seq : undefined;
}

/** Occurrences of the series a served Event (core/v1 or events.k8s.io/v1) stands for. */
function eventCount(body: Record<string, unknown>): number {
  const series = body['series'] as { count?: unknown } | undefined;
  const n = series?.count ?? body['count'] ?? body['deprecatedCount'] ?? 1;
  return typeof n === 'number' ? n : 1;
}

/** Notes the cluster's current resourceVersion (a list's) with the change-log cursor it stands for. */
export function noteListed(state: SimState): void {
  const rv = String(state.counters.resourceVersion);
  remember(state, rv, cursorNow(state));
  rememberEventSeq(state, rv, state.events.at(-1)?.seq ?? 0);
}

/** Ends every open watch (server close). */
export function closeAllWatches(): void {
  for (const end of [...open]) end();
}

/** What a watch needs from the route. */
export interface WatchSpec {
  resource: Resource;
  state: SimState;
  /** Namespace of the request; null = all (or cluster-scoped). */
  namespace: string | null;
  /** Label and field selectors against an entry and its served body. */
  matches(entry: Entry, body: Record<string, unknown>): boolean;
  /** The served body of an entry (kind, apiVersion, wall-clock stamps). */
  body(entry: Entry): Record<string, unknown>;
  /** What an event carries for an entry (its body, or a one-row Table when kubectl asked for Tables). */
  present(entry: Entry, body: Record<string, unknown>): Record<string, unknown>;
  resourceVersion: string | undefined;
  /** `allowWatchBookmarks=true`: periodic BOOKMARK events (see the module doc). */
  bookmarks: boolean;
  /** `sendInitialEvents` (true: a streaming list; false: no initial events; undefined: as `resourceVersion` says). */
  sendInitialEvents: boolean | undefined;
  /**
   * A bookmark's object at `resourceVersion` (the watched kind with only apiVersion, kind and
   * metadata, or a rowless Table when kubectl asked for Tables), `annotations` in its metadata.
   */
  bookmark(resourceVersion: string, annotations?: Record<string, string>): Record<string, unknown>;
  /** Real seconds. */
  timeoutSeconds: number;
  /** False once the token is revoked or the cluster is no longer the match's. */
  alive(): boolean;
}

function keyOf(resource: Resource, e: Entry): string {
  return resource.namespaced ? `${e.namespace}/${e.name}` : e.name;
}

/** Streams a watch on `raw` (the hijacked reply) until it ends. */
export function runWatch(raw: ServerResponse, spec: WatchSpec): void {
  const { resource, state } = spec;
  const rv = spec.resourceVersion ?? '';
  let cursor: number;
  const known = cursors.get(state)?.get(rv);
  // A streaming list starts from the current state: never older than the resourceVersion asked for.
  const isEvents = spec.resource.eventsSince !== undefined;
  const fromEvent = isEvents && rv !== '' && rv !== '0' && spec.sendInitialEvents !== true ? eventStart(state, rv) : undefined;
  if (rv === '' || rv === '0' || spec.sendInitialEvents === true) cursor = cursorNow(state);
  else if (isEvents) cursor = fromEvent === undefined ? -1 : cursorNow(state);
  else if (known !== undefined) cursor = known;
  else if (rv === String(state.counters.resourceVersion)) cursor = cursorNow(state);
  else cursor = -1;

  raw.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store', 'transfer-encoding': 'chunked' });
  // Headers now, not with the first event: client-go's reflector waits for them (kubectl rollout status
  // on a finished rollout otherwise hangs until the first change or a timeout).
  raw.flushHeaders();
  const send = (type: string, object: Record<string, unknown>) => raw.write(`${JSON.stringify({ type, object })}\n`);
  let ended = false;
  const handles: { timer?: ReturnType<typeof setInterval> } = {};
  const started = Date.now();
  const timeoutMs = Math.min(Math.max(1, spec.timeoutSeconds), WATCH_MAX_SECONDS) * 1000;
  const end = () => {
    if (ended) return;
    ended = true;
    clearInterval(handles.timer);
    clearTimeout(limit);
    open.delete(end);
    raw.end();
  };
  const gone = (at: string) => {
    send('ERROR', statusError(410, 'Expired', `too old resource version: ${at} (${state.counters.resourceVersion})`).body);
    end();
  };
  open.add(end);
  raw.on('close', end);
  const limit = setTimeout(end, timeoutMs);
  /** Real ms (Date.now()) of the next periodic bookmark (cacher.go nextBookmarkTime: every minute, and 2 s before the deadline). */
  const nextBookmarkAt = (now: number): number => {
    const deadline = started + timeoutMs;
    const periodic = now + BOOKMARK_EVERY_MS;
    return periodic < deadline - BOOKMARK_BEFORE_END_MS ? periodic : Math.max(now, deadline - BOOKMARK_BEFORE_END_MS);
  };
  let bookmarkAt = spec.bookmarks ? nextBookmarkAt(started) : Infinity;
  /** A BOOKMARK at the cluster's resourceVersion now (every change up to `cursor` was sent), remembered for resuming. */
  const sendBookmark = (annotations?: Record<string, string>) => {
    const at = String(state.counters.resourceVersion);
    if (isEvents) rememberEventSeq(state, at, lastEventSeq);
    else remember(state, at, cursor);
    send('BOOKMARK', spec.bookmark(at, annotations));
  };

  if (cursor < 0) {
    gone(rv);
    return;
  }
  const inNamespace = (e: Entry) => !resource.namespaced || spec.namespace === null || e.namespace === spec.namespace;
  /** Objects sent (or present at the start) and still matching: key -> last body sent. */
  const sent = new Map<string, Record<string, unknown>>();
  let lastEventSeq = fromEvent ?? state.events.at(-1)?.seq ?? 0;
  const sendIfMatching = (e: Entry, initial: boolean) => {
    const body = spec.body(e);
    if (!spec.matches(e, body)) return;
    const out = spec.present(e, body);
    sent.set(keyOf(resource, e), out);
    if (initial) send('ADDED', out);
  };
  const initial = spec.sendInitialEvents ?? (rv === '' || rv === '0');
  for (const e of resource.entries(state, spec.namespace)) sendIfMatching(e, initial);
  if (isEvents && initial) lastEventSeq = state.events.at(-1)?.seq ?? 0;
  if (spec.sendInitialEvents === true) sendBookmark({ [INITIAL_EVENTS_END]: 'true' });

  let oldestEventSeq = state.events[0]?.seq;
  const poll = () => {
    if (ended) return;
    if (!spec.alive()) return end();
    pollChanges();
    if (ended) return;
    const now = Date.now();
    if (now >= bookmarkAt) {
      // One bookmark per due time; a quiet cluster whose resourceVersion has not moved still gets one (it is the client's heartbeat).
      sendBookmark();
      const next = nextBookmarkAt(now);
      bookmarkAt = next > now ? next : Infinity;
    }
  };
  const pollChanges = () => {
    if (resource.eventsSince) {
      const fresh = resource.eventsSince(state, lastEventSeq, spec.namespace);
      lastEventSeq = fresh.lastSeq;
      for (const e of fresh.entries) {
        const body = spec.body(e);
        if (!spec.matches(e, body)) continue;
        const key = keyOf(resource, e);
        const out = spec.present(e, body);
        // A repeat of a series is the same Event object, patched: MODIFIED; a series' first occurrence a new Event.
        send(eventCount(body) > 1 ? 'MODIFIED' : 'ADDED', out);
        sent.set(key, out);
      }
      // (issue 6) the log dropped entries (the API server's 1 h event TTL, or its size limit): each Event
      // this watch knows whose series has no entry left is DELETED, as the real watch sees etcd's lease expire
      const oldest = state.events[0]?.seq;
      if (oldest !== oldestEventSeq) {
        oldestEventSeq = oldest;
        const present = new Set(resource.entries(state, spec.namespace).map((e) => keyOf(resource, e)));
        for (const [key, before] of [...sent].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
          if (present.has(key)) continue;
          sent.delete(key);
          send('DELETED', before);
        }
      }
      return;
    }
    const next = changesSince(state, cursor);
    if (next.resync) return gone(String(state.counters.resourceVersion));
    cursor = next.cursor;
    const keys = new Set<string>();
    const kind = resource.changeKind ?? resource.kind;
    for (const c of next.changes) if (c.kind === kind) keys.add(c.key);
    for (const key of keys) {
      const e = resource.lookup(state, key);
      const before = sent.get(key);
      if (e && inNamespace(e)) {
        const body = spec.body(e);
        if (spec.matches(e, body)) {
          const out = spec.present(e, body);
          sent.set(key, out);
          send(before ? 'MODIFIED' : 'ADDED', out);
          const objectRv = (body['metadata'] as { resourceVersion?: unknown } | undefined)?.resourceVersion;
          if (typeof objectRv === 'string') remember(state, objectRv, cursor);
          continue;
        }
      }
      if (before) {
        sent.delete(key);
        send('DELETED', before);
      } else if (!e) {
        // Gone before this watch started, after the list it resumes from: its last served body.
        const last = lastServed.get(state)?.get(`${resource.kind}/${key}`);
        if (last && inNamespace(last.entry) && spec.matches(last.entry, last.body)) send('DELETED', spec.present(last.entry, last.body));
      }
      if (!e) lastServed.get(state)?.delete(`${resource.kind}/${key}`);
    }
  };
  handles.timer = setInterval(poll, WATCH_POLL_MS);
}
