/**
 * Pods share frozen pieces after a warm start (conditions set at t=0, container states, endpoint
 * conditions; shared/sim/README.md): a write to one Pod must never show in another.
 */
import { describe, expect, it } from 'vitest';
import { createSim } from '../../shared/sim/index.ts';
import { setCondition, setContainerStates, setPodReady } from '../../shared/sim/podutil.ts';
import { shopInput } from './game-fixtures.ts';

describe('shared per-Pod pieces', () => {
  it('a condition or container-state write to one Pod leaves the others as they were', () => {
    const state = createSim(shopInput());
    const keys = Object.keys(state.pods).sort();
    expect(keys.length).toBeGreaterThan(2);
    const [first, ...rest] = keys;
    const before = rest.map((k) => JSON.stringify(state.pods[k]!.status));
    const pod = state.pods[first!]!;
    setPodReady(state, first!, pod, false, 'Testing');
    setCondition(pod, 'Initialized', 'False', state.t + 5, 'Testing');
    setContainerStates(pod, { terminated: { exitCode: 1, reason: 'Error', finishedAt: 5 } }, { ready: false, started: false });
    expect(pod.status.conditions.find((c) => c.type === 'Ready')).toMatchObject({ status: 'False', reason: 'Testing' });
    expect(rest.map((k) => JSON.stringify(state.pods[k]!.status))).toEqual(before);
  });

  it('the shared pieces are frozen, so an in-place write throws instead of aliasing', () => {
    const state = createSim(shopInput());
    const pod = Object.values(state.pods)[0]!;
    const ready = pod.status.conditions.find((c) => c.type === 'Ready')!;
    expect(Object.isFrozen(ready)).toBe(true);
    expect(() => {
      ready.status = 'False';
    }).toThrow(TypeError);
    expect(Object.isFrozen(pod.status.containerStatuses[0]!.state)).toBe(true);
    const ep = Object.values(state.endpoints).find((e) => e.endpoints.length > 0)!.endpoints[0]!;
    expect(Object.isFrozen(ep.conditions)).toBe(true);
  });
});
