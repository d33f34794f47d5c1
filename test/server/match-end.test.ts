import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, type Room } from '@colyseus/sdk';
import type { MatchEndedMessage } from '../../shared/protocol.ts';
import type { RunningServer } from '../../server/app.ts';
import { resolveSimInput } from '../../server/scenarios/index.ts';
import { ReplayRecord, replayRecord } from '../../server/scenarios/replay.ts';
import { applyAction, createSim, isFinished, stateHash, step } from '../../shared/sim/index.ts';
import type { MatchRecord } from '../../server/db/repository.ts';
import { replayMatch, teamSummary } from '../../shared/game/index.ts';
import { gameday } from '../cli/run-cli.ts';
import { ask, nextMessage, signIn, startTestServer, waitFor } from './helpers.ts';

let server: RunningServer;

beforeAll(async () => {
  server = await startTestServer({ TRAINER_USERS: 'trainer-tess,coach-tess' });
});

afterAll(async () => {
  await server?.close();
});

describe('a short match from join to leaderboard', () => {
  let ended: MatchEndedMessage;
  let room: Room;

  it('ends: matchEnded arrives with the summary and the players', async () => {
    const client = new Client(server.url);
    // Slow at first (1 sim s per real s) so the actions land early, then the trainer speeds it up.
    room = await client.joinOrCreate('match', { name: 'trainer-tess', trainer: true, token: await signIn(server.url, 'trainer-tess'), seed: 7, durationSeconds: 120, timeDilation: 1 });
    const state = room.state as unknown as { phase: string; teams: Map<string, { nodes: Map<string, unknown> }> };
    await waitFor(() => (state.teams?.get('blue')?.nodes.size ?? 0) > 0, 'the first state');
    expect(await ask(room, 'kubectl', { id: 1, command: 'kubectl scale deployment/frontend --replicas=4' })).toMatchObject({ ok: true });
    const node = [...state.teams.get('blue')!.nodes.keys()][1]!;
    expect(await ask(room, 'action', { id: 2, action: { type: 'cordonNode', node } })).toMatchObject({ ok: true });

    const endedPromise = nextMessage<MatchEndedMessage>(room, 'matchEnded', () => true, 15_000);
    expect(await ask(room, 'control', { id: 3, op: 'speed', timeDilation: 120 })).toMatchObject({ ok: true });
    ended = await endedPromise;

    expect(ended.matchId).toMatch(/^[0-9a-f-]{36}$/);
    expect(ended.summary).toMatchObject({ scenarioId: 'online-boutique', seed: 7, durationSeconds: 120, actions: 2 });
    expect(ended.summary.stateHash).toMatch(/^[0-9a-f]{16}$/);
    expect(ended.players).toEqual([{ name: 'trainer-tess', team: 'blue', score: ended.summary.score }]);
    await waitFor(() => state.phase === 'ended', 'phase ended');

    const late = await ask(room, 'kubectl', { id: 4, command: 'kubectl scale deployment/frontend --replicas=2' });
    expect(late).toMatchObject({ ok: false, error: expect.stringMatching(/ended/) });
    await room.leave();
  });

  it('is archived: GET /api/matches, /api/matches/:id and /api/leaderboard show it', async () => {
    const list = (await (await fetch(`${server.url}/api/matches?scenario=online-boutique`)).json()) as { id: string; players: string[] }[];
    expect(list.map((m) => m.id)).toContain(ended.matchId);
    expect(list.find((m) => m.id === ended.matchId)!.players).toEqual(['trainer-tess']);

    const board = (await (await fetch(`${server.url}/api/leaderboard?limit=10`)).json()) as { rank: number; player: string; bestScore: number; matches: number }[];
    expect(board).toContainEqual(expect.objectContaining({ rank: 1, player: 'trainer-tess', bestScore: Math.round(ended.summary.score), matches: 1 }));

    const res = await fetch(`${server.url}/api/matches/${ended.matchId}`);
    expect(res.status).toBe(200);
    const record = (await res.json()) as MatchRecord;
    expect(record).toMatchObject({ id: ended.matchId, scenarioId: 'online-boutique', seed: 7 });
    expect(record.settings).toMatchObject({ tickSeconds: expect.any(Number), durationSeconds: 120 });
    expect(record.actions.map((a) => a.action.type)).toEqual(['scaleDeployment', 'cordonNode']);
    expect(record.actions.every((a) => a.player === 'trainer-tess')).toBe(true);
  });

  it('replays from the archive to the state hash the room reported', async () => {
    const record = (await (await fetch(`${server.url}/api/matches/${ended.matchId}`)).json()) as MatchRecord;
    const { input } = resolveSimInput({ scenario: record.scenarioId, seed: record.seed, durationSeconds: record.settings.durationSeconds });
    const sim = createSim(input);
    const byTick = new Map<number, MatchRecord['actions']>();
    for (const a of record.actions) byTick.set(a.tick, [...(byTick.get(a.tick) ?? []), a]);
    while (!isFinished(sim)) {
      for (const a of byTick.get(sim.tick) ?? []) expect(applyAction(sim, a.player, a.action)).toMatchObject({ ok: true });
      step(sim);
    }
    expect(stateHash(sim)).toBe(ended.summary.stateHash);
  });

  it('replays through the game layer to the summary the room reported (score, incidents, hash)', async () => {
    const record = (await (await fetch(`${server.url}/api/matches/${ended.matchId}`)).json()) as MatchRecord;
    const { input } = resolveSimInput({ scenario: record.scenarioId, seed: record.seed, durationSeconds: record.settings.durationSeconds });
    const replayed = replayMatch(input, ['blue'], [{ team: 'blue', log: record.actions }]);
    expect(replayed.phase).toBe('ended');
    expect(teamSummary(replayed, 'blue')).toEqual(ended.summary);
  });
});

