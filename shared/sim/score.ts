/**
 * The match score: led by the error budget left (SRE Workbook ch. 2: the budget is what the team may
 * spend; budget remaining = 1 - (1 - SLI) / (1 - SLO), kubernetes-behaviour.md §9), plus a bonus per incident the players mitigated (faster = more), minus open incidents and the
 * cost of actions taken. Pure; never NaN.
 *
 * May import: ./types.ts.
 */
import type { SimState } from './types.ts';

/** Weight of the availability budget in the SLO part (with {@link LATENCY_WEIGHT}, sums to 1). */
export const AVAILABILITY_WEIGHT = 0.7;
/** Weight of the latency budget in the SLO part. */
export const LATENCY_WEIGHT = 0.3;
/** Points for the SLO part at a fully kept budget. */
export const SLO_POINTS = 1000;
/** Bonus for an incident mitigated instantly; shrinks linearly to 0 at {@link BONUS_WINDOW_SECONDS}. */
export const INCIDENT_BONUS_POINTS = 200;
/** Time-to-mitigate (sim seconds) at which the bonus reaches 0. */
export const BONUS_WINDOW_SECONDS = 900;
/** Penalty per incident still active when the score is computed. */
export const OPEN_INCIDENT_PENALTY = 100;
/** Points per unit of `state.scoring.actionCost`. */
export const ACTION_COST_POINTS = 2;

/** The formula as text, for the README and the end-of-match screen. */
export const SCORE_FORMULA =
  `score = round(${SLO_POINTS} * squash(${AVAILABILITY_WEIGHT} * availabilityBudgetRemaining + ` +
  `${LATENCY_WEIGHT} * latencyBudgetRemaining))\n` +
  `      + sum over incidents mitigated after a player action: round(${INCIDENT_BONUS_POINTS} * max(0, 1 - timeToMitigate / ${BONUS_WINDOW_SECONDS} s))\n` +
  `      - ${OPEN_INCIDENT_PENALTY} * incidents still active\n` +
  `      - round(${ACTION_COST_POINTS} * actionCost)\n` +
  `where budgetRemaining = 1 - (1 - SLI) / (1 - SLO) over the whole match (1 = untouched, 0 = spent, < 0 = overspent)\n` +
  `and squash(b) = min(b, 1) for b >= 0, max(-1, -log10(1 - b) / 3) for b < 0 (10 budgets burnt = -1/3, 100 = -2/3, 1000+ = -1).`;

function finite(x: number, fallback = 0): number {
  return Number.isFinite(x) ? x : fallback;
}

/**
 * Maps a (weighted) budget remaining `b` onto [-1, 1]: linear while within budget (`min(b, 1)` for
 * b >= 0), then logarithmic in the overspend factor `c = 1 - b` (budgets consumed):
 * `max(-1, -log10(c) / 3)`, so each 10x more budget burnt costs a third, floor at 1000x. Continuous at 0;
 * a team that burnt 15 budgets still scores clearly better than one that burnt 300.
 */
export function squash(b: number): number {
  if (Number.isNaN(b)) return 0;
  if (b >= 0) return Math.min(b, 1);
  return Math.max(-1, -Math.log10(1 - b) / 3);
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}

/**
 * Bonus for one incident mitigated `ttmSeconds` sim seconds after it started:
 * `round(200 * max(0, 1 - ttm / 900))`.
 */
export function incidentBonus(ttmSeconds: number): number {
  return Math.round(INCIDENT_BONUS_POINTS * clamp(1 - finite(ttmSeconds, BONUS_WINDOW_SECONDS) / BONUS_WINDOW_SECONDS, 0, 1));
}

/**
 * Computes the score (see {@link SCORE_FORMULA}) from the match so far. An incident earns its bonus only
 * when a player action was accepted between its start and its mitigation (`data.playerActed`, set by
 * shared/sim/incidents), so self-healing (e.g. pods rescheduled off a dead node) earns nothing.
 * Breakdown keys: `availabilityBudget`, `latencyBudget` (fractions), `slo`, `incidents`,
 * `openIncidents`, `actions` (points, signed) and `total` (= score).
 */
export function computeScore(state: SimState): { score: number; breakdown: Record<string, number> } {
  const availabilityBudget = finite(state.slos.availability.errorBudgetRemaining, 0);
  const latencyBudget = finite(state.slos.latency.errorBudgetRemaining, 0);
  const slo = Math.round(SLO_POINTS * squash(AVAILABILITY_WEIGHT * availabilityBudget + LATENCY_WEIGHT * latencyBudget));
  let incidents = 0;
  let open = 0;
  for (const inc of state.incidents) {
    if (inc.status === 'active') open++;
    else if (inc.status === 'mitigated' && inc.startedAt !== null && inc.mitigatedAt !== null && inc.data['playerActed'] === true) {
      incidents += incidentBonus(inc.mitigatedAt - inc.startedAt);
    }
  }
  const openIncidents = 0 - OPEN_INCIDENT_PENALTY * open;
  const actions = 0 - Math.round(ACTION_COST_POINTS * finite(state.scoring.actionCost));
  const total = slo + incidents + openIncidents + actions;
  return {
    score: finite(total),
    breakdown: {
      availabilityBudget: Math.round(availabilityBudget * 10000) / 10000,
      latencyBudget: Math.round(latencyBudget * 10000) / 10000,
      slo,
      incidents,
      openIncidents,
      actions,
      total: finite(total),
    },
  };
}
