/**
 * The Job and CronJob controllers (K pkg/controller/job/job_controller.go, pkg/controller/cronjob/
 * cronjob_controllerv2.go; W concepts/workloads/controllers/job.md, cron-jobs.md). Times are sim seconds.
 *
 * **Job**: keeps `min(parallelism, completions - succeeded)` Pods active (events `SuccessfulCreate`
 * "Created pod: NAME"); a Pod that ends Succeeded counts toward `completions` (its containers exit by the
 * run-to-completion rule of ./kubelet.ts: `gameday.dev/run-seconds`, default 10 s, `gameday.dev/exit-code`);
 * failures (Failed Pods under restartPolicy Never, container restarts under OnFailure) beyond
 * `backoffLimit` (6) fail the Job (`Failed` condition `BackoffLimitExceeded` "Job has reached the
 * specified backoff limit", active Pods deleted); after each failure the next Pod waits 10 s doubling
 * per failure, capped at 6 min (the pod failure back-off); `activeDeadlineSeconds` fails it with
 * `DeadlineExceeded` "Job was active longer than specified deadline". Done: `Complete` condition,
 * `completionTime`, event `Completed` "Job completed". Pods keep their Succeeded/Failed state (kubectl
 * shows `Completed` / `Error`) until the Job is deleted.
 *
 * **CronJob**: at each scheduled time (../cron.ts, UTC from the sim epoch `2025-01-01T00:00:00Z` = sim
 * second 0) creates Job `<name>-<Unix minutes>` from `jobTemplate` (event `SuccessfulCreate` "Created
 * job NAME"), unless suspended; `concurrencyPolicy` Forbid skips a run while one is active
 * (`JobAlreadyActive`), Replace deletes the active ones first; finished Jobs beyond
 * `successfulJobsHistoryLimit` (3) / `failedJobsHistoryLimit` (1) are deleted oldest first
 * (`SuccessfulDelete` "Deleted job NAME"); `SawCompletedJob` when one finishes. A run missed by more than
 * `startingDeadlineSeconds` is skipped.
 *
 * Both are queued in the ReplicaSet workqueue (`Job:ns/name`, `CronJob:ns/name`; ./replicaset.ts
 * registerOwnerSync) by their own writes and their Pods' / Jobs' changes, and woken by `rs.sync`
 * timers for back-offs, deadlines and schedules.
 *
 * May import: ../apiserver.ts, ../emit.ts, ../cache.ts, ../cron.ts, ../kinds/*, ../names.ts,
 * ../podutil.ts, ../timers.ts, ../types.ts, ./replicaset.ts, ./kubelet.ts.
 */
import { createObject, deletePod, markDirty, newMeta, newUid, removeObject, updateStatus } from '../apiserver.ts';
import { getIndex } from '../cache.ts';
import { nextCronTime, parseCron, unixMinutes } from '../cron.ts';
import { emit } from '../emit.ts';
import { cronJobKind, jobFinished, jobKind } from '../kinds/job.ts';
import { randomSuffix } from '../names.ts';
import { isActive, isTerminating } from '../podutil.ts';
import { scheduleTimer } from '../timers.ts';
import type { CronJob, CronJobManifest, Job, JobCondition, JobManifest, ObjectMeta, OwnerReference, Pod, PodTemplateSpec, SimState } from '../types.ts';
import { podFromTemplate, podResources, reportFailedCreate } from './replicaset.ts';

/** The pod failure back-off: 10 s, doubled per failure, capped at 6 min (K job_controller.go DefaultJobPodFailureBackOff / MaxJobPodFailureBackOff). */
export const JOB_BACKOFF_INITIAL_SECONDS = 10;
/** Cap of the Job pod failure back-off, sim seconds (K job_controller.go MaxJobPodFailureBackOff, 6 min). */
export const JOB_BACKOFF_MAX_SECONDS = 360;

const JOB_SOURCE = 'job-controller';
const CRON_SOURCE = 'cronjob-controller';

/** The back-off before the next Pod after `failures` failures (0 -> none), sim seconds. */
export function jobBackoffSeconds(failures: number): number {
  if (failures <= 0) return 0;
  return Math.min(JOB_BACKOFF_MAX_SECONDS, JOB_BACKOFF_INITIAL_SECONDS * 2 ** (failures - 1));
}

