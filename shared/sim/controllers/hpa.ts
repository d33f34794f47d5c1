/**
 * The HorizontalPodAutoscaler controller (kube-controller-manager's `horizontal-pod-autoscaler`, K
 * pkg/controller/podautoscaler/horizontal.go and replica_calculator.go; W
 * tasks/run-application/horizontal-pod-autoscale.md). Times are sim seconds, CPU millicores, memory MiB.
 *
 * Every {@link HPA_SYNC_PERIOD_SECONDS} (15 s) per HPA:
 * 1. reads the target's scale (`spec.replicas` of its Deployment, ReplicaSet, StatefulSet or
 *    ReplicationController; `AbleToScale` False `FailedGetScale` when it is missing);
 * 2. replicas 0 (with minReplicas > 0): scaling disabled (`ScalingActive` False `ScalingDisabled`);
 *    above maxReplicas / below minReplicas: straight to the bound;
 * 3. else per metric (Resource cpu/memory, `Utilization` of the Pods' requests or `AverageValue`):
 *    Pods being deleted or Failed are ignored; Pending Pods, and for cpu the Pods not Ready during their
 *    first 300 s (`--horizontal-pod-autoscaler-cpu-initialization-period`) or never Ready since 30 s
 *    after start (`--horizontal-pod-autoscaler-initial-readiness-delay`), are "unready"; Pods without a
 *    running container have no metrics ("missing"). `usageRatio = utilisation (integer %) / target`;
 *    within tolerance 0.1 nothing changes, else `desired = ceil(usageRatio x readyPods)`; with missing
 *    Pods (counted at 100 % of their request on a scale-down, 0 % on a scale-up) or unready ones on a
 *    scale-up (0 %) the ratio is recomputed and a change of direction or one within tolerance keeps the
 *    current count. The biggest desire over the metrics wins;
 * 4. behavior: stabilisation (the lowest recommendation of the scale-up window, the highest of the
 *    scale-down window, default 0 s and 300 s), then the scaling policies (select Max/Min/Disabled over
 *    Pods/Percent per period, counted from this HPA's own scale events), then min/max replicas, with
 *    the conditions `AbleToScale` (`ReadyForNewScale`, `ScaleUpStabilized`, `ScaleDownStabilized`) and
 *    `ScalingLimited` (`TooManyReplicas` "the desired replica count is more than the maximum replica
 *    count", `TooFewReplicas`, `ScaleUpLimit`, `ScaleDownLimit`, False `DesiredWithinRange`);
 * 5. writes the target's `spec.replicas` and records `SuccessfulRescale` `New size: N; reason: cpu
 *    resource utilization (percentage of request) above target` (or `All metrics below target`).
 *
 * Pod usage is metrics-server's view from the traffic model (../podMetrics.ts). Stalls while etcd
 * cannot write; runs only while kube-controller-manager holds its Lease (./index.ts).
 *
 * May import: ../apiserver.ts, ../emit.ts, ../kinds/*, ../cache.ts, ../podMetrics.ts, ../types.ts.
 */
import { apiWritable, updateObject, updateStatus } from '../apiserver.ts';
import { podObjectsForSelector } from '../cache.ts';
import { emit, isWarmStart } from '../emit.ts';
import { horizontalPodAutoscalerKind } from '../kinds/hpa.ts';
import { kindOf } from '../kinds/index.ts';
import { podCpuUsageMilli, podHasMetrics } from '../podMetrics.ts';
import { parseCpuMillicores } from '../../manifests/quantity.ts';
import type { HorizontalPodAutoscaler, HpaCondition, HpaMetricSpec, HpaMetricStatus, HpaScalingRules, Pod, SimState } from '../types.ts';

/** `--horizontal-pod-autoscaler-sync-period`, sim seconds. */
export const HPA_SYNC_PERIOD_SECONDS = 15;
/** `--horizontal-pod-autoscaler-tolerance`. */
export const HPA_TOLERANCE = 0.1;
/** `--horizontal-pod-autoscaler-cpu-initialization-period`, sim seconds. */
export const CPU_INITIALIZATION_PERIOD_SECONDS = 300;
/** `--horizontal-pod-autoscaler-initial-readiness-delay`, sim seconds. */
export const INITIAL_READINESS_DELAY_SECONDS = 30;
/** metrics-server's sample window (`--metric-resolution` 15 s), sim seconds. */
export const METRIC_WINDOW_SECONDS = 15;

