/**
 * The compact field description the OpenAPI documents are generated from lives in
 * shared/kubectl/openapiFields.ts (pure data), so the players' console's `kubectl explain` reads the same
 * descriptions as the API's `/openapi/v3` (real kubectl's explain). Re-exported here for ./openapi.ts,
 * with what only this API serves: the core/v1 Event's fields of events recorded through the
 * events.k8s.io API (`eventTime`, `series`, `action`, `reportingComponent`, `reportingInstance`) and
 * the events.k8s.io/v1 group (./events.ts), descriptions from the API reference.
 *
 * May import: shared/kubectl/openapiFields.ts.
 */
import { PACKAGES as SHARED, type PackageSpec } from '../../shared/kubectl/openapiFields.ts';

export type { DefSpec, PackageSpec } from '../../shared/kubectl/openapiFields.ts';

const API_VERSION = 'string|APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values.';
const KIND = 'string|Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase.';
const METADATA = "ObjectMeta|Standard object's metadata.";

/** core/v1 Event fields the shared description leaves out. */
const CORE_EVENT_EXTRA: Record<string, string> = {
  eventTime: 'MicroTime|Time when this Event was first observed.',
  series: 'EventSeries|Data about the Event series this event represents or nil if it\'s a singleton Event.',
  action: 'string|What action was taken/failed regarding to the Regarding object.',
  reportingComponent: 'string|Name of the controller that emitted this Event, e.g. `kubernetes.io/kubelet`.',
  reportingInstance: 'string|ID of the controller instance, e.g. `kubelet-xyzf`.',
};

const CORE_EVENT_SERIES = {
  d: 'EventSeries contain information on series of events, i.e. thing that was/is happening continuously for some time.',
  f: { count: 'integer|Number of occurrences in this series up to the last heartbeat time', lastObservedTime: 'MicroTime|Time of the last occurrence observed' },
};

/** events.k8s.io/v1 (kubernetes api/events/v1/types.go). */
const EVENTS_V1: PackageSpec = {
  pkg: 'io.k8s.api.events.v1',
  defs: {
    Event: {
      d: 'Event is a report of an event somewhere in the cluster. It generally denotes some state change in the system. Events have a limited retention time and triggers and messages may evolve with time. Event consumers should not rely on the timing of an event with a given Reason reflecting a consistent underlying trigger, or the continued existence of events with that Reason. Events should be treated as informative, best-effort, supplemental data.',
      required: ['eventTime'],
      f: {
        apiVersion: API_VERSION,
        kind: KIND,
        metadata: METADATA,
        eventTime: 'MicroTime|eventTime is the time when this Event was first observed. It is required.',
        series: 'EventSeries|series is data about the Event series this event represents or nil if it\'s a singleton Event.',
        reportingController: 'string|reportingController is the name of the controller that emitted this Event, e.g. `kubernetes.io/kubelet`. This field cannot be empty for new Events.',
        reportingInstance: 'string|reportingInstance is the ID of the controller instance, e.g. `kubelet-xyzf`. This field cannot be empty for new Events and it can have at most 128 characters.',
        action: 'string|action is what action was taken/failed regarding to the regarding object. It is machine-readable. This field cannot be empty for new Events and it can have at most 128 characters.',
        reason: 'string|reason is why the action was taken. It is human-readable. This field cannot be empty for new Events and it can have at most 128 characters.',
        regarding: "ObjectReference|regarding contains the object this Event is about. In most cases it's an Object reporting controller implements, e.g. ReplicaSetController implements ReplicaSets and this event is emitted because it acts on some changes in a ReplicaSet object.",
        related: "ObjectReference|related is the optional secondary object for more complex actions. E.g. when regarding object triggers a creation or deletion of related object.",
        note: 'string|note is a human-readable description of the status of this operation. Maximal length of the note is 1kB, but libraries should be prepared to handle values up to 64kB.',
        type: 'string|type is the type of this event (Normal, Warning), new types could be added in the future. It is machine-readable. This field cannot be empty for new Events.',
        deprecatedSource: 'EventSource|deprecatedSource is the deprecated field assuring backward compatibility with core.v1 Event type.',
        deprecatedFirstTimestamp: 'Time|deprecatedFirstTimestamp is the deprecated field assuring backward compatibility with core.v1 Event type.',
        deprecatedLastTimestamp: 'Time|deprecatedLastTimestamp is the deprecated field assuring backward compatibility with core.v1 Event type.',
        deprecatedCount: 'integer|deprecatedCount is the deprecated field assuring backward compatibility with core.v1 Event type.',
      },
      gvk: ['events.k8s.io', 'v1', 'Event'],
    },
    EventSeries: {
      d: 'EventSeries contain information on series of events, i.e. thing that was/is happening continuously for some time. How often to update the EventSeries is up to the event reporters. The default event reporter in "k8s.io/client-go/tools/events/event_broadcaster.go" shows how this struct is updated on heartbeats and can guide customized reporter implementations.',
      required: ['count', 'lastObservedTime'],
      f: { count: 'integer|count is the number of occurrences in this series up to the last heartbeat time.', lastObservedTime: 'MicroTime|lastObservedTime is the time when last Event from the series was seen before last heartbeat.' },
    },
  },
};

/** The shared packages (core/v1's Event completed) and events.k8s.io/v1. */
export const PACKAGES: readonly PackageSpec[] = [
  ...SHARED.map((p): PackageSpec => {
    if (p.pkg !== 'io.k8s.api.core.v1' || p.defs['Event'] === undefined) return p;
    const event = p.defs['Event'];
    return { pkg: p.pkg, defs: { ...p.defs, Event: { ...event, f: { ...event.f, ...CORE_EVENT_EXTRA } }, EventSeries: CORE_EVENT_SERIES } };
  }),
  EVENTS_V1,
];
