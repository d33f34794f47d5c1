import { describe, expect, it } from 'vitest';
import { activeIncidents, curvePath, frameTime, matchIdFromLocation, parseTimeline, playStep, replayUrl, sampleAt, scrubKey, timelineMarks } from '../../client/src/view/replay.ts';

const timeline = parseTimeline({
  matchId: 'm-1',
  scenarioId: 'first-oom',
  scenarioTitle: 'First OOM kill',
  team: 'blue',
  tickSeconds: 1,
  endT: 600,
  samples: [
    { t: 20, availability: 0.5, latency: 0.9, budget: 0.4, latencyBudget: 0.8, burnRate: 12 },
    { t: 10, availability: 1, latency: 1, budget: 1, latencyBudget: 1, burnRate: 0 },
  ],
  incidents: [{ id: 'leak', type: 'memory-leak', title: 'podinfo leaks memory', startedAt: 120, mitigatedAt: 400 }],
  actions: [{ t: 380, kind: 'action', player: 'rita', text: 'rita: kubectl set resources deployment/podinfo --limits=memory=1Gi' }],
  stateHash: 'abc',
  storedStateHash: 'abc',
  matches: true,
});

describe('replay viewer logic', () => {
  it('reads the timeline, sorting samples by time', () => {
    expect(timeline.samples.map((s) => s.t)).toEqual([10, 20]);
    expect(timeline.matches).toBe(true);
    expect(() => parseTimeline({ error: 'match x not found' })).toThrow(/not a replay timeline/);
  });

  it('scrubs with the keyboard: 10 s steps, 60 s with Shift, Home/End, Space toggles, clamped', () => {
    expect(scrubKey('ArrowRight', false, 100, 600)).toEqual({ kind: 'seek', t: 110 });
    expect(scrubKey('ArrowLeft', true, 100, 600)).toEqual({ kind: 'seek', t: 40 });
    expect(scrubKey('ArrowLeft', false, 5, 600)).toEqual({ kind: 'seek', t: 0 });
    expect(scrubKey('ArrowRight', true, 580, 600)).toEqual({ kind: 'seek', t: 600 });
    expect(scrubKey('Home', false, 300, 600)).toEqual({ kind: 'seek', t: 0 });
    expect(scrubKey('End', false, 300, 600)).toEqual({ kind: 'seek', t: 600 });
    expect(scrubKey(' ', false, 300, 600)).toEqual({ kind: 'toggle' });
    expect(scrubKey('a', false, 300, 600)).toBeNull();
  });

  it('plays at a speed and stops at the end; frames are per tick', () => {
    expect(playStep(100, 60, 500, 600)).toEqual({ t: 130, ended: false });
    expect(playStep(590, 60, 500, 600)).toEqual({ t: 600, ended: true });
    expect(frameTime(12.7, 5)).toBe(10);
    expect(frameTime(15, 5)).toBe(15);
  });

  it('marks incidents and actions on the timeline with readable labels, in time order', () => {
    const marks = timelineMarks(timeline);
    expect(marks.map((m) => [m.kind, m.at])).toEqual([
      ['incident-start', 0.2],
      ['action', 380 / 600],
      ['incident-mitigated', 400 / 600],
    ]);
    expect(marks[0]!.label).toBe('2:00 Incident started: podinfo leaks memory');
    expect(marks[1]!.label).toBe('6:20 Action: rita: kubectl set resources deployment/podinfo --limits=memory=1Gi');
  });

  it('draws curves as SVG paths and finds the sample and incidents at a moment', () => {
    expect(curvePath(timeline.samples, 'budget', 600, 600, 100)).toBe('M10 0 L20 60');
    expect(curvePath(timeline.samples, 'burnRate', 600, 600, 100, 0, 10)).toBe('M10 100 L20 0'); // clamped to max
    expect(curvePath([], 'budget', 600, 600, 100)).toBe('');
    expect(sampleAt(timeline.samples, 15)?.t).toBe(10);
    expect(sampleAt(timeline.samples, 5)?.t).toBe(10);
    expect(activeIncidents(timeline, 200).map((i) => i.id)).toEqual(['leak']);
    expect(activeIncidents(timeline, 400)).toEqual([]);
  });

  it('reads the match id from the URL and builds it', () => {
    expect(matchIdFromLocation('?match=abc-1')).toBe('abc-1');
    expect(matchIdFromLocation('', '#replay/abc-2')).toBe('abc-2');
    expect(matchIdFromLocation('?match=<script>')).toBeNull();
    expect(matchIdFromLocation('')).toBeNull();
    expect(replayUrl('abc-1')).toBe('replay.html?match=abc-1');
  });
});
