/**
 * The simulation's data model: Kubernetes objects (metadata/spec/status with real field names), the
 * control plane, the traffic/SLO bookkeeping and the whole serialisable {@link SimState}.
 *
 * Units used everywhere in the sim (and stated again on each field):
 * - time: **sim seconds** (a float-free integer count of seconds since match start unless noted);
 *   one tick advances {@link SimState.tickSeconds} sim seconds.
 * - CPU: **millicores** (1 core = 1000 m). Memory: **MiB**. Traffic: **requests/s**. Latency: **ms**.
 *
 * Objects in `spec` keep Kubernetes' own shapes (quantities stay strings such as `"100m"` / `"128Mi"`)
 * so they can be served as Kubernetes API JSON; the parsed numbers the sim needs on hot paths live in
 * each object's `sim` block, which is *not* part of the Kubernetes API and is dropped when serving.
 *
 * Everything here is plain JSON data (no Map, no class, no undefined-vs-missing games): the state can be
 * structured-cloned, hashed canonically and sent over the wire.
 *
 * The Kubernetes object kinds live in ./kinds/types.ts (re-exported here, so every import of this module
 * keeps working); this module holds the rest of the state.
 *
 * This module may import ./kinds/types.ts only.
 */

export * from './kinds/types.ts';
export * from './kinds/workloadTypes.ts';
export * from './kinds/storageTypes.ts';
export * from './kinds/quotaTypes.ts';
export * from './kinds/autoscalingTypes.ts';
export * from './kinds/batchTypes.ts';
export * from './kinds/configTypes.ts';
import type { Affinity, ContainerPort, Volume, VolumeMount, DeploymentStrategy, Deployment, EndpointSlice, PodDisruptionBudget, EnvVar, EnvFromSource, ImagePullPolicy, LabelSelector, Node, Pod, Probe, ReplicaSet, ResourceRequirements, Service, ServicePort, SimSeconds, Taint, Toleration, TopologySpreadConstraint } from './kinds/types.ts';
import type { DaemonSet, PersistentVolumeClaimTemplate, ReplicationController, StatefulSet } from './kinds/workloadTypes.ts';
import type { PersistentVolumeClaim } from './kinds/storageTypes.ts';
import type { HorizontalPodAutoscaler, HorizontalPodAutoscalerManifest } from './kinds/autoscalingTypes.ts';
import type { CronJob, CronJobManifest, Job, JobManifest } from './kinds/batchTypes.ts';
import type { LimitRange, PolicyManifest, ResourceQuota } from './kinds/quotaTypes.ts';
import type { PriorityClass, PriorityClassManifest } from './kinds/priorityclass.ts';
import type { ConfigManifest, ConfigMap, Secret } from './kinds/configTypes.ts';
import { kindsWhere, type KindsWhere } from './kinds/writable.ts';
import type { ControllerRevision } from './kinds/controllerRevision.ts';

export type { PriorityClass, PriorityClassManifest } from './kinds/priorityclass.ts';
export type { ControllerRevision } from './kinds/controllerRevision.ts';

// ---------------------------------------------------------------------------------------------------
// Control plane
// ---------------------------------------------------------------------------------------------------

/** One etcd member. Raft quorum = floor(n/2)+1 (etcd server/etcdserver/util.go). */
export interface EtcdMember {
  name: string;
  /** Process up and reachable. */
  healthy: boolean;
  /** Restore in progress: member comes back at this sim second. */
  restoringUntil: SimSeconds | null;
  /** (added) ID given by `etcdctl member add` (16 hex digits); absent: derived from the name (shared/sim/actions/etcdMembership.ts). */
  id?: string;
  /** (added) Client/peer IP, frozen on the first reconfiguration or given by `member add`; absent: 10.0.0.(10 + index). */
  ip?: string;
  /** (added) Added by `etcdctl member add` and not started yet (`member list`: `unstarted`). */
  unstarted?: boolean;
}

/**
 * A leader-election Lease (coordination.k8s.io/v1, kube-system) as its component sees it. Sim seconds.
 * Source: k8s.io/client-go/tools/leaderelection; kubernetes-behaviour.md §6.
 */
export interface LeaderLease {
  name: 'kube-controller-manager' | 'kube-scheduler';
  /** `holderIdentity` of the running process while it leads, null after it lost the Lease. */
  holder: string | null;
  /** Last successful renewal (the Lease's `renewTime`). */
  renewedAt: SimSeconds;
  /** Processes started since the cluster was created (a lost Lease makes the process exit). */
  process: number;
  /** Next acquire attempt of a process without the Lease (every retryPeriod 2 s). */
  nextTryAt: SimSeconds;
}

/**
 * (added) etcd's backend database (bbolt) against its space quota (`--quota-backend-bytes`, default
 * 2 GiB): `sizeMiB` is the file (what `endpoint status` shows as DB SIZE), `inUseMiB` the pages in use;
 * history written between `historyFromRev` and `historyToRev` takes `historyMiB` until compacted;
 * compaction frees pages (in use drops) and defragmentation gives them back (size drops to in use).
 * `alarm`: the NOSPACE alarm is raised (writes refused until `etcdctl alarm disarm`). Source:
 * https://etcd.io/docs/v3.5/op-guide/maintenance/#space-quota.
 */
export interface EtcdDb {
  quotaMiB: number;
  sizeMiB: number;
  inUseMiB: number;
  /** Live keys' size (what stays after a full compaction), MiB. */
  liveMiB: number;
  historyMiB: number;
  historyFromRev: number;
  historyToRev: number;
  /** Last compaction revision (0: none since the incident). */
  compactedRev: number;
  alarm: boolean;
}

/** etcd membership and the health of the components that need it (kubernetes-behaviour.md §6). */
export interface ControlPlane {
  etcd: {
    members: EtcdMember[];
    /** Name of the current Raft leader, or null during an election / without quorum. */
    leader: string | null;
    /** A leader can be elected (healthy members >= quorum). */
    hasQuorum: boolean;
    /** Sim second a pending election completes (election-timeout 1 s rounded to a tick). */
    electionAt: SimSeconds | null;
    /** Raft term, bumped per election. */
    term: number;
    /**
     * (added) The backend database when an incident filled it (etcd-nospace); absent: a small healthy
     * database (24 MB). Sizes in MiB; revisions are etcd revisions (the API's resourceVersions).
     */
    db?: EtcdDb;
  };
  /**
   * kube-controller-manager's and kube-scheduler's leader-election Leases in kube-system (created on the
   * first tick, shared/sim/controllers/etcd.ts `leaseSync`).
   */
  leases?: LeaderLease[];
  /** Status of the other components as shown to players: kube-apiserver's etcd check, the Lease holders. */
  components: { name: 'kube-apiserver' | 'kube-scheduler' | 'kube-controller-manager'; healthy: boolean; message: string }[];
  /** (added) True when createSim built the kube-system objects and the control-plane mirror Pods (shared/sim/kubeSystem.ts). */
  staticPods?: boolean;
  /**
   * (added) Static Pods whose manifest on the control-plane hosts is broken (the control-plane-down
   * incident): the process crash-loops since `since` (sim seconds), exiting with `reason` in its log.
   */
  brokenStaticPods?: Partial<Record<'kube-scheduler' | 'kube-controller-manager', { since: SimSeconds; reason: string }>>;
  /** (added) Restarts a static Pod's container accumulated in earlier crash loops (kept in its restartCount). */
  staticPodRestarts?: Partial<Record<'kube-scheduler' | 'kube-controller-manager', number>>;
  /** (added) Sim second a static Pod's current container started (after its manifest was restored). */
  staticPodStartedAt?: Partial<Record<'kube-scheduler' | 'kube-controller-manager', SimSeconds>>;
  /**
   * (added, issue 6) Sim second the kube-apiserver's serving certificate expired, while it still serves
   * it (the apiserver-cert-expiry incident); absent while valid. Every client verifying it fails: the
   * console's kubectl, and the controller-manager's and scheduler's Lease renewals (controllers/etcd.ts).
   */
  apiserverCertExpiredAt?: SimSeconds;
  /** (added, issue 6) Sim second each kubeadm leaf certificate was last renewed (`kubeadm certs renew NAME`), by its kubeadm name. */
  certRenewedAt?: Partial<Record<string, SimSeconds>>;
}

