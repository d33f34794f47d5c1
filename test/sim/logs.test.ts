/**
 * The container log generator (shared/sim/logs.ts) on built-in scenarios: what a player reading
 * `kubectl logs` would notice during each incident, the kubelet's rules for which container instance
 * is read, the options, and that the same state gives the same lines (console = API).
 */
import { describe, expect, it } from 'vitest';
import { resolveSimInput } from '../../server/scenarios/index.ts';
import { applyAction, createSim, step } from '../../shared/sim/index.ts';
import { formatLogLines, podLogs, type LogLine } from '../../shared/sim/logs.ts';
import type { SimState } from '../../shared/sim/types.ts';
import { runKubectl } from '../../shared/kubectl/index.ts';

function sim(scenario: string, ticks: number): SimState {
  const s = createSim(resolveSimInput({ scenario, seed: 3 }).input);
  for (let i = 0; i < ticks; i++) step(s);
  return s;
}

function lines(s: SimState, key: string, opts: Parameters<typeof podLogs>[2] = {}): LogLine[] {
  const r = podLogs(s, key, opts);
  if (!r.ok) throw new Error(r.message);
  return r.lines;
}

const podKeys = (s: SimState, prefix: string) => Object.keys(s.pods).sort().filter((k) => k.startsWith(`default/${prefix}`));

describe('memory leak -> OOMKilled -> CrashLoopBackOff (first-oom)', () => {
  const s = createSim(resolveSimInput({ scenario: 'first-oom', seed: 3 }).input);
  let crashLooping = false;
  let key = '';
  // Run until the Pod waits in CrashLoopBackOff after its second OOM kill.
  for (let i = 0; i < 900 && !crashLooping; i++) {
    step(s);
    key = podKeys(s, 'podinfo')[0]!;
    const cs = s.pods[key]!.status.containerStatuses[0]!;
    crashLooping = cs.state.waiting?.reason === 'CrashLoopBackOff';
  }

  it('reaches CrashLoopBackOff', () => expect(crashLooping).toBe(true));

  it('the last terminated instance logs memory warnings at 80/90/95 % of the limit and stops without a shutdown line', () => {
    const prev = lines(s, key, { previous: true });
    const text = prev.map((l) => l.text);
    const warnings = text.filter((t) => /memory usage \d+MiB is \d+% of the 512MiB limit/.test(t));
    // The first instance warned before its kill; a restarted container grows from its start again.
    expect(warnings.length).toBeGreaterThanOrEqual(1);
    expect(text[0]).toContain('starting podinfod version 6.14.1');
    expect(text.at(-1)).not.toContain('SIGTERM');
    const finished = s.pods[key]!.status.containerStatuses[0]!.lastState.terminated!.finishedAt;
    expect(prev.every((l) => l.t < finished)).toBe(true);
  });

  it('while waiting in CrashLoopBackOff, logs without --previous read the same last instance (the kubelet rule)', () => {
    expect(lines(s, key)).toEqual(lines(s, key, { previous: true }));
  });
});

