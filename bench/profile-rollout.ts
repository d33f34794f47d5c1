/**
 * Profiling helper (not a section of `npm run bench`): builds the synthetic cluster, warms it, then
 * triggers the big rollout (or a Node failure) and steps, so `node --cpu-prof` sees mostly those ticks.
 *
 *   npx node bench/profile-rollout.ts [rollout|eviction] [nodes] [pods] [out.cpuprofile]
 *
 * Only the ticks after the trigger are profiled (node:inspector), written to `out` when given; an `out`
 * ending in `.heapprofile` samples allocations instead (every 4 KiB, collected objects included: all
 * that those ticks allocate, by call site; PROFILE_LIVE=1: only what is still live at the end, and
 * PROFILE_TICKS=n stops after n ticks)
 * (with `tickStarts`: each tick's start in µs on the profile's clock, to cut the samples per tick).
 * With PROFILE_TICK_LOG=1 each tick's CPU ms is printed as it ends (between `node --trace-gc` lines).
 *
 * May import bench/*, shared/sim.
 */
import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
import { createSim } from '../shared/sim/index.ts';
import { failNode, livePodsOn, countLive, rolloutComplete, simAction, stepSim } from './adapter.ts';
import { collectGarbage } from './measure.ts';
import { syntheticInput } from './sim-bench.ts';

const what = process.argv[2] ?? 'rollout';
const nodes = Number(process.argv[3] ?? 500);
const pods = Number(process.argv[4] ?? 15000);
const sim = createSim(syntheticInput(nodes, pods));
// As bench/big.ts (heapUsedAfterGc after createSim): the same heap state, so the same GCs in the ticks.
collectGarbage();
for (let i = 0; i < 100; i++) stepSim(sim);
// As bench/big.ts, whose rollout follows the big-room part and its full GC: the warm ticks' objects (the
// traffic memo is built in the first tick) are old when the rollout starts.
collectGarbage();
const out = process.argv[5];
const session = new Session();
const heap = out?.endsWith('.heapprofile') === true;
if (out && heap) {
  session.connect();
  await session.post('HeapProfiler.enable');
  // PROFILE_LIVE=1: only what is still live when the profile is taken (after the last tick).
  const all = !process.env['PROFILE_LIVE'];
  await session.post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: all, includeObjectsCollectedByMinorGC: all });
} else if (out) {
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
}
const times: number[] = [];
const starts: number[] = [];
const tick = (): void => {
  starts.push(Number(process.hrtime.bigint() / 1000n)); // µs, the profile's clock (CLOCK_MONOTONIC)
  const c0 = process.cpuUsage();
  stepSim(sim);
  const c = process.cpuUsage(c0);
  times.push((c.user + c.system) / 1000);
  if (process.env['PROFILE_TICK_LOG']) console.log(`tick ${times.length} ${times[times.length - 1]!.toFixed(1)} ms`);
};
if (what === 'rollout') {
  const keys = Object.keys(sim.deployments).sort().filter((_, i) => i % 10 === 0);
  for (const key of keys) {
    const d = sim.deployments[key]!;
    simAction(sim, { type: 'setImage', deployment: d.metadata.name, image: d.spec.template.spec.containers[0]!.image.replace(/:[^:/]*$/, '') + ':v2-bench' });
  }
  let pending = keys;
  // PROFILE_TICKS=n: stop after n ticks (e.g. the live objects the first ticks leave).
  const cap = Number(process.env['PROFILE_TICKS'] ?? 300);
  while (pending.length > 0 && times.length < cap) {
    tick();
    pending = pending.filter((k) => !rolloutComplete(sim, k));
  }
} else {
  const victim = Object.keys(sim.nodes).sort()[0]!;
  const victimPods = livePodsOn(sim, victim);
  failNode(sim, victim);
  while (times.length < 600) {
    tick();
    if (countLive(sim, victimPods) === 0) break;
  }
}
console.log(what, times.length, 'ticks', times.map((t) => t.toFixed(1)).join(' '));
if (out && heap) {
  const { profile } = await session.post('HeapProfiler.stopSampling');
  writeFileSync(out, JSON.stringify(profile));
} else if (out) {
  const { profile } = await session.post('Profiler.stop');
  writeFileSync(out, JSON.stringify({ ...profile, tickStarts: starts }));
}
