/**
 * Console commands that read standard input (issue 7): `kubectl apply -f -` / `apply -f FILE` /
 * `create -f -` of pasted YAML (one or more documents) and `kubectl edit TYPE NAME` (the web console's
 * editor: without input the answer is the object's YAML, exactly as `kubectl get -o yaml` prints it;
 * with the edited text, the changed fields).
 *
 * Each document becomes the game actions the Kubernetes API (server/k8s) maps the same write to, so
 * the console and a real kubectl are one game: the mapping itself is the caller's {@link ApiWrites}
 * (the room passes server/k8s/writes.ts `createAction` / `autoscalerCreateAction` and desired.ts
 * `desiredPatch` + `deploymentActions` / `metadataOnlyActions` / `policyPatchActions`), so this module
 * stays pure and below server/.
 *
 * kubectl's behaviour followed (k8s.io/kubectl/pkg/cmd/apply, pkg/cmd/edit, v1.32):
 * - every document is read and validated before anything is written (`apiVersion not set`, `kind not
 *   set`, `no matches for kind`, a namespace other than `-n`'s): one of them wrong and nothing is applied;
 * - then one line per document, in order: `deployment.apps/web created`, `... configured`,
 *   `... unchanged` (apply), `... created` or `Error from server (AlreadyExists): error when creating
 *   "STDIN": ...` (create);
 * - client-side apply: `apply` stores the file as the `kubectl.kubernetes.io/last-applied-configuration`
 *   annotation and a later apply removes what it names and the new file drops ({@link threeWay});
 *   an object without it gets kubectl's `Warning: resource KIND/NAME is missing the ... annotation`;
 * - `--dry-run=client|server`: the same lines with ` (dry run)` / ` (server dry run)`, nothing submitted;
 * - edit: `deployment.apps/web edited`, or `Edit cancelled, no changes made.` when nothing changed; an
 *   edit the server refuses answers `error: deployments.apps "web" is invalid` with the causes (real
 *   kubectl then reopens the editor; the web console keeps it open).
 *
 * May import: ../sim/* (read only), ./*, yaml (the parser shared/manifests uses).
 */
import { parseAllDocuments } from 'yaml';
import type { SimAction, SimState } from '../sim/types.ts';
import { apiGroup, kindForResource, kindOf, kindsWhere, objectKey, printedResource, qualifiedResource, servedVersions, toApi, type KindDef, type KindsWhere } from '../sim/kinds/index.ts';
import { apiReadable, ETCD_READ_ERROR } from './cluster.ts';
import { UsageError, USAGE_HINT, flagString, parseArgs, tokenize, type FlagDef } from './parse.ts';
import { omitEmpty, toYaml } from './format.ts';

/** The kinds the console can apply (each has write actions): computed from the registry's write table (shared/sim/kinds/writable.ts). */
export const APPLY_KINDS = kindsWhere('apply', true);
/** One of {@link APPLY_KINDS}. */
export type ApplyKind = (typeof APPLY_KINDS)[number];
/** The kinds `kubectl edit` also changes, through their actions only (Pod labels/annotations; Node cordon, taints, labels). */
export type EditKind = ApplyKind | KindsWhere<'edit', true>;
/** The kinds `kubectl edit` takes. */
const EDIT_KINDS: readonly string[] = kindsWhere('edit', true);

/** A refused write, shaped like a `meta.k8s.io/v1` Status (server/k8s/status.ts `StatusError` fits). */
export interface WriteRefusal {
  /** HTTP code (422 Invalid, 400 BadRequest...). */
  code: number;
  body: { reason: string; message: string; details?: { causes?: { message: string; field?: string }[] } };
}

/**
 * The Kubernetes API's write mapping (server/k8s), lent by the caller. (issue 11) `create` covers every
 * {@link APPLY_KINDS} kind: PDBs, ResourceQuotas, LimitRanges, Jobs, CronJobs, StatefulSets,
 * DaemonSets, ConfigMaps, Secrets... map to the `createObject` action; (issue 6) `update` of an
 * existing LimitRange, Job, CronJob, StatefulSet, DaemonSet, ConfigMap or Secret to `applyObject`
 * (none when nothing changed: `unchanged`).
 */
