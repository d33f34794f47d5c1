/**
 * (added, issue 6) The PersistentVolumeClaim kind: storage (optional map, absent until the first
 * claim), defaulting, API serialisation and kubectl's columns (K pkg/printers/internalversion
 * printers.go printPersistentVolumeClaim, kubectl 1.32: NAME STATUS VOLUME CAPACITY ACCESS MODES
 * STORAGECLASS VOLUMEATTRIBUTESCLASS AGE, wide VOLUMEMODE), and {@link claimFromTemplate}, the claim
 * a manifest or a StatefulSet's `volumeClaimTemplates` entry becomes.
 *
 * May import: ../types.ts, ./kind.ts, ./print.ts, ./serialize.ts.
 */
import type { ObjectMeta, PersistentVolumeClaim, PersistentVolumeClaimTemplate, SimState } from '../types.ts';
import type { KindDef } from './kind.ts';
import { humanDuration } from './print.ts';
import { apiCopy, apiMeta } from './serialize.ts';

const EMPTY = Object.freeze({}) as Readonly<Record<string, never>>;

/** The finalizer the PVC protection admission puts on every claim (K pkg/util/... volumeutil PVCProtectionFinalizer). */
export const PVC_PROTECTION_FINALIZER = 'kubernetes.io/pvc-protection';

/**
 * (issue 6) Whether a Pod uses the claim `namespace/name`, as the pvc-protection controller asks (K
 * pkg/controller/volume/pvcprotection/pvc_protection_controller.go podUsesPVC): a Pod bound to a Node
 * (`spec.nodeName` set, whatever its phase, Terminating included) with a volume naming the claim.
 * `except`: a Pod key not counted (the one being removed). O(Pods): called only when a claim is
 * deleted or a Pod using a Terminating claim goes.
 */
export function claimInUse(state: SimState, namespace: string, name: string, except?: string): boolean {
  for (const key in state.pods) {
    if (key === except) continue;
    const p = state.pods[key]!;
    if (p.metadata.namespace === namespace && p.spec.nodeName && (p.spec.volumes ?? []).some((v) => v.persistentVolumeClaim?.claimName === name)) return true;
  }
  return false;
}

/** The beta annotation naming a claim's StorageClass (still honoured: K pkg/apis/core/v1/helper GetPersistentVolumeClaimClass). */
export const BETA_STORAGE_CLASS = 'volume.beta.kubernetes.io/storage-class';
/**
 * The class the DefaultStorageClass admission gives a claim that names none: `standard`, the default
 * StorageClass of kind and minikube clusters (the sim has no StorageClass objects).
 */
export const DEFAULT_STORAGE_CLASS = 'standard';

/** GetPersistentVolumeClaimClass: the beta annotation, else `spec.storageClassName`, else "". */
export function claimClass(pvc: PersistentVolumeClaim): string {
  return pvc.metadata.annotations[BETA_STORAGE_CLASS] ?? pvc.spec.storageClassName ?? '';
}

const MODE_SHORT: Readonly<Record<string, string>> = { ReadWriteOnce: 'RWO', ReadOnlyMany: 'ROX', ReadWriteMany: 'RWX', ReadWriteOncePod: 'RWOP' };

/** GetAccessModesAsString: `RWO,RWX` in the order RWO, ROX, RWX, RWOP. */
export function accessModesString(modes: readonly string[]): string {
  return ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'].filter((m) => modes.includes(m)).map((m) => MODE_SHORT[m]!).join(',');
}

/**
 * The claim `tpl` describes, with `meta` (uid, namespace, name, creation time: the caller's), bound at
 * once to `pvc-<uid>` with the requested capacity (see ../kinds/storageTypes.ts). `extraLabels`: a
 * StatefulSet's selector labels (stateful_set_utils.go getPersistentVolumeClaims).
 */
export function claimFromTemplate(tpl: PersistentVolumeClaimTemplate, meta: ObjectMeta, extraLabels?: Record<string, string>): PersistentVolumeClaim {
  const annotations = { ...(tpl.metadata.annotations ?? {}) };
  const accessModes = tpl.spec.accessModes.length > 0 ? [...tpl.spec.accessModes] : ['ReadWriteOnce'];
  const storageClassName = tpl.spec.storageClassName ?? (annotations[BETA_STORAGE_CLASS] === undefined ? DEFAULT_STORAGE_CLASS : undefined);
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { ...meta, finalizers: [PVC_PROTECTION_FINALIZER], labels: { ...(tpl.metadata.labels ?? {}), ...(extraLabels ?? {}) }, annotations: { ...annotations, 'pv.kubernetes.io/bind-completed': 'yes', 'pv.kubernetes.io/bound-by-controller': 'yes' } },
    spec: { accessModes, resources: { requests: { storage: tpl.spec.storage } }, ...(storageClassName !== undefined ? { storageClassName } : {}), volumeMode: tpl.spec.volumeMode ?? 'Filesystem', volumeName: `pvc-${meta.uid}` },
    status: { phase: 'Bound', accessModes: [...accessModes], capacity: { storage: tpl.spec.storage } },
  };
}

/** The PersistentVolumeClaim kind (`kubectl get pvc`). */
export const persistentVolumeClaimKind: KindDef<PersistentVolumeClaim> = {
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  plural: 'persistentvolumeclaims',
  singular: 'persistentvolumeclaim',
  shortNames: ['pvc'],
  namespaced: true,
  store: (state) => state.persistentVolumeClaims ?? (EMPTY as Record<string, PersistentVolumeClaim>),
  ensureStore: (state) => (state.persistentVolumeClaims ??= Object.create(null)),
  defaults(pvc) {
    pvc.spec.volumeMode ??= 'Filesystem';
  },
  controllerKinds: [],
  toApi(obj) {
    const copy = apiCopy(obj);
    apiMeta(copy);
    return copy;
  },
  columns: [
    { name: 'NAME', cell: (c) => c.metadata.name },
    { name: 'STATUS', cell: (c) => (c.metadata.deletionTimestamp !== undefined ? 'Terminating' : c.status.phase) },
    { name: 'VOLUME', cell: (c) => c.spec.volumeName },
    { name: 'CAPACITY', cell: (c) => (c.spec.volumeName ? c.status.capacity.storage : '') },
    { name: 'ACCESS MODES', cell: (c) => (c.spec.volumeName ? accessModesString(c.status.accessModes) : '') },
    { name: 'STORAGECLASS', cell: (c) => claimClass(c) },
    { name: 'VOLUMEATTRIBUTESCLASS', cell: () => '<unset>' },
    { name: 'AGE', cell: (c, s) => humanDuration(s.t - c.metadata.creationTimestamp) },
    { name: 'VOLUMEMODE', wide: true, cell: (c) => c.spec.volumeMode },
  ],
};
