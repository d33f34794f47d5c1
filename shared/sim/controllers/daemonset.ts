/**
 * The DaemonSet controller: one Pod per Node that should run it, named `<name>-<5 random chars>`,
 * pinned to its Node, labelled `controller-revision-hash` (the template's hash). Events
 * `SuccessfulCreate` "Created pod: x" / `SuccessfulDelete` "Deleted pod: x" (K
 * pkg/controller/daemon/daemon_controller.go; https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/).
 *
 * Which Nodes (daemon_controller.go NodeShouldRunDaemonPod): the template's `nodeSelector` matches
 * the Node's labels, and the Pod (the template's tolerations plus the controller's own, below)
 * tolerates every NoSchedule / NoExecute taint of the Node; a Node with an untolerated NoSchedule
 * taint keeps a Pod already there (shouldContinueRunning; counted in `numberMisscheduled`), one with an
 * untolerated NoExecute taint loses it. Every Pod gets the tolerations of
 * K pkg/controller/daemon/util/daemonset_util.go AddOrUpdateDaemonPodTolerations (operator Exists):
 * `node.kubernetes.io/not-ready:NoExecute`, `unreachable:NoExecute`, `disk-pressure:NoSchedule`,
 * `memory-pressure:NoSchedule`, `pid-pressure:NoSchedule`, `unschedulable:NoSchedule` — so a cordoned
 * Node (`kubectl cordon`) keeps and gets its DaemonSet Pods. (`network-unavailable` for hostNetwork Pods
 * is left out: the sim's Pods have no `hostNetwork`.)
 *
 * Update strategies (K pkg/controller/daemon/update.go rollingUpdate):
 * `RollingUpdate` (default maxUnavailable 1, an integer or a percentage of the desired Nodes rounded
 * up): an old Pod that is not available is deleted at once; available old Pods are deleted while fewer
 * than maxUnavailable Nodes lack an available Pod; the manage loop then creates the new Pod on that
 * Node, and the next old Pod goes once it is available (Ready for minReadySeconds). `OnDelete`: only Pods deleted by hand are replaced
 * (with the new template). (issue 6) `maxSurge` above 0 (an integer or a percentage of the desired
 * Nodes, rounded up; maxUnavailable is then unused, as update.go's surge branch): the new Pod is created
 * beside the old one — at once where the old one is not available, on at most maxSurge Nodes at a time
 * where it is — and the old one is deleted once the new one is available; a Node keeps at most one old
 * and one new Pod, the old one counted in the status (the oldest, as updateDaemonSetStatus). Nodes are visited in name order (Kubernetes iterates a map). A Pod without
 * the label (stored before revisions were kept) counts as up to date, so a restored state does not roll.
 *
 * Simplified: the Pod is pinned with a `kubernetes.io/hostname` nodeSelector entry (Kubernetes adds a
 * required node affinity on `metadata.name`, which has the same effect for the scheduler); template
 * required node affinity also decides which Nodes run it (issue 6).
 *
 * Revisions (issue 6, update.go constructHistory / cleanupHistory): every sync makes the
 * ControllerRevision `<name>-<hash>` of the template (labelled `controller-revision-hash: <hash>`) the
 * newest (./history.ts); Pods carry `controller-revision-hash: <hash>` and `pod-template-generation:
 * <metadata.generation>` (daemonset_util.go CreatePodTemplate); dead revisions beyond
 * `revisionHistoryLimit` (10) are pruned. `minReadySeconds` (sim seconds): a Pod is available once
 * Ready for that long (podutil.IsPodAvailable): `numberAvailable` and the rolling update's
 * unavailable count use it, and the controller is woken (timer `rs.sync`) when the next Pod crosses it.
 *
 * Queued in the ReplicaSet workqueue as `DaemonSet:namespace/name` (./replicaset.ts registerOwnerSync);
 * a Node write (create, taint, cordon) queues every DaemonSet (../apiserver.ts, the controller's Node
 * informer).
 */
import { createObject, deletePod, updateStatus } from '../apiserver.ts';
import { emit } from '../emit.ts';
import { getIndex } from '../cache.ts';
import { randomSuffix, templateHash } from '../names.ts';
import { isActive } from '../podutil.ts';
import type { DaemonSet, Node, Pod, SimState, Toleration } from '../types.ts';
import { podFromTemplate, podResources, reportFailedCreate } from './replicaset.ts';
import { REVISION_LABEL, availableAt } from './statefulset.ts';
import { scheduleTimer } from '../timers.ts';
import { syncRevisions, truncateHistory } from './history.ts';
import { requiredNodeAffinityMatches, tolerated } from './schedulerPlugins.ts';

