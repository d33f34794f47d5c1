/**
 * The console's `kubectl rollout pause|resume` and `kubectl set env` (shared/kubectl/write.ts): the
 * actions they produce, what the sim does with them (a paused Deployment rolls nothing out until
 * resumed; an env change is a rollout), and that each action's console equivalent parses back to it.
 */
import { describe, expect, it } from 'vitest';
import { resolveSimInput } from '../../server/scenarios/index.ts';
import { kubectlEquivalent } from '../../shared/kubectl/equivalent.ts';
import { runKubectl } from '../../shared/kubectl/index.ts';
import { applyAction, createSim, step } from '../../shared/sim/index.ts';
import type { SimAction, SimState } from '../../shared/sim/types.ts';

function type(s: SimState, line: string): string {
  const r = runKubectl(s, line);
  if (r.kind === 'output') return r.output;
  if (r.kind === 'error') return r.error;
  const applied = applyAction(s, 'alice', r.action);
  return applied.ok ? applied.message : applied.error;
}

const frontendRs = (s: SimState) => Object.values(s.replicaSets).filter((rs) => rs.metadata.name.startsWith('frontend-'));

describe('console rollout pause/resume and set env', () => {
  it('pause holds a set image; resume rolls it out', () => {
    const s = createSim(resolveSimInput({ scenario: 'guestbook', seed: 4 }).input);
    for (let i = 0; i < 10; i++) step(s);
    expect(type(s, 'kubectl rollout pause deployment/frontend')).toBe('deployment.apps/frontend paused');
    expect(type(s, 'kubectl rollout pause deployment/frontend')).toBe('error: deployments.apps "frontend" is already paused');
    const before = frontendRs(s).length;
    expect(type(s, 'kubectl set image deployment/frontend php-redis=gcr.io/google-samples/gb-frontend:v9')).toBe('deployment.apps/frontend image updated');
    for (let i = 0; i < 60; i++) step(s);
    expect(frontendRs(s).length).toBe(before);
    expect(type(s, 'kubectl rollout resume deployment/frontend')).toBe('deployment.apps/frontend resumed');
    for (let i = 0; i < 5; i++) step(s);
    expect(frontendRs(s).some((rs) => rs.spec.template.spec.containers[0]!.image.endsWith(':v9'))).toBe(true);
    expect(type(s, 'kubectl rollout resume deployment/frontend')).toBe('error: deployments.apps "frontend" is not paused');
  });

  it('set env sets and removes literal values and rolls out a new ReplicaSet', () => {
    const s = createSim(resolveSimInput({ scenario: 'guestbook', seed: 4 }).input);
    step(s);
    const before = frontendRs(s).length;
    expect(type(s, 'kubectl set env deployment/frontend LOG_LEVEL=debug -c php-redis')).toBe('deployment.apps/frontend env updated');
    expect(s.deployments['default/frontend']!.spec.template.spec.containers[0]!.env).toContainEqual({ name: 'LOG_LEVEL', value: 'debug' });
    step(s);
    expect(frontendRs(s).length).toBe(before + 1);
    expect(type(s, 'kubectl set env deployment/frontend LOG_LEVEL-')).toBe('deployment.apps/frontend env updated');
    expect(s.deployments['default/frontend']!.spec.template.spec.containers[0]!.env.map((e) => e.name)).not.toContain('LOG_LEVEL');
    expect(type(s, 'kubectl set env deployment/frontend')).toBe('error: at least one environment variable must be provided');
    expect(type(s, 'kubectl set env deployment/frontend A=1 -c nope')).toBe('error: unable to find container named "nope"');
  });

  it('each action\'s console equivalent parses back to it', () => {
    const s = createSim(resolveSimInput({ scenario: 'guestbook', seed: 4 }).input);
    const actions: SimAction[] = [
      { type: 'pauseRollout', deployment: 'frontend', paused: true },
      { type: 'pauseRollout', deployment: 'frontend', paused: false },
      { type: 'setEnv', deployment: 'frontend', env: [{ name: 'A', value: '1' }, { name: 'B', value: null }] },
      { type: 'setEnv', deployment: 'frontend', container: 'php-redis', env: [{ name: 'A', value: 'x=y' }] },
    ];
    for (const a of actions) {
      const r = runKubectl(s, kubectlEquivalent(a));
      expect(r.kind === 'action' && r.action).toEqual(a);
    }
  });
});
