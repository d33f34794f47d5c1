/**
 * The Pod kind (core/v1): storage `state.pods`, defaulting (SetDefaults_PodSpec: restartPolicy Always,
 * terminationGracePeriodSeconds 30), controlled by ReplicaSets, API serialisation (status.podIP /
 * hostIP added, times RFC 3339) and kubectl's pod columns (K pkg/printers/internalversion printPod).
 *
 * May import: ../types.ts, ../status.ts, ./kind.ts, ./print.ts, ./serialize.ts.
 */
import { podDisplayStatus } from '../status.ts';
import type { Pod } from '../types.ts';
import type { KindDef } from './kind.ts';
import { humanDuration, nodeIp, orNone, podIp, podReadyColumn, restartsColumn } from './print.ts';
import { apiCopy, apiMeta, stampEach, stampFields } from './serialize.ts';

function stampContainerState(s: unknown): void {
  if (!s || typeof s !== 'object') return;
  const st = s as Record<string, unknown>;
  stampFields(st['running'], ['startedAt']);
  stampFields(st['terminated'], ['startedAt', 'finishedAt']);
}

/** The Pod kind. */
export const podKind: KindDef<Pod> = {
  apiVersion: 'v1',
  kind: 'Pod',
  plural: 'pods',
  singular: 'pod',
  shortNames: ['po'],
  namespaced: true,
  store: (state) => state.pods,
  defaults(pod) {
    pod.spec.restartPolicy ??= 'Always';
    pod.spec.terminationGracePeriodSeconds ??= 30;
  },
  controllerKinds: ['ReplicaSet', 'ReplicationController', 'StatefulSet', 'DaemonSet'],
  toApi(pod, state) {
    const copy = apiCopy(pod);
    apiMeta(copy);
    const status = copy['status'] as Record<string, unknown>;
    stampEach(status['conditions'], ['lastTransitionTime']);
    stampFields(status, ['startTime']);
    for (const cs of (status['containerStatuses'] as Record<string, unknown>[] | undefined) ?? []) {
      stampContainerState(cs['state']);
      stampContainerState(cs['lastState']);
    }
    const ip = podIp(state, pod);
    if (ip !== '<none>') status['podIP'] = ip;
    if (pod.spec.nodeName) status['hostIP'] = nodeIp(state, pod.spec.nodeName);
    return copy;
  },
  columns: [
    { name: 'NAME', cell: (p) => p.metadata.name },
    { name: 'READY', cell: (p) => podReadyColumn(p) },
    { name: 'STATUS', cell: (p, s) => podDisplayStatus(p, s.t) },
    { name: 'RESTARTS', cell: (p, s) => restartsColumn(p, s.t) },
    { name: 'AGE', cell: (p, s) => humanDuration(s.t - p.metadata.creationTimestamp) },
    { name: 'IP', wide: true, cell: (p, s) => podIp(s, p) },
    { name: 'NODE', wide: true, cell: (p) => orNone(p.spec.nodeName) },
    { name: 'NOMINATED NODE', wide: true, cell: () => '<none>' },
    { name: 'READINESS GATES', wide: true, cell: () => '<none>' },
  ],
};
