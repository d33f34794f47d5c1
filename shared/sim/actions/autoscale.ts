/**
 * HorizontalPodAutoscaler actions: `kubectl autoscale deployment NAME --min=M --max=N --cpu-percent=P`
 * (creates an autoscaling/v2 HPA named like the Deployment, or `--name`) and `kubectl patch hpa NAME -p
 * '{"spec":{"maxReplicas":N}}'` (min/max replicas, cpu target). Immediate API writes (completesAt =
 * now); the HPA controller (../controllers/hpa.ts) reconciles the new or changed HPA on the next tick
 * (an informer add/update enqueues it at once), then every 15 s. Messages are kubectl's output
 * (`horizontalpodautoscaler.autoscaling/web autoscaled`, `... patched`).
 *
 * Validation as the API server's (K pkg/apis/autoscaling/validation): maxReplicas >= 1, minReplicas >= 1
 * and <= maxReplicas, a cpu target >= 1 %.
 */
import { createObject, findDeployment, newMeta, notFound, updateObject } from '../apiserver.ts';
import { hpaFromManifest, horizontalPodAutoscalerKind } from '../kinds/hpa.ts';
import { objKey, splitKey } from '../names.ts';
import type { SimState } from '../types.ts';
import { reject, type Handled } from './handler.ts';

const ok = (state: SimState, message: string) => ({ ok: true as const, message, completesAt: state.t });

function invalid(name: string, field: string, value: number, why: string): Handled {
  return reject(`The HorizontalPodAutoscaler "${name}" is invalid: ${field}: Invalid value: ${value}: ${why}`);
}

function checkBounds(name: string, min: number | undefined, max: number, cpu: number | undefined): Handled | null {
  if (!Number.isInteger(max) || max < 1) return invalid(name, 'spec.maxReplicas', max, 'must be greater than or equal to 1');
  if (min !== undefined && (!Number.isInteger(min) || min < 1)) return invalid(name, 'spec.minReplicas', min, 'must be greater than or equal to 1');
  if (min !== undefined && max < min) return invalid(name, 'spec.maxReplicas', max, 'must be greater than or equal to `minReplicas`');
  if (cpu !== undefined && (!Number.isInteger(cpu) || cpu < 1)) return invalid(name, 'spec.metrics[0].resource.target.averageUtilization', cpu, 'must be greater than 0');
  return null;
}

/** `kubectl autoscale deployment NAME --max=N [--min=M] [--cpu-percent=P] [--name=HPA]`. */
export function autoscaleAction(state: SimState, deployment: string, maxReplicas: number, minReplicas?: number, cpuPercent?: number, name?: string): Handled {
  const found = findDeployment(state, deployment);
  if (!found) return reject(notFound('deployments.apps', splitKey(deployment).name));
  const d = found.deployment;
  const hpaName = name ?? d.metadata.name;
  const bad = checkBounds(hpaName, minReplicas, maxReplicas, cpuPercent);
  if (bad) return bad;
  const meta = newMeta(state, d.metadata.namespace, hpaName, {}, {}, []);
  const hpa = hpaFromManifest({
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: hpaName, namespace: d.metadata.namespace },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: d.metadata.name },
      ...(minReplicas !== undefined ? { minReplicas } : {}),
      maxReplicas,
      ...(cpuPercent !== undefined ? { metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: cpuPercent } } }] } : {}),
    },
  }, meta);
  hpa.sim.nextSyncAt = state.t;
  const w = createObject(state, 'HorizontalPodAutoscaler', hpa);
  if (!w.ok) return reject(w.error);
  return { result: ok(state, `horizontalpodautoscaler.autoscaling/${hpaName} autoscaled`) };
}

/** `kubectl patch hpa NAME -p '{"spec":{"maxReplicas":N,"minReplicas":M}}'` (and the cpu target). */
export function patchAutoscalerAction(state: SimState, ref: string, change: { maxReplicas?: number; minReplicas?: number; cpuPercent?: number }): Handled {
  const { namespace, name } = splitKey(ref);
  const key = objKey(namespace, name);
  const hpa = horizontalPodAutoscalerKind.store(state)[key];
  if (!hpa) return reject(notFound('horizontalpodautoscalers.autoscaling', name));
  const max = change.maxReplicas ?? hpa.spec.maxReplicas;
  const min = change.minReplicas ?? hpa.spec.minReplicas;
  const bad = checkBounds(name, min, max, change.cpuPercent);
  if (bad) return bad;
  let changed = false;
  const w = updateObject(state, 'HorizontalPodAutoscaler', key, (h) => {
    const cpu = change.cpuPercent;
    const cpuMetric = h.spec.metrics.find((m) => m.resource.name === 'cpu' && m.resource.target.type === 'Utilization');
    changed = h.spec.maxReplicas !== max || h.spec.minReplicas !== min || (cpu !== undefined && cpuMetric?.resource.target.averageUtilization !== cpu);
    if (!changed) return false;
    h.spec.maxReplicas = max;
    h.spec.minReplicas = min;
    if (cpu !== undefined) {
      if (cpuMetric) cpuMetric.resource.target.averageUtilization = cpu;
      else h.spec.metrics.push({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: cpu } } });
    }
    h.sim.nextSyncAt = state.t;
    return true;
  }, { generation: true });
  if (!w.ok) return reject(w.error);
  return { result: ok(state, `horizontalpodautoscaler.autoscaling/${name} patched${changed ? '' : ' (no change)'}`) };
}
