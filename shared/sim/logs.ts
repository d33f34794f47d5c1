/**
 * Container log lines, generated on demand from what the sim knows about a Pod: what `kubectl logs`
 * prints (the console's, shared/kubectl, and the Kubernetes API's `pods/log` subresource, server/k8s).
 * The sim runs no containers, so the lines are made up, but deterministically (same state, same
 * options, same lines) and from the Pod's real story:
 *
 * - the image picks a style: access logs in Apache/nginx combined format (web front ends), logrus-style
 *   JSON lines (Go/.NET microservices such as Online Boutique's, Sock Shop's, podinfo), Redis's own
 *   format (leader / replica sync), a database style (Postgres, MongoDB, RabbitMQ, `*-db`), and a worker
 *   style for containers no Service sends traffic to;
 * - a startup banner at the container's start (the port it listens on is its declared `containerPort`:
 *   a liveness probe aimed elsewhere shows);
 * - request lines while the Pod is a ready endpoint of a Service: a sample of up to
 *   {@link MAX_REQUEST_LINES_PER_SECOND} requests a sim second at the Pod's share of the Service's
 *   current requests/s (state.traffic: the **current** figures, also for past seconds), each failing at the
 *   image's own error rate (a bad release: `500` lines with the handler's error) or, beyond it, at the
 *   Service's error rate (a downstream's failure: `503` lines naming a downstream of the call graph),
 *   latencies around the Service's p50/p99;
 * - `kube-probe/1.32` lines for HTTP probes, every `periodSeconds`;
 * - memory warnings as the working set (kubelet.ts `memoryAt`) crosses 80, 90 and 95 % of the memory
 *   limit (a leak); an `OOMKilled` container's log simply stops (the kernel's SIGKILL leaves no line);
 *   a container killed after failing its liveness probe logs the SIGTERM;
 * - a version that never passes readiness logs the failing check every 10 s.
 *
 * Which container instance: as the kubelet's `validateContainerLogStatus` (K pkg/kubelet/kubelet_pods.go):
 * `previous` reads `lastState.terminated` (else `previous terminated container "C" in pod "P" not found`),
 * a running container its own log, a waiting container after a crash (CrashLoopBackOff) the last
 * terminated one, a container waiting to start `container "C" in pod "P" is waiting to start: REASON`.
 * A Pod without a Node has no log (an empty answer, as the API server's nil location).
 *
 * Times: sim seconds; a line's `t` has a fraction (its offset within the second). Stamps inside the
 * lines and {@link formatLogLines}' `--timestamps` prefix are `offsetSeconds + t` after
 * shared/sim/names.ts `SIM_EPOCH` (the console passes 0; the HTTP API the offset that maps sim time to
 * its served wall-clock stamps).
 *
 * Pure: no wall clock, no PRNG state (a hash of the Pod's uid, the container and the second).
 * May import: ./hash.ts, ./names.ts, ./types.ts, ./controllers/kubelet.ts (`memoryAt`, `profileOf`), ./kinds/print.ts.
 */
import { memoryAt, profileOf } from './controllers/kubelet.ts';
import { fnv1a64 } from './hash.ts';
import { podIp } from './kinds/print.ts';
import { simTimestamp } from './names.ts';
import type { Container, ContainerState, InitContainer, Pod, Probe, SimSeconds, SimState } from './types.ts';

/** Most request lines a container logs per sim second (a sample of its requests). */
export const MAX_REQUEST_LINES_PER_SECOND = 5;

/** What to read (kubectl logs' flags; the API's `PodLogOptions`). Sim seconds. */
export interface LogOptions {
  /** Container name; default the Pod's first (kubectl sends its default container). */
  container?: string;
  /** The last terminated instance (`--previous`). */
  previous?: boolean;
  /** Only lines of the last this many sim seconds (`--since`). */
  sinceSeconds?: number;
  /** Only lines at or after this sim second (`--since-time`, converted by the caller). */
  sinceTime?: SimSeconds;
  /** Only lines after this sim second (exclusive; a follow stream's position). */
  afterT?: SimSeconds;
  /** The last N lines (`--tail`; negative = all). */
  tailLines?: number;
  /** Wall-clock seconds of sim second 0 after SIM_EPOCH, for the stamps inside lines (default 0). */
  offsetSeconds?: number;
}

