/**
 * The objects every real cluster has besides the workloads (issue 6 deviation 8), added by createSim
 * when `input.kubeSystem` is true (shared/scenario turns it on for every scenario unless
 * `cluster.kubeSystem: false`):
 *
 * - the `kubernetes` Service in `default` (ClusterIP 10.96.0.1, port 443; its endpoints are the API
 *   servers, which the sim does not list: see docs/fidelity.md);
 * - in `kube-system`, as kubeadm v1.32 installs them (kubernetes/cmd/kubeadm/app/phases/addons/dns/manifests.go,
 *   .../proxy/manifests.go): the CoreDNS Deployment `coredns` (2 replicas, label `k8s-app: kube-dns`,
 *   requests 100m CPU / 70Mi, limit 170Mi memory, RollingUpdate maxUnavailable 1, kubeadm's liveness
 *   (`/health` 8080) and readiness (`/ready` 8181) probes, tolerations
 *   CriticalAddonsOnly and the control-plane taint) behind the `kube-dns` Service (ClusterIP
 *   10.96.0.10, ports 53/UDP, 53/TCP, 9153/TCP); the `kube-proxy` DaemonSet (label `k8s-app:
 *   kube-proxy`, no requests: BestEffort, tolerates every taint) on every Node;
 * - the control-plane static Pods, mirrored by the kubelet into the API (`kubernetes.io/config.mirror`):
 *   `etcd-<host>`, `kube-apiserver-<host>`, `kube-controller-manager-<host>`, `kube-scheduler-<host>` on
 *   each control-plane host (stacked etcd: one host per etcd member, {@link controlPlaneHosts}), with
 *   kubeadm's requests (etcd 100m/100Mi, apiserver 250m, controller-manager 200m, scheduler 100m). Their
 *   status reflects what the sim models (shared/sim/controllers/etcd.ts): an etcd Pod is Ready while its
 *   member is healthy; kube-apiserver while etcd has quorum and a leader (its `/readyz` etcd check);
 *   kube-controller-manager / kube-scheduler count a restart each time the process lost its Lease and
 *   exited, and crash-loop while their static Pod is broken (`controlPlane.brokenStaticPods`, the
 *   control-plane-down incident). {@link kubeSystemSync} writes those statuses once per tick, only when
 *   they change and the API server can write (a mirror Pod's status is an API write: during an etcd
 *   outage they go stale, as in a real cluster). A deleted mirror Pod is created again by the kubelet
 *   on the next sync (deleting it does not stop the static Pod).
 *
 * Simplification (docs/fidelity.md): the control-plane hosts are not Nodes of `kubectl get nodes` (the
 * sim's Nodes are the workers; kubeadm's control-plane Nodes carry `node-role.kubernetes.io/control-plane:NoSchedule`
 * and run no workload), so the mirror Pods name a host that is not listed and kube-proxy runs on the
 * workers only. The kubelet of the workers does not run the mirror Pods: this module owns their status.
 *
 * Pure and deterministic. May import: ./types.ts, ./apiserver.ts, ./create.ts, ./workloads.ts, ./podutil.ts,
 * ./hash.ts, ./cache.ts (index upkeep), ./controllers/etcd.ts and ./controllers/kubelet.ts (read-only helpers).
 */
import { apiWritable, createObject, newMeta, newUid, removePod, updateStatus } from './apiserver.ts';
import { deploymentFromManifest, startWorkloads, storeService } from './create.ts';
import { memorySignature } from './controllers/kubelet.ts';
import { storeWorkloads } from './workloads.ts';
import { leasesOf } from './controllers/etcd.ts';
import { fnv1a64 } from './hash.ts';
import { setCondition } from './podutil.ts';
import { emit } from './emit.ts';
import { indexAddService } from './cache.ts';
import type { Container, DeploymentManifest, Pod, ServiceManifest, SimInput, SimState, WorkloadManifest } from './types.ts';

