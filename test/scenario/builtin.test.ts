import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  BUILT_IN_SCENARIO_IDS,
  DEFAULT_SCENARIO_ID,
  ScenarioError,
  listScenarios,
  loadScenarioFile,
  resolveSimInput,
  validateFile,
} from '../../server/scenarios/index.ts';
import { parseCpuMillicores, parseMemoryMiB } from '../../shared/manifests/quantity.ts';

const fixture = (rel: string) => fileURLToPath(new URL(`../fixtures/${rel}`, import.meta.url));

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'gameday-scenario-test-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('built-in scenarios', () => {
  it('lists the default first with its figures', () => {
    const list = listScenarios();
    expect(list.map((s) => s.id)).toEqual([...BUILT_IN_SCENARIO_IDS]);
    expect(list[0]).toMatchObject({ id: DEFAULT_SCENARIO_ID, default: true, durationSeconds: 3600, timeDilation: 4, incidents: 3, services: 11 });
    expect(list[0]!.title).toContain('Online Boutique');
    const quick = list.find((s) => s.id === 'guestbook')!;
    expect(quick).toMatchObject({ default: false, durationSeconds: 900, incidents: 1, services: 3 });
    expect(list.filter((s) => s.default)).toHaveLength(1);
  });

  it('each built-in loads and converts to a SimInput without warnings', () => {
    for (const id of BUILT_IN_SCENARIO_IDS) {
      const r = resolveSimInput({ scenario: id, seed: 11 });
      expect(r.input.scenarioId).toBe(id);
      expect(r.warnings).toEqual([]);
      expect(r.input.incidents.length).toBeGreaterThan(0);
      expect(r.input.settings.seed).toBe(11);
    }
  });

  it('the default scenario is Online Boutique on 6 Nodes in 3 zones with the three incidents', () => {
    const { input, title, timeDilation } = resolveSimInput({ seed: 1 });
    expect(title).toBe('Online Boutique: three bad days');
    expect(timeDilation).toBe(4);
    expect(input.nodes).toHaveLength(6);
    expect(new Set(input.nodes.map((n) => n.zone)).size).toBe(3);
    expect(input.userFacingService).toBe('frontend');
    expect(input.slo).toEqual({ availability: 0.98, latency: { thresholdMs: 300, target: 0.95 } });
    expect(input.settings.durationSeconds).toBe(3600);
    expect(input.incidents.map((i) => [i.type, i.at, i.target])).toEqual([
      ['bad-rollout', 300, 'frontend'],
      ['memory-leak', 1200, 'cartservice'],
      ['etcd-quorum-loss', 2400, 'etcd-1,etcd-2'],
    ]);
    // The leak outgrows cartservice's 128Mi limit (the demo's value) but plateaus under 512Mi, so raising the limit fixes it.
    const cart = input.deployments.find((d) => d.metadata.name === 'cartservice')!;
    const limit = parseMemoryMiB(cart.spec.template.spec.containers[0]!.resources!.limits!.memory!);
    const leak = input.incidents[1]!.params;
    expect(limit).toBe(128);
    expect(leak.plateauMiB).toBeGreaterThan(limit);
    expect(leak.plateauMiB).toBeLessThan(512);
    // The bad frontend image fails requests; healthy images fit under their memory limits.
    const badImage = input.incidents[0]!.params.image as string;
    expect(input.images[badImage]?.errorRate).toBeCloseTo(0.15);
    for (const d of input.deployments) {
      const c = d.spec.template.spec.containers[0]!;
      const base = input.images[c.image]?.baseMemoryMiB;
      if (base !== undefined && c.resources?.limits?.memory) expect(base).toBeLessThan(parseMemoryMiB(c.resources.limits.memory));
    }
    // Requests fit comfortably in the cluster.
    const cpu = input.deployments.reduce((sum, d) => sum + parseCpuMillicores(d.spec.template.spec.containers[0]!.resources?.requests?.cpu ?? '0'), 0);
    expect(cpu).toBeLessThan(0.5 * 6 * 4000);
  });

  it('overrides the match length', () => {
    const { input } = resolveSimInput({ scenario: 'guestbook', seed: 1, durationSeconds: 60 });
    expect(input.settings.durationSeconds).toBe(60);
  });

  it('names the built-ins when a scenario is unknown', () => {
    expect(() => resolveSimInput({ scenario: 'nope', seed: 1 })).toThrow(`unknown scenario "nope": not a built-in scenario (${BUILT_IN_SCENARIO_IDS.join(', ')}) and no such file`);
    expect(BUILT_IN_SCENARIO_IDS.slice(0, 2)).toEqual(['online-boutique', 'guestbook']);
  });
});

