/**
 * The players' console: parses a kubectl / etcdctl command line and either answers it from the state
 * (read commands: text formatted like real kubectl) or turns it into a {@link SimAction} for the sim to
 * apply (write commands). Pure: never mutates the state, never throws for user input.
 *
 * While etcd has no quorum (or no leader), API reads and writes fail like the real API server
 * (`Error from server: etcdserver: request timed out`, kubernetes-behaviour.md §6); `etcdctl` keeps
 * working because it talks to the members directly.
 *
 * May import: ../sim/* (read only), ./*.
 */
import type { PodDisruptionBudget, ResourceQuota, SimAction, SimState } from '../sim/types.ts';
import { findDeployment } from '../sim/apiserver.ts';
import { KUBECTL_HELP } from './help.ts';
import { resourceAlias, UsageError, USAGE_HINT, flagString, parseArgs, tokenize, typeAndNames, type FlagDef, type ParsedArgs } from './parse.ts';
import { humanDuration, suggest, table } from './format.ts';
import { API_RESOURCE, getAll, getEvents, getKindResources, getResources, parseSelector } from './get.ts';
import { kindForResource, type KubeObject } from '../sim/kinds/index.ts';
import { CREATE_CONFIG_WORDS, createConfigCommand } from './createConfig.ts';
import { describeDeployment, describeNode, describePod, describeService, describeStored, DESCRIBED_KINDS, describeNamespace, namespaceNames } from './describe.ts';
import { daemonSetRolloutStatus, rolloutHistory, rolloutStatus, statefulSetRolloutStatus, templateRolloutHistory } from './rollout.ts';
import { topNodes, topPods } from './top.ts';
import { runEtcdctl } from './etcdctl.ts';
import { runKubeadm } from './kubeadm.ts';
import { deleteCommand, deletesDeployment, nodeCommand, rolloutWrite, scaleCommand, setCommand, templateTarget } from './write.ts';
import { deleteDeploymentCommand, metadataCommand, taintCommand } from './metadata.ts';
import { ETCD_READ_ERROR, apiReadable, inNamespace } from './cluster.ts';
import { EDIT_FLAGS, PATCH_FLAGS, describePdb, describeQuota, editCommand, patchCommand } from './policy.ts';
import { autoscaleCommand, describeHpa, patchCommand as patchHpaCommand } from './autoscale.ts';
import { apiResources, explain } from './explain.ts';
import { horizontalPodAutoscalerKind } from '../sim/kinds/hpa.ts';
import { LOGS_FLAGS, runLogs } from './logs.ts';
import { runExec } from './exec.ts';
import { runOps, runSsh } from './ssh.ts';
import { apiserverCertError } from '../sim/incidents/apiserver-cert-expiry.ts';

export { KUBECTL_HELP } from './help.ts';
export { tokenize, parseArgs, UsageError } from './parse.ts';
export { humanDuration, table } from './format.ts';
export { apiTimeoutReplyAt } from './cluster.ts';

/** What a console line produced: text to print, an action to submit, or an error to print. */
export type KubectlResult = { kind: 'output'; output: string } | { kind: 'action'; action: SimAction } | { kind: 'error'; error: string };

/** kubectl verbs the console knows (for "Did you mean this?"). */
export const KUBECTL_COMMANDS = ['get', 'describe', 'top', 'rollout', 'delete', 'scale', 'set', 'cordon', 'uncordon', 'drain', 'label', 'annotate', 'taint', 'logs', 'help', 'autoscale', 'patch', 'edit', 'apply', 'create', 'api-resources', 'explain', 'exec'] as const;

