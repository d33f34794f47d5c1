/**
 * `kubectl api-resources` (NAME SHORTNAMES APIVERSION NAMESPACED KIND: the kind registry's kinds plus
 * core/v1 Endpoints, Events and Namespaces; core first, then by group, each by name, as kubectl prints
 * discovery) and `kubectl explain RESOURCE[.FIELD...]` (kubectl 1.32's plaintext explain: GROUP, KIND,
 * VERSION, FIELD with its type, DESCRIPTION, FIELDS with `-required-`), read from the same field
 * descriptions the API serves as OpenAPI v3 (./openapiFields.ts, shared with server/k8s/openapi.ts).
 *
 * May import: ../sim/kinds (read only), ./openapiFields.ts, ./format.ts, ./parse.ts.
 */
import { KINDS, kindForResource, type KindDef } from '../sim/kinds/index.ts';
import { PACKAGES, type DefSpec } from './openapiFields.ts';
import { table } from './format.ts';
import { UsageError } from './parse.ts';

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const CORE = 'io.k8s.api.core.v1';

/** Resources the API serves beside the registry's kinds (server/k8s/resources.ts). */
const EXTRA: readonly { name: string; short: string; apiVersion: string; namespaced: boolean; kind: string }[] = [
  { name: 'endpoints', short: 'ep', apiVersion: 'v1', namespaced: true, kind: 'Endpoints' },
  { name: 'events', short: 'ev', apiVersion: 'v1', namespaced: true, kind: 'Event' },
  { name: 'namespaces', short: 'ns', apiVersion: 'v1', namespaced: false, kind: 'Namespace' },
];

function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** `kubectl api-resources [--namespaced=true|false]`. */
export function apiResources(namespaced?: boolean): string {
  const rows = [
    ...KINDS.map((k) => ({ name: k.plural, short: k.shortNames.join(','), apiVersion: k.apiVersion, namespaced: k.namespaced, kind: k.kind })),
    ...EXTRA,
  ]
    .filter((r) => namespaced === undefined || r.namespaced === namespaced)
    .sort((a, b) => {
      const ga = groupOf(a.apiVersion);
      const gb = groupOf(b.apiVersion);
      if (ga !== gb) return ga === '' ? -1 : gb === '' ? 1 : ga < gb ? -1 : 1;
      return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
    });
  return table(['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND'], rows.map((r) => [r.name, r.short, r.apiVersion, String(r.namespaced), r.kind]));
}

const DEFS: ReadonlyMap<string, { pkg: string; name: string; def: DefSpec }> = (() => {
  const m = new Map<string, { pkg: string; name: string; def: DefSpec }>();
  for (const p of PACKAGES) for (const [name, def] of Object.entries(p.defs)) m.set(`${p.pkg}.${name}`, { pkg: p.pkg, name, def });
  return m;
})();

function resolve(pkg: string, name: string): { pkg: string; name: string; def: DefSpec } | undefined {
  if (name.includes('.')) return DEFS.get(`io.k8s.api.${name}`);
  for (const p of [pkg, META, CORE]) {
    const d = DEFS.get(`${p}.${name}`);
    if (d) return d;
  }
  return undefined;
}

/** A field's TYPE as explain prints it (`<[]Container>`, `<map[string]string>`, `<string>`), and the definition it names. */
function fieldType(pkg: string, spec: string): { text: string; ref?: { pkg: string; name: string; def: DefSpec } } {
  let type = spec.slice(0, spec.indexOf('|'));
  const at = type.indexOf('@');
  if (at >= 0) type = type.slice(0, at);
  const list = type.endsWith('[]');
  const base = list ? type.slice(0, -2) : type;
  if (type === 'map') return { text: 'map[string]string' };
  if (type === 'map<Quantity>') return { text: 'map[string]Quantity' };
  const prim = ['string', 'integer', 'boolean', 'number'].includes(base) ? base : base === 'Time' || base === 'MicroTime' ? 'string' : base === 'Quantity' ? 'Quantity' : base === 'IntOrString' ? 'IntOrString' : null;
  if (prim !== null) return { text: `${list ? '[]' : ''}${prim}` };
  const ref = resolve(pkg, base);
  return ref ? { text: `${list ? '[]' : ''}${ref.name}`, ref } : { text: `${list ? '[]' : ''}${base}` };
}

