/**
 * Seeded PRNG kept inside the sim state (boardgame.io's approach: randomness is state, so moves stay pure).
 * Algorithm: sfc32 (Chris Doty-Humphrey's Small Fast Counting generator, PractRand-clean), seeded via
 * splitmix32. Never use Math.random in the sim.
 */
import type { RngState } from './types.ts';

function splitmix32(x: number): [number, number] {
  x = (x + 0x9e3779b9) | 0;
  let z = x;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return [x, (z ^ (z >>> 16)) >>> 0];
}

/** Creates a PRNG state from an integer seed (any 32-bit integer; larger values are truncated). */
export function seedRng(seed: number): RngState {
  let s = seed | 0;
  const words: number[] = [];
  for (let i = 0; i < 4; i++) {
    const [next, out] = splitmix32(s);
    s = next;
    words.push(out);
  }
  const rng: RngState = { a: words[0]!, b: words[1]!, c: words[2]!, d: words[3]! };
  for (let i = 0; i < 12; i++) nextUint32(rng);
  return rng;
}

/** Advances the generator; returns a uint32. Mutates `rng`. */
export function nextUint32(rng: RngState): number {
  const t = (((rng.a + rng.b) | 0) + rng.d) | 0;
  rng.d = (rng.d + 1) | 0;
  rng.a = rng.b ^ (rng.b >>> 9);
  rng.b = (rng.c + (rng.c << 3)) | 0;
  rng.c = (rng.c << 21) | (rng.c >>> 11);
  rng.c = (rng.c + t) | 0;
  return t >>> 0;
}

/** Uniform float in [0, 1). Mutates `rng`. */
export function nextFloat(rng: RngState): number {
  return nextUint32(rng) / 4294967296;
}

/** Uniform integer in [0, n). Throws RangeError when n < 1. Mutates `rng`. */
export function nextInt(rng: RngState, n: number): number {
  if (!(n >= 1)) throw new RangeError(`nextInt needs n >= 1, got ${n}`);
  return Math.floor(nextFloat(rng) * n);
}

/**
 * Stochastic rounding: returns floor(x) or floor(x)+1 with probability frac(x), so sums of many
 * rounded values keep their expectation (used to turn expected request counts into integers).
 */
export function roundStochastic(rng: RngState, x: number): number {
  const f = Math.floor(x);
  return nextFloat(rng) < x - f ? f + 1 : f;
}
