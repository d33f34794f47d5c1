/**
 * The HorizontalPodAutoscaler kind (autoscaling/v2): storage `state.horizontalPodAutoscalers` (optional
 * in the state, created with the first HPA), defaulting (K pkg/apis/autoscaling/v2/defaults.go:
 * minReplicas 1, metrics cpu 80 % utilisation, behavior filled with the documented defaults), API
 * serialisation (condition times and lastScaleTime RFC 3339) and kubectl's columns (K
 * pkg/printers/internalversion/printers.go printHorizontalPodAutoscaler: NAME REFERENCE TARGETS
 * MINPODS MAXPODS REPLICAS AGE, TARGETS like `cpu: 85%/80%`). The controller is
 * ../controllers/hpa.ts.
 *
 * Default behavior (W tasks/run-application/horizontal-pod-autoscale.md "Default Behavior"):
 * scaleUp: stabilizationWindowSeconds 0, selectPolicy Max, policies Pods 4 / 15 s and Percent 100 / 15 s;
 * scaleDown: stabilizationWindowSeconds 300, selectPolicy Max, policies Percent 100 / 15 s. A partly
 * written behavior keeps what it sets and gets the rest from these.
 *
 * May import: ../types.ts, ./kind.ts, ./print.ts, ./serialize.ts.
 */
import type { HorizontalPodAutoscaler, HorizontalPodAutoscalerManifest, HpaMetricSpec, HpaScalingRules, ObjectMeta } from '../types.ts';
import type { KindDef } from './kind.ts';
import { humanDuration } from './print.ts';
import { apiCopy, apiMeta, stampEach, stampFields } from './serialize.ts';

const EMPTY: Readonly<Record<string, HorizontalPodAutoscaler>> = Object.freeze({});

/** `autoscaling.DefaultCPUUtilization`: the target when an HPA lists no metrics, percent. */
export const DEFAULT_CPU_UTILIZATION = 80;

/** The default scale-up rules (GenerateHPAScaleUpRules). */
export function defaultScaleUp(): HpaScalingRules {
  return { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }] };
}

/** The default scale-down rules (GenerateHPAScaleDownRules; the window is the controller's --horizontal-pod-autoscaler-downscale-stabilization 5 min). */
export function defaultScaleDown(): HpaScalingRules {
  return { stabilizationWindowSeconds: 300, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] };
}

function mergeRules(given: Partial<HpaScalingRules> | undefined, def: HpaScalingRules): HpaScalingRules {
  return {
    stabilizationWindowSeconds: given?.stabilizationWindowSeconds ?? def.stabilizationWindowSeconds,
    selectPolicy: given?.selectPolicy ?? def.selectPolicy,
    policies: given?.policies && given.policies.length > 0 ? given.policies.map((p) => ({ ...p })) : def.policies,
  };
}

/** The cpu 80 % metric an HPA without metrics gets. */
export function defaultMetrics(): HpaMetricSpec[] {
  return [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: DEFAULT_CPU_UTILIZATION } } }];
}

/**
 * A stored HPA from a manifest (or `kubectl autoscale`) with `metadata` built by the caller: spec with
 * the defaults applied, empty status, first sync at `metadata.creationTimestamp`.
 */
export function hpaFromManifest(m: HorizontalPodAutoscalerManifest, metadata: ObjectMeta): HorizontalPodAutoscaler {
  const hpa: HorizontalPodAutoscaler = {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata,
    spec: {
      scaleTargetRef: { apiVersion: m.spec.scaleTargetRef.apiVersion ?? 'apps/v1', kind: m.spec.scaleTargetRef.kind, name: m.spec.scaleTargetRef.name },
      minReplicas: m.spec.minReplicas ?? 1,
      maxReplicas: m.spec.maxReplicas,
      metrics: m.spec.metrics && m.spec.metrics.length > 0 ? structuredClone(m.spec.metrics) : defaultMetrics(),
      behavior: { scaleUp: mergeRules(m.spec.behavior?.scaleUp, defaultScaleUp()), scaleDown: mergeRules(m.spec.behavior?.scaleDown, defaultScaleDown()) },
    },
    status: { observedGeneration: 0, currentReplicas: 0, desiredReplicas: 0, currentMetrics: [], conditions: [] },
    sim: { nextSyncAt: metadata.creationTimestamp, recommendations: [], scaleUpEvents: [], scaleDownEvents: [] },
  };
  return hpa;
}

/** The TARGETS cell: `cpu: 85%/80%` per metric (`<unknown>` before the first observation), comma-separated. */
export function hpaTargets(hpa: HorizontalPodAutoscaler): string {
  return hpa.spec.metrics.map((m, i) => {
    const cur = hpa.status.currentMetrics[i]?.resource.current;
    const name = m.resource.name;
    if (m.resource.target.type === 'Utilization') {
      const c = cur?.averageUtilization;
      return `${name}: ${c === undefined ? '<unknown>' : `${c}%`}/${m.resource.target.averageUtilization ?? DEFAULT_CPU_UTILIZATION}%`;
    }
    return `${name}: ${cur?.averageValue ?? '<unknown>'}/${m.resource.target.averageValue ?? ''}`;
  }).join(', ') || '<none>';
}

/** The HorizontalPodAutoscaler kind. */
export const horizontalPodAutoscalerKind: KindDef<HorizontalPodAutoscaler> = {
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  plural: 'horizontalpodautoscalers',
  singular: 'horizontalpodautoscaler',
  shortNames: ['hpa'],
  commandWord: 'hpa',
  alsoServedAt: ['autoscaling/v1'],
  namespaced: true,
  store: (state) => state.horizontalPodAutoscalers ?? (EMPTY as Record<string, HorizontalPodAutoscaler>),
  ensureStore: (state) => (state.horizontalPodAutoscalers ??= Object.create(null) as Record<string, HorizontalPodAutoscaler>),
  defaults(hpa) {
    hpa.spec.minReplicas ??= 1;
    if (!hpa.spec.metrics || hpa.spec.metrics.length === 0) hpa.spec.metrics = defaultMetrics();
    hpa.spec.behavior = {
      scaleUp: mergeRules(hpa.spec.behavior?.scaleUp, defaultScaleUp()),
      scaleDown: mergeRules(hpa.spec.behavior?.scaleDown, defaultScaleDown()),
    };
  },
  controllerKinds: [],
  toApi(hpa) {
    const copy = apiCopy(hpa);
    apiMeta(copy);
    const status = copy['status'] as Record<string, unknown>;
    stampFields(status, ['lastScaleTime']);
    stampEach(status['conditions'], ['lastTransitionTime']);
    return copy;
  },
  columns: [
    { name: 'NAME', cell: (h) => h.metadata.name },
    { name: 'REFERENCE', cell: (h) => `${h.spec.scaleTargetRef.kind}/${h.spec.scaleTargetRef.name}` },
    { name: 'TARGETS', cell: (h) => hpaTargets(h) },
    { name: 'MINPODS', cell: (h) => String(h.spec.minReplicas) },
    { name: 'MAXPODS', cell: (h) => String(h.spec.maxReplicas) },
    { name: 'REPLICAS', cell: (h) => String(h.status.currentReplicas) },
    { name: 'AGE', cell: (h, s) => humanDuration(s.t - h.metadata.creationTimestamp) },
  ],
};
