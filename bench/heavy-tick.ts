/**
 * `npx node bench/heavy-tick.ts [ticks]`: one cluster of the noisy-neighbour heavy match (default
 * scenario, every Deployment scaled to 1,000), per tick: wall ms of the sim step, of the projection
 * (`projectTeam` + views) and of the patch encode (`applyPatches`, one client). Quiet machine only.
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
const rows: number[][] = [];
for (let i = 0; i < n; i++) {
  const t0 = performance.now();
  stepSim(sim);
  const t1 = performance.now();
  projectRoom(room);
  const t2 = performance.now();
  const bytes = broadcastPatch(room);
  const t3 = performance.now();
  rows.push([t1 - t0, t2 - t1, t3 - t2, bytes]);
  if (process.env.PER_TICK) console.log(i, (t1 - t0).toFixed(1), (t2 - t1).toFixed(1), (t3 - t2).toFixed(1), bytes, Object.keys(sim.pods).length);
}
const col = (j: number) => rows.map((x) => x[j]!).sort((a, b) => a - b);
for (const [j, name] of [[0, 'step'], [1, 'project'], [2, 'encode']] as const) {
  const s = col(j);
  console.log(name.padEnd(8), 'mean', (s.reduce((a, b) => a + b, 0) / n).toFixed(1), 'p50', s[Math.floor(n / 2)]!.toFixed(1), 'max', s[n - 1]!.toFixed(1));
}
console.log('pods', Object.keys(sim.pods).length, 'bytes/patch p50', col(3)[Math.floor(n / 2)]);
