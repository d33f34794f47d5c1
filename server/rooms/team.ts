/**
 * The room's side of one team: its Schema projection and whether it needs re-projecting. The team
 * itself (cluster, action log, score inputs) lives in the shared/game {@link Match}; the room keeps
 * these views in a `Map<teamId, RoomTeam>` so a team race is more entries, not a redesign.
 *
 * May import shared/game and shared/sim types and ./schema.ts, ./results.ts.
 */
import type { MatchMode, MatchPlayer, TeamState } from '../../shared/game/index.ts';
import type { MatchSummary } from '../../shared/sim/types.ts';
import { TeamSchema } from './schema.ts';
import type { TeamResult } from './results.ts';

/** A team's projection in a running room. */
export interface RoomTeam {
  id: string;
  /** Its projection in the room state (`state.teams.get(id)`). */
  schema: TeamSchema;
  /** The team's cluster or score changed since the last projection. */
  dirty: boolean;
}

/** A team view with a fresh projection (`schema.id` set), to be projected before the first patch. */
export function createRoomTeam(id: string): RoomTeam {
  const schema = new TeamSchema();
  schema.id = id;
  // No follow-ups list until the planning role files one (projection.ts `projectWorkflow`): an empty
  // one costs every join snapshot its bytes.
  (schema as { followups: TeamSchema['followups'] | undefined }).followups = undefined;
  return { id, schema, dirty: true };
}

/** What {@link teamResult} needs. */
export interface TeamResultInput {
  /** The game's team (its cluster's settings and its log go into the record). */
  team: TeamState;
  /** Archive id of the record. */
  id: string;
  summary: MatchSummary;
  /** Sim seconds per real second at the end. */
  timeDilation: number;
  startedAt: Date;
  endedAt: Date;
  /** Everyone who played for the team, in join order. */
  players: readonly Pick<MatchPlayer, 'name' | 'actions'>[];
  /** The match's mode (default: not red vs blue). */
  mode?: MatchMode;
  /** Issue 10: the workshop (see TeamResult). */
  workshopId?: string;
  /** Issue 10: the shared/game match id (see TeamResult). */
  matchGroup?: string;
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
    injections: r.team.injections,
    workflow: structuredClone(r.team.workflow),
    summary: r.summary,
    startedAt: r.startedAt,
    endedAt: r.endedAt,
    players: r.players.map((p) => ({ name: p.name, actions: p.actions })),
    ...(r.mode !== undefined ? { mode: r.mode } : {}),
    ...(r.workshopId !== undefined ? { workshopId: r.workshopId } : {}),
    ...(r.matchGroup !== undefined ? { matchGroup: r.matchGroup } : {}),
  };
}
