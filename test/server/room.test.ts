import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { Client, type Room } from '@colyseus/sdk';
import type { ReplyMessage } from '../../shared/protocol.ts';
import { snapshotState } from '../../client/src/view/stateMirror.ts';
import type { RunningServer } from '../../server/app.ts';
import { ask, nextMessage, signIn, startTestServer, waitFor } from './helpers.ts';

// The room's state as the SDK decodes it (MapSchema/ArraySchema behave like Map/array here).
type AnyState = {
  matchId: string;
  scenarioId: string;
  phase: string;
  t: number;
  players: Map<string, { name: string; trainer: boolean; actions: number; connected: boolean }>;
  teams: Map<string, {
    nodes: Map<string, { name: string; status: string; ready: boolean }>;
    pods: Map<string, { name: string; status: string; deployment: string; node: string }>;
    deployments: Map<string, { replicas: number; readyReplicas: number; image: string }>;
    services: Map<string, { name: string; rps: number }>;
    etcd: { length: number; at(i: number): { name: string; healthy: boolean; leader: boolean } | undefined };
    slo: { availabilityTarget: number };
    events: { length: number };
  }>;
};

let server: RunningServer;
let client: Client;
let alice: Room;

const state = (room: Room) => room.state as unknown as AnyState;
// A team's cluster as the client sees it (its Pods arrive apart, in `teamDetail`: the mirror joins them).
const blue = (room: Room) => snapshotState(room.state).teams.get('blue');

/** Send a message and wait for the reply carrying its id. */
beforeAll(async () => {
  server = await startTestServer({ TRAINER_USERS: 'tess' });
  client = new Client(server.url);
  alice = await client.joinOrCreate('match', { name: 'alice', seed: 42 });
  await waitFor(() => (blue(alice)?.pods.size ?? 0) > 0, 'the first state patch');
});

afterAll(async () => {
  await alice?.leave().catch(() => undefined);
  await server?.close();
});

