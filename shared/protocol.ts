/**
 * The room protocol shared by the server, the Phaser client and third-party bots: join options,
 * client -> server messages (zod schemas, validated by the room), server -> client messages, and the
 * shape of the state the room projects into Colyseus Schema.
 *
 * May import zod and shared/sim types only.
 */
import { z } from 'zod';

/** Name the room is registered under (`client.joinOrCreate(ROOM_NAME, options)`). */
export const ROOM_NAME = 'match';

/** Join options (`joinOrCreate('match', options)`). Unknown keys are rejected. */
export const JoinOptions = z.strictObject({
  /** Player display name, 1-32 printable characters. */
  name: z.string().trim().min(1, { error: 'name is required' }).max(32, { error: 'name is at most 32 characters' }),
  /** Team id to play for (default `blue`); one of the match's teams (see `teams`). */
  team: z.string().regex(/^[a-z0-9-]{1,16}$/, { error: 'team must be 1-16 of a-z, 0-9, -' }).optional(),
  /**
   * Number of teams, 1..8 (default 1): the first N of `blue, red, green, gold, purple, orange, teal,
   * pink`, each its own cluster from the same scenario and seed. Only used by the player who creates the room.
   */
  teams: z.number().int().min(1, { error: 'teams must be 1 to 8' }).max(8, { error: 'teams must be 1 to 8' }).optional(),
  /** Scenario id (default: the default scenario). Only used by the player who creates the room. */
  scenario: z.string().min(1).max(64).optional(),
  /** PRNG seed (default: random at creation). */
  seed: z.number().int().min(0).max(0xffffffff).optional(),
  /**
   * Sim seconds per real second, 0.25..120 (default: the scenario's `match.timeDilation`, e.g. 4 for
   * online-boutique: its 3,600 sim s play in 15 minutes). Only used by the player who creates the room.
   */
  timeDilation: z.number().min(0.25).max(120).optional(),
  /** Join as a trainer (may pause/resume and change speed). */
  trainer: z.boolean().optional(),
  /**
   * Match length override in sim seconds (default: the scenario's). Only used by the player who
   * creates the room; meant for short practice matches and tests.
   */
  durationSeconds: z.number().int().min(10).max(86_400).optional(),
});
/** Validated join options (the output of {@link JoinOptions}). */
export type JoinOptions = z.infer<typeof JoinOptions>;

const name = z.string().min(1).max(253);
const quantity = z.string().regex(/^[0-9.]+[a-zA-Z]{0,2}$/, { error: 'expected a Kubernetes quantity such as 500m, 0.5, 256Mi or 1Gi' });

/** A structured player action (what a click produces). Mirrors `SimAction` in shared/sim/types.ts. */
export const ActionMessage = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('deletePod'), pod: name, force: z.boolean().optional() }),
  z.strictObject({ type: z.literal('scaleDeployment'), deployment: name, replicas: z.number().int().min(0).max(1000) }),
  z.strictObject({ type: z.literal('rolloutUndo'), deployment: name, toRevision: z.number().int().min(1).optional() }),
  z.strictObject({ type: z.literal('rolloutRestart'), deployment: name }),
  z.strictObject({ type: z.literal('setImage'), deployment: name, container: name.optional(), image: z.string().min(1).max(512) }),
  z.strictObject({
    type: z.literal('setResources'),
    deployment: name,
    container: name.optional(),
    limits: z.strictObject({ cpu: quantity.optional(), memory: quantity.optional() }).optional(),
    requests: z.strictObject({ cpu: quantity.optional(), memory: quantity.optional() }).optional(),
  }),
  z.strictObject({ type: z.literal('cordonNode'), node: name }),
  z.strictObject({ type: z.literal('uncordonNode'), node: name }),
  z.strictObject({ type: z.literal('drainNode'), node: name }),
  z.strictObject({ type: z.literal('restoreEtcdMember'), member: name }),
]);
/** A validated structured action; assignable to `SimAction`. */
export type ActionMessage = z.infer<typeof ActionMessage>;

/** Param names of an injected incident: a letter, then letters and digits (never `__proto__`). */
const paramName = z.string().regex(/^[a-zA-Z][a-zA-Z0-9]{0,31}$/, { error: 'param names are a letter then letters and digits, at most 32' });

/**
 * An incident a trainer injects (`control` op `inject`). Shape only: the kind, the target's syntax and
 * the params (with their defaults) are checked by the incident registry (shared/sim/incidents).
 */
