/**
 * `bad-rollout`: the deployment pipeline rolls the target Deployment to a new version that fails a share
 * of its requests. Readiness only checks "process up", so the new pods become Ready, the rollout completes
 * and 5xx grow with the new pods' share of traffic (kubernetes-behaviour.md §8).
 *
 * Params (schema and defaults: {@link badRollout}`.params`): `image` (default: the current tag with its last number
 * bumped, `frontend:v1.4.2` -> `frontend:v1.4.3`, else `<tag>-next`), `errorRate` (default 0.3), optional
 * `latencyMs`, `failsReadiness` (the version never turns Ready: the rollout stalls and hits
 * ProgressDeadlineExceeded), `container`, `source` (event source, default `deployment-pipeline`). A
 * profile the scenario already declared for `image` is the base; `errorRate` always applies (its default
 * too), `latencyMs` and `failsReadiness` when given.
 *
 * Fix: `kubectl rollout undo deployment/X` (or `set image` back). Mitigated when the template no longer
 * uses the bad image, no Ready pod of the Deployment runs it, and the Deployment has an available replica.
 */
import { z } from 'zod';
import type { IncidentState, SimState } from '../types.ts';
import { apiWritable, setDeploymentImage } from '../apiserver.ts';
import { imageProfile } from '../traffic.ts';
import { containerIndex, deploymentPods } from './helpers.ts';
import { defineIncident } from './module.ts';
import { share } from './params.ts';
import { deploymentTarget } from './targets.ts';

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

/** The `bad-rollout` incident (see the module doc). */
export const badRollout = defineIncident({
  kind: 'bad-rollout',
  params: z.strictObject({
    image: z.string().min(1).optional().describe("The bad version; absent: the current tag's last number bumped (`v1.4.2` -> `v1.4.3`)."),
    errorRate: share().default(0.3).describe('Share of requests the bad version fails (0..1).'),
    latencyMs: z.number().min(0).optional().describe('Extra latency of the bad version, ms.'),
    failsReadiness: z.boolean().optional().describe('The version never turns Ready: the rollout stalls (ProgressDeadlineExceeded after 600 s).'),
    container: z.string().min(1).optional().describe('Container to change; absent: the first.'),
    source: z.string().min(1).optional().describe('Event source; absent: `deployment-pipeline`.'),
  }),
  target: deploymentTarget,
  title: (spec) => `Bad rollout of ${spec.target}`,
  describe: () => 'the deployment pipeline rolled out a new version',
  symptoms: [
    'kubectl rollout status reports the rollout complete: the new pods are Ready (readiness only checks "process up")',
    'the user-facing error rate (5xx) climbs with the new version\'s share of traffic; the availability burn-rate alert fires',
    'kubectl rollout history shows a new revision; kubectl describe deployment shows the image set by deployment-pipeline (ImageUpdated)',
    'with failsReadiness the new pods never turn Ready and the rollout stalls (ProgressDeadlineExceeded after 600 s)',
  ],
  remediations: [
    { summary: 'Roll the Deployment back to its previous revision', command: 'kubectl rollout undo deployment/<deployment>' },
    { summary: 'Or set the previous image back', command: 'kubectl set image deployment/<deployment> <container>=<previous image>' },
  ],
  /** The named (or first) container must exist, and an explicit bad image must differ from the one it runs. */
  checkDeployment(params, d) {
    const container = params.container === undefined ? d.containers[0] : d.containers.find((c) => c.name === params.container);
    if (!container) {
      return { path: 'params.container', message: `Deployment "${d.target}" has no container "${params.container}" (containers: ${d.containers.map((c) => c.name).join(', ')})` };
    }
    if (params.image === container.image) {
      return { path: 'params.image', message: `"${container.image}" is the image "${d.target}" already runs: name the bad version` };
    }
    return undefined;
  },
  start(state: SimState, inc: IncidentState, { params, target }) {
    if (!apiWritable(state)) return { ok: false, retry: true };
    const containerName = params.container;
    const container = target.deployment.spec.template.spec.containers[containerIndex(target.deployment, containerName)];
    if (!container) return { ok: false, retry: false, error: `deployment ${inc.spec.target} has no container` };
    const previous = container.image;
    const bad = params.image ?? nextImageVersion(previous);
    const declared = state.images[bad];
    const profile = { ...(declared ?? imageProfile(state, previous)) };
    profile.errorRate = params.errorRate;
    if (params.latencyMs !== undefined) profile.latencyMs = params.latencyMs;
    if (params.failsReadiness !== undefined) profile.failsReadiness = params.failsReadiness;
    state.images[bad] = profile;
    const source = params.source ?? 'deployment-pipeline';
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
});
