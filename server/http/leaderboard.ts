/**
 * The ratings leaderboard query of `GET /api/leaderboard` (issue 10; the route is registered in
 * ./api.ts, which keeps the best-score list for requests without these parameters):
 * `?scope=overall|SCENARIO&period=week|season|all&page=1&pageSize=20&me=NAME` ->
 * {@link import('../db/ratings.ts').RatingBoard}. How periods rank is in docs/ratings.md.
 *
 * May import drizzle-orm, zod, server/db, server/scenarios.
 */
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../db/index.ts';
import { OVERALL, ratingLeaderboard, resolvePlayerKey, type RatingBoard } from '../db/ratings.ts';
import { ratings } from '../db/schema.ts';
import { listScenarios } from '../scenarios/index.ts';

/** Largest `pageSize`. */
export const MAX_PAGE_SIZE = 100;
/** `pageSize` when absent. */
export const DEFAULT_PAGE_SIZE = 20;

const wholeNumber = (what: string, min: number, max: number) =>
  z
    .string({ error: `${what} must be a whole number from ${min} to ${max}` })
    .regex(/^\d{1,6}$/, { error: `${what} must be a whole number from ${min} to ${max}` })
    .transform(Number)
    .pipe(z.number().int().min(min, { error: `${what} must be a whole number from ${min} to ${max}` }).max(max, { error: `${what} must be a whole number from ${min} to ${max}` }));

/** The query parameters that select the ratings board (any one of them present). */
export const RATING_BOARD_PARAMS = ['scope', 'period', 'page', 'pageSize', 'me'] as const;

/** `?scope=&period=&page=&pageSize=&me=` (strict: the best-score list's `limit` / `scenario` do not mix in). */
export const RatingBoardQuery = z.strictObject(
  {
    scope: z
      .string()
      .regex(/^[a-zA-Z0-9._-]{1,64}$/, { error: 'scope must be "overall" or a scenario id' })
      .describe('"overall" (default) or a scenario id from /api/scenarios')
      .optional()
      .transform((v) => v ?? OVERALL),
    period: z
      .enum(['week', 'season', 'all'], { error: 'period must be week, season or all' })
      .describe('week: this ISO week (UTC, from Monday); season: this calendar quarter (UTC); all: all time (default)')
      .optional()
      .transform((v) => v ?? 'all'),
    page: wholeNumber('page', 1, 100_000).describe('1-based page (default 1)').optional().transform((v) => v ?? 1),
    pageSize: wholeNumber('pageSize', 1, MAX_PAGE_SIZE).describe(`Rows per page, 1 to ${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE})`).optional().transform((v) => v ?? DEFAULT_PAGE_SIZE),
    me: z
      .string()
      .trim()
      .min(1, { error: 'me must be a player name' })
      .max(38, { error: 'me must be a player name (at most 32 characters, or guest:NAME)' })
      .describe('A player to place on the board even when off this page: a name (the account if registered) or guest:NAME')
      .optional(),
  },
  { error: (issue) => (issue.code === 'unrecognized_keys' ? `unknown parameter(s) ${issue.keys.join(', ')}: the ratings board takes scope, period, page, pageSize and me (limit and scenario belong to the best-score list)` : undefined) },
);
export type RatingBoardQuery = z.output<typeof RatingBoardQuery>;

/** Does this query ask for the ratings board (any of {@link RATING_BOARD_PARAMS})? */
export function wantsRatingBoard(query: unknown): boolean {
  return typeof query === 'object' && query !== null && RATING_BOARD_PARAMS.some((k) => k in query);
}

async function hasScope(db: Database, scope: string): Promise<boolean> {
  const rows = await db.db.select({ scope: ratings.scope }).from(ratings).where(eq(ratings.scope, scope)).limit(1);
  return rows.length > 0;
}

/**
 * The board a valid query asks for.
 * @returns the board, or `{ error }` for a scope that is neither `overall`, a built-in scenario nor a
 *   scope with ratings.
 */
export async function ratingBoard(db: Database, q: RatingBoardQuery): Promise<RatingBoard | { error: string }> {
  if (q.scope !== OVERALL && !listScenarios().some((s) => s.id === q.scope) && !(await hasScope(db, q.scope))) {
    return { error: `invalid query: scope: unknown scope "${q.scope}": expected overall or a scenario id from /api/scenarios` };
  }
  const me = q.me === undefined ? undefined : [await resolvePlayerKey(db, q.me)];
  return ratingLeaderboard(db, { scope: q.scope, period: q.period, page: q.page, pageSize: q.pageSize, ...(me ? { me } : {}) });
}
