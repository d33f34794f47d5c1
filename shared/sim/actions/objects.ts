/**
 * Generic object writes (issue 11): `kubectl delete KIND NAME [--cascade=background|foreground|orphan]`
 * of any deletable kind ({@link DELETABLE_KINDS}, action `deleteObject`; `deleteDeployment` uses the
 * same cascade) and `kubectl create -f` / `apply -f` of a policy, batch or workload object or (issue 6) a bare Pod
 * ({@link CREATABLE_KINDS}, action `createObject`).
 *
 * Delete = the garbage collector's owner-deletion semantics (K pkg/controller/garbagecollector;
 * https://kubernetes.io/docs/concepts/architecture/garbage-collection/):
 * - `Background` (kubectl's default): the owner is removed now; its dependents (found by their owner
 *   references: a Deployment's ReplicaSets, a CronJob's Jobs, a ReplicaSet's / Job's / StatefulSet's /
 *   DaemonSet's Pods, a Service's EndpointSlice) are deleted, Pods gracefully (Terminating, gone after
 *   their grace period), other dependents at once, recursively.
 * - `Foreground`: the owner and the objects below it linger with `metadata.deletionTimestamp` and the
 *   `foregroundDeletion` finalizer (controllers leave them alone: no new ReplicaSets or Pods) while the
 *   Pods below terminate gracefully; each is removed once its blocking dependents are gone (the
 *   dependents the controllers created, whose controller references block their owner's deletion),
 *   the owner last. The garbage collector's pass runs when the Pods are expected gone (a pending
 *   action, ./pending.ts), again a second later while one still terminates.
 * - `Orphan`: only the owner is removed; its direct dependents lose their owner reference to it and
 *   keep running (a Job's Pods run on as bare Pods).
 * Kinds without dependents (HorizontalPodAutoscaler, PodDisruptionBudget, ResourceQuota, LimitRange)
 * are simply removed: autoscaling, the budget's eviction gate and the admission policy stop at once.
 *
 * Create: the manifest (YAML or JSON text of one object) is read by shared/manifests `loadManifests`
 * (the schemas that load a scenario's objects: ./manifests/policies.ts for PDBs, quotas and
 * LimitRanges, the batch and workload schemas), built with the same code createSim uses
 * (../policies.ts, ../workloads.ts, ../controllers/job.ts `storeBatch`) and stored through the API
 * server's `createObject` (change log, indexes, the controllers' queues).
 */
import { createObject, ensureImageProfile, newMeta, notFound, releasePod, removeObject, storeOf, updateObject, deletePod, type StoredKind } from '../apiserver.ts';
import { getIndex } from '../cache.ts';
import { deploymentFromManifest } from '../create.ts';
import { replicaSetsOf } from '../controllers/deployment.ts';
import { storeBatch } from '../controllers/job.ts';
import { revisionsOf } from '../controllers/history.ts';
import { claimsDeletedWithSet } from '../controllers/statefulsetClaims.ts';
import { podFromTemplate } from '../controllers/replicaset.ts';
import { isSystemPriorityClass, kindOf, objectKey, printedResource, priorityClassKind, qualifiedResource, type KubeObject } from '../kinds/index.ts';
import { objKey, splitKey } from '../names.ts';
import { isTerminating } from '../podutil.ts';
import { storePolicies, storePriorityClasses } from '../policies.ts';
import { configObjectFromManifest } from '../configs.ts';
import { storeWorkloads } from '../workloads.ts';
import { formatManifestError, loadManifests, type LoadedManifests } from '../../manifests/load.ts';
import type { DeletableKind, ObjectMeta, Pod, PodManifest, PersistentVolumeClaimTemplate, PriorityClass, PriorityClassManifest, SimInput, SimState, StatefulSet } from '../types.ts';
import { claimFromTemplate } from '../kinds/pvc.ts';
import { kindsWhere } from '../kinds/writable.ts'; // (the registry's write table)
import { reject, type Handled } from './handler.ts';

