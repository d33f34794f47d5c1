/**
 * `replica-scale`: the target Deployment is scaled to `replicas` for `durationSeconds`, then scaled
 * back to the count it had (LitmusChaos `pod-autoscaler`: litmus-go chaoslib/litmus/pod-autoscaler
 * patches the application's `spec.replicas` to `REPLICA_COUNT` through the API, waits up to
 * `TOTAL_CHAOS_DURATION` for every replica to be ready (the verdict fails when they are not), then
 * restores the original count; https://litmuschaos.github.io/litmus/experiments/categories/pods/pod-autoscaler/).
 * The experiment checks that the cluster can schedule the extra Pods; the name says what happens
 * (nothing autoscales: no HorizontalPodAutoscaler and no cluster autoscaler is involved).
 *
 * The scale goes through the sim's write path exactly as `kubectl scale` does
 * (../actions/deployment.ts `scaleAction`: an update of `spec.replicas` through ../apiserver.ts, a
 * new generation), so the deployment controller records `ScalingReplicaSet` (source
 * `deployment-controller`) and the ReplicaSet creates the Pods (`SuccessfulCreate`). The scheduler
 * places what fits; the rest stay Pending with `FailedScheduling` (`0/3 nodes are available: 3
 * Insufficient cpu.`). Pending Pods use no CPU, so the target's SLI is untouched; Pods of other
 * Deployments that must be (re)scheduled while the chaos Pods hold the room (a kill, a rollout, a
 * drained Node) stay Pending too, and when the target runs at a higher PriorityClass its Pods preempt
 * lower-priority Pods of other Services (K pkg/scheduler/framework/plugins/defaultpreemption): their
 * SLI drops.
 *
 * Params (schema and defaults: {@link replicaScale}`.params`): `replicas` (the count, REPLICA_COUNT;
 * default 5), `durationSeconds` (sim seconds before the revert; default 60, Litmus' TOTAL_CHAOS_DURATION).
 * `data`: `deployment` (key), `originalReplicas`, `replicas`, `endsAt` (sim s), `allReadyAt` (sim s
 * every scaled replica was available: Litmus' Pass verdict, else null), `ended`.
 *
 * The revert scales back to the original count whatever the Deployment was scaled to meanwhile (as
 * Litmus does); without a writable API server (no etcd quorum) it is retried every tick.
 *
 * Fix: scale it back (`kubectl scale`), make room (uncordon a Node, scale down a less important
 * Deployment), or wait for the revert; before the next experiment, give the critical Services a higher
 * PriorityClass in their manifests (not a console action: the game patches no Deployment template).
 * Mitigated once every scaled replica is available (the cluster absorbed it) or, once the Deployment
 * is back at (or below) its original count (by the revert or a player), when it is fully available; the
 * revert happens on schedule either way (`outlivesMitigation`).
 */
import { z } from 'zod';
import type { IncidentState, SimState } from '../types.ts';
import { apiWritable } from '../apiserver.ts';
import { recordNotice } from '../notices.ts';
import { splitKey } from '../names.ts';
import { scaleAction } from '../actions/deployment.ts';
import { deploymentAvailable } from './helpers.ts';
import { defineIncident } from './module.ts';
import { deploymentTarget } from './targets.ts';

/** Scales Deployment `key` to `replicas` through the write path (`kubectl scale`); the error text, or undefined. */
function scaleTo(state: SimState, key: string, replicas: number): string | undefined {
  const h = scaleAction(state, key, replicas);
  return h.result.ok ? undefined : h.result.error;
}

