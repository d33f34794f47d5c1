import { describe, expect, it } from 'vitest';
import { applyAction } from '../../shared/sim/index.ts';
import { deployment, run, sim } from './fixtures.ts';

/**
 * The reasons a real cluster records for these actions, by the component that records them (issue 6
 * deviation 5: no invented reasons). Sources: kubelet pkg/kubelet/events/event.go (Pulling, Pulled,
 * Created, Started, Killing, BackOff, Failed, Unhealthy, FailedMount, Starting, Rebooted) and
 * pkg/kubelet/nodestatus/setters.go (NodeNotSchedulable, NodeSchedulable, NodeReady); the scheduler's
 * Scheduled / FailedScheduling / Preempted (pkg/scheduler/schedule_one.go, framework/preemption);
 * pkg/controller/deployment/sync.go ScalingReplicaSet; pkg/controller/controller_utils.go
 * SuccessfulCreate / SuccessfulDelete / FailedCreate.
 */
const REAL: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['kubelet', new Set(['Pulling', 'Pulled', 'Created', 'Started', 'Killing', 'BackOff', 'Failed', 'Unhealthy', 'FailedMount', 'NodeNotSchedulable', 'NodeSchedulable', 'NodeReady', 'Starting', 'Rebooted'])],
  ['default-scheduler', new Set(['Scheduled', 'FailedScheduling', 'Preempted'])],
  ['deployment-controller', new Set(['ScalingReplicaSet'])],
  ['replicaset-controller', new Set(['SuccessfulCreate', 'SuccessfulDelete', 'FailedCreate'])],
  ['node-controller', new Set(['NodeNotReady'])],
]);

describe('events after player actions', () => {
  it('cordon, drain, scale, set image, rollout restart/undo, delete pod and the rest record only real reasons from real components', () => {
    const s = sim({ deployments: [deployment('web', { replicas: 3 })] });
    const seq = s.events.at(-1)?.seq ?? -1;
    const ok = (a: Parameters<typeof applyAction>[2]) => expect(applyAction(s, 'alice', a).ok).toBe(true);
    ok({ type: 'cordonNode', node: 'node-a' });
    ok({ type: 'uncordonNode', node: 'node-a' });
    ok({ type: 'scaleDeployment', deployment: 'web', replicas: 4 });
    run(s, 20);
    ok({ type: 'setImage', deployment: 'web', image: 'web:v2' });
    run(s, 60);
    ok({ type: 'rolloutRestart', deployment: 'web' });
    run(s, 60);
    ok({ type: 'rolloutUndo', deployment: 'web' });
    ok({ type: 'pauseRollout', deployment: 'web', paused: true });
    ok({ type: 'pauseRollout', deployment: 'web', paused: false });
    ok({ type: 'label', kind: 'Node', name: 'node-b', labels: [{ key: 'team', value: 'x' }] });
    ok({ type: 'annotate', kind: 'Deployment', name: 'web', annotations: [{ key: 'note', value: 'y' }] });
    run(s, 60);
    const pod = Object.values(s.pods).find((p) => p.metadata.name.startsWith('web-') && p.metadata.deletionTimestamp === undefined)!;
    ok({ type: 'deletePod', pod: pod.metadata.name });
    ok({ type: 'drainNode', node: 'node-b' });
    ok({ type: 'nodeOperation', op: 'reboot', node: 'node-c' });
    run(s, 180);
    const seen = s.events.filter((e) => e.seq > seq);
    // Every Event in the state, not only those after the actions: the game's own burn-rate alerts (a
    // degraded rollout pages) and incident notices are not Kubernetes Events (shared/sim/notices.ts).
    const invented = s.events.filter((e) => !(REAL.get(e.source)?.has(e.reason) ?? false)).map((e) => `${e.source}/${e.reason}`);
    expect([...new Set(invented)]).toEqual([]);
    expect(seen.some((e) => e.reason === 'NodeNotSchedulable' && e.object.name === 'node-b' && e.message === 'Node node-b status is now: NodeNotSchedulable')).toBe(true);
    expect(seen.some((e) => e.reason === 'NodeSchedulable' && e.object.name === 'node-a')).toBe(true);
    expect(seen.some((e) => e.reason === 'Killing' && e.object.name === pod.metadata.name && e.message.startsWith('Stopping container '))).toBe(true);
    // The rebooted machine's kubelet reports the new boot id (a Warning, as kubelet_node_status.go).
    const rebooted = seen.find((e) => e.reason === 'Rebooted' && e.object.name === 'node-c');
    expect(rebooted?.type).toBe('Warning');
    expect(rebooted?.message).toMatch(/^Node node-c has been rebooted, boot id: [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });
});
