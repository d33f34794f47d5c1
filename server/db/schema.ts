/**
 * Drizzle `pg-core` schema of the match archive: one row per finished match (with its full replay log)
 * and one row per player of that match. The same schema serves PGlite and node-postgres.
 *
 * Migrations are generated from this file by drizzle-kit (`npx drizzle-kit generate`, config in
 * `drizzle.config.ts`) into `migrations/`; never edit the generated SQL by hand.
 *
 * Only type imports here: drizzle-kit loads this file on its own.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';
import type { LoggedInjection } from '../../shared/game/types.ts';
import type { LoggedAction, MatchSummary } from '../../shared/sim/types.ts';

/** Match settings kept with the replay: sim seconds per tick, match length in sim seconds, real-time speed-up. */
export interface StoredMatchSettings {
  /** Sim seconds per tick. */
  tickSeconds: number;
  /** Match length, sim seconds. */
  durationSeconds: number;
  /** Sim seconds per wall-clock second while the match ran (1 = real time). */
  timeDilation: number;
}

/**
 * `matches`: one finished match (one team's record). `actions` + `injections` + `seed` + `scenario_id`
 * + `settings` replay it exactly (shared/game `replayMatch`);
 * `summary` is {@link MatchSummary}; the scalar columns duplicate summary figures for queries.
 */
export const matches = pgTable(
  'matches',
  {
    /** UUID (text). */
    id: text('id').primaryKey(),
    scenarioId: text('scenario_id').notNull(),
    /** PRNG seed (uint32 range fits in a JS number). */
    seed: bigint('seed', { mode: 'number' }).notNull(),
    settings: jsonb('settings').$type<StoredMatchSettings>().notNull(),
    /** The replay log, in application order. */
    actions: jsonb('actions').$type<LoggedAction[]>().notNull(),
    /**
     * The replay log's second list: incidents a trainer injected at run time ({@link LoggedInjection}:
     * tick, player, position in `actions`, spec), in injection order. Rows archived before this column
     * existed hold the default `[]` (they had no runtime injections to keep).
     */
    injections: jsonb('injections').$type<LoggedInjection[]>().notNull().default(sql`'[]'::jsonb`),
    summary: jsonb('summary').$type<MatchSummary>().notNull(),
    stateHash: text('state_hash').notNull(),
    /** Final score, rounded to an integer. */
    score: integer('score').notNull(),
    /** Availability SLI over the match, fraction 0..1. */
    availability: doublePrecision('availability').notNull(),
    /** Availability error budget remaining, fraction (negative when overspent). */
    errorBudgetRemaining: doublePrecision('error_budget_remaining').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    endedAt: timestamp('ended_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('matches_scenario_idx').on(t.scenarioId, t.endedAt.desc()),
    index('matches_ended_at_idx').on(t.endedAt.desc()),
  ],
);

/** `match_players`: who played a match, on which team, their score and action count. */
export const matchPlayers = pgTable(
  'match_players',
  {
    matchId: text('match_id')
      .notNull()
      .references(() => matches.id, { onDelete: 'cascade' }),
    playerName: text('player_name').notNull(),
    team: text('team').notNull(),
    /** Score credited to this player, rounded to an integer. */
    score: integer('score').notNull(),
    /** Number of actions this player submitted. */
    actions: integer('actions').notNull().default(sql`0`),
  },
  (t) => [
    primaryKey({ columns: [t.matchId, t.playerName] }),
    index('match_players_leaderboard_idx').on(t.playerName, t.score.desc()),
  ],
);
