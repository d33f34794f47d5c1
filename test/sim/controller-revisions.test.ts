/**
 * ControllerRevisions of StatefulSets and DaemonSets (issue 6): `<name>-<hash>` revisions numbered 1, 2...,
 * `kubectl get controllerrevisions`, `rollout history|undo statefulset|daemonset/NAME` with kubectl's
 * output and errors, a rolled-back template renumbered as the newest revision, pruning beyond
 * revisionHistoryLimit 10, and `minReadySeconds` in sim seconds (K pkg/controller/history,
 * stateful_set_control.go, daemon/update.go; kubectl polymorphichelpers/history.go, rollback.go).
 */
import { describe, expect, it } from 'vitest';
import { step } from '../../shared/sim/index.ts';
import type { Pod, SimState } from '../../shared/sim/index.ts';
import { daemonSetCluster, kubectl, statefulSetCluster } from './workload-fixtures.ts';


/** Steps until `done` (at most `max` sim seconds); the sim second it happened, or null. */
function until(s: SimState, done: () => boolean, max = 300): number | null {
  for (let i = 0; i < max; i++) {
    if (done()) return s.t;
    step(s);
  }
  return done() ? s.t : null;
}

const sts = statefulSetCluster;
const ds = daemonSetCluster;

const set = (s: SimState) => s.statefulSets!['default/web']!;
const rolledOut = (s: SimState) => {
  const st = set(s).status;
  return st.observedGeneration === set(s).metadata.generation && st.readyReplicas === 3 && st.updatedReplicas === 3 && st.currentRevision === st.updateRevision;
};
const image = (s: SimState, i: number) => s.pods[`default/web-${i}`]?.spec.containers[0]!.image;
const agents = (s: SimState): Pod[] => Object.values(s.pods).filter((p) => p.metadata.name.startsWith('agent-') && !p.metadata.deletionTimestamp);

