/**
 * The built-in scenario catalogue (issue 9, "Scenarios"): at least ten scenarios, a ladder from a
 * first-timer's single OOM kill to a cascading night shift, and at least one large cluster. Each loads
 * without errors or warnings, carries its trainer metadata, is deterministic (same seed, same state
 * hash) and, with no incidents, keeps its workloads >= 99.9 % available (a healthy baseline, so every
 * error a team sees comes from an incident).
 *
 * Kept fast: the runs are 300 sim s; for the determinism check each scenario's incidents are moved
 * into that window in their order (t' = floor(t x 300 / duration)), so every incident kind still runs.
 * The full-length runs are `npx gameday sim --scenario ID --seed 1 --json`.
 */
import { describe, expect, it } from 'vitest';
import { BUILT_IN_SCENARIO_IDS, listScenarios, resolveSimInput } from '../../server/scenarios/index.ts';
import { SCENARIO_DIFFICULTIES } from '../../shared/scenario/schema.ts';
import { parseScenario } from '../../shared/scenario/parse.ts';
import { MINIMAL_SCENARIO, problemsOf } from './helpers.ts';
import { createSim, stateHash, step } from '../../shared/sim/index.ts';
import type { SimInput, SimState } from '../../shared/sim/index.ts';

/** Sim seconds per check run. */
const WINDOW = 300;

function run(input: SimInput): SimState {
  const s = createSim(input);
  for (let i = 0; i < WINDOW; i++) step(s);
  return s;
}

/** The scenario over {@link WINDOW} sim s, its incidents compressed into the window. */
function compressed(id: string, seed: number): SimInput {
  const full = resolveSimInput({ scenario: id, seed }).input;
  const duration = full.settings.durationSeconds;
  const input = resolveSimInput({ scenario: id, seed, durationSeconds: WINDOW }).input;
  return { ...input, incidents: full.incidents.map((inc) => ({ ...inc, at: Math.floor((inc.at * WINDOW) / duration) })) };
}

describe('trainer fields of the scenario format', () => {
  it('are optional and, when written, validated', () => {
    expect(parseScenario(MINIMAL_SCENARIO)).not.toHaveProperty('difficulty');
    const ok = parseScenario(`${MINIMAL_SCENARIO}difficulty: expert\nobjectives: [Triage]\ndebrief: Notes\n`);
    expect(ok).toMatchObject({ difficulty: 'expert', objectives: ['Triage'], debrief: 'Notes' });
    const bad = problemsOf(() => parseScenario(`${MINIMAL_SCENARIO}difficulty: hard\nobjectives: [""]\n`));
    expect(bad.join('\n')).toMatch(/difficulty/);
    expect(bad.join('\n')).toMatch(/objectives/);
  });
});

describe('built-in scenario catalogue', () => {
  const list = listScenarios();

  it('lists at least ten scenarios, each with difficulty, objectives and debrief notes, easy to expert', () => {
    expect(list.length).toBeGreaterThanOrEqual(10);
    expect(new Set(list.map((s) => s.id)).size).toBe(list.length);
    for (const s of list) {
      expect(SCENARIO_DIFFICULTIES).toContain(s.difficulty);
      expect(s.objectives.length).toBeGreaterThan(0);
      expect(s.debrief).toBeTruthy();
      expect(s.description).toBeTruthy();
      expect(s.incidents).toBeGreaterThan(0);
    }
    const levels = new Set(list.map((s) => s.difficulty));
    for (const d of SCENARIO_DIFFICULTIES) expect(levels).toContain(d);
    // The first rung is a single memory leak; the top one combines every incident kind.
    const first = resolveSimInput({ scenario: 'first-oom', seed: 1 }).input;
    expect(first.incidents.map((i) => i.type)).toEqual(['memory-leak']);
    const night = resolveSimInput({ scenario: 'night-shift', seed: 1 }).input;
    expect(new Set(night.incidents.map((i) => i.type))).toEqual(new Set(['memory-leak', 'etcd-quorum-loss', 'bad-rollout', 'node-failure']));
  });

  it('has a large cluster: >= 50 Nodes in 3 zones and >= 500 Pods', () => {
    const input = resolveSimInput({ scenario: 'big-fleet', seed: 1, durationSeconds: WINDOW }).input;
    expect(input.nodes.length).toBeGreaterThanOrEqual(50);
    expect(new Set(input.nodes.map((n) => n.zone)).size).toBe(3);
    const s = createSim(input);
    step(s);
    expect(Object.keys(s.pods).length).toBeGreaterThanOrEqual(500);
    expect(Object.values(s.pods).every((p) => p.spec.nodeName)).toBe(true);
  });

  for (const id of BUILT_IN_SCENARIO_IDS) {
    describe(id, () => {
      it('loads without errors or warnings; its incident targets exist', () => {
        const r = resolveSimInput({ scenario: id, seed: 7 });
        expect(r.warnings).toEqual([]);
        expect(r.input.scenarioId).toBe(id);
        expect(r.input.incidents.length).toBeGreaterThan(0);
        for (const inc of r.input.incidents) expect(inc.at).toBeLessThan(r.input.settings.durationSeconds);
      });

      it('is deterministic: same seed, same state hash (incidents included)', () => {
        const a = run(compressed(id, 3));
        const b = run(compressed(id, 3));
        expect(a.incidents.length).toBeGreaterThan(0);
        expect(stateHash(a)).toBe(stateHash(b));
      });

      it('with no incidents its workloads keep >= 99.9 % availability', () => {
        const input = resolveSimInput({ scenario: id, seed: 1, durationSeconds: WINDOW }).input;
        const s = run({ ...input, incidents: [] });
        const a = s.slos.availability;
        expect(a.valid).toBeGreaterThan(0);
        expect(a.good / a.valid).toBeGreaterThanOrEqual(0.999);
      });
    });
  }
});
