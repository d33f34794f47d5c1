/**
 * The room's fixed simulation clock: a real-time accumulator that says how many sim ticks are due,
 * kept apart from the Colyseus patch rate (the sim ticks at its own pace; patches go out every
 * `patchRate` ms). Same idea as the fixed-timestep accumulator of the Colyseus tutorial, but the rate
 * changes at run time (trainer `speed`) and the clock can be paused.
 *
 * Rate: `timeDilation / tickSeconds` ticks per real second (4 sim s per real s with 1 s ticks = 4 ticks/s).
 *
 * Pure (no timers, no wall clock): the room feeds it measured milliseconds. May import nothing.
 */

/** Fixed-step accumulator turning real milliseconds into whole sim ticks. */
export class SimClock {
  /** Sim seconds per tick (the sim's `settings.tickSeconds`). */
  readonly tickSeconds: number;
  /** Sim seconds per real second. */
  timeDilation: number;
  /** When true, {@link advance} accumulates nothing and returns 0. */
  paused = false;
  /** Real milliseconds not yet turned into ticks. */
  private accumulatorMs = 0;
  /**
   * Most ticks one {@link advance} returns. After a stall (GC pause, a slow tick) the backlog beyond
   * this is dropped instead of running ever more ticks per frame (no "spiral of death").
   */
  readonly maxTicksPerAdvance: number;

  /**
   * @param tickSeconds sim seconds per tick (> 0).
   * @param timeDilation sim seconds per real second (> 0).
   * @param maxTicksPerAdvance backlog cap per call (default 240: 2 s of real time at the fastest speed).
   * @throws RangeError when `tickSeconds` or `timeDilation` is not > 0.
   */
  constructor(tickSeconds: number, timeDilation: number, maxTicksPerAdvance = 240) {
    if (!(tickSeconds > 0)) throw new RangeError(`tickSeconds must be > 0, got ${tickSeconds}`);
    if (!(timeDilation > 0)) throw new RangeError(`timeDilation must be > 0, got ${timeDilation}`);
    this.tickSeconds = tickSeconds;
    this.timeDilation = timeDilation;
    this.maxTicksPerAdvance = maxTicksPerAdvance;
  }

  /** Real milliseconds per tick: `1000 * tickSeconds / timeDilation` (250 ms at the defaults). */
  get msPerTick(): number {
    return (1000 * this.tickSeconds) / this.timeDilation;
  }

  /** Ticks per real second: `timeDilation / tickSeconds`. */
  get ticksPerSecond(): number {
    return this.timeDilation / this.tickSeconds;
  }

  /**
   * Change the speed (sim seconds per real second); the accumulated fraction of a tick is kept.
   * @throws RangeError when `timeDilation` is not > 0.
   */
  setTimeDilation(timeDilation: number): void {
    if (!(timeDilation > 0)) throw new RangeError(`timeDilation must be > 0, got ${timeDilation}`);
    this.timeDilation = timeDilation;
  }

  /**
   * Add `elapsedMs` real milliseconds and return how many ticks are due now (0 while paused).
   * Negative or non-finite input counts as 0.
   */
  advance(elapsedMs: number): number {
    if (this.paused) return 0;
    if (!(elapsedMs > 0) || !Number.isFinite(elapsedMs)) return 0;
    this.accumulatorMs += elapsedMs;
    const step = this.msPerTick;
    // The epsilon absorbs float error (1000 / (1000 / 120) is 119.99999999999999, not 120).
    let ticks = Math.floor(this.accumulatorMs / step + 1e-9);
    if (ticks > this.maxTicksPerAdvance) {
      ticks = this.maxTicksPerAdvance;
      this.accumulatorMs = 0;
    } else {
      this.accumulatorMs = Math.max(0, this.accumulatorMs - ticks * step);
    }
    return ticks;
  }
}
