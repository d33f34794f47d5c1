/**
 * The kubelet of every node: starts containers of bound pods (ContainerCreating -> Running), readiness,
 * the memory model with OOMKilled / CrashLoopBackOff, and graceful pod termination.
 *
 * Values (kubernetes-behaviour.md §1-2): OOMKilled = exit code 137, shown as the container's
 * `lastState.terminated.reason` (no Pod event: the kubelet records `BackOff`); restart back-off: first
 * restart immediate, then 10 s doubling to a 300 s cap, reset once a container has run 10 minutes
 * without failing (K pkg/kubelet kubelet.go initialCrashLoopBackOff / MaxContainerBackOff; W
 * workloads/pods/pod-lifecycle.md "Container restarts"); readiness probe defaults period 10 s,
 * initialDelay 0 (K SetDefaults_Probe); grace period 30 s. All times are sim seconds.
 *
 * Image pulls of a reference the registry does not have (profile `pullFails`, the bad-image-tag
 * incident): `ErrImagePull` with a Warning `Failed`, one sync later `ImagePullBackOff` (`BackOff`
 * "Back-off pulling image"), the next attempt 10 s later, doubling to 300 s (K pkg/kubelet/kubelet.go
 * backOffPeriod 10 s, MaxImageBackOff 300 s; pkg/kubelet/images/image_manager.go). A container whose
 * `envFrom` names a ConfigMap / Secret that does not exist is not created: `CreateContainerConfigError`
 * with Warning `Failed` `Error: configmap "x" not found`, retried every 10 s by the pod worker (K
 * pkg/kubelet/kuberuntime/kuberuntime_container.go, pod_workers.go backOffPeriod; jitter not modelled).
 * Liveness probes (kubernetes-behaviour.md §2): an httpGet / tcpSocket probe on a numeric port the
 * container does not declare among its `ports` (when it declares any) is refused; after
 * `failureThreshold` (3) failures `periodSeconds` (10 s) apart, each a Warning `Unhealthy` "Liveness probe
 * failed: ... connection refused", the kubelet kills the container (`Killing` "failed liveness probe,
 * will be restarted"; last state `Error`, exit 137) and restarts it with the crash-loop back-off.
 *
 * Simplifications: every container of a pod moves in lockstep; image pulls take 2-5 s (PRNG); a failing
 * re-pull takes 1 s; apps exit on SIGTERM, so a graceful deletion ends after min(grace, 2-5 s); exec and
 * grpc liveness probes always pass. A node whose kubelet is down changes none of its pods (timers for
 * them are dropped and the pods are restarted when the node returns).
 */
import { apiWritable, deletePod, isWarmStart, noteChange, registerPodTerminationHandler, removePod, updateStatus } from '../apiserver.ts';
import { emit } from '../emit.ts';
import { getIndex } from '../cache.ts';
import { cloneContainerState, isTerminating, setCondition, setContainerStates, setPodReady } from '../podutil.ts';
import { nextInt } from '../prng.ts';
import { scheduleTimer, type TimerKind } from '../timers.ts';
import type { Container, ContainerState, ImageProfile, Pod, SimSeconds, SimState, Timer } from '../types.ts';
import { podIp } from '../kinds/print.ts';
import { baseWorkingSetMiB, type MemoryBasis } from '../workingSet.ts';

/** First back-off delay after the immediate first restart, seconds. */
export const INITIAL_BACKOFF_SECONDS = 10;
/** Back-off cap, seconds (MaxContainerBackOff). */
export const MAX_BACKOFF_SECONDS = 300;
/** A container that ran this long before it failed starts the back-off afresh, seconds (10 min). */
export const BACKOFF_RESET_SECONDS = 600;
/** Exit code of a container killed by the OOM killer (128 + SIGKILL). */
export const OOM_EXIT_CODE = 137;
/** First wait after a failed image pull, seconds (kubelet backOffPeriod); doubles per failure. */
export const IMAGE_BACKOFF_SECONDS = 10;
/** Image pull back-off cap, seconds (MaxImageBackOff). */
export const MAX_IMAGE_BACKOFF_SECONDS = 300;
/** Pod worker retry after a failed sync (CreateContainerConfigError), seconds (kubelet backOffPeriod). */
export const SYNC_RETRY_SECONDS = 10;
/** Exit code of a container killed after a failed liveness probe (SIGKILL), shown with reason `Error`. */
export const LIVENESS_EXIT_CODE = 137;

