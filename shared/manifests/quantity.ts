/**
 * Kubernetes resource quantities (`resource.Quantity`): parsing `"100m"`, `"0.5"`, `"128Mi"`, `"1G"`,
 * `"1e3"` into numbers, and formatting the sim's millicores / MiB back into canonical strings.
 *
 * Grammar and suffixes follow k8s.io/apimachinery/pkg/api/resource/quantity.go (the `Quantity` doc
 * comment and `ParseQuantity`) and suffix.go:
 *
 * ```
 * <quantity>        ::= <signedNumber><suffix>
 * <number>          ::= <digits> | <digits>.<digits> | <digits>. | .<digits>
 * <suffix>          ::= <binarySI> | <decimalExponent> | <decimalSI>
 * <binarySI>        ::= Ki | Mi | Gi | Ti | Pi | Ei                (powers of 1024)
 * <decimalSI>       ::= n | u | m | "" | k | M | G | T | P | E     (powers of 1000)
 * <decimalExponent> ::= "e" <signedNumber> | "E" <signedNumber>
 * ```
 *
 * Surrounding whitespace is trimmed as `Quantity.UnmarshalJSON` does. Values are returned as JS
 * numbers (the sim does not need Kubernetes' fixed-point arithmetic); CPU is rounded up to whole
 * millicores like `Quantity.MilliValue()`.
 *
 * Pure: imports nothing.
 */

/** Thrown for a string that is not a valid Kubernetes quantity; `message` says why and how to fix it. */
export class QuantityError extends Error {
  /** The offending input, as given. */
  readonly input: string;

  constructor(input: string, reason: string) {
    super(`invalid quantity ${JSON.stringify(input)}: ${reason}`);
    this.name = 'QuantityError';
    this.input = input;
  }
}

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

const QUANTITY_RE = /^([+-]?)(\d+\.?\d*|\.\d+)(.*)$/;
const EXPONENT_RE = /^[eE]([+-]?\d+)$/;

const SUFFIX_HELP = 'suffixes are Ki, Mi, Gi, Ti, Pi, Ei (powers of 1024), n, u, m, k, M, G, T, P, E (powers of 1000) or an exponent such as e3';

/** A hint for common mistakes (`128MB`, `1gi`, `500mi`), or ''. */
function suffixHint(suffix: string): string {
  if (suffix === 'K') return ' (did you mean "k" (1000) or "Ki" (1024)?)';
  const noB = suffix.replace(/[bB]$/, '');
  const binary = Object.keys(BINARY).find((s) => s.toLowerCase() === noB.toLowerCase() || s.toLowerCase() === `${noB}i`.toLowerCase());
  return binary ? ` (did you mean "${binary}"?)` : '';
}

/**
 * Parses a Kubernetes quantity into its value in base units (cores, bytes, or a plain count).
 *
 * `parseQuantity("100m") === 0.1`, `parseQuantity("1Ki") === 1024`, `parseQuantity("1e3") === 1000`,
 * `parseQuantity(2) === 2` (numbers come from unquoted YAML values and are taken as they are).
 *
 * @throws {QuantityError} on an empty string, a malformed number, an unknown suffix or a non-finite number.
 * Source: k8s.io/apimachinery/pkg/api/resource/quantity.go `ParseQuantity`.
 */
export function parseQuantity(q: string | number): number {
  if (typeof q === 'number') {
    if (!Number.isFinite(q)) throw new QuantityError(String(q), 'not a finite number');
    return q;
  }
  if (typeof q !== 'string') throw new QuantityError(String(q), 'expected a string such as "100m" or "128Mi"');
  const s = q.trim();
  if (s === '') throw new QuantityError(q, 'empty (write e.g. "100m" for CPU or "128Mi" for memory)');
  const m = QUANTITY_RE.exec(s);
  if (!m) throw new QuantityError(q, `must start with a number; ${SUFFIX_HELP}`);
  const [, sign, digits, suffix] = m as unknown as [string, string, string, string];
  const n = Number(digits) * (sign === '-' ? -1 : 1);
  let factor: number | undefined = BINARY[suffix] ?? DECIMAL[suffix];
  if (factor === undefined) {
    const e = EXPONENT_RE.exec(suffix);
    if (e) factor = 10 ** Number(e[1]);
  }
  if (factor === undefined) {
    throw new QuantityError(q, `unknown suffix ${JSON.stringify(suffix)}${suffixHint(suffix)}; ${SUFFIX_HELP}`);
  }
  const v = n * factor;
  if (!Number.isFinite(v)) throw new QuantityError(q, 'too large');
  return v;
}

/** Rounds away float noise (`0.1 * 1000 = 100.00000000000001`) before ceil/floor decisions. */
function clean(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}

/**
 * CPU quantity -> millicores, rounded up to a whole millicore like `Quantity.MilliValue()`
 * (`"100m"` -> 100, `"0.5"` -> 500, `"2"` -> 2000, `"1e-4"` -> 1).
 * @throws {QuantityError} on invalid or negative input.
 */
export function parseCpuMillicores(q: string | number): number {
  const v = parseQuantity(q);
  if (v < 0) throw new QuantityError(String(q), 'CPU must not be negative');
  return Math.ceil(clean(v * 1000));
}

/**
 * Memory quantity -> MiB (2^20 bytes), not rounded (`"128Mi"` -> 128, `"1Gi"` -> 1024,
 * `"1G"` -> 953.674..., `134217728` -> 128).
 * @throws {QuantityError} on invalid or negative input.
 */
export function parseMemoryMiB(q: string | number): number {
  const v = parseQuantity(q);
  if (v < 0) throw new QuantityError(String(q), 'memory must not be negative');
  return v / 2 ** 20;
}

/**
 * MiB -> canonical binary quantity string with the largest exact suffix: 512 -> `"512Mi"`,
 * 2048 -> `"2Gi"`, 0.5 -> `"512Ki"`, 0 -> `"0"`. Fractions below 1 KiB are rounded up to whole KiB.
 * Mirrors `Quantity.String()` canonical form for BinarySI (quantity.go `CanonicalizeBytes`).
 * @throws {QuantityError} when `mib` is not finite.
 */
export function formatMemoryMiB(mib: number): string {
  if (!Number.isFinite(mib)) throw new QuantityError(String(mib), 'not a finite number');
  if (mib === 0) return '0';
  const sign = mib < 0 ? '-' : '';
  let value = Math.ceil(clean(Math.abs(mib) * 1024)); // KiB
  const units = ['Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];
  let unit = 0;
  while (unit < units.length - 1 && value % 1024 === 0) {
    value /= 1024;
    unit++;
  }
  return `${sign}${value}${units[unit]}`;
}

/**
 * Millicores -> canonical CPU string: whole cores without suffix (2000 -> `"2"`), otherwise
 * millicores (1500 -> `"1500m"`, 100 -> `"100m"`), 0 -> `"0"`. Fractional millicores round up.
 * Source: quantity.go canonical form ("1.5 will be serialized as 1500m").
 * @throws {QuantityError} when `m` is not finite.
 */
export function formatCpu(m: number): string {
  if (!Number.isFinite(m)) throw new QuantityError(String(m), 'not a finite number');
  const milli = Math.sign(m) * Math.ceil(clean(Math.abs(m)));
  if (milli === 0) return '0';
  return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
}
