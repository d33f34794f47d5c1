/**
 * Kubernetes API writes -> the game's actions (shared/protocol.ts `ActionMessage`), so a player's kubectl
 * and the web console are one game: the room submits them through shared/game `submit` (gated,
 * applied by the sim's action handlers, logged with the player, scored).
 *
 * Supported, with the bodies kubectl v1.32 sends:
 * - `PATCH deployments/NAME/scale` or `PUT` (autoscaling/v1 Scale `spec.replicas`; `kubectl scale`)
 * - `PATCH deployments/NAME`: `spec.replicas` (scale), the `kubectl.kubernetes.io/restartedAt` template
 *   annotation (`kubectl rollout restart`), `spec.template.spec.containers[{name, image}]`
 *   (`kubectl set image`) and `resources` (`kubectl set resources`)
 * - `PATCH nodes/NAME`: `spec.unschedulable` (`kubectl cordon` / `uncordon`), `spec.taints` (`kubectl taint`)
 * - `PATCH pods|nodes|deployments|services/NAME`: `metadata.labels` / `annotations` (`kubectl label`,
 *   `annotate`; `null` removes a key) -> `label` / `annotate`
 * - `POST deployments`, `POST services` and (issue 11) `POST poddisruptionbudgets|resourcequotas|limitranges|
 *   jobs|cronjobs|statefulsets|daemonsets` (`kubectl create -f`, `apply -f` of a new object): see {@link createAction}
 * - `POST horizontalpodautoscalers` (`kubectl autoscale`) and `PATCH horizontalpodautoscalers|poddisruptionbudgets|
 *   resourcequotas/NAME` (`kubectl patch`, `edit`) of the spec fields the game models: see {@link autoscalerCreateAction},
 *   {@link policyPatchActions}
 * - `DELETE deployments/NAME` (`propagationPolicy`): see {@link deleteDeploymentAction}
 * - (issue 11) `DELETE services|horizontalpodautoscalers|poddisruptionbudgets|resourcequotas|limitranges|jobs|
 *   cronjobs|statefulsets|daemonsets|replicasets/NAME` (`propagationPolicy`): see {@link deleteObjectAction}
 * - `DELETE pods/NAME` (`gracePeriodSeconds`: 0 = force, N = a grace period of N sim seconds)
 * - `POST pods/NAME/eviction` (policy/v1 Eviction; `kubectl drain`): see {@link evictionActions}
 * - `kubectl rollout undo` (a JSON patch replacing `/spec/template`): mapped in ./routes.ts (it needs the
 *   served ReplicaSets) onto `rolloutUndo`
 * Patch bodies: strategic merge, JSON merge (both as objects) and JSON patch (`replace`/`add` of the
 * paths above). A patch's `status` is ignored, as the real API server ignores status changes sent to
 * the main resource (`kubectl edit` sends them when a sed touches both). Anything else is refused
 * with 422 Invalid naming what is supported (a `FieldValueForbidden` cause with the field).
 *
 * May import: shared/protocol.ts (types), shared/sim (read only; the kind lists of shared/sim/actions/objects.ts), ./status.ts, ./desired.ts (`contained`).
 */
import type { ActionMessage } from '../../shared/protocol.ts';
import { EVICTION_REFUSED, evictionAllowed } from '../../shared/sim/apiserver.ts';
import { splitKey } from '../../shared/sim/names.ts';
import type { DeletableKind, Pod, SimState } from '../../shared/sim/types.ts';
import { kindOf } from '../../shared/sim/kinds/index.ts';
import { kindsWhere } from '../../shared/sim/kinds/writable.ts';
import { base64Encode } from '../../shared/sim/kinds/config.ts';
import { contained } from './desired.ts';
import { statusError, type StatusError } from './status.ts';

/** The annotation `kubectl rollout restart` sets on the Pod template. */
export const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';

/** An action reference: the bare name in `default`, else `namespace/name` (shared/kubectl/write.ts). */
export function actionRef(ns: string, name: string): string {
  return ns === 'default' ? name : `${ns}/${name}`;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Sets `value` at JSON pointer `path` in `target`, creating objects on the way (JSON patch add/replace). */
function setPointer(target: Record<string, unknown>, path: string, value: unknown): boolean {
  const parts = path.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (parts.length === 0 || parts.some((p) => p === '__proto__' || p === 'constructor' || p === 'prototype')) return false;
  let cur = target;
  for (const p of parts.slice(0, -1)) {
    const next = cur[p];
    if (!isRecord(next)) cur[p] = Object.create(null) as Record<string, unknown>;
    cur = cur[p] as Record<string, unknown>;
  }
  cur[parts.at(-1)!] = value;
  return true;
}

/**
 * A patch body as a merge object. JSON patch (`application/json-patch+json`) `add`/`replace` ops are
 * folded into one; other ops are refused. @returns the object, or a 422/400 Status.
 */
export function patchObject(contentType: string, body: unknown): Record<string, unknown> | StatusError {
  if (contentType.startsWith('application/json-patch+json')) {
    if (!Array.isArray(body)) return statusError(400, 'BadRequest', 'json patch must be an array of operations');
    const out = Object.create(null) as Record<string, unknown>;
    for (const op of body) {
      if (!isRecord(op) || (op['op'] !== 'replace' && op['op'] !== 'add') || typeof op['path'] !== 'string' || !setPointer(out, op['path'], op['value'])) {
        return statusError(422, 'Invalid', 'this game supports json patch "add" and "replace" operations only');
      }
    }
    return out;
  }
  if (!isRecord(body)) return statusError(400, 'BadRequest', 'the patch body must be a JSON object');
  return body;
}

/** The merge key of a list kubectl's strategic merge merges by element (`containers`, `env`, `volumes` by `name`...). */
const MERGE_KEYS: Readonly<Record<string, string>> = { containers: 'name', initContainers: 'name', env: 'name', volumes: 'name', volumeMounts: 'mountPath', ports: 'containerPort' };

/**
 * (added, issue 6) `patch` (a strategic merge patch, or a JSON merge patch, as an object) applied to
 * `target`: maps merged recursively, `null` removing a key, lists of MERGE_KEYS merged by their key
 * (an element `$patch: delete` removed; `$setElementOrder/LIST` orders them), other lists replaced,
 * other `$` directives ignored. A fresh object; `target` is not changed. Source:
 * https://kubernetes.io/docs/tasks/manage-kubernetes-objects/update-api-object-kubectl-patch/.
 */
export function strategicMerge(target: unknown, patch: unknown): unknown {
  if (!isRecord(patch)) return patch;
  const out = Object.create(null) as Record<string, unknown>;
  if (isRecord(target)) for (const [k, v] of Object.entries(target)) out[k] = v;
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith('$')) continue;
    if (v === null) delete out[k];
    else if (Array.isArray(v) && Object.hasOwn(MERGE_KEYS, k) && Array.isArray(out[k])) out[k] = mergeList(out[k] as unknown[], v, MERGE_KEYS[k]!, patch[`$setElementOrder/${k}`]);
    else out[k] = isRecord(v) ? strategicMerge(out[k], v) : v;
  }
  return out;
}

