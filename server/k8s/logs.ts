/**
 * The `pods/log` subresource (`GET .../namespaces/NS/pods/NAME/log`, what `kubectl logs` reads): the
 * lines of shared/sim/logs.ts `podLogs` as `text/plain`, with the query of the API's `PodLogOptions`
 * (https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#read-log-of-the-specified-pod-readlog):
 * `container`, `previous`, `sinceSeconds`, `sinceTime`, `tailLines`, `timestamps`, `limitBytes`,
 * `follow`. Validated with zod: a bad value is `400 BadRequest` naming it.
 *
 * Times: the lines' sim seconds map to wall-clock stamps as every served object's do (./served.ts: a
 * line written 90 sim seconds ago is stamped 90 s ago), so `--since=5m` means five sim minutes and
 * `--since-time` and `--timestamps` agree with `describe`'s ages.
 *
 * `follow=true` streams: the lines so far, then each sim second's lines as the match runs (polled every
 * {@link LOG_POLL_MS} real ms), until the container instance ends (OOMKilled, killed, restarted: as
 * the kubelet's stream ends with its container), the Pod is gone, the token is revoked or the match
 * is gone (`alive()`), the client goes away, or the server closes ({@link closeAllLogStreams}).
 *
 * Adapter code: reads the wall clock. May import: zod, node:http types, shared/sim/logs.ts,
 * shared/sim/names.ts, shared/sim/types.ts, ./status.ts.
 */
import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import { formatLogLines, podLogs, type LogOptions } from '../../shared/sim/logs.ts';
import { simTimestamp } from '../../shared/sim/names.ts';
import type { SimState } from '../../shared/sim/types.ts';
import { statusError, type StatusError } from './status.ts';

/** Real milliseconds between polls of a follow stream. */
export const LOG_POLL_MS = 200;
/** Longest follow stream, real seconds. */
export const LOG_FOLLOW_MAX_SECONDS = 3600;

const EPOCH_MS = Date.parse(simTimestamp(0));

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const count = (max: number) => z.string().regex(/^-?\d+$/, 'must be an integer').transform(Number).pipe(z.number().int().min(-1).max(max));

/** The query kubectl sends (unknown keys such as `insecureSkipTLSVerifyBackend` ignored). */
const LogQuery = z.object({
  container: z.string().min(1).max(253).optional(),
  previous: bool.optional(),
  follow: bool.optional(),
  timestamps: bool.optional(),
  sinceSeconds: z.string().regex(/^\d+$/, 'must be a positive integer').transform(Number).pipe(z.number().int().min(1)).optional(),
  sinceTime: z.string().refine((s) => Number.isFinite(Date.parse(s)), 'must be an RFC 3339 time').optional(),
  tailLines: count(1_000_000).optional(),
  limitBytes: z.string().regex(/^\d+$/, 'must be a positive integer').transform(Number).pipe(z.number().int().min(1)).optional(),
});

/** A parsed `PodLogOptions` query. */
export type LogQuery = z.infer<typeof LogQuery>;

/** Parses the query, or the 400 naming the bad field. */
export function parseLogQuery(query: unknown): LogQuery | StatusError {
  const q = query !== null && typeof query === 'object' ? query : {};
  const r = LogQuery.safeParse(q);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  return statusError(400, 'BadRequest', `invalid value for ${issue.path.join('.') || 'query'}: ${issue.message}`);
}

/** Sim second 0 in wall-clock seconds after SIM_EPOCH, now (./served.ts's mapping; whole seconds). */
export function wallOffsetSeconds(state: SimState, nowMs: number): number {
  return Math.floor((nowMs - EPOCH_MS) / 1000) - state.t;
}

function options(q: LogQuery, offset: number): LogOptions {
  const o: LogOptions = { offsetSeconds: offset };
  if (q.container !== undefined) o.container = q.container;
  if (q.previous) o.previous = true;
  if (q.sinceSeconds !== undefined) o.sinceSeconds = q.sinceSeconds;
  if (q.sinceTime !== undefined) o.sinceTime = (Date.parse(q.sinceTime) - EPOCH_MS) / 1000 - offset;
  if (q.tailLines !== undefined) o.tailLines = q.tailLines;
  return o;
}

