/**
 * Behaviours of the reference (shared/sim/kubernetes-behaviour.md) that docs/fidelity.md claimed as
 * implemented without a test proving them (issue 6 audit): Deployment defaults as `kubectl get -o yaml`
 * shows them, ProgressDeadlineExceeded as a condition only, the rolling-update fenceposts, the
 * ReplicaSet's pod-deletion-cost (§4); the scheduler's BalancedAllocation score on requests (§5); the
 * HPA's 0 % for not-yet-Ready Pods on scale-up and the largest of several metrics (§7).
 * Times are sim seconds (1 s ticks).
 */
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../shared/manifests/load.ts';
import { manifestsOnlyInput } from '../../shared/scenario/toSimInput.ts';
import { applyAction, createSim, step } from '../../shared/sim/index.ts';
import { isActive } from '../../shared/sim/podutil.ts';
import { rankPodsForDeletion } from '../../shared/sim/controllers/replicaset.ts';
import type { HorizontalPodAutoscalerManifest } from '../../shared/sim/index.ts';
import { deployment, node, podsOf, runningReady, runUntil, sim } from './fixtures.ts';
import { shopInput, typeCommand } from './game-fixtures.ts';

const MINIMAL = `apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: web, image: nginx:1.27, ports: [{ containerPort: 80 }] }] }
---
apiVersion: v1
kind: Service
metadata: { name: web }
spec: { selector: { app: web }, ports: [{ port: 80 }] }
`;

describe('Deployment defaults (K pkg/apis/apps/v1/defaults.go)', () => {
  it('a Deployment that sets none gets replicas 1, RollingUpdate 25 %/25 %, revisionHistoryLimit 10, progressDeadlineSeconds 600', () => {
    const loaded = loadManifests(MINIMAL, { source: 'web.yaml' });
    expect(loaded.errors).toEqual([]);
    const s = createSim(manifestsOnlyInput(loaded, { seed: 1, durationSeconds: 60 }));
    const yaml = typeCommand(s, 'kubectl get deployment web -o yaml');
    expect(yaml).toMatch(/^ {2}replicas: 1$/m);
    expect(yaml).toMatch(/^ {2}revisionHistoryLimit: 10$/m);
    expect(yaml).toMatch(/^ {2}progressDeadlineSeconds: 600$/m);
    expect(yaml).toMatch(/^ {4}type: RollingUpdate$/m);
    // Pod template defaults (K pkg/apis/core/v1/defaults.go): restartPolicy Always, 30 s grace period.
    expect(yaml).toMatch(/^ {6}restartPolicy: Always$/m);
    expect(yaml).toMatch(/^ {6}terminationGracePeriodSeconds: 30$/m);
    expect(yaml).toMatch(/^ {6}maxSurge: "?25%"?$/m);
    expect(yaml).toMatch(/^ {6}maxUnavailable: "?25%"?$/m);
    expect(typeCommand(s, 'kubectl get deployment web')).toMatch(/^web\s+1\/1\s+1\s+1\s/m);
  });
});

describe('ProgressDeadlineExceeded (K pkg/controller/deployment/progress.go)', () => {
  it('is a condition only: Progressing False with the reason, no Event of that reason, no rollback', () => {
    const s = sim({
      deployments: [deployment('web', { replicas: 2, readinessProbe: { httpGet: { path: '/healthz', port: 8080 } }, progressDeadlineSeconds: 30 })],
      images: { 'web:bad': { failsReadiness: true } },
    });
    applyAction(s, 'alice', { type: 'setImage', deployment: 'web', image: 'web:bad' });
    const progressing = () => s.deployments['default/web']!.status.conditions.find((c) => c.type === 'Progressing')!;
    expect(runUntil(s, () => progressing().reason === 'ProgressDeadlineExceeded', 120)).not.toBeNull();
    expect(progressing().status).toBe('False');
    expect(s.events.filter((e) => e.reason === 'ProgressDeadlineExceeded')).toEqual([]);
    expect(s.deployments['default/web']!.spec.template.spec.containers[0]!.image).toBe('web:bad');
    expect(typeCommand(s, 'kubectl get events')).not.toMatch(/ProgressDeadlineExceeded/);
  });
});

