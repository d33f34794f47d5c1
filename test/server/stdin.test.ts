/**
 * The room's `stdin` message (issue 7): `kubectl apply -f -` of a pasted manifest and `kubectl edit`
 * from the web console, through a real server and a real @colyseus/sdk client over WebSocket. A
 * realistic 11 KB manifest fits the frame limit; an oversized one gets an error reply, not a close.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { Client, type Room } from '@colyseus/sdk';
import type { ReplyMessage } from '../../shared/protocol.ts';
import type { RunningServer } from '../../server/app.ts';
import { MAX_STDIN_MESSAGE_BYTES } from '../../server/http/colyseus.ts';
import { StdinBudget } from '../../server/rooms/stdin.ts';
import { snapshotState } from '../../client/src/view/stateMirror.ts';
import { manifestOf } from '../kubectl/manifests.ts';
import { ask, nextMessage, startTestServer, waitFor } from './helpers.ts';

let server: RunningServer;
let room: Room;
const blue = () => snapshotState(room.state).teams.get('blue');

beforeAll(async () => {
  server = await startTestServer();
  room = await new Client(server.url).joinOrCreate('match', { name: 'alice', seed: 42 });
  await waitFor(() => (blue()?.pods.size ?? 0) > 0, 'the first state patch');
});

afterAll(async () => {
  await room?.leave().catch(() => undefined);
  await server?.close();
});

describe('stdin: kubectl apply -f - and kubectl edit over the room', () => {
  it('applies an 11 KB pasted manifest (16 documents) and the cluster view shows it', async () => {
    const yaml = manifestOf(8);
    expect(yaml.length).toBeGreaterThan(10_000);
    const reply = await ask(room, 'stdin', { id: 'apply', command: 'kubectl apply -f -', stdin: yaml });
    expect(reply).toMatchObject({ id: 'apply', type: 'stdin', ok: true });
    expect(reply.output!.split('\n')).toHaveLength(16);
    expect(reply.output).toMatch(/^deployment\.apps\/web-0 created\nservice\/web-0 created\n/);
    await waitFor(() => blue()?.deployments.has('default/web-7') && blue()?.services.has('default/web-7'), 'the applied objects in the view');
    const again = await ask(room, 'stdin', { id: 'again', command: 'kubectl apply -f -', stdin: yaml });
    expect(again.output!.split('\n').every((l) => l.endsWith(' unchanged'))).toBe(true);
  });

  it('edit: the YAML to edit, then the saved change (and a refused one keeps its error)', async () => {
    const opened = await ask(room, 'stdin', { id: 'open', command: 'kubectl edit deployment web-0' });
    expect(opened).toMatchObject({ ok: true });
    const get = await ask(room, 'kubectl', { id: 'get', command: 'kubectl get deployment web-0 -o yaml' });
    expect(opened.output).toBe(get.output);
    const saved = await ask(room, 'stdin', { id: 'save', command: 'kubectl edit deployment web-0', stdin: opened.output!.replace(/^ {2}replicas: 2$/m, '  replicas: 3') });
    expect(saved).toMatchObject({ ok: true, output: 'deployment.apps/web-0 edited' });
    await waitFor(() => blue()?.deployments.get('default/web-0')?.replicas === 3, 'web-0 at 3 replicas');
    const bad = await ask(room, 'stdin', { id: 'bad', command: 'kubectl edit deployment web-0', stdin: opened.output!.replace(/revisionHistoryLimit: 10/, 'revisionHistoryLimit: 2') });
    expect(bad).toMatchObject({ ok: false, error: expect.stringMatching(/^error: deployments.apps "web-0" is invalid\n\* spec.revisionHistoryLimit/) });
  });

  it('answers a client pasting more than its allowance with the wait, unparsed, and keeps the connection', async () => {
    const big = `# ${'x'.repeat(62_000)}\n${manifestOf(1)}`;
    expect(big.length).toBeLessThanOrEqual(65_536);
    // sent at once (the room answers in order): the allowance left after the manifests above takes one
    const replies = await Promise.all([0, 1, 2].map((i) => ask(room, 'stdin', { id: `flood-${i}`, command: 'kubectl apply -f -', stdin: big })));
    expect(replies.map((r) => r.ok)).toEqual([true, false, false]);
    expect(replies.at(-1)).toMatchObject({ ok: false, error: expect.stringMatching(/^error: too much pasted input: \d+ characters now; try again in \d+ s/) });
    expect(await ask(room, 'kubectl', { id: 'after-flood', command: 'kubectl get nodes' })).toMatchObject({ ok: true });
  });

  it('the allowance: two full pastes at once, then 16 Ki characters a second (wall clock)', () => {
    let now = 0;
    const budget = new StdinBudget(2 * 65_536, 16_384, () => now);
    expect(budget.take('a', 65_536)).toBeNull();
    expect(budget.take('a', 65_536)).toBeNull();
    expect(budget.take('a', 20_000)).toMatch(/try again in 2 s/);
    expect(budget.take('b', 65_536)).toBeNull();
    now = 2_000;
    expect(budget.take('a', 20_000)).toBeNull();
  });

  it('validates the message with zod and answers an oversized one with an error reply', async () => {
    expect(await ask(room, 'stdin', { id: 'bad', command: 'kubectl apply -f -', stdin: 7 })).toMatchObject({ ok: false, error: expect.stringMatching(/^invalid message: stdin: /) });
    const refused = nextMessage<ReplyMessage>(room, 'reply', (r) => r.type === 'stdin' && r.id === null);
    room.send('stdin', { id: 'huge', command: 'kubectl apply -f -', stdin: 'x'.repeat(MAX_STDIN_MESSAGE_BYTES) });
    expect(await refused).toMatchObject({ ok: false, error: expect.stringMatching(/^message too large: \d+ bytes, at most 81920$/) });
    expect(await ask(room, 'kubectl', { id: 'after', command: 'kubectl get nodes' })).toMatchObject({ ok: true });
  });
});
