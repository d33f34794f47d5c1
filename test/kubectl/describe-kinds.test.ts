/**
 * `kubectl describe` of every workload and policy kind in the console (issue 6, "describe (name-prefix
 * match, all real sections, Events with aggregation)"): jobs, cronjobs, statefulsets, daemonsets,
 * replicasets, limitranges beside pods, deployments, services, nodes, hpa, pdb and quota. The layouts
 * follow K staging/src/k8s.io/kubectl/pkg/describe/describe.go and were compared with real kubectl
 * v1.32 against `gameday kube --manifests` of the same fixture (kubectl there omits the lines our API
 * does not serve, e.g. the StatefulSet's update strategy; a real cluster prints them, as here).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../shared/manifests/load.ts';
import { manifestsOnlyInput } from '../../shared/scenario/toSimInput.ts';
import { createSim, step } from '../../shared/sim/index.ts';
import { runKubectl } from '../../shared/kubectl/index.ts';

const FIXTURE = readFileSync(new URL('../fixtures/manifests/every-workload.yaml', import.meta.url), 'utf8');
const LIMITS = `---
apiVersion: v1
kind: LimitRange
metadata: { name: defaults }
spec: { limits: [{ type: Container, max: { memory: 1Gi }, defaultRequest: { cpu: 100m } }] }
---
apiVersion: v1
kind: ResourceQuota
metadata: { name: pods }
spec: { hard: { pods: "50" } }
`;

function sim(seconds: number): ReturnType<typeof createSim> {
  const s = createSim(manifestsOnlyInput(loadManifests(FIXTURE + LIMITS, { source: 'every-workload.yaml' }), { seed: 1 }));
  for (let i = 0; i < seconds; i++) step(s);
  return s;
}

function out(s: ReturnType<typeof createSim>, line: string): string {
  const r = runKubectl(s, line);
  if (r.kind === 'output') return r.output;
  if (r.kind === 'error') return `ERROR ${r.error}`;
  throw new Error('an action');
}

/** The top-level field labels of a describe block, in order (`Name`, `Namespace`, ... `Events`). */
function labels(text: string): string[] {
  return text.split('\n').filter((l) => /^[A-Z][\w -]*:/.test(l)).map((l) => l.slice(0, l.indexOf(':')));
}

