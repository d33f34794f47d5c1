/**
 * The room's Colyseus Schema: the projected, client-visible state (`room.state`), built with
 * @colyseus/schema v5's `schema({...}, 'Name')` API. Field for field it matches the plain-data views
 * in shared/protocol.ts (`MatchStateView`, `TeamView`...): clients may type `room.state` with those.
 *
 * Every primitive field has a `.default()`: without one it starts `undefined` (stack notes).
 * Counts are `t.number()` (variable-length integers). Fractions, rates, times and scores are
 * `t.float64()`: `t.number()` sends non-integers as float32 (0.99 would arrive as 0.9900000095).
 * Each `export type X = SchemaType<typeof X>` is the instance type of the schema `X` above it.
 *
 * May import @colyseus/schema only.
 */
import { schema, t, type SchemaType } from '@colyseus/schema';

/** A Node as shown to players ({@link import('../../shared/protocol.ts').NodeView}); CPU in millicores, memory in MiB. */
export const NodeSchema = schema(
  {
    name: t.string().default(''),
    zone: t.string().default(''),
    status: t.string().default(''),
    ready: t.boolean().default(false),
    unschedulable: t.boolean().default(false),
    cpuAllocatable: t.number().default(0),
    cpuRequested: t.number().default(0),
    memAllocatable: t.number().default(0),
    memRequested: t.number().default(0),
    podCount: t.number().default(0),
  },
  'NodeView',
);
export type NodeSchema = SchemaType<typeof NodeSchema>;

/** A Pod ({@link import('../../shared/protocol.ts').PodView}); memory in MiB, `createdAt` in sim seconds. */
export const PodSchema = schema(
  {
    name: t.string().default(''),
    node: t.string().default(''),
    deployment: t.string().default(''),
    status: t.string().default(''),
    ready: t.boolean().default(false),
    restarts: t.number().default(0),
    image: t.string().default(''),
    memoryMiB: t.float64().default(0),
    memLimitMiB: t.number().default(0),
    createdAt: t.float64().default(0),
  },
  'PodView',
);
export type PodSchema = SchemaType<typeof PodSchema>;

/** A Deployment ({@link import('../../shared/protocol.ts').DeploymentView}); `replicas` is the desired count. */
export const DeploymentSchema = schema(
  {
    name: t.string().default(''),
    replicas: t.number().default(0),
    readyReplicas: t.number().default(0),
    updatedReplicas: t.number().default(0),
    availableReplicas: t.number().default(0),
    image: t.string().default(''),
    revision: t.number().default(0),
    memoryLimit: t.string().default(''),
  },
  'DeploymentView',
);
export type DeploymentSchema = SchemaType<typeof DeploymentSchema>;

/** A Service and its traffic over the last tick: requests/s, failed share 0..1, p99 in ms. */
export const ServiceSchema = schema(
  {
    name: t.string().default(''),
    type: t.string().default(''),
    rps: t.float64().default(0),
    errorRate: t.float64().default(0),
    p99Ms: t.float64().default(0),
    readyEndpoints: t.number().default(0),
    totalEndpoints: t.number().default(0),
  },
  'ServiceView',
);
export type ServiceSchema = SchemaType<typeof ServiceSchema>;

/** One etcd member. */
export const EtcdMemberSchema = schema(
  {
    name: t.string().default(''),
    healthy: t.boolean().default(false),
    leader: t.boolean().default(false),
  },
  'EtcdMemberView',
);
export type EtcdMemberSchema = SchemaType<typeof EtcdMemberSchema>;

/** A control-plane component (kube-apiserver, kube-scheduler, kube-controller-manager). */
export const ComponentSchema = schema(
  {
    name: t.string().default(''),
    healthy: t.boolean().default(true),
    message: t.string().default(''),
  },
  'ComponentView',
);
export type ComponentSchema = SchemaType<typeof ComponentSchema>;

/** SLIs (fractions), targets, error budgets remaining (fractions) and the fast-page burn rate. */
export const SloSchema = schema(
  {
    availability: t.float64().default(1),
    availabilityTarget: t.float64().default(0),
    latency: t.float64().default(1),
    latencyTarget: t.float64().default(0),
    latencyThresholdMs: t.float64().default(0),
    errorBudgetRemaining: t.float64().default(1),
    latencyErrorBudgetRemaining: t.float64().default(1),
    burnRate: t.float64().default(0),
    paging: t.boolean().default(false),
  },
  'SloView',
);
export type SloSchema = SchemaType<typeof SloSchema>;

/** A firing burn-rate alert; `since` in sim seconds. */
export const AlertSchema = schema(
  {
    id: t.string().default(''),
    severity: t.string().default(''),
    slo: t.string().default(''),
    since: t.float64().default(0),
    summary: t.string().default(''),
  },
  'AlertView',
);
export type AlertSchema = SchemaType<typeof AlertSchema>;

/** A Kubernetes Event row; `t` in sim seconds, `seq` the sim's total order. */
export const EventSchema = schema(
  {
    seq: t.number().default(0),
    t: t.float64().default(0),
    type: t.string().default(''),
    reason: t.string().default(''),
    kind: t.string().default(''),
    name: t.string().default(''),
    message: t.string().default(''),
  },
  'EventView',
);
export type EventSchema = SchemaType<typeof EventSchema>;

/** An active or mitigated incident; times in sim seconds, `mitigatedAt` -1 while not mitigated. */
export const IncidentSchema = schema(
  {
    id: t.string().default(''),
    type: t.string().default(''),
    title: t.string().default(''),
    status: t.string().default(''),
    startedAt: t.float64().default(0),
    mitigatedAt: t.float64().default(-1),
  },
  'IncidentView',
);
export type IncidentSchema = SchemaType<typeof IncidentSchema>;

/** One team's cluster ({@link import('../../shared/protocol.ts').TeamView}); maps keyed by object name. */
export const TeamSchema = schema(
  {
    id: t.string().default(''),
    nodes: t.map(NodeSchema),
    pods: t.map(PodSchema),
    deployments: t.map(DeploymentSchema),
    services: t.map(ServiceSchema),
    etcd: t.array(EtcdMemberSchema),
    etcdQuorum: t.boolean().default(true),
    components: t.array(ComponentSchema),
    slo: t.ref(SloSchema),
    alerts: t.array(AlertSchema),
    events: t.array(EventSchema),
    incidents: t.array(IncidentSchema),
    score: t.float64().default(0),
  },
  'TeamView',
);
export type TeamSchema = SchemaType<typeof TeamSchema>;

/** A player in the room, keyed by Colyseus `sessionId` in {@link MatchStateSchema}. */
export const PlayerSchema = schema(
  {
    name: t.string().default(''),
    team: t.string().default(''),
    trainer: t.boolean().default(false),
    connected: t.boolean().default(true),
    actions: t.number().default(0),
  },
  'PlayerView',
);
export type PlayerSchema = SchemaType<typeof PlayerSchema>;

/** The root state ({@link import('../../shared/protocol.ts').MatchStateView}); `t`/`durationSeconds` in sim seconds. */
export const MatchStateSchema = schema(
  {
    matchId: t.string().default(''),
    scenarioId: t.string().default(''),
    scenarioTitle: t.string().default(''),
    phase: t.string().default('running'),
    t: t.float64().default(0),
    durationSeconds: t.float64().default(0),
    timeDilation: t.float64().default(0),
    players: t.map(PlayerSchema),
    teams: t.map(TeamSchema),
  },
  'MatchState',
);
export type MatchStateSchema = SchemaType<typeof MatchStateSchema>;
