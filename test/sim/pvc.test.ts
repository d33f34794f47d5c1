/**
 * PersistentVolumeClaims (issue 6): a StatefulSet's `volumeClaimTemplates` make claims
 * `<template>-<set>-<ordinal>` before each Pod, kept on scale-down and on delete (retention Retain) and
 * reused by the Pod of the same ordinal; `kubectl get pvc` as kubectl 1.32 prints it; the scheduler's
 * VolumeBinding PreFilter keeps a Pod whose claim does not exist Pending until the claim is created.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../shared/manifests/load.ts';
import { manifestsOnlyInput } from '../../shared/scenario/toSimInput.ts';
import { applyAction, createSim, step } from '../../shared/sim/index.ts';
import type { SimState } from '../../shared/sim/index.ts';
import { runKubectl } from '../../shared/kubectl/index.ts';

const PUBLIC = join(import.meta.dirname, '..', 'fixtures', 'manifests', 'public');

function kubectl(s: SimState, line: string): string {
  const r = runKubectl(s, line);
  if (r.kind === 'output') return r.output;
  if (r.kind === 'error') return r.error;
  const a = applyAction(s, 'alice', r.action);
  return a.ok ? a.message : a.error;
}

const claims = (s: SimState) => Object.keys(s.persistentVolumeClaims ?? {}).sort();

describe('StatefulSet volumeClaimTemplates', () => {
  it('Cassandra: claim cassandra-data-cassandra-N before each Pod, Bound 1Gi RWO class fast; kept on scale-down and delete; reused when the set comes back', () => {
    const text = readFileSync(join(PUBLIC, 'cassandra-statefulset.yaml'), 'utf8');
    const s = createSim({ ...manifestsOnlyInput(loadManifests(text), { seed: 1 }), coldStart: true });
    step(s);
    expect(claims(s)).toEqual(['default/cassandra-data-cassandra-0']);
    expect(s.pods['default/cassandra-0']!.spec.volumes).toEqual([{ name: 'cassandra-data', persistentVolumeClaim: { claimName: 'cassandra-data-cassandra-0' } }]);
    for (let i = 0; i < 150 && s.statefulSets!['default/cassandra']!.status.readyReplicas < 3; i++) step(s);
    expect(claims(s)).toEqual(['default/cassandra-data-cassandra-0', 'default/cassandra-data-cassandra-1', 'default/cassandra-data-cassandra-2']);
    const out = kubectl(s, 'kubectl get pvc');
    const lines = out.split('\n');
    expect(lines[0]).toMatch(/^NAME\s+STATUS\s+VOLUME\s+CAPACITY\s+ACCESS MODES\s+STORAGECLASS\s+VOLUMEATTRIBUTESCLASS\s+AGE$/);
    expect(lines[1]).toMatch(/^cassandra-data-cassandra-0\s+Bound\s+pvc-[0-9a-f-]{36}\s+1Gi\s+RWO\s+fast\s+<unset>\s+\d+s$/);
    expect(s.persistentVolumeClaims!['default/cassandra-data-cassandra-0']!.metadata.labels).toEqual({ app: 'cassandra' });
    const described = kubectl(s, 'kubectl describe pvc cassandra-data-cassandra-0').split('\n');
    expect(described.slice(0, 4)).toEqual(['Name:          cassandra-data-cassandra-0', 'Namespace:     default', 'StorageClass:  fast', 'Status:        Bound']);
    expect(described[4]).toMatch(/^Volume: +pvc-[0-9a-f-]{36}$/);
    expect(described[5]).toBe('Labels:        app=cassandra');
    expect(described.slice(-6)).toEqual(['Finalizers:    [kubernetes.io/pvc-protection]', 'Capacity:      1Gi', 'Access Modes:  RWO', 'VolumeMode:    Filesystem', 'Used By:       cassandra-0', 'Events:        <none>']);
    const events = kubectl(s, 'kubectl get events');
    expect(events).toContain('create Claim cassandra-data-cassandra-1 Pod cassandra-1 in StatefulSet cassandra success');

    // scale-down: cassandra-2 goes, its claim stays
    expect(kubectl(s, 'kubectl scale statefulset cassandra --replicas=2')).toBe('statefulset.apps/cassandra scaled');
    for (let i = 0; i < 60 && s.pods['default/cassandra-2']; i++) step(s);
    expect(s.pods['default/cassandra-2']).toBeUndefined();
    expect(claims(s)).toHaveLength(3);

    const volume1 = s.persistentVolumeClaims!['default/cassandra-data-cassandra-1']!.spec.volumeName;
    expect(kubectl(s, 'kubectl delete statefulset cassandra')).toBe('statefulset.apps "cassandra" deleted');
    for (let i = 0; i < 60 && Object.keys(s.pods).some((k) => k.startsWith('default/cassandra-')); i++) step(s);
    expect(claims(s)).toHaveLength(3);
    const sts = text.split('\n---\n').find((d) => d.includes('kind: StatefulSet'))!;
    expect(applyAction(s, 'alice', { type: 'createObject', manifest: sts }).ok).toBe(true);
    for (let i = 0; i < 150 && !s.pods['default/cassandra-1']?.sim.ready; i++) step(s);
    expect(s.persistentVolumeClaims!['default/cassandra-data-cassandra-1']!.spec.volumeName).toBe(volume1);
    expect(claims(s)).toHaveLength(3);
  });
});

describe('persistentVolumeClaimRetentionPolicy Delete', () => {
  it('whenScaled: Delete removes a scaled-down ordinal\'s claim once its Pod is gone; whenDeleted: Delete removes the rest with the set', () => {
    const text = readFileSync(join(PUBLIC, 'cassandra-statefulset.yaml'), 'utf8').replace('  volumeClaimTemplates:', '  persistentVolumeClaimRetentionPolicy: { whenDeleted: Delete, whenScaled: Delete }\n  volumeClaimTemplates:');
    const loaded = loadManifests(text);
    expect(loaded.errors).toEqual([]);
    const s = createSim({ ...manifestsOnlyInput(loaded, { seed: 1 }), coldStart: true });
    for (let i = 0; i < 150 && s.statefulSets!['default/cassandra']!.status.readyReplicas < 3; i++) step(s);
    expect(claims(s)).toHaveLength(3);
    expect(kubectl(s, 'kubectl get sts cassandra -o jsonpath={.spec.persistentVolumeClaimRetentionPolicy}')).toBe('{"whenDeleted":"Delete","whenScaled":"Delete"}');
    expect(kubectl(s, 'kubectl scale statefulset cassandra --replicas=2')).toBe('statefulset.apps/cassandra scaled');
    step(s);
    // PVC protection: the claim stays while cassandra-2 terminates.
    expect(s.pods['default/cassandra-2']?.metadata.deletionTimestamp).toBeDefined();
    expect(claims(s)).toContain('default/cassandra-data-cassandra-2');
    for (let i = 0; i < 60 && s.pods['default/cassandra-2']; i++) step(s);
    step(s);
    expect(claims(s)).toEqual(['default/cassandra-data-cassandra-0', 'default/cassandra-data-cassandra-1']);
    expect(kubectl(s, 'kubectl delete statefulset cassandra')).toBe('statefulset.apps "cassandra" deleted');
    const deletedAt = s.t;
    step(s);
    // PVC protection: the claims stay Terminating while their Pods terminate.
    expect(claims(s)).toEqual(['default/cassandra-data-cassandra-0', 'default/cassandra-data-cassandra-1']);
    expect(kubectl(s, 'kubectl get pvc')).toMatch(/\ncassandra-data-cassandra-0\s+Terminating\s+pvc-/);
    const described = kubectl(s, 'kubectl describe pvc cassandra-data-cassandra-1');
    expect(described).toMatch(/\nStatus:\s+Terminating \(lasts \d+s\)\n/);
    expect(described).toMatch(/\nFinalizers:\s+\[kubernetes\.io\/pvc-protection\]\n/);
    expect(described).toMatch(/\nUsed By:\s+cassandra-1\n/);
    expect(kubectl(s, 'kubectl get pvc cassandra-data-cassandra-0 -o jsonpath={.metadata.finalizers}')).toBe('["kubernetes.io/pvc-protection"]');
    for (let i = 0; i < 60 && Object.keys(s.pods).some((k) => k.startsWith('default/cassandra-')); i++) step(s);
    const podsGoneAt = s.t;
    expect(podsGoneAt - deletedAt).toBeGreaterThan(1); // the claims outlived the set
    expect(claims(s)).toEqual([]); // gone with the last Pod that used them
  });
});

describe('PVC protection (kubernetes.io/pvc-protection)', () => {
  it('kubectl delete pvc of a claim a running Pod mounts: Terminating, the Pod keeps running; gone once the Pod is', () => {
    const yaml = `apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 5Gi}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: db}
spec:
  replicas: 1
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers:
      - name: db
        image: postgres:16
        volumeMounts: [{name: data, mountPath: /var/lib/postgresql/data}]
      volumes:
      - name: data
        persistentVolumeClaim: {claimName: data}
---
apiVersion: v1
kind: Service
metadata: {name: db}
spec:
  selector: {app: db}
  ports: [{port: 5432}]
`;
    const loaded = loadManifests(yaml);
    expect(loaded.errors).toEqual([]);
    const input = manifestsOnlyInput(loaded, { seed: 3 });
    const s = createSim({ ...input, nodes: input.nodes.slice(0, 2) });
    const db = () => Object.values(s.pods).find((p) => p.metadata.name.startsWith('db-'));
    for (let i = 0; i < 30 && db()?.status.phase !== 'Running'; i++) step(s);
    const name = db()!.metadata.name;
    expect(db()!.status.phase).toBe('Running');
    expect(kubectl(s, 'kubectl delete pvc data')).toBe('persistentvolumeclaim "data" deleted');
    for (let i = 0; i < 60; i++) step(s); // a minute on
    expect(kubectl(s, 'kubectl get pvc')).toMatch(/\ndata\s+Terminating\s+pvc-[0-9a-f-]{36}\s+5Gi\s+RWO\s+standard\s+<unset>\s+\d+s$/);
    expect(kubectl(s, 'kubectl describe pvc data')).toMatch(new RegExp(`\nStatus:\\s+Terminating \\(lasts 60s\\)\n[\\s\\S]*\nFinalizers:\\s+\\[kubernetes\\.io/pvc-protection\\]\n[\\s\\S]*\nUsed By:\\s+${name}\n`));
    expect(db()!.metadata.name).toBe(name);
    expect(db()!.status.phase).toBe('Running'); // the Pod keeps its claim
    expect(kubectl(s, 'kubectl delete pvc data')).toBe('persistentvolumeclaim "data" deleted'); // again: accepted, nothing changes
    expect(kubectl(s, 'kubectl scale deployment db --replicas=0')).toBe('deployment.apps/db scaled');
    const t0 = s.t;
    for (let i = 0; i < 60 && db(); i++) step(s);
    expect(db()).toBeUndefined();
    expect(claims(s)).toEqual([]); // released with the Pod
    expect(s.t - t0).toBeLessThanOrEqual(32); // the Pod's 30 s grace period at most
    expect(kubectl(s, 'kubectl get pvc')).toBe('No resources found in default namespace.');
  });
});

describe('VolumeBinding: a claim that does not exist', () => {
  it('keeps the Pod Pending with FailedScheduling ... persistentvolumeclaim "data" not found; kubectl create -f of the claim gets it scheduled', () => {
    const yaml = `apiVersion: apps/v1
kind: Deployment
metadata: {name: db}
spec:
  replicas: 1
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers:
      - name: db
        image: postgres:16
        ports: [{containerPort: 5432}]
        volumeMounts: [{name: data, mountPath: /var/lib/postgresql/data}]
      volumes:
      - name: data
        persistentVolumeClaim: {claimName: data}
---
apiVersion: v1
kind: Service
metadata: {name: db}
spec:
  selector: {app: db}
  ports: [{port: 5432}]
`;
    const input = manifestsOnlyInput(loadManifests(yaml), { seed: 2 });
    const s = createSim({ ...input, nodes: input.nodes.slice(0, 3) });
    for (let i = 0; i < 5; i++) step(s);
    const pod = Object.values(s.pods).find((p) => p.metadata.name.startsWith('db-'))!;
    expect(pod.spec.nodeName).toBeUndefined();
    const describe = kubectl(s, `kubectl describe pod ${pod.metadata.name}`);
    expect(describe).toContain('Warning  FailedScheduling');
    expect(describe).toContain('0/3 nodes are available: persistentvolumeclaim "data" not found. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.');
    expect(kubectl(s, 'kubectl get pvc')).toBe('No resources found in default namespace.');
    const pvc = 'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data}\nspec:\n  accessModes: [ReadWriteOnce]\n  resources: {requests: {storage: 5Gi}}\n';
    const r = applyAction(s, 'alice', { type: 'createObject', manifest: pvc });
    expect(r).toMatchObject({ ok: true, message: 'persistentvolumeclaim/data created' });
    const t0 = s.t;
    for (let i = 0; i < 30 && !s.pods[`default/${pod.metadata.name}`]!.spec.nodeName; i++) step(s);
    expect(s.pods[`default/${pod.metadata.name}`]!.spec.nodeName).toBeDefined();
    expect(s.t - t0).toBeLessThanOrEqual(5);
    expect(kubectl(s, 'kubectl get pvc')).toMatch(/\ndata\s+Bound\s+pvc-[0-9a-f-]{36}\s+5Gi\s+RWO\s+standard\s+<unset>\s+\d+s$/);
  });
});
