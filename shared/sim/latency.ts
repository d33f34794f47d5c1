/**
 * Latency distribution maths for the traffic model (shared/sim/traffic.ts).
 *
 * Model: the latency of the successful requests served by one group of identical pods is **lognormal**,
 * fixed by its median (p50) and its 99th percentile (p99): `ln X ~ N(ln p50, sigma)` with
 * `sigma = ln(p99 / p50) / z99` (z99 = 2.3263, the standard normal 99 % quantile). A Service's latency is
 * a weighted **mixture** of such components (one per version/CPU size of its ready pods); its p50/p99 are
 * the mixture's quantiles (bisection on the mixture CDF) and the share of requests slower than an SLO
 * threshold is the mixture's tail `sum(w * P(X > T))`. Downstream calls add their p50 and p99 to each
 * component (a conservative approximation of the sum of the latencies).
 *
 * Pure functions; only Math.exp/log/sqrt (fdlibm in V8, identical on every machine running the sim).
 * May import: nothing.
 */

/** Standard normal 0.99 quantile. */
export const Z99 = 2.3263478740408408;

/** One lognormal component: weight (share of successful requests), median and p99 in ms. */
export interface LatencyComponent {
  weight: number;
  p50Ms: number;
  p99Ms: number;
}

/**
 * Error function, Abramowitz & Stegun 7.1.26 (absolute error < 1.5e-7). Deterministic: only Math.exp.
 */
export function erf(x: number): number {
  const sign = x < 0 ? -1 : 1;
  const ax = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * ax);
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-ax * ax);
  return sign * y;
}

/** Standard normal CDF. */
export function normalCdf(z: number): number {
  return 0.5 * (1 + erf(z / Math.SQRT2));
}

/** P(X <= x) for one lognormal component (x in ms). */
export function componentCdf(c: LatencyComponent, x: number): number {
  if (c.p50Ms <= 0) return 1;
  if (x <= 0) return 0;
  const sigma = Math.log(Math.max(c.p99Ms, c.p50Ms) / c.p50Ms) / Z99;
  if (sigma <= 0) return x >= c.p50Ms ? 1 : 0;
  return normalCdf(Math.log(x / c.p50Ms) / sigma);
}

function totalWeight(components: LatencyComponent[]): number {
  let w = 0;
  for (const c of components) w += c.weight;
  return w;
}

/** Share (0..1) of a mixture's requests slower than `thresholdMs`; 0 for an empty mixture. */
export function tailShare(components: LatencyComponent[], thresholdMs: number): number {
  const total = totalWeight(components);
  if (total <= 0) return 0;
  let slow = 0;
  for (const c of components) slow += c.weight * (1 - componentCdf(c, thresholdMs));
  return Math.min(1, Math.max(0, slow / total));
}

/**
 * The `q` quantile (0 < q < 1) of a mixture, ms. Exact for one component; bisection in log space
 * (60 steps) otherwise. 0 for an empty mixture.
 */
export function mixtureQuantile(components: LatencyComponent[], q: number): number {
  const live = components.filter((c) => c.weight > 0);
  const total = totalWeight(live);
  if (total <= 0) return 0;
  if (live.length === 1) {
    const c = live[0]!;
    if (q === 0.5) return c.p50Ms;
    if (q === 0.99) return c.p99Ms;
  }
  let lo = Infinity;
  let hi = 0;
  for (const c of live) {
    lo = Math.min(lo, c.p50Ms / 100);
    hi = Math.max(hi, c.p99Ms * 100);
  }
  if (!(hi > 0)) return 0;
  lo = Math.max(lo, 1e-6);
  let a = Math.log(lo);
  let b = Math.log(hi);
  for (let i = 0; i < 60; i++) {
    const m = (a + b) / 2;
    const x = Math.exp(m);
    let cdf = 0;
    for (const c of live) cdf += c.weight * componentCdf(c, x);
    if (cdf / total < q) a = m;
    else b = m;
  }
  return Math.exp((a + b) / 2);
}
