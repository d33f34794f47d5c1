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

/** The smallest valid scenario text (its workloads file `m.yaml` is not read by the schema). */
export const MINIMAL_SCENARIO = `id: tiny
title: Tiny
match: { durationSeconds: 600 }
cluster:
  nodes: { count: 3, zones: [a, b, c], cpu: "2", memory: 4Gi }
workloads: { manifests: m.yaml }
traffic: { rps: 10 }
userFacingService: web
slo: { availability: 0.99, latency: { thresholdMs: 300, target: 0.95 } }
`;
