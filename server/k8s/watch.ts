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
 * sent as DELETED, one that starts matching as ADDED. Events (not in the change log) stream by
 * sequence number.
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

/** Notes the cluster's current resourceVersion (a list's) with the change-log cursor it stands for. */
export function noteListed(state: SimState): void {
  remember(state, String(state.counters.resourceVersion), cursorNow(state));
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
  if (rv === '' || rv === '0') cursor = cursorNow(state);
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
  const limit = setTimeout(end, Math.min(Math.max(1, spec.timeoutSeconds), WATCH_MAX_SECONDS) * 1000);

  if (cursor < 0) {
    gone(rv);
    return;
  }
  const inNamespace = (e: Entry) => !resource.namespaced || spec.namespace === null || e.namespace === spec.namespace;
  /** Objects sent (or present at the start) and still matching: key -> last body sent. */
  const sent = new Map<string, Record<string, unknown>>();
  const isEvents = resource.kind === 'Event';
  let lastEventSeq = state.events.at(-1)?.seq ?? 0;
  const sendIfMatching = (e: Entry, initial: boolean) => {
    const body = spec.body(e);
    if (!spec.matches(e, body)) return;
    const out = spec.present(e, body);
    sent.set(keyOf(resource, e), out);
    if (initial) send('ADDED', out);
  };
  for (const e of resource.entries(state, spec.namespace)) sendIfMatching(e, rv === '' || rv === '0');
  if (isEvents && (rv === '' || rv === '0')) lastEventSeq = state.events.at(-1)?.seq ?? 0;

  const poll = () => {
    if (ended) return;
    if (!spec.alive()) return end();
    if (isEvents) {
      const fresh = state.events.filter((ev) => ev.seq > lastEventSeq);
      if (fresh.length === 0) return;
      lastEventSeq = fresh.at(-1)!.seq;
      const seqs = new Set(fresh.map((ev) => `.${ev.seq.toString(16).padStart(16, '0')}`));
      for (const e of resource.entries(state, spec.namespace)) {
        if (!seqs.has(e.name.slice(e.name.lastIndexOf('.')))) continue;
        const body = spec.body(e);
        if (spec.matches(e, body)) send('ADDED', spec.present(e, body));
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
