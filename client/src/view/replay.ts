/**
 * The replay viewer's pure logic (client/replay.html, ../ui/replay.ts): reading
 * `GET /api/matches/:id/replay` (the timeline, tolerantly), the scrubber's keys and playback clock,
 * the marks of incidents and actions on the timeline, and the SLI / error-budget curves as SVG paths.
 * All times are sim seconds since match start; fractions are 0..1. Pure: runs in Node (test/client).
 *
 * Shapes follow server/scenarios/replay.ts (`ReplayTimeline`, `ReplaySample`, ...).
 */
import { formatSimTime } from './format.ts';

type Raw = Record<string, unknown>;
const obj = (v: unknown): Raw => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Raw) : {});
const arr = (v: unknown): Raw[] => (Array.isArray(v) ? v.filter((x): x is Raw => x !== null && typeof x === 'object') : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown, fallback = 0): number => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);
const numOrNull = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** One point of the curves (after the tick ending at `t`). */
export interface ReplaySampleView {
  t: number;
  availability: number;
  latency: number;
  budget: number;
  latencyBudget: number;
  burnRate: number;
}

/** An incident of the replayed match (revealed). `null`: never started / never mitigated. */
export interface ReplayIncidentView {
  id: string;
  type: string;
  title: string;
  startedAt: number | null;
  mitigatedAt: number | null;
}

/** An action or injection of the log. */
export interface ReplayActionView {
  t: number;
  kind: 'action' | 'injection';
  player: string;
  text: string;
}

/** The timeline as the page uses it. */
export interface ReplayTimelineView {
  matchId: string;
  scenarioId: string;
  scenarioTitle: string;
  team: string;
  tickSeconds: number;
  /** Last moment that can be shown (sim seconds). */
  endT: number;
  samples: ReplaySampleView[];
  incidents: ReplayIncidentView[];
  actions: ReplayActionView[];
  stateHash: string;
  storedStateHash: string;
  matches: boolean;
}

/**
 * `GET /api/matches/:id/replay` -> the timeline; missing fields get neutral values, samples are sorted by `t`.
 * @throws Error when the body is not a timeline at all (no match id).
 */
export function parseTimeline(json: unknown): ReplayTimelineView {
  const r = obj(json);
  const matchId = str(r.matchId);
  if (matchId === '') throw new Error('not a replay timeline');
  return {
    matchId,
    scenarioId: str(r.scenarioId),
    scenarioTitle: str(r.scenarioTitle) || str(r.scenarioId),
    team: str(r.team),
    tickSeconds: num(r.tickSeconds, 1) || 1,
    endT: Math.max(0, num(r.endT)),
    samples: arr(r.samples)
      .map((s) => ({ t: num(s.t), availability: num(s.availability, 1), latency: num(s.latency, 1), budget: num(s.budget, 1), latencyBudget: num(s.latencyBudget, 1), burnRate: num(s.burnRate) }))
      .sort((a, b) => a.t - b.t),
    incidents: arr(r.incidents).map((i) => ({ id: str(i.id), type: str(i.type), title: str(i.title) || str(i.id), startedAt: numOrNull(i.startedAt), mitigatedAt: numOrNull(i.mitigatedAt) })),
    actions: arr(r.actions).map((a) => ({ t: num(a.t), kind: a.kind === 'injection' ? 'injection' : 'action', player: str(a.player), text: str(a.text) })),
    stateHash: str(r.stateHash),
    storedStateHash: str(r.storedStateHash),
    matches: r.matches === true,
  };
}

/** Seconds one arrow press moves the scrubber; with Shift, {@link BIG_STEP_SECONDS}. */
export const STEP_SECONDS = 10;
export const BIG_STEP_SECONDS = 60;

/** What a key does to the scrubber: a new moment, play/pause, or nothing. */
export type ScrubKey = { kind: 'seek'; t: number } | { kind: 'toggle' } | null;

/**
 * The scrubber's keyboard: ←/→ step {@link STEP_SECONDS} (Shift: {@link BIG_STEP_SECONDS}), Home / End
 * jump to 0 / `endT`, Space plays or pauses. Seeks are clamped to `0..endT`.
 * @param key `KeyboardEvent.key`.
 */
export function scrubKey(key: string, shift: boolean, t: number, endT: number): ScrubKey {
  const clamp = (x: number): number => Math.max(0, Math.min(endT, x));
  const step = shift ? BIG_STEP_SECONDS : STEP_SECONDS;
  switch (key) {
    case 'ArrowLeft':
      return { kind: 'seek', t: clamp(t - step) };
    case 'ArrowRight':
      return { kind: 'seek', t: clamp(t + step) };
    case 'Home':
      return { kind: 'seek', t: 0 };
    case 'End':
      return { kind: 'seek', t: endT };
    case ' ':
    case 'Spacebar':
      return { kind: 'toggle' };
    default:
      return null;
  }
}

