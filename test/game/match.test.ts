import { describe, expect, it } from 'vitest';
import {
  ACTION_COSTS,
  DEFAULT_TEAM_ID,
  MATCH_ERRORS,
  advance,
  checkSubmit,
  control,
  createMatch,
  getTeam,
  join,
  leave,
  matchHash,
  playMatch,
  replayMatch,
  submit,
  suspend,
  teamScore,
  teamSummary,
  type Match,
} from '../../shared/game/index.ts';
import { isFinished, stateHash, step } from '../../shared/sim/index.ts';
import type { SimAction, SimInput } from '../../shared/sim/types.ts';
import { badRolloutIncident, memoryLeakIncident, nodeIncident, shopInput } from '../sim/game-fixtures.ts';
import { act, advanceN, matchOf, seat, simOf, typeInto } from './helpers.ts';

const scaleDb: SimAction = { type: 'scaleDeployment', deployment: 'db', replicas: 2 };

/** Two teams, a self-healing node failure at t=30 (healed at t=385 when nobody acts) and a bad rollout. */
function raceInput(durationSeconds = 400): SimInput {
  return shopInput({ durationSeconds, incidents: [{ ...nodeIncident, at: 30 }, { ...badRolloutIncident, at: 60 }] });
}

/** True when `value` (deeply) holds a Map, a Set or a class instance other than Array / plain Object. */
function hasNonPlain(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some(hasNonPlain);
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return true; // null-prototype records are plain data too
  return Object.values(value).some(hasNonPlain);
}

describe('createMatch', () => {
  it('gives every team its own cluster, empty log, zero score inputs and the scenario schedule; teams sorted', () => {
    const input = raceInput();
    const m = createMatch({ input, teams: ['red', 'blue'] });
    expect(m.phase).toBe('running');
    expect(m.teams.map((t) => t.id)).toEqual(['blue', 'red']);
    const [blue, red] = m.teams;
    expect(blue!.sim).not.toBe(red!.sim);
    expect(stateHash(blue!.sim)).toBe(stateHash(red!.sim));
    for (const t of m.teams) {
      expect(t.log).toEqual([]);
      expect(t.score).toEqual({ actions: 0, actionCost: 0 });
      expect(t.schedule).toEqual(input.incidents);
    }
    expect(m.players).toEqual([]);
  });

  it('refuses no team, an empty id and a duplicate id', () => {
    const input = raceInput();
    expect(() => createMatch({ input, teams: [] })).toThrow(/at least one team/);
    expect(() => createMatch({ input, teams: [''] })).toThrow(/must not be empty/);
    expect(() => createMatch({ input, teams: ['red', 'red'] })).toThrow(/duplicate team id "red"/);
  });

  it('is plain JSON: no Map, Set or class inside, and a JSON copy plays on identically', () => {
    const live = createMatch({ input: raceInput(), teams: ['blue', 'red'] });
    seat(live, 'ann', 'red');
    advanceN(live, 40);
    act(live, 'ann', scaleDb, 'red');
    expect(hasNonPlain(live)).toBe(false);
    const copy = JSON.parse(JSON.stringify(live)) as Match;
    expect(copy).toEqual(live);
    advanceN(live, 30);
    advanceN(copy, 30);
    expect(matchHash(copy)).toBe(matchHash(live));
  });
});

describe('roster', () => {
  it('names are unique among present players; a returning name keeps its seat, team and counts', () => {
    const m = createMatch({ input: raceInput(), teams: ['blue', 'red'] });
    const ann = join(m, { name: 'ann', team: 'red' });
    expect(ann).toMatchObject({ ok: true, player: { id: 'p1', name: 'ann', team: 'red', trainer: false, present: true, actions: 0 } });
    expect(join(m, { name: 'ann', team: 'red' })).toEqual({ ok: false, error: 'name "ann" is already taken in this match' });
    expect(join(m, { name: 'bob', team: 'green' })).toEqual({ ok: false, error: 'team "green" is not in this match (teams: blue, red)' });
    act(m, 'ann', scaleDb, 'red');
    leave(m, 'p1');
    expect(join(m, { name: 'ann', team: 'blue' })).toEqual({ ok: false, error: '"ann" played for team red in this match' });
    const back = join(m, { name: 'ann', team: 'red', trainer: true });
    expect(back).toMatchObject({ ok: true, player: { id: 'p1', team: 'red', trainer: true, actions: 1 } });
    leave(m, 'p1');
    expect(join(m, { name: 'ann', team: 'red' })).toMatchObject({ ok: true, player: { trainer: true } }); // once a trainer, always
    expect(join(m, { name: 'bob', team: 'blue' })).toMatchObject({ ok: true, player: { id: 'p2' } });
  });
});

