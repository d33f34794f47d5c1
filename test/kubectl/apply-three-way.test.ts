/**
 * (issue 6) The console's `kubectl apply -f` is kubectl's client-side apply: a create stores the file
 * as the `kubectl.kubernetes.io/last-applied-configuration` annotation (the object's JSON, keys sorted,
 * namespace filled in), and a later apply removes what that annotation names and the new file leaves
 * out (labels, annotations, a Deployment's env entry, a ConfigMap key), as real kubectl's three-way
 * patch does (K staging/src/k8s.io/kubectl/pkg/cmd/apply/patcher.go). `get -o yaml` shows the
 * annotation as a `|` literal block, as kubectl prints it.
 */
import { describe, expect, it } from 'vitest';
import { createSim } from '../../shared/sim/index.ts';
import { pipe } from './pipe.ts';
import { shopInput, stepN, typeCommand } from '../sim/game-fixtures.ts';

const LAST = 'kubectl.kubernetes.io/last-applied-configuration';

const deploy = (labels: string, env: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: tool
  labels:
    app: tool
${labels}spec:
  replicas: 1
  selector:
    matchLabels:
      app: tool
  template:
    metadata:
      labels:
        app: tool
    spec:
      containers:
        - name: tool
          image: nginx:1.27
          env:
            - name: MODE
              value: fast
${env}          resources:
            requests:
              cpu: 10m
              memory: 16Mi
`;

const cm = (data: string, labels = '') => `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
${labels === '' ? '' : `  labels:\n${labels}`}data:
  a: "1"
${data}`;

describe('kubectl apply -f: last-applied-configuration and the three-way removal (issue 6)', () => {
  it('a Deployment: the annotation is stored; a label, an annotation and an env entry dropped from the file are removed', () => {
    const s = createSim(shopInput());
    stepN(s, 3);
    const v1 = deploy('    tier: tools\n  annotations:\n    owner: ops\n', '            - name: DEBUG\n              value: "1"\n');
    expect(pipe(s, 'kubectl apply -f -', v1)).toBe('deployment.apps/tool created');
    const d = s.deployments['default/tool']!;
    expect(JSON.parse(d.metadata.annotations[LAST]!)).toMatchObject({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'tool', namespace: 'default', labels: { app: 'tool', tier: 'tools' }, annotations: { owner: 'ops' } } });
    expect(d.metadata.annotations[LAST]!.startsWith('{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"annotations":{"owner":"ops"},"labels":{"app":"tool","tier":"tools"},"name":"tool","namespace":"default"},"spec":')).toBe(true);
    expect(d.metadata.annotations[LAST]!.endsWith('}\n')).toBe(true);
    expect(pipe(s, 'kubectl apply -f -', v1)).toBe('deployment.apps/tool unchanged');
    // a label added by hand (not in last-applied) stays, as with real kubectl
    expect(typeCommand(s, 'kubectl label deployment tool manual=yes')).toBe('deployment.apps/tool labeled');
    const v2 = deploy('', '');
    expect(pipe(s, 'kubectl apply -f -', v2)).toBe('deployment.apps/tool configured');
    stepN(s, 2);
    const after = s.deployments['default/tool']!;
    expect(after.metadata.labels).toEqual({ app: 'tool', manual: 'yes' });
    expect(after.metadata.annotations['owner']).toBeUndefined();
    expect(after.spec.template.spec.containers[0]!.env?.map((e) => e.name)).toEqual(['MODE']);
    expect(JSON.parse(after.metadata.annotations[LAST]!).metadata).toEqual({ annotations: {}, labels: { app: 'tool' }, name: 'tool', namespace: 'default' });
    expect(pipe(s, 'kubectl apply -f -', v2)).toBe('deployment.apps/tool unchanged');
    // get -o yaml prints it as kubectl does: a `|` literal block (the JSON ends with a newline)
    const yaml = typeCommand(s, 'kubectl get deployment tool -o yaml');
    expect(yaml).toContain(`    ${LAST}: |\n      {"apiVersion":"apps/v1","kind":"Deployment",`);
  });

  it('a ConfigMap: a dropped key and label are removed; an object created by create -f gets the warning once', () => {
    const s = createSim(shopInput());
    stepN(s, 3);
    expect(pipe(s, 'kubectl apply -f -', cm('  b: "2"\n', '    team: a\n'))).toBe('configmap/settings created');
    expect(pipe(s, 'kubectl apply -f -', cm(''))).toBe('configmap/settings configured');
    const c = s.configMaps!['default/settings']!;
    expect(Object.keys(c.data ?? {})).toEqual(['a']);
    expect(c.metadata.labels['team']).toBeUndefined();
    expect(pipe(s, 'kubectl create -f -', cm('', '').replace('settings', 'other'))).toBe('configmap/other created');
    expect(s.configMaps!['default/other']!.metadata.annotations[LAST]).toBeUndefined();
    expect(pipe(s, 'kubectl apply -f -', cm('').replace('settings', 'other'))).toMatch(/^Warning: resource configmaps\/other is missing the kubectl.kubernetes.io\/last-applied-configuration annotation which is required by kubectl apply\. .*\nconfigmap\/other configured$/);
    expect(pipe(s, 'kubectl apply -f -', cm('').replace('settings', 'other'))).toBe('configmap/other unchanged');
  });
});
