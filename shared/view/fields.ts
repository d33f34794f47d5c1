/**
 * The view definition: every field the room projects to clients, declared ONCE, with its wire type,
 * its default and the value a client assumes when it is missing. Everything else derives from it:
 * - the Colyseus Schema classes (server/rooms/schema.ts, `schemaFor(def)`),
 * - the protocol's plain-data view types (`ViewOf<typeof NODE_VIEW>`, re-exported by shared/protocol.ts
 *   as `NodeView`, `PodView`...), which the client uses,
 * - the projection's assign tables (server/rooms/projection.ts: one compute function per field, the
 *   compiler rejects a missing or extra one),
 * - the client mirror (client/src/view/stateMirror.ts reads by the same field lists).
 *
 * Units (kept from the first protocol): CPU in millicores, memory in MiB, traffic in requests/s,
 * latency in ms, times in sim seconds, fractions 0..1. Wire kinds: `number` is `t.number()`
 * (integers as 1-5 byte varints, exactly; a fraction as float32 when that is within 1e-4, else
 * float64): counts, millicores, MiB, sim seconds (integers: `tickSeconds` is a whole number) and
 * `decimal(d)` values already rounded to `d` digits (the client mirror rounds the float32 back);
 * `float` is `t.float64()`, for fractions shown to 4 decimals (float32 would turn 0.99 into
 * 0.9900000095). In a `sparse` view (Nodes, Pods, Deployments, Services: the many objects) a scalar
 * whose default equals its fallback is not sent while it has that value (the Schema field is then
 * undefined and the mirror fills in the default): a Pod in `default` with no restarts costs no bytes
 * for those; nor does a `fromKey` name the map key already gives (`default/web` -> `web`). Pod
 * counts by status travel as one string (`Pending=1,Running=3`, sorted).
 *
 * Summary and detail: Nodes, Deployments and Services are split on the wire ({@link splitView}): a
 * summary every client of the team gets (`TEAM_VIEW`'s maps of strings: key -> Pod counts, the key
 * giving name and namespace) and the rest as detail (`TEAM_DETAIL_VIEW`, with the Pods), which a
 * large cluster sends only for what a client looks at (server/rooms/views.ts). Clients see one
 * `NodeView` per Node either way (the mirror merges the two; detail fields read as their fallbacks
 * while not sent).
 *
 * Map keys: namespaced objects (Pods, Deployments, Services) are keyed `namespace/name`
 * ({@link objectKey}) and carry `name` and `namespace`; Nodes are cluster-scoped and keyed by name
 * (the change log's keys, shared/sim/changelog.ts). Players are keyed by Colyseus `sessionId`, teams
 * by team id.
 *
 * Pure data: imports nothing, so the browser bundle can import it.
 */

/** Wire kinds of a scalar field: `number` = `t.number()`, `float` = `t.float64()`. */
export type ScalarKind = 'string' | 'number' | 'float' | 'boolean';

/** A scalar field: wire kind, the Schema default, the client's value when missing. */
export interface ScalarField<K extends ScalarKind = ScalarKind, V = unknown> {
  readonly kind: K;
  /** The Schema's `.default()` (a field without one starts undefined: stack notes, Schema v5). */
  readonly default: V;
  /** What the client mirror assumes when the field is missing or malformed. */
  readonly fallback: V;
  /** The client mirror uses the entry's key (its name part) when the field is empty. */
  readonly fromKey?: boolean;
  /** Allowed values of a string field (a TypeScript union); others read as `fallback`. */
  readonly values?: readonly string[];
  /** A `number` rounded to this many decimals by the projection (the mirror rounds the wire value back). */
  readonly digits?: number;
}
/** Counts by label (`Map<string, number>` for clients; on the wire one string `A=1,B=2`, sorted), e.g. Pods by display status. */
export interface CountsField {
  readonly kind: 'counts';
}
/** A map of child views keyed by string; `view`: visible only to StateViews holding the entries. */
export interface MapField<D extends ViewDef = ViewDef> {
  readonly kind: 'map';
  readonly of: D;
  readonly view: boolean;
}
/** An ordered list of child views. */
export interface ArrayField<D extends ViewDef = ViewDef> {
  readonly kind: 'array';
  readonly of: D;
}
/** One child view. */
export interface RefField<D extends ViewDef = ViewDef> {
  readonly kind: 'ref';
  readonly of: D;
}
/**
 * The summaries of a split view (see {@link splitView}), keyed like the detail: on the wire a map of
 * strings, each the object's Pod counts (`Running=3`) or '' (its name and namespace are its key).
 */
