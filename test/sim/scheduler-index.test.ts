/**
 * The scheduler's spread index (controllers/scheduler.ts scheduleByIndex: the bucketed pick of a run
 * of same-template pods read from per-zone segment trees instead of a scan of the sampled nodes) must
 * place every pod exactly like the plain scan: same nodes, same PRNG draws, same state hash, through
 * the warm start, scale-ups, a rollout, a cordon and a Node failure (evicted after 50 + 300 s: not reached). Clusters of 240-300 Nodes
 * (above SCHEDULER_INDEX_MIN_NODES) with mixed sizes and maxPods, taints and mixed requests, so the index's fallbacks (a window needing the full filter) run too. Times in sim seconds.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { applyAction, createSim, markDirty, stateHash } from '../../shared/sim/index.ts';
import { setSchedulerIndexMinNodes, SCHEDULER_INDEX_MIN_NODES } from '../../shared/sim/controllers/scheduler.ts';
import type { NodeSpecInput, SimInput, SimState } from '../../shared/sim/index.ts';
import { deployment, input, node, run, service } from './fixtures.ts';

function cluster(nodes: number, seed: number): SimInput {
  const list: NodeSpecInput[] = [];
  for (let i = 0; i < nodes; i++) {
    // Zones of uneven sizes; a few small Nodes (maxPods 6) that fill up; taints on the first Nodes only,
    // so most sampled windows are clean (the index) and some are not (the scan).
    const n = node(`n-${String(i).padStart(3, '0')}`, { zone: ['zone-a', 'zone-b', 'zone-c', 'zone-a'][i % 4]!, cpu: i % 7 === 0 ? '64' : '4', memory: i % 7 === 0 ? '256Gi' : i % 5 === 0 ? '16Gi' : '8Gi', pods: i > nodes - 8 ? 6 : 40 });
    if (i === 1) n.taints = [{ key: 'dedicated', value: 'batch', effect: 'PreferNoSchedule' }];
    if (i === 2) n.taints = [{ key: 'gpu', value: 'true', effect: 'NoSchedule' }];
    list.push(n);
  }
  const deployments = [
    deployment('web', { replicas: 120, cpu: '50m', memory: '64Mi' }),
    deployment('api', { replicas: 90, cpu: '100m', memory: '128Mi' }),
    deployment('batch', { replicas: 60, cpu: '50m', memory: '64Mi' }),
    deployment('cache', { replicas: 40, cpu: '250m', memory: '512Mi' }),
  ];
  return input({ settings: { seed, tickSeconds: 1, durationSeconds: 3600 }, nodes: list, deployments, services: deployments.map((d) => service(d.metadata.name)) });
}

function scenario(inp: SimInput): { hash: string; placement: string } {
  const s: SimState = createSim(structuredClone(inp));
  const hashes: string[] = [stateHash(s)];
  applyAction(s, 'alice', { type: 'scaleDeployment', deployment: 'web', replicas: 300 });
  run(s, 5);
  applyAction(s, 'alice', { type: 'setImage', deployment: 'api', image: 'api:v2' });
  applyAction(s, 'alice', { type: 'cordonNode', node: 'n-010' });
  run(s, 20);
  s.nodes['n-004']!.sim.kubeletUp = false; // its machine stops (the node-failure incident's break)
  markDirty(s, 'nodes', 'n-004');
  applyAction(s, 'alice', { type: 'scaleDeployment', deployment: 'batch', replicas: 200 });
  run(s, 40);
  hashes.push(stateHash(s));
  const placement = Object.keys(s.pods).sort().map((k) => `${k}=${s.pods[k]!.spec.nodeName ?? '-'}`).join(',');
  return { hash: hashes.join('/'), placement };
}

afterEach(() => {
  setSchedulerIndexMinNodes(SCHEDULER_INDEX_MIN_NODES);
});

describe('scheduler spread index', () => {
  for (const [nodes, seed] of [[240, 1], [301, 7]] as const) {
    it(`places every pod like the plain scan (${nodes} Nodes, seed ${seed})`, () => {
      const inp = cluster(nodes, seed);
      setSchedulerIndexMinNodes(Infinity);
      const scan = scenario(inp);
      setSchedulerIndexMinNodes(1);
      const indexed = scenario(inp);
      expect(indexed.placement).toBe(scan.placement);
      expect(indexed.hash).toBe(scan.hash);
      expect(scan.placement.split(',').filter((p) => p.endsWith('=-')).length).toBeLessThan(100);
    });
  }
});
