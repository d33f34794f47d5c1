/**
 * The sim's timer queue: a binary min-heap of {@link Timer}s ordered by (at, seq), stored as a plain
 * array inside the state so it serialises and hashes. Controllers schedule future transitions here
 * (ContainerCreating -> Running, back-off expiry, node grace periods) so a tick only touches what is due,
 * not every object: cost grows with what changes.
 */
import type { SimState, SimSeconds, Timer, TimerKind } from './types.ts';

export type { TimerKind } from './types.ts';

/** The controller that handles each timer kind (controllers/index.ts `runDueTimers` dispatches on it). */
export type TimerOwner = 'kubelet' | 'node' | 'deployment' | 'replicaset' | 'etcd';

/** Owner of every {@link TimerKind}: adding a kind without an owner fails the type check. */
export const TIMER_OWNER: Readonly<Record<TimerKind, TimerOwner>> = {
  'kubelet.start': 'kubelet',
  'kubelet.ready': 'kubelet',
  'kubelet.restart': 'kubelet',
  'kubelet.backoff': 'kubelet',
  'kubelet.oom': 'kubelet',
  'kubelet.gone': 'kubelet',
  'kubelet.probe': 'kubelet',
  'kubelet.pullbackoff': 'kubelet',
  'kubelet.pull': 'kubelet',
  'kubelet.liveness': 'kubelet',
  'kubelet.startup': 'kubelet',
  'kubelet.exit': 'kubelet',
  'kubelet.mount': 'kubelet',
  'kubelet.init': 'kubelet',
  'kubelet.initrestart': 'kubelet',
  'kubelet.initbackoff': 'kubelet',
  'node.grace': 'node',
  'node.evict': 'node',
  'node.taint': 'node',
  'deploy.deadline': 'deployment',
  'rs.sync': 'replicaset',
  'etcd.election': 'etcd',
};

function less(a: Timer, b: Timer): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

/** Schedules `kind` for object `ref` at sim second `at`. Returns the timer. O(log n). */
export function scheduleTimer(state: SimState, at: SimSeconds, kind: TimerKind, ref: string): Timer {
  const timer: Timer = { at, seq: state.counters.timerSeq++, kind, ref };
  const heap = state.timers;
  heap.push(timer);
  let i = heap.length - 1;
  while (i > 0) {
    const p = (i - 1) >> 1;
    if (!less(heap[i]!, heap[p]!)) break;
    [heap[i], heap[p]] = [heap[p]!, heap[i]!];
    i = p;
  }
  return timer;
}

/** Removes and returns the earliest timer due at or before `now`, or undefined. O(log n). */
export function popDueTimer(state: SimState, now: SimSeconds): Timer | undefined {
  const heap = state.timers;
  const top = heap[0];
  if (!top || top.at > now) return undefined;
  const last = heap.pop()!;
  if (heap.length > 0) {
    heap[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && less(heap[l]!, heap[m]!)) m = l;
      if (r < heap.length && less(heap[r]!, heap[m]!)) m = r;
      if (m === i) break;
      [heap[i], heap[m]] = [heap[m]!, heap[i]!];
      i = m;
    }
  }
  return top;
}
