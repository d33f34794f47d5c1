/**
 * `etcd-quorum-loss`: etcd members go down until fewer than a quorum (floor(n/2)+1; etcd
 * server/etcdserver/util.go) remain. Without quorum there is no Raft leader: writes and linearizable
 * reads fail (`etcdserver: request timed out`), so kubectl fails and the controllers and scheduler stall,
 * while running pods keep serving (kubernetes-behaviour.md §6).
 *
 * Members (./targets.ts `membersToStop`): `params.members` (list or comma-separated), else `target`
 * (comma-separated names), else just enough members to lose quorum (the last ones by name, e.g. etcd-1
 * and etcd-2 of three). Params: `members` (optional list of member names).
 *
 * Fix: for enough members, restore the member's data dir from a snapshot and restart its static Pod:
 * `etcdctl snapshot restore snapshot.db --name <member>` (or `etcdutl snapshot restore ...`; action
 * `restoreEtcdMember`). Mitigated once etcd has quorum and a leader again (an election 1-2 s after
 * quorum); kube-controller-manager and kube-scheduler, which lost their Leases 10 s into the outage,
 * take them again within one retry period (2 s) and the stalled work proceeds.
 */
import { z } from 'zod';
import type { IncidentState, SimState } from '../types.ts';
import { reconcileEtcd } from '../apiserver.ts';
import { defineIncident } from './module.ts';
import { dnsLabel } from './params.ts';
import { etcdMembersTarget } from './targets.ts';

export { membersToStop } from './targets.ts';

/**
 * Stops the named etcd members (healthy false, any restore in progress abandoned) and lets Raft react
 * at once (`reconcileEtcd`: a leader election, or no leader when fewer than floor(n/2)+1 stay). Shared
 * by etcd-quorum-loss and etcd-member-loss. Names not in the cluster are ignored (targets are resolved
 * before this).
 */
export function stopEtcdMembers(state: SimState, names: readonly string[]): void {
  for (const member of state.controlPlane.etcd.members) {
    if (names.includes(member.name)) {
      member.healthy = false;
      member.restoringUntil = null;
    }
  }
  reconcileEtcd(state);
}

/** The `etcd-quorum-loss` incident (see the module doc): mitigated once etcd has quorum and a leader. */
export const etcdQuorumLoss = defineIncident({
  kind: 'etcd-quorum-loss',
  params: z.strictObject({
    members: z.array(dnsLabel()).min(1).optional().describe("Members to stop; absent: the target's names, else just enough to lose quorum."),
  }),
  target: etcdMembersTarget,
  title: () => 'etcd lost quorum',
  describe: (spec) => `etcd members ${spec.target || 'of the control plane'} stopped responding`,
  symptoms: [
    'every kubectl command fails with "Error from server: etcdserver: request timed out"',
    'etcdctl endpoint health / endpoint status show members unreachable and an unhealthy cluster; etcdctl member list times out',
    'kube-controller-manager and kube-scheduler lose their leases after 10 s: controllers and the scheduler stall (no new pods, no rollouts, no events), while running pods keep serving traffic',
  ],
  remediations: [
    { summary: "Restore enough stopped members' data dirs from a snapshot and restart their static Pods to regain quorum (floor(n/2)+1)", command: 'etcdctl snapshot restore snapshot.db --name <member>' },
  ],
  start(state: SimState, inc: IncidentState, { target: names }) {
    stopEtcdMembers(state, names);
    inc.data['members'] = names;
    return { ok: true };
  },
  isMitigated(state: SimState): boolean {
    const etcd = state.controlPlane.etcd;
    return etcd.hasQuorum && etcd.leader !== null;
  },
});