/** Kinds action `createObject` creates (Deployments, Services and HPAs have their own actions): computed from ../kinds/writable.ts. */
export const CREATABLE_KINDS = kindsWhere('create', 'createObject');
/** A kind of {@link CREATABLE_KINDS}. */
export type CreatableKind = (typeof CREATABLE_KINDS)[number];
/** Owner-deletion propagation (DeleteOptions `propagationPolicy`; kubectl `--cascade`). */
export type Propagation = 'Background' | 'Foreground' | 'Orphan';

type Ref = { kind: StoredKind; key: string };

/** kubectl's name of a kind's resource: `services`, `jobs.batch`, `poddisruptionbudgets.policy`. */
export function resourceOf(kind: StoredKind): string {
  return qualifiedResource(kindOf(kind)!);
}

/** kubectl's `TYPE/NAME` prefix of a kind (`service`, `job.batch`, `poddisruptionbudget.policy`). */
export function singularOf(kind: StoredKind): string {
  return printedResource(kindOf(kind)!);
}

const PREFIXED_POD_OWNERS: ReadonlySet<string> = new Set(['ReplicationController', 'StatefulSet', 'DaemonSet', 'Job']);

/**
 * The dependents of an object (its owner references point at it), in a total order: a Deployment's
 * ReplicaSets by revision, a CronJob's Jobs by key, a Pod owner's live (not Terminating) Pods by key,
 * a Service's EndpointSlice. `withTerminating`: Terminating Pods too (what a Foreground delete waits for).
 */
function dependentsOf(state: SimState, kind: StoredKind, key: string, withTerminating = false): Ref[] {
  if (kind === 'Deployment') return replicaSetsOf(state, key).map((r) => ({ kind: 'ReplicaSet', key: r.key }));
  if (kind === 'Service') return Object.hasOwn(state.endpoints, key) ? [{ kind: 'EndpointSlice', key }] : [];
  if (kind === 'CronJob') {
    const { namespace, name } = splitKey(key);
    const jobs = storeOf(state, 'Job');
    return Object.keys(jobs).sort().filter((k) => {
      const j = jobs[k]!;
      return j.metadata.namespace === namespace && j.metadata.ownerReferences.some((o) => o.kind === 'CronJob' && o.name === name);
    }).map((k) => ({ kind: 'Job', key: k }));
  }
  const ownerKey = kind === 'ReplicaSet' ? key : PREFIXED_POD_OWNERS.has(kind) ? `${kind}:${key}` : '';
  if (ownerKey === '') return [];
  const pods: Ref[] = [...(getIndex(state).podsByOwner.get(ownerKey) ?? [])].sort().filter((p) => state.pods[p] && (withTerminating || !isTerminating(state.pods[p]))).map((p) => ({ kind: 'Pod', key: p }));
  // (issue 6) a StatefulSet's / DaemonSet's ControllerRevisions, by revision
  if (kind !== 'StatefulSet' && kind !== 'DaemonSet') return pods;
  const owner = storeOf(state, kind)[key];
  const revs = owner ? revisionsOf(state, owner.metadata.namespace, owner.metadata.uid) : [];
  // (issue 6) a StatefulSet's claims under persistentVolumeClaimRetentionPolicy whenDeleted: Delete
  const claims = kind === 'StatefulSet' && owner ? claimsDeletedWithSet(state, owner as StatefulSet).map((k) => ({ kind: 'PersistentVolumeClaim' as const, key: k })) : [];
  return [...pods, ...revs.map((r) => ({ kind: 'ControllerRevision' as const, key: `${r.metadata.namespace}/${r.metadata.name}` })), ...claims];
}

/** Deletes the Pods below `ref` gracefully, depth first. @returns the sim second the last is gone. */
function terminatePods(state: SimState, ref: Ref, done: number): number {
  for (const dep of dependentsOf(state, ref.kind, ref.key)) {
    if (dep.kind === 'Pod') {
      const d = deletePod(state, dep.key);
      if (d.ok) done = Math.max(done, d.goneAt);
    } else done = terminatePods(state, dep, done);
  }
  return done;
}