export interface SummariesField {
  readonly kind: 'summaries';
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any split view
  readonly of: SplitView<any, any>;
}
/** Any field. */
export type Field = ScalarField | CountsField | MapField | ArrayField | RefField | SummariesField;
/** Fields of a view by name, in wire order. */
export type Fields = Readonly<Record<string, Field>>;

/** A named view (the Schema class name on the wire) and its fields. */
export interface ViewDef<F extends Fields = Fields> {
  readonly name: string;
  readonly fields: F;
  /** Scalars equal to their default (when it is also their fallback) are not sent. */
  readonly sparse?: boolean;
}

/** True when `field` of `def` is left undefined on the wire while it equals its default. */
export function isSparse(def: ViewDef, field: Field): boolean {
  return def.sparse === true && field.kind !== 'counts' && 'default' in field && field.default === field.fallback;
}

/** Counts as their wire string: `Pending=1,Running=3` (keys sorted; '' for none). */
export function formatCounts(counts: ReadonlyMap<string, number> | undefined): string {
  if (!counts || counts.size === 0) return '';
  return [...counts.keys()]
    .sort()
    .map((k) => `${k}=${counts.get(k)}`)
    .join(',');
}
/** The counts of a wire string (see {@link formatCounts}); malformed parts are skipped. */
export function parseCounts(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const part of text.split(',')) {
    const i = part.lastIndexOf('=');
    const n = Number(part.slice(i + 1));
    if (i > 0 && Number.isFinite(n)) out.set(part.slice(0, i), n);
  }
  return out;
}

/** Field builders. */
export const f = {
  string: (opts: { default?: string; fallback?: string; fromKey?: boolean } = {}): ScalarField<'string', string> => ({
    kind: 'string',
    default: opts.default ?? '',
    fallback: opts.fallback ?? opts.default ?? '',
    ...(opts.fromKey ? { fromKey: true } : {}),
  }),
  /** A string restricted to `values` (a union type for clients). */
  oneOf: <const V extends readonly string[]>(values: V, def: V[number]): ScalarField<'string', V[number]> => ({ kind: 'string', default: def, fallback: def, values }),
  /** An integer (count, millicores, MiB). */
  int: (def = 0, fallback = def): ScalarField<'number', number> => ({ kind: 'number', default: def, fallback }),
  /** Sim seconds (whole numbers; a fraction would arrive within 1e-4 s). */
  seconds: (def = 0): ScalarField<'number', number> => ({ kind: 'number', default: def, fallback: def }),
  /** A value the projection rounds to `digits` decimals (0.1 requests/s, 0.1 ms, 0.1 MiB). */
  decimal: (digits: number, def = 0): ScalarField<'number', number> => ({ kind: 'number', default: def, fallback: def, digits }),
  /** A float64: fractions shown to 4 decimals, factors. */
  float: (def = 0, fallback = def): ScalarField<'float', number> => ({ kind: 'float', default: def, fallback }),
  boolean: (def = false, fallback = def): ScalarField<'boolean', boolean> => ({ kind: 'boolean', default: def, fallback }),
  counts: (): CountsField => ({ kind: 'counts' }),
  map: <D extends ViewDef>(of: D, opts: { view?: boolean } = {}): MapField<D> => ({ kind: 'map', of, view: opts.view === true }),
  array: <D extends ViewDef>(of: D): ArrayField<D> => ({ kind: 'array', of }),
  ref: <D extends ViewDef>(of: D): RefField<D> => ({ kind: 'ref', of }),
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any split view
  summaries: <S extends SplitView<any, any>>(of: S): SummariesField & { of: S } => ({ kind: 'summaries', of }),
} as const;

