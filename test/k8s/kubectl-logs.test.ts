/**
 * Real kubectl v1.32 `logs` against a live match (the `pods/log` subresource, server/k8s/logs.ts):
 * lines, `--tail`, `--since`, `--timestamps`, `-c`, `--previous`, `deployment/NAME`, `-f` following the
 * match until the Pod goes away, and the console printing the same lines.
 */
import { spawn } from 'node:child_process';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Room } from '@colyseus/sdk';
import { snapshotState } from '../../client/src/view/stateMirror.ts';
import { ask, waitFor } from '../server/helpers.ts';
import { KUBECTL } from './kubectl-bin.ts';
import { startKubectlMatch, type KubectlMatch, type KubectlResult } from './kubectl-match.ts';

let m: KubectlMatch;
let home: string;
let config: string;
let alice: Room;

const kubectl = (...args: string[]): Promise<KubectlResult> => m.kubectl(args);

beforeAll(async () => {
  m = await startKubectlMatch({ seed: 5, timeDilation: 10, prefix: 'kubectl-logs' });
  ({ home, config, alice } = m);
});

afterAll(async () => {
  await m?.close();
});

const blue = () => snapshotState(alice.state).teams.get('blue')!;
const podNamed = (prefix: string) => [...blue().pods.values()].map((p) => p.name).filter((n) => n.startsWith(prefix)).sort()[0]!;
const ACCESS = /^10\.244\.\d+\.\d+ - - \[\d\d\/\w{3}\/\d{4}:\d\d:\d\d:\d\d \+0000\] "(GET|POST) \S+ HTTP\/1\.1" \d{3} \d+ "-" "[^"]+"$/;
/** Lines without their stamps (the API's are wall-clock, the console's sim time). */
const unstamped = (text: string) =>
  text
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, 'T')
    .replace(/\d\d\/\w{3}\/\d{4}:\d\d:\d\d:\d\d \+0000/g, 'T')
    .replace(/\d\d \w{3} \d{4} \d\d:\d\d:\d\d\.\d{3}/g, 'T')
    .replace(/\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+\]/g, 'T')
    .trim();

describe('kubectl logs', () => {
  it('prints a frontend Pod\'s access log; --tail, --timestamps, --since', async () => {
    const pod = podNamed('frontend-');
    // Give the Pod a few sim seconds of traffic.
    await new Promise((r) => setTimeout(r, 1500));
    const r = await kubectl('logs', pod);
    expect(r.err).toBe('');
    const lines = r.out.trim().split('\n');
    expect(lines.filter((l) => ACCESS.test(l)).length).toBeGreaterThan(10);
    const tail = await kubectl('logs', pod, '--tail=3');
    expect(tail.out.trim().split('\n')).toHaveLength(3);
    const stamped = await kubectl('logs', pod, '--tail=2', '--timestamps');
    const stamps = stamped.out.trim().split('\n').map((l) => l.split(' ')[0]!);
    expect(stamps.every((s) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/.test(s))).toBe(true);
    // Wall-clock stamps, as the served objects' (ages in sim seconds): the last line is from the last sim seconds.
    expect(Math.abs(Date.parse(stamps.at(-1)!) - Date.now())).toBeLessThan(60_000);
    const since = await kubectl('logs', pod, '--since=3s', '--timestamps');
    const first = Date.parse(since.out.trim().split('\n')[0]!.split(' ')[0]!);
    expect(first).toBeGreaterThanOrEqual(Date.parse(stamps.at(-1)!) - 10_000);
  });

  it('-c, --previous and deployment/NAME; errors as a real cluster\'s', async () => {
    const pod = podNamed('redis-master-');
    const r = await kubectl('logs', pod, '-c', 'master');
    expect(r.err).toBe('');
    expect(r.out).toMatch(/^1:M \d\d \w{3} \d{4} \d\d:\d\d:\d\d\.\d{3} \* Ready to accept connections tcp$/m);
    const bad = await kubectl('logs', pod, '-c', 'nope');
    expect(bad.code).not.toBe(0);
    expect(bad.err.trim()).toBe(`error: container nope is not valid for pod ${pod}`);
    const prev = await kubectl('logs', pod, '--previous');
    expect(prev.code).not.toBe(0);
    expect(prev.err.trim()).toBe(`Error from server (BadRequest): previous terminated container "master" in pod "${pod}" not found`);
    const dep = await kubectl('logs', 'deployment/redis-replica', '--tail=50');
    expect(dep.code).toBe(0);
    expect(dep.out).toMatch(/\* MASTER <-> REPLICA sync: Finished with success$/m);
    expect((await kubectl('logs', 'nope')).err.trim()).toBe('error: error from server (NotFound): pods "nope" not found in namespace "default"');
  });

  it('the console prints the same lines', async () => {
    const pod = podNamed('redis-master-');
    const api = await kubectl('logs', pod);
    const console = await ask(alice, 'kubectl', { id: 1, command: `kubectl logs ${pod}` });
    expect(console.ok).toBe(true);
    expect(unstamped(console.output!)).toBe(unstamped(api.out));
    expect(unstamped(api.out).split('\n').length).toBeGreaterThanOrEqual(4);
  });

  it('-f streams new lines as the match runs and ends when the Pod goes away', async () => {
    const pod = podNamed('frontend-');
    const child = spawn(KUBECTL, ['--kubeconfig', config, 'logs', '-f', '--tail=1', pod], { env: { HOME: home, PATH: '/usr/bin:/bin' } });
    let out = '';
    let exit: number | null | undefined;
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => (exit = code));
    try {
      await waitFor(() => out.split('\n').filter((l) => ACCESS.test(l)).length >= 10, 'ten streamed access lines', 20_000);
      expect(exit).toBeUndefined();
      const del = await kubectl('delete', 'pod', pod, '--wait=false');
      expect(del.out.trim()).toBe(`pod "${pod}" deleted`);
      await waitFor(() => exit !== undefined, 'kubectl logs -f ends with the Pod', 20_000);
      expect(exit).toBe(0);
    } finally {
      if (exit === undefined) child.kill();
    }
  });
});
