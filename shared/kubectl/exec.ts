/**
 * The console's `kubectl exec POD [-c CONTAINER] [-i] [-t] -- COMMAND [ARGS...]` (also
 * `deployment/NAME`: one of its Pods, as kubectl picks the first) for a few read-only diagnostic
 * commands, answered from the state like the container would:
 *
 * - `env` / `printenv [NAME]`: `PATH`, `HOSTNAME`, the container's `env` from the Pod spec, then the
 *   Service environment variables the kubelet injects for every Service of the Pod's namespace with a
 *   ClusterIP, and for the `kubernetes` Service (`X_SERVICE_HOST`, `X_SERVICE_PORT`,
 *   `X_SERVICE_PORT_<PORTNAME>`, the Docker-link `X_PORT`, `X_PORT_<P>_<PROTO>[_PROTO|_PORT|_ADDR]`:
 *   K pkg/kubelet/envvars/envvars.go `FromServices`; W concepts/services-networking/service
 *   "Environment variables"), then `HOME=/root`.
 * - `cat /etc/resolv.conf` (the kubelet's ClusterFirst file: `search NS.svc.cluster.local
 *   svc.cluster.local cluster.local`, `nameserver` = the kube-dns ClusterIP 10.96.0.10, `options
 *   ndots:5`; W concepts/services-networking/dns-pod-service), `/etc/hostname`, `/etc/hosts`.
 * - `nslookup NAME`: bind's nslookup (the dnsutils image of W tasks/administer-cluster/
 *   dns-debugging-resolution): the search list is tried as the resolver would (names with fewer than 5
 *   dots), a Service answers its ClusterIP (a headless one its ready endpoints); while `kube-dns` has no
 *   ready endpoint `;; connection timed out; no servers could be reached` (exit 1); an unknown name
 *   `** server can't find NAME: NXDOMAIN` (exit 1). Answers are fresh: kubeadm's v1.32 Corefile has
 *   `cache 30 { disable success cluster.local; disable denial cluster.local }` (kubernetes PR 128359),
 *   so the cluster domain is answered from the kubernetes plugin's watch, not the 30 s cache (which only
 *   keeps names forwarded upstream; the sim has none), and Pods' resolvers do not cache.
 * - `curl [-s] [-S] [-f] [-i] [-o FILE] [-w FORMAT] [-m SECS] URL` of a Service
 *   (`http://SVC[.NS[.svc[.cluster.local]]][:PORT][/PATH]`, or its ClusterIP, or `localhost:PORT`): the
 *   status (200, or 503 with the Service's current error rate) and the time (between its p50 and p99)
 *   come from the Service's figures of the last tick (`state.traffic`, shared/sim/traffic.ts); no ready
 *   endpoint: `curl: (7) Failed to connect ...` (kube-proxy rejects: no endpoints), DNS down or an
 *   unknown host: `curl: (6) Could not resolve host: H`. `-w` knows `%{http_code}`,
 *   `%{time_total}`, `%{time_starttransfer}`, `%{remote_ip}`, `%{remote_port}`, `%{url_effective}`, `\n`.
 * - `hostname`.
 *
 * Which request fails and how long it takes is a pure hash of (tick, pod, URL): the same line at the
 * same tick answers the same, and exec draws nothing from the sim's PRNG (it is a read, never an action).
 *
 * Errors as kubectl / the runtime print them: a Pod not bound yet `Error from server (BadRequest): pod
 * X does not have a host assigned`; a container not running `error: unable to upgrade connection:
 * container not found ("C")`; a finished Pod `error: cannot exec into a container in a completed pod;
 * current phase is Succeeded`; a Node whose kubelet is down `Error from server: error dialing backend:
 * dial tcp IP:10250: connect: no route to host`; an unknown command the OCI runtime's `exec: "x":
 * executable file not found in $PATH` (exit 126). A command exiting non-zero ends with kubectl's
 * `command terminated with exit code N` and is returned as an error.
 *
 * Simplifications: every image has these tools (a distroless image would have none); interactive shells
 * (`sh`, `bash`) are refused with a hint; (issue 6) `envFrom` and `valueFrom` ConfigMap / Secret keys are resolved.
 *
 * May import: ../sim/* (read only), ./parse.ts, ./cluster.ts.
 */
