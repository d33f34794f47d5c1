/**
 * (issue 6) `kubectl create configmap NAME --from-literal=KEY=VALUE... [-n NS]` and `kubectl create
 * secret generic NAME --from-literal=KEY=VALUE... [--type=TYPE] [-n NS]` -> action `createObject` with
 * the object kubectl would POST (a Secret's values base64, as kubectl encodes them), stored by the sim
 * through the API server (shared/sim/actions/objects.ts: `configmap/NAME created`).
 *
 * kubectl's rules followed (k8s.io/kubectl/pkg/cmd/create/create_configmap.go, create_secret.go,
 * pkg/util ParseLiteralSource, v1.32): a literal splits at its first `=` (`error: invalid literal source
 * x, expected key=value`); keys must be config keys (`"a b" is not a valid key name for a ConfigMap:
 * ...`); a repeated key is refused (`cannot add key "k", another key by that name already exists in
 * Data for ConfigMap "app"`); exactly one NAME; an existing name answers `error: failed to create
 * configmap: configmaps "app" already exists`. `--from-file` / `--from-env-file` need a file system,
 * which the console has none of: refused with a hint.
 *
 * May import: ../sim/* (read only), ./*.
 */
import type { SimAction, SimState } from '../sim/types.ts';
import { base64Encode, configKeyError, configMapOf, secretOf } from '../sim/kinds/config.ts';
import { UsageError, USAGE_HINT, flagString, parseArgs } from './parse.ts';

/** The words `kubectl create` takes as a ConfigMap (`configmap`, `cm`) or Secret. */
export const CREATE_CONFIG_WORDS: ReadonlySet<string> = new Set(['configmap', 'cm', 'secret']);

/** `--from-literal=K=V` / `--from-literal K=V` occurrences of `words` (repeatable), and the other words. */
function splitLiterals(words: readonly string[]): { literals: string[]; rest: string[] } {
  const literals: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w.startsWith('--from-literal=')) literals.push(w.slice('--from-literal='.length));
    else if (w === '--from-literal') {
      const v = words[++i];
      if (v === undefined) throw new UsageError('error: flag needs an argument: --from-literal');
      literals.push(v);
    } else rest.push(w);
  }
  return { literals, rest };
}

/**
 * `kubectl create configmap|cm|secret ...` (`words` after `create`): the `createObject` action.
 * @throws UsageError with kubectl's wording.
 */
export function createConfigCommand(state: SimState, words: readonly string[]): SimAction {
  const [what, ...after] = words;
  const secret = what === 'secret';
  let tail = after;
  if (secret) {
    const sub = after[0];
    if (sub === undefined || sub.startsWith('-')) throw new UsageError(`error: kubectl create secret needs a type: generic (docker-registry and tls need files, which this console has none of)\n${USAGE_HINT}`);
    if (sub !== 'generic') throw new UsageError(sub === 'docker-registry' || sub === 'tls' ? `error: kubectl create secret ${sub} is not supported in this console: use kubectl create secret generic NAME --from-literal=KEY=VALUE` : `error: unknown command "${sub}" for "kubectl create secret"\n\nDid you mean this?\n\tgeneric\n`);
    tail = after.slice(1);
  }
  const { literals, rest } = splitLiterals(tail);
  if (rest.some((w) => w === '--from-file' || w.startsWith('--from-file=') || w === '--from-env-file' || w.startsWith('--from-env-file='))) {
    throw new UsageError('error: --from-file and --from-env-file read files, which this console has none of: use --from-literal=KEY=VALUE (once per key), or kubectl apply -f - with the YAML');
  }
  const args = parseArgs(rest, [
    { name: 'type', value: true },
  ]);
  if (args.positional.length !== 1) throw new UsageError(`error: exactly one NAME is required, got ${args.positional.length}\n${USAGE_HINT}`);
  const name = args.positional[0]!;
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(name) || name.length > 253) {
    throw new UsageError(`error: failed to create ${secret ? 'secret' : 'configmap'}: ${secret ? 'Secret' : 'ConfigMap'} "${name}" is invalid: metadata.name: Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`);
  }
  if (flagString(args, 'type') !== undefined && !secret) throw new UsageError('error: unknown flag: --type');
  const ns = flagString(args, 'namespace') || 'default';
  const kindName = secret ? 'Secret' : 'ConfigMap';
  const data: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const lit of literals) {
    const eq = lit.indexOf('=');
    if (eq < 0) throw new UsageError(`error: invalid literal source ${lit}, expected key=value`);
    const key = lit.slice(0, eq);
    const value = lit.slice(eq + 1);
    const problem = configKeyError(key);
    if (problem !== undefined) throw new UsageError(secret ? `error: ${JSON.stringify(key)} is not valid key name for a Secret ${problem}` : `error: ${JSON.stringify(key)} is not a valid key name for a ConfigMap: ${problem}`);
    if (Object.hasOwn(data, key)) throw new UsageError(`error: cannot add key ${secret ? key : JSON.stringify(key)}, another key by that name already exists in Data for ${kindName} ${JSON.stringify(name)}`);
    data[key] = secret ? base64Encode(value) : value;
  }
  if (secret ? secretOf(state, ns, name) : configMapOf(state, ns, name)) throw new UsageError(`error: failed to create ${secret ? 'secret' : 'configmap'}: ${secret ? 'secrets' : 'configmaps'} "${name}" already exists`);
  const obj: Record<string, unknown> = { apiVersion: 'v1', kind: kindName, metadata: { name, namespace: ns } };
  if (secret) obj['type'] = flagString(args, 'type') ?? 'Opaque';
  if (Object.keys(data).length > 0) obj['data'] = Object.fromEntries(Object.keys(data).map((k) => [k, data[k]!]));
  return { type: 'createObject', manifest: JSON.stringify(obj) };
}
