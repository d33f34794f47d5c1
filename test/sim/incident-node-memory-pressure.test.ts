/**
 * `node-memory-pressure` on node-a of the shop (test/sim/game-fixtures.ts: three nodes, 600 requests/s
 * so that one replica fewer overloads a tier): MemoryPressure and its NoSchedule taint, one eviction
 * every 10 s (housekeeping) ranked as the kubelet's (over requests, priority, use minus request), Evicted pods, the 300 s pressure transition period; `kubectl
 * drain` moves the remaining pods before the kubelet kills them. Times are sim seconds (tickSeconds 1).
 */
import { describe, it, expect } from 'vitest';
import { createSim } from '../../shared/sim/index.ts';
import type { IncidentSpec, SimState } from '../../shared/sim/types.ts';
import { incidentCatalog } from '../../shared/sim/incidents/index.ts';
import { qosClass } from '../../shared/sim/incidents/node-pressure.ts';
import { checkInvariants } from './invariants.ts';
import { shopInput, stepN, typeCommand } from './game-fixtures.ts';

const AT = 30;

function sim(params: IncidentSpec['params'] = {}, qos = false): SimState {
  const input = shopInput({ rps: 600, incidents: [{ id: 'mem', type: 'node-memory-pressure', at: AT, target: 'node-a', params }] });
  if (qos) {
    // frontend BestEffort, db Guaranteed, api stays Burstable (100 MiB used, 128Mi requested).
    input.deployments[0]!.spec.template.spec.containers[0]!.resources = {};
    input.deployments[2]!.spec.template.spec.containers[0]!.resources = { requests: { cpu: '500m', memory: '256Mi' }, limits: { cpu: '500m', memory: '256Mi' } };
  }
  return createSim(input);
}

/** Availability SLI (good / valid requests of the user-facing Service) over the next `n` ticks. */
function availabilityOver(s: SimState, n: number): number {
  const { good, valid } = s.slos.availability;
  stepN(s, n);
  const dv = s.slos.availability.valid - valid;
  return dv === 0 ? 1 : (s.slos.availability.good - good) / dv;
}

const evictions = (s: SimState) => s.events.filter((e) => e.reason === 'Evicted');
const condition = (s: SimState) => s.nodes['node-a']!.status.conditions.find((c) => c.type === 'MemoryPressure')!;
const tainted = (s: SimState) => s.nodes['node-a']!.spec.taints.some((t) => t.key === 'node.kubernetes.io/memory-pressure' && t.effect === 'NoSchedule');

