/**
 * `/metrics` of a team cluster (`GET /k8s/MATCH/TEAM/metrics`, authenticated like the API): the
 * Prometheus text exposition format written by prom-client, with kube-state-metrics names and labels
 * (https://github.com/kubernetes/kube-state-metrics/tree/main/docs/metrics) and the match's SLIs.
 *
 * Series: `kube_pod_status_phase{namespace,pod,phase}` (1 for the Pod's phase, 0 for the others),
 * `kube_pod_container_status_restarts_total{namespace,pod,container}`,
 * `kube_deployment_spec_replicas` / `kube_deployment_status_replicas_available{namespace,deployment}`,
 * `kube_node_status_condition{node,condition,status}`, `kube_node_spec_unschedulable{node}`,
 * `etcd_server_has_leader`, and `gameday_slo_good_total` / `gameday_slo_valid_total{slo}` (cumulative
 * events since the match started: Prometheus computes SLIs and burn rates from them with `rate()`),
 * `gameday_sli{slo}`, `gameday_slo_target{slo}`, `gameday_error_budget_remaining{slo}` (1 = untouched),
 * `gameday_sim_seconds` (the cluster's clock, sim seconds). A fresh registry per scrape: values are the
 * cluster's now.
 *
 * More kube-state-metrics series: `kube_pod_info{namespace,pod,node}`, `kube_pod_status_ready{namespace,pod,condition}`,
 * `kube_pod_container_status_ready` / `_running{namespace,pod,container}`,
 * `kube_pod_container_status_waiting_reason` / `_terminated_reason` / `_last_terminated_reason{namespace,pod,container,reason}`
 * (one series, value 1, for the container's current / last reason: kube-state-metrics v2 writes no 0s for them),
 * `kube_pod_container_resource_requests` / `_limits{namespace,pod,container,node,resource,unit}` (cpu in
 * cores, memory in bytes), `kube_deployment_status_replicas` / `_updated` / `_ready` / `_unavailable{namespace,deployment}`.
 *
 * cAdvisor (the kubelet's `/metrics/cadvisor`) names: `container_cpu_usage_seconds_total{namespace,pod,container}`
 * (CPU seconds) and `container_memory_working_set_bytes{namespace,pod,container}` (the kubelet's working
 * set, `pod.sim.memoryMiB` x 2^20), for Pods with a running container (the sim's Pods run one app
 * container; the Pod's usage is its first container's, as `kubectl top`). CFS bandwidth control, for Pods
 * whose containers all have a CPU limit (a CFS quota; shared/sim/podMetrics.ts `podCfsRates`):
 * `container_cpu_cfs_periods_total`, `container_cpu_cfs_throttled_periods_total` (100 ms periods with
 * work / with the quota spent) and `container_cpu_cfs_throttled_seconds_total` (seconds), integrated
 * like the CPU seconds: `rate(container_cpu_cfs_throttled_periods_total[5m]) /
 * rate(container_cpu_cfs_periods_total[5m])` is the throttled share, as on a real cluster.
 *
 * Per Service (every Service with traffic, user-facing or internal; the usual HTTP instrumentation names):
 * `http_requests_total{namespace,service,code}` (`200` served, `503` failed: refused, timed out or failed
 * by a downstream; the sim does not tell them apart) and the histogram `http_request_duration_seconds{namespace,service,code="200"}`
 * (successful requests only: the sim models their latency as a lognormal fitted to the Service's
 * p50/p99, shared/sim/latency.ts; buckets 5 ms .. 10 s).
 *
 * Counters the cluster does not keep (CPU seconds, per-Service requests) are integrated here, per
 * cluster state object, from the last tick's figures x the sim seconds since the previous scrape of that
 * cluster (any scraper): exact while the figures hold between scrapes; they start at 0 at the first
 * scrape of a cluster (a counter reset for Prometheus if the server restarts). The SLI counters
 * `gameday_slo_*_total` are the cluster's own, exact per tick.
 *
 * May import: prom-client, shared/sim/types.ts, shared/sim/latency.ts, shared/sim/podMetrics.ts (read
 * only: the CFS counters' rates), shared/kubectl/cluster.ts (read only).
 */
