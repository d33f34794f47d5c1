/**
 * The game-master console's decisions (issue 10, trainer.html), pure: the create-workshop form's
 * checks and body (`POST /api/workshops`), reading the created workshop, the console's keyboard
 * shortcuts and speed steps, the side-by-side team cards (SLO availability, error budget, burn rate,
 * pages, open incidents, score), the roster by team, the incident catalog and its targets per team,
 * and the `control` messages (inject now or at a sim second, hint / message, move, end).
 *
 * May import: shared/protocol.ts types, pure shared/sim modules (the incident registry), ./format.ts,
 * ./lobby.ts, ./slo.ts.
 */
import type { MatchStateView, TeamView } from '../../../shared/protocol.ts';
import { incidentCatalog, incidentModule } from '../../../shared/sim/incidents/registry.ts';
import { formatBudgetShort, formatPercent, formatSimTime } from './format.ts';
import { MODES, MODE_LABELS, MAX_TEAMS, compareTeams, parseTiming, roster, teamIds, type Mode, type RosterEntry } from './lobby.ts';
import { burnRateFigure } from './slo.ts';

// ---------------------------------------------------------------------------------------------------
// Create a workshop
// ---------------------------------------------------------------------------------------------------

/** The create-workshop form, as typed. */
export interface WorkshopFormValues {
  title: string;
  /** Scenario ids picked, in order (1-5). */
  scenarios: string[];
  /** Team count as typed (1-8). */
  teams: string;
  mode: string;
  /** Match length in sim minutes as typed ('' = the scenario's). */
  durationMinutes: string;
  /** Sim seconds per real second as typed ('' = the scenario's). */
  timeDilation: string;
  roles: boolean;
  /** `auto` (the server balances teams) or `players` (each picks). */
  teamChoice: string;
}

/** `POST /api/workshops` body. Units: `durationSeconds` sim seconds, `timeDilation` sim s per real s. */
export interface WorkshopRequest {
  title?: string;
  scenarios: string[];
  teams: number;
  mode: Mode;
  durationSeconds?: number;
  timeDilation?: number;
  roles?: boolean;
  teamChoice: 'auto' | 'players';
}

/** A field of the create form. */
export type WorkshopField = 'title' | 'scenarios' | 'teams' | 'mode' | 'duration' | 'speed' | 'teamChoice';

/** Most scenarios one workshop plays in a row. */
export const MAX_WORKSHOP_SCENARIOS = 5;

/** Why `teams` teams cannot be played in `mode` in a workshop (each team its own cluster), or null. */
export function workshopTeamsError(mode: Mode, teams: number): string | null {
  if (!Number.isInteger(teams) || teams < 1 || teams > MAX_TEAMS) return `Teams must be a whole number from 1 to ${MAX_TEAMS}.`;
  if (mode === 'redblue' && teams !== 2) return 'Red vs blue has exactly 2 teams.';
  if (mode === 'race' && teams < 2) return `A team race needs 2 to ${MAX_TEAMS} teams.`;
  if (mode === 'coop' && teams !== 1) return 'Co-op is one team on one cluster: pick Team race for several teams.';
  return null;
}

/**
 * The create form -> the request body, or the field to highlight and the message. Title <= 80
 * characters (optional); 1-5 scenarios; teams 1-8 fitting the mode; duration 0.2-1440 sim minutes;
 * time dilation 0.25-120.
 */
