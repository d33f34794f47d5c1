/**
 * Small builders of SimInputs for the sim's tests: nodes, Deployments, Services, and helpers to run a
 * state forward and look at a Deployment's pods the way a player would (kubectl STATUS, READY).
 */
import { createSim, ownerDeploymentName, podDisplayStatus, step } from '../../shared/sim/index.ts';
import type { DeploymentManifest, NodeSpecInput, Pod, Probe, ServiceManifest, SimInput, SimState } from '../../shared/sim/index.ts';
import { forEachFeedRow } from '../../shared/sim/notices.ts';

/** A worker node (default 4 cores, 8Gi, zone-a). */
export function node(name: string, opts: Partial<NodeSpecInput> = {}): NodeSpecInput {
  return { name, zone: 'zone-a', cpu: '4', memory: '8Gi', ...opts };
}

export interface DeploymentOpts {
  replicas?: number;
  image?: string;
  cpu?: string;
  memory?: string;
  memoryLimit?: string;
  readinessProbe?: Probe;
  strategy?: DeploymentManifest['spec']['strategy'];
  env?: { name: string; value: string }[];
  nodeSelector?: Record<string, string>;
  progressDeadlineSeconds?: number;
  minReadySeconds?: number;
}

/** A Deployment `name` with label app=name and one container `app`. */
export function deployment(name: string, o: DeploymentOpts = {}): DeploymentManifest {
  const resources: NonNullable<DeploymentManifest['spec']['template']['spec']['containers'][number]['resources']> = {
    requests: { cpu: o.cpu ?? '100m', memory: o.memory ?? '128Mi' },
  };
  if (o.memoryLimit) resources.limits = { memory: o.memoryLimit };
  const container: DeploymentManifest['spec']['template']['spec']['containers'][number] = { name: 'app', image: o.image ?? `${name}:v1`, resources };
  if (o.readinessProbe) container.readinessProbe = o.readinessProbe;
  if (o.env) container.env = o.env;
  const m: DeploymentManifest = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas: o.replicas ?? 3,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [container] } },
    },
  };
  if (o.strategy) m.spec.strategy = o.strategy;
  if (o.nodeSelector) m.spec.template.spec.nodeSelector = o.nodeSelector;
  if (o.progressDeadlineSeconds !== undefined) m.spec.progressDeadlineSeconds = o.progressDeadlineSeconds;
  if (o.minReadySeconds !== undefined) m.spec.minReadySeconds = o.minReadySeconds;
  return m;
}

/** A Service selecting app=`app` (default: same as its name). */
export function service(name: string, o: { app?: string; type?: ServiceManifest['spec']['type'] } = {}): ServiceManifest {
  const s: ServiceManifest = { apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { selector: { app: o.app ?? name }, ports: [{ port: 80 }] } };
  if (o.type) s.spec.type = o.type;
  return s;
}

/** A complete input: 3 nodes, one Deployment `web` x3 with its Service, unless overridden. */
export function input(over: Partial<SimInput> = {}): SimInput {
  return {
    scenarioId: 'test',
    settings: { seed: 42, tickSeconds: 1, durationSeconds: 3600 },
    nodes: [node('node-a'), node('node-b'), node('node-c')],
    deployments: [deployment('web')],
    services: [service('web', { type: 'LoadBalancer' })],
    images: {},
    userFacingService: 'web',
    slo: { availability: 0.99, latency: { thresholdMs: 300, target: 0.99 } },
    incidents: [],
    ...over,
  };
}

/** createSim(input(over)). */
export function sim(over: Partial<SimInput> = {}): SimState {
  return createSim(input(over));
}

/** Steps `seconds` sim seconds (1 s ticks), calling `each` after every step. */
export function run(state: SimState, seconds: number, each?: (s: SimState) => void): void {
  const end = state.t + seconds;
  while (state.t < end) {
    step(state);
    each?.(state);
  }
}

/** Steps until `cond` holds or `maxSeconds` passed; returns the sim second it held, or null. */
export function runUntil(state: SimState, cond: (s: SimState) => boolean, maxSeconds: number): number | null {
  const end = state.t + maxSeconds;
  while (state.t < end) {
    step(state);
    if (cond(state)) return state.t;
  }
  return null;
}

/** Pods owned by Deployment `name`, sorted by name. */
export function podsOf(state: SimState, name: string): Pod[] {
  return Object.values(state.pods)
    .filter((p) => ownerDeploymentName(state, p) === name)
    .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
}

/** kubectl STATUS of each pod of a Deployment. */
export function statuses(state: SimState, name: string): string[] {
  return podsOf(state, name).map((p) => podDisplayStatus(p, state.t));
}

/** Pods of a Deployment that are Running and Ready (not terminating). */
export function runningReady(state: SimState, name: string): Pod[] {
  return podsOf(state, name).filter((p) => podDisplayStatus(p, state.t) === 'Running' && p.sim.ready);
}

/** Events with `reason` (optionally about an object name prefix). */
export function eventsWith(state: SimState, reason: string, objectPrefix = ''): SimState['events'] {
  return state.events.filter((e) => e.reason === reason && e.object.name.startsWith(objectPrefix));
}

/** A row of the client's events feed: an Event or one of the game's notices (alerts, incidents). */
export interface FeedRow {
  seq: number;
  t: number;
  type: string;
  reason: string;
  kind: string;
  name: string;
  message: string;
}

/**
 * The whole events feed a player's client shows (server/rooms/projection.ts shows its newest 50):
 * the cluster's Events and the game's notices in the order written (shared/sim/notices.ts).
 */
export function feedRows(state: SimState): FeedRow[] {
  const rows: FeedRow[] = [];
  forEachFeedRow(state.events, state.notices, Number.POSITIVE_INFINITY, (seq, e, n) => {
    const row = e ?? n!;
    rows.push({ seq, t: row.t, type: row.type, reason: row.reason, kind: e?.object.kind ?? n!.object?.kind ?? '', name: e?.object.name ?? n!.object?.name ?? '', message: row.message });
  });
  return rows;
}
