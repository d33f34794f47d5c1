/**
 * The console's `kubectl logs POD|pod/NAME|deployment/NAME [-c C] [-p] [--tail N] [--since D]
 * [--timestamps] [-f]` (`-c` may name an init container): the lines of shared/sim/logs.ts `podLogs`, the same lines the Kubernetes API's
 * `pods/log` serves (server/k8s/logs.ts), with stamps in sim time (SIM_EPOCH + t: the console's clock;
 * the API's are wall-clock). `-f` prints the lines so far (the console cannot stream; use real kubectl
 * against the kubeconfig to follow). Errors as kubectl prints them.
 *
 * May import: ../sim/* (read only), ./parse.ts, ./cluster.ts.
 */
import { formatLogLines, podLogs, type LogOptions } from '../sim/logs.ts';
import type { SimState } from '../sim/types.ts';
import { inNamespace } from './cluster.ts';
import { USAGE_HINT, UsageError, parseArgs, type FlagDef } from './parse.ts';

/** `kubectl logs` flags the console takes. */
export const LOGS_FLAGS: FlagDef[] = [
  { name: 'previous', short: 'p', value: false },
  { name: 'follow', short: 'f', value: false },
  { name: 'tail', value: true },
  { name: 'container', short: 'c', value: true },
  { name: 'since', value: true },
  { name: 'timestamps', value: false },
];

/** A Go duration (`30s`, `5m`, `1h30m`) in seconds, or null. */
export function goDurationSeconds(text: string): number | null {
  if (!/^(\d+(\.\d+)?(h|m|s|ms))+$/.test(text)) return null;
  let total = 0;
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s)/g)) total += Number(m[1]) * (m[2] === 'h' ? 3600 : m[2] === 'm' ? 60 : m[2] === 's' ? 1 : 0.001);
  return total;
}

/** Runs `kubectl logs ...` (`words` after `logs`) against `state`. @throws UsageError with kubectl's text. */
export function runLogs(state: SimState, words: string[]): string {
  const args = parseArgs(words, LOGS_FLAGS);
  const ns = typeof args.flags['namespace'] === 'string' && args.flags['namespace'] !== '' ? args.flags['namespace'] : 'default';
  const target = args.positional[0];
  if (target === undefined || args.positional.length > 2) throw new UsageError(`error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\n${USAGE_HINT}`);
  let podName = target;
  const slash = target.indexOf('/');
  let header = '';
  if (slash > 0) {
    const type = target.slice(0, slash).toLowerCase();
    const name = target.slice(slash + 1);
    if (type === 'pod' || type === 'pods' || type === 'po') podName = name;
    else if (type === 'deployment' || type === 'deployments' || type === 'deploy') {
      const d = state.deployments[`${ns}/${name}`];
      if (!d) throw new UsageError(`error: error from server (NotFound): deployments.apps "${name}" not found in namespace "${ns}"`);
      const sel = d.spec.selector.matchLabels;
      const pods = inNamespace(state.pods, ns)
        .filter((p) => Object.keys(sel).every((k) => p.metadata.labels[k] === sel[k]))
        .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0));
      if (pods.length === 0) throw new UsageError(`error: timed out waiting for the condition`);
      podName = pods[0]!.metadata.name;
      if (pods.length > 1) header = `Found ${pods.length} pods, using pod/${podName}\n`;
    } else throw new UsageError(`error: cannot get the logs from ${type}: selector for ${type} not implemented in this console`);
  }
  const key = `${ns}/${podName}`;
  const pod = state.pods[key];
  if (!pod) throw new UsageError(`error: error from server (NotFound): pods "${podName}" not found in namespace "${ns}"`);
  const opts: LogOptions = {};
  const c = args.flags['container'] ?? args.positional[1];
  if (typeof c === 'string') opts.container = c;
  else if (pod.spec.containers.length + (pod.spec.initContainers?.length ?? 0) > 1) {
    // kubectl lists init containers after the app containers, marked `(init)` (issue 6).
    const names = [...pod.spec.containers.map((x) => x.name), ...(pod.spec.initContainers ?? []).map((x) => `${x.name} (init)`)];
    header += `Defaulted container "${pod.spec.containers[0]!.name}" out of: ${names.join(', ')}\n`;
  }
  if (args.flags['previous'] === true) opts.previous = true;
  const tail = args.flags['tail'];
  if (typeof tail === 'string') {
    if (!/^-?\d+$/.test(tail)) throw new UsageError(`error: invalid argument "${tail}" for "--tail" flag: strconv.ParseInt: parsing "${tail}": invalid syntax\n${USAGE_HINT}`);
    opts.tailLines = Number(tail);
  }
  const since = args.flags['since'];
  if (typeof since === 'string') {
    const s = goDurationSeconds(since);
    if (s === null) throw new UsageError(`error: invalid argument "${since}" for "--since" flag: time: invalid duration "${since}"\n${USAGE_HINT}`);
    opts.sinceSeconds = Math.max(1, Math.ceil(s));
  }
  const r = podLogs(state, key, opts);
  if (!r.ok) throw new UsageError(`Error from server (${r.code === 404 ? 'NotFound' : 'BadRequest'}): ${r.message}`);
  return header + formatLogLines(r.lines, { timestamps: args.flags['timestamps'] === true }).replace(/\n$/, '');
}
