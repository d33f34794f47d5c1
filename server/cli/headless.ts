/**
 * The headless match of `gameday sim`: a one-team shared/game {@link Match} driven by `playMatch`
 * (shared/game/replay.ts), the same loop replay uses: before each tick, the planned actions due at
 * that tick are submitted (kubectl `command` lines resolved against the team's cluster *at* their
 * tick), then `advance`. It follows the replay rule of {@link LoggedAction}: an action logged at tick k
 * is applied while `sim.tick === k`, just before step k + 1.
 */
import { DEFAULT_TEAM_ID, createMatch, getTeam, join, playMatch, playerByName, submit, type Match } from '../../shared/game/index.ts';
import { runKubectl } from '../../shared/kubectl/index.ts';
import type { LoggedAction, SimAction, SimEvent, SimInput, SimState } from '../../shared/sim/types.ts';
import type { PlannedAction } from './actions-file.ts';

/** What {@link runHeadless} returns. */
export interface HeadlessResult {
  /** The one-team match after the last tick (`teamSummary(match, DEFAULT_TEAM_ID)` is the CLI's summary). */
  match: Match;
  /** The team's cluster after the last tick. */
  state: SimState;
  /** Actions the match accepted, as a replay log (tick, player, structured action). */
  log: LoggedAction[];
  /** Rejected actions, unparsable commands, actions after the end, dropped events. */
  warnings: string[];
}

/** Options of {@link runHeadless}. */
export interface HeadlessOptions {
  /**
   * Called with the events recorded since the previous call, in `seq` order: once after creation and
   * once after every tick. Together the calls deliver the whole event stream, although the state keeps
   * only the last `eventLimit` events.
   */
  onEvents?: (events: SimEvent[]) => void;
}

/** Number of ticks a match lasts: ceil(durationSeconds / tickSeconds) (both from `input.settings`). */
export function matchTicks(input: SimInput): number {
  return Math.ceil(input.settings.durationSeconds / input.settings.tickSeconds);
}

/** The tick at which an action planned at sim second `t` is applied: the first tick boundary >= t. */
export function tickAt(t: number, tickSeconds: number): number {
  return Math.ceil(t / tickSeconds);
}

/**
 * Runs a whole match headless with planned actions (sim seconds converted to ticks), one team
 * ({@link DEFAULT_TEAM_ID}); each planned `player` name joins that team on first use.
 * Deterministic: the same input and plan give the same state hash.
 */
export function runHeadless(input: SimInput, plan: PlannedAction[], opts: HeadlessOptions = {}): HeadlessResult {
  const match = createMatch({ input, teams: [DEFAULT_TEAM_ID] });
  const team = getTeam(match, DEFAULT_TEAM_ID);
  const ticks = matchTicks(input);
  const warnings: string[] = [];
  const due = plan
    .map((p, order) => ({ p, order, tick: tickAt(p.t, input.settings.tickSeconds) }))
    .sort((a, b) => a.tick - b.tick || a.order - b.order);
  for (const late of due.filter((d) => d.tick >= ticks)) {
    warnings.push(`${late.p.where}: t=${late.p.t} is at or after the end of the match (${input.settings.durationSeconds} s): not applied`);
  }
  let next = 0;
  let lastSeq = emitEvents(team.sim, -1, warnings, opts.onEvents);
  playMatch(match, {
    ticks,
    beforeTick: () => {
      while (next < due.length && due[next]!.tick <= team.sim.tick) {
        applyPlanned(match, team.sim, due[next]!.p, warnings);
        next++;
      }
    },
    afterTick: () => {
      lastSeq = emitEvents(team.sim, lastSeq, warnings, opts.onEvents);
    },
  });
  return { match, state: team.sim, log: team.log, warnings };
}

/** Submits one planned action at the current tick, resolving kubectl commands against the team's cluster. */
function applyPlanned(match: Match, sim: SimState, p: PlannedAction, warnings: string[]): void {
  let action: SimAction | undefined = p.action;
  if (p.command !== undefined) {
    const res = runKubectl(sim, p.command);
    if (res.kind === 'error') {
      warnings.push(`${p.where}: t=${p.t}: ${res.error}`);
      return;
    }
    if (res.kind === 'output') return; // a read-only command (get, describe...): nothing to apply
    action = res.action;
  }
  if (!action) return;
  const seat = playerByName(match, p.player) ?? seatPlayer(match, p.player);
  const result = submit(match, seat.id, action);
  if (!result.ok) warnings.push(`${p.where}: t=${p.t}: rejected: ${result.error}`);
}

/** Seats a planned action's player on the match's one team. */
function seatPlayer(match: Match, name: string) {
  const seat = join(match, { name, team: DEFAULT_TEAM_ID });
  if (!seat.ok) throw new Error(seat.error); // cannot happen: one team, names looked up first
  return seat.player;
}

/** Hands the events newer than `lastSeq` to `onEvents`; returns the newest seq seen. Seqs start at 0. */
function emitEvents(state: SimState, lastSeq: number, warnings: string[], onEvents?: (events: SimEvent[]) => void): number {
  if (!onEvents) return lastSeq;
  const fresh = state.events.filter((e) => e.seq > lastSeq);
  if (fresh.length === 0) return lastSeq;
  const first = fresh[0]!.seq;
  if (first > lastSeq + 1) {
    warnings.push(`${first - lastSeq - 1} events of tick ${state.tick} exceeded eventLimit (${state.eventLimit}) and are missing from the stream`);
  }
  onEvents(fresh);
  return fresh[fresh.length - 1]!.seq;
}