const SOURCE = 'horizontal-pod-autoscaler';

/** The kinds an HPA may scale (the `/scale` subresources the sim serves). */
const SCALABLE = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'ReplicationController']);

interface ScaleTarget {
  kind: 'Deployment' | 'ReplicaSet' | 'StatefulSet' | 'ReplicationController';
  key: string;
  specReplicas: number;
  statusReplicas: number;
  selector: Record<string, string>;
}

/** The target of an HPA (`scaleTargetRef` in its namespace), or an error text like the API server's. */
function scaleTarget(state: SimState, hpa: HorizontalPodAutoscaler): ScaleTarget | { error: string } {
  const ref = hpa.spec.scaleTargetRef;
  const def = kindOf(ref.kind);
  const resource = def ? `${def.plural}${def.apiVersion.includes('/') ? `.${def.apiVersion.slice(0, def.apiVersion.indexOf('/'))}` : ''}` : ref.kind.toLowerCase();
  if (!def || !SCALABLE.has(ref.kind)) return { error: `no matches for kind "${ref.kind}" in group "${ref.apiVersion.split('/')[0]}"` };
  const key = `${hpa.metadata.namespace}/${ref.name}`;
  const obj = def.store(state)[key] as unknown as { spec: { replicas: number; selector: Record<string, string> | { matchLabels: Record<string, string> } }; status: { replicas: number } } | undefined;
  if (!obj) return { error: `${resource} "${ref.name}" not found` };
  const sel = obj.spec.selector;
  const selector = ref.kind === 'ReplicationController' ? (sel as Record<string, string>) : (sel as { matchLabels: Record<string, string> }).matchLabels;
  return { kind: ref.kind as ScaleTarget['kind'], key, specReplicas: obj.spec.replicas, statusReplicas: obj.status.replicas, selector };
}

/** Sets (or adds) a condition; the transition time moves only when the status changes (setCondition). */
function setCondition(state: SimState, hpa: HorizontalPodAutoscaler, type: HpaCondition['type'], status: HpaCondition['status'], reason: string, message: string): void {
  const order: HpaCondition['type'][] = ['AbleToScale', 'ScalingActive', 'ScalingLimited'];
  const existing = hpa.status.conditions.find((c) => c.type === type);
  if (existing) {
    if (existing.status !== status) existing.lastTransitionTime = state.t;
    existing.status = status;
    existing.reason = reason;
    existing.message = message;
    return;
  }
  hpa.status.conditions.push({ type, status, reason, message, lastTransitionTime: state.t });
  hpa.status.conditions.sort((a, b) => order.indexOf(a.type) - order.indexOf(b.type));
}

function cpuMilli(q: string | undefined): number | null {
  if (q === undefined || q === '') return null;
  try {
    return parseCpuMillicores(q);
  } catch {
    return null;
  }
}

/** Per Pod request of a resource (millicores or MiB), or the name of a container without one. */
function podRequest(pod: Pod, resource: 'cpu' | 'memory'): number | { missing: string } {
  if (resource === 'memory') return pod.sim.memRequestMiB > 0 ? pod.sim.memRequestMiB : { missing: pod.spec.containers[0]?.name ?? '' };
  let sum = 0;
  for (const c of pod.spec.containers) {
    const v = cpuMilli(c.resources.requests?.cpu ?? c.resources.limits?.cpu);
    if (v === null) return { missing: c.name };
    sum += v;
  }
  return sum;
}

function podUsage(state: SimState, pod: Pod, resource: 'cpu' | 'memory'): number {
  return resource === 'cpu' ? podCpuUsageMilli(state, pod) : pod.sim.memoryMiB;
}

/** The metric's name in events and messages (K horizontal.go: `cpu resource utilization (percentage of request)`). */
function metricName(m: HpaMetricSpec): string {
  return m.resource.target.type === 'Utilization' ? `${m.resource.name} resource utilization (percentage of request)` : `${m.resource.name} resource`;
}