const T_START: TimerKind = 'kubelet.start';
const T_READY: TimerKind = 'kubelet.ready';
const T_RESTART: TimerKind = 'kubelet.restart';
const T_BACKOFF: TimerKind = 'kubelet.backoff';
const T_OOM: TimerKind = 'kubelet.oom';
const T_GONE: TimerKind = 'kubelet.gone';
const T_PROBE: TimerKind = 'kubelet.probe';
const T_PULL_BACKOFF: TimerKind = 'kubelet.pullbackoff';
const T_PULL: TimerKind = 'kubelet.pull';
const T_LIVENESS: TimerKind = 'kubelet.liveness';

/** The profile of an image: `state.images[image]` read live (incidents change it), else the default. */
export function profileOf(state: SimState, image: string): ImageProfile {
  return state.images[image] ?? state.defaultImageProfile;
}

/**
 * Working-set memory, MiB, at sim second `now` of a container started at `startedAt`:
 * `min(plateau, base + growth * (now - max(startedAt, growthSince)))`, `base` by the working-set rule
 * of ../workingSet.ts for the Pod's requests/limits `basis` (declared `baseMemoryMiB`, else 60 % of the
 * request capped at 90 % of the limit). A leak that begins during a
 * container's life (`memoryGrowthSince`, set by the memory-leak incident) grows from that moment, so
 * players see usage climb before the first `OOMKilled`; restarted containers grow from their start.
 */
export function memoryAt(profile: ImageProfile, startedAt: SimSeconds, now: SimSeconds, basis?: MemoryBasis): number {
  const since = Math.max(startedAt, profile.memoryGrowthSince ?? startedAt);
  const m = baseWorkingSetMiB(profile, basis) + profile.memoryGrowthMiBPerSec * Math.max(0, now - since);
  return profile.memoryPlateauMiB === null ? m : Math.min(profile.memoryPlateauMiB, m);
}

function nodeUp(state: SimState, pod: Pod): boolean {
  const n = pod.spec.nodeName ? state.nodes[pod.spec.nodeName] : undefined;
  return n !== undefined && n.sim.kubeletUp;
}

function later(state: SimState, seconds: number): SimSeconds {
  return state.t + Math.max(seconds, state.settings.tickSeconds);
}

function pullSeconds(state: SimState): number {
  return 2 + nextInt(state.rng, 4);
}

function readinessDelay(pod: Pod): number | null {
  const probe = pod.spec.containers.find((c) => c.readinessProbe)?.readinessProbe;
  if (!probe) return null;
  return (probe.initialDelaySeconds ?? 0) + (probe.periodSeconds ?? 10);
}

/**
 * Container states shared, frozen, by every Pod that is in them (container states are replaced, never
 * changed in place: podutil's setContainerStates keeps a frozen state as is, `lastState` is replaced on
 * an OOM kill): ContainerCreating, no last state, and Running since sim second 0 (the warm start).
 */
const CONTAINER_CREATING: ContainerState = Object.freeze({ waiting: Object.freeze({ reason: 'ContainerCreating' }) });
const NO_STATE: ContainerState = Object.freeze({});
const RUNNING_AT_ZERO: ContainerState = Object.freeze({ running: Object.freeze({ startedAt: 0 }) });

const podRef = (pod: Pod) => ({ kind: 'Pod', name: pod.metadata.name, namespace: pod.metadata.namespace });
const mainContainer = (pod: Pod) => pod.spec.containers[0]?.name ?? 'app';

/**
 * Called right after the scheduler bound a pod: the kubelet sets ContainerCreating and pulls the image
 * (2-5 s). In createSim's warm start the container is running and Ready at once.
 */
export function kubeletOnBound(state: SimState, key: string, pod: Pod): void {
  pod.status.startTime = state.t;
  setCondition(pod, 'Initialized', 'True', state.t);
  pod.status.containerStatuses = pod.spec.containers.map((c) => ({
    name: c.name,
    image: c.image,
    ready: false,
    started: false,
    restartCount: 0,
    state: CONTAINER_CREATING,
    lastState: NO_STATE,
  }));
  setCondition(pod, 'ContainersReady', 'False', state.t, 'ContainersNotReady');
  setCondition(pod, 'Ready', 'False', state.t, 'ContainersNotReady');
  noteChange(state, 'Pod', key); // ContainerCreating (no revision bump of its own, as before)
  if (!nodeUp(state, pod)) return;
  if (isWarmStart(state)) {
    startContainer(state, key, pod, false);
    return;
  }
  emit(state, 'Normal', 'Pulling', podRef(pod), `Pulling image "${pod.sim.image}"`, 'kubelet');
  pod.sim.nextTransitionAt = later(state, pullSeconds(state));
  scheduleTimer(state, pod.sim.nextTransitionAt, T_START, key);
}

/** The first container image of `pod` the registry does not have (profile `pullFails`), or undefined. */
function unpullableImage(state: SimState, pod: Pod): string | undefined {
  for (const c of pod.spec.containers) if (profileOf(state, c.image).pullFails) return c.image;
  return undefined;
}

