/**
 * `slow-dependency`: a downstream Service (the target Deployment, e.g. `api` behind `frontend`) starts
 * answering slowly: its pipeline rolled out a version with `latencyMs` more own latency per request (a
 * missing index, an N+1 query, a chatty client). Every caller waits for it: a hard call adds the
 * downstream's p50/p99 to the caller's (shared/sim/traffic.ts), so the user-facing p99 crosses the
 * latency SLO threshold and the latency burn-rate alert fires although nothing fails and no pod
 * restarts. With `cpuFactor` > 1 each slow request also holds its pod's CPU longer
 * (cpuPerRequestMilli x factor), so the downstream saturates and the excess requests time out upstream
 * (Google SRE book ch. 22 "Addressing Cascading Failures", https://sre.google/sre-book/addressing-cascading-failures/).
 *
 * Params (schema and defaults: {@link slowDependency}`.params`): `latencyMs` (added own latency, ms,
 * default 400), `cpuFactor` (default 1), `image` (default: the current tag's last number bumped, as
 * bad-rollout), `container`.
 *
 * Fix: `kubectl rollout undo deployment/X` of the slow Service (or `set image` back). Mitigated when its
 * template no longer uses the slow image, no Ready pod runs it, and it has an available replica.
 */
import { z } from 'zod';
import type { IncidentState, SimState } from '../types.ts';
import { apiWritable, setDeploymentImage } from '../apiserver.ts';
import { imageProfile } from '../traffic.ts';
import { nextImageVersion } from './bad-rollout.ts';
import { containerIndex, deploymentPods } from './helpers.ts';
import { defineIncident } from './module.ts';
import { deploymentTarget } from './targets.ts';

/** The `slow-dependency` incident (see the module doc). */
export const slowDependency = defineIncident({
  kind: 'slow-dependency',
  params: z.strictObject({
    latencyMs: z.number().gt(0, { error: 'must be greater than 0 (ms)' }).default(400).describe('Own latency the slow version adds to each request, ms.'),
    cpuFactor: z.number().min(1, { error: 'must be at least 1' }).default(1).describe('CPU per request of the slow version, x the current one (> 1: it saturates and upstream requests time out).'),
    image: z.string().min(1).optional().describe("The slow version; absent: the current tag's last number bumped (`v2.0.0` -> `v2.0.1`)."),
    container: z.string().min(1).optional().describe('Container to change; absent: the first.'),
  }),
  target: deploymentTarget,
  title: (spec) => `Slow dependency: ${spec.target}`,
  describe: () => 'a new version of the downstream Service answers slowly',
  symptoms: [
    'the user-facing p99 latency climbs past the latency SLO threshold and the latency burn-rate alert fires; errors stay low at first',
    'the callers\' latency rises by the downstream\'s own: the slow Service is the deepest one whose latency jumped',
    'kubectl rollout history of the downstream Deployment shows a new revision (ImageUpdated by deployment-pipeline); its pods are Ready, no restarts',
    'with cpuFactor > 1 its pods run at their CPU limit (kubectl top pods) and upstream requests time out',
  ],
  remediations: [
    { summary: 'Roll the slow Service back to its previous revision', command: 'kubectl rollout undo deployment/<deployment>' },
    { summary: 'Or set its previous image back', command: 'kubectl set image deployment/<deployment> <container>=<previous image>' },
  ],
  checkDeployment(params, d) {
    const container = params.container === undefined ? d.containers[0] : d.containers.find((c) => c.name === params.container);
    if (!container) {
      return { path: 'params.container', message: `Deployment "${d.target}" has no container "${params.container}" (containers: ${d.containers.map((c) => c.name).join(', ')})` };
    }
    if (params.image === container.image) {
      return { path: 'params.image', message: `"${container.image}" is the image "${d.target}" already runs: name the slow version` };
    }
    return undefined;
  },
  start(state: SimState, inc: IncidentState, { params, target }) {
    if (!apiWritable(state)) return { ok: false, retry: true };
    const container = target.deployment.spec.template.spec.containers[containerIndex(target.deployment, params.container)];
    if (!container) return { ok: false, retry: false, error: `deployment ${inc.spec.target} has no container` };
    const previous = container.image;
    const slow = params.image ?? nextImageVersion(previous);
    const base = imageProfile(state, previous);
    const profile = { ...(state.images[slow] ?? base) };
    profile.latencyMs = base.latencyMs + params.latencyMs;
    profile.cpuPerRequestMilli = base.cpuPerRequestMilli * params.cpuFactor;
    state.images[slow] = profile;
    const result = setDeploymentImage(state, target.key, slow, 'deployment-pipeline', container.name);
    if (!result.ok) return apiWritable(state) ? { ok: false, retry: false, error: result.error } : { ok: false, retry: true };
    inc.data['deployment'] = target.key;
    inc.data['container'] = container.name;
    inc.data['slowImage'] = slow;
    inc.data['previousImage'] = previous;
    return { ok: true };
  },
  isMitigated(state: SimState, inc: IncidentState): boolean {
    const key = inc.data['deployment'];
    const slow = inc.data['slowImage'];
    if (typeof key !== 'string' || typeof slow !== 'string') return false;
    const deployment = state.deployments[key];
    if (!deployment) return false;
    if (deployment.spec.template.spec.containers.some((c) => c.image === slow)) return false;
    if (deployment.status.availableReplicas < 1) return false;
    return !deploymentPods(state, key).some((p) => p.sim.ready && p.spec.containers.some((c) => c.image === slow));
  },
});
