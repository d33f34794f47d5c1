/**
 * The room's `stdin` message (issue 7): console commands that read standard input, `kubectl apply -f -`
 * / `create -f -` of pasted YAML and `kubectl edit TYPE NAME` (shared/kubectl/apply.ts parses and
 * formats). Each document maps to actions exactly as the same write through the Kubernetes API would
 * ({@link K8S_WRITES}: server/k8s/writes.ts and desired.ts, reused as they are), and each action goes
 * through the room's usual submit path (gated, validated with the protocol schema, journaled, scored).
 *
 * May import: shared/kubectl, shared/protocol.ts, server/k8s/writes.ts and desired.ts (pure mappings),
 * server/k8s/status.ts, ./messages.ts.
 */
import type { ReplyMessage } from '../../shared/protocol.ts';
import type { SimAction, SimState } from '../../shared/sim/types.ts';
import { runKubectlInput, type ApiWrites } from '../../shared/kubectl/apply.ts';
import { APPLY_OBJECT_KINDS, applyObjectActions, autoscalerCreateAction, createAction, deploymentActions, metadataOnlyActions, nodeActions, policyPatchActions, type ApplyObjectKind } from '../k8s/writes.ts';
import { contained, desiredPatch } from '../k8s/desired.ts';
import { statusError } from '../k8s/status.ts';
import type { MessageId } from './messages.ts';

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * The Kubernetes API's write mapping for the console's apply/edit: a new Deployment, Service, PDB,
 * ResourceQuota, LimitRange, Job, CronJob, StatefulSet or DaemonSet is `POST`ed (`createAction`: the
 * `createDeployment` / `createService` / `createObject` actions, issue 11), a new HPA `autoscalerCreateAction`; an existing Deployment or Service gets
 * the patch from its served form to the desired one (`desiredPatch`, apply or replace semantics) mapped by
 * `deploymentActions` / `metadataOnlyActions`; an edited Pod or Node the changed fields
 * (`metadataOnlyActions` / `nodeActions`: labels, annotations, cordon, taints); an HPA, PDB or ResourceQuota whose `spec` changes gets
 * `policyPatchActions` (unchanged when the desired spec is contained in the served one); (issue 6) an
 * existing LimitRange, Job, CronJob, StatefulSet, DaemonSet, ConfigMap or Secret is unchanged or gets
 * action `applyObject` (`applyObjectActions`: the sim validates the update as the API server does);
 * an existing PersistentVolumeClaim is unchanged or refused (422: delete and create it).
 */
export const K8S_WRITES: ApiWrites = {
  create(kind, ns, body) {
    if (kind === 'HorizontalPodAutoscaler') return autoscalerCreateAction(ns, body);
    return createAction(kind, ns, body);
  },
  update(kind, ns, name, served, desired, replace, removed) {
    if (kind === 'Deployment' || kind === 'Service') {
      const patch = desiredPatch(kind, served, desired, replace);
      return kind === 'Deployment' ? deploymentActions(ns, name, patch) : metadataOnlyActions('Service', ns, name, patch);
    }
    if (kind === 'Pod' || kind === 'Node') {
      const patch = objectPatch(served, desired, replace);
      // (issue 6) apply -f of a Pod whose spec differs: action applyObject, validated by the sim as the API server's Pod update
      if (kind === 'Pod' && !replace && patch['spec'] !== undefined) {
        const meta = isRecord(desired['metadata']) ? desired['metadata'] : {};
        const a = createAction('Pod', ns, { ...desired, metadata: { ...meta, name, namespace: ns } });
        if ('code' in a) return a;
        return a.type === 'createObject' ? [{ type: 'applyObject', manifest: a.manifest }] : statusError(500, 'InternalError', 'no update mapping for Pod');
      }
      return kind === 'Pod' ? metadataOnlyActions('Pod', ns, name, patch) : nodeActions(name, patch);
    }
    if (kind === 'PriorityClass') {
      // K pkg/apis/scheduling/validation ValidatePriorityClassUpdate: value and preemptionPolicy are immutable.
      for (const field of ['value', 'preemptionPolicy'] as const) {
        if (desired[field] !== undefined && desired[field] !== served[field]) return statusError(422, 'Invalid', `PriorityClass.scheduling.k8s.io "${name}" is invalid: ${field}: Forbidden: may not be changed in an update.`, { causes: [{ reason: 'FieldValueForbidden', message: 'Forbidden: may not be changed in an update.', field }] });
      }
      return [];
    }
    // (issue 6) an existing LimitRange, Job, CronJob, StatefulSet, DaemonSet, ConfigMap or Secret: action applyObject
    if ((APPLY_OBJECT_KINDS as readonly string[]).includes(kind)) return applyObjectActions(kind as ApplyObjectKind, ns, name, served, desired, removed);
    const spec = desired['spec'];
    if (spec === undefined || contained(spec, served['spec'])) return [];
    if (!isRecord(spec)) return statusError(422, 'Invalid', `${kind} "${name}" is invalid: spec must be an object`);
    if (kind !== 'HorizontalPodAutoscaler' && kind !== 'PodDisruptionBudget' && kind !== 'ResourceQuota') {
      return statusError(422, 'Invalid', `${kind} "${name}" is invalid: spec: Forbidden: this game changes an existing ${kind} only by kubectl delete and create`, { causes: [{ reason: 'FieldValueForbidden', message: `Forbidden: this game changes an existing ${kind} only by delete and create`, field: 'spec' }] });
    }
    return policyPatchActions(kind, ns, name, { spec: specPatch(spec, isRecord(served['spec']) ? served['spec'] : {}, replace) });
  },
};

