/**
 * The change-driven projection against the full one: a whole default match (Online Boutique, its
 * three incidents, the fixes a player would make and a few more actions) where, after every tick,
 * the Schema kept up to date from the change log equals a fresh full projection of the same sim
 * (compared as JSON with sorted keys). When the sim records no changes itself (before the API
 * server's producers land), this test plays the producer: after each step it diffs every object and
 * calls `recordChange` for what differs (a perfect producer), so the incremental path runs. Once the
 * sim records changes, the recorder stays off and the same comparison guards the producers: a change
 * they miss shows up as a mismatch.
 */
import { describe, expect, it } from 'vitest';
import { applyAction, createSim, isFinished, step } from '../../shared/sim/index.ts';
import { changesSince, recordChange } from '../../shared/sim/changelog.ts';
import { computeScore } from '../../shared/game/score.ts';

/** The score of a team that took no action (the game layer's rule). */
const scoreOf = (sim: SimState) => computeScore({ sim, log: [], score: { actions: 0, actionCost: 0 } });
import type { SimAction, SimState } from '../../shared/sim/types.ts';
import { resolveSimInput } from '../../server/scenarios/index.ts';
import { TeamSchema } from '../../server/rooms/schema.ts';
import { projectTeam, projectionCounts, teamDetailOf } from '../../server/rooms/projection.ts';

/** JSON with object keys sorted (MapSchema entries come in insertion order, which may differ). */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) out[k] = canonical((value as Record<string, unknown>)[k]);
    return out;
  }
  return value;
}
const jsonOf = (team: TeamSchema) => JSON.stringify(canonical({ team: team.toJSON(), pods: teamDetailOf(team).toJSON() }));

/** Test-only producer: records a change for every object whose JSON differs from the last tick. */
function recorder(sim: SimState): () => void {
  let prev = new Map<string, string>();
  const sources: [string, () => Record<string, unknown>, (key: string) => unknown][] = [
    ['Pod', () => sim.pods, () => null],
    ['Node', () => sim.nodes, () => null],
    ['Deployment', () => sim.deployments, () => null],
    ['ReplicaSet', () => sim.replicaSets, () => null],
    ['Service', () => sim.services, (key) => sim.traffic[key] ?? null],
    ['EndpointSlice', () => sim.endpoints, () => null],
  ];
  return () => {
    const now = new Map<string, string>();
    for (const [kind, records, extra] of sources) {
      const rec = records();
      for (const key of Object.keys(rec).sort()) {
        const id = `${kind}|${key}`;
        const json = JSON.stringify([rec[key], extra(key)]);
        now.set(id, json);
        const before = prev.get(id);
        if (before !== json) recordChange(sim, kind, key, before === undefined ? 'ADDED' : 'MODIFIED');
      }
    }
    for (const id of prev.keys()) {
      if (now.has(id)) continue;
      const [kind, key] = id.split('|') as [string, string];
      recordChange(sim, kind, key, 'DELETED');
    }
    prev = now;
  };
}

/** The fixes for the default scenario's incidents and some disruption of our own, by tick. */
function actionsAt(sim: SimState, tick: number): SimAction[] {
  const firstNode = Object.keys(sim.nodes).sort()[0] ?? '';
  const somePod = Object.keys(sim.pods).sort()[3] ?? 'default/none';
  const plan: Record<number, SimAction[]> = {
    60: [{ type: 'scaleDeployment', deployment: 'frontend', replicas: 5 }],
    330: [{ type: 'rolloutUndo', deployment: 'frontend' }],
    600: [{ type: 'drainNode', node: firstNode }],
    700: [{ type: 'deletePod', pod: somePod }],
    900: [{ type: 'uncordonNode', node: firstNode }],
    1300: [{ type: 'setResources', deployment: 'cartservice', limits: { memory: '512Mi' } }],
    1500: [{ type: 'scaleDeployment', deployment: 'frontend', replicas: 2 }],
    2500: [
      { type: 'restoreEtcdMember', member: 'etcd-1' },
      { type: 'restoreEtcdMember', member: 'etcd-2' },
    ],
    2700: [{ type: 'rolloutRestart', deployment: 'checkoutservice' }],
  };
  return plan[tick] ?? [];
}

describe('change-driven projection', () => {
  it('equals a fresh full projection after every tick of a whole default match', () => {
    const sim = createSim(resolveSimInput({ seed: 1234 }).input);
    step(sim);
    // No producer yet (the log answers resync): record the changes here.
    const record = changesSince(sim, 0).resync === true ? recorder(sim) : () => undefined;
    record();
    const live = new TeamSchema();
    projectTeam(live, sim, { score: scoreOf(sim).score });
    let ticks = 0;
    let mismatches = 0;
    while (!isFinished(sim)) {
      for (const action of actionsAt(sim, sim.tick)) applyAction(sim, 'tester', action);
      step(sim);
      record();
      ticks++;
      const score = scoreOf(sim).score;
      projectTeam(live, sim, { score });
      const fresh = new TeamSchema();
      projectTeam(fresh, sim, { score });
      const a = jsonOf(live);
      const b = jsonOf(fresh);
      if (a !== b) {
        mismatches++;
        expect(a, `tick ${sim.tick}`).toBe(b);
      }
    }
    expect(mismatches).toBe(0);
    expect(ticks).toBeGreaterThan(1000);
    // The log was followed, not resynced (one full projection at the start).
    expect(projectionCounts(live)).toEqual({ full: 1, incremental: ticks });
    // The incidents struck and were handled: the comparison covered them.
    expect(sim.incidents.map((i) => i.status)).not.toContain('scheduled');
  }, 180_000);

  it('resyncs in full for a different sim, and on every call while nothing records changes', () => {
    const a = createSim(resolveSimInput({ scenario: 'guestbook', seed: 5 }).input);
    const b = createSim(resolveSimInput({ scenario: 'guestbook', seed: 6 }).input);
    const team = new TeamSchema();
    projectTeam(team, a, { score: 1 });
    step(a);
    projectTeam(team, a, { score: 2 });
    const recording = changesSince(a, 0).resync !== true;
    expect(projectionCounts(team)).toEqual(recording ? { full: 1, incremental: 1 } : { full: 2, incremental: 0 });
    projectTeam(team, b, { score: 3 });
    expect(projectionCounts(team).full).toBe(recording ? 2 : 3);
    const fresh = new TeamSchema();
    projectTeam(fresh, b, { score: 3 });
    expect(jsonOf(team)).toBe(jsonOf(fresh));
    expect(team.score).toBe(3);
  });
});