/** Declare a view: `name` is the Schema class name on the wire; `sparse`: see {@link ViewDef.sparse}. */
export function defineView<const F extends Fields, const O extends { sparse?: boolean } = { sparse?: false }>(name: string, fields: F, opts?: O): ViewDef<F> & O {
  return (opts?.sparse === true ? { name, fields, sparse: true } : { name, fields }) as ViewDef<F> & O;
}

/** The plain-data value of one field (what clients read). */
export type ValueOf<X> =
  X extends ScalarField<ScalarKind, infer V>
    ? V
    : X extends CountsField
      ? Map<string, number>
      : X extends MapField<infer D>
        ? Map<string, ViewOf<D>>
        : X extends ArrayField<infer D>
          ? ViewOf<D>[]
          : X extends RefField<infer D>
            ? ViewOf<D>
            : X extends SummariesField
              ? Map<string, string>
              : never;
/** The plain-data shape of a view: one property per field. */
export type ViewOf<D> = D extends ViewDef<infer F> ? { -readonly [K in keyof F]: ValueOf<F[K]> } : never;
/** The scalar fields of a view (what a projection assigns per object). */
export type ScalarKeys<D> = D extends ViewDef<infer F> ? { [K in keyof F]: F[K] extends ScalarField | CountsField ? K : never }[keyof F] & string : never;

/**
 * A view split for the wire: a summary every client of the team gets (`name`, `namespace`: from the
 * key; `counts`: the one counts field, if any) and the `detail` (every other field).
 */
export interface SplitView<F extends Fields, K extends keyof F & string> {
  /** The client's plain view (all fields). */
  readonly view: ViewDef<F> & { sparse: true };
  /** The summary's fields: the key-derived `name`/`namespace` and {@link SplitView.counts}. */
  readonly summaryKeys: readonly K[];
  /** The counts field sent as the summary's value, if any. */
  readonly counts: (K & string) | undefined;
  readonly detail: ViewDef<Omit<F, K>> & { sparse: true };
}

/**
 * Split a sparse view in two for the wire: the summary (in `TEAM_VIEW`'s maps, always sent: one
 * string per object, its counts) and the detail (in `TEAM_DETAIL_VIEW`'s maps, sent for what a client
 * looks at in large clusters; Schema class `<name>Detail`).
 *
 * @param summaryKeys `name`, `namespace` (both read from the key) and at most one counts field.
 * @throws Error when a summary key is anything else.
 */
export function splitView<F extends Fields, const K extends keyof F & string>(view: ViewDef<F> & { sparse: true }, summaryKeys: readonly K[]): SplitView<F, K> {
  const detail: Record<string, Field> = Object.create(null);
  let counts: K | undefined;
  for (const [k, field] of Object.entries(view.fields)) {
    if (!(summaryKeys as readonly string[]).includes(k)) detail[k] = field;
    else if (field.kind === 'counts') counts = k as K;
    else if (k !== 'name' && k !== 'namespace') throw new Error(`${view.name}.${k}: a summary holds name, namespace and one counts field`);
  }
  return { view, summaryKeys, counts, detail: { name: `${view.name}Detail`, fields: detail, sparse: true } as unknown as ViewDef<Omit<F, K>> & { sparse: true } };
}

/** The namespace part of a map key (`shop/web` -> `shop`; a bare name: `default`). */
export function namespaceOfKey(key: string): string {
  const i = key.indexOf('/');
  return i < 0 ? 'default' : key.slice(0, i);
}

/** Key of a namespaced object in the view's maps: `namespace/name` (e.g. `default/frontend`). */
export function objectKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}
/** The name part of a map key (`default/frontend` -> `frontend`; a Node's key is its name). */
export function nameOfKey(key: string): string {
  return key.slice(key.indexOf('/') + 1);
}
/** `name === nameOfKey(key)`, without building the name part. */
export function isNameOfKey(name: string, key: string): boolean {
  return key.length - name.length === key.indexOf('/') + 1 && key.endsWith(name);
}

