/**
 * Prometheus rules for a match's SLOs: recording rules for the SLIs and burn rates over every alert
 * window, and the SRE Workbook's multi-window, multi-burn-rate alerts (ch. 5, "Alerting on SLOs",
 * approach 6), generated from the **same** tiers, targets and tick length the game's pager uses
 * (`state.alertTiers`, `state.slos`, `state.settings.tickSeconds`; shared/sim/slo.ts `updateSlos`), so
 * the windows match the pager by construction.
 *
 * Series read (served at `/k8s/MATCH/TEAM/metrics`, server/k8s/metrics.ts):
 * `gameday_slo_good_total{slo}` and `gameday_slo_valid_total{slo}`, cumulative good and valid events
 * of the user-facing Service since the match started (`slo` = `availability` | `latency`).
 *
 * **Window conversion.** The pager counts a window of `w` sim seconds as `windowTicks(w, tickSeconds)`
 * whole ticks (shared/sim/slo.ts; the Workbook windows already scaled to the SLO period of four
 * matches, `defaultAlertTiers(sloPeriodSeconds(durationSeconds))`). Prometheus measures wall-clock
 * time, and a match runs `timeDilation` sim seconds per real second, so a window is
 * `ticks x tickSeconds / timeDilation` real seconds, rounded to whole milliseconds (Prometheus's
 * duration resolution; at least 1 ms). Example: a one-hour match (windows 20 s / 2 s, 120 s / 10 s,
 * 1,440 s / 120 s of sim time) at time dilation 4 gives 5s / 500ms, 30s / 2s500ms, 6m / 30s. The rule
 * group's evaluation interval is one tick of wall-clock time (`tickSeconds / timeDilation`), the
 * pager's own evaluation cadence.
 *
 * **Sampling.** With Prometheus 2.x range selectors (both ends inclusive) and samples taken once a
 * tick, on tick boundaries, a window of N ticks holds N + 1 samples and `rate()` does not extrapolate,
 * so the ratio of the good and valid rates is exactly the pager's ratio of the window's sums. A live
 * scrape is not aligned with ticks: the recommended scrape interval ({@link PrometheusRules.scrapeInterval})
 * is half the shortest window (at most one tick) so that every window holds at least two samples;
 * the figures then follow the pager within about one scrape interval.
 *
 * The burn rate is `(1 - SLI) / (1 - SLO target)` with the target a constant from the scenario; an
 * alert fires while both windows of its tier burn faster than the threshold (strictly, as the pager;
 * a window without valid events gives no sample, which never fires: the pager's burn rate 0).
 *
 * Pure and deterministic. May import: ./slo.ts, ./types.ts.
 */
import { windowTicks } from './slo.ts';
import type { BurnRateAlertTier, SimState } from './types.ts';

/** One recording rule (Prometheus rule file format). */
export interface RecordingRule {
  record: string;
  expr: string;
  labels?: Record<string, string>;
}

