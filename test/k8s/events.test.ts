/**
 * Events through both of their API groups, as real clients read them: kubectl v1.32's `get events`,
 * `get events.v1.events.k8s.io` (columns of a real cluster's event printer) and `kubectl events`,
 * and @kubernetes/client-node's EventsV1Api (list, read, watch) against a live match; one Event object
 * per series (a repeat is the same object with a higher count), kube-scheduler's events shaped as the
 * events.k8s.io API records them (eventTime, series, action), the others as the legacy recorder's.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { Client, type Room } from '@colyseus/sdk';
import * as k8s from '@kubernetes/client-node';
import { snapshotState } from '../../client/src/view/stateMirror.ts';
import type { CredentialsMessage } from '../../shared/protocol.ts';
import type { RunningServer } from '../../server/app.ts';
import { nextMessage, startTestServer, waitFor } from '../server/helpers.ts';
import { KUBECTL } from './kubectl-bin.ts';

const run = promisify(execFile);

let server: RunningServer;
let home: string;
let config: string;
let alice: Room;
let kc: k8s.KubeConfig;

async function kubectl(...args: string[]): Promise<{ out: string; err: string; code: number }> {
  try {
    const { stdout, stderr } = await run(KUBECTL, ['--kubeconfig', config, ...args], { env: { HOME: home, PATH: '/usr/bin:/bin' }, timeout: 20_000 });
    return { out: stdout, err: stderr, code: 0 };
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; code?: number };
    return { out: e.stdout ?? '', err: e.stderr ?? '', code: typeof e.code === 'number' ? e.code : 1 };
  }
}

const blue = () => snapshotState(alice.state).teams.get('blue')!;

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'gameday-k8s-events-'));
  server = await startTestServer();
  const client = new Client(server.url);
  alice = await client.joinOrCreate('match', { name: 'alice', seed: 5, teams: 1, scenario: 'guestbook', timeDilation: 30 });
  const cred = await nextMessage<CredentialsMessage>(alice, 'credentials');
  const res = await fetch(`${server.url}${cred.kubeconfigPath}`, { headers: { authorization: `Bearer ${cred.token}` } });
  config = join(home, 'alice.yaml');
  writeFileSync(config, await res.text());
  kc = new k8s.KubeConfig();
  kc.loadFromFile(config);
  await waitFor(() => (blue()?.pods.size ?? 0) > 0, 'blue projected');
});

afterAll(async () => {
  await alice?.leave().catch(() => undefined);
  await server?.close();
  rmSync(home, { recursive: true, force: true });
});

/** The header words of a kubectl table (split on 2+ spaces). */
const header = (out: string) => out.split('\n')[0]!.trim().split(/\s{2,}/);
const lines = (out: string) => out.trim().split('\n');

interface V1Event {
  metadata: { name: string; resourceVersion: string };
  eventTime: string | null;
  series?: { count: number; lastObservedTime: string };
  action?: string;
  reason: string;
  note: string;
  type: string;
  regarding: { kind: string; name: string };
  reportingController: string;
  reportingInstance: string;
  deprecatedSource: { component?: string };
  deprecatedCount?: number;
  deprecatedFirstTimestamp: string | null;
  deprecatedLastTimestamp: string | null;
}