describe('bad rollout (guestbook): the new release logs 500s with its error, the old one does not', () => {
  const s = sim('guestbook', 320);
  const frontends = podKeys(s, 'frontend');
  const bad = frontends.filter((k) => s.pods[k]!.sim.image.endsWith('v5-rc1'));
  const good = frontends.filter((k) => s.pods[k]!.sim.image.endsWith(':v4'));

  it('has pods of both releases', () => {
    expect(bad.length).toBeGreaterThan(0);
  });

  it('500 lines and the handler error on the bad release; access log format', () => {
    const text = bad.flatMap((k) => lines(s, k).map((l) => l.text));
    const access = text.filter((t) => /^10\.244\.\d+\.\d+ - - \[\d\d\/\w{3}\/\d{4}:\d\d:\d\d:\d\d \+0000\] "(GET|POST) \S+ HTTP\/1\.1" \d{3} \d+ /.test(t));
    expect(access.length).toBeGreaterThan(20);
    const failed = access.filter((t) => / 500 \d+ /.test(t));
    expect(failed.length).toBeGreaterThan(0);
    expect(text.some((t) => t.includes('[error]') && t.includes('unhandled error in handler (v5-rc1)'))).toBe(true);
    // Roughly the image's 10 % error rate.
    expect(failed.length / access.length).toBeGreaterThan(0.02);
    expect(failed.length / access.length).toBeLessThan(0.3);
  });

  it('the old release has no own 500s', () => {
    for (const k of good) expect(lines(s, k).some((l) => / 500 \d+ /.test(l.text))).toBe(false);
  });

  it('redis logs its own format: startup, replica sync', () => {
    const replica = podKeys(s, 'redis-replica')[0]!;
    const text = lines(s, replica).map((l) => l.text);
    expect(text.some((t) => /^1:S \d\d \w{3} \d{4} \d\d:\d\d:\d\d\.\d{3} \* MASTER <-> REPLICA sync: Finished with success$/.test(t))).toBe(true);
  });
});

describe('options and errors', () => {
  const s = sim('guestbook', 200);
  const key = podKeys(s, 'frontend')[0]!;
  const name = key.slice('default/'.length);

  it('is deterministic: same state, same lines; the console prints them', () => {
    expect(lines(s, key)).toEqual(lines(s, key));
    const r = runKubectl(s, `kubectl logs ${name} --tail=20`);
    expect(r.kind).toBe('output');
    expect(r.kind === 'output' && r.output).toBe(formatLogLines(lines(s, key, { tailLines: 20 })).replace(/\n$/, ''));
  });

  it('--tail, --since, afterT, --timestamps', () => {
    const all = lines(s, key);
    expect(lines(s, key, { tailLines: 5 })).toEqual(all.slice(-5));
    expect(lines(s, key, { tailLines: 0 })).toEqual([]);
    const recent = lines(s, key, { sinceSeconds: 10 });
    expect(recent.length).toBeGreaterThan(0);
    expect(recent.every((l) => l.t >= s.t - 10)).toBe(true);
    expect(recent).toEqual(all.filter((l) => l.t >= s.t - 10));
    expect(lines(s, key, { afterT: s.t - 4 })).toEqual(all.filter((l) => l.t >= s.t - 3));
    expect(formatLogLines(all.slice(-1), { timestamps: true })).toMatch(/^2025-01-01T00:03:1\d\.\d{9}Z /);
    expect(runKubectl(s, `kubectl logs ${name} --since=10s`)).toEqual({ kind: 'output', output: formatLogLines(recent).replace(/\n$/, '') });
  });

  it('unknown container, --previous without one, a missing Pod, a container waiting to start', () => {
    expect(podLogs(s, key, { container: 'nope' })).toEqual({ ok: false, code: 400, message: `container nope is not valid for pod ${name}` });
    expect(podLogs(s, key, { previous: true })).toEqual({ ok: false, code: 400, message: `previous terminated container "php-redis" in pod "${name}" not found` });
    expect(podLogs(s, 'default/nope')).toEqual({ ok: false, code: 404, message: 'pods "nope" not found' });
    const t = structuredClone(s);
    expect(applyAction(t, 'alice', { type: 'scaleDeployment', deployment: 'frontend', replicas: 6 }).ok).toBe(true);
    let waiting: string | undefined;
    for (let i = 0; i < 5 && waiting === undefined; i++) {
      step(t);
      waiting = Object.keys(t.pods).sort().find((k) => t.pods[k]!.spec.nodeName !== undefined && t.pods[k]!.status.containerStatuses[0]?.state.waiting !== undefined);
    }
    expect(waiting).toBeDefined();
    const r = podLogs(t, waiting!);
    expect(r).toMatchObject({ ok: false, code: 400 });
    expect(!r.ok && r.message).toMatch(/^container "php-redis" in pod "\S+" is waiting to start: ContainerCreating$/);
  });
});
