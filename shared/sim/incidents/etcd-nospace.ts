/**
 * `etcd-nospace`: etcd's backend database outgrows its space quota (`--quota-backend-bytes`, default
 * 2 GiB) and etcd raises the cluster-wide `NOSPACE` alarm: from then on it refuses every write with
 * `etcdserver: mvcc: database space exceeded` and serves reads only. The history kept the database
 * growing: a runaway writer (an operator or controller updating the same objects in a hot loop, or a
 * flood of Events) wrote `historyRevisions` revisions faster than the API server's compaction (every
 * 5 min) discarded them, and the file is fragmented. Source: https://etcd.io/docs/v3.5/op-guide/maintenance/#space-quota
 * (the alarm, the error, and the recovery below); public postmortems of the same failure: e.g. the
 * OpenShift / Rancher knowledge-base articles "etcdserver: mvcc: database space exceeded".
 *
 * What players see: every kubectl write fails with `Error from server: etcdserver: mvcc: database space
 * exceeded` while `kubectl get` works; the controllers and the scheduler cannot write (Lease renewals
 * are writes too: both lose their Leases after 10 s and stall, as for a quorum loss), so nothing that
 * breaks meanwhile is repaired; `etcdctl alarm list` shows `memberID:... alarm:NOSPACE`, `etcdctl
 * endpoint status -w table` a DB SIZE over 2.1 GB and the alarm under ERRORS.
 *
 * Params (schema and defaults: {@link etcdNospace}`.params`): `quotaGiB` (2), `sizeGiB` (2.1, over the
 * quota), `liveMiB` (what the keys take without their history, 400), `historyRevisions` (1,500,000).
 *
 * Fix (etcd's documented order): `etcdctl endpoint status -w json` for the current revision, `etcdctl
 * compact <revision>` (frees the history's pages), `etcdctl defrag` (gives them back: DB SIZE drops),
 * `etcdctl alarm disarm` (writes resume; disarming while the file is still over the quota raises the
 * alarm again at once). Mitigated once the alarm is off, the database is under its quota and the API
 * server writes again.
 */
import { z } from 'zod';
import type { IncidentState, SimState } from '../types.ts';
import { apiWritable } from '../apiserver.ts';
import { defineIncident } from './module.ts';
import { kubeSystemTarget } from './targets.ts';

/** The `etcd-nospace` incident (see the module doc). */
export const etcdNospace = defineIncident({
  kind: 'etcd-nospace',
  params: z.strictObject({
    quotaGiB: z.number().gt(0).max(8).default(2).describe("etcd's space quota (--quota-backend-bytes), GiB; etcd's default is 2 GiB."),
    sizeGiB: z.number().gt(0).max(16).default(2.1).describe('Size of the database file when the alarm is raised, GiB (at least the quota).'),
    liveMiB: z.number().gt(0).default(400).describe("What the keys take without their history (the size after compaction and defragmentation), MiB."),
    historyRevisions: z.int().min(1000).max(100_000_000).default(1_500_000).describe('Revisions the runaway writer left in the history (the etcd revision jumps by as much).'),
  }),
  target: kubeSystemTarget('etcd-nospace', ['etcd'], 'etcd'),
  title: () => 'etcd database space exceeded (NOSPACE)',
  describe: () => 'etcd raised the NOSPACE alarm: its database is over the 2 GiB quota and every write is refused',
  symptoms: [
    'every kubectl write (scale, rollout undo, delete, cordon...) fails with "Error from server: etcdserver: mvcc: database space exceeded"; kubectl get / describe keep working',
    'etcdctl alarm list shows "memberID:<id> alarm:NOSPACE"; etcdctl endpoint status -w table shows DB SIZE 2.3 GB (over the quota) and the alarm under ERRORS',
    'kube-controller-manager and kube-scheduler cannot renew their Leases: after 10 s nothing is reconciled (no replacement Pods, no scheduling, endpoints go stale) while running Pods keep serving',
    'the SLI drops only when something else breaks meanwhile (a node, a crash) and cannot be repaired',
  ],
  remediations: [
    { summary: 'Compact the history up to the current revision (the "revision" field of etcdctl endpoint status -w json)', command: 'etcdctl compact <revision>' },
    { summary: "Defragment every member to give the freed space back (DB SIZE drops)", command: 'etcdctl defrag --cluster' },
    { summary: 'Disarm the NOSPACE alarm: writes resume', command: 'etcdctl alarm disarm' },
  ],
  start(state: SimState, inc: IncidentState, { params }) {
    const etcd = state.controlPlane.etcd;
    if (!etcd.hasQuorum || etcd.leader === null) return { ok: false, retry: true };
    if (params.sizeGiB < params.quotaGiB) return { ok: false, retry: false, error: `params.sizeGiB (${params.sizeGiB}) must be at least params.quotaGiB (${params.quotaGiB}): the alarm is raised when the database exceeds its quota` };
    const sizeMiB = Math.round(params.sizeGiB * 1024);
    if (params.liveMiB >= params.quotaGiB * 1024) return { ok: false, retry: false, error: `params.liveMiB (${params.liveMiB}) must be under the quota (${params.quotaGiB * 1024} MiB)` };
    const from = state.counters.resourceVersion;
    state.counters.resourceVersion += params.historyRevisions;
    etcd.db = {
      quotaMiB: Math.round(params.quotaGiB * 1024),
      sizeMiB,
      inUseMiB: sizeMiB,
      liveMiB: params.liveMiB,
      historyMiB: Math.max(0, sizeMiB - params.liveMiB),
      historyFromRev: from,
      historyToRev: state.counters.resourceVersion,
      compactedRev: 0,
      alarm: true,
    };
    inc.data['fromRevision'] = from;
    inc.data['toRevision'] = state.counters.resourceVersion;
    return { ok: true };
  },
  isMitigated(state: SimState): boolean {
    const db = state.controlPlane.etcd.db;
    return db !== undefined && !db.alarm && db.sizeMiB < db.quotaMiB && apiWritable(state);
  },
});
