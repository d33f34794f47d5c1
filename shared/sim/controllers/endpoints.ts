/**
 * The EndpointSlice controller: per Service, the pods its selector matches that have a node (an IP),
 * `ready` only for Ready pods that are not terminating (terminating endpoints are never ready).
 * Source: K pkg/controller/endpointslice; kubernetes-behaviour.md §8. Only queued Services are
 * recomputed (a pod change queues the Services selecting it). Stalls while the API server cannot write:
 * kube-proxy keeps routing to the last endpoints it saw.
 */
import { apiWritable, compactDirty, createObject, drainDirty, newMeta, updateStatus } from '../apiserver.ts';
import { podsForSelector } from '../cache.ts';
import { isTerminating } from '../podutil.ts';
import type { Endpoints, SimState } from '../types.ts';

/** Recomputes the EndpointSlice of every queued Service. */
export function endpointsSync(state: SimState): void {
  if (!apiWritable(state)) return compactDirty(state, 'services');
  for (const key of drainDirty(state, 'services')) syncEndpoints(state, key);
}

/** Recomputes one Service's EndpointSlice (creating it if missing); no-op for an unknown Service. */
export function syncEndpoints(state: SimState, key: string): void {
  const svc = state.services[key];
  if (!svc) return;
  const list: Endpoints['endpoints'] = [];
  for (const podKey of podsForSelector(state, svc.metadata.namespace, svc.spec.selector)) {
    const pod = state.pods[podKey]!;
    if (!pod.spec.nodeName || pod.status.phase === 'Failed' || pod.status.phase === 'Succeeded') continue;
    const terminating = isTerminating(pod);
    list.push({ targetRef: { kind: 'Pod', name: pod.metadata.name }, nodeName: pod.spec.nodeName, conditions: { ready: pod.sim.ready && !terminating, terminating } });
  }
  let ep = state.endpoints[key];
  if (!ep) {
    ep = {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: newMeta(state, svc.metadata.namespace, svc.metadata.name, { 'kubernetes.io/service-name': svc.metadata.name }, {}, []),
      endpoints: list,
    };
    createObject(state, 'EndpointSlice', ep);
    return;
  }
  if (sameEndpoints(ep.endpoints, list)) return;
  ep.endpoints = list;
  updateStatus(state, 'EndpointSlice', key); // the controller already checked quorum
}

/**
 * Field-by-field comparison of two endpoint lists (order matters: both are built in sorted pod order).
 * Not `JSON.stringify`, whose output depends on key order and so differs after a canonical round trip.
 */
function sameEndpoints(a: Endpoints['endpoints'], b: Endpoints['endpoints']): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (
      x.targetRef.name !== y.targetRef.name ||
      x.nodeName !== y.nodeName ||
      x.conditions.ready !== y.conditions.ready ||
      x.conditions.terminating !== y.conditions.terminating
    ) {
      return false;
    }
  }
  return true;
}
