/**
 * (issue 6) The Kubernetes API serves ControllerRevisions from the kind registry: discovery lists
 * `controllerrevisions` in apps/v1, the kube-proxy DaemonSet's revision is listed and read back with
 * its owner reference, revision number and `$patch: replace` data. A real server and HTTP.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { Client, type Room } from '@colyseus/sdk';
import type { CredentialsMessage } from '../../shared/protocol.ts';
import type { RunningServer } from '../../server/app.ts';
import { nextMessage, startTestServer } from '../server/helpers.ts';

let server: RunningServer;
let alice: Room;
let blue: string;
let token: string;

beforeAll(async () => {
  server = await startTestServer({});
  alice = await new Client(server.url).joinOrCreate('match', { name: 'alice', seed: 3, teams: 1, scenario: 'guestbook' });
  const cred = await nextMessage<CredentialsMessage>(alice, 'credentials');
  token = cred.token;
  blue = `${server.url}/k8s/${cred.matchId}/blue`;
});

afterAll(async () => {
  await alice?.leave().catch(() => undefined);
  await server?.close();
});

const get = (url: string) => fetch(url, { headers: { accept: 'application/json', authorization: `Bearer ${token}` } });

describe('ControllerRevisions over the Kubernetes API', () => {
  it('discovers, lists and gets the kube-proxy DaemonSet revision', async () => {
    const disco = (await (await get(`${blue}/apis/apps/v1`)).json()) as { resources: { name: string; kind: string; namespaced: boolean }[] };
    expect(disco.resources.find((r) => r.name === 'controllerrevisions')).toMatchObject({ kind: 'ControllerRevision', namespaced: true });
    const list = (await (await get(`${blue}/apis/apps/v1/namespaces/kube-system/controllerrevisions`)).json()) as { kind: string; items: { metadata: { name: string } }[] };
    expect(list.kind).toBe('ControllerRevisionList');
    const name = list.items.map((i) => i.metadata.name).find((n) => n.startsWith('kube-proxy-'));
    expect(name).toMatch(/^kube-proxy-[a-z0-9]{10}$/);
    const cr = (await (await get(`${blue}/apis/apps/v1/namespaces/kube-system/controllerrevisions/${name}`)).json()) as Record<string, unknown> & { metadata: { ownerReferences: unknown[] } };
    expect(cr).toMatchObject({ apiVersion: 'apps/v1', kind: 'ControllerRevision', revision: 1, data: { spec: { template: { $patch: 'replace' } } } });
    expect(cr.metadata.ownerReferences).toEqual([expect.objectContaining({ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'kube-proxy', controller: true })]);
  });
});
