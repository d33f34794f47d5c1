/**
 * `network-chaos`: for `durationSeconds` the target Deployment's Pods answer slower and/or fail a share
 * of their requests, as a Chaos Mesh NetworkChaos (`delay`, `loss`, `duplicate`, `corrupt`, `bandwidth`,
 * `partition`), HTTPChaos (`abort`, `delay`), DNSChaos or a LitmusChaos pod-network-* / pod-http-* /
 * pod-dns-error experiment does with `tc netem` or a proxy (https://chaos-mesh.org/docs/simulate-network-chaos-on-kubernetes/,
 * https://chaos-mesh.org/docs/simulate-http-chaos-on-kubernetes/). The callers of its Service see
 * the latency and the errors (shared/sim/traffic.ts: a hard call adds the downstream's latency and
 * fails with it); Pods stay Running and Ready (the kubelet's probes run on the node, not through the
 * faulted interface), so nothing restarts. The fault lifts by itself at the end of the window
 * (`ChaosRecovered` notice in the events feed). Shared mechanics: ./chaos-profile.ts.
 *
 * Params (schema and defaults: {@link networkChaos}`.params`): `latencyMs` (added own latency per
 * request, ms, 0), `errorRate` (share of requests failed, 0..1, 0), `durationSeconds` (sim seconds, 60),
 * `action` (what the experiment does, for the event text).
 *
 * Fix: none needed once the experiment ends; meanwhile scale out or shed the faulted dependency
 * (mark the call optional, fail over). Mitigated when the window is over and the Deployment serves.
 */
import { z } from 'zod';
import type { IncidentState, SimState } from '../types.ts';
import { share } from './params.ts';
import { defineIncident } from './module.ts';
import { deploymentTarget } from './targets.ts';
import { applyProfileFault, liftProfileFaultWhenDue, profileFaultOver } from './chaos-profile.ts';

/** The `network-chaos` incident (see the module doc). */
export const networkChaos = defineIncident({
  kind: 'network-chaos',
  params: z
    .strictObject({
      latencyMs: z.number().min(0, { error: 'must be at least 0 (ms)' }).default(0).describe('Latency added to each request the Pods answer, ms (netem delay, HTTPChaos delay).'),
      errorRate: share().default(0).describe('Share of requests that fail, 0..1 (packet loss, corruption, duplicates, HTTP abort, DNS errors, partition: 1).'),
      durationSeconds: z.number().int({ error: 'must be a whole number of sim seconds' }).min(1).default(60).describe('How long the fault lasts, sim seconds (the experiment\'s duration).'),
      action: z.string().min(1).default('network fault').describe('What the experiment does (e.g. `NetworkChaos delay`), for the event text.'),
    })
    .refine((p) => p.latencyMs > 0 || p.errorRate > 0, { error: 'needs latencyMs > 0 or errorRate > 0', path: ['latencyMs'] }),
  target: deploymentTarget,
  title: (spec) => `Network fault on ${spec.target}`,
  describe: () => 'requests to the Deployment\'s Pods are delayed or dropped',
  symptoms: [
    'the p99 latency and/or the error rate of the Service (and of every Service calling it) rise; burn-rate alerts fire',
    'kubectl get pods shows the Pods Running and Ready, with no restarts: the fault is in the network, not the process',
    'the callers\' logs show timeouts or connection errors towards the Service',
  ],
  remediations: [
    { summary: 'Wait for the experiment window to end (Normal ChaosRecovered in the events feed); meanwhile add capacity so retries are absorbed', command: 'kubectl scale deployment/<deployment> --replicas=<n>' },
  ],
  start(state: SimState, inc: IncidentState, { params, target }) {
    const images = target.deployment.spec.template.spec.containers.map((c) => c.image);
    if (images.length === 0) return { ok: false, retry: false, error: `deployment ${inc.spec.target} has no container` };
    applyProfileFault(state, inc, target.key, images, { errorRate: params.errorRate, latencyMs: params.latencyMs, cpuFactor: 1 }, params.durationSeconds);
    inc.data['action'] = params.action;
    return { ok: true };
  },
  update(state: SimState, inc: IncidentState) {
    liftProfileFaultWhenDue(state, inc, String(inc.data['action'] ?? 'network fault'));
  },
  isMitigated: profileFaultOver,
});