/** A list merged by `key` (see {@link strategicMerge}). */
function mergeList(base: readonly unknown[], patch: readonly unknown[], key: string, order: unknown): unknown[] {
  const keyOf = (e: unknown): string | undefined => (isRecord(e) && e[key] !== undefined ? String(e[key]) : undefined);
  const out = [...base];
  for (const p of patch) {
    const at = out.findIndex((e) => keyOf(e) !== undefined && keyOf(e) === keyOf(p));
    if (isRecord(p) && p['$patch'] === 'delete') {
      if (at >= 0) out.splice(at, 1);
    } else if (at >= 0) out[at] = strategicMerge(out[at], p);
    else out.push(p);
  }
  if (!Array.isArray(order)) return out;
  const rank = new Map(order.map((e, i) => [keyOf(e), i]));
  return out.map((e, i) => ({ e, i })).sort((a, b) => (rank.get(keyOf(a.e)) ?? order.length + a.i) - (rank.get(keyOf(b.e)) ?? order.length + b.i)).map((x) => x.e);
}

const KIND_OF_RESOURCE: Readonly<Record<string, { kind: string; group: string }>> = {
  pods: { kind: 'Pod', group: '' },
  nodes: { kind: 'Node', group: '' },
  services: { kind: 'Service', group: '' },
  'deployments.apps': { kind: 'Deployment', group: 'apps' },
};

/**
 * 422 Invalid for a patch touching `field`, which the game cannot change. `what` starts with the
 * object (`pods "x" patch ...`): the details name it (kind, name, group), so kubectl prints
 * `The Pod "x" is invalid: FIELD: this game's API supports ...` like a real validation error.
 */
const unsupported = (what: string, supported: string, field?: string): StatusError => {
  const m = /^(\S+) "([^"]+)"/.exec(what);
  const obj = m && Object.hasOwn(KIND_OF_RESOURCE, m[1]!) ? KIND_OF_RESOURCE[m[1]!] : undefined;
  return statusError(422, 'Invalid', `${what}: this game's API supports ${supported}; use the game's console for anything else`, {
    ...(obj && m ? { name: m[2]!, kind: obj.kind, ...(obj.group === '' ? {} : { group: obj.group }) } : {}),
    causes: [{ reason: 'FieldValueForbidden', message: `this game's API supports ${supported}`, field: field ?? '' }],
  });
};

/** Kinds whose metadata (labels, annotations) a patch may change. */
export type MetadataKind = 'Pod' | 'Node' | 'Deployment' | 'Service';

/** Metadata keys a patch may carry: identity (unchanged), labels and annotations. */
const METADATA_KEYS = ['name', 'namespace', 'resourceVersion', 'uid', 'labels', 'annotations'];

/**
 * The `label` / `annotate` actions of a patch's `metadata` (`kubectl label`, `kubectl annotate`, the
 * metadata part of `kubectl edit` and `apply`): a map merge, `null` removing a key; keys sorted so the
 * action is the same whatever the body's order. @returns the actions (none when the patch has no
 * labels or annotations), or a 422 naming what is supported.
 */
export function metadataActions(kind: MetadataKind, ref: string, name: string, metadata: unknown): ActionMessage[] | StatusError {
  if (metadata === undefined || metadata === null) return [];
  const what = `${kind === 'Deployment' ? 'deployments.apps' : `${kind.toLowerCase()}s`} "${name}" patch`;
  if (!isRecord(metadata)) return statusError(422, 'Invalid', `${what}: metadata must be an object`);
  const extra = extraKeys(metadata, METADATA_KEYS);
  if (extra.length > 0) return unsupported(`${what} touches metadata.${extra[0]}`, 'metadata.labels and metadata.annotations', `metadata.${extra[0]}`);
  const out: ActionMessage[] = [];
  for (const field of ['labels', 'annotations'] as const) {
    const m = metadata[field];
    if (m === undefined) continue;
    if (m !== null && !isRecord(m)) return statusError(422, 'Invalid', `${what}: metadata.${field} must be a map of strings`);
    const changes: { key: string; value: string | null }[] = [];
    for (const key of Object.keys(m ?? {}).filter((k) => !k.startsWith('$')).sort()) {
      const v = (m as Record<string, unknown>)[key];
      if (v !== null && typeof v !== 'string') return statusError(422, 'Invalid', `${what}: metadata.${field}.${key} must be a string`);
      changes.push({ key, value: v });
    }
    if (changes.length === 0) continue;
    out.push(field === 'labels' ? { type: 'label', kind, name: ref, labels: changes } : { type: 'annotate', kind, name: ref, annotations: changes });
  }
  return out;
}

