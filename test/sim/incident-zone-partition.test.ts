/**
 * `zone-partition`: zone-a of the shop (test/sim/game-fixtures.ts: node-a, node-b, node-c in zones a,
 * b, c) is cut off. Its Node turns NotReady (Ready Unknown) after the 50 s grace period with the
 * unreachable taints, its pods leave the endpoints; force-deleting them lets their ReplicaSets replace
 * them in the other zones and the SLI recovers. Left alone, the 300 s toleration evicts them
 * (Terminating) and the partition heals after durationSeconds. The node lifecycle controller's zone
 * rules: every zone down evicts nothing; a small zone in partial disruption taints no Node until it is
 * Normal again. Times are sim seconds (tickSeconds 1).
 */
import { describe, it, expect } from 'vitest';
import { createSim, stateHash } from '../../shared/sim/index.ts';
import { feedRows } from './fixtures.ts';
import type { IncidentSpec, SimState } from '../../shared/sim/types.ts';
import { incidentCatalog } from '../../shared/sim/incidents/index.ts';
import { parseScenario } from '../../shared/scenario/parse.ts';
import { MINIMAL_SCENARIO, problemsOf, readFixture } from '../scenario/helpers.ts';
import { loadManifests } from '../../shared/manifests/load.ts';
import { scenarioToSimInput } from '../../shared/scenario/toSimInput.ts';
import { checkInvariants } from './invariants.ts';
import { deployment, service, shopInput, stepN, typeCommand } from './game-fixtures.ts';

const AT = 30;

function sim(incidents: IncidentSpec[] = [{ id: 'part', type: 'zone-partition', at: AT, target: 'zone-a', params: {} }]): SimState {
  return createSim(shopInput({ incidents }));
}

/** Availability SLI (good / valid requests of the user-facing Service) over the next `n` ticks. */
function availabilityOver(s: SimState, n: number): number {
  const { good, valid } = s.slos.availability;
  stepN(s, n);
  const dv = s.slos.availability.valid - valid;
  return dv === 0 ? 1 : (s.slos.availability.good - good) / dv;
}

/** Steps until `cond` holds; the sim second it held, or null within `max` seconds. */
function until(s: SimState, cond: () => boolean, max: number): number | null {
  for (let i = 0; i < max; i++) {
    stepN(s, 1);
    if (cond()) return s.t;
  }
  return null;
}

function podsOn(s: SimState, node: string) {
  return Object.values(s.pods).filter((p) => p.spec.nodeName === node).sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
}

