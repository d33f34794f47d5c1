/**
 * The projection rounds the SLO figures to what a client shows (shared/view/shown.ts): for every
 * 4-decimal value the projection can produce, the rounded one must look exactly the same wherever a
 * client shows it (the HUD, the map's SLO panel, the trainer cards).
 */
import { describe, expect, it } from 'vitest';
import { formatBudget, formatBudgetShort, formatBurnRate, formatPercent } from '../../client/src/view/format.ts';
import { budgetStyle, burnRateFigure, gaugeScale } from '../../client/src/view/slo.ts';
import { gaugePosition, shownBudget, shownBurnRate, shownSli } from '../../shared/view/shown.ts';

const round4 = (x: number) => Math.round(x * 10_000) / 10_000;
/** Deep equality of two plain figures (faster than one `expect` per value over 10^5 values). */
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Everything a client derives from an SLI (HUD text and colour, gauge, trainer card). */
function sliLooks(v: number, target: number, gauge: boolean) {
  return { text: formatPercent(v), meets: v >= target, breaching: v < target, gauge: gauge ? gaugeScale(v, target) : null };
}

/** Everything a client derives from the error budget remaining (HUD, canvas bar, trainer card). */
function budgetLooks(v: number) {
  const bs = budgetStyle(v);
  return {
    ...bs,
    short: formatBudgetShort(v),
    long: formatBudget(v),
    hudFill: `${Math.round(bs.fraction * 100)}%`,
    barDrawn: bs.fraction > 0,
    trainer: v < 0.25 ? 'bad' : v < 0.5 ? 'warn' : '',
  };
}

describe('SLO figures rounded to what a client shows', () => {
  it('shows every 4-decimal SLI exactly as before, for several targets, on and off the gauge', () => {
    const wrong: string[] = [];
    let rounded = 0;
    for (const target of [0.98, 0.995, 0.999, 0.99, 0.9, 0.5]) {
      for (const gauge of [true, false]) {
        for (let n = 0; n <= 10_000; n++) {
          const v = round4(n / 10_000);
          const q = shownSli(v, target, gauge);
          if (q === v) continue;
          rounded++;
          if (!same(sliLooks(q, target, gauge), sliLooks(v, target, gauge))) wrong.push(`sli ${v} -> ${q} (target ${target}, gauge ${gauge})`);
        }
      }
    }
    expect(wrong).toEqual([]);
    // It does round: most values off the dial and below 99 %.
    expect(rounded).toBeGreaterThan(50_000);
  });

  it('keeps the SLI on the dial and from 99 % up as it is', () => {
    expect(gaugePosition(0.95, 0.98)).toBeGreaterThan(0);
    expect(shownSli(0.9512, 0.98, true)).toBe(0.9512);
    expect(shownSli(0.9512, 0.98, false)).toBe(0.951);
    expect(shownSli(0.9951, 0.98, false)).toBe(0.9951);
    expect(shownSli(0.5234, 0.98, true)).toBe(0.523);
  });

  it('shows every 4-decimal error budget exactly as before, from 1 down to overspent 10 times', () => {
    const wrong: string[] = [];
    let rounded = 0;
    for (let n = -100_000; n <= 10_000; n++) {
      const v = round4(n / 10_000);
      const q = shownBudget(v);
      if (q === v) continue;
      rounded++;
      if (!same(budgetLooks(q), budgetLooks(v))) wrong.push(`budget ${v} -> ${q}`);
    }
    expect(wrong).toEqual([]);
    for (const v of [-999.1234, -123.4567, -10.0049, 1]) expect(budgetLooks(shownBudget(v))).toEqual(budgetLooks(v));
    expect(rounded).toBeGreaterThan(90_000);
    // The bar's range is never rounded.
    expect(shownBudget(0.7312)).toBe(0.7312);
    expect(shownBudget(-0.4567)).toBe(-0.46);
  });

  it('shows every 4-decimal burn rate exactly as before', () => {
    const wrong: string[] = [];
    let rounded = 0;
    for (let n = -10; n <= 300_000; n++) {
      const v = round4(n / 10_000);
      const q = shownBurnRate(v);
      if (q === v) continue;
      rounded++;
      if (!same(burnRateFigure(q), burnRateFigure(v)) || formatBurnRate(q) !== formatBurnRate(v)) wrong.push(`burn rate ${v} -> ${q}`);
    }
    expect(wrong).toEqual([]);
    for (const v of [123.4567, 9999.5, 0.9999]) expect(burnRateFigure(shownBurnRate(v))).toEqual(burnRateFigure(v));
    expect(rounded).toBeGreaterThan(250_000);
  });
});
