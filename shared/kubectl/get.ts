/**
 * `kubectl get TYPE [NAME...] [-o wide|name|json|yaml] [-l selector] [-A] [--show-labels]`: the table
 * printers of K pkg/printers/internalversion/printers.go (columns, `<none>`, AGE), over the sim state.
 *
 * May import: ../sim/* (read only), ./*.
 */
import type { Pod, SimState } from '../sim/types.ts';
import { nodeDisplayStatus, podDisplayStatus } from '../sim/status.ts';
import { simTimestamp } from '../sim/names.ts';
import { humanDuration, labelString, orNone, table, toYaml } from './format.ts';
import { KIND_PREFIX, UsageError, flagString, type ParsedArgs, type ResourceType } from './parse.ts';
import { clusterIp, inNamespace, nodeIp, podIp, podReadyColumn, restartsColumn, sortedNodes } from './cluster.ts';

/** Kubernetes version the nodes report (VERSION column). */
export const KUBELET_VERSION = 'v1.33.1';

type Row = { name: string; namespace: string; labels: Record<string, string>; cells: string[]; wide: string[]; obj: unknown };

/** Parses `-l` equality selectors: `a=b,c!=d,e` (exists), `!f` (not exists). @throws UsageError. */
export function parseSelector(text: string): (labels: Record<string, string>) => boolean {
  const tests: ((l: Record<string, string>) => boolean)[] = [];
  for (const part of text.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    let m: RegExpExecArray | null;
    if ((m = /^([\w./-]+)\s*!=\s*([\w.-]*)$/.exec(part))) {
      const [, k, v] = m;
      tests.push((l) => l[k!] !== v);
    } else if ((m = /^([\w./-]+)\s*==?\s*([\w.-]*)$/.exec(part))) {
      const [, k, v] = m;
      tests.push((l) => l[k!] === v);
    } else if ((m = /^!([\w./-]+)$/.exec(part))) {
      const k = m[1]!;
      tests.push((l) => !(k in l));
    } else if ((m = /^([\w./-]+)$/.exec(part))) {
      const k = m[1]!;
      tests.push((l) => k in l);
    } else {
      throw new UsageError(`error: unable to parse requirement: invalid label selector "${text}"`);
    }
  }
  return (labels) => tests.every((t) => t(labels));
}

/** The API view of a sim object: the `sim` block dropped, metadata timestamps as RFC 3339. */
export function apiObject(obj: object): Record<string, unknown> {
  const copy = structuredClone(obj) as Record<string, unknown>;
  delete copy['sim'];
  const meta = copy['metadata'] as Record<string, unknown> | undefined;
  if (meta) {
    if (typeof meta['creationTimestamp'] === 'number') meta['creationTimestamp'] = simTimestamp(meta['creationTimestamp']);
    if (typeof meta['deletionTimestamp'] === 'number') meta['deletionTimestamp'] = simTimestamp(meta['deletionTimestamp']);
    meta['resourceVersion'] = String(meta['resourceVersion']);
  }
  return copy;
}

function podRows(state: SimState, ns: string | null): Row[] {
  return inNamespace(state.pods, ns).map((p: Pod) => ({
    name: p.metadata.name,
    namespace: p.metadata.namespace,
    labels: p.metadata.labels,
    cells: [p.metadata.name, podReadyColumn(p), podDisplayStatus(p, state.t), restartsColumn(p, state.t), humanDuration(state.t - p.metadata.creationTimestamp)],
    wide: [podIp(state, p), orNone(p.spec.nodeName), '<none>', '<none>'],
    obj: p,
  }));
}

function nodeRows(state: SimState): Row[] {
  return sortedNodes(state).map((n) => ({
    name: n.metadata.name,
    namespace: '',
    labels: n.metadata.labels,
    cells: [n.metadata.name, nodeDisplayStatus(n), '<none>', humanDuration(state.t - n.metadata.creationTimestamp), KUBELET_VERSION],
    wide: [nodeIp(state, n.metadata.name), '<none>', 'Ubuntu 24.04.2 LTS', '6.8.0-60-generic', 'containerd://2.1.1'],
    obj: n,
  }));
}

function deploymentRows(state: SimState, ns: string | null): Row[] {
  return inNamespace(state.deployments, ns).map((d) => ({
    name: d.metadata.name,
    namespace: d.metadata.namespace,
    labels: d.metadata.labels,
    cells: [d.metadata.name, `${d.status.readyReplicas}/${d.spec.replicas}`, String(d.status.updatedReplicas), String(d.status.availableReplicas), humanDuration(state.t - d.metadata.creationTimestamp)],
    wide: [d.spec.template.spec.containers.map((c) => c.name).join(','), d.spec.template.spec.containers.map((c) => c.image).join(','), labelString(d.spec.selector.matchLabels)],
    obj: d,
  }));
}

