/**
 * The Deployment controller: one ReplicaSet per pod template (named `<deployment>-<pod-template-hash>`,
 * revision in annotation `deployment.kubernetes.io/revision`), RollingUpdate or Recreate rollouts,
 * `ScalingReplicaSet` events, status counts and the Available / Progressing conditions with
 * `ProgressDeadlineExceeded` after `progressDeadlineSeconds` (600 s default) without progress, and
 * history cleanup beyond `revisionHistoryLimit`.
 *
 * Source: K pkg/controller/deployment/{sync.go,rolling.go,recreate.go,progress.go} and
 * util/deployment_util.go; kubernetes-behaviour.md §4. Only queued Deployments are synced.
 * Simplification: a scale change in the middle of a rollout is not spread proportionally across
 * ReplicaSets (sync.go scale()); the rolling maths absorbs it over the next syncs.
 */
import { apiWritable, compactDirty, createObject, drainDirty, markDirty, newMeta, noteChange, removeObject, updateObject, updateStatus } from '../apiserver.ts';
import { emit } from '../emit.ts';
import { getIndex } from '../cache.ts';
import { templateHash } from '../names.ts';
import { scheduleTimer, type TimerKind } from '../timers.ts';
import type { Deployment, DeploymentCondition, PodTemplateSpec, ReplicaSet, SimState, Timer } from '../types.ts';
import { maxUnavailable, newRSNewReplicas, scaleDownOld, surgeAndUnavailable } from './rolling.ts';

/** Annotation holding a ReplicaSet's (and its Deployment's) revision. */
export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
/** Timer kind re-checking the progress deadline. */
export const DEADLINE_TIMER: TimerKind = 'deploy.deadline';
const SOURCE = 'deployment-controller';

/** Revision number of a ReplicaSet (0 when unset). */
export function revisionOf(rs: ReplicaSet): number {
  return Number(rs.metadata.annotations[REVISION_ANNOTATION] ?? '0') || 0;
}

/** The ReplicaSets owned by a Deployment, oldest revision first (ties by name). */
export function replicaSetsOf(state: SimState, deploymentKey: string): { key: string; rs: ReplicaSet }[] {
  return [...(getIndex(state).rsByDeployment.get(deploymentKey) ?? [])]
    .map((key) => ({ key, rs: state.replicaSets[key]! }))
    .sort((a, b) => revisionOf(a.rs) - revisionOf(b.rs) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Syncs every queued Deployment. Stalls (keeps the queue) while the API server cannot write. */
export function deploymentSync(state: SimState): void {
  if (!apiWritable(state)) return compactDirty(state, 'deployments');
  for (const key of drainDirty(state, 'deployments')) syncDeployment(state, key);
}

/** A due progress-deadline timer: queue the Deployment so its Progressing condition is re-evaluated. */
export function onDeploymentTimer(state: SimState, timer: Timer): void {
  if (state.deployments[timer.ref]) markDirty(state, 'deployments', timer.ref);
}

function dRef(d: Deployment) {
  return { kind: 'Deployment', name: d.metadata.name, namespace: d.metadata.namespace };
}

function scaleRS(state: SimState, d: Deployment, key: string, rs: ReplicaSet, to: number): boolean {
  const from = rs.spec.replicas;
  if (from === to) return false;
  const written = updateObject(state, 'ReplicaSet', key, (x) => {
    x.spec.replicas = to;
    x.metadata.annotations['deployment.kubernetes.io/desired-replicas'] = String(d.spec.replicas);
    x.metadata.annotations['deployment.kubernetes.io/max-replicas'] = String(d.spec.replicas + surgeAndUnavailable(d).maxSurge);
  }, { generation: true });
  if (!written.ok) return false;
  emit(state, 'Normal', 'ScalingReplicaSet', dRef(d), `Scaled ${to > from ? 'up' : 'down'} replica set ${rs.metadata.name} from ${from} to ${to}`, SOURCE);
  return true;
}

function createRS(state: SimState, dKey: string, d: Deployment, hash: string, revision: number, replicas: number): { key: string; rs: ReplicaSet } {
  const ns = d.metadata.namespace;
  const name = `${d.metadata.name}-${hash}`;
  const tpl = copyPlain(d.spec.template);
  tpl.metadata.labels['pod-template-hash'] = hash;
  const meta = newMeta(state, ns, name, { ...tpl.metadata.labels }, {
    [REVISION_ANNOTATION]: String(revision),
    'deployment.kubernetes.io/desired-replicas': String(d.spec.replicas),
    'deployment.kubernetes.io/max-replicas': String(d.spec.replicas + surgeAndUnavailable(d).maxSurge),
  }, [{ apiVersion: 'apps/v1', kind: 'Deployment', name: d.metadata.name, uid: d.metadata.uid, controller: true }]);
  const rs: ReplicaSet = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: meta,
    spec: {
      replicas,
      selector: { matchLabels: { ...d.spec.selector.matchLabels, 'pod-template-hash': hash } },
      template: tpl,
      minReadySeconds: d.spec.minReadySeconds,
    },
    status: { replicas: 0, readyReplicas: 0, availableReplicas: 0, fullyLabeledReplicas: 0, observedGeneration: 0 },
  };
  const key = `${ns}/${name}`;
  createObject(state, 'ReplicaSet', rs);
  if (replicas > 0) emit(state, 'Normal', 'ScalingReplicaSet', dRef(d), `Scaled up replica set ${name} from 0 to ${replicas}`, SOURCE);
  setCondition(state, d, 'Progressing', 'True', 'NewReplicaSetCreated', `Created new replica set "${name}"`);
  return { key, rs };
}

/**
 * Deep copy of JSON-shaped data (plain objects, arrays, strings, numbers, booleans, null): keys in the
 * same order, `undefined` values and an own `__proto__` key kept as own properties, which is what
 * `structuredClone` gives for such data, without its serialiser round trip (a rollout creates a
 * ReplicaSet, and copies its template, for every Deployment it changes in the same tick).
 */
function copyPlain<T>(v: T): T {
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) return v.map(copyPlain) as T;
  // eslint-disable-next-line no-restricted-syntax -- a copy of the template's own keys (`__proto__` defined as an own property), never looked up by an untrusted name
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) {
    const x = copyPlain((v as Record<string, unknown>)[k]);
    if (k === '__proto__') Object.defineProperty(out, k, { value: x, writable: true, enumerable: true, configurable: true });
    else out[k] = x;
  }
  return out as T;
}