import { containerEnv } from '../sim/kinds/config.ts';
import { downwardEnvValue } from '../sim/configs.ts';
import { fnv1a64 } from '../sim/hash.ts';
import { KUBE_DNS_IP, KUBERNETES_SERVICE_IP } from '../sim/kubeSystem.ts';
import { podReady } from '../sim/status.ts';
import type { Pod, Service, SimState } from '../sim/types.ts';
import { clusterIp, inNamespace, nodeIp, podIp } from './cluster.ts';
import { USAGE_HINT, UsageError, parseArgs, type FlagDef } from './parse.ts';

/** `kubectl exec` flags the console takes (`-i`/`-t` accepted, nothing is interactive). */
export const EXEC_FLAGS: FlagDef[] = [
  { name: 'container', short: 'c', value: true },
  { name: 'stdin', short: 'i', value: false },
  { name: 'tty', short: 't', value: false },
  { name: 'quiet', short: 'q', value: false },
];

/** The cluster's DNS domain (kubeadm's default `cluster.local`). */
export const CLUSTER_DOMAIN = 'cluster.local';

/** What one command printed and its exit code. */
interface ExecOutput {
  out: string;
  code: number;
}

const ok = (out: string): ExecOutput => ({ out, code: 0 });

/** A number in [0, 1) from a hash of `parts` (pure; replaces a random draw). */
function unit(...parts: (string | number)[]): number {
  return parseInt(fnv1a64(parts.join('\u0000')).slice(-8), 16) / 0x100000000;
}

/** `my-svc` -> `MY_SVC` (envvars.go `makeEnvVariableName`). */
function envName(name: string): string {
  return name.toUpperCase().replace(/-/g, '_');
}

/** ClusterIP of a Service as the sim prints it (`None` for a headless Service). */
function serviceIp(svc: Service): string {
  return clusterIp(`${svc.metadata.namespace}/${svc.metadata.name}`, svc.spec.clusterIP);
}

/** The Service env vars of one Service, in the kubelet's order (envvars.go `FromServices`). */
function serviceEnv(svc: Service): string[] {
  if (svc.spec.type === 'ExternalName' || svc.spec.clusterIP === 'None' || svc.spec.ports.length === 0) return [];
  const ip = svc.metadata.namespace === 'default' && svc.metadata.name === 'kubernetes' ? (svc.spec.clusterIP ?? KUBERNETES_SERVICE_IP) : serviceIp(svc);
  const prefix = envName(svc.metadata.name);
  const lines = [`${prefix}_SERVICE_HOST=${ip}`, `${prefix}_SERVICE_PORT=${svc.spec.ports[0]!.port}`];
  for (const p of svc.spec.ports) if (p.name) lines.push(`${prefix}_SERVICE_PORT_${envName(p.name)}=${p.port}`);
  svc.spec.ports.forEach((p, i) => {
    const proto = (p.protocol ?? 'TCP').toLowerCase();
    const url = `${proto}://${ip}:${p.port}`;
    if (i === 0) lines.push(`${prefix}_PORT=${url}`);
    const pp = `${prefix}_PORT_${p.port}_${proto.toUpperCase()}`;
    lines.push(`${pp}=${url}`, `${pp}_PROTO=${proto}`, `${pp}_PORT=${p.port}`, `${pp}_ADDR=${ip}`);
  });
  return lines;
}

/** The `kubernetes` Service (the state's, else the one every cluster has: 10.96.0.1:443 `https`). */
function kubernetesService(state: SimState): Service {
  return state.services['default/kubernetes'] ?? {
    apiVersion: 'v1', kind: 'Service',
    metadata: { name: 'kubernetes', namespace: 'default', labels: {} } as Service['metadata'],
    spec: { type: 'ClusterIP', selector: {}, ports: [{ name: 'https', port: 443, protocol: 'TCP' }], clusterIP: KUBERNETES_SERVICE_IP },
    status: { loadBalancer: {} },
  };
}