/** Classification of the target's Pods for one resource (replica_calculator.go groupPods). */
function groupPods(state: SimState, pods: Pod[], resource: 'cpu' | 'memory'): { ready: Pod[]; unready: Pod[]; missing: Pod[] } {
  const ready: Pod[] = [];
  const unready: Pod[] = [];
  const missing: Pod[] = [];
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp !== undefined || pod.status.phase === 'Failed' || pod.status.phase === 'Succeeded') continue;
    if (pod.status.phase === 'Pending') {
      unready.push(pod);
      continue;
    }
    if (!podHasMetrics(pod)) {
      missing.push(pod);
      continue;
    }
    if (resource === 'cpu') {
      const cond = pod.status.conditions.find((c) => c.type === 'Ready');
      const start = pod.status.startTime;
      let isUnready: boolean;
      if (!cond || start === undefined) isUnready = true;
      else if (start + CPU_INITIALIZATION_PERIOD_SECONDS > state.t) isUnready = cond.status === 'False' || state.t < cond.lastTransitionTime + METRIC_WINDOW_SECONDS;
      else isUnready = cond.status === 'False' && start + INITIAL_READINESS_DELAY_SECONDS > cond.lastTransitionTime;
      if (isUnready) {
        unready.push(pod);
        continue;
      }
    }
    ready.push(pod);
  }
  return { ready, unready, missing };
}

type MetricResult = { replicas: number; status: HpaMetricStatus } | { error: string };

/**
 * Desired replicas for one Resource metric (GetResourceReplicas / GetRawResourceReplicas) with the
 * observed average for `status.currentMetrics`.
 */
function replicasForMetric(state: SimState, m: HpaMetricSpec, pods: Pod[], currentReplicas: number): MetricResult {
  const resource = m.resource.name;
  const utilizationTarget = m.resource.target.type === 'Utilization';
  const prefix = utilizationTarget ? `failed to get ${resource} utilization` : `failed to get ${resource} usage`;
  const { ready, unready, missing } = groupPods(state, pods, resource);
  if (ready.length === 0) return { error: `${prefix}: did not receive metrics for targeted pods (pods might be unready)` };
  const usage = new Map<Pod, number>();
  for (const p of ready) usage.set(p, podUsage(state, p, resource));
  const requests = new Map<Pod, number>();
  if (utilizationTarget) {
    for (const p of [...ready, ...unready, ...missing]) {
      const r = podRequest(p, resource);
      if (typeof r !== 'number') return { error: `${prefix}: missing request for ${resource} in container ${r.missing} of Pod ${p.metadata.name}` };
      requests.set(p, r);
    }
  }
  const target = utilizationTarget
    ? (m.resource.target.averageUtilization ?? 80)
    : resource === 'cpu' ? (cpuMilli(m.resource.target.averageValue) ?? 0) : mibOf(m.resource.target.averageValue);
  if (target <= 0) return { error: `${prefix}: invalid target` };
  // GetResourceUtilizationRatio: integer utilisation (%), ratio of it to the target; raw average usage.
  const ratioOf = (u: Map<Pod, number>): { ratio: number; utilization: number; average: number } => {
    let total = 0;
    let req = 0;
    for (const [p, v] of u) {
      total += v;
      req += requests.get(p) ?? 0;
    }
    const average = total / Math.max(1, u.size);
    if (!utilizationTarget) return { ratio: average / target, utilization: 0, average };
    const utilization = req > 0 ? Math.floor((total * 100) / req) : 0;
    return { ratio: utilization / target, utilization, average };
  };
  const first = ratioOf(usage);
  const status: HpaMetricStatus = {
    type: 'Resource',
    resource: {
      name: resource,
      current: utilizationTarget
        ? { averageUtilization: first.utilization, averageValue: resource === 'cpu' ? `${Math.floor(first.average)}m` : `${Math.floor(first.average)}Mi` }
        : { averageValue: resource === 'cpu' ? `${Math.floor(first.average)}m` : `${Math.floor(first.average)}Mi` },
    },
  };
  const scaleUpWithUnready = unready.length > 0 && first.ratio > 1;
  if (!scaleUpWithUnready && missing.length === 0) {
    if (Math.abs(1 - first.ratio) <= HPA_TOLERANCE) return { replicas: currentReplicas, status };
    return { replicas: Math.ceil(first.ratio * ready.length), status };
  }
  if (missing.length > 0) {
    if (first.ratio < 1) {
      const fallback = Math.max(100, utilizationTarget ? target : 100);
      for (const p of missing) usage.set(p, utilizationTarget ? ((requests.get(p) ?? 0) * fallback) / 100 : target);
    } else if (first.ratio > 1) {
      for (const p of missing) usage.set(p, 0);
    }
  }
  if (scaleUpWithUnready) for (const p of unready) usage.set(p, 0);
  const next = ratioOf(usage);
  if (Math.abs(1 - next.ratio) <= HPA_TOLERANCE || (first.ratio < 1 && next.ratio > 1) || (first.ratio > 1 && next.ratio < 1)) return { replicas: currentReplicas, status };
  const replicas = Math.ceil(next.ratio * usage.size);
  if ((next.ratio < 1 && replicas > currentReplicas) || (next.ratio > 1 && replicas < currentReplicas)) return { replicas: currentReplicas, status };
  return { replicas, status };
}

