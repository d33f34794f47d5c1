/**
 * The kubelet of every node: starts containers of bound pods (ContainerCreating -> Running), readiness,
 * the memory model with OOMKilled / CrashLoopBackOff, and graceful pod termination.
 *
 * Values (kubernetes-behaviour.md §1-2): OOMKilled = exit code 137, shown as the container's
 * `lastState.terminated.reason` (no Pod event: the kubelet records `BackOff`); restart back-off: first
 * restart immediate, then 10 s doubling to a 300 s cap, reset once a container has run 10 minutes
 * without failing (K pkg/kubelet kubelet.go initialCrashLoopBackOff / MaxContainerBackOff; W
 * workloads/pods/pod-lifecycle.md "Container restarts"); grace period 30 s. All times are sim seconds.
 *
 * Image pulls of a reference the registry does not have (profile `pullFails`, the bad-image-tag
 * incident): `ErrImagePull` with a Warning `Failed`, one sync later `ImagePullBackOff` (`BackOff`
 * "Back-off pulling image"), the next attempt 10 s later, doubling to 300 s (K pkg/kubelet/kubelet.go
 * backOffPeriod 10 s, MaxImageBackOff 300 s; pkg/kubelet/images/image_manager.go). A container whose
 * `envFrom` names a ConfigMap / Secret that does not exist, or whose `env.valueFrom` names a missing
 * object or key ({@link missingConfig}), is not created: `CreateContainerConfigError` with Warning
 * `Failed` `Error: configmap "x" not found`, retried every 10 s by the pod worker (K
 * pkg/kubelet/kuberuntime/kuberuntime_container.go, pod_workers.go backOffPeriod; jitter not modelled).
 * Probes (kubernetes-behaviour.md §2; K pkg/kubelet/prober): one worker per probe kind (startup,
 * readiness, liveness) of the first container that declares it, timed by SetDefaults_Probe (delay 0,
 * period 10 s, timeout 1 s, success 1, failure 3): probes at start + initialDelaySeconds + k x
 * periodSeconds (k >= 1). Readiness and liveness wait for the startup probe's success; readiness counts
 * as failed until it passed successThreshold times, and after failureThreshold consecutive failures the
 * Pod is not Ready (it leaves the endpoints, never restarts); liveness and startup failures kill the
 * container (`Killing` "Container X failed liveness probe, will be restarted"; last state `Error`, exit
 * 137) and it restarts with the crash-loop back-off. Every failure is a Warning `Unhealthy` "<Kind>
 * probe failed: <the prober's output>" ({@link probeOutcome}: not listening yet, a port the container
 * does not declare, `failsReadiness`, an app response over timeoutSeconds). Cost follows change: a
 * worker runs on timers (`kubelet.startup` / `kubelet.probe` / `kubelet.liveness`) and goes idle after a
 * pass that cannot turn; a change of its image's profile (an incident) wakes it (`watchProbeProfiles`),
 * and so does a rise of its Services' load that puts it at risk (`watchProbeLoad`).
 *
 * Simplifications: every container of a pod moves in lockstep; image pulls take 2-5 s (PRNG); a failing
 * re-pull takes 1 s; apps exit on SIGTERM, so a graceful deletion ends after min(grace, 2-5 s); exec
 * probes pass unless the image `failsReadiness` (readiness) or has not started; probes have no jitter. A
 * probe's named port that names no container port errors every period ({@link probeError}). A node
 * whose kubelet is down changes none of its pods (timers for them are dropped and the pods are restarted
 * when the node returns).
 */
import { apiWritable, deletePod, isWarmStart, noteChange, registerPodTerminationHandler, removePod, updateStatus } from '../apiserver.ts';
import { emit } from '../emit.ts';
import { configMapOf, configMapValue, containerEnv, readsConfigEnv, secretOf, secretValue } from '../kinds/config.ts';
import { getIndex, indexNodeImages, podsForSelector, servicesForLabels, warmNodeImageNames } from '../cache.ts';
import { changeCursor, forEachChangeSince } from '../changelog.ts';
import { cloneContainerState, isTerminating, newCondition, setCondition, setContainerStates, setPodReady } from '../podutil.ts';
import { nextInt } from '../prng.ts';
import { scheduleTimer, type TimerKind } from '../timers.ts';
import { DEFAULT_IMAGE_SIZE_MIB, NODE_STATUS_MAX_IMAGES, type Container, type ContainerImage, type ImagePullPolicy, type ContainerState, type ImageProfile, type InitContainer, type Pod, type PodProbes, type Probe, type ProbeWorker, type SimSeconds, type SimState, type Timer } from '../types.ts';
import { podIp } from '../kinds/print.ts';
import { defaultImagePullPolicy } from '../kinds/serialize.ts';
import { baseWorkingSetMiB, type MemoryBasis } from '../workingSet.ts';
import { imageProfileFor, loadFactor, podCapacityRps, podCpuMilli } from '../trafficModel.ts';
import { invalidImageMessage } from './imageReference.ts';
import { MIB_BYTES, normalizedImageName } from './schedulerPlugins.ts';

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
/** Exit code of a container killed after a failed liveness or startup probe (SIGKILL), shown with reason `Error`. */
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
const T_STARTUP: TimerKind = 'kubelet.startup';
const T_MOUNT: TimerKind = 'kubelet.mount';
const T_INIT: TimerKind = 'kubelet.init';
const T_INIT_RESTART: TimerKind = 'kubelet.initrestart';
const T_INIT_BACKOFF: TimerKind = 'kubelet.initbackoff';

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
  return n !== undefined && n.sim.kubeletUp && n.sim.runtimeDownSince === undefined && n.sim.silentSince === undefined; // (issue 6) no runtime, or cut off from the API: no container work
}

function later(state: SimState, seconds: number): SimSeconds {
  return state.t + Math.max(seconds, state.settings.tickSeconds);
}

function pullSeconds(state: SimState): number {
  return 2 + nextInt(state.rng, 4);
}

/**
 * Container states shared, frozen, by every Pod that is in them (container states are replaced, never
 * changed in place: podutil's setContainerStates keeps a frozen state as is, `lastState` is replaced on
 * an OOM kill): ContainerCreating, no last state, and Running since sim second 0 (the warm start).
 */
const CONTAINER_CREATING: ContainerState = Object.freeze({ waiting: Object.freeze({ reason: 'ContainerCreating' }) });
const NO_STATE: ContainerState = Object.freeze({});
const RUNNING_AT_ZERO: ContainerState = Object.freeze({ running: Object.freeze({ startedAt: 0 }) });
/** Waiting `PodInitializing`: app containers (and init containers not yet run) while init containers run. */
const POD_INITIALIZING: ContainerState = Object.freeze({ waiting: Object.freeze({ reason: 'PodInitializing' }) });

const podRef = (pod: Pod) => ({ kind: 'Pod', name: pod.metadata.name, namespace: pod.metadata.namespace });
const mainContainer = (pod: Pod) => pod.spec.containers[0]?.name ?? 'app';

/**
 * The conditions of a Pod the warm start bound at 0 and that is Ready: PodScheduled, Initialized,
 * ContainersReady and Ready, `True` at sim second 0. One frozen list shared by those Pods (a Pod's
 * condition list is replaced, never written in place: podutil's setCondition, the API server's binding,
 * the scheduler's failure).
 */
const WARM_READY_CONDITIONS: Pod['status']['conditions'] = Object.freeze([
  newCondition('PodScheduled', 'True', 0),
  newCondition('Initialized', 'True', 0),
  newCondition('ContainersReady', 'True', 0),
  newCondition('Ready', 'True', 0),
]) as unknown as Pod['status']['conditions'];

/** True when `conds` is `PodScheduled=True` at 0 alone (no reason, no message): a Pod the warm start just bound. */
function scheduledAtZeroOnly(conds: Pod['status']['conditions']): boolean {
  const c = conds[0];
  return conds.length === 1 && c!.type === 'PodScheduled' && c!.status === 'True' && c!.lastTransitionTime === 0 && !('reason' in c!) && !('message' in c!);
}

/**
 * {@link kubeletOnBound} in createSim's warm start for a Pod without init containers bound at 0 whose
 * Node is up, volumes mount and image parses: its final status built once (the same the
 * ContainerCreating -> Running -> Ready steps leave): containers Running since 0 and started,
 * Initialized True, ContainersReady / Ready True at 0 (the shared {@link WARM_READY_CONDITIONS}) or,
 * when its image fails readiness and it has a readiness probe, False `ContainersNotReady` at 0. Then
 * the same start as the stepped path ({@link startContainer}: phase, memory, status write, probes).
 */
function warmStartBound(state: SimState, key: string, pod: Pod): void {
  const ready = !(hasProbe(pod, 'readiness') && profileOf(state, pod.sim.image).failsReadiness);
  const containers = pod.spec.containers;
  const statuses: Pod['status']['containerStatuses'] = new Array(containers.length);
  for (let i = 0; i < containers.length; i++) {
    const c = containers[i]!;
    statuses[i] = { name: c.name, image: c.image, ready: false, started: true, restartCount: 0, state: RUNNING_AT_ZERO, lastState: NO_STATE };
  }
  const conditions = ready
    ? WARM_READY_CONDITIONS
    : pod.status.conditions.concat(newCondition('Initialized', 'True', 0), newCondition('ContainersReady', 'False', 0, 'ContainersNotReady'), newCondition('Ready', 'False', 0, 'ContainersNotReady'));
  const st = pod.status;
  if (st.initContainerStatuses === undefined && st.reason === undefined && st.message === undefined && st.nominatedNodeName === undefined) {
    // A new status object holding `startTime` in place: added to the Pending Pod's three-field status
    // it costs every Pod an out-of-object property store (bench bigHeapBytesPerPod). Same fields, same order.
    pod.status = { phase: st.phase, conditions, containerStatuses: statuses, startTime: 0 };
  } else {
    st.startTime = 0;
    st.conditions = conditions;
    st.containerStatuses = statuses;
  }
  noteChange(state, 'Pod', key);
  recordNodeImages(state, pod); // the Node holds the images of the Pods it runs (ImageLocality, status.images)
  startContainer(state, key, pod, false); // its container-state and condition writes find them set
}

