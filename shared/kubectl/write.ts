/**
 * The console's write commands, turned into {@link SimAction}s (the sim applies them: validation of
 * state-dependent rules and timing live in shared/sim/actions). Here: syntax, flag checks and NotFound
 * errors for objects that do not exist, with kubectl's wording.
 *
 * Object references in actions: the bare name in the `default` namespace, else `namespace/name`.
 * Every command throws {@link UsageError} with kubectl's wording for bad syntax or a missing object.
 *
 * May import: ../sim/* (read only), ./*.
 */
import { DELETABLE_KINDS, type DeletableKind, type SimAction, type SimState } from '../sim/types.ts';
import { kindForResource } from '../sim/kinds/index.ts';
import type { KindDef } from '../sim/kinds/kind.ts';
import { parseQuantity } from '../manifests/quantity.ts';
import { UsageError, USAGE_HINT, flagString, typeAndNames, type ParsedArgs } from './parse.ts';
import { API_RESOURCE } from './get.ts';
import { revisions } from './rollout.ts';

function ref(ns: string, name: string): string {
  return ns === 'default' ? name : `${ns}/${name}`;
}

function requireDeployment(state: SimState, ns: string, positional: string[], verb: string): { name: string; key: string } {
  const { type, names } = typeAndNames(positional);
  if (type === null || names.length === 0) throw new UsageError(`error: you must specify a deployment, e.g. 'kubectl ${verb} deployment/NAME'\n${USAGE_HINT}`);
  if (type !== 'deployments') throw new UsageError(`error: ${verb} is only supported for deployments in this game`);
  if (names.length > 1) throw new UsageError(`error: one deployment at a time, please`);
  const name = names[0]!;
  const key = `${ns}/${name}`;
  if (!state.deployments[key]) throw new UsageError(`Error from server (NotFound): deployments.apps "${name}" not found`);
  return { name, key };
}

/**
 * (added) The StatefulSet or DaemonSet that `set image` / `rollout restart` / `rollout status` words
 * name (`statefulset/web`, `sts web`, `ds/fluentd`, `daemonset.apps/x`), or null when they name
 * another type (a Deployment: the callers' own path). @throws UsageError when it does not exist.
 */
export function templateTarget(state: SimState, ns: string, positional: readonly string[]): { kind: 'StatefulSet' | 'DaemonSet'; name: string; key: string } | null {
  const first = positional[0];
  if (first === undefined) return null;
  const slash = first.indexOf('/');
  const word = slash >= 0 ? first.slice(0, slash) : first;
  const def = deleteKindOf(word);
  if (def?.kind !== 'StatefulSet' && def?.kind !== 'DaemonSet') return null;
  const names = slash >= 0 ? [first.slice(slash + 1), ...positional.slice(1)] : positional.slice(1);
  if (names.length !== 1 || names[0] === '') throw new UsageError(`error: one ${def.singular} at a time, please`);
  const name = names[0]!;
  const key = `${ns}/${name}`;
  const store = def.kind === 'StatefulSet' ? state.statefulSets : state.daemonSets;
  if (!store || !Object.hasOwn(store, key)) throw new UsageError(`Error from server (NotFound): ${def.plural}.apps "${name}" not found`);
  return { kind: def.kind, name, key };
}

/** The kind a `kubectl delete` word names (`svc`, `job.batch`, `pdb`...), or undefined. */
function deleteKindOf(word: string): KindDef | undefined {
  const lower = word.toLowerCase();
  const dot = lower.indexOf('.');
  const def = kindForResource(dot < 0 ? lower : lower.slice(0, dot));
  if (!def || dot < 0) return def;
  const slash = def.apiVersion.indexOf('/');
  return slash >= 0 && lower.slice(dot + 1) === def.apiVersion.slice(0, slash) ? def : undefined;
}

/** True when a `kubectl delete` line names Deployments (`deploy x`, `deployment.apps/x`): ./metadata.ts `deleteDeploymentCommand`. */
export function deletesDeployment(positional: readonly string[]): boolean {
  const first = positional[0];
  if (first === undefined) return false;
  return deleteKindOf(first.includes('/') ? first.slice(0, first.indexOf('/')) : first)?.kind === 'Deployment';
}

/** kubectl `--cascade` (`background`, `true`: Background; `foreground`; `orphan`, `false`: Orphan). @throws UsageError. */
export function cascadeFlag(args: ParsedArgs): 'Background' | 'Foreground' | 'Orphan' {
  const cascade = flagString(args, 'cascade') ?? 'background';
  if (cascade === 'background' || cascade === 'true') return 'Background';
  if (cascade === 'foreground') return 'Foreground';
  if (cascade === 'orphan' || cascade === 'false') return 'Orphan';
  throw new UsageError(`error: invalid cascade value (${cascade}). Must be "background", "foreground", or "orphan"`);
}

