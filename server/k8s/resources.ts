/**
 * The resources the per-team Kubernetes API serves: the kind registry's kinds (shared/sim/kinds: API
 * serialisation `toApi`, kubectl printer columns) plus Events (./events.ts: core/v1 and events.k8s.io/v1, from `state.events`) and
 * Namespaces (derived from the objects' namespaces), each with its REST names, verbs, and the cells
 * of its `meta.k8s.io/v1` Table rows.
 *
 * Lists are ordered by namespace then name (the API server's etcd key order). Units: `state.t` and
 * every sim time in sim seconds; served timestamps RFC 3339 from the sim's fixed epoch.
 *
 * May import: shared/sim (read only: kinds, names, types, print helpers).
 */
import { KINDS, type KindDef, type KubeObject, type PrinterColumn } from '../../shared/sim/kinds/index.ts';
import { endpointSliceKind, endpointsViewColumns } from '../../shared/sim/kinds/endpointslice.ts';
import { humanDuration } from '../../shared/sim/kinds/print.ts';
import { simTimestamp } from '../../shared/sim/names.ts';
import { coreEventResource, eventsV1Resource } from './events.ts';
import { nodeMetricsResource, podMetricsResource } from './metricsApi.ts';
import type { EndpointSlice, SimState } from '../../shared/sim/types.ts';

/** A Table column (meta.k8s.io/v1 TableColumnDefinition). Priority 1 = only with `-o wide`. */
export interface ColumnDef {
  name: string;
  type: 'string';
  format: '' | 'name';
  description: string;
  priority: 0 | 1;
}

/** One served object: its identity, its API form and its Table cells (both computed on demand). */
export interface Entry {
  name: string;
  /** '' for cluster-scoped objects. */
  namespace: string;
  labels: Record<string, string>;
  api(): Record<string, unknown>;
  /** Table cells (strings; an Event's COUNT an integer, as the API server's printer sends it). */
  cells(): (string | number)[];
}

/** A subresource in discovery (`deployments/scale`). */
export interface Subresource {
  name: string;
  group: string;
  version: string;
  kind: string;
  verbs: readonly string[];
}

/** A served REST resource. */
export interface Resource {
  /** '' for core. */
  group: string;
  version: string;
  kind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: readonly string[];
  categories: readonly string[];
  verbs: readonly string[];
  subresources: readonly Subresource[];
  columns: readonly ColumnDef[];
  /** Every object, or those of namespace `ns` (ignored for cluster-scoped resources). */
  entries(state: SimState, ns: string | null): Entry[];
  /** The change-log kind whose changes move this resource (default `kind`; Endpoints: `EndpointSlice`). */
  changeKind?: string;
  /** The object stored under `key` (`namespace/name`, or the name), for watch; undefined when gone or not looked up by key. */
  lookup(state: SimState, key: string): Entry | undefined;
  /**
   * Resources read from the event log rather than the change log (Events): the objects changed by log
   * entries after sequence number `seq` (in `ns`, or all), and the log's newest `seq`; watch polls it.
   */
  eventsSince?(state: SimState, seq: number, ns: string | null): { entries: Entry[]; lastSeq: number };
}

/** `group/version`, or `v1` for core. */
export function groupVersion(r: { group: string; version: string }): string {
  return r.group === '' ? r.version : `${r.group}/${r.version}`;
}

/** `pods`, `deployments.apps`: the resource as error messages name it. */
export function qualified(r: Resource): string {
  return r.group === '' ? r.plural : `${r.plural}.${r.group}`;
}