/** Removes the non-Pod objects below `deps` (already listed), depth first after each. */
function removeDependents(state: SimState, deps: readonly Ref[]): void {
  for (const dep of deps) {
    if (dep.kind === 'Pod') continue;
    const below = dependentsOf(state, dep.kind, dep.key);
    removeObject(state, dep.kind as Exclude<StoredKind, 'Pod'>, dep.key);
    removeDependents(state, below);
  }
}

/** The finalizer a Foreground delete puts on an owner (K staging/src/k8s.io/apimachinery/pkg/apis/meta/v1 FinalizerDeleteDependents). */
export const FOREGROUND_FINALIZER = 'foregroundDeletion';

/** True when `kind`/`key` is stored and lingers in a Foreground deletion (deletionTimestamp + `foregroundDeletion`). */
function inForegroundDeletion(state: SimState, kind: StoredKind, key: string): boolean {
  const store = storeOf(state, kind);
  const o = Object.hasOwn(store, key) ? store[key] : undefined;
  return o !== undefined && o.metadata.deletionTimestamp !== undefined && (o.metadata.finalizers ?? []).includes(FOREGROUND_FINALIZER);
}

/**
 * Marks `ref` and the non-Pod objects below it as deleted in the foreground (the API server's
 * `deletionTimestamp` = now, finalizer `foregroundDeletion`, through `updateObject`: controllers then
 * leave them alone) and deletes the Pods below gracefully. Every dependent the controllers created
 * carries a controller reference, which blocks its owner's deletion (`blockOwnerDeletion`, set by
 * metav1.NewControllerRef). @returns the sim second the last Pod is expected gone.
 */
function markForeground(state: SimState, ref: Ref, done: number): { ok: true; done: number } | { ok: false; error: string } {
  const r = updateObject(state, ref.kind as Exclude<StoredKind, 'Pod'>, ref.key, (o) => {
    if (o.metadata.deletionTimestamp !== undefined) return false;
    o.metadata.deletionTimestamp = state.t;
    o.metadata.finalizers = [...(o.metadata.finalizers ?? []), FOREGROUND_FINALIZER];
    return true;
  });
  if (!r.ok) return { ok: false, error: r.error };
  for (const dep of dependentsOf(state, ref.kind, ref.key)) {
    if (dep.kind === 'Pod') {
      const d = deletePod(state, dep.key);
      if (d.ok) done = Math.max(done, d.goneAt);
    } else if (dep.kind === 'EndpointSlice') {
      removeObject(state, 'EndpointSlice', dep.key); // no dependents of its own: gone at once
    } else {
      const m = markForeground(state, dep, done);
      if (!m.ok) return m;
      done = m.done;
    }
  }
  return { ok: true, done };
}

/**
 * The garbage collector's pass over an owner in Foreground deletion (K pkg/controller/garbagecollector
 * processDeletingDependentsItem / attemptToDeleteItem): first the lingering dependents below it whose
 * own dependents are gone are removed (depth first), then the owner once no dependent blocks it (its
 * Pods, Terminating ones included, and the lingering objects are gone): the finalizer removed, the
 * object deleted. A Pod a controller did not get to delete is deleted now. Cost: the objects below it.
 * @returns null when `ref` is gone (or no longer in Foreground deletion), else the sim second to look
 * again (the latest Terminating Pod's expected end, at least the next second).
 */
export function collectForeground(state: SimState, ref: Ref): number | null {
  if (!inForegroundDeletion(state, ref.kind, ref.key)) return null;
  let again: number | null = null;
  for (const dep of dependentsOf(state, ref.kind, ref.key, true)) {
    let next: number | null;
    if (dep.kind === 'Pod') {
      const pod = state.pods[dep.key]!;
      const d = isTerminating(pod) ? undefined : deletePod(state, dep.key);
      next = !state.pods[dep.key] ? null : Math.max(state.t + 1, d?.ok ? d.goneAt : (pod.sim.nextTransitionAt ?? state.t + 1));
    } else next = collectForeground(state, dep);
    if (next !== null) again = Math.max(again ?? next, next);
  }
  if (again !== null) return again;
  removeObject(state, ref.kind as Exclude<StoredKind, 'Pod'>, ref.key);
  return null;
}

