/**
 * The per-team Kubernetes API over plain HTTP, as client libraries see it: discovery (plain and
 * aggregated), `/version`, Tables, Status bodies, the kubeconfig route, watch with resourceVersion and
 * 410 Gone, and 503 `etcdserver: request timed out` while the team's etcd has no quorum. A real server
 * and real SDK clients.
 */
import { get as httpGet } from 'node:http';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { Client, type Room } from '@colyseus/sdk';
import { parse } from 'yaml';
import type { CredentialsMessage } from '../../shared/protocol.ts';
import type { RunningServer } from '../../server/app.ts';
import { ask, nextMessage, signIn, startTestServer } from '../server/helpers.ts';

let server: RunningServer;
let alice: Room;
let tess: Room;
let blue: string;
let red: string;
let token: string;
/** Tess's token (a trainer of team red, reading every team). */
let tessToken: string;

beforeAll(async () => {
  server = await startTestServer({ TRAINER_USERS: 'tess' });
  const client = new Client(server.url);
  alice = await client.joinOrCreate('match', { name: 'alice', seed: 3, teams: 2, scenario: 'guestbook' });
  const cred = await nextMessage<CredentialsMessage>(alice, 'credentials');
  token = cred.token;
  tess = await client.joinById(alice.roomId, { name: 'tess', trainer: true, team: 'red', token: await signIn(server.url, 'tess') });
  tessToken = (await nextMessage<CredentialsMessage>(tess, 'credentials')).token;
  blue = `${server.url}/k8s/${cred.matchId}/blue`;
  red = `${server.url}/k8s/${cred.matchId}/red`;
});

afterAll(async () => {
  for (const room of [alice, tess]) await room?.leave().catch(() => undefined);
  await server?.close();
});

const get = (url: string, accept = 'application/json', auth = token) => fetch(url, { headers: { accept, authorization: `Bearer ${auth}` } });

