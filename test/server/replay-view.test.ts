/**
 * The replay viewer's API over a real server: a first-oom match played by a real Colyseus client (the
 * Pod is OOM-killed, the player raises its memory limit, the match ends), then
 * `GET /api/matches/:id/replay` shows its incident and action, `?t=` before and after the fix shows
 * the Pod before (OOM-killed and restarted, 512Mi) and after (a new Pod with 1Gi), and the replay ends on the live match's final hash.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { Client } from '@colyseus/sdk';
import type { MatchEndedMessage } from '../../shared/protocol.ts';
import type { RunningServer } from '../../server/app.ts';
import type { ReplayFrame, ReplayTimeline } from '../../server/scenarios/replay.ts';
import { snapshotState } from '../../client/src/view/stateMirror.ts';
import { ask, nextMessage, signIn, startTestServer, waitFor } from './helpers.ts';

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer({ TRAINER_USERS: 'rita' });
});
afterAll(async () => {
  await server?.close();
});

const get = async <T>(path: string): Promise<{ status: number; body: T }> => {
  const res = await fetch(`${server.url}${path}`);
  return { status: res.status, body: (await res.json()) as T };
};
const podStatuses = (frame: ReplayFrame): string[] =>
  // The workload's Pods (kube-system's CoreDNS, kube-proxy and control-plane Pods left out).
  [...snapshotState(frame.state).teams.get(frame.team)!.pods.entries()].filter(([key]) => key.startsWith('default/')).map(([, p]) => `${p.status} restarts=${p.restarts} limit=${p.memLimitMiB}Mi`).sort();

describe('the replay of a finished match', () => {
  let ended: MatchEndedMessage;
  let timeline: ReplayTimeline;

  it('is played live: the Pod is OOM-killed, the player raises its limit, the match ends', async () => {
    const client = new Client(server.url);
    const room = await client.joinOrCreate('match', { name: 'rita', trainer: true, token: await signIn(server.url, 'rita'), scenario: 'first-oom', seed: 3, durationSeconds: 600, timeDilation: 60 });
    const blue = () => snapshotState(room.state).teams.get('blue');
    await waitFor(() => (blue()?.pods.size ?? 0) > 0, 'the first state');
    // OOMKilled, restarted by the kubelet (its restart count goes up).
    await waitFor(() => [...blue()!.pods.values()].some((p) => p.restarts > 0), 'the Pod OOM-killed and restarted', 30_000);
    expect(await ask(room, 'kubectl', { id: 2, command: 'kubectl set resources deployment/podinfo --limits=memory=1Gi' })).toMatchObject({ ok: true });
    const endedPromise = nextMessage<MatchEndedMessage>(room, 'matchEnded', () => true, 30_000);
    expect(await ask(room, 'control', { id: 3, op: 'speed', timeDilation: 120 })).toMatchObject({ ok: true });
    ended = await endedPromise;
    await room.leave();
  }, 60_000);

  it('has a timeline with the incident, the action and the curves', async () => {
    const { status, body } = await get<ReplayTimeline>(`/api/matches/${ended.matchId}/replay`);
    expect(status).toBe(200);
    timeline = body;
    expect(timeline).toMatchObject({ matchId: ended.matchId, scenarioId: 'first-oom', team: 'blue', endT: 600, matches: true, stateHash: ended.summary.stateHash });
    const leak = timeline.incidents.find((i) => i.id === 'podinfo-memory-leak');
    expect(leak).toMatchObject({ type: 'memory-leak', startedAt: 120 });
    expect(leak!.title).toContain('OOMKilled');
    expect(leak!.mitigatedAt).not.toBeNull();
    const fix = timeline.actions.find((a) => a.text.includes('set resources'));
    expect(fix).toMatchObject({ kind: 'action', player: 'rita', text: 'rita: kubectl set resources deployment/podinfo --limits=memory=1Gi' });
    expect(timeline.samples.length).toBe(60); // every 10 sim s, 10..600
    expect(timeline.samples.at(-1)!.t).toBe(600);
    // While the only Pod crash-loops, availability drops and the budget burns.
    expect(Math.min(...timeline.samples.map((s) => s.budget))).toBeLessThan(1);
    expect(Math.max(...timeline.samples.map((s) => s.burnRate))).toBeGreaterThan(1);
  });

  it('shows the cluster before and after the fix differently, and ends on the live hash', async () => {
    const fix = timeline.actions.find((a) => a.text.includes('set resources'))!;
    const before = await get<ReplayFrame>(`/api/matches/${ended.matchId}/replay?t=${fix.t}`);
    expect(before.status).toBe(200);
    expect(before.body.t).toBe(fix.t);
    const after = await get<ReplayFrame>(`/api/matches/${ended.matchId}/replay?t=600`);
    expect(after.status).toBe(200);
    const was = podStatuses(before.body);
    // Before: the old Pod, restarted after its OOM kills, still at 512Mi; after: the new Pod, 1Gi, never restarted.
    expect(was.some((s) => /restarts=[1-9].* limit=512Mi/.test(s)), was.join()).toBe(true);
    expect(podStatuses(after.body)).toEqual(['Running restarts=0 limit=1024Mi']);
    expect(after.body.stateHash).toBe(ended.summary.stateHash);
    // Seeking from a snapshot is the same as replaying from the start: the same moment twice agrees.
    const again = await get<ReplayFrame>(`/api/matches/${ended.matchId}/replay?t=${fix.t + 0.5}`);
    expect(again.body.stateHash).toBe(before.body.stateHash);
  });

  it('answers 404, 400 clearly', async () => {
    expect((await get(`/api/matches/no-such-match/replay`)).status).toBe(404);
    const bad = await get<{ error: string }>(`/api/matches/${ended.matchId}/replay?t=soon`);
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/^invalid query: t:/);
    const late = await get<{ error: string }>(`/api/matches/${ended.matchId}/replay?t=601`);
    expect(late.status).toBe(400);
    expect(late.body.error).toContain('ends at 600');
    expect((await get(`/api/matches/bad%20id/replay`)).status).toBe(400);
    const docs = await get<{ paths: Record<string, unknown> }>('/docs/json');
    expect(Object.keys(docs.body.paths)).toContain('/api/matches/{id}/replay');
  });
});
