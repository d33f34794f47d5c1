/**
 * Synthetic large clusters for the simulation benchmark (`npm run bench` imports
 * {@link syntheticInput}); run this file directly to print figures:
 * `node_modules/.bin/node bench/sim-bench.ts [nodes] [pods] [ticks]`.
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

/** CPU time (user + system) since `from`, ms: steadier than wall time on a shared machine. */
function cpuMs(from: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(from);
  return (u.user + u.system) / 1000;
}

async function main(): Promise<void> {
  const { applyAction, createSim, markDirty, step } = await import('../shared/sim/index.ts');
  const [nodes = 5000, pods = 150000, ticks = 60] = process.argv.slice(2).map(Number);
  let c0 = process.cpuUsage();
  const state = createSim(syntheticInput(nodes, pods));
  const createCpuMs = cpuMs(c0);
  const podCount = Object.keys(state.pods).length;
  const ready = Object.values(state.pods).filter((p) => p.sim.ready).length;
  c0 = process.cpuUsage();
  for (let i = 0; i < ticks; i++) step(state);
  const steady = cpuMs(c0) / ticks;
  // A node failure and a rollout at once: work proportional to what changes.
  const victim = Object.keys(state.nodes).sort()[0]!;
  state.nodes[victim]!.sim.kubeletUp = false;
  markDirty(state, 'nodes', victim);
  applyAction(state, 'bench', { type: 'setImage', deployment: 'svc-0001', image: 'registry.local/svc-0001:v2' });
  c0 = process.cpuUsage();
  for (let i = 0; i < ticks; i++) step(state);
  const busy = cpuMs(c0) / ticks;
  console.log(JSON.stringify({ nodes, pods: podCount, ready, createCpuMs: Math.round(createCpuMs), steadyCpuMsPerTick: +steady.toFixed(2), busyCpuMsPerTick: +busy.toFixed(2), heapMiB: Math.round(process.memoryUsage().heapUsed / 2 ** 20) }));
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
