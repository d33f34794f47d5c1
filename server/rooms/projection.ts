/**
 * Projection of one team's {@link SimState} into its Schema ({@link TeamSchema} plus its Pods in a
 * {@link TeamDetailSchema}, see {@link teamDetailOf}): the sim stays plain JSON and never encodes; this file
 * copies what players may see, touching only what changed.
 *
 * What each field holds is declared once in shared/view/fields.ts; here each view has one table of
 * compute functions ({@link Computes}: one per scalar field, the compiler rejects a missing or extra
 * one) and a single generic {@link assign} copies them.
 *
 * Change-driven: each team keeps a cursor into the sim's change log (shared/sim/changelog.ts). When
 * the log holds the changes since it (`forEachChangeSince`, read in place; nothing is done when
 * nothing was recorded), only those Pods, Nodes, Deployments and Services are re-read (and
 * the Node / Deployment Pod counts they move); when it cannot (a cursor too old, a new sim,
 * or no producer recording yet), every object is re-read as before ({@link projectAll}). The small,
 * fixed-size parts (SLOs, alerts, last 50 events, incidents, etcd, components, score) are compared
 * with what they were last projected from ({@link FixedStamps}: input by input, in typed columns; the
 * SLO block and alerts, which change nearly every tick, field by field as they are written) and
 * re-synced only when that differs (always after a resync). Collections are synced in place (never
 * rebuilt), and assigning an equal primitive is a no-op in @colyseus/schema, so a patch carries only
 * the differences.
 *
 * kube-system's own Pods are counted per owner (`team.system`, {@link systemGroupOf}) from the same
 * index and written to the Pods only while unhealthy or just restarted ({@link systemPodDetailed}):
 * the default match's 20 healthy kube-system Pods cost three summary strings, not 20 Pod entries.
 *
 * Floats are rounded to what a player can read (0.1 requests/s, 0.1 ms, 0.1 MiB, 4 decimals for
 * fractions; the SLO block's SLIs, budgets and burn rate further to what the client shows of them,
 * shared/view/shown.ts) so sub-visible jitter does not fill patches. Scheduled incidents are not shown.
 *
 * The events feed interleaves the cluster's Events with the team's accepted actions from the game's
 * action log (`ProjectOptions.actions`, shared/game `Team.log`): an action row names its player in
 * `source`, the object it acts on and the console command (shared/kubectl `kubectlEquivalent`) as its
 * message, with an empty reason. The cluster records no Event for a player action (kubectl records none).
 * The game's notices (shared/sim/notices.ts: SLO alerts, incident start and mitigation) are rows of the
 * feed too, with the Events' look, though no Kubernetes API serves them.
 *
 * May import server/rooms/schema.ts, shared/view, shared/sim (pure), shared/game (the workflow's labels
 * and reveal rule), shared/kubectl/equivalent.ts (an action's command text) and @colyseus/schema.
 */
import { ArraySchema, type MapSchema } from '@colyseus/schema';
import type { SimState, SimAction, Pod, Deployment, Node, OwnerReference, Service, ServiceTraffic, LoggedAction, IncidentState, SimEvent, SimNotice } from '../../shared/sim/types.ts';
import { kubectlEquivalent } from '../../shared/kubectl/equivalent.ts';
import { podDisplayStatus, nodeDisplayStatus, podReady } from '../../shared/sim/status.ts';
import { controllerOf } from '../../shared/sim/cache.ts';
import { incidentTitle } from '../../shared/sim/incidents/index.ts';
import { isRevealed, postmortemOptions, visibleIncidents } from '../../shared/game/workflow.ts';
import { HINT_COST_POINTS } from '../../shared/game/score.ts';
import type { MatchPhase, TeamWorkflow } from '../../shared/game/types.ts';
import { REVISION_ANNOTATION } from '../../shared/sim/controllers/deployment.ts';
import { changeCursor, forEachChangeSince } from '../../shared/sim/changelog.ts';
import { forEachFeedRow } from '../../shared/sim/notices.ts';
import {
  DEPLOYMENT_VIEW,
  DEPLOYMENT_WIRE,
  NODE_VIEW,
  NODE_WIRE,
  POD_VIEW,
  SERVICE_VIEW,
  SERVICE_WIRE,
  SYSTEM_NAMESPACE,
  formatCounts,
  isSparse,
  isNameOfKey,
  objectKey,
  type ScalarKeys,
  type ViewDef,
  type ViewOf,
} from '../../shared/view/fields.ts';
import { shownBudget, shownBurnRate, shownSli } from '../../shared/view/shown.ts';
import type { FocusKind } from '../../shared/protocol.ts';
import {
  AlertSchema,
  ComponentSchema,
  DeploymentDetailSchema,
  EtcdMemberSchema,
  EventSchema,
  IncidentSchema,
  DeclaredSchema,
  PageSchema,
  StatusUpdateSchema,
  FollowUpSchema,
  NodeDetailSchema,
  PodSchema,
  ServiceDetailSchema,
  TeamDetailSchema,
  type TeamSchema,
} from './schema.ts';

/** Most recent events kept in the projection (the protocol's `TeamView.events`). */
export const PROJECTED_EVENTS = 50;

const round1 = (x: number) => Math.round(x * 10) / 10;
const round4 = (x: number) => Math.round(x * 10_000) / 10_000;
/** Finite or 0: Schema numbers must not be NaN. */
const num = (x: number | null | undefined) => (typeof x === 'number' && Number.isFinite(x) ? x : 0);

/**
 * How each scalar field of view `D` is computed from a source object `S` (with context `C`). Counts
 * fields (`podsByStatus`) are kept by the projection itself from its Pod index.
 */
export type Computes<D extends ViewDef, S, C = SimState> = {
  [K in Exclude<ScalarKeys<D>, CountsKeys<D>>]: (src: S, ctx: C) => ViewOf<D>[K];
};
type CountsKeys<D> = D extends ViewDef<infer F> ? { [K in keyof F]: F[K] extends { kind: 'counts' } ? K : never }[keyof F] & string : never;

/**
 * Writes every computed field of a view into a Schema entry (a sparse field equal to its default:
 * undefined). What was last written to each entry is kept on it (a plain array under a symbol of the
 * view's own: not a Schema field, never encoded or serialised; one own-property load per call where a
 * WeakMap lookup cost ~25 ns; the projection being the entry's only writer), so an unchanged field
 * costs one `!==` and no Schema accessor call.
 */
type Assigner<S, C> = (entry: object, src: S, ctx: C, key: string) => void;
/** Never a field value: an entry's slot not written yet. */
const UNSET = Symbol('unset');
/** A view field name as it may appear in generated code (the view definitions' own identifiers). */
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Identifiers {@link assigner} refuses as field names: stores to them would reach an object's prototype chain. */
const RESERVED_FIELD_NAMES: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Builds the {@link Assigner} of one view from its definition and compute table.
 *
 * Why generated: the assigner is generated once per view (`new Function`, at module load) as
 * straight-line code with one call site and one property store per field: a single generic loop over
 * the fields of every view made each call and each store megamorphic (4 views share it), which V8
 * cannot inline, and the Pod assigner runs on every Pod change (the default match: a memory change on
 * a third of its ticks).
 *
 * What it is safe against: the generated source holds only our own view definitions' field names
 * (shared/view/fields.ts, module constants; never a string from a client, a manifest or the network),
 * each checked against {@link FIELD_NAME} (an identifier: no quote, bracket, operator or whitespace can
 * reach the code) and refused when it would name an object's built-in slot (`__proto__`,
 * `constructor`, `prototype`: `entry.__proto__ = v` would replace the entry's prototype), plus slot
 * numbers the function counts itself. Values never enter the source: the compute functions, defaults
 * and helpers are passed in as arguments of the outer function, so no value is ever evaluated as code.
 * It runs once per view when this module loads (server side only; no CSP applies).
 */
