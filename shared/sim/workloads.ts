/**
 * The workloads of a {@link SimInput} besides Deployments (`input.workloads`: ReplicaSet,
 * ReplicationController, StatefulSet, DaemonSet) turned into stored objects at createSim, with the
 * defaults of their kinds (K pkg/apis/apps/v1/defaults.go and pkg/apis/core/v1/defaults.go: replicas 1,
 * a ReplicationController's selector and labels from its template, StatefulSet podManagementPolicy
 * OrderedReady, updateStrategy RollingUpdate with partition 0 (DaemonSet: maxUnavailable 1), a
 * StatefulSet with claim templates persistentVolumeClaimRetentionPolicy Retain/Retain, minReadySeconds 0; the pod template's defaults as for a Deployment), and queued for
 * their controllers (the ReplicaSet workqueue; ./controllers/replicaset.ts).
 *
 * Pure and deterministic. May import: ./create.ts (template defaults), ./types.ts.
 */
import { deploymentFromManifest } from './create.ts';
import type { DeploymentManifest, ImageProfile, ObjectMeta, SimInput, SimState, WorkloadManifest } from './types.ts';

function metaAndTemplate(state: SimState, w: WorkloadManifest, uidPrefix: string): { metadata: ObjectMeta; template: ReturnType<typeof deploymentFromManifest>['spec']['template'] } {
  const asDeployment: DeploymentManifest = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: w.metadata, spec: { selector: w.spec.selector, template: w.spec.template } };
  const d = deploymentFromManifest(state, asDeployment, `${uidPrefix}-${state.counters.uid++}`);
  return { metadata: d.metadata, template: d.spec.template };
}

/**
 * Stores every `input.workloads` object (a later one with the same kind and key is skipped with a
 * warning), registers its images' profiles (a copy of `defaultImageProfile` for undescribed images)
 * and queues it. Called by createSim after the Deployments.
 */
export function storeWorkloads(state: SimState, input: SimInput, defaultImageProfile: ImageProfile): void {
  for (const w of input.workloads ?? []) {
    const key = `${w.metadata.namespace ?? 'default'}/${w.metadata.name}`;
    const sel = w.spec.selector.matchLabels;
    const labels = w.spec.template.metadata.labels;
    if (Object.keys(sel).length === 0 || Object.entries(sel).some(([k, v]) => labels[k] !== v)) {
      state.warnings.push(`${w.kind} "${key}" skipped: spec.template.metadata.labels: Invalid value: selector does not match template labels`);
      continue;
    }
    const exists =
      (w.kind === 'ReplicaSet' && state.replicaSets[key]) || (w.kind === 'ReplicationController' && state.replicationControllers?.[key]) ||
      (w.kind === 'StatefulSet' && state.statefulSets?.[key]) || (w.kind === 'DaemonSet' && state.daemonSets?.[key]);
    if (exists) {
      state.warnings.push(`duplicate ${w.kind} "${key}" skipped`);
      continue;
    }
    const { metadata, template } = metaAndTemplate(state, w, w.kind.toLowerCase());
    const replicas = w.spec.replicas ?? 1;
    const minReadySeconds = w.spec.minReadySeconds ?? 0;
    switch (w.kind) {
      case 'ReplicaSet':
        state.replicaSets[key] = {
          apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata,
          spec: { replicas, selector: { matchLabels: { ...sel } }, template, minReadySeconds },
          status: { replicas: 0, readyReplicas: 0, availableReplicas: 0, fullyLabeledReplicas: 0, observedGeneration: 0 },
        };
        state.dirty.replicaSets.push(key);
        break;
      case 'ReplicationController':
        if (Object.keys(metadata.labels).length === 0) metadata.labels = { ...template.metadata.labels };
        (state.replicationControllers ??= Object.create(null))[key] = {
          apiVersion: 'v1', kind: 'ReplicationController', metadata,
          spec: { replicas, selector: { ...sel }, template, minReadySeconds },
          status: { replicas: 0, readyReplicas: 0, availableReplicas: 0, fullyLabeledReplicas: 0, observedGeneration: 0 },
        };
        state.dirty.replicaSets.push(`ReplicationController:${key}`);
        break;
      case 'StatefulSet':
        (state.statefulSets ??= Object.create(null))[key] = {
          apiVersion: 'apps/v1', kind: 'StatefulSet', metadata,
          spec: {
            replicas, serviceName: w.spec.serviceName ?? '', selector: { matchLabels: { ...sel } }, template, podManagementPolicy: w.spec.podManagementPolicy ?? 'OrderedReady', minReadySeconds,
            updateStrategy: w.spec.updateStrategy?.type === 'OnDelete' ? { type: 'OnDelete' } : { type: 'RollingUpdate', rollingUpdate: { partition: w.spec.updateStrategy?.rollingUpdate?.partition ?? 0 } },
            ...(w.spec.revisionHistoryLimit !== undefined ? { revisionHistoryLimit: w.spec.revisionHistoryLimit } : {}),
            ...(w.spec.volumeClaimTemplates?.length ? { volumeClaimTemplates: structuredClone(w.spec.volumeClaimTemplates), persistentVolumeClaimRetentionPolicy: { whenDeleted: w.spec.persistentVolumeClaimRetentionPolicy?.whenDeleted ?? ('Retain' as const), whenScaled: w.spec.persistentVolumeClaimRetentionPolicy?.whenScaled ?? ('Retain' as const) } } : {}),
          },
          status: { observedGeneration: 0, replicas: 0, readyReplicas: 0, currentReplicas: 0, updatedReplicas: 0, availableReplicas: 0 },
        };
        state.dirty.replicaSets.push(`StatefulSet:${key}`);
        break;
      case 'DaemonSet':
        (state.daemonSets ??= Object.create(null))[key] = {
          apiVersion: 'apps/v1', kind: 'DaemonSet', metadata,
          spec: {
            selector: { matchLabels: { ...sel } }, template, minReadySeconds,
            updateStrategy: w.spec.updateStrategy?.type === 'OnDelete' ? { type: 'OnDelete' } : { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: w.spec.updateStrategy?.rollingUpdate?.maxUnavailable ?? 1, ...(w.spec.updateStrategy?.rollingUpdate?.maxSurge !== undefined ? { maxSurge: w.spec.updateStrategy.rollingUpdate.maxSurge } : {}) } },
            ...(w.spec.revisionHistoryLimit !== undefined ? { revisionHistoryLimit: w.spec.revisionHistoryLimit } : {}),
          },
          status: { observedGeneration: 0, desiredNumberScheduled: 0, currentNumberScheduled: 0, numberReady: 0, numberAvailable: 0, updatedNumberScheduled: 0, numberMisscheduled: 0 },
        };
        state.dirty.replicaSets.push(`DaemonSet:${key}`);
        break;
    }
    for (const c of template.spec.containers) if (!state.images[c.image]) state.images[c.image] = { ...defaultImageProfile };
  }
}
