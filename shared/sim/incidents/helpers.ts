/**
 * Shared helpers of the incident modules: the raw `members` list param (etcd targets accept a list or a
 * comma-separated string), Deployment target lookup and the pods of a Deployment (via the sim's
 * informer-like index, shared/sim/cache.ts). Typed params with defaults come from each kind's schema
 * (the module's `params`), parsed by the lifecycle before `start`.
 *
 * May import: ../types.ts, ../cache.ts, ../names.ts.
 */
import type { Deployment, IncidentSpec, Pod, SimState } from '../types.ts';
import { getIndex, sortedKeys } from '../cache.ts';
import { refKey } from '../names.ts';

/** A string-list parameter (an array, or a comma-separated string), or undefined. */
export function listParam(spec: IncidentSpec, key: string): string[] | undefined {
  const v = spec.params[key];
  if (Array.isArray(v)) return v.filter((x) => x !== '');
  if (typeof v === 'string' && v !== '') return v.split(',').map((s) => s.trim()).filter((s) => s !== '');
  return undefined;
}

/** The Deployment an incident targets (`target` = name or `namespace/name`), or undefined. */
export function targetDeployment(state: SimState, spec: IncidentSpec): { key: string; deployment: Deployment } | undefined {
  const key = refKey(spec.target);
  const deployment = Object.hasOwn(state.deployments, key) ? state.deployments[key] : undefined; // own keys only: targets can be untrusted
  return deployment ? { key, deployment } : undefined;
}

/** Pods controlled by the Deployment's ReplicaSets, sorted by key. */
export function deploymentPods(state: SimState, deploymentKey: string): Pod[] {
  const idx = getIndex(state);
  const out: Pod[] = [];
  for (const rsKey of sortedKeys(idx.rsByDeployment.get(deploymentKey))) {
    for (const podKey of sortedKeys(idx.podsByOwner.get(rsKey))) {
      const pod = state.pods[podKey];
      if (pod) out.push(pod);
    }
  }
  return out;
}

/** True when the Deployment serves: at least one available replica and all desired ones available. */
export function deploymentAvailable(deployment: Deployment): boolean {
  return deployment.status.availableReplicas >= Math.max(1, deployment.spec.replicas);
}

/** Index of the container named `name` in a Deployment's template (0 when unnamed or not found). */
export function containerIndex(deployment: Deployment, name: string | undefined): number {
  if (name === undefined) return 0;
  const i = deployment.spec.template.spec.containers.findIndex((c) => c.name === name);
  return i < 0 ? 0 : i;
}
