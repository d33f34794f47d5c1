import { describe, it, expect } from 'vitest';
import { loadManifests } from '../../shared/manifests/load.ts';
import { parseScenario } from '../../shared/scenario/parse.ts';
import { problemsOf, readFixture } from './helpers.ts';
import {
  defaultClusterNodes,
  inferCallGraph,
  manifestsOnlyInput,
  scenarioToSimInput,
} from '../../shared/scenario/toSimInput.ts';
import { callGraphRoots, inferUserFacingService, referencedHosts } from '../../shared/scenario/callGraph.ts';
import { expandNodePool } from '../../shared/scenario/nodes.ts';

const read = readFixture;
const boutique = loadManifests(read('manifests/online-boutique.yaml'));
const bookinfo = loadManifests(read('manifests/bookinfo.yaml'));
const guestbook = loadManifests(read('manifests/guestbook-all-in-one.yaml'));


describe('inferCallGraph', () => {
  it('reads Online Boutique calls from env values', () => {
    const g = inferCallGraph(boutique.deployments, boutique.services);
    expect(g.frontend).toEqual(['adservice', 'cartservice', 'checkoutservice', 'currencyservice', 'productcatalogservice', 'recommendationservice', 'shippingservice']);
    expect(g.checkoutservice).toEqual(['cartservice', 'currencyservice', 'emailservice', 'paymentservice', 'productcatalogservice', 'shippingservice']);
    expect(g.cartservice).toEqual(['redis-cart']);
    expect(g.recommendationservice).toEqual(['productcatalogservice']);
    expect(g.adservice).toEqual([]);
    // frontend-external is an alias of frontend; loadgenerator has no Service, so neither is a node.
    expect(Object.keys(g)).not.toContain('frontend-external');
    expect(Object.keys(g)).not.toContain('loadgenerator');
    expect(Object.keys(g)).toHaveLength(11);
    expect(callGraphRoots(g)).toEqual(['frontend']);
  });

  it('maps several Deployments behind one Service (Bookinfo reviews-v1..v3) to that Service', () => {
    const g = inferCallGraph(bookinfo.deployments, bookinfo.services);
    expect(g).toEqual({ details: [], productpage: [], ratings: [], reviews: [] });
  });

  it.each([
    ['cartservice:7070', [{ name: 'cartservice' }]],
    ['http://reviews:9080/reviews', [{ name: 'reviews' }]],
    ['https://productpage', [{ name: 'productpage' }]],
    ['redis-cart.shop.svc.cluster.local:6379', [{ name: 'redis-cart', namespace: 'shop' }]],
    ['a:1,b:2', [{ name: 'a' }, { name: 'b' }]],
    ['dns', []],
    ['8080', []],
    ['gcr.io/google-samples/foo:v1', []],
    ['user:secret@db:5432', [{ name: 'db' }]],
  ])('referencedHosts(%j)', (value, hosts) => {
    expect(referencedHosts(value)).toEqual(hosts);
  });
});

describe('user-facing Service', () => {
  it('is the Service behind the first LoadBalancer/NodePort Service', () => {
    expect(inferUserFacingService(boutique.deployments, boutique.services, inferCallGraph(boutique.deployments, boutique.services))?.service).toBe('frontend');
    expect(inferUserFacingService(guestbook.deployments, guestbook.services, {})?.service).toBe('frontend');
  });

  it('falls back to a call-graph root', () => {
    const g = inferCallGraph(bookinfo.deployments, bookinfo.services);
    expect(inferUserFacingService(bookinfo.deployments, bookinfo.services, g)?.service).toBe('productpage');
  });
});

describe('nodes', () => {
  it('defaultClusterNodes: 6 Nodes of 4 CPU / 16Gi over three zones', () => {
    const nodes = defaultClusterNodes();
    expect(nodes).toHaveLength(6);
    expect(new Set(nodes.map((n) => n.zone)).size).toBe(3);
    expect(nodes.every((n) => n.cpu === '4' && n.memory === '16Gi')).toBe(true);
    expect(nodes.map((n) => n.name)).toEqual(['node-a1', 'node-b1', 'node-c1', 'node-a2', 'node-b2', 'node-c2']);
  });

  it('expandNodePool spreads round-robin and names by zone suffix', () => {
    const nodes = expandNodePool({ count: 4, zones: ['europe-west1-b', 'europe-west1-d'], cpu: '2', memory: '8Gi', namePrefix: 'gke' });
    expect(nodes.map((n) => `${n.name}@${n.zone}`)).toEqual(['gke-b1@europe-west1-b', 'gke-d1@europe-west1-d', 'gke-b2@europe-west1-b', 'gke-d2@europe-west1-d']);
  });
});