function setCondition(state: SimState, d: Deployment, type: DeploymentCondition['type'], status: DeploymentCondition['status'], reason: string, message: string): void {
  const conds = d.status.conditions;
  const c = conds.find((x) => x.type === type);
  if (c && c.status === status && c.reason === reason) {
    if (c.message !== message) {
      c.message = message;
    }
    return;
  }
  const next: DeploymentCondition = { type, status, reason, message, lastUpdateTime: state.t, lastTransitionTime: c && c.status === status ? c.lastTransitionTime : state.t };
  if (c) Object.assign(c, next);
  else conds.push(next);
}

/**
 * The `pod-template-hash` of each template object last hashed, with the template's `JSON.stringify`
 * then; beside the state (never hashed), keyed by the object so a replaced template is hashed anew.
 */
const templateHashes = new WeakMap<PodTemplateSpec, { json: string; hash: string }>();

/**
 * {@link templateHash} of a Deployment's pod template, memoised: a template edited in place (`kubectl set
 * image` changes a container's image in it) is hashed again, as its JSON text changed; the same JSON
 * text of the same object (templates are JSON data) gives the same canonical hash. O(template) with a
 * native `JSON.stringify` and one string comparison instead of the canonical JSON and FNV hash of every sync.
 */
function podTemplateHash(tpl: PodTemplateSpec): string {
  const json = JSON.stringify(tpl);
  const memo = templateHashes.get(tpl);
  if (memo !== undefined && memo.json === json) return memo.hash;
  const hash = templateHash(tpl);
  templateHashes.set(tpl, { json, hash });
  return hash;
}