/** The error of the first non-optional `envFrom` source of `pod` (none exists in the sim), or null. */
export function missingConfig(pod: Pod): string | null {
  for (const c of pod.spec.containers) {
    for (const src of c.envFrom ?? []) {
      if (src.configMapRef && !src.configMapRef.optional) return `configmap "${src.configMapRef.name}" not found`;
      if (src.secretRef && !src.secretRef.optional) return `secret "${src.secretRef.name}" not found`;
    }
  }
  return null;
}

/**
 * The image is there (pulled, or present): create and start the containers, unless the pull fails
 * (`ErrImagePull`) or the container config cannot be built (`CreateContainerConfigError`).
 */
function tryStart(state: SimState, key: string, pod: Pod, restart: boolean): void {
  if (!restart) {
    const image = unpullableImage(state, pod);
    if (image !== undefined) return pullFailed(state, key, pod, image);
  }
  const missing = missingConfig(pod);
  if (missing !== null) return configError(state, key, pod, missing);
  startContainer(state, key, pod, restart);
}

/** A pull of `image` failed (NotFound): `ErrImagePull` now, `ImagePullBackOff` next sync, retry after the back-off. */
function pullFailed(state: SimState, key: string, pod: Pod, image: string): void {
  const now = state.t;
  const why = `rpc error: code = NotFound desc = failed to pull and unpack image "${image}": failed to resolve reference "${image}": not found`;
  setContainerStates(pod, { waiting: { reason: 'ErrImagePull', message: why } }, { ready: false, started: false });
  updateStatus(state, 'Pod', key);
  emit(state, 'Warning', 'Failed', podRef(pod), `Failed to pull image "${image}": ${why}`, 'kubelet');
  emit(state, 'Warning', 'Failed', podRef(pod), 'Error: ErrImagePull', 'kubelet');
  const prev = pod.sim.backoffSeconds;
  const delay = prev === 0 ? IMAGE_BACKOFF_SECONDS : Math.min(MAX_IMAGE_BACKOFF_SECONDS, prev * 2);
  pod.sim.backoffSeconds = delay;
  pod.sim.lastFailureAt = now;
  pod.sim.nextTransitionAt = later(state, delay);
  scheduleTimer(state, later(state, 0), T_PULL_BACKOFF, key);
  scheduleTimer(state, pod.sim.nextTransitionAt, T_PULL, key);
}

/** The container config cannot be built (`missing`: `configmap "x" not found`): waiting, retried every 10 s. */
function configError(state: SimState, key: string, pod: Pod, missing: string): void {
  const now = state.t;
  const again = pod.status.containerStatuses.some((cs) => cs.state.waiting?.reason === 'CreateContainerConfigError');
  setContainerStates(pod, { waiting: { reason: 'CreateContainerConfigError', message: missing } }, { ready: false, started: false });
  updateStatus(state, 'Pod', key);
  for (const c of pod.spec.containers) {
    if (again) emit(state, 'Normal', 'Pulled', podRef(pod), `Container image "${c.image}" already present on machine`, 'kubelet');
    else emit(state, 'Normal', 'Pulled', podRef(pod), `Successfully pulled image "${c.image}" in ${now - (pod.status.startTime ?? now)}s`, 'kubelet');
  }
  emit(state, 'Warning', 'Failed', podRef(pod), `Error: ${missing}`, 'kubelet');
  pod.sim.nextTransitionAt = later(state, SYNC_RETRY_SECONDS);
  scheduleTimer(state, pod.sim.nextTransitionAt, T_START, key);
}

/**
 * The liveness probe of `c` that is refused (an httpGet / tcpSocket probe on a numeric port the container
 * does not declare, when it declares ports), as its port and URL path, or null (no probe, or it passes).
 */
export function refusedLivenessProbe(c: Container): { port: number; path: string | null } | null {
  const probe = c.livenessProbe;
  if (!probe || c.ports.length === 0) return null;
  const port = probe.httpGet?.port ?? probe.tcpSocket?.port;
  if (typeof port !== 'number' || c.ports.some((p) => p.containerPort === port)) return null;
  return { port, path: probe.httpGet ? (probe.httpGet.path ?? '/') : null };
}

/** The container of `pod` whose liveness probe is refused, with the probe's timing (defaults of SetDefaults_Probe). */
function failingLiveness(pod: Pod): { c: Container; port: number; path: string | null; delay: number; period: number; threshold: number } | null {
  for (const c of pod.spec.containers) {
    const refused = refusedLivenessProbe(c);
    if (!refused) continue;
    const p = c.livenessProbe!;
    return { c, ...refused, delay: p.initialDelaySeconds ?? 0, period: Math.max(1, p.periodSeconds ?? 10), threshold: Math.max(1, p.failureThreshold ?? 3) };
  }
  return null;
}