// ---------------------------------------------------------------------------------------------------
// Events, traffic, SLOs, incidents, actions
// ---------------------------------------------------------------------------------------------------

/**
 * One occurrence of an Event, as written by the correlator (shared/sim/events.ts): reasons are real
 * Kubernetes reasons (`Scheduled`, `BackOff`, ...). Repeats of a series are new entries carrying the
 * series' `count` and `firstT`; `kubectl get events` shows the newest entry of each series.
 */
export interface SimEvent {
  /** Sim second of this (the last) occurrence: the Event's `lastTimestamp`. */
  t: SimSeconds;
  type: 'Normal' | 'Warning';
  reason: string;
  object: { kind: string; name: string; namespace: string };
  message: string;
  /** Reporting component: `default-scheduler`, `kubelet`, `deployment-controller`, `player:NAME`... */
  source: string;
  /** Monotonic sequence number (total order of events). */
  seq: number;
  /** Occurrences of the series so far, this one included (the Event's `count`), >= 1. */
  count: number;
  /** Sim second of the series' first occurrence (the Event's `firstTimestamp`). */
  firstT: SimSeconds;
}

/**
 * One of the game's own annotations (shared/sim/notices.ts `recordNotice`): a pager alert firing or
 * resolving (`kind: 'alert'`), an incident starting, mitigated, skipped, or its fault's window over
 * (`'incident'`). Not a Kubernetes Event: never in `kubectl get events` nor the API's events; the
 * client's events feed shows it beside the Events.
 */
export interface SimNotice {
  /** Sim second it was recorded. */
  t: SimSeconds;
  /** The notice's own number: 0, 1, ... in the order written. */
  seq: number;
  /** Events recorded before it (`counters.eventSeq` then): it comes before the Event of that `seq`. */
  after: number;
  kind: 'alert' | 'incident';
  /** How the feed shows it (a Warning row or a Normal one). */
  type: 'Normal' | 'Warning';
  /** `SLOBurnRateHigh`, `SLOBurnRateResolved`, `IncidentStarted`, `IncidentMitigated`, `IncidentInvalid`, `PartitionHealed`, `TrafficNormal`, `ChaosRecovered`, `NodeRecovered`. */
  reason: string;
  message: string;
  /** What it is about (the feed's object column), when anything. */
  object?: { kind: string; name: string; namespace: string };
}

/** An event waiting for etcd to accept writes (shared/sim/events.ts `recordEvent`): no seq yet. */
export type QueuedEvent = Omit<SimEvent, 'seq' | 'count' | 'firstT'>;

/** Behaviour of one container image (a "version"), declared by the scenario. */
export interface ImageProfile {
  /** Share of requests this version fails on its own, 0..1. */
  errorRate: number;
  /** Median own latency, ms (before load and downstream calls). */
  latencyMs: number;
  /** Working-set memory right after start, MiB. */
  baseMemoryMiB: number;
  /**
   * (added) When set, the working set right after start is this share of the Pod's memory request
   * instead of `baseMemoryMiB` (capped at 90 % of its limit; 64 MiB with neither): the rule for images
   * the scenario does not describe (shared/sim/workingSet.ts). Absent when the scenario declares
   * `baseMemoryMiB`.
   */
  baseMemoryShare?: number;
  /** Memory growth, MiB per sim second of container uptime (a leak), 0 = flat. */
  memoryGrowthMiBPerSec: number;
  /** Growth stops here, MiB (a cache that fills up), or null = grows without bound. */
  memoryPlateauMiB: number | null;
  /**
   * Sim second the growth began (a leak that starts mid-match): containers already running grow from
   * here, not from their start. Absent = from each container's start.
   */
  memoryGrowthSince?: SimSeconds;
  /** CPU per request, millicore-seconds: a pod saturates at cpuLimit (or request) / this requests/s. */
  cpuPerRequestMilli: number;
  /**
   * (added) True when this version never passes its readiness probe (a bad rollout that stalls: new pods
   * stay 0/1 and the Deployment hits ProgressDeadlineExceeded). Only matters for containers that declare a
   * readinessProbe; without a probe the pod is Ready as soon as it starts. Default false.
   */
  failsReadiness?: boolean;
  /**
   * (added) Sim seconds after its container starts before the app answers its probes (it listens):
   * until then httpGet / tcpSocket probes are refused, gRPC probes time out connecting and exec probes
   * fail, so a startup probe that has not passed within initialDelaySeconds + failureThreshold x
   * periodSeconds kills the container. Absent: {@link DEFAULT_APP_START_SECONDS} in
   * shared/sim/controllers/kubelet.ts (0: the app listens as soon as its container runs).
   */
  startupSeconds?: number;
  /**
   * (added, issue 6) Ports the image's process listens on besides the ones its container declares
   * (CoreDNS: its health 8080 and ready 8181 endpoints, which kubeadm's manifest probes without declaring
   * them); a probe on any other undeclared port is refused (shared/sim/controllers/kubelet.ts `probeOutcome`).
   */
  listenPorts?: number[];
  /**
   * (added) Sim seconds this image runs when used as an init container before it exits. Absent:
   * {@link DEFAULT_INIT_SECONDS} in shared/sim/controllers/kubelet.ts (2 s). Our rule.
   */
  initSeconds?: number;
  /**
   * (added) Exit code of this image as an init container (non-zero: `Init:Error`, then restarted with the
   * crash-loop back-off, `Init:CrashLoopBackOff`, unless restartPolicy is Never). Default 0 (success).
   */
  initExitCode?: number;
  /**
   * (added) True when this image reference does not exist in the registry (a mistyped tag): every pull
   * fails with `ErrImagePull` (`rpc error: code = NotFound`), then `ImagePullBackOff` while the kubelet
   * waits 10 s doubling to 300 s before the next attempt (shared/sim/controllers/kubelet.ts). Default false.
   */
  pullFails?: boolean;
  /**
   * (added, issue 6) Size of the image, MiB: a Node that pulled it reports it in `status.images`
   * (`sizeBytes`), which the scheduler's ImageLocality score weighs. Absent:
   * {@link DEFAULT_IMAGE_SIZE_MIB} (100 MiB). Our default, not a Kubernetes value.
   */
  sizeMiB?: number;
}

