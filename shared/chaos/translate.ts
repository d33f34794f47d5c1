/**
 * The chaos translator: Chaos Mesh objects and LitmusChaos ChaosEngines -> the sim's incidents
 * ({@link IncidentSpec}, kinds of shared/sim/incidents/registry.ts). Pure and deterministic: the
 * selectors' random choices (`mode: one`, `random-max-percent`, a Litmus node picked at random) come
 * from the seeded PRNG (shared/sim/prng.ts) seeded with the match seed and the document's name.
 *
 * Mapping (each documented in the result's `notes` when it is an approximation):
 * - PodChaos `pod-kill` -> `pod-kill` (`gracePeriod`); `pod-failure`, `container-kill` -> `pod-kill` (nearest kind).
 * - StressChaos `memory` -> `memory-leak` (working set grows by `size` within `time`, 10 s by default);
 *   `cpu` -> `cpu-hog` (`workers x load %` of a core).
 * - NetworkChaos `delay` / `bandwidth` -> `network-chaos` latency; `loss` / `duplicate` / `corrupt` /
 *   `partition` -> `network-chaos` error rate x the share of the Deployment's Pods selected.
 * - DNSChaos -> `network-chaos` error rate; HTTPChaos `abort` / `delay` -> `network-chaos`.
 * - TimeChaos: refused at `spec.timeOffset`.
 * - IOChaos on Pods whose containers mount `volumePath` (else refused at `spec.volumePath`): `latency` ->
 *   `network-chaos` latency `delay x percent / 100` (disk I/O latency shows as request latency); `fault` ->
 *   `network-chaos` error rate `percent / 100 x` the share of the Deployment's Pods selected;
 *   `attrOverride` / `mistake`: refused at `spec.action` (no visible effect in the sim).
 * - Schedule -> the embedded experiment at each run in the match ({@link scheduleTimes}, {@link scheduleRuns}).
 * - LitmusChaos generic experiments: see {@link LITMUS_EXPERIMENTS} (pod-autoscaler -> `replica-scale`).
 *
 * Selectors: Chaos Mesh `namespaces` (default: the object's namespace), `labelSelectors`,
 * `expressionSelectors` against the Deployments' Pod template labels; `mode` one / all / fixed /
 * fixed-percent (floor, as Chaos Mesh's `filterPodsByMode`) / random-max-percent. Litmus `appinfo`
 * (`appns`, `applabel` `k=v[,k=v]`, `appkind` deployment) and `PODS_AFFECTED_PERC` (max(1, floor(perc x n / 100)), litmus-go).
 *
 * May import: zod, yaml, shared/sim/types.ts (types), shared/sim/incidents/registry.ts (kinds),
 * shared/sim/prng.ts, shared/sim/names.ts (SIM_EPOCH), shared/manifests/load.ts (path and line helpers), ./schema.ts.
 */
import { LineCounter, parseAllDocuments } from 'yaml';
import type { Document } from 'yaml';
import type { z } from 'zod';
import type { IncidentSpec, IncidentType, RngState, SimInput, SimState } from '../sim/types.ts';
import { isIncidentType } from '../sim/incidents/registry.ts';
import { nextInt, seedRng } from '../sim/prng.ts';
import { SIM_EPOCH } from '../sim/names.ts';
import { formatPath, lineOfPath, yamlErrorText } from '../manifests/load.ts';
import {
  ChaosEngineSpec,
  DNSChaosSpec,
  HTTPChaosSpec,
  HeaderSchema,
  IOChaosSpec,
  NetworkChaosSpec,
  PodChaosSpec,
  ScheduleSpec,
  StressChaosSpec,
  TimeChaosSpec,
  durationSeconds,
  goDuration,
} from './schema.ts';

