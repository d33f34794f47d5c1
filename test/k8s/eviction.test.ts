/**
 * The Eviction subresource against a cluster with a PodDisruptionBudget (no built-in scenario has one):
 * a real server and real kubectl v1.32, the cluster a real sim registered with the process's Kubernetes
 * gateway the way a match room registers its own (writes applied by the sim's `applyAction`, the
 * room's path below shared/game). A PDB-blocked eviction answers 429 with the real Status message and
 * changes nothing; `kubectl drain` prints kubectl's retry line; once the budget allows it, the eviction
 * passes and becomes the player's `drainNode`.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { RunningServer } from '../../server/app.ts';
import { registerK8sMatch, type K8sMatchHandle } from '../../server/k8s/gateway.ts';
import { kubeconfigYaml } from '../../server/k8s/kubeconfig.ts';
import type { ActionMessage } from '../../shared/protocol.ts';
import { EVICTION_REFUSED, createObject, newMeta, updateObject } from '../../shared/sim/apiserver.ts';
import { applyAction, type PodDisruptionBudget, type SimState } from '../../shared/sim/index.ts';
import { deployment, sim } from '../sim/fixtures.ts';
import { startTestServer } from '../server/helpers.ts';

const run = promisify(execFile);
import { KUBECTL } from './kubectl-bin.ts';
const MATCH = '00000000-0000-4000-8000-00000000e71c';

let server: RunningServer;
let home: string;
let config: string;
let token: string;
let handle: K8sMatchHandle;
let s: SimState;
const submitted: ActionMessage[] = [];

async function kubectl(...args: string[]): Promise<{ out: string; err: string; code: number }> {
  try {
    const { stdout, stderr } = await run(KUBECTL, ['--kubeconfig', config, ...args], { env: { HOME: home, PATH: '/usr/bin:/bin' }, timeout: 20_000 });
    return { out: stdout, err: stderr, code: 0 };
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; code?: number };
    return { out: e.stdout ?? '', err: e.stderr ?? '', code: typeof e.code === 'number' ? e.code : 1 };
  }
}

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'gameday-evict-'));
  server = await startTestServer();
  s = sim({ deployments: [deployment('web', { replicas: 4 })] });
  const pdb: PodDisruptionBudget = {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: newMeta(s, 'default', 'web', {}, {}, []),
    spec: { selector: { matchLabels: { app: 'web' } }, minAvailable: 4 },
  };
  expect(createObject(s, 'PodDisruptionBudget', pdb)).toEqual({ ok: true, key: 'default/web' });
  handle = registerK8sMatch(MATCH, {
    teams: () => ['blue'],
    sim: (team) => (team === 'blue' ? s : undefined),
    principal: () => ({ name: 'pat', team: 'blue', trainer: false }),
    submit: (_session, action) => {
      submitted.push(action);
      const r = applyAction(s, 'pat', action);
      return Promise.resolve(r.ok ? { ok: true, message: r.message } : { ok: false, error: r.error });
    },
  });
  token = handle.issue('session-pat');
  config = join(home, 'pat.yaml');
  writeFileSync(config, kubeconfigYaml({ baseUrl: server.url, matchId: MATCH, user: 'pat', token, team: 'blue', teams: ['blue'] }));
});

afterAll(async () => {
  handle?.close();
  await server?.close();
  rmSync(home, { recursive: true, force: true });
});

const webPodOn = (node: string) => Object.values(s.pods).filter((p) => p.spec.nodeName === node && p.metadata.labels['app'] === 'web').map((p) => p.metadata.name).sort();

describe('the Eviction subresource and a PodDisruptionBudget', () => {
  it('discovery lists pods/eviction (kubectl drain checks it before evicting)', async () => {
    const res = await fetch(`${server.url}/k8s/${MATCH}/blue/api/v1`, { headers: { authorization: `Bearer ${token}` } });
    const list = (await res.json()) as { resources: { name: string; kind: string; group?: string; version?: string }[] };
    expect(list.resources.find((r) => r.name === 'pods/eviction')).toMatchObject({ kind: 'Eviction', group: 'policy', version: 'v1' });
  });

  it('a blocked eviction is 429 with the real message and changes nothing', async () => {
    const pod = webPodOn(Object.values(s.pods)[0]!.spec.nodeName!)[0]!;
    const rv = s.counters.resourceVersion;
    const res = await fetch(`${server.url}/k8s/${MATCH}/blue/api/v1/namespaces/default/pods/${pod}/eviction`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: pod, namespace: 'default' } }),
    });
    expect(res.status).toBe(429);
    expect(await res.json()).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'TooManyRequests', code: 429, message: EVICTION_REFUSED });
    expect(s.counters.resourceVersion).toBe(rv);
    expect(submitted).toEqual([]);
  });

  it('kubectl drain is blocked by the PDB (kubectl retries), then passes once the budget allows it', async () => {
    const node = Object.values(s.pods)[0]!.spec.nodeName!;
    const pods = webPodOn(node);
    expect(pods.length).toBeGreaterThan(0);
    const blocked = await kubectl('drain', node, '--ignore-daemonsets', '--delete-emptydir-data', '--timeout=2s');
    expect(blocked.code).not.toBe(0);
    expect(blocked.out).toMatch(new RegExp(`^node/${node} cordoned$`, 'm'));
    expect(blocked.err).toContain(`error when evicting pods/"${pods[0]}" -n "default" (will retry after 5s): ${EVICTION_REFUSED}`);
    expect(submitted).toEqual([{ type: 'cordonNode', node }]);
    expect(updateObject(s, 'PodDisruptionBudget', 'default/web', (p) => {
      p.spec.minAvailable = 0;
    })).toMatchObject({ ok: true });
    const res = await fetch(`${server.url}/k8s/${MATCH}/blue/api/v1/namespaces/default/pods/${pods[0]}/eviction`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: pods[0], namespace: 'default' } }),
    });
    expect(res.status).toBe(201);
    expect(submitted.at(-1)).toEqual({ type: 'drainNode', node });
    for (const p of pods) expect(s.pods[`default/${p}`]?.metadata.deletionTimestamp).toBeDefined();
  });
});