/** Image size, MiB, when the image profile sets no `sizeMiB` (our default: a typical service image). */
export const DEFAULT_IMAGE_SIZE_MIB = 100;

/**
 * One kind of request a Service serves (a route such as Online Boutique's `/cart/checkout`): its share
 * of the Service's requests and the downstream Services each such request calls, in order.
 */
export interface CallPath {
  /** A label (`home`, `checkout`), for people; not used by the model. */
  name: string;
  /** Relative weight, > 0 (the caller's paths are normalised to sum to 1). */
  weight: number;
  /** Downstream Service references (`cartservice` or `namespace/name`); may be empty. */
  calls: string[];
}

/** Traffic figures of one Service over the last tick. */
export interface ServiceTraffic {
  /** Offered load, requests/s. */
  rps: number;
  /** Failed share of requests, 0..1. */
  errorRate: number;
  /** Latency percentiles of successful requests, ms. */
  p50Ms: number;
  p99Ms: number;
  /** Endpoints of its EndpointSlice that are ready (receive traffic), and all of them. */
  readyEndpoints: number;
  totalEndpoints: number;
}

/**
 * A multi-window burn-rate alert tier (SRE Workbook ch. 5), windows scaled to the SLO period of four
 * matches (shared/sim/slo.ts `defaultAlertTiers(sloPeriodSeconds(durationSeconds))`). Fires while both
 * windows burn faster than `burnRateThreshold`.
 */
export interface BurnRateAlertTier {
  name: string;
  severity: 'page' | 'ticket';
  /** Window lengths, sim seconds (counted in whole ticks, at least one). */
  longWindowSeconds: number;
  shortWindowSeconds: number;
  /** Burn rate (error ratio / (1 - SLO)) both windows must exceed, e.g. 14.4. */
  burnRateThreshold: number;
}

/** State of one SLI/SLO pair. */
export interface SloState {
  name: 'availability' | 'latency';
  /** Target, e.g. 0.99. Error budget = 1 - target. */
  target: number;
  /** Cumulative good and valid event counts since match start. */
  good: number;
  valid: number;
  /** Per-tick buckets of [good, valid] for the longest alert window (ring buffer, one bucket a tick). */
  buckets: { good: number[]; valid: number[]; head: number };
  /**
   * Current figures (derived each tick, cached for projection): SLI 0..1, budget remaining against the
   * whole SLO period of four matches (1 = untouched, < 0 = overspent; shared/sim/slo.ts `periodBudgetRemaining`).
   */
  sli: number;
  errorBudgetRemaining: number;
  /** Burn rate over each tier's long and short window, by tier name. */
  burnRates: Record<string, { long: number; short: number }>;
  /**
   * Good/valid counts of the tick just simulated, written by `updateTraffic` (shared/sim/traffic.ts)
   * and folded into the buckets by `updateSlos` (shared/sim/slo.ts). Integers.
   */
  lastTick: { good: number; valid: number };
  /**
   * Running [good, valid] sums over each alert window, keyed by the window length in ticks (`"300"`),
   * so a window's burn rate costs O(1) per tick (add the newest bucket, subtract the one leaving).
   */
  windowSums: Record<string, { good: number; valid: number }>;
}

/** One (SLO, alert tier) pair's alert, kept whether firing or not (shared/sim/slo.ts `updateSlos`). */
export interface Alert {
  /** Stable id, e.g. `availability-page-fast`. */
  id: string;
  severity: 'page' | 'ticket';
  slo: 'availability' | 'latency';
  firing: boolean;
  /** Sim second of the last transition (started or stopped firing). */
  since: SimSeconds;
  summary: string;
}

/** The incident kinds the sim knows: the keys of the incident registry (shared/sim/incidents/registry.ts). */
export type IncidentType = import('./incidents/registry.ts').IncidentType;

/** An incident as authored in a scenario: data, not code. */
export interface IncidentSpec {
  id: string;
  type: IncidentType;
  /** Sim second at which it strikes. */
  at: SimSeconds;
  /** What it hits: a Deployment name, a Node name or etcd member names, per type. */
  target: string;
  /**
   * The kind's params as written; parsed by its schema (defaults applied) when the incident starts
   * (its module's `params`, shared/sim/incidents/<kind>.ts). Invalid params close the incident as `IncidentInvalid`.
   */
  params: Record<string, number | string | boolean | string[]>;
  /** Player-facing title. */
  title?: string;
}

/**
 * An incident during the match: `scheduled` -> `active` (started, sim second `startedAt`) -> `mitigated`
 * (sim second `mitigatedAt`). See shared/sim/incidents/index.ts.
 */
export interface IncidentState {
  spec: IncidentSpec;
  status: 'scheduled' | 'active' | 'mitigated';
  startedAt: SimSeconds | null;
  mitigatedAt: SimSeconds | null;
  /** Per-type bookkeeping (e.g. the bad image, the members stopped). */
  data: Record<string, number | string | boolean | string[] | null>;
}

/**
 * A player action, validated at the boundary. Each takes simulated time (see `durationSeconds` in
 * the action handlers) and shows in the event stream.
 */
