/**
 * (added) Which player actions write each kind: the one table the kind lists of the write paths are
 * computed from (`DELETABLE_KINDS` of ../types.ts, `CREATABLE_KINDS` of ../actions/objects.ts,
 * `APPLY_KINDS` of shared/kubectl/apply.ts, `POST_KINDS` / `APPLY_OBJECT_KINDS` of server/k8s/writes.ts,
 * and the zod enum of action `deleteObject` in shared/protocol.ts), so that making a kind writable is
 * one entry here (its names, apiVersion and store are its {@link KindDef} in ./index.ts). A literal
 * table (`as const`) so those lists keep their literal types; its order is the order they list kinds
 * in (and the messages naming them).
 *
 * May import: nothing (../types.ts re-exports from it).
 */

/** The actions that write one kind (absent: the kind is not written that way). */
export interface WriteActions {
  /** The console's `kubectl apply -f` / `create -f` takes it. */
  readonly apply?: true;
  /** The console's `kubectl edit` takes it (through the actions of its fields). */
  readonly edit?: true;
  /** The action creating one (`create -f`, `apply -f` of a new object, the API's POST). */
  readonly create?: 'createDeployment' | 'createService' | 'createObject' | 'autoscale';
  /** (issue 6) The action updating an existing one from its desired object (`apply -f`, PUT, PATCH). */
  readonly update?: 'applyObject';
  /** The action deleting one (`kubectl delete KIND NAME`, the API's DELETE). */
  readonly delete?: 'deleteDeployment' | 'deleteObject';
  /** The action patching its spec (`kubectl patch KIND NAME -p`). */
  readonly patch?: 'patchObject';
}

/** The write actions per kind, in the order the kind lists name them. */
export const WRITABLE_KINDS = {
  Node: { edit: true },
  Deployment: { apply: true, edit: true, create: 'createDeployment', delete: 'deleteDeployment' },
  Service: { apply: true, edit: true, create: 'createService', delete: 'deleteObject' },
  HorizontalPodAutoscaler: { apply: true, edit: true, create: 'autoscale', delete: 'deleteObject' },
  PodDisruptionBudget: { apply: true, edit: true, create: 'createObject', delete: 'deleteObject', patch: 'patchObject' },
  ResourceQuota: { apply: true, edit: true, create: 'createObject', delete: 'deleteObject', patch: 'patchObject' },
  LimitRange: { apply: true, create: 'createObject', update: 'applyObject', delete: 'deleteObject' },
  Job: { apply: true, create: 'createObject', update: 'applyObject', delete: 'deleteObject' },
  CronJob: { apply: true, create: 'createObject', update: 'applyObject', delete: 'deleteObject' },
  StatefulSet: { apply: true, create: 'createObject', update: 'applyObject', delete: 'deleteObject' },
  DaemonSet: { apply: true, create: 'createObject', update: 'applyObject', delete: 'deleteObject' },
  ReplicaSet: { delete: 'deleteObject' },
  PersistentVolumeClaim: { apply: true, create: 'createObject', update: 'applyObject', delete: 'deleteObject' }, // (issue 6) delete: held by PVC protection while a Pod uses it
  PriorityClass: { apply: true, create: 'createObject', delete: 'deleteObject' },
  ConfigMap: { apply: true, create: 'createObject', update: 'applyObject', delete: 'deleteObject' },
  Secret: { apply: true, create: 'createObject', update: 'applyObject', delete: 'deleteObject' },
  // (issue 6) bare Pods: create -f / apply -f of a new one (../actions/objects.ts createBarePod); last, so the older lists keep their order
  Pod: { apply: true, edit: true, create: 'createObject' },
} as const satisfies Readonly<Record<string, WriteActions>>;

type Table = typeof WRITABLE_KINDS;

/** The kinds whose {@link WriteActions} `field` is one of `V` (a type: `KindsWhere<'delete', 'deleteObject'>`). */
export type KindsWhere<F extends keyof WriteActions, V extends NonNullable<WriteActions[F]>> = {
  [K in keyof Table]: Table[K] extends { readonly [P in F]: V } ? K : never;
}[keyof Table];

/**
 * The kinds whose {@link WriteActions} `field` is one of `values`, in table order (non-empty for the
 * uses here, typed as a tuple so `z.enum` takes it): `kindsWhere('create', 'createObject')`.
 */
export function kindsWhere<F extends keyof WriteActions, V extends NonNullable<WriteActions[F]>>(field: F, ...values: V[]): readonly [KindsWhere<F, V>, ...KindsWhere<F, V>[]] {
  const table = WRITABLE_KINDS as Readonly<Record<string, WriteActions>>;
  return Object.keys(table).filter((k) => (values as readonly unknown[]).includes(table[k]![field])) as unknown as readonly [KindsWhere<F, V>, ...KindsWhere<F, V>[]];
}