/**
 * (issue 6) The container's own variables: those the kubelet resolved when it created the running
 * container (`pod.sim.envAtStart`, kept for containers that read ConfigMaps / Secrets: a later change
 * of the object shows only after a restart, as on a real node), else resolved now (../sim/kinds/config.ts
 * containerEnv: literals only, or a Pod started before the snapshot was kept); `fieldRef` /
 * `resourceFieldRef` through the downward API (../sim/configs.ts `downwardEnvValue`: `metadata.name`,
 * `status.podIP`, `limits.cpu`...).
 */
function ownEnv(state: SimState, pod: Pod, c: Pod['spec']['containers'][number]): Map<string, string> {
  const snap = pod.sim.envAtStart?.find((x) => x.container === c.name);
  const vars = new Map(snap ? snap.vars : containerEnv(state, pod.metadata.namespace, c));
  for (const e of c.env) {
    const src = e.valueFrom;
    if (!src?.fieldRef && !src?.resourceFieldRef) continue;
    const v = downwardEnvValue(state, pod, c, src);
    if (v !== undefined) vars.set(e.name, v);
  }
  return vars;
}

function envLines(state: SimState, pod: Pod, container: string): string[] {
  const c = pod.spec.containers.find((x) => x.name === container)!;
  const vars = ownEnv(state, pod, c);
  const own = [...vars].map(([k, v]) => `${k}=${v}`);
  const ownNames = new Set(vars.keys());
  const services = inNamespace(state.services, pod.metadata.namespace).filter((s) => !(s.metadata.namespace === 'default' && s.metadata.name === 'kubernetes'));
  const injected = [...services, kubernetesService(state)].flatMap(serviceEnv).filter((l) => !ownNames.has(l.slice(0, l.indexOf('='))));
  return ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', `HOSTNAME=${pod.metadata.name}`, ...own, ...injected, 'HOME=/root'];
}

/** The Pod's /etc/resolv.conf under dnsPolicy ClusterFirst (the kubelet writes it). */
export function resolvConf(namespace: string): string {
  return `search ${namespace}.svc.${CLUSTER_DOMAIN} svc.${CLUSTER_DOMAIN} ${CLUSTER_DOMAIN}\nnameserver ${KUBE_DNS_IP}\noptions ndots:5`;
}

/** True when cluster DNS answers: no `kube-dns` Service in the state (not modelled), or it has a ready endpoint. */
export function clusterDnsUp(state: SimState): boolean {
  if (!state.services['kube-system/kube-dns']) return true;
  const slice = state.endpoints['kube-system/kube-dns'];
  return (slice?.endpoints ?? []).some((e) => e.conditions.ready && !e.conditions.terminating);
}

/** A name resolved by cluster DNS: the FQDN and the Service it names. */
interface Resolved {
  fqdn: string;
  svc: Service;
}

/** The Service `NAME.NS.svc.cluster.local` names, if any. */
function lookupFqdn(state: SimState, fqdn: string): Resolved | null {
  const suffix = `.svc.${CLUSTER_DOMAIN}`;
  if (!fqdn.endsWith(suffix)) return null;
  const parts = fqdn.slice(0, -suffix.length).split('.');
  if (parts.length !== 2) return null;
  const svc = state.services[`${parts[1]}/${parts[0]}`];
  return svc ? { fqdn, svc } : null;
}

/** Resolves `name` as the Pod's resolver would: the search list first when it has fewer than 5 dots. */
function resolveName(state: SimState, namespace: string, name: string): Resolved | null {
  const bare = name.toLowerCase().replace(/\.$/, '');
  const absolute = name.endsWith('.');
  const search = [`${namespace}.svc.${CLUSTER_DOMAIN}`, `svc.${CLUSTER_DOMAIN}`, CLUSTER_DOMAIN];
  const candidates = absolute || bare.split('.').length - 1 >= 5 ? [bare] : [...search.map((s) => `${bare}.${s}`), bare];
  for (const c of candidates) {
    const r = lookupFqdn(state, c);
    if (r) return r;
  }
  return null;
}

/** Addresses a resolved name answers: the ClusterIP, or a headless Service's ready endpoint addresses. */
function addressesOf(state: SimState, svc: Service): string[] {
  if (svc.spec.clusterIP !== 'None') return [serviceIp(svc)];
  const slice = state.endpoints[`${svc.metadata.namespace}/${svc.metadata.name}`];
  return (slice?.endpoints ?? []).filter((e) => e.conditions.ready && !e.conditions.terminating).flatMap((e) => e.addresses).sort();
}

