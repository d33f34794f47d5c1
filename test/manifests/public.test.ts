/**
 * The five public demo manifests (test/fixtures/manifests/public/, copied unchanged from
 * ../shared/data/manifests/) load, reach their desired state from a fresh apply, and keep >= 99.95 %
 * availability for an hour (3600 sim s) with no fault (issue 6, "Manifests").
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../shared/manifests/load.ts';
import { manifestsOnlyInput } from '../../shared/scenario/toSimInput.ts';
import { createSim, podDisplayStatus, step } from '../../shared/sim/index.ts';
import type { SimState } from '../../shared/sim/index.ts';

const DIR = join(import.meta.dirname, '..', 'fixtures', 'manifests', 'public');
const read = (f: string) => readFileSync(join(DIR, f), 'utf8');

/** True when every workload has its desired ready Pods and every Pod is Running and Ready. */
function atDesiredState(s: SimState): boolean {
  for (const d of Object.values(s.deployments)) if (d.status.readyReplicas !== d.spec.replicas || d.status.replicas !== d.spec.replicas) return false;
  for (const rc of Object.values(s.replicationControllers ?? {})) if (rc.status.readyReplicas !== rc.spec.replicas) return false;
  for (const sts of Object.values(s.statefulSets ?? {})) if (sts.status.readyReplicas !== sts.spec.replicas) return false;
  for (const ds of Object.values(s.daemonSets ?? {})) if (ds.status.numberReady !== ds.status.desiredNumberScheduled) return false;
  return Object.values(s.pods).every((p) => podDisplayStatus(p, s.t) === 'Running' && p.sim.ready);
}

/**
 * `within`: sim seconds to the desired state from a fresh apply (the manifests' own probe delays dominate).
 * `fill`: a placeholder the tutorial asks its reader to replace, filled in first: as downloaded, a real
 * cluster refuses the reference (`<YOUR-CONTAINER>`: InvalidImageName, asserted below).
 */
const CASES: { file: string; pods: number; kinds: string[]; within: number; fill?: [string, string] }[] = [
  { file: 'sock-shop.yaml', pods: 14, kinds: ['Deployment'], within: 240 },
  { file: 'voting-app.yaml', pods: 5, kinds: ['Deployment'], within: 60 },
  // podinfo's Deployment asks for 1 replica; its HorizontalPodAutoscaler (minReplicas 2) scales it to 2
  { file: 'podinfo.yaml', pods: 2, kinds: ['Deployment'], within: 60 },
  { file: 'cassandra-statefulset.yaml', pods: 3, kinds: ['StatefulSet'], within: 150 },
  { file: 'nodejs-mongodb-legacy.yaml', pods: 3, kinds: ['ReplicationController'], within: 60, fill: ['<YOUR-CONTAINER>', 'node:20-alpine'] },
];

describe('public demo manifests, as downloaded', () => {
  for (const c of CASES) {
    it(`${c.file}: loads without errors, reaches its desired state from a fresh apply, >= 99.95 % availability over 3600 sim s`, () => {
      const loaded = loadManifests(c.fill ? read(c.file).replace(c.fill[0], c.fill[1]) : read(c.file), { source: c.file });
      expect(loaded.errors).toEqual([]);
      const kinds = new Set([...loaded.deployments.map((d) => d.kind), ...loaded.workloads.map((w) => w.kind)]);
      expect([...kinds].sort()).toEqual(c.kinds);

      const cold = createSim({ ...manifestsOnlyInput(loaded, { seed: 1, durationSeconds: 3600 }), coldStart: true });
      let reached: number | null = null;
      while (cold.t < 600 && reached === null) {
        step(cold);
        if (atDesiredState(cold)) reached = cold.t;
      }
      expect(reached).not.toBeNull();
      expect(reached!).toBeLessThanOrEqual(c.within);
      expect(Object.keys(cold.pods)).toHaveLength(c.pods);

      const warm = createSim(manifestsOnlyInput(loaded, { seed: 1, durationSeconds: 3600 }));
      for (let i = 0; i < 3600; i++) step(warm);
      expect(atDesiredState(warm)).toBe(true);
      const a = warm.slos.availability;
      expect(a.valid).toBeGreaterThan(0);
      expect(a.good / a.valid).toBeGreaterThanOrEqual(0.9995);
      const restarts = Object.values(warm.pods).flatMap((p) => p.status.containerStatuses.map((cs) => cs.restartCount));
      expect(restarts.every((r) => r === 0)).toBe(true);
    });
  }

  it('nodejs-mongodb-legacy.yaml as downloaded: its `<YOUR-CONTAINER>` placeholder is no image reference, the web Pods wait InvalidImageName', () => {
    const loaded = loadManifests(read('nodejs-mongodb-legacy.yaml'));
    expect(loaded.errors).toEqual([]); // the API server accepts any non-blank image: only the kubelet parses it
    const s = createSim({ ...manifestsOnlyInput(loaded, { seed: 1, durationSeconds: 600 }), coldStart: true });
    for (let i = 0; i < 30; i++) step(s);
    const web = Object.values(s.pods).filter((p) => p.metadata.name.startsWith('web-controller-'));
    expect(web).toHaveLength(2);
    for (const p of web) expect(podDisplayStatus(p, s.t)).toBe('InvalidImageName');
  });
});
