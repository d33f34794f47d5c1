/**
 * `node-failure`: the target Node's machine dies (kubelet stops heartbeating). After the
 * node-monitor-grace-period (50 s) the node lifecycle controller marks it `NotReady`/`Unknown` and its
 * pods leave the Service endpoints; after the 300 s default toleration its pods are evicted and replaced
 * elsewhere (kubernetes-behaviour.md §3). Until then requests routed to its pods time out.
 *
 * Params (schema: {@link nodeFailure}`.params`): `recoverAfter` (sim seconds after the start at which the machine comes
 * back by itself; absent = never).
 *
 * Fix: drain the node / delete its pods (`--force --grace-period=0`) so replacements start elsewhere
 * sooner. Mitigated when the node is back and Ready, or when none of its former pods is Ready any more and
 * every Deployment that had pods there is fully available again.
 */
import { z } from 'zod';
import type { IncidentState, SimState } from '../types.ts';
import { markDirty } from '../apiserver.ts';
import { getIndex, sortedKeys, podOwnerKey, rsOwnerKey } from '../cache.ts';
import { recordNotice } from '../notices.ts';
import { defineIncident } from './module.ts';
import { nodeTarget } from './targets.ts';

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** The `node-failure` incident (see the module doc): NotReady after 50 s, pods evicted after 300 s more. */
export const nodeFailure = defineIncident({
  kind: 'node-failure',
  params: z.strictObject({
    recoverAfter: z
      .number()
      .int({ error: 'must be a whole number of sim seconds' })
      .min(1, { error: 'must be at least 1 (sim seconds)' })
      .optional()
      .describe('Sim seconds after the start at which the machine comes back by itself; absent: never.'),
  }),
  target: nodeTarget,
  title: (spec) => `Node ${spec.target} failed`,
  describe: () => 'the machine stopped responding (no kubelet heartbeats)',
  symptoms: [
    'requests routed to the node\'s pods time out: errors and latency climb until its pods leave the endpoints',
    'after about 50 s kubectl get nodes shows the node NotReady and its pods 0/1 Running (no longer Ready)',
    'after the 300 s toleration its pods show Terminating and replacements start on the other nodes (if they fit)',
  ],
  remediations: [
    { summary: 'Drain the node so its pods are replaced elsewhere now', command: 'kubectl drain <node> --ignore-daemonsets --delete-emptydir-data' },
    { summary: 'Or force-delete its pods (the kubelet cannot confirm)', command: 'kubectl delete pod <pod> --force --grace-period=0' },
    { summary: 'Or keep it out of scheduling and wait for the machine to come back', command: 'kubectl cordon <node>' },
  ],
  start(state: SimState, inc: IncidentState, { params, target: { node } }) {
    node.sim.kubeletUp = false;
    markDirty(state, 'nodes', inc.spec.target);
    const pods = sortedKeys(getIndex(state).podsByNode.get(inc.spec.target)).filter((k) => state.pods[k]?.spec.nodeName === inc.spec.target);
    const deployments = new Set<string>();
    for (const key of pods) {
      const pod = state.pods[key]!;
      const rsKey = podOwnerKey(pod);
      const rs = rsKey ? state.replicaSets[rsKey] : undefined;
      const deployment = rs ? rsOwnerKey(rs) : '';
      if (deployment) deployments.add(deployment);
    }
    const recoverAfter = params.recoverAfter;
    inc.data['node'] = inc.spec.target;
    inc.data['pods'] = pods;
    inc.data['deployments'] = [...deployments].sort();
    inc.data['recoverAt'] = recoverAfter !== undefined ? state.t + recoverAfter : null;
    return { ok: true };
  },
  update(state: SimState, inc: IncidentState): void {
    const at = inc.data['recoverAt'];
    const node = state.nodes[inc.spec.target];
    if (typeof at !== 'number' || state.t < at || !node || node.sim.kubeletUp) return;
    node.sim.kubeletUp = true;
    markDirty(state, 'nodes', inc.spec.target);
    inc.data['recoverAt'] = null;
    recordNotice(state, 'incident', 'Normal', 'NodeRecovered', { kind: 'Node', name: inc.spec.target, namespace: '' }, `Machine ${inc.spec.target} is back: kubelet started`);
  },
  isMitigated(state: SimState, inc: IncidentState): boolean {
    const node = state.nodes[inc.spec.target];
    if (node && node.sim.kubeletUp && node.status.conditions.some((c) => c.type === 'Ready' && c.status === 'True')) return true;
    for (const key of strings(inc.data['pods'])) if (state.pods[key]?.sim.ready) return false;
    for (const key of strings(inc.data['deployments'])) {
      const d = state.deployments[key];
      if (d && d.status.availableReplicas < d.spec.replicas) return false;
    }
    return true;
  },
});
