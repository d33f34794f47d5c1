/**
 * The workshop debrief (issue 10), pure: reading `GET /api/workshops/:id/debrief`, each team's
 * timeline (incidents from start to mitigation, actions as ticks) as fractions of the match length,
 * the replay link at a moment, and the export file names and URLs (CSV, JSON, Markdown).
 *
 * Times in the debrief are sim seconds since the match start.
 *
 * May import: ./format.ts, ./replay.ts.
 */
import { formatSimTime } from './format.ts';
import { replayUrl } from './replay.ts';

/** One incident of a team's match. `startedAt`/`mitigatedAt`: sim seconds (null: never / not yet). */
export interface DebriefIncident {
  id: string;
  kind: string;
  title: string;
  startedAt: number | null;
  mitigatedAt: number | null;
}

/** One action a player took: sim second, player name, the command (kubectl equivalent). */
export interface DebriefAction {
  t: number;
  player: string;
  command: string;
}

/** One team of one match. */
export interface DebriefTeam {
  team: string;
  matchId: string;
  /** Points (shared/game/score.ts). */
  score: number;
  /** Fractions (availability SLI 0..1; budget left, < 0 overspent), null when unknown. */
  availability: number | null;
  errorBudgetRemaining: number | null;
  players: string[];
  incidents: DebriefIncident[];
  actions: DebriefAction[];
  /** The team's blameless postmortem (Markdown). */
  postmortem: string;
  /** The replay page of the team's match (relative), from the server or made from `matchId`. */
  replayUrl: string;
}

/** One scenario played by every team. */
export interface DebriefMatch {
  matchGroup: string;
  scenarioId: string;
  endedAt: string;
  teams: DebriefTeam[];
}

/** The whole debrief. */
export interface Debrief {
  workshop: { id: string; code: string; title: string };
  matches: DebriefMatch[];
}

