/**
 * HorizontalPodAutoscaler (autoscaling/v2), issue 6: the real algorithm in sim seconds —
 * desired = ceil(current x utilisation / target), tolerance 0.1, 15 s sync, unready Pods ignored,
 * scale-up policies (max(4 Pods, 100 %) per 15 s), 300 s scale-down stabilisation, min/max and the
 * conditions / events of K pkg/controller/podautoscaler (W tasks/run-application/horizontal-pod-autoscale).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../shared/manifests/load.ts';
import { manifestsOnlyInput } from '../../shared/scenario/toSimInput.ts';
import { applyAction, createSim, step } from '../../shared/sim/index.ts';
import type { HorizontalPodAutoscalerManifest, SimState } from '../../shared/sim/index.ts';
import { shopInput, stepN, typeCommand } from './game-fixtures.ts';
import { kubectlEquivalent } from '../../shared/kubectl/equivalent.ts';
import { runKubectl } from '../../shared/kubectl/index.ts';
import type { SimAction } from '../../shared/sim/types.ts';

const PODINFO = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'manifests', 'public', 'podinfo.yaml'), 'utf8');

function hpa(target: string, min: number, max: number, cpu = 80, behavior?: HorizontalPodAutoscalerManifest['spec']['behavior']): HorizontalPodAutoscalerManifest {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: target },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: target },
      minReplicas: min,
      maxReplicas: max,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: cpu } } }],
      ...(behavior ? { behavior } : {}),
    },
  };
}

const replicas = (s: SimState, d: string) => s.deployments[`default/${d}`]!.spec.replicas;
const theHpa = (s: SimState, name: string) => s.horizontalPodAutoscalers![`default/${name}`]!;
const cond = (s: SimState, name: string, type: string) => theHpa(s, name).status.conditions.find((c) => c.type === type);
const rescales = (s: SimState, name: string) => s.events.filter((e) => e.object.kind === 'HorizontalPodAutoscaler' && e.object.name === name && e.reason === 'SuccessfulRescale');

/** Steps until `t` (sim seconds). */
function until(s: SimState, t: number): void {
  while (s.t < t) step(s);
}

describe('HorizontalPodAutoscaler: loading', () => {
  it("podinfo's HPA is loaded and acts: minReplicas 2 scales the 1-replica Deployment at its first sync (cold start t=0), a warm start begins at 2", () => {
    const loaded = loadManifests(PODINFO, { source: 'podinfo.yaml' });
    expect(loaded.errors).toEqual([]);
    expect(loaded.autoscalers).toHaveLength(1);
    expect(loaded.warnings.some((w) => w.includes('HorizontalPodAutoscaler') && w.includes('not simulated'))).toBe(false);
    const cold = createSim({ ...manifestsOnlyInput(loaded, { seed: 1 }), coldStart: true });
    expect(replicas(cold, 'podinfo')).toBe(2);
    const ev = rescales(cold, 'podinfo');
    expect(ev.map((e) => [e.t, e.message, e.source])).toEqual([[0, 'New size: 2; reason: Current number of replicas below Spec.MinReplicas', 'horizontal-pod-autoscaler']]);
    const h = theHpa(cold, 'podinfo');
    expect(h.spec.behavior.scaleDown.stabilizationWindowSeconds).toBe(300);
    expect(h.spec.behavior.scaleUp.policies).toEqual([{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }]);
    const warm = createSim(manifestsOnlyInput(loaded, { seed: 1 }));
    expect(replicas(warm, 'podinfo')).toBe(2);
    expect(Object.keys(warm.pods)).toHaveLength(2);
  });

  it('converts autoscaling/v1, drops unsimulated metric types with a warning, rejects max < min with the path', () => {
    const out = loadManifests([
      'apiVersion: autoscaling/v1\nkind: HorizontalPodAutoscaler\nmetadata: { name: a }\nspec: { scaleTargetRef: { kind: Deployment, name: web }, maxReplicas: 5, targetCPUUtilizationPercentage: 60 }',
      'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: { name: b }\nspec: { scaleTargetRef: { kind: Deployment, name: web }, maxReplicas: 5, metrics: [{ type: External, external: {} }, { type: Resource, resource: { name: memory, target: { type: Utilization, averageUtilization: 70 } } }] }',
      'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: { name: c }\nspec: { scaleTargetRef: { kind: Deployment, name: web }, minReplicas: 4, maxReplicas: 2 }',
      'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: { name: d }\nspec: { maxReplicas: 2 }',
    ].join('\n---\n'));
    expect(out.autoscalers!.map((a) => [a.metadata.name, a.spec.metrics?.[0]?.resource.name, a.spec.metrics?.[0]?.resource.target.averageUtilization])).toEqual([['a', 'cpu', 60], ['b', 'memory', 70]]);
    expect(out.warnings.some((w) => w.includes('spec.metrics[0]: External metrics are not simulated; ignored'))).toBe(true);
    expect(out.errors.map((e) => `${e.document} ${e.path}: ${e.message}`)).toEqual([
      '3 spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`',
      '4 spec.scaleTargetRef: Required value',
    ]);
  });
});

