/**
 * Volumes (issue 6): `spec.volumes` and containers' `volumeMounts` are kept in the Pod spec; a
 * non-optional configMap / secret volume naming an object the manifests do not define leaves the Pod
 * `ContainerCreating` with Warning `FailedMount` events, retried with the volume manager's back-off
 * (1, 2, 4 ... s, aggregated by the recorder); describe pod shows `Mounts:` and `Volumes:`. The
 * pod-template-hash ignores volumes (Pod names as before). Times are sim seconds (tickSeconds 1).
 */
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../shared/manifests/load.ts';
import { manifestsOnlyInput } from '../../shared/scenario/toSimInput.ts';
import { runKubectl } from '../../shared/kubectl/index.ts';
import { createSim, podDisplayStatus, step } from '../../shared/sim/index.ts';
import type { Pod, SimState } from '../../shared/sim/index.ts';

function kubectl(s: SimState, line: string): string {
  const r = runKubectl(s, line);
  if (r.kind === 'output') return r.output;
  if (r.kind === 'error') return r.error;
  throw new Error(`${line} is an action`);
}

const WEB = (volumes: string, mounts: string) => `
apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: 1
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
        - name: app
          image: web:v1
          ports: [{ containerPort: 8080 }]
          resources: { requests: { cpu: 100m, memory: 64Mi } }${mounts ? `\n          volumeMounts:\n${mounts}` : ''}${volumes ? `\n      volumes:\n${volumes}` : ''}
---
apiVersion: v1
kind: Service
metadata: { name: web }
spec: { type: LoadBalancer, selector: { app: web }, ports: [{ port: 80, targetPort: 8080 }] }
`;

const CONFIG_VOLUMES = `        - { name: config, configMap: { name: app-config } }
        - { name: creds, secret: { secretName: app-creds, optional: true } }
        - { name: cache, emptyDir: {} }`;
const CONFIG_MOUNTS = `            - { name: config, mountPath: /etc/app, readOnly: true }
            - { name: cache, mountPath: /cache }`;
const CONFIGMAP = `---
apiVersion: v1
kind: ConfigMap
metadata: { name: app-config }
data: { mode: prod }
`;

function simOf(yaml: string, warm = false): SimState {
  const loaded = loadManifests(yaml);
  expect(loaded.errors).toEqual([]);
  return createSim({ ...manifestsOnlyInput(loaded, { seed: 3, durationSeconds: 900 }), coldStart: !warm });
}
const webPod = (s: SimState): Pod => Object.values(s.pods).find((p) => p.metadata.name.startsWith('web-'))!;
const stepN = (s: SimState, n: number) => { for (let i = 0; i < n; i++) step(s); };

