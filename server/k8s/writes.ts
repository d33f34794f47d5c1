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
 * - `PATCH nodes/NAME`: `spec.unschedulable` (`kubectl cordon` / `uncordon`)
 * - `DELETE pods/NAME` (`gracePeriodSeconds: 0` = force)
 * - `POST pods/NAME/eviction` (policy/v1 Eviction; `kubectl drain`): see {@link evictionActions}
 * - `kubectl rollout undo` (a JSON patch replacing `/spec/template`): mapped in ./routes.ts (it needs the
 *   served ReplicaSets) onto `rolloutUndo`
 * Patch bodies: strategic merge, JSON merge (both as objects) and JSON patch (`replace`/`add` of the
 * paths above). Anything else is refused with 422 Invalid naming what is supported.
 *
 * May import: shared/protocol.ts (types), shared/sim (read only), ./status.ts.
 */
import type { ActionMessage } from '../../shared/protocol.ts';
import { EVICTION_REFUSED, evictionAllowed } from '../../shared/sim/apiserver.ts';
import { splitKey } from '../../shared/sim/names.ts';
import type { Pod, SimState } from '../../shared/sim/types.ts';
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

const unsupported = (what: string, supported: string): StatusError =>
  statusError(422, 'Invalid', `${what}: this game's API supports ${supported}; use the game's console for anything else`);

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

const DEPLOYMENT_SUPPORTED = 'spec.replicas, the kubectl.kubernetes.io/restartedAt template annotation and containers\' image and resources';

/** The actions of a Deployment patch (one per effect, in order: scale, restart, images, resources), or a Status. */
export function deploymentActions(ns: string, name: string, body: Record<string, unknown>): ActionMessage[] | StatusError {
  const actions: ActionMessage[] = [];
  const ref = actionRef(ns, name);
  const bad = (what: string) => unsupported(`deployments.apps "${name}" patch ${what}`, DEPLOYMENT_SUPPORTED);
  const metaExtra = isRecord(body['metadata']) ? extraKeys(body['metadata'], ['name', 'namespace', 'resourceVersion']) : [];
  if (extraKeys(body, ['spec', 'metadata', 'apiVersion', 'kind']).length > 0 || metaExtra.length > 0) return bad('touches fields other than spec');
  const spec = body['spec'];
  if (spec === undefined) return actions;
  if (!isRecord(spec) || extraKeys(spec, ['replicas', 'template']).length > 0) return bad('touches spec fields');
  if (spec['replicas'] !== undefined) {
    const a = scaleAction(ns, name, { spec: { replicas: spec['replicas'] } });
    if ('code' in a) return a;
    actions.push(a);
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
    if (!isRecord(c) || typeof c['name'] !== 'string' || extraKeys(c, ['name', 'image', 'resources']).length > 0) return bad('touches container fields other than image and resources');
    const container = c['name'];
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

/** The action of a Node patch (`spec.unschedulable`: true = cordon; false or null = uncordon), or a Status. */
export function nodeAction(name: string, body: Record<string, unknown>): ActionMessage | null | StatusError {
  const spec = body['spec'];
  const metaExtra = isRecord(body['metadata']) ? extraKeys(body['metadata'], ['name', 'resourceVersion']) : [];
  if (extraKeys(body, ['spec', 'metadata', 'apiVersion', 'kind']).length > 0 || metaExtra.length > 0 || (spec !== undefined && (!isRecord(spec) || extraKeys(spec, ['unschedulable']).length > 0))) {
    return unsupported(`nodes "${name}" patch touches fields other than spec.unschedulable`, 'spec.unschedulable (cordon, uncordon)');
  }
  if (!isRecord(spec) || !Object.hasOwn(spec, 'unschedulable')) return null;
  const u = spec['unschedulable'];
  if (u !== true && u !== false && u !== null) return statusError(422, 'Invalid', `Node "${name}" is invalid: spec.unschedulable: Invalid value: ${JSON.stringify(u)}: must be a boolean`);
  return { type: u === true ? 'cordonNode' : 'uncordonNode', node: name };
}

/** The action of `DELETE pods/NAME`: force when the grace period (query or DeleteOptions body) is 0. */
export function deletePodAction(ns: string, name: string, query: Record<string, unknown>, body: unknown): ActionMessage {
  const bodyGrace = isRecord(body) ? body['gracePeriodSeconds'] : undefined;
  const grace = query['gracePeriodSeconds'] ?? bodyGrace;
  const action: ActionMessage = { type: 'deletePod', pod: actionRef(ns, name) };
  if (grace !== undefined && Number(grace) === 0) action.force = true;
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