const FLAGS: Record<string, FlagDef[]> = {
  get: [
    { name: 'output', short: 'o', value: true },
    { name: 'selector', short: 'l', value: true },
    { name: 'all-namespaces', short: 'A', value: false },
    { name: 'show-labels', value: false },
    { name: 'for', value: true },
    { name: 'sort-by', value: true },
    // (added) -w: the answer is the table; the client's console follows it (client/src/view/console.ts WatchSession)
    { name: 'watch', short: 'w', value: false },
  ],
  describe: [{ name: 'selector', short: 'l', value: true }],
  top: [{ name: 'all-namespaces', short: 'A', value: false }],
  rollout: [
    { name: 'to-revision', value: true },
    { name: 'revision', value: true },
    { name: 'watch', short: 'w', value: false },
    { name: 'timeout', value: true },
  ],
  delete: [
    { name: 'force', value: false },
    { name: 'grace-period', value: true },
    { name: 'now', value: false },
    { name: 'wait', value: false },
    { name: 'cascade', value: true },
  ],
  label: [{ name: 'overwrite', value: false }],
  annotate: [{ name: 'overwrite', value: false }],
  taint: [{ name: 'overwrite', value: false }],
  scale: [{ name: 'replicas', value: true }],
  'api-resources': [
    { name: 'namespaced', value: true },
    { name: 'output', short: 'o', value: true },
  ],
  explain: [
    { name: 'recursive', value: false },
    { name: 'api-version', value: true },
  ],
  autoscale: [
    { name: 'max', value: true },
    { name: 'min', value: true },
    { name: 'cpu-percent', value: true },
    { name: 'name', value: true },
  ],
  set: [
    { name: 'containers', short: 'c', value: true },
    { name: 'limits', value: true },
    { name: 'requests', value: true },
  ],
  cordon: [],
  uncordon: [],
  drain: [
    { name: 'ignore-daemonsets', value: false },
    { name: 'delete-emptydir-data', value: false },
    { name: 'delete-local-data', value: false },
    { name: 'force', value: false },
    { name: 'grace-period', value: true },
    { name: 'timeout', value: true },
  ],
  logs: LOGS_FLAGS,
  patch: PATCH_FLAGS,
  edit: EDIT_FLAGS,
};

const output = (text: string): KubectlResult => ({ kind: 'output', output: text });

function readGate(state: SimState): void {
  if (!apiReadable(state)) throw new UsageError(ETCD_READ_ERROR);
}

function namespaceOf(flags: Record<string, string | true>): string {
  const ns = flags['namespace'];
  return typeof ns === 'string' && ns !== '' ? ns : 'default';
}

function runGet(state: SimState, words: string[]): KubectlResult {
  const args = parseArgs(words, FLAGS['get']!);
  if (args.positional.length === 0) throw new UsageError(`You must specify the type of resource to get. Use "kubectl api-resources" for a complete list of supported resources.\n\nerror: Required resource not specified.\n${USAGE_HINT}`);
  const ns = args.flags['all-namespaces'] === true ? null : namespaceOf(args.flags);
  if (args.positional.length === 1 && args.positional[0] === 'all') {
    readGate(state);
    return output(getAll(state, ns, args));
  }
  const first = args.positional[0]!;
  const firstWord = first.includes('/') ? first.slice(0, first.indexOf('/')) : first;
  if (NAMESPACE_WORDS.has(firstWord.toLowerCase())) {
    // NAME STATUS AGE (printNamespace); namespaces are derived from the objects, as the API serves them
    readGate(state);
    const wanted = first.includes('/') ? args.positional.map((p) => p.slice(p.indexOf('/') + 1)) : args.positional.slice(1);
    const all = namespaceNames(state);
    const missing = wanted.filter((n) => !all.includes(n));
    const rows = (wanted.length === 0 ? all : wanted.filter((n) => all.includes(n))).map((n) => [n, 'Active', humanDuration(state.t)]);
    const errors = missing.map((n) => `Error from server (NotFound): namespaces "${n}" not found`);
    if (rows.length === 0) return { kind: 'error', error: errors.join('\n') };
    const body = flagString(args, 'output') === 'name' ? rows.map((r) => `namespace/${r[0]}`).join('\n') : table(['NAME', 'STATUS', 'AGE'], rows);
    return output([body, ...errors].join('\n'));
  }
  if (first.includes(',') && !first.includes('/')) {
    // `kubectl get jobs,cronjobs`: each type in turn, names prefixed with their type (kubectl's multi-type form)
    readGate(state);
    const parts: string[] = [];
    for (const t of first.split(',').filter((x) => x !== '')) {
      const alias = resourceAlias(t);
      const def = alias === undefined ? kindForResource(t) : undefined;
      if (alias === undefined && !def) throw new UsageError(`error: the server doesn't have a resource type "${t}"`);
      const text = alias === 'events' ? getEvents(state, ns, undefined, flagString(args, 'output'))
        : alias !== undefined ? getResources(state, alias, args.positional.slice(1), ns, args, true)
          : getKindResources(state, def!, args.positional.slice(1), ns, args, true);
      if (!text.startsWith('No resources found')) parts.push(text);
    }
    return output(parts.length === 0 ? `No resources found in ${ns ?? 'any'} namespace.` : parts.join('\n\n'));
  }
  const word = first.includes('/') ? first.slice(0, first.indexOf('/')) : first;
  const extra = resourceAlias(word) === undefined ? kindForResource(word) : undefined;
  if (extra) {
    // a registered kind without a dedicated console type (PodDisruptionBudget...): its own printer
    const names = first.includes('/') ? args.positional.map((p) => p.slice(p.indexOf('/') + 1)) : args.positional.slice(1);
    readGate(state);
    const text = getKindResources(state, extra, names, ns, args);
    return text.startsWith('Error from server') ? { kind: 'error', error: text } : output(text);
  }
  const { type, names } = typeAndNames(args.positional);
  readGate(state);
  const text = type === 'events' ? getEvents(state, ns, flagString(args, 'for'), flagString(args, 'output')) : getResources(state, type!, names, ns, args);
  if (text.startsWith('Error from server')) return { kind: 'error', error: text };
  return output(text);
}