/** The actions of a patch that may change only metadata (Pods, Services), or a 422 naming what is supported. */
export function metadataOnlyActions(kind: 'Pod' | 'Service', ns: string, name: string, body: Record<string, unknown>): ActionMessage[] | StatusError {
  const extra = extraKeys(body, ['metadata', 'apiVersion', 'kind', 'status']);
  if (extra.length > 0) return unsupported(`${kind.toLowerCase()}s "${name}" patch touches ${extra[0]}`, 'metadata.labels and metadata.annotations', extra[0]);
  return metadataActions(kind, actionRef(ns, name), name, body['metadata']);
}

/** Keys of `obj` other than `allowed` and strategic-merge directives (`$setElementOrder/...`, `$patch`). */
function extraKeys(obj: Record<string, unknown>, allowed: readonly string[]): string[] {
  return Object.keys(obj).filter((k) => !allowed.includes(k) && !k.startsWith('$'));
}

/** A scale request (`spec.replicas`, a whole number >= 0), or a Status. */
export function scaleAction(ns: string, name: string, body: Record<string, unknown>): ActionMessage | StatusError {
  const spec = body['spec'];
  const replicas = isRecord(spec) ? spec['replicas'] : undefined;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
    return statusError(422, 'Invalid', `Scale.autoscaling "${name}" is invalid: spec.replicas: Invalid value: ${JSON.stringify(replicas ?? null)}: must be greater than or equal to 0`, {
      name,
      group: 'autoscaling',
      kind: 'Scale',
      causes: [{ reason: 'FieldValueInvalid', message: 'must be greater than or equal to 0', field: 'spec.replicas' }],
    });
  }
  return { type: 'scaleDeployment', deployment: actionRef(ns, name), replicas };
}

const DEPLOYMENT_SUPPORTED = 'metadata.labels, metadata.annotations, spec.replicas, spec.paused, the kubectl.kubernetes.io/restartedAt template annotation and containers\' image, resources and literal env values';

/**
 * The env changes of a strategic merge patch's container `env` list (merged by `name`, as kubectl
 * set env sends them): `{name, value}` sets, `{name, $patch: delete}` removes. Null for anything else
 * (`valueFrom`: secrets and ConfigMaps are not simulated).
 */
function envChanges(list: unknown): { name: string; value: string | null }[] | null {
  if (!Array.isArray(list)) return null;
  const out: { name: string; value: string | null }[] = [];
  for (const e of list) {
    if (!isRecord(e) || typeof e['name'] !== 'string') return null;
    if (e['$patch'] === 'delete' && extraKeys(e, ['name', '$patch']).length === 0) out.push({ name: e['name'], value: null });
    else if (extraKeys(e, ['name', 'value']).length === 0 && (e['value'] === undefined || typeof e['value'] === 'string')) out.push({ name: e['name'], value: (e['value'] as string | undefined) ?? '' });
    else return null;
  }
  return out;
}

