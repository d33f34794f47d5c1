/**
 * Object shapes of the pod-owning kinds besides Deployment/ReplicaSet (issue 6): v1
 * ReplicationController, apps/v1 StatefulSet, apps/v1 DaemonSet (subsets the sim reads and writes).
 * Times are sim seconds. Re-exported by ../types.ts.
 *
 * May import: ./types.ts.
 */
import type { LabelSelector, ObjectMeta, PodTemplateSpec } from './types.ts';

/**
 * `core/v1 ReplicationController`: the legacy ReplicaSet; its selector is a plain label map (equality
 * only), defaulted from the template labels. Managed by the ReplicaSet controller
 * (../controllers/replicaset.ts), as Kubernetes' replication manager wraps the ReplicaSet controller
 * (K pkg/controller/replication/replication_controller.go).
 */
export interface ReplicationController {
  apiVersion: 'v1';
  kind: 'ReplicationController';
  metadata: ObjectMeta;
  spec: { replicas: number; selector: Record<string, string>; template: PodTemplateSpec; minReadySeconds: number };
  status: { replicas: number; readyReplicas: number; availableReplicas: number; fullyLabeledReplicas: number; observedGeneration: number };
}

/**
 * `apps/v1 StatefulSetUpdateStrategy`: `RollingUpdate` (the default, with `partition` 0: Pods with an
 * ordinal >= partition are replaced from the highest down) or `OnDelete` (a Pod gets the new template
 * only when deleted by hand). Source: K pkg/apis/apps/v1/defaults.go SetDefaults_StatefulSet.
 */
export interface StatefulSetUpdateStrategy {
  type: 'RollingUpdate' | 'OnDelete';
  /** RollingUpdate only. `maxUnavailable` (alpha gate MaxUnavailableStatefulSet) is not modelled: one Pod at a time. */
  rollingUpdate?: { partition: number };
}

/**
 * (added) `core/v1 PersistentVolumeClaim` as a StatefulSet's `volumeClaimTemplates` entry gives it:
 * name, labels / annotations, access modes, the storage request (a quantity string, `1Gi`) and the
 * StorageClass (`spec.storageClassName`, else the beta annotation `volume.beta.kubernetes.io/storage-class`).
 * The same shape is a PersistentVolumeClaim of the manifests.
 */
export interface PersistentVolumeClaimTemplate {
  /** `namespace`: only for a claim of the manifests (a StatefulSet's claims are in its namespace). */
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: { accessModes: string[]; storage: string; storageClassName?: string; volumeMode?: string };
}

/**
 * `apps/v1 StatefulSet` subset: Pods `name-0..n-1`, OrderedReady (default) or Parallel, an update
 * strategy, PVCs from `volumeClaimTemplates`. `sim.currentTemplate`: the pod template of
 * `status.currentRevision` while it differs from `spec.template` (kept for states stored before the
 * ControllerRevision objects, ./controllerRevision.ts, which the controller now reads first; not served).
 */
export interface StatefulSet {
  apiVersion: 'apps/v1';
  kind: 'StatefulSet';
  metadata: ObjectMeta;
  spec: {
    replicas: number;
    serviceName: string;
    selector: LabelSelector;
    template: PodTemplateSpec;
    podManagementPolicy: 'OrderedReady' | 'Parallel';
    minReadySeconds: number;
    /** Absent in states stored before it was modelled: read as RollingUpdate, partition 0. */
    updateStrategy?: StatefulSetUpdateStrategy;
    volumeClaimTemplates?: PersistentVolumeClaimTemplate[];
    /** (added) Old ControllerRevisions kept (K defaults.go: 10); absent = 10. */
    revisionHistoryLimit?: number;
    /** Default Retain / Retain (K defaults.go): PVCs stay on scale-down and on delete. */
    persistentVolumeClaimRetentionPolicy?: { whenDeleted: 'Retain' | 'Delete'; whenScaled: 'Retain' | 'Delete' };
  };
  status: {
    observedGeneration: number;
    replicas: number;
    readyReplicas: number;
    currentReplicas: number;
    updatedReplicas: number;
    availableReplicas: number;
    /** `<name>-<hash>` of the revision Pods `[0, currentReplicas)` run; absent until the first sync. */
    currentRevision?: string;
    /** `<name>-<hash>` of `spec.template`. */
    updateRevision?: string;
  };
  sim?: { currentTemplate?: PodTemplateSpec };
}

/**
 * `apps/v1 DaemonSetUpdateStrategy`: `RollingUpdate` (default maxUnavailable 1, maxSurge 0: an old Pod
 * is deleted, the next once the new one on that Node is available) or `OnDelete`. Source: K
 * pkg/apis/apps/v1/defaults.go SetDefaults_DaemonSet.
 */
export interface DaemonSetUpdateStrategy {
  type: 'RollingUpdate' | 'OnDelete';
  /**
   * An integer or a percentage of the desired Nodes (`"25%"`, rounded up). (issue 6) `maxSurge` (an
   * integer or a percentage, rounded up; absent = 0): with one above 0 the new Pod starts beside the
   * old one, which goes once the new one is available (maxUnavailable then unused).
   */
  rollingUpdate?: { maxUnavailable: number | string; maxSurge?: number | string };
}

/** `apps/v1 DaemonSet` subset: one Pod per Node matching the template's nodeSelector and tolerating its taints. */
export interface DaemonSet {
  apiVersion: 'apps/v1';
  kind: 'DaemonSet';
  metadata: ObjectMeta;
  spec: {
    selector: LabelSelector;
    template: PodTemplateSpec;
    minReadySeconds: number;
    /** Absent in states stored before it was modelled: read as RollingUpdate, maxUnavailable 1. */
    updateStrategy?: DaemonSetUpdateStrategy;
    /** (added) Old ControllerRevisions kept (K defaults.go: 10); absent = 10. */
    revisionHistoryLimit?: number;
  };
  status: {
    observedGeneration: number;
    desiredNumberScheduled: number;
    currentNumberScheduled: number;
    numberReady: number;
    numberAvailable: number;
    updatedNumberScheduled: number;
    numberMisscheduled: number;
  };
}