import { Counter, Gauge, Registry, type Metric } from 'prom-client';
import type { SimState } from '../../shared/sim/types.ts';
import { componentCdf, Z99 } from '../../shared/sim/latency.ts';
import { podCpuUsage } from '../../shared/kubectl/cluster.ts';
import { podCfsRates } from '../../shared/sim/podMetrics.ts';

const PHASES = ['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'] as const;
const CONDITION_STATUSES = ['true', 'false', 'unknown'] as const;

/** The exposition text and its content type for `state`. */
export async function clusterMetrics(state: SimState): Promise<{ contentType: string; text: string }> {
  const registers = [new Registry()];
  const reg = registers[0]!;
  const podPhase = new Gauge({ name: 'kube_pod_status_phase', help: 'The pods current phase.', labelNames: ['namespace', 'pod', 'phase'], registers });
  const restarts = new Counter({ name: 'kube_pod_container_status_restarts_total', help: 'The number of container restarts per container.', labelNames: ['namespace', 'pod', 'container'], registers });
  const specReplicas = new Gauge({ name: 'kube_deployment_spec_replicas', help: 'Number of desired pods for a deployment.', labelNames: ['namespace', 'deployment'], registers });
  const available = new Gauge({ name: 'kube_deployment_status_replicas_available', help: 'The number of available replicas per deployment.', labelNames: ['namespace', 'deployment'], registers });
  const nodeCondition = new Gauge({ name: 'kube_node_status_condition', help: 'The condition of a cluster node.', labelNames: ['node', 'condition', 'status'], registers });
  const unschedulable = new Gauge({ name: 'kube_node_spec_unschedulable', help: 'Whether a node can schedule new pods.', labelNames: ['node'], registers });
  const hasLeader = new Gauge({ name: 'etcd_server_has_leader', help: 'Whether or not a leader exists. 1 is existence, 0 is not.', registers });
  const good = new Counter({ name: 'gameday_slo_good_total', help: 'Good events of the SLI since the match started.', labelNames: ['slo'], registers });
  const valid = new Counter({ name: 'gameday_slo_valid_total', help: 'Valid events of the SLI since the match started.', labelNames: ['slo'], registers });
  const sli = new Gauge({ name: 'gameday_sli', help: 'The SLI over the match so far, 0..1.', labelNames: ['slo'], registers });
  const target = new Gauge({ name: 'gameday_slo_target', help: 'The SLO target, 0..1.', labelNames: ['slo'], registers });
  const budget = new Gauge({ name: 'gameday_error_budget_remaining', help: 'Share of the error budget left (1 untouched, below 0 overspent).', labelNames: ['slo'], registers });
  const clock = new Gauge({ name: 'gameday_sim_seconds', help: 'The cluster clock, sim seconds since the match started.', registers });

  for (const key of Object.keys(state.pods).sort()) {
    const pod = state.pods[key]!;
    const { namespace, name } = pod.metadata;
    for (const phase of PHASES) podPhase.set({ namespace, pod: name, phase }, pod.status.phase === phase ? 1 : 0);
    for (const c of pod.status.containerStatuses) restarts.inc({ namespace, pod: name, container: c.name }, c.restartCount);
  }
  for (const key of Object.keys(state.deployments).sort()) {
    const d = state.deployments[key]!;
    const labels = { namespace: d.metadata.namespace, deployment: d.metadata.name };
    specReplicas.set(labels, d.spec.replicas);
    available.set(labels, d.status.availableReplicas);
  }
  for (const name of Object.keys(state.nodes).sort()) {
    const n = state.nodes[name]!;
    for (const c of n.status.conditions) {
      for (const status of CONDITION_STATUSES) nodeCondition.set({ node: name, condition: c.type, status }, c.status.toLowerCase() === status ? 1 : 0);
    }
    unschedulable.set({ node: name }, n.spec.unschedulable ? 1 : 0);
  }
  hasLeader.set(state.controlPlane.etcd.leader !== null ? 1 : 0);
  for (const s of [state.slos.availability, state.slos.latency]) {
    good.inc({ slo: s.name }, s.good);
    valid.inc({ slo: s.name }, s.valid);
    sli.set({ slo: s.name }, s.sli);
    target.set({ slo: s.name }, s.target);
    budget.set({ slo: s.name }, s.errorBudgetRemaining);
  }
  clock.set(state.t);
  moreStateMetrics(state, registers);
  integrated(state, registers);
  return { contentType: reg.contentType, text: await reg.metrics() };
}

