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

/** `apps/v1 StatefulSet` subset: Pods `name-0..n-1`, OrderedReady (default) or Parallel. */
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
  };
  status: { observedGeneration: number; replicas: number; readyReplicas: number; currentReplicas: number; updatedReplicas: number; availableReplicas: number };
}

/** `apps/v1 DaemonSet` subset: one Pod per Node matching the template's nodeSelector. */
export interface DaemonSet {
  apiVersion: 'apps/v1';
  kind: 'DaemonSet';
  metadata: ObjectMeta;
  spec: { selector: LabelSelector; template: PodTemplateSpec; minReadySeconds: number };
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