export interface ApiWrites {
  /** `POST` of a new object (`kubectl create -f`, `apply -f` of an object that does not exist). */
  create(kind: ApplyKind, ns: string, body: Record<string, unknown>): SimAction | WriteRefusal;
  /**
   * The actions that turn `served` (the object as `get -o json` prints it) into `desired`: apply
   * semantics (`replace` false: only what `desired` names) or edit/replace (`replace` true). Empty: no change.
   */
  update(kind: EditKind, ns: string, name: string, served: Record<string, unknown>, desired: Record<string, unknown>, replace: boolean, removed?: { labels: string[]; annotations: string[] }): SimAction[] | WriteRefusal;
}

/** One step of an answer: actions to submit in order, then `done` is printed; or a line as is. */
export type InputStep = { actions: SimAction[]; done: string; object: string } | { text: string; error: boolean };

/**
 * What a stdin command produced: the YAML to edit (`kubectl edit` without input), the steps to run
 * (submit each step's actions, print its line; an action the sim refuses prints `Error from server: ...`
 * for that document and the next documents still run, as kubectl does), or an error.
 */
export type KubectlInputResult = { kind: 'edit'; yaml: string } | { kind: 'steps'; steps: InputStep[] } | { kind: 'error'; error: string };

/** Largest standard input accepted, characters (the manifest limit of `createDeployment`). */
export const MAX_STDIN_CHARS = 65_536;
/**
 * Most documents one apply takes (each is up to a few actions, all submitted at once: a cap keeps one
 * message from being hundreds of actions past the room's per-second message limit).
 */
export const MAX_DOCUMENTS = 50;

const APPLY_FLAGS: FlagDef[] = [
  { name: 'filename', short: 'f', value: true },
  { name: 'validate', value: true },
  { name: 'output', short: 'o', value: true },
  { name: 'dry-run', value: true },
];
const EDIT_INPUT_FLAGS: FlagDef[] = [{ name: 'output', short: 'o', value: true }];

/** The registry's definition of an apply / edit kind (every one is registered). */
const defOf = (kind: EditKind): KindDef => kindOf(kind)!;
/** `resource.group` as kubectl prints objects (`deployment.apps/web`). */
const printed = (kind: EditKind): string => printedResource(defOf(kind));
/** `plural.group` as the API names them in errors (`deployments.apps "web" not found`). */
const qualified = (kind: EditKind): string => qualifiedResource(defOf(kind));