function byNamespaceThenName(a: Entry, b: Entry): number {
  if (a.namespace !== b.namespace) return a.namespace < b.namespace ? -1 : 1;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

function columnDefs(cols: readonly { name: string; wide?: boolean }[]): ColumnDef[] {
  return cols.map((c, i) => ({ name: c.name, type: 'string', format: i === 0 ? 'name' : '', description: c.name, priority: c.wide ? 1 : 0 }));
}

/** Per-kind REST verbs and subresources this API implements (the rest answer 405). */
const WRITES: Record<string, { verbs: readonly string[]; subresources?: readonly Subresource[]; categories?: readonly string[] }> = {
  Pod: {
    verbs: ['delete', 'get', 'list', 'patch'],
    categories: ['all'],
    subresources: [
      { name: 'eviction', group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] },
      { name: 'log', group: '', version: 'v1', kind: 'Pod', verbs: ['get'] },
    ],
  },
  Node: { verbs: ['get', 'list', 'patch'] },
  Deployment: {
    verbs: ['create', 'delete', 'get', 'list', 'patch'],
    categories: ['all'],
    subresources: [{ name: 'scale', group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] }],
  },
  ReplicaSet: { verbs: ['delete', 'get', 'list'], categories: ['all'] },
  // the `all` category of kubectl get all (K pkg/registry/*/rest storage: ShortNames/Categories)
  ReplicationController: { verbs: ['get', 'list'], categories: ['all'] },
  StatefulSet: { verbs: ['create', 'delete', 'get', 'list', 'patch', 'update'], categories: ['all'] },
  DaemonSet: { verbs: ['create', 'delete', 'get', 'list', 'patch', 'update'], categories: ['all'] },
  Job: { verbs: ['create', 'delete', 'get', 'list', 'patch', 'update'], categories: ['all'] },
  CronJob: { verbs: ['create', 'delete', 'get', 'list', 'patch', 'update'], categories: ['all'] },
  Service: { verbs: ['create', 'delete', 'get', 'list', 'patch'], categories: ['all'] },
  // kubectl autoscale (POST) and patch of the spec fields the game models (./writes.ts policyActions).
  HorizontalPodAutoscaler: { verbs: ['create', 'delete', 'get', 'list', 'patch'], categories: ['all'] },
  PodDisruptionBudget: { verbs: ['create', 'delete', 'get', 'list', 'patch'] },
  ResourceQuota: { verbs: ['create', 'delete', 'get', 'list', 'patch'] },
  LimitRange: { verbs: ['create', 'delete', 'get', 'list', 'patch', 'update'] },
  // (added, issue 6) created Bound by the sim (shared/sim/kinds/pvc.ts)
  PersistentVolumeClaim: { verbs: ['create', 'get', 'list'] },
  // (issue 6) stored objects: kubectl create configmap / secret generic, apply -f, delete
  ConfigMap: { verbs: ['create', 'delete', 'get', 'list', 'patch', 'update'] },
  Secret: { verbs: ['create', 'delete', 'get', 'list', 'patch', 'update'] },
  // derived from the sim's heartbeat and leader-election state (shared/sim/kinds/lease.ts): read-only
  Lease: { verbs: ['get', 'list', 'watch'] },
};

/**
 * Kinds with a `status` subresource on a real API server: served read-only here (GET answers the whole
 * object, as the API server does; the game's controllers own status, so its writes are 405).
 */
