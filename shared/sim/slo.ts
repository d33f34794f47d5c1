/**
 * SLIs, SLOs, error budgets and multi-window multi-burn-rate alerts for the user-facing Service.
 *
 * Definitions (SRE Workbook ch. 2 and 5, via shared/sim/kubernetes-behaviour.md §9):
 * - SLI = good events / valid events (fraction 0..1; 1 while nothing was measured yet);
 * - error budget = 1 - SLO target;
 * - burn rate = observed error ratio / (1 - SLO);
 * - budget remaining = 1 - (1 - SLI) / (1 - SLO) over the SLO period (1 = untouched, 0 = spent, < 0 =
 *   overspent);
 * - budget consumed in a window = burn rate * window / SLO period.
 *
 * **SLO period: four matches.** A match is one week of a four-week (28-day) rolling SLO period, so the
 * error budget is the period's: `(1 - SLO) x requests expected over 4 x match duration` (the match's
 * request rate extrapolated, see {@link periodBudgetRemaining}). The budget a match may spend is
 * therefore a quarter of the period's, and budget remaining at the end of a match is what is left for
 * the rest of the period: `1 - (1 - SLI) / (1 - SLO) / 4`. This is the Workbook's own arithmetic (ch. 5:
 * budget consumed = burn rate x window / SLO period, here window = the match); what was dropped is only
 * the earlier shortcut "SLO period = the match", under which one fast-fixed incident in a short match
 * overspent the whole budget. See {@link SLO_PERIOD_MATCHES} and docs/scoring.md.
 *
 * **Window scaling.** The Workbook's tiers assume a 30-day SLO period: page on 14.4x over 1 h (and
 * 5 min), page on 6x over 6 h (and 30 min), ticket on 1x over 3 d (and 6 h) — respectively 2 %, 5 % and
 * 10 % of the budget. The SLO period here is {@link sloPeriodSeconds} (4 x the match), so every window is
 * multiplied by `periodSeconds / 30 days` (rounded to whole seconds, minimum 1). The burn-rate
 * thresholds stay the same, so each tier still means "2 % / 5 % / 10 % of the period's budget consumed".
 * For a 3,600 s match (a 14,400 s period): page 20 s / 2 s at 14.4x, page 120 s / 10 s at 6x, ticket
 * 1,440 s / 120 s at 1x. Windows are then counted in whole ticks (minimum 1 tick).
 *
 * Storage: one bucket per tick (= per sim second at the default `tickSeconds` 1) in a ring buffer as
 * long as the longest window, plus a running sum per distinct window length, so a tick costs O(tiers).
 *
 * May import: ./types.ts, ./notices.ts.
 */
import type { Alert, BurnRateAlertTier, SimInput, SimState, SloState } from './types.ts';
import { recordNotice } from './notices.ts';

/** The SLO period the Workbook's alert tiers were designed for: 30 days, in seconds. */
export const WORKBOOK_SLO_PERIOD_SECONDS = 30 * 24 * 3600;

/**
 * How many match durations make one SLO period: 4 (the match is the first week of a 28-day rolling
 * period; SRE Workbook ch. 2 recommends a four-week rolling window). Dimensionless.
 */
export const SLO_PERIOD_MATCHES = 4;

/**
 * The SLO period of a match of `durationSeconds` sim seconds: `SLO_PERIOD_MATCHES x durationSeconds`
 * sim seconds (see the module doc).
 */
export function sloPeriodSeconds(durationSeconds: number): number {
  return SLO_PERIOD_MATCHES * durationSeconds;
}

/**
 * The Workbook's recommended tiers for a 30-day SLO (ch. 5, table "Recommended parameters"), windows in
 * seconds. Use {@link defaultAlertTiers} to scale them to a match.
 */
export const WORKBOOK_ALERT_TIERS: readonly BurnRateAlertTier[] = [
  { name: 'page-fast', severity: 'page', longWindowSeconds: 3600, shortWindowSeconds: 300, burnRateThreshold: 14.4 },
  { name: 'page-slow', severity: 'page', longWindowSeconds: 6 * 3600, shortWindowSeconds: 1800, burnRateThreshold: 6 },
  { name: 'ticket', severity: 'ticket', longWindowSeconds: 3 * 24 * 3600, shortWindowSeconds: 6 * 3600, burnRateThreshold: 1 },
];

/**
 * Scales a Workbook window (seconds, for a 30-day SLO period) to an SLO period of `periodSeconds`:
 * `max(1, round(window * periodSeconds / 30 d))` sim seconds.
 */
export function scaleWindowSeconds(windowSeconds: number, periodSeconds: number): number {
  return Math.max(1, Math.round((windowSeconds * periodSeconds) / WORKBOOK_SLO_PERIOD_SECONDS));
}