/** A chaos document could not be translated. `problems`: one line each, naming the document and field. */
export class ChaosError extends Error {
  readonly problems: string[];
  constructor(headline: string, problems: string[] = []) {
    super(problems.length === 0 ? headline : `${headline}\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ChaosError';
    this.problems = problems;
  }
}

/** A Deployment the selectors may pick: namespace, name, Pod template labels, replicas, containers. */
export interface ChaosWorkload {
  namespace: string;
  name: string;
  labels: Readonly<Record<string, string>>;
  replicas: number;
  /** Summed memory request (else limit) of the Pod, MiB, or 0 when unknown. */
  memoryMiB: number;
  /** Summed memory limit, MiB, or 0 when none. */
  memoryLimitMiB: number;
  /**
   * The Pod template containers' volumeMounts (`core/v1 VolumeMount.mountPath`), sorted by container
   * then path; absent or empty when none (IOChaos needs one at its `volumePath`).
   */
  mounts?: readonly { container: string; mountPath: string }[];
}

/** What the translator knows of the cluster: its Deployments and Nodes, the match length and seed. */
export interface ChaosCluster {
  workloads: readonly ChaosWorkload[];
  /** Node names. */
  nodes: readonly string[];
  /** Match length, sim seconds (a Schedule repeats until then). */
  durationSeconds: number;
  /** The match seed (selectors' random choices). */
  seed: number;
  /**
   * Validation without a cluster ({@link validateChaos}): every selector matches one stand-in Deployment
   * of 3 Pods, an empty Litmus `appinfo` is accepted (a scenario or flag fills it), any Node exists.
   */
  anyMatch?: boolean;
}

/** LitmusChaos `appinfo` filled by a scenario or flags (`--appns`, `--applabel app=x`, `--appkind`). */
export interface AppInfo {
  appns?: string;
  applabel?: string;
  appkind?: string;
}

/** Options of {@link translateChaos}. */
export interface TranslateOptions {
  /** Sim second the experiment is applied at (default 0). */
  at?: number;
  /** Fills a ChaosEngine's empty `appinfo` fields. */
  appinfo?: AppInfo;
  /** Prefix of the incident ids (default `chaos`); ids are `<prefix>-<document name>-<n>`. */
  idPrefix?: string;
}

/** What {@link translateChaos} answers: the incidents (sorted by `at`, then document order) and notes on approximations. */
export interface ChaosTranslation {
  incidents: IncidentSpec[];
  notes: string[];
}

/**
 * Checks chaos documents without a cluster (`gameday validate FILE`): syntax, schemas, supported
 * experiments and fields; selectors are not matched (see {@link ChaosCluster.anyMatch}). Answers the
 * number of incidents one run would give against a stand-in Deployment, and the notes.
 * @throws {ChaosError} as {@link translateChaos}.
 */
export function validateChaos(text: string, source: string): { incidents: number; notes: string[] } {
  const t = translateChaos(text, source, { workloads: [], nodes: [], durationSeconds: 3600, seed: 1, anyMatch: true });
  return { incidents: t.incidents.length, notes: t.notes };
}

/** True when the first document of `text` is a Chaos Mesh or LitmusChaos object (by its apiVersion). */
export function looksLikeChaos(text: string): boolean {
  return /^apiVersion:\s*['"]?(chaos-mesh\.org|litmuschaos\.io)\//m.test(text);
}

/**
 * The cluster facts of a live cluster (a trainer's injection into a running match): its Deployments
 * (Pod template labels, desired replicas), Nodes, the match length and seed. Reads the state only.
 */
export function chaosClusterOfState(state: Pick<SimState, 'deployments' | 'nodes' | 'settings'>): ChaosCluster {
  return chaosClusterOf({ deployments: Object.keys(state.deployments).sort(cmp).map((k) => state.deployments[k]!), nodes: Object.keys(state.nodes).map((name) => ({ name })), settings: state.settings });
}

type DeploymentLike = Pick<SimInput['deployments'][number], 'metadata'> & { spec: { replicas?: number; template: SimInput['deployments'][number]['spec']['template'] } };

/** The cluster facts of a SimInput (its Deployments, Nodes, duration and seed). */
export function chaosClusterOf(input: { deployments: readonly DeploymentLike[]; nodes: readonly { name: string }[]; settings: SimInput['settings'] }): ChaosCluster {
  return {
    workloads: input.deployments
      .map((d) => {
        let req = 0;
        let lim = 0;
        const mounts: { container: string; mountPath: string }[] = [];
        for (const c of d.spec.template.spec.containers) {
          const l = mib(c.resources?.limits?.memory);
          lim += l;
          req += mib(c.resources?.requests?.memory) || l;
          for (const m of c.volumeMounts ?? []) mounts.push({ container: c.name, mountPath: m.mountPath });
        }
        mounts.sort((a, b) => cmp(a.container, b.container) || cmp(a.mountPath, b.mountPath));
        return { namespace: d.metadata.namespace ?? 'default', name: d.metadata.name, labels: d.spec.template.metadata.labels, replicas: d.spec.replicas ?? 1, memoryMiB: req, memoryLimitMiB: lim, mounts };
      })
      .sort((a, b) => cmp(`${a.namespace}/${a.name}`, `${b.namespace}/${b.name}`)),
    nodes: input.nodes.map((n) => n.name).sort(cmp),
    durationSeconds: input.settings.durationSeconds,
    seed: input.settings.seed,
  };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** MiB of a Kubernetes quantity (`256Mi`, `1Gi`, `500M`), 0 when absent or unreadable. */
function mib(q: string | undefined): number {
  if (q === undefined) return 0;
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|K|k|M|G|T)?$/.exec(q.trim());
  if (!m) return 0;
  const f: Record<string, number> = { Ki: 1 / 1024, Mi: 1, Gi: 1024, Ti: 1024 * 1024, K: 1e3 / 1048576, k: 1e3 / 1048576, M: 1e6 / 1048576, G: 1e9 / 1048576, T: 1e12 / 1048576 };
  return Number(m[1]) * (m[2] ? (f[m[2]] ?? 0) : 1 / 1048576);
}

/** One parsed document with what is needed to word its problems. */
interface Doc {
  index: number;
  value: unknown;
  yaml: Document.Parsed;
}

/** Context of one document's translation. */
interface Ctx {
  source: string;
  label: string;
  doc: Doc;
  cluster: ChaosCluster;
  rng: RngState;
  out: IncidentSpec[];
  notes: string[];
  idBase: string;
  appinfo: AppInfo;
}

/** A problem at `path` of the document being translated. */
class FieldError extends Error {}

function fail(path: string, message: string): never {
  throw new FieldError(`${path}: ${message}`);
}

const NOT_SUPPORTED = 'not supported by the simulation';

function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * Translates every document of `text` (YAML, several documents allowed) into incidents.
 * @param source file name for messages.
 * @throws {ChaosError} listing each problem as `<source>: document N (<Kind> <name>): <field.path>: <message> (line L)`,
 * including `not supported by the simulation: ...` for experiments the sim cannot model.
 */
export function translateChaos(text: string, source: string, cluster: ChaosCluster, opts: TranslateOptions = {}): ChaosTranslation {
  const lc = new LineCounter();
  const parsed = parseAllDocuments(text, { lineCounter: lc, prettyErrors: true, uniqueKeys: true });
  const docs = (Array.isArray(parsed) ? parsed : []).filter((d) => d.contents !== null || d.errors.length > 0);
  if (docs.length === 0) throw new ChaosError(`${source}: no chaos document`);
  const problems: string[] = [];
  const out: IncidentSpec[] = [];
  const notes: string[] = [];
  const at = opts.at ?? 0;
  docs.forEach((yaml, index) => {
    if (yaml.errors.length > 0) {
      for (const e of yaml.errors) problems.push(`${source}: document ${index + 1}: ${yamlErrorText(e)}${e.linePos?.[0] ? ` (line ${e.linePos[0].line})` : ''}`);
      return;
    }
    const value: unknown = yaml.toJS({ maxAliasCount: 1000 });
    const doc: Doc = { index, value, yaml };
    const header = HeaderSchema.safeParse(value);
    if (!header.success) {
      problems.push(...zodProblems(source, `document ${index + 1}`, doc, lc, header.error, []));
      return;
    }
    const { kind, metadata } = header.data;
    const label = `document ${index + 1} (${kind} ${metadata.name})`;
    const ctx: Ctx = {
      source,
      label,
      doc,
      cluster,
      rng: seedRng((cluster.seed ^ hash32(`${metadata.name}@${at}`)) >>> 0),
      out: [],
      notes,
      idBase: `${opts.idPrefix ?? 'chaos'}-${metadata.name}`.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 50) || 'chaos',
      appinfo: opts.appinfo ?? {},
    };
    try {
      translateDocument(ctx, header.data, at);
      out.push(...ctx.out);
    } catch (e) {
      if (e instanceof ZodDocError) problems.push(...zodProblems(source, label, doc, lc, e.error, e.prefix));
      else if (e instanceof FieldError) {
        const path = e.message.slice(0, e.message.indexOf(':'));
        const line = lineOfPath(yaml, lc, path.split('.').flatMap((p) => p.split(/\[(\d+)\]/).filter((x) => x !== '').map((x) => (/^\d+$/.test(x) ? Number(x) : x))));
        problems.push(`${source}: ${label}: ${e.message}${line !== undefined ? ` (line ${line})` : ''}`);
      } else throw e;
    }
  });
  if (problems.length > 0) throw new ChaosError(`${source}: chaos manifest cannot run in the simulation`, problems);
  const ids = new Map<string, number>();
  for (const inc of out) {
    const n = ids.get(inc.id) ?? 0;
    ids.set(inc.id, n + 1);
    if (n > 0) inc.id = `${inc.id}-${n + 1}`;
  }
  const ordered = out.map((inc, i) => ({ inc, i })).sort((a, b) => a.inc.at - b.inc.at || a.i - b.i).map((x) => x.inc);
  return { incidents: ordered, notes: [...new Set(notes)] };
}

class ZodDocError extends Error {
  readonly error: z.ZodError;
  readonly prefix: PropertyKey[];
  constructor(error: z.ZodError, prefix: PropertyKey[]) {
    super(error.message);
    this.error = error;
    this.prefix = prefix;
  }
}

function zodProblems(source: string, label: string, doc: Doc, lc: LineCounter, error: z.ZodError, prefix: PropertyKey[]): string[] {
  return error.issues.map((i) => {
    const path = [...prefix, ...i.path];
    const line = lineOfPath(doc.yaml, lc, path);
    return `${source}: ${label}: ${formatPath(path) || '(top level)'}: ${i.message}${line !== undefined ? ` (line ${line})` : ''}`;
  });
}

function parseAt<T extends z.ZodType>(schema: T, value: unknown, prefix: PropertyKey[]): z.output<T> {
  const r = schema.safeParse(value);
  if (!r.success) throw new ZodDocError(r.error, prefix);
  return r.data;
}

function translateDocument(ctx: Ctx, header: z.output<typeof HeaderSchema>, at: number): void {
  const { apiVersion, kind, metadata, spec } = header;
  const namespace = metadata.namespace ?? 'default';
  if (apiVersion.startsWith('chaos-mesh.org/')) {
    if (apiVersion !== 'chaos-mesh.org/v1alpha1') fail('apiVersion', `must be chaos-mesh.org/v1alpha1, got ${apiVersion}`);
    if (kind === 'Schedule') return schedule(ctx, spec, namespace, at);
    return chaosMesh(ctx, kind, spec, ['spec'], namespace, at);
  }
  if (apiVersion.startsWith('litmuschaos.io/')) {
    if (kind !== 'ChaosEngine') fail('kind', `${NOT_SUPPORTED}: ${kind} (only ChaosEngine runs an experiment; ChaosExperiment and ChaosResult are installed by Litmus itself)`);
    return litmus(ctx, spec, at);
  }
  fail('apiVersion', `not a chaos document: ${apiVersion} (expected chaos-mesh.org/v1alpha1 or litmuschaos.io/v1alpha1)`);
}

// ---------------------------------------------------------------------------------------------------
// Selection

interface Picked {
  workload: ChaosWorkload;
  /** Pods of this Deployment selected. */
  count: number;
}

function workloadKey(w: ChaosWorkload): string {
  return w.namespace === 'default' ? w.name : `${w.namespace}/${w.name}`;
}

function matchingWorkloads(ctx: Ctx, sel: z.output<typeof NetworkChaosSpec>['selector'], path: string, defaultNs: string): ChaosWorkload[] {
  if (sel.pods !== undefined) fail(`${path}.pods`, `${NOT_SUPPORTED}: Pods by name (the sim names Pods when it creates them); select them with labelSelectors`);
  for (const f of ['nodes', 'nodeSelectors', 'annotationSelectors', 'fieldSelectors', 'podPhaseSelectors'] as const) {
    if (sel[f] !== undefined) fail(`${path}.${f}`, `${NOT_SUPPORTED}: ${f} (use namespaces and labelSelectors)`);
  }
  const namespaces = sel.namespaces ?? [defaultNs];
  if (ctx.cluster.anyMatch) return [{ namespace: namespaces[0] ?? defaultNs, name: 'selected', labels: { ...(sel.labelSelectors ?? {}) }, replicas: 3, memoryMiB: 256, memoryLimitMiB: 512 }];
  const labels = Object.entries(sel.labelSelectors ?? {});
  const exprs = sel.expressionSelectors ?? [];
  const found = ctx.cluster.workloads.filter((w) => {
    if (!namespaces.includes(w.namespace)) return false;
    for (const [k, v] of labels) if (!Object.hasOwn(w.labels, k) || w.labels[k] !== v) return false;
    for (const e of exprs) {
      const has = Object.hasOwn(w.labels, e.key);
      const val = has ? w.labels[e.key] : undefined;
      const vals = e.values ?? [];
      if (e.operator === 'In' && !(has && vals.includes(val!))) return false;
      if (e.operator === 'NotIn' && has && vals.includes(val!)) return false;
      if (e.operator === 'Exists' && !has) return false;
      if (e.operator === 'DoesNotExist' && has) return false;
    }
    return true;
  });
  if (found.length === 0) {
    const wanted = [...labels.map(([k, v]) => `${k}=${v}`), ...exprs.map((e) => `${e.key} ${e.operator}${e.values ? ` (${e.values.join(', ')})` : ''}`)].join(', ') || 'any labels';
    fail(path, `selects no Pod: no Deployment in namespace${namespaces.length > 1 ? 's' : ''} ${namespaces.join(', ')} has Pods labelled ${wanted} (Deployments: ${ctx.cluster.workloads.map((w) => `${workloadKey(w)} {${Object.entries(w.labels).map(([k, v]) => `${k}=${v}`).join(',')}}`).join(', ') || 'none'})`);
  }
  return found;
}

/**
 * How many of `total` Pods `mode`/`value` selects (Chaos Mesh pkg/selector `filterPodsByMode`: fixed
 * and fixed-percent round down; random-max-percent draws a percentage 0..value).
 */
function podsByMode(ctx: Ctx, mode: string, value: string | number | undefined, total: number, path: string): number {
  const num = () => {
    const v = typeof value === 'number' ? value : Number(value ?? NaN);
    if (value === undefined || value === '' || !Number.isFinite(v)) fail(`${path}.value`, `mode ${mode} needs a numeric value`);
    return v;
  };
  switch (mode) {
    case 'one':
      return Math.min(1, total);
    case 'all':
      return total;
    case 'fixed': {
      const v = num();
      if (!Number.isInteger(v) || v < 1) fail(`${path}.value`, 'must be a whole number of Pods, at least 1');
      return Math.min(v, total);
    }
    case 'fixed-percent':
    case 'random-max-percent': {
      const v = num();
      if (v <= 0 || v > 100) fail(`${path}.value`, 'must be a percentage from 1 to 100');
      const p = mode === 'fixed-percent' ? v : nextInt(ctx.rng, Math.floor(v) + 1);
      return Math.floor((total * p) / 100);
    }
    default:
      return fail(`${path}.mode`, `unknown mode ${mode}`);
  }
}

/** Spreads `count` Pods over the matching Deployments with the seeded PRNG (Pods drawn without replacement). */
function spread(ctx: Ctx, workloads: ChaosWorkload[], count: number): Picked[] {
  const pool: number[] = [];
  workloads.forEach((w, i) => {
    for (let r = 0; r < w.replicas; r++) pool.push(i);
  });
  const counts = workloads.map(() => 0);
  if (count >= pool.length) workloads.forEach((w, i) => (counts[i] = w.replicas));
  else
    for (let k = 0; k < count; k++) {
      const [i] = pool.splice(nextInt(ctx.rng, pool.length), 1);
      counts[i!]!++;
    }
  return workloads.map((workload, i) => ({ workload, count: counts[i]! })).filter((p) => p.count > 0);
}

function select(ctx: Ctx, spec: { selector: z.output<typeof NetworkChaosSpec>['selector']; mode: string; value?: string | number | undefined }, path: string, ns: string): Picked[] {
  const workloads = matchingWorkloads(ctx, spec.selector, `${path}.selector`, ns);
  const total = workloads.reduce((s, w) => s + w.replicas, 0);
  const n = podsByMode(ctx, spec.mode, spec.value, total, path);
  if (n === 0) {
    ctx.notes.push(`${ctx.label}: mode ${spec.mode}${spec.value !== undefined ? ` ${spec.value}` : ''} of ${total} Pods selects none: no incident (Chaos Mesh reports "no pod is selected")`);
    return [];
  }
  return spread(ctx, workloads, n);
}

/**
 * True when a container of `w` (one of `containerNames`, default any) mounts `volumePath`: a volumeMount's
 * mountPath equal to it or a directory above it (trailing slashes ignored).
 */
function mountsPath(w: ChaosWorkload, volumePath: string, containerNames: readonly string[] | undefined): boolean {
  const norm = (p: string) => (p.length > 1 ? p.replace(/\/+$/, '') : p);
  const want = norm(volumePath);
  return (w.mounts ?? []).some((m) => {
    if (containerNames !== undefined && !containerNames.includes(m.container)) return false;
    const mp = norm(m.mountPath);
    return want === mp || want.startsWith(mp === '/' ? '/' : `${mp}/`);
  });
}

/** As {@link select}, among `workloads` already matched (and filtered) by the caller. */
function spreadSelected(ctx: Ctx, spec: { mode: string; value?: string | number | undefined }, path: string, workloads: ChaosWorkload[]): Picked[] {
  const total = workloads.reduce((s, w) => s + w.replicas, 0);
  const n = podsByMode(ctx, spec.mode, spec.value, total, path);
  if (n === 0) {
    ctx.notes.push(`${ctx.label}: mode ${spec.mode}${spec.value !== undefined ? ` ${spec.value}` : ''} of ${total} Pods selects none: no incident (Chaos Mesh reports "no pod is selected")`);
    return [];
  }
  return spread(ctx, workloads, n);
}

function push(ctx: Ctx, type: IncidentType, at: number, target: string, params: IncidentSpec['params'], title: string): void {
  if (!isIncidentType(type)) fail('kind', `${NOT_SUPPORTED}: the incident kind ${type} is not in this build's catalog`);
  ctx.out.push({ id: `${ctx.idBase}-${ctx.out.length + 1}`, type, at, target, params, title });
}

function round(x: number, digits = 4): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

// ---------------------------------------------------------------------------------------------------
// Chaos Mesh

function chaosDuration(spec: { duration?: string | undefined }, fallback: number): number {
  return spec.duration === undefined ? fallback : Math.max(1, Math.round(durationSeconds(spec.duration)));
}

function chaosMesh(ctx: Ctx, kind: string, raw: unknown, prefix: PropertyKey[], ns: string, at: number): void {
  const path = formatPath(prefix);
  const title = (what: string) => `Chaos Mesh ${kind} ${what}`;
  const matchEnd = ctx.cluster.durationSeconds;
  switch (kind) {
    case 'PodChaos': {
      const spec = parseAt(PodChaosSpec, raw, prefix);
      if (spec.action !== 'pod-kill') ctx.notes.push(`${ctx.label}: PodChaos ${spec.action} is mapped to pod-kill, the nearest catalog kind (${spec.action === 'container-kill' ? 'a real container-kill restarts the container in place (RESTARTS +1); the sim replaces the Pod' : 'a real pod-failure keeps the Pod with a pause image for the duration; the sim replaces it'})`);
      for (const p of select(ctx, spec, path, ns)) push(ctx, 'pod-kill', at, workloadKey(p.workload), { count: p.count, gracePeriodSeconds: spec.gracePeriod ?? 0 }, title(`${spec.action} of ${workloadKey(p.workload)}`));
      return;
    }
    case 'StressChaos': {
      const spec = parseAt(StressChaosSpec, raw, prefix);
      const { memory, cpu } = spec.stressors;
      if (!memory && !cpu) fail(`${path}.stressors`, 'needs a memory or a cpu stressor');
      const d = chaosDuration(spec, Math.max(1, matchEnd - at));
      for (const p of select(ctx, spec, path, ns)) {
        const target = workloadKey(p.workload);
        if (memory) {
          const size = memory.size ?? '256MB';
          const m = /^(\d+(?:\.\d+)?)\s*(B|KB|MB|GB|KiB|MiB|GiB|%)?$/.exec(size)!;
          const n = Number(m[1]);
          const unit = m[2] ?? 'B';
          const factor: Record<string, number> = { B: 1 / 1048576, KB: 1e3 / 1048576, MB: 1e6 / 1048576, GB: 1e9 / 1048576, KiB: 1 / 1024, MiB: 1, GiB: 1024 };
          const limit = p.workload.memoryLimitMiB || p.workload.memoryMiB;
          const stressMiB = unit === '%' ? (limit > 0 ? (limit * n) / 100 : 0) : n * (factor[unit] ?? 0) * memory.workers;
          if (stressMiB <= 0) fail(`${path}.stressors.memory.size`, `${size} of a Pod without a memory limit is 0 MiB`);
          const ramp = memory.time !== undefined ? Math.max(1, durationSeconds(memory.time)) : 10;
          const baseMiB = p.workload.memoryMiB > 0 ? 0.6 * p.workload.memoryMiB : 64;
          push(ctx, 'memory-leak', at, target, { growthMiBPerSec: round(stressMiB / ramp), plateauMiB: Math.max(1, Math.round(baseMiB + stressMiB)) }, title(`memory stress of ${target}`));
          ctx.notes.push(`${ctx.label}: StressChaos memory is mapped to memory-leak (the working set grows by ${Math.round(stressMiB)} MiB within ${ramp} s; the sim's leak lasts until the memory limit is raised, not only for the duration)`);
        }
        if (cpu) {
          const millicores = Math.round(cpu.workers * (cpu.load ?? 100) * 10);
          if (millicores > 0) push(ctx, 'cpu-hog', at, target, { millicores, durationSeconds: d, action: 'StressChaos cpu' }, title(`CPU stress of ${target}`));
        }
      }
      return;
    }
    case 'NetworkChaos': {
      const spec = parseAt(NetworkChaosSpec, raw, prefix);
      const d = chaosDuration(spec, Math.max(1, matchEnd - at));
      let latencyMs = 0;
      let errorShare = 0;
      const need = <T>(v: T | undefined, field: string): T => v ?? fail(`${path}.${field}`, `action ${spec.action} needs ${field}`);
      switch (spec.action) {
        case 'delay':
          latencyMs = durationSeconds(need(spec.delay, 'delay').latency) * 1000;
          break;
        case 'loss':
          errorShare = Number(need(spec.loss, 'loss').loss) / 100;
          break;
        case 'duplicate':
          errorShare = Number(need(spec.duplicate, 'duplicate').duplicate) / 100;
          ctx.notes.push(`${ctx.label}: NetworkChaos duplicate counts duplicated packets as failed requests (the sim has no packet model)`);
          break;
        case 'corrupt':
          errorShare = Number(need(spec.corrupt, 'corrupt').corrupt) / 100;
          break;
        case 'bandwidth': {
          const rate = need(spec.bandwidth, 'bandwidth').rate.toLowerCase();
          const m = /^(\d+(?:\.\d+)?)(bps|kbps|mbps|gbps|tbps)$/.exec(rate)!;
          const bps = Number(m[1]) * ({ bps: 1, kbps: 1e3, mbps: 1e6, gbps: 1e9, tbps: 1e12 }[m[2] as 'bps'] ?? 1);
          latencyMs = Math.min(30_000, (16 * 1024 * 8 * 1000) / bps);
          ctx.notes.push(`${ctx.label}: NetworkChaos bandwidth ${rate} adds the transfer time of a 16 KiB response (${round(latencyMs, 1)} ms) to each request`);
          break;
        }
        case 'partition':
          errorShare = 1;
          ctx.notes.push(`${ctx.label}: NetworkChaos partition fails every request the selected Pods serve (direction and target are not modelled)`);
          break;
        case 'netem':
          return fail(`${path}.action`, `${NOT_SUPPORTED}: netem (use delay, loss, duplicate, corrupt, bandwidth or partition)`);
      }
      for (const p of select(ctx, spec, path, ns)) {
        const target = workloadKey(p.workload);
        const errorRate = round(Math.min(1, errorShare * (p.count / Math.max(1, p.workload.replicas))));
        push(ctx, 'network-chaos', at, target, { latencyMs: round(latencyMs, 1), errorRate, durationSeconds: d, action: `NetworkChaos ${spec.action}` }, title(`${spec.action} on ${target}`));
      }
      if (latencyMs > 0) ctx.notes.push(`${ctx.label}: the sim's latency belongs to a Deployment's version, so the delay hits every Pod of a selected Deployment`);
      return;
    }
    case 'DNSChaos': {
      const spec = parseAt(DNSChaosSpec, raw, prefix);
      const d = chaosDuration(spec, Math.max(1, matchEnd - at));
      ctx.notes.push(`${ctx.label}: DNSChaos ${spec.action} fails the requests of the selected Pods (their calls to other Services cannot resolve)`);
      for (const p of select(ctx, spec, path, ns)) {
        const target = workloadKey(p.workload);
        push(ctx, 'network-chaos', at, target, { errorRate: round(p.count / Math.max(1, p.workload.replicas)), durationSeconds: d, action: `DNSChaos ${spec.action}` }, title(`DNS ${spec.action} in ${target}`));
      }
      return;
    }
    case 'HTTPChaos': {
      const spec = parseAt(HTTPChaosSpec, raw, prefix);
      if (spec.replace !== undefined || spec.patch !== undefined) fail(`${path}.${spec.replace !== undefined ? 'replace' : 'patch'}`, `${NOT_SUPPORTED}: rewriting HTTP messages (the sim has no message bodies); use abort or delay`);
      if (!spec.abort && spec.delay === undefined) fail(path, 'HTTPChaos needs abort: true or delay');
      const d = chaosDuration(spec, Math.max(1, matchEnd - at));
      for (const p of select(ctx, spec, path, ns)) {
        const target = workloadKey(p.workload);
        const share = p.count / Math.max(1, p.workload.replicas);
        push(
          ctx,
          'network-chaos',
          at,
          target,
          { latencyMs: spec.delay !== undefined ? round(durationSeconds(spec.delay) * 1000, 1) : 0, errorRate: spec.abort ? round(share) : 0, durationSeconds: d, action: `HTTPChaos ${spec.abort ? 'abort' : 'delay'}` },
          title(`HTTP ${spec.abort ? 'abort' : 'delay'} on ${target}`),
        );
      }
      return;
    }
    case 'TimeChaos': {
      // The effects a skewed container clock has that a real operator would see: TLS peers' certificates
      // out of their validity window (x509: certificate has expired or is not yet valid), token and
      // cache expiry, skewed timestamps in the app's own log lines. The simulated Pods serve plain HTTP
      // with no certificate of their own and their log lines are stamped by the sim clock (shared/sim/logs.ts),
      // so no selected Pod shows any of them: refused, naming the field, after the selector is checked.
      const spec = parseAt(TimeChaosSpec, raw, prefix);
      const picked = select(ctx, spec, path, ns);
      const who = ctx.cluster.anyMatch ? 'the selected Pods' : picked.map((p) => workloadKey(p.workload)).join(', ') || 'the selected Pods';
      return fail(`${path}.timeOffset`, `${NOT_SUPPORTED}: "${spec.timeOffset}" on ${who}: no effect the simulation can show (its Pods hold no TLS certificate whose validity the offset could cross, and their log lines are stamped by the cluster clock)`);
    }
    case 'IOChaos': {
      // IOChaos (https://chaos-mesh.org/docs/simulate-io-chaos-on-kubernetes/) injects into the files of
      // the volume mounted at volumePath in the target containers (containerNames, default all). Only
      // the Deployments whose Pod template has a container mounting volumePath (its mountPath, or a
      // directory under it) can be targets; the sim has no file system, so each request a Pod serves is
      // taken to make one I/O call on that volume: `percent` of the calls delayed by `delay` (latency)
      // or failed with `errno` (fault) show as request latency / failed requests of the Pods.
      const spec = parseAt(IOChaosSpec, raw, prefix);
      if (spec.action === 'latency' && spec.delay === undefined) fail(`${path}.delay`, 'action latency needs delay (e.g. "100ms")');
      if (spec.action === 'fault' && spec.errno === undefined) fail(`${path}.errno`, 'action fault needs errno (e.g. 5, EIO)');
      const matching = matchingWorkloads(ctx, spec.selector, `${path}.selector`, ns);
      const mounting = ctx.cluster.anyMatch ? matching : matching.filter((w) => mountsPath(w, spec.volumePath, spec.containerNames));
      if (mounting.length === 0) {
        const what = (w: ChaosWorkload) => {
          const ms = (w.mounts ?? []).filter((m) => spec.containerNames === undefined || spec.containerNames.includes(m.container));
          return `${workloadKey(w)} mounts ${ms.length === 0 ? 'no volume' : ms.map((m) => `${m.mountPath} (container ${m.container})`).join(', ')}${spec.containerNames !== undefined ? ` in containers ${spec.containerNames.join(', ')}` : ''}`;
        };
        return fail(`${path}.volumePath`, `"${spec.volumePath}": no target Pod mounts it (${matching.map(what).join('; ')}: IOChaos ${spec.action} acts on the files of a volume a container mounts at volumePath)`);
      }
      const skipped = matching.filter((w) => !mounting.includes(w));
      if (skipped.length > 0) ctx.notes.push(`${ctx.label}: ${skipped.map(workloadKey).join(', ')} do not mount ${spec.volumePath}: left out of the selection (Chaos Mesh's injection fails on their Pods)`);
      if (spec.action === 'attrOverride' || spec.action === 'mistake') {
        return fail(`${path}.action`, `${NOT_SUPPORTED}: ${spec.action} on ${spec.volumePath} (${spec.action === 'attrOverride' ? 'the simulated Pods read no file attributes, so overridden permissions, sizes or times change nothing they serve' : 'the simulated Pods read no file contents, so corrupted reads and writes change nothing they serve'}); use latency or fault`);
      }
      const percent = (spec.percent ?? 100) / 100;
      const d = chaosDuration(spec, Math.max(1, matchEnd - at));
      const picked = spreadSelected(ctx, spec, path, mounting);
      const latencyMs = spec.action === 'latency' ? round(durationSeconds(spec.delay!) * 1000 * percent, 1) : 0;
      for (const p of picked) {
        const target = workloadKey(p.workload);
        const errorRate = spec.action === 'fault' ? round(Math.min(1, percent * (p.count / Math.max(1, p.workload.replicas)))) : 0;
        if (latencyMs <= 0 && errorRate <= 0) continue;
        push(ctx, 'network-chaos', at, target, { latencyMs, errorRate, durationSeconds: d, action: `IOChaos ${spec.action} on ${spec.volumePath}` }, title(`${spec.action} on ${spec.volumePath} of ${target}`));
      }
      if (spec.action === 'latency') ctx.notes.push(`${ctx.label}: IOChaos latency is mapped to network-chaos latency: disk I/O latency shows as request latency (one I/O call on ${spec.volumePath} per request, ${spec.percent ?? 100}% of them delayed by ${spec.delay}: ${latencyMs} ms added on average, to every Pod of a selected Deployment)`);
      else ctx.notes.push(`${ctx.label}: IOChaos fault (errno ${spec.errno}) is mapped to network-chaos errors: ${spec.percent ?? 100}% of the I/O calls on ${spec.volumePath} fail, one per request, so that share of the requests the selected Pods serve fail (their logs show no input/output error line)`);
      if (spec.path !== undefined || spec.methods !== undefined) ctx.notes.push(`${ctx.label}: IOChaos ${[spec.path !== undefined ? 'path' : '', spec.methods !== undefined ? 'methods' : ''].filter((x) => x).join(' and ')} not modelled: every request is taken to touch the volume`);
      return;
    }
    default:
      return fail('kind', `${NOT_SUPPORTED}: ${kind} (supported: PodChaos, StressChaos, NetworkChaos, DNSChaos, HTTPChaos, Schedule)`);
  }
}

/** The cron descriptors robfig/cron's standard parser accepts (Chaos Mesh's Schedule controller uses it). */
const CRON_DESCRIPTORS: ReadonlyMap<string, string> = new Map([
  ['@yearly', '0 0 1 1 *'],
  ['@annually', '0 0 1 1 *'],
  ['@monthly', '0 0 1 * *'],
  ['@weekly', '0 0 * * 0'],
  ['@daily', '0 0 * * *'],
  ['@midnight', '0 0 * * *'],
  ['@hourly', '0 * * * *'],
]);

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** One parsed cron field: the allowed values, and whether it was `*` / `?` (robfig's star bit). */
interface CronField {
  values: Set<number>;
  star: boolean;
}

/**
 * One cron field as robfig/cron v3 `getField` reads it: comma-separated `*`, `?`, `N`, `a-b`, each with
 * an optional `/step`; month and weekday names (`JAN`, `MON`, case-insensitive).
 * @throws FieldError naming `path` on a malformed field or a value out of [min, max].
 */
function cronField(text: string, min: number, max: number, names: readonly string[], what: string, path: string): CronField {
  const values = new Set<number>();
  let star = false;
  const value = (s: string): number => {
    const i = names.indexOf(s.toLowerCase());
    if (i >= 0) return i + (names === MONTHS ? 1 : 0);
    if (!/^\d+$/.test(s)) fail(path, `${what} field: "${s}" is not a number${names.length ? ' or a name' : ''}`);
    return Number(s);
  };
  for (const part of text.split(',')) {
    const [range, stepText, extra] = part.split('/');
    if (extra !== undefined || range === undefined || range === '') fail(path, `${what} field: cannot read "${part}"`);
    let lo: number;
    let hi: number;
    const isStar = range === '*' || range === '?';
    if (isStar) [lo, hi] = [min, max];
    else {
      const [a, b, more] = range.split('-');
      if (more !== undefined || a === undefined || a === '') fail(path, `${what} field: cannot read "${part}"`);
      lo = value(a);
      hi = b === undefined ? lo : value(b);
    }
    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d+$/.test(stepText) || Number(stepText) < 1) fail(path, `${what} field: step "${stepText}" must be a positive number`);
      step = Number(stepText);
      if (!isStar && range.indexOf('-') < 0) hi = max; // robfig: "N/step" means N-max/step
    }
    if (lo < min || hi > max || lo > hi) fail(path, `${what} field: ${part} is outside ${min}-${max}`);
    if (isStar && step === 1) star = true;
    for (let v = lo; v <= hi; v += step) values.add(v);
  }
  return { values, star };
}

const EPOCH_SECONDS = Date.parse(SIM_EPOCH) / 1000;

/**
 * The UTC calendar fields of sim second `t` (Howard Hinnant's `civil_from_days`, proleptic Gregorian),
 * computed by arithmetic from {@link SIM_EPOCH}: pure, no Date object. `weekday` 0 = Sunday.
 */
function calendarOf(t: number): { minute: number; hour: number; day: number; month: number; weekday: number } {
  const secs = EPOCH_SECONDS + t;
  const days = Math.floor(secs / 86_400);
  const sod = secs - days * 86_400;
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  return {
    minute: Math.floor(sod / 60) % 60,
    hour: Math.floor(sod / 3600),
    day: doy - Math.floor((153 * mp + 2) / 5) + 1,
    month: mp < 10 ? mp + 3 : mp - 9,
    weekday: (((days + 4) % 7) + 7) % 7, // 1970-01-01 was a Thursday
  };
}

/**
 * Nominal sim seconds of a Schedule's runs in (from, end), at most 200: the times robfig/cron's
 * `Schedule.Next` gives from `from` (the Schedule's creation), as Chaos Mesh's Schedule controller
 * (https://chaos-mesh.org/docs/define-scheduling-rules/) computes them:
 * - `@every <Go duration>` (`ConstantDelaySchedule`: whole seconds, at least 1 s; the first run one
 *   period after `from`);
 * - the descriptors `@yearly`/`@annually`, `@monthly`, `@weekly`, `@daily`/`@midnight`, `@hourly`;
 * - a 5-field cron `minute hour day-of-month month day-of-week` (`*`, `?`, `N`, `a-b`, `/step`, lists,
 *   `JAN`..`DEC`, `SUN`..`SAT`; day-of-week 0-6; when both day fields are restricted a day matching
 *   either runs, as cron and robfig's `dayMatches`), in UTC on the sim's calendar: sim second 0 is
 *   shared/sim/names.ts `SIM_EPOCH` (2025-01-01T00:00:00Z, a Wednesday). The first run is the first
 *   matching minute strictly after `from`.
 * Pure: the calendar is computed from the epoch, never from the wall clock.
 * @throws FieldError (a {@link ChaosError} problem via translateChaos) naming `path` on a bad schedule.
 */
export function scheduleTimes(schedule: string, from: number, end: number, path = 'spec.schedule'): number[] {
  const times: number[] = [];
  const MAX = 200;
  const text = schedule.trim();
  const every = /^@every\s+(\S+)$/.exec(text);
  if (every) {
    if (!goDuration().safeParse(every[1]).success) fail(path, `@every needs a duration such as "30s", got ${every[1]}`);
    // robfig/cron `Every`: under a second becomes 1 s; otherwise rounded down to whole seconds.
    const step = Math.max(1, Math.floor(durationSeconds(every[1]!)));
    for (let t = Math.floor(from) + step; t < end && times.length < MAX; t += step) times.push(t);
    return times;
  }
  if (/^(CRON_)?TZ=/.test(text)) fail(path, `${NOT_SUPPORTED}: a time zone prefix (the sim's calendar is UTC)`);
  const expr = text.startsWith('@') ? CRON_DESCRIPTORS.get(text.toLowerCase()) ?? fail(path, `unknown descriptor "${text}" (expected @every <duration>, ${[...CRON_DESCRIPTORS.keys()].join(', ')})`) : text;
  const fields = expr.split(/\s+/);
  if (fields.length !== 5) fail(path, `must be "@every <duration>", a descriptor such as @hourly, or a 5-field cron (minute hour day-of-month month day-of-week), got "${schedule}"`);
  const minute = cronField(fields[0]!, 0, 59, [], 'minute', path);
  const hour = cronField(fields[1]!, 0, 23, [], 'hour', path);
  const dom = cronField(fields[2]!, 1, 31, [], 'day-of-month', path);
  const month = cronField(fields[3]!, 1, 12, MONTHS, 'month', path);
  const dow = cronField(fields[4]!, 0, 6, WEEKDAYS, 'day-of-week', path);
  for (let t = Math.floor(from / 60) * 60 + 60; t < end && times.length < MAX; t += 60) {
    const d = calendarOf(t);
    if (!minute.values.has(d.minute) || !hour.values.has(d.hour) || !month.values.has(d.month)) continue;
    const domOk = dom.values.has(d.day);
    const dowOk = dow.values.has(d.weekday);
    if (dom.star || dow.star ? domOk && dowOk : domOk || dowOk) times.push(t);
  }
  return times;
}

/**
 * When a Schedule's runs start (sim seconds), from its nominal times ({@link scheduleTimes}), the
 * embedded experiment's length `runSeconds` (0: a one-shot action that is over at once; Infinity: an
 * experiment without `duration`, which runs until it is deleted) and its policy, as the Chaos Mesh
 * docs ("Define Scheduling Rules") describe:
 * - `Allow`: every nominal time starts a run, overlapping runs included;
 * - `Forbid` (the default): no run starts while the previous one lasts; the controller then sees the
 *   missed run(s) and, when the previous run ends at F, starts ONE catch-up run at F (the most recent
 *   missed time `m`), unless `startingDeadlineSeconds` > 0 and `F - m` exceeds it (the run is missed;
 *   the next one waits for its time). 0 or absent: no deadline.
 * Runs at or after `end` are dropped.
 */
export function scheduleRuns(nominal: readonly number[], runSeconds: number, policy: 'Forbid' | 'Allow', deadlineSeconds: number | null, end: number): number[] {
  if (policy === 'Allow') return [...nominal];
  const runs: number[] = [];
  let busyUntil = -Infinity;
  let missed: number | null = null;
  const catchUp = (before: number) => {
    if (missed === null || !(busyUntil < before) || !(busyUntil < end)) return;
    if (deadlineSeconds === null || deadlineSeconds <= 0 || busyUntil - missed <= deadlineSeconds) {
      runs.push(busyUntil);
      busyUntil += runSeconds;
    }
    missed = null;
  };
  for (const s of nominal) {
    catchUp(s);
    if (s >= busyUntil) {
      missed = null;
      runs.push(s);
      busyUntil = s + runSeconds;
    } else missed = s;
  }
  catchUp(end);
  return runs;
}

const SCHEDULE_FIELD: Record<string, string> = { PodChaos: 'podChaos', NetworkChaos: 'networkChaos', StressChaos: 'stressChaos', DNSChaos: 'dnsChaos', HTTPChaos: 'httpChaos', TimeChaos: 'timeChaos', IOChaos: 'ioChaos' };

function schedule(ctx: Ctx, raw: unknown, ns: string, at: number): void {
  const spec = parseAt(ScheduleSpec, raw, ['spec']);
  const field = Object.hasOwn(SCHEDULE_FIELD, spec.type) ? SCHEDULE_FIELD[spec.type]! : fail('spec.type', `${NOT_SUPPORTED}: ${spec.type} (supported: ${Object.keys(SCHEDULE_FIELD).join(', ')})`);
  const inner = (raw as Record<string, unknown>)[field];
  if (inner === undefined || inner === null || typeof inner !== 'object') fail(`spec.${field}`, `a Schedule of type ${spec.type} needs spec.${field}`);
  const end = ctx.cluster.durationSeconds;
  const nominal = scheduleTimes(spec.schedule, at, end);
  const policy = spec.concurrencyPolicy === 'Allow' ? 'Allow' : 'Forbid'; // "" is Forbid, the default
  const innerDuration = (inner as { duration?: unknown }).duration;
  const action = (inner as { action?: unknown }).action;
  // PodChaos pod-kill and container-kill are one-shot (Chaos Mesh's PodChaos IsOneShot): over at once.
  const oneShot = spec.type === 'PodChaos' && (action === 'pod-kill' || action === 'container-kill');
  const runSeconds = typeof innerDuration === 'string' && goDuration().safeParse(innerDuration).success ? durationSeconds(innerDuration) : oneShot ? 0 : Infinity;
  if (runSeconds === Infinity && policy === 'Forbid' && nominal.length > 1) ctx.notes.push(`${ctx.label}: spec.${field} has no duration: its first run lasts until the Schedule is deleted, so concurrencyPolicy Forbid starts no further run`);
  const runs = scheduleRuns(nominal, runSeconds, policy, spec.startingDeadlineSeconds ?? null, end);
  // Translate the embedded experiment once even when no run falls in the match: its errors show.
  if (runs.length === 0) {
    const probe = { ...ctx, out: [] as IncidentSpec[], notes: [] as string[] };
    chaosMesh(probe, spec.type, inner, ['spec', field], ns, at);
    ctx.notes.push(`${ctx.label}: the schedule "${spec.schedule}" has no run before the end of the match (t=${end}s)`);
    return;
  }
  for (const t of runs) chaosMesh(ctx, spec.type, inner, ['spec', field], ns, t);
  const late = runs.filter((t) => !nominal.includes(t));
  if (late.length > 0) ctx.notes.push(`${ctx.label}: concurrencyPolicy Forbid: ${late.length} run${late.length === 1 ? '' : 's'} started late, when the previous run ended (t=${late.join(', ')}s)`);
  if (runs.length < nominal.length) ctx.notes.push(`${ctx.label}: concurrencyPolicy Forbid: ${nominal.length - runs.length} of ${nominal.length} scheduled run${nominal.length === 1 ? '' : 's'} skipped while the previous run lasted`);
  if (spec.historyLimit !== undefined) ctx.notes.push(`${ctx.label}: historyLimit ${spec.historyLimit} bounds the finished experiment objects Chaos Mesh keeps; the sim keeps none, so it changes nothing`);
}

// ---------------------------------------------------------------------------------------------------
// LitmusChaos

/** How each generic LitmusChaos experiment runs in the sim (kind, or `not supported` with the reason). */
export const LITMUS_EXPERIMENTS: Readonly<Record<string, string>> = {
  'pod-delete': 'pod-kill, every CHAOS_INTERVAL within TOTAL_CHAOS_DURATION (FORCE=false: 30 s grace)',
  'container-kill': 'pod-kill (nearest), every CHAOS_INTERVAL within TOTAL_CHAOS_DURATION',
  'pod-cpu-hog': 'cpu-hog (CPU_CORES x CPU_LOAD %)',
  'pod-memory-hog': 'memory-leak (MEMORY_CONSUMPTION MB)',
  'pod-network-latency': 'network-chaos latency (NETWORK_LATENCY ms)',
  'pod-network-loss': 'network-chaos errors (NETWORK_PACKET_LOSS_PERCENTAGE)',
  'pod-network-corruption': 'network-chaos errors (NETWORK_PACKET_CORRUPTION_PERCENTAGE)',
  'pod-network-duplication': 'network-chaos errors (NETWORK_PACKET_DUPLICATION_PERCENTAGE)',
  'pod-network-partition': 'network-chaos, every request of the selected Pods fails',
  'pod-dns-error': 'network-chaos errors', 'pod-dns-spoof': 'network-chaos errors',
  'pod-http-latency': 'network-chaos latency (LATENCY ms)',
  'pod-http-status-code': 'network-chaos errors (STATUS_CODE 4xx/5xx, TOXICITY %)',
  'pod-http-reset-peer': 'network-chaos errors (TOXICITY %)',
  'node-drain': 'node-failure (nearest) for TOTAL_CHAOS_DURATION',
  'node-taint': 'node-failure (nearest) for TOTAL_CHAOS_DURATION',
  'node-restart': 'node-failure, back after TOTAL_CHAOS_DURATION',
  'kubelet-service-kill': 'node-failure, back after TOTAL_CHAOS_DURATION',
  'node-cpu-hog': 'cpu-hog on the app (nearest: the sim models CPU per Pod)',
  'node-memory-hog': 'node-memory-pressure for TOTAL_CHAOS_DURATION',
  'disk-fill': 'node-disk-pressure',
  'pod-io-stress': 'cpu-hog (nearest: NUMBER_OF_WORKERS x 250m for TOTAL_CHAOS_DURATION; the sim has no disk I/O model, VOLUME_MOUNT_PATH is refused)',
  'pod-autoscaler': 'replica-scale: the app scaled to REPLICA_COUNT for TOTAL_CHAOS_DURATION, then back (APP_AFFECTED_PERC of the matching Deployments)',
  'pod-http-modify-body': `${NOT_SUPPORTED}: no message bodies`,
  'pod-http-modify-header': `${NOT_SUPPORTED}: no message headers`,
};

function litmus(ctx: Ctx, raw: unknown, at: number): void {
  const spec = parseAt(ChaosEngineSpec, raw, ['spec']);
  if (spec.engineState === 'stop') {
    ctx.notes.push(`${ctx.label}: engineState is stop: no experiment runs`);
    return;
  }
  const given = spec.appinfo ?? {};
  const fill = (k: keyof AppInfo) => (given[k] !== undefined && given[k] !== '' ? given[k] : ctx.appinfo[k]) ?? '';
  const app = { appns: fill('appns'), applabel: fill('applabel'), appkind: fill('appkind') };
  spec.experiments.forEach((exp, i) => {
    const path = `spec.experiments[${i}]`;
    const env = new Map<string, string>();
    for (const e of exp.spec?.components?.env ?? []) env.set(e.name, e.value === null || e.value === undefined ? '' : String(e.value));
    const num = (name: string, dflt: number, min = 0): number => {
      const v = env.get(name) ?? '';
      if (v.trim() === '') return dflt;
      const n = Number(v);
      if (!Number.isFinite(n) || n < min) fail(`${path}.spec.components.env.${name}`, `must be a number${min > 0 ? ` >= ${min}` : ''}, got "${v}"`);
      return n;
    };
    const duration = Math.max(1, Math.round(num('TOTAL_CHAOS_DURATION', exp.name === 'pod-delete' ? 15 : 60)));
    const title = (what: string) => `LitmusChaos ${exp.name} ${what}`;
    const reason = LITMUS_EXPERIMENTS[exp.name];
    if (reason === undefined || !Object.hasOwn(LITMUS_EXPERIMENTS, exp.name)) fail(`${path}.name`, `${NOT_SUPPORTED}: ${exp.name} (generic experiments supported: ${Object.keys(LITMUS_EXPERIMENTS).filter((k) => !LITMUS_EXPERIMENTS[k]!.startsWith(NOT_SUPPORTED)).join(', ')})`);
    if (reason.startsWith(NOT_SUPPORTED)) fail(`${path}.name`, `${NOT_SUPPORTED}: ${exp.name} (${reason.slice(NOT_SUPPORTED.length + 2)})`);

    if (exp.name.startsWith('node-') || exp.name === 'kubelet-service-kill' || exp.name === 'disk-fill') {
      if (exp.name === 'node-cpu-hog') {
        if (app.applabel === '' && !ctx.cluster.anyMatch) fail('spec.appinfo.applabel', `${NOT_SUPPORTED}: node-cpu-hog without an app (the sim models CPU per Pod): fill appinfo (scenario chaos[].appinfo or --applabel)`);
        for (const p of litmusTargets(ctx, app, env, num)) push(ctx, 'cpu-hog', at, workloadKey(p.workload), { millicores: Math.round(num('NODE_CPU_CORE', 1, 0) * 1000) || 1000, durationSeconds: duration, action: 'LitmusChaos node-cpu-hog' }, title(`on the nodes of ${workloadKey(p.workload)}`));
        ctx.notes.push(`${ctx.label}: node-cpu-hog is mapped to cpu-hog on the app's Pods (the sim models CPU contention per Pod)`);
        return;
      }
      const node = litmusNode(ctx, env, path);
      const t = (what: string) => title(`on ${node}${what}`);
      switch (exp.name) {
        case 'node-drain':
        case 'node-taint':
          ctx.notes.push(`${ctx.label}: ${exp.name} is mapped to node-failure, the nearest catalog kind (the Node's Pods leave and are replaced elsewhere; the Node is back after ${duration} s)`);
          push(ctx, 'node-failure', at, node, { recoverAfter: duration }, t(''));
          return;
        case 'node-restart':
        case 'kubelet-service-kill':
          push(ctx, 'node-failure', at, node, { recoverAfter: duration }, t(''));
          return;
        case 'node-memory-hog':
          push(ctx, 'node-memory-pressure', at, node, { recoverAfter: duration }, t(''));
          return;
        case 'disk-fill':
          if (!isIncidentType('node-disk-pressure')) fail(`${path}.name`, `${NOT_SUPPORTED}: disk-fill (no node-disk-pressure kind in this build)`);
          ctx.notes.push(`${ctx.label}: disk-fill fills the root filesystem of Node ${node} (node-disk-pressure; the filler is the Node's last workload Pod)`);
          push(ctx, 'node-disk-pressure', at, node, {}, t(''));
          return;
      }
      return;
    }

    if (exp.name === 'pod-autoscaler') {
      // litmus-go chaoslib/litmus/pod-autoscaler: patches spec.replicas of APP_AFFECTED_PERC of the
      // matching apps (max(1, floor(perc x n / 100)), default one) to REPLICA_COUNT, waits
      // TOTAL_CHAOS_DURATION for them to be ready, then restores each app's original count.
      const replicas = Math.round(num('REPLICA_COUNT', 5, 1));
      const apps = litmusWorkloads(ctx, app);
      const perc = num('APP_AFFECTED_PERC', 0);
      if (perc > 100) fail(`${path}.spec.components.env.APP_AFFECTED_PERC`, 'must be a percentage 0..100');
      const n = Math.min(apps.length, Math.max(1, Math.floor((perc * apps.length) / 100)));
      const pool = [...apps];
      const picked = n >= pool.length ? pool : Array.from({ length: n }, () => pool.splice(nextInt(ctx.rng, pool.length), 1)[0]!).sort((a, b) => cmp(workloadKey(a), workloadKey(b)));
      for (const w of picked) push(ctx, 'replica-scale', at, workloadKey(w), { replicas, durationSeconds: duration }, title(`scales ${workloadKey(w)} to ${replicas} replicas`));
      return;
    }
    const targets = litmusTargets(ctx, app, env, num);
    const interval = Math.max(1, Math.round(num('CHAOS_INTERVAL', exp.name === 'pod-delete' ? 5 : 10, 1)));
    const toxicity = num('TOXICITY', 100) / 100;
    const net = (latencyMs: number, errorShare: number, what: string) => {
      for (const p of targets) {
        const share = p.count / Math.max(1, p.workload.replicas);
        push(ctx, 'network-chaos', at, workloadKey(p.workload), { latencyMs, errorRate: round(Math.min(1, errorShare * share)), durationSeconds: duration, action: `LitmusChaos ${exp.name}` }, title(`${what} ${workloadKey(p.workload)}`));
      }
    };
    switch (exp.name) {
      case 'pod-delete':
      case 'container-kill': {
        if (exp.name === 'container-kill') ctx.notes.push(`${ctx.label}: container-kill is mapped to pod-kill, the nearest catalog kind (a real container-kill restarts the container in place)`);
        const force = (env.get('FORCE') ?? 'true').toLowerCase() === 'true';
        for (let k = 0; k * interval < duration; k++) {
          for (const p of targets) push(ctx, 'pod-kill', at + k * interval, workloadKey(p.workload), { count: p.count, gracePeriodSeconds: exp.name === 'pod-delete' && !force ? 30 : 0 }, title(`of ${workloadKey(p.workload)}`));
        }
        return;
      }
      case 'pod-cpu-hog':
        for (const p of targets) push(ctx, 'cpu-hog', at, workloadKey(p.workload), { millicores: Math.max(1, Math.round(num('CPU_CORES', 1) * num('CPU_LOAD', 100) * 10)), durationSeconds: duration, action: 'LitmusChaos pod-cpu-hog' }, title(`in ${workloadKey(p.workload)}`));
        return;
      case 'pod-io-stress': {
        // litmus-go pod-io-stress runs stress-ng --io/--hdd workers on the container's filesystem; the sim
        // has no disk, so the nearest visible effect is the CPU those workers take (about a quarter core
        // each: they mostly wait on I/O), which slows the Pods' requests.
        const mount = env.get('VOLUME_MOUNT_PATH') ?? '';
        // A mount path: the workers write there instead; the targets must mount it (as for IOChaos volumePath).
        if (mount.trim() !== '' && !ctx.cluster.anyMatch) {
          const unmounted = targets.filter((p) => !mountsPath(p.workload, mount.trim(), undefined));
          if (unmounted.length > 0) fail(`${path}.spec.components.env.VOLUME_MOUNT_PATH`, `"${mount}": no target Pod mounts it (${unmounted.map((p) => workloadKey(p.workload)).join(', ')}); leave it empty to stress the container's own filesystem`);
        }
        const workers = Math.max(1, Math.round(num('NUMBER_OF_WORKERS', 4, 1)));
        for (const p of targets) push(ctx, 'cpu-hog', at, workloadKey(p.workload), { millicores: workers * 250, durationSeconds: duration, action: 'LitmusChaos pod-io-stress' }, title(`in ${workloadKey(p.workload)}`));
        ctx.notes.push(`${ctx.label}: pod-io-stress is mapped to cpu-hog, the nearest catalog kind (${workers} stress-ng I/O workers x 250m: the sim has no disk I/O model)`);
        return;
      }
      case 'pod-memory-hog':
        for (const p of targets) {
          const stress = num('MEMORY_CONSUMPTION', 500, 1) * (1e6 / 1048576) * Math.max(1, num('NUMBER_OF_WORKERS', 1, 1));
          const baseMiB = p.workload.memoryMiB > 0 ? 0.6 * p.workload.memoryMiB : 64;
          push(ctx, 'memory-leak', at, workloadKey(p.workload), { growthMiBPerSec: round(stress / 10), plateauMiB: Math.round(baseMiB + stress) }, title(`in ${workloadKey(p.workload)}`));
        }
        ctx.notes.push(`${ctx.label}: pod-memory-hog is mapped to memory-leak (the sim's leak lasts until the memory limit is raised)`);
        return;
      case 'pod-network-latency':
        return net(num('NETWORK_LATENCY', 2000), 0, 'latency on');
      case 'pod-network-loss':
        return net(0, num('NETWORK_PACKET_LOSS_PERCENTAGE', 100) / 100, 'packet loss on');
      case 'pod-network-corruption':
        return net(0, num('NETWORK_PACKET_CORRUPTION_PERCENTAGE', 100) / 100, 'packet corruption on');
      case 'pod-network-duplication':
        return net(0, num('NETWORK_PACKET_DUPLICATION_PERCENTAGE', 100) / 100, 'packet duplication on');
      case 'pod-network-partition':
        ctx.notes.push(`${ctx.label}: pod-network-partition fails every request the selected Pods serve (POLICY_TYPES and peers are not modelled)`);
        return net(0, 1, 'partition of');
      case 'pod-dns-error':
      case 'pod-dns-spoof':
        return net(0, 1, 'DNS errors in');
      case 'pod-http-latency':
        return net(num('LATENCY', 2000) * toxicity, 0, 'HTTP latency on');
      case 'pod-http-status-code': {
        const code = num('STATUS_CODE', 500);
        if (code < 400) fail(`${path}.spec.components.env.STATUS_CODE`, `${NOT_SUPPORTED}: status ${code} (only 4xx/5xx answers count against the SLI)`);
        return net(0, toxicity, `HTTP ${code} from`);
      }
      case 'pod-http-reset-peer':
        return net(0, toxicity, 'HTTP connection resets on');
    }
  });
}

function litmusTargets(ctx: Ctx, given: Required<AppInfo>, env: Map<string, string>, num: (n: string, d: number, min?: number) => number): Picked[] {
  const workloads = litmusWorkloads(ctx, given);
  const total = workloads.reduce((s, w) => s + w.replicas, 0);
  const perc = num('PODS_AFFECTED_PERC', 0);
  if (perc > 100) fail('spec.experiments.env.PODS_AFFECTED_PERC', 'must be a percentage 0..100');
  // litmus-go: max(1, floor(perc x n / 100)) Pods; 0 or empty: one Pod.
  const n = Math.min(total, Math.max(1, Math.floor((perc * total) / 100)));
  return spread(ctx, workloads, n);
}

/**
 * The Deployments a ChaosEngine's `appinfo` selects (`applabel` `k=v[,k=v]` in `appns`, `appkind`
 * deployment), sorted by key.
 * @throws FieldError naming `spec.appinfo.*` (empty label, other appkind, nothing matches).
 */
function litmusWorkloads(ctx: Ctx, given: Required<AppInfo>): ChaosWorkload[] {
  let app = given;
  if (app.applabel === '' && ctx.cluster.anyMatch) app = { ...app, applabel: 'app=selected' };
  if (app.applabel === '') fail('spec.appinfo.applabel', 'empty: fill it in the scenario (chaos[].appinfo.applabel) or with --applabel app=<name>');
  const kind = app.appkind === '' ? 'deployment' : app.appkind.toLowerCase();
  if (kind !== 'deployment') fail('spec.appinfo.appkind', `${NOT_SUPPORTED}: appkind ${app.appkind} (the sim's incidents target Deployments)`);
  const labels: Record<string, string> = Object.create(null);
  for (const part of app.applabel.split(',')) {
    const [k, v] = part.split('=');
    if (!k || v === undefined) fail('spec.appinfo.applabel', `must be key=value (e.g. app=nginx), got "${app.applabel}"`);
    labels[k.trim()] = v.trim();
  }
  const ns = app.appns === '' ? 'default' : app.appns;
  return matchingWorkloads(ctx, { namespaces: [ns], labelSelectors: labels }, 'spec.appinfo', ns);
}

function litmusNode(ctx: Ctx, env: Map<string, string>, path: string): string {
  const named = (env.get('TARGET_NODE') ?? env.get('TARGET_NODES') ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (ctx.cluster.anyMatch) return named[0] ?? 'any-node';
  if (named.length > 0) {
    const node = named[0]!;
    if (!ctx.cluster.nodes.includes(node)) fail(`${path}.spec.components.env.TARGET_NODE`, `no Node "${node}" in the cluster (Nodes: ${ctx.cluster.nodes.join(', ')})`);
    return node;
  }
  if (ctx.cluster.nodes.length === 0) fail(`${path}.spec.components.env.TARGET_NODE`, 'the cluster has no Node');
  const node = ctx.cluster.nodes[nextInt(ctx.rng, ctx.cluster.nodes.length)]!;
  ctx.notes.push(`${ctx.label}: TARGET_NODE is empty: Node ${node} was picked with the match's seeded PRNG`);
  return node;
}
