/**
 * `npx node bench/sim-worst.ts [all] [restSeconds]`: the sim step alone under a player's worst case
 * (issue 12, "Bounded cost per match"), default scenario, seed 1, 1 s ticks: `kubectl scale
 * --replicas=100000` of `frontend` (or, with `all`, of every Deployment), 60 sim s measured, then
 * `restSeconds` more (default 60), then every bound Pod deleted at once (40 s measured), then every
 * Node drained at once (40 s measured). Prints wall ms per tick (mean, p50, max) per phase, the Pod
 * count, the scheduler's queues and the heap. `PER_TICK=1` prints every tick. Wall clock: run it on a
 * quiet machine and compare runs of one session.
 *
 * May import shared/sim and server/scenarios.
 */
import { createSim, applyAction, step } from '../shared/sim/index.ts';
import { DEFAULT_SCENARIO_ID, resolveSimInput } from '../server/scenarios/index.ts';

const r = resolveSimInput({ scenario: DEFAULT_SCENARIO_ID, seed: 1 });
const sim = createSim(r.input);
for (let i = 0; i < 5; i++) step(sim);
const deps = Object.keys(sim.deployments).map((k) => k.split('/')[1]!);
const only = process.argv[2] === 'all' ? deps : [deps[0]!];
for (const d of only) applyAction(sim, 'p', { type: 'scaleDeployment', deployment: d, replicas: 100000 });

function phase(name: string, n: number): void {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    step(sim);
    times.push(performance.now() - t0);
  }
  if (process.env.PER_TICK) console.log(name, times.map((x) => x.toFixed(0)).join(' '));
  const s = [...times].sort((a, b) => a - b);
  console.log(
    name.padEnd(14),
    'ms/tick mean', (times.reduce((a, b) => a + b, 0) / n).toFixed(1),
    'p50', s[Math.floor(n / 2)]!.toFixed(1),
    'max', s[n - 1]!.toFixed(1),
    '| pods', Object.keys(sim.pods).length,
    'unschedulable', sim.scheduler.unschedulable.length,
    'activeQ', sim.scheduler.activeQ.length,
    'backoffQ', sim.scheduler.backoffQ.length,
    'events', sim.events.length,
    'heapMB', (process.memoryUsage().heapUsed / 1e6).toFixed(0),
  );
}

phase('scale-first60', 60);
phase('scale-rest', Number(process.argv[3] ?? 60));
let t0 = performance.now();
const bound = Object.keys(sim.pods).filter((k) => sim.pods[k]!.spec.nodeName);
for (const k of bound) applyAction(sim, 'p', { type: 'deletePod', pod: k });
console.log(`delete ${bound.length} bound Pods: ${(performance.now() - t0).toFixed(1)} ms`);
phase('after-delete', 40);
t0 = performance.now();
for (const n of Object.keys(sim.nodes)) applyAction(sim, 'p', { type: 'drainNode', node: n });
console.log(`drain every Node: ${(performance.now() - t0).toFixed(1)} ms`);
phase('after-drain', 40);
