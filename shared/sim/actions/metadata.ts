/**
 * `kubectl label`, `kubectl annotate` (Pods, Nodes, Deployments, Services) and `kubectl taint nodes`.
 * Immediate API writes (completesAt = now) through the API server's write path: `updateMetadata` and
 * `updateObject` in ../apiserver.ts. Relabelling a Pod moves it in or out of the Services that select
 * it (the EndpointSlice controller follows on the next tick), which is the classic way to take a Pod out
 * of rotation for debugging. A ReplicaSet does not release a relabelled Pod here (simplification: the
 * real ReplicaSet controller orphans a Pod its selector no longer matches and creates a replacement).
 *
 * Taints: the action carries the Node's whole new `spec.taints` (what kubectl sends); a NoSchedule or
 * NoExecute taint keeps new Pods off the Node (the scheduler's TaintToleration filter); a new NoExecute
 * taint also evicts, at once, the Pods on the Node that do not tolerate it (the taint manager: a
 * graceful delete and a `TaintManagerEviction` event; Pods tolerating it for `tolerationSeconds` stay,
 * a simplification: they are not evicted when that time runs out). Source: K
 * pkg/controller/tainteviction, https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/.
 * Validation: the API server's label rules (K staging/src/k8s.io/apimachinery/pkg/util/validation):
 * keys `[prefix/]name` (prefix a DNS subdomain of at most 253 characters, name at most 63 alphanumeric,
 * `-`, `_`, `.`, alphanumeric at both ends), label values at most 63 of the same characters or empty.
 */
import { deletePod, notFound, updateMetadata, updateObject, type MetadataWriteKind } from '../apiserver.ts';
import { noExecuteTolerationSeconds } from '../controllers/schedulerPlugins.ts';
import { getIndex } from '../cache.ts';
import { recordEvent } from '../events.ts';
import { objKey, splitKey } from '../names.ts';
import { isTerminating } from '../podutil.ts';
import type { MetadataChange, SimState } from '../types.ts';
import type { Taint } from '../kinds/types.ts';
import { reject, type Handled } from './handler.ts';

const NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** The API server's complaint about a label/annotation key, or undefined when valid. */
export function keyError(key: string): string | undefined {
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && (prefix.length === 0 || prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) return `prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`;
  if (name.length === 0) return 'name part must be non-empty';
  if (name.length > 63) return 'name part must be no more than 63 characters';
  if (!NAME_PART.test(name)) return "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
  return undefined;
}

/** The API server's complaint about a label value, or undefined when valid. */
export function labelValueError(value: string): string | undefined {
  if (value.length > 63) return 'must be no more than 63 characters';
  if (value !== '' && !NAME_PART.test(value)) return "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
  return undefined;
}

/** kubectl's resource word: `pod`, `node`, `deployment.apps`, `service`. */
function resourceWord(kind: MetadataWriteKind): string {
  return kind === 'Deployment' ? 'deployment.apps' : kind.toLowerCase();
}

/** The stored key of `name` (`namespace/name` or a bare name in `default`; Nodes by name). */
function storedKey(state: SimState, kind: MetadataWriteKind, name: string): string | undefined {
  const key = kind === 'Node' ? name : objKey(splitKey(name).namespace, splitKey(name).name);
  const store = kind === 'Pod' ? state.pods : kind === 'Node' ? state.nodes : kind === 'Deployment' ? state.deployments : state.services;
  return Object.hasOwn(store, key) ? key : undefined;
}

const PLURAL: Record<MetadataWriteKind, string> = { Pod: 'pods', Node: 'nodes', Deployment: 'deployments.apps', Service: 'services' };