/** A container name is required for a Pod of several containers (the API server's rule; kubectl always sends one). */
function containerRequired(state: SimState, key: string, q: LogQuery): StatusError | undefined {
  const pod = state.pods[key];
  if (!pod || q.container !== undefined || pod.spec.containers.length < 2) return undefined;
  const name = key.slice(key.indexOf('/') + 1);
  return statusError(400, 'BadRequest', `a container name must be specified for pod ${name}, choose one of: [${pod.spec.containers.map((c) => c.name).join(' ')}]`);
}

/** What the route sends for a non-follow read: the text, or a Status. */
export function readLogs(state: SimState, key: string, q: LogQuery, nowMs: number): { text: string } | StatusError {
  const need = containerRequired(state, key, q);
  if (need) return need;
  const offset = wallOffsetSeconds(state, nowMs);
  const r = podLogs(state, key, options(q, offset));
  if (!r.ok) return statusError(r.code, r.code === 404 ? 'NotFound' : 'BadRequest', r.message);
  let text = formatLogLines(r.lines, { timestamps: q.timestamps ?? false, offsetSeconds: offset });
  if (q.limitBytes !== undefined) text = Buffer.from(text).subarray(0, q.limitBytes).toString();
  return { text };
}

const open = new Set<() => void>();

/** Ends every open follow stream (server close). */
export function closeAllLogStreams(): void {
  for (const end of [...open]) end();
}

/**
 * Streams `follow=true` on `raw` (the hijacked reply). Answers the Status instead when the first read
 * fails (nothing written yet).
 */
export function followLogs(raw: ServerResponse, state: SimState, key: string, q: LogQuery, nowMs: number, alive: () => boolean): void {
  const need = containerRequired(state, key, q);
  const offset = wallOffsetSeconds(state, nowMs);
  const first = need ? undefined : podLogs(state, key, options(q, offset));
  if (need || !first || !first.ok) {
    const s = need ?? statusError(first && !first.ok ? first.code : 400, first && !first.ok && first.code === 404 ? 'NotFound' : 'BadRequest', first && !first.ok ? first.message : 'bad request');
    raw.writeHead(s.code, { 'content-type': 'application/json' });
    raw.end(JSON.stringify(s.body));
    return;
  }
  raw.writeHead(200, { 'content-type': 'text/plain', 'cache-control': 'no-store', 'transfer-encoding': 'chunked' });
  raw.flushHeaders();
  let bytes = 0;
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
  const write = (text: string) => {
    if (text === '') return;
    let buf = Buffer.from(text);
    if (q.limitBytes !== undefined) buf = buf.subarray(0, Math.max(0, q.limitBytes - bytes));
    bytes += buf.length;
    raw.write(buf);
    if (q.limitBytes !== undefined && bytes >= q.limitBytes) end();
  };
  open.add(end);
  raw.on('close', end);
  const limit = setTimeout(end, LOG_FOLLOW_MAX_SECONDS * 1000);
  write(formatLogLines(first.lines, { timestamps: q.timestamps ?? false, offsetSeconds: offset }));
  if (!first.running) return end();
  const startedAt = first.startedAt;
  let emitted = state.t - 1;
  const poll = () => {
    if (ended) return;
    if (!alive() || !state.pods[key]) return end();
    if (state.t - 1 <= emitted) return;
    const o: LogOptions = { offsetSeconds: offset, afterT: emitted };
    if (q.container !== undefined) o.container = q.container;
    const r = podLogs(state, key, o);
    if (!r.ok || r.startedAt !== startedAt) return end();
    emitted = state.t - 1;
    write(formatLogLines(r.lines, { timestamps: q.timestamps ?? false, offsetSeconds: offset }));
    if (!r.running) end();
  };
  handles.timer = setInterval(poll, LOG_POLL_MS);
}
