/**
 * Number and time formatting for the HUD, the canvas labels and the panels. Pure.
 *
 * Units in: rates in requests/s, fractions 0..1, sim seconds, MiB, millicores, ms.
 * Percentages are written `73 %` (SI style: a space before `%`).
 */

/**
 * Requests/s as a short string: `0 rps`, `4.2 rps`, `120 rps`, `1.5k rps`.
 *
 * @param rps requests per second (negative or non-finite values show as `0 rps`).
 */
export function formatRate(rps: number): string {
  if (!Number.isFinite(rps) || rps <= 0) return '0 rps';
  if (rps < 10) return `${trimZero(rps.toFixed(1))} rps`;
  if (rps < 1000) return `${Math.round(rps)} rps`;
  if (rps < 1_000_000) return `${trimZero((rps / 1000).toFixed(1))}k rps`;
  return `${trimZero((rps / 1_000_000).toFixed(1))}M rps`;
}

/**
 * A fraction as a percentage with enough digits to tell SLO figures apart: `99.95 %`, `100 %`, `0.3 %`.
 *
 * @param fraction 0..1 (values outside are shown as they are, e.g. `-12 %` for an overspent budget).
 * @param digits decimals to show (default: 2 when the value is within 1 % of 100 %, else 1).
 */
export function formatPercent(fraction: number, digits?: number): string {
  if (!Number.isFinite(fraction)) return '– %';
  const pct = fraction * 100;
  const d = digits ?? (pct >= 99 && pct < 100 ? 2 : 1);
  let text = pct.toFixed(d);
  // Never round a figure just under 100 % up to "100": an SLI of 99.999 % is not perfect.
  if (pct < 100 && Number(text) >= 100) text = (100 - 10 ** -d).toFixed(d);
  return `${trimZero(text)} %`;
}

/**
 * Error budget remaining as the HUD text: `error budget 73 % left`, `error budget exhausted`,
 * `error budget overspent by 12 %`.
 *
 * @param remaining fraction of the error budget left (1 = untouched, 0 = exhausted, < 0 = overspent);
 *   computed by the server as 1 - (1 - SLI) / (1 - SLO) (SRE Workbook ch. 2, see
 *   shared/sim/kubernetes-behaviour.md §9).
 */
export function formatBudget(remaining: number): string {
  if (!Number.isFinite(remaining)) return 'error budget –';
  const pct = Math.round(remaining * 100);
  if (pct < 0) return `error budget overspent by ${-pct} %`;
  if (pct === 0) return 'error budget exhausted';
  return `error budget ${Math.min(pct, 100)} % left`;
}

/**
 * The short form of {@link formatBudget} for the header bar: `budget 73 % left`, `budget exhausted`,
 * `budget overspent 12 %`.
 */
export function formatBudgetShort(remaining: number): string {
  return formatBudget(remaining).replace(/^error budget/, 'budget').replace('overspent by', 'overspent');
}

/**
 * Sim seconds as a clock: `0:05`, `12:34`, `1:02:03` (hours only when needed).
 *
 * @param seconds sim seconds (floored; negative values show as `0:00`).
 */
export function formatSimTime(seconds: number): string {
  const s = Number.isFinite(seconds) && seconds > 0 ? Math.floor(seconds) : 0;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/**
 * A duration the way kubectl prints ages (K apimachinery duration.HumanDuration, simplified):
 * `45s`, `3m20s`, `12m`, `2h5m`.
 *
 * @param seconds sim seconds.
 */
export function formatAge(seconds: number): string {
  const s = Number.isFinite(seconds) && seconds > 0 ? Math.floor(seconds) : 0;
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`;
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`;
}

/** Milliseconds: `12 ms`, `1.2 s`. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '– ms';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${trimZero((ms / 1000).toFixed(1))} s`;
}

/** MiB: `300Mi`, `1.5Gi`. */
export function formatMiB(mib: number): string {
  if (!Number.isFinite(mib) || mib <= 0) return '0Mi';
  if (mib < 1024) return `${Math.round(mib)}Mi`;
  return `${trimZero((mib / 1024).toFixed(1))}Gi`;
}

/** Millicores: `250m`, `2 cores` -> `2`. Kubernetes quantity style. */
export function formatMilli(milli: number): string {
  if (!Number.isFinite(milli) || milli <= 0) return '0';
  if (milli < 1000) return `${Math.round(milli)}m`;
  return trimZero((milli / 1000).toFixed(1));
}

/** Burn rate: `0×`, `2.5×`, `14×`. */
export function formatBurnRate(rate: number): string {
  if (!Number.isFinite(rate) || rate <= 0) return '0×';
  return rate < 10 ? `${trimZero(rate.toFixed(1))}×` : `${Math.round(rate)}×`;
}

function trimZero(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}
