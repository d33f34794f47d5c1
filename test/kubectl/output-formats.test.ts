/**
 * The console's kubectl output formats (issue 6, "The console, as real as kubectl"): `-o jsonpath=`
 * (fields, [*], range/end, filters), `-o custom-columns=`, `--sort-by`, `kubectl api-resources` and
 * `kubectl explain` (the same field descriptions the API serves as OpenAPI v3).
 */
import { describe, expect, it } from 'vitest';
import { applyAction, createSim, step } from '../../shared/sim/index.ts';
import { runKubectl } from '../../shared/kubectl/index.ts';
import { runJsonPath } from '../../shared/kubectl/jsonpath.ts';
import { podsOf, shopInput, stepN } from '../sim/game-fixtures.ts';

function out(s: ReturnType<typeof createSim>, line: string): string {
  const r = runKubectl(s, line);
  if (r.kind === 'output') return r.output;
  if (r.kind === 'error') return r.error;
  throw new Error('an action');
}

describe('kubectl -o jsonpath', () => {
  const s = createSim(shopInput());
  stepN(s, 5);
  const names = Object.values(s.pods).filter((p) => p.metadata.labels['app'] === 'frontend').map((p) => p.metadata.name).sort();

  it('prints fields, [*] lists separated by spaces, and range/end with literals', () => {
    expect(out(s, `kubectl get pods -l app=frontend -o jsonpath='{.items[*].metadata.name}'`)).toBe(names.join(' '));
    expect(out(s, `kubectl get pod ${names[0]} -o jsonpath='{.status.phase}'`)).toBe('Running');
    expect(out(s, `kubectl get pods -l app=frontend -o jsonpath='{range .items[*]}{.metadata.name}{"\\t"}{.status.phase}{"\\n"}{end}'`)).toBe(names.map((n) => `${n}\tRunning\n`).join(''));
    expect(out(s, `kubectl get deploy -o jsonpath='{.items[0].metadata.name}'`)).toBe('api');
    expect(out(s, `kubectl get nodes -o jsonpath='{.items[*].metadata.labels.topology\\.kubernetes\\.io/zone}'`)).toBe('zone-a zone-b zone-c');
  });

  it('filters [?(@.field=="value")]; a missing field prints nothing', () => {
    expect(out(s, `kubectl get deploy -o jsonpath='{.items[?(@.spec.replicas==2)].metadata.name}'`)).toBe('db');
    expect(out(s, `kubectl get deploy -o jsonpath='{.items[?(@.spec.replicas>2)].metadata.name}'`)).toBe('api frontend');
    // a missing field prints nothing, as kubectl get's default --allow-missing-template-keys=true (checked with real kubectl 1.32)
    expect(out(s, `kubectl get deploy api -o jsonpath='{.spec.nope}x'`)).toBe('x');
    expect(() => runJsonPath('{.spec.nope}', { spec: {} }, false)).toThrow(/\.spec\.nope is not found/);
    expect(runJsonPath('{.a[-1]} {.a[0:2]} {..b}', { a: [1, 2, 3], c: { b: 'x' } })).toBe('3 1 2 x');
    expect(out(s, `kubectl get deploy -o jsonpath='{range .items[*]}'`)).toMatch(/^error: .*unterminated range/);
  });

  it('$-rooted expressions and unions [a,b] (client-go parseArray), as the kubectl JSONPath reference shows them', () => {
    expect(out(s, `kubectl get pod ${names[0]} -o jsonpath='{$.metadata.name}'`)).toBe(names[0]);
    expect(out(s, `kubectl get pods -l app=frontend -o jsonpath='{$.items[*].metadata.name}'`)).toBe(names.join(' '));
    // the reference's `{.items[*]['metadata.name', 'status.capacity']}`: every name, then every phase (evalUnion)
    expect(out(s, `kubectl get pods -l app=frontend -o jsonpath="{.items[*]['metadata.name', 'status.phase']}"`)).toBe([...names, ...names.map(() => 'Running')].join(' '));
    expect(out(s, `kubectl get pod ${names[0]} -o jsonpath="{['metadata.name']}"`)).toBe(names[0]);
    expect(runJsonPath('{.a[0,2]} {$.a[-1,0:2]} {.o[\'x\',"y"]}', { a: [1, 2, 3], o: { x: 'X', y: 'Y' } })).toBe('1 3 3 1 2 X Y');
  });
});