/** The Namespace spellings `get` and `describe` accept (namespaces are derived from the objects, not stored). */
const NAMESPACE_WORDS = new Set(['ns', 'namespace', 'namespaces']);

/** The HPA spellings `describe` accepts (`hpa`, `horizontalpodautoscaler(s)`, with `/NAME`). */
const HPA_WORDS = new Set(['hpa', 'horizontalpodautoscaler', 'horizontalpodautoscalers', 'horizontalpodautoscaler.autoscaling']);

function runDescribeHpa(state: SimState, ns: string, names: string[]): KubectlResult {
  readGate(state);
  const all = inNamespace(horizontalPodAutoscalerKind.store(state), ns);
  const chosen = names.length === 0 ? all : names.map((n) => all.find((h) => h.metadata.name === n) ?? all.find((h) => h.metadata.name.startsWith(n)) ?? n);
  const blocks = chosen.filter((h) => typeof h !== 'string').map((h) => describeHpa(state, h));
  const errors = chosen.filter((h): h is string => typeof h === 'string').map((n) => `Error from server (NotFound): horizontalpodautoscalers.autoscaling "${n}" not found`);
  if (blocks.length === 0 && errors.length > 0) return { kind: 'error', error: errors.join('\n') };
  if (blocks.length === 0) return output(`No resources found in ${ns} namespace.`);
  return output([blocks.join('\n\n\n'), ...errors].join('\n'));
}

