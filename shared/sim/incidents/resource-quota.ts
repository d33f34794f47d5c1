/**
 * `resource-quota`: traffic entering through the target Deployment's Service jumps by `factor` and the
 * Deployment is scaled out for it (the on-call's runbook, or an autoscaler), but the namespace has a
 * ResourceQuota sized for yesterday's load (the incident creates `compute-quota`: `requests.cpu` at
 * what the namespace's Pods request now, memory and pods with room). The quota admission refuses
 * every new Pod: the ReplicaSet reports Warning `FailedCreate` "Error creating: pods "x-abc" is
 * forbidden: exceeded quota: compute-quota, requested: requests.cpu=100m, used: requests.cpu=800m,
 * limited: requests.cpu=800m" (K plugin/pkg/admission/resourcequota; W
 * concepts/policy/resource-quotas.md), the Deployment stays at READY 3/6, `kubectl get resourcequota`
 * shows `requests.cpu: 800m/800m`, and the pods that run get hot: latency climbs with utilisation,
 * beyond capacity requests time out (SRE book ch. 21 "Handling Overload").
 *
 * Params (schema and defaults: {@link resourceQuota}`.params`): `quota` (`compute-quota`), `factor`
 * (the traffic multiplier, 2; 1 = no surge, a planned scale-up), `replicas` (the scale-out target,
 * absent: twice the current replicas), `cpu` (the quota's `requests.cpu`; absent: the namespace's
 * current CPU requests, so no new Pod fits).
 *
 * Fix: raise the quota (`kubectl patch resourcequota compute-quota --type merge -p
 * '{"spec":{"hard":{"requests.cpu":"4"}}}'`; `kubectl edit` answers with that line), or lower the
 * Pods' requests (`kubectl set resources --requests=cpu=...`), then scale the saturated tiers.
 * Mitigated when the target has at least `replicas` available replicas and the user-facing Service
 * fails at most 1 % of its requests within its latency threshold (p99).
 */
import { z } from 'zod';
import type { IncidentState, ResourceQuota, SimState } from '../types.ts';
import { apiWritable, createObject, newMeta, updateObject } from '../apiserver.ts';
import { servicesForLabels } from '../cache.ts';
import { formatAmount, quotaUsed } from '../kinds/resourcequota.ts';
import { formatCpu } from '../../manifests/quantity.ts';
import { defineIncident } from './module.ts';
import { dnsLabel } from './params.ts';
import { deploymentTarget } from './targets.ts';

/** Share of failed user-facing requests under which the surge counts as absorbed. */
const MAX_ERROR_RATE = 0.01;

/** The `resource-quota` incident (see the module doc). */
export const resourceQuota = defineIncident({
  kind: 'resource-quota',
  params: z.strictObject({
    quota: dnsLabel().default('compute-quota').describe('Name of the namespace ResourceQuota (created unless it exists).'),
    factor: z.number().min(1).max(100, { error: 'must be at most 100' }).default(2).describe("Multiplier of the offered load (requests/s) entering through the Deployment's Service; 1: no surge."),
    replicas: z.number().int().min(1).max(1000).optional().describe('Replicas the Deployment is scaled out to; absent: twice its current replicas.'),
    cpu: z.string().regex(/^\d+(\.\d+)?m?$/, { error: 'must be a CPU quantity such as 800m or 2' }).optional().describe("The quota's requests.cpu; absent: what the namespace's pods request now (no new pod fits)."),
  }),
  target: deploymentTarget,
  title: (spec) => `ResourceQuota blocks the scale-out of ${spec.target}`,
  describe: () => 'traffic surged and the Deployment was scaled out: the namespace quota refuses the new pods',
  symptoms: [
    'kubectl get deploy shows READY 3/6: the new replicas never appear; kubectl get pods shows no Pending pod (they are refused before they exist)',
    'kubectl get events shows the ReplicaSet\'s FailedCreate "Error creating: pods "x-abc" is forbidden: exceeded quota: compute-quota, requested: requests.cpu=100m, used: requests.cpu=800m, limited: requests.cpu=800m"',
    'kubectl get resourcequota / describe quota show requests.cpu used = hard',
    'the pods that run get hot: kubectl top pods climbs toward the CPU limit, the p99 latency passes the SLO threshold and the latency burn-rate alert fires (with a bigger factor, requests time out too)',
  ],
  remediations: [
    { summary: 'Raise the quota (kubectl edit quota answers with this line: the console has no editor)', command: `kubectl patch resourcequota compute-quota --type merge -p '{"spec":{"hard":{"requests.cpu":"<n>"}}}'` },
    { summary: 'Or lower the pods\' CPU requests so more fit', command: 'kubectl set resources deployment/<deployment> --requests=cpu=50m' },
    { summary: 'Then scale out the other saturated tiers', command: 'kubectl scale deployment/<deployment> --replicas=<n>' },
  ],
  start(state: SimState, inc: IncidentState, { params, target }) {
    if (!apiWritable(state)) return { ok: false, retry: true };
    const { deployment } = target;
    const namespace = deployment.metadata.namespace;
    const quotaKey = `${namespace}/${params.quota}`;
    if (!state.resourceQuotas?.[quotaKey]) {
      const probe: ResourceQuota = { apiVersion: 'v1', kind: 'ResourceQuota', metadata: newMeta(state, namespace, params.quota, {}, {}, []), spec: { hard: { pods: '0', 'requests.cpu': '0', 'requests.memory': '0' } } };
      const used = quotaUsed(state, probe);
      const pods = used.get('pods') ?? 0;
      const mem = used.get('requests.memory') ?? 0;
      probe.spec.hard = {
        pods: String(Math.max(20, 2 * pods)),
        'requests.cpu': params.cpu ?? formatCpu(used.get('requests.cpu') ?? 0),
        'requests.memory': formatAmount('requests.memory', Math.max(2048, Math.ceil((4 * mem) / 1024) * 1024)),
      };
      const r = createObject(state, 'ResourceQuota', probe);
      if (!r.ok) return apiWritable(state) ? { ok: false, retry: false, error: r.error } : { ok: false, retry: true };
    }
    const spiked: string[] = [];
    if (params.factor > 1) {
      const services = new Set(servicesForLabels(state, namespace, deployment.spec.template.metadata.labels));
      state.ingress = state.ingress.map((e) => {
        if (!services.has(e.service)) return e;
        spiked.push(e.service);
        return { ...e, rps: e.rps * params.factor };
      });
    }
    const replicas = params.replicas ?? 2 * Math.max(1, deployment.spec.replicas);
    if (replicas > deployment.spec.replicas) {
      const r = updateObject(state, 'Deployment', target.key, (d) => {
        d.spec.replicas = replicas;
      }, { generation: true });
      if (!r.ok) return { ok: false, retry: false, error: r.error };
    }
    inc.data['deployment'] = target.key;
    inc.data['quota'] = quotaKey;
    inc.data['replicas'] = replicas;
    inc.data['services'] = spiked;
    return { ok: true };
  },
  isMitigated(state: SimState, inc: IncidentState): boolean {
    const key = inc.data['deployment'];
    const replicas = inc.data['replicas'];
    if (typeof key !== 'string' || typeof replicas !== 'number') return false;
    const d = state.deployments[key];
    if (!d || d.status.availableReplicas < replicas) return false;
    const figures = Object.hasOwn(state.traffic, state.userFacingService) ? state.traffic[state.userFacingService] : undefined;
    return figures !== undefined && figures.errorRate <= MAX_ERROR_RATE && figures.p99Ms <= state.slos.latency.thresholdMs;
  },
});
