/**
 * Reading the HTTP API's JSON for the join form and the leaderboard page, tolerantly: a list may come
 * bare (`[...]`) or wrapped (`{ scenarios: [...] }`, `{ items: [...] }`...), and rows missing a field
 * get a neutral value instead of breaking the page. Pure.
 *
 * Shapes follow server/db/records.ts (`LeaderboardEntry`, `MatchListItem`) and the scenario list of
 * `GET /api/scenarios`.
 */

type Raw = Record<string, unknown>;

/** The first array found: the value itself, or the first array-valued property of an object. */
export function listFrom(json: unknown): Raw[] {
  const arr = Array.isArray(json)
    ? json
    : json !== null && typeof json === 'object'
      ? (Object.values(json).find((v) => Array.isArray(v)) as unknown[] | undefined) ?? []
      : [];
  return arr.filter((v): v is Raw => v !== null && typeof v === 'object');
}

const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** One entry of the join form's scenario select (from `GET /api/scenarios`). */
export interface ScenarioOption {
  id: string;
  title: string;
  description: string;
  /** Match length, sim seconds, when the server says. */
  durationSeconds: number | null;
  /** Marked as the default scenario by the server. */
  isDefault: boolean;
}

/** `GET /api/scenarios` -> options for the scenario select, in server order, rows without an id dropped. */
export function parseScenarios(json: unknown): ScenarioOption[] {
  return listFrom(json)
    .map((r) => ({
      id: str(r.id),
      title: str(r.title) || str(r.name) || str(r.id),
      description: str(r.description) || str(r.summary),
      durationSeconds: num(r.durationSeconds),
      isDefault: r.default === true || r.isDefault === true,
    }))
    .filter((s) => s.id !== '');
}

/** One leaderboard line (server/db/records.ts `LeaderboardEntry`). */
export interface LeaderboardRow {
  /** 1 = best. */
  rank: number;
  player: string;
  /** Best match score (points, shared/game/score.ts). */
  bestScore: number;
  /** Matches played. */
  matches: number;
  /** ISO 8601 wall-clock time of the last match ('' when unknown). */
  lastPlayedAt: string;
}

/** `GET /api/leaderboard` -> rows sorted by rank (rank = position when missing). */
export function parseLeaderboard(json: unknown): LeaderboardRow[] {
  return listFrom(json)
    .map((r, i) => ({
      rank: num(r.rank) ?? i + 1,
      player: str(r.player) || str(r.name),
      bestScore: num(r.bestScore) ?? num(r.score) ?? 0,
      matches: num(r.matches) ?? 1,
      lastPlayedAt: str(r.lastPlayedAt) || str(r.endedAt),
    }))
    .sort((a, b) => a.rank - b.rank);
}

/** One finished match (server/db/records.ts `MatchListItem`). */
export interface MatchRow {
  id: string;
  scenarioId: string;
  /** Team score, points. */
  score: number;
  /** Fractions, or null when absent. */
  availability: number | null;
  errorBudgetRemaining: number | null;
  /** ISO 8601 wall-clock time ('' when unknown). */
  endedAt: string;
  /** Player names. */
  players: string[];
}

/** `GET /api/matches` -> rows in server order (the server lists the most recent first). */
export function parseMatches(json: unknown): MatchRow[] {
  return listFrom(json).map((r) => ({
    id: str(r.id) || str(r.matchId),
    scenarioId: str(r.scenarioId),
    score: num(r.score) ?? 0,
    availability: num(r.availability),
    errorBudgetRemaining: num(r.errorBudgetRemaining),
    endedAt: str(r.endedAt),
    players: Array.isArray(r.players) ? r.players.map((p) => (typeof p === 'string' ? p : str((p as Raw | null)?.name))) : [],
  }));
}

/**
 * An ISO 8601 timestamp as a short local date-time (`2026-11-21 19:40`), or the input when unparsable.
 * Uses the viewer's time zone (this is wall-clock time, not sim time).
 */
export function formatWhen(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}
