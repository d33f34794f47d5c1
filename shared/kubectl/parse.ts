/**
 * Command-line parsing for the players' console: a quote-aware tokenizer (POSIX-shell-like: '...',
 * "..." with \" escapes, backslash escapes), pflag-style flags (`--flag=value`, `--flag value`,
 * `-n value`, `-nvalue`, `-o=wide`, booleans), resource type aliases (`po`, `deploy`, `no`, `svc`...)
 * and `TYPE/NAME` vs `TYPE NAME` forms.
 *
 * May import: ./format.ts.
 */
import { suggest } from './format.ts';

/** A user error: printed as the command's output (`error: ...`). */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Splits a command line into words. @throws UsageError on an unterminated quote. */
export function tokenize(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inWord = false;
  let i = 0;
  while (i < line.length) {
    const ch = line[i]!;
    if (ch === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new UsageError('error: unterminated quoted string');
      cur += line.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (ch === '"') {
      i++;
      let closed = false;
      while (i < line.length) {
        const c = line[i]!;
        if (c === '\\' && i + 1 < line.length && (line[i + 1] === '"' || line[i + 1] === '\\')) {
          cur += line[i + 1];
          i += 2;
        } else if (c === '"') {
          closed = true;
          i++;
          break;
        } else {
          cur += c;
          i++;
        }
      }
      if (!closed) throw new UsageError('error: unterminated quoted string');
      inWord = true;
    } else if (ch === '\\' && i + 1 < line.length) {
      cur += line[i + 1];
      inWord = true;
      i += 2;
    } else if (/\s/.test(ch)) {
      if (inWord) out.push(cur);
      cur = '';
      inWord = false;
      i++;
    } else {
      cur += ch;
      inWord = true;
      i++;
    }
  }
  if (inWord) out.push(cur);
  return out;
}

/** One accepted flag: long name, optional one-letter shorthand, whether it takes a value. */
export interface FlagDef {
  name: string;
  short?: string;
  value: boolean;
}

/** Flags every command accepts (kubectl's global `-n/--namespace`). */
export const GLOBAL_FLAGS: FlagDef[] = [{ name: 'namespace', short: 'n', value: true }];

/** Parsed arguments: positional words and flag values by long name (`true` for booleans). */
export interface ParsedArgs {
  positional: string[];
  flags: Record<string, string | true>;
}

/** Usage hint printed after errors. */
export const USAGE_HINT = "Run 'help' for usage.";

/**
 * Parses flags pflag-style against `defs` (plus {@link GLOBAL_FLAGS}).
 * @throws UsageError `error: unknown flag: --x` / `error: unknown shorthand flag: 'x' in -x` /
 * `error: flag needs an argument: --x`.
 */
export function parseArgs(words: string[], defs: FlagDef[]): ParsedArgs {
  const all = [...GLOBAL_FLAGS, ...defs];
  const byName = new Map(all.map((d) => [d.name, d]));
  const byShort = new Map(all.filter((d) => d.short).map((d) => [d.short!, d]));
  const positional: string[] = [];
  const flags: Record<string, string | true> = Object.create(null);
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === '--') {
      positional.push(...words.slice(i + 1));
      break;
    }
    if (w.startsWith('--') && w.length > 2) {
      const eq = w.indexOf('=');
      const name = eq < 0 ? w.slice(2) : w.slice(2, eq);
      const def = byName.get(name);
      if (!def) {
        const hint = suggest(name, all.map((d) => d.name));
        throw new UsageError(`error: unknown flag: --${name}${hint[0] ? `\nDid you mean --${hint[0]}?` : ''}\n${USAGE_HINT}`);
      }
      if (def.value) {
        if (eq >= 0) flags[def.name] = w.slice(eq + 1);
        else if (i + 1 < words.length) flags[def.name] = words[++i]!;
        else throw new UsageError(`error: flag needs an argument: --${name}\n${USAGE_HINT}`);
      } else if (eq >= 0) {
        const v = w.slice(eq + 1).toLowerCase();
        if (v !== 'true' && v !== 'false') throw new UsageError(`error: invalid argument "${w.slice(eq + 1)}" for "--${name}" flag: strconv.ParseBool: parsing "${w.slice(eq + 1)}": invalid syntax`);
        if (v === 'true') flags[def.name] = true;
      } else {
        flags[def.name] = true;
      }
      continue;
    }
    if (w.startsWith('-') && w.length > 1 && !/^-\d/.test(w)) {
      const letter = w[1]!;
      const def = byShort.get(letter);
      if (!def) throw new UsageError(`error: unknown shorthand flag: '${letter}' in ${w}\n${USAGE_HINT}`);
      if (def.value) {
        let rest = w.slice(2);
        if (rest.startsWith('=')) rest = rest.slice(1);
        if (rest !== '') flags[def.name] = rest;
        else if (i + 1 < words.length) flags[def.name] = words[++i]!;
        else throw new UsageError(`error: flag needs an argument: '${letter}' in -${letter}\n${USAGE_HINT}`);
      } else {
        flags[def.name] = true;
        // Combined booleans like -Af are not needed; extra letters are an error.
        if (w.length > 2) throw new UsageError(`error: unknown shorthand flag: '${w[2]}' in ${w}\n${USAGE_HINT}`);
      }
      continue;
    }
    positional.push(w);
  }
  return { positional, flags };
}