function setJobCondition(state: SimState, job: Job, type: JobCondition['type'], reason: string | undefined, message: string | undefined, status: JobCondition['status'] = 'True'): void {
  const c: JobCondition = { type, status, lastProbeTime: state.t, lastTransitionTime: state.t };
  if (reason !== undefined) c.reason = reason;
  if (message !== undefined) c.message = message;
  job.status.conditions = [...job.status.conditions.filter((x) => x.type !== type), c];
}

/** True when the Job's `Suspended` condition is True. */
function suspendedCondition(job: Job): boolean {
  return job.status.conditions.some((c) => c.type === 'Suspended' && c.status === 'True');
}

function ownedPods(state: SimState, queueKey: string): Pod[] {
  return [...(getIndex(state).podsByOwner.get(queueKey) ?? [])].sort().map((k) => state.pods[k]!).filter((p) => p !== undefined);
}

function cronOwner(job: Job): OwnerReference | undefined {
  return job.metadata.ownerReferences.find((r) => r.controller && r.kind === 'CronJob');
}

/** Syncs one Job (`objKey` = `namespace/name`, `queueKey` = `Job:namespace/name`). */
export function syncJob(state: SimState, objKey: string, queueKey: string): void {
  const job = state.jobs?.[objKey];
  if (!job) return;
  if (jobFinished(job)) return; // a finished Job keeps its counts (its Pods may be gone)
  const before = JSON.stringify(job.status);
  const ns = job.metadata.namespace;
  const ref = { kind: 'Job', name: job.metadata.name, namespace: ns };
  const pods = ownedPods(state, queueKey);
  const active = pods.filter((p) => isActive(p));
  const succeeded = pods.filter((p) => p.status.phase === 'Succeeded').length;
  const failedPods = pods.filter((p) => p.status.phase === 'Failed');
  const restarts = job.spec.template.spec.restartPolicy === 'OnFailure'
    ? active.reduce((n, p) => n + p.status.containerStatuses.reduce((m, c) => Math.max(m, c.restartCount), 0), 0)
    : 0;
  const failed = failedPods.length + restarts;
  job.status.active = active.length;
  job.status.ready = active.filter((p) => p.sim.ready).length;
  job.status.succeeded = succeeded;
  job.status.failed = failed;
  if (!job.spec.suspend) {
    if (suspendedCondition(job)) {
      // (issue 6) resumed: condition Suspended False `JobResumed`, event `Resumed`, startTime now (K job_controller.go syncJob)
      setJobCondition(state, job, 'Suspended', 'JobResumed', 'Job resumed', 'False');
      emit(state, 'Normal', 'Resumed', ref, 'Job resumed', JOB_SOURCE);
      delete job.status.startTime;
    }
    if (job.status.startTime === undefined) {
      job.status.startTime = state.t;
      if (job.spec.activeDeadlineSeconds !== undefined) scheduleTimer(state, state.t + job.spec.activeDeadlineSeconds, 'rs.sync', queueKey);
    }
    const start = job.status.startTime;
    let failReason: [string, string] | null = null;
    if (job.spec.activeDeadlineSeconds !== undefined && state.t >= start + job.spec.activeDeadlineSeconds) failReason = ['DeadlineExceeded', 'Job was active longer than specified deadline'];
    else if (failed > job.spec.backoffLimit) failReason = ['BackoffLimitExceeded', 'Job has reached the specified backoff limit'];
    if (failReason) {
      for (const p of active) deletePod(state, `${ns}/${p.metadata.name}`);
      setJobCondition(state, job, 'Failed', failReason[0], failReason[1]);
      emit(state, 'Warning', failReason[0], ref, failReason[1], JOB_SOURCE);
    } else if (succeeded >= job.spec.completions) {
      setJobCondition(state, job, 'Complete', undefined, undefined);
      job.status.completionTime = state.t;
      emit(state, 'Normal', 'Completed', ref, 'Job completed', JOB_SOURCE);
    } else {
      const want = Math.min(job.spec.parallelism, job.spec.completions - succeeded);
      if (active.length > want) {
        // (added, issue 6) parallelism lowered (kubectl apply): the newest Pods beyond it go (K job_controller.go manageJob)
        const newest = [...active].sort((a, b) => b.metadata.creationTimestamp - a.metadata.creationTimestamp || (a.metadata.name < b.metadata.name ? 1 : -1));
        for (const p of newest.slice(0, active.length - want)) {
          deletePod(state, `${ns}/${p.metadata.name}`);
          job.status.active -= 1;
          emit(state, 'Normal', 'SuccessfulDelete', ref, `Deleted pod: ${p.metadata.name}`, JOB_SOURCE);
        }
      } else if (active.length < want) {
        // The pod failure back-off runs from the last failure (a Pod's finish, or its container's).
        const lastFailure = failedPods.reduce((m, p) => Math.max(m, p.status.containerStatuses[0]?.state.terminated?.finishedAt ?? 0), 0);
        const readyAt = failed > 0 ? lastFailure + jobBackoffSeconds(failed) : state.t;
        if (readyAt > state.t) {
          if (job.sim.nextCreateAt !== readyAt) {
            job.sim.nextCreateAt = readyAt;
            scheduleTimer(state, readyAt, 'rs.sync', queueKey);
          }
        } else {
          const res = podResources(job.spec.template.spec);
          const owner = { apiVersion: 'batch/v1', kind: 'Job', name: job.metadata.name, uid: job.metadata.uid, namespace: ns };
          for (let i = active.length; i < want; i++) {
            let name = `${job.metadata.name}-${randomSuffix(state.rng)}`;
            while (state.pods[`${ns}/${name}`]) name = `${job.metadata.name}-${randomSuffix(state.rng)}`;
            const pod = podFromTemplate(state, owner, job.spec.template, name, res, { labels: jobPodLabels(job) });
            const r = createObject(state, 'Pod', pod);
            if (!r.ok) {
              if (r.code === 403) reportFailedCreate(state, ref, queueKey, `Error creating: ${r.error}`, JOB_SOURCE);
              break;
            }
            job.status.active += 1;
            emit(state, 'Normal', 'SuccessfulCreate', ref, `Created pod: ${name}`, JOB_SOURCE);
          }
        }
      }
    }
  } else if (!suspendedCondition(job) || active.length > 0) {
    // (added, issue 6) suspended (created suspended, or while running): its active Pods are deleted and
    // startTime cleared, so a resume restarts the activeDeadlineSeconds clock; condition Suspended True
    // `JobSuspended` "Job suspended" and event `Suspended` once per suspension (K job_controller.go
    // syncJob; W concepts/workloads/controllers/job.md "Suspending a Job")
    for (const p of active) deletePod(state, `${ns}/${p.metadata.name}`);
    job.status.active = 0;
    job.status.ready = 0;
    delete job.status.startTime;
    if (!suspendedCondition(job)) {
      setJobCondition(state, job, 'Suspended', 'JobSuspended', 'Job suspended');
      emit(state, 'Normal', 'Suspended', ref, 'Job suspended', JOB_SOURCE);
    }
  }
  if (JSON.stringify(job.status) !== before) {
    updateStatus(state, 'Job', objKey, { enqueue: false });
    const cj = cronOwner(job);
    if (cj) markDirty(state, 'replicaSets', `CronJob:${ns}/${cj.name}`);
  }
}

