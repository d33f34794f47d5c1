/**
 * (issue 11 / 7) The console's `kubectl delete` of any deletable kind (`--cascade`), `delete pod
 * --grace-period=N`, and the generic `createObject` / `deleteObject` actions the Kubernetes API and
 * `apply -f` submit: what a player sees afterwards, and that the new actions replay deterministically.
 */
import { describe, it, expect } from 'vitest';
import { createSim, stateHash } from '../../shared/sim/index.ts';
import { applyAction } from '../../shared/sim/actions/index.ts';
import { kubectlEquivalent } from '../../shared/kubectl/equivalent.ts';
import { runKubectl } from '../../shared/kubectl/index.ts';
import { ACTION_COSTS } from '../../shared/game/score.ts';
import { ActionMessage } from '../../shared/protocol.ts';
import type { SimAction, SimState } from '../../shared/sim/types.ts';
import { pipe } from './pipe.ts';
import { podsOf, shopInput, stepN, typeCommand } from '../sim/game-fixtures.ts';


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
      containers:
        - name: migrate
          image: shop/migrate:1
`;
const PDB = `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: api
spec:
  minAvailable: 100%
  selector:
    matchLabels:
      app: api
`;

function create(s: SimState, manifest: string): string {
  const r = applyAction(s, 'alice', { type: 'createObject', manifest });
  return r.ok ? r.message : r.error;
}

describe('console delete of any kind, grace periods, generic create', () => {
  it('kubectl delete svc removes the Service and its endpoints', () => {
    const s = createSim(shopInput());
    stepN(s, 3);
    expect(runKubectl(s, 'kubectl delete svc api')).toMatchObject({ kind: 'action', action: { type: 'deleteObject', kind: 'Service', name: 'api' } });
    expect(typeCommand(s, 'kubectl delete svc api')).toBe('service "api" deleted');
    expect(typeCommand(s, 'kubectl get svc api')).toBe('Error from server (NotFound): services "api" not found');
    expect(typeCommand(s, 'kubectl delete service/api')).toBe('Error from server (NotFound): services "api" not found');
    stepN(s, 20); // the sim runs on without the Service (its callers' requests fail)
    expect(s.endpoints['default/api']).toBeUndefined();
  });

  it('kubectl delete pod --grace-period=N: Terminating, gone within N sim seconds', () => {
    const s = createSim(shopInput());
    stepN(s, 3);
    const pod = podsOf(s, 'api')[0]!.metadata.name;
    expect(runKubectl(s, `kubectl delete pod ${pod} --grace-period=5`)).toMatchObject({ kind: 'action', action: { type: 'deletePod', pod, gracePeriodSeconds: 5 } });
    expect(runKubectl(s, `kubectl delete pod ${pod} --grace-period=0`)).toMatchObject({ kind: 'action', action: { type: 'deletePod', pod, gracePeriodSeconds: 1 } });
    expect(typeCommand(s, `kubectl delete pod ${pod} --force --grace-period=3`)).toBe('error: --force and --grace-period greater than 0 cannot be specified together');
    const t0 = s.t;
    const r = applyAction(s, 'alice', { type: 'deletePod', pod, gracePeriodSeconds: 1 });
    expect(r).toMatchObject({ ok: true, message: `pod "${pod}" deleted` });
    expect(r.ok && r.completesAt - t0).toBeLessThanOrEqual(1);
    expect(s.pods[`default/${pod}`]!.metadata.deletionGracePeriodSeconds).toBe(1);
    stepN(s, 2);
    expect(s.pods[`default/${pod}`]).toBeUndefined();
    expect(kubectlEquivalent({ type: 'deletePod', pod, gracePeriodSeconds: 5 })).toBe(`kubectl delete pod ${pod} --grace-period=5`);
    expect(ActionMessage.safeParse({ type: 'deletePod', pod, gracePeriodSeconds: 3601 }).success).toBe(false);
  });

  it('create a Job, delete it --cascade=orphan: its Pods run on without an owner; Background deletes them', () => {
    const s = createSim(shopInput());
    expect(create(s, JOB)).toBe('job.batch/migrate created');
    expect(create(s, JOB)).toBe('Error from server (AlreadyExists): jobs.batch "migrate" already exists');
    stepN(s, 10);
    const jobPods = () => Object.values(s.pods).filter((p) => p.metadata.labels['job-name'] === 'migrate' || p.metadata.name.startsWith('migrate-'));
    expect(jobPods()).toHaveLength(2);
    expect(runKubectl(s, 'kubectl delete job migrate --cascade=orphan')).toMatchObject({ kind: 'action', action: { type: 'deleteObject', kind: 'Job', name: 'migrate', propagationPolicy: 'Orphan' } });
    expect(typeCommand(s, 'kubectl delete job migrate --cascade=orphan')).toBe('job.batch "migrate" deleted');
    stepN(s, 10);
    expect(jobPods()).toHaveLength(2);
    for (const p of jobPods()) expect(p.metadata.ownerReferences).toEqual([]);
    expect(typeCommand(s, 'kubectl get job migrate')).toContain('NotFound');
    // Again, Background: the new Job's Pods go Terminating.
    expect(create(s, JOB.replace('name: migrate', 'name: migrate2'))).toBe('job.batch/migrate2 created');
    stepN(s, 10);
    const second = () => Object.values(s.pods).filter((p) => p.metadata.name.startsWith('migrate2-'));
    expect(second()).toHaveLength(2);
    expect(typeCommand(s, 'kubectl delete jobs.batch/migrate2')).toBe('job.batch "migrate2" deleted');
    expect(second().every((p) => p.metadata.deletionTimestamp !== undefined)).toBe(true);
    stepN(s, 40);
    expect(second()).toHaveLength(0);
    expect(kubectlEquivalent({ type: 'deleteObject', kind: 'Job', name: 'migrate', propagationPolicy: 'Orphan' })).toBe('kubectl delete job migrate --cascade=orphan');
  });

  it('a PDB created by createObject refuses a drain; deleting it lets the drain through', () => {
    const s = createSim(shopInput());
    stepN(s, 5);
    expect(create(s, PDB)).toBe('poddisruptionbudget.policy/api created');
    stepN(s, 3);
    const node = podsOf(s, 'api')[0]!.spec.nodeName!;
    expect(typeCommand(s, `kubectl drain ${node} --ignore-daemonsets`)).toContain('Cannot evict pod as it would violate the pod\'s disruption budget');
    expect(typeCommand(s, 'kubectl delete pdb api')).toBe('poddisruptionbudget.policy "api" deleted');
    expect(typeCommand(s, 'kubectl get pdb')).toBe('No resources found in default namespace.');
    expect(ACTION_COSTS.createObject).toBeGreaterThan(0);
    expect(ACTION_COSTS.deleteObject).toBeGreaterThan(0);
  });

  it('console apply -f - of a PDB and a Job creates them; re-applying is unchanged', () => {
    const s = createSim(shopInput());
    stepN(s, 3);
    expect(pipe(s, 'kubectl apply -f -', `${PDB}---\n${JOB}`)).toBe('poddisruptionbudget.policy/api created\njob.batch/migrate created');
    expect(typeCommand(s, 'kubectl get pdb -o name')).toBe('poddisruptionbudget.policy/api');
    expect(pipe(s, 'kubectl apply -f -', JOB)).toBe('job.batch/migrate unchanged');
    // (issue 6) an existing Job's mutable fields are updated now (test/kubectl/apply-update.test.ts)
    expect(pipe(s, 'kubectl apply -f -', JOB.replace('parallelism: 2', 'parallelism: 3'))).toBe('job.batch/migrate configured');
    expect(pipe(s, 'kubectl create -f -', PDB)).toMatch(/^Error from server \(AlreadyExists\)/);
  });

  it('StatefulSet, DaemonSet and CronJob: created, their Pods run; a Background delete takes their Pods (a CronJob: its Jobs too)', () => {
    const s = createSim(shopInput());
    const workload = (kind: string, name: string, extra: string) => `apiVersion: apps/v1