describe('events.k8s.io/v1 Events', () => {
  it('kubectl get events.v1.events.k8s.io prints the columns of a real cluster, one row per Event like core/v1', async () => {
    // Over capacity: FailedScheduling for the Pods that do not fit, repeated as kube-scheduler retries them.
    expect((await kubectl('scale', 'deploy/frontend', '--replicas=40')).code).toBe(0);
    const all = await kubectl('get', 'events.v1.events.k8s.io', '-A');
    expect(all.err).toBe('');
    expect(header(all.out)).toEqual(['NAMESPACE', 'LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE']);
    expect(lines(all.out).length).toBeGreaterThan(10);
    const wide = await kubectl('get', 'events.v1.events.k8s.io', '-o', 'wide');
    expect(header(wide.out)).toEqual(['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'SUBOBJECT', 'SOURCE', 'MESSAGE', 'FIRST SEEN', 'COUNT', 'NAME']);
    expect(wide.out).toMatch(/\sdefault-scheduler, default-scheduler-\S+\s+Successfully assigned default\//);
    // The same objects as core/v1 (same names), one per series.
    const names = async (resource: string) => (await kubectl('get', resource, '-o', 'custom-columns=NAME:.metadata.name', '--no-headers')).out.trim().split('\n').sort();
    const [v1Names, coreNames] = await Promise.all([names('events.v1.events.k8s.io'), names('events')]);
    expect(v1Names.length).toBeGreaterThan(10);
    expect(new Set(v1Names).size).toBe(v1Names.length);
    expect(v1Names.filter((n) => !coreNames.includes(n)).length).toBeLessThan(5); // (events recorded between the two lists)
    expect(v1Names.every((n) => /^[a-z0-9.-]+\.[0-9a-f]{16}$/.test(n))).toBe(true);
  });

  it('maps the fields as the API server converts core/v1 Events: scheduler events with eventTime, action and series; the others deprecated*', async () => {
    let items: V1Event[] = [];
    const deadline = Date.now() + 20_000;
    while (!items.some((e) => e.series) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      const r = await kubectl('get', 'events.v1.events.k8s.io', '-o', 'json');
      items = (JSON.parse(r.out) as { items: V1Event[] }).items;
    }
    const scheduled = items.find((e) => e.reason === 'Scheduled')!;
    expect(scheduled).toMatchObject({ action: 'Binding', type: 'Normal', reportingController: 'default-scheduler', deprecatedSource: {}, deprecatedFirstTimestamp: null, deprecatedLastTimestamp: null, regarding: { kind: 'Pod' } });
    expect(scheduled.eventTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(scheduled.reportingInstance).toMatch(/^default-scheduler-/);
    expect(scheduled.deprecatedCount).toBeUndefined();
    expect(scheduled.note).toBe(`Successfully assigned default/${scheduled.regarding.name} to ${scheduled.note.split(' to ')[1]}`);
    // A repeated FailedScheduling: one Event with a series.
    const repeated = items.find((e) => e.series)!;
    expect(repeated).toMatchObject({ reason: 'FailedScheduling', type: 'Warning', action: 'Scheduling', series: { count: expect.any(Number) } });
    expect(repeated.series!.count).toBeGreaterThan(1);
    expect(Date.parse(repeated.series!.lastObservedTime)).toBeGreaterThan(Date.parse(repeated.eventTime!));
    // A kubelet event: the legacy recorder's fields under their deprecated names.
    const pulled = items.find((e) => e.reason === 'Pulled')!;
    expect(pulled).toMatchObject({ eventTime: null, reportingController: 'kubelet', deprecatedSource: { component: 'kubelet' }, deprecatedCount: 1 });
    expect(pulled.deprecatedFirstTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(pulled.series).toBeUndefined();
    // The combined ReplicaSet events: one Event whose deprecatedCount counts them.
    expect(items.find((e) => e.reason === 'SuccessfulCreate' && e.note.startsWith('(combined from similar events): '))?.deprecatedCount).toBeGreaterThan(1);
    // kubectl get events (core/v1) reads the same series: COUNT of the FailedScheduling one.
    const core = await kubectl('get', 'events', '-o', 'wide', '--field-selector', `involvedObject.name=${repeated.regarding.name},reason=FailedScheduling`);
    // (SUBOBJECT is empty: read COUNT from the right, before NAME.)
    const cells = lines(core.out)[1]!.split(/\s{2,}/);
    expect(cells.at(-1)).toBe(repeated.metadata.name);
    expect(Number(cells.at(-2))).toBeGreaterThanOrEqual(repeated.series!.count);
  });

  it('kubectl events lists them (core/v1) with the repeats as (xN over T)', async () => {
    const r = await kubectl('events');
    expect(r.err).toBe('');
    expect(header(r.out)).toEqual(['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE']);
    expect(r.out).toMatch(/\(x\d+ over \S+\)\s+Warning\s+FailedScheduling\s+Pod\/frontend-/);
    const pod = [...blue().pods.keys()].find((k) => k.startsWith('default/frontend-'))!.slice('default/'.length);
    // (kubectl 1.32's events command reads core/v1: involvedObject.kind/apiVersion/name field selectors.)
    const forPod = await kubectl('events', '--for', `pod/${pod}`);
    expect(lines(forPod.out).slice(1).every((l) => l.includes(`Pod/${pod}`))).toBe(true);
    expect(forPod.out).toMatch(/Normal\s+Scheduled\s+Pod\//);
  });

  it('an Events watch resumes from a list (no event lost in between) or from an Event it sent; an unknown resourceVersion is 410', async () => {
    const base = kc.getCurrentCluster()!.server;
    const auth = { headers: { accept: 'application/json' } };
    const list = (await (await fetch(`${base}/api/v1/namespaces/default/events`, auth)).json()) as { metadata: { resourceVersion: string }; items: { metadata: { resourceVersion: string } }[] };
    // Recorded after the list, before the watch starts.
    expect((await kubectl('scale', 'deploy/redis-replica', '--replicas=1')).code).toBe(0);
    const watchFrom = async (rv: string) => {
      const text = await (await fetch(`${base}/api/v1/namespaces/default/events?watch=true&resourceVersion=${rv}&timeoutSeconds=1`, auth)).text();
      return text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { type: string; object: { reason?: string; code?: number; series?: unknown; count?: number } });
    };
    const [fromList, fromEvent, unknown] = await Promise.all([watchFrom(list.metadata.resourceVersion), watchFrom(list.items.at(-1)!.metadata.resourceVersion), watchFrom('99999999')]);
    expect(fromList.some((e) => e.type === 'ADDED' && e.object.reason === 'ScalingReplicaSet')).toBe(true);
    expect(fromList.every((e) => (e.type === 'ADDED') === ((e.object.count ?? 1) === 1 && e.object.series === undefined))).toBe(true);
    expect(fromEvent.filter((e) => e.type === 'ERROR')).toEqual([]);
    expect(unknown).toEqual([{ type: 'ERROR', object: expect.objectContaining({ kind: 'Status', code: 410, reason: 'Expired' }) }]);
  });

  it('kubectl explain and discovery know the group', async () => {
    const explain = await kubectl('explain', 'events', '--api-version=events.k8s.io/v1');
    expect(explain.err).toBe('');
    expect(explain.out).toMatch(/^GROUP:\s+events\.k8s\.io$/m);
    for (const field of ['eventTime', 'series', 'regarding', 'note', 'reportingController', 'deprecatedCount']) expect(explain.out).toMatch(new RegExp(`^  ${field}\\s`, 'm'));
    const series = await kubectl('explain', 'events.series', '--api-version=events.k8s.io/v1');
    expect(series.out).toMatch(/^ {2}lastObservedTime\s+<string> -required-$/m);
    const resources = await kubectl('api-resources', '--api-group=events.k8s.io');
    expect(lines(resources.out)[1]!.split(/\s+/)).toEqual(['events', 'events.k8s.io/v1', 'true', 'Event']);
  });

  it('client-node EventsV1Api lists (all namespaces, field selectors), reads and watches them', async () => {
    const api = kc.makeApiClient(k8s.EventsV1Api);
    const all = await api.listEventForAllNamespaces();
    expect(all.items.length).toBeGreaterThan(10);
    const failed = all.items.find((e) => e.reason === 'FailedScheduling' && e.series)!;
    expect(failed.series!.count).toBeGreaterThan(1);
    // (client-node leaves MicroTimes as strings.)
    expect(String(failed.eventTime)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    const mine = await api.listNamespacedEvent({ namespace: 'default', fieldSelector: `regarding.name=${failed.regarding!.name},reason=FailedScheduling` });
    expect(mine.items.map((e) => e.metadata?.name)).toEqual([failed.metadata!.name]);
    const read = await api.readNamespacedEvent({ name: failed.metadata!.name!, namespace: 'default' });
    expect(read.note).toBe(failed.note);
    expect(read.regarding?.kind).toBe('Pod');
    // A streaming list (watch-list) then new events as the cluster changes.
    const seen: { type: string; reason?: string; annotations?: Record<string, string> }[] = [];
    const watch = new k8s.Watch(kc);
    const abort = await watch.watch(
      '/apis/events.k8s.io/v1/namespaces/default/events',
      { sendInitialEvents: true, resourceVersionMatch: 'NotOlderThan', allowWatchBookmarks: true, timeoutSeconds: 20 },
      (type, obj: k8s.EventsV1Event) => seen.push({ type, ...(obj.reason !== undefined ? { reason: obj.reason } : {}), ...(obj.metadata?.annotations ? { annotations: obj.metadata.annotations } : {}) }),
      () => undefined,
    );
    try {
      await waitFor(() => seen.some((e) => e.type === 'BOOKMARK'), 'the end of the initial events');
      const end = seen.findIndex((e) => e.type === 'BOOKMARK');
      expect(end).toBeGreaterThan(10);
      expect(seen.slice(0, end).every((e) => e.type === 'ADDED')).toBe(true);
      expect(seen[end]!.annotations).toEqual({ 'k8s.io/initial-events-end': 'true' });
      expect((await kubectl('scale', 'deploy/redis-replica', '--replicas=3')).code).toBe(0);
      await waitFor(() => seen.slice(end).some((e) => e.type === 'ADDED' && e.reason === 'ScalingReplicaSet'), 'the scale event');
    } finally {
      abort.abort();
    }
  });
});
