import { describe, expect, it } from 'vitest';
import type { ChaosMessage } from '../../shared/protocol.ts';
import { chaosPanelModel } from '../../client/src/view/chaos.ts';

function message(over: Partial<NonNullable<ChaosMessage['info']>> = {}): ChaosMessage {
  return {
    attacking: true,
    half: 1,
    attacker: 'red',
    t: 40,
    info: {
      half: 1,
      halfTimeSeconds: 120,
      attacker: 'red',
      defender: 'blue',
      budgetRemaining: 80,
      budget: 100,
      kinds: [
        { kind: 'bad-rollout', cost: 20, cooldownSeconds: 120, cooldownLeft: 100, readyAt: 140, target: 'default/frontend', targetKind: 'Deployment' },
        { kind: 'node-failure', cost: 30, cooldownSeconds: 300, cooldownLeft: 0, readyAt: 40, target: 'node-a1', targetKind: 'Node' },
        { kind: 'etcd-quorum-loss', cost: 90, cooldownSeconds: 600, cooldownLeft: 0, readyAt: 40, target: '', targetKind: 'EtcdMembers' },
      ],
      targets: { Deployment: ['default/frontend', 'default/redis'], Node: ['node-a1', 'node-b1'], EtcdMembers: ['etcd-0'] },
      attacks: [{ id: 'attack-1', half: 1, tick: 20, t: 20, attacker: 'red', player: 'rita', defender: 'blue', kind: 'bad-rollout', target: 'default/frontend', cost: 20 }],
      ...over,
    },
  };
}

describe('the Red team panel', () => {
  it('is hidden for the defending side and without a chaos message', () => {
    expect(chaosPanelModel(null, 0, 'running').visible).toBe(false);
    expect(chaosPanelModel({ attacking: false, half: 1, attacker: 'red', t: 0, info: null }, 0, 'running').visible).toBe(false);
  });

  it('lists each allowed kind with cost, cooldown and targets; disabled with the reason', () => {
    const model = chaosPanelModel(message(), 60, 'running');
    expect(model.visible).toBe(true);
    expect(model.heading).toBe('Half 1: red attacks blue · 80 / 100 points');
    expect(model.rows.map((r) => [r.kind, r.disabled])).toEqual([
      ['bad-rollout', 'cooling down: 80 s'],
      ['node-failure', null],
      ['etcd-quorum-loss', 'needs 90 points, 80 left'],
    ]);
    expect(model.rows[1]!.targets).toEqual(['node-a1', 'node-b1']);
    expect(model.attacks).toEqual(['attack-1 bad-rollout on default/frontend (20 pts, t=20s)']);
    // Cooldowns count down with the sim clock; a paused match disables everything.
    expect(chaosPanelModel(message(), 140, 'running').rows[0]!.disabled).toBeNull();
    expect(chaosPanelModel(message(), 140, 'paused').rows.every((r) => r.disabled === 'match paused')).toBe(true);
  });
});
