import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { rate, rating } from 'openskill';
import { schema, type Database } from '../../server/db/index.ts';
import { getMatch } from '../../server/db/repository.ts';
import { createAccount } from '../../server/db/accounts.ts';
import {
  DEFAULT_RATING,
  OVERALL,
  periodSpan,
  rateTeams,
  ratingLeaderboard,
  ratingPlan,
  ratingProfile,
  resolvePlayerKey,
  saveMatchGroup,
} from '../../server/db/ratings.ts';
import type { MatchGroupInput } from '../../server/db/records.ts';
import { availableBackends } from './backends.ts';
import { matchRecord, uniqueScenario } from './fixtures.ts';

describe("openskill's documented worked example (README of openskill 5)", () => {
  it('[a1, a2] beat [b1, b2]: a1 28.670 / 8.072, a2 33.831 / 5.063, b1 43.071 / 2.418, b2 23.150 / 6.138', () => {
    const a1 = rating();
    const a2 = rating({ mu: 32.444, sigma: 5.123 });
    const b1 = rating({ mu: 43.381, sigma: 2.421 });
    const b2 = rating({ mu: 25.188, sigma: 6.211 });
    const [[x1, x2], [y1, y2]] = rate([[a1, a2], [b1, b2]]);
    expect(x1.mu).toBeCloseTo(28.67, 2);
    expect(x1.sigma).toBeCloseTo(8.072, 2);
    expect(x2.mu).toBeCloseTo(33.831, 2);
    expect(x2.sigma).toBeCloseTo(5.063, 2);
    expect(y1.mu).toBeCloseTo(43.071, 2);
    expect(y1.sigma).toBeCloseTo(2.418, 2);
    expect(y2.mu).toBeCloseTo(23.15, 2);
    expect(y2.sigma).toBeCloseTo(6.138, 2);
  });

  it('our rateTeams gives the same figures (rank 1 beats rank 2) and defaults a missing player to mu 25, sigma 25/3', () => {
    const current = new Map([
      ['a2', { mu: 32.444, sigma: 5.123 }],
      ['b1', { mu: 43.381, sigma: 2.421 }],
      ['b2', { mu: 25.188, sigma: 6.211 }],
    ]);
    const after = rateTeams([{ team: 'blue', players: ['a1', 'a2'], score: 900, rank: 1 }, { team: 'red', players: ['b1', 'b2'], score: 10, rank: 2 }], current);
    expect(after.get('a1')!.mu).toBeCloseTo(28.67, 2);
    expect(after.get('a1')!.sigma).toBeCloseTo(8.072, 2);
    expect(after.get('b2')!.mu).toBeCloseTo(23.15, 2);
    expect(after.get('b2')!.sigma).toBeCloseTo(6.138, 2);
    expect(DEFAULT_RATING).toEqual({ mu: 25, sigma: 25 / 3 });
  });
});

/** One record per team of a race; `teams` = [team, score, players[]]. */
function race(teams: [string, number, string[]][], over: Partial<MatchGroupInput> & { scenarioId?: string; endedAt?: Date } = {}): MatchGroupInput {
  const scenarioId = over.scenarioId ?? uniqueScenario();
  const matchGroup = over.matchGroup ?? randomUUID();
  const endedAt = over.endedAt ?? new Date('2026-11-21T10:15:00.000Z');
  return {
    matchGroup,
    ...(over.workshopId !== undefined ? { workshopId: over.workshopId } : {}),
    records: teams.map(([team, score, players]) =>
      matchRecord({
        id: `${matchGroup}-${team}`,
        scenarioId,
        score,
        injections: [],
        endedAt,
        players: players.map((name) => ({ name, team, score, actions: 0, kind: name.startsWith('bot-') ? ('bot' as const) : ('guest' as const) })),
      }),
    ),
  };
}

