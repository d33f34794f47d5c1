/**
 * The red-side bot's policy (shared/game/bots/red.ts `chooseAttack`) on the chaos panel a real
 * red-vs-blue match shows the attacking side (shared/game `chaosInfoFor`): the strongest affordable
 * kind off cooldown, one attack a minute, nothing while defending.
 */
import { describe, expect, it } from 'vitest';
import { RED_BOT_SPACING_SECONDS, chooseAttack } from '../../shared/game/bots/index.ts';
import { attack, chaosInfoFor, createMatch, getTeam, join } from '../../shared/game/index.ts';
import { resolveSimInput } from '../../server/scenarios/index.ts';

function redBlue() {
  const resolved = resolveSimInput({ scenario: 'guestbook', seed: 7, durationSeconds: 600 });
  const match = createMatch({ input: resolved.input, teams: ['blue', 'red'], settings: { mode: 'redblue', roles: false, lobby: false }, redTeam: resolved.redTeam });
  const red = join(match, { name: 'bot-expert-red', team: 'red', bot: true });
  if (!red.ok) throw new Error(red.error);
  return { match, red: red.player };
}

describe('the red bot', () => {
  it('launches the highest-cost kind it can afford that is off cooldown, then waits a minute', () => {
    const { match, red } = redBlue();
    const info = chaosInfoFor(match, 'red');
    expect(info).not.toBeNull();
    const strongest = [...info!.kinds].filter((k) => k.cost <= info!.budgetRemaining).sort((a, b) => b.cost - a.cost || (a.kind < b.kind ? -1 : 1))[0]!;
    const pick = chooseAttack(info, 0, null);
    expect(pick?.kind).toBe(strongest.kind);
    const result = attack(match, red.id, pick!);
    expect(result).toMatchObject({ ok: true });
    // Spacing: nothing until a minute has passed, then the next kind (the first is cooling down).
    const after = chaosInfoFor(match, 'red');
    expect(chooseAttack(after, RED_BOT_SPACING_SECONDS - 1, 0)).toBeNull();
    const next = chooseAttack(after, RED_BOT_SPACING_SECONDS, 0);
    if (next !== null) {
      expect(next.kind).not.toBe(pick!.kind);
      expect(after!.kinds.find((k) => k.kind === next.kind)!.cost).toBeLessThanOrEqual(after!.budgetRemaining);
    }
    expect(getTeam(match, 'blue').sim.incidents.filter((i) => i.status === 'active').map((i) => i.spec.type)).toEqual([pick!.kind]);
  });

  it('does nothing while its side defends or when nothing is affordable', () => {
    const { match } = redBlue();
    expect(chooseAttack(chaosInfoFor(match, 'blue'), 0, null)).toBeNull();
    expect(chooseAttack({ budgetRemaining: 5, kinds: [{ kind: 'pod-kill', cost: 10, cooldownLeft: 0, target: 'default/frontend' }] }, 0, null)).toBeNull();
    expect(chooseAttack({ budgetRemaining: 50, kinds: [{ kind: 'pod-kill', cost: 10, cooldownLeft: 30, target: 'default/frontend' }] }, 0, null)).toBeNull();
    expect(chooseAttack({ budgetRemaining: 50, kinds: [{ kind: 'b', cost: 10, cooldownLeft: 0, target: '' }, { kind: 'a', cost: 10, cooldownLeft: 0, target: 'x' }] }, 0, null)).toEqual({ kind: 'a', target: 'x' });
  });
});