describe('the Kubernetes API of a team cluster', () => {
  it('serves the kubeconfig for a token: its team current, the token in the cluster URL', async () => {
    const res = await get(`${server.url}/k8s/kubeconfig`);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="gameday.yaml"');
    const cfg = parse(await res.text());
    expect(cfg['current-context']).toBe('gameday-blue');
    expect(cfg.clusters).toHaveLength(1);
    expect(cfg.clusters[0].cluster.server).toBe(`${blue}/token/${token}`);
    expect(cfg.contexts[0].context.namespace).toBe('default');
    expect((await fetch(`${server.url}/k8s/kubeconfig`)).status).toBe(401);
  });

  it("revokes a session's token when it leaves the match", async () => {
    const carol = await new Client(server.url).joinById(alice.roomId, { name: 'carol' });
    const mine = (await nextMessage<CredentialsMessage>(carol, 'credentials')).token;
    expect((await get(`${blue}/api/v1/nodes`, 'application/json', mine)).status).toBe(200);
    await carol.leave();
    let status = 200;
    for (let i = 0; i < 100 && status === 200; i++) {
      status = (await get(`${blue}/api/v1/nodes`, 'application/json', mine)).status;
      if (status === 200) await new Promise((r) => setTimeout(r, 20));
    }
    expect(status).toBe(401);
  });

  it("a spectator reads every team's cluster and changes none", async () => {
    const sam = await new Client(server.url).joinById(alice.roomId, { name: 'sam', spectator: true });
    try {
      const mine = (await nextMessage<CredentialsMessage>(sam, 'credentials')).token;
      expect((await get(`${blue}/api/v1/pods`, 'application/json', mine)).status).toBe(200);
      expect((await get(`${red}/api/v1/pods`, 'application/json', mine)).status).toBe(200);
      const cfg = parse(await (await get(`${server.url}/k8s/kubeconfig`, 'application/json', mine)).text());
      expect(cfg.contexts.map((c: { name: string }) => c.name).sort()).toEqual(['gameday-blue', 'gameday-red']);
      const write = await fetch(`${blue}/apis/apps/v1/namespaces/default/deployments/frontend/scale`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${mine}`, 'content-type': 'application/merge-patch+json' },
        body: JSON.stringify({ spec: { replicas: 5 } }),
      });
      expect(write.status).toBe(403);
      expect((await write.json()).message).toMatch(/spectators read every team's cluster and change none$/);
    } finally {
      await sam.leave();
    }
  });

  it('answers plain and aggregated discovery and /version', async () => {
    const groups = await (await get(`${blue}/apis`)).json();
    // autoscaling/v2 (HorizontalPodAutoscalers) and batch/v1 (Jobs, CronJobs) are served from the kind registry (issue 6); events.k8s.io/v1 by server/k8s/events.ts
    expect(groups.groups.map((g: { name: string }) => g.name)).toEqual(['apps', 'discovery.k8s.io', 'policy', 'scheduling.k8s.io', 'autoscaling', 'batch', 'coordination.k8s.io', 'metrics.k8s.io', 'events.k8s.io']);
    const batch = await (await get(`${blue}/apis/batch/v1`)).json();
    expect(batch.resources.map((r: { name: string }) => r.name)).toEqual(expect.arrayContaining(['jobs', 'cronjobs']));
    const autoscaling = await (await get(`${blue}/apis/autoscaling/v2`)).json();
    expect(autoscaling.resources.map((r: { name: string }) => r.name)).toEqual(expect.arrayContaining(['horizontalpodautoscalers']));
    const core = await (await get(`${blue}/api/v1`)).json();
    expect(core.resources.map((r: { name: string }) => r.name)).toEqual(expect.arrayContaining(['pods', 'nodes', 'services', 'events', 'namespaces']));
    const apps = await (await get(`${blue}/apis/apps/v1`)).json();
    expect(apps.resources).toContainEqual(expect.objectContaining({ name: 'deployments/scale', group: 'autoscaling', version: 'v1', kind: 'Scale' }));
    const agg = await get(`${blue}/apis`, 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json');
    expect(agg.headers.get('content-type')).toContain('as=APIGroupDiscoveryList');
    const list = await agg.json();
    expect(list.kind).toBe('APIGroupDiscoveryList');
    expect(list.items.find((i: { metadata: { name?: string } }) => i.metadata.name === 'events.k8s.io')?.versions[0].resources[0]).toMatchObject({ resource: 'events', scope: 'Namespaced', verbs: ['get', 'list', 'watch'] });
    expect(list.items.find((i: { metadata: { name: string } }) => i.metadata.name === 'policy').versions[0].resources[0]).toMatchObject({ resource: 'poddisruptionbudgets', scope: 'Namespaced' });
    expect(await (await get(`${blue}/version`)).json()).toMatchObject({ major: '1', gitVersion: expect.stringMatching(/^v1\./) });
  });

  it('lists objects in API form (RFC 3339, no sim block) and as Tables', async () => {
    const pods = await (await get(`${blue}/api/v1/namespaces/default/pods?labelSelector=app%3Dredis`)).json();
    expect(pods.kind).toBe('PodList');
    expect(pods.items.length).toBeGreaterThan(0);
    for (const p of pods.items) {
      expect(p.metadata.labels.app).toBe('redis');
      expect(p.sim).toBeUndefined();
      expect(p.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    }
    const tableRes = await get(`${blue}/apis/apps/v1/namespaces/default/deployments`, 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json');
    const table = await tableRes.json();
    expect(table.kind).toBe('Table');
    expect(table.columnDefinitions.map((c: { name: string; priority: number }) => `${c.name}:${c.priority}`)).toEqual(['NAME:0', 'READY:0', 'UP-TO-DATE:0', 'AVAILABLE:0', 'AGE:0', 'CONTAINERS:1', 'IMAGES:1', 'SELECTOR:1']);
    expect(table.rows.map((r: { cells: string[] }) => r.cells[0])).toEqual(['frontend', 'redis-master', 'redis-replica']);
    // The status subresource: read-only (the game's controllers own status).
    const apps = await (await get(`${blue}/apis/apps/v1`)).json();
    expect(apps.resources).toContainEqual(expect.objectContaining({ name: 'deployments/status', kind: 'Deployment', verbs: ['get'] }));
    const status = await (await get(`${blue}/apis/apps/v1/namespaces/default/deployments/frontend/status`)).json();
    expect(status).toMatchObject({ kind: 'Deployment', metadata: { name: 'frontend' }, status: { replicas: expect.any(Number) } });
    const statusPatch = await fetch(`${blue}/apis/apps/v1/namespaces/default/deployments/frontend/status`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/merge-patch+json' },
      body: JSON.stringify({ status: { replicas: 9 } }),
    });
    expect(statusPatch.status).toBe(405);
    expect((await get(`${blue}/apis/apps/v1/namespaces/default/deployments/frontend/nope`)).status).toBe(404);
  });

  it('answers errors with Status bodies', async () => {
    const missing = await get(`${blue}/api/v1/namespaces/default/pods/nope`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'NotFound', message: 'pods "nope" not found', code: 404 });
    expect((await get(`${red}/api/v1/pods`)).status).toBe(403);
    expect(await (await get(`${blue}/api/v1/pods`, 'application/json', 'wrong')).json()).toMatchObject({ reason: 'Unauthorized', code: 401 });
    const bad = await get(`${blue}/api/v1/pods?labelSelector=${encodeURIComponent('a in b')}`);
    expect(bad.status).toBe(400);
    // Only the field labels the API server supports for the resource.
    const field = await get(`${blue}/api/v1/pods?fieldSelector=${encodeURIComponent('spec.containers=x')}`);
    expect(field.status).toBe(400);
    expect(await field.json()).toMatchObject({ reason: 'BadRequest', message: 'field label not supported: spec.containers' });
    expect((await get(`${blue}/api/v1/nodes?fieldSelector=${encodeURIComponent('spec.unschedulable=false')}`)).status).toBe(200);
    const sideways = await fetch(`${blue}/apis/apps/v1/namespaces/default/deployments/frontend`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Sideways' }),
    });
    // A patch's metadata.resourceVersion is a precondition (kubectl label --resource-version): 409 when stale.
    const stalePatch = await fetch(`${blue}/apis/apps/v1/namespaces/default/deployments/frontend`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/merge-patch+json' },
      body: JSON.stringify({ metadata: { resourceVersion: '1', labels: { stale: 'yes' } } }),
    });
    expect(stalePatch.status).toBe(409);
    expect(await stalePatch.json()).toMatchObject({ reason: 'Conflict', message: 'Operation cannot be fulfilled on deployments.apps "frontend": the object has been modified; please apply your changes to the latest version and try again' });
    expect(sideways.status).toBe(422);
    expect(await sideways.json()).toMatchObject({ reason: 'Invalid', message: 'DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "Sideways": supported values: "Foreground", "Background", "Orphan"' });
    const patch = await fetch(`${blue}/apis/apps/v1/namespaces/default/deployments/frontend`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/merge-patch+json' },
      // (was spec.paused, which kubectl rollout pause now sets) a field the game cannot change:
      body: JSON.stringify({ spec: { minReadySeconds: 30 } }),
    });
    expect(patch.status).toBe(422);
    expect((await patch.json()).reason).toBe('Invalid');
    const garbage = await fetch(`${blue}/apis/apps/v1/namespaces/default/deployments/frontend/scale`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/merge-patch+json' },
      body: '{not json',
    });
    expect(garbage.status).toBe(400);
    expect(await garbage.json()).toMatchObject({ kind: 'Status', code: 400 });
  });

  it('watches from a list resourceVersion; an unknown old one is 410 Gone', async () => {
    const list = await (await get(`${blue}/api/v1/nodes`)).json();
    const node = list.items[0].metadata.name;
    // node:http, not fetch: undici would queue the PATCH behind the open watch.
    let text = '';
    let resolveEvent!: () => void;
    const modified = new Promise<void>((resolve) => (resolveEvent = resolve));
    const watch = httpGet(`${blue}/api/v1/nodes?watch=true&resourceVersion=${list.metadata.resourceVersion}&fieldSelector=metadata.name%3D${node}&timeoutSeconds=10`, { headers: { authorization: `Bearer ${token}` } }, (res) => {
      res.on('data', (d: Buffer) => {
        text += d.toString();
        if (text.includes('"unschedulable":true')) resolveEvent();
      });
    });
    await new Promise((r) => setTimeout(r, 100));
    const cordon = await fetch(`${blue}/api/v1/nodes/${node}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/strategic-merge-patch+json' },
      body: JSON.stringify({ spec: { unschedulable: true } }),
    });
    expect(cordon.status).toBe(200);
    await modified;
    watch.destroy();
    const event = JSON.parse(text.split('\n').find((l) => l.includes('"unschedulable":true'))!);
    expect(event).toMatchObject({ type: 'MODIFIED', object: { kind: 'Node', metadata: { name: node }, spec: { unschedulable: true } } });
    const old = await (await get(`${blue}/api/v1/pods?watch=1&resourceVersion=1`)).text();
    expect(JSON.parse(old.trim())).toMatchObject({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired' } });
  });

  it('sends bookmarks when asked: periodic ones, and the end of a streaming list\'s initial events', async () => {
    /** Every event of a watch that ends by its timeout (real seconds). */
    const events = async (query: string): Promise<{ type: string; object: { kind: string; apiVersion?: string; metadata: Record<string, unknown> } }[]> => {
      const text = await (await get(`${blue}/api/v1/namespaces/default/pods?watch=true&${query}`)).text();
      return text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l));
    };
    const list = await (await get(`${blue}/api/v1/namespaces/default/pods`)).json();
    // (The three watches run side by side: they end by their timeouts.)
    const [periodic, plain, streamed] = await Promise.all([
      events(`resourceVersion=${list.metadata.resourceVersion}&allowWatchBookmarks=true&timeoutSeconds=2`),
      events(`resourceVersion=${list.metadata.resourceVersion}&timeoutSeconds=1`),
      events('sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&resourceVersion=&timeoutSeconds=1'),
    ]);
    // A 2 s watch: its bookmark is due 2 s before the end (at once), with only kind, apiVersion and resourceVersion.
    const marks = periodic.filter((e) => e.type === 'BOOKMARK');
    expect(marks).toHaveLength(1);
    expect(Object.keys(marks[0]!.object).sort()).toEqual(['apiVersion', 'kind', 'metadata']);
    expect(marks[0]!.object).toEqual({ kind: 'Pod', apiVersion: 'v1', metadata: { resourceVersion: expect.stringMatching(/^\d+$/) } });
    expect(Number(marks[0]!.object.metadata['resourceVersion'])).toBeGreaterThanOrEqual(Number(list.metadata.resourceVersion));
    // Without allowWatchBookmarks: none.
    expect(plain.filter((e) => e.type === 'BOOKMARK')).toEqual([]);
    // A streaming list (client-go WatchList): ADDED for every Pod, then the annotated bookmark; a bookmark's resourceVersion resumes a watch.
    const end = streamed.findIndex((e) => e.type === 'BOOKMARK');
    expect(streamed.slice(0, end).map((e) => e.type)).toEqual(list.items.map(() => 'ADDED'));
    expect(streamed.slice(0, end).map((e) => e.object.metadata['name']).sort()).toEqual(list.items.map((p: { metadata: { name: string } }) => p.metadata.name).sort());
    expect(streamed[end]!.object).toEqual({ kind: 'Pod', apiVersion: 'v1', metadata: { resourceVersion: expect.stringMatching(/^\d+$/), annotations: { 'k8s.io/initial-events-end': 'true' } } });
    const resumed = await events(`resourceVersion=${String(streamed[end]!.object.metadata['resourceVersion'])}&timeoutSeconds=1`);
    expect(resumed.filter((e) => e.type === 'ERROR')).toEqual([]);
    // The real API server's validation of the watch-list options: 422 with causes.
    const invalid = await get(`${blue}/api/v1/namespaces/default/pods?watch=true&sendInitialEvents=true`);
    expect(invalid.status).toBe(422);
    expect(await invalid.json()).toMatchObject({
      kind: 'Status',
      reason: 'Invalid',
      code: 422,
      message: 'ListOptions.meta.k8s.io "" is invalid: [resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan, allowWatchBookmarks: Forbidden: sendInitialEvents requires setting allowWatchBookmarks to true]',
      details: { group: 'meta.k8s.io', kind: 'ListOptions', causes: [{ field: 'resourceVersionMatch', reason: 'FieldValueForbidden' }, { field: 'allowWatchBookmarks', reason: 'FieldValueForbidden' }] },
    });
    expect((await get(`${blue}/api/v1/namespaces/default/pods?sendInitialEvents=true`)).status).toBe(422);
    // 410 Gone as the watch cache words it: too old resource version: ASKED (CURRENT).
    const gone = await events('resourceVersion=1&allowWatchBookmarks=true');
    expect(gone).toEqual([{ type: 'ERROR', object: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: expect.stringMatching(/^too old resource version: 1 \(\d+\)$/), reason: 'Expired', code: 410 } }]);
  });

  it('serves kube-state-metrics-like Prometheus metrics of the team cluster', async () => {
    const res = await get(`${blue}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(text).toMatch(/^kube_pod_status_phase\{namespace="default",pod="frontend-[a-z0-9-]+",phase="Running"\} 1$/m);
    expect(text).toMatch(/^kube_deployment_status_replicas_available\{namespace="default",deployment="frontend"\} \d+$/m);
    expect(text).toMatch(/^kube_node_status_condition\{node="[^"]+",condition="Ready",status="true"\} 1$/m);
    expect(text).toMatch(/^etcd_server_has_leader 1$/m);
    expect(text).toMatch(/^gameday_slo_valid_total\{slo="availability"\} \d+$/m);
    expect(text).toContain('# TYPE kube_pod_container_status_restarts_total counter');
    expect((await fetch(`${blue}/metrics`)).status).toBe(401);
  });

  it("answers 503 etcdserver: request timed out while the team's etcd has no quorum", async () => {
    const reply = await ask(tess, 'control', { id: 'q', op: 'inject', team: 'blue', incident: { type: 'etcd-quorum-loss', target: 'etcd-1,etcd-2' } });
    expect(reply.ok).toBe(true);
    let res = await get(`${blue}/api/v1/pods`);
    for (let i = 0; i < 100 && res.status !== 503; i++) {
      await new Promise((r) => setTimeout(r, 50));
      res = await get(`${blue}/api/v1/pods`);
    }
    expect(await res.json()).toMatchObject({ kind: 'Status', code: 503, message: 'etcdserver: request timed out' });
    // Red's cluster is not affected; the trainer reads it.
    expect((await get(`${red}/api/v1/pods`, 'application/json', tessToken)).status).toBe(200);
    expect((await get(`${blue}/api/v1/pods`, 'application/json', tessToken)).status).toBe(503);
  });
});