/** A due liveness probe of a running container: one more failure (Unhealthy), the kill at the threshold. */
function livenessProbe(state: SimState, key: string, pod: Pod): void {
  const f = failingLiveness(pod);
  const started = pod.sim.containerStartedAt;
  if (!f || started === null) return;
  const since = state.t - started - f.delay;
  if (since <= 0 || since % f.period !== 0) return; // a probe of an earlier container life
  const failures = since / f.period;
  const ip = podIp(state, pod);
  const msg = f.path === null
    ? `Liveness probe failed: dial tcp ${ip}:${f.port}: connect: connection refused`
    : `Liveness probe failed: Get "http://${ip}:${f.port}${f.path}": dial tcp ${ip}:${f.port}: connect: connection refused`;
  emit(state, 'Warning', 'Unhealthy', podRef(pod), msg, 'kubelet');
  if (failures < f.threshold) {
    scheduleTimer(state, state.t + f.period, T_LIVENESS, key);
    return;
  }
  emit(state, 'Normal', 'Killing', podRef(pod), `Container ${f.c.name} failed liveness probe, will be restarted`, 'kubelet');
  containerFailed(state, key, pod, { terminated: { exitCode: LIVENESS_EXIT_CODE, reason: 'Error', startedAt: started, finishedAt: state.t } });
}

function startContainer(state: SimState, key: string, pod: Pod, restart: boolean): void {
  const now = state.t;
  const warm = isWarmStart(state);
  const profile = profileOf(state, pod.sim.image);
  setContainerStates(pod, now === 0 ? RUNNING_AT_ZERO : { running: { startedAt: now } }, { ready: false, started: true });
  if (restart) for (const cs of pod.status.containerStatuses) cs.restartCount += 1;
  pod.status.phase = 'Running';
  pod.sim.containerStartedAt = now;
  pod.sim.memoryMiB = memoryAt(profile, now, now, pod.sim);
  pod.sim.nextTransitionAt = null;
  updateStatus(state, 'Pod', key);
  // emit records nothing in the warm start: skip building the events' strings there.
  if (!warm) for (const c of pod.spec.containers) {
    if (!restart) {
      emit(state, 'Normal', 'Pulled', podRef(pod), `Successfully pulled image "${c.image}" in ${now - (pod.status.startTime ?? now)}s`, 'kubelet');
    } else {
      emit(state, 'Normal', 'Pulled', podRef(pod), `Container image "${c.image}" already present on machine`, 'kubelet');
    }
    emit(state, 'Normal', 'Created', podRef(pod), `Created container: ${c.name}`, 'kubelet');
    emit(state, 'Normal', 'Started', podRef(pod), `Started container ${c.name}`, 'kubelet');
  }
  const delay = readinessDelay(pod);
  if (delay === null) {
    setPodReady(state, key, pod, true);
  } else if (profile.failsReadiness) {
    setPodReady(state, key, pod, false);
    scheduleTimer(state, later(state, delay), T_PROBE, key);
  } else if (warm) {
    setPodReady(state, key, pod, true);
  } else {
    setPodReady(state, key, pod, false);
    pod.sim.nextTransitionAt = later(state, delay);
    scheduleTimer(state, pod.sim.nextTransitionAt, T_READY, key);
  }
  if (pod.sim.memLimitMiB !== null && pod.sim.memoryMiB > pod.sim.memLimitMiB) {
    scheduleTimer(state, later(state, 0), T_OOM, key);
  }
  const live = failingLiveness(pod);
  if (live) scheduleTimer(state, later(state, live.delay + live.period), T_LIVENESS, key);
  const run = runToCompletion(pod);
  if (run) scheduleTimer(state, later(state, run.seconds), T_EXIT, key);
}

const T_EXIT: TimerKind = 'kubelet.exit';

/** Annotation of a Pod (or its Job's template): sim seconds its containers run before they exit. */
export const RUN_SECONDS_ANNOTATION = 'gameday.dev/run-seconds';
/** Annotation: the exit code they exit with (default 0: success). */
export const EXIT_CODE_ANNOTATION = 'gameday.dev/exit-code';
/** How long a Job's Pod runs when its template does not say, sim seconds. */
export const DEFAULT_JOB_RUN_SECONDS = 10;

/**
 * The run-to-completion rule (the sim has no programs to run): the containers of a Pod controlled by a
 * Job, or of any Pod annotated `gameday.dev/run-seconds`, exit `run-seconds` after they start (Job Pods
 * default {@link DEFAULT_JOB_RUN_SECONDS}) with `gameday.dev/exit-code` (default 0). Null for Pods that
 * serve until stopped (every other Pod, as before).
 */