function assigner<S, C>(def: ViewDef, table: object): Assigner<S, C> {
  const fns = table as unknown as Record<string, (s: S, c: C) => unknown>;
  const plain: string[] = [];
  const sparse: [string, unknown][] = [];
  const fromKey: string[] = [];
  for (const k of Object.keys(def.fields)) {
    const field = def.fields[k];
    if (!(k in fns)) continue; // counts: kept by the projection
    if (!FIELD_NAME.test(k) || RESERVED_FIELD_NAMES.has(k)) throw new Error(`view ${def.name}: field name ${JSON.stringify(k)} is not an identifier the generated code may store to`);
    if (field && def.sparse === true && 'fromKey' in field && field.fromKey === true) fromKey.push(k);
    else if (field && field.kind !== 'counts' && 'default' in field && isSparse(def, field)) sparse.push([k, field.default]);
    else plain.push(k);
  }
  const slots = plain.length + sparse.length + fromKey.length;
  // After the slots, one per fromKey field: the computed value last seen (an unchanged name skips the key test).
  const rawBase = slots;
  const lines: string[] = [];
  let slot = 0;
  // Plain fields: assigned when they differ from what was last written.
  for (let i = 0; i < plain.length; i++, slot++) {
    lines.push(`v = P${i}(src, ctx); if (last[${slot}] !== v) { entry.${plain[i]} = v; last[${slot}] = v; }`);
  }
  // Sparse fields: undefined while equal to their default.
  for (let i = 0; i < sparse.length; i++, slot++) {
    const k = sparse[i]![0];
    lines.push(`v = S${i}(src, ctx); next = v === D${i} ? undefined : v; if (last[${slot}] !== next) { if (entry.${k} !== next) entry.${k} = next; last[${slot}] = next; }`);
  }
  // A name the key already says (`default/web` -> `web`) is not sent: the mirror takes it from the key.
  // An unchanged computed name (an entry keeps its key) skips the key test.
  for (let i = 0; i < fromKey.length; i++, slot++) {
    const k = fromKey[i]!;
    lines.push(
      `v = K${i}(src, ctx); if (last[${rawBase + i}] !== v) { last[${rawBase + i}] = v; next = typeof v === 'string' && isNameOfKey(v, key) ? undefined : v; ` +
        `if (last[${slot}] !== next) { if (entry.${k} !== next) entry.${k} = next; last[${slot}] = next; } }`,
    );
  }
  const names = ['written', 'UNSET', 'isNameOfKey', ...plain.map((_, i) => `P${i}`), ...sparse.map((_, i) => `S${i}`), ...sparse.map((_, i) => `D${i}`), ...fromKey.map((_, i) => `K${i}`)];
  const values = [Symbol(`written ${def.name}`), UNSET, isNameOfKey, ...plain.map((k) => fns[k]!), ...sparse.map(([k]) => fns[k]!), ...sparse.map(([, d]) => d), ...fromKey.map((k) => fns[k]!)];
  const body =
    `return function assign${FIELD_NAME.test(def.name) ? def.name : ''}(entry, src, ctx, key) {\n` +
    `  let last = entry[written];\n` +
    `  if (last === undefined) entry[written] = last = new Array(${slots + fromKey.length}).fill(UNSET);\n` +
    `  let v, next;\n  ${lines.join('\n  ')}\n};`;
  return new Function(...names, body)(...values) as Assigner<S, C>;
}

const NODE: Computes<typeof NODE_VIEW, Node> = {
  name: (n) => n.metadata.name,
  zone: (n) => n.metadata.labels['topology.kubernetes.io/zone'] ?? '',
  status: (n) => nodeDisplayStatus(n),
  ready: (n) => n.status.conditions.some((c) => c.type === 'Ready' && c.status === 'True'),
  unschedulable: (n) => n.spec.unschedulable,
  cpuAllocatable: (n) => num(n.sim.cpuAllocatableMilli),
  cpuRequested: (n) => num(n.sim.cpuRequestedMilli),
  memAllocatable: (n) => num(n.sim.memAllocatableMiB),
  memRequested: (n) => num(n.sim.memRequestedMiB),
  podCount: (n) => num(n.sim.podCount),
};

/**
 * shared/sim/status.ts `podReady(pod)` (the `Ready` condition is `True`) as an indexed loop: the Pod
 * assigner asks it on every Pod change, and `some` with a callback is not inlined there.
 */
function readyOf(pod: Pod): boolean {
  const conditions = pod.status.conditions;
  for (let i = 0; i < conditions.length; i++) {
    const c = conditions[i]!;
    if (c.type === 'Ready' && c.status === 'True') return true;
  }
  return false;
}

const POD: Computes<typeof POD_VIEW, Pod> = {
  name: (p) => p.metadata.name,
  namespace: (p) => p.metadata.namespace,
  node: (p) => p.spec.nodeName ?? '',
  deployment: (p, sim) => deploymentNameOf(sim, p),
  status: (p, sim) => podDisplayStatus(p, sim.t),
  ready: (p) => readyOf(p),
  restarts: (p) => restartsOf(p),
  image: (p) => p.sim.image,
  memoryMiB: (p) => round1(num(p.sim.memoryMiB)),
  memLimitMiB: (p) => num(p.sim.memLimitMiB),
  createdAt: (p) => num(p.metadata.creationTimestamp),
};

/** `namespace/name` keys of ReplicaSets by the owner reference naming them (and what they were built from). */
const replicaSetKeys = new WeakMap<OwnerReference, { namespace: string; name: string; key: string }>();

/**
 * `ownerDeploymentName(sim, pod)` (shared/sim/status.ts: the Deployment controlling the Pod's
 * controlling ReplicaSet, '' if none) without building a string per call: the ReplicaSet's key is
 * kept per owner reference, and the name is the ReplicaSet's controller reference's own `name` (the
 * same string object every time, so comparing it with the last projected one is one `===`).
 */
function deploymentNameOf(sim: SimState, pod: Pod): string {
  const ref = controllerRef(pod, 'ReplicaSet');
  if (ref === undefined) return '';
  const namespace = pod.metadata.namespace;
  let k = replicaSetKeys.get(ref);
  if (k === undefined || k.namespace !== namespace || k.name !== ref.name) replicaSetKeys.set(ref, (k = { namespace, name: ref.name, key: `${namespace}/${ref.name}` }));
  const rs = sim.replicaSets[k.key];
  if (!rs) return '';
  return controllerRef(rs, 'Deployment')?.name ?? '';
}

/**
 * shared/sim/cache.ts `controllerOf(obj, kind)` (the `controller: true` owner reference of `kind`) as
 * an indexed loop: the projection asks it twice per Pod change, and `controllerOf`'s `for...of`
 * allocated an iterator each time.
 */
function controllerRef(obj: { metadata: { ownerReferences: readonly OwnerReference[] } }, kind: string): OwnerReference | undefined {
  const refs = obj.metadata.ownerReferences;
  for (let i = 0; i < refs.length; i++) {
    const r = refs[i]!;
    if (r.controller && r.kind === kind) return r;
  }
  return undefined;
}

const DEPLOYMENT: Computes<typeof DEPLOYMENT_VIEW, Deployment> = {
  name: (d) => d.metadata.name,
  namespace: (d) => d.metadata.namespace,
  replicas: (d) => num(d.spec.replicas),
  readyReplicas: (d) => num(d.status.readyReplicas),
  updatedReplicas: (d) => num(d.status.updatedReplicas),
  availableReplicas: (d) => num(d.status.availableReplicas),
  image: (d) => d.spec.template.spec.containers[0]?.image ?? '',
  revision: (d) => num(Number.parseInt(d.metadata.annotations[REVISION_ANNOTATION] ?? '0', 10)),
  memoryLimit: (d) => d.spec.template.spec.containers[0]?.resources.limits?.memory ?? '',
};

/** A Service with its traffic figures (`sim.traffic[key]`, absent before the first tick). */
type ServiceSource = { svc: Service; traffic: ServiceTraffic | undefined };
const SERVICE: Computes<typeof SERVICE_VIEW, ServiceSource> = {
  name: (s) => s.svc.metadata.name,
  namespace: (s) => s.svc.metadata.namespace,
  type: (s) => s.svc.spec.type,
  rps: (s) => round1(num(s.traffic?.rps)),
  errorRate: (s) => round4(num(s.traffic?.errorRate)),
  p99Ms: (s) => round1(num(s.traffic?.p99Ms)),
  readyEndpoints: (s) => num(s.traffic?.readyEndpoints),
  totalEndpoints: (s) => num(s.traffic?.totalEndpoints),
};

// One compute table per view; split views assign their detail half (the summary is the counts
// string, see setSummary; shared/view/fields.ts `splitView`).
const assignNodeDetail = assigner(NODE_WIRE.detail, NODE);
const assignPod = assigner(POD_VIEW, POD);
const assignDeploymentDetail = assigner(DEPLOYMENT_WIRE.detail, DEPLOYMENT);
const assignServiceDetail = assigner(SERVICE_WIRE.detail, SERVICE);

/** What the projection remembers of a projected Pod (to move Node / Deployment / system counts). */
interface PodIndexEntry {
  node: string;
  /** The owning Deployment's name (as projected). */
  owner: string;
  /** `namespace/name` of the owning Deployment, '' if none. */
  deployment: string;
  status: string;
  /** A kube-system Pod's owner group ({@link systemGroupOf}: `coredns`, `kube-proxy`, `control-plane`), '' for other Pods. */
  system: string;
  /** A kube-system Pod's restarts (0 for other Pods: not tracked). */
  restarts: number;
  /**
   * The Pod may have an entry in the team's Pods (always, but for a healthy kube-system Pod); it has
   * one when it is also in the detail scope ({@link scopePodDetail}; every Pod by default).
   */
  detailed: boolean;
}