/** The actions of a Deployment patch (one per effect, in order: scale, restart, images, resources), or a Status. */
export function deploymentActions(ns: string, name: string, body: Record<string, unknown>): ActionMessage[] | StatusError {
  const actions: ActionMessage[] = [];
  const ref = actionRef(ns, name);
  const bad = (what: string) => unsupported(`deployments.apps "${name}" patch ${what}`, DEPLOYMENT_SUPPORTED);
  const topExtra = extraKeys(body, ['spec', 'metadata', 'apiVersion', 'kind', 'status']);
  if (topExtra.length > 0) return unsupported(`deployments.apps "${name}" patch touches ${topExtra[0]}`, DEPLOYMENT_SUPPORTED, topExtra[0]);
  const meta = metadataActions('Deployment', ref, name, body['metadata']);
  if (!Array.isArray(meta)) return meta;
  actions.push(...meta);
  const spec = body['spec'];
  if (spec === undefined) return actions;
  if (!isRecord(spec)) return bad('has a spec that is not an object');
  const specExtra = extraKeys(spec, ['replicas', 'template', 'paused']);
  if (specExtra.length > 0) return unsupported(`deployments.apps "${name}" patch touches spec.${specExtra[0]}`, DEPLOYMENT_SUPPORTED, `spec.${specExtra[0]}`);
  if (spec['replicas'] !== undefined) {
    const a = scaleAction(ns, name, { spec: { replicas: spec['replicas'] } });
    if ('code' in a) return a;
    actions.push(a);
  }
  if (spec['paused'] !== undefined) {
    // kubectl rollout pause sends true, resume false (null from a merge patch removing it).
    if (spec['paused'] !== null && typeof spec['paused'] !== 'boolean') return statusError(422, 'Invalid', `Deployment.apps "${name}" is invalid: spec.paused: Invalid value: ${JSON.stringify(spec['paused'])}: must be a boolean`);
    actions.push({ type: 'pauseRollout', deployment: ref, paused: spec['paused'] === true });
  }
  const template = spec['template'];
  if (template === undefined) return actions;
  if (!isRecord(template) || extraKeys(template, ['metadata', 'spec']).length > 0) return bad('touches template fields');
  const tmeta = template['metadata'];
  if (tmeta !== undefined) {
    const annotations = isRecord(tmeta) ? tmeta['annotations'] : undefined;
    if (!isRecord(tmeta) || extraKeys(tmeta, ['annotations']).length > 0 || !isRecord(annotations) || extraKeys(annotations, [RESTARTED_AT]).length > 0) {
      return bad('touches template metadata other than the restartedAt annotation');
    }
    if (annotations[RESTARTED_AT] !== undefined) actions.push({ type: 'rolloutRestart', deployment: ref });
  }
  const tspec = template['spec'];
  if (tspec === undefined) return actions;
  if (!isRecord(tspec) || extraKeys(tspec, ['containers']).length > 0 || !Array.isArray(tspec['containers'])) return bad('touches pod spec fields other than containers');
  for (const c of tspec['containers'] as unknown[]) {
    if (!isRecord(c) || typeof c['name'] !== 'string' || extraKeys(c, ['name', 'image', 'resources', 'env']).filter((k) => !k.startsWith('$setElementOrder/')).length > 0) return bad('touches container fields other than image, resources and env');
    const container = c['name'];
    if (c['env'] !== undefined) {
      const env = envChanges(c['env']);
      if (env === null) return bad('sets env entries other than literal name/value pairs');
      if (env.length > 0) actions.push({ type: 'setEnv', deployment: ref, container, env });
    }
    if (c['image'] !== undefined) {
      if (typeof c['image'] !== 'string' || c['image'] === '') return statusError(422, 'Invalid', `Deployment.apps "${name}" is invalid: spec.template.spec.containers[0].image: Required value`);
      actions.push({ type: 'setImage', deployment: ref, container, image: c['image'] });
    }
    if (c['resources'] !== undefined) {
      const res = c['resources'];
      if (!isRecord(res) || extraKeys(res, ['limits', 'requests']).length > 0) return bad('touches resources other than limits and requests');
      const pick = (v: unknown): { cpu?: string; memory?: string } | undefined => {
        if (!isRecord(v)) return undefined;
        const out: { cpu?: string; memory?: string } = {};
        if (v['cpu'] !== undefined) out.cpu = String(v['cpu']);
        if (v['memory'] !== undefined) out.memory = String(v['memory']);
        return out;
      };
      const action: ActionMessage = { type: 'setResources', deployment: ref, container };
      const limits = pick(res['limits']);
      const requests = pick(res['requests']);
      if (limits) action.limits = limits;
      if (requests) action.requests = requests;
      actions.push(action);
    }
  }
  return actions;
}

/**
 * The actions of a Node patch: `spec.unschedulable` (true = cordon; false or null = uncordon),
 * `spec.taints` (the whole new list, what `kubectl taint` sends; null = none) and metadata labels and
 * annotations (`kubectl label node`), in that order; or a Status.
 */
