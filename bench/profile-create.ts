/**
 * Profiling helper (not a section of `npm run bench`): profiles `createSim` of the synthetic cluster
 * with node:inspector and prints its CPU ms, then (with an output file) the functions with the most
 * self time, ms, by function and file:line (the garbage collector is one row).
 *
 *   npx node bench/profile-create.ts [nodes] [pods] [out.cpuprofile] [top rows, default 25]
 *
 * The CPU ms are process CPU (user + system) around createSim alone; on a shared machine compare
 * runs back to back. May import bench/*, shared/sim.
 */
import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
import { createSim } from '../shared/sim/index.ts';
import { syntheticInput } from './sim-bench.ts';

const nodes = Number(process.argv[2] ?? 1000);
const pods = Number(process.argv[3] ?? 30000);
const out = process.argv[4];
const top = Number(process.argv[5] ?? 25);
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
  // Self time per function: each sample's time goes to the frame it was taken in.
  const frame = new Map<number, string>();
  for (const n of profile.nodes) {
    const f = n.callFrame;
    frame.set(n.id, `${f.functionName || '(anonymous)'} ${f.url.split('/').slice(-2).join('/')}:${f.lineNumber + 1}`);
  }
  const self = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    const name = frame.get(samples[i]!) ?? '?';
    self.set(name, (self.get(name) ?? 0) + (deltas[i] ?? 0));
  }
  for (const [name, us] of [...self].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, top)) console.log(`${(us / 1000).toFixed(1).padStart(8)} ms  ${name}`);
}
