/**
 * Loads Kubernetes YAML (what `kubectl apply -f` takes) into the Deployments, other workloads
 * (ReplicaSet, ReplicationController, StatefulSet, DaemonSet) and Services the sim runs: multi-document
 * streams (`---`), empty documents ignored, `kind: List` expanded; HorizontalPodAutoscaler, Job, CronJob,
 * ResourceQuota, LimitRange, PodDisruptionBudget and bare Pods loaded for the sim; PriorityClass loaded and
 * applied to the stream's pod templates (`priorityClassName` -> `priority`, ./priority.ts); (issue 6)
 * ConfigMap and Secret loaded with their data (`configs`, ./configs.ts); Namespace validated and accepted
 * with a note (not simulated yet; PVC names are kept in `configObjects`); kinds that do not affect the simulation
 * (ServiceAccount, RBAC, Ingress, StorageClass, PVC...) ignored with a note; unknown kinds skipped with a warning, every problem reported with its document number, object, field path and line.
 *
 * Validation follows the API server (see schemas.ts and checks.ts for sources); unknown fields are
 * ignored. Defaults are *not* applied (the sim applies pkg/apis/apps/v1/defaults.go).
 *
 * Pure: parses the text it is given (yaml package); no I/O.
 */
import { LineCounter, parseAllDocuments } from 'yaml';
import type { Document } from 'yaml';
import type { z } from 'zod';
import type { ConfigObjects, PodManifest, CronJobManifest, JobManifest, PolicyManifest, PriorityClassManifest, ConfigManifest } from '../sim/types.ts';
import { POLICY_KINDS, parsePolicy } from './policies.ts';
import type { DeploymentManifest, HorizontalPodAutoscalerManifest, HpaMetricSpec, PersistentVolumeClaimTemplate, ServiceManifest, WorkloadManifest } from '../sim/types.ts';
import { ACCEPTED_KINDS, AcceptedObjectSchema, DaemonSetSchema, PersistentVolumeClaimSchema, DeploymentSchema, IGNORED_KINDS, PodSchema, ReplicaSetSchema, ReplicationControllerSchema, ServiceSchema, StatefulSetSchema } from './schemas.ts';
import type { DeploymentInput, ServiceInput, WorkloadInput } from './schemas.ts';
import { CronJobSchema, HorizontalPodAutoscalerSchema, JobSchema } from './schemas.ts';
import type { CronJobInput, JobInput } from './schemas.ts';
import { parseCron, timeZoneError } from '../sim/cron.ts';
import type { HorizontalPodAutoscalerInput } from './schemas.ts';
import { checkDeployment, checkService } from './checks.ts';
import { parseConfig } from './configs.ts';
import { PriorityClassSchema, resolvePriority, type PriorityClassInfo, type PriorityFields } from './priority.ts';
import type { Finding } from './checks.ts';

/** One problem in a manifest file. */
export interface ManifestError {
  /** 1-based position of the YAML document in the stream (empty documents count). */
  document: number;
  kind?: string;
  name?: string;
  /** Field path inside the object, e.g. `spec.template.spec.containers[0].resources.limits.memory`; '' for the whole document. */
  path: string;
  message: string;
  /** 1-based line (and column) in the text, when known. */
  line?: number;
  column?: number;
}

/** What a manifest text holds for the sim. */
export interface LoadedManifests {
  /** In document order; a later definition of the same namespace/name replaces an earlier one. */
  deployments: DeploymentManifest[];
  /** ReplicaSets, ReplicationControllers, StatefulSets, DaemonSets (same rules as `deployments`). */
  workloads: WorkloadManifest[];
  services: ServiceManifest[];
  /**
   * (added) HorizontalPodAutoscalers (autoscaling/v2; v1's `targetCPUUtilizationPercentage` converted to a
   * cpu Utilization metric), same rules as `deployments`. Only Resource metrics (cpu, memory) are
   * simulated; other metric types are dropped with a warning.
   */
  autoscalers?: HorizontalPodAutoscalerManifest[];
  /** (added) batch/v1 Jobs and CronJobs (template restartPolicy Never or OnFailure; a CronJob's schedule parsed). */
  jobs?: JobManifest[];
  cronJobs?: CronJobManifest[];
  /**
   * (added) ResourceQuotas, LimitRanges and PodDisruptionBudgets (./policies.ts), in document order:
   * simulated (quota and LimitRange admission on Pod creates, budgets on evictions).
   */
  policies?: PolicyManifest[];
  /** (added, issue 6) PriorityClasses (scheduling.k8s.io/v1), in document order: stored as objects by the sim. */
  priorityClasses?: PriorityClassManifest[];
  /** (added) Bare Pods (`kind: Pod`, v1), same rules as `deployments`. */
  pods?: PodManifest[];
  /**
   * (added) `namespace/name` keys (sorted, namespace `default` when unset) of the PersistentVolumeClaims
   * defined (the ConfigMap and Secret lists stay empty: those are in `configs`). Absent when none.
   */
  configObjects?: ConfigObjects;
  /** (added) PersistentVolumeClaims (a later one with the same key replaces the earlier). Absent when none. */
  persistentVolumeClaims?: PersistentVolumeClaimTemplate[];
  /**
   * (added, issue 6) The ConfigMaps and Secrets, in document order, with their data (./configs.ts): the
   * sim stores them and resolves Pods' `envFrom`, `env.valueFrom` and volumes against them.
   */
  configs?: ConfigManifest[];
  /** Skipped kinds, ignored fields, suspicious values. Prefixed with the source when one was given. */
  warnings: string[];
  /** Objects with errors are left out of `deployments`/`services`. */
  errors: ManifestError[];
}