const HOSTNAME = 'kubernetes.io/hostname';

/** The tolerations every DaemonSet Pod gets (daemonset_util.go AddOrUpdateDaemonPodTolerations), in its order. */
export const DAEMON_TOLERATIONS: readonly Toleration[] = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
];

/** The template's tolerations with {@link DAEMON_TOLERATIONS} added or updated (AddOrUpdateTolerationInPodSpec: same key, operator, value and effect = the same one). */
export function daemonPodTolerations(own: readonly Toleration[] | undefined): Toleration[] {
  const out = (own ?? []).map((t) => ({ ...t }));
  for (const t of DAEMON_TOLERATIONS) {
    const i = out.findIndex((o) => o.key === t.key && (o.operator ?? 'Equal') === t.operator && (o.value ?? '') === '' && o.effect === t.effect);
    if (i >= 0) out[i] = { ...t };
    else out.push({ ...t });
  }
  return out;
}

/** NodeShouldRunDaemonPod: shouldRun (a Pod belongs there) and shouldContinueRunning (an existing one may stay). */
function shouldRun(node: Node, selector: Record<string, string>, tolerations: readonly Toleration[], affinity?: Pod): { run: boolean; keep: boolean } {
  const fits = Object.entries(selector).every(([k, v]) => (k === HOSTNAME ? v === node.metadata.name : node.metadata.labels[k] === v));
  // (issue 6) the template's required node affinity too (GetRequiredNodeAffinity(pod).Match(node)).
  if (!fits || (affinity !== undefined && !requiredNodeAffinityMatches(affinity, node))) return { run: false, keep: false };
  let run = true;
  let keep = true;
  for (const taint of node.spec.taints) {
    if (taint.effect === 'PreferNoSchedule' || tolerated(tolerations, taint)) continue;
    run = false;
    if (taint.effect === 'NoExecute') keep = false;
  }
  return { run, keep };
}

/** maxUnavailable as a Pod count of `desired` Nodes (intstr.GetScaledValueFromIntOrPercent, rounded up; at least 1 as update.go). */
function maxUnavailableOf(ds: DaemonSet, desired: number): number {
  const v = ds.spec.updateStrategy?.rollingUpdate?.maxUnavailable ?? 1;
  const n = typeof v === 'number' ? v : Math.ceil((Number(v.slice(0, -1)) * desired) / 100);
  return Math.max(1, n);
}

/** maxSurge as a Pod count of `desired` Nodes (rounded up, as GetScaledValueFromIntOrPercent with roundUp); absent = 0. */
function maxSurgeOf(ds: DaemonSet, desired: number): number {
  if (ds.spec.updateStrategy?.type === 'OnDelete') return 0;
  const v = ds.spec.updateStrategy?.rollingUpdate?.maxSurge ?? 0;
  return Math.max(0, typeof v === 'number' ? v : Math.ceil((Number(v.slice(0, -1)) * desired) / 100));
}

/** The Pod label carrying the DaemonSet generation it was created from (extensions.DaemonSetTemplateGenerationKey). */
export const TEMPLATE_GENERATION_LABEL = 'pod-template-generation';

