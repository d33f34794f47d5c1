/**
 * The error every scenario problem is reported with: a headline plus one line per problem, so the CLI
 * and the server can print it as is. Pure: imports nothing.
 */

/** A scenario (or its workloads) is invalid or inconsistent. `problems` lists each issue on its own. */
export class ScenarioError extends Error {
  /** One human-readable line per problem, e.g. `incidents[1].target: no Deployment "cart" in the workloads`. */
  readonly problems: string[];

  constructor(headline: string, problems: string[] = []) {
    super(problems.length === 0 ? headline : `${headline}\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ScenarioError';
    this.problems = problems;
  }
}
