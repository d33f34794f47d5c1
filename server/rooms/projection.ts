/**
 * Projection of one team's {@link SimState} into its {@link TeamSchema}: the sim stays plain JSON and
 * never encodes; this file copies what players may see into Colyseus Schema, touching only what
 * changed. Collections are synced in place (MapSchema entries added/removed by name, ArraySchema
 * entries updated by position or appended/shifted), never rebuilt, so a patch carries only the
 * differences. Assigning an equal primitive is a no-op in @colyseus/schema.
 *
 * Floats are rounded to the precision a player can read (0.1 requests/s, 0.1 ms, 4 decimals for
 * fractions) so sub-visible jitter does not fill patches.
 *
 * Scheduled incidents are not shown (that would spoil them); only `active` and `mitigated` ones.
 *
 * May import server/rooms/schema.ts, shared/sim (pure) and @colyseus/schema.
 */
import type { ArraySchema, MapSchema } from '@colyseus/schema';
import type { SimState, Pod, Deployment, Node } from '../../shared/sim/types.ts';
import { podDisplayStatus, nodeDisplayStatus, podReady, ownerDeploymentName } from '../../shared/sim/status.ts';
import { incidentTitle } from '../../shared/sim/incidents/index.ts';
import { REVISION_ANNOTATION } from '../../shared/sim/controllers/deployment.ts';
import {
  AlertSchema,
  ComponentSchema,
  DeploymentSchema,
  EtcdMemberSchema,
  EventSchema,
  IncidentSchema,
  NodeSchema,
  PodSchema,
  ServiceSchema,
  type TeamSchema,
} from './schema.ts';

/** Most recent events kept in the projection (the protocol's `TeamView.events`). */
export const PROJECTED_EVENTS = 50;

const round1 = (x: number) => Math.round(x * 10) / 10;
const round4 = (x: number) => Math.round(x * 10_000) / 10_000;
/** Finite or 0: Schema numbers must not be NaN. */
const num = (x: number | null | undefined) => (typeof x === 'number' && Number.isFinite(x) ? x : 0);

/**
 * Sync a MapSchema with `source` (key -> value), keys compared as strings: entries missing from the
 * source are deleted, new ones created with `create()`, all assigned with `assign`.
 */
