/**
 * ResourceQuota, LimitRange and PodDisruptionBudget loaded from manifests are simulated (issue 6,
 * "Manifests" and "ResourceQuota and LimitRange admission errors"; "drain through the Eviction API with
 * PDBs"): stored before the workloads' first Pods, they go through the same kinds the resource-quota
 * and pdb-drain incidents create at runtime. What the player sees: the ReplicaSet's FailedCreate event
 * with the API server's quota message and the Pod count held at the quota, LimitRange defaults on the
 * Pods (describe pod, the quota's usage) and its max refusing Pods, a drain refused with kubectl's
 * 429 line until the budget allows it again. Times are sim seconds (tickSeconds 1; warm start: the
 * workloads were already applied at t = 0).
 */
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../shared/manifests/load.ts';
import { manifestsOnlyInput } from '../../shared/scenario/toSimInput.ts';
import { createSim } from '../../shared/sim/index.ts';
import type { SimState } from '../../shared/sim/types.ts';
import { stepN, typeCommand } from '../sim/game-fixtures.ts';

function deployment(replicas: number, resources = ''): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: ${replicas}
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
      - name: web
        image: nginx:1.27
        ports: [{ containerPort: 80 }]
${resources}---
apiVersion: v1
kind: Service
metadata: { name: web }
spec: { type: LoadBalancer, selector: { app: web }, ports: [{ port: 80 }] }
`;
}

const QUOTA = `apiVersion: v1
kind: ResourceQuota
metadata: { name: compute }
spec: { hard: { requests.cpu: "1", requests.memory: 1Gi, pods: "10" } }
---
`;

const LIMITS = `apiVersion: v1
kind: LimitRange
metadata: { name: defaults }
spec:
  limits:
  - type: Container
    default: { cpu: 500m, memory: 256Mi }
    defaultRequest: { cpu: 250m, memory: 128Mi }
    max: { memory: 512Mi }
