/**
 * The Kubernetes object model of the sim (subset; field names follow k8s.io/api): metadata and the
 * kinds Pod, Node, Deployment, ReplicaSet, Service and EndpointSlice, each with its `sim` block where it
 * has one (parsed numbers for hot paths; not part of the API, dropped by each kind's `toApi`).
 * Re-exported by shared/sim/types.ts, so `import type { Pod } from '../types.ts'` keeps working.
 *
 * Units: times are sim seconds (counted from match start; served as RFC 3339 from the fixed epoch
 * 2025-01-01T00:00:00Z, shared/sim/names.ts `simTimestamp`), CPU millicores, memory MiB.
 *
 * This module may import nothing.
 */

/** Sim seconds since match start. */
export type SimSeconds = number;

// ---------------------------------------------------------------------------------------------------
// Kubernetes object model (subset). Field names follow k8s.io/api.
// ---------------------------------------------------------------------------------------------------

/** `metav1.OwnerReference`. */
export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller: boolean;
}

/** `metav1.ObjectMeta` subset. `creationTimestamp`/`deletionTimestamp` are sim seconds, not RFC 3339. */
export interface ObjectMeta {
  name: string;
  namespace: string;
  uid: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  creationTimestamp: SimSeconds;
  /** Set when a graceful deletion started (pod shows `Terminating`). */
  deletionTimestamp?: SimSeconds;
  deletionGracePeriodSeconds?: number;
  /**
   * (issue 6) Finalizers: only `foregroundDeletion`, which a Foreground delete sets on an owner (with
   * its deletionTimestamp) until its blocking dependents are gone (../actions/objects.ts). Absent: none.
   */
  finalizers?: string[];
  ownerReferences: OwnerReference[];
  generation: number;
  /** Bumped on every write through the API server (etcd revision analogue). */
  resourceVersion: number;
}

/** `core/v1 ResourceRequirements` with Kubernetes quantity strings (`"250m"`, `"0.5"`, `"128Mi"`, `"1Gi"`). */
export interface ResourceRequirements {
  requests?: { cpu?: string; memory?: string };
  limits?: { cpu?: string; memory?: string };
}

/**
 * `core/v1 Probe` subset; defaults from SetDefaults_Probe: initialDelaySeconds 0, periodSeconds 10,
 * timeoutSeconds 1, successThreshold 1, failureThreshold 3 (seconds; K pkg/apis/core/v1/defaults.go).
 * A string `port` names one of the container's `ports` (resolved by the kubelet). The kubelet's model
 * of each handler: shared/sim/controllers/kubelet.ts (`probeOutcome`).
 */
export interface Probe {
  httpGet?: { path?: string; port: number | string };
  tcpSocket?: { port: number | string };
  exec?: { command: string[] };
  /** `service`: the gRPC health service name (the API server defaults it to `""`). */
  grpc?: { port: number; service?: string };
  initialDelaySeconds?: number;
  periodSeconds?: number;
  timeoutSeconds?: number;
  successThreshold?: number;
  failureThreshold?: number;
}

/**
 * `core/v1 EnvVarSource` subset (issue 6): a ConfigMap or Secret key (resolved by the kubelet when it
 * creates the container: a missing object or key is `CreateContainerConfigError`), or a field of the
 * Pod / a resource of a container (kept as written, not resolved).
 */
export interface EnvVarSource {
  configMapKeyRef?: { name: string; key: string; optional?: boolean };
  secretKeyRef?: { name: string; key: string; optional?: boolean };
  fieldRef?: { fieldPath: string; apiVersion?: string };
  resourceFieldRef?: { resource: string; containerName?: string; divisor?: string };
}

/** `core/v1 EnvVar`: a literal `value` or (issue 6) a `valueFrom` source. */
export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: EnvVarSource;
}

/**
 * `core/v1 ContainerPort`; `protocol` defaults to TCP. `hostPort` (absent or 0: none) with `hostIP`
 * (default `0.0.0.0`, every address) reserves that port/protocol on the Pod's Node: the scheduler's
 * NodePorts filter keeps a second Pod wanting it off that Node (controllers/scheduler.ts).
 */
