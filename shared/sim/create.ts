/**
 * createSim: builds a match's {@link SimState} from a {@link SimInput} — nodes, the control plane,
 * Deployments (with the apps/v1 defaults), Services and EndpointSlices, image profiles, the call graph
 * (with its optional calls) and ingress, SLO states and alert tiers, scheduled incidents — then lets the
 * controllers create the ReplicaSets and pods. By default the cluster was already running: pods are
 * Running and Ready at t=0 and no start-up events are recorded ("warm start"); `input.coldStart` starts
 * from a fresh apply. Deterministic from `input.settings.seed`.
 */
import { defaultImagePullPolicy } from './kinds/serialize.ts';
import { memorySignature } from './controllers/kubelet.ts';
import { createObject, newMeta, newUid, recordStoredObjects, withoutChangeLog } from './apiserver.ts';
import { claimFromTemplate } from './kinds/pvc.ts';
import { withWarmStart } from './emit.ts';
import { endpointPorts } from './kinds/endpointslice.ts';
import { healthyNodeConditions } from './controllers/nodeLifecycle.ts';
import { runControllers } from './controllers/index.ts';
import { emitPendingAfterWarmStart } from './controllers/scheduler.ts';
import { objKey, refKey } from './names.ts';
import { withWarmStartIndexes } from './cache.ts';
import { seedRng } from './prng.ts';
import { parseCpuMillicores, parseMemoryMiB } from '../manifests/quantity.ts';
import { createSloStates, defaultAlertTiers, sloPeriodSeconds } from './slo.ts';
import { buildCallGraph, buildIngress, buildOptionalCalls } from './topology.ts';
import { DEFAULT_IMAGE_PROFILE } from './traffic.ts';
import { declaredProfile } from './workingSet.ts';
import { storeWorkloads } from './workloads.ts';
import { addKubeSystem } from './kubeSystem.ts';
import { storeAutoscalers } from './autoscalers.ts';
import { storePolicies, storePriorityClasses } from './policies.ts';
import { storeConfigs } from './configs.ts';
import { storeBatch } from './controllers/job.ts';
import { podFromTemplate } from './controllers/replicaset.ts';
import type { Container, Deployment, InitContainer, DeploymentManifest, Node, NodeSpecInput, Probe, Service, ServiceManifest, SimInput, SimState } from './types.ts';

/** Default etcd members when the input names none. */
export const DEFAULT_ETCD_MEMBERS = ['etcd-0', 'etcd-1', 'etcd-2'];
/** Events kept in `state.events`. */
export const EVENT_LIMIT = 1000;
/** kubelet default max pods per node. */
export const DEFAULT_MAX_PODS = 110;

/** Probe with K SetDefaults_Probe values filled in, seconds: timeout 1, period 10, delay 0; success 1, failure 3 (§2). */
export function defaultProbe(p: Probe): Probe {
  return { initialDelaySeconds: 0, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3, ...p };
}

/**
 * A Deployment from its manifest with the defaults of K pkg/apis/apps/v1/defaults.go applied: replicas 1,
 * RollingUpdate 25 %/25 %, revisionHistoryLimit 10, progressDeadlineSeconds 600, minReadySeconds 0,
 * restartPolicy Always, terminationGracePeriodSeconds 30 (kubernetes-behaviour.md §4).
 */