describe('StatefulSet ControllerRevisions', () => {
  it('keeps one revision per template, served by `kubectl get controllerrevisions`; history, undo and the errors match kubectl', () => {
    const s = sts();
    expect(until(s, () => rolledOut(s))).not.toBeNull();
    const rev1 = set(s).status.currentRevision!;
    expect(rev1).toMatch(/^web-[a-z0-9]{10}$/);
    expect(s.pods['default/web-0']!.metadata.labels['controller-revision-hash']).toBe(rev1);
    expect(kubectl(s, 'kubectl get controllerrevisions')).toMatch(new RegExp(`^NAME +CONTROLLER +REVISION +AGE\\n${rev1} +statefulset\\.apps/web +1 +\\d+s$`));
    const yaml = kubectl(s, `kubectl get controllerrevision ${rev1} -o yaml`);
    expect(yaml).toContain('kind: ControllerRevision');
    expect(yaml).toContain('revision: 1');
    expect(yaml).toContain(`controller.kubernetes.io/hash: ${rev1.slice(4)}`);
    expect(yaml).toMatch(/\$patch: replace/);
    expect(yaml).toMatch(/kind: StatefulSet\n\s+name: web/);
    expect(kubectl(s, 'kubectl rollout undo statefulset/web')).toBe('error: no last revision to roll back to');
    expect(kubectl(s, 'kubectl get sts web -o jsonpath={.spec.revisionHistoryLimit}')).toBe('10');
    const described = kubectl(s, `kubectl describe controllerrevision ${rev1}`);
    expect(described).toMatch(new RegExp(`^Name: +${rev1}\nNamespace: +default\nLabels: +app=web\n +controller.kubernetes.io/hash=`));
    expect(described).toMatch(/Revision: +1/);

    expect(kubectl(s, 'kubectl set image statefulset/web nginx=nginx:1.26')).toBe('statefulset.apps/web image updated');
    expect(until(s, () => rolledOut(s))).not.toBeNull();
    const rev2 = set(s).status.currentRevision!;
    expect(rev2).not.toBe(rev1);
    expect(kubectl(s, 'kubectl rollout history statefulset/web')).toBe('statefulset.apps/web\nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>');
    expect(kubectl(s, 'kubectl rollout history sts/web --revision=1')).toBe(
      'statefulset.apps/web with revision #1\nPod Template:\n  Labels:\tapp=web\n  Containers:\n   nginx:\n     Image:\tnginx:1.25',
    );
    expect(kubectl(s, 'kubectl rollout history sts/web --revision=7')).toBe('error: unable to find the specified revision');
    expect(kubectl(s, 'kubectl rollout undo statefulset/web --to-revision=9')).toBe('error: unable to find specified revision 9 in history');
    expect(kubectl(s, 'kubectl rollout undo statefulset/web --to-revision=2')).toBe('statefulset.apps/web skipped rollback (current template already matches revision 2)');

    // Undo: revision 1's template comes back, renumbered 3; the Pods roll back from the highest ordinal.
    expect(kubectl(s, 'kubectl rollout undo statefulset/web')).toBe('statefulset.apps/web rolled back');
    expect(set(s).spec.template.spec.containers[0]!.image).toBe('nginx:1.25');
    expect(until(s, () => rolledOut(s))).not.toBeNull();
    expect([0, 1, 2].map((i) => image(s, i))).toEqual(['nginx:1.25', 'nginx:1.25', 'nginx:1.25']);
    expect(set(s).status.currentRevision).toBe(rev1);
    expect(kubectl(s, 'kubectl rollout history statefulset/web')).toBe('statefulset.apps/web\nREVISION  CHANGE-CAUSE\n2         <none>\n3         <none>');
    expect(s.controllerRevisions![`default/${rev1}`]!.revision).toBe(3);
    // --to-revision names a revision by its number; the undone one is gone from the numbering.
    expect(kubectl(s, 'kubectl rollout undo sts/web --to-revision=1')).toBe('error: unable to find specified revision 1 in history');
    expect(kubectl(s, 'kubectl rollout undo sts/web --to-revision=2')).toBe('statefulset.apps/web rolled back');
    expect(set(s).spec.template.spec.containers[0]!.image).toBe('nginx:1.26');
    // kubectl pauses Deployments only.
    expect(kubectl(s, 'kubectl rollout pause sts/web')).toBe('error: statefulsets.apps "web" pausing is not supported');
    expect(kubectl(s, 'kubectl rollout resume statefulset/web')).toBe('error: statefulsets.apps "web" resuming is not supported');
  });

  it('deleting the StatefulSet removes its revisions (garbage collection of dependents)', () => {
    const s = sts();
    expect(until(s, () => rolledOut(s))).not.toBeNull();
    expect(Object.keys(s.controllerRevisions ?? {})).toHaveLength(1);
    expect(kubectl(s, 'kubectl delete statefulset web')).toBe('statefulset.apps "web" deleted');
    expect(Object.keys(s.controllerRevisions ?? {})).toHaveLength(0);
  });

  it('minReadySeconds 10: the next ordinal and the next update wait until the Pod has been Ready for 10 sim seconds; availableReplicas lags', () => {
    const s = sts('  minReadySeconds: 10\n');
    const readyAt = (i: number) => {
      const c = s.pods[`default/web-${i}`]?.status.conditions.find((x) => x.type === 'Ready' && x.status === 'True');
      return c?.lastTransitionTime;
    };
    expect(until(s, () => s.pods['default/web-1'] !== undefined)).not.toBeNull();
    // web-1 is created on the first sync at or after web-0's Ready + 10 s (the timer wakes the controller).
    expect(s.pods['default/web-1']!.metadata.creationTimestamp).toBe(readyAt(0)! + 10);
    expect(until(s, () => set(s).status.readyReplicas === 3 && s.pods['default/web-2']!.sim.ready)).not.toBeNull();
    expect(set(s).status.availableReplicas).toBe(2);
    const lastReady = readyAt(2)!;
    expect(until(s, () => set(s).status.availableReplicas === 3)).toBe(lastReady + 10);

    // Rolling update: web-1 is deleted 10 s after the new web-2 is Ready, not at once.
    expect(kubectl(s, 'kubectl set image sts/web nginx=nginx:1.26')).toBe('statefulset.apps/web image updated');
    expect(until(s, () => image(s, 2) === 'nginx:1.26' && s.pods['default/web-2']!.sim.ready)).not.toBeNull();
    const newReady = readyAt(2)!;
    expect(until(s, () => s.pods['default/web-1']?.metadata.deletionTimestamp !== undefined)).toBe(newReady + 10);
  });
});