function syncDeployment(state: SimState, key: string): void {
  const d = state.deployments[key];
  // (issue 6) a Deployment being deleted (Foreground: it lingers until its ReplicaSets are gone) is not
  // rolled or scaled (K pkg/controller/deployment/deployment_controller.go syncDeployment: DeletionTimestamp set -> status only)
  if (!d || d.metadata.deletionTimestamp !== undefined) return;
  const rvBefore = d.metadata.resourceVersion;
  const conditionsBefore = conditionFields(d.status.conditions);
  const hash = podTemplateHash(d.spec.template);
  const all = replicaSetsOf(state, key);
  let cur = all.find((x) => x.rs.metadata.labels['pod-template-hash'] === hash);
  const old = all.filter((x) => x !== cur);
  const maxOldRevision = old.reduce((m, x) => Math.max(m, revisionOf(x.rs)), 0);
  if (cur && revisionOf(cur.rs) <= maxOldRevision) {
    const rs = cur.rs;
    updateObject(state, 'ReplicaSet', cur.key, () => {
      rs.metadata.annotations[REVISION_ANNOTATION] = String(maxOldRevision + 1);
    }, { enqueue: false }); // a metadata-only write the controller makes on its own ReplicaSet
  }
  if (!d.spec.paused) {
    if (d.spec.strategy.type === 'Recreate') cur = rolloutRecreate(state, key, d, hash, cur, old, maxOldRevision);
    else cur = rolloutRolling(state, key, d, hash, cur, old, maxOldRevision);
  }
  if (cur) {
    const rev = cur.rs.metadata.annotations[REVISION_ANNOTATION] ?? '1';
    if (d.metadata.annotations[REVISION_ANNOTATION] !== rev) {
      d.metadata.annotations[REVISION_ANNOTATION] = rev;
      noteChange(state, 'Deployment', key); // written with the status below (no revision bump of its own)
    }
  }
  syncStatus(state, key, d, cur, old);
  // Condition text/time changes alone are not a status write here (kept as before); still observable.
  if (d.metadata.resourceVersion === rvBefore && !sameConditionFields(d.status.conditions, conditionsBefore)) noteChange(state, 'Deployment', key);
}

/**
 * The fields of a Deployment's conditions, flat, in order: compared after the sync to see whether a
 * condition changed ({@link sameConditionFields}). The sync changes conditions only through these
 * fields (in place, or a new condition pushed), so this says what their `JSON.stringify` says.
 */
function conditionFields(conds: readonly DeploymentCondition[]): (string | number)[] {
  const out: (string | number)[] = [];
  for (const c of conds) out.push(c.type, c.status, c.reason, c.message, c.lastUpdateTime, c.lastTransitionTime);
  return out;
}

function sameConditionFields(conds: readonly DeploymentCondition[], before: readonly (string | number)[]): boolean {
  if (conds.length * 6 !== before.length) return false;
  for (let i = 0; i < conds.length; i++) {
    const c = conds[i]!;
    const o = 6 * i;
    if (c.type !== before[o] || c.status !== before[o + 1] || c.reason !== before[o + 2] || c.message !== before[o + 3] || c.lastUpdateTime !== before[o + 4] || c.lastTransitionTime !== before[o + 5]) return false;
  }
  return true;
}

/** Status objects written by {@link syncStatus} (its own field order), compared field by field on the next sync. */
const builtStatuses = new WeakSet<Deployment['status']>();

/**
 * True when `next` (built by {@link syncStatus}, its `conditions` the same array as `prev`'s) serialises
 * as `prev` does: field by field when `prev` was built there too (same keys in the same order), else by
 * `JSON.stringify` (a restored status may hold its keys in another order: then it is written anew).
 */
function sameStatus(prev: Deployment['status'], next: Deployment['status']): boolean {
  if (!builtStatuses.has(prev)) return JSON.stringify(prev) === JSON.stringify(next);
  return prev.observedGeneration === next.observedGeneration && prev.replicas === next.replicas && prev.updatedReplicas === next.updatedReplicas &&
    prev.readyReplicas === next.readyReplicas && prev.availableReplicas === next.availableReplicas && prev.unavailableReplicas === next.unavailableReplicas &&
    prev.conditions === next.conditions;
}

function rolloutRolling(state: SimState, dKey: string, d: Deployment, hash: string, cur: { key: string; rs: ReplicaSet } | undefined, old: { key: string; rs: ReplicaSet }[], maxOldRevision: number) {
  const counts = (rs: ReplicaSet) => ({ replicas: rs.spec.replicas, available: rs.status.availableReplicas });
  if (!cur) {
    const n = newRSNewReplicas(d, old.map((x) => counts(x.rs)), { replicas: 0, available: 0 });
    cur = createRS(state, dKey, d, hash, maxOldRevision + 1, n);
  } else if (cur.rs.spec.replicas > d.spec.replicas) {
    scaleRS(state, d, cur.key, cur.rs, d.spec.replicas);
    return cur;
  } else if (cur.rs.spec.replicas < d.spec.replicas) {
    const n = newRSNewReplicas(d, [...old, cur].map((x) => counts(x.rs)), counts(cur.rs));
    if (scaleRS(state, d, cur.key, cur.rs, n)) return cur;
  }
  const next = scaleDownOld(d, old.map((x) => counts(x.rs)), counts(cur.rs));
  old.forEach((x, i) => scaleRS(state, d, x.key, x.rs, next[i]!));
  return cur;
}