export function nodeActions(name: string, body: Record<string, unknown>): ActionMessage[] | StatusError {
  const supported = 'spec.unschedulable (cordon, uncordon), spec.taints (taint), metadata.labels and metadata.annotations';
  const spec = body['spec'];
  const topExtra = extraKeys(body, ['spec', 'metadata', 'apiVersion', 'kind', 'status']);
  if (topExtra.length > 0) return unsupported(`nodes "${name}" patch touches ${topExtra[0]}`, supported, topExtra[0]);
  if (spec !== undefined && !isRecord(spec)) return unsupported(`nodes "${name}" patch has a spec that is not an object`, supported, 'spec');
  const specExtra = isRecord(spec) ? extraKeys(spec, ['unschedulable', 'taints']) : [];
  if (specExtra.length > 0) return unsupported(`nodes "${name}" patch touches spec.${specExtra[0]}`, supported, `spec.${specExtra[0]}`);
  const actions: ActionMessage[] = [];
  if (isRecord(spec) && Object.hasOwn(spec, 'unschedulable')) {
    const u = spec['unschedulable'];
    if (u !== true && u !== false && u !== null) return statusError(422, 'Invalid', `Node "${name}" is invalid: spec.unschedulable: Invalid value: ${JSON.stringify(u)}: must be a boolean`);
    actions.push({ type: u === true ? 'cordonNode' : 'uncordonNode', node: name });
  }
  if (isRecord(spec) && Object.hasOwn(spec, 'taints')) {
    const list = spec['taints'] ?? [];
    if (!Array.isArray(list)) return statusError(422, 'Invalid', `Node "${name}" is invalid: spec.taints: Invalid value: must be a list`);
    const taints: { key: string; value?: string; effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute' }[] = [];
    for (const [i, t] of (list as unknown[]).entries()) {
      if (!isRecord(t) || typeof t['key'] !== 'string' || (t['value'] !== undefined && typeof t['value'] !== 'string')) return statusError(422, 'Invalid', `Node "${name}" is invalid: spec.taints[${i}]: Invalid value: a taint needs a string key (and value)`);
      const effect = t['effect'];
      if (effect !== 'NoSchedule' && effect !== 'PreferNoSchedule' && effect !== 'NoExecute') {
        return statusError(422, 'Invalid', `Node "${name}" is invalid: spec.taints[${i}].effect: Unsupported value: ${JSON.stringify(effect ?? '')}: supported values: "NoExecute", "NoSchedule", "PreferNoSchedule"`, {
          causes: [{ reason: 'FieldValueNotSupported', message: 'supported values: "NoExecute", "NoSchedule", "PreferNoSchedule"', field: `spec.taints[${i}].effect` }],
        });
      }
      const taint: (typeof taints)[number] = { key: t['key'], effect };
      if (typeof t['value'] === 'string' && t['value'] !== '') taint.value = t['value'];
      taints.push(taint);
    }
    actions.push({ type: 'taintNode', node: name, taints });
  }
  const meta = metadataActions('Node', name, name, body['metadata']);
  if (!Array.isArray(meta)) return meta;
  actions.push(...meta);
  return actions;
}

/** Kinds a `POST` creates: Deployments and Services (their own actions) and (issue 11) the kinds of action `createObject`. */
export const POST_KINDS = kindsWhere('create', 'createDeployment', 'createService', 'createObject');
/** A kind of {@link POST_KINDS}. */
export type PostKind = (typeof POST_KINDS)[number];


/**
 * The action of `POST` of a new object (`kubectl create -f`, `kubectl apply -f` of an object that does
 * not exist): the body, namespaced to the request's namespace, as the manifest of a
 * `createDeployment` / `createService` / (issue 11) `createObject` action (PDB, ResourceQuota,
 * LimitRange, Job, CronJob, StatefulSet, DaemonSet; the sim reads it with shared/manifests, like a
 * scenario's objects). 400 when the body's namespace differs from the path's, or kind/apiVersion do
 * not match the resource; 413 above 64 KiB.
 */
export function createAction(kind: PostKind, ns: string, body: unknown): ActionMessage | StatusError {
  if (!isRecord(body)) return statusError(400, 'BadRequest', 'the request body must be a JSON object');
  const apiVersion = kindOf(kind)!.apiVersion; // the registry's (shared/sim/kinds)
  if ((body['kind'] !== undefined && body['kind'] !== kind) || (body['apiVersion'] !== undefined && body['apiVersion'] !== apiVersion)) {
    return statusError(400, 'BadRequest', `the API version in the data (${String(body['apiVersion'])}) does not match the expected API version (${apiVersion}) of kind ${kind}`);
  }
  const meta = isRecord(body['metadata']) ? body['metadata'] : {};
  if (meta['namespace'] !== undefined && meta['namespace'] !== ns) return statusError(400, 'BadRequest', 'the namespace of the provided object does not match the namespace sent on the request');
  const { status: _status, ...rest } = body;
  const manifest = JSON.stringify({ ...rest, apiVersion, kind, metadata: { ...meta, namespace: ns } });
  if (manifest.length > 65536) return statusError(413, 'RequestEntityTooLarge', 'the manifest is larger than this game accepts (64 KiB)');
  return kind === 'Deployment' ? { type: 'createDeployment', manifest } : kind === 'Service' ? { type: 'createService', manifest } : { type: 'createObject', manifest };
}

/** (added, issue 6) Kinds an update of an existing object maps to action `applyObject` (shared/sim/actions/apply.ts). */
export const APPLY_OBJECT_KINDS = kindsWhere('update', 'applyObject');
/** A kind of {@link APPLY_OBJECT_KINDS}. */
export type ApplyObjectKind = (typeof APPLY_OBJECT_KINDS)[number];

/** Equal string maps, an omitted map equal to an empty one. */
function sameMap(a: unknown, b: unknown): boolean {
  const x = isRecord(a) ? a : {};
  const y = isRecord(b) ? b : {};
  return Object.keys(x).length === Object.keys(y).length && Object.keys(x).every((k) => Object.hasOwn(y, k) && y[k] === x[k]);
}

/** A Secret's `data` as the API server stores it: `data` with each `stringData` value base64-encoded over it. */
function secretData(desired: Record<string, unknown>): Record<string, unknown> {
  const out = Object.create(null) as Record<string, unknown>;
  for (const [k, v] of Object.entries(isRecord(desired['data']) ? desired['data'] : {})) out[k] = v;
  for (const [k, v] of Object.entries(isRecord(desired['stringData']) ? desired['stringData'] : {})) out[k] = base64Encode(String(v));
  return out;
}

/** True when applying `desired` changes nothing of `served` (kubectl's `unchanged`): the labels, annotations and fields it names are as served. */
function appliedUnchanged(kind: ApplyObjectKind, served: Record<string, unknown>, desired: Record<string, unknown>): boolean {
  const dm = isRecord(desired['metadata']) ? desired['metadata'] : {};
  const sm = isRecord(served['metadata']) ? served['metadata'] : {};
  if (!contained(dm['labels'], sm['labels']) || !contained(dm['annotations'], sm['annotations'])) return false;
  if (desired['immutable'] !== undefined && desired['immutable'] !== (served['immutable'] ?? false)) return false;
  if (kind === 'ConfigMap') return (desired['data'] === undefined && desired['binaryData'] === undefined) || (sameMap(desired['data'], served['data']) && sameMap(desired['binaryData'], served['binaryData']));
  if (kind === 'Secret') return contained(desired['type'], served['type']) && ((desired['data'] === undefined && desired['stringData'] === undefined) || sameMap(secretData(desired), served['data']));
  return contained(desired['spec'], served['spec']);
}

/**
 * (added, issue 6) The actions of an update of an existing LimitRange, Job, CronJob, StatefulSet,
 * DaemonSet, ConfigMap or Secret (`kubectl apply -f` of a changed manifest, the console's and the API's
 * `PUT`): none when `desired` changes nothing of `served` (the object as served; kubectl's
 * `unchanged`), else action `applyObject` with `desired` as its manifest (namespaced, `status`
 * dropped, kind and apiVersion checked as {@link createAction} does), which the sim validates like the
 * API server's update of that kind (an immutable Job template: 422 `field is immutable`).
 */
export function applyObjectActions(kind: ApplyObjectKind, ns: string, name: string, served: Record<string, unknown>, desired: Record<string, unknown>, removed: { labels: string[]; annotations: string[] } = { labels: [], annotations: [] }): ActionMessage[] | StatusError {
  const sm = isRecord(served['metadata']) ? served['metadata'] : {};
  const present = (field: 'labels' | 'annotations') => removed[field].filter((k) => isRecord(sm[field]) && Object.hasOwn(sm[field], k)).sort();
  const removeLabels = present('labels');
  const removeAnnotations = present('annotations');
  if (removeLabels.length === 0 && removeAnnotations.length === 0 && appliedUnchanged(kind, served, desired)) return [];
  const meta = isRecord(desired['metadata']) ? desired['metadata'] : {};
  const a = createAction(kind, ns, { ...desired, metadata: { ...meta, name, namespace: ns } });
  if ('code' in a) return a;
  if (a.type !== 'createObject') return statusError(500, 'InternalError', `no update mapping for ${kind}`);
  return [{ type: 'applyObject', manifest: a.manifest, ...(removeLabels.length > 0 ? { removeLabels } : {}), ...(removeAnnotations.length > 0 ? { removeAnnotations } : {}) }];
}

/**
 * (issue 6) The label / annotation keys a write removes: those a merge or strategic-merge patch sets to
 * `null` (real kubectl apply's three-way patch of a key dropped from the file), or, for a PUT, the
 * served keys the desired object leaves out.
 */
export function removedMetadata(patchOrDesired: unknown, served: Record<string, unknown> | undefined): { labels: string[]; annotations: string[] } {
  const body = isRecord(patchOrDesired) && isRecord(patchOrDesired['metadata']) ? patchOrDesired['metadata'] : {};
  const sm = served && isRecord(served['metadata']) ? served['metadata'] : undefined;
  const keys = (field: 'labels' | 'annotations'): string[] => {
    const m = isRecord(body[field]) ? body[field] : {};
    if (sm === undefined) return Object.keys(m).filter((k) => m[k] === null);
    const have = isRecord(sm[field]) ? sm[field] : {};
    return Object.keys(have).filter((k) => !Object.hasOwn(m, k) && k !== 'kubectl.kubernetes.io/last-applied-configuration');
  };
  return { labels: keys('labels'), annotations: keys('annotations') };
}

/** Equal JSON values whatever the key order. */
function sameJson(a: unknown, b: unknown): boolean {
  return contained(a, b) && contained(b, a);
}

/**
 * (issue 6) The actions of an update of a Pod (`PATCH` with a `spec`: `kubectl set image pod/x`,
 * `kubectl apply -f` / `edit` of a changed Pod; `PUT`: `kubectl replace -f`): `metadata` (the patch's, or
 * for a PUT the labels / annotations it changes or leaves out) -> `label` / `annotate`, and a spec that
 * differs from the served one -> `applyObject` with the desired spec, which the sim validates as the API
 * server's ValidatePodUpdate (images and new tolerations change, the kubelet restarts a container whose
 * image changed; another field: `The Pod "x" is invalid: spec: Forbidden: pod updates may not change
 * fields other than ...`). `spec.activeDeadlineSeconds` (updatable on a real cluster) is 422: the sim
 * has no Pod deadline.
 */
export function podUpdateActions(ns: string, name: string, served: Record<string, unknown>, desired: Record<string, unknown>, metadata: unknown): ActionMessage[] | StatusError {
  const extra = extraKeys(desired, ['metadata', 'apiVersion', 'kind', 'status', 'spec']);
  if (extra.length > 0) return unsupported(`pods "${name}" patch touches ${extra[0]}`, 'metadata.labels, metadata.annotations and spec (its containers\' images and new tolerations)', extra[0]);
  const actions = metadataActions('Pod', actionRef(ns, name), name, metadata);
  if (!Array.isArray(actions)) return actions;
  const spec = desired['spec'];
  if (spec === undefined || sameJson(spec, served['spec'])) return actions;
  if (!isRecord(spec)) return statusError(422, 'Invalid', `Pod "${name}" is invalid: spec: must be an object`);
  const servedSpec = isRecord(served['spec']) ? served['spec'] : {};
  if (!sameJson(spec['activeDeadlineSeconds'], servedSpec['activeDeadlineSeconds'])) {
    return unsupported(`pods "${name}" patch touches spec.activeDeadlineSeconds`, 'metadata.labels, metadata.annotations and spec (its containers\' images and new tolerations): this game has no Pod deadline', 'spec.activeDeadlineSeconds');
  }
  const a = createAction('Pod', ns, { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns }, spec });
  if ('code' in a) return a;
  if (a.type !== 'createObject') return statusError(500, 'InternalError', 'no update mapping for Pod');
  return [...actions, { type: 'applyObject', manifest: a.manifest }];
}

