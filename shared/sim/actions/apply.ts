/**
 * (added, issue 6) `kubectl apply -f` (and `replace -f`, `edit`) of an EXISTING object of a kind of
 * action `createObject`: action `applyObject` carries the desired object (YAML or JSON text of one
 * object, read by shared/manifests as a create is), and the stored object is updated through the API
 * server's `updateObject` (a new resourceVersion and generation; the controllers are queued), as the
 * real API server's update of that kind validates it. What the manifest names is set; what it leaves
 * out is kept (the server's fields, labels it does not name, a `kubectl scale`d StatefulSet's replicas,
 * the `restartedAt` template annotation of `kubectl rollout restart`).
 *
 * Per kind (K pkg/apis/apps/validation, pkg/apis/batch/validation, pkg/apis/core/validation, v1.32):
 * - StatefulSet: `replicas` scales, a changed `template` starts the rolling update (the path of `kubectl
 *   set image`: the current revision's template is kept, ./workloadTemplate.ts), `updateStrategy`,
 *   `minReadySeconds`; other spec fields are refused: `spec: Forbidden: updates to statefulset spec for
 *   fields other than 'replicas', 'ordinals', 'template', 'updateStrategy',
 *   'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden`.
 * - DaemonSet: `template` (rolling update), `updateStrategy`, `minReadySeconds`; `spec.selector` is
 *   immutable (`field is immutable`).
 * - Job: `parallelism` (more or fewer Pods at the next sync), `suspend`, `activeDeadlineSeconds`
 *   (a deadline timer from `status.startTime`), `backoffLimit`; `spec.completions` and `spec.template`
 *   are immutable (`The Job "x" is invalid: spec.template: Invalid value: core.PodTemplateSpec{...}:
 *   field is immutable`; the real message prints the whole Go struct where this prints `...`).
 * - CronJob: the whole spec (schedule and time zone: the next run is recomputed from now; the job
 *   template applies to the Jobs created from now on).
 * - LimitRange: `spec.limits` (the LimitRanger admission of the next Pod creates uses them).
 * - ConfigMap: `data` / `binaryData`; Secret: `data` / `stringData` (its `type` is immutable); an
 *   object with `immutable: true` refuses data changes (`Forbidden: field is immutable when
 *   \`immutable\` is set`). Pods read their env from them when a container starts (../controllers/kubelet.ts).
 * - PersistentVolumeClaim: labels / annotations; the spec's rules in {@link applyClaim}.
 * - PDBs and ResourceQuotas have `patchObject`; PriorityClasses are refused here.
 * A refused update changes nothing (the desired object is built on an isolated copy of the state).
 * Labels and annotations the manifest names are set on every kind. Messages: `statefulset.apps/web
 * configured`, `... unchanged` when nothing differs.
 */
import { ensureImageProfile, notFound, storeOf, updateMetadata, updateObject } from '../apiserver.ts';
import { kubeletImageChanged } from '../controllers/kubelet.ts';
import { kindOf } from '../kinds/index.ts';
import { scheduleTimer } from '../timers.ts';
import type { ConfigMap, CronJob, DaemonSet, Job, LimitRange, ObjectMeta, PodTemplateSpec, Secret, SimState, StatefulSet } from '../types.ts';
import { reject, type Handled } from './handler.ts';
import { barePodFromManifest, buildObject, readOneObject, resourceOf, selectorMismatch, singularOf, type OneObject } from './objects.ts';
import { keepCurrentTemplate } from './workloadTemplate.ts';
import { parseQuantity } from '../../manifests/quantity.ts';

/** The template annotation `kubectl rollout restart` sets (kept when the manifest does not name it). */
const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';

/** The labels the API server puts on a Job's template (from its uid): not the manifest's to compare. */
const JOB_TEMPLATE_LABELS = ['batch.kubernetes.io/controller-uid', 'batch.kubernetes.io/job-name', 'controller-uid', 'job-name'];

/** JSON with object keys sorted (null-prototype records included): equal texts = equal values. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object') return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}

const same = (a: unknown, b: unknown): boolean => canonical(a) === canonical(b);

/** Sets `obj[key]` to `value` unless equal already. @returns true when it changed. */
function assign<T extends object, K extends keyof T>(obj: T, key: K, value: T[K]): boolean {
  if (same(obj[key], value)) return false;
  obj[key] = value;
  return true;
}

