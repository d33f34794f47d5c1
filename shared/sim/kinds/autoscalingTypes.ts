/**
 * Object shape of `autoscaling/v2 HorizontalPodAutoscaler` (the subset the sim reads and writes; issue 6).
 * Times are sim seconds; replica counts are integers. Re-exported by ../types.ts.
 *
 * Source: W tasks/run-application/horizontal-pod-autoscale.md, K pkg/apis/autoscaling/v2 types and
 * defaults.go.
 *
 * May import: ./types.ts.
 */
import type { ObjectMeta, SimSeconds } from './types.ts';

/** `autoscaling/v2 HPAScalingPolicy`: at most `value` Pods (or `value` % of the replicas) per `periodSeconds`. */
export interface HpaScalingPolicy {
  type: 'Pods' | 'Percent';
  value: number;
  periodSeconds: number;
}

/** `autoscaling/v2 HPAScalingRules` (one direction of `spec.behavior`). */
export interface HpaScalingRules {
  /** Sim seconds of past recommendations considered (scale-up default 0, scale-down 300). */
  stabilizationWindowSeconds: number;
  /** `Max` (default: the policy allowing the biggest change), `Min`, `Disabled`. */
  selectPolicy: 'Max' | 'Min' | 'Disabled';
  policies: HpaScalingPolicy[];
}

/** One `spec.metrics` entry: only `Resource` metrics (cpu or memory) are simulated. */
export interface HpaMetricSpec {
  type: 'Resource';
  resource: {
    name: 'cpu' | 'memory';
    /** `Utilization`: `averageUtilization` % of the Pods' requests; `AverageValue`: a quantity per Pod (`averageValue`). */
    target: { type: 'Utilization' | 'AverageValue'; averageUtilization?: number; averageValue?: string };
  };
}

/** `autoscaling/v2 HorizontalPodAutoscalerCondition`; `lastTransitionTime` in sim seconds. */
export interface HpaCondition {
  type: 'AbleToScale' | 'ScalingActive' | 'ScalingLimited';
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  lastTransitionTime: SimSeconds;
}

/** One `status.currentMetrics` entry: the observed average (`averageUtilization` %, `averageValue` quantity). */
export interface HpaMetricStatus {
  type: 'Resource';
  resource: { name: 'cpu' | 'memory'; current: { averageUtilization?: number; averageValue: string } };
}

/**
 * Sim-only bookkeeping of the HPA controller (kept in the object so a replay behaves identically; never
 * served): the timestamped recommendations of the stabilisation windows and the scale events the
 * scaling policies count (K pkg/controller/podautoscaler/horizontal.go `recommendations`,
 * `scaleUpEvents`, `scaleDownEvents`), and the next sync (every 15 s).
 */
export interface HpaSim {
  /** Sim second of the next reconcile (`--horizontal-pod-autoscaler-sync-period` 15 s). */
  nextSyncAt: SimSeconds;
  recommendations: { t: SimSeconds; replicas: number }[];
  scaleUpEvents: { t: SimSeconds; change: number }[];
  scaleDownEvents: { t: SimSeconds; change: number }[];
}

/** `autoscaling/v2 HorizontalPodAutoscaler` plus its sim-only {@link HpaSim} block. */
export interface HorizontalPodAutoscaler {
  apiVersion: 'autoscaling/v2';
  kind: 'HorizontalPodAutoscaler';
  metadata: ObjectMeta;
  spec: {
    scaleTargetRef: { apiVersion: string; kind: string; name: string };
    /** Default 1. */
    minReplicas: number;
    maxReplicas: number;
    /** Default: cpu at 80 % utilisation. */
    metrics: HpaMetricSpec[];
    /** Filled with the documented defaults (scale-up: 0 s window, max(4 Pods, 100 %) per 15 s; scale-down: 300 s window, 100 % per 15 s). */
    behavior: { scaleUp: HpaScalingRules; scaleDown: HpaScalingRules };
  };
  status: {
    observedGeneration: number;
    currentReplicas: number;
    desiredReplicas: number;
    lastScaleTime?: SimSeconds;
    currentMetrics: HpaMetricStatus[];
    conditions: HpaCondition[];
  };
  sim: HpaSim;
}

/**
 * An HPA as loaded from a manifest (shared/manifests): the spec as written, defaults not applied
 * (the kind's `defaults` fill minReplicas, metrics and behavior).
 */
export interface HorizontalPodAutoscalerManifest {
  apiVersion: 'autoscaling/v2';
  kind: 'HorizontalPodAutoscaler';
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: {
    scaleTargetRef: { apiVersion?: string; kind: string; name: string };
    minReplicas?: number;
    maxReplicas: number;
    metrics?: HpaMetricSpec[];
    behavior?: { scaleUp?: Partial<HpaScalingRules>; scaleDown?: Partial<HpaScalingRules> };
  };
}
