import { describe, it, expect } from 'vitest';
import { createSim } from '../../shared/sim/index.ts';
import { nextImageVersion } from '../../shared/sim/incidents/bad-rollout.ts';
import { membersToStop } from '../../shared/sim/incidents/etcd-quorum-loss.ts';
import { incidentTypes } from '../../shared/sim/incidents/index.ts';
import { feedRows } from './fixtures.ts';
import { badRolloutIncident, etcdIncident, memoryLeakIncident, nodeIncident, podsOf, shopInput, stepN, typeCommand } from './game-fixtures.ts';

describe('bad-rollout', () => {
  it('raises the frontend error rate; rollout undo restores it and mitigates the incident', () => {
    const s = createSim(shopInput({ incidents: [badRolloutIncident] }));
    stepN(s, 59);
    expect(s.traffic['default/frontend']!.errorRate).toBeLessThan(0.001);
    stepN(s, 60); // t = 119: the rollout went through (readiness only checks "process up")
    const inc = s.incidents[0]!;
    expect(inc.status).toBe('active');
    expect(inc.startedAt).toBe(60);
    expect(inc.data['badImage']).toBe('shop/frontend:v1.4.3');
    expect(typeCommand(s, 'kubectl rollout status deployment/frontend')).toBe('deployment "frontend" successfully rolled out');
    expect(s.traffic['default/frontend']!.errorRate).toBeGreaterThan(0.25);
    expect(s.alerts.find((a) => a.id === 'availability-page-fast')!.firing).toBe(true);
    // In the events feed (a game notice), never in kubectl get events (no Kubernetes component records it).
    expect(feedRows(s).some((e) => e.reason === 'IncidentStarted' && e.type === 'Warning')).toBe(true);
    expect(typeCommand(s, 'kubectl get events -A')).not.toContain('IncidentStarted');

    expect(typeCommand(s, 'kubectl rollout undo deployment/frontend')).toMatch(/rolled back/);
    stepN(s, 60);
    expect(s.traffic['default/frontend']!.errorRate).toBeLessThan(0.001);
    expect(podsOf(s, 'frontend').every((p) => p.sim.image === 'shop/frontend:v1.4.2')).toBe(true);
    expect(inc.status).toBe('mitigated');
    expect(inc.data['playerActed']).toBe(true);
    expect(inc.mitigatedAt! - inc.startedAt!).toBeLessThan(120);
    expect(feedRows(s).some((e) => e.reason === 'IncidentMitigated' && e.type === 'Normal')).toBe(true);
    expect(s.alerts.find((a) => a.id === 'availability-page-fast')!.firing).toBe(false);
  });

  it('derives the next version from the current tag', () => {
    expect(nextImageVersion('shop/frontend:v1.4.2')).toBe('shop/frontend:v1.4.3');
    expect(nextImageVersion('nginx:1.27')).toBe('nginx:1.28');
    expect(nextImageVersion('app:latest')).toBe('app:latest-next');
    expect(nextImageVersion('registry:5000/app')).toBe('registry:5000/app:next');
  });
});

describe('memory-leak', () => {
  it('ends in OOMKilled / CrashLoopBackOff visible in kubectl get pods; a higher limit fixes it', () => {
    const s = createSim(shopInput({ incidents: [memoryLeakIncident] }));
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      stepN(s, 1);
      for (const line of typeCommand(s, 'kubectl get pods').split('\n')) if (line.startsWith('api-')) seen.add(line.split(/\s+/)[2]!);
    }
    expect(seen.has('OOMKilled')).toBe(true);
    expect(seen.has('CrashLoopBackOff')).toBe(true);
    // OOMKilled is the container's last state, not an event; the kubelet's events are the back-offs.
    expect(typeCommand(s, 'kubectl get events')).toMatch(/BackOff\s+pod\/api-\S+\s+Back-off restarting failed container api in pod/);
    expect(typeCommand(s, 'kubectl get events')).not.toMatch(/OOMKilled/);
    const crashing = podsOf(s, 'api').find((p) => p.status.containerStatuses[0]!.restartCount > 0)!;
    expect(typeCommand(s, `kubectl describe pod ${crashing.metadata.name}`)).toMatch(/Last State:\s+Terminated\n\s+Reason:\s+OOMKilled/);
    const inc = s.incidents[0]!;
    expect(inc.status).toBe('active');
    expect(inc.data['plateauMiB']).toBe(400);

    // restarting only buys time: same image, same limit
    expect(typeCommand(s, 'kubectl set resources deployment/api --limits=memory=512Mi')).toMatch(/resource requirements updated/);
    stepN(s, 120);
    expect(inc.status).toBe('mitigated');
    expect(podsOf(s, 'api').filter((p) => p.sim.ready).every((p) => p.sim.memLimitMiB === 512)).toBe(true);
    stepN(s, 300);
    expect(typeCommand(s, 'kubectl get pods').split('\n').filter((l) => l.startsWith('api-')).every((l) => / Running /.test(l))).toBe(true);
  });

  it('starts when it strikes: usage climbs in kubectl top pods before the first OOMKilled', () => {
    const s = createSim(shopInput({ incidents: [memoryLeakIncident] }));
    const at = memoryLeakIncident.at;
    stepN(s, at);
    const before = podsOf(s, 'api').map((p) => p.sim.memoryMiB);
    stepN(s, 10);
    const pods = podsOf(s, 'api');
    // Still running, nobody killed yet, but every api pod has grown since the leak began.
    expect(pods.every((p) => p.status.containerStatuses[0]!.restartCount === 0)).toBe(true);
    expect(pods.every((p, i) => p.sim.memoryMiB > before[i]!)).toBe(true);
    expect(pods.every((p) => p.status.containerStatuses[0]!.lastState.terminated === undefined)).toBe(true);
  });

  it('is not mitigated by a rollout restart', () => {
    const s = createSim(shopInput({ incidents: [memoryLeakIncident] }));
    stepN(s, 100);
    typeCommand(s, 'kubectl rollout restart deployment/api');
    stepN(s, 200);
    expect(s.incidents[0]!.status).toBe('active');
  });
});

