/**
 * Player actions still in progress (`state.pendingActions`): a drain waiting for its pods to be gone, an
 * etcd member being restored. Completed in (completesAt, id) order at the start of each tick.
 */
import type { SimState } from '../types.ts';
import { completeEtcdRestore } from './etcd.ts';
import { completeEtcdMemberJoin } from './etcdMembership.ts';
import { completeNodeReboot, completeNodeReplace } from './nodeReboot.ts';
import { completeForegroundDelete, deleteKey } from './objects.ts';
import { findDeployment } from '../apiserver.ts';

/** Completes every pending action due at or before `state.t` and removes it from the list. */
export function completePendingActions(state: SimState): void {
  if (state.pendingActions.length === 0) return;
  const due = state.pendingActions.filter((p) => p.completesAt <= state.t).sort((a, b) => a.completesAt - b.completesAt || a.id - b.id);
  if (due.length === 0) return;
  state.pendingActions = state.pendingActions.filter((p) => p.completesAt > state.t);
  for (const p of due) {
    const a = p.action;
    if (a.type === 'restoreEtcdMember') {
      completeEtcdRestore(state, a.member); // etcd records no Kubernetes event
    } else if (a.type === 'nodeOperation' && a.op === 'reboot') {
      completeNodeReboot(state, a.node); // the machine is back: the kubelet starts
    } else if (a.type === 'nodeOperation') {
      const again = completeNodeReplace(state, a.node); // drained: Node deleted; later: the new machine registers
      if (again !== null) state.pendingActions.push({ ...p, completesAt: again });
    } else if (a.type === 'deleteObject' || a.type === 'deleteDeployment') {
      // (issue 6) a Foreground delete: the garbage collector removes the owner once its dependents are gone
      const key = a.type === 'deleteObject' ? deleteKey(a.kind, a.name, a.namespace) : findDeployment(state, a.deployment)?.key;
      const again = key === undefined ? null : completeForegroundDelete(state, a.type === 'deleteObject' ? a.kind : 'Deployment', key);
      if (again !== null) state.pendingActions.push({ ...p, completesAt: again });
    } else if (a.type === 'etcdMember' && a.op === 'add') {
      completeEtcdMemberJoin(state, a.member); // the added member started and synced
    }
    // A drain's end records nothing (kubectl drain prints `node/NAME drained`; no component records an event).
  }
}