/**
 * Sim seconds a kube-system Pod keeps its detail after a restart, though Running and Ready again:
 * a crash-looping CoreDNS or kube-scheduler Pod stays on the map between its crashes (the
 * CrashLoopBackOff delay is 10 s doubling to 300 s: kubernetes-behaviour.md §1).
 */
export const SYSTEM_RESTART_HOLD_SECONDS = 300;

/** Annotation of a static Pod's mirror (kubelet: kubernetes/pkg/kubelet/types/pod_update.go `ConfigMirrorAnnotationKey`). */
const MIRROR_ANNOTATION = 'kubernetes.io/config.mirror';

/**
 * The owner group a kube-system Pod is counted under in `TeamView.system`: the control-plane static
 * Pods' mirrors under `control-plane`, a ReplicaSet's Pod under its Deployment (`coredns`), another
 * controller's (a DaemonSet's: `kube-proxy`) under the controller's name, a Pod without one under its
 * own name. '' for a Pod outside kube-system.
 */
function systemGroupOf(sim: SimState, pod: Pod): string {
  if (pod.metadata.namespace !== SYSTEM_NAMESPACE) return '';
  if (pod.metadata.annotations[MIRROR_ANNOTATION] !== undefined) return 'control-plane';
  const ref = controllerOf(pod);
  if (ref === undefined) return pod.metadata.name;
  if (ref.kind === 'ReplicaSet') return deploymentNameOf(sim, pod) || ref.name;
  return ref.name;
}

/** Sum of a Pod's containers' restartCount. */
function restartsOf(pod: Pod): number {
  let restarts = 0;
  const statuses = pod.status.containerStatuses;
  for (let i = 0; i < statuses.length; i++) restarts += statuses[i]!.restartCount;
  return restarts;
}

/** Per-team projection memory (beside the Schema, like the change log beside the state). */
interface ProjectionMemory {
  sim: SimState | undefined;
  cursor: number;
  /** The change log answered (no resync) at `cursor`: it still does while nothing new is recorded. */
  followed: boolean;
  /** The team's Pods and object detail (`state.teamDetail[id]`). */
  detail: TeamDetailSchema;
  index: Map<string, PodIndexEntry>;
  byNode: Map<string, Map<string, number>>;
  byDeployment: Map<string, Map<string, number>>;
  podsOfNode: Map<string, Set<string>>;
  podsOfDeployment: Map<string, Set<string>>;
  /** kube-system Pods per owner group ({@link systemGroupOf}) by display status: `TeamView.system`. */
  bySystem: Map<string, Map<string, number>>;
  /** kube-system Pods detailed after a restart though healthy: key -> sim second their detail ends ({@link SYSTEM_RESTART_HOLD_SECONDS}). */
  held: Map<string, number>;
  /** Bumped when Pods appear, disappear, move Node, or Service endpoints change (views re-read focus). */
  podsVersion: number;
  /** What the fixed-size parts were last projected from. */
  stamps: FixedStamps;
  /** Entries of the game's action log (`ProjectOptions.actions`) already placed in the events feed. */
  actionsProjected: number;
  /** Calls that re-read everything, and calls that followed the change log. */
  full: number;
  incremental: number;
  /**
   * The Pods whose detail entry is written ({@link scopePodDetail}: what some client's view holds, for a
   * large cluster); undefined: every Pod.
   */
  scope: ReadonlySet<string> | undefined;
}

const memories = new WeakMap<TeamSchema, ProjectionMemory>();

function memoryOf(team: TeamSchema): ProjectionMemory {
  let m = memories.get(team);
  if (!m) {
    m = {
      sim: undefined,
      cursor: 0,
      followed: false,
      detail: new TeamDetailSchema(),
      index: new Map(),
      byNode: new Map(),
      byDeployment: new Map(),
      podsOfNode: new Map(),
      podsOfDeployment: new Map(),
      bySystem: new Map(),
      held: new Map(),
      podsVersion: 0,
      stamps: fixedStamps(),
      actionsProjected: 0,
      full: 0,
      incremental: 0,
      scope: undefined,
    };
    memories.set(team, m);
    viewInputs++;
  }
  return m;
}

/**
 * The Schema holding `team`'s Pods (created with it, one per team). The room puts it in
 * `state.teamDetail` under the team id (server/rooms/views.ts `registerTeam`).
 */
export function teamDetailOf(team: TeamSchema): TeamDetailSchema {
  return memoryOf(team).detail;
}

/**
 * Bumped (for every team in the process) whenever a team's projection is created or resynced, or its
 * Pods came, went, moved Node or changed detail, or Service endpoints changed: what
 * {@link podsVersionOf} and {@link projectedPodCount} answer for some team may differ only after it
 * moved, so server/rooms/views.ts re-reads the views only then.
 */
let viewInputs = 0;

/** See {@link viewInputs}: compare with the value seen at the last view refresh. */
export function viewInputsVersion(): number {
  return viewInputs;
}

/** A counter that changes whenever the set of `team`'s Pods, their Nodes or Service endpoints changed. */
export function podsVersionOf(team: TeamSchema): number {
  return memoryOf(team).podsVersion;
}

/** How often `team` was projected in full (resync) and from the change log (for tests and benches). */
export function projectionCounts(team: TeamSchema): { full: number; incremental: number } {
  const { full, incremental } = memoryOf(team);
  return { full, incremental };
}

/** Number of Pods currently projected for `team`. */
export function projectedPodCount(team: TeamSchema): number {
  return memoryOf(team).index.size;
}

/**
 * Sync a MapSchema with `source` (key -> value), keys compared as strings: entries missing from the
 * source are deleted, new ones created with `create()`, all assigned with `assign`.
 */
export function syncMap<S, V>(
  target: MapSchema<S>,
  source: Iterable<[string, V]>,
  create: () => S,
  assignEntry: (entry: S, value: V, key: string) => void,
): void {
  const seen = new Set<string>();
  for (const [key, value] of source) {
    seen.add(key);
    let entry = target.get(key);
    if (entry === undefined) {
      entry = create();
      assignEntry(entry, value, key);
      target.set(key, entry);
    } else {
      assignEntry(entry, value, key);
    }
  }
  for (const key of [...target.keys()]) {
    if (!seen.has(key)) target.delete(key);
  }
}

/**
 * Sync an ArraySchema with `source` by position: existing entries are updated in place, missing ones
 * pushed, surplus ones removed from the end. Suits short lists whose order is stable (etcd members,
 * components, alerts, incidents).
 */
export function syncArray<S, V>(target: ArraySchema<S>, source: readonly V[], create: () => S, assignEntry: (entry: S, value: V) => void): void {
  for (let i = 0; i < source.length; i++) {
    const value = source[i] as V;
    const entry = target.at(i);
    if (entry === undefined) {
      const fresh = create();
      assignEntry(fresh, value);
      target.push(fresh);
    } else {
      assignEntry(entry, value);
    }
  }
  while (target.length > source.length) target.pop();
}

/** Set an object's summary: its Pod counts by status as the wire string (`formatCounts`), '' for none. */
function setSummary(map: MapSchema<string>, key: string, counts: Map<string, number> | undefined): void {
  const text = formatCounts(counts);
  if (map.get(key) !== text) map.set(key, text);
}

/** Make `map` hold exactly `keys` (new ones with their counts); returns nothing. */
function syncSummaries(map: MapSchema<string>, keys: readonly string[], counts: Map<string, Map<string, number>> | null): void {
  const alive = new Set(keys);
  for (const key of [...map.keys()]) if (!alive.has(key)) map.delete(key);
  for (const key of keys) setSummary(map, key, counts?.get(key));
}

function bump(counts: Map<string, Map<string, number>>, key: string, status: string, by: number): void {
  if (key === '') return;
  let m = counts.get(key);
  if (!m) counts.set(key, (m = new Map()));
  const n = (m.get(status) ?? 0) + by;
  if (n === 0) m.delete(status);
  else m.set(status, n);
  if (m.size === 0) counts.delete(key);
}

function member(sets: Map<string, Set<string>>, key: string, podKey: string, add: boolean): void {
  if (key === '') return;
  let s = sets.get(key);
  if (add) {
    if (!s) sets.set(key, (s = new Set()));
    s.add(podKey);
  } else if (s) {
    s.delete(podKey);
    if (s.size === 0) sets.delete(key);
  }
}

/**
 * Write one Pod (or its absence) into the Schema and the index; `touched` collects the Nodes,
 * Deployments and kube-system owner groups whose counts moved. A kube-system Pod is counted in its
 * group and written to the Pods only while it is unhealthy (not Running and Ready) or within
 * {@link SYSTEM_RESTART_HOLD_SECONDS} of a restart; else its entry is removed.
 */
