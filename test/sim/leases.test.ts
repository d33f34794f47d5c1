/**
 * coordination.k8s.io/v1 Leases (shared/sim/kinds/lease.ts), as a player reads them with the console's
 * kubectl: one per Node in kube-node-lease renewed by its kubelet every 10 sim seconds, stale once the
 * kubelet stops (the node lifecycle controller's 50 s grace counts from there), fresh again when it
 * comes back; the kube-controller-manager / kube-scheduler leader Leases in kube-system, lost during an
 * etcd quorum loss and acquired again by a new process afterwards (leaseTransitions 1). Reading them
 * changes nothing (the state hash). Times are sim seconds.
 */
import { describe, it, expect } from 'vitest';
import { apiWritable, applyAction, stateHash } from '../../shared/sim/index.ts';
import { leaseKind } from '../../shared/sim/kinds/lease.ts';
import { changesSince } from '../../shared/sim/changelog.ts';
import { runKubectl } from '../../shared/kubectl/index.ts';
import type { SimState } from '../../shared/sim/types.ts';
import { run, sim } from './fixtures.ts';
import { typeCommand } from './game-fixtures.ts';

/** What the console prints for `kubectl ARGS`. */
function kubectl(s: SimState, args: string): string {
  const r = runKubectl(s, `kubectl ${args}`);
  if (r.kind === 'error') return r.error;
  return r.kind === 'output' ? r.output : JSON.stringify(r);
}

type ApiLease = { metadata: Record<string, unknown>; spec: Record<string, unknown> };

/** The Lease as `kubectl get lease -o json` serves it (while etcd has no quorum, as the kind derives it: the console's reads fail then). */
function lease(s: SimState, ns: string, name: string): ApiLease {
  if (!apiWritable(s)) return leaseKind.toApi(leaseKind.store(s)[`${ns}/${name}`]!, s) as unknown as ApiLease;
  return JSON.parse(kubectl(s, `get lease ${name} -n ${ns} -o json`)) as ApiLease;
}

const ready = (s: SimState, node: string) => s.nodes[node]!.status.conditions.find((c) => c.type === 'Ready')!.status;
const stamp = (t: number) => `2025-01-01T00:${String(Math.floor(t / 60)).padStart(2, '0')}:${String(t % 60).padStart(2, '0')}.000000Z`;

