/**
 * `gameday kube`: a practice cluster for learning kubectl alone. Runs a one-team shared/game match of
 * the scenario headless (no room, no database) in real time, and serves its Kubernetes API and
 * `/metrics` with server/k8s's own routes on a plain Fastify at 127.0.0.1: the match is lent to the
 * k8s gateway (`registerK8sMatch`) exactly as a match room lends its clusters, with one seated player
 * (`you`, team blue) whose bearer token goes into the written kubeconfig. kubectl writes go through
 * shared/game `submit` like a console action. Stops cleanly on SIGINT/SIGTERM (exit 0).
 *
 * Fastify, server/k8s and the server metrics are imported lazily (this command only), so the other
 * commands stay free of them. `/metrics` (no token, like the server's) is the server's own process and
 * room metrics (server/http/metrics.ts, the same code): this match counts as one room, `room` = its
 * match id, with its clock's frame lateness and dropped ticks; the team cluster's metrics are
 * `/k8s/MATCH/blue/metrics` (token in the path, printed).
 */
import { randomUUID } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { listScenarios, resolveSimInput } from '../scenarios/index.ts';
import { DEFAULT_TEAM_ID, advance, createMatch, findPlayer, getTeam, join, submit, type Match } from '../../shared/game/index.ts';
import { ActionMessage } from '../../shared/protocol.ts';
import { CliError, UsageError } from './errors.ts';

/** `gameday kube --help` text (units: sim seconds per real second). */
export const KUBE_USAGE = `Usage: gameday kube --scenario ID|FILE [--manifests FILE.yaml] [--seed N] [--speed X] [--port P]
                    [--kubeconfig FILE] [--json]

Runs a practice match headless and serves its team cluster's Kubernetes API (and /metrics) on 127.0.0.1,
for real kubectl: kubectl --kubeconfig gameday.yaml get pods. /metrics has the process and room metrics
of the server's /metrics. Stop with Ctrl+C (SIGINT) or SIGTERM.
  --scenario ID|FILE     built-in scenario id (see "gameday scenarios") or a scenario file
  --manifests FILE.yaml  Kubernetes manifests (with --scenario: instead of its workloads; alone: a default cluster)
  --seed N               PRNG seed, integer 0..4294967295 (default 1)
  --speed X              sim seconds per real second (default: the scenario's time dilation, else 4)
  --port P               TCP port on 127.0.0.1 (default 0: a free port, printed)
  --kubeconfig FILE      where to write the kubeconfig (default ./gameday.yaml)
  --json                 print one JSON object {url, kubeconfig, scenarioId, seed, speed, metrics, serverMetrics}
                         instead of a line`;

const MAX_SEED = 0xffffffff;
/** Speed when neither `--speed` nor the scenario sets one: the server's default TIME_DILATION. */
export const DEFAULT_KUBE_SPEED = 4;
/** Real milliseconds between clock frames (each runs the ticks that became due). */
const FRAME_MS = 50;
/** At most this many ticks per frame (a stalled process catches up gradually instead of freezing). */
const MAX_TICKS_PER_FRAME = 50;
/** The seated player's name (the Kubernetes user name in Status messages). */
const PLAYER = 'you';
const SESSION = 'kube-cli';

/**
 * Runs `gameday kube ARGS`; resolves to the exit code once stopped by SIGINT/SIGTERM (0).
 * @throws UsageError (exit 2) for bad flags, an unknown scenario or a missing file; CliError when the
 *   scenario does not load or the port cannot be listened on.
 */
