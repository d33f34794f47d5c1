import { describe, expect, it } from 'vitest';
import { nodeDisplayStatus, podDisplayStatus, podReady } from '../../shared/sim/index.ts';
import type { ContainerState, Node, Pod } from '../../shared/sim/index.ts';
import { sim } from './fixtures.ts';

function pod(states: ContainerState[], o: { phase?: Pod['status']['phase']; reason?: string; deleting?: boolean; ready?: boolean } = {}): Pod {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: 'p', namespace: 'default', uid: 'u', labels: {}, annotations: {}, creationTimestamp: 0, ownerReferences: [], generation: 1, resourceVersion: 1, ...(o.deleting ? { deletionTimestamp: 10 } : {}) },
    spec: { containers: [], restartPolicy: 'Always', terminationGracePeriodSeconds: 30 },
    status: {
      phase: o.phase ?? 'Running',
      conditions: o.ready ? [{ type: 'Ready', status: 'True', lastTransitionTime: 0 }] : [],
      containerStatuses: states.map((state, i) => ({ name: `c${i}`, image: 'x', ready: !!o.ready && !!state.running, started: !!state.running, restartCount: 0, state, lastState: {} })),
      ...(o.reason ? { reason: o.reason } : {}),
    },
    sim: { cpuRequestMilli: 0, memRequestMiB: 0, memLimitMiB: null, image: 'x', templateHash: '', memoryMiB: 0, containerStartedAt: null, backoffSeconds: 0, lastFailureAt: null, nextTransitionAt: null, ready: !!o.ready },
  };
}

describe('kubectl STATUS column', () => {
  it('follows printPod: waiting reason, terminated reason, Terminating, Unknown, Evicted', () => {
    expect(podDisplayStatus(pod([], { phase: 'Pending' }), 0)).toBe('Pending');
    expect(podDisplayStatus(pod([{ waiting: { reason: 'ContainerCreating' } }], { phase: 'Pending' }), 0)).toBe('ContainerCreating');
    expect(podDisplayStatus(pod([{ running: { startedAt: 0 } }], { ready: true }), 0)).toBe('Running');
    expect(podDisplayStatus(pod([{ terminated: { exitCode: 137, reason: 'OOMKilled', finishedAt: 3 } }]), 0)).toBe('OOMKilled');
    expect(podDisplayStatus(pod([{ waiting: { reason: 'CrashLoopBackOff' } }]), 0)).toBe('CrashLoopBackOff');
    expect(podDisplayStatus(pod([{ waiting: { reason: 'ImagePullBackOff' } }], { phase: 'Pending' }), 0)).toBe('ImagePullBackOff');
    expect(podDisplayStatus(pod([{ terminated: { exitCode: 1, reason: 'Error', finishedAt: 3 } }], { phase: 'Failed' }), 0)).toBe('Error');
    expect(podDisplayStatus(pod([{ terminated: { exitCode: 2, reason: '', finishedAt: 3 } }]), 0)).toBe('ExitCode:2');
    expect(podDisplayStatus(pod([{ running: { startedAt: 0 } }], { ready: true, deleting: true }), 0)).toBe('Terminating');
    expect(podDisplayStatus(pod([{ running: { startedAt: 0 } }], { deleting: true, reason: 'NodeLost' }), 0)).toBe('Unknown');
    expect(podDisplayStatus(pod([], { phase: 'Failed', reason: 'Evicted' }), 0)).toBe('Evicted');
    // the first container's waiting reason wins (kubectl walks containers from the last one)
    expect(podDisplayStatus(pod([{ waiting: { reason: 'CrashLoopBackOff' } }, { running: { startedAt: 0 } }], { ready: true }), 0)).toBe('CrashLoopBackOff');
    expect(podDisplayStatus(pod([{ terminated: { exitCode: 0, reason: 'Completed', finishedAt: 1 } }, { running: { startedAt: 0 } }], { ready: true }), 0)).toBe('Running');
    expect(podDisplayStatus(pod([{ terminated: { exitCode: 0, reason: 'Completed', finishedAt: 1 } }], { phase: 'Succeeded', deleting: true }), 0)).toBe('Completed');
    expect(podReady(pod([{ running: { startedAt: 0 } }], { ready: true }))).toBe(true);
  });

  it('prints node status like kubectl get nodes', () => {
    const s = sim();
    const n: Node = s.nodes['node-a']!;
    expect(nodeDisplayStatus(n)).toBe('Ready');
    n.spec.unschedulable = true;
    expect(nodeDisplayStatus(n)).toBe('Ready,SchedulingDisabled');
    n.status.conditions.find((c) => c.type === 'Ready')!.status = 'Unknown';
    expect(nodeDisplayStatus(n)).toBe('NotReady,SchedulingDisabled');
    n.status.conditions = [];
    n.spec.unschedulable = false;
    expect(nodeDisplayStatus(n)).toBe('Unknown');
  });
});