function projectPod(mem: ProjectionMemory, sim: SimState, key: string, touchedNodes: KeyList, touchedDeployments: KeyList, touchedSystem: KeyList): void {
  const pod = sim.pods[key];
  const old = mem.index.get(key);
  const pods = mem.detail.pods;
  let next: PodIndexEntry | undefined;
  if (pod) {
    const system = systemGroupOf(sim, pod);
    let node: string;
    let owner: string;
    let status: string;
    let restarts = 0;
    let detailed = true;
    if (system !== '') {
      restarts = restartsOf(pod);
      status = podDisplayStatus(pod, sim.t);
      detailed = systemPodDetailed(mem, sim, key, pod, status, restarts);
    }
    if (detailed && inScope(mem, key)) {
      const entry = writePodEntry(mem, sim, key, pod);
      // Read back what was just assigned (sparse fields are undefined while '').
      node = entry.node ?? '';
      owner = entry.deployment ?? '';
      status = entry.status ?? '';
    } else {
      if (pods.has(key)) pods.delete(key);
      node = pod.spec.nodeName ?? '';
      owner = deploymentNameOf(sim, pod);
      status = podDisplayStatus(pod, sim.t);
    }
    if (old && old.node === node && old.owner === owner && old.status === status && old.system === system && old.restarts === restarts && old.detailed === detailed) return;
    next = { node, owner, deployment: owner === '' ? '' : objectKey(pod.metadata.namespace, owner), status, system, restarts, detailed };
  } else {
    if (pods.has(key)) pods.delete(key);
    mem.held.delete(key);
  }
  if (old) {
    bump(mem.byNode, old.node, old.status, -1);
    bump(mem.byDeployment, old.deployment, old.status, -1);
    bump(mem.bySystem, old.system, old.status, -1);
    member(mem.podsOfNode, old.node, key, false);
    member(mem.podsOfDeployment, old.deployment, key, false);
    touchedNodes.push(old.node);
    touchedDeployments.push(old.deployment);
    touchedSystem.push(old.system);
  }
  if (next) {
    bump(mem.byNode, next.node, next.status, 1);
    bump(mem.byDeployment, next.deployment, next.status, 1);
    bump(mem.bySystem, next.system, next.status, 1);
    member(mem.podsOfNode, next.node, key, true);
    member(mem.podsOfDeployment, next.deployment, key, true);
    touchedNodes.push(next.node);
    touchedDeployments.push(next.deployment);
    touchedSystem.push(next.system);
    mem.index.set(key, next);
  } else {
    mem.index.delete(key);
  }
  if (!old || !next || old.node !== next.node || old.deployment !== next.deployment || old.detailed !== next.detailed) mem.podsVersion++;
}

/** Whether Pod `key`'s detail entry is written ({@link scopePodDetail}). */
function inScope(mem: ProjectionMemory, key: string): boolean {
  return mem.scope === undefined || mem.scope.has(key);
}

/** Creates or updates Pod `key`'s entry in the team's Pods from the sim (the index is not touched). */
function writePodEntry(mem: ProjectionMemory, sim: SimState, key: string, pod: Pod): InstanceType<typeof PodSchema> {
  const pods = mem.detail.pods;
  let entry = pods.get(key);
  if (entry === undefined) {
    entry = new PodSchema();
    assignPod(entry, pod, sim, key);
    pods.set(key, entry);
  } else {
    assignPod(entry, pod, sim, key);
  }
  return entry;
}

/**
 * Which Pods of `team` get a detail entry (`state.teamDetail[id].pods`): `scope` (Pod keys: what some
 * client's view holds; server/rooms/views.ts sets it for a cluster over its all-Pods limit), or every
 * Pod (null, the default: small clusters, and a projection no view follows, e.g. the replay viewer).
 * Out of scope, a Pod is still counted (Node / Deployment summaries, focus keys) but costs no Schema
 * entry, no assignment and no encoding: a cluster of 12,000 Pending Pods whose players look at no
 * Deployment projects its 500 new Pods a tick into counts only.
 *
 * Entries of Pods entering the scope are written now, from `sim` (O(Pods entering)); widening to every
 * Pod writes the ones missing (O(Pods), only below the limit). An entry that left the scope goes at the
 * Pod's next change (no view holds it meanwhile), so every entry that exists is as fresh as the last
 * projection. Nothing is written before the team's first projection (which follows the scope).
 */
export function scopePodDetail(team: TeamSchema, sim: SimState, scope: ReadonlySet<string> | null): void {
  const mem = memoryOf(team);
  const before = mem.scope;
  mem.scope = scope ?? undefined;
  if (mem.sim !== sim || before === undefined) return; // entries of every Pod already (or a resync comes)
  const keys = scope ?? mem.index.keys();
  for (const key of keys) {
    if (mem.detail.pods.has(key) || mem.index.get(key)?.detailed !== true) continue;
    const pod = sim.pods[key];
    if (pod) writePodEntry(mem, sim, key, pod);
  }
}

/**
 * Whether kube-system Pod `key` gets its detail now: while not Running and Ready (Pending,
 * ContainerCreating, CrashLoopBackOff, OOMKilled, Terminating, not Ready...), and for
 * {@link SYSTEM_RESTART_HOLD_SECONDS} after its running container started when it has restarted.
 * A function of the Pod and the sim second only (a fresh projection decides the same); keeps
 * `mem.held`, the holds re-read when they end ({@link expiredHolds}).
 */
function systemPodDetailed(mem: ProjectionMemory, sim: SimState, key: string, pod: Pod, status: string, restarts: number): boolean {
  const started = pod.sim.containerStartedAt;
  const held = restarts > 0 && started !== null && sim.t < started + SYSTEM_RESTART_HOLD_SECONDS;
  if (held) mem.held.set(key, started + SYSTEM_RESTART_HOLD_SECONDS);
  else if (mem.held.size > 0) mem.held.delete(key);
  return held || status !== 'Running' || !podReady(pod);
}

/** Keys of `mem.held` whose hold ended by sim second `t` (re-read so their detail goes). */
function expiredHolds(mem: ProjectionMemory, t: number, into: KeyList | null): boolean {
  let any = false;
  for (const [key, until] of mem.held) {
    if (t < until) continue;
    any = true;
    if (into === null) break;
    into.push(key);
  }
  return any;
}

/** Set a kube-system owner group's summary, or remove it when no Pod is left in it. */
function setSystemSummary(team: TeamSchema, mem: ProjectionMemory, group: string): void {
  if (group === '') return;
  const counts = mem.bySystem.get(group);
  if (counts === undefined) {
    if (team.system.has(group)) team.system.delete(group);
  } else setSummary(team.system, group, counts);
}

/** Create or update `map[key]` (a new entry is assigned before it is added, so it goes out whole). */
function upsert<E, S>(map: MapSchema<E>, key: string, create: () => E, assign: (entry: E, src: S, key: string) => void, src: S): E {
  let entry = map.get(key);
  if (entry === undefined) {
    entry = create();
    assign(entry, src, key);
    map.set(key, entry);
  } else {
    assign(entry, src, key);
  }
  return entry;
}

function projectNode(team: TeamSchema, mem: ProjectionMemory, sim: SimState, name: string): void {
  const node = sim.nodes[name];
  if (!node) {
    team.nodes.delete(name);
    mem.detail.nodes.delete(name);
    return;
  }
  if (!team.nodes.has(name)) setSummary(team.nodes, name, mem.byNode.get(name));
  upsert(mem.detail.nodes, name, () => new NodeDetailSchema(), (e, n: Node, k) => assignNodeDetail(e, n, sim, k), node);
}

function projectDeployment(team: TeamSchema, mem: ProjectionMemory, sim: SimState, key: string): void {
  const d = sim.deployments[key];
  if (!d) {
    team.deployments.delete(key);
    mem.detail.deployments.delete(key);
    return;
  }
  if (!team.deployments.has(key)) setSummary(team.deployments, key, mem.byDeployment.get(key));
  upsert(mem.detail.deployments, key, () => new DeploymentDetailSchema(), (e, dep: Deployment, k) => assignDeploymentDetail(e, dep, sim, k), d);
}

function projectService(team: TeamSchema, mem: ProjectionMemory, sim: SimState, key: string): void {
  const svc = sim.services[key];
  if (!svc) {
    team.services.delete(key);
    mem.detail.services.delete(key);
    return;
  }
  if (!team.services.has(key)) team.services.set(key, '');
  upsert(mem.detail.services, key, () => new ServiceDetailSchema(), (e, x: ServiceSource, k) => assignServiceDetail(e, x, sim, k), { svc, traffic: sim.traffic[key] });
}

