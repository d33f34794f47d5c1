/**
 * `npm run bench`: the figures the project tracks (issue 5, "Performance to reach"). CPU milliseconds
 * (process.cpuUsage: user + system, every thread of the process) unless a name says `Wall`; the machine
 * is shared and noisy, so ratios measured in the same run are steadier than absolute numbers.
 *
 * Output: by default one JSON line per section as it finishes (`{"bench": "<section>", ...}`);
 * with `--json`, ONE JSON object on stdout at the end holding every named figure plus `meta`
 * (progress notes go to stderr in both modes). A failing section is reported in `errors` (and a
 * `{"bench": ..., "error": ...}` line) and the others still run; the exit code is then 1.
 *
 * Sections (`--only a,b` or env BENCH_ONLY=a,b; default all, in this order):
 * - `default`: sim step alone per tick, default match (`defaultStepMs`, `warmupTicks`), bench/default.ts;
 * - `room`: step + projection + encode per tick at 10 ticks/s, a patch every tick (`defaultRoomMs`,
 *   `matchesPerCore`, `defaultJoinBytes`, `defaultPatchBytesMean`), bench/default.ts; with `default`
 *   the two alternate match by match (one `default+room` line) and `defaultRoomVsStep` is their ratio;
 * - `project50k`: projection with nothing changing at 50,000 Pods (`projectIdle50kMs`), bench/big.ts;
 * - `big-idle`, `bare`, `big-room`, `big-rollout`, `big-eviction`: the 5,000-Node / 150,000-Pod
 *   cluster (one createSim for all of them: `bigCreateSimMs`, `bigHeapBytesPerPod`; `bigIdleTickMs`,
 *   `bareLoopMs`; `bigJoinBytes`, `bigIdlePatchBytesPerSec`; `bigRolloutMeanMs`, `bigRolloutMaxMs`;
 *   `bigEvictionTickMs`), bench/big.ts; `big` selects all five;
 * - `wire`: bytes on the wire with a real server and SDK clients (`wire*`), bench/wire.ts (~32 s real time).
 * Old names still work: `sim-default` = default, `sim-synthetic` = big without big-room, `patch-bytes` = wire.
 *
 * Env (all optional): BENCH_NODES / BENCH_PODS (big cluster, 5000 / 150000), BENCH_WARMUP_TICKS (big,
 * untimed ticks after createSim, 100), BENCH_TICKS (big idle ticks timed, 100), BENCH_DEFAULT_WARMUP
 * (default match untimed ticks, 300), BENCH_REPEATS (default matches measured, median, 7),
 * BENCH_ROLLOUT_SHARE (0.1), BENCH_ROLLOUT_CAP (ticks, 300), BENCH_EVICTION_CAP (ticks, 600),
 * BENCH_ROOM_PATCHES (big idle patches, 10), BENCH_BARE_PASSES (100), BENCH_PROJECT_PODS (50000),
 * BENCH_PROJECT_PATCHES (10), BENCH_PATCH_SECONDS (wire, real seconds per case, 10).
 */
import { execFileSync } from 'node:child_process';
import { z } from 'zod';
import { benchDefault } from './default.ts';
import { benchBareLoop, benchBig, benchProjectIdle } from './big.ts';
import { benchWire } from './wire.ts';
import { collectGarbage, note, type Figures } from './measure.ts';

/** Section names in run order. */
const SECTIONS = ['default', 'room', 'project50k', 'big-idle', 'bare', 'big-room', 'big-rollout', 'big-eviction', 'wire'] as const;
type Section = (typeof SECTIONS)[number];
const BIG: readonly Section[] = ['big-idle', 'bare', 'big-room', 'big-rollout', 'big-eviction'];
const ALIASES = new Map<string, readonly Section[]>([
  ['all', SECTIONS],
  ['big', BIG],
  ['sim-default', ['default']],
  ['sim-synthetic', ['big-idle', 'bare', 'big-rollout', 'big-eviction']],
  ['patch-bytes', ['wire']],
]);

const count = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const Env = z.object({
  BENCH_ONLY: z.string().optional(),
  BENCH_NODES: count(5000),
  BENCH_PODS: count(150_000),
  BENCH_WARMUP_TICKS: z.coerce.number().int().min(0).default(100),
  BENCH_TICKS: count(100),
  BENCH_DEFAULT_WARMUP: z.coerce.number().int().min(0).default(300),
  BENCH_REPEATS: count(7),
  BENCH_ROLLOUT_SHARE: z.coerce.number().gt(0).max(1).default(0.1),
  BENCH_ROLLOUT_CAP: count(300),
  BENCH_EVICTION_CAP: count(600),
  BENCH_ROOM_PATCHES: count(10),
  BENCH_BARE_PASSES: count(100),
  BENCH_PROJECT_PODS: count(50_000),
  BENCH_PROJECT_PATCHES: count(10),
  BENCH_PATCH_SECONDS: count(10),
});

function usage(): string {
  return `usage: npm run bench -- [--json] [--only ${[...SECTIONS, ...ALIASES.keys()].join('|')}[,...]]\n(see bench/README.md for the figures and env options)`;
}