describe('the rating rule (docs/ratings.md)', () => {
  const kindOf = () => 'guest' as const;
  it('rates 2+ teams of people, ranked by score with ties sharing a place', () => {
    const g = race([['blue', 500, ['ann']], ['red', 700, ['bob']], ['green', 500, ['cy']]]);
    const p = ratingPlan({ records: g.records.map((r) => ({ ...r, injections: r.injections ?? [] })) }, kindOf);
    expect(p).toMatchObject({ rated: true, teams: [{ team: 'red', rank: 1 }, { team: 'blue', rank: 2 }, { team: 'green', rank: 2 }] });
    expect(p.rated && p.scopes).toEqual([OVERALL, g.records[0]!.scenarioId]);
  });

  it('does not rate solo or coop practice, bots-only opponents, workshops, red vs blue or runtime injections', () => {
    const norm = (g: MatchGroupInput) => ({ ...g, records: g.records.map((r) => ({ ...r, injections: r.injections ?? [] })) });
    expect(ratingPlan(norm(race([['blue', 500, ['ann', 'bob']]])), kindOf)).toMatchObject({ rated: false, reason: expect.stringMatching(/fewer than 2 teams/) });
    expect(ratingPlan(norm(race([['blue', 500, ['ann']], ['red', 900, ['bot-easy-red']]])), kindOf)).toMatchObject({ rated: false });
    expect(ratingPlan(norm(race([['blue', 500, ['ann']], ['red', 900, ['bob']]], { workshopId: 'w1' })), kindOf)).toMatchObject({ rated: false, reason: expect.stringMatching(/workshop/) });
    const rb = norm(race([['blue', 500, ['ann']], ['red', 900, ['bob']]]));
    rb.records[0]!.settings = { ...rb.records[0]!.settings, mode: 'redblue' };
    expect(ratingPlan(rb, kindOf)).toMatchObject({ rated: false, reason: expect.stringMatching(/red vs blue/) });
    const inj = race([['blue', 500, ['ann']], ['red', 900, ['bob']]]);
    inj.records[0]!.injections = matchRecord().injections;
    expect(ratingPlan(norm(inj), kindOf)).toMatchObject({ rated: false, reason: expect.stringMatching(/injected/) });
    const watched = race([['blue', 500, ['ann']], ['red', 900, ['tess']]]);
    watched.records[1]!.players[0]!.watcher = true;
    expect(ratingPlan(norm(watched), kindOf)).toMatchObject({ rated: false });
  });

  it('periods: the ISO week starts on Monday 00:00 UTC, the season is the calendar quarter', () => {
    // 2026-12-03 is a Thursday.
    expect(periodSpan('week', new Date('2026-12-03T10:00:00Z'))).toEqual({ from: new Date('2026-11-30T00:00:00Z'), to: new Date('2026-12-07T00:00:00Z') });
    expect(periodSpan('week', new Date('2026-11-29T23:59:59Z'))).toEqual({ from: new Date('2026-11-23T00:00:00Z'), to: new Date('2026-11-30T00:00:00Z') });
    expect(periodSpan('season', new Date('2026-12-03T10:00:00Z'))).toEqual({ from: new Date('2026-10-01T00:00:00Z'), to: new Date('2027-01-01T00:00:00Z') });
    expect(periodSpan('all', new Date())).toBeNull();
  });
});

const backends = availableBackends();
afterAll(async () => {
  for (const b of backends) await b.dispose();
});

