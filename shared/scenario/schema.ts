/**
 * The scenario file format (YAML or JSON), as a strict zod 4 schema: unknown keys are rejected with
 * their path, so a typo such as `incidnets:` is an error rather than silently ignored.
 *
 * ```yaml
 * id: online-boutique
 * title: "Online Boutique: three bad days"
 * difficulty: advanced                                # optional: beginner | intermediate | advanced | expert
 * objectives: ["Roll back a bad release", ...]        # optional: learning objectives
 * debrief: "Root causes and fixes ..."                # optional: trainer's debrief notes
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
 * The incident union is derived from the sim's incident registry (shared/sim/incidents/registry.ts): one
 * variant per kind, whose `params` are checked by the very schema object the kind's module parses with at
 * start (see {@link IncidentParamsSchemas}), and whose `target` syntax follows the module's target kind.
 *
 * Pure: imports zod, shared/manifests/quantity.ts and the sim's incident registry, target syntax and
 * param helpers (shared/sim/incidents/registry.ts, targets.ts, params.ts: pure sim code; the sim never
 * imports shared/scenario).
 */
import { z } from 'zod';
import type { IncidentDeclaration, IncidentParamsSchema, IncidentTargetKind, IncidentType } from '../sim/incidents/registry.ts';
import { parseCpuMillicores, parseMemoryMiB } from '../manifests/quantity.ts';
import { INCIDENT_KINDS, incidentDeclarations } from '../sim/incidents/registry.ts';
import { targetSyntax } from '../sim/incidents/targets.ts';
import { dnsLabel, share } from '../sim/incidents/params.ts';

const name = dnsLabel;

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
  /** Working set right after start as a share of the Pod's memory request (shared/sim/workingSet.ts); default 0.6 for undescribed images. */
  baseMemoryShare: share().optional(),
  memoryGrowthMiBPerSec: z.number().min(0).optional(),
  memoryPlateauMiB: z.number().gt(0).nullable().optional(),
  cpuPerRequestMilli: z.number().min(0).optional(),
  /** Sim seconds after its container starts before the app answers probes (a slow-starting app, for startupProbe); default 0. */
  startupSeconds: z.number().min(0).max(3600).optional(),
  /** (issue 6) Sim seconds the image runs as an init container (default 2), and its exit code (default 0). */
  initSeconds: z.number().min(0).max(3600).optional(),
  initExitCode: z.number().int().min(0).max(255).optional(),
  /** (issue 6) Image size, MiB (a Node's `status.images`, the scheduler's ImageLocality); default 100. */
  sizeMiB: z.number().gt(0).max(100_000).optional(),
});

/**
 * Parameters per incident type: the schemas of the kinds' modules (shared/sim/incidents/<kind>.ts, the
 * only place their defaults are written), the same objects the sim parses with.
 */
export const IncidentParamsSchemas = Object.fromEntries(INCIDENT_KINDS.map((k) => [k, incidentDeclarations[k].params])) as {
  [K in IncidentType]: IncidentParamsSchema<K>;
};

const incidentBase = {
  id: name(),
  /** Sim second at which it strikes. */
  at: z.number().int().min(0),
  title: z.string().min(1).optional(),
};

/** The scenario form of incident kind `K`: base fields, `type`, the kind's target syntax and params. */
type IncidentVariant<K extends IncidentType> = z.ZodObject<
  typeof incidentBase & {
    type: z.ZodLiteral<K>;
    target: ReturnType<(typeof targetSyntax)[IncidentTargetKind<K>]>;
    params: z.ZodPrefault<IncidentParamsSchema<K>>;
  },
  z.core.$strict
>;
type AnyIncidentVariant = { [K in IncidentType]: IncidentVariant<K> }[IncidentType];

function incidentVariant<K extends IncidentType>(kind: K): IncidentVariant<K> {
  const d: IncidentDeclaration = incidentDeclarations[kind];
  return z.strictObject({ ...incidentBase, type: z.literal(kind), target: targetSyntax[d.target](), params: d.params.prefault({}) }) as unknown as IncidentVariant<K>;
}

/**
 * One incident, a union discriminated by `type` built from every registered kind; `target` may be a list
 * (etcd members), kept as a comma-joined string in IncidentSpec. An unknown `type` is rejected with the
 * list of kinds.
 */
export const IncidentSchema = z.discriminatedUnion('type', INCIDENT_KINDS.map(incidentVariant) as [AnyIncidentVariant, ...AnyIncidentVariant[]], {
  error: `unknown incident type: supported types are ${INCIDENT_KINDS.join(', ')}`,
});

const BurnRateAlertTierSchema = z.strictObject({
  name: z.string().min(1),
  severity: z.enum(['page', 'ticket']),
  longWindowSeconds: z.number().int().min(1),
  shortWindowSeconds: z.number().int().min(1),
  burnRateThreshold: z.number().gt(0),
});

/** Scenario difficulty levels, easiest first (the optional `difficulty` field). */
export const SCENARIO_DIFFICULTIES = ['beginner', 'intermediate', 'advanced', 'expert'] as const;
/** One of {@link SCENARIO_DIFFICULTIES}. */
export type ScenarioDifficulty = (typeof SCENARIO_DIFFICULTIES)[number];

