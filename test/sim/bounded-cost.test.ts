import { describe, expect, it } from 'vitest';
import { applyAction, createSim, step, stateHash } from '../../shared/sim/index.ts';
import { BURST_REPLICAS, MAX_CLUSTER_PODS, slowStartBatch } from '../../shared/sim/controllers/replicaset.ts';
import { schedulingAttemptsPerTick } from '../../shared/sim/controllers/scheduler.ts';
import { DEFAULT_SCENARIO_ID, resolveSimInput } from '../../server/scenarios/index.ts';
import { deployment, eventsWith, node, run, sim } from './fixtures.ts';
import type { SimState } from '../../shared/sim/index.ts';

// Issue 12, "Bounded cost per match": what a player sees when someone scales a Deployment far beyond
// what the cluster can hold. Not timed (the cost figures are in bench/sim-worst.ts and bench/noisy-neighbour.ts).

const podCount = (s: SimState) => Object.keys(s.pods).length;
const pendingUnschedulable = (s: SimState) =>
  Object.values(s.pods).filter((p) => !p.spec.nodeName && p.status.conditions.some((c) => c.type === 'PodScheduled' && c.status === 'False' && c.reason === 'Unschedulable')).length;

describe('slowStartBatch (kube-controller-manager)', () => {
  it('calls in batches of 1, 2, 4, ... and starts no batch after one that failed', () => {
    const calls: number[] = [];
    let n = 0;
    const ok = slowStartBatch(20, 1, () => {
      calls.push(++n);
      return n <= 4; // calls 5.. fail: batch 1 (1), 2 (2-3), 4 (4-7) has failures, so 8.. never run
    });
    expect(ok).toBe(4);
    expect(calls).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(slowStartBatch(10, 1, () => true)).toBe(10); // 1 + 2 + 4 + 3
    expect(slowStartBatch(0, 1, () => true)).toBe(0);
  });
});

describe('kubectl scale --replicas=100000 on the default scenario', () => {
  it('creates Pods in bursts, leaves those beyond capacity Pending with FailedScheduling, and keeps stepping', () => {
    const s = createSim(resolveSimInput({ scenario: DEFAULT_SCENARIO_ID, seed: 1 }).input);
    run(s, 5);
    const before = podCount(s);
    const capacity = Object.values(s.nodes).reduce((n, x) => n + x.sim.podsAllocatable, 0);
    expect(applyAction(s, 'p', { type: 'scaleDeployment', deployment: 'frontend', replicas: 100_000 })).toMatchObject({ ok: true });
    step(s);
    const afterOne = podCount(s) - before;
    // The ReplicaSet controller creates at most BURST_REPLICAS per sync (it syncs twice per tick): not 100,000 at once.
    expect(afterOne).toBeGreaterThan(0);
    expect(afterOne).toBeLessThanOrEqual(2 * BURST_REPLICAS);
    run(s, 20);
    expect(podCount(s)).toBeGreaterThan(before + 10 * BURST_REPLICAS);
    expect(podCount(s)).toBeLessThan(100_000);
    // kubelet maxPods: no Node holds more than 110 Pods.
    for (const n of Object.values(s.nodes)) expect(n.sim.podCount).toBeLessThanOrEqual(n.sim.podsAllocatable);
    const bound = Object.values(s.pods).filter((p) => p.spec.nodeName).length;
    expect(bound).toBeLessThanOrEqual(capacity);
    // The rest is Pending, Unschedulable, with the scheduler's FitError.
    expect(pendingUnschedulable(s)).toBeGreaterThan(podCount(s) - capacity - 2 * BURST_REPLICAS);
    const failed = eventsWith(s, 'FailedScheduling', 'frontend-');
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.at(-1)!.message).toMatch(/^0\/\d+ nodes are available: .*(Too many pods|Insufficient cpu|Insufficient memory)/);
    // Bounded log: at most eventLimit entries, whatever happened.
    expect(s.events.length).toBeLessThanOrEqual(s.eventLimit);
    // Parked Pods are not retried every tick: with nothing changing in the cluster, a tick makes no
    // new FailedScheduling for the Pods already parked (only the new ones of the burst fail).
    const seq0 = s.counters.eventSeq;
    step(s);
    const newFailures = s.events.filter((e) => e.seq >= seq0 && e.reason === 'FailedScheduling').length;
    expect(newFailures).toBeLessThanOrEqual(2 * BURST_REPLICAS);
    const t = s.t;
    run(s, 30);
    expect(s.t).toBe(t + 30);
  });
});

