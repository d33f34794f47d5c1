/** `gameday validate FILE`: check a scenario or manifest file; exit 0 (warnings allowed) or 1 (errors). */
import { existsSync, readFileSync } from 'node:fs';
import { ChaosError, looksLikeChaos, validateChaos } from '../../shared/chaos/index.ts';
import { parseArgs } from 'node:util';
import { validateFile } from '../scenarios/index.ts';
import { CliError, UsageError } from './errors.ts';

/** `gameday validate --help` text. */
export const VALIDATE_USAGE = `Usage: gameday validate FILE

Checks a scenario file, a Kubernetes manifest file or a chaos file (Chaos Mesh objects, LitmusChaos
ChaosEngines: schema and supported experiments; selectors are matched by "gameday sim --chaos"). Exit 0 when valid (warnings are printed),
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
  const text = readFileSync(file, 'utf8');
  if (looksLikeChaos(text)) return validateChaosFile(file, text, out, err);
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

/** `gameday validate` of a chaos file: exit 0 (notes printed as warnings) or 1 (each problem with its document and field). */
function validateChaosFile(file: string, text: string, out: (text: string) => void, err: (text: string) => void): number {
  try {
    const { incidents, notes } = validateChaos(text, file);
    for (const n of notes) err(`warning: ${file}: ${n}`);
    out(`${file}: valid chaos file (${incidents} incident${incidents === 1 ? '' : 's'} per run${notes.length ? `, ${notes.length} warning${notes.length === 1 ? '' : 's'}` : ''})`);
    return 0;
  } catch (e) {
    if (!(e instanceof ChaosError)) throw e;
    for (const p of e.problems.length > 0 ? e.problems : [e.message]) err(`error: ${p}`);
    err(`${file}: invalid chaos file (${e.problems.length || 1} error${e.problems.length === 1 ? '' : 's'})`);
    return 1;
  }
}