describe('scenarioToSimInput', () => {
  const scenario = parseScenario(read('scenarios/bookinfo-node-failure.yaml'));

  it('builds a SimInput with the declared call graph, nodes and incidents', () => {
    const input = scenarioToSimInput(scenario, bookinfo, { seed: 42 });
    expect(input.scenarioId).toBe('bookinfo-node-failure');
    expect(input.settings).toEqual({ seed: 42, tickSeconds: 1, durationSeconds: 600 });
    expect(input.nodes.map((n) => n.name)).toEqual(['worker-1', 'worker-2', 'worker-3']);
    expect(input.nodes[1]).toEqual({ name: 'worker-2', zone: 'us-east1-c', cpu: '2000m', memory: '4096Mi', pods: 50 });
    expect(input.etcdMembers).toEqual(['etcd-0', 'etcd-1', 'etcd-2']);
    expect(input.callGraph).toEqual({ details: [], productpage: ['details', 'reviews'], ratings: [], reviews: ['ratings'] });
    expect(input.ingress).toEqual([{ service: 'productpage', rps: 30 }]);
    expect(input.userFacingService).toBe('productpage');
    expect(input.slo).toEqual({ availability: 0.995, latency: { thresholdMs: 250, target: 0.9 } });
    expect(input.incidents).toEqual([{ id: 'worker-2-down', type: 'node-failure', at: 120, target: 'worker-2', params: { recoverAfter: 300 } }]);
    expect(input.warnings?.join('\n')).toContain('ignored ServiceAccount');
  });

  it('an ingress entry with from (an in-cluster client Deployment) is kept; an unknown Deployment is a problem', () => {
    const base = read('scenarios/bookinfo-node-failure.yaml');
    const withFrom = (from: string) => parseScenario(base.replace(/traffic:\n/, `traffic:\n  ingress: [{ service: productpage, rps: 30 }, { service: ratings, rps: 5, from: ${from} }]\n`));
    expect(scenarioToSimInput(withFrom('details-v1'), bookinfo, { seed: 1 }).ingress).toEqual([{ service: 'productpage', rps: 30 }, { service: 'ratings', rps: 5, from: 'details-v1' }]);
    expect(problemsOf(() => scenarioToSimInput(withFrom('loadgen'), bookinfo, { seed: 1 }))).toEqual([
      'traffic.ingress[1].from: no Deployment "loadgen" in the workloads (Deployments: details-v1, productpage-v1, ratings-v1, reviews-v1, reviews-v2, reviews-v3)',
    ]);
  });

  it('is deterministic', () => {
    expect(JSON.stringify(scenarioToSimInput(scenario, bookinfo, { seed: 1 }))).toBe(JSON.stringify(scenarioToSimInput(scenario, bookinfo, { seed: 1 })));
  });

  it('lists every name that does not exist in the workloads', () => {
    const bad = parseScenario(
      read('scenarios/bookinfo-node-failure.yaml')
        .replace('userFacingService: productpage', 'userFacingService: frontpage')
        .replace('reviews: [ratings]', 'reviews: [stars]')
        .replace('target: worker-2', 'target: worker-9')
        .concat('  - { id: leak, type: memory-leak, at: 60, target: reviews }\n  - { id: quorum, type: etcd-quorum-loss, at: 90, target: [etcd-1] }\n'),
    );
    const problems = problemsOf(() => scenarioToSimInput(bad, bookinfo, { seed: 1 }));
    expect(problems).toEqual([
      'userFacingService: no Service "frontpage" in the workloads (Services: details, productpage, ratings, reviews)',
      'traffic.callGraph.reviews: no Service "stars" in the workloads (Services: details, productpage, ratings, reviews)',
      'incidents[0] (worker-2-down).target: no Node "worker-9" in cluster.nodes (Nodes: worker-1, worker-2, worker-3)',
      'incidents[1] (leak).target: no Deployment "reviews" in the workloads (Deployments: details-v1, productpage-v1, ratings-v1, reviews-v1, reviews-v2, reviews-v3)',
      'incidents[2] (quorum).target: stopping 1 of 3 etcd members keeps quorum (2); stop at least 2',
    ]);
  });

  it('refuses workloads with errors, listing them', () => {
    const broken = loadManifests('apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: x }\nspec: {}\n');
    const problems = problemsOf(() => scenarioToSimInput(scenario, broken, { seed: 1 }));
    expect(problems[0]).toContain('document 1 (Deployment "x"): spec.selector');
  });

  it('passes bad-rollout params through and checks them against the target', () => {
    const s = parseScenario(read('scenarios/bookinfo-node-failure.yaml').concat('  - { id: bad, type: bad-rollout, at: 60, target: reviews-v2, params: { errorRate: 0.5 } }\n'));
    const input = scenarioToSimInput(s, bookinfo, { seed: 1, durationSeconds: 100 });
    expect(input.incidents.find((i) => i.id === 'bad')).toEqual({ id: 'bad', type: 'bad-rollout', at: 60, target: 'reviews-v2', params: { errorRate: 0.5 } });
    expect(input.settings.durationSeconds).toBe(100);
    expect(input.warnings).toContain('incident "worker-2-down" at 120 s falls after the end of this 100 s run and will not happen');
    const same = parseScenario(
      read('scenarios/bookinfo-node-failure.yaml').concat(
        '  - { id: bad, type: bad-rollout, at: 60, target: default/reviews-v2, params: { image: "docker.io/istio/examples-bookinfo-reviews-v2:1.20.1", container: reviews } }\n',
        '  - { id: bad2, type: bad-rollout, at: 70, target: reviews-v3, params: { container: sidecar } }\n',
      ),
    );
    expect(problemsOf(() => scenarioToSimInput(same, bookinfo, { seed: 1 }))).toEqual([
      'incidents[1] (bad).params.image: "docker.io/istio/examples-bookinfo-reviews-v2:1.20.1" is the image "default/reviews-v2" already runs: name the bad version',
      'incidents[2] (bad2).params.container: Deployment "reviews-v3" has no container "sidecar" (containers: reviews)',
    ]);
  });

  it('understands namespaces', () => {
    const ns = loadManifests(read('manifests/guestbook-all-in-one.yaml').replace(/metadata:\n {2}name: (\S+)/g, 'metadata:\n  name: $1\n  namespace: shop'));
    expect(inferCallGraph(ns.deployments, ns.services)).toEqual({ 'shop/frontend': [], 'shop/redis-master': [], 'shop/redis-replica': [] });
    const text = (facing: string, target: string) => `id: ns
title: Namespaced
match: { durationSeconds: 600 }
cluster: { nodes: { count: 3, zones: [a, b, c], cpu: "2", memory: 8Gi } }
workloads: { manifests: x.yaml }
traffic: { rps: 10 }
userFacingService: ${facing}
slo: { availability: 0.99, latency: { thresholdMs: 300, target: 0.95 } }
incidents: [{ id: bad, type: bad-rollout, at: 60, target: ${target} }]
`;
    expect(problemsOf(() => scenarioToSimInput(parseScenario(text('frontend', 'frontend')), ns, { seed: 1 }))).toEqual([
      'userFacingService: no Service "frontend" in the workloads (Services: shop/frontend, shop/redis-master, shop/redis-replica)',
      'incidents[0] (bad).target: Deployment "frontend" is in namespace "shop": write target: shop/frontend',
    ]);
    const input = scenarioToSimInput(parseScenario(text('shop/frontend', 'shop/frontend')), ns, { seed: 1 });
    expect(input.userFacingService).toBe('shop/frontend');
    expect(input.ingress).toEqual([{ service: 'shop/frontend', rps: 10 }]);
    expect(input.incidents[0]!.target).toBe('shop/frontend');
  });

  it('normalises an etcd target given as a comma list', () => {
    const json = parseScenario(read('scenarios/bookinfo-node-failure.json'));
    const input = scenarioToSimInput(json, bookinfo, { seed: 1 });
    expect(input.incidents[0]).toMatchObject({ target: 'etcd-0,etcd-2', params: { members: ['etcd-0', 'etcd-2'] } });
    expect(input.nodes.map((n) => n.name)).toEqual(['w-a1', 'w-b1', 'w-a2']);
    expect(input.callGraph).toEqual(inferCallGraph(bookinfo.deployments, bookinfo.services));
  });
});

