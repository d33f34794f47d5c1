import { describe, expect, it } from 'vitest';
import { BUDGET_COLORS, budgetStyle, burnRateFigure, gaugeScale, serviceHealth } from '../../client/src/view/slo.ts';

describe('error budget bar', () => {
  it('goes green -> amber -> red as the budget is spent', () => {
    expect(budgetStyle(0.73)).toMatchObject({ level: 'ok', color: BUDGET_COLORS.ok, fraction: 0.73, text: 'error budget 73 % left' });
    expect(budgetStyle(0.35).level).toBe('warn');
    expect(budgetStyle(0.1).level).toBe('bad');
    expect(budgetStyle(-0.5)).toMatchObject({ level: 'bad', fraction: 0, text: 'error budget overspent by 50 %' });
    expect(budgetStyle(Number.NaN).fraction).toBe(0);
  });
});

describe('availability gauge', () => {
  it('spans four error budgets below 100 % and places the target and the needle', () => {
    const g = gaugeScale(0.999, 0.995);
    expect(g.min).toBeCloseTo(0.98);
    expect(g.target).toBeCloseTo(0.75);
    expect(g.value).toBeCloseTo(0.95);
    expect(g.meets).toBe(true);
    const bad = gaugeScale(0.9, 0.995);
    expect(bad.value).toBe(0);
    expect(bad.meets).toBe(false);
  });
});

describe('Service rating', () => {
  it('rates by error share and ready endpoints', () => {
    expect(serviceHealth(0.001, 3, 3)).toBe('ok');
    expect(serviceHealth(0.02, 3, 3)).toBe('warn');
    expect(serviceHealth(0.001, 2, 3)).toBe('warn');
    expect(serviceHealth(0.2, 3, 3)).toBe('bad');
    expect(serviceHealth(0, 0, 2)).toBe('bad');
  });
});

describe('burn rate figure (header bar and SLO panel)', () => {
  it('is one figure from TeamView.slo.burnRate: same text and warning level wherever it is shown', () => {
    expect(burnRateFigure(2.54)).toEqual({ text: '2.5×', level: 'warn' });
    expect(burnRateFigure(14.4)).toEqual({ text: '14×', level: 'warn' });
    expect(burnRateFigure(1)).toEqual({ text: '1×', level: 'warn' });
    expect(burnRateFigure(0.96)).toEqual({ text: '1×', level: 'ok' });
    expect(burnRateFigure(0)).toEqual({ text: '0×', level: 'ok' });
    expect(burnRateFigure(Number.NaN)).toEqual({ text: '0×', level: 'ok' });
  });
});