/** `kubectl label` (field `labels`) or `kubectl annotate` (field `annotations`). */
export function metadataAction(state: SimState, kind: MetadataWriteKind, name: string, field: 'labels' | 'annotations', changes: readonly MetadataChange[]): Handled {
  const bare = kind === 'Node' ? name : splitKey(name).name;
  const key = storedKey(state, kind, name);
  if (key === undefined) return reject(notFound(PLURAL[kind], bare));
  const Kind = kind;
  for (const c of changes) {
    const kErr = keyError(c.key);
    if (kErr) return reject(`The ${Kind} "${bare}" is invalid: metadata.${field}: Invalid value: "${c.key}": ${kErr}`);
    if (field === 'labels' && c.value !== null) {
      const vErr = labelValueError(c.value);
      if (vErr) return reject(`The ${Kind} "${bare}" is invalid: metadata.labels: Invalid value: "${c.value}": ${vErr}`);
    }
  }
  const r = updateMetadata(state, kind, key, field, changes);
  if (!r.ok) return reject(r.error);
  const verb = field === 'labels' ? 'labeled' : 'annotated';
  return { result: { ok: true, message: `${resourceWord(kind)}/${bare} ${verb}`, completesAt: state.t } };
}

const EFFECTS = new Set(['NoSchedule', 'PreferNoSchedule', 'NoExecute']);

/** `kubectl taint nodes NAME ...`: sets the Node's taints to `taints`; a new NoExecute taint evicts. */
export function taintAction(state: SimState, name: string, taints: readonly Omit<Taint, 'timeAdded'>[]): Handled {
  const node = Object.hasOwn(state.nodes, name) ? state.nodes[name] : undefined;
  if (!node) return reject(notFound('nodes', name));
  const seen = new Set<string>();
  for (const [i, t] of taints.entries()) {
    const kErr = keyError(t.key);
    if (kErr) return reject(`The Node "${name}" is invalid: spec.taints[${i}].key: Invalid value: "${t.key}": ${kErr}`);
    if (t.value !== undefined && t.value !== '') {
      const vErr = labelValueError(t.value);
      if (vErr) return reject(`The Node "${name}" is invalid: spec.taints[${i}].value: Invalid value: "${t.value}": ${vErr}`);
    }
    if (!EFFECTS.has(t.effect)) return reject(`The Node "${name}" is invalid: spec.taints[${i}].effect: Unsupported value: "${t.effect}": supported values: "NoExecute", "NoSchedule", "PreferNoSchedule"`);
    const id = `${t.key}:${t.effect}`;
    if (seen.has(id)) return reject(`The Node "${name}" is invalid: spec.taints[${i}]: Duplicate value: "${id}"`);
    seen.add(id);
  }
  const same = (a: Omit<Taint, 'timeAdded'>, b: Omit<Taint, 'timeAdded'>) => a.key === b.key && a.effect === b.effect && (a.value ?? '') === (b.value ?? '');
  const before = node.spec.taints;
  const next: Taint[] = taints.map((t) => {
    const kept = before.find((b) => same(b, t));
    const out: Taint = { key: t.key, effect: t.effect, timeAdded: kept?.timeAdded ?? state.t };
    if (t.value !== undefined && t.value !== '') out.value = t.value;
    return out;
  });
  const added = next.filter((t) => !before.some((b) => same(b, t)));
  const removed = before.filter((b) => !next.some((t) => same(b, t)));
  if (added.length === 0 && removed.length === 0) return { result: { ok: true, message: `node/${name} not tainted`, completesAt: state.t } };
  const r = updateObject(state, 'Node', name, (n) => {
    n.spec.taints = next;
  });
  if (!r.ok) return reject(r.error);
  if (removed.length > 0 && state.scheduler.unschedulable.length > 0) state.scheduler.moveRequested = true;
  let done = state.t;
  const noExecute = next.filter((t) => t.effect === 'NoExecute');
  if (added.some((t) => t.effect === 'NoExecute')) {
    for (const key of [...(getIndex(state).podsByNode.get(name) ?? [])].sort()) {
      const pod = state.pods[key]!;
      if (isTerminating(pod) || noExecuteTolerationSeconds(pod.spec.tolerations, noExecute) !== 0) continue;
      const d = deletePod(state, key);
      if (!d.ok) continue;
      done = Math.max(done, d.goneAt);
      const { namespace, name: podName } = splitKey(key);
      recordEvent(state, 'Normal', 'TaintManagerEviction', { kind: 'Pod', name: podName, namespace }, `Marking for deletion Pod ${key}`, 'taint-eviction-controller');
    }
  }
  const message = added.length > 0 ? `node/${name} tainted` : `node/${name} untainted`;
  return { result: { ok: true, message, completesAt: done } };
}
