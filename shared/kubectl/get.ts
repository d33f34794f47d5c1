/**
 * `kubectl get TYPE [NAME...] [-o wide|name|json|yaml] [-l selector] [-A] [--show-labels]`: the table
 * printers of K pkg/printers/internalversion/printers.go (columns, `<none>`, AGE), over the sim state.
 * Columns and API serialisation come from the kind registry (shared/sim/kinds): a new kind brings its own.
 *
 * May import: ../sim/* (read only), ./*.
 */
import type { SimState } from '../sim/types.ts';
import { simTimestamp } from '../sim/names.ts';
import { latestOfSeries } from '../sim/events.ts';
import { deploymentKind, endpointSliceKind, kindForResource, nodeKind, podKind, replicaSetKind, serviceKind, toApi, type KindDef, type KubeObject, type PrinterColumn } from '../sim/kinds/index.ts';
import { endpointsViewColumns } from '../sim/kinds/endpointslice.ts';
import { humanDuration, labelString, omitEmpty, table, toYaml } from './format.ts';
import { KIND_PREFIX, UsageError, flagString, type ParsedArgs, type ResourceType } from './parse.ts';
import { inNamespace } from './cluster.ts';
import { JsonPathError, evaluate, parseExpression, printValue, runJsonPath } from './jsonpath.ts';

export { KUBELET_VERSION } from '../sim/kinds/node.ts';

type Row = { name: string; namespace: string; labels: Record<string, string>; cells: string[]; wide: string[]; obj: unknown };

/** Parses `-l` equality selectors: `a=b,c!=d,e` (exists), `!f` (not exists). @throws UsageError. */
export function parseSelector(text: string): (labels: Record<string, string>) => boolean {
  const tests: ((l: Record<string, string>) => boolean)[] = [];
  for (const part of text.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    let m: RegExpExecArray | null;
    if ((m = /^([\w./-]+)\s*!=\s*([\w.-]*)$/.exec(part))) {
      const [, k, v] = m;
      tests.push((l) => (Object.hasOwn(l, k!) ? l[k!] : undefined) !== v);
    } else if ((m = /^([\w./-]+)\s*==?\s*([\w.-]*)$/.exec(part))) {
      const [, k, v] = m;
      tests.push((l) => Object.hasOwn(l, k!) && l[k!] === v);
    } else if ((m = /^!([\w./-]+)$/.exec(part))) {
      const k = m[1]!;
      tests.push((l) => !Object.hasOwn(l, k));
    } else if ((m = /^([\w./-]+)$/.exec(part))) {
      const k = m[1]!;
      tests.push((l) => Object.hasOwn(l, k));
    } else {
      throw new UsageError(`error: unable to parse requirement: invalid label selector "${text}"`);
    }
  }
  return (labels) => tests.every((t) => t(labels));
}

/**
 * The API view of a sim object: its kind's `toApi` (shared/sim/kinds: no `sim` block, every time field
 * RFC 3339 from the fixed epoch, resourceVersion a string).
 */
export function apiObject(obj: object, state: SimState): Record<string, unknown> {
  return toApi(obj as KubeObject, state);
}

/** The registered kind behind each table type (`endpoints` is the v1 Endpoints view of EndpointSlices). */
const KIND_OF: Record<Exclude<ResourceType, 'events'>, KindDef> = {
  pods: podKind as unknown as KindDef,
  nodes: nodeKind as unknown as KindDef,
  deployments: deploymentKind as unknown as KindDef,
  replicasets: replicaSetKind as unknown as KindDef,
  services: serviceKind as unknown as KindDef,
  endpoints: endpointSliceKind as unknown as KindDef,
};

/** The printer columns of a table type (the kind's own, or the Endpoints view). */
function columnsOf(type: Exclude<ResourceType, 'events'>): readonly PrinterColumn<KubeObject>[] {
  return type === 'endpoints' ? (endpointsViewColumns as unknown as readonly PrinterColumn<KubeObject>[]) : KIND_OF[type].columns;
}

/** Rows of a kind from its store and printer columns; cluster-scoped kinds ignore `ns`. */
function rowsOf(state: SimState, def: KindDef, cols: readonly PrinterColumn<KubeObject>[], ns: string | null): Row[] {
  return inNamespace(def.store(state), def.namespaced ? ns : null).map((o) => ({
    name: o.metadata.name,
    namespace: o.metadata.namespace,
    labels: o.metadata.labels,
    cells: cols.filter((c) => !c.wide).map((c) => c.cell(o, state)),
    wide: cols.filter((c) => c.wide).map((c) => c.cell(o, state)),
    obj: o,
  }));
}

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

