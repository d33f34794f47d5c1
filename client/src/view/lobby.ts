/**
 * The lobby's view logic (issue 8, "Lobby, teams and modes"), pure: the open-match list of
 * `GET /api/lobby` (server/http/lobby.ts `LobbyListing`), the Create-a-match form -> protocol
 * {@link JoinOptions}, the waiting room (players by team with role and ready state, who may start and
 * why not), the Players panel, the live scoreboard (`MatchStateView.scoreboard`), the roster notice
 * feed (`notice` broadcasts) and the `R` ready shortcut. The DOM side is client/src/ui/lobby*.ts.
 *
 * Rules mirrored from the server so the page can say why before it asks (the server decides:
 * shared/game/lobby.ts): team counts per mode (`solo` 1, `coop` 1, `race` 2-8, `redblue` 2), only the
 * host (`MatchStateView.host`, a player id) or a trainer starts, start waits until every seated player
 * is ready unless forced, spectators neither play nor start.
 */
import { JoinOptions, type MatchStateView, type NoticeMessage, type PlayerView } from '../../../shared/protocol.ts';
import { formatSimTime } from './format.ts';

/** Match modes (shared/game `MatchMode`), in the order the form lists them. */
export const MODES = ['solo', 'coop', 'race', 'redblue'] as const;
/** A match mode. */
export type Mode = (typeof MODES)[number];
/** Player-facing names of the modes. */
export const MODE_LABELS: Readonly<Record<Mode, string>> = { solo: 'Solo practice', coop: 'Co-op', race: 'Team race', redblue: 'Red vs blue' };
/** Roles (Google SRE Book ch. 14 incident roles; shared/game `PlayerRole`). */
export const ROLES = ['commander', 'operations', 'communications', 'planning'] as const;
/** A role. */
export type Role = (typeof ROLES)[number];
/** Player-facing names of the roles. */
export const ROLE_LABELS: Readonly<Record<Role, string>> = { commander: 'Incident commander', operations: 'Operations', communications: 'Communications', planning: 'Planning' };
/** Team ids in the server's order (shared/game `TEAM_IDS`): a match with N teams plays the first N. */
export const TEAM_ORDER = ['blue', 'red', 'green', 'gold', 'purple', 'orange', 'teal', 'pink'] as const;
/** Most teams in a match. */
export const MAX_TEAMS = TEAM_ORDER.length;

const isMode = (v: string): v is Mode => (MODES as readonly string[]).includes(v);
const isRole = (v: string): v is Role => (ROLES as readonly string[]).includes(v);

type Raw = Record<string, unknown>;
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const int = (v: unknown, fallback: number): number => (typeof v === 'number' && Number.isFinite(v) ? Math.round(v) : fallback);

// ---------------------------------------------------------------------------------------------------
// The open-match list
// ---------------------------------------------------------------------------------------------------

/** One open match of `GET /api/lobby` (server/http/lobby.ts `LobbyListing`). */
export interface LobbyRow {
  /** Join with `joinById(roomId, options)`. */
  roomId: string;
  matchId: string;
  scenario: string;
  scenarioTitle: string;
  mode: Mode;
  roles: boolean;
  /** `lobby`, `running` or `paused`. */
  phase: string;
  teams: number;
  /** Seated players (spectators not counted) and player seats. */
  players: number;
  maxPlayers: number;
  /** Connections (players and spectators) and the room's limit. */
  clients: number;
  maxClients: number;
}

/**
 * `GET /api/lobby` JSON -> rows, in server order (matches in the lobby first, then by room id).
 * Rows without a room id or with an unknown mode are dropped; missing counts read as 0 (limits as 1).
 */
export function parseLobby(json: unknown): LobbyRow[] {
  const list = Array.isArray(json) ? json : [];
  const out: LobbyRow[] = [];
  for (const item of list) {
    if (item === null || typeof item !== 'object') continue;
    const r = item as Raw;
    const roomId = str(r.roomId);
    const mode = str(r.mode);
    if (!roomId || !isMode(mode)) continue;
    out.push({
      roomId,
      matchId: str(r.matchId),
      scenario: str(r.scenario),
      scenarioTitle: str(r.scenarioTitle) || str(r.scenario),
      mode,
      roles: r.roles === true,
      phase: str(r.phase) || 'running',
      teams: int(r.teams, 1),
      players: int(r.players, 0),
      maxPlayers: int(r.maxPlayers, 1),
      clients: int(r.clients, 0),
      maxClients: int(r.maxClients, 1),
    });
  }
  return out;
}