// ---------------------------------------------------------------------------------------------------
// The fields (order = wire order)
// ---------------------------------------------------------------------------------------------------

/** Pods of a Node or Deployment by display status (`Running`, `Pending`, `CrashLoopBackOff`...). */
const podsByStatus = f.counts();

/**
 * A Node (cluster-scoped, keyed by name). `status`: `Ready`, `NotReady` or `Unknown` (kubectl
 * STATUS) with `,SchedulingDisabled` when cordoned; `unschedulable`: cordoned (`spec.unschedulable`);
 * allocatable and requested CPU (millicores) and memory (MiB); `podCount` bound Pods;
 * `podsByStatus` those Pods by display status.
 */
export const NODE_VIEW = defineView('NodeView', {
  name: f.string({ fromKey: true }),
  zone: f.string(),
  status: f.string(),
  ready: f.boolean(),
  unschedulable: f.boolean(),
  cpuAllocatable: f.int(),
  cpuRequested: f.int(),
  memAllocatable: f.int(),
  memRequested: f.int(),
  podCount: f.int(),
  podsByStatus,
}, { sparse: true });

/**
 * A Pod, keyed `namespace/name`. `node`: Node name ('' while unscheduled); `deployment`: owning
 * Deployment's name in the same namespace ('' if none); `status`: kubectl STATUS (Running, Pending,
 * ContainerCreating, OOMKilled, CrashLoopBackOff, Terminating...); `ready`: the Ready condition (a
 * Ready pod receives Service traffic); `restarts`: sum of its containers' restartCount; `image`: the
 * first container's; working-set memory and limit in MiB (limit 0 = none); `createdAt` sim second.
 */
export const POD_VIEW = defineView('PodView', {
  name: f.string({ fromKey: true }),
  namespace: f.string({ default: 'default' }),
  node: f.string(),
  deployment: f.string(),
  status: f.string({ fallback: 'Unknown' }),
  ready: f.boolean(),
  restarts: f.int(),
  image: f.string(),
  memoryMiB: f.decimal(1),
  memLimitMiB: f.int(),
  createdAt: f.seconds(),
}, { sparse: true });

/**
 * A Deployment, keyed `namespace/name`: desired `replicas` and the counts kubectl shows (READY,
 * UP-TO-DATE, AVAILABLE); the template's first container's image and memory limit (e.g. `256Mi`,
 * '' if none); `revision` = `deployment.kubernetes.io/revision` (0 before the first rollout);
 * `podsByStatus` its Pods by display status.
 */
export const DEPLOYMENT_VIEW = defineView('DeploymentView', {
  name: f.string({ fromKey: true }),
  namespace: f.string({ default: 'default' }),
  replicas: f.int(),
  readyReplicas: f.int(),
  updatedReplicas: f.int(),
  availableReplicas: f.int(),
  image: f.string(),
  revision: f.int(),
  memoryLimit: f.string(),
  podsByStatus,
}, { sparse: true });

/**
 * A Service, keyed `namespace/name`, and its traffic over the last tick: `type` (`ClusterIP`,
 * `NodePort`, `LoadBalancer`, `ExternalName`), requests/s, failed share 0..1, p99 latency in ms,
 * endpoints that receive traffic (Ready, not terminating) and all of them.
 */
export const SERVICE_VIEW = defineView('ServiceView', {
  name: f.string({ fromKey: true }),
  namespace: f.string({ default: 'default' }),
  type: f.string({ default: 'ClusterIP' }),
  rps: f.decimal(1),
  errorRate: f.float(),
  p99Ms: f.decimal(1),
  readyEndpoints: f.int(),
  totalEndpoints: f.int(),
}, { sparse: true });

/** One etcd member: up or down, and whether it is the Raft leader. */
export const ETCD_MEMBER_VIEW = defineView('EtcdMemberView', {
  name: f.string(),
  healthy: f.boolean(),
  leader: f.boolean(),
});