export interface ContainerPort {
  containerPort: number;
  name?: string;
  protocol?: string;
  hostPort?: number;
  hostIP?: string;
}

/**
 * `core/v1 EnvFromSource`: every key of a ConfigMap or Secret as environment variables. The kubelet
 * resolves it when it creates the container; a missing, non-optional source is `CreateContainerConfigError`
 * (`configmap "x" not found`; kubernetes-behaviour.md §10), resolved against the stored ConfigMaps and
 * Secrets (issue 6; shared/manifests keeps it, the missing-config incident adds one).
 */
export interface EnvFromSource {
  prefix?: string;
  configMapRef?: { name: string; optional?: boolean };
  secretRef?: { name: string; optional?: boolean };
}

/** `core/v1 Container` subset. */
export interface Container {
  name: string;
  image: string;
  env: EnvVar[];
  /** (added) Absent unless set (the manifests, an incident's missing ConfigMap); see {@link EnvFromSource}. */
  envFrom?: EnvFromSource[];
  ports: ContainerPort[];
  resources: ResourceRequirements;
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  startupProbe?: Probe;
  /** (added) `core/v1 VolumeMount`s; absent when the manifest has none (describe pod's `Mounts:`). */
  volumeMounts?: VolumeMount[];
  /**
   * (added, issue 6) As the manifest set it; absent = the API server's default, applied by the kubelet
   * (shared/sim/controllers/kubelet.ts `pullPolicyOf`: Always for `:latest` / untagged, else IfNotPresent).
   */
  imagePullPolicy?: ImagePullPolicy;
}

/** `core/v1 PullPolicy`. */
export type ImagePullPolicy = 'Always' | 'IfNotPresent' | 'Never';

/** `core/v1 VolumeMount`: a volume of the Pod at `mountPath` in one container. */
export interface VolumeMount {
  name: string;
  mountPath: string;
  readOnly?: boolean;
  subPath?: string;
}

/**
 * `core/v1 Volume` subset: one source. The kubelet's volume manager mounts them before any container
 * starts (controllers/kubelet.ts): a non-optional `configMap` / `secret` the cluster does not hold is a
 * `FailedMount`; `persistentVolumeClaim` is checked by the scheduler's VolumeBinding plugin. `other`
 * names a source the sim does not model (e.g. `gcePersistentDisk`), mounted as if present.
 */
export interface Volume {
  name: string;
  emptyDir?: { medium?: string; sizeLimit?: string };
  /** (issue 6) `items`: only these keys are projected (each must exist unless `optional`). */
  configMap?: { name: string; optional?: boolean; defaultMode?: number; items?: { key: string; path: string; mode?: number }[] };
  secret?: { secretName: string; optional?: boolean; defaultMode?: number; items?: { key: string; path: string; mode?: number }[] };
  persistentVolumeClaim?: { claimName: string; readOnly?: boolean };
  hostPath?: { path: string; type?: string };
  /** Sources (configMap / secret / serviceAccountToken / downwardAPI) kept as given. */
  projected?: { sources: Record<string, unknown>[]; defaultMode?: number };
  downwardAPI?: { items?: Record<string, unknown>[]; defaultMode?: number };
  other?: string;
}

/**
 * (added) An init container (`spec.initContainers[i]`): runs to completion, in order, before the app
 * containers start. `command` / `args` are kept so the sim can recognise the wait-for-a-Service loop
 * (`until nslookup db; do sleep 2; done`; controllers/kubelet.ts `initWaitsFor`).
 */
export interface InitContainer extends Container {
  command?: string[];
  args?: string[];
  /**
   * (issue 6) `Always`: a sidecar (restartable init container; W concepts/workloads/pods/sidecar-containers.md):
   * started in its turn, it keeps running (the next init container starts once it started), counts in
   * READY, and is stopped after the app containers.
   */
  restartPolicy?: 'Always';
}

