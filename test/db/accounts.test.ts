/**
 * The `accounts` table and player profiles (issue 10) on every available backend (PGlite; Postgres
 * with TEST_DATABASE_URL): one account per lower-cased name, the trainer flag, and a profile built
 * from archived results (recent matches, best score per scenario).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { schema } from '../../server/db/index.ts';
import { createAccount, findAccount, playerProfile, setTrainer } from '../../server/db/accounts.ts';
import { saveMatchResult } from '../../server/db/repository.ts';
import { availableBackends } from './backends.ts';
import { matchRecord, uniqueScenario } from './fixtures.ts';

const backends = availableBackends();
afterAll(async () => {
  for (const b of backends) await b.dispose();
});

describe.each(backends.map((b) => [b.name, b] as const))('accounts on %s', (_name, backend) => {
  it('keeps one account per name whatever its case, and the trainer flag', async () => {
    const database = await backend.open();
    const name = `Acc-${randomUUID().slice(0, 8)}`;
    try {
      const first = await createAccount(database, { username: name, passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$x$y' });
      expect(first).toMatchObject({ ok: true, account: { username: name.toLowerCase(), trainer: false } });
      expect(await createAccount(database, { username: name.toUpperCase(), passwordHash: 'other' })).toEqual({ ok: false });
      expect(await findAccount(database, name.toUpperCase())).toMatchObject({ username: name.toLowerCase() });
      expect(await setTrainer(database, name, true)).toBe(true);
      expect(await findAccount(database, name)).toMatchObject({ trainer: true });
      expect(await setTrainer(database, `missing-${randomUUID().slice(0, 8)}`, true)).toBe(false);
    } finally {
      await database.db.delete(schema.accounts).where(eq(schema.accounts.username, name.toLowerCase()));
      await database.close();
    }
  }, 90_000); // the first open may build the migrated PGlite template: slow on a loaded 2-core machine

  it('builds a profile from archived results: recent matches and best score per scenario', async () => {
    const database = await backend.open();
    try {
      const player = `prof-${randomUUID().slice(0, 8)}`;
      const [a, b] = [uniqueScenario(), uniqueScenario()];
      const players = (score: number) => [{ name: player, team: 'blue', score, actions: 2 }];
      await saveMatchResult(database, matchRecord({ scenarioId: a, score: 300, players: players(300), endedAt: new Date('2026-01-01T10:00:00.000Z') }));
      await saveMatchResult(database, matchRecord({ scenarioId: a, score: 500, players: players(500), endedAt: new Date('2026-01-02T10:00:00.000Z') }));
      await saveMatchResult(database, matchRecord({ scenarioId: b, score: 400, players: players(400), endedAt: new Date('2026-01-03T10:00:00.000Z') }));
      const profile = await playerProfile(database, player.toUpperCase());
      expect(profile.matches.map((m) => [m.scenarioId, m.score])).toEqual([[b, 400], [a, 500], [a, 300]]);
      expect(profile.best).toEqual([
        { scenarioId: a, bestScore: 500, matches: 2 },
        { scenarioId: b, bestScore: 400, matches: 1 },
      ]);
    } finally {
      await database.close();
    }
  });

  it("keeps a guest's matches out of the profile of the account that later took the name", async () => {
    const database = await backend.open();
    try {
      const player = `same-${randomUUID().slice(0, 8)}`;
      const scenario = uniqueScenario();
      await saveMatchResult(database, matchRecord({ scenarioId: scenario, score: 100, players: [{ name: player, team: 'blue', score: 100, actions: 1, kind: 'guest' }], endedAt: new Date('2026-02-01T10:00:00.000Z') }));
      await saveMatchResult(database, matchRecord({ scenarioId: scenario, score: 900, players: [{ name: player, team: 'blue', score: 900, actions: 3, kind: 'account' }], endedAt: new Date('2026-02-02T10:00:00.000Z') }));
      expect((await playerProfile(database, player, 20, 'account')).matches.map((m) => m.score)).toEqual([900]);
      expect((await playerProfile(database, player, 20, 'guest')).best).toEqual([{ scenarioId: scenario, bestScore: 100, matches: 1 }]);
      expect((await playerProfile(database, player)).matches).toHaveLength(2);
    } finally {
      await database.close();
    }
  });
});