describe('DaemonSet ControllerRevisions', () => {
  it('labels Pods with controller-revision-hash and pod-template-generation; history and undo', () => {
    const s = ds();
    const d = () => s.daemonSets!['default/agent']!;
    expect(until(s, () => d().status.numberAvailable === 3)).not.toBeNull();
    const p = agents(s)[0]!;
    const hash = p.metadata.labels['controller-revision-hash']!;
    expect(hash).toMatch(/^[a-z0-9]{10}$/);
    expect(p.metadata.labels['pod-template-generation']).toBe(String(d().metadata.generation));
    const cr = s.controllerRevisions![`default/agent-${hash}`]!;
    expect(cr.revision).toBe(1);
    expect(cr.metadata.labels).toEqual({ app: 'agent', 'controller-revision-hash': hash });
    expect(kubectl(s, 'kubectl get controllerrevisions')).toMatch(new RegExp(`\\nagent-${hash} +daemonset\\.apps/agent +1 +`));

    expect(kubectl(s, 'kubectl set image ds/agent agent=agent:2')).toBe('daemonset.apps/agent image updated');
    expect(until(s, () => d().status.observedGeneration === d().metadata.generation && d().status.updatedNumberScheduled === 3 && d().status.numberAvailable === 3)).not.toBeNull();
    expect(new Set(agents(s).map((x) => x.metadata.labels['pod-template-generation']))).toEqual(new Set([String(d().metadata.generation)]));
    expect(kubectl(s, 'kubectl rollout history daemonset/agent')).toBe('daemonset.apps/agent\nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>');
    expect(kubectl(s, 'kubectl rollout undo daemonset/agent --to-revision=5')).toBe('error: unable to find specified revision 5 in history');
    expect(kubectl(s, 'kubectl rollout undo daemonset/agent')).toBe('daemonset.apps/agent rolled back');
    expect(until(s, () => d().status.observedGeneration === d().metadata.generation && d().status.updatedNumberScheduled === 3 && d().status.numberAvailable === 3 && agents(s).length === 3)).not.toBeNull();
    expect(agents(s).map((x) => x.spec.containers[0]!.image)).toEqual(['agent:1', 'agent:1', 'agent:1']);
    expect(kubectl(s, 'kubectl rollout history ds/agent')).toBe('daemonset.apps/agent\nREVISION  CHANGE-CAUSE\n2         <none>\n3         <none>');
  });

  it('prunes dead revisions beyond revisionHistoryLimit 10, oldest first; the one the Pods run stays', () => {
    const s = ds('  updateStrategy: {type: OnDelete}\n');
    const d = () => s.daemonSets!['default/agent']!;
    expect(until(s, () => d().status.numberAvailable === 3)).not.toBeNull();
    for (let v = 2; v <= 14; v++) {
      expect(kubectl(s, `kubectl set image ds/agent agent=agent:${v}`)).toBe('daemonset.apps/agent image updated');
      step(s);
    }
    const revs = Object.values(s.controllerRevisions!).map((r) => r.revision).sort((a, b) => a - b);
    // 14 revisions made: revision 1 (the Pods' own, OnDelete) and 14 (the update) are live, 10 dead ones kept (4..13).
    expect(revs).toEqual([1, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
  });

  it('revisionHistoryLimit 2 from the manifest: two dead revisions kept besides the live ones', () => {
    const s = ds('  revisionHistoryLimit: 2\n  updateStrategy: {type: OnDelete}\n');
    expect(until(s, () => s.daemonSets!['default/agent']!.status.numberAvailable === 3)).not.toBeNull();
    for (let v = 2; v <= 6; v++) {
      kubectl(s, `kubectl set image ds/agent agent=agent:${v}`);
      step(s);
    }
    expect(kubectl(s, 'kubectl rollout history ds/agent')).toBe('daemonset.apps/agent\nREVISION  CHANGE-CAUSE\n1         <none>\n4         <none>\n5         <none>\n6         <none>');
  });

  it('minReadySeconds 20: numberAvailable counts a Pod 20 sim seconds after it is Ready; the rolling update waits for it', () => {
    const s = ds('  minReadySeconds: 20\n');
    const d = () => s.daemonSets!['default/agent']!;
    const readyAt = (p: Pod) => p.status.conditions.find((x) => x.type === 'Ready' && x.status === 'True')?.lastTransitionTime;
    expect(until(s, () => d().status.numberReady === 3)).not.toBeNull();
    expect(d().status.numberAvailable).toBe(0);
    const lastReady = Math.max(...agents(s).map((p) => readyAt(p)!));
    expect(until(s, () => d().status.numberAvailable === 3)).toBe(lastReady + 20);

    expect(kubectl(s, 'kubectl set image ds/agent agent=agent:2')).toBe('daemonset.apps/agent image updated');
    const fresh = () => agents(s).filter((p) => p.spec.containers[0]!.image === 'agent:2');
    expect(until(s, () => fresh().length === 1 && fresh()[0]!.sim.ready)).not.toBeNull();
    const firstReady = readyAt(fresh()[0]!)!;
    // The second old Pod is deleted only once the first new one is available (Ready + 20 s).
    expect(until(s, () => agents(s).filter((p) => p.spec.containers[0]!.image === 'agent:1').length < 2)).toBe(firstReady + 20);
  });
});