describe('incident node-memory-pressure', () => {
  it('is in the catalog with its symptoms and console remediations', () => {
    const e = incidentCatalog().find((x) => x.kind === 'node-memory-pressure')!;
    expect(e.symptoms.join('\n')).toMatch(/MemoryPressure True/);
    expect(e.remediations.map((r) => r.command)).toContain('kubectl drain <node> --ignore-daemonsets --delete-emptydir-data');
  });

  it('the kubelet evicts one pod every 10 s (all priority 0: BestEffort over its zero request, Burstable, Guaranteed within); the condition clears 300 s after memory recovered', () => {
    const s = sim({ recoverAfter: 60 }, true);
    stepN(s, AT - 1);
    const onNode = Object.values(s.pods).filter((p) => p.spec.nodeName === 'node-a').map((p) => p.metadata.name).sort();
    expect(onNode.length).toBeGreaterThanOrEqual(3);
    stepN(s, 1);
    expect(condition(s)).toMatchObject({ status: 'True', reason: 'KubeletHasInsufficientMemory', lastTransitionTime: AT });
    expect(tainted(s)).toBe(true);
    expect(s.events.some((e) => e.reason === 'NodeHasInsufficientMemory' && e.message === 'Node node-a status is now: NodeHasInsufficientMemory')).toBe(true);
    stepN(s, 30);
    const ev = evictions(s);
    expect(ev.map((e) => e.t)).toEqual(onNode.map((_, i) => AT + 10 * i)); // one per housekeeping, until the node is empty
    expect(ev.map((e) => e.object.name).sort()).toEqual(onNode);
    const ranks = { BestEffort: 0, Burstable: 1, Guaranteed: 2 };
    const classes = ev.map((e) => qosClass(s.pods[`default/${e.object.name}`]!));
    expect(classes[0]).toBe('BestEffort');
    expect(classes).toContain('Guaranteed');
    expect(classes.map((c) => ranks[c])).toEqual(classes.map((c) => ranks[c]).sort());
    expect(ev[0]!.message).toMatch(/^The node was low on resource: memory\. Threshold quantity: 100Mi, available: -\d+Mi\. Container frontend was using \d+Mi, request is 0, has larger consumption of memory\. $/);
    const first = s.pods[`default/${ev[0]!.object.name}`]!;
    expect(first.status).toMatchObject({ phase: 'Failed', reason: 'Evicted' });
    expect(typeCommand(s, 'kubectl get pods').split('\n').find((l) => l.startsWith(first.metadata.name))).toMatch(/0\/1\s+Evicted\s/);
    const describe = typeCommand(s, 'kubectl describe node node-a');
    expect(describe).toMatch(/Taints:\s+node\.kubernetes\.io\/memory-pressure:NoSchedule/);
    expect(describe).toMatch(/MemoryPressure\s+True/);
    expect(describe).toMatch(/EvictionThresholdMet/);
    // Replacements run elsewhere (the taint), and the incident is over once they are all available.
    expect(Object.values(s.pods).filter((p) => p.status.phase !== 'Failed' && p.spec.nodeName === 'node-a')).toHaveLength(0);
    const inc = s.incidents[0]!;
    expect(inc.status).toBe('mitigated');
    expect(inc.mitigatedAt! - AT).toBeLessThanOrEqual(10 * onNode.length);
    // Memory recovers at 90 (recoverAfter 60); the last housekeeping under the threshold was at 80.
    stepN(s, 379 - s.t);
    expect(condition(s).status).toBe('True');
    stepN(s, 1);
    expect(s.t).toBe(380);
    expect(condition(s)).toMatchObject({ status: 'False', reason: 'KubeletHasSufficientMemory', lastTransitionTime: 380 });
    expect(tainted(s)).toBe(false);
    expect(s.events.some((e) => e.reason === 'NodeHasSufficientMemory' && e.t === 380)).toBe(true);
    expect(s.nodePressure).toBeUndefined();
    expect(checkInvariants(s)).toEqual([]);
  });

  it('ranking as the kubelet\'s (rankMemoryPressure): over its requests first, then lower priority, then furthest over; not by QoS class', () => {
    const input = shopInput({ rps: 600, incidents: [{ id: 'mem', type: 'node-memory-pressure', at: AT, target: 'node-a', params: { recoverAfter: 60 } }] });
    const [frontend, api, db] = input.deployments.map((d) => d.spec.template.spec);
    // frontend: BestEffort (over its zero request) but priority 1000; api: Burstable over its 64Mi request,
    // priority 0; db: Guaranteed within its 256Mi, priority -100 (lowest, yet last: it does not exceed).
    frontend!.containers[0]!.resources = {};
    frontend!.priority = 1000;
    api!.containers[0]!.resources = { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '500m', memory: '256Mi' } };
    db!.containers[0]!.resources = { requests: { cpu: '500m', memory: '256Mi' }, limits: { cpu: '500m', memory: '256Mi' } };
    db!.priority = -100;
    // The Priority admission refuses a bare spec.priority: each comes from a class.
    frontend!.priorityClassName = 'frontend';
    db!.priorityClassName = 'db';
    input.priorityClasses = [{ name: 'frontend', value: 1000 }, { name: 'db', value: -100 }];
    const s = createSim(input);
    stepN(s, AT - 1);
    const onNode = Object.values(s.pods).filter((p) => p.spec.nodeName === 'node-a');
    const app = (name: string) => s.pods[`default/${name}`]!.metadata.labels['app'];
    expect(onNode.map((p) => p.metadata.labels['app']).sort()).toEqual(['api', 'db', 'frontend']);
    const api0 = onNode.find((p) => p.metadata.labels['app'] === 'api')!;
    expect(api0.sim.memoryMiB).toBeGreaterThan(64);
    expect(onNode.find((p) => p.metadata.labels['app'] === 'db')!.sim.memoryMiB).toBeLessThan(256);
    stepN(s, 31);
    const ev = evictions(s);
    expect(ev.map((e) => e.t)).toEqual([AT, AT + 10, AT + 20]);
    expect(ev.map((e) => app(e.object.name))).toEqual(['api', 'frontend', 'db']);
    expect(ev[0]!.message).toMatch(/Container api was using \d+Mi, request is 64Mi, has larger consumption of memory\. $/);
  });

  it('kubectl drain right after the first eviction moves the rest gracefully: no more evictions, the SLI recovers', () => {
    const s = sim();
    expect(availabilityOver(s, AT - 1)).toBeGreaterThan(0.999);
    stepN(s, 2);
    expect(evictions(s)).toHaveLength(1);
    expect(evictions(s)[0]!.t).toBe(AT);
    expect(typeCommand(s, 'kubectl get events').split('\n').some((l) => /Evicted/.test(l) && /The node was low on resource: memory/.test(l))).toBe(true);
    const drained = typeCommand(s, 'kubectl drain node-a --ignore-daemonsets --delete-emptydir-data');
    expect(drained).toMatch(/node\/node-a drained/);
    const drainedAt = s.t;
    const inc = s.incidents[0]!;
    for (let i = 0; i < 60 && inc.status === 'active'; i++) stepN(s, 1);
    expect(inc.status).toBe('mitigated');
    expect(inc.mitigatedAt! - drainedAt).toBeLessThanOrEqual(10);
    expect(evictions(s)).toHaveLength(1); // the kubelet had nothing more to kill
    expect(availabilityOver(s, 20)).toBeGreaterThan(0.999);
    // The node is still short of memory (nothing fixed the leak): the condition and taint stay.
    expect(condition(s).status).toBe('True');
    expect(tainted(s)).toBe(true);
    expect(checkInvariants(s)).toEqual([]);
  });
});