export async function kubeCommand(args: string[], out: (text: string) => void): Promise<number> {
  const { values } = parseArgs({
    args,
    allowPositionals: false,
    strict: true,
    options: {
      scenario: { type: 'string' },
      manifests: { type: 'string' },
      seed: { type: 'string' },
      speed: { type: 'string' },
      port: { type: 'string' },
      kubeconfig: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    out(KUBE_USAGE);
    return 0;
  }
  if (values.scenario === undefined && values.manifests === undefined) throw new UsageError('kube needs --scenario ID|FILE (or --manifests FILE.yaml)');
  const seed = values.seed === undefined ? 1 : parseSeed(values.seed);
  const port = values.port === undefined ? 0 : parsePort(values.port);
  const speedFlag = values.speed === undefined ? undefined : parseSpeed(values.speed);
  if (values.scenario !== undefined) checkScenario(values.scenario);
  if (values.manifests !== undefined && !existsSync(values.manifests)) throw new UsageError(`Manifests file not found: ${values.manifests}`);
  const kubeconfigPath = resolve(values.kubeconfig ?? 'gameday.yaml');

  let resolved: ReturnType<typeof resolveSimInput>;
  try {
    resolved = resolveSimInput({ scenario: values.scenario, manifests: values.manifests, seed });
  } catch (err) {
    throw new CliError((err as Error).message);
  }
  const speed = speedFlag ?? resolved.timeDilation ?? DEFAULT_KUBE_SPEED;
  const input = resolved.input;
  const match = createMatch({ input, teams: [DEFAULT_TEAM_ID] });
  const seat = join(match, { name: PLAYER, team: DEFAULT_TEAM_ID });
  if (!seat.ok) throw new CliError(seat.error);
  const playerId = seat.player.id;

  const [{ default: Fastify }, { registerK8sRoutes }, { registerK8sMatch }, { kubeconfigYaml, clusterPath }, { meterHeadlessMatch, registerServerMetrics }] = await Promise.all([
    import('fastify'),
    import('../k8s/routes.ts'),
    import('../k8s/gateway.ts'),
    import('../k8s/kubeconfig.ts'),
    import('../http/metrics.ts'),
  ]);
  const matchId = randomUUID();
  const handle = registerK8sMatch(matchId, {
    teams: () => match.teams.map((t) => t.id),
    sim: (team) => (match.teams.some((t) => t.id === team) ? getTeam(match, team).sim : undefined),
    principal: (sessionId) => {
      const p = sessionId === SESSION ? findPlayer(match, playerId) : undefined;
      return p ? { name: p.name, team: p.team, trainer: p.trainer } : undefined;
    },
    submit: (sessionId, action) => Promise.resolve(submitAction(match, sessionId === SESSION ? playerId : undefined, action)),
  });
  const token = handle.issue(SESSION);
  const app = Fastify({ logger: false, bodyLimit: 64 * 1024 });
  await app.register(registerK8sRoutes, { prefix: '/k8s' });
  await app.register(registerServerMetrics);
  try {
    await app.listen({ port, host: '127.0.0.1' });
  } catch (err) {
    handle.close();
    throw new CliError(`cannot listen on 127.0.0.1:${port}: ${(err as Error).message}`);
  }
  const address = app.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : port}`;
  try {
    writeFileSync(kubeconfigPath, kubeconfigYaml({ baseUrl: url, matchId, user: PLAYER, token, team: DEFAULT_TEAM_ID, teams: [DEFAULT_TEAM_ID] }), { mode: 0o600 });
  } catch (err) {
    handle.close();
    await app.close();
    throw new CliError(`cannot write the kubeconfig ${kubeconfigPath}: ${(err as Error).message}`);
  }
  const metrics = `${url}${clusterPath(matchId, DEFAULT_TEAM_ID)}/token/${token}/metrics`;
  const serverMetrics = `${url}/metrics`;
  if (values.json) out(JSON.stringify({ url, kubeconfig: kubeconfigPath, scenarioId: input.scenarioId, seed, speed, metrics, serverMetrics }));
  else out(`gameday kube: ${resolved.title} (scenario ${input.scenarioId}, seed ${seed}, ${speed} sim s per s) on ${url} — kubectl --kubeconfig ${kubeconfigPath} get pods; metrics: ${metrics}`);

  // Real-time clock: sim seconds accrue at `speed` per real second; each whole tick is one `advance`.
  const tickMs = (input.settings.tickSeconds * 1000) / speed;
  let last = performance.now();
  let owed = 0;
  /** Ticks the per-frame cap dropped (the sim fell behind real time), for `gameday_room_dropped_ticks_total`. */
  let droppedTicks = 0;
  const meter = meterHeadlessMatch({
    id: matchId,
    clients: () => 0,
    simSeconds: () => getTeam(match, DEFAULT_TEAM_ID).sim.t,
    clock: () => ({ droppedTicks, timeDilation: speed }),
  });
  const timer = setInterval(() => {
    const now = performance.now();
    meter.frame((now - last - FRAME_MS) / 1000);
    owed += now - last;
    last = now;
    let ran = 0;
    while (owed >= tickMs && ran < MAX_TICKS_PER_FRAME) {
      owed -= tickMs;
      ran++;
      if (advance(match)) {
        owed = 0;
        break;
      }
    }
    if (ran === MAX_TICKS_PER_FRAME && owed > tickMs) {
      droppedTicks += Math.floor(owed / tickMs) - 1;
      owed = tickMs;
    }
  }, FRAME_MS);

  return new Promise<number>((done) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      clearInterval(timer);
      meter.close();
      handle.close();
      void app.close().then(
        () => done(0),
        () => done(0),
      );
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/** A kubectl write as the seated player: validated with the protocol's schema, then shared/game `submit`. */
function submitAction(match: Match, playerId: string | undefined, action: unknown): { ok: true; message: string } | { ok: false; error: string } {
  if (playerId === undefined) return { ok: false, error: 'not a player of this match' };
  const checked = ActionMessage.safeParse(action);
  if (!checked.success) return { ok: false, error: `invalid action: ${checked.error.issues.map((i) => `${i.path.join('.') || '(action)'}: ${i.message}`).join('; ')}` };
  const result = submit(match, playerId, checked.data);
  return result.ok ? { ok: true, message: result.message } : { ok: false, error: result.error };
}

function parseSeed(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) > MAX_SEED) throw new UsageError(`--seed must be an integer from 0 to ${MAX_SEED}, got "${text}"`);
  return Number(text);
}

function parsePort(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) > 65535) throw new UsageError(`--port must be an integer from 0 to 65535, got "${text}"`);
  return Number(text);
}

function parseSpeed(text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n <= 0 || n > 1000) throw new UsageError(`--speed must be a number of sim seconds per real second, above 0 and at most 1000, got "${text}"`);
  return n;
}

/** A scenario argument is a file when it exists or looks like a path; otherwise it must be a known id. */
function checkScenario(arg: string): void {
  if (existsSync(arg)) return;
  if (/[/\\]|\.(ya?ml|json)$/i.test(arg)) throw new UsageError(`Scenario file not found: ${arg}`);
  const ids = listScenarios().map((s) => s.id);
  if (!ids.includes(arg)) throw new UsageError(`Unknown scenario "${arg}". Valid ids: ${ids.join(', ')} (or pass a scenario file path).`);
}
