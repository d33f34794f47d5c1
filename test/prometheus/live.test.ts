/**
 * A real Prometheus scraping a running match: a real server, real SDK clients joining two matches at
 * high time dilation, a `prometheus` process (its own config, a temporary TSDB, a random loopback
 * port) scraping each team cluster's `/k8s/MATCH/TEAM/token/TOKEN/metrics` with the generated rules
 * loaded; the test reads Prometheus's HTTP API as a dashboard would. During an OOM incident
 * (first-oom's memory leak) the Pod restarts rise; during a bad rollout (voting-bad-release) the
 * availability SLI falls and the generated rules' ticket alert fires. The server's own `/metrics`
 * (rooms, clients, frame lateness, state patch bytes) is scraped too.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, type Room } from '@colyseus/sdk';
import { stringify } from 'yaml';
import type { CredentialsMessage } from '../../shared/protocol.ts';
import type { RunningServer } from '../../server/app.ts';
import { resolveSimInput } from '../../server/scenarios/index.ts';
import { createSim } from '../../shared/sim/index.ts';
import { prometheusRules } from '../../shared/sim/prometheusRules.ts';
import { freePort, nextMessage, startTestServer } from '../server/helpers.ts';
import { spawnSync } from 'node:child_process';
import { MISSING, PROMETHEUS, PROMTOOL } from './bin.ts';

/**
 * Sim seconds per real second: first-oom's leak (from 120 sim s) OOM-kills podinfo at about 350 sim s,
 * ~17 real s in (after Prometheus's first scrapes); voting's rollout at 240 sim s is 12 real s in.
 */
const OOM_DILATION = 20;
const ROLLOUT_DILATION = 20;
const SCRAPE = '250ms';

let server: RunningServer | undefined;
let prometheus: ChildProcess | undefined;
let promUrl = '';
let dir = '';
let promLog = '';
const rooms: Room[] = [];

async function joinMatch(client: Client, name: string, options: Record<string, unknown>): Promise<CredentialsMessage> {
  const room = await client.joinOrCreate('match', { name, ...options });
  rooms.push(room);
  return nextMessage<CredentialsMessage>(room, 'credentials');
}

