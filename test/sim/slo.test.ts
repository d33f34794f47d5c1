import { describe, it, expect } from 'vitest';
import type { SimInput, SimState } from '../../shared/sim/types.ts';
import { feedRows } from './fixtures.ts';
import {
  budgetConsumed,
  burnRate,
  createSloStates,
  defaultAlertTiers,
  errorBudgetRemaining,
  periodBudgetRemaining,
  scaleWindowSeconds,
  updateSlos,
  WORKBOOK_ALERT_TIERS,
  WORKBOOK_SLO_PERIOD_SECONDS,
  SLO_PERIOD_MATCHES,
  sloPeriodSeconds,
} from '../../shared/sim/slo.ts';

/** Just the parts of a SimState updateSlos reads and writes. */
function sloState(durationSeconds: number, availability = 0.999): SimState {
  const input = {
    settings: { seed: 1, tickSeconds: 1, durationSeconds },
    slo: { availability, latency: { thresholdMs: 300, target: 0.99 } },
  } as SimInput;
  const alertTiers = defaultAlertTiers(durationSeconds);
  return {
    t: 0,
    tick: 0,
    settings: input.settings,
    userFacingService: 'default/frontend',
    alertTiers,
    slos: createSloStates(input, alertTiers),
    alerts: [],
    events: [],
    eventLimit: 100,
    notices: [],
    counters: { uid: 0, resourceVersion: 0, eventSeq: 0, timerSeq: 0 },
  } as unknown as SimState;
}

/** Simulates one tick with `valid` requests of which `bad` failed (both SLIs). */
function tick(state: SimState, valid: number, bad: number): void {
  state.t += 1;
  state.tick += 1;
  state.slos.availability.lastTick = { good: valid - bad, valid };
  state.slos.latency.lastTick = { good: valid, valid };
  updateSlos(state);
}

describe('SLO maths (SRE Workbook ch. 5)', () => {
  it('burn rate is the error ratio over the error budget', () => {
    expect(burnRate(0.0144, 0.999)).toBeCloseTo(14.4, 10);
    expect(burnRate(0.006, 0.999)).toBeCloseTo(6, 10);
    expect(burnRate(0.001, 0.999)).toBeCloseTo(1, 10);
    expect(burnRate(0, 0.99)).toBe(0);
  });

  it('budget remaining is 1 - (1 - SLI) / (1 - SLO)', () => {
    expect(errorBudgetRemaining(1, 0.999)).toBe(1);
    expect(errorBudgetRemaining(0.999, 0.999)).toBeCloseTo(0, 10);
    expect(errorBudgetRemaining(0.9995, 0.999)).toBeCloseTo(0.5, 10);
    expect(errorBudgetRemaining(0.998, 0.999)).toBeCloseTo(-1, 10);
  });

  it('rejects targets outside (0, 1)', () => {
    expect(() => burnRate(0.1, 1)).toThrow(RangeError);
    expect(() => errorBudgetRemaining(0.9, 0)).toThrow(RangeError);
  });

  it('the Workbook tiers consume 2 %, 5 % and 10 % of a 30-day budget', () => {
    const consumed = WORKBOOK_ALERT_TIERS.map((t) => budgetConsumed(t.burnRateThreshold, t.longWindowSeconds, WORKBOOK_SLO_PERIOD_SECONDS));
    expect(consumed[0]).toBeCloseTo(0.02, 10);
    expect(consumed[1]).toBeCloseTo(0.05, 10);
    expect(consumed[2]).toBeCloseTo(0.1, 10);
  });

  it('scales the windows to the match so each tier keeps its share of the budget', () => {
    const tiers = defaultAlertTiers(3600);
    expect(tiers.map((t) => [t.name, t.severity, t.longWindowSeconds, t.shortWindowSeconds, t.burnRateThreshold])).toEqual([
      ['page-fast', 'page', 5, 1, 14.4],
      ['page-slow', 'page', 30, 3, 6],
      ['ticket', 'ticket', 360, 30, 1],
    ]);
    expect(budgetConsumed(14.4, 5, 3600)).toBeCloseTo(0.02, 10);
    expect(scaleWindowSeconds(300, 60)).toBe(1); // never below one second
    const day = defaultAlertTiers(30 * 24 * 3600);
    expect(day[0]!.longWindowSeconds).toBe(3600);
    expect(day[2]!.shortWindowSeconds).toBe(6 * 3600);
  });
});

