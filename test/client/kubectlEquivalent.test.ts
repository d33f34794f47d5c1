/**
 * The kubectl line shown under each context-panel button must be a command the console accepts and
 * that does the same thing: parse each through the real console parser (shared/kubectl).
 */
import { describe, expect, it } from 'vitest';
import type { ActionMessage } from '../../shared/protocol.ts';
import { createSim } from '../../shared/sim/create.ts';
import { runKubectl } from '../../shared/kubectl/index.ts';
import { resolveSimInput } from '../../server/scenarios/index.ts';
import { kubectlEquivalent } from '../../client/src/view/actions.ts';

describe('kubectl equivalents of the context-panel actions', () => {
  const state = createSim(resolveSimInput({ scenario: 'online-boutique', seed: 7 }).input);
  const pod = Object.values(state.pods)[0]?.metadata.name ?? '';
  const node = Object.keys(state.nodes).sort()[0] ?? '';
  const member = state.controlPlane.etcd.members[1]?.name ?? '';

  const actions: ActionMessage[] = [
    { type: 'deletePod', pod },
    { type: 'deletePod', pod, force: true },
    { type: 'scaleDeployment', deployment: 'frontend', replicas: 4 },
    { type: 'rolloutUndo', deployment: 'frontend' },
    { type: 'rolloutRestart', deployment: 'frontend' },
    { type: 'setResources', deployment: 'cartservice', limits: { memory: '512Mi' } },
    { type: 'cordonNode', node },
    { type: 'uncordonNode', node },
    { type: 'drainNode', node },
    { type: 'restoreEtcdMember', member },
  ];

  it.each(actions.map((a) => [kubectlEquivalent(a), a] as const))('%s is accepted by the console as the same action', (line, action) => {
    const result = runKubectl(state, line);
    expect(result.kind, result.kind === 'error' ? result.error : '').toBe('action');
    if (result.kind === 'action') expect(result.action).toMatchObject(action);
  });
});
