/**
 * (issue 6) QueueingHints as a player sees them in `kubectl describe pod` / `kubectl events`: a Pending
 * Pod is retried only by a cluster event that could make it schedulable for the plugins that rejected
 * it, so its FailedScheduling count (`xN over ...`) grows like a real scheduler's. Sim seconds, tick 1 s.
 */
import { describe, expect, it } from 'vitest';
import { applyAction } from '../../shared/sim/index.ts';
import type { SimState } from '../../shared/sim/index.ts';
import { deployment, eventsWith, node, podsOf, run, sim } from './fixtures.ts';

/** FailedScheduling attempts recorded for the Pods of `name` (the events' counts summed). */
const attempts = (s: SimState, name: string): number => eventsWith(s, 'FailedScheduling', `${name}-`).reduce((n, e) => n + (e.count ?? 1), 0);

const CM = `apiVersion: v1
kind: ConfigMap
metadata: { name: settings }
data: { mode: fast }
`;

describe('scheduler: QueueingHints', () => {
  it('a Pod deleted from a Node retries the Pods short of cpu, not those no Node selects; a ConfigMap retries none', () => {
    const s = sim({ nodes: [node('n1', { cpu: '1' })], deployments: [deployment('filler', { replicas: 2, cpu: '300m' }), deployment('big', { replicas: 1, cpu: '2' }), deployment('picky', { replicas: 1, nodeSelector: { disk: 'ssd' } })] });
    run(s, 30);
    expect(podsOf(s, 'big')[0]!.spec.nodeName).toBeUndefined();
    expect(podsOf(s, 'picky')[0]!.spec.nodeName).toBeUndefined();
    const big0 = attempts(s, 'big');
    const picky0 = attempts(s, 'picky');
    // Unrelated events: a ConfigMap created, a Pod deleted (its replacement then starts and becomes Ready).
    expect(applyAction(s, 'alice', { type: 'createObject', manifest: CM }).ok).toBe(true);
    run(s, 5);
    expect(attempts(s, 'big')).toBe(big0);
    expect(attempts(s, 'picky')).toBe(picky0);
    const victim = Object.keys(s.pods).find((k) => k.includes('filler') && s.pods[k]!.spec.nodeName)!;
    expect(applyAction(s, 'alice', { type: 'deletePod', pod: victim, force: true }).ok).toBe(true);
    run(s, 5);
    // NodeResourcesFit registers a Pod's deletion: big was retried; NodeAffinity does not: picky was not.
    expect(attempts(s, 'big')).toBeGreaterThan(big0);
    expect(attempts(s, 'picky')).toBe(picky0);
    // A Node's labels changing is an event for NodeAffinity: picky schedules.
    expect(applyAction(s, 'alice', { type: 'label', kind: 'Node', name: 'n1', labels: [{ key: 'disk', value: 'ssd' }] }).ok).toBe(true);
    run(s, 3);
    expect(podsOf(s, 'picky')[0]!.spec.nodeName).toBe('n1');
  });

  it('a Pod waiting for a peer (required pod affinity) is retried when the peer is assigned, not at the 5 min flush', () => {
    const web = deployment('web', { replicas: 1 });
    web.spec.template.spec.affinity = { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'db' } }, topologyKey: 'kubernetes.io/hostname' }] } };
    const s = sim({ nodes: [node('n1'), node('n2')], deployments: [web, deployment('db', { replicas: 0 })] });
    run(s, 20);
    expect(podsOf(s, 'web')[0]!.spec.nodeName).toBeUndefined();
    expect(applyAction(s, 'alice', { type: 'scaleDeployment', deployment: 'db', replicas: 1 }).ok).toBe(true);
    run(s, 5);
    const db = podsOf(s, 'db')[0]!.spec.nodeName;
    expect(db).toMatch(/^n[12]$/);
    expect(podsOf(s, 'web')[0]!.spec.nodeName).toBe(db);
  });
});