function wrap(text: string, indent: number, width = 80): string {
  const pad = ' '.repeat(indent);
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    if (line !== '' && pad.length + line.length + 1 + word.length > width) {
      lines.push(pad + line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(pad + line);
  return lines.join('\n');
}

/** A definition's field names in the order explain prints them (the template ranges over the schema's properties map: sorted). */
function sortedFields(def: DefSpec): string[] {
  return Object.keys(def.f).sort();
}

function fieldsBlock(pkg: string, def: DefSpec): string {
  const out: string[] = ['FIELDS:'];
  for (const name of sortedFields(def)) {
    const spec = def.f[name]!;
    const required = def.required?.includes(name) ? ' -required-' : '';
    out.push(`  ${name}\t<${fieldType(pkg, spec).text}>${required}`);
    out.push(wrap(spec.slice(spec.indexOf('|') + 1), 4));
    out.push('');
  }
  return out.join('\n').replace(/\n+$/, '');
}

/**
 * `--recursive` (K kubectl/pkg/explain/v2/templates/plaintext.tmpl "fieldList" with Recursive): one
 * line per field, `NAME\t<TYPE>[ -required-]` indented two spaces a level, each object-typed field
 * followed by its type's fields; a type already being listed above (a cycle) is not entered again.
 */
function recursiveFields(pkg: string, def: DefSpec, level: number, ancestors: ReadonlySet<string>, out: string[]): void {
  for (const name of sortedFields(def)) {
    const spec = def.f[name]!;
    const t = fieldType(pkg, spec);
    out.push(`${'  '.repeat(level)}${name}\t<${t.text}>${def.required?.includes(name) ? ' -required-' : ''}`);
    if (!t.ref) continue;
    const key = `${t.ref.pkg}.${t.ref.name}`;
    if (ancestors.has(key)) continue;
    recursiveFields(t.ref.pkg, t.ref.def, level + 1, new Set([...ancestors, key]), out);
  }
}

function fieldList(pkg: string, def: DefSpec, recursive: boolean): string {
  if (!recursive) return fieldsBlock(pkg, def);
  const out = ['FIELDS:'];
  recursiveFields(pkg, def, 1, new Set(), out);
  return out.join('\n');
}

/**
 * `kubectl explain pods`, `kubectl explain deployment.spec.strategy`, `explain pods.spec.containers.resources`;
 * `recursive` (`--recursive`): the fields of every level, names and types only.
 * @throws UsageError for an unknown resource or field (kubectl's texts).
 */
export function explain(path: string, recursive = false): string {
  const [resource, ...fields] = path.split('.');
  const def: KindDef | undefined = kindForResource(resource ?? '');
  const extra = EXTRA.find((e) => e.name === resource || e.short === resource || e.kind.toLowerCase() === resource?.toLowerCase());
  if (!def && !extra) throw new UsageError(`error: the server doesn't have a resource type "${resource ?? ''}"`);
  const kind = def?.kind ?? extra!.kind;
  const apiVersion = def?.apiVersion ?? extra!.apiVersion;
  const group = groupOf(apiVersion);
  const version = apiVersion.slice(apiVersion.indexOf('/') + 1);
  const top = [...DEFS.values()].find((d) => d.def.gvk?.[2] === kind && d.def.gvk[0] === (group === '' ? '' : group));
  const head = [...(group !== '' ? [`GROUP:      ${group}`] : []), `KIND:       ${kind}`, `VERSION:    ${version}`].join('\n');
  if (!top) return `${head}\n\nDESCRIPTION:\n    ${kind} (${apiVersion}): field documentation is not served by this game's API yet; kubectl get ${def?.plural ?? extra!.name} -o yaml shows its fields.`;
  let cur = top;
  let field: { name: string; type: string; description: string } | null = null;
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    const spec = Object.hasOwn(cur.def.f, f) ? cur.def.f[f] : undefined;
    if (spec === undefined) throw new UsageError(`error: field "${f}" does not exist`);
    const t = fieldType(cur.pkg, spec);
    field = { name: f, type: t.text, description: spec.slice(spec.indexOf('|') + 1) };
    if (t.ref) cur = t.ref;
    else if (i < fields.length - 1) throw new UsageError(`error: field "${fields[i + 1]}" does not exist`);
    else {
      return `${head}\n\nFIELD: ${f} <${t.text}>\n\nDESCRIPTION:\n${wrap(field.description, 4)}`;
    }
  }
  if (field) return `${head}\n\nFIELD: ${field.name} <${field.type}>\n\nDESCRIPTION:\n${wrap(field.description, 4)}\n${wrap(cur.def.d, 4)}\n\n${fieldList(cur.pkg, cur.def, recursive)}`;
  return `${head}\n\nDESCRIPTION:\n${wrap(cur.def.d, 4)}\n\n${fieldList(cur.pkg, cur.def, recursive)}`;
}