export function deploymentFromManifest(state: SimState, m: DeploymentManifest, uid: string): Deployment {
  const strategy = m.spec.strategy ?? { type: 'RollingUpdate' as const };
  const toContainer = (c: DeploymentManifest['spec']['template']['spec']['containers'][number]): Container => {
    const out: Container = { name: c.name, image: c.image, env: (c.env ?? []).map((e) => (e.valueFrom ? structuredClone(e) : { ...e })), ports: (c.ports ?? []).map((p) => ({ ...p })), resources: structuredClone(c.resources ?? {}) };
    if (c.envFrom && c.envFrom.length > 0) out.envFrom = structuredClone(c.envFrom); // (issue 6)
    if (c.readinessProbe) out.readinessProbe = defaultProbe(c.readinessProbe);
    if (c.livenessProbe) out.livenessProbe = defaultProbe(c.livenessProbe);
    if (c.startupProbe) out.startupProbe = defaultProbe(c.startupProbe);
    if (c.volumeMounts) out.volumeMounts = structuredClone(c.volumeMounts);
    // (issue 6) Kept only when it differs from the API server's default (which the served copies show,
    // ./kinds/serialize.ts): a manifest echoing the default back (`get -o yaml` then `apply`) is unchanged.
    if (c.imagePullPolicy && c.imagePullPolicy !== defaultImagePullPolicy(c.image)) out.imagePullPolicy = c.imagePullPolicy;
    return out;
  };
  const containers: Container[] = m.spec.template.spec.containers.map(toContainer);
  const tplSpec: Deployment['spec']['template']['spec'] = {
    containers,
    restartPolicy: m.spec.template.spec.restartPolicy ?? 'Always',
    terminationGracePeriodSeconds: m.spec.template.spec.terminationGracePeriodSeconds ?? 30,
  };
  const ms = m.spec.template.spec;
  if (ms.nodeSelector) tplSpec.nodeSelector = { ...ms.nodeSelector };
  if (ms.nodeName !== undefined) tplSpec.nodeName = ms.nodeName; // (issue 6) its Pods skip the scheduler
  if (ms.tolerations) tplSpec.tolerations = structuredClone(ms.tolerations);
  if (ms.affinity) tplSpec.affinity = structuredClone(ms.affinity);
  if (ms.topologySpreadConstraints) tplSpec.topologySpreadConstraints = structuredClone(ms.topologySpreadConstraints);
  if (ms.priorityClassName !== undefined) tplSpec.priorityClassName = ms.priorityClassName;
  if (ms.priority !== undefined) tplSpec.priority = ms.priority;
  if (ms.preemptionPolicy !== undefined) tplSpec.preemptionPolicy = ms.preemptionPolicy;
  // (issue 6) init containers and volumes; not part of the sim's pod-template-hash (names.ts templateHash).
  if (ms.initContainers && ms.initContainers.length > 0) {
    tplSpec.initContainers = ms.initContainers.map((c) => {
      const out: InitContainer = toContainer(c);
      if (c.command) out.command = [...c.command];
      if (c.args) out.args = [...c.args];
      if (c.restartPolicy === 'Always') out.restartPolicy = 'Always';
      return out;
    });
  }
  if (ms.volumes && ms.volumes.length > 0) tplSpec.volumes = structuredClone(ms.volumes);
  const template: Deployment['spec']['template'] = { metadata: { labels: { ...m.spec.template.metadata.labels } }, spec: tplSpec };
  if (m.spec.template.metadata.annotations) template.metadata.annotations = { ...m.spec.template.metadata.annotations };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: m.metadata.name,
      namespace: m.metadata.namespace ?? 'default',
      uid,
      labels: { ...(m.metadata.labels ?? {}) },
      annotations: { ...(m.metadata.annotations ?? {}) },
      creationTimestamp: state.t,
      ownerReferences: [],
      generation: 1,
      resourceVersion: ++state.counters.resourceVersion,
    },
    spec: {
      replicas: m.spec.replicas ?? 1,
      selector: { matchLabels: { ...m.spec.selector.matchLabels } },
      template,
      strategy: strategy.type === 'Recreate'
        ? { type: 'Recreate' }
        : { type: 'RollingUpdate', rollingUpdate: { maxSurge: strategy.rollingUpdate?.maxSurge ?? '25%', maxUnavailable: strategy.rollingUpdate?.maxUnavailable ?? '25%' } },
      revisionHistoryLimit: m.spec.revisionHistoryLimit ?? 10,
      progressDeadlineSeconds: m.spec.progressDeadlineSeconds ?? 600,
      minReadySeconds: m.spec.minReadySeconds ?? 0,
    },
    status: { observedGeneration: 0, replicas: 0, updatedReplicas: 0, readyReplicas: 0, availableReplicas: 0, unavailableReplicas: 0, conditions: [] },
  };
}