/**
 * The `all` category in the order kubectl 1.32 prints it against a real API server (discovery order:
 * the core group's resources alphabetically, then apps, autoscaling, batch): pods,
 * replicationcontrollers, services, daemonsets, deployments, replicasets, statefulsets,
 * horizontalpodautoscalers, cronjobs, jobs. Source: the `Categories()` of each kind's REST storage
 * (K pkg/registry/{core,apps,autoscaling,batch}/.../storage.go) and kubectl's category expansion.
 */
export const ALL_CATEGORY: readonly string[] = ['pods', 'replicationcontrollers', 'services', 'daemonsets', 'deployments', 'replicasets', 'statefulsets', 'horizontalpodautoscalers', 'cronjobs', 'jobs'];

/**
 * `kubectl get all`: each kind of {@link ALL_CATEGORY} that has objects, names prefixed with their type
 * (`pod/x`, `deployment.apps/web`, `horizontalpodautoscaler.autoscaling/web`, `job.batch/migrate`),
 * tables separated by a blank line; `-A` adds NAMESPACE, `-o wide` the wide columns; nothing:
 * `No resources found in NS namespace.` (`No resources found` with `-A`). @throws UsageError like {@link getResources}.
 */
export function getAll(state: SimState, ns: string | null, args: ParsedArgs): string {
  const output = flagString(args, 'output');
  if (output === 'json' || output === 'yaml') {
    // one v1 List of every kind's objects, as kubectl prints several types with -o json|yaml
    const selector = flagString(args, 'selector');
    const match = selector === undefined ? () => true : parseSelector(selector);
    const items = ALL_CATEGORY.flatMap((word) => {
      const def = kindForResource(word);
      return def ? inNamespace(def.store(state), def.namespaced ? ns : null).filter((o) => match(o.metadata.labels)).map((o) => apiObject(o, state)) : [];
    });
    if (items.length === 0) return ns === null ? 'No resources found' : `No resources found in ${ns} namespace.`;
    const list = omitEmpty({ apiVersion: 'v1', kind: 'List', items, metadata: { resourceVersion: '' } });
    return output === 'json' ? JSON.stringify(list, null, 4) : toYaml(list);
  }
  const parts = ALL_CATEGORY.map((word) => {
    const alias = word === 'pods' || word === 'services' || word === 'deployments' || word === 'replicasets' ? word : undefined;
    if (alias !== undefined) return getResources(state, alias, [], ns, args, true);
    const def = kindForResource(word);
    return def ? getKindResources(state, def, [], ns, args, true) : '';
  }).filter((p) => p !== '' && !p.startsWith('No resources found'));
  if (parts.length === 0) return ns === null ? 'No resources found' : `No resources found in ${ns} namespace.`;
  return parts.join(output === 'name' ? '\n' : '\n\n');
}

/**
 * `kubectl get events` (LAST SEEN TYPE REASON OBJECT MESSAGE), one row per Event object (the newest
 * entry of each series, shared/sim/events.ts `latestOfSeries`), by last occurrence; LAST SEEN of a
 * repeated event reads `2m (x7 over 5m)` (K pkg/printers/internalversion/printers.go printEvent);
 * `--for TYPE/NAME` filters; `-o json|yaml` prints a v1 List with `count`, `firstTimestamp`,
 * `lastTimestamp`. @throws UsageError on a malformed `--for`.
 */
