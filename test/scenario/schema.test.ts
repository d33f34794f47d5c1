import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseScenario } from '../../shared/scenario/parse.ts';
import { ScenarioError } from '../../shared/scenario/errors.ts';
import { MINIMAL_SCENARIO } from './helpers.ts';

const fixture = (name: string) => readFileSync(fileURLToPath(new URL(`../fixtures/scenarios/${name}`, import.meta.url)), 'utf8');

const minimal = MINIMAL_SCENARIO;

function problemsOf(text: string): string[] {
  try {
    parseScenario(text, 'my.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    expect((e as Error).message).toContain('my.yaml');
    return (e as ScenarioError).problems;
  }
  throw new Error('expected the scenario to be rejected');
}

describe('ScenarioSchema via parseScenario', () => {
  it('accepts a minimal scenario and applies defaults', () => {
    const s = parseScenario(minimal);
    expect(s.description).toBe('');
    expect(s.match.timeDilation).toBeUndefined(); // the server's TIME_DILATION applies
    expect(s.images).toEqual({});
    expect(s.incidents).toEqual([]);
  });

  it("accepts an image's startupSeconds (a slow-starting app for startup probes) and refuses a negative one", () => {
    const s = parseScenario(`${minimal}\nimages:\n  "shop/api:1.0": { startupSeconds: 45 }\n`);
    expect(s.images['shop/api:1.0']).toEqual({ startupSeconds: 45 });
    expect(problemsOf(`${minimal}\nimages:\n  "shop/api:1.0": { startupSeconds: -1 }\n`).join('\n')).toMatch(/startupSeconds/);
  });

  it('reads the YAML and JSON fixtures', () => {
    const y = parseScenario(fixture('bookinfo-node-failure.yaml'));
    expect(y.incidents[0]).toMatchObject({ type: 'node-failure', target: 'worker-2', params: { recoverAfter: 300 } });
    const j = parseScenario(fixture('bookinfo-node-failure.json'));
    expect(j.id).toBe('bookinfo-json');
    expect(j.incidents[0]).toMatchObject({ type: 'etcd-quorum-loss', target: 'etcd-0,etcd-2' });
  });

  it('fills incident parameter defaults per type', () => {
    const s = parseScenario(`${minimal}incidents:
  - { id: leak, type: memory-leak, at: 10, target: web }
  - { id: bad, type: bad-rollout, at: 20, target: web }
`);
    expect(s.incidents[0]!.params).toEqual({ growthMiBPerSec: 0.5 });
    expect(s.incidents[1]!.params).toEqual({ errorRate: 0.3 });
  });

  it('rejects unknown keys with their path and line', () => {
    expect(problemsOf(`${minimal}incidnets: []\n`)).toEqual(['(top level): unknown key "incidnets" (line 10)']);
    expect(problemsOf(minimal.replace('traffic: { rps: 10 }', 'traffic: { rps: 10, burst: 3 }'))).toEqual(['traffic: unknown key "burst" (line 7)']);
    expect(problemsOf(`${minimal}incidents:\n  - { id: leak, type: memory-leak, at: 10, target: web, params: { growth: 1 } }\n`)).toEqual([
      'incidents[0].params: unknown key "growth" (line 11)',
    ]);
  });

  it('reports wrong values with their path', () => {
    const problems = problemsOf(
      minimal
        .replace('memory: 4Gi', 'memory: 4GB')
        .replace('availability: 0.99', 'availability: 99')
        .concat('incidents:\n  - { id: x, type: explode, at: 10, target: web }\n'),
    );
    expect(problems).toEqual([
      expect.stringMatching(/^cluster\.nodes\.memory: invalid quantity "4GB".*did you mean "Gi"\?.*\(line 5\)$/),
      'slo.availability: must be less than 1 (e.g. 0.99 for 99 %) (line 9)',
      expect.stringMatching(/^incidents\[0\]\.type: unknown incident type: supported types are memory-leak, etcd-quorum-loss, bad-rollout, node-failure/),
    ]);
  });

  it('requires the top-level sections', () => {
    const problems = problemsOf('id: x\ntitle: X\n');
    for (const key of ['match', 'cluster', 'workloads', 'traffic', 'userFacingService', 'slo']) {
      expect(problems.some((p) => p.startsWith(`${key}:`))).toBe(true);
    }
  });

  it('reports YAML syntax errors with the line', () => {
    expect(problemsOf('id: x\ntitle: [oops\n')).toEqual([expect.stringMatching(/\(line \d+, column \d+\)$/)]);
  });
});