export type SimAction =
  /** `kubectl delete pod NAME [--grace-period=N] [--force]` (`gracePeriodSeconds`: sim seconds, 0..3600). */
  | { type: 'deletePod'; pod: string; force?: boolean; gracePeriodSeconds?: number }
  /** `kubectl scale deployment|statefulset/NAME --replicas=N` (`kind` absent: a Deployment; `deployment` holds the name). */
  | { type: 'scaleDeployment'; deployment: string; replicas: number; kind?: 'StatefulSet' }
  | { type: 'rolloutUndo'; deployment: string; toRevision?: number; kind?: 'StatefulSet' | 'DaemonSet' }
  /** `kubectl rollout restart deployment|statefulset|daemonset/NAME` (`kind` absent: a Deployment; `deployment` holds the name). */
  | { type: 'rolloutRestart'; deployment: string; kind?: 'StatefulSet' | 'DaemonSet' }
  /** `kubectl set image deployment|statefulset|daemonset/NAME C=IMAGE` (`kind` absent: a Deployment; `deployment` holds the name). */
  | { type: 'setImage'; deployment: string; container?: string; image: string; kind?: 'StatefulSet' | 'DaemonSet' }
  | { type: 'setResources'; deployment: string; container?: string; limits?: { cpu?: string; memory?: string }; requests?: { cpu?: string; memory?: string } }
  | { type: 'cordonNode'; node: string }
  | { type: 'uncordonNode'; node: string }
  | { type: 'drainNode'; node: string }
  | { type: 'restoreEtcdMember'; member: string }
  /** `kubectl label KIND NAME k=v k2-` (`value: null` removes the label): shared/sim/actions/metadata.ts. */
  | { type: 'label'; kind: MetadataKind; name: string; labels: MetadataChange[] }
  /** `kubectl annotate KIND NAME k=v k2-`: as {@link SimAction} `label`, on `metadata.annotations`. */
  | { type: 'annotate'; kind: MetadataKind; name: string; annotations: MetadataChange[] }
  /** `kubectl taint nodes NAME key[=value]:Effect` / `key:Effect-`: the Node's whole new `spec.taints` list. */
  | { type: 'taintNode'; node: string; taints: Omit<Taint, 'timeAdded'>[] }
  /** `kubectl create -f` / `apply -f` of a new apps/v1 Deployment: its manifest (YAML or JSON text, one object). */
  | { type: 'createDeployment'; manifest: string }
  /** `kubectl create -f` / `apply -f` of a new v1 Service: its manifest (YAML or JSON text, one object). */
  | { type: 'createService'; manifest: string }
  /** `kubectl delete deployment NAME [--cascade=background|foreground|orphan]`. */
  | { type: 'deleteDeployment'; deployment: string; propagation?: 'Background' | 'Foreground' | 'Orphan' }
  /** (issue 11) `kubectl delete KIND NAME [--cascade=...]` of a {@link DeletableKind} (shared/sim/actions/objects.ts). */
  | { type: 'deleteObject'; kind: DeletableKind; name: string; namespace?: string; propagationPolicy?: 'Background' | 'Foreground' | 'Orphan' }
  /** (issue 11) `kubectl create -f` of one PDB, ResourceQuota, LimitRange, Job, CronJob, StatefulSet or DaemonSet (YAML or JSON text). */
  | { type: 'createObject'; manifest: string }
  /**
   * (added, issue 6) `kubectl apply -f` of an EXISTING LimitRange, Job, CronJob, StatefulSet, DaemonSet,
   * ConfigMap or Secret: the desired object (YAML or JSON text, one object), validated as the API server's
   * update of that kind validates it (shared/sim/actions/apply.ts).
   */
  /** `removeLabels` / `removeAnnotations`: keys the write removes (real kubectl's three-way patch `null`s, a PUT leaving them out). */
  | { type: 'applyObject'; manifest: string; removeLabels?: string[]; removeAnnotations?: string[] }
  /**
   * (added) An operator command outside the Kubernetes API (shared/sim/actions/admin.ts): etcd
   * maintenance (`etcdctl compact REV`, `etcdctl defrag`, `etcdctl alarm disarm`) and kubeadm on the
   * control plane (`kubeadm init phase control-plane scheduler|controller-manager`, `kubeadm kubeconfig
   * user --client-name system:node:NODE` for a Node's kubelet client certificate). `arg`: the revision,
   * the component or the Node.
   */
  | { type: 'adminCommand'; command: AdminCommand; arg?: string }
  /** `kubectl patch KIND NAME -p PATCH`: a JSON merge patch (text) of a policy object's spec (shared/sim/actions/patch.ts). */
  | { type: 'patchObject'; kind: PatchableKind; name: string; patch: string }
  /**
   * `kubectl autoscale deployment NAME --max=N [--min=M] [--cpu-percent=P] [--name=HPA]`: creates an
   * autoscaling/v2 HorizontalPodAutoscaler for the Deployment (`deployment`: `name` or `namespace/name`).
   */
  | { type: 'autoscale'; deployment: string; maxReplicas: number; minReplicas?: number; cpuPercent?: number; name?: string }
  /** `kubectl patch hpa NAME -p '{"spec":{"maxReplicas":N}}'`: changes an HPA's min/max replicas or CPU target. */
  | { type: 'patchAutoscaler'; hpa: string; maxReplicas?: number; minReplicas?: number; cpuPercent?: number }
  /** (added) `kubectl rollout pause|resume deployment/NAME`: `spec.paused`. */
  | { type: 'pauseRollout'; deployment: string; paused: boolean }
  /** (added) `kubectl set env deployment/NAME [-c C] KEY=VALUE KEY-`: literal env values (`value: null` removes). */
  | { type: 'setEnv'; deployment: string; container?: string; env: { name: string; value: string | null }[] }
  /**
   * (added) etcd runtime reconfiguration (shared/sim/actions/etcdMembership.ts): `etcdctl member remove
   * ID` (`member`: the hex ID) or `etcdctl member add NAME --peer-urls=URL` (`member`: the name).
   */
  | { type: 'etcdMember'; op: 'add' | 'remove'; member: string; peerUrl?: string }
  /** (added) An operator command on a Node's host: `ssh NODE sudo systemctl reboot` (shared/sim/actions/nodeReboot.ts). */
  | { type: 'nodeOperation'; op: 'reboot' | 'replace'; node: string };

/** (issue 11) Kinds {@link SimAction} `deleteObject` deletes (Pods and Deployments have their own actions): computed from ./kinds/writable.ts. */
export const DELETABLE_KINDS = kindsWhere('delete', 'deleteObject');
/** A kind of {@link DELETABLE_KINDS}. */
export type DeletableKind = (typeof DELETABLE_KINDS)[number];

/** (added) The {@link SimAction} `adminCommand` commands. */
export type AdminCommand = 'etcdctl-compact' | 'etcdctl-defrag' | 'etcdctl-alarm-disarm' | 'kubeadm-control-plane' | 'kubeadm-kubelet-cert' | 'containerd-restart' | 'kubeadm-certs-renew';

/** Kinds a player may patch ({@link SimAction} `patchObject`). */
export type PatchableKind = KindsWhere<'patch', 'patchObject'>;

/** Kinds whose labels and annotations a player may change ({@link SimAction} `label` / `annotate`). */
export type MetadataKind = 'Pod' | 'Node' | 'Deployment' | 'Service';

/** One label or annotation change: set `key` to `value`, or remove it (`value: null`, kubectl's `key-`). */
export interface MetadataChange {
  key: string;
  value: string | null;
}

/** An action with who did it and when it was accepted (the replay log's unit). */
export interface LoggedAction {
  /**
   * `state.tick` when the action was applied. A replay applies it when `state.tick` equals this value,
   * i.e. just before step `tick + 1` runs the controllers (shared/game: `submit` logs it, `replayMatch`
   * replays it).
   */
  tick: number;
  player: string;
  action: SimAction;
}

/**
 * Result of submitting an action: accepted (with its effect time) or rejected with a reason. A write
 * refused because etcd has no quorum or no leader carries `repliesAt`, the sim second the API server
 * answers (etcd's 7 s request timeout, shared/sim/controllers/etcd.ts `REQUEST_TIMEOUT_SECONDS`): an
 * adapter holds the reply until then; the refusal itself changed nothing.
 */
export type ActionResult =
  | { ok: true; message: string; completesAt: SimSeconds }
  | { ok: false; error: string; repliesAt?: SimSeconds };

/**
 * The kinds of sim-internal timers, each owned by one controller (shared/sim/timers.ts `TIMER_OWNER`):
 * kubelet container transitions, node lifecycle grace/eviction, Deployment progress deadline, ReplicaSet
 * minReadySeconds re-sync, etcd election. The string values are stored in the state (and hashed).
 */