function nslookup(state: SimState, namespace: string, args: string[]): ExecOutput {
  const name = args.find((a) => !a.startsWith('-'));
  if (name === undefined) return { out: 'Usage: nslookup [-opt ...] host [server]', code: 1 };
  if (!clusterDnsUp(state)) return { out: ';; connection timed out; no servers could be reached\n', code: 1 };
  const head = `Server:\t\t${KUBE_DNS_IP}\nAddress:\t${KUBE_DNS_IP}#53\n`;
  const r = resolveName(state, namespace, name);
  if (!r) return { out: `${head}\n** server can't find ${name}: NXDOMAIN\n`, code: 1 };
  const addrs = addressesOf(state, r.svc);
  if (addrs.length === 0) return { out: `${head}\n*** Can't find ${name}: No answer\n`, code: 1 };
  return ok(`${head}\n${addrs.map((a) => `Name:\t${r.fqdn}\nAddress: ${a}`).join('\n')}\n`);
}

/** curl's options the console understands (curl(1)). */
interface CurlOpts {
  silent: boolean;
  showError: boolean;
  fail: boolean;
  include: boolean;
  output: string | null;
  writeOut: string | null;
  maxTimeSec: number | null;
  url: string | null;
}

function parseCurl(args: string[]): CurlOpts | ExecOutput {
  const o: CurlOpts = { silent: false, showError: false, fail: false, include: false, output: null, writeOut: null, maxTimeSec: null, url: null };
  const unknown = (opt: string): ExecOutput => ({ out: `curl: option ${opt}: is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information`, code: 2 });
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const value = (): string | null => (i + 1 < args.length ? args[++i]! : null);
    if (a === '--silent') o.silent = true;
    else if (a === '--show-error') o.showError = true;
    else if (a === '--fail') o.fail = true;
    else if (a === '--include') o.include = true;
    else if (a === '--output' || a === '--write-out' || a === '--max-time' || a === '--connect-timeout') {
      const v = value();
      if (v === null) return { out: `curl: option ${a}: requires parameter\ncurl: try 'curl --help' or 'curl --manual' for more information`, code: 2 };
      if (a === '--output') o.output = v;
      else if (a === '--write-out') o.writeOut = v;
      else o.maxTimeSec = Number(v);
    } else if (a.startsWith('--')) return unknown(a);
    else if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const f = a[j]!;
        if (f === 's') o.silent = true;
        else if (f === 'S') o.showError = true;
        else if (f === 'f') o.fail = true;
        else if (f === 'i') o.include = true;
        else if (f === 'L' || f === 'k' || f === 'v') continue;
        else if (f === 'o' || f === 'w' || f === 'm') {
          const v = j + 1 < a.length ? a.slice(j + 1) : value();
          if (v === null) return { out: `curl: option -${f}: requires parameter\ncurl: try 'curl --help' or 'curl --manual' for more information`, code: 2 };
          if (f === 'o') o.output = v;
          else if (f === 'w') o.writeOut = v;
          else o.maxTimeSec = Number(v);
          break;
        } else return unknown(`-${f}`);
      }
    } else o.url = a;
  }
  if (o.maxTimeSec !== null && !(o.maxTimeSec > 0)) return { out: 'curl: (2) option -m: expected a proper numerical parameter', code: 2 };
  return o;
}

const REASON: Readonly<Record<number, string>> = { 200: 'OK', 503: 'Service Unavailable' };