export const InjectIncident = z.strictObject({
  /** Incident kind, e.g. `bad-rollout`, `memory-leak`, `node-failure`, `etcd-quorum-loss`. */
  type: z.string().min(1).max(64),
  /** A Deployment `name` or `namespace/name`, a Node name, or etcd members `etcd-1,etcd-2`, per kind. */
  target: z.string().min(1).max(253),
  /** The kind's params (e.g. `{ errorRate: 0.5 }`); omitted ones take the kind's defaults. */
  params: z.record(paramName, z.union([z.number(), z.string().max(256), z.boolean(), z.array(z.string().max(64)).max(16)])).optional(),
  /** Incident id (default `injected-N`). */
  id: z.string().regex(/^[a-z0-9]([-a-z0-9]{0,62}[a-z0-9])?$/, { error: 'incident id must be a DNS label' }).optional(),
  /** Player-facing title (default: the kind's). */
  title: z.string().min(1).max(120).optional(),
});
/** A validated injected incident. */
export type InjectIncident = z.infer<typeof InjectIncident>;

/**
 * Client -> server messages. Every message type carries an optional `id` (string or number, echoed in
 * the `reply`) so clients can match answers to questions.
 * - `kubectl`: a command line, e.g. `kubectl get pods` or `kubectl rollout undo deployment/frontend`.
 * - `action`: a structured action (clicks, bots).
 * - `control`: trainer only: pause, resume, set the speed (sim seconds per real second), or `inject` an
 *   incident into a team's cluster now (`team`, default the trainer's own; `incident`).
 */
export const ClientMessages = {
  kubectl: z.strictObject({ id: z.union([z.string().max(64), z.number()]).optional(), command: z.string().min(1).max(1000) }),
  action: z.strictObject({ id: z.union([z.string().max(64), z.number()]).optional(), action: ActionMessage }),
  control: z.strictObject({
    id: z.union([z.string().max(64), z.number()]).optional(),
    op: z.enum(['pause', 'resume', 'speed', 'inject']),
    timeDilation: z.number().min(0.25).max(120).optional(),
    /** `inject`: the team whose cluster gets it (default: the trainer's own team). */
    team: z.string().regex(/^[a-z0-9-]{1,16}$/, { error: 'team must be 1-16 of a-z, 0-9, -' }).optional(),
    /** `inject`: the incident. */
    incident: InjectIncident.optional(),
  }),
} as const;
/** Message types a client may send: `kubectl`, `action`, `control`. */
export type ClientMessageType = keyof typeof ClientMessages;

/** Server -> client: the answer to one client message (`room.onMessage('reply', ...)`). */
export interface ReplyMessage {
  /** The `id` the client sent, or null when the message had none or could not be parsed. */
  id: string | number | null;
  /** The message type answered (`kubectl`, `action`, `control`, or the unknown type sent). */
  type: string;
  ok: boolean;
  /** Command output (kubectl text) or a one-line confirmation. */
  output?: string;
  /** What was wrong, for ok=false: validation errors name the field. */
  error?: string;
}

/** Server -> client broadcast when the match ends (`room.onMessage('matchEnded', ...)`). */
export interface MatchEndedMessage {
  matchId: string;
  summary: import('./sim/types.ts').MatchSummary;
  players: { name: string; team: string; score: number }[];
}

// ---------------------------------------------------------------------------------------------------
// Projected state (what the room's Schema holds; plain-data view for clients)
// ---------------------------------------------------------------------------------------------------

/** `MatchState.phase`. */
export type MatchPhase = 'running' | 'paused' | 'ended';

/** A Node (shared/sim `Node`, projected by server/rooms/projection.ts). */
export interface NodeView {
  name: string;
  zone: string;
  /** `Ready`, `NotReady` or `Unknown` (kubectl STATUS), with `,SchedulingDisabled` when cordoned. */
  status: string;
  ready: boolean;
  /** Cordoned (`spec.unschedulable`). */
  unschedulable: boolean;
  /** Allocatable and requested CPU (millicores) and memory (MiB). */
  cpuAllocatable: number;
  cpuRequested: number;
  memAllocatable: number;
  memRequested: number;
  podCount: number;
}

/** A Pod, keyed by its name in {@link TeamView.pods}. */
export interface PodView {
  name: string;
  /** Node name, '' while unscheduled. */
  node: string;
  /** Owning Deployment name ('' if none). */
  deployment: string;
  /** kubectl STATUS column: Running, Pending, ContainerCreating, OOMKilled, CrashLoopBackOff, Terminating... */
  status: string;
  /** The Ready condition (a Ready pod receives Service traffic). */
  ready: boolean;
  /** Sum of its containers' restartCount. */
  restarts: number;
  /** Image of the first container. */
  image: string;
  /** Working-set memory and limit, MiB (limit 0 = none). */
  memoryMiB: number;
  memLimitMiB: number;
  /** Sim second the pod was created. */
  createdAt: number;
}