describe('kubectl describe of the other kinds', () => {
  const s = sim(400); // the CronJob (*/5) has run at 300 s

  it('job: the describeJob fields, its Pod template and Events', () => {
    const text = out(s, 'kubectl describe job migrate');
    expect(labels(text)).toEqual(['Name', 'Namespace', 'Selector', 'Labels', 'Annotations', 'Parallelism', 'Completions', 'Completion Mode', 'Suspend', 'Backoff Limit', 'Start Time', 'Completed At', 'Duration', 'Pods Statuses', 'Pod Template', 'Events']);
    expect(text).toMatch(/^Duration:\s+10s$/m);
    expect(text).toMatch(/^Pods Statuses:\s+0 Active \(0 Ready\) \/ 1 Succeeded \/ 0 Failed$/m);
    expect(text).toMatch(/Events:\n {2}Type {4}Reason {5}Age {4}From {12}Message\n {2}---- {4}------ {5}---- {3}---- {12}-------\n {2}Normal {2}Completed {2}6m30s {2}job-controller {2}Job completed$/);
  });

  it('container blocks: Port / Host Port, Environment and Mounts (`<none>` in the same columns) as describe.go describeContainers prints them', () => {
    const text = out(s, 'kubectl describe job migrate');
    const block = text.slice(text.indexOf('  Containers:\n'), text.indexOf('  Volumes:'));
    expect(block).toBe(['  Containers:', '   m:', '    Image:      busybox:1.36', '    Port:       <none>', '    Host Port:  <none>', '    Requests:', '      cpu:     50m', '      memory:  32Mi', '    Environment:  <none>', '    Mounts:       <none>', ''].join('\n'));
    const pod = out(s, 'kubectl describe pod db-0');
    expect(pod).toMatch(/^ {4}Mounts: {7}<none>$/m);
    expect(pod).toMatch(/^Controlled By: {4}StatefulSet\/db$/m); // describe.go printController: the controller's kind
  });

  it('cronjob: schedule, history limits, Last Schedule Time, Active Jobs, Events; a Job it made is Controlled By it', () => {
    const text = out(s, 'kubectl describe cronjob report');
    expect(labels(text)).toEqual(['Name', 'Namespace', 'Labels', 'Annotations', 'Schedule', 'Concurrency Policy', 'Suspend', 'Successful Job History Limit', 'Failed Job History Limit', 'Starting Deadline Seconds', 'Selector', 'Parallelism', 'Completions', 'Pod Template', 'Last Schedule Time', 'Active Jobs', 'Events']);
    expect(text).toMatch(/^Successful Job History Limit: {2}3$/m);
    expect(text).toMatch(/^Last Schedule Time: {2}Wed, 01 Jan 2025 00:05:00 \+0000$/m);
    expect(text).toMatch(/Normal\s+SuccessfulCreate\s+100s\s+cronjob-controller\s+Created job report-\d+$/m);
    // name-prefix match: `report` names no Job, so every Job whose name starts with it is described
    expect(out(s, 'kubectl describe job report')).toMatch(/^Name:\s+report-\d+\n[\s\S]*^Controlled By:\s+CronJob\/report$/m);
  });

  it('statefulset, daemonset, replicaset: their counts and Pods Status', () => {
    const sts = out(s, 'kubectl describe sts db');
    expect(labels(sts)).toEqual(['Name', 'Namespace', 'CreationTimestamp', 'Selector', 'Labels', 'Annotations', 'Replicas', 'Update Strategy', 'Pods Status', 'Pod Template', 'Volume Claims', 'Events']);
    expect(sts).toMatch(/^Replicas:\s+1 desired \| 1 total$/m);
    expect(sts).toMatch(/^Pods Status:\s+1 Running \/ 0 Waiting \/ 0 Succeeded \/ 0 Failed$/m);
    const ds = out(s, 'kubectl describe daemonset agent');
    expect(ds).toMatch(/^Name: {11}agent\nSelector: {7}app=agent\nNode-Selector: {2}<none>\n/); // no Namespace line, as describeDaemonSet
    expect(ds).toMatch(/^Desired Number of Nodes Scheduled: 6\nCurrent Number of Nodes Scheduled: 6\nNumber of Nodes Scheduled with Up-to-date Pods: 6\nNumber of Nodes Scheduled with Available Pods: 6\nNumber of Nodes Misscheduled: 0\nPods Status: {2}6 Running/m);
    const rs = out(s, 'kubectl describe rs web'); // prefix of web-<hash>
    expect(labels(rs)).toEqual(['Name', 'Namespace', 'Selector', 'Labels', 'Annotations', 'Controlled By', 'Replicas', 'Pods Status', 'Pod Template', 'Events']);
    expect(rs).toMatch(/^Replicas:\s+2 current \/ 2 desired$/m);
    expect(rs).toMatch(/^Controlled By:\s+Deployment\/web$/m);
  });

  it('limitrange: the Type / Resource / Min / Max / Default table (the API server\'s item defaults), no Events; as real kubectl 1.32 prints it (Type one space wider)', () => {
    const text = out(s, 'kubectl describe limits');
    expect(text).toBe([
      'Name:       defaults',
      'Namespace:  default',
      'Type        Resource  Min  Max  Default Request  Default Limit  Max Limit/Request Ratio',
      '----        --------  ---  ---  ---------------  -------------  -----------------------',
      'Container   cpu       -    -    100m             -              -',
      'Container   memory    -    1Gi  1Gi              1Gi            -',
    ].join('\n'));
  });

  it('namespaces: get ns (NAME STATUS AGE), describe ns with its quotas and LimitRanges', () => {
    expect(out(s, 'kubectl get ns')).toBe(['NAME              STATUS   AGE', 'default           Active   6m40s', 'kube-node-lease   Active   6m40s', 'kube-public       Active   6m40s', 'kube-system       Active   6m40s'].join('\n'));
    const used = Object.values(s.pods).filter((p) => p.status.phase !== 'Succeeded' && p.status.phase !== 'Failed').length;
    expect(out(s, 'kubectl describe ns default')).toBe([
      'Name:         default',
      'Labels:       kubernetes.io/metadata.name=default',
      'Annotations:  <none>',
      'Status:       Active',
      '',
      'Resource Quotas',
      '  Name:            pods',
      '  Resource  Used  Hard',
      '  --------  ---   ---',
      `  pods      ${String(used).padEnd(4)}  50`,
      '',
      'Resource Limits',
      ' Type       Resource  Min  Max  Default Request  Default Limit  Max Limit/Request Ratio',
      ' ----       --------  ---  ---  ---------------  -------------  -----------------------',
      ' Container  cpu       -    -    100m             -              -',
      ' Container  memory    -    1Gi  1Gi              1Gi            -',
    ].join('\n'));
    expect(out(s, 'kubectl describe namespace kube-system')).toMatch(/Status:\s+Active\n\nNo resource quota\.\n\nNo LimitRange resource\.$/);
    expect(out(s, 'kubectl get ns nope')).toBe('ERROR Error from server (NotFound): namespaces "nope" not found');
  });

  it('endpointslices: get prints the discovery/v1 columns, describe the Ports table and one block per endpoint (as real kubectl)', () => {
    expect(out(s, 'kubectl get endpointslices').split('\n')[0]).toMatch(/^NAME\s+ADDRESSTYPE\s+PORTS\s+ENDPOINTS\s+AGE$/);
    const text = out(s, 'kubectl describe endpointslice web');
    expect(text).toMatch(/^Name: {9}web\nNamespace: {4}default\nLabels: {7}kubernetes\.io\/service-name=web\nAnnotations: {2}<none>\nAddressType: {2}IPv4\nPorts:\n {2}Name {5}Port {2}Protocol\n {2}---- {5}---- {2}--------\n {2}<unset> {2}80 {4}TCP\nEndpoints:\n/);
    const pods = Object.values(s.pods).filter((p) => p.metadata.labels['app'] === 'web').map((p) => p.metadata.name).sort();
    expect([...text.matchAll(/^ {4}TargetRef: {2}Pod\/(\S+)$/gm)].map((m) => m[1])).toEqual(pods);
    expect(text).toMatch(/^ {2}- Addresses: {2}10\.244\.\d+\.\d+\n {4}Conditions:\n {6}Ready: {4}true\n {4}Hostname: {3}<unset>\n/m);
  });

  it('a single name that matches nothing exactly describes every object with that prefix; none: NotFound', () => {
    const pods = out(s, 'kubectl describe pods agent');
    expect(pods.split('\n').filter((l) => l.startsWith('Name:'))).toHaveLength(6);
    expect(out(s, 'kubectl describe pod db-0').split('\n').filter((l) => l.startsWith('Name:'))).toEqual(['Name:             db-0']);
    expect(out(s, 'kubectl describe nodes node-a').split('\n').filter((l) => l.startsWith('Name:'))).toEqual(['Name:               node-a1', 'Name:               node-a2']);
    expect(out(s, 'kubectl describe sts nope')).toBe('ERROR Error from server (NotFound): statefulsets.apps "nope" not found');
    expect(out(s, 'kubectl describe cronjobs nope')).toBe('ERROR Error from server (NotFound): cronjobs.batch "nope" not found');
    expect(out(s, 'kubectl describe deploy nope')).toBe('ERROR Error from server (NotFound): deployments.apps "nope" not found');
  });
});
