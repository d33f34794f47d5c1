/**
 * Several teams in one room, over real WebSocket clients: each team its own cluster from the same
 * scenario and seed, players join a team with the `team` option, and a trainer injects incidents
 * with `control` op `inject`.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { Client, type Room } from '@colyseus/sdk';
import { snapshotState } from '../../client/src/view/stateMirror.ts';
import type { RunningServer } from '../../server/app.ts';
import { ask, signIn, startTestServer, waitFor } from './helpers.ts';


let server: RunningServer;
let client: Client;
let alice: Room;
let bob: Room;
let tess: Room;

/** What `room`'s client sees (its StateView: a player its own team, a trainer every team), as the client mirrors it. */
const state = (room: Room) => snapshotState(room.state);
const team = (room: Room, id: string) => state(room).teams.get(id);

beforeAll(async () => {
  server = await startTestServer({ TRAINER_USERS: 'tess' });
  client = new Client(server.url);
  alice = await client.joinOrCreate('match', { name: 'alice', seed: 42, teams: 2 });
  bob = await client.joinById(alice.roomId, { name: 'bob', team: 'red' });
  tess = await client.joinById(alice.roomId, { name: 'tess', trainer: true, token: await signIn(server.url, 'tess') });
  await waitFor(() => (team(tess, 'red')?.nodes.size ?? 0) > 0 && (team(tess, 'blue')?.nodes.size ?? 0) > 0, 'both teams projected');
  await waitFor(() => (team(bob, 'red')?.nodes.size ?? 0) > 0 && (team(alice, 'blue')?.nodes.size ?? 0) > 0, 'each player sees its team');
});

afterAll(async () => {
  for (const room of [alice, bob, tess]) await room?.leave().catch(() => undefined);
  await server?.close();
});