function isApplyKind(kind: string): kind is ApplyKind {
  return (APPLY_KINDS as readonly string[]).includes(kind);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function isRefusal(v: unknown): v is WriteRefusal {
  return isRecord(v) && typeof v['code'] === 'number' && isRecord(v['body']);
}

/** `Error from server (Reason): PREFIX: message` (no reason: `Error from server: ...`). */
function serverError(r: WriteRefusal, prefix: string): string {
  return `Error from server${r.body.reason === '' ? '' : ` (${r.body.reason})`}: ${prefix}${r.body.message}`;
}

/** The stored object of `kind` named `name` in `ns`, in its API form, or undefined. */
export function servedObject(state: SimState, kind: EditKind, ns: string, name: string): Record<string, unknown> | undefined {
  const def = kindOf(kind) as KindDef | undefined;
  if (!def) return undefined;
  const store = def.store(state);
  const key = objectKey(def, { name, namespace: ns } as Parameters<typeof objectKey>[1]);
  const obj = Object.hasOwn(store, key) ? store[key] : undefined;
  return obj ? toApi(obj, state) : undefined;
}

/** A parsed document: its kind, name, namespace and body. */
interface Doc {
  kind: EditKind;
  name: string;
  ns: string;
  body: Record<string, unknown>;
}

/**
 * Parses and validates every document of `text` (`source`: `STDIN` or the file name, as kubectl
 * names it in errors; `edit`: Pods and Nodes accepted too). @throws UsageError with kubectl's wording; nothing is applied then.
 */
export function parseDocuments(text: string, source: string, nsFlag: string | undefined, edit = false): Doc[] {
  if (text.length > MAX_STDIN_CHARS) throw new UsageError(`error: ${source} is ${text.length} characters; the console accepts at most ${MAX_STDIN_CHARS}`);
  const docs = parseAllDocuments(text, { uniqueKeys: true });
  const out: Doc[] = [];
  for (const d of Array.isArray(docs) ? docs : [docs]) {
    const problem = d.errors[0];
    if (problem) {
      const line = problem.linePos?.[0]?.line;
      throw new UsageError(`error: error parsing ${source}: error converting YAML to JSON: yaml: ${line === undefined ? '' : `line ${line}: `}${problem.message.split('\n')[0]}`);
    }
    const value: unknown = d.toJS({ maxAliasCount: 20 });
    if (value === null || value === undefined) continue; // an empty document (`---` at the end)
    if (!isRecord(value)) throw new UsageError(`error: error validating "${source}": error validating data: invalid object to validate; if you choose to ignore these errors, turn validation off with --validate=false`);
    const missing = [...(typeof value['apiVersion'] === 'string' && value['apiVersion'] !== '' ? [] : ['apiVersion not set']), ...(typeof value['kind'] === 'string' && value['kind'] !== '' ? [] : ['kind not set'])];
    if (missing.length > 0) throw new UsageError(`error: error validating "${source}": error validating data: ${missing.length === 1 ? missing[0] : `[${missing.join(', ')}]`}; if you choose to ignore these errors, turn validation off with --validate=false`);
    const kind = value['kind'] as string;
    const apiVersion = value['apiVersion'] as string;
    if (value['kind'] === 'List' && Array.isArray(value['items'])) {
      for (const item of (value['items'] as unknown[]).slice(0, MAX_DOCUMENTS + 1)) out.push(...parseDocuments(JSON.stringify(item), source, nsFlag, edit));
      if (out.length > MAX_DOCUMENTS) throw new UsageError(`error: ${source} holds more than ${MAX_DOCUMENTS} objects; the console applies at most ${MAX_DOCUMENTS} at once: split it`);
      continue;
    }
    const meta = isRecord(value['metadata']) ? value['metadata'] : {};
    const name = typeof meta['name'] === 'string' ? meta['name'] : '';
    const docNs = typeof meta['namespace'] === 'string' && meta['namespace'] !== '' ? meta['namespace'] : undefined;
    if (!isApplyKind(kind) && !(edit && (kind === 'Pod' || kind === 'Node'))) {
      const known = kindOf(kind) !== undefined;
      throw new UsageError(
        known
          ? `error: the console cannot apply kind "${kind}" ("${name}" in ${source}): it applies ${APPLY_KINDS.join(', ')}; for other objects use the commands that change them (scale, set image, rollout, label, cordon, delete pod...)`
          : `error: resource mapping not found for name: "${name}" namespace: "${docNs ?? ''}" from "${source}": no matches for kind "${kind}" in version "${apiVersion}"\nensure CRDs are installed first (the console applies ${APPLY_KINDS.join(', ')})`,
      );
    }
    const typed = kind as EditKind;
    if (!servedVersions(defOf(typed)).includes(apiVersion)) {
      throw new UsageError(`error: resource mapping not found for name: "${name}" namespace: "${docNs ?? ''}" from "${source}": no matches for kind "${kind}" in version "${apiVersion}"\nensure CRDs are installed first (${kind} is served at ${servedVersions(defOf(typed)).join(', ')})`);
    }
    if (name === '') throw new UsageError(`error: error when retrieving current configuration of:\nResource: "${qualified(typed)}", GroupVersionKind: "${apiVersion}, Kind=${kind}"\nName: "", Namespace: "${docNs ?? nsFlag ?? 'default'}"\nfrom server for: "${source}": resource name may not be empty`);
    if (nsFlag !== undefined && docNs !== undefined && docNs !== nsFlag) {
      throw new UsageError(`error: the namespace from the provided object "${docNs}" does not match the namespace "${nsFlag}". You must pass '--namespace=${docNs}' to perform this operation.`);
    }
    out.push({ kind: typed, name, ns: docNs ?? nsFlag ?? 'default', body: value });
    if (out.length > MAX_DOCUMENTS) throw new UsageError(`error: ${source} holds more than ${MAX_DOCUMENTS} objects; the console applies at most ${MAX_DOCUMENTS} at once: split it`);
  }
  return out;
}

/** `kubectl apply|create -f -|FILE` of `stdin`: one step per document. @throws UsageError. */
function applyDocuments(state: SimState, verb: 'apply' | 'create', words: string[], stdin: string, writes: ApiWrites): InputStep[] {
  const args = parseArgs(words, APPLY_FLAGS);
  const file = flagString(args, 'filename');
  if (file === undefined) throw new UsageError(`error: must specify one of -f and -k\n${USAGE_HINT}`);
  if (args.positional.length > 0) throw new UsageError(`error: Unexpected args: [${args.positional.join(' ')}]\n${USAGE_HINT}`);
  const output = flagString(args, 'output');
  if (output !== undefined && output !== 'name') throw new UsageError(`error: unable to match a printer suitable for the output format "${output}", allowed formats are: name`);
  const dryRun = flagString(args, 'dry-run') ?? 'none';
  if (dryRun !== 'none' && dryRun !== 'client' && dryRun !== 'server') throw new UsageError(`error: Invalid dry-run value (${dryRun}). Must be "none", "server", or "client".`);
  const source = file === '-' ? 'STDIN' : file;
  const nsFlag = flagString(args, 'namespace');
  const docs = parseDocuments(stdin, source, nsFlag === '' ? undefined : nsFlag);
  if (docs.length === 0) throw new UsageError('error: no objects passed to ' + verb);
  if (!apiReadable(state)) throw new UsageError(ETCD_READ_ERROR);
  const steps = docs.map((doc): InputStep => {
    const object = `${printed(doc.kind)}/${doc.name}`;
    const served = servedObject(state, doc.kind, doc.ns, doc.name);
    const suffix = (word: string) => (output === 'name' ? object : `${object} ${word}`);
    // `apply` stores the file as the last-applied-configuration annotation (create -f does not: no --save-config)
    const applied = verb === 'apply' ? withLastApplied(doc) : doc.body;
    if (served === undefined || verb === 'create') {
      if (served !== undefined) return { text: `Error from server (AlreadyExists): error when creating "${source}": ${qualified(doc.kind)} "${doc.name}" already exists`, error: true };
      const body = { ...applied, metadata: { ...(applied['metadata'] as Record<string, unknown>), ...(defOf(doc.kind).namespaced ? { namespace: doc.ns } : {}) } };
      const a = writes.create(doc.kind as ApplyKind, doc.ns, body); // parsed without `edit`: an ApplyKind
      if (isRefusal(a)) return { text: serverError(a, `error when creating "${source}": `), error: true };
      return { actions: [a], done: suffix('created'), object };
    }
    const { desired, removed } = threeWay(doc.kind, served, applied);
    const actions = writes.update(doc.kind, doc.ns, doc.name, served, desired, false, removed);
    if (isRefusal(actions)) return { text: serverError(actions, `error when applying patch to ${qualified(doc.kind)} "${doc.name}" from "${source}": `), error: true };
    // K pkg/cmd/apply/apply.go warningNoLastAppliedConfigAnnotation (info.ObjectName(): `pods/debug`), on stderr before the line
    // (not for an HPA: the game's HPA keeps no annotations, so it never has one)
    const sm = isRecord(served['metadata']) ? served['metadata'] : {};
    const warn = verb === 'apply' && doc.kind !== 'HorizontalPodAutoscaler' && !(isRecord(sm['annotations']) && Object.hasOwn(sm['annotations'], LAST_APPLIED)) ? `${noLastAppliedWarning(doc.kind, doc.name)}\n` : '';
    return actions.length === 0 ? { text: `${warn}${suffix('unchanged')}`, error: false } : { actions, done: `${warn}${suffix('configured')}`, object };
  });
  if (dryRun === 'none') return steps;
  // --dry-run: what would happen, nothing submitted (kubectl's `(dry run)` / `(server dry run)` suffix)
  const tag = dryRun === 'client' ? ' (dry run)' : ' (server dry run)';
  return steps.map((s) => ('text' in s ? (s.error ? s : { text: `${s.text}${tag}`, error: false }) : { text: `${s.done}${tag}`, error: false }));
}

/** The annotation `kubectl apply` keeps the applied file in (k8s.io/api/core/v1 LastAppliedConfigAnnotation). */
export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * A value as Go's encoding/json writes an unstructured object (`json.NewEncoder(w).Encode`): map keys
 * sorted, `<`, `>`, `&`, U+2028 and U+2029 escaped as `\u003c`..., a newline at the end.
 */
export function goJson(v: unknown): string {
  const enc = (x: unknown): string => {
    if (Array.isArray(x)) return `[${x.map(enc).join(',')}]`;
    if (isRecord(x)) return `{${Object.keys(x).filter((k) => x[k] !== undefined).sort().map((k) => `${enc(k)}:${enc(x[k])}`).join(',')}}`;
    return (JSON.stringify(x) ?? 'null').replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  };
  return `${enc(v)}\n`;
}

/**
 * The document with the `last-applied-configuration` annotation kubectl apply sends (K
 * staging/src/k8s.io/kubectl/pkg/util/apply.go GetModifiedConfiguration): the file's object with its
 * namespace filled in (the builder's DefaultNamespace, namespaced kinds), serialised without that
 * annotation (an `annotations: {}` left in its place when it had none) and stored under it.
 */
function withLastApplied(doc: Doc): Record<string, unknown> {
  const meta = isRecord(doc.body['metadata']) ? doc.body['metadata'] : {};
  const own = Object.create(null) as Record<string, unknown>;
  for (const [k, v] of Object.entries(isRecord(meta['annotations']) ? meta['annotations'] : {})) if (k !== LAST_APPLIED) own[k] = v;
  const ns = defOf(doc.kind).namespaced ? { namespace: doc.ns } : {};
  const file = { ...doc.body, metadata: { ...meta, ...ns, annotations: own } };
  return { ...doc.body, metadata: { ...meta, ...ns, annotations: { ...own, [LAST_APPLIED]: goJson(file) } } };
}

/** kubectl apply's warning for an object without the annotation (created by `create -f` or the scenario); it is then patched in. */
function noLastAppliedWarning(kind: EditKind, name: string): string {
  return `Warning: resource ${defOf(kind).plural}/${name} is missing the ${LAST_APPLIED} annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.`;
}

/** Keys of the string map `original[field]` that `modified[field]` leaves out. */
function droppedKeys(original: Record<string, unknown>, modified: Record<string, unknown>, field: string): string[] {
  const o = isRecord(original[field]) ? original[field] : {};
  const m = isRecord(modified[field]) ? modified[field] : {};
  return Object.keys(o).filter((k) => !Object.hasOwn(m, k)).sort();
}

const recordsOf = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? v.filter(isRecord) : []);
const templateSpec = (o: Record<string, unknown>): Record<string, unknown> => {
  const spec = isRecord(o['spec']) ? o['spec'] : {};
  const t = isRecord(spec['template']) ? spec['template'] : {};
  return isRecord(t['spec']) ? t['spec'] : {};
};

