/**
 * The built-in scenario catalogue (issue 9, "Scenarios"): at least ten scenarios, a ladder from a
 * first-timer's single OOM kill to a cascading night shift, and at least one large cluster. Each loads
 * without errors or warnings, carries its trainer metadata, is deterministic (same seed, same state
 * hash) and, with no incidents, keeps its workloads >= 99.9 % available (a healthy baseline, so every
 * error a team sees comes from an incident); and played with the fixes its debrief names, every incident
 * is mitigated and its availability SLO is met over the whole match (the scenario is winnable).
 *
 * Kept fast: the runs are 300 sim s (the fixes run: full length, ~2 s in all); for the determinism check each scenario's incidents are moved
 * into that window in their order (t' = floor(t x 300 / duration)), so every incident kind still runs.
 * The full-length runs are `npx gameday sim --scenario ID --seed 1 --json`.
 */
import { describe, expect, it } from 'vitest';
import { BUILT_IN_SCENARIO_IDS, listScenarios, resolveSimInput } from '../../server/scenarios/index.ts';
import { SCENARIO_DIFFICULTIES } from '../../shared/scenario/schema.ts';
import { parseScenario } from '../../shared/scenario/parse.ts';
import { MINIMAL_SCENARIO, problemsOf } from './helpers.ts';
import { applyAction, createSim, stateHash, step } from '../../shared/sim/index.ts';
import type { SimAction, SimInput, SimState } from '../../shared/sim/index.ts';

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

/**
 * The fixes each scenario's debrief names, at the sim second a prompt team would apply them (about a
 * minute after the symptom shows): with them every incident is mitigated and the availability SLO met.
 */
const DEBRIEF_FIXES: Record<string, { t: number; action: SimAction }[]> = {
  'online-boutique': [
    { t: 360, action: { type: 'rolloutUndo', deployment: 'frontend' } },
    { t: 1260, action: { type: 'setResources', deployment: 'cartservice', limits: { memory: '512Mi' } } },
    { t: 2430, action: { type: 'restoreEtcdMember', member: 'etcd-1' } },
  ],
  guestbook: [{ t: 270, action: { type: 'rolloutUndo', deployment: 'frontend' } }],
  'first-oom': [{ t: 300, action: { type: 'setResources', deployment: 'podinfo', limits: { memory: '1Gi' } } }],
  'voting-bad-release': [{ t: 320, action: { type: 'rolloutUndo', deployment: 'vote' } }],
  'sock-shop-leak': [{ t: 500, action: { type: 'setResources', deployment: 'sock-shop/carts', limits: { memory: '1Gi' } } }],
  'boutique-node-failure': [{ t: 360, action: { type: 'drainNode', node: 'node-c1' } }],
  'big-fleet': [{ t: 700, action: { type: 'rolloutUndo', deployment: 'api' } }],
  'fleet-zone-outage': [{ t: 1100, action: { type: 'setResources', deployment: 'cache', limits: { memory: '512Mi' } } }],
  'guestbook-control-plane': [
    { t: 330, action: { type: 'restoreEtcdMember', member: 'etcd-2' } },
    { t: 330, action: { type: 'restoreEtcdMember', member: 'etcd-3' } },
    { t: 380, action: { type: 'rolloutUndo', deployment: 'frontend' } },
  ],
  'night-shift': [
    { t: 660, action: { type: 'drainNode', node: 'node-a2' } },
    { t: 1920, action: { type: 'setResources', deployment: 'cartservice', limits: { memory: '512Mi' } } },
    { t: 3090, action: { type: 'rolloutUndo', deployment: 'frontend' } },
    { t: 4260, action: { type: 'restoreEtcdMember', member: 'etcd-1' } },
    { t: 5460, action: { type: 'drainNode', node: 'node-b1' } },
  ],
};

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

      it("with its debrief's fixes, every incident is mitigated and the availability SLO met (full length)", () => {
        const input = resolveSimInput({ scenario: id, seed: 1 }).input;
        const fixes = DEBRIEF_FIXES[id];
        expect(fixes, `add the fixes of ${id}'s debrief to DEBRIEF_FIXES`).toBeDefined();
        const s = createSim(input);
        while (s.tick < input.settings.durationSeconds) {
          for (const f of fixes!) if (f.t === s.t) expect(applyAction(s, 'trainer', f.action)).toMatchObject({ ok: true });
          step(s);
        }
        expect(s.incidents.filter((i) => i.mitigatedAt === null).map((i) => i.spec.id)).toEqual([]);
        const a = s.slos.availability;
        expect(a.good / a.valid).toBeGreaterThanOrEqual(input.slo.availability);
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
