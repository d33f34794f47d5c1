/**
 * What the kinds' printer columns (kubectl get) and serialisations share: kubectl's AGE format, label
 * and `<none>` cells, READY/RESTARTS columns, and the sim's deterministic addresses (node, pod, Service
 * ClusterIP). shared/kubectl re-exports these (format.ts, cluster.ts).
 *
 * May import: ../cache.ts, ../hash.ts, ../types.ts.
 */
import { getIndex } from '../cache.ts';
import { fnv1a64, fnv1a64Low16 } from '../hash.ts';
import type { Pod, SimState } from '../types.ts';

/**
 * kubectl's AGE/LAST SEEN format (apimachinery pkg/util/duration.HumanDuration) for a duration in
 * seconds: `45s`, `119s`, `2m5s`, `9m`, `15m`, `3h12m`, `10h`, `2d4h`, `12d`, `2y3d`.
 */
export function humanDuration(seconds: number): string {
  const s = Math.floor(seconds);
  if (s < -1) return '<invalid>';
  if (s < 0) return '0s';
  if (s < 120) return `${s}s`;
  const minutes = Math.floor(s / 60);
  if (minutes < 10) {
    const rest = s % 60;
    return rest === 0 ? `${minutes}m` : `${minutes}m${rest}s`;
  }
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(s / 3600);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.floor(hours / 24) % 365;
    const y = Math.floor(hours / 24 / 365);
    return dy === 0 ? `${y}y` : `${y}y${dy}d`;
  }
  return `${Math.floor(hours / 24 / 365)}y`;
}

/** `k=v,k2=v2` of a label map, keys sorted; `<none>` when empty. */
export function labelString(labels: Record<string, string> | undefined): string {
  const keys = Object.keys(labels ?? {}).sort();
  return keys.length === 0 ? '<none>' : keys.map((k) => `${k}=${labels![k]}`).join(',');
}

/** The value or `<none>` when empty/undefined. */
export function orNone(v: string | undefined | null): string {
  return v === undefined || v === null || v === '' ? '<none>' : v;
}

/** Internal IP of a node: 10.0.1.(10 + index by name). */
export function nodeIp(state: SimState, name: string): string {
  const idx = getIndex(state).nodeIndex.get(name) ?? -1;
  return `10.0.1.${10 + Math.max(0, idx)}`;
}

/** Pod IP: in the node's /24 of 10.244.0.0/16, host part from a hash of the pod uid; `<none>` when unbound. */
export function podIp(state: SimState, pod: Pod): string {
  if (!pod.spec.nodeName || pod.status.phase === 'Pending') return '<none>';
  return podAddress(state, pod.spec.nodeName, pod.metadata.uid);
}

/**
 * The IP a pod gets on `nodeName` (what {@link podIp} shows once it runs, and its EndpointSlice
 * address): 10.244.(1 + node index by name).(2 + a hash of the uid mod 250). Deterministic.
 */
export function podAddress(state: SimState, nodeName: string, uid: string): string {
  const idx = getIndex(state).nodeIndex.get(nodeName) ?? -1;
  const h = fnv1a64Low16(uid); // parseInt(fnv1a64(uid).slice(-4), 16)
  return `10.244.${Math.max(0, idx) + 1}.${(h % 250) + 2}`;
}

/** ClusterIP of a Service: its spec value, else 10.96.x.y from a hash of the key. */
export function clusterIp(key: string, specIp: string | undefined): string {
  if (specIp) return specIp;
  const h = parseInt(fnv1a64(key).slice(-4), 16);
  return `10.96.${(h >> 8) % 256}.${(h % 253) + 1}`;
}

/** `ready/total` containers, as kubectl's READY column (issue 6: sidecars, `restartPolicy: Always` init containers, count, as printPod). */
export function podReadyColumn(pod: Pod): string {
  let total = pod.spec.containers.length;
  let ready = pod.status.containerStatuses.filter((c) => c.ready).length;
  const inits = pod.spec.initContainers;
  if (inits !== undefined) {
    for (let i = 0; i < inits.length; i++) {
      if (inits[i]!.restartPolicy !== 'Always') continue;
      total++;
      const cs = pod.status.initContainerStatuses?.[i];
      if (cs !== undefined && cs.started && cs.ready && !(cs.state.terminated?.exitCode === 0)) ready++;
    }
  }
  return `${ready}/${total}`;
}

/**
 * kubectl's RESTARTS column at sim second `now`: `0`, or `4 (32s ago)` when the last termination time is
 * known. As kubectl printPod (K pkg/printers/internalversion/printers.go): while the Pod is initializing
 * (an init container has not completed and `Initialized` is not True) it is the init containers'
 * restarts up to the first one not completed, with their last termination; once initialized it is the
 * app containers' plus (issue 6) the sidecars' (restartable init containers).
 */
export function restartsColumn(pod: Pod, now: number): string {
  let restarts = 0;
  let last: number | null = null;
  const note = (c: Pod['status']['containerStatuses'][number]): void => {
    restarts += c.restartCount;
    const f = c.lastState.terminated?.finishedAt;
    if (f !== undefined && (last === null || f > last)) last = f;
  };
  let initializing = false;
  const sidecars: Pod['status']['containerStatuses'] = [];
  const inits = pod.status.initContainerStatuses ?? [];
  for (let i = 0; i < inits.length; i++) {
    const c = inits[i]!;
    const sidecar = pod.spec.initContainers?.[i]?.restartPolicy === 'Always';
    if (sidecar) sidecars.push(c);
    note(c);
    if (c.state.terminated?.exitCode === 0) continue;
    if (sidecar && c.started) continue;
    initializing = true;
    break;
  }
  if (!initializing || pod.status.conditions.some((c) => c.type === 'Initialized' && c.status === 'True')) {
    restarts = 0;
    last = null;
    for (const c of sidecars) note(c);
    for (const c of pod.status.containerStatuses) note(c);
  }
  if (restarts > 0 && last !== null) return `${restarts} (${humanDuration(now - last)} ago)`;
  return String(restarts);
}

