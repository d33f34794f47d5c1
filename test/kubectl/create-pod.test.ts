/**
 * (issue 6) `kubectl create -f -` / `apply -f -` of a bare Pod from the console: validated like a
 * manifest's bare Pod, created without an owner through the API server's write path, then scheduled
 * and started as any Pod; a second create is AlreadyExists.
 */
import { describe, it, expect } from 'vitest';
import { createSim } from '../../shared/sim/index.ts';
import { applyAction } from '../../shared/sim/actions/index.ts';
import { pipe } from './pipe.ts';
import { createAction } from '../../server/k8s/writes.ts';
import type { SimAction } from '../../shared/sim/types.ts';
import { shopInput, stepN, typeCommand } from '../sim/game-fixtures.ts';

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: debug
  labels:
    app: debug
spec:
  restartPolicy: Never
  containers:
    - name: shell
      image: busybox:1.36
      resources:
        requests:
          cpu: 50m
          memory: 32Mi
`;

describe('kubectl create -f of a bare Pod', () => {
  it('creates it without an owner; it is scheduled and runs; a second create is AlreadyExists', () => {
    const s = createSim(shopInput());
    stepN(s, 3);
    const t0 = s.t;
    expect(pipe(s, 'kubectl create -f -', POD)).toBe('pod/debug created');
    const pod = s.pods['default/debug']!;
    expect(pod.metadata.ownerReferences).toEqual([]);
    expect(pod.metadata.creationTimestamp).toBe(t0);
    expect(pod.spec.restartPolicy).toBe('Never');
    let running = -1;
    for (let i = 0; i < 120 && running < 0; i++) {
      stepN(s, 1);
      if (s.pods['default/debug']?.status.phase === 'Running') running = s.t - t0;
    }
    expect(running).toBeGreaterThan(0);
    expect(running).toBeLessThanOrEqual(30); // 5 sim seconds when written (schedule, pull, start)
    expect(s.pods['default/debug']!.spec.nodeName).toBeTruthy();
    expect(typeCommand(s, 'kubectl describe pod debug')).not.toMatch(/Controlled By/); // describe.go: no line without a controller
    expect(pipe(s, 'kubectl create -f -', POD)).toBe('Error from server (AlreadyExists): error when creating "STDIN": pods "debug" already exists');
    // the action itself (what the Kubernetes API's POST submits) answers the API server's 409 text
    const r = applyAction(s, 'alice', { type: 'createObject', manifest: POD });
    expect(r.ok ? r.message : r.error).toBe('Error from server (AlreadyExists): pods "debug" already exists');
    // deleted, nothing recreates it
    expect(typeCommand(s, 'kubectl delete pod debug')).toBe('pod "debug" deleted');
    stepN(s, 40);
    expect(s.pods['default/debug']).toBeUndefined();
  });

  it('apply -f of a new Pod creates it; an invalid Pod is refused with the manifest error', () => {
    const s = createSim(shopInput());
    stepN(s, 3);
    expect(pipe(s, 'kubectl apply -f -', POD)).toBe('pod/debug created');
    const bad = POD.replace('image: busybox:1.36', 'image: ""');
    expect(pipe(s, 'kubectl create -f -', bad.replace('name: debug', 'name: bad'))).toBe('error: error validating data: document 1 (Pod "bad"): spec.containers[0].image: Required value (line 1)');
    expect(s.pods['default/bad']).toBeUndefined();
  });

  it('POST /api/v1/namespaces/NS/pods maps to the same createObject action', () => {
    const s = createSim(shopInput());
    stepN(s, 3);
    const body = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'probe' }, spec: { containers: [{ name: 'c', image: 'busybox:1.36' }] } };
    const a = createAction('Pod', 'default', body);
    expect(a).toMatchObject({ type: 'createObject' });
    const r = applyAction(s, 'alice', a as SimAction);
    expect(r.ok ? r.message : r.error).toBe('pod/probe created');
    expect(s.pods['default/probe']!.spec.restartPolicy).toBe('Always');
    expect(s.pods['default/probe']!.metadata.ownerReferences).toEqual([]);
  });
});

describe('kubectl apply -f of an existing bare Pod', () => {
  it('sets labels and adds tolerations; other spec changes are refused with the API server message', () => {
    const s = createSim(shopInput());
    stepN(s, 3);
    expect(pipe(s, 'kubectl create -f -', POD)).toBe('pod/debug created');
    stepN(s, 10);
    // created without --save-config: kubectl apply warns and patches the last-applied annotation in
    expect(pipe(s, 'kubectl apply -f -', POD)).toBe('Warning: resource pods/debug is missing the kubectl.kubernetes.io/last-applied-configuration annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.\npod/debug configured');
    expect(pipe(s, 'kubectl apply -f -', POD)).toBe('pod/debug unchanged');
    expect(pipe(s, 'kubectl apply -f -', POD.replace('app: debug', 'app: debug\n    tier: tools'))).toBe('pod/debug configured');
    expect(s.pods['default/debug']!.metadata.labels).toMatchObject({ app: 'debug', tier: 'tools' });
    const tolerating = POD.replace('  restartPolicy: Never\n', '  restartPolicy: Never\n  tolerations:\n    - key: dedicated\n      operator: Exists\n      effect: NoSchedule\n');
    expect(pipe(s, 'kubectl apply -f -', tolerating)).toBe('pod/debug configured');
    expect(s.pods['default/debug']!.spec.tolerations).toContainEqual({ key: 'dedicated', operator: 'Exists', effect: 'NoSchedule' });
    const rv = s.pods['default/debug']!.metadata.resourceVersion;
    expect(pipe(s, 'kubectl apply -f -', POD.replace('cpu: 50m', 'cpu: 100m'))).toBe('The Pod "debug" is invalid: spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)');
    expect(pipe(s, 'kubectl apply -f -', POD.replace('restartPolicy: Never', 'restartPolicy: Always'))).toMatch(/^The Pod "debug" is invalid: spec: Forbidden: pod updates may not change fields other than /);
    expect(s.pods['default/debug']!.metadata.resourceVersion).toBe(rv);
    expect(s.pods['default/debug']!.spec.containers[0]!.resources).toMatchObject({ requests: { cpu: '50m' } });
  });

  it('a new container image: configured; the kubelet kills the container ("definition changed") and starts it with the new image, RESTARTS 1, whatever the restartPolicy', () => {
    const s = createSim(shopInput());
    stepN(s, 3);
    expect(pipe(s, 'kubectl create -f -', POD)).toBe('pod/debug created');
    stepN(s, 10);
    expect(typeCommand(s, 'kubectl get pod debug')).toMatch(/\ndebug\s+1\/1\s+Running\s+0\s/);
    expect(pipe(s, 'kubectl apply -f -', POD.replace('busybox:1.36', 'busybox:1.37'))).toMatch(/^Warning: resource pods\/debug is missing .*\npod\/debug configured$/);
    expect(s.pods['default/debug']!.spec.containers[0]!.image).toBe('busybox:1.37');
    stepN(s, 10);
    expect(typeCommand(s, 'kubectl get pod debug')).toMatch(/\ndebug\s+1\/1\s+Running\s+1 \(\d+s ago\)\s/);
    const events = typeCommand(s, 'kubectl get events');
    expect(events).toMatch(/Normal\s+Killing\s+pod\/debug\s+Container shell definition changed, will be restarted/);
    expect(events).toMatch(/Normal\s+Pulling\s+pod\/debug\s+Pulling image "busybox:1\.37"/);
    expect(events).toMatch(/Normal\s+Pulled\s+pod\/debug\s+Successfully pulled image "busybox:1\.37" in [2-5]s/);
    const described = typeCommand(s, 'kubectl describe pod debug');
    expect(described).toMatch(/Image:\s+busybox:1\.37\n/);
    expect(described).toMatch(/Last State:\s+Terminated\n\s+Reason:\s+Completed\n\s+Exit Code:\s+0\n/);
    expect(typeCommand(s, 'kubectl get pod debug -o jsonpath={.status.containerStatuses[0].image}')).toBe('busybox:1.37');
    expect(pipe(s, 'kubectl apply -f -', POD.replace('busybox:1.36', 'busybox:1.37'))).toBe('pod/debug unchanged');
  });
});