/** kubectl's qualified resource name of a kind (`services`, `jobs.batch`). */
function qualifiedResource(def: KindDef): string {
  const slash = def.apiVersion.indexOf('/');
  return slash < 0 ? def.plural : `${def.plural}.${def.apiVersion.slice(0, slash)}`;
}

/**
 * `kubectl delete pod NAME [--force] [--grace-period=N] [--now]` and (issue 11) `kubectl delete
 * svc|hpa|pdb|quota|limits|job|cronjob|sts|ds|rs NAME [--cascade=background|foreground|orphan]` (one
 * object; Deployments: ./metadata.ts). kubectl's own rules: `--grace-period=0` without `--force` is
 * sent as 1 (kubectl delete.go), `--now` is 1, a negative one is the Pod's default; `--force` with a
 * grace period above 0 is refused. @throws UsageError.
 */
export function deleteCommand(state: SimState, ns: string, args: ParsedArgs): SimAction {
  const first = args.positional[0];
  if (first === undefined) throw new UsageError(`error: You must provide one or more resources by argument or filename.\n${USAGE_HINT}`);
  const slashed = first.includes('/');
  const word = slashed ? first.slice(0, first.indexOf('/')) : first;
  const def = deleteKindOf(word);
  const deletable = def !== undefined && (DELETABLE_KINDS as readonly string[]).includes(def.kind);
  if (!def || (def.kind !== 'Pod' && !deletable)) {
    const { type } = typeAndNames(args.positional);
    throw new UsageError(`error: deleting ${type === null ? word : API_RESOURCE[type]} is not possible in this game (try scale, rollout undo or drain)`);
  }
  const { names } = slashed ? typeAndNames(args.positional.map((p) => (p.includes('/') ? `pods${p.slice(p.indexOf('/'))}` : p))) : { names: args.positional.slice(1) };
  if (names.length === 0) throw new UsageError(`error: resource(s) were provided, but no name was specified`);
  if (names.length > 1) throw new UsageError(`error: one ${def.singular} at a time, please`);
  const name = names[0]!;
  const key = def.namespaced ? `${ns}/${name}` : name;
  if (def.kind !== 'Pod') {
    if (!Object.hasOwn(def.store(state), key)) throw new UsageError(`Error from server (NotFound): ${qualifiedResource(def)} "${name}" not found`);
    const action: SimAction = { type: 'deleteObject', kind: def.kind as DeletableKind, name: ref(ns, name) };
    const propagation = cascadeFlag(args);
    if (propagation !== 'Background') action.propagationPolicy = propagation;
    return action;
  }
  if (!state.pods[key]) throw new UsageError(`Error from server (NotFound): pods "${name}" not found`);
  const grace = flagString(args, 'grace-period');
  if (grace !== undefined && !/^-?\d+$/.test(grace)) throw new UsageError(`error: invalid argument "${grace}" for "--grace-period" flag: strconv.ParseInt: parsing "${grace}": invalid syntax`);
  const force = args.flags['force'] === true;
  const seconds = grace === undefined ? -1 : Number(grace);
  if (force && seconds > 0) throw new UsageError('error: --force and --grace-period greater than 0 cannot be specified together');
  if (args.flags['now'] === true && seconds >= 0) throw new UsageError('error: --now and --grace-period cannot be specified together');
  if (seconds > 3600) throw new UsageError(`error: --grace-period=${seconds}: this game allows at most 3600 seconds`);
  const action: SimAction = { type: 'deletePod', pod: ref(ns, name) };
  if (force) action.force = true;
  else if (args.flags['now'] === true || seconds === 0) action.gracePeriodSeconds = 1;
  else if (seconds > 0) action.gracePeriodSeconds = seconds;
  return action;
}

/** `kubectl scale deployment|statefulset/NAME --replicas=N` (N a whole number >= 0). @throws UsageError. */
export function scaleCommand(state: SimState, ns: string, args: ParsedArgs): SimAction {
  const tt = templateTarget(state, ns, args.positional);
  if (tt && tt.kind !== 'StatefulSet') throw new UsageError('error: scale is only supported for deployments and statefulsets in this game');
  const { name } = tt ?? requireDeployment(state, ns, args.positional, 'scale');
  const r = flagString(args, 'replicas');
  if (r === undefined || !/^\d+$/.test(r)) throw new UsageError('error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0');
  if (tt) return { type: 'scaleDeployment', deployment: ref(ns, name), replicas: Number(r), kind: 'StatefulSet' };
  return { type: 'scaleDeployment', deployment: ref(ns, name), replicas: Number(r) };
}