/** A string flag value, or undefined (a boolean flag given where a value is expected counts as absent). */
export function flagString(args: ParsedArgs, name: string): string | undefined {
  const v = args.flags[name];
  return typeof v === 'string' ? v : undefined;
}

/** Canonical resource types the console knows. */
export type ResourceType = 'pods' | 'nodes' | 'deployments' | 'replicasets' | 'services' | 'endpoints' | 'events';

/** kubectl short names and spellings (kubectl api-resources) -> canonical type. */
/** The resource type a word names (`po`, `deploy`...), own keys only: a player may type `constructor`. */
export function resourceAlias(word: string): ResourceType | undefined {
  const key = word.toLowerCase();
  return Object.hasOwn(RESOURCE_ALIASES, key) ? RESOURCE_ALIASES[key] : undefined;
}

/** kubectl's resource words (singular, plural and short names, e.g. `po`, `deploy`, `hpa`) to the resource they name; read through {@link resourceAlias}. */
export const RESOURCE_ALIASES: Record<string, ResourceType> = {
  po: 'pods',
  pod: 'pods',
  pods: 'pods',
  no: 'nodes',
  node: 'nodes',
  nodes: 'nodes',
  deploy: 'deployments',
  deployment: 'deployments',
  deployments: 'deployments',
  'deployment.apps': 'deployments',
  'deployments.apps': 'deployments',
  rs: 'replicasets',
  replicaset: 'replicasets',
  replicasets: 'replicasets',
  'replicaset.apps': 'replicasets',
  'replicasets.apps': 'replicasets',
  svc: 'services',
  service: 'services',
  services: 'services',
  ep: 'endpoints',
  endpoint: 'endpoints',
  endpoints: 'endpoints',
  ev: 'events',
  event: 'events',
  events: 'events',
};

/** Singular kind used in `TYPE/NAME` output (`pod/x`, `deployment.apps/x`). */
export const KIND_PREFIX: Record<ResourceType, string> = {
  pods: 'pod',
  nodes: 'node',
  deployments: 'deployment.apps',
  replicasets: 'replicaset.apps',
  services: 'service',
  endpoints: 'endpoints',
  events: 'event',
};

/**
 * Resolves a resource type word. @throws UsageError
 * `error: the server doesn't have a resource type "x"` (with a suggestion when close to a known one).
 */
export function resourceType(word: string): ResourceType {
  const t = resourceAlias(word);
  if (t) return t;
  const hint = suggest(word.toLowerCase(), Object.keys(RESOURCE_ALIASES));
  throw new UsageError(`error: the server doesn't have a resource type "${word}"${hint[0] ? `\nDid you mean "${hint[0]}"?` : ''}`);
}

/**
 * Reads `TYPE/NAME ...` or `TYPE NAME ...` from positional words: returns the type and the names.
 * @throws UsageError when no type is given.
 */
export function typeAndNames(positional: string[]): { type: ResourceType | null; names: string[] } {
  const first = positional[0];
  if (first === undefined) return { type: null, names: [] };
  if (first.includes('/')) {
    let type: ResourceType | null = null;
    const names: string[] = [];
    for (const p of positional) {
      const slash = p.indexOf('/');
      if (slash < 0) throw new UsageError(`error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'`);
      const t = resourceType(p.slice(0, slash));
      if (type !== null && t !== type) throw new UsageError('error: mixing resource types is not supported here');
      type = t;
      names.push(p.slice(slash + 1));
    }
    return { type, names };
  }
  const type = resourceType(first);
  for (const p of positional.slice(1)) {
    if (p.includes('/')) throw new UsageError(`error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'`);
  }
  return { type, names: positional.slice(1) };
}
