/**
 * The end-of-match dialog's content from a {@link MatchEndedMessage}: score, SLIs against their
 * targets, error budget left, incidents with time to mitigate, the score breakdown and the players.
 * Pure: returns strings, the DOM code only places them. The score itself is computed by the server
 * (shared/game/score.ts `computeScore`); this only formats it.
 */
import type { MatchEndedMessage } from '../../../shared/protocol.ts';
import { SCORE_FORMULA } from '../../../shared/game/score.ts';
import { formatAge, formatBudget, formatPercent, formatSimTime } from './format.ts';

/** The end-of-match dialog's content, as display strings (see {@link endSummary}). */
export interface EndSummary {
  /** The team's score, rounded to whole points. */
  score: number;
  /** `label: value` lines: SLIs, budgets, actions, match length. */
  figures: { label: string; value: string }[];
  /** Per incident: `started` as a sim clock (`5:00`), `mitigated` e.g. `mitigated in 3m20s`, `not mitigated`. */
  incidents: { id: string; type: string; started: string; mitigated: string }[];
  /**
   * Score components from `summary.scoreBreakdown` (without `total`): `name` is the breakdown key,
   * `label` what the dialog shows. Known keys come in the formula's order (points, then the budgets
   * they derive from); unknown keys follow, sorted, labelled from their camelCase name.
   */
  breakdown: { name: string; label: string; value: string }[];
  players: { name: string; team: string; score: number }[];
  /** Score formula text: the server's (`scoreFormula` on the message or summary) or shared/game/score.ts'. */
  formula: string;
}

/** Labels of the breakdown keys shared/game/score.ts `computeScore` returns, in display order. */
const BREAKDOWN_LABELS: ReadonlyMap<string, string> = new Map([
  ['slo', 'SLO points (from the error budgets left)'],
  ['incidents', 'Incidents your team mitigated'],
  ['openIncidents', 'Incidents still open at the end'],
  ['actions', 'Cost of actions taken'],
  ['availabilityBudget', 'Availability error budget left'],
  ['latencyBudget', 'Latency error budget left'],
]);
const BREAKDOWN_ORDER = [...BREAKDOWN_LABELS.keys()];

/** `openIncidents` -> `Open incidents`. */
function humanize(key: string): string {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function breakdownRank(name: string): number {
  const i = BREAKDOWN_ORDER.indexOf(name);
  return i < 0 ? BREAKDOWN_ORDER.length : i;
}

function signed(n: number): string {
  const r = Math.round(n * 10) / 10;
  return r > 0 ? `+${r}` : String(r);
}

/**
 * Build the dialog content.
 *
 * @param msg the `matchEnded` broadcast. Extra fields are tolerated; `scoreFormula` (string) is shown
 *   when present on the message or its summary.
 */
export function endSummary(msg: MatchEndedMessage): EndSummary {
  const s = msg.summary;
  const extra = msg as unknown as { scoreFormula?: unknown; summary: { scoreFormula?: unknown } };
  const formula =
    typeof extra.scoreFormula === 'string' ? extra.scoreFormula : typeof extra.summary.scoreFormula === 'string' ? extra.summary.scoreFormula : SCORE_FORMULA;
  return {
    score: Math.round(s.score),
    figures: [
      { label: 'Availability SLI', value: formatPercent(s.slo.availability) },
      { label: 'Latency SLI', value: formatPercent(s.slo.latency) },
      { label: 'Availability budget', value: formatBudget(s.slo.errorBudgetRemaining) },
      { label: 'Latency budget', value: formatBudget(s.slo.latencyErrorBudgetRemaining) },
      { label: 'Actions taken', value: String(s.actions) },
      { label: 'Match length', value: formatSimTime(s.durationSeconds) },
    ],
    incidents: s.incidents.map((i) => ({
      id: i.id,
      type: i.type,
      started: i.startedAt === null ? 'never struck' : formatSimTime(i.startedAt),
      mitigated:
        i.startedAt === null ? '–' : i.mitigatedAt === null ? 'not mitigated' : `mitigated in ${formatAge(i.mitigatedAt - i.startedAt)}`,
    })),
    breakdown: Object.keys(s.scoreBreakdown)
      .filter((name) => name !== 'total')
      .sort((a, b) => breakdownRank(a) - breakdownRank(b) || (a < b ? -1 : a > b ? 1 : 0))
      .map((name) => {
        const v = s.scoreBreakdown[name] ?? 0;
        // `*Budget` entries are fractions of the error budget; the others are points.
        const label = BREAKDOWN_LABELS.get(name) ?? humanize(name);
        return { name, label, value: name.endsWith('Budget') ? formatPercent(v) : `${signed(v)} pts` };
      }),
    players: [...msg.players].sort((a, b) => b.score - a.score || (a.name < b.name ? -1 : 1)),
    formula,
  };
}