/** What the lobby list shows for one match, and whether Join may be pressed. */
export interface LobbyRowText {
  title: string;
  /** `Team race · 2 teams · roles`. */
  mode: string;
  /** `1 / 16 players`. */
  players: string;
  /** `in lobby`, `running`, `paused`. */
  phase: string;
  /** Join (as a player) is possible. */
  joinable: boolean;
  /** Why not, when not joinable (`full: watch as a spectator`). */
  reason: string;
}

/** The list row's texts; `spectator`: the player asked to watch (a full player list does not stop that). */
export function lobbyRowText(row: LobbyRow, spectator = false): LobbyRowText {
  const teams = `${row.teams} team${row.teams === 1 ? '' : 's'}`;
  const mode = [MODE_LABELS[row.mode], teams, ...(row.roles ? ['roles'] : [])].join(' · ');
  const roomFull = row.clients >= row.maxClients;
  const seatsFull = row.players >= row.maxPlayers;
  const reason = roomFull ? 'the room is full' : !spectator && seatsFull ? 'every player seat is taken: tick "Watch as a spectator" to watch' : '';
  return {
    title: row.scenarioTitle || row.scenario,
    mode,
    players: `${row.players} / ${row.maxPlayers} player${row.maxPlayers === 1 ? '' : 's'}`,
    phase: row.phase === 'lobby' ? 'in lobby' : row.phase,
    joinable: reason === '',
    reason,
  };
}

// ---------------------------------------------------------------------------------------------------
// Forms -> join options
// ---------------------------------------------------------------------------------------------------

/** The player part shared by every way in: name, spectator, role (as typed/picked). */
export interface PlayerFormValues {
  name: string;
  spectator: boolean;
  /** A role id or '' (none / pick later). */
  role: string;
}

/** Fields a form error may point at. */
export type FormField = 'name' | 'mode' | 'teams' | 'duration' | 'speed' | 'seed' | 'scenario';
/** A form's answer: join options, or the field to highlight and the message to show. */
export type FormResult = { ok: true; options: JoinOptions } | { ok: false; field: FormField; error: string };

/** The player part of the options (name trimmed, cut to 32; role only for matches with roles). */
function playerOptions(v: PlayerFormValues, withRole: boolean): { ok: true; options: JoinOptions } | { ok: false; field: 'name'; error: string } {
  const name = v.name.trim().slice(0, 32);
  if (!name) return { ok: false, field: 'name', error: 'Please type a name (1–32 characters).' };
  return {
    ok: true,
    options: { name, ...(v.spectator ? { spectator: true } : {}), ...(withRole && !v.spectator && isRole(v.role) ? { role: v.role } : {}) },
  };
}

/** Join options for a listed match (`joinById(row.roomId, options)`): the role only when it plays with roles. */
export function joinListedOptions(v: PlayerFormValues, row: Pick<LobbyRow, 'roles'>): FormResult {
  return playerOptions(v, row.roles);
}

/** Why `teams` teams cannot be played in `mode`, or null (shared/game/lobby.ts `checkModeTeams`). */
export function modeTeamsError(mode: Mode, teams: number): string | null {
  switch (mode) {
    case 'solo':
    case 'coop':
      return teams === 1 ? null : `${MODE_LABELS[mode]} is played with 1 team.`;
    case 'race':
      return Number.isInteger(teams) && teams >= 2 && teams <= MAX_TEAMS ? null : `A team race needs 2 to ${MAX_TEAMS} teams.`;
    case 'redblue':
      return teams === 2 ? null : 'Red vs blue has exactly 2 teams.';
  }
}

/** Teams the form offers for `mode`: [min, max]. */
export function teamRange(mode: Mode): [number, number] {
  return mode === 'race' ? [2, MAX_TEAMS] : mode === 'redblue' ? [2, 2] : [1, 1];
}

/** The Create-a-match form, as typed. */
export interface CreateFormValues extends PlayerFormValues {
  /** Scenario id ('' = the server's default). */
  scenario: string;
  mode: string;
  /** Team count as typed (used by `race`; fixed by the other modes). */
  teams: string;
  /** Match length in sim minutes as typed ('' = the scenario's). */
  durationMinutes: string;
  /** Sim seconds per real second as typed ('' = the scenario's). */
  timeDilation: string;
  /** Play with roles (commander / operations / communications / planning). */
  roles: boolean;
  /** Start in the lobby (players gather and ready up; the host starts). */
  lobby: boolean;
  /** Seed as typed ('' = random). */
  seed: string;
}

