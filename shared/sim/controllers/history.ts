/**
 * (added, issue 6) The revision history of StatefulSets and DaemonSets as ControllerRevision objects
 * (K pkg/controller/history/controller_history.go; stateful_set_control.go getStatefulSetRevisions /
 * truncateHistory; pkg/controller/daemon/update.go constructHistory / cleanupHistory). The object
 * shape: ../kinds/controllerRevision.ts.
 *
 * {@link syncRevisions}: the revision of the set's current `spec.template` exists and is the newest:
 * none with its hash -> a new one numbered max + 1; one that is older (the template came back, e.g.
 * `rollout undo`) -> renumbered max + 1 (an update of that object, as `UpdateControllerRevision`).
 * {@link truncateHistory}: revisions that are neither live (the current / update revision, or one a Pod
 * still runs) nor among the newest `revisionHistoryLimit` (default 10) dead ones are deleted, oldest first.
 * Every write goes through ../apiserver.ts.
 */
import { createObject, newMeta, removeObject, updateObject } from '../apiserver.ts';
import { revisionsOf, type ControllerRevision } from '../kinds/controllerRevision.ts';
import type { PodTemplateSpec, SimState } from '../types.ts';

export { revisionTemplate, revisionsOf } from '../kinds/controllerRevision.ts';

/** The owner fields a revision is made from. */
export interface RevisionOwner {
  kind: 'StatefulSet' | 'DaemonSet';
  metadata: { name: string; namespace: string; uid: string; annotations: Record<string, string> };
  spec: { template: PodTemplateSpec; revisionHistoryLimit?: number };
}

/** revisionHistoryLimit's default (K pkg/apis/apps/v1/defaults.go SetDefaults_StatefulSet / SetDefaults_DaemonSet). */
export const DEFAULT_REVISION_HISTORY_LIMIT = 10;

/**
 * Makes the revision `<name>-<hash>` of `owner.spec.template` (`hash`: ../names.ts `templateHash`) the
 * newest one, creating or renumbering it. `hashLabel`: the label carrying the hash on the revision
 * (see ../kinds/controllerRevision.ts). @returns every revision of the owner (ascending) and the
 * update revision, or undefined when the write was refused (the API server cannot write).
 */
export function syncRevisions(state: SimState, owner: RevisionOwner, hash: string, hashLabel: string): { revisions: ControllerRevision[]; update: ControllerRevision } | undefined {
  const { name, namespace, uid } = owner.metadata;
  const revisions = revisionsOf(state, namespace, uid);
  const crName = `${name}-${hash}`;
  const max = revisions.length > 0 ? revisions[revisions.length - 1]!.revision : 0;
  const existing = revisions.find((r) => r.metadata.name === crName);
  if (existing) {
    if (existing.revision === max) return { revisions, update: existing };
    const r = updateObject(state, 'ControllerRevision', `${namespace}/${crName}`, (cr) => {
      cr.revision = max + 1;
    });
    if (!r.ok) return undefined;
    return { revisions: revisionsOf(state, namespace, uid), update: existing };
  }
  const template = structuredClone(owner.spec.template);
  const cr: ControllerRevision = {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: newMeta(state, namespace, crName, { ...template.metadata.labels, [hashLabel]: hash }, { ...owner.metadata.annotations }, [
      { apiVersion: 'apps/v1', kind: owner.kind, name, uid, controller: true },
    ]),
    data: { spec: { template: { $patch: 'replace', ...template } } },
    revision: max + 1,
  };
  const r = createObject(state, 'ControllerRevision', cr);
  if (!r.ok) return undefined;
  return { revisions: [...revisions, cr], update: cr };
}

/**
 * Deletes the dead revisions beyond the owner's `revisionHistoryLimit`, oldest first. `live`: the names
 * of the revisions in use (current, update, every Pod's). `revisions` ascending.
 */
export function truncateHistory(state: SimState, owner: RevisionOwner, revisions: readonly ControllerRevision[], live: ReadonlySet<string>): void {
  const limit = owner.spec.revisionHistoryLimit ?? DEFAULT_REVISION_HISTORY_LIMIT;
  if (revisions.length <= limit) return;
  const dead = revisions.filter((r) => !live.has(r.metadata.name));
  for (const r of dead.slice(0, Math.max(0, dead.length - limit))) removeObject(state, 'ControllerRevision', `${r.metadata.namespace}/${r.metadata.name}`);
}