/** The labels a Job's Pods carry (and its selector): `batch.kubernetes.io/controller-uid`, `job-name`. */
function jobPodLabels(job: Job): Record<string, string> {
  return {
    'batch.kubernetes.io/controller-uid': job.metadata.uid,
    'batch.kubernetes.io/job-name': job.metadata.name,
    'controller-uid': job.metadata.uid,
    'job-name': job.metadata.name,
  };
}

/** Deletes a Job and, in the background, its Pods (propagationPolicy Background). */
export function deleteJob(state: SimState, key: string): void {
  const job = state.jobs?.[key];
  if (!job) return;
  const pods = ownedPods(state, `Job:${key}`);
  if (!removeObject(state, 'Job', key).ok) return;
  for (const p of pods) if (!isTerminating(p)) deletePod(state, `${p.metadata.namespace}/${p.metadata.name}`);
}

/**
 * A Job built from a manifest or a CronJob's template: defaults (completions 1, parallelism 1,
 * backoffLimit 6), the controller-uid selector and labels on its template, `restartPolicy` kept.
 */
export function jobFromSpec(metadata: ObjectMeta, spec: Omit<Job['spec'], 'selector' | 'completions' | 'parallelism' | 'backoffLimit' | 'suspend'> & Partial<Job['spec']>): Job {
  const labels = { 'batch.kubernetes.io/controller-uid': metadata.uid, 'batch.kubernetes.io/job-name': metadata.name, 'controller-uid': metadata.uid, 'job-name': metadata.name };
  const template: PodTemplateSpec = structuredClone(spec.template);
  template.metadata.labels = { ...template.metadata.labels, ...labels };
  if (Object.keys(metadata.labels).length === 0) metadata.labels = { ...labels };
  const job: Job = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata,
    spec: {
      completions: spec.completions ?? 1,
      parallelism: spec.parallelism ?? 1,
      backoffLimit: spec.backoffLimit ?? 6,
      suspend: spec.suspend ?? false,
      selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': metadata.uid } },
      template,
    },
    status: { active: 0, ready: 0, succeeded: 0, failed: 0, conditions: [] },
    sim: { nextCreateAt: 0 },
  };
  if (spec.activeDeadlineSeconds !== undefined) job.spec.activeDeadlineSeconds = spec.activeDeadlineSeconds;
  return job;
}

