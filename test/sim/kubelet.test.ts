import { describe, expect, it } from 'vitest';
import { applyAction, podDisplayStatus } from '../../shared/sim/index.ts';
import type { SimState } from '../../shared/sim/index.ts';
import { deployment, eventsWith, podsOf, run, runUntil, sim } from './fixtures.ts';

/** One pod whose memory grows 50 MiB/s from 100 MiB under a 256Mi limit: OOMKilled ~4 s after each start. */
function leaky(): SimState {
  return sim({
    deployments: [deployment('web', { replicas: 1, memoryLimit: '256Mi' })],
    images: { 'web:v1': { baseMemoryMiB: 100, memoryGrowthMiBPerSec: 50 } },
  });
}

describe('kubelet', () => {
  it('pulls, creates and starts containers with the real event sequence', () => {
    const s = sim({ coldStart: true, deployments: [deployment('web', { replicas: 1 })] });
    const pod = podsOf(s, 'web')[0]!;
    expect(podDisplayStatus(pod, s.t)).toBe('ContainerCreating');
    runUntil(s, (x) => podDisplayStatus(podsOf(x, 'web')[0]!, x.t) === 'Running', 10);
    const reasons = s.events.filter((e) => e.object.name === pod.metadata.name).map((e) => e.reason);
    expect(reasons).toEqual(['Scheduled', 'Pulling', 'Pulled', 'Created', 'Started']);
    const pulled = eventsWith(s, 'Pulled', pod.metadata.name)[0]!;
    expect(pulled.t).toBeGreaterThanOrEqual(2);
    expect(pulled.t).toBeLessThanOrEqual(5);
  });

  it('a readiness probe makes the pod Ready after initialDelay + one period', () => {
    const s = sim({ coldStart: true, deployments: [deployment('web', { replicas: 1, readinessProbe: { httpGet: { port: 80 }, initialDelaySeconds: 5, periodSeconds: 10 } })] });
    const started = runUntil(s, (x) => podsOf(x, 'web')[0]!.sim.containerStartedAt !== null, 10)!;
    expect(podsOf(s, 'web')[0]!.sim.ready).toBe(false);
    const ready = runUntil(s, (x) => podsOf(x, 'web')[0]!.sim.ready, 30)!;
    expect(ready - started).toBe(15);
  });

  it('OOMKilled then CrashLoopBackOff with back-off gaps 10, 20, 40... capped at 300 s', () => {
    const s = leaky();
    const failures: number[] = [];
    const restarts: number[] = [];
    const seen = new Set<string>();
    let lastRestarts = 0;
    run(s, 1500, (x) => {
      const pod = podsOf(x, 'web')[0]!;
      const st = podDisplayStatus(pod, x.t);
      seen.add(st);
      const cs = pod.status.containerStatuses[0]!;
      if (st === 'OOMKilled' && failures.at(-1) !== cs.state.terminated!.finishedAt) failures.push(cs.state.terminated!.finishedAt);
      if (cs.restartCount > lastRestarts) {
        lastRestarts = cs.restartCount;
        restarts.push(x.t);
      }
    });
    expect(seen).toContain('OOMKilled');
    expect(seen).toContain('CrashLoopBackOff');
    expect(seen).toContain('Running');
    const gaps = restarts.map((r, i) => r - failures[i]!);
    expect(gaps.slice(0, 8)).toEqual([1, 10, 20, 40, 80, 160, 300, 300]);
    const pod = podsOf(s, 'web')[0]!;
    const cs = pod.status.containerStatuses[0]!;
    expect(cs.lastState.terminated).toMatchObject({ reason: 'OOMKilled', exitCode: 137 });
    expect(cs.restartCount).toBe(restarts.length);
    const backoff = eventsWith(s, 'BackOff')[0]!;
    expect(backoff.type).toBe('Warning');
    expect(backoff.message).toBe(`Back-off restarting failed container app in pod ${pod.metadata.name}_default(${pod.metadata.uid})`);
  });

  it('the back-off resets after 600 s without a failure', () => {
    const s = leaky();
    run(s, 60);
    expect(podsOf(s, 'web')[0]!.sim.backoffSeconds).toBeGreaterThan(10);
    s.images['web:v1'] = { ...s.images['web:v1']!, memoryGrowthMiBPerSec: 0 };
    runUntil(s, (x) => podsOf(x, 'web')[0]!.sim.containerStartedAt !== null, 400);
    run(s, 650);
    s.images['web:v1'] = { ...s.images['web:v1']!, memoryGrowthMiBPerSec: 50 };
    const failedAt = runUntil(s, (x) => podDisplayStatus(podsOf(x, 'web')[0]!, x.t) === 'OOMKilled', 20)!;
    const restartedAt = runUntil(s, (x) => podsOf(x, 'web')[0]!.sim.containerStartedAt !== null, 20)!;
    expect(restartedAt - failedAt).toBe(1);
  });

  it('a memory leak switched on mid-match (profile change) leads to OOMKilled', () => {
    const s = sim({ deployments: [deployment('web', { replicas: 2, memoryLimit: '256Mi' })], images: { 'web:v1': { baseMemoryMiB: 100 } } });
    run(s, 30);
    expect(podsOf(s, 'web').every((p) => p.sim.memoryMiB === 100)).toBe(true);
    s.images['web:v1'] = { ...s.images['web:v1']!, memoryGrowthMiBPerSec: 2, memoryPlateauMiB: null };
    const at = runUntil(s, (x) => podsOf(x, 'web').some((p) => p.status.containerStatuses[0]!.lastState.terminated?.reason === 'OOMKilled'), 200)!;
    // started at t=0, grows 2 MiB/s from t=30 of uptime: 100 + 2*(t-0) > 256 -> t > 78
    expect(at).toBeGreaterThanOrEqual(79);
    expect(at).toBeLessThanOrEqual(80);
  });

  it('a memory plateau under the limit never OOMs', () => {
    const s = sim({ deployments: [deployment('web', { replicas: 1, memoryLimit: '256Mi' })], images: { 'web:v1': { baseMemoryMiB: 100, memoryGrowthMiBPerSec: 10, memoryPlateauMiB: 200 } } });
    run(s, 100);
    const pod = podsOf(s, 'web')[0]!;
    expect(pod.sim.memoryMiB).toBe(200);
    expect(pod.status.containerStatuses[0]!.restartCount).toBe(0);
  });

  it('a graceful delete leaves endpoints at once and the pod disappears within 5 s; force delete is immediate', () => {
    const s = sim();
    const [a, b] = podsOf(s, 'web');
    applyAction(s, 'p', { type: 'deletePod', pod: a!.metadata.name });
    expect(podDisplayStatus(s.pods[`default/${a!.metadata.name}`]!, s.t)).toBe('Terminating');
    run(s, 1);
    const ep = s.endpoints['default/web']!.endpoints.find((e) => e.targetRef.name === a!.metadata.name);
    expect(ep?.conditions).toEqual({ ready: false, terminating: true });
    expect(eventsWith(s, 'Killing', a!.metadata.name)[0]?.message).toBe('Stopping container app');
    run(s, 5);
    expect(s.pods[`default/${a!.metadata.name}`]).toBeUndefined();
    applyAction(s, 'p', { type: 'deletePod', pod: b!.metadata.name, force: true });
    expect(s.pods[`default/${b!.metadata.name}`]).toBeUndefined();
  });
});
