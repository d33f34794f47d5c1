import { describe, it, expect } from 'vitest';
import { createSim } from '../../shared/sim/index.ts';
import { KUBECTL_HELP, runKubectl } from '../../shared/kubectl/index.ts';
import { podsOf, shopInput, stepN, typeCommand } from '../sim/game-fixtures.ts';

function out(state: Parameters<typeof runKubectl>[0], line: string): string {
  const r = runKubectl(state, line);
  if (r.kind !== 'output') throw new Error(`expected output for "${line}", got ${JSON.stringify(r)}`);
  return r.output;
}

function err(state: Parameters<typeof runKubectl>[0], line: string): string {
  const r = runKubectl(state, line);
  if (r.kind !== 'error') throw new Error(`expected an error for "${line}", got ${JSON.stringify(r)}`);
  return r.error;
}

describe('kubectl read commands', () => {
  const s = createSim(shopInput());
  stepN(s, 312);

  it('get pods prints kubectl columns with STATUS and AGE', () => {
    const lines = out(s, 'kubectl get pods').split('\n');
    expect(lines[0]).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
    expect(lines).toHaveLength(1 + 8);
    expect(lines[1]).toMatch(/^api-\S+\s+1\/1\s+Running\s+0\s+5m12s$/);
    // every row's columns start at the same offsets
    const col = lines[0]!.indexOf('STATUS');
    expect(lines.every((l) => l[col - 1] === ' ' && l[col] !== ' ')).toBe(true);
  });

  it('accepts aliases, bare verbs, -n and -o wide', () => {
    expect(out(s, 'k get po')).toBe(out(s, 'kubectl get pods'));
    expect(out(s, 'get pods -n default')).toBe(out(s, 'kubectl get pods'));
    const wide = out(s, 'kubectl get pods -o wide').split('\n');
    expect(wide[0]).toMatch(/IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES$/);
    expect(wide[1]).toMatch(/10\.244\.\d+\.\d+\s+node-[abc]/);
    expect(out(s, 'kubectl get pods -n other')).toBe('No resources found in other namespace.');
    expect(out(s, 'kubectl get pods -l app=db').split('\n')).toHaveLength(3);
    expect(out(s, 'kubectl get deploy -o name')).toBe('deployment.apps/api\ndeployment.apps/db\ndeployment.apps/frontend');
  });

  it('get nodes, deployments, rs, svc, endpoints', () => {
    expect(out(s, 'kubectl get nodes')).toMatch(/^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\nnode-a\s+Ready\s+<none>\s+5m12s\s+v1\.33\.1/);
    expect(out(s, 'kubectl get deployments')).toMatch(/frontend\s+3\/3\s+3\s+3\s+5m12s/);
    expect(out(s, 'kubectl get rs')).toMatch(/^NAME\s+DESIRED\s+CURRENT\s+READY\s+AGE\napi-\S+\s+3\s+3\s+3/);
    expect(out(s, 'kubectl get svc')).toMatch(/frontend\s+LoadBalancer\s+10\.96\.\d+\.\d+\s+203\.0\.113\.1\s+80\/TCP/);
    expect(out(s, 'kubectl get endpoints frontend')).toMatch(/frontend\s+(10\.244\.\d+\.\d+:8080,?){3}/);
    expect(err(s, 'kubectl get pod nope')).toBe('Error from server (NotFound): pods "nope" not found');
    const all = out(s, 'kubectl get all');
    expect(all).toMatch(/^NAME\s+READY\s+STATUS/);
    expect(all).toMatch(/\npod\/api-/);
    expect(all).toMatch(/\nservice\/frontend\s+LoadBalancer/);
    expect(all).toMatch(/\ndeployment\.apps\/frontend\s+3\/3/);
    expect(all).toMatch(/\nreplicaset\.apps\/db-/);
  });

  it('get pod NAME -o json/yaml shows the API object without sim internals', () => {
    const name = podsOf(s, 'api')[0]!.metadata.name;
    const json = JSON.parse(out(s, `kubectl get pod ${name} -o json`));
    expect(json.kind).toBe('Pod');
    expect(json.sim).toBeUndefined();
    expect(json.metadata.creationTimestamp).toBe('2025-01-01T00:00:00Z');
    expect(out(s, `kubectl get pod ${name} -o yaml`)).toMatch(/^apiVersion: v1\nkind: Pod\nmetadata:/);
  });

  it('describe pods -l describes only the pods matching the label selector', () => {
    const text = out(s, 'kubectl describe pods -l app=frontend');
    const names = [...text.matchAll(/^Name:\s+(\S+)$/gm)].map((m) => m[1]!);
    expect(names.sort()).toEqual(podsOf(s, 'frontend').map((p) => p.metadata.name).sort());
    expect(out(s, 'kubectl describe pods -l app=nope')).toBe('No resources found in default namespace.');
  });

  it('describe pod / node / deployment / svc show key fields and an Events section', () => {
    const name = podsOf(s, 'frontend')[0]!.metadata.name;
    const pod = out(s, `kubectl describe pod ${name}`);
    expect(pod).toMatch(/^Name:\s+frontend-/);
    expect(pod).toMatch(/Controlled By:\s+ReplicaSet\/frontend-/);
    expect(pod).toMatch(/Image:\s+shop\/frontend:v1\.4\.2/);
    expect(pod).toMatch(/Limits:\n\s+cpu:\s+500m\n\s+memory:\s+256Mi/);
    expect(pod).toMatch(/QoS Class:\s+Burstable/);
    expect(pod).toMatch(/Events:/);
    expect(out(s, 'kubectl describe node node-b')).toMatch(/Non-terminated Pods:\s+\(\d+ in total\)/);
    const d = out(s, 'kubectl describe deploy/frontend');
    expect(d).toMatch(/Replicas:\s+3 desired \| 3 updated \| 3 total \| 3 available \| 0 unavailable/);
    expect(d).toMatch(/NewReplicaSet:\s+frontend-\S+ \(3\/3 replicas created\)/);
    expect(out(s, 'kubectl describe svc frontend')).toMatch(/Endpoints:\s+10\.244/);
    expect(err(s, 'kubectl describe pod nope')).toBe('Error from server (NotFound): pods "nope" not found');
  });

  it('top pods shows memory in MiB and CPU from the traffic', () => {
    const lines = out(s, 'kubectl top pods').split('\n');
    expect(lines[0]).toMatch(/^NAME\s+CPU\(cores\)\s+MEMORY\(bytes\)$/);
    expect(lines.find((l) => l.startsWith('db-'))).toMatch(/\s\d+m\s+150Mi$/);
    expect(out(s, 'kubectl top nodes')).toMatch(/node-a\s+\d+m\s+\d+%\s+\d+Mi\s+\d+%/);
  });

  it('rollout status and history', () => {
    expect(out(s, 'kubectl rollout status deployment/api')).toBe('deployment "api" successfully rolled out');
    expect(out(s, 'kubectl rollout history deploy api')).toBe('deployment.apps/api\nREVISION  CHANGE-CAUSE\n1         <none>');
    expect(out(s, 'kubectl rollout history deployment/api --revision=1')).toMatch(/Image:\tshop\/api:v2\.0\.0/);
  });

  it('etcdctl member list and endpoint health', () => {
    expect(out(s, 'etcdctl member list').split('\n')).toHaveLength(3);
    expect(out(s, 'etcdctl member list')).toMatch(/^[0-9a-f]{16}, started, etcd-0, https:\/\/10\.0\.0\.10:2380/);
    expect(out(s, 'etcdctl endpoint health')).not.toMatch(/unhealthy/);
    expect(out(s, 'etcdctl endpoint status -w table')).toMatch(/IS LEADER/);
  });

  it('get events lists recent events like kubectl', () => {
    const t = createSim(shopInput());
    stepN(t, 2);
    typeCommand(t, 'kubectl delete pod ' + podsOf(t, 'db')[0]!.metadata.name);
    stepN(t, 20);
    const events = out(t, 'kubectl get events');
    expect(events.split('\n')[0]).toMatch(/^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE$/);
    expect(events).toMatch(/Normal\s+Killing\s+pod\/db-/);
    expect(events).toMatch(/Normal\s+Scheduled\s+pod\/db-/);
    const name = podsOf(t, 'db').find((p) => p.metadata.deletionTimestamp === undefined && p.metadata.creationTimestamp > 0)!.metadata.name;
    expect(out(t, `kubectl get events --for pod/${name}`)).toMatch(/Successfully assigned default\/db-/);
  });
});