const STATUS_KINDS: ReadonlySet<string> = new Set(['Pod', 'Node', 'Service', 'Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'ResourceQuota', 'Job', 'CronJob', 'ReplicationController']);

function fromKind(def: KindDef): Resource {
  const slash = def.apiVersion.indexOf('/');
  const group = slash < 0 ? '' : def.apiVersion.slice(0, slash);
  const version = slash < 0 ? def.apiVersion : def.apiVersion.slice(slash + 1);
  const cols = def.columns as readonly PrinterColumn<KubeObject>[];
  const w = WRITES[def.kind];
  return {
    group,
    version,
    kind: def.kind,
    plural: def.plural,
    singular: def.singular,
    namespaced: def.namespaced,
    shortNames: def.shortNames,
    categories: w?.categories ?? [],
    verbs: w?.verbs ?? ['get', 'list'],
    subresources: [...(w?.subresources ?? []), ...(STATUS_KINDS.has(def.kind) ? [{ name: 'status', group, version, kind: def.kind, verbs: ['get'] }] : [])].sort((a, b) => (a.name < b.name ? -1 : 1)),
    columns: columnDefs(cols),
    entries(state, ns) {
      const out: Entry[] = [];
      for (const obj of Object.values(def.store(state))) {
        if (def.namespaced && ns !== null && obj.metadata.namespace !== ns) continue;
        out.push(entry(obj, state));
      }
      return out.sort(byNamespaceThenName);
    },
    lookup(state, key) {
      const store = def.store(state);
      const obj = Object.hasOwn(store, key) ? store[key] : undefined;
      return obj ? entry(obj, state) : undefined;
    },
  };
  function entry(obj: KubeObject, state: SimState): Entry {
    return {
      name: obj.metadata.name,
      namespace: def.namespaced ? obj.metadata.namespace : '',
      labels: obj.metadata.labels,
      api: () => def.toApi(obj, state),
      cells: () => cols.map((c) => c.cell(obj, state)),
    };
  }
}

/** The v1 Endpoints view of an EndpointSlice (one slice per Service, same name): ready and not-ready addresses. */
function endpointsApi(slice: EndpointSlice): Record<string, unknown> {
  const meta = slice.metadata;
  const addresses: Record<string, unknown>[] = [];
  const notReady: Record<string, unknown>[] = [];
  for (const ep of slice.endpoints) {
    if (ep.conditions.terminating) continue;
    for (const ip of ep.addresses) (ep.conditions.ready ? addresses : notReady).push({ ip, nodeName: ep.nodeName, targetRef: { ...ep.targetRef } });
  }
  const subset: Record<string, unknown> = { ports: slice.ports.map((p) => ({ ...p })) };
  if (addresses.length > 0) subset['addresses'] = addresses;
  if (notReady.length > 0) subset['notReadyAddresses'] = notReady;
  return {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: meta.name, namespace: meta.namespace, uid: `${meta.uid}-endpoints`, resourceVersion: String(meta.resourceVersion), creationTimestamp: simTimestamp(meta.creationTimestamp), labels: { ...meta.labels } },
    subsets: addresses.length + notReady.length > 0 ? [subset] : [],
  };
}

/** core/v1 Endpoints, derived from the EndpointSlices (kubectl get endpoints: NAME ENDPOINTS AGE). */
const endpointsResource: Resource = (() => {
  const cols = endpointsViewColumns;
  const entry = (slice: EndpointSlice, state: SimState): Entry => ({
    name: slice.metadata.name,
    namespace: slice.metadata.namespace,
    labels: slice.metadata.labels,
    api: () => endpointsApi(slice),
    cells: () => cols.map((c) => c.cell(slice, state)),
  });
  return {
    group: '',
    version: 'v1',
    kind: 'Endpoints',
    changeKind: 'EndpointSlice',
    plural: 'endpoints',
    singular: 'endpoints',
    namespaced: true,
    shortNames: ['ep'],
    categories: [],
    verbs: ['get', 'list'],
    subresources: [],
    columns: columnDefs(cols),
    entries(state, ns) {
      const out: Entry[] = [];
      for (const slice of Object.values(endpointSliceKind.store(state))) if (ns === null || slice.metadata.namespace === ns) out.push(entry(slice, state));
      return out.sort(byNamespaceThenName);
    },
    lookup(state, key) {
      const store = endpointSliceKind.store(state);
      return Object.hasOwn(store, key) ? entry(store[key]!, state) : undefined;
    },
  };
})();

/** Namespaces every cluster has, besides those its objects use. */
const BUILT_IN_NAMESPACES = ['default', 'kube-node-lease', 'kube-public', 'kube-system'];

const namespaceResource: Resource = {
  group: '',
  version: 'v1',
  kind: 'Namespace',
  plural: 'namespaces',
  singular: 'namespace',
  namespaced: false,
  shortNames: ['ns'],
  categories: [],
  verbs: ['get', 'list'],
  subresources: [],
  columns: columnDefs([{ name: 'NAME' }, { name: 'STATUS' }, { name: 'AGE' }]),
  entries(state) {
    const names = new Set(BUILT_IN_NAMESPACES);
    for (const def of KINDS) {
      if (!def.namespaced) continue;
      for (const obj of Object.values(def.store(state))) names.add(obj.metadata.namespace);
    }
    return [...names].sort().map((name) => ({
      name,
      namespace: '',
      labels: { 'kubernetes.io/metadata.name': name },
      api: () => ({
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name, uid: `namespace-${name}`, resourceVersion: '1', creationTimestamp: simTimestamp(0), labels: { 'kubernetes.io/metadata.name': name } },
        spec: { finalizers: ['kubernetes'] },
        status: { phase: 'Active' },
      }),
      cells: () => [name, 'Active', humanDuration(state.t)],
    }));
  },
  lookup: () => undefined,
};