/**
 * kubectl apply's three-way patch (K staging/src/k8s.io/kubectl/pkg/cmd/apply/patcher.go, apimachinery
 * strategicpatch CreateThreeWayMergePatch) as the console's write mapping takes it: the deletions are
 * what the served object's last-applied-configuration names and `applied` (the new file) leaves out.
 * Labels and annotations dropped (and still on the object) come back as `removed`, and for the kinds
 * the room patches (Deployment, Service, Pod) also as `null` values in the desired maps; a Deployment
 * container's env entry dropped from the file becomes `{name, $patch: delete}`. Without the annotation
 * (an object not created by apply) nothing is removed, as kubectl (which then warns and patches it in).
 * The kinds updated by action `applyObject` rebuild the spec sections the file names (a StatefulSet's
 * template, a ConfigMap's data), so a field dropped there goes with them.
 */
function threeWay(kind: EditKind, served: Record<string, unknown>, applied: Record<string, unknown>): { desired: Record<string, unknown>; removed: { labels: string[]; annotations: string[] } } {
  const sm = isRecord(served['metadata']) ? served['metadata'] : {};
  const live = isRecord(sm['annotations']) ? sm['annotations'] : {};
  let original: Record<string, unknown> | undefined;
  try {
    const parsed: unknown = typeof live[LAST_APPLIED] === 'string' ? JSON.parse(live[LAST_APPLIED]) : undefined;
    original = isRecord(parsed) ? parsed : undefined;
  } catch {
    original = undefined; // kubectl: an unreadable annotation is an error; the console then removes nothing
  }
  const none = { labels: [] as string[], annotations: [] as string[] };
  if (original === undefined) return { desired: applied, removed: none };
  const om = isRecord(original['metadata']) ? original['metadata'] : {};
  const am = isRecord(applied['metadata']) ? applied['metadata'] : {};
  const onObject = (field: 'labels' | 'annotations') => droppedKeys(om, am, field).filter((k) => isRecord(sm[field]) && Object.hasOwn(sm[field], k) && k !== LAST_APPLIED);
  const removed = { labels: onObject('labels'), annotations: onObject('annotations') };
  if (kind !== 'Deployment' && kind !== 'Service') return { desired: applied, removed };
  const nulls = (field: 'labels' | 'annotations') => {
    const out = Object.create(null) as Record<string, unknown>;
    for (const [k, v] of Object.entries(isRecord(am[field]) ? am[field] : {})) out[k] = v;
    for (const k of removed[field]) out[k] = null;
    return out;
  };
  let desired: Record<string, unknown> = { ...applied, metadata: { ...am, labels: nulls('labels'), annotations: nulls('annotations') } };
  if (kind === 'Deployment') {
    const servedContainers = recordsOf(templateSpec(served)['containers']);
    const originalContainers = recordsOf(templateSpec(original)['containers']);
    const spec = isRecord(desired['spec']) ? desired['spec'] : {};
    const template = isRecord(spec['template']) ? spec['template'] : {};
    const pspec = templateSpec(desired);
    const containers = recordsOf(pspec['containers']).map((c) => {
      const oc = originalContainers.find((x) => x['name'] === c['name']);
      const sc = servedContainers.find((x) => x['name'] === c['name']);
      if (!oc || !sc) return c;
      const names = new Set(recordsOf(c['env']).map((e) => e['name']));
      const live = new Set(recordsOf(sc['env']).map((e) => e['name']));
      const gone = recordsOf(oc['env']).filter((e) => !names.has(e['name']) && live.has(e['name'])).map((e) => ({ name: e['name'], $patch: 'delete' }));
      return gone.length === 0 ? c : { ...c, env: [...recordsOf(c['env']), ...gone] };
    });
    if (Array.isArray(pspec['containers'])) desired = { ...desired, spec: { ...spec, template: { ...template, spec: { ...pspec, containers } } } };
  }
  return { desired, removed };
}