describe('manifestsOnlyInput', () => {
  it('runs Online Boutique on the default cluster with no incidents', () => {
    const input = manifestsOnlyInput(boutique, { seed: 5 });
    expect(input.incidents).toEqual([]);
    expect(input.userFacingService).toBe('frontend');
    // One frontend request reaches redis-cart twice; its single 125m pod limits the load.
    expect(input.ingress).toEqual([{ service: 'frontend', rps: 9 }]);
    expect(input.rps).toBe(9);
    expect(input.slo).toEqual({ availability: 0.99, latency: { thresholdMs: 1100, target: 0.95 } });
    expect(input.nodes).toEqual(defaultClusterNodes());
    expect(input.callGraph).toEqual(inferCallGraph(boutique.deployments, boutique.services));
    expect(input.deployments).toHaveLength(12);
    expect(input.settings.seed).toBe(5);
  });

  it('keeps the default load and SLO for shallow workloads, and honours an explicit rps', () => {
    const input = manifestsOnlyInput(bookinfo, { seed: 1 });
    expect(input.rps).toBe(100);
    expect(input.slo.latency.thresholdMs).toBe(300);
    expect(manifestsOnlyInput(guestbook, { seed: 1 }).rps).toBe(45);
    expect(manifestsOnlyInput(guestbook, { seed: 1, rps: 7 }).ingress).toEqual([{ service: 'frontend', rps: 7 }]);
  });

  it('grows the cluster when the requests do not fit', () => {
    const big = loadManifests(
      read('manifests/guestbook-all-in-one.yaml').replace('replicas: 3', 'replicas: 300'),
    );
    const input = manifestsOnlyInput(big, { seed: 1 });
    expect(input.nodes.length).toBeGreaterThan(6);
    expect(input.nodes.length % 3).toBe(0);
  });

  it('refuses manifests without Deployments', () => {
    expect(() => manifestsOnlyInput(loadManifests('apiVersion: v1\nkind: ServiceAccount\nmetadata: { name: a }\n'), { seed: 1 })).toThrow(
      'no Deployment found in the workloads',
    );
  });
});