export type TimerKind =
  | 'kubelet.start'
  | 'kubelet.ready'
  | 'kubelet.restart'
  | 'kubelet.backoff'
  | 'kubelet.oom'
  | 'kubelet.gone'
  | 'kubelet.probe'
  | 'kubelet.pullbackoff'
  | 'kubelet.pull'
  | 'kubelet.liveness'
  | 'kubelet.startup'
  | 'kubelet.exit'
  | 'kubelet.mount'
  | 'kubelet.init'
  | 'kubelet.initrestart'
  | 'kubelet.initbackoff'
  | 'node.grace'
  | 'node.evict'
  | 'node.taint'
  | 'deploy.deadline'
  | 'rs.sync'
  | 'etcd.election';

/** A scheduled sim-internal transition (the timer wheel's unit): `kind` for object `ref` at sim second `at`. */
export interface Timer {
  at: SimSeconds;
  seq: number;
  kind: TimerKind;
  ref: string;
}

/** Seeded PRNG state (sfc32: four uint32 words). */
export interface RngState {
  a: number;
  b: number;
  c: number;
  d: number;
}

/** Settings fixed at match creation (part of the replay record). */
export interface SimSettings {
  seed: number;
  /** Sim seconds per tick (default 1). */
  tickSeconds: number;
  /** Match length in sim seconds. */
  durationSeconds: number;
}

/** Names (`namespace/name` keys, sorted) of the ConfigMaps, Secrets and PVCs of the manifests. */
export interface ConfigObjects {
  configMaps: string[];
  secrets: string[];
  persistentVolumeClaims: string[];
}

/** The full, serialisable state of one team's simulated cluster. */
export interface SimState {
  schemaVersion: 1;
  scenarioId: string;
  settings: SimSettings;
  /** Current sim time, seconds; `tick * tickSeconds`. */
  t: SimSeconds;
  tick: number;
  rng: RngState;
  /**
   * Monotonic counters for uids, resourceVersions, event and timer sequence numbers, and `actions`: the
   * player actions this cluster accepted so far (the id of the last pending action; the game's score
   * inputs live in shared/game, not here).
   */
  counters: { uid: number; resourceVersion: number; eventSeq: number; timerSeq: number; actions: number };
  nodes: Record<string, Node>;
  /** Keyed `namespace/name`. */
  pods: Record<string, Pod>;
  /** Deployments, ReplicaSets, Services and EndpointSlices are keyed `namespace/name` too (e.g. `default/frontend`). */
  deployments: Record<string, Deployment>;
  replicaSets: Record<string, ReplicaSet>;
  services: Record<string, Service>;
  /** One per Service, same key as the Service. */
  endpoints: Record<string, EndpointSlice>;
  /**
   * (added) PodDisruptionBudgets, keyed `namespace/name`; absent until the first one is created (so a
   * state without any hashes as before).
   */
  podDisruptionBudgets?: Record<string, PodDisruptionBudget>;
  /** (added) v1 ResourceQuotas, keyed `namespace/name`; absent until the first one is created. */
  resourceQuotas?: Record<string, ResourceQuota>;
  /** (added) v1 LimitRanges, keyed `namespace/name`; absent until the first one is created. */
  limitRanges?: Record<string, LimitRange>;
  /**
   * (added, issue 6) scheduling.k8s.io/v1 PriorityClasses by name (cluster-scoped), without the built-in
   * `system-*` ones (derived on read: ./kinds/priorityclass.ts); absent until the first one is created.
   */
  priorityClasses?: Record<string, PriorityClass>;
  /** (added, issue 6) v1 ConfigMaps by `namespace/name` (./kinds/config.ts); absent until the first is created. */
  configMaps?: Record<string, ConfigMap>;
  /** (added, issue 6) v1 Secrets by `namespace/name`, data base64; absent until the first is created. */
  secrets?: Record<string, Secret>;
  /** (added) v1 ReplicationControllers by `namespace/name`; absent until the first is created. */
  replicationControllers?: Record<string, ReplicationController>;
  /** (added) apps/v1 StatefulSets by `namespace/name`; absent until the first is created. */
  statefulSets?: Record<string, StatefulSet>;
  /** (added) apps/v1 DaemonSets by `namespace/name`; absent until the first is created. */
  daemonSets?: Record<string, DaemonSet>;
  /** (added, issue 6) apps/v1 ControllerRevisions of StatefulSets / DaemonSets by `namespace/name` (./kinds/controllerRevision.ts); absent until the first. */
  controllerRevisions?: Record<string, ControllerRevision>;
  /** (added) autoscaling/v2 HorizontalPodAutoscalers by `namespace/name`; absent until the first is created. */
  horizontalPodAutoscalers?: Record<string, HorizontalPodAutoscaler>;
  /** (added) batch/v1 Jobs by `namespace/name`; absent until the first is created. */
  jobs?: Record<string, Job>;
  /** (added) batch/v1 CronJobs by `namespace/name`; absent until the first is created. */
  cronJobs?: Record<string, CronJob>;
  controlPlane: ControlPlane;
  images: Record<string, ImageProfile>;
  /** Service call graph: service key -> downstream service keys (declared or inferred from env). */
  callGraph: Record<string, string[]>;
  /**
   * (added) Optional (soft) calls: caller Service key -> sorted downstream Service keys whose failure the
   * caller tolerates (graceful degradation). Each is also an edge of {@link SimState.callGraph}; keys and
   * values are Service keys (`namespace/name`) like the call graph's. A failed optional call does not
   * fail the caller's request but still adds its latency (ms; 1 ms connection refused when the
   * downstream has no ready endpoint, else the downstream's own latency): see shared/sim/traffic.ts.
   * Source: Online Boutique's frontend renders pages without ads / recommendations when adservice or
   * recommendationservice fails (it logs the error and continues). `{}` = every call is hard.
   */
  optionalCalls: Record<string, string[]>;
  /**
   * (added) Declared call paths: caller Service reference -> the kinds of request it serves, each with
   * its share of the caller's requests and the downstream Services one such request calls (a home page
   * view and a checkout call different Services). Absent or no entry for a caller: the default rule of
   * shared/sim/trafficGraph.ts (each request calls one of the caller's downstream Services, equally
   * weighted). Only present when the input declares some.
   */
  callPaths?: Record<string, CallPath[]>;
  /**
   * Entry points of traffic (Service keys) and their offered load (requests/s). An entry with `from`
   * (a Deployment key) comes from that Deployment's Pods inside the cluster (an in-cluster client, e.g.
   * a load generator), which matters during a network partition (shared/sim/trafficPartition.ts); one
   * without comes from outside (the load balancer).
   */
  ingress: { service: string; rps: number; from?: string }[];
  /** The user-facing Service whose SLIs are scored: a Service key (`namespace/name`), like the call graph and ingress entries. */
  userFacingService: string;
  /** Keyed by Service key. */
  traffic: Record<string, ServiceTraffic>;
  slos: { availability: SloState; latency: SloState & { thresholdMs: number } };
  alertTiers: BurnRateAlertTier[];
  alerts: Alert[];
  incidents: IncidentState[];
  /** Most recent events, oldest first, at most `eventLimit`. */
  events: SimEvent[];
  eventLimit: number;
  /** Events that happened while etcd could not write, oldest first (absent when none wait). */
  eventQueue?: QueuedEvent[];
  /** The game's annotations (alerts, incidents), oldest first, at most `NOTICE_LIMIT` (shared/sim/notices.ts). */
  notices: SimNotice[];
  /** Pending timers, kept as a binary min-heap ordered by (at, seq). */
  timers: Timer[];
  /** Objects changed since the controllers last looked at them (workqueues), keyed by kind. */
  dirty: { deployments: string[]; replicaSets: string[]; pods: string[]; nodes: string[]; services: string[] };
  /** (added, issue 6) Pods created with `spec.nodeName` on an existing Node, waiting for its kubelet's admission (controllers/kubeletAdmit.ts), in creation order. Absent until one is. */
  kubeletAdmitQueue?: string[];
  /** (added, issue 6) Pods created bound to a Node that does not exist, with the sim second of the first PodGC pass that saw them (controllers/podgc.ts). Absent until one is. */
  podGcOrphans?: { key: string; firstPass: SimSeconds }[];
  /** Player actions whose effect is still in progress (drain, etcd restore...). */
  pendingActions: { id: number; player: string; action: SimAction; completesAt: SimSeconds }[];
  /**
   * (added) Nodes being replaced (`nodeOperation` op `replace`, shared/sim/actions/nodeReboot.ts): the
   * deleted Node as it was, by name, until its replacement registers. Absent when none.
   */
  replacingNodes?: Record<string, Node>;
  /** Warnings produced while loading the workloads (skipped kinds...). */
  warnings: string[];
  /** (added) Profile used for images not listed in {@link SimState.images} (copied in when first used). */
  defaultImageProfile: ImageProfile;
  /**
   * (added) Memory fields of each image profile (`base|growth|plateau`) as the kubelet last applied them:
   * a changed profile (an incident writing `images[x]`) makes the kubelet recompute that image's pods.
   */
  imageProfileSeen: Record<string, string>;
  /**
   * (added) Probe fields of the profile of each image whose Pods have probes (`latencyMs|cpuPerRequestMilli|
   * failsReadiness|startupSeconds`) as the kubelet last saw them: a change (an incident writing
   * `images[x]` in place) wakes the probe workers of that image's Pods (shared/sim/controllers/kubelet.ts).
   * Null-prototype; absent until a Pod with probes started.
   */
  probeProfileSeen?: Record<string, string>;
  /** (added) kube-scheduler queues (pod keys) and its rotating node sampling index. */
  scheduler: SchedulerState;
  /**
   * (added) Node-pressure faults the kubelet's eviction manager works on, by Node name
   * (shared/sim/controllers/eviction.ts); absent while no Node has one (so a state without any hashes as
   * before). Written by the node-pressure incidents, removed by the eviction manager once the fault is
   * gone and the condition cleared.
   */
  nodePressure?: Record<string, NodePressure>;
  /**
   * (added) The node lifecycle controller's NoExecute tainters, one rate-limited queue per zone (by the
   * `topology.kubernetes.io/zone` label, `''` without one; null-prototype), shared/sim/controllers/nodeLifecycle.ts.
   * A zone is listed only while it differs from the idle default (Normal, 0.1 Nodes/s, token available,
   * nothing queued); absent when no zone does (so a state without any hashes as before).
   */
  nodeTainters?: Record<string, ZoneTainter>;
  /**
   * (added) The ConfigMaps / Secrets / PVCs that exist ({@link SimInput.configObjects}); absent when the
   * manifests define none (so a state without any hashes as before).
   */
  configObjects?: ConfigObjects;
  /** (added) v1 PersistentVolumeClaims by `namespace/name` (./kinds/pvc.ts); absent until the first is created. */
  persistentVolumeClaims?: Record<string, PersistentVolumeClaim>;
}