function nodeFromInput(state: SimState, n: NodeSpecInput): Node {
  const pods = n.pods ?? DEFAULT_MAX_PODS;
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: n.name,
      namespace: '',
      uid: newUid(state),
      labels: { ...(n.labels ?? {}), 'beta.kubernetes.io/arch': 'amd64', 'beta.kubernetes.io/os': 'linux', 'kubernetes.io/hostname': n.name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', 'topology.kubernetes.io/zone': n.zone },
      annotations: {},
      creationTimestamp: 0,
      ownerReferences: [],
      generation: 1,
      resourceVersion: ++state.counters.resourceVersion,
    },
    spec: { unschedulable: false, taints: (n.taints ?? []).map((t) => ({ ...t, timeAdded: 0 })) },
    status: {
      capacity: { cpu: n.cpu, memory: n.memory, pods: String(pods) },
      allocatable: { cpu: n.cpu, memory: n.memory, pods: String(pods) },
      conditions: healthyNodeConditions(0),
    },
    sim: {
      cpuAllocatableMilli: parseCpuMillicores(n.cpu),
      memAllocatableMiB: parseMemoryMiB(n.memory),
      podsAllocatable: pods,
      cpuRequestedMilli: 0,
      memRequestedMiB: 0,
      podCount: 0,
      kubeletUp: true,
      lastHeartbeat: 0,
      lostAt: null,
    },
  };
}

/**
 * A Service from its manifest: type ClusterIP by default, the `i`-th cluster IP (10.96.x.y; callers pass
 * an index no other Service used), a LoadBalancer ingress IP for type LoadBalancer. Exported for the
 * `createService` action (shared/sim/actions/workload.ts).
 */
export function serviceFromManifest(state: SimState, m: ServiceManifest, i: number): Service {
  const type = m.spec.type ?? 'ClusterIP';
  const svc: Service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: m.metadata.name,
      namespace: m.metadata.namespace ?? 'default',
      uid: newUid(state),
      labels: { ...(m.metadata.labels ?? {}) },
      annotations: { ...(m.metadata.annotations ?? {}) },
      creationTimestamp: 0,
      ownerReferences: [],
      generation: 1,
      resourceVersion: ++state.counters.resourceVersion,
    },
    spec: { type, selector: { ...(m.spec.selector ?? {}) }, ports: m.spec.ports.map((p) => ({ ...p })), clusterIP: `10.96.${Math.floor((i + 10) / 250)}.${((i + 10) % 250) + 1}` },
    status: { loadBalancer: {} },
  };
  if (type === 'LoadBalancer') svc.status.loadBalancer.ingress = [{ ip: `203.0.113.${(i % 250) + 1}` }];
  return svc;
}

/** Options of {@link createSim}. */
export interface CreateSimOptions {
  /**
   * True: the cluster was already running (pods Running and Ready at t=0, no start-up events). False: a
   * fresh `kubectl apply` (Pending -> ContainerCreating -> Running). Default: `!input.coldStart`.
   */
  warmStart?: boolean;
}

/**
 * Builds the initial state.
 * @throws Error on invalid settings (`tickSeconds` <= 0) or a duplicate Node, Deployment or Service name;
 *   RangeError when an SLO target is not in (0, 1) (shared/sim/slo.ts); QuantityError
 *   (shared/manifests/quantity.ts) for a malformed Node or container quantity (validated inputs have none).
 */
