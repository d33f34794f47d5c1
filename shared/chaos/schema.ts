/**
 * zod 4 schemas of the chaos documents the translator reads: Chaos Mesh objects
 * (`chaos-mesh.org/v1alpha1`, https://chaos-mesh.org/docs/) and LitmusChaos ChaosEngines
 * (`litmuschaos.io/v1alpha1`, https://docs.litmuschaos.io/docs/concepts/chaos-engine/). Only the fields the
 * simulation uses are checked; the others (container runtime, socket path, target ports...) are accepted
 * and ignored, as a real cluster's admission would accept them. Pure: imports zod only.
 */
import { z } from 'zod';

/** A Go duration (`30s`, `1m30s`, `500ms`, `1h`), as Chaos Mesh writes `duration`, `latency`... */
export const goDuration = () => z.string().regex(/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/, { error: 'must be a duration such as "30s", "5m" or "1m30s"' });

/** Seconds of a {@link goDuration} string. @throws Error on a malformed one (validate with the schema first). */
export function durationSeconds(text: string): number {
  const unit: Record<string, number> = { ns: 1e-9, us: 1e-6, µs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };
  let total = 0;
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) total += Number(m[1]) * (unit[m[2]!] ?? 0);
  return total;
}

const labelMap = z.record(z.string().min(1), z.string());