/** `core/v1 PodSpec` subset. */
export interface PodSpec {
  containers: Container[];
  /**
   * The Node the Pod is bound to: set by the scheduler's Binding, or by the manifest (issue 6): such a
   * Pod never enters the scheduler; the kubelet of that Node admits it or rejects it (`OutOfcpu`...,
   * controllers/kubelet.ts `kubeletAdmit`), and a name no Node has leaves it Pending.
   */
  nodeName?: string;
  restartPolicy: 'Always' | 'OnFailure' | 'Never';
  terminationGracePeriodSeconds: number;
  nodeSelector?: Record<string, string>;
  /**
   * `core/v1 Toleration`s. Pods created through the API server also get the DefaultTolerationSeconds
   * admission's `not-ready` / `unreachable` NoExecute tolerations for 300 s (kinds/pod.ts defaults).
   */
  tolerations?: Toleration[];
  /** `core/v1 Affinity`: node affinity (NodeAffinity) and pod affinity / anti-affinity (InterPodAffinity). */
  affinity?: Affinity;
  /** `core/v1 TopologySpreadConstraint`s (the scheduler's PodTopologySpread plugin). */
  topologySpreadConstraints?: TopologySpreadConstraint[];
  /** The PriorityClass named (resolved into `priority` by the manifest loader, as the Priority admission plugin). */
  priorityClassName?: string;
  /** Scheduling priority (absent = 0): the activeQ order and DefaultPreemption's victims (lower priority only). */
  priority?: number;
  /** `Never`: the pod waits instead of preempting (default PreemptLowerPriority). */
  preemptionPolicy?: 'PreemptLowerPriority' | 'Never';
  /**
   * (added) Init containers, run in order before `containers` (controllers/kubelet.ts). Absent when none.
   * Not part of the sim's `pod-template-hash` (names.ts templateHash), nor are volumes / volumeMounts.
   */
  initContainers?: InitContainer[];
  /** (added) Volumes (see {@link Volume}); absent when none. */
  volumes?: Volume[];
}

/**
 * `core/v1 Toleration`: an empty `key` with `Exists` tolerates every taint; an empty `effect` every
 * effect; `tolerationSeconds` (NoExecute only) is how long the pod stays bound after the taint was added.
 * Source: https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/
 */
export interface Toleration {
  key?: string;
  operator?: 'Exists' | 'Equal';
  value?: string;
  effect?: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
  tolerationSeconds?: number;
}

/** `core/v1 NodeSelectorRequirement` (Gt/Lt compare the label and the single value as integers). */
export interface NodeSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt';
  values?: string[];
}

/** `core/v1 NodeSelectorTerm`: requirements ANDed; `matchFields` supports `metadata.name` only. */
export interface NodeSelectorTerm {
  matchExpressions?: NodeSelectorRequirement[];
  matchFields?: NodeSelectorRequirement[];
}

/** `core/v1 Affinity`. Source: https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/ */
export interface Affinity {
  nodeAffinity?: {
    /** Terms ORed: a node must match one. */
    requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms: NodeSelectorTerm[] };
    /** Weight 1..100 per term, summed over the terms a node matches (scored, not filtered). */
    preferredDuringSchedulingIgnoredDuringExecution?: { weight: number; preference: NodeSelectorTerm }[];
  };
  /** Required terms ANDed (Filter); preferred terms weighted (Score, weight 1..100). */
  podAffinity?: PodAffinityRules;
  /** Required terms: no matching pod in the domain (Filter, also for existing pods: symmetry); preferred terms subtract their weight. */
  podAntiAffinity?: PodAffinityRules;
}

/** `core/v1 PodAffinity` / `PodAntiAffinity`. */
export interface PodAffinityRules {
  requiredDuringSchedulingIgnoredDuringExecution?: PodAffinityTerm[];
  preferredDuringSchedulingIgnoredDuringExecution?: { weight: number; podAffinityTerm: PodAffinityTerm }[];
}