describe('permissions and phase', () => {
  it('only a trainer may pause, resume or change the speed; actions are refused while paused', () => {
    const m = createMatch({ input: raceInput(), teams: [DEFAULT_TEAM_ID] });
    const pat = seat(m, 'pat');
    const tess = seat(m, 'tess', DEFAULT_TEAM_ID, true);
    expect(control(m, pat, 'pause')).toEqual({ ok: false, error: 'only a trainer may pause, resume or change the speed (join with trainer: true)' });
    expect(control(m, pat, 'speed')).toEqual({ ok: false, error: MATCH_ERRORS.notTrainer });
    expect(control(m, 'nobody', 'pause')).toEqual({ ok: false, error: 'you are not a player in this match' });
    expect(m.phase).toBe('running');

    expect(control(m, tess, 'pause')).toEqual({ ok: true, message: 'paused' });
    expect(m.phase).toBe('paused');
    expect(submit(m, pat, scaleDb)).toEqual({ ok: false, error: 'the match is paused: actions are accepted again when the trainer resumes' });
    const t = simOf(m).t;
    expect(advance(m)).toBe(false);
    expect(simOf(m).t).toBe(t); // a paused match does not move
    expect(control(m, tess, 'speed')).toEqual({ ok: true, message: '' });
    expect(control(m, tess, 'resume')).toEqual({ ok: true, message: 'resumed' });
    expect(submit(m, pat, scaleDb)).toMatchObject({ ok: true });
    expect(submit(m, 'nobody', scaleDb)).toEqual({ ok: false, error: 'you are not a player in this match' });
  });

  it('a player acts only on their own team', () => {
    const m = createMatch({ input: raceInput(), teams: ['blue', 'red'] });
    const ann = seat(m, 'ann', 'red');
    expect(submit(m, ann, scaleDb, 'blue')).toEqual({ ok: false, error: 'you play for team red: you may not act on team blue' });
    expect(getTeam(m, 'blue').log).toEqual([]);
    expect(submit(m, ann, scaleDb, 'red')).toMatchObject({ ok: true });
  });

  it('ends when every team finished; then actions and controls are refused with the room\'s texts', () => {
    const m = createMatch({ input: raceInput(30), teams: ['blue', 'red'] });
    const tess = seat(m, 'tess', 'blue', true);
    let ended = false;
    let ticks = 0;
    while (!ended) {
      ended = advance(m);
      ticks++;
    }
    expect(ticks).toBe(30);
    expect(m.phase).toBe('ended');
    expect(m.teams.every((t) => isFinished(t.sim))).toBe(true);
    expect(advance(m)).toBe(true);
    expect(simOf(m).tick).toBe(30);
    expect(submit(m, tess, scaleDb)).toEqual({ ok: false, error: 'the match has ended: no more actions' });
    expect(control(m, tess, 'resume')).toEqual({ ok: false, error: 'the match has ended' });
  });

  it('a team whose cluster finished may not act even before the match noticed', () => {
    const m = createMatch({ input: raceInput(10), teams: [DEFAULT_TEAM_ID] });
    const pat = seat(m, 'pat');
    while (!isFinished(simOf(m))) step(simOf(m));
    expect(checkSubmit(m, pat)).toBe("your team's match is over: no more actions");
  });

  it('suspend pauses a running match without a trainer (a sim failure); a trainer resumes', () => {
    const m = createMatch({ input: raceInput(), teams: [DEFAULT_TEAM_ID] });
    const tess = seat(m, 'tess', DEFAULT_TEAM_ID, true);
    suspend(m);
    expect(m.phase).toBe('paused');
    expect(control(m, tess, 'resume')).toMatchObject({ ok: true });
    expect(m.phase).toBe('running');
  });
});

describe('red vs blue', () => {
  it("red's actions change neither blue's score, action cost, log nor incident bonus", () => {
    const race = createMatch({ input: raceInput(), teams: ['blue', 'red'] });
    const solo = matchOf(raceInput()); // blue alone, nobody acting
    seat(race, 'bob', 'blue'); // blue has a player, who watches
    playMatch(race, {
      beforeTick: (m) => {
        const t = getTeam(m, 'red').sim.tick;
        if (t === 100) expect(act(m, 'ann', scaleDb, 'red')).toMatchObject({ ok: true });
        if (t === 90) expect(typeInto(m, 'kubectl rollout undo deployment/frontend', 'rita', 'red')).toMatch(/rolled back/);
      },
    });
    expect(race.phase).toBe('ended');
    playMatch(solo);

    const red = getTeam(race, 'red');
    const blue = getTeam(race, 'blue');
    expect(red.score).toEqual({ actions: 2, actionCost: ACTION_COSTS.rolloutUndo + ACTION_COSTS.scaleDeployment });
    expect(blue.score).toEqual({ actions: 0, actionCost: 0 });
    expect(blue.log).toEqual([]);
    // Both node failures healed by themselves; only red acted inside the windows.
    const redSummary = teamSummary(race, 'red');
    const blueSummary = teamSummary(race, 'blue');
    expect(redSummary.scoreBreakdown['incidents']).toBeGreaterThan(0);
    expect(blueSummary.scoreBreakdown['incidents']).toBe(0);
    expect(blueSummary.scoreBreakdown['actions']).toBe(0);
    // Blue's whole summary (cluster hash included) is that of a blue team playing alone.
    expect(blueSummary).toEqual(teamSummary(solo, DEFAULT_TEAM_ID));
    expect(teamScore(race, 'blue')).toEqual(teamScore(solo, DEFAULT_TEAM_ID));
    expect(redSummary.stateHash).not.toBe(blueSummary.stateHash);
  });
});