kind: ${kind}
metadata:
  name: ${name}
spec:
${extra}  selector:
    matchLabels: { app: ${name} }
  template:
    metadata:
      labels: { app: ${name} }
    spec:
      containers:
        - name: c
          image: shop/${name}:1
          resources: { requests: { cpu: 10m, memory: 16Mi } }
`;
    expect(create(s, workload('StatefulSet', 'kv', '  replicas: 2\n  serviceName: kv\n  podManagementPolicy: Parallel\n'))).toBe('statefulset.apps/kv created');
    expect(create(s, workload('DaemonSet', 'agent', ''))).toBe('daemonset.apps/agent created');
    expect(create(s, `apiVersion: batch/v1
kind: CronJob
metadata:
  name: tick
spec:
  schedule: "* * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
            - name: t
              image: shop/tick:1
`)).toBe('cronjob.batch/tick created');
    stepN(s, 90);
    const live = (prefix: string) => Object.values(s.pods).filter((p) => p.metadata.name.startsWith(prefix) && p.metadata.deletionTimestamp === undefined);
    expect(live('kv-')).toHaveLength(2);
    expect(live('agent-').length).toBe(Object.keys(s.nodes).length);
    expect(Object.keys(s.jobs ?? {}).some((k) => k.startsWith('default/tick-'))).toBe(true);
    for (const [line, out] of [['kubectl delete sts kv', 'statefulset.apps "kv" deleted'], ['kubectl delete ds agent', 'daemonset.apps "agent" deleted'], ['kubectl delete cronjob tick', 'cronjob.batch "tick" deleted']]) {
      expect(typeCommand(s, line!)).toBe(out);
    }
    expect(live('kv-')).toHaveLength(0);
    expect(live('agent-')).toHaveLength(0);
    expect(live('tick-')).toHaveLength(0);
    expect(Object.keys(s.jobs ?? {}).filter((k) => k.startsWith('default/tick-'))).toEqual([]);
    stepN(s, 60);
    expect(Object.values(s.pods).filter((p) => /^(kv|agent|tick)-/.test(p.metadata.name))).toEqual([]);
  });

  it('refuses kinds and manifests it cannot create, with kubectl-like errors', () => {
    const s = createSim(shopInput());
    expect(create(s, 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: x\n')).toMatch(/^error: expected exactly one of PodDisruptionBudget/);
    expect(create(s, PDB.replace('minAvailable: 100%', 'minAvailable: lots'))).toMatch(/^error: error validating data/);
    expect(typeCommand(s, 'kubectl delete configmap x')).toBe('Error from server (NotFound): configmaps "x" not found'); // (issue 6) a stored kind now
  });

  it('the new actions replay to the same state', () => {
    const run = () => {
      const s = createSim(shopInput());
      stepN(s, 3);
      const log: SimAction[] = [
        { type: 'createObject', manifest: PDB },
        { type: 'createObject', manifest: JOB },
        { type: 'deletePod', pod: podsOf(s, 'frontend')[0]!.metadata.name, gracePeriodSeconds: 3 },
        { type: 'deleteObject', kind: 'Job', name: 'migrate', propagationPolicy: 'Orphan' },
        { type: 'deleteObject', kind: 'PodDisruptionBudget', name: 'api' },
        { type: 'deleteObject', kind: 'Service', name: 'db' },
      ];
      for (const a of log) {
        const r = applyAction(s, 'alice', a);
        expect(r.ok ? '' : r.error).toBe('');
        stepN(s, 10);
      }
      return stateHash(s);
    };
    expect(run()).toBe(run());
  });
});