function runDescribe(state: SimState, words: string[]): KubectlResult {
  const args = parseArgs(words, FLAGS['describe']!);
  const head = args.positional[0];
  const headType = head?.includes('/') ? head.slice(0, head.indexOf('/')) : head;
  if (headType !== undefined && HPA_WORDS.has(headType.toLowerCase())) {
    const names = head!.includes('/') ? args.positional.map((p) => p.slice(p.indexOf('/') + 1)) : args.positional.slice(1);
    return runDescribeHpa(state, namespaceOf(args.flags), names);
  }
  if (headType !== undefined && NAMESPACE_WORDS.has(headType.toLowerCase())) {
    readGate(state);
    const names = head!.includes('/') ? args.positional.map((p) => p.slice(p.indexOf('/') + 1)) : args.positional.slice(1);
    const errors: string[] = [];
    const blocks = pickByName(namespaceNames(state).map((n) => ({ metadata: { name: n } })), names, 'namespaces', errors).map((n) => describeNamespace(state, n.metadata.name));
    if (blocks.length === 0) return { kind: 'error', error: errors.join('\n') };
    return output([blocks.join('\n\n\n'), ...errors].join('\n'));
  }
  const policy = describeExtraKind(state, args);
  if (policy) return policy;
  const { type, names } = typeAndNames(args.positional);
  if (type === null) throw new UsageError(`error: You must specify the type of resource to describe. Use "kubectl api-resources" for a complete list of supported resources.\n${USAGE_HINT}`);
  readGate(state);
  const ns = namespaceOf(args.flags);
  const selector = flagString(args, 'selector');
  const matches = selector === undefined ? () => true : parseSelector(selector);
  const blocks: string[] = [];
  const errors: string[] = [];
  const pick = <T extends { metadata: { name: string; namespace: string; labels: Record<string, string> } }>(map: Record<string, T>): T[] =>
    pickByName(inNamespace(map, ns).filter((o) => matches(o.metadata.labels)), names, API_RESOURCE[type], errors);
  switch (type) {
    case 'pods':
      for (const p of pick(state.pods)) blocks.push(describePod(state, p));
      break;
    case 'deployments':
      for (const d of pick(state.deployments)) blocks.push(describeDeployment(state, `${d.metadata.namespace}/${d.metadata.name}`, d));
      break;
    case 'services':
      for (const s of pick(state.services)) blocks.push(describeService(state, `${s.metadata.namespace}/${s.metadata.name}`, s));
      break;
    case 'replicasets':
      for (const rs of pick(state.replicaSets)) blocks.push(describeStored(state, 'ReplicaSet', rs)!);
      break;
    case 'nodes': {
      const nodes = Object.keys(state.nodes).sort().map((k) => state.nodes[k]!).filter((n) => matches(n.metadata.labels));
      for (const n of pickByName(nodes, names, 'nodes', errors)) blocks.push(describeNode(state, n));
      break;
    }
    default:
      throw new UsageError(`error: describe supports ${DESCRIBABLE} in this game`);
  }
  if (blocks.length === 0 && errors.length > 0) return { kind: 'error', error: errors.join('\n') };
  if (blocks.length === 0) return output(`No resources found in ${ns} namespace.`);
  return output([blocks.join('\n\n\n'), ...errors].join('\n'));
}

/** The kinds `describe` answers, for its usage error. */
const DESCRIBABLE = 'pods, nodes, namespaces, deployments, replicasets, services, endpointslices, statefulsets, daemonsets, jobs, cronjobs, replicationcontrollers, hpa, pdb, resourcequotas, limitranges, configmaps and secrets';

/**
 * The objects `kubectl describe TYPE NAME...` picks (describe.go): each name exactly; when a single
 * name matches nothing, every object whose name starts with it (DescribeMatchingResources), else
 * NotFound (`Error from server (NotFound): RESOURCE "x" not found`, pushed on `errors`).
 */
function pickByName<T extends { metadata: { name: string } }>(all: T[], names: string[], resource: string, errors: string[]): T[] {
  if (names.length === 0) return all;
  if (names.length === 1) {
    const n = names[0]!;
    const exact = all.filter((o) => o.metadata.name === n);
    const chosen = exact.length > 0 ? exact : all.filter((o) => o.metadata.name.startsWith(n));
    if (chosen.length === 0) errors.push(`Error from server (NotFound): ${resource} "${n}" not found`);
    return chosen;
  }
  return names.flatMap((n) => {
    const o = all.find((x) => x.metadata.name === n);
    if (!o) errors.push(`Error from server (NotFound): ${resource} "${n}" not found`);
    return o ? [o] : [];
  });
}

/**
 * `kubectl describe` of a registered kind without a dedicated console type: pdb and quota
 * (./policy.ts), statefulsets, daemonsets, jobs, cronjobs, replicationcontrollers, limitranges
 * (./describe.ts `describeStored`); null for a kind with no describer.
 */