describe('attribution', () => {
  it('every logged action names the player who did it, with the tick it was applied at', () => {
    const m = createMatch({ input: raceInput(), teams: ['blue', 'red'] });
    advanceN(m, 5);
    act(m, 'ann', scaleDb, 'red');
    act(m, 'bob', { type: 'cordonNode', node: 'node-b' }, 'blue');
    advanceN(m, 3);
    act(m, 'cleo', { type: 'uncordonNode', node: 'node-b' }, 'blue');
    act(m, 'ann', { type: 'deletePod', pod: 'nope' }, 'red'); // rejected: not logged
    expect(getTeam(m, 'red').log).toEqual([{ tick: 5, player: 'ann', action: scaleDb }]);
    expect(getTeam(m, 'blue').log).toEqual([
      { tick: 5, player: 'bob', action: { type: 'cordonNode', node: 'node-b' } },
      { tick: 8, player: 'cleo', action: { type: 'uncordonNode', node: 'node-b' } },
    ]);
    expect(m.players.map((p) => [p.name, p.team, p.actions])).toEqual([
      ['ann', 'red', 1],
      ['bob', 'blue', 1],
      ['cleo', 'blue', 1],
    ]);
    // The cluster records no Event for an action (kubectl records none): who did what is the log above;
    // the cordon shows as the kubelet's NodeNotSchedulable, a scale as the deployment controller's ScalingReplicaSet.
    for (const id of ['blue', 'red']) expect(getTeam(m, id).sim.events.filter((e) => e.source.startsWith('player:'))).toEqual([]);
    expect(getTeam(m, 'blue').sim.events.filter((e) => e.object.name === 'node-b').map((e) => [e.reason, e.source])).toEqual([['NodeNotSchedulable', 'kubelet'], ['NodeSchedulable', 'kubelet']]);
  });
});

describe('replay', () => {
  it('replaying the logs gives the live match hash and every team its live summary', () => {
    const input = shopInput({ durationSeconds: 500, incidents: [badRolloutIncident, { ...memoryLeakIncident, at: 150 }] });
    const live = createMatch({ input, teams: ['blue', 'red'] });
    seat(live, 'tess', 'blue', true);
    playMatch(live, {
      beforeTick: (m) => {
        const t = getTeam(m, 'blue').sim.tick;
        if (t === 70) typeInto(m, 'kubectl rollout undo deployment/frontend', 'ann', 'blue');
        if (t === 70) act(m, 'rita', { type: 'scaleDeployment', deployment: 'frontend', replicas: 5 }, 'red');
        if (t === 200) typeInto(m, 'kubectl set resources deployment/api --limits=memory=512Mi', 'bob', 'blue');
        if (t === 210) typeInto(m, 'kubectl set resources deployment/api --limits=memory=1Gi', 'rita', 'red');
        if (t === 220) act(m, 'rick', { type: 'drainNode', node: 'node-a' }, 'red');
        if (t === 300) act(m, 'ann', { type: 'deletePod', pod: 'nope' }, 'blue'); // rejected: never logged
      },
    });
    expect(live.phase).toBe('ended');
    expect(getTeam(live, 'blue').log.map((l) => l.player)).toEqual(['ann', 'bob']);
    expect(getTeam(live, 'red').log.map((l) => l.player)).toEqual(['rita', 'rita', 'rick']);

    const stored = JSON.parse(JSON.stringify(live.teams.map((t) => ({ team: t.id, log: t.log })))) as { team: string; log: Match['teams'][number]['log'] }[];
    const replayed = replayMatch(input, ['red', 'blue'], stored);
    expect(replayed.phase).toBe('ended');
    expect(matchHash(replayed)).toBe(matchHash(live));
    for (const id of ['blue', 'red']) {
      expect(teamSummary(replayed, id)).toEqual(teamSummary(live, id));
      expect(getTeam(replayed, id).log).toEqual(getTeam(live, id).log);
    }
  });

  it('refuses logs of an unknown team and a name in two teams', () => {
    const input = raceInput(30);
    const entry = { tick: 1, player: 'ann', action: scaleDb };
    expect(() => replayMatch(input, ['blue'], [{ team: 'red', log: [entry] }])).toThrow(/team "red", which is not in this match/);
    expect(() => replayMatch(input, ['blue', 'red'], [{ team: 'red', log: [entry] }, { team: 'blue', log: [entry] }])).toThrow(/"ann" appears in the logs of teams blue and red/);
  });
});