describe('HorizontalPodAutoscaler: the algorithm', () => {
  it('scales up at the first 15 s sync to ceil(3 x 134 % / 80 %) = 6, then holds (67 %: outside tolerance, but ceil(6 x 0.8375) = 6)', () => {
    const s = createSim({ ...shopInput(), autoscalers: [hpa('frontend', 2, 10)] });
    until(s, 14);
    expect(replicas(s, 'frontend')).toBe(3);
    until(s, 15);
    expect(replicas(s, 'frontend')).toBe(6);
    const ev = rescales(s, 'frontend');
    expect(ev.map((e) => [e.t, e.message])).toEqual([[15, 'New size: 6; reason: cpu resource utilization (percentage of request) above target']]);
    expect(theHpa(s, 'frontend').status.currentMetrics[0]!.resource.current.averageUtilization).toBe(134);
    expect(cond(s, 'frontend', 'ScalingActive')).toMatchObject({ status: 'True', reason: 'ValidMetricFound', message: 'the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)' });
    expect(cond(s, 'frontend', 'ScalingLimited')).toMatchObject({ status: 'False', reason: 'DesiredWithinRange' });
    until(s, 600);
    expect(replicas(s, 'frontend')).toBe(6);
    expect(rescales(s, 'frontend')).toHaveLength(1);
    expect(theHpa(s, 'frontend').status.currentMetrics[0]!.resource.current.averageUtilization).toBe(67);
  });

  it('within tolerance (|1 - 85/80| = 0.0625 <= 0.1) nothing changes', () => {
    // 126 rps over 3 pods: 42 rps x 2 m = 84 m + 1 m idle = 85 % of 100 m
    const s = createSim({ ...shopInput({ rps: 126 }), autoscalers: [hpa('frontend', 1, 10)] });
    until(s, 120);
    expect(theHpa(s, 'frontend').status.currentMetrics[0]!.resource.current.averageUtilization).toBe(85);
    expect(replicas(s, 'frontend')).toBe(3);
    expect(rescales(s, 'frontend')).toHaveLength(0);
  });

  it('at maxReplicas: ScalingLimited True TooManyReplicas, "the desired replica count is more than the maximum replica count"', () => {
    const s = createSim({ ...shopInput(), autoscalers: [hpa('frontend', 2, 4)] });
    until(s, 15);
    expect(replicas(s, 'frontend')).toBe(4);
    expect(cond(s, 'frontend', 'ScalingLimited')).toMatchObject({ status: 'True', reason: 'TooManyReplicas', message: 'the desired replica count is more than the maximum replica count' });
    expect(typeCommand(s, 'kubectl get hpa')).toMatch(/^NAME\s+REFERENCE\s+TARGETS\s+MINPODS\s+MAXPODS\s+REPLICAS\s+AGE\nfrontend\s+Deployment\/frontend\s+cpu: 134%\/80%\s+2\s+4\s+3\s+15s$/);
  });

  it('scale-up rate: from 2 Pods at most max(2 + 4, 2 x 200 %) = 6 per 15 s (ScaleUpLimit)', () => {
    const input = shopInput({ rps: 400 });
    input.deployments[0]!.spec.replicas = 2;
    const s = createSim({ ...input, autoscalers: [hpa('frontend', 1, 20, 20)] });
    until(s, 15);
    expect(replicas(s, 'frontend')).toBe(6);
    expect(cond(s, 'frontend', 'ScalingLimited')).toMatchObject({ status: 'True', reason: 'ScaleUpLimit', message: 'the desired replica count is increasing faster than the maximum scale rate' });
  });

  it('scale-down waits for the 300 s stabilisation window: the last high recommendation at t=600 holds 6 replicas until t=900', () => {
    const s = createSim({ ...shopInput(), autoscalers: [hpa('frontend', 2, 10)] });
    until(s, 600);
    expect(replicas(s, 'frontend')).toBe(6);
    s.ingress = [{ service: 'default/frontend', rps: 50 }];
    until(s, 615);
    expect(cond(s, 'frontend', 'AbleToScale')).toMatchObject({ status: 'True', reason: 'ScaleDownStabilized' });
    until(s, 899);
    expect(replicas(s, 'frontend')).toBe(6);
    until(s, 900);
    expect(replicas(s, 'frontend')).toBe(2);
    expect(rescales(s, 'frontend').at(-1)).toMatchObject({ t: 900, message: 'New size: 2; reason: All metrics below target' });
  });

  it('a custom behavior is honoured: scaleDown 60 s window, at most 1 Pod per 30 s', () => {
    const s = createSim({ ...shopInput(), autoscalers: [hpa('frontend', 2, 10, 80, { scaleDown: { stabilizationWindowSeconds: 60, policies: [{ type: 'Pods', value: 1, periodSeconds: 30 }] } })] });
    until(s, 600);
    s.ingress = [{ service: 'default/frontend', rps: 50 }];
    until(s, 659);
    expect(replicas(s, 'frontend')).toBe(6);
    until(s, 660);
    expect(replicas(s, 'frontend')).toBe(5);
    expect(cond(s, 'frontend', 'ScalingLimited')).toMatchObject({ status: 'True', reason: 'ScaleDownLimit' });
    until(s, 690);
    expect(replicas(s, 'frontend')).toBe(4);
  });

  it('Pending Pods have no metrics: a cold start reports FailedGetResourceMetric until Pods run', () => {
    const s = createSim({ ...shopInput(), coldStart: true, autoscalers: [hpa('frontend', 2, 10)] });
    expect(cond(s, 'frontend', 'ScalingActive')).toMatchObject({ status: 'False', reason: 'FailedGetResourceMetric', message: 'the HPA was unable to compute the replica count: failed to get cpu utilization: did not receive metrics for targeted pods (pods might be unready)' });
    expect(s.events.some((e) => e.reason === 'FailedGetResourceMetric' && e.type === 'Warning')).toBe(true);
    expect(replicas(s, 'frontend')).toBe(3);
  });

  it('a target with replicas 0 disables scaling (ScalingActive False ScalingDisabled)', () => {
    const s = createSim({ ...shopInput(), autoscalers: [hpa('frontend', 2, 10)] });
    expect(applyAction(s, 'alice', { type: 'scaleDeployment', deployment: 'frontend', replicas: 0 }).ok).toBe(true);
    until(s, 15);
    expect(replicas(s, 'frontend')).toBe(0);
    expect(cond(s, 'frontend', 'ScalingActive')).toMatchObject({ status: 'False', reason: 'ScalingDisabled' });
  });
});

