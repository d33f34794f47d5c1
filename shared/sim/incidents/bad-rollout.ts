/**
 * `bad-rollout`: the deployment pipeline rolls the target Deployment to a new version that fails a share
 * of its requests. Readiness only checks "process up", so the new pods become Ready, the rollout completes
 * and 5xx grow with the new pods' share of traffic (kubernetes-behaviour.md §8).
 *
 * Params: `image` (default: the current tag with its last number bumped, `frontend:v1.4.2` ->
 * `frontend:v1.4.3`, else `<tag>-next`), `errorRate` (default 0.3), optional `latencyMs`,
 * `failsReadiness` (the version never turns Ready: the rollout stalls and hits ProgressDeadlineExceeded),
 * `container`, `source` (event source, default `deployment-pipeline`). A profile the scenario already
 * declared for `image` is kept unless the params override it.
 *
 * Fix: `kubectl rollout undo deployment/X` (or `set image` back). Mitigated when the template no longer
 * uses the bad image, no Ready pod of the Deployment runs it, and the Deployment has an available replica.
 */
import type { IncidentState, SimState } from '../types.ts';
import type { IncidentHandler, StartOutcome } from './handler.ts';
import { apiWritable, setDeploymentImage } from '../apiserver.ts';
import { imageProfile } from '../traffic.ts';
import { boolParam, containerIndex, deploymentPods, optNumParam, strParam, targetDeployment } from './helpers.ts';

/** The next version of an image reference: bumps the last number of the tag, else appends `-next`. */
export function nextImageVersion(image: string): string {
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  if (colon <= slash) return `${image}:next`;
  const repo = image.slice(0, colon);
  const tag = image.slice(colon + 1);
  const m = /^(.*?)(\d+)(\D*)$/.exec(tag);
  if (!m) return `${repo}:${tag}-next`;
  return `${repo}:${m[1]}${Number(m[2]) + 1}${m[3]}`;
}

/** The `bad-rollout` handler (see the module doc): error rate from the params, else a declared profile, else 0.3. */
export const badRollout: IncidentHandler = {
  title: (spec) => `Bad rollout of ${spec.target}`,
  describe: () => 'the deployment pipeline rolled out a new version',
  start(state: SimState, inc: IncidentState): StartOutcome {
    const target = targetDeployment(state, inc.spec);
    if (!target) return { ok: false, retry: false, error: `deployment ${inc.spec.target} not found` };
    if (!apiWritable(state)) return { ok: false, retry: true };
    const containerName = strParam(inc.spec, 'container');
    const container = target.deployment.spec.template.spec.containers[containerIndex(target.deployment, containerName)];
    if (!container) return { ok: false, retry: false, error: `deployment ${inc.spec.target} has no container` };
    const previous = container.image;
    const bad = strParam(inc.spec, 'image') ?? nextImageVersion(previous);
    const errorRate = optNumParam(inc.spec, 'errorRate');
    const latencyMs = optNumParam(inc.spec, 'latencyMs');
    const failsReadiness = boolParam(inc.spec, 'failsReadiness');
    const declared = state.images[bad];
    const profile = { ...(declared ?? imageProfile(state, previous)) };
    if (errorRate !== undefined || !declared) profile.errorRate = errorRate ?? 0.3;
    if (latencyMs !== undefined) profile.latencyMs = latencyMs;
    if (failsReadiness !== undefined) profile.failsReadiness = failsReadiness;
    state.images[bad] = profile;
    const source = strParam(inc.spec, 'source') ?? 'deployment-pipeline';
    const result = setDeploymentImage(state, target.key, bad, source, containerName ?? container.name);
    if (!result.ok) return apiWritable(state) ? { ok: false, retry: false, error: result.error } : { ok: false, retry: true };
    inc.data['deployment'] = target.key;
    inc.data['container'] = container.name;
    inc.data['badImage'] = bad;
    inc.data['previousImage'] = previous;
    return { ok: true };
  },
  isMitigated(state: SimState, inc: IncidentState): boolean {
    const key = inc.data['deployment'];
    const bad = inc.data['badImage'];
    if (typeof key !== 'string' || typeof bad !== 'string') return false;
    const deployment = state.deployments[key];
    if (!deployment) return false;
    if (deployment.spec.template.spec.containers.some((c) => c.image === bad)) return false;
    if (deployment.status.availableReplicas < 1) return false;
    return !deploymentPods(state, key).some((p) => p.sim.ready && p.spec.containers.some((c) => c.image === bad));
  },
};