function rolloutRecreate(state: SimState, dKey: string, d: Deployment, hash: string, cur: { key: string; rs: ReplicaSet } | undefined, old: { key: string; rs: ReplicaSet }[], maxOldRevision: number) {
  let scaledDown = false;
  for (const x of old) if (scaleRS(state, d, x.key, x.rs, 0)) scaledDown = true;
  if (scaledDown) return cur;
  const idx = getIndex(state);
  if (old.some((x) => (idx.podsByOwner.get(x.key)?.size ?? 0) > 0)) return cur; // wait for old pods to be gone
  if (!cur) return createRS(state, dKey, d, hash, maxOldRevision + 1, d.spec.replicas);
  scaleRS(state, d, cur.key, cur.rs, d.spec.replicas);
  return cur;
}

function syncStatus(state: SimState, key: string, d: Deployment, cur: { key: string; rs: ReplicaSet } | undefined, old: { key: string; rs: ReplicaSet }[]): void {
  const all = cur ? [...old, cur] : old;
  const prev = d.status;
  const specTotal = all.reduce((s, x) => s + x.rs.spec.replicas, 0);
  const available = all.reduce((s, x) => s + x.rs.status.availableReplicas, 0);
  const next = {
    observedGeneration: d.metadata.generation,
    replicas: all.reduce((s, x) => s + x.rs.status.replicas, 0),
    updatedReplicas: cur ? cur.rs.status.replicas : 0,
    readyReplicas: all.reduce((s, x) => s + x.rs.status.readyReplicas, 0),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, specTotal - available),
    conditions: prev.conditions,
  };
  const replicas = d.spec.replicas;
  if (available >= replicas - maxUnavailable(d)) setCondition(state, d, 'Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.');
  else setCondition(state, d, 'Available', 'False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.');
  const rsName = cur?.rs.metadata.name ?? d.metadata.name;
  const complete = next.updatedReplicas === replicas && next.availableReplicas === replicas && next.replicas === replicas && next.observedGeneration >= d.metadata.generation;
  const progressing = next.updatedReplicas > prev.updatedReplicas || next.replicas - next.updatedReplicas < prev.replicas - prev.updatedReplicas
    || next.readyReplicas > prev.readyReplicas || next.availableReplicas > prev.availableReplicas;
  const pc = d.status.conditions.find((c) => c.type === 'Progressing');
  if (complete) {
    setCondition(state, d, 'Progressing', 'True', 'NewReplicaSetAvailable', `ReplicaSet "${rsName}" has successfully progressed.`);
  } else if (progressing) {
    const c = d.status.conditions.find((x) => x.type === 'Progressing');
    if (c && c.status === 'True' && c.reason === 'ReplicaSetUpdated') c.lastUpdateTime = state.t;
    else setCondition(state, d, 'Progressing', 'True', 'ReplicaSetUpdated', `ReplicaSet "${rsName}" is progressing.`);
  } else if (pc && pc.reason !== 'NewReplicaSetAvailable' && pc.reason !== 'ProgressDeadlineExceeded' && state.t > pc.lastUpdateTime + d.spec.progressDeadlineSeconds) {
    setCondition(state, d, 'Progressing', 'False', 'ProgressDeadlineExceeded', `ReplicaSet "${rsName}" has timed out progressing.`);
    // No event: the deployment controller only sets the condition (K pkg/controller/deployment/progress.go).
  }
  const pc2 = d.status.conditions.find((c) => c.type === 'Progressing');
  if (!complete && pc2 && pc2.lastUpdateTime === state.t && pc2.reason !== 'ProgressDeadlineExceeded') {
    scheduleTimer(state, state.t + d.spec.progressDeadlineSeconds + state.settings.tickSeconds, DEADLINE_TIMER, key);
  }
  d.status = next;
  builtStatuses.add(next);
  if (!sameStatus(prev, next)) updateStatus(state, 'Deployment', key);
  if (complete) cleanupHistory(state, d, old);
}

function cleanupHistory(state: SimState, d: Deployment, old: { key: string; rs: ReplicaSet }[]): void {
  const idx = getIndex(state);
  const cleanable = old.filter((x) => x.rs.spec.replicas === 0 && x.rs.status.replicas === 0 && (idx.podsByOwner.get(x.key)?.size ?? 0) === 0);
  const extra = cleanable.length - d.spec.revisionHistoryLimit;
  for (let i = 0; i < extra; i++) {
    removeObject(state, 'ReplicaSet', cleanable[i]!.key);
  }
}
