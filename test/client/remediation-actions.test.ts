/**
 * The context panel's remediation clicks of the newer incident kinds (client/src/view/actions.ts
 * `remediationActionsFor`): each builds a valid protocol message whose console line
 * (shared/kubectl/equivalent.ts) parses back to the same action in shared/kubectl.
 */
import { describe, expect, it } from 'vitest';
import { ActionMessage } from '../../shared/protocol.ts';
import { kubectlEquivalent, remediationActionsFor } from '../../client/src/view/actions.ts';
import { runKubectl } from '../../shared/kubectl/index.ts';
import { createSim } from '../../shared/sim/index.ts';
import { shopInput } from '../sim/game-fixtures.ts';
import { boutiqueTeam, key } from './fixtures.ts';

const sim = createSim(shopInput());

function roundTrips(msg: ActionMessage): void {
  const line = kubectlEquivalent(msg);
  const r = runKubectl(sim, line);
  expect(r, line).toEqual({ kind: 'action', action: msg });
}

describe('remediation clicks', () => {
  it('a Deployment offers rollout pause/resume, set env and the HPA max, as the console lines', () => {
    const team = boutiqueTeam();
    const options = remediationActionsFor({ kind: 'deployment', name: key('frontend') }, team);
    expect(options.map((o) => o.id)).toEqual(['deployment:pause', 'deployment:resume', 'deployment:env', 'deployment:hpa-max']);
    const built = [
      options[0]!.build(),
      options[1]!.build(),
      options[2]!.build('LOG_LEVEL=debug'),
      options[2]!.build('LOG_LEVEL-'),
      options[3]!.build('12'),
    ];
    expect(built).toEqual([
      { type: 'pauseRollout', deployment: 'frontend', paused: true },
      { type: 'pauseRollout', deployment: 'frontend', paused: false },
      { type: 'setEnv', deployment: 'frontend', env: [{ name: 'LOG_LEVEL', value: 'debug' }] },
      { type: 'setEnv', deployment: 'frontend', env: [{ name: 'LOG_LEVEL', value: null }] },
      { type: 'patchAutoscaler', hpa: 'frontend', maxReplicas: 12 },
    ]);
    for (const m of built) {
      expect(ActionMessage.safeParse(m).success).toBe(true);
      if (m.type !== 'patchAutoscaler') roundTrips(m); // (the HPA line needs an HPA in the state: checked below)
    }
    expect(kubectlEquivalent(built[4]!)).toBe(`kubectl patch hpa/frontend -p '{"spec":{"maxReplicas":12}}'`);
    expect(() => options[2]!.build('not an env')).toThrow('KEY=VALUE');
    expect(() => options[3]!.build('0')).toThrow('at least 1');
    // a Pod gets its Deployment's
    const pod = [...team.pods.values()].find((p) => p.deployment === 'frontend')!;
    expect(remediationActionsFor({ kind: 'pod', name: key(pod.name) }, team).map((o) => o.id)).toEqual(options.map((o) => o.id));
  });

  it('a Node offers Reboot and Replace, the operator commands', () => {
    const team = boutiqueTeam();
    const options = remediationActionsFor({ kind: 'node', name: 'worker-1' }, team);
    expect(options.map((o) => o.id)).toEqual(['node:reboot', 'node:replace']);
    expect(kubectlEquivalent(options[1]!.build())).toBe('gameday-ops node replace worker-1');
    const msg = options[0]!.build();
    expect(msg).toEqual({ type: 'nodeOperation', op: 'reboot', node: 'worker-1' });
    expect(ActionMessage.safeParse(msg).success).toBe(true);
    expect(kubectlEquivalent(msg)).toBe('ssh worker-1 sudo systemctl reboot');
    expect(remediationActionsFor({ kind: 'node', name: 'gone' }, team)).toEqual([]);
  });

  it('an etcd member that is down can be removed; with an even member count one can be added', () => {
    const team = boutiqueTeam();
    expect(remediationActionsFor({ kind: 'etcd', name: 'etcd-1' }, team)).toEqual([]);
    team.etcd = team.etcd.map((m) => (m.name === 'etcd-1' ? { ...m, healthy: false } : m));
    const down = remediationActionsFor({ kind: 'etcd', name: 'etcd-1' }, team);
    expect(down.map((o) => o.id)).toEqual(['etcd:remove']);
    const remove = down[0]!.build();
    expect(ActionMessage.safeParse(remove).success).toBe(true);
    roundTrips(remove);
    // the real member ID: what etcdctl member list prints for etcd-1
    const list = runKubectl(sim, 'etcdctl member list');
    expect(list.kind === 'output' && list.output).toMatch(new RegExp(`^${(remove as { member: string }).member}, started, etcd-1,`, 'm'));
    team.etcd = team.etcd.filter((m) => m.name !== 'etcd-1');
    const add = remediationActionsFor({ kind: 'etcd', name: 'etcd-0' }, team);
    expect(add.map((o) => o.id)).toEqual(['etcd:add']);
    expect(add[0]!.input?.initial).toBe('etcd-1=https://10.0.0.11:2380');
    const msg = add[0]!.build(add[0]!.input?.initial);
    expect(msg).toEqual({ type: 'etcdMember', op: 'add', member: 'etcd-1', peerUrl: 'https://10.0.0.11:2380' });
    roundTrips(msg);
    expect(() => add[0]!.build('etcd-1')).toThrow('NAME=https://IP:2380');
  });
});
