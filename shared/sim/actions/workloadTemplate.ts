/**
 * (added, issue 6) Pod-template writes of StatefulSets and DaemonSets: `kubectl set image
 * statefulset/NAME C=IMAGE` and `kubectl rollout restart statefulset/NAME` (daemonset likewise). Each is
 * an API update of `spec.template` (a new generation); the controllers then roll it out as their update
 * strategy says (../controllers/statefulset.ts, ../controllers/daemonset.ts). Before a StatefulSet's
 * template changes, the template of its current revision is kept in `sim.currentTemplate` (the sim's
 * stand-in for the ControllerRevision the controller would have stored), so Pods recreated below a
 * partition get it. Messages are kubectl's (`statefulset.apps/web image updated`, `... restarted`).
 * Also `kubectl scale statefulset/NAME --replicas=N` (`statefulset.apps/web scaled`).
 */
import { ensureImageProfile, notFound, updateObject } from '../apiserver.ts';
import { statefulSetRevision } from '../controllers/statefulset.ts';
import { revisionTemplate, revisionsOf } from '../controllers/history.ts';
import { refKey, simTimestamp, splitKey, templateHash } from '../names.ts';
import { setContainerImage } from '../kinds/serialize.ts';
import type { PodTemplateSpec, SimState, StatefulSet } from '../types.ts';
import { reject, type Handled } from './handler.ts';

/** The kinds whose template these actions write. */
export type TemplateKind = 'StatefulSet' | 'DaemonSet';

const RESOURCE: Readonly<Record<TemplateKind, string>> = { StatefulSet: 'statefulsets.apps', DaemonSet: 'daemonsets.apps' };
const PREFIX: Readonly<Record<TemplateKind, string>> = { StatefulSet: 'statefulset.apps', DaemonSet: 'daemonset.apps' };

/** The stored object of `kind` at `ref` (`name` or `namespace/name`; own keys only), or undefined. */
function find(state: SimState, kind: TemplateKind, ref: string): { key: string; template: PodTemplateSpec; name: string; namespace: string } | undefined {
  const key = refKey(ref);
  const store = kind === 'StatefulSet' ? state.statefulSets : state.daemonSets;
  const obj = store && Object.hasOwn(store, key) ? store[key] : undefined;
  return obj ? { key, template: obj.spec.template, name: obj.metadata.name, namespace: obj.metadata.namespace } : undefined;
}

/**
 * Before a StatefulSet's template is replaced (inside the update's mutate): keeps the template of its
 * current revision in `sim.currentTemplate` (the sim's ControllerRevision) unless one is already kept,
 * so Pods recreated below a partition get it. (added, issue 6) Shared with `kubectl apply` (./apply.ts).
 */
export function keepCurrentTemplate(sts: StatefulSet): void {
  const current = sts.status.currentRevision;
  if (!sts.sim?.currentTemplate && (current === undefined || current === statefulSetRevision(sts.metadata.name, sts.spec.template))) sts.sim = { currentTemplate: sts.spec.template };
}

/** Writes a changed copy of the template (`change` mutates the copy; false = no change). */
function writeTemplate(state: SimState, kind: TemplateKind, key: string, change: (t: PodTemplateSpec) => boolean): { ok: true; changed: boolean } | { ok: false; error: string } {
  const obj = kind === 'StatefulSet' ? state.statefulSets![key]! : state.daemonSets![key]!;
  const next = structuredClone(obj.spec.template);
  if (!change(next)) return { ok: true, changed: false };
  const r = updateObject(state, kind, key, (x) => {
    if (x.kind === 'StatefulSet') keepCurrentTemplate(x);
    x.spec.template = next;
  }, { generation: true });
  return r.ok ? { ok: true, changed: true } : { ok: false, error: r.error };
}

/**
 * `kubectl set image statefulset|daemonset/NAME CONTAINER=IMAGE` (`container` undefined: every
 * container, kubectl's `*`). @returns kubectl's `statefulset.apps/web image updated`.
 */
