/**
 * Replies the room holds back for a team's sim clock: a console line etcd could not serve (no quorum,
 * no leader) waits as the real request would, up to etcd's request timeout (7 sim s,
 * shared/sim/controllers/etcd.ts `REQUEST_TIMEOUT_SECONDS`; etcdctl's 5 s command timeout for its Raft
 * requests). If etcd serves again before then (a leader elected 1-2 s after it was lost, a restored
 * member back), the line is run again and answered with that result, as the real proposal or read
 * would then complete; otherwise the held error (`etcdserver: request timed out`) is sent at the
 * deadline. The first attempt was refused by the sim and changed nothing.
 *
 * Pure bookkeeping (no timers): the room calls {@link HeldReplies.release} after each tick with each
 * team's sim time and whether its etcd serves, and {@link HeldReplies.releaseAll} when the match ends
 * or the room goes away (a clock that no longer moves must not keep a reply forever). Replies released
 * together go in (due time, hold order), as many as the caller's budget lets through (the rest wait,
 * in that order, for its next call).
 *
 * May import: nothing of the room (generic over the reply type).
 */

/** A team's clock as {@link HeldReplies.release} needs it: sim seconds, and whether its etcd serves requests. */
export interface TeamClock {
  t: number;
  serving: boolean;
}

interface Held<T> {
  team: string;
  /** Sim second the held reply is due. */
  at: number;
  seq: number;
  value: T;
  retry: (() => T | Promise<T>) | undefined;
  resolve: (value: T | Promise<T>) => void;
}

/** A queue of replies waiting for a team's sim time (sim seconds). */
export class HeldReplies<T> {
  #held: Held<T>[] = [];
  #seq = 0;

  /** Replies waiting. */
  get size(): number {
    return this.#held.length;
  }

  /**
   * Holds `value` until team `team`'s sim time reaches `at` (sim seconds), or until its etcd serves
   * again, when `retry` (if given) answers instead.
   */
  hold(team: string, at: number, value: T, retry?: () => T | Promise<T>): Promise<T> {
    return new Promise<T>((resolve) => {
      this.#held.push({ team, at, seq: this.#seq++, value, retry, resolve });
    });
  }

  /**
   * Answers the replies whose team's etcd serves again (with `retry()`, else the held value) or whose
   * due time came (the held value). `clock(team)` undefined: the team is gone or finished, answered
   * with the held value. Due replies go in (due time, hold order); `more()` (default: always) is asked
   * before each one, and those it stops stay held, in order, for the next call (the room's work budget:
   * a retry runs the console line again). Returns how many were answered.
   */
  release(clock: (team: string) => TeamClock | undefined, more: () => boolean = () => true): number {
    const due: { h: Held<T>; retry: boolean }[] = [];
    for (const h of this.#held) {
      const c = clock(h.team);
      if (c === undefined) due.push({ h, retry: false });
      else if (c.serving && h.retry !== undefined) due.push({ h, retry: true });
      else if (c.t >= h.at) due.push({ h, retry: false });
    }
    if (due.length === 0) return 0;
    due.sort((a, b) => a.h.at - b.h.at || a.h.seq - b.h.seq);
    const answered = new Set<Held<T>>();
    const results: { h: Held<T>; value: T | Promise<T> }[] = [];
    for (const { h, retry } of due) {
      if (!more()) break;
      answered.add(h);
      results.push({ h, value: retry ? h.retry!() : h.value });
    }
    this.#held = this.#held.filter((x) => !answered.has(x));
    for (const { h, value } of results) h.resolve(value);
    return answered.size;
  }

  /** Answers every reply now with its held value (the match ended, the room is disposed). */
  releaseAll(): number {
    return this.release(() => undefined);
  }
}