/** One alerting rule (Prometheus rule file format); no `for`: the pager fires on the first tick both windows burn. */
export interface AlertingRule {
  alert: string;
  expr: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

/** A rule group; `interval` is a Prometheus duration (`250ms`). */
export interface RuleGroup {
  name: string;
  interval: string;
  rules: (RecordingRule | AlertingRule)[];
}

/** One alert window, in every unit it is used in. */
export interface RuleWindow {
  /** The tier's window as the pager's tier list states it, sim seconds. */
  simSeconds: number;
  /** Whole ticks the pager sums (`windowTicks(simSeconds, tickSeconds)`). */
  ticks: number;
  /** Wall-clock length: `round(ticks x tickSeconds x 1000 / timeDilation)` ms, at least 1. */
  wallMs: number;
  /** `wallMs` as a Prometheus duration (`1m30s`, `500ms`). */
  duration: string;
}

/** One generated alert: the pager's alert of the same `id`. */
export interface RuleAlert {
  /** The pager's alert id, `<slo>-<tier>` (e.g. `availability-page-fast`). */
  id: string;
  slo: 'availability' | 'latency';
  tier: string;
  severity: 'page' | 'ticket';
  burnRateThreshold: number;
  long: RuleWindow;
  short: RuleWindow;
}

/** What {@link prometheusRules} returns. */
export interface PrometheusRules {
  /** The rule file (serialise as YAML or JSON: `promtool check rules` reads both). */
  file: { groups: RuleGroup[] };
  /** Every alert, in the pager's order (per SLO: availability then latency; per tier in tier order). */
  alerts: RuleAlert[];
  /** Sim seconds per real second the windows were converted at. */
  timeDilation: number;
  /** One tick of wall-clock time, ms (the group's evaluation interval). */
  tickWallMs: number;
  /** Evaluation interval (Prometheus duration), = one tick of wall-clock time. */
  evaluationInterval: string;
  /** Recommended scrape interval (Prometheus duration): half the shortest window, at most one tick. */
  scrapeInterval: string;
}

/** The alert name of every generated alert: the pager's event reason for a page that starts firing. */
export const ALERT_NAME = 'SLOBurnRateHigh';

/** Metric names of the SLI counters (server/k8s/metrics.ts serves them). */
export const SLO_GOOD_METRIC = 'gameday_slo_good_total';
/** Counter of valid (counted) SLI events, requests or probes; the SLI is good / valid. */
export const SLO_VALID_METRIC = 'gameday_slo_valid_total';

/**
 * A duration in ms as Prometheus writes it (`1h2m3s4ms`, `0s` for 0). Units h, m, s, ms.
 * @throws RangeError for a negative or non-integer `ms`.
 */
export function prometheusDuration(ms: number): string {
  if (!Number.isInteger(ms) || ms < 0) throw new RangeError(`duration must be a whole number of ms >= 0, got ${ms}`);
  if (ms === 0) return '0s';
  const units: [string, number][] = [['h', 3_600_000], ['m', 60_000], ['s', 1000], ['ms', 1]];
  let rest = ms;
  let out = '';
  for (const [unit, size] of units) {
    const n = Math.floor(rest / size);
    if (n > 0) out += `${n}${unit}`;
    rest -= n * size;
  }
  return out;
}

/** The recording rule names for one window (`gameday:slo_sli:ratio_rate5s`, `gameday:slo_burn_rate:rate5s`). */
export function sliRecord(duration: string): string {
  return `gameday:slo_sli:ratio_rate${duration}`;
}
/** The burn-rate recording rule for one window: the error ratio over it divided by the error budget (1 - SLO target), SRE Workbook ch. 5. */
export function burnRateRecord(duration: string): string {
  return `gameday:slo_burn_rate:rate${duration}`;
}

/** What the generator reads of a cluster: the pager's inputs. */
export type RulesSource = Pick<SimState, 'scenarioId' | 'settings' | 'alertTiers' | 'slos' | 'userFacingService'>;

/**
 * The Prometheus rules of a match: its pager's tiers over its SLOs, windows converted to wall-clock
 * time at `timeDilation` (see the module doc).
 * @param source a cluster of the match (`createSim(input)`): its `alertTiers`, SLO targets and tick.
 * @param timeDilation sim seconds per real second (> 0), as the match is played.
 * @throws RangeError when `timeDilation` or the tick length is not > 0.
 */
export function prometheusRules(source: RulesSource, timeDilation: number): PrometheusRules {
  if (!(timeDilation > 0) || !Number.isFinite(timeDilation)) throw new RangeError(`timeDilation must be a finite number > 0, got ${timeDilation}`);
  const tickSeconds = source.settings.tickSeconds;
  if (!(tickSeconds > 0)) throw new RangeError(`tickSeconds must be > 0, got ${tickSeconds}`);
  const tickWallMs = Math.max(1, Math.round((tickSeconds * 1000) / timeDilation));
  const window = (simSeconds: number): RuleWindow => {
    const ticks = windowTicks(simSeconds, tickSeconds);
    const wallMs = Math.max(1, Math.round((ticks * tickSeconds * 1000) / timeDilation));
    return { simSeconds, ticks, wallMs, duration: prometheusDuration(wallMs) };
  };
  const slos = [source.slos.availability, source.slos.latency];
  const alerts: RuleAlert[] = [];
  for (const slo of slos) {
    for (const tier of source.alertTiers) alerts.push(ruleAlert(slo.name, tier, window));
  }
  const windows = new Map<number, RuleWindow>();
  for (const a of alerts) for (const w of [a.long, a.short]) if (!windows.has(w.wallMs)) windows.set(w.wallMs, w);
  const sortedWindows = [...windows.values()].sort((a, b) => a.wallMs - b.wallMs);
  const shortest = sortedWindows[0]?.wallMs ?? tickWallMs;
  const scrapeMs = Math.max(1, Math.min(tickWallMs, Math.floor(shortest / 2)));

  const service = shortName(source.userFacingService);
  // Per SLO (its own target), each rule labelled with its `slo` so no two rules record the same series.
  const recording: RecordingRule[] = [];
  for (const slo of slos) {
    const sel = `{slo="${slo.name}"}`;
    for (const w of sortedWindows) {
      recording.push({
        record: sliRecord(w.duration),
        expr: `rate(${SLO_GOOD_METRIC}${sel}[${w.duration}]) / rate(${SLO_VALID_METRIC}${sel}[${w.duration}])`,
        labels: { slo: slo.name },
      });
    }
    for (const w of sortedWindows) {
      recording.push({ record: burnRateRecord(w.duration), expr: `(1 - ${sliRecord(w.duration)}${sel}) / (1 - ${slo.target})`, labels: { slo: slo.name } });
    }
  }
  const alerting: AlertingRule[] = alerts.map((a) => {
    const sel = `{slo="${a.slo}"}`;
    const t = a.burnRateThreshold;
    return {
      alert: ALERT_NAME,
      expr: `${burnRateRecord(a.long.duration)}${sel} > ${t} and ${burnRateRecord(a.short.duration)}${sel} > ${t}`,
      labels: { severity: a.severity, alert_id: a.id, tier: a.tier },
      annotations: {
        summary: `${service} ${a.slo} burn rate over ${t}x (${a.severity})`,
        description:
          `${service} ${a.slo} burn rate above ${t}x over ${a.long.duration} and ${a.short.duration} ` +
          `(the game's ${a.long.simSeconds} s and ${a.short.simSeconds} s of sim time at ${timeDilation} sim s per real s; ` +
          `SLO ${slos.find((s) => s.name === a.slo)!.target}).`,
      },
    };
  });
  const evaluationInterval = prometheusDuration(tickWallMs);
  return {
    file: {
      // One group: its rules run in order at each evaluation, so the alerts read this evaluation's
      // recording rules (two groups would let an alert see the previous evaluation's).
      groups: [{ name: `gameday-${source.scenarioId}-slo`, interval: evaluationInterval, rules: [...recording, ...alerting] }],
    },
    alerts,
    timeDilation,
    tickWallMs,
    evaluationInterval,
    scrapeInterval: prometheusDuration(scrapeMs),
  };
}

function ruleAlert(slo: 'availability' | 'latency', tier: BurnRateAlertTier, window: (s: number) => RuleWindow): RuleAlert {
  return {
    id: `${slo}-${tier.name}`,
    slo,
    tier: tier.name,
    severity: tier.severity,
    burnRateThreshold: tier.burnRateThreshold,
    long: window(tier.longWindowSeconds),
    short: window(tier.shortWindowSeconds),
  };
}

function shortName(key: string): string {
  const i = key.lastIndexOf('/');
  return i >= 0 ? key.slice(i + 1) : key;
}
