/**
 * `gameday replay FILE.json|MATCH_ID [--json]`: re-simulates a stored match and checks it ends where the
 * live match ended (issue 9, "Replays and debriefs").
 *
 * Input: the JSON of `GET /api/matches/:id` saved to a file, or a match id looked up in the archive
 * (`DATABASE_URL`, else the embedded PGlite under `DATA_DIR`, as the server uses them). The replay runs
 * scenario + seed + settings + the attributed action log + runtime injections through shared/game
 * `replayMatch` (the same loop the room and `gameday sim` run) and compares the final state hash with
 * the stored summary's. Exit codes: 0 equal, 1 different (or the record is unreadable), 2 usage.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { replayMatch, teamSummary, TEAM_IDS } from '../../shared/game/index.ts';
import { resolveSimInput } from '../scenarios/index.ts';
import { CliError, UsageError } from './errors.ts';

/** `gameday replay --help` text. */
export const REPLAY_USAGE = `Usage: gameday replay FILE.json|MATCH_ID [--json]

Re-simulates a stored match (scenario, seed, settings, the attributed action log and runtime injections)
and compares its final state hash with the stored one. FILE.json is the JSON of GET /api/matches/:id;
MATCH_ID is looked up in the archive (DATABASE_URL, else the embedded PGlite in DATA_DIR, default ./data).
  --json   print {matchId, scenarioId, seed, team, ticks, stateHash, storedStateHash, matches, score, storedScore}
Exit codes: 0 the hashes are equal, 1 they differ or the match can't be read, 2 usage error.`;

/** What a stored match must hold to be replayed (the `GET /api/matches/:id` body; extra keys ignored). */
const ReplayRecord = z.object({
  id: z.string().min(1),
  scenarioId: z.string().min(1),
  seed: z.number().int().nonnegative(),
  settings: z.object({ tickSeconds: z.number().positive(), durationSeconds: z.number().nonnegative(), timeDilation: z.number().positive() }),
  actions: z.array(z.object({ tick: z.number().int().nonnegative(), player: z.string().min(1), action: z.unknown() })),
  injections: z.array(z.object({ tick: z.number().int().nonnegative(), player: z.string().min(1), logIndex: z.number().int().nonnegative(), spec: z.unknown() })).default([]),
  summary: z.looseObject({ stateHash: z.string().min(1), score: z.number() }),
  players: z.array(z.object({ name: z.string(), team: z.string() })).default([]),
});
type ReplayRecord = z.infer<typeof ReplayRecord>;

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

/** Re-simulates `record`. @throws CliError when its scenario can't be loaded or its log doesn't replay. */
export function replayRecord(record: ReplayRecord): ReplayResult {
  const { input } = resolveSimInput({ scenario: record.scenarioId, seed: record.seed, durationSeconds: record.settings.durationSeconds });
  if (input.settings.tickSeconds !== record.settings.tickSeconds) {
    throw new CliError(`match ${record.id} ran with ${record.settings.tickSeconds} s ticks but scenario ${record.scenarioId} now has ${input.settings.tickSeconds} s ticks`);
  }
  const team = recordTeam(record);
  let ticks = 0;
  let match;
  try {
    match = replayMatch(input, [team], [{ team, log: record.actions as never, injections: record.injections as never }], { onTick: () => void ticks++ });
  } catch (e) {
    throw new CliError(`match ${record.id} does not replay: ${(e as Error).message}`);
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
  };
}

function parseRecord(raw: unknown, source: string): ReplayRecord {
  const parsed = ReplayRecord.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`).join('; ');
    throw new CliError(`${source} is not a stored match (the JSON of GET /api/matches/:id): ${issues}`);
  }
  return parsed.data;
}

async function readFromArchive(id: string): Promise<ReplayRecord> {
  // Loaded lazily: replaying a file needs no database.
  const [{ loadConfig }, { openDatabase }, { getMatch }] = await Promise.all([import('../config.ts'), import('../db/index.ts'), import('../db/repository.ts')]);
  const config = loadConfig();
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: `${config.dataDir}/pglite` });
  try {
    const record = await getMatch(database, id);
    if (!record) throw new CliError(`match ${id} not found in the archive (${database.kind})`);
    return parseRecord(JSON.parse(JSON.stringify(record)), `match ${id}`);
  } finally {
    await database.close();
  }
}

/** Runs `gameday replay ARGS`; resolves to the exit code. @throws UsageError, CliError. */
export async function replayCommand(args: string[], out: (text: string) => void): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } },
  });
  if (values.help) {
    out(REPLAY_USAGE);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('replay takes one FILE.json or MATCH_ID');
  const target = positionals[0]!;
  let record: ReplayRecord;
  if (existsSync(target)) {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(target, 'utf8'));
    } catch (e) {
      throw new CliError(`${target}: not JSON (${(e as Error).message})`);
    }
    record = parseRecord(raw, target);
  } else if (target.endsWith('.json')) {
    throw new CliError(`${target}: no such file`);
  } else {
    record = await readFromArchive(target);
  }
  const result = replayRecord(record);
  if (values.json) out(JSON.stringify(result, null, 2));
  else {
    out(`match ${result.matchId} (${result.scenarioId}, seed ${result.seed}, team ${result.team}): ${result.ticks} ticks re-simulated`);
    out(`state hash ${result.stateHash} ${result.matches ? '==' : '!='} stored ${result.storedStateHash}; score ${result.score} (stored ${result.storedScore})`);
    out(result.matches ? 'replay matches the live match' : 'REPLAY DIFFERS from the live match');
  }
  return result.matches ? 0 : 1;
}