describe('HorizontalPodAutoscaler: console', () => {
  it('kubectl autoscale creates it, get/describe show it, patch raises maxReplicas and the HPA scales on its next sync', () => {
    const s = createSim(shopInput());
    stepN(s, 5);
    expect(typeCommand(s, 'kubectl autoscale deployment frontend --min=2 --max=4 --cpu-percent=80')).toBe('horizontalpodautoscaler.autoscaling/frontend autoscaled');
    expect(typeCommand(s, 'kubectl autoscale deployment frontend --max=4')).toBe('Error from server (AlreadyExists): horizontalpodautoscalers.autoscaling "frontend" already exists');
    step(s);
    // the Pods became Ready at t=0: within their first 300 s a sample needs one 15 s window after that
    expect(cond(s, 'frontend', 'ScalingActive')).toMatchObject({ status: 'False', reason: 'FailedGetResourceMetric' });
    until(s, 20);
    expect(replicas(s, 'frontend')).toBe(3);
    until(s, 21); // created at t=5, reconciled at t=6, then every 15 s
    expect(replicas(s, 'frontend')).toBe(4);
    const described = typeCommand(s, 'kubectl describe hpa frontend');
    expect(described).toContain('Reference:');
    expect(described).toMatch(/resource cpu on pods {2}\(as a percentage of request\):\s+134% \(134m\) \/ 80%/);
    expect(described).toMatch(/Min replicas:\s+2/);
    expect(described).toMatch(/ScalingLimited\s+True\s+TooManyReplicas\s+the desired replica count is more than the maximum replica count/);
    expect(described).toMatch(/Normal\s+SuccessfulRescale\s+\S+\s+horizontal-pod-autoscaler\s+New size: 4; reason: cpu resource utilization \(percentage of request\) above target/);
    expect(typeCommand(s, `kubectl patch hpa frontend -p '{"spec":{"maxReplicas":10}}'`)).toBe('horizontalpodautoscaler.autoscaling/frontend patched');
    step(s);
    expect(theHpa(s, 'frontend').spec.maxReplicas).toBe(10);
    expect(replicas(s, 'frontend')).toBeGreaterThan(4);
    expect(typeCommand(s, 'kubectl get hpa frontend -o json')).toContain('"apiVersion": "autoscaling/v2"');
    expect(typeCommand(s, 'kubectl get hpa frontend -o json')).not.toContain('"sim"');
    expect(typeCommand(s, 'kubectl autoscale deployment nope --max=3')).toBe('Error from server (NotFound): deployments.apps "nope" not found');
    expect(typeCommand(s, `kubectl patch hpa frontend -p '{"spec":{"maxReplicas":1}}'`)).toBe('The HorizontalPodAutoscaler "frontend" is invalid: spec.maxReplicas: Invalid value: 1: must be greater than or equal to `minReplicas`');
  });

  it('the kubectl equivalents of the autoscale and patch actions parse back to the same actions', () => {
    const s = createSim({ ...shopInput(), autoscalers: [hpa('frontend', 2, 4)] });
    const actions: SimAction[] = [
      { type: 'autoscale', deployment: 'api', maxReplicas: 6, minReplicas: 2, cpuPercent: 70 },
      { type: 'autoscale', deployment: 'db', maxReplicas: 3 },
      { type: 'patchAutoscaler', hpa: 'frontend', maxReplicas: 10 },
      { type: 'patchAutoscaler', hpa: 'frontend', minReplicas: 3, cpuPercent: 60 },
    ];
    for (const a of actions) {
      const r = runKubectl(s, kubectlEquivalent(a));
      expect(r).toEqual({ kind: 'action', action: a });
    }
  });
});
