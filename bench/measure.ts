/**
 * Measurement helpers for the benchmarks: CPU time (user + system, all threads of the process, from
 * `process.cpuUsage`), percentiles, rounding, a forced garbage collection and progress notes on stderr.
 *
 * May import node:* only.
 */
import v8 from 'node:v8';
import vm from 'node:vm';

/** Named figures of one section: numbers (ms are CPU ms unless the name says `Wall`), strings, flags. */
export type Figures = Record<string, number | string | boolean>;

/** CPU time (user + system, microsecond resolution) since `from`, in ms. */
export function cpuMs(from: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(from);
  return (u.user + u.system) / 1000;
}

/** Wall milliseconds since `from` (a `process.hrtime.bigint()` reading). */
export function wallMs(from: bigint): number {
  return Number(process.hrtime.bigint() - from) / 1e6;
}

/** The `p` quantile (0..1, nearest rank from below) of an ascending list, 0 when empty. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

/** Arithmetic mean, 0 when empty. */
export function mean(xs: readonly number[]): number {
  return xs.length === 0 ? 0 : xs.reduce((s, x) => s + x, 0) / xs.length;
}

/** Median (upper middle for an even count), 0 when empty. */
export function median(xs: readonly number[]): number {
  return percentile([...xs].sort((a, b) => a - b), 0.5);
}

/** `x` rounded to `digits` decimals. */
export function round(x: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** Ascending copy. */
export function sorted(xs: readonly number[]): number[] {
  return [...xs].sort((a, b) => a - b);
}

let gcFn: (() => void) | undefined;

/**
 * Full garbage collection: `global.gc` when node runs with `--expose-gc`, else the same function
 * obtained at run time (`v8.setFlagsFromString('--expose-gc')` then `gc` from a fresh vm context), so
 * `npm run bench` needs no node flag. Returns false if neither works (heap figures are then noisier).
 */
export function collectGarbage(): boolean {
  if (gcFn === undefined) {
    const global = globalThis as { gc?: () => void };
    if (typeof global.gc === 'function') gcFn = global.gc;
    else {
      try {
        v8.setFlagsFromString('--expose-gc');
        gcFn = vm.runInNewContext('gc') as () => void;
      } catch {
        gcFn = () => undefined;
        return false;
      }
    }
  }
  gcFn();
  gcFn();
  return true;
}

/** Heap used after a full collection, bytes. */
export function heapUsedAfterGc(): number {
  collectGarbage();
  return process.memoryUsage().heapUsed;
}

/** A progress line on stderr (stdout carries only the figures). */
export function note(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}
