/**
 * The PriorityClass kind (scheduling.k8s.io/v1, short name `pc`, cluster-scoped) and the Priority
 * admission plugin the API server runs on every Pod create (K plugin/pkg/admission/priority/admission.go;
 * W concepts/scheduling-eviction/pod-priority-preemption.md):
 *
 * - storage `state.priorityClasses` (optional in the state, created with the first class: a state
 *   without one hashes as before). The built-in `system-cluster-critical` (2,000,000,000) and
 *   `system-node-critical` (2,000,001,000), which kube-apiserver creates at start-up (its
 *   `scheduling/bootstrap-system-priority-classes` post-start hook), are derived on read: always
 *   listed, created at t = 0, never stored, never deleted.
 * - defaulting (K pkg/apis/scheduling/v1/defaults.go): `preemptionPolicy: PreemptLowerPriority`.
 * - mutating admission ({@link KindDef.admitMutate}) of a Pod: a `priorityClassName` gets the class's
 *   `value` as `spec.priority` and its `preemptionPolicy` when the Pod sets none; a Pod without one gets
 *   the `globalDefault` class (the highest value when several) if there is one, else keeps its priority
 *   (absent = 0). The class is looked up when the Pod is created, so a class created later applies to
 *   the Pods created after it.
 * - validating admission ({@link KindDef.admitCreate}): a name no class has refuses the Pod with 403
 *   `pods "x" is forbidden: no PriorityClass with name y was found` (a ReplicaSet's `FailedCreate`);
 *   a Pod that sets `spec.priority` (or `spec.preemptionPolicy`) other than the one computed (no class
 *   and no globalDefault: 0, PreemptLowerPriority) is refused as admitPod does: `the integer value of
 *   priority (N) must not be provided in pod spec; priority admission controller computed M from the
 *   given PriorityClass name` (`the string value of PreemptionPolicy (Never) must not be ...`).
 * - kubectl columns (printPriorityClass, kubectl 1.32): NAME VALUE GLOBAL-DEFAULT AGE PREEMPTIONPOLICY.
 *
 * May import: ../types.ts, ../names.ts, ./kind.ts, ./print.ts.
 */
import type { ObjectMeta, Pod, SimState } from '../types.ts';
import type { KindDef, KubeObject } from './kind.ts';
import { humanDuration } from './print.ts';
import { simTimestamp } from '../names.ts';

/** `scheduling.k8s.io/v1 PriorityClass` (cluster-scoped: `metadata.namespace` is ''). */
export interface PriorityClass {
  apiVersion: 'scheduling.k8s.io/v1';
  kind: 'PriorityClass';
  metadata: ObjectMeta;
  /** The priority its Pods get (user classes <= 1,000,000,000). */
  value: number;
  /** True: Pods without a `priorityClassName` get this class. */
  globalDefault?: boolean;
  /** Defaulted to `PreemptLowerPriority`. */
  preemptionPolicy?: 'PreemptLowerPriority' | 'Never';
  description?: string;
}

