/**
 * PriorityClasses (scheduling.k8s.io/v1) of a manifest stream and the Priority admission plugin's
 * resolution of `spec.priorityClassName` into the pod templates' `spec.priority` and
 * `spec.preemptionPolicy` (the sim's Pods copy them from the template).
 *
 * Source: K plugin/pkg/admission/priority/admission.go (the class's value, else the globalDefault
 * class's, else 0; an unknown name refuses the pod: `no PriorityClass with name X was found` — here a
 * loader warning, the Pods keeping priority 0, since the class may be in the cluster already; the
 * built-in system-cluster-critical 2,000,000,000 and system-node-critical 2,000,001,000),
 * K pkg/apis/scheduling/validation (user values <= 1,000,000,000; the `system-` prefix is reserved),
 * https://kubernetes.io/docs/concepts/scheduling-eviction/pod-priority-preemption/.
 *
 * Pure; no I/O.
 */
import { z } from 'zod';

/** HighestUserDefinablePriority (K pkg/apis/scheduling). */
export const HIGHEST_USER_DEFINABLE_PRIORITY = 1_000_000_000;

/** The built-in classes: name -> value. */
export const SYSTEM_PRIORITY_CLASSES: ReadonlyMap<string, number> = new Map([
  ['system-cluster-critical', 2_000_000_000],
  ['system-node-critical', 2_000_001_000],
]);

/** `scheduling.k8s.io/v1 PriorityClass` (the fields the scheduler reads). */
export const PriorityClassSchema = z.object({
  apiVersion: z.literal('scheduling.k8s.io/v1'),
  kind: z.literal('PriorityClass'),
  metadata: z.object({ name: z.string().min(1, { error: 'Required value' }), labels: z.record(z.string(), z.string()).optional(), annotations: z.record(z.string(), z.string()).optional() }),
  value: z
    .number({ error: 'Required value: an integer' })
    .int({ error: 'must be an integer' })
    .max(HIGHEST_USER_DEFINABLE_PRIORITY, { error: `must be no greater than ${HIGHEST_USER_DEFINABLE_PRIORITY}` })
    .min(-2147483648, { error: 'must be a 32-bit integer' }),
  globalDefault: z.boolean({ error: 'must be a boolean' }).optional(),
  preemptionPolicy: z.enum(['PreemptLowerPriority', 'Never'], { error: 'supported values: "Never", "PreemptLowerPriority"' }).optional(),
  description: z.string({ error: 'must be a string' }).optional(),
});

/** One loaded class. */
export interface PriorityClassInfo {
  name: string;
  value: number;
  globalDefault: boolean;
  preemptionPolicy: 'PreemptLowerPriority' | 'Never';
}

/** A pod template spec as far as priority goes. */
export interface PriorityFields {
  priorityClassName?: string;
  priority?: number;
  preemptionPolicy?: 'PreemptLowerPriority' | 'Never';
}

/**
 * Applies the Priority admission to `spec` in place: the named class's value and preemption policy
 * (default PreemptLowerPriority), else the globalDefault class (the one with the highest value when
 * several), else nothing (priority 0). Returns a message for an unknown class name (`spec` left at
 * priority 0), else null.
 */
export function resolvePriority(spec: PriorityFields, classes: ReadonlyMap<string, PriorityClassInfo>): string | null {
  const name = spec.priorityClassName;
  if (name !== undefined && name !== '') {
    const sys = SYSTEM_PRIORITY_CLASSES.get(name);
    if (sys !== undefined) {
      spec.priority = sys;
      spec.preemptionPolicy ??= 'PreemptLowerPriority';
      return null;
    }
    const c = classes.get(name);
    if (!c) return `no PriorityClass with name ${name} was found`;
    spec.priority = c.value;
    spec.preemptionPolicy ??= c.preemptionPolicy;
    return null;
  }
  let def: PriorityClassInfo | undefined;
  for (const c of classes.values()) if (c.globalDefault && (!def || c.value > def.value || (c.value === def.value && c.name < def.name))) def = c;
  if (def) {
    spec.priorityClassName = def.name;
    spec.priority = def.value;
    spec.preemptionPolicy ??= def.preemptionPolicy;
  }
  return null;
}
