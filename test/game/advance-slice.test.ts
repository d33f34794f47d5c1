import { describe, expect, it } from 'vitest';
import { advance, advanceSlice, createMatch, matchHash, type TickCursor } from '../../shared/game/index.ts';
import { badRolloutIncident, nodeIncident, shopInput } from '../sim/game-fixtures.ts';
import { act } from './helpers.ts';

/** Three teams, incidents at t=10 and t=20, one scale-up between ticks: 40 ticks. */
function run(slice: (match: ReturnType<typeof createMatch>, tick: number) => void): string {
  const match = createMatch({ input: shopInput({ durationSeconds: 400, incidents: [{ ...nodeIncident, at: 10 }, { ...badRolloutIncident, at: 20 }] }), teams: ['blue', 'green', 'red'] });
  for (let tick = 0; tick < 40; tick++) {
    if (tick === 5) act(match, 'bob', { type: 'scaleDeployment', deployment: 'db', replicas: 3 }, 'green');
    slice(match, tick);
  }
  return matchHash(match);
}

describe('a match tick run in slices (issue 12, bounded cost per match)', () => {
  it('leaves the same match hash as advance, whatever the slices', () => {
    const whole = run((match) => advance(match));
    // One team per call (the room out of budget after every step).
    const oneByOne = run((match) => {
      const cursor: TickCursor = { next: 0 };
      let calls = 0;
      while (advanceSlice(match, cursor, () => false) === 'partial') calls++;
      expect(calls).toBe(2); // 3 teams: two calls leave the tick open
      expect(cursor.next).toBe(0);
    });
    // Slices that change with the tick (two teams, then one; one, then two).
    const mixed = run((match, tick) => {
      const cursor: TickCursor = { next: 0 };
      let asked = 0;
      while (advanceSlice(match, cursor, () => (asked++ + tick) % 2 === 0) === 'partial');
    });
    expect(oneByOne).toBe(whole);
    expect(mixed).toBe(whole);
  });

  it('steps the next team only: an open tick names it, the teams before it are one tick ahead', () => {
    const match = createMatch({ input: shopInput({ durationSeconds: 400 }), teams: ['blue', 'green', 'red'] });
    const cursor: TickCursor = { next: 0 };
    expect(advanceSlice(match, cursor, () => false)).toBe('partial');
    expect(cursor.next).toBe(1);
    expect(match.teams.map((t) => t.sim.tick)).toEqual([1, 0, 0]);
    expect(advanceSlice(match, cursor, () => true)).toBe('done');
    expect(match.teams.map((t) => t.sim.tick)).toEqual([1, 1, 1]);
  });
});
