/**
 * (issue 6) The adoption half of the ReplicaSet controller's ClaimPods: an active orphan Pod (no
 * controller reference) whose labels match a ReplicaSet's / ReplicationController's selector gets it
 * as its controller; the sync then counts it, so a surplus is scaled down (`SuccessfulDelete`).
 *
 * Source: K pkg/controller/controller_ref_manager.go ClaimPods / ClaimObject (adopt an orphan that
 * matches, unless the owner is being deleted: canAdopt), K pkg/controller/replicaset/replica_set.go
 * syncReplicaSet (FilterActivePods, then claimPods, then manageReplicas). Kept apart from
 * ./replicaset.ts (its hot path) and called once per sync.
 *
 * May import: ../apiserver.ts, ../cache.ts, ../emit.ts, ../types.ts.
 */
import { adoptPod, isOrphan } from '../apiserver.ts';
import { podsForSelector, selectorMatches } from '../cache.ts';
import { isWarmStart } from '../emit.ts';
import type { ReplicaSet, ReplicationController, SimState } from '../types.ts';

/**
 * Adopts the orphans among `candidates` (pod keys: the pod changes the informer queued this owner for)
 * or, when `candidates` is null (no watch: first sync, a cloned state), among every Pod its selector
 * matches in its namespace. O(candidates); nothing in the warm start (no orphans exist there).
 * Returns true when a Pod was adopted.
 */
export function adoptOrphans(
  state: SimState,
  owner: Pick<ReplicaSet, 'metadata' | 'spec'> | Pick<ReplicationController, 'metadata' | 'spec'>,
  kind: 'ReplicaSet' | 'ReplicationController',
  apiVersion: string,
  candidates: Iterable<string> | null,
): boolean {
  if (owner.metadata.deletionTimestamp !== undefined || isWarmStart(state)) return false;
  const selector: Record<string, string> = kind === 'ReplicaSet' ? (owner as ReplicaSet).spec.selector.matchLabels : (owner as ReplicationController).spec.selector;
  const ns = owner.metadata.namespace;
  const keys = candidates === null ? podsForSelector(state, ns, selector) : [...candidates].sort();
  let adopted = false;
  for (const k of keys) {
    const p = state.pods[k];
    if (p === undefined || p.metadata.namespace !== ns || !isOrphan(p) || !selectorMatches(selector, p.metadata.labels)) continue;
    if (adoptPod(state, k, { apiVersion, kind, name: owner.metadata.name, uid: owner.metadata.uid, controller: true }).ok) adopted = true;
  }
  return adopted;
}
