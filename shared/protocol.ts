/**
 * The room protocol shared by the server, the Phaser client and third-party bots: join options,
 * client -> server messages (zod schemas, validated by the room), server -> client messages, and the
 * shape of the state the room projects into Colyseus Schema.
 *
 * May import zod, shared/sim types (and their constant `DELETABLE_KINDS`), shared/view/fields.ts (the view definition) and the constants of
 * shared/game/types.ts (modes, roles: that file imports only types from here).
 */
import { z } from 'zod';
import { MATCH_MODES, PLAYER_ROLES } from './game/types.ts';
import { DELETABLE_KINDS } from './sim/types.ts';
import type {
  ALERT_VIEW,
  COMPONENT_VIEW,
  DEPLOYMENT_VIEW,
  ETCD_MEMBER_VIEW,
  EVENT_VIEW,
  INCIDENT_VIEW,
  MATCH_PHASES,
  MATCH_STATE_VIEW,
  NODE_VIEW,
  PLAYER_VIEW,
  POD_VIEW,
  SCORE_ROW_VIEW,
  SERVICE_VIEW,
  SYSTEM_VIEW,
  SLO_VIEW,
  TEAM_VIEW,
  ViewOf,
} from './view/fields.ts';
import type { ChaosSideInfo, ChaosTotal } from './game/chaos.ts';

/**
 * `control` ops (trainer only): `pause`, `resume`, `speed` (`timeDilation`), `inject` (now, or
 * `atSeconds` later), `end` (end the match now; archived as usual), `message` (a hint or message to a
 * team or everyone, delivered as a `notice`), `move` (`player` to `team`, in the lobby).
 */
export const CONTROL_OPS = ['pause', 'resume', 'speed', 'inject', 'end', 'message', 'move'] as const;

/** Name the room is registered under (`client.joinOrCreate(ROOM_NAME, options)`). */
export const ROOM_NAME = 'match';

/** Built-in bot levels (shared/game/bots `BOT_LEVELS`): `idle` never acts, `novice` is slow, `expert` is quick. */
export const BOT_LEVEL_NAMES = ['idle', 'novice', 'expert'] as const;
const teamId = z.string().regex(/^[a-z0-9-]{1,16}$/, { error: 'team must be 1-16 of a-z, 0-9, -' });
const botLevel = z.enum(BOT_LEVEL_NAMES, { error: `bot level must be one of ${BOT_LEVEL_NAMES.join(', ')}` });
/** One server-side bot seat: a bot of `level` playing for `team` (join option `bots`, message `bot`). */
export const BotSeat = z.strictObject({ team: teamId, level: botLevel });
/** A validated bot seat. */
export type BotSeat = z.infer<typeof BotSeat>;

