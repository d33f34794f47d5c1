/**
 * (issue 6) PriorityClasses through real kubectl v1.32: `create -f` (a cluster-scoped POST), `get pc`,
 * `apply -f`, `explain`, `delete pc`, and a watch of the collection that sees the class ADDED then DELETED.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { startKubectlMatch, type KubectlMatch, type KubectlResult } from './kubectl-match.ts';

let m: KubectlMatch;
const kubectl = (args: string[], stdin?: string): Promise<KubectlResult> => m.kubectl(args, { stdin });

beforeAll(async () => {
  m = await startKubectlMatch({ seed: 14, timeDilation: 30, prefix: 'kubectl-pc' });
});

afterAll(async () => {
  await m?.close();
});

const PC = `apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata: { name: batch-low }
value: -10
description: "batch work, preempted first"
`;

const COLLECTION = '/apis/scheduling.k8s.io/v1/priorityclasses';

describe('kubectl and PriorityClasses', () => {
  it('create -f, get, delete; a watch sees ADDED then DELETED', async () => {
    // The kubeconfig's server URL (a path under the game server) with alice's token.
    const base = /server: (\S+)/.exec(readFileSync(m.config, 'utf8'))![1]!;
    const auth = { headers: { accept: 'application/json', authorization: `Bearer ${m.cred.token}` } };
    const list = (await (await fetch(`${base}${COLLECTION}`, auth)).json()) as { metadata: { resourceVersion: string }; items: { metadata: { name: string } }[] };
    expect(list.items.map((i) => i.metadata.name)).toEqual(expect.arrayContaining(['system-cluster-critical', 'system-node-critical']));
    const watch = fetch(`${base}${COLLECTION}?watch=true&resourceVersion=${list.metadata.resourceVersion}&timeoutSeconds=3`, auth).then((r) => r.text());
    const created = await kubectl(['create', '-f', '-'], PC);
    expect(created.err).toBe('');
    expect(created.out.trim()).toBe('priorityclass.scheduling.k8s.io/batch-low created');
    const got = await kubectl(['get', 'pc', 'batch-low']);
    expect(got.err).toBe('');
    expect(got.out).toMatch(/^NAME\s+VALUE\s+GLOBAL-DEFAULT\s+AGE\s+PREEMPTIONPOLICY\n/);
    expect(got.out).toMatch(/^batch-low\s+-10\s+false\s+\S+\s+PreemptLowerPriority$/m);
    const again = await kubectl(['create', '-f', '-'], PC);
    expect(again.err).toContain('Error from server (AlreadyExists): error when creating "STDIN": priorityclasses.scheduling.k8s.io "batch-low" already exists');
    const deleted = await kubectl(['delete', 'pc', 'batch-low']);
    expect(deleted.err).toBe('');
    expect(deleted.out.trim()).toBe('priorityclass.scheduling.k8s.io "batch-low" deleted');
    expect((await kubectl(['get', 'pc', 'batch-low'])).err).toContain('Error from server (NotFound): priorityclasses.scheduling.k8s.io "batch-low" not found');
    const events = (await watch).split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { type: string; object: { kind: string; metadata: { name: string }; value: number } });
    const mine = events.filter((e) => e.object.metadata?.name === 'batch-low');
    expect(mine.map((e) => e.type)).toEqual(['ADDED', 'DELETED']);
    expect(mine[0]!.object).toMatchObject({ kind: 'PriorityClass', value: -10 });
  });

  it('apply -f creates a class; explain knows the kind', async () => {
    const applied = await kubectl(['apply', '-f', '-'], PC.replace('batch-low', 'batch-apply'));
    expect(applied.err).toBe('');
    expect(applied.out.trim()).toBe('priorityclass.scheduling.k8s.io/batch-apply created');
    expect((await kubectl(['get', 'pc', 'batch-apply', '-o', 'jsonpath={.value} {.preemptionPolicy}'])).out).toBe('-10 PreemptLowerPriority');
    const explain = await kubectl(['explain', 'priorityclass.value']);
    expect(explain.err).toBe('');
    expect(explain.out).toMatch(/^GROUP:\s+scheduling\.k8s\.io$/m);
  });

  it('a system class cannot be deleted', async () => {
    const r = await kubectl(['delete', 'pc', 'system-node-critical']);
    expect(r.err).toContain('this is a system priority class and cannot be deleted');
  });
});