/**
 * `core/v1 PodAffinityTerm`: the pods matching `labelSelector` (nil selects none) in `namespaces`
 * (empty and no `namespaceSelector`: the pod's own; `namespaceSelector: {}`: every namespace), counted
 * per domain of `topologyKey` (the value of that Node label).
 */
export interface PodAffinityTerm {
  labelSelector?: FullLabelSelector;
  namespaces?: string[];
  namespaceSelector?: FullLabelSelector;
  topologyKey: string;
}

/** `metav1.LabelSelectorRequirement`. */
export interface LabelSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[];
}

/** `metav1.LabelSelector` with expressions (used by topology spread constraints). */
export interface FullLabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

/**
 * `core/v1 TopologySpreadConstraint`. Defaults (K pkg/apis/core/v1): nodeAffinityPolicy Honor,
 * nodeTaintsPolicy Ignore, minDomains 1. Source:
 * https://kubernetes.io/docs/concepts/scheduling-eviction/topology-spread-constraints/
 */
export interface TopologySpreadConstraint {
  maxSkew: number;
  topologyKey: string;
  whenUnsatisfiable: 'DoNotSchedule' | 'ScheduleAnyway';
  labelSelector?: FullLabelSelector;
  /** Only with DoNotSchedule: fewer eligible domains than this count the global minimum as 0. */
  minDomains?: number;
  /** Pod label keys whose values are ANDed into the selector (e.g. `pod-template-hash`). */
  matchLabelKeys?: string[];
  nodeAffinityPolicy?: 'Honor' | 'Ignore';
  nodeTaintsPolicy?: 'Honor' | 'Ignore';
}

/** `core/v1 PodTemplateSpec`. */
export interface PodTemplateSpec {
  metadata: { labels: Record<string, string>; annotations?: Record<string, string> };
  spec: PodSpec;
}

/** `core/v1 ContainerState`: exactly one of the three is set. Times are sim seconds. */
export interface ContainerState {
  waiting?: { reason: string; message?: string };
  running?: { startedAt: SimSeconds };
  terminated?: { exitCode: number; reason: string; startedAt?: SimSeconds; finishedAt: SimSeconds };
}

/** `core/v1 ContainerStatus`; `restartCount` counts every restart (kubernetes-behaviour.md §1). */
export interface ContainerStatus {
  name: string;
  image: string;
  ready: boolean;
  started: boolean;
  restartCount: number;
  state: ContainerState;
  lastState: ContainerState;
}

/**
 * `core/v1 PodPhase` (W workloads/pods/pod-lifecycle.md). `CrashLoopBackOff` and `Terminating` are
 * kubectl STATUS strings, not phases: see shared/sim/status.ts `podDisplayStatus`.
 */
export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';

/** `core/v1 PodCondition`; `lastTransitionTime` in sim seconds. */
export interface PodCondition {
  type: 'PodScheduled' | 'Initialized' | 'ContainersReady' | 'Ready';
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  /** Human-readable detail (the scheduler's FitError text on `PodScheduled=False`). */
  message?: string;
  lastTransitionTime: SimSeconds;
}

/** `core/v1 PodStatus` subset; `startTime` in sim seconds. */
export interface PodStatus {
  phase: PodPhase;
  conditions: PodCondition[];
  containerStatuses: ContainerStatus[];
  /** (added) Statuses of `spec.initContainers`, in order; absent when the Pod has none. */
  initContainerStatuses?: ContainerStatus[];
  /** e.g. `Evicted`, `NodeLost`. */
  reason?: string;
  message?: string;
  startTime?: SimSeconds;
  /** The Node DefaultPreemption freed for this pod (set when it preempted victims there). */
  nominatedNodeName?: string;
}

/**
 * Sim-only data of a Pod (not part of the Kubernetes API). Parsed quantities and the workload model.
 */