describe('rolling update fenceposts (K pkg/controller/deployment/util ResolveFenceposts)', () => {
  it('maxSurge 0 and maxUnavailable 10 % of 3 both resolve to 0: maxUnavailable becomes 1, one Pod replaced at a time', () => {
    const s = sim({ deployments: [deployment('web', { replicas: 3, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: '10%' } } })] });
    expect(applyAction(s, 'alice', { type: 'setImage', deployment: 'web', image: 'web:v2' }).ok).toBe(true);
    let maxPods = 0;
    let minAvailable = Infinity;
    const done = runUntil(s, (x) => {
      const active = podsOf(x, 'web').filter(isActive);
      maxPods = Math.max(maxPods, active.length);
      minAvailable = Math.min(minAvailable, active.filter((p) => p.sim.ready).length);
      return runningReady(x, 'web').filter((p) => p.sim.image === 'web:v2').length === 3 && podsOf(x, 'web').length === 3;
    }, 300);
    expect(done).not.toBeNull();
    expect(maxPods).toBe(3);
    expect(minAvailable).toBe(2);
  });
});

describe('ReplicaSet scale-down order (K pkg/controller/controller_utils.go ActivePodsWithRanks)', () => {
  it('the Pod annotated with the lowest controller.kubernetes.io/pod-deletion-cost goes first; an invalid cost counts as 0', () => {
    const s = sim({ deployments: [deployment('web', { replicas: 3 })] });
    const ranked = rankPodsForDeletion(podsOf(s, 'web')).map((p) => p.metadata.name);
    const [first, , last] = ranked as [string, string, string];
    // Without costs `first` would go; the last-ranked Pod gets a negative cost, the first an invalid one.
    expect(typeCommand(s, `kubectl annotate pod ${last} controller.kubernetes.io/pod-deletion-cost=-100`)).toMatch(/annotated/);
    expect(typeCommand(s, `kubectl annotate pod ${first} controller.kubernetes.io/pod-deletion-cost=cheap`)).toMatch(/annotated/);
    typeCommand(s, 'kubectl scale deployment web --replicas=2');
    step(s);
    expect(typeCommand(s, 'kubectl get pods')).toMatch(new RegExp(`^${last}\\s+1/1\\s+Terminating\\s`, 'm'));
    expect(podsOf(s, 'web').filter((p) => p.metadata.deletionTimestamp !== undefined).map((p) => p.metadata.name)).toEqual([last]);
  });
});

describe('scheduler scores (K pkg/scheduler/framework/plugins/noderesources)', () => {
  it('BalancedAllocation: of two Nodes, the one whose cpu and memory requests are balanced wins over the one LeastAllocated alone prefers', () => {
    // node-a: 2000m cpu, 64Mi requested (free 50 % / 99 %, unbalanced); node-b: 1200m, 2867Mi (free 70 % / 65 %).
    // With the new Pod (100m, 128Mi): LeastAllocated a 72.6 > b 65.5; BalancedAllocation a 74.9 < b 98.0;
    // weights 1 + 1: a 147.5 < b 163.4, so the Pod lands on node-b.
    const s = sim({
      nodes: [node('node-a'), node('node-b')],
      deployments: [
        deployment('cpuhog', { replicas: 1, cpu: '2000m', memory: '64Mi', nodeSelector: { 'kubernetes.io/hostname': 'node-a' } }),
        deployment('even', { replicas: 1, cpu: '1200m', memory: '2867Mi', nodeSelector: { 'kubernetes.io/hostname': 'node-b' } }),
        deployment('web', { replicas: 0 }),
      ],
    });
    expect(podsOf(s, 'cpuhog').map((p) => p.spec.nodeName)).toEqual(['node-a']);
    expect(podsOf(s, 'even').map((p) => p.spec.nodeName)).toEqual(['node-b']);
    typeCommand(s, 'kubectl scale deployment web --replicas=1');
    for (let i = 0; i < 3; i++) step(s);
    expect(podsOf(s, 'web').map((p) => p.spec.nodeName)).toEqual(['node-b']);
    expect(typeCommand(s, 'kubectl get pods -o wide')).toMatch(/^web-\S+\s+0\/1\s+ContainerCreating\s+0\s+\S+\s+<none>\s+node-b\s/m);
  });
});

