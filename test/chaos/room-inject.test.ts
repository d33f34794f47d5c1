/**
 * A trainer injects a chaos manifest in a live room (`control` op `inject` with `manifest`), over a real
 * WebSocket client: the server translates it (shared/chaos) against the team's cluster and starts its
 * incidents now; an experiment the sim cannot run is refused naming the document and field.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { Client, type Room } from '@colyseus/sdk';
import { snapshotState } from '../../client/src/view/stateMirror.ts';
import type { RunningServer } from '../../server/app.ts';
import { ask, signIn, startTestServer, waitFor } from '../server/helpers.ts';

let server: RunningServer;
let tess: Room;
const team = (room: Room, id: string) => snapshotState(room.state).teams.get(id);

beforeAll(async () => {
  server = await startTestServer({ TRAINER_USERS: 'tess' });
  const client = new Client(server.url);
  tess = await client.joinOrCreate('match', { name: 'tess', trainer: true, token: await signIn(server.url, 'tess'), scenario: 'guestbook', seed: 5 });
  await waitFor(() => (team(tess, 'blue')?.nodes.size ?? 0) > 0, 'the cluster projected');
});

afterAll(async () => {
  await tess?.leave().catch(() => undefined);
  await server?.close();
});

const POD_KILL = `apiVersion: chaos-mesh.org/v1alpha1
kind: PodChaos
metadata: { name: frontend-kill }
spec:
  action: pod-kill
  mode: fixed
  value: '2'
  selector: { labelSelectors: { tier: frontend } }
`;

describe('injecting a chaos manifest', () => {
  it('starts the translated incidents now, and refuses what the sim cannot run', async () => {
    const ok = await ask(tess, 'control', { id: 'c1', op: 'inject', manifest: POD_KILL });
    expect(ok).toMatchObject({ id: 'c1', type: 'control', ok: true, output: expect.stringMatching(/^incident injected-1-frontend-kill-1 \(pod-kill\) started on team blue at t=\d+s$/) });
    await waitFor(() => (team(tess, 'blue')?.incidents.length ?? 0) === 1, 'the incident shown');

    const litmus = await ask(tess, 'control', {
      id: 'c2',
      op: 'inject',
      appinfo: { applabel: 'app=redis' },
      manifest: 'apiVersion: litmuschaos.io/v1alpha1\nkind: ChaosEngine\nmetadata: { name: lat }\nspec:\n  appinfo: { appns: "", applabel: "", appkind: "" }\n  experiments:\n    - name: pod-network-latency\n      spec: { components: { env: [{ name: NETWORK_LATENCY, value: "500" }] } }\n',
    });
    expect(litmus).toMatchObject({ ok: true, output: expect.stringMatching(/\(network-chaos\) started on team blue/) });

    const time = await ask(tess, 'control', { id: 'c3', op: 'inject', manifest: 'apiVersion: chaos-mesh.org/v1alpha1\nkind: TimeChaos\nmetadata: { name: skew }\nspec: { mode: one, selector: {}, timeOffset: -10m }\n' });
    expect(time).toMatchObject({ ok: false, error: expect.stringMatching(/^cannot inject the manifest: manifest: document 1 \(TimeChaos skew\): spec\.timeOffset: not supported by the simulation: "-10m" on \S+: no effect the simulation can show/) });
    const io = await ask(tess, 'control', { id: 'c5', op: 'inject', manifest: 'apiVersion: chaos-mesh.org/v1alpha1\nkind: IOChaos\nmetadata: { name: io-delay }\nspec: { action: latency, mode: all, selector: { labelSelectors: { app: redis } }, volumePath: /var/run/etcd, delay: 100ms, percent: 50 }\n' });
    expect(io).toMatchObject({ ok: false, error: expect.stringMatching(/document 1 \(IOChaos io-delay\): spec\.volumePath: "\/var\/run\/etcd": no target Pod mounts it/) });
    const none = await ask(tess, 'control', { id: 'c4', op: 'inject', manifest: POD_KILL.replace('tier: frontend', 'tier: nope') });
    expect(none).toMatchObject({ ok: false, error: expect.stringMatching(/spec\.selector: selects no Pod/) });
  });

  it('accepts a manifest bigger than the 4 KiB of other messages (a commented experiment as trainers keep them)', async () => {
    const comments = Array.from({ length: 120 }, (_, i) => `# step ${i}: watch the frontend's Pods come back and the SLI recover`).join('\n');
    const big = `${comments}\n${POD_KILL.replace('frontend-kill', 'frontend-kill-big')}`;
    expect(big.length).toBeGreaterThan(6_000);
    const reply = await ask(tess, 'control', { id: 'b1', op: 'inject', manifest: big });
    expect(reply).toMatchObject({ id: 'b1', ok: true, output: expect.stringMatching(/\(pod-kill\) started on team blue/) });
  });

  it('runs every run of a Schedule on its @every times in sim time, not only the first', async () => {
    const before = team(tess, 'blue')?.incidents.length ?? 0;
    const schedule = `apiVersion: chaos-mesh.org/v1alpha1
kind: Schedule
metadata: { name: kill-often }
spec:
  schedule: '@every 20s'
  concurrencyPolicy: Forbid
  type: PodChaos
  podChaos: { action: pod-kill, mode: one, selector: { labelSelectors: { tier: frontend } } }
`;
    const reply = await ask(tess, 'control', { id: 's1', op: 'inject', manifest: schedule });
    // The first run is one period after the Schedule is created (robfig/cron @every): all are planned.
    expect(reply).toMatchObject({ ok: true, output: expect.stringMatching(/^\d+ later runs planned on team blue at t=(\d+, )+/) });
    const times = /at t=([\d, ]+)/.exec(String((reply as { output?: string }).output))![1]!.split(', ').map(Number);
    expect(times[1]! - times[0]!).toBe(20);
    expect(await ask(tess, 'control', { id: 's2', op: 'speed', timeDilation: 120 })).toMatchObject({ ok: true });
    await ask(tess, 'control', { id: 's3', op: 'resume' });
    await waitFor(() => (team(tess, 'blue')?.incidents.length ?? 0) >= before + 3, 'three runs of the Schedule started', 15_000);
  });
});
