import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { maskUrl, openDatabase } from '../../server/db/index.ts';
import { getMatch, saveMatchResult } from '../../server/db/repository.ts';
import { matchRecord } from './fixtures.ts';

const tmp = mkdtempSync(join(tmpdir(), 'gameday-db-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('openDatabase', () => {
  it('keeps data in a file-backed PGlite across close and reopen, creating the directory', async () => {
    const dataDir = join(tmp, 'nested', 'pgdata');
    const record = matchRecord();
    const first = await openDatabase({ dataDir });
    expect(first.kind).toBe('pglite');
    await saveMatchResult(first, record);
    await first.close();

    const second = await openDatabase({ dataDir });
    try {
      expect(await getMatch(second, record.id)).toEqual(record);
    } finally {
      await second.close();
    }
  });

  it('names the unreachable Postgres with its password masked', async () => {
    const url = 'postgres://gameday:hunter2@127.0.0.1:1/gameday';
    const err: unknown = await openDatabase({ databaseUrl: url, dataDir: 'memory://' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/^Database unreachable at postgres:\/\/gameday:\*\*\*@127\.0\.0\.1:1\/gameday: .*ECONNREFUSED/);
    expect((err as Error).message).not.toContain('hunter2');
  });

  it('masks passwords in connection strings', () => {
    expect(maskUrl('postgres://u:p%40ss@db.example:5432/x?sslmode=require')).toBe('postgres://u:***@db.example:5432/x?sslmode=require');
    expect(maskUrl('postgres://u@db/x')).toBe('postgres://u@db/x');
  });
});
