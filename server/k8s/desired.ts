/**
 * Whole-object writes: `PUT` (`kubectl replace -f`) and server-side apply (`kubectl apply
 * --server-side`, `PATCH` with `application/apply-patch+yaml`). Both send a desired object; the game
 * can only make the changes its actions make, so this computes the **patch** from the served object to
 * the desired one (a strategic-merge-shaped body for ./writes.ts `deploymentActions` /
 * `metadataOnlyActions`, which map it to actions or answer 422 naming the field):
 *
 * - supported fields compare exactly: labels and annotations (per key), `spec.replicas`,
 *   `spec.paused`, each container's `image`, `resources` and literal `env` (by name), the template's
 *   `restartedAt` annotation;
 * - every other field counts as changed only when the desired value is not contained in the served one
 *   (defaults the server filled in, such as `protocol: TCP` or `clusterIP`, are no change), and is then
 *   put in the patch, so the write is refused naming it;
 * - `replace` removes what the desired object leaves out (labels, annotations, env entries; `paused`);
 *   `apply` changes only what it names (fields left out of a later apply are not removed).
 * `metadata.resourceVersion` of a replace must be the served one, else `409 Conflict` (optimistic
 * concurrency: https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-versions).
 *
 * Field managers (server-side apply's conflicts, https://kubernetes.io/docs/reference/using-api/server-side-apply/#conflicts):
 * every write through this API records its `fieldManager` (kubectl sends one per command:
 * `kubectl-scale`, `kubectl-edit`, `kubectl-set`, ...) as the owner of the fields its actions change
 * (`.spec.replicas`, a container's image...). An apply that would change a field another manager owns
 * answers `409 Conflict` (`Apply failed with N conflict(s): conflict with "M" using apps/v1: FIELD`,
 * with `FieldManagerConflict` causes, which kubectl explains) unless `force=true`; the applier then
 * owns it. Objects of the scenario start without owners. Not modelled: shared ownership of equal
 * values, and removing fields a manager stops applying.
 *
 * May import: ../../shared/protocol.ts (types), ./status.ts.
 */
import type { ActionMessage } from '../../shared/protocol.ts';
import type { SimState } from '../../shared/sim/types.ts';
import { statusError, type StatusError } from './status.ts';

/** Annotations the server keeps on its own (never removed by a replace). */
const SERVER_ANNOTATIONS = new Set(['deployment.kubernetes.io/revision', 'kubectl.kubernetes.io/last-applied-configuration']);

/** A fresh map-like object without a prototype (keys come from request bodies). */
function dict<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

function isObj(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** An omitted field in Go's JSON (`omitempty`). */
function omitted(v: unknown): boolean {
  return v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0) || (isObj(v) && Object.keys(v).length === 0);
}

/** `desired` is contained in `served`: every field it sets has the same value there (arrays element by element). */
export function contained(desired: unknown, served: unknown): boolean {
  if (omitted(desired)) return true;
  if (Array.isArray(desired)) return Array.isArray(served) && served.length === desired.length && desired.every((d, i) => contained(d, served[i]));
  if (isObj(desired)) return isObj(served) && Object.keys(desired).every((k) => contained(desired[k], served[k]));
  if (typeof desired === 'number' && typeof served === 'string') return String(desired) === served;
  if (typeof desired === 'string' && typeof served === 'number') return desired === String(served);
  return desired === served;
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (isObj(v)) return `{${Object.keys(v).filter((k) => !omitted(v[k])).sort().map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(',')}}`;
  return JSON.stringify(v);
}

