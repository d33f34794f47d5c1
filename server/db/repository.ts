/**
 * Reads and writes of the match archive (drizzle queries that run unchanged on PGlite and Postgres).
 * Records are validated with zod on the way in and on the way out (jsonb columns are untyped).
 */
import { and, asc, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Database } from './index.ts';
import { matches, matchPlayers } from './schema.ts';
import { saveMatchGroup } from './ratings.ts';
import {
  describeIssues,
  InjectionsSchema,
  LoggedActionSchema,
  MatchRecordSchema,
  MatchSettingsSchema,
  MatchSummarySchema,
  WorkflowRecordSchema,
  type LeaderboardEntry,
  type MatchListItem,
  type MatchRecord,
  type MatchRecordInput,
} from './records.ts';
import { z } from 'zod';

export type { LeaderboardEntry, MatchGroupInput, MatchListItem, MatchRecord, MatchRecordInput } from './records.ts';
export { saveMatchGroup, ratingLeaderboard, ratingProfile, resolvePlayerKey, type RatingBoard, type SaveGroupOutcome } from './ratings.ts';

/** Largest page {@link listMatches} and {@link leaderboard} return. */
export const MAX_LIMIT = 500;

/**
 * Saves a finished match and its players in one transaction: a one-record match group
 * ({@link saveMatchGroup}, group id = the record's id; one team is never rated). Idempotent on `id`: a
 * match already archived under that id is left untouched (results are immutable), so retrying a save
 * is safe. `score` columns hold the scores rounded to integers; the exact figures stay in `summary`. A
 * record without `injections` is saved with none.
 *
 * @throws Error `Invalid match record: <path>: <message>` (e.g. NaN in the summary, a duplicate player
 *   name, an injection out of order or past the actions), or the driver's error.
 */
export async function saveMatchResult(database: Database, r: MatchRecordInput): Promise<void> {
  const parsed = MatchRecordSchema.safeParse(r);
  if (!parsed.success) throw new Error(`Invalid match record: ${describeIssues(parsed.error)}`);
  await saveMatchGroup(database, { matchGroup: r.id, records: [r] });
}

const StoredRow = z.object({
  settings: MatchSettingsSchema,
  actions: z.array(LoggedActionSchema),
  // NOT NULL DEFAULT '[]' in the table; `default` also covers a row read without the column.
  injections: InjectionsSchema,
  summary: MatchSummarySchema,
  // Nullable column: null for rows archived before the workflow was kept.
  workflow: WorkflowRecordSchema.nullable().default(null),
});

/**
 * The match saved under `id` with its players (sorted by name), or null.
 *
 * @throws Error `Stored match ID is corrupt: <path>: <message>` when the jsonb columns don't validate.
 */
export async function getMatch(database: Database, id: string): Promise<MatchRecord | null> {
  const { db } = database;
  const [row] = await db.select().from(matches).where(eq(matches.id, id)).limit(1);
  if (!row) return null;
  const parsed = StoredRow.safeParse(row);
  if (!parsed.success) throw new Error(`Stored match ${id} is corrupt: ${describeIssues(parsed.error)}`);
  const players = await db
    .select()
    .from(matchPlayers)
    .where(eq(matchPlayers.matchId, id))
    .orderBy(asc(matchPlayers.playerName));
  return {
    id: row.id,
    scenarioId: row.scenarioId,
    seed: row.seed,
    settings: parsed.data.settings,
    actions: parsed.data.actions,
    injections: parsed.data.injections,
    summary: parsed.data.summary,
    workflow: parsed.data.workflow,
    startedAt: row.startedAt,
    endedAt: row.endedAt,
    players: players.map((p) => ({ name: p.playerName, team: p.team, score: p.score, actions: p.actions })),
  };
}

/** Options of {@link listMatches} and {@link leaderboard}: page size (1..{@link MAX_LIMIT}) and scenario filter. */
export interface ListOptions {
  limit: number;
  scenarioId?: string;
}

/** The most recently ended matches first (ties by id), optionally of one scenario. */
export async function listMatches(database: Database, opts: ListOptions): Promise<MatchListItem[]> {
  const { db } = database;
  const rows = await db
    .select({
      id: matches.id,
      scenarioId: matches.scenarioId,
      score: matches.score,
      availability: matches.availability,
      errorBudgetRemaining: matches.errorBudgetRemaining,
      endedAt: matches.endedAt,
    })
    .from(matches)
    .where(opts.scenarioId === undefined ? undefined : eq(matches.scenarioId, opts.scenarioId))
    .orderBy(desc(matches.endedAt), asc(matches.id))
    .limit(clampLimit(opts.limit));
  if (rows.length === 0) return [];
  const players = await db
    .select({ matchId: matchPlayers.matchId, name: matchPlayers.playerName })
    .from(matchPlayers)
    .where(inArray(matchPlayers.matchId, rows.map((r) => r.id)))
    .orderBy(asc(matchPlayers.playerName));
  const byMatch = new Map<string, string[]>();
  for (const p of players) {
    const list = byMatch.get(p.matchId) ?? [];
    list.push(p.name);
    byMatch.set(p.matchId, list);
  }
  return rows.map((r) => ({ ...r, endedAt: r.endedAt.toISOString(), players: byMatch.get(r.id) ?? [] }));
}

/**
 * Best score per player (from `match_players.score`), optionally within one scenario. Ordered by best
 * score descending, then by who reached that score first (earliest `ended_at` of a match with it), then
 * by name; `rank` is the 1-based position. `matches` counts the player's matches in scope.
 */
export async function leaderboard(database: Database, opts: ListOptions): Promise<LeaderboardEntry[]> {
  const { db } = database;
  const scope: SQL | undefined = opts.scenarioId === undefined ? undefined : eq(matches.scenarioId, opts.scenarioId);
  const scored = db.$with('scored').as(
    db
      .select({
        player: matchPlayers.playerName,
        score: matchPlayers.score,
        endedAt: matches.endedAt,
        best: sql<number>`max(${matchPlayers.score}) over (partition by ${matchPlayers.playerName})`.as('best'),
      })
      .from(matchPlayers)
      .innerJoin(matches, eq(matches.id, matchPlayers.matchId))
      .where(and(scope)),
  );
  const bestScore = sql<number>`max(${scored.score})`.mapWith(Number);
  const achievedAt = sql`min(${scored.endedAt}) filter (where ${scored.score} = ${scored.best})`;
  const rows = await db
    .with(scored)
    .select({
      player: scored.player,
      bestScore,
      matches: sql<number>`count(*)`.mapWith(Number),
      lastPlayedAt: sql<Date>`max(${scored.endedAt})`.mapWith(matches.endedAt),
    })
    .from(scored)
    .groupBy(scored.player)
    .orderBy(desc(bestScore), asc(achievedAt), asc(scored.player))
    .limit(clampLimit(opts.limit));
  return rows.map((r, i) => ({
    rank: i + 1,
    player: r.player,
    bestScore: r.bestScore,
    matches: r.matches,
    lastPlayedAt: r.lastPlayedAt.toISOString(),
  }));
}

function clampLimit(limit: number): number {
  if (!Number.isFinite(limit)) return MAX_LIMIT;
  return Math.min(MAX_LIMIT, Math.max(1, Math.floor(limit)));
}