/** A zone's state for the node lifecycle controller (K node_lifecycle_controller.go `ComputeZoneState`). */
export type ZoneState = 'Normal' | 'PartialDisruption' | 'FullDisruption';

/**
 * (added) One zone's `zoneNoExecuteTainter` (K pkg/controller/nodelifecycle/scheduler/rate_limited_queue.go
 * `RateLimitedTimedQueue` over a client-go token bucket of burst 1): the Nodes waiting for their
 * NoExecute taint and the bucket. Sim seconds; rate in Nodes per sim second.
 */
export interface ZoneTainter {
  /** The zone's state as the controller last saw it (`handleDisruption`). */
  state: ZoneState;
  /** Tainting rate, Nodes per sim second: 0.1 (`--node-eviction-rate`), 0.01 (`--secondary-node-eviction-rate`) or 0 (stopped). */
  qps: number;
  /** Sim second from which the bucket holds its one token again (taken at `t`: `t + 1 / qps`). */
  readyAt: SimSeconds;
  /** Node names waiting for the NoExecute taint, first in first out. */
  queue: string[];
  /** Sim second of the pass timer already scheduled for this zone (`node.taint`), or null. */
  wakeAt: SimSeconds | null;
}

/**
 * (added) What makes a Node run short of memory or disk, and the kubelet's eviction bookkeeping. MiB,
 * sim seconds. Source: W concepts/scheduling-eviction/node-pressure-eviction.md.
 */
export interface NodePressure {
  /** Memory used outside the Pods (a leaking system daemon), MiB; `recoverAt`: it is restarted then (null: never). */
  memory?: { outsideMiB: number; recoverAt: SimSeconds | null; lastBelowAt: SimSeconds | null };
  /**
   * The root filesystem (images share it: `nodefs` and `imagefs` are one disk): its size, what system
   * files take besides the images the Node lists in `status.images`, and the Pod filling it (`filler`, a
   * Pod key; its `fillerMiB` of files and `fillerInodes` inodes go with it once it is no longer active).
   * MiB. `images`: the image garbage collector's records (K image_gc_manager.go imageRecord), by name:
   * first detected and last used, sim seconds. `gcFailed`: the last periodic image GC could not free
   * enough (a second failure in a row adds `ImageGCFailed`).
   */
  disk?: {
    capacityMiB: number;
    systemMiB: number;
    filler: string | null;
    fillerMiB: number;
    fillerInodes: number;
    lastBelowAt: SimSeconds | null;
    images: { name: string; firstDetected: SimSeconds; lastUsed: SimSeconds }[];
    gcFailed: boolean;
  };
  /**
   * Process IDs (`pid.available`): the Node's `pid_max`, the hard threshold the kubelet is configured
   * with (share of `pidMax`), the Pod forking (`forker`, a Pod key), its process count now and the
   * processes it adds per sim second (they go with it once it is no longer active).
   */
  pid?: { pidMax: number; threshold: number; forker: string | null; forkerPids: number; forksPerSecond: number; lastBelowAt: SimSeconds | null };
}

/**
 * (added) The scheduler's queues, kept in the state so a replay schedules identically.
 * Source: kube-scheduler's activeQ / unschedulablePods (K pkg/scheduler/backend/queue/scheduling_queue.go).
 */
/**
 * (issue 6) The filter plugins a parked Pod's last failure names, as bits, for QueueingHints (K
 * pkg/scheduler/framework/plugins/*: EventsToRegister): a cluster event moves a parked Pod back only if one
 * of the plugins that rejected it registers for that event. Shared by the scheduler and the write path.
 */