export function setTemplateImageAction(state: SimState, kind: TemplateKind, ref: string, image: string, container?: string): Handled {
  const f = find(state, kind, ref);
  if (!f) return reject(notFound(RESOURCE[kind], splitKey(ref).name));
  if (container !== undefined && !f.template.spec.containers.some((c) => c.name === container)) return reject(`error: unable to find container named "${container}"`);
  ensureImageProfile(state, image);
  const r = writeTemplate(state, kind, f.key, (t) => {
    let changed = false;
    for (const c of t.spec.containers) {
      if ((container === undefined || c.name === container) && c.image !== image) {
        setContainerImage(c, image); // (issue 6) the stored pull policy kept
        changed = true;
      }
    }
    return changed;
  });
  if (!r.ok) return reject(r.error);
  return { result: { ok: true, message: `${PREFIX[kind]}/${f.name} image updated`, completesAt: state.t } };
}

/** `kubectl rollout restart statefulset|daemonset/NAME`: stamps `kubectl.kubernetes.io/restartedAt` on the template. */
export function restartTemplateAction(state: SimState, kind: TemplateKind, ref: string): Handled {
  const f = find(state, kind, ref);
  if (!f) return reject(notFound(RESOURCE[kind], splitKey(ref).name));
  const r = writeTemplate(state, kind, f.key, (t) => {
    t.metadata.annotations = { ...(t.metadata.annotations ?? {}), 'kubectl.kubernetes.io/restartedAt': simTimestamp(state.t) };
    return true;
  });
  if (!r.ok) return reject(r.error);
  return { result: { ok: true, message: `${PREFIX[kind]}/${f.name} restarted`, completesAt: state.t } };
}

/** `kubectl scale statefulset/NAME --replicas=N`: writes `spec.replicas` (the controller adds or removes the highest ordinals; claims stay). */
export function scaleStatefulSetAction(state: SimState, ref: string, replicas: number): Handled {
  const f = find(state, 'StatefulSet', ref);
  if (!f) return reject(notFound(RESOURCE.StatefulSet, splitKey(ref).name));
  if (!Number.isInteger(replicas) || replicas < 0) return reject(`The StatefulSet "${f.name}" is invalid: spec.replicas: Invalid value: ${replicas}: must be greater than or equal to 0`);
  if (state.statefulSets![f.key]!.spec.replicas !== replicas) {
    const r = updateObject(state, 'StatefulSet', f.key, (x) => {
      x.spec.replicas = replicas;
    }, { generation: true });
    if (!r.ok) return reject(r.error);
  }
  return { result: { ok: true, message: `statefulset.apps/${f.name} scaled`, completesAt: state.t } };
}

/**
 * (added, issue 6) `kubectl rollout undo statefulset|daemonset/NAME [--to-revision=N]` (K
 * staging/src/k8s.io/kubectl/pkg/polymorphichelpers/rollback.go StatefulSetRollbacker /
 * DaemonSetRollbacker): without N (or 0) the second newest ControllerRevision, else revision N; its
 * template is written back to `spec.template` (the revision's `$patch: replace` patch) and the
 * controller renumbers that revision as the newest and rolls it out. Errors: `error: no last revision
 * to roll back to` (N 0 and at most one revision), `error: unable to find specified revision N in
 * history`; a template that already matches: `statefulset.apps/web skipped rollback (current template
 * already matches revision N)` (N as given, 0 without the flag, as kubectl prints it).
 */
export function undoTemplateAction(state: SimState, kind: TemplateKind, ref: string, toRevision?: number): Handled {
  const f = find(state, kind, ref);
  if (!f) return reject(notFound(RESOURCE[kind], splitKey(ref).name));
  const obj = kind === 'StatefulSet' ? state.statefulSets![f.key]! : state.daemonSets![f.key]!;
  const history = revisionsOf(state, f.namespace, obj.metadata.uid);
  const to = toRevision ?? 0;
  if (to === 0 && history.length <= 1) return reject('error: no last revision to roll back to');
  const target = to === 0 ? history[history.length - 2] : history.find((r) => r.revision === to);
  if (!target) return reject(`error: unable to find specified revision ${to} in history`);
  const template = revisionTemplate(target);
  if (templateHash(template) === templateHash(obj.spec.template)) {
    return { result: { ok: true, message: `${PREFIX[kind]}/${f.name} skipped rollback (current template already matches revision ${to})`, completesAt: state.t } };
  }
  const r = writeTemplate(state, kind, f.key, (t) => {
    t.metadata = template.metadata;
    t.spec = template.spec;
    return true;
  });
  if (!r.ok) return reject(r.error);
  return { result: { ok: true, message: `${PREFIX[kind]}/${f.name} rolled back`, completesAt: state.t } };
}
