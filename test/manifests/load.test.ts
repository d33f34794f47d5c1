import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { formatManifestError, loadManifests } from '../../shared/manifests/load.ts';
import type { ManifestError } from '../../shared/manifests/load.ts';

const fixture = (name: string) => readFileSync(fileURLToPath(new URL(`../fixtures/manifests/${name}`, import.meta.url)), 'utf8');

const validDeployment = (name: string, extra = '') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  selector:
    matchLabels: { app: ${name} }
  template:
    metadata:
      labels: { app: ${name} }
    spec:
      containers:
      - name: server
        image: example/${name}:1.0
${extra}`;

function errorLines(text: string, source = 'manifests.yaml'): string[] {
  const r = loadManifests(text, { source });
  return r.errors.map((e) => formatManifestError(e, source));
}

describe("Gameday's manifests modelled on public demo applications", () => {
  it('loads the Online Boutique manifest (modelled on GoogleCloudPlatform/microservices-demo) with no errors', () => {
    const r = loadManifests(fixture('online-boutique.yaml'), { source: 'online-boutique.yaml' });
    expect(r.errors).toEqual([]);
    expect(r.deployments.length).toBeGreaterThanOrEqual(11);
    expect(r.deployments.map((d) => d.metadata.name)).toEqual(
      expect.arrayContaining(['frontend', 'cartservice', 'checkoutservice', 'redis-cart', 'loadgenerator', 'adservice']),
    );
    const external = r.services.find((s) => s.metadata.name === 'frontend-external');
    expect(external?.spec.type).toBe('LoadBalancer');
    expect(r.services.length).toBe(12);
    const cart = r.deployments.find((d) => d.metadata.name === 'cartservice')!;
    const c = cart.spec.template.spec.containers[0]!;
    expect(c.resources?.limits?.memory).toBe('128Mi');
    expect(c.env).toContainEqual({ name: 'REDIS_ADDR', value: 'redis-cart:6379' });
    // Fields the sim does not use (securityContext, serviceAccountName...) are dropped; init containers
    // and volumes are kept since issue 6.
    expect(JSON.stringify(r.deployments)).not.toContain('securityContext');
    const lg = r.deployments.find((d) => d.metadata.name === 'loadgenerator')!;
    expect(lg.spec.template.spec.initContainers?.map((x) => x.name)).toEqual(['wait-for-frontend']);
  });

  it('loads the Bookinfo manifest (modelled on Istio Bookinfo) and names the ignored ServiceAccounts in warnings', () => {
    const r = loadManifests(fixture('bookinfo.yaml'), { source: 'bookinfo.yaml' });
    expect(r.errors).toEqual([]);
    expect(r.deployments.map((d) => d.metadata.name)).toEqual(['details-v1', 'ratings-v1', 'reviews-v1', 'reviews-v2', 'reviews-v3', 'productpage-v1']);
    expect(r.services.map((s) => s.metadata.name)).toEqual(['details', 'ratings', 'reviews', 'productpage']);
    expect(r.warnings).toHaveLength(4);
    expect(r.warnings[0]).toBe('bookinfo.yaml: document 2: ignored ServiceAccount "bookinfo-details" (does not affect the simulation)');
    expect(r.warnings.join('\n')).toContain('ignored ServiceAccount "bookinfo-productpage"');
  });

  it('loads the guestbook manifest (modelled on the Kubernetes guestbook) with its NodePort Service', () => {
    const r = loadManifests(fixture('guestbook-all-in-one.yaml'));
    expect(r.errors).toEqual([]);
    expect(r.deployments.map((d) => [d.metadata.name, d.spec.replicas])).toEqual([
      ['redis-master', 1],
      ['redis-replica', 2],
      ['frontend', 3],
    ]);
    expect(r.services.find((s) => s.metadata.name === 'frontend')?.spec.type).toBe('NodePort');
  });
});

describe('document handling', () => {
  it('ignores empty documents and comment-only documents', () => {
    const r = loadManifests(`---\n---\n# nothing here\n---\n${validDeployment('a')}---\n\n---\n`);
    expect(r.errors).toEqual([]);
    expect(r.deployments.map((d) => d.metadata.name)).toEqual(['a']);
  });

  it('expands kind: List items and notes accepted (not simulated) kinds with the document number', () => {
    const text = `apiVersion: v1
kind: ConfigMap
metadata: { name: settings }
---
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Service
  metadata: { name: a }
  spec: { selector: { app: a }, ports: [{ port: 80 }] }
- ${validDeployment('a').replace(/\n/g, '\n  ')}
- apiVersion: v1
  kind: Secret
  metadata: { name: token }
`;
    const r = loadManifests(text);
    expect(r.errors).toEqual([]);
    expect(r.services.map((s) => s.metadata.name)).toEqual(['a']);
    expect(r.deployments.map((d) => d.metadata.name)).toEqual(['a']);
    expect(r.warnings).toEqual([]);
    // (issue 6) ConfigMaps and Secrets are loaded as objects, namespace default when unset
    expect(r.configs).toEqual([
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' } },
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'token' } },
    ]);
  });

  it('keeps quantities as strings, also when written as YAML numbers', () => {
    const r = loadManifests(validDeployment('a', '        resources:\n          limits: { cpu: 1, memory: 134217728 }\n'));
    expect(r.errors).toEqual([]);
    expect(r.deployments[0]!.spec.template.spec.containers[0]!.resources).toEqual({ limits: { cpu: '1', memory: '134217728' } });
  });

  it('keeps valueFrom env vars (issue 6: the kubelet resolves ConfigMap / Secret keys) and envFrom', () => {
    const r = loadManifests(
      validDeployment('a', '        env:\n        - name: POD_IP\n          valueFrom: { fieldRef: { fieldPath: status.podIP } }\n        - name: B\n          value: "1"\n        - name: C\n          valueFrom: { configMapKeyRef: { name: cfg, key: c, optional: true } }\n        envFrom:\n        - secretRef: { name: creds }\n          prefix: DB_\n'),
    );
    expect(r.errors).toEqual([]);
    const c = r.deployments[0]!.spec.template.spec.containers[0]!;
    expect(c.env).toEqual([{ name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }, { name: 'B', value: '1' }, { name: 'C', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'c', optional: true } } }]);
    expect(c.envFrom).toEqual([{ secretRef: { name: 'creds' }, prefix: 'DB_' }]);
    const bad = loadManifests(validDeployment('a', '        env:\n        - name: X\n          valueFrom: { configMapKeyRef: { name: cfg } }\n'));
    expect(bad.errors.map((e) => e.path)).toEqual(['spec.template.spec.containers[0].env[0].valueFrom.configMapKeyRef.key']);
  });

  it('lets a later definition of the same object win, with a warning', () => {
    const r = loadManifests(`${validDeployment('a')}---\n${validDeployment('a').replace('example/a:1.0', 'example/a:2.0')}`);
    expect(r.deployments).toHaveLength(1);
    expect(r.deployments[0]!.spec.template.spec.containers[0]!.image).toBe('example/a:2.0');
    expect(r.warnings[0]).toContain('document 2: Deployment "a" is defined again (first in document 1)');
  });

  it('warns about memory written in millibytes', () => {
    const r = loadManifests(validDeployment('a', '        resources:\n          limits: { memory: 128m }\n'));
    expect(r.errors).toEqual([]);
    expect(r.warnings[0]).toContain('spec.template.spec.containers[0].resources.limits.memory: "128m" means 0.128 bytes');
  });
});