describe('kubectl write commands become actions', () => {
  const s = createSim(shopInput());
  stepN(s, 3);
  const pod = podsOf(s, 'api')[0]!.metadata.name;

  it('maps each command to its SimAction', () => {
    const cases: [string, unknown][] = [
      [`kubectl delete pod ${pod}`, { type: 'deletePod', pod }],
      [`kubectl delete pods/${pod} --force --grace-period=0`, { type: 'deletePod', pod, force: true }],
      ['kubectl scale deployment/api --replicas=5', { type: 'scaleDeployment', deployment: 'api', replicas: 5 }],
      ['kubectl scale deploy api --replicas 0', { type: 'scaleDeployment', deployment: 'api', replicas: 0 }],
      ['kubectl rollout undo deployment/frontend', { type: 'rolloutUndo', deployment: 'frontend' }],
      ['kubectl rollout undo deployment/frontend --to-revision=1', { type: 'rolloutUndo', deployment: 'frontend', toRevision: 1 }],
      ['kubectl rollout restart deploy/db', { type: 'rolloutRestart', deployment: 'db' }],
      ['kubectl set image deployment/frontend frontend=shop/frontend:v1.4.1', { type: 'setImage', deployment: 'frontend', container: 'frontend', image: 'shop/frontend:v1.4.1' }],
      ['kubectl set resources deployment/api -c api --limits=memory=512Mi,cpu=1', { type: 'setResources', deployment: 'api', container: 'api', limits: { memory: '512Mi', cpu: '1' } }],
      ['kubectl set resources deployment/api --requests=memory=256Mi', { type: 'setResources', deployment: 'api', requests: { memory: '256Mi' } }],
      ['kubectl cordon node-a', { type: 'cordonNode', node: 'node-a' }],
      ['kubectl uncordon node/node-a', { type: 'uncordonNode', node: 'node-a' }],
      ['kubectl drain node-b --ignore-daemonsets --delete-emptydir-data', { type: 'drainNode', node: 'node-b' }],
      ['etcdctl snapshot restore snap.db --name etcd-2', { type: 'restoreEtcdMember', member: 'etcd-2' }],
      ['etcdutl snapshot restore snap.db --name=etcd-2 --data-dir /var/lib/etcd-new', { type: 'restoreEtcdMember', member: 'etcd-2' }],
    ];
    for (const [line, action] of cases) expect(runKubectl(s, line), line).toEqual({ kind: 'action', action });
  });

  it('explains mistakes like kubectl', () => {
    expect(err(s, 'kubectl gett pods')).toMatch(/^error: unknown command "gett" for "kubectl"\n\nDid you mean this\?\n\tget\n/);
    expect(err(s, 'kubectl gett pods')).toMatch(/Run 'help' for usage\.$/);
    expect(err(s, 'kubectl get pods --sort=name')).toMatch(/^error: unknown flag: --sort/);
    expect(err(s, 'kubectl get podz')).toMatch(/the server doesn't have a resource type "podz"/);
    expect(err(s, 'kubectl scale deployment/api')).toMatch(/--replicas=COUNT/);
    expect(err(s, 'kubectl scale deployment/nope --replicas=2')).toBe('Error from server (NotFound): deployments.apps "nope" not found');
    expect(err(s, 'kubectl delete pod nope')).toBe('Error from server (NotFound): pods "nope" not found');
    expect(err(s, 'kubectl set resources deployment/api --limits=memory=lots')).toMatch(/quantities must match/);
    expect(err(s, 'kubectl set resources deployment/api')).toMatch(/you must specify an update to requests or limits/);
    expect(err(s, 'kubectl set image deployment/api web=x:1')).toBe('error: unable to find container named "web"');
    expect(err(s, 'kubectl rollout undo deployment/api --to-revision=7')).toBe('error: unable to find specified revision 7 in history');
    expect(err(s, 'kubectl drain node-z')).toBe('Error from server (NotFound): nodes "node-z" not found');
    expect(err(s, 'kubectl get pods "unterminated')).toMatch(/unterminated/);
    expect(err(s, 'etcdctl snapshot restore snap.db --name etcd-7')).toMatch(/member "etcd-7" is not a member of this cluster/);
    expect(err(s, 'etcdctl snapshot restore')).toBe('Error: snapshot restore requires exactly one argument');
    expect(err(s, 'etcdctl member restore etcd-1')).toMatch(/^Error: unknown command "restore" for "etcdctl member"\nRun 'etcdctl member --help' for usage\.\n.*\n {2}etcdctl snapshot restore snapshot\.db --name MEMBER/);
    // (was: logs "not simulated") The console prints the generated log lines (shared/sim/logs.ts).
    expect(out(s, 'kubectl logs ' + pod).split('\n').length).toBeGreaterThan(0);
    expect(err(s, 'kubectl logs ' + pod + ' --previous')).toMatch(/^Error from server \(BadRequest\): previous terminated container "\S+" in pod "\S+" not found$/);
    expect(err(s, 'kubectl logs nope')).toBe('error: error from server (NotFound): pods "nope" not found in namespace "default"');
  });

  it('prints help', () => {
    expect(out(s, 'help')).toBe(KUBECTL_HELP);
    expect(out(s, 'kubectl --help')).toBe(KUBECTL_HELP);
    expect(KUBECTL_HELP).toMatch(/rollout undo/);
    expect(out(s, '   ')).toBe('');
  });

  it('never mutates the state', () => {
    const before = JSON.stringify(s);
    for (const line of ['kubectl get pods', 'kubectl describe node node-a', 'kubectl top pods', `kubectl delete pod ${pod}`, 'etcdctl snapshot restore snap.db --name etcd-1']) runKubectl(s, line);
    expect(JSON.stringify(s)).toBe(before);
  });
});
