/**
 * batch/v1 Job and CronJob (issue 6): completions/parallelism, the run-to-completion rule
 * (`gameday.dev/run-seconds`, default 10 s; `gameday.dev/exit-code`), backoffLimit with the 10 s doubling
 * pod-failure back-off, activeDeadlineSeconds, restartPolicy Never/OnFailure, Complete/Failed
 * conditions, CronJob schedules in sim time from the match start (sim second 0 = 2025-01-01T00:00:00Z),
 * concurrencyPolicy and history limits. Times are sim seconds.
 */
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../shared/manifests/load.ts';
import { createSim, podDisplayStatus, step } from '../../shared/sim/index.ts';
import type { CronJobManifest, JobManifest, SimState } from '../../shared/sim/index.ts';
import { nextCronTime, parseCron, unixMinutes } from '../../shared/sim/cron.ts';
import { shopInput, typeCommand } from './game-fixtures.ts';

function job(name: string, spec: Partial<JobManifest['spec']> & { run?: number; exit?: number; restartPolicy?: 'Never' | 'OnFailure' } = {}): JobManifest {
  const annotations: Record<string, string> = {};
  if (spec.run !== undefined) annotations['gameday.dev/run-seconds'] = String(spec.run);
  if (spec.exit !== undefined) annotations['gameday.dev/exit-code'] = String(spec.exit);
  const { run: _r, exit: _e, restartPolicy, ...rest } = spec;
  return {
    apiVersion: 'batch/v1', kind: 'Job', metadata: { name },
    spec: { ...rest, template: { metadata: { labels: {}, annotations }, spec: { restartPolicy: restartPolicy ?? 'Never', containers: [{ name: 'work', image: 'busybox:1.36', resources: { requests: { cpu: '50m', memory: '32Mi' } } }] } } },
  };
}

const until = (s: SimState, t: number) => {
  while (s.t < t) step(s);
};
const theJob = (s: SimState, n: string) => s.jobs![`default/${n}`]!;
const jobPods = (s: SimState, n: string) => Object.values(s.pods).filter((p) => p.metadata.labels['job-name'] === n);
const creates = (s: SimState, n: string) => s.events.filter((e) => e.object.kind === 'Job' && e.object.name === n && e.reason === 'SuccessfulCreate').map((e) => e.t);

