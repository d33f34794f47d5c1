/**
 * Issue 12, "Bounded cost per match", over real WebSocket clients (not timed: the figures are in
 * bench/noisy-neighbour.ts): one match scales every Deployment of its cluster to 1,000 replicas (the
 * most the room accepts), far beyond its 6 Nodes x 110 Pods; its player sees Pods created in bursts
 * and the rest Pending with FailedScheduling, and another match on the same server keeps receiving
 * patches and advancing meanwhile.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { Client, type Room } from '@colyseus/sdk';
import type { RunningServer } from '../../server/app.ts';
import { ask, startTestServer, waitFor } from './helpers.ts';

let server: RunningServer;
let heavy: Room;
let normal: Room;
let seq = 0;

const kubectl = async (room: Room, command: string) => ask(room, 'kubectl', { id: `k${seq++}`, command });
const simT = (room: Room) => (room.state as unknown as { t: number }).t;

beforeAll(async () => {
  server = await startTestServer();
  heavy = await new Client(server.url).create('match', { name: 'heavy', seed: 1, timeDilation: 30 });
  normal = await new Client(server.url).create('match', { name: 'normal', seed: 2, timeDilation: 20 });
  for (const room of [heavy, normal]) {
    room.onMessage('credentials', () => undefined);
    room.onMessage('clock', () => undefined);
  }
  await waitFor(() => simT(heavy) > 0 && simT(normal) > 0, 'both matches running');
}, 60_000);

afterAll(async () => {
  await heavy?.leave().catch(() => undefined);
  await normal?.leave().catch(() => undefined);
  await server?.close();
});

describe('a match scaled far beyond its capacity', () => {
  it('creates Pods in bursts, leaves the rest Pending with FailedScheduling, and the other match keeps going', async () => {
    const deployments = (await kubectl(heavy, 'kubectl get deployments -o name')).output!.trim().split('\n');
    expect(deployments.length).toBeGreaterThan(5);
    for (const d of deployments) expect(await kubectl(heavy, `kubectl scale ${d} --replicas=1000`)).toMatchObject({ ok: true });
    // The protocol refuses more than 1,000 replicas (bounded before the sim).
    expect(await kubectl(heavy, 'kubectl scale deployment frontend --replicas=100000')).toMatchObject({ ok: false });

    let patches = 0;
    normal.onStateChange(() => patches++);
    const normalFrom = simT(normal);
    const heavyFrom = simT(heavy);
    // The heavy cluster fills up: its Nodes full (110 Pods each), Pods Pending beyond that.
    let events = '';
    for (let i = 0; i < 300 && !/FailedScheduling/.test(events); i++) {
      const r = await kubectl(heavy, 'kubectl get events');
      if (r.ok) events = r.output ?? '';
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(events).toMatch(/SuccessfulCreate/);
    expect(events).toMatch(/FailedScheduling/);
    expect(events).toMatch(/nodes are available: .*(Too many pods|Insufficient (cpu|memory))/);
    await waitFor(() => simT(heavy) >= heavyFrom + 20, 'the heavy match advances 20 sim s', 60_000);
    // kubectl get deployment: READY stays far below 1,000 (the Nodes hold 660 Pods for 12 Deployments).
    const get = await kubectl(heavy, 'kubectl get deployment frontend');
    const ready = /frontend\s+(\d+)\/1000/.exec(get.output ?? '');
    expect(ready).not.toBeNull();
    expect(Number(ready![1])).toBeLessThan(1000);
    // Meanwhile the normal match kept receiving patches and its clock kept moving (waited for: the
    // heavy match now reaches its 20 sim s in well under a second of real time).
    await waitFor(() => patches > 10 && simT(normal) > normalFrom + 10, 'the normal match keeps receiving patches', 30_000);
    expect(simT(normal)).toBeGreaterThan(normalFrom + 10);
    expect(patches).toBeGreaterThan(10);
  }, 120_000);
});
