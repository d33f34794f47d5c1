/**
 * Turns the Colyseus SDK's decoded room state (Schema instances with MapSchema / ArraySchema
 * collections) into plain {@link MatchStateView} snapshots the renderer can read without touching
 * Schema objects. Pure: works on anything shaped like the projected state (Schema instances, plain
 * objects, `Map`s, arrays), so it runs in Node tests without the SDK.
 *
 * Missing fields get neutral defaults (0, '', false, empty collections): a Schema field without a
 * `.default()` starts undefined until the first patch sets it (stack-notes, Schema v5).
 */
import type {
  AlertView,
  ComponentView,
  DeploymentView,
  EtcdMemberView,
  EventView,
  IncidentView,
  MatchPhase,
  MatchStateView,
  NodeView,
  PlayerView,
  PodView,
  ServiceView,
  SloView,
  TeamView,
} from '../../../shared/protocol.ts';

type Raw = Record<string, unknown>;

function obj(v: unknown): Raw {
  return v !== null && typeof v === 'object' ? (v as Raw) : {};
}
function num(v: unknown, fallback = 0): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
}
function str(v: unknown): string {
  return typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v);
}
function bool(v: unknown): boolean {
  return v === true;
}

/** Entries of a MapSchema, `Map` or plain record, sorted by key (never insertion order). */
function entries(v: unknown): [string, unknown][] {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return [];
  const out: [string, unknown][] = [];
  const mapLike = v as Partial<Map<unknown, unknown>>;
  if (typeof mapLike.forEach === 'function' && typeof mapLike.get === 'function') {
    mapLike.forEach((value, key) => out.push([String(key), value]));
  } else {
    for (const [k, value] of Object.entries(v)) out.push([k, value]);
  }
  return out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** Items of an ArraySchema, array or other iterable, in order. */
function items(v: unknown): unknown[] {
  if (v === null || typeof v !== 'object') return [];
  if (Array.isArray(v)) return v;
  if (typeof (v as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function') return Array.from(v as Iterable<unknown>);
  return [];
}

function mapOf<T>(v: unknown, convert: (raw: Raw, key: string) => T): Map<string, T> {
  const out = new Map<string, T>();
  for (const [key, value] of entries(v)) out.set(key, convert(obj(value), key));
  return out;
}

function node(r: Raw, key: string): NodeView {
  return {
    name: str(r.name) || key,
    zone: str(r.zone),
    status: str(r.status),
    ready: bool(r.ready),
    unschedulable: bool(r.unschedulable),
    cpuAllocatable: num(r.cpuAllocatable),
    cpuRequested: num(r.cpuRequested),
    memAllocatable: num(r.memAllocatable),
    memRequested: num(r.memRequested),
    podCount: num(r.podCount),
  };
}

function pod(r: Raw, key: string): PodView {
  return {
    name: str(r.name) || key,
    node: str(r.node),
    deployment: str(r.deployment),
    status: str(r.status) || 'Unknown',
    ready: bool(r.ready),
    restarts: num(r.restarts),
    image: str(r.image),
    memoryMiB: num(r.memoryMiB),
    memLimitMiB: num(r.memLimitMiB),
    createdAt: num(r.createdAt),
  };
}

function deployment(r: Raw, key: string): DeploymentView {
  return {
    name: str(r.name) || key,
    replicas: num(r.replicas),
    readyReplicas: num(r.readyReplicas),
    updatedReplicas: num(r.updatedReplicas),
    availableReplicas: num(r.availableReplicas),
    image: str(r.image),
    revision: num(r.revision),
    memoryLimit: str(r.memoryLimit),
  };
}

function service(r: Raw, key: string): ServiceView {
  return {
    name: str(r.name) || key,
    type: str(r.type) || 'ClusterIP',
    rps: num(r.rps),
    errorRate: num(r.errorRate),
    p99Ms: num(r.p99Ms),
    readyEndpoints: num(r.readyEndpoints),
    totalEndpoints: num(r.totalEndpoints),
  };
}

function slo(r: Raw): SloView {
  return {
    availability: num(r.availability, 1),
    availabilityTarget: num(r.availabilityTarget, 0.995),
    latency: num(r.latency, 1),
    latencyTarget: num(r.latencyTarget, 0.99),
    latencyThresholdMs: num(r.latencyThresholdMs),
    errorBudgetRemaining: num(r.errorBudgetRemaining, 1),
    latencyErrorBudgetRemaining: num(r.latencyErrorBudgetRemaining, 1),
    burnRate: num(r.burnRate),
    paging: bool(r.paging),
  };
}

function team(r: Raw, key: string): TeamView {
  return {
    id: str(r.id) || key,
    nodes: mapOf(r.nodes, node),
    pods: mapOf(r.pods, pod),
    deployments: mapOf(r.deployments, deployment),
    services: mapOf(r.services, service),
    etcd: items(r.etcd).map((m): EtcdMemberView => {
      const e = obj(m);
      return { name: str(e.name), healthy: bool(e.healthy), leader: bool(e.leader) };
    }),
    etcdQuorum: bool(r.etcdQuorum),
    components: items(r.components).map((c): ComponentView => {
      const e = obj(c);
      return { name: str(e.name), healthy: bool(e.healthy), message: str(e.message) };
    }),
    slo: slo(obj(r.slo)),
    alerts: items(r.alerts).map((a): AlertView => {
      const e = obj(a);
      return { id: str(e.id), severity: str(e.severity), slo: str(e.slo), since: num(e.since), summary: str(e.summary) };
    }),
    events: items(r.events).map((ev): EventView => {
      const e = obj(ev);
      return { seq: num(e.seq), t: num(e.t), type: str(e.type), reason: str(e.reason), kind: str(e.kind), name: str(e.name), message: str(e.message) };
    }),
    incidents: items(r.incidents).map((i): IncidentView => {
      const e = obj(i);
      return { id: str(e.id), type: str(e.type), title: str(e.title), status: str(e.status), startedAt: num(e.startedAt), mitigatedAt: num(e.mitigatedAt, -1) };
    }),
    score: num(r.score),
  };
}

const PHASES: readonly MatchPhase[] = ['running', 'paused', 'ended'];

/**
 * One plain snapshot of the room state.
 *
 * @param state `room.state` (Schema instance) or any object of the same shape.
 * @returns a fresh {@link MatchStateView}; maps are keyed as in the state and filled in key order.
 */
export function snapshotState(state: unknown): MatchStateView {
  const r = obj(state);
  const phase = PHASES.find((p) => p === r.phase) ?? 'running';
  return {
    matchId: str(r.matchId),
    scenarioId: str(r.scenarioId),
    scenarioTitle: str(r.scenarioTitle),
    phase,
    t: num(r.t),
    durationSeconds: num(r.durationSeconds),
    timeDilation: num(r.timeDilation, 1),
    players: mapOf(r.players, (p): PlayerView => ({
      name: str(p.name),
      team: str(p.team),
      trainer: bool(p.trainer),
      connected: p.connected === undefined ? true : bool(p.connected),
      actions: num(p.actions),
    })),
    teams: mapOf(r.teams, team),
  };
}

/**
 * The team a session plays for: its player's team when that team is in the state, else the first
 * team (by id) that has nodes, else the first team. Undefined when there is no team yet.
 */
export function teamOf(view: MatchStateView, sessionId: string): TeamView | undefined {
  const mine = view.players.get(sessionId)?.team;
  if (mine) {
    const t = view.teams.get(mine);
    if (t) return t;
  }
  const all = [...view.teams.values()];
  return all.find((t) => t.nodes.size > 0) ?? all[0];
}

/**
 * Keeps the latest snapshot of the room state and tells listeners when it changes.
 * Feed it from `room.onStateChange(state => mirror.update(state))`.
 */
export class StateMirror {
  /** Latest snapshot, or null before the first state arrived. */
  current: MatchStateView | null = null;
  /** Number of snapshots taken (0 before the first). */
  version = 0;
  readonly #listeners = new Set<(view: MatchStateView) => void>();

  /** Take a snapshot of `state`, store it and notify listeners. Returns the snapshot. */
  update(state: unknown): MatchStateView {
    const view = snapshotState(state);
    this.current = view;
    this.version++;
    for (const fn of this.#listeners) fn(view);
    return view;
  }

  /** Call `fn` after each update; returns a function that removes it. */
  subscribe(fn: (view: MatchStateView) => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  /** The current team of `sessionId` (see {@link teamOf}). */
  team(sessionId: string): TeamView | undefined {
    return this.current ? teamOf(this.current, sessionId) : undefined;
  }
}
