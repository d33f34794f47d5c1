/**
 * One team's side of a match: its simulated cluster, its Schema projection, its replay log. The room
 * keeps these in a `Map<teamId, Team>` so a team race is more entries, not a redesign.
 *
 * May import shared/sim types and ./schema.ts, ./results.ts.
 */
import type { LoggedAction, MatchSummary, SimState } from '../../shared/sim/types.ts';
import { TeamSchema } from './schema.ts';
import type { TeamResult } from './results.ts';

/** A team in a running match. */
export interface Team {
  id: string;
  /** The team's cluster (authoritative; mutated only by the room's ticks and accepted actions). */
  sim: SimState;
  /** Its projection in the room state (`state.teams.get(id)`). */
  schema: TeamSchema;
  /** Accepted actions in application order, each with the tick it preceded. */
  log: LoggedAction[];
  /** The sim changed since the last projection. */
  dirty: boolean;
}

/** A team with a fresh projection (`schema.id` set) and an empty log. */
export function createTeam(id: string, sim: SimState): Team {
  const schema = new TeamSchema();
  schema.id = id;
  return { id, sim, schema, log: [], dirty: true };
}

/** What {@link teamResult} needs besides the team. */
export interface TeamResultInput {
  team: Team;
  id: string;
  summary: MatchSummary;
  /** Sim seconds per real second at the end. */
  timeDilation: number;
  startedAt: Date;
  endedAt: Date;
  players: { name: string; actions: number }[];
}

/** The team's end-of-match result, ready for {@link import('./results.ts').toMatchRecord}. */
export function teamResult(r: TeamResultInput): TeamResult {
  return {
    id: r.id,
    team: r.team.id,
    scenarioId: r.team.sim.scenarioId,
    settings: r.team.sim.settings,
    timeDilation: r.timeDilation,
    actions: r.team.log,
    summary: r.summary,
    startedAt: r.startedAt,
    endedAt: r.endedAt,
    players: r.players.map((p) => ({ name: p.name, actions: p.actions })),
  };
}
