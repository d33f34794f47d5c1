/**
 * `memory-leak`: the target Deployment's current version starts leaking memory until a plateau (a cache
 * that fills up). The kubelet (shared/sim/controllers) then sees usage climb past the container's memory
 * limit: the container is `OOMKilled` (exit code 137) and, restarted again and again, the pod shows
 * `CrashLoopBackOff` (back-off 10 s doubling to 300 s; kubernetes-behaviour.md §1, §10).
 *
 * The leak begins when the incident strikes: running containers grow from that moment (so usage is
 * seen climbing before the first kill), restarted ones from their start.
 *
 * Params (schema and defaults: {@link memoryLeak}`.params`): `growthMiBPerSec` (MiB per sim second of container uptime,
 * default 0.5), `plateauMiB` (default 1.5 x the template's memory limit, else 400 MiB: computed here, at
 * start, from the target).
 *
 * Fix: raise the memory limit above the plateau (`kubectl set resources deployment/X
 * --limits=memory=512Mi`) so the new pods survive, or roll out a version without the leak. `rollout
 * restart` / deleting pods only buys time. Mitigated when the Deployment is available and every Ready pod
 * either runs another image, has no memory limit, or has a limit >= the plateau.
 */
import { z } from 'zod';
import type { IncidentState, SimState } from '../types.ts';
import { imageProfile } from '../traffic.ts';
import { parseMemoryMiB } from '../../manifests/quantity.ts';
import { deploymentAvailable, deploymentPods } from './helpers.ts';
import { defineIncident } from './module.ts';
import { deploymentTarget } from './targets.ts';

function defaultPlateau(limit: string | undefined): number {
  let mib: number;
  try {
    mib = limit === undefined ? 0 : parseMemoryMiB(limit);
  } catch {
    mib = 0;
  }
  return mib > 0 ? Math.round(mib * 1.5) : 400;
}

/** The `memory-leak` incident (see the module doc). */
export const memoryLeak = defineIncident({
  kind: 'memory-leak',
  params: z.strictObject({
    growthMiBPerSec: z.number().gt(0).default(0.5).describe('MiB per sim second of container uptime.'),
    plateauMiB: z.number().gt(0).optional().describe("MiB; absent: 1.5 x the container's memory limit, else 400 MiB (computed at start)."),
  }),
  target: deploymentTarget,
  title: (spec) => `Memory leak in ${spec.target}`,
  describe: () => 'memory usage of the running version keeps climbing',
  symptoms: [
    'kubectl top pods shows the memory of the Deployment\'s pods climbing steadily',
    'pods are OOMKilled (exit code 137) and restart again and again: RESTARTS grows, STATUS shows CrashLoopBackOff',
    'kubectl get events shows OOMKilled and BackOff; requests fail while pods restart',
  ],
  remediations: [
    { summary: 'Raise the memory limit above the plateau so new pods survive', command: 'kubectl set resources deployment/<deployment> --limits=memory=512Mi' },
    { summary: 'Or roll out a version without the leak (a rollout restart or deleting pods only buys time)', command: 'kubectl set image deployment/<deployment> <container>=<fixed image>' },
  ],
  start(state: SimState, inc: IncidentState, { params, target }) {
    const container = target.deployment.spec.template.spec.containers[0];
    if (!container) return { ok: false, retry: false, error: `deployment ${inc.spec.target} has no container` };
    const image = container.image;
    const plateau = params.plateauMiB ?? defaultPlateau(container.resources.limits?.memory);
    const growth = params.growthMiBPerSec;
    state.images[image] = { ...imageProfile(state, image), memoryGrowthMiBPerSec: growth, memoryPlateauMiB: plateau, memoryGrowthSince: state.t };
    inc.data['deployment'] = target.key;
    inc.data['image'] = image;
    inc.data['plateauMiB'] = plateau;
    return { ok: true };
  },
  isMitigated(state: SimState, inc: IncidentState): boolean {
    const key = inc.data['deployment'];
    const image = inc.data['image'];
    const plateau = inc.data['plateauMiB'];
    if (typeof key !== 'string' || typeof image !== 'string' || typeof plateau !== 'number') return false;
    const deployment = state.deployments[key];
    if (!deployment || !deploymentAvailable(deployment)) return false;
    const profile = state.images[image];
    const stillLeaks = !!profile && profile.memoryGrowthMiBPerSec > 0;
    let ready = 0;
    for (const pod of deploymentPods(state, key)) {
      if (!pod.sim.ready) continue;
      ready++;
      if (!stillLeaks || pod.sim.image !== image) continue;
      if (pod.sim.memLimitMiB !== null && pod.sim.memLimitMiB < plateau) return false;
    }
    return ready > 0;
  },
});
