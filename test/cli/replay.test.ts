/**
 * `gameday replay FILE.json|MATCH_ID`: a stored match re-simulates to the live match's state hash
 * (exit 0), a tampered one does not (exit 1). The stored match is what the archive keeps of a headless
 * match with player actions; the MATCH_ID case reads it back from a file-backed PGlite archive.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/db/index.ts';
import { saveMatchResult } from '../../server/db/repository.ts';
import type { MatchRecordInput } from '../../server/db/records.ts';
import { runHeadless } from '../../server/cli/headless.ts';
import { resolveSimInput } from '../../server/scenarios/index.ts';
import { teamSummary } from '../../shared/game/index.ts';
import { CLI, gameday } from './run-cli.ts';

const tmp = mkdtempSync(join(tmpdir(), 'gameday-replay-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let record: MatchRecordInput;

beforeAll(() => {
  const { input } = resolveSimInput({ scenario: 'online-boutique', seed: 5, durationSeconds: 300 });
  const run = runHeadless(input, [
    { t: 40, where: 'test', player: 'ana', action: { type: 'scaleDeployment', deployment: 'frontend', replicas: 5 } },
    { t: 90, where: 'test', player: 'ben', action: { type: 'rolloutRestart', deployment: 'cartservice' } },
  ]);
  expect(run.log).toHaveLength(2);
  const summary = teamSummary(run.match, 'blue');
  record = {
    id: 'd7b0c6de-3c38-4b7e-8a52-0b9c0f0f7a11',
    scenarioId: 'online-boutique',
    seed: 5,
    settings: { tickSeconds: input.settings.tickSeconds, durationSeconds: 300, timeDilation: 4 },
    actions: run.log,
    injections: [],
    summary,
    startedAt: new Date('2026-12-01T10:00:00Z'),
    endedAt: new Date('2026-12-01T10:01:15Z'),
    players: [
      { name: 'ana', team: 'blue', score: summary.score, actions: 1 },
      { name: 'ben', team: 'blue', score: summary.score, actions: 1 },
    ],
  };
});

describe('gameday replay', () => {
  it('re-simulates a match saved as the JSON of GET /api/matches/:id to its stored hash', () => {
    const file = join(tmp, 'match.json');
    writeFileSync(file, JSON.stringify(record));
    const run = gameday('replay', file, '--json');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      matchId: record.id,
      team: 'blue',
      ticks: 300 / record.settings.tickSeconds,
      stateHash: record.summary.stateHash,
      storedStateHash: record.summary.stateHash,
      matches: true,
      score: record.summary.score,
    });
    expect(gameday('replay', file).stdout).toContain('replay matches the live match');
  });

  it('exits 1 and says so when the log no longer leads to the stored hash', () => {
    const file = join(tmp, 'tampered.json');
    writeFileSync(file, JSON.stringify({ ...record, actions: record.actions.slice(1) }));
    const run = gameday('replay', file);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('REPLAY DIFFERS');
  });

  it('names the field when the file is not a stored match, and exits 2 without an argument', () => {
    const file = join(tmp, 'not-a-match.json');
    writeFileSync(file, JSON.stringify({ id: 'x', seed: -1 }));
    const run = gameday('replay', file);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/not a stored match.*seed/);
    expect(gameday('replay').code).toBe(2);
    expect(gameday('replay', join(tmp, 'missing.json')).stderr).toContain('no such file');
  });

  it('reads MATCH_ID from the archive (embedded PGlite in DATA_DIR)', async () => {
    const dataDir = join(tmp, 'data');
    const database = await openDatabase({ dataDir: join(dataDir, 'pglite') });
    await saveMatchResult(database, record);
    await database.close();
    const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '' };
    const run = spawnSync(process.execPath, [CLI, 'replay', record.id, '--json'], { encoding: 'utf8', env, timeout: 60_000 });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ matchId: record.id, matches: true });
    const missing = spawnSync(process.execPath, [CLI, 'replay', 'no-such-match'], { encoding: 'utf8', env, timeout: 60_000 });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('match no-such-match not found');
  }, 150_000); // two CLI processes each opening PGlite: ~10 s on an idle 2-core machine, far more under load
});
