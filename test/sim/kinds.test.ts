import { describe, expect, it } from 'vitest';
import { KINDS, controllerObject, controllerOwner, kindForResource, kindOf, toApi } from '../../shared/sim/kinds/index.ts';
import { simTimestamp } from '../../shared/sim/names.ts';
import { TIMER_OWNER } from '../../shared/sim/timers.ts';
import { podsOf, sim } from './fixtures.ts';

describe('the kind registry', () => {
  it('registers each kind once with kubectl spellings', () => {
    // the first kinds in order; later kinds are appended (HorizontalPodAutoscaler...), each once
    expect(KINDS.map((k) => k.kind).slice(0, 10)).toEqual(['Pod', 'Node', 'Deployment', 'ReplicaSet', 'Service', 'EndpointSlice', 'PodDisruptionBudget', 'ReplicationController', 'StatefulSet', 'DaemonSet']);
    expect(new Set(KINDS.map((k) => k.kind)).size).toBe(KINDS.length);
    expect(kindForResource('hpa')?.kind).toBe('HorizontalPodAutoscaler');
    expect(kindForResource('quota')?.kind).toBe('ResourceQuota');
    expect(kindForResource('rc')?.kind).toBe('ReplicationController');
    expect(kindForResource('sts')?.kind).toBe('StatefulSet');
    expect(kindForResource('ds')?.kind).toBe('DaemonSet');
    expect(kindForResource('pdb')?.kind).toBe('PodDisruptionBudget');
    expect(kindForResource('po')?.kind).toBe('Pod');
    expect(kindForResource('Deploy')?.kind).toBe('Deployment');
    expect(kindForResource('rs')?.kind).toBe('ReplicaSet');
    expect(kindForResource('svc')?.kind).toBe('Service');
    expect(kindForResource('nodes')?.namespaced).toBe(false);
    expect(kindForResource('nope')).toBeUndefined();
  });

  it('finds controllers generically: Pod -> ReplicaSet -> Deployment', () => {
    const s = sim();
    const pod = podsOf(s, 'web')[0]!;
    const rsRef = controllerOwner(pod)!;
    expect(rsRef.kind).toBe('ReplicaSet');
    const rs = controllerObject(s, pod)!;
    expect(rs.kind).toBe('ReplicaSet');
    expect(controllerOwner(rs)).toEqual({ kind: 'Deployment', key: 'default/web' });
    expect(controllerOwner(s.deployments['default/web']!)).toBeUndefined();
  });

  it('serialises objects as the API serves them: no sim block, RFC 3339 times, string resourceVersion', () => {
    const s = sim();
    const pod = podsOf(s, 'web')[0]!;
    const api = toApi(pod, s) as { sim?: unknown; metadata: { creationTimestamp: string; resourceVersion: string }; status: { podIP?: string; hostIP?: string; startTime: string; conditions: { lastTransitionTime: string }[] } };
    expect(api.sim).toBeUndefined();
    expect(api.metadata.creationTimestamp).toBe('2025-01-01T00:00:00Z');
    expect(api.metadata.resourceVersion).toBe(String(pod.metadata.resourceVersion));
    expect(api.status.startTime).toBe('2025-01-01T00:00:00Z');
    expect(api.status.conditions.every((c) => /^2025-01-01T\d\d:\d\d:\d\dZ$/.test(c.lastTransitionTime))).toBe(true);
    expect(api.status.podIP).toMatch(/^10\.244\.\d+\.\d+$/);
    expect(api.status.hostIP).toMatch(/^10\.0\.1\.\d+$/);
    const node = toApi(s.nodes['node-a']!, s) as { sim?: unknown; status: { conditions: { lastHeartbeatTime: string }[] } };
    expect(node.sim).toBeUndefined();
    expect(node.status.conditions[0]!.lastHeartbeatTime).toBe('2025-01-01T00:00:00Z');
    expect(pod.metadata.creationTimestamp).toBe(0); // the stored object is untouched
  });

  it('stamps times from the fixed epoch across months and years', () => {
    expect(simTimestamp(0)).toBe('2025-01-01T00:00:00Z');
    expect(simTimestamp(3661)).toBe('2025-01-01T01:01:01Z');
    expect(simTimestamp(31 * 86400)).toBe('2025-02-01T00:00:00Z');
    expect(simTimestamp((31 + 28) * 86400 + 59)).toBe('2025-03-01T00:00:59Z');
    expect(simTimestamp(365 * 86400)).toBe('2026-01-01T00:00:00Z');
    expect(simTimestamp(-5)).toBe('2025-01-01T00:00:00Z');
  });

  it('EndpointSlices have the discovery/v1 shape', () => {
    const s = sim();
    const eps = s.endpoints['default/web']!;
    expect(eps.addressType).toBe('IPv4');
    expect(eps.metadata.labels['kubernetes.io/service-name']).toBe('web');
    expect(eps.ports).toEqual([{ port: 80, protocol: 'TCP' }]);
    const pods = podsOf(s, 'web');
    expect(eps.endpoints).toHaveLength(pods.length);
    for (const ep of eps.endpoints) {
      const pod = s.pods[`default/${ep.targetRef.name}`]!;
      expect(ep.targetRef).toEqual({ kind: 'Pod', name: pod.metadata.name, namespace: 'default', uid: pod.metadata.uid });
      expect(ep.addresses).toEqual([(toApi(pod, s) as { status: { podIP: string } }).status.podIP]);
      expect(ep.nodeName).toBe(pod.spec.nodeName);
    }
  });

  it('every timer kind has an owning controller', () => {
    expect(new Set(Object.values(TIMER_OWNER))).toEqual(new Set(['kubelet', 'node', 'deployment', 'replicaset', 'etcd']));
    expect(kindOf('Pod')?.columns.filter((c) => !c.wide).map((c) => c.name)).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
  });
});
