/**
 * `gameday incidents`: the incident catalog (issue 7): every kind the sim can inject, with what a player
 * observes and what a real operator does about it. Derived from the incident registry
 * (shared/sim/incidents/registry.ts, {@link incidentCatalog}), so a new kind appears here by itself.
 */
import { incidentCatalog } from '../../shared/sim/incidents/index.ts';
import { listCommand } from './format.ts';

/** `gameday incidents --help` text. */
export const INCIDENTS_USAGE = `Usage: gameday incidents [--json]

Lists the incident kinds scenarios and trainers can inject. --json prints a JSON array of
{kind, title, target, symptoms, remediations: [{summary, command}], params} (params: JSON Schema of the
kind's scenario parameters, with descriptions and defaults).`;

/** Runs `gameday incidents ARGS`; returns the exit code. @throws UsageError (via parseArgs). */
export function incidentsCommand(args: string[], out: (text: string) => void): number {
  return listCommand(args, out, {
    usage: INCIDENTS_USAGE,
    items: incidentCatalog,
    header: ['KIND', 'TARGET', 'TITLE', 'FIRST REMEDIATION'],
    rows: (catalog) => catalog.map((entry) => [entry.kind, entry.target, entry.title, entry.remediations[0]?.command ?? '']),
  });
}
