/**
 * Probes from the manifest (issue 6): startup, readiness and liveness workers with SetDefaults_Probe
 * timing (delay 0, period 10 s, timeout 1 s, success 1, failure 3), httpGet / tcpSocket / grpc / exec
 * handlers, the kubelet's real event texts, and faults that make them fail. Times are sim seconds
 * (tickSeconds 1); every container starts at the sim second of its `Started` event.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../shared/manifests/load.ts';
import { manifestsOnlyInput } from '../../shared/scenario/toSimInput.ts';
import { runKubectl } from '../../shared/kubectl/index.ts';
import { createSim, podDisplayStatus, stateHash, step } from '../../shared/sim/index.ts';
import type { DeploymentManifest, ImageProfile, Pod, Probe, SimInput, SimState } from '../../shared/sim/index.ts';
import { input, podsOf, run, runUntil } from './fixtures.ts';

type ContainerSpec = DeploymentManifest['spec']['template']['spec']['containers'][number];

/** Deployment `web` (1 replica unless said, port 8080, 100m CPU request) with the given probes. */
function web(probes: Pick<ContainerSpec, 'readinessProbe' | 'livenessProbe' | 'startupProbe'>, replicas = 1, image = 'web:v1'): DeploymentManifest {
  const container: ContainerSpec = { name: 'app', image, ports: [{ containerPort: 8080 }], resources: { requests: { cpu: '100m', memory: '128Mi' } }, ...probes };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [container] } } },
  };
}

function cold(d: DeploymentManifest, over: Partial<SimInput> = {}, images: Record<string, Partial<ImageProfile>> = {}): SimState {
  return createSim({ ...input({ deployments: [d], images: images as SimInput['images'], ...over }), coldStart: true });
}

const kubectl = (s: SimState, line: string): string => {
  const r = runKubectl(s, line);
  if (r.kind !== 'output') throw new Error(`kubectl ${line}: ${JSON.stringify(r)}`);
  return r.output;
};

const eventsOf = (s: SimState, pod: Pod, reason: string) => s.events.filter((e) => e.object.name === pod.metadata.name && e.reason === reason);
/** Each event's times: one per occurrence (the recorder folds repeats into a series with `count`). */
const times = (s: SimState, pod: Pod, reason: string, match = ''): number[] =>
  eventsOf(s, pod, reason).filter((e) => e.message.includes(match)).map((e) => e.t);
const startedAt = (s: SimState, pod: Pod): number => times(s, pod, 'Started').at(-1)!;
const httpGet = (path: string, extra: Partial<Probe> = {}): Probe => ({ httpGet: { path, port: 8080 }, ...extra });