/** kube-apiserver, kube-scheduler or kube-controller-manager: healthy unless etcd lost quorum. */
export const COMPONENT_VIEW = defineView('ComponentView', {
  name: f.string(),
  healthy: f.boolean(true, false),
  message: f.string(),
});

/**
 * The user-facing Service's SLOs (SRE Workbook; kubernetes-behaviour.md §9): SLIs since match start
 * (fractions) and their targets, the latency threshold (ms), error budget remaining (fraction of the
 * budget: 1 untouched, < 0 overspent), the availability burn rate (error ratio / (1 - SLO)) over the
 * fast page tier's short window, and whether any page alert fires.
 */
export const SLO_VIEW = defineView('SloView', {
  availability: f.float(1),
  availabilityTarget: f.float(0, 0.995),
  latency: f.float(1),
  latencyTarget: f.float(0, 0.99),
  latencyThresholdMs: f.float(),
  errorBudgetRemaining: f.float(1),
  latencyErrorBudgetRemaining: f.float(1),
  burnRate: f.float(),
  paging: f.boolean(),
});

/** A burn-rate alert firing now (SRE Workbook ch. 5): id (`availability-page-fast`), `page`/`ticket`, the SLO, since (sim s). */
export const ALERT_VIEW = defineView('AlertView', {
  id: f.string(),
  severity: f.string(),
  slo: f.string(),
  since: f.seconds(),
  summary: f.string(),
});

/** A row of the events feed: a `kubectl get events` row, one of the game's notices (a pager alert, an incident marker: shared/sim/notices.ts; not a Kubernetes Event), or a player's action between them: the feed's total order `seq` (Events and notices in the order written), sim second `t`, `Normal`/`Warning`, the object's kind and name. */
export const EVENT_VIEW = defineView('EventView', {
  seq: f.int(),
  t: f.seconds(),
  type: f.string(),
  reason: f.string(),
  kind: f.string(),
  name: f.string(),
  message: f.string(),
  /** The player of an action row (the game's action log: an empty reason, the object acted on, the kubectl command as message); '' for a cluster Event or a notice. */
  source: f.string(),
});

/**
 * An incident players have seen strike (scheduled ones are not shown): `active`/`mitigated`, when it
 * struck and when it was mitigated (sim seconds; -1 while not mitigated). The cause is hidden while
 * the match runs (issue 8: players diagnose from symptoms): `id` is then its neutral `label`
 * (`incident-1`, ... in start order), `type` is '' and `title` is `Unknown cause`. Once `revealed`
 * (the match ended, or the team bought a hint for it) they are the cluster's id, the kind
 * (`memory-leak`, `bad-rollout`...) and the title (the scenario's, else the kind's).
 * After the match: `options` are the postmortem question's root-cause choices (incident kinds,
 * comma-separated, sorted), `answer` the kind the team picked ('' none yet) and `correct` whether it
 * was the cause.
 */
export const INCIDENT_VIEW = defineView('IncidentView', {
  id: f.string(),
  type: f.string(),
  title: f.string(),
  status: f.string(),
  startedAt: f.seconds(),
  mitigatedAt: f.seconds(-1),
  label: f.string(),
  revealed: f.boolean(),
  options: f.string(),
  answer: f.string(),
  correct: f.boolean(),
});

/**
 * A page (SRE Workbook ch. 5: a page-severity burn-rate alert that started firing), `page-N` in firing
 * order: the alert id, when it fired and when it was acknowledged (sim seconds; -1 while not) and by whom.
 */
export const PAGE_VIEW = defineView('PageView', {
  id: f.string(),
  alert: f.string(),
  firedAt: f.seconds(),
  acked: f.boolean(),
  ackedAt: f.seconds(-1),
  ackedBy: f.string(),
});

/**
 * An incident the team declared (`inc-N`, SRE Book ch. 14): severity `SEV1`..`SEV3`, summary, who and
 * when (sim seconds), when the team marked it mitigated and resolved (-1 while not).
 */
