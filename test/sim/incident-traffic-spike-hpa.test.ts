/**
 * Issue 7, "traffic spike needing scale-out (HPA at max)": the traffic-spike incident on a Deployment
 * scaled by a HorizontalPodAutoscaler. The HPA scales out to maxReplicas, then reports ScalingLimited
 * True TooManyReplicas while the saturated Pods time out requests; `kubectl scale` alone is undone at the
 * HPA's next sync; raising maxReplicas with `kubectl patch hpa` lets it scale out and the SLI recovers.
 * Times are sim seconds (tickSeconds 1).
 */
import { describe, expect, it } from 'vitest';
import { createSim, step } from '../../shared/sim/index.ts';
import type { DeploymentManifest, HorizontalPodAutoscalerManifest, SimInput, SimState } from '../../shared/sim/index.ts';
import { service, typeCommand } from './game-fixtures.ts';

function dep(name: string, image: string, replicas: number, cpuRequest: string): DeploymentManifest {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, labels: { app: name } },
    spec: {
      replicas, selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image, ports: [{ containerPort: 8080 }], resources: { requests: { cpu: cpuRequest, memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } } }] } },
    },
  };
}

const HPA: HorizontalPodAutoscalerManifest = {
  apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'frontend' },
  spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'frontend' }, minReplicas: 2, maxReplicas: 4, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }] },
};

/**
 * frontend: 2 Pods, 250 m requested, 500 m limit, 2 m per request (250 requests/s per Pod); 200 rps
 * -> 80 % (the HPA holds 2). api/db have room to spare. The spike (x6, 1200 rps) needs 5 frontend Pods
 * just to serve and ceil(2 x 200 % / 80 %) = 5... 12 by the HPA's arithmetic; its max is 4.
 */
function input(withHpa: boolean): SimInput {
  return {
    scenarioId: 'spike-hpa',
    settings: { seed: 3, tickSeconds: 1, durationSeconds: 1800 },
    nodes: [
      { name: 'node-a', zone: 'zone-a', cpu: '4', memory: '8Gi' },
      { name: 'node-b', zone: 'zone-b', cpu: '4', memory: '8Gi' },
      { name: 'node-c', zone: 'zone-c', cpu: '4', memory: '8Gi' },
    ],
    deployments: [dep('frontend', 'shop/frontend:v1', 2, '250m'), dep('api', 'shop/api:v1', 2, '100m')],
    services: [service('frontend', 'LoadBalancer'), service('api')],
    images: {
      'shop/frontend:v1': { errorRate: 0.0001, latencyMs: 20, baseMemoryMiB: 100, cpuPerRequestMilli: 2 },
      'shop/api:v1': { errorRate: 0.0001, latencyMs: 10, baseMemoryMiB: 100, cpuPerRequestMilli: 0.1 },
    },
    callGraph: { frontend: ['api'] },
    ingress: [{ service: 'frontend', rps: 200 }],
    userFacingService: 'frontend',
    slo: { availability: 0.999, latency: { thresholdMs: 300, target: 0.99 } },
    incidents: [{ id: 'spike', type: 'traffic-spike', at: 60, target: 'frontend', params: { factor: 6 } }],
    ...(withHpa ? { autoscalers: [HPA] } : {}),
  };
}

const until = (s: SimState, t: number) => {
  while (s.t < t) step(s);
};
const fe = (s: SimState) => s.traffic['default/frontend']!;
const replicas = (s: SimState) => s.deployments['default/frontend']!.spec.replicas;
const limited = (s: SimState) => s.horizontalPodAutoscalers!['default/frontend']!.status.conditions.find((c) => c.type === 'ScalingLimited');

describe('traffic-spike with a HorizontalPodAutoscaler at its maximum', () => {
  it('before the spike the HPA holds 2 Pods at 80 %; the spike maxes it out (ScalingLimited TooManyReplicas), errors and latency rise', () => {
    const s = createSim(input(true));
    until(s, 59);
    expect(replicas(s)).toBe(2);
    expect(fe(s).errorRate).toBeLessThan(0.001);
    until(s, 60);
    expect(s.incidents[0]!.status).toBe('active');
    expect(s.incidents[0]!.data['hpa']).toBe('default/frontend');
    expect(s.ingress[0]!.rps).toBe(1200);
    until(s, 90); // syncs at 75 (2 -> 4: the ceiling) and 90
    expect(replicas(s)).toBe(4);
    expect(limited(s)).toMatchObject({ status: 'True', reason: 'TooManyReplicas', message: 'the desired replica count is more than the maximum replica count' });
    until(s, 120);
    // 1200 requests/s against 4 x 250: a sixth times out
    expect(fe(s).errorRate).toBeGreaterThan(0.1);
    expect(fe(s).p99Ms).toBeGreaterThan(s.slos.latency.thresholdMs);
    expect(s.incidents[0]!.status).toBe('active');
    const described = typeCommand(s, 'kubectl describe hpa frontend');
    expect(described).toMatch(/ScalingLimited\s+True\s+TooManyReplicas/);
    expect(typeCommand(s, 'kubectl get hpa')).toMatch(/frontend\s+Deployment\/frontend\s+cpu: 200%\/80%\s+2\s+4\s+4/);
  });

  it('kubectl scale alone is undone by the HPA at its next sync (replicas above Spec.MaxReplicas)', () => {
    const s = createSim(input(true));
    until(s, 120);
    expect(typeCommand(s, 'kubectl scale deployment/frontend --replicas=8')).toMatch(/scaled/);
    until(s, 135);
    expect(replicas(s)).toBe(4);
    expect(s.events.some((e) => e.reason === 'SuccessfulRescale' && e.message === 'New size: 4; reason: Current number of replicas above Spec.MaxReplicas')).toBe(true);
  });

  it('remediation: raising maxReplicas lets the HPA scale out and the SLI recovers within a minute', () => {
    const s = createSim(input(true));
    until(s, 120);
    expect(typeCommand(s, `kubectl patch hpa frontend -p '{"spec":{"maxReplicas":12}}'`)).toBe('horizontalpodautoscaler.autoscaling/frontend patched');
    let healed: number | null = null;
    while (s.t < 300 && healed === null) {
      step(s);
      if (s.incidents[0]!.status === 'mitigated') healed = s.t;
    }
    expect(healed).not.toBeNull();
    expect(healed! - 120).toBeLessThanOrEqual(60);
    expect(replicas(s)).toBeGreaterThanOrEqual(8);
    expect(fe(s).errorRate).toBeLessThan(0.01);
    expect(fe(s).p99Ms).toBeLessThanOrEqual(s.slos.latency.thresholdMs);
    until(s, 400);
    expect(limited(s)?.status).toBe('False');
    expect(s.ingress[0]!.rps).toBe(1200); // the load is real: it stays
  });

  it('without an HPA the incident is unchanged (no data.hpa)', () => {
    const s = createSim(input(false));
    until(s, 61);
    expect(s.incidents[0]!.status).toBe('active');
    expect(Object.hasOwn(s.incidents[0]!.data, 'hpa')).toBe(false);
    expect(replicas(s)).toBe(2);
  });
});
