import { describe, expect, it } from 'vitest';
import { applyAction } from '../../shared/sim/index.ts';
import { rankPodsForDeletion } from '../../shared/sim/controllers/replicaset.ts';
import type { Pod } from '../../shared/sim/index.ts';
import { deployment, eventsWith, podsOf, run, runUntil, runningReady, sim } from './fixtures.ts';

describe('replicaset controller', () => {
  it('replaces a deleted pod', () => {
    const s = sim();
    const victim = podsOf(s, 'web')[0]!.metadata.name;
    applyAction(s, 'p', { type: 'deletePod', pod: victim });
    run(s, 1);
    expect(podsOf(s, 'web').filter((p) => p.metadata.deletionTimestamp === undefined)).toHaveLength(3);
    const created = eventsWith(s, 'SuccessfulCreate').at(-1)!;
    expect(created.message).toMatch(/^Created pod: web-[a-z0-9]{10}-[a-z0-9]{5}$/);
    expect(created.source).toBe('replicaset-controller');
    expect(runUntil(s, (x) => runningReady(x, 'web').length === 3 && podsOf(x, 'web').length === 3, 20)).not.toBeNull();
  });

  it('scales down the not-ready and unscheduled pods first', () => {
    const s = sim({ deployments: [deployment('web', { replicas: 3 })] });
    applyAction(s, 'p', { type: 'scaleDeployment', deployment: 'web', replicas: 6 });
    run(s, 1); // three new pods, not Ready yet
    const fresh = podsOf(s, 'web').filter((p) => !p.sim.ready).map((p) => p.metadata.name).sort();
    expect(fresh).toHaveLength(3);
    applyAction(s, 'p', { type: 'scaleDeployment', deployment: 'web', replicas: 3 });
    run(s, 1);
    const deleted = eventsWith(s, 'SuccessfulDelete').map((e) => e.message.replace('Deleted pod: ', '')).sort();
    expect(deleted).toEqual(fresh);
  });

  it('ranks pods like ActivePodsWithRanks with a total order', () => {
    const mk = (name: string, o: { node?: string; phase?: Pod['status']['phase']; ready?: boolean; restarts?: number; created?: number }): Pod => ({
      apiVersion: 'v1', kind: 'Pod',
      metadata: { name, namespace: 'default', uid: name, labels: {}, annotations: {}, creationTimestamp: o.created ?? 0, ownerReferences: [], generation: 1, resourceVersion: 1 },
      spec: { containers: [], restartPolicy: 'Always', terminationGracePeriodSeconds: 30, ...(o.node ? { nodeName: o.node } : {}) },
      status: { phase: o.phase ?? 'Running', conditions: o.ready ? [{ type: 'Ready', status: 'True', lastTransitionTime: 0 }] : [], containerStatuses: [{ name: 'app', image: 'x', ready: !!o.ready, started: true, restartCount: o.restarts ?? 0, state: {}, lastState: {} }] },
      sim: { cpuRequestMilli: 0, memRequestMiB: 0, memLimitMiB: null, image: 'x', templateHash: '', memoryMiB: 0, containerStartedAt: null, backoffSeconds: 0, lastFailureAt: null, nextTransitionAt: null, ready: !!o.ready },
    });
    const pods = [
      mk('ready-old', { node: 'a', ready: true, created: 1 }),
      mk('ready-new', { node: 'b', ready: true, created: 5 }),
      mk('unscheduled', { phase: 'Pending' }),
      mk('pending', { node: 'c', phase: 'Pending' }),
      mk('notready', { node: 'd' }),
      mk('crashy', { node: 'e', restarts: 4 }),
    ];
    expect(rankPodsForDeletion(pods).map((p) => p.metadata.name)).toEqual(['unscheduled', 'pending', 'crashy', 'notready', 'ready-new', 'ready-old']);
    // A scale-down by k deletes the head of that ranking: asking for k pods gives the same pods in the
    // same order, whatever the pods (many ties: few nodes, phases, restart counts and creation times).
    let seed = 7;
    const rnd = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
    for (let trial = 0; trial < 200; trial++) {
      const n = 1 + rnd(120);
      const many = Array.from({ length: n }, (_, i) => mk(`p${rnd(1000)}-${i}`, {
        ...(rnd(8) > 0 ? { node: `n${rnd(6)}` } : {}),
        phase: (['Running', 'Running', 'Pending', 'Unknown'] as const)[rnd(4)],
        ready: rnd(3) > 0,
        restarts: rnd(3),
        created: rnd(4),
      }));
      const whole = rankPodsForDeletion(many).map((p) => p.metadata.name);
      const k = rnd(n + 2);
      expect(rankPodsForDeletion(many, k).map((p) => p.metadata.name)).toEqual(whole.slice(0, k));
    }
  });

  it('creates at most 500 pods per sync (burstReplicas)', () => {
    const s = sim({ nodes: Array.from({ length: 10 }, (_, i) => ({ name: `n${i}`, zone: 'z', cpu: '64', memory: '256Gi', pods: 200 })), deployments: [deployment('web', { replicas: 1, cpu: '10m', memory: '8Mi' })] });
    applyAction(s, 'p', { type: 'scaleDeployment', deployment: 'web', replicas: 1201 });
    run(s, 1);
    expect(podsOf(s, 'web')).toHaveLength(501);
    run(s, 2);
    expect(podsOf(s, 'web')).toHaveLength(1201);
  });

  it('releases a relabelled pod and replaces it (kubectl label pod --overwrite takes a Pod out of its Deployment)', () => {
    const s = sim();
    runUntil(s, (x) => runningReady(x, 'web').length === 3, 60);
    const victim = podsOf(s, 'web')[0]!.metadata.name;
    const r = applyAction(s, 'p', { type: 'label', kind: 'Pod', name: victim, labels: [{ key: 'app', value: 'debug' }] });
    expect(r.ok).toBe(true);
    run(s, 1);
    const orphan = s.pods[`default/${victim}`]!;
    // Released, not deleted: it keeps running for the player to debug, with no controller reference.
    expect(orphan.metadata.ownerReferences).toEqual([]);
    expect(orphan.metadata.deletionTimestamp).toBeUndefined();
    expect(orphan.status.phase).toBe('Running');
    expect(podsOf(s, 'web').map((p) => p.metadata.name)).not.toContain(victim);
    // The ReplicaSet counts 3 again with a new Pod.
    expect(runUntil(s, (x) => runningReady(x, 'web').length === 3, 30)).not.toBeNull();
    expect(eventsWith(s, 'SuccessfulCreate').at(-1)!.message).not.toContain(victim);
    expect(Object.values(s.replicaSets).find((rs) => rs.metadata.name.startsWith('web-'))!.status.replicas).toBe(3);
  });

  it('adopts an orphan whose labels match again (ClaimPods) and scales the surplus down', () => {
    const s = sim();
    runUntil(s, (x) => runningReady(x, 'web').length === 3, 60);
    const rs = Object.values(s.replicaSets).find((x) => x.metadata.name.startsWith('web-'))!;
    const victim = podsOf(s, 'web')[0]!.metadata.name;
    expect(applyAction(s, 'p', { type: 'label', kind: 'Pod', name: victim, labels: [{ key: 'app', value: 'debug' }] }).ok).toBe(true);
    expect(runUntil(s, (x) => runningReady(x, 'web').length === 3, 30)).not.toBeNull();
    const deletes = eventsWith(s, 'SuccessfulDelete').length;
    // Labelled back: the ReplicaSet selects it again, adopts it (a controller reference) and has 4 of 3.
    expect(applyAction(s, 'p', { type: 'label', kind: 'Pod', name: victim, labels: [{ key: 'app', value: 'web' }] }).ok).toBe(true);
    run(s, 1);
    const back = s.pods[`default/${victim}`]!;
    expect(back.metadata.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs.metadata.name, uid: rs.metadata.uid, controller: true }]);
    expect(eventsWith(s, 'SuccessfulDelete').length).toBe(deletes + 1);
    run(s, 40);
    expect(Object.values(s.pods).filter((p) => p.metadata.labels['app'] === 'web' && p.metadata.deletionTimestamp === undefined)).toHaveLength(3);
    expect(rs.status.replicas).toBe(3);
  });
});