/** Keys of a sim record in a total order (never insertion order). */
const sortedKeys = (record: object) => Object.keys(record).sort();

/** Re-read every object (the `resync` path: today's full sync). */
function projectAll(team: TeamSchema, mem: ProjectionMemory, sim: SimState): void {
  // Every Pod is re-read; the index (and the counts it keeps) moves only for Pods whose Node, owner
  // or status differ from what was projected, so a resync costs little more than the reads.
  const none = new KeyList(); // touched Nodes, Deployments and system groups: all of them are re-synced below
  const podKeys = sortedKeys(sim.pods);
  for (const key of podKeys) projectPod(mem, sim, key, none, none, none);
  for (const key of [...mem.index.keys()]) if (!Object.hasOwn(sim.pods, key)) projectPod(mem, sim, key, none, none, none);
  for (const key of [...mem.detail.pods.keys()]) if (!Object.hasOwn(sim.pods, key)) mem.detail.pods.delete(key);

  const nodes = sortedKeys(sim.nodes).map((n) => [n, sim.nodes[n]!] as [string, Node]);
  const deployments = sortedKeys(sim.deployments).map((k) => [k, sim.deployments[k]!] as [string, Deployment]);
  const services = sortedKeys(sim.services).map((k) => [k, { svc: sim.services[k]!, traffic: sim.traffic[k] }] as [string, ServiceSource]);
  syncSummaries(team.nodes, nodes.map(([k]) => k), mem.byNode);
  syncSummaries(team.deployments, deployments.map(([k]) => k), mem.byDeployment);
  syncSummaries(team.services, services.map(([k]) => k), null);
  syncSummaries(team.system, [...mem.bySystem.keys()].sort(), mem.bySystem);
  syncMap(mem.detail.nodes, nodes, () => new NodeDetailSchema(), (entry, node, key) => assignNodeDetail(entry, node, sim, key));
  syncMap(mem.detail.deployments, deployments, () => new DeploymentDetailSchema(), (entry, d, key) => assignDeploymentDetail(entry, d, sim, key));
  syncMap(mem.detail.services, services, () => new ServiceDetailSchema(), (entry, src, key) => assignServiceDetail(entry, src, sim, key));
}

/**
 * A reusable list of keys: `keys[0..n)` (emptying it only resets `n`: no allocation once warm, where
 * clearing a Set or truncating an array would allocate its storage anew).
 */
class KeyList {
  keys: string[] = [];
  n = 0;

  push(key: string): void {
    this.keys[this.n++] = key;
  }

  clear(): void {
    this.n = 0;
  }

  /** The keys sorted (a total order, never arrival order) without duplicates (a fresh array for more than one). */
  inOrder(): readonly string[] {
    const n = this.n;
    if (n === 0) return NO_KEYS;
    if (n === 1) {
      this.one[0] = this.keys[0]!;
      return this.one;
    }
    const sorted = this.keys.slice(0, n).sort(byCodeUnits);
    let m = 1;
    for (let i = 1; i < n; i++) if (sorted[i] !== sorted[m - 1]) sorted[m++] = sorted[i]!;
    sorted.length = m;
    return sorted;
  }

  private one: string[] = [''];
}
const NO_KEYS: readonly string[] = [];
/** `Array.prototype.sort`'s default order for strings (UTF-16 code units), without its string conversions. */
const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Keys {@link projectChanges} collects (cleared on entry; nothing else touches them). */
const scratch = {
  pods: new KeyList(),
  nodes: new KeyList(),
  deployments: new KeyList(),
  services: new KeyList(),
  touchedNodes: new KeyList(),
  touchedDeployments: new KeyList(),
  touchedSystem: new KeyList(),
};
const scratchLists = Object.values(scratch);

/** The memory {@link collectChange} bumps `podsVersion` in (set by {@link projectChanges} before visiting). */
let collecting: ProjectionMemory | undefined;

/** Sorts one change-log entry into the {@link scratch} sets (module-level: no closure per call). */
function collectChange(kind: string, key: string): void {
  switch (kind) {
    case 'Pod':
      scratch.pods.push(key);
      break;
    case 'Node':
      scratch.nodes.push(key);
      break;
    case 'Deployment':
      scratch.deployments.push(key);
      break;
    case 'Service':
      scratch.services.push(key);
      break;
    case 'EndpointSlice':
      // The slice of a Service is named after it (kubernetes.io/service-name); its endpoints are
      // the Service's Pods for a focus and its counts.
      scratch.services.push(key);
      collecting!.podsVersion++;
      break;
  }
}

/**
 * Re-read only what the change log lists after `mem.cursor` (nothing at all when nothing was recorded).
 * @returns false when the log cannot say (the caller resyncs); nothing was projected then.
 */
function projectChanges(team: TeamSchema, mem: ProjectionMemory, sim: SimState, cursor: number): boolean {
  const holds = mem.held.size > 0 && expiredHolds(mem, sim.t, null);
  const { pods, nodes, deployments, services, touchedNodes, touchedDeployments, touchedSystem } = scratch;
  if (!holds && mem.cursor === cursor) {
    // Nothing recorded since the last patch (most ticks): only whether the log answers (once it
    // did at this cursor, it does until something new is recorded).
    if (!mem.followed) mem.followed = !forEachChangeSince(sim, cursor, collectChange).resync;
    return mem.followed;
  }
  for (let i = 0; i < scratchLists.length; i++) scratchLists[i]!.clear();
  collecting = mem;
  const followed = !forEachChangeSince(sim, mem.cursor, collectChange).resync;
  collecting = undefined;
  mem.followed = followed;
  if (!followed) return false;
  if (holds) expiredHolds(mem, sim.t, pods);
  // Indexed loops: `for...of` here allocated an array iterator per list per patch (7 of them).
  let keys = pods.inOrder();
  for (let i = 0; i < keys.length; i++) projectPod(mem, sim, keys[i]!, touchedNodes, touchedDeployments, touchedSystem);
  keys = nodes.inOrder();
  for (let i = 0; i < keys.length; i++) projectNode(team, mem, sim, keys[i]!);
  keys = deployments.inOrder();
  for (let i = 0; i < keys.length; i++) projectDeployment(team, mem, sim, keys[i]!);
  keys = services.inOrder();
  for (let i = 0; i < keys.length; i++) projectService(team, mem, sim, keys[i]!);
  keys = touchedNodes.inOrder();
  for (let i = 0; i < keys.length; i++) if (keys[i] !== '' && team.nodes.has(keys[i]!)) setSummary(team.nodes, keys[i]!, mem.byNode.get(keys[i]!));
  keys = touchedDeployments.inOrder();
  for (let i = 0; i < keys.length; i++) if (keys[i] !== '' && team.deployments.has(keys[i]!)) setSummary(team.deployments, keys[i]!, mem.byDeployment.get(keys[i]!));
  keys = touchedSystem.inOrder();
  for (let i = 0; i < keys.length; i++) setSystemSummary(team, mem, keys[i]!);
  return true;
}

/**
 * What the fixed-size parts of one team were last projected from: each part is re-synced only when
 * one of its inputs differs from what it was last projected from, or after a resync (every part's
 * `synced` false). Each part keeps its inputs in typed columns and its check is straight-line code
 * that stops at the first difference: most patches change none of them, and the check then costs a
 * few dozen `!==` (a generic list of mixed values, compared through one shared method, cost ~0.5 us
 * per patch in the default match). Inputs are compared with `===` (never NaN: they pass through `num`).
 */
interface FixedStamps {
  controlPlane: ControlPlaneMemory;
  events: EventsWindow;
  incidents: IncidentsMemory;
  /** The workflow lists (pages, declared incidents, updates, hints, follow-ups). */
  workflow: WorkflowMemory;
  /** The SLO block and the alerts. */
  slo: SloMemory;
  /** The score last written (NaN: none yet). */
  score: number;
}

function fixedStamps(): FixedStamps {
  return {
    controlPlane: controlPlaneMemory(),
    events: { synced: false, size: 0, first: null, last: null, notices: 0, lastNotice: null, actions: 0 },
    incidents: incidentsMemory(),
    workflow: workflowMemory(),
    slo: sloMemory(),
    score: Number.NaN,
  };
}

/**
 * The name of the fastest page tier of `tiers` (the one with the shortest long window), or null: the
 * availability burn rate shown is over its short window (SRE Workbook ch. 5).
 */
function fastestPageTierOf(tiers: SimState['alertTiers']): string | null {
  const pages = tiers.filter((tier) => tier.severity === 'page').sort((a, b) => a.longWindowSeconds - b.longWindowSeconds);
  return pages[0] === undefined ? null : pages[0].name;
}

/** Fields of one firing alert in {@link SloMemory.alerts}: id, severity, SLO, since, summary. */
const ALERT_STRIDE = 5;

