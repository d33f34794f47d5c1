/**
 * Runtime injections in the archive: a record's `injections` round-trip, records and rows of the old
 * shape (before migration 0001_match_injections) read back with `injections: []`, and an archive
 * created by the first migration alone upgrades in place keeping its rows.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { sql } from 'drizzle-orm';
import { fromPglite, MIGRATIONS_FOLDER, openDatabase, type Database } from '../../server/db/index.ts';
import { getMatch, saveMatchResult } from '../../server/db/repository.ts';
import { availableBackends } from './backends.ts';
import { matchRecord, uniqueScenario } from './fixtures.ts';

const backends = availableBackends();
const tmp = mkdtempSync(join(tmpdir(), 'gameday-migrations-'));
afterAll(async () => {
  for (const b of backends) await b.dispose();
  rmSync(tmp, { recursive: true, force: true });
});

/** An old writer's insert: every column of 0000_init, no `injections`. */
async function insertOldRow(database: Database, id: string, scenarioId: string): Promise<void> {
  const r = matchRecord({ id, scenarioId });
  await database.db.execute(sql`
    insert into matches (id, scenario_id, seed, settings, actions, summary, state_hash, score, availability, error_budget_remaining, started_at, ended_at)
    values (${id}, ${scenarioId}, ${r.seed}, ${JSON.stringify(r.settings)}::jsonb, ${JSON.stringify(r.actions)}::jsonb,
      ${JSON.stringify({ ...r.summary, scenarioId })}::jsonb, ${r.summary.stateHash}, 742, 0.99, 0.3, ${r.startedAt.toISOString()}, ${r.endedAt.toISOString()})`);
}

describe.each(backends)('runtime injections in the archive on $name', (backend) => {
  let database: Database;
  beforeEach(async () => {
    database = await backend.open();
  });
  afterEach(async () => {
    await database.close();
  });

  it('round-trips a record with injections, in order, with their specs', async () => {
    const record = matchRecord();
    expect(record.injections).toHaveLength(2);
    await saveMatchResult(database, record);
    const back = await getMatch(database, record.id);
    expect(back?.injections).toEqual(record.injections);
    expect(back).toEqual(record);
  });

  it('reads a record saved without injections, and an old-shape row, as injections: []', async () => {
    const { injections: _dropped, ...old } = matchRecord();
    await saveMatchResult(database, old);
    expect(await getMatch(database, old.id)).toEqual({ ...old, injections: [] });

    const id = randomUUID();
    const scenarioId = uniqueScenario();
    await insertOldRow(database, id, scenarioId);
    const row = await getMatch(database, id);
    expect(row?.injections).toEqual([]);
    expect(row?.actions).toHaveLength(2);
  });

  it('rejects malformed injections on write and reports corrupt ones on read', async () => {
    const record = matchRecord();
    const [first, second] = record.injections;
    await expect(saveMatchResult(database, { ...record, injections: [second!, first!] })).rejects.toThrow(/injections\.1: injections must be in order/);
    await expect(saveMatchResult(database, { ...record, injections: [{ ...first!, logIndex: 3 }] })).rejects.toThrow(/injections\.0\.logIndex: logIndex 3 is past the 2 actions/);
    const badKind = { ...first!, spec: { ...first!.spec, type: 'meteor' } } as unknown as (typeof record.injections)[number];
    await expect(saveMatchResult(database, { ...record, injections: [badKind] })).rejects.toThrow(/injections\.0\.spec\.type/);
    expect(await getMatch(database, record.id)).toBeNull();

    await saveMatchResult(database, record);
    await database.db.execute(sql`update matches set injections = '[{"tick": 1, "player": "alice", "logIndex": 0}]'::jsonb where id = ${record.id}`);
    await expect(getMatch(database, record.id)).rejects.toThrow(/Stored match .* is corrupt: injections\.0\.spec/);
  });
});

