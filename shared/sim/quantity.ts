/**
 * Kubernetes resource quantities (`"250m"`, `"0.5"`, `"128Mi"`, `"1Gi"`, `"1e9"`) parsed to the sim's
 * units: CPU in **millicores**, memory in **MiB**. Source: k8s.io/apimachinery pkg/api/resource/quantity.go
 * (binary suffixes Ki Mi Gi Ti Pi Ei, decimal suffixes m k M G T P E, optional exponent).
 */

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

/**
 * Parses a quantity to its base value (cores for CPU, bytes for memory).
 * Throws Error on malformed input (e.g. `"12Zi"`, `""`).
 */
export function parseQuantity(q: string | number): number {
  if (typeof q === 'number') return q;
  const m = /^\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\s*([a-zA-Z]{0,2})\s*$/.exec(q);
  if (!m) throw new Error(`quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$': "${q}"`);
  const n = Number(m[1]);
  const suffix = m[2] ?? '';
  const mult = BINARY[suffix] ?? DECIMAL[suffix];
  if (mult === undefined) throw new Error(`unknown quantity suffix "${suffix}" in "${q}"`);
  return n * mult;
}

/** CPU quantity to millicores, rounded up like the API server (1 m minimum precision). 0 for undefined. */
export function cpuToMilli(q: string | number | undefined): number {
  if (q === undefined || q === '') return 0;
  return Math.ceil(parseQuantity(q) * 1000 - 1e-9);
}

/** Memory quantity to MiB (may be fractional, e.g. `"1G"` = 953.67 MiB). 0 for undefined. */
export function memToMiB(q: string | number | undefined): number {
  if (q === undefined || q === '') return 0;
  return parseQuantity(q) / 2 ** 20;
}
