/**
 * The team cluster's `/metrics` text (server/k8s/metrics.ts) as real `promtool check metrics` reads it
 * (exposition format, HELP and TYPE, counter naming), and what it says about a cluster under an OOM
 * incident: kube-state-metrics, cAdvisor and per-Service request series with the values a user reads.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { clusterMetrics } from '../../server/k8s/metrics.ts';
import { resolveSimInput } from '../../server/scenarios/index.ts';
import { createSim, step } from '../../shared/sim/index.ts';
import type { SimState } from '../../shared/sim/types.ts';
import { MISSING, PROMTOOL } from './bin.ts';

/** Parses the exposition text into `name{labels}` -> value (one line each). */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const i = line.lastIndexOf(' ');
    out.set(line.slice(0, i), Number(line.slice(i + 1)));
  }
  return out;
}

function value(all: Map<string, number>, name: string, labels: Record<string, string>): number | undefined {
  for (const [k, v] of all) {
    if (!k.startsWith(`${name}{`)) continue;
    if (Object.entries(labels).every(([l, val]) => k.includes(`${l}="${val}"`))) return v;
  }
  return undefined;
}

function run(scenario: string, seconds: number): SimState {
  const state = createSim(resolveSimInput({ scenario, seed: 1 }).input);
  while (state.t < seconds) step(state);
  return state;
}

describe('team cluster metrics', () => {
  it.skipIf(PROMTOOL === null)(`pass promtool check metrics${PROMTOOL === null ? ` (${MISSING})` : ''}`, async () => {
    const state = run('online-boutique', 30);
    await clusterMetrics(state);
    while (state.t < 60) step(state);
    const { text, contentType } = await clusterMetrics(state);
    expect(contentType).toContain('text/plain');
    const res = spawnSync(PROMTOOL!, ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(`${res.stdout}${res.stderr}`.trim()).toBe('');
    expect(res.status).toBe(0);
  });

  it('report an OOM-killed, restarting container, its memory and its Service\'s failing requests (first-oom)', async () => {
    const state = run('first-oom', 300);
    await clusterMetrics(state); // the integrated counters start at the first scrape
    while (state.t < 420) step(state);
    const all = samples((await clusterMetrics(state)).text);
    const pod = Object.values(state.pods).find((p) => p.status.containerStatuses[0]!.restartCount > 0)!;
    expect(pod).toBeDefined();
    const labels = { namespace: pod.metadata.namespace, pod: pod.metadata.name };
    expect(value(all, 'kube_pod_container_status_restarts_total', labels)).toBe(pod.status.containerStatuses[0]!.restartCount);
    expect(value(all, 'kube_pod_container_status_last_terminated_reason', { ...labels, reason: 'OOMKilled' })).toBe(1);
    expect(value(all, 'kube_pod_container_resource_limits', { ...labels, resource: 'memory' })).toBe(512 * 1024 * 1024);
    // A running podinfo container: its working set in bytes, CPU seconds over the 120 s since the first scrape.
    const running = Object.values(state.pods).find((p) => p.status.containerStatuses[0]!.state.running !== undefined)!;
    const rl = { namespace: running.metadata.namespace, pod: running.metadata.name };
    expect(value(all, 'container_memory_working_set_bytes', rl)).toBe(running.sim.memoryMiB * 1024 * 1024);
    expect(value(all, 'container_cpu_usage_seconds_total', rl)).toBeGreaterThan(0);
    // The user-facing Service: requests by code over 120 sim s, some failed during the OOM kills.
    const svc = state.userFacingService.split('/');
    const ok = value(all, 'http_requests_total', { namespace: svc[0]!, service: svc[1]!, code: '200' })!;
    const failed = value(all, 'http_requests_total', { namespace: svc[0]!, service: svc[1]!, code: '503' })!;
    expect(ok).toBeGreaterThan(0);
    expect(failed).toBeGreaterThanOrEqual(0);
    const count = value(all, 'http_request_duration_seconds_count', { service: svc[1]! })!;
    expect(count).toBeCloseTo(ok, 6);
    const inf = value(all, 'http_request_duration_seconds_bucket', { service: svc[1]!, le: '+Inf' })!;
    const tenMs = value(all, 'http_request_duration_seconds_bucket', { service: svc[1]!, le: '0.01' })!;
    expect(inf).toBeCloseTo(ok, 6);
    expect(tenMs).toBeLessThanOrEqual(inf);
    expect(value(all, 'etcd_server_has_leader', {}) ?? all.get('etcd_server_has_leader')).toBe(1);
  });
});