export const QUEUE_HINT = {
  NodeUnschedulable: 1,
  TaintToleration: 2,
  NodeAffinity: 4,
  NodePorts: 8,
  NodeResourcesFit: 16,
  PodTopologySpread: 32,
  InterPodAffinity: 64,
  VolumeBinding: 128,
  /** The plugins that register an assigned Pod's deletion (NodeResourcesFit, NodePorts, PodTopologySpread, InterPodAffinity). */
  PodDeleted: 16 | 8 | 32 | 64,
  /** The plugins that register a Pod's assignment to a Node (PodTopologySpread, InterPodAffinity). */
  PodAssigned: 32 | 64,
} as const;

export interface SchedulerState {
  /** Pods waiting for a scheduling attempt, FIFO. */
  activeQ: string[];
  /**
   * Pods that failed and were moved by a cluster event while still backing off: they go to activeQ at
   * `podInfo[key].backoffUntil` (kube-scheduler's podBackoffQ). Ordered by that time, then insertion.
   */
  backoffQ: string[];
  /**
   * Pods that failed (kube-scheduler's unschedulablePods), in the order they failed: they cost nothing
   * until a cluster event (node freed, added, uncordoned or Ready; etcd back) or the 5 min leftover flush.
   */
  unschedulable: string[];
  /** True when a cluster event (node added, changed, uncordoned, Ready; etcd back) asks to retry every unschedulable pod. */
  moveRequested: boolean;
  /**
   * (issue 6) QueueingHints: the {@link QUEUE_HINT} plugins a cluster event since the last move may help
   * (a Pod deleted from a Node, a PVC created): only the parked Pods one of those plugins rejected are
   * retried (`podInfo[key].rejected`). Absent when none.
   */
  moveMask?: number;
  /**
   * (added) How many Pods at the front of `unschedulable` a cluster event still has to move back
   * (lazy unparking: at most the per-tick scheduling budget a tick, shared/sim/controllers/scheduler.ts
   * `moveQueues`). Absent when none.
   */
  unparkPending?: number;
  /**
   * (issue 6) QueueingHints of the pending move: only the parked Pods one of these {@link QUEUE_HINT}
   * plugins rejected move back (absent: every Pod, an all-plugin event). The Pods it examined and kept
   * parked are the first `unparkFrom` of `unschedulable` (absent: 0); the `unparkPending` follow them.
   */
  unparkMask?: number;
  unparkFrom?: number;
  /**
   * (issue 6) Keys of Pods the scheduler nominated to a Node by preemption (`status.nominatedNodeName`)
   * and not bound yet: the scheduling framework's nominator (K pkg/scheduler/backend/queue/nominator.go),
   * whose Pods reserve room on their Node against Pods of equal or lower priority. Pruned lazily; absent when none.
   */
  nominated?: string[];
  /** Where the next node sampling starts (percentageOfNodesToScore rotation), index in sorted node names. */
  nextStartNodeIndex: number;
  /**
   * Per Pod key that failed at least once: `attempts` (scheduling attempts so far), `backoffUntil` (sim
   * second its backoff of `min(1 * 2^(attempts-1), 10)` s ends) and `parkedAt` (sim second it entered
   * `unschedulable`). Dropped when the pod binds or is gone.
   */
  podInfo: Record<string, { attempts: number; backoffUntil: number; parkedAt: number; rejected?: number }>;
  /** Sim second of the last flushUnschedulablePodsLeftover (every 30 s). */
  lastFlushAt: number;
}

// ---------------------------------------------------------------------------------------------------
// Input: what a scenario + manifests resolve to before the sim starts
// ---------------------------------------------------------------------------------------------------

/**
 * A Deployment as loaded from a manifest (validated by shared/manifests): Kubernetes shape, with the
 * defaults not yet applied (the sim applies pkg/apis/apps/v1/defaults.go values).
 */
/**
 * (added) A pod-owning workload other than a Deployment, as loaded from a manifest (shared/manifests):
 * apps/v1 ReplicaSet, v1 ReplicationController (its map selector as `matchLabels`, defaulted from the
 * template labels), apps/v1 StatefulSet, apps/v1 DaemonSet (no `replicas`: one Pod per matching Node).
 */
export interface WorkloadManifest {
  apiVersion: 'apps/v1' | 'v1';
  kind: 'ReplicaSet' | 'ReplicationController' | 'StatefulSet' | 'DaemonSet';
  metadata: DeploymentManifest['metadata'];
  spec: {
    replicas?: number;
    selector: { matchLabels: Record<string, string> };
    template: DeploymentManifest['spec']['template'];
    minReadySeconds?: number;
    /** StatefulSet: the governing (headless) Service. */
    serviceName?: string;
    /** StatefulSet: default OrderedReady. */
    podManagementPolicy?: 'OrderedReady' | 'Parallel';
    /** (added) StatefulSet / DaemonSet update strategy (defaults: RollingUpdate, partition 0 / maxUnavailable 1). */
    updateStrategy?: { type?: 'RollingUpdate' | 'OnDelete'; rollingUpdate?: { partition?: number; maxUnavailable?: number | string; maxSurge?: number | string } };
    /** (added) StatefulSet: claims made per ordinal (../sim/kinds/pvc.ts). */
    volumeClaimTemplates?: PersistentVolumeClaimTemplate[];
    /** (issue 6) StatefulSet: Retain (default) or Delete the claims when the set is deleted / scaled down. */
    persistentVolumeClaimRetentionPolicy?: { whenDeleted?: 'Retain' | 'Delete'; whenScaled?: 'Retain' | 'Delete' };
    /** (added, issue 6) StatefulSet / DaemonSet: old ControllerRevisions kept (default 10). */
    revisionHistoryLimit?: number;
  };
}

/**
 * An `apps/v1 Deployment` as a scenario or manifest file gives it, before defaulting (the sim's
 * {@link Deployment} is the defaulted, stored form). Quantities are Kubernetes strings (`250m`, `64Mi`).
 */
export interface DeploymentManifest {
  apiVersion: 'apps/v1';
  kind: 'Deployment';
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: {
    replicas?: number;
    selector: LabelSelector;
    template: {
      metadata: { labels: Record<string, string>; annotations?: Record<string, string> };
      spec: {
        containers: {
          name: string;
          image: string;
          env?: EnvVar[];
          /** (added, issue 6) ConfigMaps / Secrets whose keys become environment variables. */
          envFrom?: EnvFromSource[];
          ports?: ContainerPort[];
          resources?: ResourceRequirements;
          readinessProbe?: Probe;
          livenessProbe?: Probe;
          startupProbe?: Probe;
          /** (added, issue 6) Absent: the kubelet applies the default (Always for `:latest` / untagged, else IfNotPresent). */
          imagePullPolicy?: ImagePullPolicy;
          volumeMounts?: VolumeMount[];
        }[];
        /** (added) Init containers (their fields as `containers`, plus `command` / `args`). */
        initContainers?: (DeploymentManifest['spec']['template']['spec']['containers'][number] & { command?: string[]; args?: string[]; restartPolicy?: 'Always' })[];
        /** (added) Volumes, kept as given ({@link Volume}). */
        volumes?: Volume[];
        restartPolicy?: 'Always' | 'OnFailure' | 'Never';
        terminationGracePeriodSeconds?: number;
        /** (added, issue 6) The Node its Pods are bound to at creation (no scheduling). */
        nodeName?: string;
        nodeSelector?: Record<string, string>;
        tolerations?: Toleration[];
        affinity?: Affinity;
        topologySpreadConstraints?: TopologySpreadConstraint[];
        priorityClassName?: string;
        priority?: number;
        preemptionPolicy?: 'PreemptLowerPriority' | 'Never';
      };
    };
    strategy?: DeploymentStrategy;
    revisionHistoryLimit?: number;
    progressDeadlineSeconds?: number;
    minReadySeconds?: number;
  };
}

