/**
 * Small helpers over Pod objects shared by the controllers: conditions, container-state writes and the
 * cached `sim.ready` flag. Source of the condition semantics: W workloads/pods/pod-lifecycle.md.
 */
import { markDirty, noteChange } from './apiserver.ts';
import type { ContainerState, Pod, PodCondition, SimState } from './types.ts';

/** The condition of `type`, or undefined. */
export function getCondition(pod: Pod, type: PodCondition['type']): PodCondition | undefined {
  const conds = pod.status.conditions;
  for (let i = 0; i < conds.length; i++) if (conds[i]!.type === type) return conds[i];
  return undefined;
}

/**
 * Conditions without a reason set at sim second 0 (createSim's warm start: every Pod's Initialized,
 * ContainersReady and Ready are `True` at 0), one frozen object per type and status shared by all Pods.
 * The API server's binding (`bindPod` in ./apiserver.ts) shares its own frozen `PodScheduled=True`
 * at 0 the same way.
 */
const sharedAtZero = new Map<PodCondition['type'], Map<PodCondition['status'], PodCondition>>();

function conditionOf(type: PodCondition['type'], status: PodCondition['status'], lastTransitionTime: number, reason: string | undefined): PodCondition {
  if (reason === undefined && lastTransitionTime === 0) {
    let byStatus = sharedAtZero.get(type);
    if (byStatus === undefined) sharedAtZero.set(type, (byStatus = new Map()));
    let c = byStatus.get(status);
    if (c === undefined) byStatus.set(status, (c = Object.freeze({ type, status, lastTransitionTime })));
    return c;
  }
  const cond: PodCondition = { type, status, lastTransitionTime };
  if (reason !== undefined) cond.reason = reason;
  return cond;
}

/**
 * Sets a pod condition at sim second `now`; `lastTransitionTime` only moves when the status changes.
 * Copy on write: a changed condition is a new object in `pod.status.conditions` (never changed in
 * place, since conditions set at t=0 without a reason are shared, frozen, between Pods; a condition
 * held across this call is stale), in a new list (lists are shared between Pods too). Fields in the order type, status, lastTransitionTime, reason.
 */
export function setCondition(pod: Pod, type: PodCondition['type'], status: PodCondition['status'], now: number, reason?: string): void {
  const conds = pod.status.conditions;
  let i = 0;
  while (i < conds.length && conds[i]!.type !== type) i++;
  const c = conds[i];
  if (c) {
    const time = c.status !== status ? now : c.lastTransitionTime;
    if (c.status === status && c.reason === reason && ('reason' in c) === (reason !== undefined)) return;
    // A new list, never a write in place: lists are shared between Pods (the warm start's Ready-at-0
    // list, ./controllers/kubelet.ts; structuredClone keeps that sharing in a copy of the state).
    const next = conds.slice();
    next[i] = conditionOf(type, status, time, reason);
    pod.status.conditions = next;
    return;
  }
  // A new array of the exact size rather than push (a pushed-into array keeps ~17 slots: ~140 bytes
  // more per Pod); `pod.status.conditions` is never held across this call.
  pod.status.conditions = conds.concat(conditionOf(type, status, now, reason));
}

/**
 * A condition as {@link setCondition} adds it when the Pod has none of that type (set at `now`;
 * shared and frozen when set at 0 without a reason), for a writer that adds several at once with one
 * `concat` (an exact-size array, as setCondition makes).
 */
export function newCondition(type: PodCondition['type'], status: PodCondition['status'], now: number, reason?: string): PodCondition {
  return conditionOf(type, status, now, reason);
}

/** True once deletion started (`metadata.deletionTimestamp` set). */
export function isTerminating(pod: Pod): boolean {
  return pod.metadata.deletionTimestamp !== undefined;
}

/** Active = counted by its ReplicaSet: not terminating, not Succeeded/Failed (K controller_utils.go IsPodActive). */
export function isActive(pod: Pod): boolean {
  return !isTerminating(pod) && pod.status.phase !== 'Succeeded' && pod.status.phase !== 'Failed';
}

/** A copy of a ContainerState (plain objects, one level deep). */
export function cloneContainerState(s: ContainerState): ContainerState {
  const out: ContainerState = {};
  if (s.waiting) out.waiting = { ...s.waiting };
  if (s.running) out.running = { ...s.running };
  if (s.terminated) out.terminated = { ...s.terminated };
  return out;
}

/** Deep copy of JSON data (faster than structuredClone for small plain objects). */
export function cloneJson<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

/**
 * Sets every container's state (containers move in lockstep in the sim): a copy of `state` each, or
 * `state` itself when it is frozen (a shared constant such as the kubelet's warm-start Running state;
 * container states are replaced, never changed in place).
 */
export function setContainerStates(pod: Pod, state: ContainerState, opts: { ready: boolean; started: boolean }): void {
  const shared = Object.isFrozen(state);
  for (const cs of pod.status.containerStatuses) {
    cs.state = shared ? state : cloneContainerState(state);
    cs.ready = opts.ready;
    cs.started = opts.started;
  }
}

/**
 * Sets the Ready and ContainersReady conditions and the cached `sim.ready` (Ready and not terminating),
 * and queues the pod for its ReplicaSet and Services (see {@link refreshReady}).
 */
export function setPodReady(state: SimState, key: string, pod: Pod, ready: boolean, reason?: string): void {
  const status = ready ? 'True' : 'False';
  setCondition(pod, 'ContainersReady', status, state.t, ready ? undefined : (reason ?? 'ContainersNotReady'));
  setCondition(pod, 'Ready', status, state.t, ready ? undefined : (reason ?? 'ContainersNotReady'));
  for (const cs of pod.status.containerStatuses) cs.ready = ready && cs.state.running !== undefined;
  refreshReady(state, key, pod);
}

/**
 * Recomputes `sim.ready` from conditions and deletion, then queues the pod (`markDirty`) every time,
 * changed or not, and records the (condition) change in the change log. No resourceVersion bump: the
 * readiness status write is coalesced with the kubelet's or node controller's own write.
 */
export function refreshReady(state: SimState, key: string, pod: Pod): void {
  const ready = getCondition(pod, 'Ready')?.status === 'True' && !isTerminating(pod);
  if (ready !== pod.sim.ready) {
    pod.sim.ready = ready;
  }
  markDirty(state, 'pods', key);
  noteChange(state, 'Pod', key);
}

/** Sim second the pod last became Ready, or null when not Ready. */
export function readySince(pod: Pod): number | null {
  const c = getCondition(pod, 'Ready');
  return c && c.status === 'True' ? c.lastTransitionTime : null;
}
