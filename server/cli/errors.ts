/** Errors the `gameday` CLI turns into exit codes: {@link UsageError} -> 2, {@link CliError} -> 1. */

/** Bad command line (unknown command or flag, malformed flag value): usage is printed, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A clear, expected failure (unknown scenario, invalid file...): message on stderr, exit code 1. */
export class CliError extends Error {
  override name = 'CliError';
}