/** One instant query's vector: `[labels, value]` per series. */
async function query(expr: string): Promise<{ metric: Record<string, string>; value: number }[]> {
  const res = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(expr)}`);
  const body = (await res.json()) as { status: string; error?: string; data?: { result: { metric: Record<string, string>; value: [number, string] }[] } };
  if (body.status !== 'success') throw new Error(`query ${expr}: ${body.error ?? res.status}`);
  return body.data!.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
}

/** Polls `expr` until `accept` holds for its result, or throws (with Prometheus's log tail) after `timeoutMs`. */
async function until(expr: string, accept: (v: { metric: Record<string, string>; value: number }[]) => boolean, what: string, timeoutMs = 40_000): Promise<{ metric: Record<string, string>; value: number }[]> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await query(expr);
      last = v;
      if (accept(v)) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (${expr}); last: ${JSON.stringify(last)}\nprometheus log: ${promLog.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe.skipIf(PROMETHEUS === null)(`a live Prometheus scraping a running match${PROMETHEUS === null ? ` (${MISSING})` : ''}`, () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gameday-prometheus-'));
    server = await startTestServer();
    const client = new Client(server.url);
    const oom = await joinMatch(client, 'olga', { scenario: 'first-oom', seed: 1, timeDilation: OOM_DILATION });
    const vote = await joinMatch(client, 'vic', { scenario: 'voting-bad-release', seed: 1, timeDilation: ROLLOUT_DILATION });
    // The generated rules of the bad-rollout match at its time dilation, evaluated every scrape.
    const rules = prometheusRules(createSim(resolveSimInput({ scenario: 'voting-bad-release', seed: 1 }).input), ROLLOUT_DILATION);
    for (const g of rules.file.groups) g.interval = SCRAPE;
    writeFileSync(join(dir, 'rules.yaml'), stringify(rules.file, { lineWidth: 0 }));
    const target = new URL(server.url).host;
    const job = (name: string, c: CredentialsMessage) => ({
      job_name: name,
      scrape_interval: SCRAPE,
      scrape_timeout: SCRAPE,
      metrics_path: `/k8s/${c.matchId}/${c.team}/token/${c.token}/metrics`,
      static_configs: [{ targets: [target] }],
    });
    writeFileSync(
      join(dir, 'prometheus.yml'),
      stringify({
        global: { scrape_interval: SCRAPE, evaluation_interval: SCRAPE },
        rule_files: [join(dir, 'rules.yaml')],
        scrape_configs: [job('first-oom', oom), job('voting', vote), { job_name: 'gameday-server', scrape_interval: SCRAPE, scrape_timeout: SCRAPE, static_configs: [{ targets: [target] }] }],
      }),
    );
    const port = await freePort();
    promUrl = `http://127.0.0.1:${port}`;
    prometheus = spawn(PROMETHEUS!, [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    prometheus.stdout!.on('data', (d: Buffer) => (promLog += d.toString()));
    prometheus.stderr!.on('data', (d: Buffer) => (promLog += d.toString()));
    await until('up', (v) => v.length === 3 && v.every((s) => s.value === 1), 'the three targets up', 20_000);
  }, 60_000);

  afterAll(async () => {
    if (prometheus && prometheus.exitCode === null) {
      const exited = new Promise((r) => prometheus!.once('exit', r));
      prometheus.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
      if (prometheus.exitCode === null) prometheus.kill('SIGKILL');
    }
    for (const room of rooms) await room.leave().catch(() => undefined);
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('sees the Pod restarts rise during the OOM incident (first-oom memory leak)', { timeout: 60_000 }, async () => {
    const restarts = 'sum(kube_pod_container_status_restarts_total{job="first-oom"})';
    const after = await until(restarts, (v) => (v[0]?.value ?? 0) > 0, 'a container restart');
    expect(after[0]!.value).toBeGreaterThan(0);
    // Prometheus's own history holds the rise: no restart in its first scrapes.
    const first = await query(`min_over_time(${restarts}[5m:${SCRAPE}])`);
    expect(first[0]!.value).toBe(0);
    // The restarted Pod's container terminated for OOMKilled, as kube-state-metrics reports it.
    const reasons = await until('kube_pod_container_status_last_terminated_reason{job="first-oom"} == 1', (v) => v.length > 0, 'a last terminated reason');
    expect(reasons.map((r) => r.metric.reason)).toContain('OOMKilled');
  });

  it('sees availability fall during the bad rollout and the generated ticket alert fire (voting-bad-release)', { timeout: 60_000 }, async () => {
    const sli = await until('gameday_sli{job="voting",slo="availability"}', (v) => v.length === 1 && v[0]!.value < 1, 'the availability SLI below 1');
    expect(sli[0]!.value).toBeLessThan(1);
    // The generated recording rule: the availability SLI over the ticket tier's short window (40 sim s = 2 s at 20x).
    const windowed = await until('gameday:slo_sli:ratio_rate2s{job="voting",slo="availability"}', (v) => v.length === 1 && v[0]!.value < 0.95, 'the windowed SLI below 0.95');
    expect(windowed[0]!.value).toBeLessThan(0.95);
    const alert = await until('ALERTS{alertname="SLOBurnRateHigh",alertstate="firing",job="voting"}', (v) => v.some((a) => a.metric.alert_id === 'availability-ticket'), 'the ticket alert firing');
    expect(alert.find((a) => a.metric.alert_id === 'availability-ticket')!.metric).toMatchObject({ severity: 'ticket', slo: 'availability' });
  });

  it("scrapes the server's own metrics: rooms, clients, room frames and state patch bytes", { timeout: 60_000 }, async () => {
    const res = await fetch(`${server!.url}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain('# TYPE gameday_room_frame_lateness_seconds histogram');
    expect(text).toContain('process_cpu_seconds_total');
    if (PROMTOOL !== null) {
      const lint = spawnSync(PROMTOOL, ['check', 'metrics'], { input: text, encoding: 'utf8' });
      // prom-client's own nodejs_active_*_total gauges draw lint notes; ours must draw none.
      const notes = `${lint.stdout}${lint.stderr}`.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('nodejs_'));
      expect(notes).toEqual([]);
    }
    const rooms = await until('gameday_rooms{job="gameday-server"}', (v) => v[0]?.value === 2, 'two rooms');
    expect(rooms[0]!.value).toBe(2);
    expect((await query('gameday_clients{job="gameday-server"}'))[0]!.value).toBe(2);
    expect((await query('gameday_room_clients{job="gameday-server"}')).map((r) => r.value)).toEqual([1, 1]);
    const patches = await until('rate(gameday_room_state_bytes_total{job="gameday-server",kind="patch"}[5s])', (v) => (v[0]?.value ?? 0) > 0, 'state patches flowing');
    expect(patches[0]!.value).toBeGreaterThan(0);
    const frames = await query('gameday_room_frame_lateness_seconds_count{job="gameday-server"}');
    expect(frames[0]!.value).toBeGreaterThan(0);
    const dilations = (await query('gameday_room_time_dilation{job="gameday-server"}')).map((r) => r.value).sort((a, b) => a - b);
    expect(dilations).toEqual([ROLLOUT_DILATION, OOM_DILATION].sort((a, b) => a - b));
  });
});
