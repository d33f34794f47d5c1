/**
 * Profiling helper (not a section of `npm run bench`): builds the synthetic cluster, warms it, then
 * triggers the big rollout (or a Node failure) and steps, so `node --cpu-prof` sees mostly those ticks.
 *
 *   npx node bench/profile-rollout.ts [rollout|eviction] [nodes] [pods] [out.cpuprofile]
 *
 * Only the ticks after the trigger are profiled (node:inspector), written to `out` when given.
 *
 * May import bench/*, shared/sim.
 */
import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
import { createSim } from '../shared/sim/index.ts';
import { failNode, livePodsOn, countLive, rolloutComplete, simAction, stepSim } from './adapter.ts';
import { syntheticInput } from './sim-bench.ts';

const what = process.argv[2] ?? 'rollout';
const nodes = Number(process.argv[3] ?? 500);
const pods = Number(process.argv[4] ?? 15000);
const sim = createSim(syntheticInput(nodes, pods));
for (let i = 0; i < 100; i++) stepSim(sim);
const out = process.argv[5];
const session = new Session();
if (out) {
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
}
const times: number[] = [];
const tick = (): void => {
  const c0 = process.cpuUsage();
  stepSim(sim);
  const c = process.cpuUsage(c0);
  times.push((c.user + c.system) / 1000);
};
if (what === 'rollout') {
  const keys = Object.keys(sim.deployments).sort().filter((_, i) => i % 10 === 0);
  for (const key of keys) {
    const d = sim.deployments[key]!;
    simAction(sim, { type: 'setImage', deployment: d.metadata.name, image: d.spec.template.spec.containers[0]!.image.replace(/:[^:/]*$/, '') + ':v2-bench' });
  }
  let pending = keys;
  while (pending.length > 0 && times.length < 300) {
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
if (out) {
  const { profile } = await session.post('Profiler.stop');
  writeFileSync(out, JSON.stringify(profile));
}
