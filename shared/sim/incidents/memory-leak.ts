/**
 * `memory-leak`: the target Deployment's current version starts leaking memory until a plateau (a cache
 * that fills up). The kubelet (shared/sim/controllers) then sees usage climb past the container's memory
 * limit: the container is `OOMKilled` (exit code 137) and, restarted again and again, the pod shows
 * `CrashLoopBackOff` (back-off 10 s doubling to 300 s; kubernetes-behaviour.md §1, §10).
 *
 * The leak begins when the incident strikes: running containers grow from that moment (so usage is
 * seen climbing before the first kill), restarted ones from their start.
 *
 * Params: `growthMiBPerSec` (MiB per sim second of container uptime, default 0.5), `plateauMiB`
 * (default 1.5 x the template's memory limit, else 400 MiB).
 *
 * Fix: raise the memory limit above the plateau (`kubectl set resources deployment/X
 * --limits=memory=512Mi`) so the new pods survive, or roll out a version without the leak. `rollout
 * restart` / deleting pods only buys time. Mitigated when the Deployment is available and every Ready pod
 * either runs another image, has no memory limit, or has a limit >= the plateau.
 */
import type { IncidentState, SimState } from '../types.ts';
import type { IncidentHandler, StartOutcome } from './handler.ts';
import { imageProfile } from '../traffic.ts';
import { parseMemoryMiB } from '../../manifests/quantity.ts';
import { deploymentAvailable, deploymentPods, numParam, optNumParam, targetDeployment } from './helpers.ts';

function defaultPlateau(limit: string | undefined): number {
  let mib: number;
  try {
    mib = limit === undefined ? 0 : parseMemoryMiB(limit);
  } catch {
    mib = 0;
  }
  return mib > 0 ? Math.round(mib * 1.5) : 400;
}

/** The `memory-leak` handler (see the module doc): 0.5 MiB per sim second up to the plateau by default. */
export const memoryLeak: IncidentHandler = {
  title: (spec) => `Memory leak in ${spec.target}`,
  describe: () => 'memory usage of the running version keeps climbing',
  start(state: SimState, inc: IncidentState): StartOutcome {
    const target = targetDeployment(state, inc.spec);
    if (!target) return { ok: false, retry: false, error: `deployment ${inc.spec.target} not found` };
    const container = target.deployment.spec.template.spec.containers[0];
    if (!container) return { ok: false, retry: false, error: `deployment ${inc.spec.target} has no container` };
    const image = container.image;
    const plateau = optNumParam(inc.spec, 'plateauMiB') ?? defaultPlateau(container.resources.limits?.memory);
    const growth = numParam(inc.spec, 'growthMiBPerSec', 0.5);
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
};

