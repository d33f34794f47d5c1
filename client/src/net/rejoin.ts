/**
 * Rejoining a match after the room went away under the player: the server restarted (its matches are
 * rebuilt from the journal under the same roomId, server/recovery) or the SDK's own reconnection gave
 * up. The player joins the same roomId again with the same name, team and seat token, and gets its
 * seat back (team, trainer role, action count, the team's score). No DOM: the page (connection.ts)
 * and the Node tests use it alike.
 *
 * May import `@colyseus/sdk` (types) and shared/protocol.ts (types).
 */
import type { Client, Room } from '@colyseus/sdk';
import type { JoinOptions } from '../../../shared/protocol.ts';

/** Options of {@link rejoinMatch}. */
export interface RejoinOptions {
  /** Give up after this many real milliseconds (default 120 000: a restarted server may take a while). */
  timeoutMs?: number;
  /** First delay between attempts, ms (default 250; doubles up to {@link maxDelayMs}). */
  delayMs?: number;
  /** Longest delay between attempts, ms (default 3 000). */
  maxDelayMs?: number;
  /** Told before each attempt after the first, with the previous attempt's error text. */
  onRetry?: (attempt: number, error: string) => void;
}

/**
 * Refusals that no retry can change: the seat belongs to another token, the name played for another
 * team, or the options are invalid. Anything else (server down, room not yet restored, seat still
 * held by the dropped connection) is retried.
 */
const FINAL = /kept for its player|played for team|invalid join options|is not in this match/;

/**
 * Joins room `roomId` with `options` (name, team, trainer, seatToken as first joined), retrying with
 * backoff until it succeeds, a final refusal comes, or `timeoutMs` passes.
 * @throws the last error (its `message` says why) on a final refusal or after the timeout.
 */
export async function rejoinMatch(client: Client, roomId: string, options: JoinOptions, o: RejoinOptions = {}): Promise<Room> {
  const deadline = Date.now() + (o.timeoutMs ?? 120_000);
  let delay = o.delayMs ?? 250;
  for (let attempt = 1; ; attempt++) {
    try {
      return await client.joinById(roomId, options);
    } catch (err) {
      const text = err instanceof Error ? err.message : String(err);
      if (FINAL.test(text) || Date.now() + delay > deadline) throw err;
      o.onRetry?.(attempt + 1, text);
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, o.maxDelayMs ?? 3_000);
    }
  }
}
