import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { randomUUID } from 'node:crypto';
import { Client, type Room } from '@colyseus/sdk';
import type { MatchEndedMessage } from '../../shared/protocol.ts';
import type { RunningServer } from '../../server/app.ts';
import type { RatingBoard } from '../../server/db/ratings.ts';
import { ask, nextMessage, signIn, startTestServer } from './helpers.ts';

// Ratings follow results in our matches: a real two-team race over the room (an account on blue, an
// anonymous guest on red who scales the frontend to zero), then the leaderboard and profiles over HTTP.

let server: RunningServer;
const ann = `ann-${randomUUID().slice(0, 6)}`;
const bob = `Bob${randomUUID().slice(0, 4)}`;
let blue: Room;
let red: Room;
let ended: MatchEndedMessage;

async function get<T>(path: string): Promise<{ status: number; body: T }> {
  const res = await fetch(`${server.url}${path}`);
  return { status: res.status, body: (await res.json()) as T };
}

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  for (const room of [blue, red]) if (room?.connection.isOpen) await room.leave().catch(() => undefined);
  await server?.close();
});

describe('a rated race over the room', () => {
  it('ends with blue ahead: red paid for scaling its frontend to zero', async () => {
    const client = new Client(server.url);
    blue = await client.create('match', { name: ann, token: await signIn(server.url, ann), seed: 11, teams: 2, durationSeconds: 60, timeDilation: 6 });
    red = await client.joinById(blue.roomId, { name: bob, team: 'red' });
    const blueEnded = nextMessage<MatchEndedMessage>(blue, 'matchEnded', () => true, 60_000);
    const redEnded = nextMessage<MatchEndedMessage>(red, 'matchEnded', () => true, 60_000);
    expect(await ask(red, 'kubectl', { id: 1, command: 'kubectl scale deployment/frontend --replicas=0' })).toMatchObject({ ok: true });
    ended = await blueEnded;
    const theirs = await redEnded;
    expect(ended.summary.score).toBeGreaterThan(theirs.summary.score);
    expect(ended.players.map((p) => p.name).sort()).toEqual([ann, bob].sort());
  }, 90_000);

  it("the winner's ordinal goes up, the loser's stays below; the account and the guest are told apart", async () => {
    const { status, body } = await get<RatingBoard>(`/api/leaderboard?scope=${ended.summary.scenarioId}&period=all`);
    expect(status).toBe(200);
    const mine = body.entries.find((e) => e.player === ann)!;
    const theirs = body.entries.find((e) => e.player === bob)!;
    expect(mine).toMatchObject({ kind: 'account', id: ann, matches: 1, bestScore: Math.round(ended.summary.score) });
    expect(theirs).toMatchObject({ kind: 'guest', id: `guest:${bob}`, matches: 1 });
    expect(mine.ordinal).toBeGreaterThan(0); // a new player's ordinal is 25 - 3 x 25/3 = 0
    expect(mine.ordinal).toBeGreaterThan(theirs.ordinal);
    expect(mine.mu).toBeGreaterThan(25);
    expect(theirs.mu).toBeLessThan(25);
    expect(mine.rank).toBeLessThan(theirs.rank);

    const week = await get<RatingBoard>(`/api/leaderboard?period=week&pageSize=1&me=guest:${bob}`);
    expect(week.body).toMatchObject({ scope: 'overall', period: 'week', page: 1, pageSize: 1, total: 2 });
    expect(week.body.entries.map((e) => e.player)).toEqual([ann]);
    expect(week.body.me).toMatchObject({ player: bob, rank: 2, kind: 'guest' });
    // A bare name finds the guest too (no account has it).
    expect((await get<RatingBoard>(`/api/leaderboard?me=${bob}`)).body.me).toMatchObject({ player: bob });
  });

  it('profiles carry ratings per scope and rating over time', async () => {
    const { status, body } = await get<{ name: string; registered: boolean; kind: string; ratings: { scope: string; matches: number; rank: number }[]; history: { scope: string; place: number; ordinal: number; ordinalBefore: number }[]; matches: unknown[]; best: { scenarioId: string }[] }>(`/api/players/${ann}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ name: ann, registered: true, kind: 'account' });
    expect(body.ratings.map((r) => [r.scope, r.matches, r.rank])).toEqual([['overall', 1, 1], [ended.summary.scenarioId, 1, 1]]);
    expect(body.history.map((h) => h.place)).toEqual([1, 1]);
    expect(body.history.every((h) => h.ordinal > h.ordinalBefore)).toBe(true);
    expect(body.best.map((b) => b.scenarioId)).toEqual([ended.summary.scenarioId]);
    const guest = await get<{ name: string; registered: boolean; kind: string; ratings: unknown[]; matches: unknown[] }>(`/api/players/guest:${bob}`);
    expect(guest.body).toMatchObject({ name: bob, registered: false, kind: 'guest' });
    expect(guest.body.ratings).toHaveLength(2);
    expect(guest.body.matches).toHaveLength(1);
  });

  it('keeps the best-score list for the old query, and refuses bad ratings queries clearly', async () => {
    const legacy = await get<{ player: string }[]>('/api/leaderboard?limit=10');
    expect(Array.isArray(legacy.body)).toBe(true);
    expect(legacy.body.map((e) => e.player).sort()).toEqual([ann, bob].sort());
    expect(await get('/api/leaderboard?period=month')).toMatchObject({ status: 400, body: { error: expect.stringMatching(/period must be week, season or all/) } });
    expect(await get('/api/leaderboard?scope=overall&limit=5')).toMatchObject({ status: 400, body: { error: expect.stringMatching(/unknown parameter\(s\) limit/) } });
    expect(await get('/api/leaderboard?scope=no-such-scenario')).toMatchObject({ status: 400, body: { error: expect.stringMatching(/unknown scope "no-such-scenario"/) } });
    expect(await get('/api/leaderboard?pageSize=0')).toMatchObject({ status: 400, body: { error: expect.stringMatching(/pageSize must be a whole number from 1 to 100/) } });
    const empty = await get<RatingBoard>('/api/leaderboard?page=9');
    expect(empty.body).toMatchObject({ page: 9, total: 2, entries: [] });
  });
});