describe('probe defaults and describe pod', () => {
  it('fills SetDefaults_Probe values and shows kubectl describe probe lines for every handler', () => {
    const d = web({ livenessProbe: httpGet('/healthz'), readinessProbe: { tcpSocket: { port: 6379 } }, startupProbe: { exec: { command: ['cat', '/tmp/ready'] } } });
    const s = cold(d);
    const grpc = web({ livenessProbe: { grpc: { port: 9090 }, periodSeconds: 5 } }, 1, 'grpc:v1');
    grpc.metadata.name = 'rpc';
    grpc.spec.selector.matchLabels = { app: 'rpc' };
    grpc.spec.template.metadata.labels = { app: 'rpc' };
    const s2 = cold(grpc);
    run(s, 5);
    run(s2, 5);
    const out = kubectl(s, `describe pod ${podsOf(s, 'web')[0]!.metadata.name}`);
    expect(out).toMatch(/\n {4}Liveness: +http-get http:\/\/:8080\/healthz delay=0s timeout=1s period=10s #success=1 #failure=3\n/);
    expect(out).toMatch(/\n {4}Readiness: +tcp-socket :6379 delay=0s timeout=1s period=10s #success=1 #failure=3\n/);
    expect(out).toMatch(/\n {4}Startup: +exec \[cat \/tmp\/ready\] delay=0s timeout=1s period=10s #success=1 #failure=3\n/);
    // K describe.go prints the gRPC service after the port (defaulted to "" by the API server).
    expect(kubectl(s2, `describe pod ${podsOf(s2, 'rpc')[0]!.metadata.name}`)).toMatch(/\n {4}Liveness: +grpc <pod>:9090 {2}delay=0s timeout=1s period=5s #success=1 #failure=3\n/);
  });
});

describe('startup probe', () => {
  it('a startup probe that never passes kills at delay + 3 x period, then CrashLoopBackOff; liveness and readiness never ran', () => {
    const s = cold(web({ startupProbe: httpGet('/started', { initialDelaySeconds: 5 }), livenessProbe: httpGet('/healthz'), readinessProbe: httpGet('/ready') }), {}, { 'web:v1': { startupSeconds: 100_000 } });
    run(s, 10);
    const pod = podsOf(s, 'web')[0]!;
    const t0 = startedAt(s, pod);
    expect(pod.status.containerStatuses[0]!.started).toBe(false);
    run(s, 40);
    const ip = kubectl(s, 'get pods -o wide').match(/\b(10\.\d+\.\d+\.\d+)\b/)![1]!;
    const unhealthy = eventsOf(s, pod, 'Unhealthy');
    expect(unhealthy.map((e) => e.t)).toEqual([t0 + 15, t0 + 25, t0 + 35]);
    expect(unhealthy[0]!.message).toBe(`Startup probe failed: Get "http://${ip}:8080/started": dial tcp ${ip}:8080: connect: connection refused`);
    expect(times(s, pod, 'Killing')).toEqual([t0 + 35]);
    expect(eventsOf(s, pod, 'Killing')[0]!.message).toBe('Container app failed startup probe, will be restarted');
    expect(s.events.some((e) => /^(Liveness|Readiness) probe/.test(e.message))).toBe(false);
    expect(pod.status.containerStatuses[0]!.restartCount).toBe(1);
    // Each life fails the same way 35 s after its start; the restarts follow the crash-loop back-off:
    // the first at the next tick (t0 + 36), then after 10 s, then 20 s.
    run(s, t0 + 120 - s.t);
    expect(times(s, pod, 'Killing')).toEqual([t0 + 35, t0 + 36 + 35, t0 + 36 + 35 + 10 + 35]);
    expect(pod.status.containerStatuses[0]!.restartCount).toBe(2);
    expect(podDisplayStatus(pod, s.t)).toBe('CrashLoopBackOff');
    expect(pod.sim.ready).toBe(false);
  });

  it('an app that takes 25 s to start passes its startup probe at the third try; readiness and liveness start after it', () => {
    const s = cold(web({ startupProbe: httpGet('/started'), readinessProbe: httpGet('/ready') }), {}, { 'web:v1': { startupSeconds: 25 } });
    run(s, 10);
    const pod = podsOf(s, 'web')[0]!;
    const t0 = startedAt(s, pod);
    const ready = runUntil(s, () => pod.sim.ready, 120);
    // Startup fails at +10 and +20, passes at +30 (started), readiness passes at its next period (+40).
    expect(times(s, pod, 'Unhealthy')).toEqual([t0 + 10, t0 + 20]);
    expect(ready).toBe(t0 + 40);
    expect(pod.status.containerStatuses[0]!.started).toBe(true);
    expect(pod.status.containerStatuses[0]!.restartCount).toBe(0);
  });
});

describe('readiness and liveness', () => {
  it('with no fault: httpGet, tcpSocket and exec probes pass, Ready after delay + one period, no restarts, workers idle', () => {
    const s = cold(web({ readinessProbe: { exec: { command: ['cat', '/tmp/ready'] }, initialDelaySeconds: 5 }, livenessProbe: { tcpSocket: { port: 8080 } } }, 3));
    const ready = runUntil(s, () => podsOf(s, 'web').every((p) => p.sim.ready), 60)!;
    const pod = podsOf(s, 'web')[0]!;
    expect(pod.sim.ready).toBe(true);
    expect(ready).toBe(Math.max(...podsOf(s, 'web').map((p) => startedAt(s, p))) + 15);
    run(s, 600);
    expect(s.events.filter((e) => e.reason === 'Unhealthy' || e.reason === 'Killing')).toEqual([]);
    for (const p of podsOf(s, 'web')) expect(p.status.containerStatuses[0]!.restartCount).toBe(0);
    // Cost follows change: healthy Pods hold no probe timers once their probes passed.
    expect(s.timers.filter((t) => t.kind === 'kubelet.probe' || t.kind === 'kubelet.liveness' || t.kind === 'kubelet.startup')).toEqual([]);
  });

  it('a latency fault on running Pods: httpGet probes time out (timeoutSeconds 1), readiness lost after 3 failed periods, liveness restarts', () => {
    const s = cold(web({ readinessProbe: httpGet('/ready', { periodSeconds: 5 }), livenessProbe: httpGet('/healthz') }, 2), {}, { 'web:v1': { latencyMs: 20 } });
    run(s, 60);
    const pods = podsOf(s, 'web');
    expect(pods.every((p) => p.sim.ready)).toBe(true);
    const pod = pods[0]!;
    const t0 = startedAt(s, pod);
    // The app starts answering in 1.5 s (an incident edits the image profile in place, as chaos does).
    const faultAt = s.t;
    s.images['web:v1'] = { ...s.images['web:v1']!, latencyMs: 1500 };
    run(s, 40);
    const ip = pod.status.containerStatuses.length > 0 ? kubectl(s, `get pod ${pod.metadata.name} -o jsonpath={.status.podIP}`) : '';
    const readiness = s.events.filter((e) => e.object.name === pod.metadata.name && e.message.startsWith('Readiness probe failed'));
    expect(readiness[0]!.message).toBe(`Readiness probe failed: Get "http://${ip}:8080/ready": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`);
    // Readiness probes at t0 + 5k: the first after the fault, then two more periods -> not Ready.
    const firstReadiness = t0 + 5 * (Math.floor((faultAt - t0) / 5) + 1);
    expect(readiness.slice(0, 3).map((e) => e.t)).toEqual([firstReadiness, firstReadiness + 5, firstReadiness + 10]);
    const liveness = s.events.filter((e) => e.object.name === pod.metadata.name && e.message.startsWith('Liveness probe failed'));
    expect(liveness[0]!.message).toBe(`Liveness probe failed: Get "http://${ip}:8080/healthz": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`);
    const firstLiveness = t0 + 10 * (Math.floor((faultAt - t0) / 10) + 1);
    expect(liveness.slice(0, 3).map((e) => e.t)).toEqual([firstLiveness, firstLiveness + 10, firstLiveness + 20]);
    const killing = eventsOf(s, pod, 'Killing');
    expect(killing[0]!.message).toBe('Container app failed liveness probe, will be restarted');
    expect(killing[0]!.t).toBe(firstLiveness + 20);
    expect(pod.status.containerStatuses[0]!.restartCount).toBeGreaterThanOrEqual(1);
    expect(pod.status.containerStatuses[0]!.lastState.terminated).toMatchObject({ exitCode: 137, reason: 'Error' });
    // Not Ready since the third failed readiness probe (or the kill, whichever came first): out of the endpoints.
    expect(pod.sim.ready).toBe(false);
    const slice = Object.values(s.endpoints).find((e) => e.metadata.labels['kubernetes.io/service-name'] === 'web')!;
    expect(slice.endpoints.filter((e) => e.conditions.ready).length).toBe(0);
    // Remove the fault: the Pods come back Ready.
    s.images['web:v1'] = { ...s.images['web:v1']!, latencyMs: 20 };
    expect(runUntil(s, () => podsOf(s, 'web').every((p) => p.sim.ready), 400)).not.toBeNull();
  });

  it('the slow-dependency incident (1.5 s per request) rolls out a version whose httpGet probes time out: its Pods never turn Ready, the old ones keep serving', () => {
    const s = cold(web({ readinessProbe: httpGet('/ready'), livenessProbe: httpGet('/healthz') }, 2), {
      incidents: [{ id: 'slow', type: 'slow-dependency', at: 60, target: 'web', params: { latencyMs: 1500 } }],
    }, { 'web:v1': { latencyMs: 20 } });
    run(s, 200);
    const slow = podsOf(s, 'web').filter((p) => p.sim.image === 'web:v2');
    expect(slow.length).toBeGreaterThan(0);
    for (const p of slow) expect(p.sim.ready).toBe(false);
    const msgs = s.events.filter((e) => slow.some((p) => p.metadata.name === e.object.name) && e.reason === 'Unhealthy').map((e) => e.message);
    expect(msgs.some((m) => /^Readiness probe failed: Get "http:\/\/[\d.]+:8080\/ready": context deadline exceeded \(Client\.Timeout exceeded while awaiting headers\)$/.test(m))).toBe(true);
    expect(msgs.some((m) => m.startsWith('Liveness probe failed: Get'))).toBe(true);
    expect(s.events.some((e) => e.reason === 'Killing' && e.message === 'Container app failed liveness probe, will be restarted')).toBe(true);
    expect(podsOf(s, 'web').filter((p) => p.sim.image === 'web:v1' && p.sim.ready).length).toBeGreaterThanOrEqual(1);
  });

  it('a CPU hog starves a loaded Pod: its gRPC probes time out; a tcpSocket probe still connects', () => {
    const grpcProbe: Probe = { grpc: { port: 8080 } };
    const s = cold(web({ readinessProbe: grpcProbe, livenessProbe: grpcProbe }, 3), {
      ingress: [{ service: 'web', rps: 60 }],
      incidents: [{ id: 'hog', type: 'cpu-hog', at: 60, target: 'web', params: { millicores: 1000, durationSeconds: 120 } }],
    });
    const tcp = cold(web({ readinessProbe: { tcpSocket: { port: 8080 } } }, 3), {
      ingress: [{ service: 'web', rps: 60 }],
      incidents: [{ id: 'hog', type: 'cpu-hog', at: 60, target: 'web', params: { millicores: 1000, durationSeconds: 120 } }],
    });
    run(s, 120);
    run(tcp, 120);
    const msgs = s.events.filter((e) => e.reason === 'Unhealthy').map((e) => e.message);
    expect(msgs).toContain('Readiness probe failed: timeout: health rpc did not complete within 1s');
    expect(msgs).toContain('Liveness probe failed: timeout: health rpc did not complete within 1s');
    expect(tcp.events.filter((e) => e.reason === 'Unhealthy')).toEqual([]);
  });
});

describe('a load change alone', () => {
  it('wakes idle workers: a traffic spike beyond 2x the Pods\' CPU makes their httpGet probes time out', () => {
    // 3 Pods of 100 m at 2 m per request serve 50 requests/s each; 60 requests/s leave them idle.
    const s = cold(web({ readinessProbe: httpGet('/ready'), livenessProbe: httpGet('/healthz') }, 3), { ingress: [{ service: 'web', rps: 60 }] });
    run(s, 90);
    expect(podsOf(s, 'web').every((p) => p.sim.ready)).toBe(true);
    expect(s.timers.filter((t) => t.kind === 'kubelet.probe' || t.kind === 'kubelet.liveness')).toEqual([]); // idle
    const spikeAt = s.t;
    s.ingress = [{ service: 'web', rps: 400 }]; // 133 requests/s per Pod: 2.7x its CPU, no profile change
    run(s, 1);
    const clone = structuredClone(s); // a fresh memo resyncs and wakes the same workers
    const notReady = new Map<string, number>();
    run(s, 40, () => {
      for (const p of podsOf(s, 'web')) if (!p.sim.ready && !notReady.has(p.metadata.name)) notReady.set(p.metadata.name, s.t);
    });
    const failed = s.events.filter((e) => e.reason === 'Unhealthy' && e.message.startsWith('Readiness probe failed: Get'));
    expect(failed.length).toBeGreaterThan(0);
    expect(Math.min(...failed.map((e) => e.t)) - spikeAt).toBeLessThanOrEqual(11); // the next period after the spike
    // Three failed periods later every Pod leaves the endpoints (then, unloaded, passes and comes back: it flaps).
    expect(notReady.size).toBe(3);
    for (const t of notReady.values()) expect(t - spikeAt).toBeLessThanOrEqual(31);
    run(clone, 40);
    expect(stateHash(clone)).toBe(stateHash(s));
  });
});

describe('a probe the prober cannot run', () => {
  it('a named port that names no container port errors every period: never Ready, never killed (the result is thrown away)', () => {
    const named = (port: string): Probe => ({ httpGet: { path: '/ready', port } });
    const s = cold(web({ readinessProbe: named('http'), livenessProbe: { tcpSocket: { port: 'metrics' } } }));
    run(s, 60);
    const pod = podsOf(s, 'web')[0]!;
    const start = startedAt(s, pod);
    expect(pod.sim.ready).toBe(false);
    expect(kubectl(s, 'kubectl get pods')).toMatch(/web-\S+\s+0\/1\s+Running\s+0\s/);
    const ev = eventsOf(s, pod, 'Unhealthy');
    expect([...new Set(ev.map((e) => e.message))].sort()).toEqual([
      'Liveness probe errored and resulted in unknown state: strconv.Atoi: parsing "metrics": invalid syntax',
      'Readiness probe errored and resulted in unknown state: strconv.Atoi: parsing "http": invalid syntax',
    ]);
    // Every period (10 s) from start + 10 s.
    const due = Array.from({ length: Math.floor((s.t - start) / 10) }, (_, i) => start + 10 * (i + 1));
    expect(times(s, pod, 'Unhealthy', 'Readiness')).toEqual(due);
    expect(times(s, pod, 'Unhealthy', 'Liveness')).toEqual(due);
    expect(times(s, pod, 'Killing')).toEqual([]);
    expect(pod.status.containerStatuses[0]!.restartCount).toBe(0);
    // A port name the container declares, or a number written as a string, resolves and passes.
    const ok = cold(web({ readinessProbe: named('8080') }));
    run(ok, 30);
    expect(podsOf(ok, 'web')[0]!.sim.ready).toBe(true);
  });

  it('a warm start keeps such a Pod not Ready (its readiness never passed)', () => {
    const s = createSim(input({ deployments: [web({ readinessProbe: { httpGet: { path: '/', port: 'web' } } }, 2)] }));
    run(s, 25);
    for (const p of podsOf(s, 'web')) expect(p.sim.ready).toBe(false);
    expect(s.events.filter((e) => e.reason === 'Unhealthy').every((e) => e.message === 'Readiness probe errored and resulted in unknown state: strconv.Atoi: parsing "web": invalid syntax')).toBe(true);
  });
});

describe('successThreshold and determinism', () => {
  it('readiness with successThreshold 2 turns Ready at delay + 2 periods', () => {
    const s = cold(web({ readinessProbe: httpGet('/ready', { initialDelaySeconds: 3, periodSeconds: 4, successThreshold: 2 }) }));
    run(s, 8);
    const pod = podsOf(s, 'web')[0]!;
    expect(runUntil(s, () => pod.sim.ready, 60)).toBe(startedAt(s, pod) + 3 + 2 * 4);
  });

  it('a state cloned while probes fail continues exactly like the original', () => {
    const mk = () => cold(web({ readinessProbe: httpGet('/ready', { periodSeconds: 5 }), livenessProbe: httpGet('/healthz') }, 3), {
      ingress: [{ service: 'web', rps: 60 }],
      incidents: [{ id: 'hog', type: 'cpu-hog', at: 40, target: 'web', params: { millicores: 1000, durationSeconds: 100 } }],
    });
    const a = mk();
    run(a, 70);
    const b = structuredClone(a);
    run(a, 120);
    run(b, 120);
    expect(a.events.some((e) => e.reason === 'Killing')).toBe(true);
    expect(stateHash(b)).toBe(stateHash(a));
  });
});

describe('a public manifest with probes', () => {
  it('Sock Shop (httpGet probes, delays up to 300 s) stays healthy with no fault: no Unhealthy event, no restart', () => {
    const text = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'manifests', 'public', 'sock-shop.yaml'), 'utf8');
    const loaded = loadManifests(text, { source: 'sock-shop.yaml' });
    expect(loaded.errors).toEqual([]);
    const s = createSim({ ...manifestsOnlyInput(loaded, { seed: 1, durationSeconds: 1200 }), coldStart: true });
    for (let i = 0; i < 900; i++) step(s);
    expect(s.events.filter((e) => e.reason === 'Unhealthy' || e.reason === 'Killing')).toEqual([]);
    for (const p of Object.values(s.pods)) {
      expect(p.sim.ready).toBe(true);
      expect(p.status.containerStatuses.every((c) => c.restartCount === 0)).toBe(true);
    }
    const catalogue = Object.values(s.pods).find((p) => p.metadata.name.startsWith('catalogue-'))!;
    expect(kubectl(s, `describe pod ${catalogue.metadata.name} -n ${catalogue.metadata.namespace}`)).toMatch(/\n {4}Liveness: +http-get http:\/\/:80\/health delay=300s timeout=1s period=3s #success=1 #failure=3\n/);
  });
});