/** Join options (`joinOrCreate('match', options)`). Unknown keys are rejected. */
export const JoinOptions = z.strictObject({
  /** Player display name, 1-32 printable characters. */
  name: z.string().trim().min(1, { error: 'name is required' }).max(32, { error: 'name is at most 32 characters' }),
  /**
   * Team id to play for (default `blue`; a returning name that gives none gets its own team back);
   * one of the match's teams (see `teams`). In the lobby, change it with `lobby` op `team`.
   */
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
  /**
   * Join as a trainer (may pause/resume and change speed). Honoured only with the session token of a
   * registered account that has the trainer flag (see `token`); anyone else asking is refused.
   */
  trainer: z.boolean().optional(),
  /**
   * Session token (`POST /api/session/login|register|guest`; or the SDK's `client.auth.token`). With a
   * token the player's name comes from it, not from `name`. Without one the player is an anonymous
   * guest (refused when the server runs with `REQUIRE_AUTH=1`).
   */
  token: z.string().min(1).max(4096).optional(),
  /**
   * Match length override in sim seconds (default: the scenario's). Only used by the player who
   * creates the room; meant for short practice matches and tests.
   */
  durationSeconds: z.number().int().min(10).max(86_400).optional(),
  /**
   * A secret the client picks (16-128 of A-Z a-z 0-9 _ -) that reserves its seat: a name that joined
   * with a token can only be taken back (after a drop, a reload or a server restart) with the same
   * token. The server keeps only its sha256.
   */
  seatToken: z.string().regex(/^[A-Za-z0-9_-]{16,128}$/, { error: 'seatToken must be 16-128 of A-Z, a-z, 0-9, _ and -' }).optional(),
  /**
   * How the match is played (issue 8): `solo` (one player seat; 1-8 teams, bots may race on the
   * others), `coop` (exactly 1 team: one cluster for the whole team), `race` (2-8 teams, each its own
   * cluster from the same scenario, seed and incident schedule; a live scoreboard), `redblue` (exactly
   * 2 teams). Default: `race` with `teams` >= 2, else `coop`; `teams` defaults to 2 for race/redblue,
   * else 1. Used by the creator; also a matchmaking filter: `joinOrCreate('match', { scenario, mode })`
   * only lands in a match of that scenario and mode (quick-play).
   */
  mode: z.enum(MATCH_MODES, { error: `mode must be one of ${MATCH_MODES.join(', ')}` }).optional(),
  /**
   * Roles enforced by the server (default false; creator only): `commander`, `operations` (the only
   * role that changes the cluster), `communications` and `planning` (files follow-ups), Google SRE
   * Book ch. 14.
   */
  roles: z.boolean().optional(),
  /**
   * Start in the lobby (default false: the match runs at once, as before): no ticks and no actions
   * until the host (the first player who joined) or a trainer sends `lobby` op `start`. Creator only.
   */
  lobby: z.boolean().optional(),
  /** The role asked for (matches with roles; a returning player keeps theirs). Change it later with `lobby` op `role`. */
  role: z.enum(PLAYER_ROLES, { error: `role must be one of ${PLAYER_ROLES.join(', ')}` }).optional(),
  /** Watch without acting: a spectator sees every team's cluster and the scoreboard, read-only. */
  spectator: z.boolean().optional(),
  /**
   * Server-side bots (issue 8 "empty seats can be filled by bots"; creator only, ignored for later
   * joiners): a level (`'novice'`: one bot of that level on each team no person asked for, i.e. every
   * team but the creator's) or a list of seats `[{ team, level }]` (at most 16). Each bot is a player
   * named `bot-LEVEL-TEAM` (`-2`, `-3`... for a second one), flagged `bot` in `players`, playing in the
   * room from what a player of its team sees (server/rooms/bots.ts).
   */
  bots: z
    .union([botLevel, z.array(BotSeat).max(16, { error: 'at most 16 bots' })], { error: `bots must be a bot level (${BOT_LEVEL_NAMES.join(', ')}) or a list of { team, level }` })
    .optional(),
  /**
   * A workshop's join code (issue 10; `GET /api/workshops/by-code/CODE` gives its `roomId`): required
   * to join a workshop's room (`joinById(roomId, { workshop: CODE, ... })`), any case. In a workshop
   * room players are placed on teams by the workshop (`teamChoice` `auto`: balanced, the trainer moves
   * them; `players`: the `team` option or the lobby's `team` op), and only the workshop's trainer may
   * join with `trainer: true`.
   */
  workshop: z.string().trim().min(1).max(32).optional(),
});
/** Validated join options (the output of {@link JoinOptions}). */
export type JoinOptions = z.infer<typeof JoinOptions>;

const name = z.string().min(1).max(253);
const quantity = z.string().regex(/^[0-9.]+[a-zA-Z]{0,2}$/, { error: 'expected a Kubernetes quantity such as 500m, 0.5, 256Mi or 1Gi' });

const metadataKind = z.enum(['Pod', 'Node', 'Deployment', 'Service']);
/** Label/annotation changes (a list, not a record: keys are untrusted); values up to 256 KiB like the API server's annotation limit. */
const metadataChanges = z.array(z.strictObject({ key: z.string().min(1).max(317), value: z.string().max(262144).nullable() })).min(1).max(64);