/** A Deployment: desired `replicas` and the status counts kubectl shows (READY, UP-TO-DATE, AVAILABLE). */
export interface DeploymentView {
  name: string;
  replicas: number;
  readyReplicas: number;
  updatedReplicas: number;
  availableReplicas: number;
  /** Image of the first container of the template. */
  image: string;
  /** `deployment.kubernetes.io/revision` (0 before the first rollout). */
  revision: number;
  /** Memory limit of the first container, e.g. `256Mi` ('' if none). */
  memoryLimit: string;
}

/** A Service and its traffic over the last tick. */
export interface ServiceView {
  name: string;
  /** `ClusterIP`, `NodePort`, `LoadBalancer` or `ExternalName`. */
  type: string;
  /** Requests/s, failed share (0..1), p99 latency (ms). */
  rps: number;
  errorRate: number;
  p99Ms: number;
  /** Endpoints that receive traffic (Ready, not terminating), and all of them. */
  readyEndpoints: number;
  totalEndpoints: number;
}

/** One etcd member: up or down, and whether it is the Raft leader. */
export interface EtcdMemberView {
  name: string;
  healthy: boolean;
  leader: boolean;
}

/** kube-apiserver, kube-scheduler or kube-controller-manager: healthy unless etcd lost quorum. */
export interface ComponentView {
  name: string;
  healthy: boolean;
  message: string;
}

/** The user-facing Service's SLOs (SRE Workbook; kubernetes-behaviour.md §9). */
export interface SloView {
  /** SLIs since match start (fractions) and their targets. */
  availability: number;
  availabilityTarget: number;
  latency: number;
  latencyTarget: number;
  latencyThresholdMs: number;
  /** Error budget remaining, fraction of the budget (1 = untouched, < 0 = overspent). */
  errorBudgetRemaining: number;
  latencyErrorBudgetRemaining: number;
  /** Availability burn rate (error ratio / (1 - SLO)) over the fast page tier's short window. */
  burnRate: number;
  /** Any page alert firing. */
  paging: boolean;
}

/** A burn-rate alert firing now (SRE Workbook ch. 5 multi-window tiers). */
export interface AlertView {
  /** e.g. `availability-page-fast`. */
  id: string;
  /** `page` or `ticket`. */
  severity: string;
  /** `availability` or `latency`. */
  slo: string;
  /** Sim second it started firing. */
  since: number;
  summary: string;
}

/** A `kubectl get events` row. */
export interface EventView {
  /** The sim's total order of events. */
  seq: number;
  /** Sim second. */
  t: number;
  /** `Normal` or `Warning`. */
  type: string;
  reason: string;
  /** Kind and name of the object it is about. */
  kind: string;
  name: string;
  message: string;
}

/** An incident players have seen strike. */
export interface IncidentView {
  id: string;
  /** `memory-leak`, `etcd-quorum-loss`, `bad-rollout` or `node-failure`. */
  type: string;
  /** The scenario's title, else the type. */
  title: string;
  /** `active` or `mitigated` (scheduled incidents are not shown to players). */
  status: string;
  /** Sim second it struck. */
  startedAt: number;
  /** Sim second it was mitigated; -1 while not mitigated. */
  mitigatedAt: number;
}

/** One team's cluster as projected to clients; maps are keyed by object name. */
export interface TeamView {
  id: string;
  nodes: Map<string, NodeView>;
  pods: Map<string, PodView>;
  deployments: Map<string, DeploymentView>;
  services: Map<string, ServiceView>;
  etcd: EtcdMemberView[];
  /** floor(n/2)+1 members are healthy (kubernetes-behaviour.md §6); false = the API server cannot write. */
  etcdQuorum: boolean;
  components: ComponentView[];
  slo: SloView;
  alerts: AlertView[];
  /** Most recent events, oldest first (at most 50). */
  events: EventView[];
  incidents: IncidentView[];
  /** Score of the match so far (shared/game/score.ts `computeScore`, the team's own). */
  score: number;
}

/** A player, keyed by Colyseus `sessionId` in {@link MatchStateView.players}. */
export interface PlayerView {
  name: string;
  team: string;
  /** May pause, resume and change the speed (`control` messages). */
  trainer: boolean;
  /** False while a dropped client may still reconnect (30 s). */
  connected: boolean;
  /** Actions the sim accepted from this player. */
  actions: number;
}

/** The root state (`room.state`). */
export interface MatchStateView {
  matchId: string;
  scenarioId: string;
  scenarioTitle: string;
  phase: MatchPhase;
  /** Sim seconds elapsed and match length (sim seconds). */
  t: number;
  durationSeconds: number;
  /** Sim seconds per real second. */
  timeDilation: number;
  players: Map<string, PlayerView>;
  teams: Map<string, TeamView>;
}