describe('the scheduler retries a large Pending backlog over several ticks', () => {
  it('moves 12,000 parked Pods back on a cluster event and attempts at most the per-tick budget each tick', () => {
    const s = sim({ nodes: [node('node-a', { pods: 20, cpu: '64', memory: '256Gi' })], deployments: [deployment('web', { replicas: 12_000, cpu: '10m', memory: '16Mi' })] });
    run(s, 30);
    expect(podCount(s)).toBe(12_000);
    expect(s.scheduler.unschedulable.length + s.scheduler.backoffQ.length).toBeGreaterThan(11_000);
    // A cluster event: a bound Pod is deleted (room freed on the Node).
    const victim = Object.keys(s.pods).find((k) => s.pods[k]!.spec.nodeName)!;
    expect(applyAction(s, 'p', { type: 'deletePod', pod: victim, force: true })).toMatchObject({ ok: true });
    const budget = schedulingAttemptsPerTick(1);
    let waiting = 0;
    for (let i = 0; i < 12; i++) {
      step(s);
      waiting = Math.max(waiting, s.scheduler.activeQ.length);
    }
    // Some tick left Pods waiting in the activeQ for the next tick (more queued than the budget)...
    expect(waiting).toBeGreaterThan(0);
    expect(waiting).toBeLessThanOrEqual(12_000 - budget);
    // ...and the replacement Pod still got the freed room: one Node, 20 Pods.
    run(s, 20);
    expect(s.nodes['node-a']!.sim.podCount).toBe(20);
    expect(s.scheduler.activeQ.length).toBe(0);
  });

  it('moves parked Pods back at most a budget a tick, in the order they were parked (lazy unparking)', () => {
    const s = sim({ nodes: [node('node-a', { pods: 20, cpu: '64', memory: '256Gi' })], deployments: [deployment('web', { replicas: 12_000, cpu: '10m', memory: '16Mi' })] });
    run(s, 40);
    const parked = [...s.scheduler.unschedulable];
    expect(parked.length).toBeGreaterThan(11_000);
    const victim = Object.keys(s.pods).find((k) => s.pods[k]!.spec.nodeName)!;
    expect(applyAction(s, 'p', { type: 'deletePod', pod: victim, force: true })).toMatchObject({ ok: true });
    const budget = schedulingAttemptsPerTick(1);
    step(s);
    // One tick moved one budget of them: the rest still wait, first parked first.
    expect(s.scheduler.unparkPending).toBe(parked.length - budget);
    expect(s.scheduler.unschedulable.slice(0, 3)).toEqual(parked.slice(budget, budget + 3));
    run(s, Math.ceil(parked.length / budget));
    expect(s.scheduler.unparkPending).toBeUndefined();
    // The replacement Pod got the freed room.
    expect(s.nodes['node-a']!.sim.podCount).toBe(20);
  });

  it('is deterministic: two runs of the same heavy match have the same state hash', () => {
    const play = () => {
      const s = sim({ nodes: [node('node-a', { pods: 20, cpu: '64', memory: '256Gi' })], deployments: [deployment('web', { replicas: 9_000, cpu: '10m', memory: '16Mi' })] });
      run(s, 15);
      const victim = Object.keys(s.pods).sort().find((k) => s.pods[k]!.spec.nodeName)!;
      applyAction(s, 'p', { type: 'deletePod', pod: victim });
      applyAction(s, 'p', { type: 'drainNode', node: 'node-a' });
      run(s, 40);
      return stateHash(s);
    };
    expect(play()).toBe(play());
  });
});

describe(`at most ${MAX_CLUSTER_PODS} Pods per cluster`, () => {
  it('refuses the ReplicaSet controller\'s creates beyond it, with few FailedCreate events', { timeout: 120_000 }, () => {
    const names = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
    // 10 s ticks: the per-tick budgets scale with the tick (5,000 creates per tick), so 150,000 Pods take 30 ticks.
    const s = sim({ settings: { seed: 42, tickSeconds: 10, durationSeconds: 7200 }, nodes: [node('node-a')], deployments: names.map((n) => deployment(n, { replicas: 1 })), services: [], userFacingService: 'a' });
    for (const n of names) applyAction(s, 'p', { type: 'scaleDeployment', deployment: n, replicas: 20_000 });
    // Every FailedCreate the log showed at some point (the scheduler's FailedScheduling events of
    // 150,000 Pending Pods push older entries out of the bounded log).
    const seen = new Map<number, SimState['events'][number]>();
    const watch = (x: SimState) => {
      for (const e of eventsWith(x, 'FailedCreate')) seen.set(e.seq, e);
    };
    let t = 0;
    while (podCount(s) < MAX_CLUSTER_PODS && t++ < 60) {
      step(s);
      watch(s);
    }
    run(s, 200, watch);
    expect(podCount(s)).toBe(MAX_CLUSTER_PODS);
    const refused = [...seen.values()];
    expect(refused.length).toBeGreaterThan(0);
    expect(refused[0]!.type).toBe('Warning');
    expect(refused[0]!.message).toMatch(/^Error creating: pods "[a-h]-[a-z0-9]+-" is forbidden: the cluster already holds 150000 Pods/);
    // Retried every sync (twice a tick), reported at most once per 5 min per ReplicaSet while the log
    // still shows the last report: here the FailedScheduling flood evicts it, so a handful, not one per sync.
    const perRs = new Map<string, number>();
    for (const e of refused) perRs.set(e.object.name, (perRs.get(e.object.name) ?? 0) + 1);
    const refusedTicks = s.tick - t;
    for (const c of perRs.values()) expect(c).toBeLessThanOrEqual(refusedTicks / 2);
  });
});
