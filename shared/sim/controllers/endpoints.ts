/**
 * The EndpointSlice controller: per Service, the pods its selector matches that have a node (an IP),
 * in the discovery/v1 shape (shared/sim/kinds/endpointslice.ts: `addresses`, `conditions.ready` only
 * for Ready pods that are not terminating, `terminating`, `targetRef`, `nodeName`; `ports` from the
 * Service's target ports; label `kubernetes.io/service-name`).
 * Source: K pkg/controller/endpointslice; kubernetes-behaviour.md §8. Only queued Services are
 * recomputed (a pod change queues the Services selecting it). Stalls while the API server cannot write:
 * kube-proxy keeps routing to the last endpoints it saw.
 */
import { apiWritable, compactDirty, createObject, drainDirty, newMeta, updateStatus } from '../apiserver.ts';
import { podObjectsForSelector } from '../cache.ts';
import { SERVICE_NAME_LABEL, endpointFor, endpointPorts } from '../kinds/endpointslice.ts';
import { isTerminating } from '../podutil.ts';
import type { EndpointPort, EndpointSlice, SimState } from '../types.ts';

/**
 * The endpoint list this controller last stored in each slice. Its entries were all built here, so an
 * unchanged one may be kept as it is; a list from elsewhere (e.g. a restored state, whose objects may
 * carry their fields in another order) is rebuilt entry by entry as before.
 */
const builtLists = new WeakMap<EndpointSlice, EndpointSlice['endpoints']>();

/** Recomputes the EndpointSlice of every queued Service. */
export function endpointsSync(state: SimState): void {
  if (!apiWritable(state)) return compactDirty(state, 'services');
  for (const key of drainDirty(state, 'services')) syncEndpoints(state, key);
}

/** Recomputes one Service's EndpointSlice (creating it if missing); no-op for an unknown Service. */
export function syncEndpoints(state: SimState, key: string): void {
  const svc = state.services[key];
  if (!svc) return;
  const list: EndpointSlice['endpoints'] = [];
  let ep = state.endpoints[key];
  const prev = ep?.endpoints ?? [];
  const keep = ep !== undefined && builtLists.get(ep) === prev;
  let j = 0;
  for (const pod of podObjectsForSelector(state, svc.metadata.namespace, svc.spec.selector)) {
    if (!pod.spec.nodeName || pod.status.phase === 'Failed' || pod.status.phase === 'Succeeded') continue;
    // Both lists are in pod-name order: reuse the previous address of the same pod (saves a hash).
    const name = pod.metadata.name;
    while (j < prev.length && prev[j]!.targetRef.name < name) j++;
    const old = prev[j];
    const terminating = isTerminating(pod);
    if (old !== undefined && old.targetRef.uid === pod.metadata.uid && old.nodeName === pod.spec.nodeName) {
      // The same pod on the same node: keep the previous endpoint itself when nothing in it changed
      // (endpoints are never changed in place), else its address.
      if (keep && old.targetRef.name === name && old.conditions.terminating === terminating && old.conditions.ready === (pod.sim.ready && !terminating)) list.push(old);
      else list.push(endpointFor(state, pod, terminating, old.addresses));
    } else list.push(endpointFor(state, pod, terminating));
  }
  const ports = endpointPorts(svc);
  if (!ep) {
    ep = {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: newMeta(state, svc.metadata.namespace, svc.metadata.name, { [SERVICE_NAME_LABEL]: svc.metadata.name }, {}, []),
      addressType: 'IPv4',
      endpoints: list,
      ports,
    };
    if (createObject(state, 'EndpointSlice', ep).ok) builtLists.set(ep, list);
    return;
  }
  if (sameEndpoints(ep.endpoints, list) && samePorts(ep.ports, ports)) return;
  ep.endpoints = list;
  builtLists.set(ep, list);
  ep.ports = ports;
  updateStatus(state, 'EndpointSlice', key); // the controller already checked quorum
}

/**
 * Field-by-field comparison of two endpoint lists (order matters: both are built in sorted pod order).
 * Not `JSON.stringify`, whose output depends on key order and so differs after a canonical round trip.
 */
function sameEndpoints(a: EndpointSlice['endpoints'], b: EndpointSlice['endpoints']): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    if (
      x.targetRef.name !== y.targetRef.name ||
      x.targetRef.uid !== y.targetRef.uid ||
      x.nodeName !== y.nodeName ||
      x.addresses[0] !== y.addresses[0] ||
      x.conditions.ready !== y.conditions.ready ||
      x.conditions.terminating !== y.conditions.terminating
    ) {
      return false;
    }
  }
  return true;
}

function samePorts(a: EndpointPort[], b: EndpointPort[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.port !== y.port || x.protocol !== y.protocol || x.name !== y.name) return false;
  }
  return true;
}