/**
 * What the SLO block and the alerts were last projected as (the projection is their only writer).
 * `slo`: the numeric fields in the order `projectSlo` writes them (NaN: not written yet; inputs
 * never are NaN); `paging` -1 until written. `alerts` holds each firing alert's fields as last
 * written to `team.alerts[i]`, {@link ALERT_STRIDE} a row, in one array (one backing store to read
 * per patch where five lists were five, each a cache line the sim's step had evicted).
 */
interface SloMemory {
  slo: Float64Array;
  paging: number;
  /** The tier list {@link fastest} was found in (fixed at createSim; another sim, another list). */
  tiers: SimState['alertTiers'] | null;
  fastest: string | null;
  alertEntries: InstanceType<typeof AlertSchema>[];
  alerts: unknown[];
}

function sloMemory(entries: InstanceType<typeof AlertSchema>[] = []): SloMemory {
  return { slo: new Float64Array(8).fill(Number.NaN), paging: -1, tiers: null, fastest: null, alertEntries: entries, alerts: [] };
}

/**
 * Project the SLO block and the firing alerts: each field is compared with what was last written
 * and only a differing one is assigned (no Schema accessor call for an unchanged field). The SLIs,
 * budgets and burn rate are rounded to 4 decimals as always, then to what a client shows of them
 * (shared/view/shown.ts: the same text, levels, needle and bar; where a figure is drawn continuously,
 * not at all): a patch in which no shown figure moved leaves the SLO block's Schema alone (its
 * setters and the encoder's visit of it, ~0.5-1 us per patch).
 */
function projectSlo(team: TeamSchema, sim: SimState, mem: SloMemory): void {
  const { availability, latency } = sim.slos;
  const last = mem.slo;
  const availabilityTarget = num(availability.target);
  const latencyTarget = num(latency.target);
  let v = shownSli(round4(num(availability.sli)), availabilityTarget, true);
  if (v !== last[0]) team.slo.availability = last[0] = v;
  if (availabilityTarget !== last[1]) team.slo.availabilityTarget = last[1] = availabilityTarget;
  v = shownSli(round4(num(latency.sli)), latencyTarget, false);
  if (v !== last[2]) team.slo.latency = last[2] = v;
  if (latencyTarget !== last[3]) team.slo.latencyTarget = last[3] = latencyTarget;
  v = num(latency.thresholdMs);
  if (v !== last[4]) team.slo.latencyThresholdMs = last[4] = v;
  v = shownBudget(round4(num(availability.errorBudgetRemaining)));
  if (v !== last[5]) team.slo.errorBudgetRemaining = last[5] = v;
  v = shownBudget(round4(num(latency.errorBudgetRemaining)));
  if (v !== last[6]) team.slo.latencyErrorBudgetRemaining = last[6] = v;
  if (mem.tiers !== sim.alertTiers) {
    mem.tiers = sim.alertTiers;
    mem.fastest = fastestPageTierOf(sim.alertTiers);
  }
  v = mem.fastest === null ? 0 : shownBurnRate(round4(num(availability.burnRates[mem.fastest]?.short)));
  if (v !== last[7]) team.slo.burnRate = last[7] = v;

  // The firing alerts, synced by position into `team.alerts` through the memory (no ArraySchema read).
  const entries = mem.alertEntries;
  const seen = mem.alerts;
  let paging = 0;
  let n = 0;
  const alerts = sim.alerts;
  for (let i = 0; i < alerts.length; i++) {
    const a = alerts[i]!;
    if (!a.firing) continue;
    if (a.severity === 'page') paging = 1;
    let entry = entries[n];
    const fresh = entry === undefined;
    if (entry === undefined) entry = new AlertSchema();
    const j = n * ALERT_STRIDE;
    if (seen[j] !== a.id) entry.id = seen[j] = a.id;
    if (seen[j + 1] !== a.severity) entry.severity = seen[j + 1] = a.severity;
    if (seen[j + 2] !== a.slo) entry.slo = seen[j + 2] = a.slo;
    const t = num(a.since);
    if (seen[j + 3] !== t) entry.since = seen[j + 3] = t;
    if (seen[j + 4] !== a.summary) entry.summary = seen[j + 4] = a.summary;
    if (fresh) {
      team.alerts.push(entry);
      entries.push(entry);
    }
    n++;
  }
  if (entries.length > n) {
    while (entries.length > n) {
      team.alerts.pop();
      entries.pop();
    }
    seen.length = n * ALERT_STRIDE;
  }
  if (paging !== mem.paging) {
    mem.paging = paging;
    team.slo.paging = paging === 1;
  }
}

/** The object an action acts on (kind and name, namespace left off; '' when it names none, e.g. a create from a manifest). */
function actionTarget(a: SimAction): { kind: string; name: string } {
  if ('node' in a) return { kind: 'Node', name: a.node };
  if ('deployment' in a) return { kind: 'Deployment', name: a.deployment };
  if ('pod' in a) return { kind: 'Pod', name: a.pod };
  if ('hpa' in a) return { kind: 'HorizontalPodAutoscaler', name: a.hpa };
  if ('kind' in a) return { kind: a.kind, name: a.name };
  return { kind: '', name: '' };
}

/** The events window last projected: its length, first and last Event, the action log's length. */
interface EventsWindow {
  /** False until projected (and after a resync). */
  synced: boolean;
  size: number;
  /**
   * The window's first and last Event objects (null: empty). Compared by identity, not by `seq`: an
   * Event is a new object with a new `seq` each time (shared/sim/events.ts `write`, never changed
   * after), and not reading them saves loading two cold objects per patch.
   */
  first: SimEvent | null;
  last: SimEvent | null;
  /** How many notices (`sim.notices`) and the newest one (identity, as for Events), when last projected. */
  notices: number;
  lastNotice: SimNotice | null;
  actions: number;
}

/**
 * Events: the last {@link PROJECTED_EVENTS} rows, oldest first: the cluster's Events and the game's
 * notices (`sim.notices`: alerts firing and resolving, incidents; not Kubernetes Events, shown with the
 * same look) in the order written, a row's `seq` its position in that order (shared/sim/notices.ts
 * `forEachFeedRow`), and, interleaved by sim second (an action before the rows of its second), the
 * team's accepted actions from the game's action log `actions` (see the file comment; an action row's
 * `seq` is the `seq` of the row before it, so the rows stay in `seq` order). The sim's lists are
 * append-only (trimmed at the front) and so is the log, so old rows are shifted off and new ones pushed:
 * no row is rewritten. Nothing is read when the lists (their lengths and newest entries) and the log's
 * length are the ones last projected.
 */
function projectEvents(team: TeamSchema, sim: SimState, w: EventsWindow, mem: ProjectionMemory, actions: readonly LoggedAction[]): void {
  const all = sim.events;
  const notes = (sim.notices as SimState['notices'] | undefined) ?? [];
  const from = Math.max(0, all.length - PROJECTED_EVENTS);
  const size = all.length - from;
  const first = size === 0 ? null : all[from]!;
  const last = size === 0 ? null : all[all.length - 1]!;
  const lastNotice = notes.length === 0 ? null : notes[notes.length - 1]!;
  if (w.synced && w.size === size && w.first === first && w.last === last && w.notices === notes.length && w.lastNotice === lastNotice && w.actions === actions.length) return;
  w.synced = true;
  w.size = size;
  w.first = first;
  w.last = last;
  w.notices = notes.length;
  w.lastNotice = lastNotice;
  w.actions = actions.length;
  syncEvents(team, sim, mem, actions, notes);
}

