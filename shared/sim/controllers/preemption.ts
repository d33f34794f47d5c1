/**
 * kube-scheduler's DefaultPreemption PostFilter for a pod that failed every Filter: find the Nodes
 * where deleting lower-priority pods makes it fit, pick one, delete the victims (`Preempted` events on
 * them) and set the preemptor's `status.nominatedNodeName`; the preemptor schedules once they are gone.
 *
 * Source: K pkg/scheduler/framework/plugins/defaultpreemption/default_preemption.go (SelectVictimsOnNode:
 * remove every lower-priority pod, then reprieve them most important first while the pod still fits;
 * PodEligibleToPreemptOthers), K pkg/scheduler/framework/preemption/preemption.go (pickOneNodeForPreemption:
 * fewest PodDisruptionBudget violations, lowest highest-victim priority, then smallest sum of victim priorities, then fewest victims, then the
 * first Node in name order; prepareCandidate: `Preempted by pod <uid> on node <node>`),
 * https://kubernetes.io/docs/concepts/scheduling-eviction/pod-priority-preemption/.
 *
 * Resolved by removing victims: the NodeResourcesFit reasons (`Too many pods`, `Insufficient cpu|memory`)
 * and (issue 6) InterPodAffinity's (the pod's required anti-affinity against lower-priority pods there,
 * their own anti-affinity against it; re-run without the victims, interPodAffinityPassesWithout). A Node
 * that fails an unresolvable filter (unschedulable, taints, node affinity, pod affinity) is not a
 * candidate. Simplifications: topology spread (DoNotSchedule) and NodePorts (a host port held there)
 * are not re-run without the victims (such a Node is not a candidate for a host port; spread is not checked). PodDisruptionBudgets as
 * filterPodsWithPDBViolation: going through the potential victims most important first, each budget
 * selecting a pod spends one of its `disruptionsAllowed` (read once per Node), and a pod past a
 * budget's allowance violates it; violating pods are reprieved first and Nodes with fewer violating
 * victims preferred, and victims are deleted gracefully whatever the budget, as the scheduler does
 * (budgets are not gates for preemption). (issue 6) While the preemptor waits for its victims, the
 * nominated Node's room is reserved for it ({@link nominatedReservations}: Pods of equal or lower
 * priority filter that Node with the nominated Pods' requests added, RunFilterPluginsWithNominatedPods),
 * also when they look for victims. Pods without `spec.priority` have priority 0, and (issue 6)
 * preempt pods of a negative-priority class. Cost: only for a pod with a priority above the lowest
 * class's (0 without negative classes) that failed: O(nodes + pods bound there).
 */
import { deletePod, noteChange } from '../apiserver.ts';
import { pdbBudget, pdbSelects } from '../kinds/poddisruptionbudget.ts';
import { emit } from '../emit.ts';
import { getIndex, hostPortConflict, podHostPorts } from '../cache.ts';
import type { Node, Pod, SimState } from '../types.ts';
import { requiredNodeAffinityMatches, toleratesUnschedulable, untoleratedTaint } from './schedulerPlugins.ts';
import { interPodAffinityFilter, interPodAffinityPassesWithout, prepareInterPodAffinity, type InterPodAffinityState } from './interPodAffinity.ts';

/** A pod's scheduling priority (`spec.priority`, absent = 0). */
export function podPriority(pod: Pod): number {
  return pod.spec.priority ?? 0;
}

/**
 * (issue 6) The lowest priority a Pod can have: 0, or the lowest stored PriorityClass value when one is
 * negative (the Priority admission refuses any other priority). A pod at or below it has nothing to
 * preempt. O(classes).
 */
export function lowestPriority(state: SimState): number {
  let low = 0;
  const store = state.priorityClasses;
  if (store) for (const name in store) low = Math.min(low, store[name]!.value);
  return low;
}

/** The outcome of one preemption attempt: `nominated` (victims deleted) or the `preemption:` message part. */
export type PreemptionResult = { nominated: string } | { message: string };

/** Requests of the nominated Pods on one Node a Pod must leave room for: millicores, MiB, Pods. */
export interface Reserved {
  cpu: number;
  mem: number;
  count: number;
}

/**
 * (issue 6) RunFilterPluginsWithNominatedPods' addNominatedPods (K pkg/scheduler/framework/runtime/framework.go):
 * per Node name, the requests of the Pods nominated there (preemptors whose victims are terminating)
 * with a priority >= `pod`'s, other than `pod` itself; null when there are none. Prunes
 * `state.scheduler.nominated` of Pods bound, deleted or no longer nominated. O(nominated Pods).
 */