/**
 * Deletes the object `kind`/`key` with `propagation` (see the module doc). The caller checked it
 * exists. @returns the sim second the last dependent Pod is gone (now when none), and for a
 * Foreground delete whether the owner lingers (`pending`: ../pending.ts calls
 * {@link collectForeground} at `done`), or a rejection.
 */
export function cascadeDelete(state: SimState, kind: Exclude<StoredKind, 'Pod'>, key: string, propagation: Propagation): { ok: true; done: number; pending?: boolean } | { ok: false; error: string } {
  const owner = storeOf(state, kind)[key]!;
  const ownerName = owner.metadata.name;
  // already being deleted in the foreground: the delete is accepted, nothing changes (the GC finishes it)
  if (inForegroundDeletion(state, kind, key)) return { ok: true, done: state.t };
  if (propagation === 'Foreground') {
    const m = markForeground(state, { kind, key }, state.t);
    if (!m.ok) return m;
    const again = collectForeground(state, { kind, key }); // nothing blocks it: gone now
    return again === null ? { ok: true, done: state.t } : { ok: true, done: Math.max(m.done, again), pending: true };
  }
  const deps = dependentsOf(state, kind, key);
  let done = state.t;
  if (propagation === 'Orphan') {
    for (const dep of deps) {
      const r = dep.kind === 'Pod'
        ? releasePod(state, dep.key, kind)
        : updateObject(state, dep.kind, dep.key, (o) => {
          const refs = o.metadata.ownerReferences.filter((x) => !(x.kind === kind && x.name === ownerName));
          if (refs.length === o.metadata.ownerReferences.length) return false;
          o.metadata.ownerReferences = refs;
          return true;
        });
      if (!r.ok) return { ok: false, error: r.error };
    }
  } else {
    done = terminatePods(state, { kind, key }, done);
  }
  const r = removeObject(state, kind, key);
  if (!r.ok) return { ok: false, error: r.error };
  if (propagation !== 'Orphan') removeDependents(state, deps);
  return { ok: true, done };
}

/**
 * A pending Foreground delete (`deleteObject` / `deleteDeployment`) due now: the garbage collector's
 * pass ({@link collectForeground}). @returns the sim second to look again, or null once the owner is gone.
 */
export function completeForegroundDelete(state: SimState, kind: Exclude<StoredKind, 'Pod'>, key: string): number | null {
  return collectForeground(state, { kind, key });
}

/** The storage key `deleteObjectAction` resolves for `name` / `namespace` of `kind`. */
export function deleteKey(kind: DeletableKind, name: string, namespace: string | undefined): string {
  const split = splitKey(name);
  return kindOf(kind)?.namespaced === false ? split.name : objKey(namespace ?? split.namespace, split.name);
}

/** `kubectl delete KIND NAME [--cascade=...]` (`name`: bare or `namespace/name`): see the module doc. */
export function deleteObjectAction(state: SimState, kind: DeletableKind, name: string, namespace: string | undefined, propagation: Propagation = 'Background'): Handled {
  const split = splitKey(name);
  const key = deleteKey(kind, name, namespace);
  if (!Object.hasOwn(storeOf(state, kind), key)) return reject(notFound(resourceOf(kind), split.name));
  // K pkg/registry/scheduling/priorityclass/storage/storage.go Delete.
  if (kind === 'PriorityClass' && isSystemPriorityClass(key)) return reject(`Error from server (Forbidden): priorityclasses.scheduling.k8s.io "${key}" is forbidden: this is a system priority class and cannot be deleted`);
  const r = cascadeDelete(state, kind, key, propagation);
  if (!r.ok) return reject(r.error);
  return { result: { ok: true, message: `${singularOf(kind)} "${split.name}" deleted`, completesAt: r.done }, pending: r.pending };
}

/** The pieces of one manifest of a {@link CREATABLE_KINDS} kind, as shared/manifests loaded them. */
export interface OneObject {
  kind: CreatableKind;
  name: string;
  /** The namespace (`default` when unset); cluster-scoped kinds ignore it. */
  ns: string;
  /** The storage key (`namespace/name`, or the name of a cluster-scoped kind). */
  key: string;
  /** The loaded manifest (defaults not applied): exactly one of these lists holds one element. */
  loaded: Pick<LoadedManifests, 'policies' | 'jobs' | 'cronJobs' | 'workloads' | 'configs' | 'priorityClasses' | 'persistentVolumeClaims' | 'pods'>;
}

