/**
 * `@kubernetes/client-node` (the official JavaScript client) against a live match, with the kubeconfig
 * a player downloads: list Pods, Nodes and Deployments, read a Pod, scale through the `scale`
 * subresource, a Watch that sees the podinfo Pod go `OOMKilled` -> `CrashLoopBackOff` during the
 * first-oom memory leak, `pods/log`, and `403 Forbidden` for another team's cluster.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { Client, type Room } from '@colyseus/sdk';
import * as k8s from '@kubernetes/client-node';
import { snapshotState } from '../../client/src/view/stateMirror.ts';
import type { CredentialsMessage } from '../../shared/protocol.ts';
import type { RunningServer } from '../../server/app.ts';
import { nextMessage, startTestServer, waitFor } from '../server/helpers.ts';

let server: RunningServer;
let home: string;
let alice: Room;
let bob: Room;
let kc: k8s.KubeConfig;
/** Pod watch events (type, container state) seen from the start of the match. */
const seen: { type: string; pod: string; waiting?: string; terminated?: string; last?: string; restarts: number }[] = [];
let watchAbort: AbortController | undefined;

async function kubeconfigOf(room: Room, name: string): Promise<k8s.KubeConfig> {
  const cred = await nextMessage<CredentialsMessage>(room, 'credentials');
  const res = await fetch(`${server.url}${cred.kubeconfigPath}`, { headers: { authorization: `Bearer ${cred.token}` } });
  const file = join(home, `${name}.yaml`);
  writeFileSync(file, await res.text());
  const config = new k8s.KubeConfig();
  config.loadFromFile(file);
  return config;
}

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'gameday-client-node-'));
  server = await startTestServer();
  const client = new Client(server.url);
  // first-oom: podinfo leaks 2 MiB/s from 120 s past its 512Mi limit; fast, so the kills come in seconds.
  alice = await client.joinOrCreate('match', { name: 'alice', seed: 2, teams: 2, scenario: 'first-oom', timeDilation: 60 });
  const aliceCred = kubeconfigOf(alice, 'alice');
  kc = await aliceCred;
  bob = await client.joinById(alice.roomId, { name: 'bob', team: 'red' });
  await kubeconfigOf(bob, 'bob');
  await waitFor(() => (snapshotState(alice.state).teams.get('blue')?.pods.size ?? 0) > 0, 'blue projected');
  const watch = new k8s.Watch(kc);
  watchAbort = await watch.watch(
    '/api/v1/namespaces/default/pods',
    {},
    (type, pod: k8s.V1Pod) => {
      const cs = pod.status?.containerStatuses?.[0];
      seen.push({
        type,
        pod: pod.metadata?.name ?? '',
        restarts: cs?.restartCount ?? 0,
        ...(cs?.state?.waiting?.reason ? { waiting: cs.state.waiting.reason } : {}),
        ...(cs?.state?.terminated?.reason ? { terminated: cs.state.terminated.reason } : {}),
        ...(cs?.lastState?.terminated?.reason ? { last: cs.lastState.terminated.reason } : {}),
      });
    },
    () => undefined,
  );
});

afterAll(async () => {
  watchAbort?.abort();
  await bob?.leave().catch(() => undefined);
  await alice?.leave().catch(() => undefined);
  await server?.close();
  rmSync(home, { recursive: true, force: true });
});

describe('@kubernetes/client-node', () => {
  it('lists Pods, Nodes and Deployments and reads a Pod', async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const apps = kc.makeApiClient(k8s.AppsV1Api);
    const pods = await core.listNamespacedPod({ namespace: 'default' });
    const podinfo = pods.items.find((p) => p.metadata?.name?.startsWith('podinfo-'));
    expect(podinfo?.status?.phase).toBe('Running');
    const nodes = await core.listNode();
    expect(nodes.items.map((n) => n.metadata?.name).sort()).toEqual([...snapshotState(alice.state).teams.get('blue')!.nodes.keys()].sort());
    expect(nodes.items.every((n) => n.status?.conditions?.some((c) => c.type === 'Ready'))).toBe(true);
    const deployments = await apps.listNamespacedDeployment({ namespace: 'default' });
    expect(deployments.items.map((d) => d.metadata?.name)).toContain('podinfo');
    const pod = await core.readNamespacedPod({ name: podinfo!.metadata!.name!, namespace: 'default' });
    expect(pod.spec?.containers[0]?.image).toBe('ghcr.io/stefanprodan/podinfo:6.14.1');
    expect(pod.metadata?.creationTimestamp).toBeInstanceOf(Date);
  });

  it('scales a Deployment through the scale subresource (read, replace, patch)', async () => {
    const apps = kc.makeApiClient(k8s.AppsV1Api);
    const scale = await apps.readNamespacedDeploymentScale({ name: 'podinfo', namespace: 'default' });
    expect(scale.spec?.replicas).toBe(1);
    const replaced = await apps.replaceNamespacedDeploymentScale({ name: 'podinfo', namespace: 'default', body: { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'podinfo', namespace: 'default' }, spec: { replicas: 2 } } });
    expect(replaced.spec?.replicas).toBe(2);
    await waitFor(() => snapshotState(alice.state).teams.get('blue')!.deployments.get('default/podinfo')?.replicas === 2, 'scaled to 2 in the game');
    const patched = await apps.patchNamespacedDeploymentScale({ name: 'podinfo', namespace: 'default', body: { spec: { replicas: 1 } } }, k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch));
    expect(patched.spec?.replicas).toBe(1);
    await waitFor(() => snapshotState(alice.state).teams.get('blue')!.deployments.get('default/podinfo')?.replicas === 1, 'back to 1');
  });

  it('a Watch sees the podinfo Pod go OOMKilled -> CrashLoopBackOff', async () => {
    await waitFor(() => seen.some((e) => e.pod.startsWith('podinfo-') && e.waiting === 'CrashLoopBackOff'), 'CrashLoopBackOff seen by the watch', 40_000);
    const mine = seen.filter((e) => e.pod.startsWith('podinfo-'));
    const oom = mine.findIndex((e) => e.terminated === 'OOMKilled' || e.last === 'OOMKilled');
    const loop = mine.findIndex((e) => e.waiting === 'CrashLoopBackOff');
    expect(oom).toBeGreaterThanOrEqual(0);
    expect(loop).toBeGreaterThan(oom);
    expect(mine[loop]!.last).toBe('OOMKilled');
    expect(mine[loop]!.restarts).toBeGreaterThanOrEqual(1);
  });

  it('reads the OOM-killed instance\'s log (pods/log, previous)', async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const name = seen.find((e) => e.pod.startsWith('podinfo-') && e.last === 'OOMKilled')!.pod;
    const log = await core.readNamespacedPodLog({ name, namespace: 'default', previous: true });
    expect(log).toMatch(/"message":"memory usage \d+MiB is 9[05]% of the 512MiB limit/);
  });

  it('another team\'s cluster is 403 Forbidden', async () => {
    const other = new k8s.KubeConfig();
    other.loadFromString(kc.exportConfig().replaceAll('/blue/', '/red/'));
    const core = other.makeApiClient(k8s.CoreV1Api);
    const err = await core.listNamespacedPod({ namespace: 'default' }).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(k8s.ApiException);
    const e = err as k8s.ApiException<string>;
    expect(e.code).toBe(403);
    expect(JSON.parse(e.body)).toMatchObject({ kind: 'Status', reason: 'Forbidden', code: 403 });
  });
});
