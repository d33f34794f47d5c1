import { describe, expect, it } from 'vitest';
import {
  boardApiUrl,
  boardSearch,
  describeBoard,
  emptyBoardText,
  formatChange,
  formatRating,
  meOnPage,
  pageCount,
  parseBoard,
  profileUrl,
  readBoardParams,
  sessionKey,
} from '../../client/src/view/leaderboard.ts';

const board = {
  scope: 'overall',
  period: 'week',
  from: '2026-11-30T00:00:00.000Z',
  to: '2026-12-07T00:00:00.000Z',
  page: 2,
  pageSize: 2,
  total: 5,
  entries: [
    { rank: 3, player: 'ann', kind: 'account', id: 'ann', ordinal: 4.21, mu: 29.1, sigma: 8.3, matches: 2, change: 4.21, bestScore: 910 },
    { rank: 4, player: 'Champ', kind: 'guest', id: 'guest:Champ', ordinal: -1.04, mu: 24, sigma: 8.35, matches: 1, change: -1.04, bestScore: null },
    { rank: 'x' },
  ],
  me: { rank: 5, player: 'bob', kind: 'guest', id: 'guest:bob', ordinal: -3, mu: 22, sigma: 8.3, matches: 1, change: -3, bestScore: 200 },
};

describe('the ratings leaderboard page', () => {
  it('reads its query string, with the signed-in player as the default "me"', () => {
    expect(readBoardParams('?scope=online-boutique&period=season&page=3&me=guest:Zed', 'ann')).toEqual({ scope: 'online-boutique', period: 'season', page: 3, me: 'guest:Zed' });
    expect(readBoardParams('', 'ann')).toEqual({ scope: 'overall', period: 'all', page: 1, me: 'ann' });
    expect(readBoardParams('?scope=../etc&period=month&page=-2', null)).toEqual({ scope: 'overall', period: 'all', page: 1, me: null });
    expect(sessionKey({ name: 'Champ', kind: 'guest' })).toBe('guest:Champ');
    expect(sessionKey({ name: 'champ', kind: 'account' })).toBe('champ');
    expect(sessionKey(null)).toBeNull();
  });

  it('asks the API with every parameter and keeps the page URL short', () => {
    expect(boardApiUrl({ scope: 'overall', period: 'week', page: 2, me: 'guest:bob' })).toBe('/api/leaderboard?scope=overall&period=week&page=2&pageSize=20&me=guest%3Abob');
    expect(boardApiUrl({ scope: 'guestbook', period: 'all', page: 1, me: null }, 5)).toBe('/api/leaderboard?scope=guestbook&period=all&page=1&pageSize=5');
    expect(boardSearch({ scope: 'overall', period: 'all', page: 1, me: 'ann' }, false)).toBe('');
    expect(boardSearch({ scope: 'guestbook', period: 'week', page: 2, me: 'zed' }, true)).toBe('?scope=guestbook&period=week&page=2&me=zed');
  });

  it('parses a board: rows without a rank dropped, my row kept even off the page', () => {
    const b = parseBoard(board);
    expect(b.entries.map((e) => [e.rank, e.player, e.kind, e.id])).toEqual([[3, 'ann', 'account', 'ann'], [4, 'Champ', 'guest', 'guest:Champ']]);
    expect(b.me).toMatchObject({ rank: 5, id: 'guest:bob' });
    expect(meOnPage(b)).toBe(false);
    expect(meOnPage(parseBoard({ ...board, me: board.entries[0] }))).toBe(true);
    expect(pageCount(b.total, b.pageSize)).toBe(3);
    expect(pageCount(0, 20)).toBe(1);
    expect(describeBoard(b)).toBe('Page 2 of 3 · 5 players · 2026-11-30 to 2026-12-06 (UTC)');
    expect(() => parseBoard({ error: 'invalid query: period: period must be week, season or all' })).toThrow(/period must be/);
    expect(() => parseBoard([{ rank: 1, player: 'x' }])).toThrow(/did not answer with a leaderboard/);
  });

  it('formats ratings and changes, links profiles, explains an empty board', () => {
    expect(formatRating(4.21)).toBe('4.2');
    expect(formatRating(-0.04)).toBe('0.0');
    expect(formatRating(-1.06)).toBe('-1.1');
    expect(formatChange(1.46)).toBe('+1.5');
    expect(formatChange(-0.3)).toBe('-0.3');
    expect(formatChange(0.01)).toBe('±0.0');
    expect(profileUrl('guest:Champ')).toBe('profile.html?name=guest%3AChamp');
    expect(emptyBoardText('week')).toMatch(/^No rated matches this week yet\. Rated matches are races of 2 or more teams of people/);
  });
});