/**
 * The Create-a-match form -> the creator's join options (`create('match', options)`), checked with
 * the protocol's own schema (shared/protocol.ts `JoinOptions`) so the server accepts what passes.
 * Duration: sim minutes, 10 s to 24 h; time dilation 0.25-120 sim s per real s; seed 0..2^32-1.
 */
export function readCreateForm(v: CreateFormValues): FormResult {
  const player = playerOptions(v, v.roles);
  if (!player.ok) return player;
  if (!isMode(v.mode)) return { ok: false, field: 'mode', error: `Pick a mode (${MODES.map((m) => MODE_LABELS[m]).join(', ')}).` };
  const mode = v.mode;
  const [min, max] = teamRange(mode);
  const teamsText = v.teams.trim();
  const teams = mode === 'race' ? (teamsText === '' ? 2 : Number(teamsText)) : min;
  if (!/^\d*$/.test(teamsText) && mode === 'race') return { ok: false, field: 'teams', error: `Teams must be a whole number from ${min} to ${max}.` };
  const wrongTeams = modeTeamsError(mode, teams);
  if (wrongTeams) return { ok: false, field: 'teams', error: wrongTeams };
  const timing = parseTiming(v);
  if (!timing.ok) return timing;
  const { durationSeconds, timeDilation } = timing;
  let seed: number | undefined;
  const seedText = v.seed.trim();
  if (seedText) {
    seed = Number(seedText);
    if (!/^\d+$/.test(seedText) || seed > 0xffffffff) return { ok: false, field: 'seed', error: 'The seed must be a whole number between 0 and 4294967295.' };
  }
  const options: JoinOptions = {
    ...player.options,
    ...(v.scenario ? { scenario: v.scenario } : {}),
    mode,
    teams,
    ...(durationSeconds !== undefined ? { durationSeconds } : {}),
    ...(timeDilation !== undefined ? { timeDilation } : {}),
    ...(seed !== undefined ? { seed } : {}),
    ...(v.roles ? { roles: true } : {}),
    ...(v.lobby ? { lobby: true } : {}),
  };
  const parsed = JoinOptions.safeParse(options);
  if (!parsed.success) return { ok: false, field: 'scenario', error: parsed.error.issues[0]?.message ?? 'invalid options' };
  return { ok: true, options: parsed.data };
}

/**
 * A readable reason for a failed join/create, from the server's or the SDK's message. Joining a
 * listed match (`kind` `join`) that went away (`room "ID" not found`, `no rooms found`) or is locked
 * gets advice; anything else (the server's own reasons, e.g. `name "ann" is already taken in this
 * match`, `a team race needs 2 to 8 teams, got 1`, `scenario "x" not found`) is kept as is.
 */
export function joinErrorText(message: string, kind: JoinRequest['kind'] = 'join'): string {
  const m = message.trim();
  if (kind === 'join' && /no rooms found|room "[^"]*" not found|invalid room ?id/i.test(m)) return 'That match is no longer open (it ended or closed): refresh the list and pick another.';
  if (kind === 'join' && /\blocked\b|room is full/i.test(m)) return 'That match is full: pick another or watch as a spectator.';
  return m || 'unknown error';
}

// ---------------------------------------------------------------------------------------------------
// In the match: roster, waiting room, scoreboard
// ---------------------------------------------------------------------------------------------------

/** One player as the Players panel and the waiting room show them. */
export interface RosterEntry {
  sessionId: string;
  /** Match player id (`p1`...). */
  id: string;
  name: string;
  team: string;
  role: PlayerView['role'];
  ready: boolean;
  connected: boolean;
  spectator: boolean;
  trainer: boolean;
  /** The host (may start the match from the lobby). */
  host: boolean;
  /** This tab's player. */
  me: boolean;
}

/** Rank of a team id in {@link TEAM_ORDER} (unknown ids after, by id). */
function teamRank(id: string): number {
  const i = (TEAM_ORDER as readonly string[]).indexOf(id);
  return i < 0 ? MAX_TEAMS : i;
}
/** Total order of team ids: server order, then by id. */
export function compareTeams(a: string, b: string): number {
  return teamRank(a) - teamRank(b) || (a < b ? -1 : a > b ? 1 : 0);
}

/**
 * The match's team ids in server order: every team of the scoreboard (everyone sees it), of the
 * visible clusters and of the seated players.
 */
export function teamIds(view: MatchStateView): string[] {
  const ids = new Set<string>();
  for (const row of view.scoreboard) if (row.team) ids.add(row.team);
  for (const id of view.teams.keys()) ids.add(id);
  for (const p of view.players.values()) if (!p.spectator && p.team) ids.add(p.team);
  return [...ids].sort(compareTeams);
}