/** `kubectl rollout undo deployment/NAME [--to-revision=N]` and `rollout restart deployment/NAME`. @throws UsageError (also for a revision not in the history). */
export function rolloutWrite(state: SimState, ns: string, verb: 'undo' | 'restart' | 'pause' | 'resume', args: ParsedArgs): SimAction {
  const target = templateTarget(state, ns, args.positional);
  // (added, issue 6) kubectl's objectpauser / objectresumer know Deployments only (pause.go:
  // `error: statefulsets.apps "web" pausing is not supported`).
  if (target && (verb === 'pause' || verb === 'resume')) throw new UsageError(`error: ${target.kind.toLowerCase()}s.apps "${target.name}" ${verb === 'pause' ? 'pausing' : 'resuming'} is not supported`);
  if (target && verb === 'restart') return { type: 'rolloutRestart', deployment: ref(ns, target.name), kind: target.kind };
  if (target) {
    // (added, issue 6) rollout undo statefulset|daemonset/NAME: the revision is looked up by the action
    // (shared/sim/actions/workloadTemplate.ts undoTemplateAction), which answers kubectl's errors.
    const to = flagString(args, 'to-revision');
    if (to === undefined || to === '0') return { type: 'rolloutUndo', deployment: ref(ns, target.name), kind: target.kind };
    if (!/^\d+$/.test(to)) throw new UsageError(`error: invalid argument "${to}" for "--to-revision" flag: strconv.ParseInt: parsing "${to}": invalid syntax`);
    return { type: 'rolloutUndo', deployment: ref(ns, target.name), toRevision: Number(to), kind: target.kind };
  }
  const { name, key } = requireDeployment(state, ns, args.positional, `rollout ${verb}`);
  if (verb === 'restart') return { type: 'rolloutRestart', deployment: ref(ns, name) };
  // (added) rollout pause|resume: spec.paused (shared/sim/actions/deployment.ts pauseAction).
  if (verb === 'pause' || verb === 'resume') return { type: 'pauseRollout', deployment: ref(ns, name), paused: verb === 'pause' };
  const to = flagString(args, 'to-revision');
  if (to === undefined || to === '0') return { type: 'rolloutUndo', deployment: ref(ns, name) };
  if (!/^\d+$/.test(to)) throw new UsageError(`error: invalid argument "${to}" for "--to-revision" flag: strconv.ParseInt: parsing "${to}": invalid syntax`);
  const n = Number(to);
  if (!revisions(state, key).includes(n)) throw new UsageError(`error: unable to find specified revision ${n} in history`);
  return { type: 'rolloutUndo', deployment: ref(ns, name), toRevision: n };
}

function parseResourceList(flag: string, text: string): { cpu?: string; memory?: string } {
  const out: { cpu?: string; memory?: string } = {};
  for (const part of text.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    const eq = part.indexOf('=');
    if (eq < 0) throw new UsageError(`error: invalid ${flag} "${part}": expected NAME=QUANTITY, e.g. --${flag}=cpu=200m,memory=512Mi`);
    const k = part.slice(0, eq);
    const v = part.slice(eq + 1);
    if (k !== 'cpu' && k !== 'memory') throw new UsageError(`error: unsupported resource name "${k}" (cpu and memory only)`);
    try {
      if (!(parseQuantity(v) >= 0)) throw new Error('negative');
    } catch {
      throw new UsageError(`error: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$': "${v}"`);
    }
    out[k] = v;
  }
  return out;
}

