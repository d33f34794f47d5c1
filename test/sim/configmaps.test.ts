/**
 * ConfigMaps and Secrets as stored objects (issue 6): loaded from the manifests with their data,
 * created and deleted from the console (`kubectl create configmap|secret generic --from-literal`,
 * `apply -f -`, `delete`) through the API server (change log), printed like kubectl (`get cm`: NAME
 * DATA AGE; `get secrets`: NAME TYPE DATA AGE; describe.go's describeConfigMap / describeSecret), and
 * resolved by the kubelet at key level (`envFrom`, `env.valueFrom.configMapKeyRef/secretKeyRef`,
 * configMap / secret volumes): a missing object or key is `CreateContainerConfigError` retried every
 * 10 s, so creating the missing object fixes the Pod on the next retry. Times are sim seconds.
 */
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../shared/manifests/load.ts';
import { manifestsOnlyInput } from '../../shared/scenario/toSimInput.ts';
import { runKubectl } from '../../shared/kubectl/index.ts';
import { runKubectlInput } from '../../shared/kubectl/apply.ts';
import { applyAction } from '../../shared/sim/actions/index.ts';
import { createSim } from '../../shared/sim/index.ts';
import { changeCursor, changesSince } from '../../shared/sim/changelog.ts';
import type { Pod, SimState } from '../../shared/sim/index.ts';
import { K8S_WRITES } from '../../server/rooms/stdin.ts';
import { podsOf, shopInput, stepN, typeCommand } from './game-fixtures.ts';

const APP = (env: string, extra = '') => `
apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: 1
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
        - name: app
          image: web:v1
          ports: [{ containerPort: 8080 }]
          resources: { requests: { cpu: 100m, memory: 64Mi } }
${env}
---
apiVersion: v1
kind: Service
metadata: { name: web }
spec: { type: LoadBalancer, selector: { app: web }, ports: [{ port: 80, targetPort: 8080 }] }
${extra}`;

const SETTINGS = `---
apiVersion: v1
kind: ConfigMap
metadata: { name: settings, labels: { app: web } }
data:
  MODE: prod
  app.properties: |
    color=blue
    size=3
binaryData:
  logo.png: iVBORw0K
---
apiVersion: v1
kind: Secret
metadata: { name: db-creds }
type: kubernetes.io/basic-auth
data:
  username: YWRtaW4=
stringData:
  password: s3cret!
`;

function simOf(yaml: string): SimState {
  const loaded = loadManifests(yaml);
  expect(loaded.errors).toEqual([]);
  return createSim({ ...manifestsOnlyInput(loaded, { seed: 5, durationSeconds: 900 }), coldStart: true });
}

function out(s: SimState, line: string): string {
  const r = runKubectl(s, line);
  if (r.kind === 'output') return r.output;
  if (r.kind === 'error') return r.error;
  throw new Error(`${line} is an action`);
}

/** The ConfigMap / Secret changes recorded after `cursor`, as `KIND KEY TYPE`. */
function configChanges(s: SimState, cursor: number): string[] {
  const r = changesSince(s, cursor);
  return ('changes' in r ? r.changes : []).filter((c) => c.kind === 'ConfigMap' || c.kind === 'Secret').map((c) => `${c.kind} ${c.key} ${c.type}`);
}

const web = (s: SimState): Pod => podsOf(s, 'web').find((p) => p.metadata.deletionTimestamp === undefined)!;
const waiting = (p: Pod) => p.status.containerStatuses[0]?.state.waiting;

/** Steps one second at a time until `cond`; the sim second it held, or null within `max`. */
function until(s: SimState, cond: () => boolean, max: number): number | null {
  for (let i = 0; i < max; i++) {
    stepN(s, 1);
    if (cond()) return s.t;
  }
  return null;
}

