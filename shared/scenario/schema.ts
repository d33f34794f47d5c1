/**
 * The scenario file format (YAML or JSON), as a strict zod 4 schema: unknown keys are rejected with
 * their path, so a typo such as `incidnets:` is an error rather than silently ignored.
 *
 * ```yaml
 * id: online-boutique
 * title: "Online Boutique: three bad days"
 * match: { durationSeconds: 3600, timeDilation: 4 }   # sim seconds; sim seconds per real second
 * cluster:
 *   nodes: { count: 6, zones: [europe-west1-a, europe-west1-b, europe-west1-c], cpu: "4", memory: 16Gi }
 *   etcdMembers: [etcd-0, etcd-1, etcd-2]
 * workloads: { manifests: online-boutique.yaml }      # relative to the scenario file, or `yaml: |` inline
 * traffic: { rps: 200, optionalCalls: { frontend: [adservice] } }   # optional: failures tolerated
 * userFacingService: frontend
 * slo: { availability: 0.99, latency: { thresholdMs: 300, target: 0.95 } }
 * images: { "<image ref>": { errorRate: 0.3 } }
 * incidents: [ { id: bad-frontend, type: bad-rollout, at: 300, target: frontend, params: { image: ..., errorRate: 0.3 } } ]
 * ```
 *
 * Incident `params` are checked per incident type (see {@link IncidentParamsSchemas}); their meaning is
 * implemented by the sim's incident code (shared/sim).
 *
 * Pure: imports zod and shared/manifests/quantity.ts only.
 */
import { z } from 'zod';
import { parseCpuMillicores, parseMemoryMiB } from '../manifests/quantity.ts';

const name = () =>
  z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, { error: 'must be a lowercase DNS label (letters, digits and -, e.g. "node-a1")' });

/**
 * A Kubernetes quantity (string or YAML number) that `parse` accepts and finds > 0; output is the string
 * form. The issue is the QuantityError's message, or `<what> must be more than 0, got ...`.
 */
const positiveQuantity = (parse: (q: string | number) => number, what: string) => () =>
  z.union([z.string(), z.number()]).transform((v, ctx) => {
    try {
      if (parse(v) <= 0) throw new Error(`${what} must be more than 0, got ${JSON.stringify(v)}`);
    } catch (e) {
      ctx.addIssue({ code: 'custom', message: (e as Error).message });
      return z.NEVER;
    }
    return String(v);
  });

const cpuQuantity = positiveQuantity(parseCpuMillicores, 'CPU');
const memoryQuantity = positiveQuantity(parseMemoryMiB, 'memory');

const fraction = () => z.number().gt(0, { error: 'must be more than 0' }).lt(1, { error: 'must be less than 1 (e.g. 0.99 for 99 %)' });
const share = () => z.number().min(0, { error: 'must be between 0 and 1' }).max(1, { error: 'must be between 0 and 1' });

/** One explicit Node. */
export const NodeEntrySchema = z.strictObject({
  name: name(),
  zone: z.string().min(1),
  cpu: cpuQuantity(),
  memory: memoryQuantity(),
  /** Max pods (kubelet default 110). */
  pods: z.number().int().min(1).optional(),
});

/** A pool of identical Nodes spread round-robin over zones, named `<namePrefix>-<zone suffix><n>` (node-a1, node-b1...). */
export const NodePoolSchema = z.strictObject({
  count: z.number().int().min(1).max(100),
  zones: z.array(z.string().min(1)).min(1),
  cpu: cpuQuantity(),
  memory: memoryQuantity(),
  pods: z.number().int().min(1).optional(),
  namePrefix: name().optional(),
});

/** ImageProfile fields a scenario may set (all optional: unset fields take the sim's defaults). */
export const ImageProfileSchema = z.strictObject({
  errorRate: share().optional(),
  latencyMs: z.number().min(0).optional(),
  baseMemoryMiB: z.number().min(0).optional(),
  memoryGrowthMiBPerSec: z.number().min(0).optional(),
  memoryPlateauMiB: z.number().gt(0).nullable().optional(),
  cpuPerRequestMilli: z.number().min(0).optional(),
});

/**
 * Parameters per incident type, with the names the sim's incident handlers read (shared/sim/incidents).
 * Units: MiB, MiB per sim second, sim seconds, 0..1 shares.
 * - memory-leak (target: Deployment): its pods leak `growthMiBPerSec` (default 0.5) up to `plateauMiB`
 *   (default in the sim: 1.5 x the memory limit, else 400 MiB).
 * - bad-rollout (target: Deployment): rolled out to `image` (default in the sim: the tag's last number
 *   bumped), which fails `errorRate` (default 0.3) of requests; `latencyMs`; `failsReadiness` (the rollout
 *   stalls, ProgressDeadlineExceeded after 600 s); `container` (default the first); `source` (event source).
 * - node-failure (target: Node): the kubelet stops; back by itself after `recoverAfter` sim seconds, or never.
 * - etcd-quorum-loss (target: etcd member names): `members` (default: the target's names).
 */
