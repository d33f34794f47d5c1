/**
 * `gameday sim`: run one match headless and print its {@link MatchSummary} (plus `warnings`), or a
 * readable summary; optionally with planned actions (`--actions`) and the full event stream (`--events`).
 */
import { closeSync, existsSync, openSync, writeSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { listScenarios, resolveSimInput } from '../scenarios/index.ts';
import { DEFAULT_TEAM_ID, teamSummary } from '../../shared/game/index.ts';
import type { SimEvent } from '../../shared/sim/types.ts';
import { readActionsFile, type PlannedAction } from './actions-file.ts';
import { CliError, UsageError } from './errors.ts';
import { formatSummary } from './format.ts';
import { DEFAULT_BOT_TIME_DILATION, runHeadless } from './headless.ts';
import { BOT_LEVELS, type BotLevel } from '../../shared/game/bots/index.ts';

/** `gameday sim --help` text (flags, units: sim seconds). */
export const SIM_USAGE = `Usage: gameday sim [--scenario ID|FILE] [--manifests FILE.yaml] [--seed N] [--duration SIM_SECONDS]
                   [--actions FILE.jsonl] [--events FILE.jsonl] [--bot LEVEL] [--json]

Runs a match headless and prints its summary.
  --scenario ID|FILE     built-in scenario id (see "gameday scenarios") or a scenario file (default scenario if omitted)
  --manifests FILE.yaml  Kubernetes manifests; alone: those workloads on a default cluster, no incidents
  --seed N               PRNG seed, integer 0..4294967295 (default 1)
  --duration SECONDS     sim seconds to simulate (default: the scenario's duration)
  --actions FILE.jsonl   planned actions, one JSON object per line:
                           {"t": 320, "action": {"type": "rolloutUndo", "deployment": "frontend"}}
                           {"t": 320, "command": "kubectl rollout undo deployment/frontend", "player": "ann"}
  --events FILE.jsonl    write the whole event stream as JSON lines {t, type, reason, object, message}
  --bot LEVEL            a bot player (idle, novice or expert; repeatable) plays the match through the
                         console, seeing only the pager, the events table and its replies; with --json
                         the output gains "bots": [{name, level, seed, commands, actions, writes, acks}]
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

  const events = values.events === undefined ? undefined : openEventsFile(values.events);
  let result: ReturnType<typeof runHeadless>;
  try {
    result = runHeadless(resolved.input, plan, {
      ...(events ? { onEvents: events.write } : {}),
      bots,
      timeDilation: resolved.timeDilation ?? DEFAULT_BOT_TIME_DILATION,
    });
  } finally {
    events?.close();
  }

  const summary = teamSummary(result.match, DEFAULT_TEAM_ID);
  const warnings = [...new Set([...resolved.warnings, ...result.state.warnings, ...result.warnings])];
  if (values.json) out(JSON.stringify({ ...summary, title: resolved.title, warnings, ...(bots.length > 0 ? { bots: result.bots } : {}) }));
  else {
    out(formatSummary(summary, resolved.title, warnings));
    for (const b of result.bots) out(`${b.name}: ${b.commands} commands, ${b.actions} actions${b.writes.map((w) => `\n  t=${w.t}s ${w.command} -> ${w.ok ? 'ok' : `error: ${w.reply}`}`).join('')}`);
  }
  return 0;
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

/** Opens the `--events` file for JSON lines `{t, type, reason, object: {kind, name, namespace}, message}`. */
function openEventsFile(path: string): { write: (events: SimEvent[]) => void; close: () => void } {
  let fd: number;
  try {
    fd = openSync(path, 'w');
  } catch (err) {
    throw new CliError(`Cannot write events to ${path}: ${(err as Error).message}`);
  }
  return {
    write: (events) => {
      const lines = events.map((e) =>
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
