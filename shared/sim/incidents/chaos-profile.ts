/**
 * What the chaos-experiment kinds (`network-chaos`, `cpu-hog`) share: a fault laid on the image
 * profiles of the target Deployment's containers for a fixed window, then lifted (a Chaos Mesh /
 * LitmusChaos experiment ends by itself when its `duration` / `TOTAL_CHAOS_DURATION` is over:
 * https://chaos-mesh.org/docs/define-chaos-experiment-scope/, https://litmuschaos.github.io/litmus/experiments/categories/pods/pod-network-latency/).
 *
 * Simplification: the sim's per-request figures belong to an image's profile (shared/sim/trafficModel.ts),
 * so the fault hits every Pod running the Deployment's current images (the translator, shared/chaos,
 * scales an error rate by the share of Pods a selector picks instead).
 *
 * May import: ../types.ts, ../traffic.ts (image profiles), ../notices.ts, ../names.ts.
 */
import type { ImageProfile, IncidentState, SimState } from '../types.ts';
import { imageProfile } from '../traffic.ts';
import { recordNotice } from '../notices.ts';
import { splitKey } from '../names.ts';

/** The profile fields a chaos fault changes: added error share (0..1), added latency (ms), CPU per request factor. */
export interface ProfileFault {
  errorRate: number;
  latencyMs: number;
  cpuFactor: number;
}

type Saved = { image: string; errorRate: number; latencyMs: number; cpuPerRequestMilli: number };

/**
 * Lays `fault` on the profiles of the images of the Deployment's template (sorted, unique) and records
 * the previous figures in `inc.data.saved` (JSON) and the end time (`inc.data.endsAt`, sim seconds).
 * Errors compose as independent failures: `1 - (1 - e0) (1 - e)`.
 */
export function applyProfileFault(state: SimState, inc: IncidentState, deploymentKey: string, images: readonly string[], fault: ProfileFault, durationSeconds: number): void {
  const saved: Saved[] = [];
  for (const image of [...new Set(images)].sort()) {
    const p: ImageProfile = imageProfile(state, image);
    saved.push({ image, errorRate: p.errorRate, latencyMs: p.latencyMs, cpuPerRequestMilli: p.cpuPerRequestMilli });
    state.images[image] = {
      ...p,
      errorRate: Math.min(1, 1 - (1 - p.errorRate) * (1 - fault.errorRate)),
      latencyMs: p.latencyMs + fault.latencyMs,
      cpuPerRequestMilli: p.cpuPerRequestMilli * fault.cpuFactor,
    };
  }
  inc.data['deployment'] = deploymentKey;
  inc.data['saved'] = JSON.stringify(saved);
  inc.data['endsAt'] = state.t + durationSeconds;
  inc.data['ended'] = false;
}

/**
 * Per tick: once `endsAt` has come, puts the saved figures back (the experiment is over: Chaos Mesh
 * recovers the target, Litmus reverts the chaos) and records a Normal `ChaosRecovered` notice (the events feed).
 */
export function liftProfileFaultWhenDue(state: SimState, inc: IncidentState, what: string): void {
  if (inc.data['ended'] === true) return;
  const endsAt = inc.data['endsAt'];
  if (typeof endsAt !== 'number' || state.t < endsAt) return;
  const saved = JSON.parse(String(inc.data['saved'] ?? '[]')) as Saved[];
  for (const s of saved) {
    const p = imageProfile(state, s.image);
    state.images[s.image] = { ...p, errorRate: s.errorRate, latencyMs: s.latencyMs, cpuPerRequestMilli: s.cpuPerRequestMilli };
  }
  inc.data['ended'] = true;
  const key = String(inc.data['deployment'] ?? inc.spec.target);
  recordNotice(state, 'incident', 'Normal', 'ChaosRecovered', { kind: 'Deployment', ...splitKey(key) }, `${what} is over: the Pods behave normally again`);
}

/** True once the fault was lifted and the Deployment serves again (at least one available replica). */
export function profileFaultOver(state: SimState, inc: IncidentState): boolean {
  if (inc.data['ended'] !== true) return false;
  const key = inc.data['deployment'];
  const d = typeof key === 'string' && Object.hasOwn(state.deployments, key) ? state.deployments[key] : undefined;
  return !!d && d.status.availableReplicas >= 1;
}