/** {@link projectEvents}' sync, apart: its closure's context is allocated on entry, so only when something changed. */
function syncEvents(team: TeamSchema, sim: SimState, mem: ProjectionMemory, actions: readonly LoggedAction[], notes: SimState['notices']): void {
  const all = sim.events;
  const events = team.events;
  if (mem.actionsProjected > actions.length) mem.actionsProjected = 0; // another log (a new match)
  // Only the newest PROJECTED_EVENTS actions can still show.
  let next = Math.max(mem.actionsProjected, actions.length - PROJECTED_EVENTS);
  const tickSeconds = sim.settings.tickSeconds;
  let lastSeq = events.at(events.length - 1)?.seq ?? Number.NEGATIVE_INFINITY;
  let firstRow: number | undefined;
  const pushAction = (a: LoggedAction): void => {
    const entry = new EventSchema();
    entry.seq = Number.isFinite(lastSeq) ? lastSeq : firstRow ?? 0;
    entry.t = num(a.tick * tickSeconds);
    entry.type = 'Normal';
    entry.reason = '';
    const target = actionTarget(a.action);
    entry.kind = target.kind;
    entry.name = target.name;
    entry.message = kubectlEquivalent(a.action);
    entry.source = a.player;
    events.push(entry);
  };
  forEachFeedRow(all, notes, PROJECTED_EVENTS, (seq, e, n) => {
    if (firstRow === undefined) {
      // Rows older than the window's first are gone from the sim's lists.
      firstRow = seq;
      while (events.length > 0 && events.at(0)!.seq < seq) events.shift();
      lastSeq = events.at(events.length - 1)?.seq ?? Number.NEGATIVE_INFINITY;
    }
    if (seq <= lastSeq) return;
    const t = e !== null ? e.t : n!.t;
    while (next < actions.length && actions[next]!.tick * tickSeconds <= t) pushAction(actions[next++]!);
    const entry = new EventSchema();
    entry.seq = seq;
    entry.t = num(t);
    if (e !== null) {
      entry.type = e.type;
      entry.reason = e.reason;
      entry.kind = e.object.kind;
      entry.name = e.object.name;
      entry.message = e.message;
    } else {
      entry.type = n!.type;
      entry.reason = n!.reason;
      entry.kind = n!.object?.kind ?? '';
      entry.name = n!.object?.name ?? '';
      entry.message = n!.message;
    }
    entry.source = '';
    events.push(entry);
    lastSeq = seq;
  });
  while (next < actions.length) pushAction(actions[next++]!);
  mem.actionsProjected = next;
  while (events.length > PROJECTED_EVENTS) events.shift();
}

/**
 * What etcd and the components were last projected from, input by input, each part in one flat
 * array (one backing store to read per patch; a check stops at the first difference; see
 * {@link FixedStamps}): `etcd` = leader, quorum, member count, then name and health per member;
 * `components` = count, then name, health and message per component. Empty: not projected yet (and
 * after a resync): the next check answers "changed".
 */
interface ControlPlaneMemory {
  etcd: unknown[];
  components: unknown[];
}

function controlPlaneMemory(): ControlPlaneMemory {
  return { etcd: [], components: [] };
}

/** True when etcd's leader, quorum and members (name, health) are the ones last projected. */
function etcdUnchanged(m: unknown[], etcd: SimState['controlPlane']['etcd']): boolean {
  const members = etcd.members;
  const n = members.length;
  if (m.length !== 3 + 2 * n || etcd.leader !== m[0] || etcd.hasQuorum !== m[1] || n !== m[2]) return false;
  for (let i = 0, j = 3; i < n; i++, j += 2) {
    const x = members[i]!;
    if (x.name !== m[j] || x.healthy !== m[j + 1]) return false;
  }
  return true;
}

function rememberEtcd(m: unknown[], etcd: SimState['controlPlane']['etcd']): void {
  const members = etcd.members;
  m.length = 0;
  m.push(etcd.leader, etcd.hasQuorum, members.length);
  for (let i = 0; i < members.length; i++) m.push(members[i]!.name, members[i]!.healthy);
}

/** True when the components (name, health, message) are the ones last projected. */
function componentsUnchanged(m: unknown[], components: SimState['controlPlane']['components']): boolean {
  const n = components.length;
  if (m.length !== 1 + 3 * n || n !== m[0]) return false;
  for (let i = 0, j = 1; i < n; i++, j += 3) {
    const x = components[i]!;
    if (x.name !== m[j] || x.healthy !== m[j + 1] || x.message !== m[j + 2]) return false;
  }
  return true;
}

function rememberComponents(m: unknown[], components: SimState['controlPlane']['components']): void {
  m.length = 0;
  m.push(components.length);
  for (let i = 0; i < components.length; i++) m.push(components[i]!.name, components[i]!.healthy, components[i]!.message);
}

/** etcd members, quorum and the control-plane components (each only when changed). */
function projectControlPlane(team: TeamSchema, sim: SimState, m: ControlPlaneMemory): void {
  const etcd = sim.controlPlane.etcd;
  if (!etcdUnchanged(m.etcd, etcd)) {
    syncArray(team.etcd, etcd.members, () => new EtcdMemberSchema(), (entry, x) => {
      entry.name = x.name;
      entry.healthy = x.healthy;
      entry.leader = etcd.leader === x.name;
    });
    team.etcdQuorum = etcd.hasQuorum;
    rememberEtcd(m.etcd, etcd);
  }
  const components = sim.controlPlane.components;
  if (!componentsUnchanged(m.components, components)) {
    syncArray(team.components, components, () => new ComponentSchema(), (entry, x) => {
      entry.name = x.name;
      entry.healthy = x.healthy;
      entry.message = x.message;
    });
    rememberComponents(m.components, components);
  }
}

/**
 * What the incidents part was last projected from, in one flat array (see {@link FixedStamps}): the
 * phase, the workflow's hint and answer counts (-1: no workflow), the incident count, then per
 * incident its spec (id, type and title come from it), status, start and mitigation times, and the
 * spec's id, type and title. Empty: not projected yet (and after a resync).
 */
interface IncidentsMemory {
  inputs: unknown[];
}

/** Fields per incident in {@link IncidentsMemory.inputs}, after the 4 leading ones. */
const INCIDENT_STRIDE = 7;

function incidentsMemory(): IncidentsMemory {
  return { inputs: [] };
}

/** True when `projectIncidents`' inputs are the ones last projected (stops at the first difference). */
function incidentsUnchanged(m: IncidentsMemory, incidents: readonly IncidentState[], phase: MatchPhase | undefined, wf: TeamWorkflow | undefined): boolean {
  const x = m.inputs;
  const n = incidents.length;
  if (x.length !== 4 + INCIDENT_STRIDE * n || x[0] !== phase || x[1] !== (wf === undefined ? -1 : wf.hints.length) || x[2] !== (wf === undefined ? -1 : wf.answers.length) || x[3] !== n) return false;
  for (let i = 0, j = 4; i < n; i++, j += INCIDENT_STRIDE) {
    const inc = incidents[i]!;
    const spec = inc.spec;
    if (spec !== x[j] || inc.status !== x[j + 1] || inc.startedAt !== x[j + 2] || inc.mitigatedAt !== x[j + 3]) return false;
    if (spec.id !== x[j + 4] || spec.type !== x[j + 5] || spec.title !== x[j + 6]) return false;
  }
  return true;
}

function rememberIncidents(m: IncidentsMemory, incidents: readonly IncidentState[], phase: MatchPhase | undefined, wf: TeamWorkflow | undefined): void {
  const x = m.inputs;
  x.length = 0;
  x.push(phase, wf === undefined ? -1 : wf.hints.length, wf === undefined ? -1 : wf.answers.length, incidents.length);
  for (const inc of incidents) x.push(inc.spec, inc.status, inc.startedAt, inc.mitigatedAt, inc.spec.id, inc.spec.type, inc.spec.title);
}

/** Title of an incident whose cause is hidden (see `INCIDENT_VIEW`). */
export const HIDDEN_TITLE = 'Unknown cause';

/**
 * Visible incidents (active or mitigated; scheduled ones are not shown) in start order with their
 * neutral labels (shared/game `visibleIncidents`), only when changed. The cause (id, kind, title) is
 * projected only once revealed (shared/game `isRevealed`: the match ended or the team bought a hint);
 * without a `phase` (no match around the sim) everything is shown. After the match, the postmortem
 * options and the team's answer.
 */
function projectIncidents(team: TeamSchema, sim: SimState, m: IncidentsMemory, options: ProjectOptions): void {
  const wf = options.workflow;
  const phase = options.phase;
  // Compared over every incident (what `visibleIncidents` picks and orders from), so an unchanged
  // tick builds no list.
  if (incidentsUnchanged(m, sim.incidents, phase, wf)) return;
  rememberIncidents(m, sim.incidents, phase, wf);
  syncIncidents(team, sim, options);
}

/** {@link projectIncidents}' sync, apart: its closures' context is allocated on entry, so only when something changed. */
function syncIncidents(team: TeamSchema, sim: SimState, options: ProjectOptions): void {
  const wf = options.workflow;
  const phase = options.phase;
  const revealed = (id: string): boolean => phase === undefined || isRevealed(phase, { workflow: wf ?? EMPTY_WORKFLOW }, id);
  const shown = visibleIncidents(sim);
  syncArray(team.incidents, shown, () => new IncidentSchema(), (entry, { label, incident: i }) => {
    const open = revealed(i.spec.id);
    entry.id = open ? i.spec.id : label;
    entry.type = open ? i.spec.type : '';
    entry.title = open ? incidentTitle(i) : HIDDEN_TITLE;
    entry.status = i.status;
    entry.startedAt = num(i.startedAt);
    entry.mitigatedAt = i.mitigatedAt === null ? -1 : num(i.mitigatedAt);
    entry.label = label;
    entry.revealed = open;
    const ended = phase === 'ended';
    entry.options = ended ? postmortemOptions(sim.settings.seed, i).map((o) => o.id).join(',') : '';
    const answer = wf?.answers.find((a) => a.incident === i.spec.id);
    entry.answer = answer?.choice ?? '';
    entry.correct = answer?.correct === true;
  });
}

