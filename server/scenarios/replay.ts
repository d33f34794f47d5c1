/**
 * Re-simulating a stored match (the record `GET /api/matches/:id` returns): `gameday replay` and
 * `GET /api/matches/:id/postmortem` both run {@link replayRecord}. Scenario + seed + settings + the
 * attributed action log + runtime injections go through shared/game `replayMatch` (the loop the room
 * and `gameday sim` run); the result holds the replayed state hash beside the stored one.
 *
 * May import: shared/game, ./index.ts (scenarios), zod.
 */
import { z } from 'zod';
import { postmortemMarkdown, replayMatch, teamSummary, TimelineRecorder, TEAM_IDS } from '../../shared/game/index.ts';
import { resolveSimInput } from './index.ts';

/** A stored match that can't be replayed (its scenario changed, its log doesn't apply). */
export class ReplayError extends Error {
  override name = 'ReplayError';
}

/** What a stored match must hold to be replayed (the `GET /api/matches/:id` body; extra keys ignored). */
export const ReplayRecord = z.object({
  id: z.string().min(1),
  scenarioId: z.string().min(1),
  seed: z.number().int().nonnegative(),
  settings: z.object({ tickSeconds: z.number().positive(), durationSeconds: z.number().nonnegative(), timeDilation: z.number().positive() }),
  actions: z.array(z.object({ tick: z.number().int().nonnegative(), player: z.string().min(1), action: z.unknown() })),
  injections: z.array(z.object({ tick: z.number().int().nonnegative(), player: z.string().min(1), logIndex: z.number().int().nonnegative(), spec: z.unknown() })).default([]),
  summary: z.looseObject({ stateHash: z.string().min(1), score: z.number() }),
  players: z.array(z.object({ name: z.string(), team: z.string() })).default([]),
});
export type ReplayRecord = z.infer<typeof ReplayRecord>;

/** The result `--json` prints. Hashes: 16 hex digits (shared/sim `stateHash`). */
export interface ReplayResult {
  matchId: string;
  scenarioId: string;
  seed: number;
  /** The team whose log was replayed (archived records hold one team each). */
  team: string;
  /** Ticks re-simulated. */
  ticks: number;
  stateHash: string;
  storedStateHash: string;
  /** `stateHash === storedStateHash`. */
  matches: boolean;
  score: number;
  storedScore: number;
  /** The team's postmortem (Markdown), when asked for. Not printed by `--json`. */
  postmortem?: string;
}

/**
 * The team an archived record belongs to: the id's `-<team>` suffix (multi-team matches archive one
 * record per team, `MATCH-red`), else the players' team when they agree, else the default team.
 */
function recordTeam(r: ReplayRecord): string {
  for (const team of TEAM_IDS) if (r.id.endsWith(`-${team}`)) return team;
  const teams = new Set(r.players.map((p) => p.team));
  if (teams.size === 1) return [...teams][0]!;
  return TEAM_IDS[0];
}

/**
 * Re-simulates `record`; with `postmortem`, also writes the team's postmortem (Markdown).
 * @throws ReplayError when its log doesn't replay; ScenarioError when its scenario can't be loaded.
 */
export function replayRecord(record: ReplayRecord, opts: { postmortem?: boolean; scenarioTitle?: string } = {}): ReplayResult {
  const { input, title } = resolveSimInput({ scenario: record.scenarioId, seed: record.seed, durationSeconds: record.settings.durationSeconds });
  if (input.settings.tickSeconds !== record.settings.tickSeconds) {
    throw new ReplayError(`match ${record.id} ran with ${record.settings.tickSeconds} s ticks but scenario ${record.scenarioId} now has ${input.settings.tickSeconds} s ticks`);
  }
  const team = recordTeam(record);
  let ticks = 0;
  let match;
  const recorder = opts.postmortem ? new TimelineRecorder(team) : null;
  try {
    match = replayMatch(input, [team], [{ team, log: record.actions as never, injections: record.injections as never }], {
      onTick: (m) => {
        ticks++;
        recorder?.observe(m);
      },
    });
  } catch (e) {
    throw new ReplayError(`match ${record.id} does not replay: ${(e as Error).message}`);
  }
  const summary = teamSummary(match, team);
  return {
    matchId: record.id,
    scenarioId: record.scenarioId,
    seed: record.seed,
    team,
    ticks,
    stateHash: summary.stateHash,
    storedStateHash: record.summary.stateHash,
    matches: summary.stateHash === record.summary.stateHash,
    score: summary.score,
    storedScore: record.summary.score,
    ...(recorder
      ? {
          postmortem: postmortemMarkdown(match, team, recorder.entries(match), {
            matchId: record.id,
            scenarioTitle: opts.scenarioTitle ?? title,
            players: record.players.map((p) => p.name).sort(),
          }),
        }
      : {}),
  };
}


/** What {@link postmortemInWorker} resolves to. */
export type PostmortemResult = { ok: true; markdown: string; matches: boolean } | { ok: false; error: string };

/**
 * Writes the postmortem of `record` (a {@link ReplayRecord}, e.g. what `getMatch` returns: validated in
 * the worker) by re-simulating it in a worker thread (./replay-worker.ts).
 * Resolves, never rejects: a failure comes back as `{ ok: false, error }`.
 */
export async function postmortemInWorker(record: unknown): Promise<PostmortemResult> {
  const { Worker } = await import('node:worker_threads');
  return new Promise((resolve) => {
    const worker = new Worker(new URL('./replay-worker.ts', import.meta.url), { workerData: { record: JSON.parse(JSON.stringify(record)) as unknown } });
    let settled = false;
    const done = (r: PostmortemResult): void => {
      if (settled) return;
      settled = true;
      resolve(r);
      void worker.terminate();
    };
    worker.once('message', (m: PostmortemResult) => done(m));
    worker.once('error', (e) => done({ ok: false, error: e.message }));
    worker.once('exit', (code) => done({ ok: false, error: `replay worker exited with code ${code}` }));
  });
}
