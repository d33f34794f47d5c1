/**
 * The Service kind (core/v1): storage `state.services`, defaulting (type ClusterIP), API serialisation
 * and kubectl's columns (printService: PORT(S) `80/TCP`, `80:30080/TCP` for NodePorts, EXTERNAL-IP
 * `<pending>` for a LoadBalancer without ingress).
 *
 * May import: ../types.ts, ../names.ts, ./kind.ts, ./print.ts, ./serialize.ts.
 */
import { objKey } from '../names.ts';
import type { Service } from '../types.ts';
import type { KindDef } from './kind.ts';
import { clusterIp, humanDuration, labelString, orNone } from './print.ts';
import { apiCopy, apiMeta } from './serialize.ts';

/** kubectl's PORT(S) cell of a Service. */
export function servicePortsText(s: Service): string {
  return s.spec.ports.map((p) => `${p.port}${p.nodePort !== undefined && s.spec.type !== 'ClusterIP' ? `:${p.nodePort}` : ''}/${p.protocol ?? 'TCP'}`).join(',');
}

/** The Service kind. */
export const serviceKind: KindDef<Service> = {
  apiVersion: 'v1',
  kind: 'Service',
  plural: 'services',
  singular: 'service',
  shortNames: ['svc'],
  namespaced: true,
  store: (state) => state.services,
  defaults(svc) {
    svc.spec.type ??= 'ClusterIP';
  },
  controllerKinds: [],
  toApi(svc) {
    const copy = apiCopy(svc);
    apiMeta(copy);
    return copy;
  },
  columns: [
    { name: 'NAME', cell: (s) => s.metadata.name },
    { name: 'TYPE', cell: (s) => s.spec.type },
    { name: 'CLUSTER-IP', cell: (s) => clusterIp(objKey(s.metadata.namespace, s.metadata.name), s.spec.clusterIP) },
    {
      name: 'EXTERNAL-IP',
      cell: (s) => {
        const lb = s.status.loadBalancer.ingress?.map((i) => i.ip).join(',');
        return s.spec.type === 'LoadBalancer' ? (lb ? lb : '<pending>') : '<none>';
      },
    },
    { name: 'PORT(S)', cell: (s) => orNone(servicePortsText(s)) },
    { name: 'AGE', cell: (s, st) => humanDuration(st.t - s.metadata.creationTimestamp) },
    { name: 'SELECTOR', wide: true, cell: (s) => labelString(s.spec.selector) },
  ],
};
