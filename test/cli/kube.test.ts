/**
 * `gameday kube`: the real CLI as a child process serves a practice match's Kubernetes API; real kubectl
 * v1.32 with the kubeconfig it wrote lists the scenario's Pods and scales a Deployment; `/metrics`
 * answers kube-state-metrics series; SIGTERM stops it with exit 0. Bad flags and unknown scenarios exit 2.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CLI, gameday } from './run-cli.ts';
import { KUBECTL } from '../k8s/kubectl-bin.ts';

const run = promisify(execFile);

interface Started {
  url: string;
  kubeconfig: string;
  scenarioId: string;
  seed: number;
  speed: number;
  metrics: string;
  serverMetrics: string;
}

let home: string;
let child: ChildProcess;
let started: Started;
let stderr = '';
let exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

async function kubectl(...args: string[]): Promise<{ out: string; err: string; code: number }> {
  try {
    const { stdout, stderr: err } = await run(KUBECTL, ['--kubeconfig', started.kubeconfig, ...args], { env: { HOME: home, PATH: '/usr/bin:/bin' }, timeout: 20_000 });
    return { out: stdout, err, code: 0 };
  } catch (e) {
    const x = e as { stdout?: string; stderr?: string; code?: number };
    return { out: x.stdout ?? '', err: x.stderr ?? '', code: typeof x.code === 'number' ? x.code : 1 };
  }
}

/** Retries `check` until it returns true (the sim advances in real time), at most `tries` times. */
async function eventually(check: () => Promise<boolean>, what: string, tries = 60): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'gameday-kube-cli-'));
  const kubeconfig = join(home, 'gameday.yaml');
  child = spawn(process.execPath, [CLI, 'kube', '--scenario', 'guestbook', '--seed', '7', '--speed', '20', '--kubeconfig', kubeconfig, '--json'], {
    cwd: join(import.meta.dirname, '..', '..'),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  started = await new Promise<Started>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) resolve(JSON.parse(out.slice(0, nl)) as Started);
    });
    child.on('exit', (code) => reject(new Error(`gameday kube exited ${code} before its URL line: ${stderr}`)));
  });
}, 30_000);

afterAll(() => {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(home, { recursive: true, force: true });
});

describe('gameday kube', () => {
  it('prints its URL and writes a kubeconfig pointing at it', () => {
    expect(started).toMatchObject({ kubeconfig: join(home, 'gameday.yaml'), scenarioId: 'guestbook', seed: 7, speed: 20 });
    expect(started.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const config = parse(readFileSync(started.kubeconfig, 'utf8')) as { clusters: { cluster: { server: string } }[]; 'current-context': string };
    expect(config['current-context']).toBe('gameday-blue');
    expect(config.clusters[0]!.cluster.server.startsWith(`${started.url}/k8s/`)).toBe(true);
  });

  it('kubectl get pods lists the scenario\'s Pods', async () => {
    const r = await kubectl('get', 'pods');
    expect(r.err).toBe('');
    expect(r.out.split('\n')[0]!.trim().split(/\s{2,}/)).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    const names = r.out.trim().split('\n').slice(1).map((l) => l.split(/\s+/)[0]!);
    expect(names.some((n) => n.startsWith('frontend-'))).toBe(true);
    expect(names.some((n) => n.startsWith('redis-master-'))).toBe(true);
  });

  it('kubectl scale deployment changes the cluster', async () => {
    const r = await kubectl('scale', 'deployment/frontend', '--replicas=5');
    expect(r.err).toBe('');
    expect(r.out.trim()).toBe('deployment.apps/frontend scaled');
    await eventually(async () => /^frontend\s+5\/5\s/m.test((await kubectl('get', 'deploy', 'frontend')).out), 'frontend 5/5');
    const pods = (await kubectl('get', 'pods', '-o', 'name')).out.trim().split('\n');
    expect(pods.filter((p) => p.startsWith('pod/frontend-'))).toHaveLength(5);
  });

  it('serves the team cluster\'s /metrics', async () => {
    const res = await fetch(started.metrics);
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/^kube_deployment_status_replicas_available\{[^}]*deployment="frontend"[^}]*\} 5$/m);
  });

  it('serves the server\'s own process and room metrics at /metrics, this match as its one room', async () => {
    expect(started.serverMetrics).toBe(`${started.url}/metrics`);
    const res = await fetch(started.serverMetrics);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
    expect(text).toMatch(/^gameday_rooms 1$/m);
    expect(text).toMatch(/^gameday_room_time_dilation\{room="[0-9a-f-]{36}"\} 20$/m);
    const sim = Number(/^gameday_room_sim_seconds\{room="[0-9a-f-]{36}"\} (\S+)$/m.exec(text)?.[1]);
    expect(sim).toBeGreaterThan(0);
    expect(Number(/^gameday_room_frame_lateness_seconds_count (\d+)$/m.exec(text)?.[1])).toBeGreaterThan(0);
    expect(text).toMatch(/^gameday_room_dropped_ticks_total \d+$/m);
  });

  it('stops on SIGTERM with exit 0', async () => {
    child.kill('SIGTERM');
    expect(await exited).toEqual({ code: 0, signal: null });
  });

  it('an unknown scenario or a bad flag exits 2 with a clear message', () => {
    const unknown = gameday('kube', '--scenario', 'no-such-scenario');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown scenario "no-such-scenario"/);
    const bad = gameday('kube', '--scenario', 'guestbook', '--port', 'abc');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--port must be an integer/);
    expect(gameday('kube', '--scenario', 'guestbook', '--nope').code).toBe(2);
  });
});
