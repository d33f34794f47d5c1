import { describe, expect, it } from 'vitest';
import { applyAction, markDirty } from '../../shared/sim/index.ts';
import {
  EVICTION_REFUSED,
  bindPod,
  createObject,
  newMeta,
  deletePod,
  evictPod,
  recordWrites,
  registerEvictionGate,
  updateObject,
  type Write,
} from '../../shared/sim/apiserver.ts';
import { changesSince } from '../../shared/sim/changelog.ts';
import { getIndex } from '../../shared/sim/cache.ts';
import { newPodFromTemplate } from '../../shared/sim/controllers/replicaset.ts';
import { podDisruptionBudgetKind, pdbBudget } from '../../shared/sim/kinds/poddisruptionbudget.ts';
import { toApi } from '../../shared/sim/kinds/index.ts';
import { stateHash, type PodDisruptionBudget } from '../../shared/sim/index.ts';
import { runKubectl } from '../../shared/kubectl/index.ts';
import { deployment, podsOf, run, runUntil, sim } from './fixtures.ts';

const kubectl = (s: Parameters<typeof runKubectl>[0], line: string) => {
  const r = runKubectl(s, `kubectl ${line}`);
  return r.kind === 'output' ? r.output : r.kind === 'error' ? r.error : undefined;
};
const count = (writes: Write[], verb: Write['verb'], kind: Write['kind'] = 'Pod') => writes.filter((w) => w.verb === verb && w.kind === kind).length;

