import { describe, expect, it } from 'vitest';
import { CHANGE_LOG_LIMIT, changesSince, forEachChangeSince, recordChange } from '../../shared/sim/changelog.ts';
import type { SimState } from '../../shared/sim/types.ts';

/** The log only keys by state identity: any object stands in for a state here. */
const fresh = () => ({}) as unknown as SimState;

describe('change log', () => {
  it('lists the changes after a cursor, the same through changesSince and forEachChangeSince', () => {
    const s = fresh();
    expect(changesSince(s, 0)).toEqual({ cursor: 0, resync: true });
    recordChange(s, 'Pod', 'default/a', 'ADDED');
    recordChange(s, 'Node', 'n1', 'MODIFIED');
    recordChange(s, 'Pod', 'default/a', 'DELETED');
    const since1 = changesSince(s, 1);
    expect(since1).toEqual({
      cursor: 3,
      changes: [
        { seq: 2, kind: 'Node', key: 'n1', type: 'MODIFIED' },
        { seq: 3, kind: 'Pod', key: 'default/a', type: 'DELETED' },
      ],
    });
    const seen: unknown[] = [];
    expect(forEachChangeSince(s, 1, (kind, key, type, seq) => seen.push({ seq, kind, key, type }))).toEqual({ cursor: 3 });
    expect(seen).toEqual(since1.resync ? [] : since1.changes);
    expect(changesSince(s, 3)).toEqual({ cursor: 3, changes: [] });
    expect(changesSince(s, 4)).toEqual({ cursor: 3, resync: true });
  });

  it('is bounded: a cursor older than what it keeps resyncs', () => {
    const s = fresh();
    const n = CHANGE_LOG_LIMIT * 2 + 5;
    for (let i = 0; i < n; i++) recordChange(s, 'Pod', `default/p${i}`, 'MODIFIED');
    expect(changesSince(s, 0)).toEqual({ cursor: n, resync: true });
    expect(forEachChangeSince(s, 0, () => undefined)).toEqual({ cursor: n, resync: true });
    const tail = changesSince(s, n - 2);
    expect(tail.resync ? [] : tail.changes.map((c) => [c.seq, c.key])).toEqual([[n - 1, `default/p${n - 2}`], [n, `default/p${n - 1}`]]);
    // Everything still kept is served from its first entry on.
    const kept = changesSince(s, n - CHANGE_LOG_LIMIT);
    expect(kept.resync ? -1 : kept.changes.length).toBe(CHANGE_LOG_LIMIT);
  });
});
