/**
 * The ReplicaSet kind (apps/v1): storage `state.replicaSets`, controlled by Deployments, API
 * serialisation and kubectl's columns (printReplicaSet).
 *
 * May import: ../types.ts, ./kind.ts, ./print.ts, ./serialize.ts.
 */
import type { ReplicaSet } from '../types.ts';
import type { KindDef } from './kind.ts';
import { humanDuration, labelString } from './print.ts';
import { apiCopy, apiMeta } from './serialize.ts';

/** The ReplicaSet kind. */
export const replicaSetKind: KindDef<ReplicaSet> = {
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  plural: 'replicasets',
  singular: 'replicaset',
  shortNames: ['rs'],
  namespaced: true,
  store: (state) => state.replicaSets,
  defaults(rs) {
    rs.spec.minReadySeconds ??= 0;
  },
  controllerKinds: ['Deployment'],
  toApi(rs) {
    const copy = apiCopy(rs);
    apiMeta(copy);
    return copy;
  },
  columns: [
    { name: 'NAME', cell: (rs) => rs.metadata.name },
    { name: 'DESIRED', cell: (rs) => String(rs.spec.replicas) },
    { name: 'CURRENT', cell: (rs) => String(rs.status.replicas) },
    { name: 'READY', cell: (rs) => String(rs.status.readyReplicas) },
    { name: 'AGE', cell: (rs, s) => humanDuration(s.t - rs.metadata.creationTimestamp) },
    { name: 'CONTAINERS', wide: true, cell: (rs) => rs.spec.template.spec.containers.map((c) => c.name).join(',') },
    { name: 'IMAGES', wide: true, cell: (rs) => rs.spec.template.spec.containers.map((c) => c.image).join(',') },
    { name: 'SELECTOR', wide: true, cell: (rs) => labelString(rs.spec.selector.matchLabels) },
  ],
};
