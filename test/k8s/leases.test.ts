/**
 * Leases (coordination.k8s.io/v1) through the per-team Kubernetes API, as real kubectl v1.32 reads them:
 * a real server and a real sim registered with the process's Kubernetes gateway (the way a match room
 * or `gameday kube` lends its cluster), held still so the console and kubectl see the same instant.
 * `get leases -A`, `get leases -n kube-node-lease`, `describe lease` (kubectl's generic describer) and
 * `-o yaml` print what the console prints; discovery lists `leases` (namespaced, no short name), and
 * `kubectl explain` reads the OpenAPI definition.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { parse } from 'yaml';
import type { RunningServer } from '../../server/app.ts';
import { registerK8sMatch, type K8sMatchHandle } from '../../server/k8s/gateway.ts';
import { kubeconfigYaml } from '../../server/k8s/kubeconfig.ts';
import { runKubectl } from '../../shared/kubectl/index.ts';
import { applyAction, markDirty, type SimState } from '../../shared/sim/index.ts';
import { humanDuration } from '../../shared/sim/kinds/print.ts';
import { run as runSim, sim } from '../sim/fixtures.ts';
import { startTestServer } from '../server/helpers.ts';
import { KUBECTL } from './kubectl-bin.ts';

const run = promisify(execFile);
const MATCH = '00000000-0000-4000-8000-0000000001ea';

let server: RunningServer;
let home: string;
let config: string;
let handle: K8sMatchHandle;
let token: string;
let s: SimState;

async function kubectl(...args: string[]): Promise<{ out: string; err: string; code: number }> {
  try {
    const { stdout, stderr } = await run(KUBECTL, ['--kubeconfig', config, ...args], { env: { HOME: home, PATH: '/usr/bin:/bin' }, timeout: 20_000 });
    return { out: stdout, err: stderr, code: 0 };
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; code?: number };
    return { out: e.stdout ?? '', err: e.stderr ?? '', code: typeof e.code === 'number' ? e.code : 1 };
  }
}

/**
 * Stamps masked: the API serves the sim's times on the wall clock (server/k8s/served.ts: now minus the
 * age), the console from the sim's epoch; same length, so the alignment is still compared.
 */
const times = (text: string) => text.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?Z/g, (m) => (m.length > 20 ? 'MICROTIME-------------------' : 'TIME----------------'));

/** The console's answer to the same command line. */
function console_(line: string): string {
  const r = runKubectl(s, `kubectl ${line}`);
  return r.kind === 'output' ? r.output : r.kind === 'error' ? r.error : JSON.stringify(r);
}

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'gameday-leases-'));
  server = await startTestServer();
  // An etcd quorum loss and its repair first: both leader Leases changed holder once (leaseTransitions 1, LeaderElection events).
  s = sim({ incidents: [{ id: 'etcd', type: 'etcd-quorum-loss', at: 5, target: 'etcd-1,etcd-2', params: {} }] });
  runSim(s, 20);
  expect(applyAction(s, 'pat', { type: 'restoreEtcdMember', member: 'etcd-1' }).ok).toBe(true);
  for (let i = 0; i < 300 && !(s.controlPlane.leases ?? []).every((l) => l.holder !== null && l.process === 1); i++) runSim(s, 1);
  runSim(s, 30);
  handle = registerK8sMatch(MATCH, {
    teams: () => ['blue'],
    sim: (team) => (team === 'blue' ? s : undefined),
    principal: () => ({ name: 'pat', team: 'blue', trainer: false }),
    submit: () => Promise.resolve({ ok: false, error: 'read-only test' }),
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

describe('Leases with real kubectl', () => {
  it('get leases -A prints the console\'s table (NAMESPACE NAME HOLDER AGE)', async () => {
    const r = await kubectl('get', 'leases', '-A');
    expect(r.err).toBe('');
    expect(r.out.trimEnd()).toBe(console_('get leases -A'));
    const age = humanDuration(s.t);
    expect(r.out).toMatch(new RegExp(`^kube-node-lease\\s+node-a\\s+node-a\\s+${age}$`, 'm'));
    expect(r.out).toMatch(new RegExp(`^kube-system\\s+kube-scheduler\\s+control-plane_\\S+\\s+${age}$`, 'm'));
  });

  it('get leases -n kube-node-lease: one per Node', async () => {
    const r = await kubectl('get', 'leases', '-n', 'kube-node-lease');
    expect(r.out.trimEnd()).toBe(console_('get leases -n kube-node-lease'));
    expect(r.out.trim().split('\n').map((l) => l.split(/\s+/)[0])).toEqual(['NAME', 'node-a', 'node-b', 'node-c']);
  });

  it('describe lease: kubectl\'s generic describer prints what the console prints, Events included', async () => {
    for (const [ns, name] of [['kube-system', 'kube-scheduler'], ['kube-node-lease', 'node-b']] as const) {
      const r = await kubectl('describe', 'lease', name, '-n', ns);
      expect(r.err).toBe('');
      expect(times(r.out.trimEnd())).toBe(times(console_(`describe lease ${name} -n ${ns}`)));
    }
    expect((await kubectl('describe', 'lease', 'kube-scheduler', '-n', 'kube-system')).out).toMatch(/Lease Transitions:\s+1\n/);
  });

  it('-o yaml: the same object as the console\'s', async () => {
    const r = await kubectl('get', 'lease', 'kube-controller-manager', '-n', 'kube-system', '-o', 'yaml');
    expect(parse(times(r.out))).toEqual(parse(times(console_('get lease kube-controller-manager -n kube-system -o yaml'))));
    expect(parse(r.out)).toMatchObject({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', spec: { leaseDurationSeconds: 15, leaseTransitions: 1 } });
  });

  it('discovery and explain', async () => {
    const r = await kubectl('api-resources', '--api-group=coordination.k8s.io');
    expect(r.out.trim().split('\n')[1]).toMatch(/^leases\s+coordination\.k8s\.io\/v1\s+true\s+Lease$/);
    const wide = await kubectl('api-resources', '--api-group=coordination.k8s.io', '-o', 'wide');
    expect(wide.out.trim().split('\n')[1]).toMatch(/^leases\s+coordination\.k8s\.io\/v1\s+true\s+Lease\s+get,list,watch$/);
    const e = await kubectl('explain', 'lease.spec');
    expect(e.err).toBe('');
    expect(e.out).toMatch(/renewTime\s+<string>/);
    expect(e.out).toMatch(/holderIdentity\s+<string>/);
  });

  it('watch: ADDED for each Node Lease, then the renewal after a kubelet comes back', async () => {
    const url = `${server.url}/k8s/${MATCH}/blue/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases?watch=true&timeoutSeconds=2`;
    const res = fetch(url, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.text());
    await new Promise((r) => setTimeout(r, 400));
    // node-b's machine dies and comes back: its Lease is renewed again (the change log notes it)
    s.nodes['node-b']!.sim.kubeletUp = false;
    markDirty(s, 'nodes', 'node-b');
    runSim(s, 5);
    s.nodes['node-b']!.sim.kubeletUp = true;
    markDirty(s, 'nodes', 'node-b');
    runSim(s, 1);
    const events = (await res).trim().split('\n').map((l) => JSON.parse(l) as { type: string; object: { metadata: { name: string }; spec: { renewTime: string } } });
    expect(events.slice(0, 3).map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['ADDED node-a', 'ADDED node-b', 'ADDED node-c']);
    expect(events.slice(3).map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['MODIFIED node-b']);
  });
});
