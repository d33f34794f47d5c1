/**
 * A team's end-of-match (or so-far) summary: what `gameday sim --json` prints, what the room sends in
 * `matchEnded` and what the archive keeps.
 *
 * May import: shared/sim, ./match.ts, ./score.ts, ./types.ts.
 */
import { stateHash } from '../sim/index.ts';
import type { MatchSummary } from '../sim/types.ts';
import { getTeam } from './match.ts';
import { computeScore } from './score.ts';
import type { Match } from './types.ts';

/**
 * The {@link MatchSummary} of one team: its cluster's SLIs and error budgets (fractions), its score and
 * breakdown (shared/game/score.ts), its incidents (`startedAt`/`mitigatedAt` in sim seconds), its
 * accepted action count, and the hash of its cluster (`stateHash`, 16 hex digits). `durationSeconds`
 * is the sim seconds simulated so far and `ticks` the ticks stepped.
 *
 * @throws Error for an unknown team.
 */
export function teamSummary(match: Match, teamId: string): MatchSummary {
  const team = getTeam(match, teamId);
  const state = team.sim;
  const { score, breakdown } = computeScore(team);
  const a = state.slos.availability;
  const l = state.slos.latency;
  return {
    scenarioId: state.scenarioId,
    seed: state.settings.seed,
    durationSeconds: state.t,
    ticks: state.tick,
    stateHash: stateHash(state),
    slo: { availability: a.sli, latency: l.sli, errorBudgetRemaining: a.errorBudgetRemaining, latencyErrorBudgetRemaining: l.errorBudgetRemaining },
    score,
    scoreBreakdown: breakdown,
    incidents: state.incidents.map((i) => ({ id: i.spec.id, type: i.spec.type, startedAt: i.startedAt, mitigatedAt: i.mitigatedAt })),
    actions: team.score.actions,
  };
}