export interface PodSim {
  /** Sum of container requests, millicores / MiB (0 when unset). */
  cpuRequestMilli: number;
  memRequestMiB: number;
  /** Sum of container memory limits in MiB, or null when any container has none (unbounded). */
  memLimitMiB: number | null;
  /** Image of the first container: selects the {@link ImageProfile} (error rate, latency, memory). */
  image: string;
  /** ReplicaSet `pod-template-hash` of this pod. */
  templateHash: string;
  /** Current working-set memory in MiB (the kubelet's view); updated when it changes. */
  memoryMiB: number;
  /** Sim second the current container started (for uptime-based memory growth), or null. */
  containerStartedAt: SimSeconds | null;
  /** CrashLoopBackOff bookkeeping: current back-off delay in seconds (0 = none yet). */
  backoffSeconds: number;
  /** Sim second of the last container failure (back-off resets after 600 s without one). */
  lastFailureAt: SimSeconds | null;
  /** When the current waiting/transition ends (ContainerCreating -> Running, BackOff -> restart...). */
  nextTransitionAt: SimSeconds | null;
  /** True when the pod counts as a Ready endpoint right now (cached from conditions). */
  ready: boolean;
  /**
   * (added, issue 6) True from the kubelet finding every image of the Pod already on its Node
   * (`imagePullPolicy` not Always; no pull) until the containers start (`already present on machine`).
   * Absent otherwise.
   */
  imagesPresent?: true;
  /**
   * (added, issue 6) The images the kubelet pulls for the Pod when only some of them are missing (the
   * others are `already present on machine`), until the containers start. Absent otherwise.
   */
  pulledImages?: string[];
  /**
   * (added, issue 6) The variables the kubelet resolved from ConfigMaps / Secrets when it created the
   * current containers (only containers that read any: `envFrom`, `valueFrom`); `kubectl exec -- env` prints them.
   */
  envAtStart?: { container: string; vars: [string, string][] }[];
  /** (added, issue 6) Sim second the pull of a changed image began (../controllers/kubelet.ts kubeletImageChanged), until the containers start. */
  pullStartedAt?: SimSeconds;
  /**
   * (added) The kubelet's probe workers of the current container life (shared/sim/controllers/kubelet.ts).
   * Absent for Pods without probes, and for warm-started Pods whose probes never had to run.
   */
  probes?: PodProbes;
}

/** One probe worker (startup, readiness or liveness) of a Pod: K pkg/kubelet/prober/worker.go. */
export interface ProbeWorker {
  /** Sim second of the next probe (its timer), or null while the worker is idle (nothing can change its result). */
  next: SimSeconds | null;
  /** Consecutive failures / successes (the `resultRun` of worker.go). */
  failures: number;
  successes: number;
}

/** The probe workers of a Pod's current container life: one per probe kind, of the first container that declares it. */
export interface PodProbes {
  /** False until the startup probe succeeded (true at once without one): liveness and readiness wait for it. */
  started: boolean;
  startup?: ProbeWorker;
  readiness?: ProbeWorker;
  liveness?: ProbeWorker;
}

/** `core/v1 Pod` plus the sim-only {@link PodSim} block (dropped when served as API JSON). */
export interface Pod {
  apiVersion: 'v1';
  kind: 'Pod';
  metadata: ObjectMeta;
  spec: PodSpec;
  status: PodStatus;
  sim: PodSim;
}

/** `apps/v1 DeploymentStrategy`. maxSurge/maxUnavailable: int or percent string (`"25%"`). */
export interface DeploymentStrategy {
  type: 'RollingUpdate' | 'Recreate';
  rollingUpdate?: { maxSurge?: number | string; maxUnavailable?: number | string };
}

/** `metav1.LabelSelector`, `matchLabels` only (shared/manifests ignores `matchExpressions` with a warning). */
export interface LabelSelector {
  matchLabels: Record<string, string>;
}

/**
 * `apps/v1 DeploymentCondition`; times in sim seconds. Reasons as in K pkg/controller/deployment/util/
 * deployment_util.go (`NewReplicaSetAvailable`, `ReplicaSetUpdated`, `ProgressDeadlineExceeded`...).
 */
export interface DeploymentCondition {
  type: 'Available' | 'Progressing' | 'ReplicaFailure';
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  lastUpdateTime: SimSeconds;
  lastTransitionTime: SimSeconds;
}

