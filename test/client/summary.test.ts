import { describe, expect, it } from 'vitest';
import type { MatchEndedMessage } from '../../shared/protocol.ts';
import { SCORE_FORMULA } from '../../shared/game/score.ts';
import { endSummary } from '../../client/src/view/summary.ts';

function ended(extra: Record<string, unknown> = {}): MatchEndedMessage {
  return {
    matchId: 'm-1',
    summary: {
      scenarioId: 'online-boutique',
      seed: 42,
      durationSeconds: 3600,
      ticks: 3600,
      stateHash: 'abc',
      slo: { availability: 0.9962, latency: 0.991, errorBudgetRemaining: 0.24, latencyErrorBudgetRemaining: -0.1 },
      score: 812.4,
      scoreBreakdown: { slo: 640, incidents: 180, openIncidents: 0, actions: -8, availabilityBudget: 0.24, latencyBudget: -0.1, total: 812 },
      incidents: [
        { id: 'leak', type: 'memory-leak', startedAt: 600, mitigatedAt: 840 },
        { id: 'quorum', type: 'etcd-quorum-loss', startedAt: 1800, mitigatedAt: null },
        { id: 'late', type: 'bad-rollout', startedAt: null, mitigatedAt: null },
      ],
      actions: 4,
    },
    players: [
      { name: 'bob', team: 'blue', score: 812 },
      { name: 'ada', team: 'blue', score: 900 },
    ],
    ...extra,
  };
}

describe('endSummary', () => {
  it('shows score, SLIs, budgets, incidents with time to mitigate and players by score', () => {
    const s = endSummary(ended());
    expect(s.score).toBe(812);
    expect(s.figures).toContainEqual({ label: 'Availability SLI', value: '99.62 %' });
    expect(s.figures).toContainEqual({ label: 'Availability budget', value: 'error budget 24 % left' });
    expect(s.figures).toContainEqual({ label: 'Latency budget', value: 'error budget overspent by 10 %' });
    expect(s.figures).toContainEqual({ label: 'Match length', value: '1:00:00' });
    expect(s.incidents).toEqual([
      { id: 'leak', type: 'memory-leak', started: '10:00', mitigated: 'mitigated in 4m' },
      { id: 'quorum', type: 'etcd-quorum-loss', started: '30:00', mitigated: 'not mitigated' },
      { id: 'late', type: 'bad-rollout', started: 'never struck', mitigated: '–' },
    ]);
    expect(s.players.map((p) => p.name)).toEqual(['ada', 'bob']);
  });

  it('lists the score breakdown without the total, labelled for people, budgets as percentages and points signed', () => {
    const s = endSummary(ended());
    expect(s.breakdown).toEqual([
      { name: 'slo', label: 'SLO points (from the error budgets left)', value: '+640 pts' },
      { name: 'incidents', label: 'Incidents your team mitigated', value: '+180 pts' },
      { name: 'openIncidents', label: 'Incidents still open at the end', value: '0 pts' },
      { name: 'actions', label: 'Cost of actions taken', value: '-8 pts' },
      { name: 'availabilityBudget', label: 'Availability error budget left', value: '24 %' },
      { name: 'latencyBudget', label: 'Latency error budget left', value: '-10 %' },
    ]);
    const newer = endSummary(ended({ summary: { ...ended().summary, scoreBreakdown: { slo: 1, hintPenalty: -5, total: -4 } } }));
    expect(newer.breakdown.map((b) => b.label)).toEqual(['SLO points (from the error budgets left)', 'Hint penalty']);
  });

  it("shows the server's score formula when sent, else the shared one", () => {
    expect(endSummary(ended()).formula).toBe(SCORE_FORMULA);
    expect(endSummary(ended({ scoreFormula: 'score = budget' })).formula).toBe('score = budget');
  });
});