describe('the API server write path', () => {
  it('records what the ReplicaSet controller writes: scale up creates 3, scale down deletes 1', () => {
    const s = sim({ deployments: [deployment('web', { replicas: 3 })] });
    const up = recordWrites(s, () => {
      applyAction(s, 'p', { type: 'scaleDeployment', deployment: 'web', replicas: 6 });
      run(s, 1);
    });
    expect(count(up, 'update', 'Deployment')).toBe(1);
    expect(count(up, 'create')).toBe(3);
    expect(count(up, 'bind')).toBe(3);
    expect(count(up, 'delete')).toBe(0);
    runUntil(s, (x) => podsOf(x, 'web').filter((p) => p.sim.ready).length === 6, 30);
    const down = recordWrites(s, () => {
      applyAction(s, 'p', { type: 'scaleDeployment', deployment: 'web', replicas: 5 });
      run(s, 1);
    });
    expect(count(down, 'create')).toBe(0);
    expect(count(down, 'delete')).toBe(1);
    const gone = recordWrites(s, () => run(s, 10));
    expect(count(gone, 'remove')).toBe(1); // the kubelet's final delete after the app exited
    expect(podsOf(s, 'web')).toHaveLength(5);
  });

  it('drain evicts every pod of the node through the Eviction subresource', () => {
    const s = sim({ deployments: [deployment('web', { replicas: 6 })] });
    const onA = podsOf(s, 'web').filter((p) => p.spec.nodeName === 'node-a').map((p) => `default/${p.metadata.name}`).sort();
    expect(onA.length).toBeGreaterThan(0);
    const writes = recordWrites(s, () => applyAction(s, 'bob', { type: 'drainNode', node: 'node-a' }));
    expect(writes[0]).toEqual({ verb: 'update', kind: 'Node', key: 'node-a' });
    expect(writes.filter((w) => w.verb === 'evict').map((w) => w.key)).toEqual(onA);
    expect(count(writes, 'delete')).toBe(0);
  });

  it('an eviction gate (where PodDisruptionBudgets plug in) refuses with 429 and drain reports it', () => {
    const s = sim({ deployments: [deployment('web', { replicas: 6 })] });
    const onA = podsOf(s, 'web').filter((p) => p.spec.nodeName === 'node-a').map((p) => `default/${p.metadata.name}`).sort();
    const protectedKey = onA[0]!;
    const unregister = registerEvictionGate({ allows: (_s, key) => key !== protectedKey });
    try {
      expect(evictPod(s, protectedKey)).toEqual({ ok: false, code: 429, error: EVICTION_REFUSED });
      expect(s.pods[protectedKey]!.metadata.deletionTimestamp).toBeUndefined();
      const r = applyAction(s, 'bob', { type: 'drainNode', node: 'node-a' });
      expect(r.ok && r.message).toContain(`error when evicting pods/"${protectedKey.slice('default/'.length)}" -n "default" (will retry after 5s): ${EVICTION_REFUSED}`);
      expect(s.pods[protectedKey]!.metadata.deletionTimestamp).toBeUndefined();
      expect(onA.slice(1).every((k) => s.pods[k]!.metadata.deletionTimestamp !== undefined)).toBe(true);
      // a plain delete is not an eviction: the gate does not apply
      expect(deletePod(s, protectedKey).ok).toBe(true);
    } finally {
      unregister();
    }
  });

  it('a PodDisruptionBudget gates drain: evictions stop once no disruption is allowed', () => {
    const s = sim({ deployments: [deployment('web', { replicas: 6 })] });
    const before = stateHash(s);
    expect(Object.keys(podDisruptionBudgetKind.store(s))).toEqual([]);
    expect(stateHash(s)).toBe(before); // reading the optional store changes nothing
    const pdb: PodDisruptionBudget = {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: newMeta(s, 'default', 'web', {}, {}, []),
      spec: { selector: { matchLabels: { app: 'web' } }, minAvailable: 5 },
    };
    expect(createObject(s, 'PodDisruptionBudget', pdb)).toEqual({ ok: true, key: 'default/web' });
    expect(pdbBudget(s, pdb)).toEqual({ expected: 6, healthy: 6, desired: 5, allowed: 1 });
    expect(kubectl(s, 'get pdb')).toBe('NAME   MIN AVAILABLE   MAX UNAVAILABLE   ALLOWED DISRUPTIONS   AGE\nweb    5               N/A               1                     0s');
    expect(kubectl(s, 'get pdb web -o name')).toBe('poddisruptionbudget.policy/web');
    const onA = podsOf(s, 'web').filter((p) => p.spec.nodeName === 'node-a');
    expect(onA.length).toBeGreaterThanOrEqual(2);
    const writes = recordWrites(s, () => {
      const r = applyAction(s, 'bob', { type: 'drainNode', node: 'node-a' });
      expect(r.ok && r.message.split('\n').filter((l) => l.endsWith(EVICTION_REFUSED))).toHaveLength(onA.length - 1);
    });
    expect(count(writes, 'evict')).toBe(1);
    expect(pdbBudget(s, pdb)).toMatchObject({ healthy: 5, allowed: 0 });
    const api = toApi(pdb, s) as { status: { disruptionsAllowed: number; currentHealthy: number } };
    expect(api.status).toMatchObject({ disruptionsAllowed: 0, currentHealthy: 5 });
  });

  it('taint-based eviction deletes through the write path, ungated by eviction gates', () => {
    const s = sim({ deployments: [deployment('web', { replicas: 6 })] });
    const onA = podsOf(s, 'web').filter((p) => p.spec.nodeName === 'node-a').map((p) => `default/${p.metadata.name}`).sort();
    const unregister = registerEvictionGate({ allows: () => false });
    try {
      s.nodes['node-a']!.sim.kubeletUp = false;
      markDirty(s, 'nodes', 'node-a');
      const writes = recordWrites(s, () => run(s, 360));
      const deleted = writes.filter((w) => w.verb === 'delete' && w.kind === 'Pod').map((w) => w.key).sort();
      expect(deleted).toEqual(onA);
      expect(count(writes, 'evict')).toBe(0);
      // NotReady + the NoSchedule taint, then the NoExecute taint from the zone's rate-limited tainter (two writes, as in K).
      expect(writes.filter((w) => w.kind === 'Node' && w.key === 'node-a' && w.verb === 'updateStatus')).toHaveLength(2);
      expect(count(writes, 'create')).toBe(onA.length); // replacements
    } finally {
      unregister();
    }
  });

  it('validates writes: quorum, existence, double binding', () => {
    const s = sim();
    const pod = podsOf(s, 'web')[0]!;
    const key = `default/${pod.metadata.name}`;
    expect(deletePod(s, 'default/nope')).toMatchObject({ ok: false, code: 404, error: 'Error from server (NotFound): pods "nope" not found' });
    expect(bindPod(s, key, 'node-b')).toMatchObject({ ok: false, code: 409 });
    expect(createObject(s, 'Pod', pod)).toMatchObject({ ok: false, code: 409 });
    const rv = s.deployments['default/web']!.metadata.resourceVersion;
    s.controlPlane.etcd.hasQuorum = false;
    expect(updateObject(s, 'Deployment', 'default/web', () => { throw new Error('must not run'); })).toMatchObject({ ok: false, code: 503 });
    expect(deletePod(s, key)).toMatchObject({ ok: false, code: 503 });
    s.controlPlane.etcd.hasQuorum = true;
    expect(updateObject(s, 'Deployment', 'default/web', (d) => void (d.spec.paused = true))).toEqual({ ok: true, key: 'default/web' });
    expect(s.deployments['default/web']!.metadata.resourceVersion).toBeGreaterThan(rv);
  });

  it('create and bind keep the indexes and the Node request sums; the change log records them', () => {
    const s = sim();
    const start = changesSince(s, 0);
    expect('resync' in start && start.resync).toBeFalsy();
    const cursor = start.cursor;
    const rs = Object.values(s.replicaSets)[0]!;
    const pod = newPodFromTemplate(s, rs);
    const key = `default/${pod.metadata.name}`;
    const before = s.nodes['node-b']!.sim.cpuRequestedMilli;
    expect(createObject(s, 'Pod', pod)).toEqual({ ok: true, key });
    expect(getIndex(s).podsByOwner.get(`default/${rs.metadata.name}`)?.has(key)).toBe(true);
    expect(bindPod(s, key, 'node-b').ok).toBe(true);
    expect(getIndex(s).podsByNode.get('node-b')?.has(key)).toBe(true);
    expect(s.nodes['node-b']!.sim.cpuRequestedMilli).toBe(before + pod.sim.cpuRequestMilli);
    expect(deletePod(s, key, { force: true }).ok).toBe(true);
    expect(s.nodes['node-b']!.sim.cpuRequestedMilli).toBe(before);
    expect(getIndex(s).podsByNode.get('node-b')?.has(key)).toBeFalsy();
    const after = changesSince(s, cursor);
    if (after.resync) throw new Error('unexpected resync');
    expect(after.changes.map((c) => `${c.type} ${c.kind} ${c.key}`)).toEqual([
      `ADDED Pod ${key}`,
      `MODIFIED Pod ${key}`,
      'MODIFIED Node node-b',
      'MODIFIED Node node-b',
      `DELETED Pod ${key}`,
    ]);
  });

  it('the change log starts with every object createSim built', () => {
    const s = sim();
    const all = changesSince(s, 0);
    if (all.resync) throw new Error('unexpected resync');
    const added = new Set(all.changes.filter((c) => c.type === 'ADDED').map((c) => `${c.kind} ${c.key}`));
    for (const k of ['Node node-a', 'Node node-c', 'Deployment default/web', 'Service default/web', 'EndpointSlice default/web']) expect(added.has(k)).toBe(true);
    for (const p of podsOf(s, 'web')) expect(added.has(`Pod default/${p.metadata.name}`)).toBe(true);
    for (const key of Object.keys(s.replicaSets)) expect(added.has(`ReplicaSet ${key}`)).toBe(true);
  });

  it('records kubelet status and memory changes in the change log', () => {
    const s = sim({ deployments: [deployment('web', { replicas: 1, memoryLimit: '512Mi' })], images: { 'web:v1': { memoryGrowthMiBPerSec: 1, memoryPlateauMiB: 400 } } });
    const key = `default/${podsOf(s, 'web')[0]!.metadata.name}`;
    const { cursor } = changesSince(s, 0);
    run(s, 3);
    const after = changesSince(s, cursor);
    if (after.resync) throw new Error('unexpected resync');
    expect(after.changes.filter((c) => c.kind === 'Pod' && c.key === key).length).toBeGreaterThanOrEqual(3);
  });
});
