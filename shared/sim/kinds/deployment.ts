/**
 * The Deployment kind (apps/v1): storage `state.deployments`, defaulting (pkg/apis/apps/v1/defaults.go:
 * replicas 1, RollingUpdate 25 %/25 %, revisionHistoryLimit 10, progressDeadlineSeconds 600,
 * minReadySeconds 0), API serialisation (condition times RFC 3339) and kubectl's columns
 * (printDeployment). createSim builds Deployments from manifests with the same values
 * (../create.ts `deploymentFromManifest`).
 *
 * May import: ../types.ts, ./kind.ts, ./print.ts, ./serialize.ts.
 */
import type { Deployment } from '../types.ts';
import type { KindDef } from './kind.ts';
import { humanDuration, labelString } from './print.ts';
import { apiCopy, apiMeta, stampEach } from './serialize.ts';

/** The Deployment kind. */
export const deploymentKind: KindDef<Deployment> = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  plural: 'deployments',
  singular: 'deployment',
  shortNames: ['deploy'],
  namespaced: true,
  store: (state) => state.deployments,
  defaults(d) {
    const s = d.spec;
    s.replicas ??= 1;
    s.strategy ??= { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } };
    s.revisionHistoryLimit ??= 10;
    s.progressDeadlineSeconds ??= 600;
    s.minReadySeconds ??= 0;
    s.template.spec.restartPolicy ??= 'Always';
    s.template.spec.terminationGracePeriodSeconds ??= 30;
  },
  controllerKinds: [],
  toApi(d) {
    const copy = apiCopy(d);
    apiMeta(copy);
    stampEach((copy['status'] as Record<string, unknown>)['conditions'], ['lastUpdateTime', 'lastTransitionTime']);
    return copy;
  },
  columns: [
    { name: 'NAME', cell: (d) => d.metadata.name },
    { name: 'READY', cell: (d) => `${d.status.readyReplicas}/${d.spec.replicas}` },
    { name: 'UP-TO-DATE', cell: (d) => String(d.status.updatedReplicas) },
    { name: 'AVAILABLE', cell: (d) => String(d.status.availableReplicas) },
    { name: 'AGE', cell: (d, s) => humanDuration(s.t - d.metadata.creationTimestamp) },
    { name: 'CONTAINERS', wide: true, cell: (d) => d.spec.template.spec.containers.map((c) => c.name).join(',') },
    { name: 'IMAGES', wide: true, cell: (d) => d.spec.template.spec.containers.map((c) => c.image).join(',') },
    { name: 'SELECTOR', wide: true, cell: (d) => labelString(d.spec.selector.matchLabels) },
  ],
};