/** A refusal worded as the API server's validation error: `The KIND "NAME" is invalid: FIELD: DETAIL`. */
function invalid(one: OneObject, field: string, detail: string): Handled {
  return reject(`The ${one.kind} "${one.name}" is invalid: ${field}: ${detail}`);
}

/** The manifest's metadata (labels and annotations it names). */
function manifestMeta(one: OneObject): { labels?: Record<string, string>; annotations?: Record<string, string> } {
  const l = one.loaded;
  return (l.policies?.[0] ?? l.jobs?.[0] ?? l.cronJobs?.[0] ?? l.workloads?.[0] ?? l.configs?.[0])?.metadata ?? {};
}

/** Sets the labels / annotations the manifest names on `meta`; true when one changed. */
function mergeMeta(meta: ObjectMeta, named: { labels?: Record<string, string>; annotations?: Record<string, string> }): boolean {
  let changed = false;
  for (const field of ['labels', 'annotations'] as const) {
    const want = named[field];
    if (!want) continue;
    for (const k of Object.keys(want).sort()) {
      if (meta[field][k] === want[k]) continue;
      meta[field] = { ...meta[field], [k]: want[k]! };
      changed = true;
    }
  }
  return changed;
}

/** `template` with the `restartedAt` annotation of `stored` carried over when it does not name one. */
function withRestartedAt(template: PodTemplateSpec, stored: PodTemplateSpec): PodTemplateSpec {
  const at = stored.metadata.annotations?.[RESTARTED_AT];
  if (at === undefined || template.metadata.annotations?.[RESTARTED_AT] !== undefined) return template;
  return { ...template, metadata: { ...template.metadata, annotations: { ...(template.metadata.annotations ?? {}), [RESTARTED_AT]: at } } };
}

/** A Job template without the labels the API server derives from the Job's uid. */
function jobTemplateOwn(t: PodTemplateSpec): PodTemplateSpec {
  const labels = { ...t.metadata.labels };
  for (const k of JOB_TEMPLATE_LABELS) delete labels[k];
  return { ...t, metadata: { ...t.metadata, labels } };
}

type Plan = { ok: true; change: (obj: never) => boolean } | { ok: false; handled: Handled };
const refuse = (handled: Handled): Plan => ({ ok: false, handled });

/**
 * The spec fields a StatefulSet and a DaemonSet share: `minReadySeconds` and `updateStrategy` when the
 * manifest names them, then the template (`restartedAt` kept; `beforeTemplate` runs first when it
 * changes). @returns true when one changed.
 */
function workloadChange<T extends StatefulSet | DaemonSet>(x: T, one: OneObject, built: T, stored: T, beforeTemplate?: (x: T) => void): boolean {
  const w = one.loaded.workloads![0]!;
  const spec = x.spec as StatefulSet['spec'] | DaemonSet['spec'];
  let changed = w.spec.minReadySeconds !== undefined && assign(spec, 'minReadySeconds', built.spec.minReadySeconds);
  if (w.spec.updateStrategy !== undefined) changed = assign(spec as { updateStrategy?: unknown }, 'updateStrategy', built.spec.updateStrategy) || changed;
  const template = withRestartedAt(built.spec.template, stored.spec.template);
  if (same(x.spec.template, template)) return changed;
  beforeTemplate?.(x);
  x.spec.template = template;
  return true;
}

function planStatefulSet(one: OneObject, stored: StatefulSet, built: StatefulSet): Plan {
  for (const field of ['serviceName', 'podManagementPolicy', 'selector', 'volumeClaimTemplates'] as const) {
    if (!same(built.spec[field], stored.spec[field])) {
      return refuse(invalid(one, 'spec', "Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"));
    }
  }
  const replicas = one.loaded.workloads![0]!.spec.replicas;
  return {
    ok: true,
    change: (x: StatefulSet) => {
      const scaled = replicas !== undefined && assign(x.spec, 'replicas', replicas);
      return workloadChange(x, one, built, stored, keepCurrentTemplate) || scaled;
    },
  };
}

