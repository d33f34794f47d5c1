/**
 * The batch/v1 Job and CronJob kinds: storage `state.jobs` / `state.cronJobs` (optional in the state,
 * created with the first object), defaulting (K pkg/apis/batch/v1/defaults.go: completions 1,
 * parallelism 1, backoffLimit 6, suspend false; CronJob concurrencyPolicy Allow, suspend false,
 * successfulJobsHistoryLimit 3, failedJobsHistoryLimit 1), API serialisation and kubectl's columns (K
 * pkg/printers/internalversion/printers.go printJob: NAME STATUS COMPLETIONS DURATION AGE; printCronJob:
 * NAME SCHEDULE TIMEZONE SUSPEND ACTIVE LAST SCHEDULE AGE). Controllers: ../controllers/job.ts.
 *
 * May import: ../types.ts, ./kind.ts, ./print.ts, ./serialize.ts.
 */
import type { CronJob, Job } from '../types.ts';
import type { KindDef } from './kind.ts';
import { humanDuration, labelString } from './print.ts';
import { apiCopy, apiMeta, stampEach, stampFields } from './serialize.ts';

const EMPTY = Object.freeze({}) as Readonly<Record<string, never>>;

/** kubectl's Job STATUS (printJob): Complete, Failed, Suspended, Terminating or Running. */
export function jobStatusText(job: Job): string {
  if (job.status.conditions.some((c) => c.type === 'Complete' && c.status === 'True')) return 'Complete';
  if (job.status.conditions.some((c) => c.type === 'Failed' && c.status === 'True')) return 'Failed';
  if (job.metadata.deletionTimestamp !== undefined) return 'Terminating';
  if (job.spec.suspend) return 'Suspended';
  return 'Running';
}

/** True once the Job has a Complete or Failed condition. */
export function jobFinished(job: Job): boolean {
  return job.status.conditions.some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
}

/** The Job kind (`kubectl get jobs`). */
export const jobKind: KindDef<Job> = {
  apiVersion: 'batch/v1',
  kind: 'Job',
  plural: 'jobs',
  singular: 'job',
  shortNames: [],
  namespaced: true,
  store: (state) => state.jobs ?? (EMPTY as Record<string, Job>),
  ensureStore: (state) => (state.jobs ??= Object.create(null) as Record<string, Job>),
  defaults(job) {
    job.spec.completions ??= 1;
    job.spec.parallelism ??= 1;
    job.spec.backoffLimit ??= 6;
    job.spec.suspend ??= false;
  },
  controllerKinds: ['CronJob'],
  toApi(job) {
    const copy = apiCopy(job);
    apiMeta(copy);
    const status = copy['status'] as Record<string, unknown>;
    stampFields(status, ['startTime', 'completionTime']);
    stampEach(status['conditions'], ['lastProbeTime', 'lastTransitionTime']);
    return copy;
  },
  columns: [
    { name: 'NAME', cell: (j) => j.metadata.name },
    { name: 'STATUS', cell: (j) => jobStatusText(j) },
    { name: 'COMPLETIONS', cell: (j) => `${j.status.succeeded}/${j.spec.completions}` },
    {
      name: 'DURATION',
      cell: (j, s) => (j.status.startTime === undefined ? '' : humanDuration((j.status.completionTime ?? s.t) - j.status.startTime)),
    },
    { name: 'AGE', cell: (j, s) => humanDuration(s.t - j.metadata.creationTimestamp) },
    { name: 'CONTAINERS', wide: true, cell: (j) => j.spec.template.spec.containers.map((c) => c.name).join(',') },
    { name: 'IMAGES', wide: true, cell: (j) => j.spec.template.spec.containers.map((c) => c.image).join(',') },
    { name: 'SELECTOR', wide: true, cell: (j) => labelString(j.spec.selector.matchLabels) },
  ],
};

/** The CronJob kind (`kubectl get cronjobs`, `cj`). */
export const cronJobKind: KindDef<CronJob> = {
  apiVersion: 'batch/v1',
  kind: 'CronJob',
  plural: 'cronjobs',
  singular: 'cronjob',
  shortNames: ['cj'],
  namespaced: true,
  store: (state) => state.cronJobs ?? (EMPTY as Record<string, CronJob>),
  ensureStore: (state) => (state.cronJobs ??= Object.create(null) as Record<string, CronJob>),
  defaults(cj) {
    cj.spec.concurrencyPolicy ??= 'Allow';
    cj.spec.suspend ??= false;
    cj.spec.successfulJobsHistoryLimit ??= 3;
    cj.spec.failedJobsHistoryLimit ??= 1;
  },
  controllerKinds: [],
  toApi(cj) {
    const copy = apiCopy(cj);
    apiMeta(copy);
    stampFields(copy['status'], ['lastScheduleTime', 'lastSuccessfulTime']);
    return copy;
  },
  columns: [
    { name: 'NAME', cell: (c) => c.metadata.name },
    { name: 'SCHEDULE', cell: (c) => c.spec.schedule },
    { name: 'TIMEZONE', cell: (c) => c.spec.timeZone ?? '<none>' },
    { name: 'SUSPEND', cell: (c) => (c.spec.suspend ? 'True' : 'False') },
    { name: 'ACTIVE', cell: (c) => String(c.status.active.length) },
    { name: 'LAST SCHEDULE', cell: (c, s) => (c.status.lastScheduleTime === undefined ? '<none>' : humanDuration(s.t - c.status.lastScheduleTime)) },
    { name: 'AGE', cell: (c, s) => humanDuration(s.t - c.metadata.creationTimestamp) },
    { name: 'CONTAINERS', wide: true, cell: (c) => c.spec.jobTemplate.spec.template.spec.containers.map((x) => x.name).join(',') },
    { name: 'IMAGES', wide: true, cell: (c) => c.spec.jobTemplate.spec.template.spec.containers.map((x) => x.image).join(',') },
    { name: 'SELECTOR', wide: true, cell: () => '<none>' },
  ],
};
