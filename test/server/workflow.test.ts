/**
 * The incident workflow over real WebSocket clients (issue 8): a page fires from the burn-rate
 * alerts, a player acknowledges it, declares an incident, posts a status update and resolves it; the
 * incident's cause is hidden in the view while the match runs and revealed at the end, when the
 * postmortem question is answered. Plus: workflow operations are journaled and replayed by the crash
 * recovery rebuild.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { Client, type Room } from '@colyseus/sdk';
import { snapshotState } from '../../client/src/view/stateMirror.ts';
import type { RunningServer } from '../../server/app.ts';
import { JournalEntrySchema, type JournalRecord, type LiveMatchRow } from '../../server/db/journal.ts';
import { matchTick, rebuildMatch } from '../../server/recovery/rebuild.ts';
import { resolveSimInput } from '../../server/scenarios/index.ts';
import { advance, applyWorkflow, createMatch, getTeam, join, matchHash, type Match } from '../../shared/game/index.ts';
import type { MatchEndedMessage } from '../../shared/protocol.ts';
import { ask, nextMessage, signIn, startTestServer, waitFor } from './helpers.ts';

let server: RunningServer;
let client: Client;
let ann: Room;
let tess: Room;

const team = (room: Room) => snapshotState(room.state).teams.get('blue');

beforeAll(async () => {
  server = await startTestServer({ TRAINER_USERS: 'tess' });
  client = new Client(server.url);
  tess = await client.create('match', { name: 'tess', trainer: true, token: await signIn(server.url, 'tess'), seed: 5, durationSeconds: 400, timeDilation: 1 });
  ann = await client.joinById(tess.roomId, { name: 'ann' });
  await waitFor(() => (team(ann)?.nodes.size ?? 0) > 0, 'ann sees her cluster');
});

afterAll(async () => {
  for (const room of [ann, tess]) await room?.leave().catch(() => undefined);
  await server?.close();
});

describe('the pager workflow in a room', () => {
  it('pages from the burn-rate alerts, hides the cause, and takes ack, declare, update and resolve', async () => {
    expect(await ask(tess, 'control', { id: 's', op: 'speed', timeDilation: 20 })).toMatchObject({ ok: true });
    const injected = await ask(tess, 'control', { id: 'i', op: 'inject', incident: { type: 'bad-rollout', target: 'frontend', params: { errorRate: 0.9 }, id: 'drill' } });
    expect(injected).toMatchObject({ ok: true });
    const paged = await waitFor(() => team(ann)?.pages[0], 'a page', 10_000);
    expect(paged).toMatchObject({ id: 'page-1', alert: expect.stringMatching(/-page-/), acked: false, ackedAt: -1, ackedBy: '' });

    // The cause is not on screen: neutral label, no kind, no title; no event message names it either.
    const view = team(ann)!;
    expect(view.incidents.length).toBeGreaterThan(0);
    for (const inc of view.incidents) {
      expect(inc).toMatchObject({ id: expect.stringMatching(/^incident-\d+$/), type: '', title: 'Unknown cause', revealed: false, options: '' });
      expect(inc.label).toBe(inc.id);
    }
    expect(view.incidents.map((i) => i.id)).not.toContain('drill');
    for (const e of view.events) expect(e.message).not.toMatch(/bad rollout|bad-rollout|drill/i);

    const acked = await ask(ann, 'workflow', { id: 'a', op: 'ack' });
    expect(acked).toMatchObject({ id: 'a', type: 'workflow', ok: true, output: expect.stringMatching(/^page-1 \(.*\) acknowledged at t=\d+s/) });
    await waitFor(() => team(ann)!.pages[0]!.acked, 'page-1 shown acknowledged');
    await waitFor(() => team(tess)!.pages[0]!.acked, 'the trainer sees it acknowledged too');
    expect(team(tess)!.pages[0]).toMatchObject({ acked: true, ackedBy: 'ann' });

    expect(await ask(ann, 'workflow', { id: 'd', op: 'declare', severity: 'SEV2', summary: 'checkout failing' })).toMatchObject({ ok: true, output: expect.stringMatching(/^inc-1 declared \(SEV2\)/) });
    expect(await ask(ann, 'workflow', { id: 'u', op: 'update', text: 'We are investigating failed checkouts.' })).toMatchObject({ ok: true });
    expect(await ask(ann, 'workflow', { id: 'm', op: 'resolve', stage: 'mitigated' })).toMatchObject({ ok: true, output: expect.stringMatching(/^inc-1 mitigated at t=/) });
    expect(await ask(ann, 'workflow', { id: 'r', op: 'resolve' })).toMatchObject({ ok: true, output: expect.stringMatching(/^inc-1 resolved at t=/) });
    await waitFor(() => team(ann)!.declared[0]?.resolvedAt !== -1 && team(ann)!.updates.length === 1, 'declared incident resolved and the update shown');
    expect(team(ann)!.declared[0]).toMatchObject({ id: 'inc-1', severity: 'SEV2', summary: 'checkout failing', declaredBy: 'ann' });
    expect(team(ann)!.updates[0]).toMatchObject({ by: 'ann', text: 'We are investigating failed checkouts.' });
    expect(team(ann)!.hintCost).toBeGreaterThan(0);
  });

  it('validates workflow messages and refuses the postmortem question before the end', async () => {
    expect(await ask(ann, 'workflow', { id: 'v1', op: 'declare', severity: 'SEV9', summary: 'x' })).toMatchObject({ ok: false, error: expect.stringMatching(/^invalid message: severity: /) });
    expect(await ask(ann, 'workflow', { id: 'v2', op: 'update', text: '' })).toMatchObject({ ok: false, error: expect.stringMatching(/^invalid message: text: /) });
    expect(await ask(ann, 'workflow', { id: 'v3', op: 'hint', incident: 'drill' })).toMatchObject({ ok: false, error: expect.stringMatching(/^invalid message: incident: /) });
    expect(await ask(ann, 'workflow', { id: 'v4', op: 'answer', incident: 'incident-1', choice: 'bad-rollout' })).toEqual({ id: 'v4', type: 'workflow', ok: false, error: 'the postmortem question is asked when the match has ended' });
    expect(await ask(ann, 'workflow', { id: 'v5', op: 'ack', page: 'page-1' })).toMatchObject({ ok: false, error: expect.stringMatching(/^page-1 was already acknowledged by ann/) });
  });

  it('reveals the causes at the end and scores the postmortem answer', async () => {
    const ended = nextMessage<MatchEndedMessage>(ann, 'matchEnded', () => true, 20_000);
    expect(await ask(tess, 'control', { id: 's2', op: 'speed', timeDilation: 120 })).toMatchObject({ ok: true });
    await ended;
    const drill = await waitFor(() => team(ann)!.incidents.find((i) => i.id === 'drill'), 'the drill revealed', 5_000);
    expect(drill).toMatchObject({ type: 'bad-rollout', revealed: true, label: expect.stringMatching(/^incident-\d+$/) });
    expect(drill.title).not.toBe('Unknown cause');
    const options = drill.options.split(',');
    expect(options).toContain('bad-rollout');
    expect(options.length).toBeGreaterThan(1);
    const before = team(ann)!.score;
    const answer = await ask(ann, 'workflow', { id: 'pm', op: 'answer', incident: drill.label, choice: 'bad-rollout' });
    expect(answer).toMatchObject({ ok: true, output: `correct: ${drill.label} was bad-rollout` });
    await waitFor(() => team(ann)!.incidents.find((i) => i.id === 'drill')!.answer === 'bad-rollout', 'the answer shown');
    expect(team(ann)!.incidents.find((i) => i.id === 'drill')!.correct).toBe(true);
    await waitFor(() => team(ann)!.score > before, 'the postmortem bonus in the score');
  });
});

describe('roles in a room', () => {
  it('lets only the incident commander acknowledge and declare, only communications post updates; spectators none', async () => {
    const ic = await client.create('match', { name: 'ic', role: 'commander', roles: true, seed: 5, durationSeconds: 400, timeDilation: 1 });
    const ops = await client.joinById(ic.roomId, { name: 'ops', role: 'operations' });
    const comms = await client.joinById(ic.roomId, { name: 'comms', role: 'communications' });
    const watcher = await client.joinById(ic.roomId, { name: 'watcher', spectator: true });
    try {
      expect(await ask(ops, 'workflow', { id: 'r1', op: 'declare', severity: 'SEV1', summary: 'x' })).toEqual({ id: 'r1', type: 'workflow', ok: false, error: 'only the incident commander may declare in this match (your role: operations)' });
      expect(await ask(comms, 'workflow', { id: 'r2', op: 'ack' })).toMatchObject({ ok: false, error: 'only the incident commander may ack in this match (your role: communications)' });
      expect(await ask(ic, 'workflow', { id: 'r3', op: 'update', text: 'hello' })).toMatchObject({ ok: false, error: 'only communications may update in this match (your role: commander)' });
      expect(await ask(watcher, 'workflow', { id: 'r4', op: 'update', text: 'hello' })).toMatchObject({ ok: false });
      expect(await ask(ic, 'workflow', { id: 'r5', op: 'declare', severity: 'SEV3', summary: 'drill' })).toMatchObject({ ok: true });
      expect(await ask(comms, 'workflow', { id: 'r6', op: 'update', text: 'Drill in progress.' })).toMatchObject({ ok: true });
      await waitFor(() => snapshotState(ops.state).teams.get('blue')?.updates.length === 1, 'the update shown to the team');
      expect(snapshotState(ops.state).teams.get('blue')!.declared[0]).toMatchObject({ id: 'inc-1', declaredBy: 'ic' });
    } finally {
      for (const room of [ic, ops, comms, watcher]) await room.leave().catch(() => undefined);
    }
  });
});

describe('follow-ups in the live view', () => {
  it('shows the follow-ups the planning role files to the team and to spectators as they are filed', async () => {
    const plan = await client.create('match', { name: 'plan', role: 'planning', roles: true, seed: 5, durationSeconds: 400, timeDilation: 1 });
    const ops = await client.joinById(plan.roomId, { name: 'ops', role: 'operations' });
    const watcher = await client.joinById(plan.roomId, { name: 'watcher', spectator: true });
    try {
      await waitFor(() => snapshotState(ops.state).teams.get('blue') !== undefined, 'the team shown');
      expect(snapshotState(ops.state).teams.get('blue')!.followups).toEqual([]);
      expect(await ask(ops, 'workflow', { id: 'f0', op: 'followup', text: 'not mine to file' })).toMatchObject({ ok: false });
      expect(await ask(plan, 'workflow', { id: 'f1', op: 'followup', text: 'add a latency SLO for checkout' })).toMatchObject({ ok: true });
      expect(await ask(plan, 'workflow', { id: 'f2', op: 'followup', text: 'hand off to the night shift' })).toMatchObject({ ok: true });
      await waitFor(() => snapshotState(ops.state).teams.get('blue')?.followups.length === 2, 'the follow-ups shown to the team');
      expect(snapshotState(ops.state).teams.get('blue')!.followups).toEqual([
        { id: 'fu-1', t: expect.any(Number), by: 'plan', text: 'add a latency SLO for checkout' },
        { id: 'fu-2', t: expect.any(Number), by: 'plan', text: 'hand off to the night shift' },
      ]);
      await waitFor(() => snapshotState(watcher.state).teams.get('blue')?.followups.length === 2, 'the follow-ups shown to a spectator');
      expect(snapshotState(plan.state).teams.get('blue')!.followups.map((f) => f.id)).toEqual(['fu-1', 'fu-2']);
    } finally {
      for (const room of [plan, ops, watcher]) await room.leave().catch(() => undefined);
    }
  });
});

describe('crash recovery of the workflow', () => {
  it('journals workflow operations and the rebuild replays them to the live hash', () => {
    const seed = 9;
    const { input } = resolveSimInput({ seed, durationSeconds: 300 });
    const live: Match = createMatch({ input, teams: ['blue'] });
    const entries: JournalRecord[] = [];
    const record = (entry: unknown) => entries.push({ seq: entries.length, tick: matchTick(live), entry: JournalEntrySchema.parse(entry) });
    const seat = join(live, { name: 'ann', team: 'blue', trainer: false });
    if (!seat.ok) throw new Error(seat.error);
    record({ kind: 'join', name: 'ann', team: 'blue', trainer: false, tokenHash: null });
    for (let i = 0; i < 10; i++) advance(live);
    expect(applyWorkflow(live, seat.player.id, { op: 'declare', severity: 'SEV3', summary: 'drill' })).toMatchObject({ ok: true });
    record({ kind: 'workflow', team: 'blue', player: 'ann', request: { op: 'declare', severity: 'SEV3', summary: 'drill' } });
    for (let i = 0; i < 5; i++) advance(live);
    expect(applyWorkflow(live, seat.player.id, { op: 'update', text: 'all good' })).toMatchObject({ ok: true });
    record({ kind: 'workflow', team: 'blue', player: 'ann', request: { op: 'update', text: 'all good' } });
    for (let i = 0; i < 5; i++) advance(live);
    const row: LiveMatchRow = {
      matchId: 'm',
      roomId: 'r',
      seed,
      setup: { scenario: null, scenarioId: input.scenarioId, title: '', durationSeconds: 300, teams: ['blue'], timeDilation: 4 },
      owner: 'A',
      leaseExpiresAt: new Date(0),
      journalLength: entries.length,
      durableTick: matchTick(live),
      startedAt: new Date(0),
    };
    const rebuilt = rebuildMatch(row, entries, null);
    expect(getTeam(rebuilt.match, 'blue').workflow).toEqual(getTeam(live, 'blue').workflow);
    expect(matchHash(rebuilt.match)).toBe(matchHash(live));
  });
});
