/**
 * Deviation 1 of issue 6: an image the scenario does not describe runs with the working-set rule of
 * shared/sim/workingSet.ts (60 % of the memory request, at most 90 % of the limit), so a plain nginx
 * with a 32Mi limit runs healthy instead of being OOMKilled from the start.
 */
import { describe, expect, it } from 'vitest';
import { createSim, podDisplayStatus } from '../../shared/sim/index.ts';
import { baseWorkingSetMiB, WORKING_SET_FALLBACK_MIB } from '../../shared/sim/workingSet.ts';
import { DEFAULT_IMAGE_PROFILE } from '../../shared/sim/traffic.ts';
import { deployment, input, run, podsOf } from './fixtures.ts';

function nginx(resources: { requests?: Record<string, string>; limits?: Record<string, string> }) {
  const d = deployment('web', { replicas: 2, image: 'nginx:1.27' });
  d.spec.template.spec.containers[0]!.resources = resources;
  return d;
}

describe('working-set rule for images the scenario does not describe', () => {
  it('nginx with only a 32Mi limit stays Running for an hour, using 60 % of it, never OOMKilled (cold start)', () => {
    const state = createSim(input({ deployments: [nginx({ limits: { memory: '32Mi' } })], coldStart: true }));
    let oom = 0;
    run(state, 3600, (s) => {
      for (const p of podsOf(s, 'web')) if (p.status.containerStatuses.some((c) => c.lastState?.terminated?.reason === 'OOMKilled' || c.state.terminated?.reason === 'OOMKilled')) oom++;
    });
    const pods = podsOf(state, 'web');
    expect(pods.map((p) => podDisplayStatus(p, state.t))).toEqual(['Running', 'Running']);
    expect(oom).toBe(0);
    expect(pods.map((p) => p.status.containerStatuses[0]!.restartCount)).toEqual([0, 0]);
    // round(0.6 * 32) = 19 MiB, under the limit.
    expect(pods.map((p) => p.sim.memoryMiB)).toEqual([19, 19]);
  });

  it('follows the request, is capped at 90 % of the limit, and falls back to 64 MiB with neither', () => {
    const share = DEFAULT_IMAGE_PROFILE;
    expect(baseWorkingSetMiB(share, { memRequestMiB: 100, memLimitMiB: 200 })).toBe(60);
    expect(baseWorkingSetMiB(share, { memRequestMiB: 100, memLimitMiB: 100 })).toBe(60);
    expect(baseWorkingSetMiB({ ...share, baseMemoryShare: 1 }, { memRequestMiB: 100, memLimitMiB: 100 })).toBe(90);
    expect(baseWorkingSetMiB(share, { memRequestMiB: 0, memLimitMiB: null })).toBe(WORKING_SET_FALLBACK_MIB);
    expect(baseWorkingSetMiB(share, { memRequestMiB: 0, memLimitMiB: 40 })).toBe(24);
  });

  it('a scenario that declares baseMemoryMiB above the limit still gets OOMKilled (the scenario says so)', () => {
    const state = createSim(input({ deployments: [nginx({ limits: { memory: '32Mi' } })], images: { 'nginx:1.27': { baseMemoryMiB: 64 } }, coldStart: true }));
    run(state, 120);
    const reasons = podsOf(state, 'web').flatMap((p) => p.status.containerStatuses.map((c) => c.lastState?.terminated?.reason ?? c.state.terminated?.reason));
    expect(reasons).toContain('OOMKilled');
  });
});