/** (sim) A PriorityClass of the manifests (shared/manifests `priorityClasses`), stored at createSim before any Pod. */
export interface PriorityClassManifest {
  name: string;
  value: number;
  globalDefault?: boolean;
  preemptionPolicy?: 'PreemptLowerPriority' | 'Never';
  description?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

function builtIn(name: string, value: number, description: string): PriorityClass {
  return Object.freeze({
    apiVersion: 'scheduling.k8s.io/v1',
    kind: 'PriorityClass',
    metadata: Object.freeze({ name, namespace: '', uid: `priorityclass-${name}`, labels: Object.freeze({}), annotations: Object.freeze({}), creationTimestamp: 0, ownerReferences: Object.freeze([]) as unknown as ObjectMeta['ownerReferences'], generation: 1, resourceVersion: 1 }) as ObjectMeta,
    value,
    preemptionPolicy: 'PreemptLowerPriority',
    description,
  }) as PriorityClass;
}

/** The built-in classes (K pkg/apis/scheduling/types.go SystemPriorityClasses), with their real descriptions. */
export const SYSTEM_CLASSES: readonly PriorityClass[] = [
  builtIn('system-cluster-critical', 2_000_000_000, 'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.'),
  builtIn('system-node-critical', 2_000_001_000, 'Used for system critical pods that must not be moved from their current node.'),
];

/** True for a built-in class's name. */
export function isSystemPriorityClass(name: string): boolean {
  return SYSTEM_CLASSES.some((c) => c.metadata.name === name);
}

/** The class named `name` (built-in or stored), or undefined. */
export function priorityClassNamed(state: SimState, name: string): PriorityClass | undefined {
  const sys = SYSTEM_CLASSES.find((c) => c.metadata.name === name);
  if (sys) return sys;
  const store = state.priorityClasses;
  return store && Object.hasOwn(store, name) ? store[name] : undefined;
}

/** The globalDefault class with the highest value (ties: the name first in order), or undefined. */
function globalDefault(state: SimState): PriorityClass | undefined {
  const store = state.priorityClasses;
  if (!store) return undefined;
  let def: PriorityClass | undefined;
  for (const name of Object.keys(store).sort()) {
    const c = store[name]!;
    if (c.globalDefault === true && (!def || c.value > def.value)) def = c;
  }
  return def;
}

/** Every class, built-ins first then the stored ones by name: the kind's `store` (a fresh map; the state is unchanged). */
function allClasses(state: SimState): Record<string, PriorityClass> {
  const out = Object.create(null) as Record<string, PriorityClass>;
  for (const c of SYSTEM_CLASSES) out[c.metadata.name] = c;
  const store = state.priorityClasses;
  if (store) for (const name of Object.keys(store).sort()) out[name] = store[name]!;
  return out;
}

/** The PriorityClass kind. */
export const priorityClassKind: KindDef<PriorityClass> = {
  apiVersion: 'scheduling.k8s.io/v1',
  kind: 'PriorityClass',
  plural: 'priorityclasses',
  singular: 'priorityclass',
  shortNames: ['pc'],
  namespaced: false,
  store: allClasses,
  ensureStore: (state) => (state.priorityClasses ??= Object.create(null) as Record<string, PriorityClass>),
  defaults(pc) {
    pc.preemptionPolicy ??= 'PreemptLowerPriority';
  },
  controllerKinds: [],
  toApi(pc) {
    // Keys in the order kubectl prints them (sigs.k8s.io/yaml sorts); omitempty fields left out.
    const m = pc.metadata;
    const metadata = Object.create(null) as Record<string, unknown>;
    if (Object.keys(m.annotations).length > 0) metadata['annotations'] = { ...m.annotations };
    metadata['creationTimestamp'] = simTimestamp(m.creationTimestamp);
    if (Object.keys(m.labels).length > 0) metadata['labels'] = { ...m.labels };
    metadata['name'] = m.name;
    metadata['resourceVersion'] = String(m.resourceVersion);
    metadata['uid'] = m.uid;
    return {
      apiVersion: pc.apiVersion,
      ...(pc.description !== undefined ? { description: pc.description } : {}),
      ...(pc.globalDefault === true ? { globalDefault: true } : {}),
      kind: pc.kind,
      metadata,
      ...(pc.preemptionPolicy !== undefined ? { preemptionPolicy: pc.preemptionPolicy } : {}),
      value: pc.value,
    };
  },
  columns: [
    { name: 'NAME', cell: (pc) => pc.metadata.name },
    { name: 'VALUE', cell: (pc) => String(pc.value) },
    { name: 'GLOBAL-DEFAULT', cell: (pc) => String(pc.globalDefault === true) },
    { name: 'AGE', cell: (pc, s) => humanDuration(s.t - pc.metadata.creationTimestamp) },
    { name: 'PREEMPTIONPOLICY', cell: (pc) => pc.preemptionPolicy ?? '' },
  ],
  admitMutate(state, kind, obj: KubeObject) {
    if (kind !== 'Pod') return;
    const spec = (obj as Pod).spec;
    const name = spec.priorityClassName;
    const pc = name !== undefined && name !== '' ? priorityClassNamed(state, name) : globalDefault(state);
    if (!pc) return;
    spec.priorityClassName = pc.metadata.name;
    // A different given priority is left for admitCreate to refuse (admitPod's check).
    if (spec.priority !== undefined && spec.priority !== pc.value) return;
    spec.priority = pc.value;
    spec.preemptionPolicy ??= pc.preemptionPolicy ?? 'PreemptLowerPriority';
  },
  admitCreate(state, kind, obj: KubeObject) {
    if (kind !== 'Pod') return undefined;
    const pod = obj as Pod;
    const name = pod.spec.priorityClassName;
    const forbidden = `pods "${pod.metadata.name}" is forbidden: `;
    const pc = name !== undefined && name !== '' ? priorityClassNamed(state, name) : undefined;
    if (name !== undefined && name !== '' && !pc) return `${forbidden}no PriorityClass with name ${name} was found`;
    // admitMutate applied the class (or the globalDefault); without either the computed values are 0 and PreemptLowerPriority.
    const priority = pc?.value ?? 0;
    const given = pod.spec.priority;
    if (given !== undefined && given !== priority) {
      return `${forbidden}the integer value of priority (${given}) must not be provided in pod spec; priority admission controller computed ${priority} from the given PriorityClass name`;
    }
    const policy = pc?.preemptionPolicy ?? 'PreemptLowerPriority';
    const givenPolicy = pod.spec.preemptionPolicy;
    if (givenPolicy !== undefined && givenPolicy !== policy) {
      return `${forbidden}the string value of PreemptionPolicy (${givenPolicy}) must not be provided in pod spec; priority admission controller computed ${policy} from the given PriorityClass name`;
    }
    return undefined;
  },
};
