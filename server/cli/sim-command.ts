/**
 * `gameday sim`: run one match headless and print its {@link MatchSummary} (plus `warnings`), or a
 * readable summary; optionally with planned actions (`--actions`) and the full event stream (`--events`).
 */
import { closeSync, existsSync, openSync, readFileSync, writeSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { listScenarios, resolveSimInput } from '../scenarios/index.ts';
import { DEFAULT_TEAM_ID, teamSummary } from '../../shared/game/index.ts';
import type { SimInput } from '../../shared/sim/types.ts';
import { chaosClusterOf, translateChaos, type AppInfo } from '../../shared/chaos/index.ts';
import { readActionsFile, type PlannedAction } from './actions-file.ts';
import { CliError, UsageError } from './errors.ts';
import { formatSummary } from './format.ts';
import { DEFAULT_BOT_TIME_DILATION, runHeadless, type StreamRow } from './headless.ts';
import { BOT_LEVELS, type BotLevel } from '../../shared/game/bots/index.ts';

/** `gameday sim --help` text (flags, units: sim seconds). */
export const SIM_USAGE = `Usage: gameday sim [--scenario ID|FILE] [--manifests FILE.yaml] [--seed N] [--duration SIM_SECONDS]
                   [--actions FILE.jsonl] [--events FILE.jsonl] [--bot LEVEL] [--json]
                   [--chaos FILE.yaml [--at SECONDS] [--appns NS] [--applabel K=V] [--appkind KIND]]

Runs a match headless and prints its summary.
  --scenario ID|FILE     built-in scenario id (see "gameday scenarios") or a scenario file (default scenario if omitted)
  --manifests FILE.yaml  Kubernetes manifests; alone: those workloads on a default cluster, no incidents
  --seed N               PRNG seed, integer 0..4294967295 (default 1)
  --duration SECONDS     sim seconds to simulate (default: the scenario's duration)
  --actions FILE.jsonl   planned actions, one JSON object per line:
                           {"t": 320, "action": {"type": "rolloutUndo", "deployment": "frontend"}}
                           {"t": 320, "command": "kubectl rollout undo deployment/frontend", "player": "ann"}
  --events FILE.jsonl    write the whole event stream as JSON lines {t, type, reason, object, message,
                         count, firstT}: every Event, and the game's alerts and incident notices
  --bot LEVEL            a bot player (idle, novice or expert; repeatable) plays the match through the
                         console, seeing only the pager, the events table and its replies; with --json
                         the output gains "bots": [{name, level, seed, commands, actions, writes, acks}]
  --chaos FILE.yaml      Chaos Mesh objects (PodChaos, StressChaos, NetworkChaos, DNSChaos, HTTPChaos, Schedule)
                         or LitmusChaos ChaosEngines run as incidents (repeatable; see README "Chaos experiments")
  --at SECONDS           sim second the --chaos experiments start at (default 60)
  --appns NS, --applabel K=V, --appkind KIND
                         fill a ChaosEngine's empty appinfo (e.g. --applabel app=guestbook)
  --json                 print one JSON object (MatchSummary + warnings) instead of text`;

const MAX_SEED = 0xffffffff;

/** Runs `gameday sim ARGS`; returns the exit code. @throws UsageError, CliError. */
export function simCommand(args: string[], out: (text: string) => void): number {
  const { values } = parseArgs({
    args,
    allowPositionals: false,
    strict: true,
    options: {
      scenario: { type: 'string' },
      manifests: { type: 'string' },
      seed: { type: 'string' },
      duration: { type: 'string' },
      actions: { type: 'string' },
      events: { type: 'string' },
      bot: { type: 'string', multiple: true },
      chaos: { type: 'string', multiple: true },
      at: { type: 'string' },
      appns: { type: 'string' },
      applabel: { type: 'string' },
      appkind: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    out(SIM_USAGE);
    return 0;
  }
  const seed = values.seed === undefined ? 1 : parseSeed(values.seed);
  const durationSeconds = values.duration === undefined ? undefined : parseDuration(values.duration);
  if (values.scenario !== undefined) checkScenario(values.scenario);
  if (values.manifests !== undefined && !existsSync(values.manifests)) {
    throw new CliError(`Manifests file not found: ${values.manifests}`);
  }
  const plan: PlannedAction[] = values.actions === undefined ? [] : readActionsFile(values.actions);
  const bots = (values.bot ?? []).map(parseBotLevel).map((level, i, all) => ({ level, name: all.indexOf(level) === i ? `bot-${level}` : `bot-${level}-${i + 1}` }));

  let resolved: ReturnType<typeof resolveSimInput>;
  try {
    resolved = resolveSimInput({ scenario: values.scenario, manifests: values.manifests, seed, durationSeconds });
  } catch (err) {
    throw new CliError((err as Error).message);
  }

  const chaosNotes = addChaos(resolved.input, values);

  const events = values.events === undefined ? undefined : openEventsFile(values.events);
  let result: ReturnType<typeof runHeadless>;
  try {
    result = runHeadless(resolved.input, plan, {
      ...(events ? { onStream: events.write } : {}),
      bots,
      timeDilation: resolved.timeDilation ?? DEFAULT_BOT_TIME_DILATION,
    });
  } finally {
    events?.close();
  }

  const summary = teamSummary(result.match, DEFAULT_TEAM_ID);
  const warnings = [...new Set([...resolved.warnings, ...result.state.warnings, ...result.warnings, ...chaosNotes])];
  if (values.json) out(JSON.stringify({ ...summary, title: resolved.title, warnings, ...(bots.length > 0 ? { bots: result.bots } : {}) }));
  else {
    out(formatSummary(summary, resolved.title, warnings));
    for (const b of result.bots) out(`${b.name}: ${b.commands} commands, ${b.actions} actions${b.writes.map((w) => `\n  t=${w.t}s ${w.command} -> ${w.ok ? 'ok' : `error: ${w.reply}`}`).join('')}`);
  }
  return 0;
}

/** Default sim second of `--chaos` experiments: after a minute of steady traffic. */
const DEFAULT_CHAOS_AT = 60;

/**
 * Translates each `--chaos` file (shared/chaos) against the resolved cluster and appends its incidents
 * to the match's schedule (ids `cli<N>-<name>-<k>`, N = the file's place among the `--chaos` flags). Answers the translator's notes as warnings.
 * @throws UsageError on a bad `--at`; CliError when a file is missing or cannot run (every problem listed).
 */
function addChaos(input: SimInput, values: { chaos?: string[] | undefined; at?: string | undefined; appns?: string | undefined; applabel?: string | undefined; appkind?: string | undefined }): string[] {
  const files = values.chaos ?? [];
  if (files.length === 0) {
    if (values.at !== undefined || values.appns !== undefined || values.applabel !== undefined || values.appkind !== undefined) throw new UsageError('--at, --appns, --applabel and --appkind need --chaos FILE.yaml');
    return [];
  }
  const at = values.at === undefined ? DEFAULT_CHAOS_AT : Number(values.at);
  if (values.at !== undefined && (!/^\d+$/.test(values.at) || at >= input.settings.durationSeconds)) {
    throw new UsageError(`--at must be a whole number of sim seconds before the end of the match (${input.settings.durationSeconds} s), got "${values.at}"`);
  }
  const appinfo: AppInfo = {};
  if (values.appns !== undefined) appinfo.appns = values.appns;
  if (values.applabel !== undefined) appinfo.applabel = values.applabel;
  if (values.appkind !== undefined) appinfo.appkind = values.appkind;
  const cluster = chaosClusterOf(input);
  const notes: string[] = [];
  files.forEach((file, i) => {
    if (!existsSync(file)) throw new CliError(`Chaos file not found: ${file}`);
    let translation: ReturnType<typeof translateChaos>;
    try {
      translation = translateChaos(readFileSync(file, 'utf8'), file, cluster, { at, appinfo, idPrefix: `cli${i + 1}` });
    } catch (e) {
      throw new CliError((e as Error).message);
    }
    const used = new Set(input.incidents.map((inc) => inc.id));
    for (const inc of translation.incidents) {
      let id = inc.id;
      for (let n = 2; used.has(id); n++) id = `${inc.id}-${n}`;
      used.add(id);
      input.incidents.push({ ...inc, id });
    }
    notes.push(...translation.notes.map((n) => `chaos: ${file}: ${n}`));
  });
  input.incidents.sort((a, b) => a.at - b.at);
  return notes;
}

function parseBotLevel(text: string): BotLevel {
  if (!(BOT_LEVELS as readonly string[]).includes(text)) throw new UsageError(`--bot must be one of ${BOT_LEVELS.join(', ')}, got "${text}"`);
  return text as BotLevel;
}

function parseSeed(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) > MAX_SEED) {
    throw new UsageError(`--seed must be an integer from 0 to ${MAX_SEED}, got "${text}"`);
  }
  return Number(text);
}

function parseDuration(text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n <= 0) {
    throw new UsageError(`--duration must be a positive number of sim seconds, got "${text}"`);
  }
  return n;
}

