/**
 * The kinds v1 ReplicationController, apps/v1 StatefulSet and apps/v1 DaemonSet: storage (optional maps
 * in the state, absent until the first object), defaulting (SetDefaults_ReplicationController: selector
 * and labels from the template; apps/v1 defaults.go: replicas 1, podManagementPolicy OrderedReady,
 * updateStrategy RollingUpdate (partition 0 / maxUnavailable 1), minReadySeconds 0), API serialisation and kubectl's columns (K pkg/printers/internalversion
 * printReplicationController, printStatefulSet, printDaemonSet).
 *
 * May import: ../types.ts, ./kind.ts, ./print.ts, ./serialize.ts.
 */
import type { DaemonSet, ReplicationController, StatefulSet } from '../types.ts';
import type { KindDef } from './kind.ts';
import { humanDuration, labelString } from './print.ts';
import { apiCopy, apiMeta } from './serialize.ts';

const EMPTY = Object.freeze({}) as Readonly<Record<string, never>>;

function toApi(obj: object): Record<string, unknown> {
  const copy = apiCopy(obj);
  apiMeta(copy);
  return copy;
}

/** (issue 6) A StatefulSet / DaemonSet as served: `spec.revisionHistoryLimit` defaulted to 10 (K apps/v1 defaults.go) when unset. */
function setToApi(obj: StatefulSet | DaemonSet): Record<string, unknown> {
  const copy = toApi(obj);
  const spec = copy['spec'] as Record<string, unknown>;
  spec['revisionHistoryLimit'] ??= 10;
  return copy;
}

/** The ReplicationController kind (`kubectl get rc`: NAME DESIRED CURRENT READY AGE). */
export const replicationControllerKind: KindDef<ReplicationController> = {
  apiVersion: 'v1',
  kind: 'ReplicationController',
  plural: 'replicationcontrollers',
  singular: 'replicationcontroller',
  shortNames: ['rc'],
  namespaced: true,
  store: (state) => state.replicationControllers ?? (EMPTY as Record<string, ReplicationController>),
  ensureStore: (state) => (state.replicationControllers ??= Object.create(null)),
  defaults(rc) {
    if (Object.keys(rc.spec.selector).length === 0) rc.spec.selector = { ...rc.spec.template.metadata.labels };
    if (Object.keys(rc.metadata.labels).length === 0) rc.metadata.labels = { ...rc.spec.template.metadata.labels };
    rc.spec.minReadySeconds ??= 0;
  },
  controllerKinds: [],
  toApi,
  columns: [
    { name: 'NAME', cell: (rc) => rc.metadata.name },
    { name: 'DESIRED', cell: (rc) => String(rc.spec.replicas) },
    { name: 'CURRENT', cell: (rc) => String(rc.status.replicas) },
    { name: 'READY', cell: (rc) => String(rc.status.readyReplicas) },
    { name: 'AGE', cell: (rc, s) => humanDuration(s.t - rc.metadata.creationTimestamp) },
    { name: 'CONTAINERS', wide: true, cell: (rc) => rc.spec.template.spec.containers.map((c) => c.name).join(',') },
    { name: 'IMAGES', wide: true, cell: (rc) => rc.spec.template.spec.containers.map((c) => c.image).join(',') },
    { name: 'SELECTOR', wide: true, cell: (rc) => labelString(rc.spec.selector) },
  ],
};

/** The StatefulSet kind (`kubectl get sts`: NAME READY AGE). */
export const statefulSetKind: KindDef<StatefulSet> = {
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  plural: 'statefulsets',
  singular: 'statefulset',
  shortNames: ['sts'],
  namespaced: true,
  store: (state) => state.statefulSets ?? (EMPTY as Record<string, StatefulSet>),
  ensureStore: (state) => (state.statefulSets ??= Object.create(null)),
  defaults(sts) {
    sts.spec.podManagementPolicy ??= 'OrderedReady';
    sts.spec.minReadySeconds ??= 0;
    sts.spec.updateStrategy ??= { type: 'RollingUpdate', rollingUpdate: { partition: 0 } };
    if (sts.spec.updateStrategy.type === 'RollingUpdate') sts.spec.updateStrategy.rollingUpdate ??= { partition: 0 };
  },
  controllerKinds: [],
  toApi: setToApi,
  columns: [
    { name: 'NAME', cell: (sts) => sts.metadata.name },
    { name: 'READY', cell: (sts) => `${sts.status.readyReplicas}/${sts.spec.replicas}` },
    { name: 'AGE', cell: (sts, s) => humanDuration(s.t - sts.metadata.creationTimestamp) },
    { name: 'CONTAINERS', wide: true, cell: (sts) => sts.spec.template.spec.containers.map((c) => c.name).join(',') },
    { name: 'IMAGES', wide: true, cell: (sts) => sts.spec.template.spec.containers.map((c) => c.image).join(',') },
  ],
};

/** The DaemonSet kind (`kubectl get ds`: NAME DESIRED CURRENT READY UP-TO-DATE AVAILABLE NODE SELECTOR AGE). */
export const daemonSetKind: KindDef<DaemonSet> = {
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  plural: 'daemonsets',
  singular: 'daemonset',
  shortNames: ['ds'],
  namespaced: true,
  store: (state) => state.daemonSets ?? (EMPTY as Record<string, DaemonSet>),
  ensureStore: (state) => (state.daemonSets ??= Object.create(null)),
  defaults(ds) {
    ds.spec.minReadySeconds ??= 0;
    ds.spec.updateStrategy ??= { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } };
    if (ds.spec.updateStrategy.type === 'RollingUpdate') ds.spec.updateStrategy.rollingUpdate ??= { maxUnavailable: 1 };
  },
  controllerKinds: [],
  toApi: setToApi,
  columns: [
    { name: 'NAME', cell: (ds) => ds.metadata.name },
    { name: 'DESIRED', cell: (ds) => String(ds.status.desiredNumberScheduled) },
    { name: 'CURRENT', cell: (ds) => String(ds.status.currentNumberScheduled) },
    { name: 'READY', cell: (ds) => String(ds.status.numberReady) },
    { name: 'UP-TO-DATE', cell: (ds) => String(ds.status.updatedNumberScheduled) },
    { name: 'AVAILABLE', cell: (ds) => String(ds.status.numberAvailable) },
    { name: 'NODE SELECTOR', cell: (ds) => labelString(ds.spec.template.spec.nodeSelector) },
    { name: 'AGE', cell: (ds, s) => humanDuration(s.t - ds.metadata.creationTimestamp) },
    // -o wide (K pkg/printers/internalversion/printers.go daemonSetColumnDefinitions, priority 1)
    { name: 'CONTAINERS', wide: true, cell: (ds) => ds.spec.template.spec.containers.map((c) => c.name).join(',') },
    { name: 'IMAGES', wide: true, cell: (ds) => ds.spec.template.spec.containers.map((c) => c.image).join(',') },
    { name: 'SELECTOR', wide: true, cell: (ds) => labelString(ds.spec.selector.matchLabels) },
  ],
};
