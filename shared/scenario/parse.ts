/**
 * Parses scenario text (YAML or JSON: JSON is YAML) into a validated {@link Scenario}, reporting
 * syntax errors with their line and schema errors with their field path and line.
 *
 * Pure: parses the text it is given; the file reading is done by server/scenarios.
 */
import { LineCounter, parseAllDocuments } from 'yaml';
import type { z } from 'zod';
import { formatPath, lineOfPath, yamlErrorText } from '../manifests/load.ts';
import { ScenarioSchema } from './schema.ts';
import type { Scenario } from './schema.ts';
import { ScenarioError } from './errors.ts';

/**
 * Validates scenario text.
 * @param text the file's content.
 * @param source file name used in messages (e.g. `scenarios/mine.yaml`).
 * @throws {ScenarioError} listing every problem as `path: message (line N)`.
 */
export function parseScenario(text: string, source = 'scenario'): Scenario {
  const lineCounter = new LineCounter();
  const parsed = parseAllDocuments(text, { lineCounter, prettyErrors: true, uniqueKeys: true, merge: true });
  const docs = (Array.isArray(parsed) ? parsed : []).filter((d) => d.contents !== null || d.errors.length > 0);
  if (docs.length === 0) throw new ScenarioError(`${source}: empty scenario file`);
  if (docs.length > 1) throw new ScenarioError(`${source}: a scenario file holds one YAML document, found ${docs.length}`);
  const doc = docs[0]!;
  if (doc.errors.length > 0) {
    throw new ScenarioError(
      `${source}: YAML syntax error`,
      doc.errors.map((e) => {
        const pos = e.linePos?.[0];
        return `${yamlErrorText(e)}${pos ? ` (line ${pos.line}, column ${pos.col})` : ''}`;
      }),
    );
  }
  const result = ScenarioSchema.safeParse(doc.toJS({ maxAliasCount: 1000 }));
  if (result.success) return result.data;
  const problems = flattenUnions(result.error.issues).map((issue) => {
    let message = issue.message;
    if (issue.code === 'unrecognized_keys') message = `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`;
    const path = issue.code === 'unrecognized_keys' && issue.keys.length === 1 ? [...issue.path, issue.keys[0]!] : issue.path;
    const line = lineOfPath(doc, lineCounter, path);
    return `${formatPath(issue.path) || '(top level)'}: ${message}${line !== undefined ? ` (line ${line})` : ''}`;
  });
  throw new ScenarioError(`${source}: invalid scenario`, problems);
}

/**
 * Replaces a failed union (e.g. `cluster.nodes`: a list or a pool) by the issues of the branch the
 * author evidently meant: branches rejected only for their top-level type are dropped, then the branch
 * with the fewest issues wins. Ambiguous cases keep the union's own message.
 */
function flattenUnions(issues: readonly z.core.$ZodIssue[]): z.core.$ZodIssue[] {
  return issues.flatMap((issue): z.core.$ZodIssue[] => {
    if (issue.code !== 'invalid_union' || issue.errors.length === 0) return [issue];
    const branches = issue.errors.filter((b) => !(b.length === 1 && b[0]!.code === 'invalid_type' && b[0]!.path.length === 0));
    const sizes = branches.map((b) => b.length).sort((a, b) => a - b);
    if (branches.length === 0 || (sizes.length > 1 && sizes[0] === sizes[1])) return [issue];
    const best = branches.find((b) => b.length === sizes[0])!;
    return flattenUnions(best.map((i) => ({ ...i, path: [...issue.path, ...i.path] }) as z.core.$ZodIssue));
  });
}