export function runToCompletion(pod: Pod): { seconds: number; exitCode: number } | null {
  const ann = pod.metadata.annotations;
  const own = Object.hasOwn(ann, RUN_SECONDS_ANNOTATION) ? Number(ann[RUN_SECONDS_ANNOTATION]) : undefined;
  const job = pod.metadata.ownerReferences.some((r) => r.controller && r.kind === 'Job');
  if (own === undefined && !job) return null;
  const seconds = own !== undefined && Number.isFinite(own) && own >= 0 ? Math.round(own) : DEFAULT_JOB_RUN_SECONDS;
  const code = Object.hasOwn(ann, EXIT_CODE_ANNOTATION) ? Number(ann[EXIT_CODE_ANNOTATION]) : 0;
  return { seconds, exitCode: Number.isInteger(code) && code >= 0 && code <= 255 ? code : 1 };
}

/**
 * The containers exited on their own (a Job's work is done): exit 0 -> Terminated `Completed`, phase
 * Succeeded (restartPolicy Never or OnFailure; Always restarts it like a crash); non-zero -> Terminated
 * `Error`, restarted with the crash-loop back-off under OnFailure/Always, phase Failed under Never.
 */
function containersExited(state: SimState, key: string, pod: Pod, exitCode: number): void {
  const now = state.t;
  const terminated: ContainerState = { terminated: { exitCode, reason: exitCode === 0 ? 'Completed' : 'Error', startedAt: pod.sim.containerStartedAt ?? now, finishedAt: now } };
  if (exitCode !== 0 || pod.spec.restartPolicy === 'Always') {
    containerFailed(state, key, pod, terminated);
    return;
  }
  setContainerStates(pod, terminated, { ready: false, started: false });
  pod.sim.containerStartedAt = null;
  pod.sim.memoryMiB = 0;
  pod.sim.nextTransitionAt = null;
  pod.status.phase = 'Succeeded';
  setPodReady(state, key, pod, false, 'PodCompleted');
  updateStatus(state, 'Pod', key);
}

/**
 * The OOM killer fired: the container is Terminated (`OOMKilled`, exit 137; kubectl shows it as the
 * STATUS and as `Last State: Terminated, Reason: OOMKilled`), restartCount climbs on the restart, which
 * happens at once the first time, then after 10, 20, 40... 300 s (CrashLoopBackOff, `BackOff` events).
 * A container that had run >= {@link BACKOFF_RESET_SECONDS} restarts at once and the back-off restarts
 * from 10 s.
 */
export function oomKill(state: SimState, key: string, pod: Pod): void {
  const now = state.t;
  containerFailed(state, key, pod, {
    terminated: { exitCode: OOM_EXIT_CODE, reason: 'OOMKilled', startedAt: pod.sim.containerStartedAt ?? now, finishedAt: now },
  });
}

/**
 * The containers ended (`terminated`: OOMKilled, or killed after a failed liveness probe): restarted per
 * restartPolicy with the crash-loop back-off (see {@link oomKill}).
 */
function containerFailed(state: SimState, key: string, pod: Pod, terminated: ContainerState): void {
  const now = state.t;
  const ranFor = now - (pod.sim.containerStartedAt ?? now);
  setContainerStates(pod, terminated, { ready: false, started: false });
  for (const cs of pod.status.containerStatuses) cs.lastState = cloneContainerState(terminated);
  pod.sim.containerStartedAt = null;
  pod.sim.memoryMiB = 0;
  setPodReady(state, key, pod, false);
  updateStatus(state, 'Pod', key);
  if (pod.spec.restartPolicy === 'Never') {
    pod.status.phase = 'Failed';
    pod.sim.nextTransitionAt = null;
    return;
  }
  // The back-off starts afresh only for a container that ran 10 minutes (not 10 minutes since the
  // previous failure: a wait of 300 s plus a 300 s run is still a crash loop).
  if (ranFor >= BACKOFF_RESET_SECONDS) pod.sim.backoffSeconds = 0;
  const delay = pod.sim.backoffSeconds;
  pod.sim.backoffSeconds = delay === 0 ? INITIAL_BACKOFF_SECONDS : Math.min(MAX_BACKOFF_SECONDS, delay * 2);
  pod.sim.lastFailureAt = now;
  pod.sim.nextTransitionAt = later(state, delay);
  scheduleTimer(state, pod.sim.nextTransitionAt, T_RESTART, key);
  if (delay > state.settings.tickSeconds) scheduleTimer(state, later(state, 0), T_BACKOFF, key);
}

/**
 * Starts a graceful deletion (`kubectl delete pod`, a ReplicaSet scale-down, an eviction) through the
 * API server's write path ({@link deletePod} in ../apiserver.ts); kept as a thin wrapper for old
 * callers. Returns the sim second the pod is expected to be gone (now when refused).
 */