/** CoreDNS image of kubeadm v1.32 (cmd/kubeadm/app/constants: CoreDNSVersion v1.11.3). */
export const COREDNS_IMAGE = 'registry.k8s.io/coredns/coredns:v1.11.3';
/** kube-proxy image of the cluster's version. */
export const KUBE_PROXY_IMAGE = 'registry.k8s.io/kube-proxy:v1.32.0';
/** Control-plane images (static Pods). */
export const CONTROL_PLANE_IMAGES = {
  etcd: 'registry.k8s.io/etcd:3.5.21-0',
  'kube-apiserver': 'registry.k8s.io/kube-apiserver:v1.32.0',
  'kube-controller-manager': 'registry.k8s.io/kube-controller-manager:v1.32.0',
  'kube-scheduler': 'registry.k8s.io/kube-scheduler:v1.32.0',
} as const;
/** A control-plane static Pod's component. */
export type StaticComponent = keyof typeof CONTROL_PLANE_IMAGES;
/** The static components, in kubeadm's manifest order. */
export const STATIC_COMPONENTS: readonly StaticComponent[] = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler'];
/** kubeadm's CPU requests of the static Pods, millicores (etcd also requests 100Mi memory). */
const STATIC_CPU: Readonly<Record<StaticComponent, string>> = { etcd: '100m', 'kube-apiserver': '250m', 'kube-controller-manager': '200m', 'kube-scheduler': '100m' };

/** ClusterIP of the `kubernetes` Service (first address of the service CIDR 10.96.0.0/12). */
export const KUBERNETES_SERVICE_IP = '10.96.0.1';
/** ClusterIP of `kube-dns` (kubeadm: the 10th address of the service CIDR). */
export const KUBE_DNS_IP = '10.96.0.10';

/** CoreDNS's `health` (liveness, `/health`) and `ready` (readiness, `/ready`) plugin ports, which kubeadm's manifest probes without declaring them. */
export const COREDNS_HEALTH_PORTS = [8080, 8181] as const;

/** Tolerations of kubeadm's CoreDNS Deployment. */
const COREDNS_TOLERATIONS = [
  { key: 'CriticalAddonsOnly', operator: 'Exists' as const },
  { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' as const },
];

/**
 * The CoreDNS Deployment manifest (kubeadm's, without the volumes the sim does not run): its probes are
 * kubeadm's (liveness `/health` 8080, initialDelaySeconds 60, timeoutSeconds 5, failureThreshold 5;
 * readiness `/ready` 8181), on ports the container does not declare ({@link COREDNS_HEALTH_PORTS}).
 */
export function corednsManifest(): DeploymentManifest {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'coredns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { 'k8s-app': 'kube-dns' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: '25%' } },
      template: {
        metadata: { labels: { 'k8s-app': 'kube-dns' } },
        spec: {
          containers: [{
            name: 'coredns',
            image: COREDNS_IMAGE,
            ports: [{ containerPort: 53, name: 'dns', protocol: 'UDP' }, { containerPort: 53, name: 'dns-tcp', protocol: 'TCP' }, { containerPort: 9153, name: 'metrics', protocol: 'TCP' }],
            resources: { requests: { cpu: '100m', memory: '70Mi' }, limits: { memory: '170Mi' } },
            livenessProbe: { httpGet: { path: '/health', port: 8080 }, initialDelaySeconds: 60, timeoutSeconds: 5, successThreshold: 1, failureThreshold: 5 },
            readinessProbe: { httpGet: { path: '/ready', port: 8181 } },
          }],
          tolerations: COREDNS_TOLERATIONS.map((t) => ({ ...t })),
          nodeSelector: { 'kubernetes.io/os': 'linux' },
        },
      },
    },
  };
}

/** The kube-proxy DaemonSet manifest (kubeadm's: BestEffort, tolerates every taint). */
export function kubeProxyManifest(): WorkloadManifest {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'kube-proxy', namespace: 'kube-system', labels: { 'k8s-app': 'kube-proxy' } },
    spec: {
      selector: { matchLabels: { 'k8s-app': 'kube-proxy' } },
      template: {
        metadata: { labels: { 'k8s-app': 'kube-proxy' } },
        spec: {
          containers: [{ name: 'kube-proxy', image: KUBE_PROXY_IMAGE }],
          tolerations: [{ operator: 'Exists' }],
          nodeSelector: { 'kubernetes.io/os': 'linux' },
        },
      },
    },
  };
}

