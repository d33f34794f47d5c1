/**
 * Small SimInputs for the game-layer tests (traffic, SLOs, score, incidents, kubectl, determinism).
 * A three-tier shop: frontend (LoadBalancer, user-facing) -> api -> db, three nodes in three zones.
 */
import type { DeploymentManifest, IncidentSpec, ServiceManifest, SimInput, SimState } from '../../shared/sim/types.ts';
import { applyAction, step } from '../../shared/sim/index.ts';
import { runKubectl } from '../../shared/kubectl/index.ts';

export function deployment(name: string, image: string, replicas: number, opts: { memLimit?: string; cpuLimit?: string } = {}): DeploymentManifest {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels: { app: name } },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [
            {
              name,
              image,
              ports: [{ containerPort: 8080 }],
              resources: {
                requests: { cpu: '100m', memory: '128Mi' },
                limits: { cpu: opts.cpuLimit ?? '500m', memory: opts.memLimit ?? '256Mi' },
              },
            },
          ],
        },
      },
    },
  };
}

export function service(name: string, type: 'ClusterIP' | 'LoadBalancer' = 'ClusterIP'): ServiceManifest {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { type, selector: { app: name }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] } };
}

/** The shop scenario; `incidents` and settings overridable. 200 requests/s into the frontend. */
export function shopInput(opts: { seed?: number; durationSeconds?: number; incidents?: IncidentSpec[]; rps?: number } = {}): SimInput {
  return {
    scenarioId: 'test-shop',
    settings: { seed: opts.seed ?? 42, tickSeconds: 1, durationSeconds: opts.durationSeconds ?? 1800 },
    nodes: [
      { name: 'node-a', zone: 'zone-a', cpu: '4', memory: '8Gi' },
      { name: 'node-b', zone: 'zone-b', cpu: '4', memory: '8Gi' },
      { name: 'node-c', zone: 'zone-c', cpu: '4', memory: '8Gi' },
    ],
    deployments: [deployment('frontend', 'shop/frontend:v1.4.2', 3), deployment('api', 'shop/api:v2.0.0', 3), deployment('db', 'shop/db:v1.0.0', 2)],
    services: [service('frontend', 'LoadBalancer'), service('api'), service('db')],
    images: {
      'shop/frontend:v1.4.2': { errorRate: 0.0001, latencyMs: 20, baseMemoryMiB: 120, cpuPerRequestMilli: 2 },
      'shop/api:v2.0.0': { errorRate: 0.0001, latencyMs: 30, baseMemoryMiB: 100, cpuPerRequestMilli: 2 },
      'shop/db:v1.0.0': { errorRate: 0.0001, latencyMs: 5, baseMemoryMiB: 150, cpuPerRequestMilli: 1 },
    },
    callGraph: { frontend: ['api'], api: ['db'] },
    ingress: [{ service: 'frontend', rps: opts.rps ?? 200 }],
    userFacingService: 'frontend',
    slo: { availability: 0.999, latency: { thresholdMs: 300, target: 0.99 } },
    incidents: opts.incidents ?? [],
  };
}

export const badRolloutIncident: IncidentSpec = { id: 'bad-frontend', type: 'bad-rollout', at: 60, target: 'frontend', params: { errorRate: 0.3 } };
export const memoryLeakIncident: IncidentSpec = { id: 'leak-api', type: 'memory-leak', at: 30, target: 'api', params: { growthMiBPerSec: 2, plateauMiB: 400 } };
export const etcdIncident: IncidentSpec = { id: 'etcd-down', type: 'etcd-quorum-loss', at: 30, target: 'etcd-1,etcd-2', params: {} };
export const nodeIncident: IncidentSpec = { id: 'node-a-down', type: 'node-failure', at: 30, target: 'node-a', params: {} };


/** Advances `n` ticks. */
export function stepN(state: SimState, n: number): void {
  for (let i = 0; i < n; i++) step(state);
}

/**
 * Types a console line as `player` would: read commands return their text; write commands are applied
 * with applyAction and return its message (or error).
 */
export function typeCommand(state: SimState, line: string, player = 'alice'): string {
  const r = runKubectl(state, line);
  if (r.kind === 'output') return r.output;
  if (r.kind === 'error') return r.error;
  const res = applyAction(state, player, r.action);
  return res.ok ? res.message : res.error;
}

/** The pods of a Deployment (by name prefix), sorted by name. */
export function podsOf(state: SimState, deployment: string) {
  return Object.values(state.pods)
    .filter((p) => p.metadata.labels['app'] === deployment)
    .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
}
