/**
 * The pod-owning kinds besides Deployment (issue 6): ReplicationController (deviation 9, managed by
 * the ReplicaSet controller), StatefulSet (ordered start, stable names) and DaemonSet (one Pod per
 * Node), and the loader's handling of every other common kind.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../shared/manifests/load.ts';
import { manifestsOnlyInput } from '../../shared/scenario/toSimInput.ts';
import { applyAction, createSim, step } from '../../shared/sim/index.ts';
import type { SimState } from '../../shared/sim/index.ts';
import { runKubectl } from '../../shared/kubectl/index.ts';
import { gameday } from '../cli/run-cli.ts';

const PUBLIC = join(import.meta.dirname, '..', 'fixtures', 'manifests', 'public');
const read = (f: string) => readFileSync(join(PUBLIC, f), 'utf8');
/**
 * The legacy tutorial's manifest with its `<YOUR-CONTAINER>` placeholder filled in, as its reader does
 * (as downloaded, a real kubelet refuses the reference: InvalidImageName, test/manifests/public.test.ts).
 */
const legacyFilled = () => read('nodejs-mongodb-legacy.yaml').replace('<YOUR-CONTAINER>', 'node:20-alpine');
const ready = (s: SimState, name: string) => s.pods[`default/${name}`]?.sim.ready === true;
/** The text `kubectl LINE` prints. */
function kubectl(s: SimState, line: string): string {
  const r = runKubectl(s, line);
  if (r.kind !== 'output') throw new Error(`kubectl ${line}: ${JSON.stringify(r)}`);
  return r.output;
}

describe('StatefulSet', () => {
  it('Cassandra (cold start): cassandra-0, -1, -2 in order, each created only after the previous is Ready; a deleted Pod returns with its name', () => {
    const s = createSim({ ...manifestsOnlyInput(loadManifests(read('cassandra-statefulset.yaml')), { seed: 1 }), coldStart: true });
    const created: Record<string, number> = {};
    const readyAt: Record<string, number> = {};
    for (let i = 0; i < 300; i++) {
      step(s);
      for (const p of Object.values(s.pods)) {
        created[p.metadata.name] ??= p.metadata.creationTimestamp;
        if (p.sim.ready) readyAt[p.metadata.name] ??= s.t;
      }
    }
    expect(Object.keys(s.pods).sort()).toEqual(['default/cassandra-0', 'default/cassandra-1', 'default/cassandra-2']);
    expect(created['cassandra-0']).toBe(0);
    // The exec readiness probe (initialDelaySeconds 15, period 10) gates each next ordinal.
    expect(readyAt['cassandra-0']!).toBeGreaterThanOrEqual(15);
    expect(created['cassandra-1']!).toBeGreaterThanOrEqual(readyAt['cassandra-0']!);
    expect(created['cassandra-2']!).toBeGreaterThanOrEqual(readyAt['cassandra-1']!);
    expect(s.pods['default/cassandra-1']!.metadata.labels['statefulset.kubernetes.io/pod-name']).toBe('cassandra-1');
    expect(kubectl(s, 'kubectl get statefulsets')).toMatch(/^NAME\s+READY\s+AGE\ncassandra\s+3\/3\s/);

    const uid = s.pods['default/cassandra-1']!.metadata.uid;
    expect(applyAction(s, 'alice', { type: 'deletePod', pod: 'cassandra-1' }).ok).toBe(true);
    let back: number | null = null;
    for (let i = 0; i < 300 && back === null; i++) {
      step(s);
      const p = s.pods['default/cassandra-1'];
      if (p && p.metadata.uid !== uid && p.sim.ready) back = s.t;
    }
    expect(back).not.toBeNull();
    expect(ready(s, 'cassandra-0') && ready(s, 'cassandra-2')).toBe(true);
  });
});