describe('etcd-quorum-loss', () => {
  it('makes kubectl reads fail; etcdctl snapshot restore of a member brings the API back', () => {
    const s = createSim(shopInput({ incidents: [etcdIncident] }));
    stepN(s, 31);
    expect(s.controlPlane.etcd.hasQuorum).toBe(false);
    expect(typeCommand(s, 'kubectl get pods')).toBe('Error from server: etcdserver: request timed out');
    expect(typeCommand(s, 'kubectl scale deployment/api --replicas=4')).toBe('Error from server: etcdserver: request timed out');
    // member list goes through Raft: it times out without quorum; endpoint health asks each member.
    expect(typeCommand(s, 'etcdctl member list')).toBe('Error: context deadline exceeded');
    expect(typeCommand(s, 'etcdctl endpoint health')).toMatch(/Error: unhealthy cluster/);
    expect(typeCommand(s, 'etcdctl member restore etcd-1')).toMatch(/^Error: unknown command "restore" for "etcdctl member"/);
    // running pods keep serving
    expect(s.traffic['default/frontend']!.errorRate).toBeLessThan(0.001);

    expect(typeCommand(s, 'etcdctl snapshot save /tmp/snap.db')).toBe('Snapshot saved at /tmp/snap.db');
    expect(typeCommand(s, 'etcdctl snapshot restore /tmp/snap.db --name etcd-1 --data-dir /var/lib/etcd-restored')).toMatch(/etcd-1/);
    stepN(s, 120);
    expect(s.controlPlane.etcd.hasQuorum).toBe(true);
    expect(typeCommand(s, 'kubectl get pods')).toMatch(/^NAME\s+READY\s+STATUS/);
    const inc = s.incidents[0]!;
    expect(inc.status).toBe('mitigated');
    expect(inc.data['playerActed']).toBe(true);
  });

  it('stops just enough members by default', () => {
    const s = createSim(shopInput());
    expect(membersToStop(s, { id: 'x', type: 'etcd-quorum-loss', at: 0, target: '', params: {} })).toEqual(['etcd-1', 'etcd-2']);
    expect(membersToStop(s, { id: 'x', type: 'etcd-quorum-loss', at: 0, target: '', params: { members: ['etcd-0', 'etcd-2'] } })).toEqual(['etcd-0', 'etcd-2']);
  });
});

describe('node-failure', () => {
  it('takes the node down; its pods are replaced elsewhere and the incident closes by itself', () => {
    const s = createSim(shopInput({ incidents: [nodeIncident] }));
    stepN(s, 100);
    expect(typeCommand(s, 'kubectl get nodes')).toMatch(/node-a\s+NotReady/);
    expect(s.incidents[0]!.status).toBe('active');
    stepN(s, 400);
    const inc = s.incidents[0]!;
    expect(inc.status).toBe('mitigated');
    expect(inc.data['playerActed']).toBe(false);
    const ready = Object.values(s.pods).filter((p) => p.sim.ready);
    expect(ready.every((p) => p.spec.nodeName !== 'node-a')).toBe(true);
  });

  it('comes back after recoverAfter seconds', () => {
    const s = createSim(shopInput({ incidents: [{ ...nodeIncident, params: { recoverAfter: 60 } }] }));
    stepN(s, 200);
    expect(s.nodes['node-a']!.sim.kubeletUp).toBe(true);
    expect(typeCommand(s, 'kubectl get nodes')).toMatch(/node-a\s+Ready/);
    expect(s.incidents[0]!.status).toBe('mitigated');
  });
});

describe('incident lifecycle', () => {
  it('closes an incident whose target does not exist, with a Warning in the events feed', () => {
    const s = createSim(shopInput({ incidents: [{ ...badRolloutIncident, target: 'nope', at: 5 }] }));
    stepN(s, 6);
    expect(s.incidents[0]!.status).toBe('mitigated');
    expect(s.incidents[0]!.data['error']).toMatch(/not found/);
    expect(feedRows(s).some((e) => e.reason === 'IncidentInvalid' && e.type === 'Warning')).toBe(true);
  });

  it('has a handler for every incident type', () => {
    expect(Object.keys(incidentTypes).sort()).toEqual(expect.arrayContaining(['bad-rollout', 'etcd-quorum-loss', 'memory-leak', 'node-failure', 'pod-kill', 'slow-dependency', 'traffic-spike']));
  });
});