describe('kubectl -o yaml|json as Go omitempty serialises the object', () => {
  it('empty lists, empty maps and zero counters are omitted; struct fields and non-omitempty zeros stay', () => {
    const s = createSim(shopInput());
    stepN(s, 5);
    const text = [out(s, 'kubectl get deploy api -o yaml'), out(s, 'kubectl get pods -o yaml'), out(s, 'kubectl get svc -o yaml')].join('\n');
    for (const empty of [/ownerReferences: \[\]/, /labels: \{\}/, /annotations: \{\}/, /env: \[\]/, /minReadySeconds: 0/, /: \[\]$/m]) expect(text).not.toMatch(empty);
    expect(text).toMatch(/^ {6}restartCount: 0$/m); // not omitempty in core/v1 ContainerStatus
    expect(text).toMatch(/^ {6}lastState: \{\}$/m); // a struct
    expect(text).toMatch(/^ {4}loadBalancer: \{\}$/m);
    expect(JSON.parse(out(s, 'kubectl get deploy api -o json')).metadata.ownerReferences).toBeUndefined();
  });
});

describe('kubectl -o custom-columns and --sort-by', () => {
  it('custom columns from JSONPath, <none> when absent', () => {
    const s = createSim(shopInput());
    stepN(s, 5);
    const text = out(s, 'kubectl get deploy -o custom-columns=NAME:.metadata.name,REPLICAS:.spec.replicas,IMAGE:.spec.template.spec.containers[*].image,NOPE:.status.nope');
    expect(text.split('\n')).toEqual([
      expect.stringMatching(/^NAME\s+REPLICAS\s+IMAGE\s+NOPE$/),
      expect.stringMatching(/^api\s+3\s+shop\/api:v2\.0\.0\s+<none>$/),
      expect.stringMatching(/^db\s+2\s+shop\/db:v1\.0\.0\s+<none>$/),
      expect.stringMatching(/^frontend\s+3\s+shop\/frontend:v1\.4\.2\s+<none>$/),
    ]);
    expect(out(s, 'kubectl get pods -o custom-columns=NAME')).toMatch(/^error: unexpected custom-columns spec: NAME/);
  });

  it('--sort-by=.metadata.creationTimestamp and .status.containerStatuses[0].restartCount', () => {
    const s = createSim(shopInput());
    stepN(s, 5);
    const victim = podsOf(s, 'db')[0]!.metadata.name;
    expect(applyAction(s, 'alice', { type: 'deletePod', pod: victim }).ok).toBe(true);
    stepN(s, 30);
    const rows = out(s, 'kubectl get pods --sort-by=.metadata.creationTimestamp').split('\n').slice(1);
    const newest = rows.at(-1)!.split(/\s+/)[0]!;
    expect(newest.startsWith('db-')).toBe(true);
    expect(s.pods[`default/${newest}`]!.metadata.creationTimestamp).toBeGreaterThan(0);
    // a restart: OOM-kill one api pod by hand through a memory leak is long; bump via the model instead
    const api = podsOf(s, 'api')[1]!;
    api.status.containerStatuses[0]!.restartCount = 3;
    const byRestarts = out(s, 'kubectl get pods --sort-by=.status.containerStatuses[0].restartCount').split('\n').slice(1);
    expect(byRestarts.at(-1)!.startsWith(api.metadata.name)).toBe(true);
    step(s);
  });
});

