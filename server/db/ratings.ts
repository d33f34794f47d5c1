/**
 * Ratings (issue 10): Weng-Lin Bayesian ratings (the `openskill` package, its default Plackett-Luce
 * model; Weng & Lin, "A Bayesian Approximation Method for Online Ranking", JMLR 12, 2011) kept per
 * player and scope (`overall` and each scenario id), updated in the same transaction that archives a
 * match's records, and read back as leaderboards and profiles. The rule for what is rated, how players
 * are identified and how periods are ranked is in docs/ratings.md; {@link ratingPlan} implements it.
 *
 * Units: `mu` and `sigma` are openskill rating points (default mu 25, sigma 25/3); `ordinal` is the
 * conservative estimate mu - 3 sigma (0 for a new player), the leaderboard's key.
 *
 * May import drizzle-orm, zod, openskill and ./ (schema, records, index types).
 */
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { ordinal as openskillOrdinal, rate, rating as openskillRating } from 'openskill';
import { z } from 'zod';
import type { Database } from './index.ts';
import { accounts, matches, matchPlayers, ratingEvents, ratings } from './schema.ts';
import { describeIssues, InjectionsSchema, MatchGroupSchema, type MatchGroupInput, type MatchRecord, type PlayerKind } from './records.ts';

/** The scope of the rating over every scenario (the other scopes are scenario ids). */
export const OVERALL = 'overall';

/** Prefix of a guest's rating key: `guest:NAME` (an account's key is its lower-case username). */
export const GUEST_PREFIX = 'guest:';

/** A new player's rating (openskill defaults: mu 25, sigma 25/3; ordinal 0). */
export const DEFAULT_RATING: Readonly<{ mu: number; sigma: number }> = openskillRating();

/** mu - 3 sigma: the conservative skill estimate the leaderboards rank by (openskill `ordinal`). */
export function ordinalOf(r: { mu: number; sigma: number }): number {
  return openskillOrdinal(r);
}

/** The rating key of a player: an account's lower-case username, or `guest:NAME` for a guest (name kept as typed). */
export function ratingKey(name: string, kind: 'account' | 'guest'): string {
  return kind === 'account' ? name.toLowerCase() : `${GUEST_PREFIX}${name}`;
}

/** Display name and kind of a rating key (the inverse of {@link ratingKey}). */
export function parseRatingKey(key: string): { name: string; kind: 'account' | 'guest' } {
  return key.startsWith(GUEST_PREFIX) ? { name: key.slice(GUEST_PREFIX.length), kind: 'guest' } : { name: key, kind: 'account' };
}

/** One team of a rated match: its players' rating keys (sorted), team id, score and finishing place. */
export interface RatedTeam {
  team: string;
  /** Rating keys of the team's rated players (people, not watchers), sorted. */
  players: string[];
  /** The team's final score (exact, `summary.score`). */
  score: number;
  /** 1 = best; equal scores share a place, the next place skips (1, 1, 3). */
  rank: number;
}

/** What {@link ratingPlan} decided for a match group. */
export type RatingPlan =
  | { rated: true; scopes: string[]; teams: RatedTeam[] }
  | { rated: false; reason: string };

/**
 * Whether a match group is rated, and how (docs/ratings.md): not in a workshop, not red vs blue, no
 * runtime injections, and at least 2 teams with at least one person (account or guest, not a bot, not
 * a spectator or trainer); then those teams are ranked by score (ties share a place). `kindOf` gives the
 * kind of a player the record does not say (resolved from the accounts table by {@link saveMatchGroup}).
 * Pure: no I/O.
 */
export function ratingPlan(group: Pick<MatchGroupInput, 'workshopId'> & { records: readonly Pick<MatchRecord, 'scenarioId' | 'settings' | 'injections' | 'summary' | 'players'>[] }, kindOf: (name: string) => PlayerKind): RatingPlan {
  if (group.workshopId) return { rated: false, reason: 'workshop match (the trainer controls it)' };
  if (group.records.some((r) => r.settings.mode === 'redblue')) return { rated: false, reason: 'red vs blue (the two sides score differently)' };
  if (group.records.some((r) => r.injections.length > 0)) return { rated: false, reason: 'a trainer injected incidents at run time' };
  const teams = group.records
    .map((r) => ({
      team: r.players[0]?.team ?? '',
      score: r.summary.score,
      players: r.players
        .filter((p) => !p.watcher)
        .map((p) => ({ name: p.name, kind: p.kind ?? kindOf(p.name) }))
        .filter((p): p is { name: string; kind: 'account' | 'guest' } => p.kind !== 'bot')
        .map((p) => ratingKey(p.name, p.kind))
        .sort(),
    }))
    .filter((t) => t.players.length > 0);
  if (teams.length < 2) return { rated: false, reason: 'fewer than 2 teams of people (practice)' };
  const keys = new Set<string>();
  for (const t of teams) for (const k of t.players) {
    if (keys.has(k)) return { rated: false, reason: `player "${k}" is on two teams` };
    keys.add(k);
  }
  const ranked = teams
    .map((t) => ({ ...t, rank: 1 + teams.filter((o) => o.score > t.score).length }))
    .sort((a, b) => a.rank - b.rank || (a.team < b.team ? -1 : a.team > b.team ? 1 : 0));
  const scenarioId = group.records[0]!.scenarioId;
  return { rated: true, scopes: scenarioId === OVERALL ? [OVERALL] : [OVERALL, scenarioId], teams: ranked };
}