/**
 * The three Workbook tiers with windows scaled to an SLO period of `periodSeconds` sim seconds (a match
 * passes {@link sloPeriodSeconds}`(durationSeconds)`, see the module doc): thresholds 14.4 / 6 / 1
 * unchanged, windows in whole sim seconds (>= 1).
 */
export function defaultAlertTiers(periodSeconds: number): BurnRateAlertTier[] {
  return WORKBOOK_ALERT_TIERS.map((tier) => ({
    ...tier,
    longWindowSeconds: scaleWindowSeconds(tier.longWindowSeconds, periodSeconds),
    shortWindowSeconds: scaleWindowSeconds(tier.shortWindowSeconds, periodSeconds),
  }));
}

function checkTarget(target: number): void {
  if (!(target > 0 && target < 1)) throw new RangeError(`SLO target must be in (0, 1), got ${target}`);
}

/**
 * Burn rate = error ratio / (1 - SLO target) (Workbook ch. 5). 1 means the budget lasts exactly the
 * SLO period. Example: SLO 0.999, error ratio 0.0144 -> 14.4.
 * @throws RangeError when `target` is not in (0, 1).
 */
export function burnRate(errorRatio: number, target: number): number {
  checkTarget(target);
  return errorRatio / (1 - target);
}

/**
 * Error budget remaining = 1 - (1 - SLI) / (1 - SLO target): 1 untouched, 0 spent, negative overspent.
 * @throws RangeError when `target` is not in (0, 1).
 */
export function errorBudgetRemaining(sli: number, target: number): number {
  checkTarget(target);
  return 1 - (1 - sli) / (1 - target);
}

/**
 * Error budget remaining part-way through the SLO period, measured against the **whole period's**
 * budget: consumed = bad events so far / ((1 - SLO) x events expected over the period), where the
 * expected volume is extrapolated from the volume so far (events so far / `elapsedShare`). This is
 * `1 - (1 - SLI) / (1 - SLO) x elapsedShare`, which equals {@link errorBudgetRemaining} at the end of the
 * period (`elapsedShare` = 1). With a steady request rate this is `1 - bad so far / period budget`, so
 * it only falls when requests fail: a 30 s outage early in a match costs what it costs over the period
 * instead of looking like a 100 % loss against the few minutes played. A match ends at elapsed share
 * `1 / SLO_PERIOD_MATCHES` (= 0.25).
 * @param elapsedShare share of the SLO period elapsed, clamped to [0, 1].
 * @throws RangeError when `target` is not in (0, 1).
 */
export function periodBudgetRemaining(sli: number, target: number, elapsedShare: number): number {
  checkTarget(target);
  const share = Math.min(1, Math.max(0, elapsedShare));
  return 1 - ((1 - sli) / (1 - target)) * share;
}

/**
 * Share of the period's error budget consumed by burning at `rate` for `windowSeconds` of `periodSeconds`
 * (both in the same unit): Workbook ch. 5, e.g. 14.4 x 1 h / 30 d = 0.02 (2 %).
 */
export function budgetConsumed(rate: number, windowSeconds: number, periodSeconds: number): number {
  return (rate * windowSeconds) / periodSeconds;
}

/** A window length in whole ticks (minimum 1). */
export function windowTicks(windowSeconds: number, tickSeconds: number): number {
  return Math.max(1, Math.round(windowSeconds / tickSeconds));
}

function distinctWindows(alertTiers: BurnRateAlertTier[], tickSeconds: number): number[] {
  const set = new Set<number>();
  for (const tier of alertTiers) {
    set.add(windowTicks(tier.longWindowSeconds, tickSeconds));
    set.add(windowTicks(tier.shortWindowSeconds, tickSeconds));
  }
  return [...set].sort((a, b) => a - b);
}

function emptySlo(name: SloState['name'], target: number, alertTiers: BurnRateAlertTier[], tickSeconds: number): SloState {
  checkTarget(target);
  const windows = distinctWindows(alertTiers, tickSeconds);
  const size = Math.max(1, ...windows);
  const windowSums: SloState['windowSums'] = {};
  for (const w of windows) windowSums[String(w)] = { good: 0, valid: 0 };
  const burnRates: SloState['burnRates'] = {};
  for (const tier of alertTiers) burnRates[tier.name] = { long: 0, short: 0 };
  return {
    name,
    target,
    good: 0,
    valid: 0,
    buckets: { good: new Array<number>(size).fill(0), valid: new Array<number>(size).fill(0), head: 0 },
    sli: 1,
    errorBudgetRemaining: 1,
    burnRates,
    lastTick: { good: 0, valid: 0 },
    windowSums,
  };
}

/**
 * Fresh SLO states for a match: availability (target `input.slo.availability`) and latency (target
 * `input.slo.latency.target`, threshold `thresholdMs` ms), with ring buffers sized for `alertTiers`.
 * @throws RangeError when a target is not in (0, 1).
 */
