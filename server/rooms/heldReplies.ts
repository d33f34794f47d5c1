/**
 * Replies the room holds back until a team's sim clock reaches a sim second: a write refused while
 * etcd has no quorum is answered `etcdserver: request timed out` only when etcd's request timeout
 * (7 sim s, shared/sim/controllers/etcd.ts `REQUEST_TIMEOUT_SECONDS`) has passed, as kubectl against
 * a real cluster waits for it (the sim refuses the write at once and changes nothing; the result's
 * `repliesAt` says when the API server would answer).
 *
 * Pure bookkeeping (no timers): the room calls {@link HeldReplies.release} after each tick with the
 * teams' sim times, and {@link HeldReplies.releaseAll} when the match ends or the room goes away (a
 * clock that no longer moves must not keep a reply forever). Replies due at the same tick are
 * released in (due time, hold order).
 *
 * May import: nothing of the room (generic over the reply type).
 */

interface Held<T> {
  team: string;
  /** Sim second the reply is due. */
  at: number;
  seq: number;
  value: T;
  resolve: (value: T) => void;
}

/** A queue of replies waiting for a team's sim time (sim seconds). */
export class HeldReplies<T> {
  #held: Held<T>[] = [];
  #seq = 0;

  /** Replies waiting. */
  get size(): number {
    return this.#held.length;
  }

  /** Holds `value` until team `team`'s sim time reaches `at` (sim seconds); resolves with it then. */
  hold(team: string, at: number, value: T): Promise<T> {
    return new Promise<T>((resolve) => {
      this.#held.push({ team, at, seq: this.#seq++, value, resolve });
    });
  }

  /**
   * Releases every reply whose team's sim time (`now(team)`, sim seconds; `undefined`: the team is
   * gone, released) reached its due time. Returns how many were released.
   */
  release(now: (team: string) => number | undefined): number {
    const due: Held<T>[] = [];
    const keep: Held<T>[] = [];
    for (const h of this.#held) {
      const t = now(h.team);
      (t === undefined || t >= h.at ? due : keep).push(h);
    }
    if (due.length === 0) return 0;
    this.#held = keep;
    due.sort((a, b) => a.at - b.at || a.seq - b.seq);
    for (const h of due) h.resolve(h.value);
    return due.length;
  }

  /** Releases every reply now (the match ended, the room is disposed). */
  releaseAll(): number {
    return this.release(() => undefined);
  }
}
