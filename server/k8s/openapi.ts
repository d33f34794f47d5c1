/**
 * OpenAPI v3 documents for the served kinds, generated from the compact description in
 * ./openapiFields.ts (a curated subset with the API reference's descriptions, not the megabytes of the
 * real spec): `kubectl explain` and `kubectl apply`'s field-validation check read them.
 *
 * - `GET /openapi/v3`: the index `{paths: {"api/v1": {serverRelativeURL}, "apis/apps/v1": ...}}`, one
 *   entry per served group version (K staging/src/k8s.io/kube-openapi/pkg/handler3). The URL carries
 *   `?hash=` of the document (the real server's ETag) and is relative to the server root, including
 *   this API's `/k8s/MATCH/TEAM/token/TOKEN` prefix (client-go requests it as given).
 * - `GET /openapi/v3/api/v1`, `/openapi/v3/apis/G/V`: `components.schemas` with the kinds'
 *   definitions (`x-kubernetes-group-version-kind` on each kind, references as `allOf: [{$ref}]` like
 *   the real spec, strategic-merge keys as `x-kubernetes-patch-merge-key`/`-strategy`), and `paths`
 *   with each resource's operations carrying `x-kubernetes-group-version-kind` and the `fieldValidation`
 *   query parameter: kubectl 1.32's `--validate=strict` (the default) then lets the server validate
 *   instead of downloading `/openapi/v2` (K staging/src/k8s.io/cli-runtime/pkg/resource/
 *   query_param_verifier_v3.go). `/openapi/v2` is not served (kubectl asks for it only when v3 fails).
 *
 * The documents do not depend on the match: built once, lazily.
 *
 * May import: node:crypto, ./openapiFields.ts, ./resources.ts.
 */
import { createHash } from 'node:crypto';
import { PACKAGES, type DefSpec } from './openapiFields.ts';
import { GROUP_VERSIONS, RESOURCES, groupVersion, type Resource } from './resources.ts';

const REF = '#/components/schemas/';
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const CORE = 'io.k8s.api.core.v1';
const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';
const TIME = `${META}.Time`;
const MICRO_TIME = `${META}.MicroTime`;

type Schema = Record<string, unknown>;

/** Every definition by full name (`io.k8s.api.core.v1.Pod`). */
const DEFS: ReadonlyMap<string, { pkg: string; def: DefSpec }> = (() => {
  const m = new Map<string, { pkg: string; def: DefSpec }>();
  for (const p of PACKAGES) for (const [name, def] of Object.entries(p.defs)) m.set(`${p.pkg}.${name}`, { pkg: p.pkg, def });
  return m;
})();

/** The full name a field's type names, from package `pkg`. @throws Error for a name nothing defines. */
function resolve(pkg: string, name: string): string {
  if (name.includes('.')) return `io.k8s.api.${name}`;
  for (const p of [pkg, META, CORE]) if (DEFS.has(`${p}.${name}`)) return `${p}.${name}`;
  throw new Error(`openapiFields: unknown definition ${name} (from ${pkg})`);
}

const PRIMITIVES = new Set(['string', 'integer', 'boolean', 'number']);

/** The schema of one field (`'TYPE|description'`), and the definitions it references. */
function fieldSchema(pkg: string, spec: string, refs: Set<string>): Schema {
  const bar = spec.indexOf('|');
  const description = spec.slice(bar + 1);
  let type = spec.slice(0, bar);
  let mergeKey: string | undefined;
  const at = type.indexOf('@');
  if (at >= 0) {
    mergeKey = type.slice(at + 1);
    type = type.slice(0, at);
  }
  const ref = (full: string): Schema => {
    refs.add(full);
    return { $ref: REF + full };
  };
  const one = (t: string): Schema => {
    if (PRIMITIVES.has(t)) return t === 'integer' ? { type: 'integer', format: 'int32', default: 0 } : { type: t, default: t === 'boolean' ? false : '' };
    if (t === 'Time') return { allOf: [ref(TIME)] };
    if (t === 'MicroTime') return { allOf: [ref(MICRO_TIME)] };
    if (t === 'Quantity') return { allOf: [ref(QUANTITY)] };
    if (t === 'IntOrString') return { allOf: [ref(INT_OR_STRING)] };
    return { allOf: [ref(resolve(pkg, t))], default: {} };
  };
  let s: Schema;
  if (type === 'map') s = { type: 'object', additionalProperties: { type: 'string', default: '' } };
  else if (type === 'map<Quantity>') s = { type: 'object', additionalProperties: one('Quantity') };
  else if (type.endsWith('[]')) {
    s = { type: 'array', items: one(type.slice(0, -2)) };
    if (mergeKey !== undefined) Object.assign(s, { 'x-kubernetes-list-map-keys': [mergeKey], 'x-kubernetes-list-type': 'map', 'x-kubernetes-patch-merge-key': mergeKey, 'x-kubernetes-patch-strategy': 'merge' });
    else if (type === 'string[]') s['x-kubernetes-list-type'] = 'atomic';
  } else {
    s = one(type);
  }
  // A field's description sits next to its allOf (the real spec's shape).
  return { ...s, description };
}

