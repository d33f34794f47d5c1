/**
 * `pod-kill`: `count` running pods of the target Deployment are deleted at once (Chaos Mesh PodChaos
 * `pod-kill`, LitmusChaos `pod-delete`: grace period 0 by default). Their ReplicaSet sees fewer pods
 * than desired and creates replacements (kubernetes-behaviour.md §5,
 * https://kubernetes.io/docs/concepts/workloads/controllers/replicaset/): the new pods show RESTARTS 0
 * and a young AGE (they are new pods, not restarted containers); until they are Ready the Service has
 * fewer endpoints, so capacity dips (and with every pod killed, requests are refused).
 *
 * Params (schema and defaults: {@link podKill}`.params`): `count` (pods to kill, default 1; more than the
 * Deployment has: all), `gracePeriodSeconds` (default 0, as the chaos tools do). Victims are picked
 * with the sim's seeded PRNG among the Deployment's pods that are not terminating, sorted by key.
 *
 * Fix: nothing to repair: watch the ReplicaSet heal it (`kubectl rollout status`); run more replicas so
 * a kill costs less capacity (`kubectl scale`). Mitigated when none of the killed pods is Ready any more
 * (they are gone) and the Deployment is fully available again.
 */
import { z } from 'zod';
import type { IncidentState, SimState } from '../types.ts';
import { apiWritable, deletePod } from '../apiserver.ts';
import { nextInt } from '../prng.ts';
import { objKey } from '../names.ts';
import { deploymentAvailable, deploymentPods } from './helpers.ts';
import { defineIncident } from './module.ts';
import { deploymentTarget } from './targets.ts';

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** The `pod-kill` incident (see the module doc). */
export const podKill = defineIncident({
  kind: 'pod-kill',
  params: z.strictObject({
    count: z.number().int({ error: 'must be a whole number of pods' }).min(1, { error: 'must be at least 1' }).default(1).describe('Pods to kill; more than the Deployment has: all of them.'),
    gracePeriodSeconds: z.number().int({ error: 'must be a whole number of sim seconds' }).min(0).default(0).describe('Grace period of the deletions, sim seconds (0: killed at once, as Chaos Mesh pod-kill does).'),
  }),
  target: deploymentTarget,
  title: (spec) => `Pods of ${spec.target} killed`,
  describe: () => 'pods of the Deployment were deleted (pod-kill)',
  symptoms: [
    'kubectl get pods shows the killed pods gone and new pods with RESTARTS 0 and a young AGE (ContainerCreating, then Running)',
    'kubectl rollout status reports waiting for the replacements, then the Deployment available again',
    'kubectl get events shows Killing for the old pods and SuccessfulCreate from the ReplicaSet for the new ones',
    'the Service has fewer ready endpoints until the replacements are Ready: capacity dips, latency (or, with every pod killed, errors) rises briefly',
  ],
  remediations: [
    { summary: 'The ReplicaSet replaces the pods by itself (kubectl rollout status shows it available again); run more replicas so a lost pod costs less capacity', command: 'kubectl scale deployment/<deployment> --replicas=<n>' },
  ],
  start(state: SimState, inc: IncidentState, { params, target }) {
    if (!apiWritable(state)) return { ok: false, retry: true };
    const candidates = deploymentPods(state, target.key)
      .filter((p) => p.metadata.deletionTimestamp === undefined)
      .map((p) => objKey(p.metadata.namespace, p.metadata.name))
      .sort();
    if (candidates.length === 0) return { ok: false, retry: false, error: `deployment ${inc.spec.target} has no pods to kill` };
    const killed: string[] = [];
    const n = Math.min(params.count, candidates.length);
    for (let i = 0; i < n; i++) {
      const [key] = candidates.splice(nextInt(state.rng, candidates.length), 1);
      if (key === undefined) break;
      const r = deletePod(state, key, { gracePeriodSeconds: params.gracePeriodSeconds });
      if (r.ok) killed.push(key);
    }
    killed.sort();
    inc.data['deployment'] = target.key;
    inc.data['pods'] = killed;
    return { ok: true };
  },
  isMitigated(state: SimState, inc: IncidentState): boolean {
    const key = inc.data['deployment'];
    if (typeof key !== 'string') return false;
    for (const pod of strings(inc.data['pods'])) if (state.pods[pod]?.sim.ready) return false;
    const deployment = state.deployments[key];
    return !!deployment && deploymentAvailable(deployment);
  },
});