/** A scenario argument is a file when it exists or looks like a path; otherwise it must be a known id. */
function checkScenario(arg: string): void {
  if (existsSync(arg)) return;
  if (/[/\\]|\.(ya?ml|json)$/i.test(arg)) throw new CliError(`Scenario file not found: ${arg}`);
  const ids = listScenarios().map((s) => s.id);
  if (!ids.includes(arg)) {
    throw new CliError(`Unknown scenario "${arg}". Valid ids: ${ids.join(', ')} (or pass a scenario file path).`);
  }
}

/**
 * Opens the `--events` file for JSON lines `{t, type, reason, object: {kind, name, namespace}, message,
 * count, firstT}`: every Event occurrence and the game's notices (alerts, incidents; `count` 1).
 */
function openEventsFile(path: string): { write: (rows: StreamRow[]) => void; close: () => void } {
  let fd: number;
  try {
    fd = openSync(path, 'w');
  } catch (err) {
    throw new CliError(`Cannot write events to ${path}: ${(err as Error).message}`);
  }
  return {
    write: (rows) => {
      const lines = rows.map((e) =>
        JSON.stringify({
          t: e.t,
          type: e.type,
          reason: e.reason,
          object: { kind: e.object.kind, name: e.object.name, namespace: e.object.namespace },
          message: e.message,
          count: e.count,
          firstT: e.firstT,
        }),
      );
      writeSync(fd, `${lines.join('\n')}\n`);
    },
    close: () => closeSync(fd),
  };
}