describe('a room with two teams', () => {
  it('gives each team its own cluster from the same scenario and seed; players join by team', async () => {
    await waitFor(() => state(alice).players.size === 3, 'three players');
    const s = state(tess);
    expect([...s.teams.keys()].sort()).toEqual(['blue', 'red']);
    expect([...team(tess, 'red')!.nodes.keys()].sort()).toEqual([...team(tess, 'blue')!.nodes.keys()].sort());
    // Each player's StateView holds its own team only; the trainer's holds both.
    expect(team(alice, 'red')?.nodes.size ?? 0).toBe(0);
    expect(team(bob, 'blue')?.nodes.size ?? 0).toBe(0);
    expect([...s.players.values()].map((p) => [p.name, p.team]).sort()).toEqual([['alice', 'blue'], ['bob', 'red'], ['tess', 'blue']]);
  });

  it("an action by team red's player changes red's cluster and red's score only", async () => {
    const node = [...team(bob, 'red')!.nodes.keys()].sort()[0]!;
    expect(team(tess, 'red')!.score).toBe(team(tess, 'blue')!.score);
    const reply = await ask(bob, 'kubectl', { id: 'r1', command: `kubectl cordon ${node}` });
    expect(reply).toMatchObject({ ok: true });
    await waitFor(() => team(tess, 'red')!.nodes.get(node)!.status.includes('SchedulingDisabled'), "red's node cordoned");
    expect(team(tess, 'blue')!.nodes.get(node)!.status).not.toContain('SchedulingDisabled');
    await waitFor(() => team(tess, 'red')!.score < team(tess, 'blue')!.score, "red's score to pay for the action");
    expect(await ask(bob, 'kubectl', { id: 'r2', command: 'kubectl get nodes' })).toMatchObject({ ok: true, output: expect.stringContaining('SchedulingDisabled') });
    expect(await ask(alice, 'kubectl', { id: 'b1', command: 'kubectl get nodes' })).toMatchObject({ ok: true, output: expect.not.stringContaining('SchedulingDisabled') });
    const scale = await ask(alice, 'action', { id: 'b2', action: { type: 'scaleDeployment', deployment: 'frontend', replicas: 5 } });
    expect(scale).toMatchObject({ ok: true });
    await waitFor(() => team(tess, 'blue')!.deployments.get('default/frontend')!.replicas === 5, "blue's frontend at 5");
    expect(team(tess, 'red')!.deployments.get('default/frontend')!.replicas).not.toBe(5);
  });

  it('refuses a team the match does not have', async () => {
    await expect(client.joinById(alice.roomId, { name: 'gil', team: 'green' })).rejects.toThrow(/team "green" is not in this match \(teams: blue, red\)/);
  });

  it('lets a trainer inject an incident into one team, with clear errors otherwise', async () => {
    const denied = await ask(bob, 'control', { id: 'i0', op: 'inject', team: 'red', incident: { type: 'bad-rollout', target: 'frontend' } });
    expect(denied).toEqual({ id: 'i0', type: 'control', ok: false, error: 'only a trainer may inject incidents (join with trainer: true)' });
    const badParams = await ask(tess, 'control', { id: 'i1', op: 'inject', team: 'red', incident: { type: 'bad-rollout', target: 'frontend', params: { errorRate: 2 } } });
    expect(badParams).toMatchObject({ ok: false, error: expect.stringMatching(/^cannot inject bad-rollout: params\.errorRate: /) });
    const unknown = await ask(tess, 'control', { id: 'i2', op: 'inject', team: 'red', incident: { type: 'meteor', target: 'frontend' } });
    expect(unknown).toMatchObject({ ok: false, error: expect.stringMatching(/^unknown incident kind "meteor": expected one of .*bad-rollout/) });
    const badTarget = await ask(tess, 'control', { id: 'i3', op: 'inject', team: 'red', incident: { type: 'node-failure', target: 'Not A Node' } });
    expect(badTarget).toMatchObject({ ok: false, error: expect.stringMatching(/^invalid message: incident\.target: /) });
    const shape = await ask(tess, 'control', { id: 'i4', op: 'inject', team: 'red', incident: { type: 'bad-rollout' } });
    expect(shape).toMatchObject({ ok: false, error: expect.stringMatching(/^invalid message: incident\.target: /) });
    const missing = await ask(tess, 'control', { id: 'i5', op: 'inject', team: 'red' });
    expect(missing).toMatchObject({ ok: false, error: 'inject needs incident: { type, target, params? }' });
    const noTeam = await ask(tess, 'control', { id: 'i6', op: 'inject', team: 'gold', incident: { type: 'bad-rollout', target: 'frontend' } });
    expect(noTeam).toMatchObject({ ok: false, error: 'team "gold" is not in this match (teams: blue, red)' });

    const ok = await ask(tess, 'control', { id: 'i7', op: 'inject', team: 'red', incident: { type: 'bad-rollout', target: 'frontend', params: { errorRate: 0.5 }, id: 'surprise' } });
    expect(ok).toMatchObject({ id: 'i7', type: 'control', ok: true, output: expect.stringMatching(/^incident surprise \(bad-rollout\) started on team red at t=\d+s$/) });
    await waitFor(() => team(bob, 'red')!.incidents.length === 1, "red's incident shown");
    // Issue 8: players see a neutral label while the match runs; the cause is revealed at the end (test/server/workflow.test.ts).
    expect(team(bob, 'red')!.incidents[0]).toMatchObject({ id: 'incident-1', label: 'incident-1', type: '', title: 'Unknown cause', revealed: false, status: 'active' });
    expect(team(tess, 'blue')!.incidents.length).toBe(0);
    const again = await ask(tess, 'control', { id: 'i8', op: 'inject', team: 'red', incident: { type: 'bad-rollout', target: 'frontend', id: 'surprise' } });
    expect(again).toMatchObject({ ok: false, error: 'incident id "surprise" is already used in team red' });
  });
});

describe('join option teams', () => {
  it('is validated: 1 to 8', async () => {
    await expect(client.create('match', { name: 'zed', teams: 9 })).rejects.toThrow(/invalid join options: teams: teams must be 1 to 8/);
    await expect(client.create('match', { name: 'zed', teams: 1.5 })).rejects.toThrow(/invalid join options: teams: /);
  });
});
