/**
 * (issue 6) Real kubectl v1.32 against a live match: `create configmap --from-literal`, `create secret
 * generic`, `get cm` / `get secrets` (the server's columns), `describe configmap|secret` (kubectl's own
 * describer over the served objects), `-o jsonpath` of a Secret's base64 data, `apply -f -` of a
 * ConfigMap, `delete cm`. Each write is a game action of the player.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { waitFor } from '../server/helpers.ts';
import { startKubectlMatch, until, type KubectlMatch, type KubectlResult } from './kubectl-match.ts';

let m: KubectlMatch;

/** Runs kubectl with alice's kubeconfig, `stdin` piped in. */
const kubectl = (args: string[], stdin?: string): Promise<KubectlResult> => m.kubectl(args, { stdin });

beforeAll(async () => {
  m = await startKubectlMatch({ seed: 12, timeDilation: 30, prefix: 'kubectl-config' });
});

afterAll(async () => {
  await m?.close();
});

const actionCount = (): number => m.actionCount();

describe('real kubectl with ConfigMaps and Secrets', () => {
  it('create configmap / secret generic, get, describe, jsonpath, apply -f -, delete', async () => {
    const before = actionCount();
    const c = await kubectl(['create', 'configmap', 'app-settings', '--from-literal=MODE=prod', '--from-literal=LEVEL=debug']);
    expect(c.err).toBe('');
    expect(c.out.trim()).toBe('configmap/app-settings created');
    await waitFor(() => actionCount() === before + 1, 'the create action');
    await until(async () => (await kubectl(['get', 'cm', 'app-settings'])).code === 0, 'the ConfigMap served');
    expect((await kubectl(['get', 'cm', 'app-settings'])).out).toMatch(/^NAME\s+DATA\s+AGE\napp-settings\s+2\s+\S+\n$/);
    const d = (await kubectl(['describe', 'configmap', 'app-settings'])).out;
    // kubectl ranges over the Go map (random order); the console sorts the keys
    expect(d).toMatch(/^Name:\s+app-settings\nNamespace:\s+default\nLabels:\s+<none>\nAnnotations:\s+<none>\n\nData\n====\n/);
    expect(d).toContain('LEVEL:\n----\ndebug\n\n');
    expect(d).toContain('MODE:\n----\nprod\n\n');
    expect(d).toMatch(/\n\n\nBinaryData\n====\n\nEvents:/);
    const s = await kubectl(['create', 'secret', 'generic', 'db', '--from-literal=password=s3cret']);
    expect(s.out.trim()).toBe('secret/db created');
    await until(async () => (await kubectl(['get', 'secret', 'db'])).code === 0, 'the Secret served');
    expect((await kubectl(['get', 'secrets'])).out).toMatch(/^NAME\s+TYPE\s+DATA\s+AGE\ndb\s+Opaque\s+1\s+\S+\n$/);
    expect((await kubectl(['get', 'secret', 'db', '-o', 'jsonpath={.data.password}'])).out).toBe('czNjcmV0');
    expect((await kubectl(['describe', 'secret', 'db'])).out).toMatch(/\nType:\s+Opaque\n\nData\n====\npassword:\s+6 bytes\n$/);
    const a = await kubectl(['apply', '-f', '-'], 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: pasted }\ndata: { a: "1" }\n');
    expect(a.err).toBe('');
    expect(a.out.trim()).toBe('configmap/pasted created');
    await until(async () => (await kubectl(['get', 'cm', 'pasted'])).code === 0, 'the applied ConfigMap');
    const del = await kubectl(['delete', 'cm', 'app-settings']);
    expect(del.out.trim()).toBe('configmap "app-settings" deleted');
    await until(async () => (await kubectl(['get', 'cm', 'app-settings'])).err.includes('NotFound'), 'the ConfigMap gone');
    expect((await kubectl(['api-resources', '--api-group='])).out).toMatch(/\nconfigmaps\s+cm\s+v1\s+true\s+ConfigMap\n/);
  });
});