export function deletePodObject(state: SimState, key: string, opts: { force?: boolean; gracePeriodSeconds?: number } = {}): SimSeconds {
  const r = deletePod(state, key, opts);
  return r.ok ? r.goneAt : state.t;
}

/**
 * The kubelet's side of a graceful deletion (registered with the API server, which calls it once the
 * deletionTimestamp is written): the containers get SIGTERM (`Killing` events) and the object
 * disappears when the app has exited, min(grace, 2-5 s) later. A pod on a node whose kubelet is down
 * stays Terminating until the node returns. Returns the sim second the pod is expected to be gone.
 */
function kubeletTerminate(state: SimState, key: string, pod: Pod, grace: number): SimSeconds {
  if (!nodeUp(state, pod)) {
    pod.sim.nextTransitionAt = null;
    return state.t + grace;
  }
  if (pod.status.containerStatuses.some((c) => c.state.running)) {
    for (const c of pod.spec.containers) emit(state, 'Normal', 'Killing', podRef(pod), `Stopping container ${c.name}`, 'kubelet');
  }
  const shutdown = Math.min(grace, 2 + nextInt(state.rng, 4));
  pod.sim.nextTransitionAt = later(state, shutdown);
  scheduleTimer(state, pod.sim.nextTransitionAt, T_GONE, key);
  return pod.sim.nextTransitionAt;
}

registerPodTerminationHandler(kubeletTerminate);

