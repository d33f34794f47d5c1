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
    expect(time).toMatchObject({ ok: false, error: expect.stringMatching(/^cannot inject the manifest: manifest: document 1 \(TimeChaos skew\): kind: not supported by the simulation: TimeChaos/) });
    const none = await ask(tess, 'control', { id: 'c4', op: 'inject', manifest: POD_KILL.replace('tier: frontend', 'tier: nope') });
    expect(none).toMatchObject({ ok: false, error: expect.stringMatching(/spec\.selector: selects no Pod/) });
  });
});
