/**
 * StatefulSet update strategies (issue 6): RollingUpdate from the highest ordinal down, one Pod at a
 * time, each after the previous is Running and Ready; `partition`; a bad template stuck at the highest
 * ordinal; OnDelete; `kubectl rollout status statefulset/x` (K pkg/controller/statefulset,
 * kubectl polymorphichelpers/rollout_status.go).
 */
import { describe, expect, it } from 'vitest';
import { step } from '../../shared/sim/index.ts';
import type { SimState } from '../../shared/sim/index.ts';
import { kubectl, statefulSetCluster } from './workload-fixtures.ts';


function sts(strategy = ''): SimState {
  const s = statefulSetCluster(strategy);
  for (let i = 0; i < 120 && s.statefulSets!['default/web']!.status.readyReplicas < 3; i++) step(s);
  expect(s.statefulSets!['default/web']!.status.readyReplicas).toBe(3);
  return s;
}

const image = (s: SimState, i: number) => s.pods[`default/web-${i}`]?.spec.containers[0]!.image;
const uid = (s: SimState, i: number) => s.pods[`default/web-${i}`]?.metadata.uid;

/** Steps until `done` (at most `max` sim seconds); the sim second it happened, or null. */
function until(s: SimState, done: () => boolean, max = 300): number | null {
  for (let i = 0; i < max; i++) {
    if (done()) return s.t;
    step(s);
  }
  return done() ? s.t : null;
}