export function createSim(input: SimInput, opts: CreateSimOptions = {}): SimState {
  const tickSeconds = input.settings.tickSeconds;
  if (!(tickSeconds > 0)) throw new Error(`settings.tickSeconds must be > 0, got ${tickSeconds}`);
  const defaultImageProfile = declaredProfile(DEFAULT_IMAGE_PROFILE, input.defaultImage ?? {});
  const alertTiers = input.alertTiers ?? defaultAlertTiers(sloPeriodSeconds(input.settings.durationSeconds));
  const members = input.etcdMembers ?? DEFAULT_ETCD_MEMBERS;
  const state: SimState = {
    schemaVersion: 1,
    scenarioId: input.scenarioId,
    settings: { ...input.settings },
    t: 0,
    tick: 0,
    rng: seedRng(input.settings.seed),
    counters: { uid: 1, resourceVersion: 0, eventSeq: 0, timerSeq: 0, actions: 0 },
    nodes: Object.create(null),
    pods: Object.create(null),
    deployments: Object.create(null),
    replicaSets: Object.create(null),
    services: Object.create(null),
    endpoints: Object.create(null),
    controlPlane: {
      etcd: { members: members.map((name) => ({ name, healthy: true, restoringUntil: null })), leader: members[0] ?? null, hasQuorum: members.length > 0, electionAt: null, term: 1 },
      components: (['kube-apiserver', 'kube-scheduler', 'kube-controller-manager'] as const).map((name) => ({ name, healthy: true, message: 'ok' })),
    },
    images: Object.create(null),
    callGraph: Object.create(null),
    optionalCalls: Object.create(null),
    ingress: [],
    userFacingService: '',
    traffic: Object.create(null),
    slos: createSloStates(input, alertTiers),
    alertTiers,
    alerts: [],
    incidents: input.incidents.map((spec) => ({ spec: structuredClone(spec), status: 'scheduled', startedAt: null, mitigatedAt: null, data: {} })),
    events: [],
    eventLimit: EVENT_LIMIT,
    notices: [],
    timers: [],
    dirty: { deployments: [], replicaSets: [], pods: [], nodes: [], services: [] },
    pendingActions: [],
    warnings: [...(input.warnings ?? [])],
    defaultImageProfile,
    imageProfileSeen: Object.create(null),
    scheduler: { activeQ: [], backoffQ: [], unschedulable: [], moveRequested: false, nextStartNodeIndex: 0, podInfo: Object.create(null), lastFlushAt: 0 },
  };
  if (input.configObjects) state.configObjects = structuredClone(input.configObjects);
  for (const n of input.nodes) {
    if (state.nodes[n.name]) throw new Error(`duplicate node name "${n.name}"`);
    state.nodes[n.name] = nodeFromInput(state, n);
  }
  for (const [image, p] of Object.entries(input.images).sort(([a], [b]) => (a < b ? -1 : 1))) state.images[image] = declaredProfile(defaultImageProfile, p);
  for (const m of input.deployments) {
    const key = objKey(m.metadata.namespace ?? 'default', m.metadata.name);
    if (state.deployments[key]) throw new Error(`duplicate Deployment "${key}"`);
    const sel = m.spec.selector.matchLabels;
    const labels = m.spec.template.metadata.labels;
    if (Object.keys(sel).length === 0 || Object.entries(sel).some(([k, v]) => labels[k] !== v)) {
      state.warnings.push(`Deployment "${key}" skipped: spec.template.metadata.labels: Invalid value: selector does not match template labels`);
      continue;
    }
    const d = deploymentFromManifest(state, m, newUid(state));
    state.deployments[key] = d;
    for (const c of d.spec.template.spec.containers) if (!state.images[c.image]) state.images[c.image] = { ...defaultImageProfile };
    state.dirty.deployments.push(key);
  }
  storePolicies(state, input);
  // (added, issue 6) The manifests' PersistentVolumeClaims, Bound at once (./kinds/pvc.ts), before the StatefulSets that may reuse them.
  for (const c of input.persistentVolumeClaims ?? []) {
    const claim = claimFromTemplate(c, newMeta(state, c.metadata.namespace ?? 'default', c.metadata.name, {}, {}, []));
    if (!createObject(state, 'PersistentVolumeClaim', claim).ok) state.warnings.push(`duplicate PersistentVolumeClaim "${claim.metadata.namespace}/${claim.metadata.name}" skipped`);
  }

  storePriorityClasses(state, input);
  storeWorkloads(state, input, defaultImageProfile);
  // (issue 6) Bare Pods: no owner, so nothing recreates them once deleted.
  for (const m of input.pods ?? []) {
    const ns = m.metadata.namespace ?? 'default';
    if (state.pods[objKey(ns, m.metadata.name)]) throw new Error(`duplicate Pod "${ns}/${m.metadata.name}"`);
    const tpl = deploymentFromManifest(state, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: m.metadata.name }, spec: { selector: { matchLabels: {} }, template: m.template } }, 'template').spec.template;
    tpl.spec.restartPolicy = m.template.spec.restartPolicy ?? 'Always';
    for (const c of tpl.spec.containers) if (!state.images[c.image]) state.images[c.image] = { ...defaultImageProfile };
    const pod = podFromTemplate(state, { apiVersion: 'v1', kind: 'Pod', name: m.metadata.name, uid: '', namespace: ns }, tpl, m.metadata.name, undefined, {}, []);
    const r = withoutChangeLog(state, () => createObject(state, 'Pod', pod)); // recordStoredObjects lists it
    if (!r.ok) state.warnings.push(`Pod "${ns}/${m.metadata.name}" not created: ${r.error}`);
  }
  if (input.autoscalers && input.autoscalers.length > 0) storeAutoscalers(state, input, !(opts.warmStart ?? input.coldStart !== true));
  if ((input.jobs ?? []).length + (input.cronJobs ?? []).length > 0) {
    storeBatch(state, input.jobs ?? [], input.cronJobs ?? [], (tpl) => {
      const t = deploymentFromManifest(state, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'job' }, spec: { selector: { matchLabels: {} }, template: tpl } }, 'template').spec.template;
      for (const c of t.spec.containers) if (!state.images[c.image]) state.images[c.image] = { ...defaultImageProfile };
      return t;
    });
  }
  input.services.forEach((m, i) => storeService(state, m, i));
  storeConfigs(state, input); // (issue 6) before any container starts: the kubelet resolves envFrom / valueFrom / volumes
  state.callGraph = buildCallGraph(state, input);
  const optional = buildOptionalCalls(input, state.callGraph);
  state.optionalCalls = optional.optionalCalls;
  if (input.callPaths && Object.keys(input.callPaths).length > 0) state.callPaths = structuredClone(input.callPaths);
  state.warnings.push(...optional.warnings);
  state.ingress = buildIngress(state, input, state.callGraph);
  state.userFacingService = refKey(input.userFacingService);
  for (const image of Object.keys(state.images)) state.imageProfileSeen[image] = memorySignature(state.images[image]!);
  const cold = !(opts.warmStart ?? input.coldStart !== true);
  withoutChangeLog(state, () => {
    startWorkloads(state, cold);
    if (input.kubeSystem === true) addKubeSystem(state, input, cold);
    if (!cold) emitPendingAfterWarmStart(state);
  });
  recordStoredObjects(state); // the change log starts with every object, once
  for (const key of Object.keys(state.services).sort()) {
    const ready = state.endpoints[key]?.endpoints.filter((e) => e.conditions.ready).length ?? 0;
    const total = state.endpoints[key]?.endpoints.length ?? 0;
    state.traffic[key] = { rps: 0, errorRate: 0, p50Ms: 0, p99Ms: 0, readyEndpoints: ready, totalEndpoints: total };
  }
  return state;
}