/**
 * The labels / annotations changes of a PUT (`kubectl replace -f`): the desired maps, and `null` for
 * each served key the desired object leaves out (a replace removes them).
 */
export function replacedMetadata(served: Record<string, unknown>, desired: Record<string, unknown>): Record<string, unknown> {
  const sm = isRecord(served['metadata']) ? served['metadata'] : {};
  const dm = isRecord(desired['metadata']) ? desired['metadata'] : {};
  const out = Object.create(null) as Record<string, unknown>;
  for (const field of ['labels', 'annotations'] as const) {
    const have = isRecord(sm[field]) ? sm[field] : {};
    const want = isRecord(dm[field]) ? dm[field] : {};
    const m = Object.create(null) as Record<string, unknown>;
    for (const k of Object.keys(have)) if (!Object.hasOwn(want, k)) m[k] = null;
    for (const k of Object.keys(want)) if (have[k] !== want[k]) m[k] = want[k];
    if (Object.keys(m).length > 0) out[field] = m;
  }
  return out;
}

/**
 * The propagation policy of a DELETE: the DeleteOptions body's `propagationPolicy`, else the query's
 * (kubectl's `--cascade`: background, foreground, orphan); undefined = the default (Background). 422
 * Invalid for another value (apimachinery ValidateDeleteOptions).
 */