/** Everyone in the match: players by team (server order), then by name and id; spectators last. */
export function roster(view: MatchStateView, mySessionId: string): RosterEntry[] {
  const out: RosterEntry[] = [];
  for (const [sessionId, p] of view.players) {
    out.push({
      sessionId,
      id: p.id,
      name: p.name,
      team: p.team,
      role: p.role,
      ready: p.ready,
      connected: p.connected,
      spectator: p.spectator,
      trainer: p.trainer,
      host: p.id !== '' && p.id === view.host,
      me: sessionId === mySessionId,
    });
  }
  return out.sort(
    (a, b) =>
      Number(a.spectator) - Number(b.spectator) ||
      (a.spectator ? 0 : compareTeams(a.team, b.team)) ||
      (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) ||
      (a.sessionId < b.sessionId ? -1 : a.sessionId > b.sessionId ? 1 : 0),
  );
}

/** Whether the Start button works, and why not (shown next to it). */
export interface StartState {
  /** Start now (everyone seated is ready). */
  canStart: boolean;
  /** The host/trainer may force the start while some are not ready. */
  canForce: boolean;
  /** Why Start is disabled ('' when it is not). */
  reason: string;
}

/** The waiting room (phase `lobby`): teams with their players, spectators, me, who is ready, Start. */
export interface WaitingRoom {
  teams: { team: string; players: RosterEntry[] }[];
  spectators: RosterEntry[];
  me: RosterEntry | undefined;
  /** Players seated (not spectators) and how many are ready. */
  seated: number;
  ready: number;
  start: StartState;
}

/** The waiting room of `view` for the tab's session (see {@link WaitingRoom}). */
export function waitingRoom(view: MatchStateView, mySessionId: string): WaitingRoom {
  const all = roster(view, mySessionId);
  const players = all.filter((p) => !p.spectator);
  const me = all.find((p) => p.me);
  const teams = teamIds(view).map((team) => ({ team, players: players.filter((p) => p.team === team) }));
  const waiting = players.filter((p) => !p.ready);
  return {
    teams,
    spectators: all.filter((p) => p.spectator),
    me,
    seated: players.length,
    ready: players.length - waiting.length,
    start: startState(view, me, players, waiting),
  };
}

function startState(view: MatchStateView, me: RosterEntry | undefined, players: RosterEntry[], waiting: RosterEntry[]): StartState {
  const no = (reason: string): StartState => ({ canStart: false, canForce: false, reason });
  if (view.phase !== 'lobby') return no('The match has started.');
  if (!me) return no('Joining…');
  if (me.spectator && !me.trainer) return no('Spectators watch: only the host or a trainer starts the match.');
  if (!me.host && !me.trainer) {
    const host = players.find((p) => p.host);
    return no(`Only the host${host ? ` (${host.name})` : ''} or a trainer can start the match.`);
  }
  if (players.length === 0) return no('Nobody is seated yet.');
  if (waiting.length > 0) return { canStart: false, canForce: true, reason: `Waiting for ${waiting.map((p) => p.name).join(', ')} to be ready.` };
  return { canStart: true, canForce: false, reason: '' };
}

/** One scoreboard line. */
export interface ScoreLine {
  /** 1 = best (ties share no rank: the server breaks them by team id). */
  rank: number;
  team: string;
  /** Points, rounded. */
  score: number;
  /** The tab's team. */
  mine: boolean;
  /** Names of the team's players, sorted. */
  players: string[];
}

/** The live scoreboard (server order: best first) with each team's players; `myTeam` '' for spectators. */
export function scoreLines(view: MatchStateView, myTeam: string): ScoreLine[] {
  const names = new Map<string, string[]>();
  for (const p of view.players.values()) {
    if (p.spectator) continue;
    const list = names.get(p.team) ?? [];
    list.push(p.name);
    names.set(p.team, list);
  }
  return view.scoreboard.map((row) => ({
    rank: row.rank,
    team: row.team,
    score: Math.round(row.score),
    mine: row.team === myTeam,
    players: (names.get(row.team) ?? []).sort(),
  }));
}

/** The scoreboard panel is shown in team races and red vs blue (and whenever several teams play). */
export function showsScoreboard(view: Pick<MatchStateView, 'mode' | 'scoreboard'>): boolean {
  return view.mode === 'race' || view.mode === 'redblue' || view.scoreboard.length > 1;
}