function planDaemonSet(one: OneObject, stored: DaemonSet, built: DaemonSet): Plan {
  if (!same(built.spec.selector, stored.spec.selector)) return refuse(invalid(one, 'spec.selector', `Invalid value: ${JSON.stringify(built.spec.selector)}: field is immutable`));
  return { ok: true, change: (x: DaemonSet) => workloadChange(x, one, built, stored) };
}

function planJob(state: SimState, one: OneObject, stored: Job, built: Job): Plan {
  const m = one.loaded.jobs![0]!.spec;
  // K pkg/apis/batch/validation ValidateJobSpecUpdate: completions (outside elastic Indexed Jobs) and the template are immutable.
  if (m.completions !== undefined && m.completions !== stored.spec.completions) return refuse(invalid(one, 'spec.completions', `Invalid value: ${m.completions}: field is immutable`));
  if (!same(jobTemplateOwn(built.spec.template), jobTemplateOwn(stored.spec.template))) return refuse(invalid(one, 'spec.template', 'Invalid value: core.PodTemplateSpec{...}: field is immutable'));
  return {
    ok: true,
    change: (x: Job) => {
      let changed = false;
      if (m.parallelism !== undefined) changed = assign(x.spec, 'parallelism', m.parallelism) || changed;
      if (m.backoffLimit !== undefined) changed = assign(x.spec, 'backoffLimit', m.backoffLimit) || changed;
      if (m.suspend !== undefined) changed = assign(x.spec, 'suspend', m.suspend) || changed;
      if (m.activeDeadlineSeconds !== undefined && x.spec.activeDeadlineSeconds !== m.activeDeadlineSeconds) {
        x.spec.activeDeadlineSeconds = m.activeDeadlineSeconds;
        // the controller checks the deadline when woken: wake it at the new one
        if (x.status.startTime !== undefined) scheduleTimer(state, Math.max(state.t, x.status.startTime + m.activeDeadlineSeconds), 'rs.sync', `Job:${one.key}`);
        changed = true;
      }
      return changed;
    },
  };
}

function planCronJob(state: SimState, one: OneObject, built: CronJob): Plan {
  return {
    ok: true,
    change: (x: CronJob) => {
      if (same(x.spec, built.spec)) return false;
      const rescheduled = x.spec.schedule !== built.spec.schedule || x.spec.timeZone !== built.spec.timeZone;
      x.spec = built.spec;
      if (rescheduled) {
        x.sim.nextRunAt = built.sim.nextRunAt;
        if (x.sim.nextRunAt !== null) scheduleTimer(state, x.sim.nextRunAt, 'rs.sync', `CronJob:${one.key}`);
      }
      return true;
    },
  };
}

function planConfig(one: OneObject, stored: ConfigMap | Secret, built: ConfigMap | Secret): Plan {
  const m = one.loaded.configs![0]!;
  const names = m.kind === 'ConfigMap' ? m.data !== undefined || m.binaryData !== undefined : m.data !== undefined || m.stringData !== undefined;
  const fields = stored.kind === 'ConfigMap' ? (['data', 'binaryData'] as const) : (['data'] as const);
  const dataChanged = names && fields.some((f) => !same((built as ConfigMap)[f] ?? {}, (stored as ConfigMap)[f] ?? {}));
  // K pkg/apis/core/validation ValidateConfigMapUpdate / ValidateSecretUpdate.
  if (stored.immutable === true) {
    if (dataChanged) return refuse(invalid(one, 'data', 'Forbidden: field is immutable when `immutable` is set'));
    if (m.immutable === false) return refuse(invalid(one, 'immutable', 'Forbidden: field is immutable when `immutable` is set'));
  }
  if (stored.kind === 'Secret' && m.kind === 'Secret' && m.type !== undefined && m.type !== stored.type) return refuse(invalid(one, 'type', `Invalid value: ${JSON.stringify(m.type)}: field is immutable`));
  return {
    ok: true,
    change: (x: ConfigMap | Secret) => {
      let changed = false;
      if (dataChanged) {
        for (const f of fields) {
          const v = (built as ConfigMap)[f];
          if (v === undefined) delete (x as ConfigMap)[f];
          else (x as ConfigMap)[f] = v;
        }
        changed = true;
      }
      return (m.immutable === true && assign(x, 'immutable', true)) || changed;
    },
  };
}

