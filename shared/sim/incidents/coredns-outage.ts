/**
 * `coredns-outage`: a DNS query storm (a client retrying lookups in a hot loop, amplified by the
 * default `ndots:5` search list) pushes every CoreDNS Pod's working set past the 170Mi limit kubeadm
 * gives it: the containers are `OOMKilled` (exit 137) again and again and the Pods sit in
 * `CrashLoopBackOff`, so `kube-dns` has no ready endpoint and name resolution fails cluster-wide.
 * Service-to-service calls that need a fresh lookup fail (`dial tcp: lookup api on 10.96.0.10:53: read
 * udp ...: i/o timeout` in the callers' logs), so every caller fails that share of its requests; the
 * user-facing Service's errors rise although every workload Pod is Running and Ready.
 *
 * Sources: CoreDNS "Scaling CoreDNS in Kubernetes clusters" (memory grows with the cluster and the
 * query load: https://github.com/coredns/deployment/blob/master/kubernetes/Scaling_CoreDNS.md); W
 * tasks/administer-cluster/dns-debugging-resolution (CoreDNS Pods not Running, `kube-dns` without
 * endpoints, `nslookup` failing); W concepts/services-networking/dns-pod-service (ndots:5); the
 * OOMKilled / CrashLoopBackOff mechanics are the kubelet's (kubernetes-behaviour.md §1).
 *
 * Params (schema and defaults: {@link corednsOutage}`.params`): `workingSetMiB` (each CoreDNS Pod's
 * working set under the storm, 260 MiB: over the 170Mi limit), `failedLookupShare` (share of calls
 * that need a fresh lookup and fail while DNS is down, 0.5: the rest ride on kept-alive connections).
 *
 * Simplification: the lookup failures are laid on the callers' image profiles (their own error rate,
 * composed as independent failures) while `kube-dns` has no ready endpoint, and lifted as soon as it
 * has one again.
 *
 * Fix: give CoreDNS the memory it needs (`kubectl set resources deployment/coredns -n kube-system
 * --limits=memory=512Mi`): the rollout replaces the crashing Pods. Mitigated once the CoreDNS
 * Deployment is fully available again.
 */
import { z } from 'zod';
import type { IncidentState, SimState } from '../types.ts';
import { selectorMatches } from '../cache.ts';
import { parseMemoryMiB } from '../../manifests/quantity.ts';
import { imageProfile } from '../traffic.ts';
import { defineIncident } from './module.ts';
import { deploymentAvailable } from './helpers.ts';
import { share } from './params.ts';
import { kubeSystemTarget } from './targets.ts';

const COREDNS = 'kube-system/coredns';
const KUBE_DNS = 'kube-system/kube-dns';

type Saved = { image: string; errorRate: number };

/** The images of the Deployments behind a Service that calls others (resolves names), sorted, unique. */
function callerImages(state: SimState): string[] {
  const callers = Object.keys(state.callGraph).filter((k) => !k.startsWith('kube-system/') && (state.callGraph[k]?.length ?? 0) > 0);
  const images = new Set<string>();
  for (const key of Object.keys(state.deployments).sort()) {
    const d = state.deployments[key]!;
    if (d.metadata.namespace === 'kube-system') continue;
    const labels = d.spec.template.metadata.labels;
    const calls = callers.some((c) => {
      const svc = state.services[c];
      return !!svc && svc.metadata.namespace === d.metadata.namespace && selectorMatches(svc.spec.selector, labels);
    });
    if (calls) for (const c of d.spec.template.spec.containers) images.add(c.image);
  }
  return [...images].sort();
}

function dnsReady(state: SimState): number {
  return state.endpoints[KUBE_DNS]?.endpoints.filter((e) => e.conditions.ready && !e.conditions.terminating).length ?? 0;
}

function lift(state: SimState, inc: IncidentState): void {
  const saved = JSON.parse(String(inc.data['saved'] ?? '[]')) as Saved[];
  for (const s of saved) state.images[s.image] = { ...imageProfile(state, s.image), errorRate: s.errorRate };
  inc.data['saved'] = '[]';
  inc.data['dnsDown'] = false;
}

