import { describe, expect, it } from 'vitest';
import { MATCH_ERRORS, advance, getTeam, inject, matchHash, replayMatch, teamScore, teamSummary, type Match } from '../../shared/game/index.ts';
import { createSim, stateHash, step } from '../../shared/sim/index.ts';
import type { SimInput } from '../../shared/sim/types.ts';
import { badRolloutIncident, etcdIncident, memoryLeakIncident, nodeIncident, shopInput } from '../sim/game-fixtures.ts';
import { feedRows } from '../sim/fixtures.ts';
import { act, advanceN, matchOf, seat, simOf } from './helpers.ts';

function scheduledInput(durationSeconds = 200): SimInput {
  return shopInput({
    durationSeconds,
    incidents: [{ ...badRolloutIncident, at: 20 }, { ...memoryLeakIncident, at: 10 }, { ...etcdIncident, at: 90 }, { ...nodeIncident, at: 40 }, { ...badRolloutIncident, id: 'typo', at: 15, params: { errRate: 0.5 } }],
  });
}

/** A two-team match (blue, red) with a trainer `tess` on blue and a player `bob` on red. */
function twoTeams(input: SimInput = shopInput({ durationSeconds: 300 })): { match: Match; tess: string; bob: string } {
  const match = matchOf(input, ['blue', 'red']);
  return { match, tess: seat(match, 'tess', 'blue', true), bob: seat(match, 'bob', 'red') };
}

describe('the match owns the incident schedule', () => {
  it('starts each team’s scheduled incidents at the point of the tick where a bare step does: same cluster every tick', () => {
    const input = scheduledInput();
    const bare = createSim(structuredClone(input));
    const match = matchOf(input, ['blue', 'red']);
    for (let i = 0; i < 200; i++) {
      step(bare);
      advance(match);
      expect(stateHash(simOf(match, 'blue'))).toBe(stateHash(bare));
      expect(stateHash(simOf(match, 'red'))).toBe(stateHash(bare));
    }
    // The invalid one is recorded as today (closed at once, IncidentInvalid), the others started in (at, position) order.
    const sim = simOf(match);
    expect(sim.incidents.find((i) => i.spec.id === 'typo')!.data['error']).toBe('params: unknown key "errRate"');
    const started = feedRows(sim).filter((e) => e.reason === 'IncidentStarted').map((e) => e.message.split(':')[0]);
    expect(started.length).toBe(4);
  });

  it('the match, not the cluster, decides: a spec dropped from the schedule never starts, one added starts at its `at`', () => {
    const match = matchOf(shopInput({ durationSeconds: 100, incidents: [{ ...nodeIncident, at: 10 }] }));
    const team = getTeam(match, 'blue');
    team.schedule = [{ ...memoryLeakIncident, at: 20 }];
    advanceN(match, 30);
    expect(team.sim.incidents.map((i) => [i.spec.id, i.status, i.startedAt])).toEqual([
      ['node-a-down', 'scheduled', null],
      ['leak-api', 'active', 20],
    ]);
  });

  it('keeps scheduled incidents out of what players see: not started = status scheduled, no event', () => {
    const match = matchOf(shopInput({ durationSeconds: 100, incidents: [{ ...nodeIncident, at: 50 }] }));
    advanceN(match, 49);
    expect(simOf(match).incidents[0]!.status).toBe('scheduled');
    expect(feedRows(simOf(match)).some((e) => e.reason.startsWith('Incident'))).toBe(false);
    advance(match);
    expect(simOf(match).incidents[0]!.status).toBe('active');
  });
});

