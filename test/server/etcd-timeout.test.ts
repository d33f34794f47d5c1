import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { Client, type Room } from '@colyseus/sdk';
import type { RunningServer } from '../../server/app.ts';
import { ask, signIn, startTestServer, waitFor } from './helpers.ts';

let server: RunningServer;
let room: Room | undefined;

beforeAll(async () => {
  server = await startTestServer({ TRAINER_USERS: 'trainer-tess' });
});

afterAll(async () => {
  await room?.leave().catch(() => undefined);
  await server?.close();
});

describe('a console line while etcd cannot serve it (etcd request timeout)', () => {
  it('is answered `etcdserver: request timed out` after etcd\'s 7 s request timeout (sim time), not at once', async () => {
    const client = new Client(server.url);
    // 10 sim s per real s: the 7 sim s wait is ~0.7 s of real time.
    room = await client.joinOrCreate('match', { name: 'trainer-tess', trainer: true, token: await signIn(server.url, 'trainer-tess'), seed: 3, durationSeconds: 600, timeDilation: 10 });
    const state = room.state as unknown as { t: number; teams: Map<string, { nodes: Map<string, unknown> }> };
    await waitFor(() => (state.teams?.get('blue')?.nodes.size ?? 0) > 0, 'the first state');
    expect(await ask(room, 'control', { id: 1, op: 'inject', incident: { type: 'etcd-quorum-loss', target: 'etcd-1,etcd-2', id: 'quorum' } })).toMatchObject({ ok: true });
    const t0 = state.t;
    const sent = performance.now();
    const reply = await ask(room, 'kubectl', { id: 2, command: 'kubectl scale deployment/frontend --replicas=4' });
    const waitedMs = performance.now() - sent;
    expect(reply).toMatchObject({ id: 2, ok: false, error: 'Error from server: etcdserver: request timed out' });
    // 7 sim s at 10 sim s per real s is ~700 ms; not at once (an answer at once takes a few ms). The
    // bound is lower than 700: after a stall the room's clock catches up (several ticks in one frame),
    // so on a loaded machine the 7 sim s can pass in less real time (588 ms seen in CI).
    expect(waitedMs).toBeGreaterThanOrEqual(300);
    await waitFor(() => state.t >= t0 + 7, 'sim time past the timeout');
    // A read waits the same 7 s; etcdctl's Raft request `member list` its 5 s command timeout.
    const t1 = state.t;
    const read = await ask(room, 'kubectl', { id: 3, command: 'kubectl get pods' });
    expect(read).toMatchObject({ id: 3, ok: false, error: 'Error from server: etcdserver: request timed out' });
    await waitFor(() => state.t >= t1 + 7, 'sim time past the read timeout');
    const sent2 = performance.now();
    const list = await ask(room, 'kubectl', { id: 4, command: 'etcdctl member list' });
    expect(list).toMatchObject({ id: 4, ok: false, error: 'Error: context deadline exceeded' });
    expect(performance.now() - sent2).toBeGreaterThanOrEqual(200); // 5 sim s ~500 ms, less after a catch-up (see above)
    // etcdctl endpoint health talks to each member directly: it answers at once.
    expect(await ask(room, 'kubectl', { id: 5, command: 'etcdctl endpoint health' })).toMatchObject({ id: 5, ok: true });
  }, 20_000);

  it('sent while the leader is lost: held until the election (1-2 s) and then committed, as a real proposal waits for the new leader', async () => {
    const client = new Client(server.url);
    const other = await client.create('match', { name: 'trainer-tess', trainer: true, token: await signIn(server.url, 'trainer-tess'), seed: 4, durationSeconds: 600, timeDilation: 10 });
    try {
      type Member = { name: string; leader: boolean };
      const state = other.state as unknown as { teams: Map<string, { nodes: Map<string, unknown>; etcd: { length: number; at(i: number): Member | undefined } }> };
      await waitFor(() => (state.teams?.get('blue')?.nodes.size ?? 0) > 0, 'the first state');
      const etcd = state.teams.get('blue')!.etcd;
      const leader = Array.from({ length: etcd.length }, (_, i) => etcd.at(i)!).find((m) => m.leader)!.name;
      // The leader goes down; the write lands before the next tick (no leader yet).
      const [lost, scaled] = await Promise.all([
        ask(other, 'control', { id: 1, op: 'inject', incident: { type: 'etcd-member-loss', target: leader, id: 'leader' } }),
        ask(other, 'kubectl', { id: 2, command: 'kubectl scale deployment/frontend --replicas=4' }),
      ]);
      expect(lost).toMatchObject({ ok: true });
      expect(scaled).toMatchObject({ id: 2, ok: true, output: 'deployment.apps/frontend scaled' });
    } finally {
      await other.leave().catch(() => undefined);
    }
  }, 20_000);
});
