/**
 * What the HTTP API adds to the kind registry's serialisation before an object leaves the server:
 *
 * - Wall-clock timestamps (Times and MicroTimes). The sim stamps times from a fixed epoch (shared/sim/names.ts
 *   `simTimestamp`); kubectl computes some ages itself (`describe`'s Age, `Last Seen`), so every RFC 3339
 *   stamp is moved to `now - (state.t - t)`: an object created 90 sim seconds ago shows as created 90
 *   seconds ago (ages are in sim seconds, like the AGE column the server prints).
 * - No `metadata.namespace` on cluster-scoped objects (the sim stores "").
 * - API defaulting kubectl relies on (pkg/apis/core/v1/defaults.go): a gRPC probe's `service` ""
 *   (SetDefaults_GRPCAction; kubectl describe dereferences it), an HTTP probe's `scheme` HTTP, container
 *   ports' `protocol` TCP, and a Pod's `status.podIPs` from `podIP`.
 *
 * Adapter code: reads the wall clock (`nowMs`, passed in).
 *
 * May import: shared/sim/names.ts, shared/sim/types.ts.
 */
import { simTimestamp } from '../../shared/sim/names.ts';
import type { SimState } from '../../shared/sim/types.ts';

const EPOCH_MS = Date.parse(simTimestamp(0));
/** An RFC 3339 stamp of the sim's: a Time (seconds) or a MicroTime (`.ffffffZ`, Events' `eventTime`). */
const STAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{6})?Z$/;

function fixProbe(probe: unknown): void {
  if (!probe || typeof probe !== 'object') return;
  const grpc = (probe as Record<string, unknown>)['grpc'];
  if (grpc && typeof grpc === 'object' && (grpc as Record<string, unknown>)['service'] === undefined) (grpc as Record<string, unknown>)['service'] = '';
  const http = (probe as Record<string, unknown>)['httpGet'];
  if (http && typeof http === 'object') (http as Record<string, unknown>)['scheme'] ??= 'HTTP';
}

function fixContainers(spec: unknown): void {
  if (!spec || typeof spec !== 'object') return;
  const containers = (spec as Record<string, unknown>)['containers'];
  if (!Array.isArray(containers)) return;
  for (const c of containers as Record<string, unknown>[]) {
    if (Array.isArray(c['ports'])) for (const p of c['ports'] as Record<string, unknown>[]) p['protocol'] ??= 'TCP';
    fixProbe(c['readinessProbe']);
    fixProbe(c['livenessProbe']);
    fixProbe(c['startupProbe']);
  }
}

function restamp(value: unknown, shift: (s: string) => string): unknown {
  if (typeof value === 'string') return STAMP.test(value) ? shift(value) : value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = restamp(value[i], shift);
    return value;
  }
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    for (const k of Object.keys(o)) o[k] = restamp(o[k], shift);
  }
  return value;
}

/**
 * Prepares a served object in place (and returns it): probe defaults on Pods and Pod templates, then
 * every timestamp moved to wall-clock time at `nowMs` (ms since the Unix epoch).
 */
export function served<T extends Record<string, unknown>>(obj: T, state: SimState, nowMs: number): T {
  const meta = obj['metadata'] as Record<string, unknown> | undefined;
  if (meta && meta['namespace'] === '') delete meta['namespace'];
  const spec = obj['spec'] as Record<string, unknown> | undefined;
  if (obj['kind'] === 'Pod') {
    fixContainers(spec);
    const status = obj['status'] as Record<string, unknown> | undefined;
    if (status && typeof status['podIP'] === 'string') status['podIPs'] ??= [{ ip: status['podIP'] }];
  }
  const template = spec?.['template'] as Record<string, unknown> | undefined;
  if (template) fixContainers(template['spec']);
  const nowSim = state.t;
  // (issue 6) a ConfigMap's / Secret's data is the user's text: a value that looks like a stamp stays as written
  const userData = obj['kind'] === 'ConfigMap' || obj['kind'] === 'Secret' ? (['data', 'binaryData'] as const).map((f) => [f, obj[f]] as const) : [];
  for (const [f] of userData) delete obj[f];
  const out = restamp(obj, (s) => {
    const micro = s.length > 20 ? Number(s.slice(20, 26)) / 1e6 : 0;
    const t = (Date.parse(s.slice(0, 19) + 'Z') - EPOCH_MS) / 1000 + micro;
    const iso = new Date(nowMs - Math.max(0, nowSim - t) * 1000).toISOString();
    // A MicroTime stays one (JavaScript dates stop at milliseconds).
    return s.length > 20 ? iso.replace(/Z$/, '000Z') : iso.replace(/\.\d{3}Z$/, 'Z');
  }) as Record<string, unknown>;
  for (const [f, v] of userData) if (v !== undefined) out[f] = v;
  return out as T;
}