/**
 * The red team's rules in a red-vs-blue match (issue 8, mode `redblue`; shared/game/chaos.ts): the
 * chaos budget per side (points, default 100) and the incident kinds red may use, each with its cost
 * (points) and cooldown (sim seconds); a kind without them takes the defaults of its target (Deployment
 * 20 / 120 s, Node 30 / 300 s, etcd 50 / 600 s). Absent `allowed`: every kind of the incident registry.
 *
 * ```yaml
 * redTeam: { budget: 100, allowed: [ { kind: pod-kill, cost: 10, cooldownSeconds: 60 }, { kind: bad-rollout } ] }
 * ```
 */
export const RedTeamSchema = z.strictObject({
  budget: z.number().int().min(1).max(100_000).optional(),
  allowed: z
    .array(
      z.strictObject({
        kind: z.enum(INCIDENT_KINDS),
        cost: z.number().int().min(0).max(100_000).optional(),
        cooldownSeconds: z.number().int().min(0).max(7 * 24 * 3600).optional(),
      }),
    )
    .min(1)
    .superRefine((list, ctx) => {
      const seen = new Set<string>();
      list.forEach((entry, i) => {
        if (seen.has(entry.kind)) ctx.addIssue({ code: 'custom', path: [i, 'kind'], message: `${entry.kind} is listed twice` });
        seen.add(entry.kind);
      });
    })
    .optional(),
});

/** A whole scenario file. */
export const ScenarioSchema = z.strictObject({
  id: name(),
  title: z.string().min(1),
  description: z.string().default(''),
  /**
   * Optional trainer metadata (issue 9), never read by the sim: how hard the scenario is, from a
   * first-timer's single incident (`beginner`) to a cascading multi-incident shift (`expert`).
   */
  difficulty: z.enum(SCENARIO_DIFFICULTIES).optional(),
  /** Optional: what a team should have learnt by the end (one sentence each). Metadata only. */
  objectives: z.array(z.string().min(1)).optional(),
  /** Optional: debrief notes for the trainer (root causes, the fixes, what to discuss). Metadata only. */
  debrief: z.string().min(1).optional(),
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
    /** (added) Build kube-system (CoreDNS, kube-proxy, the control-plane static Pods) and the `kubernetes` Service; default true. */
    kubeSystem: z.boolean().optional(),
  }),
  workloads: z.union(
    [z.strictObject({ manifests: z.string().min(1) }), z.strictObject({ yaml: z.string().min(1) })],
    { error: 'expected { manifests: <path relative to this file> } or { yaml: <inline manifests> }' },
  ),
  traffic: z.strictObject({
    /** Total offered load, requests/s. */
    rps: z.number().gt(0),
    /**
     * Entry Services and their load, requests/s; `from` names a Deployment whose Pods send it (an
     * in-cluster client, e.g. a load generator: it matters during a zone partition), else it comes from outside.
     */
    ingress: z.array(z.strictObject({ service: z.string().min(1), rps: z.number().gt(0), from: z.string().min(1).optional() })).min(1).optional(),
    /** Service name -> downstream Service names; default: inferred from env values (inferCallGraph). */
    callGraph: z.record(z.string(), z.array(z.string())).optional(),
    /**
     * Optional (soft) calls, graceful degradation: caller Service name -> downstream Service names whose
     * failure the caller tolerates (its request still succeeds; the failed call still costs latency),
     * e.g. `{ frontend: [adservice, recommendationservice] }`. Every pair must be an edge of the call
     * graph (declared or inferred); checked by scenarioToSimInput. Default: every call is hard.
     */
    optionalCalls: z.record(z.string().min(1), z.array(z.string().min(1))).optional(),
    /**
     * Call paths: caller Service -> the kinds of request it serves, each `{ name, weight, calls }`
     * (weights relative, > 0; `calls` = the downstream Services one such request calls, each an edge of
     * the call graph; checked by scenarioToSimInput). A caller without paths: each request calls one of
     * its downstream Services (shared/sim/trafficGraph.ts `defaultCallPaths`).
     */
    callPaths: z
      .record(z.string().min(1), z.array(z.strictObject({ name: z.string().min(1), weight: z.number().gt(0), calls: z.array(z.string().min(1)) })).min(1))
      .optional(),
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
  /**
   * Optional (issue 7): chaos experiments run as incidents, each a Chaos Mesh object or a LitmusChaos
   * ChaosEngine as YAML text (`manifest`, several documents allowed) applied at sim second `at`;
   * `appinfo` fills a ChaosEngine's empty `appinfo`. Translated by shared/chaos (scenarioToSimInput).
   */
  chaos: z
    .array(
      z.strictObject({
        at: z.number().int().min(0),
        manifest: z.string().min(1),
        appinfo: z.strictObject({ appns: z.string().min(1).optional(), applabel: z.string().min(1).optional(), appkind: z.string().min(1).optional() }).optional(),
      }),
    )
    .optional(),
  /** Optional: the red team's rules in mode `redblue` ({@link RedTeamSchema}); absent: the defaults. */
  redTeam: RedTeamSchema.optional(),
});

/** A validated scenario (defaults applied). */
export type Scenario = z.output<typeof ScenarioSchema>;
/** A scenario as written in a file (before defaults). */
export type ScenarioFile = z.input<typeof ScenarioSchema>;
