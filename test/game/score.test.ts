import { describe, it, expect } from 'vitest';
import type { IncidentState, LoggedAction } from '../../shared/sim/types.ts';
import { computeScore, incidentBonus, SCORE_FORMULA, squash, type ScoredTeam } from '../../shared/game/score.ts';
import { DEFAULT_TEAM_ID, teamSummary } from '../../shared/game/index.ts';
import { badRolloutIncident, memoryLeakIncident, shopInput } from '../sim/game-fixtures.ts';
import { advanceN as stepN, matchOf, typeInto as typeCommandInto } from './helpers.ts';
import type { Match } from '../../shared/game/index.ts';

/**
 * A team with the given SLO budgets, incidents and action cost. `data.playerActed: true` on an
 * incident (the old cluster-side flag) becomes an action of the team logged inside its window.
 */
function scoreState(avail: number, latency: number, incidents: Partial<IncidentState>[] = [], actionCost = 0): ScoredTeam {
  const log: LoggedAction[] = incidents
    .filter((i) => i.data?.['playerActed'] === true && typeof i.startedAt === 'number')
    .map((i) => ({ tick: i.startedAt!, player: 'p', action: { type: 'rolloutRestart', deployment: 'web' } }));
  return {
    sim: {
      slos: { availability: { errorBudgetRemaining: avail }, latency: { errorBudgetRemaining: latency } },
      incidents: incidents.map((i) => ({ spec: { id: 'x', type: 'bad-rollout', at: 0, target: 'web', params: {} }, status: 'active', startedAt: 0, mitigatedAt: null, data: {}, ...i })),
      settings: { seed: 1, tickSeconds: 1, durationSeconds: 3600 },
    } as unknown as ScoredTeam['sim'],
    log,
    score: { actionCost, actions: 0 },
  };
}

const summarize = (m: Match) => teamSummary(m, DEFAULT_TEAM_ID);
const typeCommand = (m: Match, line: string) => typeCommandInto(m, line);

describe('computeScore', () => {
  it('is led by the error budget remaining (70 % availability, 30 % latency)', () => {
    expect(computeScore(scoreState(1, 1)).score).toBe(1000);
    expect(computeScore(scoreState(0.5, 1)).score).toBe(650);
    expect(computeScore(scoreState(0, 0)).score).toBe(0);
    // overspent budgets: logarithmic in the number of budgets burnt (1 - b)
    expect(computeScore(scoreState(-9, -9)).score).toBe(-333);
    expect(computeScore(scoreState(-99, -99)).score).toBe(-667);
    expect(computeScore(scoreState(-5000, -5000)).score).toBe(-1000);
    expect(computeScore(scoreState(-5, -5)).score).toBeGreaterThan(computeScore(scoreState(-50, -50)).score);
  });

  it('rewards fast mitigation by a player and penalises open incidents', () => {
    expect(incidentBonus(0)).toBe(200);
    expect(incidentBonus(450)).toBe(100);
    expect(incidentBonus(2000)).toBe(0);
    const fixed = computeScore(scoreState(0.8, 1, [{ status: 'mitigated', startedAt: 100, mitigatedAt: 280, data: { playerActed: true } }]));
    const selfHealed = computeScore(scoreState(0.8, 1, [{ status: 'mitigated', startedAt: 100, mitigatedAt: 280, data: { playerActed: false } }]));
    const open = computeScore(scoreState(0.8, 1, [{ status: 'active' }]));
    expect(fixed.breakdown['incidents']).toBe(160);
    expect(selfHealed.breakdown['incidents']).toBe(0);
    expect(open.breakdown['openIncidents']).toBe(-100);
    expect(fixed.score).toBeGreaterThan(selfHealed.score);
    expect(selfHealed.score).toBeGreaterThan(open.score);
  });

  it('charges action costs and never returns NaN', () => {
    const s = computeScore(scoreState(Number.NaN, Number.POSITIVE_INFINITY, [], 10));
    expect(Number.isFinite(s.score)).toBe(true);
    expect(s.breakdown['actions']).toBe(-20);
    expect(s.breakdown['total']).toBe(s.score);
  });

  it('squash is linear within budget and logarithmic beyond, within [-1, 1]', () => {
    expect(squash(2)).toBe(1);
    expect(squash(0.3)).toBe(0.3);
    expect(squash(0)).toBe(0);
    expect(squash(-9)).toBeCloseTo(-1 / 3, 12);
    expect(squash(-999)).toBeCloseTo(-1, 12);
    expect(squash(Number.NEGATIVE_INFINITY)).toBe(-1);
    expect(squash(-0.0001)).toBeLessThan(0);
  });

  it('exports its formula as text', () => {
    expect(SCORE_FORMULA).toContain('budgetRemaining');
    expect(SCORE_FORMULA).toContain('200');
  });
});


describe('score over a match', () => {
  it('a team that fixes its incidents scores clearly higher than one that does nothing', () => {
    const input = shopInput({ durationSeconds: 900, incidents: [badRolloutIncident, { ...memoryLeakIncident, at: 200 }] });
    const idle = matchOf(input);
    stepN(idle, 900);

    const fixer = matchOf(input);
    stepN(fixer, 90); // page fires, the team looks around
    typeCommand(fixer, 'kubectl rollout undo deployment/frontend');
    stepN(fixer, 200);
    typeCommand(fixer, 'kubectl set resources deployment/api --limits=memory=512Mi');
    stepN(fixer, 610);

    const a = summarize(idle);
    const b = summarize(fixer);
    expect(b.incidents.every((i) => i.mitigatedAt !== null)).toBe(true);
    expect(a.incidents.every((i) => i.mitigatedAt === null)).toBe(true);
    expect(b.score).toBeGreaterThan(a.score + 300);
    expect(b.scoreBreakdown['incidents']).toBeGreaterThan(0);
    expect(a.scoreBreakdown['openIncidents']).toBe(-200);
    expect(b.scoreBreakdown['actions']).toBeLessThan(0);
    expect(Number.isFinite(a.score) && Number.isFinite(b.score)).toBe(true);
  });
});