/** One log line: sim second (with a fraction) and its text (no newline). */
export interface LogLine {
  t: number;
  text: string;
}

/** The lines of one container instance, or why there are none (the API answers 400 with `message`). */
export type LogResult =
  | {
      ok: true;
      container: string;
      lines: LogLine[];
      /** The instance is running now (a follow stream may go on); its start, sim seconds (null without one). */
      running: boolean;
      startedAt: SimSeconds | null;
    }
  | { ok: false; code: 400 | 404; message: string };

type Style = 'combined' | 'json' | 'redis' | 'datastore' | 'worker';

/** The log style of an image (see the module doc). */
export function logStyle(image: string): Style {
  const i = image.toLowerCase();
  if (/redis/.test(i)) return 'redis';
  if (/postgres|mongo|mysql|mariadb|rabbitmq|-db[:@]|-db$/.test(i)) return 'datastore';
  if (/microservices-demo|weaveworksdemos|podinfo|example\.org|golang|dotnet/.test(i)) return 'json';
  return 'combined';
}

/** A uniform float in [0, 1) from the hash of `parts` (13 hex digits = 52 bits). */
function uniform(...parts: (string | number)[]): number {
  return parseInt(fnv1a64(parts.join('|')).slice(0, 13), 16) / 2 ** 52;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The pieces of a stamp: `YYYY-MM-DDTHH:MM:SS` of whole second `s` after SIM_EPOCH, and the fraction's digits. */
function stampParts(s: number): { y: string; mo: string; d: string; hms: string; ms: string; us: string; ns: string } {
  const whole = Math.floor(s);
  const iso = simTimestamp(whole);
  const frac = Math.max(0, s - whole);
  const ns = String(Math.min(999_999_999, Math.round(frac * 1e9))).padStart(9, '0');
  return { y: iso.slice(0, 4), mo: iso.slice(5, 7), d: iso.slice(8, 10), hms: iso.slice(11, 19), ms: ns.slice(0, 3), us: ns.slice(0, 6), ns };
}

/** RFC 3339 with nanoseconds (what the API's `timestamps=true` prefixes, as the kubelet does). */
export function rfc3339Nano(s: number): string {
  const p = stampParts(s);
  return `${p.y}-${p.mo}-${p.d}T${p.hms}.${p.ns}Z`;
}

function isoMs(s: number): string {
  const p = stampParts(s);
  return `${p.y}-${p.mo}-${p.d}T${p.hms}.${p.ms}Z`;
}

function clf(s: number): string {
  const p = stampParts(s);
  return `${p.d}/${MONTHS[Number(p.mo) - 1]}/${p.y}:${p.hms} +0000`;
}

function redisStamp(s: number): string {
  const p = stampParts(s);
  return `${p.d} ${MONTHS[Number(p.mo) - 1]} ${p.y} ${p.hms}.${p.ms}`;
}

/** Everything the line makers need about one container instance. */
interface Ctx {
  state: SimState;
  pod: Pod;
  c: Container;
  style: Style;
  /** Instance start and end (exclusive), sim seconds. */
  start: SimSeconds;
  end: SimSeconds;
  offset: number;
  /** First sim second requests arrive (after readiness), or null: never in this instance. */
  servingFrom: SimSeconds | null;
  /** The Pod's requests/s (its share of its Services'). */
  rps: number;
  ownErrorRate: number;
  /** Extra failed share from downstream failures (the Service's error rate beyond the image's own). */
  downstreamErrorRate: number;
  downstreams: string[];
  paths: string[];
  p50: number;
  p99: number;
  port: number;
  version: string;
  seed: string;
  role: 'leader' | 'replica';
}

function probePeriod(p: Probe | undefined): number {
  return Math.max(1, p?.periodSeconds ?? 10);
}

function fieldJson(fields: Record<string, string | number>): string {
  return JSON.stringify(fields);
}

/** A line of the instance's style at `t`: level (info/warning/error) and message. */
function note(ctx: Ctx, t: number, level: 'info' | 'warning' | 'error', message: string): string {
  const at = ctx.offset + t;
  switch (ctx.style) {
    case 'json':
      return fieldJson({ message, severity: level, timestamp: isoMs(at) });
    case 'redis':
      return `1:${ctx.role === 'leader' ? 'M' : 'S'} ${redisStamp(at)} ${level === 'info' ? '*' : '#'} ${message}`;
    case 'datastore':
      return `${isoMs(at)} ${level === 'info' ? 'LOG' : level === 'warning' ? 'WARNING' : 'ERROR'}:  ${message}`;
    case 'combined': {
      const p = stampParts(at);
      return `[${p.y}-${p.mo}-${p.d} ${p.hms}.${p.us}] [${level === 'warning' ? 'warn' : level}] [pid 1] ${message}`;
    }
    case 'worker':
      return `${isoMs(at)} ${level.toUpperCase()} ${message}`;
  }
}

function startupLines(ctx: Ctx): LogLine[] {
  const t = ctx.start;
  const at = (i: number) => t + 0.01 * (i + 1) + 0.001 * Math.floor(uniform(ctx.seed, 'boot', i) * 9);
  const msgs: string[] = [];
  const name = ctx.c.name;
  switch (ctx.style) {
    case 'redis':
      msgs.push('oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo', `Redis version=${ctx.version}, bits=64, commit=00000000, modified=0, pid=1, just started`, `Server initialized`);
      if (ctx.role === 'replica') msgs.push(`Connecting to MASTER redis-master:6379`, 'MASTER <-> REPLICA sync started', 'MASTER <-> REPLICA sync: Finished with success');
      msgs.push(`Ready to accept connections tcp`);
      break;
    case 'datastore':
      msgs.push(`starting ${name} ${ctx.version}`, `listening on IPv4 address "0.0.0.0", port ${ctx.port}`, 'database system is ready to accept connections');
      break;
    case 'json':
      msgs.push(`starting ${name} version ${ctx.version}`, `starting server on :${ctx.port}`);
      break;
    case 'combined':
      msgs.push(`${name}/${ctx.version} configured -- resuming normal operations`, `listening on 0.0.0.0:${ctx.port}`);
      break;
    case 'worker':
      msgs.push(`starting ${name} ${ctx.version}`, 'waiting for work');
      break;
  }
  return msgs.map((m, i) => ({ t: at(i), text: note(ctx, at(i), 'info', m) }));
}

const METHODS = ['GET', 'GET', 'GET', 'GET', 'POST'];

/** Latency of one request, ms: around p50, a tail towards p99 (hash `u`). */
function latency(ctx: Ctx, u: number): number {
  const ms = u < 0.9 ? ctx.p50 * (0.6 + 0.8 * (u / 0.9)) : ctx.p50 + (ctx.p99 - ctx.p50) * ((u - 0.9) / 0.1);
  return Math.max(1, Math.round(ms));
}

function clientIp(ctx: Ctx, u: number): string {
  return `10.244.${1 + Math.floor(u * 3)}.${2 + Math.floor(uniform(ctx.seed, 'ip', u) * 250)}`;
}

function requestLines(ctx: Ctx, s: SimSeconds): LogLine[] {
  if (ctx.servingFrom === null || s < ctx.servingFrom || ctx.rps <= 0) return [];
  if (ctx.style === 'redis' || ctx.style === 'datastore' || ctx.style === 'worker') return [];
  const r = Math.min(ctx.rps, MAX_REQUEST_LINES_PER_SECOND);
  const n = Math.floor(r) + (uniform(ctx.seed, 'n', s) < r - Math.floor(r) ? 1 : 0);
  const out: LogLine[] = [];
  for (let i = 0; i < n; i++) {
    const u = (k: string) => uniform(ctx.seed, s, i, k);
    const t = s + (i + u('at')) / Math.max(1, n);
    const at = ctx.offset + t;
    const route = ctx.paths[Math.floor(u('path') * ctx.paths.length)]!;
    const path = route.replace('{id}', String(1 + Math.floor(u('id') * 9000)));
    const method = /^\/(api\/items$|add|place|checkout|cart|empty|set)/i.test(route) ? METHODS[Math.floor(u('m') * METHODS.length)]! : 'GET';
    const f = u('fail');
    const own = f < ctx.ownErrorRate;
    const downstream = !own && f < ctx.ownErrorRate + ctx.downstreamErrorRate && ctx.downstreams.length > 0;
    const status = own ? 500 : downstream ? 503 : method === 'POST' ? 201 : 200;
    const took = own ? latency(ctx, u('lat')) : downstream ? Math.round(ctx.p99) : latency(ctx, u('lat'));
    const bytes = status >= 500 ? 21 + Math.floor(u('b') * 40) : 400 + Math.floor(u('b') * 8000);
    const reqId = fnv1a64(`${ctx.seed}|${s}|${i}|req`);
    const dep = ctx.downstreams[Math.floor(u('dep') * ctx.downstreams.length)] ?? 'upstream';
    const error = own
      ? `${method} ${path}: unhandled error in handler (${ctx.version}): runtime error: invalid memory address or nil pointer dereference`
      : `${method} ${path}: failed to call ${dep}: rpc error: code = Unavailable desc = connection error: dial tcp ${dep}: connect: connection refused`;
    if (ctx.style === 'json') {
      const id = `${reqId.slice(0, 8)}-${reqId.slice(8, 12)}-${reqId.slice(12, 16)}`;
      if (status >= 500) out.push({ t, text: fieldJson({ error, 'http.req.id': id, 'http.req.method': method, 'http.req.path': path, message: 'request error', severity: 'error', timestamp: isoMs(at) }) });
      out.push({ t, text: fieldJson({ 'http.req.id': id, 'http.req.method': method, 'http.req.path': path, 'http.resp.bytes': bytes, 'http.resp.status': status, 'http.resp.took_ms': took, message: 'request complete', severity: status >= 500 ? 'error' : 'debug', timestamp: isoMs(at) }) });
    } else {
      if (status >= 500) out.push({ t, text: note(ctx, t, 'error', `[client ${clientIp(ctx, u('ip'))}] ${error}`) });
      out.push({ t, text: `${clientIp(ctx, u('ip'))} - - [${clf(at)}] "${method} ${path} HTTP/1.1" ${status} ${bytes} "-" "Mozilla/5.0 (X11; Linux x86_64)"` });
    }
  }
  return out;
}

function probeLines(ctx: Ctx, s: SimSeconds): LogLine[] {
  if (ctx.style !== 'combined' && ctx.style !== 'json') return [];
  const out: LogLine[] = [];
  for (const [kind, p] of [['readiness', ctx.c.readinessProbe], ['liveness', ctx.c.livenessProbe]] as const) {
    const http = p?.httpGet;
    if (!p || !http) continue;
    const since = s - ctx.start - (p.initialDelaySeconds ?? 0);
    if (since < 0 || since % probePeriod(p) !== 0) continue;
    // A probe aimed at another port never reaches the app: no line.
    const port = typeof http.port === 'number' ? http.port : (ctx.c.ports.find((x) => x.name === http.port)?.containerPort ?? Number(http.port));
    if (port !== ctx.port) continue;
    const t = s + (kind === 'readiness' ? 0.002 : 0.004);
    const path = http.path ?? '/';
    const failing = kind === 'readiness' && ctx.servingFrom === null;
    const status = failing ? 503 : 200;
    out.push({
      t,
      text: ctx.style === 'json'
        ? fieldJson({ 'http.req.method': 'GET', 'http.req.path': path, 'http.resp.status': status, 'http.resp.took_ms': 1, message: 'request complete', severity: 'debug', timestamp: isoMs(ctx.offset + t), 'user-agent': 'kube-probe/1.32' })
        : `${podIp(ctx.state, ctx.pod)} - - [${clf(ctx.offset + t)}] "GET ${path} HTTP/1.1" ${status} 2 "-" "kube-probe/1.32"`,
    });
  }
  return out;
}

/** Memory-warning thresholds, shares of the limit. */
const MEMORY_WARNINGS = [0.8, 0.9, 0.95];

function periodicLines(ctx: Ctx, s: SimSeconds): LogLine[] {
  const out: LogLine[] = [];
  const since = s - ctx.start;
  const limit = ctx.pod.sim.memLimitMiB;
  if (limit !== null && limit > 0) {
    const profile = profileOf(ctx.state, ctx.pod.sim.image);
    const basis = ctx.pod.sim;
    const now = memoryAt(profile, ctx.start, s, basis);
    const before = s > ctx.start ? memoryAt(profile, ctx.start, s - 1, basis) : 0;
    for (const share of MEMORY_WARNINGS) {
      if (now >= share * limit && before < share * limit && s > ctx.start) {
        const t = s + 0.5;
        out.push({ t, text: note(ctx, t, 'warning', `memory usage ${Math.round(now)}MiB is ${Math.round(share * 100)}% of the ${limit}MiB limit (heap keeps growing after GC)`) });
      }
    }
  }
  if (ctx.servingFrom === null && since > 0 && since % 10 === 0 && ctx.pod.sim.image === ctx.c.image && profileOf(ctx.state, ctx.pod.sim.image).failsReadiness) {
    const t = s + 0.3;
    const dep = ctx.downstreams[0] ?? 'its dependency';
    out.push({ t, text: note(ctx, t, 'error', `readiness check failed: cannot reach ${dep} (${ctx.version}); not accepting traffic`) });
  }
  if (since > 0 && since % 300 === 0) {
    const t = s + 0.2;
    if (ctx.style === 'redis' && ctx.role === 'leader') {
      const changes = 1 + Math.floor(uniform(ctx.seed, s, 'chg') * 500);
      out.push({ t, text: note(ctx, t, 'info', `${changes} changes in 300 seconds. Saving...`) }, { t: t + 0.001, text: note(ctx, t + 0.001, 'info', 'Background saving started by pid 27') }, { t: t + 0.2, text: note(ctx, t + 0.2, 'info', 'DB saved on disk') });
    } else if (ctx.style === 'datastore') {
      out.push({ t, text: note(ctx, t, 'info', `checkpoint complete: wrote ${1 + Math.floor(uniform(ctx.seed, s, 'buf') * 900)} buffers`) });
    }
  }
  if (ctx.style === 'worker' && since > 0 && since % 30 === 0) {
    const t = s + 0.1;
    out.push({ t, text: note(ctx, t, 'info', `processed ${Math.floor(uniform(ctx.seed, s, 'jobs') * 200)} jobs`) });
  }
  return out;
}

function endLines(ctx: Ctx, terminated: ContainerState['terminated']): LogLine[] {
  if (!terminated || terminated.reason === 'OOMKilled') return [];
  const t = ctx.end - 0.5;
  return [{ t, text: note(ctx, t, 'info', 'received SIGTERM, shutting down') }];
}

/** The Pod's requests/s and its Services' figures (Services whose EndpointSlice lists it). */
function trafficOf(state: SimState, pod: Pod, readyNow: boolean): { rps: number; errorRate: number; p50: number; p99: number; downstreams: string[]; paths: string[] } {
  let rps = 0;
  let errorRate = 0;
  let p50 = 0;
  let p99 = 0;
  const downstreams: string[] = [];
  const paths: string[] = [];
  for (const key of Object.keys(state.endpoints).sort()) {
    const slice = state.endpoints[key]!;
    const ep = slice.endpoints.find((e) => e.targetRef.uid === pod.metadata.uid);
    if (!ep) continue;
    const tr = state.traffic[key];
    if (!tr) continue;
    if (readyNow && !ep.conditions.ready) continue;
    rps += tr.rps / Math.max(1, tr.readyEndpoints);
    errorRate = Math.max(errorRate, tr.errorRate);
    p50 = Math.max(p50, tr.p50Ms);
    p99 = Math.max(p99, tr.p99Ms);
    for (const d of state.callGraph[key] ?? []) downstreams.push(d.includes('/') ? d.slice(d.indexOf('/') + 1) : d);
    for (const cp of state.callPaths?.[key] ?? state.callPaths?.[key.slice(key.indexOf('/') + 1)] ?? []) paths.push(`/${cp.name}`);
  }
  return { rps, errorRate, p50, p99, downstreams: [...new Set(downstreams)].sort(), paths };
}

const DEFAULT_PATHS = ['/', '/', '/api/items', '/api/items/{id}', '/static/app.js'];

function buildCtx(state: SimState, pod: Pod, c: Container, start: SimSeconds, end: SimSeconds, current: boolean, offset: number): Ctx {
  const profile = profileOf(state, pod.sim.image);
  const served = trafficOf(state, pod, current);
  const readyCond = pod.status.conditions.find((x) => x.type === 'Ready');
  let servingFrom: SimSeconds | null;
  if (current) servingFrom = readyCond?.status === 'True' ? Math.max(start, readyCond.lastTransitionTime) : null;
  else {
    const probe = c.readinessProbe;
    servingFrom = profile.failsReadiness && probe ? null : start + (probe ? (probe.initialDelaySeconds ?? 0) + probePeriod(probe) : 0);
  }
  const ownErrorRate = c.image === pod.sim.image ? profile.errorRate : 0;
  const tag = c.image.includes(':') ? c.image.slice(c.image.lastIndexOf(':') + 1) : 'latest';
  const portDecl = c.ports[0]?.containerPort;
  const imageStyle = logStyle(c.image);
  const behindService = Object.values(state.endpoints).some((sl) => sl.endpoints.some((e) => e.targetRef.uid === pod.metadata.uid));
  const style: Style = (imageStyle === 'combined' || imageStyle === 'json') && !behindService ? 'worker' : imageStyle;
  const role = /slave|replica/.test(c.image) || pod.metadata.labels['role'] === 'replica' ? 'replica' : 'leader';
  const defaultPort = style === 'redis' ? 6379 : style === 'datastore' ? 5432 : 8080;
  return {
    state,
    pod,
    c,
    style,
    start,
    end,
    offset,
    servingFrom,
    rps: served.rps,
    ownErrorRate,
    downstreamErrorRate: Math.max(0, served.errorRate - ownErrorRate),
    downstreams: served.downstreams,
    paths: served.paths.length > 0 ? served.paths : DEFAULT_PATHS,
    p50: served.p50 > 0 ? served.p50 : Math.max(1, profile.latencyMs),
    p99: served.p99 > 0 ? served.p99 : Math.max(2, profile.latencyMs * 4),
    port: portDecl ?? defaultPort,
    version: tag,
    seed: `${pod.metadata.uid}|${c.name}|${start}`,
    role,
  };
}

/** Lines of sim second `s` of an instance, in time order. */
function secondLines(ctx: Ctx, s: SimSeconds): LogLine[] {
  const lines = [...(s === ctx.start ? startupLines(ctx) : []), ...probeLines(ctx, s), ...periodicLines(ctx, s), ...requestLines(ctx, s)];
  return lines.sort((a, b) => a.t - b.t || (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
}

/**
 * The log of init container `c` (issue 6): the `echo` texts of its shell command, once at its start; a
 * wait-for-a-Service loop (`until nslookup db; do echo waiting for db; sleep 2; done`) prints its echo
 * every 2 s while it runs (nslookup's own output is not modelled). `--previous` reads the last failed
 * instance. Waiting (not started): 400 `is waiting to start: PodInitializing`.
 */
function initContainerLogs(state: SimState, pod: Pod, c: InitContainer, podName: string, opts: LogOptions): LogResult {
  const i = pod.spec.initContainers!.indexOf(c);
  const cs = pod.status.initContainerStatuses?.[i];
  const inst = opts.previous ? cs?.lastState : cs?.state;
  if (opts.previous && !inst?.terminated) return { ok: false, code: 400, message: `previous terminated container "${c.name}" in pod "${podName}" not found` };
  const start = inst?.running?.startedAt ?? inst?.terminated?.startedAt ?? cs?.lastState.terminated?.startedAt;
  if (start === undefined) return { ok: false, code: 400, message: `container "${c.name}" in pod "${podName}" is waiting to start: ${cs?.state.waiting?.reason ?? 'PodInitializing'}` };
  const end = inst?.terminated?.finishedAt ?? state.t;
  const text = [...(c.command ?? []), ...(c.args ?? [])].join(' ');
  const echoes = [...text.matchAll(/\becho\s+(?:"([^"]*)"|'([^']*)'|([^;&|]*))/g)].map((m) => (m[1] ?? m[2] ?? m[3] ?? '').trim()).filter((x) => x !== '');
  const lines: LogLine[] = [];
  if (/\buntil\b|\bwhile\b/.test(text) && echoes.length > 0) {
    for (let t = start; t <= end && lines.length < 10_000; t += 2) lines.push({ t, text: echoes[0]! });
  } else for (const e of echoes) lines.push({ t: start, text: e });
  const tail = opts.tailLines !== undefined && opts.tailLines >= 0 ? lines.slice(Math.max(0, lines.length - opts.tailLines)) : lines;
  return { ok: true, container: c.name, lines: tail, running: inst?.running !== undefined, startedAt: start };
}

/**
 * `kubectl logs POD`: the lines of one container instance of Pod `key` (`namespace/name`) as of
 * `state.t` (sim seconds; the current second excluded: it is still being written), after `opts`.
 * Errors (not thrown): 404 for a Pod that does not exist; 400 for an unknown container, a container
 * waiting to start, and `--previous` without a terminated instance, with the kubelet's messages.
 */
export function podLogs(state: SimState, key: string, opts: LogOptions = {}): LogResult {
  const pod = state.pods[key];
  const podName = key.slice(key.indexOf('/') + 1);
  if (!pod) return { ok: false, code: 404, message: `pods "${podName}" not found` };
  const c = opts.container === undefined ? pod.spec.containers[0] : pod.spec.containers.find((x) => x.name === opts.container);
  const init = c || opts.container === undefined ? undefined : pod.spec.initContainers?.find((x) => x.name === opts.container);
  if (init) return initContainerLogs(state, pod, init, podName, opts);
  if (!c) {
    return { ok: false, code: 400, message: `container ${opts.container ?? ''} is not valid for pod ${podName}` };
  }
  if (!pod.spec.nodeName) return { ok: true, container: c.name, lines: [], running: false, startedAt: null };
  const cs = pod.status.containerStatuses.find((x) => x.name === c.name);
  const last = cs?.lastState.terminated;
  let start: SimSeconds;
  let end: SimSeconds;
  let current = false;
  let terminated: ContainerState['terminated'];
  if (opts.previous) {
    if (!last) return { ok: false, code: 400, message: `previous terminated container "${c.name}" in pod "${podName}" not found` };
    terminated = last;
    start = last.startedAt ?? 0;
    end = last.finishedAt;
  } else if (cs?.state.running) {
    start = cs.state.running.startedAt;
    end = state.t;
    current = true;
  } else if (cs?.state.terminated) {
    terminated = cs.state.terminated;
    start = terminated.startedAt ?? 0;
    end = terminated.finishedAt;
  } else if (last) {
    terminated = last;
    start = last.startedAt ?? 0;
    end = last.finishedAt;
  } else {
    const reason = cs?.state.waiting?.reason;
    const why = reason === 'ErrImagePull' ? "image can't be pulled" : reason === 'ImagePullBackOff' ? 'trying and failing to pull image' : (reason ?? 'ContainerCreating');
    return { ok: false, code: 400, message: `container "${c.name}" in pod "${podName}" is waiting to start: ${why}` };
  }
  const ctx = buildCtx(state, pod, c, start, end, current, opts.offsetSeconds ?? 0);
  let from = start;
  if (opts.sinceSeconds !== undefined) from = Math.max(from, Math.floor(state.t - opts.sinceSeconds));
  if (opts.sinceTime !== undefined) from = Math.max(from, Math.floor(opts.sinceTime));
  if (opts.afterT !== undefined) from = Math.max(from, Math.floor(opts.afterT) + 1);
  const lowT = Math.max(opts.sinceTime ?? -Infinity, opts.sinceSeconds !== undefined ? state.t - opts.sinceSeconds : -Infinity);
  const tail = opts.tailLines !== undefined && opts.tailLines >= 0 ? opts.tailLines : undefined;
  const chunks: LogLine[][] = [];
  let count = 0;
  // Walk back from the end when only the tail is wanted (cheap for long-lived containers).
  for (let s = end - 1; s >= from; s--) {
    if (tail !== undefined && count >= tail) break;
    const lines = secondLines(ctx, s).filter((l) => l.t >= lowT);
    chunks.push(lines);
    count += lines.length;
  }
  let lines = chunks.reverse().flat();
  if (!current) lines = lines.concat(endLines(ctx, terminated).filter((l) => l.t >= lowT && (opts.afterT === undefined || l.t > opts.afterT)));
  if (tail !== undefined) lines = tail === 0 ? [] : lines.slice(-tail);
  return { ok: true, container: c.name, lines, running: current, startedAt: start };
}

/** The lines as `kubectl logs` prints them: one a line, `RFC3339Nano ` prefixes with `timestamps`. */
export function formatLogLines(lines: readonly LogLine[], opts: { timestamps?: boolean; offsetSeconds?: number } = {}): string {
  const off = opts.offsetSeconds ?? 0;
  return lines.map((l) => (opts.timestamps ? `${rfc3339Nano(off + l.t)} ${l.text}\n` : `${l.text}\n`)).join('');
}
