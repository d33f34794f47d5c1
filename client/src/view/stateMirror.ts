/**
 * Turns the Colyseus SDK's decoded room state (Schema instances with MapSchema / ArraySchema
 * collections) into plain {@link MatchStateView} snapshots the renderer can read without touching
 * Schema objects. Pure: works on anything shaped like the projected state (Schema instances, plain
 * objects, `Map`s, arrays), so it runs in Node tests without the SDK.
 *
 * It reads by the view definition's field lists (shared/view/fields.ts), so a field added there
 * reaches the client with no code here. Missing fields get each field's `fallback` (neutral: 0, '',
 * false, empty collections, or e.g. the usual SLO targets): a Schema field without a `.default()`
 * starts undefined until the first patch sets it (@colyseus/schema v5: a primitive field without `.default()` starts undefined).
 */
import type { MatchStateView, PodView, TeamView } from '../../../shared/protocol.ts';
import {
  DEPLOYMENT_WIRE,
  MATCH_STATE_VIEW,
  NODE_WIRE,
  POD_VIEW,
  SERVICE_WIRE,
  SYSTEM_WIRE,
  nameOfKey,
  namespaceOfKey,
  parseCounts,
  type Field,
  type Fields,
  type SplitView,
  type ViewDef,
  type ViewOf,
} from '../../../shared/view/fields.ts';

type Raw = Record<string, unknown>;

function obj(v: unknown): Raw {
  return v !== null && typeof v === 'object' ? (v as Raw) : {};
}
function num(v: unknown, fallback: number): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
}
function str(v: unknown): string {
  return typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v);
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

/** One field of the view definition read from raw data: missing or malformed -> the field's fallback. */
function readField(field: Field, v: unknown, key: string): unknown {
  switch (field.kind) {
    case 'string': {
      const s = str(v);
      if (field.values) return field.values.includes(s) ? s : field.fallback;
      if (s === '' && field.fromKey === true && key !== '') return nameOfKey(key);
      return s === '' ? field.fallback : s;
    }
    case 'number': {
      const n = num(v, field.fallback as number);
      if (field.digits === undefined) return n;
      const scale = 10 ** field.digits;
      return Math.round(n * scale) / scale;
    }
    case 'float':
      return num(v, field.fallback as number);
    case 'boolean':
      return typeof v === 'boolean' ? v : field.fallback;
    case 'counts':
      return typeof v === 'string' ? parseCounts(v) : new Map(entries(v).map(([k, n]) => [k, num(n, 0)] as [string, number]));
    case 'map': {
      const out = new Map<string, unknown>();
      for (const [k, value] of entries(v)) out.set(k, read(field.of, value, k));
      return out;
    }
    case 'array':
      return items(v).map((item) => read(field.of, item, ''));
    case 'ref':
      return read(field.of, v, '');
    case 'summaries':
      return new Map(entries(v).map(([k, s]) => [k, str(s)] as [string, string]));
  }
}

/** A plain view of `def` from raw data, field by field (the definition's list, in its order). */
function read<D extends ViewDef>(def: D, raw: unknown, key: string): ViewOf<D> {
  const r = obj(raw);
  const out: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(def.fields)) out[name] = readField(field, r[name], key);
  return out as ViewOf<D>;
}

/** `v[key]` of a MapSchema, `Map` or plain record. */
function lookup(v: unknown, key: string): unknown {
  if (v === null || typeof v !== 'object') return undefined;
  const mapLike = v as Partial<Map<string, unknown>>;
  if (typeof mapLike.get === 'function') return mapLike.get(key);
  return Object.hasOwn(v, key) ? (v as Raw)[key] : undefined;
}

/**
 * One object of a split view (shared/view/fields.ts `splitView`) read as one plain view: its summary
 * (always sent: the Pod-counts string; name and namespace come from the key) and its detail (when
 * visible; else its fields get their fallbacks). A state written by hand may give the whole object
 * as the summary record instead.
 */
function readSplit<F extends Fields, K extends keyof F & string>(split: SplitView<F, K>, summary: unknown, detail: unknown, key: string): ViewOf<ViewDef<F>> {
  const whole = typeof summary === 'string' ? {} : obj(summary);
  const d = detail === undefined ? whole : obj(detail);
  const merged: Raw = {};
  for (const name of Object.keys(split.view.fields)) merged[name] = d[name];
  if (split.counts !== undefined) merged[split.counts] = typeof summary === 'string' ? summary : whole[split.counts];
  if ('name' in split.view.fields) merged.name = whole.name ?? nameOfKey(key);
  if ('namespace' in split.view.fields) merged.namespace = whole.namespace ?? namespaceOfKey(key);
  return read(split.view, merged, key) as ViewOf<ViewDef<F>>;
}

function splitMap<F extends Fields, K extends keyof F & string>(split: SplitView<F, K>, summaries: unknown, details: unknown): Map<string, ViewOf<ViewDef<F>>> {
  const out = new Map<string, ViewOf<ViewDef<F>>>();
  for (const [key, value] of entries(summaries)) out.set(key, readSplit(split, value, lookup(details, key), key));
  return out;
}

/**
 * One plain snapshot of the room state.
 *
 * @param state `room.state` (Schema instance) or any object of the same shape.
 * @returns a fresh {@link MatchStateView}; maps are keyed as in the state and filled in key order.
 *   Each team's Pods and object detail (sent apart, in `teamDetail`) are put together with its
 *   summaries (Pods: empty when none is visible; a hand-written state may give the team's own `pods`).
 */
export function snapshotState(state: unknown): MatchStateView {
  const { teamDetail: _detail, teams, ...rest } = read(MATCH_STATE_VIEW, state, '');
  const root = obj(state);
  const withDetail = new Map<string, TeamView>();
  for (const [id, team] of teams) {
    const rawTeam = obj(lookup(root.teams, id));
    const detail = lookup(root.teamDetail, id);
    const rawDetail = obj(detail);
    const own = rawTeam.pods;
    const pods = detail !== undefined ? readPods(rawDetail.pods) : own === undefined ? new Map<string, PodView>() : readPods(own);
    withDetail.set(id, {
      ...team,
      nodes: splitMap(NODE_WIRE, rawTeam.nodes, rawDetail.nodes),
      deployments: splitMap(DEPLOYMENT_WIRE, rawTeam.deployments, rawDetail.deployments),
      services: splitMap(SERVICE_WIRE, rawTeam.services, rawDetail.services),
      system: splitMap(SYSTEM_WIRE, rawTeam.system, undefined),
      pods,
    });
  }
  return { ...rest, teams: withDetail };
}

/** Pods from raw data (a MapSchema, `Map` or record of Pod-shaped objects), keyed as given. */
export function readPods(raw: unknown): Map<string, PodView> {
  const out = new Map<string, PodView>();
  for (const [k, value] of entries(raw)) out.set(k, read(POD_VIEW, value, k));
  return out;
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