describe('ConfigMaps and Secrets are stored objects', () => {
  it('loads them from the manifests with their data (Secret stringData merged into data, base64)', () => {
    const s = simOf(APP('') + SETTINGS);
    const cm = s.configMaps!['default/settings']!;
    expect({ ...cm.data }).toEqual({ MODE: 'prod', 'app.properties': 'color=blue\nsize=3\n' });
    expect({ ...cm.binaryData }).toEqual({ 'logo.png': 'iVBORw0K' });
    const secret = s.secrets!['default/db-creds']!;
    expect(secret.type).toBe('kubernetes.io/basic-auth');
    expect({ ...secret.data }).toEqual({ username: 'YWRtaW4=', password: 'czNjcmV0IQ==' });
    // the change log starts with them, once
    expect(configChanges(s, 0)).toEqual(['ConfigMap default/settings ADDED', 'Secret default/db-creds ADDED']);
  });

  it('refuses invalid keys and non-base64 Secret data with the path', () => {
    const r = loadManifests('apiVersion: v1\nkind: ConfigMap\nmetadata: { name: x }\ndata: { "bad key": "1" }\n---\napiVersion: v1\nkind: Secret\nmetadata: { name: y }\ndata: { k: "not base64!" }\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: { name: z }\ndata: { port: 8080 }\n');
    expect(r.errors.map((e) => `${e.kind} ${e.path}`)).toEqual(['ConfigMap data["bad key"]', 'Secret data.k', 'ConfigMap data.port']);
    expect(r.errors[0]!.message).toMatch(/^Invalid value: "bad key": a valid config key must consist of alphanumeric characters/);
    expect(r.errors[1]!.message).toBe('illegal base64 data: the value must be base64-encoded');
    expect(r.errors[2]!.message).toMatch(/^must be a string/);
  });

  it('get, describe, -o yaml and delete print like kubectl', () => {
    const s = simOf(APP('') + SETTINGS);
    stepN(s, 90);
    expect(out(s, 'kubectl get cm')).toBe('NAME       DATA   AGE\nsettings   3      90s');
    expect(out(s, 'kubectl get configmaps settings')).toBe(out(s, 'kubectl get cm'));
    expect(out(s, 'kubectl get secrets')).toBe('NAME       TYPE                       DATA   AGE\ndb-creds   kubernetes.io/basic-auth   2      90s');
    expect(out(s, 'kubectl describe configmap settings')).toBe([
      'Name:         settings',
      'Namespace:    default',
      'Labels:       app=web',
      'Annotations:  <none>',
      '',
      'Data',
      '====',
      'MODE:',
      '----',
      'prod',
      '',
      'app.properties:',
      '----',
      'color=blue\nsize=3\n',
      '',
      '',
      'BinaryData',
      '====',
      'logo.png: 6 bytes',
      '',
      'Events:  <none>',
    ].join('\n'));
    expect(out(s, 'kubectl describe secret db-creds')).toBe([
      'Name:         db-creds',
      'Namespace:    default',
      'Labels:       <none>',
      'Annotations:  <none>',
      '',
      'Type:  kubernetes.io/basic-auth',
      '',
      'Data',
      '====',
      'password:  7 bytes',
      'username:  5 bytes',
    ].join('\n'));
    const yaml = out(s, 'kubectl get secret db-creds -o yaml');
    expect(yaml).toMatch(/^apiVersion: v1\n/);
    expect(yaml).toMatch(/\n {2}password: czNjcmV0IQ==\n/);
    expect(yaml).toMatch(/\ntype: kubernetes.io\/basic-auth/);
    expect(yaml).not.toMatch(/stringData|s3cret/);
    expect(JSON.parse(out(s, 'kubectl get cm settings -o json')).data).toEqual({ MODE: 'prod', 'app.properties': 'color=blue\nsize=3\n' });
    expect(out(s, 'kubectl api-resources')).toMatch(/\nconfigmaps\s+cm\s+v1\s+true\s+ConfigMap\n/);
    expect(out(s, 'kubectl api-resources')).toMatch(/\nsecrets\s+v1\s+true\s+Secret(\n|$)/);
    expect(out(s, 'kubectl explain configmap.data')).toMatch(/Data contains the configuration data/);
    expect(out(s, 'kubectl explain pod.spec.containers.env.valueFrom.configMapKeyRef')).toMatch(/FIELDS:[\s\S]*key\s+<string> -required-/);
    const from = changeCursor(s);
    expect(typeCommand(s, 'kubectl delete cm settings')).toBe('configmap "settings" deleted');
    expect(typeCommand(s, 'kubectl delete secret db-creds')).toBe('secret "db-creds" deleted');
    expect(configChanges(s, from)).toEqual(['ConfigMap default/settings DELETED', 'Secret default/db-creds DELETED']);
    expect(out(s, 'kubectl get cm')).toBe('No resources found in default namespace.');
  });

  it('kubectl create configmap / secret generic --from-literal, with kubectl\'s errors', () => {
    const s = simOf(APP(''));
    expect(typeCommand(s, "kubectl create configmap app --from-literal=MODE=prod --from-literal 'GREETING=hello world' -n default")).toBe('configmap/app created');
    expect({ ...s.configMaps!['default/app']!.data }).toEqual({ GREETING: 'hello world', MODE: 'prod' });
    expect(typeCommand(s, 'kubectl create secret generic creds --from-literal=password=p=w')).toBe('secret/creds created');
    expect(s.secrets!['default/creds']!).toMatchObject({ type: 'Opaque', data: { password: 'cD13' } });
    expect(out(s, 'kubectl get secret creds')).toMatch(/^NAME\s+TYPE\s+DATA\s+AGE\ncreds\s+Opaque\s+1\s+0s$/);
    expect(typeCommand(s, 'kubectl create configmap app --from-literal=A=1')).toBe('error: failed to create configmap: configmaps "app" already exists');
    expect(typeCommand(s, 'kubectl create cm b --from-literal=novalue')).toBe('error: invalid literal source novalue, expected key=value');
    expect(typeCommand(s, 'kubectl create cm b --from-literal=A=1 --from-literal=A=2')).toBe('error: cannot add key "A", another key by that name already exists in Data for ConfigMap "b"');
    expect(typeCommand(s, "kubectl create cm b --from-literal='a b=1'")).toMatch(/^error: "a b" is not a valid key name for a ConfigMap: a valid config key must consist of alphanumeric characters/);
    expect(typeCommand(s, 'kubectl create cm b --from-file=x.conf')).toMatch(/^error: --from-file and --from-env-file read files/);
    expect(typeCommand(s, 'kubectl create cm')).toMatch(/^error: exactly one NAME is required, got 0/);
  });

  it('apply -f - of ConfigMap / Secret YAML creates them; applying the same again is unchanged', () => {
    const s = simOf(APP(''));
    const yaml = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: pasted\ndata:\n  a: "1"\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: token\nstringData:\n  t: abc\n';
    const r = runKubectlInput(s, 'kubectl apply -f -', yaml, K8S_WRITES);
    expect(r.kind).toBe('steps');
    const lines: string[] = [];
    for (const step of r.kind === 'steps' ? r.steps : []) {
      if ('text' in step) lines.push(step.text);
      else for (const a of step.actions) {
        const res = applyAction(s, 'alice', a);
        lines.push(res.ok ? step.done : res.error);
      }
    }
    expect(lines).toEqual(['configmap/pasted created', 'secret/token created']);
    expect(s.secrets!['default/token']!.data).toMatchObject({ t: 'YWJj' });
    const again = runKubectlInput(s, 'kubectl apply -f -', yaml.split('---')[0]!, K8S_WRITES);
    expect(again).toEqual({ kind: 'steps', steps: [{ text: 'configmap/pasted unchanged', error: false }] });
  });
});

