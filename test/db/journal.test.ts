/**
 * The live-match journal (server/db/journal.ts) and the rebuild from it (server/recovery/rebuild.ts):
 * commits only while the owner holds the lease and in sequence, leases taken over once expired, and a
 * match played through the game layer (joins, actions at several ticks, a trainer's pause, speed and
 * injection) rebuilt to its live hash from the journal alone and from a mid-match snapshot.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeEach, afterEach, describe, expect, it } from 'vitest';
import type { Database } from '../../server/db/index.ts';
import {
  claimLiveMatches,
  commitJournal,
  createLiveMatch,
  deleteLiveMatch,
  loadJournal,
  saveSnapshot,
  type JournalEntry,
  type LiveMatchSetup,
} from '../../server/db/journal.ts';
import { matchTick, rebuildMatch, RebuildError } from '../../server/recovery/rebuild.ts';
import { resolveSimInput } from '../../server/scenarios/index.ts';
import { advance, control, createMatch, inject, join, matchHash, submit, type Match } from '../../shared/game/index.ts';
import { availableBackends } from './backends.ts';

const backends = availableBackends();
afterAll(async () => {
  for (const b of backends) await b.dispose();
});

const SEED = 11;
const setup: LiveMatchSetup = { scenario: null, scenarioId: 'online-boutique', title: 'Online Boutique', durationSeconds: 300, teams: ['blue'], timeDilation: 4 };

describe.each(backends)('the live-match journal on $name', (backend) => {
  let database: Database;
  const created: string[] = [];

  beforeEach(async () => {
    database = await backend.open();
  });
  afterEach(async () => {
    for (const id of created.splice(0)) {
      for (const owner of ['A', 'B']) await deleteLiveMatch(database, id, owner);
    }
    await database.close();
  });

  async function newLive(leaseMs = 60_000): Promise<string> {
    const matchId = randomUUID();
    created.push(matchId);
    await createLiveMatch(database, { matchId, roomId: `room${matchId.slice(0, 6)}`, seed: SEED, setup, owner: 'A', startedAt: new Date() }, leaseMs);
    return matchId;
  }

  const entry: JournalEntry = { kind: 'join', name: 'ann', team: 'blue', trainer: true, tokenHash: null };

  it('appends only for the owner and only in sequence', async () => {
    const matchId = await newLive();
    const base = { matchId, durableTick: 3, leaseMs: 60_000 };
    expect(await commitJournal(database, { ...base, owner: 'A', fromSeq: 0, entries: [{ tick: 0, entry }] })).toBe(true);
    expect(await commitJournal(database, { ...base, owner: 'B', fromSeq: 1, entries: [{ tick: 1, entry }] })).toBe(false);
    expect(await commitJournal(database, { ...base, owner: 'A', fromSeq: 0, entries: [{ tick: 1, entry }] })).toBe(false);
    expect(await commitJournal(database, { ...base, owner: 'A', fromSeq: 1, entries: [] })).toBe(true);
    const loaded = await loadJournal(database, matchId);
    expect(loaded?.entries).toEqual([{ seq: 0, tick: 0, entry }]);
    expect(loaded?.row).toMatchObject({ owner: 'A', journalLength: 1, durableTick: 3 });
  });

  it('hands a match to another process only once its lease expired; the old owner can no longer write', async () => {
    const held = await newLive(60_000);
    const expiring = await newLive(1);
    await new Promise((resolve) => setTimeout(resolve, 30));
    const claimed = (await claimLiveMatches(database, 'B', 60_000, false)).map((r) => r.matchId);
    expect(claimed).toContain(expiring);
    expect(claimed).not.toContain(held);
    expect(await commitJournal(database, { matchId: expiring, owner: 'A', fromSeq: 0, entries: [{ tick: 0, entry }], durableTick: 0, leaseMs: 1_000 })).toBe(false);
    expect(await commitJournal(database, { matchId: expiring, owner: 'B', fromSeq: 0, entries: [{ tick: 0, entry }], durableTick: 0, leaseMs: 1_000 })).toBe(true);
  });

  it('rebuilds a played match to its live hash, from the journal alone and from a snapshot', async () => {
    const matchId = await newLive();
    const { input } = resolveSimInput({ seed: SEED, durationSeconds: 300 });
    const live: Match = createMatch({ input, teams: ['blue'] });
    const journal: { tick: number; entry: JournalEntry }[] = [];
    const record = (e: JournalEntry) => journal.push({ tick: matchTick(live), entry: e });
    const seat = (name: string, trainer: boolean) => {
      const s = join(live, { name, team: 'blue', trainer });
      if (!s.ok) throw new Error(s.error);
      record({ kind: 'join', name, team: 'blue', trainer, tokenHash: null });
      return s.player.id;
    };
    const ann = seat('ann', true);
    const bob = seat('bob', false);
    const ticks = (n: number) => {
      for (let i = 0; i < n; i++) advance(live);
    };
    ticks(5);
    expect(submit(live, bob, { type: 'scaleDeployment', deployment: 'frontend', replicas: 4 })).toMatchObject({ ok: true });
    record({ kind: 'action', team: 'blue', player: 'bob', action: { type: 'scaleDeployment', deployment: 'frontend', replicas: 4 } });
    ticks(7);
    expect(inject(live, ann, 'blue', { type: 'bad-rollout', target: 'frontend', params: { errorRate: 0.4 }, id: 'drill' })).toMatchObject({ ok: true });
    record({ kind: 'inject', team: 'blue', player: 'ann', spec: structuredClone(live.teams[0]!.injections[0]!.spec) });
    ticks(3);
    // The snapshot point: everything so far is in it.
    const snap = { seq: journal.length, tick: matchTick(live), hash: matchHash(live), state: JSON.stringify(live) };
    expect(control(live, ann, 'pause')).toMatchObject({ ok: true });
    record({ kind: 'control', player: 'ann', op: 'pause' });
    record({ kind: 'control', player: 'ann', op: 'speed', timeDilation: 30 });
    expect(control(live, ann, 'resume')).toMatchObject({ ok: true });
    record({ kind: 'control', player: 'ann', op: 'resume' });
    ticks(4);
    expect(submit(live, ann, { type: 'rolloutUndo', deployment: 'frontend' })).toMatchObject({ ok: true });
    record({ kind: 'action', team: 'blue', player: 'ann', action: { type: 'rolloutUndo', deployment: 'frontend' } });
    ticks(6); // ticks after the last entry: covered by the durable tick of the commit
    expect(await commitJournal(database, { matchId, owner: 'A', fromSeq: 0, entries: journal, durableTick: matchTick(live), leaseMs: 60_000 })).toBe(true);

    const loaded = (await loadJournal(database, matchId))!;
    const fromJournal = rebuildMatch(loaded.row, loaded.entries, null);
    expect(fromJournal.tick).toBe(matchTick(live));
    expect(matchHash(fromJournal.match)).toBe(matchHash(live));
    expect(fromJournal.timeDilation).toBe(30);
    expect(fromJournal.match.players.map((p) => [p.name, p.trainer, p.actions, p.present])).toEqual([['ann', true, 1, false], ['bob', false, 1, false]]);

    expect(await saveSnapshot(database, matchId, 'A', snap)).toBe(true);
    expect(await saveSnapshot(database, matchId, 'B', snap)).toBe(false);
    const withSnapshot = (await loadJournal(database, matchId))!;
    expect(withSnapshot.snapshot).toMatchObject({ seq: snap.seq, tick: snap.tick, hash: snap.hash });
    const fromSnapshot = rebuildMatch(withSnapshot.row, withSnapshot.entries, withSnapshot.snapshot);
    expect(fromSnapshot.fromSnapshot).toBe(true);
    expect(matchHash(fromSnapshot.match)).toBe(matchHash(live));

    // A snapshot that does not hash to its stored hash is refused, not trusted.
    const tampered = { ...withSnapshot.snapshot!, state: withSnapshot.snapshot!.state.replace('"replicas":4', '"replicas":5') };
    expect(() => rebuildMatch(withSnapshot.row, withSnapshot.entries, tampered)).toThrow(RebuildError);
  });
});
