/**
 * The chaos translator (shared/chaos): every published LitmusChaos example and a Chaos Mesh example of
 * each kind translate into catalog incidents whose params the kinds' own schemas accept (or give the
 * documented "not supported by the simulation" error); selectors follow Chaos Mesh's modes; problems
 * name the document and field.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveSimInput } from '../../server/scenarios/index.ts';
import { ChaosError, chaosClusterOf, scheduleRuns, scheduleTimes, translateChaos, type ChaosCluster } from '../../shared/chaos/index.ts';
import { incidentRegistry } from '../../shared/sim/incidents/registry.ts';
import type { IncidentSpec } from '../../shared/sim/types.ts';

const LITMUS = '/work/shared/data/chaos/litmus';
const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'chaos');
const guestbook = (seed = 1): ChaosCluster => chaosClusterOf(resolveSimInput({ scenario: 'guestbook', seed }).input);
const APP = { appns: 'default', applabel: 'app=guestbook', appkind: 'deployment' };

function expectValid(incidents: IncidentSpec[]): void {
  for (const inc of incidents) {
    const r = incidentRegistry[inc.type].params.safeParse(inc.params);
    expect(r.success, `${inc.id} ${inc.type} ${JSON.stringify(inc.params)}: ${r.success ? '' : r.error.message}`).toBe(true);
  }
}

function translateFile(path: string, cluster = guestbook(), at = 100) {
  return translateChaos(readFileSync(path, 'utf8'), path, cluster, { at, appinfo: APP });
}

function errorOf(fn: () => unknown): ChaosError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ChaosError) return e;
    throw e;
  }
  throw new Error('expected a ChaosError');
}

describe('LitmusChaos examples as published (appinfo filled)', () => {
  const expected: Record<string, string[] | 'not supported'> = {
    'container-kill.yaml': ['pod-kill'],
    'disk-fill.yaml': ['node-disk-pressure'],
    'node-drain.yaml': ['node-failure'],
    'node-memory-hog.yaml': ['node-memory-pressure'],
    'node-restart.yaml': ['node-failure'],
    'node-taint.yaml': ['node-failure'],
    'pod-autoscaler.yaml': ['replica-scale'],
    'pod-cpu-hog.yaml': ['cpu-hog'],
    'pod-delete.yaml': ['pod-kill'],
    'pod-http-latency.yaml': ['network-chaos'],
    'pod-io-stress.yaml': ['cpu-hog'],
    'pod-network-partition.yaml': ['network-chaos'],
  };

  it('covers every file of the published examples', () => {
    expect(readdirSync(LITMUS).filter((f) => f.endsWith('.yaml')).sort()).toEqual(Object.keys(expected).sort());
  });

  for (const [file, kinds] of Object.entries(expected)) {
    it(`${file} -> ${Array.isArray(kinds) ? kinds.join(', ') : kinds}`, () => {
      const path = join(LITMUS, file);
      if (kinds === 'not supported') {
        const e = errorOf(() => translateFile(path));
        expect(e.problems).toHaveLength(1);
        expect(e.problems[0]).toMatch(new RegExp(`${file}: document 1 \\(ChaosEngine \\S+\\): spec\\.experiments\\[0\\]\\.name: not supported by the simulation: `));
        return;
      }
      const { incidents } = translateFile(path);
      expect([...new Set(incidents.map((i) => i.type))]).toEqual(kinds);
      expect(incidents.every((i) => i.at >= 100)).toBe(true);
      expectValid(incidents);
    });
  }

  it("runs every generic experiment of issue 7's list with its defaults (appinfo filled); refuses the two the sim cannot show", () => {
    const engine = (name: string) => `apiVersion: litmuschaos.io/v1alpha1\nkind: ChaosEngine\nmetadata: { name: e }\nspec:\n  appinfo: { appns: '', applabel: '', appkind: '' }\n  experiments:\n    - name: ${name}\n`;
    const runs: Record<string, string> = {
      'pod-delete': 'pod-kill', 'container-kill': 'pod-kill', 'pod-cpu-hog': 'cpu-hog', 'pod-memory-hog': 'memory-leak',
      'pod-network-latency': 'network-chaos', 'pod-network-loss': 'network-chaos', 'pod-network-partition': 'network-chaos', 'pod-network-corruption': 'network-chaos',
      'pod-network-duplication': 'network-chaos', 'pod-dns-error': 'network-chaos', 'pod-dns-spoof': 'network-chaos',
      'pod-http-latency': 'network-chaos', 'pod-http-status-code': 'network-chaos', 'pod-http-reset-peer': 'network-chaos',
      'node-drain': 'node-failure', 'node-taint': 'node-failure', 'node-cpu-hog': 'cpu-hog', 'node-memory-hog': 'node-memory-pressure',
      'node-restart': 'node-failure', 'kubelet-service-kill': 'node-failure', 'disk-fill': 'node-disk-pressure', 'pod-io-stress': 'cpu-hog',
      'pod-autoscaler': 'replica-scale',
    };
    for (const [name, kind] of Object.entries(runs)) {
      const { incidents } = translateChaos(engine(name), `${name}.yaml`, guestbook(), { at: 30, appinfo: APP });
      expect([...new Set(incidents.map((i) => i.type))], name).toEqual([kind]);
      expectValid(incidents);
    }
    for (const name of ['pod-http-modify-body', 'pod-http-modify-header']) {
      expect(errorOf(() => translateChaos(engine(name), `${name}.yaml`, guestbook(), { appinfo: APP })).problems[0]).toMatch(new RegExp(`^${name}\\.yaml: document 1 \\(ChaosEngine e\\): spec\\.experiments\\[0\\]\\.name: not supported by the simulation: ${name} \\(`));
    }
  });

  it('honours TOTAL_CHAOS_DURATION, CHAOS_INTERVAL, FORCE and PODS_AFFECTED_PERC (pod-delete: 30 s every 10 s, graceful)', () => {
    const { incidents } = translateFile(join(LITMUS, 'pod-delete.yaml'));
    expect(incidents.map((i) => [i.type, i.at, i.target, i.params])).toEqual([
      ['pod-kill', 100, 'frontend', { count: 1, gracePeriodSeconds: 30 }],
      ['pod-kill', 110, 'frontend', { count: 1, gracePeriodSeconds: 30 }],
      ['pod-kill', 120, 'frontend', { count: 1, gracePeriodSeconds: 30 }],
    ]);
    const all = translateFile(join(FIXTURES, 'pod-delete-guestbook.yaml'));
    expect(all.incidents.map((i) => [i.at, i.params['count'], i.params['gracePeriodSeconds']])).toEqual([[100, 3, 0], [110, 3, 0], [120, 3, 0]]);
  });

  it('pod-autoscaler: scales the app to REPLICA_COUNT for TOTAL_CHAOS_DURATION (APP_AFFECTED_PERC of the apps); statefulsets refused', () => {
    const path = join(LITMUS, 'pod-autoscaler.yaml');
    expect(translateFile(path).incidents.map((i) => [i.type, i.at, i.target, i.params, i.title])).toEqual([
      ['replica-scale', 100, 'frontend', { replicas: 5, durationSeconds: 60 }, 'LitmusChaos pod-autoscaler scales frontend to 5 replicas'],
    ]);
    const text = readFileSync(path, 'utf8').replace("value: '5'", "value: '40'").replace("value: '60'", "value: '90'");
    const tiers = { ...APP, applabel: 'tier=backend' };
    const cluster = guestbook();
    const backends = cluster.workloads.filter((w) => w.labels['tier'] === 'backend').map((w) => w.name);
    expect(backends.length).toBeGreaterThan(1);
    expect(translateChaos(text, 'scale.yaml', cluster, { appinfo: tiers }).incidents.map((i) => [i.target, i.params])).toHaveLength(1); // APP_AFFECTED_PERC empty: one app
    const all = translateChaos(text.replace("value: '90'", "value: '90'\n            - name: APP_AFFECTED_PERC\n              value: '100'"), 'scale.yaml', cluster, { appinfo: tiers }).incidents;
    expect(all.map((i) => [i.target, i.params])).toEqual(backends.map((b) => [b, { replicas: 40, durationSeconds: 90 }]));
    expectValid(all);
    const sts = errorOf(() => translateChaos(text, 'scale.yaml', cluster, { appinfo: { ...APP, appkind: 'statefulset' } }));
    expect(sts.problems[0]).toMatch(/spec\.appinfo\.appkind: not supported by the simulation: appkind statefulset/);
  });

  it('honours NETWORK_LATENCY / LATENCY and TOTAL_CHAOS_DURATION', () => {
    const http = translateFile(join(LITMUS, 'pod-http-latency.yaml')).incidents[0]!;
    expect(http.params).toMatchObject({ latencyMs: 2000, durationSeconds: 60 });
    const text = readFileSync(join(LITMUS, 'pod-delete.yaml'), 'utf8').replace('name: pod-delete', 'name: pod-network-latency').replace("value: '10'", "value: '5'").replace("- name: FORCE", "- name: NETWORK_LATENCY\n              value: '750'\n            - name: FORCE");
    const net = translateChaos(text, 'latency.yaml', guestbook(), { appinfo: APP }).incidents;
    expect(net.map((i) => [i.type, i.params['latencyMs'], i.params['durationSeconds']])).toEqual([['network-chaos', 750, 30]]);
  });

  it('needs the appinfo a scenario or flag fills, naming the field', () => {
    const e = errorOf(() => translateChaos(readFileSync(join(LITMUS, 'pod-delete.yaml'), 'utf8'), 'pod-delete.yaml', guestbook()));
    expect(e.problems[0]).toMatch(/^pod-delete\.yaml: document 1 \(ChaosEngine nginx-chaos\): spec\.appinfo\.applabel: empty: fill it in the scenario .* or with --applabel/);
    const none = errorOf(() => translateChaos(readFileSync(join(LITMUS, 'pod-delete.yaml'), 'utf8'), 'pod-delete.yaml', guestbook(), { appinfo: { applabel: 'app=nope' } }));
    expect(none.problems[0]).toMatch(/spec\.appinfo: selects no Pod: no Deployment in namespace default has Pods labelled app=nope \(Deployments: frontend/);
  });
});

describe('Chaos Mesh examples', () => {
  const expected: Record<string, string[] | RegExp> = {
    'pod-kill.yaml': ['pod-kill'],
    'pod-kill-all.yaml': ['pod-kill'],
    'pod-failure.yaml': ['pod-kill'],
    'container-kill.yaml': ['pod-kill'],
    'stress-memory.yaml': ['memory-leak'],
    'stress-cpu.yaml': ['cpu-hog'],
    'network-delay.yaml': ['network-chaos'],
    'network-loss.yaml': ['network-chaos'],
    'network-duplicate.yaml': ['network-chaos'],
    'network-corrupt.yaml': ['network-chaos'],
    'network-bandwidth.yaml': ['network-chaos'],
    'network-partition.yaml': ['network-chaos'],
    'dns-error.yaml': ['network-chaos'],
    'http-abort.yaml': ['network-chaos'],
    'http-delay.yaml': ['network-chaos'],
    'schedule-every.yaml': ['network-chaos'],
    'schedule-cron.yaml': ['pod-kill'],
    'time-chaos.yaml': /^.*time-chaos\.yaml: document 1 \(TimeChaos time-shift-example\): spec\.timeOffset: not supported by the simulation: "-10m100ns" on \S+: no effect the simulation can show .*\(line 12\)$/,
    'io-chaos.yaml': /^.*io-chaos\.yaml: document 1 \(IOChaos io-latency-example\): spec\.volumePath: "\/data": no target Pod mounts it \(redis-\S+ mounts no volume.*\(line 13\)$/,
  };
  for (const [file, kinds] of Object.entries(expected)) {
    it(`${file} -> ${Array.isArray(kinds) ? kinds.join(', ') : 'not supported'}`, () => {
      const path = join(FIXTURES, file);
      if (kinds instanceof RegExp) {
        expect(errorOf(() => translateFile(path)).problems[0]).toMatch(kinds);
        return;
      }
      const { incidents } = translateFile(path);
      expect(incidents.length).toBeGreaterThan(0);
      expect([...new Set(incidents.map((i) => i.type))]).toEqual(kinds);
      expectValid(incidents);
    });
  }

  it('maps each action to the figures its documentation gives', () => {
    const one = (file: string) => translateFile(join(FIXTURES, file)).incidents;
    expect(one('network-delay.yaml').map((i) => [i.target, i.params])).toEqual([
      ['redis-master', { latencyMs: 10, errorRate: 0, durationSeconds: 120, action: 'NetworkChaos delay' }],
      ['redis-replica', { latencyMs: 10, errorRate: 0, durationSeconds: 120, action: 'NetworkChaos delay' }],
    ]);
    // fixed-percent 50 % of the 2 replica Pods = 1 Pod; 25 % loss on half the Pods fails 12.5 % of requests.
    expect(one('network-loss.yaml').map((i) => [i.target, i.params['errorRate'], i.params['durationSeconds']])).toEqual([['redis-replica', 0.125, 90]]);
    expect(one('network-partition.yaml').map((i) => [i.target, i.params['errorRate']])).toEqual([['redis-master', 1]]);
    expect(one('http-abort.yaml')[0]!.params).toMatchObject({ errorRate: 1, durationSeconds: 300 });
    expect(one('http-delay.yaml')[0]!.params).toMatchObject({ latencyMs: 3000, errorRate: 0 });
    expect(one('stress-cpu.yaml')[0]!.params).toEqual({ millicores: 800, durationSeconds: 300, action: 'StressChaos cpu' });
    const mem = one('stress-memory.yaml')[0]!;
    expect(mem.type).toBe('memory-leak');
    expect(mem.params['plateauMiB']).toBeGreaterThan(900); // 4 workers x 256 MB
    expect(one('pod-kill-all.yaml').map((i) => [i.target, i.params])).toEqual([['frontend', { count: 3, gracePeriodSeconds: 0 }]]);
  });

  it('repeats a Schedule within the match: @every 120s (Forbid), cron */5 minutes', () => {
    const every = translateFile(join(FIXTURES, 'schedule-every.yaml'), guestbook(), 0).incidents;
    expect(every.map((i) => i.at)).toEqual([120, 240, 360, 480, 600, 720, 840]);
    const cron = translateFile(join(FIXTURES, 'schedule-cron.yaml'), guestbook(), 100).incidents;
    expect(cron.map((i) => i.at)).toEqual([300, 600]);
    expect(new Set([...every, ...cron].map((i) => i.id)).size).toBe(every.length + cron.length);
    expect(scheduleTimes('7,37 * * * *', 0, 3600)).toEqual([420, 2220]);
    // The sim's calendar starts 2025-01-01T00:00:00Z (a Wednesday): 03:00 is t=10800.
    expect(scheduleTimes('0 3 * * *', 0, 3600)).toEqual([]);
  });

  it('reads cron as robfig/cron does: hours, days, months, weekdays, names, ranges, steps, descriptors', () => {
    const day = 86_400;
    expect(scheduleTimes('0 3 * * *', 0, 2 * day)).toEqual([3 * 3600, day + 3 * 3600]);
    expect(scheduleTimes('30 9-17/4 * * *', 0, day)).toEqual([9.5 * 3600, 13.5 * 3600, 17.5 * 3600]);
    // 2025-01-01 is a Wednesday: the first Friday is Jan 3; `FRI` and `5` agree; weekday OR day-of-month.
    expect(scheduleTimes('0 0 * * FRI', 0, 10 * day)).toEqual([2 * day, 9 * day]);
    expect(scheduleTimes('0 0 * * 5', 0, 10 * day)).toEqual(scheduleTimes('0 0 * * fri', 0, 10 * day));
    expect(scheduleTimes('0 0 5 * 5', 0, 10 * day)).toEqual([2 * day, 4 * day, 9 * day]);
    expect(scheduleTimes('0 0 1 FEB *', 0, 40 * day)).toEqual([31 * day]);
    expect(scheduleTimes('@hourly', 100, 3 * 3600)).toEqual([3600, 7200]);
    expect(scheduleTimes('@daily', 0, 2 * day + 1)).toEqual([day, 2 * day]);
    expect(scheduleTimes('@every 1m30s', 10, 200)).toEqual([100, 190]);
    expect(scheduleTimes('@every 500ms', 0, 3)).toEqual([1, 2]);
    expect(() => scheduleTimes('61 * * * *', 0, 3600)).toThrow(/spec\.schedule: minute field: 61 is outside 0-59/);
    expect(() => scheduleTimes('0 0 * * 7', 0, 3600)).toThrow(/day-of-week field: 7 is outside 0-6/);
    expect(() => scheduleTimes('@fortnightly', 0, 3600)).toThrow(/unknown descriptor "@fortnightly"/);
    expect(() => scheduleTimes('* * *', 0, 3600)).toThrow(/5-field cron/);
  });

  it('applies concurrencyPolicy and startingDeadlineSeconds as Chaos Mesh documents them', () => {
    const minutes = [60, 120, 180, 240];
    // Allow: every run, overlapping. Forbid with a 70 s run every minute: the run due at 120 is missed,
    // and starts when the previous one ends (130), without a deadline ("always a delay").
    expect(scheduleRuns(minutes, 70, 'Allow', null, 300)).toEqual([60, 120, 180, 240]);
    expect(scheduleRuns(minutes, 70, 'Forbid', null, 300)).toEqual([60, 130, 200, 270]);
    expect(scheduleRuns(minutes, 70, 'Forbid', 0, 300)).toEqual([60, 130, 200, 270]);
    // startingDeadlineSeconds 5: the missed run is 10 s late when the previous ends: skipped until the next minute.
    expect(scheduleRuns(minutes, 70, 'Forbid', 5, 300)).toEqual([60, 180]);
    // One-shot (0 s) runs never overlap; an experiment without duration blocks every later run.
    expect(scheduleRuns(minutes, 0, 'Forbid', null, 300)).toEqual(minutes);
    expect(scheduleRuns(minutes, Infinity, 'Forbid', null, 300)).toEqual([60]);

    const doc = (policy: string, extra = '') => `apiVersion: chaos-mesh.org/v1alpha1
kind: Schedule
metadata: { name: delay-every-minute }
spec:
  schedule: '* * * * *'
  concurrencyPolicy: '${policy}'
${extra}  type: NetworkChaos
  networkChaos:
    action: delay
    mode: all
    selector: { labelSelectors: { app: redis } }
    delay: { latency: 10ms }
    duration: 70s
`;
    const cluster = { ...guestbook(), durationSeconds: 300 };
    const at = (policy: string, extra?: string) => [...new Set(translateChaos(doc(policy, extra), 's.yaml', cluster).incidents.map((i) => i.at))];
    expect(at('Allow')).toEqual([60, 120, 180, 240]);
    expect(at('Forbid')).toEqual([60, 130, 200, 270]);
    expect(at('')).toEqual([60, 130, 200, 270]);
    expect(at('Forbid', '  startingDeadlineSeconds: 5\n')).toEqual([60, 180]);
    const notes = translateChaos(doc('Forbid', '  historyLimit: 2\n'), 's.yaml', cluster).notes.join('\n');
    expect(notes).toMatch(/3 runs started late, when the previous run ended \(t=130, 200, 270s\)/);
    expect(notes).toMatch(/historyLimit 2 bounds the finished experiment objects/);
    const bad = errorOf(() => translateChaos(doc('Sometimes', '  historyLimit: 0\n'), 's.yaml', cluster));
    expect(bad.problems).toEqual(expect.arrayContaining([
      expect.stringMatching(/^s\.yaml: document 1 \(Schedule delay-every-minute\): spec\.concurrencyPolicy: must be Forbid or Allow/),
      expect.stringMatching(/spec\.historyLimit: must be at least 1/),
    ]));
    // The embedded experiment's own problems name its field inside the Schedule.
    const inner = errorOf(() => translateChaos(doc('Allow').replace('type: NetworkChaos', 'type: IOChaos').replace('networkChaos:', 'ioChaos:\n    volumePath: /data\n    other:'), 's.yaml', cluster));
    expect(inner.problems[0]).toMatch(/spec\.ioChaos\.action: must be latency, fault, attrOverride or mistake/);
  });

  it('selects deterministically with the seeded PRNG (mode one, random-max-percent)', () => {
    const text = readFileSync(join(FIXTURES, 'pod-kill.yaml'), 'utf8').replace('mode: one', "mode: random-max-percent\n  value: '100'").replace("'app': 'guestbook'", "'app': 'redis'");
    const run = (seed: number) => translateChaos(text, 'x.yaml', guestbook(seed), { at: 50 }).incidents;
    expect(run(7)).toEqual(run(7));
    const seen = new Set<string>();
    for (let seed = 1; seed <= 20; seed++) seen.add(JSON.stringify(run(seed).map((i) => [i.target, i.params['count']])));
    expect(seen.size).toBeGreaterThan(1);
  });

  it('names the document, field and line of each problem', () => {
    const text = [
      'apiVersion: chaos-mesh.org/v1alpha1',
      'kind: PodChaos',
      'metadata: { name: bad }',
      'spec:',
      '  action: pod-explode',
      '  mode: some',
      '  selector: { labelSelectors: { app: guestbook } }',
      '---',
      'apiVersion: chaos-mesh.org/v1alpha1',
      'kind: HTTPChaos',
      'metadata: { name: rewrite }',
      'spec: { mode: all, target: Request, selector: {}, replace: { body: eA== } }',
    ].join('\n');
    const e = errorOf(() => translateChaos(text, 'bad.yaml', guestbook()));
    expect(e.problems).toHaveLength(3);
    expect(e.problems).toEqual(expect.arrayContaining([
      'bad.yaml: document 1 (PodChaos bad): spec.mode: must be one of one, all, fixed, fixed-percent, random-max-percent (line 6)',
      'bad.yaml: document 1 (PodChaos bad): spec.action: must be pod-kill, pod-failure or container-kill (line 5)',
      'bad.yaml: document 2 (HTTPChaos rewrite): spec.replace: not supported by the simulation: rewriting HTTP messages (the sim has no message bodies); use abort or delay (line 12)',
    ]));
  });
});

