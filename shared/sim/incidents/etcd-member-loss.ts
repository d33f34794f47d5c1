/**
 * `etcd-member-loss`: one etcd member (of three) goes down: its disk died, its static Pod crash-loops.
 * The others keep a quorum (floor(n/2)+1 = 2 of 3; etcd server/etcdserver/util.go), so writes go on and
 * kubectl works; only a leader election (1-2 s, blocking writes for about one election timeout) if the
 * lost member was the Raft leader (kubernetes-behaviour.md §6). The cluster now tolerates no further
 * failure: `etcdctl endpoint health` shows the member unhealthy (`connection refused`) and `Error:
 * unhealthy cluster`, `endpoint status` cannot reach it.
 *
 * Members: `target` (comma-separated names) or `params.members`; absent: the current leader (else the
 * last member by name). Refused when stopping them would lose quorum (that is `etcd-quorum-loss`).
 *
 * Fix: restore the member's data dir from a snapshot and restart its static Pod: `etcdctl snapshot
 * restore snapshot.db --name <member>` (action `restoreEtcdMember`, 30-60 s). Mitigated once every
 * stopped member is healthy again and etcd has a leader.
 */
import { z } from 'zod';
import type { IncidentSpec, IncidentState, SimState } from '../types.ts';
import { stopEtcdMembers } from './etcd-quorum-loss.ts';
import { listParam } from './helpers.ts';
import { defineIncident } from './module.ts';
import { dnsLabel } from './params.ts';
import { etcdMembersTarget, type TargetSelector } from './targets.ts';

/** The members to stop: the listed ones (params, then target), else the leader, else the last by name. Sorted. */
function membersToLose(state: SimState, spec: IncidentSpec): string[] {
  const all = state.controlPlane.etcd.members.map((m) => m.name).sort();
  const listed = listParam(spec, 'members') ?? spec.target.split(',').map((s) => s.trim()).filter((s) => s !== '' && all.includes(s));
  if (listed.length > 0) return [...new Set(listed)].sort();
  const leader = state.controlPlane.etcd.leader;
  return leader !== null && all.includes(leader) ? [leader] : all.slice(-1);
}

/** etcd members whose loss keeps quorum; errors `unknown etcd members: x`, `stopping a, b would lose quorum ...`. */
const memberLossTarget: TargetSelector<string[], 'EtcdMember'> = {
  ...etcdMembersTarget,
  kind: 'EtcdMember',
  description: 'etcd members to lose while a quorum remains (absent: the leader)',
  resolve(state, spec) {
    const names = membersToLose(state, spec);
    const members = state.controlPlane.etcd.members;
    const unknown = names.filter((n) => !members.some((m) => m.name === n));
    if (unknown.length > 0) return { ok: false, error: `unknown etcd members: ${unknown.join(', ')}` };
    const left = members.filter((m) => m.healthy && !names.includes(m.name)).length;
    const quorum = Math.floor(members.length / 2) + 1;
    if (left < quorum) return { ok: false, error: `stopping ${names.join(', ')} would leave ${left} of ${members.length} members, under the quorum of ${quorum}: that is etcd-quorum-loss` };
    return { ok: true, value: names };
  },
};

/** The `etcd-member-loss` incident (see the module doc). */
export const etcdMemberLoss = defineIncident({
  kind: 'etcd-member-loss',
  params: z.strictObject({
    members: z.array(dnsLabel()).min(1).optional().describe("Members to stop; absent: the target's names, else the current leader."),
  }),
  target: memberLossTarget,
  title: () => 'etcd member down',
  describe: (spec) => `etcd member ${spec.target || 'of the control plane'} stopped responding`,
  symptoms: [
    'kubectl keeps working: the other members hold a quorum (2 of 3), so writes succeed; a leader election of 1-2 s if the lost member led',
    'etcdctl endpoint health shows the member "is unhealthy: failed to commit proposal: dial tcp ...:2379: connect: connection refused" and "Error: unhealthy cluster"',
    'etcdctl endpoint status cannot reach it ("Failed to get the status of endpoint ... (context deadline exceeded)"); one more failure would lose quorum',
  ],
  remediations: [
    { summary: "Restore the member's data dir from a snapshot and restart its static Pod", command: 'etcdctl snapshot restore snapshot.db --name <member>' },
  ],
  start(state: SimState, inc: IncidentState, { target: names }) {
    const wasLeader = state.controlPlane.etcd.leader;
    stopEtcdMembers(state, names);
    inc.data['members'] = names;
    inc.data['wasLeader'] = wasLeader !== null && names.includes(wasLeader);
    return { ok: true };
  },
  isMitigated(state: SimState, inc: IncidentState): boolean {
    const names = inc.data['members'];
    const etcd = state.controlPlane.etcd;
    if (!Array.isArray(names) || etcd.leader === null || !etcd.hasQuorum) return false;
    return etcd.members.every((m) => m.healthy || !names.includes(m.name));
  },
});