/** `kubectl set image deployment/NAME CONTAINER=IMAGE` and `kubectl set resources deployment/NAME ...` (cpu/memory quantities). @throws UsageError. */
export function setCommand(state: SimState, ns: string, args: ParsedArgs): SimAction {
  const [what, ...rest] = args.positional;
  if (what === 'image') {
    const pairs = rest.filter((w) => w.includes('=') && !w.slice(0, w.indexOf('=')).includes('/'));
    const targets = rest.filter((w) => !pairs.includes(w));
    const tt = templateTarget(state, ns, targets);
    if (tt) {
      const tpl = (tt.kind === 'StatefulSet' ? state.statefulSets : state.daemonSets)![tt.key]!.spec.template;
      if (pairs.length !== 1) throw new UsageError(`error: give exactly one CONTAINER=IMAGE pair, e.g. kubectl set image ${tt.kind.toLowerCase()}/${tt.name} ${tpl.spec.containers[0]?.name ?? 'app'}=IMAGE:TAG`);
      const pair = pairs[0]!;
      const container = pair.slice(0, pair.indexOf('='));
      const image = pair.slice(pair.indexOf('=') + 1);
      if (image === '' || /\s/.test(image)) throw new UsageError(`error: invalid image name "${image}"`);
      if (container !== '*' && !tpl.spec.containers.some((c) => c.name === container)) throw new UsageError(`error: unable to find container named "${container}"`);
      const action: SimAction = { type: 'setImage', deployment: ref(ns, tt.name), image, kind: tt.kind };
      if (container !== '*') action.container = container;
      return action;
    }
    const { name, key } = requireDeployment(state, ns, targets, 'set image');
    if (pairs.length !== 1) throw new UsageError(`error: give exactly one CONTAINER=IMAGE pair, e.g. kubectl set image deployment/${name} ${state.deployments[key]!.spec.template.spec.containers[0]?.name ?? 'app'}=IMAGE:TAG`);
    const pair = pairs[0]!;
    const eq = pair.indexOf('=');
    const container = pair.slice(0, eq);
    const image = pair.slice(eq + 1);
    if (image === '' || /\s/.test(image)) throw new UsageError(`error: invalid image name "${image}"`);
    const containers = state.deployments[key]!.spec.template.spec.containers;
    if (container !== '*' && !containers.some((c) => c.name === container)) throw new UsageError(`error: unable to find container named "${container}"`);
    const action: SimAction = { type: 'setImage', deployment: ref(ns, name), image };
    if (container !== '*') action.container = container;
    return action;
  }
  if (what === 'resources') {
    const { name, key } = requireDeployment(state, ns, rest, 'set resources');
    const limitsText = flagString(args, 'limits');
    const requestsText = flagString(args, 'requests');
    if (limitsText === undefined && requestsText === undefined) throw new UsageError('error: you must specify an update to requests or limits (in the form of --requests/--limits)');
    const container = flagString(args, 'containers');
    if (container !== undefined && container !== '*' && !state.deployments[key]!.spec.template.spec.containers.some((c) => c.name === container)) {
      throw new UsageError(`error: unable to find container named "${container}"`);
    }
    const action: SimAction = { type: 'setResources', deployment: ref(ns, name) };
    if (container !== undefined && container !== '*') action.container = container;
    if (limitsText !== undefined) action.limits = parseResourceList('limits', limitsText);
    if (requestsText !== undefined) action.requests = parseResourceList('requests', requestsText);
    return action;
  }
  if (what === 'env') {
    // (added) set env deployment/NAME [-c C] KEY=VALUE... KEY-
    const changes = rest.filter((w) => /^[^/=]+=/.test(w) || /^[^/=]+-$/.test(w));
    const targets = rest.filter((w) => !changes.includes(w));
    const { name, key } = requireDeployment(state, ns, targets, 'set env');
    if (changes.length === 0) throw new UsageError('error: at least one environment variable must be provided');
    const container = flagString(args, 'containers');
    if (container !== undefined && container !== '*' && !state.deployments[key]!.spec.template.spec.containers.some((c) => c.name === container)) {
      throw new UsageError(`error: unable to find container named "${container}"`);
    }
    const env = changes.map((w) => (w.endsWith('-') && !w.includes('=') ? { name: w.slice(0, -1), value: null } : { name: w.slice(0, w.indexOf('=')), value: w.slice(w.indexOf('=') + 1) }));
    const action: SimAction = { type: 'setEnv', deployment: ref(ns, name), env };
    if (container !== undefined && container !== '*') action.container = container;
    return action;
  }
  throw new UsageError(`error: unknown command "${what ?? ''}" for "kubectl set" (supported: image, resources, env)\n${USAGE_HINT}`);
}

/** `kubectl cordon|uncordon|drain NODE` (`node/NAME` accepted). @throws UsageError. */
export function nodeCommand(state: SimState, verb: 'cordon' | 'uncordon' | 'drain', args: ParsedArgs): SimAction {
  const words = args.positional;
  let name = words[0];
  if (name !== undefined && (name.startsWith('node/') || name.startsWith('nodes/') || name.startsWith('no/'))) name = name.slice(name.indexOf('/') + 1);
  else if (name !== undefined && ['node', 'nodes', 'no'].includes(name)) name = words[1];
  if (name === undefined) throw new UsageError(`error: USAGE: ${verb} NODE [flags]\n${USAGE_HINT}`);
  if (!Object.hasOwn(state.nodes, name)) throw new UsageError(`Error from server (NotFound): nodes "${name}" not found`);
  if (verb === 'cordon') return { type: 'cordonNode', node: name };
  if (verb === 'uncordon') return { type: 'uncordonNode', node: name };
  return { type: 'drainNode', node: name };
}