/** The `replica-scale` incident (see the module doc). */
export const replicaScale = defineIncident({
  kind: 'replica-scale',
  params: z.strictObject({
    replicas: z.number().int({ error: 'must be a whole number of replicas' }).min(1, { error: 'must be at least 1' }).max(1000, { error: 'must be at most 1000' }).default(5).describe('Replicas the Deployment is scaled to (LitmusChaos REPLICA_COUNT).'),
    durationSeconds: z.number().int({ error: 'must be a whole number of sim seconds' }).min(1, { error: 'must be at least 1 (sim seconds)' }).default(60).describe('Sim seconds before the Deployment is scaled back to its original count (LitmusChaos TOTAL_CHAOS_DURATION).'),
  }),
  target: deploymentTarget,
  title: (spec) => `${spec.target} scaled out by a chaos experiment`,
  describe: (spec) => `the Deployment was scaled to ${String(spec.params['replicas'] ?? 5)} replicas: the cluster must schedule them`,
  symptoms: [
    'kubectl get deploy shows READY below the new desired count (e.g. 12/40); kubectl get events shows ScalingReplicaSet "Scaled up replica set <rs> from 3 to 40" from the deployment-controller, not a player',
    'Pods that do not fit stay Pending: kubectl describe pod shows FailedScheduling "0/3 nodes are available: 3 Insufficient cpu."',
    'kubectl describe nodes shows Allocated resources near 100 % of the CPU (or memory) requests',
    'Pods of other Deployments that must be rescheduled meanwhile stay Pending too; a target with a higher PriorityClass preempts them (Preempted): their SLI drops',
    'after the window the deployment-controller scales it back (ScalingReplicaSet "Scaled down replica set <rs> from 40 to 3") and the Pending Pods go away',
  ],
  remediations: [
    { summary: 'Scale the Deployment back to its usual count (the experiment does so at the end of its window anyway): the Pending Pods go away', command: 'kubectl scale deployment/<deployment> --replicas=<n>' },
    { summary: 'Make room so the Pending Pods fit: uncordon a cordoned Node (or scale down a less important Deployment)', command: 'kubectl uncordon <node>' },
  ],
  start(state: SimState, inc: IncidentState, { params, target }) {
    if (!apiWritable(state)) return { ok: false, retry: true };
    const original = target.deployment.spec.replicas;
    const error = scaleTo(state, target.key, params.replicas);
    if (error !== undefined) return { ok: false, retry: false, error };
    inc.data['deployment'] = target.key;
    inc.data['originalReplicas'] = original;
    inc.data['replicas'] = params.replicas;
    inc.data['endsAt'] = state.t + params.durationSeconds;
    inc.data['allReadyAt'] = null;
    inc.data['ended'] = false;
    return { ok: true };
  },
  update(state: SimState, inc: IncidentState): void {
    if (inc.data['ended'] === true) return;
    const key = inc.data['deployment'];
    const original = inc.data['originalReplicas'];
    const at = inc.data['endsAt'];
    if (typeof key !== 'string' || typeof original !== 'number' || typeof at !== 'number') return;
    const d = Object.hasOwn(state.deployments, key) ? state.deployments[key] : undefined;
    if (d === undefined) {
      inc.data['ended'] = true; // deleted meanwhile: nothing to scale back
      return;
    }
    if (inc.data['allReadyAt'] === null && d.status.availableReplicas >= Number(inc.data['replicas'])) inc.data['allReadyAt'] = state.t;
    if (state.t < at || !apiWritable(state)) return;
    if (scaleTo(state, key, original) !== undefined) return;
    inc.data['ended'] = true;
    recordNotice(state, 'incident', 'Normal', 'ChaosRecovered', { kind: 'Deployment', ...splitKey(key) }, `Chaos window over: scaled back to ${original} replicas`);
  },
  outlivesMitigation: true,
  isMitigated(state: SimState, inc: IncidentState): boolean {
    const key = inc.data['deployment'];
    if (typeof key !== 'string') return false;
    if (inc.data['allReadyAt'] !== null && inc.data['allReadyAt'] !== undefined) return true;
    const d = Object.hasOwn(state.deployments, key) ? state.deployments[key] : undefined;
    if (inc.data['ended'] === true && d === undefined) return true;
    const original = inc.data['originalReplicas'];
    const back = inc.data['ended'] === true || (typeof original === 'number' && d !== undefined && d.spec.replicas <= original);
    return back && d !== undefined && deploymentAvailable(d);
  },
});
