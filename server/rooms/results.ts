/**
 * Saving a finished match: builds the {@link MatchRecord} of each team (everything needed to replay it
 * plus the summary and players) and hands them to the archive as one match group, with the rating
 * update, in one transaction (server/db/ratings.ts `saveMatchGroup`).
 *
 * A database outage at match end loses no result ({@link ResultStore}): the group is first written to
 * a durable local spool (`DATA_DIR/pending-results/`, write + fsync + rename), then stored; a failed
 * store is retried with exponential backoff until it lands (also at the next start for files left
 * over), and the logs say so (`result kept for retry`, `stored after N attempts`). Saving is idempotent,
 * so a retry after a store that landed but timed out is harmless. Nothing here throws into the room:
 * a database hiccup must not crash the room or the players' debrief.
 *
 * May import server/db, node:fs / node:path / node:crypto, zod, and shared/sim and shared/game types.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import { mkdir, open, readdir, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Database } from '../db/index.ts';
import { saveMatchGroup, saveMatchResult, type MatchGroupInput, type MatchRecord, type SaveGroupOutcome } from '../db/repository.ts';
import type { PlayerKind } from '../db/records.ts';
import type { LoggedInjection, MatchMode, TeamWorkflow } from '../../shared/game/types.ts';
import type { LoggedAction, MatchSummary, SimSettings } from '../../shared/sim/types.ts';

/** Delay before the one retry of a failed save, real milliseconds. */
export const SAVE_RETRY_DELAY_MS = 1_000;

/** What the room knows about one team at the end of a match. */
export interface TeamResult {
  /** Archive id of this team's record (the match id while there is one team per match). */
  id: string;
  scenarioId: string;
  settings: SimSettings;
  /** Sim seconds per real second when the match ended. */
  timeDilation: number;
  actions: LoggedAction[];
  /** The team's runtime injections (`TeamState.injections`), in order; default none. */
  injections?: LoggedInjection[];
  /** The team's incident workflow at the end (pages, declared incidents, updates, hints, follow-ups, answers); default not kept. */
  workflow?: TeamWorkflow;
  /** The match's mode; only `redblue` is stored (its schedule never starts: see StoredMatchSettings). */
  mode?: MatchMode;
  summary: MatchSummary;
  startedAt: Date;
  endedAt: Date;
  /**
   * Everyone who played for the team (also players who left early); score = team score. `kind` (how
   * the player signed in, or `bot`) and `watcher` (a spectator or trainer) are for ratings only
   * (docs/ratings.md); an absent `kind` is resolved from the accounts table when saving.
   */
  players: { name: string; actions: number; kind?: PlayerKind; watcher?: true }[];
  team: string;
  /** The shared/game match this team's record belongs to (the room's match id); default: the record id. */
  matchGroup?: string;
  /** The workshop the match was played in, if any. */
  workshopId?: string;
}

/** Build the archive record of one team's match. */
export function toMatchRecord(r: TeamResult): MatchRecord {
  return {
    id: r.id,
    scenarioId: r.scenarioId,
    seed: r.settings.seed,
    settings: { tickSeconds: r.settings.tickSeconds, durationSeconds: r.settings.durationSeconds, timeDilation: r.timeDilation, ...(r.mode === 'redblue' ? { mode: 'redblue' as const } : {}) },
    actions: r.actions,
    injections: r.injections ?? [],
    workflow: r.workflow ?? null,
    summary: r.summary,
    startedAt: r.startedAt,
    endedAt: r.endedAt,
    players: r.players.map((p) => ({ name: p.name, team: r.team, score: r.summary.score, actions: p.actions, ...(p.kind !== undefined ? { kind: p.kind } : {}), ...(p.watcher ? { watcher: true as const } : {}) })),
  };
}

/**
 * The match group of a match's team results (all of one match): group id = the results' `matchGroup`
 * (else the first record's id), `workshopId` likewise.
 * @throws Error when `results` is empty.
 */
