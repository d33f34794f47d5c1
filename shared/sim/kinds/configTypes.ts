/**
 * The v1 ConfigMap and Secret shapes (K pkg/apis/core/types.go ConfigMap, Secret), re-exported by
 * ../types.ts. Stored by ./config.ts; the kubelet resolves Pods' `envFrom`, `env.valueFrom` and
 * configMap / secret volumes against them (../controllers/kubelet.ts).
 *
 * May import: ./types.ts.
 */
import type { ObjectMeta } from './types.ts';

/**
 * `v1 ConfigMap`: `data` (UTF-8 strings) and `binaryData` (base64 strings) by key; each key at most in
 * one of them. Both maps are null-prototype records (keys are user input), absent when empty.
 */
export interface ConfigMap {
  apiVersion: 'v1';
  kind: 'ConfigMap';
  metadata: ObjectMeta;
  data?: Record<string, string>;
  binaryData?: Record<string, string>;
  immutable?: boolean;
}

/**
 * `v1 Secret`: `data` by key, each value base64 as the API serves it (the API server merges
 * `stringData` into `data` on write, K pkg/apis/core/v1/conversion.go); `type` defaults to `Opaque`.
 * `data` is a null-prototype record, absent when empty.
 */
export interface Secret {
  apiVersion: 'v1';
  kind: 'Secret';
  metadata: ObjectMeta;
  type: string;
  data?: Record<string, string>;
  immutable?: boolean;
}

/** Metadata of a {@link ConfigManifest} (namespace defaults to `default`). */
export interface ConfigManifestMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/**
 * (added) A ConfigMap or Secret as the manifests give it (shared/manifests): validated keys, values as
 * written (`data` of a Secret base64, `stringData` plain text). Stored at createSim (../configs.ts).
 */
export type ConfigManifest =
  | { apiVersion: 'v1'; kind: 'ConfigMap'; metadata: ConfigManifestMeta; data?: Record<string, string>; binaryData?: Record<string, string>; immutable?: boolean }
  | { apiVersion: 'v1'; kind: 'Secret'; metadata: ConfigManifestMeta; type?: string; data?: Record<string, string>; stringData?: Record<string, string>; immutable?: boolean };
