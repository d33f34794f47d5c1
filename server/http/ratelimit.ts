/**
 * Per-client-address rate limits for what Fastify does not see: Colyseus' matchmaking requests
 * (`POST /matchmake/:method/:room`, answered in the `serverFactory` before Fastify) and the room
 * creations they cause. Token buckets (capacity = burst, refilled continuously at `perMinute / 60`
 * tokens per second), one per address, in a `Map` (addresses are untrusted strings).
 *
 * The address is the TCP peer (`req.socket.remoteAddress`), never a header: `X-Forwarded-For` is set
 * by whoever sends the request. Behind a reverse proxy every player shares the proxy's address, so
 * raise the limits there (MATCHMAKE_* and ROOM_CREATE_* in server/config.ts).
 *
 * Room creations are counted where they happen (the room's `onCreate`, see server/app.ts): the
 * matchmaking request runs inside {@link matchmakeContext}, an AsyncLocalStorage carrying the
 * requesting address, so a `joinOrCreate` that joins an existing room costs no creation token and
 * one that creates a room does. Rooms created outside a request (restore after a crash) are not
 * limited. With Redis, a room created on another process is counted there, without an address.
 *
 * May import node:async_hooks only.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

/** A rate: `burst` requests at once, refilled at `perMinute` per minute. */
export interface RateLimit {
  /** Bucket capacity: requests allowed back to back. */
  burst: number;
  /** Sustained rate, requests per minute (tokens added per 60 s of real time). */
  perMinute: number;
}

/** The outcome of {@link TokenBuckets.take}. */
export type TakeResult = { ok: true } | { ok: false; retryAfterSeconds: number };

/**
 * Token buckets keyed by client address. Buckets that are full again are forgotten on the next
 * sweep (every {@link TokenBuckets.SWEEP_MS}), so the map stays as large as the set of recent clients.
 */
export class TokenBuckets {
  /** Milliseconds between sweeps of full buckets. */
  static readonly SWEEP_MS = 60_000;
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private lastSweep = 0;
  /** The rate per address. */
  readonly limit: RateLimit;
  private readonly now: () => number;

  /**
   * @param limit the rate per address.
   * @param now the clock, milliseconds (tests and benches may pass their own).
   */
  constructor(limit: RateLimit, now: () => number = Date.now) {
    this.limit = limit;
    this.now = now;
  }

  /**
   * Take one token for `address`.
   * @returns `{ ok: true }`, or `{ ok: false, retryAfterSeconds }` (whole seconds until a token is back, >= 1).
   */
  take(address: string): TakeResult {
    const now = this.now();
    this.sweep(now);
    const perMs = this.limit.perMinute / 60_000;
    const bucket = this.buckets.get(address) ?? { tokens: this.limit.burst, at: now };
    bucket.tokens = Math.min(this.limit.burst, bucket.tokens + (now - bucket.at) * perMs);
    bucket.at = now;
    this.buckets.set(address, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { ok: true };
    }
    const waitMs = perMs > 0 ? (1 - bucket.tokens) / perMs : 60_000;
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
  }

  /** Addresses currently tracked (for tests and metrics). */
  get size(): number {
    return this.buckets.size;
  }

  private sweep(now: number): void {
    if (now - this.lastSweep < TokenBuckets.SWEEP_MS) return;
    this.lastSweep = now;
    const perMs = this.limit.perMinute / 60_000;
    for (const [address, b] of this.buckets) if (b.tokens + (now - b.at) * perMs >= this.limit.burst) this.buckets.delete(address);
  }
}

/** What a matchmaking request carries down to the room it may create. */
export interface MatchmakeContext {
  /** The requesting client's address (TCP peer). */
  address: string;
  /**
   * Asks for a room-creation token; on refusal the request is answered 429 with `Retry-After`.
   * @returns undefined when allowed, else the seconds to wait.
   */
  takeCreation(): number | undefined;
}

/** The matchmaking request being handled (undefined outside one). */
export const matchmakeContext = new AsyncLocalStorage<MatchmakeContext>();

/** Error code of a refused room creation (also the HTTP status the matchmaking route answers with). */
export const TOO_MANY_REQUESTS = 429;

/** The JSON body of a 429: `{ code: 429, error: 'too many ...: retry in N s' }` (the shape Colyseus' matchmaker errors have). */
export function tooManyBody(what: string, retryAfterSeconds: number): { code: number; error: string } {
  return { code: TOO_MANY_REQUESTS, error: `too many ${what} from your address: retry in ${retryAfterSeconds} s` };
}