export function toMatchGroup(results: readonly TeamResult[]): MatchGroupInput {
  const first = results[0];
  if (!first) throw new Error('a match group needs at least one team result');
  const workshopId = results.find((r) => r.workshopId !== undefined)?.workshopId;
  return { matchGroup: first.matchGroup ?? first.id, ...(workshopId !== undefined ? { workshopId } : {}), records: results.map(toMatchRecord) };
}

/**
 * Save with one retry after {@link SAVE_RETRY_DELAY_MS}. Saving is idempotent on the id, so a retry
 * after a save that did land but timed out is harmless.
 *
 * @returns true when saved; false after two failures (both logged at `error`).
 */
export async function saveWithRetry(db: Database, record: MatchRecord, log: Logger, retryDelayMs = SAVE_RETRY_DELAY_MS): Promise<boolean> {
  for (let attempt = 1; attempt <= 2; attempt++) {
    try {
      await saveMatchResult(db, record);
      log.info({ matchId: record.id, score: record.summary.score, actions: record.actions.length, injections: record.injections.length }, 'match result saved');
      return true;
    } catch (err) {
      log.error({ err, matchId: record.id, attempt }, attempt === 1 ? 'saving match result failed; retrying once' : 'saving match result failed; giving up');
      if (attempt === 1) await new Promise((resolve) => setTimeout(resolve, retryDelayMs));
    }
  }
  return false;
}


// -------------------------------------------------------------------------------------------------
// Durable results: spool + retry
// -------------------------------------------------------------------------------------------------

/** Folder of `DATA_DIR` holding results not yet stored in the database (one JSON file per match group). */
export const PENDING_RESULTS_DIR = 'pending-results';

/** Where kept results go in `dataDir` (null for `memory://`: kept in memory only). */
export function pendingResultsDir(dataDir: string): string | null {
  return dataDir === 'memory://' ? null : join(dataDir, PENDING_RESULTS_DIR);
}

/** Retry timing of {@link ResultStore}, real milliseconds. */
export interface RetryPolicy {
  /** Delay before the first retry; doubles each time. */
  firstDelayMs: number;
  /** Longest delay between two attempts. */
  maxDelayMs: number;
  /** An attempt that has not answered after this long counts as failed (a hung database). */
  attemptTimeoutMs: number;
}

/** 1 s, doubling up to 30 s; an attempt times out after 10 s. */
export const DEFAULT_RETRY: RetryPolicy = { firstDelayMs: 1_000, maxDelayMs: 30_000, attemptTimeoutMs: 10_000 };

/** A kept result's file: format version 1, when it was kept (ISO 8601), the group (dates as ISO strings). */
const isoDate = z.iso.datetime().transform((s) => new Date(s));
const SpoolFile = z.object({
  version: z.literal(1),
  keptAt: z.string(),
  group: z.object({
    matchGroup: z.string().min(1),
    workshopId: z.string().nullable().optional(),
    records: z.array(z.looseObject({ startedAt: isoDate, endedAt: isoDate })).min(1),
  }),
});

interface Pending {
  group: MatchGroupInput;
  /** Spool file, or null when kept in memory only. */
  file: string | null;
  attempts: number;
  /** Found in the spool at start (kept by a previous run). */
  resumed?: true;
  /** The attempt still running (an attempt that timed out may still land). */
  inflight?: Promise<{ ok: true; outcome: SaveGroupOutcome } | { ok: false; err: unknown; invalid: boolean }>;
  timer?: NodeJS.Timeout;
  onStored: (() => void | Promise<void>)[];
}

/** Options of {@link ResultStore}. */
export interface ResultStoreOptions {
  db: Database;
  log: Logger;
  /** Spool folder ({@link pendingResultsDir}); null: keep pending results in memory only. */
  dir: string | null;
  retry?: Partial<RetryPolicy>;
}

/**
 * Stores finished matches so that none is lost to a database outage: {@link save} keeps the group
 * durably on local disk first, then stores it (records + ratings, one transaction) and removes the
 * file; a failed store is retried with exponential backoff (with jitter, SRE book ch. 22 "Addressing
 * Cascading Failures") until it lands. {@link resume} picks up files a previous process left.
 * One instance per server process (a spool folder belongs to one process at a time).
 */
