/**
 * The DaemonSet controller (minimal faithful version): one Pod per Node whose labels match the
 * template's `nodeSelector` (cordoned Nodes included: DaemonSet Pods tolerate `unschedulable`), named
 * `<name>-<5 random chars>`, pinned to its Node; Pods on Nodes that no longer qualify are deleted.
 * Events `SuccessfulCreate` "Created pod: x" / `SuccessfulDelete` "Deleted pod: x" (K
 * pkg/controller/daemon/daemon_controller.go; https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/).
 *
 * Simplified: the Pod is pinned with a `kubernetes.io/hostname` nodeSelector entry (Kubernetes adds a
 * required node affinity on `metadata.name`, which has the same effect for the scheduler); taints are
 * not checked; Node additions are seen at the DaemonSet's next sync; no rolling update.
 *
 * Queued in the ReplicaSet workqueue as `DaemonSet:namespace/name` (./replicaset.ts registerOwnerSync).
 */
import { createObject, deletePod, updateStatus } from '../apiserver.ts';
import { emit } from '../emit.ts';
import { getIndex } from '../cache.ts';
import { randomSuffix } from '../names.ts';
import { isActive } from '../podutil.ts';
import type { Pod, SimState } from '../types.ts';
import { podFromTemplate, podResources, reportFailedCreate } from './replicaset.ts';

const HOSTNAME = 'kubernetes.io/hostname';

/** Syncs one DaemonSet (`objKey` = `namespace/name`, `queueKey` its workqueue / podsByOwner key). */
export function syncDaemonSet(state: SimState, objKey: string, queueKey: string): void {
  const ds = state.daemonSets?.[objKey];
  if (!ds) return;
  const ns = ds.metadata.namespace;
  const name = ds.metadata.name;
  const ref = { kind: 'DaemonSet', name, namespace: ns };
  const selector = ds.spec.template.spec.nodeSelector ?? {};
  const eligible = Object.keys(state.nodes)
    .sort()
    .filter((n) => Object.entries(selector).every(([k, v]) => k === HOSTNAME || state.nodes[n]!.metadata.labels[k] === v) && (selector[HOSTNAME] === undefined || selector[HOSTNAME] === n));
  const onNode = new Map<string, Pod>();
  const misplaced: Pod[] = [];
  const keys = [...(getIndex(state).podsByOwner.get(queueKey) ?? [])].sort();
  for (const k of keys) {
    const p = state.pods[k]!;
    if (!isActive(p)) continue;
    const node = p.spec.nodeSelector?.[HOSTNAME] ?? p.spec.nodeName ?? '';
    if (!eligible.includes(node) || onNode.has(node)) misplaced.push(p);
    else onNode.set(node, p);
  }
  const res = podResources(ds.spec.template.spec);
  for (const node of eligible) {
    if (onNode.has(node)) continue;
    let podName = `${name}-${randomSuffix(state.rng)}`;
    while (state.pods[`${ns}/${podName}`]) podName = `${name}-${randomSuffix(state.rng)}`;
    const pod = podFromTemplate(state, { apiVersion: 'apps/v1', kind: 'DaemonSet', name, uid: ds.metadata.uid, namespace: ns }, ds.spec.template, podName, res, { nodeSelector: { [HOSTNAME]: node } });
    const r = createObject(state, 'Pod', pod);
    if (!r.ok) {
      if (r.code === 403) reportFailedCreate(state, ref, queueKey, `Error creating: ${r.error}`, 'daemonset-controller');
      return;
    }
    onNode.set(node, pod);
    emit(state, 'Normal', 'SuccessfulCreate', ref, `Created pod: ${podName}`, 'daemonset-controller');
  }
  for (const p of misplaced) {
    emit(state, 'Normal', 'SuccessfulDelete', ref, `Deleted pod: ${p.metadata.name}`, 'daemonset-controller');
    deletePod(state, `${ns}/${p.metadata.name}`);
  }
  let scheduled = 0;
  let ready = 0;
  for (const p of onNode.values()) {
    if (p.spec.nodeName) scheduled++;
    if (p.sim.ready) ready++;
  }
  const s = ds.status;
  const gen = ds.metadata.generation;
  const next = { observedGeneration: gen, desiredNumberScheduled: eligible.length, currentNumberScheduled: scheduled, numberReady: ready, numberAvailable: ready, updatedNumberScheduled: onNode.size, numberMisscheduled: 0 };
  if (Object.entries(next).every(([k, v]) => s[k as keyof typeof s] === v)) return;
  ds.status = next;
  updateStatus(state, 'DaemonSet', objKey);
}
