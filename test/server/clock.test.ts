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
});
