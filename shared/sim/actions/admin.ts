/**
 * Operator commands outside the Kubernetes API (action `adminCommand`, typed in the console as etcdctl /
 * kubeadm lines, shared/kubectl/etcdctl.ts and kubeadm.ts). None is an API write, so they work while
 * the API server refuses writes (etcd NOSPACE); the etcd ones need a Raft quorum.
 *
 * etcd maintenance (https://etcd.io/docs/v3.5/op-guide/maintenance/, "Space quota" and
 * "Defragmentation"): `etcdctl compact REV` discards the history before REV (the pages become free,
 * the file keeps its size), `etcdctl defrag` gives the free pages back to the file system (DB SIZE drops
 * to the size in use), `etcdctl alarm disarm` clears the NOSPACE alarm so writes resume — raised again
 * at once while the database is still over its quota. The operator's order is compact, defrag, disarm.
 *
 * kubeadm on the control-plane hosts (https://kubernetes.io/docs/reference/setup-tools/kubeadm/kubeadm-init-phase/#cmd-phase-control-plane):
 * `kubeadm init phase control-plane scheduler|controller-manager` writes that component's static Pod
 * manifest in /etc/kubernetes/manifests again from the cluster's kubeadm configuration; the kubelet
 * notices the new manifest and starts the process, which takes its Lease back once the old one
 * expired (shared/sim/controllers/etcd.ts). The console runs it on every control-plane host.
 *
 * May import: ../types.ts, ../hash.ts, ../controllers/etcd.ts, ../kubeSystem.ts, ./handler.ts.
 */
import { quorumSize } from '../controllers/etcd.ts';
import { fnv1a64 } from '../hash.ts';
import { crashLoopRestarts } from '../kubeSystem.ts';
import type { AdminCommand, SimState } from '../types.ts';
import { reject, type Handled } from './handler.ts';
import { memberIdOf, memberIpOf } from './etcdMembership.ts';

/** etcdctl's answer when a request needs Raft and there is no quorum / leader. */
const TIMEOUT = 'Error: context deadline exceeded';

/** An etcd member's ID as etcdctl prints it (hex; the same formula as shared/kubectl/etcdctl.ts). */
export function etcdMemberId(name: string): string {
  return fnv1a64(`etcd-member:${name}`);
}

/** A member's client URL (member `i` in member order). */
export function etcdEndpoint(index: number): string {
  return `https://10.0.0.${10 + index}:2379`;
}

function raft(state: SimState): boolean {
  const etcd = state.controlPlane.etcd;
  return etcd.hasQuorum && etcd.leader !== null && etcd.members.filter((m) => m.healthy).length >= quorumSize(etcd.members.length);
}

/** The current etcd revision: the API's last resourceVersion (Kubernetes uses etcd's revision as resourceVersion). */
export function etcdRevision(state: SimState): number {
  return state.counters.resourceVersion;
}

/** Share of the incident's history a compaction at `rev` discards (0..1). */
function compactedShare(from: number, to: number, rev: number): number {
  if (to <= from) return rev >= to ? 1 : 0;
  return Math.max(0, Math.min(1, (rev - from) / (to - from)));
}

function compact(state: SimState, arg: string | undefined): Handled {
  if (arg === undefined || !/^\d+$/.test(arg)) return reject('Error: compact expects one argument: the revision (etcdctl endpoint status -w json shows "revision")');
  if (!raft(state)) return reject(TIMEOUT);
  const rev = Number(arg);
  const current = etcdRevision(state);
  if (rev > current) return reject('Error: etcdserver: mvcc: required revision is a future revision');
  const db = state.controlPlane.etcd.db;
  if (db !== undefined) {
    if (rev <= db.compactedRev) return reject('Error: etcdserver: mvcc: required revision has been compacted');
    db.compactedRev = rev;
    const kept = db.historyMiB * (1 - compactedShare(db.historyFromRev, db.historyToRev, rev));
    db.inUseMiB = Math.min(db.sizeMiB, Math.round(db.liveMiB + kept));
  }
  return { result: { ok: true, message: `compacted revision ${rev}`, completesAt: state.t } };
}