describe('errors name the document, the object and the field path', () => {
  it('bad quantity', () => {
    const text = `${validDeployment('a')}---\n${validDeployment('b')}---\n${validDeployment('cartservice', '        resources:\n          limits: { memory: 12x }\n')}`;
    const [line] = errorLines(text);
    expect(line).toMatch(
      /^manifests\.yaml: document 3 \(Deployment "cartservice"\): spec\.template\.spec\.containers\[0\]\.resources\.limits\.memory: invalid quantity "12x": unknown suffix "x".* \(line 46\)$/,
    );
  });

  it('missing image', () => {
    const r = loadManifests(validDeployment('web').replace('        image: example/web:1.0\n', ''));
    expect(r.deployments).toEqual([]);
    expect(r.errors).toEqual<ManifestError[]>([
      { document: 1, kind: 'Deployment', name: 'web', path: 'spec.template.spec.containers[0].image', message: 'Required value', line: 13 },
    ]);
  });

  it('selector that does not match the template labels', () => {
    const r = loadManifests(validDeployment('web').replace('labels: { app: web }', 'labels: { app: website }'));
    expect(r.errors).toHaveLength(1);
    expect(formatManifestError(r.errors[0]!, 'm.yaml')).toBe(
      'm.yaml: document 1 (Deployment "web"): spec.template.metadata.labels: `selector` does not match template `labels`: the selector needs app=web, the template has app=website (line 10)',
    );
  });

  it('YAML syntax error reports the document and line, and later documents still load', () => {
    const text = `${validDeployment('a')}---\nkind: Deployment\nmetadata: { name: [oops }\n---\n${validDeployment('c')}`;
    const r = loadManifests(text);
    expect(r.errors.length).toBeGreaterThan(0);
    expect(r.errors.every((e) => e.document === 2)).toBe(true);
    expect(r.errors[0]!.message).toMatch(/^YAML syntax error: /);
    expect(r.errors[0]!.line).toBe(17);
    expect(r.deployments.map((d) => d.metadata.name)).toEqual(['a', 'c']);
  });

  it.each([
    ['replicas: -1', validDeployment('a').replace('spec:\n  selector', 'spec:\n  replicas: -1\n  selector'), 'spec.replicas: must be greater than or equal to 0'],
    ['unquoted env value', validDeployment('a', '        env:\n        - name: PORT\n          value: 8080\n'), 'env[0].value: must be a string: got number 8080; quote it in YAML ("8080")'],
    ['bad name', validDeployment('a').replace('name: a\n', 'name: My_App\n'), 'metadata.name: a lowercase RFC 1123 subdomain'],
    ['requests over limits', validDeployment('a', '        resources:\n          requests: { cpu: 500m }\n          limits: { cpu: 200m }\n'), 'resources.requests.cpu: Invalid value: "500m": must be less than or equal to cpu limit of 200m'],
    ['probe without handler', validDeployment('a', '        readinessProbe: { periodSeconds: 5 }\n'), 'readinessProbe: must specify a handler type'],
    ['old apiVersion', validDeployment('a').replace('apps/v1', 'extensions/v1beta1'), 'apiVersion: extensions/v1beta1 Deployments were removed in Kubernetes 1.16: use apiVersion: apps/v1'],
    ['restartPolicy Never', validDeployment('a').replace('      containers:', '      restartPolicy: Never\n      containers:'), 'restartPolicy: Unsupported value: "Never": supported values: "Always"'],
    ['no containers', validDeployment('a').replace(/ {6}containers:[\s\S]*$/, '      containers: []\n'), 'spec.template.spec.containers: Required value: at least one container'],
    ['both surge and unavailable zero', validDeployment('a').replace('spec:\n  selector', 'spec:\n  strategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } }\n  selector'), 'maxUnavailable: may not be 0 when `maxSurge` is 0'],
    ['missing kind', 'apiVersion: v1\nmetadata: { name: x }\n', 'kind: Required value'],
    ['Service port out of range', 'apiVersion: v1\nkind: Service\nmetadata: { name: s }\nspec: { selector: { app: s }, ports: [{ port: 70000 }] }\n', '(Service "s"): spec.ports[0].port: must be between 1 and 65535, inclusive'],
    ['Service without ports', 'apiVersion: v1\nkind: Service\nmetadata: { name: s }\nspec: { selector: { app: s } }\n', '(Service "s"): spec.ports: Required value'],
    ['Service name not DNS-1035', 'apiVersion: v1\nkind: Service\nmetadata: { name: 1s }\nspec: { ports: [{ port: 80 }] }\n', 'metadata.name: a DNS-1035 label'],
    ['not a mapping', '- a\n- b\n', 'document 1: not a Kubernetes object'],
  ])('%s', (_label, text, fragment) => {
    const lines = errorLines(text);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('\n')).toContain(fragment);
  });

  it('formats errors without a source or line', () => {
    expect(formatManifestError({ document: 4, path: '', message: 'boom' })).toBe('document 4: boom');
    expect(formatManifestError({ document: 2, kind: 'Service', path: 'spec', message: 'bad' }, 'f.yaml')).toBe('f.yaml: document 2 (Service): spec: bad');
  });
});
