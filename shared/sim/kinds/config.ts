/**
 * The ConfigMap and Secret kinds (v1; K pkg/apis/core/types.go, pkg/registry/core/configmap and
 * secret): storage `state.configMaps` / `state.secrets` (optional in the state, created with the first
 * object), defaulting (a Secret's `type` Opaque), `toApi`, the printer columns of kubectl
 * (printConfigMap: NAME DATA AGE, DATA = keys of `data` + `binaryData`; printSecret: NAME TYPE DATA AGE)
 * and the lookups the kubelet resolves Pods' configuration with ({@link configMapValue},
 * {@link secretValue}: kubelet_pods.go makeEnvironmentVariables, the configmap / secret volume
 * plugins). Secret values are kept base64 as the API serves them ({@link base64Encode}).
 *
 * May import: ../types.ts, ./kind.ts, ./print.ts, ./serialize.ts.
 */
import type { ConfigMap, Container, Secret, SimState } from '../types.ts';
import type { KindDef } from './kind.ts';
import { humanDuration } from './print.ts';
import { apiCopy, apiMeta } from './serialize.ts';

const EMPTY_CM: Readonly<Record<string, ConfigMap>> = Object.freeze(Object.create(null) as Record<string, ConfigMap>);
const EMPTY_SECRET: Readonly<Record<string, Secret>> = Object.freeze(Object.create(null) as Record<string, Secret>);

/** A ConfigMap / Secret key (K apimachinery validation IsConfigMapKey): `[-._a-zA-Z0-9]+`, at most 253 characters, not `.` or `..`. */
export const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;

/** The error of an invalid ConfigMap / Secret key (validation.go IsConfigMapKey's messages), or undefined. */
export function configKeyError(key: string): string | undefined {
  if (key.length > 253) return 'must be no more than 253 characters';
  if (!CONFIG_KEY.test(key)) return "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";
  if (key === '.') return "must not be '.'";
  if (key === '..') return "must not be '..'";
  if (key.startsWith('..')) return "must not start with '..'";
  return undefined;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Standard base64 (RFC 4648, padded) of the UTF-8 bytes of `text`, as the API serves Secret data. */
export function base64Encode(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i]!;
    const b = i + 1 < bytes.length ? bytes[i + 1]! : 0;
    const c = i + 2 < bytes.length ? bytes[i + 2]! : 0;
    const n = (a << 16) | (b << 8) | c;
    out += ALPHABET[(n >> 18) & 63]! + ALPHABET[(n >> 12) & 63]!;
    out += i + 1 < bytes.length ? ALPHABET[(n >> 6) & 63]! : '=';
    out += i + 2 < bytes.length ? ALPHABET[n & 63]! : '=';
  }
  return out;
}