/** A structured player action (what a click produces). Mirrors `SimAction` in shared/sim/types.ts. */
export const ActionMessage = z.discriminatedUnion('type', [
  /** `kubectl delete pod NAME [--grace-period=N] [--force]`: `gracePeriodSeconds` 0..3600 sim seconds overrides the Pod's own. */
  z.strictObject({ type: z.literal('deletePod'), pod: name, force: z.boolean().optional(), gracePeriodSeconds: z.number().int().min(0, { error: 'gracePeriodSeconds must be 0 to 3600' }).max(3600, { error: 'gracePeriodSeconds must be 0 to 3600' }).optional() }),
  z.strictObject({ type: z.literal('scaleDeployment'), deployment: name, replicas: z.number().int().min(0).max(1000), kind: z.literal('StatefulSet').optional() }),
  z.strictObject({ type: z.literal('rolloutUndo'), deployment: name, toRevision: z.number().int().min(1).optional(), kind: z.enum(['StatefulSet', 'DaemonSet']).optional() }),
  z.strictObject({ type: z.literal('rolloutRestart'), deployment: name, kind: z.enum(['StatefulSet', 'DaemonSet']).optional() }),
  z.strictObject({ type: z.literal('setImage'), deployment: name, container: name.optional(), image: z.string().min(1).max(512), kind: z.enum(['StatefulSet', 'DaemonSet']).optional() }),
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
  z.strictObject({ type: z.literal('adminCommand'), command: z.enum(['etcdctl-compact', 'etcdctl-defrag', 'etcdctl-alarm-disarm', 'kubeadm-control-plane', 'kubeadm-kubelet-cert', 'containerd-restart', 'kubeadm-certs-renew']), arg: z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/).max(253).optional() }),
  z.strictObject({ type: z.literal('label'), kind: metadataKind, name, labels: metadataChanges }),
  z.strictObject({ type: z.literal('annotate'), kind: metadataKind, name, annotations: metadataChanges }),
  z.strictObject({
    type: z.literal('taintNode'),
    node: name,
    taints: z.array(z.strictObject({ key: z.string().min(1).max(317), value: z.string().max(63).optional(), effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']) })).max(64),
  }),
  z.strictObject({ type: z.literal('createDeployment'), manifest: z.string().min(1).max(65536) }),
  z.strictObject({ type: z.literal('createService'), manifest: z.string().min(1).max(65536) }),
  z.strictObject({ type: z.literal('deleteDeployment'), deployment: name, propagation: z.enum(['Background', 'Foreground', 'Orphan']).optional() }),
  /**
   * (issue 11) `kubectl delete KIND NAME [--cascade=...]` of a kind without its own delete action
   * (shared/sim/actions/objects.ts): `name` bare or `namespace/name` (or `namespace` apart).
   */
  z.strictObject({
    type: z.literal('deleteObject'),
    kind: z.enum(DELETABLE_KINDS, { error: `kind must be one of ${DELETABLE_KINDS.join(', ')}` }),
    name,
    namespace: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/).max(63).optional(),
    propagationPolicy: z.enum(['Background', 'Foreground', 'Orphan']).optional(),
  }),
  /** (issue 11) `kubectl create -f` / `apply -f` of a new PDB, ResourceQuota, LimitRange, Job, CronJob, StatefulSet or DaemonSet: one object's YAML or JSON. */
  z.strictObject({ type: z.literal('createObject'), manifest: z.string().min(1).max(65536) }),
  /** (added, issue 6) `kubectl apply -f` of an existing LimitRange, Job, CronJob, StatefulSet, DaemonSet, ConfigMap or Secret: the desired object's YAML or JSON. */
  z.strictObject({ type: z.literal('applyObject'), manifest: z.string().min(1).max(65536), removeLabels: z.array(z.string().min(1).max(317)).max(64).optional(), removeAnnotations: z.array(z.string().min(1).max(317)).max(64).optional() }),
  z.strictObject({ type: z.literal('patchObject'), kind: z.enum(['PodDisruptionBudget', 'ResourceQuota']), name, patch: z.string().min(2).max(65536) }),
  z.strictObject({ type: z.literal('autoscale'), deployment: name, maxReplicas: z.number().int().min(1).max(1000), minReplicas: z.number().int().min(1).max(1000).optional(), cpuPercent: z.number().int().min(1).max(10000).optional(), name: name.optional() }),
  z.strictObject({ type: z.literal('patchAutoscaler'), hpa: name, maxReplicas: z.number().int().min(1).max(1000).optional(), minReplicas: z.number().int().min(1).max(1000).optional(), cpuPercent: z.number().int().min(1).max(10000).optional() }),
  z.strictObject({ type: z.literal('pauseRollout'), deployment: name, paused: z.boolean() }),
  z.strictObject({ type: z.literal('nodeOperation'), op: z.enum(['reboot', 'replace']), node: name }),
  z.strictObject({ type: z.literal('etcdMember'), op: z.enum(['add', 'remove']), member: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/).max(63), peerUrl: z.string().regex(/^https?:\/\/\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}:\d{1,5}$/).optional() }),
  z.strictObject({
    type: z.literal('setEnv'),
    deployment: name,
    container: name.optional(),
    env: z.array(z.strictObject({ name: z.string().min(1).max(256), value: z.string().max(32768).nullable() })).min(1).max(64),
  }),
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

/** Kinds a client may focus on (`focus` message). */
export const FOCUS_KINDS = ['Node', 'Deployment', 'Service'] as const;
/** A focusable kind. */
export type FocusKind = (typeof FOCUS_KINDS)[number];

/**
 * Client -> server messages. Every message type carries an optional `id` (string or number, echoed in
 * the `reply`) so clients can match answers to questions.
 * - `kubectl`: a command line, e.g. `kubectl get pods` or `kubectl rollout undo deployment/frontend`.
 * - `action`: a structured action (clicks, bots).
 * - `control`: trainer only: pause, resume, set the speed (sim seconds per real second), or `inject` an
 *   incident into a team's cluster now (`team`, default the trainer's own; `incident`).
 * - `lobby`: the lobby (see {@link LobbyMessage}): `{ op: 'team', value: 'red' }` moves to a team and
 *   `{ op: 'ready', value?: boolean }` (default true) readies up, both only while the match is in
 *   phase `lobby`; `{ op: 'role', value: 'operations' }` picks a role (matches with roles, until the
 *   end); `{ op: 'start', value?: boolean }` starts the match (host or trainer; refused until every
 *   seated player is ready unless `value` is true: force). Answered with the usual `reply`; each
 *   accepted change is also broadcast as a {@link NoticeMessage}. Spectators are refused.
 * - `focus`: what the player looks at (the selected Node, Deployment or Service, by its map key; no
 *   `kind` = nothing). In large clusters only the focused object's Pods are sent (server/rooms/views.ts).
 */
export const ClientMessages = {
  kubectl: z.strictObject({ id: z.union([z.string().max(64), z.number()]).optional(), command: z.string().min(1).max(1000) }),
  action: z.strictObject({ id: z.union([z.string().max(64), z.number()]).optional(), action: ActionMessage }),
  control: z.strictObject({
    id: z.union([z.string().max(64), z.number()]).optional(),
    op: z.enum(CONTROL_OPS, { error: `op must be one of ${CONTROL_OPS.join(', ')}` }),
    timeDilation: z.number().min(0.25).max(120).optional(),
    /**
     * `inject`: the team whose cluster gets it (default: the trainer's own team); `message`: the team
     * that gets it (default: everyone); `move`: the team the player moves to.
     */
    team: z.string().regex(/^[a-z0-9-]{1,16}$/, { error: 'team must be 1-16 of a-z, 0-9, -' }).optional(),
    /**
     * `inject`: start the incident this many sim seconds from now (a timer on the team's sim clock;
     * absent or 0: now). Players never see a pending injection; the trainer gets the list (`workshop`
     * message op `plan`).
     */
    atSeconds: z.number().int({ error: 'atSeconds must be whole sim seconds' }).min(0, { error: 'atSeconds must be 0 to 86400 sim seconds' }).max(86_400, { error: 'atSeconds must be 0 to 86400 sim seconds' }).optional(),
    /** `message`: the text, 1-500 characters, no control characters. */
    text: z.string().trim().min(1, { error: 'text must not be empty' }).max(500, { error: 'text is at most 500 characters' }).regex(/^\P{Cc}*$/u, { error: 'text must not hold control characters' }).optional(),
    /** `message`: `hint` or `message` (default `message`). */
    kind: z.enum(['hint', 'message'], { error: 'kind must be hint or message' }).optional(),
    /** `move`: the name of the player to move (to `team`). */
    player: z.string().trim().min(1).max(32).optional(),
    /** `inject`: the incident. */
    incident: InjectIncident.optional(),
    /**
     * `inject` (issue 7), instead of `incident`: a chaos experiment as YAML text (Chaos Mesh objects or a
     * LitmusChaos ChaosEngine), translated server-side by shared/chaos into catalog incidents that start
     * now; `appinfo` fills a ChaosEngine's empty `appinfo`.
     */
    manifest: z.string().min(1).max(65_536).optional(),
    appinfo: z.strictObject({ appns: z.string().min(1).max(63).optional(), applabel: z.string().min(1).max(253).optional(), appkind: z.string().min(1).max(32).optional() }).optional(),
  }),
  focus: z.union([
    z.strictObject({
      id: z.union([z.string().max(64), z.number()]).optional(),
      kind: z.enum(FOCUS_KINDS),
      /** Map key: a Node's name, or `namespace/name`. */
      key: z.string().min(1).max(507),
    }),
    z.strictObject({ id: z.union([z.string().max(64), z.number()]).optional() }),
  ]),
  lobby: z.discriminatedUnion('op', [
    z.strictObject({ id: z.union([z.string().max(64), z.number()]).optional(), op: z.literal('team'), value: z.string().regex(/^[a-z0-9-]{1,16}$/, { error: 'team must be 1-16 of a-z, 0-9, -' }) }),
    z.strictObject({ id: z.union([z.string().max(64), z.number()]).optional(), op: z.literal('role'), value: z.enum(PLAYER_ROLES, { error: `role must be one of ${PLAYER_ROLES.join(', ')}` }) }),
    z.strictObject({ id: z.union([z.string().max(64), z.number()]).optional(), op: z.literal('ready'), value: z.boolean().optional() }),
    z.strictObject({ id: z.union([z.string().max(64), z.number()]).optional(), op: z.literal('start'), value: z.boolean().optional() }),
  ], { error: 'op must be one of team, role, ready, start' }),
  workflow: z.lazy(() => WorkflowMessage),
  /**
   * Red vs blue (mode `redblue`): the attacking side launches a catalog incident of `kind` against the
   * defending team's cluster (`target` in the kind's syntax: a Deployment `name` or `namespace/name`, a
   * Node name, etcd members `etcd-1,etcd-2`; absent: the kind's default target). Costs chaos points and
   * starts the kind's cooldown (shared/game/chaos.ts `attack`).
   */
  chaos: z.strictObject({
    id: z.union([z.string().max(64), z.number()]).optional(),
    kind: z.string().min(1).max(64),
    target: z.string().max(253).optional(),
  }),
  /**
   * Seat a server-side bot of `level` on `team` (the host or a trainer; until the match ends). The
   * reply names it (`bot-expert-red`); see the join option `bots`.
   */
  bot: z.strictObject({ id: z.union([z.string().max(64), z.number()]).optional(), team: teamId, level: botLevel }),
  /**
   * A console command that reads standard input (issue 7; shared/kubectl/apply.ts): `kubectl apply -f -`
   * / `apply -f FILE` / `create -f -` with the pasted YAML as `stdin` (one or more documents, up to
   * 64 KiB), or `kubectl edit TYPE NAME` (no `stdin`: the reply's `output` is the object's YAML to
   * edit; with `stdin`: the edited text, applied as the changed fields). The reply's `output` (or
   * `error`, when a document failed) holds kubectl's lines in order (`deployment.apps/web configured`).
   * Frames of this type may be up to 80 KiB (server/http/colyseus.ts `MAX_STDIN_MESSAGE_BYTES`).
   */
  stdin: z.strictObject({
    id: z.union([z.string().max(64), z.number()]).optional(),
    command: z.string().min(1).max(1000),
    stdin: z.string().max(65_536, { error: 'stdin is at most 65536 characters' }).optional(),
  }),
} as const;
/** A validated `focus` message: `{ id?, kind, key }`, or `{ id? }` to clear the focus. */
export type FocusMessage = z.infer<typeof ClientMessages.focus>;
/** A validated `lobby` message (see {@link ClientMessages}): `{ id?, op: 'team'|'role'|'ready'|'start', value? }`. */
export type LobbyMessage = z.infer<typeof ClientMessages.lobby>;
/** Message types a client may send: `kubectl`, `action`, `control`, `focus`, `lobby`, `workflow`, `chaos`, `bot`, `stdin`. */
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

/**
 * Server -> one client, right after it joined (`room.onMessage('credentials', ...)`): its bearer token
 * for the team cluster's Kubernetes API (`/k8s/MATCH/TEAM/...`, server/k8s). `GET kubeconfigPath` with
 * `Authorization: Bearer TOKEN` returns a kubeconfig YAML. The token is revoked when the session leaves.
 */
export interface CredentialsMessage {
  token: string;
  matchId: string;
  /** The player's team (its cluster is the kubeconfig's current context). */
  team: string;
  /** `/k8s/kubeconfig`, relative to the server's origin. */
  kubeconfigPath: string;
}

/**
 * Server -> every client (`room.onMessage('notice', ...)`): something happened to the roster, said in
 * one line naming the player: `ann joined team blue`, `sam is watching (spectator)`, `ann left`,
 * `ann lost connection (seat kept 60 s)`, `bob moved to team red`, `bob is operations`,
 * `bob is ready`, `ann started the match`.
 */
export interface NoticeMessage {
  /** Sim seconds elapsed when it happened (the state's `t`). */
  t: number;
  text: string;
  /** Name of the player it is about (absent for the system). */
  player?: string;
  /** A trainer's `control` op `message` (issue 10): `hint` or `message`; absent for roster notices. */
  kind?: 'hint' | 'message';
  /** With `kind`: the trainer who sent it. */
  from?: string;
  /** With `kind`: the team it was sent to (absent: everyone). */
  team?: string;
}

/** A trainer's pending timed injection (`control` op `inject` with `atSeconds`), as the trainer sees it. */
export interface PendingInjectionView {
  /** Incident id it will get. */
  id: string;
  team: string;
  type: string;
  target: string;
  /** Team sim second it starts at. */
  atSeconds: number;
  /** The trainer who planned it. */
  player: string;
}

/**
 * Server -> client `workshop` messages (issue 10):
 * - `{ op: 'next', roomId }` (everyone): the workshop's next match is in room `roomId`; join it with
 *   the same `workshop` code (and the same token);
 * - `{ op: 'plan', pending }` (trainers only, on join and whenever it changes): the timed injections
 *   not started yet, by start time.
 */
export type WorkshopMessage = { op: 'next'; roomId: string } | { op: 'plan'; pending: PendingInjectionView[] };

/** Server -> client broadcast when the match ends (`room.onMessage('matchEnded', ...)`). */
export interface MatchEndedMessage {
  matchId: string;
  summary: import('./sim/types.ts').MatchSummary;
  players: { name: string; team: string; score: number }[];
  /**
   * Red vs blue only: both teams' totals, best first (`defence` + `attack` = `total`, points; burns as
   * fractions of the half's error budget; `rank` 1 = winner). See docs/scoring.md "Red vs blue".
   */
  redBlue?: ChaosTotal[];
}

/**
 * Server -> the clients of one team of a red-vs-blue match (`room.onMessage('chaos', ...)`), whenever
 * what it shows changes (join, an attack, half time, the end): `attacking` with `info` for the side
 * attacking now (budget, allowed kinds with cost, cooldown and `readyAt` in sim seconds, default target,
 * the defender's targets, its attacks); `attacking: false` and `info: null` for the defending side,
 * which sees only the symptoms on its own cluster.
 */
export interface ChaosMessage {
  attacking: boolean;
  /** 1 or 2; the team attacking now. */
  half: 1 | 2;
  attacker: string;
  /** Sim seconds when this was sent (the cooldowns' `cooldownLeft` are as of then; `readyAt` stays true). */
  t: number;
  info: (Omit<ChaosSideInfo, 'kinds'> & { kinds: (ChaosSideInfo['kinds'][number] & { readyAt: number })[] }) | null;
}

// ---------------------------------------------------------------------------------------------------
// Projected state (what the room's Schema holds; plain-data view for clients). The fields are declared
// once in shared/view/fields.ts; these types derive from it.
// ---------------------------------------------------------------------------------------------------

/** `MatchState.phase`. */
export type MatchPhase = (typeof MATCH_PHASES)[number];

/** A Node (shared/sim `Node`), keyed by name in {@link TeamView.nodes}; see `NODE_VIEW` for fields and units. */
export type NodeView = ViewOf<typeof NODE_VIEW>;
/** A Pod, keyed `namespace/name` in {@link TeamView.pods}; see `POD_VIEW`. */
export type PodView = ViewOf<typeof POD_VIEW>;
/** A Deployment, keyed `namespace/name`; see `DEPLOYMENT_VIEW`. */
export type DeploymentView = ViewOf<typeof DEPLOYMENT_VIEW>;
/** A Service and its traffic over the last tick, keyed `namespace/name`; see `SERVICE_VIEW`. */
export type ServiceView = ViewOf<typeof SERVICE_VIEW>;
/** kube-system's Pods of one owner by display status (`TeamView.system`); see `SYSTEM_VIEW`. */
export type SystemPodsView = ViewOf<typeof SYSTEM_VIEW>;
/** One etcd member: up or down, and whether it is the Raft leader. */
export type EtcdMemberView = ViewOf<typeof ETCD_MEMBER_VIEW>;
/** kube-apiserver, kube-scheduler or kube-controller-manager: healthy unless etcd lost quorum. */
export type ComponentView = ViewOf<typeof COMPONENT_VIEW>;
/** The user-facing Service's SLOs; see `SLO_VIEW`. */
export type SloView = ViewOf<typeof SLO_VIEW>;
/** A burn-rate alert firing now (SRE Workbook ch. 5 multi-window tiers). */
export type AlertView = ViewOf<typeof ALERT_VIEW>;
/** A `kubectl get events` row. */
export type EventView = ViewOf<typeof EVENT_VIEW>;
/** An incident players have seen strike. */
export type IncidentView = ViewOf<typeof INCIDENT_VIEW>;
/**
 * One team's cluster as the client sees it: `TEAM_VIEW`'s fields plus its Pods (sent apart, in
 * `MatchState.teamDetail`, and put back here by the client mirror). Namespaced maps are keyed
 * `namespace/name` (`objectKey`), Nodes by name.
 */
export type TeamView = Omit<ViewOf<typeof TEAM_VIEW>, 'nodes' | 'deployments' | 'services' | 'system'> & {
  nodes: Map<string, NodeView>;
  deployments: Map<string, DeploymentView>;
  services: Map<string, ServiceView>;
  /** kube-system's Pods per owner (`coredns`, `kube-proxy`, `control-plane`), keyed by the owner; see `SYSTEM_VIEW`. */
  system: Map<string, SystemPodsView>;
  pods: Map<string, PodView>;
};

/** A player, keyed by Colyseus `sessionId` in {@link MatchStateView.players}. */
export type PlayerView = ViewOf<typeof PLAYER_VIEW>;
/** A row of `MatchStateView.scoreboard` (best first). */
export type ScoreRowView = ViewOf<typeof SCORE_ROW_VIEW>;
/** The root state (`room.state`) as the client mirror returns it: teams carry their Pods. */
export type MatchStateView = Omit<ViewOf<typeof MATCH_STATE_VIEW>, 'teams' | 'teamDetail'> & { teams: Map<string, TeamView> };

export { objectKey, nameOfKey } from './view/fields.ts';

// ---------------------------------------------------------------------------------------------------
// The incident workflow (issue 8): `workflow` messages (shared/game/workflow.ts `applyWorkflow`)
// ---------------------------------------------------------------------------------------------------

const messageId = z.union([z.string().max(64), z.number()]).optional();
/** A neutral incident label as the view shows it (`incident-1`). */
const incidentLabel = z.string().regex(/^incident-[1-9][0-9]{0,3}$/, { error: 'incident must be a label such as incident-1' });
/** One line of player text: 1..N printable characters (trimmed). */
const line = (max: number) =>
  z
    .string()
    .trim()
    .min(1, { error: 'must not be empty' })
    .max(max, { error: `at most ${max} characters` })
    .regex(/^\P{Cc}*$/u, { error: 'no control characters' });

/**
 * `workflow`: the team's incident workflow (roles enforced when the match plays with roles):
 * - `ack` (commander): acknowledge a page (`page`: `page-N`; without it, every unacknowledged page);
 * - `declare` (commander): declare an incident, `severity` `SEV1`..`SEV3`, one-line `summary` (<= 120);
 * - `update` (communications): a status update to stakeholders, `text` (<= 280);
 * - `resolve` (commander): mark a declared incident (`incident`: `inc-N`, default the latest open)
 *   `mitigated` or `resolved` (`stage`, default `resolved`);
 * - `hint` (commander): reveal the cause of one incident (`incident`: its label `incident-N`) for points;
 * - `answer` (anyone, after the match ended): the postmortem question, the root cause (`choice`: an
 *   incident kind among the incident's `options`) of `incident` (its label);
 * - `followup` (planning): file a follow-up, `text` (<= 200): an action item, bug or handoff, `fu-N`,
 *   listed in the postmortem's action items (SRE Book ch. 14: planning files bugs, arranges handoffs).
 */
export const WorkflowMessage = z.discriminatedUnion('op', [
  z.strictObject({ id: messageId, op: z.literal('ack'), page: z.string().regex(/^page-[1-9][0-9]{0,4}$/, { error: 'page must be an id such as page-1' }).optional() }),
  z.strictObject({ id: messageId, op: z.literal('declare'), severity: z.enum(['SEV1', 'SEV2', 'SEV3']), summary: line(120) }),
  z.strictObject({ id: messageId, op: z.literal('update'), text: line(280) }),
  z.strictObject({
    id: messageId,
    op: z.literal('resolve'),
    incident: z.string().regex(/^inc-[1-9][0-9]{0,3}$/, { error: 'incident must be a declared id such as inc-1' }).optional(),
    stage: z.enum(['mitigated', 'resolved']).optional(),
  }),
  z.strictObject({ id: messageId, op: z.literal('hint'), incident: incidentLabel }),
  z.strictObject({ id: messageId, op: z.literal('answer'), incident: incidentLabel, choice: z.string().regex(/^[a-z][a-z0-9-]{0,63}$/, { error: 'choice must be an incident kind' }) }),
  z.strictObject({ id: messageId, op: z.literal('followup'), text: line(200) }),
]);
/** A validated `workflow` message. */
export type WorkflowMessage = z.infer<typeof WorkflowMessage>;

/** A registered username: 3-32 of `a-z 0-9 _ -` after lower-casing (names are case-insensitive). */
export const Username = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9_-]{3,32}$/, { error: 'username must be 3-32 of a-z, 0-9, _ and -' });

