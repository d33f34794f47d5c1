import { describe, expect, it } from 'vitest';
import { applyAction } from '../../shared/sim/index.ts';
import { isActive } from '../../shared/sim/podutil.ts';
import { deployment, eventsWith, podsOf, run, runningReady, runUntil, sim } from './fixtures.ts';

describe('deployment controller', () => {
  it('a Deployment of 3 gets 3 Running Ready pods within ~10 sim seconds of a fresh apply', () => {
    const s = sim({ coldStart: true });
    expect(podsOf(s, 'web')).toHaveLength(3);
    const at = runUntil(s, (x) => runningReady(x, 'web').length === 3, 30);
    expect(at).not.toBeNull();
    expect(at!).toBeLessThanOrEqual(10);
    const d = s.deployments['default/web']!;
    expect(d.status).toMatchObject({ replicas: 3, readyReplicas: 3, availableReplicas: 3, updatedReplicas: 3 });
    expect(d.status.conditions.find((c) => c.type === 'Progressing')?.reason).toBe('NewReplicaSetAvailable');
    expect(eventsWith(s, 'ScalingReplicaSet')[0]?.message).toMatch(/^Scaled up replica set web-[a-z0-9]{10} from 0 to 3$/);
  });

  it('a warm-started cluster is Running and Ready at t=0', () => {
    const s = sim();
    expect(runningReady(s, 'web')).toHaveLength(3);
    expect(s.deployments['default/web']!.metadata.annotations['deployment.kubernetes.io/revision']).toBe('1');
  });

  it('a RollingUpdate of 10 replicas never exceeds 13 pods nor drops below 8 available', () => {
    const s = sim({ deployments: [deployment('web', { replicas: 10 })] });
    expect(applyAction(s, 'alice', { type: 'setImage', deployment: 'web', image: 'web:v2' }).ok).toBe(true);
    let maxPods = 0;
    let minAvailable = Infinity;
    const done = runUntil(s, (x) => {
      const active = podsOf(x, 'web').filter(isActive);
      maxPods = Math.max(maxPods, active.length);
      minAvailable = Math.min(minAvailable, active.filter((p) => p.sim.ready).length);
      return runningReady(x, 'web').filter((p) => p.sim.image === 'web:v2').length === 10 && podsOf(x, 'web').length === 10;
    }, 300);
    expect(done).not.toBeNull();
    expect(maxPods).toBeLessThanOrEqual(13);
    expect(maxPods).toBeGreaterThan(10);
    expect(minAvailable).toBeGreaterThanOrEqual(8);
    expect(s.deployments['default/web']!.metadata.annotations['deployment.kubernetes.io/revision']).toBe('2');
  });

  it('a version that never passes readiness stalls and hits ProgressDeadlineExceeded, old pods keep serving', () => {
    const probe = { httpGet: { path: '/healthz', port: 8080 } };
    const s = sim({
      deployments: [deployment('web', { replicas: 4, readinessProbe: probe, progressDeadlineSeconds: 60 })],
      images: { 'web:bad': { failsReadiness: true } },
    });
    applyAction(s, 'alice', { type: 'setImage', deployment: 'web', image: 'web:bad' });
    run(s, 40);
    const cond = () => s.deployments['default/web']!.status.conditions.find((c) => c.type === 'Progressing')!;
    expect(cond().status).toBe('True');
    const at = runUntil(s, () => cond().reason === 'ProgressDeadlineExceeded', 120);
    expect(at).not.toBeNull();
    expect(at!).toBeGreaterThanOrEqual(60);
    expect(at!).toBeLessThanOrEqual(75);
    expect(cond().status).toBe('False');
    expect(cond().message).toMatch(/has timed out progressing/);
    // maxUnavailable 1 of 4: at least 3 old pods stay Ready
    expect(runningReady(s, 'web').filter((p) => p.sim.image === 'web:v1').length).toBeGreaterThanOrEqual(3);
    expect(eventsWith(s, 'Unhealthy').length).toBeGreaterThan(0);
  });

  it('Recreate removes every old pod before creating new ones', () => {
    const s = sim({ deployments: [deployment('web', { replicas: 3, strategy: { type: 'Recreate' } })] });
    applyAction(s, 'alice', { type: 'setImage', deployment: 'web', image: 'web:v2' });
    let overlap = false;
    const done = runUntil(s, (x) => {
      const imgs = new Set(podsOf(x, 'web').map((p) => p.sim.image));
      if (imgs.size > 1) overlap = true;
      return runningReady(x, 'web').filter((p) => p.sim.image === 'web:v2').length === 3;
    }, 120);
    expect(done).not.toBeNull();
    expect(overlap).toBe(false);
  });

  it('rollout restart stamps restartedAt and replaces every pod', () => {
    const s = sim();
    const before = podsOf(s, 'web').map((p) => p.metadata.name);
    run(s, 5);
    expect(applyAction(s, 'bob', { type: 'rolloutRestart', deployment: 'web' })).toMatchObject({ ok: true, message: 'deployment.apps/web restarted' });
    expect(s.deployments['default/web']!.spec.template.metadata.annotations?.['kubectl.kubernetes.io/restartedAt']).toBe('2025-01-01T00:00:05Z');
    runUntil(s, (x) => runningReady(x, 'web').length === 3 && podsOf(x, 'web').length === 3 && podsOf(x, 'web').every((p) => !before.includes(p.metadata.name)), 120);
    expect(podsOf(s, 'web').some((p) => before.includes(p.metadata.name))).toBe(false);
  });

  it('rollout undo returns to the previous revision and bumps its revision number', () => {
    const s = sim();
    applyAction(s, 'alice', { type: 'setImage', deployment: 'web', image: 'web:v2' });
    runUntil(s, (x) => runningReady(x, 'web').filter((p) => p.sim.image === 'web:v2').length === 3, 120);
    expect(applyAction(s, 'alice', { type: 'rolloutUndo', deployment: 'web' })).toMatchObject({ ok: true, message: 'deployment.apps/web rolled back' });
    const done = runUntil(s, (x) => runningReady(x, 'web').filter((p) => p.sim.image === 'web:v1').length === 3 && podsOf(x, 'web').length === 3, 120);
    expect(done).not.toBeNull();
    expect(s.deployments['default/web']!.spec.template.spec.containers[0]!.image).toBe('web:v1');
    expect(s.deployments['default/web']!.metadata.annotations['deployment.kubernetes.io/revision']).toBe('3');
    expect(Object.keys(s.replicaSets)).toHaveLength(2);
  });

  it('scaling down removes pods; old ReplicaSets beyond revisionHistoryLimit are cleaned up', () => {
    const s = sim();
    applyAction(s, 'a', { type: 'scaleDeployment', deployment: 'web', replicas: 1 });
    run(s, 10);
    expect(podsOf(s, 'web')).toHaveLength(1);
    s.deployments['default/web']!.spec.revisionHistoryLimit = 1;
    for (const v of ['v2', 'v3', 'v4']) {
      applyAction(s, 'a', { type: 'setImage', deployment: 'web', image: `web:${v}` });
      runUntil(s, (x) => x.deployments['default/web']!.status.conditions.some((c) => c.reason === 'NewReplicaSetAvailable') && podsOf(x, 'web').length === 1 && podsOf(x, 'web')[0]!.sim.image === `web:${v}`, 120);
      run(s, 2);
    }
    expect(Object.keys(s.replicaSets)).toHaveLength(2);
  });
});
