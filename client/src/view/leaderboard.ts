/**
 * The ratings leaderboard page's decisions (issue 10), pure: reading the page's own query string
 * (`?scope=&period=&page=&me=`), the API URL it asks (`GET /api/leaderboard?scope=&period=&page=&pageSize=&me=`),
 * the board's JSON (server/db/ratings.ts `RatingBoard`), pagination, and profile links. Ratings are
 * openskill points: `ordinal` = mu - 3 sigma (0 for a new player), see docs/ratings.md.
 */

type Raw = Record<string, unknown>;
const obj = (v: unknown): Raw => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Raw) : {});
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** Leaderboard periods (server: ISO week UTC, calendar quarter UTC, all time). */
export type Period = 'week' | 'season' | 'all';
export const PERIODS: readonly { id: Period; label: string }[] = [
  { id: 'week', label: 'This week' },
  { id: 'season', label: 'This season (quarter)' },
  { id: 'all', label: 'All time' },
];

/** Rows per page the page asks for. */
export const PAGE_SIZE = 20;

/** What the page shows: scope (`overall` or a scenario id), period, 1-based page, and whose position to find. */
export interface BoardParams {
  scope: string;
  period: Period;
  page: number;
  /** A name, `guest:NAME`, or null. */
  me: string | null;
}

/**
 * The page's parameters from its query string (`location.search`); `fallbackMe` (the signed-in
 * player's rating key, see {@link sessionKey}) is used when `?me=` is absent. Bad values fall back
 * to the defaults (overall, all time, page 1).
 */
export function readBoardParams(search: string, fallbackMe: string | null): BoardParams {
  const q = new URLSearchParams(search);
  const scope = q.get('scope') ?? '';
  const period = q.get('period');
  const page = Number(q.get('page'));
  const me = (q.get('me') ?? '').trim();
  return {
    scope: /^[a-zA-Z0-9._-]{1,64}$/.test(scope) ? scope : 'overall',
    period: period === 'week' || period === 'season' || period === 'all' ? period : 'all',
    page: Number.isInteger(page) && page >= 1 ? page : 1,
    me: me !== '' ? me.slice(0, 38) : fallbackMe,
  };
}

/** The page's own query string for `params` (for history.replaceState and links); defaults left out. */
export function boardSearch(params: BoardParams, explicitMe: boolean): string {
  const q = new URLSearchParams();
  if (params.scope !== 'overall') q.set('scope', params.scope);
  if (params.period !== 'all') q.set('period', params.period);
  if (params.page > 1) q.set('page', String(params.page));
  if (explicitMe && params.me) q.set('me', params.me);
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** The API request for `params`. */
export function boardApiUrl(params: BoardParams, pageSize = PAGE_SIZE): string {
  const q = new URLSearchParams({ scope: params.scope, period: params.period, page: String(params.page), pageSize: String(pageSize) });
  if (params.me) q.set('me', params.me);
  return `/api/leaderboard?${q.toString()}`;
}

/** The rating key of a signed-in session: an account's name, or `guest:NAME` for a guest; null when signed out. */
export function sessionKey(session: { name: string; kind: 'account' | 'guest' } | null): string | null {
  if (!session) return null;
  return session.kind === 'guest' ? `guest:${session.name}` : session.name;
}

/** One row of the board (server/db/ratings.ts `RatingEntry`). */
export interface BoardRow {
  rank: number;
  player: string;
  kind: 'account' | 'guest';
  /** Rating key: `alice` or `guest:Alice` (profile links). */
  id: string;
  ordinal: number;
  mu: number;
  sigma: number;
  matches: number;
  /** Ordinal gained in the period. */
  change: number;
  bestScore: number | null;
}

/** A page of the board. */
export interface Board {
  scope: string;
  period: Period;
  page: number;
  pageSize: number;
  total: number;
  entries: BoardRow[];
  me: BoardRow | null;
  /** ISO span of the period (null for all time). */
  from: string | null;
  to: string | null;
}

function row(raw: unknown): BoardRow | null {
  const r = obj(raw);
  const player = str(r.player);
  const rank = num(r.rank);
  if (!player || rank === null) return null;
  const kind = r.kind === 'guest' ? 'guest' : 'account';
  return {
    rank,
    player,
    kind,
    id: str(r.id) || (kind === 'guest' ? `guest:${player}` : player),
    ordinal: num(r.ordinal) ?? 0,
    mu: num(r.mu) ?? 0,
    sigma: num(r.sigma) ?? 0,
    matches: num(r.matches) ?? 0,
    change: num(r.change) ?? 0,
    bestScore: num(r.bestScore),
  };
}

/**
 * `GET /api/leaderboard?scope=...` -> the board; rows without a player or rank are dropped.
 * @throws Error when the answer is not a board (an error body, a list).
 */
export function parseBoard(json: unknown): Board {
  const b = obj(json);
  if (!Array.isArray(b.entries)) throw new Error(typeof b.error === 'string' ? b.error : 'the server did not answer with a leaderboard');
  const period = b.period === 'week' || b.period === 'season' ? b.period : 'all';
  return {
    scope: str(b.scope) || 'overall',
    period,
    page: num(b.page) ?? 1,
    pageSize: num(b.pageSize) ?? PAGE_SIZE,
    total: num(b.total) ?? 0,
    entries: b.entries.map(row).filter((r): r is BoardRow => r !== null),
    me: row(b.me),
    from: str(b.from) || null,
    to: str(b.to) || null,
  };
}

/** Number of pages (at least 1). */
export function pageCount(total: number, pageSize: number): number {
  return Math.max(1, Math.ceil(total / Math.max(1, pageSize)));
}

/** Is the `me` row already on this page (then it is highlighted there, not repeated below)? */
export function meOnPage(board: Board): boolean {
  return board.me !== null && board.entries.some((e) => e.id === board.me!.id);
}

/** The profile page of a rating key (`profile.html?name=alice`, `?name=guest%3AAlice`). */
export function profileUrl(id: string): string {
  return `profile.html?name=${encodeURIComponent(id)}`;
}

/** A rating figure with one decimal (`12.3`, `-4.0`). */
export function formatRating(n: number): string {
  return (Math.round(n * 10) / 10).toFixed(1);
}

/** A signed change: `+1.5`, `-0.3`, `±0.0`. */
export function formatChange(n: number): string {
  const r = Math.round(n * 10) / 10;
  return r > 0 ? `+${r.toFixed(1)}` : r < 0 ? r.toFixed(1) : '±0.0';
}

/** The heading line under the selectors: `Page 2 of 5 · 93 players · 2026-11-30 to 2026-12-06 (UTC)`. */
export function describeBoard(board: Board): string {
  const pages = pageCount(board.total, board.pageSize);
  const span = board.from && board.to ? ` · ${board.from.slice(0, 10)} to ${new Date(Date.parse(board.to) - 1).toISOString().slice(0, 10)} (UTC)` : '';
  return `Page ${board.page} of ${pages} · ${board.total} player${board.total === 1 ? '' : 's'}${span}`;
}

/** What the empty board says, per period. */
export function emptyBoardText(period: Period): string {
  const when = period === 'week' ? ' this week' : period === 'season' ? ' this season' : '';
  return `No rated matches${when} yet. Rated matches are races of 2 or more teams of people (not workshops, not red vs blue, no injected incidents).`;
}
