import { describe, expect, it } from 'vitest';
import { applyAction, createSim, isFinished, markDirty, stateHash, step } from '../../shared/sim/index.ts';
import { DEFAULT_TEAM_ID, runMatch, teamSummary } from '../../shared/game/index.ts';
import { simOf } from '../game/helpers.ts';
import type { SimState } from '../../shared/sim/index.ts';
import { canonicalJson } from '../../shared/sim/hash.ts';
import { hostsIn } from '../../shared/sim/topology.ts';
import { deployment, input, service } from './fixtures.ts';

const shop = () => input({
  deployments: [
    deployment('frontend', { env: [{ name: 'PRODUCT_CATALOG_SERVICE_ADDR', value: 'http://productcatalogservice:3550' }, { name: 'CART_SERVICE_ADDR', value: 'cartservice:7070' }, { name: 'LOG_LEVEL', value: 'info' }] }),
    deployment('cartservice', { env: [{ name: 'REDIS_ADDR', value: 'redis-cart.default.svc.cluster.local:6379' }] }),
    deployment('productcatalogservice'),
    deployment('redis-cart', { replicas: 1 }),
  ],
  services: [service('frontend', { type: 'LoadBalancer' }), service('cartservice'), service('productcatalogservice'), service('redis-cart')],
  userFacingService: 'frontend',
  rps: 300,
});

describe('createSim', () => {
  it('infers the call graph from env values and sends traffic to LoadBalancer Services', () => {
    const s = createSim(shop());
    expect(s.callGraph).toEqual({
      'default/cartservice': ['default/redis-cart'],
      'default/frontend': ['default/cartservice', 'default/productcatalogservice'],
      'default/productcatalogservice': [],
      'default/redis-cart': [],
    });
    expect(s.ingress).toEqual([{ service: 'default/frontend', rps: 300 }]);
    expect(s.userFacingService).toBe('default/frontend');
    expect(hostsIn('http://a-b:80/x, c.ns.svc:9')).toEqual(['a-b', 'x', 'c']);
  });

  it('uses call-graph roots as ingress when there is no LoadBalancer, with the load split equally', () => {
    const i = shop();
    i.services = i.services.map((x) => ({ ...x, spec: { ...x.spec, type: 'ClusterIP' as const } }));
    i.deployments.push(deployment('admin', { env: [{ name: 'CART', value: 'cartservice:7070' }] }));
    i.services.push(service('admin'));
    expect(createSim(i).ingress).toEqual([{ service: 'default/admin', rps: 150 }, { service: 'default/frontend', rps: 150 }]);
  });

  it('applies Kubernetes defaults and builds the control plane', () => {
    const s = createSim(shop());
    const d = s.deployments['default/frontend']!;
    expect(d.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } });
    expect(d.spec).toMatchObject({ revisionHistoryLimit: 10, progressDeadlineSeconds: 600, minReadySeconds: 0 });
    expect(d.spec.template.spec).toMatchObject({ restartPolicy: 'Always', terminationGracePeriodSeconds: 30 });
    expect(s.controlPlane.etcd.members.map((m) => m.name)).toEqual(['etcd-0', 'etcd-1', 'etcd-2']);
    expect(s.controlPlane.etcd).toMatchObject({ hasQuorum: true, leader: 'etcd-0' });
    expect(s.alertTiers.length).toBeGreaterThan(0);
    expect(s.incidents).toEqual([]);
    expect(s.events).toEqual([]);
    expect(Object.keys(s.pods)).toHaveLength(10);
  });

  it('skips a Deployment whose selector does not match its template, with a warning', () => {
    const i = shop();
    i.deployments[3]!.spec.selector.matchLabels = { app: 'other' };
    const s = createSim(i);
    expect(s.deployments['default/redis-cart']).toBeUndefined();
    expect(s.warnings[0]).toMatch(/selector does not match template labels/);
  });

  it('is deterministic: same input and seed give the same hash, another seed another one', () => {
    const played = runMatch(shop(), [{ tick: 5, player: 'p', action: { type: 'rolloutRestart', deployment: 'frontend' } }], { ticks: 60 });
    const a = simOf(played);
    const b = simOf(runMatch(shop(), [{ tick: 5, player: 'p', action: { type: 'rolloutRestart', deployment: 'frontend' } }], { ticks: 60 }));
    expect(stateHash(a)).toBe(stateHash(b));
    expect(stateHash(a)).toMatch(/^[0-9a-f]{16}$/);
    const c = simOf(runMatch({ ...shop(), settings: { ...shop().settings, seed: 7 } }, [{ tick: 5, player: 'p', action: { type: 'rolloutRestart', deployment: 'frontend' } }], { ticks: 60 }));
    expect(stateHash(c)).not.toBe(stateHash(a));
    const sum = teamSummary(played, DEFAULT_TEAM_ID);
    expect(sum).toMatchObject({ scenarioId: 'test', seed: 42, ticks: 60, actions: 1, stateHash: stateHash(a) });
    expect(isFinished(a)).toBe(false);
  });

  it('a JSON round-trip of the state (sorted keys, fresh indexes) continues identically', () => {
    const i = shop();
    i.images = { 'frontend:v1': { baseMemoryMiB: 100, memoryGrowthMiBPerSec: 20 } };
    i.deployments[0]!.spec.template.spec.containers[0]!.resources!.limits = { memory: '256Mi' };
    const a = createSim(i);
    for (let t = 0; t < 30; t++) step(a);
    const b = JSON.parse(canonicalJson(a)) as SimState;
    const drive = (s: SimState) => {
      applyAction(s, 'p', { type: 'scaleDeployment', deployment: 'cartservice', replicas: 6 });
      s.nodes['node-b']!.sim.kubeletUp = false;
      markDirty(s, 'nodes', 'node-b');
      for (let t = 0; t < 420; t++) step(s);
      applyAction(s, 'p', { type: 'drainNode', node: 'node-c' });
      for (let t = 0; t < 30; t++) step(s);
    };
    drive(a);
    drive(b);
    expect(stateHash(b)).toBe(stateHash(a));
    expect(a.events.some((e) => e.reason === 'TaintManagerEviction')).toBe(true);
    expect(a.events.some((e) => e.reason === 'BackOff')).toBe(true);
  });
});
