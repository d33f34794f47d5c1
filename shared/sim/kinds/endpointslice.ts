/**
 * The EndpointSlice kind (discovery.k8s.io/v1): storage `state.endpoints` (one slice per Service, same
 * key), the shape of its parts (`endpointPorts`, `endpointFor`), API serialisation and two printers:
 * the EndpointSlice columns (NAME ADDRESSTYPE PORTS ENDPOINTS AGE, printEndpointSlice) and the v1
 * Endpoints view `kubectl get endpoints` prints (NAME ENDPOINTS AGE: ready addresses with the port,
 * first three then `+ N more...`).
 *
 * May import: ../types.ts, ./kind.ts, ./print.ts, ./serialize.ts.
 */
import type { Endpoint, EndpointPort, EndpointSlice, Pod, Service, SimState } from '../types.ts';
import type { KindDef, PrinterColumn } from './kind.ts';
import { humanDuration, podAddress } from './print.ts';
import { apiCopy, apiMeta } from './serialize.ts';

/** Label naming the Service of an EndpointSlice. */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

/** The slice's ports for a Service: each port's numeric targetPort (else its port), protocol TCP by default. */
export function endpointPorts(svc: Service): EndpointPort[] {
  return svc.spec.ports.map((p) => {
    const out: EndpointPort = { port: typeof p.targetPort === 'number' ? p.targetPort : p.port, protocol: p.protocol ?? 'TCP' };
    if (p.name !== undefined) out.name = p.name;
    return out;
  });
}

/**
 * An endpoint's `conditions`, indexed `ready + 2 * terminating`: frozen objects shared by every
 * endpoint (the endpoints controller builds a new endpoint on every change, never edits one in place).
 */
const ENDPOINT_CONDITIONS: readonly Endpoint['conditions'][] = [
  Object.freeze({ ready: false, terminating: false }),
  Object.freeze({ ready: true, terminating: false }),
  Object.freeze({ ready: false, terminating: true }),
  Object.freeze({ ready: true, terminating: true }),
];

/**
 * The endpoint of a bound pod: its address, `ready` = Ready and not terminating (`sim.ready`),
 * `terminating`, its Pod reference and Node. `addresses`: the pod's previous endpoint addresses to
 * reuse (same uid and node), else computed.
 */
export function endpointFor(state: SimState, pod: Pod, terminating: boolean, addresses?: string[]): Endpoint {
  const nodeName = pod.spec.nodeName ?? '';
  return {
    addresses: addresses ?? [podAddress(state, nodeName, pod.metadata.uid)],
    conditions: ENDPOINT_CONDITIONS[(pod.sim.ready && !terminating ? 1 : 0) + (terminating ? 2 : 0)]!,
    targetRef: { kind: 'Pod', name: pod.metadata.name, namespace: pod.metadata.namespace, uid: pod.metadata.uid },
    nodeName,
  };
}

/** The key of the `kubernetes` Service's slice, the API servers' (written by their endpoint reconciler, not the EndpointSlice controller). */
export const KUBERNETES_SLICE_KEY = 'default/kubernetes';

/**
 * (issue 6) The API servers' addresses of the `kubernetes` slice (K pkg/controlplane/reconcilers
 * lease.go: each running kube-apiserver lists its advertise address, port 6443): one per control-plane
 * host (one per started etcd member, ../kubeSystem.ts controlPlaneHosts) whose `kube-apiserver-<host>`
 * mirror Pod is Ready, the member's IP (`10.0.0.(10 + index)` unless frozen). Computed on read: the sim
 * stores them outside `endpoints` (whose readers, traffic and logs, take every endpoint for a Pod's).
 * Empty for any other slice and for a cluster without kube-system.
 */
export function apiServerAddresses(state: SimState, key: string): string[] {
  if (key !== KUBERNETES_SLICE_KEY || state.services[key]?.metadata.labels['provider'] !== 'kubernetes') return [];
  const out: string[] = [];
  state.controlPlane.etcd.members.forEach((m, i) => {
    if (m.unstarted === true) return;
    const host = `control-plane-${m.name.startsWith('etcd-') ? m.name.slice(5) : m.name}`;
    const pod = state.pods[`kube-system/kube-apiserver-${host}`];
    if (pod?.status.conditions.some((c) => c.type === 'Ready' && c.status === 'True')) out.push(m.ip ?? `10.0.0.${10 + i}`);
  });
  return out;
}

function firstThree(list: string[]): string {
  return list.length > 3 ? `${list.slice(0, 3).join(',')} + ${list.length - 3} more...` : list.length === 0 ? '<none>' : list.join(',');
}

/** The v1 Endpoints view of a slice (`kubectl get endpoints`): NAME, ENDPOINTS (ready `ip:port`s), AGE. */
export const endpointsViewColumns: readonly PrinterColumn<EndpointSlice>[] = [
  { name: 'NAME', cell: (e) => e.metadata.name },
  {
    name: 'ENDPOINTS',
    cell: (e, s) => {
      const port = e.ports[0]?.port;
      const addrs: string[] = [];
      for (const ep of e.endpoints) {
        if (!ep.conditions.ready || ep.conditions.terminating) continue;
        for (const a of ep.addresses) addrs.push(port === undefined ? a : `${a}:${port}`);
      }
      for (const a of apiServerAddresses(s, `${e.metadata.namespace}/${e.metadata.name}`)) addrs.push(port === undefined ? a : `${a}:${port}`);
      return firstThree(addrs);
    },
  },
  { name: 'AGE', cell: (e, s) => humanDuration(s.t - e.metadata.creationTimestamp) },
];

/** The EndpointSlice kind. */
export const endpointSliceKind: KindDef<EndpointSlice> = {
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  plural: 'endpointslices',
  singular: 'endpointslice',
  shortNames: [],
  namespaced: true,
  store: (state) => state.endpoints,
  defaults(e) {
    e.addressType ??= 'IPv4';
    e.ports ??= [];
  },
  controllerKinds: [],
  toApi(e, state) {
    const copy = apiCopy(e);
    apiMeta(copy);
    // (issue 6) the API servers' endpoints: an address and `ready`, no targetRef or nodeName
    const api = apiServerAddresses(state, `${e.metadata.namespace}/${e.metadata.name}`);
    if (api.length > 0) copy['endpoints'] = [...(copy['endpoints'] as unknown[]), ...api.map((ip) => ({ addresses: [ip], conditions: { ready: true } }))];
    return copy;
  },
  columns: [
    { name: 'NAME', cell: (e) => e.metadata.name },
    { name: 'ADDRESSTYPE', cell: (e) => e.addressType },
    { name: 'PORTS', cell: (e) => (e.ports.length === 0 ? '<unset>' : e.ports.map((p) => String(p.port)).join(',')) },
    { name: 'ENDPOINTS', cell: (e, s) => firstThree([...e.endpoints.flatMap((ep) => ep.addresses), ...apiServerAddresses(s, `${e.metadata.namespace}/${e.metadata.name}`)]) },
    { name: 'AGE', cell: (e, s) => humanDuration(s.t - e.metadata.creationTimestamp) },
  ],
};
