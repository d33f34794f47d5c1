/**
 * The console's `kubectl label`, `kubectl annotate`, `kubectl taint nodes` and `kubectl delete
 * deployment`, turned into the same {@link SimAction}s the Kubernetes API (server/k8s) submits for
 * real kubectl: `label` / `annotate` (changes, `null` = `key-`), `taintNode` (the Node's whole new taint
 * list, computed here from its current taints like kubectl does), `deleteDeployment`.
 * Syntax and kubectl's client-side checks here (an existing label without `--overwrite`); the sim
 * validates keys and values (shared/sim/actions/metadata.ts).
 *
 * May import: ../sim/* (read only), ./*.
 */
import type { MetadataChange, MetadataKind, SimAction, SimState } from '../sim/types.ts';
import type { Taint } from '../sim/kinds/types.ts';
import { UsageError, USAGE_HINT, flagString, typeAndNames, type ParsedArgs } from './parse.ts';

const KIND_OF: Partial<Record<string, MetadataKind>> = { pods: 'Pod', nodes: 'Node', deployments: 'Deployment', services: 'Service' };

function ref(ns: string, name: string): string {
  return ns === 'default' ? name : `${ns}/${name}`;
}

/**
 * `kubectl label|annotate TYPE NAME KEY=VALUE... KEY-... [--overwrite]` (one object; Pods, Nodes,
 * Deployments, Services). @throws UsageError with kubectl's wording.
 */
export function metadataCommand(state: SimState, ns: string, verb: 'label' | 'annotate', args: ParsedArgs): SimAction {
  // Resources first, then the updates (kubectl's order): the first word with `=` or a trailing `-` starts them.
  const split = args.positional.findIndex((p, i) => i > 0 && (p.includes('=') || p.endsWith('-')));
  const objs = split < 0 ? args.positional : args.positional.slice(0, split);
  const edits = split < 0 ? [] : args.positional.slice(split);
  const { type, names } = typeAndNames(objs);
  if (type === null || names.length === 0) throw new UsageError(`error: one or more resources must be specified as <resource> <name> or <resource>/<name>\n${USAGE_HINT}`);
  const kind = KIND_OF[type];
  if (kind === undefined) throw new UsageError(`error: ${verb} is supported for pods, nodes, deployments and services in this game`);
  if (names.length > 1) throw new UsageError('error: one object at a time, please');
  const name = names[0]!;
  const store = kind === 'Pod' ? state.pods : kind === 'Node' ? state.nodes : kind === 'Deployment' ? state.deployments : state.services;
  const key = kind === 'Node' ? name : `${ns}/${name}`;
  const plural = kind === 'Deployment' ? 'deployments.apps' : type;
  const obj = Object.hasOwn(store, key) ? store[key] : undefined;
  if (!obj) throw new UsageError(`Error from server (NotFound): ${plural} "${name}" not found`);
  if (edits.length === 0) throw new UsageError(`error: at least one ${verb === 'label' ? 'label' : 'annotation'} update is required`);
  const current = (verb === 'label' ? obj.metadata.labels : obj.metadata.annotations) ?? {};
  const changes: MetadataChange[] = [];
  for (const e of edits) {
    if (e.endsWith('-') && !e.includes('=')) {
      changes.push({ key: e.slice(0, -1), value: null });
      continue;
    }
    const eq = e.indexOf('=');
    const k = e.slice(0, eq);
    const v = e.slice(eq + 1);
    if (k === '') throw new UsageError(`error: invalid ${verb === 'label' ? 'label' : 'annotation'} spec: ${e}`);
    if (Object.hasOwn(current, k) && current[k] !== v && args.flags['overwrite'] !== true) {
      throw new UsageError(`error: '${k}' already has a value (${current[k]}), and --overwrite is false`);
    }
    changes.push({ key: k, value: v });
  }
  const target = kind === 'Node' ? name : ref(ns, name);
  return verb === 'label' ? { type: 'label', kind, name: target, labels: changes } : { type: 'annotate', kind, name: target, annotations: changes };
}

const EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const;
type Effect = (typeof EFFECTS)[number];

/**
 * `kubectl taint nodes NODE KEY[=VALUE]:EFFECT... KEY[:EFFECT]-... [--overwrite]`: the Node's new taint
 * list (kubectl's own computation, K staging/src/k8s.io/kubectl/pkg/cmd/taint). @throws UsageError.
 */
export function taintCommand(state: SimState, args: ParsedArgs): SimAction {
  const [what, node, ...specs] = args.positional;
  const { type, names } = typeAndNames(what === undefined ? [] : what.includes('/') ? [what] : [what, ...(node === undefined ? [] : [node])]);
  const nodeName = what?.includes('/') ? names[0] : node;
  const rest = what?.includes('/') ? [node, ...specs].filter((s): s is string => s !== undefined) : specs;
  if (type !== 'nodes' || nodeName === undefined) throw new UsageError(`error: taint is supported for nodes only: kubectl taint nodes NODE KEY=VALUE:EFFECT\n${USAGE_HINT}`);
  const n = Object.hasOwn(state.nodes, nodeName) ? state.nodes[nodeName] : undefined;
  if (!n) throw new UsageError(`Error from server (NotFound): nodes "${nodeName}" not found`);
  if (rest.length === 0) throw new UsageError('error: at least one taint update is required');
  let taints: Omit<Taint, 'timeAdded'>[] = n.spec.taints.map((t) => (t.value === undefined ? { key: t.key, effect: t.effect } : { key: t.key, value: t.value, effect: t.effect }));
  for (const s of rest) {
    if (s.endsWith('-')) {
      const [key, effect] = s.slice(0, -1).split(':');
      const before = taints.length;
      taints = taints.filter((t) => !(t.key === key && (effect === undefined || t.effect === effect)));
      if (taints.length === before) throw new UsageError(`error: taint "${s.slice(0, -1)}" not found`);
      continue;
    }
    const m = /^([^=:]+)(?:=([^:]*))?:(.+)$/.exec(s);
    if (!m) throw new UsageError(`error: invalid taint spec: ${s}`);
    const effect = m[3] as Effect;
    if (!EFFECTS.includes(effect)) throw new UsageError(`error: invalid taint effect: ${m[3]}, unsupported taint effect`);
    const existing = taints.find((t) => t.key === m[1] && t.effect === effect);
    if (existing && args.flags['overwrite'] !== true) throw new UsageError(`error: node ${nodeName} already has ${m[1]} taint(s) with same effect(s) and --overwrite is false`);
    taints = taints.filter((t) => t !== existing);
    const t: Omit<Taint, 'timeAdded'> = { key: m[1]!, effect };
    if (m[2] !== undefined && m[2] !== '') t.value = m[2];
    taints.push(t);
  }
  return { type: 'taintNode', node: nodeName, taints };
}

/** `kubectl delete deployment NAME [--cascade=background|foreground|orphan]`. @throws UsageError. */
export function deleteDeploymentCommand(state: SimState, ns: string, args: ParsedArgs): SimAction {
  const { names } = typeAndNames(args.positional);
  if (names.length !== 1) throw new UsageError('error: one deployment at a time, please');
  const name = names[0]!;
  if (!Object.hasOwn(state.deployments, `${ns}/${name}`)) throw new UsageError(`Error from server (NotFound): deployments.apps "${name}" not found`);
  const cascade = flagString(args, 'cascade') ?? 'background';
  const propagation = cascade === 'background' || cascade === 'true' ? undefined : cascade === 'foreground' ? 'Foreground' : cascade === 'orphan' || cascade === 'false' ? 'Orphan' : null;
  if (propagation === null) throw new UsageError(`error: invalid cascade value (${cascade}). Must be "background", "foreground", or "orphan"`);
  const action: SimAction = { type: 'deleteDeployment', deployment: ref(ns, name) };
  if (propagation !== undefined) action.propagation = propagation;
  return action;
}