/** `TYPE NAME` / `TYPE/NAME` of `kubectl edit`, resolved to an editable kind. @throws UsageError. */
function editTarget(positional: string[]): { kind: EditKind; name: string } {
  const [first, second, ...more] = positional;
  if (first === undefined) throw new UsageError(`error: you must provide one or more resources by argument or filename, e.g. 'kubectl edit deployment NAME'\n${USAGE_HINT}`);
  const slash = first.indexOf('/');
  const word = slash >= 0 ? first.slice(0, slash) : first;
  const name = slash >= 0 ? first.slice(slash + 1) : second;
  if (name === undefined || name === '') throw new UsageError('error: resource(s) were provided, but no name was specified');
  if ((slash >= 0 && second !== undefined) || more.length > 0) throw new UsageError('error: the console edits one object at a time');
  // any kubectl spelling of an editable kind (`deploy`, `deployments.apps`, `hpa`...), a group suffix its own
  const lower = word.toLowerCase();
  const dot = lower.indexOf('.');
  const def = kindForResource(dot < 0 ? lower : lower.slice(0, dot));
  const kind = def && EDIT_KINDS.includes(def.kind) && (dot < 0 || lower.slice(dot + 1) === apiGroup(def)) ? (def.kind as EditKind) : undefined;
  if (kind === undefined) throw new UsageError(`error: the console cannot edit "${word}": it edits deployments, services, hpa, pdb, resourcequotas, pods and nodes (for others use scale, set, label, annotate, taint, cordon)`);
  return { kind, name };
}

