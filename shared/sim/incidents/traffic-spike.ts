/**
 * `traffic-spike`: the request rate entering through the target Deployment's Service is multiplied by
 * `factor` (a marketing e-mail, a retry storm, a viral post). The traffic model (shared/sim/traffic.ts)
 * saturates its pods: each serves at most `cpuMilli / cpuPerRequestMilli` requests/s, latency rises
 * with utilisation (M/M/1 factor) and beyond capacity the excess requests time out, downstream Services
 * included. The fix is scaling out (Google SRE book ch. 21 "Handling Overload",
 * https://sre.google/sre-book/handling-overload/; https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#scaling-a-deployment).
 *
 * Params (schema and defaults: {@link trafficSpike}`.params`): `factor` (x the offered load, default 4),
 * `durationSeconds` (sim seconds the spike lasts; absent: to the end of the match), `maxErrorRate`
 * (the error rate under which the spike counts as absorbed, default 0.01).
 *
 * Refused when no ingress entry enters through a Service selecting the Deployment's pods.
 *
 * **With a HorizontalPodAutoscaler at its maximum** (issue 7, "traffic spike needing scale-out"): when
 * an HPA (shared/sim/kinds/hpa.ts) scales the target, the spike is the real-world "HPA maxed out" page:
 * the HPA scales out to `maxReplicas` within its policies (max(4 Pods, 100 %) per 15 s), then
 * `kubectl describe hpa` shows `ScalingLimited True TooManyReplicas` ("the desired replica count is
 * more than the maximum replica count") and TARGETS far above the target (`cpu: 200%/80%`) while the
 * saturated Pods time out requests. `kubectl scale` alone is undone by the HPA at its next sync
 * (`Current number of replicas above Spec.MaxReplicas`): the fix is raising the ceiling, `kubectl patch
 * hpa X -p '{"spec":{"maxReplicas":N}}'` (Nodes permitting). The incident records the HPA's key in
 * `data.hpa` (only then: a target without an HPA behaves and hashes exactly as before). Source: W
 * tasks/run-application/horizontal-pod-autoscale.md ("ScalingLimited"), Google SRE book ch. 22
 * "Addressing Cascading Failures" (capacity limits under load).
 *
 * Fix: `kubectl scale deployment/X --replicas=N` (the saturated tiers: the target and the Services it
 * calls). Mitigated when the spike is over, or while it lasts when the user-facing Service fails at most
 * `maxErrorRate` of its requests and its p99 latency is within the latency SLO threshold. A spike absorbed
 * by scaling out keeps its load (the traffic is real): the window only ends a spike nobody absorbed.
 */
import { z } from 'zod';
import type { IncidentState, SimState } from '../types.ts';
import { servicesForLabels } from '../cache.ts';
import { recordNotice } from '../notices.ts';
import { splitKey } from '../names.ts';
import { share } from './params.ts';
import { defineIncident } from './module.ts';
import { deploymentTarget } from './targets.ts';
import { horizontalPodAutoscalerKind } from '../kinds/hpa.ts';

/** The key of the HPA scaling Deployment `deploymentKey` (`namespace/name`), or undefined (first in key order). */
function hpaOf(state: SimState, deploymentKey: string): string | undefined {
  const store = horizontalPodAutoscalerKind.store(state);
  for (const key of Object.keys(store).sort()) {
    const h = store[key]!;
    if (h.spec.scaleTargetRef.kind === 'Deployment' && `${h.metadata.namespace}/${h.spec.scaleTargetRef.name}` === deploymentKey) return key;
  }
  return undefined;
}

/**
 * Restores the offered load of the spiked ingress entries (`data.services` and `data.originalRps`,
 * parallel lists; the rates kept as decimal strings, which round-trip exactly).
 */
function endSpike(state: SimState, inc: IncidentState): void {
  const services = inc.data['services'];
  const rates = inc.data['originalRps'];
  if (!Array.isArray(services) || !Array.isArray(rates)) return;
  const original = new Map<string, number>();
  services.forEach((svc, i) => {
    const rps = Number(rates[i]);
    if (Number.isFinite(rps)) original.set(svc, rps);
  });
  state.ingress = state.ingress.map((e) => {
    const rps = original.get(e.service);
    return rps === undefined ? e : { ...e, rps };
  });
  inc.data['endsAt'] = null;
  inc.data['ended'] = true;
}

