/**
 * The node lifecycle controller's eviction rate limiting (K pkg/controller/nodelifecycle
 * node_lifecycle_controller.go, kubernetes-behaviour.md §3): Nodes that stopped heartbeating get their
 * `node.kubernetes.io/unreachable:NoExecute` taint through their zone's token bucket, 0.1 Nodes/s (one
 * per 10 s, the first at once), 0.01/s in a partially disrupted zone of more than 50 Nodes; each Node's
 * Pods are deleted 300 s (their default toleration) after its own taint. Times are sim seconds
 * (tickSeconds 1).
 */
import { describe, it, expect } from 'vitest';
import { createSim } from '../../shared/sim/index.ts';
import type { IncidentSpec, SimInput, SimState } from '../../shared/sim/types.ts';
import { shopInput, stepN } from './game-fixtures.ts';

const AT = 30;
const UNREACHABLE = 'node.kubernetes.io/unreachable';

/** A shop cluster with `zoneA` Nodes in zone-a (`a-00`...) and `zoneB` in zone-b, `replicas` per Deployment. */
function cluster(zoneA: number, zoneB: number, replicas: number, incidents: IncidentSpec[]): SimInput {
  const input = shopInput({ incidents });
  const node = (zone: string, i: number) => ({ name: `${zone}-${String(i).padStart(2, '0')}`, zone: `zone-${zone}`, cpu: '4', memory: '8Gi' });
  input.nodes = [...Array.from({ length: zoneA }, (_, i) => node('a', i)), ...Array.from({ length: zoneB }, (_, i) => node('b', i))];
  for (const d of input.deployments) d.spec.replicas = replicas;
  return input;
}

const fail = (nodes: string[], params: Record<string, number> = {}): IncidentSpec[] =>
  nodes.map((n) => ({ id: `down-${n}`, type: 'node-failure', at: AT, target: n, params }));

/** The sim second Node `name` got its unreachable NoExecute taint, or undefined. */
const noExecuteAt = (s: SimState, name: string) =>
  s.nodes[name]!.spec.taints.find((t) => t.key === UNREACHABLE && t.effect === 'NoExecute')?.timeAdded;

/** The sim second Node `name` turned NotReady (its Ready condition's transition). */
const notReadyAt = (s: SimState, name: string) => {
  const c = s.nodes[name]!.status.conditions.find((x) => x.type === 'Ready')!;
  expect(c.status).toBe('Unknown');
  return c.lastTransitionTime;
};