/** Syncs one DaemonSet (`objKey` = `namespace/name`, `queueKey` its workqueue / podsByOwner key). */
export function syncDaemonSet(state: SimState, objKey: string, queueKey: string): void {
  const ds = state.daemonSets?.[objKey];
  if (!ds) return;
  const ns = ds.metadata.namespace;
  const name = ds.metadata.name;
  const ref = { kind: 'DaemonSet', name, namespace: ns };
  const hash = templateHash(ds.spec.template);
  const history = syncRevisions(state, { kind: 'DaemonSet', metadata: ds.metadata, spec: ds.spec }, hash, REVISION_LABEL);
  const mrs = ds.spec.minReadySeconds ?? 0;
  /** Ready for minReadySeconds (IsPodAvailable). */
  const available = (p: Pod) => {
    const at = availableAt(p, mrs, state.t);
    return at !== null && at <= state.t;
  };
  const selector = ds.spec.template.spec.nodeSelector ?? {};
  const tolerations = daemonPodTolerations(ds.spec.template.spec.tolerations);
  const verdict = new Map<string, { run: boolean; keep: boolean }>();
  const required = ds.spec.template.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  const affinity = required ? ({ spec: { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: required } } } } as Pod) : undefined;
  for (const n of Object.keys(state.nodes).sort()) verdict.set(n, shouldRun(state.nodes[n]!, selector, tolerations, affinity));
  const eligible = [...verdict.keys()].filter((n) => verdict.get(n)!.run);
  const onNode = new Map<string, Pod>();
  /** (maxSurge > 0) The updated Pod started beside an old one (`onNode`'s) on a Node. */
  const surged = new Map<string, Pod>();
  const surge = maxSurgeOf(ds, eligible.length);
  const updatedPod = (p: Pod) => (p.metadata.labels[REVISION_LABEL] ?? hash) === hash;
  const misplaced: Pod[] = [];
  let misscheduled = 0;
  const keys = [...(getIndex(state).podsByOwner.get(queueKey) ?? [])].sort();
  for (const k of keys) {
    const p = state.pods[k]!;
    if (!isActive(p)) continue;
    const node = p.spec.nodeSelector?.[HOSTNAME] ?? p.spec.nodeName ?? '';
    const v = verdict.get(node);
    const first = onNode.get(node);
    if (surge > 0 && v?.keep && first !== undefined && !surged.has(node) && updatedPod(first) !== updatedPod(p)) {
      // One old and one new Pod on a Node: the old one is the Node's Pod, the new one surged.
      if (updatedPod(p)) surged.set(node, p);
      else {
        surged.set(node, first);
        onNode.set(node, p);
      }
    } else if (!v || !v.keep || onNode.has(node)) misplaced.push(p);
    else {
      onNode.set(node, p);
      if (!v.run && p.spec.nodeName) misscheduled++;
    }
  }
  const res = podResources(ds.spec.template.spec);
  /** Creates the template's Pod on `node`; false when the API refused it. */
  const createOn = (node: string): Pod | null => {
    let podName = `${name}-${randomSuffix(state.rng)}`;
    while (state.pods[`${ns}/${podName}`]) podName = `${name}-${randomSuffix(state.rng)}`;
    const pod = podFromTemplate(state, { apiVersion: 'apps/v1', kind: 'DaemonSet', name, uid: ds.metadata.uid, namespace: ns }, ds.spec.template, podName, res, {
      nodeSelector: { [HOSTNAME]: node },
      labels: { [REVISION_LABEL]: hash, [TEMPLATE_GENERATION_LABEL]: String(ds.metadata.generation) },
    });
    pod.spec.tolerations = tolerations.map((t) => ({ ...t }));
    const r = createObject(state, 'Pod', pod);
    if (!r.ok) {
      if (r.code === 403) reportFailedCreate(state, ref, queueKey, `Error creating: ${r.error}`, 'daemonset-controller');
      return null;
    }
    emit(state, 'Normal', 'SuccessfulCreate', ref, `Created pod: ${podName}`, 'daemonset-controller');
    return pod;
  };
  for (const node of eligible) {
    if (onNode.has(node)) continue;
    const pod = createOn(node);
    if (!pod) return;
    onNode.set(node, pod);
  }
  for (const p of misplaced) {
    emit(state, 'Normal', 'SuccessfulDelete', ref, `Deleted pod: ${p.metadata.name}`, 'daemonset-controller');
    deletePod(state, `${ns}/${p.metadata.name}`);
  }
  if (surge > 0) {
    for (const node of surgeUpdate(state, ds, surge, eligible, onNode, surged, hash, ref, available)) {
      const pod = createOn(node);
      if (!pod) break;
      surged.set(node, pod);
    }
  } else if (ds.spec.updateStrategy?.type !== 'OnDelete') rollingUpdate(state, ds, eligible, onNode, hash, ref, available);
  let scheduled = 0;
  let ready = 0;
  let availableCount = 0;
  let nextAvailable = Infinity;
  let updated = 0;
  const live = new Set<string>([`${name}-${hash}`]);
  for (const [node, p] of onNode) {
    const label = p.metadata.labels[REVISION_LABEL];
    if (label !== undefined) live.add(`${name}-${label}`);
    if (!verdict.get(node)!.run) continue;
    if (p.spec.nodeName) scheduled++;
    if (p.sim.ready && !p.metadata.deletionTimestamp) ready++;
    const at = availableAt(p, mrs, state.t);
    if (at !== null && at <= state.t) availableCount++;
    else if (at !== null) nextAvailable = Math.min(nextAvailable, at);
    if ((p.metadata.labels[REVISION_LABEL] ?? hash) === hash && !p.metadata.deletionTimestamp) updated++;
  }
  for (const p of surged.values()) {
    const label = p.metadata.labels[REVISION_LABEL];
    if (label !== undefined) live.add(`${name}-${label}`);
    const at = availableAt(p, mrs, state.t);
    if (at !== null && at > state.t) nextAvailable = Math.min(nextAvailable, at);
  }
  if (nextAvailable !== Infinity) scheduleTimer(state, nextAvailable, 'rs.sync', queueKey);
  if (history) truncateHistory(state, { kind: 'DaemonSet', metadata: ds.metadata, spec: ds.spec }, history.revisions, live);
  const s = ds.status;
  const gen = ds.metadata.generation;
  const next = { observedGeneration: gen, desiredNumberScheduled: eligible.length, currentNumberScheduled: scheduled, numberReady: ready, numberAvailable: availableCount, updatedNumberScheduled: updated, numberMisscheduled: misscheduled };
  if (Object.entries(next).every(([k, v]) => s[k as keyof typeof s] === v)) return;
  ds.status = next;
  updateStatus(state, 'DaemonSet', objKey);
}