/** Kubernetes API versions of Deployment removed in v1.16 (kubernetes CHANGELOG-1.16, "Deprecations and Removals"). */
const REMOVED_DEPLOYMENT_VERSIONS = ['extensions/v1beta1', 'apps/v1beta1', 'apps/v1beta2'];

/** Formats a path like the API server: `spec.containers[0].image`, `metadata.annotations["a.b/c"]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(String(p))) out += (out ? '.' : '') + String(p);
    else out += `[${JSON.stringify(String(p))}]`;
  }
  return out;
}

/**
 * One line per error, e.g. `manifests.yaml: document 3 (Deployment "cartservice"):
 * spec.template.spec.containers[0].resources.limits.memory: invalid quantity "12x": ... (line 42)`.
 */
export function formatManifestError(e: ManifestError, source?: string): string {
  const what = e.kind ? ` (${e.kind}${e.name ? ` ${JSON.stringify(e.name)}` : ''})` : '';
  const where = e.line !== undefined ? ` (line ${e.line}${e.column !== undefined ? `, column ${e.column}` : ''})` : '';
  return `${source ? `${source}: ` : ''}document ${e.document}${what}: ${e.path ? `${e.path}: ` : ''}${e.message}${where}`;
}

/**
 * The first line of a `yaml` parse error without the package's ` at line N, column M:` suffix (callers
 * print the position themselves, from `error.linePos`).
 */
