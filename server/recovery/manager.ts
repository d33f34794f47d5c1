/**
 * Crash recovery for one server process: owns this process' lease id, registers new live matches,
 * and restores unfinished matches no live process owns by re-creating their rooms here (same roomId)
 * from the journal (./rebuild.ts).
 *
 * When it restores: at start-up, and (with Postgres, where several processes may share the database)
 * every lease period. A PGlite database belongs to one process, so at start-up it takes every live
 * match at once; with Postgres it takes only matches whose lease expired (their process died or shut
 * down; a graceful shutdown ends its leases at once).
 *
 * May import @colyseus/core (matchMaker), server/db, node:*, pino types.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { matchMaker } from '@colyseus/core';
import type { Logger } from 'pino';
import type { Database } from '../db/index.ts';
import { claimLiveMatches, createLiveMatch, deleteLiveMatch, releaseLiveMatch, type LiveMatchRow } from '../db/journal.ts';

/** Default lease of a live match, real milliseconds (`RECOVERY_LEASE_MS`). */
export const DEFAULT_LEASE_MS = 10_000;

/** Options of {@link RecoveryManager}. */
export interface RecoveryOptions {
  database: Database;
  logger: Logger;
  /** Colyseus room name restored rooms are created under. */
  roomName: string;
  /** Lease length, real milliseconds: a dead process' matches are restored this long after its last commit. */
  leaseMs?: number;
}

/** The room's side of a restore: the journal row handed to `onCreate` through a one-time token. */
export interface RestoreTicket {
  row: LiveMatchRow;
}

/** Join-option key of the one-time restore token (never accepted from clients: see {@link RecoveryManager.takeRestore}). */
const RESTORE_KEY = '__gamedayRestore';

/** See the module comment. */
export class RecoveryManager {
  /** This process' lease owner id: `host:pid:random`. */
  readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  readonly leaseMs: number;
  readonly database: Database;
  readonly #log: Logger;
  readonly #roomName: string;
  /** Restore tokens handed to handleCreateRoom, by token. */
  readonly #tickets = new Map<string, RestoreTicket>();
  #timer: NodeJS.Timeout | undefined;
  #shuttingDown = false;
  #scanning: Promise<void> | null = null;

  constructor(o: RecoveryOptions) {
    this.database = o.database;
    this.#log = o.logger.child({ component: 'recovery' });
    this.#roomName = o.roomName;
    this.leaseMs = o.leaseMs ?? DEFAULT_LEASE_MS;
  }

  /** True once {@link beginShutdown} ran: rooms disposing now hand their matches over instead of dropping them. */
  get shuttingDown(): boolean {
    return this.#shuttingDown;
  }

  /**
   * Restores what can be restored now, then (Postgres) keeps scanning every lease period. Call after
   * the matchmaker accepts. Failures are logged, never thrown.
   */
  async start(): Promise<void> {
    await this.#scan(this.database.kind === 'pglite');
    if (this.database.kind === 'postgres' && !this.#shuttingDown) {
      this.#timer = setInterval(() => void this.#scan(false), this.leaseMs);
      this.#timer.unref();
    }
  }

  /** Stop scanning; rooms disposing from now on release their leases (graceful shutdown). */
  beginShutdown(): void {
    this.#shuttingDown = true;
    clearInterval(this.#timer);
  }

  /** Waits for a scan in progress. */
  async stop(): Promise<void> {
    this.beginShutdown();
    await this.#scanning;
  }

  /** Registers a new live match owned by this process. @throws Error from the database. */
  register(row: Omit<LiveMatchRow, 'owner' | 'leaseExpiresAt' | 'journalLength' | 'durableTick'>): Promise<void> {
    return createLiveMatch(this.database, { ...row, owner: this.owner }, this.leaseMs);
  }

  /** The restore ticket in room creation options (and removes it), or undefined for a normal creation. */
  takeRestore(options: unknown): RestoreTicket | undefined {
    if (typeof options !== 'object' || options === null) return undefined;
    const token = (options as Record<string, unknown>)[RESTORE_KEY];
    if (typeof token !== 'string') return undefined;
    const ticket = this.#tickets.get(token);
    this.#tickets.delete(token);
    return ticket;
  }

  /** The match was archived or abandoned: drop its live row and journal. Logged, never thrown. */
  async forget(matchId: string): Promise<void> {
    await deleteLiveMatch(this.database, matchId, this.owner).catch((err: unknown) => this.#log.error({ err, matchId }, 'deleting the live match failed'));
  }

  /** Shutdown hand-over: end this process' lease on the match now. Logged, never thrown. */
  async release(matchId: string): Promise<void> {
    await releaseLiveMatch(this.database, matchId, this.owner).catch((err: unknown) => this.#log.error({ err, matchId }, 'releasing the live match failed'));
  }

  #scan(all: boolean): Promise<void> {
    this.#scanning ??= (async () => {
      try {
        const rows = await claimLiveMatches(this.database, this.owner, this.leaseMs, all);
        for (const row of rows) {
          if (this.#shuttingDown) break;
          await this.#restore(row);
        }
      } catch (err) {
        this.#log.error({ err }, 'scanning for matches to restore failed');
      } finally {
        this.#scanning = null;
      }
    })();
    return this.#scanning;
  }

  async #restore(row: LiveMatchRow): Promise<void> {
    const started = Date.now();
    try {
      // A process killed while listed in a shared driver (Redis) leaves its listing behind: the
      // restored room takes the same roomId, which the driver would otherwise give to the dead one.
      const stale = await matchMaker.driver.findOne({ roomId: row.roomId });
      if (stale && stale.processId !== matchMaker.processId) await matchMaker.driver.remove(row.roomId);
      const token = randomUUID();
      this.#tickets.set(token, { row });
      await matchMaker.handleCreateRoom(this.#roomName, { [RESTORE_KEY]: token });
      this.#log.info({ matchId: row.matchId, roomId: row.roomId, ms: Date.now() - started }, 'match restored');
    } catch (err) {
      this.#log.error({ err, matchId: row.matchId }, 'restoring the match failed; it stays in the journal');
      // Give it back so another process (or a later start) may try again after the lease.
      await this.release(row.matchId);
    }
  }
}