/** `ProjectOptions.actions` when absent (no array per call). */
const NO_ACTIONS: readonly LoggedAction[] = [];

const EMPTY_WORKFLOW: TeamWorkflow = { pages: [], declared: [], updates: [], hints: [], answers: [] };

/** `TeamWorkflow.followups` before the first one is filed. */
const NO_FOLLOWUPS: NonNullable<TeamWorkflow['followups']> = [];

/** Status updates projected: the last this many. */
export const PROJECTED_UPDATES = 20;

/** Follow-ups projected (the planning role's action items, bugs, handoffs): the last this many. */
export const PROJECTED_FOLLOWUPS = 20;

/** What the workflow lists were last projected from: pages (id, ack), declared incidents (id, times), update, hint and follow-up counts. */
interface WorkflowMemory {
  /** False until projected (and after a resync). */
  synced: boolean;
  pageIds: string[];
  pageAckedAt: (number | null)[];
  declaredIds: string[];
  declaredMitigatedAt: (number | null)[];
  declaredResolvedAt: (number | null)[];
  updates: number;
  hints: number;
  followups: number;
}

function workflowMemory(): WorkflowMemory {
  return { synced: false, pageIds: [], pageAckedAt: [], declaredIds: [], declaredMitigatedAt: [], declaredResolvedAt: [], updates: -1, hints: -1, followups: -1 };
}

/** True when the workflow's pages, declared incidents and counts are the ones last projected. */
function workflowUnchanged(m: WorkflowMemory, w: TeamWorkflow): boolean {
  if (!m.synced || w.updates.length !== m.updates || w.hints.length !== m.hints || (w.followups?.length ?? 0) !== m.followups) return false;
  const pages = w.pages;
  if (pages.length !== m.pageIds.length) return false;
  for (let i = 0; i < pages.length; i++) if (pages[i]!.id !== m.pageIds[i] || pages[i]!.ackedAt !== m.pageAckedAt[i]) return false;
  const declared = w.declared;
  if (declared.length !== m.declaredIds.length) return false;
  for (let i = 0; i < declared.length; i++) {
    const d = declared[i]!;
    if (d.id !== m.declaredIds[i] || d.mitigatedAt !== m.declaredMitigatedAt[i] || d.resolvedAt !== m.declaredResolvedAt[i]) return false;
  }
  return true;
}

/** The team's pager, declared incidents, status updates and follow-ups (shared/game/workflow.ts), only when changed. */
function projectWorkflow(team: TeamSchema, wf: TeamWorkflow | undefined, m: WorkflowMemory): void {
  const w = wf ?? EMPTY_WORKFLOW;
  if (workflowUnchanged(m, w)) return;
  m.synced = true;
  m.pageIds = w.pages.map((p) => p.id);
  m.pageAckedAt = w.pages.map((p) => p.ackedAt);
  m.declaredIds = w.declared.map((d) => d.id);
  m.declaredMitigatedAt = w.declared.map((d) => d.mitigatedAt);
  m.declaredResolvedAt = w.declared.map((d) => d.resolvedAt);
  m.updates = w.updates.length;
  m.hints = w.hints.length;
  m.followups = w.followups?.length ?? 0;
  syncArray(team.pages, w.pages, () => new PageSchema(), (entry, p) => {
    entry.id = p.id;
    entry.alert = p.alert;
    entry.firedAt = num(p.firedAt);
    entry.acked = p.ackedAt !== null;
    entry.ackedAt = p.ackedAt === null ? -1 : num(p.ackedAt);
    entry.ackedBy = p.ackedBy ?? '';
  });
  syncArray(team.declared, w.declared, () => new DeclaredSchema(), (entry, d) => {
    entry.id = d.id;
    entry.severity = d.severity;
    entry.summary = d.summary;
    entry.declaredAt = num(d.declaredAt);
    entry.declaredBy = d.declaredBy;
    entry.mitigatedAt = d.mitigatedAt === null ? -1 : num(d.mitigatedAt);
    entry.resolvedAt = d.resolvedAt === null ? -1 : num(d.resolvedAt);
  });
  syncArray(team.updates, w.updates.slice(-PROJECTED_UPDATES), () => new StatusUpdateSchema(), (entry, u) => {
    entry.t = num(u.t);
    entry.by = u.by;
    entry.text = u.text;
  });
  // A team created without the list (server/rooms/team.ts: none in the join snapshot) gets it with its first follow-up.
  const followups = w.followups ?? NO_FOLLOWUPS;
  let list = team.followups as TeamSchema['followups'] | undefined;
  if (list === undefined && followups.length > 0) team.followups = list = new ArraySchema<FollowUpSchema>();
  if (list !== undefined) {
    syncArray(list, followups.slice(-PROJECTED_FOLLOWUPS), () => new FollowUpSchema(), (entry, u) => {
      entry.id = u.id;
      entry.t = num(u.t);
      entry.by = u.by;
      entry.text = u.text;
    });
  }
  team.hints = w.hints.length;
  team.hintCost = HINT_COST_POINTS;
}

/** What the caller passes besides the sim: the game layer owns scoring. */
export interface ProjectOptions {
  /** The team's score so far, points (the game layer's: shared/game `scoreOf(team)`, = `teamScore(match, team).score`). */
  score: number;
  /** The match phase: while it is not `ended`, incident causes stay hidden unless hinted. Absent: causes shown (no match). */
  phase?: MatchPhase;
  /** The team's incident workflow (pages, declared incidents, updates, hints, answers). */
  workflow?: TeamWorkflow;
  /** The team's accepted actions (the game's action log, shared/game `Team.log`), oldest first: shown in the events feed. */
  actions?: readonly LoggedAction[];
}

/**
 * Copy `sim` into `team` and its Pods' Schema ({@link teamDetailOf}); see the file comment. Call after
 * sim ticks or actions, before a patch.
 *
 * @param team the team's Schema (its `id` is not touched).
 * @param sim the team's simulated cluster (read only). A different sim than last time resyncs.
 * @param options the team's score, the match phase and the team's workflow (what reveals a cause).
 */
export function projectTeam(team: TeamSchema, sim: SimState, options: ProjectOptions): void {
  const mem = memoryOf(team);
  const cursor = changeCursor(sim);
  const podsVersion = mem.podsVersion;
  const pods = mem.index.size;
  if (mem.sim !== sim || !projectChanges(team, mem, sim, cursor)) {
    projectAll(team, mem, sim);
    const s = mem.stamps;
    s.controlPlane.etcd.length = 0;
    s.controlPlane.components.length = 0;
    s.events.synced = false;
    s.incidents.inputs.length = 0;
    s.workflow.synced = false;
    s.slo = sloMemory([...team.alerts]);
    s.score = Number.NaN;
    mem.full++;
    mem.followed = false;
    viewInputs++;
  } else {
    mem.incremental++;
    if (mem.podsVersion !== podsVersion || mem.index.size !== pods) viewInputs++;
  }
  mem.sim = sim;
  mem.cursor = cursor;

  const stamps = mem.stamps;
  projectControlPlane(team, sim, stamps.controlPlane);
  projectSlo(team, sim, stamps.slo);
  projectEvents(team, sim, stamps.events, mem, options.actions ?? NO_ACTIONS);
  projectIncidents(team, sim, stamps.incidents, options);
  projectWorkflow(team, options.workflow, stamps.workflow);
  const score = num(options.score);
  if (score !== stamps.score) team.score = stamps.score = score;
}

/** What a client looks at: a Node by name, a Deployment or Service by `namespace/name`. */
export interface Focus {
  kind: FocusKind;
  key: string;
}

/**
 * Keys of the Pods a focus shows, sorted: the Pods bound to the Node, owned by the Deployment, or
 * listed in the Service's EndpointSlice. Empty for an unknown key.
 */
export function focusedPodKeys(team: TeamSchema, sim: SimState, focus: Focus): string[] {
  const mem = memoryOf(team);
  switch (focus.kind) {
    case 'Node':
      return [...(mem.podsOfNode.get(focus.key) ?? [])].sort();
    case 'Deployment':
      return [...(mem.podsOfDeployment.get(focus.key) ?? [])].sort();
    case 'Service': {
      const eps = Object.hasOwn(sim.endpoints, focus.key) ? sim.endpoints[focus.key] : undefined;
      if (!eps) return [];
      const prefix = `${eps.metadata.namespace}/`;
      return eps.endpoints
        .map((e) => prefix + e.targetRef.name)
        .filter((k) => mem.index.get(k)?.detailed === true)
        .sort();
    }
  }
}
