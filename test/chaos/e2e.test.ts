/**
 * End to end: chaos experiments run as incidents in a headless match — from a scenario's `chaos:` list
 * (a Chaos Mesh PodChaos pod-kill and a LitmusChaos pod-delete, test/fixtures/chaos/guestbook-chaos.yaml)
 * and from `gameday sim --chaos` — and the user-facing SLI dips, then recovers as the ReplicaSet heals.
 * The chaos kinds network-chaos and cpu-hog raise errors / latency for their window, then lift.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveSimInput } from '../../server/scenarios/index.ts';
import { DEFAULT_TEAM_ID, advance, createMatch, getTeam } from '../../shared/game/index.ts';
import { chaosClusterOf, translateChaos } from '../../shared/chaos/index.ts';
import { incidentCatalog } from '../../shared/sim/incidents/registry.ts';
import { loadManifests } from '../../shared/manifests/load.ts';
import { manifestsOnlyInput } from '../../shared/scenario/toSimInput.ts';
import type { SimInput } from '../../shared/sim/types.ts';
import { gameday, gamedayJson } from '../cli/run-cli.ts';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'chaos');
const SCENARIO = join(FIXTURES, 'guestbook-chaos.yaml');

/** Plays `input` headless up to `until` sim seconds; the frontend's error rate and p99 per second. */
function play(input: SimInput, until: number, service = 'default/frontend'): { errors: Map<number, number>; p99: Map<number, number>; incidents: { id: string; status: string; startedAt: number | null; mitigatedAt: number | null }[] } {
  const match = createMatch({ input, teams: [DEFAULT_TEAM_ID] });
  const sim = getTeam(match, DEFAULT_TEAM_ID).sim;
  const errors = new Map<number, number>();
  const p99 = new Map<number, number>();
  while (sim.t < until && !advance(match)) {
    const t = sim.traffic[service]!;
    errors.set(sim.t, t.errorRate);
    p99.set(sim.t, t.p99Ms);
  }
  return { errors, p99, incidents: sim.incidents.map((i) => ({ id: i.spec.id, status: i.status, startedAt: i.startedAt, mitigatedAt: i.mitigatedAt })) };
}

const window = (m: Map<number, number>, from: number, to: number) => [...m].filter(([t]) => t >= from && t < to).map(([, v]) => v);

