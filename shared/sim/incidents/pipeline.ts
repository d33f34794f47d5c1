/**
 * What the "deployment pipeline" kinds share (`bad-image-tag`, `missing-config`, `liveness-misconfig`,
 * `readiness-failure`):
 * the pipeline changes one container of the target Deployment's Pod template through the API server
 * (a new template: a new ReplicaSet and a rolling update by the deployment controller,
 * kubernetes-behaviour.md §4), and the incident is over once the Deployment no longer runs the broken
 * template: the template is fixed (`kubectl rollout undo`, `kubectl set image`), no active Pod of the
 * Deployment still has the broken container, and every desired replica is available again.
 *
 * May import: `zod`, ../types.ts, ../apiserver.ts, ../podutil.ts, ./helpers.ts, ./module.ts.
 */
import { z } from 'zod';
import type { Container, Deployment, IncidentState, SimState } from '../types.ts';
import { apiWritable, updateObject } from '../apiserver.ts';
import { isActive } from '../podutil.ts';
import { containerIndex, deploymentAvailable, deploymentPods } from './helpers.ts';
import type { DeclarationProblem, DeploymentFacts, StartOutcome } from './module.ts';

/** The params every pipeline kind takes: the container to change (absent: the first). */
export const containerParam = () => z.string().min(1).optional().describe('Container to change; absent: the first.');

/** Static check: the named (or first) container exists in the Deployment (`params.container`). */
export function checkContainer(container: string | undefined, d: DeploymentFacts): DeclarationProblem | undefined {
  if (container === undefined ? d.containers.length > 0 : d.containers.some((c) => c.name === container)) return undefined;
  return { path: 'params.container', message: `Deployment "${d.target}" has no container "${container ?? ''}" (containers: ${d.containers.map((c) => c.name).join(', ')})` };
}

/** The params of the pipeline kinds that roll out a new image: the container and an optional image. */
export interface ImageChangeParams {
  container?: string | undefined;
  image?: string | undefined;
}

/**
 * Static check of the kinds that roll out a new image (`bad-image-tag`, `readiness-failure`): the named
 * (or first) container exists, and an explicit `params.image` differs from the image it runs.
 * `wanted` ends the message (`name the missing tag`).
 */
export function checkNewImage(params: ImageChangeParams, d: DeploymentFacts, wanted: string): DeclarationProblem | undefined {
  const problem = checkContainer(params.container, d);
  if (problem) return problem;
  const container = params.container === undefined ? d.containers[0] : d.containers.find((c) => c.name === params.container);
  if (params.image !== undefined && params.image === container?.image) {
    return { path: 'params.image', message: `"${params.image}" is the image "${d.target}" already runs: ${wanted}` };
  }
  return undefined;
}

/**
 * The image the container runs now and the one the pipeline rolls out (`params.image`, else
 * `bump(previous)`), or the start refusal (no retry) when they are the same.
 */
export function pipelineImages(deployment: Deployment, inc: IncidentState, params: ImageChangeParams, bump: (image: string) => string): { previous: string; next: string } | StartOutcome {
  const current = deployment.spec.template.spec.containers[containerIndex(deployment, params.container)];
  const previous = current?.image ?? '';
  const next = params.image ?? bump(previous);
  if (next === previous) return { ok: false, retry: false, error: `"${next}" is the image ${inc.spec.target} already runs` };
  return { previous, next };
}

/**
 * Changes container `name` (absent: the first) of the target Deployment's template with `mutate` (an
 * API update with a new generation: the deployment controller rolls out a new ReplicaSet). Retries
 * while the API server cannot write; `mutate` may refuse with an error. Stores `data.deployment` and
 * `data.container`.
 */
export function pipelineRollout(
  state: SimState,
  inc: IncidentState,
  key: string,
  name: string | undefined,
  mutate: (c: Container) => string | undefined,
): StartOutcome {
  if (!apiWritable(state)) return { ok: false, retry: true };
  const deployment = state.deployments[key];
  const container = deployment?.spec.template.spec.containers[containerIndex(deployment, name)];
  if (!deployment || !container || (name !== undefined && container.name !== name)) {
    return { ok: false, retry: false, error: `deployment ${inc.spec.target} has no container${name === undefined ? '' : ` "${name}"`}` };
  }
  let refused: string | undefined;
  const r = updateObject(state, 'Deployment', key, () => {
    refused = mutate(container);
    return refused === undefined;
  }, { generation: true });
  if (refused !== undefined) return { ok: false, retry: false, error: refused };
  if (!r.ok) return apiWritable(state) ? { ok: false, retry: false, error: r.error } : { ok: false, retry: true };
  inc.data['deployment'] = key;
  inc.data['container'] = container.name;
  return { ok: true };
}

/**
 * True once the Deployment stored in `data.deployment` no longer runs a container `broken` says is
 * broken: not in its template, not in any active Pod (terminating and Failed ones do not count), and
 * every desired replica (at least one) is available.
 */
export function pipelineFixed(state: SimState, inc: IncidentState, broken: (c: Container) => boolean): boolean {
  const key = inc.data['deployment'];
  if (typeof key !== 'string') return false;
  const deployment = state.deployments[key];
  if (!deployment) return false;
  if (deployment.spec.template.spec.containers.some(broken)) return false;
  if (!deploymentAvailable(deployment)) return false;
  return !deploymentPods(state, key).some((p) => isActive(p) && p.spec.containers.some(broken));
}