/** A migrations folder holding only the first migration: an archive as it was before injections. */
function initOnlyMigrations(): string {
  const dir = join(tmp, `init-only-${randomUUID().slice(0, 8)}`);
  mkdirSync(join(dir, 'meta'), { recursive: true });
  copyFileSync(join(MIGRATIONS_FOLDER, '0000_init.sql'), join(dir, '0000_init.sql'));
  const journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8')) as { entries: { tag: string }[] };
  expect(journal.entries.map((e) => e.tag)).toContain('0001_match_injections');
  writeFileSync(join(dir, 'meta', '_journal.json'), JSON.stringify({ ...journal, entries: journal.entries.filter((e) => e.tag === '0000_init') }));
  return dir;
}

describe('upgrading an archive made before injections were kept', () => {
  it('PGlite: start-up applies 0001_match_injections; old rows read as injections: []', async () => {
    const id = randomUUID();
    const old = await PGlite.create();
    await migratePglite(drizzlePglite({ client: old }), { migrationsFolder: initOnlyMigrations() });
    const cols = await old.query<{ column_name: string }>(`select column_name from information_schema.columns where table_name = 'matches'`);
    expect(cols.rows.map((c) => c.column_name)).not.toContain('injections');
    const r = matchRecord({ id });
    await old.query(
      `insert into matches (id, scenario_id, seed, settings, actions, summary, state_hash, score, availability, error_budget_remaining, started_at, ended_at)
       values ($1, $2, $3, $4, $5, $6, $7, 742, 0.99, 0.3, $8, $9)`,
      [id, r.scenarioId, r.seed, JSON.stringify(r.settings), JSON.stringify(r.actions), JSON.stringify(r.summary), r.summary.stateHash, r.startedAt.toISOString(), r.endedAt.toISOString()],
    );
    const upgraded = await fromPglite(old); // what start-up does: apply the pending migrations
    try {
      const back = await getMatch(upgraded, id);
      const { injections: _none, ...expected } = r;
      expect(back).toMatchObject({ ...expected, players: [] });
      expect(back?.injections).toEqual([]);
    } finally {
      await upgraded.close();
    }
  });

  it.runIf(process.env.TEST_DATABASE_URL)('Postgres: a fresh database migrated to 0000 upgrades at open; old rows read as injections: []', async () => {
    const url = new URL(process.env.TEST_DATABASE_URL!);
    const name = `gameday_upgrade_${randomUUID().slice(0, 8)}`;
    const admin = new pg.Client({ connectionString: url.toString() });
    await admin.connect();
    await admin.query(`create database ${name}`);
    try {
      const target = new URL(url);
      target.pathname = `/${name}`;
      const pool = new pg.Pool({ connectionString: target.toString() });
      pool.on('error', () => undefined); // a client still closing when the database is dropped
      try {
        await migratePg(drizzlePg({ client: pool }), { migrationsFolder: initOnlyMigrations() });
        const id = randomUUID();
        const r = matchRecord({ id });
        await pool.query(
          `insert into matches (id, scenario_id, seed, settings, actions, summary, state_hash, score, availability, error_budget_remaining, started_at, ended_at)
           values ($1, $2, $3, $4, $5, $6, $7, 742, 0.99, 0.3, $8, $9)`,
          [id, r.scenarioId, r.seed, JSON.stringify(r.settings), JSON.stringify(r.actions), JSON.stringify(r.summary), r.summary.stateHash, r.startedAt.toISOString(), r.endedAt.toISOString()],
        );
        const upgraded = await openDatabase({ databaseUrl: target.toString(), dataDir: 'memory://' });
        try {
          expect((await getMatch(upgraded, id))?.injections).toEqual([]);
          const fresh = matchRecord();
          await saveMatchResult(upgraded, fresh);
          expect((await getMatch(upgraded, fresh.id))?.injections).toEqual(fresh.injections);
        } finally {
          await upgraded.close();
        }
      } finally {
        await pool.end();
      }
    } finally {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  });
});
