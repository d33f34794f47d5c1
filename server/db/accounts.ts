/**
 * Registered accounts and player profiles (issue 10), on the `accounts` table and the match archive
 * (`matches`, `match_players`). Usernames are compared lower-case: callers pass any case, rows hold
 * the lower-case form. Password hashes are only stored and read back for verification here; hashing
 * is the HTTP layer's (server/http/authAccounts.ts, argon2id).
 *
 * May import drizzle-orm and ./schema.ts, ./index.ts (types).
 */
import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq, isNull, or, sql } from 'drizzle-orm';
import type { Database } from './index.ts';
import { accounts, matchPlayers, matches } from './schema.ts';

/** One account row as the server uses it (the hash never leaves the server). */
export interface AccountRow {
  id: string;
  /** Lower-case username. */
  username: string;
  /** argon2id PHC string. */
  passwordHash: string;
  trainer: boolean;
  createdAt: Date;
}

/** The lower-case key of a user or player name (`Ann` and `ann` are one name). */
export function nameKey(name: string): string {
  return name.trim().toLowerCase();
}

/**
 * Insert an account. The unique index on `username` decides races (two registrations of one name:
 * exactly one wins).
 * @returns `{ ok: true, account }`, or `{ ok: false }` when the (lower-cased) name is taken.
 * @throws the database error for anything else.
 */
export async function createAccount(
  database: Database,
  input: { username: string; passwordHash: string; trainer?: boolean },
): Promise<{ ok: true; account: AccountRow } | { ok: false }> {
  const rows = await database.db
    .insert(accounts)
    .values({ id: randomUUID(), username: nameKey(input.username), passwordHash: input.passwordHash, trainer: input.trainer ?? false })
    .onConflictDoNothing({ target: accounts.username })
    .returning();
  const row = rows[0];
  return row ? { ok: true, account: row } : { ok: false };
}

/** The account named `username` (any case), or undefined. */
export async function findAccount(database: Database, username: string): Promise<AccountRow | undefined> {
  const rows = await database.db.select().from(accounts).where(eq(accounts.username, nameKey(username))).limit(1);
  return rows[0];
}

/**
 * Set or clear an account's trainer flag.
 * @returns false when no account has that name.
 */
export async function setTrainer(database: Database, username: string, trainer: boolean): Promise<boolean> {
  const rows = await database.db.update(accounts).set({ trainer }).where(eq(accounts.username, nameKey(username))).returning({ id: accounts.id });
  return rows.length > 0;
}

/** One archived match of a player, most recent first in {@link PlayerProfile.matches}. */
export interface ProfileMatch {
  matchId: string;
  scenarioId: string;
  team: string;
  /** The player's score (integer points). */
  score: number;
  /** Actions the player submitted. */
  actions: number;
  /** ISO 8601. */
  endedAt: string;
}

/** Best score of a player in one scenario. */
export interface ProfileBest {
  scenarioId: string;
  bestScore: number;
  matches: number;
}

/** A player's profile from the archive: recent matches and best score per scenario. */
export interface PlayerProfile {
  /** The name as archived (results keep the display name the player joined with). */
  name: string;
  /** Up to `limit` matches, most recent first (ties: match id). */
  matches: ProfileMatch[];
  /** Per scenario, best score first (ties: scenario id). */
  best: ProfileBest[];
}

/**
 * The archived matches of `name` (compared case-insensitively with the archive's player names).
 * @param kind when given, only the matches played as that kind (an account's, or a guest's of the same
 *   name from before the account existed); rows archived before the kind was recorded count for both.
 * @param limit at most this many recent matches (1..100).
 */
export async function playerProfile(database: Database, name: string, limit = 20, kind?: 'account' | 'guest'): Promise<PlayerProfile> {
  const { db } = database;
  const byName = sql`lower(${matchPlayers.playerName}) = ${nameKey(name)}`;
  const who = kind === undefined ? byName : and(byName, or(eq(matchPlayers.kind, kind), isNull(matchPlayers.kind)));
  const recent = await db
    .select({
      matchId: matchPlayers.matchId,
      scenarioId: matches.scenarioId,
      team: matchPlayers.team,
      score: matchPlayers.score,
      actions: matchPlayers.actions,
      endedAt: matches.endedAt,
    })
    .from(matchPlayers)
    .innerJoin(matches, eq(matches.id, matchPlayers.matchId))
    .where(and(who))
    .orderBy(desc(matches.endedAt), asc(matchPlayers.matchId))
    .limit(Math.min(100, Math.max(1, Math.floor(limit))));
  const bestScore = sql<number>`max(${matchPlayers.score})`.mapWith(Number);
  const best = await db
    .select({ scenarioId: matches.scenarioId, bestScore, matches: sql<number>`count(*)`.mapWith(Number) })
    .from(matchPlayers)
    .innerJoin(matches, eq(matches.id, matchPlayers.matchId))
    .where(and(who))
    .groupBy(matches.scenarioId)
    .orderBy(desc(bestScore), asc(matches.scenarioId));
  return {
    name: nameKey(name),
    matches: recent.map((r) => ({ ...r, endedAt: r.endedAt.toISOString() })),
    best,
  };
}
