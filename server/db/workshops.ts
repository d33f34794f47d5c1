/**
 * Workshops (issue 10, "Workshops and the game-master console"): a trainer's plan (scenarios played in
 * order, teams, mode, duration, time dilation, roles, who picks teams) on the `workshops` table, with
 * an unguessable join code. Queries run unchanged on PGlite and Postgres; settings are validated with
 * zod on the way in and out (the column is jsonb).
 *
 * Join codes: 10 characters of Crockford base32 (`0-9 A-Z` without `I L O U`; 50 bits) from
 * `crypto.randomBytes`; lookups normalise case and the look-alikes Crockford decodes (`I`/`L` -> `1`,
 * `O` -> `0`) and drop `-` and spaces, so `abcd-efgh-jk` finds `ABCDEFGHJK`.
 *
 * May import drizzle-orm, zod, node:crypto and ./schema.ts, ./index.ts, ./records.ts.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { and, asc, desc, eq, inArray, isNotNull } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from './index.ts';
import { matches, workshops, type StoredWorkshopSettings } from './schema.ts';
import { describeIssues } from './records.ts';

/** Crockford's base32 alphabet (https://www.crockford.com/base32.html). */
export const CROCKFORD_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** Characters of a join code. */
export const CODE_LENGTH = 10;
/** Modes a workshop plays (shared/game `MATCH_MODES`). */
export const WORKSHOP_MODES = ['solo', 'coop', 'race', 'redblue'] as const;
/** Workshop statuses: `open` (players joining, or between matches), `running` (a match in progress), `ended`. */
export const WORKSHOP_STATUSES = ['open', 'running', 'ended'] as const;
export type WorkshopStatus = (typeof WORKSHOP_STATUSES)[number];

/**
 * The zod schema of a workshop request body / stored settings, for the scenario ids that exist
 * (`scenarioIds`, the built-in ones; the HTTP layer passes them: this layer does not import scenarios).
 * `timeDilation` is optional here (the HTTP layer fills the first scenario's default); stored settings
 * always hold one.
 * - `scenarios`: 1-5 ids of `scenarioIds`, played in order (one match each);
 * - `teams`: 1-8; `mode`: `solo | coop | race | redblue` (their team-count rules are shared/game's);
 * - `durationSeconds`: sim seconds per match, 10-86,400, or null/absent = each scenario's own;
 * - `timeDilation`: sim seconds per real second, 0.25-120;
 * - `roles`: default false; `teamChoice`: `auto` (the server balances, the trainer moves) or `players`.
 */
export function workshopSettingsSchema(scenarioIds: readonly string[]) {
  return z.strictObject({
    scenarios: z
      .array(z.string().refine((id) => scenarioIds.includes(id), { error: `unknown scenario: expected one of ${scenarioIds.join(', ')}` }), { error: 'scenarios must be a list of scenario ids' })
      .min(1, { error: 'scenarios must name 1 to 5 scenarios' })
      .max(5, { error: 'scenarios must name 1 to 5 scenarios' }),
    teams: z.number({ error: 'teams must be 1 to 8' }).int({ error: 'teams must be 1 to 8' }).min(1, { error: 'teams must be 1 to 8' }).max(8, { error: 'teams must be 1 to 8' }),
    mode: z.enum(WORKSHOP_MODES, { error: `mode must be one of ${WORKSHOP_MODES.join(', ')}` }),
    durationSeconds: z.number().int().min(10, { error: 'durationSeconds must be 10 to 86400 sim seconds, or null' }).max(86_400, { error: 'durationSeconds must be 10 to 86400 sim seconds, or null' }).nullable().optional(),
    timeDilation: z.number().min(0.25, { error: 'timeDilation must be 0.25 to 120' }).max(120, { error: 'timeDilation must be 0.25 to 120' }).optional(),
    roles: z.boolean().optional(),
    teamChoice: z.enum(['auto', 'players'], { error: 'teamChoice must be auto or players' }).optional(),
  });
}

/** Stored settings as read back (shape only: scenario ids are not re-checked against today's list). */
const StoredSettingsSchema = z.object({
  scenarios: z.array(z.string().min(1)).min(1),
  teams: z.number().int().min(1).max(8),
  mode: z.enum(WORKSHOP_MODES),
  durationSeconds: z.number().int().positive().nullable(),
  timeDilation: z.number().positive(),
  roles: z.boolean(),
  teamChoice: z.enum(['auto', 'players']),
}) satisfies z.ZodType<StoredWorkshopSettings>;

/** A workshop as the server uses it. */
export interface Workshop {
  id: string;
  /** Join code, 10 Crockford base32 characters (upper case). */
  code: string;
  /** The trainer's account username (lower case). */
  trainer: string;
  title: string;
  settings: StoredWorkshopSettings;
  status: WorkshopStatus;
  /** Colyseus roomId of the current (or last) match room; null before the first. */
  roomId: string | null;
  createdAt: Date;
  startedAt: Date | null;
  endedAt: Date | null;
}

/** A fresh join code: {@link CODE_LENGTH} characters of {@link CROCKFORD_ALPHABET} from `crypto.randomBytes`. */
export function newJoinCode(): string {
  const bytes = randomBytes(CODE_LENGTH);
  let code = '';
  // 256 is a multiple of 32: `byte & 31` is uniform.
  for (const b of bytes) code += CROCKFORD_ALPHABET[b & 31];
  return code;
}

