/**
 * CronJob `spec.timeZone` (batch/v1, GA in 1.27): the schedule's fields are read on that zone's wall
 * clock, daylight-saving changes included; an unknown zone is refused at load with the API server's
 * message. Times are sim seconds from the sim epoch 2025-01-01T00:00:00Z (Europe/Berlin is CET, +1 h,
 * until 2025-03-30 01:00Z, then CEST, +2 h, until 2025-10-26 01:00Z).
 */
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../shared/manifests/load.ts';
import { createSim, step } from '../../shared/sim/index.ts';
import type { CronJobManifest } from '../../shared/sim/index.ts';
import { nextCronTime, parseCron, unixMinutes } from '../../shared/sim/cron.ts';
import { shopInput, typeCommand } from './game-fixtures.ts';

const DAY = 86_400;
const MARCH_30 = 88 * DAY; // the EU's spring-forward day, 00:00Z
const OCTOBER_26 = 298 * DAY; // its fall-back day, 00:00Z

describe('CronJob timeZone', () => {
  it('reads the schedule on the zone\'s clock: 09:00 in Berlin is 08:00Z in winter and 07:00Z in summer', () => {
    expect(nextCronTime(parseCron('0 9 * * *'), 0, 'Europe/Berlin')).toBe(8 * 3600);
    expect(nextCronTime(parseCron('0 9 * * *'), MARCH_30, 'Europe/Berlin')).toBe(MARCH_30 + 7 * 3600);
    expect(nextCronTime(parseCron('0 0 * * *'), 0, 'America/New_York')).toBe(5 * 3600);
    expect(nextCronTime(parseCron('0 * * * *'), 0, 'Asia/Kolkata')).toBe(1800); // +05:30
    expect(nextCronTime(parseCron('0 9 * * *'), 0, 'UTC')).toBe(9 * 3600);
    expect(nextCronTime(parseCron('0 9 * * *'), 0)).toBe(9 * 3600);
  });

  it('skips a time the spring-forward change removes and runs a repeated one once', () => {
    // 02:30 does not exist in Berlin on 30 March: the next run is 31 March 02:30 CEST (00:30Z).
    expect(nextCronTime(parseCron('30 2 * * *'), MARCH_30, 'Europe/Berlin')).toBe(MARCH_30 + DAY + 1800);
    // 02:30 happens twice on 26 October (00:30Z CEST and 01:30Z CET): it runs at the first, then the next day.
    const first = nextCronTime(parseCron('30 2 * * *'), OCTOBER_26, 'Europe/Berlin')!;
    expect(first).toBe(OCTOBER_26 + 1800);
    expect(nextCronTime(parseCron('30 2 * * *'), first, 'Europe/Berlin')).toBe(OCTOBER_26 + DAY + 3600 + 1800);
  });

  it('creates the Job at the zone\'s time: hourly in Asia/Kolkata runs at half past the UTC hour', () => {
    const cj: CronJobManifest = {
      apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'report' },
      spec: {
        schedule: '0 * * * *', timeZone: 'Asia/Kolkata',
        jobTemplate: { spec: { template: { metadata: { labels: {}, annotations: {} }, spec: { restartPolicy: 'Never', containers: [{ name: 'work', image: 'busybox:1.36', resources: { requests: { cpu: '50m', memory: '32Mi' } } }] } } } },
      },
    };
    const s = createSim({ ...shopInput(), cronJobs: [cj] });
    while (s.t < 1799) step(s);
    expect(s.jobs?.[`default/report-${unixMinutes(1800)}`]).toBeUndefined();
    while (s.t < 1801) step(s);
    expect(s.jobs?.[`default/report-${unixMinutes(1800)}`]).toBeDefined();
    expect(s.cronJobs!['default/report']!.status.lastScheduleTime).toBe(1800);
    expect(typeCommand(s, 'kubectl get cronjobs')).toMatch(/^NAME\s+SCHEDULE\s+TIMEZONE\s+SUSPEND\s+ACTIVE\s+LAST SCHEDULE\s+AGE\nreport\s+0 \* \* \* \*\s+Asia\/Kolkata\s+False\s+1\s+/);
  });

  it('refuses a zone the database does not have, "Local", an empty one and a wrongly cased one, with the path', () => {
    const doc = (zone: string) => `apiVersion: batch/v1\nkind: CronJob\nmetadata: { name: c }\nspec: { schedule: "0 * * * *", timeZone: ${JSON.stringify(zone)}, jobTemplate: { spec: { template: { spec: { restartPolicy: OnFailure, containers: [{ name: c, image: busybox }] } } } } }`;
    const out = loadManifests([doc('Mars/Olympus'), doc('Local'), doc(''), doc('europe/berlin'), doc('Europe/Berlin')].join('\n---\n'));
    expect(out.errors.map((e) => `${e.document} ${e.path}: ${e.message}`)).toEqual([
      '1 spec.timeZone: Invalid value: "Mars/Olympus": unknown time zone Mars/Olympus',
      '2 spec.timeZone: Invalid value: "Local": timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones',
      '3 spec.timeZone: Invalid value: "": timeZone must be nil or non-empty string',
      '4 spec.timeZone: Invalid value: "europe/berlin": unknown time zone europe/berlin',
    ]);
    expect(out.cronJobs!.map((c) => c.spec.timeZone)).toEqual(['Europe/Berlin']);
  });
});