describe('node eviction rate (zoneNoExecuteTainter)', () => {
  it('5 Nodes of a zone fail at once: NoExecute taints 10 s apart, each Node\'s Pods leave 300 s after its taint', () => {
    const down = ['a-00', 'a-01', 'a-02', 'a-03', 'a-04'];
    const s = createSim(cluster(10, 2, 6, fail(down))); // 5 of 10 down: under 55 %, the zone stays Normal
    const podsOf = (n: string) => Object.values(s.pods).filter((p) => p.spec.nodeName === n).map((p) => `${p.metadata.namespace}/${p.metadata.name}`).sort();
    const before = new Map(down.map((n) => [n, podsOf(n)]));
    for (const n of down) expect(before.get(n)!.length).toBeGreaterThan(0);
    stepN(s, AT + 50 + 45);
    const t0 = notReadyAt(s, down[0]!);
    for (const n of down) {
      expect(notReadyAt(s, n)).toBe(t0); // all NotReady in the same monitor pass, NoSchedule at once
      expect(s.nodes[n]!.spec.taints.find((t) => t.key === UNREACHABLE && t.effect === 'NoSchedule')?.timeAdded).toBe(t0);
    }
    expect(down.map((n) => noExecuteAt(s, n)).sort((a, b) => a! - b!)).toEqual([t0, t0 + 10, t0 + 20, t0 + 30, t0 + 40]);
    // Nothing evicted yet; then each Node's Pods go at its own taint + 300 s.
    expect(s.events.some((e) => e.reason === 'TaintManagerEviction')).toBe(false);
    stepN(s, t0 + 40 + 300 + 2 - s.t);
    const evictedAt = new Map(s.events.filter((e) => e.reason === 'TaintManagerEviction').map((e) => [`${e.object.namespace}/${e.object.name}`, e.t]));
    for (const n of down) {
      const tainted = noExecuteAt(s, n)!;
      for (const key of before.get(n)!) expect({ key, at: evictedAt.get(key) }).toEqual({ key, at: tainted + 300 });
    }
  });

  it('a large zone (> 50 Nodes) in partial disruption taints one Node per 100 s; a small one taints none', () => {
    const down = Array.from({ length: 34 }, (_, i) => `a-${String(i).padStart(2, '0')}`); // 34 / 60 = 57 % >= 55 %
    const s = createSim(cluster(60, 1, 1, fail(down)));
    stepN(s, AT + 50 + 1);
    const t0 = notReadyAt(s, 'a-00');
    stepN(s, t0 + 250 - s.t);
    const times = down.map((n) => noExecuteAt(s, n)).filter((t) => t !== undefined).sort((a, b) => a! - b!);
    expect(times).toEqual([t0, t0 + 100, t0 + 200]); // --secondary-node-eviction-rate 0.01

    // 3 of 4 Nodes down in a zone of 4 (<= 50 Nodes): PartialDisruption stops the zone's tainting.
    const small = createSim(cluster(4, 1, 1, fail(['a-00', 'a-01', 'a-02'])));
    stepN(small, AT + 50 + 400);
    expect(['a-00', 'a-01', 'a-02'].map((n) => noExecuteAt(small, n))).toEqual([undefined, undefined, undefined]);
    expect(small.events.some((e) => e.reason === 'TaintManagerEviction')).toBe(false);
  });

  it('every zone down: master disruption mode removes the NoExecute taints (no eviction); a zone back resumes tainting', () => {
    // Zone a's Node dies first and is tainted; zone b's dies later: every zone fully disrupted.
    const input = cluster(1, 1, 2, [
      { id: 'down-a', type: 'node-failure', at: AT, target: 'a-00', params: {} },
      { id: 'down-b', type: 'node-failure', at: 200, target: 'b-00', params: { recoverAfter: 200 } },
    ]);
    const s = createSim(input);
    stepN(s, AT + 50 + 5);
    const tA = notReadyAt(s, 'a-00');
    expect(noExecuteAt(s, 'a-00')).toBe(tA);
    stepN(s, 200 + 50 + 5 - s.t);
    notReadyAt(s, 'b-00');
    expect(noExecuteAt(s, 'a-00')).toBeUndefined(); // markNodeAsReachable for every Node
    expect(noExecuteAt(s, 'b-00')).toBeUndefined();
    stepN(s, tA + 300 + 5 - s.t);
    expect(s.events.some((e) => e.reason === 'TaintManagerEviction')).toBe(false);
    // b-00 is back at 400: zone a (fully disrupted, not every zone) taints again at 0.1/s from an empty bucket.
    stepN(s, 420 - s.t);
    const back = s.nodes['b-00']!.status.conditions.find((c) => c.type === 'Ready')!;
    expect(back.status).toBe('True');
    expect(noExecuteAt(s, 'a-00')).toBe(back.lastTransitionTime + 10);
    expect(s.nodeTainters?.['zone-a']).toMatchObject({ state: 'FullDisruption', qps: 0.1, queue: [] });
  });

  it('a Node back before its turn leaves the queue untainted; an idle zone is unlisted again', () => {
    const s = createSim(cluster(10, 2, 6, [...fail(['a-00', 'a-01']), ...fail(['a-02'], { recoverAfter: 60 })])); // (a node-failure of a Node without Pods is over at once)
    stepN(s, AT + 50 + 1);
    const t0 = notReadyAt(s, 'a-00');
    expect(s.nodeTainters?.['zone-a']?.queue).toEqual(['a-01', 'a-02']); // a-00 tainted at once
    stepN(s, AT + 65 - s.t); // a-02 back at 90, before its turn at t0 + 20
    expect(t0 + 20).toBeGreaterThan(s.t);
    expect(s.nodeTainters?.['zone-a']?.queue).toEqual([]);
    stepN(s, t0 + 30 - s.t);
    expect(['a-00', 'a-01', 'a-02'].map((n) => noExecuteAt(s, n))).toEqual([t0, t0 + 10, undefined]);
    expect(s.nodeTainters).toBeUndefined();
  });
});
