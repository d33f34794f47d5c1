/**
 * Events as the API serves them, in both of their API groups, from the sim's correlated event log
 * (shared/sim/events.ts: one log entry per occurrence, the newest entry of a series carrying its
 * `count` and `firstT`):
 *
 * - One Event object per series ({@link latestOfSeries}), named as client-go's recorders name it,
 *   `INVOLVED.HEX` with HEX the first occurrence's Unix nanoseconds in hex (sim epoch; the nanoseconds
 *   within the second are a hash of the series, so two series of one object starting in the same sim
 *   second get different names), stable while the series repeats; a repeat is the same object with a
 *   new resourceVersion (the event's `seq`), so a watch sees it as MODIFIED.
 * - Who recorded it decides its shape, as in a real cluster: kube-scheduler reports `Scheduled` and
 *   `FailedScheduling` through the events.k8s.io API (client-go tools/events, since v1.19): `eventTime`
 *   (MicroTime) of the first occurrence, `series {count, lastObservedTime}` once repeated, `action`
 *   (`Binding`, `Scheduling`), `reportingController`/`reportingInstance`, no deprecated fields. Every
 *   other component (kubelet, controllers, players' actions, the game's annotations) uses the legacy
 *   recorder (client-go tools/record): `count`, `firstTimestamp`, `lastTimestamp`, `source.component`,
 *   `reportingComponent`, `eventTime: null`.
 * - core/v1 (`/api/v1/.../events`) and events.k8s.io/v1 (`/apis/events.k8s.io/v1/.../events`) are two
 *   views of the same objects (same names, uids, resourceVersions), converted field by field as the API
 *   server converts them (kubernetes pkg/apis/events/v1/conversion.go: `message` -> `note`,
 *   `involvedObject` -> `regarding`, `reportingComponent` -> `reportingController`, `source` ->
 *   `deprecatedSource`, `count`/`firstTimestamp`/`lastTimestamp` -> `deprecatedCount`/
 *   `deprecatedFirstTimestamp`/`deprecatedLastTimestamp`).
 * - Table rows: the API server's event printer for both groups (kubernetes
 *   pkg/printers/internalversion/printers.go `printEvent`, always wide on the server): LAST SEEN
 *   (`series.lastObservedTime`, else `lastTimestamp`), TYPE, REASON, OBJECT (`kind/name`), SUBOBJECT,
 *   SOURCE (`component[, instance]`), MESSAGE, FIRST SEEN (`firstTimestamp`, else `eventTime`), COUNT
 *   (`series.count`, else `count`, at least 1), NAME.
 *
 * Units: sim seconds; stamps from the sim epoch (moved to wall-clock time by ./served.ts).
 *
 * May import: shared/sim (read only: kinds, events, names, print, types), ./resources.ts (types).
 */
import { KINDS } from '../../shared/sim/kinds/index.ts';
import { humanDuration } from '../../shared/sim/kinds/print.ts';
import { latestOfSeries, seriesKey } from '../../shared/sim/events.ts';
import { simTimestamp } from '../../shared/sim/names.ts';
import type { SimEvent, SimState } from '../../shared/sim/types.ts';
import type { ColumnDef, Entry, Resource } from './resources.ts';

/** Unix seconds of sim second 0. */
const EPOCH_S = Date.parse(simTimestamp(0)) / 1000;

/** Reasons kube-scheduler records through the events.k8s.io API, with their `action`. */
const NEW_API_ACTIONS: ReadonlyMap<string, string> = new Map([
  ['Scheduled', 'Binding'],
  ['FailedScheduling', 'Scheduling'],
]);

/** The `action` of an event recorded through events.k8s.io (kube-scheduler's), else undefined (legacy recorder). */
function newApiAction(e: SimEvent): string | undefined {
  return e.source === 'default-scheduler' ? NEW_API_ACTIONS.get(e.reason) : undefined;
}

/** 32-bit FNV-1a of a string. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** The Event object's name for the series `e` belongs to (see the module doc). */
export function eventName(e: SimEvent): string {
  const nanos = BigInt(EPOCH_S + Math.max(0, Math.floor(e.firstT))) * 1_000_000_000n + BigInt(fnv1a(seriesKey(e)) % 1_000_000_000);
  return `${e.object.name}.${nanos.toString(16)}`;
}