describe('updateSlos', () => {
  it('tracks the SLI and budget remaining over the match', () => {
    const s = sloState(3600);
    for (let i = 0; i < 10; i++) tick(s, 1000, 0);
    expect(s.slos.availability.sli).toBe(1);
    expect(s.slos.availability.errorBudgetRemaining).toBe(1);
    tick(s, 1000, 5); // 5 bad in 11000: SLI 0.99955, half the 0.1 % budget of these 11 s used
    expect(s.slos.availability.good).toBe(10995);
    expect(s.slos.availability.valid).toBe(11000);
    // ...but the budget is the whole SLO period's (4 matches = 14,400 s): 11 s in, those 5 bad requests
    // spent only 11/14400 of what they would spend at this rate over the period.
    expect(SLO_PERIOD_MATCHES).toBe(4);
    expect(s.slos.availability.errorBudgetRemaining).toBeCloseTo(1 - (5 / 11000 / 0.001) * (11 / (4 * 3600)), 10);
  });

  it('spends the budget against the whole match: at the end it is the Workbook formula', () => {
    expect(periodBudgetRemaining(0.995, 0.99, 1)).toBeCloseTo(errorBudgetRemaining(0.995, 0.99), 12);
    expect(periodBudgetRemaining(0.995, 0.99, 0.5)).toBeCloseTo(0.75, 12);
    // A 30 s full outage at minute 5 of a one-hour match at 99 %: 30 / 36 s of budget, not "overspent".
    expect(periodBudgetRemaining(1 - 30 / 300, 0.99, 300 / 3600)).toBeCloseTo(1 - 30 / 36, 12);
  });

  it('the SLO period is four matches and the alert windows are scaled to it (a match ends at 1/4 of the period)', () => {
    expect(sloPeriodSeconds(3600)).toBe(14_400);
    const tiers = defaultAlertTiers(sloPeriodSeconds(3600));
    expect(tiers.map((t) => [t.longWindowSeconds, t.shortWindowSeconds])).toEqual([
      [20, 2],
      [120, 10],
      [1440, 120],
    ]);
    // Each tier still means 2 % / 5 % / 10 % of the period's budget.
    expect(tiers.map((t) => budgetConsumed(t.burnRateThreshold, t.longWindowSeconds, sloPeriodSeconds(3600)))).toEqual([0.02, 0.05, 0.1]);
    // A match-long 2 % error ratio at 99 %: the match spends half the period's budget.
    expect(periodBudgetRemaining(0.98, 0.99, 1 / SLO_PERIOD_MATCHES)).toBeCloseTo(0.5, 12);
  });

  it('window burn rates only count the ticks inside the window', () => {
    const s = sloState(3600);
    tick(s, 1000, 100); // 10 % errors: burn 100x
    expect(s.slos.availability.burnRates['page-fast']).toEqual({ long: expect.closeTo(100, 6), short: expect.closeTo(100, 6) });
    tick(s, 1000, 0);
    // short window (1 tick) is clean now, long window (5 ticks) still holds the bad tick
    expect(s.slos.availability.burnRates['page-fast']!.short).toBe(0);
    expect(s.slos.availability.burnRates['page-fast']!.long).toBeCloseTo(50, 6);
    for (let i = 0; i < 4; i++) tick(s, 1000, 0);
    expect(s.slos.availability.burnRates['page-fast']!.long).toBe(0);
    expect(s.slos.availability.burnRates['ticket']!.long).toBeCloseTo((100 / 6000) / 0.001, 6);
  });

  it('pages only while both windows exceed the threshold, then resolves', () => {
    const s = sloState(3600);
    for (let i = 0; i < 10; i++) tick(s, 1000, 0);
    const page = () => s.alerts.find((a) => a.id === 'availability-page-fast')!;
    expect(page().firing).toBe(false);

    // One bad tick at 3 % errors: short window burns 30x but the 5 s long window only 6x -> no page.
    tick(s, 1000, 30);
    expect(s.slos.availability.burnRates['page-fast']!.short).toBeCloseTo(30, 6);
    expect(page().firing).toBe(false);

    // Sustained 3 % errors: after 3 ticks the 5 s window is above 14.4x too -> page.
    tick(s, 1000, 30);
    tick(s, 1000, 30);
    expect(page().firing).toBe(true);
    expect(page().since).toBe(s.t);
    expect(page().summary).toMatch(/^frontend availability burn rate \d+\.\dx over 5 s and 1 s \(page/);
    // The pager's alert is a row of the events feed (a game notice), not a Kubernetes Event.
    expect(s.events).toEqual([]);
    const warn = feedRows(s).find((e) => e.reason === 'SLOBurnRateHigh');
    expect(warn?.type).toBe('Warning');
    expect(warn?.message).toContain('availability-page-fast');

    // Errors stop: the short window clears at once and the page resolves.
    tick(s, 1000, 0);
    expect(page().firing).toBe(false);
    const ok = feedRows(s).find((e) => e.reason === 'SLOBurnRateResolved');
    expect(ok?.type).toBe('Normal');
    // the latency SLO was untouched
    expect(s.alerts.filter((a) => a.slo === 'latency').every((a) => !a.firing)).toBe(true);
  });

  it('keeps one alert per SLO and tier with stable ids', () => {
    const s = sloState(3600);
    tick(s, 10, 0);
    tick(s, 10, 0);
    expect(s.alerts.map((a) => a.id)).toEqual([
      'availability-page-fast',
      'availability-page-slow',
      'availability-ticket',
      'latency-page-fast',
      'latency-page-slow',
      'latency-ticket',
    ]);
  });

  it('a tick without traffic leaves the burn rate at 0 (no NaN)', () => {
    const s = sloState(3600);
    tick(s, 0, 0);
    expect(s.slos.availability.sli).toBe(1);
    expect(s.slos.availability.burnRates['page-fast']).toEqual({ long: 0, short: 0 });
  });
});