export function readWorkshopForm(v: WorkshopFormValues): { ok: true; body: WorkshopRequest } | { ok: false; field: WorkshopField; error: string } {
  const title = v.title.trim();
  if (title.length > 120) return { ok: false, field: 'title', error: 'The title is at most 120 characters.' };
  const scenarios = v.scenarios.filter((s) => s !== '');
  if (scenarios.length < 1) return { ok: false, field: 'scenarios', error: 'Pick at least one scenario.' };
  if (scenarios.length > MAX_WORKSHOP_SCENARIOS) return { ok: false, field: 'scenarios', error: `Pick at most ${MAX_WORKSHOP_SCENARIOS} scenarios.` };
  if (!(MODES as readonly string[]).includes(v.mode)) return { ok: false, field: 'mode', error: `Pick a mode (${MODES.map((m) => MODE_LABELS[m]).join(', ')}).` };
  const mode = v.mode as Mode;
  const teamsText = v.teams.trim();
  if (!/^\d+$/.test(teamsText)) return { ok: false, field: 'teams', error: `Teams must be a whole number from 1 to ${MAX_TEAMS}.` };
  const teams = Number(teamsText);
  const wrongTeams = workshopTeamsError(mode, teams);
  if (wrongTeams) return { ok: false, field: 'teams', error: wrongTeams };
  const timing = parseTiming(v);
  if (!timing.ok) return timing;
  const { durationSeconds, timeDilation } = timing;
  if (v.teamChoice !== 'auto' && v.teamChoice !== 'players') return { ok: false, field: 'teamChoice', error: 'Team choice is “the server places players” or “players pick”.' };
  return {
    ok: true,
    body: {
      ...(title ? { title } : {}),
      scenarios,
      teams,
      mode,
      ...(durationSeconds !== undefined ? { durationSeconds } : {}),
      ...(timeDilation !== undefined ? { timeDilation } : {}),
      ...(v.roles ? { roles: true } : {}),
      teamChoice: v.teamChoice,
    },
  };
}

/** One timed injection not started yet (`workshop` message op `plan`, trainers only). */
export interface PlannedInjection {
  id: string;
  team: string;
  type: string;
  target: string;
  /** The team's sim second it starts at. */
  atSeconds: number;
  player: string;
}

