/**
 * (added, issue 6) `core/v1 PersistentVolumeClaim` subset: what `kubectl get|describe pvc` shows and
 * the scheduler's VolumeBinding plugin checks. Re-exported by ../types.ts.
 *
 * May import: ./types.ts.
 */
import type { ObjectMeta } from './types.ts';

/**
 * A claim as stored. Every claim is provisioned at once (`status.phase` Bound to the volume
 * `spec.volumeName` `pvc-<uid>`, `status.capacity.storage` = the request): the sim has no
 * PersistentVolume objects, provisioner or WaitForFirstConsumer binding. `storageClassName` unset
 * with the beta annotation `volume.beta.kubernetes.io/storage-class` (which then names the class), else
 * the DefaultStorageClass admission's default class when none was given.
 */
export interface PersistentVolumeClaim {
  apiVersion: 'v1';
  kind: 'PersistentVolumeClaim';
  metadata: ObjectMeta;
  spec: {
    accessModes: string[];
    /** The storage request, a quantity string (`1Gi`). */
    resources: { requests: { storage: string } };
    storageClassName?: string;
    volumeMode: string;
    volumeName: string;
  };
  status: { phase: 'Pending' | 'Bound' | 'Lost'; accessModes: string[]; capacity: { storage: string } };
}
