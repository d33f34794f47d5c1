/**
 * Built-in scenarios and the file side of scenarios: reading scenario and manifest files, resolving
 * what the CLI and the server were asked to run (`--scenario`, `--manifests`), and `gameday validate`.
 *
 * The pure parts live in shared/scenario (schema, SimInput building) and shared/manifests (YAML
 * loading); this module adds only file reading and path resolution (node:fs, node:path).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import type { SimInput } from '../../shared/sim/types.ts';
import { formatManifestError, loadManifests } from '../../shared/manifests/load.ts';
import type { LoadedManifests } from '../../shared/manifests/load.ts';
import { parseScenario } from '../../shared/scenario/parse.ts';
import type { Scenario } from '../../shared/scenario/schema.ts';
import { ScenarioError } from '../../shared/scenario/errors.ts';
import { manifestsOnlyInput, podTemplates, scenarioToSimInput } from '../../shared/scenario/toSimInput.ts';
import { inferCallGraph } from '../../shared/scenario/callGraph.ts';
import { chaosRules, type RedTeamRules } from '../../shared/game/chaos.ts';

/** Folder of the built-in scenario files. */
export const SCENARIOS_DIR = dirname(fileURLToPath(import.meta.url));

/** The scenario played when none is named. */
export const DEFAULT_SCENARIO_ID = 'online-boutique';

/** Built-in scenario ids, default first; each is `<id>.yaml` in {@link SCENARIOS_DIR}. */
export const BUILT_IN_SCENARIO_IDS: readonly string[] = [
  DEFAULT_SCENARIO_ID,
  'guestbook',
  'first-oom',
  'voting-bad-release',
  'sock-shop-leak',
  'boutique-node-failure',
  'big-fleet',
  'fleet-zone-outage',
  'guestbook-control-plane',
  'night-shift',
];

/** Time dilation used with `--manifests` alone: sim seconds per real second. */
export const MANIFESTS_TIME_DILATION = 4;

/** One line of `gameday scenarios` / `GET /api/scenarios`. */
export interface ScenarioInfo {
  id: string;
  title: string;
  description: string;
  /** Match length, sim seconds. */
  durationSeconds: number;
  /** Sim seconds per real second, or null when the scenario leaves it to the server (`TIME_DILATION`). */
  timeDilation: number | null;
  /** Number of incidents. */
  incidents: number;
  /** Number of Services in the call graph (one per workload; aliases such as LoadBalancers not counted). */
  services: number;
  default: boolean;
  /** `beginner` | `intermediate` | `advanced` | `expert`, or null when the scenario does not say. */
  difficulty: string | null;
  /** Learning objectives (empty when none are written). */
  objectives: string[];
  /** Trainer's debrief notes, or null. */
  debrief: string | null;
  /** Number of Nodes in the cluster. */
  nodes: number;
}

/** What {@link resolveSimInput} returns. */
export interface ResolvedSimInput {
  input: SimInput;
  title: string;
  /** Sim seconds per real second when played live, or null when the scenario leaves it to the server. */
  timeDilation: number | null;
  warnings: string[];
  /**
   * The red team's rules for a red-vs-blue match (the scenario's `redTeam` with defaults applied,
   * shared/game `chaosRules`; every kind at its default cost when the scenario or `--manifests` says nothing).
   */
  redTeam: RedTeamRules;
}