/** Chaos Mesh `selector` (https://chaos-mesh.org/docs/define-chaos-experiment-scope/). */
export const SelectorSchema = z.looseObject({
  namespaces: z.array(z.string().min(1)).optional(),
  labelSelectors: labelMap.optional(),
  expressionSelectors: z
    .array(z.strictObject({ key: z.string().min(1), operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']), values: z.array(z.string()).optional() }))
    .optional(),
  pods: z.record(z.string(), z.array(z.string())).optional(),
  nodes: z.array(z.string()).optional(),
  nodeSelectors: labelMap.optional(),
  annotationSelectors: labelMap.optional(),
  fieldSelectors: labelMap.optional(),
  podPhaseSelectors: z.array(z.string()).optional(),
});

const mode = z.enum(['one', 'all', 'fixed', 'fixed-percent', 'random-max-percent'], { error: 'must be one of one, all, fixed, fixed-percent, random-max-percent' });

/** What every Chaos Mesh spec has: selector, mode, value, duration. */
const base = {
  selector: SelectorSchema,
  mode,
  value: z.union([z.string(), z.number()]).optional(),
  duration: goDuration().optional(),
};

/** PodChaos spec (https://chaos-mesh.org/docs/simulate-pod-chaos-on-kubernetes/). */
export const PodChaosSpec = z.looseObject({
  ...base,
  action: z.enum(['pod-kill', 'pod-failure', 'container-kill'], { error: 'must be pod-kill, pod-failure or container-kill' }),
  gracePeriod: z.number().int().min(0).optional(),
  containerNames: z.array(z.string()).optional(),
});

const percent = z.union([z.string().regex(/^\d+(\.\d+)?$/, { error: 'must be a percentage such as "25"' }), z.number().min(0).max(100)]);

/** NetworkChaos spec (https://chaos-mesh.org/docs/simulate-network-chaos-on-kubernetes/). */
export const NetworkChaosSpec = z.looseObject({
  ...base,
  action: z.enum(['delay', 'loss', 'duplicate', 'corrupt', 'bandwidth', 'partition', 'netem'], { error: 'must be delay, loss, duplicate, corrupt, bandwidth, partition or netem' }),
  direction: z.enum(['to', 'from', 'both']).optional(),
  delay: z.looseObject({ latency: goDuration(), jitter: goDuration().optional(), correlation: z.string().optional() }).optional(),
  loss: z.looseObject({ loss: percent, correlation: z.string().optional() }).optional(),
  duplicate: z.looseObject({ duplicate: percent, correlation: z.string().optional() }).optional(),
  corrupt: z.looseObject({ corrupt: percent, correlation: z.string().optional() }).optional(),
  bandwidth: z.looseObject({ rate: z.string().regex(/^\d+(\.\d+)?(bps|kbps|mbps|gbps|tbps)$/i, { error: 'must be a rate such as "1mbps"' }), limit: z.number().optional(), buffer: z.number().optional() }).optional(),
});

/** StressChaos spec (https://chaos-mesh.org/docs/simulate-heavy-stress-on-kubernetes/). */
export const StressChaosSpec = z.looseObject({
  ...base,
  stressors: z.looseObject({
    memory: z.looseObject({ workers: z.number().int().min(1), size: z.string().regex(/^\d+(\.\d+)?\s*(B|KB|MB|GB|KiB|MiB|GiB|%)?$/, { error: 'must be a size such as "256MB" or "50%"' }).optional(), time: goDuration().optional() }).optional(),
    cpu: z.looseObject({ workers: z.number().int().min(1), load: z.number().min(0).max(100).optional() }).optional(),
  }),
});

/** DNSChaos spec (https://chaos-mesh.org/docs/simulate-dns-chaos-on-kubernetes/). */
export const DNSChaosSpec = z.looseObject({ ...base, action: z.enum(['error', 'random'], { error: 'must be error or random' }), patterns: z.array(z.string()).optional() });

/** HTTPChaos spec (https://chaos-mesh.org/docs/simulate-http-chaos-on-kubernetes/). */
export const HTTPChaosSpec = z.looseObject({
  ...base,
  target: z.enum(['Request', 'Response']),
  port: z.number().int().optional(),
  path: z.string().optional(),
  method: z.string().optional(),
  abort: z.boolean().optional(),
  delay: goDuration().optional(),
  replace: z.unknown().optional(),
  patch: z.unknown().optional(),
});

/**
 * IOChaos spec (https://chaos-mesh.org/docs/simulate-io-chaos-on-kubernetes/): `action` latency / fault /
 * attrOverride / mistake on the files under `path` of the volume mounted at `volumePath`; `percent`
 * (0..100, default 100) of the calls; `delay` (latency), `errno` (fault), `attr` (attrOverride),
 * `mistake` (mistake).
 */
export const IOChaosSpec = z.looseObject({
  ...base,
  action: z.enum(['latency', 'fault', 'attrOverride', 'mistake'], { error: 'must be latency, fault, attrOverride or mistake' }),
  volumePath: z.string({ error: 'Required value: the mount path of the volume to inject into' }).min(1),
  path: z.string().optional(),
  percent: z.number().int().min(0).max(100, { error: 'must be a percentage 0..100' }).optional(),
  delay: goDuration().optional(),
  errno: z.number().int().min(1).optional(),
  attr: z.record(z.string(), z.unknown()).optional(),
  mistake: z.looseObject({ filling: z.enum(['zero', 'random']).optional(), maxOccurrences: z.number().int().optional(), maxLength: z.number().int().optional() }).optional(),
  methods: z.array(z.string()).optional(),
  containerNames: z.array(z.string()).optional(),
});

/** TimeChaos spec (https://chaos-mesh.org/docs/simulate-time-chaos-on-kubernetes/): `timeOffset` a signed Go duration (`-10m100ns`). */
export const TimeChaosSpec = z.looseObject({
  ...base,
  timeOffset: z.string({ error: 'Required value: a duration such as "-10m" or "2h"' }).regex(/^[-+]?(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/, { error: 'must be a duration such as "-10m" or "2h"' }),
  clockIds: z.array(z.string()).optional(),
  containerNames: z.array(z.string()).optional(),
});

/** The Chaos Mesh kinds with a spec of their own (`Schedule` embeds one of them). */
export const CHAOS_MESH_KINDS = ['PodChaos', 'NetworkChaos', 'StressChaos', 'DNSChaos', 'HTTPChaos', 'TimeChaos', 'IOChaos', 'Schedule'] as const;

/**
 * Schedule spec (https://chaos-mesh.org/docs/define-scheduling-rules/): `schedule` is a 5-field cron, a
 * descriptor (`@hourly`...) or `@every 30s`; `concurrencyPolicy` `Forbid` (default; `""` too) or
 * `Allow`; `historyLimit` at least 1 (the CRD's minimum); `startingDeadlineSeconds` sim seconds, 0 or
 * null: no deadline.
 */
export const ScheduleSpec = z.looseObject({
  schedule: z.string().min(1),
  type: z.string().min(1),
  concurrencyPolicy: z.enum(['Forbid', 'Allow', ''], { error: 'must be Forbid or Allow' }).optional(),
  historyLimit: z.number().int().min(1, { error: 'must be at least 1' }).optional(),
  startingDeadlineSeconds: z.number().int().min(0, { error: 'must be at least 0 (seconds)' }).nullable().optional(),
});

/** A document's header: apiVersion, kind, metadata.name (namespace default `default`). */
export const HeaderSchema = z.looseObject({
  apiVersion: z.string().min(1),
  kind: z.string().min(1),
  metadata: z.looseObject({ name: z.string().min(1), namespace: z.string().min(1).optional() }),
  spec: z.record(z.string(), z.unknown()),
});

/** LitmusChaos ChaosEngine spec (https://docs.litmuschaos.io/docs/concepts/chaos-engine/). */
export const ChaosEngineSpec = z.looseObject({
  appinfo: z.looseObject({ appns: z.string().optional(), applabel: z.string().optional(), appkind: z.string().optional() }).optional(),
  engineState: z.enum(['active', 'stop']).optional(),
  experiments: z
    .array(
      z.looseObject({
        name: z.string().min(1),
        spec: z.looseObject({ components: z.looseObject({ env: z.array(z.looseObject({ name: z.string().min(1), value: z.union([z.string(), z.number()]).nullable().optional() })).optional() }).optional() }).optional(),
      }),
    )
    .min(1),
});