function propagationOf(query: Record<string, unknown>, body: unknown): 'Background' | 'Foreground' | 'Orphan' | undefined | StatusError {
  const p = (isRecord(body) ? body['propagationPolicy'] : undefined) ?? query['propagationPolicy'];
  if (p !== undefined && p !== 'Background' && p !== 'Foreground' && p !== 'Orphan') {
    const message = `Unsupported value: ${JSON.stringify(String(p))}: supported values: "Foreground", "Background", "Orphan"`;
    return statusError(422, 'Invalid', `DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: ${message}`, { group: 'meta.k8s.io', kind: 'DeleteOptions', causes: [{ reason: 'FieldValueNotSupported', message, field: 'propagationPolicy' }] });
  }
  return p;
}

/** The action of `DELETE deployments/NAME`: the propagation policy ({@link propagationOf}); default Background. */
export function deleteDeploymentAction(ns: string, name: string, query: Record<string, unknown>, body: unknown): ActionMessage | StatusError {
  const p = propagationOf(query, body);
  if (typeof p === 'object') return p;
  const action: ActionMessage = { type: 'deleteDeployment', deployment: actionRef(ns, name) };
  if (p !== undefined && p !== 'Background') action.propagation = p;
  return action;
}

/**
 * (issue 11) The action of `DELETE KIND/NAME` for a kind of action `deleteObject` (Service, HPA, PDB,
 * ResourceQuota, LimitRange, Job, CronJob, StatefulSet, DaemonSet, ReplicaSet), with the propagation
 * policy ({@link propagationOf}): Background deletes the dependents (a Job's Pods go Terminating),
 * Orphan leaves them without their owner reference.
 */
export function deleteObjectAction(kind: DeletableKind, ns: string, name: string, query: Record<string, unknown>, body: unknown): ActionMessage | StatusError {
  const p = propagationOf(query, body);
  if (typeof p === 'object') return p;
  const action: ActionMessage = { type: 'deleteObject', kind, name: actionRef(ns, name) };
  if (p !== undefined && p !== 'Background') action.propagationPolicy = p;
  return action;
}

/**
 * The action of `DELETE pods/NAME`: the grace period from the query or the DeleteOptions body
 * (`gracePeriodSeconds`; kubectl `--grace-period=N`): 0 = force (removed at once), 1..3600 sim
 * seconds = `gracePeriodSeconds`, absent or negative = the Pod's `terminationGracePeriodSeconds`.
 * 422 Invalid for a value that is not a whole number or above 3600 (this game's limit).
 */
export function deletePodAction(ns: string, name: string, query: Record<string, unknown>, body: unknown): ActionMessage | StatusError {
  const bodyGrace = isRecord(body) ? body['gracePeriodSeconds'] : undefined;
  const raw = bodyGrace ?? query['gracePeriodSeconds'];
  const action: ActionMessage = { type: 'deletePod', pod: actionRef(ns, name) };
  if (raw === undefined || raw === null || raw === '') return action;
  const grace = Number(raw);
  if (!Number.isInteger(grace) || grace > 3600) {
    const message = `Invalid value: ${JSON.stringify(raw)}: this game accepts a whole number of seconds up to 3600`;
    return statusError(422, 'Invalid', `DeleteOptions.meta.k8s.io "" is invalid: gracePeriodSeconds: ${message}`, { group: 'meta.k8s.io', kind: 'DeleteOptions', causes: [{ reason: 'FieldValueInvalid', message, field: 'gracePeriodSeconds' }] });
  }
  if (grace === 0) action.force = true;
  else if (grace > 0) action.gracePeriodSeconds = grace;
  return action;
}

/**
 * The actions of `POST pods/NAME/eviction` (policy/v1 Eviction), mapped onto the players' actions so a
 * drain is one game whichever tool runs it:
 * - a pod already terminating: no action (the API server accepts it as is);
 * - refused by a PodDisruptionBudget (read-only check, `evictionAllowed` in shared/sim/apiserver.ts):
 *   429 TooManyRequests `Cannot evict pod as it would violate the pod's disruption budget.`, nothing
 *   submitted (kubectl drain retries every 5 s);
 * - on a cordoned node (`kubectl drain` cordons first): `drainNode` of that node, the console's
 *   `kubectl drain` (evicts every pod of the node at once through the sim's `evictPod`, PDBs gating
 *   each; kubectl's evictions of the others then find them terminating);
 * - on a schedulable node (a lone eviction, e.g. from a client library): `deletePod` (graceful),
 *   the PDB check having passed.
 * Source: https://kubernetes.io/docs/concepts/scheduling-eviction/api-eviction/ and K
 * pkg/registry/core/pod/storage/eviction.go. @returns the actions (maybe none), or a 429 Status.
 */
