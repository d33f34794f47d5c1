/** `gameday scenarios`: list the built-in scenarios (JSON array with `--json`, else a table). */
import { parseArgs } from 'node:util';
import { DEFAULT_SCENARIO_ID, listScenarios } from '../scenarios/index.ts';
import { table } from './format.ts';

/** `gameday scenarios --help` text. */
export const SCENARIOS_USAGE = `Usage: gameday scenarios [--json]

Lists the built-in scenarios, easiest rungs after the default. --json prints a JSON array of
{id, title, description, durationSeconds, difficulty, objectives, debrief, nodes, ...}; the default is marked *.`;

/** Runs `gameday scenarios ARGS`; returns the exit code. @throws UsageError (via parseArgs). */
export function scenariosCommand(args: string[], out: (text: string) => void): number {
  const { values } = parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: { json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } },
  });
  if (values.help) {
    out(SCENARIOS_USAGE);
    return 0;
  }
  const scenarios = listScenarios();
  if (values.json) {
    out(JSON.stringify(scenarios, null, 2));
    return 0;
  }
  const rows = scenarios.map((s) => {
    const extra = s as unknown as Record<string, unknown>;
    const duration = typeof extra.durationSeconds === 'number' ? `${extra.durationSeconds}s` : '';
    return [s.id === DEFAULT_SCENARIO_ID ? `${s.id} *` : s.id, duration, s.title, s.difficulty ?? ''];
  });
  out(table([['ID', 'DURATION', 'TITLE', 'DIFFICULTY'], ...rows]));
  return 0;
}
