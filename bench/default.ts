/**
 * The default match (DEFAULT_SCENARIO_ID, seed 1, 1 tick = 1 sim second, 3,600 ticks):
 *
 * - `default` section: the sim step alone, CPU ms per tick, warm (the first `warmupTicks` ticks of
 *   each measured match are run but not timed), median of `repeats` matches;
 * - `room` section: everything the server does per tick at 10 ticks/s with a patch after every tick:
 *   step + projection + encode (bench/adapter.ts), same warm-up and repeats; plus the join snapshot
 *   and the patch sizes from the in-process serializer.
 *
 * When both run, step-alone and room matches alternate, so both see the same machine noise. Every
 * match plays the same ticks (same scenario and seed), so beside the CPU means the sections keep each
 * tick's smallest wall time over the matches (`...MinWallMs`): the tick's cost without interference
 * from the other work on a shared machine (and without GC on other threads), whose ratio
 * (`defaultRoomVsStepMin`) is much steadier than `defaultRoomVsStep` on a busy machine.
 *
 * May import bench/*, server/scenarios, shared/sim.
 */
import { createSim } from '../shared/sim/index.ts';
import { DEFAULT_SCENARIO_ID, resolveSimInput } from '../server/scenarios/index.ts';
import { broadcastPatch, createBenchRoom, joinClient, podCount, projectRoom, stepSim } from './adapter.ts';
import { cpuMs, mean, median, percentile, round, sorted, wallMs, type Figures } from './measure.ts';

/** Options of the default-match sections. */
export interface DefaultOptions {
  /** Ticks run untimed at the start of each measured match. */
  warmupTicks: number;
  /** Matches measured; the figure is the median of their means. */
  repeats: number;
}

function defaultInput() {
  const resolved = resolveSimInput({ scenario: DEFAULT_SCENARIO_ID, seed: 1 });
  const ticks = Math.ceil(resolved.input.settings.durationSeconds / resolved.input.settings.tickSeconds);
  return { ...resolved, ticks };
}

type Resolved = ReturnType<typeof defaultInput>;

/**
 * Runs the selected default-match measurements, alternating step-alone and room matches (so both see
 * the same machine noise; their ratio is what matters), and returns their figures.
 */
export function benchDefault(opts: DefaultOptions, which: { step: boolean; room: boolean }): Figures {
  const resolved = defaultInput();
  const step = new StepRuns();
  const room = new RoomRuns();
  for (let r = 0; r < opts.repeats; r++) {
    if (which.step) step.run(resolved, opts.warmupTicks);
    if (which.room) room.run(resolved, opts.warmupTicks);
  }
  const out: Figures = {};
  if (which.step) Object.assign(out, step.figures(resolved, opts));
  if (which.room) Object.assign(out, room.figures());
  if (which.step && which.room) {
    out['defaultRoomVsStep'] = round(median(room.runs) / Math.max(1e-9, median(step.runs)), 2);
    const stepMin = meanFrom(step.minWall, step.warmup);
    const adapterMin = meanFrom(room.minProject, step.warmup) + meanFrom(room.minEncode, step.warmup);
    out['defaultRoomVsStepMin'] = round((stepMin + adapterMin) / Math.max(1e-9, stepMin), 2);
  }
  return out;
}

/** Per tick, the smaller of `mins[i]` and `ms` (a tick's smallest wall time over the matches). */
function keepMin(mins: number[], i: number, ms: number): void {
  const m = mins[i];
  if (m === undefined || ms < m) mins[i] = ms;
}

/** Mean of `mins` from tick `from` on (the measured ticks), 0 when none. */
function meanFrom(mins: readonly number[], from: number): number {
  return mean(mins.slice(from));
}

/** Step-alone matches: `defaultStepMs` and its distribution (wall p50/p99/max per tick, all runs). */
class StepRuns {
  runs: number[] = [];
  perTick: number[] = [];
  /** Per tick index, its smallest wall ms over the matches (measured ticks only). */
  minWall: number[] = [];
  pods = 0;
  nodes = 0;
  warmup = 0;

  run({ input, ticks }: Resolved, warmupTicks: number): void {
    const warmup = (this.warmup = Math.min(warmupTicks, ticks - 1));
    const { runs, perTick } = this;
    const sim = createSim(input);
    for (let i = 0; i < warmup; i++) stepSim(sim);
    const c0 = process.cpuUsage();
    for (let i = warmup; i < ticks; i++) {
      const t0 = process.hrtime.bigint();
      stepSim(sim);
      const ms = wallMs(t0);
      perTick.push(ms);
      keepMin(this.minWall, i, ms);
    }
    runs.push(cpuMs(c0) / (ticks - warmup));
    this.pods = podCount(sim);
    this.nodes = Object.keys(sim.nodes).length;
  }