/** A definition's schema, and the definitions it references. */
function defSchema(full: string, refs: Set<string>): Schema {
  // Quantity and IntOrString as the real v3 documents define them (kube-openapi OpenAPIV3OneOfTypes: no `type`,
  // a `oneOf`), so kubectl explain names them (`<IntOrString>`, `<map[string]Quantity>`) as on a real cluster
  if (full === QUANTITY) return { oneOf: [{ type: 'string' }, { type: 'number' }], description: 'Quantity is a fixed-point representation of a number (e.g. 100m CPU = 0.1 core, 128Mi memory = 128 MiB): a decimal number with an optional SI suffix (m, k, M, G) or binary suffix (Ki, Mi, Gi).' };
  if (full === INT_OR_STRING) return { format: 'int-or-string', oneOf: [{ type: 'integer' }, { type: 'string' }], description: 'IntOrString is a type that can hold an int32 or a string (e.g. 8080, "http" or "25%").' };
  if (full === MICRO_TIME) return { type: 'string', format: 'date-time', description: 'MicroTime is version of Time with microsecond level precision.' };
  if (full === TIME) return { type: 'string', format: 'date-time', description: 'Time is a wrapper around time.Time which supports correct marshaling to YAML and JSON (RFC 3339).' };
  const found = DEFS.get(full);
  if (!found) throw new Error(`openapi: no definition ${full}`);
  const { pkg, def } = found;
  const properties = Object.create(null) as Record<string, Schema>;
  for (const [name, spec] of Object.entries(def.f)) properties[name] = fieldSchema(pkg, spec, refs);
  const s: Schema = { description: def.d, type: 'object', properties };
  if (def.required) s['required'] = [...def.required];
  if (def.gvk) s['x-kubernetes-group-version-kind'] = [{ group: def.gvk[0], kind: def.gvk[2], version: def.gvk[1] }];
  return s;
}