function replicaSetRows(state: SimState, ns: string | null): Row[] {
  return inNamespace(state.replicaSets, ns).map((rs) => ({
    name: rs.metadata.name,
    namespace: rs.metadata.namespace,
    labels: rs.metadata.labels,
    cells: [rs.metadata.name, String(rs.spec.replicas), String(rs.status.replicas), String(rs.status.readyReplicas), humanDuration(state.t - rs.metadata.creationTimestamp)],
    wide: [rs.spec.template.spec.containers.map((c) => c.name).join(','), rs.spec.template.spec.containers.map((c) => c.image).join(','), labelString(rs.spec.selector.matchLabels)],
    obj: rs,
  }));
}

function serviceRows(state: SimState, ns: string | null): Row[] {
  return inNamespace(state.services, ns).map((s) => {
    const key = `${s.metadata.namespace}/${s.metadata.name}`;
    const ports = s.spec.ports.map((p) => `${p.port}${p.nodePort !== undefined && s.spec.type !== 'ClusterIP' ? `:${p.nodePort}` : ''}/${p.protocol ?? 'TCP'}`).join(',');
    const lb = s.status.loadBalancer.ingress?.map((i) => i.ip).join(',');
    const external = s.spec.type === 'LoadBalancer' ? (lb ? lb : '<pending>') : '<none>';
    return {
      name: s.metadata.name,
      namespace: s.metadata.namespace,
      labels: s.metadata.labels,
      cells: [s.metadata.name, s.spec.type, clusterIp(key, s.spec.clusterIP), external, orNone(ports), humanDuration(state.t - s.metadata.creationTimestamp)],
      wide: [labelString(s.spec.selector)],
      obj: s,
    };
  });
}

function endpointRows(state: SimState, ns: string | null): Row[] {
  return inNamespace(state.endpoints, ns).map((e) => {
    const svc = state.services[`${e.metadata.namespace}/${e.metadata.name}`];
    const port = svc?.spec.ports[0];
    const target = port ? (typeof port.targetPort === 'number' ? port.targetPort : port.port) : undefined;
    const addrs: string[] = [];
    for (const ep of e.endpoints) {
      if (!ep.conditions.ready || ep.conditions.terminating) continue;
      const pod = state.pods[`${e.metadata.namespace}/${ep.targetRef.name}`];
      if (pod) addrs.push(target === undefined ? podIp(state, pod) : `${podIp(state, pod)}:${target}`);
    }
    const shown = addrs.length > 3 ? `${addrs.slice(0, 3).join(',')} + ${addrs.length - 3} more...` : addrs.length === 0 ? '<none>' : addrs.join(',');
    return {
      name: e.metadata.name,
      namespace: e.metadata.namespace,
      labels: e.metadata.labels,
      cells: [e.metadata.name, shown, humanDuration(state.t - e.metadata.creationTimestamp)],
      wide: [],
      obj: e,
    };
  });
}

