#!/usr/bin/env node
/**
 * `gameday`: the command line of the Gameday server (run with Node 24: `npx gameday ...`).
 *
 *   gameday scenarios [--json]        list the built-in scenarios
 *   gameday incidents [--json]        list the incident catalog
 *   gameday sim [options] [--json]    run a match headless (see `gameday sim --help`)
 *   gameday validate FILE             check a scenario or manifest file
 *   gameday replay FILE.json|MATCH_ID re-simulate a stored match, compare its final state hash
 *   gameday bot --url URL [options]   bot players join a real server's match over WebSocket
 *   gameday trainer grant|revoke USER give or take back an account's trainer rights
 *   gameday prometheus-rules [options] a scenario's Prometheus rules (SLI recordings, burn-rate alerts)
 *   gameday kube --scenario ID        a practice cluster: the match's Kubernetes API for real kubectl
 *   gameday help [COMMAND]            usage
 *
 * Exit codes: 0 success, 1 error (message on stderr), 2 usage error (unknown command or flag).
 * Scripts depend on this interface: keep commands, flags and JSON shapes stable.
 */
import { ScenarioError } from '../scenarios/index.ts';
import { BOT_USAGE, botCommand } from './bot-command.ts';
import { CliError, UsageError } from './errors.ts';
import { INCIDENTS_USAGE, incidentsCommand } from './incidents-command.ts';
import { REPLAY_USAGE, replayCommand } from './replay-command.ts';
import { SCENARIOS_USAGE, scenariosCommand } from './scenarios-command.ts';
import { SIM_USAGE, simCommand } from './sim-command.ts';
import { VALIDATE_USAGE, validateCommand } from './validate-command.ts';
import { TRAINER_USAGE, trainerCommand } from './trainer-command.ts';
import { PROMETHEUS_RULES_USAGE, prometheusRulesCommand } from './prometheus-rules-command.ts';
import { KUBE_USAGE, kubeCommand } from './kube-command.ts';

const USAGE = `Usage: gameday <command> [options]

Commands:
  scenarios [--json]                       list the built-in scenarios
  incidents [--json]                       list the incident kinds (symptoms, remediations, params)
  sim --scenario ID|FILE [--manifests FILE.yaml] --seed N --duration SIM_SECONDS
      [--actions FILE.jsonl] [--events FILE.jsonl] [--bot LEVEL] [--json]
                                           run a match headless and print its summary
  bot --url URL [--scenario ID] [--match ROOM_ID] [--level LEVEL] [--count N] [--duration S] [--json]
                                           bot players join a real server's match and play it
  validate FILE                            check a scenario or manifest file
  replay FILE.json|MATCH_ID [--json]       re-simulate a stored match; exit 1 if its hash differs
  trainer grant|revoke USERNAME            give or take back an account's trainer rights
  prometheus-rules [--scenario ID|FILE] [--time-dilation X] [--out FILE]
                                           the scenario's Prometheus rules: SLI recordings, burn-rate alerts
  kube --scenario ID|FILE [--manifests FILE.yaml] [--seed N] [--speed X] [--port P] [--kubeconfig FILE] [--json]
                                           a practice cluster: the match's Kubernetes API on 127.0.0.1 for kubectl
  help [COMMAND]                           show usage (also --help)

Exit codes: 0 ok, 1 error, 2 usage error.`;

const COMMAND_USAGE = new Map<string, string>([
  ['scenarios', SCENARIOS_USAGE],
  ['incidents', INCIDENTS_USAGE],
  ['sim', SIM_USAGE],
  ['validate', VALIDATE_USAGE],
  ['replay', REPLAY_USAGE],
  ['bot', BOT_USAGE],
  ['trainer', TRAINER_USAGE],
  ['prometheus-rules', PROMETHEUS_RULES_USAGE],
  ['kube', KUBE_USAGE],
]);

const out = (text: string): void => void process.stdout.write(`${text}\n`);
const err = (text: string): void => void process.stderr.write(`${text}\n`);

/** Runs the CLI with `argv` (without node and script); returns (or resolves to) the exit code. */
function main(argv: string[]): number | Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'scenarios':
        return scenariosCommand(rest, out);
      case 'incidents':
        return incidentsCommand(rest, out);
      case 'sim':
        return simCommand(rest, out);
      case 'validate':
        return validateCommand(rest, out, err);
      case 'replay':
        return replayCommand(rest, out).catch((e: unknown) => failure(command, e));
      case 'bot':
        return botCommand(rest, out).catch((e: unknown) => failure(command, e));
      case 'trainer':
        return trainerCommand(rest, out).catch((e: unknown) => failure(command, e));
      case 'prometheus-rules':
        return prometheusRulesCommand(rest, out);
      case 'kube':
        return kubeCommand(rest, out).catch((e: unknown) => failure(command, e));
      case 'help':
      case '--help':
      case '-h':
        return help(command === 'help' ? rest : []);
      case undefined:
        err(USAGE);
        return 2;
      default:
        throw new UsageError(command.startsWith('-') ? `Unknown option "${command}"` : `Unknown command "${command}"`);
    }
  } catch (e) {
    return failure(command, e);
  }
}

/** The exit code for error `e` of `command`, with its message (and usage for usage errors) on stderr. */
function failure(command: string | undefined, e: unknown): number {
  if (e instanceof UsageError || isParseArgsError(e)) {
    err(`gameday: ${(e as Error).message}\n`);
    err((command !== undefined && COMMAND_USAGE.get(command)) || USAGE);
    return 2;
  }
  if (e instanceof CliError || e instanceof ScenarioError) {
    err(`gameday: ${e.message}`);
    return 1;
  }
  err(`gameday: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  return 1;
}

function help(topics: string[]): number {
  if (topics.length > 1) throw new UsageError('help takes at most one COMMAND');
  const topic = topics[0];
  if (topic === undefined) {
    out(USAGE);
    return 0;
  }
  const usage = COMMAND_USAGE.get(topic);
  if (!usage) throw new UsageError(`Unknown command "${topic}"`);
  out(usage);
  return 0;
}

/** `node:util` parseArgs throws TypeErrors with `ERR_PARSE_ARGS_*` codes for unknown/bad flags. */
function isParseArgsError(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}

// `gameday sim --json | head -c 100`: a closed pipe is not an error worth a stack trace.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

const code = main(process.argv.slice(2));
if (typeof code === 'number') process.exitCode = code;
else void code.then((c) => (process.exitCode = c));