/** Syncs one CronJob (`objKey` = `namespace/name`). */
export function syncCronJob(state: SimState, objKey: string, queueKey: string): void {
  const cj = state.cronJobs?.[objKey];
  if (!cj) return;
  const before = JSON.stringify(cj.status);
  const ns = cj.metadata.namespace;
  const ref = { kind: 'CronJob', name: cj.metadata.name, namespace: ns };
  const mine = Object.keys(jobKind.store(state)).sort().map((k) => state.jobs![k]!)
    .filter((j) => j.metadata.namespace === ns && cronOwner(j)?.uid === cj.metadata.uid);
  // Jobs that finished since the last look: SawCompletedJob, lastSuccessfulTime.
  const activeBefore = new Set(cj.status.active.map((a) => a.name));
  for (const j of mine) {
    if (!jobFinished(j) || !activeBefore.has(j.metadata.name)) continue;
    const c = j.status.conditions.find((x) => x.status === 'True')!;
    emit(state, 'Normal', 'SawCompletedJob', ref, `Saw completed job: ${j.metadata.name}, condition: ${c.type}`, CRON_SOURCE);
    if (c.type === 'Complete') cj.status.lastSuccessfulTime = j.status.completionTime ?? state.t;
  }
  let active = mine.filter((j) => !jobFinished(j));
  // The schedule.
  if (cj.sim.nextRunAt !== null && cj.sim.nextRunAt <= state.t) {
    const scheduled = cj.sim.nextRunAt;
    const late = cj.spec.startingDeadlineSeconds !== undefined && state.t - scheduled > cj.spec.startingDeadlineSeconds;
    if (cj.spec.suspend || late) {
      // a suspended CronJob, or a run missed by more than its deadline, does not start
    } else if (cj.spec.concurrencyPolicy === 'Forbid' && active.length > 0) {
      emit(state, 'Normal', 'JobAlreadyActive', ref, 'Not starting job because prior execution is running and concurrency policy is Forbid', CRON_SOURCE);
    } else {
      if (cj.spec.concurrencyPolicy === 'Replace') {
        for (const j of active) {
          deleteJob(state, `${ns}/${j.metadata.name}`);
          emit(state, 'Normal', 'SuccessfulDelete', ref, `Deleted job ${j.metadata.name}`, CRON_SOURCE);
        }
        active = [];
      }
      const name = `${cj.metadata.name}-${unixMinutes(scheduled)}`;
      if (!state.jobs?.[`${ns}/${name}`]) {
        const meta = newMeta(state, ns, name, { ...cj.spec.jobTemplate.metadata.labels }, { ...cj.spec.jobTemplate.metadata.annotations }, [
          { apiVersion: 'batch/v1', kind: 'CronJob', name: cj.metadata.name, uid: cj.metadata.uid, controller: true },
        ]);
        const job = jobFromSpec(meta, cj.spec.jobTemplate.spec);
        if (!createObject(state, 'Job', job).ok) return; // etcd down: retry on the next tick (nextRunAt unchanged)
        active.push(job);
        cj.status.lastScheduleTime = scheduled;
        emit(state, 'Normal', 'SuccessfulCreate', ref, `Created job ${name}`, CRON_SOURCE);
      }
    }
    cj.sim.nextRunAt = nextRun(cj, state.t);
    if (cj.sim.nextRunAt !== null) scheduleTimer(state, cj.sim.nextRunAt, 'rs.sync', queueKey);
  }
  cj.status.active = active.map((j) => ({ kind: 'Job' as const, name: j.metadata.name, namespace: ns, uid: j.metadata.uid }));
  // History limits: the oldest finished Jobs beyond 3 successful / 1 failed go.
  const finished = mine.filter((j) => jobFinished(j) && state.jobs?.[`${ns}/${j.metadata.name}`]);
  const byAge = (a: Job, b: Job) => (a.status.startTime ?? 0) - (b.status.startTime ?? 0) || (a.metadata.name < b.metadata.name ? -1 : 1);
  const ok = finished.filter((j) => j.status.conditions.some((c) => c.type === 'Complete')).sort(byAge);
  const bad = finished.filter((j) => j.status.conditions.some((c) => c.type === 'Failed')).sort(byAge);
  for (const [list, limit] of [[ok, cj.spec.successfulJobsHistoryLimit], [bad, cj.spec.failedJobsHistoryLimit]] as const) {
    for (const j of list.slice(0, Math.max(0, list.length - limit))) {
      deleteJob(state, `${ns}/${j.metadata.name}`);
      emit(state, 'Normal', 'SuccessfulDelete', ref, `Deleted job ${j.metadata.name}`, CRON_SOURCE);
    }
  }
  if (JSON.stringify(cj.status) !== before) updateStatus(state, 'CronJob', objKey, { enqueue: false });
}

