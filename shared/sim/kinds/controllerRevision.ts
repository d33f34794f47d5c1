/**
 * (added, issue 6) The apps/v1 ControllerRevision kind (`controllerrevisions`, no short name): the
 * immutable snapshots of a StatefulSet's / DaemonSet's pod template that the controllers keep as their
 * revision history (K staging/src/k8s.io/api/apps/v1/types.go ControllerRevision; pkg/controller/history
 * NewControllerRevision; pkg/controller/daemon/update.go snapshot).
 *
 * - name `<owner>-<hash>` (history.go ControllerRevisionName), `hash` = ../names.ts `templateHash`
 *   of the pod template: FNV-1a 64 of its canonical JSON, 10 characters of the safe alphabet (Kubernetes
 *   hashes the revision's data with FNV-32 and rand.SafeEncodeString; any stable hash does);
 * - labels: the template's labels plus the hash: `controller.kubernetes.io/hash` for a StatefulSet's
 *   revisions (history.ControllerRevisionHashLabel), `controller-revision-hash` for a DaemonSet's
 *   (update.go snapshot uses apps.DefaultDaemonSetUniqueLabelKey);
 * - annotations: the owner's (so `kubernetes.io/change-cause` shows in `rollout history`);
 * - one controller owner reference to the set; `revision`: 1, 2, 3... (a template that comes back, a
 *   rollback, takes the next number: the same object, renumbered);
 * - `data`: the strategic-merge patch that restores the template,
 *   `{"spec":{"template":{"$patch":"replace", ...template}}}` (stateful_set_utils.go getPatch,
 *   update.go getPatch).
 *
 * Store `state.controllerRevisions` (absent until the first revision). Columns (printers.go
 * printControllerRevision): NAME CONTROLLER REVISION AGE, CONTROLLER `statefulset.apps/web`.
 *
 * May import: ../types.ts, ./kind.ts, ./print.ts, ./serialize.ts.
 */
import type { ObjectMeta, PodTemplateSpec, SimState } from '../types.ts';
import type { KindDef } from './kind.ts';
import { humanDuration } from './print.ts';
import { apiCopy, apiMeta } from './serialize.ts';

/** The hash label of a StatefulSet's revisions (history.ControllerRevisionHashLabel). */
export const CONTROLLER_HASH_LABEL = 'controller.kubernetes.io/hash';

/** `apps/v1 ControllerRevision`: one revision of a StatefulSet's / DaemonSet's pod template. */
export interface ControllerRevision {
  apiVersion: 'apps/v1';
  kind: 'ControllerRevision';
  metadata: ObjectMeta;
  /** The patch restoring the template: `spec.template` with `$patch: replace`. */
  data: { spec: { template: PodTemplateSpec & { $patch: 'replace' } } };
  /** 1, 2, 3... per owner; the highest is the newest. */
  revision: number;
}

const EMPTY: Readonly<Record<string, ControllerRevision>> = Object.freeze(Object.create(null) as Record<string, ControllerRevision>);

/** The pod template a revision restores (its data without `$patch`), a fresh copy. */
export function revisionTemplate(cr: ControllerRevision): PodTemplateSpec {
  const { $patch: _p, ...template } = structuredClone(cr.data.spec.template);
  return template;
}

/**
 * The revisions controlled by the object of `uid` in `namespace`, ascending by `revision` then name.
 * Reads every stored revision (a short list: at most revisionHistoryLimit + the live ones per owner).
 */
export function revisionsOf(state: SimState, namespace: string, uid: string): ControllerRevision[] {
  const store = state.controllerRevisions;
  if (!store) return [];
  const out: ControllerRevision[] = [];
  for (const k of Object.keys(store)) {
    const cr = store[k]!;
    if (cr.metadata.namespace === namespace && cr.metadata.ownerReferences.some((r) => r.controller === true && r.uid === uid)) out.push(cr);
  }
  return out.sort((a, b) => a.revision - b.revision || (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0));
}

/** The ControllerRevision kind. */
export const controllerRevisionKind: KindDef<ControllerRevision> = {
  apiVersion: 'apps/v1',
  kind: 'ControllerRevision',
  plural: 'controllerrevisions',
  singular: 'controllerrevision',
  shortNames: [],
  namespaced: true,
  store: (state) => state.controllerRevisions ?? (EMPTY as Record<string, ControllerRevision>),
  ensureStore: (state) => (state.controllerRevisions ??= Object.create(null) as Record<string, ControllerRevision>),
  controllerKinds: ['StatefulSet', 'DaemonSet'],
  toApi: (cr) => {
    const copy = apiCopy(cr);
    apiMeta(copy);
    return copy;
  },
  columns: [
    { name: 'NAME', cell: (cr) => cr.metadata.name },
    {
      name: 'CONTROLLER',
      cell: (cr) => {
        const ref = cr.metadata.ownerReferences.find((r) => r.controller === true);
        if (!ref) return '<none>';
        const slash = ref.apiVersion.indexOf('/');
        return `${ref.kind.toLowerCase()}${slash >= 0 ? `.${ref.apiVersion.slice(0, slash)}` : ''}/${ref.name}`;
      },
    },
    { name: 'REVISION', cell: (cr) => String(cr.revision) },
    { name: 'AGE', cell: (cr, s) => humanDuration(s.t - cr.metadata.creationTimestamp) },
  ],
};
