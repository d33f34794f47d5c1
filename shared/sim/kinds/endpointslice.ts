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

function firstThree(list: string[]): string {
  return list.length > 3 ? `${list.slice(0, 3).join(',')} + ${list.length - 3} more...` : list.length === 0 ? '<none>' : list.join(',');
}

/** The v1 Endpoints view of a slice (`kubectl get endpoints`): NAME, ENDPOINTS (ready `ip:port`s), AGE. */
export const endpointsViewColumns: readonly PrinterColumn<EndpointSlice>[] = [
  { name: 'NAME', cell: (e) => e.metadata.name },
  {
    name: 'ENDPOINTS',
    cell: (e) => {
      const port = e.ports[0]?.port;
      const addrs: string[] = [];
      for (const ep of e.endpoints) {
        if (!ep.conditions.ready || ep.conditions.terminating) continue;
        for (const a of ep.addresses) addrs.push(port === undefined ? a : `${a}:${port}`);
      }
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
  toApi(e) {
    const copy = apiCopy(e);
    apiMeta(copy);
    return copy;
  },
  columns: [
    { name: 'NAME', cell: (e) => e.metadata.name },
    { name: 'ADDRESSTYPE', cell: (e) => e.addressType },
    { name: 'PORTS', cell: (e) => (e.ports.length === 0 ? '<unset>' : e.ports.map((p) => String(p.port)).join(',')) },
    { name: 'ENDPOINTS', cell: (e) => firstThree(e.endpoints.flatMap((ep) => ep.addresses)) },
    { name: 'AGE', cell: (e, s) => humanDuration(s.t - e.metadata.creationTimestamp) },
  ],
};