export function createSloStates(input: SimInput, alertTiers: BurnRateAlertTier[]): SimState['slos'] {
  const tickSeconds = input.settings.tickSeconds > 0 ? input.settings.tickSeconds : 1;
  return {
    availability: emptySlo('availability', input.slo.availability, alertTiers, tickSeconds),
    latency: { ...emptySlo('latency', input.slo.latency.target, alertTiers, tickSeconds), thresholdMs: input.slo.latency.thresholdMs },
  };
}

/**
 * The window sums of one SLO state in a fixed order, with their lengths in ticks (derived once per
 * `windowSums` record: its keys are set by createSloStates and never change).
 */
const windowPlans = new WeakMap<SloState['windowSums'], { keys: string[]; ticks: number[] }>();

function windowPlan(sums: SloState['windowSums']): { keys: string[]; ticks: number[] } {
  let plan = windowPlans.get(sums);
  if (plan === undefined) {
    const keys = Object.keys(sums).sort();
    windowPlans.set(sums, (plan = { keys, ticks: keys.map(Number) }));
  }
  return plan;
}

/** Per tier list and tick length: the window-sum keys of each tier's long and short windows. */
const tierKeys = new WeakMap<BurnRateAlertTier[], { tickSeconds: number; long: string[]; short: string[] }>();

function tierWindowKeys(alertTiers: BurnRateAlertTier[], tickSeconds: number): { long: string[]; short: string[] } {
  let keys = tierKeys.get(alertTiers);
  if (keys === undefined || keys.tickSeconds !== tickSeconds || keys.long.length !== alertTiers.length) {
    keys = {
      tickSeconds,
      long: alertTiers.map((tier) => String(windowTicks(tier.longWindowSeconds, tickSeconds))),
      short: alertTiers.map((tier) => String(windowTicks(tier.shortWindowSeconds, tickSeconds))),
    };
    tierKeys.set(alertTiers, keys);
  }
  return keys;
}

/**
 * Folds `slo.lastTick` into the cumulative counts, the ring buffer and the window sums, then refreshes
 * `sli`, `errorBudgetRemaining` (against the whole period, see {@link periodBudgetRemaining}) and
 * `burnRates`. O(distinct windows); allocates nothing once warm (`lastTick` and each tier's
 * `burnRates` entry are updated in place).
 * @param elapsedShare share of the SLO period elapsed, 0..1 (default 1: the period is over; a match
 *   passes `t / sloPeriodSeconds(durationSeconds)`, at most 0.25 at its end).
 */
export function foldTick(slo: SloState, alertTiers: BurnRateAlertTier[], tickSeconds: number, elapsedShare = 1): void {
  const { good, valid } = slo.lastTick;
  const b = slo.buckets;
  const n = b.good.length;
  slo.good += good;
  slo.valid += valid;
  const plan = windowPlan(slo.windowSums);
  for (let i = 0; i < plan.keys.length; i++) {
    const w = plan.ticks[i]!;
    const sum = slo.windowSums[plan.keys[i]!]!;
    const leaving = (b.head - w + n * 2) % n;
    if (w <= n) {
      sum.good -= b.good[leaving]!;
      sum.valid -= b.valid[leaving]!;
    }
    sum.good += good;
    sum.valid += valid;
  }
  b.good[b.head] = good;
  b.valid[b.head] = valid;
  b.head = (b.head + 1) % n;
  slo.lastTick.good = 0;
  slo.lastTick.valid = 0;

  slo.sli = slo.valid > 0 ? slo.good / slo.valid : 1;
  slo.errorBudgetRemaining = periodBudgetRemaining(slo.sli, slo.target, elapsedShare);
  const keys = tierWindowKeys(alertTiers, tickSeconds);
  for (let i = 0; i < alertTiers.length; i++) {
    const long = windowBurn(slo, keys.long[i]!);
    const short = windowBurn(slo, keys.short[i]!);
    const rates = slo.burnRates[alertTiers[i]!.name];
    if (rates === undefined) slo.burnRates[alertTiers[i]!.name] = { long, short };
    else {
      rates.long = long;
      rates.short = short;
    }
  }
}

function windowBurn(slo: SloState, key: string): number {
  const sum = slo.windowSums[key];
  if (!sum || sum.valid <= 0) return 0;
  return burnRate((sum.valid - sum.good) / sum.valid, slo.target);
}

/** Display name of a service key (`default/frontend` -> `frontend`). */
function shortName(key: string): string {
  const i = key.lastIndexOf('/');
  return i >= 0 ? key.slice(i + 1) : key;
}

function fmtRate(x: number): string {
  return x >= 100 ? x.toFixed(0) : x.toFixed(1);
}

