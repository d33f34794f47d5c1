/**
 * Profiling helper (not a section of `npm run bench`): profiles `createSim` of the synthetic cluster
 * with node:inspector and prints its CPU ms.
 *
 *   npx node bench/profile-create.ts [nodes] [pods] [out.cpuprofile]
 *
 * May import bench/*, shared/sim.
 */
import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
import { createSim } from '../shared/sim/index.ts';
import { syntheticInput } from './sim-bench.ts';

const nodes = Number(process.argv[2] ?? 1000);
const pods = Number(process.argv[3] ?? 30000);
const out = process.argv[4];
const input = syntheticInput(nodes, pods);
const session = new Session();
if (out) {
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
}
const c0 = process.cpuUsage();
createSim(input);
const c = process.cpuUsage(c0);
console.log('createSim', nodes, pods, ((c.user + c.system) / 1000).toFixed(0), 'ms CPU');
if (out) {
  const { profile } = await session.post('Profiler.stop');
  writeFileSync(out, JSON.stringify(profile));
}
