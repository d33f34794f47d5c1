/**
 * etcd runtime reconfiguration (action `etcdMember`, typed in the console as `etcdctl member remove ID`
 * and `etcdctl member add NAME --peer-urls=URL`, shared/kubectl/etcdctl.ts). The documented recovery
 * of a permanently failed member (https://etcd.io/docs/v3.5/op-guide/runtime-configuration/, "Replace a
 * failed machine"): remove the failed member, then add the replacement and start it with an empty data
 * directory and `--initial-cluster-state existing`; it syncs from the leader and joins.
 *
 * Both are Raft proposals: they need quorum and a leader (`Error: context deadline exceeded` otherwise),
 * and etcd's `--strict-reconfig-check` (default on) refuses a change that would leave fewer started
 * members than the new quorum (`etcdserver: re-configuration failed due to not enough started members`:
 * adding a member to a 3-member cluster with one down would need 3 of 4). Quorum follows the member
 * count: floor(n/2)+1 (shared/sim/controllers/etcd.ts `quorumSize`).
 *
 * The added member gets a new ID (etcd never reuses one) and starts on its control-plane host: the
 * kubeadm static Pod, its data dir emptied, starts and syncs in {@link MEMBER_JOIN_SECONDS} (fixed: no
 * PRNG draw), then it is healthy (a pending action like a snapshot restore: shared/sim/actions/pending.ts).
 * Until then `member list` shows it `unstarted` with an empty name, as etcd does.
 *
 * Member addresses: a member keeps the client/peer IP it had (`10.0.0.(10+i)` from its place in the
 * original list; the peer URL given to `member add` for an added one), frozen on the first
 * reconfiguration so removing a member does not renumber the others.
 *
 * May import: ../types.ts, ../hash.ts, ../controllers/etcd.ts, ./handler.ts.
 */
import { quorumSize, reconcileEtcd } from '../controllers/etcd.ts';
import { fnv1a64 } from '../hash.ts';
import type { EtcdMember, SimState } from '../types.ts';
import { reject, type Handled } from './handler.ts';

/** Sim seconds an added member takes to start and sync from the leader before it is healthy. */
export const MEMBER_JOIN_SECONDS = 20;

/** The etcd cluster ID as etcdctl prints it (16 hex digits). */
export function etcdClusterId(): string {
  return fnv1a64('etcd-cluster');
}

/** A member's ID as etcdctl prints it (16 hex digits): its own (an added member), else from its name. */
export function memberIdOf(m: EtcdMember): string {
  return m.id ?? fnv1a64(`etcd-member:${m.name}`);
}

/** A member's IP: its own (frozen or given at `member add`), else 10.0.0.(10 + its index). */
export function memberIpOf(m: EtcdMember, index: number): string {
  return m.ip ?? `10.0.0.${10 + index}`;
}

/** True when the member has started (an added one is `unstarted` until it joined). */
export function memberStarted(m: EtcdMember): boolean {
  return m.unstarted !== true;
}

const TIMEOUT = 'Error: context deadline exceeded';
const NOT_ENOUGH = 'Error: etcdserver: re-configuration failed due to not enough started members';

function raft(state: SimState): boolean {
  const etcd = state.controlPlane.etcd;
  return etcd.hasQuorum && etcd.leader !== null;
}

/** Freezes every member's IP so a removal does not renumber the others. */
function freezeAddresses(state: SimState): void {
  state.controlPlane.etcd.members.forEach((m, i) => {
    m.ip ??= memberIpOf(m, i);
  });
}

/** `etcdctl member remove ID` (hex, case-insensitive). */
export function removeEtcdMember(state: SimState, id: string): Handled {
  if (!/^[0-9a-fA-F]{1,16}$/.test(id)) return reject(`Error: bad member ID arg (strconv.ParseUint: parsing "${id}": invalid syntax), expecting ID in Hex`);
  if (!raft(state)) return reject(TIMEOUT);
  const etcd = state.controlPlane.etcd;
  const want = id.toLowerCase().padStart(16, '0');
  const idx = etcd.members.findIndex((m) => memberIdOf(m) === want);
  if (idx < 0) return reject('Error: etcdserver: member not found');
  const startedAfter = etcd.members.filter((x, i) => i !== idx && x.healthy).length;
  if (etcd.members.length === 1 || startedAfter < quorumSize(etcd.members.length - 1)) return reject(NOT_ENOUGH);
  freezeAddresses(state);
  etcd.members.splice(idx, 1);
  reconcileEtcd(state);
  return { result: { ok: true, message: `Member ${want} removed from cluster ${etcdClusterId()}`, completesAt: state.t } };
}

/** `etcdctl member add NAME --peer-urls=URL`: the new member starts and joins after {@link MEMBER_JOIN_SECONDS}. */
export function addEtcdMember(state: SimState, name: string, peerUrl: string): Handled {
  const url = /^https?:\/\/(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}):(\d{1,5})$/.exec(peerUrl);
  if (!url) return reject(`Error: --peer-urls: URL "${peerUrl}" is not of the form https://IP:2380`);
  if (!raft(state)) return reject(TIMEOUT);
  const etcd = state.controlPlane.etcd;
  freezeAddresses(state);
  if (etcd.members.some((m) => m.ip === url[1])) return reject('Error: etcdserver: Peer URLs already exists');
  if (etcd.members.some((m) => m.name === name)) return reject(`Error: etcdserver: member name "${name}" already exists`);
  const started = etcd.members.filter((m) => m.healthy).length;
  if (started < quorumSize(etcd.members.length + 1)) return reject(NOT_ENOUGH);
  const id = fnv1a64(`etcd-member:${name}:${state.t}:${etcd.term}`);
  const member: EtcdMember = { name, healthy: false, restoringUntil: state.t + MEMBER_JOIN_SECONDS, id, ip: url[1]!, unstarted: true };
  etcd.members.push(member);
  reconcileEtcd(state);
  const initial = etcd.members.map((m, i) => `${m.name}=https://${memberIpOf(m, i)}:2380`).join(',');
  const lines = [
    `Member ${id} added to cluster ${etcdClusterId()}`,
    '',
    `ETCD_NAME="${name}"`,
    `ETCD_INITIAL_CLUSTER="${initial}"`,
    `ETCD_INITIAL_ADVERTISE_PEER_URLS="${peerUrl}"`,
    'ETCD_INITIAL_CLUSTER_STATE="existing"',
  ];
  return { result: { ok: true, message: lines.join('\n'), completesAt: member.restoringUntil! }, pending: true };
}

/** Completion of `member add`: the member started and synced; healthy, quorum and leader recomputed. */
export function completeEtcdMemberJoin(state: SimState, name: string): boolean {
  const m = state.controlPlane.etcd.members.find((x) => x.name === name && x.unstarted === true);
  if (!m || m.restoringUntil === null || m.restoringUntil > state.t) return false;
  m.restoringUntil = null;
  m.healthy = true;
  delete m.unstarted;
  reconcileEtcd(state);
  return true;
}
