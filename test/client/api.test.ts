import { describe, expect, it } from 'vitest';
import { formatWhen, listFrom, parseLeaderboard, parseMatches, parseScenarios } from '../../client/src/view/api.ts';

describe('API responses for the join form and the leaderboard page', () => {
  it('reads lists bare or wrapped, dropping non-objects', () => {
    expect(listFrom([{ a: 1 }, 2, null])).toEqual([{ a: 1 }]);
    expect(listFrom({ total: 1, items: [{ a: 1 }] })).toEqual([{ a: 1 }]);
    expect(listFrom('nope')).toEqual([]);
    expect(listFrom({ x: 1 })).toEqual([]);
  });

  it('parses scenarios, keeping server order and marking the default', () => {
    const list = parseScenarios({
      scenarios: [
        { id: 'online-boutique', title: 'Online Boutique', description: '11 microservices', durationSeconds: 3600, default: true },
        { id: 'guestbook' },
        { title: 'no id' },
      ],
    });
    expect(list).toEqual([
      { id: 'online-boutique', title: 'Online Boutique', description: '11 microservices', durationSeconds: 3600, isDefault: true },
      { id: 'guestbook', title: 'guestbook', description: '', durationSeconds: null, isDefault: false },
    ]);
  });

  it('parses leaderboard rows (server/db/records.ts LeaderboardEntry) sorted by rank', () => {
    const rows = parseLeaderboard([
      { rank: 2, player: 'bob', bestScore: 700, matches: 3, lastPlayedAt: '2026-11-21T18:00:00.000Z' },
      { rank: 1, player: 'ada', bestScore: 912, matches: 1, lastPlayedAt: '2026-11-21T19:00:00.000Z' },
    ]);
    expect(rows.map((r) => [r.rank, r.player, r.bestScore])).toEqual([
      [1, 'ada', 912],
      [2, 'bob', 700],
    ]);
  });

  it('parses match rows (server/db/records.ts MatchListItem) with missing figures as null', () => {
    const [m] = parseMatches({ matches: [{ id: 'm1', scenarioId: 'online-boutique', score: 640, availability: 0.997, endedAt: '2026-11-21T19:00:00.000Z', players: ['ada', 'bob'] }] });
    expect(m).toEqual({ id: 'm1', scenarioId: 'online-boutique', score: 640, availability: 0.997, errorBudgetRemaining: null, endedAt: '2026-11-21T19:00:00.000Z', players: ['ada', 'bob'] });
  });

  it('formats timestamps as local date and time, passing through garbage', () => {
    expect(formatWhen('2026-11-21T19:05:00')).toBe('2026-11-21 19:05');
    expect(formatWhen('yesterday')).toBe('yesterday');
  });
});
