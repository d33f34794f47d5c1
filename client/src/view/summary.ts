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
  /** Score components from `summary.scoreBreakdown` (without `total`), sorted by name. */
  breakdown: { name: string; value: string }[];
  players: { name: string; team: string; score: number }[];
  /** Score formula text: the server's (`scoreFormula` on the message or summary) or shared/game/score.ts'. */
  formula: string;
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
      .sort()
      .map((name) => {
        const v = s.scoreBreakdown[name] ?? 0;
        // `*Budget` entries are fractions of the error budget; the others are points.
        return { name, value: name.endsWith('Budget') ? formatPercent(v) : signed(v) };
      }),
    players: [...msg.players].sort((a, b) => b.score - a.score || (a.name < b.name ? -1 : 1)),
    formula,
  };
}
