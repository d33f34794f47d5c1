import { describe, expect, it } from 'vitest';
import { resolveSimInput } from '../../server/scenarios/index.ts';
import { stateHash } from '../../shared/sim/index.ts';
import { runMatch } from '../../shared/game/index.ts';
import { simOf } from '../game/helpers.ts';
import type { LoggedAction } from '../../shared/sim/types.ts';
import { runHeadless, tickAt } from '../../server/cli/headless.ts';
import type { PlannedAction } from '../../server/cli/actions-file.ts';

describe('runHeadless (the CLI match loop)', () => {
  it('applies actions at the same ticks as runMatch replays them', () => {
    const { input } = resolveSimInput({ seed: 3 });
    const bad = input.incidents.find((i) => i.type === 'bad-rollout');
    expect(bad).toBeDefined();
    input.settings.durationSeconds = (bad?.at ?? 0) + 120;
    const target = bad?.target ?? '';
    const plan: PlannedAction[] = [
      { t: (bad?.at ?? 0) + 20, player: 'ann', where: 'test:1', action: { type: 'rolloutUndo', deployment: target } },
      { t: (bad?.at ?? 0) + 40, player: 'bob', where: 'test:2', action: { type: 'scaleDeployment', deployment: target, replicas: 4 } },
    ];
    const headless = runHeadless(input, plan);
    expect(headless.warnings).toEqual([]);
    expect(headless.log.map((l) => l.tick)).toEqual(plan.map((p) => tickAt(p.t, input.settings.tickSeconds)));

    const log: LoggedAction[] = plan.map((p) => ({ tick: tickAt(p.t, input.settings.tickSeconds), player: p.player, action: p.action! }));
    const replayed = simOf(runMatch(input, log));
    expect(stateHash(replayed)).toBe(stateHash(headless.state));
  });

  it('streams every event exactly once, in seq order, beyond the eventLimit the state keeps', () => {
    const { input } = resolveSimInput({ seed: 5, durationSeconds: 180 });
    const target = input.userFacingService;
    // Hundreds of new pods: thousands of Scheduled/Pulling/Started... events, more than the state keeps.
    const plan: PlannedAction[] = [{ t: 10, player: 'ann', where: 'test:1', action: { type: 'scaleDeployment', deployment: target, replicas: 200 } }];
    const seqs: number[] = [];
    const res = runHeadless(input, plan, { onEvents: (events) => seqs.push(...events.map((e) => e.seq)) });
    expect(res.state.counters.eventSeq).toBeGreaterThan(res.state.eventLimit);
    expect(seqs).toEqual(Array.from({ length: res.state.counters.eventSeq }, (_, i) => i));
    expect(res.warnings).toEqual([]);
  });

  it('warns about actions after the end of the match instead of dropping them silently', () => {
    const { input } = resolveSimInput({ seed: 1, durationSeconds: 30 });
    const res = runHeadless(input, [{ t: 45, player: 'cli', where: 'a.jsonl:1', action: { type: 'rolloutRestart', deployment: 'x' } }]);
    expect(res.warnings).toEqual([expect.stringMatching(/^a\.jsonl:1: t=45 is at or after the end of the match/)]);
    expect(res.log).toEqual([]);
  });
});
