import { describe, expect, it } from 'vitest';
import type { AlertView, IncidentView } from '../../shared/protocol.ts';
import { PagerFeed, sortIncidents, timeToMitigate } from '../../client/src/view/feeds.ts';

const alert = (id: string, since: number, severity = 'page'): AlertView => ({ id, severity, slo: 'availability', since, summary: `${id} burning` });

describe('PagerFeed', () => {
  it('records when each alert fired and resolved, newest first', () => {
    const feed = new PagerFeed();
    expect(feed.update([alert('availability-page-fast', 100)], 100).map((e) => e.id)).toEqual(['availability-page-fast']);
    expect(feed.update([alert('availability-page-fast', 100)], 110)).toEqual([]);
    feed.update([alert('availability-page-fast', 100), alert('latency-ticket', 120, 'ticket')], 120);
    feed.update([alert('latency-ticket', 120, 'ticket')], 200);
    expect(feed.entries.map((e) => [e.id, e.firedAt, e.resolvedAt])).toEqual([
      ['latency-ticket', 120, null],
      ['availability-page-fast', 100, 200],
    ]);
    expect(feed.firing.map((e) => e.id)).toEqual(['latency-ticket']);
  });

  it('adds a new entry when an alert fires again after resolving, and keeps at most its limit', () => {
    const feed = new PagerFeed(2);
    feed.update([alert('a', 10)], 10);
    feed.update([], 20);
    feed.update([alert('a', 30)], 30);
    expect(feed.entries.map((e) => [e.firedAt, e.resolvedAt])).toEqual([
      [30, null],
      [10, 20],
    ]);
    feed.update([alert('a', 30), alert('b', 40)], 40);
    expect(feed.entries).toHaveLength(2);
    feed.clear();
    expect(feed.entries).toHaveLength(0);
  });
});

describe('incidents', () => {
  const inc = (id: string, status: string, startedAt: number, mitigatedAt: number): IncidentView => ({ id, type: 'memory-leak', title: id, status, startedAt, mitigatedAt, label: id, revealed: true, options: '', answer: '', correct: false });

  it('computes time to mitigate, null while active', () => {
    expect(timeToMitigate(inc('a', 'mitigated', 100, 340))).toBe(240);
    expect(timeToMitigate(inc('a', 'active', 100, -1))).toBeNull();
  });

  it('lists active incidents first, then the most recently mitigated', () => {
    const list = sortIncidents([inc('old-fixed', 'mitigated', 10, 50), inc('late', 'active', 300, -1), inc('new-fixed', 'mitigated', 100, 200), inc('early', 'active', 200, -1)]);
    expect(list.map((i) => i.id)).toEqual(['early', 'late', 'new-fixed', 'old-fixed']);
  });
});
