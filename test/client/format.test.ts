import { describe, expect, it } from 'vitest';
import { formatAge, formatBudget, formatBudgetShort, formatBurnRate, formatMiB, formatMilli, formatMs, formatPercent, formatRate, formatSimTime } from '../../client/src/view/format.ts';

describe('formatting for the HUD and the map', () => {
  it('formats request rates compactly', () => {
    expect(formatRate(0)).toBe('0 rps');
    expect(formatRate(-3)).toBe('0 rps');
    expect(formatRate(4.25)).toBe('4.3 rps');
    expect(formatRate(5)).toBe('5 rps');
    expect(formatRate(120.4)).toBe('120 rps');
    expect(formatRate(1500)).toBe('1.5k rps');
    expect(formatRate(2_000_000)).toBe('2M rps');
    expect(formatRate(Number.NaN)).toBe('0 rps');
  });

  it('shows SLO-grade percentages with enough digits and never rounds up to a perfect 100 %', () => {
    expect(formatPercent(0.9995)).toBe('99.95 %');
    expect(formatPercent(0.995)).toBe('99.5 %');
    expect(formatPercent(1)).toBe('100 %');
    expect(formatPercent(0.99999)).toBe('99.99 %');
    expect(formatPercent(0.5)).toBe('50 %');
    expect(formatPercent(0.0312)).toBe('3.1 %');
    expect(formatPercent(0.0312, 0)).toBe('3 %');
    expect(formatPercent(Number.POSITIVE_INFINITY)).toBe('– %');
  });

  it('states the error budget left the way the issue asks', () => {
    expect(formatBudget(0.734)).toBe('error budget 73 % left');
    expect(formatBudget(1)).toBe('error budget 100 % left');
    expect(formatBudget(1.2)).toBe('error budget 100 % left');
    expect(formatBudget(0.001)).toBe('error budget exhausted');
    expect(formatBudget(-0.12)).toBe('error budget overspent by 12 %');
  });

  it('shows sim time as a clock', () => {
    expect(formatSimTime(0)).toBe('0:00');
    expect(formatSimTime(5)).toBe('0:05');
    expect(formatSimTime(754)).toBe('12:34');
    expect(formatSimTime(754.9)).toBe('12:34');
    expect(formatSimTime(3723)).toBe('1:02:03');
    expect(formatSimTime(-4)).toBe('0:00');
  });

  it('shows ages like kubectl', () => {
    expect(formatAge(45)).toBe('45s');
    expect(formatAge(200)).toBe('3m20s');
    expect(formatAge(180)).toBe('3m');
    expect(formatAge(720)).toBe('12m');
    expect(formatAge(7500)).toBe('2h5m');
    expect(formatAge(7200)).toBe('2h');
  });

  it('formats latency, memory, CPU and burn rate', () => {
    expect(formatMs(45.4)).toBe('45 ms');
    expect(formatMs(1234)).toBe('1.2 s');
    expect(formatMiB(300)).toBe('300Mi');
    expect(formatMiB(1536)).toBe('1.5Gi');
    expect(formatMilli(250)).toBe('250m');
    expect(formatMilli(2000)).toBe('2');
    expect(formatBurnRate(0)).toBe('0×');
    expect(formatBurnRate(2.54)).toBe('2.5×');
    expect(formatBurnRate(14.4)).toBe('14×');
  });
});

describe('header budget text', () => {
  it('is the short form of the budget text', () => {
    expect(formatBudgetShort(0.73)).toBe('budget 73 % left');
    expect(formatBudgetShort(-57.68)).toBe('budget overspent 5768 %');
    expect(formatBudgetShort(0)).toBe('budget exhausted');
  });
});
