/**
 * The room's journal writer: appends accepted events to the match's `match_journal` in the database
 * and tells the room when each is durable (the room acknowledges an event only then). Group commit:
 * events accepted in the same event-loop turn (and while a commit is in flight) go out as one
 * transaction, so a commit per patch interval at most waits behind one other; each commit also renews
 * the owner's lease and records the durable tick. A failed commit is retried (every
 * {@link RETRY_DELAY_MS}) with its events kept in order; a lost lease (another process took the match
 * over) fails every waiting event.
 *
 * May import server/db, pino types, shared/game.
 */
import type { Logger } from 'pino';
import type { Database } from '../db/index.ts';
import { commitJournal, saveSnapshot, type JournalEntry } from '../db/journal.ts';
import { matchHash, type Match } from '../../shared/game/index.ts';
import { matchTick } from './rebuild.ts';

/** Real milliseconds between retries of a failed commit. */
export const RETRY_DELAY_MS = 500;

/** What a {@link JournalWriter} needs. */
export interface JournalWriterOptions {
  database: Database;
  matchId: string;
  /** The recovery owner id of this process. */
  owner: string;
  /** Lease length, real milliseconds (renewed with every commit). */
  leaseMs: number;
  /** Entries already stored (0 for a new match, the journal's length for a restored one). */
  committed: number;
  /** The match tick now (ticks), read when a commit is taken. */
  tick: () => number;
  log: Logger;
  /** Called once when the lease turns out to be lost. */
  onLost: () => void;
}

interface Pending {
  tick: number;
  slice: number | undefined;
  entry: JournalEntry;
  resolve: (durable: boolean) => void;
}

/** One match's journal writer (see the module comment). */
export class JournalWriter {
  readonly #o: JournalWriterOptions;
  /** Entries stored. */
  #committed: number;
  /** Entries appended (stored + waiting + in flight). */
  #appended: number;
  #queue: Pending[] = [];
  #wantCommit = false;
  #running: Promise<void> | null = null;
  #lost = false;
  #closed = false;
  #snapshotting: Promise<void> = Promise.resolve();

  constructor(o: JournalWriterOptions) {
    this.#o = o;
    this.#committed = o.committed;
    this.#appended = o.committed;
  }

  /** Entries stored in the database. */
  get committed(): number {
    return this.#committed;
  }

  /** True once another process owns the match (nothing more is written). */
  get lost(): boolean {
    return this.#lost;
  }

  /**
   * Appends `entry` (accepted at match tick `tick`; `slice`: while that tick was open, after its first
   * `slice` teams' steps, see server/db/journal.ts `JournalRecord`). Resolves true once it is stored,
   * false when it never will be (lease lost, writer closed). Never rejects.
   */
  append(tick: number, entry: JournalEntry, slice?: number): Promise<boolean> {
    if (this.#lost || this.#closed) return Promise.resolve(false);
    this.#appended++;
    return new Promise<boolean>((resolve) => {
      this.#queue.push({ tick, slice: slice !== undefined && slice > 0 ? slice : undefined, entry, resolve });
      this.#kick();
    });
  }

  /** Renews the lease and records the current tick as durable (a commit without entries if none wait). */
  heartbeat(): Promise<void> {
    if (this.#lost || this.#closed) return Promise.resolve();
    this.#wantCommit = true;
    this.#kick();
    return this.flush();
  }

  /** Resolves when everything appended so far is committed (or can no longer be). */
  async flush(): Promise<void> {
    while (this.#running) await this.#running;
  }

  /**
   * Stores a snapshot of `match` as it is now (after every entry appended so far), once those entries
   * are committed. Serialized now (JSON, ~1 ms for the default scenario) and hashed (`matchHash`).
   * Failures are logged, never thrown.
   */
  snapshot(match: Match): Promise<void> {
    if (this.#lost || this.#closed) return Promise.resolve();
    const seq = this.#appended;
    const snap = { seq, tick: matchTick(match), hash: matchHash(match), state: JSON.stringify(match) };
    this.#snapshotting = this.#snapshotting.then(async () => {
      await this.flush();
      if (this.#lost || this.#committed < seq) return;
      try {
        await saveSnapshot(this.#o.database, this.#o.matchId, this.#o.owner, snap);
      } catch (err) {
        this.#o.log.warn({ err }, 'saving the match snapshot failed (the journal alone still rebuilds it)');
      }
    });
    return this.#snapshotting;
  }

  /** Flushes, then refuses further appends. */
  async close(): Promise<void> {
    await this.flush();
    await this.#snapshotting;
    this.#closed = true;
  }

  #kick(): void {
    this.#running ??= this.#run().finally(() => {
      this.#running = null;
      if (this.#queue.length > 0 || this.#wantCommit) this.#kick();
    });
  }

  async #run(): Promise<void> {
    // Let the rest of this event-loop turn (other messages of the same frame) join the batch.
    await new Promise((resolve) => setImmediate(resolve));
    while ((this.#queue.length > 0 || this.#wantCommit) && !this.#lost) {
      const batch = this.#queue.splice(0);
      this.#wantCommit = false;
      const durableTick = this.#o.tick();
      let ok: boolean;
      try {
        ok = await commitJournal(this.#o.database, {
          matchId: this.#o.matchId,
          owner: this.#o.owner,
          fromSeq: this.#committed,
          entries: batch.map(({ tick, slice, entry }) => (slice === undefined ? { tick, entry } : { tick, slice, entry })),
          durableTick,
          leaseMs: this.#o.leaseMs,
        });
      } catch (err) {
        this.#o.log.error({ err, entries: batch.length }, `journal commit failed: retrying in ${RETRY_DELAY_MS} ms (replies wait)`);
        this.#queue.unshift(...batch);
        this.#wantCommit = true;
        await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS));
        continue;
      }
      if (!ok) {
        this.#lost = true;
        this.#o.log.error({ matchId: this.#o.matchId }, 'journal lease lost: another process owns this match now');
        for (const p of [...batch, ...this.#queue.splice(0)]) p.resolve(false);
        this.#o.onLost();
        return;
      }
      this.#committed += batch.length;
      for (const p of batch) p.resolve(true);
    }
  }
}