/**
 * Per tick: fold both SLOs' `lastTick` counts (see {@link foldTick}) and evaluate every alert tier.
 * An alert fires only while **both** its long and short window burn rates exceed the threshold
 * (Workbook ch. 5, "multiwindow, multi-burn-rate alerts"). `state.alerts` keeps one entry per
 * (SLO, tier), id `<slo>-<tier>` (e.g. `availability-page-fast`), in a fixed order; `since` is the sim
 * second of its last transition. A page that starts firing records a `Warning` event
 * (`SLOBurnRateHigh`), one that resolves a `Normal` event (`SLOBurnRateResolved`).
 */
export function updateSlos(state: SimState): void {
  const tiers = state.alertTiers;
  const tickSeconds = state.settings.tickSeconds;
  const service = shortName(state.userFacingService);
  const slos: SloState[] = [state.slos.availability, state.slos.latency];
  const elapsedShare = Math.min(1, state.t / sloPeriodSeconds(state.settings.durationSeconds));
  let index = 0;
  for (const slo of slos) {
    foldTick(slo, tiers, tickSeconds, elapsedShare);
    const ids = alertIds(tiers, slo.name);
    for (let k = 0; k < tiers.length; k++) {
      const tier = tiers[k]!;
      const id = ids[k]!;
      let alert: Alert | undefined = state.alerts[index];
      if (!alert || alert.id !== id) {
        alert = state.alerts.find((a) => a.id === id);
        if (!alert) {
          alert = { id, severity: tier.severity, slo: slo.name, firing: false, since: state.t, summary: '' };
          state.alerts.splice(index, 0, alert);
        }
      }
      index++;
      const rates = slo.burnRates[tier.name] ?? { long: 0, short: 0 };
      const firing = rates.long > tier.burnRateThreshold && rates.short > tier.burnRateThreshold;
      const shown = Math.min(rates.long, rates.short);
      setSummary(alert, service, slo.name, tier, shown);
      if (firing !== alert.firing) {
        alert.firing = firing;
        alert.since = state.t;
        if (tier.severity === 'page') {
          const object = { kind: 'Service', name: service };
          if (firing) recordNotice(state, 'alert', 'Warning', 'SLOBurnRateHigh', object, `Alert ${id} firing: ${alert.summary}`);
          else recordNotice(state, 'alert', 'Normal', 'SLOBurnRateResolved', object, `Alert ${id} resolved`);
        }
      }
    }
  }
}

/** Alert ids `<slo>-<tier>` per tier list and SLO name (the list is fixed at createSim). */
const idsByTiers = new WeakMap<BurnRateAlertTier[], Map<string, string[]>>();

function alertIds(tiers: BurnRateAlertTier[], sloName: string): string[] {
  let bySlo = idsByTiers.get(tiers);
  if (bySlo === undefined) idsByTiers.set(tiers, (bySlo = new Map()));
  let ids = bySlo.get(sloName);
  if (ids === undefined || ids.length !== tiers.length) bySlo.set(sloName, (ids = tiers.map((tier) => `${sloName}-${tier.name}`)));
  return ids;
}

/** What each alert's summary was last built from (the same string object is kept while they hold). */
interface SummaryInputs {
  summary: string;
  service: string;
  slo: string;
  tier: BurnRateAlertTier;
  /** The burn rate last seen, and its text in the summary (`fmtRate`). */
  shown: number;
  rate: string;
}
const summaryInputs = new WeakMap<Alert, SummaryInputs>();

/**
 * `alert.summary` = `<service> <slo> burn rate <shown>x over <long> s and <short> s (<severity>,
 * threshold <t>x)`, rebuilt only when its text would differ from the last build (same service, SLO,
 * tier and rate text: the text is a function of them), so an unchanged summary stays the same string
 * object and readers (the room's projection) compare it by identity.
 */
function setSummary(alert: Alert, service: string, sloName: string, tier: BurnRateAlertTier, shown: number): void {
  const last = summaryInputs.get(alert);
  if (last !== undefined && last.summary === alert.summary && last.tier === tier && last.service === service && last.slo === sloName) {
    if (last.shown === shown) return;
    const rate = fmtRate(shown);
    last.shown = shown;
    if (rate === last.rate) return;
    last.rate = rate;
    last.summary = alert.summary = summaryText(service, sloName, tier, rate);
    return;
  }
  const rate = fmtRate(shown);
  alert.summary = summaryText(service, sloName, tier, rate);
  summaryInputs.set(alert, { summary: alert.summary, service, slo: sloName, tier, shown, rate });
}

function summaryText(service: string, sloName: string, tier: BurnRateAlertTier, rate: string): string {
  return (
    `${service} ${sloName} burn rate ${rate}x over ${tier.longWindowSeconds} s and ` +
    `${tier.shortWindowSeconds} s (${tier.severity}, threshold ${tier.burnRateThreshold}x)`
  );
}
