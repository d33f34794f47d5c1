import { describe, it, expect } from 'vitest';
import { SimClock } from '../../server/rooms/clock.ts';

describe('SimClock', () => {
  it('runs timeDilation / tickSeconds ticks per real second (4/s by default)', () => {
    const clock = new SimClock(1, 4);
    let ticks = 0;
    for (let i = 0; i < 20; i++) ticks += clock.advance(50); // 1 s in 50 ms frames
    expect(ticks).toBe(4);
    expect(clock.msPerTick).toBe(250);
  });

  it('keeps the fraction of a tick between frames', () => {
    const clock = new SimClock(1, 4);
    expect(clock.advance(200)).toBe(0);
    expect(clock.advance(100)).toBe(1); // 300 ms: one tick, 50 ms carried
    expect(clock.advance(200)).toBe(1); // 250 ms
  });

  it('stops while paused and follows speed changes', () => {
    const clock = new SimClock(1, 4);
    clock.paused = true;
    expect(clock.advance(10_000)).toBe(0);
    clock.paused = false;
    clock.setTimeDilation(120);
    expect(clock.advance(1000)).toBe(120);
  });

  it('drops a backlog beyond the cap instead of spiralling', () => {
    const clock = new SimClock(1, 120, 240);
    expect(clock.advance(60_000)).toBe(240);
    expect(clock.advance(0)).toBe(0);
  });

  it('rejects a zero rate and ignores nonsense elapsed times', () => {
    expect(() => new SimClock(1, 0)).toThrow(RangeError);
    const clock = new SimClock(1, 4);
    expect(clock.advance(-5)).toBe(0);
    expect(clock.advance(Number.NaN)).toBe(0);
  });

  it('runs due ticks only while its work credit lasts, drops the rest and reports the slower rate', () => {
    const clock = new SimClock(1, 120); // 6 ticks per 50 ms frame
    let ran = 0;
    let reports = 0;
    let last = null as ReturnType<SimClock['report']>;
    for (let frame = 0; frame < 40; frame++) {
      const due = clock.advance(50);
      for (let i = 0; i < due; i++) {
        if (!clock.mayStep()) {
          clock.shed(due - i);
          break;
        }
        clock.spent(20); // a heavy tick: 20 ms of wall time
        clock.ran();
        ran++;
      }
      const r = clock.report();
      if (r) {
        reports++;
        last = r;
      }
    }
    // 2 s of real time at a 25 % share = 500 ms of work (+ 25 ms banked): about 26 ticks of 20 ms, not 240.
    expect(ran).toBeGreaterThanOrEqual(24);
    expect(ran).toBeLessThanOrEqual(28);
    expect(clock.droppedTicks).toBe(240 - ran);
    expect(reports).toBe(2);
    expect(last).toMatchObject({ throttled: true, timeDilation: 120 });
    expect(last!.effectiveTimeDilation).toBeLessThan(20);
  });

  it('says once that it is no longer throttled, then nothing', () => {
    const clock = new SimClock(1, 4);
    const frame = (cost: number) => {
      const due = clock.advance(50);
      for (let i = 0; i < due; i++) {
        if (!clock.mayStep()) return clock.shed(due - i);
        clock.spent(cost);
        clock.ran();
      }
    };
    const reports: ({ throttled: boolean } | null)[] = [];
    for (let f = 0; f < 20; f++) {
      frame(400);
      reports.push(clock.report());
    }
    for (let f = 0; f < 60; f++) {
      frame(0.1);
      reports.push(clock.report());
    }
    const told = reports.filter((r) => r !== null).map((r) => r!.throttled);
    expect(told[0]).toBe(true);
    expect(told.at(-1)).toBe(false);
    expect(told.filter((t) => !t)).toHaveLength(1);
  });
});