/**
 * Called right after the scheduler bound a pod: the kubelet sets ContainerCreating and pulls the image
 * (2-5 s). In createSim's warm start the container is running and Ready at once.
 */
export function kubeletOnBound(state: SimState, key: string, pod: Pod): void {
  const inits = pod.spec.initContainers ?? [];
  const warm = isWarmStart(state);
  if (warm && state.t === 0 && inits.length === 0 && scheduledAtZeroOnly(pod.status.conditions) && nodeUp(state, pod) && volumeProblem(state, pod) === null && invalidImage(pod) === null) {
    warmStartBound(state, key, pod);
    return;
  }
  pod.status.startTime = state.t;
  const conds = pod.status.conditions;
  // A Pod just bound holds PodScheduled only: the three conditions below in one exact-size array (what
  // the three setCondition calls make, without the two arrays in between).
  let fresh = true;
  for (let i = 0; i < conds.length && fresh; i++) {
    const type = conds[i]!.type;
    fresh = type !== 'Initialized' && type !== 'ContainersReady' && type !== 'Ready';
  }
  if (fresh) {
    pod.status.conditions = conds.concat(
      inits.length === 0 ? newCondition('Initialized', 'True', state.t) : newCondition('Initialized', 'False', state.t, 'ContainersNotInitialized'),
      newCondition('ContainersReady', 'False', state.t, 'ContainersNotReady'),
      newCondition('Ready', 'False', state.t, 'ContainersNotReady'),
    );
  } else if (inits.length === 0) setCondition(pod, 'Initialized', 'True', state.t);
  else setCondition(pod, 'Initialized', 'False', state.t, 'ContainersNotInitialized');
  pod.status.containerStatuses = pod.spec.containers.map((c) => ({
    name: c.name,
    image: c.image,
    ready: false,
    started: false,
    restartCount: 0,
    state: inits.length === 0 ? CONTAINER_CREATING : POD_INITIALIZING,
    lastState: NO_STATE,
  }));
  if (inits.length > 0) {
    pod.status.initContainerStatuses = inits.map((c) => ({ name: c.name, image: c.image, ready: false, started: false, restartCount: 0, state: POD_INITIALIZING, lastState: NO_STATE }));
  }
  if (!fresh) {
    setCondition(pod, 'ContainersReady', 'False', state.t, 'ContainersNotReady');
    setCondition(pod, 'Ready', 'False', state.t, 'ContainersNotReady');
  }
  noteChange(state, 'Pod', key); // ContainerCreating (no revision bump of its own, as before)
  if (!nodeUp(state, pod)) return;
  if (volumeProblem(state, pod) !== null) {
    mountFailed(state, key, pod);
    return;
  }
  if (warm) {
    // The cluster was already running: the init containers completed at 0.
    if (inits.length > 0) {
      (pod.status.initContainerStatuses ?? []).forEach((cs, i) => {
        if (isSidecar(inits[i])) {
          // A sidecar has been running since then.
          cs.state = { running: { startedAt: 0 } };
          cs.started = true;
          cs.ready = true;
        } else cs.state = { terminated: { exitCode: 0, reason: 'Completed', startedAt: 0, finishedAt: 0 } };
      });
      setCondition(pod, 'Initialized', 'True', state.t);
    }
    const bad = invalidImage(pod);
    if (bad !== null) return invalidImageName(state, key, pod, bad);
    recordNodeImages(state, pod);
    startContainer(state, key, pod, false);
    return;
  }
  startPull(state, key, pod);
}

/**
 * The pull policy the kubelet applies to container `c` (K pkg/apis/core/v1/defaults.go
 * SetDefaults_Container): the manifest's `imagePullPolicy`, else Always for a `:latest` or untagged
 * reference, else IfNotPresent.
 */
export function pullPolicyOf(c: Container | InitContainer): ImagePullPolicy {
  return c.imagePullPolicy ?? defaultImagePullPolicy(c.image);
}

/**
 * (issue 6) True when no container of `pod` needs a pull: each one's policy is IfNotPresent or Never and
 * its Node's `status.images` lists the image (image_manager.go shouldPullImage). Containers move in
 * lockstep here, so one image to pull means the whole pull (2-5 s), but only the missing images are
 * pulled (`Pulling` each; the others `already present on machine`).
 */
function imagesPresent(state: SimState, pod: Pod): boolean {
  const node = pod.spec.nodeName ? state.nodes[pod.spec.nodeName] : undefined;
  const list = node?.status.images;
  if (!list) return false;
  const has = (c: Container | InitContainer) => {
    if (pullPolicyOf(c) === 'Always') return false;
    const name = normalizedImageName(c.image);
    return list.some((img) => img.names.includes(name));
  };
  return (pod.spec.initContainers ?? []).every(has) && pod.spec.containers.every(has);
}

/**
 * (issue 6) The first container (init containers first) whose pull policy is Never and whose image the
 * Node's `status.images` does not list, or undefined (image_manager.go EnsureImageExists).
 */
function neverPullMissing(state: SimState, pod: Pod): Container | InitContainer | undefined {
  const list = pod.spec.nodeName ? state.nodes[pod.spec.nodeName]?.status.images : undefined;
  const absent = (c: Container | InitContainer) => {
    if (pullPolicyOf(c) !== 'Never') return false;
    const name = normalizedImageName(c.image);
    return !list?.some((img) => img.names.includes(name));
  };
  return (pod.spec.initContainers ?? []).find(absent) ?? pod.spec.containers.find(absent);
}

/**
 * (issue 6) Pull policy Never and the image not on the Node (image_manager.go EnsureImageExists ->
 * ErrImageNeverPull): Warning `ErrImageNeverPull` `Container image "X" is not present with pull policy
 * of Never`, the container waiting `ErrImageNeverPull` with that message, Warning `Failed` `Error:
 * ErrImageNeverPull` (kuberuntime_container.go startContainer); no pull, no back-off: the pod worker
 * tries again every 10 s ({@link SYNC_RETRY_SECONDS}), and the containers start once the image is there
 * (another Pod pulled it).
 */
function errImageNeverPull(state: SimState, key: string, pod: Pod, c: Container | InitContainer): void {
  const msg = `Container image ${JSON.stringify(c.image)} is not present with pull policy of Never`;
  const waiting: ContainerState = { waiting: { reason: 'ErrImageNeverPull', message: msg } };
  const init = (pod.spec.initContainers ?? []).indexOf(c as InitContainer);
  const ics = init >= 0 ? pod.status.initContainerStatuses?.[init] : undefined;
  if (ics !== undefined) {
    ics.state = waiting; // STATUS `Init:ErrImageNeverPull`
    ics.started = false;
  } else setContainerStates(pod, waiting, { ready: false, started: false });
  updateStatus(state, 'Pod', key);
  emit(state, 'Warning', 'ErrImageNeverPull', podRef(pod), msg, 'kubelet');
  emit(state, 'Warning', 'Failed', podRef(pod), 'Error: ErrImageNeverPull', 'kubelet');
  pod.sim.nextTransitionAt = later(state, SYNC_RETRY_SECONDS);
  scheduleTimer(state, pod.sim.nextTransitionAt, T_START, key);
}

/** True when a container of `pod` waits with `ErrImageNeverPull` (a retry is due). */
function neverPullPending(pod: Pod): boolean {
  const waiting = (cs: { state: ContainerState }) => cs.state.waiting?.reason === 'ErrImageNeverPull';
  return pod.status.containerStatuses.some(waiting) || (pod.status.initContainerStatuses ?? []).some(waiting);
}

/** The `Pulled` event of container `c`'s first start: `already present on machine` when no pull was needed, else the pull's duration. */
function pulledMessage(pod: Pod, image: string, now: SimSeconds): string {
  const present = pod.sim.imagesPresent || (pod.sim.pulledImages !== undefined && !pod.sim.pulledImages.includes(image));
  return present ? `Container image "${image}" already present on machine` : `Successfully pulled image "${image}" in ${now - (pod.sim.pullStartedAt ?? pod.status.startTime ?? now)}s`;
}

/**
 * (issue 6) An update of a Pod changed its containers' images (`kubectl apply -f`, the API's PUT / PATCH of
 * `spec.containers[*].image`; K pkg/kubelet/kuberuntime/kuberuntime_manager.go computePodActions: the
 * container's hash changed). A running Pod's containers are killed (Normal `Killing` "Container C
 * definition changed, will be restarted"; the app exits on SIGTERM: last state Terminated `Completed`,
 * exit 0), the new image is pulled (or found on the Node) and the containers start again with
 * `restartCount` + 1, at once: a new image is a new back-off key, so no crash-loop wait. A Pod waiting
 * on a pull or an invalid image pulls the new one now; a Pod not started yet starts with it. `changed`:
 * the names of the containers whose image changed (the caller wrote the new spec).
 */
export function kubeletImageChanged(state: SimState, key: string, pod: Pod, changed: readonly string[]): void {
  const image = pod.spec.containers[0]?.image ?? '';
  if (pod.sim.image !== image) {
    const idx = getIndex(state);
    idx.podsByImage.get(pod.sim.image)?.delete(key);
    let set = idx.podsByImage.get(image);
    if (!set) idx.podsByImage.set(image, (set = new Set()));
    set.add(key);
    pod.sim.image = image;
  }
  if (!nodeUp(state, pod) || isTerminating(pod) || pod.status.phase === 'Succeeded' || pod.status.phase === 'Failed') return;
  const now = state.t;
  const running = pod.sim.containerStartedAt !== null;
  const waitingOnImage = ['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName'].includes(pod.status.containerStatuses[0]?.state.waiting?.reason ?? '');
  if (!running && !waitingOnImage) return; // not started yet: it starts with the new image
  if (running) {
    for (const name of changed) emit(state, 'Normal', 'Killing', podRef(pod), `Container ${name} definition changed, will be restarted`, 'kubelet');
    const terminated: ContainerState = { terminated: { exitCode: 0, reason: 'Completed', startedAt: pod.sim.containerStartedAt!, finishedAt: now } };
    setContainerStates(pod, terminated, { ready: false, started: false });
    for (const cs of pod.status.containerStatuses) {
      cs.lastState = cloneContainerState(terminated);
      cs.restartCount += 1;
    }
    stopProbes(pod);
    pod.sim.containerStartedAt = null;
    pod.sim.memoryMiB = 0;
    setPodReady(state, key, pod, false);
  }
  for (const cs of pod.status.containerStatuses) cs.image = pod.spec.containers.find((c) => c.name === cs.name)?.image ?? cs.image;
  updateStatus(state, 'Pod', key);
  pod.sim.backoffSeconds = 0;
  pod.sim.pullStartedAt = now;
  startPull(state, key, pod);
}