/**
 * Reads a manifest holding exactly one object of a {@link CREATABLE_KINDS} kind (YAML or JSON text)
 * with shared/manifests `loadManifests`. @returns it, or a rejection: manifest errors (`error: error
 * validating data: ...`), not exactly one object of those kinds.
 */
export function readOneObject(manifest: string): OneObject | Handled {
  const loaded = loadManifests(manifest);
  if (loaded.errors.length > 0) return reject(`error: error validating data: ${loaded.errors.map((e) => formatManifestError(e)).join('; ')}`);
  const policies = loaded.policies ?? [];
  const classes = loaded.priorityClasses ?? [];
  const jobs = loaded.jobs ?? [];
  const cronJobs = loaded.cronJobs ?? [];
  const workloads = loaded.workloads.filter((w) => w.kind === 'StatefulSet' || w.kind === 'DaemonSet');
  const claims = loaded.persistentVolumeClaims ?? [];
  const configs = loaded.configs ?? [];
  const pods = loaded.pods ?? [];
  const count = loaded.deployments.length + loaded.services.length + loaded.workloads.length + policies.length + jobs.length + cronJobs.length + (loaded.autoscalers ?? []).length + classes.length + claims.length + configs.length + pods.length;
  const mine = policies.length + jobs.length + cronJobs.length + workloads.length + classes.length + claims.length + configs.length + pods.length;
  if (count !== 1 || mine !== 1) return reject(`error: expected exactly one of ${CREATABLE_KINDS.join(', ')} in the manifest (found ${count} object(s) of the kinds the game models)`);
  const pieces = { policies, jobs, cronJobs, workloads, configs, priorityClasses: classes, persistentVolumeClaims: claims, pods };
  if (classes[0]) return { kind: 'PriorityClass', name: classes[0].name, ns: '', key: classes[0].name, loaded: pieces };
  const meta: { name: string; namespace?: string } = (policies[0] ?? jobs[0] ?? cronJobs[0] ?? workloads[0] ?? configs[0] ?? pods[0] ?? claims[0])!.metadata;
  const kind = (policies[0]?.kind ?? (jobs[0] ? 'Job' : cronJobs[0] ? 'CronJob' : workloads[0] ? workloads[0].kind : configs[0] ? configs[0].kind : pods[0] ? 'Pod' : 'PersistentVolumeClaim')) as CreatableKind;
  const ns = meta.namespace ?? 'default';
  return { kind, name: meta.name, ns, key: objectKey(kindOf(kind)!, { name: meta.name, namespace: ns } as ObjectMeta), loaded: pieces };
}

/** The `Invalid` refusal of a StatefulSet / DaemonSet whose selector does not match its template's labels, or undefined. */
export function selectorMismatch(one: OneObject): string | undefined {
  const w = one.loaded.workloads?.[0];
  if (!w) return undefined;
  const sel = w.spec.selector.matchLabels;
  const labels = w.spec.template.metadata.labels;
  if (Object.keys(sel).length > 0 && Object.entries(sel).every(([k, v]) => labels[k] === v)) return undefined;
  return `The ${one.kind} "${one.name}" is invalid: spec.template.metadata.labels: Invalid value: ${JSON.stringify(labels)}: \`selector\` does not match template \`labels\``;
}

/**
 * Builds the object of `one` with createSim's own code (../policies.ts, ../workloads.ts,
 * ../controllers/job.ts `storeBatch`, ../configs.ts), without storing it: the builders write into a
 * shallow copy of the state whose store of the kind is a fresh map. Counters, image profiles, timers
 * and queues are the state's own (as when createSim builds it), unless `isolated` (an update, which
 * may still be refused: the build then leaves the state as it was; the caller registers the new
 * template's images once it writes). Not for PVCs and PriorityClasses (their own create paths).
 * @returns the object (its metadata new: uid, resourceVersion), or undefined.
 */