type Raw = Record<string, unknown>;
const obj = (v: unknown): Raw => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Raw) : {});
const arr = (v: unknown): Raw[] => (Array.isArray(v) ? v.filter((x): x is Raw => typeof x === 'object' && x !== null) : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** The debrief JSON -> {@link Debrief}, tolerantly (missing fields get neutral values; teams by name). */
export function parseDebrief(json: unknown): Debrief {
  const root = obj(json);
  const w = obj(root.workshop);
  return {
    workshop: { id: str(w.id), code: str(w.code), title: str(w.title) || 'Workshop' },
    matches: arr(root.matches).map((m) => ({
      matchGroup: str(m.matchGroup),
      scenarioId: str(m.scenarioId),
      endedAt: str(m.endedAt),
      teams: arr(m.teams)
        .map((t): DebriefTeam => {
          const matchId = str(t.matchId);
          return {
            team: str(t.team),
            matchId,
            score: num(t.score) ?? 0,
            availability: num(t.availability),
            errorBudgetRemaining: num(t.errorBudgetRemaining),
            players: Array.isArray(t.players) ? t.players.map((p) => (typeof p === 'string' ? p : str(obj(p).name))).filter((p) => p !== '') : [],
            incidents: arr(t.incidents).map((i) => ({ id: str(i.id), kind: str(i.kind), title: str(i.title) || str(i.kind), startedAt: num(i.startedAt), mitigatedAt: num(i.mitigatedAt) })),
            actions: arr(t.actions)
              .map((a) => ({ t: num(a.t) ?? 0, player: str(a.player), command: str(a.command) }))
              .sort((a, b) => a.t - b.t),
            postmortem: str(t.postmortem),
            replayUrl: str(t.replayUrl) || (matchId ? replayUrl(matchId) : ''),
          };
        })
        .sort((a, b) => b.score - a.score || (a.team < b.team ? -1 : a.team > b.team ? 1 : 0)),
    })),
  };
}

/** Sim seconds the match group's timelines span: the last incident or action (at least 60 s). */
export function timelineSpan(match: DebriefMatch, durationSeconds = 0): number {
  let end = durationSeconds;
  for (const t of match.teams) {
    for (const i of t.incidents) end = Math.max(end, i.startedAt ?? 0, i.mitigatedAt ?? 0);
    for (const a of t.actions) end = Math.max(end, a.t);
  }
  return Math.max(60, Math.ceil(end));
}

/** One drawn mark: `from`/`to` fractions of the span (0..1), the sim second it jumps to, its label. */
export interface TimelineMark {
  kind: 'incident' | 'action';
  from: number;
  to: number;
  t: number;
  label: string;
  /** Incident still open at the end. */
  open?: boolean;
  /** Incident bars: the row (0 = top) so overlapping incidents stack instead of hiding each other. */
  lane?: number;
}

/** A team's timeline marks over `span` sim seconds: incident bars (start -> mitigation), action ticks. */
export function timelineMarks(team: DebriefTeam, span: number): TimelineMark[] {
  const frac = (s: number): number => Math.min(1, Math.max(0, s / span));
  const marks: TimelineMark[] = [];
  // Greedy lanes by start time: a bar goes on the first row whose last bar ended before it starts.
  const laneEnds: number[] = [];
  const started = team.incidents.filter((i) => i.startedAt !== null).sort((a, b) => (a.startedAt ?? 0) - (b.startedAt ?? 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const i of started) {
    if (i.startedAt === null) continue;
    let lane = laneEnds.findIndex((end) => end <= i.startedAt!);
    if (lane < 0) lane = laneEnds.length;
    laneEnds[lane] = i.mitigatedAt ?? Number.POSITIVE_INFINITY;
    const end = i.mitigatedAt ?? span;
    const how = i.mitigatedAt === null ? 'never mitigated' : `mitigated at ${formatSimTime(i.mitigatedAt)} (${formatSimTime(i.mitigatedAt - i.startedAt)} later)`;
    marks.push({ kind: 'incident', from: frac(i.startedAt), to: frac(end), t: i.startedAt, label: `${i.title}: started at ${formatSimTime(i.startedAt)}, ${how}`, lane, ...(i.mitigatedAt === null ? { open: true } : {}) });
  }
  for (const a of team.actions) marks.push({ kind: 'action', from: frac(a.t), to: frac(a.t), t: a.t, label: `${formatSimTime(a.t)} ${a.player}: ${a.command}` });
  return marks;
}

/** The sim second at a click `fraction` (0..1) across a timeline of `span` sim seconds (whole seconds). */
export function secondAt(fraction: number, span: number): number {
  return Math.round(Math.min(1, Math.max(0, fraction)) * span);
}

/** The replay page of a team at sim second `t`: `replay.html?match=ID&t=SECONDS`. */
export function replayAt(team: Pick<DebriefTeam, 'replayUrl' | 'matchId'>, t: number): string {
  const base = team.replayUrl || replayUrl(team.matchId);
  const url = base.replace(/([?&])t=\d+(&|$)/, '$1').replace(/[?&]$/, '');
  return `${url}${url.includes('?') ? '&' : '?'}t=${Math.max(0, Math.floor(t))}`;
}

/** `&t=SECONDS` of a replay page's URL (whole sim seconds, 0..1e6), or null when absent or malformed. */
export function momentFromLocation(search: string): number | null {
  const raw = new URLSearchParams(search).get('t');
  return raw !== null && /^\d{1,7}$/.test(raw) && Number(raw) <= 1_000_000 ? Number(raw) : null;
}

/** The export formats: the route under `/api/workshops/:id/` and the file saved. */
export type ExportFormat = 'csv' | 'json' | 'markdown';

/** The route and the file name of an export. */
export function exportTarget(workshopId: string, code: string, format: ExportFormat): { path: string; filename: string; type: string } {
  const id = encodeURIComponent(workshopId);
  const stem = `workshop-${(code || workshopId).replace(/[^A-Za-z0-9_-]/g, '')}`;
  switch (format) {
    case 'csv':
      return { path: `/api/workshops/${id}/debrief?format=csv`, filename: `${stem}-debrief.csv`, type: 'text/csv' };
    case 'json':
      return { path: `/api/workshops/${id}/debrief`, filename: `${stem}-debrief.json`, type: 'application/json' };
    case 'markdown':
      return { path: `/api/workshops/${id}/postmortems.md`, filename: `${stem}-postmortems.md`, type: 'text/markdown' };
  }
}
