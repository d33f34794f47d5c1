/**
 * The room's fixed simulation clock: a real-time accumulator that says how many sim ticks are due,
 * kept apart from the Colyseus patch rate (the sim ticks at its own pace; patches go out every
 * `patchRate` ms). Same idea as the fixed-timestep accumulator of the Colyseus tutorial, but the rate
 * changes at run time (trainer `speed`) and the clock can be paused.
 *
 * Rate: `timeDilation / tickSeconds` ticks per real second (4 sim s per real s with 1 s ticks = 4 ticks/s).
 *
 * Work budget (issue 12, "Bounded cost per match"; server/rooms/README.md): all rooms of a process share
 * one event loop, so a room may spend at most {@link SimClock.shareOfLoop} of real time stepping and
 * projecting its sim, averaged: it earns `shareOfLoop x elapsed ms` of credit per frame (banked up to
 * {@link SimClock.maxCreditMs}), pays each tick's measured wall ms ({@link SimClock.spent}), and runs
 * another due tick only while its credit is positive ({@link SimClock.mayStep}). Due ticks it may not
 * run are dropped ({@link SimClock.shed}): that room's sim time falls behind real time (fewer ticks per
 * real second, reported by {@link SimClock.report}), and nothing else changes. The sim's results never
 * depend on this: a tick is a tick whenever it runs, and actions are logged with their tick.
 *
 * Pure (no timers, no wall clock): the room feeds it measured milliseconds. May import nothing.
 */

/** Share of real time one room may spend on its sim, averaged over frames (0..1). */
export const SIM_SHARE_OF_LOOP = 0.25;
/** Most work credit a room banks, ms: the longest burst of ticks it runs before yielding. */
export const MAX_WORK_CREDIT_MS = 25;
/** Real ms over which {@link SimClock.report} measures the achieved rate. */
export const RATE_WINDOW_MS = 1000;

/**
 * What a room tells its players about its clock (`clock` message, server -> client broadcast): sent
 * when the work budget starts or stops dropping ticks, and once per {@link RATE_WINDOW_MS} while it
 * does.
 */
export interface ClockReport {
  /** True while the room's sim runs slower than `timeDilation` because its ticks cost too much. */
  throttled: boolean;
  /** The speed asked for: sim seconds per real second. */
  timeDilation: number;
  /** The speed achieved over the last window: sim seconds per real second (2 decimals). */
  effectiveTimeDilation: number;
  /** Ticks dropped by the work budget since the room started (sim time behind real time, in ticks). */
  droppedTicks: number;
}

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
  /** Share of real time this room may spend on its sim (default {@link SIM_SHARE_OF_LOOP}). */
  readonly shareOfLoop: number;
  /** Most banked work credit, ms (default {@link MAX_WORK_CREDIT_MS}). */
  readonly maxCreditMs: number;
  /** Work credit, wall ms: earned by {@link advance}, paid by {@link spent}. */
  private creditMs: number;
  /** Ticks dropped by the work budget since construction. */
  droppedTicks = 0;
  private windowMs = 0;
  private windowTicks = 0;
  private windowDropped = 0;
  private reportedThrottled = false;

  /**
   * @param tickSeconds sim seconds per tick (> 0).
   * @param timeDilation sim seconds per real second (> 0).
   * @param maxTicksPerAdvance backlog cap per call (default 240: 2 s of real time at the fastest speed).
   * @throws RangeError when `tickSeconds` or `timeDilation` is not > 0.
   */
  constructor(tickSeconds: number, timeDilation: number, maxTicksPerAdvance = 240, budget: { shareOfLoop?: number; maxCreditMs?: number } = {}) {
    if (!(tickSeconds > 0)) throw new RangeError(`tickSeconds must be > 0, got ${tickSeconds}`);
    if (!(timeDilation > 0)) throw new RangeError(`timeDilation must be > 0, got ${timeDilation}`);
    this.tickSeconds = tickSeconds;
    this.timeDilation = timeDilation;
    this.maxTicksPerAdvance = maxTicksPerAdvance;
    this.shareOfLoop = budget.shareOfLoop ?? SIM_SHARE_OF_LOOP;
    this.maxCreditMs = budget.maxCreditMs ?? MAX_WORK_CREDIT_MS;
    this.creditMs = this.maxCreditMs;
  }

  /** True while the room may run another due tick in this frame (its work credit is positive). */
  mayStep(): boolean {
    return this.creditMs > 0;
  }

  /** The room spent `ms` wall milliseconds on its sim (a tick, a projection): paid from the credit. */
  spent(ms: number): void {
    if (ms > 0 && Number.isFinite(ms)) this.creditMs -= ms;
  }

  /** A tick ran (counted for the achieved rate of {@link report}). */
  ran(): void {
    this.windowTicks++;
  }

  /** `ticks` due ticks were not run (out of credit): dropped, the room's sim time falls behind. */
  shed(ticks: number): void {
    if (!(ticks > 0)) return;
    this.droppedTicks += ticks;
    this.windowDropped += ticks;
  }

  /**
   * Once per {@link RATE_WINDOW_MS} of real time: the window's report when the room is throttled or
   * just stopped being so (else null, nothing to tell), then a new window.
   */
  report(): ClockReport | null {
    if (this.windowMs < RATE_WINDOW_MS) return null;
    const throttled = this.windowDropped > 0;
    const effective = Math.round(((this.windowTicks * this.tickSeconds) / (this.windowMs / 1000)) * 100) / 100;
    const tell = throttled || this.reportedThrottled;
    this.reportedThrottled = throttled;
    this.windowMs = 0;
    this.windowTicks = 0;
    this.windowDropped = 0;
    return tell ? { throttled, timeDilation: this.timeDilation, effectiveTimeDilation: effective, droppedTicks: this.droppedTicks } : null;
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
   * Add `elapsedMs` real milliseconds and return how many ticks are due now (0 while paused); earns
   * work credit (also while paused). Negative or non-finite input counts as 0.
   */
  advance(elapsedMs: number): number {
    if (!(elapsedMs > 0) || !Number.isFinite(elapsedMs)) return 0;
    this.creditMs = Math.min(this.maxCreditMs, this.creditMs + elapsedMs * this.shareOfLoop);
    if (this.paused) return 0;
    this.windowMs += elapsedMs;
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
