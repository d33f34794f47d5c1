/** Match records for the db tests; ids and scenario ids are unique per call so backends can be shared. */
import { randomUUID } from 'node:crypto';
import type { MatchRecord } from '../../server/db/repository.ts';

/** Prefix of every scenario id this test run writes (cleaned up from Postgres afterwards). */
export const RUN_PREFIX = `dbtest-${randomUUID().slice(0, 8)}-`;

/** A unique scenario id, so leaderboard and list queries only see this test's rows. */
export function uniqueScenario(): string {
  return `${RUN_PREFIX}${randomUUID()}`;
}

/** A complete, valid match record; `overrides` replace top-level fields. */
export function matchRecord(overrides: Partial<MatchRecord> & { score?: number } = {}): MatchRecord {
  const { score = 742, ...rest } = overrides;
  const scenarioId = rest.scenarioId ?? uniqueScenario();
  return {
    id: randomUUID(),
    scenarioId,
    seed: 42,
    settings: { tickSeconds: 1, durationSeconds: 900, timeDilation: 4 },
    actions: [
      { tick: 310, player: 'alice', action: { type: 'rolloutUndo', deployment: 'frontend' } },
      { tick: 400, player: 'bob', action: { type: 'setResources', deployment: 'cart', limits: { memory: '512Mi' } } },
    ],
    workflow: null,
    injections: [
      { tick: 350, player: 'alice', logIndex: 1, spec: { id: 'injected-1', type: 'node-failure', at: 350, target: 'node-2', params: {}, title: 'Surprise' } },
      { tick: 400, player: 'alice', logIndex: 2, spec: { id: 'drill', type: 'memory-leak', at: 400, target: 'cart', params: { mibPerMinute: 50 } } },
    ],
    summary: {
      scenarioId,
      seed: 42,
      durationSeconds: 900,
      ticks: 900,
      stateHash: '9f3b2c1d0a4e5f67',
      slo: { availability: 0.9931, latency: 0.987, errorBudgetRemaining: 0.31, latencyErrorBudgetRemaining: -0.3 },
      score,
      scoreBreakdown: { slo: 700, mitigation: 60, actions: -18 },
      incidents: [
        { id: 'bad-rollout-1', type: 'bad-rollout', startedAt: 300, mitigatedAt: 330 },
        { id: 'leak-1', type: 'memory-leak', startedAt: 600, mitigatedAt: null },
      ],
      actions: 2,
    },
    startedAt: new Date('2026-11-21T10:00:00.000Z'),
    endedAt: new Date('2026-11-21T10:15:00.000Z'),
    players: [
      { name: 'alice', team: 'blue', score, actions: 1 },
      { name: 'bob', team: 'blue', score, actions: 1 },
    ],
    ...rest,
  };
}