const MIB = 1024 * 1024;

/** The kube-state-metrics series beyond the first set (see the module doc). */
function moreStateMetrics(state: SimState, registers: Registry[]): void {
  const podLabels = ['namespace', 'pod'];
  const ctrLabels = ['namespace', 'pod', 'container'];
  const info = new Gauge({ name: 'kube_pod_info', help: 'Information about pod.', labelNames: [...podLabels, 'node'], registers });
  const podReady = new Gauge({ name: 'kube_pod_status_ready', help: 'Describes whether the pod is ready to serve requests.', labelNames: [...podLabels, 'condition'], registers });
  const ctrReady = new Gauge({ name: 'kube_pod_container_status_ready', help: 'Describes whether the containers readiness check succeeded.', labelNames: ctrLabels, registers });
  const ctrRunning = new Gauge({ name: 'kube_pod_container_status_running', help: 'Describes whether the container is currently in running state.', labelNames: ctrLabels, registers });
  const waiting = new Gauge({ name: 'kube_pod_container_status_waiting_reason', help: 'Describes the reason the container is currently in waiting state.', labelNames: [...ctrLabels, 'reason'], registers });
  const terminated = new Gauge({ name: 'kube_pod_container_status_terminated_reason', help: 'Describes the reason the container is currently in terminated state.', labelNames: [...ctrLabels, 'reason'], registers });
  const lastTerminated = new Gauge({ name: 'kube_pod_container_status_last_terminated_reason', help: 'Describes the last reason the container was in terminated state.', labelNames: [...ctrLabels, 'reason'], registers });
  const requests = new Gauge({ name: 'kube_pod_container_resource_requests', help: 'The number of requested request resource by a container.', labelNames: [...ctrLabels, 'node', 'resource', 'unit'], registers });
  const limits = new Gauge({ name: 'kube_pod_container_resource_limits', help: 'The number of requested limit resource by a container.', labelNames: [...ctrLabels, 'node', 'resource', 'unit'], registers });
  const dReplicas = new Gauge({ name: 'kube_deployment_status_replicas', help: 'The number of replicas per deployment.', labelNames: ['namespace', 'deployment'], registers });
  const dUpdated = new Gauge({ name: 'kube_deployment_status_replicas_updated', help: 'The number of updated replicas per deployment.', labelNames: ['namespace', 'deployment'], registers });
  const dReady = new Gauge({ name: 'kube_deployment_status_replicas_ready', help: 'The number of ready replicas per deployment.', labelNames: ['namespace', 'deployment'], registers });
  const dUnavailable = new Gauge({ name: 'kube_deployment_status_replicas_unavailable', help: 'The number of unavailable replicas per deployment.', labelNames: ['namespace', 'deployment'], registers });

  for (const key of Object.keys(state.pods).sort()) {
    const pod = state.pods[key]!;
    const { namespace, name } = pod.metadata;
    const node = pod.spec.nodeName ?? '';
    info.set({ namespace, pod: name, node }, 1);
    const ready = pod.status.conditions.find((c) => c.type === 'Ready')?.status ?? 'Unknown';
    for (const condition of CONDITION_STATUSES) podReady.set({ namespace, pod: name, condition }, ready.toLowerCase() === condition ? 1 : 0);
    for (const c of pod.status.containerStatuses) {
      const labels = { namespace, pod: name, container: c.name };
      ctrReady.set(labels, c.ready ? 1 : 0);
      ctrRunning.set(labels, c.state.running !== undefined ? 1 : 0);
      if (c.state.waiting) waiting.set({ ...labels, reason: c.state.waiting.reason }, 1);
      if (c.state.terminated) terminated.set({ ...labels, reason: c.state.terminated.reason }, 1);
      if (c.lastState.terminated) lastTerminated.set({ ...labels, reason: c.lastState.terminated.reason }, 1);
    }
    const first = pod.spec.containers[0];
    if (first) {
      const labels = { namespace, pod: name, container: first.name, node };
      requests.set({ ...labels, resource: 'cpu', unit: 'core' }, pod.sim.cpuRequestMilli / 1000);
      requests.set({ ...labels, resource: 'memory', unit: 'byte' }, pod.sim.memRequestMiB * MIB);
      if (pod.sim.memLimitMiB !== null) limits.set({ ...labels, resource: 'memory', unit: 'byte' }, pod.sim.memLimitMiB * MIB);
    }
  }
  for (const key of Object.keys(state.deployments).sort()) {
    const d = state.deployments[key]!;
    const labels = { namespace: d.metadata.namespace, deployment: d.metadata.name };
    dReplicas.set(labels, d.status.replicas);
    dUpdated.set(labels, d.status.updatedReplicas);
    dReady.set(labels, d.status.readyReplicas);
    dUnavailable.set(labels, d.status.unavailableReplicas);
  }
}