/** The bytes of a standard base64 string, or undefined when it is not valid base64 (length, alphabet, padding). */
export function base64Bytes(b64: string): Uint8Array | undefined {
  if (b64.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) return undefined;
  const pad = b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((b64.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < b64.length; i += 4) {
    let n = 0;
    for (let j = 0; j < 4; j++) {
      const ch = b64[i + j]!;
      n = (n << 6) | (ch === '=' ? 0 : ALPHABET.indexOf(ch));
    }
    if (o < out.length) out[o++] = (n >> 16) & 255;
    if (o < out.length) out[o++] = (n >> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
  }
  return out;
}

/** The text of a base64 value (UTF-8, invalid sequences replaced), '' when it is not base64. */
export function base64Decode(b64: string): string {
  const bytes = base64Bytes(b64);
  return bytes ? new TextDecoder().decode(bytes) : '';
}

/** A null-prototype copy of a string map (keys are user input), or undefined when it is empty or absent. */
export function dataRecord(map: Readonly<Record<string, string>> | undefined): Record<string, string> | undefined {
  if (!map) return undefined;
  const keys = Object.keys(map).sort();
  if (keys.length === 0) return undefined;
  const out = Object.create(null) as Record<string, string>;
  for (const k of keys) out[k] = map[k]!;
  return out;
}

/** The ConfigMap `namespace/name`, or undefined. */
export function configMapOf(state: SimState, namespace: string, name: string): ConfigMap | undefined {
  const store = state.configMaps;
  const key = `${namespace}/${name}`;
  return store && Object.hasOwn(store, key) ? store[key] : undefined;
}

/** The Secret `namespace/name`, or undefined. */
export function secretOf(state: SimState, namespace: string, name: string): Secret | undefined {
  const store = state.secrets;
  const key = `${namespace}/${name}`;
  return store && Object.hasOwn(store, key) ? store[key] : undefined;
}

/**
 * The value of `key` in a ConfigMap's `data` (what `configMapKeyRef` reads: binaryData is not looked at,
 * kubelet_pods.go), or undefined when the key is absent.
 */
export function configMapValue(cm: ConfigMap, key: string): string | undefined {
  return cm.data && Object.hasOwn(cm.data, key) ? cm.data[key] : undefined;
}

/** The decoded value of `key` of a Secret (`secretKeyRef`), or undefined when the key is absent. */
export function secretValue(secret: Secret, key: string): string | undefined {
  return secret.data && Object.hasOwn(secret.data, key) ? base64Decode(secret.data[key]!) : undefined;
}

/** (issue 6) True when container `c` reads variables from ConfigMaps or Secrets (`envFrom`, `env[].valueFrom`). */
export function readsConfigEnv(c: Container): boolean {
  return (c.envFrom ?? []).length > 0 || c.env.some((e) => e.valueFrom?.configMapKeyRef !== undefined || e.valueFrom?.secretKeyRef !== undefined);
}

/**
 * (issue 6) Container `c`'s own variables as the kubelet builds them when it creates the container (K
 * pkg/kubelet/kubelet_pods.go makeEnvironmentVariables): every `data` key of its `envFrom` ConfigMaps /
 * Secrets (with `prefix`), then `env` (a literal, or a ConfigMap / Secret key; later names win, keeping
 * the first position), from the stored objects now. `fieldRef` / `resourceFieldRef` give "".
 */
export function containerEnv(state: SimState, namespace: string, c: Container): [string, string][] {
  const vars = new Map<string, string>();
  for (const src of c.envFrom ?? []) {
    const prefix = src.prefix ?? '';
    if (src.configMapRef) {
      const cm = configMapOf(state, namespace, src.configMapRef.name);
      for (const k of Object.keys(cm?.data ?? {}).sort()) vars.set(prefix + k, cm!.data![k]!);
    }
    if (src.secretRef) {
      const secret = secretOf(state, namespace, src.secretRef.name);
      for (const k of Object.keys(secret?.data ?? {}).sort()) vars.set(prefix + k, secretValue(secret!, k) ?? '');
    }
  }
  for (const e of c.env) {
    const cmRef = e.valueFrom?.configMapKeyRef;
    const secRef = e.valueFrom?.secretKeyRef;
    const cm = cmRef ? configMapOf(state, namespace, cmRef.name) : undefined;
    const secret = secRef ? secretOf(state, namespace, secRef.name) : undefined;
    const v = cmRef ? (cm ? configMapValue(cm, cmRef.key) : undefined) : secRef ? (secret ? secretValue(secret, secRef.key) : undefined) : e.value ?? '';
    if (v !== undefined) vars.set(e.name, v);
  }
  return [...vars];
}

/** The keys of a ConfigMap (`data` then `binaryData`, each sorted): what a volume projects, envFrom reads `data` only. */
export function configMapKeys(cm: ConfigMap): string[] {
  return [...Object.keys(cm.data ?? {}).sort(), ...Object.keys(cm.binaryData ?? {}).sort()];
}

/** A served copy with the data maps as plain (sorted) objects. */
function served(obj: ConfigMap | Secret): Record<string, unknown> {
  const copy = apiCopy(obj);
  apiMeta(copy);
  for (const f of ['data', 'binaryData'] as const) {
    const m = (obj as { data?: Record<string, string>; binaryData?: Record<string, string> })[f];
    if (m) copy[f] = Object.fromEntries(Object.keys(m).sort().map((k) => [k, m[k]!]));
  }
  return copy;
}

/** The ConfigMap kind. */
export const configMapKind: KindDef<ConfigMap> = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  plural: 'configmaps',
  singular: 'configmap',
  shortNames: ['cm'],
  namespaced: true,
  store: (state) => state.configMaps ?? (EMPTY_CM as Record<string, ConfigMap>),
  ensureStore: (state) => (state.configMaps ??= Object.create(null) as Record<string, ConfigMap>),
  controllerKinds: [],
  toApi: (cm) => served(cm),
  columns: [
    { name: 'NAME', cell: (cm) => cm.metadata.name },
    { name: 'DATA', cell: (cm) => String(Object.keys(cm.data ?? {}).length + Object.keys(cm.binaryData ?? {}).length) },
    { name: 'AGE', cell: (cm, s) => humanDuration(s.t - cm.metadata.creationTimestamp) },
  ],
};

/** The Secret kind. */
export const secretKind: KindDef<Secret> = {
  apiVersion: 'v1',
  kind: 'Secret',
  plural: 'secrets',
  singular: 'secret',
  shortNames: [],
  namespaced: true,
  store: (state) => state.secrets ?? (EMPTY_SECRET as Record<string, Secret>),
  ensureStore: (state) => (state.secrets ??= Object.create(null) as Record<string, Secret>),
  defaults(s) {
    if (!s.type) s.type = 'Opaque';
  },
  controllerKinds: [],
  toApi: (s) => served(s),
  columns: [
    { name: 'NAME', cell: (s) => s.metadata.name },
    { name: 'TYPE', cell: (s) => s.type },
    { name: 'DATA', cell: (s) => String(Object.keys(s.data ?? {}).length) },
    { name: 'AGE', cell: (s, st) => humanDuration(st.t - s.metadata.creationTimestamp) },
  ],
};