describe('scenario and manifest files', () => {
  it('runs manifests alone on the default cluster', () => {
    const r = resolveSimInput({ manifests: fixture('manifests/online-boutique.yaml'), seed: 3 });
    expect(r.title).toBe('Manifests: online-boutique.yaml');
    expect(r.input.incidents).toEqual([]);
    expect(r.input.userFacingService).toBe('frontend');
    expect(r.input.nodes).toHaveLength(6);
  });

  it('replaces a scenario workloads with a manifests file', () => {
    const r = resolveSimInput({ scenario: 'guestbook', manifests: fixture('manifests/guestbook-all-in-one.yaml'), seed: 1 });
    expect(r.input.scenarioId).toBe('guestbook');
    expect(r.input.deployments.map((d) => d.metadata.name)).toEqual(['redis-master', 'redis-replica', 'frontend']);
    expect(() => resolveSimInput({ scenario: 'guestbook', manifests: fixture('manifests/bookinfo.yaml'), seed: 1 })).toThrow(
      'no Deployment "frontend" in the workloads',
    );
  });

  it('loads a scenario file from a path, with manifests relative to it', () => {
    const { scenario, workloads } = loadScenarioFile(fixture('scenarios/bookinfo-node-failure.yaml'));
    expect(scenario.id).toBe('bookinfo-node-failure');
    expect(workloads.deployments).toHaveLength(6);
    const r = resolveSimInput({ scenario: fixture('scenarios/bookinfo-node-failure.json'), seed: 1 });
    expect(r.input.scenarioId).toBe('bookinfo-json');
  });

  it('reports a manifest error of a scenario with the file, document and path', () => {
    write('bookinfo.yaml', 'apiVersion: v1\nkind: Service\nmetadata: { name: details }\nspec: { ports: [{ port: 0 }] }\n');
    write('scenario.yaml', loadText(fixture('scenarios/bookinfo-node-failure.yaml')).replace('manifests: ../manifests/bookinfo.yaml', 'manifests: bookinfo.yaml'));
    let err: unknown;
    try {
      loadScenarioFile(join(dir, 'scenario.yaml'));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ScenarioError);
    expect((err as ScenarioError).problems).toEqual([
      `${join(dir, 'bookinfo.yaml')}: document 1 (Service "details"): spec.ports[0].port: must be greater than or equal to 1 (line 4)`,
    ]);
  });

  it('supports inline workloads', () => {
    const path = write(
      'inline.yaml',
      `id: inline
title: Inline
match: { durationSeconds: 300 }
cluster: { nodes: [{ name: n1, zone: z, cpu: "2", memory: 2Gi }] }
workloads:
  yaml: |
    apiVersion: apps/v1
    kind: Deployment
    metadata: { name: web }
    spec:
      selector: { matchLabels: { app: web } }
      template:
        metadata: { labels: { app: web } }
        spec: { containers: [{ name: web, image: nginx:1.27 }] }
    ---
    apiVersion: v1
    kind: Service
    metadata: { name: web }
    spec: { type: LoadBalancer, selector: { app: web }, ports: [{ port: 80 }] }
traffic: { rps: 5 }
userFacingService: web
slo: { availability: 0.999, latency: { thresholdMs: 100, target: 0.99 } }
`,
    );
    const r = resolveSimInput({ scenario: path, seed: 1 });
    expect(r.input.deployments.map((d) => d.metadata.name)).toEqual(['web']);
    expect(r.input.callGraph).toEqual({ web: [] });
    expect(validateFile(path)).toEqual({ ok: true, kind: 'scenario', errors: [], warnings: [] });
  });
});

describe('validateFile', () => {
  it('accepts the built-in scenarios and the demo manifests', () => {
    expect(validateFile(fixture('manifests/online-boutique.yaml'))).toEqual({ ok: true, kind: 'manifests', errors: [], warnings: [] });
    const bookinfo = validateFile(fixture('manifests/bookinfo.yaml'));
    expect(bookinfo.ok).toBe(true);
    expect(bookinfo.warnings.join('\n')).toContain('ignored ServiceAccount "bookinfo-reviews"');
    expect(validateFile(fixture('scenarios/bookinfo-node-failure.yaml'))).toMatchObject({ ok: true, kind: 'scenario' });
    expect(validateFile(fixture('scenarios/bookinfo-node-failure.json'))).toMatchObject({ ok: true, kind: 'scenario' });
  });

  it('reports manifest errors with file, document, object and field', () => {
    const path = write('bad-manifests.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: api }\nspec:\n  selector: { matchLabels: { app: api } }\n  template:\n    metadata: { labels: { app: api } }\n    spec: { containers: [{ name: api, image: api:1, resources: { limits: { memory: 12x } } }] }\n');
    const r = validateFile(path);
    expect(r.ok).toBe(false);
    expect(r.kind).toBe('manifests');
    expect(r.errors).toEqual([expect.stringMatching(new RegExp(`^${escape(path)}: document 1 \\(Deployment "api"\\): spec\\.template\\.spec\\.containers\\[0\\]\\.resources\\.limits\\.memory: invalid quantity "12x"`))]);
  });

  it('reports scenario problems with the file and path', () => {
    const path = write('bad-scenario.yaml', 'id: x\ntitle: X\nslo: { availability: 2 }\nincidents: []\n');
    const r = validateFile(path);
    expect(r.ok).toBe(false);
    expect(r.kind).toBe('scenario');
    expect(r.errors).toContain(`${path}: slo.availability: must be less than 1 (e.g. 0.99 for 99 %) (line 3)`);
    expect(r.errors.some((e) => e.startsWith(`${path}: slo.latency: `))).toBe(true);
  });

  it('reports cross-reference problems of a scenario', () => {
    const text = loadText(fixture('scenarios/bookinfo-node-failure.yaml')).replace('manifests: ../manifests/bookinfo.yaml', `manifests: ${fixture('manifests/bookinfo.yaml')}`).replace('target: worker-2', 'target: worker-7');
    const path = write('xref.yaml', text);
    expect(validateFile(path).errors).toEqual([`${path}: incidents[0] (worker-2-down).target: no Node "worker-7" in cluster.nodes (Nodes: worker-1, worker-2, worker-3)`]);
  });

  it('reports a missing file and manifests with nothing to run', () => {
    expect(validateFile(join(dir, 'missing.yaml'))).toMatchObject({ ok: false, errors: [expect.stringContaining('no such file')] });
    const path = write('sa.yaml', 'apiVersion: v1\nkind: ServiceAccount\nmetadata: { name: a }\n');
    expect(validateFile(path)).toMatchObject({ ok: false, kind: 'manifests', errors: [expect.stringContaining('no Deployment found')] });
  });
});

function loadText(path: string): string {
  return readFileSync(path, 'utf8');
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
