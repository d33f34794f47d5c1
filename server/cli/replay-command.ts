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
import { ReplayError, ReplayRecord, replayRecord } from '../scenarios/replay.ts';
import { CliError, UsageError } from './errors.ts';

/** `gameday replay --help` text. */
export const REPLAY_USAGE = `Usage: gameday replay FILE.json|MATCH_ID [--json] [--postmortem]

Re-simulates a stored match (scenario, seed, settings, the attributed action log and runtime injections)
and compares its final state hash with the stored one. FILE.json is the JSON of GET /api/matches/:id;
MATCH_ID is looked up in the archive (DATABASE_URL, else the embedded PGlite in DATA_DIR, default ./data).
  --json         print {matchId, scenarioId, seed, team, ticks, stateHash, storedStateHash, matches, score, storedScore}
  --postmortem   print the team's blameless postmortem (Markdown) instead (exit code as above)
Exit codes: 0 the hashes are equal, 1 they differ or the match can't be read, 2 usage error.`;

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
    options: {
      json: { type: 'boolean', default: false },
      postmortem: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
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
  if (values.json && values.postmortem) throw new UsageError('--json and --postmortem exclude each other');
  let result;
  try {
    result = replayRecord(record, { postmortem: values.postmortem });
  } catch (e) {
    if (e instanceof ReplayError) throw new CliError(e.message);
    throw e;
  }
  if (result.postmortem !== undefined) out(result.postmortem);
  else if (values.json) out(JSON.stringify(result, null, 2));
  else {
    out(`match ${result.matchId} (${result.scenarioId}, seed ${result.seed}, team ${result.team}): ${result.ticks} ticks re-simulated`);
    out(`state hash ${result.stateHash} ${result.matches ? '==' : '!='} stored ${result.storedStateHash}; score ${result.score} (stored ${result.storedScore})`);
    out(result.matches ? 'replay matches the live match' : 'REPLAY DIFFERS from the live match');
  }
  return result.matches ? 0 : 1;
}
