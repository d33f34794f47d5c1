/**
 * Server-side bot seats over real WebSocket clients (issue 8 "empty seats can be filled by bots"; done
 * when "bots play full matches of every mode in tests through real WebSocket clients; identical seeds
 * give identical incident timelines on every team's cluster"). Each match is the guestbook scenario
 * (its bad rollout at t=180) fast-forwarded: a person joins with the join option `bots`, a spectator
 * watches every team, the bots play inside the room, the match ends and `matchEnded` lists every team.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { Client, type Room } from '@colyseus/sdk';
import { snapshotState } from '../../client/src/view/stateMirror.ts';
import type { MatchEndedMessage } from '../../shared/protocol.ts';
import type { RunningServer } from '../../server/app.ts';
import { runBots, type BotRunResult } from '../../server/cli/bot-command.ts';
import { JournalEntrySchema } from '../../server/db/journal.ts';
import { rebuildMatch } from '../../server/recovery/rebuild.ts';
import { resolveSimInput } from '../../server/scenarios/index.ts';
import { advance, createMatch, join, matchHash, submit } from '../../shared/game/index.ts';
import { ask, nextMessage, startTestServer, waitFor } from './helpers.ts';

let server: RunningServer;
let client: Client;

beforeAll(async () => {
  server = await startTestServer();
  client = new Client(server.url);
}, 30_000);

afterAll(async () => {
  await server?.close();
});

/** Events whose `source` names a bot, by team, seen by a spectator while the match ran. */
type BotEvents = Map<string, Set<string>>;

/** What one match looked like: the person's matchEnded, the spectator's last state, the bots' events. */
interface Played {
  ended: MatchEndedMessage;
  state: ReturnType<typeof snapshotState>;
  botEvents: BotEvents;
}

/**
 * Creates a match as `name` with `options` (plus the scenario, seed, length and speed), seats a
 * spectator, records every event a bot caused, and waits for the end.
 */
async function play(name: string, options: Record<string, unknown>, alongside?: (roomId: string) => Promise<unknown>): Promise<Played> {
  const person = await client.joinOrCreate('match', { name, scenario: 'guestbook', seed: 11, durationSeconds: 900, timeDilation: 100, ...options });
  const others = alongside?.(person.roomId);
  const ended = nextMessage<MatchEndedMessage>(person, 'matchEnded', () => true, 60_000);
  const watcher: Room = await client.joinById(person.roomId, { name: `${name}-watch`, spectator: true });
  watcher.onMessage('matchEnded', () => undefined);
  const botEvents: BotEvents = new Map();
  watcher.onStateChange(() => {
    const s = snapshotState(watcher.state);
    for (const [team, view] of s.teams) {
      for (const e of view.events) {
        if (!e.source.startsWith('bot-')) continue;
        const set = botEvents.get(team) ?? new Set<string>();
        set.add(`${e.source} ${e.reason}`);
        botEvents.set(team, set);
      }
    }
  });
  const message = await ended;
  await others;
  await waitFor(() => snapshotState(watcher.state).phase === 'ended', 'the spectator sees the end');
  const state = snapshotState(watcher.state);
  await person.leave().catch(() => undefined);
  await watcher.leave().catch(() => undefined);
  return { ended: message, state, botEvents };
}

/** The state's players that are bots, as `name@team`. */
function botsOf(state: Played['state']): string[] {
  return [...state.players.values()].filter((p) => p.bot).map((p) => `${p.name}@${p.team}`).sort();
}

