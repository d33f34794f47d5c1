/** Plain-text output of the `gameday` CLI: aligned tables, the listing commands' shape and the human match summary. */
import { parseArgs } from 'node:util';
import type { MatchSummary } from '../../shared/sim/types.ts';

/** Left-aligned columns separated by two spaces; `rows[0]` is the header. */
export function table(rows: string[][]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ')).join('\n');
}

/** A fraction as a percentage with two decimals (`0.99312` -> `99.31%`). */
export function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(2)}%`;
}

/** The readable form of `gameday sim` (without `--json`). */
export function formatSummary(s: MatchSummary, title: string, warnings: string[]): string {
  const lines = [
    `Scenario       ${title} (${s.scenarioId}), seed ${s.seed}`,
    `Simulated      ${s.durationSeconds} sim seconds (${s.ticks} ticks)`,
    `Score          ${s.score}${breakdown(s.scoreBreakdown)}`,
    `Availability   ${percent(s.slo.availability)}, error budget remaining ${percent(s.slo.errorBudgetRemaining)}`,
    `Latency SLI    ${percent(s.slo.latency)}, error budget remaining ${percent(s.slo.latencyErrorBudgetRemaining)}`,
    `Actions        ${s.actions}`,
    `State hash     ${s.stateHash}`,
  ];
  if (s.incidents.length > 0) {
    lines.push('', 'Incidents');
    lines.push(
      indent(
        table([
          ['ID', 'TYPE', 'STARTED', 'MITIGATED'],
          ...s.incidents.map((i) => [i.id, i.type, seconds(i.startedAt, 'not started'), seconds(i.mitigatedAt, 'never')]),
        ]),
      ),
    );
  }
  if (warnings.length > 0) lines.push('', 'Warnings', ...warnings.map((w) => `  - ${w}`));
  return lines.join('\n');
}

function breakdown(parts: Record<string, number>): string {
  const keys = Object.keys(parts).sort();
  return keys.length ? ` (${keys.map((k) => `${k} ${parts[k]}`).join(', ')})` : '';
}

function seconds(t: number | null, otherwise: string): string {
  return t === null ? otherwise : `t=${t}s`;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
}

/**
 * The shared shape of the listing commands (`scenarios`, `incidents`): `--help` prints `usage`,
 * `--json` prints `items()` as a JSON array, else `rows(items)` as a table under `header`.
 * Returns the exit code. @throws UsageError-like parseArgs errors for unknown flags or positionals.
 */
export function listCommand<T>(args: string[], out: (text: string) => void, o: { usage: string; items: () => T[]; header: string[]; rows: (items: T[]) => string[][] }): number {
  const { values } = parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: { json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } },
  });
  if (values.help) {
    out(o.usage);
    return 0;
  }
  const items = o.items();
  if (values.json) out(JSON.stringify(items, null, 2));
  else out(table([o.header, ...o.rows(items)]));
  return 0;
}
