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
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';
import type { LoggedInjection, TeamWorkflow } from '../../shared/game/types.ts';
import type { LoggedAction, MatchSummary } from '../../shared/sim/types.ts';

/** Match settings kept with the replay: sim seconds per tick, match length in sim seconds, real-time speed-up. */
export interface StoredMatchSettings {
  /** Sim seconds per tick. */
  tickSeconds: number;
  /** Match length, sim seconds. */
  durationSeconds: number;
  /** Sim seconds per wall-clock second while the match ran (1 = real time). */
  timeDilation: number;
  /**
   * `redblue` for a red-vs-blue match (absent otherwise): its scenario schedule never started, the
   * attacks are in the record's injections, so a replay must not start the schedule either.
   */
  mode?: 'redblue';
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
    /**
     * The team's incident workflow as it was when the match ended ({@link TeamWorkflow}: pages and their
     * acknowledgements, declared incidents, status updates, hints, follow-ups, postmortem answers), for
     * the postmortem written later from the archive. Null for rows archived before it was kept.
     */
    workflow: jsonb('workflow').$type<TeamWorkflow>(),
    stateHash: text('state_hash').notNull(),
    /** Final score, rounded to an integer. */
    score: integer('score').notNull(),
    /** Availability SLI over the match, fraction 0..1. */
    availability: doublePrecision('availability').notNull(),
    /** Availability error budget remaining, fraction (negative when overspent). */
    errorBudgetRemaining: doublePrecision('error_budget_remaining').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    endedAt: timestamp('ended_at', { withTimezone: true }).notNull(),
    /**
     * The shared/game match every team's record of one match shares (a race of 3 teams is 3 rows with
     * one `match_group`); null for rows archived before it existed (each its own group).
     */
    matchGroup: text('match_group'),
    /** The workshop ({@link workshops}) this match was played in; null outside workshops. */
    workshopId: text('workshop_id'),
    /** Whether this result updated ratings (docs/ratings.md gives the rule); false before ratings existed. */
    rated: boolean('rated').notNull().default(false),
  },
  (t) => [
    index('matches_scenario_idx').on(t.scenarioId, t.endedAt.desc()),
    index('matches_ended_at_idx').on(t.endedAt.desc()),
    index('matches_group_idx').on(t.matchGroup),
    index('matches_workshop_idx').on(t.workshopId),
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
    /**
     * Who the player was (`account`, `guest` or `bot`, as {@link PlayerKindSchema} in ./records.ts,
     * resolved when the result was saved); null for rows archived before migration 0005. A profile
     * lists an account's matches apart from a guest's who used the same name before it registered.
     */
    kind: text('kind'),
  },
  (t) => [
    primaryKey({ columns: [t.matchId, t.playerName] }),
    index('match_players_leaderboard_idx').on(t.playerName, t.score.desc()),
  ],
);

/** What a live match needs to be rebuilt besides its journal: how the room created it. */
export interface LiveMatchSetup {
  /** The `scenario` join option the match was created with (null: the default scenario). */
  scenario: string | null;
  /** Scenario id as resolved (the cluster's `scenarioId`). */
  scenarioId: string;
  /** Scenario title shown to players. */
  title: string;
  /** Match length override in sim seconds given at creation (null: the scenario's). */
  durationSeconds: number | null;
  /** Team ids, in the room's order (`TEAM_IDS.slice(0, teams)`). */
  teams: string[];
  /** Sim seconds per real second at creation (later changes are `control speed` journal entries). */
  timeDilation: number;
  /** How the match is played (shared/game `MatchSettings`); absent in rows written before the lobby (= defaults). */
  settings?: { mode: 'solo' | 'coop' | 'race' | 'redblue'; roles: boolean; lobby: boolean };
  /** Issue 10: the workshop of a workshop room (server/rooms/workshop.ts `WorkshopBinding`); absent outside workshops. */
  workshop?: { id: string; code: string; trainer: string; title: string; teamChoice: 'auto' | 'players'; index: number; scenarios: number };
}

/**
 * `live_matches`: one row per match that is running (or ended but not yet archived) on some server
 * process. `owner` holds a lease on it until `lease_expires_at` (renewed with every journal commit and
 * at least every lease/3); a process restores rows whose lease expired (server/recovery). The row and
 * its journal are deleted once the match result is archived in `matches` or the room is abandoned.
 */
export const liveMatches = pgTable(
  'live_matches',
  {
    /** The match id (UUID, text): also the archive id of a one-team match. */
    matchId: text('match_id').primaryKey(),
    /** Colyseus roomId: a restored room takes the same id, so clients rejoin with `joinById(roomId)`. */
    roomId: text('room_id').notNull(),
    /** PRNG seed (uint32 range). */
    seed: bigint('seed', { mode: 'number' }).notNull(),
    setup: jsonb('setup').$type<LiveMatchSetup>().notNull(),
    /** Server process (recovery owner id) holding the lease. */
    owner: text('owner').notNull(),
    leaseExpiresAt: timestamp('lease_expires_at', { withTimezone: true }).notNull(),
    /** Journal entries committed so far (= the next `seq`). */
    journalLength: integer('journal_length').notNull().default(sql`0`),
    /** Match tick (ticks) at the last commit: a rebuild advances to it after the journal's entries. */
    durableTick: integer('durable_tick').notNull().default(sql`0`),
    /** Wall-clock start of the match (kept for the archived result). */
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('live_matches_lease_idx').on(t.leaseExpiresAt)],
);

/**
 * `match_journal`: the append-only journal of a live match, one row per accepted event (join, action,
 * injection, trainer control) in acceptance order (`seq` from 0). `tick` is the match tick (ticks)
 * when it was accepted. `entry` is `JournalEntry` (server/db/journal.ts), validated on read.
 */