describe('Job', () => {
  it('completions 3, parallelism 2, Pods run 20 s: two at once, the third after them, Complete with completionTime', () => {
    const s = createSim({ ...shopInput(), jobs: [job('pi', { completions: 3, parallelism: 2, run: 20 })] });
    expect(jobPods(s, 'pi')).toHaveLength(2);
    until(s, 19);
    expect(theJob(s, 'pi').status).toMatchObject({ active: 2, succeeded: 0 });
    until(s, 20);
    expect(theJob(s, 'pi').status).toMatchObject({ active: 1, succeeded: 2 });
    for (const p of jobPods(s, 'pi').filter((p) => p.status.phase === 'Succeeded')) expect(podDisplayStatus(p, s.t)).toBe('Completed');
    until(s, 60);
    const j = theJob(s, 'pi');
    expect(j.status.succeeded).toBe(3);
    expect(j.status.conditions.map((c) => [c.type, c.status])).toEqual([['Complete', 'True']]);
    expect(j.status.completionTime).toBeGreaterThan(40);
    expect(s.events.some((e) => e.object.name === 'pi' && e.reason === 'Completed' && e.message === 'Job completed')).toBe(true);
    expect(typeCommand(s, 'kubectl get jobs')).toMatch(/^NAME\s+STATUS\s+COMPLETIONS\s+DURATION\s+AGE\npi\s+Complete\s+3\/3\s+\d+s\s+60s$/);
    expect(typeCommand(s, 'kubectl get pods -l job-name=pi')).toMatch(/pi-\w+\s+0\/1\s+Completed\s+0/);
  });

  it('a Job Pod runs 10 s by default', () => {
    const s = createSim({ ...shopInput(), jobs: [job('quick')] });
    until(s, 9);
    expect(theJob(s, 'quick').status.succeeded).toBe(0);
    until(s, 10);
    expect(theJob(s, 'quick').status.succeeded).toBe(1);
  });

  it('backoffLimit 2, restartPolicy Never, exit 1: new Pods after 10 s and 20 s, then Failed BackoffLimitExceeded', () => {
    const s = createSim({ ...shopInput(), jobs: [job('bad', { backoffLimit: 2, run: 5, exit: 1 })] });
    until(s, 200);
    const j = theJob(s, 'bad');
    expect(j.status.conditions).toEqual([expect.objectContaining({ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' })]);
    expect(j.status.failed).toBe(3);
    // the first Pod (created silently by the warm start at t = 0) fails at 5 s; the next is created 10 s
    // later; the second fails 5 s after it starts, the third comes 20 s after that
    const t = creates(s, 'bad');
    expect(jobPods(s, 'bad')).toHaveLength(3);
    expect(t[0]).toBe(15);
    const secondFail = jobPods(s, 'bad').map((p) => p.status.containerStatuses[0]!.state.terminated!.finishedAt).sort((a, b) => a - b)[1]!;
    expect(t[1]).toBe(secondFail + 20);
    expect(jobPods(s, 'bad').every((p) => p.status.phase === 'Failed')).toBe(true);
    expect(typeCommand(s, 'kubectl get pods -l job-name=bad')).toMatch(/bad-\w+\s+0\/1\s+Error\s+0/);
    expect(s.events.some((e) => e.type === 'Warning' && e.reason === 'BackoffLimitExceeded')).toBe(true);
  });

  it('restartPolicy OnFailure: the container restarts in place (crash-loop back-off); restarts count toward backoffLimit', () => {
    const s = createSim({ ...shopInput(), jobs: [job('flaky', { backoffLimit: 1, run: 3, exit: 1, restartPolicy: 'OnFailure' })] });
    until(s, 120);
    const j = theJob(s, 'flaky');
    expect(j.status.conditions[0]).toMatchObject({ type: 'Failed', reason: 'BackoffLimitExceeded' });
    // one Pod (the warm start's), restarted in place: 2 restarts > backoffLimit 1; then deleted
    expect(creates(s, 'flaky')).toEqual([]);
    expect(j.status.failed).toBe(2);
  });

  it('activeDeadlineSeconds 30: Failed DeadlineExceeded at t = 30, its Pod deleted', () => {
    const s = createSim({ ...shopInput(), jobs: [job('slow', { activeDeadlineSeconds: 30, run: 100 })] });
    until(s, 29);
    expect(theJob(s, 'slow').status.conditions).toEqual([]);
    until(s, 30);
    expect(theJob(s, 'slow').status.conditions[0]).toMatchObject({ type: 'Failed', reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline', lastTransitionTime: 30 });
    expect(jobPods(s, 'slow').every((p) => p.metadata.deletionTimestamp !== undefined)).toBe(true);
  });

  it('loads from manifests; restartPolicy Always is refused with its path', () => {
    const out = loadManifests([
      'apiVersion: batch/v1\nkind: Job\nmetadata: { name: pi }\nspec: { completions: 2, template: { spec: { restartPolicy: Never, containers: [{ name: pi, image: perl }] } } }',
      'apiVersion: batch/v1\nkind: Job\nmetadata: { name: bad }\nspec: { template: { spec: { containers: [{ name: pi, image: perl }] } } }',
      'apiVersion: batch/v1\nkind: CronJob\nmetadata: { name: c }\nspec: { schedule: "61 * * * *", jobTemplate: { spec: { template: { spec: { restartPolicy: OnFailure, containers: [{ name: c, image: busybox }] } } } } }',
    ].join('\n---\n'));
    expect(out.jobs!.map((j) => [j.metadata.name, j.spec.completions])).toEqual([['pi', 2]]);
    expect(out.errors.map((e) => `${e.document} ${e.path}: ${e.message}`)).toEqual([
      '2 spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"',
      '3 spec.schedule: Invalid value: "61 * * * *": unparseable schedule: minute out of range (0-59): "61"',
    ]);
  });
});

function cron(name: string, schedule: string, extra: Partial<CronJobManifest['spec']> = {}, run = 20): CronJobManifest {
  return { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name }, spec: { schedule, ...extra, jobTemplate: { spec: job('x', { run }).spec } } };
}

describe('CronJob', () => {
  it('parses 5-field schedules in UTC from the sim epoch (2025-01-01T00:00:00Z, a Wednesday)', () => {
    expect(nextCronTime(parseCron('*/5 * * * *'), 0)).toBe(300);
    expect(nextCronTime(parseCron('*/5 * * * *'), 300)).toBe(600);
    expect(nextCronTime(parseCron('@hourly'), 0)).toBe(3600);
    expect(nextCronTime(parseCron('30 2 * * *'), 0)).toBe(2 * 3600 + 1800);
    expect(nextCronTime(parseCron('0 0 * * mon'), 0)).toBe(5 * 86400); // Monday 6 January
    expect(nextCronTime(parseCron('0 9 1-7 * 1-5'), 0)).toBe(9 * 3600); // cron's OR of day-of-month and day-of-week
    expect(unixMinutes(300)).toBe(28928165);
    expect(() => parseCron('* * *')).toThrow(/expected exactly 5 fields/);
  });

  it('*/5: a Job every 300 s named <cronjob>-<Unix minutes>; history keeps the last 3 successful Jobs', () => {
    const s = createSim({ ...shopInput(), cronJobs: [cron('report', '*/5 * * * *')] });
    until(s, 299);
    expect(Object.keys(s.jobs ?? {})).toEqual([]);
    until(s, 300);
    expect(Object.keys(s.jobs!)).toEqual(['default/report-28928165']);
    expect(s.cronJobs!['default/report']!.status.lastScheduleTime).toBe(300);
    until(s, 1550);
    expect(Object.keys(s.jobs!).sort()).toEqual(['default/report-28928175', 'default/report-28928180', 'default/report-28928185']);
    expect(s.events.some((e) => e.reason === 'SuccessfulDelete' && e.message === 'Deleted job report-28928165')).toBe(true);
    expect(s.events.some((e) => e.reason === 'SawCompletedJob' && e.message === 'Saw completed job: report-28928185, condition: Complete')).toBe(true);
    const table = typeCommand(s, 'kubectl get cronjobs');
    expect(table).toMatch(/^NAME\s+SCHEDULE\s+TIMEZONE\s+SUSPEND\s+ACTIVE\s+LAST SCHEDULE\s+AGE\nreport\s+\*\/5 \* \* \* \*\s+<none>\s+False\s+0\s+\d+s\s+\d+m\d*s?$/);
    expect(typeCommand(s, 'kubectl get jobs,cronjobs')).toMatch(/job\.batch\/report-28928185\s+Complete\s+1\/1[\s\S]*\n\nNAME\s+SCHEDULE[\s\S]*cronjob\.batch\/report\s+\*\/5/);
  });

  it('concurrencyPolicy Forbid skips a run while the previous Job is active (JobAlreadyActive); Allow runs both', () => {
    const s = createSim({ ...shopInput(), cronJobs: [cron('forbid', '*/5 * * * *', { concurrencyPolicy: 'Forbid' }, 400), cron('allow', '*/5 * * * *', {}, 400)] });
    until(s, 600);
    expect(Object.keys(s.jobs!).filter((k) => k.startsWith('default/forbid'))).toHaveLength(1);
    expect(Object.keys(s.jobs!).filter((k) => k.startsWith('default/allow'))).toHaveLength(2);
    expect(s.events.some((e) => e.object.name === 'forbid' && e.reason === 'JobAlreadyActive' && e.t === 600)).toBe(true);
  });
});