function describeExtraKind(state: SimState, args: ReturnType<typeof parseArgs>): KubectlResult | null {
  const first = args.positional[0];
  if (first === undefined) return null;
  const word = first.includes('/') ? first.slice(0, first.indexOf('/')) : first;
  const def = resourceAlias(word) === undefined ? kindForResource(word) : undefined;
  if (def === undefined) return null;
  const names = first.includes('/') ? args.positional.map((p) => p.slice(p.indexOf('/') + 1)) : args.positional.slice(1);
  const describeOne = (obj: KubeObject): string | null =>
    def.kind === 'PodDisruptionBudget' ? describePdb(state, obj as unknown as PodDisruptionBudget)
      : def.kind === 'ResourceQuota' ? describeQuota(state, obj as unknown as ResourceQuota)
        : describeStored(state, def.kind, obj);
  if (def.kind !== 'PodDisruptionBudget' && def.kind !== 'ResourceQuota' && !DESCRIBED_KINDS.has(def.kind)) return null;
  readGate(state);
  const ns = namespaceOf(args.flags);
  const selector = flagString(args, 'selector');
  const matches = selector === undefined ? () => true : parseSelector(selector);
  const errors: string[] = [];
  const g = def.apiVersion.includes('/') ? `.${def.apiVersion.slice(0, def.apiVersion.indexOf('/'))}` : '';
  const all = inNamespace(def.store(state), def.namespaced ? ns : null).filter((o) => matches(o.metadata.labels));
  const blocks = pickByName(all, names, `${def.plural}${g}`, errors).map((o) => describeOne(o)!);
  if (blocks.length === 0 && errors.length > 0) return { kind: 'error', error: errors.join('\n') };
  if (blocks.length === 0) return output(`No resources found in ${ns} namespace.`);
  return output([blocks.join('\n\n\n'), ...errors].join('\n'));
}

function runTop(state: SimState, words: string[]): KubectlResult {
  const args = parseArgs(words, FLAGS['top']!);
  const [what, ...names] = args.positional;
  readGate(state);
  const ns = args.flags['all-namespaces'] === true ? null : namespaceOf(args.flags);
  if (what === 'pod' || what === 'pods' || what === 'po') return output(topPods(state, ns, names));
  if (what === 'node' || what === 'nodes' || what === 'no') return output(topNodes(state));
  throw new UsageError(`error: unknown command "${what ?? ''}" for "kubectl top" (use: top pods, top nodes)\n${USAGE_HINT}`);
}

function runRollout(state: SimState, words: string[]): KubectlResult {
  const args = parseArgs(words, FLAGS['rollout']!);
  const [verb, ...rest] = args.positional;
  const ns = namespaceOf(args.flags);
  if (verb === 'undo' || verb === 'restart' || verb === 'pause' || verb === 'resume') {
    readGate(state);
    return { kind: 'action', action: rolloutWrite(state, ns, verb, { ...args, positional: rest }) };
  }
  if (verb === 'status' && templateTarget(state, ns, rest)) {
    readGate(state);
    const t = templateTarget(state, ns, rest)!;
    return output(t.kind === 'StatefulSet' ? statefulSetRolloutStatus(state.statefulSets![t.key]!) : daemonSetRolloutStatus(state.daemonSets![t.key]!));
  }
  if (verb === 'history' && templateTarget(state, ns, rest)) {
    readGate(state);
    const t = templateTarget(state, ns, rest)!;
    const rev = flagString(args, 'revision');
    if (rev !== undefined && !/^\d+$/.test(rev)) throw new UsageError(`error: invalid argument "${rev}" for "--revision" flag`);
    const set = t.kind === 'StatefulSet' ? state.statefulSets![t.key]! : state.daemonSets![t.key]!;
    return output(templateRolloutHistory(state, set, rev === undefined ? undefined : Number(rev)));
  }
  if (verb === 'status' || verb === 'history') {
    const { type, names } = typeAndNames(rest);
    if (type !== 'deployments' || names.length !== 1) throw new UsageError(`error: usage: kubectl rollout ${verb} deployment/NAME`);
    readGate(state);
    const found = findDeployment(state, `${ns}/${names[0]}`);
    if (!found) return { kind: 'error', error: `Error from server (NotFound): deployments.apps "${names[0]}" not found` };
    if (verb === 'status') return output(rolloutStatus(found.deployment));
    const rev = flagString(args, 'revision');
    if (rev !== undefined && !/^\d+$/.test(rev)) throw new UsageError(`error: invalid argument "${rev}" for "--revision" flag`);
    return output(rolloutHistory(state, found.key, found.deployment, rev === undefined ? undefined : Number(rev)));
  }
  const hint = suggest(verb ?? '', ['status', 'history', 'undo', 'restart', 'pause', 'resume']);
  throw new UsageError(`error: unknown command "${verb ?? ''}" for "kubectl rollout"${hint[0] ? `\n\nDid you mean this?\n\t${hint[0]}` : ''}\n${USAGE_HINT}`);
}

