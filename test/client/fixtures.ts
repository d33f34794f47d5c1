/**
 * A plain TeamView shaped like the default Online Boutique scenario: 6 nodes in 3 zones, 11
 * Deployments / Services, ~20 pods, 3 etcd members. Used by the view-logic tests. Like the room's
 * state, Pods, Deployments and Services are keyed `namespace/name` (all in `default`), Nodes by name.
 */
import type { DeploymentView, NodeView, PodView, ServiceView, TeamView } from '../../shared/protocol.ts';

export const BOUTIQUE_DEPLOYMENTS = [
  'adservice',
  'cartservice',
  'checkoutservice',
  'currencyservice',
  'emailservice',
  'frontend',
  'paymentservice',
  'productcatalogservice',
  'recommendationservice',
  'redis-cart',
  'shippingservice',
] as const;

export function node(name: string, zone: string, extra: Partial<NodeView> = {}): NodeView {
  return {
    name,
    zone,
    status: 'Ready',
    ready: true,
    unschedulable: false,
    cpuAllocatable: 3920,
    cpuRequested: 1200,
    memAllocatable: 15000,
    memRequested: 4000,
    podCount: 0,
    podsByStatus: new Map(),
    ...extra,
  };
}

export function pod(name: string, nodeName: string, deployment: string, extra: Partial<PodView> = {}): PodView {
  return { name, namespace: 'default', node: nodeName, deployment, status: 'Running', ready: true, restarts: 0, image: `${deployment}:v1`, memoryMiB: 100, memLimitMiB: 256, createdAt: 0, ...extra };
}

/** Build the boutique team; `frontend` gets 3 replicas, the others 1 or 2. */
export function boutiqueTeam(): TeamView {
  const nodes = new Map<string, NodeView>();
  const zones = ['europe-west1-b', 'europe-west1-c', 'europe-west1-d'];
  const nodeNames: string[] = [];
  for (let i = 0; i < 6; i++) {
    const name = `worker-${i + 1}`;
    nodeNames.push(name);
    nodes.set(name, node(name, zones[i % 3] as string));
  }
  const pods = new Map<string, PodView>();
  const deployments = new Map<string, DeploymentView>();
  const services = new Map<string, ServiceView>();
  let k = 0;
  for (const d of BOUTIQUE_DEPLOYMENTS) {
    const replicas = d === 'frontend' ? 3 : d.length % 2 === 0 ? 2 : 1;
    for (let r = 0; r < replicas; r++) {
      const name = `${d}-6b8c9d7f5-${String.fromCharCode(97 + r)}${k}x`;
      pods.set(`default/${name}`, pod(name, nodeNames[k % 6] as string, d));
      k++;
    }
    deployments.set(`default/${d}`, { name: d, namespace: 'default', podsByStatus: new Map([['Running', replicas]]), replicas, readyReplicas: replicas, updatedReplicas: replicas, availableReplicas: replicas, image: `${d}:v1`, revision: 1, memoryLimit: '256Mi' });
    services.set(`default/${d}`, { name: d, namespace: 'default', type: d === 'frontend' ? 'LoadBalancer' : 'ClusterIP', rps: 40, errorRate: 0.001, p99Ms: 45, readyEndpoints: replicas, totalEndpoints: replicas });
  }
  return {
    id: 'blue',
    nodes,
    pods,
    deployments,
    services,
    system: new Map(),
    etcd: [
      { name: 'etcd-0', healthy: true, leader: true },
      { name: 'etcd-1', healthy: true, leader: false },
      { name: 'etcd-2', healthy: true, leader: false },
    ],
    etcdQuorum: true,
    components: ['kube-apiserver', 'kube-scheduler', 'kube-controller-manager'].map((name) => ({ name, healthy: true, message: '' })),
    slo: {
      availability: 0.999,
      availabilityTarget: 0.995,
      latency: 0.995,
      latencyTarget: 0.99,
      latencyThresholdMs: 300,
      errorBudgetRemaining: 0.8,
      latencyErrorBudgetRemaining: 0.5,
      burnRate: 0.2,
      paging: false,
    },
    alerts: [],
    events: [],
    incidents: [],
    score: 900,
    pages: [],
    declared: [],
    updates: [],
    hints: 0,
    hintCost: 75,
    followups: [],
  };
}

/** Key of a default-namespace object in a TeamView map (`default/NAME`). */
export const key = (name: string): string => `default/${name}`;

/** The same team with its maps filled in reverse insertion order (layout must not care). */
export function reversedInsertion(team: TeamView): TeamView {
  const rev = <V>(m: Map<string, V>): Map<string, V> => new Map([...m].reverse());
  return { ...team, nodes: rev(team.nodes), pods: rev(team.pods), deployments: rev(team.deployments), services: rev(team.services) };
}