describe('inject (runtime injection)', () => {
  it('a trainer starts an incident now in one team’s cluster only; it is logged with who, when and where in the log', () => {
    const { match, tess } = twoTeams();
    const untouched = matchOf(shopInput({ durationSeconds: 300 }), ['blue', 'red']);
    advanceN(match, 5);
    advanceN(untouched, 5);
    const r = inject(match, tess, 'red', { type: 'bad-rollout', target: 'frontend' });
    expect(r).toEqual({ ok: true, incident: 'injected-1', message: 'incident injected-1 (bad-rollout) started on team red at t=5s' });
    const red = getTeam(match, 'red');
    const inc = red.sim.incidents.find((i) => i.spec.id === 'injected-1')!;
    expect(inc.status).toBe('active');
    expect(inc.startedAt).toBe(5);
    expect(inc.spec.params).toEqual({});
    expect(inc.data['badImage']).toBe('shop/frontend:v1.4.3');
    expect(feedRows(red.sim).some((e) => e.reason === 'IncidentStarted' && e.type === 'Warning')).toBe(true);
    expect(red.injections).toEqual([{ tick: 5, player: 'tess', logIndex: 0, spec: { id: 'injected-1', type: 'bad-rollout', at: 5, target: 'frontend', params: {} } }]);
    expect(stateHash(simOf(match, 'blue'))).toBe(stateHash(simOf(untouched, 'blue')));
    expect(getTeam(match, 'blue').injections).toEqual([]);
    expect(red.log).toEqual([]); // not a player action: no cost, no action count
    expect(red.score).toEqual({ actions: 0, actionCost: 0 });
    advanceN(match, 60);
    expect(red.sim.traffic['default/frontend']!.errorRate).toBeGreaterThan(0.25);
    expect(simOf(match, 'blue').traffic['default/frontend']!.errorRate).toBeLessThan(0.001);
    expect(teamSummary(match, red.id).incidents).toEqual([{ id: 'injected-1', type: 'bad-rollout', startedAt: 5, mitigatedAt: null }]);
  });

  it('refuses, changing nothing: players who are not trainers, unknown teams, bad targets, bad params, used ids, the end', () => {
    const { match, tess, bob } = twoTeams(shopInput({ durationSeconds: 20, incidents: [{ ...nodeIncident, at: 15 }] }));
    advanceN(match, 3);
    const before = matchHash(match);
    const spec = { type: 'bad-rollout' as const, target: 'frontend' };
    expect(inject(match, bob, 'red', spec)).toEqual({ ok: false, error: MATCH_ERRORS.notTrainerInject });
    expect(inject(match, 'p99', 'red', spec)).toEqual({ ok: false, error: MATCH_ERRORS.notAPlayer });
    expect(inject(match, tess, 'green', spec)).toEqual({ ok: false, error: 'team "green" is not in this match (teams: blue, red)' });
    expect(inject(match, tess, 'red', { type: 'bad-rollout', target: 'nope' })).toEqual({ ok: false, error: 'cannot inject bad-rollout: deployment nope not found' });
    expect(inject(match, tess, 'red', { type: 'node-failure', target: 'constructor' })).toEqual({ ok: false, error: 'cannot inject node-failure: node constructor not found' });
    expect(inject(match, tess, 'red', { type: 'bad-rollout', target: 'toString' })).toEqual({ ok: false, error: 'cannot inject bad-rollout: deployment toString not found' });
    const badParams = inject(match, tess, 'red', { ...spec, params: { errorRate: 2 } });
    expect(badParams.ok).toBe(false);
    expect(!badParams.ok && badParams.error).toMatch(/^cannot inject bad-rollout: params\.errorRate: /);
    expect(inject(match, tess, 'red', { ...spec, id: 'node-a-down' })).toEqual({ ok: false, error: 'incident id "node-a-down" is already used in team red' });
    expect(inject(match, tess, 'red', { type: 'ghost' as never, target: 'x' })).toMatchObject({ ok: false, error: expect.stringMatching(/unknown incident kind "ghost" \(kinds: /) });
    expect(matchHash(match)).toBe(before);
    expect(inject(match, tess, 'red', { ...spec, id: 'mine' })).toMatchObject({ ok: true, incident: 'mine' });
    expect(inject(match, tess, 'red', { ...spec, id: 'mine' })).toEqual({ ok: false, error: 'incident id "mine" is already used in team red' });
    advanceN(match, 100);
    expect(inject(match, tess, 'red', { type: 'node-failure', target: 'node-b' })).toEqual({ ok: false, error: MATCH_ERRORS.controlEnded });
  });

  it('replay reproduces injections interleaved with actions: same match hash', () => {
    const input = shopInput({ durationSeconds: 200, incidents: [{ ...memoryLeakIncident, at: 30 }] });
    const live = matchOf(input, ['blue', 'red']);
    const tess = seat(live, 'tess', 'blue', true);
    advanceN(live, 10);
    act(live, 'alice', { type: 'scaleDeployment', deployment: 'db', replicas: 2 });
    inject(live, tess, 'blue', { type: 'bad-rollout', target: 'frontend', params: { errorRate: 0.5 }, title: 'Surprise' });
    act(live, 'alice', { type: 'rolloutUndo', deployment: 'frontend' });
    inject(live, tess, 'red', { type: 'node-failure', target: 'node-a' });
    advanceN(live, 40);
    act(live, 'bob', { type: 'cordonNode', node: 'node-a' }, 'red');
    inject(live, tess, 'red', { type: 'bad-rollout', target: 'frontend' });
    advanceN(live, 200);
    expect(getTeam(live, 'blue').injections.map((i) => i.logIndex)).toEqual([1]);
    // Scored like a scheduled incident: blue rolled it back at once and earns the bonus.
    const surprise = simOf(live, 'blue').incidents.find((i) => i.spec.title === 'Surprise')!;
    expect(surprise.status).toBe('mitigated');
    expect(teamScore(live, 'blue').breakdown['incidents']).toBeGreaterThan(0);
    expect(getTeam(live, 'red').injections.map((i) => [i.tick, i.logIndex])).toEqual([[10, 0], [50, 1]]);
    const replayed = replayMatch(
      input,
      ['blue', 'red'],
      live.teams.map((t) => ({ team: t.id, log: t.log, injections: t.injections })),
    );
    expect(matchHash(replayed)).toBe(matchHash(live));
    for (const team of live.teams) expect(teamSummary(replayed, team.id)).toEqual(teamSummary(live, team.id));
  });
});