export function nominatedReservations(state: SimState, podKey: string, pod: Pod): Map<string, Reserved> | null {
  const sq = state.scheduler;
  const list = sq.nominated;
  if (list === undefined) return null;
  const live = list.filter((k) => {
    const p = state.pods[k];
    return p !== undefined && p.spec.nodeName === undefined && p.metadata.deletionTimestamp === undefined && p.status.nominatedNodeName !== undefined;
  });
  if (live.length === 0) delete sq.nominated;
  else if (live.length !== list.length) sq.nominated = live;
  let out: Map<string, Reserved> | null = null;
  const prio = podPriority(pod);
  for (const k of live) {
    if (k === podKey) continue;
    const p = state.pods[k]!;
    if (podPriority(p) < prio) continue;
    const name = p.status.nominatedNodeName!;
    out ??= new Map();
    const r = out.get(name) ?? { cpu: 0, mem: 0, count: 0 };
    r.cpu += p.sim.cpuRequestMilli;
    r.mem += p.sim.memRequestMiB;
    r.count++;
    out.set(name, r);
  }
  return out;
}

function fits(pod: Pod, node: Node, cpu: number, mem: number, count: number): boolean {
  const s = node.sim;
  if (count + 1 > s.podsAllocatable) return false;
  if (pod.sim.cpuRequestMilli > 0 && pod.sim.cpuRequestMilli > s.cpuAllocatableMilli - cpu) return false;
  if (pod.sim.memRequestMiB > 0 && pod.sim.memRequestMiB > s.memAllocatableMiB - mem) return false;
  return true;
}

/** MoreImportantPod: higher priority first, then the earlier start (creation), then the key. */
function moreImportant(a: [string, Pod], b: [string, Pod]): number {
  const d = podPriority(b[1]) - podPriority(a[1]);
  if (d !== 0) return d;
  const ta = a[1].status.startTime ?? a[1].metadata.creationTimestamp;
  const tb = b[1].status.startTime ?? b[1].metadata.creationTimestamp;
  if (ta !== tb) return ta - tb;
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
}

interface Candidate {
  node: Node;
  victims: [string, Pod][];
  /** Victims past a PodDisruptionBudget's allowance ({@link splitByBudget}). */
  violating: number;
  maxPrio: number;
  sumPrio: number;
}

/**
 * filterPodsWithPDBViolation (K pkg/scheduler/framework/plugins/defaultpreemption/default_preemption.go):
 * `pods` (most important first) split into those that would violate a budget and the others. Each
 * budget's remaining `disruptionsAllowed` is decremented by every pod it selects, so the second victim
 * of a budget allowing one disruption violates it. Order kept within each part.
 */
function splitByBudget(state: SimState, pods: readonly [string, Pod][]): { violating: [string, Pod][]; free: [string, Pod][] } {
  const store = state.podDisruptionBudgets;
  if (!store) return { violating: [], free: [...pods] };
  const budgets = Object.keys(store).sort().map((k) => store[k]!);
  const allowed = new Map<string, number>();
  const violating: [string, Pod][] = [];
  const free: [string, Pod][] = [];
  for (const v of pods) {
    let violated = false;
    for (const pdb of budgets) {
      if (!pdbSelects(pdb, v[1])) continue;
      const key = `${pdb.metadata.namespace}/${pdb.metadata.name}`;
      const left = (allowed.get(key) ?? pdbBudget(state, pdb).allowed) - 1;
      allowed.set(key, left);
      if (left < 0) violated = true;
    }
    (violated ? violating : free).push(v);
  }
  return { violating, free };
}

