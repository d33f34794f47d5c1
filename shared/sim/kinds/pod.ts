/**
 * The Pod kind (core/v1): storage `state.pods`, defaulting (SetDefaults_PodSpec: restartPolicy Always,
 * terminationGracePeriodSeconds 30; the DefaultTolerationSeconds admission's not-ready/unreachable
 * NoExecute 300 s tolerations, K plugin/pkg/admission/defaulttolerationseconds), controlled by ReplicaSets, API serialisation (status.podIP /
 * hostIP added, times RFC 3339) and kubectl's pod columns (K pkg/printers/internalversion printPod).
 *
 * May import: ../types.ts, ../status.ts, ./kind.ts, ./print.ts, ./serialize.ts.
 */
import { podDisplayStatus } from '../status.ts';
import type { Pod, Toleration } from '../types.ts';
import type { KindDef } from './kind.ts';
import { humanDuration, nodeIp, orNone, podIp, podReadyColumn, restartsColumn } from './print.ts';
import { apiCopy, apiMeta, stampEach, stampFields } from './serialize.ts';

/** Taint the node lifecycle controller puts on a NotReady node. */
export const NOT_READY_TAINT = 'node.kubernetes.io/not-ready';
/** Taint the node lifecycle controller puts on a node whose kubelet stopped reporting. */
export const UNREACHABLE_TAINT_KEY = 'node.kubernetes.io/unreachable';
/** DefaultTolerationSeconds admission: `--default-not-ready-toleration-seconds` / unreachable, seconds. */
export const DEFAULT_TOLERATION_SECONDS_ADMISSION = 300;

/**
 * The two tolerations the DefaultTolerationSeconds admission adds to a pod that has none for these
 * taints: `not-ready` and `unreachable`, `Exists`, `NoExecute`, 300 s. Frozen and shared by every pod
 * that has no tolerations of its own (memory at 150,000 Pods).
 */
export const DEFAULT_TOLERATIONS: readonly Toleration[] = Object.freeze([
  Object.freeze({ key: NOT_READY_TAINT, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: DEFAULT_TOLERATION_SECONDS_ADMISSION } as Toleration),
  Object.freeze({ key: UNREACHABLE_TAINT_KEY, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: DEFAULT_TOLERATION_SECONDS_ADMISSION } as Toleration),
]);

/**
 * The pod's tolerations after the DefaultTolerationSeconds admission: each of `not-ready` and
 * `unreachable` NoExecute 300 s is appended unless a toleration already covers that key with effect
 * NoExecute or empty (the admission's check). Returns the shared {@link DEFAULT_TOLERATIONS} when the
 * pod has none.
 */
export function withDefaultTolerations(tolerations: readonly Toleration[] | undefined): Toleration[] {
  if (!tolerations || tolerations.length === 0) return DEFAULT_TOLERATIONS as Toleration[];
  const covers = (key: string) => tolerations.some((t) => (t.effect === undefined || t.effect === 'NoExecute') && (t.key === key || ((t.key ?? '') === '' && t.operator === 'Exists')));
  const out = [...tolerations];
  if (!covers(NOT_READY_TAINT)) out.push(DEFAULT_TOLERATIONS[0]!);
  if (!covers(UNREACHABLE_TAINT_KEY)) out.push(DEFAULT_TOLERATIONS[1]!);
  return out.length === tolerations.length ? (tolerations as Toleration[]) : out;
}

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
    // DefaultTolerationSeconds admission: not-ready / unreachable NoExecute for 300 s (shared when none).
    pod.spec.tolerations = withDefaultTolerations(pod.spec.tolerations);
  },
  controllerKinds: ['ReplicaSet', 'ReplicationController', 'StatefulSet', 'DaemonSet', 'Job'],
  toApi(pod, state) {
    const copy = apiCopy(pod);
    apiMeta(copy);
    const status = copy['status'] as Record<string, unknown>;
    stampEach(status['conditions'], ['lastTransitionTime']);
    stampFields(status, ['startTime']);
    for (const cs of [...((status['containerStatuses'] as Record<string, unknown>[] | undefined) ?? []), ...((status['initContainerStatuses'] as Record<string, unknown>[] | undefined) ?? [])]) {
      stampContainerState(cs['state']);
      stampContainerState(cs['lastState']);
    }
    // A volume source the sim keeps by name only (`other: "gcePersistentDisk"`) goes out as `{gcePersistentDisk: {}}` (issue 6).
    const spec = copy['spec'] as Record<string, unknown>;
    for (const v of (spec['volumes'] as Record<string, unknown>[] | undefined) ?? []) {
      if (typeof v['other'] === 'string') {
        v[v['other']] = {};
        delete v['other'];
      }
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
    { name: 'NOMINATED NODE', wide: true, cell: (p) => orNone(p.status.nominatedNodeName) },
    { name: 'READINESS GATES', wide: true, cell: () => '<none>' },
  ],
};