/** update.go rollingUpdate with maxSurge 0 over the Nodes that should run the Pod (see the module doc). */
function rollingUpdate(state: SimState, ds: DaemonSet, eligible: readonly string[], onNode: Map<string, Pod>, hash: string, ref: { kind: string; name: string; namespace: string }, isAvailable: (p: Pod) => boolean): void {
  const maxUnavailable = maxUnavailableOf(ds, eligible.length);
  let unavailable = 0;
  const replace: Pod[] = [];
  const candidates: Pod[] = [];
  for (const node of eligible) {
    const p = onNode.get(node);
    if (!p) {
      unavailable++;
      continue;
    }
    const available = isAvailable(p);
    if ((p.metadata.labels[REVISION_LABEL] ?? hash) === hash) {
      if (!available) unavailable++;
    } else if (!available) replace.push(p);
    else if (unavailable < maxUnavailable) candidates.push(p);
  }
  const room = Math.min(candidates.length, Math.max(0, maxUnavailable - unavailable));
  for (const p of [...replace, ...candidates.slice(0, room)]) {
    emit(state, 'Normal', 'SuccessfulDelete', ref, `Deleted pod: ${p.metadata.name}`, 'daemonset-controller');
    deletePod(state, `${ds.metadata.namespace}/${p.metadata.name}`);
  }
}

/**
 * (issue 6) update.go rollingUpdate's surge branch (maxSurge > 0) over the Nodes that should run the
 * Pod, in name order: a Node whose old Pod is not available gets its new Pod at once; a Node whose new
 * Pod is available loses the old one (deleted here); a new Pod not yet available counts against the
 * surge; of the Nodes whose old Pod is available, `maxSurge` minus that count get a new Pod. Returns the
 * Nodes to create the new Pod on (the caller creates them beside the old ones).
 */
function surgeUpdate(state: SimState, ds: DaemonSet, maxSurge: number, eligible: readonly string[], onNode: Map<string, Pod>, surged: Map<string, Pod>, hash: string, ref: { kind: string; name: string; namespace: string }, isAvailable: (p: Pod) => boolean): string[] {
  const allowed: string[] = [];
  const candidates: string[] = [];
  const oldToDelete: Pod[] = [];
  let numSurge = 0;
  for (const node of eligible) {
    const old = onNode.get(node);
    if (!old || (old.metadata.labels[REVISION_LABEL] ?? hash) === hash) continue;
    const fresh = surged.get(node);
    if (fresh === undefined) {
      if (!isAvailable(old)) allowed.push(node);
      else candidates.push(node);
    } else if (!isAvailable(fresh)) numSurge++;
    else oldToDelete.push(old);
  }
  for (const p of oldToDelete) {
    emit(state, 'Normal', 'SuccessfulDelete', ref, `Deleted pod: ${p.metadata.name}`, 'daemonset-controller');
    deletePod(state, `${ds.metadata.namespace}/${p.metadata.name}`);
  }
  const remaining = Math.min(candidates.length, Math.max(0, maxSurge - numSurge));
  return [...allowed, ...candidates.slice(0, remaining)];
}
