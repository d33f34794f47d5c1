/**
 * The match authority (boardgame.io's "master" rules without a transport): roster, roles, phase,
 * permissions, the per-team action log and score inputs, and the tick loop's unit (`advance`). Every
 * function here is deterministic and does no I/O; each mutates the {@link Match} it is given in place
 * (like shared/sim's `step`) and returns a plain result. Adapters (the Colyseus room, the CLI, replay)
 * validate their input with zod, call these, and present the result.
 *
 * May import: shared/sim (its public API), ./types.ts, ./score.ts.
 */
import { applyAction, beginTick, createSim, finishTick, injectIncident, isFinished } from '../sim/index.ts';
import type { IncidentSpec, SimAction } from '../sim/types.ts';
import { ACTION_COSTS, computeScore } from './score.ts';
import { LOBBY_ERRORS, checkRole, checkSeat } from './lobby.ts';
import { recordPages } from './workflow.ts';
import { deletesHealthyPod, leftNoSchedulableNode } from './collateral.ts';
import { chaosAfterTick, chaosRules, createChaos } from './chaos.ts';
import type {
  ControlOp,
  ControlResult,
  CreateMatchOptions,
  InjectRequest,
  InjectResult,
  JoinRequest,
  JoinResult,
  Match,
  MatchPlayer,
  MatchSettings,
  SubmitResult,
  TeamState,
} from './types.ts';

/** Refusal texts players see (the room sends them as `reply.error`). */
export const MATCH_ERRORS = {
  notAPlayer: 'you are not a player in this match',
  ended: 'the match has ended: no more actions',
  lobby: 'the match has not started yet: it starts when the host starts it from the lobby',
  paused: 'the match is paused: actions are accepted again when the trainer resumes',
  teamFinished: "your team's match is over: no more actions",
  notTrainer: 'only a trainer may pause, resume or change the speed (join with trainer: true)',
  controlEnded: 'the match has ended',
  controlLobby: 'the match is still in the lobby: start it with the lobby message op "start" (pause and resume come after)',
  notTrainerInject: 'only a trainer may inject incidents (join with trainer: true)',
} as const;

