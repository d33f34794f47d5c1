/**
 * The scheduler keeps at most 16 spread groups per pass and reuses the per-node count arrays of the
 * groups it evicts (controllers/scheduler.ts recycleGroups): placements must be those of fresh arrays,
 * through a warm start of 40 Deployments (far more groups than the cache holds), scale-ups of many
 * Deployments in one tick and a rollout, at sizes where the spread index runs (240 Nodes) and not (60).
 * Times in sim seconds.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { applyAction, createSim, stateHash } from '../../shared/sim/index.ts';
import { setSpreadGroupRecycling } from '../../shared/sim/controllers/scheduler.ts';
import type { SimInput } from '../../shared/sim/index.ts';
import { deployment, input, node, run, service } from './fixtures.ts';

afterEach(() => {
  setSpreadGroupRecycling(true);
});

function cluster(nodes: number): SimInput {
  const list = Array.from({ length: nodes }, (_, i) => node(`n-${String(i).padStart(3, '0')}`, { zone: ['zone-a', 'zone-b', 'zone-c'][i % 3]!, cpu: '8', memory: '16Gi', pods: 40 }));
  const deployments = Array.from({ length: 40 }, (_, i) => deployment(`d-${String(i).padStart(2, '0')}`, { replicas: 6 + (i % 5) * 3, cpu: i % 2 === 0 ? '50m' : '100m', memory: '64Mi' }));
  return input({ nodes: list, deployments, services: deployments.map((d) => service(d.metadata.name)) });
}

function scenario(inp: SimInput): { hash: string; placement: string } {
  const s = createSim(structuredClone(inp));
  const hashes = [stateHash(s)];
  for (let i = 0; i < 40; i += 2) applyAction(s, 'alice', { type: 'scaleDeployment', deployment: `d-${String(i).padStart(2, '0')}`, replicas: 20 });
  run(s, 3);
  applyAction(s, 'alice', { type: 'setImage', deployment: 'd-03', image: 'd-03:v2' });
  run(s, 30);
  hashes.push(stateHash(s));
  const placement = Object.keys(s.pods).sort().map((k) => `${k}=${s.pods[k]!.spec.nodeName ?? '-'}`).join(',');
  return { hash: hashes.join('/'), placement };
}

describe('spread group recycling', () => {
  for (const nodes of [240, 60]) {
    it(`places every pod as fresh count arrays do (${nodes} Nodes, 40 Deployments)`, () => {
      const inp = cluster(nodes);
      setSpreadGroupRecycling(false);
      const fresh = scenario(inp);
      setSpreadGroupRecycling(true);
      const reused = scenario(inp);
      expect(reused.placement).toBe(fresh.placement);
      expect(reused.hash).toBe(fresh.hash);
    });
  }
});