export const matchJournal = pgTable(
  'match_journal',
  {
    matchId: text('match_id')
      .notNull()
      .references(() => liveMatches.matchId, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    tick: integer('tick').notNull(),
    entry: jsonb('entry').notNull(),
  },
  (t) => [primaryKey({ columns: [t.matchId, t.seq] })],
);

/**
 * `match_snapshots`: the latest state snapshot of a live match (one row per match, replaced): the whole
 * shared/game `Match` as JSON text (text, not jsonb, so key order survives), after journal entry
 * `seq - 1` at tick `tick`, with its `matchHash` (checked when it is loaded).
 */
export const matchSnapshots = pgTable('match_snapshots', {
  matchId: text('match_id')
    .primaryKey()
    .references(() => liveMatches.matchId, { onDelete: 'cascade' }),
  /** Journal entries the snapshot includes (replay continues at this seq). */
  seq: integer('seq').notNull(),
  /** Match tick (ticks) of the snapshot. */
  tick: integer('tick').notNull(),
  /** shared/game `matchHash` of the snapshot. */
  hash: text('hash').notNull(),
  /** `JSON.stringify(match)`. */
  state: text('state').notNull(),
});

/**
 * `accounts`: registered players (issue 10). `username` is stored lower-case (names are compared
 * case-insensitively: `Ann` and `ann` are one account) and unique; `password_hash` is an argon2id PHC
 * string (`$argon2id$v=19$m=...`; server/http/authAccounts.ts), never logged or returned. `trainer`
 * grants trainer rights in matches (`npx gameday trainer grant NAME`, or env `TRAINER_USERS`).
 */
export const accounts = pgTable('accounts', {
  /** UUID (text). */
  id: text('id').primaryKey(),
  /** Lower-case username, 3-32 of `a-z 0-9 _ -`. */
  username: text('username').notNull().unique('accounts_username_unique'),
  /** argon2id PHC string. */
  passwordHash: text('password_hash').notNull(),
  /** May run matches as a trainer (pause, speed, inject). */
  trainer: boolean('trainer').notNull().default(false),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** A workshop's settings as the trainer chose them (validated by zod in server/db/records.ts on write and read). */
export interface StoredWorkshopSettings {
  /** Scenario ids, played in order (one match each). */
  scenarios: string[];
  /** Number of teams, 1-8. */
  teams: number;
  /** How each match is played. */
  mode: 'solo' | 'coop' | 'race' | 'redblue';
  /** Match length override, sim seconds (null: each scenario's own). */
  durationSeconds: number | null;
  /** Sim seconds per real second at start. */
  timeDilation: number;
  /** Roles (incident commander, ops, comms) on or off. */
  roles: boolean;
  /** Who places players on teams: the trainer (auto-balanced, trainer may move) or the players themselves. */
  teamChoice: 'auto' | 'players';
}

/**
 * `workshops`: a trainer's workshop (issue 10). Players join with `code` (unguessable, from
 * `crypto.randomBytes`); only `trainer` (an account username) may run it. `status`: `open` (players
 * joining), `running` (a match in progress in room `room_id`), `ended`. Its matches' records carry
 * `matches.workshop_id`.
 */
export const workshops = pgTable(
  'workshops',
  {
    /** UUID (text). */
    id: text('id').primaryKey(),
    /** Join code: 10 characters of Crockford base32 (50 bits). */
    code: text('code').notNull().unique('workshops_code_unique'),
    /** The trainer's account username (lower-case). */
    trainer: text('trainer').notNull(),
    title: text('title').notNull(),
    settings: jsonb('settings').$type<StoredWorkshopSettings>().notNull(),
    status: text('status').notNull().default('open'),
    /** Colyseus roomId of the workshop's current (or last) match; null before the first. */
    roomId: text('room_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    endedAt: timestamp('ended_at', { withTimezone: true }),
  },
  (t) => [index('workshops_trainer_idx').on(t.trainer, t.createdAt.desc())],
);

/**
 * `ratings`: a player's current Weng-Lin (openskill, Plackett-Luce) rating per scope: `overall` or a
 * scenario id. `ordinal` = mu - 3 sigma, the leaderboard's key. `player` is an account username or a
 * guest's name prefixed `guest:` (guests and accounts never share a row).
 */
export const ratings = pgTable(
  'ratings',
  {
    player: text('player').notNull(),
    scope: text('scope').notNull(),
    mu: doublePrecision('mu').notNull(),
    sigma: doublePrecision('sigma').notNull(),
    ordinal: doublePrecision('ordinal').notNull(),
    /** Rated matches counted in this scope. */
    matches: integer('matches').notNull().default(sql`0`),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.player, t.scope] }), index('ratings_scope_ordinal_idx').on(t.scope, t.ordinal.desc())],
);

/**
 * `rating_events`: one row per player, scope and rated match group: the rating before and after
 * (rating over time, and idempotence: a group already rated is never rated again).
 */
export const ratingEvents = pgTable(
  'rating_events',
  {
    matchGroup: text('match_group').notNull(),
    player: text('player').notNull(),
    scope: text('scope').notNull(),
    muBefore: doublePrecision('mu_before').notNull(),
    sigmaBefore: doublePrecision('sigma_before').notNull(),
    mu: doublePrecision('mu').notNull(),
    sigma: doublePrecision('sigma').notNull(),
    ordinal: doublePrecision('ordinal').notNull(),
    /** The player's team's finishing place, 1 = best. */
    rank: integer('rank').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.matchGroup, t.player, t.scope] }), index('rating_events_player_idx').on(t.player, t.at)],
);