function readText(path: string, what: string): string {
  try {
    if (statSync(path).isDirectory()) throw new ScenarioError(`${path}: is a directory, not a ${what} file`);
    return readFileSync(path, 'utf8');
  } catch (e) {
    if (e instanceof ScenarioError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new ScenarioError(`cannot read ${what} file ${path}: ${code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
}

/** Path of a built-in scenario file, or null when `id` is not built in. */
export function builtInScenarioPath(id: string): string | null {
  return BUILT_IN_SCENARIO_IDS.includes(id) ? join(SCENARIOS_DIR, `${id}.yaml`) : null;
}

/**
 * Reads and validates a manifest file.
 * @throws {ScenarioError} when it cannot be read or has errors (each as `file: document N (Kind "name"): path: message`).
 */
export function loadManifestsFile(path: string): LoadedManifests {
  const workloads = loadManifests(readText(path, 'manifests'), { source: path });
  if (workloads.errors.length > 0) {
    throw new ScenarioError(
      `${path}: ${workloads.errors.length} error${workloads.errors.length > 1 ? 's' : ''} in the manifests`,
      workloads.errors.map((e) => formatManifestError(e, path)),
    );
  }
  return workloads;
}

/** Reads and validates a scenario file without its workloads. */
function readScenario(path: string): Scenario {
  return parseScenario(readText(path, 'scenario'), path);
}

function loadWorkloads(scenario: Scenario, scenarioPath: string): LoadedManifests {
  if ('manifests' in scenario.workloads) {
    const m = scenario.workloads.manifests;
    return loadManifestsFile(isAbsolute(m) ? m : join(dirname(scenarioPath), m));
  }
  const source = `${scenarioPath} (workloads.yaml)`;
  const workloads = loadManifests(scenario.workloads.yaml, { source });
  if (workloads.errors.length > 0) {
    throw new ScenarioError(`${source}: ${workloads.errors.length} error(s) in the inline manifests`, workloads.errors.map((e) => formatManifestError(e, source)));
  }
  return workloads;
}

/**
 * Reads a scenario file and its workloads (`workloads.manifests` is relative to the scenario file).
 * @throws {ScenarioError} naming the file, and for manifest errors the document, object and field path.
 */
export function loadScenarioFile(path: string): { scenario: Scenario; workloads: LoadedManifests } {
  const scenario = readScenario(path);
  return { scenario, workloads: loadWorkloads(scenario, path) };
}

const infoCache = new Map<string, ScenarioInfo>();

/** The built-in scenarios, default first. @throws {ScenarioError} if a built-in file is broken (a bug). */
export function listScenarios(): ScenarioInfo[] {
  return BUILT_IN_SCENARIO_IDS.map((id) => {
    const cached = infoCache.get(id);
    if (cached) return { ...cached, objectives: [...cached.objectives] };
    const { scenario, workloads } = loadScenarioFile(builtInScenarioPath(id)!);
    const graph = scenario.traffic.callGraph ?? inferCallGraph(podTemplates(workloads), workloads.services);
    const info: ScenarioInfo = {
      id: scenario.id,
      title: scenario.title,
      description: scenario.description,
      durationSeconds: scenario.match.durationSeconds,
      timeDilation: scenario.match.timeDilation ?? null,
      incidents: scenario.incidents.length,
      services: Object.keys(graph).length,
      default: scenario.id === DEFAULT_SCENARIO_ID,
      difficulty: scenario.difficulty ?? null,
      objectives: [...(scenario.objectives ?? [])],
      debrief: scenario.debrief ?? null,
      nodes: Array.isArray(scenario.cluster.nodes) ? scenario.cluster.nodes.length : scenario.cluster.nodes.count,
    };
    infoCache.set(id, info);
    return { ...info, objectives: [...info.objectives] };
  });
}

/** A built-in id or a file path -> the scenario file's path. @throws {ScenarioError} when neither. */
function scenarioPathOf(scenario: string): string {
  const builtIn = builtInScenarioPath(scenario);
  if (builtIn) return builtIn;
  if (existsSync(scenario)) return scenario;
  throw new ScenarioError(`unknown scenario "${scenario}": not a built-in scenario (${BUILT_IN_SCENARIO_IDS.join(', ')}) and no such file`);
}

/**
 * Resolves what to simulate:
 * - `scenario` alone (a built-in id or a scenario file path), or nothing: that scenario (default {@link DEFAULT_SCENARIO_ID});
 * - `manifests` alone: the manifests on the default cluster, no incidents (manifestsOnlyInput);
 * - both: the scenario with its workloads replaced by the manifests file (its incident targets must exist there).
 * @param opts.durationSeconds overrides the match length, sim seconds.
 * @throws {ScenarioError} with every problem found.
 */
export function resolveSimInput(opts: { scenario?: string; manifests?: string; seed: number; durationSeconds?: number }): ResolvedSimInput {
  const simOpts = { seed: opts.seed, durationSeconds: opts.durationSeconds };
  if (opts.scenario === undefined && opts.manifests !== undefined) {
    const workloads = loadManifestsFile(opts.manifests);
    const input = manifestsOnlyInput(workloads, { ...simOpts, source: opts.manifests });
    return { input, title: `Manifests: ${basename(opts.manifests)}`, timeDilation: MANIFESTS_TIME_DILATION, warnings: input.warnings ?? [], redTeam: chaosRules(undefined) };
  }
  const path = scenarioPathOf(opts.scenario ?? DEFAULT_SCENARIO_ID);
  const scenario = readScenario(path);
  const workloads = opts.manifests !== undefined ? loadManifestsFile(opts.manifests) : loadWorkloads(scenario, path);
  const input = scenarioToSimInput(scenario, workloads, simOpts);
  return { input, title: scenario.title, timeDilation: scenario.match.timeDilation ?? null, warnings: input.warnings ?? [], redTeam: chaosRules(scenario.redTeam) };
}

/** Top-level keys that mark a scenario file (a manifest never has them at the top level). */
const SCENARIO_KEYS = ['incidents', 'workloads', 'slo'];

function looksLikeScenario(text: string): boolean {
  const parsed = parseAllDocuments(text);
  const first = (Array.isArray(parsed) ? parsed : []).find((d) => d.contents !== null);
  if (first && first.errors.length === 0) {
    const value: unknown = first.toJS();
    return typeof value === 'object' && value !== null && !Array.isArray(value) && SCENARIO_KEYS.some((k) => k in value);
  }
  return new RegExp(`^(${SCENARIO_KEYS.join('|')})\\s*:`, 'm').test(text);
}

/**
 * Validates a scenario or manifest file (`gameday validate FILE`). A file with a top-level `incidents`,
 * `workloads` or `slo` key is a scenario (checked with its workloads and converted to a SimInput);
 * anything else is a manifest stream (checked as `--manifests` would use it).
 * Never throws: every problem is a line in `errors`, prefixed with the file it is in.
 */
export function validateFile(path: string): { ok: boolean; kind: 'scenario' | 'manifests'; errors: string[]; warnings: string[] } {
  let text: string;
  try {
    text = readText(path, 'scenario or manifests');
  } catch (e) {
    return { ok: false, kind: 'manifests', errors: [(e as Error).message], warnings: [] };
  }
  const asLines = (e: unknown, prefix: string): string[] => {
    if (!(e instanceof ScenarioError)) throw e;
    if (e.problems.length === 0) return [e.message];
    return e.problems.map((p) => (p.startsWith(prefix) || p.includes(': document ') ? p : `${prefix}${p}`));
  };
  if (looksLikeScenario(text)) {
    let scenario: Scenario;
    try {
      scenario = parseScenario(text, path);
    } catch (e) {
      return { ok: false, kind: 'scenario', errors: asLines(e, `${path}: `), warnings: [] };
    }
    try {
      const input = scenarioToSimInput(scenario, loadWorkloads(scenario, path), { seed: 1 });
      return { ok: true, kind: 'scenario', errors: [], warnings: input.warnings ?? [] };
    } catch (e) {
      return { ok: false, kind: 'scenario', errors: asLines(e, `${path}: `), warnings: [] };
    }
  }
  const workloads = loadManifests(text, { source: path });
  const errors = workloads.errors.map((e) => formatManifestError(e, path));
  let warnings = workloads.warnings;
  if (errors.length === 0) {
    try {
      warnings = manifestsOnlyInput(workloads, { seed: 1, source: path }).warnings ?? [];
    } catch (e) {
      errors.push(...asLines(e, `${path}: `));
    }
  }
  return { ok: errors.length === 0, kind: 'manifests', errors, warnings };
}

export type { Scenario, LoadedManifests };
export { ScenarioError };
