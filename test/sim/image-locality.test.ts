/**
 * ImageLocality (K pkg/scheduler/framework/plugins/imagelocality/image_locality.go) as a player sees it:
 * Nodes list the images their kubelet pulled (`kubectl get node -o yaml`, status.images), and a new Pod
 * goes to a Node that already holds its big image, unless the image is small (< 23 MiB after scaling by
 * the share of Nodes holding it) or on every Node. Times in sim seconds (tick 1 s).
 */
import { describe, expect, it } from 'vitest';
import { applyAction } from '../../shared/sim/index.ts';
import type { SimState } from '../../shared/sim/index.ts';
import { runKubectl } from '../../shared/kubectl/index.ts';
import { imageLocalityPriority, normalizedImageName, scaledImageScore, MIB_BYTES } from '../../shared/sim/controllers/schedulerPlugins.ts';
import { deployment, eventsWith, node, podsOf, run, sim } from './fixtures.ts';
import { pullPolicyOf } from '../../shared/sim/controllers/kubelet.ts';

const fourNodes = [node('n1'), node('n2'), node('n3'), node('n4')];

/** Nodes running a Pod of Deployment `name`. */
function nodesOf(s: SimState, name: string): string[] {
  return [...new Set(podsOf(s, name).map((p) => p.spec.nodeName ?? 'pending'))].sort();
}

/**
 * A cold-started cluster of 4 Nodes where Deployment `seed` (image `shop/ml:v1`, `seedReplicas` Pods)
 * has been pulled, then Deployment `web` (image `webImage`, 0 replicas) is scaled to 1: the Node it gets.
 */
function placeAfterSeed(seed: number, opts: { sizeMiB: number; seedReplicas: number; webImage?: string }): { web: string; seeded: string[] } {
  const s = sim({
    settings: { seed, tickSeconds: 1, durationSeconds: 3600 },
    coldStart: true,
    nodes: fourNodes,
    deployments: [deployment('seed', { replicas: opts.seedReplicas, image: 'shop/ml:v1' }), deployment('web', { replicas: 0, image: opts.webImage ?? 'shop/ml:v1' })],
    services: [],
    images: { 'shop/ml:v1': { sizeMiB: opts.sizeMiB } },
  });
  run(s, 10); // pulls done: the seed Pods run, their Nodes list the image
  expect(podsOf(s, 'seed').every((p) => p.status.phase === 'Running')).toBe(true);
  expect(applyAction(s, 'alice', { type: 'scaleDeployment', deployment: 'web', replicas: 1 }).ok).toBe(true);
  run(s, 2);
  return { web: nodesOf(s, 'web')[0]!, seeded: nodesOf(s, 'seed') };
}

