/**
 * Real kubectl v1.32 against a live match, for what needs the OpenAPI documents and the newer writes:
 * `kubectl explain` (OpenAPI v3), `label`/`annotate`, `taint`, `apply -f`/`create -f` of a new
 * Deployment and Service, `edit` (through `KUBE_EDITOR`), `delete deployment`. Every write must show in
 * the game (the projection a player's client sees, the player's action count).
 */
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Room } from '@colyseus/sdk';
import { snapshotState } from '../../client/src/view/stateMirror.ts';
import { waitFor } from '../server/helpers.ts';
import { startKubectlMatch, until, type KubectlMatch, type KubectlResult } from './kubectl-match.ts';
import { explain } from '../../shared/kubectl/explain.ts';

let m: KubectlMatch;
let home: string;
let alice: Room;

/** Runs kubectl with alice's kubeconfig (extra environment: `env`): stdout, stderr and the exit code. */
const kubectl = (args: string[], env: Record<string, string> = {}): Promise<KubectlResult> => m.kubectl(args, { env });

beforeAll(async () => {
  m = await startKubectlMatch({ seed: 11, timeDilation: 30, prefix: 'kubectl-writes' });
  ({ home, alice } = m);
});

afterAll(async () => {
  await m?.close();
});

describe('kubectl explain reads the OpenAPI v3 documents', () => {
  it('explain pods.spec.containers prints the Container fields with their docs', async () => {
    const r = await kubectl(['explain', 'pods.spec.containers']);
    expect(r.err).toBe('');
    expect(r.out).toMatch(/^KIND:\s+Pod$/m);
    expect(r.out).toMatch(/^FIELD: containers <\[\]Container>$/m);
    expect(r.out).toMatch(/^ {2}image\t<string>$/m);
    expect(r.out).toMatch(/^ {2}resources\t<ResourceRequirements>$/m);
    expect(r.out).toMatch(/^ {2}name\t<string> -required-$/m);
    expect(r.out).toContain('Container image name.');
  });

  it('explain deployment.spec.replicas prints the field and its description', async () => {
    const r = await kubectl(['explain', 'deployment.spec.replicas']);
    expect(r.err).toBe('');
    expect(r.out).toMatch(/^GROUP:\s+apps$/m);
    expect(r.out).toMatch(/^KIND:\s+Deployment$/m);
    expect(r.out).toMatch(/^FIELD: replicas <integer>$/m);
    expect(r.out).toContain('Number of desired pods.');
  });

  it('explain --recursive walks nested definitions; an unknown field is an error', async () => {
    const r = await kubectl(['explain', 'node.spec', '--recursive']);
    expect(r.out).toMatch(/^ {2}taints\t<\[\]Taint>$/m);
    expect(r.out).toMatch(/^ {4}effect\t<string> -required-$/m);
    // the console's `kubectl explain --recursive` prints the same field tree as real kubectl 1.32 over this API's OpenAPI v3
    for (const path of ['node.spec', 'deployment.spec', 'pods', 'cronjob.spec.jobTemplate']) {
      const real = await kubectl(['explain', path, '--recursive']);
      expect(real.err).toBe('');
      const fieldsOf = (text: string) => text.slice(text.indexOf('FIELDS:')).trimEnd();
      expect(fieldsOf(explain(path, true))).toBe(fieldsOf(real.out));
    }
    const bad = await kubectl(['explain', 'pods.spec.nope']);
    expect(bad.code).not.toBe(0);
    expect(bad.err).toContain('field "nope" does not exist');
  });
});

const blue = () => snapshotState(alice.state).teams.get('blue')!;
const actionCount = (): number => m.actionCount();

/** Polls an async probe (kubectl) until it holds; 15 s at most. */

/** Rows of a kubectl table without its header. */
const rows = (out: string) => out.trim().split('\n').slice(1);

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: { app: web }
spec:
  replicas: 2
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
      - name: web
        image: nginx:1.27
        ports: [{ containerPort: 8080 }]
        resources: { requests: { cpu: 100m, memory: 64Mi }, limits: { memory: 128Mi } }
`;
const SERVICE = `apiVersion: v1
kind: Service
metadata: { name: web }
spec:
  selector: { app: web }
  ports: [{ port: 80, targetPort: 8080 }]