/** The `kubernetes` and `kube-dns` Service manifests. */
export function kubeSystemServices(): ServiceManifest[] {
  return [
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } }, spec: { type: 'ClusterIP', ports: [{ name: 'https', port: 443, targetPort: 6443, protocol: 'TCP' }] } },
    {
      apiVersion: 'v1', kind: 'Service',
      metadata: { name: 'kube-dns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns', 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS' }, annotations: { 'prometheus.io/port': '9153', 'prometheus.io/scrape': 'true' } },
      spec: { type: 'ClusterIP', selector: { 'k8s-app': 'kube-dns' }, ports: [{ name: 'dns', port: 53, targetPort: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, targetPort: 53, protocol: 'TCP' }, { name: 'metrics', port: 9153, targetPort: 9153, protocol: 'TCP' }] },
    },
  ];
}

/**
 * Adds the kube-system objects to a state whose workloads just settled (createSim, when
 * `input.kubeSystem`; objects the scenario defines itself are kept): stores CoreDNS, kube-proxy and the
 * two Services (after the scenario's, so the scenario's objects keep their ClusterIPs), the
 * control-plane mirror Pods, and settles them with the same controllers (`cold`: one pass, as a fresh
 * apply). The PRNG state is put back afterwards: the workloads' Pods were placed before and the match
 * draws exactly what it drew without kube-system, so existing scenarios keep their outcomes (only the
 * capacity CoreDNS takes differs). Sim second 0.
 */
export function addKubeSystem(state: SimState, input: SimInput, cold: boolean): void {
  const rng = { ...state.rng };
  const d = corednsManifest();
  if (!state.deployments['kube-system/coredns']) {
    state.deployments['kube-system/coredns'] = deploymentFromManifest(state, d, newUid(state));
    state.dirty.deployments.push('kube-system/coredns');
  }
  if (!state.daemonSets?.['kube-system/kube-proxy']) storeWorkloads(state, { ...input, workloads: [kubeProxyManifest()] }, state.defaultImageProfile);
  for (const image of [COREDNS_IMAGE, KUBE_PROXY_IMAGE]) {
    if (!state.images[image]) state.images[image] = { ...state.defaultImageProfile };
    state.imageProfileSeen[image] = memorySignature(state.images[image]!);
  }
  state.images[COREDNS_IMAGE]!.listenPorts ??= [...COREDNS_HEALTH_PORTS]; // its probes' ports (health plugin 8080, ready plugin 8181)
  let i = input.services.length;
  const added: string[] = [];
  for (const m of kubeSystemServices()) {
    const key = `${m.metadata.namespace ?? 'default'}/${m.metadata.name}`;
    if (state.services[key]) continue;
    const stored = storeService(state, m, i++);
    indexAddService(state, stored, state.services[stored]!); // the indexes were built by the first settling
    added.push(stored);
  }
  const k = state.services['default/kubernetes'];
  if (k && added.includes('default/kubernetes')) {
    k.spec.clusterIP = KUBERNETES_SERVICE_IP;
    state.endpoints['default/kubernetes']!.metadata.resourceVersion = ++state.counters.resourceVersion; // the API servers' slice, written apart from the Service
  }
  const dns = state.services['kube-system/kube-dns'];
  if (dns && added.includes('kube-system/kube-dns')) dns.spec.clusterIP = KUBE_DNS_IP;
  const graph: Record<string, string[]> = Object.create(null);
  for (const key of [...Object.keys(state.callGraph), ...added].sort()) graph[key] = state.callGraph[key] ?? [];
  state.callGraph = graph;
  createStaticPods(state);
  if (cold) return; // a fresh apply: the first ticks start kube-system with the workloads
  startWorkloads(state, false);
  Object.assign(state.rng, rng);
}

/**
 * The control-plane hosts, one per etcd member in member order (stacked etcd, kubeadm HA): member
 * `etcd-N` lives on `control-plane-N`, any other member name `M` on `control-plane-M`.
 */
export function controlPlaneHosts(state: SimState): string[] {
  return state.controlPlane.etcd.members.map((m) => hostOfMember(m.name));
}

