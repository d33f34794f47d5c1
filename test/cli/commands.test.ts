import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_SCENARIO_ID } from '../../server/scenarios/index.ts';
import { WEB_MANIFEST, gameday, gamedayJson } from './run-cli.ts';

const tmp = mkdtempSync(join(tmpdir(), 'gameday-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('gameday scenarios', () => {
  it('--json prints every scenario with id and title, including the default', () => {
    const list = gamedayJson<{ id: string; title: string }[]>('scenarios', '--json');
    expect(list.length).toBeGreaterThan(0);
    for (const s of list) expect(s).toEqual(expect.objectContaining({ id: expect.any(String), title: expect.any(String) }));
    expect(list.map((s) => s.id)).toContain(DEFAULT_SCENARIO_ID);
  });

  it('prints a readable table without --json', () => {
    const run = gameday('scenarios');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^ID\s+DURATION\s+TITLE/);
    expect(run.stdout).toContain(`${DEFAULT_SCENARIO_ID} *`);
  });
});

describe('gameday incidents', () => {
  it('--json lists every incident kind with its title, symptoms and remediations', () => {
    const list = gamedayJson<{ kind: string; title: string; symptoms: string[]; remediations: { summary: string; command: string }[] }[]>(
      'incidents',
      '--json',
    );
    expect(list.map((e) => e.kind)).toEqual(expect.arrayContaining(['memory-leak', 'bad-rollout', 'node-failure', 'etcd-quorum-loss']));
    for (const entry of list) {
      expect(entry.title).not.toBe('');
      expect(entry.symptoms.length).toBeGreaterThan(0);
      expect(entry.remediations.length).toBeGreaterThan(0);
      for (const r of entry.remediations) expect(r.command).toMatch(/^(kubectl|etcdctl|kubeadm|ssh) /);
    }
  });

  it('prints a table without --json and rejects unknown flags with exit 2', () => {
    const run = gameday('incidents');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^KIND\s+TARGET\s+TITLE/);
    expect(run.stdout).toContain('bad-rollout');
    expect(gameday('incidents', '--yaml').code).toBe(2);
  });
});

describe('gameday validate', () => {
  it('accepts a good manifest file', () => {
    const file = join(tmp, 'good.yaml');
    writeFileSync(file, WEB_MANIFEST);
    const run = gameday('validate', file);
    expect(run.stderr).not.toMatch(/error/);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('valid');
  });

  it('rejects a bad scenario file naming the field', () => {
    const file = join(tmp, 'bad-scenario.yaml');
    writeFileSync(
      file,
      [
        'id: broken',
        'title: Broken',
        'match: { durationSeconds: 600 }',
        'cluster: { nodes: { count: 3, zones: [z-a], cpu: "4", memory: 8Gi } }',
        'workloads: { manifests: missing.yaml }',
        'userFacingService: web',
        'slo: { availability: 1.5, latency: { thresholdMs: 300, target: 0.95 } }',
        'incidents: []',
      ].join('\n'),
    );
    const run = gameday('validate', file);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/slo\.availability/);
  });

  it('fails clearly on a missing file', () => {
    const run = gameday('validate', join(tmp, 'nope.yaml'));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('File not found');
  });
});

describe('gameday usage', () => {
  it('prints usage for --help and help', () => {
    for (const args of [['--help'], ['help'], ['help', 'sim'], ['sim', '--help']]) {
      const run = gameday(...args);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^Usage: gameday/);
    }
  });

  it('exits 2 with usage on an unknown flag or command', () => {
    const flag = gameday('sim', '--sed', '3');
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/--sed/);
    expect(flag.stderr).toMatch(/Usage: gameday sim/);
    const command = gameday('simulate');
    expect(command.code).toBe(2);
    expect(command.stderr).toMatch(/Unknown command "simulate"/);
    expect(gameday().code).toBe(2);
  });

  it('exits 2 on a malformed flag value', () => {
    const run = gameday('sim', '--seed', 'abc');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--seed must be an integer/);
  });
});