/** The fields the server fills in, which an edit keeps as they are (not compared). */
function withoutStatus(o: Record<string, unknown>): Record<string, unknown> {
  const { status: _status, ...rest } = o;
  return rest;
}

/** `kubectl edit TYPE NAME`: the YAML (no input) or the steps of the edited text. @throws UsageError. */
function editObject(state: SimState, words: string[], stdin: string | undefined, writes: ApiWrites): KubectlInputResult {
  const args = parseArgs(words, EDIT_INPUT_FLAGS);
  const { kind, name } = editTarget(args.positional);
  const ns = flagString(args, 'namespace') || 'default';
  if (!apiReadable(state)) throw new UsageError(ETCD_READ_ERROR);
  const served = servedObject(state, kind, ns, name);
  if (served === undefined) throw new UsageError(`Error from server (NotFound): ${qualified(kind)} "${name}" not found`);
  if (stdin === undefined) return { kind: 'edit', yaml: toYaml(omitEmpty(served)) };
  const text = stdin.split('\n').filter((l) => !l.startsWith('#')).join('\n');
  if (text.trim() === '') return { kind: 'steps', steps: [{ text: 'Edit cancelled, saved file was empty.', error: false }] };
  const docs = parseDocuments(text, 'edited file', kind === 'Node' ? undefined : ns, true);
  const doc = docs[0];
  if (docs.length !== 1 || !doc) throw new UsageError('error: the edited file must hold exactly one object');
  if (doc.kind !== kind || doc.name !== name) throw new UsageError(`error: At least one of apiVersion, kind and name was changed`);
  // the baseline is the YAML the editor opened (empty fields omitted), so an untouched omitted field is no change
  const actions = writes.update(kind, ns, name, omitEmpty(withoutStatus(served)) as Record<string, unknown>, withoutStatus(doc.body), true);
  if (isRefusal(actions)) {
    const causes = actions.body.details?.causes ?? [];
    const lines = causes.length > 0 ? causes.map((c) => `* ${c.field ? `${c.field}: ` : ''}${c.message}`) : [`* ${actions.body.message}`];
    throw new UsageError([`error: ${qualified(kind)} "${name}" is invalid`, ...lines].join('\n'));
  }
  if (actions.length === 0) return { kind: 'steps', steps: [{ text: 'Edit cancelled, no changes made.', error: false }] };
  return { kind: 'steps', steps: [{ actions, done: `${printed(kind)}/${name} edited`, object: `${printed(kind)}/${name}` }] };
}

