/** Spawns the real `gameday` CLI with this Node (24 under vitest) and collects its output. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export const CLI = join(import.meta.dirname, '..', '..', 'server', 'cli', 'gameday.ts');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `gameday ...args` from the repo root and waits for it. */
export function gameday(...args: string[]): CliRun {
  const res = spawnSync(process.execPath, [CLI, ...args], {
    cwd: join(import.meta.dirname, '..', '..'),
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (res.error) throw res.error;
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}

/** Runs `gameday ...args`, expects exit 0 and parses stdout as JSON. */
export function gamedayJson<T = unknown>(...args: string[]): T {
  const run = gameday(...args);
  if (run.code !== 0) throw new Error(`gameday ${args.join(' ')} exited ${run.code}: ${run.stderr}`);
  return JSON.parse(run.stdout) as T;
}

/**
 * A small valid workload for CLI tests: Deployment `web` (2 replicas of nginx:1.27, requests 100m /
 * 64Mi, limit 128Mi) behind a LoadBalancer Service `web` on port 80.
 */
export const WEB_MANIFEST = [
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata: { name: web }',
  'spec:',
  '  replicas: 2',
  '  selector: { matchLabels: { app: web } }',
  '  template:',
  '    metadata: { labels: { app: web } }',
  '    spec:',
  '      containers:',
  '        - name: web',
  '          image: nginx:1.27',
  '          resources: { requests: { cpu: 100m, memory: 64Mi }, limits: { memory: 128Mi } }',
  '---',
  'apiVersion: v1',
  'kind: Service',
  'metadata: { name: web }',
  'spec: { type: LoadBalancer, selector: { app: web }, ports: [{ port: 80 }] }',
].join('\n');