/** Histogram bucket bounds of `http_request_duration_seconds`, seconds (prom-client's defaults). */
export const LATENCY_BUCKETS_SECONDS: readonly number[] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Integrated counters of one cluster state (keys: `namespace/name` or `namespace/pod/container`). */
interface Integrals {
  /** Sim second they were last advanced to. */
  t: number;
  cpuSeconds: Map<string, number>;
  /** Per container: CFS periods, throttled periods, throttled seconds. */
  cfs: Map<string, [number, number, number]>;
  requests: Map<string, { ok: number; failed: number; buckets: number[]; sumSeconds: number }>;
}

const integrals = new WeakMap<SimState, Integrals>();

/**
 * Advances the integrated counters of `state` to its `t` (see the module doc) and registers them:
 * `container_cpu_usage_seconds_total`, `container_memory_working_set_bytes`, `http_requests_total`,
 * `http_request_duration_seconds`.
 */
function integrated(state: SimState, registers: Registry[]): void {
  let acc = integrals.get(state);
  if (acc === undefined || state.t < acc.t) integrals.set(state, (acc = { t: state.t, cpuSeconds: new Map(), cfs: new Map(), requests: new Map() }));
  const dt = state.t - acc.t;
  acc.t = state.t;

  const cpu = new Counter({ name: 'container_cpu_usage_seconds_total', help: 'Cumulative cpu time consumed in seconds.', labelNames: ['namespace', 'pod', 'container'], registers });
  const memory = new Gauge({ name: 'container_memory_working_set_bytes', help: 'Current working set in bytes.', labelNames: ['namespace', 'pod', 'container'], registers });
  const periods = new Counter({ name: 'container_cpu_cfs_periods_total', help: 'Number of elapsed enforcement period intervals.', labelNames: ['namespace', 'pod', 'container'], registers });
  const throttledPeriods = new Counter({ name: 'container_cpu_cfs_throttled_periods_total', help: 'Number of throttled period intervals.', labelNames: ['namespace', 'pod', 'container'], registers });
  const throttledSeconds = new Counter({ name: 'container_cpu_cfs_throttled_seconds_total', help: 'Total time duration the container has been throttled.', labelNames: ['namespace', 'pod', 'container'], registers });
  for (const key of Object.keys(state.pods).sort()) {
    const pod = state.pods[key]!;
    const first = pod.spec.containers[0];
    if (!first || !pod.status.containerStatuses.some((c) => c.state.running !== undefined)) continue;
    const { namespace, name } = pod.metadata;
    const id = `${namespace}/${name}/${first.name}`;
    const total = (acc.cpuSeconds.get(id) ?? 0) + (podCpuUsage(state, pod) / 1000) * dt;
    acc.cpuSeconds.set(id, total);
    const labels = { namespace, pod: name, container: first.name };
    cpu.inc(labels, total);
    memory.set(labels, pod.sim.memoryMiB * MIB);
    const rates = podCfsRates(state, pod);
    if (rates !== null) {
      const c = acc.cfs.get(id) ?? [0, 0, 0];
      c[0] += rates.periods * dt;
      c[1] += rates.throttledPeriods * dt;
      c[2] += rates.throttledSeconds * dt;
      acc.cfs.set(id, c);
      periods.inc(labels, c[0]);
      throttledPeriods.inc(labels, c[1]);
      throttledSeconds.inc(labels, c[2]);
    }
  }

  const requests = new Counter({ name: 'http_requests_total', help: 'Requests to the Service, by status code (200 served, 503 failed).', labelNames: ['namespace', 'service', 'code'], registers });
  const values: { labels: Record<string, string | number>; value: number; metricName: string }[] = [];
  for (const key of Object.keys(state.traffic).sort()) {
    const t = state.traffic[key]!;
    let r = acc.requests.get(key);
    if (r === undefined) acc.requests.set(key, (r = { ok: 0, failed: 0, buckets: LATENCY_BUCKETS_SECONDS.map(() => 0), sumSeconds: 0 }));
    const served = t.rps * (1 - t.errorRate) * dt;
    r.ok += served;
    r.failed += t.rps * t.errorRate * dt;
    const latency = { weight: 1, p50Ms: t.p50Ms, p99Ms: t.p99Ms };
    LATENCY_BUCKETS_SECONDS.forEach((le, i) => (r.buckets[i]! += served * componentCdf(latency, le * 1000)));
    r.sumSeconds += served * lognormalMeanMs(t.p50Ms, t.p99Ms) / 1000;
    const i = key.indexOf('/');
    const base = { namespace: i >= 0 ? key.slice(0, i) : 'default', service: i >= 0 ? key.slice(i + 1) : key };
    requests.inc({ ...base, code: '200' }, r.ok);
    requests.inc({ ...base, code: '503' }, r.failed);
    const labels = { ...base, code: '200' };
    LATENCY_BUCKETS_SECONDS.forEach((le, k) => values.push({ metricName: 'http_request_duration_seconds_bucket', labels: { ...labels, le }, value: r.buckets[k]! }));
    values.push({ metricName: 'http_request_duration_seconds_bucket', labels: { ...labels, le: '+Inf' }, value: r.ok });
    values.push({ metricName: 'http_request_duration_seconds_sum', labels, value: r.sumSeconds });
    values.push({ metricName: 'http_request_duration_seconds_count', labels, value: r.ok });
  }
  // prom-client's Histogram only observes single values; this one is written from the integrated bucket counts.
  const histogram = {
    name: 'http_request_duration_seconds',
    help: 'Latency of the Service\'s successful requests, seconds.',
    type: 'histogram',
    aggregator: 'sum',
    get: () => Promise.resolve({ name: 'http_request_duration_seconds', help: 'Latency of the Service\'s successful requests, seconds.', type: 'histogram', aggregator: 'sum', values }),
  };
  for (const r of registers) r.registerMetric(histogram as unknown as Metric);
}

/** Mean of the lognormal with median `p50` and 99th percentile `p99` (ms): `p50 x exp(sigma^2 / 2)`. */
function lognormalMeanMs(p50: number, p99: number): number {
  if (p50 <= 0) return 0;
  const sigma = Math.log(Math.max(p99, p50) / p50) / Z99;
  return p50 * Math.exp((sigma * sigma) / 2);
}