---
`;

const PDB = `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: { name: web }
spec: { minAvailable: 3, selector: { matchLabels: { app: web } } }
---
`;

function sim(text: string): SimState {
  const m = loadManifests(text, { source: 'policies.yaml' });
  expect(m.errors).toEqual([]);
  expect(m.warnings.filter((w) => w.includes('not simulated yet'))).toEqual([]);
  return createSim(manifestsOnlyInput(m, { seed: 1 }));
}

function webPods(s: SimState): string[] {
  return Object.values(s.pods).filter((p) => p.metadata.labels['app'] === 'web' && p.metadata.deletionTimestamp === undefined).map((p) => p.metadata.name).sort();
}

describe('ResourceQuota and LimitRange from manifests', () => {
  it('LimitRange defaults are the requests the quota counts; the 5th Pod is refused with FailedCreate', () => {
    const s = sim(QUOTA + LIMITS + deployment(5));
    stepN(s, 30);
    expect(webPods(s)).toHaveLength(4); // 4 x 250m = the quota's requests.cpu 1
    const rs = typeCommand(s, 'kubectl get rs').split('\n')[1]!;
    expect(rs).toMatch(/^web-\S+\s+5\s+4\s+4\s+30s$/);
    expect(typeCommand(s, 'kubectl get events')).toMatch(
      /Warning\s+FailedCreate\s+replicaset\/web-\S+\s+Error creating: pods "web-[a-z0-9]+-[a-z0-9]+" is forbidden: exceeded quota: compute, requested: requests\.cpu=250m, used: requests\.cpu=1, limited: requests\.cpu=1$/m,
    );
    expect(typeCommand(s, 'kubectl describe quota compute')).toMatch(/pods\s+4\s+10\nrequests\.cpu\s+1\s+1\nrequests\.memory\s+512Mi\s+1Gi$/);
    const pod = typeCommand(s, `kubectl describe pod ${webPods(s)[0]}`);
    expect(pod).toContain('kubernetes.io/limit-ranger: LimitRanger plugin set: cpu, memory request for container web; cpu, memory limit for container web');
    expect(pod).toMatch(/Limits:\n\s+cpu:\s+500m\n\s+memory:\s+256Mi\n\s+Requests:\n\s+cpu:\s+250m\n\s+memory:\s+128Mi/);
    expect(pod).toMatch(/QoS Class:\s+Burstable/);
    // the template keeps what the manifest said: defaults are applied to Pods only
    expect(typeCommand(s, 'kubectl describe deployment web')).not.toMatch(/Limits:/);
    // raising the quota lets the ReplicaSet create the 5th Pod on its next sync
    expect(typeCommand(s, `kubectl patch resourcequota compute --type merge -p '{"spec":{"hard":{"requests.cpu":"2"}}}'`)).toBe('resourcequota/compute patched');
    stepN(s, 1);
    expect(webPods(s)).toHaveLength(5);
  });

  it('a container over the LimitRange max is refused: no Pod, FailedCreate with the LimitRanger message', () => {
    const s = sim(LIMITS + deployment(2, '        resources: { limits: { memory: 1Gi } }\n'));
    stepN(s, 20);
    expect(webPods(s)).toEqual([]);
    expect(typeCommand(s, 'kubectl get events')).toMatch(/FailedCreate\s+replicaset\/web-\S+\s+Error creating: pods "web-\S+" is forbidden: maximum memory usage per Container is 512Mi, but limit is 1Gi$/m);
    expect(typeCommand(s, 'kubectl get limitranges')).toMatch(/^NAME\s+CREATED AT\ndefaults\s+2025-01-01T00:00:00Z$/);
    expect(typeCommand(s, 'kubectl describe limitrange defaults')).toMatch(/Type\s+Resource\s+Min\s+Max\s+Default Request\s+Default Limit\s+Max Limit\/Request Ratio\n[- ]+\nContainer\s+cpu\s+-\s+-\s+250m\s+500m\s+-\nContainer\s+memory\s+-\s+512Mi\s+128Mi\s+256Mi\s+-/);
  });

  it('a Pod-type LimitRange item bounds the sum over the containers', () => {
    const s = sim(`apiVersion: v1
kind: LimitRange
metadata: { name: pod-max }
spec: { limits: [{ type: Pod, max: { cpu: "1" } }] }
---
${deployment(1, '        resources: { limits: { cpu: 800m, memory: 64Mi } }\n      - { name: sidecar, image: nginx:1.27, resources: { limits: { cpu: 400m, memory: 64Mi } } }\n')}`);
    stepN(s, 3);
    expect(webPods(s)).toEqual([]);
    expect(typeCommand(s, 'kubectl get events')).toMatch(/Error creating: pods "web-\S+" is forbidden: maximum cpu usage per Pod is 1, but limit is 1200m$/m);
  });

  it('a StatefulSet or Job refused by admission reports FailedCreate in its controller\'s words and retries', () => {
    const s = sim(`apiVersion: v1
kind: ResourceQuota
metadata: { name: compute }
spec: { hard: { pods: "0" } }
---
apiVersion: apps/v1
kind: StatefulSet
metadata: { name: db }
spec:
  serviceName: db
  replicas: 2
  podManagementPolicy: Parallel
  selector: { matchLabels: { app: db } }
  template:
    metadata: { labels: { app: db } }
    spec: { containers: [{ name: db, image: redis:7, resources: { requests: { cpu: 100m, memory: 64Mi }, limits: { memory: 128Mi } } }] }
