/**
 * The live-match journal (crash recovery, issue 12): a `live_matches` row per running match with its
 * owner's lease, the append-only `match_journal` of accepted events and the latest `match_snapshots`
 * row. Queries run unchanged on PGlite and Postgres; journal entries are validated with zod when read.
 *
 * Writers are the room's {@link import('../recovery/journal.ts').JournalWriter} (one batch per commit,
 * appended only while its owner holds the lease) and the recovery manager (claims expired leases).
 */
import { and, asc, eq, gte, lt, sql } from 'drizzle-orm';
import { z } from 'zod';
import { MATCH_MODES, PLAYER_ROLES } from '../../shared/game/types.ts';
import { ActionMessage, InjectIncident, WorkflowMessage } from '../../shared/protocol.ts';
import type { Database } from './index.ts';
import { liveMatches, matchJournal, matchSnapshots, type LiveMatchSetup } from './schema.ts';
import { describeIssues, IncidentSpecSchema } from './records.ts';

export type { LiveMatchSetup } from './schema.ts';

const name = z.string().min(1);

/**
 * One accepted event of a live match, in acceptance order:
 * - `join`: a player took a seat (`tokenHash`: sha256 hex of the seat token the client chose, or null;
 *   `role` asked for and `spectator`, absent in journals written before the lobby);
 * - `action`: an accepted player action on `team`'s cluster (shared/game `submit`);
 * - `inject`: a trainer's accepted runtime incident (`spec` as started, id assigned);
 * - `control`: a trainer's pause / resume / speed (`timeDilation`, sim s per real s, for speed);
 * - `lobby`: an accepted lobby change by `player` (shared/game/lobby.ts): `team` (value: team id),
 *   `role` (value: role), `ready` (value: boolean), `start` (value: force, boolean).
 * - `workflow`: an accepted incident-workflow operation of a player of `team` (shared/game `applyWorkflow`;
 *   `request` without its message id).
 * - `chaos`: red vs blue, an accepted attack (`attack.kind`, `attack.target` as resolved).
 * - `control` op `end` (issue 10): the trainer ended the match at that tick.
 * - `timedInject` (issue 10): a trainer's injection planned for `team`'s sim second `at` (not part of
 *   the match until it starts; then an `inject` entry with the same `incident.id` follows).
 */
export const JournalEntrySchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('join'),
    name,
    team: name,
    trainer: z.boolean(),
    tokenHash: z.string().regex(/^[0-9a-f]{64}$/).nullable(),
    role: z.enum(PLAYER_ROLES).optional(),
    spectator: z.boolean().optional(),
    /** A built-in bot seated by the room (server/rooms/bots.ts). */
    bot: z.literal(true).optional(),
  }),
  z.strictObject({ kind: z.literal('action'), team: name, player: name, action: ActionMessage }),
  z.strictObject({ kind: z.literal('inject'), team: name, player: name, spec: IncidentSpecSchema }),
  z.strictObject({ kind: z.literal('control'), player: name, op: z.enum(['pause', 'resume', 'speed', 'end']), timeDilation: z.number().positive().optional() }),
  z.discriminatedUnion('op', [
    z.strictObject({ kind: z.literal('lobby'), player: name, op: z.literal('team'), value: name }),
    z.strictObject({ kind: z.literal('lobby'), player: name, op: z.literal('role'), value: z.enum(PLAYER_ROLES) }),
    z.strictObject({ kind: z.literal('lobby'), player: name, op: z.literal('ready'), value: z.boolean() }),
    z.strictObject({ kind: z.literal('lobby'), player: name, op: z.literal('start'), value: z.boolean() }),
  ]),
  z.strictObject({ kind: z.literal('workflow'), team: name, player: name, request: WorkflowMessage }),
  // Red vs blue: an accepted attack (shared/game `attack`) by `player` of the attacking `team`, target as resolved.
  z.strictObject({ kind: z.literal('chaos'), team: name, player: name, attack: z.strictObject({ kind: z.string().min(1).max(64), target: z.string().max(253) }) }),
  // Issue 10: a trainer's timed injection, planned to start when `team`'s sim clock reaches `at` (sim
  // seconds); when it starts an ordinary `inject` entry follows with the same incident id.
  z.strictObject({ kind: z.literal('timedInject'), team: name, player: name, at: z.number().nonnegative(), incident: InjectIncident.extend({ id: z.string().min(1) }) }),
]);
/** A validated journal entry (see {@link JournalEntrySchema}). */
export type JournalEntry = z.infer<typeof JournalEntrySchema>;