describe('ImageLocality', () => {
  it('Nodes report the images their kubelet pulled in status.images (kubectl get node -o yaml)', () => {
    const s = sim({ coldStart: true, nodes: [node('n1')], deployments: [deployment('web', { replicas: 1, image: 'shop/web' })], images: { 'shop/web': { sizeMiB: 250 } } });
    expect(s.nodes['n1']!.status.images).toBeUndefined(); // still pulling
    run(s, 10);
    expect(s.nodes['n1']!.status.images).toEqual([{ names: ['shop/web:latest'], sizeBytes: 250 * MIB_BYTES }]);
    const r = runKubectl(s, 'kubectl get node n1 -o yaml');
    expect(r.kind).toBe('output');
    expect(r.kind === 'output' ? r.output : '').toContain(`  images:\n  - names:\n    - shop/web:latest\n    sizeBytes: ${250 * MIB_BYTES}`);
  });

  it('status.images is largest first and capped at 50 (--node-status-max-images)', () => {
    const d = deployment('fat', { replicas: 1 });
    const images: Record<string, { sizeMiB: number }> = {};
    d.spec.template.spec.containers = Array.from({ length: 52 }, (_, i) => {
      images[`img${i + 1}:v1`] = { sizeMiB: i + 1 };
      return { name: `c${i + 1}`, image: `img${i + 1}:v1` };
    });
    const s = sim({ coldStart: true, nodes: [node('n1')], deployments: [d], images });
    run(s, 10);
    const list = s.nodes['n1']!.status.images!;
    expect(list).toHaveLength(50);
    expect(list[0]).toEqual({ names: ['img52:v1'], sizeBytes: 52 * MIB_BYTES });
    expect(list[49]).toEqual({ names: ['img3:v1'], sizeBytes: 3 * MIB_BYTES });
  });

  it('a warm-started cluster lists the images of the Pods running at the start', () => {
    const s = sim({ nodes: [node('n1')], deployments: [deployment('web', { replicas: 1, image: 'shop/web:v2' })] });
    expect(s.nodes['n1']!.status.images).toEqual([{ names: ['shop/web:v2'], sizeBytes: 100 * MIB_BYTES }]);
  });

  it('the score: size x share of Nodes holding it, clamped to [23 MiB, 1000 MiB x containers], to 0..100', () => {
    expect(normalizedImageName('nginx')).toBe('nginx:latest');
    expect(normalizedImageName('registry:5000/nginx')).toBe('registry:5000/nginx:latest');
    expect(normalizedImageName('nginx:1.27')).toBe('nginx:1.27');
    // 800 MiB on 2 of 4 Nodes: 400 MiB -> 100 x (400 - 23) / (1000 - 23) = 38.
    expect(imageLocalityPriority(scaledImageScore(800 * MIB_BYTES, 2, 4), 1)).toBe(38);
    // The same image on 1 Node of 40: 20 MiB, under the threshold.
    expect(imageLocalityPriority(scaledImageScore(800 * MIB_BYTES, 1, 40), 1)).toBe(0);
    expect(imageLocalityPriority(5000 * MIB_BYTES, 1)).toBe(100);
    expect(imageLocalityPriority(1000 * MIB_BYTES, 2)).toBe(49); // two containers: max 2000 MiB
  });

  it('a new Pod goes to a Node that already holds its big image', () => {
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      // 800 MiB on 2 of 4 Nodes: ImageLocality 38 there, 0 elsewhere; LeastAllocated differs by ~2.
      const { web, seeded } = placeAfterSeed(seed, { sizeMiB: 800, seedReplicas: 2 });
      expect(seeded).toHaveLength(2);
      expect(seeded).toContain(web);
    }
  });

  it('a small image (under 23 MiB once scaled) gives no preference: the same placement as an image no Node has', () => {
    let offImage = 0;
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      // 40 MiB on 2 of 4 Nodes: 20 MiB scaled, below minThreshold.
      const small = placeAfterSeed(seed, { sizeMiB: 40, seedReplicas: 2 });
      const fresh = placeAfterSeed(seed, { sizeMiB: 40, seedReplicas: 2, webImage: 'shop/other:v1' });
      expect(small.web).toBe(fresh.web);
      if (!small.seeded.includes(small.web)) offImage++;
    }
    expect(offImage).toBeGreaterThan(0);
  });

  it('spread scaling: an image on every Node says nothing, the same big image on 1 Node of 4 still pulls', () => {
    for (const seed of [1, 2, 3]) {
      const everywhere = placeAfterSeed(seed, { sizeMiB: 800, seedReplicas: 4 });
      expect(everywhere.seeded).toHaveLength(4);
      expect(everywhere.web).toBe(placeAfterSeed(seed, { sizeMiB: 800, seedReplicas: 4, webImage: 'shop/other:v1' }).web);
      // 800 MiB on 1 Node of 4: 200 MiB scaled, score 18 (> LeastAllocated's ~1 point for one Pod).
      const one = placeAfterSeed(seed, { sizeMiB: 800, seedReplicas: 1 });
      expect(one.web).toBe(one.seeded[0]);
    }
  });

  describe('imagePullPolicy', () => {
    /** One Node running `seed` (image `image`), then Deployment `web` (same image, `policy`) scaled to 1 there: its Pulled/Pulling events and start second. */
    function second(image: string, policy?: 'Always' | 'IfNotPresent' | 'Never') {
      const web = deployment('web', { replicas: 0, image });
      if (policy) web.spec.template.spec.containers[0]!.imagePullPolicy = policy;
      const s = sim({ coldStart: true, nodes: [node('n1')], deployments: [deployment('seed', { replicas: 1, image }), web], services: [] });
      run(s, 10);
      expect(applyAction(s, 'alice', { type: 'scaleDeployment', deployment: 'web', replicas: 1 }).ok).toBe(true);
      const from = s.t;
      run(s, 10);
      const pod = podsOf(s, 'web')[0]!;
      const name = pod.metadata.name;
      return {
        pulling: eventsWith(s, 'Pulling', name).map((e) => e.message),
        pulled: eventsWith(s, 'Pulled', name).map((e) => e.message),
        startedAfter: pod.status.containerStatuses[0]!.state.running!.startedAt - from,
      };
    }

    it('defaults as the API server: Always for :latest or untagged, else IfNotPresent', () => {
      expect(pullPolicyOf({ name: 'a', image: 'nginx', env: [], ports: [], resources: {} })).toBe('Always');
      expect(pullPolicyOf({ name: 'a', image: 'nginx:latest', env: [], ports: [], resources: {} })).toBe('Always');
      expect(pullPolicyOf({ name: 'a', image: 'nginx:1.27', env: [], ports: [], resources: {} })).toBe('IfNotPresent');
      expect(pullPolicyOf({ name: 'a', image: 'nginx:1.27', env: [], ports: [], resources: {}, imagePullPolicy: 'Always' })).toBe('Always');
    });

    it('IfNotPresent with the image on the Node: no pull, "already present on machine", started at the next sync', () => {
      const r = second('shop/web:v1');
      expect(r.pulling).toEqual([]);
      expect(r.pulled).toEqual(['Container image "shop/web:v1" already present on machine']);
      expect(r.startedAfter).toBeLessThanOrEqual(2); // scheduled next tick, started the tick after: no 2-5 s pull
    });

    it('Always (explicit, or an untagged image) pulls again even when the Node holds the image', () => {
      for (const r of [second('shop/web:v1', 'Always'), second('shop/web')]) {
        expect(r.pulling).toHaveLength(1);
        expect(r.pulled[0]).toMatch(/^Successfully pulled image "shop\/web(:v1)?" in \d+s$/);
        expect(r.startedAfter).toBeGreaterThanOrEqual(3);
      }
    });

    it('Never with the image absent: ErrImageNeverPull (no pull), retried every 10 s; it starts once another Pod pulled the image', () => {
      const web = deployment('web', { replicas: 1, image: 'shop/web:v1' });
      web.spec.template.spec.containers[0]!.imagePullPolicy = 'Never';
      const s = sim({ coldStart: true, nodes: [node('n1')], deployments: [web, deployment('seed', { replicas: 0, image: 'shop/web:v1' })], services: [] });
      run(s, 5);
      const pod = podsOf(s, 'web')[0]!;
      const name = pod.metadata.name;
      const msg = 'Container image "shop/web:v1" is not present with pull policy of Never';
      expect(eventsWith(s, 'Pulling', name)).toEqual([]);
      expect(eventsWith(s, 'ErrImageNeverPull', name).map((e) => [e.type, e.message])).toEqual([['Warning', msg]]);
      expect(eventsWith(s, 'Failed', name).map((e) => e.message)).toEqual(['Error: ErrImageNeverPull']);
      expect(pod.status.containerStatuses[0]!.state.waiting).toEqual({ reason: 'ErrImageNeverPull', message: msg });
      const out = runKubectl(s, 'kubectl get pods');
      expect(out.kind === 'output' ? out.output : '').toMatch(new RegExp(`${name}\\s+0/1\\s+ErrImageNeverPull\\s`));
      run(s, 10);
      expect(eventsWith(s, 'ErrImageNeverPull', name)).toHaveLength(2); // the pod worker's next sync, 10 s on
      expect(applyAction(s, 'alice', { type: 'scaleDeployment', deployment: 'seed', replicas: 1 }).ok).toBe(true);
      run(s, 20);
      const now = podsOf(s, 'web')[0]!;
      expect(now.status.phase).toBe('Running');
      expect(eventsWith(s, 'Pulled', name).map((e) => e.message)).toEqual(['Container image "shop/web:v1" already present on machine']);
      expect(eventsWith(s, 'Pulling', name)).toEqual([]);
    });

    it('the API server\'s default is served: -o yaml / -o json show imagePullPolicy (IfNotPresent for a tag, Always for :latest or none)', () => {
      const s = sim({ nodes: [node('n1')], deployments: [deployment('web', { replicas: 1, image: 'shop/web:v1' }), deployment('edge', { replicas: 1, image: 'shop/edge' })], services: [] });
      const yaml = runKubectl(s, 'kubectl get deployment web -o yaml');
      expect(yaml.kind === 'output' ? yaml.output : '').toMatch(/\n\s+(- )?image: shop\/web:v1\n\s+imagePullPolicy: IfNotPresent\n/);
      const pod = podsOf(s, 'edge')[0]!;
      const json = runKubectl(s, `kubectl get pod ${pod.metadata.name} -o json`);
      expect(JSON.parse(json.kind === 'output' ? json.output : '{}').spec.containers[0].imagePullPolicy).toBe('Always');
      expect(s.deployments['default/web']!.spec.template.spec.containers[0]!.imagePullPolicy).toBeUndefined(); // stored as the manifest had it
    });

    it('the stored policy survives `kubectl set image` to a tag of another default (as the API server stored it at creation)', () => {
      const s = sim({ nodes: [node('n1')], deployments: [deployment('web', { replicas: 1, image: 'shop/web:v1' })], services: [] });
      const policy = () => {
        const out = runKubectl(s, 'kubectl get deployment web -o json');
        return JSON.parse(out.kind === 'output' ? out.output : '{}').spec.template.spec.containers[0].imagePullPolicy as string;
      };
      expect(policy()).toBe('IfNotPresent');
      const setImage = (image: string) => {
        expect(applyAction(s, 'alice', { type: 'setImage', deployment: 'web', image }).ok).toBe(true);
        run(s, 5);
      };
      setImage('shop/web:latest');
      expect(policy()).toBe('IfNotPresent'); // real: stored IfNotPresent, not re-defaulted to Always
      setImage('shop/web:v1');
      expect(policy()).toBe('IfNotPresent');
      expect(s.deployments['default/web']!.spec.template.spec.containers[0]!.imagePullPolicy).toBeUndefined(); // the first template again
      expect(Object.keys(s.replicaSets)).toHaveLength(2); // v1's ReplicaSet reused
    });

    it('image GC deletes an unused image from the Node: the next Pod needing it pulls again', () => {
      const s = sim({
        settings: { seed: 1, tickSeconds: 1, durationSeconds: 3600 },
        coldStart: true,
        nodes: [node('n1')],
        deployments: [deployment('web', { replicas: 1, image: 'shop/web:v1' }), deployment('seed', { replicas: 1, image: 'shop/seed:v1' })],
        services: [],
        // At 300 the periodic GC finds the disk at 85 % and deletes the images no Pod runs.
        incidents: [{ id: 'disk', type: 'node-disk-pressure', at: 300, target: 'n1', params: { usedPercent: 85 } }],
      });
      run(s, 10);
      expect(s.nodes['n1']!.status.images!.map((i) => i.names[0]).sort()).toEqual(['shop/seed:v1', 'shop/web:v1']);
      expect(applyAction(s, 'alice', { type: 'scaleDeployment', deployment: 'web', replicas: 0 }).ok).toBe(true);
      run(s, 300 - s.t);
      expect(s.nodes['n1']!.status.images!.map((i) => i.names[0])).toEqual(['shop/seed:v1']);
      expect(s.events.filter((e) => e.reason === 'FreeDiskSpaceFailed').map((e) => e.t)).toEqual([300]);
      expect(s.nodes['n1']!.status.conditions.find((c) => c.type === 'DiskPressure')?.status).not.toBe('True');
      expect(applyAction(s, 'alice', { type: 'scaleDeployment', deployment: 'web', replicas: 1 }).ok).toBe(true);
      run(s, 10);
      const pod = podsOf(s, 'web')[0]!;
      expect(eventsWith(s, 'Pulling', pod.metadata.name).map((e) => e.message)).toEqual(['Pulling image "shop/web:v1"']);
      expect(pod.status.phase).toBe('Running');
    });

    it('two containers, one image on the Node: only the missing one is pulled (its Pulling and Pulled), the other already present', () => {
      const web = deployment('web', { replicas: 0, image: 'shop/web:v1' });
      web.spec.template.spec.containers.push({ name: 'sidecar', image: 'shop/proxy:v3', resources: { requests: { cpu: '10m', memory: '16Mi' } } });
      const s = sim({ coldStart: true, nodes: [node('n1')], deployments: [deployment('seed', { replicas: 1, image: 'shop/web:v1' }), web], services: [] });
      run(s, 10);
      expect(applyAction(s, 'alice', { type: 'scaleDeployment', deployment: 'web', replicas: 1 }).ok).toBe(true);
      run(s, 10);
      const name = podsOf(s, 'web')[0]!.metadata.name;
      expect(eventsWith(s, 'Pulling', name).map((e) => e.message)).toEqual(['Pulling image "shop/proxy:v3"']);
      const pulled = eventsWith(s, 'Pulled', name).map((e) => e.message);
      expect(pulled[0]).toBe('Container image "shop/web:v1" already present on machine');
      expect(pulled[1]).toMatch(/^Successfully pulled image "shop\/proxy:v3" in \d+s$/);
      expect(s.nodes['n1']!.status.images!.map((i) => i.names[0]).sort()).toEqual(['shop/proxy:v3', 'shop/web:v1']);
    });
  });
});