/** A password: 8-128 characters. */
export const Password = z.string().min(8, { error: 'password must be 8-128 characters' }).max(128, { error: 'password must be 8-128 characters' });

/** `POST /api/session/register` and `/api/session/login` bodies. */
export const Credentials = z.strictObject({ username: Username, password: Password });

/** `POST /api/session/guest` body: a display name like a join option's `name`. */
export const GuestRequest = z.strictObject({
  name: z.string().trim().min(1, { error: 'name is required' }).max(32, { error: 'name is at most 32 characters' }),
});

/**
 * What a session token says (its signed payload, HS256): `kind` `account` (a registered username,
 * lower-case) or `guest` (a display name, unique only against registered names); `name` is the
 * player's name in matches. Trainer rights are read from the account at each join, not from the token.
 */
export const SessionClaims = z.object({
  kind: z.enum(['account', 'guest']),
  name: z.string().min(1).max(32),
});
export type SessionClaims = z.infer<typeof SessionClaims>;

/** Answer of the session routes: the token to keep and send on join (`token` join option). */
export interface SessionResponse {
  token: string;
  name: string;
  kind: SessionClaims['kind'];
  trainer: boolean;
}

/** `GET /api/me`: who the bearer token says (401 without a valid one). */
export interface MeResponse {
  name: string;
  kind: SessionClaims['kind'];
  trainer: boolean;
}