export function getEvents(state: SimState, ns: string | null, forObject: string | undefined, output: string | undefined): string {
  let kindFilter: string | null = null;
  let nameFilter: string | null = null;
  if (forObject !== undefined) {
    const slash = forObject.indexOf('/');
    if (slash < 0) throw new UsageError(`error: --for must be in resource/name form`);
    const type = forObject.slice(0, slash).toLowerCase();
    const kinds: Record<string, string> = { pod: 'Pod', pods: 'Pod', po: 'Pod', node: 'Node', nodes: 'Node', no: 'Node', deployment: 'Deployment', deploy: 'Deployment', deployments: 'Deployment', rs: 'ReplicaSet', replicaset: 'ReplicaSet', svc: 'Service', service: 'Service' };
    // any registered kind by its kubectl spellings (job/x, sts/x, cj/x, pdb/x, quota/x...)
    kindFilter = Object.hasOwn(kinds, type) ? kinds[type]! : (kindForResource(type)?.kind ?? null);
    if (kindFilter === null) throw new UsageError(`error: the server doesn't have a resource type "${type}"`);
    nameFilter = forObject.slice(slash + 1);
  }
  const events = latestOfSeries(state.events.filter(
    (e) =>
      (ns === null || e.object.namespace === ns || (e.object.namespace === '' && ns === 'default')) &&
      (kindFilter === null || (e.object.kind === kindFilter && e.object.name === nameFilter)),
  ));
  if (events.length === 0) return ns === null ? 'No resources found' : `No resources found in ${ns} namespace.`;
  if (output === 'json' || output === 'yaml') {
    const items = events.map((e) => ({
      apiVersion: 'v1', kind: 'Event', type: e.type, reason: e.reason, message: e.message, involvedObject: e.object, source: { component: e.source },
      count: e.count, firstTimestamp: simTimestamp(e.firstT), lastTimestamp: simTimestamp(e.t),
    }));
    const list = { apiVersion: 'v1', kind: 'List', items };
    return output === 'json' ? JSON.stringify(list, null, 4) : toYaml(list);
  }
  const headers = ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE'];
  const rows = events.map((e) => [lastSeen(state.t, e), e.type, e.reason, `${e.object.kind.toLowerCase()}/${e.object.name}`, e.message]);
  return table(ns === null ? ['NAMESPACE', ...headers] : headers, ns === null ? rows.map((r, i) => [events[i]!.object.namespace || 'default', ...r]) : rows);
}

/**
 * `-o custom-columns=NAME:.metadata.name,RESTARTS:.status.containerStatuses[0].restartCount`: one column
 * per `HEADER:jsonpath` (braces optional), values of several matches joined by commas, `<none>` when
 * nothing matches (kubectl's custom-columns printer). @throws UsageError on a malformed spec.
 */
function customColumns(state: SimState, rows: Row[], spec: string): string {
  const cols = spec.split(',').map((part) => {
    const colon = part.indexOf(':');
    if (colon <= 0) throw new UsageError(`error: unexpected custom-columns spec: ${part}, expected <header>:<json-path-expr>`);
    try {
      return { header: part.slice(0, colon), steps: parseExpression(part.slice(colon + 1)) };
    } catch (e) {
      throw new UsageError(`error: ${(e as Error).message}`, { cause: e });
    }
  });
  const cells = rows.map((r) => {
    const api = apiObject(r.obj as object, state);
    return cols.map((c) => {
      const got = evaluate(c.steps, api);
      return got.length === 0 ? '<none>' : got.map(printValue).join(',');
    });
  });
  return table(cols.map((c) => c.header), cells);
}

/**
 * `--sort-by=JSONPATH` (`.metadata.creationTimestamp`, `.status.containerStatuses[0].restartCount`):
 * rows ordered by the first value the expression finds in each object's API form, numbers numerically,
 * others as strings (RFC 3339 times sort by time); rows without the field first; stable, so ties keep
 * the name order. @throws UsageError on a malformed expression.
 */
function sortRows(state: SimState, rows: Row[], sortBy: string | undefined): Row[] {
  if (sortBy === undefined) return rows;
  let steps;
  try {
    steps = parseExpression(sortBy);
  } catch (e) {
    throw new UsageError(`error: ${(e as Error).message}`, { cause: e });
  }
  const keyed = rows.map((r) => ({ r, v: evaluate(steps, apiObject(r.obj as object, state))[0] }));
  keyed.sort((a, b) => {
    if (a.v === undefined || b.v === undefined) return a.v === undefined ? (b.v === undefined ? 0 : -1) : 1;
    if (typeof a.v === 'number' && typeof b.v === 'number') return a.v - b.v;
    const x = printValue(a.v);
    const y = printValue(b.v);
    return x < y ? -1 : x > y ? 1 : 0;
  });
  return keyed.map((k) => k.r);
}

/** LAST SEEN of an Event at sim second `now`: `5s`, or `2m (x7 over 5m)` for a repeated one. */
export function lastSeen(now: number, e: { t: number; firstT: number; count: number }): string {
  return e.count > 1 ? `${humanDuration(now - e.t)} (x${e.count} over ${humanDuration(now - e.firstT)})` : humanDuration(now - e.t);
}

