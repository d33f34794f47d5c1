/**
 * `kubectl exec POD -- CMD` (shared/kubectl/exec.ts): env with the kubelet's Service variables, the
 * ClusterFirst resolv.conf, nslookup and curl of a Service answered from the state (a CoreDNS outage
 * times out, a Service without endpoints refuses), the runtime's errors; exec is a read: it draws
 * nothing from the PRNG and changes nothing (the state hash is unchanged).
 */
import { describe, expect, it } from 'vitest';
import { runKubectl } from '../../shared/kubectl/index.ts';
import { applyAction, createSim } from '../../shared/sim/index.ts';
import { hashValue } from '../../shared/sim/hash.ts';
import type { IncidentSpec, SimState } from '../../shared/sim/types.ts';
import { shopInput, stepN, typeCommand } from '../sim/game-fixtures.ts';

function shop(kubeSystem = true, incidents: IncidentSpec[] = []): SimState {
  const s = createSim({ ...shopInput({ incidents }), kubeSystem });
  stepN(s, 30);
  return s;
}

const podOf = (s: SimState, app: string): string => Object.values(s.pods).find((p) => p.metadata.labels['app'] === app && p.status.phase === 'Running')!.metadata.name;

describe('kubectl exec', () => {
  it('env lists the Pod spec env and the Service variables the kubelet injects', () => {
    const s = shop();
    const out = typeCommand(s, `kubectl exec ${podOf(s, 'frontend')} -- env`);
    const lines = out.split('\n');
    expect(lines[0]).toBe('PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin');
    expect(lines[1]).toBe(`HOSTNAME=${podOf(s, 'frontend')}`);
    const apiIp = typeCommand(s, 'kubectl get svc api -o jsonpath={.spec.clusterIP}');
    expect(apiIp).toMatch(/^10\.96\.\d+\.\d+$/);
    expect(lines).toContain(`API_SERVICE_HOST=${apiIp}`);
    expect(lines).toContain('API_SERVICE_PORT=80');
    expect(lines).toContain('API_SERVICE_PORT_HTTP=80');
    expect(lines).toContain(`API_PORT=tcp://${apiIp}:80`);
    expect(lines).toContain(`API_PORT_80_TCP_ADDR=${apiIp}`);
    expect(lines).toContain('KUBERNETES_SERVICE_HOST=10.96.0.1');
    expect(lines).toContain('KUBERNETES_SERVICE_PORT=443');
    expect(lines).toContain('KUBERNETES_SERVICE_PORT_HTTPS=443');
    // kube-dns lives in kube-system: not injected into default's Pods
    expect(out).not.toMatch(/KUBE_DNS_SERVICE_HOST/);
    expect(typeCommand(s, `kubectl exec ${podOf(s, 'frontend')} -- printenv API_SERVICE_HOST`)).toBe(apiIp);
  });

  it('cat /etc/resolv.conf is the ClusterFirst file', () => {
    const s = shop();
    expect(typeCommand(s, `kubectl exec ${podOf(s, 'api')} -- cat /etc/resolv.conf`)).toBe('search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5');
    expect(typeCommand(s, `kubectl exec ${podOf(s, 'api')} -- cat /etc/nope`)).toBe("cat: can't open '/etc/nope': No such file or directory\ncommand terminated with exit code 1");
  });

  it('nslookup answers ClusterIPs through the search list; NXDOMAIN for unknown names', () => {
    const s = shop();
    const pod = podOf(s, 'frontend');
    const apiIp = typeCommand(s, 'kubectl get svc api -o jsonpath={.spec.clusterIP}');
    const want = `Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\nName:\tapi.default.svc.cluster.local\nAddress: ${apiIp}\n`;
    expect(typeCommand(s, `kubectl exec ${pod} -- nslookup api`)).toBe(want);
    expect(typeCommand(s, `kubectl exec ${pod} -- nslookup api.default`)).toBe(want);
    expect(typeCommand(s, `kubectl exec ${pod} -- nslookup api.default.svc.cluster.local`)).toBe(want);
    expect(typeCommand(s, `kubectl exec ${pod} -- nslookup kube-dns.kube-system`)).toMatch(/Name:\tkube-dns\.kube-system\.svc\.cluster\.local\nAddress: 10\.96\.0\.10/);
    expect(typeCommand(s, `kubectl exec ${pod} -- nslookup nosuch`)).toBe("Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\n** server can't find nosuch: NXDOMAIN\ncommand terminated with exit code 1");
  });

  it('names of the cluster domain are answered fresh (kubeadm v1.32 Corefile: cache 30 with `disable success/denial cluster.local`): a deleted Service is NXDOMAIN at once, a new one resolves at once', () => {
    const s = shop();
    const pod = podOf(s, 'frontend');
    expect(typeCommand(s, `kubectl exec ${pod} -- nslookup api`)).toMatch(/Name:\tapi\.default\.svc\.cluster\.local/);
    expect(typeCommand(s, 'kubectl delete svc api')).toBe('service "api" deleted');
    expect(typeCommand(s, `kubectl exec ${pod} -- nslookup api`)).toMatch(/\*\* server can't find api: NXDOMAIN/);
    const created = applyAction(s, 'alice', { type: 'createService', manifest: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: api2\nspec:\n  selector:\n    app: api\n  ports:\n  - port: 80\n    targetPort: 8080\n' });
    expect(created).toMatchObject({ ok: true });
    expect(typeCommand(s, `kubectl exec ${pod} -- nslookup api2`)).toMatch(/Name:\tapi2\.default\.svc\.cluster\.local\nAddress: \d+\.\d+\.\d+\.\d+/);
  });

  it('curl of a Service: 200 and a time; -w http_code; an unknown host; an unexposed port', () => {
    const s = shop();
    const pod = podOf(s, 'frontend');
    expect(typeCommand(s, `kubectl exec ${pod} -- curl -s -o /dev/null -w '%{http_code}' http://api/`)).toBe('200');
    expect(typeCommand(s, `kubectl exec ${pod} -- curl -s http://api.default:80/healthz`)).toBe('OK');
    const t = typeCommand(s, `kubectl exec ${pod} -- curl -s -o /dev/null -w '%{time_total}' http://api`);
    expect(Number(t)).toBeGreaterThan(0);
    expect(typeCommand(s, `kubectl exec ${pod} -- curl http://nosuch/`)).toBe('curl: (6) Could not resolve host: nosuch\ncommand terminated with exit code 6');
    expect(typeCommand(s, `kubectl exec ${pod} -- curl -m 2 http://api:81/`)).toMatch(/^curl: \(28\) Failed to connect to api port 81 after 2000 ms: Couldn't connect to server\ncommand terminated with exit code 28$/);
    expect(typeCommand(s, `kubectl exec ${pod} -- curl -s -o /dev/null -w '%{http_code}' localhost:8080/healthz`)).toBe('200');
  });

  it('curl follows the Service error rate, and fails to connect without endpoints', () => {
    const s = shop();
    const pod = podOf(s, 'frontend');
    s.traffic['default/api']!.errorRate = 1;
    expect(typeCommand(s, `kubectl exec ${pod} -- curl -s -o /dev/null -w '%{http_code}' http://api/`)).toBe('503');
    expect(typeCommand(s, `kubectl exec ${pod} -- curl -sf http://api/`)).toBe('command terminated with exit code 22');
    s.traffic['default/api']!.errorRate = 0.5;
    const codes = new Set<string>();
    for (let i = 0; i < 40; i++) codes.add(typeCommand(s, `kubectl exec ${pod} -- curl -s -o /dev/null -w '%{http_code}' http://api/p${i}`));
    expect([...codes].sort()).toEqual(['200', '503']);
    expect(typeCommand(s, 'kubectl scale deployment/api --replicas=0')).toMatch(/scaled/);
    stepN(s, 5);
    expect(typeCommand(s, `kubectl exec ${pod} -- curl http://api/`)).toMatch(/^curl: \(7\) Failed to connect to api port 80 after \d ms: Couldn't connect to server\ncommand terminated with exit code 7$/);
  });

  it('during a CoreDNS outage nslookup times out and curl cannot resolve', () => {
    const s = createSim({ ...shopInput({ incidents: [{ id: 'dns', type: 'coredns-outage', at: 30, target: 'coredns', params: {} }] }), kubeSystem: true });
    stepN(s, 120);
    const pod = podOf(s, 'frontend');
    expect(typeCommand(s, 'kubectl get endpoints kube-dns -n kube-system')).toMatch(/kube-dns\s+<none>/);
    expect(typeCommand(s, `kubectl exec ${pod} -- nslookup api`)).toBe(';; connection timed out; no servers could be reached\ncommand terminated with exit code 1');
    expect(typeCommand(s, `kubectl exec ${pod} -- curl -sS http://api/`)).toBe('curl: (6) Could not resolve host: api\ncommand terminated with exit code 6');
  });

  it('errors: unknown command, Pod not running, unknown Pod or container, missing --', () => {
    const s = shop();
    const pod = podOf(s, 'api');
    expect(typeCommand(s, `kubectl exec ${pod} -- dig api`)).toBe('OCI runtime exec failed: exec failed: unable to start container process: exec: "dig": executable file not found in $PATH: unknown\ncommand terminated with exit code 126');
    expect(typeCommand(s, 'kubectl exec nope -- env')).toBe('Error from server (NotFound): pods "nope" not found');
    expect(typeCommand(s, `kubectl exec ${pod} -c x -- env`)).toBe(`Error from server (BadRequest): container x is not valid for pod ${pod}`);
    expect(typeCommand(s, `kubectl exec ${pod} env`)).toMatch(/^error: exec \[POD\] \[COMMAND\] is not supported anymore/);
    expect(typeCommand(s, `kubectl exec -it ${pod} -- sh`)).toMatch(/^error: the console cannot open an interactive shell/);
    expect(typeCommand(s, `kubectl exec -it ${pod} -- sh -c 'cat /etc/hostname'`)).toBe(pod);
    expect(typeCommand(s, `kubectl -n default exec ${pod} -- hostname`)).toBe(pod);
    expect(typeCommand(s, 'kubectl exec deployment/api -- hostname')).toMatch(/^api-/);
    // a Pod whose container is not running
    const p = s.pods[`default/${pod}`]!;
    p.status.containerStatuses[0]!.state = { waiting: { reason: 'CrashLoopBackOff' } };
    expect(typeCommand(s, `kubectl exec ${pod} -- env`)).toBe('error: unable to upgrade connection: container not found ("api")');
    delete p.spec.nodeName;
    expect(typeCommand(s, `kubectl exec ${pod} -- env`)).toBe(`Error from server (BadRequest): pod ${pod} does not have a host assigned`);
  });

  it('is a read: no PRNG draw, no change, same answer twice', () => {
    const s = shop();
    const pod = podOf(s, 'frontend');
    const before = hashValue(s);
    const lines = ['env', 'cat /etc/resolv.conf', 'nslookup api', "curl -s -o /dev/null -w '%{http_code} %{time_total}' http://api/"];
    for (const l of lines) {
      const r = runKubectl(s, `kubectl exec ${pod} -- ${l}`);
      expect(r.kind).toBe('output');
      expect(runKubectl(s, `kubectl exec ${pod} -- ${l}`)).toEqual(r);
    }
    expect(hashValue(s)).toBe(before);
    expect(s.counters.actions).toBe(0);
  });
});