/** The control-plane host of etcd member `member` (see {@link controlPlaneHosts}). */
export function hostOfMember(member: string): string {
  return `control-plane-${member.startsWith('etcd-') ? member.slice(5) : member}`;
}

/** Key (`kube-system/<component>-<host>`) of a static Pod's mirror. */
export function staticPodKey(component: StaticComponent, host: string): string {
  return `kube-system/${component}-${host}`;
}

/** True when the state carries the kube-system objects (createSim built them). */
export function hasKubeSystem(state: SimState): boolean {
  return state.controlPlane.staticPods === true;
}

function staticContainer(component: StaticComponent): Container {
  const requests: Record<string, string> = { cpu: STATIC_CPU[component] };
  if (component === 'etcd') requests['memory'] = '100Mi';
  return { name: component, image: CONTROL_PLANE_IMAGES[component], env: [], ports: [], resources: { requests } };
}

function mirrorPod(state: SimState, component: StaticComponent, host: string): Pod {
  const hash = fnv1a64(`static:${component}:${host}`).slice(0, 32);
  const meta = newMeta(state, 'kube-system', `${component}-${host}`, { component, tier: 'control-plane' }, {
    'kubernetes.io/config.hash': hash,
    'kubernetes.io/config.mirror': hash,
    'kubernetes.io/config.seen': '2025-01-01T00:00:00.000000000Z',
    'kubernetes.io/config.source': 'file',
  }, [{ apiVersion: 'v1', kind: 'Node', name: host, uid: `node-${fnv1a64(`host:${host}`).slice(0, 8)}`, controller: true }]);
  const c = staticContainer(component);
  const cpu = Number.parseInt(STATIC_CPU[component], 10);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: meta,
    spec: { containers: [c], nodeName: host, restartPolicy: 'Always', terminationGracePeriodSeconds: 30, tolerations: [{ operator: 'Exists', effect: 'NoExecute' }] },
    status: {
      phase: 'Running',
      conditions: [],
      containerStatuses: [{ name: component, image: c.image, ready: true, started: true, restartCount: 0, state: { running: { startedAt: 0 } }, lastState: {} }],
      startTime: 0,
    },
    sim: { cpuRequestMilli: cpu, memRequestMiB: component === 'etcd' ? 100 : 0, memLimitMiB: null, image: c.image, templateHash: '', memoryMiB: 0, containerStartedAt: 0, backoffSeconds: 0, lastFailureAt: null, nextTransitionAt: null, ready: true },
  };
}

/** What a static Pod should show now: ready, restarts, and the waiting / last-terminated state. */
interface StaticStatus {
  ready: boolean;
  restarts: number;
  /** Waiting reason while not running (`CrashLoopBackOff`), else null. */
  waiting: string | null;
  /** Exit code of the last termination, or null when it never ended. */
  lastExit: number | null;
  /** Sim second the running container started. */
  startedAt: number;
}

/**
 * Restarts of a container crash-looping since `since` (sim seconds) at `now`: it exits at once, the
 * kubelet restarts it at once the first time (at `since`), then after 10, 20, 40... 300 s
 * (kubernetes-behaviour.md §1): 1 at `since`, 2 at +10 s, 3 at +30 s...
 */
export function crashLoopRestarts(since: number, now: number): number {
  let t = since;
  let delay = 0;
  let n = 0;
  while (t + delay <= now && n < 10_000) {
    t += delay;
    n += 1;
    delay = delay === 0 ? 10 : Math.min(300, delay * 2);
  }
  return n;
}

function desiredStatus(state: SimState, component: StaticComponent, hostIndex: number): StaticStatus {
  const cp = state.controlPlane;
  if (component === 'etcd') {
    const m = cp.etcd.members[hostIndex];
    const healthy = m?.healthy ?? true;
    return { ready: healthy, restarts: 0, waiting: healthy ? null : 'CrashLoopBackOff', lastExit: healthy ? null : 1, startedAt: 0 };
  }
  if (component === 'kube-apiserver') {
    const writable = cp.etcd.hasQuorum && cp.etcd.leader !== null;
    return { ready: writable, restarts: 0, waiting: null, lastExit: null, startedAt: 0 };
  }
  const broken = cp.brokenStaticPods?.[component];
  const lease = leasesOf(state).find((l) => l.name === component);
  const exits = (hostIndex === 0 ? (lease?.process ?? 0) : 0) + (cp.staticPodRestarts?.[component] ?? 0);
  if (broken !== undefined) {
    return { ready: false, restarts: exits + crashLoopRestarts(broken.since, state.t), waiting: 'CrashLoopBackOff', lastExit: 1, startedAt: broken.since };
  }
  return { ready: true, restarts: exits, waiting: null, lastExit: exits > 0 ? 1 : null, startedAt: cp.staticPodStartedAt?.[component] ?? 0 };
}