describe('ReplicationController (legacy guestbook-style manifests)', () => {
  it('runs like a ReplicaSet: Pods named <rc>-xxxxx owned by the RC, replaced when deleted, shown by kubectl get rc', () => {
    const s = createSim(manifestsOnlyInput(loadManifests(legacyFilled()), { seed: 1 }));
    step(s);
    const web = Object.values(s.pods).filter((p) => p.metadata.name.startsWith('web-controller-'));
    expect(web).toHaveLength(2);
    expect(web[0]!.metadata.ownerReferences).toEqual([expect.objectContaining({ apiVersion: 'v1', kind: 'ReplicationController', name: 'web-controller', controller: true })]);
    const out = kubectl(s, 'kubectl get rc');
    expect(out).toMatch(/^NAME\s+DESIRED\s+CURRENT\s+READY\s+AGE\n/);
    expect(out).toMatch(/\nmongo-controller\s+1\s+1\s+1\s/);
    expect(out).toMatch(/\nweb-controller\s+2\s+2\s+2\s/);
    // The selector-less RC got its selector from the template labels (SetDefaults_ReplicationController).
    expect(s.replicationControllers!['default/mongo-controller']!.spec.selector).toEqual({ name: 'mongo' });

    expect(applyAction(s, 'alice', { type: 'deletePod', pod: web[0]!.metadata.name }).ok).toBe(true);
    let replaced: number | null = null;
    for (let i = 0; i < 120 && replaced === null; i++) {
      step(s);
      const now = Object.values(s.pods).filter((p) => p.metadata.name.startsWith('web-controller-') && p.sim.ready && !p.metadata.deletionTimestamp);
      if (now.length === 2 && !now.some((p) => p.metadata.uid === web[0]!.metadata.uid)) replaced = s.t;
    }
    expect(replaced).not.toBeNull();
    expect(replaced!).toBeLessThan(60);
  });

  it('`gameday validate` and `gameday sim` exit 0 on the legacy manifests', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'gameday-legacy-')), 'nodejs-mongodb-legacy.yaml');
    writeFileSync(file, legacyFilled());
    expect(gameday('validate', file).code).toBe(0);
    const run = gameday('sim', '--manifests', file, '--seed', '1', '--duration', '600', '--json');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).slo.availability).toBeGreaterThanOrEqual(0.9995);
  });
});

describe('DaemonSet', () => {
  const ds = (nodeSelector = '') => [
    'apiVersion: apps/v1', 'kind: DaemonSet', 'metadata: { name: agent }',
    'spec:', '  selector: { matchLabels: { app: agent } }', '  template:', '    metadata: { labels: { app: agent } }',
    '    spec:', nodeSelector ? `      nodeSelector: ${nodeSelector}` : '', '      containers: [{ name: agent, image: "fluent/fluent-bit:3.1", resources: { requests: { cpu: 50m, memory: 64Mi } } }]',
    '---', 'apiVersion: v1', 'kind: Service', 'metadata: { name: agent }', 'spec: { selector: { app: agent }, ports: [{ port: 2020 }] }',
  ].filter(Boolean).join('\n');

  it('runs one Pod on every Node (six), each pinned to its Node; with a zone nodeSelector, only there', () => {
    const s = createSim({ ...manifestsOnlyInput(loadManifests(ds()), { seed: 1 }), coldStart: true });
    for (let i = 0; i < 60; i++) step(s);
    const nodes = Object.values(s.pods).map((p) => p.spec.nodeName).sort();
    expect(nodes).toEqual(Object.keys(s.nodes).sort());
    expect(Object.values(s.pods).every((p) => p.sim.ready)).toBe(true);
    const st = s.daemonSets!['default/agent']!.status;
    expect([st.desiredNumberScheduled, st.currentNumberScheduled, st.numberReady]).toEqual([6, 6, 6]);

    const zone = s.nodes[Object.keys(s.nodes).sort()[0]!]!.metadata.labels['topology.kubernetes.io/zone']!;
    const z = createSim(manifestsOnlyInput(loadManifests(ds(`{ topology.kubernetes.io/zone: ${zone} }`)), { seed: 1 }));
    const expected = Object.values(z.nodes).filter((n) => n.metadata.labels['topology.kubernetes.io/zone'] === zone).map((n) => n.metadata.name).sort();
    expect(Object.values(z.pods).map((p) => p.spec.nodeName).sort()).toEqual(expected);
  });
});