export class ResultStore {
  readonly #db: Database;
  readonly #log: Logger;
  readonly #dir: string | null;
  readonly #retry: RetryPolicy;
  readonly #pending = new Map<string, Pending>();
  #closed = false;
  #idle: (() => void)[] = [];

  constructor(opts: ResultStoreOptions) {
    this.#db = opts.db;
    this.#log = opts.log;
    this.#dir = opts.dir;
    this.#retry = { ...DEFAULT_RETRY, ...opts.retry };
    if (this.#dir) mkdirSync(this.#dir, { recursive: true });
  }

  /** Match groups kept and not yet stored. */
  get pending(): number {
    return this.#pending.size;
  }

  /**
   * Keep `group` durably, then try to store it once.
   * @param onStored runs once the group is stored (now or after retries; errors are logged).
   * @returns true when stored by this first attempt; false when kept for retry (or rejected as invalid,
   *   which is logged at `error`: an invalid record is never retried).
   */
  async save(group: MatchGroupInput, onStored?: () => void | Promise<void>): Promise<boolean> {
    const existing = this.#pending.get(group.matchGroup);
    if (existing) {
      if (onStored) existing.onStored.push(onStored);
      return false;
    }
    const entry: Pending = { group, file: null, attempts: 0, onStored: onStored ? [onStored] : [] };
    this.#pending.set(group.matchGroup, entry);
    if (this.#dir) {
      try {
        entry.file = await this.#keep(group);
      } catch (err) {
        this.#log.error({ err, matchGroup: group.matchGroup }, 'keeping the result on disk failed: it is kept in memory only');
      }
    }
    return this.#attempt(entry);
  }

  /**
   * Retry every result a previous process kept in the spool folder (call once at start, before
   * saving new results). Unreadable files are moved to `rejected/` and logged.
   * @returns how many were found.
   */
  async resume(): Promise<number> {
    if (!this.#dir) return 0;
    const names = (await readdir(this.#dir)).filter((n) => n.endsWith('.json')).sort();
    let found = 0;
    for (const name of names) {
      const file = join(this.#dir, name);
      let group: MatchGroupInput;
      try {
        group = SpoolFile.parse(JSON.parse(readFileSync(file, 'utf8'))).group as unknown as MatchGroupInput;
      } catch (err) {
        this.#log.error({ err, file }, 'a kept result is unreadable: moved to rejected/');
        this.#reject(file);
        continue;
      }
      if (this.#pending.has(group.matchGroup)) continue;
      found++;
      const entry: Pending = { group, file, attempts: 0, resumed: true, onStored: [] };
      this.#pending.set(group.matchGroup, entry);
      this.#log.warn({ matchGroup: group.matchGroup, file }, 'result kept for retry (left by a previous run)');
      void this.#attempt(entry);
    }
    return found;
  }

  /** Resolves once nothing is pending (every kept result stored or rejected). */
  whenIdle(): Promise<void> {
    if (this.#pending.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  /** Stop retrying (shutdown). Kept files stay for the next start. */
  close(): void {
    this.#closed = true;
    for (const entry of this.#pending.values()) clearTimeout(entry.timer);
  }

  async #attempt(entry: Pending): Promise<boolean> {
    if (this.#closed) return false;
    entry.attempts++;
    const { matchGroup } = entry.group;
    if (!entry.inflight) {
      // An attempt that timed out may still land: the next one waits for it rather than stacking up.
      const started = saveMatchGroup(this.#db, entry.group).then(
        (outcome) => ({ ok: true as const, outcome }),
        (err: unknown) => ({ ok: false as const, err, invalid: err instanceof Error && err.message.startsWith('Invalid match group') }),
      );
      entry.inflight = started;
      void started.then(() => {
        if (entry.inflight === started) entry.inflight = undefined;
      });
    }
    const running = entry.inflight;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<{ ok: false; err: unknown; invalid: false }>((resolve) => {
      timer = setTimeout(() => resolve({ ok: false, err: new Error(`the database did not answer within ${this.#retry.attemptTimeoutMs} ms`), invalid: false }), this.#retry.attemptTimeoutMs);
    });
    const result = await Promise.race([running, timeout]);
    clearTimeout(timer);
    if (result.ok) {
      await this.#stored(entry, result.outcome);
      return true;
    }
    if (result.invalid) {
      this.#log.error({ err: result.err, matchGroup }, 'match result is invalid: not stored, moved to rejected/');
      if (entry.file) this.#reject(entry.file);
      this.#done(entry);
      return false;
    }
    const delayMs = Math.min(this.#retry.maxDelayMs, this.#retry.firstDelayMs * 2 ** (entry.attempts - 1));
    const jittered = Math.round(delayMs * (0.5 + Math.random() / 2));
    if (entry.attempts === 1) {
      this.#log.warn({ err: result.err, matchGroup, file: entry.file, retryInMs: jittered }, 'result kept for retry');
    } else {
      this.#log.warn({ err: result.err, matchGroup, attempt: entry.attempts, retryInMs: jittered }, 'storing a kept result failed; retrying');
    }
    if (!this.#closed) entry.timer = setTimeout(() => void this.#attempt(entry), jittered).unref();
    return false;
  }

  async #stored(entry: Pending, outcome: SaveGroupOutcome): Promise<void> {
    const { matchGroup } = entry.group;
    const scores = entry.group.records.map((r) => r.summary.score);
    const fields = { matchGroup, matchIds: entry.group.records.map((r) => r.id), scores, rated: outcome.plan.rated, ...(outcome.plan.rated ? {} : { unrated: outcome.plan.reason }), attempts: entry.attempts };
    if (entry.attempts > 1 || entry.resumed) this.#log.info(fields, `stored after ${entry.attempts} attempt${entry.attempts === 1 ? '' : 's'}${entry.resumed ? ' (kept by a previous run)' : ''}`);
    else this.#log.info(fields, 'match result saved');
    if (entry.file) {
      await unlink(entry.file).catch((err: unknown) => this.#log.warn({ err, file: entry.file }, 'removing a stored result from the spool failed (a later start stores it again: harmless)'));
    }
    for (const fn of entry.onStored) {
      try {
        await fn();
      } catch (err) {
        this.#log.error({ err, matchGroup }, 'after-store step failed');
      }
    }
    this.#done(entry);
  }

  #done(entry: Pending): void {
    clearTimeout(entry.timer);
    this.#pending.delete(entry.group.matchGroup);
    if (this.#pending.size === 0) for (const resolve of this.#idle.splice(0)) resolve();
  }

  /** Atomic write: temp file, fsync, rename into place, fsync the folder. @returns the file. */
  async #keep(group: MatchGroupInput): Promise<string> {
    const dir = this.#dir!;
    await mkdir(dir, { recursive: true });
    const file = join(dir, spoolName(group.matchGroup));
    const tmp = `${file}.tmp`;
    const fh = await open(tmp, 'w', 0o600);
    try {
      await fh.writeFile(JSON.stringify({ version: 1, keptAt: new Date().toISOString(), group }));
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, file);
    const dh = await open(dir, 'r');
    try {
      await dh.sync();
    } finally {
      await dh.close();
    }
    return file;
  }

  #reject(file: string): void {
    try {
      const dir = join(this.#dir!, 'rejected');
      mkdirSync(dir, { recursive: true });
      renameSync(file, join(dir, file.slice(this.#dir!.length + 1)));
    } catch (err) {
      this.#log.error({ err, file }, 'moving a rejected result failed');
    }
  }
}

/** File name of a group in the spool: the group id when it is a plain id, else a hash of it. */
function spoolName(matchGroup: string): string {
  return /^[A-Za-z0-9_-]{1,100}$/.test(matchGroup) ? `${matchGroup}.json` : `${createHash('sha256').update(matchGroup).digest('hex').slice(0, 32)}.json`;
}

/** Names of the kept result files in `dir` (for tests and the operator). */
export function keptResults(dir: string): string[] {
  try {
    return readdirSync(dir).filter((n) => n.endsWith('.json')).sort();
  } catch {
    return [];
  }
}