/**
 * A code as typed by a person, normalised to the stored form (upper case; `I`, `L` -> `1`, `O` -> `0`;
 * `-` and spaces dropped), or null when it cannot be a join code.
 */
export function normaliseJoinCode(raw: string): string | null {
  const code = raw.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
  return code.length === CODE_LENGTH && [...code].every((c) => CROCKFORD_ALPHABET.includes(c)) ? code : null;
}

function toWorkshop(row: typeof workshops.$inferSelect): Workshop {
  const settings = StoredSettingsSchema.safeParse(row.settings);
  if (!settings.success) throw new Error(`Stored workshop ${row.id} is corrupt: settings: ${describeIssues(settings.error)}`);
  const status = z.enum(WORKSHOP_STATUSES).safeParse(row.status);
  if (!status.success) throw new Error(`Stored workshop ${row.id} is corrupt: status "${row.status}"`);
  return { ...row, settings: settings.data, status: status.data };
}

/**
 * Creates a workshop (status `open`, no room yet) with a fresh unique join code (a collision, one in
 * 2^50 per pair, is retried with another code).
 * @throws Error from the driver for anything but a code collision.
 */
export async function createWorkshop(database: Database, input: { trainer: string; title: string; settings: StoredWorkshopSettings }): Promise<Workshop> {
  for (let attempt = 0; ; attempt++) {
    const rows = await database.db
      .insert(workshops)
      .values({ id: randomUUID(), code: newJoinCode(), trainer: input.trainer.toLowerCase(), title: input.title, settings: input.settings, status: 'open' })
      .onConflictDoNothing({ target: workshops.code })
      .returning();
    if (rows[0]) return toWorkshop(rows[0]);
    if (attempt >= 5) throw new Error('could not draw a unique join code');
  }
}

/** The workshop `id`, or null. @throws Error when the stored row is corrupt. */
export async function getWorkshop(database: Database, id: string): Promise<Workshop | null> {
  const [row] = await database.db.select().from(workshops).where(eq(workshops.id, id)).limit(1);
  return row ? toWorkshop(row) : null;
}

/** The workshop with join code `code` (any case, see {@link normaliseJoinCode}), or null. */
export async function getWorkshopByCode(database: Database, code: string): Promise<Workshop | null> {
  const key = normaliseJoinCode(code);
  if (key === null) return null;
  const [row] = await database.db.select().from(workshops).where(eq(workshops.code, key)).limit(1);
  return row ? toWorkshop(row) : null;
}

/** The workshops of trainer `trainer` (any case), newest first (ties by id), at most `limit`. */
export async function listWorkshops(database: Database, trainer: string, limit = 100): Promise<Workshop[]> {
  const rows = await database.db
    .select()
    .from(workshops)
    .where(eq(workshops.trainer, trainer.toLowerCase()))
    .orderBy(desc(workshops.createdAt), asc(workshops.id))
    .limit(limit);
  return rows.map(toWorkshop);
}

/**
 * Updates a workshop's status and/or current room. `running` sets `startedAt` the first time;
 * `ended` sets `endedAt`. An ended workshop stays ended.
 * @returns the updated workshop, or null when it does not exist.
 */
export async function updateWorkshop(database: Database, id: string, change: { status?: WorkshopStatus; roomId?: string }): Promise<Workshop | null> {
  const current = await getWorkshop(database, id);
  if (!current) return null;
  const status = current.status === 'ended' ? 'ended' : (change.status ?? current.status);
  const now = new Date();
  const [row] = await database.db
    .update(workshops)
    .set({
      status,
      ...(change.roomId !== undefined ? { roomId: change.roomId } : {}),
      ...(status === 'running' && current.startedAt === null ? { startedAt: now } : {}),
      ...(status === 'ended' && current.endedAt === null ? { endedAt: now } : {}),
    })
    .where(eq(workshops.id, id))
    .returning();
  return row ? toWorkshop(row) : null;
}

/**
 * Tags archived match records with their workshop and match group (`matches.workshop_id`,
 * `matches.match_group`). Idempotent. (Until the archive's save path writes both columns itself.)
 */
export async function tagWorkshopMatches(database: Database, ids: readonly string[], workshopId: string, matchGroup: string): Promise<void> {
  if (ids.length === 0) return;
  await database.db.update(matches).set({ workshopId, matchGroup }).where(inArray(matches.id, [...ids]));
}

/** One archived team record of a workshop (see {@link workshopMatchRows}). */
export interface WorkshopMatchRow {
  id: string;
  matchGroup: string;
  scenarioId: string;
  endedAt: Date;
}

/** The archived team records of a workshop, oldest match first (then by id). */
export async function workshopMatchRows(database: Database, workshopId: string): Promise<WorkshopMatchRow[]> {
  const rows = await database.db
    .select({ id: matches.id, matchGroup: matches.matchGroup, scenarioId: matches.scenarioId, endedAt: matches.endedAt })
    .from(matches)
    .where(and(eq(matches.workshopId, workshopId), isNotNull(matches.matchGroup)))
    .orderBy(asc(matches.endedAt), asc(matches.id));
  return rows.map((r) => ({ ...r, matchGroup: r.matchGroup ?? r.id }));
}
