/**
 * Calibration of the error budget and SLO targets (issue 8, docs/scoring.md): on every built-in scenario
 * a team that mitigates each incident within 2 real minutes at the scenario's speed (FAST) ends with
 * budget left, and scores order FAST > SLOW > IDLE. The teams are the scripted action files of
 * test/fixtures/calibration (generate.mjs), played by the same code as `gameday sim --actions`
 * (resolveSimInput + runHeadless + teamSummary, seed 1).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { listScenarios, resolveSimInput } from '../../server/scenarios/index.ts';
import { runHeadless } from '../../server/cli/headless.ts';
import { parseActionLines } from '../../server/cli/actions-file.ts';
import { DEFAULT_TEAM_ID, runMatch, teamSummary } from '../../shared/game/index.ts';

const DIR = 'test/fixtures/calibration';
const TEAMS = ['fast', 'slow', 'idle'] as const;

function play(id: string, team: (typeof TEAMS)[number]) {
  const path = `${DIR}/${id}.${team}.jsonl`;
  const plan = parseActionLines(readFileSync(path, 'utf8'), path);
  const { input } = resolveSimInput({ scenario: id, seed: 1 });
  const result = runHeadless(input, plan);
  return { input, log: result.log, summary: teamSummary(result.match, DEFAULT_TEAM_ID) };
}

describe('calibration: skill shows on every built-in scenario', () => {
  const ids = listScenarios().map((s) => s.id);

  it('covers every built-in scenario with FAST/SLOW/IDLE plans', () => {
    expect(ids.length).toBeGreaterThanOrEqual(10);
    for (const id of ids) for (const team of TEAMS) expect(() => readFileSync(`${DIR}/${id}.${team}.jsonl`)).not.toThrow();
  });

  for (const id of listScenarios().map((s) => s.id)) {
    it(`${id}: FAST keeps budget, FAST > SLOW > IDLE`, () => {
      const fastRun = play(id, 'fast');
      const fast = fastRun.summary;
      const slow = play(id, 'slow').summary;
      const idle = play(id, 'idle').summary;
      expect(fast.slo.errorBudgetRemaining, 'FAST availability budget').toBeGreaterThan(0);
      expect(fast.slo.latencyErrorBudgetRemaining, 'FAST latency budget').toBeGreaterThan(0);
      expect(fast.score, 'FAST beats SLOW').toBeGreaterThan(slow.score);
      expect(slow.score, 'SLOW beats IDLE').toBeGreaterThan(idle.score);
      expect(slow.slo.errorBudgetRemaining).toBeLessThan(fast.slo.errorBudgetRemaining);
      expect(idle.slo.errorBudgetRemaining).toBeLessThan(0);

      // What the HUD shows during the match (SloState.errorBudgetRemaining, against the SLO period):
      // FAST's budget never reads "overspent", on any tick.
      let overspentTicks = 0;
      let lowest = 1;
      runMatch(fastRun.input, fastRun.log, {
        onTick: (sim) => {
          const b = sim.slos.availability.errorBudgetRemaining;
          lowest = Math.min(lowest, b);
          if (b < 0) overspentTicks++;
        },
      });
      expect(overspentTicks, `FAST ticks shown overspent (lowest budget ${lowest.toFixed(3)})`).toBe(0);
    });
  }
});
