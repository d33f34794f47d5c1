/**
 * The pure rules generator (shared/sim/prometheusRules.ts), no Prometheus needed: its windows are the
 * pager's (the cluster's tiers counted in whole ticks) converted to wall-clock time at the time
 * dilation, for every built-in scenario.
 */
import { describe, expect, it } from 'vitest';
import { BUILT_IN_SCENARIO_IDS, resolveSimInput } from '../../server/scenarios/index.ts';
import { createSim, step } from '../../shared/sim/index.ts';
import { windowTicks } from '../../shared/sim/slo.ts';
import { prometheusDuration, prometheusRules } from '../../shared/sim/prometheusRules.ts';

describe('prometheusRules', () => {
  it.each(BUILT_IN_SCENARIO_IDS)('%s: one alert per pager alert, windows = pager ticks x tick / dilation', (id) => {
    const resolved = resolveSimInput({ scenario: id, seed: 1 });
    const state = createSim(resolved.input);
    const dilation = resolved.timeDilation ?? 4;
    const rules = prometheusRules(state, dilation);
    step(state); // the pager's alerts exist from the first tick
    expect(state.alerts.length).toBe(6);
    expect(rules.alerts.map((a) => a.id)).toEqual(state.alerts.map((a) => a.id));
    const tick = state.settings.tickSeconds;
    for (const a of rules.alerts) {
      const tier = state.alertTiers.find((t) => t.name === a.tier)!;
      expect(a.burnRateThreshold).toBe(tier.burnRateThreshold);
      expect(a.long.ticks).toBe(windowTicks(tier.longWindowSeconds, tick));
      expect(a.short.ticks).toBe(windowTicks(tier.shortWindowSeconds, tick));
      expect(a.long.wallMs).toBe(Math.max(1, Math.round((a.long.ticks * tick * 1000) / dilation)));
      expect(a.short.wallMs).toBe(Math.max(1, Math.round((a.short.ticks * tick * 1000) / dilation)));
    }
    expect(rules.tickWallMs).toBe(Math.round((tick * 1000) / dilation));
  });

  it('converts a one-hour match at 4x as the README says', () => {
    const state = createSim(resolveSimInput({ scenario: 'online-boutique', seed: 1 }).input);
    const windows = prometheusRules(state, 4).alerts.filter((a) => a.slo === 'availability').map((a) => [a.id, a.long.duration, a.short.duration]);
    expect(windows).toEqual([
      ['availability-page-fast', '5s', '500ms'],
      ['availability-page-slow', '30s', '2s500ms'],
      ['availability-ticket', '6m', '30s'],
    ]);
    expect(prometheusRules(state, 4).scrapeInterval).toBe('250ms');
  });

  it('writes Prometheus durations and refuses a bad time dilation', () => {
    expect(prometheusDuration(0)).toBe('0s');
    expect(prometheusDuration(1)).toBe('1ms');
    expect(prometheusDuration(90_500)).toBe('1m30s500ms');
    expect(prometheusDuration(3_723_004)).toBe('1h2m3s4ms');
    const state = createSim(resolveSimInput({ scenario: 'guestbook', seed: 1 }).input);
    expect(() => prometheusRules(state, 0)).toThrow(RangeError);
    expect(() => prometheusRules(state, Number.NaN)).toThrow(RangeError);
  });
});
