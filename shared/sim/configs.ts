/**
 * (issue 6) The ConfigMaps and Secrets of a {@link SimInput} (`input.configs`, from the manifests; and
 * the bare names of older inputs' `configObjects`) stored at createSim, before any container starts,
 * and the object a `kubectl create configmap` / `apply -f` builds ({@link configObjectFromManifest}),
 * which the console then stores through the API server's `createObject` (shared/sim/actions/objects.ts).
 *
 * A Secret's `stringData` is merged into `data` base64-encoded, a `stringData` key winning over the same
 * `data` key (K pkg/apis/core/v1/conversion.go Convert_v1_Secret_To_core_Secret); `type` defaults to
 * Opaque.
 *
 * (issue 6) {@link downwardEnvValue}: the downward API's environment values (`fieldRef`, `resourceFieldRef`).
 *
 * Pure and deterministic. May import: ./kinds/*, ./types.ts, ./names.ts, ../manifests/quantity.ts (pure).
 */
import { base64Encode, dataRecord } from './kinds/config.ts';
import { kindOf, objectKey, type KindDef } from './kinds/index.ts';
import { nodeIp, podAddress } from './kinds/print.ts';
import { parseCpuMillicores, parseQuantity } from '../manifests/quantity.ts';
import { counterUid } from './hash.ts';
import type { ConfigManifest, ConfigMap, Container, EnvVarSource, ObjectMeta, Pod, Secret, SimInput, SimState } from './types.ts';

/**
 * The stored form of a ConfigMap / Secret manifest: metadata (uid from the state's counter, created
 * now, resourceVersion 0 until stored), data maps as null-prototype records (absent when empty).
 */
export function configObjectFromManifest(state: SimState, m: ConfigManifest): ConfigMap | Secret {
  const metadata: ObjectMeta = {
    name: m.metadata.name,
    namespace: m.metadata.namespace ?? 'default',
    uid: counterUid(state.counters.uid++),
    labels: { ...(m.metadata.labels ?? {}) },
    annotations: { ...(m.metadata.annotations ?? {}) },
    creationTimestamp: state.t,
    ownerReferences: [],
    generation: 1,
    resourceVersion: 0,
  };
  if (m.kind === 'ConfigMap') {
    const cm: ConfigMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata };
    const data = dataRecord(m.data);
    const binaryData = dataRecord(m.binaryData);
    if (data) cm.data = data;
    if (binaryData) cm.binaryData = binaryData;
    if (m.immutable !== undefined) cm.immutable = m.immutable;
    return cm;
  }
  const merged: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [k, v] of Object.entries(m.data ?? {})) merged[k] = v;
  for (const [k, v] of Object.entries(m.stringData ?? {})) merged[k] = base64Encode(v);
  const secret: Secret = { apiVersion: 'v1', kind: 'Secret', metadata, type: m.type ?? 'Opaque' };
  const data = dataRecord(merged);
  if (data) secret.data = data;
  if (m.immutable !== undefined) secret.immutable = m.immutable;
  return secret;
}

/**
 * Stores `input.configs` in document order (a duplicate key is skipped with a warning), then an empty
 * object for each name of `input.configObjects.configMaps` / `secrets` not defined there (inputs that
 * list names only). Called by createSim after the workloads and Services are built; absent input
 * leaves the state (and its hash) as before.
 */
export function storeConfigs(state: SimState, input: SimInput): void {
  const put = (m: ConfigManifest): void => {
    const def = kindOf(m.kind) as KindDef;
    const key = objectKey(def, { name: m.metadata.name, namespace: m.metadata.namespace ?? 'default' } as ObjectMeta);
    if (Object.hasOwn(def.store(state), key)) {
      state.warnings.push(`duplicate ${m.kind} "${key}" skipped`);
      return;
    }
    const obj = configObjectFromManifest(state, m);
    def.defaults?.(obj);
    obj.metadata.resourceVersion = ++state.counters.resourceVersion;
    (def.ensureStore!(state) as Record<string, ConfigMap | Secret>)[key] = obj;
  };
  for (const m of input.configs ?? []) put(m);
  const legacy = input.configObjects;
  if (!legacy) return;
  const byName = (kind: 'ConfigMap' | 'Secret', keys: readonly string[]) => {
    const def = kindOf(kind) as KindDef;
    for (const k of keys) {
      if (Object.hasOwn(def.store(state), k)) continue;
      const slash = k.indexOf('/');
      put({ apiVersion: 'v1', kind, metadata: { namespace: k.slice(0, slash), name: k.slice(slash + 1) } } as ConfigManifest);
    }
  };
  byName('ConfigMap', legacy.configMaps);
  byName('Secret', legacy.secrets);
}

