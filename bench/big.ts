/**
 * The synthetic large cluster (bench/sim-bench.ts, default 5,000 Nodes / 150,000 Pods / 1,500
 * Deployments), one createSim shared by the selected parts, in this order:
 *
 * - `big-idle`: createSim CPU and heap per Pod, then the warm idle tick (after `warmupTicks` untimed
 *   ticks) and, in the same run, the bare typed-array loop ({@link benchBareLoop}) it is compared with;
 * - `big-room`: the room's join snapshot and idle patches at that size (step, project, encode per patch);
 * - `big-rollout`: setImage on 10 % of the Deployments at once, ticks until all complete or a cap;
 * - `big-eviction`: a Node's kubelet stops (the node-failure incident's break), ticks until the 300 s
 *   toleration evicts its Pods; the eviction tick's CPU.
 *
 * `project50k` is separate: its own 50,000-Pod cluster, projected once, then re-projected with nothing
 * changing.
 *
 * May import bench/*, shared/sim.
 */
import { createSim } from '../shared/sim/index.ts';
import type { SimState } from '../shared/sim/types.ts';
import {
  broadcastPatch,
  countLive,
  countReady,
  createBenchRoom,
  failNode,
  joinClient,
  livePodsOn,
  podCount,
  projectRoom,
  rolloutComplete,
  simAction,
  stepSim,
} from './adapter.ts';
import { collectGarbage, cpuMs, heapUsedAfterGc, mean, note, percentile, round, sorted, type Figures } from './measure.ts';
import { syntheticInput } from './sim-bench.ts';

/** Options of the big-cluster sections (env overrides in bench/run.ts). */
export interface BigOptions {
  nodes: number;
  pods: number;
  /** Untimed ticks after createSim before the idle ticks are timed. */
  warmupTicks: number;
  /** Timed idle ticks. */
  idleTicks: number;
  /** Share of Deployments rolled out at once (0.1 = 10 %). */
  rolloutShare: number;
  /** Most ticks to wait for the rollout to complete. */
  rolloutCapTicks: number;
  /** Most ticks to wait for the eviction after the Node fails. */
  evictionCapTicks: number;
  /** Timed idle patches at the big size (after 2 untimed ones). */
  roomPatches: number;
  /** Passes of the bare loop timed (after 10 untimed). */
  barePasses: number;
  /** Which parts to run. */
  parts: { idle: boolean; bare: boolean; room: boolean; rollout: boolean; eviction: boolean };
}

// ---------------------------------------------------------------------------------------------
// The bare loop
// ---------------------------------------------------------------------------------------------

/** Idle ticks per block, and bare-loop passes timed after each block, when both are measured. */
const IDLE_BLOCK = 20;

const RUNNING = 1;
const BACKOFF = 2;
const LIMIT_MIB = 256;

/** Per-Pod fields of the yardstick loop, one typed array each. */
export interface BarePods {
  phase: Uint8Array;
  ready: Uint8Array;
  memoryMiB: Float64Array;
  cpuMilli: Float64Array;
  restartAt: Float64Array;
}

export function barePods(n: number): BarePods {
  const pods: BarePods = { phase: new Uint8Array(n), ready: new Uint8Array(n), memoryMiB: new Float64Array(n), cpuMilli: new Float64Array(n), restartAt: new Float64Array(n) };
  let x = 12345;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0; // LCG: deterministic spread of start values
    pods.phase[i] = RUNNING;
    pods.ready[i] = 1;
    pods.memoryMiB[i] = 64 + (x % 19200) / 100; // 64..256 MiB
    pods.cpuMilli[i] = 10 + (x % 40);
  }
  return pods;
}

/**
 * One tick of the yardstick: for every Pod read and update phase, readiness, memory (a slow leak; over
 * the limit -> back-off with a restart timer), CPU (smoothed toward its load) and the restart timer.
 * @returns a checksum of what was written (printed, so the loop cannot be optimised away).
 */
export function barePass(p: BarePods, t: number): number {
  const { phase, ready, memoryMiB, cpuMilli, restartAt } = p;
  const n = phase.length;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    let ph = phase[i]!;
    let mem = memoryMiB[i]!;
    let restart = restartAt[i]!;
    if (ph === BACKOFF) {
      if (restart <= t) {
        ph = RUNNING;
        mem = 64;
        restart = 0;
      }
    } else {
      mem += 0.001;
      if (mem > LIMIT_MIB) {
        ph = BACKOFF;
        restart = t + 10;
      }
    }
    const cpu = cpuMilli[i]! * 0.5 + (ph === RUNNING ? 20 : 0);
    const rd = ph === RUNNING ? 1 : 0;
    phase[i] = ph;
    memoryMiB[i] = mem;
    restartAt[i] = restart;
    cpuMilli[i] = cpu;
    ready[i] = rd;
    sum += mem + cpu + rd + restart;
  }
  return sum;
}

