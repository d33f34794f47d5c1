import { describe, expect, it } from 'vitest';
import { applyAction } from '../../shared/sim/index.ts';
import { ACTION_COSTS, getTeam, type Match } from '../../shared/game/index.ts';
import { act, matchOf, simOf } from '../game/helpers.ts';
import { deployment, eventsWith, input, podsOf, run, runUntil, runningReady, sim } from './fixtures.ts';
import type { SimInput, SimState } from '../../shared/sim/types.ts';

/** A one-team match of the fixture input: actions go through shared/game `submit`, which charges their cost. */
function played(over: Partial<SimInput> = {}): { m: Match; s: SimState; scoring: () => { actionCost: number; actions: number } } {
  const m = matchOf(input(over));
  return { m, s: simOf(m), scoring: () => getTeam(m, 'blue').score };
}

describe('player actions', () => {
  it('reject unknown objects with kubectl-like errors and cost nothing', () => {
    const { m, scoring } = played();
    expect(act(m, 'a', { type: 'deletePod', pod: 'nope' })).toEqual({ ok: false, error: 'Error from server (NotFound): pods "nope" not found' });
    expect(act(m, 'a', { type: 'scaleDeployment', deployment: 'nope', replicas: 2 })).toEqual({ ok: false, error: 'Error from server (NotFound): deployments.apps "nope" not found' });
    expect(act(m, 'a', { type: 'cordonNode', node: 'nope' })).toEqual({ ok: false, error: 'Error from server (NotFound): nodes "nope" not found' });
    expect(act(m, 'a', { type: 'rolloutUndo', deployment: 'web' })).toEqual({ ok: false, error: 'error: no rollout history found for deployment "web"' });
    expect(act(m, 'a', { type: 'rolloutUndo', deployment: 'web', toRevision: 7 })).toEqual({ ok: false, error: 'error: unable to find specified revision 7 in history' });
    expect(act(m, 'a', { type: 'scaleDeployment', deployment: 'web', replicas: -1 }).ok).toBe(false);
    expect(scoring()).toEqual({ actionCost: 0, actions: 0 });
  });

  it('accepted actions add their cost and record only the components\' events', () => {
    const { m, s, scoring } = played();
    const r = act(m, 'alice', { type: 'scaleDeployment', deployment: 'web', replicas: 4 });
    expect(r).toEqual({ ok: true, message: 'deployment.apps/web scaled', completesAt: 0 });
    act(m, 'alice', { type: 'cordonNode', node: 'node-a' });
    expect(scoring()).toEqual({ actionCost: ACTION_COSTS.scaleDeployment + ACTION_COSTS.cordonNode, actions: 2 });
    // kubectl records no event of its own: the kubelet reports the cordon, the deployment controller the scale.
    expect(s.events.filter((e) => e.source.startsWith('player:'))).toEqual([]);
    expect(eventsWith(s, 'NodeNotSchedulable').map((e) => [e.source, e.object.name, e.message])).toEqual([['kubelet', 'node-a', 'Node node-a status is now: NodeNotSchedulable']]);
    run(s, 1);
    expect(eventsWith(s, 'ScalingReplicaSet').at(-1)).toMatchObject({ source: 'deployment-controller', object: { kind: 'Deployment', name: 'web' } });
    expect(eventsWith(s, 'ScalingReplicaSet').at(-1)!.message).toMatch(/^Scaled up replica set web-\w+ from 3 to 4$/);
  });

  it('drain cordons the node, moves its pods elsewhere and completes when they are gone', () => {
    const { m, s, scoring } = played({ deployments: [deployment('web', { replicas: 6 })] });
    const r = act(m, 'bob', { type: 'drainNode', node: 'node-a' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.message.split('\n')[0]).toBe('node/node-a cordoned');
    expect(r.message.split('\n').at(-1)).toBe('node/node-a drained');
    expect(r.completesAt).toBeGreaterThan(s.t);
    expect(s.nodes['node-a']!.spec.unschedulable).toBe(true);
    runUntil(s, (x) => runningReady(x, 'web').length === 6 && podsOf(x, 'web').length === 6, 60);
    expect(podsOf(s, 'web').every((p) => p.spec.nodeName !== 'node-a')).toBe(true);
    expect(eventsWith(s, 'Drained')).toHaveLength(0); // kubectl drain records no event: its Pods' kubelets record Killing
    expect(eventsWith(s, 'Killing').length).toBeGreaterThan(0);
    expect(s.pendingActions).toHaveLength(0);
    expect(scoring().actionCost).toBe(ACTION_COSTS.drainNode);
  });

  it('setResources rolls out a new memory limit to new pods and rejects requests above limits', () => {
    const s = sim({ deployments: [deployment('web', { replicas: 2, memoryLimit: '256Mi' })] });
    expect(applyAction(s, 'a', { type: 'setResources', deployment: 'web', limits: { memory: '64Mi' } })).toEqual({
      ok: false,
      error: 'The Deployment "web" is invalid: spec.template.spec.containers[0].resources.requests: Invalid value: "128Mi": must be less than or equal to memory limit of 64Mi',
    });
    expect(applyAction(s, 'a', { type: 'setResources', deployment: 'web', limits: { memory: 'lots' } }).ok).toBe(false);
    expect(applyAction(s, 'a', { type: 'setResources', deployment: 'web', limits: { memory: '1Gi' } })).toMatchObject({ ok: true, message: 'deployment.apps/web resource requirements updated' });
    runUntil(s, (x) => podsOf(x, 'web').length === 2 && podsOf(x, 'web').every((p) => p.sim.memLimitMiB === 1024) && runningReady(x, 'web').length === 2, 120);
    expect(podsOf(s, 'web').map((p) => p.sim.memLimitMiB)).toEqual([1024, 1024]);
  });

  it('setImage goes through the same path as kubectl set image', () => {
    const s = sim();
    expect(applyAction(s, 'a', { type: 'setImage', deployment: 'web', image: 'web:v9', container: 'nope' })).toEqual({ ok: false, error: 'error: unable to find container named "nope"' });
    expect(applyAction(s, 'a', { type: 'setImage', deployment: 'web', image: 'web:v9' })).toMatchObject({ ok: true, message: 'deployment.apps/web image updated' });
    expect(s.images['web:v9']).toEqual(s.defaultImageProfile);
    run(s, 3);
    expect(Object.keys(s.replicaSets)).toHaveLength(2);
    // The rollout shows as the deployment controller's events (no invented ImageUpdated).
    expect(eventsWith(s, 'ScalingReplicaSet').map((e) => e.source)).toContain('deployment-controller');
    expect(eventsWith(s, 'ImageUpdated')).toHaveLength(0);
  });
});