describe('Leases', () => {
  it('lists the Node Leases and the leader Leases with the real columns', () => {
    const s = sim();
    run(s, 37);
    expect(kubectl(s, 'get leases -A')).toBe([
      'NAMESPACE         NAME                      HOLDER                        AGE',
      'kube-node-lease   node-a                    node-a                        37s',
      'kube-node-lease   node-b                    node-b                        37s',
      'kube-node-lease   node-c                    node-c                        37s',
      'kube-system       kube-controller-manager   control-plane_68b30cca-f42b   37s',
      'kube-system       kube-scheduler            control-plane_b1dd8b08-2a40   37s',
    ].join('\n'));
    expect(kubectl(s, 'get leases -n kube-node-lease').split('\n')[0]).toBe('NAME     HOLDER   AGE');
    expect(kubectl(s, 'get leases')).toBe('No resources found in default namespace.');
    expect(kubectl(s, 'api-resources')).toMatch(/^leases\s+coordination\.k8s\.io\/v1\s+true\s+Lease$/m);
  });

  it('the kubelet renews its Node Lease every 10 s; reading Leases changes nothing', () => {
    const s = sim();
    const before = stateHash(s);
    expect(lease(s, 'kube-node-lease', 'node-a').spec).toEqual({ holderIdentity: 'node-a', leaseDurationSeconds: 40, renewTime: stamp(0) });
    expect(stateHash(s)).toBe(before);
    run(s, 19);
    expect(lease(s, 'kube-node-lease', 'node-a').spec['renewTime']).toBe(stamp(10));
    run(s, 1);
    expect(lease(s, 'kube-node-lease', 'node-a').spec['renewTime']).toBe(stamp(20));
    const meta = lease(s, 'kube-node-lease', 'node-a').metadata;
    expect(meta['ownerReferences']).toEqual([{ apiVersion: 'v1', kind: 'Node', name: 'node-a', uid: s.nodes['node-a']!.metadata.uid }]);
    expect(meta['resourceVersion']).toBe(String(s.counters.resourceVersion));
    const hash = stateHash(s);
    kubectl(s, 'get leases -A -o yaml');
    kubectl(s, 'describe lease node-a -n kube-node-lease');
    expect(stateHash(s)).toBe(hash);
  });

  it('a failed node stops renewing; Unknown 50 s later; renewed again once it is back', () => {
    const s = sim({ incidents: [{ id: 'down', type: 'node-failure', at: 33, target: 'node-a', params: { recoverAfter: 90 } }] });
    run(s, 33);
    expect(s.nodes['node-a']!.sim.kubeletUp).toBe(false);
    run(s, 49); // t = 82
    expect(lease(s, 'kube-node-lease', 'node-a').spec['renewTime']).toBe(stamp(30)); // stale
    expect(lease(s, 'kube-node-lease', 'node-b').spec['renewTime']).toBe(stamp(80));
    expect(ready(s, 'node-a')).toBe('True');
    run(s, 1); // t = 83: 50 s after the kubelet stopped, 53 s after its last renewal
    expect(ready(s, 'node-a')).toBe('Unknown');
    expect(kubectl(s, 'describe lease node-a -n kube-node-lease')).toMatch(/Renew Time:\s+2025-01-01T00:00:30\.000000Z/);
    const cursor = changesSince(s, 0).cursor;
    run(s, 42); // t = 125: the machine came back (recoverAfter 90)
    expect(ready(s, 'node-a')).toBe('True');
    const back = s.nodes['node-a']!.sim.lastHeartbeat;
    expect(back).toBeGreaterThan(120);
    expect(lease(s, 'kube-node-lease', 'node-a').spec['renewTime']).toBe(stamp(back));
    run(s, 10);
    expect(lease(s, 'kube-node-lease', 'node-a').spec['renewTime']).toBe(stamp(back + 10));
    const logged = changesSince(s, cursor);
    expect(logged.resync).not.toBe(true);
    if (!logged.resync) expect(logged.changes.filter((c) => c.kind === 'Lease').map((c) => `${c.type} ${c.key}`)).toEqual(['MODIFIED kube-node-lease/node-a']);
  });

  it('an etcd quorum loss costs the controller-manager and the scheduler their Leases; new processes take them back', () => {
    const s = sim({ incidents: [{ id: 'etcd', type: 'etcd-quorum-loss', at: 20, target: 'etcd-1,etcd-2', params: {} }] });
    run(s, 20);
    const held = lease(s, 'kube-system', 'kube-controller-manager').spec;
    expect(held).toMatchObject({ holderIdentity: 'control-plane_68b30cca-f42b', leaseDurationSeconds: 15, acquireTime: stamp(0), leaseTransitions: 0 });
    run(s, 15); // t = 35: the renew deadline (10 s) passed at 29: the process exited
    expect(s.controlPlane.leases!.every((l) => l.holder === null)).toBe(true);
    // The Lease object is unchanged: the old holder, its last renewal, no transition yet.
    expect(lease(s, 'kube-system', 'kube-controller-manager').spec).toEqual(held);
    expect(kubectl(s, 'get leases -n kube-system')).toBe('Error from server: etcdserver: request timed out');
    const cursor = changesSince(s, 0).cursor;
    expect(applyAction(s, 'pat', { type: 'restoreEtcdMember', member: 'etcd-1' }).ok).toBe(true);
    run(s, 40); // t = 75: etcd-1 still restoring, still no new holder
    expect(lease(s, 'kube-system', 'kube-scheduler').spec['leaseTransitions']).toBe(0);
    run(s, 10); // quorum back at 78, a leader 1-2 s later: each component's new process acquires its Lease
    for (const name of ['kube-controller-manager', 'kube-scheduler']) {
      const spec = lease(s, 'kube-system', name).spec;
      expect(spec['leaseTransitions']).toBe(1);
      expect(spec['holderIdentity']).not.toBe(name === 'kube-scheduler' ? 'control-plane_b1dd8b08-2a40' : held['holderIdentity']);
      const event = s.events.find((e) => e.reason === 'LeaderElection' && e.object.name === name)!;
      expect(event.message).toBe(`${String(spec['holderIdentity'])} became leader`);
      expect(spec['acquireTime']).toBe(stamp(event.t));
      expect(spec['renewTime']).toBe(stamp(s.t));
    }
    expect(kubectl(s, 'describe lease kube-scheduler -n kube-system')).toMatch(/Lease Transitions:\s+1\n[\s\S]*Events:\n\s+Type\s+Reason[\s\S]*Normal\s+LeaderElection\s+\S+\s+default-scheduler\s+control-plane_\S+ became leader/);
    const logged = changesSince(s, cursor);
    if (!logged.resync) expect(logged.changes.filter((c) => c.kind === 'Lease').map((c) => `${c.type} ${c.key}`).sort()).toEqual(['MODIFIED kube-system/kube-controller-manager', 'MODIFIED kube-system/kube-scheduler']);
  });

  it('a crash-looping scheduler (control-plane-down) leaves its Lease to go stale; the restored one takes it back', () => {
    const s = sim({ kubeSystem: true, incidents: [{ id: 'cp', type: 'control-plane-down', at: 10, target: 'kube-scheduler', params: {} }] });
    run(s, 40);
    const spec = lease(s, 'kube-system', 'kube-scheduler').spec;
    expect(spec).toMatchObject({ holderIdentity: 'control-plane_b1dd8b08-2a40', renewTime: stamp(9), leaseTransitions: 0 });
    expect(lease(s, 'kube-system', 'kube-controller-manager').spec['renewTime']).toBe(stamp(40));
    expect(typeCommand(s, 'kubeadm init phase control-plane scheduler')).toMatch(/Creating static Pod manifest/);
    run(s, 3);
    const back = lease(s, 'kube-system', 'kube-scheduler').spec;
    expect(back['renewTime']).toBe(stamp(s.t));
    expect(back['acquireTime']).not.toBe(stamp(0));
  });
});
