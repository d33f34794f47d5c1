/**
 * `kubectl apply -f -` / `create -f -` of pasted YAML and `kubectl edit` in the console (issue 7):
 * what a player reads (kubectl's lines) and what the cluster shows afterwards. The document -> action
 * mapping is the Kubernetes API's own (server/rooms/stdin.ts `K8S_WRITES`: server/k8s/writes.ts and
 * desired.ts), applied with the sim's action handlers.
 */
import { describe, it, expect } from 'vitest';
import { createSim } from '../../shared/sim/index.ts';
import { EDIT_HEADER, parseHeredoc, readsInput } from '../../shared/kubectl/stdinLine.ts';
import { pipe } from './pipe.ts';
import { shopInput, stepN, typeCommand } from '../sim/game-fixtures.ts';
import { manifestOf } from './manifests.ts';

/** Runs a stdin command as the room does: each step's actions applied in order; kubectl's lines joined. */

const WEB = (replicas: number, image: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: ${image}
          ports:
            - containerPort: 80
          resources:
            requests:
              cpu: 100m
              memory: 128Mi
`;
const WEB_SVC = `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
    - port: 80
      targetPort: 80
`;

describe('kubectl apply -f - of pasted YAML', () => {
  it('creates, then configures, then leaves unchanged, document by document', () => {
    const s = createSim(shopInput());
    expect(pipe(s, 'kubectl apply -f -', `${WEB(2, 'nginx:1.27')}---\n${WEB_SVC}`)).toBe('deployment.apps/web created\nservice/web created');
    stepN(s, 3);
    expect(typeCommand(s, 'kubectl get deployment web')).toMatch(/^web\s/m);
    expect(typeCommand(s, 'kubectl get svc web')).toMatch(/^web\s+ClusterIP/m);
    expect(pipe(s, 'kubectl apply -f -', `${WEB(2, 'nginx:1.27')}---\n${WEB_SVC}`)).toBe('deployment.apps/web unchanged\nservice/web unchanged');
    expect(pipe(s, 'kubectl apply -f -', WEB(4, 'nginx:1.28'))).toBe('deployment.apps/web configured');
    expect(s.deployments['default/web']!.spec.replicas).toBe(4);
    expect(s.deployments['default/web']!.spec.template.spec.containers[0]!.image).toBe('nginx:1.28');
    expect(pipe(s, 'kubectl create -f -', WEB_SVC)).toBe('Error from server (AlreadyExists): error when creating "STDIN": services "web" already exists');
    expect(pipe(s, 'kubectl apply --dry-run=server -f -', WEB(5, 'nginx:1.29'))).toBe('deployment.apps/web configured (server dry run)');
    expect(pipe(s, 'kubectl apply -f - --dry-run=client -o name', WEB_SVC.replaceAll('web', 'other'))).toBe('service/other (dry run)');
    expect(s.deployments['default/web']!.spec.replicas).toBe(4);
    expect(s.services['default/other']).toBeUndefined();
  });

  it('refuses bad documents with kubectl\'s wording and applies none of them', () => {
    const s = createSim(shopInput());
    expect(pipe(s, 'kubectl apply -f -', `${WEB(2, 'nginx')}---\nmetadata:\n  name: x\n`)).toBe('error: error validating "STDIN": error validating data: [apiVersion not set, kind not set]; if you choose to ignore these errors, turn validation off with --validate=false');
    expect(s.deployments['default/web']).toBeUndefined();
    expect(pipe(s, 'kubectl apply -f -', 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: cfg\n')).toMatch(/^error: resource mapping not found for name: "cfg" namespace: "" from "STDIN": no matches for kind "Widget" in version "example.com\/v1"/);
    // (issue 6) a bare Pod is applied now: one without a spec is refused by the manifest validation
    expect(pipe(s, 'kubectl apply -f -', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n')).toMatch(/^error: error validating data: document 1 \(Pod "p"\): spec: /);
    expect(pipe(s, 'kubectl apply -f -', 'kind: [\n')).toMatch(/^error: error parsing STDIN: error converting YAML to JSON: yaml: line \d+: /);
    expect(pipe(s, 'kubectl apply -f web.yaml', 'apiVersion: v1\n')).toBe('error: error validating "web.yaml": error validating data: kind not set; if you choose to ignore these errors, turn validation off with --validate=false');
    expect(pipe(s, 'kubectl -n shop apply -f -', WEB(1, 'nginx').replace('name: web\n', 'name: web\n  namespace: other\n'))).toBe(`error: the namespace from the provided object "other" does not match the namespace "shop". You must pass '--namespace=other' to perform this operation.`);
  });

  it('answers a change the game cannot make as the API server does (422, naming the field)', () => {
    const s = createSim(shopInput());
    const api = typeCommand(s, 'kubectl get deployment api -o yaml');
    const changed = api.replace(/progressDeadlineSeconds: \d+/, 'progressDeadlineSeconds: 999');
    expect(changed).not.toBe(api);
    expect(pipe(s, 'kubectl apply -f -', changed)).toMatch(/^Error from server \(Invalid\): error when applying patch to deployments.apps "api" from "STDIN": deployments.apps "api" patch touches spec.progressDeadlineSeconds/);
  });

  it('a realistic 10 KB multi-document manifest applies', () => {
    const s = createSim(shopInput());
    const docs = manifestOf(8);
    expect(docs.length).toBeGreaterThan(10_000);
    const out = pipe(s, 'kubectl apply -f -', docs).split('\n');
    expect(out).toHaveLength(16);
    expect(out.slice(0, 2)).toEqual(['deployment.apps/web-0 created', 'service/web-0 created']);
    expect(out[15]).toBe('service/web-7 created');
    stepN(s, 5);
    expect(typeCommand(s, 'kubectl get deploy web-7')).toMatch(/^web-7\s+\d\/2/m);
    expect(pipe(s, 'kubectl apply -f -', docs).split('\n').every((l) => l.endsWith(' unchanged'))).toBe(true);
    expect(pipe(s, 'kubectl apply -f -', manifestOf(26))).toBe('error: STDIN holds more than 50 objects; the console applies at most 50 at once: split it');
  });

  it('knows which lines open the editor', () => {
    expect(readsInput('kubectl apply -f -')).toBe('apply');
    expect(readsInput('k -n shop create -f web.yaml')).toBe('apply');
    expect(readsInput('kubectl edit deploy web')).toBe('edit');
    expect(readsInput('kubectl get pods')).toBeNull();
    expect(readsInput('kubectl apply')).toBeNull();
    expect(readsInput('kubectl create deployment web --image=nginx')).toBeNull();
    // the same lines as plain commands (no editor: the headless CLI, bots)
    expect(typeCommand(createSim(shopInput()), 'kubectl apply -f -')).toMatch(/^error: kubectl apply -f reads YAML from standard input: in the web console, kubectl apply -f - opens an editor/);
    expect(typeCommand(createSim(shopInput()), 'kubectl create deployment web --image=nginx')).toBe('error: kubectl create deployment is not supported in this console: paste a manifest with kubectl create -f - (it opens an editor in the web console)');
  });

  it('reads a pasted heredoc as the command and its input', () => {
    expect(parseHeredoc(`kubectl apply -f - <<EOF\n${WEB_SVC}EOF\n`)).toEqual({ command: 'kubectl apply -f -', stdin: WEB_SVC, complete: true });
    expect(parseHeredoc(`cat <<'EOF' | kubectl -n shop apply -f -\n${WEB_SVC}EOF`)).toEqual({ command: 'kubectl -n shop apply -f -', stdin: WEB_SVC, complete: true });
    expect(parseHeredoc(`kubectl apply -f - <<-END\n\tkind: Service\n\tEND\n`)).toEqual({ command: 'kubectl apply -f -', stdin: 'kind: Service\n', complete: true });
    expect(parseHeredoc('kubectl apply -f - <<EOF\napiVersion: v1')).toEqual({ command: 'kubectl apply -f -', stdin: 'apiVersion: v1', complete: false });
    expect(parseHeredoc('kubectl get pods\nkubectl get nodes')).toBeNull();
    expect(parseHeredoc('cat <<EOF > x.yaml\nEOF')).toBeNull();
  });
});

describe('kubectl edit in the console', () => {
  it('opens the YAML kubectl get -o yaml prints; a saved change is applied, no change is a cancel', () => {
    const s = createSim(shopInput());
    const yaml = pipe(s, 'kubectl edit deployment api');
    expect(yaml).toBe(typeCommand(s, 'kubectl get deployment api -o yaml'));
    expect(pipe(s, 'kubectl edit deployment api', EDIT_HEADER + yaml)).toBe('Edit cancelled, no changes made.');
    expect(pipe(s, 'kubectl edit deployment api', EDIT_HEADER)).toBe('Edit cancelled, saved file was empty.');
    const replicas = s.deployments['default/api']!.spec.replicas;
    expect(pipe(s, 'kubectl edit deploy/api', `# Please edit the object below.\n${yaml.replace(/^ {2}replicas: \d+$/m, `  replicas: ${replicas + 2}`)}`)).toBe('deployment.apps/api edited');
    expect(s.deployments['default/api']!.spec.replicas).toBe(replicas + 2);
  });

  it('an invalid edit shows kubectl\'s error; a missing object is NotFound', () => {
    const s = createSim(shopInput());
    const yaml = pipe(s, 'kubectl edit deployment api');
    expect(pipe(s, 'kubectl edit deployment api', yaml.replace(/progressDeadlineSeconds: \d+/, 'progressDeadlineSeconds: 5'))).toMatch(/^error: deployments.apps "api" is invalid\n\* spec.progressDeadlineSeconds: /);
    expect(pipe(s, 'kubectl edit deployment api', yaml.replace(/^ {2}name: api$/m, '  name: other'))).toBe('error: At least one of apiVersion, kind and name was changed');
    expect(pipe(s, 'kubectl edit deployment api', 'kind: [')).toMatch(/^error: error parsing edited file/);
    expect(pipe(s, 'kubectl edit deployment nope')).toBe('Error from server (NotFound): deployments.apps "nope" not found');
    expect(pipe(s, 'kubectl edit cm x')).toMatch(/^error: the console cannot edit "cm"/);
  });
});