/** A MicroTime (`2024-01-01T00:00:05.250000Z`) of sim second `t`. */
function microTime(t: number): string {
  const micros = Math.min(999_999, Math.round((t - Math.floor(t)) * 1e6));
  return `${simTimestamp(t).slice(0, -1)}.${String(micros).padStart(6, '0')}Z`;
}

/** The uid of the object an event is about, when it still exists (kubectl describe selects events by it). */
function involvedUid(state: SimState, e: SimEvent): string | undefined {
  const def = KINDS.find((k) => k.kind === e.object.kind);
  if (!def) return undefined;
  const key = def.namespaced ? `${e.object.namespace || 'default'}/${e.object.name}` : e.object.name;
  return def.store(state)[key]?.metadata.uid;
}

/** `default-scheduler-HOST`: HOST = the control-plane node kube-scheduler's mirror Pod runs on (kube-system `kube-scheduler-HOST`). */
function schedulerInstance(state: SimState, controller: string): string {
  for (const key of Object.keys(state.pods)) {
    if (key.startsWith('kube-system/kube-scheduler-')) return `${controller}-${key.slice('kube-system/kube-scheduler-'.length)}`;
  }
  return controller;
}

/** The core/v1 Event of the series whose newest entry is `e`. */
export function coreEventApi(state: SimState, e: SimEvent): Record<string, unknown> {
  const ns = e.object.namespace || 'default';
  const def = KINDS.find((k) => k.kind === e.object.kind);
  const involved: Record<string, unknown> = { kind: e.object.kind, name: e.object.name };
  if (def?.namespaced !== false) involved['namespace'] = ns;
  if (def) involved['apiVersion'] = def.apiVersion;
  const uid = involvedUid(state, e);
  if (uid !== undefined) involved['uid'] = uid;
  const name = eventName(e);
  const action = newApiAction(e);
  const metadata = { name, namespace: ns, uid: `event-${name.slice(name.lastIndexOf('.') + 1)}`, resourceVersion: String(e.seq), creationTimestamp: simTimestamp(e.firstT) };
  if (action !== undefined) {
    // Recorded through events.k8s.io: what the core/v1 view of such an Event carries.
    const out: Record<string, unknown> = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata,
      involvedObject: involved,
      reason: e.reason,
      message: e.message,
      source: {},
      firstTimestamp: null,
      lastTimestamp: null,
      type: e.type,
      eventTime: microTime(e.firstT),
      action,
      reportingComponent: e.source,
      reportingInstance: schedulerInstance(state, e.source),
    };
    if (e.count > 1) out['series'] = { count: e.count, lastObservedTime: microTime(e.t) };
    return out;
  }
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata,
    involvedObject: involved,
    reason: e.reason,
    message: e.message,
    source: { component: e.source },
    firstTimestamp: simTimestamp(e.firstT),
    lastTimestamp: simTimestamp(e.t),
    count: e.count,
    type: e.type,
    eventTime: null,
    reportingComponent: e.source,
    reportingInstance: '',
  };
}

/**
 * The events.k8s.io/v1 Event of a core/v1 one (kubernetes pkg/apis/events/v1/conversion.go
 * `Convert_core_Event_To_v1_Event`; Go's `omitempty` drops a zero count, not the null timestamps).
 */
export function eventsV1Api(core: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    metadata: core['metadata'],
    eventTime: core['eventTime'] ?? null,
  };
  if (core['series'] !== undefined) out['series'] = core['series'];
  out['reportingController'] = core['reportingComponent'];
  out['reportingInstance'] = core['reportingInstance'];
  if (core['action'] !== undefined) out['action'] = core['action'];
  out['reason'] = core['reason'];
  out['regarding'] = core['involvedObject'];
  out['note'] = core['message'];
  out['type'] = core['type'];
  out['deprecatedSource'] = core['source'];
  out['deprecatedFirstTimestamp'] = core['firstTimestamp'] ?? null;
  out['deprecatedLastTimestamp'] = core['lastTimestamp'] ?? null;
  if (typeof core['count'] === 'number' && core['count'] !== 0) out['deprecatedCount'] = core['count'];
  return out;
}

