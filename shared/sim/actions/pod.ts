/**
 * `kubectl delete pod NAME` (graceful: Terminating, gone after the app exits, min(grace, 2-5 s)) and
 * `kubectl delete pod NAME --grace-period=0 --force` (removed at once). The ReplicaSet replaces it.
 */
import { deletePod, notFound } from '../apiserver.ts';
import { objKey, splitKey } from '../names.ts';
import type { SimState } from '../types.ts';
import { reject, type Handled } from './handler.ts';

/** Deletes a pod (name or `namespace/name`). */
export function deletePodAction(state: SimState, pod: string, force: boolean): Handled {
  const { namespace, name } = splitKey(pod);
  const key = objKey(namespace, name);
  if (!state.pods[key]) return reject(notFound('pods', name));
  const r = deletePod(state, key, { force });
  if (!r.ok) return reject(r.error);
  const gone = r.goneAt;
  const message = force
    ? `Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\npod "${name}" force deleted`
    : `pod "${name}" deleted`;
  return { result: { ok: true, message, completesAt: gone }, event: { reason: force ? 'ForceDelete' : 'Delete', object: { kind: 'Pod', name, namespace } } };
}
