/**
 * The lint rule against plain objects used as maps (eslint.config.js PLAIN_OBJECT_MAPS): what it
 * catches in shared/ and server/, and what it lets through, with the project's own ESLint config.
 */
import { describe, it, expect } from 'vitest';
import { ESLint } from 'eslint';

const eslint = new ESLint();

async function messages(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-syntax').map((m) => m.message);
}

describe('lint: no plain object keyed by untrusted strings', () => {
  it.each([
    ['shared/sim/x.ts', 'export const byName: Record<string, number> = {};'],
    ['shared/kubectl/x.ts', 'export function f(s: { m?: Record<string, number> }) { return (s.m ??= {}); }'],
    ['server/http/x.ts', 'export const m = {} as Record<string, string>;'],
    ['server/rooms/x.ts', 'export function g(h: Record<string, string> = {}) { return h; }'],
    ['shared/game/x.ts', 'export const o = new Object();'],
  ])('flags %s: %s', async (file, code) => {
    expect(await messages(code, file)).toEqual([expect.stringContaining('use `new Map()` or `Object.create(null)`')]);
  });

  it('lets Map, null-prototype records and non-empty literals through', async () => {
    const code = [
      'export const a = new Map<string, number>();',
      'export const b: Record<string, number> = Object.create(null);',
      "export const c: Record<string, number> = { one: 1 };",
    ].join('\n');
    expect(await messages(code, 'shared/sim/y.ts')).toEqual([]);
    expect(await messages(code, 'server/y.ts')).toEqual([]);
  });
});