/** SelectVictimsOnNode for the resource filters: the fewest lower-priority pods to remove, or null. */
function victimsOn(state: SimState, pod: Pod, node: Node, keys: Iterable<string>, reserved: Reserved | undefined, ipa: InterPodAffinityState | null): Candidate | null {
  if ((node.spec.unschedulable && !toleratesUnschedulable(pod)) || untoleratedTaint(node, pod.spec.tolerations) || !requiredNodeAffinityMatches(pod, node)) return null;
  if (ipa !== null && interPodAffinityFilter(ipa, node)?.unresolvable === true) return null; // pod affinity: UnschedulableAndUnresolvable
  const ports = podHostPorts(pod);
  if (ports.length > 0 && hostPortConflict(state, node.metadata.name, ports)) return null; // simplification: host ports are not freed by victims
  const prio = podPriority(pod);
  let cpu = node.sim.cpuRequestedMilli + (reserved?.cpu ?? 0);
  let mem = node.sim.memRequestedMiB + (reserved?.mem ?? 0);
  let count = node.sim.podCount + (reserved?.count ?? 0);
  const lower: [string, Pod][] = [];
  for (const k of keys) {
    const p = state.pods[k];
    if (!p || p.metadata.deletionTimestamp !== undefined || podPriority(p) >= prio) continue;
    lower.push([k, p]);
  }
  if (lower.length === 0) return null;
  for (const [, p] of lower) {
    cpu -= p.sim.cpuRequestMilli;
    mem -= p.sim.memRequestMiB;
    count--;
  }
  if (!fits(pod, node, cpu, mem, count)) return null;
  // (issue 6) InterPodAffinity re-run without the removed pods: a required anti-affinity against them is resolved.
  const removed = new Set<Pod>(lower.map((v) => v[1]));
  if (ipa !== null && !interPodAffinityPassesWithout(ipa, pod, node, [...removed])) return null;
  lower.sort(moreImportant);
  // Reprieve the pods that would violate a PodDisruptionBudget first, then the others.
  const { violating: protectedPods, free } = splitByBudget(state, lower);
  const victims: [string, Pod][] = [];
  let violating = 0;
  for (const group of [protectedPods, free]) {
    for (const v of group) {
      const p = v[1];
      removed.delete(p);
      if (fits(pod, node, cpu + p.sim.cpuRequestMilli, mem + p.sim.memRequestMiB, count + 1) && (ipa === null || interPodAffinityPassesWithout(ipa, pod, node, [...removed]))) {
        cpu += p.sim.cpuRequestMilli;
        mem += p.sim.memRequestMiB;
        count++;
      } else {
        removed.add(p);
        victims.push(v);
        if (group === protectedPods) violating++;
      }
    }
  }
  if (victims.length === 0) return null; // it fits without victims: another filter failed
  let maxPrio = -Infinity;
  let sumPrio = 0;
  for (const [, p] of victims) {
    maxPrio = Math.max(maxPrio, podPriority(p));
    sumPrio += podPriority(p);
  }
  return { node, victims, violating, maxPrio, sumPrio };
}

/** pickOneNodeForPreemption's order: fewest PDB violations, lowest highest victim priority, smallest priority sum, fewest victims (else the earlier Node). */
function better(c: Candidate, b: Candidate): boolean {
  if (c.violating !== b.violating) return c.violating < b.violating;
  if (c.maxPrio !== b.maxPrio) return c.maxPrio < b.maxPrio;
  if (c.sumPrio !== b.sumPrio) return c.sumPrio < b.sumPrio;
  return c.victims.length < b.victims.length;
}

/**
 * DefaultPreemption for `pod` (key `podKey`), which failed on every Node. Returns the nominated Node
 * after deleting the victims, or the FitError's `preemption:` part when it cannot or may not preempt:
 * `not eligible due to preemptionPolicy=Never.`, `not eligible due to a terminating pod on the
 * nominated node.`, or null to keep the scheduler's own message (no victims found).
 */
export function preempt(state: SimState, podKey: string, pod: Pod): PreemptionResult | null {
  if (pod.spec.preemptionPolicy === 'Never') return { message: 'preemption: not eligible due to preemptionPolicy=Never.' };
  const idx = getIndex(state);
  const nominated = pod.status.nominatedNodeName;
  if (nominated !== undefined) {
    for (const k of idx.podsByNode.get(nominated) ?? []) {
      const p = state.pods[k];
      if (p && p.metadata.deletionTimestamp !== undefined && podPriority(p) < podPriority(pod)) return { message: 'preemption: not eligible due to a terminating pod on the nominated node.' };
    }
  }
  if (podPriority(pod) <= lowestPriority(state)) return null;
  let best: Candidate | null = null;
  const reserved = nominatedReservations(state, podKey, pod);
  const ipa = prepareInterPodAffinity(state, podKey, pod);
  for (const node of idx.sortedNodes) {
    const c = victimsOn(state, pod, node, idx.podsByNode.get(node.metadata.name) ?? [], reserved?.get(node.metadata.name), ipa);
    if (!c) continue;
    if (!best || better(c, best)) best = c;
  }
  if (!best) return null;
  const nodeName = best.node.metadata.name;
  for (const [k, v] of best.victims) {
    emit(state, 'Normal', 'Preempted', { kind: 'Pod', name: v.metadata.name, namespace: v.metadata.namespace }, `Preempted by pod ${pod.metadata.uid} on node ${nodeName}`, 'default-scheduler');
    deletePod(state, k);
  }
  if (pod.status.nominatedNodeName !== nodeName) {
    pod.status = { ...pod.status, nominatedNodeName: nodeName };
    noteChange(state, 'Pod', podKey);
  }
  const sq = state.scheduler;
  if (!(sq.nominated ?? []).includes(podKey)) sq.nominated = [...(sq.nominated ?? []), podKey];
  return { nominated: nodeName };
}