describe('bots fill empty seats in every mode', () => {
  it('solo: one player races a bot team', async () => {
    const { ended, state, botEvents } = await play('sol', { mode: 'solo', teams: 2, bots: 'expert' });
    expect(botsOf(state)).toEqual(['bot-expert-red@red']);
    expect(new Set(ended.players.map((p) => p.team))).toEqual(new Set(['blue', 'red']));
    expect([...state.scoreboard].map((r) => r.team).sort()).toEqual(['blue', 'red']);
    // The bot fixed the bad rollout through the player's path: its events name it.
    expect([...(botEvents.get('red') ?? [])].some((e) => e.startsWith('bot-expert-red '))).toBe(true);
    const red = state.teams.get('red')!;
    expect(red.incidents.map((i) => i.status)).toEqual(['mitigated']);
    // The bot beat the idle person.
    const score = (team: string) => ended.players.find((p) => p.team === team)!.score;
    expect(score('red')).toBeGreaterThan(score('blue'));
  }, 90_000);

  it('co-op: a person and a bot on one cluster', async () => {
    const { ended, state, botEvents } = await play('coo', { mode: 'coop', bots: [{ team: 'blue', level: 'expert' }] });
    expect(botsOf(state)).toEqual(['bot-expert-blue@blue']);
    expect(ended.players.map((p) => `${p.name}@${p.team}`)).toEqual(expect.arrayContaining(['bot-expert-blue@blue', 'coo@blue']));
    expect(ended.summary.incidents.map((i) => i.mitigatedAt !== null)).toEqual([true]);
    expect([...(botEvents.get('blue') ?? [])].some((e) => e.startsWith('bot-expert-blue '))).toBe(true);
  }, 90_000);

  it('race: one person and two bot teams; every team’s cluster has the same incident timeline', async () => {
    const { ended, state, botEvents } = await play('rac', { mode: 'race', teams: 3, bots: [{ team: 'red', level: 'expert' }, { team: 'green', level: 'novice' }] });
    expect(botsOf(state)).toEqual(['bot-expert-red@red', 'bot-novice-green@green']);
    expect(new Set(ended.players.map((p) => p.team))).toEqual(new Set(['blue', 'green', 'red']));
    expect([...state.scoreboard].map((r) => r.team).sort()).toEqual(['blue', 'green', 'red']);
    expect([...(botEvents.get('red') ?? [])].some((e) => e.startsWith('bot-expert-red '))).toBe(true);
    expect([...(botEvents.get('green') ?? [])].some((e) => e.startsWith('bot-novice-green '))).toBe(true);
    // Identical seeds, identical incident timelines (revealed at the end): same kinds, same start times.
    const timeline = (team: string) => state.teams.get(team)!.incidents.map((i) => `${i.type}@${i.startedAt}`);
    expect(timeline('blue')).toEqual(['bad-rollout@180']);
    expect(timeline('red')).toEqual(timeline('blue'));
    expect(timeline('green')).toEqual(timeline('blue'));
    expect(ended.summary.incidents.map((i) => `${i.type}@${i.startedAt}`)).toEqual(timeline('blue'));
    // Who fixed it differs: the expert bot's cluster is mitigated, the idle person's is not.
    expect(state.teams.get('red')!.incidents[0]!.status).toBe('mitigated');
    expect(state.teams.get('blue')!.incidents[0]!.status).toBe('active');
  }, 90_000);

  it('red vs blue: a person defends blue against a red bot that attacks with its chaos budget', async () => {
    const { ended, state, botEvents } = await play('blu', { mode: 'redblue', team: 'blue', bots: 'expert', durationSeconds: 600 });
    expect(botsOf(state)).toEqual(['bot-expert-red@red']);
    expect(ended.redBlue?.map((r) => r.team).sort()).toEqual(['blue', 'red']);
    // The red bot's attacks struck blue's cluster (the schedule does not run in red vs blue).
    expect(state.teams.get('blue')!.incidents.length).toBeGreaterThan(0);
    expect(ended.summary.incidents.length).toBeGreaterThan(0);
    expect(ended.redBlue!.find((r) => r.team === 'red')!.attack).toBeGreaterThanOrEqual(0);
    void botEvents;
  }, 90_000);

  it('a `gameday bot --url` client plays a race beside a room bot', async () => {
    let cli: BotRunResult | undefined;
    const { ended, state, botEvents } = await play('cli', { mode: 'race', teams: 3, bots: [{ team: 'red', level: 'expert' }] }, async (roomId) => {
      // Expert reaction times scaled to the fast-forwarded match (100 sim s per real s).
      cli = await runBots({ url: server.url, roomId, level: 'expert', count: 1, team: 'green', reactionScale: 0.04 });
    });
    expect(cli).toMatchObject({ ended: true, bots: [{ name: 'bot-expert', team: 'green' }] });
    expect(cli!.bots[0]!.actions).toBeGreaterThan(0);
    expect(new Set(ended.players.map((p) => p.team))).toEqual(new Set(['blue', 'green', 'red']));
    expect([...(botEvents.get('green') ?? [])].some((e) => e.startsWith('bot-expert '))).toBe(true);
    expect([...(botEvents.get('red') ?? [])].some((e) => e.startsWith('bot-expert-red '))).toBe(true);
    // The WebSocket client bot is a person to the room (no bot flag); the room's bot is flagged.
    expect(botsOf(state)).toEqual(['bot-expert-red@red']);
  }, 90_000);

  it('the host adds a bot with the `bot` message; others may not', async () => {
    const host = await client.joinOrCreate('match', { name: 'hal', scenario: 'guestbook', mode: 'race', teams: 2, lobby: true });
    const guest = await client.joinById(host.roomId, { name: 'gus', team: 'blue' });
    expect(await ask(guest, 'bot', { id: 1, team: 'red', level: 'novice' })).toMatchObject({ ok: false, error: 'only the host or a trainer may add a bot' });
    expect(await ask(host, 'bot', { id: 2, team: 'purple', level: 'novice' })).toMatchObject({ ok: false, error: expect.stringContaining('team "purple" is not in this match') });
    expect(await ask(host, 'bot', { id: 3, team: 'red', level: 'nobody' })).toMatchObject({ ok: false, error: expect.stringContaining('invalid message') });
    expect(await ask(host, 'bot', { id: 4, team: 'red', level: 'novice' })).toMatchObject({ ok: true, output: 'bot-novice-red joined team red' });
    await waitFor(() => [...snapshotState(host.state).players.values()].find((p) => p.bot && p.name === 'bot-novice-red' && p.ready), 'the bot in the player list, ready');
    // The host stays the host (a bot never is).
    const hostId = snapshotState(host.state).host;
    expect([...snapshotState(host.state).players.values()].find((p) => p.id === hostId)?.name).toBe('hal');
    for (const r of [host, guest]) await r.leave().catch(() => undefined);
  }, 30_000);

  it('refuses a bots option naming a team the match does not have', async () => {
    await expect(client.joinOrCreate('match', { name: 'bad', scenario: 'guestbook', mode: 'coop', bots: [{ team: 'red', level: 'expert' }] })).rejects.toThrow(/bots: team "red" is not in this match/);
    await expect(client.joinOrCreate('match', { name: 'bad', scenario: 'guestbook', bots: 'genius' })).rejects.toThrow(/bots must be a bot level \(idle, novice, expert\) or a list of \{ team, level \}/);
  });
});