export const IncidentParamsSchemas = {
  'memory-leak': z.strictObject({
    growthMiBPerSec: z.number().gt(0).default(0.5),
    plateauMiB: z.number().gt(0).optional(),
  }),
  'bad-rollout': z.strictObject({
    image: z.string().min(1).optional(),
    errorRate: share().default(0.3),
    latencyMs: z.number().min(0).optional(),
    failsReadiness: z.boolean().optional(),
    container: z.string().min(1).optional(),
    source: z.string().min(1).optional(),
  }),
  'node-failure': z.strictObject({
    recoverAfter: z.number().int().min(1).optional(),
  }),
  'etcd-quorum-loss': z.strictObject({
    members: z.array(name()).min(1).optional(),
  }),
} as const;

/** A Deployment reference: `name` (namespace default) or `namespace/name`. */
const deploymentRef = () =>
  z.string().regex(/^([a-z0-9]([-a-z0-9]*[a-z0-9])?\/)?[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, {
    error: 'must be a Deployment name, or namespace/name',
  });

const incidentBase = {
  id: name(),
  /** Sim second at which it strikes. */
  at: z.number().int().min(0),
  title: z.string().min(1).optional(),
};

/** One incident; `target` may be a list (etcd members), kept as a comma-joined string in IncidentSpec. */
export const IncidentSchema = z.discriminatedUnion(
  'type',
  [
    z.strictObject({ ...incidentBase, type: z.literal('memory-leak'), target: deploymentRef(), params: IncidentParamsSchemas['memory-leak'].prefault({}) }),
    z.strictObject({ ...incidentBase, type: z.literal('bad-rollout'), target: deploymentRef(), params: IncidentParamsSchemas['bad-rollout'].prefault({}) }),
    z.strictObject({ ...incidentBase, type: z.literal('node-failure'), target: name(), params: IncidentParamsSchemas['node-failure'].prefault({}) }),
    z.strictObject({
      ...incidentBase,
      type: z.literal('etcd-quorum-loss'),
      /** Member names: a list, one name, or names joined by commas (`etcd-1,etcd-2`). */
      target: z.union([
        z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(,[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, { error: 'must be etcd member names, e.g. [etcd-1, etcd-2]' }),
        z.array(name()).min(1),
      ]),
      params: IncidentParamsSchemas['etcd-quorum-loss'].prefault({}),
    }),
  ],
  { error: 'unknown incident type: supported types are memory-leak, etcd-quorum-loss, bad-rollout, node-failure' },
);

const BurnRateAlertTierSchema = z.strictObject({
  name: z.string().min(1),
  severity: z.enum(['page', 'ticket']),
  longWindowSeconds: z.number().int().min(1),
  shortWindowSeconds: z.number().int().min(1),
  burnRateThreshold: z.number().gt(0),
});

/** A whole scenario file. */
export const ScenarioSchema = z.strictObject({
  id: name(),
  title: z.string().min(1),
  description: z.string().default(''),
  match: z.strictObject({
    /** Match length, sim seconds. */
    durationSeconds: z.number().int().min(60).max(7 * 24 * 3600),
    /**
     * Sim seconds per real second when played live (1 = real time). Absent: the server's
     * `TIME_DILATION` (default 4) applies.
     */
    timeDilation: z.number().gt(0).max(3600).optional(),
    /** Sim seconds per tick (default 1). */
    tickSeconds: z.number().int().min(1).max(60).optional(),
  }),
  cluster: z.strictObject({
    nodes: z.union([z.array(NodeEntrySchema).min(1), NodePoolSchema], { error: 'expected a list of nodes ({name, zone, cpu, memory}) or a pool ({count, zones, cpu, memory})' }),
    etcdMembers: z.array(name()).min(1).max(7).optional(),
  }),
  workloads: z.union(
    [z.strictObject({ manifests: z.string().min(1) }), z.strictObject({ yaml: z.string().min(1) })],
    { error: 'expected { manifests: <path relative to this file> } or { yaml: <inline manifests> }' },
  ),
  traffic: z.strictObject({
    /** Total offered load, requests/s. */
    rps: z.number().gt(0),
    ingress: z.array(z.strictObject({ service: z.string().min(1), rps: z.number().gt(0) })).min(1).optional(),
    /** Service name -> downstream Service names; default: inferred from env values (inferCallGraph). */
    callGraph: z.record(z.string(), z.array(z.string())).optional(),
    /**
     * Optional (soft) calls, graceful degradation: caller Service name -> downstream Service names whose
     * failure the caller tolerates (its request still succeeds; the failed call still costs latency),
     * e.g. `{ frontend: [adservice, recommendationservice] }`. Every pair must be an edge of the call
     * graph (declared or inferred); checked by scenarioToSimInput. Default: every call is hard.
     */
    optionalCalls: z.record(z.string().min(1), z.array(z.string().min(1))).optional(),
  }),
  userFacingService: z.string().min(1),
  slo: z.strictObject({
    availability: fraction(),
    latency: z.strictObject({ thresholdMs: z.number().gt(0), target: fraction() }),
  }),
  alertTiers: z.array(BurnRateAlertTierSchema).min(1).optional(),
  images: z.record(z.string().min(1), ImageProfileSchema).default({}),
  defaultImage: ImageProfileSchema.optional(),
  incidents: z.array(IncidentSchema).default([]),
});

/** A validated scenario (defaults applied). */
export type Scenario = z.output<typeof ScenarioSchema>;
/** A scenario as written in a file (before defaults). */
export type ScenarioFile = z.input<typeof ScenarioSchema>;