describe('chaos experiments in a headless match', () => {
  it('a PodChaos pod-kill and a Litmus pod-delete from the scenario: the SLI dips, then recovers', () => {
    const { input } = resolveSimInput({ scenario: SCENARIO, seed: 1 });
    expect(input.incidents.map((i) => [i.type, i.at, i.target])).toEqual([
      ['pod-kill', 120, 'frontend'],
      ['pod-kill', 400, 'frontend'],
    ]);
    const { errors, incidents } = play(input, 600);
    expect(Math.max(...window(errors, 100, 120))).toBeLessThan(0.01);
    for (const at of [120, 400]) {
      expect(Math.max(...window(errors, at, at + 5)), `dip after ${at}`).toBeGreaterThan(0.5);
      expect(Math.max(...window(errors, at + 30, at + 60)), `recovered after ${at}`).toBeLessThan(0.01);
    }
    expect(incidents.map((i) => [i.status, i.startedAt])).toEqual([
      ['mitigated', 120],
      ['mitigated', 400],
    ]);
  });

  it('network-chaos (NetworkChaos loss, HTTPChaos delay) and cpu-hog hit the SLI for their window, then lift', () => {
    const base = resolveSimInput({ scenario: SCENARIO, seed: 3 }).input;
    base.incidents = [];
    const cluster = chaosClusterOf(base);
    const manifest = (kind: string, spec: string) => `apiVersion: chaos-mesh.org/v1alpha1\nkind: ${kind}\nmetadata: { name: x }\nspec: { mode: all, selector: { labelSelectors: { tier: frontend } }, ${spec} }`;
    const add = (text: string, at: number) => base.incidents.push(...translateChaos(text, 'inline.yaml', cluster, { at, idPrefix: `c${at}` }).incidents);
    add(manifest('NetworkChaos', "action: loss, loss: { loss: '50' }, duration: 60s"), 100);
    add(manifest('HTTPChaos', 'target: Request, delay: 1s, duration: 60s'), 300);
    add(manifest('StressChaos', 'stressors: { cpu: { workers: 4, load: 100 } }, duration: 60s'), 500);
    const { errors, p99, incidents } = play(base, 700);
    expect(Math.max(...window(errors, 110, 160))).toBeGreaterThan(0.3);
    expect(Math.max(...window(errors, 170, 290))).toBeLessThan(0.01);
    expect(Math.min(...window(p99, 310, 360))).toBeGreaterThan(1000);
    expect(Math.max(...window(p99, 370, 490))).toBeLessThan(300);
    expect(Math.max(...window(p99, 510, 560))).toBeGreaterThan(Math.max(...window(p99, 370, 490)));
    expect(Math.max(...window(p99, 580, 700))).toBeLessThan(300);
    expect(incidents.every((i) => i.status === 'mitigated')).toBe(true);
  });

  it('an IOChaos latency on the emptyDir a Deployment mounts at /data raises the Service\'s latency for its duration, then recovers', () => {
    const loaded = loadManifests(`apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: 2
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
        - name: app
          image: web:v1
          ports: [{ containerPort: 8080 }]
          resources: { requests: { cpu: 100m, memory: 64Mi } }
          volumeMounts: [{ name: scratch, mountPath: /data }]
      volumes: [{ name: scratch, emptyDir: {} }]
---
apiVersion: v1
kind: Service
metadata: { name: web }
spec: { type: LoadBalancer, selector: { app: web }, ports: [{ port: 80, targetPort: 8080 }] }
`);
    const input = manifestsOnlyInput(loaded, { seed: 4, durationSeconds: 400 });
    const io = (volumePath: string) => `apiVersion: chaos-mesh.org/v1alpha1\nkind: IOChaos\nmetadata: { name: disk-slow }\nspec: { action: latency, mode: all, selector: { labelSelectors: { app: web } }, volumePath: ${volumePath}, delay: 800ms, percent: 100, duration: 60s }\n`;
    expect(() => translateChaos(io('/var/lib/db'), 'io.yaml', chaosClusterOf(input), { at: 100 })).toThrow(/spec\.volumePath: "\/var\/lib\/db": no target Pod mounts it \(web mounts \/data \(container app\)/);
    input.incidents = translateChaos(io('/data'), 'io.yaml', chaosClusterOf(input), { at: 100 }).incidents;
    expect(input.incidents.map((i) => [i.type, i.at, i.target])).toEqual([['network-chaos', 100, 'web']]);
    const { p99, errors, incidents } = play(input, 260, 'default/web');
    const before = Math.max(...window(p99, 60, 100));
    expect(before).toBeLessThan(300);
    expect(Math.min(...window(p99, 105, 160))).toBeGreaterThan(before + 700);
    expect(Math.max(...window(p99, 175, 260))).toBeLessThan(300);
    expect(Math.max(...window(errors, 60, 260))).toBeLessThan(0.01);
    expect(incidents.map((i) => i.status)).toEqual(['mitigated']);
  });

  it('a Schedule in the scenario runs every run on its cron times in sim time (Forbid), each hitting the SLI for its duration', () => {
    const base = resolveSimInput({ scenario: SCENARIO, seed: 2 }).input;
    base.incidents = [];
    const schedule = `apiVersion: chaos-mesh.org/v1alpha1
kind: Schedule
metadata: { name: frontend-loss }
spec:
  schedule: '*/2 * * * *'
  concurrencyPolicy: Forbid
  type: NetworkChaos
  networkChaos: { action: loss, mode: all, selector: { labelSelectors: { tier: frontend } }, loss: { loss: '100' }, duration: 30s }
`;
    base.incidents.push(...translateChaos(schedule, 'schedule.yaml', { ...chaosClusterOf(base), durationSeconds: 420 }, { at: 10 }).incidents);
    expect(base.incidents.map((i) => i.at)).toEqual([120, 240, 360]);
    const { errors } = play(base, 420);
    for (const at of [120, 240, 360]) {
      expect(Math.max(...window(errors, at - 40, at)), `quiet before ${at}`).toBeLessThan(0.01);
      expect(Math.min(...window(errors, at + 5, at + 25)), `run at ${at}`).toBeGreaterThan(0.9);
    }
  });

  it('gameday sim --chaos runs a published Litmus example with --applabel, and validate checks chaos files', () => {
    const summary = gamedayJson<{ incidents: { id: string; type: string; startedAt: number | null; mitigatedAt: number | null }[] }>(
      'sim', '--scenario', SCENARIO, '--duration', '300', '--chaos', '/work/shared/data/chaos/litmus/pod-delete.yaml', '--chaos', join(FIXTURES, 'pod-kill.yaml'), '--at', '200', '--applabel', 'app=guestbook', '--json',
    );
    const chaos = summary.incidents.filter((i) => i.id.startsWith('cli'));
    expect(chaos.map((i) => [i.type, i.startedAt])).toEqual(expect.arrayContaining([['pod-kill', 200], ['pod-kill', 210], ['pod-kill', 220]]));
    expect(chaos.map((i) => i.id)).toEqual(['cli1-nginx-chaos-1', 'cli2-pod-kill-example-1', 'cli1-nginx-chaos-2', 'cli1-nginx-chaos-3']); // 30 s every 10 s, and the PodChaos
    const missing = gameday('sim', '--scenario', SCENARIO, '--chaos', '/work/shared/data/chaos/litmus/pod-delete.yaml');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/spec\.appinfo\.applabel: empty/);
    const ok = gameday('validate', join(FIXTURES, 'network-loss.yaml'));
    expect([ok.code, ok.stdout.trim()]).toEqual([0, `${join(FIXTURES, 'network-loss.yaml')}: valid chaos file (1 incident per run)`]);
    const bad = gameday('validate', join(FIXTURES, 'time-chaos.yaml'));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/document 1 \(TimeChaos time-shift-example\): spec\.timeOffset: not supported by the simulation: "-10m100ns" on the selected Pods: no effect the simulation can show/);
    expect(gameday('validate', SCENARIO).code).toBe(0);
  });

  it('gameday incidents --json keeps listing the catalog, with the chaos kinds', () => {
    const kinds = gamedayJson<{ kind: string }[]>('incidents', '--json').map((e) => e.kind);
    expect(kinds).toEqual(incidentCatalog().map((e) => e.kind));
    expect(kinds).toEqual(expect.arrayContaining(['pod-kill', 'memory-leak', 'network-chaos', 'cpu-hog']));
  });
});
