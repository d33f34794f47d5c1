/**
 * Red vs blue over real WebSocket clients: a match created with `mode: 'redblue'` plays teams blue and
 * red; red's player attacks blue's cluster with a catalog incident (the `chaos` message), blue's player
 * sees the symptoms on its own cluster (not the attack's kind in any chaos message), the sides swap at
 * half time, and the `matchEnded` message carries both teams' totals.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { Client, type Room } from '@colyseus/sdk';
import { snapshotState } from '../../client/src/view/stateMirror.ts';
import type { ChaosMessage, MatchEndedMessage } from '../../shared/protocol.ts';
import type { RunningServer } from '../../server/app.ts';
import { ask, nextMessage, startTestServer, waitFor } from './helpers.ts';
import { replayRecord, type ReplayRecord } from '../../server/scenarios/replay.ts';

let server: RunningServer;
let client: Client;
let rita: Room;
let bill: Room;
const chaosSeen = new Map<string, ChaosMessage[]>();

const state = (room: Room) => snapshotState(room.state);
const team = (room: Room, id: string) => state(room).teams.get(id);

function record(name: string, room: Room): void {
  const list: ChaosMessage[] = [];
  chaosSeen.set(name, list);
  room.onMessage('chaos', (m: ChaosMessage) => list.push(m));
}

beforeAll(async () => {
  server = await startTestServer();
  client = new Client(server.url);
  // 240 sim s at 20 sim s per real s: half time after about 6 real seconds, the end after 12.
  rita = await client.joinOrCreate('match', { name: 'rita', team: 'red', mode: 'redblue', scenario: 'guestbook', seed: 7, durationSeconds: 240, timeDilation: 20 });
  record('rita', rita);
  bill = await client.joinById(rita.roomId, { name: 'bill', team: 'blue' });
  record('bill', bill);
  bill.onMessage('matchEnded', () => undefined);
  rita.onMessage('matchEnded', () => undefined);
  await waitFor(() => (team(rita, 'red')?.nodes.size ?? 0) > 0 && (team(bill, 'blue')?.nodes.size ?? 0) > 0, 'each player sees its team');
}, 30_000);

afterAll(async () => {
  for (const room of [rita, bill]) await room?.leave().catch(() => undefined);
  await server?.close();
});

describe('red vs blue in a room', () => {
  it('red attacks, blue sees symptoms, the sides swap at half time, totals decide', async () => {
    // The attacking side (red, half 1) sees its budget and the allowed kinds; the defender is told only that it defends.
    const ritaInfo = await waitFor(() => chaosSeen.get('rita')!.find((m) => m.attacking), 'red’s chaos panel data');
    expect(ritaInfo).toMatchObject({ half: 1, attacker: 'red', info: { budgetRemaining: 100, budget: 100, defender: 'blue' } });
    expect(ritaInfo.info!.kinds.find((k) => k.kind === 'bad-rollout')).toMatchObject({ cost: 20, cooldownSeconds: 120, cooldownLeft: 0 });
    expect(ritaInfo.info!.targets.Deployment).toContain('default/frontend');
    const billInfo = await waitFor(() => chaosSeen.get('bill')![0], 'blue’s chaos message');
    expect(billInfo).toMatchObject({ attacking: false, attacker: 'red', info: null });
    expect(team(bill, 'blue')!.incidents.length).toBe(0); // the scenario's own schedule does not start

    // Blue may not attack in half 1; red attacks blue's frontend.
    expect(await ask(bill, 'chaos', { id: 'b1', kind: 'pod-kill', target: 'frontend' })).toMatchObject({ ok: false, error: 'your team defends in this half: team red attacks in half 1' });
    expect(await ask(rita, 'chaos', { id: 'r0', kind: 'bad-rollout', target: 'Not A Name!' })).toMatchObject({ ok: false, error: expect.stringContaining('invalid message: target') });
    const hit = await ask(rita, 'chaos', { id: 'r1', kind: 'bad-rollout', target: 'frontend', params: { errorRate: 1 } });
    expect(hit).toMatchObject({ ok: false, error: expect.stringContaining('params') }); // strict shape: no params
    const ok = await ask(rita, 'chaos', { id: 'r2', kind: 'bad-rollout', target: 'frontend' });
    expect(ok).toMatchObject({ ok: true, output: expect.stringContaining('80 points left') });
    expect(await ask(rita, 'chaos', { id: 'r3', kind: 'bad-rollout', target: 'frontend' })).toMatchObject({ ok: false, error: expect.stringMatching(/^bad-rollout is cooling down: \d+ s left$/) });

    // Blue notices symptoms on its own cluster: an incident struck, events, errors on the SLO. Red's cluster is untouched.
    await waitFor(() => team(bill, 'blue')!.incidents.length > 0, 'the attack on blue’s cluster');
    await waitFor(() => team(bill, 'blue')!.slo.availability < team(rita, 'red')!.slo.availability - 0.001, 'blue’s availability to drop below red’s (same scenario and seed)');
    expect(team(rita, 'red')!.incidents.length).toBe(0);
    // Blue's chaos messages never name the kind (it only ever learns it defends).
    for (const m of chaosSeen.get('bill')!.filter((x) => x.half === 1)) expect(m.info).toBeNull();
    await waitFor(() => chaosSeen.get('rita')!.some((m) => m.info?.budgetRemaining === 80), 'red’s budget to show 80');

    // Half time: blue attacks red's cluster, red may not any more.
    const swap = await waitFor(() => chaosSeen.get('bill')!.find((m) => m.attacking), 'the swap at half time', 15_000);
    expect(swap).toMatchObject({ half: 2, attacker: 'blue', info: { budgetRemaining: 100, defender: 'red' } });
    await waitFor(() => chaosSeen.get('rita')!.some((m) => m.half === 2 && !m.attacking), 'red to be told it defends');
    const ended = [nextMessage<MatchEndedMessage>(rita, 'matchEnded', () => true, 20_000), nextMessage<MatchEndedMessage>(bill, 'matchEnded', () => true, 20_000)];
    expect(await ask(rita, 'chaos', { id: 'r4', kind: 'pod-kill', target: 'frontend' })).toMatchObject({ ok: false, error: 'your team defends in this half: team blue attacks in half 2' });
    expect(await ask(bill, 'chaos', { id: 'b2', kind: 'pod-kill', target: 'frontend' })).toMatchObject({ ok: true });
    await waitFor(() => team(rita, 'red')!.incidents.length > 0, 'the attack on red’s cluster');

    // The end: both clients get both totals, best first; red's bad rollout burnt more than blue's pod kill.
    const [forRita, forBill] = await Promise.all(ended);
    expect(forRita!.redBlue).toEqual(forBill!.redBlue);
    const totals = forRita!.redBlue!;
    expect(totals.map((x) => x.team).sort()).toEqual(['blue', 'red']);
    for (const x of totals) expect(x.total).toBe(x.defence + x.attack);
    const red = totals.find((x) => x.team === 'red')!;
    const blue = totals.find((x) => x.team === 'blue')!;
    expect(red).toMatchObject({ attacks: 1, spent: 20 });
    expect(blue).toMatchObject({ attacks: 1, spent: 20 });
    expect(red.attack).toBeGreaterThan(0);
    expect(red.attack).toBeGreaterThan(blue.attack);
    expect(totals[0]!.rank).toBe(1);
    expect(totals[0]!.total).toBeGreaterThanOrEqual(totals[1]!.total);

    // The archive replays each side's cluster to the hash the room reported: the attacks are its
    // injections and the scenario's schedule stays off, as it was live (gameday replay, the replay viewer).
    for (const [team, ended] of [['blue', forBill!], ['red', forRita!]] as const) {
      let res = await fetch(`${server.url}/api/matches/${ended.matchId}`);
      for (let i = 0; i < 100 && res.status === 404; i++) {
        await new Promise((r) => setTimeout(r, 200)); // saved just after matchEnded
        res = await fetch(`${server.url}/api/matches/${ended.matchId}`);
      }
      expect(res.status).toBe(200);
      const record = (await res.json()) as ReplayRecord;
      expect(record.settings.mode).toBe('redblue');
      expect(record.injections).toHaveLength(1);
      const replayed = replayRecord(record);
      expect(replayed, team).toMatchObject({ matches: true, stateHash: ended.summary.stateHash });
    }
  }, 90_000);
});

describe('chaos outside red vs blue', () => {
  it('is refused in a match of another mode, with the reason', async () => {
    const room = await client.create('match', { name: 'olga', scenario: 'guestbook', seed: 1, durationSeconds: 600 });
    try {
      expect(await ask(room, 'chaos', { id: 'o1', kind: 'pod-kill', target: 'frontend' })).toMatchObject({ ok: false, error: 'attacks are only for red-vs-blue matches (mode redblue)' });
      expect(await ask(room, 'chaos', { id: 'o2', kind: 7 })).toMatchObject({ ok: false, error: expect.stringContaining('invalid message: kind') });
    } finally {
      await room.leave().catch(() => undefined);
    }
  });
});

describe('red vs blue after a crash', () => {
  it('journaled attacks replay: the rebuilt match has the live match’s hash, budgets and half', async () => {
    const { resolveSimInput } = await import('../../server/scenarios/index.ts');
    const { rebuildMatch, matchTick } = await import('../../server/recovery/rebuild.ts');
    const { advance, attack, createMatch, join, matchHash } = await import('../../shared/game/index.ts');
    const resolved = resolveSimInput({ scenario: 'guestbook', seed: 3, durationSeconds: 200 });
    const live = createMatch({ input: resolved.input, teams: ['blue', 'red'], settings: { mode: 'redblue' }, redTeam: resolved.redTeam });
    const entries: import('../../server/db/journal.ts').JournalRecord[] = [];
    const seat = (name: string, teamId: string): string => {
      const r = join(live, { name, team: teamId });
      if (!r.ok) throw new Error(r.error);
      entries.push({ seq: entries.length, tick: matchTick(live), entry: { kind: 'join', name, team: teamId, trainer: false, tokenHash: null } });
      return r.player.id;
    };
    const strike = (id: string, name: string, teamId: string, kind: string, target?: string): void => {
      const r = attack(live, id, { kind, ...(target ? { target } : {}) });
      if (!r.ok) throw new Error(r.error);
      entries.push({ seq: entries.length, tick: matchTick(live), entry: { kind: 'chaos', team: teamId, player: name, attack: { kind: r.attack.kind, target: r.attack.target } } });
    };
    const r = seat('rita', 'red');
    const b = seat('bill', 'blue');
    for (let i = 0; i < 10; i++) advance(live);
    strike(r, 'rita', 'red', 'bad-rollout', 'frontend');
    strike(r, 'rita', 'red', 'node-failure');
    for (let i = 0; i < 100; i++) advance(live);
    strike(b, 'bill', 'blue', 'pod-kill', 'frontend');
    for (let i = 0; i < 5; i++) advance(live);
    const row = {
      matchId: 'm-redblue',
      roomId: 'room',
      seed: 3,
      setup: { scenario: 'guestbook', scenarioId: 'guestbook', title: resolved.title, durationSeconds: 200, teams: ['blue', 'red'], timeDilation: 4, settings: { mode: 'redblue' as const, roles: false, lobby: false } },
      owner: 'x',
      leaseExpiresAt: new Date(0),
      journalLength: entries.length,
      durableTick: matchTick(live),
      startedAt: new Date(0),
    };
    const rebuilt = rebuildMatch(row, entries, null);
    expect(rebuilt.match.chaos!.half).toBe(2);
    expect(rebuilt.match.chaos!.sides.map((s) => s.budgetRemaining)).toEqual([80, 50]);
    expect(matchHash(rebuilt.match)).toBe(matchHash(live));
  });
});