/**
 * `Pulling` the first container's image; the containers are created 2-5 s later ({@link T_START}). An
 * image reference that does not parse is never pulled: `InvalidImageName` at once ({@link invalidImageName}).
 */
function startPull(state: SimState, key: string, pod: Pod): void {
  const bad = invalidImage(pod);
  if (bad !== null) return invalidImageName(state, key, pod, bad);
  const never = neverPullMissing(state, pod);
  if (never !== undefined) return errImageNeverPull(state, key, pod, never);
  if (imagesPresent(state, pod)) {
    // image_manager.go EnsureImageExists: no pull; the containers are created at the next sync.
    pod.sim.imagesPresent = true;
    pod.sim.nextTransitionAt = later(state, 0);
    scheduleTimer(state, pod.sim.nextTransitionAt, T_START, key);
    return;
  }
  // Only the images that need a pull are pulled (one `Pulling` each); the others are already present.
  const all = podImages(pod);
  const toPull = all.filter((image, i) => imageNeedsPull(state, pod, i));
  const pulling = toPull.length > 0 ? [...new Set(toPull)] : [pod.sim.image];
  for (const image of pulling) emit(state, 'Normal', 'Pulling', podRef(pod), `Pulling image "${image}"`, 'kubelet');
  if (pulling.length < new Set(all).size) pod.sim.pulledImages = pulling;
  pod.sim.nextTransitionAt = later(state, pullSeconds(state));
  scheduleTimer(state, pod.sim.nextTransitionAt, T_START, key);
}

/** The images of `pod`'s containers, init containers first (the order the kubelet starts them). */
function podImages(pod: Pod): string[] {
  const out: string[] = [];
  for (const c of pod.spec.initContainers ?? []) out.push(c.image);
  for (const c of pod.spec.containers) out.push(c.image);
  return out;
}

/** True when container `i` of {@link podImages}' order needs a pull (policy Always, or its image not on the Node; image_manager.go shouldPullImage). */
function imageNeedsPull(state: SimState, pod: Pod, i: number): boolean {
  const inits = pod.spec.initContainers ?? [];
  const c = i < inits.length ? inits[i]! : pod.spec.containers[i - inits.length]!;
  if (pullPolicyOf(c) === 'Always') return true;
  const list = pod.spec.nodeName ? state.nodes[pod.spec.nodeName]?.status.images : undefined;
  const name = normalizedImageName(c.image);
  return !list?.some((img) => img.names.includes(name));
}

// ---------------------------------------------------------------------------------------------------
// Volumes (issue 6). The kubelet's volume manager mounts a Pod's volumes before it creates any
// container (K pkg/kubelet/volumemanager; configmap / secret volume plugins): a non-optional configMap
// or secret the cluster does not hold fails `MountVolume.SetUp` and the Pod stays ContainerCreating.
// Retries: exponential back-off from 500 ms doubling to 2 min 2 s (K pkg/util/goroutinemap
// exponentialbackoff initialDurationBeforeRetry / maxDurationBeforeRetry), here rounded up to whole
// seconds: 1, 2, 4 ... 64, 122 s. The recorder aggregates the repeated events (`x5 over 1m`).
// ---------------------------------------------------------------------------------------------------

/** First wait after a failed mount, seconds (500 ms rounded up to the sim's 1 s resolution). */
export const MOUNT_RETRY_SECONDS = 1;
/** Mount retry cap, seconds (maxDurationBeforeRetry 2m2s). */
export const MAX_MOUNT_RETRY_SECONDS = 122;

/**
 * True when the ConfigMap / Secret / PVC `namespace/name` exists: (issue 6) ConfigMaps and Secrets are
 * stored objects (`state.configMaps` / `state.secrets`, ../kinds/config.ts: created and deleted through
 * the API server, so a `kubectl create configmap` counts on the next retry); PVCs are the manifests'
 * names (`state.configObjects`).
 */
export function configObjectExists(state: SimState, field: 'configMaps' | 'secrets' | 'persistentVolumeClaims', namespace: string, name: string): boolean {
  if (field === 'configMaps') return configMapOf(state, namespace, name) !== undefined;
  if (field === 'secrets') return secretOf(state, namespace, name) !== undefined;
  return state.configObjects?.[field].includes(`${namespace}/${name}`) ?? false;
}

/**
 * The first volume of `pod` that cannot be mounted, with the volume manager's error
 * (`configmap "app-config" not found`), or null. Checked: non-optional `configMap` / `secret` volumes
 * and the configMap / secret sources of `projected` volumes. Other sources mount.
 */
export function volumeProblem(state: SimState, pod: Pod): { volume: string; error: string } | null {
  const ns = pod.metadata.namespace;
  for (const v of pod.spec.volumes ?? []) {
    if (v.configMap && !v.configMap.optional && !configObjectExists(state, 'configMaps', ns, v.configMap.name)) return { volume: v.name, error: `configmap "${v.configMap.name}" not found` };
    if (v.secret && !v.secret.optional && !configObjectExists(state, 'secrets', ns, v.secret.secretName)) return { volume: v.name, error: `secret "${v.secret.secretName}" not found` };
    // (issue 6) `items` naming a key the object lacks (K pkg/volume/configmap, secret MakePayload).
    if (v.configMap?.items && !v.configMap.optional) {
      const cm = configMapOf(state, ns, v.configMap.name);
      const gone = cm && v.configMap.items.find((it) => !(cm.data && Object.hasOwn(cm.data, it.key)) && !(cm.binaryData && Object.hasOwn(cm.binaryData, it.key)));
      if (gone) return { volume: v.name, error: `configmap references non-existent config key: ${gone.key}` };
    }
    if (v.secret?.items && !v.secret.optional) {
      const sec = secretOf(state, ns, v.secret.secretName);
      const gone = sec && v.secret.items.find((it) => !(sec.data && Object.hasOwn(sec.data, it.key)));
      if (gone) return { volume: v.name, error: `references non-existent secret key: ${gone.key}` };
    }
    for (const src of v.projected?.sources ?? []) {
      const cm = src['configMap'] as { name?: string; optional?: boolean } | undefined;
      if (cm && typeof cm.name === 'string' && !cm.optional && !configObjectExists(state, 'configMaps', ns, cm.name)) return { volume: v.name, error: `configmap "${cm.name}" not found` };
      const sec = src['secret'] as { name?: string; optional?: boolean } | undefined;
      if (sec && typeof sec.name === 'string' && !sec.optional && !configObjectExists(state, 'secrets', ns, sec.name)) return { volume: v.name, error: `secret "${sec.name}" not found` };
    }
  }
  return null;
}

/** A mount failed: Warning `FailedMount`, still ContainerCreating, retried with the back-off above. */
function mountFailed(state: SimState, key: string, pod: Pod): void {
  const p = volumeProblem(state, pod);
  if (p === null) return;
  emit(state, 'Warning', 'FailedMount', podRef(pod), `MountVolume.SetUp failed for volume "${p.volume}" : ${p.error}`, 'kubelet');
  const prev = pod.sim.backoffSeconds;
  const delay = prev === 0 ? MOUNT_RETRY_SECONDS : Math.min(MAX_MOUNT_RETRY_SECONDS, prev * 2);
  pod.sim.backoffSeconds = delay;
  pod.sim.nextTransitionAt = later(state, delay);
  scheduleTimer(state, pod.sim.nextTransitionAt, T_MOUNT, key);
}

// ---------------------------------------------------------------------------------------------------
// Init containers (issue 6; W workloads/pods/init-containers.md): after the image pull they run one at a
// time, in order, each to completion; the app containers start when the last one exited 0 (then
// `Initialized=True`). An init container runs its image profile's `initSeconds` (default
// DEFAULT_INIT_SECONDS) and exits with `initExitCode` (default 0). One that loops until a Service
// resolves (`until nslookup db; do sleep 2; done`, recognised by {@link initWaitsFor}) keeps running,
// checking every 2 s, while that Service has no ready endpoint or the cluster DNS (kube-dns) has none.
// A failure (non-zero exit) is `Init:Error`; under restartPolicy Never the Pod fails, else the init
// container restarts with the crash-loop back-off (`Init:CrashLoopBackOff` while waiting; K
// pkg/kubelet/kuberuntime/kuberuntime_manager.go computeInitContainerActions).
// ---------------------------------------------------------------------------------------------------

/** Sim seconds an init container runs when its image profile has no `initSeconds`. Our rule. */
export const DEFAULT_INIT_SECONDS = 2;
/** Period of the wait-for-a-Service loop, seconds (the `sleep 2` of the usual pattern). */
export const INIT_WAIT_PERIOD_SECONDS = 2;

/**
 * The Service an init container waits for, or null: a shell loop `until nslookup NAME` / `until nc -z
 * NAME PORT` / `until wget ... http://NAME...` in its command and args. NAME may be `svc`, `svc.ns` or
 * `svc.ns.svc.cluster.local`; returns `{ namespace, name }` (the Pod's namespace when not given).
 * (issue 6) Variables are expanded from the container's literal `env` values: `$(VAR)` as the kubelet
 * expands command and args (K third_party/forked/golang/expansion), `$VAR` / `${VAR}` as the shell does;
 * one with no literal value (a ConfigMap key...) is left as written (the loop then runs `initSeconds`).
 */
