/**
 * `npx node bench/heavy-tick.ts [ticks]`: one cluster of the noisy-neighbour heavy match (default
 * scenario, every Deployment scaled to 1,000), per tick: wall ms of the sim step, of the projection
 * (`projectTeam` + views) and of the patch encode (`applyPatches`, one client). Quiet machine only.
 *
 * Phases as bench/noisy-neighbour.ts plays them: `ticks` ticks of the scale, then `ticks` ticks of
 * deletes (one bound Pod a tick: 25 commands/s of one player at 30 ticks/s), then every Node drained
 * and `ticks / 2` more ticks. `PER_TICK=1` prints each tick (`tick phase step project encode bytes
 * pods`); the summary is per phase (mean / p50 / max ms), in wall ms and, on a second line, in this
 * thread's CPU ms (`process.threadCpuUsage`: what the work costs when the machine is shared and the
 * process waits for a core; its own GC pauses included).
 */
import { createSim, applyAction } from '../shared/sim/index.ts';
import { DEFAULT_SCENARIO_ID, resolveSimInput } from '../server/scenarios/index.ts';
import { broadcastPatch, createBenchRoom, joinClient, projectRoom, stepSim } from './adapter.ts';

const r = resolveSimInput({ scenario: DEFAULT_SCENARIO_ID, seed: 1 });
const sim = createSim(r.input);
for (let i = 0; i < 5; i++) stepSim(sim);
const room = createBenchRoom(sim, { matchId: 'm', scenarioId: 'default', title: 't', durationSeconds: 600, timeDilation: 30 });
joinClient(room, 'p');
broadcastPatch(room);
for (const d of Object.values(sim.deployments)) applyAction(sim, 'p', { type: 'scaleDeployment', deployment: d.metadata.name, replicas: 1000 });
const n = Number(process.argv[2] ?? 30);
type Row = [number, number, number, number, number, number, number];
const cpu = () => process.threadCpuUsage().user / 1000 + process.threadCpuUsage().system / 1000;
const rows: Record<string, Row[]> = { scale: [], delete: [], drain: [] };
let tick = 0;
function run(phase: string, ticks: number, before?: () => void): void {
  for (let i = 0; i < ticks; i++) {
    before?.();
    const c0 = cpu();
    const t0 = performance.now();
    stepSim(sim);
    const t1 = performance.now();
    const c1 = cpu();
    projectRoom(room);
    const t2 = performance.now();
    const c2 = cpu();
    const bytes = broadcastPatch(room);
    const t3 = performance.now();
    const c3 = cpu();
    rows[phase]!.push([t1 - t0, t2 - t1, t3 - t2, bytes, c1 - c0, c2 - c1, c3 - c2]);
    if (process.env.PER_TICK) console.log(tick, phase, (t1 - t0).toFixed(1), (t2 - t1).toFixed(1), (t3 - t2).toFixed(1), bytes, Object.keys(sim.pods).length);
    tick++;
  }
}
run('scale', n);
run('delete', n, () => {
  const victim = Object.values(sim.pods).find((p) => p.spec.nodeName && p.metadata.deletionTimestamp === undefined);
  if (victim) applyAction(sim, 'p', { type: 'deletePod', pod: victim.metadata.name });
});
for (const node of Object.keys(sim.nodes)) applyAction(sim, 'p', { type: 'drainNode', node });
run('drain', Math.ceil(n / 2));
for (const [phase, list] of Object.entries(rows)) {
  const parts = (base: number) =>
    (['step', 'project', 'encode'] as const).map((name, j) => {
      const s = list.map((x) => x[base + j]!).sort((a, b) => a - b);
      return `${name} ${(s.reduce((a, b) => a + b, 0) / s.length).toFixed(1)} / ${s[Math.floor(s.length / 2)]!.toFixed(1)} / ${s[s.length - 1]!.toFixed(1)}`;
    });
  const bytes = list.map((x) => x[3]).sort((a, b) => a - b);
  console.log(phase.padEnd(7), 'wall', parts(0).join('   '), `  bytes p50 ${bytes[Math.floor(bytes.length / 2)]} max ${bytes[bytes.length - 1]}`);
  console.log(''.padEnd(7), 'cpu ', parts(4).join('   '));
}
console.log('pods', Object.keys(sim.pods).length, 'parked', sim.scheduler.unschedulable.length, 'activeQ', sim.scheduler.activeQ.length);
