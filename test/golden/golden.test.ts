/**
 * Golden tests: each case of cases.ts is played and rendered (harness.ts) and compared with its file
 * `test/golden/cases/<name>.txt`. A mismatch fails with a line diff of the text; when the change is
 * intended, rewrite the files with `UPDATE_GOLDEN=1 npx vitest run test/golden` and review the diff in git.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { GOLDEN_CASES } from './cases.ts';
import { renderCase } from './harness.ts';

const DIR = fileURLToPath(new URL('./cases/', import.meta.url));
const UPDATE = process.env['UPDATE_GOLDEN'] === '1';
const pathOf = (name: string) => `${DIR}${name}.txt`;

/** Names the first block (the `#` header or a `=== tick N` snapshot) where two golden texts differ. */
function firstDifference(expected: string, actual: string): string {
  const a = expected.split('\n\n');
  const b = actual.split('\n\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) return (b[i] ?? a[i] ?? '').split('\n')[0]!.replace(/^# golden case .*/, 'the header');
  }
  return 'the whole text';
}

describe('golden cases (what a player sees at chosen ticks)', () => {
  it.each(GOLDEN_CASES.map((c) => [c.name, c] as const))('%s matches its golden file', (_name, c) => {
    const actual = renderCase(c);
    const file = pathOf(c.name);
    if (UPDATE) {
      mkdirSync(DIR, { recursive: true });
      writeFileSync(file, actual);
      return;
    }
    if (!existsSync(file)) throw new Error(`${file} is missing: create it with UPDATE_GOLDEN=1 npx vitest run test/golden`);
    const expected = readFileSync(file, 'utf8');
    if (actual === expected) return;
    expect(actual, `golden file cases/${c.name}.txt differs, first in ${firstDifference(expected, actual)} (- expected = file, + received = now). If intended: UPDATE_GOLDEN=1 npx vitest run test/golden`).toBe(expected);
  });

  it('rendering is deterministic (the same case twice gives the same text)', () => {
    const c = GOLDEN_CASES.find((x) => x.name === 'guestbook-rollback')!;
    expect(renderCase(c)).toBe(renderCase(c));
  });

  it('has no stale golden files (each file belongs to a case)', () => {
    if (!existsSync(DIR)) return;
    const names = new Set(GOLDEN_CASES.map((c) => `${c.name}.txt`));
    expect(readdirSync(DIR).filter((f) => !names.has(f)).sort()).toEqual([]);
  });
});