export function buildObject(state: SimState, one: OneObject, isolated = false): KubeObject | undefined {
  const { policies = [], jobs = [], cronJobs = [], workloads = [], configs = [] } = one.loaded;
  const scratch = { ...state } as SimState;
  if (isolated) {
    Object.assign(scratch, {
      counters: { ...state.counters },
      images: Object.create(state.images) as SimState['images'],
      timers: [],
      warnings: [],
      dirty: { deployments: [], replicaSets: [], pods: [], nodes: [], services: [] },
    });
  }
  if (configs[0]) return configObjectFromManifest(scratch, configs[0]);
  const def = kindOf(one.kind)!;
  const live = def.store(state);
  for (const k of Object.keys(scratch) as (keyof SimState)[]) if (scratch[k] === live) (scratch as unknown as Record<string, unknown>)[k] = Object.create(null);
  const input = { policies, workloads } as unknown as SimInput;
  if (policies.length > 0) storePolicies(scratch, input);
  else if (workloads.length > 0) storeWorkloads(scratch, input, state.defaultImageProfile);
  else {
    storeBatch(scratch, jobs, cronJobs, (tpl) => {
      const t = deploymentFromManifest(scratch, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'job' }, spec: { selector: { matchLabels: {} }, template: tpl } }, 'template').spec.template;
      for (const c of t.spec.containers) if (!scratch.images[c.image]) scratch.images[c.image] = { ...state.defaultImageProfile };
      return t;
    });
  }
  const store = def.store(scratch);
  return Object.hasOwn(store, one.key) ? store[one.key] : undefined;
}

/**
 * `kubectl create -f` / `apply -f` of one PodDisruptionBudget, ResourceQuota, LimitRange, Job,
 * CronJob, StatefulSet, DaemonSet or (issue 6) ConfigMap / Secret (YAML or JSON text; `kubectl create
 * configmap|secret generic` send one too): validated by shared/manifests, stored through
 * `createObject`; the controllers act on the next ticks (a Job's Pods start, a quota counts).
 * Rejected (nothing changed): manifest errors (`error: error validating data: ...`), not exactly one
 * object of those kinds, an existing name (`Error from server (AlreadyExists)`), a selector that does
 * not match the template's labels (`Invalid`).
 */
export function createObjectAction(state: SimState, manifest: string): Handled {
  const one = readOneObject(manifest);
  if ('result' in one) return one;
  const { priorityClasses = [], persistentVolumeClaims = [], pods = [] } = one.loaded;
  if (persistentVolumeClaims[0]) return createClaim(state, persistentVolumeClaims[0]);
  if (pods[0]) return createBarePod(state, pods[0]);
  if (priorityClasses[0]) return createPriorityClass(state, priorityClasses[0]);
  const { kind, name, key } = one;
  if (Object.hasOwn(kindOf(kind)!.store(state), key)) return reject(`Error from server (AlreadyExists): ${resourceOf(kind)} "${name}" already exists`);
  const invalid = selectorMismatch(one);
  if (invalid !== undefined) return reject(invalid);
  const obj = buildObject(state, one);
  if (!obj) return reject(`error: ${kind} "${name}" could not be built`);
  // (issue 6) a ConfigMap / Secret is built with resourceVersion 0 and stamped now; the others by createSim's code
  if (kind !== 'ConfigMap' && kind !== 'Secret') obj.metadata.creationTimestamp = state.t;
  const r = createObject(state, kind, obj as never);
  if (!r.ok) return reject(r.error);
  return { result: { ok: true, message: `${singularOf(kind)}/${name} created`, completesAt: state.t } };
}

/**
 * `create -f` of one PriorityClass (cluster-scoped): 409 for an existing name (the built-ins too), 403
 * for a second `globalDefault` (K plugin/pkg/admission/priority/admission.go validatePriorityClass:
 * `PriorityClass y is already marked as default. Only one default can exist`), else stored through the
 * write path; Pods created from now on resolve it.
 */