/** `kubectl get` for table types. @throws UsageError on a bad selector or output format. */
export function getResources(state: SimState, type: Exclude<ResourceType, 'events'>, names: string[], ns: string | null, args: ParsedArgs, prefixNames = false): string {
  return renderGet(state, KIND_OF[type], columnsOf(type), KIND_PREFIX[type], API_RESOURCE[type], names, ns, args, prefixNames);
}

/** `group` of a kind's apiVersion (`apps`), '' for the core group. */
function groupOf(def: KindDef): string {
  const slash = def.apiVersion.indexOf('/');
  return slash < 0 ? '' : def.apiVersion.slice(0, slash);
}

/**
 * `kubectl get` for any registered kind the console has no dedicated type for (e.g. `pdb`): its
 * printer columns, `-o name` as `singular.group/NAME`, NotFound as `plural.group "x"`. @throws UsageError
 * like {@link getResources}.
 */
export function getKindResources(state: SimState, def: KindDef, names: string[], ns: string | null, args: ParsedArgs, prefixNames = false): string {
  const g = groupOf(def);
  const suffix = g === '' ? '' : `.${g}`;
  return renderGet(state, def, def.columns, `${def.singular}${suffix}`, `${def.plural}${suffix}`, names, ns, args, prefixNames);
}

function renderGet(state: SimState, def: KindDef, cols: readonly PrinterColumn<KubeObject>[], prefix: string, resource: string, names: string[], ns: string | null, args: ParsedArgs, prefixNames: boolean): string {
  const output = flagString(args, 'output');
  const template = output?.startsWith('jsonpath=') ? output.slice('jsonpath='.length) : undefined;
  const columnsSpec = output?.startsWith('custom-columns=') ? output.slice('custom-columns='.length) : undefined;
  if (output !== undefined && template === undefined && columnsSpec === undefined && !['wide', 'name', 'json', 'yaml'].includes(output)) {
    throw new UsageError(`error: unable to match a printer suitable for the output format "${output}", allowed formats are: custom-columns,json,jsonpath,name,wide,yaml`);
  }
  let rows = rowsOf(state, def, cols, ns);
  rows = sortRows(state, rows, flagString(args, 'sort-by'));
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
      else errors.push(`Error from server (NotFound): ${resource} "${n}" not found`);
    }
    rows = picked;
  }
  let body = '';
  if (rows.length === 0 && names.length === 0) {
    body = !def.namespaced || ns === null ? 'No resources found' : `No resources found in ${ns} namespace.`;
  } else if (rows.length > 0) {
    if (output === 'name') body = rows.map((r) => `${prefix}/${r.name}`).join('\n');
    else if (template !== undefined) {
      const items = rows.map((r) => apiObject(r.obj as object, state));
      const doc = omitEmpty(names.length === 1 && items.length === 1 ? items[0] : { apiVersion: 'v1', kind: 'List', items, metadata: { resourceVersion: '' } });
      try {
        body = runJsonPath(template, doc);
      } catch (e) {
        if (e instanceof JsonPathError) throw new UsageError(e.message.startsWith('error') ? `error: ${e.message}` : `error: error parsing jsonpath ${template}, ${e.message}`, { cause: e });
        throw e;
      }
    } else if (columnsSpec !== undefined) body = customColumns(state, rows, columnsSpec);
    else if (output === 'json' || output === 'yaml') {
      const items = rows.map((r) => apiObject(r.obj as object, state));
      const doc = omitEmpty(names.length === 1 && items.length === 1 ? items[0] : { apiVersion: 'v1', kind: 'List', items, metadata: { resourceVersion: '' } });
      body = output === 'json' ? JSON.stringify(doc, null, 4) : toYaml(doc);
    } else {
      const h = { cols: cols.filter((c) => !c.wide).map((c) => c.name), wide: cols.filter((c) => c.wide).map((c) => c.name) };
      const wide = output === 'wide';
      const showLabels = args.flags['show-labels'] === true;
      const allNs = ns === null && def.namespaced;
      const headers = [...(allNs ? ['NAMESPACE'] : []), ...h.cols, ...(wide ? h.wide : []), ...(showLabels ? ['LABELS'] : [])];
      const cells = rows.map((r) => {
        const own = prefixNames ? [`${prefix}/${r.cells[0]}`, ...r.cells.slice(1)] : r.cells;
        return [...(allNs ? [r.namespace] : []), ...own, ...(wide ? r.wide : []), ...(showLabels ? [labelString(r.labels)] : [])];
      });
      body = table(headers, cells);
    }
  }
  return [body, ...errors].filter((s) => s !== '').join('\n');
}