const HEADERS: Record<Exclude<ResourceType, 'events'>, { cols: string[]; wide: string[] }> = {
  pods: { cols: ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE'], wide: ['IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES'] },
  nodes: { cols: ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION'], wide: ['INTERNAL-IP', 'EXTERNAL-IP', 'OS-IMAGE', 'KERNEL-VERSION', 'CONTAINER-RUNTIME'] },
  deployments: { cols: ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE'], wide: ['CONTAINERS', 'IMAGES', 'SELECTOR'] },
  replicasets: { cols: ['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE'], wide: ['CONTAINERS', 'IMAGES', 'SELECTOR'] },
  services: { cols: ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE'], wide: ['SELECTOR'] },
  endpoints: { cols: ['NAME', 'ENDPOINTS', 'AGE'], wide: [] },
};

/** Resource names used in NotFound errors (`pods "x" not found`, `deployments.apps "x" not found`). */
export const API_RESOURCE: Record<ResourceType, string> = {
  pods: 'pods',
  nodes: 'nodes',
  deployments: 'deployments.apps',
  replicasets: 'replicasets.apps',
  services: 'services',
  endpoints: 'endpoints',
  events: 'events',
};

/** `kubectl get all`: pods, services, deployments and replicasets, names prefixed with their type. @throws UsageError like {@link getResources}. */
export function getAll(state: SimState, ns: string | null, args: ParsedArgs): string {
  const types: Exclude<ResourceType, 'events'>[] = ['pods', 'services', 'deployments', 'replicasets'];
  const parts = types.map((t) => getResources(state, t, [], ns, args, true)).filter((p) => !p.startsWith('No resources found'));
  return parts.length === 0 ? `No resources found in ${ns ?? 'any'} namespace.` : parts.join('\n\n');
}

/**
 * `kubectl get events` (LAST SEEN TYPE REASON OBJECT MESSAGE), oldest first; `--for TYPE/NAME` filters;
 * `-o json|yaml` prints a v1 List. @throws UsageError on a malformed `--for`.
 */
export function getEvents(state: SimState, ns: string | null, forObject: string | undefined, output: string | undefined): string {
  let kindFilter: string | null = null;
  let nameFilter: string | null = null;
  if (forObject !== undefined) {
    const slash = forObject.indexOf('/');
    if (slash < 0) throw new UsageError(`error: --for must be in resource/name form`);
    const type = forObject.slice(0, slash).toLowerCase();
    const kinds: Record<string, string> = { pod: 'Pod', pods: 'Pod', po: 'Pod', node: 'Node', nodes: 'Node', no: 'Node', deployment: 'Deployment', deploy: 'Deployment', deployments: 'Deployment', rs: 'ReplicaSet', replicaset: 'ReplicaSet', svc: 'Service', service: 'Service' };
    kindFilter = kinds[type] ?? null;
    if (kindFilter === null) throw new UsageError(`error: the server doesn't have a resource type "${type}"`);
    nameFilter = forObject.slice(slash + 1);
  }
  const events = state.events.filter(
    (e) =>
      (ns === null || e.object.namespace === ns || (e.object.namespace === '' && ns === 'default')) &&
      (kindFilter === null || (e.object.kind === kindFilter && e.object.name === nameFilter)),
  );
  if (events.length === 0) return ns === null ? 'No resources found' : `No resources found in ${ns} namespace.`;
  if (output === 'json' || output === 'yaml') {
    const items = events.map((e) => ({ apiVersion: 'v1', kind: 'Event', type: e.type, reason: e.reason, message: e.message, involvedObject: e.object, source: { component: e.source }, lastTimestamp: simTimestamp(e.t) }));
    const list = { apiVersion: 'v1', kind: 'List', items };
    return output === 'json' ? JSON.stringify(list, null, 4) : toYaml(list);
  }
  const headers = ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE'];
  const rows = events.map((e) => [humanDuration(state.t - e.t), e.type, e.reason, `${e.object.kind.toLowerCase()}/${e.object.name}`, e.message]);
  return table(ns === null ? ['NAMESPACE', ...headers] : headers, ns === null ? rows.map((r, i) => [events[i]!.object.namespace || 'default', ...r]) : rows);
}

/** `kubectl get` for table types. @throws UsageError on a bad selector or output format. */
export function getResources(state: SimState, type: Exclude<ResourceType, 'events'>, names: string[], ns: string | null, args: ParsedArgs, prefixNames = false): string {
  const output = flagString(args, 'output');
  if (output !== undefined && !['wide', 'name', 'json', 'yaml'].includes(output)) {
    throw new UsageError(`error: unable to match a printer suitable for the output format "${output}", allowed formats are: json,name,wide,yaml`);
  }
  let rows: Row[];
  switch (type) {
    case 'pods': rows = podRows(state, ns); break;
    case 'nodes': rows = nodeRows(state); break;
    case 'deployments': rows = deploymentRows(state, ns); break;
    case 'replicasets': rows = replicaSetRows(state, ns); break;
    case 'services': rows = serviceRows(state, ns); break;
    case 'endpoints': rows = endpointRows(state, ns); break;
  }
  const selector = flagString(args, 'selector');
  if (selector !== undefined) {
    const match = parseSelector(selector);
    rows = rows.filter((r) => match(r.labels));
  }
  const errors: string[] = [];
  if (names.length > 0) {
    const picked: Row[] = [];
    for (const n of names) {
      const r = rows.find((x) => x.name === n);
      if (r) picked.push(r);
      else errors.push(`Error from server (NotFound): ${API_RESOURCE[type]} "${n}" not found`);
    }
    rows = picked;
  }
  let body = '';
  if (rows.length === 0 && names.length === 0) {
    body = type === 'nodes' || ns === null ? 'No resources found' : `No resources found in ${ns} namespace.`;
  } else if (rows.length > 0) {
    if (output === 'name') body = rows.map((r) => `${KIND_PREFIX[type]}/${r.name}`).join('\n');
    else if (output === 'json' || output === 'yaml') {
      const items = rows.map((r) => apiObject(r.obj as object));
      const doc = names.length === 1 && items.length === 1 ? items[0] : { apiVersion: 'v1', kind: 'List', items, metadata: { resourceVersion: '' } };
      body = output === 'json' ? JSON.stringify(doc, null, 4) : toYaml(doc);
    } else {
      const h = HEADERS[type];
      const wide = output === 'wide';
      const showLabels = args.flags['show-labels'] === true;
      const allNs = ns === null && type !== 'nodes';
      const headers = [...(allNs ? ['NAMESPACE'] : []), ...h.cols, ...(wide ? h.wide : []), ...(showLabels ? ['LABELS'] : [])];
      const cells = rows.map((r) => {
        const own = prefixNames ? [`${KIND_PREFIX[type]}/${r.cells[0]}`, ...r.cells.slice(1)] : r.cells;
        return [...(allNs ? [r.namespace] : []), ...own, ...(wide ? r.wide : []), ...(showLabels ? [labelString(r.labels)] : [])];
      });
      body = table(headers, cells);
    }
  }
  return [body, ...errors].filter((s) => s !== '').join('\n');
}
