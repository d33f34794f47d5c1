/**
 * (issue 6) An Events watch sees an Event DELETED when the event log drops its series (the API server's
 * 1 h event TTL, shared/sim/events.ts EVENT_TTL_SECONDS), as a real watch sees etcd's lease expire the
 * Event. The watch runs on a real sim state (server/k8s/watch.ts runWatch) with a stream that records
 * what it is sent.
 */
import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { applyAction, createSim, step } from '../../shared/sim/index.ts';
import { EVENT_TTL_SECONDS } from '../../shared/sim/events.ts';
import { coreEventResource } from '../../server/k8s/events.ts';
import { runWatch, WATCH_POLL_MS } from '../../server/k8s/watch.ts';
import { shopInput } from '../sim/game-fixtures.ts';

/** A response stream that keeps the JSON lines written to it. */
function recorder(): { raw: ServerResponse; lines: { type: string; object: { metadata?: { name?: string } } }[]; close: () => void } {
  const lines: { type: string; object: { metadata?: { name?: string } } }[] = [];
  const em = new EventEmitter();
  const raw = Object.assign(em, {
    writeHead: () => raw,
    flushHeaders: () => undefined,
    write: (chunk: string) => {
      for (const l of chunk.split('\n').filter((x) => x !== '')) lines.push(JSON.parse(l) as (typeof lines)[number]);
      return true;
    },
    end: () => undefined,
  }) as unknown as ServerResponse;
  return { raw, lines, close: () => em.emit('close') };
}

describe('Events watch and the event TTL', () => {
  it('an Event the log drops after 1 h is DELETED on a watch that listed it', async () => {
    const s = createSim(shopInput());
    for (let i = 0; i < 5; i++) step(s);
    const victim = Object.values(s.pods).find((p) => p.metadata.labels['app'] === 'frontend')!.metadata.name;
    expect(applyAction(s, 'alice', { type: 'deletePod', pod: victim }).ok).toBe(true); // events: Killing, SuccessfulCreate, Scheduled...
    for (let i = 0; i < 30; i++) step(s);
    const first = s.events[0]!;
    const r = recorder();
    runWatch(r.raw, {
      resource: coreEventResource, state: s, namespace: 'default', resourceVersion: '', bookmarks: false, sendInitialEvents: undefined, timeoutSeconds: 60,
      matches: () => true, body: (e) => e.api(), present: (_e, b) => b, bookmark: () => ({}), alive: () => true,
    });
    const added = r.lines.filter((l) => l.type === 'ADDED').map((l) => l.object.metadata!.name!);
    expect(added.length).toBeGreaterThan(0);
    while (s.t < first.t + EVENT_TTL_SECONDS + 5) step(s);
    // the log trims when it records (shared/sim/events.ts): the next event drops the expired ones
    const other = Object.values(s.pods).find((p) => p.metadata.labels['app'] === 'api')!.metadata.name;
    expect(applyAction(s, 'alice', { type: 'deletePod', pod: other }).ok).toBe(true);
    for (let i = 0; i < 5; i++) step(s);
    await new Promise((res) => setTimeout(res, WATCH_POLL_MS * 2));
    r.close();
    const deleted = r.lines.filter((l) => l.type === 'DELETED').map((l) => l.object.metadata!.name!);
    expect(deleted.length).toBeGreaterThan(0);
    for (const name of deleted) expect(added).toContain(name);
    expect(s.events.some((e) => e.seq === first.seq)).toBe(false);
  });
});