/** The definitions reachable from `roots` (sorted by name). */
function schemasFrom(roots: readonly string[]): Record<string, Schema> {
  const out = new Map<string, Schema>();
  const todo = [...roots];
  while (todo.length > 0) {
    const full = todo.pop()!;
    if (out.has(full)) continue;
    const refs = new Set<string>();
    out.set(full, defSchema(full, refs));
    for (const r of refs) if (!out.has(r)) todo.push(r);
  }
  return Object.fromEntries([...out.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The full definition name of a served kind, or undefined when ./openapiFields.ts has none. */
function kindDefinition(r: Resource): string | undefined {
  for (const [full, { def }] of DEFS) if (def.gvk && def.gvk[0] === r.group && def.gvk[1] === r.version && def.gvk[2] === r.kind) return full;
  return undefined;
}

const VERB_ACTION: Record<string, string> = { get: 'get', list: 'list', patch: 'patch', update: 'put', delete: 'delete', create: 'post', watch: 'watch' };

const queryParam = (name: string, description: string): Schema => ({ name, in: 'query', description, schema: { type: 'string', uniqueItems: true } });
const WRITE_PARAMS = [
  queryParam('dryRun', 'When present, indicates that modifications should not be persisted.'),
  queryParam('fieldManager', 'fieldManager is a name associated with the actor or entity that is making these changes.'),
  queryParam('fieldValidation', 'fieldValidation instructs the server on how to handle objects in the request containing unknown or duplicate fields: Ignore, Warn or Strict.'),
];

/** The `paths` of a resource: collection and item, with the operations its verbs allow. */
function resourcePaths(r: Resource, definition: string): Record<string, Schema> {
  const base = r.group === '' ? `/api/${r.version}` : `/apis/${r.group}/${r.version}`;
  const coll = r.namespaced ? `${base}/namespaces/{namespace}/${r.plural}` : `${base}/${r.plural}`;
  const gvk = { group: r.group, kind: r.kind, version: r.version };
  const body = { content: { 'application/json': { schema: { $ref: REF + definition } } } };
  const op = (verb: string, id: string, withBody: boolean): Schema => {
    const o: Schema = {
      description: `${verb} ${r.kind}`,
      operationId: `${id}${r.group === '' ? 'Core' : r.group.split('.')[0]!.replace(/^./, (c) => c.toUpperCase())}${r.version.toUpperCase()}${r.namespaced ? 'Namespaced' : ''}${r.kind}`,
      responses: { '200': { description: 'OK', content: { 'application/json': { schema: { $ref: REF + definition } } } } },
      'x-kubernetes-action': VERB_ACTION[verb] ?? verb,
      'x-kubernetes-group-version-kind': gvk,
    };
    if (withBody) {
      o['parameters'] = WRITE_PARAMS;
      o['requestBody'] = verb === 'patch'
        ? { content: { 'application/merge-patch+json': { schema: { type: 'object' } }, 'application/strategic-merge-patch+json': { schema: { type: 'object' } }, 'application/json-patch+json': { schema: { type: 'object' } } }, required: true }
        : body;
    }
    return o;
  };
  const collection: Schema = { get: op('list', 'list', false) };
  // kubectl apply and create POST a collection: advertised for every kind so client-side validation defers to the server.
  collection['post'] = op('create', 'create', true);
  const item: Schema = { get: op('get', 'read', false), patch: op('patch', 'patch', true), put: op('update', 'replace', true), delete: op('delete', 'delete', false) };
  if (r.namespaced) {
    const nsParam = { name: 'namespace', in: 'path', required: true, description: 'object name and auth scope, such as for teams and projects', schema: { type: 'string', uniqueItems: true } };
    collection['parameters'] = [nsParam];
    item['parameters'] = [nsParam, { name: 'name', in: 'path', required: true, description: `name of the ${r.kind}`, schema: { type: 'string', uniqueItems: true } }];
  } else {
    item['parameters'] = [{ name: 'name', in: 'path', required: true, description: `name of the ${r.kind}`, schema: { type: 'string', uniqueItems: true } }];
  }
  return { [coll]: collection, [`${coll}/{name}`]: item };
}

/** `api/v1`, `apis/apps/v1`: the OpenAPI path key of a group version. */
export function openApiPathKey(gv: { group: string; version: string }): string {
  return gv.group === '' ? `api/${gv.version}` : `apis/${gv.group}/${gv.version}`;
}

interface Built {
  text: string;
  hash: string;
}

let built: Map<string, Built> | undefined;

/** The documents by path key (`api/v1`), built on first use. */
function documents(): Map<string, Built> {
  if (built) return built;
  built = new Map();
  for (const gv of GROUP_VERSIONS) {
    const served = RESOURCES.filter((r) => r.group === gv.group && r.version === gv.version);
    const roots: string[] = [];
    const paths = Object.create(null) as Record<string, Schema>;
    for (const r of served) {
      const def = kindDefinition(r);
      if (def === undefined) continue;
      roots.push(def);
      Object.assign(paths, resourcePaths(r, def));
    }
    if (roots.length === 0) continue;
    const doc = {
      openapi: '3.0.0',
      info: { title: 'Kubernetes (Gameday)', version: 'v1.33.1' },
      paths,
      components: { schemas: schemasFrom(roots) },
    };
    const text = JSON.stringify(doc);
    const hash = createHash('sha512').update(text).digest('hex').slice(0, 128).toUpperCase();
    built.set(openApiPathKey(gv), { text, hash });
  }
  return built;
}

/**
 * The `/openapi/v3` index. `prefix` is this API's path from the server root (`/k8s/MATCH/TEAM/token/TOKEN`
 * or `/k8s/MATCH/TEAM`), so each `serverRelativeURL` reaches the document through the same route.
 */
export function openApiIndex(prefix: string): Record<string, unknown> {
  const paths = Object.create(null) as Record<string, { serverRelativeURL: string }>;
  for (const [key, doc] of documents()) paths[key] = { serverRelativeURL: `${prefix}/openapi/v3/${key}?hash=${doc.hash}` };
  return { paths };
}

/** The JSON text of the document of `key` (`api/v1`, `apis/apps/v1`), or undefined when not served. */
export function openApiDocument(key: string): string | undefined {
  return documents().get(key)?.text;
}

/** The group versions with a document, for the README and tests. */
export function openApiGroupVersions(): string[] {
  return [...documents().keys()];
}

/** Every served resource with a kind definition (the rest are explained as not found). */
export function explainable(): string[] {
  return RESOURCES.filter((r) => kindDefinition(r) !== undefined).map((r) => `${groupVersion(r)} ${r.kind}`);
}