/** Untimed passes first: at least 10 and 2 million Pod iterations, so the loop is optimised when timed. */
function bareWarmupPasses(pods: number): number {
  return Math.max(10, Math.ceil(2e6 / Math.max(1, pods)));
}

/**
 * Runs `patches` measured patches (after 2 unmeasured ones): `before()` (e.g. a sim step, not timed),
 * then projection and encode, each timed in CPU ms; returns per patch the projection ms, encode ms and
 * patch bytes.
 */
function measurePatches(room: Parameters<typeof projectRoom>[0], patches: number, before: () => void = () => undefined): { project: number[]; encode: number[]; bytes: number[] } {
  const out = { project: [] as number[], encode: [] as number[], bytes: [] as number[] };
  for (let i = 0; i < 2 + patches; i++) {
    before();
    let c0 = process.cpuUsage();
    projectRoom(room);
    const p = cpuMs(c0);
    c0 = process.cpuUsage();
    const b = broadcastPatch(room);
    const e = cpuMs(c0);
    if (i < 2) continue;
    out.project.push(p);
    out.encode.push(e);
    out.bytes.push(b);
  }
  return out;
}

/** `bareLoopMs`: CPU ms of one pass of the bare loop over `pods` Pods (mean of `passes`). */
export function benchBareLoop(pods: number, passes: number): Figures {
  const p = barePods(pods);
  let checksum = 0;
  for (let t = 0; t < bareWarmupPasses(pods); t++) checksum += barePass(p, t);
  const c0 = process.cpuUsage();
  for (let t = 1000; t < 1000 + passes; t++) checksum += barePass(p, t);
  const ms = cpuMs(c0) / passes;
  return { bareLoopMs: round(ms, 4), bareLoopPods: pods, bareLoopPasses: passes, bareLoopChecksum: round(checksum, 0) };
}

// ---------------------------------------------------------------------------------------------
// The big cluster
// ---------------------------------------------------------------------------------------------

/** Runs `ticks` ticks, returns each tick's CPU ms. */
function timedTicks(sim: SimState, ticks: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < ticks; i++) {
    const c0 = process.cpuUsage();
    stepSim(sim);
    out.push(cpuMs(c0));
  }
  return out;
}

/** The selected big-cluster parts, in the order of the file comment. */
export function benchBig(opts: BigOptions): Figures {
  const out: Figures = {};
  const heapBefore = heapUsedAfterGc();
  const c0 = process.cpuUsage();
  const sim = createSim(syntheticInput(opts.nodes, opts.pods));
  const createMs = cpuMs(c0);
  const heapAfter = heapUsedAfterGc();
  const pods = podCount(sim);
  Object.assign(out, {
    bigNodes: Object.keys(sim.nodes).length,
    bigPods: pods,
    bigDeployments: Object.keys(sim.deployments).length,
    bigCreateSimMs: Math.round(createMs),
    bigHeapBytesPerPod: Math.round((heapAfter - heapBefore) / Math.max(1, pods)),
    bigHeapMiB: Math.round((heapAfter - heapBefore) / 2 ** 20),
  });
  note(`big: createSim ${Math.round(createMs)} ms CPU, ${pods} pods, ${out['bigHeapBytesPerPod']} B/pod`);

  const warm = timedTicks(sim, opts.warmupTicks);
  // The same heap after the warm-up ticks: what the first ticks build and keep (the traffic model's
  // per-Service memo, probe and controller memos) counts too, the figure a running match holds.
  const heapWarm = heapUsedAfterGc();
  Object.assign(out, { bigHeapBytesPerPodWarm: Math.round((heapWarm - heapBefore) / Math.max(1, pods)) });
  note(`big: after ${opts.warmupTicks} warm-up ticks ${out['bigHeapBytesPerPodWarm']} B/pod`);
  if (opts.parts.idle) {
    // With the bare loop selected, idle ticks and bare passes alternate in blocks of IDLE_BLOCK, so the
    // two see the same machine noise (their ratio is the target) while each keeps its own data in the
    // caches (a bare pass after every single tick made the tick 2-3x slower).
    const bare = opts.parts.bare ? barePods(pods) : undefined;
    const bareMs: number[] = [];
    let checksum = 0;
    let passes = 0;
    if (bare) for (; passes < bareWarmupPasses(pods); passes++) checksum += barePass(bare, passes);
    const idle: number[] = [];
    while (idle.length < opts.idleTicks) {
      idle.push(...timedTicks(sim, Math.min(IDLE_BLOCK, opts.idleTicks - idle.length)));
      if (!bare) continue;
      const c0 = process.cpuUsage();
      for (let k = 0; k < IDLE_BLOCK; k++, passes++) checksum += barePass(bare, passes);
      bareMs.push(cpuMs(c0) / IDLE_BLOCK);
    }
    if (bare) {
      Object.assign(out, { bareLoopMs: round(mean(bareMs), 4), bareLoopPods: pods, bareLoopPasses: bareMs.length * IDLE_BLOCK, bareLoopChecksum: round(checksum, 0), bareLoopBlocks: bareMs.length });
      note(`big: bare loop ${out['bareLoopMs']} ms`);
    }
    const s = sorted(idle);
    Object.assign(out, {
      bigWarmupTicks: opts.warmupTicks,
      bigFirstTickMs: round(warm[0] ?? 0, 3),
      bigIdleTickMs: round(mean(idle), 4),
      bigIdleTickMsP50: round(percentile(s, 0.5), 4),
      bigIdleTickMsMax: round(s[s.length - 1] ?? 0, 4),
      bigIdleTicks: opts.idleTicks,
    });
    note(`big: idle tick ${round(mean(idle), 3)} ms`);
  }
  if (opts.parts.bare && !opts.parts.idle) {
    Object.assign(out, benchBareLoop(pods, opts.barePasses));
    note(`big: bare loop ${out['bareLoopMs']} ms`);
  }
  if (typeof out['bigIdleTickMs'] === 'number' && typeof out['bareLoopMs'] === 'number' && out['bareLoopMs'] > 0) {
    out['bigIdleVsBareLoop'] = round(out['bigIdleTickMs'] / out['bareLoopMs'], 2);
  }

  if (opts.parts.room) Object.assign(out, bigRoom(sim, opts));
  if (opts.parts.rollout) Object.assign(out, bigRollout(sim, opts));
  if (opts.parts.eviction) Object.assign(out, bigEviction(sim, opts));
  return out;
}

