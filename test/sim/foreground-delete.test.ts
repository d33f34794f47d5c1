/**
 * (issue 6) `kubectl delete KIND NAME --cascade=foreground`: the owner lingers with
 * `metadata.deletionTimestamp` and the `foregroundDeletion` finalizer while its dependents terminate
 * (K pkg/controller/garbagecollector; W concepts/architecture/garbage-collection "Foreground cascading
 * deletion"), its controller acts no more, and it is removed once they are gone.
 */
import { describe, it, expect } from 'vitest';
import { createSim } from '../../shared/sim/index.ts';
import { applyAction } from '../../shared/sim/actions/index.ts';
import type { SimState } from '../../shared/sim/types.ts';
import { podsOf, shopInput, stepN, typeCommand } from './game-fixtures.ts';

/** Steps until `gone` holds (at most `max` ticks). @returns sim seconds elapsed from `t0`, or -1. */
function secondsUntil(s: SimState, t0: number, gone: () => boolean, max = 120): number {
  for (let i = 0; i < max; i++) {
    if (gone()) return s.t - t0;
    stepN(s, 1);
  }
  return gone() ? s.t - t0 : -1;
}

const JOB = `apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
spec:
  parallelism: 2
  completions: 2
  template:
    spec:
      restartPolicy: Never
      terminationGracePeriodSeconds: 10
      containers:
        - name: migrate
          image: shop/migrate:1
          command: ["sleep", "600"]
`;

describe('Foreground cascading deletion', () => {
  it('a Deployment lingers with deletionTimestamp and foregroundDeletion until its ReplicaSet and Pods are gone', () => {
    const s = createSim(shopInput());
    stepN(s, 5);
    const t0 = s.t;
    const rsKeys = Object.keys(s.replicaSets).filter((k) => s.replicaSets[k]!.metadata.ownerReferences.some((o) => o.name === 'api'));
    expect(rsKeys).toHaveLength(1);
    expect(typeCommand(s, 'kubectl delete deployment api --cascade=foreground')).toBe('deployment.apps "api" deleted');
    const d = s.deployments['default/api']!;
    expect(d.metadata.deletionTimestamp).toBe(t0);
    expect(d.metadata.finalizers).toEqual(['foregroundDeletion']);
    expect(s.replicaSets[rsKeys[0]!]!.metadata.finalizers).toEqual(['foregroundDeletion']);
    const yaml = typeCommand(s, 'kubectl get deployment api -o yaml');
    expect(yaml).toMatch(/^ {2}deletionTimestamp: "?2025-01-01T00:00:05Z"?$/m);
    expect(yaml).toMatch(/^ {2}finalizers:\n {2}- foregroundDeletion$/m);
    expect(typeCommand(s, 'kubectl get deployment api')).toMatch(/^api\s/m);
    expect(podsOf(s, 'api').every((p) => p.metadata.deletionTimestamp !== undefined)).toBe(true);
    // the Deployment and ReplicaSet controllers leave them alone: no replacement Pods, no new ReplicaSet
    stepN(s, 3);
    expect(podsOf(s, 'api').length).toBeGreaterThan(0); // still Terminating
    expect(podsOf(s, 'api').filter((p) => p.metadata.deletionTimestamp === undefined)).toEqual([]);
    expect(Object.keys(s.replicaSets).filter((k) => s.replicaSets[k]!.metadata.ownerReferences.some((o) => o.name === 'api'))).toEqual(rsKeys);
    expect(s.deployments['default/api']).toBeDefined();
    // the Pods terminate (5 s when written: their containers exit within the 30 s grace period),
    // then the garbage collector removes the ReplicaSet and the Deployment (the next second)
    const podsGone = secondsUntil(s, t0, () => podsOf(s, 'api').length === 0);
    const ownerGone = secondsUntil(s, t0, () => s.deployments['default/api'] === undefined);
    expect(podsGone).toBeGreaterThan(0);
    expect(podsGone).toBeLessThanOrEqual(31);
    expect(ownerGone).toBeGreaterThanOrEqual(podsGone);
    expect(ownerGone).toBeLessThanOrEqual(podsGone + 1);
    expect(s.replicaSets[rsKeys[0]!]).toBeUndefined();
    expect(typeCommand(s, 'kubectl get deployment api')).toBe('Error from server (NotFound): deployments.apps "api" not found');
    // nothing recreates it; the name can be created again
    stepN(s, 5);
    expect(podsOf(s, 'api')).toEqual([]);
  });

  it('Background removes the owner at once (unchanged)', () => {
    const s = createSim(shopInput());
    stepN(s, 5);
    expect(typeCommand(s, 'kubectl delete deployment api')).toBe('deployment.apps "api" deleted');
    expect(s.deployments['default/api']).toBeUndefined();
  });

  it('a Job lingers until its Pods are gone; the Job controller starts no replacements', () => {
    const s = createSim(shopInput());
    stepN(s, 3);
    const r = applyAction(s, 'alice', { type: 'createObject', manifest: JOB });
    expect(r.ok).toBe(true);
    stepN(s, 10);
    const running = () => Object.values(s.pods).filter((p) => p.metadata.ownerReferences.some((o) => o.kind === 'Job' && o.name === 'migrate'));
    expect(running()).toHaveLength(2);
    const t0 = s.t;
    expect(typeCommand(s, 'kubectl delete job migrate --cascade=foreground')).toBe('job.batch "migrate" deleted');
    expect(s.jobs!['default/migrate']!.metadata.finalizers).toEqual(['foregroundDeletion']);
    stepN(s, 3);
    expect(running().every((p) => p.metadata.deletionTimestamp !== undefined)).toBe(true);
    expect(running()).toHaveLength(2);
    const podsGone = secondsUntil(s, t0, () => running().length === 0);
    expect(s.jobs?.['default/migrate']).toBeDefined(); // still there the second its last Pod went
    const gone = secondsUntil(s, t0, () => s.jobs?.['default/migrate'] === undefined);
    expect(podsGone).toBeLessThanOrEqual(11); // within the 10 s grace period (6 s when written)
    expect(gone).toBeGreaterThanOrEqual(podsGone);
    expect(gone).toBeLessThanOrEqual(podsGone + 1);
    expect(running()).toEqual([]);
  });

  it('a StatefulSet lingers; the StatefulSet controller recreates none of its Pods meanwhile', () => {
    const s = createSim(shopInput());
    stepN(s, 3);
    const sts = `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  replicas: 2
  serviceName: web
  podManagementPolicy: Parallel
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: c
          image: nginx:1.27
          resources: { requests: { cpu: 10m, memory: 16Mi } }
`;
    const r = applyAction(s, 'alice', { type: 'createObject', manifest: sts });
    expect(r.ok).toBe(true);
    stepN(s, 15);
    expect(podsOf(s, 'web').map((p) => p.metadata.name)).toEqual(['web-0', 'web-1']);
    const t0 = s.t;
    expect(typeCommand(s, 'kubectl delete sts web --cascade=foreground')).toBe('statefulset.apps "web" deleted');
    expect(typeCommand(s, 'kubectl get sts web -o yaml')).toMatch(/^ {2}finalizers:\n {2}- foregroundDeletion$/m);
    const podsGone = secondsUntil(s, t0, () => podsOf(s, 'web').length === 0);
    expect(podsGone).toBeGreaterThan(0);
    expect(s.statefulSets?.['default/web']).toBeDefined();
    const gone = secondsUntil(s, t0, () => s.statefulSets?.['default/web'] === undefined);
    expect(gone).toBe(podsGone + 1);
    stepN(s, 5);
    expect(podsOf(s, 'web')).toEqual([]);
  });
});