/**
 * Stores a Service from its manifest (the `i`-th: its ClusterIP, {@link serviceFromManifest}) with its
 * empty EndpointSlice, and queues it for the EndpointSlice controller.
 * @throws Error on a duplicate Service.
 */
export function storeService(state: SimState, m: ServiceManifest, i: number): string {
  const svc = serviceFromManifest(state, m, i);
  const key = objKey(svc.metadata.namespace, svc.metadata.name);
  if (state.services[key]) throw new Error(`duplicate Service "${key}"`);
  state.services[key] = svc;
  state.endpoints[key] = {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { ...svc.metadata, uid: newUid(state), labels: { 'kubernetes.io/service-name': svc.metadata.name }, annotations: {} },
    addressType: 'IPv4',
    endpoints: [],
    ports: endpointPorts(svc),
  };
  state.dirty.services.push(key);
  return key;
}

/**
 * Runs the controllers at t=0: warm start loops until the cluster settles (no events; the caller emits
 * the pending Pods' FailedScheduling afterwards), cold start runs one pass.
 */
export function startWorkloads(state: SimState, cold: boolean): void {
  if (cold) {
    runControllers(state);
    return;
  }
  withWarmStart(state, () =>
    withWarmStartIndexes(state, () => {
      for (let pass = 0; pass < 20; pass++) {
        runControllers(state);
        const d = state.dirty;
        if (d.deployments.length + d.replicaSets.length + d.pods.length + d.services.length + d.nodes.length + state.scheduler.activeQ.length + (state.kubeletAdmitQueue?.length ?? 0) === 0) break;
      }
    }),
  );
}