/**
 * New ratings of the players of `teams` (openskill `rate`, Plackett-Luce, with `rank`: lower is
 * better, ties equal). `current` holds the ratings before (a missing key: {@link DEFAULT_RATING}).
 * @returns a Map from rating key to its rating after the match.
 */
export function rateTeams(teams: readonly RatedTeam[], current: ReadonlyMap<string, { mu: number; sigma: number }>): Map<string, { mu: number; sigma: number }> {
  const before = teams.map((t) => t.players.map((k) => ({ ...(current.get(k) ?? DEFAULT_RATING) })));
  const after = rate(before, { rank: teams.map((t) => t.rank) });
  const out = new Map<string, { mu: number; sigma: number }>();
  teams.forEach((t, i) => t.players.forEach((k, j) => out.set(k, { mu: after[i]![j]!.mu, sigma: after[i]![j]!.sigma })));
  return out;
}

/** What {@link saveMatchGroup} did. */
export interface SaveGroupOutcome {
  /** Records newly archived (0 when every record was already there). */
  inserted: number;
  /** True when this call updated ratings; false when not rated or already rated before. */
  ratedNow: boolean;
  /** The group's rating decision (`reason` when not rated). */
  plan: RatingPlan;
}

/**
 * Archive every team's record of one match and update the ratings, **in one transaction**. Idempotent:
 * records already archived (by id) are left untouched, and a group that already has `rating_events`
 * is never rated again, so saving the same result twice (a retry after a lost acknowledgement, a
 * restored room, a leftover spool file) changes nothing. Each record's `matches` row carries
 * `match_group`, `workshop_id` and `rated`.
 *
 * Concurrency (Postgres): the players' rating rows are created if missing and locked (`for update`, in
 * key order) before being read, so two matches sharing a player are applied one after the other.
 *
 * @throws Error `Invalid match group: <path>: <message>` (nothing written), or the driver's error
 *   (the transaction is rolled back: nothing written).
 */