describe('a two-team match with incidents a trainer injected at run time', () => {
  type TeamView = { nodes: Map<string, unknown>; incidents: { length: number } };
  const endedBy = new Map<string, MatchEndedMessage>();
  let matchId = '';

  it('ends after the trainer injected into both teams while players acted', async () => {
    const client = new Client(server.url);
    const tess = await client.create('match', { name: 'coach-tess', trainer: true, token: await signIn(server.url, 'coach-tess'), teams: 2, seed: 11, durationSeconds: 120, timeDilation: 1 });
    const bob = await client.joinById(tess.roomId, { name: 'bob-red', team: 'red' });
    const state = tess.state as unknown as { matchId: string; teams: Map<string, TeamView> };
    await waitFor(() => (state.teams?.get('red')?.nodes.size ?? 0) > 0 && (state.teams?.get('blue')?.nodes.size ?? 0) > 0, 'both teams projected');
    matchId = state.matchId;
    const node = [...state.teams.get('blue')!.nodes.keys()].sort()[1]!;

    // Red: an injection and an action sent at once (they may share a tick: the log keeps their order).
    const [injected, acted] = await Promise.all([
      ask(tess, 'control', { id: 'x1', op: 'inject', team: 'red', incident: { type: 'bad-rollout', target: 'frontend', params: { errorRate: 0.4 }, id: 'drill' } }),
      ask(bob, 'kubectl', { id: 'x2', command: 'kubectl scale deployment/frontend --replicas=4' }),
    ]);
    expect(injected).toMatchObject({ ok: true });
    expect(acted).toMatchObject({ ok: true });
    expect(await ask(bob, 'kubectl', { id: 'x3', command: 'kubectl rollout undo deployment/frontend' })).toMatchObject({ ok: true });
    // Blue: the trainer's own team, a node failure and then the trainer acts.
    expect(await ask(tess, 'control', { id: 'x4', op: 'inject', incident: { type: 'node-failure', target: node } })).toMatchObject({ ok: true });
    expect(await ask(tess, 'kubectl', { id: 'x5', command: `kubectl cordon ${node}` })).toMatchObject({ ok: true });

    const ends = [nextMessage<MatchEndedMessage>(tess, 'matchEnded', () => true, 15_000), nextMessage<MatchEndedMessage>(bob, 'matchEnded', () => true, 15_000)];
    expect(await ask(tess, 'control', { id: 'x6', op: 'speed', timeDilation: 120 })).toMatchObject({ ok: true });
    const [blue, red] = await Promise.all(ends);
    endedBy.set('blue', blue!);
    endedBy.set('red', red!);
    expect(blue!.matchId).toBe(`${matchId}-blue`);
    expect(red!.matchId).toBe(`${matchId}-red`);
    expect(red!.summary.incidents.map((i) => i.id)).toContain('drill');
    for (const room of [tess, bob]) await room.leave();
  });

  it('archives each team with its injections beside its action log', async () => {
    const red = (await (await fetch(`${server.url}/api/matches/${endedBy.get('red')!.matchId}`)).json()) as MatchRecord;
    expect(red.actions.map((a) => [a.player, a.action.type])).toEqual([['bob-red', 'scaleDeployment'], ['bob-red', 'rolloutUndo']]);
    expect(red.injections).toEqual([
      {
        tick: expect.any(Number),
        player: 'coach-tess',
        logIndex: expect.any(Number),
        spec: expect.objectContaining({ id: 'drill', type: 'bad-rollout', target: 'frontend', params: { errorRate: 0.4 } }),
      },
    ]);
    expect(red.injections[0]!.logIndex).toBeLessThanOrEqual(1);
    const blue = (await (await fetch(`${server.url}/api/matches/${endedBy.get('blue')!.matchId}`)).json()) as MatchRecord;
    expect(blue.injections).toEqual([expect.objectContaining({ player: 'coach-tess', logIndex: 0, spec: expect.objectContaining({ type: 'node-failure' }) })]);
    expect(blue.actions.map((a) => a.action.type)).toEqual(['cordonNode']);
  });

  it.each(['blue', 'red'])('replays team %s from GET /api/matches/:id to the summary the room reported', async (team) => {
    const ended = endedBy.get(team)!;
    const record = (await (await fetch(`${server.url}/api/matches/${ended.matchId}`)).json()) as MatchRecord;
    const { input } = resolveSimInput({ scenario: record.scenarioId, seed: record.seed, durationSeconds: record.settings.durationSeconds });
    const replayed = replayMatch(input, [team], [{ team, log: record.actions, injections: record.injections }]);
    expect(replayed.phase).toBe('ended');
    expect(replayed.teams[0]!.log).toHaveLength(record.actions.length);
    expect(replayed.teams[0]!.injections).toEqual(record.injections);
    expect(teamSummary(replayed, team)).toEqual(ended.summary);
    // The injections are what makes it exact: the action log alone replays to another match.
    const withoutInjections = replayMatch(input, [team], [{ team, log: record.actions }]);
    expect(teamSummary(withoutInjections, team).stateHash).not.toBe(ended.summary.stateHash);
    // The postmortem is written from the same replay: the team's actions and incidents in its timeline.
    const pm = await fetch(`${server.url}/api/matches/${ended.matchId}/postmortem`);
    expect(pm.status).toBe(200);
    expect(pm.headers.get('content-type')).toContain('text/markdown');
    expect(pm.headers.get('content-disposition')).toContain(`postmortem-${ended.matchId}.md`);
    const markdown = await pm.text();
    expect(markdown).toContain(`# Postmortem:`);
    for (const section of ['## Summary', '## Impact', '## Root causes and trigger', '## Detection', '## Resolution', '## Timeline', '## Action items']) expect(markdown).toContain(section);
    for (const a of record.actions) expect(markdown).toContain(`${a.player}: kubectl`);
    for (const inj of record.injections) expect(markdown).toContain(`injected ${inj.spec.type}`);
    expect((await fetch(`${server.url}/api/matches/no-such-match/postmortem`)).status).toBe(404);
    // And `gameday replay` on the same JSON says so (exit 0), naming the team from the record.
    const dir = mkdtempSync(join(tmpdir(), 'gameday-replay-'));
    try {
      writeFileSync(join(dir, 'match.json'), JSON.stringify(record));
      const cli = gameday('replay', join(dir, 'match.json'), '--json');
      expect(cli.code).toBe(0);
      expect(JSON.parse(cli.stdout)).toMatchObject({ team, stateHash: ended.summary.stateHash, matches: true });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the archive keeps the team\'s incident workflow for the postmortem written later', () => {
  it('GET /api/matches/:id holds the declared incident, the status update and the follow-up; the postmortem lists the follow-up', async () => {
    const client = new Client(server.url);
    const room = await client.joinOrCreate('match', { name: 'wanda', seed: 3, durationSeconds: 60, timeDilation: 10 });
    const endedPromise = nextMessage<MatchEndedMessage>(room, 'matchEnded', () => true, 20_000);
    const state = room.state as unknown as { teams: Map<string, { nodes: Map<string, unknown> }> };
    await waitFor(() => (state.teams?.get('blue')?.nodes.size ?? 0) > 0, 'the first state');
    expect(await ask(room, 'workflow', { id: 'd', op: 'declare', severity: 'SEV3', summary: 'checkout slow' })).toMatchObject({ ok: true });
    expect(await ask(room, 'workflow', { id: 'u', op: 'update', text: 'Looking into slow checkouts.' })).toMatchObject({ ok: true });
    expect(await ask(room, 'workflow', { id: 'f', op: 'followup', text: 'add a latency SLO for checkout' })).toMatchObject({ ok: true });
    const ended = await endedPromise;
    await room.leave();

    const record = (await (await fetch(`${server.url}/api/matches/${ended.matchId}`)).json()) as MatchRecord;
    expect(record.workflow?.declared).toEqual([expect.objectContaining({ id: 'inc-1', severity: 'SEV3', summary: 'checkout slow', declaredBy: 'wanda' })]);
    expect(record.workflow?.updates).toEqual([expect.objectContaining({ by: 'wanda', text: 'Looking into slow checkouts.' })]);
    expect(record.workflow?.followups).toEqual([expect.objectContaining({ id: 'fu-1', by: 'wanda', text: 'add a latency SLO for checkout' })]);
    const markdown = await (await fetch(`${server.url}/api/matches/${ended.matchId}/postmortem`)).text();
    expect(markdown).toMatch(/## Action items[\s\S]*add a latency SLO for checkout \(fu-1, filed by wanda at /);
    // A replay of the archive scores the workflow terms too (the declared, never resolved incident).
    const replayed = replayRecord(ReplayRecord.parse(record));
    expect(replayed.matches).toBe(true);
    expect(replayed.score).toBe(ended.summary.score);
  });
});
