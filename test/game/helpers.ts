/**
 * Helpers for tests that drive a shared/game Match: seat players on first use, type console lines the
 * way the room does (kubectl on the team's cluster, then `submit`), step ticks. Not a test file.
 */
import { runKubectl } from '../../shared/kubectl/index.ts';
import { DEFAULT_TEAM_ID, advance, createMatch, getTeam, join, playerByName, submit, type Match, type SubmitResult } from '../../shared/game/index.ts';
import type { SimAction, SimInput, SimState } from '../../shared/sim/types.ts';

/** A one-team match ({@link DEFAULT_TEAM_ID}) of `input`, or one with `teams`. */
export function matchOf(input: SimInput, teams: readonly string[] = [DEFAULT_TEAM_ID]): Match {
  return createMatch({ input, teams });
}

/** The cluster of `team` (default: the one team of a one-team match). */
export function simOf(match: Match, team = DEFAULT_TEAM_ID): SimState {
  return getTeam(match, team).sim;
}

/** The id of player `name`, seated on `team` first if new. @throws when the seat is refused. */
export function seat(match: Match, name: string, team = DEFAULT_TEAM_ID, trainer = false): string {
  const known = playerByName(match, name);
  if (known) return known.id;
  const r = join(match, { name, team, trainer });
  if (!r.ok) throw new Error(r.error);
  return r.player.id;
}

/** `name` (seated on `team` if new) submits `action`. */
export function act(match: Match, name: string, action: SimAction, team = DEFAULT_TEAM_ID): SubmitResult {
  return submit(match, seat(match, name, team), action);
}

/**
 * Types a console line as `player` of `team` would in the room: read commands return their text;
 * write commands are submitted and return the match's message (or error).
 */
export function typeInto(match: Match, line: string, player = 'alice', team = DEFAULT_TEAM_ID): string {
  const r = runKubectl(simOf(match, team), line);
  if (r.kind === 'output') return r.output;
  if (r.kind === 'error') return r.error;
  const res = act(match, player, r.action, team);
  return res.ok ? res.message : res.error;
}

/** Advances the match `n` ticks (fewer if it ends). */
export function advanceN(match: Match, n: number): void {
  for (let i = 0; i < n; i++) if (advance(match)) return;
}
