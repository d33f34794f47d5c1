/**
 * (issue 6) `kubectl apply -f` of an EXISTING StatefulSet, DaemonSet, Job, CronJob, LimitRange,
 * ConfigMap or Secret updates it through the sim's write path (action `applyObject`), as real kubectl
 * apply does: `statefulset.apps/web configured` (or `unchanged`), the rolling update a template change
 * starts, a scale, a Job's immutable template refused with the API server's wording, a CronJob's new
 * schedule, a LimitRange's new default on the next Pods, a ConfigMap's new value in the env of a
 * container started afterwards.
 */
import { describe, expect, it } from 'vitest';
import { createSim, stateHash } from '../../shared/sim/index.ts';
import { applyAction } from '../../shared/sim/actions/index.ts';
import { kubectlEquivalent } from '../../shared/kubectl/equivalent.ts';
import { ActionMessage } from '../../shared/protocol.ts';
import { ACTION_COSTS } from '../../shared/game/score.ts';
import type { SimState } from '../../shared/sim/types.ts';
import { pipe } from './pipe.ts';
import { shopInput, stepN, typeCommand } from '../sim/game-fixtures.ts';


/** `kubectl apply -f -` of `yaml` in the console. */
const applied = (s: SimState, yaml: string) => pipe(s, 'kubectl apply -f -', yaml);

const sts = (image: string, replicas = 2) => `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  replicas: ${replicas}
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
          image: ${image}
          resources: { requests: { cpu: 10m, memory: 16Mi } }
`;

const ds = (image: string) => `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
spec:
  selector:
    matchLabels: { app: agent }
  template:
    metadata:
      labels: { app: agent }
    spec:
      containers:
        - name: a
          image: ${image}
          resources: { requests: { cpu: 10m, memory: 16Mi } }
`;

const job = (extra: string, image = 'shop/migrate:1') => `apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
spec:
  completions: 4
${extra}  template:
    spec:
      restartPolicy: Never
      containers:
        - name: migrate
          image: ${image}
          resources: { requests: { cpu: 10m, memory: 16Mi } }
`;

const live = (s: SimState, prefix: string) => Object.values(s.pods).filter((p) => p.metadata.name.startsWith(prefix) && p.metadata.deletionTimestamp === undefined);
const images = (s: SimState, prefix: string) => live(s, prefix).map((p) => `${p.metadata.name}=${p.spec.containers[0]!.image}`).sort();