/**
 * (added) A bare `v1 Pod` as a manifest gives it: its metadata and its spec in the shape of a pod
 * template (so it is defaulted like a Deployment's template, shared/sim/create.ts).
 */
export interface PodManifest {
  apiVersion: 'v1';
  kind: 'Pod';
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  template: DeploymentManifest['spec']['template'];
}

/** A Service as loaded from a manifest; `type` defaults to ClusterIP. */
export interface ServiceManifest {
  apiVersion: 'v1';
  kind: 'Service';
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: { type?: 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName'; selector?: Record<string, string>; ports: ServicePort[] };
}

/** One worker node to create. Quantities as Kubernetes strings. */
export interface NodeSpecInput {
  name: string;
  zone: string;
  cpu: string;
  memory: string;
  /** Max pods (kubelet default 110). */
  pods?: number;
  /** (added) Extra Node labels (beside `kubernetes.io/hostname`, `topology.kubernetes.io/zone`...). */
  labels?: Record<string, string>;
  /** (added) Node taints (`timeAdded` is set to 0). */
  taints?: Omit<Taint, 'timeAdded'>[];
}

/** Everything the sim needs to start a match. Produced from a scenario file (shared/scenario). */
export interface SimInput {
  scenarioId: string;
  settings: SimSettings;
  nodes: NodeSpecInput[];
  /** etcd member names; default three: etcd-0..2. */
  etcdMembers?: string[];
  deployments: DeploymentManifest[];
  /** (added) ReplicaSets, ReplicationControllers, StatefulSets and DaemonSets of the manifests. */
  workloads?: WorkloadManifest[];
  /** (added) HorizontalPodAutoscalers of the manifests (autoscaling/v2; v1 converted). */
  autoscalers?: HorizontalPodAutoscalerManifest[];
  /** (added) Jobs and CronJobs of the manifests (batch/v1). */
  jobs?: JobManifest[];
  cronJobs?: CronJobManifest[];
  /** (added) ResourceQuotas, LimitRanges and PodDisruptionBudgets of the manifests (./policies.ts). */
  policies?: PolicyManifest[];
  /** (added, issue 6) PriorityClasses of the manifests, stored at createSim before any Pod (./policies.ts `storePriorityClasses`). */
  priorityClasses?: PriorityClassManifest[];
  services: ServiceManifest[];
  /** (added) Bare Pods of the manifests (`kind: Pod`): created at createSim without an owner. */
  pods?: PodManifest[];
  /**
   * (added) The PersistentVolumeClaims the manifests define (by name only). (issue 6) ConfigMap and
   * Secret names listed here (older inputs) are stored as empty objects at createSim, unless
   * {@link SimInput.configs} defines them; shared/manifests lists none any more. Absent: none exist.
   */
  configObjects?: ConfigObjects;
  /** (added) PersistentVolumeClaims of the manifests, stored (Bound) at createSim (./kinds/pvc.ts). */
  persistentVolumeClaims?: PersistentVolumeClaimTemplate[];
  /**
   * (added, issue 6) The ConfigMaps and Secrets of the manifests with their data (./configs.ts stores
   * them at createSim); the kubelet resolves `envFrom`, `env.valueFrom` and configMap / secret volumes
   * against the stored objects. Absent: none.
   */
  configs?: ConfigManifest[];
  /** Profiles by exact image reference; unlisted images use `defaultImage`. */
  images: Record<string, Partial<ImageProfile>>;
  defaultImage?: Partial<ImageProfile>;
  /** Declared call graph (service name -> downstream service names); else inferred from env values. */
  callGraph?: Record<string, string[]>;
  /**
   * (added) Optional (soft) calls: caller Service name (or `namespace/name`) -> downstream Service names
   * whose failure the caller tolerates (graceful degradation: the request still succeeds, the failed
   * call still costs latency). Each must also be an edge of the call graph (declared or inferred); the
   * sim ignores, with a warning, pairs that are not. Source: Online Boutique's frontend, which renders
   * pages without ads / recommendations when adservice or recommendationservice fails. Default: none
   * (every call is hard: a downstream failure fails the caller's request).
   */
  optionalCalls?: Record<string, string[]>;
  /**
   * (added) Call paths per caller Service (see {@link SimState.callPaths}): every call must be an edge of
   * the call graph (others are ignored with a warning). Default: each request calls one downstream.
   */
  callPaths?: Record<string, CallPath[]>;
  /** Offered load per entry Service; default: LoadBalancer/NodePort Services (else call-graph roots). */
  ingress?: { service: string; rps: number; from?: string }[];
  /** Total offered load, requests/s, split across entry Services when `ingress` is absent. */
  rps?: number;
  userFacingService: string;
  slo: { availability: number; latency: { thresholdMs: number; target: number } };
  alertTiers?: BurnRateAlertTier[];
  incidents: IncidentSpec[];
  warnings?: string[];
  /**
   * (added) When true the workloads start at t=0 like a fresh `kubectl apply` (pods Pending ->
   * ContainerCreating -> Running). Default false: the cluster was already running, pods are Running and
   * Ready at t=0 (no start-up events).
   */
  coldStart?: boolean;
  /**
   * (added) Build the objects a real cluster has besides the workloads: the `kubernetes` Service, CoreDNS
   * (`kube-system/coredns` + `kube-dns`), the kube-proxy DaemonSet and the control-plane static Pods
   * (shared/sim/kubeSystem.ts). Default false here; shared/scenario turns it on for scenarios.
   */
  kubeSystem?: boolean;
}

/** What `gameday sim --json` prints and what a stored match result keeps. */
export interface MatchSummary {
  scenarioId: string;
  seed: number;
  /** Sim seconds simulated. */
  durationSeconds: number;
  ticks: number;
  stateHash: string;
  slo: {
    /** Availability SLI over the match, fraction 0..1. */
    availability: number;
    /** Latency SLI (share of requests under the threshold), fraction 0..1. */
    latency: number;
    /** Availability error budget remaining, fraction (may go below 0 when overspent). */
    errorBudgetRemaining: number;
    latencyErrorBudgetRemaining: number;
  };
  score: number;
  scoreBreakdown: Record<string, number>;
  incidents: { id: string; type: IncidentType; startedAt: SimSeconds | null; mitigatedAt: SimSeconds | null }[];
  actions: number;
}