/** Every served resource: the registry's kinds, then Endpoints, Events (core/v1), Namespaces, metrics.k8s.io and events.k8s.io/v1 Events (./events.ts). */
export const RESOURCES: readonly Resource[] = [...KINDS.map(fromKind), endpointsResource, coreEventResource, namespaceResource, podMetricsResource, nodeMetricsResource, eventsV1Resource];

/**
 * The field labels each resource's list accepts in `fieldSelector` -> the served object's dotted path
 * they read (kubernetes pkg/registry/.../strategy.go `ToSelectableFields`/`GetAttrs`, and the
 * events.k8s.io/v1 field label conversion): every resource has `metadata.name` (and
 * `metadata.namespace` when namespaced); anything else is 400 `field label not supported: LABEL`.
 */
const FIELD_LABELS: Readonly<Record<string, readonly (string | readonly [string, string])[]>> = {
  '/pods': ['spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName', 'spec.hostNetwork', 'status.phase', 'status.podIP', 'status.podIPs', 'status.nominatedNodeName'],
  '/nodes': ['spec.unschedulable'],
  '/namespaces': ['status.phase'],
  '/events': ['involvedObject.kind', 'involvedObject.namespace', 'involvedObject.name', 'involvedObject.uid', 'involvedObject.apiVersion', 'involvedObject.resourceVersion', 'involvedObject.fieldPath', 'reason', 'reportingComponent', ['source', 'source.component'], 'type'],
  'events.k8s.io/events': ['regarding.kind', 'regarding.namespace', 'regarding.name', 'regarding.uid', 'regarding.apiVersion', 'regarding.resourceVersion', 'regarding.fieldPath', 'reason', 'reportingController', 'type'],
  'apps/replicasets': ['status.replicas'],
  'batch/jobs': ['status.successful'],
};

/** The field labels `r` supports in field selectors, with the path each reads (see {@link FIELD_LABELS}). */
export function fieldLabels(r: Resource): ReadonlyMap<string, string> {
  const m = new Map<string, string>([['metadata.name', 'metadata.name']]);
  if (r.namespaced) m.set('metadata.namespace', 'metadata.namespace');
  for (const f of FIELD_LABELS[`${r.group}/${r.plural}`] ?? []) {
    if (typeof f === 'string') m.set(f, f);
    else m.set(f[0], f[1]);
  }
  return m;
}

/** Group versions served, in discovery order: core `v1` first, then the groups in first-seen order. */
export const GROUP_VERSIONS: readonly { group: string; version: string }[] = (() => {
  const seen = new Map<string, { group: string; version: string }>();
  for (const r of RESOURCES) if (!seen.has(groupVersion(r))) seen.set(groupVersion(r), { group: r.group, version: r.version });
  return [...seen.values()].sort((a, b) => (a.group === '' ? -1 : b.group === '' ? 1 : 0));
})();

/** The resource `plural` of `group/version`, or undefined. */
export function findResource(group: string, version: string, plural: string): Resource | undefined {
  // `kubectl autoscale` posts an autoscaling/v1 HPA: served by the autoscaling/v2 resource (./routes.ts
  // answers that create in the v1 shape).
  if (group === 'autoscaling' && version === 'v1' && plural === 'horizontalpodautoscalers') version = 'v2';
  return RESOURCES.find((r) => r.group === group && r.version === version && r.plural === plural);
}