describe('StatefulSet RollingUpdate', () => {
  it('replaces web-2, then web-1, then web-0, each once the previous new Pod is Running and Ready; revisions and rollout status follow', () => {
    const s = sts();
    const set = () => s.statefulSets!['default/web']!;
    const oldRev = set().status.currentRevision!;
    expect(oldRev).toMatch(/^web-[a-z0-9]{10}$/);
    expect(s.pods['default/web-0']!.metadata.labels['controller-revision-hash']).toBe(oldRev);
    expect(kubectl(s, 'kubectl rollout status statefulset/web')).toBe('partitioned roll out complete: 3 new pods have been updated...');
    const t0 = s.t;
    expect(kubectl(s, 'kubectl set image statefulset/web nginx=nginx:1.26')).toBe('statefulset.apps/web image updated');
    const startedAt: Record<number, number> = {};
    const readyAt: Record<number, number> = {};
    const order: number[] = [];
    const oldUids = [0, 1, 2].map((i) => uid(s, i));
    until(s, () => {
      for (const i of [0, 1, 2]) {
        const p = s.pods[`default/web-${i}`];
        if (p && p.metadata.uid !== oldUids[i] && startedAt[i] === undefined) {
          startedAt[i] = p.metadata.creationTimestamp;
          order.push(i);
        }
        if (p && p.metadata.uid !== oldUids[i] && p.sim.ready) readyAt[i] ??= s.t;
      }
      if (s.t === t0 + 1) {
        // mid-rollout: the highest ordinal first, the others untouched
        expect(set().status.updateRevision).not.toBe(oldRev);
      }
      return Object.keys(readyAt).length === 3;
    });
    expect(order).toEqual([2, 1, 0]);
    expect(startedAt[1]!).toBeGreaterThanOrEqual(readyAt[2]!);
    expect(startedAt[0]!).toBeGreaterThanOrEqual(readyAt[1]!);
    expect([0, 1, 2].map((i) => image(s, i))).toEqual(['nginx:1.26', 'nginx:1.26', 'nginx:1.26']);
    step(s);
    expect(set().status.currentRevision).toBe(set().status.updateRevision);
    expect(set().status.updatedReplicas).toBe(3);
    expect(set().sim).toBeUndefined();
    expect(kubectl(s, 'kubectl rollout status sts/web')).toBe('partitioned roll out complete: 3 new pods have been updated...');
  });

  it('a template whose image cannot be pulled leaves web-2 stuck in ImagePullBackOff and web-0, web-1 on the old revision', () => {
    const s = sts();
    s.images['nginx:nope'] = { ...s.defaultImageProfile, pullFails: true };
    expect(kubectl(s, 'kubectl set image statefulset/web nginx=nginx:nope')).toBe('statefulset.apps/web image updated');
    for (let i = 0; i < 120; i++) step(s);
    expect(image(s, 2)).toBe('nginx:nope');
    expect(s.pods['default/web-2']!.status.containerStatuses[0]!.state.waiting?.reason).toMatch(/ImagePullBackOff|ErrImagePull/);
    expect([image(s, 0), image(s, 1)]).toEqual(['nginx:1.25', 'nginx:1.25']);
    expect(kubectl(s, 'kubectl rollout status statefulset/web')).toBe('Waiting for 1 pods to be ready...');
    expect(kubectl(s, 'kubectl get pods')).toMatch(/\nweb-2\s+0\/1\s+(ImagePullBackOff|ErrImagePull)\s/);
    // the fix: set the image back; web-2 is replaced by the old revision and the set settles
    expect(kubectl(s, 'kubectl set image statefulset/web nginx=nginx:1.25')).toBe('statefulset.apps/web image updated');
    // a Pod that is not Running and Ready is not replaced by the rolling update: delete it by hand (the reference's "stuck Pod")
    expect(kubectl(s, 'kubectl delete pod web-2')).toMatch(/pod "web-2" deleted/);
    expect(until(s, () => image(s, 2) === 'nginx:1.25' && s.pods['default/web-2']!.sim.ready)).not.toBeNull();
    step(s);
    const st = s.statefulSets!['default/web']!.status;
    expect(st.currentRevision).toBe(st.updateRevision);
  });

  it('partition 2: only web-2 gets the new template; a deleted web-0 comes back with the old one', () => {
    const s = sts('  updateStrategy:\n    type: RollingUpdate\n    rollingUpdate: {partition: 2}\n');
    expect(kubectl(s, 'kubectl rollout restart statefulset/web')).toBe('statefulset.apps/web restarted');
    expect(until(s, () => s.pods['default/web-2']?.metadata.annotations['kubectl.kubernetes.io/restartedAt'] !== undefined && s.pods['default/web-2']!.sim.ready)).not.toBeNull();
    for (let i = 0; i < 30; i++) step(s);
    expect(kubectl(s, 'kubectl rollout status statefulset/web')).toBe('partitioned roll out complete: 1 new pods have been updated...');
    const st = s.statefulSets!['default/web']!.status;
    expect(st.updatedReplicas).toBe(1);
    expect(st.currentReplicas).toBe(2);
    expect(st.currentRevision).not.toBe(st.updateRevision);
    const u0 = uid(s, 0);
    kubectl(s, 'kubectl delete pod web-0');
    expect(until(s, () => uid(s, 0) !== undefined && uid(s, 0) !== u0 && s.pods['default/web-0']!.sim.ready)).not.toBeNull();
    expect(s.pods['default/web-0']!.metadata.labels['controller-revision-hash']).toBe(st.currentRevision);
    expect(s.pods['default/web-0']!.metadata.annotations['kubectl.kubernetes.io/restartedAt']).toBeUndefined();
  });
});

describe('StatefulSet OnDelete', () => {
  it('a template change replaces nothing; a Pod deleted by hand comes back with the new image; rollout status refuses', () => {
    const s = sts('  updateStrategy: {type: OnDelete}\n');
    const uids = [0, 1, 2].map((i) => uid(s, i));
    kubectl(s, 'kubectl set image statefulset/web nginx=nginx:1.26');
    for (let i = 0; i < 60; i++) step(s);
    expect([0, 1, 2].map((i) => uid(s, i))).toEqual(uids);
    expect(s.statefulSets!['default/web']!.status.updatedReplicas).toBe(0);
    expect(kubectl(s, 'kubectl rollout status statefulset/web')).toBe('error: rollout status is only available for RollingUpdate strategy type');
    kubectl(s, 'kubectl delete pod web-1');
    expect(until(s, () => image(s, 1) === 'nginx:1.26' && s.pods['default/web-1']!.sim.ready)).not.toBeNull();
    expect([image(s, 0), image(s, 2)]).toEqual(['nginx:1.25', 'nginx:1.25']);
    expect(s.statefulSets!['default/web']!.status.updatedReplicas).toBe(1);
  });
});
