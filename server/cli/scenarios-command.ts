/** `gameday scenarios`: list the built-in scenarios (JSON array with `--json`, else a table). */
import { DEFAULT_SCENARIO_ID, listScenarios } from '../scenarios/index.ts';
import { listCommand } from './format.ts';

/** `gameday scenarios --help` text. */
export const SCENARIOS_USAGE = `Usage: gameday scenarios [--json]

Lists the built-in scenarios, easiest rungs after the default. --json prints a JSON array of
{id, title, description, durationSeconds, difficulty, objectives, debrief, nodes, ...}; the default is marked *.`;

/** Runs `gameday scenarios ARGS`; returns the exit code. @throws UsageError (via parseArgs). */
export function scenariosCommand(args: string[], out: (text: string) => void): number {
  return listCommand(args, out, {
    usage: SCENARIOS_USAGE,
    items: listScenarios,
    header: ['ID', 'DURATION', 'TITLE', 'DIFFICULTY'],
    rows: (scenarios) =>
      scenarios.map((s) => {
        const extra = s as unknown as Record<string, unknown>;
        const duration = typeof extra.durationSeconds === 'number' ? `${extra.durationSeconds}s` : '';
        return [s.id === DEFAULT_SCENARIO_ID ? `${s.id} *` : s.id, duration, s.title, s.difficulty ?? ''];
      }),
  });
}