export async function saveMatchGroup(database: Database, input: MatchGroupInput): Promise<SaveGroupOutcome> {
  const parsed = MatchGroupSchema.safeParse(input);
  if (!parsed.success) throw new Error(`Invalid match group: ${describeIssues(parsed.error)}`);
  const group = parsed.data;
  return database.db.transaction(async (tx) => {
    // Kinds the room did not give: an account iff one existed when the match started (a guest
    // cannot join under a registered name, so an account created later means the player was a guest).
    const unknown = [...new Set(group.records.flatMap((r) => r.players.filter((p) => p.kind === undefined && !p.watcher).map((p) => p.name.toLowerCase())))];
    const startedAt = new Date(Math.min(...group.records.map((r) => r.startedAt.getTime())));
    const registered = new Set<string>();
    if (unknown.length > 0) {
      const rows = await tx.select({ username: accounts.username, createdAt: accounts.createdAt }).from(accounts).where(inArray(accounts.username, unknown));
      for (const row of rows) if (row.createdAt.getTime() <= startedAt.getTime()) registered.add(row.username);
    }
    const kindOf = (name: string): PlayerKind => (name === name.toLowerCase() && registered.has(name) ? 'account' : 'guest');
    const plan = ratingPlan(group, kindOf);

    let inserted = 0;
    for (const r of group.records) {
      const injections = InjectionsSchema.parse(r.injections);
      const rows = await tx
        .insert(matches)
        .values({
          id: r.id,
          scenarioId: r.scenarioId,
          seed: r.seed,
          settings: r.settings,
          actions: r.actions,
          injections,
          workflow: r.workflow ?? null,
          summary: r.summary,
          stateHash: r.summary.stateHash,
          score: Math.round(r.summary.score),
          availability: r.summary.slo.availability,
          errorBudgetRemaining: r.summary.slo.errorBudgetRemaining,
          startedAt: r.startedAt,
          endedAt: r.endedAt,
          matchGroup: group.matchGroup,
          workshopId: group.workshopId ?? null,
          rated: plan.rated,
        })
        .onConflictDoNothing({ target: matches.id })
        .returning({ id: matches.id });
      if (rows.length === 0) continue;
      inserted++;
      if (r.players.length === 0) continue;
      await tx.insert(matchPlayers).values(r.players.map((p) => ({ matchId: r.id, playerName: p.name, team: p.team, score: Math.round(p.score), actions: p.actions, kind: p.kind ?? kindOf(p.name) })));
    }
    if (!plan.rated) return { inserted, ratedNow: false, plan };

    const keys = plan.teams.flatMap((t) => t.players).sort();
    const at = new Date(Math.max(...group.records.map((r) => r.endedAt.getTime())));
    let ratedNow = false;
    for (const scope of plan.scopes) {
      await tx
        .insert(ratings)
        .values(keys.map((player) => ({ player, scope, mu: DEFAULT_RATING.mu, sigma: DEFAULT_RATING.sigma, ordinal: ordinalOf(DEFAULT_RATING), matches: 0 })))
        .onConflictDoNothing();
      const rows = await tx
        .select()
        .from(ratings)
        .where(and(eq(ratings.scope, scope), inArray(ratings.player, keys)))
        .orderBy(asc(ratings.player))
        .for('update');
      const done = await tx.select({ player: ratingEvents.player }).from(ratingEvents).where(and(eq(ratingEvents.matchGroup, group.matchGroup), eq(ratingEvents.scope, scope))).limit(1);
      if (done.length > 0) continue; // rated before: idempotent
      const current = new Map(rows.map((r) => [r.player, { mu: r.mu, sigma: r.sigma }]));
      const after = rateTeams(plan.teams, current);
      for (const team of plan.teams) {
        for (const player of team.players) {
          const was = current.get(player) ?? DEFAULT_RATING;
          const now = after.get(player)!;
          const ord = ordinalOf(now);
          await tx
            .update(ratings)
            .set({ mu: now.mu, sigma: now.sigma, ordinal: ord, matches: sql`${ratings.matches} + 1`, updatedAt: at })
            .where(and(eq(ratings.player, player), eq(ratings.scope, scope)));
          await tx
            .insert(ratingEvents)
            .values({ matchGroup: group.matchGroup, player, scope, muBefore: was.mu, sigmaBefore: was.sigma, mu: now.mu, sigma: now.sigma, ordinal: ord, rank: team.rank, at })
            .onConflictDoNothing();
        }
      }
      ratedNow = true;
    }
    return { inserted, ratedNow, plan };
  });
}

// -------------------------------------------------------------------------------------------------
// Leaderboards
// -------------------------------------------------------------------------------------------------

/** Leaderboard periods: this ISO week (UTC, from Monday 00:00), this season (calendar quarter, UTC), all time. */
export type Period = 'week' | 'season' | 'all';

/**
 * The span `[from, to)` of `period` containing `now` (UTC): `week` = ISO 8601 week (Monday 00:00 to
 * the next Monday), `season` = calendar quarter (Jan-Mar, Apr-Jun, Jul-Sep, Oct-Dec); `all` = null.
 */
export function periodSpan(period: Period, now: Date): { from: Date; to: Date } | null {
  if (period === 'all') return null;
  if (period === 'week') {
    const day = (now.getUTCDay() + 6) % 7; // Monday = 0
    const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - day));
    return { from, to: new Date(from.getTime() + 7 * 86_400_000) };
  }
  const q = Math.floor(now.getUTCMonth() / 3) * 3;
  return { from: new Date(Date.UTC(now.getUTCFullYear(), q, 1)), to: new Date(Date.UTC(now.getUTCFullYear(), q + 3, 1)) };
}

/** One row of a ratings leaderboard. */
export interface RatingEntry {
  /** 1-based place in the whole board (ordinal descending, then change descending, then key). */
  rank: number;
  /** Display name (an account's username, or the guest's name without the `guest:` prefix). */
  player: string;
  kind: 'account' | 'guest';
  /** The rating key (`alice`, `guest:Alice`): what profile links use. */
  id: string;
  /** mu - 3 sigma at the end of the period (all time: now). */
  ordinal: number;
  mu: number;
  sigma: number;
  /** Rated matches in the scope and period. */
  matches: number;
  /** Ordinal gained over the period (all time: since the default rating, ordinal 0). */
  change: number;
  /** Best team score (integer points) of the player's rated matches in the scope and period; null if none archived. */
  bestScore: number | null;
}