/**
 * Runs a console command that reads standard input: `kubectl apply -f -|FILE`, `kubectl create -f
 * -|FILE` (stdin: the pasted YAML, required) and `kubectl edit TYPE NAME` (the apply kinds, Pods, Nodes) (stdin absent: the YAML to
 * edit; present: the edited text). `kubectl` / `k` in front is optional, `-n NS` anywhere. Pure;
 * never throws for user input (errors come back as `{kind: 'error'}` with kubectl's wording).
 */
export function runKubectlInput(state: SimState, command: string, stdin: string | undefined, writes: ApiWrites): KubectlInputResult {
  try {
    const all = tokenize(command.trim());
    const words = all[0] === 'kubectl' || all[0] === 'k' ? all.slice(1) : all;
    // flags written before the verb (`kubectl -n shop apply -f -`) move after it
    let verbAt = 0;
    while (verbAt < words.length && words[verbAt]!.startsWith('-')) verbAt += words[verbAt] === '-n' || words[verbAt] === '--namespace' ? 2 : 1;
    const verb = words[verbAt];
    const rest = [...words.slice(verbAt + 1), ...words.slice(0, verbAt)];
    if (verb === 'apply' || verb === 'create') {
      if (stdin === undefined) return { kind: 'error', error: `error: kubectl ${verb} -f in the console reads the YAML pasted in its editor: nothing was sent` };
      return { kind: 'steps', steps: applyDocuments(state, verb, rest, stdin, writes) };
    }
    if (verb === 'edit') return editObject(state, rest, stdin, writes);
    return { kind: 'error', error: `error: "${verb ?? ''}" does not read input: the console's editor is for kubectl apply -f, create -f and edit` };
  } catch (e) {
    if (e instanceof UsageError) return { kind: 'error', error: e.message };
    return { kind: 'error', error: `error: ${e instanceof Error ? e.message : String(e)}` };
  }
}

export { readsInput } from './stdinLine.ts';
