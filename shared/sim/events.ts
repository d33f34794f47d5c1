/**
 * The event recorder: the sim's `kubectl get events`. Reasons follow Kubernetes' own
 * (`Scheduled`, `Pulling`, `Started`, `Killing`, `BackOff`, `Unhealthy`, `FailedScheduling`, ...).
 */
import type { SimEvent, SimState } from './types.ts';

/** Who reported the event: kubelet, default-scheduler, deployment-controller, `player:NAME`... */
export type EventSource = string;

/**
 * Appends an event stamped with the current sim time and the next sequence number; keeps at most
 * `state.eventLimit` events (oldest dropped). Returns the event.
 */
export function recordEvent(
  state: SimState,
  type: SimEvent['type'],
  reason: string,
  object: { kind: string; name: string; namespace?: string },
  message: string,
  source: EventSource,
): SimEvent {
  const event: SimEvent = {
    t: state.t,
    type,
    reason,
    object: { kind: object.kind, name: object.name, namespace: object.namespace ?? 'default' },
    message,
    source,
    seq: state.counters.eventSeq++,
  };
  state.events.push(event);
  const events = state.events;
  // One over the limit (the usual case): `shift` is O(1) in V8 (the backing store is left-trimmed),
  // `splice(0, 1)` copies the whole array (~6 us at 1,000 events). Same resulting array either way.
  if (events.length === state.eventLimit + 1) events.shift();
  else if (events.length > state.eventLimit) events.splice(0, events.length - state.eventLimit);
  return event;
}
