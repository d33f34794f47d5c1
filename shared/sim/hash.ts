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

/** FNV-1a 64-bit of a string's UTF-16 code units, as 16 lowercase hex digits. */
export function fnv1a64(text: string): string {
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
  const hex = (n: number) => n.toString(16).padStart(4, '0');
  return hex(h3) + hex(h2) + hex(h1) + hex(h0);
}

/** Hash of any JSON-like value via {@link canonicalJson} and {@link fnv1a64}. */
export function hashValue(value: unknown): string {
  return fnv1a64(canonicalJson(value));
}