/** A page of a ratings leaderboard ({@link ratingLeaderboard}). */
export interface RatingBoard {
  scope: string;
  period: Period;
  /** ISO 8601 span of the period, null for `all`. */
  from: string | null;
  to: string | null;
  page: number;
  pageSize: number;
  /** Players on the whole board. */
  total: number;
  entries: RatingEntry[];
  /** The `me` player's row, wherever it is (also off this page); null when not asked or not on the board. */
  me: RatingEntry | null;
}

/** Options of {@link ratingLeaderboard}. */
export interface BoardOptions {
  scope: string;
  period: Period;
  /** 1-based. */
  page: number;
  /** Rows per page, 1..100. */
  pageSize: number;
  /** Rating keys to find (`me`), e.g. from {@link resolvePlayerKey}; the first on the board wins. */
  me?: string[];
  /** The period's reference time (default: now). */
  now?: Date;
}

const BoardRow = z.object({
  player: z.string(),
  mu: z.coerce.number(),
  sigma: z.coerce.number(),
  ordinal: z.coerce.number(),
  matches: z.coerce.number(),
  change: z.coerce.number(),
  rank: z.coerce.number(),
  best_score: z.coerce.number().nullable(),
});

function rowsOf(result: unknown): unknown[] {
  const rows = (result as { rows?: unknown }).rows;
  return Array.isArray(rows) ? rows : [];
}

function toEntry(raw: unknown): RatingEntry {
  const r = BoardRow.parse(raw);
  const { name, kind } = parseRatingKey(r.player);
  return { rank: r.rank, player: name, kind, id: r.player, ordinal: r.ordinal, mu: r.mu, sigma: r.sigma, matches: r.matches, change: r.change, bestScore: r.best_score };
}

/**
 * A page of the ratings leaderboard of `scope` for `period` (docs/ratings.md "Leaderboards"):
 * all time from `ratings` (current rating); a week or season from `rating_events` in the span: the
 * players rated in it, each with the rating after their last match of the period, ranked by that
 * ordinal (ties: more ordinal gained in the period, then key). `me` is looked up on the whole board.
 */
export async function ratingLeaderboard(database: Database, opts: BoardOptions): Promise<RatingBoard> {
  const pageSize = Math.min(100, Math.max(1, Math.floor(opts.pageSize)));
  const page = Math.max(1, Math.floor(opts.page));
  const span = periodSpan(opts.period, opts.now ?? new Date());
  const inSpan = span ? sql`and e.at >= ${span.from.toISOString()}::timestamptz and e.at < ${span.to.toISOString()}::timestamptz` : sql``;
  const per = span
    ? sql`select l.player, l.mu, l.sigma, l.ordinal, l.n as matches, l.ordinal - (f.mu_before - 3 * f.sigma_before) as change
          from ev l join ev f on f.player = l.player and f.first_rn = 1 where l.last_rn = 1`
    : sql`select r.player, r.mu, r.sigma, r.ordinal, r.matches, r.ordinal - ${ordinalOf(DEFAULT_RATING)} as change from ratings r where r.scope = ${opts.scope}`;
  const ev = span
    ? sql`ev as (
        select e.player, e.mu, e.sigma, e.ordinal, e.mu_before, e.sigma_before,
          row_number() over (partition by e.player order by e.at desc, e.match_group desc) as last_rn,
          row_number() over (partition by e.player order by e.at asc, e.match_group asc) as first_rn,
          count(*) over (partition by e.player) as n
        from rating_events e where e.scope = ${opts.scope} ${inSpan}),`
    : sql``;
  const best = sql`(select max(mp.score) from rating_events e
      join matches m on m.match_group = e.match_group
      join match_players mp on mp.match_id = m.id
        and mp.player_name = case when e.player like 'guest:%' then substr(e.player, 7) else e.player end
      where e.player = ranked.player and e.scope = ${opts.scope} ${inSpan})`;
  const base = sql`with ${ev} per as (${per}),
      ranked as (select per.*, row_number() over (order by per.ordinal desc, per.change desc, per.player asc) as rank from per)`;
  const offset = (page - 1) * pageSize;
  const pageRows = rowsOf(await database.db.execute(sql`${base}
      select ranked.*, ${best} as best_score from ranked where ranked.rank > ${offset} and ranked.rank <= ${offset + pageSize} order by ranked.rank`));
  const totalRows = rowsOf(await database.db.execute(sql`${base} select count(*)::int as total from ranked`));
  const total = z.object({ total: z.coerce.number() }).parse(totalRows[0] ?? { total: 0 }).total;
  let me: RatingEntry | null = null;
  const wanted = opts.me ?? [];
  if (wanted.length > 0) {
    const found = rowsOf(await database.db.execute(sql`${base}
        select ranked.*, ${best} as best_score from ranked where ranked.player in (${sql.join(wanted.map((k) => sql`${k}`), sql`, `)}) order by ranked.rank limit 1`));
    me = found[0] === undefined ? null : toEntry(found[0]);
  }
  return {
    scope: opts.scope,
    period: opts.period,
    from: span ? span.from.toISOString() : null,
    to: span ? span.to.toISOString() : null,
    page,
    pageSize,
    total,
    entries: pageRows.map(toEntry),
    me,
  };
}

