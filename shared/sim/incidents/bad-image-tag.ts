/**
 * `bad-image-tag`: the deployment pipeline rolls the target Deployment to an image tag the registry does
 * not have (the build never pushed it, or a typo). The new ReplicaSet's Pods never start: the kubelet's
 * pull fails with `ErrImagePull` (`rpc error: code = NotFound ... not found`), then `ImagePullBackOff`
 * while it waits 10 s doubling to 300 s before pulling again (kubernetes-behaviour.md §1; K
 * pkg/kubelet/images/image_manager.go). The rolling update stalls at its surge limit: the old
 * ReplicaSet keeps serving (maxUnavailable 25 % of 3 replicas rounds down to 0), unless the strategy's
 * maxUnavailable lets the controller scale old Pods down, in which case capacity drops and the
 * remaining Pods saturate. After `progressDeadlineSeconds` (600 s) the Deployment reports
 * `ProgressDeadlineExceeded` (§4, §8).
 *
 * Params (schema and defaults: {@link badImageTag}`.params`): `image` (default: the current tag's last
 * number bumped, a release tag that was never pushed), `container`, `source`.
 *
 * Fix: `kubectl rollout undo deployment/X` or `kubectl set image` back (or to a tag that exists).
 * Mitigated when neither the template nor any active Pod of the Deployment uses the missing image and
 * every desired replica is available.
 */
import { z } from 'zod';
import type { IncidentState, SimState } from '../types.ts';
import { imageProfile } from '../traffic.ts';
import { nextImageVersion } from './bad-rollout.ts';
import { defineIncident } from './module.ts';
import { checkNewImage, containerParam, pipelineFixed, pipelineImages, pipelineRollout } from './pipeline.ts';
import { deploymentTarget } from './targets.ts';

/** The `bad-image-tag` incident (see the module doc). */
export const badImageTag = defineIncident({
  kind: 'bad-image-tag',
  params: z.strictObject({
    image: z.string().min(1).optional().describe("The image reference the registry does not have; absent: the current tag's last number bumped (`v1.4.2` -> `v1.4.3`)."),
    container: containerParam(),
    source: z.string().min(1).optional().describe('Who rolled it out (kept in `data.source`); absent: `deployment-pipeline`.'),
  }),
  target: deploymentTarget,
  title: (spec) => `Rollout of ${spec.target} to a missing image tag`,
  describe: () => 'the deployment pipeline rolled out a new image tag',
  symptoms: [
    'kubectl get pods shows the new pods 0/1 ErrImagePull, then ImagePullBackOff; they never become Ready',
    'kubectl describe pod shows Failed "Failed to pull image ...: rpc error: code = NotFound ... not found" and BackOff "Back-off pulling image", retried after 10 s doubling to 300 s',
    'kubectl rollout status waits ("1 out of 3 new replicas have been updated..."); after 600 s the Deployment reports ProgressDeadlineExceeded',
    'the old ReplicaSet keeps serving; if the strategy\'s maxUnavailable let old pods go, capacity drops and latency / errors climb on the remaining pods',
  ],
  remediations: [
    { summary: 'Roll the Deployment back to its previous revision', command: 'kubectl rollout undo deployment/<deployment>' },
    { summary: 'Or set an image tag that exists', command: 'kubectl set image deployment/<deployment> <container>=<previous image>' },
  ],
  /** The named (or first) container must exist, and an explicit image must differ from the one it runs. */
  checkDeployment: (params, d) => checkNewImage(params, d, 'name the missing tag'),
  start(state: SimState, inc: IncidentState, { params, target }) {
    const images = pipelineImages(target.deployment, inc, params, nextImageVersion);
    if (!('next' in images)) return images;
    const { previous, next: bad } = images;
    const outcome = pipelineRollout(state, inc, target.key, params.container, (c) => {
      c.image = bad;
      return undefined;
    });
    if (!outcome.ok) return outcome;
    // The registry has no such reference: every pull fails (the kubelet reads `pullFails`).
    state.images[bad] = { ...(state.images[bad] ?? imageProfile(state, previous)), pullFails: true };
    inc.data['badImage'] = bad;
    inc.data['previousImage'] = previous;
    inc.data['source'] = params.source ?? 'deployment-pipeline';
    return { ok: true };
  },
  isMitigated(state: SimState, inc: IncidentState): boolean {
    const bad = inc.data['badImage'];
    return typeof bad === 'string' && pipelineFixed(state, inc, (c) => c.image === bad);
  },
});