/** The Pod spec fields an update may change (K pkg/apis/core/validation ValidatePodUpdate, v1.32), as its refusal lists them. */
const POD_UPDATABLE = '`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

/**
 * A container with the API server's defaults a served Pod carries (K pkg/apis/core/v1/defaults.go: ports'
 * `protocol` TCP, an HTTP probe's `scheme` HTTP, a gRPC probe's `service` ""), so an update sent back
 * from the served object (`kubectl set image pod/x`, `apply`, `replace`) compares equal to the stored one.
 */
function withApiDefaults(c: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...c };
  if (Array.isArray(c['ports'])) out['ports'] = (c['ports'] as Record<string, unknown>[]).map((p) => ({ ...p, protocol: p['protocol'] ?? 'TCP' }));
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
    const pr = c[probe] as Record<string, unknown> | undefined;
    if (!pr) continue;
    const next: Record<string, unknown> = { ...pr };
    if (pr['httpGet']) next['httpGet'] = { ...(pr['httpGet'] as object), scheme: (pr['httpGet'] as { scheme?: string }).scheme ?? 'HTTP' };
    if (pr['grpc']) next['grpc'] = { ...(pr['grpc'] as object), service: (pr['grpc'] as { service?: string }).service ?? '' };
    out[probe] = next;
  }
  return out;
}

/** A container without its image (and without resources when the manifest's names none: admission may have set them). */
function podContainerShape(c: object, keepResources: boolean): unknown {
  const { image: _image, resources, ...rest } = withApiDefaults(c as Record<string, unknown>) as { image?: string; resources?: unknown };
  return keepResources ? { ...rest, resources } : rest;
}

/**
 * (issue 6) `kubectl apply -f` of an existing Pod (K pkg/apis/core/validation ValidatePodUpdate): the
 * labels and annotations the manifest names are set; new tolerations are added; containers' and init
 * containers' images are updated, and the kubelet restarts a running
 * container whose image changed with the new image (../controllers/kubelet.ts kubeletImageChanged);
 * any other spec change (containers other than their image, restartPolicy,
 * terminationGracePeriodSeconds, nodeName, nodeSelector, affinity, volumes...) is refused with the API
 * server's `The Pod "x" is invalid: spec: Forbidden: pod updates may not change fields other than ...`
 * (without the Go diff it appends).
 */
function applyPod(state: SimState, one: OneObject): Handled {
  const stored = Object.hasOwn(state.pods, one.key) ? state.pods[one.key] : undefined;
  if (!stored) return reject(notFound('pods', one.name));
  const m = one.loaded.pods![0]!;
  const scratch = { ...state, counters: { ...state.counters }, images: Object.create(state.images) as SimState['images'] } as SimState;
  const built = barePodFromManifest(scratch, m);
  const manifestContainers = [...(m.template.spec.containers ?? [])] as { name: string; resources?: unknown }[];
  const sameContainers = (a: readonly object[] | undefined, b: readonly object[] | undefined, named: readonly { name: string; resources?: unknown }[]) =>
    (a ?? []).length === (b ?? []).length && (a ?? []).every((c, i) => same(podContainerShape(c, named.find((x) => x.name === (c as { name: string }).name)?.resources !== undefined), podContainerShape((b ?? [])[i]!, named.find((x) => x.name === (c as { name: string }).name)?.resources !== undefined)));
  const spec = built.spec;
  const forbidden =
    !sameContainers(spec.containers, stored.spec.containers, manifestContainers) ||
    !sameContainers(spec.initContainers, stored.spec.initContainers, (m.template.spec.initContainers ?? []) as { name: string }[]) ||
    spec.restartPolicy !== stored.spec.restartPolicy ||
    spec.terminationGracePeriodSeconds !== stored.spec.terminationGracePeriodSeconds ||
    (spec.nodeName !== undefined && spec.nodeName !== stored.spec.nodeName) ||
    (['nodeSelector', 'affinity', 'topologySpreadConstraints', 'volumes', 'priorityClassName'] as const).some((f) => spec[f] !== undefined && !same(spec[f], stored.spec[f]));
  if (forbidden) return invalid(one, 'spec', `Forbidden: pod updates may not change fields other than ${POD_UPDATABLE}`);
  const changedImages = spec.containers.filter((c, i) => stored.spec.containers[i]!.image !== c.image).map((c) => c.name);
  const changedInit = (spec.initContainers ?? []).some((c, i) => stored.spec.initContainers![i]!.image !== c.image);
  const added = (spec.tolerations ?? []).filter((t) => !(stored.spec.tolerations ?? []).some((x) => same(x, t)));
  let configured = false;
  // labels / annotations through updateMetadata (the Pod's label indexes follow, as kubectl label)
  for (const field of ['labels', 'annotations'] as const) {
    const want = m.metadata[field] ?? {};
    const changes = Object.keys(want).sort().filter((k) => stored.metadata[field][k] !== want[k]).map((k) => ({ key: k, value: want[k]! }));
    if (changes.length === 0) continue;
    const w = updateMetadata(state, 'Pod', one.key, field, changes);
    if (!w.ok) return reject(w.error);
    configured = true;
  }
  if (added.length > 0 || changedImages.length > 0 || changedInit) {
    const w = updateObject(state, 'Pod', one.key, (x) => {
      if (added.length > 0) x.spec.tolerations = [...(x.spec.tolerations ?? []), ...added];
      spec.containers.forEach((c, i) => (x.spec.containers[i]!.image = c.image));
      (spec.initContainers ?? []).forEach((c, i) => (x.spec.initContainers![i]!.image = c.image));
    });
    if (!w.ok) return reject(w.error);
    for (const c of [...spec.containers, ...(spec.initContainers ?? [])]) ensureImageProfile(state, c.image);
    // the kubelet restarts the changed containers with their new image (../controllers/kubelet.ts)
    if (changedImages.length > 0) kubeletImageChanged(state, one.key, state.pods[one.key]!, changedImages);
    configured = true;
  }
  return { result: { ok: true, message: `pod/${one.name} ${configured ? 'configured' : 'unchanged'}`, completesAt: state.t } };
}