describe('match room', () => {
  it('sends the cluster on join: nodes, pods, etcd members, services, SLOs', () => {
    const s = state(alice);
    expect(s.scenarioId).toBe('online-boutique');
    expect(s.phase).toBe('running');
    expect(s.matchId).toMatch(/^[0-9a-f-]{36}$/);
    const team = blue(alice)!;
    expect(team.nodes.size).toBe(6);
    expect(team.pods.size).toBeGreaterThan(5);
    expect(team.etcd.length).toBe(3);
    expect(team.etcd.at(0)!.name).toBe('etcd-0');
    expect(team.services.has('default/frontend')).toBe(true);
    expect(team.deployments.has('default/frontend')).toBe(true);
    expect(team.slo.availabilityTarget).toBe(0.98);
    const me = [...s.players.values()].find((p) => p.name === 'alice');
    expect(me).toMatchObject({ name: 'alice', trainer: false, connected: true, actions: 0 });
  });

  it('ticks the simulation: sim time advances between patches', async () => {
    const t0 = state(alice).t;
    await waitFor(() => state(alice).t > t0, 'sim time to advance');
  });

  it('answers `kubectl get pods` with a table, to the asking client only', async () => {
    const reply = await ask(alice, 'kubectl', { id: 1, command: 'kubectl get pods' });
    expect(reply).toMatchObject({ id: 1, type: 'kubectl', ok: true });
    expect(reply.output).toMatch(/^NAME\s+READY\s+STATUS/);
    const somePod = [...blue(alice)!.pods.values()][0]!.name;
    expect(reply.output).toContain(somePod);
  });

  it('scales a Deployment with kubectl and the projection follows within a few patches', async () => {
    const reply = await ask(alice, 'kubectl', { id: 'scale-1', command: 'kubectl scale deployment/frontend --replicas=5' });
    expect(reply).toMatchObject({ id: 'scale-1', ok: true });
    await waitFor(() => blue(alice)!.deployments.get('default/frontend')!.replicas === 5, 'frontend to show 5 replicas');
    await waitFor(
      () => [...blue(alice)!.pods.values()].filter((p) => p.deployment === 'frontend').length >= 5,
      'five frontend pods',
    );
    await waitFor(() => [...state(alice).players.values()].find((p) => p.name === 'alice')?.actions === 1, 'the action count');
  });

  it('takes structured actions (what a click sends)', async () => {
    const node = [...blue(alice)!.nodes.keys()][0]!;
    const reply = await ask(alice, 'action', { id: 7, action: { type: 'cordonNode', node } });
    expect(reply).toMatchObject({ id: 7, type: 'action', ok: true });
    await waitFor(() => blue(alice)!.nodes.get(node)!.status.includes('SchedulingDisabled'), 'the node to show SchedulingDisabled');
  });

  it('refuses an action the sim rejects, with its reason', async () => {
    const reply = await ask(alice, 'action', { id: 8, action: { type: 'scaleDeployment', deployment: 'no-such-app', replicas: 2 } });
    expect(reply.ok).toBe(false);
    expect(reply.error).toMatch(/no-such-app/);
  });

  it('answers bad messages with a clear error and keeps the client connected', async () => {
    const wrongType = await ask(alice, 'kubectl', { id: 'a', command: 42 });
    expect(wrongType).toEqual({ id: 'a', type: 'kubectl', ok: false, error: expect.stringMatching(/^invalid message: command: .*expected string/) });

    const unknown = await ask(alice, 'launch-missiles', { id: 'b' });
    expect(unknown).toEqual({
      id: 'b',
      type: 'launch-missiles',
      ok: false,
      // The list grows with new message types (lobby, ...): the known ones come first, in this order.
      error: expect.stringMatching(/^unknown message type "launch-missiles": expected one of kubectl, action, control, focus(, [a-z]+)*$/),
    });

    const garbage = await ask(alice, 'action', { id: 'c', action: { type: 'nuke', everything: true } });
    expect(garbage.ok).toBe(false);
    expect(garbage.error).toMatch(/^invalid message: action\.type: /);

    const extra = await ask(alice, 'kubectl', { id: 'd', command: 'kubectl get nodes', sudo: true });
    expect(extra.error).toMatch(/sudo/);

    const badCommand = await ask(alice, 'kubectl', { id: 'e', command: 'kubectl frobnicate pods' });
    expect(badCommand).toMatchObject({ id: 'e', ok: false });
    expect(badCommand.error).toMatch(/frobnicate/);

    // No id at all, not even an object: the reply says so with id null.
    const noId = nextMessage<ReplyMessage>(alice, 'reply', (r) => r.id === null && r.type === 'control');
    alice.send('control', 'pause please');
    expect((await noId).error).toMatch(/^invalid message: \(message\): /);

    expect(alice.connection.isOpen).toBe(true);
    const after = await ask(alice, 'kubectl', { id: 'f', command: 'kubectl get nodes' });
    expect(after).toMatchObject({ ok: true });
    expect(after.output).toMatch(/^NAME\s+STATUS/);
  });

  it('takes focus messages (what the player looks at) and refuses malformed ones, staying connected', async () => {
    const node = [...blue(alice)!.nodes.keys()][0]!;
    expect(await ask(alice, 'focus', { id: 'f1', kind: 'Node', key: node })).toMatchObject({ id: 'f1', type: 'focus', ok: true });
    expect(await ask(alice, 'focus', { id: 'f2', kind: 'Deployment', key: 'default/frontend' })).toMatchObject({ ok: true });
    const bad = await ask(alice, 'focus', { id: 'f3', kind: 'Pod', key: 'default/x' });
    expect(bad).toMatchObject({ id: 'f3', ok: false });
    expect(bad.error).toMatch(/^invalid message/);
    expect(await ask(alice, 'focus', { id: 'f4' })).toMatchObject({ ok: true, output: 'focus cleared' });
    // A small cluster: every Pod stays visible whatever the focus.
    expect(blue(alice)!.pods.size).toBeGreaterThan(5);
    expect(blue(alice)!.nodes.get(node)?.cpuAllocatable).toBeGreaterThan(0);
  });

  it('answers room.request() with the reply as the response', async () => {
    const reply = (await alice.request('kubectl', { command: 'kubectl get deployments' })) as ReplyMessage;
    expect(reply).toMatchObject({ type: 'kubectl', ok: true, id: null });
    expect(reply.output).toContain('frontend');
  });

  it('refuses a join without a name, with a clear error', async () => {
    await expect(client.joinOrCreate('match', {})).rejects.toThrow('invalid join options: name: ');
    await expect(client.joinOrCreate('match', { name: '   ' })).rejects.toThrow('invalid join options: name: name is required');
    await expect(client.joinOrCreate('match', { name: 'bob', colour: 'red' })).rejects.toThrow(/colour/);
  });

  it('refuses a second player with a name already in the match', async () => {
    await expect(client.joinById(alice.roomId, { name: 'alice' })).rejects.toThrow('name "alice" is already taken in this match');
  });

  it('refuses an unknown scenario (and never reads files named by players)', async () => {
    await expect(client.create('match', { name: 'mallory', scenario: '/etc/passwd' })).rejects.toThrow(/unknown scenario "\/etc\/passwd"/);
  });

  it('lets only a trainer pause and resume; actions wait while paused', async () => {
    const denied = await ask(alice, 'control', { id: 'p0', op: 'pause' });
    expect(denied).toMatchObject({ ok: false, error: expect.stringMatching(/only a trainer/) });

    const trainer = await client.joinById(alice.roomId, { name: 'tess', trainer: true, token: await signIn(server.url, 'tess') });
    try {
      const paused = await ask(trainer, 'control', { id: 'p1', op: 'pause' });
      expect(paused).toMatchObject({ ok: true });
      await waitFor(() => state(alice).phase === 'paused', 'phase paused');
      const t = state(alice).t;
      const refused = await ask(alice, 'kubectl', { id: 'p2', command: 'kubectl scale deployment/frontend --replicas=3' });
      expect(refused).toMatchObject({ ok: false, error: expect.stringMatching(/paused/) });
      const read = await ask(alice, 'kubectl', { id: 'p3', command: 'kubectl get pods' });
      expect(read.ok).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(state(alice).t).toBe(t);

      const speed = await ask(trainer, 'control', { id: 'p4', op: 'speed' });
      expect(speed).toMatchObject({ ok: false, error: expect.stringMatching(/timeDilation/) });
      expect(await ask(trainer, 'control', { id: 'p5', op: 'speed', timeDilation: 8 })).toMatchObject({ ok: true });
      expect(await ask(trainer, 'control', { id: 'p6', op: 'resume' })).toMatchObject({ ok: true });
      await waitFor(() => state(alice).phase === 'running' && state(alice).t > t, 'the match to run again');
    } finally {
      await trainer.leave();
    }
  });

  it('keeps a dropped player\'s seat: the SDK reconnects and the player is connected again', async () => {
    const bob = await client.joinById(alice.roomId, { name: 'bob' });
    try {
      bob.reconnection.minUptime = 0; // the SDK does not retry connections younger than this (5 s)
      bob.reconnection.minDelay = 10;
      const bobView = () => [...state(alice).players.values()].find((p) => p.name === 'bob');
      await waitFor(() => bobView()?.connected === true, 'bob to be listed');
      const reconnected = new Promise<void>((resolve) => bob.onReconnect.once(() => resolve()));
      bob.connection.close(); // no status code (1005): a drop, not a consented leave (4000), on both sides
      await waitFor(() => bobView()?.connected === false, 'bob to show as disconnected', 3_000);
      await reconnected;
      await waitFor(() => bobView()?.connected === true, 'bob to be connected again');
      const reply = await ask(bob, 'kubectl', { id: 'r1', command: 'kubectl get nodes' });
      expect(reply.ok).toBe(true);
    } finally {
      await bob.leave();
    }
    await waitFor(() => ![...state(alice).players.values()].some((p) => p.name === 'bob'), 'bob to leave');
  });

  it('lists the open match at GET /api/rooms', async () => {
    const rooms = (await (await fetch(`${server.url}/api/rooms`)).json()) as { roomId: string; scenario: string; phase: string; clients: number; matchId: string }[];
    const mine = rooms.find((r) => r.roomId === alice.roomId);
    expect(mine).toMatchObject({ scenario: 'online-boutique', phase: 'running', clients: 1, matchId: state(alice).matchId });
  });
});