function defrag(state: SimState): Handled {
  const etcd = state.controlPlane.etcd;
  if (!etcd.members.some((m) => m.healthy)) return reject(TIMEOUT);
  const ep = (i: number) => `https://${memberIpOf(etcd.members[i]!, i)}:2379`; // (added) stable after member remove/add
  const lines = etcd.members.map((m, i) => (m.healthy
    ? `Finished defragmenting etcd member[${ep(i)}]`
    : `Failed to defragment etcd member[${ep(i)}] (context deadline exceeded)`));
  if (etcd.db !== undefined) etcd.db.sizeMiB = etcd.db.inUseMiB;
  return { result: { ok: true, message: lines.join('\n'), completesAt: state.t } };
}

function disarm(state: SimState): Handled {
  if (!raft(state)) return reject(TIMEOUT);
  const etcd = state.controlPlane.etcd;
  const db = etcd.db;
  if (db === undefined || !db.alarm) return { result: { ok: true, message: '', completesAt: state.t } };
  const lines = etcd.members.filter((m) => m.healthy).map((m) => `memberID:${memberIdOf(m)} alarm:NOSPACE `);
  // Still over the quota: the next write raises the alarm again (etcd's quota check on apply).
  db.alarm = db.sizeMiB >= db.quotaMiB;
  return { result: { ok: true, message: lines.join('\n'), completesAt: state.t } };
}

/** Components `kubeadm init phase control-plane` regenerates, by its sub-command name. */
const KUBEADM_COMPONENTS = { scheduler: 'kube-scheduler', 'controller-manager': 'kube-controller-manager' } as const;

function kubeadmControlPlane(state: SimState, arg: string | undefined): Handled {
  if (arg !== 'scheduler' && arg !== 'controller-manager') return reject('error: expected one of: scheduler, controller-manager, apiserver, all');
  const component = KUBEADM_COMPONENTS[arg];
  const cp = state.controlPlane;
  const broken = cp.brokenStaticPods?.[component];
  if (broken !== undefined && cp.brokenStaticPods) {
    const restarts = crashLoopRestarts(broken.since, state.t);
    cp.staticPodRestarts = { ...(cp.staticPodRestarts ?? {}), [component]: (cp.staticPodRestarts?.[component] ?? 0) + restarts + 1 };
    cp.staticPodStartedAt = { ...(cp.staticPodStartedAt ?? {}), [component]: state.t };
    const rest = { ...cp.brokenStaticPods };
    delete rest[component];
    if (Object.keys(rest).length === 0) delete cp.brokenStaticPods;
    else cp.brokenStaticPods = rest;
  }
  return {
    result: {
      ok: true,
      message: `[control-plane] Using manifest folder "/etc/kubernetes/manifests"\n[control-plane] Creating static Pod manifest for "${component}"`,
      completesAt: state.t,
    },
  };
}

/** Handler hooks other modules register for commands they own (the kubelet certificate: its incident module). */
const extraHandlers = new Map<AdminCommand, (state: SimState, arg: string | undefined) => Handled>();

/** Registers the handler of an admin command (used for `kubeadm-kubelet-cert`). */
export function registerAdminCommand(command: AdminCommand, handler: (state: SimState, arg: string | undefined) => Handled): void {
  extraHandlers.set(command, handler);
}

/** Runs an admin command now (see the module doc). Rejections carry etcdctl's / kubeadm's text. */
export function adminAction(state: SimState, command: AdminCommand, arg: string | undefined): Handled {
  switch (command) {
    case 'etcdctl-compact': return compact(state, arg);
    case 'etcdctl-defrag': return defrag(state);
    case 'etcdctl-alarm-disarm': return disarm(state);
    case 'kubeadm-control-plane': return kubeadmControlPlane(state, arg);
    default: {
      const h = extraHandlers.get(command);
      return h ? h(state, arg) : reject(`error: unknown command "${String(command)}"`);
    }
  }
}
