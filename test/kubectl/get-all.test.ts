/**
 * `kubectl get all` in the console (issue 6, "The console, as real as kubectl"): the `all` category of
 * kubectl 1.32 — pods, services, daemonsets, deployments, replicasets, statefulsets,
 * horizontalpodautoscalers, cronjobs, jobs — in a real cluster's order, each table with its kind's
 * headers and names prefixed `kind.group/`. The expected headers were read from real kubectl v1.32
 * (`kubectl get all`, `-o wide`, `-A`) against `gameday kube --manifests` of the same fixture.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../shared/manifests/load.ts';
import { manifestsOnlyInput } from '../../shared/scenario/toSimInput.ts';
import { createSim, step } from '../../shared/sim/index.ts';
import { runKubectl } from '../../shared/kubectl/index.ts';

const FIXTURE = new URL('../fixtures/manifests/every-workload.yaml', import.meta.url);

function sim(): ReturnType<typeof createSim> {
  const s = createSim(manifestsOnlyInput(loadManifests(readFileSync(FIXTURE, 'utf8'), { source: 'every-workload.yaml' }), { seed: 1 }));
  for (let i = 0; i < 90; i++) step(s);
  return s;
}

function out(s: ReturnType<typeof createSim>, line: string): string {
  const r = runKubectl(s, line);
  if (r.kind === 'output') return r.output;
  throw new Error(r.kind === 'error' ? r.error : 'an action');
}

/** Each table: its header words and the first cell of its rows. */
function tables(text: string): { header: string[]; names: string[] }[] {
  return text.split('\n\n').map((t) => {
    const [head, ...rows] = t.split('\n');
    return { header: head!.trim().split(/\s{2,}/), names: rows.map((r) => r.trim().split(/\s+/)[0]!) };
  });
}

describe('kubectl get all', () => {
  const s = sim();

  it('prints every kind of the all category, in kubectl 1.32 order, with its headers', () => {
    const t = tables(out(s, 'kubectl get all'));
    expect(t.map((x) => x.header)).toEqual([
      ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE'],
      ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE'],
      ['NAME', 'DESIRED', 'CURRENT', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'NODE SELECTOR', 'AGE'],
      ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE'],
      ['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE'],
      ['NAME', 'READY', 'AGE'],
      ['NAME', 'REFERENCE', 'TARGETS', 'MINPODS', 'MAXPODS', 'REPLICAS', 'AGE'],
      ['NAME', 'SCHEDULE', 'TIMEZONE', 'SUSPEND', 'ACTIVE', 'LAST SCHEDULE', 'AGE'],
      ['NAME', 'STATUS', 'COMPLETIONS', 'DURATION', 'AGE'],
    ]);
    expect(t.map((x) => x.names[0]!.slice(0, x.names[0]!.indexOf('/')))).toEqual([
      'pod', 'service', 'daemonset.apps', 'deployment.apps', 'replicaset.apps', 'statefulset.apps', 'horizontalpodautoscaler.autoscaling', 'cronjob.batch', 'job.batch',
    ]);
    expect(t[0]!.names).toContain('pod/db-0');
    expect(t[6]!.names).toEqual(['horizontalpodautoscaler.autoscaling/web']);
    expect(t[8]!.names).toEqual(['job.batch/migrate']);
    expect(out(s, 'kubectl get all')).toMatch(/^job\.batch\/migrate\s+Complete\s+1\/1\s+\d+s\s+90s$/m);
    expect(out(s, 'kubectl get all')).toMatch(/^cronjob\.batch\/report\s+\*\/5 \* \* \* \*\s+<none>\s+False\s+0\s+<none>\s+90s$/m);
  });

  it('-A adds NAMESPACE to every table, -o wide the wide columns, -o name one line per object', () => {
    const all = tables(out(s, 'kubectl get all -A'));
    expect(all).toHaveLength(9);
    for (const t of all) expect(t.header[0]).toBe('NAMESPACE');
    const wide = tables(out(s, 'kubectl get all -o wide'));
    expect(wide.map((x) => x.header.slice(-3))).toEqual([
      ['NODE', 'NOMINATED NODE', 'READINESS GATES'],
      ['PORT(S)', 'AGE', 'SELECTOR'],
      ['CONTAINERS', 'IMAGES', 'SELECTOR'],
      ['CONTAINERS', 'IMAGES', 'SELECTOR'],
      ['CONTAINERS', 'IMAGES', 'SELECTOR'],
      ['AGE', 'CONTAINERS', 'IMAGES'],
      ['MAXPODS', 'REPLICAS', 'AGE'],
      ['CONTAINERS', 'IMAGES', 'SELECTOR'],
      ['CONTAINERS', 'IMAGES', 'SELECTOR'],
    ]);
    const names = out(s, 'kubectl get all -o name').split('\n');
    expect(names).not.toContain('');
    expect(names.slice(-4)).toEqual(['statefulset.apps/db', 'horizontalpodautoscaler.autoscaling/web', 'cronjob.batch/report', 'job.batch/migrate']);
  });

  it('get events --for takes any registered kind (job/NAME, cj/NAME)', () => {
    expect(out(s, 'kubectl get events --for job/migrate')).toMatch(/^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE\n80s\s+Normal\s+Completed\s+job\/migrate\s+Job completed$/);
    expect(out(s, 'kubectl get events --for statefulset/nope')).toBe('No resources found in default namespace.');
  });

  it('-l filters every kind; -o json is one List; an empty namespace says so', () => {
    expect(tables(out(s, 'kubectl get all -l app=web')).map((t) => t.names[0]!.split('/')[0])).toEqual(['pod', 'deployment.apps', 'replicaset.apps']);
    const list = JSON.parse(out(s, 'kubectl get all -o json')) as { kind: string; items: { kind: string }[] };
    expect(list.kind).toBe('List');
    expect(new Set(list.items.map((i) => i.kind))).toEqual(new Set(['Pod', 'Service', 'DaemonSet', 'Deployment', 'ReplicaSet', 'StatefulSet', 'HorizontalPodAutoscaler', 'CronJob', 'Job']));
    expect(out(s, 'kubectl get all -n nope')).toBe('No resources found in nope namespace.');
    expect(out(s, 'kubectl get all -A -l app=nope')).toBe('No resources found');
  });
});
