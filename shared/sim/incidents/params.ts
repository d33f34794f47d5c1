/**
 * The pure, data-only half of every incident kind: what its `target` selects and its zod `params` schema,
 * **with the defaults** (the only place they are written). Both the scenario format
 * (shared/scenario/schema.ts builds its incident union from {@link incidentDeclarations}) and the sim's
 * incident modules (./<kind>.ts, which parse `IncidentSpec.params` with the same schema at start) read
 * it, so a default or a bound can't drift between them. The behaviour half (start, update, isMitigated,
 * title, symptoms, remediations) lives in the kind's module, listed in ./registry.ts.
 *
 * Units: MiB, MiB per sim second, sim seconds, 0..1 shares.
 *
 * May import: `zod` only. Pure: no sim code, so shared/scenario (and server/db) may
 * import it.
 */
import { z } from 'zod';

/** A lowercase DNS-1123 label (`node-a1`, `etcd-0`): Node names, etcd member names, incident ids. */
export const dnsLabel = () =>
  z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, { error: 'must be a lowercase DNS label (letters, digits and -, e.g. "node-a1")' });

const share = () => z.number().min(0, { error: 'must be between 0 and 1' }).max(1, { error: 'must be between 0 and 1' });

/**
 * What an incident's `target` selects, with the syntax a scenario may write for it (zod). The sim
 * resolves a target against the state in ./targets.ts; shared/scenario/toSimInput.ts checks it against
 * the scenario's workloads.
 * - `Deployment`: `name` (namespace `default`) or `namespace/name`.
 * - `Node`: a Node name.
 * - `EtcdMembers`: etcd member names, a list or joined by commas (`etcd-1,etcd-2`); kept comma-joined in
 *   `IncidentSpec.target`.
 */