/**
 * (issue 6) `kubectl apply -f` (and the API's PUT / PATCH) of an existing PersistentVolumeClaim (K
 * pkg/apis/core/validation ValidatePersistentVolumeClaimUpdate, v1.32; plugin/pkg/admission/storage/
 * persistentvolume/resize): labels and annotations the manifest names are set; another access mode,
 * class or volume mode: `spec: Forbidden: spec is immutable after creation except resources.requests and
 * volumeAttributesClassName for bound claims` (without the Go diff); a smaller storage request:
 * `spec.resources.requests.storage: Forbidden: field can not be less than status.capacity`
 * (RecoverVolumeExpansionFailure, beta in 1.32); a larger one is refused by the PersistentVolumeClaimResize
 * admission, as on kind and minikube, whose `standard` class (the only one the sim models) does not set
 * `allowVolumeExpansion`: `persistentvolumeclaims "x" is forbidden: only dynamically provisioned pvc can
 * be resized and the storageclass that provisions the pvc must support resize`.
 */
function applyClaim(state: SimState, one: OneObject, remove: { labels: readonly string[]; annotations: readonly string[] }): Handled {
  const stored = state.persistentVolumeClaims && Object.hasOwn(state.persistentVolumeClaims, one.key) ? state.persistentVolumeClaims[one.key] : undefined;
  if (!stored) return reject(notFound('persistentvolumeclaims', one.name));
  const c = one.loaded.persistentVolumeClaims![0]!;
  const modes = c.spec.accessModes.length > 0 ? c.spec.accessModes : stored.spec.accessModes;
  if (!same([...modes].sort(), [...stored.spec.accessModes].sort()) || (c.spec.storageClassName !== undefined && c.spec.storageClassName !== stored.spec.storageClassName) || (c.spec.volumeMode !== undefined && c.spec.volumeMode !== stored.spec.volumeMode)) {
    return invalid(one, 'spec', 'Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims');
  }
  const want = parseQuantity(c.spec.storage);
  if (want < parseQuantity(stored.status.capacity.storage)) return invalid(one, 'spec.resources.requests.storage', 'Forbidden: field can not be less than status.capacity');
  if (want > parseQuantity(stored.spec.resources.requests.storage)) {
    return reject(`Error from server (Forbidden): persistentvolumeclaims "${one.name}" is forbidden: only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize`);
  }
  let configured = false;
  const r = updateObject(state, 'PersistentVolumeClaim', one.key, (x) => {
    const merged = mergeMeta(x.metadata, c.metadata);
    configured = removeMeta(x.metadata, remove) || merged;
    return configured;
  });
  if (!r.ok) return reject(r.error);
  return { result: { ok: true, message: `persistentvolumeclaim/${one.name} ${configured ? 'configured' : 'unchanged'}`, completesAt: state.t } };
}