`;

describe('kubectl writes mapped to game actions', () => {
  it('label pods -l, get -l sees them; removing the label takes a Pod out of its Service', async () => {
    const before = actionCount();
    const r = await kubectl(['label', 'pods', '-l', 'role=replica', 'debug=true']);
    expect(r.err).toBe('');
    expect(r.out).toMatch(/^pod\/redis-replica-\S+ labeled$/m);
    const labelled = rows((await kubectl(['get', 'pods', '-l', 'debug=true'])).out);
    expect(labelled.length).toBe(r.out.trim().split('\n').length);
    await waitFor(() => actionCount() === before + labelled.length, 'one label action per Pod');
    expect((await kubectl(['label', 'pods', '-l', 'debug=true', 'debug-'])).out).toMatch(/unlabeled$/m);
    expect((await kubectl(['get', 'pods', '-l', 'debug=true'])).err.trim()).toBe('No resources found in default namespace.');

    // Out of rotation: the Service redis-replica selects app=redis,role=replica.
    const pod = labelled[0]!.split(/\s+/)[0]!;
    const ip = async () => (await kubectl(['get', 'pod', pod, '-o', 'jsonpath={.status.podIP}'])).out;
    const podIp = await ip();
    const addresses = async () => (await kubectl(['get', 'endpoints', 'redis-replica', '-o', 'jsonpath={.subsets[*].addresses[*].ip}'])).out.split(' ');
    expect(await addresses()).toContain(podIp);
    expect((await kubectl(['label', 'pod', pod, 'role=debugging', '--overwrite'])).out.trim()).toBe(`pod/${pod} labeled`);
    await until(async () => !(await addresses()).includes(podIp), 'the relabelled Pod left the Service endpoints');
    expect((await kubectl(['label', 'pod', pod, 'role=replica', '--overwrite'])).out.trim()).toBe(`pod/${pod} labeled`);
    await until(async () => (await addresses()).includes(podIp), 'back in the Service');
  });

  it('annotate, and an invalid label is 422 from the server', async () => {
    expect((await kubectl(['annotate', 'deploy', 'frontend', 'team.example.com/owner=blue'])).out.trim()).toBe('deployment.apps/frontend annotated');
    expect((await kubectl(['get', 'deploy', 'frontend', '-o', 'jsonpath={.metadata.annotations.team\\.example\\.com/owner}'])).out).toBe('blue');
    // kubectl checks label syntax itself; a raw patch reaches the server's validation.
    const node = [...blue().nodes.keys()].sort()[0]!;
    const bad = await kubectl(['patch', 'node', node, '--type', 'merge', '-p', '{"metadata":{"labels":{"bad":"not valid!"}}}']);
    expect(bad.code).not.toBe(0);
    expect(bad.err).toContain(`The Node "${node}" is invalid: metadata.labels: Invalid value: "not valid!"`);
  });

  it('taint NoSchedule keeps new Pods off the Node; NoExecute evicts; untaint', async () => {
    const nodes = [...blue().nodes.keys()].sort();
    const node = nodes[0]!;
    expect((await kubectl(['taint', 'nodes', node, 'dedicated=db:NoSchedule'])).out.trim()).toBe(`node/${node} tainted`);
    expect((await kubectl(['get', 'node', node, '-o', 'jsonpath={.spec.taints[0].key}={.spec.taints[0].value}:{.spec.taints[0].effect}'])).out).toBe('dedicated=db:NoSchedule');
    expect((await kubectl(['describe', 'node', node])).out).toMatch(/^Taints:\s+dedicated=db:NoSchedule$/m);
    const onNode = () => [...blue().pods.values()].filter((p) => p.node === node && p.name.startsWith('frontend-')).length;
    const start = onNode();
    expect((await kubectl(['taint', 'nodes', node, 'evict=now:NoExecute'])).out.trim()).toBe(`node/${node} tainted`);
    if (start > 0) await waitFor(() => onNode() === 0, 'frontend Pods evicted from the NoExecute node');
    expect((await kubectl(['taint', 'nodes', node, 'evict:NoExecute-', 'dedicated:NoSchedule-'])).out.trim()).toBe(`node/${node} untainted`);
    expect((await kubectl(['get', 'node', node, '-o', 'jsonpath={.spec.taints[*].key}'])).out).toBe('');
  });

  it('apply -f of a new Deployment and Service: the Pods get scheduled, the Service its endpoints', async () => {
    const dir = mkdtempSync(join(home, 'manifests-'));
    writeFileSync(join(dir, 'deployment.yaml'), DEPLOYMENT);
    writeFileSync(join(dir, 'service.yaml'), SERVICE);
    const before = actionCount();
    const r = await kubectl(['apply', '-f', dir]);
    expect(r.err).toBe('');
    expect(r.out.trim().split('\n').sort()).toEqual(['deployment.apps/web created', 'service/web created']);
    await waitFor(() => actionCount() === before + 2, 'two create actions');
    await waitFor(() => blue().deployments.get('default/web')?.replicas === 2, 'web in the projection');
    await until(async () => rows((await kubectl(['get', 'pods', '-l', 'app=web', '--field-selector', 'status.phase=Running'])).out).length === 2, 'two web Pods Running');
    const wide = await kubectl(['get', 'pods', '-l', 'app=web', '-o', 'wide']);
    expect(rows(wide.out).every((l) => /\snode-\S+\s/.test(l))).toBe(true);
    await until(async () => /10\.244\.\d+\.\d+:8080/.test((await kubectl(['get', 'endpoints', 'web'])).out), 'web endpoints');
    // Applying the same file again changes nothing; create of an existing object is AlreadyExists.
    expect((await kubectl(['apply', '-f', join(dir, 'deployment.yaml')])).out.trim()).toBe('deployment.apps/web unchanged');
    const again = await kubectl(['create', '-f', join(dir, 'deployment.yaml')]);
    expect(again.err).toContain('Error from server (AlreadyExists)');
    // A changed manifest re-applied: the replicas patch is a scale.
    writeFileSync(join(dir, 'deployment.yaml'), DEPLOYMENT.replace('replicas: 2', 'replicas: 3'));
    expect((await kubectl(['apply', '-f', join(dir, 'deployment.yaml')])).out.trim()).toBe('deployment.apps/web configured');
    await waitFor(() => blue().deployments.get('default/web')?.replicas === 3, 'web scaled by apply');
  });

  it('edit through KUBE_EDITOR: replicas and image map to actions; other fields are 422 naming what is supported', async () => {
    const editor = join(home, 'editor.sh');
    writeFileSync(editor, '#!/bin/sh\nsed -i -e "s/replicas: 3/replicas: 1/" -e "s#image: nginx:1.27#image: nginx:1.28#" "$1"\n');
    chmodSync(editor, 0o755);
    const r = await kubectl(['edit', 'deployment', 'web'], { KUBE_EDITOR: editor });
    expect(r.err).toBe('');
    expect(r.out.trim()).toBe('deployment.apps/web edited');
    await waitFor(() => blue().deployments.get('default/web')?.replicas === 1 && blue().deployments.get('default/web')?.image === 'nginx:1.28', 'edit applied');
    const bad = join(home, 'bad-editor.sh');
    const seen = join(home, 'edits.log');
    // kubectl reopens the editor with the server's causes in the header comment: the script keeps a copy.
    writeFileSync(bad, `#!/bin/sh\ncat "$1" >> ${seen}\nsed -i -e "s/minReadySeconds: 0/minReadySeconds: 5/" "$1"\n`);
    chmodSync(bad, 0o755);
    const refused = await kubectl(['edit', 'deployment', 'web'], { KUBE_EDITOR: bad });
    expect(refused.code).not.toBe(0);
    expect(refused.err).toContain('error: deployments.apps "web" is invalid');
    expect(readFileSync(seen, 'utf8')).toContain("# * spec.minReadySeconds: this game's API supports metadata.labels, metadata.annotations, spec.replicas");
  });

  it('delete deployment cascades to its ReplicaSets and Pods', async () => {
    const before = actionCount();
    const r = await kubectl(['delete', 'deployment', 'web']);
    expect(r.err).toBe('');
    expect(r.out.trim()).toBe('deployment.apps "web" deleted');
    await waitFor(() => actionCount() === before + 1, 'the delete counted');
    expect((await kubectl(['get', 'rs'])).out).not.toMatch(/^web-/m);
    await until(async () => (await kubectl(['get', 'pods', '-l', 'app=web'])).err.trim() === 'No resources found in default namespace.', 'web Pods gone');
  });

  it('a 422 for a Pod field the game cannot change', async () => {
    const pod = [...blue().pods.values()].find((p) => p.name.startsWith('frontend-'))!.name;
    const bad = await kubectl(['patch', 'pod', pod, '-p', '{"spec":{"activeDeadlineSeconds":5}}']);
    expect(bad.code).not.toBe(0);
    expect(bad.err.trim()).toBe(`The Pod "${pod}" is invalid: spec.activeDeadlineSeconds: this game's API supports metadata.labels, metadata.annotations and spec (its containers' images and new tolerations): this game has no Pod deadline`);
    // another spec field: the API server's ValidatePodUpdate refusal
    const forbidden = await kubectl(['patch', 'pod', pod, '-p', '{"spec":{"restartPolicy":"Never"}}']);
    expect(forbidden.code).not.toBe(0);
    expect(forbidden.err.trim()).toMatch(new RegExp(`^The Pod "${pod}" is invalid: spec: Forbidden: pod updates may not change fields other than \`spec.containers\\[\\*\\].image\`,`));
  });

  it('set image pod/NAME (a strategic merge patch of the Pod spec): the kubelet restarts the container with the new image', async () => {
    const pod = [...blue().pods.values()].find((p) => p.name.startsWith('redis-replica-'))!.name;
    const container = (await kubectl(['get', 'pod', pod, '-o', 'jsonpath={.spec.containers[0].name}'])).out;
    const r = await kubectl(['set', 'image', `pod/${pod}`, `${container}=redis:7.4`]);
    expect(r.err).toBe('');
    expect(r.out.trim()).toBe(`pod/${pod} image updated`);
    expect((await kubectl(['get', 'pod', pod, '-o', 'jsonpath={.spec.containers[0].image}'])).out).toBe('redis:7.4');
    await until(async () => (await kubectl(['get', 'pod', pod, '-o', 'jsonpath={.status.containerStatuses[0].restartCount} {.status.containerStatuses[0].image} {.status.containerStatuses[0].state.running.startedAt}'])).out.startsWith('1 redis:7.4 2'), 'restarted with the new image');
    const events = await kubectl(['get', 'events', '--field-selector', `involvedObject.name=${pod},reason=Killing`, '-o', 'jsonpath={.items[*].message}']);
    expect(events.out).toBe(`Container ${container} definition changed, will be restarted`);
  });
});