/**
 * The rating key a typed name means: `guest:NAME` as given; else the account's username when `name`
 * is registered (case-insensitive), else `guest:NAME`.
 */
export async function resolvePlayerKey(database: Database, name: string): Promise<string> {
  if (name.startsWith(GUEST_PREFIX)) return name;
  const [row] = await database.db.select({ username: accounts.username }).from(accounts).where(eq(accounts.username, name.toLowerCase())).limit(1);
  return row ? row.username : ratingKey(name, 'guest');
}

// -------------------------------------------------------------------------------------------------
// Profiles
// -------------------------------------------------------------------------------------------------

/** A player's current rating in one scope, with its place on that scope's all-time board. */
export interface ScopeRating {
  scope: string;
  mu: number;
  sigma: number;
  ordinal: number;
  matches: number;
  /** 1-based place on the all-time board of the scope. */
  rank: number;
}

/** One point of a player's rating over time: the rating after one rated match. */
export interface RatingPoint {
  matchGroup: string;
  scope: string;
  /** ISO 8601: when the match ended. */
  at: string;
  mu: number;
  sigma: number;
  ordinal: number;
  /** Ordinal before the match. */
  ordinalBefore: number;
  /** The team's finishing place, 1 = best. */
  place: number;
}

/** The rating part of a profile ({@link ratingProfile}). */
export interface RatingProfile {
  /** The rating key (`alice` or `guest:Alice`). */
  player: string;
  kind: 'account' | 'guest';
  /** `overall` first, then scenarios by id. */
  ratings: ScopeRating[];
  /** Oldest first; at most `limit` of the most recent points per call. */
  history: RatingPoint[];
}

/**
 * Ratings per scope and rating over time (from `rating_events`) of rating key `key`.
 * @param limit the most recent points kept (1..1000, default 500).
 */
export async function ratingProfile(database: Database, key: string, limit = 500): Promise<RatingProfile> {
  const { db } = database;
  const rows = await db.select().from(ratings).where(eq(ratings.player, key));
  const ranks = await Promise.all(
    rows.map(async (r) => {
      const [row] = await db
        .select({ n: sql<number>`count(*)::int`.mapWith(Number) })
        .from(ratings)
        .where(and(eq(ratings.scope, r.scope), sql`(${ratings.ordinal} > ${r.ordinal} or (${ratings.ordinal} = ${r.ordinal} and ${ratings.player} < ${r.player}))`));
      return 1 + (row?.n ?? 0);
    }),
  );
  const scoped = rows
    .map((r, i) => ({ scope: r.scope, mu: r.mu, sigma: r.sigma, ordinal: r.ordinal, matches: r.matches, rank: ranks[i]! }))
    .sort((a, b) => (a.scope === OVERALL ? -1 : b.scope === OVERALL ? 1 : a.scope < b.scope ? -1 : a.scope > b.scope ? 1 : 0));
  const n = Math.min(1000, Math.max(1, Math.floor(limit)));
  const events = await db
    .select()
    .from(ratingEvents)
    .where(eq(ratingEvents.player, key))
    .orderBy(sql`${ratingEvents.at} desc`, sql`${ratingEvents.matchGroup} desc`, asc(ratingEvents.scope))
    .limit(n);
  const history = events
    .reverse()
    .map((e) => ({ matchGroup: e.matchGroup, scope: e.scope, at: e.at.toISOString(), mu: e.mu, sigma: e.sigma, ordinal: e.ordinal, ordinalBefore: ordinalOf({ mu: e.muBefore, sigma: e.sigmaBefore }), place: e.rank }));
  return { player: key, kind: parseRatingKey(key).kind, ratings: scoped, history };
}