/**
 * (issue 6) The value of a downward API environment variable (`env[].valueFrom.fieldRef` /
 * `resourceFieldRef`) of container `container` in `pod`, as the kubelet computes it when it creates the
 * container (K pkg/kubelet/kubelet_pods.go podFieldSelectorRuntimeValue, pkg/api/v1/resource
 * ExtractContainerResourceValue, pkg/fieldpath ExtractFieldPathAsString):
 * - `metadata.name|namespace|uid`, `metadata.labels['k']`, `metadata.annotations['k']` (absent: ''),
 *   `spec.nodeName`, `spec.serviceAccountName` (always `default`), `status.podIP(s)`, `status.hostIP(s)`;
 * - `limits.cpu|memory`, `requests.cpu|memory` of the named container (default: this one), divided by
 *   `divisor` (default 1) and rounded up: cpu in whole cores (`500m` -> `1`, divisor `1m` -> `500`),
 *   memory in bytes (divisor `1Mi` -> MiB); an unset limit is the Node's allocatable (MergeContainerResourceLimits),
 *   an unset request 0; `ephemeral-storage` resources 0 (not modelled).
 * Returns undefined for a source that is neither (or an unknown field / resource: API validation refuses those).
 */
export function downwardEnvValue(state: SimState, pod: Pod, container: Container, src: EnvVarSource): string | undefined {
  const field = src.fieldRef?.fieldPath;
  if (field !== undefined) {
    const m = pod.metadata;
    const sub = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(field);
    if (sub) {
      const map = sub[1] === 'labels' ? m.labels : m.annotations;
      return Object.hasOwn(map, sub[2]!) ? map[sub[2]!]! : '';
    }
    switch (field) {
      case 'metadata.name': return m.name;
      case 'metadata.namespace': return m.namespace;
      case 'metadata.uid': return m.uid;
      case 'spec.nodeName': return pod.spec.nodeName ?? '';
      case 'spec.serviceAccountName': return 'default'; // the sim keeps no serviceAccountName: every Pod runs as `default`
      case 'status.podIP': case 'status.podIPs': return pod.spec.nodeName ? podAddress(state, pod.spec.nodeName, m.uid) : '';
      case 'status.hostIP': case 'status.hostIPs': return pod.spec.nodeName ? nodeIp(state, pod.spec.nodeName) : '';
      default: return undefined;
    }
  }
  const ref = src.resourceFieldRef;
  if (ref === undefined) return undefined;
  const c = ref.containerName ? pod.spec.containers.find((x) => x.name === ref.containerName) ?? container : container;
  const [which, res] = ref.resource.split('.') as [string, string | undefined];
  if ((which !== 'limits' && which !== 'requests') || res === undefined) return undefined;
  if (res === 'ephemeral-storage') return '0';
  if (res !== 'cpu' && res !== 'memory') return undefined;
  const alloc = pod.spec.nodeName ? state.nodes[pod.spec.nodeName]?.status.allocatable : undefined;
  const set = which === 'limits' ? c.resources.limits?.[res] : c.resources.requests?.[res];
  const q = set ?? (which === 'limits' ? alloc?.[res] ?? '0' : '0');
  try {
    const divisor = ref.divisor !== undefined && parseQuantity(ref.divisor) > 0 ? ref.divisor : '1';
    // cpu: ceil(MilliValue / divisor.MilliValue); memory: ceil(Value / divisor.Value).
    return res === 'cpu'
      ? String(Math.ceil(parseCpuMillicores(q) / parseCpuMillicores(divisor)))
      : String(Math.ceil(Math.round(parseQuantity(q)) / parseQuantity(divisor)));
  } catch {
    return undefined;
  }
}
