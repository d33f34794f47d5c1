/** `gameday validate FILE`: check a scenario or manifest file; exit 0 (warnings allowed) or 1 (errors). */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { validateFile } from '../scenarios/index.ts';
import { CliError, UsageError } from './errors.ts';

/** `gameday validate --help` text. */
export const VALIDATE_USAGE = `Usage: gameday validate FILE

Checks a scenario file or a Kubernetes manifest file. Exit 0 when valid (warnings are printed),
1 with errors naming the document and field.`;

/** Runs `gameday validate ARGS`; returns the exit code. @throws UsageError, CliError. */
export function validateCommand(args: string[], out: (text: string) => void, err: (text: string) => void): number {
  const { values, positionals } = parseArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: { help: { type: 'boolean', short: 'h', default: false } },
  });
  if (values.help) {
    out(VALIDATE_USAGE);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('validate takes exactly one FILE');
  const file = positionals[0]!;
  if (!existsSync(file)) throw new CliError(`File not found: ${file}`);
  let result: ReturnType<typeof validateFile>;
  try {
    result = validateFile(file);
  } catch (e) {
    throw new CliError(`${file}: ${(e as Error).message}`);
  }
  // validateFile's messages already name the file (and the document and field).
  for (const w of result.warnings) err(`warning: ${w}`);
  if (!result.ok) {
    for (const e of result.errors) err(`error: ${e}`);
    err(`${file}: invalid ${result.kind} file (${result.errors.length} error${result.errors.length === 1 ? '' : 's'})`);
    return 1;
  }
  out(`${file}: valid ${result.kind} file${result.warnings.length ? ` (${result.warnings.length} warning${result.warnings.length === 1 ? '' : 's'})` : ''}`);
  return 0;
}