describe('loading every common kind', () => {
  const doc = (lines: string[]) => lines.join('\n');
  const WEB = doc([
    'apiVersion: apps/v1', 'kind: Deployment', 'metadata: { name: web }',
    'spec: { selector: { matchLabels: { app: web } }, template: { metadata: { labels: { app: web } }, spec: { containers: [{ name: web, image: nginx, futureField: 1 }] } }, futureSpecField: true }',
  ]);

  it('accepts the other kinds with a note, ignores the non-simulated ones with a note, never fails on unknown fields', () => {
    const text = [
      WEB,
      doc(['apiVersion: v1', 'kind: ConfigMap', 'metadata: { name: cfg }', 'data: { a: "1" }']),
      doc(['apiVersion: v1', 'kind: Secret', 'metadata: { name: s }', 'stringData: { p: x }', 'type: Opaque']),
      doc(['apiVersion: batch/v1', 'kind: Job', 'metadata: { name: j }', 'spec: { template: { spec: { containers: [{ name: j, image: busybox }], restartPolicy: Never } } }']),
      doc(['apiVersion: batch/v1', 'kind: CronJob', 'metadata: { name: c }', 'spec: { schedule: "*/5 * * * *", jobTemplate: { spec: { template: { spec: { containers: [{ name: c, image: busybox }], restartPolicy: OnFailure } } } } }']),
      doc(['apiVersion: v1', 'kind: Pod', 'metadata: { name: p }', 'spec: { containers: [{ name: p, image: nginx }] }']),
      doc(['apiVersion: v1', 'kind: ResourceQuota', 'metadata: { name: q }', 'spec: { hard: { pods: "10" } }']),
      doc(['apiVersion: v1', 'kind: LimitRange', 'metadata: { name: l }', 'spec: { limits: [] }']),
      doc(['apiVersion: autoscaling/v2', 'kind: HorizontalPodAutoscaler', 'metadata: { name: h }', 'spec: { minReplicas: 2, maxReplicas: 4, scaleTargetRef: { kind: Deployment, name: web } }']),
      doc(['apiVersion: policy/v1', 'kind: PodDisruptionBudget', 'metadata: { name: b }', 'spec: { minAvailable: 1 }']),
      doc(['apiVersion: scheduling.k8s.io/v1', 'kind: PriorityClass', 'metadata: { name: high }', 'value: 1000']),
      doc(['apiVersion: v1', 'kind: ServiceAccount', 'metadata: { name: sa }']),
      doc(['apiVersion: rbac.authorization.k8s.io/v1', 'kind: ClusterRole', 'metadata: { name: r }', 'rules: []']),
      doc(['apiVersion: networking.k8s.io/v1', 'kind: Ingress', 'metadata: { name: i }', 'spec: {}']),
      doc(['apiVersion: v1', 'kind: PersistentVolumeClaim', 'metadata: { name: pvc }', 'spec: { accessModes: [ReadWriteOnce], resources: { requests: { storage: 1Gi } } }']),
    ].join('\n---\n');
    const out = loadManifests(text);
    expect(out.errors).toEqual([]);
    expect(out.deployments.map((d) => d.metadata.name)).toEqual(['web']);
    // HorizontalPodAutoscalers are simulated now (test/sim/hpa.test.ts): loaded, not "accepted with a note"
    expect(out.autoscalers?.map((h) => h.metadata.name)).toEqual(['h']);
    // so are Jobs and CronJobs (test/sim/job.test.ts)
    expect(out.jobs?.map((j) => j.metadata.name)).toEqual(['j']);
    expect(out.cronJobs?.map((j) => j.metadata.name)).toEqual(['c']);
    // and ResourceQuota, LimitRange, PodDisruptionBudget (test/manifests/quota-pdb.test.ts)
    expect(out.policies?.map((p) => `${p.kind} ${p.metadata.name}`)).toEqual(['ResourceQuota q', 'LimitRange l', 'PodDisruptionBudget b']);
    // and bare Pods (issue 6, test/sim/init-containers.test.ts)
    expect(out.pods?.map((p) => p.metadata.name)).toEqual(['p']);
    // and ConfigMaps / Secrets, with their data (issue 6, test/sim/configmaps.test.ts)
    expect(out.configs?.map((c) => `${c.kind} ${c.metadata.name}`)).toEqual(['ConfigMap cfg', 'Secret s']);
    expect(out.warnings.some((w) => /ConfigMap|Secret/.test(w))).toBe(false);
    // PriorityClasses are simulated now (issue 6, test/sim/preemption.test.ts): loaded without the note
    expect(out.warnings.some((w) => w.includes('PriorityClass'))).toBe(false);
    // and PersistentVolumeClaims (issue 6, test/sim/pvc.test.ts)
    expect(out.persistentVolumeClaims?.map((c) => c.metadata.name)).toEqual(['pvc']);
    for (const k of ['ServiceAccount "sa"', 'ClusterRole "r"', 'Ingress "i"']) {
      expect(out.warnings.some((w) => w.includes(`ignored ${k} (does not affect the simulation)`))).toBe(true);
    }
  });

  it('rejects wrong types with the field path', () => {
    const out = loadManifests([
      doc(['apiVersion: v1', 'kind: ReplicationController', 'metadata: { name: rc }', 'spec: { replicas: "two", template: { metadata: { labels: { a: b } }, spec: { containers: [{ name: c, image: nginx }] } } }']),
      doc(['apiVersion: autoscaling/v2', 'kind: HorizontalPodAutoscaler', 'metadata: { name: h }', 'spec: { maxReplicas: ten }']),
      doc(['apiVersion: v1', 'kind: ConfigMap', 'metadata: { name: cfg }', 'data: { a: [1] }']),
      doc(['apiVersion: apps/v1', 'kind: StatefulSet', 'metadata: { name: s }', 'spec: { selector: { matchLabels: { a: b } }, template: { metadata: { labels: { a: b } }, spec: { containers: [{ name: c, image: nginx, ports: [{ containerPort: http }] }] } } }']),
    ].join('\n---\n'));
    expect(out.errors.map((e) => `${e.document} ${e.kind} ${e.path}`)).toEqual([
      '1 ReplicationController spec.replicas',
      '2 HorizontalPodAutoscaler spec.maxReplicas',
      '3 ConfigMap data.a',
      '4 StatefulSet spec.template.spec.containers[0].ports[0].containerPort',
    ]);
  });
});
