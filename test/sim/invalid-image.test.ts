/**
 * Issue 6: an image reference the docker reference grammar rejects (`kubectl set image` to
 * `NGINX:Latest`, a manifest's `nginx::1`) is never pulled: the container waits `InvalidImageName`
 * with the kubelet's message, the Pod's events are Warning `InspectFailed` and `Failed` `Error:
 * InvalidImageName`, repeated every 10 s by the pod worker. Times are sim seconds (tickSeconds 1).
 */
import { describe, expect, it } from 'vitest';
import { createSim } from '../../shared/sim/index.ts';
import { imageReferenceError, invalidImageMessage } from '../../shared/sim/controllers/imageReference.ts';
import { loadManifests } from '../../shared/manifests/load.ts';
import { manifestsOnlyInput } from '../../shared/scenario/toSimInput.ts';
import { podsOf, shopInput, stepN, typeCommand } from './game-fixtures.ts';

describe('image reference grammar (distribution/reference)', () => {
  it('accepts the usual forms', () => {
    for (const ok of [
      'nginx', 'nginx:1.27', 'nginx:Latest', 'library/nginx:1.27-alpine', 'shop/frontend:v1.4.3', 'docker.io/bitnami/redis:7.2',
      'registry.local:5000/team/app:v2', 'localhost/app', 'gcr.io/google-samples/microservices-demo/frontend:v0.10.1',
      `nginx@sha256:${'a'.repeat(64)}`, `quay.io/x/y:1@sha256:${'0'.repeat(64)}`, 'my_app__x--y.z:tag_1', '[::1]:5000/app',
    ]) expect(imageReferenceError(ok), ok).toBeNull();
  });

  it('rejects with the library error text', () => {
    expect(imageReferenceError('NGINX:Latest')).toBe('invalid reference format: repository name (library/NGINX) must be lowercase');
    expect(imageReferenceError('team/App')).toBe('invalid reference format: repository name (team/App) must be lowercase');
    expect(imageReferenceError('nginx::1')).toBe('invalid reference format');
    expect(imageReferenceError('nginx:')).toBe('invalid reference format');
    expect(imageReferenceError('-nginx')).toBe('invalid reference format');
    expect(imageReferenceError('nginx:-1')).toBe('invalid reference format');
    expect(imageReferenceError(`nginx:${'t'.repeat(129)}`)).toBe('invalid reference format');
    expect(imageReferenceError('nginx@sha256:abc')).toBe('invalid reference format');
    expect(imageReferenceError(`nginx@sha256:${'a'.repeat(40)}`)).toBe('invalid checksum digest length');
    expect(imageReferenceError('a'.repeat(64))).toBe(`invalid repository name (${'a'.repeat(64)}), cannot specify 64-byte hexadecimal strings`);
    expect(invalidImageMessage('nginx::1')).toBe('Failed to apply default image tag "nginx::1": couldn\'t parse image name "nginx::1": invalid reference format');
  });
});

describe('InvalidImageName', () => {
  it('kubectl set image to NGINX:Latest: the new Pod waits InvalidImageName, never pulled, InspectFailed every 10 s', () => {
    const s = createSim(shopInput({ rps: 50 }));
    stepN(s, 5);
    expect(typeCommand(s, 'kubectl set image deployment/frontend frontend=NGINX:Latest')).toMatch(/image updated/);
    stepN(s, 3);
    const bad = podsOf(s, 'frontend').filter((p) => p.spec.containers[0]!.image === 'NGINX:Latest');
    expect(bad).toHaveLength(1);
    const name = bad[0]!.metadata.name;
    const line = typeCommand(s, 'kubectl get pods -l app=frontend').split('\n').find((l) => l.startsWith(name))!;
    expect(line).toMatch(/0\/1\s+InvalidImageName\s+0\s/);
    const msg = 'Failed to apply default image tag "NGINX:Latest": couldn\'t parse image name "NGINX:Latest": invalid reference format: repository name (library/NGINX) must be lowercase';
    stepN(s, 40);
    const described = typeCommand(s, `kubectl describe pod ${name}`);
    expect(described).toMatch(/State:\s+Waiting\n\s+Reason:\s+InvalidImageName/);
    expect(described).toMatch(/Warning\s+InspectFailed\s+\S+ \(x5 over 4\ds\)\s+kubelet\s+Failed to apply default image tag "NGINX:Latest"/);
    expect(described).toContain(msg);
    expect(described).toMatch(/Warning\s+Failed\s+\S+ \(x5 over 4\ds\)\s+kubelet\s+Error: InvalidImageName/);
    expect(described).not.toMatch(/Pulling|ErrImagePull|BackOff/);
    // The old Pods keep serving: the rollout is stuck at one new Pod.
    expect(typeCommand(s, 'kubectl get pods -l app=frontend').split('\n').filter((l) => /1\/1\s+Running/.test(l))).toHaveLength(3);
    // Fixing the image rolls out normally.
    expect(typeCommand(s, 'kubectl set image deployment/frontend frontend=shop/frontend:v1.4.2')).toMatch(/image updated/);
    stepN(s, 60);
    expect(typeCommand(s, 'kubectl get pods -l app=frontend')).not.toMatch(/InvalidImageName/);
  });

  it('a manifest with nginx::1: InvalidImageName from the first sync, also in a warm start', () => {
    const yaml = `
apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: 1
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers: [{ name: web, image: 'nginx::1', ports: [{ containerPort: 80 }] }]
---
apiVersion: v1
kind: Service
metadata: { name: web }
spec: { type: LoadBalancer, selector: { app: web }, ports: [{ port: 80, targetPort: 80 }] }
`;
    const loaded = loadManifests(yaml);
    expect(loaded.errors).toEqual([]); // the API server accepts it: only the kubelet parses references
    for (const coldStart of [true, false]) {
      const s = createSim({ ...manifestsOnlyInput(loaded, { seed: 1, durationSeconds: 300 }), coldStart });
      stepN(s, 2);
      expect(typeCommand(s, 'kubectl get pods')).toMatch(/web-\S+\s+0\/1\s+InvalidImageName\s+0\s/);
    }
  });

  it('an init container image that does not parse: Init:InvalidImageName, the app container never starts', () => {
    const yaml = `
apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: 1
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      initContainers: [{ name: setup, image: 'BusyBox:1.36' }]
      containers: [{ name: web, image: 'nginx:1.27', ports: [{ containerPort: 80 }] }]
---
apiVersion: v1
kind: Service
metadata: { name: web }
spec: { type: LoadBalancer, selector: { app: web }, ports: [{ port: 80, targetPort: 80 }] }
`;
    const s = createSim({ ...manifestsOnlyInput(loadManifests(yaml), { seed: 1, durationSeconds: 300 }), coldStart: true });
    stepN(s, 30);
    expect(typeCommand(s, 'kubectl get pods')).toMatch(/web-\S+\s+0\/1\s+Init:InvalidImageName\s+0\s/);
    const name = Object.values(s.pods).find((p) => p.metadata.name.startsWith('web-'))!.metadata.name;
    expect(typeCommand(s, `kubectl describe pod ${name}`)).toContain('Failed to apply default image tag "BusyBox:1.36": couldn\'t parse image name "BusyBox:1.36": invalid reference format: repository name (library/BusyBox) must be lowercase');
  });
});
