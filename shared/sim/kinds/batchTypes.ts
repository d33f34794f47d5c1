/**
 * Object shapes of batch/v1 Job and CronJob (the subset the sim reads and writes; issue 6). Times are
 * sim seconds. Re-exported by ../types.ts. Source: W concepts/workloads/controllers/job.md and
 * cron-jobs.md; K pkg/apis/batch/v1 defaults.go.
 *
 * May import: ./types.ts.
 */
import type { LabelSelector, ObjectMeta, PodTemplateSpec, SimSeconds } from './types.ts';

/**
 * `batch/v1 JobCondition`: Complete or Failed (reasons `BackoffLimitExceeded`, `DeadlineExceeded`), and
 * (issue 6) Suspended (True `JobSuspended` "Job suspended", False `JobResumed` "Job resumed").
 */
export interface JobCondition {
  type: 'Complete' | 'Failed' | 'Suspended';
  status: 'True' | 'False';
  reason?: string;
  message?: string;
  lastProbeTime: SimSeconds;
  lastTransitionTime: SimSeconds;
}

/** `batch/v1 JobSpec` subset (defaults: completions 1, parallelism 1, backoffLimit 6). */
export interface JobSpec {
  completions: number;
  parallelism: number;
  backoffLimit: number;
  activeDeadlineSeconds?: number;
  /** Always set: `batch.kubernetes.io/controller-uid` of the Job (the API server generates it). */
  selector: LabelSelector;
  /** `restartPolicy` Never or OnFailure (validation: Always is refused). */
  template: PodTemplateSpec;
  suspend: boolean;
}

/** `batch/v1 Job`; the `sim` block is the controller's bookkeeping (never served). */
export interface Job {
  apiVersion: 'batch/v1';
  kind: 'Job';
  metadata: ObjectMeta;
  spec: JobSpec;
  status: {
    active: number;
    ready: number;
    succeeded: number;
    failed: number;
    startTime?: SimSeconds;
    completionTime?: SimSeconds;
    conditions: JobCondition[];
  };
  /** `nextCreateAt`: the sim second the pod-failure back-off (10 s doubling, capped 360 s) lets the next Pod be created. */
  sim: { nextCreateAt: SimSeconds };
}

/** `batch/v1 CronJob`; `sim.nextRunAt` is the next scheduled sim second (null: never). */
export interface CronJob {
  apiVersion: 'batch/v1';
  kind: 'CronJob';
  metadata: ObjectMeta;
  spec: {
    /** Five-field cron (`*\/5 * * * *`) or a macro (`@hourly`); evaluated in UTC from the sim epoch. */
    schedule: string;
    timeZone?: string;
    concurrencyPolicy: 'Allow' | 'Forbid' | 'Replace';
    suspend: boolean;
    successfulJobsHistoryLimit: number;
    failedJobsHistoryLimit: number;
    startingDeadlineSeconds?: number;
    jobTemplate: { metadata: { labels: Record<string, string>; annotations: Record<string, string> }; spec: Omit<JobSpec, 'selector'> };
  };
  status: { active: { kind: 'Job'; name: string; namespace: string; uid: string }[]; lastScheduleTime?: SimSeconds; lastSuccessfulTime?: SimSeconds };
  sim: { nextRunAt: SimSeconds | null };
}

/** A Job as loaded from a manifest (defaults not applied). */
export interface JobManifest {
  apiVersion: 'batch/v1';
  kind: 'Job';
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: {
    completions?: number;
    parallelism?: number;
    backoffLimit?: number;
    activeDeadlineSeconds?: number;
    suspend?: boolean;
    template: import('../types.ts').DeploymentManifest['spec']['template'];
  };
}

/** A CronJob as loaded from a manifest (defaults not applied). */
export interface CronJobManifest {
  apiVersion: 'batch/v1';
  kind: 'CronJob';
  metadata: JobManifest['metadata'];
  spec: {
    schedule: string;
    timeZone?: string;
    concurrencyPolicy?: 'Allow' | 'Forbid' | 'Replace';
    suspend?: boolean;
    successfulJobsHistoryLimit?: number;
    failedJobsHistoryLimit?: number;
    startingDeadlineSeconds?: number;
    jobTemplate: { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> }; spec: JobManifest['spec'] };
  };
}