describe('volumes', () => {
  it('a configMap volume of a ConfigMap the manifests define mounts; describe shows Mounts and Volumes', () => {
    const s = simOf(WEB(CONFIG_VOLUMES, CONFIG_MOUNTS) + CONFIGMAP);
    stepN(s, 20);
    const pod = webPod(s);
    expect(podDisplayStatus(pod, s.t)).toBe('Running');
    expect(s.events.filter((e) => e.reason === 'FailedMount')).toEqual([]);
    const d = kubectl(s, `describe pod ${pod.metadata.name}`);
    expect(d).toContain('    Mounts:\n      /cache from cache (rw)\n      /etc/app from config (ro)\n');
    expect(d).toMatch(/\nVolumes:\n {2}config:\n {4}Type: +ConfigMap \(a volume populated by a ConfigMap\)\n {4}Name: +app-config\n {4}Optional: +false\n/);
    expect(d).toMatch(/\n {2}creds:\n {4}Type: +Secret \(a volume populated by a Secret\)\n {4}SecretName: +app-creds\n {4}Optional: +true\n/);
    expect(d).toMatch(/\n {2}cache:\n {4}Type: +EmptyDir \(a temporary directory that shares a pod's lifetime\)\n/);
    expect(d.indexOf('\nVolumes:')).toBeGreaterThan(d.indexOf('\nConditions:'));
    expect(d.indexOf('\nVolumes:')).toBeLessThan(d.indexOf('\nQoS Class:'));
  });

  it('a missing ConfigMap: ContainerCreating with FailedMount retried with back-off (events aggregate), no image pull', () => {
    const s = simOf(WEB(CONFIG_VOLUMES, CONFIG_MOUNTS));
    stepN(s, 120);
    const pod = webPod(s);
    expect(podDisplayStatus(pod, s.t)).toBe('ContainerCreating');
    expect(kubectl(s, 'get pods')).toMatch(new RegExp(`${pod.metadata.name} +0/1 +ContainerCreating +0 `));
    const mine = s.events.filter((e) => e.object.name === pod.metadata.name);
    const failed = mine.filter((e) => e.reason === 'FailedMount');
    expect(new Set(failed.map((e) => `${e.type} ${e.message}`))).toEqual(new Set(['Warning MountVolume.SetUp failed for volume "config" : configmap "app-config" not found']));
    // Back-off 1, 2, 4, 8, 16, 32, 64 s: 7-8 attempts in two minutes, not one a second; one series.
    expect(failed.length).toBeGreaterThanOrEqual(6);
    expect(failed.length).toBeLessThanOrEqual(9);
    expect(failed[failed.length - 1]!.count).toBe(failed.length);
    expect(mine.some((e) => e.reason === 'Pulling')).toBe(false);
    const d = kubectl(s, `describe pod ${pod.metadata.name}`);
    expect(d).toMatch(/Warning +FailedMount +\S+ \(x\d+ over \S+\) +kubelet +MountVolume\.SetUp failed for volume "config" : configmap "app-config" not found/);
  });

  it('a missing non-optional Secret volume fails the same way; an optional one mounts', () => {
    const s = simOf(WEB('        - { name: tls, secret: { secretName: web-tls } }', '            - { name: tls, mountPath: /tls }'));
    stepN(s, 10);
    expect(podDisplayStatus(webPod(s), s.t)).toBe('ContainerCreating');
    expect(s.events.find((e) => e.reason === 'FailedMount')!.message).toBe('MountVolume.SetUp failed for volume "tls" : secret "web-tls" not found');
    const ok = simOf(WEB('        - { name: tls, secret: { secretName: web-tls, optional: true } }', '            - { name: tls, mountPath: /tls }'));
    stepN(ok, 20);
    expect(podDisplayStatus(webPod(ok), ok.t)).toBe('Running');
  });

  it('items naming a key the ConfigMap lacks: FailedMount `configmap references non-existent config key`; present keys mount; optional skips', () => {
    const vol = (key: string, extra = '') => WEB(`        - { name: config, configMap: { name: app-config${extra}, items: [{ key: ${key}, path: app.conf }] } }`, '            - { name: config, mountPath: /etc/app }') + CONFIGMAP;
    const s = simOf(vol('app.conf'));
    stepN(s, 10);
    expect(podDisplayStatus(webPod(s), s.t)).toBe('ContainerCreating');
    expect(s.events.find((e) => e.reason === 'FailedMount')!.message).toBe('MountVolume.SetUp failed for volume "config" : configmap references non-existent config key: app.conf');
    expect(webPod(s).spec.volumes![0]!.configMap!.items).toEqual([{ key: 'app.conf', path: 'app.conf' }]);
    const ok = simOf(vol('mode'));
    stepN(ok, 20);
    expect(podDisplayStatus(webPod(ok), ok.t)).toBe('Running');
    const opt = simOf(vol('app.conf', ', optional: true'));
    stepN(opt, 20);
    expect(podDisplayStatus(webPod(opt), opt.t)).toBe('Running');
    const sec = simOf(WEB('        - { name: tls, secret: { secretName: web-tls, items: [{ key: tls.crt, path: cert }] } }', '            - { name: tls, mountPath: /tls }') + '---\napiVersion: v1\nkind: Secret\nmetadata: { name: web-tls }\nstringData: { other: x }\n');
    stepN(sec, 10);
    expect(sec.events.find((e) => e.reason === 'FailedMount')!.message).toBe('MountVolume.SetUp failed for volume "tls" : references non-existent secret key: tls.crt');
  });

  it('the warm start too: a Pod whose ConfigMap is missing is not Running at t=0', () => {
    const s = simOf(WEB(CONFIG_VOLUMES, CONFIG_MOUNTS), true);
    expect(podDisplayStatus(webPod(s), s.t)).toBe('ContainerCreating');
  });

  it('volumes do not change the pod-template-hash (Pod names as before)', () => {
    const plain = simOf(WEB('', ''));
    const withVolumes = simOf(WEB(CONFIG_VOLUMES, CONFIG_MOUNTS) + CONFIGMAP);
    expect(webPod(withVolumes).metadata.labels['pod-template-hash']).toBe(webPod(plain).metadata.labels['pod-template-hash']);
    expect(webPod(withVolumes).spec.volumes?.map((v) => v.name)).toEqual(['config', 'creds', 'cache']);
  });

  it('manifest validation: one source per volume, typed fields', () => {
    const r = loadManifests(WEB('        - { name: x, emptyDir: {}, configMap: { name: c } }', ''));
    expect(r.errors.map((e) => `${e.path}: ${e.message}`)).toEqual(['spec.template.spec.volumes[0]: may not specify more than 1 volume type (got emptyDir, configMap)']);
    const r2 = loadManifests(WEB('        - { name: x, configMap: {} }', ''));
    expect(r2.errors.map((e) => e.path)).toEqual(['spec.template.spec.volumes[0].configMap.name']);
  });
});