describe('IOChaos on Pods that mount volumePath', () => {
  // web mounts /data (container app) and /logs (container sidecar); batch (same labels) mounts nothing.
  const cluster: ChaosCluster = {
    workloads: [
      { namespace: 'default', name: 'batch', labels: { app: 'web', role: 'batch' }, replicas: 2, memoryMiB: 64, memoryLimitMiB: 0, mounts: [] },
      { namespace: 'default', name: 'web', labels: { app: 'web' }, replicas: 4, memoryMiB: 64, memoryLimitMiB: 0, mounts: [{ container: 'app', mountPath: '/data' }, { container: 'sidecar', mountPath: '/logs/' }] },
    ],
    nodes: ['node-1'],
    durationSeconds: 900,
    seed: 1,
  };
  const io = (spec: string, labels = '{ app: web }') => `apiVersion: chaos-mesh.org/v1alpha1\nkind: IOChaos\nmetadata: { name: io }\nspec: { ${spec.includes('mode:') ? '' : 'mode: all, '}selector: { labelSelectors: ${labels} }, ${spec} }\n`;
  const run = (spec: string, labels = '{ app: web }') => translateChaos(io(spec, labels), 'io.yaml', cluster, { at: 30 });

  it('latency: network-chaos on the mounting Deployment, delay x percent, for the duration; the others are left out with a note', () => {
    const t = run('action: latency, volumePath: /data, delay: 100ms, percent: 50, duration: 120s');
    expect(t.incidents.map((i) => [i.type, i.at, i.target, i.params])).toEqual([['network-chaos', 30, 'web', { latencyMs: 50, errorRate: 0, durationSeconds: 120, action: 'IOChaos latency on /data' }]]);
    expectValid(t.incidents);
    expect(t.notes.join('\n')).toMatch(/batch do not mount \/data: left out/);
    expect(t.notes.join('\n')).toMatch(/disk I\/O latency shows as request latency/);
    // percent defaults to 100; a directory under the mount (and a trailing slash on it) counts.
    expect(run('action: latency, volumePath: /logs/app, delay: 1s').incidents[0]!.params).toMatchObject({ latencyMs: 1000 });
  });

  it('fault: percent x the share of the Deployment\'s Pods selected fail', () => {
    const t = run('action: fault, volumePath: /data/db, errno: 5, percent: 50, mode: fixed, value: 2');
    expect(t.incidents.map((i) => [i.type, i.target, i.params])).toEqual([['network-chaos', 'web', { latencyMs: 0, errorRate: 0.25, durationSeconds: 870, action: 'IOChaos fault on /data/db' }]]);
    expectValid(t.incidents);
    expect(t.notes.join('\n')).toMatch(/IOChaos fault \(errno 5\) is mapped to network-chaos errors/);
  });

  it('refuses Pods that do not mount volumePath (containerNames honoured), naming the field and what they mount', () => {
    expect(errorOf(() => run('action: latency, volumePath: /database, delay: 10ms')).problems[0]).toMatch(/^io\.yaml: document 1 \(IOChaos io\): spec\.volumePath: "\/database": no target Pod mounts it \(batch mounts no volume; web mounts \/data \(container app\), \/logs\/ \(container sidecar\): IOChaos latency acts on/);
    expect(errorOf(() => run('action: latency, volumePath: /data, delay: 10ms, containerNames: [sidecar]')).problems[0]).toMatch(/spec\.volumePath: "\/data": no target Pod mounts it \(batch mounts no volume in containers sidecar; web mounts \/logs\/ \(container sidecar\) in containers sidecar/);
    expect(run('action: latency, volumePath: /data, delay: 10ms, containerNames: [app]').incidents).toHaveLength(1);
  });

  it('Litmus pod-io-stress with VOLUME_MOUNT_PATH runs where the target mounts it, and is refused where it does not', () => {
    const engine = (mount: string) => `apiVersion: litmuschaos.io/v1alpha1\nkind: ChaosEngine\nmetadata: { name: e }\nspec:\n  appinfo: { appns: default, applabel: 'app=web', appkind: deployment }\n  experiments:\n    - name: pod-io-stress\n      spec: { components: { env: [{ name: VOLUME_MOUNT_PATH, value: '${mount}' }] } }\n`;
    const web: ChaosCluster = { ...cluster, workloads: cluster.workloads.filter((w) => w.name === 'web') };
    expect(translateChaos(engine('/data'), 'io.yaml', web, { at: 30 }).incidents.map((i) => [i.type, i.target])).toEqual([['cpu-hog', 'web']]);
    expect(errorOf(() => translateChaos(engine('/srv'), 'io.yaml', web, { at: 30 })).problems[0]).toMatch(/VOLUME_MOUNT_PATH: "\/srv": no target Pod mounts it \(web\)/);
  });

  it('attrOverride and mistake stay refused at spec.action (no visible effect in the sim)', () => {
    expect(errorOf(() => run('action: attrOverride, volumePath: /data, attr: { perm: 72 }')).problems[0]).toMatch(/^io\.yaml: document 1 \(IOChaos io\): spec\.action: not supported by the simulation: attrOverride on \/data \(the simulated Pods read no file attributes.*\(line 4\)$/);
    expect(errorOf(() => run('action: mistake, volumePath: /data, mistake: { filling: zero, maxOccurrences: 1, maxLength: 10 }')).problems[0]).toMatch(/spec\.action: not supported by the simulation: mistake on \/data \(the simulated Pods read no file contents/);
  });

  it('validate (no cluster) accepts latency and fault, refuses attrOverride', () => {
    const stand = { workloads: [], nodes: [], durationSeconds: 3600, seed: 1, anyMatch: true };
    expect(translateChaos(io('action: fault, volumePath: /data, errno: 5'), 'io.yaml', stand).incidents).toHaveLength(1);
    expect(errorOf(() => translateChaos(io('action: attrOverride, volumePath: /data'), 'io.yaml', stand)).problems[0]).toMatch(/spec\.action: not supported/);
  });
});
