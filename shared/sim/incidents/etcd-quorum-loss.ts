/**
 * `etcd-quorum-loss`: etcd members go down until fewer than a quorum (floor(n/2)+1; E
 * server/etcdserver/util.go) remain. Without quorum there is no Raft leader: writes and linearizable
 * reads fail (`etcdserver: request timed out`), so kubectl fails and the controllers and scheduler stall,
 * while running pods keep serving (kubernetes-behaviour.md §6).
 *
 * Members: `params.members` (list or comma-separated), else `target` (comma-separated names), else just
 * enough members to lose quorum (the last ones by name, e.g. etcd-1 and etcd-2 of three).
 *
 * Fix: `etcdctl member restore <name>` (action `restoreEtcdMember`) for enough members. Mitigated once
 * etcd has quorum and a leader again.
 */
import type { IncidentSpec, IncidentState, SimState } from '../types.ts';
import type { IncidentHandler, StartOutcome } from './handler.ts';
import { reconcileEtcd } from '../apiserver.ts';
import { listParam } from './helpers.ts';

/** Members the incident stops, per the rules in the module doc. */
export function membersToStop(state: SimState, spec: IncidentSpec): string[] {
  const all = state.controlPlane.etcd.members.map((m) => m.name).sort();
  const listed = listParam(spec, 'members') ?? spec.target.split(',').map((s) => s.trim()).filter((s) => all.includes(s));
  if (listed.length > 0) return [...new Set(listed)].sort();
  const quorum = Math.floor(all.length / 2) + 1;
  const stop = all.length - quorum + 1;
  return all.slice(all.length - stop);
}

/** The `etcd-quorum-loss` handler (see the module doc): mitigated once etcd has quorum and a leader. */
export const etcdQuorumLoss: IncidentHandler = {
  title: () => 'etcd lost quorum',
  describe: (spec) => `etcd members ${spec.target || 'of the control plane'} stopped responding`,
  start(state: SimState, inc: IncidentState): StartOutcome {
    const names = membersToStop(state, inc.spec);
    const unknown = names.filter((n) => !state.controlPlane.etcd.members.some((m) => m.name === n));
    if (unknown.length > 0) return { ok: false, retry: false, error: `unknown etcd members: ${unknown.join(', ')}` };
    for (const member of state.controlPlane.etcd.members) {
      if (names.includes(member.name)) {
        member.healthy = false;
        member.restoringUntil = null;
      }
    }
    reconcileEtcd(state);
    inc.data['members'] = names;
    return { ok: true };
  },
  isMitigated(state: SimState): boolean {
    const etcd = state.controlPlane.etcd;
    return etcd.hasQuorum && etcd.leader !== null;
  },
};
