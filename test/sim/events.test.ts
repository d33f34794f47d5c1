/**
 * Deviation 5 of issue 6: events aggregate like client-go's EventCorrelator (tools/record/
 * events_cache.go), expire after the API server's 1 h event TTL, stay bounded, and are API objects
 * (they wait for etcd). Times in sim seconds.
 */
import { describe, expect, it } from 'vitest';
import { reconcileEtcd } from '../../shared/sim/index.ts';
import type { SimState } from '../../shared/sim/index.ts';
import { AGGREGATE_INTERVAL_SECONDS, EVENT_GIVE_UP_SECONDS, EVENT_TTL_SECONDS, recordEvent } from '../../shared/sim/events.ts';
import { runKubectl } from '../../shared/kubectl/index.ts';
import { deployment, podsOf, run, runUntil, sim } from './fixtures.ts';

const text = (s: SimState, line: string) => {
  const r = runKubectl(s, line);
  if (r.kind !== 'output') throw new Error(JSON.stringify(r));
  return r.output;
};
const pod = { kind: 'Pod', name: 'web-x', namespace: 'default' };

describe('events', () => {
  it('a crash loop is one BackOff Event with a count, in get events, -o json and describe', () => {
    const s = sim({ deployments: [deployment('web', { replicas: 1, memoryLimit: '256Mi' })], images: { 'web:v1': { baseMemoryMiB: 100, memoryGrowthMiBPerSec: 50 } } });
    run(s, 400);
    const name = podsOf(s, 'web')[0]!.metadata.name;
    const rows = text(s, `kubectl get events --for pod/${name}`).split('\n');
    const backoff = rows.filter((l) => /\bBackOff\b/.test(l));
    expect(backoff).toHaveLength(1);
    expect(backoff[0]).toMatch(/^\d+s \(x[4-9] over [56]m\d*s?\)\s+Warning\s+BackOff\s+pod\/web-\S+\s+Back-off restarting failed container app in pod/);
    // Created/Started repeat too: one row each, not one per restart
    expect(rows.filter((l) => /\bStarted\b/.test(l))).toHaveLength(1);
    const list = JSON.parse(text(s, `kubectl get events --for pod/${name} -o json`)) as { items: { reason: string; count: number; firstTimestamp: string; lastTimestamp: string }[] };
    const item = list.items.find((i) => i.reason === 'BackOff')!;
    expect(item.count).toBeGreaterThanOrEqual(4);
    expect(item.firstTimestamp < item.lastTimestamp).toBe(true);
    expect(text(s, `kubectl describe pod ${name}`)).toMatch(/Warning\s+BackOff\s+\d+s \(x\d+ over [56]m\d*s?\)\s+kubelet\s+Back-off restarting/);
    // the log itself stays append-only: each occurrence is an entry with the series' count so far
    const all = s.events.filter((e) => e.reason === 'BackOff');
    expect(all.map((e) => e.count)).toEqual(all.map((_, i) => i + 1));
    expect(new Set(all.map((e) => e.firstT)).size).toBe(1);
  });

  it('similar events (same object and reason, 10 different messages within 10 min) are combined', () => {
    const s = sim();
    for (let i = 1; i <= 12; i++) recordEvent(s, 'Warning', 'FailedScheduling', pod, `0/3 nodes are available: ${i} Insufficient cpu.`, 'default-scheduler');
    const rows = text(s, 'kubectl get events --for pod/web-x').split('\n').slice(1);
    expect(rows).toHaveLength(10);
    expect(rows.slice(0, 9).every((r) => !r.includes('combined'))).toBe(true);
    expect(rows[9]).toMatch(/\(x3 over 0s\)\s+Warning\s+FailedScheduling\s+pod\/web-x\s+\(combined from similar events\): 0\/3 nodes are available: 12 Insufficient cpu\.$/);
    // A repeat of a message already seen is counted in its own series, not combined.
    recordEvent(s, 'Warning', 'FailedScheduling', pod, '0/3 nodes are available: 1 Insufficient cpu.', 'default-scheduler');
    expect(text(s, 'kubectl get events --for pod/web-x')).toMatch(/x2 over 0s\)\s+Warning\s+FailedScheduling\s+pod\/web-x\s+0\/3 nodes are available: 1 Insufficient cpu\.$/m);
    // After 10 min without those messages a new one stands alone again.
    run(s, AGGREGATE_INTERVAL_SECONDS + 1);
    const e = recordEvent(s, 'Warning', 'FailedScheduling', pod, '0/3 nodes are available: 99 Insufficient cpu.', 'default-scheduler')!;
    expect(e).toMatchObject({ count: 1, message: '0/3 nodes are available: 99 Insufficient cpu.' });
  });

  it('expire 1 h after their last occurrence, and never exceed eventLimit', () => {
    const s = sim();
    recordEvent(s, 'Normal', 'Test', pod, 'old', 'kubelet');
    run(s, EVENT_TTL_SECONDS + 1);
    recordEvent(s, 'Normal', 'Test', pod, 'new', 'kubelet');
    expect(s.events.some((e) => e.message === 'old')).toBe(false);
    expect(s.events.every((e) => s.t - e.t <= EVENT_TTL_SECONDS)).toBe(true);
    s.eventLimit = 5;
    for (let i = 0; i < 20; i++) recordEvent(s, 'Normal', 'Test', { ...pod, name: `p${i}` }, 'm', 'kubelet');
    expect(s.events.map((e) => e.object.name)).toEqual(['p15', 'p16', 'p17', 'p18', 'p19']);
  });

  it('wait for etcd; written with their own time when it is back, dropped after the recorder gave up (110 s)', () => {
    const s = sim();
    for (const m of s.controlPlane.etcd.members) if (m.name !== 'etcd-0') m.healthy = false;
    reconcileEtcd(s);
    expect(recordEvent(s, 'Warning', 'Test', pod, 'early', 'kubelet')).toBeNull();
    const early = s.t;
    run(s, EVENT_GIVE_UP_SECONDS - 20);
    recordEvent(s, 'Warning', 'Test', pod, 'late', 'kubelet');
    const late = s.t;
    expect(s.events.some((e) => e.reason === 'Test')).toBe(false);
    run(s, 30);
    for (const m of s.controlPlane.etcd.members) m.healthy = true;
    reconcileEtcd(s);
    runUntil(s, (x) => x.controlPlane.etcd.leader !== null, 5);
    expect(s.t - early).toBeGreaterThan(EVENT_GIVE_UP_SECONDS);
    expect(s.events.filter((e) => e.reason === 'Test').map((e) => [e.message, e.t])).toEqual([['late', late]]);
    expect(s.eventQueue).toBeUndefined();
  });
});
