/** Helpers shared by the scenario tests: fixture files and ScenarioError problems. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { ScenarioError } from '../../shared/scenario/errors.ts';

/** The text of `test/fixtures/<rel>`. */
export function readFixture(rel: string): string {
  return readFileSync(fileURLToPath(new URL(`../fixtures/${rel}`, import.meta.url)), 'utf8');
}

/** Runs `fn`, expects it to throw a {@link ScenarioError}, and returns its problem lines. */
export function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    return (e as ScenarioError).problems;
  }
  throw new Error('expected a ScenarioError');
}
