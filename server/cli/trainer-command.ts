/**
 * `gameday trainer grant|revoke USERNAME`: set or clear a registered account's trainer flag (issue 10)
 * in the database the server uses (`DATABASE_URL`, else the embedded PGlite under `DATA_DIR`). With
 * PGlite, run it while the server is stopped (PGlite is one process' database). `TRAINER_USERS` is
 * the alternative that needs no database write.
 */
import { CliError, UsageError } from './errors.ts';

export const TRAINER_USAGE = `Usage: gameday trainer grant|revoke USERNAME

Give (grant) or take back (revoke) trainer rights of a registered account: trainers may pause,
resume and change the speed of matches and inject incidents. The account must exist (register it in
the browser or with POST /api/session/register). Uses DATABASE_URL, else the embedded PGlite in
DATA_DIR (default ./data; stop the server first). Env TRAINER_USERS=alice,bob also grants, without a
database write.`;

/** Runs `trainer`; resolves to the exit code. @throws UsageError, CliError (unknown account). */
export async function trainerCommand(args: string[], out: (line: string) => void): Promise<number> {
  const [op, username, ...extra] = args;
  if ((op !== 'grant' && op !== 'revoke') || username === undefined || extra.length > 0) {
    throw new UsageError('expected: trainer grant|revoke USERNAME');
  }
  const [{ loadConfig }, { openDatabase }, { setTrainer, nameKey }] = await Promise.all([import('../config.ts'), import('../db/index.ts'), import('../db/accounts.ts')]);
  const config = loadConfig();
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: `${config.dataDir}/pglite` });
  try {
    const found = await setTrainer(database, username, op === 'grant');
    if (!found) throw new CliError(`no account named "${nameKey(username)}": register it first`);
    out(op === 'grant' ? `${nameKey(username)} is now a trainer` : `${nameKey(username)} is no longer a trainer`);
    return 0;
  } finally {
    await database.close();
  }
}
