import { describe, expect, it } from 'vitest';
import { CHART_PAD, parseProfile, profileApiUrl, profileName, ratingChart } from '../../client/src/view/profile.ts';

const answer = {
  name: 'ann',
  registered: true,
  trainer: false,
  player: 'ann',
  kind: 'account',
  matches: [{ matchId: 'm2-blue', scenarioId: 'online-boutique', team: 'blue', score: 610, actions: 3, endedAt: '2026-12-01T10:00:00.000Z' }],
  best: [{ scenarioId: 'online-boutique', bestScore: 910, matches: 2 }],
  ratings: [
    { scope: 'overall', mu: 27, sigma: 7.5, ordinal: 4.5, matches: 2, rank: 1 },
    { scope: 'online-boutique', mu: 27, sigma: 7.5, ordinal: 4.5, matches: 2, rank: 1 },
  ],
  history: [
    { matchGroup: 'm1', scope: 'overall', at: '2026-11-24T10:00:00.000Z', mu: 28, sigma: 7.9, ordinal: 4.3, ordinalBefore: 0, place: 1 },
    { matchGroup: 'm1', scope: 'online-boutique', at: '2026-11-24T10:00:00.000Z', mu: 28, sigma: 7.9, ordinal: 4.3, ordinalBefore: 0, place: 1 },
    { matchGroup: 'm2', scope: 'overall', at: '2026-12-01T10:00:00.000Z', mu: 26, sigma: 7.6, ordinal: 3.2, ordinalBefore: 4.3, place: 2 },
  ],
};

describe('the profile page', () => {
  it('reads the player from ?name= and asks the API for it', () => {
    expect(profileName('?name=guest:Champ')).toBe('guest:Champ');
    expect(profileName('?name=')).toBeNull();
    expect(profileName('')).toBeNull();
    expect(profileApiUrl('guest:Champ')).toBe('/api/players/guest%3AChamp');
  });

  it('parses a profile (GET /api/players/:name) and refuses an error body', () => {
    const p = parseProfile(answer);
    expect(p).toMatchObject({ name: 'ann', kind: 'account', registered: true });
    expect(p.ratings.map((r) => r.scope)).toEqual(['overall', 'online-boutique']);
    expect(p.history).toHaveLength(3);
    expect(p.best).toEqual([{ scenarioId: 'online-boutique', bestScore: 910, matches: 2 }]);
    expect(parseProfile({ name: 'x' })).toMatchObject({ matches: [], ratings: [], history: [], kind: 'guest' });
    expect(() => parseProfile({ error: 'invalid player name: name: Too big' })).toThrow(/invalid player name/);
  });

  it('draws rating over time: a start point, then one per rated match of the scope, higher ordinal = higher on screen', () => {
    const chart = ratingChart(parseProfile(answer).history, 'overall', 720, 220);
    expect(chart.points).toHaveLength(3);
    const [start, first, second] = chart.points;
    expect(start!.x).toBe(CHART_PAD.left);
    expect(second!.x).toBe(720 - CHART_PAD.right);
    expect(first!.y).toBeLessThan(start!.y); // went up after a win
    expect(second!.y).toBeGreaterThan(first!.y); // down after second place
    expect(chart.path).toMatch(/^M36 [\d.]+ L[\d.]+ [\d.]+ L712 [\d.]+$/);
    expect(first!.label).toBe('2026-11-24 · place 1 · 4.3');
    expect(chart.zeroY).toBe(start!.y);
    expect(chart.ticks.length).toBeGreaterThanOrEqual(3);
    expect(chart.ticks.every((t) => t.y >= CHART_PAD.top - 0.1 && t.y <= 220 - CHART_PAD.bottom + 0.1)).toBe(true);
    expect(ratingChart(parseProfile(answer).history, 'guestbook', 720, 220)).toEqual({ path: '', points: [], ticks: [], zeroY: null });
  });
});