export const targetSyntax = {
  Deployment: () =>
    z.string().regex(/^([a-z0-9]([-a-z0-9]*[a-z0-9])?\/)?[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, {
      error: 'must be a Deployment name, or namespace/name',
    }),
  Node: () => dnsLabel(),
  EtcdMembers: () =>
    z.union([
      z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(,[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, { error: 'must be etcd member names, e.g. [etcd-1, etcd-2]' }),
      z.array(dnsLabel()).min(1),
    ]),
} as const;

/** The kinds of object an incident can target (keys of {@link targetSyntax}). */
export type TargetKind = keyof typeof targetSyntax;

/** The Deployment facts a {@link IncidentDeclaration.checkDeployment} hook sees (from the workloads). */
export interface DeploymentFacts {
  /** As the scenario wrote it. */
  target: string;
  containers: readonly { name: string; image: string }[];
}

/** A problem found by a declaration's check: `path` is relative to the incident (e.g. `params.image`). */
export interface DeclarationProblem {
  path: string;
  message: string;
}

/** One incident kind's pure declaration. */
export interface IncidentDeclaration<P extends z.ZodType = z.ZodType, T extends TargetKind = TargetKind> {
  /** What `target` selects. */
  target: T;
  /** Strict zod schema of `params`, defaults included (applied by the scenario parser and by the sim at start). */
  params: P;
  /**
   * Optional static check of the params against the targeted Deployment as the workloads declare it
   * (run by scenarioToSimInput, so a scenario fails at validate time rather than mid-match).
   */
  checkDeployment?(params: z.output<P>, deployment: DeploymentFacts): DeclarationProblem | undefined;
}

/** Identity with inference: keeps each declaration's schema type. */
function declare<P extends z.ZodType, T extends TargetKind>(d: IncidentDeclaration<P, T>): IncidentDeclaration<P, T> {
  return d;
}

/**
 * Every incident kind's declaration (each param's `describe` text is its documentation, shown by the
 * catalog). Key order is the order kinds are listed to players (error messages,
 * the catalog). Adding a kind: an entry here, its module file, a line in ./registry.ts.
 */
export const incidentDeclarations = {
  /** memory-leak (kubernetes-behaviour.md §1, §10): pods leak until OOMKilled / CrashLoopBackOff. */
  'memory-leak': declare({
    target: 'Deployment',
    params: z.strictObject({
      growthMiBPerSec: z.number().gt(0).default(0.5).describe('MiB per sim second of container uptime.'),
      plateauMiB: z.number().gt(0).optional().describe("MiB; absent: 1.5 x the container's memory limit, else 400 MiB (computed at start)."),
    }),
  }),
  /** etcd-quorum-loss (kubernetes-behaviour.md §6): etcd members stop until quorum is lost. */
  'etcd-quorum-loss': declare({
    target: 'EtcdMembers',
    params: z.strictObject({
      members: z.array(dnsLabel()).min(1).optional().describe("Members to stop; absent: the target's names, else just enough to lose quorum."),
    }),
  }),
  /** bad-rollout (kubernetes-behaviour.md §8): the pipeline rolls out a version failing a share of requests. */
  'bad-rollout': declare({
    target: 'Deployment',
    params: z.strictObject({
      image: z.string().min(1).optional().describe("The bad version; absent: the current tag's last number bumped (`v1.4.2` -> `v1.4.3`)."),
      errorRate: share().default(0.3).describe('Share of requests the bad version fails (0..1).'),
      latencyMs: z.number().min(0).optional().describe('Extra latency of the bad version, ms.'),
      failsReadiness: z.boolean().optional().describe('The version never turns Ready: the rollout stalls (ProgressDeadlineExceeded after 600 s).'),
      container: z.string().min(1).optional().describe('Container to change; absent: the first.'),
      source: z.string().min(1).optional().describe('Event source; absent: `deployment-pipeline`.'),
    }),
    checkDeployment(params, d) {
      const container = params.container === undefined ? d.containers[0] : d.containers.find((c) => c.name === params.container);
      if (!container) {
        return { path: 'params.container', message: `Deployment "${d.target}" has no container "${params.container}" (containers: ${d.containers.map((c) => c.name).join(', ')})` };
      }
      if (params.image === container.image) {
        return { path: 'params.image', message: `"${container.image}" is the image "${d.target}" already runs: name the bad version` };
      }
      return undefined;
    },
  }),
  /** node-failure (kubernetes-behaviour.md §3): the kubelet stops; NotReady after 50 s, eviction after 300 s. */
  'node-failure': declare({
    target: 'Node',
    params: z.strictObject({
      recoverAfter: z.number().int({ error: 'must be a whole number of sim seconds' }).min(1, { error: 'must be at least 1 (sim seconds)' }).optional().describe('Sim seconds after the start at which the machine comes back by itself; absent: never.'),
    }),
  }),
} as const;

/** The incident kinds the sim knows: the keys of {@link incidentDeclarations}. */
export type IncidentType = keyof typeof incidentDeclarations;

/** Every incident kind, in declaration order. */
export const INCIDENT_KINDS = Object.keys(incidentDeclarations) as [IncidentType, ...IncidentType[]];

/** The params schema of kind `K`. */
export type IncidentParamsSchema<K extends IncidentType> = (typeof incidentDeclarations)[K]['params'];
/** Kind `K`'s params after parsing (defaults applied). */
export type IncidentParams<K extends IncidentType> = z.output<IncidentParamsSchema<K>>;
/** Kind `K`'s params as written (defaults not yet applied). */
export type IncidentParamsInput<K extends IncidentType> = z.input<IncidentParamsSchema<K>>;

/** True when `kind` names a known incident kind (safe for untrusted strings). */
export function isIncidentType(kind: string): kind is IncidentType {
  return Object.hasOwn(incidentDeclarations, kind);
}

/**
 * The zod issues of a params parse as one line, `params.<path>: <message>; ...` (`params: unknown key "x"`
 * for a key the kind doesn't have), as the sim records it in `data.error` when a spec's params are
 * invalid; the scenario parser words its problems the same way, with the incident's path and line.
 */
export function formatParamIssues(error: z.ZodError): string {
  return error.issues
    .map((i) => {
      const path = ['params', ...i.path.map(String)].join('.');
      const message = i.code === 'unrecognized_keys' ? `unknown key${i.keys.length > 1 ? 's' : ''} ${i.keys.map((k) => JSON.stringify(k)).join(', ')}` : i.message;
      return `${path}: ${message}`;
    })
    .join('; ');
}
