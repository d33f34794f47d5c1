/**
 * Synthetic large clusters for the simulation benchmark: `npm run bench` (bench/run.ts) imports
 * {@link syntheticInput}; `BENCH_ONLY=sim-synthetic BENCH_NODES=500 BENCH_PODS=15000 npm run bench`
 * measures other sizes.
 *
 * Shape: nodes spread over 3 zones (32 cores / 128Gi / 110 pods each); Deployments of 100 replicas with
 * small requests (50m / 64Mi) and a ClusterIP Service each, the first one a LoadBalancer fronting the
 * rest through env-declared dependencies (a star call graph). Nothing fails unless you add incidents.
 */
import type { DeploymentManifest, ServiceManifest, SimInput } from '../shared/sim/types.ts';

/** Replicas per synthetic Deployment. */
export const REPLICAS_PER_DEPLOYMENT = 100;

/**
 * A SimInput with `nodes` nodes and about `pods` pods (ceil(pods / 100) Deployments of 100 replicas,
 * the last one smaller). 5,000 nodes / 150,000 pods gives 1,500 Deployments and Services.
 */
export function syntheticInput(nodes: number, pods: number): SimInput {
  const zones = ['zone-a', 'zone-b', 'zone-c'];
  const width = String(nodes).length;
  const nodeList = Array.from({ length: nodes }, (_, i) => ({ name: `node-${String(i).padStart(width, '0')}`, zone: zones[i % 3]!, cpu: '32', memory: '128Gi', pods: 110 }));
  const count = Math.ceil(pods / REPLICAS_PER_DEPLOYMENT);
  const deployments: DeploymentManifest[] = [];
  const services: ServiceManifest[] = [];
  for (let i = 0; i < count; i++) {
    const name = `svc-${String(i).padStart(4, '0')}`;
    const replicas = Math.min(REPLICAS_PER_DEPLOYMENT, pods - i * REPLICAS_PER_DEPLOYMENT);
    const env = i === 0 ? Array.from({ length: Math.min(count - 1, 20) }, (_, j) => ({ name: `DEP_${j + 1}`, value: `svc-${String(j + 1).padStart(4, '0')}:8080` })) : [];
    deployments.push({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name },
      spec: {
        replicas,
        selector: { matchLabels: { app: name } },
        template: {
          metadata: { labels: { app: name, tier: i === 0 ? 'frontend' : 'backend' } },
          spec: { containers: [{ name: 'app', image: `registry.local/${name}:v1`, env, resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '256Mi' } } }] },
        },
      },
    });
    services.push({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { type: i === 0 ? 'LoadBalancer' : 'ClusterIP', selector: { app: name }, ports: [{ port: 8080 }] } });
  }
  return {
    scenarioId: `synthetic-${nodes}n-${pods}p`,
    settings: { seed: 1, tickSeconds: 1, durationSeconds: 3600 },
    nodes: nodeList,
    deployments,
    services,
    images: {},
    userFacingService: 'svc-0000',
    slo: { availability: 0.999, latency: { thresholdMs: 300, target: 0.99 } },
    incidents: [],
    rps: 1000,
  };
}