describe('crash recovery of bot seats', () => {
  it('replays a solo match’s bot seat and the bot’s journaled action to the live match', () => {
    const setup = { scenario: 'guestbook', scenarioId: 'guestbook', title: 'Guestbook', durationSeconds: 600, teams: ['blue', 'red'], timeDilation: 4, settings: { mode: 'solo' as const, roles: false, lobby: false } };
    const raw: { tick: number; entry: unknown }[] = [
      // The bot's seat is journaled before the creator's (the room seats the `bots` option at creation).
      { tick: 0, entry: { kind: 'join', name: 'bot-expert-red', team: 'red', trainer: false, tokenHash: null, bot: true } },
      { tick: 0, entry: { kind: 'join', name: 'sol', team: 'blue', trainer: false, tokenHash: null } },
      { tick: 4, entry: { kind: 'action', team: 'red', player: 'bot-expert-red', action: { type: 'scaleDeployment', deployment: 'frontend', replicas: 4 } } },
    ];
    const entries = raw.map((r, seq) => ({ seq, tick: r.tick, entry: JournalEntrySchema.parse(r.entry) }));
    const row = { matchId: 'm-bots', roomId: 'r-bots', seed: 9, setup, owner: 'test', leaseExpiresAt: new Date(0), journalLength: entries.length, durableTick: 6, startedAt: new Date(0) };
    const rebuilt = rebuildMatch(row, entries, null);

    const { input } = resolveSimInput({ scenario: 'guestbook', seed: 9, durationSeconds: 600 });
    const live = createMatch({ input, teams: ['blue', 'red'], settings: setup.settings });
    const bot = join(live, { name: 'bot-expert-red', team: 'red', bot: true });
    // A bot takes no solo player seat: the person still gets the one seat.
    const sol = join(live, { name: 'sol', team: 'blue' });
    if (!bot.ok || !sol.ok) throw new Error('seats refused');
    for (let i = 0; i < 4; i++) advance(live);
    expect(submit(live, bot.player.id, { type: 'scaleDeployment', deployment: 'frontend', replicas: 4 })).toMatchObject({ ok: true });
    for (let i = 0; i < 2; i++) advance(live);

    expect(rebuilt.tick).toBe(6);
    expect(rebuilt.match.players.map((p) => [p.name, p.team, p.bot === true, p.ready, p.actions])).toEqual([
      ['bot-expert-red', 'red', true, true, 1],
      ['sol', 'blue', false, false, 0],
    ]);
    for (const p of live.players) p.present = false; // the rebuilt match's players are not present until they rejoin
    expect(matchHash(rebuilt.match)).toBe(matchHash(live));
  });
});