export function initWaitsFor(c: InitContainer, podNamespace: string): { namespace: string; name: string } | null {
  let text = [...(c.command ?? []), ...(c.args ?? [])].join(' ');
  if (text.includes('$') && c.env.length > 0) {
    const vars = new Map<string, string>();
    for (const e of c.env) if (e.value !== undefined && e.valueFrom === undefined) vars.set(e.name, e.value);
    text = text.replace(/\$(?:\(([A-Za-z_][A-Za-z0-9_]*)\)|\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/g, (all, a?: string, b?: string, d?: string) => vars.get((a ?? b ?? d)!) ?? all);
  }
  if (!/\buntil\b|\bwhile\b/.test(text)) return null;
  const m = /\b(?:nslookup\s+|nc\s+(?:-\w+\s+)*|wget\s+(?:-\S+\s+)*|curl\s+(?:-\S+\s+)*)(?:https?:\/\/)?([a-z0-9]([-a-z0-9]*[a-z0-9])?)(?:\.([a-z0-9]([-a-z0-9]*[a-z0-9])?))?/.exec(text);
  if (!m) return null;
  const ns = m[3] !== undefined && m[3] !== 'svc' ? m[3] : podNamespace;
  return { namespace: ns, name: m[1]! };
}

/** Why `c` is still waiting (`db`: no endpoints / DNS down), or null when what it waits for is there. */
function initBlocked(state: SimState, pod: Pod, c: InitContainer): string | null {
  const w = initWaitsFor(c, pod.metadata.namespace);
  if (w === null) return null;
  const ready = (k: string) => state.endpoints[k]?.endpoints.some((e) => e.conditions.ready && !e.conditions.terminating) ?? false;
  if (state.services['kube-system/kube-dns'] && !ready('kube-system/kube-dns')) return 'dns';
  const key = `${w.namespace}/${w.name}`;
  if (!state.services[key]) return 'nxdomain';
  if (!ready(key)) return 'noendpoints';
  return null;
}

/** (issue 6) True for a sidecar: an init container with `restartPolicy: Always`. */
export function isSidecar(c: InitContainer | undefined): boolean {
  return c?.restartPolicy === 'Always';
}

/**
 * Index of the first init container that has not completed (a sidecar: not started), or -1 when all
 * have (computeInitContainerActions: a started restartable init container lets the next one start).
 */
function nextInitIndex(pod: Pod): number {
  const st = pod.status.initContainerStatuses ?? [];
  const inits = pod.spec.initContainers ?? [];
  for (let i = 0; i < st.length; i++) {
    const cs = st[i]!;
    if (cs.state.terminated && cs.state.terminated.exitCode === 0) continue;
    if (isSidecar(inits[i]) && cs.started && cs.state.running) continue;
    return i;
  }
  return -1;
}

/** Starts init container `i` (Created / Started events) and its exit timer. */
function startInit(state: SimState, key: string, pod: Pod, i: number, restart: boolean): void {
  const c = pod.spec.initContainers![i]!;
  const badRef = restart ? null : invalidImageMessage(c.image);
  if (badRef !== null) return invalidImageName(state, key, pod, { msg: badRef, init: i });
  const cs = pod.status.initContainerStatuses![i]!;
  const now = state.t;
  if (restart) cs.restartCount += 1;
  cs.state = { running: { startedAt: now } };
  cs.started = true;
  updateStatus(state, 'Pod', key);
  if (restart) emit(state, 'Normal', 'Pulled', podRef(pod), `Container image "${c.image}" already present on machine`, 'kubelet');
  else emit(state, 'Normal', 'Pulled', podRef(pod), pulledMessage(pod, c.image, now), 'kubelet');
  emit(state, 'Normal', 'Created', podRef(pod), `Created container: ${c.name}`, 'kubelet');
  emit(state, 'Normal', 'Started', podRef(pod), `Started container ${c.name}`, 'kubelet');
  if (isSidecar(c)) {
    // A sidecar keeps running: Ready once started (no readiness probe modelled for it), and the next
    // init container (or the app containers) start now.
    cs.ready = true;
    return initsAdvance(state, key, pod);
  }
  const blocked = initBlocked(state, pod, c);
  const secs = blocked !== null ? INIT_WAIT_PERIOD_SECONDS : Math.max(0, profileOf(state, c.image).initSeconds ?? DEFAULT_INIT_SECONDS);
  pod.sim.nextTransitionAt = later(state, secs);
  scheduleTimer(state, pod.sim.nextTransitionAt, T_INIT, key);
}

/** The running init container's timer: still waiting (re-arm), exited 0 (next one / app), or failed. */
function initTick(state: SimState, key: string, pod: Pod): void {
  const i = nextInitIndex(pod);
  if (i < 0) return;
  const c = pod.spec.initContainers![i]!;
  const cs = pod.status.initContainerStatuses![i]!;
  if (!cs.state.running) return;
  if (initBlocked(state, pod, c) !== null) {
    pod.sim.nextTransitionAt = later(state, INIT_WAIT_PERIOD_SECONDS);
    scheduleTimer(state, pod.sim.nextTransitionAt, T_INIT, key);
    return;
  }
  const now = state.t;
  const code = profileOf(state, c.image).initExitCode ?? 0;
  const terminated: ContainerState = { terminated: { exitCode: code, reason: code === 0 ? 'Completed' : 'Error', startedAt: cs.state.running.startedAt, finishedAt: now } };
  cs.state = terminated;
  cs.started = false;
  cs.ready = code === 0; // a completed init container reports ready (kubelet_pods.go convertToAPIContainerStatuses)
  if (code === 0) {
    pod.sim.backoffSeconds = 0;
    return initsAdvance(state, key, pod);
  }
  cs.lastState = cloneContainerState(terminated);
  updateStatus(state, 'Pod', key);
  if (pod.spec.restartPolicy === 'Never') {
    pod.status.phase = 'Failed';
    pod.sim.nextTransitionAt = null;
    updateStatus(state, 'Pod', key);
    return;
  }
  const delay = pod.sim.backoffSeconds;
  pod.sim.backoffSeconds = delay === 0 ? INITIAL_BACKOFF_SECONDS : Math.min(MAX_BACKOFF_SECONDS, delay * 2);
  pod.sim.lastFailureAt = now;
  pod.sim.nextTransitionAt = later(state, delay);
  scheduleTimer(state, pod.sim.nextTransitionAt, T_INIT_RESTART, key);
  if (delay > state.settings.tickSeconds) scheduleTimer(state, later(state, 0), T_INIT_BACKOFF, key);
}

/** An init container completed (or a sidecar started): the next one starts, or the Pod is Initialized. */
function initsAdvance(state: SimState, key: string, pod: Pod): void {
  const next = nextInitIndex(pod);
  if (next >= 0) return startInit(state, key, pod, next, false);
  // Initialized; the app containers are created on the next sync (1 s): STATUS `PodInitializing` meanwhile.
  setCondition(pod, 'Initialized', 'True', state.t);
  updateStatus(state, 'Pod', key);
  pod.sim.nextTransitionAt = later(state, 1);
  scheduleTimer(state, pod.sim.nextTransitionAt, T_START, key);
}

/** (issue 6) The sidecars are stopped after the app containers (a Job Pod's completion): Terminated, exit 0. */
function stopSidecars(pod: Pod, now: SimSeconds): void {
  const inits = pod.spec.initContainers ?? [];
  (pod.status.initContainerStatuses ?? []).forEach((cs, i) => {
    if (!isSidecar(inits[i]) || !cs.state.running) return;
    cs.state = { terminated: { exitCode: 0, reason: 'Completed', startedAt: cs.state.running.startedAt, finishedAt: now } };
    cs.ready = false;
    cs.started = false;
  });
}

/** The first container image of `pod` the registry does not have (profile `pullFails`), or undefined. */
function unpullableImage(state: SimState, pod: Pod): string | undefined {
  for (const c of pod.spec.containers) if (profileOf(state, c.image).pullFails) return c.image;
  return undefined;
}

/**
 * The error the kubelet's makeEnvironmentVariables returns for `pod`'s containers, or null when every
 * container's environment can be built (K pkg/kubelet/kubelet_pods.go; issue 6: key level), per
 * container in order, its `envFrom` sources first, then its `env`:
 * - `envFrom` a ConfigMap / Secret that does not exist: `configmap "NAME" not found` / `secret "NAME"
 *   not found` (the API's NotFound), skipped when `optional: true`;
 * - `env[].valueFrom.configMapKeyRef` / `secretKeyRef`: the object missing as above; the object there
 *   but not the key (a ConfigMap's `data`, a Secret's `data`): `couldn't find key KEY in ConfigMap
 *   NS/NAME` / `couldn't find key KEY in Secret NS/NAME`; `optional: true` skips both.
 * The objects are the stored ones (`state.configMaps` / `state.secrets`).
 */
export function missingConfig(state: SimState, pod: Pod): string | null {
  const ns = pod.metadata.namespace;
  for (const c of pod.spec.containers) {
    for (const src of c.envFrom ?? []) {
      if (src.configMapRef && !src.configMapRef.optional && !configMapOf(state, ns, src.configMapRef.name)) return `configmap "${src.configMapRef.name}" not found`;
      if (src.secretRef && !src.secretRef.optional && !secretOf(state, ns, src.secretRef.name)) return `secret "${src.secretRef.name}" not found`;
    }
    for (const e of c.env) {
      const cmRef = e.valueFrom?.configMapKeyRef;
      if (cmRef && !cmRef.optional) {
        const cm = configMapOf(state, ns, cmRef.name);
        if (!cm) return `configmap "${cmRef.name}" not found`;
        if (configMapValue(cm, cmRef.key) === undefined) return `couldn't find key ${cmRef.key} in ConfigMap ${ns}/${cmRef.name}`;
      }
      const secRef = e.valueFrom?.secretKeyRef;
      if (secRef && !secRef.optional) {
        const secret = secretOf(state, ns, secRef.name);
        if (!secret) return `secret "${secRef.name}" not found`;
        if (secretValue(secret, secRef.key) === undefined) return `couldn't find key ${secRef.key} in Secret ${ns}/${secRef.name}`;
      }
    }
  }
  return null;
}

/**
 * (issue 6) The kubelet has `pod`'s images on its Node now (pulled, or a warm start's running Pod): each
 * one the Node's `status.images` does not list yet is added (`names` the normalised reference,
 * `sizeBytes` the image profile's `sizeMiB`, default {@link DEFAULT_IMAGE_SIZE_MIB}), the list kept
 * largest first and capped at {@link NODE_STATUS_MAX_IMAGES} as the kubelet's node status setter
 * does (K pkg/kubelet/nodestatus/setters.go Images: sort by size, keep the top 50). The scheduler's
 * ImageLocality reads it; the per-image Node counts are kept in ../cache.ts. O(images).
 */
export function recordNodeImages(state: SimState, pod: Pod): void {
  const nodeName = pod.spec.nodeName;
  const node = nodeName ? state.nodes[nodeName] : undefined;
  if (!node) return;
  let list = node.status.images;
  // The warm start's Set of the listed names (150,000 Pods at 5,000 Nodes: no scan of the list each); else the list.
  const seen = warmNodeImageNames(state, nodeName!, list);
  let added: ContainerImage[] | null = null;
  const inits = pod.spec.initContainers;
  const nInit = inits === undefined ? 0 : inits.length;
  const containers = pod.spec.containers;
  for (let k = 0; k < nInit + containers.length; k++) {
    const c = k < nInit ? inits![k]! : containers[k - nInit]!;
    const name = normalizedImageName(c.image);
    if (seen !== undefined ? seen.has(name) : list?.some((img) => img.names.includes(name))) continue;
    const sizeBytes = Math.round((profileOf(state, c.image).sizeMiB ?? DEFAULT_IMAGE_SIZE_MIB) * MIB_BYTES);
    list ??= node.status.images = [];
    (added ??= []).push(insertNodeImage(list, name, sizeBytes));
    seen?.add(name);
  }
  if (added !== null) trimNodeImages(state, nodeName!, list!, added, seen);
}

/**
 * Adds `entries` (one name each) the Node's `status.images` does not list yet, as {@link recordNodeImages}
 * describes (largest first, a new image before those of its size, capped at {@link NODE_STATUS_MAX_IMAGES});
 * keeps the ImageLocality counts. Also used by the node-disk-pressure incident for a Node's stale images.
 * O(images). A status note (no resourceVersion bump), as the pulls always did.
 */
export function addNodeImages(state: SimState, nodeName: string, entries: readonly ContainerImage[]): void {
  const node = state.nodes[nodeName];
  if (!node) return;
  let list = node.status.images;
  const seen = warmNodeImageNames(state, nodeName, list);
  const added: ContainerImage[] = [];
  for (const e of entries) {
    const name = e.names[0]!;
    if (seen !== undefined ? seen.has(name) : list?.some((img) => img.names.includes(name))) continue;
    list ??= node.status.images = [];
    added.push(insertNodeImage(list, name, e.sizeBytes));
    seen?.add(name);
  }
  if (added.length > 0) trimNodeImages(state, nodeName, list!, added, seen);
}

/** Inserts one image into a Node's `status.images`: largest first, before those of its size (most recent first among equals). */
function insertNodeImage(list: ContainerImage[], name: string, sizeBytes: number): ContainerImage {
  let at = 0;
  while (at < list.length && list[at]!.sizeBytes > sizeBytes) at++;
  const img = { names: [name], sizeBytes };
  list.splice(at, 0, img);
  return img;
}

/** Caps the list at {@link NODE_STATUS_MAX_IMAGES} (the smallest drop out), then keeps the ImageLocality counts and notes the Node. */
function trimNodeImages(state: SimState, nodeName: string, list: ContainerImage[], added: ContainerImage[], seen: Set<string> | undefined): void {
  const removed: string[] = [];
  while (list.length > NODE_STATUS_MAX_IMAGES) {
    const dropped = list.pop()!;
    if (seen !== undefined) for (const n of dropped.names) seen.delete(n);
    const i = added.indexOf(dropped);
    if (i >= 0) added.splice(i, 1);
    else removed.push(...dropped.names);
  }
  if (added.length === 0 && removed.length === 0) return;
  indexNodeImages(state, added, removed);
  noteChange(state, 'Node', nodeName);
}

/**
 * (issue 6) The kubelet's image garbage collector removed the images named `names` from Node
 * `nodeName` (K pkg/kubelet/images/image_gc_manager.go freeSpace -> RemoveImage): they leave its
 * `status.images` (the next Pod needing one pulls it again) and the ImageLocality counts. A status
 * write through the API server. O(images).
 */
export function removeNodeImages(state: SimState, nodeName: string, names: readonly string[]): void {
  const node = state.nodes[nodeName];
  const list = node?.status.images;
  if (!list || names.length === 0) return;
  const gone = new Set(names);
  const removed: string[] = [];
  const kept = list.filter((img) => {
    if (!img.names.some((n) => gone.has(n))) return true;
    removed.push(...img.names);
    return false;
  });
  if (removed.length === 0) return;
  if (kept.length === 0) delete node.status.images;
  else node.status.images = kept;
  indexNodeImages(state, [], removed);
  updateStatus(state, 'Node', nodeName);
}

/**
 * The image is there (pulled, or present): create and start the containers, unless the pull fails
 * (`ErrImagePull`) or the container config cannot be built (`CreateContainerConfigError`).
 */
function tryStart(state: SimState, key: string, pod: Pod, restart: boolean): void {
  if (!restart) {
    const bad = invalidImage(pod);
    if (bad !== null) return invalidImageName(state, key, pod, bad);
    if (neverPullPending(pod)) {
      // A retry after ErrImageNeverPull: start once the image is there, else the same error again.
      const never = neverPullMissing(state, pod);
      if (never !== undefined) return errImageNeverPull(state, key, pod, never);
      for (const cs of pod.status.containerStatuses) if (cs.state.waiting?.reason === 'ErrImageNeverPull') cs.state = CONTAINER_CREATING;
      for (const cs of pod.status.initContainerStatuses ?? []) if (cs.state.waiting?.reason === 'ErrImageNeverPull') cs.state = POD_INITIALIZING;
      if (!imagesPresent(state, pod)) return startPull(state, key, pod); // the other images still to pull
      pod.sim.imagesPresent = true;
    }
    const image = unpullableImage(state, pod);
    if (image !== undefined) return pullFailed(state, key, pod, image);
    recordNodeImages(state, pod);
  }
  if (!restart && (pod.spec.initContainers ?? []).length > 0) {
    const i = nextInitIndex(pod);
    if (i >= 0) return startInit(state, key, pod, i, false);
  }
  const missing = missingConfig(state, pod);
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

/**
 * {@link invalidImageMessage} memoised per image reference (a pure function of the string; the
 * cluster's few images are parsed once, not once per Pod start). Bounded: cleared past
 * {@link IMAGE_MESSAGE_MEMO_LIMIT} entries (images are player input). A Map: the keys are untrusted.
 */
const imageMessages = new Map<string, string | null>();
const IMAGE_MESSAGE_MEMO_LIMIT = 4096;

function imageMessage(image: string): string | null {
  let msg = imageMessages.get(image);
  if (msg === undefined) {
    if (imageMessages.size >= IMAGE_MESSAGE_MEMO_LIMIT) imageMessages.clear();
    imageMessages.set(image, (msg = invalidImageMessage(image)));
  }
  return msg;
}

/**
 * The image reference the kubelet would parse next and fail on, with its message (./imageReference.ts):
 * the next init container's while one has not completed (`init` its index: init containers run first),
 * else the first app container's that does not parse; null when it parses.
 */
function invalidImage(pod: Pod): { msg: string; init: number } | null {
  const inits = pod.spec.initContainers ?? [];
  if (inits.length > 0 && pod.status.initContainerStatuses !== undefined) {
    const i = nextInitIndex(pod);
    if (i >= 0) {
      const msg = imageMessage(inits[i]!.image);
      return msg === null ? null : { msg, init: i };
    }
  }
  for (const c of pod.spec.containers) {
    const msg = imageMessage(c.image);
    if (msg !== null) return { msg, init: -1 };
  }
  return null;
}

/**
 * An image reference that does not parse (image_manager.go EnsureImageExists -> ErrInvalidImageName):
 * waiting `InvalidImageName` with the message, Warning `InspectFailed` with it and Warning `Failed`
 * `Error: InvalidImageName` (kuberuntime_container.go startContainer); no pull, no back-off: the pod
 * worker tries again every 10 s ({@link SYNC_RETRY_SECONDS}), repeating both events, until the spec
 * changes (a new image makes new Pods through a rollout).
 */
function invalidImageName(state: SimState, key: string, pod: Pod, bad: { msg: string; init: number }): void {
  const msg = bad.msg;
  const waiting: ContainerState = { waiting: { reason: 'InvalidImageName', message: msg } };
  const ics = bad.init >= 0 ? pod.status.initContainerStatuses?.[bad.init] : undefined;
  if (ics !== undefined) {
    ics.state = waiting; // STATUS `Init:InvalidImageName`; the app containers stay PodInitializing
    ics.started = false;
  } else setContainerStates(pod, waiting, { ready: false, started: false });
  updateStatus(state, 'Pod', key);
  emit(state, 'Warning', 'InspectFailed', podRef(pod), msg, 'kubelet');
  emit(state, 'Warning', 'Failed', podRef(pod), 'Error: InvalidImageName', 'kubelet');
  pod.sim.nextTransitionAt = later(state, SYNC_RETRY_SECONDS);
  scheduleTimer(state, pod.sim.nextTransitionAt, T_START, key);
}

/** The container config cannot be built (`missing`: `configmap "x" not found`): waiting, retried every 10 s. */
function configError(state: SimState, key: string, pod: Pod, missing: string): void {
  const now = state.t;
  const again = pod.status.containerStatuses.some((cs) => cs.state.waiting?.reason === 'CreateContainerConfigError');
  setContainerStates(pod, { waiting: { reason: 'CreateContainerConfigError', message: missing } }, { ready: false, started: false });
  updateStatus(state, 'Pod', key);
  for (const c of pod.spec.containers) {
    if (again) emit(state, 'Normal', 'Pulled', podRef(pod), `Container image "${c.image}" already present on machine`, 'kubelet');
    else emit(state, 'Normal', 'Pulled', podRef(pod), pulledMessage(pod, c.image, now), 'kubelet');
  }
  emit(state, 'Warning', 'Failed', podRef(pod), `Error: ${missing}`, 'kubelet');
  pod.sim.nextTransitionAt = later(state, SYNC_RETRY_SECONDS);
  scheduleTimer(state, pod.sim.nextTransitionAt, T_START, key);
}

/**
 * Sim seconds an app takes after its container started before it answers its probes, when its image
 * profile has no `startupSeconds` (the scenario's image description): 0, the app listens as soon as its
 * container runs (the image pull already takes 2-5 s). Our rule, not a Kubernetes value.
 */
export const DEFAULT_APP_START_SECONDS = 0;
/**
 * Above this utilisation of its CPU (offered requests/s over what it serves) more than half of a Pod's
 * requests time out (the traffic model drops the excess `1 - 1/u`), so its probe, a request like the
 * others, times out too.
 */
export const PROBE_TIMEOUT_UTILISATION = 2;

/** The three probe kinds; each has one worker per container life (K pkg/kubelet/prober/worker.go). */
export type ProbeKind = 'startup' | 'readiness' | 'liveness';

const PROBE_FIELD = { startup: 'startupProbe', readiness: 'readinessProbe', liveness: 'livenessProbe' } as const satisfies Record<ProbeKind, keyof Container>;
const PROBE_TIMER: Readonly<Record<ProbeKind, TimerKind>> = { startup: T_STARTUP, readiness: T_PROBE, liveness: T_LIVENESS };
const PROBE_OF_TIMER: Readonly<Partial<Record<TimerKind, ProbeKind>>> = { [T_STARTUP]: 'startup', [T_PROBE]: 'readiness', [T_LIVENESS]: 'liveness' };
/** The probe type as the kubelet's events name it (`Readiness probe failed: ...`). */
const PROBE_LABEL: Readonly<Record<ProbeKind, string>> = { startup: 'Startup', readiness: 'Readiness', liveness: 'Liveness' };

/** A probe's timing with the defaults of K SetDefaults_Probe, seconds (kubernetes-behaviour.md §2). */
export interface ProbeTiming {
  delay: number;
  period: number;
  timeout: number;
  success: number;
  failure: number;
}

/**
 * `p`'s timing: initialDelaySeconds 0, periodSeconds 10, timeoutSeconds 1, successThreshold 1 (always
 * 1 for liveness and startup, as validation demands), failureThreshold 3 when unset.
 */
export function probeTiming(p: Probe, kind: ProbeKind): ProbeTiming {
  return {
    delay: Math.max(0, p.initialDelaySeconds ?? 0),
    period: Math.max(1, p.periodSeconds ?? 10),
    timeout: Math.max(1, p.timeoutSeconds ?? 1),
    success: kind === 'readiness' ? Math.max(1, p.successThreshold ?? 1) : 1,
    failure: Math.max(1, p.failureThreshold ?? 3),
  };
}

/** The probe of `kind` of the first container of `pod` that declares one, with its container. */
function probeOf(pod: Pod, kind: ProbeKind): { c: Container; p: Probe } | null {
  const field = PROBE_FIELD[kind];
  for (const c of pod.spec.containers) {
    const p = c[field];
    if (p) return { c, p };
  }
  return null;
}

function hasProbe(pod: Pod, kind: ProbeKind): boolean {
  return probeOf(pod, kind) !== null;
}

function hasAnyProbe(pod: Pod): boolean {
  return pod.spec.containers.some((c) => c.startupProbe || c.readinessProbe || c.livenessProbe);
}

/**
 * A probe's port as a number: a name resolved among the container's `ports`, else a number written as
 * a string (K pkg/probe/util.go ResolveContainerPort); null when it names none.
 */
function probePort(c: Container, p: Probe): number | null {
  const port = p.httpGet?.port ?? p.tcpSocket?.port ?? p.grpc?.port;
  if (port === undefined) return null;
  if (typeof port === 'number') return port;
  const named = c.ports.find((x) => x.name === port)?.containerPort;
  if (named !== undefined) return named;
  return /^[+-]?\d+$/.test(port) ? Number(port) : null;
}

/**
 * The prober's error for a probe it cannot run, or null: an httpGet / tcpSocket port name that names
 * no port of the container (and is no number) fails ResolveContainerPort's last-ditch `strconv.Atoi`:
 * `strconv.Atoi: parsing "http": invalid syntax` (K pkg/probe/util.go). The API server accepts such a
 * name (it only checks the IANA_SVC_NAME syntax); the kubelet records Warning `Unhealthy` "<Kind> probe
 * errored and resulted in unknown state: <error>" and throws the result away (K
 * pkg/kubelet/prober/prober.go probe, worker.go doProbe), every period: the probe never passes nor
 * fails, so readiness never turns Ready, a startup probe never starts the container and liveness never
 * kills it.
 */
export function probeError(c: Container, p: Probe): string | null {
  const port = p.httpGet?.port ?? p.tcpSocket?.port;
  if (typeof port !== 'string' || probePort(c, p) !== null) return null;
  return `strconv.Atoi: parsing ${JSON.stringify(port)}: invalid syntax`;
}

/**
 * The median response time of `pod`'s app, ms, and its CPU utilisation, from the traffic model
 * (../trafficModel.ts): own latency `latencyMs` x the M/M/1 factor `1 / (1 - min(u, 0.95))`, where u
 * is the Pod's share of its Services' offered requests/s (Ready Pods only, as ../podMetrics.ts) over
 * the requests/s its CPU serves (`cpuPerRequestMilli`: a CPU hog or a slow version raises it);
 * Infinity beyond {@link PROBE_TIMEOUT_UTILISATION}.
 */
export function appResponse(state: SimState, pod: Pod): { ms: number; utilisation: number } {
  const profile = imageProfileFor(state, pod);
  let rps = 0;
  if (pod.sim.ready) {
    for (const svc of servicesForLabels(state, pod.metadata.namespace, pod.metadata.labels)) {
      const t = state.traffic[svc];
      if (t && t.readyEndpoints > 0) rps += t.rps / t.readyEndpoints;
    }
  }
  const capacity = podCapacityRps(podCpuMilli(pod), profile);
  const u = capacity === Infinity || capacity <= 0 ? 0 : rps / capacity;
  return { ms: u > PROBE_TIMEOUT_UTILISATION ? Infinity : profile.latencyMs * loadFactor(u), utilisation: u };
}

/**
 * One probe of container `c` now: null when it passes, else the prober's output (the event reads
 * `<Kind> probe failed: <output>`). In order:
 * 1. the app does not listen yet (`startupSeconds` of its image profile after the container start,
 *    default {@link DEFAULT_APP_START_SECONDS}), or the probe's port is not among the container's
 *    declared `ports` (when it declares any) nor the image profile's `listenPorts`: httpGet `Get "http://IP:PORT/PATH": dial tcp IP:PORT:
 *    connect: connection refused`, tcpSocket `dial tcp IP:PORT: connect: connection refused`, grpc
 *    `timeout: failed to connect service "IP:PORT" within 1s: context deadline exceeded` (K
 *    pkg/probe/grpc/grpc.go), exec: the command's (empty) output;
 * 2. readiness of an image that `failsReadiness`: httpGet `HTTP probe failed with statuscode: 503`
 *    (K pkg/probe/http/http.go), grpc `service unhealthy (responded with "NOT_SERVING")`, tcpSocket
 *    refused, exec empty output;
 * 3. httpGet / grpc whose median response ({@link appResponse}) exceeds timeoutSeconds: `Get "...":
 *    context deadline exceeded (Client.Timeout exceeded while awaiting headers)` / `timeout: health rpc
 *    did not complete within 1s`. A tcpSocket probe only connects (the kernel accepts for a slow app)
 *    and an exec probe's command is not modelled: both pass.
 */
export function probeOutcome(state: SimState, pod: Pod, c: Container, p: Probe, kind: ProbeKind, tm: ProbeTiming): string | null {
  const ip = podIp(state, pod);
  const port = probePort(c, p);
  const url = p.httpGet ? `http://${ip}:${port}${p.httpGet.path ?? '/'}` : '';
  const refused = (): string => {
    if (p.httpGet) return `Get "${url}": dial tcp ${ip}:${port}: connect: connection refused`;
    if (p.tcpSocket) return `dial tcp ${ip}:${port}: connect: connection refused`;
    if (p.grpc) return `timeout: failed to connect service "${ip}:${port}" within ${tm.timeout}s: context deadline exceeded`;
    return '';
  };
  const profile = profileOf(state, pod.sim.image);
  const started = pod.sim.containerStartedAt ?? state.t;
  if (state.t < started + Math.max(0, profile.startupSeconds ?? DEFAULT_APP_START_SECONDS)) return refused();
  if (port !== null && c.ports.length > 0 && !c.ports.some((x) => x.containerPort === port) && !(profile.listenPorts?.includes(port) ?? false)) return refused();
  if (kind === 'readiness' && profile.failsReadiness) {
    if (p.httpGet) return 'HTTP probe failed with statuscode: 503';
    if (p.grpc) return 'service unhealthy (responded with "NOT_SERVING")';
    return refused();
  }
  if (p.httpGet || p.grpc) {
    if (appResponse(state, pod).ms > tm.timeout * 1000) {
      return p.httpGet ? `Get "${url}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)` : `timeout: health rpc did not complete within ${tm.timeout}s`;
    }
  }
  return null;
}

/**
 * True when a passing httpGet / grpc probe could fail without any other change the kubelet is told
 * of (its load moves): the median response is over half the timeout or the Pod runs beyond its CPU.
 * Such a worker keeps probing every period; the others go idle after a pass.
 */
function probeAtRisk(state: SimState, pod: Pod, p: Probe, tm: ProbeTiming): boolean {
  if (!p.httpGet && !p.grpc) return false;
  const r = appResponse(state, pod);
  return r.ms > tm.timeout * 500 || r.utilisation > 1;
}

/** The next probe time of a worker whose schedule is `start + delay + k * period` (k >= 1), after `after`. */
function nextDue(start: SimSeconds, tm: ProbeTiming, after: SimSeconds): SimSeconds {
  const first = start + tm.delay + tm.period;
  if (first > after) return first;
  return first + (Math.floor((after - first) / tm.period) + 1) * tm.period;
}

function arm(state: SimState, key: string, w: ProbeWorker, kind: ProbeKind, at: SimSeconds): void {
  w.next = at;
  scheduleTimer(state, at, PROBE_TIMER[kind], key);
}

function workerOf(pr: PodProbes, kind: ProbeKind, successes = 0): ProbeWorker {
  return (pr[kind] ??= { next: null, failures: 0, successes });
}

/** The probe fields of a profile, as {@link SimState.probeProfileSeen} keeps them. */
export function probeSignature(p: ImageProfile): string {
  return `${p.latencyMs}|${p.cpuPerRequestMilli}|${p.failsReadiness ?? ''}|${p.startupSeconds ?? ''}`;
}

function registerProbeProfile(state: SimState, image: string): void {
  const seen = (state.probeProfileSeen ??= Object.create(null) as Record<string, string>);
  if (Object.hasOwn(seen, image)) return;
  const p = profileOf(state, image);
  seen[image] = probeSignature(p);
  const w = probeWatches.get(state);
  if (w && w.seenRef === seen) w.fields.set(image, probeFields(p));
}

type ProbeFields = [latencyMs: number, cpuPerRequestMilli: number, failsReadiness: boolean | undefined, startupSeconds: number | undefined];

function probeFields(p: ImageProfile): ProbeFields {
  return [p.latencyMs, p.cpuPerRequestMilli, p.failsReadiness, p.startupSeconds];
}

/**
 * What {@link watchProbeProfiles} saw of each watched image's probe fields, beside the state (like
 * ../cache.ts): a tick compares four fields per image instead of building signatures. Rebuilt from
 * `state.probeProfileSeen` (the state's own record) when missing or stale, so a cloned state behaves
 * the same.
 */
const probeWatches = new WeakMap<SimState, { seenRef: Record<string, string>; fields: Map<string, ProbeFields> }>();

const sameProbeField = (a: number | boolean | undefined, b: number | boolean | undefined) => a === b || (a !== a && b !== b);

/** Readiness and liveness workers start (the startup probe passed, or there is none): first probe after `after`. */
function startWorkers(state: SimState, key: string, pod: Pod, pr: PodProbes, after: SimSeconds): void {
  const start = pod.sim.containerStartedAt ?? state.t;
  for (const kind of ['readiness', 'liveness'] as const) {
    const d = probeOf(pod, kind);
    if (d) arm(state, key, workerOf(pr, kind), kind, nextDue(start, probeTiming(d.p, kind), after));
  }
}

/**
 * The containers started: the probe workers begin (K pkg/kubelet/prober). Without probes the Pod is
 * Ready at once. With a startup probe only it runs (first at initialDelaySeconds + periodSeconds);
 * readiness and liveness follow its success. Readiness counts as failed until it passed
 * successThreshold times. In createSim's warm start the containers have long been running: started,
 * Ready unless the image `failsReadiness`, and only probes that fail at once get a worker.
 */
function startProbes(state: SimState, key: string, pod: Pod, warm: boolean): void {
  if (!hasAnyProbe(pod)) {
    setPodReady(state, key, pod, true);
    return;
  }
  registerProbeProfile(state, pod.sim.image);
  const profile = profileOf(state, pod.sim.image);
  const now = state.t;
  const startup = probeOf(pod, 'startup');
  if (warm && !(startup && probeError(startup.c, startup.p) !== null)) {
    const rd = probeOf(pod, 'readiness');
    const ready = !(rd && (profile.failsReadiness || probeError(rd.c, rd.p) !== null));
    setPodReady(state, key, pod, ready);
    let pr: PodProbes | undefined;
    for (const kind of ['readiness', 'liveness'] as const) {
      const d = probeOf(pod, kind);
      if (!d) continue;
      const tm = probeTiming(d.p, kind);
      if (probeError(d.c, d.p) === null && probeOutcome(state, pod, d.c, d.p, kind, tm) === null) continue;
      pr ??= pod.sim.probes = { started: true };
      arm(state, key, workerOf(pr, kind, kind === 'readiness' && ready ? tm.success : 0), kind, later(state, tm.delay + tm.period));
    }
    return;
  }
  const pr: PodProbes = { started: !hasProbe(pod, 'startup') };
  pod.sim.probes = pr;
  if (!pr.started) for (const cs of pod.status.containerStatuses) cs.started = false; // (a warm start's erroring startup probe)
  setPodReady(state, key, pod, pr.started && !hasProbe(pod, 'readiness'));
  if (pr.started) {
    startWorkers(state, key, pod, pr, now);
    return;
  }
  const d = probeOf(pod, 'startup')!;
  arm(state, key, workerOf(pr, 'startup'), 'startup', nextDue(now, probeTiming(d.p, 'startup'), now));
}

/** The containers stopped: every probe worker of this life ends (their timers become stale). */
function stopProbes(pod: Pod): void {
  const pr = pod.sim.probes;
  if (!pr) return;
  pr.started = false;
  for (const kind of ['startup', 'readiness', 'liveness'] as const) {
    const w = pr[kind];
    if (w) w.next = null;
  }
}

/**
 * A due probe (timer `at` of worker `kind`): pass -> successes + 1 (startup: the container is started,
 * readiness and liveness begin; readiness: Ready after successThreshold), failure -> Warning
 * `Unhealthy` "<Kind> probe failed: <output>" each time; at failureThreshold consecutive failures
 * readiness turns the Pod not Ready (it leaves the endpoints, no restart), liveness and startup kill
 * the container (Normal `Killing` "Container X failed liveness probe, will be restarted"; last state
 * `Error`, exit 137) and it restarts with the crash-loop back-off (K pkg/kubelet/prober/worker.go,
 * kuberuntime_manager.go computePodActions). A worker goes idle after a pass that changes nothing
 * and cannot turn (see {@link probeAtRisk}); {@link wakeProbes} restarts it.
 */
function runProbe(state: SimState, key: string, pod: Pod, kind: ProbeKind, at: SimSeconds): void {
  const pr = pod.sim.probes;
  const w = pr?.[kind];
  if (!pr || !w || w.next !== at) return; // a probe of an earlier container life, or re-armed since
  w.next = null;
  const d = probeOf(pod, kind);
  if (!d || (kind === 'startup') === pr.started) return;
  const tm = probeTiming(d.p, kind);
  const start = pod.sim.containerStartedAt ?? state.t;
  const error = probeError(d.c, d.p);
  if (error !== null) {
    // The result is thrown away: no success, no failure counted; it errors again next period.
    emit(state, 'Warning', 'Unhealthy', podRef(pod), `${PROBE_LABEL[kind]} probe errored and resulted in unknown state: ${error}`, 'kubelet');
    arm(state, key, w, kind, nextDue(start, tm, state.t));
    return;
  }
  const fail = probeOutcome(state, pod, d.c, d.p, kind, tm);
  if (fail === null) {
    w.failures = 0;
    w.successes++;
    if (kind === 'startup') {
      pr.started = true;
      for (const cs of pod.status.containerStatuses) cs.started = true;
      updateStatus(state, 'Pod', key);
      if (!hasProbe(pod, 'readiness')) setPodReady(state, key, pod, true);
      startWorkers(state, key, pod, pr, state.t);
      return;
    }
    if (kind === 'readiness' && !pod.sim.ready && w.successes >= tm.success) setPodReady(state, key, pod, true);
    const settled = kind === 'liveness' || pod.sim.ready;
    if (!settled || probeAtRisk(state, pod, d.p, tm)) arm(state, key, w, kind, nextDue(start, tm, state.t));
    return;
  }
  w.successes = 0;
  w.failures++;
  emit(state, 'Warning', 'Unhealthy', podRef(pod), `${PROBE_LABEL[kind]} probe failed: ${fail}`, 'kubelet');
  if (w.failures >= tm.failure) {
    if (kind !== 'readiness') {
      emit(state, 'Normal', 'Killing', podRef(pod), `Container ${d.c.name} failed ${kind} probe, will be restarted`, 'kubelet');
      containerFailed(state, key, pod, { terminated: { exitCode: LIVENESS_EXIT_CODE, reason: 'Error', startedAt: start, finishedAt: state.t } });
      return;
    }
    if (pod.sim.ready) setPodReady(state, key, pod, false);
  }
  arm(state, key, w, kind, nextDue(start, tm, state.t));
}

/**
 * Something a probe reads changed for a running Pod (its image profile): idle workers probe again at
 * their next period. Warm-started Pods get their worker state here.
 */
function wakeProbes(state: SimState, key: string, pod: Pod): void {
  const start = pod.sim.containerStartedAt;
  if (start === null) return;
  const pr = (pod.sim.probes ??= { started: true });
  if (!pr.started) return; // the startup worker never idles
  for (const kind of ['readiness', 'liveness'] as const) {
    const d = probeOf(pod, kind);
    if (!d) continue;
    const tm = probeTiming(d.p, kind);
    const w = workerOf(pr, kind, kind === 'readiness' && pod.sim.ready ? tm.success : 0);
    if (w.next === null) arm(state, key, w, kind, nextDue(start, tm, state.t));
  }
}

/**
 * Compares the probe fields of the profiles of images whose Pods have probes with what the kubelet
 * last saw ({@link SimState.probeProfileSeen}) and wakes the probe workers of the Pods of each image
 * that changed (an incident wrote `images[x]` in place: a CPU hog, a latency fault). Cost: O(probed
 * images) per tick, plus O(pods of a changed image).
 */
function watchProbeProfiles(state: SimState): void {
  const seen = state.probeProfileSeen;
  if (!seen) return;
  let w = probeWatches.get(state);
  let changed: string[] | null = null;
  if (!w || w.seenRef !== seen) {
    w = { seenRef: seen, fields: new Map() };
    probeWatches.set(state, w);
    for (const image of Object.keys(seen)) {
      const p = profileOf(state, image);
      w.fields.set(image, probeFields(p));
      const sig = probeSignature(p);
      if (seen[image] === sig) continue;
      seen[image] = sig;
      (changed ??= []).push(image);
    }
  } else {
    for (const [image, f] of w.fields) {
      const p = profileOf(state, image);
      if (sameProbeField(p.latencyMs, f[0]) && sameProbeField(p.cpuPerRequestMilli, f[1]) && p.failsReadiness === f[2] && sameProbeField(p.startupSeconds, f[3])) continue;
      w.fields.set(image, probeFields(p));
      const sig = probeSignature(p);
      if (seen[image] === sig) continue;
      seen[image] = sig;
      (changed ??= []).push(image);
    }
  }
  if (changed === null) return;
  const idx = getIndex(state);
  for (const image of changed.sort()) {
    for (const key of [...(idx.podsByImage.get(image) ?? [])].sort()) {
      const pod = state.pods[key];
      if (!pod || pod.sim.containerStartedAt === null || isTerminating(pod) || !nodeUp(state, pod) || !hasAnyProbe(pod)) continue;
      wakeProbes(state, key, pod);
    }
  }
}

/** What {@link watchProbeLoad} last saw: its change-log cursor and each Service's requests/s per ready endpoint. */
const loadWatches = new WeakMap<SimState, { cursor: number; load: Map<string, number> }>();

/**
 * A load change alone wakes the idle probe workers it puts at risk: for each Service whose traffic
 * figures changed since the last tick (the change log, ../changelog.ts, kind `Service`) and whose
 * requests/s per ready endpoint rose above what was last checked, the httpGet / grpc workers of its
 * running Pods that are idle and now at risk (median response over half the timeout, or beyond the
 * CPU: {@link probeAtRisk}) probe again at their next period (a traffic spike, a scale-down or a lost
 * zone that loads the remaining Pods until their probes time out). A worker goes idle only when not
 * at risk and its risk grows only with its load, so a fresh memo (a cloned state, the log resynced)
 * checks every Service once and wakes the same workers. Cost: O(changed Services) per tick, plus
 * O(their Pods) when their load per endpoint rose; O(Services + probed Pods) after a resync.
 */
function watchProbeLoad(state: SimState): void {
  if (!state.probeProfileSeen) return; // no Pod with probes has started
  let w = loadWatches.get(state);
  let changed: string[] | null = [];
  if (w === undefined) {
    loadWatches.set(state, (w = { cursor: changeCursor(state), load: new Map() }));
    changed = null;
  } else {
    const read = forEachChangeSince(state, w.cursor, (kind, key) => {
      if (kind === 'Service') changed!.push(key);
    });
    w.cursor = read.cursor;
    if (read.resync) changed = null;
  }
  const keys = changed === null ? Object.keys(state.services).sort() : [...new Set(changed)].sort();
  let wake: string[] | null = null;
  for (const svcKey of keys) {
    const svc = state.services[svcKey];
    const t = state.traffic[svcKey];
    const load = t && t.readyEndpoints > 0 ? t.rps / t.readyEndpoints : 0;
    const prev = w.load.get(svcKey);
    w.load.set(svcKey, load);
    if (!svc || !svc.spec.selector || (prev !== undefined && load <= prev) || load === 0) continue;
    for (const key of podsForSelector(state, svc.metadata.namespace, svc.spec.selector)) {
      const pod = state.pods[key]!;
      // A warm-started Pod whose probes passed at once has no worker state yet: its workers are idle.
      const pr = pod.sim.probes;
      if ((pr && !pr.started) || pod.sim.containerStartedAt === null || isTerminating(pod) || !nodeUp(state, pod) || !hasAnyProbe(pod)) continue;
      for (const kind of ['readiness', 'liveness'] as const) {
        const d = probeOf(pod, kind);
        const pw = pr?.[kind];
        if (!d || (pw && pw.next !== null) || !probeAtRisk(state, pod, d.p, probeTiming(d.p, kind))) continue;
        (wake ??= []).push(key);
        break;
      }
    }
  }
  if (wake === null) return;
  for (const key of [...new Set(wake)].sort()) wakeProbes(state, key, state.pods[key]!);
}

function startContainer(state: SimState, key: string, pod: Pod, restart: boolean): void {
  const now = state.t;
  const warm = isWarmStart(state);
  const profile = profileOf(state, pod.sim.image);
  // With a startup probe the container is not `started` until it passes (K prober_manager UpdatePodStatus).
  setContainerStates(pod, now === 0 ? RUNNING_AT_ZERO : { running: { startedAt: now } }, { ready: false, started: warm || !hasProbe(pod, 'startup') });
  if (restart) for (const cs of pod.status.containerStatuses) cs.restartCount += 1;
  pod.status.phase = 'Running';
  pod.sim.containerStartedAt = now;
  pod.sim.memoryMiB = memoryAt(profile, now, now, pod.sim);
  pod.sim.nextTransitionAt = null;
  updateStatus(state, 'Pod', key);
  // emit records nothing in the warm start: skip building the events' strings there.
  if (!warm) for (const c of pod.spec.containers) {
    if (!restart) {
      emit(state, 'Normal', 'Pulled', podRef(pod), pulledMessage(pod, c.image, now), 'kubelet');
    } else {
      emit(state, 'Normal', 'Pulled', podRef(pod), `Container image "${c.image}" already present on machine`, 'kubelet');
    }
    emit(state, 'Normal', 'Created', podRef(pod), `Created container: ${c.name}`, 'kubelet');
    emit(state, 'Normal', 'Started', podRef(pod), `Started container ${c.name}`, 'kubelet');
  }
  delete pod.sim.imagesPresent;
  if (pod.sim.pulledImages !== undefined) delete pod.sim.pulledImages;
  delete pod.sim.pullStartedAt;
  // (issue 6) the env the containers were created with: a later ConfigMap / Secret change shows after a restart
  const reading = pod.spec.containers.filter(readsConfigEnv);
  if (reading.length > 0) pod.sim.envAtStart = reading.map((c) => ({ container: c.name, vars: containerEnv(state, pod.metadata.namespace, c) }));
  else if (pod.sim.envAtStart !== undefined) delete pod.sim.envAtStart;
  startProbes(state, key, pod, warm);
  if (pod.sim.memLimitMiB !== null && pod.sim.memoryMiB > pod.sim.memLimitMiB) {
    scheduleTimer(state, later(state, 0), T_OOM, key);
  }
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
  let job = false;
  for (const r of pod.metadata.ownerReferences) if (r.controller && r.kind === 'Job') job = true;
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
  stopSidecars(pod, now);
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
  stopProbes(pod);
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
    case T_STARTUP:
    case T_PROBE:
    case T_LIVENESS:
      if (running && !isTerminating(pod)) runProbe(state, key, pod, PROBE_OF_TIMER[timer.kind]!, timer.at);
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
    case T_MOUNT:
      if (pod.sim.nextTransitionAt !== timer.at || isTerminating(pod) || running) return;
      if (volumeProblem(state, pod) !== null) return mountFailed(state, key, pod);
      pod.sim.backoffSeconds = 0;
      startPull(state, key, pod);
      return;
    case T_INIT:
      if (pod.sim.nextTransitionAt === timer.at && !isTerminating(pod) && !running) initTick(state, key, pod);
      return;
    case T_INIT_RESTART:
      if (pod.sim.nextTransitionAt === timer.at && !isTerminating(pod) && !running) {
        const i = nextInitIndex(pod);
        if (i >= 0) startInit(state, key, pod, i, true);
      }
      return;
    case T_INIT_BACKOFF:
      if (!isTerminating(pod) && !running && pod.sim.nextTransitionAt !== null && pod.sim.nextTransitionAt > state.t) {
        const i = nextInitIndex(pod);
        const cs = i >= 0 ? pod.status.initContainerStatuses![i]! : undefined;
        if (!cs || !cs.state.terminated) return;
        const delay = pod.sim.nextTransitionAt - (pod.sim.lastFailureAt ?? state.t);
        const who = `${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`;
        cs.state = { waiting: { reason: 'CrashLoopBackOff', message: `back-off ${delay}s restarting failed container=${cs.name} pod=${who}` } };
        updateStatus(state, 'Pod', key);
        emit(state, 'Warning', 'BackOff', podRef(pod), `Back-off restarting failed container ${cs.name} in pod ${who}`, 'kubelet');
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
  watchProbeProfiles(state);
  watchProbeLoad(state);
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
 * get their containers restarted (restartCount + 1), pods still creating pull again. With
 * `containersKept` (issue 6: the container runtime is back, containerd's shims kept the containers
 * running) a running pod keeps its containers: Ready again at once without a readiness probe, else
 * after its probe workers pass again.
 */
export function kubeletNodeRecovered(state: SimState, node: string, opts: { containersKept?: boolean } = {}): void {
  const keys = [...(getIndex(state).podsByNode.get(node) ?? [])].sort();
  for (const key of keys) {
    const pod = state.pods[key]!;
    if (isTerminating(pod)) {
      pod.sim.nextTransitionAt = later(state, 0);
      scheduleTimer(state, pod.sim.nextTransitionAt, T_GONE, key);
      continue;
    }
    if (pod.status.phase === 'Failed' || pod.status.phase === 'Succeeded') continue;
    if (opts.containersKept && pod.sim.containerStartedAt !== null && pod.sim.probes?.started !== false && pod.status.containerStatuses.every((c) => c.state.running)) {
      const pr = pod.sim.probes;
      if (pr) for (const kind of ['readiness', 'liveness'] as const) if (pr[kind]) pr[kind]!.next = null; // their timers were dropped meanwhile
      if (!hasProbe(pod, 'readiness')) setPodReady(state, key, pod, true);
      wakeProbes(state, key, pod);
      continue;
    }
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