/** The `workshop` message op `plan` -> the pending injections by start time, or null for other messages. */
export function readPlan(msg: unknown): PlannedInjection[] | null {
  const m = (typeof msg === 'object' && msg !== null ? msg : {}) as Raw;
  if (m.op !== 'plan' || !Array.isArray(m.pending)) return null;
  return m.pending
    .map((p) => (typeof p === 'object' && p !== null ? (p as Raw) : {}))
    .map((p) => ({ id: str(p.id), team: str(p.team), type: str(p.type), target: str(p.target), atSeconds: typeof p.atSeconds === 'number' ? p.atSeconds : 0, player: str(p.player) }))
    .sort((a, b) => a.atSeconds - b.atSeconds || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** One plan line: `12:00 bad-rollout on frontend → team red (injected-3)`. */
export function planLine(p: PlannedInjection): string {
  return `${formatSimTime(p.atSeconds)} ${p.type} on ${p.target} → team ${p.team}${p.id ? ` (${p.id})` : ''}`;
}

/** A workshop as the trainer's routes return it (`POST /api/workshops`, `GET /api/workshops/:id`). */
export interface TrainerWorkshop {
  id: string;
  code: string;
  title: string;
  status: string;
  /** The current scenario's room ('' when none). */
  roomId: string;
  /** `/?workshop=CODE` (relative to the server's origin). */
  joinUrl: string;
  /** The settings as the server stored them (shown as given). */
  settings: Record<string, unknown>;
}

type Raw = Record<string, unknown>;
const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

/** The workshop routes' JSON -> {@link TrainerWorkshop}, or null without an id and a code. */
export function parseTrainerWorkshop(json: unknown): TrainerWorkshop | null {
  const b = (typeof json === 'object' && json !== null ? json : {}) as Raw;
  const w = (typeof b.workshop === 'object' && b.workshop !== null ? b.workshop : b) as Raw;
  const id = str(w.id);
  const code = str(w.code);
  if (!id || !code) return null;
  return {
    id,
    code,
    title: str(w.title) || 'Workshop',
    status: str(w.status),
    roomId: str(w.roomId),
    joinUrl: str(w.joinUrl) || `/?workshop=${encodeURIComponent(code)}`,
    settings: (typeof w.settings === 'object' && w.settings !== null ? w.settings : {}) as Record<string, unknown>,
  };
}

/** An HTTP error answer -> the line shown (the server's `error`, else the status; 401/403 explained). */
export function httpErrorText(status: number, body: unknown): string {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Raw;
  if (typeof b.error === 'string' && b.error) return b.error;
  if (typeof b.message === 'string' && b.message) return b.message;
  if (status === 401) return 'Sign in first (a registered account with trainer rights).';
  if (status === 403) return 'This account has no trainer rights (npx gameday trainer grant USERNAME).';
  return `The server answered HTTP ${status}.`;
}

// ---------------------------------------------------------------------------------------------------
// Keyboard shortcuts and speed
// ---------------------------------------------------------------------------------------------------

/** What a console key does. */
export type TrainerCommand = 'start' | 'pauseResume' | 'faster' | 'slower' | 'end' | 'next' | 'help' | 'focusInject' | 'focusMessage' | 'watchAll' | `watch:${number}`;

/** The console's shortcuts, for the `?` help (key, what it does). */
export const TRAINER_SHORTCUTS: readonly (readonly [string, string])[] = [
  ['S', 'start the match (from the lobby, even if not everyone is ready)'],
  ['Space', 'pause / resume'],
  ['+ / -', 'faster / slower (sim seconds per real second)'],
  ['E', 'end the match now (asks first)'],
  ['N', 'next scenario of the workshop'],
  ['I', 'inject an incident (focus the form)'],
  ['M', 'send a hint or message (focus the form)'],
  ['1-8', 'watch team N’s cluster live'],
  ['0', 'stop watching (all teams side by side)'],
  ['?', 'this help'],
];

/**
 * A key press -> a console command, or null. Nothing while typing in a field or with Ctrl/Meta/Alt.
 */
export function trainerShortcut(key: string, typing: boolean, modifiers: boolean): TrainerCommand | null {
  if (modifiers || typing) return null;
  switch (key) {
    case 's':
    case 'S':
      return 'start';
    case ' ':
    case 'p':
    case 'P':
      return 'pauseResume';
    case '+':
    case '=':
      return 'faster';
    case '-':
    case '_':
      return 'slower';
    case 'e':
    case 'E':
      return 'end';
    case 'n':
    case 'N':
      return 'next';
    case '?':
      return 'help';
    case 'i':
    case 'I':
      return 'focusInject';
    case 'm':
    case 'M':
      return 'focusMessage';
    case '0':
      return 'watchAll';
    default:
      return /^[1-8]$/.test(key) ? `watch:${Number(key)}` : null;
  }
}

/** Speeds the +/- keys step through, sim seconds per real second. */
export const SPEED_STEPS: readonly number[] = [0.25, 0.5, 1, 2, 4, 8, 15, 30, 60, 120];

/** The next speed step above (`dir` 1) or below (-1) `current`, clamped to 0.25..120. */
export function stepSpeed(current: number, dir: 1 | -1): number {
  if (dir > 0) return SPEED_STEPS.find((s) => s > current + 1e-9) ?? SPEED_STEPS[SPEED_STEPS.length - 1]!;
  return [...SPEED_STEPS].reverse().find((s) => s < current - 1e-9) ?? SPEED_STEPS[0]!;
}

// ---------------------------------------------------------------------------------------------------
// Live view: team cards, roster
// ---------------------------------------------------------------------------------------------------

/** One team's card in the side-by-side view. */
export interface TeamCard {
  team: string;
  /** `99.95 %` (the user-facing Service's availability SLI) and its target `99.5 %`. */
  availability: string;
  target: string;
  /** Below the SLO target now. */
  breaching: boolean;
  /** `budget 73 % left`. */
  budget: string;
  /** Error budget left, fraction (1 = untouched, < 0 overspent). */
  budgetRemaining: number;
  /** `2.5×` and whether it burns faster than budget-neutral. */
  burn: string;
  burning: boolean;
  /** Burn-rate pages: firing alerts now, and pages not acknowledged. */
  alerts: number;
  unackedPages: number;
  paging: boolean;
  /** Incidents started and not mitigated. */
  openIncidents: number;
  /** `incident titles` of the open ones (the trainer sees the real cause). */
  openTitles: string[];
  score: number;
  /** Players seated on the team (names). */
  players: string[];
  /** False when the trainer's view holds no cluster for this team (not yet sent). */
  visible: boolean;
}

/** The card of each team, in team order (every team of the match, visible or not). */
export function teamCards(view: MatchStateView): TeamCard[] {
  const seated = roster(view, '').filter((p) => !p.spectator && !p.trainer);
  return teamIds(view).map((team) => {
    const t: TeamView | undefined = view.teams.get(team);
    const players = seated.filter((p) => p.team === team).map((p) => p.name);
    const score = t?.score ?? view.scoreboard.find((r) => r.team === team)?.score ?? 0;
    if (!t) return { team, availability: '–', target: '', breaching: false, budget: 'budget –', budgetRemaining: 1, burn: '–', burning: false, alerts: 0, unackedPages: 0, paging: false, openIncidents: 0, openTitles: [], score, players, visible: false };
    const open = t.incidents.filter((i) => i.status === 'active');
    const burn = burnRateFigure(t.slo.burnRate);
    return {
      team,
      availability: formatPercent(t.slo.availability),
      target: formatPercent(t.slo.availabilityTarget),
      breaching: t.slo.availability < t.slo.availabilityTarget,
      budget: formatBudgetShort(t.slo.errorBudgetRemaining),
      budgetRemaining: t.slo.errorBudgetRemaining,
      burn: burn.text,
      burning: burn.level === 'warn',
      alerts: t.alerts.length,
      unackedPages: t.pages.filter((p) => !p.acked).length,
      paging: t.slo.paging,
      openIncidents: open.length,
      openTitles: open.map((i) => i.title || i.type),
      score,
      players,
      visible: true,
    };
  });
}

/** The console's status line: `running · 12:34 / 60:00 · 4×`. */
export function matchStatusLine(view: Pick<MatchStateView, 'phase' | 't' | 'durationSeconds' | 'timeDilation' | 'scenarioTitle'>): string {
  const dur = view.durationSeconds > 0 ? ` / ${formatSimTime(view.durationSeconds)}` : '';
  return `${view.scenarioTitle ? `${view.scenarioTitle} · ` : ''}${view.phase} · ${formatSimTime(view.t)}${dur} · ${view.timeDilation}×`;
}

/** Players (not spectators, not trainers) grouped by team, teams in order (empty teams included). */
export function rosterByTeam(view: MatchStateView): { team: string; players: RosterEntry[] }[] {
  const everyone = roster(view, '').filter((p) => !p.spectator && !p.trainer);
  const teams = new Set(teamIds(view));
  for (const p of everyone) teams.add(p.team);
  return [...teams].sort(compareTeams).map((team) => ({ team, players: everyone.filter((p) => p.team === team) }));
}

// ---------------------------------------------------------------------------------------------------
// Inject, message, move
// ---------------------------------------------------------------------------------------------------

/** One catalog incident the trainer may inject. */
export interface InjectKind {
  kind: string;
  /** Default title with the target placeholder (`Bad rollout of <deployment>`). */
  title: string;
  /** What the target names: `Deployment`, `Node`, `EtcdMembers`... */
  targetKind: string;
  /** "a Deployment (`name` or `namespace/name`)". */
  targetHelp: string;
}

/** Every catalog incident (shared/sim/incidents registry order, as `gameday incidents` lists them). */
export function injectKinds(): InjectKind[] {
  return incidentCatalog().map((e) => ({ kind: e.kind, title: e.title, targetKind: incidentModule(e.kind).target.kind, targetHelp: e.target }));
}

/** Targets a team's cluster offers for a target kind, sorted (Deployments by name, Nodes, etcd members). */
export function injectTargets(targetKind: string, team: TeamView | undefined): string[] {
  if (!team) return [];
  const sorted = (xs: Iterable<string>): string[] => [...new Set(xs)].sort();
  if (targetKind === 'Deployment') return sorted([...team.deployments.values()].map((d) => (d.namespace && d.namespace !== 'default' ? `${d.namespace}/${d.name}` : d.name)));
  if (targetKind === 'Node') return sorted([...team.nodes.values()].map((n) => n.name));
  if (targetKind === 'EtcdMembers' || targetKind === 'EtcdMember') return sorted(team.etcd.map((m) => m.name));
  return [];
}

/** The `control` message of a trainer (without its `id`). */
export type ControlOp =
  | { op: 'pause' | 'resume' | 'end' }
  | { op: 'speed'; timeDilation: number }
  | { op: 'inject'; team: string; incident: { type: string; target: string }; /** Sim seconds from now. */ atSeconds?: number }
  | { op: 'message'; team?: string; text: string; kind: 'hint' | 'message' }
  | { op: 'move'; player: string; team: string };

/**
 * The inject form -> the `control` op, or the message. `team`: one team; `delay`: '' = now, else how
 * long from now it strikes, in sim seconds (`600`) or sim `m:ss` (`10:00`), at most 24 h; the server
 * starts it when the team's sim clock gets there (`atSeconds`: sim seconds from now).
 */
export function readInjectForm(v: { kind: string; team: string; target: string; delay: string }, kinds: readonly InjectKind[]): { ok: true; op: ControlOp } | { ok: false; field: 'kind' | 'team' | 'target' | 'delay'; error: string } {
  if (!kinds.some((k) => k.kind === v.kind)) return { ok: false, field: 'kind', error: 'Pick an incident from the catalog.' };
  if (!/^[a-z0-9-]{1,16}$/.test(v.team)) return { ok: false, field: 'team', error: 'Pick the team whose cluster gets it.' };
  const target = v.target.trim();
  if (!target || target.length > 253) return { ok: false, field: 'target', error: 'Pick or type a target (a Deployment, a Node or etcd members, per incident).' };
  const delay = v.delay.trim();
  if (delay === '') return { ok: true, op: { op: 'inject', team: v.team, incident: { type: v.kind, target } } };
  const seconds = parseSimTime(delay);
  if (seconds === null || seconds > 86_400) return { ok: false, field: 'delay', error: 'The delay is sim seconds (e.g. 600) or m:ss (10:00) from now, at most 24 h; leave it empty for now.' };
  return { ok: true, op: { op: 'inject', team: v.team, incident: { type: v.kind, target }, ...(seconds > 0 ? { atSeconds: seconds } : {}) } };
}

/** `600`, `10:00` or `1:02:03` -> sim seconds (whole), or null. */
export function parseSimTime(text: string): number | null {
  const t = text.trim();
  if (/^\d{1,6}$/.test(t)) return Number(t);
  const m = /^(?:(\d{1,3}):)?(\d{1,3}):([0-5]\d)$/.exec(t);
  if (!m) return null;
  return Number(m[1] ?? 0) * 3600 + Number(m[2]) * 60 + Number(m[3]);
}

/** Longest hint or message, characters (the server's limit). */
export const MAX_MESSAGE = 500;

/** The message form -> the `control` op (`team` '' = all teams), or the message. Text 1-500 characters, no control characters. */
export function readMessageForm(v: { team: string; text: string; kind: string }): { ok: true; op: ControlOp } | { ok: false; error: string } {
  const text = v.text.trim();
  if (!text) return { ok: false, error: 'Type the hint or message first.' };
  if (text.length > MAX_MESSAGE) return { ok: false, error: `At most ${MAX_MESSAGE} characters (${text.length} typed).` };
  if (/\p{Cc}/u.test(text)) return { ok: false, error: 'No control characters.' };
  const kind = v.kind === 'hint' ? 'hint' : 'message';
  return { ok: true, op: { op: 'message', ...(v.team ? { team: v.team } : {}), text, kind } };
}

/** The phase's allowed console buttons. */
export function controlsFor(phase: string, connected: boolean): { start: boolean; pause: boolean; resume: boolean; speed: boolean; end: boolean; inject: boolean } {
  const live = connected && (phase === 'running' || phase === 'paused');
  return {
    start: connected && phase === 'lobby',
    pause: connected && phase === 'running',
    resume: connected && phase === 'paused',
    speed: live,
    end: connected && phase !== 'ended',
    inject: live || (connected && phase === 'lobby'),
  };
}

/** A team's colour on cards and debrief columns (the team ids are colour names; others get the accent). */
export function teamColor(team: string): string {
  const colors = new Map([
    ['blue', '#56b4e9'],
    ['red', '#d55e00'],
    ['green', '#009e73'],
    ['gold', '#e6c229'],
    ['purple', '#a06cd5'],
    ['orange', '#e69f00'],
    ['teal', '#2ec4b6'],
    ['pink', '#ff8fb1'],
  ]);
  return colors.get(team) ?? '#56b4e9';
}

/** `GET /api/workshops` -> the trainer's workshops (rows without an id and a code dropped). */
export function parseWorkshopList(json: unknown): TrainerWorkshop[] {
  const list = Array.isArray(json) ? json : Object.values((typeof json === 'object' && json !== null ? json : {}) as Raw).find((v) => Array.isArray(v));
  return (Array.isArray(list) ? list : []).map(parseTrainerWorkshop).filter((w): w is TrainerWorkshop => w !== null);
}

/** The room id of the next scenario from `POST /api/workshops/:id/next`'s answer, or ''. */
export function nextRoomId(json: unknown): string {
  const b = (typeof json === 'object' && json !== null ? json : {}) as Raw;
  const w = (typeof b.workshop === 'object' && b.workshop !== null ? b.workshop : {}) as Raw;
  return str(b.roomId) || str(w.roomId);
}