/**
 * A journal row: `seq` from 0, `tick` = the match tick (ticks) when the event was accepted; `slice`
 * (absent: a whole tick) = the event was accepted while tick `tick` was open, run in slices (issue 12,
 * server/rooms/README.md "Bounded cost per match"), after the steps of its first `slice` teams (1..7,
 * shared/game `TickCursor.next`). Stored beside the entry's own fields in the `entry` column.
 */
export interface JournalRecord {
  seq: number;
  tick: number;
  slice?: number;
  entry: JournalEntry;
}

/** The `slice` of a stored entry (see {@link JournalRecord}). */
const SliceSchema = z.number().int().positive().max(64).optional();

/** The `live_matches` row of a match. */
export interface LiveMatchRow {
  matchId: string;
  roomId: string;
  seed: number;
  setup: LiveMatchSetup;
  owner: string;
  leaseExpiresAt: Date;
  journalLength: number;
  durableTick: number;
  startedAt: Date;
}

const SetupSchema = z.object({
  scenario: name.nullable(),
  scenarioId: name,
  title: z.string(),
  durationSeconds: z.number().int().positive().nullable(),
  teams: z.array(name).min(1),
  timeDilation: z.number().positive(),
  settings: z.strictObject({ mode: z.enum(MATCH_MODES), roles: z.boolean(), lobby: z.boolean() }).optional(),
  // Issue 10: the workshop a workshop room belongs to (server/rooms/workshop.ts `WorkshopBinding`).
  workshop: z
    .strictObject({ id: name, code: name, trainer: name, title: z.string(), teamChoice: z.enum(['auto', 'players']), index: z.number().int().nonnegative(), scenarios: z.number().int().positive() })
    .optional(),
}) satisfies z.ZodType<LiveMatchSetup>;

/** `now() + ms` in the database's clock (leases compare against the database's time only). */
const leaseUntil = (ms: number) => sql`now() + (${Math.round(ms)} * interval '1 millisecond')`;

/**
 * Registers a new live match owned by `owner` for `leaseMs` (real milliseconds).
 * @throws Error from the driver (e.g. a duplicate match id).
 */
export async function createLiveMatch(database: Database, row: Omit<LiveMatchRow, 'leaseExpiresAt' | 'journalLength' | 'durableTick'>, leaseMs: number): Promise<void> {
  await database.db.insert(liveMatches).values({ ...row, leaseExpiresAt: leaseUntil(leaseMs), journalLength: 0, durableTick: 0 });
}

/** What {@link commitJournal} writes. */
export interface JournalCommit {
  matchId: string;
  owner: string;
  /** `journal_length` the writer believes is stored (the first new entry's seq). */
  fromSeq: number;
  /** New entries, in order (may be empty: a heartbeat that only renews the lease and the durable tick). */
  entries: { tick: number; slice?: number; entry: JournalEntry }[];
  /** Match tick (ticks) now: every entry accepted up to now is in `entries` or already stored. */
  durableTick: number;
  /** Lease renewal, real milliseconds from now. */
  leaseMs: number;
}

/**
 * Appends entries and renews the lease in one transaction, only while `owner` holds the match and the
 * stored journal length is `fromSeq` (a writer never overwrites or skips entries).
 *
 * @returns false (nothing written) when the match is not `owner`'s any more or the lengths differ.
 * @throws Error from the driver.
 */
export async function commitJournal(database: Database, c: JournalCommit): Promise<boolean> {
  return database.db.transaction(async (tx) => {
    const updated = await tx
      .update(liveMatches)
      .set({ journalLength: c.fromSeq + c.entries.length, durableTick: c.durableTick, leaseExpiresAt: leaseUntil(c.leaseMs) })
      .where(and(eq(liveMatches.matchId, c.matchId), eq(liveMatches.owner, c.owner), eq(liveMatches.journalLength, c.fromSeq)))
      .returning({ matchId: liveMatches.matchId });
    if (updated.length === 0) return false;
    if (c.entries.length > 0) {
      await tx.insert(matchJournal).values(c.entries.map((e, i) => ({ matchId: c.matchId, seq: c.fromSeq + i, tick: e.tick, entry: e.slice === undefined ? e.entry : { ...e.entry, slice: e.slice } })));
    }
    return true;
  });
}

/** A stored snapshot: the match JSON after `seq` journal entries, at match tick `tick`, with its hash. */
export interface SnapshotRecord {
  seq: number;
  tick: number;
  hash: string;
  state: string;
}

/**
 * Replaces the match's snapshot while `owner` holds it and `seq` entries are stored.
 * @returns false when the match is not `owner`'s (nothing written).
 */