---
apiVersion: batch/v1
kind: Job
metadata: { name: migrate }
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{ name: m, image: busybox:1.36, resources: { requests: { cpu: 50m, memory: 32Mi } } }]
---
${deployment(0)}`);
    stepN(s, 5);
    expect(Object.keys(s.pods)).toEqual([]);
    const events = typeCommand(s, 'kubectl get events');
    expect(events).toMatch(/FailedCreate\s+statefulset\/db\s+create Pod db-0 in StatefulSet db failed error: pods "db-0" is forbidden: exceeded quota: compute, requested: pods=1, used: pods=0, limited: pods=0$/m);
    expect(events).toMatch(/FailedCreate\s+job\/migrate\s+Error creating: pods "migrate-[a-z0-9]+" is forbidden: exceeded quota: compute, requested: pods=1, used: pods=0, limited: pods=0$/m);
    expect(typeCommand(s, `kubectl patch quota compute --type merge -p '{"spec":{"hard":{"pods":"3"}}}'`)).toBe('resourcequota/compute patched');
    stepN(s, 1);
    expect(Object.values(s.pods).map((p) => p.metadata.name.replace(/-[a-z0-9]{5}$/, '-*')).sort()).toEqual(['db-0', 'db-1', 'migrate-*']);
  });

  it('loads with the API server\'s errors and notes what is not simulated', () => {
    const bad = loadManifests(`apiVersion: v1
kind: LimitRange
metadata: { name: l }
spec: { limits: [{ type: Container, min: { cpu: "2" }, max: { cpu: "1" }, maxLimitRequestRatio: { cpu: "4" } }] }
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: { name: b }
spec: { minAvailable: 1, maxUnavailable: 1 }
---
apiVersion: v1
kind: ResourceQuota
metadata: { name: q }
spec: { hard: { requests.cpu: lots, services: "3" } }
`);
    expect(bad.errors.map((e) => `${e.kind} ${e.path}: ${e.message}`)).toEqual([
      'LimitRange spec.limits[0].min.cpu: Invalid value: "2": min value 2 is greater than max value 1',
      'PodDisruptionBudget spec: Invalid value: minAvailable and maxUnavailable cannot be both set',
      expect.stringMatching(/^ResourceQuota spec\.hard\["requests\.cpu"\]: .*lots/),
    ]);
    expect(bad.warnings.join('\n')).toContain('spec.limits[0].maxLimitRequestRatio: not simulated, ignored');
  });
});

describe('PodDisruptionBudget from manifests', () => {
  it('a drain that would take web below minAvailable is refused with 429 until the replacement is Ready', () => {
    const s = sim(PDB + deployment(4, '        resources: { requests: { cpu: 100m, memory: 64Mi }, limits: { memory: 128Mi } }\n'));
    stepN(s, 10);
    expect(typeCommand(s, 'kubectl get pdb web').split('\n')[1]).toMatch(/^web\s+3\s+N\/A\s+1\s+10s$/);
    const nodeOf = (name: string) => s.pods[`default/${name}`]!.spec.nodeName!;
    const [first, second] = webPods(s);
    expect(typeCommand(s, `kubectl drain ${nodeOf(first!)} --ignore-daemonsets`)).toContain(`evicting pod default/${first}`);
    const refused = typeCommand(s, `kubectl drain ${nodeOf(second!)} --ignore-daemonsets`);
    expect(refused).toContain(`error when evicting pods/"${second}" -n "default" (will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget.`);
    expect(typeCommand(s, 'kubectl describe pdb web')).toMatch(/Allowed disruptions:\s+0\n\s+Current:\s+3\n\s+Desired:\s+3\n\s+Total:\s+3/);
    const t0 = s.t;
    let allowedAt: number | null = null;
    for (let i = 0; i < 120 && allowedAt === null; i++) {
      stepN(s, 1);
      if (typeCommand(s, 'kubectl get pdb web').split('\n')[1]!.split(/\s+/)[3] === '1') allowedAt = s.t;
    }
    expect(allowedAt).not.toBeNull();
    expect(allowedAt! - t0).toBeGreaterThan(1); // the replacement must start and pass readiness first
    expect(allowedAt! - t0).toBeLessThanOrEqual(60);
    expect(typeCommand(s, `kubectl drain ${nodeOf(second!)} --ignore-daemonsets`)).toContain(`evicting pod default/${second}`);
  });
});
