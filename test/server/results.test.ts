import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { getMatch } from '../../server/db/repository.ts';
import type { Database } from '../../server/db/index.ts';
import { saveWithRetry, toMatchRecord, type TeamResult } from '../../server/rooms/results.ts';
import { openTestDatabase } from './helpers.ts';

/** A pino logger whose JSON lines land in `lines`. */
function capturingLogger(): { log: pino.Logger; lines: { level: number; msg: string }[] } {
  const lines: { level: number; msg: string }[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as { level: number; msg: string });
      done();
    },
  });
  return { log: pino({ level: 'info' }, sink), lines };
}

const result: TeamResult = {
  id: '6f1c1d52-8a55-4c7e-9d0e-2f4f7d8c9b10',
  team: 'blue',
  scenarioId: 'online-boutique',
  settings: { seed: 9, tickSeconds: 1, durationSeconds: 120 },
  timeDilation: 120,
  actions: [{ tick: 3, player: 'ana', action: { type: 'scaleDeployment', deployment: 'frontend', replicas: 4 } }],
  summary: {
    scenarioId: 'online-boutique',
    seed: 9,
    durationSeconds: 120,
    ticks: 120,
    stateHash: '0123456789abcdef',
    slo: { availability: 1, latency: 0.99, errorBudgetRemaining: 1, latencyErrorBudgetRemaining: 0.8 },
    score: 931,
    scoreBreakdown: { total: 931 },
    incidents: [],
    actions: 1,
  },
  startedAt: new Date('2026-11-21T10:00:00Z'),
  endedAt: new Date('2026-11-21T10:01:00Z'),
  players: [{ name: 'ana', actions: 1 }, { name: 'ben', actions: 0 }],
};

let database: Awaited<ReturnType<typeof openTestDatabase>>;
let db: Database;

beforeAll(async () => {
  database = await openTestDatabase();
  db = database.db;
});

afterAll(async () => {
  await database?.dispose();
});

describe('archiving a finished match', () => {
  it('records the replay inputs and gives every player the team score', () => {
    const record = toMatchRecord(result);
    expect(record).toMatchObject({
      id: result.id,
      scenarioId: 'online-boutique',
      seed: 9,
      settings: { tickSeconds: 1, durationSeconds: 120, timeDilation: 120 },
      actions: result.actions,
    });
    expect(record.players).toEqual([
      { name: 'ana', team: 'blue', score: 931, actions: 1 },
      { name: 'ben', team: 'blue', score: 931, actions: 0 },
    ]);
  });

  it('saves to the archive', async () => {
    const { log } = capturingLogger();
    expect(await saveWithRetry(db, toMatchRecord(result), log, 10)).toBe(true);
    expect(await getMatch(db, result.id)).toMatchObject({ id: result.id, seed: 9 });
  });

  it('logs and retries once when the database fails, then gives up without throwing', async () => {
    const { log, lines } = capturingLogger();
    await db.close();
    const saved = await saveWithRetry(db, toMatchRecord({ ...result, id: '0d4c2b1a-0000-4000-8000-000000000001' }), log, 10);
    expect(saved).toBe(false);
    expect(lines.map((l) => [l.level, l.msg])).toEqual([
      [50, 'saving match result failed; retrying once'],
      [50, 'saving match result failed; giving up'],
    ]);
  });
});