/** Join snapshot and idle patches of a room holding the big cluster; the room is dropped afterwards. */
function bigRoom(sim: SimState, opts: BigOptions): Figures {
  const info = { matchId: '00000000-0000-4000-8000-000000000000', scenarioId: sim.scenarioId, title: sim.scenarioId, durationSeconds: sim.settings.durationSeconds, timeDilation: 10 };
  let c0 = process.cpuUsage();
  const room = createBenchRoom(sim, info);
  const firstProjectMs = cpuMs(c0);
  c0 = process.cpuUsage();
  const joinBytes = joinClient(room, 'bench-0');
  const joinEncodeMs = cpuMs(c0);
  note(`big-room: first projection ${Math.round(firstProjectMs)} ms, join ${joinBytes} B in ${Math.round(joinEncodeMs)} ms`);
  const { bytes, project, encode } = measurePatches(room, opts.roomPatches, () => stepSim(sim));
  room.clients.length = 0;
  collectGarbage();
  return {
    bigJoinBytes: joinBytes,
    bigJoinBytesPerPod: round(joinBytes / Math.max(1, podCount(sim)), 1),
    bigJoinEncodeMs: Math.round(joinEncodeMs),
    bigFirstProjectMs: Math.round(firstProjectMs),
    bigIdlePatchBytesMean: round(mean(bytes), 1),
    bigIdlePatchBytesPerSec: Math.round(mean(bytes) * 10),
    bigIdleProjectMs: round(mean(project), 3),
    bigIdleEncodeMs: round(mean(encode), 3),
    bigIdlePatches: bytes.length,
    bigIdlePatchWarmup: 2,
  };
}

/** Ticks timed after the rollout completed (the old Pods' termination grace period is 30 s). */
const ROLLOUT_TAIL_TICKS = 40;

/**
 * setImage on every 1/share-th Deployment at once, ticks until all complete or the cap (`bigRollout*`),
 * then {@link ROLLOUT_TAIL_TICKS} more while the old Pods finish terminating (`bigRolloutTail*`).
 */