describe('apply and edit of the policy kinds (HPA, PDB, ResourceQuota)', () => {
  it('an HPA is created by apply, then configured; a PDB is edited; a quota is applied', () => {
    const s = createSim(shopInput({ incidents: [
      { id: 'maint', type: 'pdb-drain', at: 1, target: 'node-a', params: { deployment: 'api' } },
      { id: 'quota', type: 'resource-quota', at: 1, target: 'frontend', params: {} },
    ] }));
    stepN(s, 3);
    const hpa = (max: number) => `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: api
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: api
  minReplicas: 2
  maxReplicas: ${max}
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: 70
`;
    expect(pipe(s, 'kubectl apply -f -', hpa(6))).toBe('horizontalpodautoscaler.autoscaling/api created');
    expect(typeCommand(s, 'kubectl get hpa api')).toMatch(/^api\s+Deployment\/api\s.*\s2\s+6\s/m);
    expect(pipe(s, 'kubectl apply -f -', hpa(6))).toBe('horizontalpodautoscaler.autoscaling/api unchanged');
    expect(pipe(s, 'kubectl apply -f -', hpa(9))).toBe('horizontalpodautoscaler.autoscaling/api configured');
    expect(typeCommand(s, 'kubectl get hpa api')).toMatch(/\s2\s+9\s/);

    const pdbName = typeCommand(s, 'kubectl get pdb -o name').split('\n')[0]!.replace(/^[^/]+\//, '');
    const pdb = pipe(s, `kubectl edit pdb ${pdbName}`);
    expect(pdb).toMatch(/^kind: PodDisruptionBudget$/m);
    const min = /minAvailable: (\d+)/.exec(pdb)![1]!;
    expect(pipe(s, `kubectl edit pdb ${pdbName}`, pdb.replace(/minAvailable: \d+/, `minAvailable: ${Number(min) - 1}`))).toBe(`poddisruptionbudget.policy/${pdbName} edited`);
    expect(typeCommand(s, `kubectl get pdb ${pdbName} -o jsonpath={.spec.minAvailable}`)).toBe(String(Number(min) - 1));

    const quota = pipe(s, 'kubectl edit quota compute-quota');
    const raised = quota.replace(/requests\.cpu: \S+/, 'requests.cpu: "8"');
    expect(raised).not.toBe(quota);
    expect(pipe(s, 'kubectl apply -f -', raised)).toMatch(/^Warning: resource resourcequotas\/compute-quota is missing the kubectl.kubernetes.io\/last-applied-configuration annotation .*\nresourcequota\/compute-quota configured$/); // the scenario's quota: no annotation yet
    expect(typeCommand(s, 'kubectl describe quota compute-quota')).toMatch(/requests\.cpu\s+\S+\s+8/);
    // (issue 11) A new ResourceQuota is created (it was refused before: no action created one).
    expect(pipe(s, 'kubectl apply -f -', raised.replace('name: compute-quota', 'name: new-quota'))).toBe('resourcequota/new-quota created');
    expect(typeCommand(s, 'kubectl get quota new-quota -o name')).toBe('resourcequota/new-quota');
  });
});

describe('kubectl edit of a Node or a Pod (the fields their actions change)', () => {
  it('cordons a Node by spec.unschedulable, taints it, and uncordons it by deleting the line', () => {
    const s = createSim(shopInput());
    const yaml = pipe(s, 'kubectl edit node node-a');
    expect(yaml).toBe(typeCommand(s, 'kubectl get node node-a -o yaml'));
    expect(pipe(s, 'kubectl edit node node-a', yaml)).toBe('Edit cancelled, no changes made.');
    // bool omitempty: a schedulable Node prints no `unschedulable: false` (and no empty namespace)
    expect(yaml).not.toMatch(/unschedulable|namespace: ""/);
    const cordoned = yaml.replace('spec: {}\n', 'spec:\n  taints:\n    - key: dedicated\n      value: db\n      effect: NoSchedule\n  unschedulable: true\n');
    expect(cordoned).not.toBe(yaml);
    expect(pipe(s, 'kubectl edit no/node-a', cordoned)).toBe('node/node-a edited');
    expect(typeCommand(s, 'kubectl get node node-a')).toMatch(/SchedulingDisabled/);
    expect(s.nodes['node-a']!.spec.taints).toMatchObject([{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }]);
    const now = pipe(s, 'kubectl edit node node-a');
    expect(pipe(s, 'kubectl edit node node-a', now.replace(/^ {2}unschedulable: true\n/m, ''))).toBe('node/node-a edited');
    expect(typeCommand(s, 'kubectl get node node-a')).not.toMatch(/SchedulingDisabled/);
  });

  it('relabels a Pod; a change to its spec is refused naming the field', () => {
    const s = createSim(shopInput());
    const pod = typeCommand(s, 'kubectl get pods -o name').split('\n')[0]!.replace('pod/', '');
    const yaml = pipe(s, `kubectl edit pod ${pod}`);
    expect(pipe(s, `kubectl edit pod ${pod}`, yaml.replace(/^ {4}app: (\S+)$/m, '    app: debug'))).toBe(`pod/${pod} edited`);
    expect(typeCommand(s, 'kubectl get pods -l app=debug -o name')).toBe(`pod/${pod}`);
    expect(pipe(s, `kubectl edit pod ${pod}`, pipe(s, `kubectl edit pod ${pod}`).replace(/nodeName: \S+/, 'nodeName: node-c'))).toMatch(new RegExp(`^error: pods "${pod}" is invalid\n\\* spec: `));
    // (issue 6) apply of an existing Pod: its labels back as the served YAML had them
    // a Pod its ReplicaSet created has no last-applied annotation: kubectl warns and patches it in
    expect(pipe(s, 'kubectl apply -f -', yaml)).toBe(`Warning: resource pods/${pod} is missing the kubectl.kubernetes.io/last-applied-configuration annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.\npod/${pod} configured`);
  });
});
