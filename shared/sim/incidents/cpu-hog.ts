/**
 * `cpu-hog`: for `durationSeconds` a stressor inside the target Deployment's Pods burns `millicores` of
 * their CPU (Chaos Mesh StressChaos `cpu` stressors, https://chaos-mesh.org/docs/simulate-heavy-stress-on-kubernetes/;
 * LitmusChaos pod-cpu-hog / node-cpu-hog). What is left serves the requests: a Pod may use
 * `podCpuMilli` (its CPU limits, else requests; shared/sim/trafficModel.ts) and the stressor takes
 * `min(0.95, millicores / that)` of it, so each request costs `1 / (1 - share)` times the CPU, the Pods
 * saturate earlier and latency rises with utilisation (then requests time out) — a noisy neighbour
 * inside the cgroup (CFS throttling). The stressor stops at the end of the window (`ChaosRecovered`).
 * Shared mechanics: ./chaos-profile.ts.
 *
 * Params (schema and defaults: {@link cpuHog}`.params`): `millicores` (1000), `durationSeconds` (60),
 * `action` (event text).
 *
 * Fix: scale out (`kubectl scale`) or raise the CPU limit (`kubectl set resources --limits=cpu=...`)
 * until the window ends. Mitigated when the window is over and the Deployment serves.
 */
import { z } from 'zod';
import type { IncidentState, SimState } from '../types.ts';
import { podCpuMilli } from '../traffic.ts';
import { deploymentPods } from './helpers.ts';
import { defineIncident } from './module.ts';
import { deploymentTarget } from './targets.ts';
import { applyProfileFault, liftProfileFaultWhenDue, profileFaultOver } from './chaos-profile.ts';

/** Highest share of a Pod's CPU the stressor takes (the traffic model's MAX_UTILISATION). */
const MAX_SHARE = 0.95;

/** The `cpu-hog` incident (see the module doc). */
export const cpuHog = defineIncident({
  kind: 'cpu-hog',
  params: z.strictObject({
    millicores: z.number().gt(0, { error: 'must be greater than 0 (millicores)' }).default(1000).describe('CPU the stressor burns in each Pod, millicores.'),
    durationSeconds: z.number().int({ error: 'must be a whole number of sim seconds' }).min(1).default(60).describe('How long the stressor runs, sim seconds.'),
    action: z.string().min(1).default('CPU stress').describe('What the experiment does (e.g. `StressChaos cpu`), for the event text.'),
  }),
  target: deploymentTarget,
  title: (spec) => `CPU hog in ${spec.target}`,
  describe: () => 'a process burns the CPU of the Deployment\'s Pods',
  symptoms: [
    'kubectl top pods shows the Pods at their CPU limit',
    'latency of the Service rises with utilisation, then requests time out once the Pods saturate',
    'Pods stay Running; where the containers have httpGet or grpc probes, a saturated Pod\'s probes time out (`Unhealthy` ... context deadline exceeded): it leaves the endpoints (readiness) or is restarted (liveness)',
  ],
  remediations: [
    { summary: 'Add replicas so the remaining CPU serves the load', command: 'kubectl scale deployment/<deployment> --replicas=<n>' },
    { summary: 'Or raise the CPU limit', command: 'kubectl set resources deployment/<deployment> --limits=cpu=2' },
  ],
  start(state: SimState, inc: IncidentState, { params, target }) {
    const images = target.deployment.spec.template.spec.containers.map((c) => c.image);
    if (images.length === 0) return { ok: false, retry: false, error: `deployment ${inc.spec.target} has no container` };
    const pod = deploymentPods(state, target.key)[0];
    const cpu = pod ? podCpuMilli(pod) : 1000;
    const taken = Math.min(MAX_SHARE, params.millicores / cpu);
    applyProfileFault(state, inc, target.key, images, { errorRate: 0, latencyMs: 0, cpuFactor: 1 / (1 - taken) }, params.durationSeconds);
    inc.data['action'] = params.action;
    inc.data['cpuShare'] = taken;
    return { ok: true };
  },
  update(state: SimState, inc: IncidentState) {
    liftProfileFaultWhenDue(state, inc, String(inc.data['action'] ?? 'CPU stress'));
  },
  isMitigated: profileFaultOver,
});