function nextRun(cj: CronJob, t: number): number | null {
  try {
    return nextCronTime(parseCron(cj.spec.schedule), t, cj.spec.timeZone);
  } catch {
    return null;
  }
}

function manifestMeta(state: SimState, m: { metadata: JobManifest['metadata'] }): ObjectMeta {
  return {
    name: m.metadata.name,
    namespace: m.metadata.namespace ?? 'default',
    uid: newUid(state), // RFC 4122-shaped (../apiserver.ts)
    labels: { ...(m.metadata.labels ?? {}) },
    annotations: { ...(m.metadata.annotations ?? {}) },
    creationTimestamp: state.t,
    ownerReferences: [],
    generation: 1,
    resourceVersion: ++state.counters.resourceVersion,
  };
}

/**
 * Stores the Jobs and CronJobs of a SimInput at createSim (queued for their controllers; a CronJob's
 * first run is its schedule's first time after t = 0). `template` converts a manifest's pod template
 * with the Deployment defaults (../create.ts, passed in to keep this module free of create.ts).
 */
export function storeBatch(state: SimState, jobs: readonly JobManifest[], cronJobs: readonly CronJobManifest[], template: (m: JobManifest['spec']['template']) => PodTemplateSpec): void {
  for (const m of jobs) {
    const key = `${m.metadata.namespace ?? 'default'}/${m.metadata.name}`;
    const store = jobKind.ensureStore!(state);
    if (store[key]) {
      state.warnings.push(`duplicate Job "${key}" skipped`);
      continue;
    }
    const job = jobFromSpec(manifestMeta(state, m), { ...m.spec, template: template(m.spec.template) });
    store[key] = job;
    state.dirty.replicaSets.push(`Job:${key}`);
  }
  for (const m of cronJobs) {
    const key = `${m.metadata.namespace ?? 'default'}/${m.metadata.name}`;
    const store = cronJobKind.ensureStore!(state);
    if (store[key]) {
      state.warnings.push(`duplicate CronJob "${key}" skipped`);
      continue;
    }
    const cj: CronJob = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: manifestMeta(state, m),
      spec: {
        schedule: m.spec.schedule,
        concurrencyPolicy: m.spec.concurrencyPolicy ?? 'Allow',
        suspend: m.spec.suspend ?? false,
        successfulJobsHistoryLimit: m.spec.successfulJobsHistoryLimit ?? 3,
        failedJobsHistoryLimit: m.spec.failedJobsHistoryLimit ?? 1,
        jobTemplate: {
          metadata: { labels: { ...(m.spec.jobTemplate.metadata?.labels ?? {}) }, annotations: { ...(m.spec.jobTemplate.metadata?.annotations ?? {}) } },
          spec: { ...m.spec.jobTemplate.spec, template: template(m.spec.jobTemplate.spec.template) } as CronJob['spec']['jobTemplate']['spec'],
        },
      },
      status: { active: [] },
      sim: { nextRunAt: null },
    };
    if (m.spec.timeZone !== undefined) cj.spec.timeZone = m.spec.timeZone;
    if (m.spec.startingDeadlineSeconds !== undefined) cj.spec.startingDeadlineSeconds = m.spec.startingDeadlineSeconds;
    cj.sim.nextRunAt = nextRun(cj, state.t);
    store[key] = cj;
    if (cj.sim.nextRunAt !== null) scheduleTimer(state, cj.sim.nextRunAt, 'rs.sync', `CronJob:${key}`);
  }
}