export function yamlErrorText(error: { message: string }): string {
  return (error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Drops `undefined` members recursively so the result is plain JSON (no missing-vs-undefined games). */
function prune<T>(v: T): T {
  if (Array.isArray(v)) return v.map(prune) as T;
  if (isPlainObject(v)) {
    const out: Record<string, unknown> = Object.create(null);
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = prune(x);
    return out as T;
  }
  return v;
}

function toDeploymentManifest(d: DeploymentInput): DeploymentManifest {
  const { paused: _paused, ...spec } = d.spec;
  return prune({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: d.metadata,
    spec: {
      ...spec,
      // DeploymentStrategy.type is required in the sim's model; Kubernetes defaults it to RollingUpdate.
      strategy: spec.strategy ? { ...spec.strategy, type: spec.strategy.type ?? 'RollingUpdate' } : undefined,
      selector: { matchLabels: d.spec.selector.matchLabels ?? {} },
      template: {
        metadata: { labels: d.spec.template.metadata?.labels ?? {}, annotations: d.spec.template.metadata?.annotations },
        spec: {
          ...d.spec.template.spec,
          containers: d.spec.template.spec.containers.map((c) => ({
            ...c,
            env: c.env?.map((e) => ({ name: e.name, value: e.value, valueFrom: e.valueFrom })),
          })),
          initContainers: d.spec.template.spec.initContainers?.map((c) => ({
            ...c,
            env: c.env?.map((e) => ({ name: e.name, value: e.value, valueFrom: e.valueFrom })),
          })),
        },
      },
    },
  });
}

/** The pod-owning kinds besides Deployment, with their schema and apiVersion. */
const WORKLOAD_SCHEMAS: Readonly<Record<WorkloadManifest['kind'], { schema: z.ZodType; apiVersion: string }>> = {
  ReplicaSet: { schema: ReplicaSetSchema, apiVersion: 'apps/v1' },
  ReplicationController: { schema: ReplicationControllerSchema, apiVersion: 'v1' },
  StatefulSet: { schema: StatefulSetSchema, apiVersion: 'apps/v1' },
  DaemonSet: { schema: DaemonSetSchema, apiVersion: 'apps/v1' },
};

/**
 * A workload seen as a Deployment for the shared checks and template conversion: its selector as
 * `matchLabels` (a ReplicationController's map selector, defaulted to the template labels as
 * SetDefaults_ReplicationController does).
 */
function asDeploymentInput(w: WorkloadInput): DeploymentInput {
  const sel = w.spec.selector;
  const tplLabels = w.spec.template.metadata?.labels ?? {};
  const matchLabels = w.kind === 'ReplicationController'
    ? (sel && Object.keys(sel).length > 0 ? (sel as Record<string, string>) : tplLabels)
    : ((sel as { matchLabels?: Record<string, string> }).matchLabels ?? {});
  const matchExpressions = w.kind === 'ReplicationController' ? undefined : (sel as { matchExpressions?: unknown[] }).matchExpressions;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: w.metadata,
    spec: { selector: { matchLabels, matchExpressions }, template: w.spec.template, minReadySeconds: w.spec.minReadySeconds },
  } as DeploymentInput;
}

/** (added) A parsed PersistentVolumeClaim as the sim's claim template (the storage request as a string). */
function toClaimTemplate(c: z.output<typeof PersistentVolumeClaimSchema>): PersistentVolumeClaimTemplate {
  return prune({
    metadata: { name: c.metadata.name, namespace: c.metadata.namespace, labels: c.metadata.labels, annotations: c.metadata.annotations },
    spec: { accessModes: c.spec.accessModes, storage: String(c.spec.resources.requests.storage), storageClassName: c.spec.storageClassName, volumeMode: c.spec.volumeMode },
  });
}

function toWorkloadManifest(w: WorkloadInput): WorkloadManifest {
  const d = toDeploymentManifest(asDeploymentInput(w));
  const spec: WorkloadManifest['spec'] = { selector: d.spec.selector, template: d.spec.template };
  if (w.kind !== 'DaemonSet' && w.spec.replicas !== undefined) spec.replicas = w.spec.replicas;
  if (w.spec.minReadySeconds !== undefined) spec.minReadySeconds = w.spec.minReadySeconds;
  if ((w.kind === 'StatefulSet' || w.kind === 'DaemonSet') && w.spec.revisionHistoryLimit !== undefined) spec.revisionHistoryLimit = w.spec.revisionHistoryLimit;
  if (w.kind === 'StatefulSet') {
    if (w.spec.serviceName !== undefined) spec.serviceName = w.spec.serviceName;
    if (w.spec.podManagementPolicy !== undefined) spec.podManagementPolicy = w.spec.podManagementPolicy;
    const u = w.spec.updateStrategy;
    if (u !== undefined) spec.updateStrategy = prune({ type: u.type, rollingUpdate: u.rollingUpdate?.partition !== undefined ? { partition: u.rollingUpdate.partition } : undefined });
    if (w.spec.volumeClaimTemplates?.length) spec.volumeClaimTemplates = w.spec.volumeClaimTemplates.map(toClaimTemplate);
    if (w.spec.persistentVolumeClaimRetentionPolicy !== undefined) spec.persistentVolumeClaimRetentionPolicy = prune({ ...w.spec.persistentVolumeClaimRetentionPolicy });
  }
  if (w.kind === 'DaemonSet') {
    const u = w.spec.updateStrategy;
    if (u !== undefined) spec.updateStrategy = prune({ type: u.type, rollingUpdate: u.rollingUpdate?.maxUnavailable !== undefined || u.rollingUpdate?.maxSurge !== undefined ? prune({ maxUnavailable: u.rollingUpdate.maxUnavailable, maxSurge: u.rollingUpdate.maxSurge }) : undefined });
  }
  return prune({ apiVersion: w.kind === 'ReplicationController' ? 'v1' : 'apps/v1', kind: w.kind, metadata: d.metadata, spec });
}

function toServiceManifest(s: ServiceInput): ServiceManifest {
  return prune({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: s.metadata,
    spec: { type: s.spec?.type, selector: s.spec?.selector, ports: s.spec?.ports ?? [] },
  });
}

/**
 * Parses and validates a manifest stream.
 *
 * @param yamlText the file's text (YAML or JSON).
 * @param opts.source file name used to prefix warnings (errors carry it via {@link formatManifestError}).
 * @returns the Deployments and Services that passed validation, warnings and errors. Never throws on bad
 * input: every problem is an entry in `errors`.
 */
export function loadManifests(yamlText: string, opts: { source?: string } = {}): LoadedManifests {
  const out: LoadedManifests = { deployments: [], workloads: [], services: [], autoscalers: [], jobs: [], cronJobs: [], warnings: [], errors: [] };
  const prefix = opts.source ? `${opts.source}: ` : '';
  const lineCounter = new LineCounter();
  const parsed = parseAllDocuments(yamlText, { lineCounter, merge: true, prettyErrors: true, uniqueKeys: true });
  const docs = Array.isArray(parsed) ? parsed : [];
  const defined = new Map<string, number>();
  const priorityClasses = new Map<string, PriorityClassInfo>();
  /** Document of each loaded workload (for the Priority admission's errors). */
  const docOf = new Map<object, number>();
  const loadedObjects = (): object[] => [...out.deployments, ...out.workloads, ...(out.jobs ?? []), ...(out.cronJobs ?? [])];

  docs.forEach((doc, i) => {
    const before = new Set(loadedObjects());
    handleDocument(doc, i);
    for (const o of loadedObjects()) if (!before.has(o)) docOf.set(o, i + 1);
  });
  // The Priority admission plugin, once every PriorityClass of the stream is known.
  for (const o of loadedObjects()) {
    const spec = templateSpecOf(o);
    if (!spec) continue;
    const msg = resolvePriority(spec, priorityClasses);
    const meta = (o as { kind?: string; metadata: { name: string } }).metadata;
    // A warning, not an error: the class may exist in the cluster already (a later `kubectl apply` of one
    // Deployment), and a real cluster stores the workload anyway (its Pods are what admission refuses).
    if (msg) out.warnings.push(`${prefix}document ${docOf.get(o) ?? 0} (${(o as { kind?: string }).kind ?? 'Deployment'} ${JSON.stringify(meta.name)}): ${(o as { kind?: string }).kind === 'CronJob' ? 'spec.jobTemplate.spec.template.spec.priorityClassName' : 'spec.template.spec.priorityClassName'}: ${msg} in this manifest stream: its Pods are refused (FailedCreate) until the class exists`);
  }
  return out;

  function handleDocument(doc: (typeof docs)[number], i: number): void {
    const docNo = i + 1;
    if (doc.errors.length > 0) {
      for (const err of doc.errors) {
        const pos = err.linePos?.[0];
        out.errors.push(prune({ document: docNo, path: '', message: `YAML syntax error: ${yamlErrorText(err)}`, line: pos?.line, column: pos?.col }));
      }
      return;
    }
    const value: unknown = doc.toJS({ maxAliasCount: 1000 });
    if (value === null || value === undefined) return; // empty document
    const lineOf = (path: readonly PropertyKey[]) => lineOfPath(doc, lineCounter, path);
    if (!isPlainObject(value)) {
      out.errors.push({ document: docNo, path: '', message: `not a Kubernetes object: expected a mapping with apiVersion and kind, got ${Array.isArray(value) ? 'a list' : typeof value}`, line: lineOf([]) });
      return;
    }
    if (value.kind === 'List' && Array.isArray(value.items)) {
      value.items.forEach((item: unknown, j: number) => handleObject(item, docNo, ['items', j], lineOf));
      return;
    }
    handleObject(value, docNo, [], lineOf);
  }

  /** A bare Pod: validated like a Deployment's template (its spec fields and checks), converted the same way. */
  function handlePod(obj: Record<string, unknown>, name: string | undefined, label: string, err: (path: readonly PropertyKey[], message: string, kind?: string, name?: string) => void, docNo: number): void {
    if (obj.apiVersion !== 'v1') {
      err(['apiVersion'], `${obj.apiVersion === undefined ? 'Required value' : `unsupported apiVersion ${JSON.stringify(obj.apiVersion)} for Pod`}: use apiVersion: v1`, 'Pod', name);
      return;
    }
    const r = PodSchema.safeParse(obj);
    if (!r.success) {
      for (const issue of r.error.issues) err(issue.path, issue.message, 'Pod', name);
      return;
    }
    const p = r.data;
    const labels = p.metadata.labels ?? {};
    const asDeployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: p.metadata, spec: { selector: { matchLabels: labels }, template: { metadata: { labels, annotations: p.metadata.annotations }, spec: p.spec } } } as unknown as DeploymentInput;
    const checked = checkDeployment(asDeployment);
    // The template rules of checks.ts apply to the Pod's spec (not the Deployment-only restartPolicy Always rule).
    const fromTemplate = (f: Finding) => f.path[0] === 'spec' && f.path[1] === 'template' && f.path[2] === 'spec' && f.path[3] !== 'restartPolicy';
    for (const f of checked.warnings.filter(fromTemplate)) out.warnings.push(`${prefix}document ${docNo} (${label}): ${formatPath(['spec', ...f.path.slice(3)])}: ${f.message}`);
    const errors = checked.errors.filter(fromTemplate);
    if (errors.length > 0) {
      for (const f of errors) err(['spec', ...f.path.slice(3)], f.message, 'Pod', name);
      return;
    }
    const key = `Pod/${p.metadata.namespace ?? ''}/${p.metadata.name}`;
    const list = (out.pods ??= []);
    const firstDoc = defined.get(key);
    if (firstDoc !== undefined) {
      out.warnings.push(`${prefix}document ${docNo}: ${label} is defined again (first in document ${firstDoc}); the later definition wins, as with kubectl apply`);
      list.splice(list.findIndex((o) => `Pod/${o.metadata.namespace ?? ''}/${o.metadata.name}` === key), 1);
    }
    defined.set(key, docNo);
    list.push(prune({ apiVersion: 'v1', kind: 'Pod', metadata: p.metadata, template: toDeploymentManifest(asDeployment).spec.template }));
  }

  /** Records a ConfigMap / Secret / PVC key (sorted, no duplicates). */
  function noteConfig(field: keyof ConfigObjects, key: string): void {
    const c = (out.configObjects ??= { configMaps: [], secrets: [], persistentVolumeClaims: [] });
    if (!c[field].includes(key)) c[field] = [...c[field], key].sort();
  }

  function handleObject(obj: unknown, docNo: number, base: (string | number)[], lineOf: (p: readonly PropertyKey[]) => number | undefined): void {
    const err = (path: readonly PropertyKey[], message: string, kind?: string, name?: string) =>
      out.errors.push(prune({ document: docNo, kind, name, path: formatPath([...base, ...path]), message, line: lineOf([...base, ...path]) }));
    if (!isPlainObject(obj)) {
      err([], 'not a Kubernetes object: expected a mapping with apiVersion and kind');
      return;
    }
    const kind = typeof obj.kind === 'string' ? obj.kind : undefined;
    const meta = obj.metadata;
    const name = isPlainObject(meta) && typeof meta.name === 'string' ? meta.name : undefined;
    if (!kind) {
      err(['kind'], 'Required value: every object needs apiVersion and kind', undefined, name);
      return;
    }
    const label = `${kind}${name ? ` ${JSON.stringify(name)}` : ''}`;
    if (kind === 'HorizontalPodAutoscaler') {
      handleAutoscaler(obj, name, label, err, docNo);
      return;
    }
    if (kind === 'Job' || kind === 'CronJob') {
      handleBatch(obj, kind, name, label, err, docNo);
      return;
    }
    if (kind === 'Pod') {
      handlePod(obj, name, label, err, docNo);
      return;
    }
    if (Object.hasOwn(POLICY_KINDS, kind)) {
      const pk = kind as PolicyManifest['kind'];
      if (obj.apiVersion !== POLICY_KINDS[pk]) {
        err(['apiVersion'], `${obj.apiVersion === undefined ? 'Required value' : `unsupported apiVersion ${JSON.stringify(obj.apiVersion)} for ${kind}`}: use apiVersion: ${POLICY_KINDS[pk]}`, kind, name);
        return;
      }
      const r = parsePolicy(pk, obj);
      for (const w of r.warnings) out.warnings.push(`${prefix}document ${docNo} (${label}): ${w}`);
      if (!r.manifest) {
        for (const e of r.errors) err(e.path, e.message, kind, name);
        return;
      }
      (out.policies ??= []).push(r.manifest);
      return;
    }
    if (kind === 'ConfigMap' || kind === 'Secret') {
      // (issue 6) stored with their data: the kubelet resolves envFrom, valueFrom and volumes against them
      if (obj.apiVersion !== 'v1') {
        err(['apiVersion'], `${obj.apiVersion === undefined ? 'Required value' : `unsupported apiVersion ${JSON.stringify(obj.apiVersion)} for ${kind}`}: use apiVersion: v1`, kind, name);
        return;
      }
      const r = parseConfig(kind, obj);
      if (!r.manifest) {
        for (const e of r.errors) err(e.path, e.message, kind, name);
        return;
      }
      const m = r.manifest;
      const list = (out.configs ??= []);
      const key = `${kind}/${m.metadata.namespace ?? 'default'}/${m.metadata.name}`;
      const firstDoc = defined.get(key);
      if (firstDoc !== undefined) {
        out.warnings.push(`${prefix}document ${docNo}: ${label} is defined again (first in document ${firstDoc}); the later definition wins, as with kubectl apply`);
        list.splice(list.findIndex((o) => `${o.kind}/${o.metadata.namespace ?? 'default'}/${o.metadata.name}` === key), 1);
      }
      defined.set(key, docNo);
      list.push(m);
      return;
    }
    const nsOf = () => (isPlainObject(meta) && typeof meta.namespace === 'string' ? meta.namespace : 'default');
    if (kind === 'PersistentVolumeClaim' && name) noteConfig('persistentVolumeClaims', `${nsOf()}/${name}`);
    if (kind === 'PersistentVolumeClaim') {
      // (added) Claims are stored (Bound) by the sim: ../sim/kinds/pvc.ts.
      if (obj.apiVersion !== 'v1') {
        err(['apiVersion'], `${obj.apiVersion === undefined ? 'Required value' : `unsupported apiVersion ${JSON.stringify(obj.apiVersion)} for ${kind}`}: use apiVersion: v1`, kind, name);
        return;
      }
      const r = PersistentVolumeClaimSchema.safeParse(obj);
      if (!r.success) {
        for (const issue of r.error.issues) err(issue.path, issue.message, kind, name);
        return;
      }
      const list = (out.persistentVolumeClaims ??= []);
      const key = `${r.data.metadata.namespace ?? 'default'}/${r.data.metadata.name}`;
      const i = list.findIndex((c) => `${c.metadata.namespace ?? 'default'}/${c.metadata.name}` === key);
      if (i >= 0) list.splice(i, 1);
      list.push(toClaimTemplate(r.data));
      return;
    }
    if (IGNORED_KINDS.has(kind)) {
      out.warnings.push(`${prefix}document ${docNo}: ignored ${label} (does not affect the simulation)`);
      return;
    }
    if (kind === 'PriorityClass') {
      const r = PriorityClassSchema.safeParse(obj);
      if (!r.success) {
        for (const issue of r.error.issues) err(issue.path, issue.message, kind, name);
        return;
      }
      const pc = r.data;
      if (pc.metadata.name.startsWith('system-')) {
        err(['metadata', 'name'], 'Forbidden: priority class names with \'system-\' prefix are reserved for system use only', kind, name);
        return;
      }
      if (priorityClasses.has(pc.metadata.name)) {
        err(['metadata', 'name'], `Duplicate value: a PriorityClass "${pc.metadata.name}" is defined twice`, kind, name);
        return;
      }
      priorityClasses.set(pc.metadata.name, { name: pc.metadata.name, value: pc.value, globalDefault: pc.globalDefault ?? false, preemptionPolicy: pc.preemptionPolicy ?? 'PreemptLowerPriority' });
      // Stored by the sim as objects too (`kubectl get priorityclasses`), so its Pod admission finds them.
      (out.priorityClasses ??= []).push({
        name: pc.metadata.name,
        value: pc.value,
        ...(pc.globalDefault !== undefined ? { globalDefault: pc.globalDefault } : {}),
        ...(pc.preemptionPolicy !== undefined ? { preemptionPolicy: pc.preemptionPolicy } : {}),
        ...(pc.description !== undefined ? { description: pc.description } : {}),
        ...(pc.metadata.labels ? { labels: pc.metadata.labels } : {}),
        ...(pc.metadata.annotations ? { annotations: pc.metadata.annotations } : {}),
      });
      return;
    }
    const accepted = ACCEPTED_KINDS[kind];
    if (accepted && Object.hasOwn(ACCEPTED_KINDS, kind)) {
      if (!accepted.includes(String(obj.apiVersion))) {
        err(['apiVersion'], `${obj.apiVersion === undefined ? 'Required value' : `unsupported apiVersion ${JSON.stringify(obj.apiVersion)} for ${kind}`}: use apiVersion: ${accepted[0]}`, kind, name);
        return;
      }
      const r = AcceptedObjectSchema.safeParse(obj);
      if (!r.success) {
        for (const issue of r.error.issues) err(issue.path, issue.message, kind, name);
        return;
      }
      out.warnings.push(`${prefix}document ${docNo}: accepted ${label} (not simulated yet)`);
      return;
    }
    const workload = Object.hasOwn(WORKLOAD_SCHEMAS, kind) ? WORKLOAD_SCHEMAS[kind as WorkloadManifest['kind']] : undefined;
    if (workload) {
      handleWorkload(obj, kind as WorkloadManifest['kind'], workload, name, label, err, docNo, base);
      return;
    }
    if (kind !== 'Deployment' && kind !== 'Service') {
      out.warnings.push(`${prefix}document ${docNo}: skipped ${label} (kind not simulated yet)`);
      return;
    }
    const apiVersion = obj.apiVersion;
    const wanted = kind === 'Deployment' ? 'apps/v1' : 'v1';
    if (apiVersion !== wanted) {
      const removed = kind === 'Deployment' && REMOVED_DEPLOYMENT_VERSIONS.includes(String(apiVersion));
      err(['apiVersion'], apiVersion === undefined
        ? `Required value: use apiVersion: ${wanted}`
        : `${removed ? `${String(apiVersion)} Deployments were removed in Kubernetes 1.16` : `unsupported apiVersion ${JSON.stringify(apiVersion)} for ${kind}`}: use apiVersion: ${wanted}`, kind, name);
      return;
    }
    const schema: z.ZodType = kind === 'Deployment' ? DeploymentSchema : ServiceSchema;
    const result = schema.safeParse(obj);
    if (!result.success) {
      for (const issue of result.error.issues) err(issue.path, issue.message, kind, name);
      return;
    }
    const checked = kind === 'Deployment' ? checkDeployment(result.data as DeploymentInput) : checkService(result.data as ServiceInput);
    const warn = (f: Finding) => out.warnings.push(`${prefix}document ${docNo} (${label}): ${formatPath([...base, ...f.path])}: ${f.message}`);
    checked.warnings.forEach(warn);
    if (checked.errors.length > 0) {
      for (const f of checked.errors) err(f.path, f.message, kind, name);
      return;
    }
    const key = `${kind}/${(meta as Record<string, unknown>).namespace ?? ''}/${name}`;
    const list: { metadata: { name: string; namespace?: string } }[] = kind === 'Deployment' ? out.deployments : out.services;
    const firstDoc = defined.get(key);
    if (firstDoc !== undefined) {
      out.warnings.push(`${prefix}document ${docNo}: ${label} is defined again (first in document ${firstDoc}); the later definition wins, as with kubectl apply`);
      const idx = list.findIndex((o) => `${kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}` === key);
      list.splice(idx, 1);
    }
    defined.set(key, docNo);
    if (kind === 'Deployment') out.deployments.push(toDeploymentManifest(result.data as DeploymentInput));
    else out.services.push(toServiceManifest(result.data as ServiceInput));
  }

  /** An HPA: validated (types first, then scaleTargetRef and min <= max), v1 converted, unsimulated metric types dropped with a warning. */
  function handleAutoscaler(
    obj: Record<string, unknown>,
    name: string | undefined,
    label: string,
    err: (path: readonly PropertyKey[], message: string, kind?: string, name?: string) => void,
    docNo: number,
  ): void {
    const kind = 'HorizontalPodAutoscaler';
    if (obj.apiVersion !== 'autoscaling/v2' && obj.apiVersion !== 'autoscaling/v1') {
      err(['apiVersion'], `${obj.apiVersion === undefined ? 'Required value' : `unsupported apiVersion ${JSON.stringify(obj.apiVersion)} for ${kind}`}: use apiVersion: autoscaling/v2`, kind, name);
      return;
    }
    const r = HorizontalPodAutoscalerSchema.safeParse(obj);
    if (!r.success) {
      for (const issue of r.error.issues) err(issue.path, issue.message, kind, name);
      return;
    }
    const h: HorizontalPodAutoscalerInput = r.data;
    if (!h.spec.scaleTargetRef) {
      err(['spec', 'scaleTargetRef'], 'Required value', kind, name);
      return;
    }
    if (h.spec.minReplicas !== undefined && h.spec.maxReplicas < h.spec.minReplicas) {
      err(['spec', 'maxReplicas'], `Invalid value: ${h.spec.maxReplicas}: must be greater than or equal to \`minReplicas\``, kind, name);
      return;
    }
    const metrics: HpaMetricSpec[] = [];
    if (h.apiVersion === 'autoscaling/v1') {
      if (h.spec.targetCPUUtilizationPercentage !== undefined) metrics.push({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: h.spec.targetCPUUtilizationPercentage } } });
    } else {
      (h.spec.metrics ?? []).forEach((m, i) => {
        const res = m.resource;
        const t = res?.target;
        if (m.type === 'Resource' && res && (res.name === 'cpu' || res.name === 'memory') && t && (t.type === 'Utilization' || t.type === 'AverageValue')) {
          metrics.push({ type: 'Resource', resource: { name: res.name, target: prune({ type: t.type, averageUtilization: t.averageUtilization, averageValue: t.averageValue }) } });
        } else {
          out.warnings.push(`${prefix}document ${docNo} (${label}): spec.metrics[${i}]: ${m.type}${res ? ` ${res.name}` : ''} metrics are not simulated; ignored`);
        }
      });
      if ((h.spec.metrics ?? []).length > 0 && metrics.length === 0) {
        out.warnings.push(`${prefix}document ${docNo}: skipped ${label} (none of its metrics is simulated: only Resource cpu and memory are)`);
        return;
      }
    }
    const ref = h.spec.scaleTargetRef;
    const m: HorizontalPodAutoscalerManifest = prune({
      apiVersion: 'autoscaling/v2',
      kind,
      metadata: h.metadata,
      spec: {
        scaleTargetRef: { apiVersion: ref.apiVersion, kind: ref.kind, name: ref.name },
        minReplicas: h.spec.minReplicas,
        maxReplicas: h.spec.maxReplicas,
        metrics: metrics.length > 0 ? metrics : undefined,
        behavior: h.spec.behavior as HorizontalPodAutoscalerManifest['spec']['behavior'],
      },
    });
    const key = `${kind}/${h.metadata.namespace ?? ''}/${h.metadata.name}`;
    const list = (out.autoscalers ??= []);
    const firstDoc = defined.get(key);
    if (firstDoc !== undefined) {
      out.warnings.push(`${prefix}document ${docNo}: ${label} is defined again (first in document ${firstDoc}); the later definition wins, as with kubectl apply`);
      list.splice(list.findIndex((o) => `${kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}` === key), 1);
    }
    defined.set(key, docNo);
    list.push(m);
  }

  /** A Job or CronJob: validated (restartPolicy Never/OnFailure, the cron schedule), template converted like a Deployment's. */
  function handleBatch(
    obj: Record<string, unknown>,
    kind: 'Job' | 'CronJob',
    name: string | undefined,
    label: string,
    err: (path: readonly PropertyKey[], message: string, kind?: string, name?: string) => void,
    docNo: number,
  ): void {
    if (obj.apiVersion !== 'batch/v1') {
      err(['apiVersion'], `${obj.apiVersion === undefined ? 'Required value' : `unsupported apiVersion ${JSON.stringify(obj.apiVersion)} for ${kind}`}: use apiVersion: batch/v1`, kind, name);
      return;
    }
    const r = (kind === 'Job' ? JobSchema : CronJobSchema).safeParse(obj);
    if (!r.success) {
      for (const issue of r.error.issues) err(issue.path, issue.message, kind, name);
      return;
    }
    const spec = kind === 'Job' ? (r.data as JobInput).spec : (r.data as CronJobInput).spec.jobTemplate.spec;
    const base = kind === 'Job' ? ['spec'] : ['spec', 'jobTemplate', 'spec'];
    const policy = spec.template.spec.restartPolicy ?? 'Always';
    if (policy !== 'Never' && policy !== 'OnFailure') {
      err([...base, 'template', 'spec', 'restartPolicy'], `Unsupported value: "${policy}": supported values: "OnFailure", "Never"`, kind, name);
      return;
    }
    if (kind === 'CronJob') {
      try {
        parseCron((r.data as CronJobInput).spec.schedule);
      } catch (e) {
        err(['spec', 'schedule'], `Invalid value: ${JSON.stringify((r.data as CronJobInput).spec.schedule)}: ${(e as Error).message}`, kind, name);
        return;
      }
      const zone = (r.data as CronJobInput).spec.timeZone;
      // K pkg/apis/batch/validation: validateTimeZone (`unknown time zone X`; "Local" is refused).
      const zoneError = zone === undefined ? null : timeZoneError(zone);
      if (zoneError !== null) {
        err(['spec', 'timeZone'], `Invalid value: ${JSON.stringify(zone)}: ${zoneError}`, kind, name);
        return;
      }
    }
    const meta = (r.data as JobInput | CronJobInput).metadata;
    const template = toDeploymentManifest({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta, spec: { selector: { matchLabels: {} }, template: spec.template } } as unknown as DeploymentInput).spec.template;
    const jobSpec: JobManifest['spec'] = prune({
      completions: spec.completions, parallelism: spec.parallelism, backoffLimit: spec.backoffLimit,
      activeDeadlineSeconds: spec.activeDeadlineSeconds, suspend: spec.suspend, template,
    });
    const key = `${kind}/${meta.namespace ?? ''}/${meta.name}`;
    const firstDoc = defined.get(key);
    const list: { metadata: { name: string; namespace?: string } }[] = kind === 'Job' ? (out.jobs ??= []) : (out.cronJobs ??= []);
    if (firstDoc !== undefined) {
      out.warnings.push(`${prefix}document ${docNo}: ${label} is defined again (first in document ${firstDoc}); the later definition wins, as with kubectl apply`);
      list.splice(list.findIndex((o) => `${kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}` === key), 1);
    }
    defined.set(key, docNo);
    if (kind === 'Job') {
      (out.jobs ??= []).push(prune({ apiVersion: 'batch/v1', kind: 'Job', metadata: meta, spec: jobSpec }));
    } else {
      const c = (r.data as CronJobInput).spec;
      (out.cronJobs ??= []).push(prune({
        apiVersion: 'batch/v1', kind: 'CronJob', metadata: meta,
        spec: {
          schedule: c.schedule, timeZone: c.timeZone, concurrencyPolicy: c.concurrencyPolicy, suspend: c.suspend,
          successfulJobsHistoryLimit: c.successfulJobsHistoryLimit, failedJobsHistoryLimit: c.failedJobsHistoryLimit,
          startingDeadlineSeconds: c.startingDeadlineSeconds,
          jobTemplate: { metadata: c.jobTemplate.metadata, spec: jobSpec },
        },
      }));
    }
  }

  function handleWorkload(
    obj: Record<string, unknown>,
    kind: WorkloadManifest['kind'],
    def: { schema: z.ZodType; apiVersion: string },
    name: string | undefined,
    label: string,
    err: (path: readonly PropertyKey[], message: string, kind?: string, name?: string) => void,
    docNo: number,
    base: (string | number)[],
  ): void {
    if (obj.apiVersion !== def.apiVersion) {
      err(['apiVersion'], `${obj.apiVersion === undefined ? 'Required value' : `unsupported apiVersion ${JSON.stringify(obj.apiVersion)} for ${kind}`}: use apiVersion: ${def.apiVersion}`, kind, name);
      return;
    }
    const result = def.schema.safeParse(obj);
    if (!result.success) {
      for (const issue of result.error.issues) err(issue.path, issue.message, kind, name);
      return;
    }
    const w = result.data as WorkloadInput;
    const checked = checkDeployment(asDeploymentInput(w));
    checked.warnings.forEach((f) => out.warnings.push(`${prefix}document ${docNo} (${label}): ${formatPath([...base, ...f.path])}: ${f.message}`));
    if (checked.errors.length > 0) {
      for (const f of checked.errors) err(f.path, f.message.replace('for deployment', `for ${kind.toLowerCase()}`), kind, name);
      return;
    }
    const key = `${kind}/${w.metadata.namespace ?? ''}/${w.metadata.name}`;
    const firstDoc = defined.get(key);
    if (firstDoc !== undefined) {
      out.warnings.push(`${prefix}document ${docNo}: ${label} is defined again (first in document ${firstDoc}); the later definition wins, as with kubectl apply`);
      const idx = out.workloads.findIndex((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}` === key);
      out.workloads.splice(idx, 1);
    }
    defined.set(key, docNo);
    out.workloads.push(toWorkloadManifest(w));
  }
}

/**
 * 1-based line of the deepest node that exists along `path` (keys and list indexes) in a parsed YAML
 * document, or undefined when not even the document has a position.
 */
export function lineOfPath(doc: Document.Parsed, lc: LineCounter, path: readonly PropertyKey[]): number | undefined {
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n) as unknown[], true);
    if (node && typeof node === 'object' && 'range' in node && Array.isArray(node.range)) {
      return lc.linePos(node.range[0] as number).line;
    }
  }
  return undefined;
}

/** The pod template spec of a loaded workload (Deployment, other workloads, Job: `spec.template.spec`; CronJob: `spec.jobTemplate.spec.template.spec`). */
function templateSpecOf(o: object): PriorityFields | undefined {
  const spec = (o as { spec?: { template?: { spec?: PriorityFields }; jobTemplate?: { spec?: { template?: { spec?: PriorityFields } } } } }).spec;
  return spec?.template?.spec ?? spec?.jobTemplate?.spec?.template?.spec;
}