/** Thrown by {@link advance} when a team's cluster step throws (a sim bug); `cause` is the original error. */
export class TeamStepError extends Error {
  /** The team whose step failed. */
  readonly team: string;
  /** The team's `sim.tick` before the failed step. */
  readonly tick: number;
  constructor(team: string, tick: number, cause: unknown) {
    super(`team ${team}: sim step after tick ${tick} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'TeamStepError';
    this.team = team;
    this.tick = tick;
  }
}

/**
 * A new match in phase `running`: one cluster per team, each created from `input` (`createSim`), each
 * with an empty log and zero score inputs and the scenario's incident schedule (`input.incidents`,
 * started by {@link advance}). No players yet.
 *
 * @throws Error when `teams` is empty, holds an empty or duplicate id; whatever `createSim` throws for
 *   an invalid input.
 */
export function createMatch(opts: CreateMatchOptions): Match {
  if (opts.teams.length === 0) throw new Error('a match needs at least one team');
  const ids = [...opts.teams].sort();
  for (let i = 0; i < ids.length; i++) {
    if (ids[i] === '') throw new Error('team ids must not be empty');
    if (i > 0 && ids[i] === ids[i - 1]) throw new Error(`duplicate team id "${ids[i]}"`);
  }
  const teams: TeamState[] = ids.map((id) => {
    const schedule = structuredClone(opts.input.incidents); // createSim copies the specs it keeps
    return {
      id,
      sim: createSim({ ...opts.input, incidents: schedule }),
      log: [],
      score: { actions: 0, actionCost: 0 },
      schedule,
      injections: [],
      workflow: { pages: [], declared: [], updates: [], hints: [], answers: [] },
    };
  });
  const settings: MatchSettings = { mode: ids.length > 1 ? 'race' : 'coop', roles: false, lobby: false, ...opts.settings };
  // Red vs blue: both sides' budgets and the half (the attacks are its incidents: see advance).
  const chaos = settings.mode === 'redblue' ? createChaos(teams, opts.redTeam ?? chaosRules(undefined), opts.input.settings.durationSeconds, opts.input.settings.tickSeconds) : null;
  return { schemaVersion: 1, phase: settings.lobby ? 'lobby' : 'running', settings, teams, players: [], chaos };
}

/** The team with `id`, or undefined. O(teams). */
export function findTeam(match: Match, id: string): TeamState | undefined {
  return match.teams.find((t) => t.id === id);
}

/** The team with `id`. @throws Error naming the match's teams when there is none. */
export function getTeam(match: Match, id: string): TeamState {
  const team = findTeam(match, id);
  if (!team) throw new Error(`team "${id}" is not in this match (teams: ${match.teams.map((t) => t.id).join(', ')})`);
  return team;
}

/** The player with `id`, or undefined. */
export function findPlayer(match: Match, id: string): MatchPlayer | undefined {
  return match.players.find((p) => p.id === id);
}

/** The player named `name` (present or not), or undefined. Names are unique in a match. */
export function playerByName(match: Match, name: string): MatchPlayer | undefined {
  return match.players.find((p) => p.name === name);
}

/**
 * Seats a player. A name seen before (and not present now) gets its old seat back: same id, team,
 * action count; it becomes a trainer when it asks to (a trainer stays one). Checks, in this order:
 * - the team must exist: `team "x" is not in this match (teams: blue)`;
 * - the name must not be present: `name "ann" is already taken in this match`;
 * - a returning name must ask for its old team: `"ann" played for team red in this match`;
 * - a new player (not a spectator) needs a free seat: a `solo` match has one (shared/game/lobby.ts
 *   `checkSeat`).
 * A new player's `role` is the one asked for when the match plays with roles (else null; null until
 * they pick one: only `operations` may change the cluster), `spectator` as asked, `ready` false. A
 * returning name keeps its role and spectator flag (a dropped player rejoins with team and role).
 */
export function join(match: Match, req: JoinRequest): JoinResult {
  if (!findTeam(match, req.team)) {
    return { ok: false, error: `team "${req.team}" is not in this match (teams: ${match.teams.map((t) => t.id).join(', ')})` };
  }
  const known = playerByName(match, req.name);
  if (known?.present) return { ok: false, error: `name "${req.name}" is already taken in this match` };
  if (known && known.team !== req.team) return { ok: false, error: `"${req.name}" played for team ${known.team} in this match` };
  if (known) {
    known.present = true;
    known.trainer = known.trainer || req.trainer === true;
    return { ok: true, player: known };
  }
  const noSeat = req.bot === true ? null : checkSeat(match, req.spectator === true);
  if (noSeat !== null) return { ok: false, error: noSeat };
  const player: MatchPlayer = {
    id: `p${match.players.length + 1}`,
    name: req.name,
    team: req.team,
    trainer: req.trainer === true,
    present: true,
    actions: 0,
    role: match.settings.roles ? (req.role ?? null) : null,
    spectator: req.spectator === true,
    ready: req.bot === true,
    ...(req.bot === true ? { bot: true as const } : {}),
  };
  match.players.push(player);
  return { ok: true, player };
}

/**
 * The player left (their seat is kept for the record and a later return under the same name).
 * Unknown ids are ignored.
 */
export function leave(match: Match, playerId: string): void {
  const player = findPlayer(match, playerId);
  if (player) player.present = false;
}

/**
 * Why `playerId` may not act on `teamId` (default: the player's own team) right now, or null when it
 * may. Checks, in this order: a known player; not a spectator; the match not ended; not in the lobby;
 * not paused; with roles on, the player is `operations` (shared/game/lobby.ts `checkRole`); the player
 * plays for that team (`you play for team blue: you may not act on team red`); that team's cluster not
 * finished.
 * {@link submit} runs exactly this gate first; adapters may run it earlier to keep their own checks
 * (e.g. the wire schema) after it.
 */
export function checkSubmit(match: Match, playerId: string, teamId?: string): string | null {
  const player = findPlayer(match, playerId);
  if (!player) return MATCH_ERRORS.notAPlayer;
  if (player.spectator) return LOBBY_ERRORS.spectatorAct;
  if (match.phase === 'ended') return MATCH_ERRORS.ended;
  if (match.phase === 'lobby') return MATCH_ERRORS.lobby;
  if (match.phase === 'paused') return MATCH_ERRORS.paused;
  const role = checkRole(match, player);
  if (role !== null) return role;
  if (teamId !== undefined && teamId !== player.team) return `you play for team ${player.team}: you may not act on team ${teamId}`;
  const team = findTeam(match, player.team);
  if (!team) return MATCH_ERRORS.notAPlayer;
  if (isFinished(team.sim)) return MATCH_ERRORS.teamFinished;
  return null;
}

/**
 * A player acts on their team's cluster, now (between ticks). After {@link checkSubmit}, the action
 * goes through shared/sim `applyAction` on THAT team's cluster; when accepted it is logged as
 * `{ tick: sim.tick, player: name, action }` (a copy), the team's score inputs grow by one action and
 * `ACTION_COSTS[action.type]` (and its collateral count by one for a healthy Pod deleted or the last
 * schedulable Node drained: shared/game/collateral.ts), and the player's action count by one. Refused or rejected actions change
 * nothing. `action` must already be validated (the room checks it against the protocol's zod schema).
 *
 * @returns the cluster's result (`{ok: true, message, completesAt}`, completesAt in sim seconds) or
 *   `{ok: false, error}` (the gate's text or the cluster's kubectl-like error).
 */
export function submit(match: Match, playerId: string, action: SimAction, teamId?: string): SubmitResult {
  const refused = checkSubmit(match, playerId, teamId);
  if (refused !== null) return { ok: false, error: refused };
  const player = findPlayer(match, playerId)!;
  const team = getTeam(match, player.team);
  const tick = team.sim.tick;
  const healthyPod = deletesHealthyPod(team.sim, action);
  const result = applyAction(team.sim, player.name, action);
  if (!result.ok) return result;
  team.log.push({ tick, player: player.name, action: structuredClone(action) });
  team.score.actions += 1;
  team.score.actionCost += ACTION_COSTS[action.type] ?? 0;
  if (healthyPod || leftNoSchedulableNode(team.sim, action)) team.score.collateral = (team.score.collateral ?? 0) + 1;
  player.actions += 1;
  return result;
}

/**
 * A trainer's control: `pause` (phase `paused`), `resume` (phase `running`), `end` (phase `ended` now:
 * the match is over at this tick, issue 10), or `speed` (permission
 * only: the adapter owns the clock and validates the value). Checks, in this order: a known player; a
 * trainer; the match not ended; in phase `lobby` only `speed` (`MATCH_ERRORS.controlLobby`: the
 * match starts with the lobby's `start`). Pausing a paused match (or resuming a running one) is accepted.
 */
export function control(match: Match, playerId: string, op: ControlOp): ControlResult {
  const player = findPlayer(match, playerId);
  if (!player) return { ok: false, error: MATCH_ERRORS.notAPlayer };
  if (!player.trainer) return { ok: false, error: MATCH_ERRORS.notTrainer };
  if (match.phase === 'ended') return { ok: false, error: MATCH_ERRORS.controlEnded };
  // In the lobby the clock has not started: pause / resume would skip the lobby's start (shared/game/lobby.ts).
  if (match.phase === 'lobby' && op !== 'speed') return { ok: false, error: MATCH_ERRORS.controlLobby };
  switch (op) {
    case 'pause':
      match.phase = 'paused';
      return { ok: true, message: 'paused' };
    case 'resume':
      match.phase = 'running';
      return { ok: true, message: 'resumed' };
    case 'speed':
      return { ok: true, message: '' };
    case 'end':
      // Issue 10: the trainer ends the match now; every team's record ends at this tick.
      match.phase = 'ended';
      return { ok: true, message: 'the trainer ended the match' };
  }
}

/**
 * Pauses a running match without a trainer (the adapter's answer to a {@link TeamStepError}); a
 * trainer may resume it. No effect on a paused or ended match.
 */
export function suspend(match: Match): void {
  if (match.phase === 'running') match.phase = 'paused';
}

/**
 * One tick of the match: every team whose cluster is not finished steps once (`settings.tickSeconds`
 * sim seconds), in team id order: shared/sim `beginTick`, then the team's scheduled incidents now due
 * ({@link startScheduledIncidents}), then `finishTick` (the same order as a bare cluster's `step`), then
 * the team's pager records the page alerts that started firing (shared/game/workflow.ts `recordPages`).
 * When every team's cluster is finished the phase becomes `ended`.
 * A paused match does not move. The room runs the same tick in slices ({@link advanceSlice}); the CLI
 * and replay call this in a loop (`playMatch` in ./replay.ts).
 *
 * @returns true when the match has ended (now or before).
 * @throws TeamStepError when a cluster's step throws; the teams before it in id order have stepped.
 */
export function advance(match: Match): boolean {
  const cursor: TickCursor = { next: 0 };
  return advanceSlice(match, cursor, () => true) === 'ended';
}

/**
 * Where a match tick run in slices stands (issue 12, "Bounded cost per match"): `next` is the index in
 * `match.teams` of the next team to step; 0 = no tick in progress (the match is at a whole tick).
 */
export interface TickCursor {
  /** Index in `match.teams` (team id order) of the next team to step this tick; 0 between ticks. */
  next: number;
}

/**
 * Runs part of one match tick: the teams of {@link advance}'s loop from `cursor.next` on, one team's
 * cluster step at a time, asking `more()` after each step whether to go on (at least one team steps per
 * call). The budget's unit is one team's cluster step (one `beginTick` .. `finishTick`, whatever it
 * costs); `more` is the caller's (the room asks its wall-ms work credit, server/rooms/clock.ts). When `more()` says no before the last team, the tick stays open (`'partial'`, `cursor.next`
 * names the next team) and the next call continues it. Once every team stepped, the tick's end runs as
 * in {@link advance} (red vs blue half time, the match's end) and `cursor.next` is 0 again.
 *
 * Determinism: the teams' clusters do not read each other during a step, so a tick run in slices
 * leaves exactly the state (and `matchHash`) of one {@link advance} call, whatever `more()` answered,
 * as long as nothing else changes the match while the tick is open, or what does is replayed at the same
 * point (server/rooms/MatchRoom.ts runs a player's own-team line between two teams' steps and journals
 * it with `cursor.next`, its slice; server/recovery/rebuild.ts stops the tick there too); `more` may
 * read the wall clock (an adapter's budget) because it only decides where the slices end.
 *
 * Budget units: this function counts none itself. Its unit of work is one team's cluster step (one tick
 * of `settings.tickSeconds` sim seconds, however many Pods it moves); `more()` is the caller's budget,
 * asked between two team steps (never before the first of a call, never after the last team). The
 * room's budget (server/rooms/clock.ts `SimClock`) is work credit in wall-clock milliseconds: it
 * earns `shareOfLoop x elapsed ms` per frame, pays each step's measured wall ms (`spent`, read by the
 * adapter from its monotonic clock; nothing here reads a clock), and `more()` is `mayStep()`, credit > 0 ms. So one call may overrun the credit
 * by at most one team's step.
 *
 * @param more asked after each team step but the tick's last: true to step the next team in this call.
 * @returns `'partial'` (tick open), `'done'` (tick complete or the match does not move: paused, lobby)
 *   or `'ended'` (the match has ended, now or before).
 * @throws TeamStepError when a cluster's step throws; `cursor.next` then names the failed team.
 */
export function advanceSlice(match: Match, cursor: TickCursor, more: () => boolean): 'partial' | 'done' | 'ended' {
  if (match.phase === 'ended') {
    cursor.next = 0;
    return 'ended';
  }
  if (cursor.next === 0 && (match.phase === 'paused' || match.phase === 'lobby')) return 'done';
  while (cursor.next < match.teams.length) {
    const team = match.teams[cursor.next]!;
    if (!isFinished(team.sim)) {
      const tick = team.sim.tick;
      try {
        beginTick(team.sim);
        // Red vs blue: the scenario's schedule does not start; the attacks are the incidents.
        if (match.settings.mode !== 'redblue') startScheduledIncidents(team);
        finishTick(team.sim);
        recordPages(team);
      } catch (err) {
        throw new TeamStepError(team.id, tick, err);
      }
      cursor.next++;
      if (cursor.next < match.teams.length && !more()) return 'partial';
    } else {
      cursor.next++;
    }
  }
  cursor.next = 0;
  if ((match.chaos ?? null) !== null) chaosAfterTick(match); // half time: the sides swap
  if (match.teams.every((team) => isFinished(team.sim))) match.phase = 'ended';
  return match.phase === 'ended' ? 'ended' : 'done';
}

/**
 * The match's incident schedule at the start of a tick (after `beginTick`): every spec of
 * `team.schedule` whose `at` (sim seconds) has come and that has not started in the team's cluster
 * yet, in (at, schedule position) order, is injected (shared/sim `injectIncident`, an invalid one
 * recorded as `IncidentInvalid`; one whose module asks to retry stays due for the next tick).
 * O(due specs x incidents).
 */
export function startScheduledIncidents(team: TeamState): void {
  const sim = team.sim;
  const due: { spec: IncidentSpec; i: number }[] = [];
  team.schedule.forEach((spec, i) => {
    if (spec.at > sim.t) return;
    const entry = sim.incidents.find((inc) => inc.spec.id === spec.id);
    if (entry === undefined || entry.status === 'scheduled') due.push({ spec, i });
  });
  due.sort((a, b) => a.spec.at - b.spec.at || a.i - b.i);
  for (const { spec } of due) injectIncident(sim, spec, { recordInvalid: true });
}

/** The id a runtime injection gets when the trainer names none: `injected-N`, the first N free. */
function freeIncidentId(team: TeamState): string {
  for (let n = team.injections.length + 1; ; n++) {
    const id = `injected-${n}`;
    if (!incidentIdUsed(team, id)) return id;
  }
}

function incidentIdUsed(team: TeamState, id: string): boolean {
  return team.schedule.some((s) => s.id === id) || team.sim.incidents.some((i) => i.spec.id === id);
}

/**
 * A trainer injects an incident into team `teamId`'s cluster now (between ticks, like an action):
 * through shared/sim `injectIncident` (target resolved, params parsed with the kind's defaults, the
 * usual `IncidentStarted` notice and bookkeeping; the score treats it like a scheduled one). Accepted
 * injections are logged in `team.injections` with the tick, the trainer's name and the log position
 * (replay reproduces them). Allowed while paused. Checks, in this order: a known player; a trainer
 * (red-team injection comes with teams playing against each other); the match not ended; the team
 * exists; its cluster not finished; the id not used in that team (schedule or cluster); then the
 * cluster's answer (`deployment x not found`, `params.errorRate: ...`, unknown kind...), which
 * changes nothing when it refuses. `req` must already be validated for shape (the room's zod schema).
 *
 * @returns `{ok: true, message, incident}` (the id it got) or `{ok: false, error}`.
 */
export function inject(match: Match, playerId: string, teamId: string, req: InjectRequest): InjectResult {
  const player = findPlayer(match, playerId);
  if (!player) return { ok: false, error: MATCH_ERRORS.notAPlayer };
  if (!player.trainer) return { ok: false, error: MATCH_ERRORS.notTrainerInject };
  if (match.phase === 'ended') return { ok: false, error: MATCH_ERRORS.controlEnded };
  const team = findTeam(match, teamId);
  if (!team) return { ok: false, error: `team "${teamId}" is not in this match (teams: ${match.teams.map((t) => t.id).join(', ')})` };
  if (isFinished(team.sim)) return { ok: false, error: `team ${teamId}'s match is over: no more incidents` };
  const id = req.id ?? freeIncidentId(team);
  if (incidentIdUsed(team, id)) return { ok: false, error: `incident id "${id}" is already used in team ${teamId}` };
  const spec: IncidentSpec = { id, type: req.type, at: team.sim.t, target: req.target, params: structuredClone(req.params ?? {}) };
  if (req.title !== undefined) spec.title = req.title;
  const result = injectIncident(team.sim, spec);
  if (!result.ok) {
    return { ok: false, error: result.retry ? `${req.type} cannot start now (${result.error}): try again later` : `cannot inject ${req.type}: ${result.error}` };
  }
  team.injections.push({ tick: team.sim.tick, player: player.name, logIndex: team.log.length, spec: structuredClone(spec) });
  return { ok: true, message: `incident ${id} (${req.type}) started on team ${teamId} at t=${team.sim.t}s`, incident: id };
}

/** True once every team's cluster finished (phase `ended`). */
export function isMatchEnded(match: Match): boolean {
  return match.phase === 'ended';
}

/**
 * One team's score so far and its breakdown (shared/game/score.ts `computeScore` over the team's
 * cluster, log and score inputs). @throws Error for an unknown team.
 */
export function teamScore(match: Match, teamId: string): { score: number; breakdown: Record<string, number> } {
  return computeScore(getTeam(match, teamId));
}