function statusSignature(pod: Pod): string {
  const cs = pod.status.containerStatuses[0];
  return `${pod.sim.ready}|${cs?.restartCount ?? 0}|${cs?.state.waiting?.reason ?? ''}|${cs?.lastState.terminated?.exitCode ?? ''}`;
}

function applyStatus(state: SimState, pod: Pod, s: StaticStatus): void {
  const cs = pod.status.containerStatuses[0]!;
  cs.restartCount = s.restarts;
  cs.ready = s.ready;
  cs.started = s.waiting === null;
  cs.state = s.waiting !== null
    ? { waiting: { reason: s.waiting, message: `back-off restarting failed container=${cs.name} pod=${pod.metadata.name}_kube-system(${pod.metadata.uid})` } }
    : { running: { startedAt: s.startedAt } };
  cs.lastState = s.lastExit !== null ? { terminated: { exitCode: s.lastExit, reason: 'Error', finishedAt: state.t } } : {};
  const status = s.ready ? 'True' : 'False';
  setCondition(pod, 'Initialized', 'True', 0);
  setCondition(pod, 'ContainersReady', status, state.t, s.ready ? undefined : 'ContainersNotReady');
  setCondition(pod, 'Ready', status, state.t, s.ready ? undefined : 'ContainersNotReady');
  setCondition(pod, 'PodScheduled', 'True', 0);
  pod.sim.ready = s.ready;
  pod.sim.containerStartedAt = s.waiting === null ? s.startedAt : null;
}

/**
 * Creates the control-plane mirror Pods (createSim, when `input.kubeSystem`). Marks the state so
 * {@link kubeSystemSync} keeps them. Sim second 0.
 */
export function createStaticPods(state: SimState): void {
  state.controlPlane.staticPods = true;
  kubeSystemSync(state);
}

/**
 * Once per tick (shared/sim/controllers/index.ts, after the Leases): every control-plane mirror Pod
 * exists and shows its component's state (see the module doc). Writes only what changed; nothing while
 * the API server cannot write. O(hosts) per tick.
 */
export function kubeSystemSync(state: SimState): void {
  if (!hasKubeSystem(state) || !apiWritable(state)) return;
  const hosts = controlPlaneHosts(state);
  hosts.forEach((host, i) => {
    for (const component of STATIC_COMPONENTS) {
      const key = staticPodKey(component, host);
      const want = desiredStatus(state, component, i);
      let pod = state.pods[key];
      if (pod !== undefined && pod.metadata.deletionTimestamp !== undefined) {
        removePod(state, key); // a deleted mirror Pod: the static Pod keeps running, the kubelet mirrors it again
        pod = undefined;
      }
      if (pod === undefined) {
        pod = mirrorPod(state, component, host);
        applyStatus(state, pod, want);
        createObject(state, 'Pod', pod);
        continue;
      }
      const before = statusSignature(pod);
      const cs = pod.status.containerStatuses[0];
      if (before === `${want.ready}|${want.restarts}|${want.waiting ?? ''}|${want.lastExit ?? ''}` && cs !== undefined) continue;
      const restarted = want.restarts !== (cs?.restartCount ?? 0);
      applyStatus(state, pod, want);
      updateStatus(state, 'Pod', key, { enqueue: false });
      if (want.waiting === 'CrashLoopBackOff' && restarted) {
        emit(state, 'Warning', 'BackOff', { kind: 'Pod', name: pod.metadata.name, namespace: 'kube-system' }, `Back-off restarting failed container ${component} in pod ${pod.metadata.name}_kube-system(${pod.metadata.uid})`, 'kubelet');
      }
    }
  });
}