/** Playback speeds offered (sim seconds per real second). */
export const PLAY_SPEEDS = [10, 30, 60, 120] as const;

/**
 * Where playback is after `realMs` real milliseconds at `speed` sim s per real s, and whether it
 * reached the end (then it stops there).
 */
export function playStep(t: number, speed: number, realMs: number, endT: number): { t: number; ended: boolean } {
  const next = t + (speed * Math.max(0, realMs)) / 1000;
  return next >= endT ? { t: endT, ended: true } : { t: next, ended: false };
}

/** The moment a frame is requested for: `t` floored to a tick (frames are per tick). */
export function frameTime(t: number, tickSeconds: number): number {
  return Math.floor(t / tickSeconds + 1e-9) * tickSeconds;
}

/** A mark on the timeline: where (fraction 0..1 of the match), what kind, and what hover / focus says. */
export interface TimelineMark {
  t: number;
  /** `t / endT`, 0..1. */
  at: number;
  kind: 'incident-start' | 'incident-mitigated' | 'action' | 'injection';
  /** The text shown on hover / focus, e.g. `4:05 Incident started: podinfo leaks memory…`. */
  label: string;
}

/** Incident starts and mitigations and every action and injection as marks, by time (ties: incidents first, then log order). */
export function timelineMarks(tl: ReplayTimelineView): TimelineMark[] {
  const at = (t: number): number => (tl.endT > 0 ? Math.max(0, Math.min(1, t / tl.endT)) : 0);
  const marks: { m: TimelineMark; order: number }[] = [];
  for (const i of tl.incidents) {
    if (i.startedAt !== null) marks.push({ m: { t: i.startedAt, at: at(i.startedAt), kind: 'incident-start', label: `${formatSimTime(i.startedAt)} Incident started: ${i.title}` }, order: marks.length });
    if (i.mitigatedAt !== null) marks.push({ m: { t: i.mitigatedAt, at: at(i.mitigatedAt), kind: 'incident-mitigated', label: `${formatSimTime(i.mitigatedAt)} Incident mitigated: ${i.title}` }, order: marks.length });
  }
  for (const a of tl.actions) {
    marks.push({ m: { t: a.t, at: at(a.t), kind: a.kind, label: `${formatSimTime(a.t)} ${a.kind === 'injection' ? 'Injection' : 'Action'}: ${a.text}` }, order: marks.length });
  }
  return marks.sort((a, b) => a.m.t - b.m.t || a.order - b.order).map((x) => x.m);
}

/** The curve fields of a sample. */
export type CurveField = 'availability' | 'latency' | 'budget' | 'latencyBudget' | 'burnRate';

/**
 * An SVG path (`M x y L x y ...`) of one field over the match in a `width` x `height` box: x = t / endT,
 * y = 0 at the top for `max`, `height` at the bottom for `min` (values clamped). Empty string without samples.
 */
export function curvePath(samples: readonly ReplaySampleView[], field: CurveField, endT: number, width: number, height: number, min = 0, max = 1): string {
  if (samples.length === 0 || endT <= 0 || max <= min) return '';
  const r = (x: number): string => String(Math.round(x * 10) / 10);
  return samples
    .map((s, i) => {
      const v = Math.max(min, Math.min(max, s[field]));
      return `${i === 0 ? 'M' : 'L'}${r((s.t / endT) * width)} ${r(height - ((v - min) / (max - min)) * height)}`;
    })
    .join(' ');
}

/** The last sample at or before `t` (the first one when `t` is before every sample), or null without samples. */
export function sampleAt(samples: readonly ReplaySampleView[], t: number): ReplaySampleView | null {
  let found: ReplaySampleView | null = samples[0] ?? null;
  for (const s of samples) {
    if (s.t > t) break;
    found = s;
  }
  return found;
}

/** Incidents in progress at `t` (started, not yet mitigated), by start time. */
export function activeIncidents(tl: ReplayTimelineView, t: number): ReplayIncidentView[] {
  return tl.incidents.filter((i) => i.startedAt !== null && i.startedAt <= t && (i.mitigatedAt === null || i.mitigatedAt > t));
}

/** The match id of a replay page's URL: `?match=ID` (or `#replay/ID`); null when absent or malformed. */
export function matchIdFromLocation(search: string, hash = ''): string | null {
  const fromQuery = new URLSearchParams(search).get('match');
  const fromHash = /^#replay\/(.+)$/.exec(hash)?.[1] ?? null;
  const id = fromQuery ?? (fromHash === null ? null : decodeURIComponent(fromHash));
  return id !== null && /^[a-zA-Z0-9-]{1,80}$/.test(id) ? id : null;
}

/** The replay page's URL of a match (relative to the client's root). */
export function replayUrl(matchId: string): string {
  return `replay.html?match=${encodeURIComponent(matchId)}`;
}