/** Parses argv and env. @throws Error with the usage text for an unknown flag or section. */
function parseArgs(argv: readonly string[], env: NodeJS.ProcessEnv) {
  let json = false;
  let only = env['BENCH_ONLY'];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--json') json = true;
    else if (arg === '--only') only = argv[++i];
    else if (arg.startsWith('--only=')) only = arg.slice('--only='.length);
    else if (arg === '--help' || arg === '-h') throw new Error(usage());
    else throw new Error(`unknown argument "${arg}"\n${usage()}`);
  }
  const selected = new Set<Section>();
  for (const name of (only ?? 'all').split(',').map((s) => s.trim()).filter(Boolean)) {
    const alias = ALIASES.get(name);
    if (alias) for (const s of alias) selected.add(s);
    else if ((SECTIONS as readonly string[]).includes(name)) selected.add(name as Section);
    else throw new Error(`unknown section "${name}"\n${usage()}`);
  }
  const parsed = Env.safeParse(env);
  if (!parsed.success) throw new Error(`bad BENCH_* environment: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return { json, selected, options: parsed.data };
}

function git(args: string[]): string {
  try {
    return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
}

let args: ReturnType<typeof parseArgs>;
try {
  args = parseArgs(process.argv.slice(2), process.env);
} catch (err) {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(2);
}
const { json, selected, options: o } = args;
const started = process.hrtime.bigint();
const cpu0 = process.cpuUsage();
const figures: Figures = {};
const errors: Record<string, string> = {};
const ran: string[] = [];

/** Runs one section: its figures join the result; a line is printed unless --json. */
async function section(name: string, run: () => Figures | Promise<Figures>): Promise<void> {
  note(`${name}...`);
  collectGarbage();
  try {
    const out = await run();
    Object.assign(figures, out);
    ran.push(name);
    if (!json) console.log(JSON.stringify({ bench: name, ...out }));
  } catch (err) {
    const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
    errors[name] = message.split('\n')[0]!;
    note(`${name} failed: ${message}`);
    if (!json) console.log(JSON.stringify({ bench: name, error: errors[name] }));
  }
}

if (selected.has('default') || selected.has('room')) {
  const which = { step: selected.has('default'), room: selected.has('room') };
  const name = [which.step ? 'default' : '', which.room ? 'room' : ''].filter(Boolean).join('+');
  await section(name, () => benchDefault({ warmupTicks: o.BENCH_DEFAULT_WARMUP, repeats: o.BENCH_REPEATS }, which));
}
if (selected.has('project50k')) {
  const nodes = Math.max(1, Math.ceil((o.BENCH_PROJECT_PODS * o.BENCH_NODES) / o.BENCH_PODS));
  await section('project50k', () => benchProjectIdle(o.BENCH_PROJECT_PODS, nodes, o.BENCH_PROJECT_PATCHES));
}
const bigParts = { idle: selected.has('big-idle'), bare: selected.has('bare'), room: selected.has('big-room'), rollout: selected.has('big-rollout'), eviction: selected.has('big-eviction') };
if (bigParts.idle || bigParts.room || bigParts.rollout || bigParts.eviction) {
  await section('big', () =>
    benchBig({
      nodes: o.BENCH_NODES,
      pods: o.BENCH_PODS,
      warmupTicks: o.BENCH_WARMUP_TICKS,
      idleTicks: o.BENCH_TICKS,
      rolloutShare: o.BENCH_ROLLOUT_SHARE,
      rolloutCapTicks: o.BENCH_ROLLOUT_CAP,
      evictionCapTicks: o.BENCH_EVICTION_CAP,
      roomPatches: o.BENCH_ROOM_PATCHES,
      barePasses: o.BENCH_BARE_PASSES,
      parts: bigParts,
    }),
  );
} else if (bigParts.bare) {
  await section('bare', () => benchBareLoop(o.BENCH_PODS, o.BENCH_BARE_PASSES));
}
if (selected.has('wire')) {
  await section('wire', async () => {
    const { figures: wire, cases } = await benchWire(o.BENCH_PATCH_SECONDS);
    if (!json) for (const c of cases) console.log(JSON.stringify({ bench: 'patch-bytes', ...c }));
    return wire;
  });
}

if (json) {
  const commit = git(['rev-parse', '--short', 'HEAD']);
  const dirty = git(['status', '--porcelain', '--untracked-files=no']) !== '';
  const u = process.cpuUsage(cpu0);
  const result = {
    ...figures,
    meta: {
      commit: commit === '' ? 'unknown' : `${commit}${dirty ? '+dirty' : ''}`,
      node: process.version,
      sections: ran,
      wallSeconds: Math.round(Number(process.hrtime.bigint() - started) / 1e8) / 10,
      cpuSeconds: Math.round((u.user + u.system) / 1e5) / 10,
      options: Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)),
    },
    ...(Object.keys(errors).length > 0 ? { errors } : {}),
  };
  console.log(JSON.stringify(result, null, 2));
}
process.exit(Object.keys(errors).length > 0 ? 1 : 0);
