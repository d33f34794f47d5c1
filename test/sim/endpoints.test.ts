import { describe, expect, it } from 'vitest';
import { applyAction, podDisplayStatus } from '../../shared/sim/index.ts';
import { deployment, podsOf, run, runUntil, service, sim } from './fixtures.ts';

describe('endpointslice controller', () => {
  it('lists the pods a Service selects, ready only when Ready and not terminating', () => {
    const s = sim({ deployments: [deployment('web', { replicas: 3 }), deployment('api', { replicas: 2 })], services: [service('web'), service('api')] });
    const web = s.endpoints['default/web']!;
    expect(web.endpoints.map((e) => e.targetRef.name)).toEqual(podsOf(s, 'web').map((p) => p.metadata.name));
    expect(web.endpoints.every((e) => e.conditions.ready && !e.conditions.terminating)).toBe(true);
    expect(s.endpoints['default/api']!.endpoints).toHaveLength(2);
  });

  it('recomputes only the Services whose pods changed', () => {
    const s = sim({ deployments: [deployment('web', { replicas: 3 }), deployment('api', { replicas: 2 })], services: [service('web'), service('api')] });
    const apiRv = s.endpoints['default/api']!.metadata.resourceVersion;
    const webRv = s.endpoints['default/web']!.metadata.resourceVersion;
    applyAction(s, 'p', { type: 'deletePod', pod: podsOf(s, 'web')[0]!.metadata.name });
    run(s, 1);
    expect(s.endpoints['default/api']!.metadata.resourceVersion).toBe(apiRv);
    expect(s.endpoints['default/web']!.metadata.resourceVersion).toBeGreaterThan(webRv);
    run(s, 10);
    const eps = s.endpoints['default/web']!.endpoints;
    expect(eps).toHaveLength(3);
    expect(eps.filter((e) => e.conditions.ready)).toHaveLength(3);
  });

  it('a crash-looping pod is not a ready endpoint', () => {
    const s = sim({ deployments: [deployment('web', { replicas: 1, memoryLimit: '256Mi' })], images: { 'web:v1': { baseMemoryMiB: 100, memoryGrowthMiBPerSec: 50 } } });
    expect(runUntil(s, (x) => podDisplayStatus(podsOf(x, 'web')[0]!, x.t) === 'CrashLoopBackOff', 60)).not.toBeNull();
    const pod = podsOf(s, 'web')[0]!;
    expect(pod.sim.ready).toBe(false);
    expect(s.endpoints['default/web']!.endpoints[0]!.conditions.ready).toBe(false);
  });
});