export function syncMap<S, V>(
  target: MapSchema<S>,
  source: Iterable<[string, V]>,
  create: () => S,
  assign: (entry: S, value: V) => void,
): void {
  const seen = new Set<string>();
  for (const [key, value] of source) {
    seen.add(key);
    let entry = target.get(key);
    if (entry === undefined) {
      entry = create();
      assign(entry, value);
      target.set(key, entry);
    } else {
      assign(entry, value);
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
export function syncArray<S, V>(target: ArraySchema<S>, source: readonly V[], create: () => S, assign: (entry: S, value: V) => void): void {
  for (let i = 0; i < source.length; i++) {
    const value = source[i] as V;
    const entry = target.at(i);
    if (entry === undefined) {
      const fresh = create();
      assign(fresh, value);
      target.push(fresh);
    } else {
      assign(entry, value);
    }
  }
  while (target.length > source.length) target.pop();
}

/** Pods by display name, sorted (stable key order for the first full state). */
function podsByName(sim: SimState): [string, Pod][] {
  return Object.keys(sim.pods)
    .sort()
    .map((key) => [sim.pods[key]!.metadata.name, sim.pods[key]!] as [string, Pod]);
}

function byName<T extends { metadata: { name: string } }>(record: Record<string, T>): [string, T][] {
  return Object.keys(record)
    .sort()
    .map((key) => [record[key]!.metadata.name, record[key]!] as [string, T]);
}

function assignNode(entry: NodeSchema, node: Node): void {
  entry.name = node.metadata.name;
  entry.zone = node.metadata.labels['topology.kubernetes.io/zone'] ?? '';
  entry.status = nodeDisplayStatus(node);
  entry.ready = node.status.conditions.some((c) => c.type === 'Ready' && c.status === 'True');
  entry.unschedulable = node.spec.unschedulable;
  entry.cpuAllocatable = num(node.sim.cpuAllocatableMilli);
  entry.cpuRequested = num(node.sim.cpuRequestedMilli);
  entry.memAllocatable = num(node.sim.memAllocatableMiB);
  entry.memRequested = num(node.sim.memRequestedMiB);
  entry.podCount = num(node.sim.podCount);
}

function assignPod(sim: SimState, entry: PodSchema, pod: Pod): void {
  entry.name = pod.metadata.name;
  entry.node = pod.spec.nodeName ?? '';
  entry.deployment = ownerDeploymentName(sim, pod);
  entry.status = podDisplayStatus(pod, sim.t);
  entry.ready = podReady(pod);
  let restarts = 0;
  for (const cs of pod.status.containerStatuses) restarts += cs.restartCount;
  entry.restarts = restarts;
  entry.image = pod.sim.image;
  entry.memoryMiB = round1(num(pod.sim.memoryMiB));
  entry.memLimitMiB = num(pod.sim.memLimitMiB);
  entry.createdAt = num(pod.metadata.creationTimestamp);
}

function assignDeployment(entry: DeploymentSchema, d: Deployment): void {
  const first = d.spec.template.spec.containers[0];
  entry.name = d.metadata.name;
  entry.replicas = num(d.spec.replicas);
  entry.readyReplicas = num(d.status.readyReplicas);
  entry.updatedReplicas = num(d.status.updatedReplicas);
  entry.availableReplicas = num(d.status.availableReplicas);
  entry.image = first?.image ?? '';
  entry.revision = num(Number.parseInt(d.metadata.annotations[REVISION_ANNOTATION] ?? '0', 10));
  entry.memoryLimit = first?.resources.limits?.memory ?? '';
}

/** Availability burn rate over the fastest page tier's short window (SRE Workbook ch. 5), or 0. */
function fastPageBurnRate(sim: SimState): number {
  const pages = sim.alertTiers.filter((tier) => tier.severity === 'page').sort((a, b) => a.longWindowSeconds - b.longWindowSeconds);
  const fastest = pages[0];
  if (fastest === undefined) return 0;
  return num(sim.slos.availability.burnRates[fastest.name]?.short);
}

/** Project the SLO block and alerts. */
function projectSlo(team: TeamSchema, sim: SimState): void {
  const { availability, latency } = sim.slos;
  const slo = team.slo;
  slo.availability = round4(num(availability.sli));
  slo.availabilityTarget = num(availability.target);
  slo.latency = round4(num(latency.sli));
  slo.latencyTarget = num(latency.target);
  slo.latencyThresholdMs = num(latency.thresholdMs);
  slo.errorBudgetRemaining = round4(num(availability.errorBudgetRemaining));
  slo.latencyErrorBudgetRemaining = round4(num(latency.errorBudgetRemaining));
  slo.burnRate = round4(fastPageBurnRate(sim));
  const firing = sim.alerts.filter((a) => a.firing);
  slo.paging = firing.some((a) => a.severity === 'page');
  syncArray(team.alerts, firing, () => new AlertSchema(), (entry, a) => {
    entry.id = a.id;
    entry.severity = a.severity;
    entry.slo = a.slo;
    entry.since = num(a.since);
    entry.summary = a.summary;
  });
}

/**
 * Events: the last {@link PROJECTED_EVENTS}, oldest first. The sim's list is append-only by `seq`
 * (trimmed at the front), so old entries are shifted off and new ones pushed: no entry is rewritten.
 */
function projectEvents(team: TeamSchema, sim: SimState): void {
  const recent = sim.events.slice(-PROJECTED_EVENTS);
  const firstSeq = recent[0]?.seq ?? Number.POSITIVE_INFINITY;
  const events = team.events;
  while (events.length > 0 && (events.at(0)?.seq ?? firstSeq) < firstSeq) events.shift();
  const lastSeq = events.at(events.length - 1)?.seq ?? Number.NEGATIVE_INFINITY;
  for (const e of recent) {
    if (e.seq <= lastSeq) continue;
    const entry = new EventSchema();
    entry.seq = e.seq;
    entry.t = num(e.t);
    entry.type = e.type;
    entry.reason = e.reason;
    entry.kind = e.object.kind;
    entry.name = e.object.name;
    entry.message = e.message;
    events.push(entry);
  }
  while (events.length > PROJECTED_EVENTS) events.shift();
}

/**
 * Copy `sim` into `team` (see the file comment). Call after sim ticks or actions, before a patch.
 *
 * @param team the team's Schema (its `id` is not touched).
 * @param sim the team's simulated cluster (read only).
 * @param score what the game layer owns: the team's points so far (shared/game `teamScore`).
 */
export function projectTeam(team: TeamSchema, sim: SimState, { score }: { score: number }): void {
  syncMap(team.nodes, byName(sim.nodes), () => new NodeSchema(), assignNode);
  syncMap(team.pods, podsByName(sim), () => new PodSchema(), (entry, pod) => assignPod(sim, entry, pod));
  syncMap(team.deployments, byName(sim.deployments), () => new DeploymentSchema(), assignDeployment);
  syncMap(
    team.services,
    Object.keys(sim.services)
      .sort()
      .map((key) => [sim.services[key]!.metadata.name, key] as [string, string]),
    () => new ServiceSchema(),
    (entry, key) => {
      const svc = sim.services[key]!;
      const traffic = sim.traffic[key];
      entry.name = svc.metadata.name;
      entry.type = svc.spec.type;
      entry.rps = round1(num(traffic?.rps));
      entry.errorRate = round4(num(traffic?.errorRate));
      entry.p99Ms = round1(num(traffic?.p99Ms));
      entry.readyEndpoints = num(traffic?.readyEndpoints);
      entry.totalEndpoints = num(traffic?.totalEndpoints);
    },
  );

  const etcd = sim.controlPlane.etcd;
  syncArray(team.etcd, etcd.members, () => new EtcdMemberSchema(), (entry, m) => {
    entry.name = m.name;
    entry.healthy = m.healthy;
    entry.leader = etcd.leader === m.name;
  });
  team.etcdQuorum = etcd.hasQuorum;
  syncArray(team.components, sim.controlPlane.components, () => new ComponentSchema(), (entry, c) => {
    entry.name = c.name;
    entry.healthy = c.healthy;
    entry.message = c.message;
  });

  projectSlo(team, sim);
  team.score = num(score);
  projectEvents(team, sim);

  const visible = sim.incidents.filter((i) => i.status === 'active' || i.status === 'mitigated');
  syncArray(team.incidents, visible, () => new IncidentSchema(), (entry, i) => {
    entry.id = i.spec.id;
    entry.type = i.spec.type;
    entry.title = incidentTitle(i);
    entry.status = i.status;
    entry.startedAt = num(i.startedAt);
    entry.mitigatedAt = i.mitigatedAt === null ? -1 : num(i.mitigatedAt);
  });
}
