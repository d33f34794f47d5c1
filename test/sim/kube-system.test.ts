/**
 * The kube-system objects (issue 6 deviation 8; shared/sim/kubeSystem.ts): the `kubernetes` Service,
 * CoreDNS behind `kube-dns`, kube-proxy on every Node and the control-plane static Pods, as a player
 * sees them in the console; on for scenarios, off for bare inputs. Times are sim seconds.
 */
import { describe, it, expect } from 'vitest';
import { createSim } from '../../shared/sim/index.ts';
import { resolveSimInput } from '../../server/scenarios/index.ts';
import { checkInvariants } from './invariants.ts';
import { etcdIncident, shopInput, stepN, typeCommand } from './game-fixtures.ts';

const rowsOf = (text: string) => text.split('\n').slice(1).filter((l) => l.trim() !== '');

describe('kube-system', () => {
  it('the kubernetes endpoints are the API servers (one per control-plane host, port 6443), no Pods', () => {
    const s = createSim({ ...shopInput(), kubeSystem: true });
    stepN(s, 5);
    expect(typeCommand(s, 'kubectl get endpoints kubernetes')).toMatch(/\nkubernetes\s+10\.0\.0\.10:6443,10\.0\.0\.11:6443,10\.0\.0\.12:6443\s+\d+s$/);
    expect(typeCommand(s, 'kubectl get endpointslices kubernetes')).toMatch(/\nkubernetes\s+IPv4\s+6443\s+10\.0\.0\.10,10\.0\.0\.11,10\.0\.0\.12\s+\d+s$/);
    const json = JSON.parse(typeCommand(s, 'kubectl get endpointslice kubernetes -o json')) as { endpoints: { addresses: string[]; conditions: { ready: boolean }; targetRef?: unknown; nodeName?: string }[] };
    expect(json.endpoints).toEqual([10, 11, 12].map((n) => ({ addresses: [`10.0.0.${n}`], conditions: { ready: true } })));
    const described = typeCommand(s, 'kubectl describe endpointslice kubernetes');
    expect(described).toMatch(/Addresses:\s+10\.0\.0\.10\n/);
    expect(described).toMatch(/NodeName:\s+<unset>/);
    expect(typeCommand(s, 'kubectl describe svc kubernetes')).toMatch(/\nEndpoints:\s+10\.0\.0\.10:6443,10\.0\.0\.11:6443,10\.0\.0\.12:6443\n/);
    expect(s.endpoints['default/kubernetes']!.endpoints).toEqual([]); // no Pod endpoint: traffic, logs and the map see none
    // an API server whose mirror Pod is not Ready leaves the list
    const pod = s.pods['kube-system/kube-apiserver-control-plane-1']!;
    pod.status.conditions = pod.status.conditions.map((c) => (c.type === 'Ready' ? { ...c, status: 'False' as const } : c));
    expect(typeCommand(s, 'kubectl get endpoints kubernetes')).toMatch(/\nkubernetes\s+10\.0\.0\.10:6443,10\.0\.0\.12:6443\s/);
  });

  it('lists CoreDNS, kube-proxy and the control-plane static Pods; the kubernetes and kube-dns Services', () => {
    const s = createSim({ ...shopInput(), kubeSystem: true });
    stepN(s, 5);
    const pods = typeCommand(s, 'kubectl get pods -n kube-system -o wide');
    const names = rowsOf(pods).map((l) => l.split(/\s+/)[0]!);
    expect(names.filter((n) => n.startsWith('coredns-'))).toHaveLength(2);
    expect(names.filter((n) => n.startsWith('kube-proxy-'))).toHaveLength(3);
    for (const c of ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler']) {
      expect(names.filter((n) => n.startsWith(`${c}-control-plane-`))).toEqual([`${c}-control-plane-0`, `${c}-control-plane-1`, `${c}-control-plane-2`]);
    }
    expect(rowsOf(pods).every((l) => /\s1\/1\s+Running\s+0\s/.test(l))).toBe(true);
    // kube-proxy on each worker, CoreDNS spread over two of them.
    const proxyNodes = rowsOf(pods).filter((l) => l.startsWith('kube-proxy-')).map((l) => l.split(/\s+/)[6]).sort();
    expect(proxyNodes).toEqual(['node-a', 'node-b', 'node-c']);
    const dnsNodes = new Set(rowsOf(pods).filter((l) => l.startsWith('coredns-')).map((l) => l.split(/\s+/)[6]));
    expect(dnsNodes.size).toBe(2);
    expect(typeCommand(s, 'kubectl get svc kubernetes')).toMatch(/kubernetes\s+ClusterIP\s+10\.96\.0\.1\s+<none>\s+443\/TCP/);
    expect(typeCommand(s, 'kubectl get svc -n kube-system')).toMatch(/kube-dns\s+ClusterIP\s+10\.96\.0\.10\s+<none>\s+53\/UDP,53\/TCP,9153\/TCP/);
    expect(typeCommand(s, 'kubectl get deployment -n kube-system')).toMatch(/coredns\s+2\/2\s+2\s+2/);
    const dns = typeCommand(s, 'kubectl describe deployment coredns -n kube-system');
    expect(dns).toMatch(/k8s-app=kube-dns/);
    expect(dns).toMatch(/cpu:\s+100m/);
    expect(dns).toMatch(/memory:\s+70Mi/);
    expect(dns).toMatch(/memory:\s+170Mi/);
    expect(typeCommand(s, 'kubectl get pods -A')).toMatch(/^NAMESPACE\s+NAME/);
    expect(typeCommand(s, 'kubectl describe pod kube-scheduler-control-plane-0 -n kube-system')).toMatch(/kubernetes\.io\/config\.source: file/);
    expect(checkInvariants(s)).toEqual([]);
  });

  it("CoreDNS carries kubeadm's probes (liveness /health 8080, readiness /ready 8181, ports it does not declare) and passes them", () => {
    const s = createSim({ ...shopInput(), kubeSystem: true });
    stepN(s, 90); // past the liveness probe's 60 s initial delay
    const pods = Object.values(s.pods).filter((p) => p.metadata.labels['k8s-app'] === 'kube-dns');
    expect(pods).toHaveLength(2);
    const d = typeCommand(s, `kubectl describe pod ${pods[0]!.metadata.name} -n kube-system`);
    expect(d).toMatch(/Liveness:\s+http-get http:\/\/:8080\/health delay=60s timeout=5s period=10s #success=1 #failure=5/);
    expect(d).toMatch(/Readiness:\s+http-get http:\/\/:8181\/ready delay=0s timeout=1s period=10s #success=1 #failure=3/);
    expect(d).not.toMatch(/Unhealthy/);
    for (const p of pods) {
      expect(p.sim.ready).toBe(true);
      expect(p.status.containerStatuses[0]!.restartCount).toBe(0);
    }
  });

  it('bare inputs have none; scenarios have them unless cluster.kubeSystem is false', () => {
    const bare = createSim(shopInput());
    expect(Object.keys(bare.pods).some((k) => k.startsWith('kube-system/'))).toBe(false);
    expect(bare.services['default/kubernetes']).toBeUndefined();
    const { input } = resolveSimInput({ scenario: 'guestbook', seed: 1 });
    expect(input.kubeSystem).toBe(true);
    const s = createSim(input);
    expect(s.deployments['kube-system/coredns']).toBeDefined();
    expect(s.pods['kube-system/etcd-control-plane-0']).toBeDefined();
  });

  it('static Pods follow the control plane: kube-apiserver unready without quorum, restarts after a lost Lease; a deleted mirror Pod comes back', () => {
    const s = createSim({ ...shopInput({ incidents: [{ ...etcdIncident, at: 10 }] }), kubeSystem: true });
    stepN(s, 10);
    // No quorum: the API server cannot write the mirror Pods' status (they go stale) and kubectl fails.
    stepN(s, 30);
    expect(typeCommand(s, 'kubectl get pods -n kube-system')).toBe('Error from server: etcdserver: request timed out');
    expect(typeCommand(s, 'etcdctl snapshot restore snapshot.db --name etcd-1')).toMatch(/restored/);
    expect(typeCommand(s, 'etcdctl snapshot restore snapshot.db --name etcd-2')).toMatch(/restored/);
    stepN(s, 90);
    const pods = typeCommand(s, 'kubectl get pods -n kube-system');
    // The Lease holders exited once (10 s into the outage) and were restarted by the kubelet.
    expect(pods).toMatch(/kube-scheduler-control-plane-0\s+1\/1\s+Running\s+1 /);
    expect(pods).toMatch(/kube-controller-manager-control-plane-0\s+1\/1\s+Running\s+1 /);
    expect(pods).toMatch(/etcd-control-plane-1\s+1\/1\s+Running/);
    expect(typeCommand(s, 'kubectl delete pod kube-scheduler-control-plane-1 -n kube-system')).toMatch(/deleted/);
    stepN(s, 2);
    expect(typeCommand(s, 'kubectl get pods -n kube-system')).toMatch(/kube-scheduler-control-plane-1\s+1\/1\s+Running/);
    expect(checkInvariants(s)).toEqual([]);
  });
});