/** The `coredns-outage` incident (see the module doc). */
export const corednsOutage = defineIncident({
  kind: 'coredns-outage',
  params: z.strictObject({
    workingSetMiB: z.number().gt(0).max(16384).default(260).describe("Each CoreDNS Pod's working set under the query storm, MiB (the kubeadm limit is 170Mi)."),
    failedLookupShare: share().default(0.5).describe('Share of service-to-service calls that need a fresh lookup and fail while DNS is down (the rest use kept-alive connections).'),
  }),
  target: kubeSystemTarget('coredns-outage', ['coredns'], 'coredns'),
  title: () => 'CoreDNS OOMKilled: cluster DNS down',
  describe: () => 'a DNS query storm pushes every CoreDNS Pod over its memory limit',
  symptoms: [
    'kubectl get pods -n kube-system shows the coredns-* Pods OOMKilled then CrashLoopBackOff with climbing restarts; describe shows Last State Terminated, Reason OOMKilled, Exit Code 137, and Limits memory 170Mi',
    'kubectl get endpoints kube-dns -n kube-system has no ready address; lookups of Service names time out (nslookup: ";; connection timed out; no servers could be reached")',
    "every Service that calls another fails part of its requests although all workload Pods are Running and Ready: the user-facing Service's error rate and burn-rate alerts rise",
  ],
  remediations: [
    { summary: 'Give CoreDNS the memory it needs: the rollout replaces the crash-looping Pods', command: 'kubectl set resources deployment/coredns -n kube-system --limits=memory=512Mi' },
  ],
  start(state: SimState, inc: IncidentState, { params }) {
    const d = state.deployments[COREDNS];
    if (!d) return { ok: false, retry: false, error: 'deployment kube-system/coredns not found' };
    const image = d.spec.template.spec.containers[0]?.image;
    if (image === undefined) return { ok: false, retry: false, error: 'deployment kube-system/coredns has no container' };
    const limit = d.spec.template.spec.containers[0]?.resources.limits?.memory;
    if (limit === undefined || parseMemoryMiB(limit) >= params.workingSetMiB) return { ok: false, retry: false, error: `params.workingSetMiB (${params.workingSetMiB}) must exceed CoreDNS's memory limit (${limit ?? 'none'})` };
    const p = imageProfile(state, image);
    const { baseMemoryShare: _share, ...rest } = p;
    state.images[image] = { ...rest, baseMemoryMiB: params.workingSetMiB };
    inc.data['image'] = image;
    inc.data['share'] = params.failedLookupShare;
    inc.data['workingSetMiB'] = params.workingSetMiB;
    inc.data['saved'] = '[]';
    inc.data['dnsDown'] = false;
    return { ok: true };
  },
  update(state: SimState, inc: IncidentState): void {
    const down = dnsReady(state) === 0;
    if (down && inc.data['dnsDown'] !== true) {
      const f = Number(inc.data['share'] ?? 0.5);
      const saved: Saved[] = [];
      for (const image of callerImages(state)) {
        const p = imageProfile(state, image);
        saved.push({ image, errorRate: p.errorRate });
        state.images[image] = { ...p, errorRate: Math.min(1, 1 - (1 - p.errorRate) * (1 - f)) };
      }
      inc.data['saved'] = JSON.stringify(saved);
      inc.data['dnsDown'] = true;
      inc.data['sawOutage'] = true;
    } else if (!down && inc.data['dnsDown'] === true) {
      lift(state, inc);
    }
  },
  isMitigated(state: SimState, inc: IncidentState): boolean {
    const d = state.deployments[COREDNS];
    if (!d) return true;
    if (inc.data['dnsDown'] === true || !deploymentAvailable(d)) return false;
    // Healed when every CoreDNS Pod left runs with room for the storm's working set (or another image).
    const need = Number(inc.data['workingSetMiB'] ?? 0);
    const image = inc.data['image'];
    return Object.values(state.pods).every((p) => p.metadata.namespace !== 'kube-system' || p.metadata.labels['k8s-app'] !== 'kube-dns' || p.metadata.deletionTimestamp !== undefined
      || p.sim.image !== image || p.sim.memLimitMiB === null || p.sim.memLimitMiB > need);
  },
});
