/**
 * `kubectl delete pod NAME` (graceful: Terminating, gone after the app exits, min(grace, 2-5 s)),
 * `kubectl delete pod NAME --grace-period=N` (N sim seconds instead of the Pod's
 * `terminationGracePeriodSeconds`: the kubelet kills what has not exited by then) and
 * `kubectl delete pod NAME --grace-period=0 --force` (removed at once). The ReplicaSet replaces it.
 * Source: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-termination.
 */
import { deletePod, notFound, type DeleteOptions } from '../apiserver.ts';
import { objKey, splitKey } from '../names.ts';
import type { SimState } from '../types.ts';
import { reject, type Handled } from './handler.ts';

/**
 * Deletes a pod (name or `namespace/name`). `gracePeriodSeconds` (0..3600 sim s, optional) overrides
 * the Pod's termination grace period; 0 without `force` is kubectl's `--grace-period=0` (the API
 * server turns a 0 grace into an immediate delete: kubectl itself sends 1 then, so the sim waits 1 s).
 */
export function deletePodAction(state: SimState, pod: string, force: boolean, gracePeriodSeconds?: number): Handled {
  const { namespace, name } = splitKey(pod);
  const key = objKey(namespace, name);
  if (!state.pods[key]) return reject(notFound('pods', name));
  const opts: DeleteOptions = { force };
  if (!force && gracePeriodSeconds !== undefined) opts.gracePeriodSeconds = Math.max(1, gracePeriodSeconds);
  const r = deletePod(state, key, opts);
  if (!r.ok) return reject(r.error);
  const gone = r.goneAt;
  const message = force
    ? `Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\npod "${name}" force deleted`
    : `pod "${name}" deleted`;
  return { result: { ok: true, message, completesAt: gone } };
}