describe('the kubelet resolves ConfigMaps and Secrets at key level', () => {
  const KEYREF = `          env:
            - name: LOG_LEVEL
              valueFrom: { configMapKeyRef: { name: settings, key: LOG_LEVEL } }`;

  it('a missing key is CreateContainerConfigError with the kubelet\'s message, retried every 10 s; creating it fixes the Pod within 10 s', () => {
    const s = simOf(APP(KEYREF) + SETTINGS);
    stepN(s, 30);
    const pod = web(s);
    expect(waiting(pod)).toEqual({ reason: 'CreateContainerConfigError', message: "couldn't find key LOG_LEVEL in ConfigMap default/settings" });
    expect(out(s, 'kubectl get pods')).toMatch(/web-\S+\s+0\/1\s+CreateContainerConfigError\s+0\s/);
    const failed = s.events.filter((e) => e.object.name === pod.metadata.name && e.reason === 'Failed').map((e) => e.t);
    expect(failed.length).toBeGreaterThanOrEqual(2);
    expect(failed.slice(1).map((t, i) => t - failed[i]!)).toEqual(failed.slice(1).map(() => 10));
    expect(out(s, `kubectl describe pod ${pod.metadata.name}`)).toMatch(/Error: couldn't find key LOG_LEVEL in ConfigMap default\/settings/);
    // the ConfigMap is replaced by one with the key (the game's edit path: delete and create)
    expect(typeCommand(s, 'kubectl delete cm settings')).toBe('configmap "settings" deleted');
    stepN(s, 10);
    expect(waiting(web(s))?.message).toBe('configmap "settings" not found');
    expect(typeCommand(s, 'kubectl create cm settings --from-literal=LOG_LEVEL=debug')).toBe('configmap/settings created');
    const at = s.t;
    const running = until(s, () => web(s).status.phase === 'Running' && web(s).status.containerStatuses[0]!.state.running !== undefined, 20);
    expect(running).not.toBeNull();
    expect(running! - at).toBeLessThanOrEqual(10);
  });

  it('kubectl exec -- env shows the resolved envFrom and valueFrom variables', () => {
    const s = simOf(APP(`          env:
            - name: LEVEL
              valueFrom: { configMapKeyRef: { name: settings, key: MODE } }
            - name: DB_USER
              valueFrom: { secretKeyRef: { name: db-creds, key: username } }
          envFrom:
            - configMapRef: { name: settings }
              prefix: CFG_`) + SETTINGS);
    stepN(s, 20);
    const env = out(s, `kubectl exec ${web(s).metadata.name} -- env`).split('\n');
    expect(env).toEqual(expect.arrayContaining(['CFG_MODE=prod', 'LEVEL=prod', 'DB_USER=admin']));
  });

  it('kubectl exec -- env resolves the downward API: fieldRef (name, namespace, node, pod IP, a label) and resourceFieldRef (limits, requests, divisor)', () => {
    const s = simOf(APP(`          env:
            - name: MY_POD
              valueFrom: { fieldRef: { fieldPath: metadata.name } }
            - name: MY_NS
              valueFrom: { fieldRef: { fieldPath: metadata.namespace } }
            - name: MY_NODE
              valueFrom: { fieldRef: { fieldPath: spec.nodeName } }
            - name: MY_IP
              valueFrom: { fieldRef: { fieldPath: status.podIP } }
            - name: MY_APP
              valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } }
            - name: CPU_REQ_M
              valueFrom: { resourceFieldRef: { resource: requests.cpu, divisor: 1m } }
            - name: CPU_REQ
              valueFrom: { resourceFieldRef: { resource: requests.cpu } }
            - name: MEM_REQ_MI
              valueFrom: { resourceFieldRef: { resource: requests.memory, divisor: 1Mi } }
            - name: MEM_LIMIT
              valueFrom: { resourceFieldRef: { resource: limits.memory } }`));
    stepN(s, 20);
    const pod = web(s);
    const env = out(s, `kubectl exec ${pod.metadata.name} -- env`).split('\n');
    const ip = out(s, `kubectl get pod ${pod.metadata.name} -o jsonpath={.status.podIP}`);
    expect(ip).toMatch(/^10\.244\./);
    // No memory limit: the Node's allocatable, in bytes (MergeContainerResourceLimits).
    const alloc = s.nodes[pod.spec.nodeName!]!.status.allocatable.memory;
    expect(alloc).toMatch(/^\d+Mi$|^\d+Gi$/);
    const bytes = parseInt(alloc, 10) * (alloc.endsWith('Gi') ? 2 ** 30 : 2 ** 20);
    expect(env).toEqual(expect.arrayContaining([
      `MY_POD=${pod.metadata.name}`, 'MY_NS=default', `MY_NODE=${pod.spec.nodeName}`, `MY_IP=${ip}`, 'MY_APP=web',
      'CPU_REQ_M=100', 'CPU_REQ=1', 'MEM_REQ_MI=64', `MEM_LIMIT=${bytes}`,
    ]));
  });

  it('optional: true starts without the key or object; a missing Secret key names the Secret', () => {
    const opt = simOf(APP(`          env:
            - name: A
              valueFrom: { configMapKeyRef: { name: nowhere, key: A, optional: true } }
            - name: B
              valueFrom: { secretKeyRef: { name: db-creds, key: nokey, optional: true } }
          envFrom:
            - configMapRef: { name: nothing, optional: true }`) + SETTINGS);
    stepN(opt, 20);
    expect(web(opt).status.phase).toBe('Running');
    const sec = simOf(APP(`          env:
            - name: PASSWORD
              valueFrom: { secretKeyRef: { name: db-creds, key: pass } }`) + SETTINGS);
    stepN(sec, 20);
    expect(waiting(web(sec))?.message).toBe("couldn't find key pass in Secret default/db-creds");
    const gone = simOf(APP(`          envFrom:
            - secretRef: { name: absent }`));
    stepN(gone, 20);
    expect(waiting(web(gone))?.message).toBe('secret "absent" not found');
    expect(typeCommand(gone, 'kubectl create secret generic absent --from-literal=x=y')).toBe('secret/absent created');
    const at = gone.t;
    expect(until(gone, () => web(gone).status.phase === 'Running', 15)! - at).toBeLessThanOrEqual(10);
  });

  it('a configMap volume mounts once the ConfigMap is created (FailedMount until then)', () => {
    const s = simOf(APP(`          volumeMounts: [{ name: cfg, mountPath: /etc/app }]
      volumes:
        - { name: cfg, configMap: { name: files } }`));
    stepN(s, 20);
    const pod = web(s);
    expect(s.events.some((e) => e.object.name === pod.metadata.name && e.reason === 'FailedMount' && e.message === 'MountVolume.SetUp failed for volume "cfg" : configmap "files" not found')).toBe(true);
    expect(typeCommand(s, 'kubectl create configmap files --from-literal=app.conf=x')).toBe('configmap/files created');
    // the volume manager's next retry (back-off 1, 2, 4 ... 16 s by now) mounts it
    expect(until(s, () => web(s).status.phase === 'Running', 40)).not.toBeNull();
  });

  it('missing-config incident: creating the missing ConfigMap from the console fixes the new Pod within 10 s', () => {
    const s = createSim(shopInput({ rps: 200, incidents: [{ id: 'cfg', type: 'missing-config', at: 30, target: 'api', params: {} }] }));
    stepN(s, 70);
    const stuck = podsOf(s, 'api').filter((p) => (p.spec.containers[0]!.envFrom ?? []).length > 0);
    expect(stuck).toHaveLength(1);
    expect(waiting(stuck[0]!)?.reason).toBe('CreateContainerConfigError');
    expect(typeCommand(s, 'kubectl create configmap api-config --from-literal=MODE=prod')).toBe('configmap/api-config created');
    const at = s.t;
    const name = stuck[0]!.metadata.name;
    const ran = until(s, () => s.pods[`default/${name}`]?.status.containerStatuses[0]?.state.running !== undefined, 20);
    expect(ran).not.toBeNull();
    expect(ran! - at).toBeLessThanOrEqual(10);
    // the rollout then completes and the incident counts as mitigated
    expect(until(s, () => s.incidents[0]!.status === 'mitigated', 120)).not.toBeNull();
  });
});
