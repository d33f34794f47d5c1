/**
 * createSim's warm start keeps scratch lookups (shared/sim/cache.ts withWarmStartIndexes: the names each
 * Node's `status.images` lists) only to go faster: the state must be the same without them, byte for
 * byte (state hash), for Nodes that fill up past the 50-image cap, images of several sizes, Pods with
 * a sidecar, and the big synthetic cluster's shape (bench/sim-bench.ts) at a small size. The change log
 * createSim starts lists every Pod once, keys sorted, whichever way they were gathered (cache.ts sortedPodKeys).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createSim, stateHash } from '../../shared/sim/index.ts';
import { changesSince } from '../../shared/sim/changelog.ts';
import { setWarmStartIndexes } from '../../shared/sim/cache.ts';
import type { SimInput, SimState } from '../../shared/sim/index.ts';
import { NODE_STATUS_MAX_IMAGES } from '../../shared/sim/types.ts';
import { syntheticInput } from '../../bench/sim-bench.ts';
import { deployment, input, node, service } from './fixtures.ts';

afterEach(() => {
  setWarmStartIndexes(true);
});

/** 3 Nodes and 70 Deployments of 2 replicas, each its own image (sizes 10..80 MiB), every 3rd with a sidecar. */
function manyImages(): SimInput {
  const deployments = Array.from({ length: 70 }, (_, i) => {
    const d = deployment(`app-${String(i).padStart(2, '0')}`, { replicas: 2, cpu: '10m', memory: '16Mi' });
    if (i % 3 === 0) d.spec.template.spec.containers.push({ name: 'sidecar', image: `sidecar-${i % 2}:v1`, resources: { requests: { cpu: '5m', memory: '8Mi' } } });
    return d;
  });
  const images: SimInput['images'] = {};
  deployments.forEach((d, i) => {
    images[d.spec.template.spec.containers[0]!.image] = { sizeMiB: 10 + (i % 8) * 10 };
  });
  return input({ nodes: [node('n-a', { pods: 110 }), node('n-b', { pods: 110 }), node('n-c', { pods: 110 })], deployments, services: deployments.map((d) => service(d.metadata.name)), images });
}

function both(inp: SimInput): { on: SimState; off: SimState } {
  setWarmStartIndexes(false);
  const off = createSim(structuredClone(inp));
  setWarmStartIndexes(true);
  const on = createSim(structuredClone(inp));
  return { on, off };
}

describe('warm start scratch lookups', () => {
  it('leave every Node image list and the state as the plain path does (past the 50-image cap)', () => {
    const { on, off } = both(manyImages());
    for (const name of Object.keys(off.nodes)) expect(on.nodes[name]!.status.images).toEqual(off.nodes[name]!.status.images);
    // The cap was reached: the case where the list drops images.
    expect(Math.max(...Object.values(on.nodes).map((n) => n.status.images?.length ?? 0))).toBe(NODE_STATUS_MAX_IMAGES);
    expect(stateHash(on)).toBe(stateHash(off));
  });

  it('give the synthetic benchmark cluster the same state hash (60 Nodes, 2,000 Pods)', () => {
    const { on, off } = both(syntheticInput(60, 2000));
    expect(stateHash(on)).toBe(stateHash(off));
  });

  it('start the change log with every Pod key once, sorted as Object.keys(state.pods).sort() (label sets interleaving by name, kube-system)', () => {
    const inp = manyImages();
    // Bare Pods named inside a Deployment's name range, with labels of their own: the label sets' key ranges interleave.
    // One label set ('app-05-0', 'app-05-zzz': pod-template-hash letters sort between) around app-05's Pods.
    inp.pods = ['app-05-0', 'app-05-zzz', 'app-06', 'zz-last'].map((name, i) => ({ apiVersion: 'v1' as const, kind: 'Pod' as const, metadata: { name, labels: { app: `bare-${i % 2}` } }, template: { metadata: { labels: { app: `bare-${i % 2}` } }, spec: { containers: [{ name: 'c', image: 'bare:v1' }] } } }));
    for (const s of [createSim({ ...inp, kubeSystem: true }), createSim(syntheticInput(60, 2000))]) {
      const log = changesSince(s, 0);
      if (log.resync) throw new Error('the change log is live after createSim');
      const pods = log.changes.filter((c) => c.kind === 'Pod').map((c) => c.key);
      expect(pods).toEqual(Object.keys(s.pods).sort());
    }
  });
});