describe('kubectl apply -f of an existing object updates it (issue 6)', () => {
  it('StatefulSet: unchanged; a new image rolls out from the highest ordinal; replicas scales', () => {
    const s = createSim(shopInput());
    expect(applied(s, sts('shop/web:1'))).toBe('statefulset.apps/web created');
    stepN(s, 60);
    expect(images(s, 'web-')).toEqual(['web-0=shop/web:1', 'web-1=shop/web:1']);
    expect(applied(s, sts('shop/web:1'))).toBe('statefulset.apps/web unchanged');
    const gen = s.statefulSets!['default/web']!.metadata.generation;
    expect(applied(s, sts('shop/web:2'))).toBe('statefulset.apps/web configured');
    expect(s.statefulSets!['default/web']!.metadata.generation).toBe(gen + 1);
    stepN(s, 5);
    // RollingUpdate: web-1 (the highest ordinal) is replaced first, web-0 still runs the old image
    expect(images(s, 'web-')).not.toContain('web-1=shop/web:1');
    stepN(s, 90);
    expect(images(s, 'web-')).toEqual(['web-0=shop/web:2', 'web-1=shop/web:2']);
    expect(typeCommand(s, 'kubectl rollout status statefulset/web')).toMatch(/partitioned roll out complete|rolling update complete/);
    expect(applied(s, sts('shop/web:2', 3))).toBe('statefulset.apps/web configured');
    stepN(s, 60);
    expect(images(s, 'web-')).toEqual(['web-0=shop/web:2', 'web-1=shop/web:2', 'web-2=shop/web:2']);
    // an apply that leaves replicas out keeps a kubectl scale's value (configured: the last-applied annotation changes)
    expect(typeCommand(s, 'kubectl scale statefulset/web --replicas=1')).toBe('statefulset.apps/web scaled');
    expect(applied(s, sts('shop/web:2').replace('  replicas: 2\n', ''))).toBe('statefulset.apps/web configured');
    expect(applied(s, sts('shop/web:2').replace('  replicas: 2\n', ''))).toBe('statefulset.apps/web unchanged');
    expect(s.statefulSets!['default/web']!.spec.replicas).toBe(1);
    // fields the API server forbids changing
    expect(applied(s, sts('shop/web:2').replace('serviceName: web', 'serviceName: other'))).toBe(
      `The StatefulSet "web" is invalid: spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden`,
    );
  });

  it('DaemonSet: a new image replaces the Pod on every Node; the selector is immutable', () => {
    const s = createSim(shopInput());
    expect(applied(s, ds('shop/agent:1'))).toBe('daemonset.apps/agent created');
    stepN(s, 40);
    const nodes = Object.keys(s.nodes).length;
    expect(live(s, 'agent-')).toHaveLength(nodes);
    expect(applied(s, ds('shop/agent:1'))).toBe('daemonset.apps/agent unchanged');
    expect(applied(s, ds('shop/agent:2'))).toBe('daemonset.apps/agent configured');
    stepN(s, 200);
    expect(live(s, 'agent-').map((p) => p.spec.containers[0]!.image)).toEqual(Array(nodes).fill('shop/agent:2'));
    expect(applied(s, ds('shop/agent:2').replace('matchLabels: { app: agent }', 'matchLabels: { app: agent, tier: x }').replace('labels: { app: agent }', 'labels: { app: agent, tier: x }')))
      .toBe('The DaemonSet "agent" is invalid: spec.selector: Invalid value: {"matchLabels":{"app":"agent","tier":"x"}}: field is immutable');
  });

  it('Job: parallelism up and down, suspend; the template and completions are immutable', () => {
    const s = createSim(shopInput());
    expect(applied(s, job('  parallelism: 1\n'))).toBe('job.batch/migrate created');
    stepN(s, 3);
    expect(live(s, 'migrate-')).toHaveLength(1);
    expect(applied(s, job('  parallelism: 1\n'))).toBe('job.batch/migrate unchanged');
    expect(applied(s, job('  parallelism: 3\n'))).toBe('job.batch/migrate configured');
    stepN(s, 2);
    expect(live(s, 'migrate-')).toHaveLength(3);
    expect(typeCommand(s, 'kubectl get job migrate -o jsonpath={.spec.parallelism}')).toBe('3');
    expect(applied(s, job('  parallelism: 2\n'))).toBe('job.batch/migrate configured');
    stepN(s, 1);
    expect(live(s, 'migrate-')).toHaveLength(2);
    expect(applied(s, job('  parallelism: 2\n  suspend: true\n'))).toBe('job.batch/migrate configured');
    stepN(s, 1);
    expect(live(s, 'migrate-')).toHaveLength(0);
    expect(typeCommand(s, 'kubectl get events')).toMatch(/Suspended\s+job\/migrate\s+Job suspended/);
    const suspended = "kubectl get job migrate -o jsonpath='{.status.conditions[?(@.type==\"Suspended\")].status} {.status.conditions[?(@.type==\"Suspended\")].reason} {.status.conditions[?(@.type==\"Suspended\")].message}'";
    expect(typeCommand(s, suspended)).toBe('True JobSuspended Job suspended');
    expect(typeCommand(s, 'kubectl get job migrate')).toMatch(/migrate\s+Suspended\s/);
    stepN(s, 5);
    expect(typeCommand(s, 'kubectl get events').match(/Job suspended/g)).toHaveLength(1); // one event per suspension
    expect(applied(s, job('  parallelism: 2\n  suspend: false\n'))).toBe('job.batch/migrate configured');
    stepN(s, 2);
    expect(live(s, 'migrate-')).toHaveLength(2);
    expect(typeCommand(s, suspended)).toBe('False JobResumed Job resumed');
    expect(typeCommand(s, 'kubectl get events')).toMatch(/Resumed\s+job\/migrate\s+Job resumed/);
    const before = stateHash(s);
    expect(applied(s, job('  parallelism: 2\n', 'shop/migrate:2'))).toBe('The Job "migrate" is invalid: spec.template: Invalid value: core.PodTemplateSpec{...}: field is immutable');
    expect(stateHash(s)).toBe(before); // a refused update changes nothing
    expect(applied(s, job('  parallelism: 2\n').replace('completions: 4', 'completions: 5'))).toBe('The Job "migrate" is invalid: spec.completions: Invalid value: 5: field is immutable');
    stepN(s, 60);
    expect(typeCommand(s, 'kubectl get job migrate -o jsonpath={.status.succeeded}')).toBe('4');
  });

  it('CronJob: a new schedule and suspend take effect at the next runs', () => {
    const s = createSim(shopInput());
    const cron = (schedule: string, suspend = false) => `apiVersion: batch/v1
kind: CronJob
metadata:
  name: tick
spec:
  schedule: "${schedule}"
  suspend: ${suspend}
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
            - name: t
              image: shop/tick:1
`;
    const jobs = () => Object.keys(s.jobs ?? {}).filter((k) => k.startsWith('default/tick-')).length;
    expect(applied(s, cron('0 0 1 1 *'))).toBe('cronjob.batch/tick created');
    stepN(s, 130);
    expect(jobs()).toBe(0); // yearly: no run yet
    expect(applied(s, cron('0 0 1 1 *'))).toBe('cronjob.batch/tick unchanged');
    expect(applied(s, cron('* * * * *'))).toBe('cronjob.batch/tick configured');
    expect(typeCommand(s, 'kubectl get cronjob tick -o jsonpath={.spec.schedule}')).toBe('* * * * *');
    stepN(s, 61);
    expect(jobs()).toBe(1);
    expect(applied(s, cron('* * * * *', true))).toBe('cronjob.batch/tick configured');
    stepN(s, 180);
    expect(jobs()).toBe(1);
  });

  it('LimitRange: a new default applies to the Pods created afterwards', () => {
    const s = createSim(shopInput());
    const lr = (mem: string) => `apiVersion: v1
kind: LimitRange
metadata:
  name: mem
spec:
  limits:
    - type: Container
      default: { memory: ${mem} }
`;
    const pod = (name: string) => `apiVersion: batch/v1
kind: Job
metadata:
  name: ${name}
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: x
          image: shop/x:1
`;
    expect(applied(s, lr('128Mi'))).toBe('limitrange/mem created');
    expect(applied(s, lr('128Mi'))).toBe('limitrange/mem unchanged');
    expect(applied(s, pod('one'))).toBe('job.batch/one created');
    stepN(s, 2);
    expect(applied(s, lr('256Mi'))).toBe('limitrange/mem configured');
    expect(applied(s, pod('two'))).toBe('job.batch/two created');
    stepN(s, 2);
    const limit = (prefix: string) => live(s, prefix)[0]?.spec.containers[0]?.resources?.limits?.memory;
    expect(limit('one-')).toBe('128Mi');
    expect(limit('two-')).toBe('256Mi');
  });

  it('ConfigMap and Secret: new data; a container started afterwards reads it; immutable and type are refused', () => {
    const s = createSim(shopInput());
    const cm = (value: string, extra = '') => `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
${extra}data:
  MODE: ${value}
`;
    expect(applied(s, cm('blue'))).toBe('configmap/settings created');
    expect(applied(s, cm('blue'))).toBe('configmap/settings unchanged');
    expect(applied(s, cm('green'))).toBe('configmap/settings configured');
    expect(typeCommand(s, 'kubectl get configmap settings -o jsonpath={.data.MODE}')).toBe('green');
    const reader = (name: string) => `apiVersion: batch/v1
kind: Job
metadata:
  name: ${name}
spec:
  template:
    metadata:
      annotations: { gameday.dev/run-seconds: "600" }
    spec:
      restartPolicy: Never
      containers:
        - name: r
          image: shop/r:1
          envFrom:
            - configMapRef: { name: settings }
`;
    expect(applied(s, reader('first'))).toBe('job.batch/first created');
    stepN(s, 20);
    const env = (prefix: string) => typeCommand(s, `kubectl exec ${live(s, prefix)[0]!.metadata.name} -- env`).split('\n').filter((l) => l.startsWith('MODE='));
    expect(env('first-')).toEqual(['MODE=green']);
    expect(applied(s, cm('red', 'immutable: true\n'))).toBe('configmap/settings configured');
    expect(applied(s, reader('second'))).toBe('job.batch/second created');
    stepN(s, 20);
    // a container started after the apply gets the new value; the one running since before keeps what it read at its start
    expect(env('second-')).toEqual(['MODE=red']);
    expect(env('first-')).toEqual(['MODE=green']);
    expect(applied(s, cm('pink', 'immutable: true\n'))).toBe('The ConfigMap "settings" is invalid: data: Forbidden: field is immutable when `immutable` is set');
    const secret = (pw: string, type = 'Opaque') => `apiVersion: v1
kind: Secret
metadata:
  name: db
type: ${type}
stringData:
  password: ${pw}
`;
    expect(applied(s, secret('one'))).toBe('secret/db created');
    expect(applied(s, secret('one'))).toBe('secret/db unchanged');
    expect(applied(s, secret('two'))).toBe('secret/db configured');
    expect(typeCommand(s, 'kubectl get secret db -o jsonpath={.data.password}')).toBe(Buffer.from('two').toString('base64'));
    expect(applied(s, secret('two', 'kubernetes.io/basic-auth'))).toBe('The Secret "db" is invalid: type: Invalid value: "kubernetes.io/basic-auth": field is immutable');
  });

  it('action applyObject: validated at the boundary, costed, printed, replayed to the same state', () => {
    const a = { type: 'applyObject' as const, manifest: sts('shop/web:2') };
    expect(ActionMessage.safeParse(a).success).toBe(true);
    expect(ACTION_COSTS.applyObject).toBeGreaterThan(0);
    expect(kubectlEquivalent(a)).toBe('kubectl apply -f web.yaml');
    const run = () => {
      const s = createSim(shopInput());
      expect(applyAction(s, 'alice', { type: 'applyObject', manifest: sts('shop/web:1') })).toMatchObject({ ok: false, error: 'Error from server (NotFound): statefulsets.apps "web" not found' });
      applyAction(s, 'alice', { type: 'createObject', manifest: sts('shop/web:1') });
      stepN(s, 30);
      expect(applyAction(s, 'alice', a)).toMatchObject({ ok: true, message: 'statefulset.apps/web configured' });
      stepN(s, 60);
      return stateHash(s);
    };
    expect(run()).toBe(run());
  });

  it('PersistentVolumeClaim: labels configured; a smaller request, another access mode, a larger request (no volume expansion on the standard class) refused as the API server does', () => {
    const s = createSim(shopInput());
    const pvc = (storage: string, extra = '', modes = 'ReadWriteOnce') => `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
  labels: { app: db${extra} }
spec:
  accessModes: [${modes}]
  resources: { requests: { storage: ${storage} } }
`;
    expect(applied(s, pvc('5Gi'))).toBe('persistentvolumeclaim/data created');
    expect(applied(s, pvc('5Gi'))).toBe('persistentvolumeclaim/data unchanged');
    expect(applied(s, pvc('5Gi', ', tier: data'))).toBe('persistentvolumeclaim/data configured');
    expect(s.persistentVolumeClaims!['default/data']!.metadata.labels).toMatchObject({ app: 'db', tier: 'data' });
    const before = stateHash(s);
    expect(applied(s, pvc('1Gi'))).toBe('The PersistentVolumeClaim "data" is invalid: spec.resources.requests.storage: Forbidden: field can not be less than status.capacity');
    expect(applied(s, pvc('5Gi', '', 'ReadWriteMany'))).toBe('The PersistentVolumeClaim "data" is invalid: spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims');
    expect(applied(s, pvc('10Gi'))).toBe('Error from server (Forbidden): persistentvolumeclaims "data" is forbidden: only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize');
    expect(stateHash(s)).toBe(before);
  });
});
