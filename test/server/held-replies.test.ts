import { describe, expect, it } from 'vitest';
import { HeldReplies, type TeamClock } from '../../server/rooms/heldReplies.ts';
import { applyAction, reconcileEtcd } from '../../shared/sim/index.ts';
import { sim } from '../sim/fixtures.ts';

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('replies held for the etcd request timeout (7 sim s)', () => {
  it('a write refused without quorum is answered when its team reaches repliesAt, not before; in due order', async () => {
    const s = sim();
    for (const m of s.controlPlane.etcd.members.slice(0, 2)) m.healthy = false;
    reconcileEtcd(s);
    const r = applyAction(s, 'alice', { type: 'scaleDeployment', deployment: 'web', replicas: 5 });
    if (r.ok || r.repliesAt === undefined) throw new Error('expected a refusal with repliesAt');
    expect(r.repliesAt).toBe(s.t + 7);
    const held = new HeldReplies<string>();
    const got: string[] = [];
    void held.hold('blue', r.repliesAt, r.error, () => 'retried').then((x) => got.push(`blue:${x}`));
    void held.hold('red', s.t + 3, 'red-first').then((x) => got.push(x));
    const clocks: Record<string, TeamClock> = { blue: { t: s.t + 6, serving: false }, red: { t: s.t + 6, serving: false } };
    expect(held.release((team) => clocks[team])).toBe(1); // red's is due, blue's waits (6 s < 7 s)
    await flush();
    expect(got).toEqual(['red-first']);
    clocks['blue'] = { t: s.t + 7, serving: false };
    expect(held.release((team) => clocks[team])).toBe(1);
    await flush();
    expect(got).toEqual(['red-first', 'blue:Error from server: etcdserver: request timed out']);
    expect(held.size).toBe(0);
  });

  it('etcd serving again within the timeout (a leader elected): the line is run again and that answer sent', async () => {
    const held = new HeldReplies<string>();
    const p = held.hold('blue', 107, 'timed out', () => Promise.resolve('deployment.apps/web scaled'));
    expect(held.release(() => ({ t: 101, serving: false }))).toBe(0);
    expect(held.release(() => ({ t: 102, serving: true }))).toBe(1);
    await expect(p).resolves.toBe('deployment.apps/web scaled');
  });

  it('NOSPACE refusals are answered at once (no repliesAt); releaseAll answers everything with the held value', async () => {
    const s = sim();
    s.controlPlane.etcd.db = { quotaMiB: 2048, sizeMiB: 2048, inUseMiB: 2048, liveMiB: 100, historyMiB: 1948, historyFromRev: 1, historyToRev: 2, compactedRev: 0, alarm: true };
    const r = applyAction(s, 'alice', { type: 'scaleDeployment', deployment: 'web', replicas: 5 });
    expect(r).toEqual({ ok: false, error: 'Error from server: etcdserver: mvcc: database space exceeded' });
    const held = new HeldReplies<number>();
    const p = held.hold('blue', 1e9, 42, () => 0);
    expect(held.releaseAll()).toBe(1);
    await expect(p).resolves.toBe(42);
  });
});
