/**
 * The EndpointSlice controller: per Service, the pods its selector matches that have a node (an IP),
 * in the discovery/v1 shape (shared/sim/kinds/endpointslice.ts: `addresses`, `conditions.ready` only
 * for Ready pods that are not terminating, `terminating`, `targetRef`, `nodeName`; `ports` from the
 * Service's target ports; label `kubernetes.io/service-name`).
 * Source: K pkg/controller/endpointslice; kubernetes-behaviour.md §8. Only queued Services are
 * recomputed (a pod change queues the Services selecting it). Stalls while the API server cannot write:
 * kube-proxy keeps routing to the last endpoints it saw.
 */
import { apiWritable, compactDirty, createObject, drainDirty, newMeta, takePodChanges, unwatchPods, updateStatus, watchPods } from '../apiserver.ts';
import { podObjectsForSelector, selectorMatches } from '../cache.ts';
import { SERVICE_NAME_LABEL, endpointFor, endpointPorts } from '../kinds/endpointslice.ts';
import { isTerminating } from '../podutil.ts';
import type { Endpoint, EndpointPort, EndpointSlice, Service, SimState } from '../types.ts';

/**
 * The endpoint list this controller last stored in each slice. Its entries were all built here, so an
 * unchanged one may be kept as it is; a list from elsewhere (e.g. a restored state, whose objects may
 * carry their fields in another order) is rebuilt entry by entry as before.
 */
const builtLists = new WeakMap<EndpointSlice, EndpointSlice['endpoints']>();

/**
 * Recomputes the EndpointSlice of every queued Service: from the pods that changed since its last sync
 * when the Service is watched ({@link takePodChanges}) and its slice is the one built here, else from
 * every pod its selector matches. Both give the same list.
 */
export function endpointsSync(state: SimState): void {
  if (!apiWritable(state)) return compactDirty(state, 'services');
  for (const key of drainDirty(state, 'services')) syncEndpoints(state, key, takePodChanges(state, 'services', key));
}

/**
 * Recomputes one Service's EndpointSlice (creating it if missing); no-op for an unknown Service.
 * `changed`: keys of the only pods that may have changed since the slice was built (see
 * {@link endpointsSync}; sorted in place); null or omitted = read every matching pod.
 */
export function syncEndpoints(state: SimState, key: string, changed: string[] | null = null): void {
  const svc = state.services[key];
  if (!svc) {
    unwatchPods(state, 'services', key);
    return;
  }
  let ep = state.endpoints[key];
  const prev = ep?.endpoints ?? [];
  const keep = ep !== undefined && builtLists.get(ep) === prev;
  if (changed !== null && ep !== undefined && keep) {
    const patched = patchEndpoints(state, svc, prev, changed);
    watchPods(state, 'services', key);
    if (patched === null) return;
    ep.endpoints = patched;
    builtLists.set(ep, patched);
    updateStatus(state, 'EndpointSlice', key); // the controller already checked quorum
    return;
  }
  watchPods(state, 'services', key);
  const list: EndpointSlice['endpoints'] = [];
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
 * The pod names of the entries of each endpoint list {@link patchEndpoints} read or built, in list order
 * (beside the state, never hashed): its binary searches read one flat array instead of three objects
 * per probe. A list is never changed in place (a change makes a new list), so the names stay true.
 */
const listNames = new WeakMap<readonly Endpoint[], string[]>();

function namesOf(list: readonly Endpoint[]): string[] {
  let names = listNames.get(list);
  if (names === undefined) {
    names = new Array<string>(list.length);
    for (let i = 0; i < list.length; i++) names[i] = list[i]!.targetRef.name;
    listNames.set(list, names);
  }
  return names;
}

/** Index of the first of `names` (sorted) not below `name`, at or after `from` (a lower bound of it). */
function lowerBound(names: readonly string[], name: string, from: number): number {
  let lo = from;
  let hi = names.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (names[mid]! < name) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The slice's new list when only the pods `changed` (keys) may differ from what `prev` (a list built
 * here: sorted by pod name, one entry per pod, each reflecting its pod when built) shows: each changed
 * pod's entry is recomputed exactly as the full rebuild of {@link syncEndpoints} computes it (kept
 * when nothing in it changed, else a new entry reusing the previous address of the same pod on the
 * same node), dropped when the pod is gone, unbound, terminal or no longer matches; every other entry
 * stays. Returns null when the list is unchanged; sorts `changed` in place. O(changed x log(entries) + entries).
 */
function patchEndpoints(state: SimState, svc: Service, prev: Endpoint[], changed: string[]): Endpoint[] | null {
  if (changed.length === 0) return null;
  const ns = svc.metadata.namespace;
  const prefix = `${ns}/`;
  // Keys share the `namespace/` prefix: key order is name order. The keys themselves are used for the
  // lookups (their hashes are cached; a rebuilt key string would be hashed again). Sorted in place (the
  // caller's list, taken from the watch), so each name's position is found from the previous one's.
  const keys = changed.length === 1 ? changed : changed.sort();
  // Per changed name (deduplicated, in order): its position in `prev`, whether `prev` has it, and its entry now.
  const names = namesOf(prev);
  const at: number[] = [];
  const had: boolean[] = [];
  const next: (Endpoint | null)[] = [];
  let differs = false;
  let last: string | undefined;
  let at0 = 0;
  for (const key of keys) {
    if (key === last || !key.startsWith(prefix)) continue;
    last = key;
    const name = key.slice(prefix.length);
    const i = lowerBound(names, name, at0);
    at0 = i;
    const old = i < names.length && names[i] === name ? prev[i] : undefined;
    const pod = state.pods[key];
    let entry: Endpoint | null = null;
    if (pod && pod.metadata.namespace === ns && pod.spec.nodeName && pod.status.phase !== 'Failed' && pod.status.phase !== 'Succeeded' && selectorMatches(svc.spec.selector, pod.metadata.labels)) {
      const terminating = isTerminating(pod);
      if (old !== undefined && old.targetRef.uid === pod.metadata.uid && old.nodeName === pod.spec.nodeName) {
        entry = old.conditions.terminating === terminating && old.conditions.ready === (pod.sim.ready && !terminating) ? old : endpointFor(state, pod, terminating, old.addresses);
      } else entry = endpointFor(state, pod, terminating);
    }
    if (entry !== (old ?? null)) differs = true;
    at.push(i);
    had.push(old !== undefined);
    next.push(entry);
  }
  if (!differs) return null;
  const out: Endpoint[] = [];
  const outNames: string[] = [];
  let from = 0;
  for (let u = 0; u < at.length; u++) {
    const i = at[u]!;
    for (let j = from; j < i; j++) {
      out.push(prev[j]!);
      outNames.push(names[j]!);
    }
    const e = next[u]!;
    if (e !== null) {
      out.push(e);
      outNames.push(e.targetRef.name);
    }
    from = had[u] ? i + 1 : i;
  }
  for (let j = from; j < prev.length; j++) {
    out.push(prev[j]!);
    outNames.push(names[j]!);
  }
  listNames.set(out, outNames);
  return out;
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