export const DECLARED_VIEW = defineView('DeclaredView', {
  id: f.string(),
  severity: f.oneOf(['SEV1', 'SEV2', 'SEV3'], 'SEV3'),
  summary: f.string(),
  declaredAt: f.seconds(),
  declaredBy: f.string(),
  mitigatedAt: f.seconds(-1),
  resolvedAt: f.seconds(-1),
});

/** A status update the team posted to its stakeholders: sim second, author, text. */
export const STATUS_UPDATE_VIEW = defineView('StatusUpdateView', {
  t: f.seconds(),
  by: f.string(),
  text: f.string(),
});

/**
 * A follow-up the team's planning role filed (SRE Book ch. 14: an action item, bug or handoff for
 * after the incident): `fu-N`, sim second, author, text.
 */
export const FOLLOW_UP_VIEW = defineView('FollowUpView', {
  id: f.string(),
  t: f.seconds(),
  by: f.string(),
  text: f.string(),
});

/** The namespace whose Pods the view aggregates by owner ({@link SYSTEM_VIEW}). */
export const SYSTEM_NAMESPACE = 'kube-system';

/**
 * The cluster's own Pods (namespace {@link SYSTEM_NAMESPACE}) counted per owner, keyed by the owner's
 * name: `coredns` (the Deployment), `kube-proxy` (the DaemonSet), `control-plane` (the control-plane
 * static Pods' mirrors: etcd, kube-apiserver, kube-controller-manager, kube-scheduler on each host);
 * another owner by its name, a Pod without one by its own name. `podsByStatus`: those Pods by display
 * status (`Running=12`). A kube-system Pod is in the team's Pods (with its detail) only while it is
 * unhealthy (not Running and Ready, or restarted within the last 300 sim seconds): a healthy control
 * plane costs one summary string per owner (server/rooms/projection.ts).
 */
export const SYSTEM_VIEW = defineView('SystemView', {
  name: f.string({ fromKey: true }),
  podsByStatus,
}, { sparse: true });

/** Nodes on the wire: name and Pod counts always, the rest as detail. */
export const NODE_WIRE = splitView(NODE_VIEW, ['name', 'podsByStatus']);
/** Deployments on the wire: name, namespace and Pod counts always, the rest as detail. */
export const DEPLOYMENT_WIRE = splitView(DEPLOYMENT_VIEW, ['name', 'namespace', 'podsByStatus']);
/** Services on the wire: name and namespace always, traffic as detail. */
export const SERVICE_WIRE = splitView(SERVICE_VIEW, ['name', 'namespace']);
/** kube-system Pods per owner on the wire: the summary only (name from the key, the Pod counts); no detail. */
export const SYSTEM_WIRE = splitView(SYSTEM_VIEW, ['name', 'podsByStatus']);

/**
 * One team's cluster: Nodes, Deployments, Services (maps of their summaries, see the file comment),
 * etcd members and quorum (floor(n/2)+1 healthy; false = the API server cannot write), control-plane
 * components, SLOs, firing alerts, the last 50 events (oldest first), visible incidents, the team's
 * score (passed in by the game layer), and its incident workflow (issue 8): pages, declared incidents,
 * status updates (last 20), hints bought and the points a hint costs. Its Pods and the objects' detail are in
 * {@link TEAM_DETAIL_VIEW}: the client mirror puts them together into `TeamView`.
 */
export const TEAM_VIEW = defineView('TeamView', {
  id: f.string({ fromKey: true }),
  nodes: f.summaries(NODE_WIRE),
  deployments: f.summaries(DEPLOYMENT_WIRE),
  services: f.summaries(SERVICE_WIRE),
  /** kube-system's Pods counted per owner ({@link SYSTEM_VIEW}); the unhealthy ones are also in the Pods. */
  system: f.summaries(SYSTEM_WIRE),
  etcd: f.array(ETCD_MEMBER_VIEW),
  etcdQuorum: f.boolean(true, false),
  components: f.array(COMPONENT_VIEW),
  slo: f.ref(SLO_VIEW),
  alerts: f.array(ALERT_VIEW),
  events: f.array(EVENT_VIEW),
  incidents: f.array(INCIDENT_VIEW),
  score: f.float(),
  pages: f.array(PAGE_VIEW),
  declared: f.array(DECLARED_VIEW),
  updates: f.array(STATUS_UPDATE_VIEW),
  hints: f.int(),
  hintCost: f.int(),
  followups: f.array(FOLLOW_UP_VIEW),
});