describe('incident zone-partition', () => {
  it('is in the catalog; a scenario type whose target is a zone of the cluster', () => {
    const e = incidentCatalog().find((x) => x.kind === 'zone-partition')!;
    expect(e.title).toBe('Network partition isolates zone <zone>');
    expect(e.target).toMatch(/topology.kubernetes.io\/zone/);
    expect(e.symptoms.join('\n')).toMatch(/node.kubernetes.io\/unreachable/);
    const y = `${MINIMAL_SCENARIO}incidents:\n  - { id: p, type: zone-partition, at: 20, target: a }\n`;
    expect(parseScenario(y).incidents[0]!.params).toEqual({ durationSeconds: 900 });
  });

  it('NotReady after 50 s with the unreachable taints; force-deleting the cut-off pods restores the SLI', () => {
    const s = sim();
    expect(availabilityOver(s, AT - 1)).toBeGreaterThan(0.998);
    const inc = s.incidents[0]!;
    expect(availabilityOver(s, 40)).toBeLessThan(0.9); // a third of the frontend's endpoints black-holed
    expect(inc.status).toBe('active');
    stepN(s, 15);
    expect(typeCommand(s, 'kubectl get nodes').split('\n').find((l) => l.startsWith('node-a'))).toMatch(/^node-a\s+NotReady\s/);
    const describe = typeCommand(s, 'kubectl describe node node-a');
    expect(describe).toMatch(/Ready\s+Unknown\s.*NodeStatusUnknown\s+Kubelet stopped posting node status\./);
    expect(describe).toMatch(/node.kubernetes.io\/unreachable:NoExecute/);
    const cut = podsOn(s, 'node-a').filter((p) => p.metadata.deletionTimestamp === undefined);
    expect(cut.length).toBeGreaterThan(0);
    for (const p of cut) expect(p.sim.ready).toBe(false);
    expect(availabilityOver(s, 10)).toBeGreaterThan(0.99); // out of the endpoints: the other zones serve
    expect(typeCommand(s, 'kubectl cordon node-a')).toBe('node/node-a cordoned');
    for (const p of cut) expect(typeCommand(s, `kubectl delete pod ${p.metadata.name} --force --grace-period=0`)).toMatch(/force deleted/);
    const healedAt = until(s, () => inc.status === 'mitigated', 60);
    expect(healedAt).not.toBeNull();
    expect(availabilityOver(s, 60)).toBeGreaterThan(0.998);
    expect(checkInvariants(s)).toEqual([]);
  });

  it('left alone: pods Terminating after the 300 s toleration, replaced elsewhere; the partition heals', () => {
    const s = sim([{ id: 'part', type: 'zone-partition', at: AT, target: 'zone-a', params: { durationSeconds: 600 } }]);
    stepN(s, AT + 50 + 300 + 10);
    const inc = s.incidents[0]!;
    expect(s.events.some((e) => e.reason === 'TaintManagerEviction')).toBe(true);
    expect(typeCommand(s, 'kubectl get pods -o wide').split('\n').filter((l) => /\snode-a\s/.test(l)).every((l) => /Terminating/.test(l))).toBe(true);
    expect(until(s, () => inc.status === 'mitigated', 60)).not.toBeNull(); // replaced in zones b and c
    expect(availabilityOver(s, 30)).toBeGreaterThan(0.998);
    stepN(s, AT + 600 - s.t);
    expect(feedRows(s).some((e) => e.reason === 'PartitionHealed')).toBe(true);
    expect(until(s, () => typeCommand(s, 'kubectl get nodes').split('\n').find((l) => l.startsWith('node-a'))!.includes(' Ready '), 30)).not.toBeNull();
  });

  it('zone rules: with every zone cut off the controller evicts nothing; a small zone 75 % down is not evicted', () => {
    const all = sim(['zone-a', 'zone-b', 'zone-c'].map((z) => ({ id: `part-${z}`, type: 'zone-partition' as const, at: AT, target: z, params: { durationSeconds: 1200 } })));
    stepN(all, AT + 50 + 300 + 60);
    expect(typeCommand(all, 'kubectl get nodes').split('\n').slice(1).every((l) => /\sNotReady\s/.test(l))).toBe(true);
    expect(all.events.some((e) => e.reason === 'TaintManagerEviction')).toBe(false); // master disruption mode
    expect(Object.values(all.pods).some((p) => p.metadata.deletionTimestamp !== undefined)).toBe(false);

    // Zone a: 4 Nodes, 3 of them down (> 2 and >= 55 %): partial disruption of a zone of <= 50 Nodes.
    const input = shopInput({ incidents: ['node-a', 'node-a2', 'node-a3'].map((n, i) => ({ id: `down-${n}`, type: 'node-failure' as const, at: AT, target: n, params: (i === 2 ? { recoverAfter: 500 } : {}) as Record<string, number> })) });
    input.nodes = [
      { name: 'node-a', zone: 'zone-a', cpu: '4', memory: '8Gi' },
      { name: 'node-a2', zone: 'zone-a', cpu: '4', memory: '8Gi' },
      { name: 'node-a3', zone: 'zone-a', cpu: '4', memory: '8Gi' },
      { name: 'node-a4', zone: 'zone-a', cpu: '4', memory: '8Gi' },
      { name: 'node-b', zone: 'zone-b', cpu: '4', memory: '8Gi' },
    ];
    const partial = createSim(input);
    const noExecute = (n: string) => partial.nodes[n]!.spec.taints.find((t) => t.key === 'node.kubernetes.io/unreachable' && t.effect === 'NoExecute');
    stepN(partial, AT + 50 + 300 + 60);
    expect(partial.events.some((e) => e.reason === 'TaintManagerEviction')).toBe(false);
    expect(['node-a', 'node-a2', 'node-a3'].map(noExecute)).toEqual([undefined, undefined, undefined]); // the zone's tainting stopped
    // node-a3 comes back at 530: two Nodes down, the zone is Normal again and the waiting evictions go ahead:
    // the stopped bucket is swapped for an empty one at 0.1 Nodes/s, so the first NoExecute taint comes
    // 10 s later, the next one 10 s after it, and each Node's Pods go 300 s after its taint (behaviour fix:
    // before, the evictions went ahead within 10 s of 530, as if the Nodes had been tainted all along).
    const evictedAt = until(partial, () => partial.events.some((e) => e.reason === 'TaintManagerEviction'), 500);
    expect(evictedAt).not.toBeNull();
    const back = partial.nodes['node-a3']!.status.conditions.find((c) => c.type === 'Ready')!;
    expect(back.status).toBe('True');
    expect(back.lastTransitionTime - (AT + 500)).toBeLessThanOrEqual(1);
    expect(['node-a', 'node-a2'].map((n) => noExecute(n)?.timeAdded)).toEqual([back.lastTransitionTime + 10, back.lastTransitionTime + 20]);
    expect(evictedAt).toBe(back.lastTransitionTime + 10 + 300);
  });

  it('a zone with no nodes is refused with the zones there are', () => {
    const s = sim([{ id: 'part', type: 'zone-partition', at: 5, target: 'zone-x', params: {} }]);
    stepN(s, 6);
    expect(s.incidents[0]!.data['error']).toBe('zone zone-x has no nodes (zones: zone-a, zone-b, zone-c)');
    // A scenario names a zone of its cluster.nodes, checked when it is turned into a sim input.
    const bookinfo = loadManifests(readFixture('manifests/bookinfo.yaml'));
    const base = readFixture('scenarios/bookinfo-node-failure.yaml');
    const good = parseScenario(`${base}  - { id: part, type: zone-partition, at: 60, target: us-east1-c }\n`);
    expect(scenarioToSimInput(good, bookinfo, { seed: 1 }).incidents.at(-1)).toEqual({ id: 'part', type: 'zone-partition', at: 60, target: 'us-east1-c', params: { durationSeconds: 900 } });
    const bad = parseScenario(`${base}  - { id: part, type: zone-partition, at: 60, target: us-east1-z }\n`);
    expect(problemsOf(() => scenarioToSimInput(bad, bookinfo, { seed: 1 }))).toEqual(['incidents[1] (part).target: no Node in zone "us-east1-z" in cluster.nodes (zones: us-east1-b, us-east1-c, us-east1-d)']);
  });

  /**
   * The isolated side (shared/sim/trafficPartition.ts): an in-cluster client `loadgen` (ingress entry
   * with `from`) pinned to node-a calls Service `cache`, whose one Pod runs on node-a too, and Service
   * `db` (Pods in zones b and c, across the cut). The user-facing frontend is reached from outside.
   */
  function isolatedInput() {
    const input = shopInput({ incidents: [{ id: 'part', type: 'zone-partition', at: AT, target: 'zone-a', params: { durationSeconds: 600 } }] });
    const pinned = (name: string, node: string, replicas = 1) => {
      const d = deployment(name, 'shop/cache:v1', replicas);
      d.spec.template.spec.nodeSelector = { 'kubernetes.io/hostname': node };
      return d;
    };
    input.deployments = [...input.deployments.filter((d) => d.metadata.name !== 'db'), pinned('loadgen', 'node-a'), pinned('cache', 'node-a'), pinned('db', 'node-b', 2)];
    input.services = [...input.services, service('cache')];
    input.images = { ...input.images, 'shop/cache:v1': { errorRate: 0, latencyMs: 2, baseMemoryMiB: 50, cpuPerRequestMilli: 1 } };
    input.callGraph = { frontend: ['api'], api: ['db'], loadgen: [] };
    input.ingress = [{ service: 'frontend', rps: 200 }, { service: 'cache', rps: 20, from: 'loadgen' }, { service: 'db', rps: 10, from: 'loadgen' }];
    return input;
  }

  it('isolated side: an in-zone caller keeps its in-zone backend, calls across the cut fail, the SLI sees the rest', () => {
    const s = createSim(isolatedInput());
    stepN(s, AT - 1);
    expect(s.traffic['default/cache']).toMatchObject({ rps: 20, errorRate: 0, readyEndpoints: 1 });
    expect(s.traffic['default/db']!.errorRate).toBeLessThan(0.001);
    stepN(s, 80); // node-a Unknown at AT + 50: its Pods are out of the endpoints
    expect(s.pods[Object.keys(s.pods).find((k) => k.startsWith('default/cache-'))!]!.sim.ready).toBe(false);
    // kube-proxy on node-a kept its rules: the client's calls still reach the cache Pod beside it.
    expect(s.traffic['default/cache']).toMatchObject({ rps: 20, errorRate: 0, readyEndpoints: 0 });
    // db's Pods are across the cut: the client's 10 requests/s all fail (api's calls from zones b, c succeed).
    const db = s.traffic['default/db']!;
    const apiCalls = s.traffic['default/api']!.rps;
    expect(db.rps).toBeCloseTo(apiCalls + 10, 6);
    expect(db.errorRate).toBeCloseTo(10 / db.rps, 3);
    // The external SLI: the frontend's two Pods in zones b and c serve everyone from outside.
    const clone = structuredClone(s); // a fresh traffic memo computes the same mixed figures
    expect(availabilityOver(s, 30)).toBeGreaterThan(0.998);
    stepN(clone, 30);
    expect(stateHash(clone)).toBe(stateHash(s));
    // Evicted (Terminating) by the taint manager after 300 s: the Pod on node-a still serves its zone.
    stepN(s, AT + 50 + 300 + 10 - s.t);
    const cache = Object.values(s.pods).find((p) => p.metadata.name.startsWith('cache-') && p.spec.nodeName === 'node-a')!;
    expect(cache.metadata.deletionTimestamp).toBeDefined();
    expect(s.traffic['default/cache']!.errorRate).toBe(0);
    expect(checkInvariants(s)).toEqual([]);
  });

  it('isolated side: without the partition (or once healed) an in-cluster client is plain load', () => {
    const input = isolatedInput();
    input.incidents = [];
    const s = createSim(input);
    stepN(s, 120);
    expect(s.traffic['default/cache']).toMatchObject({ rps: 20, errorRate: 0, readyEndpoints: 1 });
    expect(s.traffic['default/db']!.errorRate).toBeLessThan(0.001);
  });
});