/** The event printer's SOURCE: `component[, instance]` (printers.go formatEventSource). */
function sourceCell(state: SimState, e: SimEvent): string {
  if (newApiAction(e) === undefined) return e.source;
  return `${e.source}, ${schedulerInstance(state, e.source)}`;
}

/** The event printer's columns (TableColumnDefinitions as printers.go names them; priority 1 = `-o wide`; COUNT's cells are integers). */
const EVENT_COLUMNS: readonly ColumnDef[] = [
  { name: 'Last Seen', description: 'Time since the last occurrence.' },
  { name: 'Type', description: 'Type of this event (Normal, Warning).' },
  { name: 'Reason', description: 'Why the action was taken, short and machine-understandable.' },
  { name: 'Object', description: 'The object this event is about.' },
  { name: 'Subobject', description: 'The part of the object this event is about (fieldPath).', wide: true },
  { name: 'Source', description: 'The component reporting this event.', wide: true },
  { name: 'Message', description: 'A human-readable description of the status of this operation.' },
  { name: 'First Seen', description: 'Time since the first occurrence.', wide: true },
  { name: 'Count', description: 'The number of times this event has occurred.', wide: true },
  { name: 'Name', description: 'Name of the Event object.', wide: true },
].map((c): ColumnDef => ({ name: c.name, type: 'string', format: c.name === 'Name' ? 'name' : '', description: c.description, priority: c.wide ? 1 : 0 }));

/** Table cells of an event (see the module doc). */
function cells(state: SimState, e: SimEvent): (string | number)[] {
  const o = e.object;
  return [humanDuration(state.t - e.t), e.type, e.reason, o.name === '' ? o.kind.toLowerCase() : `${o.kind.toLowerCase()}/${o.name}`, '', sourceCell(state, e), e.message.trim(), humanDuration(state.t - e.firstT), Math.max(1, e.count), eventName(e)];
}

function byNamespaceThenName(a: Entry, b: Entry): number {
  if (a.namespace !== b.namespace) return a.namespace < b.namespace ? -1 : 1;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

function entryOf(state: SimState, e: SimEvent, v1: boolean): Entry {
  return {
    name: eventName(e),
    namespace: e.object.namespace || 'default',
    labels: {},
    api: () => (v1 ? eventsV1Api(coreEventApi(state, e)) : coreEventApi(state, e)),
    cells: () => cells(state, e),
  };
}

function inNamespace(e: SimEvent, ns: string | null): boolean {
  return ns === null || (e.object.namespace || 'default') === ns;
}

function eventResource(group: '' | 'events.k8s.io'): Resource {
  const v1 = group !== '';
  return {
    group,
    version: 'v1',
    kind: 'Event',
    plural: 'events',
    singular: 'event',
    namespaced: true,
    shortNames: v1 ? [] : ['ev'],
    categories: [],
    verbs: ['get', 'list', 'watch'],
    subresources: [],
    columns: EVENT_COLUMNS,
    entries(state, ns) {
      const out: Entry[] = [];
      for (const e of latestOfSeries(state.events)) if (inNamespace(e, ns)) out.push(entryOf(state, e, v1));
      return out.sort(byNamespaceThenName);
    },
    lookup: () => undefined,
    eventsSince(state, seq, ns) {
      const events = state.events;
      let i = events.length;
      while (i > 0 && events[i - 1]!.seq > seq) i--;
      if (i === events.length) return { entries: [], lastSeq: seq };
      // The newest entry of each series among the fresh ones, in order.
      const fresh = latestOfSeries(events.slice(i)).filter((e) => inNamespace(e, ns));
      return { entries: fresh.map((e) => entryOf(state, e, v1)), lastSeq: events.at(-1)!.seq };
    },
  };
}

/** core/v1 Events (`kubectl get events`, `kubectl events`, `kubectl describe`'s Events). */
export const coreEventResource: Resource = eventResource('');
/** events.k8s.io/v1 Events (`kubectl get events.v1.events.k8s.io`, client-node's EventsV1Api). */
export const eventsV1Resource: Resource = eventResource('events.k8s.io');