function mibOf(q: string | undefined): number {
  const m = q === undefined ? null : /^(\d+(?:\.\d+)?)(Mi|Gi|Ki)?$/.exec(q);
  if (!m) return 0;
  const n = Number(m[1]);
  return m[2] === 'Gi' ? n * 1024 : m[2] === 'Ki' ? n / 1024 : m[2] === 'Mi' ? n : n / (1024 * 1024);
}

/** Sum of the changes of scale events newer than `now - periodSeconds` (getReplicasChangePerPeriod). */
function changeInPeriod(events: { t: number; change: number }[], now: number, periodSeconds: number): number {
  let sum = 0;
  for (const e of events) if (e.t > now - periodSeconds) sum += e.change;
  return sum;
}

/** calculateScaleUpLimitWithScalingRules. */
function scaleUpLimit(hpa: HorizontalPodAutoscaler, current: number, now: number, rules: HpaScalingRules): number {
  if (rules.selectPolicy === 'Disabled') return current;
  let result = rules.selectPolicy === 'Min' ? Number.MAX_SAFE_INTEGER : Number.MIN_SAFE_INTEGER;
  for (const p of rules.policies) {
    const start = current - changeInPeriod(hpa.sim.scaleUpEvents, now, p.periodSeconds) + changeInPeriod(hpa.sim.scaleDownEvents, now, p.periodSeconds);
    const proposed = p.type === 'Pods' ? start + p.value : Math.ceil(start * (1 + p.value / 100));
    result = rules.selectPolicy === 'Min' ? Math.min(result, proposed) : Math.max(result, proposed);
  }
  return result;
}

/** calculateScaleDownLimitWithBehaviors. */
function scaleDownLimit(hpa: HorizontalPodAutoscaler, current: number, now: number, rules: HpaScalingRules): number {
  if (rules.selectPolicy === 'Disabled') return current;
  let result = rules.selectPolicy === 'Min' ? Number.MIN_SAFE_INTEGER : Number.MAX_SAFE_INTEGER;
  for (const p of rules.policies) {
    const start = current - changeInPeriod(hpa.sim.scaleUpEvents, now, p.periodSeconds) + changeInPeriod(hpa.sim.scaleDownEvents, now, p.periodSeconds);
    const proposed = p.type === 'Pods' ? start - p.value : Math.trunc(start * (1 - p.value / 100));
    result = rules.selectPolicy === 'Min' ? Math.max(result, proposed) : Math.min(result, proposed);
  }
  return result;
}