function runWrite(state: SimState, verb: string, words: string[]): KubectlResult {
  const args = parseArgs(words, FLAGS[verb]!);
  readGate(state);
  const ns = namespaceOf(args.flags);
  let action: SimAction;
  switch (verb) {
    case 'delete': action = deletesDeployment(args.positional) ? deleteDeploymentCommand(state, ns, args) : deleteCommand(state, ns, args); break;
    case 'label':
    case 'annotate': action = metadataCommand(state, ns, verb, args); break;
    case 'taint': action = taintCommand(state, args); break;
    case 'scale': action = scaleCommand(state, ns, args); break;
    case 'set': action = setCommand(state, ns, args); break;
    case 'autoscale': action = autoscaleCommand(state, ns, args); break;
    case 'patch': action = HPA_WORDS.has(patchResourceWord(args).toLowerCase()) ? patchHpaCommand(state, ns, args) : patchCommand(state, ns, args); break;
    default: action = nodeCommand(state, verb as 'cordon' | 'uncordon' | 'drain', args);
  }
  return { kind: 'action', action };
}

/** Flags that take their value as the next word when written before the command (`-n shop get pods`). */
const VALUE_FLAGS_BEFORE_COMMAND: ReadonlySet<string> = new Set(['-n', '--namespace', '--context', '--kubeconfig', '-l', '--selector', '-o', '--output']);

/**
 * kubectl accepts flags before the command (`kubectl -n sock-shop get pods`, `kubectl -A get pods`):
 * moves the flags (and their values) written before the first word that is not a flag to the end,
 * where each command's flag parser reads them like any other.
 */
function globalFlagsLast(w: string[]): string[] {
  const lead: string[] = [];
  let i = 0;
  while (i < w.length && w[i]!.startsWith('-') && w[i] !== '-h' && w[i] !== '--help') {
    const flag = w[i++]!;
    lead.push(flag);
    if (VALUE_FLAGS_BEFORE_COMMAND.has(flag) && i < w.length) lead.push(w[i++]!);
  }
  return lead.length === 0 || i >= w.length ? w : [...w.slice(i), ...lead];
}

