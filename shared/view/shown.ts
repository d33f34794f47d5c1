/**
 * The SLO block's figures (`SLO_VIEW`) rounded to what a client shows of them: `shown...(v)` is `v`
 * itself, or a rounder value that every place a client draws the figure renders exactly as `v`. The
 * projection (server/rooms/projection.ts `projectSlo`) writes `shown...(round4(x))`, so a figure
 * whose change a client could not show leaves the SLO block untouched (no Schema write, no encoder
 * visit, no bytes). A pure function of the current value: a fresh projection writes the same.
 *
 * Where a client shows them (browser-free functions; test/client/shown.test.ts checks every 4-decimal
 * input against them):
 * - an SLI (`availability`, `latency`): client/src/view/format.ts `formatPercent` (2 decimals of a
 *   percent within 1 % of 100 %, else 1), whether it meets its target (HUD and canvas colours, the
 *   trainer card's `breaching`), and for `availability` the gauge's needle (client/src/view/slo.ts
 *   `gaugeScale`: continuous from four error budgets below 100 % up to 100 %, pinned at the left end
 *   below that);
 * - the error budget remaining: `formatBudget` / `formatBudgetShort` (whole percents), `budgetStyle`
 *   (levels above 0.5 and 0.2, the bar's fill: continuous between empty at 0 and full at 1) and the
 *   trainer card's levels (below 0.25, below 0.5);
 * - the burn rate: `formatBurnRate` (1 decimal below 10, whole from 10, `0` at or below 0) and its
 *   warning level (`burnRateFigure`: at or above 1).
 *
 * So where a figure is drawn continuously (the needle on the dial, the budget bar between empty and
 * full) it is never rounded further, and every change is sent as before; elsewhere it is rounded to
 * its text (0.1 % of an SLI, 1 % of the budget, 0.1 of a burn rate) unless that would cross a level
 * or move the needle, and at the text's own rounding ties it is kept as it is. In the default match
 * (the cluster degrading without a player) the availability SLI leaves the dial after ~650 sim s and
 * the budget is overspent after ~1,650 s: availability writes 2,602 -> 897, budget 3,283 -> 1,910,
 * burn rate 359 -> 163 of 3,600 ticks.
 *
 * Inputs are the projection's 4-decimal values (`Math.round(x * 1e4) / 1e4`); other finite values
 * come back unchanged or rounded the same way (the checks below hold for them too), NaN unchanged.
 *
 * May import: nothing (pure; the browser bundle may import it).
 */

/**
 * Where the availability gauge's needle sits, 0..1 along the dial: client/src/view/slo.ts
 * `gaugeScale(sli, target).value` (the dial spans four error budgets below 100 %).
 *
 * @param sli the SLI, 0..1. @param target its SLO, 0..1.
 */
export function gaugePosition(sli: number, target: number): number {
  const budget = Math.max(1e-6, 1 - target);
  const min = Math.max(0, 1 - 4 * budget);
  const s = Number.isFinite(sli) ? sli : 0;
  return Math.min(1, Math.max(0, (s - min) / (1 - min)));
}

/**
 * An SLI rounded to what a client shows (see the file comment): unchanged within 1 % of 100 %
 * (`formatPercent` shows 2 decimals of the percent: all 4 of the fraction), on the gauge's dial
 * (`gauge`), at a tie of the 1-decimal rounding, or where rounding would cross the target or move the
 * needle; else to 0.1 % (3 decimals of the fraction).
 *
 * @param v the SLI, 0..1 (4 decimals). @param target its SLO, 0..1. @param gauge drawn on the gauge (availability).
 * @returns a fraction a client shows exactly as `v`.
 */
export function shownSli(v: number, target: number, gauge: boolean): number {
  if (!(v >= 0 && v < 0.99)) return v; // 99 % and above: every digit shown (and NaN)
  if (gauge) {
    const p = gaugePosition(v, target);
    if (p > 0 && p < 1) return v;
  }
  const n = Math.round(v * 10_000);
  // A tie (x.x5 %) rounds by the binary value: formatPercent's own toFixed decides.
  const q = n % 10 === 5 ? Number((v * 100).toFixed(1)) / 100 : Math.round(n / 10) / 1000;
  if (q >= target !== v >= target) return v;
  if (gauge && gaugePosition(q, target) !== gaugePosition(v, target)) return v;
  return q;
}

/**
 * An error budget remaining rounded to what a client shows: unchanged between 0 and 1 (the bar's
 * fill is continuous there), else to the whole percent `formatBudget` shows (levels alike: at or
 * below 0 every level is the lowest, at or above 1 the highest).
 *
 * @param v fraction of the budget left (1 untouched, < 0 overspent; 4 decimals).
 * @returns a fraction a client shows exactly as `v`.
 */
export function shownBudget(v: number): number {
  if (!Number.isFinite(v) || (v > 0 && v < 1)) return v;
  const q = Math.round(v * 100) / 100 + 0; // + 0: never -0
  return q > 0 === v > 0 && Math.round(q * 100) === Math.round(v * 100) ? q : v;
}

/**
 * A burn rate rounded to what a client shows: 0 at or below 0, to 0.1 below 10 (at a tie of that
 * rounding: unchanged), whole from 10; unchanged where rounding would cross the warning level (1).
 *
 * @param v the burn rate, multiples of the budget-neutral rate (4 decimals).
 * @returns a rate a client shows exactly as `v`.
 */
export function shownBurnRate(v: number): number {
  if (Number.isNaN(v)) return v;
  if (v <= 0) return 0;
  if (!Number.isFinite(v)) return v;
  let q: number;
  if (v < 10) {
    const n = Math.round(v * 10_000);
    q = n % 1000 === 500 ? Number(v.toFixed(1)) : Math.round(n / 1000) / 10;
  } else q = Math.round(v);
  return q >= 1 === v >= 1 && q < 10 === v < 10 ? q : v;
}