/** normalizeDesiredReplicasWithBehaviors: stabilisation, then policies and bounds; sets AbleToScale and ScalingLimited. */
function normalize(state: SimState, hpa: HorizontalPodAutoscaler, current: number, desired: number): number {
  const now = state.t;
  const { scaleUp, scaleDown } = hpa.spec.behavior;
  const upCutoff = now - scaleUp.stabilizationWindowSeconds;
  const downCutoff = now - scaleDown.stabilizationWindowSeconds;
  let up = desired;
  let down = desired;
  let oldIndex = -1;
  hpa.sim.recommendations.forEach((r, i) => {
    if (r.t > upCutoff) up = Math.min(up, r.replicas);
    if (r.t > downCutoff) down = Math.max(down, r.replicas);
    if (r.t < upCutoff && r.t < downCutoff) oldIndex = i;
  });
  let stabilized = current;
  if (stabilized < up) stabilized = up;
  if (stabilized > down) stabilized = down;
  if (oldIndex >= 0) hpa.sim.recommendations[oldIndex] = { t: now, replicas: desired };
  else hpa.sim.recommendations.push({ t: now, replicas: desired });
  if (stabilized !== desired) {
    if (desired >= current) setCondition(state, hpa, 'AbleToScale', 'True', 'ScaleUpStabilized', 'recent recommendations were lower than current one, applying the lowest recent recommendation');
    else setCondition(state, hpa, 'AbleToScale', 'True', 'ScaleDownStabilized', 'recent recommendations were higher than current one, applying the highest recent recommendation');
  } else {
    setCondition(state, hpa, 'AbleToScale', 'True', 'ReadyForNewScale', 'recommended size matches current size');
  }
  let result = stabilized;
  let reason = 'DesiredWithinRange';
  let message = 'the desired count is within the acceptable range';
  if (stabilized > current) {
    const limit = Math.max(current, scaleUpLimit(hpa, current, now, scaleUp));
    let maxAllowed = hpa.spec.maxReplicas;
    let r = 'TooManyReplicas';
    let msg = 'the desired replica count is more than the maximum replica count';
    if (maxAllowed > limit) {
      maxAllowed = limit;
      r = 'ScaleUpLimit';
      msg = 'the desired replica count is increasing faster than the maximum scale rate';
    }
    if (stabilized > maxAllowed) {
      result = maxAllowed;
      reason = r;
      message = msg;
    }
  } else if (stabilized < current) {
    const limit = Math.min(current, scaleDownLimit(hpa, current, now, scaleDown));
    let minAllowed = hpa.spec.minReplicas;
    let r = 'TooFewReplicas';
    let msg = 'the desired replica count is less than the minimum replica count';
    if (minAllowed < limit) {
      minAllowed = limit;
      r = 'ScaleDownLimit';
      msg = 'the desired replica count is decreasing faster than the maximum scale rate';
    }
    if (stabilized < minAllowed) {
      result = minAllowed;
      reason = r;
      message = msg;
    }
  }
  setCondition(state, hpa, 'ScalingLimited', result === stabilized ? 'False' : 'True', reason, message);
  return result;
}

/** storeScaleEvent: remembers a rescale for the policies, forgetting events older than the longest policy period. */
function storeScaleEvent(hpa: HorizontalPodAutoscaler, now: number, prev: number, next: number): void {
  const longest = (rules: HpaScalingRules) => rules.policies.reduce((m, p) => Math.max(m, p.periodSeconds), 0);
  if (next > prev) {
    const keep = longest(hpa.spec.behavior.scaleUp);
    hpa.sim.scaleUpEvents = [...hpa.sim.scaleUpEvents.filter((e) => e.t > now - keep), { t: now, change: next - prev }];
  } else if (next < prev) {
    const keep = longest(hpa.spec.behavior.scaleDown);
    hpa.sim.scaleDownEvents = [...hpa.sim.scaleDownEvents.filter((e) => e.t > now - keep), { t: now, change: prev - next }];
  }
}