  figures({ ticks }: Resolved, opts: DefaultOptions): Figures {
    const { runs, perTick } = this;
    const s = sorted(perTick);
    return {
      defaultScenario: DEFAULT_SCENARIO_ID,
      defaultPods: this.pods,
      defaultNodes: this.nodes,
      defaultTicks: ticks,
      warmupTicks: this.warmup,
      defaultRepeats: opts.repeats,
      defaultStepMs: round(median(runs), 4),
      defaultStepMsMin: round(Math.min(...runs), 4),
      defaultStepMsMax: round(Math.max(...runs), 4),
      defaultStepWallMsP50: round(percentile(s, 0.5), 4),
      defaultStepWallMsP99: round(percentile(s, 0.99), 4),
      defaultStepWallMsMax: round(s[s.length - 1] ?? 0, 3),
      defaultStepMinWallMs: round(meanFrom(this.minWall, this.warmup), 4),
    };
  }
}

/**
 * Room matches: `defaultRoomMs` (step + projection + encode per tick, patch every tick),
 * `matchesPerCore`, the in-process join snapshot and patch sizes, the wall-time split of a room tick.
 */
class RoomRuns {
  runs: number[] = [];
  split = { step: [] as number[], project: [] as number[], encode: [] as number[] };
  joinBytes = 0;
  patches: number[] = [];
  /** Per tick index, the smallest wall ms of each part over the matches (measured ticks only). */
  minStep: number[] = [];
  minProject: number[] = [];
  minEncode: number[] = [];
  warmup = 0;

  run({ input, title, ticks }: Resolved, warmupTicks: number): void {
    const warmup = (this.warmup = Math.min(warmupTicks, ticks - 1));
    const { runs, split } = this;
    const sim = createSim(input);
    const room = createBenchRoom(sim, {
      matchId: '00000000-0000-4000-8000-000000000000',
      scenarioId: input.scenarioId,
      title,
      durationSeconds: input.settings.durationSeconds,
      timeDilation: 4,
    });
    this.joinBytes = joinClient(room, 'bench-0');
    const sent: number[] = [];
    const tick = () => {
      stepSim(sim);
      projectRoom(room);
      const bytes = broadcastPatch(room);
      if (bytes > 0) sent.push(bytes);
    };
    for (let i = 0; i < warmup; i++) tick();
    let stepWall = 0;
    let projectWall = 0;
    let encodeWall = 0;
    const c0 = process.cpuUsage();
    for (let i = warmup; i < ticks; i++) {
      const t0 = process.hrtime.bigint();
      stepSim(sim);
      const t1 = process.hrtime.bigint();
      projectRoom(room);
      const t2 = process.hrtime.bigint();
      const bytes = broadcastPatch(room);
      const t3 = process.hrtime.bigint();
      if (bytes > 0) sent.push(bytes);
      stepWall += Number(t1 - t0);
      projectWall += Number(t2 - t1);
      encodeWall += Number(t3 - t2);
      keepMin(this.minStep, i, Number(t1 - t0) / 1e6);
      keepMin(this.minProject, i, Number(t2 - t1) / 1e6);
      keepMin(this.minEncode, i, Number(t3 - t2) / 1e6);
    }
    const measured = ticks - warmup;
    runs.push(cpuMs(c0) / measured);
    split.step.push(stepWall / 1e6 / measured);
    split.project.push(projectWall / 1e6 / measured);
    split.encode.push(encodeWall / 1e6 / measured);
    this.patches = sent;
  }

  figures(): Figures {
    const { runs, split, joinBytes, patches } = this;
    const roomMs = median(runs);
    const p = sorted(patches);
    const rest = patches.slice(1);
    return {
      defaultRoomMs: round(roomMs, 4),
      defaultRoomMsMin: round(Math.min(...runs), 4),
      defaultRoomMsMax: round(Math.max(...runs), 4),
      matchesPerCore: Math.round(1000 / (roomMs * 10)),
      defaultRoomStepWallMs: round(median(split.step), 4),
      defaultRoomProjectWallMs: round(median(split.project), 4),
      defaultRoomEncodeWallMs: round(median(split.encode), 4),
      defaultRoomStepMinWallMs: round(meanFrom(this.minStep, this.warmup), 4),
      defaultRoomProjectMinWallMs: round(meanFrom(this.minProject, this.warmup), 4),
      defaultRoomEncodeMinWallMs: round(meanFrom(this.minEncode, this.warmup), 4),
      defaultJoinBytes: joinBytes,
      // The creator's first patch repeats the join snapshot (see bench/adapter.ts): shown apart, so
      // the mean compares with the wire figure whether or not a patch fell between create and join.
      defaultPatchBytesMean: round(mean(rest), 1),
      defaultPatchBytesP50: percentile(p, 0.5),
      defaultPatchBytesP95: percentile(p, 0.95),
      defaultPatchBytesMax: p[p.length - 1] ?? 0,
      defaultFirstPatchBytes: patches[0] ?? 0,
      defaultPatchBytesMeanInclFirst: round(mean(p), 1),
      defaultPatchesSent: p.length,
      defaultBytesSource: 'in-process MatchSerializer (the room serializer), 1 client, patch after every tick, mean without the first patch',
    };
  }
}
