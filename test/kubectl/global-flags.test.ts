/**
 * kubectl takes flags before the command too (`kubectl -n sock-shop get pods`, `kubectl -A get pods`):
 * the console reads them like the same flags after it.
 */
import { describe, expect, it } from 'vitest';
import { createSim } from '../../shared/sim/index.ts';
import { runKubectl } from '../../shared/kubectl/index.ts';
import { resolveSimInput } from '../../server/scenarios/index.ts';

const sim = createSim(resolveSimInput({ scenario: 'sock-shop-leak', seed: 1 }).input);

describe('flags before the command', () => {
  it.each([
    ['kubectl -n sock-shop get pods', 'kubectl get pods -n sock-shop'],
    ['kubectl --namespace sock-shop get deploy', 'kubectl get deploy --namespace sock-shop'],
    ['kubectl --namespace=sock-shop get svc', 'kubectl get svc --namespace=sock-shop'],
    ['kubectl -A get pods', 'kubectl get pods -A'],
  ])('%s answers like %s', (before, after) => {
    const a = runKubectl(sim, before);
    expect(a.kind).toBe('output');
    expect(a).toEqual(runKubectl(sim, after));
  });

  it('writes too: `kubectl -n sock-shop scale` is the namespaced scale action', () => {
    expect(runKubectl(sim, 'kubectl -n sock-shop scale deployment/carts --replicas=2')).toEqual({
      kind: 'action',
      action: { type: 'scaleDeployment', deployment: 'sock-shop/carts', replicas: 2 },
    });
  });

  it('an unknown command after the flags is still named', () => {
    const r = runKubectl(sim, 'kubectl -n sock-shop frobnicate');
    expect(r).toMatchObject({ kind: 'error', error: expect.stringContaining('unknown command "frobnicate"') });
  });
});
