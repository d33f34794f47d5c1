/**
 * The projection's Pod `deployment` (computed without building strings) is kubectl's owner, the
 * sim's `ownerDeploymentName`, for every Pod at every tick of a match with rollouts, rollbacks and
 * scaling (Pods of old ReplicaSets, Pods being replaced, Pods whose ReplicaSet is gone). Healthy
 * kube-system Pods are counted per owner instead (`TeamView.system`) and skipped.
 */
import { describe, expect, it } from 'vitest';
import { applyAction, createSim, step } from '../../shared/sim/index.ts';
import { ownerDeploymentName } from '../../shared/sim/status.ts';
import { resolveSimInput } from '../../server/scenarios/index.ts';
import { TeamSchema } from '../../server/rooms/schema.ts';
import { projectTeam, teamDetailOf } from '../../server/rooms/projection.ts';

describe('projected Pod owner', () => {
  it('equals ownerDeploymentName for every Pod, tick by tick', () => {
    const sim = createSim(resolveSimInput({ seed: 3 }).input);
    const team = new TeamSchema();
    const plan = new Map<number, Parameters<typeof applyAction>[2][]>([
      [5, [{ type: 'setImage', deployment: 'frontend', image: 'frontend:v9' }]],
      [40, [{ type: 'rolloutUndo', deployment: 'frontend' }]],
      [80, [{ type: 'scaleDeployment', deployment: 'cartservice', replicas: 3 }, { type: 'rolloutRestart', deployment: 'checkoutservice' }]],
    ]);
    let checked = 0;
    for (let tick = 0; tick < 160; tick++) {
      for (const a of plan.get(sim.tick) ?? []) expect(applyAction(sim, 'tester', a).ok, a.type).toBe(true);
      step(sim);
      projectTeam(team, sim, { score: 0 });
      for (const [key, pod] of Object.entries(sim.pods)) {
        // A healthy kube-system Pod is only counted (TeamView.system), not projected: nothing to compare.
        if (!teamDetailOf(team).pods.has(key) && pod.metadata.namespace === 'kube-system') {
          expect(pod.sim.ready, key).toBe(true);
          continue;
        }
        expect(teamDetailOf(team).pods.get(key)?.deployment ?? '', key).toBe(ownerDeploymentName(sim, pod));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });
});