function dispatch(state: SimState, words: string[]): KubectlResult {
  if (words[0] === 'etcdctl') return runEtcdctl(state, words.slice(1));
  if (words[0] === 'etcdutl') return runEtcdctl(state, words.slice(1), 'etcdutl');
  if (words[0] === 'kubeadm') return runKubeadm(state, words.slice(1));
  if (words[0] === 'ssh') return runSsh(state, words.slice(1));
  if (words[0] === 'gameday-ops') return runOps(state, words.slice(1));
  const raw = words[0] === 'kubectl' || words[0] === 'k' ? words.slice(1) : words;
  const w = globalFlagsLast(raw);
  const cmd = w[0];
  if (cmd === 'exec') {
    const tlsError = apiserverCertError(state);
    if (tlsError !== null) throw new UsageError(tlsError);
    // (added) exec: the flags written before it stay before its `--` (what follows `--` is the container's command line)
    readGate(state);
    const at = raw.indexOf('exec');
    return runExec(state, [...raw.slice(0, at), ...raw.slice(at + 1)]);
  }
  if (cmd === undefined || cmd === 'help' || cmd === '--help' || cmd === '-h') return output(KUBECTL_HELP);
  if (w.includes('--help') || w.includes('-h')) return output(KUBECTL_HELP);
  // (added, issue 6) an expired API server serving certificate: every request fails the TLS handshake, at once
  const tls = apiserverCertError(state);
  if (tls !== null) throw new UsageError(tls);
  const rest = w.slice(1);
  switch (cmd) {
    case 'get': return runGet(state, rest);
    case 'describe': return runDescribe(state, rest);
    case 'top': return runTop(state, rest);
    case 'rollout': return runRollout(state, rest);
    case 'delete':
    case 'scale':
    case 'set':
    case 'cordon':
    case 'uncordon':
    case 'drain':
    case 'label':
    case 'annotate':
    case 'taint':
    case 'autoscale':
    case 'patch':
      return runWrite(state, cmd, rest);
    case 'edit':
      return editCommand(parseArgs(rest, FLAGS['edit']!));
    case 'apply':
    case 'create':
      if (cmd === 'create' && rest[0] !== undefined && CREATE_CONFIG_WORDS.has(rest[0].toLowerCase())) {
        readGate(state);
        return { kind: 'action', action: createConfigCommand(state, rest) };
      }
      // (added, issue 7) these read YAML from standard input: the `stdin` message (./apply.ts), which the web console's editor sends
      if (!rest.some((x) => x === '-f' || x.startsWith('--filename') || /^-f\S/.test(x))) {
        throw new UsageError(`error: kubectl ${cmd} ${rest[0] ?? ''} is not supported in this console: paste a manifest with kubectl ${cmd} -f - (it opens an editor in the web console)`.replace('  ', ' '));
      }
      throw new UsageError(`error: kubectl ${cmd} -f reads YAML from standard input: in the web console, kubectl ${cmd} -f - opens an editor to paste it into (or paste a heredoc: kubectl ${cmd} -f - <<EOF ... EOF)`);
    case 'api-resources': {
      const args = parseArgs(rest, FLAGS['api-resources']!);
      const nsFlag = flagString(args, 'namespaced');
      if (nsFlag !== undefined && nsFlag !== 'true' && nsFlag !== 'false') throw new UsageError(`error: invalid argument "${nsFlag}" for "--namespaced" flag: strconv.ParseBool: parsing "${nsFlag}": invalid syntax`);
      readGate(state);
      return output(apiResources(nsFlag === undefined ? undefined : nsFlag === 'true'));
    }
    case 'explain': {
      const args = parseArgs(rest, FLAGS['explain']!);
      if (args.positional.length !== 1) throw new UsageError(`error: You must specify the type of resource to explain. Use "kubectl api-resources" for a complete list of supported resources.\n${USAGE_HINT}`);
      readGate(state);
      return output(explain(args.positional[0]!, args.flags['recursive'] === true));
    }
    case 'logs':
      readGate(state);
      return output(runLogs(state, rest));
    default: {
      const hint = suggest(cmd, KUBECTL_COMMANDS);
      throw new UsageError(`error: unknown command "${cmd}" for "kubectl"${hint[0] ? `\n\nDid you mean this?\n\t${hint[0]}\n` : ''}\n${USAGE_HINT}`);
    }
  }
}

/**
 * Runs one console line against `state` (not mutated). Accepts `kubectl ...`, `k ...`, bare verbs
 * (`get pods`), `etcdctl ...` and `help`. Never throws: user errors come back as `{kind: 'error'}`.
 */
export function runKubectl(state: SimState, line: string): KubectlResult {
  try {
    const words = tokenize(line.trim());
    if (words.length === 0) return output('');
    return dispatch(state, words);
  } catch (e) {
    if (e instanceof UsageError) return { kind: 'error', error: e.message };
    return { kind: 'error', error: `error: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/** The resource word of `kubectl patch TYPE NAME` / `TYPE/NAME` ('' when absent): picks HPA vs policy patches. */
function patchResourceWord(args: ParsedArgs): string {
  const first = args.positional[0] ?? '';
  return first.includes('/') ? first.slice(0, first.indexOf('/')) : first;
}
