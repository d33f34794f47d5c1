import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, type Room } from '@colyseus/sdk';
import { matchMaker } from '@colyseus/core';
import type { Database } from '../../server/db/index.ts';
import { loadJournal } from '../../server/db/journal.ts';
import { rebuildMatch } from '../../server/recovery/rebuild.ts';
import { matchHash, type Match } from '../../shared/game/index.ts';
import type { RunningServer } from '../../server/app.ts';
import { ask, startTestServer } from './helpers.ts';

// Issue 12, "Bounded cost per match": a match whose ticks cost more than the room's work budget runs
// each tick in slices (one team's step at a time); messages wait for a whole tick, so the journal
// rebuilds exactly the live match.

/** The room internals this test reads (a real room in this process). */
interface Internals {
  match: Match;
  tickCursor: { next: number };
  simClock: { paused: boolean; maxCreditMs: number };
  journal: { heartbeat(): Promise<unknown> };
  deps: { recovery: { database: Database } };
  state: { matchId: string };
  finishTick(): void;
}

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer();
}, 30_000);
afterAll(async () => {
  await server?.close();
});

describe('a match tick run in slices', () => {
  it('holds players’ commands until the tick is whole: the journal rebuilds the live match’s hash', async () => {
    const teams = ['blue', 'red', 'green', 'gold', 'purple', 'orange', 'teal', 'pink'];
    const players: Room[] = [await new Client(server.url).create('match', { name: 'p-blue', scenario: 'guestbook', seed: 5, timeDilation: 120, teams: 8 })];
    for (const team of teams.slice(1)) players.push(await new Client(server.url).joinById(players[0]!.roomId, { name: `p-${team}`, team }));
    for (const p of players) for (const type of ['credentials', 'notice', 'clock']) p.onMessage(type, () => undefined);
    const room = matchMaker.getLocalRoomById(players[0]!.roomId) as unknown as Internals;
    // A tiny work credit (a real budget is 25 ms): every tick is out of budget after one team's step,
    // however fast the machine, so the room must run its ticks in slices.
    room.simClock.maxCreditMs = 0.001;
    let open = 0;
    const watch = setInterval(() => {
      if (room.tickCursor.next !== 0) open++;
    }, 2);
    try {
      // Every player scales and rolls back and forth while the room is out of budget.
      for (let round = 0; round < 6; round++) {
        const replies = await Promise.all(players.map((p, i) => ask(p, 'kubectl', { id: `r${round}-${i}`, command: `kubectl scale deployment frontend --replicas=${2 + ((round + i) % 4)}` })));
        expect(replies.map((r) => r.ok)).toEqual(teams.map(() => true));
      }
    } finally {
      clearInterval(watch);
    }
    expect(open, 'the room left a tick open between frames').toBeGreaterThan(0);
    room.finishTick();
    room.simClock.paused = true;
    await room.journal.heartbeat(); // the durable tick is the live tick
    const loaded = (await loadJournal(room.deps.recovery.database, room.state.matchId))!;
    const rebuilt = rebuildMatch(loaded.row, loaded.entries, null);
    expect(rebuilt.match.teams.map((t) => t.sim.tick)).toEqual(room.match.teams.map((t) => t.sim.tick));
    expect(matchHash(rebuilt.match)).toBe(matchHash(room.match));
    for (const p of players) await p.leave().catch(() => undefined);
  }, 60_000);
});