export async function saveSnapshot(database: Database, matchId: string, owner: string, snap: SnapshotRecord): Promise<boolean> {
  return database.db.transaction(async (tx) => {
    const mine = await tx
      .select({ matchId: liveMatches.matchId })
      .from(liveMatches)
      .where(and(eq(liveMatches.matchId, matchId), eq(liveMatches.owner, owner), gte(liveMatches.journalLength, snap.seq)));
    if (mine.length === 0) return false;
    await tx
      .insert(matchSnapshots)
      .values({ matchId, ...snap })
      .onConflictDoUpdate({ target: matchSnapshots.matchId, set: { seq: snap.seq, tick: snap.tick, hash: snap.hash, state: snap.state } });
    return true;
  });
}

/**
 * Takes over live matches for `owner` (lease `leaseMs`): those whose lease expired, or every one when
 * `all` (a process that knows it is alone on its database, e.g. PGlite). Atomic per row: two processes
 * never claim the same match.
 */
export async function claimLiveMatches(database: Database, owner: string, leaseMs: number, all: boolean): Promise<LiveMatchRow[]> {
  const rows = await database.db
    .update(liveMatches)
    .set({ owner, leaseExpiresAt: leaseUntil(leaseMs) })
    .where(all ? sql`true` : lt(liveMatches.leaseExpiresAt, sql`now()`))
    .returning();
  return rows.map(parseLiveRow);
}

/** The journal of a live match: its row, its entries (seq order, validated) and its snapshot (or null). */
export async function loadJournal(database: Database, matchId: string): Promise<{ row: LiveMatchRow; entries: JournalRecord[]; snapshot: SnapshotRecord | null } | null> {
  const { db } = database;
  const [row] = await db.select().from(liveMatches).where(eq(liveMatches.matchId, matchId)).limit(1);
  if (!row) return null;
  const live = parseLiveRow(row);
  const rows = await db.select().from(matchJournal).where(eq(matchJournal.matchId, matchId)).orderBy(asc(matchJournal.seq));
  const entries: JournalRecord[] = rows.map((r, i) => {
    if (r.seq !== i) throw new Error(`Journal of match ${matchId} is corrupt: entry ${i} has seq ${r.seq}`);
    const { slice: rawSlice, ...stored } = (typeof r.entry === 'object' && r.entry !== null ? r.entry : {}) as Record<string, unknown>;
    const slice = SliceSchema.safeParse(rawSlice);
    if (!slice.success) throw new Error(`Journal of match ${matchId} is corrupt at seq ${r.seq}: slice: ${describeIssues(slice.error)}`);
    const parsed = JournalEntrySchema.safeParse(stored);
    if (!parsed.success) throw new Error(`Journal of match ${matchId} is corrupt at seq ${r.seq}: ${describeIssues(parsed.error)}`);
    return { seq: r.seq, tick: r.tick, ...(slice.data !== undefined ? { slice: slice.data } : {}), entry: parsed.data };
  });
  if (entries.length !== live.journalLength) throw new Error(`Journal of match ${matchId} is corrupt: ${entries.length} entries, ${live.journalLength} committed`);
  const [snap] = await db.select().from(matchSnapshots).where(eq(matchSnapshots.matchId, matchId)).limit(1);
  return { row: live, entries, snapshot: snap ? { seq: snap.seq, tick: snap.tick, hash: snap.hash, state: snap.state } : null };
}

/** The live match's row (any owner), or null: where a match runs (`roomId`) and who owns it. */
export async function getLiveMatch(database: Database, matchId: string): Promise<LiveMatchRow | null> {
  const [row] = await database.db.select().from(liveMatches).where(eq(liveMatches.matchId, matchId)).limit(1);
  return row ? parseLiveRow(row) : null;
}

/** Ends `owner`'s lease now (graceful shutdown: the next process restores the match at once). */
export async function releaseLiveMatch(database: Database, matchId: string, owner: string): Promise<void> {
  await database.db
    .update(liveMatches)
    .set({ leaseExpiresAt: sql`now() - interval '1 second'` })
    .where(and(eq(liveMatches.matchId, matchId), eq(liveMatches.owner, owner)));
}

/** Deletes `owner`'s live match with its journal and snapshot (archived or abandoned). */
export async function deleteLiveMatch(database: Database, matchId: string, owner: string): Promise<void> {
  await database.db.delete(liveMatches).where(and(eq(liveMatches.matchId, matchId), eq(liveMatches.owner, owner)));
}

function parseLiveRow(row: typeof liveMatches.$inferSelect): LiveMatchRow {
  const setup = SetupSchema.safeParse(row.setup);
  if (!setup.success) throw new Error(`Live match ${row.matchId} is corrupt: setup: ${describeIssues(setup.error)}`);
  return { ...row, setup: setup.data };
}