/**
 * A team's Pods and the detail of its Nodes, Deployments and Services (same keys as their summaries),
 * apart from the rest of the team so a client can see some of them: each entry is sent only to
 * StateViews holding it (server/rooms/views.ts: all of them in small clusters; in large ones the
 * focused Node's, Deployment's or Service's detail and Pods).
 */
export const TEAM_DETAIL_VIEW = defineView('TeamDetailView', {
  pods: f.map(POD_VIEW, { view: true }),
  nodes: f.map(NODE_WIRE.detail, { view: true }),
  deployments: f.map(DEPLOYMENT_WIRE.detail, { view: true }),
  services: f.map(SERVICE_WIRE.detail, { view: true }),
});

/** A player, keyed by Colyseus `sessionId`: may they pause/resume/change speed (trainer), still connected (else may reconnect for 60 s), actions accepted; lobby: id, role, spectator, ready. */
export const PLAYER_VIEW = defineView('PlayerView', {
  name: f.string(),
  team: f.string(),
  trainer: f.boolean(),
  connected: f.boolean(true),
  actions: f.int(),
  /** The match player id (`p1`, `p2`... in join order; {@link MATCH_STATE_VIEW}'s `host` is one). */
  id: f.string(),
  /** Role when the match plays with roles (`commander`, `operations`, `communications`, `planning`); '' = none (or roles off). */
  role: f.oneOf(['', 'commander', 'operations', 'communications', 'planning'] as const, ''),
  /** Watches without acting (sees every team). */
  spectator: f.boolean(),
  /** Ready in the lobby (phase `lobby`). */
  ready: f.boolean(),
  /** A built-in bot the server seated and plays (join option `bots`, message `bot`); false for people. */
  bot: f.boolean(),
});

/** One row of the live scoreboard: the team, its score (points), its rank (1 = best; by score descending, ties by team id). */
export const SCORE_ROW_VIEW = defineView('ScoreRow', {
  team: f.string(),
  score: f.float(),
  rank: f.int(),
});

/** `MatchState.phase`. */
export const MATCH_PHASES = ['lobby', 'running', 'paused', 'ended'] as const;

/**
 * The root state (`room.state`): sim seconds elapsed and match length, sim seconds per real second,
 * players, and per team its cluster and its Pods. A team's entries are visible only to StateViews
 * holding them: that team's clients, and trainers (all teams).
 */
export const MATCH_STATE_VIEW = defineView('MatchState', {
  matchId: f.string(),
  scenarioId: f.string(),
  scenarioTitle: f.string(),
  phase: f.oneOf(MATCH_PHASES, 'running'),
  t: f.seconds(),
  durationSeconds: f.seconds(),
  timeDilation: f.float(0, 1),
  /** How the match is played (`solo`, `coop`, `race`, `redblue`; shared/game `MatchMode`). */
  mode: f.oneOf(['solo', 'coop', 'race', 'redblue'] as const, 'coop'),
  /** Roles enforced (only `operations` changes the cluster). */
  roles: f.boolean(),
  /** Player id of the host (who may start the match from the lobby; shared/game `hostOf`), '' for none. */
  host: f.string(),
  /** Every team's score, best first: visible to everyone (players of every team and spectators). */
  scoreboard: f.array(SCORE_ROW_VIEW),
  players: f.map(PLAYER_VIEW),
  teams: f.map(TEAM_VIEW, { view: true }),
  teamDetail: f.map(TEAM_DETAIL_VIEW, { view: true }),
});
