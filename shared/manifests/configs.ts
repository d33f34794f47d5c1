/**
 * (issue 6) v1 ConfigMap and Secret manifests, validated into the sim's {@link ConfigManifest}s with the
 * API server's rules (K pkg/apis/core/validation ValidateConfigMap / ValidateSecret): a DNS-1123
 * subdomain name; every key of `data` / `binaryData` / `stringData` a config key (`[-._a-zA-Z0-9]+`, not
 * `.` / `..`, at most 253 characters); values strings (a YAML number is a type error, as the API's JSON
 * decoding makes it); a key in both `data` and `binaryData` of a ConfigMap refused; `binaryData` and a
 * Secret's `data` base64. A Secret's `stringData` is kept as written (the sim merges it into `data`).
 *
 * Pure. May import: zod, ./schemas.ts, ./names.ts, ../sim/types.ts (types only).
 */
import { z } from 'zod';
import type { ConfigManifest } from '../sim/types.ts';
import { typeMessage } from './schemas.ts';
import { dns1123LabelError, dns1123SubdomainError } from './names.ts';

const typed = typeMessage;
const str = () => z.string({ error: typed('a string') });
const named = (check: (n: string) => string | null) =>
  str().min(1, { error: 'Required value' }).superRefine((v, ctx) => {
    const e = check(v);
    if (e) ctx.addIssue({ code: 'custom', message: e });
  });
const stringMap = () => z.record(z.string(), str(), { error: typed('a mapping of strings') });
const Meta = z.object({ name: named(dns1123SubdomainError), namespace: named(dns1123LabelError).optional(), labels: stringMap().optional(), annotations: stringMap().optional() });

/** The validation error of a ConfigMap / Secret key (validation.go IsConfigMapKey), or null. */
export function configKeyProblem(key: string): string | null {
  if (key.length > 253) return 'must be no more than 253 characters';
  if (!/^[-._a-zA-Z0-9]+$/.test(key)) return "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";
  if (key === '.') return "must not be '.'";
  if (key === '..') return "must not be '..'";
  if (key.startsWith('..')) return "must not start with '..'";
  return null;
}

/** True when `v` is standard padded base64 (what the API's JSON decoding of `[]byte` accepts). */
export function isBase64(v: string): boolean {
  return v.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(v);
}

const ConfigMapSchema = z.object({ metadata: Meta, data: stringMap().optional(), binaryData: stringMap().optional(), immutable: z.boolean({ error: typed('a boolean') }).optional() });
const SecretSchema = z.object({ metadata: Meta, type: str().optional(), data: stringMap().optional(), stringData: stringMap().optional(), immutable: z.boolean({ error: typed('a boolean') }).optional() });

/** One validation error: a path below the object and kubectl's message. */
export interface ConfigError {
  path: (string | number)[];
  message: string;
}

/**
 * Validates one ConfigMap or Secret object (apiVersion already checked): the {@link ConfigManifest}, or
 * the errors (each with its path, e.g. `data.bad key`).
 */
export function parseConfig(kind: 'ConfigMap' | 'Secret', obj: unknown): { manifest?: ConfigManifest; errors: ConfigError[] } {
  const r = (kind === 'ConfigMap' ? ConfigMapSchema : SecretSchema).safeParse(obj);
  if (!r.success) return { errors: r.error.issues.map((i) => ({ path: i.path.map((p) => (typeof p === 'number' ? p : String(p))), message: i.message })) };
  const errors: ConfigError[] = [];
  const maps = (kind === 'ConfigMap' ? ['data', 'binaryData'] : ['data', 'stringData']) as ('data' | 'binaryData' | 'stringData')[];
  const d = r.data as { data?: Record<string, string>; binaryData?: Record<string, string>; stringData?: Record<string, string> };
  for (const field of maps) {
    for (const key of Object.keys(d[field] ?? {}).sort()) {
      const problem = configKeyProblem(key);
      if (problem) errors.push({ path: [field, key], message: `Invalid value: ${JSON.stringify(key)}: ${problem}` });
      const base64 = field === 'binaryData' || (kind === 'Secret' && field === 'data');
      if (base64 && !isBase64(d[field]![key]!)) errors.push({ path: [field, key], message: 'illegal base64 data: the value must be base64-encoded' });
      if (kind === 'ConfigMap' && field === 'binaryData' && d.data && Object.hasOwn(d.data, key)) errors.push({ path: ['data', key], message: `Invalid value: ${JSON.stringify(key)}: duplicate of key present in binaryData` });
    }
  }
  if (errors.length > 0) return { errors };
  const base = { apiVersion: 'v1' as const, metadata: r.data.metadata };
  const opt = <K extends string, V>(k: K, v: V | undefined) => (v === undefined ? {} : ({ [k]: v } as Record<K, V>));
  const manifest: ConfigManifest = kind === 'ConfigMap'
    ? { ...base, kind, ...opt('data', d.data), ...opt('binaryData', d.binaryData), ...opt('immutable', r.data.immutable) }
    : { ...base, kind, ...opt('type', (r.data as { type?: string }).type), ...opt('data', d.data), ...opt('stringData', d.stringData), ...opt('immutable', r.data.immutable) };
  return { manifest, errors: [] };
}