/** Removes the `remove` keys present in `meta`'s labels / annotations; true when one went. */
function removeMeta(meta: ObjectMeta, remove: { labels: readonly string[]; annotations: readonly string[] }): boolean {
  let changed = false;
  for (const field of ['labels', 'annotations'] as const) {
    const gone = remove[field].filter((k) => Object.hasOwn(meta[field], k));
    if (gone.length === 0) continue;
    const next = { ...meta[field] };
    for (const k of gone) delete next[k];
    meta[field] = next;
    changed = true;
  }
  return changed;
}

/**
 * `kubectl apply -f` of an existing object (see the module doc); `remove`: label / annotation keys the
 * write removes (real kubectl's three-way patch sends them `null`; a PUT leaves them out).
 * @returns `KIND/NAME configured` or `unchanged`, or a rejection.
 */
export function applyObjectAction(state: SimState, manifest: string, remove: { labels: readonly string[]; annotations: readonly string[] } = { labels: [], annotations: [] }): Handled {
  const one = readOneObject(manifest);
  if ('result' in one) return one;
  const { kind, name, key } = one;
  if (kind === 'Pod') return applyPod(state, one);
  if (kind === 'PersistentVolumeClaim') return applyClaim(state, one, remove);
  if (kind === 'PriorityClass' || kind === 'PodDisruptionBudget' || kind === 'ResourceQuota') {
    return reject(`error: this game changes an existing ${kind} with kubectl patch (PDBs, quotas) or not at all (PriorityClasses); applyObject updates ${['LimitRange', 'Job', 'CronJob', 'StatefulSet', 'DaemonSet', 'ConfigMap', 'Secret', 'PersistentVolumeClaim', 'Pod'].join(', ')}`);
  }
  const stored = Object.hasOwn(kindOf(kind)!.store(state), key) ? storeOf(state, kind)[key] : undefined;
  if (!stored) return reject(notFound(resourceOf(kind), name));
  const mismatch = selectorMismatch(one);
  if (mismatch !== undefined) return reject(mismatch);
  const built = buildObject(state, one, true);
  if (!built) return reject(`error: ${kind} "${name}" could not be built`);
  let plan: Plan;
  switch (kind) {
    case 'StatefulSet': plan = planStatefulSet(one, stored as StatefulSet, built as StatefulSet); break;
    case 'DaemonSet': plan = planDaemonSet(one, stored as DaemonSet, built as DaemonSet); break;
    case 'Job': plan = planJob(state, one, stored as Job, built as Job); break;
    case 'CronJob': plan = planCronJob(state, one, built as CronJob); break;
    case 'LimitRange': plan = { ok: true, change: (x: LimitRange) => assign(x, 'spec', (built as LimitRange).spec) }; break;
    default: plan = planConfig(one, stored as ConfigMap | Secret, built as ConfigMap | Secret);
  }
  if (!plan.ok) return plan.handled;
  const named = manifestMeta(one);
  let configured = false;
  const r = updateObject(state, kind, key, (x) => {
    const specChanged = plan.change(x as never);
    const merged = mergeMeta(x.metadata, named);
    const metaChanged = removeMeta(x.metadata, remove) || merged;
    configured = specChanged || metaChanged;
    if (specChanged && kind !== 'ConfigMap' && kind !== 'Secret') x.metadata.generation += 1;
    return configured;
  });
  if (!r.ok) return reject(r.error);
  // the images of a new template get their profiles (what the build registered only in its scratch copy)
  const template = kind === 'CronJob' ? (built as CronJob).spec.jobTemplate.spec.template : kind === 'StatefulSet' || kind === 'DaemonSet' ? (built as StatefulSet).spec.template : undefined;
  for (const c of template?.spec.containers ?? []) ensureImageProfile(state, c.image);
  return { result: { ok: true, message: `${singularOf(kind)}/${name} ${configured ? 'configured' : 'unchanged'}`, completesAt: state.t } };
}