/** `apps/v1 Deployment` subset. Defaults from pkg/apis/apps/v1/defaults.go. */
export interface Deployment {
  apiVersion: 'apps/v1';
  kind: 'Deployment';
  metadata: ObjectMeta;
  spec: {
    replicas: number;
    selector: LabelSelector;
    template: PodTemplateSpec;
    strategy: DeploymentStrategy;
    revisionHistoryLimit: number;
    progressDeadlineSeconds: number;
    minReadySeconds: number;
    paused?: boolean;
  };
  status: {
    observedGeneration: number;
    replicas: number;
    updatedReplicas: number;
    readyReplicas: number;
    availableReplicas: number;
    unavailableReplicas: number;
    conditions: DeploymentCondition[];
  };
}

/** `apps/v1 ReplicaSet` subset. Annotation `deployment.kubernetes.io/revision` holds the revision. */
export interface ReplicaSet {
  apiVersion: 'apps/v1';
  kind: 'ReplicaSet';
  metadata: ObjectMeta;
  spec: { replicas: number; selector: LabelSelector; template: PodTemplateSpec; minReadySeconds: number };
  status: {
    replicas: number;
    readyReplicas: number;
    availableReplicas: number;
    fullyLabeledReplicas: number;
    observedGeneration: number;
  };
}

/** `core/v1 ServicePort`; `targetPort` defaults to `port`, `protocol` to TCP. */
export interface ServicePort {
  name?: string;
  port: number;
  targetPort?: number | string;
  nodePort?: number;
  protocol?: string;
}

/** `core/v1 Service` subset. */
export interface Service {
  apiVersion: 'v1';
  kind: 'Service';
  metadata: ObjectMeta;
  spec: {
    type: 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';
    selector: Record<string, string>;
    ports: ServicePort[];
    clusterIP?: string;
  };
  status: { loadBalancer: { ingress?: { ip: string }[] } };
}

/**
 * One endpoint of an EndpointSlice (`discovery/v1 Endpoint`): a Pod's address, its conditions
 * (`ready` = Ready and not terminating; terminating endpoints are never ready), the Pod it points to and
 * its Node. The optional `serving` condition is left unset (discovery/v1 allows nil; consumers then
 * read it as `ready`): the sim's terminating pods stop serving at once.
 */
export interface Endpoint {
  /** The Pod's IP (one address per endpoint), see shared/sim/kinds/print.ts `podAddress`. */
  addresses: string[];
  conditions: { ready: boolean; serving?: boolean; terminating: boolean };
  targetRef: { kind: 'Pod'; name: string; namespace: string; uid: string };
  nodeName: string;
}

/** `discovery/v1 EndpointPort`: the port the endpoints serve (the Service's numeric targetPort, else its port). */
export interface EndpointPort {
  name?: string;
  port: number;
  protocol: string;
}

/**
 * `discovery/v1 EndpointSlice` (K pkg/controller/endpointslice): one per Service here (same key and
 * name as the Service; a real cluster splits at 100 endpoints and suffixes a random string), label
 * `kubernetes.io/service-name`, endpoints in pod-key order.
 */
export interface EndpointSlice {
  apiVersion: 'discovery.k8s.io/v1';
  kind: 'EndpointSlice';
  metadata: ObjectMeta;
  addressType: 'IPv4';
  endpoints: Endpoint[];
  ports: EndpointPort[];
}

/** The former name of {@link EndpointSlice} (kept for existing imports). */
export type Endpoints = EndpointSlice;

/** `core/v1 NodeCondition`; times in sim seconds (kubernetes-behaviour.md §3). */
export interface NodeCondition {
  type: 'Ready' | 'MemoryPressure' | 'DiskPressure' | 'PIDPressure';
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  lastHeartbeatTime: SimSeconds;
  lastTransitionTime: SimSeconds;
}

/**
 * `core/v1 Taint`; `timeAdded` in sim seconds (NoExecute taints: start of the pods' 300 s default
 * toleration, kubernetes-behaviour.md §3).
 */