describe('HorizontalPodAutoscaler algorithm details (W horizontal-pod-autoscale "Algorithm details")', () => {
  it('on scale-up a not-yet-Ready Pod counts as 0 %: 3 Pods at 134 % + 1 starting -> ceil(4 x 100 % / 80 %) = 5, not ceil(3 x 134 / 80) = 6', () => {
    const cpu: HorizontalPodAutoscalerManifest = {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'frontend' },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'frontend' },
        minReplicas: 2,
        maxReplicas: 10,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }],
      },
    };
    const s = createSim({ ...shopInput(), autoscalers: [cpu] });
    while (s.t < 13) step(s);
    typeCommand(s, 'kubectl scale deployment frontend --replicas=4');
    while (s.t < 14) step(s);
    const starting = Object.values(s.pods).filter((p) => p.metadata.labels['app'] === 'frontend' && !p.sim.ready);
    expect(starting).toHaveLength(1);
    step(s); // t = 15: the HPA's first sync
    expect(s.deployments['default/frontend']!.spec.replicas).toBe(5);
    const rescale = s.events.filter((e) => e.object.kind === 'HorizontalPodAutoscaler' && e.reason === 'SuccessfulRescale');
    expect(rescale.map((e) => [e.t, e.message])).toEqual([[15, 'New size: 5; reason: cpu resource utilization (percentage of request) above target']]);
  });

  it('the largest proposal wins: cpu alone would keep 3 replicas, memory asks for more and is named in the event', () => {
    const both: HorizontalPodAutoscalerManifest = {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'frontend' },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'frontend' },
        minReplicas: 1,
        maxReplicas: 8,
        metrics: [
          // cpu runs at 134 % of its request (test/sim/hpa.test.ts): ceil(3 x 134 / 200) = 3, no change
          { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 200 } } },
          // memory: the shop's frontend profile uses 93 % of its request -> ceil(3 x 93 / 50) = 6
          { type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 50 } } },
        ],
      },
    };
    const s = createSim({ ...shopInput(), autoscalers: [both] });
    while (s.t < 15) step(s);
    const hpa = s.horizontalPodAutoscalers!['default/frontend']!;
    const current = hpa.status.currentMetrics.map((m) => [m.resource.name, m.resource.current.averageUtilization]);
    expect(current).toEqual([['cpu', 134], ['memory', 93]]);
    expect(s.deployments['default/frontend']!.spec.replicas).toBe(6);
    const rescale = s.events.filter((e) => e.object.kind === 'HorizontalPodAutoscaler' && e.reason === 'SuccessfulRescale');
    expect(rescale.map((e) => e.message)).toEqual(['New size: 6; reason: memory resource utilization (percentage of request) above target']);
  });
});

describe('CoreDNS down (kubernetes-behaviour.md §8)', () => {
  it('every in-cluster name lookup fails, but a Service ClusterIP still answers', () => {
    const s = createSim({ ...shopInput({ incidents: [{ id: 'dns', type: 'coredns-outage', at: 30, target: 'coredns', params: {} }] }), kubeSystem: true });
    for (let i = 0; i < 120; i++) step(s);
    const pod = Object.values(s.pods).find((p) => p.metadata.labels['app'] === 'frontend' && p.status.phase === 'Running')!.metadata.name;
    const ip = s.services['default/api']!.spec.clusterIP;
    expect(ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(typeCommand(s, `kubectl exec ${pod} -- curl -sS http://api/`)).toBe('curl: (6) Could not resolve host: api\ncommand terminated with exit code 6');
    expect(typeCommand(s, `kubectl exec ${pod} -- curl -s -o /dev/null -w '%{http_code}' http://${ip}/`)).toMatch(/^(200|503)$/);
  });
});