function curl(state: SimState, pod: Pod, args: string[]): ExecOutput {
  const parsed = parseCurl(args);
  if ('code' in parsed) return parsed;
  const o = parsed;
  if (o.url === null) return { out: "curl: try 'curl --help' or 'curl --manual' for more information", code: 2 };
  const m = /^(?:(https?):\/\/)?([^/:?#]+)(?::(\d+))?([^?#]*)?/.exec(o.url);
  const err = (code: number, text: string): ExecOutput => ({ out: o.silent && !o.showError ? '' : `curl: (${code}) ${text}`, code });
  if (!m) return err(3, 'URL rejected: Malformed input to a URL function');
  const scheme = m[1] ?? 'http';
  const host = m[2]!;
  const port = m[3] !== undefined ? Number(m[3]) : scheme === 'https' ? 443 : 80;
  const path = m[4] === undefined || m[4] === '' ? '/' : m[4];
  const url = `${scheme}://${host}${m[3] !== undefined ? `:${port}` : ''}${path}`;
  const key = `${state.tick}:${pod.metadata.namespace}/${pod.metadata.name}:${url}`;
  let status: number;
  let ms: number;
  let remoteIp: string;
  if (host === 'localhost' || host === '127.0.0.1') {
    // The container itself: answers while it is Ready (what its readiness probe sees), else refuses.
    remoteIp = '127.0.0.1';
    const listening = pod.spec.containers.some((c) => c.ports.length === 0 || c.ports.some((p) => p.containerPort === port));
    if (!listening) return err(7, `Failed to connect to ${host} port ${port} after 0 ms: Couldn't connect to server`);
    status = podReady(pod) ? 200 : 503;
    ms = 1 + Math.floor(unit(key, 'ms') * 3);
  } else {
    let svc: Service | undefined;
    if (/^\d+\.\d+\.\d+\.\d+$/.test(host)) {
      svc = Object.keys(state.services).sort().map((k) => state.services[k]!).find((s) => s.spec.clusterIP !== 'None' && serviceIp(s) === host);
      if (!svc) return err(28, `Failed to connect to ${host} port ${port} after ${o.maxTimeSec !== null ? Math.round(o.maxTimeSec * 1000) : 130000} ms: Couldn't connect to server`);
    } else {
      if (!clusterDnsUp(state)) return err(6, `Could not resolve host: ${host}`);
      const r = resolveName(state, pod.metadata.namespace, host);
      if (!r) return err(6, `Could not resolve host: ${host}`);
      svc = r.svc;
    }
    const svcKey = `${svc.metadata.namespace}/${svc.metadata.name}`;
    remoteIp = svc.spec.clusterIP === 'None' ? (addressesOf(state, svc)[0] ?? '') : serviceIp(svc);
    if (!svc.spec.ports.some((p) => p.port === port)) {
      // No kube-proxy rule for that port on the virtual IP: the SYN goes nowhere.
      const after = o.maxTimeSec !== null ? Math.round(o.maxTimeSec * 1000) : 130000;
      return err(28, `Failed to connect to ${host} port ${port} after ${after} ms: Couldn't connect to server`);
    }
    const ready = (state.endpoints[svcKey]?.endpoints ?? []).filter((e) => e.conditions.ready && !e.conditions.terminating).length;
    if (ready === 0 || remoteIp === '') return err(7, `Failed to connect to ${host} port ${port} after ${1 + Math.floor(unit(key, 'refused') * 2)} ms: Couldn't connect to server`);
    const t = state.traffic[svcKey];
    const errorRate = t?.errorRate ?? 0;
    const p50 = t?.p50Ms ?? 5;
    const p99 = Math.max(p50, t?.p99Ms ?? 20);
    status = unit(key, 'status') < errorRate ? 503 : 200;
    const u = unit(key, 'latency');
    // Between 0.6 x p50 and p50 for the faster half, log-interpolated from p50 to p99 above, past p99 in the last 1 %.
    ms = u < 0.5 ? p50 * (0.6 + 0.8 * u) : u < 0.99 ? p50 * Math.pow(p99 / p50, (u - 0.5) / 0.49) : p99 * (1 + (u - 0.99) * 20);
  }
  if (o.maxTimeSec !== null && ms > o.maxTimeSec * 1000) {
    const after = Math.round(o.maxTimeSec * 1000) + 1;
    return err(28, `Operation timed out after ${after} milliseconds with 0 bytes received`);
  }
  const body = status === 200 ? 'OK\n' : 'upstream error: Service Unavailable\n';
  const parts: string[] = [];
  if (o.fail && status >= 400) {
    const e = err(22, `The requested URL returned error: ${status}`);
    return { out: [o.writeOut !== null ? writeOut(o.writeOut, status, ms, remoteIp, port, url) : '', e.out].filter((x) => x !== '').join('\n'), code: 22 };
  }
  if (o.include) parts.push(`HTTP/1.1 ${status} ${REASON[status] ?? ''}\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: ${body.length}\r\n\r\n`.replace(/\r/g, ''));
  if (o.output === null || o.output === '-') parts.push(body);
  if (o.writeOut !== null) parts.push(writeOut(o.writeOut, status, ms, remoteIp, port, url));
  return ok(parts.join('').replace(/\n$/, ''));
}

/** curl's `-w` format with the variables the console knows (seconds with 6 decimals, as curl prints them). */
function writeOut(format: string, status: number, ms: number, ip: string, port: number, url: string): string {
  const secs = (ms / 1000).toFixed(6);
  const vars = new Map<string, string>([
    ['http_code', String(status)], ['response_code', String(status)], ['time_total', secs],
    ['time_starttransfer', (ms * 0.98 / 1000).toFixed(6)], ['time_connect', (Math.min(ms, 1) / 1000).toFixed(6)],
    ['remote_ip', ip], ['remote_port', String(port)], ['url_effective', url], ['exitcode', '0'],
  ]);
  return format.replace(/%\{([a-z_]+)\}/g, (all, v: string) => vars.get(v) ?? all).replace(/\\n/g, '\n').replace(/\\t/g, '\t');
}

function cat(state: SimState, pod: Pod, files: string[]): ExecOutput {
  const out: string[] = [];
  let code = 0;
  for (const f of files) {
    if (f === '/etc/resolv.conf') out.push(resolvConf(pod.metadata.namespace));
    else if (f === '/etc/hostname') out.push(pod.metadata.name);
    else if (f === '/etc/hosts') {
      out.push(`# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n${podIp(state, pod)}\t${pod.metadata.name}`);
    } else {
      out.push(`cat: can't open '${f}': No such file or directory`);
      code = 1;
    }
  }
  if (files.length === 0) return ok('');
  return { out: out.join('\n'), code };
}

const SHELLS = new Set(['sh', 'bash', 'ash', 'zsh', '/bin/sh', '/bin/bash', '/bin/ash']);
const EXEC_HELP = 'kubectl exec POD [-c CONTAINER] -- env | printenv [NAME] | cat /etc/resolv.conf | nslookup NAME | curl [-s] [-o /dev/null -w \'%{http_code}\'] http://SVC[:PORT]/PATH | hostname';

function runCommand(state: SimState, pod: Pod, container: string, cmd: string[]): ExecOutput {
  const [bin, ...rest] = cmd;
  const base = bin!.slice(bin!.lastIndexOf('/') + 1);
  switch (base) {
    case 'env':
      return ok(envLines(state, pod, container).join('\n'));
    case 'printenv': {
      const lines = envLines(state, pod, container);
      if (rest.length === 0) return ok(lines.join('\n'));
      const values = rest.map((n) => lines.find((l) => l.startsWith(`${n}=`))?.slice(n.length + 1));
      return { out: values.filter((v) => v !== undefined).join('\n'), code: values.some((v) => v === undefined) ? 1 : 0 };
    }
    case 'cat': return cat(state, pod, rest);
    case 'nslookup': return nslookup(state, pod.metadata.namespace, rest);
    case 'curl': return curl(state, pod, rest);
    case 'hostname': return ok(pod.metadata.name);
    default:
      if (SHELLS.has(bin!)) {
        const c = rest[0] === '-c' && rest[1] !== undefined ? rest[1] : null;
        if (c !== null) return runCommand(state, pod, container, c.trim().split(/\s+/));
        return { out: `error: the console cannot open an interactive shell; run one command instead:\n  ${EXEC_HELP}`, code: -1 };
      }
      return { out: `OCI runtime exec failed: exec failed: unable to start container process: exec: "${bin}": executable file not found in $PATH: unknown`, code: 126 };
  }
}

/** The Pod `exec` targets: `POD`, `pod/POD` or `deployment/NAME` (its first running Pod, by name). */
function targetPod(state: SimState, ns: string, target: string): Pod {
  const slash = target.indexOf('/');
  if (slash > 0) {
    const type = target.slice(0, slash).toLowerCase();
    const name = target.slice(slash + 1);
    if (type === 'pod' || type === 'pods' || type === 'po') return targetPod(state, ns, name);
    if (type === 'deployment' || type === 'deployments' || type === 'deploy') {
      const d = state.deployments[`${ns}/${name}`];
      if (!d) throw new UsageError(`Error from server (NotFound): deployments.apps "${name}" not found`);
      const sel = d.spec.selector.matchLabels;
      const pods = inNamespace(state.pods, ns).filter((p) => Object.entries(sel).every(([k, v]) => p.metadata.labels[k] === v) && p.metadata.deletionTimestamp === undefined);
      const pick = pods.find((p) => p.status.phase === 'Running') ?? pods[0];
      if (!pick) throw new UsageError(`error: timed out waiting for the condition`);
      return pick;
    }
    throw new UsageError(`error: cannot attach to ${type}: selector for ${type} not implemented`);
  }
  const pod = state.pods[`${ns}/${target}`];
  if (!pod) throw new UsageError(`Error from server (NotFound): pods "${target}" not found`);
  return pod;
}

/**
 * Runs `kubectl exec ...` (`words` after `exec`) against `state` (not mutated; no PRNG draw).
 * Returns the command's output (exit 0) or, for a non-zero exit, `{error}` with kubectl's `command
 * terminated with exit code N` line. @throws UsageError with kubectl's text for a bad line or a Pod that
 * cannot be exec'ed into.
 */
export function runExec(state: SimState, words: string[]): { kind: 'output'; output: string } | { kind: 'error'; error: string } {
  const dash = words.indexOf('--');
  const before = dash < 0 ? words : words.slice(0, dash);
  const cmd = dash < 0 ? [] : words.slice(dash + 1);
  const args = parseArgs(before.flatMap((w) => (w === '-it' || w === '-ti' ? ['-i', '-t'] : [w])), EXEC_FLAGS);
  const ns = typeof args.flags['namespace'] === 'string' && args.flags['namespace'] !== '' ? args.flags['namespace'] : 'default';
  const target = args.positional[0];
  if (target === undefined) throw new UsageError(`error: pod, type/name or --filename must be specified\n${USAGE_HINT}`);
  if (dash < 0 && args.positional.length > 1) throw new UsageError(`error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead\nSee 'kubectl exec -h' for help and examples`);
  if (args.positional.length > 1) throw new UsageError(`error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead`);
  if (cmd.length === 0) throw new UsageError(`error: you must specify at least one command for the container\n  ${EXEC_HELP}`);
  const pod = targetPod(state, ns, target);
  const name = pod.metadata.name;
  const containerFlag = typeof args.flags['container'] === 'string' ? args.flags['container'] : undefined;
  const names = pod.spec.containers.map((c) => c.name);
  if (containerFlag !== undefined && !names.includes(containerFlag)) throw new UsageError(`Error from server (BadRequest): container ${containerFlag} is not valid for pod ${name}`);
  const container = containerFlag ?? names[0]!;
  const defaulted = containerFlag === undefined && names.length > 1 && args.flags['quiet'] !== true ? `Defaulted container "${container}" out of: ${names.join(', ')}\n` : '';
  if (pod.status.phase === 'Succeeded' || pod.status.phase === 'Failed') throw new UsageError(`error: cannot exec into a container in a completed pod; current phase is ${pod.status.phase}`);
  if (!pod.spec.nodeName) throw new UsageError(`Error from server (BadRequest): pod ${name} does not have a host assigned`);
  const node = state.nodes[pod.spec.nodeName];
  if (node && !node.sim.kubeletUp) throw new UsageError(`Error from server: error dialing backend: dial tcp ${nodeIp(state, node.metadata.name)}:10250: connect: no route to host`);
  const cs = pod.status.containerStatuses.find((c) => c.name === container);
  if (!cs || cs.state.running === undefined) throw new UsageError(`error: unable to upgrade connection: container not found ("${container}")`);
  const r = runCommand(state, pod, container, cmd);
  if (r.code === -1) throw new UsageError(r.out);
  if (r.code === 0) return { kind: 'output', output: defaulted + r.out };
  return { kind: 'error', error: `${defaulted}${r.out}${r.out === '' || r.out.endsWith('\n') ? '' : '\n'}command terminated with exit code ${r.code}` };
}
