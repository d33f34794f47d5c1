/**
 * Canonical state hashing: same scenario + seed + actions must give the same hash on every machine.
 * Keys are sorted (never depend on insertion order), numbers printed by JSON rules, then hashed with
 * 64-bit FNV-1a (two 32-bit halves). Pure, no node:crypto, so the client can check hashes too.
 */

/** Canonical JSON: object keys sorted, `undefined` members dropped, arrays in order. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return '[' + value.map((v) => canonicalJson(v === undefined ? null : v)).join(',') + ']';
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
  return '{' + keys.map((k) => JSON.stringify(k) + ':' + canonicalJson(obj[k])).join(',') + '}';
}

/**
 * The four 16-bit limbs (little-endian: `[0]` lowest) of the last {@link fnvLimbs} call. Scratch
 * beside the module (the callers read it at once, synchronously), so a hash allocates nothing.
 */
const LIMBS = new Uint16Array(4);

/** FNV-1a 64-bit of `text`'s UTF-16 code units into {@link LIMBS}. */
function fnvLimbs(text: string): Uint16Array {
  // 64-bit arithmetic on two 32-bit halves: offset basis 0xcbf29ce484222325, prime 0x100000001b3.
  let h0 = 0x2325, h1 = 0x8422, h2 = 0x9ce4, h3 = 0xcbf2; // 16-bit limbs, little-endian
  for (let i = 0; i < text.length; i++) {
    h0 ^= text.charCodeAt(i);
    // multiply by 0x100000001b3 = 2^40 + 0x1b3
    const t0 = h0 * 0x1b3, t1 = h1 * 0x1b3, t2 = h2 * 0x1b3, t3 = h3 * 0x1b3;
    const n1 = t1 + (t0 >>> 16);
    const n2 = t2 + (n1 >>> 16) + ((h0 << 8) & 0xffff);
    const n3 = t3 + (n2 >>> 16) + ((h1 << 8) & 0xffff) + (h0 >>> 8);
    h0 = t0 & 0xffff;
    h1 = n1 & 0xffff;
    h2 = n2 & 0xffff;
    h3 = n3 & 0xffff;
  }
  LIMBS[0] = h0;
  LIMBS[1] = h1;
  LIMBS[2] = h2;
  LIMBS[3] = h3;
  return LIMBS;
}

/** `00`..`ff`: two lowercase hex digits of each byte. */
const HEX2: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Four lowercase hex digits of a 16-bit limb. */
const hex4 = (n: number): string => HEX2[n >>> 8]! + HEX2[n & 0xff]!;

/** FNV-1a 64-bit of a string's UTF-16 code units, as 16 lowercase hex digits. */
export function fnv1a64(text: string): string {
  const h = fnvLimbs(text);
  return hex4(h[3]!) + hex4(h[2]!) + hex4(h[1]!) + hex4(h[0]!);
}

/**
 * The low 16 bits of {@link fnv1a64} as a number: `parseInt(fnv1a64(text).slice(-4), 16)` without
 * building the hex string (pod addresses: one per Pod).
 */
export function fnv1a64Low16(text: string): number {
  return fnvLimbs(text)[0]!;
}

/** Char codes of `0`..`9a`..`f`. */
const HEX_CODES: readonly number[] = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
/** Char codes of a uid being built (36: 8-4-4-4-12), reused. */
const UID_CODES: number[] = new Array<number>(36).fill(0);

/** Writes the 4 hex digits of limb `n` (or its last 3 when `three`) at `at`; returns the next position. */
function putHex(n: number, at: number, three: boolean): number {
  if (!three) UID_CODES[at++] = HEX_CODES[(n >>> 12) & 15]!;
  UID_CODES[at++] = HEX_CODES[(n >>> 8) & 15]!;
  UID_CODES[at++] = HEX_CODES[(n >>> 4) & 15]!;
  UID_CODES[at++] = HEX_CODES[n & 15]!;
  return at;
}

/**
 * An RFC 4122-shaped uid (8-4-4-4-12 lowercase hex, version digit `4`, variant digit `a`) from two
 * FNV-1a 64-bit hashes: with `h = fnv1a64(a) + fnv1a64(b)` (32 hex digits), it is
 * `h[0,8)-h[8,12)-4h[13,16)-ah[17,20)-h[20,32)`. Built as one flat string from the limbs (no hex
 * strings, slices or concatenations: one per object the sim creates).
 */
export function fnvUid(a: string, b: string): string {
  const x = fnvLimbs(a);
  const x3 = x[3]!, x2 = x[2]!, x1 = x[1]!, x0 = x[0]!;
  const y = fnvLimbs(b);
  let at = putHex(x3, 0, false);
  at = putHex(x2, at, false);
  UID_CODES[at++] = 45; // '-'
  at = putHex(x1, at, false);
  UID_CODES[at++] = 45;
  UID_CODES[at++] = 52; // '4'
  at = putHex(x0, at, true);
  UID_CODES[at++] = 45;
  UID_CODES[at++] = 97; // 'a'
  at = putHex(y[3]!, at, true);
  UID_CODES[at++] = 45;
  at = putHex(y[2]!, at, false);
  at = putHex(y[1]!, at, false);
  putHex(y[0]!, at, false);
  return String.fromCharCode.apply(null, UID_CODES);
}

/** The RFC 4122-shaped uid of the state's uid counter value `n`: h[0,8)-h[8,12)-4h[13,16)-ah[17,20)-h[20,32) of h = fnv1a64(`uid:${n}`) + fnv1a64(`uid2:${n}`) (../apiserver.ts newUid draws `n`). */
export function counterUid(n: number): string {
  return fnvUid(`uid:${n}`, `uid2:${n}`);
}

/** Hash of any JSON-like value via {@link canonicalJson} and {@link fnv1a64}. */
export function hashValue(value: unknown): string {
  return fnv1a64(canonicalJson(value));
}