function createPriorityClass(state: SimState, m: PriorityClassManifest): Handled {
  if (Object.hasOwn(priorityClassKind.store(state), m.name)) return reject(`Error from server (AlreadyExists): priorityclasses.scheduling.k8s.io "${m.name}" already exists`);
  const existing = Object.values(priorityClassKind.store(state)).find((c) => c.globalDefault === true);
  if (m.globalDefault === true && existing) return reject(`Error from server (Forbidden): priorityclasses.scheduling.k8s.io "${m.name}" is forbidden: PriorityClass ${existing.metadata.name} is already marked as default. Only one default can exist`);
  const scratch = { priorityClasses: Object.create(null) as Record<string, PriorityClass>, counters: state.counters, t: state.t, warnings: state.warnings } as unknown as SimState;
  storePriorityClasses(scratch, { priorityClasses: [m] });
  const obj = scratch.priorityClasses![m.name]!;
  obj.metadata.resourceVersion = 0;
  const r = createObject(state, 'PriorityClass', obj);
  if (!r.ok) return reject(r.error);
  return { result: { ok: true, message: `priorityclass.scheduling.k8s.io/${m.name} created`, completesAt: state.t } };
}

/**
 * The Pod of a bare Pod manifest, built as createSim builds the scenario's bare Pods (../create.ts):
 * the template converted as a Deployment's (`deploymentFromManifest`), the manifest's restartPolicy
 * (default Always), no owner references. Its images get profiles in `state` (the default profile).
 * Not stored. Units as ../controllers/replicaset.ts `podFromTemplate` (millicores, MiB).
 */
export function barePodFromManifest(state: SimState, m: PodManifest): Pod {
  const ns = m.metadata.namespace ?? 'default';
  const tpl = deploymentFromManifest(state, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: m.metadata.name }, spec: { selector: { matchLabels: {} }, template: m.template } }, 'template').spec.template;
  tpl.spec.restartPolicy = m.template.spec.restartPolicy ?? 'Always';
  for (const c of tpl.spec.containers) ensureImageProfile(state, c.image);
  return podFromTemplate(state, { apiVersion: 'v1', kind: 'Pod', name: m.metadata.name, uid: '', namespace: ns }, tpl, m.metadata.name, undefined, {}, []);
}

/**
 * (issue 6) `kubectl create -f` / `apply -f` of a new bare Pod (`POST /api/v1/namespaces/NS/pods`):
 * validated by shared/manifests as a scenario's bare Pod (its template rules; restartPolicy may be
 * Never / OnFailure), stored without an owner through `createObject` (admission: LimitRange, quota,
 * PriorityClass), then scheduled and started as any Pod (the scheduler's queue; a manifest
 * `nodeName` goes straight to that kubelet). 409 `pods "x" already exists` for an existing name.
 * Source: W concepts/workloads/pods ("you can create Pods directly"), K pkg/registry/core/pod.
 */
function createBarePod(state: SimState, m: PodManifest): Handled {
  const key = objKey(m.metadata.namespace ?? 'default', m.metadata.name);
  if (Object.hasOwn(state.pods, key)) return reject(`Error from server (AlreadyExists): pods "${m.metadata.name}" already exists`);
  const r = createObject(state, 'Pod', barePodFromManifest(state, m));
  if (!r.ok) return reject(r.error);
  return { result: { ok: true, message: `pod/${m.metadata.name} created`, completesAt: state.t } };
}

/** (added, issue 6) `kubectl create -f` of a PersistentVolumeClaim: stored Bound (../kinds/pvc.ts); Pods waiting for it get scheduled. */
function createClaim(state: SimState, c: PersistentVolumeClaimTemplate): Handled {
  const ns = c.metadata.namespace ?? 'default';
  const key = objKey(ns, c.metadata.name);
  if (state.persistentVolumeClaims && Object.hasOwn(state.persistentVolumeClaims, key)) return reject(`Error from server (AlreadyExists): persistentvolumeclaims "${c.metadata.name}" already exists`);
  const r = createObject(state, 'PersistentVolumeClaim', claimFromTemplate(c, newMeta(state, ns, c.metadata.name, {}, {}, [])));
  if (!r.ok) return reject(r.error);
  return { result: { ok: true, message: `persistentvolumeclaim/${c.metadata.name} created`, completesAt: state.t } };
}
