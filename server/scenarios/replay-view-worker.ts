/**
 * Worker thread of the replay viewer (server/http/replay.ts, {@link ReplayViewer}): keeps up to
 * {@link PREPARED_LRU} re-simulated matches ({@link prepareReplay}: curves plus a snapshot every
 * 60 sim s) and answers, off the main thread so rooms keep their tick:
 * - `{ id, kind: 'timeline', record }` -> `{ id, ok: true, timeline }`;
 * - `{ id, kind: 'frame', record, t }` -> `{ id, ok: true, frame }`: the team at sim second `t`, projected
 *   by server/rooms/projection.ts `projectTeam` into the room's Schema and sent as its JSON;
 * or `{ id, ok: false, error }` (a record that doesn't validate or replay).
 *
 * May import: ./replay.ts, server/rooms/projection.ts and schema.ts (the live projection), shared/game.
 */
import { parentPort } from 'node:worker_threads';
import { getTeam, scoreOf, teamSummary } from '../../shared/game/index.ts';
import { projectTeam, teamDetailOf } from '../rooms/projection.ts';
import { TeamSchema } from '../rooms/schema.ts';
import { prepareReplay, ReplayRecord, type PreparedReplay, type ReplayFrame } from './replay.ts';

/** Re-simulated matches kept (least recently used dropped first); each holds one snapshot per 60 sim s. */
export const PREPARED_LRU = 6;

const prepared = new Map<string, PreparedReplay>();

function preparedOf(record: ReplayRecord): PreparedReplay {
  let p = prepared.get(record.id);
  if (p) {
    prepared.delete(record.id);
  } else {
    p = prepareReplay(record);
    if (prepared.size >= PREPARED_LRU) prepared.delete(prepared.keys().next().value!);
  }
  prepared.set(record.id, p);
  return p;
}

function frameOf(p: PreparedReplay, t: number): ReplayFrame {
  const { team, durationSeconds, matchId, scenarioId, scenarioTitle } = p.timeline;
  const match = p.matchAt(t);
  const state = getTeam(match, team);
  const schema = new TeamSchema();
  schema.id = team;
  projectTeam(schema, state.sim, { score: scoreOf(state), phase: 'ended', workflow: state.workflow, actions: state.log });
  return {
    matchId,
    team,
    t: state.sim.t,
    stateHash: teamSummary(match, team).stateHash,
    state: {
      matchId,
      scenarioId,
      scenarioTitle,
      phase: 'ended',
      t: state.sim.t,
      durationSeconds,
      teams: { [team]: schema.toJSON() },
      teamDetail: { [team]: teamDetailOf(schema).toJSON() },
    },
  };
}

type Request = { id: number; kind: 'timeline'; record: unknown } | { id: number; kind: 'frame'; record: unknown; t: number };

parentPort!.on('message', (req: Request) => {
  try {
    const parsed = ReplayRecord.safeParse(req.record);
    if (!parsed.success) {
      parentPort!.postMessage({ id: req.id, ok: false, error: `not a stored match: ${parsed.error.issues[0]?.message ?? 'invalid'}` });
      return;
    }
    const p = preparedOf(parsed.data);
    if (req.kind === 'timeline') parentPort!.postMessage({ id: req.id, ok: true, timeline: p.timeline });
    else parentPort!.postMessage({ id: req.id, ok: true, frame: frameOf(p, req.t) });
  } catch (e) {
    parentPort!.postMessage({ id: req.id, ok: false, error: (e as Error).message });
  }
});
