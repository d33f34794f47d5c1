/**
 * The headless match loop of `gameday sim`: create the sim, then for every tick apply the actions due
 * at that tick and step. This is the ONE place the CLI applies "this tick's actions, then step"; it
 * follows the replay rule of {@link LoggedAction} (an action logged at tick k is applied while
 * `state.tick === k`, just before step k + 1), the same rule `runMatch` in shared/sim uses for stored
 * logs. It exists beside `runMatch` because kubectl `command` lines must be resolved with the state *at*
 * their tick.
 */
import { applyAction, createSim, step } from '../../shared/sim/index.ts';
import { runKubectl } from '../../shared/kubectl/index.ts';
import type { LoggedAction, SimAction, SimEvent, SimInput, SimState } from '../../shared/sim/types.ts';
import type { PlannedAction } from './actions-file.ts';

/** What {@link runHeadless} returns. */
export interface HeadlessResult {
  /** The state after the last tick. */
  state: SimState;
  /** Actions the sim accepted, as a replay log (tick, player, structured action). */
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
 * Runs a whole match headless with planned actions (sim seconds converted to ticks).
 * Deterministic: the same input and plan give the same state hash.
 */
export function runHeadless(input: SimInput, plan: PlannedAction[], opts: HeadlessOptions = {}): HeadlessResult {
  const state = createSim(input);
  const ticks = matchTicks(input);
  const warnings: string[] = [];
  const log: LoggedAction[] = [];
  const due = plan
    .map((p, order) => ({ p, order, tick: tickAt(p.t, input.settings.tickSeconds) }))
    .sort((a, b) => a.tick - b.tick || a.order - b.order);
  for (const late of due.filter((d) => d.tick >= ticks)) {
    warnings.push(`${late.p.where}: t=${late.p.t} is at or after the end of the match (${input.settings.durationSeconds} s): not applied`);
  }
  let next = 0;
  let lastSeq = emitEvents(state, -1, warnings, opts.onEvents);
  for (let tick = 0; tick < ticks; tick++) {
    while (next < due.length && due[next]!.tick <= state.tick) {
      applyPlanned(state, due[next]!.p, log, warnings);
      next++;
    }
    step(state);
    lastSeq = emitEvents(state, lastSeq, warnings, opts.onEvents);
  }
  return { state, log, warnings };
}

/** Applies one planned action at the current tick, resolving kubectl commands against the state. */
function applyPlanned(state: SimState, p: PlannedAction, log: LoggedAction[], warnings: string[]): void {
  let action: SimAction | undefined = p.action;
  if (p.command !== undefined) {
    const res = runKubectl(state, p.command);
    if (res.kind === 'error') {
      warnings.push(`${p.where}: t=${p.t}: ${res.error}`);
      return;
    }
    if (res.kind === 'output') return; // a read-only command (get, describe...): nothing to apply
    action = res.action;
  }
  if (!action) return;
  const result = applyAction(state, p.player, action);
  if (result.ok) log.push({ tick: state.tick, player: p.player, action });
  else warnings.push(`${p.where}: t=${p.t}: rejected: ${result.error}`);
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
