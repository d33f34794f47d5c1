/**
 * The game's notices (shared/sim/notices.ts): one bounded log beside the Events, merged with them into
 * the feed in the order written; the Events' own numbering is untouched.
 */
import { describe, expect, it } from 'vitest';
import { recordEvent } from '../../shared/sim/events.ts';
import { NOTICE_LIMIT, forEachFeedRow, recordNotice } from '../../shared/sim/notices.ts';
import { feedRows, sim } from './fixtures.ts';

describe('notices', () => {
  it('interleave with the Events in the order written, without taking Event numbers', () => {
    const s = sim();
    const base = s.counters.eventSeq;
    recordNotice(s, 'incident', 'Warning', 'IncidentStarted', { kind: 'Deployment', name: 'web' }, 'An incident started');
    recordEvent(s, 'Normal', 'Killing', { kind: 'Pod', name: 'web-1' }, 'Stopping container web', 'kubelet');
    recordNotice(s, 'alert', 'Warning', 'SLOBurnRateHigh', { kind: 'Service', name: 'web' }, 'Alert firing');
    recordNotice(s, 'alert', 'Normal', 'SLOBurnRateResolved', null, 'Alert resolved');
    recordEvent(s, 'Normal', 'Killing', { kind: 'Pod', name: 'web-2' }, 'Stopping container web', 'kubelet');
    expect(s.counters.eventSeq).toBe(base + 2);
    expect(s.events.some((e) => e.reason.startsWith('Incident') || e.reason.startsWith('SLO'))).toBe(false);
    const rows = feedRows(s).slice(-5);
    expect(rows.map((r) => [r.reason, r.name])).toEqual([
      ['IncidentStarted', 'web'],
      ['Killing', 'web-1'],
      ['SLOBurnRateHigh', 'web'],
      ['SLOBurnRateResolved', ''],
      ['Killing', 'web-2'],
    ]);
    const seqs = feedRows(s).map((r) => r.seq);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i));
    // A window of the newest 3 rows: the same rows, the same numbers.
    const tail: number[] = [];
    forEachFeedRow(s.events, s.notices, 3, (seq) => tail.push(seq));
    expect(tail).toEqual(seqs.slice(-3));
  });

  it(`keep at most ${NOTICE_LIMIT}, the newest, numbered on`, () => {
    const s = sim();
    for (let i = 0; i < NOTICE_LIMIT + 30; i++) recordNotice(s, 'alert', 'Normal', 'SLOBurnRateResolved', null, `n${i}`);
    expect(s.notices).toHaveLength(NOTICE_LIMIT);
    expect(s.notices[0]!.message).toBe('n30');
    expect(s.notices.at(-1)!.seq).toBe(NOTICE_LIMIT + 29);
    recordEvent(s, 'Normal', 'Killing', { kind: 'Pod', name: 'web-1' }, 'Stopping container web', 'kubelet');
    const last = feedRows(s).at(-1)!;
    expect([last.reason, last.seq]).toEqual(['Killing', s.events.at(-1)!.seq + NOTICE_LIMIT + 30]);
  });
});