/** Label / annotation changes as a merge-patch map (`null` removes; `replace`: what `desired` left out too). */
function mapPatch(desired: unknown, served: unknown, replace: boolean): Record<string, unknown> | undefined {
  const d = isRecord(desired) ? desired : {};
  const sv = isRecord(served) ? served : {};
  const out = Object.create(null) as Record<string, unknown>;
  for (const k of Object.keys(d)) if (d[k] !== sv[k]) out[k] = d[k];
  if (replace) for (const k of Object.keys(sv)) if (!Object.hasOwn(d, k)) out[k] = null;
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * The patch of an edited Pod or Node, as `kubectl edit` sends it (only what changed): `metadata.labels` /
 * `annotations`, each `spec` field whose value is not contained in the served one (a Node's
 * `unschedulable` and `taints` removed by the edit become `null`), and any other changed top-level
 * field (refused by `metadataOnlyActions` / `nodeActions`, naming it).
 */
function objectPatch(served: Record<string, unknown>, desired: Record<string, unknown>, replace: boolean): Record<string, unknown> {
  const patch = Object.create(null) as Record<string, unknown>;
  const dm = isRecord(desired['metadata']) ? desired['metadata'] : {};
  const sm = isRecord(served['metadata']) ? served['metadata'] : {};
  const meta = Object.create(null) as Record<string, unknown>;
  const labels = mapPatch(dm['labels'], sm['labels'], replace && Object.hasOwn(dm, 'labels'));
  if (labels) meta['labels'] = labels;
  const annotations = mapPatch(dm['annotations'], sm['annotations'], replace && Object.hasOwn(dm, 'annotations'));
  if (annotations) meta['annotations'] = annotations;
  if (Object.keys(meta).length > 0) patch['metadata'] = meta;
  const ds = isRecord(desired['spec']) ? desired['spec'] : {};
  const ss = isRecord(served['spec']) ? served['spec'] : {};
  const spec = Object.create(null) as Record<string, unknown>;
  for (const k of Object.keys(ds)) if (!contained(ds[k], ss[k])) spec[k] = ds[k];
  if (replace) for (const k of ['unschedulable', 'taints']) if (Object.hasOwn(ss, k) && !Object.hasOwn(ds, k)) spec[k] = null;
  if (Object.keys(spec).length > 0) patch['spec'] = spec;
  for (const k of Object.keys(desired)) {
    if (['metadata', 'spec', 'status', 'apiVersion', 'kind'].includes(k)) continue;
    if (!contained(desired[k], served[k])) patch[k] = desired[k];
  }
  return patch;
}

/**
 * The JSON merge patch of a policy object's `spec`, as kubectl computes it for `edit` / `apply`: the
 * top-level spec fields whose desired value is not contained in the served one (an edit also removes,
 * with `null`, the fields it left out, e.g. `minAvailable` replaced by `maxUnavailable`).
 */
function specPatch(desired: Record<string, unknown>, served: Record<string, unknown>, replace: boolean): Record<string, unknown> {
  const out = Object.create(null) as Record<string, unknown>;
  for (const k of Object.keys(desired)) if (!contained(desired[k], served[k])) out[k] = desired[k];
  if (replace) for (const k of Object.keys(served)) if (!Object.hasOwn(desired, k)) out[k] = null;
  return out;
}

/**
 * Pasted input per client session (a token bucket of characters, wall-clock ms): parsing YAML costs
 * about a millisecond per KB, so a client sending 64 KiB `stdin` messages at the room's message rate
 * would keep a core busy. A player pastes a manifest now and then: `burst` characters at once (two
 * full 64 Ki pastes), refilled at `perSecond`. Above it the message is answered with the wait, unparsed.
 */
export class StdinBudget {
  readonly #buckets = new Map<string, { chars: number; at: number }>();
  /** Characters a session may paste at once. */
  readonly burst: number;
  /** Characters a second the allowance refills. */
  readonly perSecond: number;
  readonly #now: () => number;
  constructor(burst = 2 * 65_536, perSecond = 16_384, now: () => number = Date.now) {
    this.burst = burst;
    this.perSecond = perSecond;
    this.#now = now;
  }

  /** Charges `chars` to `session`: null when allowed, else the refusal (kubectl-style `error: ...`). */
  take(session: string, chars: number): string | null {
    const t = this.#now();
    const b = this.#buckets.get(session) ?? { chars: this.burst, at: t };
    b.chars = Math.min(this.burst, b.chars + (Math.max(0, t - b.at) / 1000) * this.perSecond);
    b.at = t;
    this.#buckets.set(session, b);
    if (this.#buckets.size > 1000) {
      // sessions whose bucket has refilled are as good as new: forget them
      for (const [k, v] of this.#buckets) if (k !== session && v.chars + ((t - v.at) / 1000) * this.perSecond >= this.burst) this.#buckets.delete(k);
    }
    if (chars > b.chars) {
      const wait = Math.ceil((chars - b.chars) / this.perSecond);
      return `error: too much pasted input: ${chars} characters now; try again in ${wait} s (the console reads up to ${this.burst} characters at once, then ${this.perSecond} a second)`;
    }
    b.chars -= chars;
    return null;
  }
}

/** The wording of a refused action as a kubectl line (the sim's texts mostly carry kubectl's prefix already). */
function refusedLine(error: string): string {
  return /^(error|Error from server)\b/.test(error) ? error : `Error from server: ${error}`;
}

/**
 * Runs one `stdin` message against the team's cluster: parses with shared/kubectl/apply.ts, submits
 * each document's actions in order through `submit` (the room's `applyPlayerAction`), stops a
 * document at its first refused action (later documents still run, as kubectl goes on), and answers
 * kubectl's lines in order: `ok` with them as `output`, or, when any document failed, `ok: false`
 * with all of them as `error`.
 */
export function runStdin(state: SimState, id: MessageId, command: string, stdin: string | undefined, submit: (action: SimAction) => ReplyMessage): ReplyMessage {
  const result = runKubectlInput(state, command, stdin, K8S_WRITES);
  if (result.kind === 'error') return { id, type: 'stdin', ok: false, error: result.error };
  if (result.kind === 'edit') return { id, type: 'stdin', ok: true, output: result.yaml };
  const lines: string[] = [];
  let failed = false;
  for (const step of result.steps) {
    if ('text' in step) {
      lines.push(step.text);
      failed ||= step.error;
      continue;
    }
    let refused: ReplyMessage | undefined;
    for (const a of step.actions) {
      const r = submit(a);
      if (!r.ok) {
        refused = r;
        break;
      }
    }
    if (refused) {
      lines.push(refusedLine(refused.error ?? 'refused'));
      failed = true;
    } else lines.push(step.done);
  }
  return failed ? { id, type: 'stdin', ok: false, error: lines.join('\n') } : { id, type: 'stdin', ok: true, output: lines.join('\n') };
}
