/**
 * Deviation 6 of issue 6: the CrashLoopBackOff back-off starts afresh only once a container has run
 * 10 minutes (W workloads/pods/pod-lifecycle.md "Container restarts"), not 600 s after the previous
 * failure. Times in sim seconds (1 s ticks: an immediate restart shows as a 1 s gap).
 */
import { describe, expect, it } from 'vitest';
import type { SimState } from '../../shared/sim/index.ts';
import { deployment, podsOf, run, sim } from './fixtures.ts';

/** One pod under a 256Mi limit whose memory grows from 100 MiB so that it is OOMKilled after `runs` s. */
function crashesAfter(runs: number): SimState {
  return sim({
    deployments: [deployment('web', { replicas: 1, memoryLimit: '256Mi' })],
    images: { 'web:v1': { baseMemoryMiB: 100, memoryGrowthMiBPerSec: 156 / (runs - 0.5) } },
  });
}

/** Runs `seconds` and returns, per restart, [how long the container ran before failing, the wait before its restart]. */
function restarts(s: SimState, seconds: number): [number, number][] {
  const out: [number, number][] = [];
  let seen = 0;
  run(s, seconds, (x) => {
    const cs = podsOf(x, 'web')[0]!.status.containerStatuses[0]!;
    if (cs.restartCount > seen) {
      seen = cs.restartCount;
      const last = cs.lastState.terminated!;
      out.push([last.finishedAt - last.startedAt!, cs.state.running!.startedAt - last.finishedAt]);
    }
  });
  return out;
}

describe('CrashLoopBackOff reset', () => {
  it('a container that runs 400 s before each crash stays in back-off: 10, 20 ... 300, 300 s (no reset after the long waits)', () => {
    const s = crashesAfter(400);
    const r = restarts(s, 7000);
    expect(r.every(([ran]) => ran === 400)).toBe(true);
    // The old rule ("600 s since the previous failure") reset after wait 160 + run 400 and again after 300 + 400.
    expect(r.slice(0, 10).map(([, wait]) => wait)).toEqual([1, 10, 20, 40, 80, 160, 300, 300, 300, 300]);
  });

  it('a container that ran 10 minutes before it failed restarts at once, every time', () => {
    const s = crashesAfter(700);
    const r = restarts(s, 3000);
    expect(r.length).toBeGreaterThanOrEqual(4);
    expect(r.every(([ran, wait]) => ran === 700 && wait === 1)).toBe(true);
  });
});