function bigRollout(sim: SimState, opts: BigOptions): Figures {
  const keys = Object.keys(sim.deployments).sort();
  const every = Math.max(1, Math.round(1 / opts.rolloutShare));
  const targets = keys.filter((_, i) => i % every === 0);
  const replicas = targets.reduce((s, k) => s + sim.deployments[k]!.spec.replicas, 0);
  for (const key of targets) {
    const d = sim.deployments[key]!;
    const image = d.spec.template.spec.containers[0]!.image.replace(/:[^:/]*$/, '') + ':v2-bench';
    simAction(sim, { type: 'setImage', deployment: d.metadata.name, image });
  }
  const perTick: number[] = [];
  let pending = targets.slice();
  while (pending.length > 0 && perTick.length < opts.rolloutCapTicks) {
    const c0 = process.cpuUsage();
    stepSim(sim);
    perTick.push(cpuMs(c0));
    // The status is the controller's from this tick: only trust it after the first tick.
    pending = pending.filter((k) => !rolloutComplete(sim, k));
    if (perTick.length % 20 === 0) note(`big-rollout: tick ${perTick.length}, ${pending.length} of ${targets.length} rollouts running, mean ${round(mean(perTick), 1)} ms`);
  }
  const s = sorted(perTick);
  note(`big-rollout: ${perTick.length} ticks, mean ${round(mean(perTick), 1)} ms, max ${round(s[s.length - 1] ?? 0, 1)} ms`);
  // The replaced Pods stay Terminating for their grace period (30 s) and are removed afterwards.
  const tail = timedTicks(sim, ROLLOUT_TAIL_TICKS);
  return {
    bigRolloutDeployments: targets.length,
    bigRolloutPods: replicas,
    bigRolloutTicks: perTick.length,
    bigRolloutCompleted: pending.length === 0,
    bigRolloutMeanMs: round(mean(perTick), 3),
    bigRolloutP50Ms: round(percentile(s, 0.5), 3),
    bigRolloutMaxMs: round(s[s.length - 1] ?? 0, 3),
    bigRolloutMsPerReplacedPod: round(perTick.reduce((a, b) => a + b, 0) / Math.max(1, replicas), 4),
    bigRolloutTailTicks: tail.length,
    bigRolloutTailMeanMs: round(mean(tail), 3),
    bigRolloutTailMaxMs: round(Math.max(...tail), 3),
  };
}

/** A Node fails; ticks until its Pods are evicted (taint toleration); the eviction tick's CPU. */
function bigEviction(sim: SimState, opts: BigOptions): Figures {
  // Pods still terminating from an earlier part are not counted (livePodsOn skips them).
  const nodes = Object.keys(sim.nodes).sort();
  const victim = nodes.find((n) => livePodsOn(sim, n).length > 0) ?? nodes[0]!;
  const victimPods = livePodsOn(sim, victim);
  const failedAt = sim.t;
  failNode(sim, victim);
  const perTick: number[] = [];
  let notReadyTick = -1;
  let evictionTick = -1;
  while (perTick.length < opts.evictionCapTicks) {
    const c0 = process.cpuUsage();
    stepSim(sim);
    perTick.push(cpuMs(c0));
    if (notReadyTick < 0 && victimPods.length > 0 && countReady(sim, victimPods) === 0) notReadyTick = perTick.length - 1;
    if (countLive(sim, victimPods) === 0) {
      evictionTick = perTick.length - 1;
      break;
    }
  }
  // The replacements are created and scheduled by the ReplicaSet controller and scheduler after it.
  const after = timedTicks(sim, 5);
  const others = perTick.filter((_, i) => i !== evictionTick && i !== notReadyTick);
  note(`big-eviction: ${victimPods.length} pods of ${victim} evicted at tick ${evictionTick} (${evictionTick < 0 ? 'never' : `${round(perTick[evictionTick]!, 1)} ms`})`);
  return {
    bigEvictionNode: victim,
    bigEvictedPods: victimPods.length,
    bigEvictionAfterSeconds: evictionTick < 0 ? -1 : round(sim.t - failedAt, 0),
    bigEvictionTickMs: evictionTick < 0 ? -1 : round(perTick[evictionTick]!, 3),
    bigEvictionNextTicksMaxMs: round(Math.max(...after), 3),
    bigNotReadyTickMs: notReadyTick < 0 ? -1 : round(perTick[notReadyTick]!, 3),
    bigNodeDownTickMeanMs: round(mean(others), 4),
  };
}

/** `projectIdle50kMs`: projection with nothing changing, mean CPU ms per patch, at `pods` Pods. */
export function benchProjectIdle(pods: number, nodes: number, patches: number): Figures {
  const sim = createSim(syntheticInput(nodes, pods));
  stepSim(sim);
  const c0 = process.cpuUsage();
  const room = createBenchRoom(sim, { matchId: '00000000-0000-4000-8000-000000000000', scenarioId: sim.scenarioId, title: sim.scenarioId, durationSeconds: sim.settings.durationSeconds, timeDilation: 10 });
  const firstMs = cpuMs(c0);
  joinClient(room, 'bench-0');
  broadcastPatch(room);
  const { project, encode, bytes } = measurePatches(room, patches);
  const s = sorted(project);
  return {
    projectIdlePods: podCount(sim),
    projectIdleNodes: Object.keys(sim.nodes).length,
    projectIdle50kMs: round(mean(project), 4),
    projectIdle50kMsP50: round(percentile(s, 0.5), 4),
    projectIdle50kEncodeMs: round(mean(encode), 4),
    projectIdle50kPatchBytesMean: round(mean(bytes), 1),
    projectFirst50kMs: Math.round(firstMs),
    projectIdlePatches: patches,
  };
}