/** One reconcile of one HPA (reconcileAutoscaler). Returns false when the API could not be written (retry next tick). */
function reconcile(state: SimState, key: string, hpa: HorizontalPodAutoscaler): boolean {
  const before = JSON.stringify(hpa.status);
  const target = scaleTarget(state, hpa);
  if ('error' in target) {
    setCondition(state, hpa, 'AbleToScale', 'False', 'FailedGetScale', `the HPA controller was unable to get the target's current scale: ${target.error}`);
    emit(state, 'Warning', 'FailedGetScale', { kind: 'HorizontalPodAutoscaler', name: hpa.metadata.name, namespace: hpa.metadata.namespace }, target.error, SOURCE);
    if (JSON.stringify(hpa.status) !== before) updateStatus(state, 'HorizontalPodAutoscaler', key, { enqueue: false });
    return true;
  }
  setCondition(state, hpa, 'AbleToScale', 'True', 'SucceededGetScale', "the HPA controller was able to get the target's current scale");
  const current = target.specReplicas;
  const min = hpa.spec.minReplicas;
  let desired = 0;
  let reason = '';
  let rescale = true;
  const warm = isWarmStart(state);
  if (current === 0 && min !== 0) {
    rescale = false;
    setCondition(state, hpa, 'ScalingActive', 'False', 'ScalingDisabled', 'scaling is disabled since the replica count of the target is zero');
  } else if (current > hpa.spec.maxReplicas) {
    reason = 'Current number of replicas above Spec.MaxReplicas';
    desired = hpa.spec.maxReplicas;
  } else if (current < min) {
    reason = 'Current number of replicas below Spec.MinReplicas';
    desired = min;
  } else if (warm) {
    rescale = false;
  } else {
    const pods = podObjectsForSelector(state, hpa.metadata.namespace, target.selector);
    let best = -1;
    let bestName = '';
    const statuses: HpaMetricStatus[] = [];
    let firstError: string | null = null;
    for (const m of hpa.spec.metrics) {
      const r = replicasForMetric(state, m, pods, current);
      if ('error' in r) {
        firstError ??= r.error;
        continue;
      }
      statuses.push(r.status);
      if (r.replicas > best) {
        best = r.replicas;
        bestName = metricName(m);
      }
    }
    if (best < 0) {
      const e = firstError ?? 'no metrics';
      setCondition(state, hpa, 'ScalingActive', 'False', 'FailedGetResourceMetric', `the HPA was unable to compute the replica count: ${e}`);
      emit(state, 'Warning', 'FailedGetResourceMetric', { kind: 'HorizontalPodAutoscaler', name: hpa.metadata.name, namespace: hpa.metadata.namespace }, e, SOURCE);
      hpa.status.currentReplicas = target.statusReplicas;
      hpa.status.desiredReplicas = current;
      if (JSON.stringify(hpa.status) !== before) updateStatus(state, 'HorizontalPodAutoscaler', key, { enqueue: false });
      return true;
    }
    hpa.status.currentMetrics = statuses;
    setCondition(state, hpa, 'ScalingActive', 'True', 'ValidMetricFound', `the HPA was able to successfully calculate a replica count from ${bestName}`);
    desired = best;
    if (desired > current) reason = `${bestName} above target`;
    if (desired < current) reason = 'All metrics below target';
    desired = normalize(state, hpa, current, desired);
    rescale = desired !== current;
  }
  if (rescale) {
    const w = updateObject(state, target.kind, target.key, (o) => {
      (o as { spec: { replicas: number } }).spec.replicas = desired;
    }, { generation: true });
    if (!w.ok) return false;
    emit(state, 'Normal', 'SuccessfulRescale', { kind: 'HorizontalPodAutoscaler', name: hpa.metadata.name, namespace: hpa.metadata.namespace }, `New size: ${desired}; reason: ${reason}`, SOURCE);
    storeScaleEvent(hpa, state.t, current, desired);
    hpa.status.lastScaleTime = state.t;
  } else {
    desired = current;
  }
  hpa.status.currentReplicas = target.statusReplicas;
  hpa.status.desiredReplicas = desired;
  hpa.status.observedGeneration = hpa.metadata.generation;
  if (JSON.stringify(hpa.status) !== before) updateStatus(state, 'HorizontalPodAutoscaler', key, { enqueue: false });
  return true;
}

/**
 * Reconciles every HPA whose sync is due (`sim.nextSyncAt <= t`), in key order, then schedules its next
 * sync 15 s later. While etcd cannot write nothing is synced (the sync stays due). No HPAs: no work.
 */
export function hpaSync(state: SimState): void {
  const store = state.horizontalPodAutoscalers;
  if (!store) return;
  if (!apiWritable(state)) return;
  for (const key of Object.keys(store).sort()) {
    const hpa = store[key]!;
    if (hpa.sim.nextSyncAt > state.t) continue;
    if (!reconcile(state, key, hpa)) continue;
    if (!isWarmStart(state)) hpa.sim.nextSyncAt = state.t + HPA_SYNC_PERIOD_SECONDS;
  }
}

export { horizontalPodAutoscalerKind };
