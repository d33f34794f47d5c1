/**
 * CFS bandwidth control (kubernetes-behaviour.md §10: "CPU over its limit is throttled (CFS period
 * 100 ms; latency rises, no restart)"): a container with limit L millicores gets L/1000 x 100 ms of CPU
 * per 100 ms period (shared/sim/trafficModel.ts `cfsThrottling`); bursts beyond it wait for the next
 * period, which shows in the latency figures and in cAdvisor's CFS counters on `/metrics`
 * (server/k8s/metrics.ts). Times: sim seconds, latency ms.
 */
import { describe, expect, it } from 'vitest';
import { createSim } from '../../shared/sim/index.ts';
import type { SimState } from '../../shared/sim/types.ts';
import { cfsThrottling } from '../../shared/sim/trafficModel.ts';
import { clusterMetrics } from '../../server/k8s/metrics.ts';
import { deployment, shopInput, stepN } from './game-fixtures.ts';

/** The shop with the api (3 Pods, 200 requests/s, 2 ms of CPU each) at 200 m of CPU: as a limit, or only as a request. */
function shop(limited: boolean): SimState {
  const input = shopInput();
  const api = deployment('api', 'shop/api:v2.0.0', 3, { cpuLimit: '200m' });
  const c = api.spec.template.spec.containers[0]!;
  c.resources = limited ? { requests: { cpu: '200m', memory: '128Mi' }, limits: { cpu: '200m', memory: '256Mi' } } : { requests: { cpu: '200m', memory: '128Mi' }, limits: { memory: '256Mi' } };
  input.deployments = input.deployments.map((d) => (d.metadata.name === 'api' ? api : d));
  return createSim(input);
}

function sample(text: string, name: string, pod: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(`pod="${pod}"`));
  return line === undefined ? NaN : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('CFS throttling (100 ms periods)', () => {
  it('a 200 m limit is 20 ms of CPU per 100 ms: bursts over 10 requests of 2 ms wait up to 80 ms', () => {
    const light = cfsThrottling(200, 2, 10); // 1 request per period on average
    expect(light.throttledShare).toBeLessThan(1e-6);
    const t = cfsThrottling(200, 2, 66.7); // 6.67 per period: 30 % of the quota on average
    expect(t.remainderMs).toBe(80);
    expect(t.throttledShare).toBeGreaterThan(0.07); // already throttled in 1 period of 13
    expect(t.throttledShare).toBeLessThan(0.08);
    expect(t.delayedShare).toBeGreaterThan(0.015);
    expect(t.delayedShare).toBeLessThan(0.03);
    expect(cfsThrottling(200, 2, 1000).throttledShare).toBeCloseTo(1, 6); // far beyond: every period
    const twoCores = cfsThrottling(1500, 2, 600); // 150 ms of CPU on 2 threads: spent after 75 ms
    expect(twoCores.threads).toBe(2);
    expect(twoCores.remainderMs).toBe(25);
    expect(cfsThrottling(500, 2, 66.7).delayedShare).toBeLessThan(1e-6); // the shop's default api: 50 ms quota
  });

  it('throttling raises the p99 of a limited Service over the same CPU as a request only, never restarts', () => {
    const limited = shop(true);
    const requestOnly = shop(false);
    stepN(limited, 60);
    stepN(requestOnly, 60);
    const a = limited.traffic['default/api']!;
    const b = requestOnly.traffic['default/api']!;
    expect(a.rps).toBeCloseTo(b.rps, 6);
    expect(a.errorRate).toBeCloseTo(b.errorRate, 9); // same capacity: nothing more times out
    // ~2 % of the api's requests wait up to 80 ms more: p99 289 -> 292 ms, p50 96.3 -> 97.0 ms.
    expect(a.p99Ms - b.p99Ms).toBeGreaterThan(3);
    expect(a.p99Ms - b.p99Ms).toBeLessThan(10);
    expect(a.p50Ms - b.p50Ms).toBeGreaterThan(0.5);
    expect(a.p50Ms - b.p50Ms).toBeLessThan(2);
    const restarts = Object.values(limited.pods).filter((p) => p.metadata.name.startsWith('api-')).map((p) => p.status.containerStatuses[0]!.restartCount);
    expect(restarts).toEqual([0, 0, 0]);
  });

  it('cAdvisor CFS counters on /metrics: periods, throttled periods and seconds; none without a limit', async () => {
    const s = shop(true);
    stepN(s, 5);
    await clusterMetrics(s); // first scrape: the counters start at 0
    stepN(s, 60);
    const text = (await clusterMetrics(s)).text;
    expect(text).toContain('# HELP container_cpu_cfs_throttled_periods_total Number of throttled period intervals.');
    expect(text).toContain('# TYPE container_cpu_cfs_periods_total counter');
    const pod = Object.values(s.pods).find((p) => p.metadata.name.startsWith('api-'))!.metadata.name;
    const periods = sample(text, 'container_cpu_cfs_periods_total', pod);
    const throttled = sample(text, 'container_cpu_cfs_throttled_periods_total', pod);
    const seconds = sample(text, 'container_cpu_cfs_throttled_seconds_total', pod);
    expect(periods).toBeGreaterThan(599); // 10 periods per sim second, a request in nearly every one
    expect(periods).toBeLessThanOrEqual(600);
    expect(throttled / periods).toBeGreaterThan(0.07); // the ~7.5 % of the model above
    expect(throttled / periods).toBeLessThan(0.08);
    expect(seconds).toBeCloseTo(throttled * 0.08, 6); // 80 ms each
    const unlimited = shop(false);
    stepN(unlimited, 5);
    const other = Object.values(unlimited.pods).find((p) => p.metadata.name.startsWith('api-'))!.metadata.name;
    expect(sample((await clusterMetrics(unlimited)).text, 'container_cpu_cfs_periods_total', other)).toBeNaN();
  });
});