export function evictionActions(state: SimState, key: string, pod: Pod): ActionMessage[] | StatusError {
  if (pod.metadata.deletionTimestamp !== undefined) return [];
  const { namespace, name } = splitKey(key);
  if (!evictionAllowed(state, key, pod)) {
    return statusError(429, 'TooManyRequests', EVICTION_REFUSED, { causes: [{ reason: 'DisruptionBudget', message: 'The disruption budget needs more healthy pods to allow this eviction.' }] });
  }
  const nodeName = pod.spec.nodeName;
  const node = nodeName !== undefined && nodeName !== '' && Object.hasOwn(state.nodes, nodeName) ? state.nodes[nodeName] : undefined;
  if (node?.spec.unschedulable === true) return [{ type: 'drainNode', node: node.metadata.name }];
  return [{ type: 'deletePod', pod: actionRef(namespace, name) }];
}

/** The CPU utilisation target (percent of requests) of an autoscaling/v2 `spec.metrics` list, if any. */
function cpuTarget(metrics: unknown): number | undefined {
  if (!Array.isArray(metrics)) return undefined;
  for (const m of metrics) {
    if (!isRecord(m) || m['type'] !== 'Resource' || !isRecord(m['resource']) || m['resource']['name'] !== 'cpu') continue;
    const target = m['resource']['target'];
    const u = isRecord(target) ? target['averageUtilization'] : undefined;
    if (typeof u === 'number') return u;
  }
  return undefined;
}

/**
 * The action of `POST horizontalpodautoscalers` (autoscaling/v2, or v1's `targetCPUUtilizationPercentage`; `kubectl autoscale deployment X --max=N
 * [--min=M] [--cpu-percent=P]`, or `create -f` of an HPA): the console's `autoscale` of the Deployment
 * `spec.scaleTargetRef` names. 422 when the target is not a Deployment or `maxReplicas` is missing.
 */
export function autoscalerCreateAction(ns: string, body: unknown): ActionMessage | StatusError {
  if (!isRecord(body) || !isRecord(body['spec'])) return statusError(400, 'BadRequest', 'the request body must be a HorizontalPodAutoscaler object with a spec');
  const spec = body['spec'];
  const ref = isRecord(spec['scaleTargetRef']) ? spec['scaleTargetRef'] : {};
  if (ref['kind'] !== 'Deployment' || typeof ref['name'] !== 'string') {
    return statusError(422, 'Invalid', 'HorizontalPodAutoscaler.autoscaling is invalid: spec.scaleTargetRef: this game autoscales Deployments only', { causes: [{ reason: 'FieldValueNotSupported', message: 'supported values: "Deployment"', field: 'spec.scaleTargetRef.kind' }] });
  }
  const max = spec['maxReplicas'];
  if (typeof max !== 'number') return statusError(422, 'Invalid', 'HorizontalPodAutoscaler.autoscaling is invalid: spec.maxReplicas: Required value', { causes: [{ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.maxReplicas' }] });
  const action: ActionMessage = { type: 'autoscale', deployment: actionRef(ns, ref['name']), maxReplicas: max };
  if (typeof spec['minReplicas'] === 'number') action.minReplicas = spec['minReplicas'];
  const cpu = cpuTarget(spec['metrics']) ?? (typeof spec['targetCPUUtilizationPercentage'] === 'number' ? spec['targetCPUUtilizationPercentage'] : undefined);
  if (cpu !== undefined) action.cpuPercent = cpu;
  const name = isRecord(body['metadata']) ? body['metadata']['name'] : undefined;
  if (typeof name === 'string' && name !== ref['name']) action.name = name;
  return action;
}

/**
 * The actions of a `PATCH` (merge object, see {@link patchObject}) of an HPA, PDB or ResourceQuota:
 * an HPA's `spec.minReplicas`, `maxReplicas` and CPU target (`patchAutoscaler`); a PDB's or quota's
 * `spec` as a JSON merge patch (`patchObject`, the console's `kubectl patch pdb|resourcequota`).
 * `metadata` and `status` changes are ignored. 422 when the patch changes nothing the game models.
 */
export function policyPatchActions(kind: 'HorizontalPodAutoscaler' | 'PodDisruptionBudget' | 'ResourceQuota', ns: string, name: string, body: Record<string, unknown>): ActionMessage[] | StatusError {
  const spec = body['spec'];
  const only = `this game patches only spec${kind === 'HorizontalPodAutoscaler' ? '.minReplicas, spec.maxReplicas and the cpu target in spec.metrics' : ''}`;
  const unsupported = statusError(422, 'Invalid', `${kind} "${name}" is invalid: ${only}`, { causes: [{ reason: 'FieldValueForbidden', message: `Forbidden: ${only}`, field: 'spec' }] });
  if (!isRecord(spec)) return unsupported;
  if (kind === 'HorizontalPodAutoscaler') {
    const action: ActionMessage = { type: 'patchAutoscaler', hpa: actionRef(ns, name) };
    if (typeof spec['minReplicas'] === 'number') action.minReplicas = spec['minReplicas'];
    if (typeof spec['maxReplicas'] === 'number') action.maxReplicas = spec['maxReplicas'];
    const cpu = cpuTarget(spec['metrics']);
    if (cpu !== undefined) action.cpuPercent = cpu;
    return action.minReplicas === undefined && action.maxReplicas === undefined && action.cpuPercent === undefined ? unsupported : [action];
  }
  return [{ type: 'patchObject', kind, name: actionRef(ns, name), patch: JSON.stringify({ spec }) }];
}
