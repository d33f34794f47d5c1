import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { Database } from '../../server/db/index.ts';
import { getMatch, leaderboard, listMatches, saveMatchResult } from '../../server/db/repository.ts';
import { availableBackends } from './backends.ts';
import { matchRecord, uniqueScenario } from './fixtures.ts';

const backends = availableBackends();
afterAll(async () => {
  for (const b of backends) await b.dispose();
});

describe.each(backends)('match archive on $name', (backend) => {
  let database: Database;
  beforeEach(async () => {
    database = await backend.open();
  });
  afterEach(async () => {
    await database.close();
  });

  it('reads a saved match back unchanged', async () => {
    const record = matchRecord();
    await saveMatchResult(database, record);
    expect(await getMatch(database, record.id)).toEqual(record);
    expect(await getMatch(database, 'no-such-match')).toBeNull();
  });

  it('saving the same match twice keeps one copy', async () => {
    const record = matchRecord();
    await saveMatchResult(database, record);
    await saveMatchResult(database, record);
    const list = await listMatches(database, { limit: 10, scenarioId: record.scenarioId });
    expect(list.map((m) => m.id)).toEqual([record.id]);
    expect((await getMatch(database, record.id))?.players).toHaveLength(2);
  });

  it('rejects an invalid record without writing anything', async () => {
    const record = matchRecord({ players: [
      { name: 'alice', team: 'blue', score: 1, actions: 0 },
      { name: 'alice', team: 'red', score: 2, actions: 0 },
    ] });
    await expect(saveMatchResult(database, record)).rejects.toThrow(/players\.1\.name: duplicate player name "alice"/);
    const nan = matchRecord();
    nan.summary.slo.availability = Number.NaN;
    await expect(saveMatchResult(database, nan)).rejects.toThrow(/summary\.slo\.availability/);
    expect(await getMatch(database, record.id)).toBeNull();
  });

  it('reports a corrupt jsonb column instead of returning it', async () => {
    const record = matchRecord();
    await saveMatchResult(database, record);
    await database.db.execute(sql`update matches set actions = '[{"tick": 1}]'::jsonb where id = ${record.id}`);
    await expect(getMatch(database, record.id)).rejects.toThrow(/Stored match .* is corrupt: actions\.0\.player/);
  });

  it('lists matches newest first with their players', async () => {
    const scenarioId = uniqueScenario();
    const older = matchRecord({ scenarioId, endedAt: new Date('2026-11-20T09:00:00Z') });
    const newer = matchRecord({
      scenarioId,
      endedAt: new Date('2026-11-21T09:00:00Z'),
      players: [{ name: 'zoe', team: 'red', score: 10, actions: 3 }, { name: 'carol', team: 'red', score: 10, actions: 0 }],
    });
    await saveMatchResult(database, older);
    await saveMatchResult(database, newer);
    await saveMatchResult(database, matchRecord()); // another scenario: filtered out
    const list = await listMatches(database, { limit: 10, scenarioId });
    expect(list).toEqual([
      {
        id: newer.id,
        scenarioId,
        score: 742,
        availability: 0.9931,
        errorBudgetRemaining: 0.31,
        endedAt: '2026-11-21T09:00:00.000Z',
        players: ['carol', 'zoe'],
      },
      expect.objectContaining({ id: older.id, endedAt: '2026-11-20T09:00:00.000Z', players: ['alice', 'bob'] }),
    ]);
    expect(await listMatches(database, { limit: 1, scenarioId })).toHaveLength(1);
  });

  it('ranks players by best score, counts their matches, breaks ties by who got there first', async () => {
    const scenarioId = uniqueScenario();
    const at = (day: number) => new Date(Date.UTC(2026, 10, day, 12));
    const play = (day: number, players: [string, number][]) =>
      saveMatchResult(
        database,
        matchRecord({ scenarioId, endedAt: at(day), startedAt: at(day), players: players.map(([name, score]) => ({ name, team: 'blue', score, actions: 1 })) }),
      );
    await play(1, [['alice', 500], ['bob', 900]]);
    await play(2, [['alice', 950], ['carol', 900]]);
    await play(3, [['alice', 100], ['dave', 900]]);
    await saveMatchResult(database, matchRecord({ players: [{ name: 'erin', team: 'blue', score: 5000, actions: 0 }] }));

    const board = await leaderboard(database, { limit: 10, scenarioId });
    expect(board).toEqual([
      { rank: 1, player: 'alice', bestScore: 950, matches: 3, lastPlayedAt: at(3).toISOString() },
      // bob, carol and dave all reached 900: bob first (day 1), then carol (day 2), then dave (day 3).
      { rank: 2, player: 'bob', bestScore: 900, matches: 1, lastPlayedAt: at(1).toISOString() },
      { rank: 3, player: 'carol', bestScore: 900, matches: 1, lastPlayedAt: at(2).toISOString() },
      { rank: 4, player: 'dave', bestScore: 900, matches: 1, lastPlayedAt: at(3).toISOString() },
    ]);
    expect(await leaderboard(database, { limit: 2, scenarioId })).toHaveLength(2);
    const all = await leaderboard(database, { limit: 500 });
    expect(all.find((e) => e.player === 'erin')?.bestScore).toBe(5000);
  });

  it('re-running migrations is a no-op and keeps the data', async () => {
    const record = matchRecord();
    await saveMatchResult(database, record);
    const count = async () => {
      const [row] = await database.db.select({ n: sql<number>`count(*)::int` }).from(sql`drizzle.__drizzle_migrations`);
      return row?.n;
    };
    const before = await count();
    expect(before).toBeGreaterThanOrEqual(1);
    await database.migrate();
    await database.migrate();
    expect(await count()).toBe(before);
    expect(await getMatch(database, record.id)).toEqual(record);
  });

  it('answers a ping', async () => {
    await expect(database.ping()).resolves.toBeUndefined();
  });
});
