/**
 * SLO gauge and error-budget bar geometry and colours. Pure.
 *
 * Definitions (SRE Workbook ch. 2 and 5; shared/sim/kubernetes-behaviour.md §9):
 * SLI = good / valid events; error budget = 1 - SLO; budget remaining = 1 - (1 - SLI) / (1 - SLO);
 * burn rate = observed error ratio / (1 - SLO).
 */
import { PALETTE, toCss } from './podStatus.ts';
import { formatBudget, formatBurnRate } from './format.ts';

/** Budget bar colours: green above half the budget, amber above a fifth, red below (or overspent). */
export const BUDGET_COLORS = { ok: PALETTE.bluishGreen, warn: PALETTE.orange, bad: PALETTE.vermillion } as const;

/** How to draw the error-budget bar (see {@link budgetStyle}). */
export interface BudgetStyle {
  /** Filled share of the bar, clamped 0..1. */
  fraction: number;
  /** `ok` above 50 % of the budget left, `warn` above 20 %, else `bad`. */
  level: 'ok' | 'warn' | 'bad';
  /** {@link BUDGET_COLORS} entry, 0xRRGGBB, and the same as `#rrggbb`. */
  color: number;
  css: string;
  /** `error budget 73 % left` (see {@link formatBudget}). */
  text: string;
}

/**
 * How to draw the error-budget bar.
 *
 * @param remaining fraction of the error budget left (1 = untouched, < 0 = overspent).
 */
export function budgetStyle(remaining: number): BudgetStyle {
  const r = Number.isFinite(remaining) ? remaining : 0;
  const level = r > 0.5 ? 'ok' : r > 0.2 ? 'warn' : 'bad';
  const color = BUDGET_COLORS[level];
  return { fraction: Math.min(1, Math.max(0, r)), level, color, css: toCss(color), text: formatBudget(r) };
}

/** Positions on the SLO gauge (see {@link gaugeScale}). */
export interface GaugeScale {
  /** SLI value at the left end of the gauge (the right end is 100 %). */
  min: number;
  /** Needle position, 0..1 along the gauge. */
  value: number;
  /** Target mark position, 0..1 along the gauge. */
  target: number;
  /** SLI meets the target. */
  meets: boolean;
}

/**
 * Where the SLI needle and the SLO target sit on a gauge whose scale spans four error budgets below
 * 100 % (target 99.5 % -> gauge 98 %..100 %), so the interesting region fills the dial.
 *
 * @param sli SLI as a fraction 0..1.
 * @param target SLO target as a fraction 0..1 (e.g. 0.995).
 */
export function gaugeScale(sli: number, target: number): GaugeScale {
  const budget = Math.max(1e-6, 1 - target);
  const min = Math.max(0, 1 - 4 * budget);
  const span = 1 - min;
  const pos = (v: number): number => Math.min(1, Math.max(0, (v - min) / span));
  const s = Number.isFinite(sli) ? sli : 0;
  return { min, value: pos(s), target: pos(target), meets: s >= target };
}

/**
 * Rating of a Service for the strip: `bad` when 5 % or more of requests fail or no endpoint is Ready
 * (kube-proxy has no backend: every request fails, kubernetes-behaviour.md §8), `warn` from 1 % or when
 * some endpoints are not Ready, else `ok`.
 *
 * @param errorRate failed share of requests, 0..1.
 */
export function serviceHealth(errorRate: number, readyEndpoints: number, totalEndpoints: number): 'ok' | 'warn' | 'bad' {
  if (totalEndpoints > 0 && readyEndpoints === 0) return 'bad';
  if (errorRate >= 0.05) return 'bad';
  return errorRate >= 0.01 || readyEndpoints < totalEndpoints ? 'warn' : 'ok';
}

/** The burn-rate figure both the header bar and the map's SLO panel show (see {@link burnRateFigure}). */
export interface BurnRateFigure {
  /** `2.5×` ({@link formatBurnRate}); the header prefixes `burn `, the SLO panel `burn rate `. */
  text: string;
  /** `warn` at 1× or more (the budget runs out before the SLO window ends), else `ok`. */
  level: 'ok' | 'warn';
}

/**
 * The one burn-rate figure of a team: the header bar and the SLO panel both take it from the same
 * `TeamView.slo.burnRate`, so they never disagree (issue 9). Burn rate = observed error ratio /
 * (1 - SLO), SRE Workbook ch. 5.
 *
 * @param burnRate `TeamView.slo.burnRate` (multiples of the budget-neutral rate; 1 = on budget).
 */
export function burnRateFigure(burnRate: number): BurnRateFigure {
  return { text: formatBurnRate(burnRate), level: Number.isFinite(burnRate) && burnRate >= 1 ? 'warn' : 'ok' };
}