/** The `traffic-spike` incident (see the module doc). */
export const trafficSpike = defineIncident({
  kind: 'traffic-spike',
  params: z.strictObject({
    factor: z.number().gt(1, { error: 'must be greater than 1' }).max(100, { error: 'must be at most 100' }).default(4).describe('Multiplier of the offered load (requests/s) entering through the Deployment\'s Service.'),
    durationSeconds: z
      .number()
      .int({ error: 'must be a whole number of sim seconds' })
      .min(1, { error: 'must be at least 1 (sim seconds)' })
      .optional()
      .describe('Sim seconds the spike lasts; absent: to the end of the match.'),
    maxErrorRate: share().default(0.01).describe('Share of failed user-facing requests (0..1) under which the spike counts as absorbed.'),
  }),
  target: deploymentTarget,
  title: (spec) => `Traffic spike on ${spec.target}`,
  describe: () => 'the request rate multiplied: the pods saturate',
  symptoms: [
    'the request rate (requests/s) of the front Service jumps; kubectl top pods shows its pods (and their downstreams) at their CPU limit',
    'latency climbs with utilisation, then requests beyond capacity time out: the latency and availability burn-rate alerts fire',
    'no pod restarts and no events: the cluster is healthy, just too small for the load',
    'with a HorizontalPodAutoscaler: it scales out to maxReplicas, then kubectl describe hpa shows ScalingLimited True TooManyReplicas and TARGETS far above target (cpu: 200%/80%)',
  ],
  remediations: [
    { summary: 'Scale out the saturated Deployments (the front end and the Services it calls)', command: 'kubectl scale deployment/<deployment> --replicas=<n>' },
    { summary: 'With an HPA at its maximum: raise its ceiling (kubectl scale alone is undone at its next sync)', command: 'kubectl patch hpa <deployment> -p \'{"spec":{"maxReplicas":<n>}}\'' },
  ],
  start(state: SimState, inc: IncidentState, { params, target }) {
    const { deployment } = target;
    const services = new Set(servicesForLabels(state, deployment.metadata.namespace, deployment.spec.template.metadata.labels));
    const spiked: string[] = [];
    const originalRps: string[] = [];
    const ingress = state.ingress.map((e) => {
      if (!services.has(e.service)) return e;
      spiked.push(e.service);
      originalRps.push(String(e.rps));
      return { ...e, rps: e.rps * params.factor };
    });
    if (spiked.length === 0) return { ok: false, retry: false, error: `deployment ${inc.spec.target} receives no ingress traffic (no ingress Service selects its pods)` };
    state.ingress = ingress;
    inc.data['deployment'] = target.key;
    inc.data['services'] = spiked;
    inc.data['originalRps'] = originalRps;
    inc.data['factor'] = params.factor;
    inc.data['maxErrorRate'] = params.maxErrorRate;
    inc.data['endsAt'] = params.durationSeconds !== undefined ? state.t + params.durationSeconds : null;
    inc.data['ended'] = false;
    const hpa = hpaOf(state, target.key);
    if (hpa !== undefined) inc.data['hpa'] = hpa;
    return { ok: true };
  },
  update(state: SimState, inc: IncidentState): void {
    const at = inc.data['endsAt'];
    if (typeof at !== 'number' || state.t < at) return;
    endSpike(state, inc);
    recordNotice(state, 'incident', 'Normal', 'TrafficNormal', { kind: 'Deployment', ...splitKey(inc.spec.target) }, 'Offered load back to normal');
  },
  isMitigated(state: SimState, inc: IncidentState): boolean {
    if (inc.data['ended'] === true) return true;
    const maxErrorRate = inc.data['maxErrorRate'];
    if (typeof maxErrorRate !== 'number') return false;
    const figures = Object.hasOwn(state.traffic, state.userFacingService) ? state.traffic[state.userFacingService] : undefined;
    if (!figures) return false;
    return figures.errorRate <= maxErrorRate && figures.p99Ms <= state.slos.latency.thresholdMs;
  },
});
