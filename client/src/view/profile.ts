/**
 * The profile page's decisions (issue 10), pure: which player the page shows (`?name=`), the
 * `GET /api/players/:name` answer (match history, best scores per scenario, ratings per scope and
 * rating over time), and the rating-over-time chart as SVG geometry (no chart library): one point per
 * rated match of a scope, x = match number, y = ordinal (mu - 3 sigma, openskill points).
 */

type Raw = Record<string, unknown>;
const obj = (v: unknown): Raw => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Raw) : {});
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const list = (v: unknown): Raw[] => (Array.isArray(v) ? v.map(obj) : []);

/** The player named by the page's query string (`?name=alice`, `?name=guest:Alice`), or null. */
export function profileName(search: string): string | null {
  const name = (new URLSearchParams(search).get('name') ?? '').trim();
  return name === '' ? null : name.slice(0, 38);
}

/** The API URL of a profile. */
export function profileApiUrl(name: string): string {
  return `/api/players/${encodeURIComponent(name)}`;
}

export interface ProfileMatchRow {
  matchId: string;
  scenarioId: string;
  team: string;
  score: number;
  actions: number;
  endedAt: string;
}

export interface ProfileRating {
  scope: string;
  mu: number;
  sigma: number;
  ordinal: number;
  matches: number;
  rank: number;
}

export interface ProfilePoint {
  matchGroup: string;
  scope: string;
  at: string;
  ordinal: number;
  ordinalBefore: number;
  mu: number;
  sigma: number;
  place: number;
}

/** A profile as the page shows it. */
export interface Profile {
  name: string;
  registered: boolean;
  trainer: boolean;
  kind: 'account' | 'guest';
  matches: ProfileMatchRow[];
  best: { scenarioId: string; bestScore: number; matches: number }[];
  ratings: ProfileRating[];
  history: ProfilePoint[];
}

/**
 * `GET /api/players/:name` -> the profile (missing lists read as empty).
 * @throws Error with the server's `error` when the answer is not a profile.
 */
export function parseProfile(json: unknown): Profile {
  const p = obj(json);
  if (!str(p.name)) throw new Error(typeof p.error === 'string' ? p.error : 'the server did not answer with a profile');
  return {
    name: str(p.name),
    registered: p.registered === true,
    trainer: p.trainer === true,
    kind: p.kind === 'guest' ? 'guest' : p.kind === 'account' ? 'account' : p.registered === true ? 'account' : 'guest',
    matches: list(p.matches).map((m) => ({ matchId: str(m.matchId), scenarioId: str(m.scenarioId), team: str(m.team), score: num(m.score) ?? 0, actions: num(m.actions) ?? 0, endedAt: str(m.endedAt) })),
    best: list(p.best).map((b) => ({ scenarioId: str(b.scenarioId), bestScore: num(b.bestScore) ?? 0, matches: num(b.matches) ?? 0 })),
    ratings: list(p.ratings).map((r) => ({ scope: str(r.scope), mu: num(r.mu) ?? 0, sigma: num(r.sigma) ?? 0, ordinal: num(r.ordinal) ?? 0, matches: num(r.matches) ?? 0, rank: num(r.rank) ?? 0 })),
    history: list(p.history)
      .map((h) => ({ matchGroup: str(h.matchGroup), scope: str(h.scope), at: str(h.at), ordinal: num(h.ordinal) ?? 0, ordinalBefore: num(h.ordinalBefore) ?? 0, mu: num(h.mu) ?? 0, sigma: num(h.sigma) ?? 0, place: num(h.place) ?? 0 }))
      .filter((h) => h.scope !== ''),
  };
}

/** One plotted point: SVG coordinates and what its tooltip says. */
export interface ChartPoint {
  x: number;
  y: number;
  label: string;
}

/** The chart's geometry in a `width` x `height` box. */
export interface RatingChart {
  /** `M x y L x y ...` through the points ('' when there are none). */
  path: string;
  points: ChartPoint[];
  /** Horizontal grid lines: y and the ordinal they mark. */
  ticks: { y: number; value: number }[];
  /** y of ordinal 0 (a new player's), or null when outside the range. */
  zeroY: number | null;
}

/** Inner padding of the chart box, px: left (tick labels), right, top, bottom. */
export const CHART_PAD = { left: 36, right: 8, top: 8, bottom: 8 } as const;

/**
 * The rating-over-time chart of `scope`: the first point is the rating before the first rated match,
 * then one per match (ordinal after it). y spans the values (and 0) with a little headroom; 3-5 ticks
 * at round steps.
 */
export function ratingChart(history: readonly ProfilePoint[], scope: string, width: number, height: number): RatingChart {
  const pts = history.filter((h) => h.scope === scope);
  if (pts.length === 0) return { path: '', points: [], ticks: [], zeroY: null };
  const values = [pts[0]!.ordinalBefore, ...pts.map((p) => p.ordinal)];
  let lo = Math.min(0, ...values);
  let hi = Math.max(0, ...values);
  if (hi - lo < 1) hi = lo + 1;
  const step = niceStep((hi - lo) / 4);
  lo = Math.floor(lo / step) * step;
  hi = Math.ceil(hi / step) * step;
  const innerW = width - CHART_PAD.left - CHART_PAD.right;
  const innerH = height - CHART_PAD.top - CHART_PAD.bottom;
  const xOf = (i: number) => CHART_PAD.left + (values.length === 1 ? innerW / 2 : (i / (values.length - 1)) * innerW);
  const yOf = (v: number) => CHART_PAD.top + (1 - (v - lo) / (hi - lo)) * innerH;
  const round = (n: number) => Math.round(n * 10) / 10;
  const points: ChartPoint[] = values.map((v, i) => ({
    x: round(xOf(i)),
    y: round(yOf(v)),
    label: i === 0 ? `before the first rated match: ${v.toFixed(1)}` : `${pts[i - 1]!.at.slice(0, 10)} · place ${pts[i - 1]!.place} · ${v.toFixed(1)}`,
  }));
  const ticks: { y: number; value: number }[] = [];
  for (let v = lo; v <= hi + step / 2; v += step) ticks.push({ y: round(yOf(v)), value: round(v) });
  return {
    path: points.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x} ${p.y}`).join(' '),
    points,
    ticks,
    zeroY: round(yOf(0)),
  };
}

/** 1, 2 or 5 times a power of ten, at least `raw`. */
function niceStep(raw: number): number {
  const p = 10 ** Math.floor(Math.log10(Math.max(raw, 1e-9)));
  for (const m of [1, 2, 5, 10]) if (m * p >= raw) return m * p;
  return 10 * p;
}
