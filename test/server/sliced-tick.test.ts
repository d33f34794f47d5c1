import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, type Room } from '@colyseus/sdk';
import { matchMaker } from '@colyseus/core';
import type { Database } from '../../server/db/index.ts';
import { loadJournal, type JournalRecord } from '../../server/db/journal.ts';
import { rebuildMatch } from '../../server/recovery/rebuild.ts';
import { matchHash, type Match } from '../../shared/game/index.ts';
import type { RunningServer } from '../../server/app.ts';
import { HELD_EVENTS_PER_TURN } from '../../server/rooms/MatchRoom.ts';
import type { ReplyMessage } from '../../shared/protocol.ts';
import { ask, startTestServer, waitFor } from './helpers.ts';

// Issue 12, "Bounded cost per match": a match whose ticks cost more than the room's work budget runs
// each tick in slices (one team's step at a time); a player's own-team command may run between two
// teams' steps and is journaled with its slice, other messages wait for a whole tick, so the journal
// rebuilds exactly the live match. Held messages run within the budget, in order.

/** The room internals this test reads (a real room in this process). */
interface Internals {
  match: Match;
  tickCursor: { next: number };
  simClock: { paused: boolean; maxCreditMs: number; creditMs: number };
  waiting: unknown[];
  heldCreditMs: number;
  heldStats: { early: number; whole: number; maxTurn: number };
  journal: { heartbeat(): Promise<unknown> };
  deps: { recovery: { database: Database } };
  state: { matchId: string };
  finishTick(): void;
}

const TEAMS = ['blue', 'red', 'green', 'gold', 'purple', 'orange', 'teal', 'pink'];

/** An 8-team match at 120x, one player per team, and the room in this process. */
async function eightTeams(seed: number): Promise<{ players: Room[]; room: Internals }> {
  const players: Room[] = [await new Client(server.url).create('match', { name: 'p-blue', scenario: 'guestbook', seed, timeDilation: 120, teams: 8 })];
  for (const team of TEAMS.slice(1)) players.push(await new Client(server.url).joinById(players[0]!.roomId, { name: `p-${team}`, team }));
  for (const p of players) for (const type of ['credentials', 'notice', 'clock']) p.onMessage(type, () => undefined);
  return { players, room: matchMaker.getLocalRoomById(players[0]!.roomId) as unknown as Internals };
}

/**
 * Collects each player's replies to the `round` commands as they arrive; `send(from, count)` makes every
 * player send commands `from`..`from + count - 1` at once (no wait between): scale `frontend` to
 * `replicas(player, k)`.
 */
function burst(players: Room[], round: string) {
  const replicas = (i: number, k: number) => 1 + ((i + k) % 5);
  const replies = players.map((p) => {
    const got: ReplyMessage[] = [];
    p.onMessage('reply', (r: ReplyMessage) => {
      if (typeof r.id === 'string' && r.id.startsWith(`${round}-`)) got.push(r);
    });
    return got;
  });
  const send = (from: number, count: number) =>
    players.forEach((p, i) => {
      for (let k = from; k < from + count; k++) p.send('kubectl', { id: `${round}-${i}-${k}`, command: `kubectl scale deployment frontend --replicas=${replicas(i, k)}` });
    });
  return { replies, replicas, send };
}

/** The journal rebuilds the live match: same ticks, same `matchHash`. Returns the journal's entries. */
async function expectRebuildsLive(room: Internals): Promise<JournalRecord[]> {
  room.finishTick();
  room.simClock.paused = true;
  await room.journal.heartbeat(); // the durable tick is the live tick
  const loaded = (await loadJournal(room.deps.recovery.database, room.state.matchId))!;
  const rebuilt = rebuildMatch(loaded.row, loaded.entries, null);
  expect(rebuilt.match.teams.map((t) => t.sim.tick)).toEqual(room.match.teams.map((t) => t.sim.tick));
  expect(matchHash(rebuilt.match)).toBe(matchHash(room.match));
  return loaded.entries;
}

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer();
}, 30_000);
afterAll(async () => {
  await server?.close();
});