describe('kubectl api-resources and explain', () => {
  const s = createSim(shopInput());

  it('api-resources lists the served kinds, core first, then by group', () => {
    const text = out(s, 'kubectl api-resources');
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^NAME\s+SHORTNAMES\s+APIVERSION\s+NAMESPACED\s+KIND$/);
    expect(text).toMatch(/\npods\s+po\s+v1\s+true\s+Pod\n/);
    expect(text).toMatch(/\nnodes\s+no\s+v1\s+false\s+Node\n/);
    expect(text).toMatch(/\ndeployments\s+deploy\s+apps\/v1\s+true\s+Deployment\n/);
    expect(text).toMatch(/\nhorizontalpodautoscalers\s+hpa\s+autoscaling\/v2\s+true\s+HorizontalPodAutoscaler\n/);
    expect(text).toMatch(/\ncronjobs\s+cj\s+batch\/v1\s+true\s+CronJob\n/);
    const kinds = lines.slice(1).map((l) => l.split(/\s+/).at(-1));
    expect(kinds.indexOf('Pod')).toBeLessThan(kinds.indexOf('Deployment'));
    expect(out(s, 'kubectl api-resources --namespaced=false')).not.toMatch(/\npods\s/);
  });

  it('explain prints KIND, VERSION, DESCRIPTION and FIELDS; a field path walks into its type', () => {
    const pods = out(s, 'kubectl explain pods');
    expect(pods).toMatch(/^KIND:\s+Pod\nVERSION:\s+v1\n\nDESCRIPTION:\n {4}\S/);
    expect(pods).toMatch(/\nFIELDS:\n {2}apiVersion\t<string>\n/);
    expect(pods).toMatch(/\n {2}spec\t<PodSpec>\n/);
    const containers = out(s, 'kubectl explain pods.spec.containers');
    expect(containers).toMatch(/FIELD: containers <\[\]Container>/);
    expect(containers).toMatch(/\n {2}image\t<string>\n/);
    // the same lines real kubectl prints from the API's OpenAPI v3 (test/k8s/kubectl-writes.test.ts)
    expect(containers).toMatch(/^ {2}name\t<string> -required-$/m);
    expect(containers).toMatch(/^ {2}resources\t<ResourceRequirements>$/m);
    expect(containers).toContain('Container image name.');
    const deploy = out(s, 'kubectl explain deployment.spec.replicas');
    expect(deploy).toMatch(/^GROUP:\s+apps\nKIND:\s+Deployment\nVERSION:\s+v1\n\nFIELD: replicas <integer>\n\nDESCRIPTION:\n/);
    expect(out(s, 'kubectl explain pods.spec.nope')).toBe('error: field "nope" does not exist');
    expect(out(s, 'kubectl explain hpa.spec')).toMatch(/^GROUP:\s+autoscaling\nKIND:\s+HorizontalPodAutoscaler\nVERSION:\s+v2\n\nFIELD: spec <HorizontalPodAutoscalerSpec>[\s\S]*\n {2}maxReplicas\t<integer> -required-\n/);
    expect(out(s, 'kubectl explain cronjob.spec.jobTemplate.spec.backoffLimit')).toMatch(/FIELD: backoffLimit <integer>\n\nDESCRIPTION:\n {4}Specifies the number of retries before marking this job failed.\s+Defaults to\s+6$/);
    expect(out(s, 'kubectl explain widgets')).toBe(`error: the server doesn't have a resource type "widgets"`);
  });

  it('explain --recursive: every level of fields, two spaces a level, names and types only, sorted (as kubectl 1.32; diffed with real kubectl in test/k8s/kubectl-writes.test.ts)', () => {
    const text = out(s, 'kubectl explain deployment.spec.strategy --recursive');
    expect(text).toMatch(/^GROUP:\s+apps\nKIND:\s+Deployment\nVERSION:\s+v1\n\nFIELD: strategy <DeploymentStrategy>\n\nDESCRIPTION:\n/);
    expect(text.slice(text.indexOf('FIELDS:'))).toBe('FIELDS:\n  rollingUpdate\t<RollingUpdateDeployment>\n    maxSurge\t<IntOrString>\n    maxUnavailable\t<IntOrString>\n  type\t<string>');
    const pods = out(s, 'kubectl explain pods --recursive');
    expect(pods).toMatch(/^ {2}spec\t<PodSpec>\n {4}containers\t<\[\]Container> -required-\n {6}args\t<\[\]string>\n/m);
    expect(pods).toMatch(/^ {6}name\t<string> -required-$/m); // spec.containers[].name
    expect(pods).not.toMatch(/Container image name\./); // no descriptions
  });
});