/**
 * Why this player's action UI (console writes, context-panel buttons) is off, or '' when it is on:
 * spectators never act; in the lobby nothing runs yet; with roles on only operations changes the cluster.
 */
export function actionHint(view: Pick<MatchStateView, 'phase' | 'roles'>, me: Pick<RosterEntry, 'spectator' | 'role'> | undefined): string {
  if (me?.spectator) return 'You are watching as a spectator: actions are off.';
  if (view.phase === 'lobby') return 'The match has not started: pick a team and get ready.';
  if (view.roles && me && me.role !== 'operations') return `Roles are on: only operations changes the cluster (you are ${me.role || 'without a role'}).`;
  return '';
}

/** The label of a role value ('' = none). */
export function roleLabel(role: string): string {
  return isRole(role) ? ROLE_LABELS[role] : 'no role';
}

// ---------------------------------------------------------------------------------------------------
// Notices and keys
// ---------------------------------------------------------------------------------------------------

/** One line of the notice feed. */
export interface NoticeLine {
  /** Sim seconds. */
  t: number;
  text: string;
  player: string;
  /** `0:12 ann joined team blue`. */
  line: string;
}

/** The roster notices (`notice` broadcasts) of the match, newest first, at most `limit`. */
export class NoticeFeed {
  readonly #entries: NoticeLine[] = [];
  readonly #limit: number;
  /** Bumped on every change (a cheap render key). */
  version = 0;

  constructor(limit = 50) {
    this.#limit = limit;
  }

  /** Newest first. */
  get entries(): readonly NoticeLine[] {
    return this.#entries;
  }

  /** Adds a notice; malformed ones (no text) are ignored. */
  push(raw: unknown): void {
    if (raw === null || typeof raw !== 'object') return;
    const n = raw as Partial<NoticeMessage>;
    const text = typeof n.text === 'string' ? n.text : '';
    if (!text) return;
    const t = typeof n.t === 'number' && Number.isFinite(n.t) ? n.t : 0;
    this.#entries.unshift({ t, text, player: typeof n.player === 'string' ? n.player : '', line: `${formatSimTime(t)} ${text}` });
    this.#entries.splice(this.#limit);
    this.version++;
  }

  clear(): void {
    this.#entries.length = 0;
    this.version++;
  }
}

/**
 * The waiting room's key: `r`/`R` toggles ready while in the lobby, when no input is focused, without
 * modifiers, and not for spectators. Returns the command or null.
 */
export function lobbyShortcut(key: string, typing: boolean, modifiers: boolean, phase: string, spectator: boolean): 'toggleReady' | null {
  if (typing || modifiers || phase !== 'lobby' || spectator) return null;
  return key === 'r' || key === 'R' ? 'toggleReady' : null;
}

/** `by ann` for an event a player caused ('' for the system). */
export function eventSource(source: string): string {
  return source ? `by ${source}` : '';
}

/** How the lobby screen enters a match: quick-play, create, or join a listed one (by room id). */
export type JoinRequest = { kind: 'quick' | 'create'; options: JoinOptions } | { kind: 'join'; roomId: string; options: JoinOptions };

/**
 * The match length and speed fields of a create form (lobby and workshop): `durationMinutes` in sim
 * minutes (0.2-1440, i.e. 10 s-24 h; blank: the scenario's) -> `durationSeconds` (sim seconds);
 * `timeDilation` in sim seconds per real second (0.25-120; blank: the default).
 */
export function parseTiming(v: { durationMinutes: string; timeDilation: string }):
  | { ok: true; durationSeconds: number | undefined; timeDilation: number | undefined }
  | { ok: false; field: 'duration' | 'speed'; error: string } {
  let durationSeconds: number | undefined;
  const dur = v.durationMinutes.trim();
  if (dur) {
    const minutes = Number(dur);
    durationSeconds = Math.round(minutes * 60);
    if (!Number.isFinite(minutes) || durationSeconds < 10 || durationSeconds > 86_400) return { ok: false, field: 'duration', error: 'Duration is in sim minutes: from 0.2 (10 s) to 1440 (24 h).' };
  }
  let timeDilation: number | undefined;
  const speed = v.timeDilation.trim();
  if (speed) {
    timeDilation = Number(speed);
    if (!Number.isFinite(timeDilation) || timeDilation < 0.25 || timeDilation > 120) return { ok: false, field: 'speed', error: 'Time dilation is sim seconds per real second: from 0.25 to 120.' };
  }
  return { ok: true, durationSeconds, timeDilation };
}