describe.each(backends)('ratings stored with the results on $name', (backend) => {
  let database: Database;
  const groups: string[] = [];
  beforeEach(async () => {
    database = await backend.open();
  });
  afterEach(async () => {
    // Postgres is shared between runs: this test's rating rows go (matches go with the run's scenarios).
    for (const g of groups.splice(0)) await database.db.delete(schema.ratingEvents).where(eq(schema.ratingEvents.matchGroup, g));
    await database.db.delete(schema.ratings).where(sql`${schema.ratings.player} like ${'guest:rt-%'} or ${schema.ratings.player} like ${'rt-%'}`);
    await database.close();
  });

  /** Unique player names per test, so the shared Postgres tables don't mix runs. */
  const names = (...n: string[]) => n.map((x) => `rt-${randomUUID().slice(0, 6)}-${x}`);

  it('a race: records, ratings and rating events written together; winners go up, losers down', async () => {
    const [ann, amy, bob, ben] = names('ann', 'amy', 'bob', 'ben');
    const g = race([['blue', 900, [ann!, amy!]], ['red', 300, [bob!, ben!]]]);
    groups.push(g.matchGroup);
    const out = await saveMatchGroup(database, g);
    expect(out).toMatchObject({ inserted: 2, ratedNow: true });
    const scenarioId = g.records[0]!.scenarioId;
    const board = await ratingLeaderboard(database, { scope: scenarioId, period: 'all', page: 1, pageSize: 10 });
    expect(board.total).toBe(4);
    expect(board.entries.slice(0, 2).map((e) => e.player).sort()).toEqual([ann, amy].sort());
    expect(board.entries.every((e) => e.kind === 'guest' && e.matches === 1)).toBe(true);
    const top = board.entries[0]!;
    expect(top.ordinal).toBeGreaterThan(board.entries[3]!.ordinal);
    expect(top.mu).toBeGreaterThan(25);
    expect(board.entries[3]!.mu).toBeLessThan(25);
    expect(top.bestScore).toBe(900);
    const row = await database.db.select().from(schema.matches).where(eq(schema.matches.id, g.records[0]!.id));
    expect(row[0]).toMatchObject({ matchGroup: g.matchGroup, rated: true, workshopId: null });
    const events = await database.db.select().from(schema.ratingEvents).where(eq(schema.ratingEvents.matchGroup, g.matchGroup));
    expect(events).toHaveLength(8); // 4 players x (overall + scenario)
  });

  it('saving the same match group twice changes nothing', async () => {
    const [ann, bob] = names('ann', 'bob');
    const g = race([['blue', 900, [ann!]], ['red', 300, [bob!]]]);
    groups.push(g.matchGroup);
    await saveMatchGroup(database, g);
    const snapshot = async () => ({
      ratings: await database.db.select().from(schema.ratings).where(sql`${schema.ratings.player} in (${`guest:${ann}`}, ${`guest:${bob}`})`).orderBy(schema.ratings.player, schema.ratings.scope),
      events: await database.db.select().from(schema.ratingEvents).where(eq(schema.ratingEvents.matchGroup, g.matchGroup)).orderBy(schema.ratingEvents.player, schema.ratingEvents.scope),
      players: await database.db.select().from(schema.matchPlayers).where(sql`${schema.matchPlayers.matchId} like ${`${g.matchGroup}%`}`).orderBy(schema.matchPlayers.playerName),
    });
    const before = await snapshot();
    expect(await saveMatchGroup(database, g)).toMatchObject({ inserted: 0, ratedNow: false });
    expect(await snapshot()).toEqual(before);
    expect(before.ratings.map((r) => r.matches)).toEqual([1, 1, 1, 1]);
  });

  it('concurrent saves: one group twice at once is rated once; two groups sharing a player chain their ratings', async () => {
    const other = await backend.open(); // a second connection (Postgres: a second pool; PGlite: a clone, so only the first is checked)
    try {
      const [ann, bob, cy] = names('ann', 'bob', 'cy');
      const g = race([['blue', 900, [ann!]], ['red', 300, [bob!]]]);
      const h = race([['blue', 100, [ann!]], ['red', 800, [cy!]]], { scenarioId: g.records[0]!.scenarioId });
      groups.push(g.matchGroup, h.matchGroup);
      const twice = await Promise.all([saveMatchGroup(database, g), saveMatchGroup(backend.name === 'postgres' ? other : database, g)]);
      expect(twice.map((o) => o.ratedNow).sort()).toEqual([false, true]);
      expect(twice.map((o) => o.inserted).sort()).toEqual([0, 2]);
      const scope = g.records[0]!.scenarioId;
      const i = race([['blue', 500, [ann!]], ['red', 400, [bob!]]], { scenarioId: scope });
      groups.push(i.matchGroup);
      await Promise.all([saveMatchGroup(database, h), saveMatchGroup(backend.name === 'postgres' ? other : database, i)]);
      const [row] = await database.db.select().from(schema.ratings).where(sql`${schema.ratings.player} = ${`guest:${ann}`} and ${schema.ratings.scope} = ${scope}`);
      expect(row!.matches).toBe(3);
      const events = await database.db.select().from(schema.ratingEvents).where(sql`${schema.ratingEvents.player} = ${`guest:${ann}`} and ${schema.ratingEvents.scope} = ${scope}`);
      // No lost update: each event starts from another's result (or the default), and the last one is the rating.
      const starts = events.map((e) => e.muBefore).sort();
      const ends = events.map((e) => e.mu);
      expect(starts.filter((m) => m === DEFAULT_RATING.mu)).toHaveLength(1);
      expect(starts.filter((m) => m !== DEFAULT_RATING.mu).every((m) => ends.includes(m))).toBe(true);
      expect(ends).toContain(row!.mu);
    } finally {
      await other.close();
    }
  });

  it('a failing write leaves nothing behind (one transaction)', async () => {
    const [ann, bob] = names('ann', 'bob');
    const g = race([['blue', 900, [ann!]], ['red', 300, [bob!]]]);
    groups.push(g.matchGroup);
    // Invalid input is rejected before anything is written.
    const bad = { ...g, records: [g.records[0]!, { ...g.records[1]!, players: [...g.records[1]!.players, { ...g.records[1]!.players[0]! }] }] };
    await expect(saveMatchGroup(database, bad)).rejects.toThrow(/Invalid match group: .*duplicate player name/);
    // A driver error mid-transaction, after blue's record is written: PostgreSQL text cannot hold NUL.
    const broken = structuredClone(g);
    broken.records[1]!.players[0]!.name = `${bob}\u0000`;
    await expect(saveMatchGroup(database, broken)).rejects.toThrow();
    expect(await getMatch(database, g.records[0]!.id)).toBeNull();
    expect(await database.db.select().from(schema.ratings).where(eq(schema.ratings.player, `guest:${ann}`))).toEqual([]);
  });

  it('guests and accounts never share a row: a forged "champ" guest stays apart from the account', async () => {
    const [base] = names('champ');
    const champ = base!.toLowerCase();
    expect(await createAccount(database, { username: champ, passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA' })).toMatchObject({ ok: true });
    const [rival] = names('rival');
    // The account holder wins a race (kind from the room), then a guest calling itself "champ" in
    // another case wins another.
    const real = race([['blue', 900, [champ]], ['red', 100, [rival!]]]);
    real.records[0]!.players[0]!.kind = 'account';
    groups.push(real.matchGroup);
    await saveMatchGroup(database, real);
    const forged = race([['blue', 950, [base!.toUpperCase()]], ['red', 100, [rival!]]], { scenarioId: real.records[0]!.scenarioId });
    groups.push(forged.matchGroup);
    await saveMatchGroup(database, forged);
    const board = await ratingLeaderboard(database, { scope: real.records[0]!.scenarioId, period: 'all', page: 1, pageSize: 10 });
    const rows = board.entries.filter((e) => e.player.toLowerCase() === champ);
    expect(rows.map((e) => [e.kind, e.matches]).sort()).toEqual([['account', 1], ['guest', 1]]);
    expect(await resolvePlayerKey(database, champ.toUpperCase())).toBe(champ);
    expect(await resolvePlayerKey(database, rival!)).toBe(`guest:${rival}`);
    // A player the room did not classify: an account only if it existed when the match started.
    const unknown = race([['blue', 10, [champ]], ['red', 900, [rival!]]], { scenarioId: real.records[0]!.scenarioId });
    delete unknown.records[0]!.players[0]!.kind;
    unknown.records.forEach((r) => (r.startedAt = new Date('2000-01-01T00:00:00Z')));
    groups.push(unknown.matchGroup);
    await saveMatchGroup(database, unknown);
    const profile = await ratingProfile(database, `guest:${champ}`);
    expect(profile.ratings.map((r) => r.matches)).toEqual([1, 1]);
    await database.db.delete(schema.accounts).where(eq(schema.accounts.username, champ));
  });

  it('leaderboards: pages, my position off the page, this week vs all time; profile history', async () => {
    const scenarioId = uniqueScenario();
    const [a, b, c, d] = names('a', 'b', 'c', 'd');
    const lastWeek = new Date('2026-11-24T12:00:00Z');
    const thisWeek = new Date('2026-12-01T12:00:00Z');
    const g1 = race([['blue', 900, [a!]], ['red', 500, [b!]], ['green', 100, [c!]], ['gold', 50, [d!]]], { scenarioId, endedAt: lastWeek });
    const g2 = race([['blue', 100, [a!]], ['red', 900, [d!]]], { scenarioId, endedAt: thisWeek });
    groups.push(g1.matchGroup, g2.matchGroup);
    await saveMatchGroup(database, g1);
    await saveMatchGroup(database, g2);
    const now = new Date('2026-12-03T10:00:00Z');
    const all = await ratingLeaderboard(database, { scope: scenarioId, period: 'all', page: 1, pageSize: 2, me: [`guest:${c}`], now });
    expect(all.total).toBe(4);
    expect(all.entries.map((e) => e.rank)).toEqual([1, 2]);
    expect(all.me).toMatchObject({ player: c, kind: 'guest' });
    expect(all.me!.rank).toBeGreaterThan(2);
    const page2 = await ratingLeaderboard(database, { scope: scenarioId, period: 'all', page: 2, pageSize: 2, now });
    expect(page2.entries.map((e) => e.rank)).toEqual([3, 4]);
    expect(new Set([...all.entries, ...page2.entries].map((e) => e.player))).toEqual(new Set([a, b, c, d]));

    const week = await ratingLeaderboard(database, { scope: scenarioId, period: 'week', page: 1, pageSize: 10, me: [`guest:${b}`], now });
    expect(week.from).toBe('2026-11-30T00:00:00.000Z');
    expect(week.entries.map((e) => e.player)).toEqual([d, a]);
    expect(week.entries[0]).toMatchObject({ matches: 1, bestScore: 900 });
    expect(week.entries[0]!.change).toBeGreaterThan(0);
    expect(week.entries[1]!.change).toBeLessThan(0);
    expect(week.me).toBeNull();

    const overall = await ratingLeaderboard(database, { scope: OVERALL, period: 'all', page: 1, pageSize: 100, me: [`guest:${a}`], now });
    expect(overall.me).toMatchObject({ player: a, matches: 2, bestScore: 900 });

    const profile = await ratingProfile(database, `guest:${a}`);
    expect(profile.kind).toBe('guest');
    expect(profile.ratings.map((r) => r.scope)).toEqual([OVERALL, scenarioId]);
    expect(profile.ratings[1]).toMatchObject({ matches: 2 });
    const points = profile.history.filter((p) => p.scope === scenarioId);
    expect(points.map((p) => [p.matchGroup, p.place])).toEqual([[g1.matchGroup, 1], [g2.matchGroup, 2]]);
    expect(points[0]!.ordinal).toBeGreaterThan(points[0]!.ordinalBefore);
    expect(points[1]!.ordinal).toBeLessThan(points[1]!.ordinalBefore);
  });
});