export interface Taint {
  key: string;
  value?: string;
  effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
  timeAdded?: SimSeconds;
}

/** kubelet `--node-status-max-images` default: at most this many images in a Node's `status.images`. */
export const NODE_STATUS_MAX_IMAGES = 50;

/** `core/v1 ContainerImage`: one image on a Node, its references and its size in bytes. */
export interface ContainerImage {
  names: string[];
  /** Bytes (the kubelet reports the image's size on disk). */
  sizeBytes: number;
}

/** `core/v1 Node` subset. Zone is the `topology.kubernetes.io/zone` label. */
export interface Node {
  apiVersion: 'v1';
  kind: 'Node';
  metadata: ObjectMeta;
  spec: { unschedulable: boolean; taints: Taint[] };
  status: {
    capacity: { cpu: string; memory: string; pods: string };
    allocatable: { cpu: string; memory: string; pods: string };
    conditions: NodeCondition[];
    /**
     * (issue 6) `core/v1 ContainerImage` list the kubelet reports: the images on the Node, largest
     * first, at most {@link NODE_STATUS_MAX_IMAGES} (kubelet `--node-status-max-images` 50; K
     * pkg/kubelet/nodestatus/setters.go Images). Added when the kubelet finished pulling a Pod's
     * images there (and at createSim for the Pods of a warm start); names are the Pods' references,
     * `:latest` appended when untagged. Read by the scheduler's ImageLocality score. Absent = none.
     */
    images?: ContainerImage[];
  };
  sim: {
    /** Parsed allocatable: millicores, MiB, pods. */
    cpuAllocatableMilli: number;
    memAllocatableMiB: number;
    podsAllocatable: number;
    /** Sum of requests of pods bound here, millicores / MiB, and their count (kept incrementally). */
    cpuRequestedMilli: number;
    memRequestedMiB: number;
    podCount: number;
    /** False while the machine/kubelet is down (incident): no heartbeats, pods stop. */
    kubeletUp: boolean;
    /** Last Lease renewal, sim seconds. */
    lastHeartbeat: SimSeconds;
    /**
     * (added by the controllers) Sim second the node lifecycle controller noticed the kubelet stopped
     * heartbeating, or null while the node is healthy. Drives the 50 s grace and 300 s eviction timers.
     */
    lostAt: SimSeconds | null;
    /**
     * (added, issue 6) Sim second the Node's container runtime (containerd) went down, absent while it
     * runs (the container-runtime-down incident): the kubelet keeps posting status (Ready False) but
     * can start, stop and probe no container; the containers already running keep serving (containerd's shims).
     */
    runtimeDownSince?: SimSeconds;
    /**
     * (added, issue 6) Sim second since which the kubelet runs (its containers keep serving) but none of
     * its requests reaches the API server (kubelet-cert-expiry: its client certificate expired): to the
     * control plane a silent kubelet, like `kubeletUp` false; absent otherwise.
     */
    silentSince?: SimSeconds;
    /** (added by the node lifecycle controller) The kubelet kept running while it was lost (silent, not down): its containers are adopted on recovery. */
    lostRunning?: true;
  };
}

/**
 * `policy/v1 PodDisruptionBudget`: at most so many of the selected pods may be disrupted voluntarily
 * (evictions: `kubectl drain`) at a time. Exactly one of `minAvailable` / `maxUnavailable` (int or
 * percent string). Its status (expected / healthy / allowed disruptions) is derived when read
 * (shared/sim/kinds/poddisruptionbudget.ts `pdbBudget`), not stored: the sim has no disruption controller.
 */
export interface PodDisruptionBudget {
  apiVersion: 'policy/v1';
  kind: 'PodDisruptionBudget';
  metadata: ObjectMeta;
  spec: {
    selector: LabelSelector;
    minAvailable?: number | string;
    maxUnavailable?: number | string;
    /** Default `IfHealthyBudget`: a not-Ready pod may be evicted only while the budget is met. */
    unhealthyPodEvictionPolicy?: 'IfHealthyBudget' | 'AlwaysAllow';
  };
}