describe('a match tick run in slices', () => {
  it('takes players’ commands while ticks run in slices: the journal rebuilds the live match’s hash', async () => {
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

  it('runs the players’ commands between two teams’ steps, journaled with their slice: all answered in order, the rebuild has the live hash', async () => {
    const { players, room } = await eightTeams(7);
    room.simClock.maxCreditMs = 0.001; // every tick is sliced (see above)
    let open = 0;
    const watch = setInterval(() => {
      if (room.tickCursor.next !== 0) open++;
    }, 2);
    const n = 6;
    const { replies, replicas, send } = burst(players, 'slice');
    try {
      // Three bursts, each sent while a tick is open (between two teams' steps).
      for (let k = 0; k < n; k += 2) {
        await waitFor(() => room.tickCursor.next !== 0, 'an open tick', 10_000);
        send(k, 2);
        await waitFor(() => replies.every((r) => r.length >= k + 2), 'the burst’s replies', 30_000);
      }
    } finally {
      clearInterval(watch);
    }
    expect(open, 'the room left a tick open between frames').toBeGreaterThan(0);
    // Each player's replies come in the order it sent its commands, every one accepted.
    replies.forEach((got, i) => expect(got.map((r) => [r.id, r.ok])).toEqual(Array.from({ length: n }, (_, k) => [`slice-${i}-${k}`, true])));
    expect(room.heldStats.early, 'no command ran between two teams’ steps').toBeGreaterThan(0);
    // The last command is what each cluster shows.
    for (const [i, p] of players.entries()) {
      const get = await ask(p, 'kubectl', { id: `get-${i}`, command: 'kubectl get deployment frontend' });
      expect(get.output).toMatch(new RegExp(`frontend\\s+\\d+/${replicas(i, n - 1)}\\s`));
    }
    const entries = await expectRebuildsLive(room);
    // Some ran inside an open tick, among them commands of teams that had not stepped in it yet.
    const inSlices = entries.filter((e) => e.slice !== undefined && e.entry.kind === 'action');
    expect(inSlices.length).toBeGreaterThan(0);
    expect(inSlices.some((e) => e.entry.kind === 'action' && TEAMS.indexOf(e.entry.team) >= e.slice!)).toBe(true);
    for (const p of players) await p.leave().catch(() => undefined);
  }, 60_000);

  it('answers a burst held behind a whole-tick message in order, at most HELD_EVENTS_PER_TURN per turn, none lost', async () => {
    const { players, room } = await eightTeams(8);
    // A tick left open and the room deep in debt: nothing of this room runs for now.
    room.simClock.maxCreditMs = 0.001;
    await waitFor(() => room.tickCursor.next !== 0, 'an open tick', 10_000);
    room.simClock.creditMs = -1e9;
    room.heldCreditMs = -1e9;
    // A workflow message (anything beyond the sender's team) waits for the whole tick, and every
    // later arrival behind it.
    const workflow = ask(players[0]!, 'workflow', { id: 'wf', op: 'ack', page: 'no-such-page' });
    const n = 12;
    const { replies, replicas, send } = burst(players, 'debt');
    send(0, n);
    // (the bots' turn, a timer, may wait beside them)
    await waitFor(() => room.waiting.length >= 1 + players.length * n, 'every command held', 15_000);
    expect(replies.flat()).toEqual([]);
    room.simClock.maxCreditMs = 25; // the budget again: 25 ms banked
    room.simClock.creditMs = 25;
    room.heldCreditMs = 25;
    await workflow;
    await waitFor(() => replies.every((r) => r.length === n), 'every reply', 30_000);
    replies.forEach((got, i) => expect(got.map((r) => [r.id, r.ok])).toEqual(Array.from({ length: n }, (_, k) => [`debt-${i}-${k}`, true])));
    expect(room.heldStats.maxTurn).toBeLessThanOrEqual(HELD_EVENTS_PER_TURN);
    expect(room.heldStats.whole + room.heldStats.early).toBeGreaterThanOrEqual(players.length * n);
    for (const [i, p] of players.entries()) {
      const get = await ask(p, 'kubectl', { id: `get-${i}`, command: 'kubectl get deployment frontend' });
      expect(get.output).toMatch(new RegExp(`frontend\\s+\\d+/${replicas(i, n - 1)}\\s`));
    }
    await expectRebuildsLive(room);
    for (const p of players) await p.leave().catch(() => undefined);
  }, 60_000);
});