/** Handles a due kubelet timer; stale timers (the pod moved on, or its node is down) are ignored. */
export function onKubeletTimer(state: SimState, timer: Timer): void {
  const key = timer.ref;
  const pod = state.pods[key];
  if (!pod || !nodeUp(state, pod)) return;
  const running = pod.sim.containerStartedAt !== null;
  switch (timer.kind) {
    case T_START:
      if (pod.sim.nextTransitionAt === timer.at && !isTerminating(pod) && !running) tryStart(state, key, pod, false);
      return;
    case T_PULL_BACKOFF:
      if (!isTerminating(pod) && !running && pod.sim.nextTransitionAt !== null && pod.sim.nextTransitionAt > state.t) {
        const image = unpullableImage(state, pod);
        if (image === undefined || pod.status.containerStatuses[0]?.state.waiting?.reason !== 'ErrImagePull') return;
        setContainerStates(pod, { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${image}"` } }, { ready: false, started: false });
        updateStatus(state, 'Pod', key);
        emit(state, 'Normal', 'BackOff', podRef(pod), `Back-off pulling image "${image}"`, 'kubelet');
        emit(state, 'Warning', 'Failed', podRef(pod), 'Error: ImagePullBackOff', 'kubelet');
      }
      return;
    case T_PULL:
      if (pod.sim.nextTransitionAt === timer.at && !isTerminating(pod) && !running) {
        emit(state, 'Normal', 'Pulling', podRef(pod), `Pulling image "${pod.sim.image}"`, 'kubelet');
        pod.sim.nextTransitionAt = later(state, 1);
        scheduleTimer(state, pod.sim.nextTransitionAt, T_START, key);
      }
      return;
    case T_LIVENESS:
      if (running && !isTerminating(pod)) livenessProbe(state, key, pod);
      return;
    case T_READY:
      if (pod.sim.nextTransitionAt === timer.at && !isTerminating(pod) && running) {
        pod.sim.nextTransitionAt = null;
        setPodReady(state, key, pod, true);
      }
      return;
    case T_RESTART:
      if (pod.sim.nextTransitionAt === timer.at && !isTerminating(pod) && !running) tryStart(state, key, pod, true);
      return;
    case T_BACKOFF:
      if (!isTerminating(pod) && !running && pod.sim.nextTransitionAt !== null && pod.sim.nextTransitionAt > state.t) {
        const delay = pod.sim.nextTransitionAt - (pod.sim.lastFailureAt ?? state.t);
        const c = mainContainer(pod);
        const who = `${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`;
        for (const cs of pod.status.containerStatuses) {
          cs.state = { waiting: { reason: 'CrashLoopBackOff', message: `back-off ${delay}s restarting failed container=${cs.name} pod=${who}` } };
        }
        updateStatus(state, 'Pod', key);
        emit(state, 'Warning', 'BackOff', podRef(pod), `Back-off restarting failed container ${c} in pod ${who}`, 'kubelet');
      }
      return;
    case T_OOM:
      if (running && !isTerminating(pod)) {
        const mem = memoryAt(profileOf(state, pod.sim.image), pod.sim.containerStartedAt!, state.t, pod.sim);
        if (pod.sim.memoryMiB !== mem) noteChange(state, 'Pod', key);
        pod.sim.memoryMiB = mem;
        if (pod.sim.memLimitMiB !== null && mem > pod.sim.memLimitMiB) oomKill(state, key, pod);
      }
      return;
    case T_EXIT:
      if (running && !isTerminating(pod) && pod.sim.containerStartedAt !== null && pod.sim.containerStartedAt <= state.t) {
        const run = runToCompletion(pod);
        if (run && pod.sim.containerStartedAt + run.seconds <= state.t) containersExited(state, key, pod, run.exitCode);
      }
      return;
    case T_PROBE:
      if (running && !isTerminating(pod) && !pod.sim.ready) {
        emit(state, 'Warning', 'Unhealthy', podRef(pod), 'Readiness probe failed: HTTP probe failed with statuscode: 503', 'kubelet');
      }
      return;
    case T_GONE:
      if (pod.sim.nextTransitionAt !== timer.at || !isTerminating(pod)) return;
      if (!apiWritable(state)) {
        // The final status write / delete needs the API server: retry next tick.
        pod.sim.nextTransitionAt = later(state, 0);
        scheduleTimer(state, pod.sim.nextTransitionAt, T_GONE, key);
        return;
      }
      removePod(state, key);
      return;
  }
}

/** The profile fields the memory model reads, as a string (cheap to compare every tick). */
export function memorySignature(p: ImageProfile): string {
  return `${p.baseMemoryMiB}|${p.baseMemoryShare ?? ''}|${p.memoryGrowthMiBPerSec}|${p.memoryPlateauMiB}|${p.memoryGrowthSince ?? ''}`;
}

/**
 * What {@link kubeletMemory} saw of `state.images` at its last run: keys in object order and the memory
 * fields of each profile (`baseMemoryMiB, memoryGrowthMiBPerSec, memoryPlateauMiB, memoryGrowthSince`).
 * Kept beside the state (like shared/sim/cache.ts), never in it.
 */
interface ImageWatch {
  imagesRef: SimState['images'];
  seenRef: SimState['imageProfileSeen'];
  /** `state.counters.resourceVersion` when `keys` was read. */
  rv: number;
  keys: string[];
  /** Position of each key in `keys`. */
  position: Map<string, number>;
  fields: (number | null | undefined)[];
}

const imageWatches = new WeakMap<SimState, ImageWatch>();

const sameField = (a: number | null | undefined, b: number | null | undefined) => a === b || (a !== a && b !== b);

/**
 * The image names to look at (`state.images` keys in object order): the watched ones while no API
 * write happened since they were read (a new image profile comes with one: createSim, or
 * `setDeploymentImage`, which incidents use too), else read afresh.
 */
function imageKeys(state: SimState): string[] {
  const w = imageWatches.get(state);
  return w && w.imagesRef === state.images && w.rv === state.counters.resourceVersion ? w.keys : Object.keys(state.images);
}

/**
 * The images {@link kubeletMemory} must look at: those whose memory fields changed since its last run,
 * or that leak; every image when the watch does not hold (first run, `state.images` replaced, an image
 * added or removed). After its last run `imageProfileSeen[x]` was the signature of every image's fields
 * then, so an image with the same fields and no growth would be skipped anyway. `null`: nothing to do.
 */
function imagesToCheck(state: SimState, keys: string[]): string[] | null {
  const w = imageWatches.get(state);
  if (!w || w.imagesRef !== state.images || w.seenRef !== state.imageProfileSeen || w.keys.length !== keys.length) return keys;
  let out: string[] | null = null;
  const f = w.fields;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    if (k !== w.keys[i]) return keys;
    const p = state.images[k];
    if (p === undefined) return keys;
    if (
      p.memoryGrowthMiBPerSec > 0 || !sameField(p.baseMemoryMiB, f[4 * i]) || !sameField(p.memoryGrowthMiBPerSec, f[4 * i + 1]) ||
      !sameField(p.memoryPlateauMiB, f[4 * i + 2]) || !sameField(p.memoryGrowthSince, f[4 * i + 3])
    ) {
      (out ??= []).push(k);
    }
  }
  return out;
}

/** Records what {@link kubeletMemory} saw: every image when `looked` is `keys`, else only `looked`. */
function watchImages(state: SimState, keys: string[], looked: string[]): void {
  const w = imageWatches.get(state);
  if (w && looked !== keys && w.imagesRef === state.images && w.seenRef === state.imageProfileSeen) {
    w.rv = state.counters.resourceVersion;
    w.keys = keys;
    for (const k of looked) {
      const i = w.position.get(k)!;
      const p = state.images[k]!;
      w.fields[4 * i] = p.baseMemoryMiB;
      w.fields[4 * i + 1] = p.memoryGrowthMiBPerSec;
      w.fields[4 * i + 2] = p.memoryPlateauMiB;
      w.fields[4 * i + 3] = p.memoryGrowthSince;
    }
    return;
  }
  const fields: (number | null | undefined)[] = [];
  const position = new Map<string, number>();
  for (const k of keys) {
    const p = state.images[k]!;
    position.set(k, position.size);
    fields.push(p.baseMemoryMiB, p.memoryGrowthMiBPerSec, p.memoryPlateauMiB, p.memoryGrowthSince);
  }
  imageWatches.set(state, { imagesRef: state.images, seenRef: state.imageProfileSeen, rv: state.counters.resourceVersion, keys, position, fields });
}

/**
 * Recomputes working-set memory of the pods whose image leaks (growth > 0) or whose profile changed
 * since the kubelet last looked (an incident wrote `state.images[x]`), and OOM-kills those over their
 * limit. Cost: O(images) field comparisons plus O(pods of those images) per tick. Order-independent:
 * images in name order, kills in key order. A changed working set is recorded in the change log.
 */
export function kubeletMemory(state: SimState): void {
  const idx = getIndex(state);
  const keys = imageKeys(state);
  const todo = imagesToCheck(state, keys);
  if (todo === null) {
    // Nothing changed, nothing leaks: the watch holds (for these keys, read at this resourceVersion).
    watchImages(state, keys, []);
    return;
  }
  for (const image of todo === keys ? [...keys].sort() : todo.sort()) {
    const profile = state.images[image]!;
    const sig = memorySignature(profile);
    const changed = state.imageProfileSeen[image] !== sig;
    if (!changed && profile.memoryGrowthMiBPerSec <= 0) continue;
    state.imageProfileSeen[image] = sig;
    const pods = idx.podsByImage.get(image);
    if (!pods) continue;
    const kills: string[] = [];
    for (const key of pods) {
      const pod = state.pods[key];
      if (!pod || pod.sim.containerStartedAt === null || isTerminating(pod) || !nodeUp(state, pod)) continue;
      const mem = memoryAt(profile, pod.sim.containerStartedAt, state.t, pod.sim);
      if (pod.sim.memoryMiB !== mem) noteChange(state, 'Pod', key);
      pod.sim.memoryMiB = mem;
      if (pod.sim.memLimitMiB !== null && mem > pod.sim.memLimitMiB) kills.push(key);
    }
    kills.sort();
    for (const key of kills) oomKill(state, key, state.pods[key]!);
  }
  watchImages(state, keys, todo);
}

/**
 * Recomputes one pod's memory from its image profile now and OOM-kills it when over its limit (for
 * callers that changed something about a single pod). No-op for a pod that is not running.
 */
export function replanPodMemory(state: SimState, podKey: string): void {
  const pod = state.pods[podKey];
  if (!pod || pod.sim.containerStartedAt === null || isTerminating(pod) || !nodeUp(state, pod)) return;
  const mem = memoryAt(profileOf(state, pod.sim.image), pod.sim.containerStartedAt, state.t, pod.sim);
  if (pod.sim.memoryMiB !== mem) noteChange(state, 'Pod', podKey);
  pod.sim.memoryMiB = mem;
  if (pod.sim.memLimitMiB !== null && pod.sim.memoryMiB > pod.sim.memLimitMiB) oomKill(state, podKey, pod);
}

/**
 * A node came back (the machine rebooted): its terminating pods finish at once, pods that had started
 * get their containers restarted (restartCount + 1), pods still creating pull again.
 */
export function kubeletNodeRecovered(state: SimState, node: string): void {
  const keys = [...(getIndex(state).podsByNode.get(node) ?? [])].sort();
  for (const key of keys) {
    const pod = state.pods[key]!;
    if (isTerminating(pod)) {
      pod.sim.nextTransitionAt = later(state, 0);
      scheduleTimer(state, pod.sim.nextTransitionAt, T_GONE, key);
      continue;
    }
    if (pod.status.phase === 'Failed' || pod.status.phase === 'Succeeded') continue;
    const started = pod.status.containerStatuses.some((c) => c.started || c.state.terminated || c.restartCount > 0 || c.state.waiting?.reason === 'CrashLoopBackOff');
    if (started) {
      pod.sim.containerStartedAt = null;
      startContainer(state, key, pod, true);
    } else {
      if (pod.status.containerStatuses.length === 0) {
        kubeletOnBound(state, key, pod);
        continue;
      }
      emit(state, 'Normal', 'Pulling', podRef(pod), `Pulling image "${pod.sim.image}"`, 'kubelet');
      pod.sim.nextTransitionAt = later(state, pullSeconds(state));
      scheduleTimer(state, pod.sim.nextTransitionAt, T_START, key);
    }
  }
}