/** Label/annotation changes as a merge-patch map (`null` removes), or undefined when none. */
function mapPatch(desired: unknown, served: unknown, replace: boolean, keep: ReadonlySet<string> = new Set()): Record<string, string | null> | undefined {
  const d = isObj(desired) ? desired : {};
  const s = isObj(served) ? served : {};
  const out = dict<string | null>();
  for (const k of Object.keys(d)) if (d[k] !== s[k]) out[k] = d[k] === null ? null : String(d[k]);
  if (replace) for (const k of Object.keys(s)) if (!Object.hasOwn(d, k) && !keep.has(k)) out[k] = null;
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The fields of `desired` (not in `skip`) that are not contained in `served`, copied into `into`. */
function otherChanges(desired: Record<string, unknown>, served: Record<string, unknown>, skip: readonly string[], into: Record<string, unknown>): void {
  for (const k of Object.keys(desired)) {
    if (skip.includes(k) || k.startsWith('$')) continue;
    if (!contained(desired[k], served[k])) into[k] = desired[k];
  }
}

/**
 * The patch from `served` (the object as this API serves it) to `desired` for a Deployment or Service
 * (`replace`: PUT semantics; else apply). Top-level `status`, `apiVersion`, `kind` and the server's
 * metadata (uid, resourceVersion, timestamps...) are not compared.
 */
export function desiredPatch(kind: 'Deployment' | 'Service', served: Record<string, unknown>, desired: Record<string, unknown>, replace: boolean): Record<string, unknown> {
  const patch = dict<unknown>();
  const dm = isObj(desired['metadata']) ? desired['metadata'] : {};
  const sm = isObj(served['metadata']) ? served['metadata'] : {};
  const meta = dict<unknown>();
  const labels = mapPatch(dm['labels'], sm['labels'], replace && Object.hasOwn(dm, 'labels'));
  if (labels) meta['labels'] = labels;
  const annotations = mapPatch(dm['annotations'], sm['annotations'], replace && Object.hasOwn(dm, 'annotations'), SERVER_ANNOTATIONS);
  if (annotations) meta['annotations'] = annotations;
  if (Object.keys(meta).length > 0) patch['metadata'] = meta;
  const ds = isObj(desired['spec']) ? desired['spec'] : undefined;
  const ss = isObj(served['spec']) ? served['spec'] : {};
  if (!ds) return patch;
  const spec = dict<unknown>();
  if (kind === 'Service') {
    otherChanges(ds, ss, [], spec);
  } else {
    if (ds['replicas'] !== undefined && ds['replicas'] !== ss['replicas']) spec['replicas'] = ds['replicas'];
    const pausedNow = ss['paused'] === true;
    const pausedWanted = ds['paused'] === undefined ? (replace ? false : pausedNow) : ds['paused'] === true;
    if (pausedWanted !== pausedNow) spec['paused'] = pausedWanted;
    otherChanges(ds, ss, ['replicas', 'paused', 'template'], spec);
    const dt = isObj(ds['template']) ? ds['template'] : undefined;
    const st = isObj(ss['template']) ? ss['template'] : {};
    if (dt) {
      const template = dict<unknown>();
      const dtm = isObj(dt['metadata']) ? dt['metadata'] : {};
      const stm = isObj(st['metadata']) ? st['metadata'] : {};
      const tmeta = dict<unknown>();
      otherChanges(dtm, stm, ['annotations'], tmeta);
      const dta = isObj(dtm['annotations']) ? dtm['annotations'] : {};
      const sta = isObj(stm['annotations']) ? stm['annotations'] : {};
      const ta = dict<unknown>();
      for (const k of Object.keys(dta)) if (dta[k] !== sta[k]) ta[k] = dta[k];
      if (Object.keys(ta).length > 0) tmeta['annotations'] = ta;
      if (Object.keys(tmeta).length > 0) template['metadata'] = tmeta;
      const dps = isObj(dt['spec']) ? dt['spec'] : {};
      const sps = isObj(st['spec']) ? st['spec'] : {};
      const pspec = dict<unknown>();
      otherChanges(dps, sps, ['containers'], pspec);
      if (Array.isArray(dps['containers'])) {
        const servedContainers = Array.isArray(sps['containers']) ? (sps['containers'] as unknown[]).filter(isObj) : [];
        const changed: Record<string, unknown>[] = [];
        for (const dc of (dps['containers'] as unknown[]).filter(isObj)) {
          const sc = servedContainers.find((c) => c['name'] === dc['name']);
          if (!sc) {
            // A new container: the game cannot add one (refused naming the field).
            changed.push({ name: dc['name'], ...dc });
            continue;
          }
          const c: Record<string, unknown> = { name: dc['name'] };
          if (dc['image'] !== undefined && dc['image'] !== sc['image']) c['image'] = dc['image'];
          if (dc['resources'] !== undefined && canonical(dc['resources']) !== canonical(sc['resources'])) c['resources'] = dc['resources'];
          const env = envPatch(dc['env'], sc['env'], replace);
          if (env.length > 0) c['env'] = env;
          otherChanges(dc, sc, ['name', 'image', 'resources', 'env'], c);
          if (Object.keys(c).length > 1) changed.push(c);
        }
        if (changed.length > 0) pspec['containers'] = changed;
      }
      if (Object.keys(pspec).length > 0) template['spec'] = pspec;
      if (Object.keys(template).length > 0) spec['template'] = template;
    }
  }
  if (Object.keys(spec).length > 0) patch['spec'] = spec;
  return patch;
}

/** A container's env changes, strategic-merge shaped (`$patch: delete` removes; replace removes what is left out). */
function envPatch(desired: unknown, served: unknown, replace: boolean): Record<string, unknown>[] {
  const d = Array.isArray(desired) ? desired.filter(isObj) : undefined;
  const s = Array.isArray(served) ? served.filter(isObj) : [];
  if (!d) return [];
  const out: Record<string, unknown>[] = [];
  for (const e of d) {
    const cur = s.find((x) => x['name'] === e['name']);
    if (!cur || canonical(e) !== canonical(cur)) out.push(e);
  }
  if (replace) for (const e of s) if (!d.some((x) => x['name'] === e['name'])) out.push({ name: e['name'], $patch: 'delete' });
  return out;
}

/** 409 for a replace whose `metadata.resourceVersion` is not the served one (none: no check, as the API server). */
export function staleVersion(kind: string, plural: string, name: string, served: Record<string, unknown>, desired: Record<string, unknown>): StatusError | undefined {
  const rv = isObj(desired['metadata']) ? desired['metadata']['resourceVersion'] : undefined;
  const now = isObj(served['metadata']) ? served['metadata']['resourceVersion'] : undefined;
  if (rv === undefined || rv === '' || rv === now) return undefined;
  return statusError(409, 'Conflict', `Operation cannot be fulfilled on ${plural} "${name}": the object has been modified; please apply your changes to the latest version and try again`, { name, kind });
}

// ---------------------------------------------------------------------------------------------------
// Field managers
// ---------------------------------------------------------------------------------------------------

/** Owner (field manager) per object key (`Kind/ns/name`) and field path. */
const owners = new WeakMap<SimState, Map<string, Map<string, string>>>();

/** The field paths an action changes (`.spec.replicas`, `.spec.template.spec.containers[name="web"].image`...). */
export function actionFields(a: ActionMessage): string[] {
  const c = (name: string | undefined) => `.spec.template.spec.containers[name="${name ?? '*'}"]`;
  switch (a.type) {
    case 'scaleDeployment':
      return ['.spec.replicas'];
    case 'pauseRollout':
      return ['.spec.paused'];
    case 'setImage':
      return [`${c(a.container)}.image`];
    case 'setResources':
      return [`${c(a.container)}.resources`];
    case 'setEnv':
      return a.env.map((e) => `${c(a.container)}.env[name="${e.name}"]`);
    case 'label':
      return a.labels.map((l) => `.metadata.labels.${l.key}`);
    case 'annotate':
      return a.annotations.map((l) => `.metadata.annotations.${l.key}`);
    default:
      return [];
  }
}

/** Records `manager` as the owner of the fields `actions` change on object `key`. */
export function recordOwners(state: SimState, key: string, manager: string, actions: readonly ActionMessage[]): void {
  let m = owners.get(state);
  if (!m) owners.set(state, (m = new Map()));
  let o = m.get(key);
  if (!o) m.set(key, (o = new Map()));
  for (const a of actions) for (const f of actionFields(a)) o.set(f, manager);
}

/** Records the owner of a created object's fields (its replicas, labels, each container's image, resources, env). */
export function recordCreated(state: SimState, key: string, manager: string, body: Record<string, unknown>): void {
  const fields: string[] = [];
  const meta = isObj(body['metadata']) ? body['metadata'] : {};
  for (const k of Object.keys(isObj(meta['labels']) ? meta['labels'] : {})) fields.push(`.metadata.labels.${k}`);
  const spec = isObj(body['spec']) ? body['spec'] : {};
  if (spec['replicas'] !== undefined) fields.push('.spec.replicas');
  const tpl = isObj(spec['template']) && isObj(spec['template']['spec']) ? spec['template']['spec'] : {};
  for (const c of Array.isArray(tpl['containers']) ? (tpl['containers'] as unknown[]).filter(isObj) : []) {
    const p = `.spec.template.spec.containers[name="${String(c['name'])}"]`;
    fields.push(`${p}.image`);
    if (c['resources'] !== undefined) fields.push(`${p}.resources`);
    for (const e of Array.isArray(c['env']) ? (c['env'] as unknown[]).filter(isObj) : []) fields.push(`${p}.env[name="${String(e['name'])}"]`);
  }
  let m = owners.get(state);
  if (!m) owners.set(state, (m = new Map()));
  const o = new Map<string, string>();
  for (const f of fields) o.set(f, manager);
  m.set(key, o);
}

/** Forgets an object's owners (it was deleted). */
export function forgetOwners(state: SimState, key: string): void {
  owners.get(state)?.delete(key);
}

/**
 * The 409 of an apply by `manager` whose `actions` change fields another manager owns, or undefined.
 * A container named `*` (all containers) matches every container's field.
 */
export function applyConflicts(state: SimState, key: string, manager: string, actions: readonly ActionMessage[], apiVersion: string, name: string, kind: string): StatusError | undefined {
  const o = owners.get(state)?.get(key);
  if (!o) return undefined;
  const conflicts: { field: string; owner: string }[] = [];
  for (const a of actions) {
    for (const f of actionFields(a)) {
      const owner = o.get(f);
      if (owner !== undefined && owner !== manager) conflicts.push({ field: f, owner });
    }
  }
  if (conflicts.length === 0) return undefined;
  const text = conflicts.map((c) => `conflict with "${c.owner}" using ${apiVersion}: ${c.field}`);
  const message = `Apply failed with ${conflicts.length} conflict${conflicts.length === 1 ? '' : 's'}: ${text.join('\n')}`;
  return statusError(409, 'Conflict', message, {
    name,
    kind,
    causes: conflicts.map((c) => ({ reason: 'FieldManagerConflict', message: `conflict with "${c.owner}" using ${apiVersion}`, field: c.field })),
  });
}

/**
 * The object `served` would become with `patch` (a {@link desiredPatch} result) applied, for a
 * `--dry-run=server` answer (what `kubectl diff` shows): labels and annotations, `spec.replicas`,
 * `spec.paused` and each container's image, resources and env. Other fields stay as served (the write
 * is refused for them anyway).
 */
export function previewPatch(served: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const out = structuredClone(served);
  const pm = isObj(patch['metadata']) ? patch['metadata'] : {};
  const om = isObj(out['metadata']) ? out['metadata'] : (out['metadata'] = dict<unknown>());
  for (const field of ['labels', 'annotations'] as const) {
    const changes = pm[field];
    if (!isObj(changes)) continue;
    const target = isObj(om[field]) ? om[field] : (om[field] = dict<unknown>());
    for (const [k, v] of Object.entries(changes)) {
      if (v === null) delete target[k];
      else target[k] = v;
    }
  }
  const ps = isObj(patch['spec']) ? patch['spec'] : {};
  const os = isObj(out['spec']) ? out['spec'] : undefined;
  if (!os) return out;
  if (typeof ps['replicas'] === 'number') os['replicas'] = ps['replicas'];
  if (ps['paused'] === true) os['paused'] = true;
  else if (ps['paused'] === false) delete os['paused'];
  const pcs = isObj(ps['template']) && isObj(ps['template']['spec']) && Array.isArray(ps['template']['spec']['containers']) ? (ps['template']['spec']['containers'] as unknown[]).filter(isObj) : [];
  const ocs = isObj(os['template']) && isObj(os['template']['spec']) && Array.isArray(os['template']['spec']['containers']) ? (os['template']['spec']['containers'] as unknown[]).filter(isObj) : [];
  for (const pc of pcs) {
    const oc = ocs.find((c) => c['name'] === pc['name']);
    if (!oc) continue;
    if (pc['image'] !== undefined) oc['image'] = pc['image'];
    if (pc['resources'] !== undefined) oc['resources'] = pc['resources'];
    if (Array.isArray(pc['env'])) {
      const env = (Array.isArray(oc['env']) ? (oc['env'] as unknown[]) : []).filter(isObj);
      for (const e of (pc['env'] as unknown[]).filter(isObj)) {
        const i = env.findIndex((x) => x['name'] === e['name']);
        if (e['$patch'] === 'delete') {
          if (i >= 0) env.splice(i, 1);
        } else if (i >= 0) env[i] = e;
        else env.push(e);
      }
      oc['env'] = env;
    }
  }
  return out;
}
