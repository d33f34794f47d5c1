/**
 * `readiness-failure`: the deployment pipeline rolls the target Deployment to a new version whose Pods
 * start but never pass their readiness probe (the probe the manifest declares, or, when the container
 * has none, the `httpGet` probe the new template adds: a new version that needs a dependency or a
 * warm-up it never finishes). The kubelet reports Warning `Unhealthy` "Readiness probe failed: HTTP
 * probe failed with statuscode: 503" every period; the Pods stay `0/1 Running`, out of the Service's
 * EndpointSlice (`ready: false`). The rolling update is stuck at maxSurge / maxUnavailable (25 % / 25 %
 * of 3: one new Pod, no old Pod removed); after `progressDeadlineSeconds` (600 s) without progress the
 * Deployment's `Progressing` condition turns False with reason `ProgressDeadlineExceeded` ("ReplicaSet
 * "x-abc" has timed out progressing.") and `kubectl rollout status` answers `error: deployment "x"
 * exceeded its progress deadline` (Kubernetes docs, Deployments: "Failed Deployment"). The old Pods
 * keep serving: the SLI impact is small unless maxUnavailable let old Pods go while capacity is short
 * (kubernetes-behaviour.md §4, §8).
 *
 * Params (schema and defaults: {@link readinessFailure}`.params`): `image` (default: the current tag's
 * last number bumped), `path` (`/ready`, used only when the container has no readiness probe),
 * `container`.
 *
 * Fix: `kubectl rollout undo deployment/X` (or `set image` back). Mitigated when neither the template
 * nor any active Pod of the Deployment runs the bad version and every desired replica is available.
 */
import { z } from 'zod';
import type { IncidentState, SimState } from '../types.ts';
import { imageProfile } from '../traffic.ts';
import { nextImageVersion } from './bad-rollout.ts';
import { defineIncident } from './module.ts';
import { checkNewImage, containerParam, pipelineFixed, pipelineImages, pipelineRollout } from './pipeline.ts';
import { deploymentTarget } from './targets.ts';

/** The `readiness-failure` incident (see the module doc). */
export const readinessFailure = defineIncident({
  kind: 'readiness-failure',
  params: z.strictObject({
    image: z.string().min(1).optional().describe("The version that never turns Ready; absent: the current tag's last number bumped (`v1.4.2` -> `v1.4.3`)."),
    path: z
      .string()
      .regex(/^\//, { error: 'must be a URL path starting with /' })
      .default('/ready')
      .describe('HTTP path of the readiness probe the new template adds when the container declares none (period 10 s).'),
    container: containerParam(),
  }),
  target: deploymentTarget,
  title: (spec) => `Rollout of ${spec.target} stuck: new pods fail readiness`,
  describe: () => 'the deployment pipeline rolled out a new version',
  symptoms: [
    'kubectl get pods shows the new pods 0/1 Running, never Ready; kubectl describe pod shows Unhealthy "Readiness probe failed: HTTP probe failed with statuscode: 503" every 10 s',
    'kubectl rollout status waits ("Waiting for deployment "x" rollout to finish: 1 out of 3 new replicas have been updated..."), stuck at maxSurge / maxUnavailable',
    'after progressDeadlineSeconds (600 s) kubectl describe deployment shows Progressing False ProgressDeadlineExceeded and rollout status answers: error: deployment "x" exceeded its progress deadline',
    'the new pods are not in the Service\'s endpoints (kubectl get endpointslices: ready false); the old pods keep serving, so the SLI impact is small unless capacity is short',
  ],
  remediations: [
    { summary: 'Roll the Deployment back to its previous revision', command: 'kubectl rollout undo deployment/<deployment>' },
    { summary: 'Or set the previous image back', command: 'kubectl set image deployment/<deployment> <container>=<previous image>' },
  ],
  /** The named (or first) container must exist, and an explicit image must differ from the one it runs. */
  checkDeployment: (params, d) => checkNewImage(params, d, 'name the new version'),
  start(state: SimState, inc: IncidentState, { params, target }) {
    const images = pipelineImages(target.deployment, inc, params, nextImageVersion);
    if (!('next' in images)) return images;
    const { previous, next: bad } = images;
    let addedProbe = false;
    const outcome = pipelineRollout(state, inc, target.key, params.container, (c) => {
      c.image = bad;
      if (!c.readinessProbe) {
        const port = c.ports[0]?.containerPort ?? 8080;
        c.readinessProbe = { httpGet: { path: params.path, port }, initialDelaySeconds: 0, periodSeconds: 10, failureThreshold: 3 };
        addedProbe = true;
      }
      return undefined;
    });
    if (!outcome.ok) return outcome;
    // The kubelet reads `failsReadiness` of the image's profile: every readiness probe answers 503.
    state.images[bad] = { ...(state.images[bad] ?? imageProfile(state, previous)), failsReadiness: true };
    inc.data['badImage'] = bad;
    inc.data['previousImage'] = previous;
    inc.data['addedProbe'] = addedProbe;
    return { ok: true };
  },
  isMitigated(state: SimState, inc: IncidentState): boolean {
    const bad = inc.data['badImage'];
    return typeof bad === 'string' && pipelineFixed(state, inc, (c) => c.image === bad);
  },
});
