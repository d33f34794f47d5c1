/**
 * `scoreOf` (the room's per-patch score: no breakdown, parts recomputed only when their inputs
 * change) always equals `computeScore(team).score`: tick by tick through a default match with
 * actions, and when each input of a team is changed by hand.
 */
import { describe, expect, it } from 'vitest';
import { resolveSimInput } from '../../server/scenarios/index.ts';
import { advance, getTeam, DEFAULT_TEAM_ID } from '../../shared/game/index.ts';
import { computeScore, scoreOf, type ScoredTeam } from '../../shared/game/score.ts';
import type { IncidentState } from '../../shared/sim/types.ts';
import { act, matchOf } from './helpers.ts';

describe('scoreOf', () => {
  it('equals computeScore after every tick of a default match with actions', () => {
    const match = matchOf(resolveSimInput({ seed: 7 }).input);
    const team = getTeam(match, DEFAULT_TEAM_ID);
    const plan = new Map<number, () => void>([
      [40, () => act(match, 'alice', { type: 'scaleDeployment', deployment: 'frontend', replicas: 4 })],
      [200, () => act(match, 'alice', { type: 'rolloutRestart', deployment: 'frontend' })],
      [330, () => act(match, 'alice', { type: 'rolloutUndo', deployment: 'frontend' })],
      [1300, () => act(match, 'alice', { type: 'setResources', deployment: 'cartservice', limits: { memory: '512Mi' } })],
    ]);
    const seen = new Set<number>();
    let ticks = 0;
    for (;;) {
      plan.get(team.sim.tick)?.();
      expect(scoreOf(team), `tick ${team.sim.tick}`).toBe(computeScore(team).score);
      seen.add(scoreOf(team));
      ticks++;
      if (advance(match)) break;
    }
    expect(scoreOf(team)).toBe(computeScore(team).score);
    expect(ticks).toBeGreaterThan(1000);
    expect(team.log.length).toBeGreaterThan(0);
    expect(seen.size).toBeGreaterThan(10); // the score moved: the memo was exercised
  });

  it('follows each input changed by hand', () => {
    const incident = (over: Partial<IncidentState>): IncidentState =>
      ({ spec: { id: 'x', type: 'bad-rollout', at: 0, target: 'web', params: {} }, status: 'active', startedAt: 10, mitigatedAt: null, data: {}, ...over }) as IncidentState;
    const team: ScoredTeam & { sim: { incidents: IncidentState[] } } = {
      sim: {
        slos: { availability: { errorBudgetRemaining: 1 }, latency: { errorBudgetRemaining: 1 } },
        incidents: [incident({})],
        settings: { seed: 1, tickSeconds: 1, durationSeconds: 3600 },
      } as unknown as ScoredTeam['sim'] & { incidents: IncidentState[] },
      log: [],
      score: { actionCost: 0, actions: 0 },
    };
    const check = () => expect(scoreOf(team)).toBe(computeScore(team).score);
    check();
    (team.sim.slos.availability as { errorBudgetRemaining: number }).errorBudgetRemaining = 0.4;
    check();
    team.sim.incidents[0] = incident({ status: 'mitigated', mitigatedAt: 100 });
    check(); // mitigated, but no action of the team: no bonus
    team.log = [{ tick: 20, player: 'p', action: { type: 'rolloutRestart', deployment: 'web' } }];
    check(); // an action inside the window: bonus
    team.score = { actionCost: 7, actions: 1 };
    check();
    team.sim.incidents.push(incident({ startedAt: 50 }));
    check();
    (team.sim.slos.latency as { errorBudgetRemaining: number }).errorBudgetRemaining = -20;
    check();
  });
});
